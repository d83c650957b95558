//! The ingest pipeline benchmark: feeds whose items are teasers, on hosts of their own, each linking to an
//! article page on its host (the real pages of the readability and Chinese extraction corpora); one fetch
//! cycle of the core (`Mediawatch::fetch`: fetch the feeds, parse, fetch and extract the article pages, read
//! the language, fingerprint, match the default topic pack, store) timed end to end in process, on a
//! two-worker tokio runtime. Then the same data stage by stage, each alone, for the breakdown. The peer, in
//! the same run: a Python pipeline as analysts write it (feedparser + trafilatura + sqlite3,
//! `peers/python_ingest.py`), over the same server.
//!
//! Politeness is relaxed for the measurement (no delay between requests to a host, 4 at a time): with the
//! default 250 ms between requests to a host, the cycle measures the courtesy delay, not the machine. One
//! run with the default politeness is reported for information.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Utc;
use mediawatch_conformance::pages::{chinese_pages, readability_pages, Page};
use mediawatch_core::articles::{cluster, extract};
use mediawatch_core::ingest::fetch::{FetchOptions, FetchOutcome, Fetcher, Validators};
use mediawatch_core::ingest::parse;
use mediawatch_core::model::{FullTextMode, NewSource, TextOrigin};
use mediawatch_core::store::{FetchOk, NewArticle, NewMention, Store};
use mediawatch_core::topics::defaults::DEFAULT_TOPICS;
use mediawatch_core::topics::{self, Matcher, PreparedArticle};
use mediawatch_core::{CancellationToken, FetchRequest, Mediawatch};

use crate::server::{Document, FeedServer, Site};
use crate::stats::{machine, secs, Samples};

type Res<T> = Result<T, String>;

pub struct IngestOptions {
    pub corpora: PathBuf,
    pub feeds: usize,
    pub runs: usize,
    /// The Python interpreter with feedparser and trafilatura (`None`: no peer).
    pub python: Option<String>,
}

/// The loopback hosts of this benchmark start after the refresh benchmark's.
const FIRST_HOST: usize = 1000;

