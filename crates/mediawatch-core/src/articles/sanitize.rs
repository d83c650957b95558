//! HTML for display: what the reader may show of an article's HTML, whatever the feed or page put in it.
//! ammonia (html5ever's parser, an allow-list) removes scripts, event handlers, `javascript:`/`data:` and
//! other non-web URLs, iframes, forms, embedded objects and all `style` (nothing can overlay the UI); links
//! become absolute (against the article's URL) and open with `rel="noopener noreferrer nofollow"`. Images
//! are kept but not loaded: their `src` moves to `data-remote-src`, which the UI turns back into `src` only
//! when the analyst allows remote images. Pure.

use std::collections::HashSet;

use url::Url;

/// The attribute that holds a remote image's URL until the analyst allows remote images.
pub const REMOTE_SRC: &str = "data-remote-src";

/// Sanitises `html` for display; `base` (the article's URL) makes relative links absolute, and without
/// it relative links are dropped.
pub fn display_html(html: &str, base: Option<&str>) -> String {
    let base = base.and_then(|b| Url::parse(b).ok()).filter(|u| matches!(u.scheme(), "http" | "https"));
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true);
    match base {
        Some(base) => builder.url_relative(ammonia::UrlRelative::RewriteWithBase(base)),
        None => builder.url_relative(ammonia::UrlRelative::Deny),
    };
    let clean = builder.clean(html).to_string();
    defer_images(&clean)
}

/// Renames `src` to [`REMOTE_SRC`] (and drops `srcset`) inside every `<img>` start tag of ammonia's
/// serialised output, reading attribute values quote-aware.
fn defer_images(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        out.push_str(&rest[..at]);
        let tag_start = at;
        // Find the end of the tag, skipping `>` inside quoted values.
        let bytes = rest.as_bytes();
        let mut i = tag_start + 4;
        let mut quote: Option<u8> = None;
        while i < bytes.len() {
            match (quote, bytes[i]) {
                (None, b'"' | b'\'') => quote = Some(bytes[i]),
                (Some(q), b) if b == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            i += 1;
        }
        let end = (i + 1).min(rest.len());
        out.push_str(&rewrite_img_tag(&rest[tag_start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn rewrite_img_tag(tag: &str) -> String {
    // ammonia writes attributes as ` name="value"`, values with `"` escaped.
    let mut out = String::with_capacity(tag.len() + 16);
    let mut rest = tag;
    while let Some(at) = rest.find(" src=\"").or_else(|| rest.find(" srcset=\"")) {
        out.push_str(&rest[..at]);
        let is_srcset = rest[at..].starts_with(" srcset=");
        let value_start = at + if is_srcset { 9 } else { 6 };
        let value_end = rest[value_start..].find('"').map_or(rest.len(), |e| value_start + e);
        if !is_srcset {
            out.push(' ');
            out.push_str(REMOTE_SRC);
            out.push_str("=\"");
            out.push_str(&rest[value_start..value_end]);
            out.push('"');
        }
        rest = &rest[(value_end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// Whether sanitised HTML is safe to show: no script element, no event-handler attribute, no
/// `javascript:`, `vbscript:` or `data:` URL, no style. The check the conformance harness applies to
/// feedparser's sanitiser cases.
pub fn is_safe(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    if rest.contains("<script") || rest.contains("<iframe") || rest.contains("<style") || rest.contains("<object") {
        return false;
    }
    while let Some(at) = rest.find('<') {
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..tag_end];
        let attrs = tag.split_whitespace().skip(1);
        for attr in attrs {
            let name = attr.split('=').next().unwrap_or_default();
            if name.starts_with("on") || name == "style" {
                return false;
            }
        }
        if ["javascript:", "vbscript:", "=\"data:", "='data:"].iter().any(|bad| tag.contains(bad)) {
            return false;
        }
        rest = &rest[tag_end..];
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_dangerous_urls_go() {
        let dirty = r#"<p onclick="steal()" style="position:fixed;top:0">Putin met <b>Wang Yi</b>
            <script>alert(1)</script><a href="javascript:alert(2)">x</a><a href="data:text/html,hi">y</a>
            <iframe src="https://evil.example/"></iframe><form action="/x"><input name="q"></form></p>"#;
        let clean = display_html(dirty, Some("https://news.example/world/a.html"));
        assert!(is_safe(&clean), "{clean}");
        assert!(clean.contains("Putin met <b>Wang Yi</b>"), "{clean}");
        assert!(!clean.contains("<form") && !clean.contains("<input"), "{clean}");
        assert!(!is_safe(dirty));
    }

    #[test]
    fn links_become_absolute_and_images_wait_for_permission() {
        let html = r#"<a href="../b.html">more</a> <img src="/img/1.jpg" srcset="/img/2.jpg 2x" alt="a > b">"#;
        let clean = display_html(html, Some("https://news.example/world/a.html"));
        assert!(clean.contains(r#"href="https://news.example/b.html""#), "{clean}");
        assert!(clean.contains(r#"rel="noopener noreferrer nofollow""#), "{clean}");
        assert!(clean.contains(r#"data-remote-src="https://news.example/img/1.jpg""#), "{clean}");
        assert!(!clean.contains(" src=") && !clean.contains("srcset"), "{clean}");
        assert!(clean.contains(r#"alt="a &gt; b""#), "{clean}");
        // Without a base, relative links cannot be resolved and are dropped.
        let no_base = display_html(html, None);
        assert!(!no_base.contains("b.html") && !no_base.contains("/img/1.jpg"), "{no_base}");
    }
}
