//! Real sites misbehave. Against a local server on 127.0.0.1: feeds in windows-1251, KOI8-R and GBK with
//! right, wrong and missing labels; a redirect loop; a body that never ends; a gzip bomb; entity attacks.
//! Each ends in correct articles or a clear per-source error — never a hang, a crash, or lost data.

use std::io::Write;
use std::time::{Duration, Instant};

use mediawatch_core::ingest::fetch::FetchOptions;
use mediawatch_core::model::{MentionQuery, NewSource, NewTopic};
use mediawatch_core::{CancellationToken, FetchRequest, Mediawatch};
use mediawatch_testkit::{fixture, Response, TestServer};

fn rss(title: &str, items: &[&str], decl: Option<&str>) -> String {
    let decl = decl.map(|e| format!("<?xml version=\"1.0\" encoding=\"{e}\"?>")).unwrap_or_default();
    let items: String = items
        .iter()
        .enumerate()
        .map(|(i, t)| format!("<item><title>{t}</title><guid>{title}-{i}</guid><description>{t}</description></item>"))
        .collect();
    format!("{decl}<rss version=\"2.0\"><channel><title>{title}</title>{items}</channel></rss>")
}

async fn add(core: &Mediawatch, url: String) -> i64 {
    core.add_source(NewSource { url, name: None, interval_minutes: None, full_text: None }).await.unwrap().id
}

#[tokio::test(flavor = "multi_thread")]
async fn legacy_encodings_with_right_wrong_and_missing_labels() {
    let server = TestServer::start();
    let ru = ["Путин и Си Цзиньпин обсудили безвизовый режим", "Заседание ШОС пройдёт в мае"];
    let zh = ["中俄外长会晤讨论上合组织合作", "两国将推进共建一带一路倡议"];
    let cp1251 = encoding_rs::WINDOWS_1251.encode(&rss("Лента 1251", &ru, Some("windows-1251"))).0.into_owned();
    let koi8 = encoding_rs::KOI8_R.encode(&rss("Лента KOI8", &ru, Some("KOI8-R"))).0.into_owned();
    let gbk_bare = encoding_rs::GBK.encode(&rss("新闻 GBK", &zh, None)).0.into_owned();
    let mislabelled = encoding_rs::WINDOWS_1251.encode(&rss("Лента без метки", &ru, None)).0.into_owned();
    let (a, b, c, d) = (cp1251.clone(), koi8.clone(), gbk_bare.clone(), mislabelled.clone());
    server.route("/cp1251.xml", move |_| Response::ok("application/rss+xml; charset=windows-1251", a.clone()));
    server.route("/koi8.xml", move |_| Response::ok("text/xml", b.clone()));
    server.route("/gbk.xml", move |_| Response::ok("application/rss+xml", c.clone()));
    // The server claims UTF-8; the bytes are windows-1251.
    server.route("/wrong.xml", move |_| Response::ok("application/rss+xml; charset=utf-8", d.clone()));
    let dir = tempfile::tempdir().unwrap();
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap();
    for path in ["/cp1251.xml", "/koi8.xml", "/gbk.xml", "/wrong.xml"] {
        add(&core, server.url(path)).await;
    }
    core.add_topic(NewTopic {
        name: "SCO".into(), query: "{ШОС} OR 上合组织".into(), description: None, stem: false
    })
    .await
    .unwrap();
    let summary = core.fetch(FetchRequest { source: None, all: true }, |_| {}, CancellationToken::new()).await.unwrap();
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    assert_eq!(summary.new_articles, 8, "two items from each of the four feeds");
    let names: Vec<String> = core.list_sources().await.unwrap().into_iter().map(|s| s.name).collect();
    for want in ["Лента 1251", "Лента KOI8", "新闻 GBK", "Лента без метки"] {
        assert!(names.iter().any(|n| n == want), "{want} not among {names:?}");
    }
    let rows = core.mentions(MentionQuery::default()).await.unwrap();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    assert!(titles.contains(&"Заседание ШОС пройдёт в мае"), "{titles:?}");
    assert!(titles.contains(&"中俄外长会晤讨论上合组织合作"), "{titles:?}");
    assert!(titles.iter().all(|t| !t.contains('\u{fffd}')));
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_servers_end_in_clear_errors_and_keep_what_is_stored() {
    let server = TestServer::start();
    server.route("/good.xml", |_| Response::ok("application/rss+xml", fixture("wire-en.xml")));
    let loop_target = server.url("/loop");
    server.route("/loop", move |_| Response::status(302).header("Location", &loop_target));
    server.route("/endless.xml", |_| Response::endless("application/rss+xml", vec![b'<'; 256 * 1024]));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&zeros).unwrap(); // 64 MiB of spaces, about 64 KiB compressed
    }
    let bomb = gz.finish().unwrap();
    server.route("/bomb.xml", move |_| {
        Response::ok("application/rss+xml", bomb.clone()).header("Content-Encoding", "gzip")
    });
    let mut lol = String::from("<!ENTITY a \"aaaaaaaaaa\">");
    for i in 1..12 {
        lol.push_str(&format!(
            "<!ENTITY {} \"{}\">",
            (b'a' + i) as char,
            format!("&{};", (b'a' + i - 1) as char).repeat(10)
        ));
    }
    let laughs = format!("<?xml version=\"1.0\"?><!DOCTYPE rss [{lol}]><rss version=\"2.0\"><channel><title>&l;</title><item><title>&l;</title><guid>x</guid></item></channel></rss>");
    server.route("/laughs.xml", move |_| Response::ok("application/rss+xml", laughs.clone()));

    let dir = tempfile::tempdir().unwrap();
    let options = FetchOptions { total_timeout: Duration::from_secs(10), ..FetchOptions::default() };
    let core = Mediawatch::open_with(dir.path().join("mw.db"), options).unwrap();
    let good = add(&core, server.url("/good.xml")).await;
    core.fetch(FetchRequest { source: Some(good), all: false }, |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(core.overview().await.unwrap().articles, 3);

    let ids = [
        add(&core, server.url("/loop")).await,
        add(&core, server.url("/endless.xml")).await,
        add(&core, server.url("/bomb.xml")).await,
        add(&core, server.url("/laughs.xml")).await,
    ];
    let started = Instant::now();
    let summary = core.fetch(FetchRequest { source: None, all: true }, |_| {}, CancellationToken::new()).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(30), "no hang: {:?}", started.elapsed());
    let message = |id: i64| summary.errors.iter().find(|e| e.source == id).map(|e| e.message.clone());
    assert!(message(ids[0]).is_some_and(|m| m.contains("redirect")), "{:?}", message(ids[0]));
    assert!(message(ids[1]).is_some_and(|m| m.contains("larger than")), "{:?}", message(ids[1]));
    assert!(message(ids[2]).is_some_and(|m| m.contains("larger than")), "{:?}", message(ids[2]));
    // The entity attack is either refused or read without expansion; never a huge title.
    let sources = core.list_sources().await.unwrap();
    assert!(sources.iter().all(|s| s.name.len() < 200));
    let rows_text: Vec<String> = core
        .list_sources()
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.id == good)
        .map(|s| s.article_count.to_string())
        .collect();
    assert_eq!(rows_text, ["3"], "the good source's articles are untouched");
    assert_eq!(core.overview().await.unwrap().articles, 3 + u32::from(message(ids[3]).is_none()));
}
