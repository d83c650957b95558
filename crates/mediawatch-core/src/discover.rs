//! Feed discovery and news sitemaps: what to try when an analyst pastes a news site's page URL instead of a
//! feed URL.
//!
//! [`sniff`] says what fetched bytes are (feed, sitemap, sitemap index, HTML page); [`feed_links`] lists the
//! feeds an HTML page advertises; [`candidate_feed_urls`] lists the conventional feed locations to try when it
//! advertises none; [`robots_sitemaps`] reads the `Sitemap:` lines of a robots.txt; [`parse_sitemap`] reads a
//! (Google News) sitemap or sitemap index and [`recent_entries`] keeps its recent articles, newest first.
//!
//! Pure: no I/O. The fetch module fetches; these functions decide what the bytes are and what to fetch next.
//! XML is read with quick-xml, which never expands DTDs or external entities.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8};
use quick_xml::events::{BytesRef, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use url::Url;

use crate::error::{Error, Result};

/// The namespace URI of Google's news sitemap extension.
pub const NEWS_NAMESPACE: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// How many bytes from the start of a document [`sniff`] looks at (twice that for UTF-16).
const SNIFF_BYTES: usize = 8 * 1024;

/// The `type`s of `<link rel="alternate">` that advertise a feed.
const FEED_MIMES: [&str; 6] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "text/xml",
];

/// The conventional feed locations, relative to the origin (and to the page's first path segment).
const FEED_PATHS: [&str; 5] = ["feed", "rss", "rss.xml", "atom.xml", "index.xml"];

/// Elements whose content is raw text in HTML: a `<link>` inside them is not a link.
const RAW_TEXT_ELEMENTS: [&str; 8] = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"];

// ---------------------------------------------------------------------------------------------------------
// Sniffing
// ---------------------------------------------------------------------------------------------------------

/// What kind of document the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// RSS, Atom, RSS 1.0 (RDF) or JSON Feed.
    Feed,
    /// A `<urlset>` sitemap.
    Sitemap,
    /// A `<sitemapindex>` listing other sitemaps.
    SitemapIndex,
    /// An HTML page.
    Html,
    /// Anything else.
    Other,
}

/// Sniffs what `bytes` are from their first few KB, after a BOM, whitespace, the XML declaration and other
/// processing instructions, comments and a DOCTYPE (its internal subset skipped, never expanded):
///
/// * root `<rss`, `<feed`, `<rdf:RDF` (any root whose local name is `RDF`), or a JSON object whose top-level
///   `"version"` starts with `https://jsonfeed.org/version/` (or `http://`) => [`DocumentKind::Feed`];
/// * `<urlset` => [`DocumentKind::Sitemap`]; `<sitemapindex` => [`DocumentKind::SitemapIndex`];
/// * `<!doctype html`, `<html`, `<head`, `<body` => [`DocumentKind::Html`];
/// * anything else => [`DocumentKind::Other`].
///
/// Element names are compared case-insensitively. UTF-16 (with a BOM, or `<` as its first character) is
/// decoded first. `content_type` (the HTTP header) is only a hint: the bytes win, and the header is consulted
/// only when the sniffed prefix ends before a root element is reached (e.g. 8 KB of leading comments).
pub fn sniff(bytes: &[u8], content_type: Option<&str>) -> DocumentKind {
    let (prefix, truncated) = sniff_prefix(bytes);
    match sniff_text(&prefix) {
        Some(kind) => kind,
        None if truncated => content_type.map_or(DocumentKind::Other, kind_from_content_type),
        None => DocumentKind::Other,
    }
}

