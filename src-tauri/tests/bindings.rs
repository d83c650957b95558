//! The committed UI bindings must be exactly what the Rust commands generate. Fails when they are stale;
//! `make bindings` (UPDATE_BINDINGS=1) rewrites them.

use std::path::PathBuf;

#[test]
fn committed_ui_bindings_match_the_rust_commands() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("bindings.ts");
    mediawatch_app::export_bindings(&fresh).unwrap();
    let fresh_text = std::fs::read_to_string(&fresh).unwrap();
    assert!(fresh_text.contains("listMentions"), "the export must contain the commands");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed, &fresh_text).unwrap();
        return;
    }
    let committed_text = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(committed_text == fresh_text, "ui/src/lib/bindings.ts is stale: run `make bindings` and commit the result");
}
