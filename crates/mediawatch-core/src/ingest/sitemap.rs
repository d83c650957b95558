//! News sitemaps, for sites with no feed: the `Sitemap:` lines of a robots.txt ([`robots_sitemaps`]), a
//! (Google News) sitemap or sitemap index ([`parse_sitemap`]), and its recent articles, newest first
//! ([`recent_entries`]).
//!
//! Pure: no I/O. XML is read with quick-xml, which never expands DTDs or external entities.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use quick_xml::events::{BytesRef, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use url::Url;

use super::discover::{collapse_whitespace, is_http};
use crate::error::{Error, Result};

/// The namespace URI of Google's news sitemap extension.
pub const NEWS_NAMESPACE: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// The `Sitemap:` lines of a robots.txt: the key case-insensitive, `#` comments stripped, only absolute
/// http(s) URLs (serialised as the `url` crate normalises them), in order, deduplicated.
pub fn robots_sitemaps(robots_txt: &str) -> Vec<String> {
    let mut sitemaps: Vec<String> = Vec::new();
    for line in robots_txt.lines() {
        let line = line.trim_start_matches('\u{feff}');
        let line = line.find('#').map_or(line, |hash| &line[..hash]);
        let Some((key, value)) = line.split_once(':') else { continue };
        if !key.trim().eq_ignore_ascii_case("sitemap") {
            continue;
        }
        let Some(url) = Url::parse(value.trim()).ok().filter(is_http) else { continue };
        let url = String::from(url);
        if !sitemaps.contains(&url) {
            sitemaps.push(url);
        }
    }
    sitemaps
}

// ---------------------------------------------------------------------------------------------------------
// Sitemaps
// ---------------------------------------------------------------------------------------------------------

/// One article URL from a sitemap, with what the `news:` extension
/// (`xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"`) says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct SitemapEntry {
    /// `<loc>`: an absolute http(s) URL, as the `url` crate serialises it.
    pub url: String,
    /// `<lastmod>`, in UTC.
    pub lastmod: Option<DateTime<Utc>>,
    /// `<news:title>`, whitespace collapsed.
    pub news_title: Option<String>,
    /// `<news:publication_date>`, in UTC.
    pub news_published: Option<DateTime<Utc>>,
    /// `<news:publication><news:language>` (e.g. `en`, `ru`, `zh-cn`), as written.
    pub news_language: Option<String>,
    /// `<news:publication><news:name>`.
    pub news_publication: Option<String>,
}

impl SitemapEntry {
    /// The entry's date: `news_published`, else `lastmod`.
    pub fn date(&self) -> Option<DateTime<Utc>> {
        self.news_published.or(self.lastmod)
    }
}

/// What a sitemap document lists.
#[derive(Debug, Clone, PartialEq)]
pub enum Sitemap {
    /// A `<urlset>`: its article entries, in document order.
    Urls(Vec<SitemapEntry>),
    /// A `<sitemapindex>`: the URLs of its child sitemaps, in document order.
    Index(Vec<String>),
}

