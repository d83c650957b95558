//! Article extraction (`mediawatch_core::articles::extract`) measured with the shingle F1
//! ([`mediawatch_conformance::shingle`]); the pages are loaded by [`mediawatch_conformance::pages`], which
//! `mediawatch-bench extract` shares.
//!
//! `readability` — mozilla/readability's test pages: each `pages/<name>/source.html` is extracted and its text
//! compared with the text of `expected.html` (whitespace folded); `title` and `publishedTime` with
//! `expected-metadata.json` (whitespace normalised; times compared as instants, a time without a zone read as
//! UTC). Bar: F1 ≥ 0.95, title exact ≥ 0.95, published exact ≥ 0.8 where the expected metadata has a time.
//! Byline and language exact rates are printed for information.
//!
//! `chinese` — the Chinese web content extraction dataset: `original/<id>.html` decoded from its bytes alone,
//! its body compared with `cleaned/<id>.txt` with 4-character shingles. Bar: F1 ≥ 0.90 and no page with
//! U+FFFD. Author and date (the day) against `eval/*_ground.json` are printed for information.

use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use mediawatch_conformance::pages::{chinese_pages, fold, readability_pages};
use mediawatch_conformance::shingle::corpus_scores;
use mediawatch_core::articles::extract::{extract, Extracted};
use serde_json::Value;

use crate::Report;

const READABILITY_F1_BAR: f64 = 0.95;
const CHINESE_F1_BAR: f64 = 0.90;
const TITLE_BAR: f64 = 0.95;
const PUBLISHED_BAR: f64 = 0.8;

/// One page's scores.
struct PageScore {
    name: String,
    precision: f64,
    recall: f64,
    error: Option<String>,
}

impl PageScore {
    fn f1(&self) -> f64 {
        mediawatch_conformance::shingle::f1(self.precision, self.recall)
    }
}

fn rate(hits: usize, total: usize) -> f64 {
    if total == 0 {
        1.0
    } else {
        hits as f64 / total as f64
    }
}

/// Prints per-page F1 (all with `verbose`, else the worst 10) and the corpus scores; returns the corpus F1.
fn print_scores(pages: &[PageScore], verbose: bool) -> f64 {
    let mut sorted: Vec<&PageScore> = pages.iter().collect();
    sorted.sort_by(|a, b| a.f1().total_cmp(&b.f1()).then_with(|| a.name.cmp(&b.name)));
    let line = |p: &PageScore| {
        let err = p.error.as_deref().map(|e| format!("  ({e})")).unwrap_or_default();
        println!("  {:.3}  P {:.3} R {:.3}  {}{err}", p.f1(), p.precision, p.recall, p.name);
    };
    if verbose {
        println!("per page:");
        pages.iter().for_each(line);
    }
    println!("worst 10:");
    sorted.iter().take(10).for_each(|p| line(p));
    let per_doc: Vec<(f64, f64)> = pages.iter().map(|p| (p.precision, p.recall)).collect();
    let (p, r, f) = corpus_scores(&per_doc);
    println!("pages: {}  mean precision {p:.3}  mean recall {r:.3}  F1 {f:.3}", pages.len());
    f
}

/// A time as the expected metadata writes it, as an instant (no zone: UTC; a date alone: its midnight).
fn parse_expected_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.with_timezone(&Utc));
        }
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc())
}

