//! The SQLite store: the only module that contains SQL.
//!
//! One writer connection behind a mutex (SQLite allows one writer at a time anyway) and a small pool of
//! reader connections; WAL lets readers run while the writer writes. Every connection gets `busy_timeout`
//! and `foreign_keys`; WAL is set once, when the database file is created. All methods are blocking: async
//! callers run them on `tokio::task::spawn_blocking`, never on a UI thread.

pub mod migrations;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row};

use crate::cluster::{self, ClusterIndex, Fingerprint};
use crate::error::{Error, Result};
use crate::model::{
    ArticleCopy, ArticleDetail, FullTextMode, Id, MentionCursor, MentionQuery, MentionRow, NewTopic, Overview,
    Settings, Source, SourceHealth, SourceKind, SourceUpdate, Span, TextOrigin, Topic, TopicHit,
};
use crate::topics::prefilter::Prefilter;

const BUSY_TIMEOUT_MS: u64 = 5_000;
const MAX_READERS: usize = 4;

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

/// Syndicated copies appear within days of each other: only articles fetched in the last [`CLUSTER_WINDOW`]
/// are looked at for a new article's story. Their LSH index lives in memory (42 band keys per article: as
/// rows in a table, its upkeep doubled the writer's time per article), loaded from the stored fingerprints
/// on first use and again once a day (which also lets old articles out).
///
/// The search for a new text's closest story runs before the write, outside the single writer
/// ([`Store::cluster_hints`], called by the articles stage on the blocking pool); the write then only compares
/// the text with those added since (`recent`), so that copies fetched at the same moment by two sources
/// still meet.
struct ClusterWindow {
    index: ClusterIndex,
    /// Each indexed article's cluster and fingerprint (512 bytes a text), so that comparing a new text with
    /// its candidates reads no row.
    texts: HashMap<Id, (Id, Fingerprint), cluster::KeyHasher>,
    loaded_at: DateTime<Utc>,
    /// Texts added since the window was loaded, and the last few of them in order.
    generation: u64,
    recent: std::collections::VecDeque<(u64, Id)>,
}

/// Texts remembered in order for the write-time check of a [`ClusterHint`].
const RECENT_TEXTS: usize = 4096;

impl ClusterWindow {
    /// The closest story at or above `SAME_STORY` among the index's candidates: (similarity, cluster id).
    fn best_match(&self, fp: &Fingerprint) -> Option<(f64, Id)> {
        let (id, s) = self.index.best_match(fp, |id| self.texts.get(&id).map(|(_, f)| f))?;
        self.texts.get(&id).map(|(cluster_of, _)| (s, *cluster_of))
    }

    /// The best of `hint` and the texts added after it was computed; `None` when the hint is from another
    /// load of the window or older than the texts remembered in order.
    fn best_with_hint(&self, fp: &Fingerprint, hint: &ClusterHint) -> Option<Option<(f64, Id)>> {
        let oldest_known = self.generation.saturating_sub(self.recent.len() as u64);
        if hint.loaded_at != self.loaded_at || hint.generation < oldest_known {
            return None;
        }
        let mut best = hint.best;
        for (_, id) in self.recent.iter().filter(|(g, _)| *g > hint.generation) {
            let Some((other_cluster, other_fp)) = self.texts.get(id) else { continue };
            let s = cluster::similarity(fp, other_fp);
            if s >= cluster::SAME_STORY && best.is_none_or(|(b, _)| s > b) {
                best = Some((s, *other_cluster));
            }
        }
        Some(best)
    }

    fn add(&mut self, id: Id, cluster_of: Id, fp: &Fingerprint) {
        self.index.insert(id, fp);
        self.texts.insert(id, (cluster_of, fp.clone()));
        self.generation += 1;
        self.recent.push_back((self.generation, id));
        if self.recent.len() > RECENT_TEXTS {
            self.recent.pop_front();
        }
    }
}

/// A new text's closest story as the window stood when the articles stage looked (see [`ClusterWindow`]).
#[derive(Debug, Clone)]
pub struct ClusterHint {
    loaded_at: DateTime<Utc>,
    generation: u64,
    best: Option<(f64, Id)>,
}

const CLUSTER_WINDOW: chrono::Duration = chrono::Duration::days(14);
const CLUSTER_RELOAD: chrono::Duration = chrono::Duration::days(1);

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
    Ok(())
}

fn storage_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Storage(format!("cannot open the database at {}: {e}", path.display()))
}

/// A source about to be stored.
#[derive(Debug, Clone, Copy)]
pub struct SourceRecord<'a> {
    pub url: &'a str,
    pub name: &'a str,
    /// The name was not given by the analyst: the feed's title replaces it after the first fetch.
    pub name_is_default: bool,
    /// The folder the source is filed under ("News / Russia").
    pub group: Option<&'a str>,
    pub interval_minutes: u32,
    pub full_text: FullTextMode,
    pub kind: SourceKind,
}

/// Where an existing fetch state stands, for the fetch cycle.
#[derive(Debug, Clone)]
pub struct SourceFetchState {
    pub id: Id,
    pub url: String,
    pub name: String,
    pub name_is_default: bool,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub interval_minutes: u32,
    pub kind: SourceKind,
    pub full_text: FullTextMode,
}

/// An article about to be stored, with the topics that flag it.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub guid: Option<String>,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    pub summary: Option<String>,
    pub text: String,
    pub content_html: Option<String>,
    pub lang: Option<String>,
    pub image_url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub site_name: Option<String>,
    /// The article page's own canonical address (`<link rel=canonical>` on the same site), when read.
    pub canonical_url: Option<String>,
    pub text_origin: TextOrigin,
    pub extract_error: Option<String>,
    /// The body's fingerprint (`cluster::Fingerprint`), `None` for texts too short to have one.
    pub fingerprint: Option<Fingerprint>,
    /// The stored article this one replaces (seen again under the same GUID or URL, with changes).
    pub replaces: Option<Id>,
    /// Its closest story, looked up before the write ([`Store::cluster_hints`]); `None`: looked up at the write.
    pub cluster_hint: Option<ClusterHint>,
    pub mentions: Vec<NewMention>,
}

