//! A feed parser faithful to Python's feedparser 6: RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF and JSON Feed
//! into feedparser's dict shapes (`feed`, `entries`, `title_detail`, `links`, `author_detail`, ...), with
//! its encoding rules (RFC 3023), xml:base/xml:lang tracking, relative URL resolution (also inside embedded
//! HTML) and its two parsers: a strict XML one, and on any well-formedness error (`bozo`) a loose one that
//! keeps whatever can be read.
//!
//! Deliberate differences from feedparser: embedded HTML is not sanitised here (the product sanitises at
//! display time); bytes that are UTF-8 win over a single-byte charset declaration they contradict; an
//! unreadable date leaves no `*_parsed` key (feedparser stores `None`) and adds a warning; JSON Feed
//! content is a list of detail dicts like the XML formats. Pure: no I/O; never panics.
//!
//! Module map: `encoding` (bytes → text, DOCTYPE), `xml` (strict front end), `sgml` (loose tokenizer),
//! `parser` (the shared state machine), `namespaces` (element handlers), `html` + `urls` (embedded HTML
//! re-serialisation and URL resolution), `geo` (GeoRSS/GML), `json` (JSON Feed), `tables` (entity names).

mod encoding;
mod geo;
mod html;
mod json;
mod namespaces;
mod parser;
mod sgml;
mod tables;
mod urls;
mod xml;

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde_json::{Map, Value};

pub use urls::{make_safe_absolute_uri, urljoin};

/// Where the bytes came from: what feedparser learns from the HTTP response.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeedContext<'a> {
    /// The document URL, the base for relative links.
    pub url: Option<&'a str>,
    /// The HTTP `Content-Type`.
    pub content_type: Option<&'a str>,
    /// The HTTP `Content-Location` (resolved against `url`); the base when present.
    pub content_location: Option<&'a str>,
    /// The HTTP `Content-Language`: the default `xml:lang`.
    pub content_language: Option<&'a str>,
}

/// feedparser's result.
#[derive(Debug, Clone, Default)]
pub struct FeedResult {
    pub bozo: bool,
    /// Why the document is bozo (not well-formed at a line, encoding override, non-XML media type, ...).
    pub bozo_exception: Option<String>,
    pub encoding: String,
    /// feedparser's version names: rss090, rss091n, rss091u, rss092, rss093, rss094, rss20, rss10, rss,
    /// atom01, atom02, atom03, atom10, atom, cdf, json1, json11, or "".
    pub version: String,
    pub feed: Map<String, Value>,
    pub entries: Vec<Map<String, Value>>,
    pub namespaces: Map<String, Value>,
    /// Things read but not understood (unreadable dates, charset contradictions).
    pub warnings: Vec<String>,
}

impl FeedResult {
    /// `{"bozo", "bozo_exception", "encoding", "version", "feed", "entries", "namespaces"}`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("bozo".into(), Value::Bool(self.bozo));
        m.insert("bozo_exception".into(), self.bozo_exception.clone().map_or(Value::Null, Value::String));
        m.insert("encoding".into(), Value::String(self.encoding.clone()));
        m.insert("version".into(), Value::String(self.version.clone()));
        m.insert("feed".into(), Value::Object(self.feed.clone()));
        m.insert("entries".into(), Value::Array(self.entries.iter().cloned().map(Value::Object).collect()));
        m.insert("namespaces".into(), Value::Object(self.namespaces.clone()));
        Value::Object(m)
    }
}

/// A date as Python's `time.struct_time` in UTC: `[year, mon, mday, hour, min, sec, wday (Mon=0), yday, 0]`.
pub fn struct_time(dt: &DateTime<Utc>) -> Value {
    Value::Array(
        [
            i64::from(dt.year()),
            i64::from(dt.month()),
            i64::from(dt.day()),
            i64::from(dt.hour()),
            i64::from(dt.minute()),
            i64::from(dt.second()),
            i64::from(dt.weekday().num_days_from_monday()),
            i64::from(dt.ordinal()),
            0,
        ]
        .into_iter()
        .map(Value::from)
        .collect(),
    )
}

/// Parses a feed. Never fails: a hopeless input gives `bozo = true` and empty `feed`/`entries`.
pub fn parse(bytes: &[u8], ctx: &FeedContext<'_>) -> FeedResult {
    let mut result = FeedResult::default();
    if bytes.is_empty() {
        return result;
    }
    if let Some(r) = try_json(bytes, ctx) {
        return r;
    }
    let has_headers = ctx.content_type.is_some() || ctx.content_location.is_some() || ctx.content_language.is_some();
    let converted = encoding::convert(bytes, ctx.content_type, has_headers);
    result.encoding = converted.encoding;
    result.warnings = converted.warnings;
    if let Some(e) = converted.error {
        result.bozo = true;
        result.bozo_exception = Some(e);
    }
    let doctype = encoding::replace_doctype(&converted.text);
    let entities = encoding::entity_map(&doctype.entities);

    let href = ctx.url.unwrap_or("");
    let contentloc = ctx.content_location.map(str::trim).unwrap_or("");
    let mut baseuri = urls::make_safe_absolute_uri(href, Some(contentloc));
    if baseuri.is_empty() {
        baseuri = urls::make_safe_absolute_uri(contentloc, None);
    }
    if baseuri.is_empty() {
        baseuri = href.to_string();
    }
    let baselang = ctx.content_language.map(str::trim);

    let mut strict = parser::Mixin::new(false, &baseuri, baselang, Default::default());
    let mixin = match xml::parse(&doctype.text, &mut strict, &entities) {
        Ok(()) => strict,
        Err(reason) => {
            result.bozo = true;
            result.bozo_exception = Some(reason);
            let mut loose = parser::Mixin::new(true, &baseuri, baselang, entities);
            let pre = sgml::preprocess(&doctype.text);
            sgml::tokenize(&pre, &mut loose);
            loose
        }
    };
    result.version = doctype.version.unwrap_or(mixin.version);
    result.feed = mixin.feeddata;
    result.entries = mixin.entries;
    result.namespaces = mixin.namespaces_in_use;
    result.warnings.extend(mixin.warnings);
    result
}

fn try_json(bytes: &[u8], ctx: &FeedContext<'_>) -> Option<FeedResult> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.trim_start_matches('\u{feff}');
    let is_json_type = ctx.content_type.is_some_and(|t| t.to_lowercase().contains("json"));
    if !text.trim_start().starts_with('{') && !is_json_type {
        return None;
    }
    let mut result = FeedResult { encoding: "utf-8".into(), ..FeedResult::default() };
    match json::parse(text) {
        Ok(f) => {
            result.version = f.version;
            result.feed = f.feed;
            result.entries = f.entries;
            result.warnings = f.warnings;
        }
        Err(e) => {
            result.bozo = true;
            result.bozo_exception = Some(e);
        }
    }
    Some(result)
}

#[cfg(test)]
mod tests;
