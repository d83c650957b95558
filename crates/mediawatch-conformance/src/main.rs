//! `mediawatch-conformance SUITE CORPUS_PATH`: runs one conformance suite over a corpus folder from
//! `../shared/corpora` (never copied into the repository) and prints each case, the pass rate, and a final
//! `N passed, N failed` line. Exit status 1 when the suite's bar is not met, 2 on wrong usage.
//!
//! Suites: `miniflux` (miniflux-encoding-fixtures: charset precedence and legacy encodings), `dates`
//! (feedparser's date-parser cases, `date_cases.json`: `mediawatch_core::ingest::dates::parse_date`), `feedparser`
//! (feedparser's own test suite against `mediawatch_core::ingest::feed::parse`; `--verbose` shows each failing
//! assertion), `sanitize` (feedparser's sanitiser cases through `sanitize::display_html`: nothing unsafe
//! survives), `readability` (mozilla/readability's test pages through `extract::extract`, shingle F1) and
//! `chinese` (the Chinese web content extraction dataset: decoding from bytes alone, shingle F1) and `luwak`
//! (Flax's 2,000 stored queries over 999 documents: the topic engine must return exactly the reference
//! evaluator's topics and spans; a plain full-text-search reading as a sanity check).
//!
//! The shingle F1 and the extraction corpora's loaders live in the library side (`src/lib.rs`), shared with
//! `mediawatch-bench extract`.

mod dates;
mod extraction;
mod feedparser;
mod feedrs;
mod luwak;
mod miniflux;
mod sanitize;

use std::path::PathBuf;
use std::process::ExitCode;

/// The outcome of one suite.
pub struct Report {
    pub passed: usize,
    pub failed: usize,
    /// Whether the suite's bar is met (e.g. "pass in full").
    pub bar_met: bool,
}

fn main() -> ExitCode {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let verbose = all.iter().any(|a| a == "--verbose");
    let args: Vec<String> = all.into_iter().filter(|a| a != "--verbose").collect();
    let (Some(suite), Some(path)) = (args.first(), args.get(1)) else {
        eprintln!(
            "usage: mediawatch-conformance miniflux|dates|feed-rs|feedparser|sanitize|readability|chinese|luwak PATH_TO_CORPUS [--verbose]"
        );
        return ExitCode::from(2);
    };
    let path = PathBuf::from(path);
    if !path.is_dir() {
        eprintln!("mediawatch-conformance: the corpus folder {} is absent", path.display());
        return ExitCode::from(2);
    }
    let report = match suite.as_str() {
        "miniflux" => miniflux::run(&path),
        "dates" => dates::run(&path),
        "feed-rs" => feedrs::run(&path),
        "feedparser" => feedparser::run(&path, verbose),
        "sanitize" => sanitize::run(&path),
        "readability" => extraction::run_readability(&path, verbose),
        "chinese" => extraction::run_chinese(&path, verbose),
        "luwak" => luwak::run(&path, verbose),
        other => {
            eprintln!("mediawatch-conformance: unknown suite '{other}' (known: miniflux, dates, feed-rs, feedparser, sanitize, readability, chinese, luwak)");
            return ExitCode::from(2);
        }
    };
    match report {
        Ok(r) => {
            println!("{} passed, {} failed", r.passed, r.failed);
            if r.bar_met {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("mediawatch-conformance {suite}: {e}");
            ExitCode::FAILURE
        }
    }
}
