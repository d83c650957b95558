//! Topic use cases: add and edit topics (re-matching the stored articles in the background, with progress
//! and cancellation), preview a query over the stored articles before saving it, the default pack, and
//! full-text search in the same query language (under the Mentions list's filters, its matches counted per
//! topic, source and language).
//!
//! Backfill, preview and search share one path: the query's prefilter (`topics::prefilter`) narrows the
//! stored articles in SQLite (FTS5 terms, phrases and prefixes over the normalised index), and the
//! engine verifies every candidate, so a search and a topic never disagree about what a query means.

use std::collections::HashMap;
use std::ops::ControlFlow;

use chrono::{DateTime, Duration, Utc};
use tokio_util::sync::CancellationToken;

use super::Mediawatch;
use crate::error::{Error, Result};
use crate::model::{
    BackfillProgress, DefaultTopic, Id, LangFacet, MentionCursor, NewTopic, QueryCheck, SearchFacets, SearchHit,
    SearchOrder, SearchPage, SearchQuery, SkippedTopic, SourceFacet, Topic, TopicFacet, TopicPreview,
};
use crate::store::{NewMention, SearchFilter, Store, StoredText, Walk};
use crate::topics::prefilter::{prefilter, Prefilter};
use crate::topics::{
    self, defaults::DEFAULT_TOPICS, query, Document, Matcher, PreparedArticle, Scratch, TopicMatch, TopicSpec,
};

/// The preview's recent windows: matches dated in the last week and in the last month.
const WEEK: Duration = Duration::days(7);
const MONTH: Duration = Duration::days(30);

/// Articles read from the store at a time by a backfill or a preview.
const BATCH: u32 = 500;
/// Relevance order ranks every hit: above this many candidates, search keeps the newest-first order.
const MAX_RANKED: u32 = 2_000;

/// How far a search's facets count (`Mediawatch::search_facets`): matches are walked newest first, each
/// candidate read with its text and verified, until one of the caps.
#[derive(Debug, Clone, Copy)]
struct FacetCaps {
    /// Matches counted at most: 20,000. The lists show the top ten of each kind, whose order and shares have
    /// long settled by then; the count stays within about a second after the hits (`mediawatch search --facets`
    /// on a generated store of 100,000 articles, release build on two shared cores: the newest 20,000 matches
    /// of `summit` in 0.4–0.6 s, of a topic's name in 0.9–1.1 s, the whole process); and it is every match
    /// of all but the broadest queries (the commonest generated topic has about 40,000 articles in a year of
    /// 200,000, BENCHMARKS.md). Past it the counts are the newest 20,000 matches', and `capped` says so.
    matches: u32,
    /// Candidates read at most: 100,000. A query whose prefilter passes far more articles than match (`NEAR`,
    /// case-sensitive terms, fields the index does not hold) stops there instead of verifying a whole store of
    /// a million articles: `{SUMMIT}` verified its 60,000 candidates (none a match) in 0.7 s on the store
    /// above, so the cap is about a second and a half. The counts then cover the matches among the newest
    /// 100,000 candidates, which are again the newest matches.
    candidates: u32,
}

impl FacetCaps {
    const DEFAULT: FacetCaps = FacetCaps { matches: 20_000, candidates: 100_000 };
}

/// Candidates a facet count reads (with their text) and verifies at a time; cancellation is checked between.
const FACET_BATCH: usize = 500;

/// The first window of candidates a search page reads (then 4×, 16×, …); tiny in unit tests, so that they walk
/// several windows.
const PAGE_WINDOW: u32 = if cfg!(test) { 2 } else { 2_000 };

/// A stored article as the topic language reads it.
pub(crate) fn document(a: &StoredText) -> Document<'_> {
    Document {
        title: &a.title,
        text: &a.text,
        lang: a.lang.as_deref(),
        source: Some(&a.source),
        url: a.url.as_deref(),
        author: a.author.as_deref(),
    }
}

/// The mention a topic match becomes: its spans, the sentence around the first hit, one sentence per hit.
pub(crate) fn new_mention(m: TopicMatch, title: &str, text: &str) -> NewMention {
    NewMention {
        topic_id: m.topic_id,
        snippet: topics::snippet(text, &m.spans),
        snippets: topics::snippets(title, text, &m.spans),
        spans: m.spans,
    }
}