/// The first [`SNIFF_BYTES`] of `bytes` as text, and whether the document goes on beyond them.
fn sniff_prefix(bytes: &[u8]) -> (String, bool) {
    let (encoding, body) = if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        (encoding, &bytes[bom_len..])
    } else if bytes.starts_with(b"<\0") {
        (UTF_16LE, bytes)
    } else if bytes.starts_with(b"\0<") {
        (UTF_16BE, bytes)
    } else {
        (UTF_8, bytes)
    };
    let limit = if encoding == UTF_8 { SNIFF_BYTES } else { 2 * SNIFF_BYTES };
    let head = &body[..body.len().min(limit)];
    // Any ASCII-compatible encoding keeps its markup readable when decoded as UTF-8 (with replacements).
    (encoding.decode_without_bom_handling(head).0.into_owned(), body.len() > limit)
}

/// The kind of document `text` starts, or `None` when the text ends before saying.
fn sniff_text(text: &str) -> Option<DocumentKind> {
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if rest.is_empty() {
            return None;
        }
        if rest.starts_with('{') {
            return sniff_json(rest);
        }
        if !rest.starts_with('<') {
            return Some(DocumentKind::Other);
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
        } else if let Some(after) = rest.strip_prefix("<?") {
            rest = &after[after.find("?>")? + 2..];
        } else if starts_with_ignore_case(rest, "<!doctype") {
            let after = &rest["<!doctype".len()..];
            let name = after.trim_start();
            if starts_with_ignore_case(name, "html")
                && !name[4..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == ':' || c == '-')
            {
                return Some(DocumentKind::Html);
            }
            rest = skip_doctype(after)?;
        } else if let Some(after) = rest.strip_prefix("<!") {
            rest = &after[after.find('>')? + 1..];
        } else {
            let name_len =
                rest[1..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len() - 1);
            if name_len == 0 || 1 + name_len == rest.len() {
                // `<` alone, or a root name cut off by the end of the prefix.
                return if name_len == 0 { Some(DocumentKind::Other) } else { None };
            }
            return Some(classify_root(&rest[1..1 + name_len]));
        }
    }
}

/// Skips the rest of a DOCTYPE (after `<!DOCTYPE`), internal subset included; `None` when it does not end.
fn skip_doctype(after: &str) -> Option<&str> {
    let mut quote: Option<char> = None;
    let mut brackets = 0usize;
    for (i, c) in after.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => brackets += 1,
            (None, ']') => brackets = brackets.saturating_sub(1),
            (None, '>') if brackets == 0 => return Some(&after[i + 1..]),
            _ => {}
        }
    }
    None
}

fn classify_root(name: &str) -> DocumentKind {
    let lower = name.to_ascii_lowercase();
    let local = lower.rsplit_once(':').map_or(lower.as_str(), |(_, local)| local);
    match local {
        "rss" | "feed" | "rdf" => DocumentKind::Feed,
        "urlset" => DocumentKind::Sitemap,
        "sitemapindex" => DocumentKind::SitemapIndex,
        "html" | "head" | "body" => DocumentKind::Html,
        _ => DocumentKind::Other,
    }
}

fn kind_from_content_type(content_type: &str) -> DocumentKind {
    let mime = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match mime.as_str() {
        "application/rss+xml" | "application/atom+xml" | "application/rdf+xml" | "application/feed+json" => {
            DocumentKind::Feed
        }
        "text/html" | "application/xhtml+xml" => DocumentKind::Html,
        _ => DocumentKind::Other,
    }
}

/// A JSON object: a feed when its top-level `"version"` is a JSON Feed version URL. `None` when the text ends
/// before the answer.
fn sniff_json(text: &str) -> Option<DocumentKind> {
    let mut depth = 0usize;
    let mut pending_key: Option<String> = None;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        match c {
            '"' => {
                let (string, next) = read_json_string(text, i)?;
                if depth == 1 {
                    if let Some(key) = pending_key.take() {
                        if key == "version" {
                            let feed = string.starts_with("https://jsonfeed.org/version/")
                                || string.starts_with("http://jsonfeed.org/version/");
                            return Some(if feed { DocumentKind::Feed } else { DocumentKind::Other });
                        }
                    } else if text[next..].trim_start().starts_with(':') {
                        pending_key = Some(string);
                    }
                }
                i = next;
                continue;
            }
            '{' | '[' => {
                depth += 1;
                if depth > 1 {
                    pending_key = None;
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(DocumentKind::Other);
                }
            }
            ',' if depth == 1 => pending_key = None,
            _ => {}
        }
        i += c.len_utf8();
    }
    None
}

