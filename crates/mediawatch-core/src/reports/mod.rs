//! Reports: the figures of a scope and the files an analyst shares, all pure (values in, bytes out).
//!
//! An export makes two passes over the scope's articles, newest first, in one read snapshot (the app drives
//! them): the first feeds [`Figures`] (counts, the stories that syndicated copies fold into, the volume per
//! day), the second hands each article as an [`Entry`] to the format's [`Writer`], which writes it out at once.
//! Data formats (CSV, XLSX, JSON, NDJSON) have one row per article, copies included, with its story; reading
//! formats (PDF, HTML) show a story once, at its first copy, with "also published by …". The figures count
//! each story once.
//!
//! `csv.rs`, `json.rs` (JSON and NDJSON), `xlsx.rs`, `html.rs`, `pdf.rs`: one format each. `chart.rs`: the
//! volume chart as SVG (HTML).

mod chart;
mod csv;
mod html;
mod json;
mod pdf;
mod xlsx;

use std::collections::HashMap;
use std::fs::File;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::error::{Error, Result};
use crate::model::{Id, ReportContent, ReportFormat, Span};
use crate::topics::Kwic;

pub use html::escape as html_escape;
pub use pdf::{Fonts, PdfFonts, MAX_PDF_ARTICLES};

/// Other outlets that carried an article's story.
pub fn outlets_count(e: &Entry) -> u32 {
    csv::outlets(e).len() as u32
}

/// At most this many keyword-in-context lines per article.
pub const MAX_KWIC: usize = 5;

/// At most this many other copies of its story listed with an article (the oldest first).
pub const MAX_COPIES: usize = 50;

/// One article of a report, as the writers see it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: Id,
    pub title: String,
    pub url: Option<String>,
    pub source: String,
    pub published: Option<DateTime<Utc>>,
    /// The list's order: the published time, else the fetch time.
    pub sort_at: DateTime<Utc>,
    pub lang: Option<String>,
    pub author: Option<String>,
    pub starred: bool,
    /// The story it belongs to (the id of the story's first stored copy).
    pub story: Id,
    /// The scope's topics that flagged it.
    pub topics: Vec<String>,
    /// (topic, span) for every hit.
    pub spans: Vec<(String, Span)>,
    pub kwic: Vec<Kwic>,
    /// One plain sentence of context: the first line of `kwic`, else the text's opening.
    pub snippet: String,
    /// The other articles of its story in this report (other outlets' copies), oldest first, at most
    /// [`MAX_COPIES`].
    pub copies: Vec<Copy>,
    /// When this article is itself a copy: the story's first article in the report.
    pub copy_of: Option<Id>,
    /// The full text, when the report asks for it.
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    pub id: Id,
    pub source: String,
    pub url: Option<String>,
}

impl ReportFormat {
    /// Reading formats show a story once; data formats have a row per article.
    pub fn folds_copies(self) -> bool {
        matches!(self, ReportFormat::Pdf | ReportFormat::Html)
    }
}

/// What the first pass learns of an article.
#[derive(Debug, Clone)]
pub struct Seen<'a> {
    pub id: Id,
    pub story: Id,
    pub source: &'a str,
    pub sort_at: DateTime<Utc>,
    pub lang: Option<&'a str>,
    pub topics: &'a [String],
    pub url: Option<&'a str>,
}

#[derive(Debug, Clone)]
struct Story {
    /// Oldest first: (sort_at, id, source index, url).
    members: Vec<(DateTime<Utc>, Id, usize, Option<String>)>,
    lang: Option<String>,
    topics: Vec<usize>,
}

/// The first pass: the counts and the stories of the articles in scope. Memory grows with the number of
/// articles by a few dozen bytes each (ids, times, indexes), never with their text.
#[derive(Debug, Default)]
pub struct Figures {
    mentions: u64,
    articles: u64,
    topics: Vec<String>,
    sources: Vec<String>,
    source_index: HashMap<String, usize>,
    source_articles: Vec<u64>,
    stories: HashMap<Id, Story>,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
}

