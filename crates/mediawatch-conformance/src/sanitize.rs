//! The `sanitize` suite: feedparser's `tests/wellformed/sanitize/` feeds (745 hostile HTML fragments in
//! titles, summaries and content) through Mediawatch's parser and display sanitiser. Each case passes when
//! every HTML value of the feed and its entries, once sanitised for display (`sanitize::display_html`),
//! passes the safety check (`sanitize::is_safe`: no script, no event handler, no `javascript:`/`vbscript:`/
//! `data:` URL, no style). feedparser's exact output strings are not the bar: its allow-list is not ours.

use std::path::Path;

use mediawatch_core::articles::sanitize::{display_html, is_safe};
use mediawatch_core::ingest::feed::{self, FeedContext};
use serde_json::Value;

use crate::Report;

pub fn run(root: &Path) -> Result<Report, String> {
    let dir = root.join("tests/wellformed/sanitize");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    let (mut passed, mut failed, mut values) = (0, 0, 0);
    for file in &files {
        let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let url = format!("http://127.0.0.1:8097/{}", file.strip_prefix(root).unwrap_or(file).display());
        let result = feed::parse(&bytes, &FeedContext { url: Some(&url), ..FeedContext::default() });
        let mut html = Vec::new();
        collect_strings(&Value::Object(result.feed.clone()), &mut html);
        for entry in &result.entries {
            collect_strings(&Value::Object(entry.clone()), &mut html);
        }
        values += html.len();
        let unsafe_value = html.iter().map(|h| display_html(h, Some(&url))).find(|clean| !is_safe(clean));
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match unsafe_value {
            None => passed += 1,
            Some(clean) => {
                failed += 1;
                println!("FAIL  {name}: {clean}");
            }
        }
    }
    println!(
        "feedparser sanitize cases: {passed}/{} feeds safe after display sanitising ({values} values checked)",
        files.len()
    );
    Ok(Report { passed, failed, bar_met: failed == 0 && passed > 0 })
}

/// Every string value in the dicts (titles, summaries, content values, ...): all are checked as HTML.
fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !s.is_empty() => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}
