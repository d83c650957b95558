//! URL joining the way feedparser does it (Python's `urllib.parse.urljoin` plus feedparser's `_urljoin` and
//! `make_safe_absolute_uri`), and the resolution of relative URLs inside embedded HTML
//! (`RelativeURIResolver`). Pure.

use super::html::HtmlProcessor;

/// The URI schemes feedparser accepts for a base or a resolved URL (`ACCEPTABLE_URI_SCHEMES`).
const ACCEPTABLE_URI_SCHEMES: &[&str] = &[
    "file", "ftp", "gopher", "h323", "hdl", "http", "https", "imap", "magnet", "mailto", "mms", "news", "nntp",
    "prospero", "rsync", "rtsp", "rtspu", "sftp", "shttp", "sip", "sips", "snews", "svn", "svn+ssh", "telnet", "wais",
    "aim", "callto", "cvs", "facetime", "feed", "git", "gtalk", "irc", "ircs", "irc6", "itms", "msnim", "skype", "ssh",
    "smb", "ymsg",
];

/// Schemes whose URLs can be relative (Python's `uses_relative`).
const USES_RELATIVE: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "imap", "wais", "file", "https", "shttp", "mms", "prospero", "rtsp", "rtsps",
    "rtspu", "sftp", "svn", "svn+ssh", "ws", "wss",
];

/// Schemes with a network location (Python's `uses_netloc`).
const USES_NETLOC: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp", "snews",
    "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git", "git+ssh", "ws", "wss",
];

/// (tag, attribute) pairs holding URLs in HTML (`RelativeURIResolver.relative_uris`).
const RELATIVE_URI_ATTRS: &[(&str, &str)] = &[
    ("a", "href"),
    ("applet", "codebase"),
    ("area", "href"),
    ("audio", "src"),
    ("blockquote", "cite"),
    ("body", "background"),
    ("del", "cite"),
    ("form", "action"),
    ("frame", "longdesc"),
    ("frame", "src"),
    ("iframe", "longdesc"),
    ("iframe", "src"),
    ("head", "profile"),
    ("img", "longdesc"),
    ("img", "src"),
    ("img", "usemap"),
    ("input", "src"),
    ("input", "usemap"),
    ("ins", "cite"),
    ("link", "href"),
    ("object", "classid"),
    ("object", "codebase"),
    ("object", "data"),
    ("object", "usemap"),
    ("q", "cite"),
    ("script", "src"),
    ("source", "src"),
    ("video", "poster"),
    ("video", "src"),
];

/// A URL split into its parts (Python's `urlsplit`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Parts {
    scheme: String,
    netloc: Option<String>,
    path: String,
    query: Option<String>,
    fragment: Option<String>,
}

fn is_scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
}

fn split(url: &str, default_scheme: &str) -> Parts {
    let cleaned: String =
        url.trim_start_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\r' | '\n')).collect();
    let mut rest = cleaned.as_str();
    let mut scheme = default_scheme.to_string();
    if let Some(i) = rest.find(':') {
        let candidate = &rest[..i];
        if i > 0 && candidate.starts_with(|c: char| c.is_ascii_alphabetic()) && candidate.chars().all(is_scheme_char) {
            scheme = candidate.to_ascii_lowercase();
            rest = &rest[i + 1..];
        }
    }
    let mut netloc = None;
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        netloc = Some(after[..end].to_string());
        rest = &after[end..];
    }
    let mut fragment = None;
    if let Some(i) = rest.find('#') {
        fragment = Some(rest[i + 1..].to_string());
        rest = &rest[..i];
    }
    let mut query = None;
    if let Some(i) = rest.find('?') {
        query = Some(rest[i + 1..].to_string());
        rest = &rest[..i];
    }
    Parts { scheme, netloc, path: rest.to_string(), query, fragment }
}

