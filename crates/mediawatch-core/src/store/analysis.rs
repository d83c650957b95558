//! Counts for the Analysis page and the Overview's topic cards. Volume comes from `mention_hours` (mentions
//! per topic and Unix hour, kept by triggers: migration 11); the breakdowns of a period (sources, languages,
//! stories) from one walk of each topic's `mentions_topic_sort` range, joined to its articles by key.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use super::{get_ts, ts, Store};
use crate::error::Result;
use crate::model::{CardHeadline, Id, Slice, StoryCount};

/// How many sources and stories a breakdown keeps.
const TOP: usize = 10;

/// The breakdowns of a period, counted over flagged articles (each once, however many topics flag it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Breakdown {
    pub articles: u32,
    pub sources: Vec<Slice>,
    pub languages: Vec<Slice>,
    pub stories: Vec<StoryCount>,
}

/// A topic's flagged articles in a period (`?1` topic, `?2`/`?3` period): its range of `mentions_topic_sort`,
/// each article's facets read from `articles_facets` by key (never the article's row).
const BREAKDOWN_WALK: &str = "SELECT a.id, a.source_id, COALESCE(a.lang, ''), COALESCE(a.cluster_id, a.id), a.sort_at
     FROM mentions m INDEXED BY mentions_topic_sort CROSS JOIN articles a INDEXED BY articles_facets ON a.id = m.article_id
     WHERE m.topic_id = ?1 AND m.sort_at >= ?2 AND m.sort_at < ?3";

/// A story while a breakdown counts it: its articles, its sources, and its earliest article (sort_at, id).
type Story = (u32, HashSet<Id>, (String, Id));

/// What an Overview card needs from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct CardCounts {
    pub topic_id: Id,
    pub topic: String,
    pub new_mentions: u32,
    /// (Unix hour, mentions) for the hours asked, oldest first; hours without mentions are absent.
    pub hours: Vec<(i64, u32)>,
    pub latest: Vec<CardHeadline>,
}

/// The Unix hour (seconds / 3600, floored) of an instant: `mention_hours.hour`.
pub fn unix_hour(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(3600)
}

impl Store {
    /// The topics named (by id and name, in the order given), or every topic by name when `names` is empty.
    pub fn topics_named(&self, names: &[String]) -> Result<Vec<(Id, String)>> {
        self.read(|c| {
            if names.is_empty() {
                let mut st = c.prepare_cached("SELECT id, name FROM topics ORDER BY name COLLATE NOCASE")?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                return Ok(rows.collect::<rusqlite::Result<_>>()?);
            }
            let mut out: Vec<(Id, String)> = Vec::with_capacity(names.len());
            for name in names {
                let row = (Self::topic_named(c, name)?, name.clone());
                if !out.contains(&row) {
                    out.push(row);
                }
            }
            Ok(out)
        })
    }

    /// Each topic's mentions per hour in the Unix hours [from, to): (hour, mentions), oldest first, hours
    /// without mentions absent. One range of `mention_hours`' key per topic.
    pub fn mention_hours(&self, topics: &[Id], from: i64, to: i64) -> Result<Vec<Vec<(i64, u32)>>> {
        self.read(|c| topics.iter().map(|&t| Self::hours_of(c, t, from, to)).collect())
    }

