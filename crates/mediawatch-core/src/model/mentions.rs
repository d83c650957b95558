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
    /// The row's relevance score (see [`MentionOrder::Relevance`]): the listed topic's mention's, or without a
    /// topic the best of the article's mentions. A relevance page's cursor carries the last row's.
    pub score: u32,
}
}

api_type! {
/// Filters for the Mentions list, newest first (or by relevance, `order`). Pagination is keyset: pass the last
/// row's `sort_at` and `article_id` (and, in relevance order, its `score`) as `before`.
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
    /// Only starred articles.
    #[serde(default)]
    pub starred_only: bool,
    /// Only articles of the sources in this group (its name, any case; "" for the sources without a group).
    #[serde(default)]
    pub group: Option<String>,
    /// Newest first (default), or by relevance.
    #[serde(default)]
    pub order: Option<MentionOrder>,
}
}

api_type! {
/// The order of the Mentions list.
#[derive(Copy, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum MentionOrder {
    /// By `sort_at` (published, else fetched), newest first.
    #[default]
    Newest,
    /// By the mention's relevance score, highest first; equal scores newest first. The score is computed from
    /// the mention's spans when it is flagged (and again when a re-match changes them), and stored
    /// (`mentions.score`, migration 13):
    ///
    /// `score = (3 × title spans + text spans) × distinct terms`
    ///
    /// where a span is one place a query term matched (a match in the title weighs 3, one in the text 1) and
    /// the distinct terms are how many of the query's terms matched at all, so an article that matches more of
    /// the topic's terms ranks higher than one that repeats a single term as often. A mention with no spans
    /// (a query of field filters only) scores 0. Without a topic, an article ranks by its best mention.
    Relevance,
}
}

api_type! {
/// The Mentions page's pane beyond the topics (whose unread counts come with `Topic`): the starred articles
/// and the source groups.
pub struct MentionsPane {
    /// Starred articles that a topic flags.
    pub starred: u32,
    /// Every source group by name (any case) with its unread flagged articles; empty when no source has a
    /// group, else with the sources without a group last (`name: None`, "No group").
    pub groups: Vec<GroupCount>,
}
}

api_type! {
pub struct GroupCount {
    /// The group's name (of its sources' spellings, which may differ in case, the first in code-point order);
    /// `None` for the sources without a group.
    pub name: Option<String>,
    /// Its flagged articles not read yet.
    pub unread: u32,
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
    /// The last row's score: needed (and only read) by the Mentions list in relevance order.
    #[serde(default)]
    pub score: Option<u32>,
}
}

api_type! {
/// Full-text search over every stored article, in the topic query language, with the Mentions list's filters
/// (each applied where the store reads the candidates, so pages keep their size and their keyset).
#[derive(Default)]
pub struct SearchQuery {
    pub query: String,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Only this source's articles.
    pub source_id: Option<Id>,
    /// Only articles in this language (its code; "" for articles whose language is unknown).
    pub lang: Option<String>,
    /// Only articles that are mentions of this topic (its name).
    pub topic: Option<String>,
    /// Only unread articles.
    #[serde(default)]
    pub unread_only: bool,
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
/// How the matches of a search divide among topics, sources and languages, under its filters (its cursor,
/// limit and order aside). Each list is most first, then by name.
pub struct SearchFacets {
    /// The matches counted: every match of the query, unless `capped`.
    pub total: u32,
    /// The topics that flagged the matches (an article of several topics counts in each).
    pub topics: Vec<TopicFacet>,
    pub sources: Vec<SourceFacet>,
    /// Languages by code ("" for articles whose language is unknown).
    pub langs: Vec<LangFacet>,
    /// Set when the count stopped early: the counts cover the newest this many matches only (= `total`);
    /// older matches exist or may exist.
    pub capped: Option<u32>,
}
}

api_type! {
pub struct TopicFacet {
    pub name: String,
    pub count: u32,
}
}

api_type! {
pub struct SourceFacet {
    pub id: Id,
    pub name: String,
    pub count: u32,
}
}

api_type! {
pub struct LangFacet {
    pub code: String,
    pub count: u32,
}
}
