//! The library side of `mediawatch-conformance`: what the extraction benchmark (`mediawatch-bench extract`)
//! shares with the conformance suites so that both score the same pages the same way.
//!
//! - [`shingle`]: the shingle F1 of the Zyte article-extraction benchmark.
//! - [`pages`]: the extraction corpora (mozilla/readability's test pages, the Chinese web content extraction
//!   dataset) loaded as the `readability` and `chinese` suites read them: source bytes, the URL given to the
//!   extractor, the expected text and the shingle unit.

pub mod pages;
pub mod shingle;
