//! A fetch cycle's progress and its summary.

use serde::{Deserialize, Serialize};

use super::*;

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
    /// What the alert rules did after the cycle (fired, delivered, failed, pending).
    #[serde(default)]
    pub alerts: AlertsRun,
}
}

api_type! {
/// What one fetch cycle did, as the Overview shows it ("the last fetch cycle").
pub struct FetchCycle {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// Sources fetched (answered, unchanged or failed).
    pub sources: u32,
    pub new_articles: u32,
    /// Sources that answered "not modified".
    pub not_modified: u32,
    /// Sources that failed.
    pub errors: u32,
    /// Mentions the cycle's new articles made (each article once per topic).
    pub new_mentions: u32,
    /// Alerts the rules fired after the cycle.
    pub alerts_fired: u32,
    /// The analyst (or the app quitting) stopped the cycle before every source was fetched.
    pub cancelled: bool,
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