/// The matcher of the stored topics. A topic whose query no longer parses (written for an older grammar) is
/// left out, rather than stopping the fetch, and returned with its error for the cycle's summary.
pub(crate) fn stored_topics_matcher(queries: &[(Id, String, bool)]) -> (Matcher, Vec<SkippedTopic>) {
    let (matcher, errors) =
        Matcher::with_valid_specs(queries.iter().map(|(id, q, stem)| TopicSpec { id: *id, query: q, stem: *stem }));
    let skipped = errors
        .into_iter()
        .map(|(topic, e)| {
            let e = Error::InvalidQuery(e);
            SkippedTopic { topic, code: e.code().to_string(), message: e.to_string() }
        })
        .collect();
    (matcher, skipped)
}

/// Matches one compiled topic against stored articles.
fn match_texts(matcher: &Matcher, texts: &[StoredText]) -> Vec<(Id, NewMention)> {
    let mut out = Vec::new();
    for a in texts {
        for m in matcher.match_article(&PreparedArticle::new(document(a))) {
            out.push((a.id, new_mention(m, &a.title, &a.text)));
        }
    }
    out
}

/// Re-matches the stored articles that pass the prefilter: the mentions, and the last article id that
/// existed when the scan began (later ones are caught up inside the write).
fn backfill(
    store: &Store,
    matcher: &Matcher,
    filter: &Prefilter,
    progress: &(dyn Fn(BackfillProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<(Vec<(Id, NewMention)>, Id)> {
    let through = store.max_article_id()?;
    let total = store.prefilter_count(filter)?;
    let mut report = BackfillProgress { done: 0, total, matched: 0 };
    progress(report.clone());
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let batch = store.prefiltered_texts(filter, after, BATCH)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let found = match_texts(matcher, &batch);
        report.done += batch.len() as u32;
        // Articles stored during the scan may pass the prefilter too.
        report.total = report.total.max(report.done);
        report.matched += found.len() as u32;
        out.extend(found);
        progress(report.clone());
        if after >= through {
            break;
        }
    }
    Ok((out, through))
}

/// A hit of a search or a preview.
fn search_hit(a: &StoredText, m: TopicMatch) -> SearchHit {
    SearchHit {
        article_id: a.id,
        title: a.title.clone(),
        url: a.url.clone(),
        source_id: a.source_id,
        source: a.source.clone(),
        published_at: a.published_at,
        sort_at: a.sort_at,
        lang: a.lang.clone(),
        snippet: topics::snippet(&a.text, &m.spans),
        spans: m.spans,
    }
}

/// The FTS5 expression of a prefilter, for bm25 ranking (a simplified prefilter is one or none).
fn fts_part(p: &Prefilter) -> Option<&str> {
    match p {
        Prefilter::Fts(s) => Some(s),
        _ => None,
    }
}

impl Mediawatch {
    /// Reads a query the way the matcher will (pure).
    pub fn check_query(&self, query: &str) -> QueryCheck {
        topics::check(query)
    }

    /// Adds a topic and flags the stored articles it matches (in the same transaction).
    pub async fn add_topic(&self, new: NewTopic) -> Result<Topic> {
        self.save_topic(None, new, |_| {}, CancellationToken::new()).await
    }

    /// Adds a topic, re-matching the stored articles with progress; cancelling adds nothing.
    pub async fn add_topic_with_progress(
        &self,
        new: NewTopic,
        progress: impl Fn(BackfillProgress) + Send + Sync + 'static,
        cancel: CancellationToken,
    ) -> Result<Topic> {
        self.save_topic(None, new, progress, cancel).await
    }

    /// Changes a topic's name, query, description or stemming and re-matches the stored articles with
    /// progress: articles it still flags keep their first flagging time, the others lose the mention.
    /// Cancelling leaves the topic as it was.
    pub async fn edit_topic(
        &self,
        id: Id,
        new: NewTopic,
        progress: impl Fn(BackfillProgress) + Send + Sync + 'static,
        cancel: CancellationToken,
    ) -> Result<Topic> {
        self.save_topic(Some(id), new, progress, cancel).await
    }

    async fn save_topic(
        &self,
        id: Option<Id>,
        new: NewTopic,
        progress: impl Fn(BackfillProgress) + Send + Sync + 'static,
        cancel: CancellationToken,
    ) -> Result<Topic> {
        let name = new.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::InvalidInput("a topic needs a name".into()));
        }
        let query = new.query.trim().to_string();
        let parsed = query::parse(&query)?;
        let description = new.description.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
        let topic = NewTopic { name, query, description, stem: new.stem };
        let now = self.now();
        self.db(move |s| {
            if let Some(existing) = s.topic_id_by_name(&topic.name)? {
                if Some(existing) != id {
                    return Err(Error::Conflict(format!("a topic named '{}' exists already", topic.name)));
                }
            }
            if let Some(id) = id {
                s.topic(id)?;
            }
            let matcher = Matcher::with_specs([TopicSpec { id: 0, query: &topic.query, stem: topic.stem }])?;
            let filter = prefilter(&parsed, topic.stem);
            let (mentions, through) = backfill(s, &matcher, &filter, &progress, &cancel)?;
            let catch_up = |late: &[StoredText]| match_texts(&matcher, late);
            s.save_topic(id, &topic, &mentions, through, &catch_up, now)
        })
        .await
    }

    /// What a query would flag among the stored articles, before it is saved: every match counted (and of
    /// them, the ones dated in the last 7 and 30 days by the core's clock), the newest `limit` shown with
    /// their spans.
    pub async fn preview_topic(&self, query: String, stem: bool, limit: u32) -> Result<TopicPreview> {
        let check = topics::check(&query);
        let Ok(parsed) = query::parse(&query) else {
            return Ok(TopicPreview { check, matched: 0, matched_7d: 0, matched_30d: 0, scanned: 0, hits: Vec::new() });
        };
        let limit = limit.clamp(1, 200) as usize;
        let recent = Recent::at(self.now());
        self.db(move |s| {
            let matcher = Matcher::with_specs([TopicSpec { id: 0, query: &query, stem }])?;
            let filter = prefilter(&parsed, stem);
            let mut preview =
                TopicPreview { check, matched: 0, matched_7d: 0, matched_30d: 0, scanned: 0, hits: Vec::new() };
            let mut after = 0;
            loop {
                let batch = s.prefiltered_texts(&filter, after, BATCH)?;
                let Some(last) = batch.last() else { break };
                after = last.id;
                preview.scanned += batch.len() as u32;
                for a in &batch {
                    if let Some(m) = matcher.match_article(&PreparedArticle::new(document(a))).into_iter().next() {
                        recent.count(&mut preview, a.sort_at);
                        preview.hits.push(search_hit(a, m));
                    }
                }
                if preview.hits.len() > 4 * limit {
                    newest_first(&mut preview.hits);
                    preview.hits.truncate(limit);
                }
            }
            newest_first(&mut preview.hits);
            preview.hits.truncate(limit);
            Ok(preview)
        })
        .await
    }

    /// Full-text search over every stored article in the topic query language, under the Mentions list's
    /// filters (period, source, language, topic, unread): newest first with keyset pagination, or by relevance
    /// (bm25) when the candidates are few enough to rank them all.
    pub async fn search(&self, q: SearchQuery) -> Result<SearchPage> {
        let parsed = query::parse(q.query.trim())?;
        let limit = q.limit.unwrap_or(50).clamp(1, 1000) as usize;
        let text = q.query.trim().to_string();
        self.db(move |s| {
            let matcher = search_matcher(&text)?;
            let filter = prefilter(&parsed, false);
            let scope = s.search_filter(&q)?;
            let wanted = q.order.unwrap_or_default();
            if wanted == SearchOrder::Relevance {
                let candidates = s.prefiltered_newest(&filter, &scope, None, MAX_RANKED + 1)?;
                let fts = fts_part(&filter);
                let note = if candidates.len() as u32 > MAX_RANKED {
                    Some(format!("more than {MAX_RANKED} candidates: shown newest first"))
                } else if fts.is_none() {
                    Some(
                        "this query has no words to rank by (only negations or field filters): shown newest first"
                            .into(),
                    )
                } else {
                    None
                };
                if let (None, Some(fts)) = (&note, fts) {
                    let mut hits: Vec<SearchHit> = candidates
                        .iter()
                        .filter_map(|a| {
                            let m = matcher.match_article(&PreparedArticle::new(document(a))).into_iter().next()?;
                            Some(search_hit(a, m))
                        })
                        .collect();
                    let ids: Vec<Id> = hits.iter().map(|h| h.article_id).collect();
                    let scores = s.bm25(fts, &ids)?;
                    hits.sort_by(|a, b| {
                        let sa = scores.get(&a.article_id).copied().unwrap_or(f64::MAX);
                        let sb = scores.get(&b.article_id).copied().unwrap_or(f64::MAX);
                        sa.total_cmp(&sb).then(b.sort_at.cmp(&a.sort_at)).then(b.article_id.cmp(&a.article_id))
                    });
                    hits.truncate(limit);
                    return Ok(SearchPage { hits, next: None, order: SearchOrder::Relevance, note: None });
                }
                let mut page = newest_page(s, &matcher, &filter, &scope, q.before.as_ref(), limit)?;
                page.note = note;
                return Ok(page);
            }
            newest_page(s, &matcher, &filter, &scope, q.before.as_ref(), limit)
        })
        .await
    }

    /// How the matches of a search divide among topics, sources and languages, under the same filters as its
    /// hits (its cursor, limit and order aside) and verified by the same matcher: a candidate of the prefilter
    /// that the query does not match is not counted. Matches are counted newest first up to the caps of
    /// [`FacetCaps`]; `capped` then says how many newest matches the counts cover. Cancelling stops the count
    /// (`Error::Cancelled`) between batches.
    pub async fn search_facets(&self, q: SearchQuery, cancel: CancellationToken) -> Result<SearchFacets> {
        self.search_facets_within(q, FacetCaps::DEFAULT, cancel).await
    }

    async fn search_facets_within(
        &self,
        q: SearchQuery,
        caps: FacetCaps,
        cancel: CancellationToken,
    ) -> Result<SearchFacets> {
        let parsed = query::parse(q.query.trim())?;
        let text = q.query.trim().to_string();
        self.db(move |s| {
            let matcher = search_matcher(&text)?;
            let filter = prefilter(&parsed, false);
            let scope = s.search_filter(&q)?;
            count_facets(s, &matcher, &filter, &scope, caps, &cancel)
        })
        .await
    }

    /// The default topic pack, each marked installed when a topic of that name exists.
    pub async fn default_topics(&self) -> Result<Vec<DefaultTopic>> {
        let existing = self.list_topics().await?;
        Ok(DEFAULT_TOPICS
            .iter()
            .map(|t| DefaultTopic {
                name: t.name.to_string(),
                query: t.query.to_string(),
                description: t.description.to_string(),
                installed: existing.iter().any(|e| e.name.eq_ignore_ascii_case(t.name)),
            })
            .collect())
    }

    /// Installs the default topics not installed yet; running it again changes nothing. Returns the added.
    pub async fn install_default_topics(&self) -> Result<Vec<Topic>> {
        let mut added = Vec::new();
        for t in self.default_topics().await?.into_iter().filter(|t| !t.installed) {
            added.push(
                self.add_topic(NewTopic {
                    name: t.name,
                    query: t.query,
                    description: Some(t.description),
                    stem: false,
                })
                .await?,
            );
        }
        Ok(added)
    }

    /// The stored topics; a topic whose query no longer parses says why in `query_error`.
    pub async fn list_topics(&self) -> Result<Vec<Topic>> {
        let mut topics = self.db(Store::list_topics).await?;
        for t in &mut topics {
            t.query_error = query::parse(&t.query).err().map(|e| Error::InvalidQuery(e).to_string());
        }
        Ok(topics)
    }

    pub async fn remove_topic(&self, id: Id) -> Result<()> {
        self.db(move |s| s.remove_topic(id)).await
    }

    /// The id of the topic named `name` (case-insensitive).
    pub async fn topic_id(&self, name: String) -> Result<Id> {
        self.db(move |s| s.topic_id_by_name(&name)?.ok_or_else(|| Error::NotFound(format!("no topic named '{name}'"))))
            .await
    }

    /// A topic by id.
    pub async fn topic(&self, id: Id) -> Result<Topic> {
        self.db(move |s| s.topic(id)).await
    }
}

