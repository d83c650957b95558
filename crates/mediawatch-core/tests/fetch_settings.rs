//! The `fetch.*` settings applied without a restart, against local servers on 127.0.0.1: the interval new
//! sources get, the User-Agent a publisher sees, and the proxy: the environment's when unset, the setting's
//! (a forward proxy of the test's own, which records the absolute-form request lines it is sent), or none.
//! A bad proxy is refused and the previous one stays.
//!
//! One test in this binary: it sets `HTTP_PROXY` for the process (to show that `none` ignores it), which no
//! test running beside it should see.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use mediawatch_core::alerts::secrets::Secrets;
use mediawatch_core::model::{AlertKind, AlertRuleDraft, FetchSummary, FullTextMode, Id, NewSource, NewTopic};
use mediawatch_core::{CancellationToken, ErrorCode, FetchRequest, Mediawatch};
use mediawatch_testkit::{fixture, Response, TestServer, WebhookReceiver};

/// A request a proxy was sent: its request line and User-Agent.
#[derive(Debug, Clone)]
struct Proxied {
    line: String,
    user_agent: Option<String>,
}

/// A forward HTTP proxy on 127.0.0.1. It reads the absolute-form request line (`GET http://host:port/path
/// HTTP/1.1`), records it, sends the request on to that host in origin form and copies the answer back (the
/// test servers close the connection after one answer). Anything else is answered 405.
struct ForwardProxy {
    url: String,
    seen: Arc<Mutex<Vec<Proxied>>>,
}

impl ForwardProxy {
    fn start() -> ForwardProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen: Arc<Mutex<Vec<Proxied>>> = Arc::default();
        let log = seen.clone();
        // The accept loop ends with the test process.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                std::thread::spawn(move || {
                    let _ = forward(stream, &log);
                });
            }
        });
        ForwardProxy { url, seen }
    }

    /// The request lines received for `path` (of any host).
    fn lines(&self, path: &str) -> Vec<Proxied> {
        let seen = self.seen.lock().unwrap();
        seen.iter().filter(|p| p.line.split_whitespace().nth(1).is_some_and(|t| t.ends_with(path))).cloned().collect()
    }
}

