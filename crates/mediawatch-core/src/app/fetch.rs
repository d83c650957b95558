//! The fetch cycle and the scheduler: the due sources fetched a few at a time, each source's items through the
//! articles stage and into the store in one transaction, failures recorded with backoff; and the one-shot
//! parse and extract that the CLI runs without a database.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::{articles, topics, Mediawatch};
use crate::error::{Error, Result};
use crate::ingest::fetch::{FetchOptions, FetchOutcome, Fetcher, Validators};
use crate::ingest::parse;
use crate::model::{FetchCycle, FetchProgress, FetchSummary, FullTextMode, Id, ParsedFeed, SourceError, SourceKind};
use crate::store::{FetchOk, SourceFetchState, Store};
use crate::topics::Matcher;

/// A failing source waits its interval times 2^(failures-1), at most this many times its interval.
const MAX_BACKOFF_FACTOR: u32 = 16;

/// The scheduler looks at the sources at least this often.
const SCHEDULER_TICK: StdDuration = StdDuration::from_secs(60);

/// Which sources a fetch cycle visits.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchRequest {
    /// Only this source (whether due or not).
    pub source: Option<Id>,
    /// Every enabled source, due or not. Otherwise only the due ones.
    pub all: bool,
}

/// Parses a feed file without any database (`mediawatch parse-feed`).
pub fn parse_feed(bytes: &[u8], content_type: Option<&str>, url: Option<&str>) -> Result<ParsedFeed> {
    parse::parse_feed(bytes, content_type, url)
}

/// Fetches a feed URL and parses it, without any database (`mediawatch parse-feed URL`).
pub async fn fetch_and_parse_feed(url: &str) -> Result<ParsedFeed> {
    let fetcher = Fetcher::new(FetchOptions::default())?;
    match fetcher.get(url, &Validators::default()).await.map_err(|f| f.error)? {
        FetchOutcome::Fetched(doc) => parse::parse_feed(&doc.body, doc.content_type.as_deref(), Some(doc.base_url())),
        FetchOutcome::NotModified => Err(Error::Network(format!("{url} answered 304 Not Modified to a plain GET"))),
    }
}

/// Fetches a web page and extracts its article (for `mediawatch extract URL`).
pub async fn fetch_and_extract(url: &str) -> Result<crate::articles::extract::Extracted> {
    let fetcher = Fetcher::new(FetchOptions::default())?;
    match fetcher.get(url, &Validators::default()).await.map_err(|f| f.error)? {
        FetchOutcome::Fetched(doc) => {
            crate::articles::extract::extract(&doc.body, Some(doc.base_url()), doc.content_type.as_deref())
        }
        FetchOutcome::NotModified => Err(Error::Network(format!("{url} answered 304 Not Modified to a plain GET"))),
    }
}

/// When to fetch again: `wait` from now, spread by up to +10% so that sources added together drift apart.
fn next_fetch(now: DateTime<Utc>, wait: StdDuration) -> DateTime<Utc> {
    let spread = wait.mul_f64(fastrand::f64() * 0.1);
    now + Duration::from_std(wait + spread).unwrap_or_else(|_| Duration::days(365))
}

enum SourceOutcome {
    New(u32),
    NotModified,
    Failed(Error),
}

