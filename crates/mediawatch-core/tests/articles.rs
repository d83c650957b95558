//! The articles stage against a local HTTP server on 127.0.0.1: full text in each source mode, pages that
//! cannot be read, articles seen again, canonical URLs, and syndicated copies grouped into story clusters.

use mediawatch_core::model::{FullTextMode, MentionQuery, NewSource, NewTopic, TextOrigin};
use mediawatch_core::{CancellationToken, FetchRequest, Mediawatch};
use mediawatch_testkit::{Response, TestServer};

const STORY: &str = "BRICS foreign ministers agreed on Tuesday to draft a joint statement on reform of the United \
Nations Security Council and to set up a working group on settlements in national currencies, Russian Foreign \
Minister Sergei Lavrov told reporters after a two-day meeting in Moscow.

The meeting brought together the ministers of Brazil, Russia, India, China and South Africa as well as the new \
members Egypt, Ethiopia, Iran and the United Arab Emirates. Lavrov said the talks had been frank and constructive \
and that the group would present its proposals at the leaders' summit in Kazan in October.

Chinese Foreign Minister Wang Yi said Beijing supported a larger role for developing countries in global \
governance and called for the expansion of the New Development Bank's lending in local currencies. Indian External \
Affairs Minister Subrahmanyam Jaishankar stressed that the grouping was not directed against anyone and should \
focus on trade, health and food security.

According to a draft of the statement seen by reporters, the ministers will also ask their finance ministries to \
study a common payment platform and a grain exchange. More than thirty countries have applied to join the grouping \
or to become partners, Lavrov said, adding that the criteria for partner status would be agreed in Kazan.";

const STORY_RU: &str = "Министры иностранных дел стран БРИКС договорились во вторник подготовить совместное \
заявление о реформе Совета Безопасности ООН и создать рабочую группу по расчетам в национальных валютах, сообщил \
журналистам министр иностранных дел России Сергей Лавров по итогам двухдневной встречи в Москве. Во встрече \
приняли участие министры Бразилии, России, Индии, Китая и Южной Африки, а также новых членов. Лавров назвал \
переговоры откровенными и конструктивными и сказал, что группа представит свои предложения на саммите лидеров в \
Казани в октябре. Министр иностранных дел Китая Ван И заявил, что Пекин поддерживает повышение роли развивающихся \
стран в глобальном управлении.";

const OTHER_STORY: &str = "Russian Foreign Minister Sergei Lavrov on Wednesday accused Western countries of trying \
to split BRICS, as foreign ministers of the group wrapped up their talks in Moscow without agreeing on a common \
position on the war in Ukraine. Lavrov said pressure on India and Brazil to distance themselves from Moscow would \
fail and that the grouping's members respected each other's choices. He met Chinese Foreign Minister Wang Yi on the \
sidelines and discussed preparations for President Xi Jinping's visit to Kazan in October. Indian External Affairs \
Minister Subrahmanyam Jaishankar left the meeting early to attend a security conference in Munich, his office said.";

fn paragraphs_html(text: &str) -> String {
    text.split("\n\n").map(|p| format!("<p>{p}</p>")).collect::<Vec<_>>().join("\n")
}