/// Where the preview's last 7 and 30 days begin.
struct Recent {
    week: DateTime<Utc>,
    month: DateTime<Utc>,
}

impl Recent {
    fn at(now: DateTime<Utc>) -> Recent {
        Recent { week: now - WEEK, month: now - MONTH }
    }

    /// Counts one match dated `sort_at` (an article dated after the clock, which a clock set back can see,
    /// counts as recent).
    fn count(&self, p: &mut TopicPreview, sort_at: DateTime<Utc>) {
        p.matched += 1;
        p.matched_7d += u32::from(sort_at >= self.week);
        p.matched_30d += u32::from(sort_at >= self.month);
    }
}

fn newest_first(hits: &mut [SearchHit]) {
    hits.sort_by(|a, b| b.sort_at.cmp(&a.sort_at).then(b.article_id.cmp(&a.article_id)));
}

/// The matcher of a search's query: its hits and its facets verify with this one.
fn search_matcher(query: &str) -> Result<Matcher> {
    Matcher::new([(0, query)])
}

/// One newest-first page: the candidates walked from the cursor on (`Store::walk_candidates`: one sort of
/// their ids for the page, their texts read a batch at a time), verified, until `limit` hits.
fn newest_page(
    s: &Store,
    matcher: &Matcher,
    filter: &Prefilter,
    scope: &SearchFilter,
    before: Option<&MentionCursor>,
    limit: usize,
) -> Result<SearchPage> {
    let mut hits = Vec::new();
    let mut next = None;
    let batch = (limit * 2).clamp(100, 1000);
    // The candidates are read in windows that grow fourfold, each newest first from where the last one
    // ended: SQLite orders a window with a top-N sort (LIMIT), so a common word's first page reads its newest
    // few thousand candidates, not every one sorted (2.2 s against 0.6 s for "summit" in 1,000,000 articles),
    // and a prefilter that passes many articles that do not match still ends in a few windows.
    let mut from = before.cloned();
    let mut window = PAGE_WINDOW;
    loop {
        let mut last = None;
        let walk = s.walk_candidates(filter, scope, from.as_ref(), batch, window, |texts| {
            for a in &texts {
                last = Some(MentionCursor { sort_at: a.sort_at, article_id: a.id, score: None });
                if let Some(m) = matcher.match_article(&PreparedArticle::new(document(a))).into_iter().next() {
                    hits.push(search_hit(a, m));
                    if hits.len() == limit {
                        next = last.clone();
                        return Ok(ControlFlow::Break(()));
                    }
                }
            }
            Ok(ControlFlow::Continue(()))
        })?;
        match (walk, last) {
            (Walk::Capped, Some(cursor)) => {
                from = Some(cursor);
                window = window.saturating_mul(4);
            }
            _ => break,
        }
    }
    Ok(SearchPage { hits, next, order: SearchOrder::Newest, note: None })
}

