//! Full-text article extraction: a fetched page's bytes → its title, byline, publication time, language,
//! site name, canonical URL and the article body as clean paragraphs (and as HTML).
//!
//! The extractor was chosen by measuring (the `readability` and `chinese` conformance suites, shingle F1):
//! `dom_smoothie` (a port of Readability.js) finds the article. Around it: the bytes are decoded by
//! [`crate::ingest::decode::decode`] (BOM → HTTP charset → `<meta>` → detection), the language is read from the text
//! ([`crate::articles::lang::article_language`]), the publication time falls back to the page's `<head>`
//! ([`crate::ingest::discover::page_metadata`]), and `<link rel=canonical>` is kept only when it stays on the site.
//! Pure; never panics (a panic inside the HTML machinery becomes an [`Error::Parse`]).

use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{DateTime, Utc};
use dom_smoothie::{Config, Readability, TextMode};
use encoding_rs::{Encoding, BIG5, EUC_JP, EUC_KR, GBK, SHIFT_JIS};
use serde::Serialize;
use url::Url;

use crate::error::{Error, Result};

/// What [`extract`] reads from an article page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extracted {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// ISO 639-1 code where one exists (see [`crate::articles::lang`]).
    pub lang: Option<String>,
    pub site_name: Option<String>,
    /// The page's `<link rel=canonical>` when it is on the same site, normalised by [`crate::ingest::urlnorm::canonical`].
    pub canonical_url: Option<String>,
    /// The encoding the bytes were decoded with (WHATWG name, lower case).
    pub encoding: String,
    /// The article body as plain text: paragraphs separated by a blank line, whitespace folded inside each.
    pub text: String,
    /// The article body as HTML (not sanitised for display: pass it through [`crate::articles::sanitize`] first).
    pub html: String,
}

/// Extracts the article from a page. `url` is the page's address (relative links are resolved against it and
/// the canonical link is checked against its host); `content_type` is the HTTP `Content-Type` header.
///
/// # Errors
/// [`Error::Parse`] when the page has no readable article.
pub fn extract(html_bytes: &[u8], url: Option<&str>, content_type: Option<&str>) -> Result<Extracted> {
    let (html, encoding) = decode_page(html_bytes, content_type);
    // dom_smoothie only accepts absolute http(s) URLs; anything else is treated as "no URL".
    let page_url = url.and_then(|u| Url::parse(u.trim()).ok()).filter(|u| matches!(u.scheme(), "http" | "https"));
    let outcome = catch_unwind(AssertUnwindSafe(|| read_article(&html, page_url.as_ref())));
    let mut extracted = match outcome {
        Ok(result) => result?,
        Err(_) => return Err(Error::Parse("the page could not be read as HTML".to_string())),
    };
    extracted.encoding = encoding;
    Ok(extracted)
}

/// Encodings a CJK page is written in, tried when detection settled on a single-byte encoding.
const CJK_ENCODINGS: [&Encoding; 5] = [GBK, BIG5, SHIFT_JIS, EUC_KR, EUC_JP];

/// At most one malformed sequence per this many non-ASCII characters for a CJK reading to be taken.
const CJK_MAX_ERROR_RATE: usize = 200;

/// Decodes the page with [`crate::ingest::decode::decode`], then second-guesses one case it gets wrong: a Chinese
/// (Japanese, Korean) page with a few corrupt bytes — a truncated character, a stray byte — makes the detector
/// rule the multi-byte encodings out and fall back on a single-byte one that never fails (windows-1252), which
/// turns the whole page into mojibake. When the bytes read as a CJK encoding with at most one malformed
/// sequence per 200 non-ASCII characters and mostly CJK characters, that reading is taken (the declared
/// encoding first) and the few malformed sequences are dropped rather than shown as U+FFFD.
fn decode_page<'a>(bytes: &'a [u8], content_type: Option<&str>) -> (std::borrow::Cow<'a, str>, String) {
    let (text, encoding, _) = crate::ingest::decode::decode_borrowed(bytes, content_type);
    let name = || encoding.name().to_ascii_lowercase();
    if !encoding.is_single_byte() || bytes.iter().filter(|b| !b.is_ascii()).count() < 100 {
        return (text, name());
    }
    let declared =
        crate::ingest::decode::declared_in_document(bytes).and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    let candidates = declared.into_iter().filter(|d| CJK_ENCODINGS.contains(d)).chain(CJK_ENCODINGS);
    for enc in candidates {
        let (cjk_text, _) = enc.decode_without_bom_handling(bytes);
        let (mut non_ascii, mut cjk, mut errors) = (0usize, 0usize, 0usize);
        for c in cjk_text.chars().filter(|c| !c.is_ascii()) {
            non_ascii += 1;
            if c == '\u{FFFD}' {
                errors += 1;
            } else if is_cjk(c) {
                cjk += 1;
            }
        }
        if errors * CJK_MAX_ERROR_RATE <= non_ascii && cjk * 10 >= non_ascii * 8 {
            let cjk_text = if errors > 0 { cjk_text.replace('\u{FFFD}', "") } else { cjk_text.into_owned() };
            return (cjk_text.into(), enc.name().to_ascii_lowercase());
        }
    }
    (text, name())
}

