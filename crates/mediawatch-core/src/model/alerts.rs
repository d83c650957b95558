//! Alert rules, fired alerts (the inbox) and their deliveries; the settings and secrets that sending needs.
//! The JSON shapes are fixed by `../shared/design/CLI.md` ("Alerts").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::*;

api_type! {
#[derive(Copy, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    /// New mentions, one alert per rule per fetch cycle.
    Instant,
    /// Everything new between two scheduled times.
    Digest,
    /// The topic's count in a recent window is unusual against its own baseline.
    Spike,
}
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Instant => "instant",
            AlertKind::Digest => "digest",
            AlertKind::Spike => "spike",
        }
    }
}

api_type! {
#[derive(Copy, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DigestEvery {
    Hour,
    Day,
    Week,
}
}

api_type! {
#[derive(Copy, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SpikeSensitivity {
    Low,
    Medium,
    High,
}
}

api_type! {
/// When a digest rule fires: hourly at minute `at`'s minutes, daily at `at`, weekly on `day` at `at`, on the
/// clock of the IANA zone `tz`.
pub struct DigestSchedule {
    pub every: DigestEvery,
    /// "HH:MM"
    pub at: String,
    /// mon … sun (weekly digests)
    pub day: String,
    pub tz: String,
}
}

api_type! {
/// What a spike rule compares: the count in the last `window` against the same window on each day of the
/// last `baseline`.
pub struct SpikeSpec {
    /// A duration: "6h", "90m", "1d".
    pub window: String,
    pub baseline: String,
    pub min_count: u32,
    pub sensitivity: SpikeSensitivity,
}
}

api_type! {
/// An alert rule (`mediawatch alerts rules list --json`).
pub struct AlertRule {
    pub id: Id,
    pub name: String,
    pub topic: String,
    pub topic_id: Id,
    pub kind: AlertKind,
    /// `desktop`, `inbox`, `webhook:URL`, `ntfy:URL`, `email:ADDRESS`. Every alert is also kept in the inbox.
    pub channels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<DigestSchedule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spike: Option<SpikeSpec>,
    /// "HH:MM-HH:MM" on the rule's clock: alerts wait, then go out once.
    pub quiet: Option<String>,
    /// A duration: the least time between two alerts of this rule.
    pub min_interval: Option<String>,
    /// Syndicated copies of one story count once.
    pub new_stories_only: bool,
    pub paused: bool,
    pub created_at: DateTime<Utc>,
    pub last_fired_at: Option<DateTime<Utc>>,
    /// A webhook secret is stored for this rule (the secret itself never leaves the keyring).
    pub has_secret: bool,
}
}

api_type! {
/// A new rule, or the changes to one: on `edit`, what is `None` stays as it is; an empty `quiet`,
/// `min_interval` or `secret` clears it.
#[derive(Default)]
pub struct AlertRuleDraft {
    /// A topic's name or id.
    pub topic: Option<String>,
    pub kind: Option<AlertKind>,
    pub channels: Option<Vec<String>>,
    pub name: Option<String>,
    pub every: Option<DigestEvery>,
    pub at: Option<String>,
    pub day: Option<String>,
    pub tz: Option<String>,
    pub window: Option<String>,
    pub baseline: Option<String>,
    pub min_count: Option<u32>,
    pub sensitivity: Option<SpikeSensitivity>,
    pub quiet: Option<String>,
    pub min_interval: Option<String>,
    pub new_stories_only: Option<bool>,
    pub paused: Option<bool>,
    /// A webhook secret, `whsec_<base64>`; it goes to the keyring, never to the database.
    pub secret: Option<String>,
}
}

api_type! {
#[derive(Copy, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }
}

api_type! {
/// One channel's delivery of an alert.
pub struct AlertDelivery {
    pub id: Id,
    pub channel: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// When a pending delivery is tried next.
    pub next_attempt_at: Option<DateTime<Utc>>,
}
}

api_type! {
/// An article behind an alert.
pub struct AlertMention {
    pub article_id: Id,
    pub title: String,
    pub url: Option<String>,
    pub source: String,
    pub published: Option<DateTime<Utc>>,
    pub lang: Option<String>,
    pub snippet: String,
    /// The words that matched, as written in the article.
    pub terms: Vec<String>,
}
}

api_type! {
pub struct AlertWindow {
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}
}

api_type! {
/// A fired alert, as the inbox and `mediawatch alerts list --json` show it.
pub struct Alert {
    pub id: Id,
    pub rule_id: Option<Id>,
    pub rule: String,
    pub topic: String,
    pub kind: AlertKind,
    pub created_at: DateTime<Utc>,
    pub read: bool,
    /// A test alert sent from the rule's "test" (it covers no mentions).
    pub test: bool,
    pub summary: String,
    /// Mentions the alert covers (spike: in the window).
    pub count: u32,
    /// Spike: the usual count for the window; else null.
    pub baseline: Option<f64>,
    pub window: AlertWindow,
    pub mentions: Vec<AlertMention>,
    pub deliveries: Vec<AlertDelivery>,
}
}

api_type! {
#[derive(Default)]
pub struct AlertQuery {
    #[serde(default)]
    pub unread: bool,
    pub rule: Option<Id>,
    pub limit: Option<u32>,
}
}

api_type! {
/// What one evaluation of the rules and one round of deliveries did.
#[derive(Default)]
pub struct AlertsRun {
    /// Alerts fired (claimed and stored) in this round.
    pub fired: u32,
    pub delivered: u32,
    /// Deliveries that failed for good in this round (after their last attempt).
    pub failed: u32,
    /// Deliveries that wait for a retry, quiet hours or the desktop app.
    pub pending: u32,
    /// Rules that could not be evaluated, and why (the others went on).
    pub errors: Vec<String>,
}
}

api_type! {
/// A rule's test: what each channel answered.
pub struct ChannelOutcome {
    pub channel: String,
    pub ok: bool,
    pub error: Option<String>,
}
}

api_type! {
/// A day's mention count of a topic (the spike form's recent history).
pub struct DailyCount {
    /// YYYY-MM-DD in the rule's zone.
    pub day: String,
    pub count: u32,
}
}

api_type! {
/// What the spike form shows before a rule is saved: the topic's daily counts over the last 30 days and
/// when the rule would have fired in them.
pub struct SpikePreview {
    pub daily: Vec<DailyCount>,
    pub would_fire: Vec<SpikeFiring>,
}
}

api_type! {
pub struct SpikeFiring {
    pub at: DateTime<Utc>,
    pub count: u32,
    pub baseline: f64,
    pub summary: String,
}
}

api_type! {
/// A desktop notification the app shows for an alert.
pub struct DesktopNotice {
    pub alert_id: Id,
    pub title: String,
    pub body: String,
}
}