/// A stored article that a fetched item may be (same source and GUID, or same URL / canonical URL).
#[derive(Debug, Clone)]
pub struct KnownArticle {
    pub id: Id,
    pub source_id: Id,
    pub title: String,
    pub text: String,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub text_origin: TextOrigin,
}

/// How to recognise an item that may be stored already.
#[derive(Debug, Clone, Default)]
pub struct ArticleKey {
    pub guid: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewMention {
    pub topic_id: Id,
    pub spans: Vec<Span>,
    pub snippet: String,
    /// One sentence of context per span.
    pub snippets: Vec<String>,
}

impl NewMention {
    fn json(&self) -> Result<(String, String)> {
        let spans = serde_json::to_string(&self.spans).map_err(|e| Error::Internal(e.to_string()))?;
        let snippets = serde_json::to_string(&self.snippets).map_err(|e| Error::Internal(e.to_string()))?;
        Ok((spans, snippets))
    }
}

/// Matches the articles stored while a backfill ran (inside the write that saves the topic).
pub type CatchUp<'a> = dyn Fn(&[StoredText]) -> Vec<(Id, NewMention)> + 'a;

/// What a successful fetch changes on its source.
#[derive(Debug, Clone, Default)]
pub struct FetchOk {
    pub http_status: Option<u16>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The feed's own title, used as the source's name while the analyst has not named it.
    pub feed_title: Option<String>,
}

/// Builds the LSH index over the fingerprints of the articles fetched in the last [`CLUSTER_WINDOW`].
fn load_cluster_window(c: &Connection, now: DateTime<Utc>) -> Result<ClusterWindow> {
    let mut index = ClusterIndex::new();
    let mut texts = HashMap::with_hasher(cluster::KeyHasher);
    let mut st = c.prepare(
        "SELECT id, COALESCE(cluster_id, id), fingerprint FROM articles
         WHERE fingerprint IS NOT NULL AND fetched_at >= ?1 ORDER BY id",
    )?;
    let rows = st.query_map([ts(now - CLUSTER_WINDOW)], |r| {
        Ok((r.get::<_, Id>(0)?, r.get::<_, Id>(1)?, r.get::<_, Vec<u8>>(2)?))
    })?;
    for row in rows {
        let (id, cluster_id, bytes) = row?;
        if let Some(fp) = Fingerprint::from_bytes(&bytes) {
            index.insert(id, &fp);
            texts.insert(id, (cluster_id, fp));
        }
    }
    Ok(ClusterWindow { index, texts, loaded_at: now, generation: 0, recent: std::collections::VecDeque::new() })
}

/// An article as the backfill of a topic reads it.
#[derive(Debug, Clone)]
pub struct StoredText {
    pub id: Id,
    pub title: String,
    pub text: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub lang: Option<String>,
    pub source_id: Id,
    /// The source's name.
    pub source: String,
    pub published_at: Option<DateTime<Utc>>,
    pub sort_at: DateTime<Utc>,
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

    // ----- sources -----

    pub fn insert_source(
        &self,
        url: &str,
        name: &str,
        name_is_default: bool,
        interval: u32,
        now: DateTime<Utc>,
    ) -> Result<Source> {
        let record = SourceRecord {
            url,
            name,
            name_is_default,
            group: None,
            interval_minutes: interval,
            full_text: FullTextMode::Auto,
            kind: SourceKind::Feed,
        };
        self.insert_source_record(&record, now)
    }

    /// Adds a source with all its settings.
    pub fn insert_source_record(&self, record: &SourceRecord<'_>, now: DateTime<Utc>) -> Result<Source> {
        let SourceRecord { url, name, name_is_default, group, interval_minutes: interval, full_text, kind } = *record;
        let conn = self.writer()?;
        let exists: Option<Id> =
            conn.query_row("SELECT id FROM sources WHERE url = ?1", [url], |r| r.get(0)).optional()?;
        if exists.is_some() {
            return Err(Error::Conflict(format!("a source with the URL {url} exists already")));
        }
        conn.execute(
            "INSERT INTO sources (url, name, name_is_default, group_name, interval_minutes, full_text, kind, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![url, name, name_is_default, group, interval, full_text.as_str(), kind.as_str(), ts(now)],
        )?;
        let id = conn.last_insert_rowid();
        drop(conn);
        self.source(id)
    }

    const SOURCE_COLUMNS: &'static str = "s.id, s.url, s.name, s.group_name, s.enabled, s.interval_minutes, s.full_text, s.kind, s.created_at,
        s.last_fetch_at, s.last_success_at, s.last_error_code, s.last_error, s.last_http_status,
        s.consecutive_failures, s.next_fetch_at, (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) AS article_count";

    fn source_from_row(row: &Row<'_>) -> rusqlite::Result<Source> {
        Ok(Source {
            id: row.get("id")?,
            url: row.get("url")?,
            name: row.get("name")?,
            group: row.get("group_name")?,
            enabled: row.get("enabled")?,
            interval_minutes: row.get("interval_minutes")?,
            full_text: {
                let mode: String = row.get("full_text")?;
                FullTextMode::parse(&mode).unwrap_or_default()
            },
            kind: {
                let kind: String = row.get("kind")?;
                SourceKind::parse(&kind).unwrap_or_default()
            },
            created_at: get_ts(row, "created_at")?,
            health: SourceHealth {
                last_fetch_at: get_opt_ts(row, "last_fetch_at")?,
                last_success_at: get_opt_ts(row, "last_success_at")?,
                last_error_code: row.get("last_error_code")?,
                last_error: row.get("last_error")?,
                last_http_status: row.get("last_http_status")?,
                consecutive_failures: row.get("consecutive_failures")?,
                next_fetch_at: get_opt_ts(row, "next_fetch_at")?,
            },
            article_count: row.get("article_count")?,
        })
    }

