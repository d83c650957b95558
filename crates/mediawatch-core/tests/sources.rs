//! Adding sources the way analysts do, against a local server on 127.0.0.1: feed URLs, page URLs whose
//! feed is discovered, unreachable URLs, and OPML import/export with folders.

use mediawatch_core::ingest::opml::parse_opml;
use mediawatch_core::model::NewSource;
use mediawatch_core::{Error, Mediawatch};
use mediawatch_testkit::{fixture, Response, TestServer};

fn core(dir: &tempfile::TempDir) -> Mediawatch {
    Mediawatch::open(dir.path().join("mw.db")).unwrap()
}

fn new(url: String) -> NewSource {
    NewSource { url, name: None, interval_minutes: None, full_text: None }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_url_is_replaced_by_the_feed_it_advertises() {
    let server = TestServer::start();
    server.route("/world/", |_| {
        Response::ok(
            "text/html; charset=utf-8",
            r#"<!doctype html><html><head><title>Northwind — World</title>
            <!-- <link rel="alternate" type="application/rss+xml" href="/old.xml"> -->
            <LINK REL="alternate" TYPE="application/rss+xml" TITLE="World news" HREF="/rss/world.xml">
            </head><body><h1>World</h1></body></html>"#,
        )
    });
    server.route("/rss/world.xml", |_| Response::ok("application/rss+xml", fixture("wire-en.xml")));
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let source = core.add_source(new(server.url("/world/"))).await.unwrap();
    assert_eq!(source.url, server.url("/rss/world.xml"));
    assert_eq!(source.name, "Northwind Wire — World");
    assert!(server.requests("/old.xml").is_empty(), "a link inside a comment is not followed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_without_links_falls_back_to_conventional_locations() {
    let server = TestServer::start();
    server.route("/", |_| Response::ok("text/html", "<html><head><title>Wire</title></head><body>news</body></html>"));
    server.route("/rss.xml", |_| Response::ok("text/xml", fixture("wire-zh-atom.xml")));
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let source = core.add_source(new(server.url("/"))).await.unwrap();
    assert_eq!(source.url, server.url("/rss.xml"));
    assert_eq!(source.name, "东方测试通讯社");
    // /feed and /rss were tried first, in that order.
    assert_eq!(server.requests("/feed").len(), 1);
    assert_eq!(server.requests("/rss").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_with_no_feed_is_refused_and_nothing_is_stored() {
    let server = TestServer::start();
    server.route("/about", |_| Response::ok("text/html", "<html><body>About us</body></html>"));
    server.route("/sitemap.xml", |_| {
        Response::ok("application/xml", r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/a</loc></url></urlset>"#)
    });
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let err = core.add_source(new(server.url("/about"))).await.unwrap_err();
    assert!(matches!(err, Error::NotFound(ref m) if m.contains("no feed found")), "{err}");
    let err = core.add_source(new(server.url("/sitemap.xml"))).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(ref m) if m.contains("sitemap")), "{err}");
    assert!(core.list_sources().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_url_is_kept_as_given() {
    let server = TestServer::start();
    server.route("/down.xml", |_| Response::status(503));
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let source = core.add_source(new(server.url("/down.xml"))).await.unwrap();
    assert_eq!(source.url, server.url("/down.xml"));
    assert_eq!(server.requests("/down.xml").len(), 1, "adding probes once, without retries");
    let offline = core.add_source(new("http://127.0.0.1:9/feed.xml".into())).await.unwrap();
    assert_eq!(offline.name, "127.0.0.1");
}

const OPML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Analyst's feeds</title></head><body>
  <outline text="Russia">
    <outline text="Agencies">
      <outline type="rss" text="Wire RU" xmlUrl="https://ru.wire.example/rss"/>
    </outline>
    <outline type="rss" xmlUrl="https://ru2.wire.example/feed.xml"/>
  </outline>
  <outline text="China" type="rss">
    <outline type="rss" text="东方测试" xmlUrl="https://zh.wire.example/atom.xml"/>
    <outline type="rss" text="Wire RU again" xmlUrl="https://ru.wire.example/rss"/>
  </outline>
  <outline type="rss" text="Top level" xmlUrl="https://top.example/rss.xml"/>
  <outline type="rss" text="Not http" xmlUrl="ftp://files.example/feed"/>
</body></opml>"#;

#[tokio::test(flavor = "multi_thread")]
async fn opml_import_files_sources_in_groups_and_export_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir);
    let summary = core.import_opml(OPML.as_bytes().to_vec()).await.unwrap();
    assert_eq!(summary.added.len(), 4);
    assert_eq!(summary.already_present, 0);
    assert!(summary.warnings.iter().any(|w| w.contains("ru.wire.example")), "{:?}", summary.warnings);
    assert!(summary.warnings.iter().any(|w| w.contains("ftp://")), "{:?}", summary.warnings);
    let sources = core.list_sources().await.unwrap();
    let group = |url: &str| sources.iter().find(|s| s.url == url).and_then(|s| s.group.clone());
    assert_eq!(group("https://ru.wire.example/rss").as_deref(), Some("Russia / Agencies"));
    assert_eq!(group("https://ru2.wire.example/feed.xml").as_deref(), Some("Russia"));
    assert_eq!(group("https://zh.wire.example/atom.xml").as_deref(), Some("China"));
    assert_eq!(group("https://top.example/rss.xml"), None);
    let unnamed = sources.iter().find(|s| s.url == "https://ru2.wire.example/feed.xml").unwrap();
    assert_eq!(unnamed.name, "ru2.wire.example");

    // Importing again adds nothing.
    let again = core.import_opml(OPML.as_bytes().to_vec()).await.unwrap();
    assert!(again.added.is_empty());
    assert_eq!(again.already_present, 4);

    // Export, then read the export back: the same feeds in the same groups.
    let exported = core.export_opml().await.unwrap();
    let back = parse_opml(exported.as_bytes()).unwrap();
    let mut pairs: Vec<(String, Option<String>)> = back.feeds.into_iter().map(|f| (f.url, f.group)).collect();
    pairs.sort();
    let mut expected: Vec<(String, Option<String>)> =
        sources.iter().map(|s| (s.url.clone(), s.group.clone())).collect();
    expected.sort();
    assert_eq!(pairs, expected);

    // Not OPML at all: a parse error, nothing added.
    let err = core.import_opml(b"<rss version=\"2.0\"/>".to_vec()).await.unwrap_err();
    assert_eq!(err.code(), mediawatch_core::ErrorCode::Parse);
    assert_eq!(core.list_sources().await.unwrap().len(), 4);
}

/// A site with no feed at all, whose robots.txt points at a news sitemap index.
fn serve_site_without_feed(server: &TestServer) {
    server.route("/", |_| {
        Response::ok("text/html; charset=utf-8", r#"<html><head><title>Steppe Herald</title><meta property="og:site_name" content="Steppe Herald"></head><body>Front page</body></html>"#)
    });
    let base = server.url("");
    let robots = format!(
        "User-agent: *\nDisallow: /admin\nSitemap: {base}/sitemaps/pages.xml\nSitemap: {base}/sitemaps/index.xml\n"
    );
    server.route("/robots.txt", move |_| Response::ok("text/plain", robots.clone()));
    let index = format!(
        r#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>{base}/sitemaps/pages.xml</loc></sitemap><sitemap><loc>{base}/sitemaps/news.xml</loc></sitemap></sitemapindex>"#
    );
    server.route("/sitemaps/index.xml", move |_| Response::ok("application/xml", index.clone()));
    server.route("/sitemaps/pages.xml", |_| {
        Response::ok("application/xml", r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/about</loc></url></urlset>"#)
    });
    let news = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
          <url><loc>{base}/2026/03/12/putin-wang-yi.html</loc>
            <news:news><news:publication><news:name>Steppe Herald</news:name><news:language>ru</news:language></news:publication>
              <news:publication_date>2026-03-12T05:00:00+03:00</news:publication_date>
              <news:title>Путин принял Ван И в Кремле</news:title></news:news></url>
          <url><loc>{base}/2026/03/11/visa-free.html</loc><lastmod>2026-03-11T09:00:00Z</lastmod></url>
          <url><loc>{base}/2026/02/01/old-story.html</loc>
            <news:news><news:publication><news:name>Steppe Herald</news:name><news:language>en</news:language></news:publication>
              <news:publication_date>2026-02-01T10:00:00Z</news:publication_date><news:title>Old story</news:title></news:news></url>
        </urlset>"#
    );
    server.route("/sitemaps/news.xml", move |_| Response::ok("application/xml", news.clone()));
    server.route("/2026/03/11/visa-free.html", |_| {
        Response::ok(
            "text/html; charset=utf-8",
            r#"<html lang="en"><head><title>Visa-free travel extended | Steppe Herald</title>
            <meta property="og:title" content="Visa-free travel extended to 2027">
            <meta name="description" content="The elimination of visa requirements continues."></head><body>...</body></html>"#,
        )
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn a_site_without_a_feed_is_followed_through_its_news_sitemap() {
    use chrono::TimeZone;
    use mediawatch_core::model::SourceKind;
    use mediawatch_core::{CancellationToken, FetchRequest};
    let server = TestServer::start();
    serve_site_without_feed(&server);
    let dir = tempfile::tempdir().unwrap();
    let now = chrono::Utc.with_ymd_and_hms(2026, 3, 12, 12, 0, 0).unwrap();
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap().with_clock(move || now);

    let source = core.add_source(new(server.url("/"))).await.unwrap();
    assert_eq!(source.kind, SourceKind::Sitemap);
    assert_eq!(source.url, server.url("/sitemaps/index.xml"), "robots.txt's sitemaps, the undated one refused");
    assert_eq!(source.name, "Steppe Herald");

    let all = FetchRequest { source: None, all: true };
    let summary = core.fetch(all, |_| {}, CancellationToken::new()).await.unwrap();
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    assert_eq!(summary.new_articles, 2, "the two recent entries; the one from February is old news");
    core.add_topic(mediawatch_core::model::NewTopic {
        name: "Everything".into(),
        query: "Путин OR visa*".into(),
        description: None,
        stem: false,
    })
    .await
    .unwrap();
    let rows = core.mentions(mediawatch_core::model::MentionQuery::default()).await.unwrap();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["Путин принял Ван И в Кремле", "Visa-free travel extended to 2027"]);
    let visa = core.article(rows[1].article_id).await.unwrap();
    assert_eq!(visa.lang.as_deref(), Some("en"), "the page's language");
    let putin = core.article(rows[0].article_id).await.unwrap();
    assert_eq!(putin.lang.as_deref(), Some("ru"), "the sitemap's news:language");
    // Full text (`auto`): each page is fetched once, and its head titles the entry that had no news:title.
    assert_eq!(server.requests("/2026/03/12/putin-wang-yi.html").len(), 1);
    assert_eq!(server.requests("/2026/03/11/visa-free.html").len(), 1);
    assert!(putin.extract_error.as_deref().is_some_and(|e| e.contains("404")), "{:?}", putin.extract_error);
    assert!(
        visa.extract_error.as_deref().is_some_and(|e| e.contains("no readable article")),
        "{:?}",
        visa.extract_error
    );

    // The next cycle stores nothing twice and fetches no page again.
    let again = core.fetch(all, |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(again.new_articles, 0);
    assert_eq!(server.requests("/2026/03/11/visa-free.html").len(), 1);
}
