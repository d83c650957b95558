//! The SQLite store: the only module that contains SQL.
//!
//! One writer connection behind a mutex (SQLite allows one writer at a time anyway) and a small pool of
//! reader connections; WAL lets readers run while the writer writes. Every connection gets `busy_timeout`
//! and `foreign_keys`; WAL is set once, when the database file is created. All methods are blocking: async
//! callers run them on `tokio::task::spawn_blocking`, never on a UI thread.
//!
//! This file opens the database, applies the migrations and owns the connections; each area's statements
//! live in a file of their own, each with its own `impl Store`: `sources`, `fetch` (due sources, the one
//! transaction per fetched source), `articles`, `clusters` (the window of recent fingerprints), `topics`,
//! `mentions`, `search` (prefilters, FTS5, bm25), `settings`, `alerts` (rules, the claims that make
//! an alert fire once, the inbox, deliveries and their attempts) and `reports` (a scope's articles, stars,
//! saved reports).

mod alerts;
mod analysis;
mod articles;
mod clusters;
mod fetch;
mod mentions;
pub mod migrations;
mod reports;
mod search;
mod settings;
mod sources;
mod topics;

pub use alerts::{
    AlertDraft, AttemptResult, LeasedDelivery, LoggedNews, NewsItem, NewsPass, NewsQuery, RuleRecord, RuleState,
    RuleTx, StoredRule,
};
pub use analysis::{unix_hour, Breakdown, CardCounts};
pub use articles::{ArticleKey, KnownArticle, NewArticle};
pub use clusters::ClusterHint;
pub use fetch::{FetchOk, SourceFetchState};
pub use mentions::{MentionOrigin, NewMention};
pub use reports::{ReportArticle, ReportSnapshot, ScopeFilter, StoredReport};
pub use search::{SearchFilter, Walk};
pub use sources::SourceRecord;
pub use topics::{CatchUp, StoredText};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection, OpenFlags, Row};

use self::clusters::ClusterWindow;
use crate::error::{Error, Result};
use crate::model::Overview;

const BUSY_TIMEOUT_MS: u64 = 5_000;
const MAX_READERS: usize = 4;
/// How much of the database file a connection maps (address space, not memory).
const MMAP_BYTES: u64 = 1 << 30;

/// A handle to the database. Cheap to clone; clones share the connections.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// The LSH index over the fingerprints of recent articles (see [`ClusterWindow`]); locked only while the
    /// writer is held.
    clusters: Mutex<Option<ClusterWindow>>,
}

/// Formats a time the way the store keeps it: RFC 3339, UTC, fixed microsecond precision, so that text
/// order is time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn parse_ts(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn get_ts(row: &Row<'_>, idx: &str) -> rusqlite::Result<DateTime<Utc>> {
    parse_ts(&row.get::<_, String>(idx)?)
}

fn get_opt_ts(row: &Row<'_>, idx: &str) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(idx)?.as_deref().map(parse_ts).transpose()
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    // What the FTS5 index holds for a title or a text (see `topics::prefilter::index_text`): the triggers
    // and the fetch's bulk insert call it, so every connection that writes articles needs it.
    conn.create_scalar_function(
        "mw_fts_text",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text: Option<String> = ctx.get(0)?;
            Ok(text.map(|t| crate::topics::prefilter::index_text(&t)))
        },
    )?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Reads through a memory map instead of a read() per page: the walks of the Analysis page and the
    // reports spent more time in system calls than in SQLite (150 ms → 51 ms for a topic's year at 200,000
    // articles, BENCHMARKS.md). The pages are the OS's file cache, shared, not the app's own memory.
    conn.execute_batch(&format!("PRAGMA mmap_size = {MMAP_BYTES};"))?;
    Ok(())
}

fn storage_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Storage(format!("cannot open the database at {}: {e}", path.display()))
}

impl Store {
    /// Opens (creating and migrating when needed) the database at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| storage_err(&path, e))?;
        }
        let existed = path.exists() && std::fs::metadata(&path).map(|m| m.len() > 0).unwrap_or(false);
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| storage_err(&path, e))?;
        configure(&conn).map_err(|e| storage_err(&path, e))?;
        // Reading the schema version also proves the file is a SQLite database.
        let version = migrations::current_version(&conn).map_err(|e| storage_err(&path, e))?;
        let pending = migrations::pending_from(version)?;
        if !existed {
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Storage(format!("could not switch {} to WAL (got {mode})", path.display())));
            }
        }
        if pending > 0 {
            if existed && version > 0 {
                let backup = path.with_extension(format!("v{version}.backup.db"));
                let _ = std::fs::remove_file(&backup);
                conn.execute("VACUUM INTO ?1", params![backup.to_string_lossy()])
                    .map_err(|e| Error::Storage(format!("backup before migrating failed: {e}")))?;
            }
            migrations::apply(&mut conn)?;
            // A migration rewrites whole tables into the WAL (470 MB for migration 10 at 200,000 articles),
            // and every later open would read the whole log to index it (16 ms became 200 ms): fold it into
            // the database now. Best effort: a reader elsewhere can hold it back; the next checkpoint then
            // does it.
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        Ok(Store {
            inner: Arc::new(Inner {
                path,
                writer: Mutex::new(conn),
                readers: Mutex::new(Vec::new()),
                clusters: Mutex::new(None),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    fn writer(&self) -> Result<MutexGuard<'_, Connection>> {
        self.inner.writer.lock().map_err(|_| Error::Internal("the database writer lock is poisoned".into()))
    }

    /// Runs `f` on a reader connection from the pool (opening one when the pool is empty).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = self.inner.readers.lock().ok().and_then(|mut p| p.pop());
        let conn = match pooled {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    &self.inner.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(|e| storage_err(&self.inner.path, e))?;
                configure(&c)?;
                c
            }
        };
        let out = f(&conn);
        if let Ok(mut pool) = self.inner.readers.lock() {
            if pool.len() < MAX_READERS {
                pool.push(conn);
            }
        }
        out
    }

    /// The counters of the Overview. Flagged articles are counted on `mentions_topic` (ids only), not on
    /// the mentions table, whose rows hold every span and snippet: 4× less to read (52 ms against 196 ms
    /// for 200,000 articles, cold).
    pub fn overview(&self) -> Result<Overview> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM topics),
                        (SELECT COUNT(DISTINCT article_id) FROM mentions INDEXED BY mentions_topic),
                        (SELECT COUNT(*) FROM sources WHERE consecutive_failures > 0),
                        (SELECT MAX(last_fetch_at) FROM sources)",
                [],
                |r| {
                    Ok(Overview {
                        sources: r.get(0)?,
                        articles: r.get(1)?,
                        topics: r.get(2)?,
                        flagged_articles: r.get(3)?,
                        failing_sources: r.get(4)?,
                        last_fetch_at: r.get::<_, Option<String>>(5)?.as_deref().map(parse_ts).transpose()?,
                        last_cycle: None,
                    })
                },
            )?)
        })
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Storage(e.to_string())
    }
}

#[cfg(test)]
mod tests;