impl Mediawatch {
    /// One fetch cycle: fetch the chosen sources (a few at a time), parse, store new articles and flag
    /// topics. A failing source is recorded on the source and in the summary, never fatal to the cycle.
    /// Cancelling stops between sources; each source's results are written in one transaction, so a
    /// cancelled cycle leaves nothing half-written.
    pub async fn fetch(
        &self,
        request: FetchRequest,
        progress: impl Fn(FetchProgress) + Send + Sync + 'static,
        cancel: CancellationToken,
    ) -> Result<FetchSummary> {
        // The whole cycle runs on the clients of now (as the stored settings say, also when another process
        // changed them): a settings change takes effect at the next cycle.
        self.follow_stored_fetch_settings().await?;
        let cycle = self.with_clients_pinned();
        // `fetch.concurrency` sources at once (the fetcher's own limits, that many requests overall and 2 per
        // host, still bound the network).
        let concurrency = cycle.fetcher().options().max_concurrent.max(1);
        let now = self.now();
        // The news log's last entry before the cycle: the cycle's fetched mentions are logged after it.
        let news_before = self.db(Store::news_seq).await?;
        let sources = self.db(move |s| s.sources_to_fetch(request.source, request.all, now)).await?;
        let queries = self.db(Store::topic_queries).await?;
        let (matcher, skipped_topics) = topics::stored_topics_matcher(&queries);
        let matcher = Arc::new(matcher);
        let total = sources.len() as u32;
        let progress = Arc::new(progress);
        progress(FetchProgress::Started { total });

        let limit = Arc::new(Semaphore::new(concurrency));
        let mut jobs = JoinSet::new();
        for source in sources {
            let this = cycle.clone();
            let matcher = matcher.clone();
            let limit = limit.clone();
            let cancel = cancel.clone();
            jobs.spawn(async move {
                let _permit = limit.acquire_owned().await.map_err(|e| Error::Internal(e.to_string()))?;
                if cancel.is_cancelled() {
                    return Ok::<_, Error>(None);
                }
                let outcome = tokio::select! {
                    r = this.fetch_source(&source, &matcher) => r,
                    () = cancel.cancelled() => return Ok(None),
                };
                Ok(Some((source, outcome)))
            });
        }

        let mut summary = FetchSummary {
            sources: 0,
            new_articles: 0,
            not_modified: 0,
            errors: Vec::new(),
            skipped_topics,
            alerts: Default::default(),
        };
        let mut done = 0u32;
        while let Some(joined) = jobs.join_next().await {
            let Some((source, outcome)) = joined.map_err(|e| Error::Internal(format!("fetch task failed: {e}")))??
            else {
                continue;
            };
            done += 1;
            summary.sources += 1;
            let (new_articles, error) = match outcome {
                SourceOutcome::New(n) => (n, None),
                SourceOutcome::NotModified => {
                    summary.not_modified += 1;
                    (0, None)
                }
                SourceOutcome::Failed(e) => (0, Some(e)),
            };
            summary.new_articles += new_articles;
            if let Some(e) = &error {
                summary.errors.push(SourceError {
                    source: source.id,
                    code: e.code().to_string(),
                    message: e.to_string(),
                });
            }
            progress(FetchProgress::SourceDone {
                source_id: source.id,
                name: source.name.clone(),
                done,
                total,
                new_articles,
                error: error.map(|e| e.to_string()),
            });
        }
        let cancelled = cancel.is_cancelled();
        if !cancelled {
            // The cycle's mentions are committed: evaluate the rules and send what is due (also when no source
            // was due, so digests and retries come due on their own).
            summary.alerts = self.process_alerts().await;
        }
        // What the cycle did, for the Overview; a cycle that fetched nothing and fired nothing is not worth a row.
        if summary.sources > 0 || summary.alerts.fired > 0 {
            let news_after = self.db(Store::news_seq).await?;
            let cycle = FetchCycle {
                started_at: now,
                finished_at: self.now(),
                sources: summary.sources,
                new_articles: summary.new_articles,
                not_modified: summary.not_modified,
                errors: summary.errors.len() as u32,
                new_mentions: u32::try_from(news_after - news_before).unwrap_or(0),
                alerts_fired: summary.alerts.fired,
                cancelled,
            };
            self.db(move |s| s.record_fetch_cycle(&cycle)).await?;
        }
        if cancelled {
            return Err(Error::Cancelled);
        }
        progress(FetchProgress::Finished { summary: summary.clone() });
        Ok(summary)
    }

