//! Behaviour tests of the feed parser on small feeds written for these tests.

use serde_json::{json, Value};

use super::namespaces::split_author;
use super::{parse, FeedContext, FeedResult};

fn run(doc: &str) -> FeedResult {
    parse(doc.as_bytes(), &FeedContext::default())
}

fn entry(r: &FeedResult, key: &str) -> Value {
    r.entries.first().and_then(|e| e.get(key)).cloned().unwrap_or(Value::Null)
}

#[test]
fn rss_item_fields_and_version() {
    let r = run(r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Agency wire</title><link>http://wire.example/</link>
<item><title>Summit opens</title><link>http://wire.example/a?x=1&amp;y=2</link>
<guid isPermaLink="false">wire-1</guid><description>Leaders &lt;b&gt;meet&lt;/b&gt;</description>
<category domain="http://wire.example/cats">Politics</category>
<enclosure url="http://wire.example/a.mp3" length="10" type="audio/mpeg"/></item></channel></rss>"#);
    assert!(!r.bozo, "{:?}", r.bozo_exception);
    assert_eq!(r.version, "rss20");
    assert_eq!(r.encoding, "utf-8");
    assert_eq!(r.feed["title"], "Agency wire");
    assert_eq!(entry(&r, "link"), "http://wire.example/a?x=1&y=2");
    assert_eq!(entry(&r, "id"), "wire-1");
    assert_eq!(entry(&r, "guidislink"), false);
    assert_eq!(entry(&r, "summary"), "Leaders <b>meet</b>");
    assert_eq!(entry(&r, "summary_detail")["type"], "text/html");
    assert_eq!(entry(&r, "tags")[0], json!({"term": "Politics", "scheme": "http://wire.example/cats", "label": null}));
    assert_eq!(entry(&r, "links")[1]["rel"], "enclosure");
    assert_eq!(entry(&r, "links")[1]["href"], "http://wire.example/a.mp3");
}

#[test]
fn xml_base_resolves_links_and_urls_inside_html() {
    let r = run(r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://news.example/world/">
<entry xml:base="2024/"><title>t</title><link href="story.html"/>
<content type="html">&lt;a href="../photo.jpg"&gt;photo&lt;/a&gt; &lt;img src="/i.png"&gt;</content>
<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a href="more">more</a></div></summary>
</entry></feed>"#);
    assert!(!r.bozo, "{:?}", r.bozo_exception);
    assert_eq!(r.version, "atom10");
    assert_eq!(entry(&r, "link"), "http://news.example/world/2024/story.html");
    assert_eq!(
        entry(&r, "content")[0]["value"],
        "<a href=\"http://news.example/world/photo.jpg\">photo</a> <img src=\"http://news.example/i.png\" />"
    );
    assert_eq!(entry(&r, "content")[0]["base"], "http://news.example/world/2024/");
    // Inline XHTML: the wrapping div is dropped, the link resolved.
    assert_eq!(entry(&r, "summary"), "<a href=\"http://news.example/world/2024/more\">more</a>");
}

#[test]
fn content_location_and_language_come_from_the_context() {
    let doc = r#"<rss version="2.0"><channel><link>/home</link><item><title>x</title></item></channel></rss>"#;
    let ctx = FeedContext {
        url: Some("http://feeds.example/rss"),
        content_type: Some("application/rss+xml"),
        content_location: Some("http://mirror.example/feeds/rss"),
        content_language: Some("de"),
    };
    let r = parse(doc.as_bytes(), &ctx);
    assert!(!r.bozo, "{:?}", r.bozo_exception);
    assert_eq!(r.feed["link"], "http://mirror.example/home");
    assert_eq!(r.feed["language"], "de");
    assert_eq!(entry(&r, "title_detail")["language"], "de");
    // An unsafe Content-Location is ignored.
    let ctx = FeedContext { content_location: Some("javascript:alert(1)"), ..ctx };
    assert_eq!(parse(doc.as_bytes(), &ctx).feed["link"], "http://feeds.example/home");
}

#[test]
fn content_types_plain_html_xhtml_and_base64() {
    let r = run(r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">A &amp; B</title>
<subtitle type="html">&lt;i&gt;x&lt;/i&gt;</subtitle>
<rights type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">&#169; <b>W</b></div></rights>
<entry><title type="text/plain" mode="base64">SGVsbG8gd29ybGQ=</title></entry></feed>"#);
    assert!(!r.bozo, "{:?}", r.bozo_exception);
    assert_eq!(r.feed["title"], "A & B");
    assert_eq!(r.feed["title_detail"]["type"], "text/plain");
    assert_eq!(r.feed["subtitle"], "<i>x</i>");
    assert_eq!(r.feed["subtitle_detail"]["type"], "text/html");
    assert_eq!(r.feed["rights"], "© <b>W</b>");
    assert_eq!(r.feed["rights_detail"]["type"], "application/xhtml+xml");
    assert_eq!(entry(&r, "title"), "Hello world");
}

#[test]
fn undefined_entities_make_the_feed_bozo_but_are_decoded() {
    let r = run("<rss><channel><title>caf&eacute; &amp; cr&egrave;me &nosuch;</title></channel></rss>");
    assert!(r.bozo);
    assert!(r.bozo_exception.as_deref().is_some_and(|e| e.contains("undefined entity")), "{:?}", r.bozo_exception);
    assert_eq!(r.feed["title"], "café & crème &nosuch;");
}

#[test]
fn internal_dtd_entities_expand_and_external_ones_never_load() {
    let r = run("<!DOCTYPE rss [\n<!ENTITY wire \"Wire Service\">\n<!ENTITY eacute \"&#233;\">\n]>\n\
        <rss><channel><title>&wire; caf&eacute;</title></channel></rss>");
    assert!(!r.bozo, "{:?}", r.bozo_exception);
    assert_eq!(r.feed["title"], "Wire Service café");
    let r = run("<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n\
        <rss><channel><title>x&xxe;</title></channel></rss>");
    assert!(r.bozo);
    assert_eq!(r.feed["title"], "x&xxe;");
}

#[test]
fn billion_laughs_stays_cheap() {
    let mut dtd = String::from("<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
        dtd.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", format!("&{prev};").repeat(10)));
    }
    dtd.push_str("]>\n<rss><channel><title>&lol9;</title></channel></rss>");
    let started = std::time::Instant::now();
    let r = run(&dtd);
    assert!(started.elapsed().as_secs() < 2);
    assert!(r.feed["title"].as_str().is_some_and(|t| t.len() < 100), "{:?}", r.feed["title"]);
}

#[test]
fn ill_formed_feeds_are_bozo_and_still_read() {
    let r = run("<rss version=\"2.0\"><channel><title>Broken</title><item><title>One</title>\
        <description>a <b>bold</i> claim</description></item><item><title>Two</title></channel>");
    assert!(r.bozo);
    assert_eq!(r.feed["title"], "Broken");
    assert_eq!(r.entries.len(), 2);
    assert_eq!(r.entries[1]["title"], "Two");
    let hopeless = parse(b"\x00\x01 not a feed", &FeedContext::default());
    assert!(hopeless.entries.is_empty());
    assert!(parse(b"", &FeedContext::default()).entries.is_empty());
}

#[test]
fn authors_split_into_name_and_email() {
    let r = run("<rss><channel><managingEditor>desk@wire.org (News Desk)</managingEditor>\
        <item><author>Jane Roe &lt;jane@wire.org&gt;</author></item></channel></rss>");
    assert_eq!(r.feed["author_detail"], json!({"name": "News Desk", "email": "desk@wire.org"}));
    assert_eq!(entry(&r, "author_detail")["name"], "Jane Roe");
    assert_eq!(entry(&r, "author_detail")["email"], "jane@wire.org");
    let r = run(r#"<feed xmlns="http://www.w3.org/2005/Atom"><author><name>Ann</name><email>ann@x.org</email>
        </author></feed>"#);
    assert_eq!(r.feed["author"], "Ann (ann@x.org)");
    assert_eq!(r.feed["authors"][0]["email"], "ann@x.org");
    // feedparser's e-mail pattern stops top-level domains at four letters; kept for fidelity.
    assert_eq!(split_author("a@b.example").1.as_deref(), Some("a@b.exam"));
}

#[test]
fn dates_are_parsed_to_utc_struct_time() {
    let r = run("<rss><channel><item><pubDate>Tue, 02 Jan 2024 10:30:00 +0200</pubDate>\
        <dc:date xmlns:dc=\"http://purl.org/dc/elements/1.1/\">not a date</dc:date></item></channel></rss>");
    assert_eq!(entry(&r, "published"), "Tue, 02 Jan 2024 10:30:00 +0200");
    assert_eq!(entry(&r, "published_parsed"), json!([2024, 1, 2, 8, 30, 0, 1, 2, 0]));
    assert_eq!(entry(&r, "updated"), "not a date");
    assert_eq!(entry(&r, "updated_parsed"), Value::Null);
    assert!(r.warnings.iter().any(|w| w.contains("not a date")), "{:?}", r.warnings);
}

#[test]
fn encodings_follow_rfc3023() {
    let doc = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><title>x</title></channel></rss>";
    let ctx = |ct| FeedContext { content_type: Some(ct), ..FeedContext::default() };
    assert_eq!(parse(doc.as_bytes(), &FeedContext::default()).encoding, "iso-8859-1");
    assert_eq!(parse(doc.as_bytes(), &ctx("text/xml")).encoding, "us-ascii");
    let r = parse(doc.as_bytes(), &ctx("text/plain"));
    assert!(r.bozo);
    let latin1 = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><title>caf\xe9</title></channel></rss>";
    assert_eq!(parse(latin1, &FeedContext::default()).feed["title"], "café");
}

#[test]
fn json_feed_is_recognised() {
    let r = run(r#"{"version": "https://jsonfeed.org/version/1", "title": "J", "items": [{"id": "1", "title": "a"}]}"#);
    assert_eq!(r.version, "json1");
    assert_eq!(r.feed["title"], "J");
    assert_eq!(r.entries[0]["title"], "a");
}

#[test]
fn truncated_inputs_never_panic() {
    let mut docs = vec![
        r#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "&#233;">]><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:georss="http://www.georss.org/georss"><channel><title>&e; <![CDATA[<b>x</b>]]></title><item><media:thumbnail url="a.jpg"/><georss:point>45 -71</georss:point><description>&lt;a href="x"&gt;y&lt;/a&gt;</description></item></channel></rss>"#.to_string(),
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><svg xmlns="http://www.w3.org/2000/svg"><title>t</title></svg></div></content><source><title>s</title></source></entry></feed>"#.to_string(),
    ];
    // feedparser's own corpus, when present next to the project (never copied into it).
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/feedparser/tests");
    for dir in ["wellformed/rss", "wellformed/atom10", "illformed", "encoding", "wellformed/base"] {
        if let Ok(read) = std::fs::read_dir(corpus.join(dir)) {
            for f in read.flatten().take(60) {
                if let Ok(text) = std::fs::read_to_string(f.path()) {
                    docs.push(text);
                }
            }
        }
    }
    for doc in &docs {
        let bytes = doc.as_bytes();
        let step = (bytes.len() / 23).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let _ = parse(&bytes[..cut], &FeedContext::default());
            let _ = parse(&bytes[cut..], &FeedContext { url: Some("http://x.example/f"), ..FeedContext::default() });
        }
    }
}