/// The facets of a search: its candidates walked newest first (as a page's), each verified and counted until
/// a cap; then the topics of the matches counted in one statement.
fn count_facets(
    s: &Store,
    matcher: &Matcher,
    filter: &Prefilter,
    scope: &SearchFilter,
    caps: FacetCaps,
    cancel: &CancellationToken,
) -> Result<SearchFacets> {
    let mut total = 0u32;
    let mut sources: HashMap<Id, (String, u32)> = HashMap::new();
    let mut langs: HashMap<String, u32> = HashMap::new();
    let mut matched = Vec::new();
    let mut scratch = Scratch::default();
    let mut full = false;
    let walk = s.walk_candidates(filter, scope, None, FACET_BATCH, caps.candidates, |texts| {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        for a in &texts {
            let mut hit = false;
            matcher.for_each_match_in(&mut scratch, &PreparedArticle::new(document(a)), |_, _| hit = true);
            if !hit {
                continue;
            }
            // One match more than counted: older matches exist.
            if total == caps.matches {
                full = true;
                return Ok(ControlFlow::Break(()));
            }
            total += 1;
            sources.entry(a.source_id).or_insert_with(|| (a.source.clone(), 0)).1 += 1;
            *langs.entry(a.lang.clone().unwrap_or_default()).or_default() += 1;
            matched.push(a.id);
        }
        Ok(ControlFlow::Continue(()))
    })?;
    // Past the cap of candidates, older matches may exist.
    let capped = full || walk == Walk::Capped;
    let topic_counts = s.topic_counts(&matched)?;
    let names = if topic_counts.is_empty() { HashMap::new() } else { s.topic_names()? };
    let mut topics: Vec<TopicFacet> = topic_counts
        .into_iter()
        .filter_map(|(id, count)| Some(TopicFacet { name: names.get(&id)?.clone(), count }))
        .collect();
    topics.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| by_name(&a.name, &b.name)));
    let mut sources: Vec<SourceFacet> =
        sources.into_iter().map(|(id, (name, count))| SourceFacet { id, name, count }).collect();
    sources.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| by_name(&a.name, &b.name)).then(a.id.cmp(&b.id)));
    let mut langs: Vec<LangFacet> = langs.into_iter().map(|(code, count)| LangFacet { code, count }).collect();
    langs.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    Ok(SearchFacets { total, topics, sources, langs, capped: capped.then_some(total) })
}

