//! Reports: the flagged articles a report's scope covers, streamed newest first from one read snapshot;
//! stars; saved report definitions and their schedules.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::search::renumber;
use super::{get_opt_ts, get_ts, ts, Store};
use crate::error::{Error, Result};
use crate::model::{Id, Span, TopicHit};
use crate::topics::prefilter::Prefilter;

/// A report's scope as the store filters it: names already resolved to ids.
#[derive(Debug, Clone, Default)]
pub struct ScopeFilter {
    /// `None`: every topic.
    pub topic_ids: Option<Vec<Id>>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub source_ids: Option<Vec<Id>>,
    pub group: Option<String>,
    /// Matched as the code itself or its regional variants ("zh" takes "zh-CN").
    pub langs: Option<Vec<String>>,
    pub starred: bool,
    /// A superset of the scope's query (the caller verifies each article against the query itself).
    pub prefilter: Option<Prefilter>,
}

/// A flagged article in a report's scope, with the hits of the scope's topics.
#[derive(Debug, Clone)]
pub struct ReportArticle {
    pub id: Id,
    pub title: String,
    pub url: Option<String>,
    pub source_id: Id,
    pub source: String,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub sort_at: DateTime<Utc>,
    pub lang: Option<String>,
    /// Its story: the cluster it belongs to (the first copy's id), or its own id.
    pub story: Id,
    pub starred: bool,
    /// Present when the scan asked for text.
    pub text: Option<String>,
    pub hits: Vec<TopicHit>,
}

/// One consistent view of the database for the passes of one export.
pub struct ReportSnapshot<'c> {
    conn: &'c Connection,
}

impl ReportSnapshot<'_> {
    /// Calls `each` with every flagged article in scope, newest first (published time, else fetch time),
    /// until it returns `false`. `with_text`: read each article's text; `with_spans`: each hit's spans and
    /// snippets (a count needs neither, and skipping them halves its time).
    pub fn scan(
        &self,
        f: &ScopeFilter,
        with_text: bool,
        with_spans: bool,
        mut each: impl FnMut(ReportArticle) -> Result<bool>,
    ) -> Result<()> {
        let (sql, params) = scan_query(f, with_text, with_spans);
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params.iter()))?;
        let mut current: Option<ReportArticle> = None;
        while let Some(r) = rows.next()? {
            let id: Id = r.get("id")?;
            let hit = hit(r, id)?;
            match &mut current {
                Some(a) if a.id == id => a.hits.push(hit),
                _ => {
                    if let Some(done) = current.take() {
                        if !each(by_topic(done))? {
                            return Ok(());
                        }
                    }
                    let mut a = article(r)?;
                    a.hits.push(hit);
                    current = Some(a);
                }
            }
        }
        if let Some(done) = current {
            each(by_topic(done))?;
        }
        Ok(())
    }
}

