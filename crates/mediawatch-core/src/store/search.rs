//! Full-text search and topic prefilters over the FTS5 index: the SQL of a prefilter, counts, pages under a
//! search's filters, the walk of a search's candidates (its pages and its facets), bm25.

use std::collections::HashMap;
use std::ops::ControlFlow;

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{ts, Store, StoredText};
use crate::error::{Error, Result};
use crate::model::{Id, MentionCursor, SearchQuery};
use crate::topics::prefilter::Prefilter;

/// The filters a search reads its candidates under, the Mentions list's: the period, one source, one language,
/// one topic's mentions, unread only. Built by [`Store::search_filter`].
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub source_id: Option<Id>,
    /// A language code; "" for articles whose language is unknown.
    pub lang: Option<String>,
    pub topic_id: Option<Id>,
    pub unread_only: bool,
}

/// How a walk of a search's candidates ended (`Store::walk_candidates`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// The visitor stopped it.
    Stopped,
    /// Every candidate was handed over.
    Exhausted,
    /// The most candidates asked for were handed over, and more are stored.
    Capped,
}

/// The condition (on `articles a`) of a search's candidates beside the prefilter: `?1`/`?2` the period, `?3`/`?4`
/// the cursor, `?6` the source, `?7` the language, `?8` the topic (its mention looked up by key), `?9` unread
/// only (`?5` is the limit). Each is checked on the rows read, so a page keeps its size and its keyset.
const CANDIDATE_FILTER: &str = "(?1 IS NULL OR a.sort_at >= ?1) AND (?2 IS NULL OR a.sort_at < ?2)
       AND (?3 IS NULL OR (a.sort_at, a.id) < (?3, CAST(?4 AS INTEGER)))
       AND (?6 IS NULL OR a.source_id = CAST(?6 AS INTEGER))
       AND (?7 IS NULL OR COALESCE(a.lang, '') = ?7)
       AND (?8 IS NULL OR EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id AND m.topic_id = CAST(?8 AS INTEGER)))
       AND (?9 IS NULL OR a.read_at IS NULL)";

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

    /// A search's filters as the store reads them: the topic's name resolved (`NotFound` when no topic has it).
    pub fn search_filter(&self, q: &SearchQuery) -> Result<SearchFilter> {
        let topic_id = match q.topic.as_deref() {
            Some(name) => Some(self.read(|c| Self::topic_named(c, name))?),
            None => None,
        };
        Ok(SearchFilter {
            since: q.since,
            until: q.until,
            source_id: q.source_id,
            lang: q.lang.clone(),
            topic_id,
            unread_only: q.unread_only,
        })
    }

    /// The statement of a search's candidates: `columns` of the articles that pass the prefilter and the
    /// filter, newest first, from the cursor on; and its parameters.
    fn candidates_sql(
        columns: &str,
        p: &Prefilter,
        f: &SearchFilter,
        before: Option<&MentionCursor>,
        limit: u32,
    ) -> (String, Vec<Option<String>>) {
        let (before_at, before_id) = match before {
            Some(cur) => (Some(ts(cur.sort_at)), Some(cur.article_id.to_string())),
            None => (None, None),
        };
        let mut params: Vec<Option<String>> = vec![
            f.since.map(ts),
            f.until.map(ts),
            before_at,
            before_id,
            Some(limit.to_string()),
            f.source_id.map(|id| id.to_string()),
            f.lang.clone(),
            f.topic_id.map(|id| id.to_string()),
            f.unread_only.then(|| "1".to_string()),
        ];
        let mut fparams = Vec::new();
        let cond = Self::prefilter_sql(p, &mut fparams);
        // The prefilter's parameters come after the fixed ones.
        let cond = renumber(&cond, params.len());
        params.extend(fparams.into_iter().map(Some));
        let sql = format!(
            "{columns} WHERE {CANDIDATE_FILTER} AND {cond} ORDER BY a.sort_at DESC, a.id DESC LIMIT CAST(?5 AS INTEGER)"
        );
        (sql, params)
    }

    /// Stored articles that pass a prefilter and a search's filter, newest first (keyset on `(sort_at, id)`
    /// before `before`): the candidates of a search page.
    pub fn prefiltered_newest(
        &self,
        p: &Prefilter,
        f: &SearchFilter,
        before: Option<&MentionCursor>,
        limit: u32,
    ) -> Result<Vec<StoredText>> {
        self.read(|c| {
            let (sql, params) = Self::candidates_sql(Self::STORED_TEXT, p, f, before, limit);
            let mut st = c.prepare_cached(&sql)?;
            let rows = st
                .query_map(rusqlite::params_from_iter(params.iter()), Self::stored_text)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Walks a search's candidates newest first from the cursor on, `batch` at a time with their text, until
    /// `visit` breaks or `max` candidates were handed over. One statement for the whole walk: the candidates'
    /// ids are sorted once (a sort of ids, not of texts; none where the prefilter lets `articles_sort` give the
    /// order) and each batch's texts are read by id, so a query whose candidates seldom match reads its
    /// candidates once instead of sorting them again for every batch.
    pub fn walk_candidates(
        &self,
        p: &Prefilter,
        f: &SearchFilter,
        before: Option<&MentionCursor>,
        batch: usize,
        max: u32,
        mut visit: impl FnMut(Vec<StoredText>) -> Result<ControlFlow<()>>,
    ) -> Result<Walk> {
        self.read(|c| {
            let (sql, params) =
                Self::candidates_sql("SELECT a.id FROM articles a", p, f, before, max.saturating_add(1));
            let mut ids_st = c.prepare_cached(&sql)?;
            let mut texts_st =
                c.prepare_cached(&format!("{} WHERE a.id IN (SELECT value FROM json_each(?1))", Self::STORED_TEXT))?;
            let mut ids = ids_st.query(rusqlite::params_from_iter(params.iter()))?;
            let mut chunk: Vec<Id> = Vec::with_capacity(batch);
            let mut read = 0u32;
            let mut more = false;
            loop {
                let id = match ids.next()? {
                    Some(row) if read < max => Some(row.get::<_, Id>(0)?),
                    Some(_) => {
                        more = true;
                        None
                    }
                    None => None,
                };
                if let Some(id) = id {
                    read += 1;
                    chunk.push(id);
                    if chunk.len() < batch.max(1) {
                        continue;
                    }
                }
                if !chunk.is_empty() {
                    let json = serde_json::to_string(&chunk).map_err(|e| Error::Internal(e.to_string()))?;
                    let mut by_id = texts_st
                        .query_map([json], Self::stored_text)?
                        .map(|r| r.map(|a| (a.id, a)))
                        .collect::<rusqlite::Result<HashMap<Id, StoredText>>>()?;
                    let texts = chunk.drain(..).filter_map(|id| by_id.remove(&id)).collect();
                    if visit(texts)?.is_break() {
                        return Ok(Walk::Stopped);
                    }
                }
                if id.is_none() {
                    return Ok(if more { Walk::Capped } else { Walk::Exhausted });
                }
            }
        })
    }

    /// For each topic, how many of these articles it flagged.
    pub fn topic_counts(&self, ids: &[Id]) -> Result<HashMap<Id, u32>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        self.read(|c| {
            let json = serde_json::to_string(ids).map_err(|e| Error::Internal(e.to_string()))?;
            let mut st = c.prepare_cached(
                "SELECT m.topic_id, COUNT(*) FROM json_each(?1) x CROSS JOIN mentions m ON m.article_id = x.value
                 GROUP BY m.topic_id",
            )?;
            let rows = st
                .query_map([json], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<HashMap<Id, u32>>>()?;
            Ok(rows)
        })
    }

    /// Every topic's name by id.
    pub fn topic_names(&self) -> Result<HashMap<Id, String>> {
        self.read(|c| {
            let mut st = c.prepare_cached("SELECT id, name FROM topics")?;
            let rows =
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<HashMap<Id, String>>>()?;
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
