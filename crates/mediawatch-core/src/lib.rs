//! Mediawatch's core library: everything an analyst can do, with no Tauri in it.
//!
//! The folders follow an article through the house:
//! [`ingest`] (fetch bytes, parse feeds and sitemaps) → [`articles`] (extract the text, its language, its
//! story) → [`store`] (SQLite, the only SQL) → [`topics`] (flag mentions) → [`alerts`] (rules, schedules,
//! spikes, and the sending of what fired) and [`reports`] (figures and the files analysts share). [`Mediawatch`] in [`app`] is the
//! single API surface that the desktop shell and the CLI call; [`model`] holds the types it speaks.
//! See ARCHITECTURE.md at the repository root.

pub mod alerts;
pub mod app;
pub mod articles;
pub mod error;
pub mod ingest;
pub mod model;
pub mod reports;
pub mod store;
pub mod topics;

pub use app::{default_db_path, fetch_and_extract, fetch_and_parse_feed, parse_feed, FetchRequest, Mediawatch};
pub use error::{Error, ErrorBody, ErrorCode, QueryError, Result};
pub use tokio_util::sync::CancellationToken;
