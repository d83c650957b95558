//! Feed parsing: bytes in, [`ParsedFeed`] out. Pure: no network, no database.
//!
//! RSS 0.9x/1.0/2.0, Atom and JSON Feed through `feed-rs`, after `decode` has turned the bytes into UTF-8
//! with the right charset. Dates go through `dates::parse_date` (RFC 822 and its breakage, ISO 8601,
//! localised forms); a date that cannot be read is `None` plus a warning, never "now".

use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::model::{ParsedFeed, ParsedItem};
use crate::{dates, decode};

/// Parses a feed document. `base_url` (the document URL) resolves relative links.
pub fn parse_feed(bytes: &[u8], content_type: Option<&str>, base_url: Option<&str>) -> Result<ParsedFeed> {
    let decoded = decode::decode(bytes, content_type);
    let mut warnings = decoded.warnings;
    let encoding = decoded.encoding;
    // The text is UTF-8 now; the XML declaration must say so, or the XML reader would decode it again.
    let text = decode::relabel_xml_as_utf8(&decoded.text);
    let unreadable_dates: Arc<Mutex<Vec<String>>> = Arc::default();
    let parser = {
        let unreadable = unreadable_dates.clone();
        feed_rs::parser::Builder::new()
            .base_uri(base_url)
            .timestamp_parser(move |raw| {
                let parsed = dates::parse_date(raw);
                if parsed.is_none() && !raw.trim().is_empty() {
                    if let Ok(mut list) = unreadable.lock() {
                        list.push(raw.trim().to_string());
                    }
                }
                parsed
            })
            .build()
    };
    let feed = parser.parse(text.as_bytes()).map_err(|e| Error::Parse(format!("not a readable feed: {e}")))?;
    if let Ok(mut list) = unreadable_dates.lock() {
        list.dedup();
        warnings.extend(list.drain(..).map(|raw| format!("unreadable date '{raw}': left unknown")));
    }
    let format = match feed.feed_type {
        feed_rs::model::FeedType::Atom => "atom1.0",
        feed_rs::model::FeedType::JSON => "json1.1",
        feed_rs::model::FeedType::RSS0 => "rss0.9x",
        feed_rs::model::FeedType::RSS1 => "rss1.0",
        feed_rs::model::FeedType::RSS2 => "rss2.0",
    };
    let link = pick_link(&feed.links);
    let is_rss = format.starts_with("rss");
    let items = feed
        .entries
        .into_iter()
        .map(|e| {
            let url = pick_link(&e.links);
            let content_html = e.content.as_ref().and_then(|c| c.body.clone()).filter(|b| !b.trim().is_empty());
            ParsedItem {
                id: Some(e.id).filter(|id| !id.is_empty()),
                title: e.title.map(|t| clean_inline(&t.content)).filter(|t| !t.is_empty()),
                url,
                published: e.published,
                // feed-rs copies an RSS item's pubDate into `updated` when the item has none; an RSS item
                // has no update time of its own, so that copy is not reported as one.
                updated: e.updated.filter(|u| !(is_rss && Some(*u) == e.published)),
                authors: e.authors.into_iter().map(|p| p.name).filter(|n| !n.trim().is_empty()).collect(),
                summary: e.summary.map(|t| t.content).filter(|s| !s.trim().is_empty()),
                content_html,
                categories: e.categories.into_iter().map(|c| c.label.unwrap_or(c.term)).collect(),
                language: None,
            }
        })
        .collect();
    Ok(ParsedFeed {
        format: format.to_string(),
        title: feed.title.map(|t| clean_inline(&t.content)).filter(|t| !t.is_empty()),
        link,
        language: feed.language,
        encoding,
        ttl_minutes: feed.ttl,
        warnings,
        items,
    })
}

fn pick_link(links: &[feed_rs::model::Link]) -> Option<String> {
    links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| links.first())
        .map(|l| l.href.clone())
}

