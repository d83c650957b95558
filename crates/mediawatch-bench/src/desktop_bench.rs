//! The analyst's desktop at scale (issue 21): a generated database of up to a million articles, 300 sources
//! and 50 topics, built through the real write path (`Mediawatch::import`, which matches, fingerprints,
//! clusters and indexes each article as a fetch does), reproducibly from a seed; then the calls the window
//! makes (each Tauri command delegates to exactly one of them), timed in process at the core's API, which is
//! the IPC boundary minus serialisation: p50 and p95 over `runs` repeats.
//!
//! The database is kept at `--db` when given and reused when it is already there with the same size and
//! seed (building a million articles takes minutes).

use std::fmt::Write as _;
use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use mediawatch_core::model::{
    AnalysisQuery, CardsQuery, Interval, MentionCursor, MentionOrder, MentionQuery, NewTopic, ReportScope, SearchQuery,
    SourceUpdate,
};
use mediawatch_core::{CancellationToken, Mediawatch};

use crate::stats::{machine, secs, Samples};

pub struct Options {
    pub articles: usize,
    pub seed: u64,
    pub runs: usize,
    pub db: Option<PathBuf>,
}

type Res<T> = Result<T, String>;

const SOURCES: usize = 300;
const TOPICS: usize = 50;
/// Articles imported per file (the import reads a file whole).
const CHUNK: usize = 50_000;
/// The newest generated article; the others go back a year from it.
fn newest() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
}

/// A made-up proper name ("Karvelo"): words no language has, so a topic matches only where it was put.
fn name(rng: &mut fastrand::Rng) -> String {
    const SYL: [&str; 16] =
        ["kar", "ve", "lo", "mi", "sta", "dun", "ri", "bel", "ost", "ena", "vak", "tor", "ul", "zen", "pa", "gri"];
    let mut w: String = (0..3).map(|_| SYL[rng.usize(..SYL.len())]).collect();
    w[..1].make_ascii_uppercase();
    w
}

/// Filler words in the article's language.
fn filler(lang: &str, rng: &mut fastrand::Rng) -> String {
    const EN: [&str; 24] = [
        "the",
        "ministers",
        "said",
        "talks",
        "trade",
        "security",
        "summit",
        "week",
        "agreed",
        "new",
        "plans",
        "officials",
        "regional",
        "growth",
        "report",
        "government",
        "according",
        "sources",
        "cooperation",
        "energy",
        "market",
        "expected",
        "statement",
        "meeting",
    ];
    const RU: [&str; 16] = [
        "министры",
        "заявили",
        "переговоры",
        "торговля",
        "безопасность",
        "саммит",
        "неделе",
        "согласовали",
        "планы",
        "официальные",
        "рост",
        "правительство",
        "сотрудничество",
        "энергетика",
        "рынок",
        "встреча",
    ];
    const ZH: [&str; 16] = [
        "部长", "表示", "会谈", "贸易", "安全", "峰会", "本周", "同意", "计划", "官员", "地区", "增长", "政府", "合作",
        "能源", "市场",
    ];
    let pool: &[&str] = match lang {
        "ru" => &RU,
        "zh" => &ZH,
        _ => &EN,
    };
    let sep = if lang == "zh" { "" } else { " " };
    (0..30).map(|_| pool[rng.usize(..pool.len())]).collect::<Vec<_>>().join(sep)
}

/// The topic an article mentions, Zipf-distributed: topic 0 is in about a fifth of the mentioning articles,
/// topic 48 in 0.4 %; topic 49 is rare on purpose (one article in 10,000).
fn topic_of(rng: &mut fastrand::Rng, weights: &[f64]) -> usize {
    let mut x = rng.f64() * weights.iter().sum::<f64>();
    for (i, w) in weights.iter().enumerate() {
        x -= w;
        if x <= 0.0 {
            return i;
        }
    }
    weights.len() - 1
}

