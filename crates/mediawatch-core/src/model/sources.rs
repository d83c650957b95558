//! The sources an analyst follows: feeds, sitemaps and imported sites, their settings and health.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::*;

api_type! {
/// A news source the analyst follows: today a feed URL.
pub struct Source {
    pub id: Id,
    pub url: String,
    pub name: String,
    /// The folder the source is filed under (from OPML: "News / Russia"), if any.
    pub group: Option<String>,
    pub enabled: bool,
    /// Minutes between scheduled fetches.
    pub interval_minutes: u32,
    pub full_text: FullTextMode,
    /// A feed, or the news sitemap of a site that has none.
    pub kind: SourceKind,
    pub created_at: DateTime<Utc>,
    pub health: SourceHealth,
    /// Articles stored from this source.
    pub article_count: u32,
}
}

api_type! {
/// How the last fetches of a source went.
pub struct SourceHealth {
    pub last_fetch_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    /// The stable error code of the last failure (`network`, `parse`, ...), `None` after a success.
    pub last_error_code: Option<String>,
    pub last_error: Option<String>,
    pub last_http_status: Option<u16>,
    pub consecutive_failures: u32,
    /// When the scheduler fetches this source next (`None`: at the next cycle).
    pub next_fetch_at: Option<DateTime<Utc>>,
}
}

api_type! {
/// When to fetch an item's article page for its full text (used by the articles stage): `auto` when the
/// feed carries less than the page's likely body, `always`, or `never`.
#[derive(Copy, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum FullTextMode {
    #[default]
    Auto,
    Always,
    Never,
}
}

impl FullTextMode {
    pub fn as_str(self) -> &'static str {
        match self {
            FullTextMode::Auto => "auto",
            FullTextMode::Always => "always",
            FullTextMode::Never => "never",
        }
    }

    pub fn parse(s: &str) -> Option<FullTextMode> {
        match s {
            "auto" => Some(FullTextMode::Auto),
            "always" => Some(FullTextMode::Always),
            "never" => Some(FullTextMode::Never),
            _ => None,
        }
    }
}

api_type! {
/// What a source is read from: a feed, or — for a site without one — its news sitemap, whose recent
/// entries are the new article URLs.
#[derive(Copy, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    #[default]
    Feed,
    Sitemap,
    /// Articles imported from files (`mediawatch import`): never fetched.
    Import,
}
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Sitemap => "sitemap",
            // The foundation schema's `page` kind: articles that came as pages, not from a feed.
            SourceKind::Import => "page",
        }
    }

    pub fn parse(s: &str) -> Option<SourceKind> {
        match s {
            "feed" => Some(SourceKind::Feed),
            "sitemap" => Some(SourceKind::Sitemap),
            "page" => Some(SourceKind::Import),
            _ => None,
        }
    }
}

api_type! {
/// What the analyst types to add a source: a feed URL, or a page URL whose feed is discovered.
pub struct NewSource {
    pub url: String,
    pub name: Option<String>,
    pub interval_minutes: Option<u32>,
    /// Default: `auto`.
    pub full_text: Option<FullTextMode>,
}
}

api_type! {
/// Changes to a source's settings, as the analyst edits them; a field left out (`None`) stays as it is.
#[derive(Default)]
pub struct SourceUpdate {
    pub name: Option<String>,
    /// The folder to file the source under; an empty string takes it out of its folder.
    pub group: Option<String>,
    pub interval_minutes: Option<u32>,
    pub full_text: Option<FullTextMode>,
    pub enabled: Option<bool>,
}
}

api_type! {
/// What an OPML import did.
pub struct OpmlImportSummary {
    pub added: Vec<Source>,
    /// Feeds of the file that were sources already (same URL).
    pub already_present: u32,
    pub warnings: Vec<String>,
}
}
