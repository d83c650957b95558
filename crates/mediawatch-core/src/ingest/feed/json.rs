//! JSON Feed 1 and 1.1, mapped onto the same dict shape as the XML formats (feedparser's `JSONParser`, with
//! content as a list of detail dicts and attachments as `rel="enclosure"` links like the XML formats).

use serde_json::{Map, Value};

use super::parser::Dict;

pub struct JsonFeed {
    pub version: String,
    pub feed: Dict,
    pub entries: Vec<Dict>,
    pub warnings: Vec<String>,
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Parses a JSON Feed; `Err` when the text is not JSON or not a JSON Feed version we know.
pub fn parse(text: &str) -> Result<JsonFeed, String> {
    let data: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = data.as_object().ok_or("a JSON Feed is an object")?;
    let version = match obj.get("version").and_then(Value::as_str).unwrap_or("") {
        "https://jsonfeed.org/version/1" => "json1",
        "https://jsonfeed.org/version/1.1" => "json11",
        other => return Err(format!("unrecognized JSON Feed version '{other}'")),
    };
    let mut out = JsonFeed { version: version.into(), feed: Map::new(), entries: Vec::new(), warnings: Vec::new() };
    for (src, dst) in [("title", "title"), ("home_page_url", "link"), ("description", "subtitle")] {
        if let Some(v) = obj.get(src).and_then(Value::as_str) {
            out.feed.insert(dst.into(), s(v));
        }
    }
    if let Some(icon) = obj.get("icon").and_then(Value::as_str) {
        let mut image = Map::new();
        image.insert("href".into(), s(icon));
        out.feed.insert("image".into(), Value::Object(image));
    }
    if let Some(feed_url) = obj.get("feed_url").and_then(Value::as_str) {
        out.feed.insert("links".into(), Value::Array(vec![link("self", "application/feed+json", feed_url)]));
    }
    author(obj, &mut out.feed);
    if let Some(items) = obj.get("items").and_then(Value::as_array) {
        for item in items.iter().filter_map(Value::as_object) {
            let entry = entry(item, &mut out.warnings);
            out.entries.push(entry);
        }
    }
    Ok(out)
}

fn link(rel: &str, ctype: &str, href: &str) -> Value {
    let mut d = Map::new();
    d.insert("rel".into(), s(rel));
    d.insert("type".into(), s(ctype));
    d.insert("href".into(), s(href));
    Value::Object(d)
}

fn entry(item: &Map<String, Value>, warnings: &mut Vec<String>) -> Dict {
    let mut e = Map::new();
    for (src, dst) in [("title", "title"), ("id", "id"), ("url", "link"), ("summary", "summary")] {
        match item.get(src) {
            Some(Value::String(v)) => {
                e.insert(dst.into(), s(v));
            }
            Some(Value::Number(n)) => {
                e.insert(dst.into(), s(&n.to_string()));
            }
            _ => {}
        }
    }
    let mut links = Vec::new();
    if let Some(url) = item.get("url").and_then(Value::as_str) {
        links.push(link("alternate", "text/html", url));
    }
    if let Some(ext) = item.get("external_url").and_then(Value::as_str) {
        let mut source = Map::new();
        source.insert("href".into(), s(ext));
        e.insert("source".into(), Value::Object(source));
    }
    let content =
        match (item.get("content_html").and_then(Value::as_str), item.get("content_text").and_then(Value::as_str)) {
            (_, Some(text)) => Some(("text/plain", text)),
            (Some(html), None) => Some(("text/html", html)),
            _ => None,
        };
    if let Some((ctype, value)) = content {
        let mut d = Map::new();
        d.insert("type".into(), s(ctype));
        d.insert("language".into(), Value::Null);
        d.insert("base".into(), s(""));
        d.insert("value".into(), s(value));
        e.insert("content".into(), Value::Array(vec![Value::Object(d)]));
        if !e.contains_key("summary") {
            e.insert("summary".into(), s(value));
            e.insert("summary_from_content".into(), Value::Bool(true));
        }
    }
    for (src, dst) in [("date_published", "published"), ("date_modified", "updated")] {
        if let Some(v) = item.get(src).and_then(Value::as_str) {
            e.insert(dst.into(), s(v));
            match crate::ingest::dates::parse_date(v) {
                Some(dt) => {
                    e.insert(format!("{dst}_parsed"), super::struct_time(&dt));
                }
                None => warnings.push(format!("unreadable date in {src}: {v:?}")),
            }
        }
    }
    if let Some(tags) = item.get("tags").and_then(Value::as_array) {
        let list: Vec<Value> = tags
            .iter()
            .filter_map(Value::as_str)
            .map(|t| {
                let mut d = Map::new();
                d.insert("term".into(), s(t));
                d.insert("scheme".into(), Value::Null);
                d.insert("label".into(), Value::Null);
                Value::Object(d)
            })
            .collect();
        e.insert("tags".into(), Value::Array(list));
    }
    author(item, &mut e);
    if let Some(atts) = item.get("attachments").and_then(Value::as_array) {
        for a in atts.iter().filter_map(Value::as_object) {
            let Some(url) = a.get("url").and_then(Value::as_str) else { continue };
            let mut d = Map::new();
            d.insert("rel".into(), s("enclosure"));
            d.insert("href".into(), s(url));
            if let Some(t) = a.get("mime_type").and_then(Value::as_str) {
                d.insert("type".into(), s(t));
            }
            if let Some(n) = a.get("size_in_bytes") {
                d.insert("length".into(), n.clone());
            }
            links.push(Value::Object(d));
        }
    }
    if !links.is_empty() {
        e.insert("links".into(), Value::Array(links));
    }
    e
}

fn author(parent: &Map<String, Value>, dest: &mut Dict) {
    let author = parent
        .get("author")
        .and_then(Value::as_object)
        .or_else(|| parent.get("authors").and_then(Value::as_array).and_then(|l| l.first()).and_then(Value::as_object));
    let Some(a) = author else { return };
    let mut detail = Map::new();
    if let Some(name) = a.get("name").and_then(Value::as_str) {
        detail.insert("name".into(), s(name));
        dest.insert("author".into(), s(name));
    }
    if let Some(url) = a.get("url").and_then(Value::as_str) {
        match url.strip_prefix("mailto:") {
            Some(email) => detail.insert("email".into(), s(email)),
            None => detail.insert("href".into(), s(url)),
        };
    }
    dest.insert("authors".into(), Value::Array(vec![Value::Object(detail.clone())]));
    dest.insert("author_detail".into(), Value::Object(detail));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_feed_maps_to_the_feed_shape() {
        let f = parse(
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"T","home_page_url":"https://e.org/",
               "items":[{"id":1,"content_html":"<p>x</p>","url":"https://e.org/1","tags":["a"],
               "date_published":"2020-01-02T03:04:05Z","attachments":[{"url":"https://e.org/a.mp3","mime_type":"audio/mpeg"}]}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.version, "json11");
        assert_eq!(f.feed["title"], "T");
        let e = &f.entries[0];
        assert_eq!(e["id"], "1");
        assert_eq!(e["content"][0]["value"], "<p>x</p>");
        assert_eq!(e["published_parsed"][0], 2020);
        assert_eq!(e["links"][1]["rel"], "enclosure");
        assert!(parse("{\"version\":\"x\"}").is_err());
    }
}
