//! `mediawatch-bench alerts`: two figures of the alerts issue, in process on a two-worker tokio runtime.
//!
//! 1. **Latency**: from the moment a fetch cycle has stored a matching article (its last source done) to the
//!    webhook receiver's answer, for an instant rule with a signed webhook; one new article per run. The peer
//!    in the same run: the same body POSTed straight to the same receiver over a fresh connection (the floor
//!    that the network and the receiver set), so the difference is what evaluating, claiming and rendering
//!    cost.
//! 2. **Overhead of 1,000 rules**: a cold fetch cycle over 300 generated feeds (the refresh benchmark's set,
//!    items fresh on the injected clock so every instant rule fires) with no rule, against the same cycle with
//!    1,000 rules (700 instant, 200 digest, 100 spike, on the default pack's topics, inbox channel), runs
//!    interleaved, which goes first alternating.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use mediawatch_core::alerts::sign;
use mediawatch_core::model::{AlertKind, AlertQuery, AlertRuleDraft, FetchProgress, FullTextMode, NewSource, NewTopic};
use mediawatch_core::{CancellationToken, FetchRequest, Mediawatch};
use mediawatch_testkit::{Response, TestServer, WebhookReceiver};

use crate::feeds;
use crate::server::FeedServer;
use crate::stats::{machine, secs, Samples};

