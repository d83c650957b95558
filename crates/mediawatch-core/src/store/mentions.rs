//! Mentions: the hits an article has, and the flagged articles newest first with keyset pagination.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use super::{get_opt_ts, get_ts, ts, Store};
use crate::error::{Error, Result};
use crate::model::{GroupCount, Id, MentionOrder, MentionQuery, MentionRow, MentionsPane, Span, TopicHit};

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
    /// Starred only (any topic or one): the starred articles on `articles_starred`, each checked for a mention.
    /// Stars are set by hand, so they are few: this shape wins over a topic's or a source's.
    Starred,
    /// Every topic: the articles newest first on `articles_sort`, each checked for a mention (most are).
    All,
    /// Relevance, one topic: its mentions on `mentions_topic_score`.
    TopicScore,
    /// Relevance, every topic: every mention on `mentions_score`, each article at its best mention only (its
    /// highest score, then its lowest topic id), so that it is listed once.
    AllScore,
    /// Relevance, starred only: the starred articles (few, see `Starred`) sorted by their best score.
    StarredScore,
}

impl ListShape {
    fn of(query: &MentionQuery, topic: Option<Id>) -> ListShape {
        let relevance = query.order == Some(MentionOrder::Relevance);
        match (relevance, query.starred_only, topic, query.source_id) {
            (false, true, _, _) => ListShape::Starred,
            (false, false, Some(_), _) => ListShape::Topic,
            (false, false, None, Some(_)) => ListShape::Source,
            (false, false, None, None) => ListShape::All,
            (true, true, _, _) => ListShape::StarredScore,
            (true, false, Some(_), _) => ListShape::TopicScore,
            (true, false, None, _) => ListShape::AllScore,
        }
    }
}

/// The Mentions list's statement (`?1` topic, `?2`/`?3` period, `?4`/`?5` cursor, `?6` limit, `?7` source, `?8`
/// language, `?9` unread only, `?10` starred only, `?11` group, `?12` the cursor's score in relevance order).
/// `INDEXED BY` and `CROSS JOIN` fix the plan so that a page reads a page's worth
/// (`a_list_page_reads_its_index_in_order`); the filters that are not the index's prefix are checked on the rows
/// walked. A shape's statement names only the parameters it reads (they are bound by number).
fn list_query(shape: ListShape) -> String {
    // An article's best score (of the listed topic, when one is).
    const BEST: &str =
        "(SELECT MAX(m.score) FROM mentions m WHERE m.article_id = a.id AND (?1 IS NULL OR m.topic_id = ?1))";
    let starred_filter = "a.starred_at IS NOT NULL
               AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id AND (?1 IS NULL OR m.topic_id = ?1))
               AND (?2 IS NULL OR a.sort_at >= ?2) AND (?3 IS NULL OR a.sort_at < ?3) AND (?7 IS NULL OR a.source_id = ?7)";
    let (from, score, filter, order) = match shape {
        ListShape::Topic => (
            "mentions o INDEXED BY mentions_topic_sort CROSS JOIN articles a ON a.id = o.article_id",
            // Looked up for the page's rows: the walk stays on the index alone.
            BEST.to_string(),
            "o.topic_id = ?1 AND (?2 IS NULL OR o.sort_at >= ?2) AND (?3 IS NULL OR o.sort_at < ?3)
               AND (?4 IS NULL OR (o.sort_at, o.article_id) < (?4, ?5)) AND (?7 IS NULL OR a.source_id = ?7)
               AND ?10 = 0"
                .to_string(),
            "o.sort_at DESC, o.article_id DESC",
        ),
        ListShape::Source => (
            "articles a INDEXED BY articles_source_sort",
            BEST.to_string(),
            "a.source_id = ?7 AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id)
               AND (?2 IS NULL OR a.sort_at >= ?2) AND (?3 IS NULL OR a.sort_at < ?3)
               AND (?4 IS NULL OR (a.sort_at, a.id) < (?4, ?5)) AND ?1 IS NULL AND ?10 = 0"
                .to_string(),
            "a.sort_at DESC, a.id DESC",
        ),
        ListShape::Starred => (
            "articles a INDEXED BY articles_starred",
            BEST.to_string(),
            format!("{starred_filter} AND (?4 IS NULL OR (a.sort_at, a.id) < (?4, ?5)) AND ?10 = 1"),
            "a.sort_at DESC, a.id DESC",
        ),
        ListShape::All => (
            "articles a INDEXED BY articles_sort",
            BEST.to_string(),
            "EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id)
               AND (?2 IS NULL OR a.sort_at >= ?2) AND (?3 IS NULL OR a.sort_at < ?3)
               AND (?4 IS NULL OR (a.sort_at, a.id) < (?4, ?5)) AND ?1 IS NULL AND ?7 IS NULL AND ?10 = 0"
                .to_string(),
            "a.sort_at DESC, a.id DESC",
        ),
        ListShape::TopicScore => (
            "mentions o INDEXED BY mentions_topic_score CROSS JOIN articles a ON a.id = o.article_id",
            "o.score".to_string(),
            "o.topic_id = ?1 AND (?2 IS NULL OR o.sort_at >= ?2) AND (?3 IS NULL OR o.sort_at < ?3)
               AND (?4 IS NULL OR (o.score, o.sort_at, o.article_id) < (?12, ?4, ?5))
               AND (?7 IS NULL OR a.source_id = ?7) AND ?10 = 0"
                .to_string(),
            "o.score DESC, o.sort_at DESC, o.article_id DESC",
        ),
        ListShape::AllScore => (
            "mentions o INDEXED BY mentions_score CROSS JOIN articles a ON a.id = o.article_id",
            "o.score".to_string(),
            "NOT EXISTS (SELECT 1 FROM mentions b WHERE b.article_id = o.article_id
                            AND (b.score > o.score OR (b.score = o.score AND b.topic_id < o.topic_id)))
               AND (?2 IS NULL OR o.sort_at >= ?2) AND (?3 IS NULL OR o.sort_at < ?3)
               AND (?4 IS NULL OR (o.score, o.sort_at, o.article_id) < (?12, ?4, ?5))
               AND (?7 IS NULL OR a.source_id = ?7) AND ?1 IS NULL AND ?10 = 0"
                .to_string(),
            "o.score DESC, o.sort_at DESC, o.article_id DESC",
        ),
        ListShape::StarredScore => (
            "articles a INDEXED BY articles_starred",
            BEST.to_string(),
            format!("{starred_filter} AND (?4 IS NULL OR ({BEST}, a.sort_at, a.id) < (?12, ?4, ?5)) AND ?10 = 1"),
            "score DESC, a.sort_at DESC, a.id DESC",
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
                        a.starred_at IS NOT NULL AS starred, a.read_at IS NOT NULL AS read, {score} AS score
                 FROM {from} CROSS JOIN sources s ON s.id = a.source_id
                 WHERE {filter} AND (?8 IS NULL OR COALESCE(a.lang, '') = ?8) AND (?9 = 0 OR a.read_at IS NULL)
                   AND (?11 IS NULL OR COALESCE(s.group_name, '') = ?11 COLLATE NOCASE)
                 ORDER BY {order}
                 LIMIT ?6"
    )
}