fn forward(client: TcpStream, log: &Mutex<Vec<Proxied>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let line = line.trim_end().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        headers.push(h.trim_end().to_string());
    }
    let header = |name: &str| {
        headers.iter().find_map(|h| {
            let (k, v) = h.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    let mut body = vec![0; header("content-length").and_then(|l| l.parse().ok()).unwrap_or(0)];
    reader.read_exact(&mut body)?;
    log.lock().unwrap().push(Proxied { line: line.clone(), user_agent: header("user-agent") });

    let mut client = client;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let Some(rest) = target.strip_prefix("http://") else {
        return client
            .write_all(b"HTTP/1.1 405 Not A Forward Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut upstream = TcpStream::connect(authority)?;
    let mut request = format!("{method} {path} HTTP/1.1\r\n");
    for h in &headers {
        let name = h.split(':').next().unwrap_or_default().trim().to_ascii_lowercase();
        if !matches!(name.as_str(), "connection" | "proxy-connection" | "proxy-authorization") {
            request.push_str(h);
            request.push_str("\r\n");
        }
    }
    request.push_str("Connection: close\r\n\r\n");
    upstream.write_all(request.as_bytes())?;
    upstream.write_all(&body)?;
    std::io::copy(&mut upstream, &mut client)?;
    client.flush()
}

const DESK_AGENT: &str = "DeskMonitor/2.0 (+mailto:desk@example.org)";

#[test]
fn fetch_settings_apply_without_a_restart() {
    let server = TestServer::start();
    server.route("/feed.xml", |_| Response::ok("application/rss+xml; charset=utf-8", fixture("wire-en.xml")));
    let environment_proxy = ForwardProxy::start();
    let setting_proxy = ForwardProxy::start();
    // The environment names a proxy (before any client is built and before the runtime's threads exist).
    for var in ["NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "REQUEST_METHOD"] {
        std::env::remove_var(var);
    }
    std::env::set_var("HTTP_PROXY", &environment_proxy.url);
    std::env::set_var("http_proxy", &environment_proxy.url);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(scenario(&server, &environment_proxy, &setting_proxy));
}

fn open(dir: &tempfile::TempDir) -> Mediawatch {
    Mediawatch::open(dir.path().join("mw.db")).unwrap().with_secrets(Secrets::file_only(dir.path()))
}

async fn cycle(core: &Mediawatch, source: Id) -> FetchSummary {
    let request = FetchRequest { source: Some(source), all: false };
    let summary = core.fetch(request, |_| {}, CancellationToken::new()).await.unwrap();
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    assert_eq!(summary.sources, 1);
    summary
}

async fn set(core: &Mediawatch, key: &str, value: &str) -> serde_json::Value {
    let values = core.set_setting(key.into(), value.into()).await.unwrap();
    values[key].clone()
}

async fn scenario(server: &TestServer, environment: &ForwardProxy, proxy: &ForwardProxy) {
    let dir = tempfile::tempdir().unwrap();
    let core = open(&dir);
    let feed = server.url("/feed.xml");
    let direct = || server.requests("/feed.xml").len();

    // A new source added without an interval gets fetch.interval_minutes (by URL and by OPML); the probe
    // that found its feed went through the environment's proxy, with the built-in User-Agent.
    assert_eq!(set(&core, "fetch.interval_minutes", "45").await, 45);
    let new = NewSource { url: feed.clone(), name: None, interval_minutes: None, full_text: Some(FullTextMode::Never) };
    let source = core.add_source(new).await.unwrap();
    assert_eq!(source.interval_minutes, 45);
    let opml = format!(
        r#"<opml version="2.0"><body><outline type="rss" text="Other" xmlUrl="{}"/></body></opml>"#,
        server.url("/other.xml")
    );
    let imported = core.import_opml(opml.into_bytes()).await.unwrap();
    assert_eq!(imported.added.iter().map(|s| s.interval_minutes).collect::<Vec<_>>(), [45]);
    let probe = environment.lines("/feed.xml");
    assert_eq!(probe.len(), 1, "unset: the environment's proxy");
    assert_eq!(probe[0].line, format!("GET {feed} HTTP/1.1"));
    assert!(probe[0].user_agent.as_deref().is_some_and(|ua| ua.starts_with("Mediawatch/")), "{probe:?}");

    // fetch.user_agent: the publisher sees it on the next fetch.
    assert_eq!(set(&core, "fetch.user_agent", DESK_AGENT).await, DESK_AGENT);
    cycle(&core, source.id).await;
    let last = server.requests("/feed.xml").pop().unwrap();
    assert_eq!(last.header("user-agent"), Some(DESK_AGENT));
    assert_eq!(environment.lines("/feed.xml").len(), 2);

    // fetch.proxy: the next fetch goes through the setting's proxy, not the environment's.
    assert_eq!(set(&core, "fetch.proxy", &proxy.url).await, proxy.url.as_str());
    cycle(&core, source.id).await;
    let through = proxy.lines("/feed.xml");
    assert_eq!(through.len(), 1, "through the setting's proxy");
    assert_eq!(through[0].line, format!("GET {feed} HTTP/1.1"), "the absolute form a forward proxy is sent");
    assert_eq!(through[0].user_agent.as_deref(), Some(DESK_AGENT));
    assert_eq!(environment.lines("/feed.xml").len(), 2, "the environment's proxy is not asked");

    // Webhook alerts leave through it too.
    let hook = WebhookReceiver::start(vec![]);
    let topic = NewTopic { name: "Visa policy".into(), query: "\"visa-free\"".into(), description: None, stem: false };
    core.add_topic(topic).await.unwrap();
    let rule = AlertRuleDraft {
        topic: Some("Visa policy".into()),
        kind: Some(AlertKind::Instant),
        channels: Some(vec![format!("webhook:{}", hook.url())]),
        ..Default::default()
    };
    let rule = core.add_alert_rule(rule).await.unwrap();
    let outcomes = core.test_alert_rule(rule.id).await.unwrap();
    assert!(outcomes.iter().all(|o| o.ok), "{outcomes:?}");
    assert_eq!(hook.requests().len(), 1);
    let posts = proxy.lines("/hook");
    assert_eq!(posts.len(), 1, "the webhook went through the proxy");
    assert_eq!(posts[0].line, format!("POST {} HTTP/1.1", hook.url()));

    // A bad proxy is refused, naming the key; the previous one stays, and is still used.
    for bad in ["ftp://127.0.0.1:21", "127.0.0.1:3128", "http://127.0.0.1:3128/pac.js"] {
        let e = core.set_setting("fetch.proxy".into(), bad.into()).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert!(e.to_string().contains("fetch.proxy"), "{e}");
    }
    let mut page = core.settings().await.unwrap();
    page.fetch.concurrency = 3;
    page.fetch.proxy = Some("socks4://127.0.0.1:1080".into());
    let e = core.save_settings(page).await.unwrap_err();
    assert!(e.to_string().contains("fetch.proxy"), "{e}");
    let kept = core.settings().await.unwrap().fetch;
    assert_eq!((kept.proxy.as_deref(), kept.concurrency), (Some(proxy.url.as_str()), 8), "nothing was stored");
    cycle(&core, source.id).await;
    assert_eq!(proxy.lines("/feed.xml").len(), 2, "still through the proxy");

    // A core opened on the database builds its client from the stored settings.
    let other = open(&dir);
    cycle(&other, source.id).await;
    assert_eq!(proxy.lines("/feed.xml").len(), 3, "opened with the stored proxy");

    // none: straight to the server although the environment names a proxy. Set by the other core (another
    // process, say `mediawatch settings set`): this one follows at its next cycle.
    assert_eq!(set(&other, "fetch.proxy", "none").await, "none");
    let before = direct();
    cycle(&core, source.id).await;
    assert_eq!(direct(), before + 1);
    assert_eq!(proxy.lines("/feed.xml").len(), 3, "the setting's proxy is not asked");
    assert_eq!(environment.lines("/feed.xml").len(), 2, "the environment's proxy is not asked");

    // Empty: back to the environment's proxies, and to the built-in User-Agent.
    assert_eq!(set(&core, "fetch.proxy", "").await, serde_json::Value::Null);
    assert_eq!(set(&core, "fetch.user_agent", "").await, serde_json::Value::Null);
    cycle(&core, source.id).await;
    let via_environment = environment.lines("/feed.xml");
    assert_eq!(via_environment.len(), 3);
    assert!(via_environment[2].user_agent.as_deref().is_some_and(|ua| ua.starts_with("Mediawatch/")));
}