fn unsplit(p: &Parts) -> String {
    let mut url = p.path.clone();
    match p.netloc.as_deref() {
        Some(netloc) if !netloc.is_empty() => {
            if !url.is_empty() && !url.starts_with('/') {
                url.insert(0, '/');
            }
            url = format!("//{netloc}{url}");
        }
        _ if url.starts_with("//") => url = format!("//{url}"),
        _ => {}
    }
    if !p.scheme.is_empty() {
        url = format!("{}:{url}", p.scheme);
    }
    if let Some(q) = p.query.as_deref().filter(|q| !q.is_empty()) {
        url.push('?');
        url.push_str(q);
    }
    if let Some(f) = p.fragment.as_deref().filter(|f| !f.is_empty()) {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// Python's `urllib.parse.urljoin`.
pub fn urljoin(base: &str, url: &str) -> String {
    if base.is_empty() {
        return url.to_string();
    }
    if url.is_empty() {
        return base.to_string();
    }
    let b = split(base, "");
    let mut u = split(url, &b.scheme);
    if u.scheme != b.scheme || !USES_RELATIVE.contains(&u.scheme.as_str()) {
        return url.to_string();
    }
    if USES_NETLOC.contains(&u.scheme.as_str()) {
        if u.netloc.as_deref().is_some_and(|n| !n.is_empty()) {
            return unsplit(&u);
        }
        u.netloc.clone_from(&b.netloc);
    }
    if u.path.is_empty() {
        u.path.clone_from(&b.path);
        if u.query.as_deref().is_none_or(str::is_empty) {
            u.query.clone_from(&b.query);
        }
        return unsplit(&u);
    }
    let mut base_parts: Vec<&str> = b.path.split('/').collect();
    if base_parts.last().is_some_and(|s| !s.is_empty()) {
        base_parts.pop();
    }
    let segments: Vec<&str> = if u.path.starts_with('/') {
        u.path.split('/').collect()
    } else {
        let mut all: Vec<&str> = base_parts;
        all.extend(u.path.split('/'));
        // Drop empty inner segments (they would make redundant slashes).
        let n = all.len();
        all.into_iter().enumerate().filter(|(i, s)| *i == 0 || *i == n - 1 || !s.is_empty()).map(|(_, s)| s).collect()
    };
    let mut resolved: Vec<&str> = Vec::new();
    for seg in &segments {
        match *seg {
            ".." => {
                resolved.pop();
            }
            "." => {}
            s => resolved.push(s),
        }
    }
    if segments.last().is_some_and(|s| *s == "." || *s == "..") {
        resolved.push("");
    }
    let joined = resolved.join("/");
    u.path = if joined.is_empty() { "/".to_string() } else { joined };
    unsplit(&u)
}

/// feedparser's `_urljoin`: collapses extra slashes after `scheme://`, then joins.
pub fn fp_urljoin(base: &str, uri: &str) -> String {
    urljoin(base, &fix_scheme_slashes(uri))
}

fn fix_scheme_slashes(uri: &str) -> String {
    let Some(first) = uri.chars().next() else { return String::new() };
    if !first.is_ascii_alphabetic() {
        return uri.to_string();
    }
    let Some(pos) = uri.find("://") else { return uri.to_string() };
    let scheme = &uri[..pos];
    // `[A-Za-z0-9+-.]` in Python's character class is the range `+` to `.`: `+ , - .`.
    if !scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | ',' | '-' | '.')) {
        return uri.to_string();
    }
    let after = &uri[pos + 3..];
    format!("{}{}", &uri[..pos + 3], after.trim_start_matches('/'))
}

fn scheme_of(url: &str) -> String {
    split(url, "").scheme
}

/// feedparser's `make_safe_absolute_uri`: the join of `base` and `rel`, or "" when the result's scheme is not
/// an acceptable one.
pub fn make_safe_absolute_uri(base: &str, rel: Option<&str>) -> String {
    if base.is_empty() {
        return rel.unwrap_or("").to_string();
    }
    let Some(rel) = rel.filter(|r| !r.is_empty()) else {
        let scheme = scheme_of(base);
        return if scheme.is_empty() || ACCEPTABLE_URI_SCHEMES.contains(&scheme.as_str()) {
            base.to_string()
        } else {
            String::new()
        };
    };
    if is_plain_absolute_http(rel) {
        return rel.to_string(); // what the join below would give, without its work
    }
    let uri = fp_urljoin(base, rel);
    let scheme = uri.trim().split(':').next().unwrap_or("");
    if ACCEPTABLE_URI_SCHEMES.contains(&scheme) {
        uri
    } else {
        String::new()
    }
}