/// Binds `values[i]` to `?{i + 1}` where the statement names it: each shape of the list reads some of the
/// parameters, and a number it does not name is no slot of its statement.
fn bind_numbered(st: &mut rusqlite::Statement<'_>, values: &[&dyn rusqlite::ToSql]) -> rusqlite::Result<()> {
    for (i, value) in values.iter().enumerate() {
        if st.parameter_name(i + 1).is_some() {
            st.raw_bind_parameter(i + 1, value)?;
        }
    }
    Ok(())
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

    /// Flagged articles, newest first (by published time, else fetch time) or by relevance, one row per article
    /// with every topic that flagged it. Keyset pagination through `query.before` (in relevance order the
    /// cursor carries the last row's score).
    pub fn mentions(&self, query: &MentionQuery) -> Result<Vec<MentionRow>> {
        self.read(|c| {
            let topic_id = query.topic.as_deref().map(|name| Self::topic_named(c, name)).transpose()?;
            let limit = query.limit.unwrap_or(50).clamp(1, 1000);
            let shape = ListShape::of(query, topic_id);
            let relevance = query.order == Some(MentionOrder::Relevance);
            let (before_at, before_id, before_score) = match &query.before {
                Some(cur) if relevance && cur.score.is_none() => {
                    return Err(Error::InvalidInput(
                        "a page of mentions in relevance order starts after a row's score: the cursor has none".into(),
                    ))
                }
                Some(cur) => (Some(ts(cur.sort_at)), Some(cur.article_id), cur.score),
                None => (None, None, None),
            };
            let mut st = c.prepare_cached(&list_query(shape))?;
            let values: [&dyn rusqlite::ToSql; 12] = [
                &topic_id,
                &query.since.map(ts),
                &query.until.map(ts),
                &before_at,
                &before_id,
                &limit,
                &query.source_id,
                &query.lang,
                &query.unread_only,
                &query.starred_only,
                &query.group,
                &before_score,
            ];
            bind_numbered(&mut st, &values)?;
            let mut rows = Vec::new();
            let mut cursor = st.raw_query();
            while let Some(r) = cursor.next()? {
                rows.push(MentionRow {
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
                    score: r.get::<_, Option<u32>>("score")?.unwrap_or(0),
                });
            }
            drop(cursor);
            rows.into_iter()
                .map(|mut row| {
                    row.topics = Self::hits_for(c, row.article_id, None)?;
                    Ok(row)
                })
                .collect()
        })
    }

    /// The Mentions page's pane: how many starred articles a topic flags, and each source group's unread
    /// flagged articles (none listed when no source has a group). The stars are few (`articles_starred`); the
    /// groups' counts add up their sources' (`sources.unread`, kept by triggers: migration 13).
    pub fn mentions_pane(&self) -> Result<MentionsPane> {
        self.read(|c| {
            let starred: u32 = c.query_row(
                "SELECT COUNT(*) FROM articles a INDEXED BY articles_starred
                 WHERE a.starred_at IS NOT NULL AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id)",
                [],
                |r| r.get(0),
            )?;
            let mut st = c.prepare_cached(
                "SELECT MIN(NULLIF(group_name, '')) AS grp, SUM(unread) AS unread FROM sources
                 GROUP BY NULLIF(group_name, '') COLLATE NOCASE
                 ORDER BY grp IS NULL, grp COLLATE NOCASE",
            )?;
            let mut groups = st
                .query_map([], |r| Ok(GroupCount { name: r.get(0)?, unread: r.get(1)? }))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            // Only "No group": the pane shows no groups at all.
            if groups.iter().all(|g| g.name.is_none()) {
                groups.clear();
            }
            Ok(MentionsPane { starred, groups })
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
    /// period, source, group, language and stars; the cursor, order and limit aside) that was stored at or
    /// before `seen_at` (what the analyst had listed: an article fetched since stays unread). Returns how many.
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
                   AND a.fetched_at <= ?6 AND (?8 = 0 OR a.starred_at IS NOT NULL)
                   AND (?9 IS NULL OR a.source_id IN (SELECT s.id FROM sources s
                                                       WHERE COALESCE(s.group_name, '') = ?9 COLLATE NOCASE))"
            ),
            params![
                topic_id,
                query.since.map(ts),
                query.until.map(ts),
                query.source_id,
                query.lang,
                ts(seen_at),
                ts(at),
                query.starred_only,
                query.group
            ],
        )?;
        Ok(n as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape of the list walks its index in the list's order and sorts nothing, with or without
    /// statistics: a sort here reads every flagged article (or every mention of the topic) for one page. The
    /// one exception is the starred articles by relevance, which sorts the (hand-picked, few) starred articles.
    #[test]
    fn a_list_page_reads_its_index_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("mw.db")).unwrap();
        let plan = |shape: ListShape| -> String {
            store
                .read(|c| {
                    let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {}", list_query(shape)))?;
                    let (topic, source) = match shape {
                        ListShape::Topic | ListShape::TopicScore => (Some(1), None),
                        ListShape::Source => (None, Some(3)),
                        _ => (None, None),
                    };
                    let starred = matches!(shape, ListShape::Starred | ListShape::StarredScore);
                    let values: [&dyn rusqlite::ToSql; 12] = [
                        &topic,
                        &"2026-01-01",
                        &Option::<String>::None,
                        &"2026-06-01",
                        &9,
                        &50,
                        &source,
                        &"en",
                        &true,
                        &starred,
                        &"Wires",
                        &7,
                    ];
                    bind_numbered(&mut st, &values)?;
                    // The statement's own steps (parent 0): a correlated subquery may sort one article's
                    // few mentions.
                    let mut rows = st.raw_query();
                    let mut top = Vec::new();
                    while let Some(r) = rows.next()? {
                        if r.get::<_, i64>(1)? == 0 {
                            top.push(r.get::<_, String>(3)?);
                        }
                    }
                    Ok(top.join(" | "))
                })
                .unwrap()
        };
        for analyzed in [false, true] {
            let expect = [
                (ListShape::Topic, "SEARCH o USING COVERING INDEX mentions_topic_sort"),
                (ListShape::Source, "SEARCH a USING INDEX articles_source_sort (source_id=?"),
                (ListShape::Starred, "SCAN a USING INDEX articles_starred"),
                (ListShape::All, "SCAN a USING INDEX articles_sort"),
                (ListShape::TopicScore, "SEARCH o USING COVERING INDEX mentions_topic_score (topic_id=?"),
                (ListShape::AllScore, "SCAN o USING COVERING INDEX mentions_score"),
                (ListShape::StarredScore, "SCAN a USING INDEX articles_starred"),
            ];
            for (shape, start) in expect {
                let p = plan(shape);
                assert!(p.starts_with(start), "{shape:?}: {p}");
                let sorts = p.contains("TEMP B-TREE FOR ORDER BY");
                assert_eq!(sorts, shape == ListShape::StarredScore, "{shape:?} sorts (or not): {p}");
            }
            if !analyzed {
                store.writer().unwrap().execute_batch("ANALYZE").unwrap();
            }
        }
    }
}