    pub fn source(&self, id: Id) -> Result<Source> {
        self.read(|c| {
            c.query_row(
                &format!("SELECT {} FROM sources s WHERE s.id = ?1", Self::SOURCE_COLUMNS),
                [id],
                Self::source_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no source with id {id}")))
        })
    }

    pub fn list_sources(&self) -> Result<Vec<Source>> {
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "SELECT {} FROM sources s ORDER BY s.group_name IS NOT NULL, s.group_name COLLATE NOCASE, s.name COLLATE NOCASE, s.id",
                Self::SOURCE_COLUMNS
            ))?;
            let rows = st.query_map([], Self::source_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Changes a source's settings in one statement; fields left out stay as they are. Naming a source
    /// makes the name the analyst's (the feed's title no longer replaces it). A shorter interval brings
    /// the next fetch forward to the last fetch plus the new interval; a longer one takes effect after it.
    pub fn update_source(&self, id: Id, update: &SourceUpdate) -> Result<Source> {
        let current = self.source(id)?;
        let group = update.group.as_deref().map(str::trim);
        let next_fetch_at = match (update.interval_minutes, current.health.last_fetch_at, current.health.next_fetch_at)
        {
            (Some(minutes), Some(last), Some(next)) => {
                Some(next.min(last + chrono::Duration::minutes(i64::from(minutes))))
            }
            (_, _, next) => next,
        };
        let n = self.writer()?.execute(
            "UPDATE sources SET
                name = COALESCE(?2, name),
                name_is_default = CASE WHEN ?2 IS NULL THEN name_is_default ELSE 0 END,
                group_name = CASE WHEN ?3 IS NULL THEN group_name WHEN ?3 = '' THEN NULL ELSE ?3 END,
                interval_minutes = COALESCE(?4, interval_minutes),
                full_text = COALESCE(?5, full_text),
                enabled = COALESCE(?6, enabled),
                next_fetch_at = ?7
             WHERE id = ?1",
            params![
                id,
                update.name.as_deref(),
                group,
                update.interval_minutes,
                update.full_text.map(FullTextMode::as_str),
                update.enabled,
                next_fetch_at.map(ts),
            ],
        )?;
        if n == 0 {
            return Err(Error::NotFound(format!("no source with id {id}")));
        }
        self.source(id)
    }

    /// Which of these article URLs are stored already (under any source).
    pub fn known_article_urls(&self, urls: &[String]) -> Result<std::collections::HashSet<String>> {
        self.read(|c| {
            let mut st = c.prepare_cached("SELECT 1 FROM articles WHERE url = ?1")?;
            let mut known = std::collections::HashSet::new();
            for url in urls {
                if st.exists([url])? {
                    known.insert(url.clone());
                }
            }
            Ok(known)
        })
    }

    /// The id of the source with this URL, if any.
    pub fn source_id_by_url(&self, url: &str) -> Result<Option<Id>> {
        self.read(|c| Ok(c.query_row("SELECT id FROM sources WHERE url = ?1", [url], |r| r.get(0)).optional()?))
    }

    /// Whether a source with this URL exists.
    pub fn source_url_exists(&self, url: &str) -> Result<bool> {
        self.read(|c| Ok(c.prepare_cached("SELECT 1 FROM sources WHERE url = ?1")?.exists([url])?))
    }

    /// Removes a source and, with it, its articles and their mentions.
    pub fn remove_source(&self, id: Id) -> Result<()> {
        let n = self.writer()?.execute("DELETE FROM sources WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound(format!("no source with id {id}")));
        }
        Ok(())
    }

    /// The analyst's preferences (defaults for what was never set).
    pub fn settings(&self) -> Result<Settings> {
        self.read(|c| {
            let remote: Option<String> =
                c.query_row("SELECT value FROM settings WHERE key = 'remote_images'", [], |r| r.get(0)).optional()?;
            Ok(Settings { remote_images: remote.as_deref() == Some("true") })
        })
    }

    pub fn save_settings(&self, settings: &Settings, now: DateTime<Utc>) -> Result<Settings> {
        self.writer()?.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES ('remote_images', ?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            params![if settings.remote_images { "true" } else { "false" }, ts(now)],
        )?;
        self.settings()
    }

    /// The sources a fetch cycle should visit: one source, all enabled ones, or the enabled ones that are due.
    pub fn sources_to_fetch(&self, only: Option<Id>, all: bool, now: DateTime<Utc>) -> Result<Vec<SourceFetchState>> {
        self.read(|c| {
            let map = |r: &Row<'_>| {
                Ok(SourceFetchState {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    name: r.get(2)?,
                    name_is_default: r.get(3)?,
                    etag: r.get(4)?,
                    last_modified: r.get(5)?,
                    interval_minutes: r.get(6)?,
                    kind: SourceKind::parse(&r.get::<_, String>(7)?).unwrap_or_default(),
                    full_text: FullTextMode::parse(&r.get::<_, String>(8)?).unwrap_or_default(),
                })
            };
            let cols = "id, url, name, name_is_default, etag, last_modified, interval_minutes, kind, full_text";
            let rows = if let Some(id) = only {
                let mut st = c.prepare(&format!("SELECT {cols} FROM sources WHERE id = ?1"))?;
                let rows = st.query_map([id], map)?.collect::<rusqlite::Result<Vec<_>>>()?;
                if rows.is_empty() {
                    return Err(Error::NotFound(format!("no source with id {id}")));
                }
                if rows.iter().any(|r| r.kind == SourceKind::Import) {
                    return Err(Error::InvalidInput(format!(
                        "source {id} holds imported articles: it has no feed to fetch"
                    )));
                }
                rows
            } else if all {
                let mut st = c.prepare(&format!("SELECT {cols} FROM sources WHERE enabled AND kind <> 'page' ORDER BY id"))?;
                let rows = st.query_map([], map)?.collect::<rusqlite::Result<Vec<_>>>()?;
                rows
            } else {
                let mut st = c.prepare(&format!(
                    "SELECT {cols} FROM sources WHERE enabled AND kind <> 'page' AND (next_fetch_at IS NULL OR next_fetch_at <= ?1) ORDER BY id"
                ))?;
                let rows = st.query_map([ts(now)], map)?.collect::<rusqlite::Result<Vec<_>>>()?;
                rows
            };
            Ok(rows)
        })
    }