/// The scan's statement and its parameters.
///
/// It must stream: articles are walked newest first on the `articles_sort` index (`articles_starred` for
/// starred scopes; a one-topic scope walks that topic's `mentions_topic_sort`) and each one's mentions
/// looked up by its key. `INDEXED BY` and `CROSS JOIN` fix that
/// plan: left to itself, SQLite walked `mentions` by topic (or the full-text matches of a query) and then
/// sorted every row in scope, texts included, in temporary files before handing out the first (an export
/// of 20,000 spent most of its time writing and reading them). The test `the_scan_streams` keeps it so.
fn scan_query(f: &ScopeFilter, with_text: bool, with_spans: bool) -> (String, Vec<Option<String>>) {
    let json = |v: &Option<Vec<Id>>| v.as_ref().map(|v| serde_json::to_string(v).unwrap_or_default());
    let langs = f.langs.as_ref().map(|l| serde_json::to_string(l).unwrap_or_default());
    let mut params: Vec<Option<String>> = vec![
        json(&f.topic_ids),
        f.since.map(ts),
        f.until.map(ts),
        json(&f.source_ids),
        f.group.clone(),
        langs,
        Some(if f.starred { "1" } else { "0" }.into()),
    ];
    let cond = match &f.prefilter {
        Some(p) => {
            let mut fparams = Vec::new();
            let cond = Store::prefilter_sql(p, &mut fparams);
            params.extend(fparams.into_iter().map(Some));
            renumber(&cond, 7)
        }
        None => "1".into(),
    };
    // Both indexes are in the order below; the starred one holds only the starred articles.
    // (SQLite takes a partial index only where the statement itself states its condition.)
    let (index, starred) =
        if f.starred { ("articles_starred", "AND a.starred_at IS NOT NULL") } else { ("articles_sort", "") };
    // One topic: its own mentions in order (`mentions_topic_sort`, migration 10), so that a narrow topic
    // does not walk every article. Several topics or all: the articles, as above (merging several topics'
    // orders would need a sort); a narrow multi-topic scope is therefore the slow case left.
    let (from, order) = match f.topic_ids.as_deref() {
        Some([one]) => (
            format!(
                "mentions m INDEXED BY mentions_topic_sort CROSS JOIN articles a ON a.id = m.article_id
                 AND m.topic_id = {one} AND (?2 IS NULL OR m.sort_at >= ?2) AND (?3 IS NULL OR m.sort_at < ?3)"
            ),
            "m.sort_at DESC, m.article_id DESC",
        ),
        _ => (
            format!("articles a INDEXED BY {index} CROSS JOIN mentions m ON m.article_id = a.id"),
            "a.sort_at DESC, a.id DESC",
        ),
    };
    let text = if with_text { "a.text" } else { "NULL" };
    let spans = if with_spans { "m.spans, m.snippets" } else { "'[]' AS spans, '[]' AS snippets" };
    let sql = format!(
        "SELECT a.id, a.title, a.url, a.source_id, s.name AS source, a.author, a.published_at, a.sort_at, a.lang,
                    COALESCE(a.cluster_id, a.id) AS story, a.starred_at IS NOT NULL AS starred, {text} AS text,
                    m.topic_id, t.name AS topic, {spans}
             FROM {from}
             CROSS JOIN sources s ON s.id = a.source_id
             CROSS JOIN topics t ON t.id = m.topic_id
             WHERE (?1 IS NULL OR m.topic_id IN (SELECT value FROM json_each(?1)))
               AND (?2 IS NULL OR a.sort_at >= ?2) AND (?3 IS NULL OR a.sort_at < ?3)
               AND (?4 IS NULL OR a.source_id IN (SELECT value FROM json_each(?4)))
               AND (?5 IS NULL OR s.group_name = ?5 COLLATE NOCASE)
               AND (?6 IS NULL OR EXISTS (SELECT 1 FROM json_each(?6) l
                     WHERE lower(a.lang) = lower(l.value) OR lower(a.lang) LIKE lower(l.value) || '-%'))
               AND (?7 = '0' OR a.starred_at IS NOT NULL) {starred}
               AND {cond}
             ORDER BY {order}"
    );
    (sql, params)
}

/// An article's hits in topic-name order. Sorted here, not in SQL: an ORDER BY on the topic's name would
/// make SQLite sort every row in scope (texts included) before handing out the first, where the order on
/// `(sort_at, id)` alone walks the `articles_sort` index and streams (see `scan_query`).
fn by_topic(mut a: ReportArticle) -> ReportArticle {
    a.hits.sort_by_cached_key(|h| h.topic.to_lowercase());
    a
}

fn article(r: &Row<'_>) -> Result<ReportArticle> {
    Ok(ReportArticle {
        id: r.get("id")?,
        title: r.get("title")?,
        url: r.get("url")?,
        source_id: r.get("source_id")?,
        source: r.get("source")?,
        author: r.get("author")?,
        published_at: get_opt_ts(r, "published_at")?,
        sort_at: get_ts(r, "sort_at")?,
        lang: r.get("lang")?,
        story: r.get("story")?,
        starred: r.get("starred")?,
        text: r.get("text")?,
        hits: Vec::new(),
    })
}

fn hit(r: &Row<'_>, article_id: Id) -> Result<TopicHit> {
    let topic_id: Id = r.get("topic_id")?;
    let corrupt = |e: serde_json::Error| {
        Error::Storage(format!("mention of article {article_id} by topic {topic_id} is corrupt: {e}"))
    };
    let spans: Vec<Span> = serde_json::from_str(&r.get::<_, String>("spans")?).map_err(corrupt)?;
    let snippets: Vec<String> = serde_json::from_str(&r.get::<_, String>("snippets")?).map_err(corrupt)?;
    Ok(TopicHit { topic_id, topic: r.get("topic")?, spans, snippets })
}