/// Han, kana, hangul and the CJK punctuation and full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Words in a class or id that mark a box that is never the article, whatever the extractor's scores say.
const FURNITURE_WORDS: [&str; 4] = ["cookie", "consent", "gdpr", "newsletter"];

/// A box longer than this is not a banner, whatever its class.
const MAX_FURNITURE_CHARS: usize = 1500;

/// The page parsed, its furniture removed, ready for Readability; and the page's `<link rel=canonical>`.
fn prepared(html: &str, page_url: Option<&Url>) -> Result<(Readability, Option<String>)> {
    // The text block by block, read from the DOM (the vendored dom_smoothie's `TextMode::Blocks`).
    let cfg = Config { text_mode: TextMode::Blocks, ..Default::default() };
    let readability = Readability::new(html, page_url.map(Url::as_str), Some(cfg))
        .map_err(|e| Error::Parse(format!("the page could not be read: {e}")))?;
    // Consent and cookie banners, newsletter and share boxes: Readability.js keeps a banner whose class it does
    // not know ("cookie", "consent") when it sits next to the article.
    // Only small boxes: a page may put such a class on a wrapper of everything (`<body class="has-cookie-bar">`).
    // One walk over the elements' attributes, which also finds the canonical link (selectors cost 5 %).
    let (mut marked, mut canonical, mut lower) = (Vec::new(), None, String::new());
    for node in readability.doc.root().descendants_it() {
        let furniture = node.query_or(false, |n| {
            let Some(el) = n.as_element() else { return false };
            let name: &str = &el.name.local;
            let attr = |key: &str| el.attrs.iter().find(|a| &*a.name.local == key).map(|a| &*a.value);
            if name == "link"
                && canonical.is_none()
                && attr("rel").is_some_and(|r| r.split_ascii_whitespace().any(|t| t.eq_ignore_ascii_case("canonical")))
            {
                canonical = attr("href").map(str::to_string);
            }
            name == "dialog"
                || attr("aria-modal") == Some("true")
                || ["class", "id"].iter().filter_map(|k| attr(k)).any(|v| {
                    lower.clear();
                    lower.push_str(v);
                    lower.make_ascii_lowercase();
                    FURNITURE_WORDS.iter().any(|w| lower.contains(w))
                })
        });
        if furniture {
            marked.push(node);
        }
    }
    for node in marked {
        let wrapper = ["html", "body", "main", "article"].iter().any(|n| node.has_name(n));
        if !wrapper && node.text().chars().count() <= MAX_FURNITURE_CHARS {
            node.remove_from_parent();
        }
    }
    Ok((readability, canonical))
}

fn read_article(html: &str, page_url: Option<&Url>) -> Result<Extracted> {
    let stripped = strip_inert(html);
    let (mut readability, canonical_href) = prepared(&stripped, page_url)?;
    // Readability tries again with looser rules when an attempt finds too little; the page is parsed again
    // for such a retry rather than copied before every first attempt (most pages need one).
    let mut rebuild = || prepared(&stripped, page_url).ok().map(|(again, _)| again.doc);
    let article = readability
        .parse_rebuilding(&mut rebuild)
        .map_err(|e| Error::Parse(format!("the page has no readable article ({e})")))?;
    // The text block by block (dom_smoothie's own formatted text runs a `<figcaption>` into the next paragraph).
    let content = article.content.to_string();
    let text = article.text_content.to_string();
    if !text.chars().any(char::is_alphanumeric) {
        return Err(Error::Parse("the page has no readable article (no body text found)".to_string()));
    }
    let title = non_empty(&article.title);
    let published = article.published_time.as_deref().and_then(parse_time);
    let site_name = article.site_name.as_deref().and_then(non_empty);
    // The `<head>`'s own metadata fills what Readability did not find (read only then: it is another parse).
    let head = if title.is_none() || published.is_none() || site_name.is_none() || article.lang.is_none() {
        crate::ingest::discover::page_metadata(head_of(html))
    } else {
        crate::ingest::discover::PageMeta::default()
    };
    let declared_lang = article.lang.as_deref().or(head.language.as_deref()).map(str::to_string);
    Ok(Extracted {
        title: title.or(head.title),
        byline: article.byline.as_deref().and_then(non_empty).map(|b| clean_byline(&b)).filter(|b| !b.is_empty()),
        published: published.or(head.published),
        lang: crate::articles::lang::article_language(&text, declared_lang.as_deref()),
        site_name: site_name.or(head.site_name),
        canonical_url: canonical_href.and_then(|href| same_site_canonical(&href, page_url)),
        encoding: String::new(),
        text,
        html: content,
    })
}