    /// The stored articles that fetched items may be, one answer per key: the same source and GUID first,
    /// then the same URL or canonical URL under any source.
    pub fn known_articles(&self, source_id: Id, keys: &[ArticleKey]) -> Result<Vec<Option<KnownArticle>>> {
        const COLUMNS: &str = "id, source_id, title, text, author, published_at, text_origin";
        fn known(r: &Row<'_>) -> rusqlite::Result<KnownArticle> {
            Ok(KnownArticle {
                id: r.get("id")?,
                source_id: r.get("source_id")?,
                title: r.get("title")?,
                text: r.get("text")?,
                author: r.get("author")?,
                published_at: get_opt_ts(r, "published_at")?,
                text_origin: TextOrigin::parse(&r.get::<_, String>("text_origin")?),
            })
        }
        // Two statements for the whole fetch (the keys as JSON arrays), not two per item.
        let json = |v: Vec<&str>| serde_json::to_string(&v).map_err(|e| Error::Internal(e.to_string()));
        let guids = json(keys.iter().filter_map(|k| k.guid.as_deref()).collect())?;
        let urls = json(keys.iter().filter_map(|k| k.url.as_deref()).collect())?;
        self.read(|c| {
            let mut by_guid: HashMap<String, KnownArticle> = HashMap::new();
            let mut st = c.prepare_cached(&format!(
                "SELECT guid AS key, {COLUMNS} FROM articles
                 WHERE source_id = ?1 AND guid IS NOT NULL AND guid IN (SELECT value FROM json_each(?2))"
            ))?;
            for row in st.query_map(params![source_id, guids], |r| Ok((r.get::<_, String>("key")?, known(r)?)))? {
                let (key, a) = row?;
                by_guid.entry(key).or_insert(a);
            }
            let mut by_url: HashMap<String, KnownArticle> = HashMap::new();
            let mut st = c.prepare_cached(&format!(
                "SELECT url AS key, {COLUMNS} FROM articles
                 WHERE url IS NOT NULL AND url IN (SELECT value FROM json_each(?1))
                 UNION ALL
                 SELECT canonical_url AS key, {COLUMNS} FROM articles
                 WHERE canonical_url IS NOT NULL AND canonical_url IN (SELECT value FROM json_each(?1))"
            ))?;
            for row in st.query_map([urls], |r| Ok((r.get::<_, String>("key")?, known(r)?)))? {
                let (key, a) = row?;
                by_url.entry(key).or_insert(a);
            }
            Ok(keys
                .iter()
                .map(|k| {
                    k.guid
                        .as_ref()
                        .and_then(|g| by_guid.get(g))
                        .or_else(|| k.url.as_ref().and_then(|u| by_url.get(u)))
                        .cloned()
                })
                .collect())
        })
    }

    /// Runs `f` on the cluster window, (re)loading it through `conn` first when it is missing or a day old.
    fn with_window<T>(
        &self,
        conn: &Connection,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut ClusterWindow) -> T,
    ) -> Result<T> {
        let mut clusters =
            self.inner.clusters.lock().map_err(|_| Error::Internal("cluster index lock poisoned".into()))?;
        if clusters.as_ref().is_none_or(|w| now - w.loaded_at > CLUSTER_RELOAD || w.loaded_at > now) {
            *clusters = Some(load_cluster_window(conn, now)?);
        }
        Ok(f(clusters.as_mut().expect("loaded above")))
    }

    /// The closest recent story of each fingerprint (see [`ClusterWindow`]): the expensive part of clustering,
    /// done here so that the write, under the single writer, only has to look at the texts added since.
    pub fn cluster_hints(
        &self,
        fingerprints: &[Option<&Fingerprint>],
        now: DateTime<Utc>,
    ) -> Result<Vec<Option<ClusterHint>>> {
        let mut clusters =
            self.inner.clusters.lock().map_err(|_| Error::Internal("cluster index lock poisoned".into()))?;
        if clusters.as_ref().is_none_or(|w| now - w.loaded_at > CLUSTER_RELOAD || w.loaded_at > now) {
            *clusters = Some(self.read(|c| load_cluster_window(c, now))?);
        }
        let window = clusters.as_ref().expect("loaded above");
        Ok(fingerprints
            .iter()
            .map(|fp| {
                fp.map(|fp| ClusterHint {
                    loaded_at: window.loaded_at,
                    generation: window.generation,
                    best: window.best_match(fp),
                })
            })
            .collect())
    }

