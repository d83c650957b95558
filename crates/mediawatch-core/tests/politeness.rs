//! Fetching politely against a local server on 127.0.0.1: retries with backoff on 5xx and 429, Retry-After,
//! per-host concurrency and spacing, and the publisher's cache hints as lower bounds on the interval.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use mediawatch_core::ingest::fetch::FetchOptions;
use mediawatch_core::model::NewSource;
use mediawatch_core::{CancellationToken, FetchRequest, Mediawatch};
use mediawatch_testkit::{fixture, Response, TestServer};

fn fast_retries() -> FetchOptions {
    FetchOptions { retry_base: Duration::from_millis(50), min_host_delay: Duration::ZERO, ..FetchOptions::default() }
}

async fn setup(options: FetchOptions, urls: &[String]) -> (tempfile::TempDir, Mediawatch) {
    let dir = tempfile::tempdir().unwrap();
    let core = Mediawatch::open_with(dir.path().join("mw.db"), options).unwrap();
    for url in urls {
        core.add_source(NewSource { url: url.clone(), name: None, interval_minutes: Some(30), full_text: None })
            .await
            .unwrap();
    }
    (dir, core)
}

async fn cycle(core: &Mediawatch) -> mediawatch_core::model::FetchSummary {
    core.fetch(FetchRequest { source: None, all: true }, |_| {}, CancellationToken::new()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn transient_5xx_and_429_are_retried_with_backoff() {
    let server = TestServer::start();
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    server.route("/flaky.xml", move |_| match c.fetch_add(1, Ordering::SeqCst) {
        0 => Response::status(503),
        1 => Response::status(429).header("Retry-After", "1"),
        _ => Response::ok("application/rss+xml", fixture("wire-en.xml")),
    });
    let (_d, core) = setup(fast_retries(), &[server.url("/flaky.xml")]).await;
    calls.store(0, Ordering::SeqCst); // the probe when the source was added does not count
    let started = Instant::now();
    let summary = cycle(&core).await;
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    assert_eq!(summary.new_articles, 3);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After: 1 was honoured");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_retry_after_is_not_waited_for_but_delays_the_next_fetch() {
    let server = TestServer::start();
    server.route("/busy.xml", |_| Response::status(503).header("Retry-After", "7200"));
    server.route("/gone.xml", |_| Response::status(404));
    let (_d, core) = setup(fast_retries(), &[server.url("/busy.xml"), server.url("/gone.xml")]).await;
    let before = Utc::now();
    let summary = cycle(&core).await;
    assert_eq!(summary.errors.len(), 2);
    // Two requests each: the probe when the source was added, and the cycle's, without retries.
    assert_eq!(server.requests("/busy.xml").len(), 2, "no retry when the server asks for two hours");
    assert_eq!(server.requests("/gone.xml").len(), 2, "a 404 is not retried");
    let sources = core.list_sources().await.unwrap();
    let busy = sources.iter().find(|s| s.url.ends_with("/busy.xml")).unwrap();
    let next = busy.health.next_fetch_at.unwrap();
    assert!(next >= before + chrono::Duration::hours(2), "next fetch {next} respects Retry-After");
    let gone = sources.iter().find(|s| s.url.ends_with("/gone.xml")).unwrap();
    let next = gone.health.next_fetch_at.unwrap();
    assert!(next >= before + chrono::Duration::minutes(30) && next <= before + chrono::Duration::minutes(34));
}

#[tokio::test(flavor = "multi_thread")]
async fn failing_sources_back_off_exponentially() {
    let server = TestServer::start();
    server.route("/down.xml", |_| Response::status(500));
    let options = FetchOptions { attempts: 1, ..fast_retries() };
    let (_d, core) = setup(options, &[server.url("/down.xml")]).await;
    let mut waits = Vec::new();
    for _ in 0..4 {
        let before = Utc::now();
        cycle(&core).await;
        let next = core.list_sources().await.unwrap()[0].health.next_fetch_at.unwrap();
        waits.push((next - before).num_minutes());
    }
    // 30, 60, 120, 240 minutes (+ up to 10% spread).
    for (wait, base) in waits.iter().zip([30, 60, 120, 240]) {
        assert!(*wait >= base - 1 && *wait <= base + base / 10 + 1, "waits {waits:?}");
    }
    assert_eq!(core.list_sources().await.unwrap()[0].health.consecutive_failures, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_host_gets_at_most_two_requests_at_a_time_spaced_apart() {
    let server = TestServer::start();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let starts = Arc::new(Mutex::new(Vec::new()));
    let mut urls = Vec::new();
    for i in 0..6 {
        let path = format!("/feed{i}.xml");
        let (in_flight, peak, starts) = (in_flight.clone(), peak.clone(), starts.clone());
        server.route(&path, move |_| {
            starts.lock().unwrap().push(Instant::now());
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(200));
            in_flight.fetch_sub(1, Ordering::SeqCst);
            Response::ok("application/rss+xml", fixture("wire-en.xml").replace("nw-2026", &format!("f{i}-")))
        });
        urls.push(server.url(&path));
    }
    let options = FetchOptions { min_host_delay: Duration::from_millis(100), ..FetchOptions::default() };
    let (_d, core) = setup(options, &urls).await;
    let summary = cycle(&core).await;
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    assert_eq!(peak.load(Ordering::SeqCst), 2, "at most two requests in flight to one host");
    let mut starts = starts.lock().unwrap().clone();
    starts.sort();
    for pair in starts.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(90), "request starts are spaced: {:?}", pair[1] - pair[0]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cache_hints_are_lower_bounds_on_the_interval() {
    let server = TestServer::start();
    server.route("/cached.xml", |_| {
        Response::ok("application/rss+xml", fixture("wire-en.xml")).header("Cache-Control", "public, max-age=7200")
    });
    server.route("/ttl.xml", |_| {
        Response::ok(
            "application/rss+xml",
            fixture("wire-en.xml").replace("<language>en</language>", "<language>en</language><ttl>180</ttl>"),
        )
    });
    let (_d, core) = setup(fast_retries(), &[server.url("/cached.xml"), server.url("/ttl.xml")]).await;
    let before = Utc::now();
    cycle(&core).await;
    let sources = core.list_sources().await.unwrap();
    let next = |suffix: &str| sources.iter().find(|s| s.url.ends_with(suffix)).unwrap().health.next_fetch_at.unwrap();
    assert!(next("/cached.xml") >= before + chrono::Duration::minutes(120));
    assert!(next("/ttl.xml") >= before + chrono::Duration::minutes(180));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_scheduler_fetches_due_sources_once_and_stops_when_cancelled() {
    let server = TestServer::start();
    server.route("/en.xml", |_| Response::ok("application/rss+xml", fixture("wire-en.xml")));
    let (_d, core) = setup(fast_retries(), &[server.url("/en.xml")]).await;
    let cancel = CancellationToken::new();
    let events = Arc::new(AtomicUsize::new(0));
    let seen = events.clone();
    let runner = {
        let core = core.clone();
        let cancel = cancel.clone();
        tokio::spawn(async move {
            core.run_scheduler(
                move |_| {
                    seen.fetch_add(1, Ordering::SeqCst);
                },
                |e| panic!("scheduler error: {e}"),
                cancel,
            )
            .await;
        })
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while core.overview().await.unwrap().articles == 0 {
        assert!(Instant::now() < deadline, "the scheduler did not fetch the due source");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The source is not due again for 30 minutes: no second request while the scheduler sleeps.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(server.requests("/en.xml").len(), 2, "the probe when added, then one scheduled fetch");
    assert!(events.load(Ordering::SeqCst) >= 3, "started, source_done, finished");
    let stopping = Instant::now();
    cancel.cancel();
    tokio::time::timeout(Duration::from_secs(2), runner).await.expect("stops promptly").unwrap();
    assert!(stopping.elapsed() < Duration::from_secs(2));
}