    fn hours_of(c: &Connection, topic: Id, from: i64, to: i64) -> Result<Vec<(i64, u32)>> {
        let mut st = c.prepare_cached(
            "SELECT hour, mentions FROM mention_hours
             WHERE topic_id = ?1 AND hour >= ?2 AND hour < ?3 AND mentions > 0 ORDER BY hour",
        )?;
        let rows = st.query_map(params![topic, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sources, languages and the busiest stories of the articles these topics flagged in [since, until).
    /// One walk of each topic's mentions in the period on `mentions_topic_sort`, its article read by key;
    /// titles are read for the top stories only.
    pub fn breakdown(&self, topics: &[Id], since: DateTime<Utc>, until: DateTime<Utc>) -> Result<Breakdown> {
        self.read(|c| {
            let mut walk = c.prepare_cached(BREAKDOWN_WALK)?;
            let (since, until) = (ts(since), ts(until));
            let mut seen: HashSet<Id> = HashSet::new();
            let mut sources: HashMap<Id, u32> = HashMap::new();
            let mut languages: HashMap<String, u32> = HashMap::new();
            let mut stories: HashMap<Id, Story> = HashMap::new();
            for &topic in topics {
                let mut rows = walk.query(params![topic, since, until])?;
                while let Some(r) = rows.next()? {
                    let id: Id = r.get(0)?;
                    if !seen.insert(id) {
                        continue;
                    }
                    let source: Id = r.get(1)?;
                    *sources.entry(source).or_default() += 1;
                    *languages.entry(r.get(2)?).or_default() += 1;
                    let at: String = r.get(4)?;
                    let story = stories.entry(r.get(3)?).or_insert_with(|| (0, HashSet::new(), (at.clone(), id)));
                    story.0 += 1;
                    story.1.insert(source);
                    if (at.as_str(), id) < (story.2 .0.as_str(), story.2 .1) {
                        story.2 = (at, id);
                    }
                }
            }
            let mut name = c.prepare_cached("SELECT name FROM sources WHERE id = ?1")?;
            let mut sources: Vec<(Id, u32)> = sources.into_iter().collect();
            sources.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let sources = sources
                .into_iter()
                .take(TOP)
                .map(|(id, n)| {
                    Ok(Slice { id: Some(id), label: name.query_row([id], |r| r.get(0))?, articles: n })
                })
                .collect::<Result<Vec<_>>>()?;
            let mut languages: Vec<Slice> =
                languages.into_iter().map(|(label, n)| Slice { id: None, label, articles: n }).collect();
            languages.sort_by(|a, b| b.articles.cmp(&a.articles).then_with(|| a.label.cmp(&b.label)));
            let mut ranked: Vec<(u32, u32, String, Id)> =
                stories.into_values().map(|(n, outlets, (at, id))| (n, outlets.len() as u32, at, id)).collect();
            // Most articles first; among equals the most outlets, then the newest.
            ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then_with(|| b.2.cmp(&a.2)).then(b.3.cmp(&a.3)));
            let mut head = c.prepare_cached(
                "SELECT a.title, s.name, a.sort_at FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?1",
            )?;
            let stories = ranked
                .into_iter()
                .take(TOP)
                .map(|(articles, outlets, _, article_id)| {
                    let (title, source, sort_at) = head.query_row([article_id], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, get_ts(r, "sort_at")?))
                    })?;
                    Ok(StoryCount { article_id, title, source, sort_at, articles, outlets })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Breakdown { articles: seen.len() as u32, sources, languages, stories })
        })
    }

    /// Every source's articles per hour (Unix hours) since `from`, by their `sort_at`: (source, hour, n), by
    /// source then hour. One range of `articles_sort`.
    pub fn source_hours(&self, from: DateTime<Utc>) -> Result<Vec<(Id, i64, u32)>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT source_id, unixepoch(sort_at) / 3600 AS hour, COUNT(*) FROM articles INDEXED BY articles_sort
                 WHERE sort_at >= ?1 GROUP BY source_id, hour ORDER BY source_id, hour",
            )?;
            let rows = st.query_map([ts(from)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The Overview's cards: for every topic (by name), the mentions a fetch flagged after `since`, its
    /// mentions per hour in [from, to) and its three newest mentions.
    pub fn card_counts(&self, since: DateTime<Utc>, from: i64, to: i64) -> Result<Vec<CardCounts>> {
        let topics = self.topics_named(&[])?;
        self.read(|c| {
            let mut fresh = c.prepare_cached(
                "SELECT COUNT(*) FROM mentions INDEXED BY mentions_news
                 WHERE topic_id = ?1 AND origin = 'fetch' AND flagged_at > ?2",
            )?;
            let mut latest = c.prepare_cached(
                "SELECT a.id, a.title, s.name, a.sort_at
                 FROM mentions m INDEXED BY mentions_topic_sort CROSS JOIN articles a ON a.id = m.article_id
                 CROSS JOIN sources s ON s.id = a.source_id
                 WHERE m.topic_id = ?1 ORDER BY m.sort_at DESC, m.article_id DESC LIMIT 3",
            )?;
            let since = ts(since);
            topics
                .into_iter()
                .map(|(topic_id, topic)| {
                    let new_mentions = fresh.query_row(params![topic_id, since], |r| r.get(0))?;
                    let latest = latest
                        .query_map([topic_id], |r| {
                            Ok(CardHeadline {
                                article_id: r.get(0)?,
                                title: r.get(1)?,
                                source: r.get(2)?,
                                sort_at: get_ts(r, "sort_at")?,
                            })
                        })?
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                    let hours = Self::hours_of(c, topic_id, from, to)?;
                    Ok(CardCounts { topic_id, topic, new_mentions, hours, latest })
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The breakdown's walk reads each topic's period on its index, never every mention or article.
    #[test]
    fn a_breakdown_walks_the_topics_period() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("mw.db")).unwrap();
        store.writer().unwrap().execute_batch("ANALYZE").unwrap();
        let plan: Vec<String> = store
            .read(|c| {
                let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {BREAKDOWN_WALK}"))?;
                let rows = st.query_map(params![1, "2026-01-01", "2026-02-01"], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        assert!(plan[0].contains("mentions_topic_sort (topic_id=? AND sort_at>? AND sort_at<?)"), "{plan:?}");
        assert!(plan[1].contains("COVERING INDEX articles_facets (id=?)"), "{plan:?}");
    }
}