/// The page as Readability needs it, in one pass: without its scripts (JSON-LD kept: it carries the article's
/// metadata), style sheets and comments, which Readability removes before it reads anything, and inline SVG
/// drawings (icons, logos: paths without text, which the display sanitiser drops anyway). On
/// mozilla/readability's test pages these are half of the bytes; not tokenizing them and not building them
/// into the DOM saves about a third of an extraction.
///
/// Also, a line break inside a run of whitespace (indentation: `\n` and spaces) becomes a space, except inside
/// `<pre>`, `<textarea>`, `<listing>` and `<xmp>`. html5ever stops at every line break, so indentation made
/// it take the page a few characters at a time; a run of spaces it reads at once. The run keeps its length
/// (`\r\n` counts as the one character html5ever makes of it), so everything Readability measures — text
/// lengths for its byline, sibling and density checks, which folding the runs would change — stays the same,
/// and so does every text read from the page (runs of whitespace fold to one space there).
fn strip_inert(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    // Sized once: growing a buffer of megabytes copies it and maps fresh pages each time.
    let mut out = String::with_capacity(html.len());
    // `out` holds the page up to `last`, rewritten; `i` is the scan position.
    let (mut last, mut i) = (0, 0);
    while let Some(off) = memchr::memchr2(b'<', b'\n', &b[i..]) {
        let at = i + off;
        if b[at] == b'\n' {
            let cr = at > 0 && b[at - 1] == b'\r';
            let before = if cr { at - 1 } else { at };
            let in_run =
                (before > 0 && is_html_space(b[before - 1])) || b.get(at + 1).is_some_and(|&c| is_html_space(c));
            if in_run {
                out.push_str(&html[last..before]);
                out.push(' ');
                last = at + 1;
            }
            i = at + 1;
            continue;
        }
        i = at;
        let rest = &b[i + 1..];
        if rest.starts_with(b"!--") {
            // A comment ends at the first `-->` (or `--!>`); an unclosed one runs to the end, as in a browser.
            let end = find_from(html, i + 4, "-->").map_or(b.len(), |e| e + 3);
            let end = html[i + 4..end].find("--!>").map_or(end, |e| i + 4 + e + 4);
            out.push_str(&html[last..i]);
            last = end;
            i = end;
            continue;
        }
        if !matches!(rest.first().map(u8::to_ascii_lowercase), Some(b's' | b'p' | b't' | b'l' | b'x')) {
            i += 1;
            continue;
        }
        let Some(name) = ["script", "style", "svg", "pre", "textarea", "listing", "xmp"].into_iter().find(|n| {
            rest.len() > n.len()
                && rest[..n.len()].eq_ignore_ascii_case(n.as_bytes())
                && matches!(rest[n.len()], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/')
        }) else {
            i += 1;
            continue;
        };
        let Some(open_end) = find_from(html, i, ">").map(|o| o + 1) else { break };
        let close = close_tag_end(html, open_end, name);
        let keep = match name {
            "script" => html[i..open_end].to_ascii_lowercase().contains("ld+json"),
            "style" | "svg" => false,
            _ => true,
        };
        if !keep {
            out.push_str(&html[last..i]);
            last = close;
        }
        i = close;
    }
    if last == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[last.min(html.len())..]);
    std::borrow::Cow::Owned(out)
}

/// HTML's ASCII whitespace.
fn is_html_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn find_from(html: &str, from: usize, needle: &str) -> Option<usize> {
    html.get(from..)?.find(needle).map(|o| from + o)
}

