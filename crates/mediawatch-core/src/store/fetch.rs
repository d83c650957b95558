//! The fetch cycle's side of the store: which sources are due, and one transaction per source that stores
//! its new and updated articles with their mentions and stories, or records its failure.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::{parse_ts, ts, MentionOrigin, NewArticle, Store};
use crate::articles::cluster::Fingerprint;
use crate::error::{Error, Result};
use crate::model::{FetchCycle, FullTextMode, Id, SourceKind};

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

/// What a successful fetch changes on its source.
#[derive(Debug, Clone, Default)]
pub struct FetchOk {
    pub http_status: Option<u16>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The feed's own title, used as the source's name while the analyst has not named it.
    pub feed_title: Option<String>,
}

impl Store {
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
        self.save_articles(source_id, ok, articles, now, next_fetch, MentionOrigin::Fetch)
    }

    /// [`Store::save_fetch`] for `mediawatch import`: the same transaction, but its mentions are not news
    /// and never alert.
    pub fn save_import(&self, source_id: Id, articles: &[NewArticle], now: DateTime<Utc>) -> Result<u32> {
        self.save_articles(source_id, &FetchOk::default(), articles, now, now, MentionOrigin::Import)
    }

    fn save_articles(
        &self,
        source_id: Id,
        ok: &FetchOk,
        articles: &[NewArticle],
        now: DateTime<Utc>,
        next_fetch: DateTime<Utc>,
        origin: MentionOrigin,
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
                "INSERT INTO mentions (article_id, topic_id, spans, snippet, snippets, flagged_at, origin)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (article_id, topic_id) DO UPDATE
                 SET spans = excluded.spans, snippet = excluded.snippet, snippets = excluded.snippets",
            )?;
            // A mention this fetch flagged is news once: a changed article that a topic flagged before (from
            // a fetch, an import or a backfill) keeps its row and its origin, and gets no second log row.
            let mut log = tx.prepare_cached(
                "INSERT OR IGNORE INTO news_log (topic_id, article_id, flagged_at, story, published_at)
                 SELECT topic_id, article_id, flagged_at, ?4, ?5 FROM mentions
                 WHERE article_id = ?1 AND topic_id = ?2 AND origin = 'fetch' AND flagged_at = ?3",
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
                    mention.execute(params![
                        article_id,
                        m.topic_id,
                        spans,
                        m.snippet,
                        snippets,
                        ts(now),
                        origin.as_str()
                    ])?;
                    if origin == MentionOrigin::Fetch {
                        log.execute(params![article_id, m.topic_id, ts(now), cluster_of, a.published_at.map(ts)])?;
                    }
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

    /// Keeps what a fetch cycle did, and forgets all but the newest [`FETCH_CYCLES_KEPT`] cycles.
    pub fn record_fetch_cycle(&self, c: &FetchCycle) -> Result<()> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO fetch_cycles (started_at, finished_at, sources, new_articles, not_modified, errors,
                                       new_mentions, alerts_fired, cancelled)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                ts(c.started_at),
                ts(c.finished_at),
                c.sources,
                c.new_articles,
                c.not_modified,
                c.errors,
                c.new_mentions,
                c.alerts_fired,
                c.cancelled
            ],
        )?;
        tx.execute(
            "DELETE FROM fetch_cycles WHERE id <= (SELECT MAX(id) FROM fetch_cycles) - ?1",
            [FETCH_CYCLES_KEPT],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The newest fetch cycles, newest first.
    pub fn fetch_cycles(&self, limit: u32) -> Result<Vec<FetchCycle>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT started_at, finished_at, sources, new_articles, not_modified, errors, new_mentions,
                        alerts_fired, cancelled
                 FROM fetch_cycles ORDER BY id DESC LIMIT ?1",
            )?;
            let rows = st.query_map([limit], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    FetchCycle {
                        started_at: DateTime::<Utc>::MIN_UTC,
                        finished_at: DateTime::<Utc>::MIN_UTC,
                        sources: r.get(2)?,
                        new_articles: r.get(3)?,
                        not_modified: r.get(4)?,
                        errors: r.get(5)?,
                        new_mentions: r.get(6)?,
                        alerts_fired: r.get(7)?,
                        cancelled: r.get(8)?,
                    },
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (started, finished, mut cycle) = row?;
                cycle.started_at = parse_ts(&started)?;
                cycle.finished_at = parse_ts(&finished)?;
                out.push(cycle);
            }
            Ok(out)
        })
    }
}

/// How many fetch cycles the database remembers (a scheduler cycling every few minutes keeps about a day).
pub const FETCH_CYCLES_KEPT: u32 = 500;