impl Figures {
    pub fn add(&mut self, a: &Seen<'_>) {
        self.mentions += a.topics.len() as u64;
        self.articles += 1;
        let source = match self.source_index.get(a.source) {
            Some(&i) => i,
            None => {
                self.sources.push(a.source.to_string());
                self.source_articles.push(0);
                self.source_index.insert(a.source.to_string(), self.sources.len() - 1);
                self.sources.len() - 1
            }
        };
        self.source_articles[source] += 1;
        let topics: Vec<usize> = a
            .topics
            .iter()
            .map(|t| match self.topics.iter().position(|x| x == t) {
                Some(i) => i,
                None => {
                    self.topics.push(t.clone());
                    self.topics.len() - 1
                }
            })
            .collect();
        let story = self.stories.entry(a.story).or_insert_with(|| Story {
            members: Vec::new(),
            lang: None,
            topics: Vec::new(),
        });
        // Articles come newest first, so each one is the story's oldest so far: its language is the story's.
        story.members.insert(0, (a.sort_at, a.id, source, a.url.map(str::to_string)));
        if a.lang.is_some() || story.lang.is_none() {
            story.lang = a.lang.map(str::to_string);
        }
        for t in topics {
            if !story.topics.contains(&t) {
                story.topics.push(t);
            }
        }
        self.first = Some(self.first.map_or(a.sort_at, |f| f.min(a.sort_at)));
        self.last = Some(self.last.map_or(a.sort_at, |l| l.max(a.sort_at)));
    }

    pub fn articles(&self) -> u64 {
        self.articles
    }

    /// Where an article stands in its story: the other copies (when it is the story's first) or the first
    /// (when it is a copy).
    pub fn place(&self, story: Id, id: Id) -> (Vec<Copy>, Option<Id>) {
        let Some(s) = self.stories.get(&story) else { return (Vec::new(), None) };
        let first = s.members[0].1;
        // At most MAX_COPIES: a press release carried by thousands of sites must not make every row list
        // every other (that is quadratic in the story's size).
        let others = |except: Id| {
            s.members
                .iter()
                .filter(|m| m.1 != except)
                .take(MAX_COPIES)
                .map(|m| Copy { id: m.1, source: self.sources[m.2].clone(), url: m.3.clone() })
                .collect()
        };
        if first == id {
            (others(id), None)
        } else {
            (others(id), Some(first))
        }
    }

    /// The figures, with the volume counted per day (or per week or month over long periods) of `tz`
    /// between `from` and `to` (the scope's period; the articles' own when open).
    pub fn summary(&self, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>, tz: Tz) -> Summary {
        let mut per_topic: Vec<Count> =
            self.topics.iter().map(|t| Count { label: t.clone(), stories: 0, articles: 0 }).collect();
        let mut per_source: Vec<Count> = self
            .sources
            .iter()
            .zip(&self.source_articles)
            .map(|(s, &n)| Count { label: s.clone(), stories: 0, articles: n })
            .collect();
        let mut per_lang: HashMap<String, Count> = HashMap::new();
        let start = from.or(self.first).map(|t| local_day(t, tz));
        let end = to.map(|t| t - Duration::microseconds(1)).or(self.last).map(|t| local_day(t, tz));
        let buckets = match (start, end) {
            (Some(s), Some(e)) if s <= e => Buckets::new(s, e),
            _ => Buckets { unit: Bucket::Day, start: NaiveDate::MIN, labels: Vec::new() },
        };
        let mut volume = vec![vec![0u64; buckets.labels.len()]; self.topics.len()];
        let mut total = vec![0u64; buckets.labels.len()];
        for s in self.stories.values() {
            let (at, _, source, _) = &s.members[0];
            per_source[*source].stories += 1;
            let lang = s.lang.clone().unwrap_or_else(|| "unknown".into());
            let l = per_lang.entry(lang.clone()).or_insert(Count { label: lang, stories: 0, articles: 0 });
            l.stories += 1;
            l.articles += s.members.len() as u64;
            let b = buckets.index(local_day(*at, tz));
            if let Some(b) = b {
                total[b] += 1;
            }
            for &t in &s.topics {
                per_topic[t].stories += 1;
                per_topic[t].articles += s.members.len() as u64;
                if let Some(b) = b {
                    volume[t][b] += 1;
                }
            }
        }
        let by_count = |v: &mut Vec<Count>| {
            v.sort_by(|a, b| b.stories.cmp(&a.stories).then(b.articles.cmp(&a.articles)).then(a.label.cmp(&b.label)))
        };
        by_count(&mut per_topic);
        by_count(&mut per_source);
        let mut per_lang: Vec<Count> = per_lang.into_values().collect();
        by_count(&mut per_lang);
        let mut series: Vec<Series> =
            self.topics.iter().zip(volume).map(|(t, counts)| Series { topic: t.clone(), counts }).collect();
        series.sort_by_key(|a| a.topic.to_lowercase());
        Summary {
            mentions: self.mentions,
            articles: self.articles,
            stories: self.stories.len() as u64,
            sources: self.sources.len() as u64,
            per_topic,
            per_source,
            per_lang,
            bucket: buckets.unit,
            buckets: buckets.labels,
            total,
            series,
            first: self.first,
            last: self.last,
        }
    }
}