/// An absolute http(s) URL that `urljoin` would return as it is: scheme and host present, and nothing that
/// joining normalises (dot segments, empty authority, an empty query or fragment, whitespace or control
/// characters, backslashes).
fn is_plain_absolute_http(value: &str) -> bool {
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let path = rest.find(['/', '?', '#']).map_or("", |i| &rest[i..]);
    !rest.is_empty()
        && !rest.starts_with('/')
        && !value.bytes().any(|b| b <= b' ' || b == b'\\' || b == 0x7f)
        && !value.ends_with(['?', '#'])
        && !value.contains("?#")
        && !path.split(['?', '#']).next().unwrap_or("").split('/').any(|seg| seg == "." || seg == "..")
}

/// Resolves the URLs in the HTML attributes that hold one (`resolve_relative_uris`), re-serialising the HTML
/// the way feedparser's `_BaseHTMLProcessor` does.
pub fn resolve_relative_uris(html: &str, base: &str, content_type: &str) -> String {
    let mut p = HtmlProcessor::new(content_type);
    p.rewrite_attr = Some(Box::new(|tag: &str, attr: &str, value: &str| {
        if RELATIVE_URI_ATTRS.contains(&(tag, attr)) {
            make_safe_absolute_uri(base, Some(value.trim()))
        } else {
            value.to_string()
        }
    }));
    p.feed(html);
    p.output()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_python() {
        assert_eq!(urljoin("http://a/b/c/d;p?q", "g"), "http://a/b/c/g");
        assert_eq!(urljoin("http://a/b/c/d", "../g"), "http://a/b/g");
        assert_eq!(urljoin("http://a/b/c/d", "/g"), "http://a/g");
        assert_eq!(urljoin("http://a/b/c/d", "//x/y"), "http://x/y");
        assert_eq!(urljoin("http://a/b/c/d?q", "#f"), "http://a/b/c/d?q#f");
        assert_eq!(urljoin("http://example.com/", "relative/uri"), "http://example.com/relative/uri");
        assert_eq!(urljoin("http://example.com", "relative/uri"), "http://example.com/relative/uri");
        assert_eq!(urljoin("", "relative"), "relative");
        assert_eq!(urljoin("http://a/b", "mailto:x@y"), "mailto:x@y");
    }

    #[test]
    fn unsafe_schemes_are_refused() {
        assert_eq!(make_safe_absolute_uri("http://a/", Some("javascript:alert(1)")), "");
        assert_eq!(make_safe_absolute_uri("http://a/", Some("x")), "http://a/x");
        assert_eq!(make_safe_absolute_uri("javascript:x", None), "");
        assert_eq!(fp_urljoin("http://a/", "http:////b/c"), "http://b/c");
    }

    #[test]
    fn plain_absolute_urls_are_recognised() {
        assert!(is_plain_absolute_http("https://example.com/a/b?c=d#e"));
        assert!(is_plain_absolute_http("http://example.com"));
        for not_plain in
            ["/x", "x", "https:///x", "https://a/./b", "https://a/b/../c", "https://a/b c", "javascript:x", "HTTP://a/"]
        {
            assert!(!is_plain_absolute_http(not_plain), "{not_plain}");
        }
        // Either way the result is the same.
        for url in ["https://example.com/a/b?c=d#e", "http://example.com/x"] {
            assert_eq!(make_safe_absolute_uri("http://base.example/", Some(url)), url);
        }
    }

    #[test]
    fn html_attributes_are_resolved() {
        let out = resolve_relative_uris("<a href='/x' title=t>y</a><img src=\"i.png\">", "http://h/d/", "text/html");
        assert_eq!(out, "<a href=\"http://h/x\" title=\"t\">y</a><img src=\"http://h/d/i.png\" />");
    }
}
