//! The extraction corpora as the `readability` and `chinese` suites (and `mediawatch-bench extract`) read
//! them, from a folder of `../shared/corpora` (read in place, never copied into the repository).
//!
//! - readability: `pages/<name>/source.html` (bytes), extracted with the URL mozilla/readability's own
//!   harness uses ([`READABILITY_URL`]); expected text: the text of `expected.html`, whitespace folded
//!   (`mediawatch_core::ingest::parse::html_to_text`); shingles of words, or of characters when the expected text is
//!   mostly Han ([`Unit::for_text`]); `expected-metadata.json` kept for the metadata checks.
//! - chinese: `original/<id>.html` (bytes, decoded from their bytes alone: no URL, no HTTP header); expected
//!   text: `cleaned/<id>.txt` as written; shingles of characters.

use std::path::{Path, PathBuf};

use mediawatch_core::ingest::parse::html_to_text;
use serde_json::Value;

use crate::shingle::{precision_recall, Unit};

/// The page URL mozilla/readability's test harness gives every test page.
pub const READABILITY_URL: &str = "http://fakehost/test/page.html";

/// One page of an extraction corpus.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's folder name (readability) or id (chinese).
    pub name: String,
    /// The source file.
    pub path: PathBuf,
    /// The source file's bytes, as the extractor gets them.
    pub source: Vec<u8>,
    /// The page URL given to the extractor, if any.
    pub url: Option<&'static str>,
    /// The text the extracted article is compared with.
    pub expected_text: String,
    /// The unit of the shingles for this page.
    pub unit: Unit,
    /// `expected-metadata.json` (readability), else null.
    pub metadata: Value,
}

impl Page {
    /// Precision and recall of an extracted text against this page's expected text (shingle F1 metric).
    pub fn score(&self, extracted_text: &str) -> (f64, f64) {
        precision_recall(&self.expected_text, extracted_text, self.unit)
    }
}

/// Whitespace folded to single spaces, trimmed.
pub fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// mozilla/readability's test pages under `root` (`readability-test-pages`), sorted by name.
pub fn readability_pages(root: &Path) -> Result<Vec<Page>, String> {
    let pages_dir = root.join("pages");
    let mut names: Vec<String> = std::fs::read_dir(&pages_dir)
        .map_err(|e| format!("{}: {e}", pages_dir.display()))?
        .flatten()
        .filter(|e| e.path().join("source.html").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut pages = Vec::with_capacity(names.len());
    for name in names {
        let dir = pages_dir.join(&name);
        let path = dir.join("source.html");
        let source = std::fs::read(&path).map_err(|e| format!("{name}: {e}"))?;
        let expected_html = std::fs::read_to_string(dir.join("expected.html")).unwrap_or_default();
        let metadata: Value = std::fs::read_to_string(dir.join("expected-metadata.json"))
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(Value::Null);
        let expected_text = fold(&html_to_text(&expected_html));
        let unit = Unit::for_text(&expected_text);
        pages.push(Page { name, path, source, url: Some(READABILITY_URL), expected_text, unit, metadata });
    }
    Ok(pages)
}

/// The Chinese web content extraction dataset under `root` (`chinese-web-content-extraction`), sorted by id.
pub fn chinese_pages(root: &Path) -> Result<Vec<Page>, String> {
    let original = root.join("original");
    let mut ids: Vec<String> = std::fs::read_dir(&original)
        .map_err(|e| format!("{}: {e}", original.display()))?
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().strip_suffix(".html").map(str::to_string))
        .collect();
    ids.sort();
    let mut pages = Vec::with_capacity(ids.len());
    for id in ids {
        let path = original.join(format!("{id}.html"));
        let source = std::fs::read(&path).map_err(|e| format!("{id}: {e}"))?;
        let expected_text = std::fs::read_to_string(root.join("cleaned").join(format!("{id}.txt"))).unwrap_or_default();
        pages.push(Page { name: id, path, source, url: None, expected_text, unit: Unit::Chars, metadata: Value::Null });
    }
    Ok(pages)
}