/// A count of stories (copies once) and of articles (copies each).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Count {
    #[serde(rename = "name")]
    pub label: String,
    pub stories: u64,
    pub articles: u64,
}

/// A topic's stories per bucket of time.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Series {
    pub topic: String,
    pub counts: Vec<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Day,
    Week,
    Month,
}

/// The figures of a report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// (article, topic) pairs.
    pub mentions: u64,
    pub articles: u64,
    pub stories: u64,
    pub sources: u64,
    pub per_topic: Vec<Count>,
    pub per_source: Vec<Count>,
    pub per_lang: Vec<Count>,
    /// What one bucket of the volume is, and the buckets' first days ("2026-11-01") in the report's zone.
    pub bucket: Bucket,
    pub buckets: Vec<String>,
    /// Stories per bucket, all topics.
    pub total: Vec<u64>,
    /// Stories per bucket, each topic.
    pub series: Vec<Series>,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
}

/// Days for up to four months, weeks (from Monday) for up to two years, months beyond.
struct Buckets {
    unit: Bucket,
    start: NaiveDate,
    labels: Vec<String>,
}

impl Buckets {
    fn new(start: NaiveDate, end: NaiveDate) -> Buckets {
        let days = (end - start).num_days();
        let unit = if days <= 120 {
            Bucket::Day
        } else if days <= 730 {
            Bucket::Week
        } else {
            Bucket::Month
        };
        let first = Self::floor(unit, start);
        let mut labels = Vec::new();
        let mut d = first;
        while d <= end {
            labels.push(d.format("%Y-%m-%d").to_string());
            d = Self::next(unit, d);
        }
        Buckets { unit, start: first, labels }
    }

    fn floor(unit: Bucket, d: NaiveDate) -> NaiveDate {
        match unit {
            Bucket::Day => d,
            Bucket::Week => d - Duration::days(d.weekday().num_days_from_monday() as i64),
            Bucket::Month => d.with_day(1).unwrap_or(d),
        }
    }

    fn next(unit: Bucket, d: NaiveDate) -> NaiveDate {
        match unit {
            Bucket::Day => d + Duration::days(1),
            Bucket::Week => d + Duration::days(7),
            Bucket::Month => {
                let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
                NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d + Duration::days(31))
            }
        }
    }

    fn index(&self, d: NaiveDate) -> Option<usize> {
        if d < self.start {
            return None;
        }
        let i = match self.unit {
            Bucket::Day => (d - self.start).num_days() as usize,
            Bucket::Week => ((d - self.start).num_days() / 7) as usize,
            Bucket::Month => {
                ((d.year() - self.start.year()) * 12 + d.month() as i32 - self.start.month() as i32) as usize
            }
        };
        (i < self.labels.len()).then_some(i)
    }
}