/// A saved report as stored: its definition and schedule as JSON (the app reads them).
#[derive(Debug, Clone)]
pub struct StoredReport {
    pub id: Id,
    pub name: String,
    pub definition: String,
    pub schedule: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_path: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

const REPORT_COLUMNS: &str = "id, name, definition, schedule, due_at, last_run_at, last_path, last_error, created_at";

fn stored_report(r: &Row<'_>) -> rusqlite::Result<StoredReport> {
    Ok(StoredReport {
        id: r.get("id")?,
        name: r.get("name")?,
        definition: r.get("definition")?,
        schedule: r.get("schedule")?,
        due_at: get_opt_ts(r, "due_at")?,
        last_run_at: get_opt_ts(r, "last_run_at")?,
        last_path: r.get("last_path")?,
        last_error: r.get("last_error")?,
        created_at: get_ts(r, "created_at")?,
    })
}

/// The saved report of this name (any case), on `c`.
fn named(c: &Connection, name: &str) -> rusqlite::Result<Option<StoredReport>> {
    c.query_row(&format!("SELECT {REPORT_COLUMNS} FROM reports WHERE name = ?1 COLLATE NOCASE"), [name], stored_report)
        .optional()
}

fn no_report(name: &str) -> Error {
    Error::NotFound(format!("no saved report named '{name}'"))
}

impl Store {
    /// Runs `f` on one read transaction, so that the passes of an export see the same articles even while
    /// a fetch writes.
    pub fn report_snapshot<T>(&self, f: impl FnOnce(&ReportSnapshot<'_>) -> Result<T>) -> Result<T> {
        self.read(|c| {
            let tx = c.unchecked_transaction()?;
            let out = f(&ReportSnapshot { conn: &tx });
            tx.finish()?;
            out
        })
    }

    /// Stars an article (`Some(when)`) or takes its star away (`None`).
    pub fn set_starred(&self, article_id: Id, at: Option<DateTime<Utc>>) -> Result<()> {
        let w = self.writer()?;
        let n = w.execute(
            "UPDATE articles SET starred_at = CASE WHEN ?2 IS NULL THEN NULL ELSE COALESCE(starred_at, ?2) END
             WHERE id = ?1",
            params![article_id, at.map(ts)],
        )?;
        if n == 0 {
            return Err(Error::NotFound(format!("no article with id {article_id}")));
        }
        Ok(())
    }

    /// Ids of the topics with these names, in the same order; an unknown name is an error that names it.
    pub fn topic_ids_named(&self, names: &[String]) -> Result<Vec<Id>> {
        self.read(|c| {
            let mut st = c.prepare_cached("SELECT id FROM topics WHERE name = ?1 COLLATE NOCASE")?;
            names
                .iter()
                .map(|n| {
                    st.query_row([n], |r| r.get(0))
                        .optional()?
                        .ok_or_else(|| Error::NotFound(format!("no topic named '{n}'")))
                })
                .collect()
        })
    }

    /// Whether a source group of this name exists (a report on a misspelt group would be silently empty).
    pub fn group_exists(&self, name: &str) -> Result<bool> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT EXISTS (SELECT 1 FROM sources WHERE group_name = ?1 COLLATE NOCASE)",
                [name],
                |r| r.get(0),
            )?)
        })
    }

    /// Source ids that do not exist, of these.
    pub fn missing_sources(&self, ids: &[Id]) -> Result<Vec<Id>> {
        self.read(|c| {
            let mut st = c.prepare_cached("SELECT EXISTS (SELECT 1 FROM sources WHERE id = ?1)")?;
            let mut missing = Vec::new();
            for id in ids {
                if !st.query_row([id], |r| r.get::<_, bool>(0))? {
                    missing.push(*id);
                }
            }
            Ok(missing)
        })
    }

    /// Saves a report definition under `name`, replacing the definition of a report of that name (its
    /// schedule and history stay).
    pub fn save_report(&self, name: &str, definition: &str, now: DateTime<Utc>) -> Result<StoredReport> {
        let w = self.writer()?;
        w.execute(
            "INSERT INTO reports (name, definition, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET definition = excluded.definition",
            params![name, definition, ts(now)],
        )?;
        named(&w, name)?.ok_or_else(|| no_report(name))
    }

    pub fn reports(&self) -> Result<Vec<StoredReport>> {
        self.read(|c| {
            let mut st =
                c.prepare_cached(&format!("SELECT {REPORT_COLUMNS} FROM reports ORDER BY name COLLATE NOCASE"))?;
            let rows = st.query_map([], stored_report)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    pub fn report_named(&self, name: &str) -> Result<StoredReport> {
        self.read(|c| named(c, name)?.ok_or_else(|| no_report(name)))
    }

    pub fn remove_report(&self, name: &str) -> Result<()> {
        let w = self.writer()?;
        if w.execute("DELETE FROM reports WHERE name = ?1 COLLATE NOCASE", [name])? == 0 {
            return Err(no_report(name));
        }
        Ok(())
    }

    /// Sets (or, with `None`, clears) a saved report's schedule and when it is next due.
    pub fn set_report_schedule(&self, name: &str, schedule: Option<(&str, DateTime<Utc>)>) -> Result<StoredReport> {
        let w = self.writer()?;
        let n = w.execute(
            "UPDATE reports SET schedule = ?2, due_at = ?3 WHERE name = ?1 COLLATE NOCASE",
            params![name, schedule.map(|s| s.0), schedule.map(|s| ts(s.1))],
        )?;
        if n == 0 {
            return Err(no_report(name));
        }
        named(&w, name)?.ok_or_else(|| no_report(name))
    }

    /// Scheduled reports due at `now`, the longest overdue first.
    pub fn due_reports(&self, now: DateTime<Utc>) -> Result<Vec<StoredReport>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {REPORT_COLUMNS} FROM reports WHERE due_at IS NOT NULL AND due_at <= ?1 ORDER BY due_at, id"
            ))?;
            let rows = st.query_map([ts(now)], stored_report)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Records a run: when, where it went or what failed, and (scheduled reports) when it is next due.
    pub fn report_ran(
        &self,
        id: Id,
        at: DateTime<Utc>,
        outcome: std::result::Result<&str, &str>,
        next_due: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let w = self.writer()?;
        let (path, error) = match outcome {
            Ok(p) => (Some(p), None),
            Err(e) => (None, Some(e)),
        };
        w.execute(
            "UPDATE reports SET last_run_at = ?2, last_path = COALESCE(?3, last_path), last_error = ?4,
                    due_at = CASE WHEN schedule IS NULL THEN NULL ELSE COALESCE(?5, due_at) END
             WHERE id = ?1",
            params![id, ts(at), path, error, next_due.map(ts)],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::prefilter::prefilter;
    use crate::topics::query::parse;
    use chrono::TimeZone;

    /// Every shape of scope walks `articles_sort` (or its starred twin) and sorts nothing: a temporary
    /// B-tree here means SQLite reads and sorts every row in scope, texts included, before the first.
    #[test]
    fn the_scan_streams() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("mw.db")).unwrap();
        let day = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
        let all = ScopeFilter::default();
        let scopes = [
            all.clone(),
            ScopeFilter { topic_ids: Some(vec![1, 2]), ..all.clone() },
            ScopeFilter { topic_ids: Some(vec![1]), since: Some(day), starred: true, ..all.clone() },
            ScopeFilter { since: Some(day), until: Some(day + chrono::Duration::days(30)), ..all.clone() },
            ScopeFilter { source_ids: Some(vec![3]), group: Some("Wires".into()), ..all.clone() },
            ScopeFilter { langs: Some(vec!["ru".into()]), starred: true, ..all.clone() },
            ScopeFilter { prefilter: Some(prefilter(&parse("visa* AND NOT title:sport").unwrap(), false)), ..all },
        ];
        let plans = |store: &Store| -> Vec<String> {
            store
                .read(|c| {
                    let mut out = Vec::new();
                    for f in &scopes {
                        let (sql, params) = scan_query(f, true, true);
                        let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                        let details = st
                            .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get::<_, String>(3))?
                            .collect::<rusqlite::Result<Vec<_>>>()?;
                        out.push(details.join(" | "));
                    }
                    Ok(out)
                })
                .unwrap()
        };
        let check = |plans: Vec<String>| {
            for p in plans {
                assert!(!p.contains("TEMP B-TREE"), "the scan sorts: {p}");
                assert!(
                    p.starts_with("SCAN a USING INDEX articles_s")
                        || p.starts_with("SEARCH m USING INDEX mentions_topic_sort"),
                    "the scan walks neither the articles nor one topic's mentions in order: {p}"
                );
            }
        };
        check(plans(&store));
        // With statistics, as `PRAGMA optimize` leaves them on an analyst's database.
        store.writer().unwrap().execute_batch("ANALYZE").unwrap();
        check(plans(&store));
    }
}
