//! Reports: a scope's count and preview, exports in every format (two passes over one snapshot, streamed
//! into a temporary file beside the target that replaces it only when complete), stars, saved reports and
//! their schedules.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use tokio_util::sync::CancellationToken;

use super::Mediawatch;
use crate::alerts::schedule::{self, DigestSchedule, Every};
use crate::error::{Error, Result};
use crate::model::{
    DigestEvery, ExportProgress, ExportResult, Id, ReportDefinition, ReportFormat, ReportPreview, ReportRow,
    ReportSchedule, ReportScope, ReportsRun, SavedReport, ScopeCount, Span,
};
use crate::reports::{self, Entry, Figures, Head, PdfFonts, Seen};
use crate::store::{ReportArticle, ReportSnapshot, ScopeFilter, Store, StoredReport};
use crate::topics::prefilter::prefilter;
use crate::topics::{self, query, Document, Matcher, PreparedArticle};

/// Rows the Reports page previews.
const PREVIEW_ROWS: usize = 20;
/// Articles in the preview of a PDF or HTML report's first page.
const PREVIEW_ENTRIES: usize = 8;

/// A scope made ready for the store: names resolved, the period fixed, the query compiled.
struct Resolved {
    filter: ScopeFilter,
    matcher: Option<Matcher>,
    limit: Option<u64>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    lines: Vec<String>,
    period: Option<String>,
    scope_json: serde_json::Value,
    /// The zone of the report's days and times.
    tz: Tz,
}

impl Resolved {
    /// Whether an article passes the scope's query (articles must then be read with their text).
    fn passes(&self, a: &ReportArticle) -> bool {
        let Some(m) = &self.matcher else { return true };
        let doc = Document {
            title: &a.title,
            text: a.text.as_deref().unwrap_or(""),
            lang: a.lang.as_deref(),
            source: Some(&a.source),
            url: a.url.as_deref(),
            author: a.author.as_deref(),
        };
        !m.match_article(&PreparedArticle::new(doc)).is_empty()
    }
}

/// The first pass: the figures and the ids of the articles in scope (the newest `limit`).
fn first_pass(snap: &ReportSnapshot<'_>, r: &Resolved, cancel: &CancellationToken) -> Result<(Figures, HashSet<Id>)> {
    let mut figures = Figures::default();
    let mut ids = HashSet::new();
    snap.scan(&r.filter, r.matcher.is_some(), false, |a| {
        if ids.len() % 512 == 0 && cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        if !r.passes(&a) {
            return Ok(true);
        }
        let topics: Vec<String> = a.hits.iter().map(|h| h.topic.clone()).collect();
        figures.add(&Seen {
            id: a.id,
            story: a.story,
            source: &a.source,
            sort_at: a.sort_at,
            lang: a.lang.as_deref(),
            topics: &topics,
            url: a.url.as_deref(),
        });
        ids.insert(a.id);
        Ok(r.limit.is_none_or(|l| (ids.len() as u64) < l))
    })?;
    Ok((figures, ids))
}

/// An article as the writers see it.
fn entry(a: ReportArticle, figures: &Figures, with_text: bool) -> Entry {
    let text = a.text.unwrap_or_default();
    let mut spans: Vec<(String, Span)> = Vec::new();
    let mut topics = Vec::new();
    for h in a.hits {
        topics.push(h.topic.clone());
        for s in h.spans {
            spans.push((h.topic.clone(), s));
        }
    }
    let mut all: Vec<Span> = spans.iter().map(|(_, s)| s.clone()).collect();
    all.sort_by_key(|s| (s.field == crate::model::Field::Text, s.start, s.end));
    all.dedup_by(|x, y| (x.field, x.start, x.end) == (y.field, y.start, y.end));
    let kwic = topics::kwic(&a.title, &text, &all, reports::MAX_KWIC);
    let snippet = topics::snippet(&text, &all);
    let (copies, copy_of) = figures.place(a.story, a.id);
    Entry {
        id: a.id,
        title: a.title,
        url: a.url,
        source: a.source,
        published: a.published_at,
        sort_at: a.sort_at,
        lang: a.lang,
        author: a.author,
        starred: a.starred,
        story: a.story,
        topics,
        spans,
        kwic,
        snippet,
        copies,
        copy_of,
        text: with_text.then_some(text),
    }
}