    /// The scheduler: runs a fetch cycle whenever a source is due (each source's next fetch time lives in
    /// the database, so the schedule survives restarts), sleeping in between, until `cancel` fires.
    /// `progress` sees every cycle's events. A cycle that fails as a whole (e.g. the database is gone) is
    /// reported through `on_error` and retried at the next wake-up.
    pub async fn run_scheduler(
        &self,
        progress: impl Fn(FetchProgress) + Send + Sync + 'static,
        on_error: impl Fn(&Error) + Send + Sync,
        cancel: CancellationToken,
    ) {
        let progress = Arc::new(progress);
        loop {
            let now = self.now();
            match self.db(Store::next_due_at).await {
                Ok(Some(due)) if due <= now => {
                    let sink = progress.clone();
                    match self.fetch(FetchRequest::default(), move |p| sink(p), cancel.child_token()).await {
                        Ok(_) | Err(Error::Cancelled) => {}
                        Err(e) => on_error(&e),
                    }
                }
                Ok(_) => {
                    // No source is due: digests, spikes and retries still come due.
                    for e in self.process_alerts().await.errors {
                        on_error(&Error::Internal(e));
                    }
                }
                Err(e) => on_error(&e),
            }
            // Scheduled reports that came due (each written once however late, then planned again).
            match self.run_due_reports().await {
                Ok(run) => {
                    for f in run.failed {
                        on_error(&Error::Internal(format!("scheduled report {f}")));
                    }
                }
                Err(e) => on_error(&e),
            }
            if cancel.is_cancelled() {
                return;
            }
            // Wake when the next source is due, and at least every minute to see sources added meanwhile.
            let due = self.db(Store::next_due_at).await.ok().flatten();
            let now = self.now();
            let wait = due
                .map(|d| (d - now).to_std().unwrap_or(StdDuration::ZERO))
                .unwrap_or(SCHEDULER_TICK)
                .clamp(StdDuration::from_secs(1), SCHEDULER_TICK);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = cancel.cancelled() => return,
            }
        }
    }

    async fn fetch_source(&self, source: &SourceFetchState, matcher: &Arc<Matcher>) -> SourceOutcome {
        let validators = Validators { etag: source.etag.clone(), last_modified: source.last_modified.clone() };
        let result = self.fetcher().get(&source.url, &validators).await;
        let now = self.now();
        let interval = StdDuration::from_secs(u64::from(source.interval_minutes) * 60);
        let id = source.id;
        match result {
            Ok(FetchOutcome::NotModified) => {
                let next = next_fetch(now, interval);
                match self.db(move |s| s.save_not_modified(id, now, next)).await {
                    Ok(()) => SourceOutcome::NotModified,
                    Err(e) => SourceOutcome::Failed(e),
                }
            }
            Ok(FetchOutcome::Fetched(doc)) => {
                let parsed = match source.kind {
                    SourceKind::Feed => parse::parse_feed(&doc.body, doc.content_type.as_deref(), Some(doc.base_url())),
                    SourceKind::Sitemap => self.sitemap_feed(&doc, now, source.full_text == FullTextMode::Never).await,
                    SourceKind::Import => Err(Error::InvalidInput(format!(
                        "source {} holds imported articles: it has no feed to fetch",
                        source.id
                    ))),
                };
                match parsed {
                    Ok(feed) => {
                        // The publisher's hints (Cache-Control max-age, RSS ttl) are lower bounds on the interval.
                        let ttl = feed.ttl_minutes.map(|m| StdDuration::from_secs(u64::from(m) * 60));
                        let wait = [Some(interval), doc.max_age, ttl].into_iter().flatten().max().unwrap_or(interval);
                        let next = next_fetch(now, wait);
                        let ok = FetchOk {
                            http_status: Some(doc.status),
                            etag: doc.etag,
                            last_modified: doc.last_modified,
                            feed_title: feed.title.clone(),
                        };
                        let drafts = articles::drafts_from_feed(feed);
                        let articles = match self.prepare_articles(id, source.full_text, drafts, matcher.clone()).await
                        {
                            Ok(a) => a,
                            Err(e) => return SourceOutcome::Failed(e),
                        };
                        match self.db(move |s| s.save_fetch(id, &ok, &articles, now, next)).await {
                            Ok(n) => SourceOutcome::New(n),
                            Err(e) => SourceOutcome::Failed(e),
                        }
                    }
                    Err(e) => self.record_failure(source, e, Some(doc.status), None, now).await,
                }
            }
            Err(f) => self.record_failure(source, f.error, f.http_status, f.retry_after, now).await,
        }
    }

    /// Records a failure; the source backs off (1×, 2×, 4× … its interval, capped), and never comes back
    /// sooner than the server's `Retry-After`.
    async fn record_failure(
        &self,
        source: &SourceFetchState,
        e: Error,
        status: Option<u16>,
        retry_after: Option<StdDuration>,
        now: DateTime<Utc>,
    ) -> SourceOutcome {
        let id = source.id;
        let interval = StdDuration::from_secs(u64::from(source.interval_minutes) * 60);
        let code = e.code().to_string();
        let message = e.to_string();
        let saved = self
            .db(move |s| {
                let failures = s.consecutive_failures(id)? + 1;
                let factor = (1u32 << (failures - 1).min(8)).min(MAX_BACKOFF_FACTOR);
                let wait = (interval * factor).max(retry_after.unwrap_or_default());
                s.save_fetch_error(id, &code, &message, status, now, next_fetch(now, wait))
            })
            .await;
        match saved {
            Ok(()) => SourceOutcome::Failed(e),
            Err(store_err) => SourceOutcome::Failed(store_err),
        }
    }
}
