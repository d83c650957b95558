//! PDF through `mediawatch-pdf` (typst as a library: real layout, line breaking in every script, a table of
//! contents with page numbers, running header, links, embedded subset fonts; BENCHMARKS.md and
//! ARCHITECTURE.md say why typst). Layout needs the whole document, so this writer keeps the articles until
//! the end: at most [`MAX_PDF_ARTICLES`] of them, about 1 MB of text per 500 without full text.

use std::fs::File;
use std::io::Write;
use std::sync::{Arc, OnceLock};

use super::{io_error, minute, stamp, Entry, Head, Writer};
use crate::error::{Error, Result};

pub use mediawatch_pdf::Fonts;

/// The most articles a PDF report takes: a reading format, where 5,000 stories are some 1,500 pages. Larger
/// scopes are an error that says to narrow the scope or use XLSX, CSV or JSON.
pub const MAX_PDF_ARTICLES: usize = 5_000;

/// The system's fonts, found once (a scan of the font folders takes a moment) and shared by every export.
#[derive(Clone, Default)]
pub struct PdfFonts {
    fonts: Arc<OnceLock<Fonts>>,
    /// Tests: look only in these folders.
    dirs: Option<Arc<Vec<std::path::PathBuf>>>,
}

impl PdfFonts {
    /// Fonts from these folders only, not the system's.
    pub fn from_dirs(dirs: Vec<std::path::PathBuf>) -> PdfFonts {
        PdfFonts { fonts: Arc::default(), dirs: Some(Arc::new(dirs)) }
    }

    fn get(&self) -> &Fonts {
        self.fonts.get_or_init(|| match &self.dirs {
            Some(d) => Fonts::from_dirs(d),
            None => Fonts::system(),
        })
    }
}

pub(super) struct PdfWriter {
    head: Head,
    file: File,
    fonts: PdfFonts,
    entries: Vec<mediawatch_pdf::Entry>,
}

impl PdfWriter {
    pub(super) fn new(head: Head, file: File, fonts: &PdfFonts) -> Result<PdfWriter> {
        if head.summary.stories as usize > MAX_PDF_ARTICLES {
            return Err(too_many(head.summary.stories as usize));
        }
        Ok(PdfWriter { head, file, fonts: fonts.clone(), entries: Vec::new() })
    }
}

fn too_many(n: usize) -> Error {
    Error::InvalidInput(format!(
        "a PDF report takes at most {MAX_PDF_ARTICLES} stories and this scope has {n}: narrow the scope (a period, \
         topics, sources, --limit), or export XLSX, CSV or JSON, which have no such limit"
    ))
}

impl Writer for PdfWriter {
    fn entry(&mut self, e: &Entry) -> Result<()> {
        if self.entries.len() >= MAX_PDF_ARTICLES {
            return Err(too_many(self.entries.len() + 1));
        }
        self.entries.push(mediawatch_pdf::Entry {
            title: e.title.clone(),
            url: e.url.clone().filter(|u| u.starts_with("http://") || u.starts_with("https://")),
            source: e.source.clone(),
            // "2026-11-03 12:00 Europe/Moscow": the template groups entries by the day this begins with.
            date: format!("{} {}", stamp(e.published.unwrap_or(e.sort_at), self.head.tz), self.head.tz.name()),
            lang: e.lang.clone(),
            topics: e.topics.clone(),
            snippets: e
                .kwic
                .iter()
                .map(|k| mediawatch_pdf::Snippet { text: k.text.clone(), highlights: k.highlights.clone() })
                .collect(),
            also_published_by: super::csv::outlets(e).into_iter().map(str::to_string).collect(),
            full_text: if self.head.content.full_text { e.text.clone() } else { None },
        });
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        let head = &self.head;
        let s = &head.summary;
        let figure = |title: &str, rows: &[super::Count]| mediawatch_pdf::Figure {
            title: title.to_string(),
            rows: rows.iter().map(|c| (c.label.clone(), c.stories)).collect(),
        };
        let top: Vec<super::Count> = s.per_source.iter().take(super::html::TOP_SOURCES).cloned().collect();
        let charts = if head.content.charts {
            s.series
                .iter()
                .map(|series| mediawatch_pdf::Chart {
                    title: series.topic.clone(),
                    days: s.buckets.iter().cloned().zip(series.counts.iter().copied()).collect(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let doc = mediawatch_pdf::ReportDoc {
            title: head.title.clone(),
            scope: head.scope_lines.clone(),
            period: head.period.clone(),
            generated_at: minute(head.generated_at, head.tz),
            counts: head.counts_line(),
            figures: vec![
                figure("Mentions per topic (stories)", &s.per_topic),
                figure("Top sources (stories first published there)", &top),
                figure("Languages (stories)", &s.per_lang),
            ],
            charts,
            entries: std::mem::take(&mut self.entries),
        };
        let bytes = mediawatch_pdf::render(&doc, self.fonts.get()).map_err(|e| match e {
            mediawatch_pdf::PdfError::MissingScript { script, sample, package } => Error::InvalidInput(format!(
                "no installed font covers the {script} script of this report (\"{sample}\"): install the Debian \
                 package {package} (sudo apt install {package}), then export again"
            )),
            other => Error::Internal(format!("PDF layout: {other}")),
        })?;
        self.file.write_all(&bytes).map_err(io_error)?;
        self.file.sync_all().map_err(io_error)
    }
}