type Res<T> = Result<T, String>;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// POSTs `body` to `url` (http://127.0.0.1:PORT/path) on a fresh connection and waits for the answer.
fn raw_post(url: &str, body: &str) -> Res<Duration> {
    let rest = url.strip_prefix("http://").ok_or("http URL")?;
    let (host, path) = rest.split_once('/').ok_or("a path")?;
    let start = Instant::now();
    let mut s = std::net::TcpStream::connect(host).map_err(err)?;
    write!(
        s,
        "POST /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(err)?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(err)?;
    let took = start.elapsed();
    if !answer.starts_with("HTTP/1.1 200") {
        return Err(format!("the receiver answered {answer:?}"));
    }
    Ok(took)
}

fn latency(rt: &tokio::runtime::Runtime, runs: usize) -> Res<String> {
    let dir = tempfile::tempdir().map_err(err)?;
    let server = TestServer::start();
    let items = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let feed = items.clone();
    server.route("/feed.xml", move |_| {
        let items = feed.lock().map(|i| i.join("")).unwrap_or_default();
        Response::ok(
            "application/rss+xml",
            format!("<rss version=\"2.0\"><channel><title>Wire</title>{items}</channel></rss>"),
        )
    });
    let hook = WebhookReceiver::start(Vec::new());
    let core = Mediawatch::open(dir.path().join("mw.db"))
        .map_err(err)?
        .with_secrets(mediawatch_core::alerts::secrets::Secrets::file_only(dir.path()));
    let mut mw = Samples::default();
    let mut floor = Samples::default();
    rt.block_on(async {
        core.add_topic(NewTopic { name: "Visa policy".into(), query: "\"visa-free\"".into(), description: None, stem: false })
            .await
            .map_err(err)?;
        core.add_source(NewSource { url: server.url("/feed.xml"), name: None, interval_minutes: None, full_text: None })
            .await
            .map_err(err)?;
        core.add_alert_rule(AlertRuleDraft {
            topic: Some("Visa policy".into()),
            kind: Some(AlertKind::Instant),
            channels: Some(vec![format!("webhook:{}", hook.url())]),
            secret: Some(sign::new_secret().map_err(err)?),
            ..Default::default()
        })
        .await
        .map_err(err)?;
        for run in 0..=runs {
            let now = Utc::now().to_rfc2822();
            if let Ok(mut i) = items.lock() {
                i.push(format!(
                    "<item><guid>g{run}</guid><title>Visa-free travel, item {run}</title><link>https://wire.example/{run}</link><pubDate>{now}</pubDate><description>The visa-free regime is extended.</description></item>"
                ));
            }
            let stored = std::sync::Arc::new(std::sync::Mutex::new(None));
            let mark = stored.clone();
            let before = hook.requests().len();
            core.fetch(
                FetchRequest { source: None, all: true },
                move |p| {
                    if matches!(p, FetchProgress::SourceDone { .. }) {
                        if let Ok(mut m) = mark.lock() {
                            *m = Some(Instant::now());
                        }
                    }
                },
                CancellationToken::new(),
            )
            .await
            .map_err(err)?;
            let reqs = hook.requests();
            if reqs.len() != before + 1 {
                return Err(format!("run {run}: {} webhook POSTs, expected 1", reqs.len() - before));
            }
            let t0 = stored.lock().map_err(err)?.ok_or("no source was stored")?;
            let last = reqs.last().ok_or("no request")?;
            let body = last.body.clone();
            // The first run warms the connection pool and the caches; it is not counted.
            if run > 0 {
                mw.push(last.at.saturating_duration_since(t0));
                floor.push(raw_post(&hook.url(), &body)?);
            }
        }
        Ok::<_, String>(())
    })?;
    let alerts = rt.block_on(core.alerts(AlertQuery { limit: Some(1000), ..Default::default() })).map_err(err)?;
    Ok(format!(
        "latency, store → webhook answer, {runs} runs: median {} (min {}, max {}); \
         the same body POSTed straight to the receiver: median {} (min {}, max {}); {} alerts, each delivered once\n",
        ms(mw.median()),
        ms(mw.min()),
        ms(mw.max()),
        ms(floor.median()),
        ms(floor.min()),
        ms(floor.max()),
        alerts.len()
    ))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// One arm of the overhead benchmark: the cold cycle, the next, the one an hour later, the cold cycle's tail
/// (from its last source done to its end: the alerts stage), and how many alerts fired.
struct Arm {
    cold: Duration,
    next: Duration,
    later: Duration,
    tail: Duration,
    fired: u32,
}

fn cycle(rt: &tokio::runtime::Runtime, urls: &[String], rules: usize) -> Res<Arm> {
    let dir = tempfile::tempdir().map_err(err)?;
    // The generated items are dated 2025-03-03 08:00 onwards: on this clock they are news.
    let start_at = Utc.with_ymd_and_hms(2025, 3, 3, 12, 0, 0).single().ok_or("date")?;
    let clock = std::sync::Arc::new(std::sync::Mutex::new(start_at));
    let c = clock.clone();
    let core = Mediawatch::open(dir.path().join("mw.db"))
        .map_err(err)?
        .with_clock(move || c.lock().map(|t| *t).unwrap_or(start_at));
    rt.block_on(async {
        let topics = core.install_default_topics().await.map_err(err)?;
        for url in urls {
            // The generated items link to pages on hosts that do not exist: the feed's text is the article (as
            // in the refresh benchmark).
            let full_text = Some(FullTextMode::Never);
            core.add_source(NewSource { url: url.clone(), name: None, interval_minutes: None, full_text })
                .await
                .map_err(err)?;
        }
        for i in 0..rules {
            let kind = match i % 10 {
                0..=6 => AlertKind::Instant,
                7 | 8 => AlertKind::Digest,
                _ => AlertKind::Spike,
            };
            core.add_alert_rule(AlertRuleDraft {
                topic: Some(topics[i % topics.len()].name.clone()),
                kind: Some(kind),
                channels: Some(vec!["inbox".into()]),
                tz: Some("UTC".into()),
                ..Default::default()
            })
            .await
            .map_err(err)?;
        }
        let start = Instant::now();
        let all = FetchRequest { source: None, all: true };
        let last_done = std::sync::Arc::new(std::sync::Mutex::new(start));
        let mark = last_done.clone();
        let on_progress = move |p: FetchProgress| {
            if matches!(p, FetchProgress::SourceDone { .. }) {
                if let Ok(mut m) = mark.lock() {
                    *m = Instant::now();
                }
            }
        };
        let s = core.fetch(all, on_progress, CancellationToken::new()).await.map_err(err)?;
        let cold = start.elapsed();
        let tail = last_done.lock().map(|t| t.elapsed()).map_err(err)?;
        if !s.errors.is_empty() {
            return Err(format!("{} sources failed: {:?}", s.errors.len(), s.errors.first()));
        }
        // The next cycle, as most cycles are: every feed answers 304, nothing is new, every rule is evaluated.
        let start = Instant::now();
        let again = core.fetch(all, |_| {}, CancellationToken::new()).await.map_err(err)?;
        let warm = start.elapsed();
        if again.not_modified as usize != urls.len() || again.alerts.fired != 0 {
            return Err(format!("the next cycle: {} not modified, {} alerts", again.not_modified, again.alerts.fired));
        }
        // An hour later, as a steady cycle is: the burst has left the instant rules' look-back.
        if let Ok(mut t) = clock.lock() {
            *t = start_at + chrono::Duration::minutes(61);
        }
        let start = Instant::now();
        let later = core.fetch(all, |_| {}, CancellationToken::new()).await.map_err(err)?;
        let hour_later = start.elapsed();
        if later.alerts.fired != 0 {
            return Err(format!("an hour later: {} alerts", later.alerts.fired));
        }
        Ok(Arm { cold, next: warm, later: hour_later, tail, fired: s.alerts.fired })
    })
}

fn line(what: &str, runs: usize, a: &Samples, b: &Samples, extra: &str) -> String {
    let pct = (b.median().as_secs_f64() / a.median().as_secs_f64() - 1.0) * 100.0;
    format!(
        "{what}, {runs} runs each, interleaved: no rule median {} (min {}, max {}); 1,000 rules median {} (min {}, max {}){extra}: {pct:+.1} % (medians)\n",
        secs(a.median()),
        secs(a.min()),
        secs(a.max()),
        secs(b.median()),
        secs(b.min()),
        secs(b.max()),
    )
}

fn overhead(rt: &tokio::runtime::Runtime, runs: usize) -> Res<String> {
    let docs = feeds::generate(300, 20, 20_250_303);
    let server = FeedServer::start(docs).map_err(err)?;
    let (mut none, mut thousand) = (Samples::default(), Samples::default());
    let (mut none_next, mut thousand_next) = (Samples::default(), Samples::default());
    let (mut none_later, mut thousand_later) = (Samples::default(), Samples::default());
    let (mut none_tail, mut thousand_tail) = (Samples::default(), Samples::default());
    let mut fired = 0;
    for run in 0..=runs {
        // Which of the two goes first alternates: the second of a pair ran measurably faster (up to 20 % on
        // the next cycle), whichever it was.
        let (a, b) = if run % 2 == 0 {
            let a = cycle(rt, &server.urls, 0)?;
            (a, cycle(rt, &server.urls, 1000)?)
        } else {
            let b = cycle(rt, &server.urls, 1000)?;
            (cycle(rt, &server.urls, 0)?, b)
        };
        if run > 0 {
            none.push(a.cold);
            thousand.push(b.cold);
            none_next.push(a.next);
            thousand_next.push(b.next);
            none_later.push(a.later);
            thousand_later.push(b.later);
            none_tail.push(a.tail);
            thousand_tail.push(b.tail);
            fired = b.fired;
        }
    }
    let cold = line(
        "cold cycle, 300 feeds × 20 items, every item news",
        runs,
        &none,
        &thousand,
        &format!(", {fired} alerts fired"),
    );
    let next = line("the next cycle (every feed 304, nothing new)", runs, &none_next, &thousand_next, "");
    let later = line("an hour later (every feed 304, nothing new)", runs, &none_later, &thousand_later, "");
    // The alerts stage alone, which the cycle's noise (±15 % between runs) hides: the cold cycle's tail after its
    // last source, in each arm, and the difference against the no-rule cycle.
    let extra = thousand_tail.median().saturating_sub(none_tail.median());
    let stage = format!(
        "the cold cycle's alerts stage (last source done → cycle end): no rule median {} (max {}); 1,000 rules median {} (min {}, max {}): {} more, {:.1} % of the no-rule cycle (medians)\n",
        ms(none_tail.median()),
        ms(none_tail.max()),
        ms(thousand_tail.median()),
        ms(thousand_tail.min()),
        ms(thousand_tail.max()),
        ms(extra),
        extra.as_secs_f64() / none.median().as_secs_f64() * 100.0
    );
    Ok(cold + &stage + &next + &later)
}

pub fn run(runs: usize) -> Res<String> {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(err)?;
    let mut out = format!("machine: {}\n", machine(None));
    out.push_str(&latency(&rt, runs.max(1))?);
    out.push_str(&overhead(&rt, (runs / 4).max(3))?);
    Ok(out)
}