/// Parses a `<urlset>` (into entries) or a `<sitemapindex>` (into child sitemap URLs).
///
/// The bytes are decoded (BOM, XML declaration, detection) to UTF-8 first. Elements are matched by local
/// name, so any prefix (or the default namespace) works: `<loc>`/`<lastmod>` directly inside `<url>`,
/// `<loc>` directly inside `<sitemap>`. News fields are `title`, `publication_date`, `language` and `name`
/// elements that are in the news namespace or inside an element whose local name is `news` (tolerating a
/// wrong or undeclared namespace). Dates are W3C datetimes (`2026-03-11T08:15:00+03:00`,
/// `2026-03-11T08:15Z`, `2026-03-11`, also `YYYY-MM` and `YYYY`) converted to UTC; a time without a zone is
/// taken as UTC; anything unparseable gives `None` (never "now"). Entries whose `<loc>` is not an absolute
/// http(s) URL are dropped; entries and index URLs are deduplicated by URL (first wins).
///
/// DTDs and entities are never expanded: an unknown entity reference is kept as written (`&lol9;`).
/// When the XML breaks after the root element (e.g. a truncated download), the complete entries read so far
/// are returned.
///
/// # Errors
/// [`Error::Parse`] when the document is not XML or its root is neither `<urlset>` nor `<sitemapindex>`.
pub fn parse_sitemap(bytes: &[u8]) -> Result<Sitemap> {
    let decoded = crate::ingest::decode::decode(bytes, None);
    let text = crate::ingest::decode::relabel_xml_as_utf8(&decoded.text);
    let mut reader = NsReader::from_str(&text);
    let mut parser = SitemapParser::default();
    loop {
        let (in_news_namespace, event) = match reader.read_resolved_event() {
            Ok((namespace, event)) => {
                let in_news = matches!(namespace, ResolveResult::Bound(ns) if ns.as_ref() == NEWS_NAMESPACE.as_bytes());
                (in_news, event)
            }
            Err(e) if parser.root.is_none() => return Err(Error::Parse(format!("not a sitemap: {e}"))),
            Err(_) => break,
        };
        match event {
            Event::Start(start) => {
                parser.start(&String::from_utf8_lossy(start.local_name().as_ref()), in_news_namespace)?;
            }
            Event::Empty(start) => {
                parser.start(&String::from_utf8_lossy(start.local_name().as_ref()), in_news_namespace)?;
                parser.end();
            }
            Event::End(_) => parser.end(),
            Event::Text(text) => {
                if let Ok(text) = text.xml10_content() {
                    parser.text.push_str(&text);
                }
            }
            Event::CData(cdata) => {
                if let Ok(text) = cdata.decode() {
                    parser.text.push_str(&text);
                }
            }
            Event::GeneralRef(reference) => push_reference(&mut parser.text, &reference),
            Event::Eof => break,
            _ => {}
        }
    }
    match parser.root {
        Some(Root::Urls) => Ok(Sitemap::Urls(parser.entries)),
        Some(Root::Index) => Ok(Sitemap::Index(parser.index)),
        None => Err(Error::Parse("not a sitemap: no root element".to_string())),
    }
}

/// Appends what an entity reference stands for (see `entities::decode`); anything else is kept as
/// written, never expanded.
fn push_reference(out: &mut String, reference: &BytesRef<'_>) {
    let name = String::from_utf8_lossy(reference);
    out.push_str(&crate::ingest::entities::decode(&format!("&{name};")));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Urls,
    Index,
}

/// An open element: its local name, and whether it is in the news namespace.
#[derive(Debug)]
struct Frame {
    local: String,
    news_namespace: bool,
}

#[derive(Debug, Default)]
struct SitemapParser {
    root: Option<Root>,
    stack: Vec<Frame>,
    /// The text since the last start tag.
    text: String,
    entry: Option<SitemapEntry>,
    index_loc: Option<String>,
    entries: Vec<SitemapEntry>,
    index: Vec<String>,
    seen: HashSet<String>,
}

impl SitemapParser {
    fn start(&mut self, local: &str, news_namespace: bool) -> Result<()> {
        if self.root.is_none() {
            self.root = Some(match local {
                "urlset" => Root::Urls,
                "sitemapindex" => Root::Index,
                other => return Err(Error::Parse(format!("not a sitemap: the root element is <{other}>"))),
            });
        }
        self.stack.push(Frame { local: local.to_string(), news_namespace });
        if self.stack.len() == 2 {
            match (self.root, local) {
                (Some(Root::Urls), "url") => self.entry = Some(empty_entry()),
                (Some(Root::Index), "sitemap") => self.index_loc = None,
                _ => {}
            }
        }
        self.text.clear();
        Ok(())
    }

    fn end(&mut self) {
        let text = std::mem::take(&mut self.text);
        let Some(frame) = self.stack.pop() else { return };
        let parent = self.stack.last().map(|f| f.local.as_str());
        let local = frame.local.as_str();
        match self.root {
            Some(Root::Urls) => {
                let in_news = frame.news_namespace || self.stack.iter().any(|f| f.local == "news");
                if let Some(entry) = self.entry.as_mut() {
                    if in_news {
                        match local {
                            "title" => entry.news_title = non_empty(collapse_whitespace(&text)),
                            "publication_date" => entry.news_published = parse_w3c_datetime(&text),
                            "language" => entry.news_language = non_empty(text.trim().to_string()),
                            "name" => entry.news_publication = non_empty(collapse_whitespace(&text)),
                            _ => {}
                        }
                    } else if parent == Some("url") {
                        match local {
                            "loc" => entry.url = text.trim().to_string(),
                            "lastmod" => entry.lastmod = parse_w3c_datetime(&text),
                            _ => {}
                        }
                    }
                }
                if local == "url" && self.stack.len() == 1 {
                    if let Some(mut entry) = self.entry.take() {
                        if let Some(url) = absolute_http(&entry.url) {
                            if self.seen.insert(url.clone()) {
                                entry.url = url;
                                self.entries.push(entry);
                            }
                        }
                    }
                }
            }
            Some(Root::Index) => {
                if local == "loc" && parent == Some("sitemap") {
                    self.index_loc = Some(text);
                }
                if local == "sitemap" && self.stack.len() == 1 {
                    if let Some(url) = self.index_loc.take().as_deref().and_then(absolute_http) {
                        if self.seen.insert(url.clone()) {
                            self.index.push(url);
                        }
                    }
                }
            }
            None => {}
        }
    }
}

