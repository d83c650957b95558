//! The fetch cycle end to end against a local HTTP server on 127.0.0.1: fetch, parse, store, flag topics,
//! record per-source errors, conditional GET, deduplication, cancellation and limits.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mediawatch_core::ingest::fetch::FetchOptions;
use mediawatch_core::model::{FetchProgress, Field, MentionQuery, NewSource, NewTopic};
use mediawatch_core::{CancellationToken, Error, FetchRequest, Mediawatch};
use mediawatch_testkit::{Response, TestServer};

const WIRE_EN: &str = include_str!("../../mediawatch-testkit/fixtures/wire-en.xml");
const WIRE_ZH: &str = include_str!("../../mediawatch-testkit/fixtures/wire-zh-atom.xml");

fn core(dir: &tempfile::TempDir) -> Mediawatch {
    Mediawatch::open(dir.path().join("mw.db")).unwrap()
}

async fn add(core: &Mediawatch, url: String) -> i64 {
    core.add_source(NewSource { url, name: None, interval_minutes: None, full_text: None }).await.unwrap().id
}

async fn topic(core: &Mediawatch, name: &str, query: &str) {
    core.add_topic(NewTopic { name: name.into(), query: query.into(), description: None, stem: false }).await.unwrap();
}

fn all() -> FetchRequest {
    FetchRequest { source: None, all: true }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cycle_stores_articles_flags_topics_and_records_per_source_errors() {
    let server = TestServer::start();
    server.route("/en.xml", |_| Response::ok("application/rss+xml; charset=utf-8", WIRE_EN));
    server.route("/zh.xml", |_| Response::ok("application/atom+xml", WIRE_ZH));
    server.route("/broken.xml", |_| Response::status(500));
    // A feed when it is added, a web page ever after (the site replaced its feed): a parse error per cycle.
    let page_calls = Arc::new(AtomicUsize::new(0));
    let calls = page_calls.clone();
    server.route("/page.html", move |_| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            Response::ok("application/rss+xml", WIRE_EN)
        } else {
            Response::ok("text/html", "<html><body><p>Just a page</p></body></html>")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    topic(&core, "SCO", r#""Shanghai Cooperation Organisation" OR {SCO} OR 上合组织"#).await;
    topic(&core, "Belt and Road", r#""Belt and Road" OR 一带一路"#).await;
    let en = add(&core, server.url("/en.xml")).await;
    let zh = add(&core, server.url("/zh.xml")).await;
    let broken = add(&core, server.url("/broken.xml")).await;
    let page = add(&core, server.url("/page.html")).await;
    let dead = add(&core, "http://127.0.0.1:9/feed.xml".into()).await;

    let events = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = events.clone();
    let summary = core.fetch(all(), move |p| sink.lock().unwrap().push(p), CancellationToken::new()).await.unwrap();
    assert_eq!(summary.sources, 5);
    assert_eq!(summary.new_articles, 4);
    let mut codes: Vec<(i64, String)> = summary.errors.iter().map(|e| (e.source, e.code.clone())).collect();
    codes.sort();
    assert_eq!(codes, vec![(broken, "network".into()), (page, "parse".into()), (dead, "network".into())]);
    let broken_msg = &summary.errors.iter().find(|e| e.source == broken).unwrap().message;
    assert!(broken_msg.contains("HTTP 500"), "{broken_msg}");
    let dead_msg = &summary.errors.iter().find(|e| e.source == dead).unwrap().message;
    assert!(dead_msg.contains("could not connect"), "{dead_msg}");

    // Progress: started, one event per source, finished.
    let events = std::mem::take(&mut *events.lock().unwrap());
    assert!(matches!(events.first(), Some(FetchProgress::Started { total: 5 })));
    assert_eq!(events.iter().filter(|e| matches!(e, FetchProgress::SourceDone { .. })).count(), 5);
    assert!(matches!(events.last(), Some(FetchProgress::Finished { .. })));

    // Sources: names from the feeds, health recorded.
    let sources = core.list_sources().await.unwrap();
    let by_id = |id| sources.iter().find(|s| s.id == id).unwrap();
    assert_eq!(by_id(en).name, "Northwind Wire — World");
    assert_eq!(by_id(en).article_count, 3);
    assert_eq!(by_id(zh).name, "东方测试通讯社");
    assert_eq!(by_id(broken).health.last_http_status, Some(500));
    assert_eq!(by_id(broken).health.consecutive_failures, 1);
    assert_eq!(by_id(broken).health.last_error_code.as_deref(), Some("network"));
    assert!(by_id(en).health.last_success_at.is_some());

    // Mentions: newest first; the SCO topic flags the English and the Chinese item, with exact spans.
    let rows = core.mentions(MentionQuery::default()).await.unwrap();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, vec!["两国外长会晤 讨论共建一带一路合作", "Moscow and Beijing ministers prepare May summit"]);
    let zh_row = &rows[0];
    let names: Vec<&str> = zh_row.topics.iter().map(|t| t.topic.as_str()).collect();
    assert_eq!(names, vec!["Belt and Road", "SCO"]);
    let article = core.article(zh_row.article_id).await.unwrap();
    let bri = &article.topics.iter().find(|t| t.topic == "Belt and Road").unwrap().spans;
    let in_title = bri.iter().find(|s| s.field == Field::Title).unwrap();
    let chars: Vec<char> = article.title.chars().collect();
    assert_eq!(chars[in_title.start as usize..in_title.end as usize].iter().collect::<String>(), "一带一路");
    let en_row = &rows[1];
    assert!(en_row.snippet.contains("Shanghai Cooperation Organisation"), "{}", en_row.snippet);
    assert_eq!(en_row.published_at.unwrap().to_rfc3339(), "2026-03-11T08:15:00+00:00");

    // The Overview says what the cycle did: every mention its articles made, each source's outcome.
    let made: u32 = rows.iter().map(|r| r.topics.len() as u32).sum();
    assert_eq!(made, 3);
    let cycle = core.overview().await.unwrap().last_cycle.expect("the cycle is recorded");
    assert_eq!(
        (cycle.sources, cycle.new_articles, cycle.not_modified, cycle.errors, cycle.new_mentions, cycle.cancelled),
        (5, 4, 0, 3, made, false)
    );
    assert!(cycle.started_at <= cycle.finished_at);
    // The next cycle finds nothing new: the newest row says so.
    core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    let again = core.overview().await.unwrap().last_cycle.unwrap();
    assert_eq!((again.sources, again.new_articles, again.new_mentions), (5, 0, 0));
    assert!(again.started_at >= cycle.finished_at);
}

#[tokio::test(flavor = "multi_thread")]
async fn conditional_get_dedup_and_failures_keep_what_is_stored() {
    let server = TestServer::start();
    let version = Arc::new(AtomicUsize::new(1));
    let v = version.clone();
    server.route("/en.xml", move |req| {
        match v.load(Ordering::SeqCst) {
            // v1: the fixture with an ETag; a matching If-None-Match gets a 304.
            1 if req.header("if-none-match") == Some("\"v1\"") => Response::status(304),
            1 => Response::ok("application/rss+xml", WIRE_EN).header("ETag", "\"v1\""),
            // v2: one more item on top, the three old ones again.
            2 => {
                let extra = "<item><title>Ministers agree Belt and Road transport plan</title>\
                    <link>https://wire.example/world/2026/03/transport</link><guid>nw-2026-0312-001</guid></item>";
                Response::ok("application/rss+xml", WIRE_EN.replacen("<item>", &format!("{extra}<item>"), 1))
                    .header("ETag", "\"v2\"")
            }
            _ => Response::status(503),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let id = add(&core, server.url("/en.xml")).await;

    let first = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!((first.new_articles, first.not_modified), (3, 0));
    let second = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!((second.new_articles, second.not_modified), (0, 1));
    // Requests: the probe when the source was added, the first cycle, the conditional second one.
    let reqs = server.requests("/en.xml");
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[1].header("if-none-match"), None);
    assert_eq!(reqs[2].header("if-none-match"), Some("\"v1\""));
    assert!(reqs[0].header("user-agent").unwrap().starts_with("Mediawatch/"));

    version.store(2, Ordering::SeqCst);
    let third = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(third.new_articles, 1, "only the new item is stored; the others are known by GUID");

    // A topic added now is matched against what is stored (backfill).
    topic(&core, "Belt and Road", "\"Belt and Road\"").await;
    let rows = core.mentions(MentionQuery { topic: Some("Belt and Road".into()), ..Default::default() }).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].title, "Ministers agree Belt and Road transport plan");

    // The server now fails: the error is recorded, nothing stored is lost, the source backs off.
    version.store(3, Ordering::SeqCst);
    let fourth = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(fourth.errors.len(), 1);
    assert_eq!(fourth.errors[0].code, "network");
    let src = core.list_sources().await.unwrap().into_iter().find(|s| s.id == id).unwrap();
    assert_eq!(src.article_count, 4);
    assert_eq!(src.health.last_http_status, Some(503));
    // Not due again right away: a plain (due-only) cycle skips it.
    let due = core.fetch(FetchRequest::default(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(due.sources, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_stops_the_cycle_promptly_and_writes_nothing_half_done() {
    let server = TestServer::start();
    server.route("/slow.xml", |_| {
        std::thread::sleep(Duration::from_secs(5));
        Response::ok("application/rss+xml", WIRE_EN)
    });
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    add(&core, server.url("/slow.xml")).await;
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        trigger.cancel();
    });
    let started = std::time::Instant::now();
    let result = core.fetch(all(), |_| {}, cancel).await;
    assert!(matches!(result, Err(Error::Cancelled)), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "cancel took {:?}", started.elapsed());
    let overview = core.overview().await.unwrap();
    assert_eq!(overview.articles, 0);
    assert!(core.list_sources().await.unwrap()[0].health.last_fetch_at.is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_bodies_and_slow_servers_are_clear_errors() {
    let server = TestServer::start();
    server.route("/huge.xml", |_| Response::ok("application/rss+xml", vec![b' '; 64 * 1024]));
    server.route("/slow.xml", |_| {
        std::thread::sleep(Duration::from_secs(3));
        Response::ok("application/rss+xml", WIRE_EN)
    });
    let dir = tempfile::tempdir().unwrap();
    let options = FetchOptions {
        max_body_bytes: 16 * 1024,
        total_timeout: Duration::from_millis(800),
        ..FetchOptions::default()
    };
    let core = Mediawatch::open_with(dir.path().join("mw.db"), options).unwrap();
    let huge = add(&core, server.url("/huge.xml")).await;
    let slow = add(&core, server.url("/slow.xml")).await;
    let summary = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    let msg = |id| summary.errors.iter().find(|e| e.source == id).map(|e| e.message.clone()).unwrap();
    assert!(msg(huge).contains("larger than"), "{}", msg(huge));
    assert!(msg(slow).contains("timed out"), "{}", msg(slow));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let e = core
        .add_source(NewSource { url: "file:///etc/passwd".into(), name: None, interval_minutes: None, full_text: None })
        .await;
    assert!(matches!(e, Err(Error::InvalidInput(ref m)) if m.contains("http")), "{e:?}");
    let e = core
        .add_source(NewSource { url: "not a url".into(), name: None, interval_minutes: None, full_text: None })
        .await;
    assert!(matches!(e, Err(Error::InvalidInput(_))), "{e:?}");
    add(&core, "https://wire.example/feed.xml".into()).await;
    let e = core
        .add_source(NewSource {
            url: "https://wire.example/feed.xml".into(),
            name: None,
            interval_minutes: None,
            full_text: None,
        })
        .await;
    assert!(matches!(e, Err(Error::Conflict(_))), "{e:?}");

    let e = core
        .add_topic(NewTopic { name: "Bad".into(), query: "(BRICS AND".into(), description: None, stem: false })
        .await;
    match e {
        Err(Error::InvalidQuery(q)) => assert_eq!(q.column, 11),
        other => panic!("expected invalid_query, got {other:?}"),
    }
    topic(&core, "BRICS", "BRICS").await;
    let e = core.add_topic(NewTopic { name: "brics".into(), query: "x".into(), description: None, stem: false }).await;
    assert!(matches!(e, Err(Error::Conflict(_))), "topic names are unique regardless of case: {e:?}");
    assert_eq!(core.list_topics().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_default_pack_installs_once() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let first = core.install_default_topics().await.unwrap();
    assert!(first.len() >= 6);
    assert!(core.install_default_topics().await.unwrap().is_empty(), "running it again changes nothing");
    assert!(core.default_topics().await.unwrap().iter().all(|t| t.installed));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_injected_clock_dates_fetches_and_schedules() {
    use chrono::TimeZone;
    let server = TestServer::start();
    server.route("/en.xml", |_| Response::ok("application/rss+xml", WIRE_EN));
    let dir = tempfile::tempdir().unwrap();
    let fixed = chrono::Utc.with_ymd_and_hms(2026, 3, 12, 6, 0, 0).unwrap();
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap().with_clock(move || fixed);
    add(&core, server.url("/en.xml")).await;
    core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    let source = &core.list_sources().await.unwrap()[0];
    assert_eq!(source.created_at, fixed);
    assert_eq!(source.health.last_fetch_at, Some(fixed));
    let next = source.health.next_fetch_at.unwrap();
    assert!(next >= fixed + chrono::Duration::minutes(30) && next <= fixed + chrono::Duration::minutes(33), "{next}");
    let row = &core.mentions(MentionQuery::default()).await.unwrap();
    assert!(row.is_empty(), "no topics, no mentions");
    // A due-only cycle "now" (the same fixed instant) finds nothing due.
    let due = core.fetch(FetchRequest::default(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(due.sources, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn relative_links_resolve_against_content_location() {
    let server = TestServer::start();
    let feed = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Relative</title><link>/</link>
        <item><title>Moscow talks on the SCO</title><link>story-1.html</link><guid isPermaLink="false">r-1</guid></item>
        </channel></rss>"#;
    // The feed is served from /latest.xml but says it lives under /archive/2026/.
    server.route("/latest.xml", move |_| {
        Response::ok("application/rss+xml", feed).header("Content-Location", "/archive/2026/feed.xml")
    });
    server.route("/plain.xml", move |_| Response::ok("application/rss+xml", feed.replace("r-1", "r-2")));
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    add(&core, server.url("/latest.xml")).await;
    add(&core, server.url("/plain.xml")).await;
    topic(&core, "SCO", "SCO").await;
    core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    let mut urls: Vec<String> =
        core.mentions(MentionQuery::default()).await.unwrap().into_iter().filter_map(|m| m.url).collect();
    urls.sort();
    // Both items share a URL only if Content-Location were ignored; the store keeps one article per URL.
    assert_eq!(urls, [server.url("/archive/2026/story-1.html"), server.url("/story-1.html")]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stored_topic_whose_query_no_longer_parses_is_named_in_the_summary_and_the_others_still_flag() {
    let server = TestServer::start();
    server.route("/en.xml", |_| Response::ok("application/rss+xml; charset=utf-8", WIRE_EN));
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    topic(&core, "SCO", r#""Shanghai Cooperation Organisation" OR {SCO}"#).await;
    topic(&core, "Old grammar", "BRICS").await;
    let old = core.list_topics().await.unwrap().into_iter().find(|t| t.name == "Old grammar").unwrap().id;
    // A database written by an older Mediawatch whose grammar accepted this query.
    let db = rusqlite::Connection::open(dir.path().join("mw.db")).unwrap();
    db.execute("UPDATE topics SET query = 'BRICS AND (' WHERE id = ?1", [old]).unwrap();
    drop(db);
    add(&core, server.url("/en.xml")).await;

    let summary = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(summary.skipped_topics.len(), 1, "{:?}", summary.skipped_topics);
    let skipped = &summary.skipped_topics[0];
    assert_eq!((skipped.topic, skipped.code.as_str()), (old, "invalid_query"));
    assert!(skipped.message.starts_with("invalid query: "), "{}", skipped.message);
    assert!(summary.errors.is_empty() && summary.new_articles > 0);
    // The stored topics around it still flag the articles.
    let rows = core.mentions(MentionQuery::default()).await.unwrap();
    let names: Vec<&str> = rows.iter().flat_map(|r| r.topics.iter().map(|t| t.topic.as_str())).collect();
    assert_eq!(names, vec!["SCO"]);
    // The topic list says which topic to edit, and why.
    let listed = core.list_topics().await.unwrap();
    let errors: Vec<(&str, Option<&str>)> =
        listed.iter().map(|t| (t.name.as_str(), t.query_error.as_deref())).collect();
    assert_eq!(errors, vec![("Old grammar", Some(skipped.message.as_str())), ("SCO", None)]);
}
