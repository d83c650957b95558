//! Topic use cases: add and edit topics (re-matching the stored articles in the background, with progress
//! and cancellation), preview a query over the stored articles before saving it, the default pack, and
//! full-text search in the same query language.
//!
//! Backfill, preview and search share one path: the query's prefilter (`topics::prefilter`) narrows the
//! stored articles in SQLite (FTS5 terms, phrases and prefixes over the normalised index), and the
//! engine verifies every candidate, so a search and a topic never disagree about what a query means.

use tokio_util::sync::CancellationToken;

use super::Mediawatch;
use crate::error::{Error, Result};
use crate::model::{
    BackfillProgress, DefaultTopic, Id, MentionCursor, NewTopic, QueryCheck, SearchHit, SearchOrder, SearchPage,
    SearchQuery, SkippedTopic, Topic, TopicPreview,
};
use crate::store::{NewMention, Store, StoredText};
use crate::topics::prefilter::{prefilter, Prefilter};
use crate::topics::{self, defaults::DEFAULT_TOPICS, query, Document, Matcher, PreparedArticle, TopicMatch, TopicSpec};

/// Articles read from the store at a time by a backfill or a preview.
const BATCH: u32 = 500;
/// Relevance order ranks every hit: above this many candidates, search keeps the newest-first order.
const MAX_RANKED: u32 = 2_000;

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

    /// What a query would flag among the stored articles, before it is saved: every match counted, the
    /// newest `limit` shown with their spans.
    pub async fn preview_topic(&self, query: String, stem: bool, limit: u32) -> Result<TopicPreview> {
        let check = topics::check(&query);
        let Ok(parsed) = query::parse(&query) else {
            return Ok(TopicPreview { check, matched: 0, scanned: 0, hits: Vec::new() });
        };
        let limit = limit.clamp(1, 200) as usize;
        self.db(move |s| {
            let matcher = Matcher::with_specs([TopicSpec { id: 0, query: &query, stem }])?;
            let filter = prefilter(&parsed, stem);
            let (mut matched, mut scanned) = (0u32, 0u32);
            let mut hits: Vec<SearchHit> = Vec::new();
            let mut after = 0;
            loop {
                let batch = s.prefiltered_texts(&filter, after, BATCH)?;
                let Some(last) = batch.last() else { break };
                after = last.id;
                scanned += batch.len() as u32;
                for a in &batch {
                    if let Some(m) = matcher.match_article(&PreparedArticle::new(document(a))).into_iter().next() {
                        matched += 1;
                        hits.push(search_hit(a, m));
                    }
                }
                if hits.len() > 4 * limit {
                    newest_first(&mut hits);
                    hits.truncate(limit);
                }
            }
            newest_first(&mut hits);
            hits.truncate(limit);
            Ok(TopicPreview { check, matched, scanned, hits })
        })
        .await
    }

    /// Full-text search over every stored article in the topic query language: newest first with keyset
    /// pagination, or by relevance (bm25) when the candidates are few enough to rank them all.
    pub async fn search(&self, q: SearchQuery) -> Result<SearchPage> {
        let parsed = query::parse(q.query.trim())?;
        let limit = q.limit.unwrap_or(50).clamp(1, 1000) as usize;
        let text = q.query.trim().to_string();
        self.db(move |s| {
            let matcher = Matcher::new([(0, text.as_str())])?;
            let filter = prefilter(&parsed, false);
            let wanted = q.order.unwrap_or_default();
            if wanted == SearchOrder::Relevance {
                let candidates = s.prefiltered_newest(&filter, q.since, q.until, None, MAX_RANKED + 1)?;
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
                let mut page = newest_page(s, &matcher, &filter, &q, limit)?;
                page.note = note;
                return Ok(page);
            }
            newest_page(s, &matcher, &filter, &q, limit)
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

fn newest_first(hits: &mut [SearchHit]) {
    hits.sort_by(|a, b| b.sort_at.cmp(&a.sort_at).then(b.article_id.cmp(&a.article_id)));
}

/// One newest-first page: candidates read in batches from the cursor on, verified, until `limit` hits.
fn newest_page(s: &Store, matcher: &Matcher, filter: &Prefilter, q: &SearchQuery, limit: usize) -> Result<SearchPage> {
    let mut hits = Vec::new();
    let mut cursor = q.before.clone();
    let batch_size = (limit as u32 * 2).clamp(100, 1000);
    loop {
        let batch = s.prefiltered_newest(filter, q.since, q.until, cursor.as_ref(), batch_size)?;
        let exhausted = (batch.len() as u32) < batch_size;
        for a in &batch {
            if let Some(m) = matcher.match_article(&PreparedArticle::new(document(a))).into_iter().next() {
                hits.push(search_hit(a, m));
                if hits.len() == limit {
                    let next = Some(MentionCursor { sort_at: a.sort_at, article_id: a.id });
                    return Ok(SearchPage { hits, next, order: SearchOrder::Newest, note: None });
                }
            }
        }
        match batch.last() {
            Some(last) if !exhausted => cursor = Some(MentionCursor { sort_at: last.sort_at, article_id: last.id }),
            _ => return Ok(SearchPage { hits, next: None, order: SearchOrder::Newest, note: None }),
        }
    }
}
