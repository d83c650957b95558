//! PDF report renderer for Mediawatch.
//!
//! Uses [typst](https://typst.app) as a library: the layout lives in the
//! bundled `report.typ` template, and all report data is passed to it as
//! structured values (`sys.inputs.doc`), so no text from a [`ReportDoc`] is
//! ever interpreted as markup.
//!
//! ```no_run
//! # use mediawatch_pdf::*;
//! let fonts = Fonts::system();
//! let doc = ReportDoc { title: "Weekly".into(), ..Default::default() };
//! let bytes = render(&doc, &fonts).unwrap();
//! std::fs::write("report.pdf", bytes).unwrap();
//! ```

mod coverage;
mod fonts;
mod input;
mod world;

pub use fonts::{Fonts, CJK_FAMILIES, LATIN_FAMILIES};

/// A whole report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportDoc {
    pub title: String,
    /// Lines describing the scope in words, e.g. "Topics: BRICS, SCO".
    pub scope: Vec<String>,
    /// e.g. "1 Nov 2026 – 30 Nov 2026 (UTC)"
    pub period: String,
    /// e.g. "7 Dec 2026 15:40 UTC"
    pub generated_at: String,
    /// e.g. "1,284 mentions in 312 stories from 41 sources"
    pub counts: String,
    /// Summary tables ("Mentions per topic", "Top sources", ...).
    pub figures: Vec<Figure>,
    /// One volume-over-time chart per topic; empty = no charts.
    pub charts: Vec<Chart>,
    /// The mentions, newest first.
    pub entries: Vec<Entry>,
}

/// A summary table: label and count per row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figure {
    pub title: String,
    pub rows: Vec<(String, u64)>,
}

/// A volume-over-time chart: one `(date, count of stories)` per day (or week, month), in order, zeros included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chart {
    pub title: String,
    pub days: Vec<(String, u64)>,
}

/// One story (its syndicated copies listed in `also_published_by`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub title: String,
    pub url: Option<String>,
    pub source: String,
    /// Entries are grouped by day in the report: a date starting with
    /// `YYYY-MM-DD` is grouped by that prefix, any other string as a whole.
    pub date: String,
    /// ISO 639 code ("en", "ru", "zh"); used for line breaking and hyphenation.
    pub lang: Option<String>,
    pub topics: Vec<String>,
    /// Keyword-in-context sentences.
    pub snippets: Vec<Snippet>,
    /// Syndicated copies: other outlets' names.
    pub also_published_by: Vec<String>,
    /// Plain text, paragraphs separated by "\n\n".
    pub full_text: Option<String>,
}

/// A keyword-in-context sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of matched words in `text`: sorted, non-overlapping, on
    /// char boundaries. Ranges violating this are ignored rather than panicking.
    pub highlights: Vec<(usize, usize)>,
}

/// Why a report could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// No available font covers characters of this script.
    #[error("no installed font covers {script} text (e.g. {sample:?}); install the Debian package `{package}`")]
    MissingScript {
        /// Unicode script name, e.g. "Han", "Cyrillic".
        script: String,
        /// A piece of the document's text containing such characters.
        sample: String,
        /// Debian package that provides a suitable font.
        package: String,
    },
    /// The typesetting engine failed (should not happen for valid input).
    #[error("PDF layout failed: {0}")]
    Layout(String),
}

/// The typst template bundled into the crate.
const TEMPLATE: &str = include_str!("report.typ");

/// Renders `doc` into PDF bytes (A4). Same input and fonts → same bytes.
pub fn render(doc: &ReportDoc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    coverage::check(doc, fonts)?;
    let inputs = input::build(doc, &fonts.families());
    let world = world::ReportWorld::new(TEMPLATE, inputs, fonts);
    let warned = typst::compile::<typst_layout::PagedDocument>(&world);
    let document = warned
        .output
        .map_err(|errs| PdfError::Layout(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom("mediawatch-report".into()),
        timestamp: None,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errs| PdfError::Layout(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")));
    // Drop typst's memoization caches so a long-running app does not grow.
    typst::comemo::evict(0);
    pdf
}