fn names(seed: u64) -> Vec<String> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out: Vec<String> = Vec::new();
    while out.len() < TOPICS {
        let n = name(&mut rng);
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

async fn build(core: &Mediawatch, o: &Options, dir: &Path) -> Res<()> {
    let names = names(o.seed);
    for n in &names {
        core.add_topic(NewTopic { name: n.clone(), query: n.clone(), description: None, stem: false })
            .await
            .map_err(|e| e.to_string())?;
    }
    let mut weights: Vec<f64> = (0..TOPICS - 1).map(|k| 1.0 / (k as f64 + 1.0)).collect();
    weights.push(0.0);
    let mut rng = fastrand::Rng::with_seed(o.seed);
    let span = 365 * 24 * 3600;
    let t0 = Instant::now();
    let mut texts: Vec<(String, String, String)> = Vec::new();
    let mut done = 0;
    while done < o.articles {
        let n = CHUNK.min(o.articles - done);
        let mut lines = String::new();
        for j in 0..n {
            let i = done + j;
            // 10 % are another outlet's copy of a recent story (syndication, which clusters fold).
            let (lang, title, text) = if !texts.is_empty() && rng.f64() < 0.1 {
                texts[rng.usize(..texts.len())].clone()
            } else {
                let lang = match rng.u8(..20) {
                    0..=11 => "en",
                    12..=16 => "ru",
                    _ => "zh",
                };
                let mut mentioned = Vec::new();
                let r = rng.f64();
                let k = if r < 0.55 {
                    1
                } else if r < 0.75 {
                    2
                } else {
                    0
                };
                for _ in 0..k {
                    mentioned.push(names[topic_of(&mut rng, &weights)].clone());
                }
                if rng.u32(..10_000) == 0 {
                    mentioned.push(names[TOPICS - 1].clone());
                }
                let sep = if lang == "zh" { "" } else { " " };
                let mut paras: Vec<String> = (0..3).map(|_| filler(lang, &mut rng)).collect();
                for (p, m) in mentioned.iter().enumerate() {
                    paras[p % 3] = format!("{}{sep}{m}{sep}{}", paras[p % 3], filler(lang, &mut rng));
                }
                let title = format!(
                    "{} {}",
                    mentioned.first().cloned().unwrap_or_default(),
                    filler(lang, &mut rng).chars().take(60).collect::<String>()
                );
                (lang.to_string(), title.trim().to_string(), format!("{} ({i})", paras.join("\n\n")))
            };
            if texts.len() < 2_000 {
                texts.push((lang.clone(), title.clone(), text.clone()));
            } else {
                let at = rng.usize(..texts.len());
                texts[at] = (lang.clone(), title.clone(), text.clone());
            }
            let published = newest() - chrono::Duration::seconds(rng.i64(0..span));
            let source = rng.usize(..SOURCES);
            let line = serde_json::json!({
                "id": format!("g{i}"),
                "title": title,
                "text": text,
                "lang": lang,
                "source": format!("Outlet {source:03}"),
                "url": format!("https://outlet{source:03}.example/news/{i}"),
                "published": published.to_rfc3339(),
            });
            lines.push_str(&line.to_string());
            lines.push('\n');
        }
        let file = dir.join("chunk.jsonl");
        std::fs::write(&file, lines).map_err(|e| e.to_string())?;
        core.import(file).await.map_err(|e| e.to_string())?;
        done += n;
        eprint!("\rbuilt {done}/{} articles ({})", o.articles, secs(t0.elapsed()));
        let _ = std::io::stderr().flush();
    }
    eprintln!();
    Ok(())
}

/// Times `f` `runs` times (after one warm-up call) and returns the samples.
async fn time<T, F, Fut>(runs: usize, mut f: F) -> Res<Samples>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = mediawatch_core::Result<T>>,
{
    f().await.map_err(|e| e.to_string())?;
    let mut s = Samples::default();
    for _ in 0..runs {
        let t = Instant::now();
        f().await.map_err(|e| e.to_string())?;
        s.push(t.elapsed());
    }
    Ok(s)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn row(out: &mut String, what: &str, s: &Samples, goal_ms: f64) {
    let p95 = s.percentile(0.95);
    let verdict = if p95.as_secs_f64() * 1000.0 < goal_ms { "met" } else { "**not met**" };
    let _ =
        writeln!(out, "| {what} | {} | {} | {} | < {goal_ms:.0} ms: {verdict} |", ms(s.median()), ms(p95), ms(s.max()));
}

pub fn run(o: &Options) -> Res<String> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    rt.block_on(run_async(o))
}

async fn run_async(o: &Options) -> Res<String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = o.db.clone().unwrap_or_else(|| tmp.path().join("desktop.db"));
    let stamp = db.with_extension("built");
    let want = format!("{} {}", o.articles, o.seed);
    let reuse = db.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == want);
    let mut built = String::new();
    if !reuse {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
        let core = Mediawatch::open(&db).map_err(|e| e.to_string())?;
        let t = Instant::now();
        build(&core, o, tmp.path()).await?;
        built = format!("built in {} through `Mediawatch::import`", secs(t.elapsed()));
        drop(core);
        std::fs::write(&stamp, &want).map_err(|e| e.to_string())?;
    }
    let names = names(o.seed);
    let runs = o.runs;

    // The first open migrates a database of an older schema (a one-off, reported on its own).
    let t0 = Instant::now();
    drop(Mediawatch::open(&db).map_err(|e| e.to_string())?);
    let first_open = t0.elapsed();
    // Opening: the database, then what the Mentions page asks for first.
    let mut opening = Samples::default();
    for _ in 0..runs.min(10) {
        let t = Instant::now();
        let core = Mediawatch::open(&db).map_err(|e| e.to_string())?;
        core.list_topics().await.map_err(|e| e.to_string())?;
        core.mentions(MentionQuery { limit: Some(50), ..MentionQuery::default() }).await.map_err(|e| e.to_string())?;
        opening.push(t.elapsed());
    }
    let core = Mediawatch::open(&db).map_err(|e| e.to_string())?;
    let overview = core.overview().await.map_err(|e| e.to_string())?;
    let page = |topic: Option<String>, before: Option<MentionCursor>| MentionQuery {
        topic,
        limit: Some(50),
        before,
        ..MentionQuery::default()
    };
    let common = names[0].clone();
    let uncommon = names[TOPICS - 2].clone();
    let rare = names[TOPICS - 1].clone();
    // The cursor 20 pages down the common topic.
    let mut cursor = None;
    for _ in 0..20 {
        let rows = core.mentions(page(Some(common.clone()), cursor.clone())).await.map_err(|e| e.to_string())?;
        cursor = rows.last().map(|r| MentionCursor { sort_at: r.sort_at, article_id: r.article_id, score: None });
    }
    let week = newest() - chrono::Duration::days(7);

    let mut t = String::new();
    let _ = writeln!(t, "{}", machine(None));
    let _ = writeln!(
        t,
        "Database: {} articles, {} sources, {} topics (seed {}){}; {} runs each after a warm-up, in process at the \
         core's API.\n",
        o.articles,
        SOURCES,
        TOPICS,
        o.seed,
        if built.is_empty() { String::new() } else { format!(", {built}") },
        runs
    );
    let _ = writeln!(t, "Overview counts: {:?}\n", overview);
    let _ = writeln!(t, "First open (migrates an older schema, once): {}\n", ms(first_open));
    let _ = writeln!(t, "| call | p50 | p95 | max | goal (p95) |");
    let _ = writeln!(t, "|---|---:|---:|---:|---|");
    row(&mut t, "open + topics + first Mentions page (cold start, in process)", &opening, 1500.0);
    let s = time(runs, || core.overview()).await?;
    row(&mut t, "Overview", &s, 100.0);
    let s = time(runs, || core.list_topics()).await?;
    row(&mut t, "Topics list with counts", &s, 100.0);
    let s = time(runs, || core.mentions(page(None, None))).await?;
    row(&mut t, "Mentions, all topics, first page", &s, 100.0);
    let s = time(runs, || core.mentions(page(Some(common.clone()), None))).await?;
    row(&mut t, &format!("Mentions, the commonest topic ({common}), first page"), &s, 100.0);
    let s = time(runs, || core.mentions(page(Some(uncommon.clone()), None))).await?;
    row(&mut t, &format!("Mentions, an uncommon topic ({uncommon}, 0.4 %)"), &s, 100.0);
    let s = time(runs, || core.mentions(page(Some(rare.clone()), None))).await?;
    row(&mut t, &format!("Mentions, a rare topic ({rare}, 1 in 10,000)"), &s, 100.0);
    let s = time(runs, || core.mentions(page(Some(common.clone()), cursor.clone()))).await?;
    row(&mut t, "Mentions, the commonest topic, page 21 (keyset)", &s, 100.0);
    let s =
        time(runs, || core.mentions(MentionQuery { since: Some(week), limit: Some(50), ..MentionQuery::default() }))
            .await?;
    row(&mut t, "Mentions, last 7 days", &s, 100.0);
    let search = |q: &str| SearchQuery { query: q.to_string(), limit: Some(50), ..SearchQuery::default() };
    let s = time(runs, || core.search(search("summit"))).await?;
    row(&mut t, "Search, a common word (summit)", &s, 100.0);
    // The counts beside the hits (per topic, source and language), which the page asks for after them.
    let s = time(runs.min(10), || core.search_facets(search("summit"), CancellationToken::new())).await?;
    row(&mut t, "Search facets, a common word (summit)", &s, 1000.0);
    let s = time(runs, || core.search(search(&format!("{uncommon} AND trade")))).await?;
    row(&mut t, &format!("Search, {uncommon} AND trade"), &s, 100.0);
    let s = time(runs, || core.search(search(&format!("\"{rare}\"")))).await?;
    row(&mut t, &format!("Search, the rare name ({rare})"), &s, 100.0);
    let first = core.mentions(page(None, None)).await.map_err(|e| e.to_string())?;
    let id = first.first().map(|r| r.article_id).ok_or("no mention")?;
    let s = time(runs, || core.article(id)).await?;
    row(&mut t, "Reader: open an article", &s, 100.0);
    let s = time(runs.min(10), || {
        core.report_count(ReportScope { topics: vec![uncommon.clone()], ..ReportScope::default() })
    })
    .await?;
    row(&mut t, &format!("Reports: live count of {uncommon}"), &s, 200.0);
    let s =
        time(runs.min(5), || core.report_count(ReportScope { topics: vec![common.clone()], ..ReportScope::default() }))
            .await?;
    row(&mut t, &format!("Reports: live count of {common}"), &s, 200.0);

    // Analysis (charts: < 200 ms) and the Overview's cards.
    let now = newest();
    let analysis = |topics: Vec<String>, days: i64, interval: Interval| AnalysisQuery {
        topics,
        since: now - chrono::Duration::days(days),
        until: now,
        interval,
        timezone: Some("Europe/Moscow".into()),
    };
    let s = time(runs, || core.analysis(analysis(vec![common.clone()], 30, Interval::Day))).await?;
    row(&mut t, "Analysis, the commonest topic, 30 days by day", &s, 200.0);
    let s = time(runs, || core.analysis(analysis(vec![], 30, Interval::Day))).await?;
    row(&mut t, "Analysis, every topic, 30 days by day", &s, 200.0);
    let s = time(runs, || core.analysis(analysis(names[..5].to_vec(), 7, Interval::Hour))).await?;
    row(&mut t, "Analysis, five topics, 7 days by hour", &s, 200.0);
    let s = time(runs.min(10), || core.analysis(analysis(vec![common.clone()], 365, Interval::Day))).await?;
    row(&mut t, "Analysis, the commonest topic, 12 months by day", &s, 200.0);
    let s = time(runs.min(10), || core.analysis(analysis(vec![], 365, Interval::Day))).await?;
    row(&mut t, "Analysis, every topic, 12 months by day", &s, 200.0);
    // The peer: the same volume as a plain SQL aggregate over the mentions and their articles (what a
    // reader without a summary table runs), on a read-only connection to the same file, same runs.
    let peer = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    let mut naive = peer
        .prepare(
            "SELECT date(a.sort_at), COUNT(*) FROM mentions m JOIN articles a ON a.id = m.article_id
             JOIN topics t ON t.id = m.topic_id WHERE t.name = ?1 AND a.sort_at >= ?2 AND a.sort_at < ?3
             GROUP BY 1 ORDER BY 1",
        )
        .map_err(|e| e.to_string())?;
    let fmt = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let (from, to) = (fmt(now - chrono::Duration::days(365)), fmt(now));
    let mut peer_runs = Samples::default();
    for i in 0..=runs.min(10) {
        let t = Instant::now();
        let days: Vec<(String, i64)> = naive
            .query_map(rusqlite::params![common, from, to], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| e.to_string())?;
        if i > 0 {
            peer_runs.push(t.elapsed());
        }
        std::hint::black_box(days);
    }
    row(&mut t, "peer: the same 12 months as SQL GROUP BY over mentions ⨝ articles", &peer_runs, 200.0);
    let cards = || CardsQuery { since: now - chrono::Duration::days(1), timezone: Some("Europe/Moscow".into()) };
    let s = time(runs, || core.topic_cards(cards())).await?;
    row(&mut t, "Overview topic cards (50 topics)", &s, 100.0);
    let source = first.first().map(|r| r.source_id).ok_or("no mention")?;
    let s = time(runs, || core.mentions(MentionQuery { source_id: Some(source), ..page(None, None) })).await?;
    row(&mut t, "Mentions, one source, first page", &s, 100.0);
    let s = time(runs, || core.mentions(MentionQuery { lang: Some("zh".into()), ..page(Some(common.clone()), None) }))
        .await?;
    row(&mut t, "Mentions, the commonest topic in Chinese, first page", &s, 100.0);

    // Relevance (the mentions by score, issue 22) and the starred articles: a hand-picked few, 100 here (the
    // newest page and page 21 of the commonest topic; starring again changes nothing).
    let relevance = |topic: Option<String>, before: Option<MentionCursor>| MentionQuery {
        order: Some(MentionOrder::Relevance),
        ..page(topic, before)
    };
    let s = time(runs, || core.mentions(relevance(Some(common.clone()), None))).await?;
    row(&mut t, &format!("Mentions by relevance (broad topic, {common}), first page"), &s, 100.0);
    let mut by_score = None;
    for _ in 0..20 {
        let rows = core.mentions(relevance(Some(common.clone()), by_score.clone())).await.map_err(|e| e.to_string())?;
        by_score =
            rows.last().map(|r| MentionCursor { sort_at: r.sort_at, article_id: r.article_id, score: Some(r.score) });
    }
    let s = time(runs, || core.mentions(relevance(Some(common.clone()), by_score.clone()))).await?;
    row(&mut t, "Mentions by relevance (broad topic), page 21 (keyset)", &s, 100.0);
    let s = time(runs, || core.mentions(relevance(None, None))).await?;
    row(&mut t, "Mentions by relevance, all topics, first page", &s, 100.0);
    let picked = core.mentions(page(Some(common.clone()), cursor.clone())).await.map_err(|e| e.to_string())?;
    for r in first.iter().chain(&picked) {
        core.star_article(r.article_id, true).await.map_err(|e| e.to_string())?;
    }
    let starred = || MentionQuery { starred_only: true, ..page(None, None) };
    let s = time(runs, || core.mentions(starred())).await?;
    row(&mut t, "Mentions, starred (100), first page", &s, 100.0);
    let s = time(runs, || core.mentions(MentionQuery { order: Some(MentionOrder::Relevance), ..starred() })).await?;
    row(&mut t, "Mentions, starred, by relevance", &s, 100.0);
    // The pane's group counts walk the unread mentions: the 300 sources in 10 groups (every article unread).
    for (i, src) in core.list_sources().await.map_err(|e| e.to_string())?.iter().enumerate() {
        let update = SourceUpdate { group: Some(format!("Group {}", i % 10)), ..SourceUpdate::default() };
        core.update_source(src.id, update).await.map_err(|e| e.to_string())?;
    }
    let s = time(runs, || core.mentions_pane()).await?;
    row(&mut t, "Mentions pane (starred count, 10 source groups' unread)", &s, 100.0);
    let s = time(runs, || core.mentions(MentionQuery { group: Some("Group 3".into()), ..page(None, None) })).await?;
    row(&mut t, "Mentions, one source group, first page", &s, 100.0);
    Ok(t)
}
