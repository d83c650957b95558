//! Any string through the query language's front door: parsing, `check()` (canonical form and warnings),
//! the JSON tree and the caret message never panic; the canonical form of a query parses back to itself.
//!
//! `MEDIAWATCH_FUZZ_SKIP_CANONICAL=1` leaves out the canonical fixed point (to look for panics past a known
//! canonical-form issue).

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mediawatch_core::topics::{self, query};

fn check_canonical() -> bool {
    static SKIP: OnceLock<bool> = OnceLock::new();
    !*SKIP.get_or_init(|| std::env::var_os("MEDIAWATCH_FUZZ_SKIP_CANONICAL").is_some())
}

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else { return };
    let checked = topics::check(q);
    let _ = topics::ast_json(q);
    match query::parse(q) {
        Ok(parsed) => {
            assert!(checked.ok);
            let _ = parsed.to_json();
            let _ = parsed.is_negation_only();
            let _ = query::warnings(q, &parsed);
            let canonical = parsed.canonical();
            assert_eq!(checked.normalized.as_deref(), Some(canonical.as_str()));
            match query::parse(&canonical) {
                Ok(again) if check_canonical() => {
                    assert_eq!(again.canonical(), canonical, "canonical form of {q:?} is not a fixed point")
                }
                Err(e) if check_canonical() => panic!("canonical form {canonical:?} of {q:?} does not parse: {e}"),
                _ => {}
            }
        }
        Err(e) => {
            assert!(!checked.ok);
            let _ = topics::caret_message(q, &e);
        }
    }
});
