//! Printing: human text by default, exactly one JSON document on stdout with `--json`.

use std::process::ExitCode;

use mediawatch_core::model::{
    BackfillProgress, FetchProgress, FetchSummary, MentionRow, OpmlImportSummary, ParsedFeed, QueryCheck, SearchHit,
    SearchPage, Source, Topic, TopicPreview,
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