/// Collapses whitespace and strips tags from a one-line value such as a title.
fn clean_inline(s: &str) -> String {
    html_to_text(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Converts an HTML fragment to plain text: block elements become paragraphs (separated by a blank line),
/// `<br>` a line break, scripts and styles are dropped, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    loop {
        if let Some(end) = skip_until.take() {
            // Inside <script> or <style>: everything up to the closing tag is dropped.
            let closing = format!("</{end}");
            match rest.to_ascii_lowercase().find(&closing) {
                Some(pos) => {
                    let after = &rest[pos..];
                    rest = after.find('>').map_or("", |gt| &after[gt + 1..]);
                    continue;
                }
                None => {
                    rest = "";
                    break;
                }
            }
        }
        let Some(lt) = rest.find('<') else { break };
        out.push_str(&crate::entities::decode(&rest[..lt]));
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            // A '<' that opens no tag is text.
            out.push_str(&crate::entities::decode(&rest[lt..]));
            rest = "";
            break;
        };
        let tag = after[..gt].trim();
        rest = &after[gt + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "script" if !tag.starts_with('/') => skip_until = Some("script"),
            "style" if !tag.starts_with('/') => skip_until = Some("style"),
            "br" => out.push('\n'),
            "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "tr"
            | "table" | "section" | "article" | "header" | "footer" | "figure" | "figcaption" | "pre" | "hr" => {
                out.push_str("\n\n")
            }
            _ => {}
        }
    }
    out.push_str(&crate::entities::decode(rest));
    // Normalise: trim each line, collapse runs of spaces, at most one blank line between paragraphs.
    let mut paragraphs = Vec::new();
    for block in out.split("\n\n") {
        let lines: Vec<String> = block
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            paragraphs.push(lines.join("\n"));
        }
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test &amp; Agency</title><link>https://news.example/</link><language>en</language>
<item><title>First</title><link>https://news.example/a/1</link><guid>urn:1</guid>
<pubDate>Tue, 10 Mar 2026 09:00:00 +0300</pubDate><description>&lt;p&gt;One &amp;amp; two&lt;/p&gt;&lt;p&gt;Three&lt;/p&gt;</description></item>
<item><title>Second</title><link>/a/2</link></item>
</channel></rss>"#;

    #[test]
    fn rss2_items_with_dates_and_relative_links() {
        let f = parse_feed(RSS.as_bytes(), Some("application/rss+xml"), Some("https://news.example/feed.xml")).unwrap();
        assert_eq!(f.format, "rss2.0");
        assert_eq!(f.title.as_deref(), Some("Test & Agency"));
        assert_eq!(f.language.as_deref(), Some("en"));
        assert_eq!(f.items.len(), 2);
        assert_eq!(f.items[0].id.as_deref(), Some("urn:1"));
        assert_eq!(f.items[0].published.unwrap().to_rfc3339(), "2026-03-10T06:00:00+00:00");
        assert_eq!(html_to_text(f.items[0].summary.as_deref().unwrap()), "One & two\n\nThree");
        assert_eq!(f.items[1].url.as_deref(), Some("https://news.example/a/2"));
        assert_eq!(f.items[1].published, None);
    }

    #[test]
    fn atom_is_recognised() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:f</id><updated>2026-01-01T00:00:00Z</updated>