/// An article page with the furniture real pages have around the story.
fn page(lang: &str, title: &str, canonical: Option<&str>, body: &str) -> String {
    let canonical = canonical.map(|c| format!(r#"<link rel="canonical" href="{c}">"#)).unwrap_or_default();
    format!(
        r#"<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Steppe Herald</title>
        {canonical}<meta property="og:site_name" content="Steppe Herald">
        <meta property="article:published_time" content="2026-03-12T09:00:00Z">
        <script>window.tracker = 1;</script></head>
        <body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/markets">Markets</a></nav>
        <div class="cookie">We use cookies. <button>Accept</button></div>
        <article><h1>{title}</h1><p class="byline">By Anna Petrova</p>
        {body}
        <p><img src="/img/lavrov.jpg" alt="Lavrov"> <a href="/world/brics">More on BRICS</a></p></article>
        <aside><h2>Related stories</h2><ul><li><a href="/a">Grain prices rise</a></li><li><a href="/b">Port strike ends</a></li></ul></aside>
        <footer>© Steppe Herald. Share on social media.</footer></body></html>"#,
        body = paragraphs_html(body)
    )
}

fn rss(items: &[(String, String, String, String)], lang: &str) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title, link, description)| {
            format!(
                "<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title><link>{link}</link>\
                 <description><![CDATA[{description}]]></description><pubDate>Thu, 12 Mar 2026 09:00:00 GMT</pubDate></item>"
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed</title>
        <link>https://example.com/</link><language>{lang}</language>{items}</channel></rss>"#
    )
}

fn item(guid: &str, title: &str, link: String, description: &str) -> (String, String, String, String) {
    (guid.into(), title.into(), link, description.into())
}

async fn add(core: &Mediawatch, url: String, mode: FullTextMode) -> i64 {
    core.add_source(NewSource { url, name: None, interval_minutes: None, full_text: Some(mode) }).await.unwrap().id
}

fn all() -> FetchRequest {
    FetchRequest { source: None, all: true }
}

async fn article_by_title(core: &Mediawatch, title: &str) -> mediawatch_core::model::ArticleDetail {
    let rows = core.mentions(MentionQuery { limit: Some(100), ..MentionQuery::default() }).await.unwrap();
    let row = rows.iter().find(|r| r.title == title).unwrap_or_else(|| panic!("no mention titled {title:?}"));
    core.article(row.article_id).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn full_text_follows_the_source_mode() {
    let server = TestServer::start();
    let story_page = page("en", "Ministers agree on BRICS statement", None, STORY);
    server.route("/world/brics-statement", move |_| Response::ok("text/html; charset=utf-8", story_page.clone()));
    let long_page = page("en", "Long item", None, OTHER_STORY);
    server.route("/world/long", move |_| Response::ok("text/html; charset=utf-8", long_page.clone()));
    server.route("/world/gone", |_| Response::status(404));
    // The feed declares English; this page is Russian.
    let ru_page = page("ru", "Министры БРИКС", None, STORY_RU);
    server.route("/world/ru", move |_| Response::ok("text/html; charset=utf-8", ru_page.clone()));
    let long_feed_text = format!("{STORY}\n\n{STORY}");
    let feed = rss(
        &[
            item(
                "1",
                "Ministers agree on BRICS statement",
                server.url("/world/brics-statement"),
                "BRICS ministers agreed on a statement. Read more",
            ),
            item("2", "Long item", server.url("/world/long"), &paragraphs_html(&long_feed_text)),
            item("3", "Gone item", server.url("/world/gone"), "BRICS teaser of a page that is gone."),
            item("4", "Министры БРИКС", server.url("/world/ru"), "БРИКС: коротко."),
        ],
        "en",
    );
    for path in ["/auto.xml", "/always.xml", "/never.xml"] {
        let feed = feed.clone();
        server.route(path, move |_| Response::ok("application/rss+xml", feed.clone()));
    }
    let dir = tempfile::tempdir().unwrap();
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap();
    core.add_topic(NewTopic {
        name: "BRICS".into(), query: "BRICS OR БРИКС".into(), description: None, stem: false
    })
    .await
    .unwrap();

    add(&core, server.url("/auto.xml"), FullTextMode::Auto).await;
    let summary = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert!(summary.errors.is_empty(), "a page that cannot be read is not a source error: {:?}", summary.errors);
    assert_eq!(summary.new_articles, 4);
    assert_eq!(server.requests("/world/brics-statement").len(), 1, "a teaser: the page is fetched");
    assert_eq!(server.requests("/world/long").len(), 0, "the feed carries the whole article: no page fetch");

    let a = article_by_title(&core, "Ministers agree on BRICS statement").await;
    assert_eq!(a.text_origin, TextOrigin::Page);
    assert!(a.text.contains("Subrahmanyam Jaishankar stressed"), "{}", a.text);
    for furniture in ["Related stories", "cookies", "Markets", "Share on social media", "window.tracker"] {
        assert!(!a.text.contains(furniture), "{furniture:?} kept in {}", a.text);
    }
    assert_eq!(a.author.as_deref(), Some("Anna Petrova"));
    assert_eq!(a.site_name.as_deref(), Some("Steppe Herald"));
    assert_eq!(a.lang.as_deref(), Some("en"));
    let html = a.html.as_deref().expect("the extracted article as HTML");
    assert!(!html.contains("<script") && !html.contains("window.tracker"), "{html}");
    assert!(html.contains("data-remote-src=\"http://127.0.0.1"), "images absolute and not loaded: {html}");
    assert!(!html.contains(" src="), "no image loads by itself: {html}");
    assert!(html.contains(&format!("href=\"{}\"", server.url("/world/brics"))), "links absolute: {html}");

    let long = article_by_title(&core, "Long item").await;
    assert_eq!(long.text_origin, TextOrigin::Feed);

    let gone = article_by_title(&core, "Gone item").await;
    assert_eq!(gone.text_origin, TextOrigin::Feed);
    assert_eq!(gone.text, "BRICS teaser of a page that is gone.", "the feed's text is kept");
    let why = gone.extract_error.as_deref().unwrap_or_default();
    assert!(why.contains("404"), "the reason names the problem: {why}");

    let ru = article_by_title(&core, "Министры БРИКС").await;
    assert_eq!(ru.lang.as_deref(), Some("ru"), "the text's language, not the feed's declaration");
    assert_eq!(ru.text_origin, TextOrigin::Page);

    // `always` fetches every page, `never` none.
    let dir2 = tempfile::tempdir().unwrap();
    let core2 = Mediawatch::open(dir2.path().join("mw.db")).unwrap();
    add(&core2, server.url("/always.xml"), FullTextMode::Always).await;
    core2.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(server.requests("/world/long").len(), 1, "always: even a full feed item's page");
    let dir3 = tempfile::tempdir().unwrap();
    let core3 = Mediawatch::open(dir3.path().join("mw.db")).unwrap();
    add(&core3, server.url("/never.xml"), FullTextMode::Never).await;
    core3.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(server.requests("/world/brics-statement").len(), 2, "never: no page fetched");
    assert_eq!(server.requests("/world/ru").len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_article_seen_again_is_updated_not_copied() {
    let server = TestServer::start();
    let version = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let v = version.clone();
    let link = server.url("/world/1?utm_source=rss&utm_medium=feed");
    server.route("/feed.xml", move |_| {
        let (title, text) = if v.load(std::sync::atomic::Ordering::SeqCst) == 0 {
            ("Ministers meet in Moscow", "Foreign ministers met in Moscow on Tuesday.")
        } else {
            ("BRICS ministers agree on statement", "Foreign ministers of BRICS agreed on a statement in Moscow.")
        };
        Response::ok("application/rss+xml", rss(&[item("guid-1", title, link.clone(), text)], "en"))
    });
    let dir = tempfile::tempdir().unwrap();
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap();
    core.add_topic(NewTopic { name: "BRICS".into(), query: "BRICS".into(), description: None, stem: false })
        .await
        .unwrap();
    core.add_topic(NewTopic { name: "Moscow".into(), query: "Moscow".into(), description: None, stem: false })
        .await
        .unwrap();
    add(&core, server.url("/feed.xml"), FullTextMode::Never).await;

    let first = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(first.new_articles, 1);
    let rows = core.mentions(MentionQuery::default()).await.unwrap();
    assert_eq!(rows.len(), 1);
    let id = rows[0].article_id;
    let flagged_at = rows[0].flagged_at;
    assert_eq!(rows[0].url.as_deref(), Some(server.url("/world/1").as_str()), "tracking parameters dropped");

    // Unchanged: nothing happens.
    let again = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(again.new_articles, 0);
    assert_eq!(core.article(id).await.unwrap().updated_at, None);

    // Changed under the same GUID: the stored article is updated and matched again.
    version.store(1, std::sync::atomic::Ordering::SeqCst);
    let changed = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(changed.new_articles, 0, "an update is not a new article");
    let rows = core.mentions(MentionQuery::default()).await.unwrap();
    assert_eq!(rows.len(), 1, "still one article");
    assert_eq!(rows[0].article_id, id);
    assert_eq!(rows[0].title, "BRICS ministers agree on statement");
    let mut topics: Vec<&str> = rows[0].topics.iter().map(|t| t.topic.as_str()).collect();
    topics.sort_unstable();
    assert_eq!(topics, ["BRICS", "Moscow"], "the new title and text are matched");
    assert_eq!(rows[0].flagged_at, flagged_at, "a topic that flagged it before keeps its first flagging time");
    let a = core.article(id).await.unwrap();
    assert!(a.updated_at.is_some());
    assert_eq!(a.text, "Foreign ministers of BRICS agreed on a statement in Moscow.");
}

#[tokio::test(flavor = "multi_thread")]
async fn syndicated_copies_form_one_story_and_other_texts_do_not() {
    let server = TestServer::start();
    let agency =
        format!("MOSCOW, March 12 (Northwind Wire) — {STORY}\n\n(Reporting by Anna Petrova; editing by John Doe)");
    let copy = format!(
        "{}\n\nFollow the Steppe Herald on social media. Subscribe to our newsletter.",
        STORY.replacen("Tuesday", "Tuesday, 11 March,", 1)
    );
    let feeds = [
        (
            "/agency.xml",
            item(
                "a1",
                "BRICS agrees to draft UNSC reform statement",
                server.url("/agency/1"),
                &paragraphs_html(&agency),
            ),
        ),
        (
            "/herald.xml",
            item("h1", "BRICS to seek Security Council reform", server.url("/herald/1"), &paragraphs_html(&copy)),
        ),
        ("/translation.xml", item("t1", "БРИКС подготовит заявление", server.url("/ru/1"), &paragraphs_html(STORY_RU))),
        (
            "/other.xml",
            item(
                "o1",
                "Lavrov accuses West of trying to split BRICS",
                server.url("/other/1"),
                &paragraphs_html(OTHER_STORY),
            ),
        ),
    ];
    for (path, it) in &feeds {
        let body = rss(std::slice::from_ref(it), "en");
        server.route(path, move |_| Response::ok("application/rss+xml", body.clone()));
    }
    let dir = tempfile::tempdir().unwrap();
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap();
    core.add_topic(NewTopic {
        name: "BRICS".into(), query: "BRICS OR БРИКС".into(), description: None, stem: false
    })
    .await
    .unwrap();
    // The agency first, the others in a later cycle.
    let agency_id = add(&core, server.url("/agency.xml"), FullTextMode::Never).await;
    core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    for (path, _) in &feeds[1..] {
        add(&core, server.url(path), FullTextMode::Never).await;
    }
    let summary = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(summary.new_articles, 3, "a copy is still stored: it is another outlet's article");

    let rows = core.mentions(MentionQuery::default()).await.unwrap();
    let outlets = |title: &str| rows.iter().find(|r| r.title == title).unwrap().other_outlets;
    assert_eq!(outlets("BRICS agrees to draft UNSC reform statement"), 1);
    assert_eq!(outlets("BRICS to seek Security Council reform"), 1);
    assert_eq!(outlets("БРИКС подготовит заявление"), 0, "a translation is another text");
    assert_eq!(outlets("Lavrov accuses West of trying to split BRICS"), 0, "another story on the same topic");

    let copy = article_by_title(&core, "BRICS to seek Security Council reform").await;
    assert_eq!(copy.copies.len(), 1);
    assert_eq!(copy.copies[0].source_id, agency_id, "grouped with its first publisher");
    let original = article_by_title(&core, "BRICS agrees to draft UNSC reform statement").await;
    assert_eq!(original.copies.len(), 1);
    assert_eq!(original.copies[0].title, "BRICS to seek Security Council reform");
    assert!(article_by_title(&core, "БРИКС подготовит заявление").await.copies.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_canonical_url_recognises_the_same_article_under_another_address() {
    let server = TestServer::start();
    let canonical = server.url("/world/brics-statement");
    let amp = page("en", "Ministers agree", Some(&format!("{canonical}?utm_campaign=amp#top")), STORY);
    server.route("/amp/world/brics-statement", move |_| Response::ok("text/html; charset=utf-8", amp.clone()));
    let first = rss(&[item("x1", "Ministers agree", server.url("/amp/world/brics-statement"), "BRICS teaser")], "en");
    server.route("/first.xml", move |_| Response::ok("application/rss+xml", first.clone()));
    let second = rss(&[item("y1", "Ministers agree (wire)", canonical.clone(), "BRICS teaser")], "en");
    server.route("/second.xml", move |_| Response::ok("application/rss+xml", second.clone()));
    let dir = tempfile::tempdir().unwrap();
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap();
    core.add_topic(NewTopic { name: "BRICS".into(), query: "BRICS".into(), description: None, stem: false })
        .await
        .unwrap();
    add(&core, server.url("/first.xml"), FullTextMode::Auto).await;
    core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    let a = article_by_title(&core, "Ministers agree").await;
    assert_eq!(a.canonical_url.as_deref(), Some(canonical.as_str()), "same site, no tracking, no fragment");

    add(&core, server.url("/second.xml"), FullTextMode::Never).await;
    let summary = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(summary.new_articles, 0, "the second feed's link is the stored article's canonical URL");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_news_sitemap_source_in_never_mode_reads_titles_from_the_page_head_only() {
    let server = TestServer::start();
    let base = server.url("");
    let base = base.trim_end_matches('/').to_string();
    let now = chrono::Utc::now();
    let sitemap = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
          <url><loc>{base}/titled.html</loc><news:news><news:publication><news:name>Herald</news:name><news:language>en</news:language></news:publication>
            <news:publication_date>{}</news:publication_date><news:title>BRICS titled entry</news:title></news:news></url>
        </urlset>"#,
        now.to_rfc3339()
    );
    server.route("/news-sitemap.xml", move |_| Response::ok("application/xml", sitemap.clone()));
    let dir = tempfile::tempdir().unwrap();
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap();
    add(&core, server.url("/news-sitemap.xml"), FullTextMode::Never).await;
    let summary = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(summary.new_articles, 1);
    assert_eq!(server.requests("/titled.html").len(), 0, "never, and a news:title: no page fetch");
}

#[tokio::test(flavor = "multi_thread")]
async fn copies_fetched_in_the_same_cycle_by_several_sources_still_meet() {
    let server = TestServer::start();
    let n = 6;
    for i in 0..n {
        let body = format!("OUTLET {i} REPORTS. {STORY}\n\nCopyright outlet number {i}. All rights reserved.");
        let feed = rss(
            &[item(&format!("g{i}"), &format!("Copy {i}"), server.url(&format!("/c/{i}")), &paragraphs_html(&body))],
            "en",
        );
        server.route(&format!("/f{i}.xml"), move |_| Response::ok("application/rss+xml", feed.clone()));
    }
    let dir = tempfile::tempdir().unwrap();
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap();
    core.add_topic(NewTopic { name: "BRICS".into(), query: "BRICS".into(), description: None, stem: false })
        .await
        .unwrap();
    for i in 0..n {
        add(&core, server.url(&format!("/f{i}.xml")), FullTextMode::Never).await;
    }
    let summary = core.fetch(all(), |_| {}, CancellationToken::new()).await.unwrap();
    assert_eq!(summary.new_articles, n as u32);
    let rows = core.mentions(MentionQuery::default()).await.unwrap();
    for r in &rows {
        assert_eq!(r.other_outlets, n as u32 - 1, "{}: one story, {n} outlets", r.title);
    }
}