/// What a report says about itself: its title page.
#[derive(Debug, Clone)]
pub struct Head {
    pub title: String,
    pub generated_at: DateTime<Utc>,
    /// The scope in words, one line each ("Topics: BRICS, SCO").
    pub scope_lines: Vec<String>,
    /// "1 Nov 2026 – 30 Nov 2026 (Europe/Moscow)".
    pub period: String,
    /// The zone of its days and times.
    pub tz: Tz,
    /// The scope as given (JSON exports repeat it).
    pub scope: serde_json::Value,
    pub summary: Summary,
    pub content: ReportContent,
}

impl Head {
    /// "1,284 mentions in 312 stories from 41 sources".
    pub fn counts_line(&self) -> String {
        let s = &self.summary;
        format!(
            "{} in {} ({}) from {}",
            plural(s.mentions, "mention"),
            plural(s.stories, "story"),
            plural(s.articles, "article"),
            plural(s.sources, "source")
        )
    }
}

/// "1 story", "1,284 stories".
pub fn plural(n: u64, one: &str) -> String {
    let many = if let Some(stem) = one.strip_suffix('y') { format!("{stem}ies") } else { format!("{one}s") };
    format!("{} {}", thousands(n), if n == 1 { one } else { &many })
}

/// 1284 → "1,284".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The day `t` falls on in `tz`.
pub fn local_day(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// "7 Dec 2026", the day in `tz`.
pub fn day(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%-d %b %Y").to_string()
}

/// "7 Dec 2026 18:40 Europe/Moscow", "7 Dec 2026 15:40 UTC".
pub fn minute(t: DateTime<Utc>, tz: Tz) -> String {
    format!("{} {}", t.with_timezone(&tz).format("%-d %b %Y %H:%M"), tz.name())
}

/// "2026-12-07 18:40", the time in `tz` (the PDF groups its entries by the day this begins with).
pub fn stamp(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// Writes one report, an article at a time.
pub trait Writer {
    fn entry(&mut self, e: &Entry) -> Result<()>;
    /// Writes what comes after the last article and flushes the file.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// The writer of `head.content.format` into `file` (a temporary file the app renames when done).
pub fn writer(head: Head, file: File, fonts: &PdfFonts) -> Result<Box<dyn Writer>> {
    Ok(match head.content.format {
        ReportFormat::Csv => Box::new(csv::CsvWriter::new(&head, file)?),
        ReportFormat::Json => Box::new(json::JsonWriter::new(&head, file, false)?),
        ReportFormat::Ndjson => Box::new(json::JsonWriter::new(&head, file, true)?),
        ReportFormat::Xlsx => Box::new(xlsx::XlsxWriter::new(&head, file)?),
        ReportFormat::Html => Box::new(html::file_writer(&head, file)?),
        ReportFormat::Pdf => Box::new(pdf::PdfWriter::new(head, file, fonts)?),
    })
}

/// The first page of a report as self-contained HTML, with at most `entries` articles: the preview the
/// Reports page shows.
pub fn preview_html(head: &Head, entries: &[Entry]) -> Result<String> {
    let mut buf = Vec::new();
    {
        let mut w = html::HtmlWriter::new(head, &mut buf, Some(entries.len()))?;
        for e in entries {
            w.write_entry(e)?;
        }
        w.end()?;
    }
    String::from_utf8(buf).map_err(|e| Error::Internal(e.to_string()))
}

// By value: it is the `map_err` of every write.
#[allow(clippy::needless_pass_by_value)]
pub(crate) fn io_error(e: std::io::Error) -> Error {
    Error::File(format!("cannot write the report: {e}"))
}

#[cfg(test)]
mod tests;
