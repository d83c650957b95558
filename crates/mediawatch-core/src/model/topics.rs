//! Tracked topics, the default pack, a query's check, backfill progress and previews.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::*;

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
    /// Of them, the ones not read yet.
    pub unread: u32,
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
/// What a query would flag among the stored articles, before the topic is saved.
pub struct TopicPreview {
    /// How the query was read.
    pub check: QueryCheck,
    /// Stored articles the query flags (all of them are counted; `hits` shows the newest).
    pub matched: u32,
    /// Of them, the ones whose article date (`sort_at`) is in the last 7 days.
    pub matched_7d: u32,
    /// Of them, the ones whose article date is in the last 30 days.
    pub matched_30d: u32,
    /// Articles checked after the prefilter.
    pub scanned: u32,
    pub hits: Vec<SearchHit>,
}
}