    /// Stores a successful fetch in one transaction: the new articles (those not already stored under the
    /// same GUID for this source, or the same URL or canonical URL anywhere), the changes to articles seen
    /// again (`replaces`), their mentions, story clusters, and the source's health. Returns the number of new
    /// articles.
    pub fn save_fetch(
        &self,
        source_id: Id,
        ok: &FetchOk,
        articles: &[NewArticle],
        now: DateTime<Utc>,
        next_fetch: DateTime<Utc>,
    ) -> Result<u32> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        let mut added = 0u32;
        // Rowids only grow under the single writer: what this transaction inserts lies above this.
        let last_before: Id = tx.query_row("SELECT COALESCE(MAX(id), 0) FROM articles", [], |r| r.get(0))?;
        {
            let mut by_guid = tx.prepare_cached("SELECT 1 FROM articles WHERE source_id = ?1 AND guid = ?2")?;
            let mut by_url = tx.prepare_cached(
                "SELECT 1 FROM articles WHERE url = ?1 UNION ALL SELECT 1 FROM articles WHERE canonical_url = ?1",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO articles (source_id, guid, url, title, author, summary, text, content_html, lang,
                                       published_at, fetched_at, sort_at, image_url, site_name, canonical_url,
                                       text_origin, extract_error, fingerprint, cluster_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE articles SET title = ?2, author = ?3, summary = ?4, text = ?5, content_html = ?6, lang = ?7,
                        published_at = ?8, sort_at = ?9, image_url = COALESCE(?10, image_url),
                        site_name = COALESCE(?11, site_name), canonical_url = COALESCE(?12, canonical_url),
                        text_origin = ?13, extract_error = ?14, fingerprint = ?15, updated_at = ?16
                 WHERE id = ?1",
            )?;
            // A topic that still flags a changed article keeps its first flagging time.
            let mut stale_mentions = tx.prepare_cached(
                "DELETE FROM mentions WHERE article_id = ?1 AND topic_id NOT IN (SELECT value FROM json_each(?2))",
            )?;
            let mut mention = tx.prepare_cached(
                "INSERT INTO mentions (article_id, topic_id, spans, snippet, snippets, flagged_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (article_id, topic_id) DO UPDATE
                 SET spans = excluded.spans, snippet = excluded.snippet, snippets = excluded.snippets",
            )?;
            // The window is locked per article, not for the whole write: the articles stage of other sources
            // looks up its closest stories meanwhile (`cluster_hints`).
            self.with_window(&tx, now, |_| ())?;
            for a in articles {
                // A published time in the future (a wrong clock, a wrong zone) must not pin an article on top.
                let sort_at = a.published_at.map_or(now, |p| p.min(now));
                let fingerprint = a.fingerprint.as_ref().map(Fingerprint::to_bytes);
                let (article_id, cluster_of) = if let Some(id) = a.replaces {
                    // Its old fingerprint leaves the index; the cluster it is in stays (a corrected copy is
                    // still a copy).
                    let removed = self.with_window(&tx, now, |window| {
                        let old = window.texts.remove(&id);
                        if let Some((_, old)) = &old {
                            window.index.remove(id, old);
                        }
                        old
                    })?;
                    let cluster_of = match removed {
                        Some((cluster_of, _)) => cluster_of,
                        None => tx
                            .query_row("SELECT COALESCE(cluster_id, id) FROM articles WHERE id = ?1", [id], |r| {
                                r.get(0)
                            })
                            .optional()?
                            .unwrap_or(id),
                    };
                    update.execute(params![
                        id,
                        a.title,
                        a.author,
                        a.summary,
                        a.text,
                        a.content_html,
                        a.lang,
                        a.published_at.map(ts),
                        ts(sort_at),
                        a.image_url,
                        a.site_name,
                        a.canonical_url,
                        a.text_origin.as_str(),
                        a.extract_error,
                        fingerprint,
                        ts(now),
                    ])?;
                    let topics: Vec<Id> = a.mentions.iter().map(|m| m.topic_id).collect();
                    let topics = serde_json::to_string(&topics).map_err(|e| Error::Internal(e.to_string()))?;
                    stale_mentions.execute(params![id, topics])?;
                    (id, cluster_of)
                } else {
                    if let Some(g) = &a.guid {
                        if by_guid.exists(params![source_id, g])? {
                            continue;
                        }
                    }
                    let mut seen = false;
                    for u in [&a.url, &a.canonical_url].into_iter().flatten() {
                        seen |= by_url.exists([u])?;
                    }
                    if seen {
                        continue;
                    }
                    // The story's cluster: that of the most similar recent text at or above SAME_STORY (NULL:
                    // its own, the article's id; decided before the insert so the row is written once).
                    let cluster_id: Option<Id> = match &a.fingerprint {
                        Some(fp) => self.with_window(&tx, now, |window| {
                            let hinted = a.cluster_hint.as_ref().and_then(|h| window.best_with_hint(fp, h));
                            hinted.unwrap_or_else(|| window.best_match(fp)).map(|(_, c)| c)
                        })?,
                        None => None,
                    };
                    insert.execute(params![
                        source_id,
                        a.guid,
                        a.url,
                        a.title,
                        a.author,
                        a.summary,
                        a.text,
                        a.content_html,
                        a.lang,
                        a.published_at.map(ts),
                        ts(now),
                        ts(sort_at),
                        a.image_url,
                        a.site_name,
                        a.canonical_url,
                        a.text_origin.as_str(),
                        a.extract_error,
                        fingerprint,
                        cluster_id,
                    ])?;
                    let id = tx.last_insert_rowid();
                    let cluster_id = cluster_id.unwrap_or(id);
                    added += 1;
                    (id, cluster_id)
                };
                if let Some(fp) = &a.fingerprint {
                    self.with_window(&tx, now, |window| window.add(article_id, cluster_of, fp))?;
                }
                for m in &a.mentions {
                    let (spans, snippets) = m.json()?;
                    mention.execute(params![article_id, m.topic_id, spans, m.snippet, snippets, ts(now)])?;
                }
            }
        }
        if added > 0 {
            // One FTS5 statement for the whole fetch (see migration 2); updates go through their trigger.
            tx.execute(
                "INSERT INTO articles_fts(rowid, title, text)
                 SELECT id, mw_fts_text(title), mw_fts_text(text) FROM articles WHERE id > ?1",
                [last_before],
            )?;
        }
        tx.execute(
            "UPDATE sources SET
                etag = COALESCE(?2, etag), last_modified = COALESCE(?3, last_modified),
                last_fetch_at = ?4, last_success_at = ?4, last_error_code = NULL, last_error = NULL,
                last_http_status = ?5, consecutive_failures = 0, next_fetch_at = ?6,
                name = CASE WHEN name_is_default AND ?7 IS NOT NULL AND ?7 <> '' THEN ?7 ELSE name END
             WHERE id = ?1",
            params![source_id, ok.etag, ok.last_modified, ts(now), ok.http_status, ts(next_fetch), ok.feed_title],
        )?;
        tx.commit()?;
        Ok(added)
    }

    /// Records a `304 Not Modified`: a success that stores nothing new.
    pub fn save_not_modified(&self, source_id: Id, now: DateTime<Utc>, next_fetch: DateTime<Utc>) -> Result<()> {
        self.writer()?.execute(
            "UPDATE sources SET last_fetch_at = ?2, last_success_at = ?2, last_error_code = NULL, last_error = NULL,
                last_http_status = 304, consecutive_failures = 0, next_fetch_at = ?3 WHERE id = ?1",
            params![source_id, ts(now), ts(next_fetch)],
        )?;
        Ok(())
    }

    /// Records a failed fetch on its source; stored articles are untouched. Returns the consecutive failures.
    pub fn save_fetch_error(
        &self,
        source_id: Id,
        code: &str,
        message: &str,
        http_status: Option<u16>,
        now: DateTime<Utc>,
        next_fetch: DateTime<Utc>,
    ) -> Result<()> {
        self.writer()?.execute(
            "UPDATE sources SET last_fetch_at = ?2, last_error_code = ?3, last_error = ?4, last_http_status = ?5,
                consecutive_failures = consecutive_failures + 1, next_fetch_at = ?6 WHERE id = ?1",
            params![source_id, ts(now), code, message, http_status, ts(next_fetch)],
        )?;
        Ok(())
    }