/// The end of the element `name` whose content starts at `from`: just past its `</name …>`, or the page's end.
fn close_tag_end(html: &str, from: usize, name: &str) -> usize {
    let start = crate::ingest::discover::find_end_tag(html, from, name);
    find_from(html, start, ">").map_or(html.len(), |g| g + 1)
}

/// The page up to the end of its `<head>` (where the metadata lives), or its first 64 KiB when no `</head>`
/// is found in the first 512 KiB: scanning a whole body for `<meta>` tags cost a tenth of an extraction.
fn head_of(html: &str) -> &str {
    let window = &html.as_bytes()[..html.len().min(512 * 1024)];
    let end = memchr::memmem::find_iter(window, b"</")
        .find(|&i| window.get(i..i + 7).is_some_and(|w| w.eq_ignore_ascii_case(b"</head>")))
        .map_or(html.len().min(64 * 1024), |i| i + 7);
    let mut end = end.min(html.len());
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    &html[..end]
}

/// "By Anna Petrova" → "Anna Petrova" (also `Автор:`, `作者：`, `文/`).
fn clean_byline(byline: &str) -> String {
    let b = byline.trim();
    for prefix in ["by ", "автор:", "автор ", "текст:", "作者：", "作者:", "记者：", "记者 ", "文/", "文／"]
    {
        if b.len() > prefix.len() && b.is_char_boundary(prefix.len()) && b[..prefix.len()].to_lowercase() == prefix {
            return b[prefix.len()..].trim().to_string();
        }
    }
    b.to_string()
}

fn non_empty(s: &str) -> Option<String> {
    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!folded.is_empty()).then_some(folded)
}

/// A time as pages write it: RFC 3339 / ISO 8601 first, then the feed date parser's forms.
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).ok().or_else(|| crate::ingest::dates::parse_date(s))
}