fn rss(base: &str, pages: &[(usize, &Page)]) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Ingest feed</title>\n",
    );
    xml.push_str(&format!("<link>{base}/</link>\n"));
    for (i, page) in pages {
        let link = format!("{base}/a/{i}.html");
        xml.push_str(&format!(
            "<item><title>Article {i}: {}</title><link>{link}</link><guid isPermaLink=\"true\">{link}</guid>\
             <pubDate>{}</pubDate><description>A short teaser of the article. Read more</description></item>\n",
            page.name,
            (Utc::now() - chrono::Duration::minutes(*i as i64)).to_rfc2822()
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml.into_bytes()
}

fn doc(body: Vec<u8>) -> Document {
    Document { body, etag: "\"ingest\"".into(), last_modified: "Mon, 03 Mar 2025 08:00:00 GMT".into() }
}

struct Fixture {
    server: FeedServer,
    pages: Vec<Page>,
    /// Page URLs in page order.
    page_urls: Vec<String>,
}

fn fixture(corpora: &Path, feeds: usize) -> Res<Fixture> {
    let mut pages = readability_pages(&corpora.join("readability-test-pages"))?;
    pages.extend(chinese_pages(&corpora.join("chinese-web-content-extraction"))?);
    let n = pages.len();
    let mut page_urls = vec![String::new(); n];
    let server = FeedServer::start_sites_with(feeds, FIRST_HOST, |f, base| {
        let mine: Vec<(usize, &Page)> = pages.iter().enumerate().filter(|(i, _)| i % feeds == f).collect();
        let mut site = Site::new();
        site.insert("/feed.xml".into(), ("application/rss+xml; charset=utf-8", doc(rss(base, &mine))));
        for (i, page) in &mine {
            page_urls[*i] = format!("{base}/a/{i}.html");
            // No charset in the header: the pages are decoded from their bytes, as the corpora are read.
            site.insert(format!("/a/{i}.html"), ("text/html", doc(page.source.clone())));
        }
        site
    })
    .map_err(|e| format!("cannot start the local server: {e}"))?;
    Ok(Fixture { server, pages, page_urls })
}

fn relaxed() -> FetchOptions {
    FetchOptions { min_host_delay: Duration::ZERO, max_per_host: 4, ..FetchOptions::default() }
}

/// One whole cycle: sources (full text `auto`) and the default pack added untimed, then `fetch` timed.
async fn pipeline(fx: &Fixture, options: FetchOptions) -> Res<(Duration, u32, u32)> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let core = Mediawatch::open_with(dir.path().join("mw.db"), options).map_err(|e| e.to_string())?;
    core.install_default_topics().await.map_err(|e| e.to_string())?;
    for url in &fx.server.urls {
        let new =
            NewSource { url: url.clone(), name: None, interval_minutes: None, full_text: Some(FullTextMode::Auto) };
        core.add_source(new).await.map_err(|e| e.to_string())?;
    }
    let start = Instant::now();
    let summary = core
        .fetch(FetchRequest { source: None, all: true }, |_| {}, CancellationToken::new())
        .await
        .map_err(|e| e.to_string())?;
    let took = start.elapsed();
    if !summary.errors.is_empty() {
        return Err(format!("the cycle reported errors: {:?}", summary.errors));
    }
    let store = Store::open(dir.path().join("mw.db")).map_err(|e| e.to_string())?;
    let mut from_page = 0;
    let mut flagged = 0;
    let rows = core
        .mentions(mediawatch_core::model::MentionQuery { limit: Some(1000), ..Default::default() })
        .await
        .map_err(|e| e.to_string())?;
    flagged += rows.len() as u32;
    for id in 1..=i64::from(summary.new_articles) {
        if let Ok(a) = store.article(id) {
            if a.text_origin == TextOrigin::Page {
                from_page += 1;
            }
        }
    }
    if summary.new_articles as usize != fx.pages.len() {
        return Err(format!("{} articles stored, {} expected", summary.new_articles, fx.pages.len()));
    }
    Ok((took, from_page, flagged))
}

/// The stages one at a time over the same documents.
#[derive(Default)]
struct Stages {
    network: Samples,
    parse: Samples,
    extract: Samples,
    fingerprint: Samples,
    matching: Samples,
    store: Samples,
}

async fn stages(fx: &Fixture, out: &mut Stages) -> Res<()> {
    // Network: every feed, then every page, through the core's fetcher with the same limits.
    let fetcher = std::sync::Arc::new(Fetcher::new(relaxed()).map_err(|e| e.to_string())?);
    let start = Instant::now();
    let get_all = |urls: Vec<String>| {
        let fetcher = fetcher.clone();
        async move {
            let mut set = tokio::task::JoinSet::new();
            for url in urls {
                let f = fetcher.clone();
                set.spawn(async move {
                    match f.get(&url, &Validators::default()).await {
                        Ok(FetchOutcome::Fetched(d)) => Ok((url, d.body)),
                        Ok(FetchOutcome::NotModified) => Err(format!("{url}: 304")),
                        Err(e) => Err(format!("{url}: {}", e.error)),
                    }
                });
            }
            let mut bodies = HashMap::new();
            while let Some(r) = set.join_next().await {
                let (url, body) = r.map_err(|e| e.to_string())??;
                bodies.insert(url, body);
            }
            Ok::<_, String>(bodies)
        }
    };
    let feeds = get_all(fx.server.urls.clone()).await?;
    let pages = get_all(fx.page_urls.clone()).await?;
    out.network.push(start.elapsed());

    let start = Instant::now();
    let mut parsed = Vec::new();
    for url in &fx.server.urls {
        parsed.push(parse::parse_feed(&feeds[url], Some("application/rss+xml"), Some(url)).map_err(|e| e.to_string())?);
    }
    out.parse.push(start.elapsed());

    let start = Instant::now();
    let mut extracted = Vec::with_capacity(fx.page_urls.len());
    for url in &fx.page_urls {
        extracted.push(extract::extract(&pages[url], Some(url), Some("text/html")).map_err(|e| format!("{url}: {e}"))?);
    }
    out.extract.push(start.elapsed());

    let start = Instant::now();
    let fingerprints: Vec<Option<cluster::Fingerprint>> =
        extracted.iter().map(|e| cluster::fingerprint(&e.text)).collect();
    out.fingerprint.push(start.elapsed());

    let matcher = Matcher::new(DEFAULT_TOPICS.iter().enumerate().map(|(i, t)| (i as i64 + 1, t.query)))
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut mentions = Vec::with_capacity(extracted.len());
    for (e, parsed_title) in extracted.iter().zip(fx.pages.iter().map(|p| p.name.as_str())) {
        let title = e.title.as_deref().unwrap_or(parsed_title);
        let prepared = PreparedArticle::new(topics::Document::new(title, &e.text));
        let found: Vec<NewMention> = matcher
            .match_article(&prepared)
            .into_iter()
            .map(|m| NewMention {
                topic_id: m.topic_id,
                snippet: topics::snippet(&e.text, &m.spans),
                snippets: topics::snippets(title, &e.text, &m.spans),
                spans: m.spans,
            })
            .collect();
        mentions.push(found);
    }
    out.matching.push(start.elapsed());

    // Store: a fresh database with the sources and topics in place (untimed), then one save per feed.
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let store = Store::open(dir.path().join("mw.db")).map_err(|e| e.to_string())?;
    let now = Utc::now();
    let mut source_ids = Vec::new();
    for url in &fx.server.urls {
        source_ids.push(store.insert_source(url, url, true, 30, now).map_err(|e| e.to_string())?.id);
    }
    for t in DEFAULT_TOPICS {
        let topic = mediawatch_core::model::NewTopic {
            name: t.name.into(),
            query: t.query.into(),
            description: None,
            stem: false,
        };
        store.save_topic(None, &topic, &[], 0, &|_| Vec::new(), now).map_err(|e| e.to_string())?;
    }
    let feeds_n = fx.server.urls.len();
    let mut batches: Vec<Vec<NewArticle>> = vec![Vec::new(); feeds_n];
    for (i, ((e, fp), m)) in extracted.into_iter().zip(fingerprints).zip(mentions).enumerate() {
        batches[i % feeds_n].push(NewArticle {
            guid: Some(fx.page_urls[i].clone()),
            url: Some(fx.page_urls[i].clone()),
            title: e.title.clone().unwrap_or_default(),
            author: e.byline.clone(),
            text: e.text,
            content_html: Some(e.html),
            lang: e.lang,
            published_at: e.published,
            site_name: e.site_name,
            text_origin: TextOrigin::Page,
            fingerprint: fp,
            mentions: m,
            ..NewArticle::default()
        });
    }
    let start = Instant::now();
    for (batch, id) in batches.iter().zip(&source_ids) {
        store.save_fetch(*id, &FetchOk::default(), batch, now, now).map_err(|e| e.to_string())?;
    }
    out.store.push(start.elapsed());
    Ok(())
}

/// The Python peer: seconds for the same cycle, and articles stored.
fn python_peer(python: &str, fx: &Fixture) -> Res<(Duration, u64)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/python_ingest.py");
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let list = dir.path().join("feeds.json");
    std::fs::write(&list, serde_json::to_string(&fx.server.urls).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let out = Command::new(python)
        .arg(&script)
        .arg(&list)
        .arg(dir.path().join("peer.db"))
        .output()
        .map_err(|e| format!("cannot run {python}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the Python peer failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("peer output: {e}"))?;
    Ok((Duration::from_secs_f64(v["seconds"].as_f64().unwrap_or(0.0)), v["articles"].as_u64().unwrap_or(0)))
}

pub fn run(opts: &IngestOptions) -> Res<String> {
    let fx = fixture(&opts.corpora, opts.feeds)?;
    let n = fx.pages.len();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut cycle = Samples::default();
    let mut peer = Samples::default();
    let mut stages_s = Stages::default();
    let (mut from_page, mut flagged, mut peer_articles) = (0, 0, 0);
    for run in 1..=opts.runs {
        eprintln!("ingest run {run}/{}", opts.runs);
        let (t, p, f) = rt.block_on(pipeline(&fx, relaxed()))?;
        cycle.push(t);
        (from_page, flagged) = (p, f);
        rt.block_on(stages(&fx, &mut stages_s))?;
        if let Some(py) = &opts.python {
            let (t, a) = python_peer(py, &fx)?;
            peer.push(t);
            peer_articles = a;
        }
    }
    let (polite, _, _) = rt.block_on(pipeline(&fx, FetchOptions::default()))?;

    let per_s = |d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
    let mut out = String::new();
    out.push_str(&format!("machine: {}\n", machine(None)));
    out.push_str(&format!(
        "articles: {n} ({} readability pages + Chinese pages) on {} hosts, teasers in the feeds, full text `auto`; {} runs, medians\n\n",
        fx.pages.iter().filter(|p| p.url.is_some()).count(),
        opts.feeds,
        opts.runs
    ));
    out.push_str("| pipeline | median | articles/s |\n|---|---|---|\n");
    out.push_str(&format!(
        "| Mediawatch fetch cycle (2 tokio workers; politeness relaxed) | {} | {:.1} |\n",
        secs(cycle.median()),
        per_s(cycle.median())
    ));
    if opts.python.is_some() {
        out.push_str(&format!(
            "| Python feedparser + trafilatura + sqlite3 (4 threads) | {} | {:.1} |\n",
            secs(peer.median()),
            per_s(peer.median())
        ));
        out.push_str(&format!(
            "\nMediawatch / Python throughput: {:.1}x (Python stored {peer_articles} articles)\n",
            peer.median().as_secs_f64() / cycle.median().as_secs_f64().max(1e-9)
        ));
    }
    out.push_str(&format!(
        "Mediawatch stored {n} articles, {from_page} with the page's full text, {flagged} flagged by the default pack; \
         with the default politeness (250 ms between requests to a host, 2 at a time): {} ({:.1} articles/s)\n\n",
        secs(polite),
        per_s(polite)
    ));
    let rows = [
        ("network (feeds, then pages; the core's fetcher)", &stages_s.network),
        ("parse feeds", &stages_s.parse),
        ("extract articles (decode, readability, language)", &stages_s.extract),
        ("fingerprint (MinHash)", &stages_s.fingerprint),
        ("match the default topic pack", &stages_s.matching),
        ("store (one transaction per feed, FTS, clusters)", &stages_s.store),
    ];
    let total: f64 = rows.iter().map(|(_, s)| s.median().as_secs_f64()).sum();
    out.push_str(
        "| stage, alone, one thread (network: concurrent) | median | µs / article | share |\n|---|---|---|---|\n",
    );
    for (name, s) in rows {
        let m = s.median().as_secs_f64();
        out.push_str(&format!(
            "| {name} | {} | {:.0} | {:.0} % |\n",
            secs(s.median()),
            m * 1e6 / n as f64,
            100.0 * m / total.max(1e-9)
        ));
    }
    out.push_str(&format!(
        "\nsum of the stages: {:.3} s; the cycle: {} (stages overlap across sources and the 2 cores)\n",
        total,
        secs(cycle.median())
    ));
    Ok(out)
}