    /// The earliest time an enabled source is due (`Some(now-ish)` for never-fetched ones), `None` when
    /// there are no enabled sources.
    pub fn next_due_at(&self) -> Result<Option<DateTime<Utc>>> {
        self.read(|c| {
            let (count, never, earliest): (i64, i64, Option<String>) = c.query_row(
                "SELECT COUNT(*), COALESCE(SUM(next_fetch_at IS NULL), 0), MIN(next_fetch_at) FROM sources WHERE enabled AND kind <> 'page'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if count == 0 {
                return Ok(None);
            }
            if never > 0 {
                return Ok(Some(DateTime::<Utc>::MIN_UTC));
            }
            Ok(earliest.as_deref().map(parse_ts).transpose()?)
        })
    }

    pub fn consecutive_failures(&self, source_id: Id) -> Result<u32> {
        self.read(|c| {
            Ok(c.query_row("SELECT consecutive_failures FROM sources WHERE id = ?1", [source_id], |r| r.get(0))?)
        })
    }

    // ----- topics -----

    fn topic_from_row(row: &Row<'_>) -> rusqlite::Result<Topic> {
        Ok(Topic {
            id: row.get("id")?,
            name: row.get("name")?,
            query: row.get("query")?,
            description: row.get("description")?,
            stem: row.get("stem")?,
            created_at: get_ts(row, "created_at")?,
            mention_count: row.get("mention_count")?,
            query_error: None,
        })
    }

    const TOPIC_COLUMNS: &'static str = "t.id, t.name, t.query, t.description, t.stem, t.created_at,
        (SELECT COUNT(*) FROM mentions m WHERE m.topic_id = t.id) AS mention_count";

