use super::*;

api_type! {
/// Which flagged articles a report covers. Every filter narrows; an empty list or `None` does not filter.
#[derive(Default)]
pub struct ReportScope {
    /// Topic names; none: every topic. A report shows only these topics' hits.
    #[serde(default)]
    pub topics: Vec<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// A duration back from the time of the export ("7d", "24h"): kept as written, so that a saved report
    /// covers the last week each time it runs. Not together with `since`/`until`.
    pub last: Option<String>,
    /// Source ids.
    #[serde(default)]
    pub sources: Vec<Id>,
    /// A source group's name.
    pub group: Option<String>,
    /// Language codes ("en", "ru", "zh").
    #[serde(default)]
    pub langs: Vec<String>,
    /// A query in the topic language that the articles must also match.
    pub query: Option<String>,
    /// Starred articles only.
    #[serde(default)]
    pub starred: bool,
    /// The newest N flagged articles that pass the filters.
    pub limit: Option<u32>,
}
}

api_type! {
#[derive(Copy, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Csv,
    Json,
    Ndjson,
    #[default]
    Xlsx,
    Pdf,
    Html,
}
}

impl ReportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Csv => "csv",
            ReportFormat::Json => "json",
            ReportFormat::Ndjson => "ndjson",
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Html => "html",
        }
    }

    /// The file name extension, which is also the format's name.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }
}

impl std::str::FromStr for ReportFormat {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "csv" => ReportFormat::Csv,
            "json" => ReportFormat::Json,
            "ndjson" | "jsonl" => ReportFormat::Ndjson,
            "xlsx" => ReportFormat::Xlsx,
            "pdf" => ReportFormat::Pdf,
            "html" | "htm" => ReportFormat::Html,
            other => return Err(format!("unknown report format '{other}' (csv, json, ndjson, xlsx, pdf, html)")),
        })
    }
}

api_type! {
/// What a report shows besides its scope.
pub struct ReportContent {
    pub format: ReportFormat,
    /// The title on the report's first page; default "Mediawatch report".
    pub title: Option<String>,
    /// Each article's full text, not only the keyword-in-context snippets.
    #[serde(default)]
    pub full_text: bool,
    /// Volume charts (PDF, HTML, XLSX).
    #[serde(default = "yes")]
    pub charts: bool,
    /// CSV: start with a UTF-8 byte order mark, so that Excel reads Cyrillic and Chinese right.
    #[serde(default)]
    pub bom: bool,
    /// The IANA time zone of the report's days and times (the period, the per-day figures, the PDF's and
    /// HTML's days, XLSX's dates); none: `alerts.timezone`, else the system's. CSV and JSON times stay
    /// RFC 3339 in UTC, as every machine-read time of Mediawatch does.
    #[serde(default)]
    pub timezone: Option<String>,
}
}

fn yes() -> bool {
    true
}

impl Default for ReportContent {
    fn default() -> Self {
        ReportContent {
            format: ReportFormat::default(),
            title: None,
            full_text: false,
            charts: true,
            bom: false,
            timezone: None,
        }
    }
}

api_type! {
/// A report: its scope and its content. Saved reports store exactly this.
#[derive(Default)]
pub struct ReportDefinition {
    pub scope: ReportScope,
    pub content: ReportContent,
}
}

api_type! {
/// How much a scope covers: "1,284 mentions in 312 stories from 41 sources".
#[derive(Default, Eq)]
pub struct ScopeCount {
    /// (article, topic) pairs.
    pub mentions: u64,
    /// Distinct flagged articles.
    pub articles: u64,
    /// Stories: syndicated copies of one story count once.
    pub stories: u64,
    pub sources: u64,
}
}

api_type! {
/// A written report.
pub struct ExportResult {
    pub path: String,
    pub format: ReportFormat,
    /// (article, topic) pairs in the report.
    pub mentions: u64,
    /// Distinct articles in the report (syndicated copies included).
    pub articles: u64,
    pub bytes: u64,
    pub seconds: f64,
}
}

api_type! {
/// An export's progress: articles written of those in scope.
pub struct ExportProgress {
    pub done: u64,
    pub total: u64,
}
}

api_type! {
/// When a saved report runs by itself, and where it goes.
pub struct ReportSchedule {
    /// day or week
    pub every: DigestEvery,
    /// "HH:MM"
    pub at: String,
    /// mon … sun (weekly)
    pub day: String,
    /// IANA zone.
    pub tz: String,
    /// A folder the report is written into, named after the report and the date; or
    pub to_dir: Option<String>,
    /// an address it is e-mailed to (the alerts' SMTP settings).
    pub email: Option<String>,
}
}

api_type! {
pub struct SavedReport {
    pub id: Id,
    pub name: String,
    pub definition: ReportDefinition,
    pub schedule: Option<ReportSchedule>,
    pub next_run_at: Option<DateTime<Utc>>,
    pub last_run_at: Option<DateTime<Utc>>,
    /// Where the last run wrote the report (a file, or "email:ADDRESS").
    pub last_path: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}
}

api_type! {
/// One article of a report's preview.
pub struct ReportRow {
    pub article_id: Id,
    pub title: String,
    pub url: Option<String>,
    pub source: String,
    pub published_at: Option<DateTime<Utc>>,
    /// The published time, or the fetch time when the feed gave none.
    pub sort_at: DateTime<Utc>,
    pub lang: Option<String>,
    /// The scope's topics that flagged it.
    pub topics: Vec<String>,
    pub snippet: String,
    /// Other outlets that carried its story.
    pub other_outlets: u32,
    pub starred: bool,
}
}

api_type! {
/// The first rows of a report, as the Reports page previews them.
pub struct ReportPreview {
    pub count: ScopeCount,
    pub rows: Vec<ReportRow>,
    /// The report's first page as self-contained HTML (PDF and HTML formats).
    pub html: Option<String>,
}
}

api_type! {
/// What `mediawatch run` (and the app's scheduler) did with the due reports.
#[derive(Default)]
pub struct ReportsRun {
    pub written: Vec<ExportResult>,
    /// "name: message" for each report that failed.
    pub failed: Vec<String>,
}
}