/// Names in alphabetical order, case aside (then as written, so the order is total).
fn by_name(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod search_tests {
    use super::*;

    /// Seven articles a day apart, newest first: `summit NEAR/2 talks` matches the ones marked `m`; the others
    /// are candidates of its prefilter (both words, too far apart).
    async fn core_with(matches: &[bool]) -> (Mediawatch, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let core = Mediawatch::open(dir.path().join("mw.db")).unwrap();
        let lines: String = matches
            .iter()
            .enumerate()
            .map(|(i, &m)| {
                let text = if m {
                    format!("Leaders began summit talks on day {i} of the meeting in the city.")
                } else {
                    format!("The summit ended on day {i}. Later that week, separate trade talks were held elsewhere.")
                };
                let line = serde_json::json!({
                    "id": format!("a{i}"), "title": format!("Day {i}"), "text": text,
                    "source": if i % 2 == 0 { "Even" } else { "Odd" }, "lang": "en",
                    "url": format!("https://news.example.com/{i}"),
                    "published": format!("2024-10-{:02}T10:00:00Z", 20 - i),
                });
                format!("{line}\n")
            })
            .collect();
        let path = dir.path().join("a.jsonl");
        std::fs::write(&path, lines).unwrap();
        assert_eq!(core.import(path).await.unwrap().new_articles as usize, matches.len());
        (core, dir)
    }

    fn sources(f: &SearchFacets) -> Vec<(&str, u32)> {
        f.sources.iter().map(|s| (s.name.as_str(), s.count)).collect()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn facets_stop_at_their_caps_and_say_how_many_newest_matches_they_cover() {
        //                                 a0    a1    a2     a3    a4    a5     a6
        let (core, _dir) = core_with(&[true, true, false, true, true, false, true]).await;
        let q = || SearchQuery { query: "summit NEAR/2 talks".into(), ..SearchQuery::default() };
        let within = |matches, candidates| {
            core.search_facets_within(q(), FacetCaps { matches, candidates }, CancellationToken::new())
        };

        let all = within(100, 100).await.unwrap();
        assert_eq!((all.total, all.capped), (5, None));
        assert_eq!(sources(&all), [("Even", 3), ("Odd", 2)]);
        // Exactly as many matches as the cap: complete, not capped.
        let exact = within(5, 100).await.unwrap();
        assert_eq!((exact.total, exact.capped), (5, None));

        // The cap of matches: the newest two (a0, a1) counted, and `capped` says so.
        let two = within(2, 100).await.unwrap();
        assert_eq!((two.total, two.capped), (2, Some(2)));
        assert_eq!(sources(&two), [("Even", 1), ("Odd", 1)]);
        // Three: a0, a1, a3 (a2 is a candidate, not a match).
        let three = within(3, 100).await.unwrap();
        assert_eq!((three.total, three.capped), (3, Some(3)));
        assert_eq!(sources(&three), [("Odd", 2), ("Even", 1)]);

        // The cap of candidates: the newest four candidates (a0..a3) hold three matches.
        let four = within(100, 4).await.unwrap();
        assert_eq!((four.total, four.capped), (3, Some(3)));
        // As many candidates as there are: complete.
        let seven = within(100, 7).await.unwrap();
        assert_eq!((seven.total, seven.capped), (5, None));

        let default = core.search_facets(q(), CancellationToken::new()).await.unwrap();
        assert_eq!(default, all);
    }

    /// The walk of a search's candidates hands them over newest first in batches, stops when the visitor says
    /// so, and tells a complete walk from one cut at its most candidates.
    #[tokio::test(flavor = "multi_thread")]
    async fn the_candidates_walk_in_batches_newest_first() {
        let (core, _dir) = core_with(&[true; 7]).await;
        let walk = |batch: usize, max: u32, stop_after: usize| {
            core.db(move |s| {
                let mut seen: Vec<Vec<String>> = Vec::new();
                let end = s.walk_candidates(&Prefilter::All, &SearchFilter::default(), None, batch, max, |texts| {
                    seen.push(texts.iter().map(|a| a.title.clone()).collect());
                    Ok(if seen.len() == stop_after { ControlFlow::Break(()) } else { ControlFlow::Continue(()) })
                })?;
                Ok((seen, end))
            })
        };
        let days = |r: std::ops::Range<usize>| r.map(|i| format!("Day {i}")).collect::<Vec<_>>();
        let (seen, end) = walk(3, 100, 0).await.unwrap();
        assert_eq!(seen, [days(0..3), days(3..6), days(6..7)]);
        assert_eq!(end, Walk::Exhausted);
        let (seen, end) = walk(2, 5, 0).await.unwrap();
        assert_eq!(seen, [days(0..2), days(2..4), days(4..5)]);
        assert_eq!(end, Walk::Capped);
        let (seen, end) = walk(2, 7, 0).await.unwrap();
        assert_eq!((seen.len(), end), (4, Walk::Exhausted));
        let (seen, end) = walk(2, 100, 2).await.unwrap();
        assert_eq!((seen, end), (vec![days(0..2), days(2..4)], Walk::Stopped));
        // From a cursor on: the ones older than it.
        let cursor =
            core.search(SearchQuery { query: "title:\"Day 2\"".into(), ..SearchQuery::default() }).await.unwrap();
        let at = &cursor.hits[0];
        let before = MentionCursor { sort_at: at.sort_at, article_id: at.article_id, score: None };
        let seen = core
            .db(move |s| {
                let mut seen = Vec::new();
                s.walk_candidates(&Prefilter::All, &SearchFilter::default(), Some(&before), 10, 100, |texts| {
                    seen.extend(texts.into_iter().map(|a| a.title));
                    Ok(ControlFlow::Continue(()))
                })?;
                Ok(seen)
            })
            .await
            .unwrap();
        assert_eq!(seen, days(3..7));
    }

    /// A page reads its candidates in growing windows: matches far apart, behind candidates that do not
    /// match, are all found, page after page, whatever the page size.
    #[tokio::test(flavor = "multi_thread")]
    async fn pages_walk_the_candidates_in_growing_windows() {
        //                                 a0     a1     a2     a3    a4     a5    a6
        let (core, _dir) = core_with(&[false, false, false, true, false, true, true]).await;
        for limit in 1..=4 {
            let mut titles = Vec::new();
            let mut before = None;
            loop {
                let q = SearchQuery {
                    query: "summit NEAR/2 talks".into(),
                    limit: Some(limit),
                    before: before.clone(),
                    ..SearchQuery::default()
                };
                let page = core.search(q).await.unwrap();
                assert!(page.hits.len() <= limit as usize);
                titles.extend(page.hits.into_iter().map(|h| h.title));
                match page.next {
                    Some(next) => before = Some(next),
                    None => break,
                }
            }
            assert_eq!(titles, ["Day 3", "Day 5", "Day 6"], "pages of {limit}");
        }
    }
}
