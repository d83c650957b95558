//! Full-text search and topic prefilters over the FTS5 index: the SQL of a prefilter, counts, pages, bm25.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{ts, Store, StoredText};
use crate::error::{Error, Result};
use crate::model::{Id, MentionCursor};
use crate::topics::prefilter::Prefilter;

/// Shifts the `?N` placeholders of an SQL fragment by `by` (a fragment built alone, placed after others).
pub(super) fn renumber(sql: &str, by: usize) -> String {
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

impl Store {
    /// The SQL condition (on `articles a`) of a topic prefilter, and its parameters.
    pub(super) fn prefilter_sql(p: &Prefilter, params: &mut Vec<String>) -> String {
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

    /// Number of articles whose title or text contains the FTS5 query (used by tests and, later, search).
    pub fn fts_count(&self, fts_query: &str) -> Result<u32> {
        self.read(|c| {
            Ok(c.query_row("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?1", [fts_query], |r| r.get(0))?)
        })
    }
}
