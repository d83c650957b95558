//! CSV: RFC 4180 (quoted where needed, CRLF line ends), UTF-8, one row per article; optionally a byte order
//! mark, without which Excel reads UTF-8 Cyrillic and Chinese as mojibake.

use std::fs::File;
use std::io::{BufWriter, Write};

use super::{io_error, Entry, Head, Writer};
use crate::error::{Error, Result};

pub(super) const COLUMNS: [&str; 13] = [
    "published",
    "title",
    "url",
    "source",
    "lang",
    "topics",
    "terms",
    "snippet",
    "story",
    "also_published_by",
    "article_id",
    "starred",
    "text",
];

pub(super) struct CsvWriter {
    out: csv::Writer<BufWriter<File>>,
    full_text: bool,
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => io_error(e),
        other => Error::Internal(format!("CSV: {other:?}")),
    }
}

/// The terms that matched, each once, in the order they first matched.
pub(super) fn terms(e: &Entry) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for (_, s) in &e.spans {
        if !out.contains(&s.term.as_str()) {
            out.push(&s.term);
        }
    }
    out
}

/// The other outlets that carried the story, each once.
pub(super) fn outlets(e: &Entry) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for c in &e.copies {
        if c.source != e.source && !out.contains(&c.source.as_str()) {
            out.push(&c.source);
        }
    }
    out
}

impl CsvWriter {
    pub(super) fn new(head: &Head, file: File) -> Result<CsvWriter> {
        let mut file = BufWriter::new(file);
        if head.content.bom {
            file.write_all("\u{feff}".as_bytes()).map_err(io_error)?;
        }
        let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(file);
        let full_text = head.content.full_text;
        let columns = if full_text { &COLUMNS[..] } else { &COLUMNS[..COLUMNS.len() - 1] };
        out.write_record(columns).map_err(csv_error)?;
        Ok(CsvWriter { out, full_text })
    }
}

impl Writer for CsvWriter {
    fn entry(&mut self, e: &Entry) -> Result<()> {
        let published = e.published.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_default();
        let mut row = vec![
            published,
            e.title.clone(),
            e.url.clone().unwrap_or_default(),
            e.source.clone(),
            e.lang.clone().unwrap_or_default(),
            e.topics.join("; "),
            terms(e).join("; "),
            e.snippet.clone(),
            e.story.to_string(),
            outlets(e).join("; "),
            e.id.to_string(),
            if e.starred { "yes" } else { "" }.to_string(),
        ];
        if self.full_text {
            row.push(e.text.clone().unwrap_or_default());
        }
        self.out.write_record(&row).map_err(csv_error)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let file = self.out.into_inner().map_err(|e| io_error(std::io::Error::other(e.to_string())))?;
        let file = file.into_inner().map_err(|e| io_error(e.into_error()))?;
        file.sync_all().map_err(io_error)
    }
}
