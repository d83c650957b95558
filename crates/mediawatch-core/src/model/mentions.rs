//! Mentions (an article flagged by a topic, with the spans that matched) and full-text search.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::*;

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
    /// Starred by the analyst (reports can take the starred articles only).
    pub starred: bool,
    /// Read by the analyst (opened in the reader, or marked).
    pub read: bool,
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
    /// Only this source's articles.
    pub source_id: Option<Id>,
    /// Only articles in this language (its code; "" for articles whose language is unknown).
    pub lang: Option<String>,
    /// Only unread articles.
    #[serde(default)]
    pub unread_only: bool,
    pub limit: Option<u32>,
    pub before: Option<MentionCursor>,
}
}

api_type! {
/// "Mark all read" on the Mentions page: every unread article of the list's filter that was stored by the
/// time the list was loaded (`seen_at`); one arriving since stays unread.
pub struct MarkAllRead {
    pub filter: MentionQuery,
    pub seen_at: DateTime<Utc>,
}
}

api_type! {
pub struct MentionCursor {
    pub sort_at: DateTime<Utc>,
    pub article_id: Id,
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
