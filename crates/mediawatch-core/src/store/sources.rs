//! Sources: adding, listing, editing and removing them.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::{get_opt_ts, get_ts, ts, Store};
use crate::error::{Error, Result};
use crate::model::{FullTextMode, Id, Source, SourceHealth, SourceKind, SourceUpdate};

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

impl Store {
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
}