    /// Adds a topic (`id: None`) or replaces a topic's name, query and options (`id: Some`), together with
    /// its backfilled mentions, in one transaction. `scanned_through` is the last article id the backfill
    /// saw: `catch_up` matches the articles stored since, inside the transaction, so none is missed. An
    /// edited topic keeps the first flagging time of the articles it still flags and drops the others.
    pub fn save_topic(
        &self,
        id: Option<Id>,
        topic: &NewTopic,
        mentions: &[(Id, NewMention)],
        scanned_through: Id,
        catch_up: &CatchUp<'_>,
        now: DateTime<Utc>,
    ) -> Result<Topic> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        let same_name: Option<Id> =
            tx.query_row("SELECT id FROM topics WHERE name = ?1", [&topic.name], |r| r.get(0)).optional()?;
        if same_name.is_some() && same_name != id {
            return Err(Error::Conflict(format!("a topic named '{}' exists already", topic.name)));
        }
        let id = match id {
            None => {
                tx.execute(
                    "INSERT INTO topics (name, query, description, stem, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                    params![topic.name, topic.query, topic.description, topic.stem, ts(now)],
                )?;
                tx.last_insert_rowid()
            }
            Some(id) => {
                let n = tx.execute(
                    "UPDATE topics SET name = ?2, query = ?3, description = ?4, stem = ?5, updated_at = ?6 WHERE id = ?1",
                    params![id, topic.name, topic.query, topic.description, topic.stem, ts(now)],
                )?;
                if n == 0 {
                    return Err(Error::NotFound(format!("no topic with id {id}")));
                }
                id
            }
        };
        let late = Self::texts_after(&tx, scanned_through)?;
        let late_mentions = catch_up(&late);
        {
            let mut keep = Vec::with_capacity(mentions.len() + late_mentions.len());
            let mut st = tx.prepare_cached(
                "INSERT INTO mentions (article_id, topic_id, spans, snippet, snippets, flagged_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (article_id, topic_id) DO UPDATE
                 SET spans = excluded.spans, snippet = excluded.snippet, snippets = excluded.snippets",
            )?;
            for (article_id, m) in mentions.iter().chain(&late_mentions) {
                let (spans, snippets) = m.json()?;
                st.execute(params![article_id, id, spans, m.snippet, snippets, ts(now)])?;
                keep.push(*article_id);
            }
            let keep = serde_json::to_string(&keep).map_err(|e| Error::Internal(e.to_string()))?;
            tx.execute(
                "DELETE FROM mentions WHERE topic_id = ?1 AND article_id NOT IN (SELECT value FROM json_each(?2))",
                params![id, keep],
            )?;
        }
        tx.commit()?;
        drop(conn);
        self.topic(id)
    }

    /// Every article stored after `after_id` (the catch-up of a backfill).
    fn texts_after(c: &Connection, after_id: Id) -> Result<Vec<StoredText>> {
        let mut st = c.prepare_cached(&format!("{} WHERE a.id > ?1 ORDER BY a.id", Self::STORED_TEXT))?;
        let rows = st.query_map([after_id], Self::stored_text)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn topic(&self, id: Id) -> Result<Topic> {
        self.read(|c| {
            c.query_row(
                &format!("SELECT {} FROM topics t WHERE t.id = ?1", Self::TOPIC_COLUMNS),
                [id],
                Self::topic_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no topic with id {id}")))
        })
    }

    pub fn topic_id_by_name(&self, name: &str) -> Result<Option<Id>> {
        self.read(|c| Ok(c.query_row("SELECT id FROM topics WHERE name = ?1", [name], |r| r.get(0)).optional()?))
    }

    pub fn list_topics(&self) -> Result<Vec<Topic>> {
        self.read(|c| {
            let mut st =
                c.prepare(&format!("SELECT {} FROM topics t ORDER BY t.name COLLATE NOCASE", Self::TOPIC_COLUMNS))?;
            let rows = st.query_map([], Self::topic_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// The enabled topics' `(id, query, stem)`, to compile the matcher.
    pub fn topic_queries(&self) -> Result<Vec<(Id, String, bool)>> {
        self.read(|c| {
            let mut st = c.prepare("SELECT id, query, stem FROM topics WHERE enabled ORDER BY id")?;
            let rows =
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    pub fn remove_topic(&self, id: Id) -> Result<()> {
        let n = self.writer()?.execute("DELETE FROM topics WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound(format!("no topic with id {id}")));
        }
        Ok(())
    }

    // ----- articles and mentions -----

    const STORED_TEXT: &'static str =
        "SELECT a.id, a.title, a.text, a.url, a.author, a.lang, a.source_id, s.name AS source,
        a.published_at, a.sort_at FROM articles a JOIN sources s ON s.id = a.source_id";

    fn stored_text(r: &Row<'_>) -> rusqlite::Result<StoredText> {
        Ok(StoredText {
            id: r.get("id")?,
            title: r.get("title")?,
            text: r.get("text")?,
            url: r.get("url")?,
            author: r.get("author")?,
            lang: r.get("lang")?,
            source_id: r.get("source_id")?,
            source: r.get("source")?,
            published_at: get_opt_ts(r, "published_at")?,
            sort_at: get_ts(r, "sort_at")?,
        })
    }

    /// The SQL condition (on `articles a`) of a topic prefilter, and its parameters.
    fn prefilter_sql(p: &Prefilter, params: &mut Vec<String>) -> String {
        match p {
            Prefilter::All => "1".into(),
            Prefilter::Fts(m) => {
                params.push(m.clone());
                format!("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?{})", params.len())
            }
            Prefilter::And(items) | Prefilter::Or(items) => {
                let sep = if matches!(p, Prefilter::And(_)) { " AND " } else { " OR " };
                let parts: Vec<String> = items.iter().map(|i| Self::prefilter_sql(i, params)).collect();
                format!("({})", parts.join(sep))
            }
        }
    }

    /// The highest article id stored (0 when none).
    pub fn max_article_id(&self) -> Result<Id> {
        self.read(|c| Ok(c.query_row("SELECT COALESCE(MAX(id), 0) FROM articles", [], |r| r.get(0))?))
    }

    /// How many stored articles pass a topic prefilter.
    pub fn prefilter_count(&self, p: &Prefilter) -> Result<u32> {
        self.read(|c| {
            let mut params = Vec::new();
            let cond = Self::prefilter_sql(p, &mut params);
            let sql = format!("SELECT COUNT(*) FROM articles a WHERE {cond}");
            Ok(c.query_row(&sql, rusqlite::params_from_iter(params.iter()), |r| r.get(0))?)
        })
    }

    /// Stored articles that pass a prefilter, in id order after `after_id`, `limit` at a time (keyset): the
    /// candidates of a backfill or a preview.
    pub fn prefiltered_texts(&self, p: &Prefilter, after_id: Id, limit: u32) -> Result<Vec<StoredText>> {
        self.read(|c| {
            let mut params = vec![after_id.to_string(), limit.to_string()];
            let cond = Self::prefilter_sql(p, &mut params);
            let sql = format!(
                "{} WHERE a.id > CAST(?1 AS INTEGER) AND {cond} ORDER BY a.id LIMIT CAST(?2 AS INTEGER)",
                Self::STORED_TEXT
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st
                .query_map(rusqlite::params_from_iter(params.iter()), Self::stored_text)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Stored articles that pass a prefilter, newest first (keyset on `(sort_at, id)` before `before`),
    /// within `since..until`: the candidates of a search page.
    pub fn prefiltered_newest(
        &self,
        p: &Prefilter,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        before: Option<&MentionCursor>,
        limit: u32,
    ) -> Result<Vec<StoredText>> {
        self.read(|c| {
            let (before_at, before_id) = match before {
                Some(cur) => (Some(ts(cur.sort_at)), Some(cur.article_id.to_string())),
                None => (None, None),
            };
            let mut params: Vec<Option<String>> =
                vec![since.map(ts), until.map(ts), before_at, before_id, Some(limit.to_string())];
            let mut fparams = Vec::new();
            let cond = Self::prefilter_sql(p, &mut fparams);
            // The prefilter's parameters come after the five fixed ones.
            let cond = renumber(&cond, 5);
            params.extend(fparams.into_iter().map(Some));
            let sql = format!(
                "{} WHERE (?1 IS NULL OR a.sort_at >= ?1) AND (?2 IS NULL OR a.sort_at < ?2)
                   AND (?3 IS NULL OR (a.sort_at, a.id) < (?3, CAST(?4 AS INTEGER))) AND {cond}
                 ORDER BY a.sort_at DESC, a.id DESC LIMIT CAST(?5 AS INTEGER)",
                Self::STORED_TEXT
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st
                .query_map(rusqlite::params_from_iter(params.iter()), Self::stored_text)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// bm25 scores (lower is better, as SQLite reports them) of articles for an FTS5 expression.
    pub fn bm25(&self, fts: &str, ids: &[Id]) -> Result<HashMap<Id, f64>> {
        self.read(|c| {
            let ids = serde_json::to_string(ids).map_err(|e| Error::Internal(e.to_string()))?;
            let mut st = c.prepare_cached(
                "SELECT rowid, bm25(articles_fts) FROM articles_fts
                 WHERE articles_fts MATCH ?1 AND rowid IN (SELECT value FROM json_each(?2))",
            )?;
            let rows = st
                .query_map(params![fts, ids], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<HashMap<Id, f64>>>()?;
            Ok(rows)
        })
    }

    fn hits_for(c: &Connection, article_id: Id, topic: Option<Id>) -> Result<Vec<TopicHit>> {
        let mut st = c.prepare_cached(
            "SELECT m.topic_id, t.name, m.spans, m.snippets FROM mentions m JOIN topics t ON t.id = m.topic_id
             WHERE m.article_id = ?1 AND (?2 IS NULL OR m.topic_id = ?2) ORDER BY t.name COLLATE NOCASE",
        )?;
        let rows = st
            .query_map(params![article_id, topic], |r| {
                Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(topic_id, topic, spans, snippets)| {
                let corrupt = |e: serde_json::Error| {
                    Error::Storage(format!("mention of article {article_id} by topic {topic_id} is corrupt: {e}"))
                };
                let spans: Vec<Span> = serde_json::from_str(&spans).map_err(corrupt)?;
                let snippets: Vec<String> = serde_json::from_str(&snippets).map_err(corrupt)?;
                Ok(TopicHit { topic_id, topic, spans, snippets })
            })
            .collect()
    }

    /// Flagged articles, newest first (by published time, else fetch time), one row per article with every
    /// topic that flagged it. Keyset pagination through `query.before`.
    pub fn mentions(&self, query: &MentionQuery) -> Result<Vec<MentionRow>> {
        self.read(|c| {
            let topic_id: Option<Id> = match &query.topic {
                Some(name) => Some(
                    c.query_row("SELECT id FROM topics WHERE name = ?1", [name], |r| r.get(0))
                        .optional()?
                        .ok_or_else(|| Error::NotFound(format!("no topic named '{name}'")))?,
                ),
                None => None,
            };
            let limit = query.limit.unwrap_or(50).clamp(1, 1000);
            let (before_at, before_id) = match &query.before {
                Some(cur) => (Some(ts(cur.sort_at)), Some(cur.article_id)),
                None => (None, None),
            };
            let mut st = c.prepare_cached(
                "SELECT a.id, a.title, a.url, a.source_id, s.name AS source, a.published_at, a.fetched_at, a.sort_at,
                        (SELECT MIN(m.flagged_at) FROM mentions m WHERE m.article_id = a.id) AS flagged_at,
                        (SELECT m.snippet FROM mentions m WHERE m.article_id = a.id AND (?1 IS NULL OR m.topic_id = ?1)
                          ORDER BY m.flagged_at LIMIT 1) AS snippet,
                        (SELECT COUNT(DISTINCT c.source_id) FROM articles c
                          WHERE (c.cluster_id = COALESCE(a.cluster_id, a.id) OR c.id = COALESCE(a.cluster_id, a.id))
                            AND c.source_id <> a.source_id) AS other_outlets
                 FROM articles a JOIN sources s ON s.id = a.source_id
                 WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id AND (?1 IS NULL OR m.topic_id = ?1))
                   AND (?2 IS NULL OR a.sort_at >= ?2)
                   AND (?3 IS NULL OR a.sort_at < ?3)
                   AND (?4 IS NULL OR (a.sort_at, a.id) < (?4, ?5))
                 ORDER BY a.sort_at DESC, a.id DESC
                 LIMIT ?6",
            )?;
            let rows = st
                .query_map(
                    params![topic_id, query.since.map(ts), query.until.map(ts), before_at, before_id, limit],
                    |r| {
                        Ok(MentionRow {
                            article_id: r.get("id")?,
                            title: r.get("title")?,
                            url: r.get("url")?,
                            source_id: r.get("source_id")?,
                            source: r.get("source")?,
                            published_at: get_opt_ts(r, "published_at")?,
                            fetched_at: get_ts(r, "fetched_at")?,
                            flagged_at: get_ts(r, "flagged_at")?,
                            sort_at: get_ts(r, "sort_at")?,
                            topics: Vec::new(),
                            snippet: r.get("snippet")?,
                            other_outlets: r.get("other_outlets")?,
                        })
                    },
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|mut row| {
                    row.topics = Self::hits_for(c, row.article_id, None)?;
                    Ok(row)
                })
                .collect()
        })
    }

    /// One article with its hits and its copies. `html` is the stored HTML (the extracted page's, else the
    /// feed's), not yet sanitised: the caller sanitises it for display.
    pub fn article(&self, id: Id) -> Result<ArticleDetail> {
        self.read(|c| {
            let (mut a, cluster_id) = c
                .query_row(
                    "SELECT a.id, a.source_id, s.name AS source, a.title, a.url, a.author, a.published_at, a.fetched_at,
                            a.text, a.lang, a.image_url, a.content_html, a.site_name, a.canonical_url, a.text_origin,
                            a.extract_error, a.updated_at, COALESCE(a.cluster_id, a.id) AS cluster_id
                     FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?1",
                    [id],
                    |r| {
                        Ok((
                            ArticleDetail {
                                id: r.get("id")?,
                                source_id: r.get("source_id")?,
                                source: r.get("source")?,
                                title: r.get("title")?,
                                url: r.get("url")?,
                                author: r.get("author")?,
                                published_at: get_opt_ts(r, "published_at")?,
                                fetched_at: get_ts(r, "fetched_at")?,
                                text: r.get("text")?,
                                lang: r.get("lang")?,
                                image_url: r.get("image_url")?,
                                topics: Vec::new(),
                                html: r.get("content_html")?,
                                site_name: r.get("site_name")?,
                                canonical_url: r.get("canonical_url")?,
                                text_origin: TextOrigin::parse(&r.get::<_, String>("text_origin")?),
                                extract_error: r.get("extract_error")?,
                                updated_at: get_opt_ts(r, "updated_at")?,
                                copies: Vec::new(),
                            },
                            r.get::<_, Option<Id>>("cluster_id")?,
                        ))
                    },
                )
                .optional()?
                .ok_or_else(|| Error::NotFound(format!("no article with id {id}")))?;
            a.topics = Self::hits_for(c, id, None)?;
            if let Some(cluster_id) = cluster_id {
                let mut st = c.prepare_cached(
                    "SELECT a.id, a.source_id, s.name AS source, a.title, a.url, a.published_at, a.fetched_at
                     FROM articles a JOIN sources s ON s.id = a.source_id
                     WHERE (a.cluster_id = ?1 OR a.id = ?1) AND a.id <> ?2
                     ORDER BY COALESCE(a.published_at, a.fetched_at), a.id",
                )?;
                a.copies = st
                    .query_map(params![cluster_id, id], |r| {
                        Ok(ArticleCopy {
                            id: r.get("id")?,
                            source_id: r.get("source_id")?,
                            source: r.get("source")?,
                            title: r.get("title")?,
                            url: r.get("url")?,
                            published_at: get_opt_ts(r, "published_at")?,
                            fetched_at: get_ts(r, "fetched_at")?,
                        })
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
            }
            Ok(a)
        })
    }

    pub fn overview(&self) -> Result<Overview> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM topics),
                        (SELECT COUNT(DISTINCT article_id) FROM mentions),
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
                    })
                },
            )?)
        })
    }

    /// Number of articles whose title or text contains the FTS5 query (used by tests and, later, search).
    pub fn fts_count(&self, fts_query: &str) -> Result<u32> {
        self.read(|c| {
            Ok(c.query_row("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?1", [fts_query], |r| r.get(0))?)
        })
    }
}

#[cfg(test)]
mod tests;

/// Shifts the `?N` placeholders of an SQL fragment by `by` (a fragment built alone, placed after others).
fn renumber(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '?' {
            let mut n = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n.push(*d);
                chars.next();
            }
            if let Ok(v) = n.parse::<usize>() {
                out.push_str(&(v + by).to_string());
            } else {
                out.push_str(&n);
            }
        }
    }
    out
}
