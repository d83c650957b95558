//! The Analysis page and the Overview's topic cards: counts over time, shares and breakdowns, computed in
//! the store from `mention_hours` and an index walk, never by loading articles into the window.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::*;

api_type! {
/// The width of one point of the volume chart.
#[derive(Copy, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Hour,
    Day,
}
}

api_type! {
/// What the Analysis page asks for: some topics (none: every topic) over a period.
pub struct AnalysisQuery {
    /// Topic names; empty: every topic.
    pub topics: Vec<String>,
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub interval: Interval,
    /// The IANA zone whose days the volume is counted in; none: `alerts.timezone`, else the system's.
    pub timezone: Option<String>,
}
}

api_type! {
/// One topic's line of the volume chart.
pub struct TopicSeries {
    pub topic_id: Id,
    pub topic: String,
    /// Mentions per bucket, aligned with `Analysis::buckets`.
    pub counts: Vec<u32>,
    /// Mentions in the period (its share of voice).
    pub total: u32,
}
}

api_type! {
/// One bar of a breakdown: a source or a language and how many flagged articles it has in the period.
pub struct Slice {
    /// A source's id; none for a language.
    pub id: Option<Id>,
    /// The source's name, or the language's code ("" when unknown).
    pub label: String,
    pub articles: u32,
}
}

api_type! {
/// One of the busiest stories of the period: an article and its syndicated copies.
pub struct StoryCount {
    /// The story's earliest article in the period (what the chart opens).
    pub article_id: Id,
    pub title: String,
    pub source: String,
    pub sort_at: DateTime<Utc>,
    /// Flagged articles of the story in the period, copies included.
    pub articles: u32,
    /// Distinct sources among them.
    pub outlets: u32,
}
}

api_type! {
pub struct Analysis {
    pub timezone: String,
    pub interval: Interval,
    /// The first instant of each bucket (a local midnight, or an hour), oldest first; the last bucket ends
    /// at `until`.
    pub buckets: Vec<DateTime<Utc>>,
    pub series: Vec<TopicSeries>,
    /// Flagged articles in the period for these topics, each once.
    pub articles: u32,
    /// The ten sources with most of them, most first.
    pub sources: Vec<Slice>,
    /// Their languages, most first.
    pub languages: Vec<Slice>,
    /// The ten stories with most articles, most first.
    pub stories: Vec<StoryCount>,
}
}

api_type! {
/// What the Overview asks its topic cards for.
pub struct CardsQuery {
    /// The analyst's last visit: a card counts the mentions fetched after it.
    pub since: DateTime<Utc>,
    /// The zone whose days the sparklines count; none: `alerts.timezone`, else the system's.
    pub timezone: Option<String>,
}
}

api_type! {
/// A headline on a topic's Overview card.
pub struct CardHeadline {
    pub article_id: Id,
    pub title: String,
    pub source: String,
    pub sort_at: DateTime<Utc>,
}
}

api_type! {
/// A topic on the Overview: what is new, its last 30 days, and whether it is unusually busy.
pub struct TopicCard {
    pub topic_id: Id,
    pub topic: String,
    /// Mentions a fetch flagged after the analyst's last visit (`since`).
    pub new_mentions: u32,
    /// Mentions per local day, the last 30 days, oldest first (today last).
    pub daily: Vec<u32>,
    /// "15 mentions in 1 d, usually 2" when the last 24 hours are unusually busy for the topic (the spike
    /// test of the alerts on the 14 days before, medium sensitivity, at least 5 mentions).
    pub spike: Option<String>,
    /// The three newest mentions.
    pub latest: Vec<CardHeadline>,
}
}

api_type! {
/// A source's articles per local day, the last 30 days (the Sources page's sparkline).
pub struct SourceActivity {
    pub source_id: Id,
    /// Articles per day by publication time (fetch time when the feed gave none), oldest first, today last.
    pub daily: Vec<u32>,
}
}
