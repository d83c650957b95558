//! The domain types that cross the core's API: what the CLI prints and what the desktop UI receives.
//!
//! Every type here is plain data (serde), and derives `specta::Type` when the `specta` feature is on so the
//! Tauri shell can generate the UI's TypeScript bindings from it. Times are UTC and serialise as RFC 3339.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

macro_rules! api_type {
    ($item:item) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        $item
    };
}

/// Row ids are SQLite rowids. They stay far below 2^53, so they travel to JavaScript as plain numbers.
pub type Id = i64;

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

api_type! {
/// A tracked topic: a name and a query in the topic language.
pub struct Topic {
    pub id: Id,
    pub name: String,
    pub query: String,
    pub description: Option<String>,
    /// Plain words match by their Snowball stem (English, Russian) as well as exactly.
    pub stem: bool,
    pub created_at: DateTime<Utc>,
    /// Articles currently flagged by this topic.
    pub mention_count: u32,
    /// Set in the topic list when the stored query no longer parses (written for an older grammar): the
    /// topic flags nothing until it is edited.
    pub query_error: Option<String>,
}
}

api_type! {
pub struct NewTopic {
    pub name: String,
    pub query: String,
    pub description: Option<String>,
    /// Match plain words by their Snowball stem (English, Russian) as well as exactly.
    #[serde(default)]
    pub stem: bool,
}
}

api_type! {
/// One entry of the default topic pack, and whether it is installed already.
pub struct DefaultTopic {
    pub name: String,
    pub query: String,
    pub description: String,
    pub installed: bool,
}
}

api_type! {
/// Which stored field of an article a span points into.
#[derive(Copy, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Text,
}
}

api_type! {
/// Where a query term matched: character (not byte) offsets into the stored title or text.
pub struct Span {
    pub field: Field,
    pub start: u32,
    pub end: u32,
    /// The query term that matched, as written in the query.
    pub term: String,
}
}

api_type! {
/// One topic's hits in one article.
pub struct TopicHit {
    pub topic_id: Id,
    pub topic: String,
    pub spans: Vec<Span>,
    /// One keyword-in-context sentence per span (the same order): the sentence of the text around it, or
    /// the title for a hit in the title.
    pub snippets: Vec<String>,
}
}

api_type! {
/// A flagged article as listed on the Mentions page: newest first, with every topic that flagged it.
pub struct MentionRow {
    pub article_id: Id,
    pub title: String,
    pub url: Option<String>,
    pub source_id: Id,
    pub source: String,
    pub published_at: Option<DateTime<Utc>>,
    pub fetched_at: DateTime<Utc>,
    /// When the article was first flagged.
    pub flagged_at: DateTime<Utc>,
    /// The list's order key: the published time, or the fetch time when the feed gave none.
    pub sort_at: DateTime<Utc>,
    pub topics: Vec<TopicHit>,
    /// A sentence of context around the first hit in the text (or the lead), plain text.
    pub snippet: String,
    /// Other outlets (sources) that published the same story: "also published by N outlets".
    pub other_outlets: u32,
}
}

api_type! {
/// Filters for the Mentions list, newest first. Pagination is keyset: pass the last row's `sort_at` and
/// `article_id` as `before`.
#[derive(Default)]
pub struct MentionQuery {
    pub topic: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: Option<u32>,
    pub before: Option<MentionCursor>,
}
}

api_type! {
pub struct MentionCursor {
    pub sort_at: DateTime<Utc>,
    pub article_id: Id,
}
}

api_type! {
/// An article with everything the reader pane shows.
pub struct ArticleDetail {
    pub id: Id,
    pub source_id: Id,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub fetched_at: DateTime<Utc>,
    /// Plain text, paragraphs separated by blank lines.
    pub text: String,
    /// The article's language (ISO 639-1 where one exists: `en`, `ru`, `zh`), read from its text; the
    /// source's declaration only when the text is too short to tell.
    pub lang: Option<String>,
    /// The feed's picture for the article (a remote URL: the UI loads it only when remote images are allowed).
    pub image_url: Option<String>,
    pub topics: Vec<TopicHit>,
    /// The article for display: sanitised HTML (no scripts, handlers, frames, forms or overlaying styles; links
    /// absolute; images carry `data-remote-src` instead of `src`). `None` when only plain text is known.
    pub html: Option<String>,
    /// The site's name as the page gives it (`og:site_name`).
    pub site_name: Option<String>,
    /// The page's own canonical address when it differs from `url`.
    pub canonical_url: Option<String>,
    /// Where the body came from: the feed, or the article page (full text).
    pub text_origin: TextOrigin,
    /// Why the article page could not be read, when its full text was wanted and the feed's text was kept.
    pub extract_error: Option<String>,
    /// When a later fetch changed the stored article (title, text...), if ever.
    pub updated_at: Option<DateTime<Utc>>,
    /// The same story published elsewhere (syndicated copies), first published first; this article excluded.
    pub copies: Vec<ArticleCopy>,
}
}

api_type! {
/// Where an article's body text came from.
#[derive(Copy, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum TextOrigin {
    /// The feed's content or summary.
    #[default]
    Feed,
    /// The article page, fetched and extracted.
    Page,
}
}

impl TextOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            TextOrigin::Feed => "feed",
            TextOrigin::Page => "page",
        }
    }

    pub fn parse(s: &str) -> TextOrigin {
        if s == "page" {
            TextOrigin::Page
        } else {
            TextOrigin::Feed
        }
    }
}