fn period_words(r: &Resolved, summary: &reports::Summary) -> String {
    if let Some(p) = &r.period {
        return p.clone();
    }
    let from = r.since.or(summary.first);
    let to = r.until.map(|t| t - Duration::microseconds(1)).or(summary.last);
    let (day, zone) = (|t| reports::day(t, r.tz), r.tz.name());
    match (from, to) {
        (Some(f), Some(t)) if r.since.is_none() && r.until.is_none() => {
            format!("all stored mentions: {} – {} ({zone})", day(f), day(t))
        }
        (Some(f), Some(t)) => format!("{} – {} ({zone})", day(f), day(t)),
        (Some(f), None) => format!("from {} ({zone})", day(f)),
        (None, Some(t)) => format!("until {} ({zone})", day(t)),
        (None, None) => "no mentions".into(),
    }
}

/// Writes the report of `def` to `path` from one snapshot; the file at `path` is replaced only when the
/// report is complete.
#[allow(clippy::too_many_arguments)]
fn export_blocking(
    store: &Store,
    fonts: &PdfFonts,
    def: &ReportDefinition,
    r: &Resolved,
    path: &Path,
    now: DateTime<Utc>,
    progress: &(dyn Fn(ExportProgress) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<ExportResult> {
    let started = Instant::now();
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::File(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "report".into());
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(|e| Error::File(format!("cannot write {}: {e}", path.display())))?;
    let file = tmp.reopen().map_err(|e| Error::File(format!("cannot write {}: {e}", path.display())))?;
    let format = def.content.format;
    let folds = format.folds_copies();
    let (mentions, articles) = store.report_snapshot(|snap| {
        let (figures, ids) = first_pass(snap, r, cancel)?;
        let summary = figures.summary(r.since, r.until, r.tz);
        let head = Head {
            title: title(def),
            generated_at: now,
            scope_lines: r.lines.clone(),
            period: period_words(r, &summary),
            tz: r.tz,
            scope: r.scope_json.clone(),
            summary,
            content: def.content.clone(),
        };
        let covered = (head.summary.mentions, head.summary.articles);
        let total = ids.len() as u64;
        let mut report = ExportProgress { done: 0, total };
        progress(report.clone());
        let mut writer = reports::writer(head, file, fonts)?;
        let mut left = ids.len();
        snap.scan(&r.filter, true, true, |a| {
            if cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            if !ids.contains(&a.id) {
                return Ok(true);
            }
            left -= 1;
            let e = entry(a, &figures, def.content.full_text);
            if !(folds && e.copy_of.is_some()) {
                writer.entry(&e)?;
            }
            report.done += 1;
            if report.done.is_multiple_of(200) {
                progress(report.clone());
            }
            Ok(left > 0)
        })?;
        writer.finish()?;
        progress(report);
        // Every article in scope is in the report: in its own row, or (PDF, HTML) under its story.
        Ok(covered)
    })?;
    if cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    // A temporary file is private (0600); a report is an ordinary file: the permissions of the file it
    // replaces, else read-write for its owner and readable by others (0644), as a text editor would save it.
    let permissions = match std::fs::metadata(path) {
        Ok(m) => Some(m.permissions()),
        Err(_) => ordinary_permissions(),
    };
    if let Some(p) = permissions {
        let _ = std::fs::set_permissions(tmp.path(), p);
    }
    tmp.persist(path).map_err(|e| Error::File(format!("cannot write {}: {}", path.display(), e.error)))?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(ExportResult {
        path: path.display().to_string(),
        format,
        mentions,
        articles,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(unix)]
fn ordinary_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn ordinary_permissions() -> Option<std::fs::Permissions> {
    None
}

fn title(def: &ReportDefinition) -> String {
    def.content.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "Mediawatch report".into())
}

/// A schedule's typed form.
fn digest_schedule(s: &ReportSchedule) -> Result<DigestSchedule> {
    Ok(DigestSchedule {
        every: match s.every {
            DigestEvery::Day => Every::Day,
            DigestEvery::Week => Every::Week,
            DigestEvery::Hour => {
                return Err(Error::InvalidInput("a report is scheduled every day or every week, not every hour".into()))
            }
        },
        at: schedule::parse_hhmm(&s.at)?,
        day: schedule::parse_weekday(&s.day)?,
        tz: schedule::parse_tz(&s.tz)?,
    })
}

fn saved(s: StoredReport) -> Result<SavedReport> {
    let corrupt = |e: serde_json::Error| Error::Storage(format!("saved report '{}' is corrupt: {e}", s.name));
    let definition: ReportDefinition = serde_json::from_str(&s.definition).map_err(corrupt)?;
    let schedule: Option<ReportSchedule> =
        s.schedule.as_deref().map(serde_json::from_str).transpose().map_err(corrupt)?;
    Ok(SavedReport {
        id: s.id,
        name: s.name,
        definition,
        schedule,
        next_run_at: s.due_at,
        last_run_at: s.last_run_at,
        last_path: s.last_path,
        last_error: s.last_error,
        created_at: s.created_at,
    })
}

/// A file name for a scheduled run: the report's name and the date in its zone, safe on every file system.
fn scheduled_file(dir: &Path, name: &str, at: DateTime<Utc>, tz: Tz, format: ReportFormat) -> PathBuf {
    let clean: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .to_string();
    let clean = if clean.is_empty() { "report".to_string() } else { clean };
    dir.join(format!("{clean}-{}.{}", at.with_timezone(&tz).format("%Y-%m-%d-%H%M"), format.extension()))
}

impl Mediawatch {
    /// The zone a report's days and times are in: `zone` when given (checked), else `alerts.timezone`,
    /// else the system's. The CLI reads bare dates of a report's period in it.
    pub async fn report_timezone(&self, zone: Option<String>) -> Result<String> {
        Ok(self.report_tz(zone.as_deref()).await?.name().to_string())
    }

    pub(super) async fn report_tz(&self, zone: Option<&str>) -> Result<Tz> {
        match zone.map(str::trim).filter(|z| !z.is_empty()) {
            Some(z) => schedule::parse_tz(z),
            None => schedule::parse_tz(&self.default_tz().await?),
        }
    }

    /// Checks a scope and makes it ready: unknown topics, sources and groups are errors that name them.
    /// `zone`: the report's time zone (see [`Mediawatch::report_timezone`]).
    async fn resolve(&self, scope: &ReportScope, zone: Option<&str>) -> Result<Resolved> {
        let scope = scope.clone();
        let now = self.now();
        let tz = self.report_tz(zone).await?;
        self.db(move |s| {
            let mut lines = Vec::new();
            let topic_ids = if scope.topics.is_empty() {
                lines.push("Topics: all".to_string());
                None
            } else {
                let ids = s.topic_ids_named(&scope.topics)?;
                lines.push(format!("Topics: {}", scope.topics.join(", ")));
                Some(ids)
            };
            let source_ids = if scope.sources.is_empty() {
                None
            } else {
                let missing = s.missing_sources(&scope.sources)?;
                if let Some(id) = missing.first() {
                    return Err(Error::NotFound(format!("no source with id {id}")));
                }
                let names: Vec<String> =
                    scope.sources.iter().map(|id| s.source(*id).map(|src| src.name)).collect::<Result<_>>()?;
                lines.push(format!("Sources: {}", names.join(", ")));
                Some(scope.sources.clone())
            };
            if let Some(g) = &scope.group {
                if !s.group_exists(g)? {
                    return Err(Error::NotFound(format!("no source group named '{g}'")));
                }
                lines.push(format!("Source group: {g}"));
            }
            if source_ids.is_none() && scope.group.is_none() {
                lines.push("Sources: all".into());
            }
            let langs: Vec<String> =
                scope.langs.iter().map(|l| l.trim().to_lowercase()).filter(|l| !l.is_empty()).collect();
            if let Some(bad) = langs.iter().find(|l| !l.chars().all(|c| c.is_ascii_alphabetic() || c == '-')) {
                return Err(Error::InvalidInput(format!(
                    "--lang {bad:?}: expected a language code such as en, ru or zh"
                )));
            }
            if !langs.is_empty() {
                lines.push(format!("Languages: {}", langs.join(", ")));
            }
            let (since, until, period) = match &scope.last {
                Some(last) => {
                    if scope.since.is_some() || scope.until.is_some() {
                        return Err(Error::InvalidInput("--last goes without --since and --until".into()));
                    }
                    let d = schedule::parse_duration(last)?;
                    let since = now - d;
                    let words = format!(
                        "the last {}: {} – {}",
                        schedule::format_duration(d),
                        reports::minute(since, tz),
                        reports::minute(now, tz)
                    );
                    (Some(since), None, Some(words))
                }
                None => (scope.since, scope.until, None),
            };
            if let (Some(a), Some(b)) = (since, until) {
                if a >= b {
                    return Err(Error::InvalidInput("--since must come before --until".into()));
                }
            }
            let (matcher, pre) = match scope.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                Some(q) => {
                    let parsed = query::parse(q)?;
                    lines.push(format!("Query: {q}"));
                    (Some(Matcher::new([(0, q)])?), Some(prefilter(&parsed, false)))
                }
                None => (None, None),
            };
            if scope.starred {
                lines.push("Starred articles only".into());
            }
            if scope.limit == Some(0) {
                return Err(Error::InvalidInput("--limit must be at least 1".into()));
            }
            if let Some(l) = scope.limit {
                lines.push(format!("The newest {} articles", reports::thousands(l as u64)));
            }
            let mut scope_json = serde_json::to_value(&scope).map_err(|e| Error::Internal(e.to_string()))?;
            scope_json["since"] = serde_json::to_value(since).unwrap_or_default();
            scope_json["until"] = serde_json::to_value(until).unwrap_or_default();
            Ok(Resolved {
                filter: ScopeFilter {
                    topic_ids,
                    since,
                    until,
                    source_ids,
                    group: scope.group.clone(),
                    langs: (!langs.is_empty()).then_some(langs),
                    starred: scope.starred,
                    prefilter: pre,
                },
                matcher,
                limit: scope.limit.map(u64::from),
                since,
                until,
                lines,
                period,
                scope_json,
                tz,
            })
        })
        .await
    }

    /// How much a scope covers: the Reports page's live count.
    pub async fn report_count(&self, scope: ReportScope) -> Result<ScopeCount> {
        let r = self.resolve(&scope, None).await?;
        self.db(move |s| {
            s.report_snapshot(|snap| {
                let (figures, _) = first_pass(snap, &r, &CancellationToken::new())?;
                let sum = figures.summary(None, None, r.tz);
                Ok(ScopeCount {
                    mentions: sum.mentions,
                    articles: sum.articles,
                    stories: sum.stories,
                    sources: sum.sources,
                })
            })
        })
        .await
    }

    /// The count, the first rows and (PDF, HTML) the first page of a report.
    pub async fn preview_report(&self, def: ReportDefinition) -> Result<ReportPreview> {
        let r = self.resolve(&def.scope, def.content.timezone.as_deref()).await?;
        let now = self.now();
        self.db(move |s| {
            s.report_snapshot(|snap| {
                let (figures, ids) = first_pass(snap, &r, &CancellationToken::new())?;
                let summary = figures.summary(r.since, r.until, r.tz);
                let count = ScopeCount {
                    mentions: summary.mentions,
                    articles: summary.articles,
                    stories: summary.stories,
                    sources: summary.sources,
                };
                let folds = def.content.format.folds_copies();
                let mut entries: Vec<Entry> = Vec::new();
                let mut rows = Vec::new();
                snap.scan(&r.filter, true, true, |a| {
                    if !ids.contains(&a.id) {
                        return Ok(true);
                    }
                    let e = entry(a, &figures, def.content.full_text);
                    if rows.len() < PREVIEW_ROWS {
                        rows.push(ReportRow {
                            article_id: e.id,
                            title: e.title.clone(),
                            url: e.url.clone(),
                            source: e.source.clone(),
                            published_at: e.published,
                            sort_at: e.sort_at,
                            lang: e.lang.clone(),
                            topics: e.topics.clone(),
                            snippet: e.snippet.clone(),
                            other_outlets: crate::reports::outlets_count(&e),
                            starred: e.starred,
                        });
                    }
                    if entries.len() < PREVIEW_ENTRIES && !(folds && e.copy_of.is_some()) {
                        entries.push(e);
                    }
                    Ok(rows.len() < PREVIEW_ROWS || entries.len() < PREVIEW_ENTRIES)
                })?;
                let html = if folds {
                    let head = Head {
                        title: title(&def),
                        generated_at: now,
                        scope_lines: r.lines.clone(),
                        period: period_words(&r, &summary),
                        tz: r.tz,
                        scope: r.scope_json.clone(),
                        summary,
                        content: def.content.clone(),
                    };
                    Some(reports::preview_html(&head, &entries)?)
                } else {
                    None
                };
                Ok(ReportPreview { count, rows, html })
            })
        })
        .await
    }

    /// Writes a report to `path` (replaced only when the report is complete), with progress and cancellation.
    pub async fn export_report(
        &self,
        def: ReportDefinition,
        path: PathBuf,
        progress: impl Fn(ExportProgress) + Send + Sync + 'static,
        cancel: CancellationToken,
    ) -> Result<ExportResult> {
        let r = self.resolve(&def.scope, def.content.timezone.as_deref()).await?;
        let now = self.now();
        let fonts = self.pdf_fonts.clone();
        self.db(move |s| export_blocking(s, &fonts, &def, &r, &path, now, &progress, &cancel)).await
    }

    /// Stars an article for reports (or takes its star away).
    pub async fn star_article(&self, article_id: Id, starred: bool) -> Result<()> {
        let at = starred.then(|| self.now());
        self.db(move |s| s.set_starred(article_id, at)).await
    }

    /// Saves a report definition under a name (replacing the definition of a saved report of that name).
    pub async fn save_report(&self, name: String, def: ReportDefinition) -> Result<SavedReport> {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(Error::InvalidInput("a saved report needs a name".into()));
        }
        self.resolve(&def.scope, def.content.timezone.as_deref()).await?;
        let json = serde_json::to_string(&def).map_err(|e| Error::Internal(e.to_string()))?;
        let now = self.now();
        saved(self.db(move |s| s.save_report(&name, &json, now)).await?)
    }

    pub async fn list_reports(&self) -> Result<Vec<SavedReport>> {
        self.db(|s| s.reports()).await?.into_iter().map(saved).collect()
    }

    pub async fn saved_report(&self, name: String) -> Result<SavedReport> {
        saved(self.db(move |s| s.report_named(&name)).await?)
    }

    pub async fn remove_report(&self, name: String) -> Result<()> {
        self.db(move |s| s.remove_report(&name)).await
    }

    /// Schedules a saved report (daily or weekly, into a folder or by e-mail), or with `None` stops it.
    pub async fn schedule_report(&self, name: String, schedule: Option<ReportSchedule>) -> Result<SavedReport> {
        let now = self.now();
        let planned = match &schedule {
            Some(sc) => {
                let due = digest_schedule(sc)?.next(now);
                match (&sc.to_dir, &sc.email) {
                    (Some(d), None) => {
                        if !Path::new(d).is_dir() {
                            return Err(Error::InvalidInput(format!("--to-dir {d}: no such folder")));
                        }
                    }
                    (None, Some(a)) => {
                        crate::alerts::rules::channel(&format!("email:{}", a.trim()))?;
                    }
                    _ => {
                        return Err(Error::InvalidInput(
                            "a schedule goes to a folder (--to-dir) or an address (--email), one of them".into(),
                        ))
                    }
                }
                Some((serde_json::to_string(sc).map_err(|e| Error::Internal(e.to_string()))?, due))
            }
            None => None,
        };
        saved(self.db(move |s| s.set_report_schedule(&name, planned.as_ref().map(|(j, d)| (j.as_str(), *d)))).await?)
    }

    /// Runs a saved report now, into `path`.
    pub async fn run_report(&self, name: String, path: PathBuf) -> Result<ExportResult> {
        let report = self.saved_report(name).await?;
        let now = self.now();
        let out = self.export_report(report.definition.clone(), path, |_| {}, CancellationToken::new()).await;
        let outcome = match &out {
            Ok(r) => Ok(r.path.clone()),
            Err(e) => Err(e.to_string()),
        };
        self.db(move |s| {
            s.report_ran(report.id, now, outcome.as_ref().map(String::as_str).map_err(String::as_str), None)
        })
        .await?;
        out
    }

    /// Writes the scheduled reports that are due (into their folder, or e-mailed), each once however late,
    /// and plans their next run. `mediawatch run` and the app's scheduler call it.
    pub async fn run_due_reports(&self) -> Result<ReportsRun> {
        let now = self.now();
        let due = self.db(move |s| s.due_reports(now)).await?;
        let mut run = ReportsRun::default();
        for stored in due {
            let report = match saved(stored) {
                Ok(r) => r,
                Err(e) => {
                    run.failed.push(e.to_string());
                    continue;
                }
            };
            let Some(sc) = report.schedule.clone() else { continue };
            let next = digest_schedule(&sc).map(|d| d.next(now)).unwrap_or(now + Duration::days(1));
            let out = self.run_scheduled(&report, &sc, now).await;
            let outcome = match &out {
                Ok(r) => Ok(r.path.clone()),
                Err(e) => Err(e.to_string()),
            };
            let id = report.id;
            self.db(move |s| {
                s.report_ran(id, now, outcome.as_ref().map(String::as_str).map_err(String::as_str), Some(next))
            })
            .await?;
            match out {
                Ok(r) => run.written.push(r),
                Err(e) => run.failed.push(format!("{}: {e}", report.name)),
            }
        }
        Ok(run)
    }

    async fn run_scheduled(
        &self,
        report: &SavedReport,
        sc: &ReportSchedule,
        now: DateTime<Utc>,
    ) -> Result<ExportResult> {
        let format = report.definition.content.format;
        // A report with no zone of its own reads its days in its schedule's zone (a daily 08:00 Moscow
        // report counts Moscow's days).
        let mut def = report.definition.clone();
        if def.content.timezone.as_deref().is_none_or(|z| z.trim().is_empty()) {
            def.content.timezone = Some(sc.tz.clone());
        }
        let tz = self.report_tz(def.content.timezone.as_deref()).await?;
        match (&sc.to_dir, &sc.email) {
            (Some(dir), _) => {
                let path = scheduled_file(Path::new(dir), &report.name, now, tz, format);
                self.export_report(def, path, |_| {}, CancellationToken::new()).await
            }
            (None, Some(to)) => {
                let dir =
                    tempfile::tempdir().map_err(|e| Error::File(format!("cannot make a temporary folder: {e}")))?;
                let path = scheduled_file(dir.path(), &report.name, now, tz, format);
                let mut result = self.export_report(def, path.clone(), |_| {}, CancellationToken::new()).await?;
                self.email_report(to, &report.name, &path, &result, reports::day(now, tz)).await?;
                result.path = format!("email:{to}");
                Ok(result)
            }
            (None, None) => Err(Error::InvalidInput(format!("saved report '{}' has no destination", report.name))),
        }
    }

    async fn email_report(&self, to: &str, name: &str, path: &Path, r: &ExportResult, day: String) -> Result<()> {
        let (smtp, password) = self.smtp().await?;
        let bytes = std::fs::read(path).map_err(|e| Error::File(format!("cannot read {}: {e}", path.display())))?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let text = format!(
            "{name}: {} in {} ({} bytes, {}). The report is attached.\n\nSent by Mediawatch.",
            reports::plural(r.mentions, "mention"),
            reports::plural(r.articles, "article"),
            reports::thousands(r.bytes),
            r.format.as_str().to_uppercase()
        );
        let html = if r.format == ReportFormat::Html {
            String::from_utf8_lossy(&bytes).to_string()
        } else {
            format!("<p>{}</p>", reports::html_escape(&text))
        };
        let msg = crate::alerts::send::EmailMessage {
            to: to.to_string(),
            subject: format!("{name} — {day}"),
            text,
            html,
            message_id: crate::alerts::sign::new_message_id(),
            attachments: vec![crate::alerts::send::Attachment {
                name: file_name,
                content_type: content_type(r.format).to_string(),
                bytes,
            }],
        };
        self.sender().email(&smtp, password.as_deref(), &msg).await
    }
}

fn content_type(f: ReportFormat) -> &'static str {
    match f {
        ReportFormat::Csv => "text/csv; charset=utf-8",
        ReportFormat::Json => "application/json",
        ReportFormat::Ndjson => "application/x-ndjson",
        ReportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ReportFormat::Pdf => "application/pdf",
        ReportFormat::Html => "text/html; charset=utf-8",
    }
}
