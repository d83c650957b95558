//! Mentions: the hits an article has, and the flagged articles newest first with keyset pagination.

use rusqlite::{params, Connection, OptionalExtension};

use super::{get_opt_ts, get_ts, ts, Store};
use crate::error::{Error, Result};
use crate::model::{Id, MentionQuery, MentionRow, Span, TopicHit};

/// Where a mention comes from, which decides whether it is news that alerts (see migration 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionOrigin {
    /// Stored by a fetch cycle: news.
    Fetch,
    /// `mediawatch import`: never alerts.
    Import,
}

impl MentionOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            MentionOrigin::Fetch => "fetch",
            MentionOrigin::Import => "import",
        }
    }
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
    pub(super) fn json(&self) -> Result<(String, String)> {
        let spans = serde_json::to_string(&self.spans).map_err(|e| Error::Internal(e.to_string()))?;
        let snippets = serde_json::to_string(&self.snippets).map_err(|e| Error::Internal(e.to_string()))?;
        Ok((spans, snippets))
    }
}

impl Store {
    pub(super) fn hits_for(c: &Connection, article_id: Id, topic: Option<Id>) -> Result<Vec<TopicHit>> {
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
            // One topic: its mentions in the list's order on `mentions_topic_sort`, each article looked up by
            // key. Every topic: the articles newest first, each checked for a mention (most are flagged).
            let (from, filter, order) = if topic_id.is_some() {
                (
                    "mentions o INDEXED BY mentions_topic_sort CROSS JOIN articles a ON a.id = o.article_id",
                    "o.topic_id = ?1 AND (?2 IS NULL OR o.sort_at >= ?2) AND (?3 IS NULL OR o.sort_at < ?3)
                       AND (?4 IS NULL OR (o.sort_at, o.article_id) < (?4, ?5))",
                    "o.sort_at DESC, o.article_id DESC",
                )
            } else {
                (
                    "articles a INDEXED BY articles_sort",
                    "EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id)
                       AND (?2 IS NULL OR a.sort_at >= ?2) AND (?3 IS NULL OR a.sort_at < ?3)
                       AND (?4 IS NULL OR (a.sort_at, a.id) < (?4, ?5)) AND ?1 IS NULL",
                    "a.sort_at DESC, a.id DESC",
                )
            };
            let mut st = c.prepare_cached(&format!(
                "SELECT a.id, a.title, a.url, a.source_id, s.name AS source, a.published_at, a.fetched_at, a.sort_at,
                        (SELECT MIN(m.flagged_at) FROM mentions m WHERE m.article_id = a.id) AS flagged_at,
                        (SELECT m.snippet FROM mentions m WHERE m.article_id = a.id AND (?1 IS NULL OR m.topic_id = ?1)
                          ORDER BY m.flagged_at LIMIT 1) AS snippet,
                        (SELECT COUNT(DISTINCT c.source_id) FROM articles c
                          WHERE (c.cluster_id = COALESCE(a.cluster_id, a.id) OR c.id = COALESCE(a.cluster_id, a.id))
                            AND c.source_id <> a.source_id) AS other_outlets,
                        a.starred_at IS NOT NULL AS starred
                 FROM {from} JOIN sources s ON s.id = a.source_id
                 WHERE {filter}
                 ORDER BY {order}
                 LIMIT ?6"
            ))?;
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
                            starred: r.get("starred")?,
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
}