pub fn run_readability(root: &Path, verbose: bool) -> Result<Report, String> {
    let pages = readability_pages(root)?;
    let mut scores = Vec::new();
    let (mut title_hits, mut titles) = (0, 0);
    let (mut byline_hits, mut bylines) = (0, 0);
    let (mut lang_hits, mut langs) = (0, 0);
    let (mut published_hits, mut publisheds) = (0, 0);
    let mut title_misses = Vec::new();
    let mut published_misses = Vec::new();
    for page in &pages {
        let (name, meta) = (&page.name, &page.metadata);
        let (ours, error) = match extract(&page.source, page.url, None) {
            Ok(x) => (Some(x), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let text = ours.as_ref().map(|x| x.text.as_str()).unwrap_or_default();
        let (precision, recall) = page.score(text);
        scores.push(PageScore { name: name.clone(), precision, recall, error });
        let field = |f: fn(&Extracted) -> Option<&str>| ours.as_ref().and_then(f).map(fold);
        let expected_str = |key: &str| meta.get(key).and_then(Value::as_str).map(fold).filter(|s| !s.is_empty());
        if let Some(want) = expected_str("title") {
            titles += 1;
            let got = field(|x| x.title.as_deref());
            if got.as_deref() == Some(want.as_str()) {
                title_hits += 1;
            } else {
                title_misses.push(format!("{name}: {got:?} != {want:?}"));
            }
        }
        if let Some(want) = expected_str("byline") {
            bylines += 1;
            byline_hits += usize::from(field(|x| x.byline.as_deref()).as_deref() == Some(want.as_str()));
        }
        if let Some(want) = expected_str("lang") {
            langs += 1;
            let want = want.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
            lang_hits += usize::from(field(|x| x.lang.as_deref()).as_deref() == Some(want.as_str()));
        }
        if let Some(want) = expected_str("publishedTime") {
            publisheds += 1;
            let got = ours.as_ref().and_then(|x| x.published);
            let want_time = parse_expected_time(&want);
            if got.is_some() && got == want_time {
                published_hits += 1;
            } else {
                published_misses.push(format!("{name}: {got:?} != {want:?}"));
            }
        }
    }
    let f1 = print_scores(&scores, verbose);
    if verbose {
        title_misses.iter().for_each(|m| println!("  title miss  {m}"));
        published_misses.iter().for_each(|m| println!("  published miss  {m}"));
    }
    let title_rate = rate(title_hits, titles);
    let published_rate = rate(published_hits, publisheds);
    println!("title exact {title_hits}/{titles} = {title_rate:.3}");
    println!("published exact {published_hits}/{publisheds} = {published_rate:.3} (pages whose metadata has one)");
    println!("byline exact {byline_hits}/{bylines} = {:.3} (information)", rate(byline_hits, bylines));
    println!("lang exact {lang_hits}/{langs} = {:.3} (information)", rate(lang_hits, langs));
    let bar_met = f1 >= READABILITY_F1_BAR && title_rate >= TITLE_BAR && published_rate >= PUBLISHED_BAR;
    println!(
        "bar (F1 >= {READABILITY_F1_BAR}, title >= {TITLE_BAR}, published >= {PUBLISHED_BAR}): {}",
        if bar_met { "met" } else { "NOT met" }
    );
    let passed = scores.iter().filter(|p| p.f1() >= READABILITY_F1_BAR).count();
    Ok(Report { passed, failed: scores.len() - passed, bar_met })
}

/// `eval/<field>_ground.json`: id → value, `UNKNOWN` as none.
fn ground(root: &Path, field: &str) -> Value {
    std::fs::read_to_string(root.join("eval").join(format!("{field}_ground.json")))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null)
}

fn ground_value(ground: &Value, id: &str) -> Option<String> {
    ground.get(id)?.get("articleBody")?.as_str().map(fold).filter(|s| !s.is_empty() && s != "UNKNOWN")
}

/// The year, month and day at the start of a date as the dataset writes it (`2005-5-7 21:23:57`).
fn ground_day(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty());
    let (y, m, d) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, d)
}

pub fn run_chinese(root: &Path, verbose: bool) -> Result<Report, String> {
    let pages = chinese_pages(root)?;
    let authors = ground(root, "author");
    let dates = ground(root, "date");
    let mut scores = Vec::new();
    let mut replacement_pages = Vec::new();
    let (mut author_hits, mut author_total, mut date_hits, mut date_total) = (0, 0, 0, 0);
    for page in &pages {
        let (id, bytes) = (&page.name, &page.source);
        let (ours, error) = match extract(bytes, page.url, None) {
            Ok(x) => (Some(x), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let decoded = mediawatch_core::ingest::decode::decode(bytes, None);
        let fffd = decoded.text.contains('\u{FFFD}') || ours.as_ref().is_some_and(|x| x.text.contains('\u{FFFD}'));
        if fffd {
            replacement_pages.push(format!("{id} ({})", decoded.encoding));
        }
        let text = ours.as_ref().map(|x| x.text.as_str()).unwrap_or_default();
        let (precision, recall) = page.score(text);
        let enc = ours.as_ref().map(|x| x.encoding.as_str()).unwrap_or(decoded.encoding.as_str());
        scores.push(PageScore { name: format!("{id} [{enc}]"), precision, recall, error });
        if let Some(want) = ground_value(&authors, id) {
            author_total += 1;
            let got = ours.as_ref().and_then(|x| x.byline.as_deref()).map(fold);
            author_hits += usize::from(got.as_deref() == Some(want.as_str()));
        }
        if let Some(want) = ground_value(&dates, id).as_deref().and_then(ground_day) {
            date_total += 1;
            // The dataset writes local (Chinese) time: compare the day in UTC+8.
            let got = ours.as_ref().and_then(|x| x.published).map(|t| (t + chrono::Duration::hours(8)).date_naive());
            date_hits += usize::from(got == Some(want));
        }
    }
    let f1 = print_scores(&scores, verbose);
    println!("pages with U+FFFD: {}{}", replacement_pages.len(), if replacement_pages.is_empty() { "" } else { ":" });
    replacement_pages.iter().for_each(|p| println!("  {p}"));
    println!("author exact {author_hits}/{author_total} = {:.3} (information)", rate(author_hits, author_total));
    println!("date (day) exact {date_hits}/{date_total} = {:.3} (information)", rate(date_hits, date_total));
    let bar_met = f1 >= CHINESE_F1_BAR && replacement_pages.is_empty();
    println!("bar (F1 >= {CHINESE_F1_BAR}, no U+FFFD): {}", if bar_met { "met" } else { "NOT met" });
    let passed = scores.iter().filter(|p| p.f1() >= CHINESE_F1_BAR).count();
    Ok(Report { passed, failed: scores.len() - passed, bar_met })
}