/// The canonical link, resolved against the page, when it is on the page's site (same host, or one host a
/// subdomain of the other: `www.example.com` and `example.com`). Without a page URL only an absolute link
/// is taken.
fn same_site_canonical(href: &str, page_url: Option<&Url>) -> Option<String> {
    let href = href.trim();
    let resolved = match page_url {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    if let Some(page) = page_url {
        let (a, b) = (page.host_str()?.to_ascii_lowercase(), resolved.host_str()?.to_ascii_lowercase());
        let a = a.trim_end_matches('.');
        let b = b.trim_end_matches('.');
        let related = a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}"));
        // A bare public suffix ("co.uk", "com") is not a site of its own.
        let shorter = if a.len() < b.len() { a } else { b };
        if !related || !shorter.contains('.') {
            return None;
        }
    }
    crate::ingest::urlnorm::canonical(resolved.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str =
        "<p>The river authority said on Tuesday that the new flood barrier, built over three years at a \
        cost of forty million pounds, had held back the highest tide recorded in the town since 1953, sparing \
        hundreds of homes along the old quay.</p>\
        <p>Engineers had raised the wall by a metre after the last winter storms, when water reached the steps of \
        the market hall and closed the bridge for two days, and residents had complained about the noise of the \
        works for most of the summer.</p>\
        <p>The mayor thanked the crews who stayed on the embankment through the night, watching the gauges and \
        clearing the drains, and promised that the footpath along the river would reopen before the spring \
        festival brings its usual crowds.</p>";

    fn page(head: &str, article: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">{head}</head><body>\
             <nav class=\"menu\"><ul><li><a href=\"/\">Home</a></li><li><a href=\"/news\">News section index</a></li>\
             <li><a href=\"/sport\">Sport pages</a></li></ul></nav>\
             <article><h1>Flood barrier holds back record tide</h1>{article}</article>\
             <aside class=\"related\"><h3>Related stories</h3><ul><li><a href=\"/a\">Bridge closed after storm damage \
             on the coast road</a></li><li><a href=\"/b\">Council approves new car park plans</a></li></ul></aside>\
             <div id=\"comments\" class=\"comments\"><p class=\"comment\">First! Great piece, really enjoyed it.</p></div>\
             <footer class=\"site-footer\"><p>Copyright Riverside Gazette. All rights reserved. Privacy policy.</p>\
             </footer></body></html>"
        )
    }

    #[test]
    fn keeps_the_article_and_drops_the_page_furniture() {
        let html = page("<title>Flood barrier holds back record tide | Riverside Gazette</title>", BODY);
        let x = extract(html.as_bytes(), Some("https://www.gazette.example/news/flood"), None).unwrap();
        assert!(x.text.contains("highest tide recorded in the town since 1953"), "{}", x.text);
        assert!(x.text.contains("reopen before the spring festival"), "{}", x.text);
        assert!(x.text.matches("\n\n").count() >= 2, "paragraphs: {}", x.text);
        for furniture in
            ["News section index", "Related stories", "Council approves", "Great piece", "All rights reserved"]
        {
            assert!(!x.text.contains(furniture), "{furniture} kept: {}", x.text);
        }
        assert!(x.html.contains("<p>"), "{}", x.html);
        assert_eq!(x.lang.as_deref(), Some("en"));
        assert_eq!(x.encoding, "utf-8");
    }

    #[test]
    fn title_byline_date_and_site_name() {
        let head = "<title>Flood barrier holds back record tide - Riverside Gazette</title>\
            <meta name=\"author\" content=\"Ann Example\">\
            <meta property=\"og:site_name\" content=\"Riverside Gazette\">\
            <meta property=\"article:published_time\" content=\"2024-03-05T07:30:00+01:00\">";
        let x = extract(page(head, BODY).as_bytes(), Some("https://gazette.example/news/flood"), None).unwrap();
        assert_eq!(x.title.as_deref(), Some("Flood barrier holds back record tide"));
        assert_eq!(x.byline.as_deref(), Some("Ann Example"));
        assert_eq!(x.site_name.as_deref(), Some("Riverside Gazette"));
        assert_eq!(x.published.map(|p| p.to_rfc3339()).as_deref(), Some("2024-03-05T06:30:00+00:00"));
    }

    #[test]
    fn date_from_json_ld() {
        let head = "<title>Flood barrier</title><script type=\"application/ld+json\">{\"@context\": \
            \"https://schema.org\", \"@type\": \"NewsArticle\", \"headline\": \"Flood barrier holds back record \
            tide\", \"datePublished\": \"2023-11-02T18:00:00Z\"}</script>";
        let x = extract(page(head, BODY).as_bytes(), None, None).unwrap();
        assert_eq!(x.published.map(|p| p.to_rfc3339()).as_deref(), Some("2023-11-02T18:00:00+00:00"));
    }

    #[test]
    fn scripts_and_styles_go_before_parsing_json_ld_stays() {
        let html = "<html><head><STYLE>p{}</STYLE><script type=\"application/ld+json\">{\"a\":1}</script>\
            <script>if (a < b) document.write('</p>');</script ></head><body><p>Text</p><scripts>x</scripts>\
            <script src=x.js></script><style>unclosed";
        assert_eq!(
            strip_inert(html),
            "<html><head><script type=\"application/ld+json\">{\"a\":1}</script></head><body><p>Text</p><scripts>x</scripts>"
        );
        assert!(matches!(strip_inert("<p>no scripts</p>\n<p>one space</p>"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn comments_go_and_line_breaks_in_indentation_become_spaces() {
        let html =
            "<div>\n    <p>One\ntwo\t\n\nthree</p><!-- <script>x</script> -->\r\n  <p a=\"b\nc\">four<!--x--!>five</p>\
            <pre>  code\n    indented</pre >\n\n<PRE class=x>a\n\n b</PRE>\r\n<textarea>\n  t\n</textarea><!-- open";
        assert_eq!(
            strip_inert(html),
            "<div>     <p>One\ntwo\t  three</p>   <p a=\"b\nc\">fourfive</p><pre>  code\n    indented</pre >  \
             <PRE class=x>a\n\n b</PRE>\r\n<textarea>\n  t\n</textarea>"
        );
        // The page reads as the original.
        let page = page("<title>t</title>", &BODY.replace("</p><p>", "</p>\n\n        <p>"));
        let folded = extract(page.as_bytes(), None, None).unwrap();
        let plain = extract(page.replace("\n\n        ", " ").as_bytes(), None, None).unwrap();
        assert_eq!(folded.text, plain.text);
    }

    #[test]
    fn a_retry_with_looser_rules_reads_the_page_again() {
        // The only text sits in a box Readability's first attempt drops as unlikely ("sidebar"); the retry
        // without that rule must start from the whole page again (rebuilt by parsing, not copied).
        let html = "<html><head><title>Flood barrier</title></head><body><div class=\"sidebar\">\
            <p>The river authority said on Tuesday that the new flood barrier had held back the highest tide \
            recorded in the town since 1953, sparing hundreds of homes along the old quay.</p></div></body></html>";
        let x = extract(html.as_bytes(), Some("https://gazette.example/n/1"), None).unwrap();
        assert!(x.text.contains("sparing hundreds of homes along the old quay"), "{}", x.text);
    }

    #[test]
    fn canonical_kept_on_the_same_site_only() {
        let head = "<title>t</title><link rel=\"canonical\" href=\"/news/flood-barrier?utm_source=rss\">";
        let x = extract(page(head, BODY).as_bytes(), Some("https://www.gazette.example/n/1"), None).unwrap();
        assert_eq!(x.canonical_url.as_deref(), Some("https://www.gazette.example/news/flood-barrier"));
        let head = "<title>t</title><link rel=\"canonical\" href=\"https://gazette.example/news/flood-barrier\">";
        let x = extract(page(head, BODY).as_bytes(), Some("https://www.gazette.example/n/1"), None).unwrap();
        assert_eq!(x.canonical_url.as_deref(), Some("https://gazette.example/news/flood-barrier"));
        let head = "<title>t</title><link rel=\"canonical\" href=\"https://aggregator.example/copy/123\">";
        let x = extract(page(head, BODY).as_bytes(), Some("https://www.gazette.example/n/1"), None).unwrap();
        assert_eq!(x.canonical_url, None);
    }

    #[test]
    fn gbk_without_a_charset_label_decodes_cleanly() {
        let text = "<html><head><title>长江防洪工程通过验收</title></head><body><div class=\"content\">\
            <p>水利部门星期二表示，历时三年建设的新防洪堤经受住了今年最高的潮水，保护了沿江数百户居民的房屋和商铺。</p>\
            <p>工程师们在去年冬季风暴之后将堤坝加高了一米，当时江水漫到了市场大厅的台阶，大桥也因此关闭了两天。</p>\
            <p>市长感谢了整夜守在堤岸上的工作人员，他们观察水位、清理排水沟，并承诺沿江步道将在春节前重新开放。</p>\
            </div></body></html>";
        let (bytes, _, _) = GBK.encode(text);
        let x = extract(&bytes, None, Some("text/html")).unwrap();
        assert_eq!(x.encoding, "gbk");
        assert!(!x.text.contains('\u{FFFD}'));
        assert!(x.text.contains("新防洪堤经受住了今年最高的潮水"), "{}", x.text);
        assert_eq!(x.lang.as_deref(), Some("zh"));
    }

    #[test]
    fn a_gbk_page_with_a_corrupt_byte_is_not_read_as_windows_1252() {
        let text = "<html><body><div><p>水利部门星期二表示，历时三年建设的新防洪堤经受住了今年最高的潮水，保护了沿江数百户居民的房屋。\
            工程师们在去年冬季风暴之后将堤坝加高了一米，当时江水漫到了市场大厅的台阶，大桥也因此关闭了两天。\
            市长感谢了整夜守在堤岸上的工作人员，他们观察水位、清理排水沟，并承诺沿江步道将在春节前重新开放。</p>";
        // Long enough a page that two bad sequences are rare in it.
        let mut bytes = GBK.encode(&text.repeat(4)).0.into_owned();
        // A character cut in half at the end of a crawled page, and a stray lead byte before ASCII.
        bytes.extend_from_slice(b"<p>\x81 ok</p></div></body></html>\xB0");
        let x = extract(&bytes, None, None).unwrap();
        assert_eq!(x.encoding, "gbk");
        assert!(!x.text.contains('\u{FFFD}'));
        assert!(x.text.contains("新防洪堤经受住了今年最高的潮水"), "{}", x.text);
    }

    #[test]
    fn latin_pages_stay_single_byte() {
        let text = "<html><head><meta charset=\"windows-1252\"></head><body><p>Le café était fermé, \
            mais l'été dernier les élèves y passaient leurs après-midis à réviser. Très agréable, même en hiver, \
            près de la fenêtre où l'on voyait la forêt et les collines éloignées.</p></body></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let x = extract(&bytes, None, None).unwrap();
        assert_eq!(x.encoding, "windows-1252");
        assert!(x.text.contains("Le café était fermé"), "{}", x.text);
    }

    #[test]
    fn no_article_is_a_parse_error_and_nothing_panics() {
        for input in [&b""[..], b"<html><body></body></html>", b"\xFF\xFE\x00", b"<<<>>>&&&;", b"<p"] {
            match extract(input, Some("not a url"), Some("text/html; charset=bogus")) {
                Err(Error::Parse(msg)) => assert!(!msg.is_empty()),
                Err(e) => panic!("unexpected error {e}"),
                Ok(x) => assert!(!x.text.is_empty()),
            }
        }
    }
}