fn empty_entry() -> SitemapEntry {
    SitemapEntry {
        url: String::new(),
        lastmod: None,
        news_title: None,
        news_published: None,
        news_language: None,
        news_publication: None,
    }
}

fn non_empty(text: String) -> Option<String> {
    Some(text).filter(|t| !t.is_empty())
}

/// `text` as an absolute http(s) URL, serialised.
fn absolute_http(text: &str) -> Option<String> {
    Url::parse(text.trim()).ok().filter(is_http).map(String::from)
}

/// A W3C datetime (the profile of ISO 8601 sitemaps use) in UTC: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
/// `YYYY-MM-DDThh:mm[:ss[.s]]` followed by `Z`, `±hh:mm`, `±hhmm`, `±hh`, or nothing (taken as UTC).
/// A space or lower-case `t` is accepted as the separator. `None` when unparseable.
pub(super) fn parse_w3c_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let midnight = |date: NaiveDate| date.and_hms_opt(0, 0, 0).map(|dt| dt.and_utc());
    match text.len() {
        4 if text.bytes().all(|b| b.is_ascii_digit()) => {
            return NaiveDate::from_ymd_opt(text.parse().ok()?, 1, 1).and_then(midnight);
        }
        7 => return NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok().and_then(midnight),
        10 => return NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(midnight),
        _ => {}
    }
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (body, offset_seconds) = split_zone(text)?;
    let normalised = format!("{}T{}", body.get(..10)?, body.get(11..)?);
    let naive = NaiveDateTime::parse_from_str(&normalised, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(&normalised, "%Y-%m-%dT%H:%M"))
        .ok()?;
    let offset = FixedOffset::east_opt(offset_seconds)?;
    offset.from_local_datetime(&naive).single().map(|dt| dt.with_timezone(&Utc))
}

