//! Mediawatch's core library: everything an analyst can do, with no Tauri in it.
//!
//! The pipeline, one module an arrow:
//! `fetch` (network) → `parse` (feed bytes → items) → `store` (SQLite, the only SQL) → `topics` (flag
//! mentions). [`Mediawatch`] in `app` is the single API surface that the desktop shell and the CLI call.

pub mod app;
pub mod cluster;
pub mod dates;
pub mod decode;
pub mod discover;
pub mod entities;
pub mod error;
pub mod extract;
pub mod feed;
pub mod fetch;
pub mod lang;
pub mod model;
pub mod opml;
pub mod parse;
pub mod sanitize;
pub mod store;
pub mod topics;
pub mod urlnorm;

pub use app::{default_db_path, fetch_and_extract, fetch_and_parse_feed, parse_feed, FetchRequest, Mediawatch};
pub use error::{Error, ErrorBody, ErrorCode, QueryError, Result};
pub use tokio_util::sync::CancellationToken;