<entry><id>urn:e</id><title>E</title><updated>2026-01-02T00:00:00Z</updated><link href="https://x.example/e"/></entry></feed>"#;
        let f = parse_feed(atom.as_bytes(), None, None).unwrap();
        assert_eq!(f.format, "atom1.0");
        assert_eq!(f.items[0].url.as_deref(), Some("https://x.example/e"));
    }

    #[test]
    fn legacy_encodings_are_decoded_before_parsing() {
        let rss =
            "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\"><channel><title>Новости</title>\
            <item><title>Безвизовый режим для туристов из Китая</title><guid>1</guid></item></channel></rss>";
        let bytes = encoding_rs::WINDOWS_1251.encode(rss).0;
        let f = parse_feed(&bytes, None, None).unwrap();
        assert_eq!(f.encoding, "windows-1251");
        assert_eq!(f.items[0].title.as_deref(), Some("Безвизовый режим для туристов из Китая"));
        // The same bytes labelled KOI8-R by the server: the HTTP charset has precedence.
        let koi = encoding_rs::KOI8_R.encode(&rss.replace("windows-1251", "koi8-r")).0.into_owned();
        let f = parse_feed(&koi, Some("application/rss+xml; charset=KOI8-R"), None).unwrap();
        assert_eq!(f.title.as_deref(), Some("Новости"));
    }

    #[test]
    fn entities_are_never_expanded_from_a_doctype() {
        let mut lol = String::from("<!ENTITY lol0 \"lol\">");
        for i in 1..10 {
            lol.push_str(&format!("<!ENTITY lol{i} \"{}\">", format!("&lol{};", i - 1).repeat(10)));
        }
        let xml = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE rss [{lol}<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>\
             <rss version=\"2.0\"><channel><title>T</title><item><title>a &lol9; b &ext; c</title><guid>1</guid></item></channel></rss>"
        );
        let started = std::time::Instant::now();
        let result = parse_feed(xml.as_bytes(), None, None);
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "no exponential expansion");
        if let Ok(feed) = result {
            let title = feed.items[0].title.clone().unwrap_or_default();
            assert!(title.len() < 200, "the entity was not expanded: {} bytes", title.len());
            assert!(!title.contains("root:"), "no external entity was read");
        }
    }

    #[test]
    fn broken_and_localised_dates_are_read_and_unreadable_ones_warned_about() {
        let rss = r#"<rss version="2.0"><channel><title>T</title>
<item><title>a</title><guid>a</guid><pubDate>2018-09-18 14:38:10</pubDate></item>
<item><title>b</title><guid>b</guid><pubDate>11 марта 2026, 08:15</pubDate></item>
<item><title>c</title><guid>c</guid><pubDate>yesterday-ish</pubDate></item>
</channel></rss>"#;
        let f = parse_feed(rss.as_bytes(), None, None).unwrap();
        assert_eq!(f.items[0].published.unwrap().to_rfc3339(), "2018-09-18T14:38:10+00:00");
        assert_eq!(f.items[1].published.unwrap().to_rfc3339(), "2026-03-11T05:15:00+00:00", "Moscow time");
        assert_eq!(f.items[2].published, None, "never 'now'");
        assert!(f.warnings.iter().any(|w| w.contains("yesterday-ish")), "{:?}", f.warnings);
    }

    #[test]
    fn json_feed_and_xml_base() {
        let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "JF", "home_page_url": "https://jf.example/",
            "items": [{"id": "1", "url": "https://jf.example/1", "title": "Hello", "content_text": "BRICS summit", "date_published": "2026-03-11T08:15:00+03:00"}]}"#;
        let f = parse_feed(json.as_bytes(), Some("application/feed+json"), None).unwrap();
        assert_eq!(f.format, "json1.1");
        assert_eq!(f.items[0].published.unwrap().to_rfc3339(), "2026-03-11T05:15:00+00:00");
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/news/"><title>A</title><id>f</id>
            <updated>2026-01-01T00:00:00Z</updated><entry><id>e</id><title>E</title><updated>2026-01-01T00:00:00Z</updated>
            <link href="2026/story.html"/></entry></feed>"#;
        let f = parse_feed(atom.as_bytes(), None, Some("https://other.example/feed.xml")).unwrap();
        assert_eq!(f.items[0].url.as_deref(), Some("https://base.example/news/2026/story.html"));
    }

    #[test]
    fn garbage_is_a_parse_error() {
        let e = parse_feed(b"<html><body>not a feed</body></html>", None, None).unwrap_err();
        assert_eq!(e.code(), crate::error::ErrorCode::Parse);
    }

    #[test]
    fn html_to_text_drops_scripts_and_decodes() {
        assert_eq!(html_to_text("<p>a<script>x<y</script> b&#233;</p><br>c &lt; d"), "a b\u{e9}\n\nc < d");
        assert_eq!(html_to_text("Tom &amp Jerry & co"), "Tom &amp Jerry & co");
    }
}
