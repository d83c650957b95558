//! Printing: human text by default, exactly one JSON document on stdout with `--json`.

use std::process::ExitCode;

use mediawatch_core::model::{
    Alert, AlertRule, AlertsRun, BackfillProgress, ChannelOutcome, ExportProgress, ExportResult, FetchProgress,
    FetchSummary, MentionRow, OpmlImportSummary, ParsedFeed, QueryCheck, SavedReport, SearchFacets, SearchHit,
    SearchPage, SecretsInfo, Source, Topic, TopicPreview,
};
use mediawatch_core::Error;
use serde::Serialize;

#[derive(Clone, Copy)]
pub struct Out {
    pub json: bool,
}

fn print_json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("cannot serialise the output: {e}"),
    }
}

fn when_opt(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(|| "—".to_string(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(|| "never".to_string(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// Wraps the spans of `text` (character offsets) in «guillemets» for the terminal.
fn highlight(text: &str, spans: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(text.len() + spans.len() * 4);
    for (i, c) in text.chars().enumerate() {
        let i = i as u32;
        if spans.iter().any(|&(s, _)| s == i) {
            out.push('«');
        }
        out.push(c);
        if spans.iter().any(|&(_, e)| e == i + 1) {
            out.push('»');
        }
    }
    out
}

/// Progress of a fetch cycle goes to stderr (stdout stays one JSON document).
pub fn progress(p: &FetchProgress, json: bool) {
    if json {
        return;
    }
    let at = chrono::Utc::now().format("%H:%M:%S");
    match p {
        FetchProgress::Started { total } => eprintln!("{at} fetching {total} source(s)…"),
        FetchProgress::SourceDone { name, done, total, new_articles, error, .. } => match error {
            Some(e) => eprintln!("{at} [{done}/{total}] {name}: error: {e}"),
            None => eprintln!("{at} [{done}/{total}] {name}: {new_articles} new"),
        },
        FetchProgress::Finished { summary } => eprintln!(
            "{at} done: {} new article(s), {} not modified, {} error(s)",
            summary.new_articles,
            summary.not_modified,
            summary.errors.len()
        ),
    }
}

/// Usage errors exit with 2; `--help` and `--version` print and exit 0.
/// Backfill progress on stderr (a topic being added or edited re-matches the stored articles).
pub fn backfill(p: &BackfillProgress, json: bool) {
    if json {
        eprintln!("{}", serde_json::json!({"backfill": p}));
    } else if p.done == p.total || p.done % 5_000 < 500 {
        eprintln!("mediawatch: re-matching stored articles: {}/{} checked, {} flagged", p.done, p.total, p.matched);
    }
}

/// Export progress on stderr.
pub fn export_progress(p: &ExportProgress, json: bool) {
    if json {
        eprintln!("{}", serde_json::json!({"export": p}));
    } else if p.done == p.total || p.done.is_multiple_of(5_000) {
        eprintln!("mediawatch: writing the report: {}/{} articles", p.done, p.total);
    }
}

pub fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    if std::env::args().any(|a| a == "--json") {
        let message = e.render().to_string();
        let first = message.lines().next().unwrap_or("wrong usage").trim_start_matches("error: ").to_string();
        eprintln!("{}", serde_json::json!({"error": {"code": "usage", "message": first}}));
    } else {
        let _ = e.print();
    }
    ExitCode::from(2)
}

impl Out {
    pub fn fail(&self, e: &Error) -> ExitCode {
        if self.json {
            let mut body = serde_json::json!({"error": {"code": e.code().as_str(), "message": e.to_string()}});
            if let Error::InvalidQuery(q) = e {
                body["error"]["column"] = q.column.into();
            }
            eprintln!("{body}");
        } else {
            eprintln!("mediawatch: {e}");
        }
        ExitCode::FAILURE
    }

    pub fn done(&self, what: &str) {
        if self.json {
            print_json(&serde_json::json!({"ok": true}));
        } else {
            println!("{what}");
        }
    }

    pub fn extracted(&self, a: &mediawatch_core::articles::extract::Extracted) {
        if self.json {
            print_json(a);
            return;
        }
        println!("{}", a.title.as_deref().unwrap_or("(untitled)"));
        let meta: Vec<String> = [
            a.byline.clone(),
            a.published.map(|p| p.to_rfc3339()),
            a.lang.clone(),
            a.site_name.clone(),
            a.canonical_url.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !meta.is_empty() {
            println!("{}", meta.join(" · "));
        }
        println!("\n{}", a.text);
    }

    pub fn parsed_feed(&self, feed: &ParsedFeed) {
        if self.json {
            print_json(feed);
            return;
        }
        println!(
            "{} — {} ({}, {} items)",
            feed.title.as_deref().unwrap_or("(untitled)"),
            feed.link.as_deref().unwrap_or("-"),
            feed.format,
            feed.items.len()
        );
        for w in &feed.warnings {
            println!("warning: {w}");
        }
        for item in &feed.items {
            println!("- {}  {}", when(item.published), item.title.as_deref().unwrap_or("(untitled)"));
        }
    }

    pub fn source_added(&self, s: &Source) {
        if self.json {
            print_json(s);
        } else {
            println!("added source {}: {} <{}>", s.id, s.name, s.url);
        }
    }

    pub fn source_edited(&self, s: &Source) {
        if self.json {
            print_json(s);
            return;
        }
        let group = s.group.as_deref().map(|g| format!(" · group {g}")).unwrap_or_default();
        let state = if s.enabled { "enabled" } else { "disabled" };
        println!(
            "source {}: {} <{}>{group} · every {} min · full text {} · {state}",
            s.id,
            s.name,
            s.url,
            s.interval_minutes,
            s.full_text.as_str()
        );
    }

    pub fn opml_imported(&self, s: &OpmlImportSummary) {
        if self.json {
            print_json(s);
            return;
        }
        println!("added {} source(s); {} already present", s.added.len(), s.already_present);
        for src in &s.added {
            println!(
                "  {:>4}  {}  <{}>{}",
                src.id,
                src.name,
                src.url,
                src.group.as_deref().map(|g| format!("  [{g}]")).unwrap_or_default()
            );
        }
        for w in &s.warnings {
            println!("warning: {w}");
        }
    }

    pub fn sources(&self, sources: &[Source]) {
        if self.json {
            print_json(sources);
            return;
        }
        if sources.is_empty() {
            println!("no sources yet: add one with `mediawatch sources add URL`");
        }
        for s in sources {
            let status = match (&s.health.last_error, s.health.last_fetch_at) {
                (Some(e), _) => format!("error ({}× in a row): {e}", s.health.consecutive_failures),
                (None, None) => "never fetched".to_string(),
                (None, Some(_)) => "ok".to_string(),
            };
            let group = s.group.as_deref().map(|g| format!("  [{g}]")).unwrap_or_default();
            println!(
                "{:>4}  {}  <{}>{group}\n      {} articles · last fetch {} · next {} · {status}",
                s.id,
                s.name,
                s.url,
                s.article_count,
                when(s.health.last_fetch_at),
                when(s.health.next_fetch_at)
            );
        }
    }

    pub fn fetch_summary(&self, s: &FetchSummary) {
        if self.json {
            print_json(s);
            return;
        }
        println!(
            "{} source(s) fetched: {} new article(s), {} not modified, {} error(s)",
            s.sources,
            s.new_articles,
            s.not_modified,
            s.errors.len()
        );
        for e in &s.errors {
            if e.source == 0 {
                println!("  [{}] {}", e.code, e.message);
            } else {
                println!("  source {}: [{}] {}", e.source, e.code, e.message);
            }
        }
        for t in &s.skipped_topics {
            println!("  topic {} flagged nothing (edit its query): [{}] {}", t.topic, t.code, t.message);
        }
        let a = &s.alerts;
        if a.fired + a.delivered + a.failed + a.pending > 0 || !a.errors.is_empty() {
            self.alerts_run_text(a);
        }
    }

    fn alerts_run_text(&self, a: &AlertsRun) {
        println!("alerts: {} fired, {} delivered, {} failed, {} pending", a.fired, a.delivered, a.failed, a.pending);
        for e in &a.errors {
            println!("  {e}");
        }
    }

    pub fn alerts_run(&self, a: &AlertsRun) {
        if self.json {
            print_json(a);
        } else {
            self.alerts_run_text(a);
        }
    }

    pub fn alert_rule(&self, r: &AlertRule) {
        if self.json {
            print_json(r);
        } else {
            self.alert_rule_text(r);
        }
    }

    fn alert_rule_text(&self, r: &AlertRule) {
        let kind = match (&r.schedule, &r.spike) {
            (Some(s), _) => format!("digest every {:?} at {} {} ({})", s.every, s.at, s.day, s.tz).to_lowercase(),
            (_, Some(s)) => format!(
                "spike: {} against {}, at least {}, {:?} sensitivity",
                s.window, s.baseline, s.min_count, s.sensitivity
            )
            .to_lowercase(),
            _ => "instant".to_string(),
        };
        println!("{:>4}  {}{}", r.id, r.name, if r.paused { "  [paused]" } else { "" });
        println!("      topic {} · {kind}", r.topic);
        println!("      → {}", r.channels.join(", "));
        let mut opts = Vec::new();
        if let Some(q) = &r.quiet {
            opts.push(format!("quiet {q}"));
        }
        if let Some(m) = &r.min_interval {
            opts.push(format!("at most every {m}"));
        }
        if r.new_stories_only {
            opts.push("new stories only".into());
        }
        if r.has_secret {
            opts.push("signed".into());
        }
        opts.push(format!("last fired {}", when(r.last_fired_at)));
        println!("      {}", opts.join(" · "));
    }

    pub fn alert_rules(&self, rules: &[AlertRule]) {
        if self.json {
            print_json(rules);
            return;
        }
        if rules.is_empty() {
            println!("no alert rules (mediawatch alerts rules add --topic NAME --kind instant --channel inbox)");
        }
        for r in rules {
            self.alert_rule_text(r);
        }
    }

    pub fn alerts(&self, alerts: &[Alert]) {
        if self.json {
            print_json(alerts);
            return;
        }
        if alerts.is_empty() {
            println!("no alerts");
        }
        for a in alerts {
            println!(
                "{:>5}  {}  {}{}{}",
                a.id,
                a.created_at.format("%Y-%m-%d %H:%M"),
                if a.read { "" } else { "● " },
                if a.test { "[test] " } else { "" },
                a.summary
            );
            for m in a.mentions.iter().take(5) {
                println!(
                    "       {} — {}{}",
                    m.title,
                    m.source,
                    m.url.as_deref().map(|u| format!(" {u}")).unwrap_or_default()
                );
            }
            if a.mentions.len() > 5 {
                println!("       …and {} more", a.mentions.len() - 5);
            }
            for d in &a.deliveries {
                let err = d.last_error.as_deref().map(|e| format!(": {e}")).unwrap_or_default();
                println!("       {} {} ({} attempt(s)){err}", d.channel, d.status.as_str(), d.attempts);
            }
        }
    }

    pub fn channel_outcomes(&self, outcomes: &[ChannelOutcome]) {
        if self.json {
            print_json(outcomes);
            return;
        }
        for o in outcomes {
            match (&o.error, o.ok) {
                (None, true) => println!("{}: ok", o.channel),
                (Some(note), true) => println!("{}: ok ({note})", o.channel),
                (e, false) => println!("{}: FAILED: {}", o.channel, e.as_deref().unwrap_or("unknown error")),
            }
        }
    }

    pub fn marked_read(&self, n: u32) {
        if self.json {
            print_json(&serde_json::json!({"marked_read": n}));
        } else {
            println!("marked {n} alert(s) read");
        }
    }

    pub fn settings(&self, values: &std::collections::BTreeMap<String, serde_json::Value>) {
        if self.json {
            print_json(values);
            return;
        }
        for (k, v) in values {
            let shown = match v {
                serde_json::Value::Null => "(not set)".to_string(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            println!("{k} = {shown}");
        }
    }

    /// Where secrets went, said on stderr when it is not the OS keyring.
    pub fn secrets_note(&self, info: &SecretsInfo) {
        if info.backend == "file" {
            eprintln!(
                "mediawatch: no OS keyring is reachable (no Secret Service on D-Bus); secrets are kept in {}, readable only by you",
                info.path.as_deref().unwrap_or("a file beside the database")
            );
        }
    }

    pub fn topic_added(&self, t: &Topic) {
        if self.json {
            print_json(t);
        } else {
            println!("added topic {}: {} — {} stored article(s) flagged", t.id, t.name, t.mention_count);
        }
    }

    pub fn topics(&self, topics: &[Topic]) {
        if self.json {
            let rows: Vec<_> = topics
                .iter()
                .map(|t| serde_json::json!({"id": t.id, "name": t.name, "query": t.query, "description": t.description, "mention_count": t.mention_count, "query_error": t.query_error}))
                .collect();
            print_json(&rows);
            return;
        }
        if topics.is_empty() {
            println!("no topics yet: `mediawatch topics add-defaults` installs the default pack");
        }
        for t in topics {
            println!("{:>4}  {}  ({} flagged)\n      {}", t.id, t.name, t.mention_count, t.query);
            if let Some(e) = &t.query_error {
                println!("      flags nothing until edited: {e}");
            }
        }
    }

    pub fn topics_installed(&self, added: &[Topic]) {
        if self.json {
            print_json(&serde_json::json!({"added": added.iter().map(|t| &t.name).collect::<Vec<_>>()}));
        } else if added.is_empty() {
            println!("the default topics are installed already");
        } else {
            for t in added {
                println!("added topic {}: {} — {} stored article(s) flagged", t.id, t.name, t.mention_count);
            }
        }
    }

    pub fn query_check(&self, check: &QueryCheck, ast: &serde_json::Value) {
        if self.json {
            print_json(
                &serde_json::json!({"ok": check.ok, "normalized": check.normalized, "ast": ast, "warnings": check.warnings}),
            );
            return;
        }
        println!("read as: {}", check.normalized.as_deref().unwrap_or(""));
        for w in &check.warnings {
            println!("warning: {w}");
        }
    }

    pub fn exported(&self, r: &ExportResult) {
        if self.json {
            print_json(r);
            return;
        }
        println!(
            "wrote {} ({}, {} mention(s) in {} article(s), {} bytes, {:.2} s)",
            r.path,
            r.format.as_str(),
            r.mentions,
            r.articles,
            r.bytes,
            r.seconds
        );
    }

    pub fn saved_report(&self, r: &SavedReport) {
        if self.json {
            print_json(r);
            return;
        }
        self.saved_reports(std::slice::from_ref(r));
    }

    pub fn saved_reports(&self, reports: &[SavedReport]) {
        if self.json {
            print_json(reports);
            return;
        }
        if reports.is_empty() {
            println!("no saved reports");
        }
        for r in reports {
            let scope = &r.definition.scope;
            let topics = if scope.topics.is_empty() { "all topics".to_string() } else { scope.topics.join(", ") };
            let schedule = match &r.schedule {
                Some(s) => {
                    let to = s
                        .to_dir
                        .as_deref()
                        .map(|d| format!("into {d}"))
                        .or(s.email.as_ref().map(|e| format!("to {e}")));
                    let when = match s.every {
                        mediawatch_core::model::DigestEvery::Week => format!("weekly on {} at {}", s.day, s.at),
                        _ => format!("daily at {}", s.at),
                    };
                    format!("{when} {} {}, next {}", s.tz, to.unwrap_or_default(), when_opt(r.next_run_at))
                }
                None => "not scheduled".into(),
            };
            println!("{}  [{}]  {}  — {}", r.name, r.definition.content.format.as_str(), topics, schedule);
            if let Some(at) = r.last_run_at {
                match &r.last_error {
                    Some(e) => println!("      last run {}: failed: {e}", when(Some(at))),
                    None => println!("      last run {}: {}", when(Some(at)), r.last_path.as_deref().unwrap_or("")),
                }
            }
        }
    }

    pub fn mentions(&self, rows: &[MentionRow]) {
        if self.json {
            print_json(rows);
            return;
        }
        if rows.is_empty() {
            println!("no mentions yet");
        }
        for r in rows {
            let topics: Vec<&str> = r.topics.iter().map(|t| t.topic.as_str()).collect();
            let title_spans: Vec<(u32, u32)> = r
                .topics
                .iter()
                .flat_map(|t| t.spans.iter())
                .filter(|s| s.field == mediawatch_core::model::Field::Title)
                .map(|s| (s.start, s.end))
                .collect();
            let terms: Vec<&str> = {
                let mut v: Vec<&str> = r.topics.iter().flat_map(|t| t.spans.iter().map(|s| s.term.as_str())).collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            println!(
                "{}  [{}]  {} — {}\n      matched: {}\n      {}",
                when(Some(r.published_at.unwrap_or(r.fetched_at))),
                topics.join(", "),
                highlight(&r.title, &title_spans),
                r.source,
                terms.join(", "),
                r.snippet
            );
        }
    }

    pub fn search(&self, page: &SearchPage) {
        if self.json {
            print_json(page);
            return;
        }
        if let Some(note) = &page.note {
            println!("note: {note}");
        }
        if page.hits.is_empty() {
            println!("no stored article matches");
        }
        self.hits(&page.hits);
        if page.next.is_some() {
            println!("(more: raise --limit, or narrow with --since/--until)");
        }
    }

    /// `search --facets`: the matches counted per topic, source and language, most first.
    pub fn search_facets(&self, f: &SearchFacets) {
        if self.json {
            print_json(f);
            return;
        }
        match f.capped {
            Some(n) => println!("{n} matches counted (the newest {n}; older ones are not)"),
            None => println!("{} matches", f.total),
        }
        let section = |title: &str, rows: Vec<(String, u32)>| {
            if rows.is_empty() {
                return;
            }
            println!("{title}:");
            let width = rows.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0);
            for (label, count) in rows {
                println!("  {label:<width$}  {count}");
            }
        };
        section("topics", f.topics.iter().map(|t| (t.name.clone(), t.count)).collect());
        section("sources", f.sources.iter().map(|s| (format!("{} (id {})", s.name, s.id), s.count)).collect());
        let lang = |code: &str| if code.is_empty() { "unknown".to_string() } else { code.to_string() };
        section("languages", f.langs.iter().map(|l| (lang(&l.code), l.count)).collect());
    }

    pub fn preview(&self, p: &TopicPreview) {
        if self.json {
            print_json(p);
            return;
        }
        if let Some(e) = &p.check.error {
            println!("the query does not parse: {} at column {}", e.message, e.column);
            return;
        }
        println!("read as: {}", p.check.normalized.as_deref().unwrap_or(""));
        for w in &p.check.warnings {
            println!("warning: {w}");
        }
        println!("would flag {} stored articles ({} checked); the newest:", p.matched, p.scanned);
        self.hits(&p.hits);
    }

    fn hits(&self, hits: &[SearchHit]) {
        for h in hits {
            let title_spans: Vec<(u32, u32)> = h
                .spans
                .iter()
                .filter(|s| s.field == mediawatch_core::model::Field::Title)
                .map(|s| (s.start, s.end))
                .collect();
            let mut terms: Vec<&str> = h.spans.iter().map(|s| s.term.as_str()).collect();
            terms.sort_unstable();
            terms.dedup();
            println!(
                "{}  {} — {}\n      matched: {}\n      {}",
                when(Some(h.sort_at)),
                highlight(&h.title, &title_spans),
                h.source,
                terms.join(", "),
                h.snippet
            );
        }
    }
}
