//! The domain types that cross the core's API: what the CLI prints and what the desktop UI receives.
//!
//! Every type here is plain data (serde), and derives `specta::Type` when the `specta` feature is on so the
//! Tauri shell can generate the UI's TypeScript bindings from it. Times are UTC and serialise as RFC 3339.
//!
//! One file an area; every type is re-exported here, so callers name `model::Source`, `model::Topic`, ...

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

mod alerts;
mod analysis;
mod articles;
mod fetch;
mod mentions;
mod reports;
mod sources;
mod topics;

pub use alerts::*;
pub use analysis::*;
pub use articles::*;
pub use fetch::*;
pub use mentions::*;
pub use reports::*;
pub use sources::*;
pub use topics::*;

api_type! {
/// The analyst's preferences that live in the database (`mediawatch settings` names them by key:
/// `remote_images`, `smtp.host`, `smtp.port`, `smtp.security`, `smtp.user`, `smtp.from`, `alerts.timezone`,
/// `alerts.news_max_age_days`, `fetch.interval_minutes`, `fetch.concurrency`, `fetch.user_agent`,
/// `fetch.proxy`).
pub struct Settings {
    /// Load pictures from the publishers' servers in the reader (off by default: a remote image tells the
    /// publisher that, and when, the article was read).
    pub remote_images: bool,
    /// The mail server alerts are sent through.
    pub smtp: SmtpSettings,
    /// The IANA zone of digests and quiet hours when a rule names none (`None`: the system's).
    pub alerts_timezone: Option<String>,
    /// Articles published more than this many days before they were stored are not news: they never alert.
    pub alerts_news_max_age_days: u32,
    /// How sources are fetched: the interval new sources get, how many at once, the User-Agent, the proxy.
    pub fetch: FetchSettings,
    /// Read only: the system's zone.
    #[serde(default)]
    pub system_timezone: String,
    /// Read only: where secrets are kept, and whether the SMTP password is set.
    #[serde(default)]
    pub secrets: SecretsInfo,
}
}

api_type! {
#[derive(Default)]
pub struct SmtpSettings {
    pub host: Option<String>,
    pub port: u16,
    /// none | starttls | tls
    pub security: String,
    pub user: Option<String>,
    pub from: Option<String>,
}
}

api_type! {
/// The fetch settings (`fetch.*`); a change applies to the next request, without a restart.
pub struct FetchSettings {
    /// The polling interval, in minutes, of a source added without one (by URL, OPML or the CLI); 30 unless set.
    pub interval_minutes: u32,
    /// Sources fetched at once in a cycle, and the most requests in flight at once to all hosts (1 to 32; 8).
    pub concurrency: u32,
    /// The User-Agent header sent to publishers (`None`: `default_user_agent`).
    pub user_agent: Option<String>,
    /// `None`: the environment's proxies (`HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`); `"none"`: connect directly
    /// even when the environment names a proxy; else the proxy every request goes through,
    /// `SCHEME://[user:password@]host[:port]` with the scheme `http`, `https`, `socks5` or `socks5h`.
    /// Webhook and ntfy alerts follow it too (e-mail does not).
    pub proxy: Option<String>,
    /// Read only: the built-in User-Agent.
    #[serde(default)]
    pub default_user_agent: String,
}
}

api_type! {
#[derive(Default)]
pub struct SecretsInfo {
    /// "keyring" (the OS keyring) or "file" (a file only the user can read, beside the database).
    pub backend: String,
    /// The file, with the "file" backend.
    pub path: Option<String>,
    pub smtp_password_set: bool,
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
    /// What the newest fetch cycle did (`None` before the first).
    #[serde(default)]
    pub last_cycle: Option<FetchCycle>,
}
}

api_type! {
/// What the settings page shows about where data lives.
pub struct AppInfo {
    pub version: String,
    pub database_path: String,
}
}