/// Splits a datetime (with a separator at byte 10) into its date-time part and its zone offset in seconds.
fn split_zone(text: &str) -> Option<(&str, i32)> {
    if let Some(body) = text.strip_suffix(['Z', 'z']) {
        return Some((body, 0));
    }
    let time = text.get(11..)?;
    let Some(sign_at) = time.rfind(['+', '-']).map(|p| p + 11) else { return Some((text, 0)) };
    let sign = if text.as_bytes()[sign_at] == b'-' { -1 } else { 1 };
    let zone = &text[sign_at + 1..];
    let digits: String = zone.chars().filter(|&c| c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    if zone.contains(':') && zone.len() != 5 {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = if digits.len() == 4 { digits[2..].parse().ok()? } else { 0 };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some((&text[..sign_at], sign * (hours * 3600 + minutes * 60)))
}

/// The entries dated at or after `since` (by `news_published`, else `lastmod`) plus the undated ones,
/// newest first, undated last; ties keep document order.
pub fn recent_entries(entries: &[SitemapEntry], since: DateTime<Utc>) -> Vec<SitemapEntry> {
    let mut recent: Vec<SitemapEntry> =
        entries.iter().filter(|entry| entry.date().is_none_or(|date| date >= since)).cloned().collect();
    recent.sort_by_key(|entry| std::cmp::Reverse(entry.date()));
    recent
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::discover::{sniff, DocumentKind};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("test date").with_timezone(&Utc)
    }

    // ----- robots_sitemaps -----

    #[test]
    fn robots_sitemaps_reads_sitemap_lines() {
        let robots = "\u{feff}Sitemap: https://example.com/sitemap.xml\r\n\
            User-agent: *\n\
            Disallow: /private # not a sitemap\n\
            sitemap:https://example.com/news-sitemap.xml\n\
            SITEMAP :  http://example.com/sitemap.xml?lang=ru   # Russian\n\
            Sitemap: /relative.xml\n\
            Sitemap: ftp://example.com/s.xml\n\
            # Sitemap: https://example.com/commented.xml\n\
            Sitemap: https://example.com/sitemap.xml\n\
            Sitemap:\n\
            Host: example.com\n";
        assert_eq!(
            robots_sitemaps(robots),
            vec![
                "https://example.com/sitemap.xml",
                "https://example.com/news-sitemap.xml",
                "http://example.com/sitemap.xml?lang=ru",
            ]
        );
        assert!(robots_sitemaps("").is_empty());
    }

    // ----- parse_sitemap -----

    fn entries(xml: &str) -> Vec<SitemapEntry> {
        match parse_sitemap(xml.as_bytes()) {
            Ok(Sitemap::Urls(entries)) => entries,
            other => panic!("expected a urlset, got {other:?}"),
        }
    }

    const NEWS_SITEMAP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- generated -->
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://example.com/world/2026/03/11/summit.html</loc>
    <lastmod>2026-03-11T09:00:00Z</lastmod>
    <image:image><image:loc>https://cdn.example.com/summit.jpg</image:loc><image:title>Photo</image:title></image:image>
    <news:news>
      <news:publication>
        <news:name>Example  Times</news:name>
        <news:language>en</news:language>
      </news:publication>
      <news:publication_date>2026-03-11T08:15:00+03:00</news:publication_date>
      <news:title>Leaders meet &amp; agree on
        a &quot;framework&quot;</news:title>
    </news:news>
  </url>
  <url>
    <loc> https://example.com/ru/2026/03/10/vybory.html </loc>
    <news:news>
      <news:publication><news:name>Пример</news:name><news:language>ru</news:language></news:publication>
      <news:publication_date>2026-03-10</news:publication_date>
      <news:title><![CDATA[Выборы: итоги <первого> тура]]></news:title>
    </news:news>
  </url>
  <url>
    <loc>https://example.com/zh/2026/03/09/jingji.html</loc>
    <lastmod>2026-03-09T12:00+08:00</lastmod>
    <news:news>
      <news:publication><news:name>示例新闻</news:name><news:language>zh-cn</news:language></news:publication>
      <news:publication_date>not a date</news:publication_date>
      <news:title>经济&#x589E;长放缓</news:title>
    </news:news>
  </url>
  <url><loc>https://example.com/about</loc></url>
  <url><loc>https://example.com/about</loc><lastmod>2020-01-01</lastmod></url>
  <url><loc>/relative/path.html</loc></url>
  <url><lastmod>2026-03-11</lastmod></url>
</urlset>"#;

    #[test]
    fn parse_sitemap_reads_the_news_extension() {
        let got = entries(NEWS_SITEMAP);
        assert_eq!(
            got,
            vec![
                SitemapEntry {
                    url: "https://example.com/world/2026/03/11/summit.html".into(),
                    lastmod: Some(utc("2026-03-11T09:00:00Z")),
                    news_title: Some("Leaders meet & agree on a \"framework\"".into()),
                    news_published: Some(utc("2026-03-11T05:15:00Z")),
                    news_language: Some("en".into()),
                    news_publication: Some("Example Times".into()),
                },
                SitemapEntry {
                    url: "https://example.com/ru/2026/03/10/vybory.html".into(),
                    lastmod: None,
                    news_title: Some("Выборы: итоги <первого> тура".into()),
                    news_published: Some(utc("2026-03-10T00:00:00Z")),
                    news_language: Some("ru".into()),
                    news_publication: Some("Пример".into()),
                },
                SitemapEntry {
                    url: "https://example.com/zh/2026/03/09/jingji.html".into(),
                    lastmod: Some(utc("2026-03-09T04:00:00Z")),
                    news_title: Some("经济增长放缓".into()),
                    news_published: None,
                    news_language: Some("zh-cn".into()),
                    news_publication: Some("示例新闻".into()),
                },
                SitemapEntry { url: "https://example.com/about".into(), ..empty_entry() },
            ]
        );
    }

    #[test]
    fn parse_sitemap_tolerates_other_prefixes_and_namespaces() {
        let cases: &[(&str, &str)] = &[
            (
                "n: prefix",
                r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
                   <url><loc>https://example.com/a</loc><n:news><n:publication><n:name>P</n:name><n:language>en</n:language></n:publication>
                   <n:publication_date>2026-03-11T08:15Z</n:publication_date><n:title>T</n:title></n:news></url></urlset>"#,
            ),
            (
                "default namespace on news",
                r#"<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>https://example.com/a</sm:loc>
                   <news xmlns="http://www.google.com/schemas/sitemap-news/0.9"><publication><name>P</name><language>en</language></publication>
                   <publication_date>2026-03-11T08:15:00.000Z</publication_date><title>T</title></news></sm:url></sm:urlset>"#,
            ),
            (
                "undeclared news prefix",
                r#"<urlset><url><loc>https://example.com/a</loc><news:news><news:publication><news:name>P</news:name>
                   <news:language>en</news:language></news:publication><news:publication_date>2026-03-11T11:15:00+0300</news:publication_date>
                   <news:title>T</news:title></news:news></url></urlset>"#,
            ),
            (
                "wrong news namespace URI",
                r#"<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.84"><url><loc>https://example.com/a</loc>
                   <news:news><news:publication><news:name>P</news:name><news:language>en</news:language></news:publication>
                   <news:publication_date>2026-03-11T03:15:00-05:00</news:publication_date><news:title>T</news:title></news:news></url></urlset>"#,
            ),
        ];
        let expected = SitemapEntry {
            url: "https://example.com/a".into(),
            lastmod: None,
            news_title: Some("T".into()),
            news_published: Some(utc("2026-03-11T08:15:00Z")),
            news_language: Some("en".into()),
            news_publication: Some("P".into()),
        };
        for (name, xml) in cases {
            assert_eq!(entries(xml), vec![expected.clone()], "{name}");
        }
    }

    #[test]
    fn parse_sitemap_reads_an_index() {
        let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">
  <sitemap><loc>https://example.com/sitemap-news.xml</loc><lastmod>2026-03-11</lastmod></sitemap>
  <sitemap>
    <loc>
      https://example.com/sitemap.xml?page=2&amp;lang=ru
    </loc>
  </sitemap>
  <sitemap><loc>https://example.com/sitemap-news.xml</loc></sitemap>
  <sitemap><loc>not a url</loc></sitemap>
  <sitemap/>
</sitemapindex>";
        let got = parse_sitemap(xml.as_bytes()).expect("index");
        assert_eq!(
            got,
            Sitemap::Index(vec![
                "https://example.com/sitemap-news.xml".to_string(),
                "https://example.com/sitemap.xml?page=2&lang=ru".to_string(),
            ])
        );
    }

    #[test]
    fn parse_sitemap_decodes_a_declared_legacy_encoding() {
        let xml = "<?xml version=\"1.0\" encoding=\"windows-1251\"?><urlset xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\
            <url><loc>https://example.com/a</loc><news:news><news:title>Новости дня</news:title></news:news></url></urlset>";
        let bytes = encoding_rs::WINDOWS_1251.encode(xml).0.into_owned();
        let got = match parse_sitemap(&bytes) {
            Ok(Sitemap::Urls(entries)) => entries,
            other => panic!("{other:?}"),
        };
        assert_eq!(got[0].news_title.as_deref(), Some("Новости дня"));
    }

    #[test]
    fn parse_sitemap_empty_urlset_and_truncated_download() {
        assert_eq!(parse_sitemap(b"<urlset/>").expect("empty"), Sitemap::Urls(vec![]));
        let truncated = "<urlset><url><loc>https://example.com/a</loc></url><url><loc>https://example.com/b</lo";
        assert_eq!(entries(truncated).iter().map(|e| e.url.as_str()).collect::<Vec<_>>(), ["https://example.com/a"]);
        let broken =
            "<urlset><url><loc>https://example.com/a</loc></url><url><loc>https://example.com/b</url></urlset>";
        assert_eq!(entries(broken).iter().map(|e| e.url.as_str()).collect::<Vec<_>>(), ["https://example.com/a"]);
    }

    #[test]
    fn parse_sitemap_rejects_what_is_not_a_sitemap() {
        let cases: &[(&str, &[u8])] = &[
            ("rss", b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel></channel></rss>"),
            ("html", b"<!DOCTYPE html><html><head><title>x</title></head></html>"),
            ("json", b"{\"version\": \"https://jsonfeed.org/version/1\"}"),
            ("empty", b""),
            ("whitespace", b"  \n "),
            ("garbage", b"\x00\x01\x02 binary"),
            ("broken before root", b"<?xml version=\"1.0\"?><!-- unterminated"),
        ];
        for (name, bytes) in cases {
            match parse_sitemap(bytes) {
                Err(Error::Parse(message)) => assert!(message.starts_with("not a sitemap"), "{name}: {message}"),
                other => panic!("{name}: expected Err(Parse), got {other:?}"),
            }
        }
    }

    #[test]
    fn parse_sitemap_never_expands_entities() {
        let xml = r#"<?xml version="1.0"?>
<!DOCTYPE urlset [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
  <!ENTITY ext SYSTEM "file:///etc/passwd">
]>
<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://example.com/a</loc><news:news><news:title>&lol9;&ext;</news:title><news:name>&lol;</news:name></news:news></url>
</urlset>"#;
        let started = std::time::Instant::now();
        let got = entries(xml);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].news_title.as_deref(), Some("&lol9;&ext;"));
        assert_eq!(got[0].news_publication.as_deref(), Some("&lol;"));
        assert_eq!(sniff(xml.as_bytes(), None), DocumentKind::Sitemap);
    }

    // ----- dates -----

    #[test]
    fn w3c_datetimes() {
        let cases: &[(&str, Option<&str>)] = &[
            ("2026-03-11T08:15:00+03:00", Some("2026-03-11T05:15:00Z")),
            ("2026-03-11T08:15Z", Some("2026-03-11T08:15:00Z")),
            ("2026-03-11", Some("2026-03-11T00:00:00Z")),
            (" 2026-03-11T08:15:30.250Z\n", Some("2026-03-11T08:15:30.250Z")),
            ("2026-03-11T08:15:00-05:30", Some("2026-03-11T13:45:00Z")),
            ("2026-03-11T08:15+0800", Some("2026-03-11T00:15:00Z")),
            ("2026-03-11T08:15:00+08", Some("2026-03-11T00:15:00Z")),
            ("2026-03-11 08:15:00", Some("2026-03-11T08:15:00Z")),
            ("2026-03-11t08:15:00z", Some("2026-03-11T08:15:00Z")),
            ("2026-03", Some("2026-03-01T00:00:00Z")),
            ("2026", Some("2026-01-01T00:00:00Z")),
            ("", None),
            ("yesterday", None),
            ("2026-13-01", None),
            ("2026-02-30", None),
            ("2026-03-11T25:00:00Z", None),
            ("2026-03-11T08:15:00+24:00", None),
            ("2026-03-11T08:15:00+3", None),
            ("11/03/2026", None),
            ("Wed, 11 Mar 2026 08:15:00 GMT", None),
            ("2026-03-11T", None),
            ("2026-03-11Tnoon", None),
            ("２０２６-03-11", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_w3c_datetime(text), expected.map(utc), "{text:?}");
        }
    }

    // ----- recent_entries -----

    #[test]
    fn recent_entries_filters_and_orders_newest_first() {
        let entry = |url: &str, lastmod: Option<&str>, published: Option<&str>| SitemapEntry {
            url: url.into(),
            lastmod: lastmod.map(utc),
            news_published: published.map(utc),
            ..empty_entry()
        };
        let all = vec![
            entry("https://x/old", Some("2026-03-01T00:00:00Z"), None),
            entry("https://x/undated-1", None, None),
            entry("https://x/mid", None, Some("2026-03-10T12:00:00Z")),
            // news_published wins over a newer lastmod
            entry("https://x/republished", Some("2026-03-12T00:00:00Z"), Some("2026-03-05T00:00:00Z")),
            entry("https://x/new", Some("2026-03-11T08:00:00Z"), None),
            entry("https://x/cutoff", None, Some("2026-03-10T00:00:00Z")),
            entry("https://x/undated-2", None, None),
            entry("https://x/tie", Some("2026-03-11T08:00:00Z"), None),
        ];
        let got = recent_entries(&all, utc("2026-03-10T00:00:00Z"));
        let urls: Vec<&str> = got.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://x/new",
                "https://x/tie",
                "https://x/mid",
                "https://x/cutoff",
                "https://x/undated-1",
                "https://x/undated-2"
            ]
        );
        assert!(recent_entries(&[], utc("2026-03-10T00:00:00Z")).is_empty());
    }
}