/// The JSON string starting at `text[start]` (a `"`), unescaped, and the index after its closing quote.
fn read_json_string(text: &str, start: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, start + 1 + i + 1)),
            '\\' => {
                let (_, escaped) = chars.next()?;
                match escaped {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'u' => {
                        let hex: String = (0..4).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                        let code = u32::from_str_radix(&hex, 16).ok()?;
                        out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    None
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len() && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

// ---------------------------------------------------------------------------------------------------------
// Feeds advertised by an HTML page
// ---------------------------------------------------------------------------------------------------------

/// A feed advertised by an HTML page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    /// The absolute http(s) URL of the feed.
    pub url: String,
    /// The link's `title`, whitespace collapsed; `None` when absent or blank.
    pub title: Option<String>,
    /// The link's `type`, lower case, without parameters (`application/rss+xml`, ...).
    pub mime: String,
}

/// The feeds a page advertises with `<link rel="alternate" type=... href=...>` where the type is one of
/// `application/rss+xml`, `application/atom+xml`, `application/feed+json`, `application/json`,
/// `application/rdf+xml`, `text/xml` (case-insensitive, parameters ignored).
///
/// In document order, deduplicated by resolved URL (first wins). `rel` may hold several tokens
/// (`"alternate feed"`), matched case-insensitively; attributes may come in any order, quoted with `"`, `'`
/// or not at all; character references (`&amp;`, `&#38;`, ...) in values are decoded. Links inside comments,
/// `<script>`, `<style>`, `<title>`, `<textarea>` and similar raw-text elements are ignored. hrefs are resolved
/// against the first `<base href>` (itself resolved against `page_url`), else against `page_url`; only http
/// and https results are kept.
pub fn feed_links(html: &str, page_url: &Url) -> Vec<FeedLink> {
    let tags = start_tags(html, &["link", "base"]);
    let base = tags
        .iter()
        .filter(|tag| tag.name == "base")
        .find_map(|tag| tag.attr("href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .filter(is_http)
        .unwrap_or_else(|| page_url.clone());
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for tag in tags.iter().filter(|tag| tag.name == "link") {
        let is_alternate = tag
            .attr("rel")
            .is_some_and(|rel| rel.split_ascii_whitespace().any(|token| token.eq_ignore_ascii_case("alternate")));
        if !is_alternate {
            continue;
        }
        let Some(mime) = tag.attr("type").map(|t| t.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        else {
            continue;
        };
        if !FEED_MIMES.contains(&mime.as_str()) {
            continue;
        }
        let Some(href) = tag.attr("href").map(str::trim).filter(|h| !h.is_empty()) else { continue };
        let Some(url) = base.join(href).ok().filter(is_http) else { continue };
        let url = String::from(url);
        if !seen.insert(url.clone()) {
            continue;
        }
        let title = tag.attr("title").map(collapse_whitespace).filter(|t| !t.is_empty());
        links.push(FeedLink { url, title, mime });
    }
    links
}

/// What a web page says about itself in its `<head>`: enough to list an article found in a news sitemap
/// before its full text is extracted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageMeta {
    /// `og:title`, else `twitter:title`, else the `<title>` element; whitespace collapsed.
    pub title: Option<String>,
    /// `og:description`, else `<meta name="description">`.
    pub description: Option<String>,
    /// `article:published_time` (or `og:published_time`, `<meta name="date">`), in UTC.
    pub published: Option<DateTime<Utc>>,
    /// `<html lang>`, else `og:locale` (as written, e.g. `ru`, `zh-CN`, `en_US`).
    pub language: Option<String>,
    /// `og:site_name`.
    pub site_name: Option<String>,
    /// `og:url`: the address the page gives itself.
    pub url: Option<String>,
}

/// Reads a page's [`PageMeta`] with the same tolerant tag scan as [`feed_links`].
pub fn page_metadata(html: &str) -> PageMeta {
    let tags = start_tags(html, &["meta", "html"]);
    let meta = |keys: &[&str]| {
        keys.iter().find_map(|key| {
            tags.iter()
                .filter(|t| t.name == "meta")
                .find(|t| {
                    t.attr("property").or_else(|| t.attr("name")).is_some_and(|k| k.trim().eq_ignore_ascii_case(key))
                })
                .and_then(|t| t.attr("content"))
                .map(collapse_whitespace)
                .filter(|v| !v.is_empty())
        })
    };
    let title_element = title_text(html);
    PageMeta {
        title: meta(&["og:title", "twitter:title"]).or(title_element),
        url: meta(&["og:url"]),
        description: meta(&["og:description", "description", "twitter:description"]),
        published: meta(&["article:published_time", "og:published_time", "date", "pubdate"])
            .and_then(|d| parse_w3c_datetime(&d).or_else(|| crate::dates::parse_date(&d))),
        language: tags
            .iter()
            .find(|t| t.name == "html")
            .and_then(|t| t.attr("lang"))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .or_else(|| meta(&["og:locale"])),
        site_name: meta(&["og:site_name"]),
    }
}

/// The text of the first `<title>` element (outside comments), entities decoded, whitespace collapsed.
fn title_text(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(offset) = lower[from..].find("<title") {
        let start = from + offset;
        // Skip a `<title` that sits inside a comment.
        if lower[..start].rfind("<!--").is_some_and(|open| lower[open..start].find("-->").is_none()) {
            from = start + 6;
            continue;
        }
        let after = start + 6;
        if !lower[after..].starts_with(['>', ' ', '\t', '\n', '\r']) {
            from = after;
            continue;
        }
        let open_end = lower[after..].find('>')? + after + 1;
        let close = find_end_tag(html, open_end, "title");
        let text = collapse_whitespace(&crate::entities::decode(&html[open_end..close]));
        return (!text.is_empty()).then_some(text);
    }
    None
}

/// A start tag found by [`start_tags`]: its lower-case name and its attributes (lower-case names, decoded
/// values, first occurrence of a name wins).
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The start tags named in `wanted`, in document order, by a tolerant scan after the HTML tokenizer: comments,
/// end tags, DOCTYPEs and processing instructions are skipped, and so is the content of raw-text elements.
fn start_tags(html: &str, wanted: &[&str]) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        i += offset;
        let rest = &html[i..];
        if let Some(after) = rest.strip_prefix("<!--") {
            i = after.find("-->").map_or(html.len(), |end| i + 4 + end + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            i = rest.find('>').map_or(html.len(), |end| i + end + 1);
            continue;
        }
        if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let name_end =
            rest.find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>').map_or(html.len(), |e| i + e);
        let name = html[i + 1..name_end].to_ascii_lowercase();
        let (attrs, after_tag) = parse_attributes(html, name_end);
        i = after_tag;
        if RAW_TEXT_ELEMENTS.contains(&name.as_str()) {
            i = find_end_tag(html, i, &name);
        }
        if wanted.contains(&name.as_str()) {
            tags.push(Tag { name, attrs });
        }
    }
    tags
}

/// The index of the end tag `</name` (case-insensitive; the name followed by whitespace, `/`, `>` or the end,
/// so `</scripts` does not end a script) at or after `from`, or the end of `html`.
pub(crate) fn find_end_tag(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(offset) = html.get(i..).and_then(|rest| rest.find("</")) {
        i += offset;
        let tail = &bytes[i + 2..];
        if tail.len() >= name.len()
            && tail[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && tail.get(name.len()).is_none_or(|&t| t == b'>' || t == b'/' || t.is_ascii_whitespace())
        {
            return i;
        }
        i += 2;
    }
    html.len()
}

/// The attributes of a start tag whose name ends at `i`, and the index after its `>` (or the end of `html`).
fn parse_attributes(html: &str, mut i: usize) -> (Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let is_space = |b: u8| b.is_ascii_whitespace();
    let mut attrs: Vec<(String, String)> = Vec::new();
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return (attrs, bytes.len());
        }
        if bytes[i] == b'>' {
            return (attrs, i + 1);
        }
        let name_start = i;
        i += 1; // the first character may be `=`
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut value = "";
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = bytes[start..].iter().position(|&b| b == quote).map_or(bytes.len(), |p| start + p);
                    value = &html[start..end];
                    i = (end + 1).min(bytes.len());
                }
                Some(_) => {
                    let start = i;
                    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = &html[start..i];
                }
                None => {}
            }
        }
        if !attrs.iter().any(|(n, _)| *n == name) {
            attrs.push((name, crate::entities::decode(value)));
        }
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_http(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

// ---------------------------------------------------------------------------------------------------------
// Conventional feed locations and robots.txt
// ---------------------------------------------------------------------------------------------------------

/// The conventional feed locations to try when a page advertises none, on the page's origin, in this order:
/// `/feed`, `/rss`, `/rss.xml`, `/atom.xml`, `/index.xml`; then, when the page is below a first path segment,
/// the same five under it (`https://x/news/a.html` also gives `https://x/news/feed`, ...). A page's first
/// segment counts when more path follows it (`/news/a.html`, `/news/`) or when it has no dot (`/news`, but
/// not `/index.html`). No query, fragment or credentials; no duplicates. Empty for non-http(s) URLs.
pub fn candidate_feed_urls(page_url: &Url) -> Vec<Url> {
    if !is_http(page_url) || page_url.host().is_none() {
        return Vec::new();
    }
    let mut origin = page_url.clone();
    origin.set_query(None);
    origin.set_fragment(None);
    // Cannot fail on an http(s) URL with a host.
    let _ = origin.set_username("");
    let _ = origin.set_password(None);
    let mut prefixes = vec![String::new()];
    if let Some(segment) = section_segment(page_url) {
        prefixes.push(format!("/{segment}"));
    }
    let mut urls: Vec<Url> = Vec::new();
    for prefix in &prefixes {
        for path in FEED_PATHS {
            let mut url = origin.clone();
            url.set_path(&format!("{prefix}/{path}"));
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
    }
    urls
}

/// The page's first path segment, when the page is below it.
fn section_segment(page_url: &Url) -> Option<&str> {
    let mut segments = page_url.path_segments()?;
    let first = segments.next().filter(|s| !s.is_empty())?;
    let deeper = segments.next().is_some();
    (deeper || !first.contains('.')).then_some(first)
}

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
    let decoded = crate::decode::decode(bytes, None);
    let text = crate::decode::relabel_xml_as_utf8(&decoded.text);
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
    out.push_str(&crate::entities::decode(&format!("&{name};")));
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
fn parse_w3c_datetime(text: &str) -> Option<DateTime<Utc>> {
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

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL")
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("test date").with_timezone(&Utc)
    }

    // ----- sniff -----

    #[test]
    fn sniff_recognises_each_kind() {
        use DocumentKind::*;
        let cases: &[(&str, &[u8], Option<&str>, DocumentKind)] = &[
            ("rss", b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>", None, Feed),
            ("atom", b"<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", None, Feed),
            ("rdf", b"<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"x\"></rdf:RDF>", None, Feed),
            ("bare RDF", b"<RDF></RDF>", None, Feed),
            ("utf-8 bom", b"\xEF\xBB\xBF<?xml version=\"1.0\"?><rss/>", None, Feed),
            (
                "comments, stylesheet PI and whitespace first",
                b"\n  <?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<!-- generated <rss> -->\n\
                  <?xml-stylesheet href=\"a.xsl\"?><!-- two --><feed/>",
                None,
                Feed,
            ),
            ("json feed", b" {\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"T\"}", None, Feed),
            (
                "json feed, version after nested objects, escaped slashes",
                b"{\"author\": {\"version\": \"no\"}, \"items\": [], \"version\": \"https:\\/\\/jsonfeed.org\\/version\\/1\"}",
                Some("application/json"),
                Feed,
            ),
            ("other json", b"{\"version\": \"2.0\", \"items\": []}", Some("application/feed+json"), Other),
            ("json array", b"[1, 2]", None, Other),
            ("urlset", b"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">", None, Sitemap),
            ("sitemapindex", b"<sitemapindex><sitemap><loc>https://x/a.xml</loc></sitemap></sitemapindex>", None, SitemapIndex),
            ("doctype html", b"<!DOCTYPE html>\n<html><head></head></html>", None, Html),
            ("lower doctype", b"<!doctype html><title>x</title>", None, Html),
            ("bare html", b"<HTML lang=en><body></body></HTML>", None, Html),
            ("head first", b"<head><meta charset=utf-8></head>", None, Html),
            ("body first", b"<!-- c --><body>", None, Html),
            ("html served as text/xml", b"<!DOCTYPE html><html></html>", Some("text/xml; charset=utf-8"), Html),
            ("xhtml doctype", b"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x.dtd\"><html>", None, Html),
            ("rss served as text/html", b"<rss version=\"2.0\"></rss>", Some("text/html"), Feed),
            ("plain text", b"User-agent: *\nSitemap: https://x/s.xml", Some("application/rss+xml"), Other),
            ("other xml", b"<?xml version=\"1.0\"?><catalog/>", Some("application/rss+xml"), Other),
            ("empty", b"", Some("application/rss+xml"), Other),
            ("unterminated comment, short", b"<!-- never ends", Some("application/rss+xml"), Other),
        ];
        for (name, bytes, content_type, expected) in cases {
            assert_eq!(sniff(bytes, *content_type), *expected, "{name}");
        }
    }

    #[test]
    fn sniff_skips_a_doctype_internal_subset() {
        let doc = b"<?xml version=\"1.0\"?><!DOCTYPE urlset [<!ENTITY a \"<rss>\"> <!ENTITY b 'x]>'>]>\n<urlset/>";
        assert_eq!(sniff(doc, None), DocumentKind::Sitemap);
    }

    #[test]
    fn sniff_decodes_utf16() {
        for (encoding, bom) in [(UTF_16LE, &b"\xFF\xFE"[..]), (UTF_16BE, &b"\xFE\xFF"[..])] {
            let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"/>";
            let body: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| if encoding == UTF_16LE { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect();
            assert_eq!(sniff(&[bom, &body].concat(), None), DocumentKind::Feed, "{} with BOM", encoding.name());
            assert_eq!(sniff(&body, None), DocumentKind::Feed, "{} without BOM", encoding.name());
        }
    }

    #[test]
    fn sniff_uses_the_content_type_only_when_the_prefix_is_inconclusive() {
        let mut doc = b"<!-- ".to_vec();
        doc.extend(std::iter::repeat_n(b'x', 3 * SNIFF_BYTES));
        doc.extend(b" --><rss/>");
        assert_eq!(sniff(&doc, Some("application/rss+xml")), DocumentKind::Feed);
        assert_eq!(sniff(&doc, Some("text/html")), DocumentKind::Html);
        assert_eq!(sniff(&doc, None), DocumentKind::Other);
    }

    // ----- feed_links -----

    fn link(url: &str, title: Option<&str>, mime: &str) -> FeedLink {
        FeedLink { url: url.to_string(), title: title.map(str::to_string), mime: mime.to_string() }
    }

    #[test]
    fn feed_links_finds_several_in_document_order() {
        let html = r#"<!DOCTYPE html><html><head>
            <title>News <link rel="alternate" type="application/rss+xml" href="/in-title.xml"></title>
            <link rel="stylesheet" href="/s.css">
            <link rel="alternate" type="application/rss+xml" title="  All   news " href="/feed.xml">
            <link href='https://cdn.example.org/atom' type='application/atom+xml' rel='alternate feed'>
            <!-- <link rel="alternate" type="application/rss+xml" href="/commented.xml"> -->
            <LINK REL=alternate TYPE='application/rss+xml' HREF=/feed.xml>
            <link rel="alternate" type="application/feed+json" href="feed.json?a=1&amp;b=2" title="">
            <link rel="alternate" type="text/html" hreflang="ru" href="/ru/">
            <link rel="alternate" type="application/rss+xml; charset=UTF-8" href="//example.com/ru/rss">
            <link rel="Alternate" type="Application/RDF+XML" href="rdf.xml" />
            <link rel="alternate" type="text/xml" href="javascript:alert(1)">
            <link rel="alternate" type="text/xml" href="">
            <link rel="alternate" type="application/json" href="ftp://example.com/f.json">
            <script>document.write('<link rel="alternate" type="application/rss+xml" href="/js.xml">');</script>
            <link rel="alternate" type="application/json" href="/wp-json/">
            </head><body></body></html>"#;
        let got = feed_links(html, &url("https://example.com/section/page.html?id=7"));
        assert_eq!(
            got,
            vec![
                link("https://example.com/feed.xml", Some("All news"), "application/rss+xml"),
                link("https://cdn.example.org/atom", None, "application/atom+xml"),
                link("https://example.com/section/feed.json?a=1&b=2", None, "application/feed+json"),
                link("https://example.com/ru/rss", None, "application/rss+xml"),
                link("https://example.com/section/rdf.xml", None, "application/rdf+xml"),
                link("https://example.com/wp-json/", None, "application/json"),
            ]
        );
    }

    #[test]
    fn feed_links_resolves_against_base_href() {
        let html = r#"<head>
            <link rel=alternate type=application/rss+xml href=rss.xml>
            <base href="/mirror/"><base href="https://other.example/">
            <link rel=alternate type=application/atom+xml href="../atom.xml"/>
            </head>"#;
        let got = feed_links(html, &url("http://example.com/a/b/c.html"));
        assert_eq!(
            got,
            vec![
                link("http://example.com/mirror/rss.xml", None, "application/rss+xml"),
                link("http://example.com/atom.xml", None, "application/atom+xml"),
            ]
        );
    }

    #[test]
    fn feed_links_tolerates_odd_markup() {
        let cases: &[(&str, &str, Vec<FeedLink>)] = &[
            ("nothing", "<html><body><p>hi</p></body></html>", vec![]),
            ("no type", r#"<link rel="alternate" href="/feed">"#, vec![]),
            ("no rel", r#"<link type="application/rss+xml" href="/feed">"#, vec![]),
            (
                "gt inside a quoted attribute",
                r#"<link title="a > b" rel="alternate" type="application/rss+xml" href="/f">"#,
                vec![link("https://example.com/f", Some("a > b"), "application/rss+xml")],
            ),
            (
                "unclosed comment hides the rest",
                r#"<!-- <link rel="alternate" type="application/rss+xml" href="/f">"#,
                vec![],
            ),
            (
                "first duplicate attribute wins",
                r#"<link rel="alternate" href="/one" type="text/xml" href="/two">"#,
                vec![link("https://example.com/one", None, "text/xml")],
            ),
            (
                "cyrillic and chinese titles, numeric entities",
                r#"<link rel="alternate" type="application/rss+xml" title="Новости &#8212; 新闻" href="/rss?x=1&#38;y=2">"#,
                vec![link("https://example.com/rss?x=1&y=2", Some("Новости — 新闻"), "application/rss+xml")],
            ),
            (
                "truncated tag: an unterminated value runs to the end",
                r#"<p>x</p><link rel="alternate" type="application/rss+xml" href="/f"#,
                vec![link("https://example.com/f", None, "application/rss+xml")],
            ),
        ];
        for (name, html, expected) in cases {
            assert_eq!(&feed_links(html, &url("https://example.com/")), expected, "{name}");
        }
    }

    // ----- candidate_feed_urls -----

    #[test]
    fn candidate_feed_urls_root_and_deep_pages() {
        let strings =
            |page: &str| -> Vec<String> { candidate_feed_urls(&url(page)).into_iter().map(String::from).collect() };
        let root = ["/feed", "/rss", "/rss.xml", "/atom.xml", "/index.xml"];
        let on = |origin: &str, prefix: &str| -> Vec<String> {
            root.iter().map(|p| format!("{origin}{prefix}{p}")).collect()
        };
        assert_eq!(strings("https://example.com/"), on("https://example.com", ""));
        assert_eq!(strings("https://example.com"), on("https://example.com", ""));
        assert_eq!(strings("https://example.com/index.html?utm=1#top"), on("https://example.com", ""));
        assert_eq!(
            strings("https://user:pw@example.com:8443/news/2026/03/a.html?x=1#frag"),
            [on("https://example.com:8443", ""), on("https://example.com:8443", "/news")].concat()
        );
        assert_eq!(
            strings("http://example.com/news/"),
            [on("http://example.com", ""), on("http://example.com", "/news")].concat()
        );
        assert_eq!(
            strings("http://example.com/world"),
            [on("http://example.com", ""), on("http://example.com", "/world")].concat()
        );
        assert_eq!(
            strings("https://example.com/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1.html"),
            [on("https://example.com", ""), on("https://example.com", "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8")]
                .concat()
        );
        assert!(candidate_feed_urls(&url("mailto:news@example.com")).is_empty());
        assert!(candidate_feed_urls(&url("file:///tmp/a.html")).is_empty());
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

    #[test]
    fn page_metadata_prefers_open_graph_and_reads_the_head() {
        let html = r#"<!doctype html><html lang="ru"><head>
            <!-- <title>commented out</title> -->
            <title> Путин и Ван И &mdash; TV BRICS </title>
            <meta property="og:title" content="Путин принял Ван И">
            <meta name="description" content="Встреча в Кремле">
            <meta property="article:published_time" content="2026-03-11T08:15:00+03:00">
            <meta property="og:site_name" content="TV BRICS">
            </head><body><title>not this</title></body></html>"#;
        let meta = page_metadata(html);
        assert_eq!(meta.title.as_deref(), Some("Путин принял Ван И"));
        assert_eq!(meta.description.as_deref(), Some("Встреча в Кремле"));
        assert_eq!(meta.published, Some(Utc.with_ymd_and_hms(2026, 3, 11, 5, 15, 0).unwrap()));
        assert_eq!(meta.language.as_deref(), Some("ru"));
        assert_eq!(meta.site_name.as_deref(), Some("TV BRICS"));
    }

    #[test]
    fn page_metadata_falls_back_to_the_title_element() {
        let html = "<html><head><!-- <title>old</title> --><TITLE>Xi &amp; Putin\n meet</TITLE></head></html>";
        let meta = page_metadata(html);
        assert_eq!(meta.title.as_deref(), Some("Xi & Putin meet"));
        assert_eq!(meta.language, None);
        assert_eq!(meta.published, None);
        assert_eq!(page_metadata("<p>no head at all").title, None);
        assert_eq!(page_metadata("<title></title><titlex>").title, None);
    }
}
