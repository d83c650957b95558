//! Mentions: the hits an article has, and the flagged articles newest first with keyset pagination.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

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

/// Which index a Mentions list walks: the one that gives its rows in the list's order with its most selective
/// filter as the index's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListShape {
    /// One topic: its mentions on `mentions_topic_sort`, each article looked up by key.
    Topic,
    /// Every topic, one source: the source's articles on `articles_source_sort`, each checked for a mention.
    Source,
    /// Every topic: the articles newest first on `articles_sort`, each checked for a mention (most are).
    All,
}

/// The Mentions list's statement (`?1` topic, `?2`/`?3` period, `?4`/`?5` cursor, `?6` limit, `?7` source, `?8`
/// language, `?9` unread only). `INDEXED BY` and `CROSS JOIN` fix the plan so that a page reads a page's worth
/// (`a_list_page_reads_its_index_in_order`); the source and language filters of the topic shape, and the
/// language filter of the others, are checked on the rows walked.
fn list_query(shape: ListShape) -> String {
    let (from, filter, order) = match shape {
        ListShape::Topic => (
            "mentions o INDEXED BY mentions_topic_sort CROSS JOIN articles a ON a.id = o.article_id",
            "o.topic_id = ?1 AND (?2 IS NULL OR o.sort_at >= ?2) AND (?3 IS NULL OR o.sort_at < ?3)
               AND (?4 IS NULL OR (o.sort_at, o.article_id) < (?4, ?5)) AND (?7 IS NULL OR a.source_id = ?7)",
            "o.sort_at DESC, o.article_id DESC",
        ),
        ListShape::Source => (
            "articles a INDEXED BY articles_source_sort",
            "a.source_id = ?7 AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id)
               AND (?2 IS NULL OR a.sort_at >= ?2) AND (?3 IS NULL OR a.sort_at < ?3)
               AND (?4 IS NULL OR (a.sort_at, a.id) < (?4, ?5)) AND ?1 IS NULL",
            "a.sort_at DESC, a.id DESC",
        ),
        ListShape::All => (
            "articles a INDEXED BY articles_sort",
            "EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id)
               AND (?2 IS NULL OR a.sort_at >= ?2) AND (?3 IS NULL OR a.sort_at < ?3)
               AND (?4 IS NULL OR (a.sort_at, a.id) < (?4, ?5)) AND ?1 IS NULL AND ?7 IS NULL",
            "a.sort_at DESC, a.id DESC",
        ),
    };
    format!(
        "SELECT a.id, a.title, a.url, a.source_id, s.name AS source, a.published_at, a.fetched_at, a.sort_at,
                        (SELECT MIN(m.flagged_at) FROM mentions m WHERE m.article_id = a.id) AS flagged_at,
                        (SELECT m.snippet FROM mentions m WHERE m.article_id = a.id AND (?1 IS NULL OR m.topic_id = ?1)
                          ORDER BY m.flagged_at LIMIT 1) AS snippet,
                        (SELECT COUNT(DISTINCT c.source_id) FROM articles c
                          WHERE (c.cluster_id = COALESCE(a.cluster_id, a.id) OR c.id = COALESCE(a.cluster_id, a.id))
                            AND c.source_id <> a.source_id) AS other_outlets,
                        a.starred_at IS NOT NULL AS starred, a.read_at IS NOT NULL AS read
                 FROM {from} CROSS JOIN sources s ON s.id = a.source_id
                 WHERE {filter} AND (?8 IS NULL OR COALESCE(a.lang, '') = ?8) AND (?9 = 0 OR a.read_at IS NULL)
                 ORDER BY {order}
                 LIMIT ?6"
    )
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
            let topic_id = query.topic.as_deref().map(|name| Self::topic_named(c, name)).transpose()?;
            let limit = query.limit.unwrap_or(50).clamp(1, 1000);
            let (before_at, before_id) = match &query.before {
                Some(cur) => (Some(ts(cur.sort_at)), Some(cur.article_id)),
                None => (None, None),
            };
            let shape = match (topic_id, query.source_id) {
                (Some(_), _) => ListShape::Topic,
                (None, Some(_)) => ListShape::Source,
                (None, None) => ListShape::All,
            };
            let mut st = c.prepare_cached(&list_query(shape))?;
            let rows = st
                .query_map(
                    params![
                        topic_id,
                        query.since.map(ts),
                        query.until.map(ts),
                        before_at,
                        before_id,
                        limit,
                        query.source_id,
                        query.lang,
                        query.unread_only
                    ],
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
                            read: r.get("read")?,
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

    /// Marks articles read (`at`) or unread (`None`); returns how many changed.
    pub fn set_read(&self, article_ids: &[Id], at: Option<DateTime<Utc>>) -> Result<u32> {
        let mut w = self.writer()?;
        let tx = w.transaction()?;
        let mut changed = 0;
        {
            let mut st = tx.prepare_cached(
                "UPDATE articles SET read_at = ?2 WHERE id = ?1 AND (read_at IS NULL) = (?2 IS NOT NULL)",
            )?;
            for id in article_ids {
                changed += st.execute(params![id, at.map(ts)])? as u32;
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Marks read, in one statement, every unread article the Mentions list shows for this filter (its topic,
    /// period, source and language; the cursor and limit aside) that was stored at or before `seen_at` (what
    /// the analyst had listed: an article fetched since stays unread). Returns how many.
    pub fn mark_all_read(&self, query: &MentionQuery, seen_at: DateTime<Utc>, at: DateTime<Utc>) -> Result<u32> {
        let w = self.writer()?;
        let topic_id = query.topic.as_deref().map(|name| Self::topic_named(&w, name)).transpose()?;
        let flagged = if topic_id.is_some() {
            "a.id IN (SELECT o.article_id FROM mentions o INDEXED BY mentions_topic_sort
                      WHERE o.topic_id = ?1 AND o.unread = 1 AND (?2 IS NULL OR o.sort_at >= ?2)
                        AND (?3 IS NULL OR o.sort_at < ?3))"
        } else {
            "EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id) AND ?1 IS NULL"
        };
        let n = w.execute(
            &format!(
                "UPDATE articles AS a SET read_at = ?7
                 WHERE a.read_at IS NULL AND {flagged}
                   AND (?2 IS NULL OR a.sort_at >= ?2) AND (?3 IS NULL OR a.sort_at < ?3)
                   AND (?4 IS NULL OR a.source_id = ?4) AND (?5 IS NULL OR COALESCE(a.lang, '') = ?5)
                   AND a.fetched_at <= ?6"
            ),
            params![
                topic_id,
                query.since.map(ts),
                query.until.map(ts),
                query.source_id,
                query.lang,
                ts(seen_at),
                ts(at)
            ],
        )?;
        Ok(n as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both shapes of the list walk their index in the list's order and sort nothing, with or without
    /// statistics: a sort here reads every flagged article (or every mention of the topic) for one page.
    #[test]
    fn a_list_page_reads_its_index_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("mw.db")).unwrap();
        let plan = |shape: ListShape| -> String {
            store
                .read(|c| {
                    let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {}", list_query(shape)))?;
                    let (topic, source) = match shape {
                        ListShape::Topic => (Some(1), None),
                        ListShape::Source => (None, Some(3)),
                        ListShape::All => (None, None),
                    };
                    let params =
                        params![topic, "2026-01-01", Option::<String>::None, "2026-06-01", 9, 50, source, "en", true];
                    // The statement's own steps (parent 0): a correlated subquery may sort one article's
                    // few mentions.
                    let rows = st.query_map(params, |r| Ok((r.get::<_, i64>(1)?, r.get::<_, String>(3)?)))?;
                    let top: Vec<String> =
                        rows.filter_map(|r| r.ok()).filter(|(parent, _)| *parent == 0).map(|(_, d)| d).collect();
                    Ok(top.join(" | "))
                })
                .unwrap()
        };
        for analyzed in [false, true] {
            let (one, source, all) = (plan(ListShape::Topic), plan(ListShape::Source), plan(ListShape::All));
            assert!(one.starts_with("SEARCH o USING COVERING INDEX mentions_topic_sort"), "{one}");
            assert!(source.starts_with("SEARCH a USING INDEX articles_source_sort (source_id=?"), "{source}");
            assert!(all.starts_with("SCAN a USING INDEX articles_sort"), "{all}");
            for p in [one, source, all] {
                assert!(!p.contains("TEMP B-TREE FOR ORDER BY"), "the list sorts: {p}");
            }
            if !analyzed {
                store.writer().unwrap().execute_batch("ANALYZE").unwrap();
            }
        }
    }
}
