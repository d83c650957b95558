//! feed-rs's own fixtures: each `NAME.xml` (or `.json`) has `NAME.serde.json`, feed-rs's parsed model.
//! Mediawatch parses the bytes through its whole path (charset decoding, then feed-rs, then its own
//! model) and must agree on: the format, the feed title, the number of entries, and per entry the title,
//! the link, the published time (UTC) and the summary text. Bar: every fixture passes.
//!
//! Deliberate differences, not counted as failures and listed at the end:
//! - for RSS items feed-rs copies `pubDate` into `updated`; Mediawatch reports `updated` as unknown
//!   (`null`) there, so `updated` is not compared;
//! - where feed-rs cannot read a date (`null`) and Mediawatch's date parser can, the reading is listed.

use std::path::{Path, PathBuf};

use mediawatch_core::ingest::parse::html_to_text;
use mediawatch_core::parse_feed;
use serde_json::Value;

use crate::Report;

pub fn run(root: &Path) -> Result<Report, String> {
    let fixture = root.join("fixture");
    let mut expected_files = Vec::new();
    collect(&fixture, &mut expected_files)?;
    expected_files.sort();
    let (mut passed, mut failed) = (0, 0);
    let mut deliberate = Vec::new();
    for expected_path in expected_files {
        let stem = expected_path.to_string_lossy().trim_end_matches(".serde.json").to_string();
        let input = ["xml", "json"].iter().map(|ext| PathBuf::from(format!("{stem}.{ext}"))).find(|p| p.exists());
        let name = expected_path.strip_prefix(&fixture).unwrap_or(&expected_path).display().to_string();
        let Some(input) = input else {
            println!("skip  {name}: no input file beside it");
            continue;
        };
        let (problems, better) = check(&input, &expected_path);
        deliberate.extend(better.into_iter().map(|b| format!("{name}: {b}")));
        if problems.is_empty() {
            passed += 1;
            println!("pass  {name}");
        } else {
            failed += 1;
            println!("FAIL  {name}: {}", problems.join("; "));
        }
    }
    println!("feed-rs fixtures: {passed}/{} pass", passed + failed);
    println!("deliberate differences: {}", if deliberate.is_empty() { "none" } else { "" });
    for d in &deliberate {
        println!("  {d}");
    }
    Ok(Report { passed, failed, bar_met: failed == 0 && passed > 0 })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.to_string_lossy().ends_with(".serde.json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Text as a reader sees it: tags stripped, entities decoded, whitespace folded.
fn norm(s: &str) -> String {
    html_to_text(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of(v: &Value) -> Option<String> {
    v.get("content").and_then(Value::as_str).map(norm).filter(|s| !s.is_empty())
}

/// The problems found, and the places where Mediawatch deliberately reads more than feed-rs.
fn check(input: &Path, expected_path: &Path) -> (Vec<String>, Vec<String>) {
    let mut problems = Vec::new();
    let mut better = Vec::new();
    let bytes = match std::fs::read(input) {
        Ok(b) => b,
        Err(e) => return (vec![e.to_string()], better),
    };
    let expected: Value = match std::fs::read_to_string(expected_path).map(|s| serde_json::from_str(&s)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => return (vec![format!("expected model unreadable: {e}")], better),
        Err(e) => return (vec![e.to_string()], better),
    };
    let feed = match parse_feed(&bytes, None, None) {
        Ok(f) => f,
        Err(e) => return (vec![format!("parse failed: {e}")], better),
    };
    let format = match expected["feed_type"].as_str().unwrap_or_default() {
        "Atom" => "atom1.0",
        "JSON" => "json1.1",
        "RSS0" => "rss0.9x",
        "RSS1" => "rss1.0",
        "RSS2" => "rss2.0",
        other => other,
    };
    // feed-rs calls every JSON Feed "JSON"; Mediawatch tells version 1 from 1.1.
    let same_format = feed.format == format || (format == "json1.1" && feed.format == "json1.0");
    if !same_format {
        problems.push(format!("format {} != {format}", feed.format));
    }
    let want_title = text_of(&expected["title"]);
    if feed.title.as_deref().map(norm) != want_title {
        problems.push(format!("feed title {:?} != {want_title:?}", feed.title));
    }
    let entries = expected["entries"].as_array().cloned().unwrap_or_default();
    if feed.items.len() != entries.len() {
        problems.push(format!("{} entries, expected {}", feed.items.len(), entries.len()));
        return (problems, better);
    }
    for (i, (item, want)) in feed.items.iter().zip(&entries).enumerate() {
        let want_title = text_of(&want["title"]);
        if item.title.as_deref().map(norm) != want_title {
            problems.push(format!("entry {i} title {:?} != {want_title:?}", item.title));
        }
        // Mediawatch stores an article under its canonical URL (tracking parameters dropped): compare that.
        let links: Vec<String> = want["links"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l["href"].as_str())
            .map(|h| mediawatch_core::ingest::urlnorm::canonical(h).unwrap_or_else(|| h.to_string()))
            .collect();
        let want_id = want["id"].as_str().unwrap_or_default();
        match &item.url {
            // An RSS <guid> is a permalink unless isPermaLink="false" (RSS 2.0): feed-rs does not use it as one.
            Some(u) if links.is_empty() && u == want_id => {
                better.push(format!("entry {i}: the permalink guid {u} is the link; feed-rs lists no link"));
            }
            Some(u) if !links.contains(u) => problems.push(format!("entry {i} link {u} not in {links:?}")),
            None if !links.is_empty() => problems.push(format!("entry {i} has no link, expected one of {links:?}")),
            _ => {}
        }
        let want_published = want["published"].as_str().and_then(|p| chrono::DateTime::parse_from_rfc3339(p).ok());
        match (item.published, want_published) {
            (Some(ours), None) => better.push(format!("entry {i}: feed-rs reads no date, Mediawatch reads {ours}")),
            (ours, theirs) if ours.map(|p| p.timestamp()) != theirs.map(|p| p.timestamp()) => {
                problems.push(format!("entry {i} published {ours:?} != {theirs:?}"));
            }
            _ => {}
        }
        let want_summary = text_of(&want["summary"]);
        let ours = item.summary.as_deref().map(norm).filter(|s| !s.is_empty());
        // Media RSS: feed-rs keeps <media:description> in the media object; Mediawatch (as feedparser) makes
        // it the item's summary when the item has none of its own (YouTube's feeds carry it only there).
        let media_descriptions: Vec<String> =
            want["media"].as_array().into_iter().flatten().filter_map(|m| text_of(&m["description"])).collect();
        match ours {
            Some(s) if want_summary.is_none() && media_descriptions.contains(&s) => {
                better.push(format!("entry {i}: the media:description is the summary; feed-rs keeps it in media"));
            }
            ours if ours != want_summary => problems.push(format!("entry {i} summary differs")),
            _ => {}
        }
    }
    (problems, better)
}