api_type! {
/// Another outlet's copy of the same story.
pub struct ArticleCopy {
    pub id: Id,
    pub source_id: Id,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub fetched_at: DateTime<Utc>,
}
}

api_type! {
/// The analyst's preferences that live in the database.
pub struct Settings {
    /// Load pictures from the publishers' servers in the reader (off by default: a remote image tells the
    /// publisher that, and when, the article was read).
    pub remote_images: bool,
}
}

api_type! {
/// Counts for the Overview page and the first-run state.
pub struct Overview {
    pub sources: u32,
    pub articles: u32,
    pub topics: u32,
    pub flagged_articles: u32,
    pub failing_sources: u32,
    pub last_fetch_at: Option<DateTime<Utc>>,
}
}

api_type! {
/// The result of one fetch cycle; the CLI prints it as the `fetch` summary.
pub struct FetchSummary {
    pub sources: u32,
    pub new_articles: u32,
    pub not_modified: u32,
    pub errors: Vec<SourceError>,
    /// Stored topics that flagged nothing in this cycle because their query no longer parses (written for
    /// an older grammar): the analyst has to edit them.
    pub skipped_topics: Vec<SkippedTopic>,
}
}

api_type! {
/// A stored topic left out of matching, and why.
pub struct SkippedTopic {
    pub topic: Id,
    pub code: String,
    pub message: String,
}
}

api_type! {
pub struct SourceError {
    pub source: Id,
    pub code: String,
    pub message: String,
}
}

api_type! {
/// Progress of a fetch cycle, sent while it runs.
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FetchProgress {
    Started { total: u32 },
    SourceDone { source_id: Id, name: String, done: u32, total: u32, new_articles: u32, error: Option<String> },
    Finished { summary: FetchSummary },
}
}

api_type! {
/// What the settings page shows about where data lives.
pub struct AppInfo {
    pub version: String,
    pub database_path: String,
}
}

api_type! {
/// A parsed feed as `mediawatch parse-feed` prints it.
pub struct ParsedFeed {
    pub format: String,
    pub title: Option<String>,
    pub link: Option<String>,
    pub language: Option<String>,
    pub encoding: String,
    /// RSS `<ttl>`: minutes the publisher asks readers to wait between fetches.
    pub ttl_minutes: Option<u32>,
    pub warnings: Vec<String>,
    pub items: Vec<ParsedItem>,
}
}

api_type! {
pub struct ParsedItem {
    pub id: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub authors: Vec<String>,
    pub summary: Option<String>,
    pub content_html: Option<String>,
    pub categories: Vec<String>,
    /// The item's own language when the source says (a news sitemap entry, `xml:lang`); else the feed's.
    pub language: Option<String>,
    /// A picture for the item: its Media RSS thumbnail, else an image `media:content` or enclosure.
    pub image: Option<String>,
}
}

api_type! {
/// How the topic language read a query: for the topic editor's live check and `mediawatch topics check`.
pub struct QueryCheck {
    pub ok: bool,
    /// The query printed back in canonical form, so the analyst sees how it was read.
    pub normalized: Option<String>,
    pub error: Option<QueryProblem>,
    pub warnings: Vec<String>,
}
}

api_type! {
pub struct QueryProblem {
    pub message: String,
    /// 1-based column of the problem in the query.
    pub column: u32,
}
}

api_type! {
/// Progress of re-matching the stored articles against a topic being added or edited (a backfill).
pub struct BackfillProgress {
    /// Candidate articles checked so far, of `total` (the articles the query's prefilter let through).
    pub done: u32,
    pub total: u32,
    /// Articles the topic flags so far.
    pub matched: u32,
}
}

api_type! {
/// Full-text search over every stored article, in the topic query language.
pub struct SearchQuery {
    pub query: String,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: Option<u32>,
    /// Keyset pagination (newest-first order only): the last hit of the previous page.
    pub before: Option<MentionCursor>,
    /// Newest first (default), or by relevance (bm25) when the hits are few enough to rank them all.
    pub order: Option<SearchOrder>,
}
}

api_type! {
#[derive(Copy, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SearchOrder {
    #[default]
    Newest,
    Relevance,
}
}

api_type! {
/// One stored article the query matches, with the places that match.
pub struct SearchHit {
    pub article_id: Id,
    pub title: String,
    pub url: Option<String>,
    pub source_id: Id,
    pub source: String,
    pub published_at: Option<DateTime<Utc>>,
    pub sort_at: DateTime<Utc>,
    pub lang: Option<String>,
    pub spans: Vec<Span>,
    /// The sentence around the first hit in the text (or the text's opening).
    pub snippet: String,
}
}

api_type! {
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// The cursor of the next page, when there may be one (newest-first order only).
    pub next: Option<MentionCursor>,
    /// The order the hits are in: relevance is used only when every hit could be ranked.
    pub order: SearchOrder,
    /// Why the requested order was not used, if it was not.
    pub note: Option<String>,
}
}

api_type! {
/// What a query would flag among the stored articles, before the topic is saved.
pub struct TopicPreview {
    /// How the query was read.
    pub check: QueryCheck,
    /// Stored articles the query flags (all of them are counted; `hits` shows the newest).
    pub matched: u32,
    /// Articles checked after the prefilter.
    pub scanned: u32,
    pub hits: Vec<SearchHit>,
}
}
