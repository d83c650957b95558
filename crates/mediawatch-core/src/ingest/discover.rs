//! Feed discovery: what to try when an analyst pastes a news site's page URL instead of a feed URL.
//!
//! [`sniff`] says what fetched bytes are (feed, sitemap, sitemap index, HTML page); [`feed_links`] lists the
//! feeds an HTML page advertises; [`candidate_feed_urls`] lists the conventional feed locations to try when it
//! advertises none; [`page_metadata`] reads a page's own `<head>`. A site with no feed is followed through its
//! news sitemap ([`super::sitemap`]).
//!
//! Pure: no I/O. The fetch module fetches; these functions decide what the bytes are and what to fetch next.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8};
use url::Url;

use super::sitemap::parse_w3c_datetime;

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
            .and_then(|d| parse_w3c_datetime(&d).or_else(|| crate::ingest::dates::parse_date(&d))),
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
        let text = collapse_whitespace(&crate::ingest::entities::decode(&html[open_end..close]));
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
            attrs.push((name, crate::ingest::entities::decode(value)));
        }
    }
}

pub(super) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn is_http(url: &Url) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL")
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
