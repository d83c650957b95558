//! Tidy tests, in the spirit of rust-analyzer's: they keep ARCHITECTURE.md true.
//!
//! - every path that ARCHITECTURE.md names exists, and every source folder of the repository is on its map;
//! - the invariants it marks **(tidy)** hold: no Tauri in the core, SQL only in `store/`, network only in
//!   `ingest/fetch.rs` (in) and `alerts/send.rs` (out), the stages' layering, one wall clock, no global mutable state, one printer in the CLI,
//!   a shell that only delegates.
//!
//! The checks read the source as text, line by line, leaving out comment lines (a doc comment may name what
//! the code must not use). They need no build of anything and no network.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository root")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The files under `dir` (recursively) whose names end with one of `exts`, skipping build output, installed
/// packages and test data.
fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if path.is_dir() {
                if !SKIPPED_DIRS.contains(&name.as_str()) && !name.starts_with('.') {
                    stack.push(path);
                }
            } else if exts.iter().any(|e| name.ends_with(e)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

const SKIPPED_DIRS: [&str; 6] = ["target", "node_modules", "fixtures", "artifacts", "dist", "corpus"];
const SOURCE_EXTS: [&str; 6] = [".rs", ".ts", ".svelte", ".mjs", ".py", ".js"];

/// The lines of a Rust file that are code: comment lines left out.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")).map(|(i, l)| (i + 1, l))
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// Every code line of a `.rs` file under `dir` that contains one of `needles`, as `path:line: text`,
/// except in the files that `allowed` accepts (by their path relative to the repository root).
fn uses(root: &Path, dir: &str, needles: &[&str], allowed: impl Fn(&str) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    for file in files(&root.join(dir), &[".rs"]) {
        let path = rel(root, &file);
        if allowed(&path) {
            continue;
        }
        let text = read(&file);
        for (n, line) in code_lines(&text) {
            if needles.iter().any(|needle| line.contains(needle)) {
                found.push(format!("{path}:{n}: {}", line.trim()));
            }
        }
    }
    found
}

fn assert_none(what: &str, found: &[String]) {
    assert!(found.is_empty(), "{what} (ARCHITECTURE.md):\n{}", found.join("\n"));
}

const CORE: &str = "crates/mediawatch-core/src";

// ---- ARCHITECTURE.md: the map ---------------------------------------------------------------------------

/// A backticked span that names a path: it has a slash or ends with a source or document extension.
fn is_path_like(token: &str) -> bool {
    const EXTS: [&str; 10] = [".rs", ".ts", ".svelte", ".md", ".json", ".mjs", ".toml", ".py", ".js", ".html"];
    !token.contains(' ')
        && !token.contains("::")
        && !token.starts_with("http")
        && (token.contains('/') || EXTS.iter().any(|e| token.ends_with(e)))
        && token.chars().all(|c| c.is_alphanumeric() || "/._-".contains(c))
}

fn backticked(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

/// The paths ARCHITECTURE.md names, resolved: `(line, as written, resolved path or None)`. A path resolves
/// against its section's folder (the first path of a `###` heading) or, failing that, the nearest folder
/// above it that holds it; `../shared/...` against the repository's parent.
fn named_paths(root: &Path) -> Vec<(usize, String, Option<PathBuf>)> {
    let text = read(&root.join("ARCHITECTURE.md"));
    let mut section = root.to_path_buf();
    let mut in_fence = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if line.starts_with('#') {
            let heading: Vec<&str> = backticked(line).into_iter().filter(|t| is_path_like(t)).collect();
            section = match heading.as_slice() {
                [one] => root.join(one),
                _ => root.to_path_buf(),
            };
            for token in heading {
                let p = root.join(token);
                out.push((i + 1, token.to_string(), p.exists().then_some(p)));
            }
            continue;
        }
        for token in backticked(line).into_iter().filter(|t| is_path_like(t)) {
            let resolved = if let Some(rest) = token.strip_prefix("../") {
                let p = root.join("..").join(rest);
                // `../shared` sits beside the clone in CI; a checkout without it cannot check these.
                if !root.join("../shared").exists() {
                    continue;
                }
                p.exists().then_some(p)
            } else {
                section.ancestors().take_while(|a| a.starts_with(root)).map(|a| a.join(token)).find(|p| p.exists())
            };
            out.push((i + 1, token.to_string(), resolved));
        }
    }
    out
}

#[test]
fn every_path_architecture_md_names_exists() {
    let root = root();
    let missing: Vec<String> = named_paths(&root)
        .into_iter()
        .filter(|(_, _, resolved)| resolved.is_none())
        .map(|(line, token, _)| format!("ARCHITECTURE.md:{line}: `{token}` does not exist"))
        .collect();
    assert!(missing.is_empty(), "paths that ARCHITECTURE.md names but the tree lacks:\n{}", missing.join("\n"));
}

#[test]
fn every_source_folder_is_on_the_map() {
    let root = root();
    let named: Vec<PathBuf> = named_paths(&root).into_iter().filter_map(|(_, _, p)| p?.canonicalize().ok()).collect();
    let mut folders = BTreeSet::new();
    for top in ["crates", "src-tauri", "ui/src", "e2e", "fuzz"] {
        for file in files(&root.join(top), &SOURCE_EXTS) {
            if let Some(dir) = file.parent() {
                folders.insert(dir.to_path_buf());
            }
        }
    }
    let unmapped: Vec<String> = folders
        .iter()
        .filter(|dir| {
            let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
            // Named itself, or through a file or folder inside it.
            !named.iter().any(|p| p.starts_with(&dir))
        })
        .map(|dir| rel(&root, dir))
        .collect();
    assert!(
        unmapped.is_empty(),
        "source folders that ARCHITECTURE.md does not name (add them to its code map):\n{}",
        unmapped.join("\n")
    );
}

#[test]
fn the_map_names_the_paths_it_is_checked_by() {
    // The checks above must see something: a broken parser would pass them vacuously.
    let root = root();
    let named = named_paths(&root);
    for expected in ["crates/mediawatch-core/src/store/", "crates/mediawatch-core/tests/tidy.rs", "src-tauri/src/"] {
        assert!(
            named.iter().any(|(_, _, p)| p.as_deref() == Some(root.join(expected).as_path())),
            "ARCHITECTURE.md no longer names {expected}"
        );
    }
    assert!(named.len() > 60, "only {} paths read from ARCHITECTURE.md", named.len());
}

// ---- the invariants -------------------------------------------------------------------------------------

#[test]
fn the_core_never_depends_on_tauri() {
    let root = root();
    let manifest = read(&root.join("crates/mediawatch-core/Cargo.toml"));
    let deps: Vec<&str> = manifest
        .lines()
        .filter(|l| l.trim_start().starts_with("tauri") || l.contains("\"tauri") || l.contains(" tauri"))
        .collect();
    assert!(deps.is_empty(), "crates/mediawatch-core/Cargo.toml names tauri: {deps:?}");
    assert_none("the core never uses Tauri", &uses(&root, CORE, &["tauri::", "tauri_"], |_| false));
}

#[test]
fn sql_lives_only_in_the_store() {
    let root = root();
    let in_store = |p: &str| p.starts_with("crates/mediawatch-core/src/store/");
    assert_none("rusqlite is used only under store/", &uses(&root, CORE, &["rusqlite"], in_store));
    for front in ["crates/mediawatch-cli/src", "src-tauri/src"] {
        assert_none("the front doors never use rusqlite", &uses(&root, front, &["rusqlite"], |_| false));
    }
    let sql = ["\"SELECT ", "\"INSERT ", "\"UPDATE ", "\"DELETE ", "\"CREATE ", "\"PRAGMA ", "\"WITH "];
    assert_none("SQL is written only under store/", &uses(&root, CORE, &sql, in_store));
    for front in ["crates/mediawatch-cli/src", "src-tauri/src"] {
        assert_none("the front doors write no SQL", &uses(&root, front, &sql, |_| false));
    }
}

#[test]
fn only_the_fetcher_touches_the_network() {
    let root = root();
    // In: the fetcher. Out: the sender of alerts (webhooks, ntfy, SMTP).
    let fetcher =
        |p: &str| p == "crates/mediawatch-core/src/ingest/fetch.rs" || p == "crates/mediawatch-core/src/alerts/send.rs";
    let net = ["reqwest", "lettre", "std::net", "tokio::net", "TcpStream", "UdpSocket"];
    assert_none("only ingest/fetch.rs and alerts/send.rs touch the network", &uses(&root, CORE, &net, fetcher));
    for front in ["crates/mediawatch-cli/src", "src-tauri/src"] {
        assert_none("the front doors touch no network themselves", &uses(&root, front, &net, |_| false));
    }
}

#[test]
fn the_stages_only_look_back() {
    let root = root();
    let rules: [(&str, &[&str]); 5] = [
        ("ingest", &["crate::articles", "crate::store", "crate::topics", "crate::app", "crate::alerts"]),
        ("articles", &["crate::store", "crate::app", "crate::alerts"]),
        ("topics", &["crate::store", "crate::app", "crate::ingest", "crate::alerts"]),
        ("alerts", &["crate::store", "crate::app", "crate::ingest", "crate::articles"]),
        ("reports", &["crate::store", "crate::app", "crate::ingest", "crate::articles", "crate::alerts"]),
    ];
    for (stage, forbidden) in rules {
        let dir = format!("{CORE}/{stage}");
        assert!(root.join(&dir).is_dir(), "{dir} is gone: update ARCHITECTURE.md and this test");
        assert_none(&format!("{stage}/ names a later stage"), &uses(&root, &dir, forbidden, |_| false));
    }
}

#[test]
fn the_wall_clock_is_read_in_one_place() {
    let root = root();
    // The default clock of `Mediawatch` (tests replace it with `with_clock`). The exception: an HTTP-date
    // `Retry-After` is compared with the system clock, as the fetcher has no clock of its own.
    let allowed = ["crates/mediawatch-core/src/app/mod.rs", "crates/mediawatch-core/src/ingest/fetch.rs"];
    let clocks = ["Utc::now", "Local::now", "SystemTime::now"];
    assert_none(
        "wall-clock time is read only by the injected clock",
        &uses(&root, CORE, &clocks, |p| allowed.contains(&p) || p.ends_with("/tests.rs")),
    );
    let default_clock = read(&root.join(allowed[0]));
    assert!(default_clock.contains("clock: Arc::new(Utc::now)"), "app/mod.rs no longer sets the default clock");
}

#[test]
fn no_global_mutable_state_in_the_core() {
    let root = root();
    let mut found = uses(&root, CORE, &["static mut", "thread_local!"], |_| false);
    for file in files(&root.join(CORE), &[".rs"]) {
        let text = read(&file);
        for (n, line) in code_lines(&text) {
            let l = line.trim_start().trim_start_matches("pub ").trim_start_matches("pub(crate) ");
            let mutable = ["Mutex", "RwLock", "Atomic", "Cell<", "RefCell"];
            if l.starts_with("static ") && mutable.iter().any(|m| l.contains(m)) {
                found.push(format!("{}:{n}: {}", rel(&root, &file), line.trim()));
            }
        }
    }
    assert_none("the core keeps no global mutable state", &found);
}

#[test]
fn the_cli_prints_in_one_place() {
    let root = root();
    let printer = |p: &str| p == "crates/mediawatch-cli/src/output.rs";
    // `print!`/`println!`, not `eprint!`/`eprintln!` (stderr: progress and errors).
    let prints = uses(&root, "crates/mediawatch-cli/src", &["print!(", "println!("], printer)
        .into_iter()
        .filter(|l| {
            let code = l.replace("eprint!(", "").replace("eprintln!(", "");
            code.contains("print!(") || code.contains("println!(")
        })
        .collect::<Vec<_>>();
    assert_none("only output.rs prints results", &prints);
    // `mediawatch match` streams its lines through one buffered writer of its own.
    let streamer = |p: &str| printer(p) || p == "crates/mediawatch-cli/src/matching.rs";
    assert_none(
        "only output.rs and matching.rs write to stdout",
        &uses(&root, "crates/mediawatch-cli/src", &["stdout()"], streamer),
    );
}

#[test]
fn the_shell_only_delegates() {
    let root = root();
    let reaching_in = ["mediawatch_core::store", "mediawatch_core::ingest", "mediawatch_core::articles", "Store::"];
    assert_none(
        "the shell calls Mediawatch, not the core's insides",
        &uses(&root, "src-tauri/src", &reaching_in, |_| false),
    );
    // Each command is one delegate: no command body longer than a screenful.
    for file in files(&root.join("src-tauri/src/commands"), &[".rs"]) {
        let text = read(&file);
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with("pub fn") || line.starts_with("pub async fn") {
                let body = lines[i..].iter().take_while(|l| **l != "}").count();
                assert!(
                    body <= 30,
                    "{}:{}: a command of {body} lines does more than delegate",
                    rel(&root, &file),
                    i + 1
                );
            }
        }
    }
}
