//! The state machine shared by the strict (XML) and loose (SGML) front ends: a port of feedparser's
//! `_FeedParserMixin` (element stack, xml:base and xml:lang stacks, content parameters, where each value is
//! stored). The per-element handlers are in `namespaces.rs`.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{html, sgml, tables, urls};

pub type Dict = Map<String, Value>;

/// Namespace URIs (lower case) and the prefix feedparser gives them (`_FeedParserMixin.namespaces`).
const NAMESPACES: &[(&str, &str)] = &[
    ("", ""),
    ("http://backend.userland.com/rss", ""),
    ("http://blogs.law.harvard.edu/tech/rss", ""),
    ("http://purl.org/rss/1.0/", ""),
    ("http://my.netscape.com/rdf/simple/0.9/", ""),
    ("http://example.com/newformat#", ""),
    ("http://example.com/necho", ""),
    ("http://purl.org/echo/", ""),
    ("uri/of/echo/namespace#", ""),
    ("http://purl.org/pie/", ""),
    ("http://purl.org/atom/ns#", ""),
    ("http://www.w3.org/2005/atom", ""),
    ("http://purl.org/rss/1.0/modules/rss091#", ""),
    ("http://webns.net/mvcb/", "admin"),
    ("http://purl.org/rss/1.0/modules/aggregation/", "ag"),
    ("http://purl.org/rss/1.0/modules/annotate/", "annotate"),
    ("http://media.tangent.org/rss/1.0/", "audio"),
    ("http://backend.userland.com/blogchannelmodule", "blogChannel"),
    ("http://creativecommons.org/ns#license", "cc"),
    ("http://web.resource.org/cc/", "cc"),
    ("http://cyber.law.harvard.edu/rss/creativecommonsrssmodule.html", "creativeCommons"),
    ("http://backend.userland.com/creativecommonsrssmodule", "creativeCommons"),
    ("http://purl.org/rss/1.0/modules/company", "co"),
    ("http://purl.org/rss/1.0/modules/content/", "content"),
    ("http://my.theinfo.org/changed/1.0/rss/", "cp"),
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://purl.org/dc/terms/", "dcterms"),
    ("http://purl.org/rss/1.0/modules/email/", "email"),
    ("http://purl.org/rss/1.0/modules/event/", "ev"),
    ("http://rssnamespace.org/feedburner/ext/1.0", "feedburner"),
    ("http://freshmeat.net/rss/fm/", "fm"),
    ("http://xmlns.com/foaf/0.1/", "foaf"),
    ("http://www.w3.org/2003/01/geo/wgs84_pos#", "geo"),
    ("http://www.georss.org/georss", "georss"),
    ("http://www.opengis.net/gml", "gml"),
    ("http://postneo.com/icbm/", "icbm"),
    ("http://purl.org/rss/1.0/modules/image/", "image"),
    ("http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://example.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://purl.org/rss/1.0/modules/link/", "l"),
    ("http://search.yahoo.com/mrss", "media"),
    ("http://search.yahoo.com/mrss/", "media"),
    ("http://madskills.com/public/xml/rss/module/pingback/", "pingback"),
    ("http://prismstandard.org/namespaces/1.2/basic/", "prism"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"),
    ("http://www.w3.org/2000/01/rdf-schema#", "rdfs"),
    ("http://purl.org/rss/1.0/modules/reference/", "ref"),
    ("http://purl.org/rss/1.0/modules/richequiv/", "reqv"),
    ("http://purl.org/rss/1.0/modules/search/", "search"),
    ("http://purl.org/rss/1.0/modules/slash/", "slash"),
    ("http://schemas.xmlsoap.org/soap/envelope/", "soap"),
    ("http://purl.org/rss/1.0/modules/servicestatus/", "ss"),
    ("http://hacks.benhammersley.com/rss/streaming/", "str"),
    ("http://purl.org/rss/1.0/modules/subscription/", "sub"),
    ("http://purl.org/rss/1.0/modules/syndication/", "sy"),
    ("http://schemas.pocketsoap.com/rss/mydescmodule/", "szf"),
    ("http://purl.org/rss/1.0/modules/taxonomy/", "taxo"),
    ("http://purl.org/rss/1.0/modules/threading/", "thr"),
    ("http://purl.org/rss/1.0/modules/textinput/", "ti"),
    ("http://madskills.com/public/xml/rss/module/trackback/", "trackback"),
    ("http://wellformedweb.org/commentapi/", "wfw"),
    ("http://purl.org/rss/1.0/modules/wiki/", "wiki"),
    ("http://www.w3.org/1999/xhtml", "xhtml"),
    ("http://www.w3.org/1999/xlink", "xlink"),
    ("http://www.w3.org/xml/1998/namespace", "xml"),
    ("http://podlove.org/simple-chapters", "psc"),
];

/// feedparser's canonical prefix for a namespace URI (compared in lower case).
pub fn canonical_prefix(uri: &str) -> Option<&'static str> {
    let lower = uri.to_lowercase();
    NAMESPACES.iter().find(|(u, _)| *u == lower).map(|(_, p)| *p)
}

const CAN_BE_RELATIVE_URI: &[&str] =
    &["comments", "docs", "href", "icon", "id", "link", "logo", "url", "wfw_comment", "wfw_commentrss"];
const CAN_CONTAIN_RELATIVE_URIS: &[&str] =
    &["content", "copyright", "description", "info", "rights", "subtitle", "summary", "tagline", "title"];

/// Keys FeedParserDict stores under another name (`keymap`, first target).
pub fn alias_for_set(key: &str) -> &str {
    match key {
        "channel" => "feed",
        "items" => "entries",
        "guid" => "id",
        "date" | "modified" => "updated",
        "date_parsed" | "modified_parsed" => "updated_parsed",
        "description" => "summary",
        "description_detail" => "summary_detail",
        "url" => "href",
        "issued" => "published",
        "issued_parsed" => "published_parsed",
        "copyright" => "rights",
        "copyright_detail" => "rights_detail",
        "tagline" => "subtitle",
        "tagline_detail" => "subtitle_detail",
        other => other,
    }
}

/// `key in d` for a FeedParserDict (aliases included).
pub fn fp_contains(d: &Dict, key: &str) -> bool {
    match key {
        "description" => d.contains_key("summary") || d.contains_key("subtitle"),
        "description_detail" => d.contains_key("summary_detail") || d.contains_key("subtitle_detail"),
        "url" => d.contains_key("href") || d.contains_key("url"),
        _ => d.contains_key(alias_for_set(key)) || d.contains_key(key),
    }
}

/// `d[key] = value` for a FeedParserDict.
pub fn fp_set(d: &mut Dict, key: &str, value: Value) {
    d.insert(alias_for_set(key).to_string(), value);
}

/// `d.setdefault(key, value)` for a FeedParserDict; returns the stored value.
pub fn fp_setdefault<'d>(d: &'d mut Dict, key: &str, value: Value) -> &'d mut Value {
    let real = alias_for_set(key).to_string();
    d.entry(real).or_insert(value)
}

/// Which dict `_get_context` answers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ctx {
    Source,
    Image,
    TextInput,
    Entry,
    Feed,
}

pub struct Elem {
    pub name: String,
    pub expecting_text: bool,
    pub pieces: Vec<String>,
}

/// The GML geometry being read (`ingeometry`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Geometry {
    None,
    Point,
    LineString,
    Polygon,
}

pub struct Mixin {
    pub loose: bool,
    pub feeddata: Dict,
    pub entries: Vec<Dict>,
    pub depth_map: Vec<HashMap<String, i64>>,
    pub version: String,
    pub namespaces_in_use: Dict,
    pub namespacemap: HashMap<Option<String>, String>,
    pub infeed: bool,
    pub inentry: bool,
    pub incontent: i32,
    pub intextinput: bool,
    pub inimage: bool,
    pub inauthor: bool,
    pub incontributor: bool,
    pub inpublisher: bool,
    pub insource: bool,
    pub sourcedata: Dict,
    pub contentparams: Dict,
    pub summary_key: Option<String>,
    pub elementstack: Vec<Elem>,
    pub basestack: Vec<String>,
    pub langstack: Vec<Option<String>>,
    pub baseuri: String,
    pub lang: Option<String>,
    pub svg_ok: i32,
    pub title_depth: i64,
    pub depth: i64,
    pub has_content: bool,
    pub guidislink: bool,
    pub ingeometry: Geometry,
    pub psc_chapters_flag: bool,
    /// Safe entities from the DOCTYPE (loose parser only).
    pub entities: HashMap<String, String>,
    pub warnings: Vec<String>,
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Python's `str.strip()` (Unicode whitespace).
pub fn py_strip(v: &str) -> &str {
    v.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

pub fn xml_escape(v: &str) -> String {
    v.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// feedparser's `map_content_type`.
pub fn map_content_type(t: &str) -> String {
    let t = t.to_lowercase();
    match t.as_str() {
        "text" | "plain" => "text/plain".into(),
        "html" => "text/html".into(),
        "xhtml" => "application/xhtml+xml".into(),
        _ => t,
    }
}

fn is_html_type(t: &str) -> bool {
    t == "application/xhtml+xml" || t == "text/html"
}

/// Python's lenient `base64.decodebytes` (non-alphabet characters ignored); `None` when the padding is wrong.
pub fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let mut vals = Vec::with_capacity(input.len());
    let mut pad = 0;
    for c in input.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                if vals.len() % 4 >= 2 && vals.len() % 4 + pad >= 4 {
                    break;
                }
                continue;
            }
            _ => continue,
        };
        vals.push(v);
    }
    if vals.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        let mut acc: u32 = 0;
        for (i, v) in chunk.iter().enumerate() {
            acc |= u32::from(*v) << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// feedparser's `looks_like_html`.
pub fn looks_like_html(v: &str) -> bool {
    let has_close = has_close_tag(v);
    let has_ref = has_any_reference(v);
    if !has_close && !has_ref {
        return false;
    }
    // All tags must be acceptable elements.
    let mut rest = v;
    while let Some(p) = rest.find('<') {
        let after = rest[p + 1..].strip_prefix('/').unwrap_or(&rest[p + 1..]);
        let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !tables::acceptable_element(&name.to_lowercase()) {
            return false;
        }
        rest = &rest[p + 1..];
    }
    // All named entities must be HTML entities.
    let mut rest = v;
    while let Some(p) = rest.find('&') {
        let after = &rest[p + 1..];
        let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && after[name.len()..].starts_with(';') && crate::ingest::entities::html4(&name).is_none() {
            return false;
        }
        rest = after;
    }
    true
}

fn has_close_tag(v: &str) -> bool {
    let mut rest = v;
    while let Some(p) = rest.find("</") {
        let after = &rest[p + 2..];
        let n = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
        if n > 0 && after[n..].starts_with('>') {
            return true;
        }
        rest = after;
    }
    false
}

fn has_any_reference(v: &str) -> bool {
    let mut rest = v;
    while let Some(p) = rest.find('&') {
        let after = rest[p + 1..].strip_prefix('#').unwrap_or(&rest[p + 1..]);
        let n = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
        if n > 0 && after[n..].starts_with(';') {
            return true;
        }
        rest = &rest[p + 1..];
    }
    false
}

/// `re.sub("&([A-Za-z0-9_]+);", r"&\g<1>", v)`.
fn fix_query_refs(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..=p]);
        let after = &rest[p + 1..];
        let n = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        if n > 0 && after[n..].starts_with(';') {
            out.push_str(&after[..n]);
            rest = &after[n + 1..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// feedparser's mojibake repair: text that is UTF-8 read as Latin-1 is decoded again.
fn repair_latin1_utf8(v: String) -> String {
    if v.is_ascii() || v.chars().any(|c| c as u32 > 0xff) {
        return v;
    }
    let bytes: Vec<u8> = v.chars().map(|c| c as u32 as u8).collect();
    match String::from_utf8(bytes) {
        Ok(fixed) => fixed,
        Err(_) => v,
    }
}

fn translate_cp1252(v: String) -> String {
    if !v.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return v;
    }
    v.chars().map(|c| html::cp1252(c as u32).unwrap_or(c)).collect()
}

impl Mixin {
    pub fn new(loose: bool, baseuri: &str, baselang: Option<&str>, entities: HashMap<String, String>) -> Self {
        let mut feeddata = Dict::new();
        let lang = baselang.map(str::to_string).filter(|l| !l.is_empty());
        if let Some(l) = &lang {
            feeddata.insert("language".into(), s(&l.replace('_', "-")));
        }
        Mixin {
            loose,
            feeddata,
            entries: Vec::new(),
            depth_map: Vec::new(),
            version: String::new(),
            namespaces_in_use: Dict::new(),
            namespacemap: HashMap::new(),
            infeed: false,
            inentry: false,
            incontent: 0,
            intextinput: false,
            inimage: false,
            inauthor: false,
            incontributor: false,
            inpublisher: false,
            insource: false,
            sourcedata: Dict::new(),
            contentparams: Dict::new(),
            summary_key: None,
            elementstack: Vec::new(),
            basestack: Vec::new(),
            langstack: Vec::new(),
            baseuri: baseuri.to_string(),
            lang,
            svg_ok: 0,
            title_depth: -1,
            depth: 0,
            has_content: false,
            guidislink: false,
            ingeometry: Geometry::None,
            psc_chapters_flag: false,
            entities,
            warnings: Vec::new(),
        }
    }

    // ---- contexts ------------------------------------------------------------------------------------

    pub fn ctx_kind(&self) -> Ctx {
        if self.insource {
            Ctx::Source
        } else if self.inimage && self.feeddata.contains_key("image") {
            Ctx::Image
        } else if self.intextinput {
            Ctx::TextInput
        } else if self.inentry && !self.entries.is_empty() {
            Ctx::Entry
        } else {
            Ctx::Feed
        }
    }

    pub fn ctx(&mut self) -> &mut Dict {
        let kind = self.ctx_kind();
        self.ctx_of(kind)
    }

    pub fn ctx_of(&mut self, kind: Ctx) -> &mut Dict {
        match kind {
            Ctx::Source => &mut self.sourcedata,
            Ctx::Image | Ctx::TextInput => {
                let key = if kind == Ctx::Image { "image" } else { "textinput" };
                let slot = self.feeddata.entry(key.to_string()).or_insert_with(|| Value::Object(Dict::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Dict::new());
                }
                match slot {
                    Value::Object(m) => m,
                    // Not reached: the slot was just made an object.
                    _ => &mut self.sourcedata,
                }
            }
            Ctx::Entry => match self.entries.last_mut() {
                Some(e) => e,
                None => &mut self.feeddata,
            },
            Ctx::Feed => &mut self.feeddata,
        }
    }

    /// `_save(key, value, overwrite)`.
    pub fn save(&mut self, key: &str, value: Value, overwrite: bool) {
        let c = self.ctx();
        if overwrite || !fp_contains(c, key) {
            fp_set(c, key, value);
        }
    }

    /// Stores a date and its parsed form (`_save(key_parsed, _parse_date(value), overwrite=True)`).
    pub fn save_date(&mut self, key: &str, value: Option<String>) {
        let parsed_key = format!("{key}_parsed");
        let value = value.unwrap_or_default();
        match crate::ingest::dates::parse_date(&value) {
            Some(dt) => {
                let v = super::struct_time(&dt);
                self.save(&parsed_key, v, true);
            }
            None => {
                if !value.trim().is_empty() {
                    self.warnings.push(format!("unreadable date in <{key}>: {value:?}"));
                }
                let c = self.ctx();
                c.remove(alias_for_set(&parsed_key));
            }
        }
    }

    // ---- the element stack ---------------------------------------------------------------------------

    pub fn push(&mut self, element: &str, expecting_text: bool) {
        self.elementstack.push(Elem { name: element.to_string(), expecting_text, pieces: Vec::new() });
    }

    pub fn handle_data(&mut self, text: &str, escape: bool) {
        let xhtml = self.ctype() == Some("application/xhtml+xml");
        let Some(top) = self.elementstack.last_mut() else { return };
        if escape && xhtml {
            top.pieces.push(xml_escape(text));
        } else {
            top.pieces.push(text.to_string());
        }
    }

    pub fn ctype(&self) -> Option<&str> {
        self.contentparams.get("type").and_then(Value::as_str)
    }

    fn cp_flag(&self, key: &str) -> bool {
        match self.contentparams.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_i64().unwrap_or(0) != 0,
            _ => false,
        }
    }

    pub fn pop(&mut self, element: &str) -> Option<String> {
        self.pop_ws(element, true)
    }

    pub fn pop_ws(&mut self, element: &str, strip_whitespace: bool) -> Option<String> {
        if self.elementstack.last().is_none_or(|e| e.name != element) {
            return None;
        }
        let elem = self.elementstack.pop()?;
        let mut pieces = elem.pieces;
        if self.version == "atom10" && self.ctype().unwrap_or("text") == "application/xhtml+xml" {
            strip_enclosing_div(&mut pieces);
        }
        let mut output = pieces.concat();
        if strip_whitespace {
            output = py_strip(&output).to_string();
        }
        if !elem.expecting_text {
            return Some(output);
        }
        let is_base64 = self.cp_flag("base64");
        if is_base64 {
            if let Some(decoded) = base64_decode(&output).and_then(|b| String::from_utf8(b).ok()) {
                output = decoded;
            }
        }
        if CAN_BE_RELATIVE_URI.contains(&element) && !output.is_empty() && (element != "id" || self.guidislink) {
            output = urls::fp_urljoin(&self.baseuri, &output);
        }
        if !is_base64 {
            output = self.decode_entities(output);
        }
        if !self.version.starts_with("atom") && self.ctype() == Some("text/plain") && looks_like_html(&output) {
            self.contentparams.insert("type".into(), s("text/html"));
        }
        self.contentparams.remove("mode");
        self.contentparams.remove("base64");
        let ctype = self.ctype().unwrap_or("text/html").to_string();
        if is_html_type(&map_content_type(&ctype)) && CAN_CONTAIN_RELATIVE_URIS.contains(&element) {
            output = urls::resolve_relative_uris(&output, &self.baseuri, &ctype);
        }
        output = translate_cp1252(repair_latin1_utf8(output));
        if matches!(element, "category" | "tags" | "itunes_keywords") {
            return Some(output);
        }
        if element == "title" && -1 < self.title_depth && self.title_depth <= self.depth {
            return Some(output);
        }
        self.store(element, &output);
        Some(output)
    }

    fn detail(&self, value: &str) -> Value {
        let mut cp = self.contentparams.clone();
        cp.insert("value".into(), s(value));
        Value::Object(cp)
    }

    fn store(&mut self, element: &str, output: &str) {
        if self.inentry && !self.insource && !self.entries.is_empty() {
            let detail = self.detail(output);
            let depth = self.depth;
            let idx = self.entries.len() - 1;
            let inimage = self.inimage;
            let incontent = self.incontent > 0;
            let Some(entry) = self.entries.last_mut() else { return };
            if element == "content" {
                if let Value::Array(list) = fp_setdefault(entry, "content", Value::Array(Vec::new())) {
                    list.push(detail);
                }
            } else if element == "link" {
                if !inimage {
                    let fixed = fix_query_refs(&output.replace("&amp;", "&"));
                    entry.insert("link".into(), s(&fixed));
                    if !fixed.is_empty() {
                        set_last_link_href(entry, &fixed);
                    }
                }
            } else {
                let element = if element == "description" { "summary" } else { element };
                if self.depth_map.len() <= idx {
                    self.depth_map.resize_with(idx + 1, HashMap::new);
                }
                let map = &mut self.depth_map[idx];
                let old = map.get(element).copied();
                if old.is_none_or(|d| depth <= d) {
                    map.insert(element.to_string(), depth);
                    fp_set(entry, element, s(output));
                }
                if incontent {
                    fp_set(entry, &format!("{element}_detail"), detail);
                }
            }
        } else if self.infeed || self.insource {
            let detail = self.detail(output);
            let incontent = self.incontent > 0;
            let element = if element == "description" { "subtitle" } else { element };
            let c = self.ctx();
            fp_set(c, element, s(output));
            if element == "link" {
                let fixed = fix_query_refs(output);
                fp_set(c, "link", s(&fixed));
                set_last_link_href(c, &fixed);
            } else if incontent {
                fp_set(c, &format!("{element}_detail"), detail);
            }
        }
    }

    fn decode_entities(&self, data: String) -> String {
        if !self.loose {
            return data;
        }
        let mut d = data;
        for (from, to) in [
            ("&#60;", "&lt;"),
            ("&#x3c;", "&lt;"),
            ("&#x3C;", "&lt;"),
            ("&#62;", "&gt;"),
            ("&#x3e;", "&gt;"),
            ("&#x3E;", "&gt;"),
            ("&#38;", "&amp;"),
            ("&#x26;", "&amp;"),
            ("&#34;", "&quot;"),
            ("&#x22;", "&quot;"),
            ("&#39;", "&apos;"),
            ("&#x27;", "&apos;"),
        ] {
            if d.contains(from) {
                d = d.replace(from, to);
            }
        }
        if !self.ctype().unwrap_or("xml").ends_with("xml") {
            for (from, to) in [
                ("&lt;", "<"),
                ("&gt;", ">"),
                ("&amp;", "&"),
                ("&quot;", "\""),
                ("&apos;", "'"),
                ("&#x2f;", "/"),
                ("&#x2F;", "/"),
            ] {
                if d.contains(from) {
                    d = d.replace(from, to);
                }
            }
        }
        d
    }

    pub fn push_content(&mut self, tag: &str, attrs: &Dict, default_type: &str, expecting_text: bool) {
        self.incontent += 1;
        if let Some(l) = &self.lang {
            self.lang = Some(l.replace('_', "-"));
        }
        let ctype = map_content_type(attrs.get("type").and_then(Value::as_str).unwrap_or(default_type));
        let mut cp = Dict::new();
        cp.insert("type".into(), s(&ctype));
        cp.insert("language".into(), self.lang.as_deref().map_or(Value::Null, s));
        cp.insert("base".into(), s(&self.baseuri));
        let b64 = attrs.get("mode").and_then(Value::as_str) == Some("base64")
            || !(ctype.starts_with("text/") || ctype.ends_with("+xml") || ctype.ends_with("/xml"));
        cp.insert("base64".into(), Value::Bool(b64));
        self.contentparams = cp;
        self.push(tag, expecting_text);
    }

    pub fn pop_content(&mut self, tag: &str) -> Option<String> {
        let value = self.pop(tag);
        self.incontent -= 1;
        self.contentparams.clear();
        value
    }

    // ---- namespaces ----------------------------------------------------------------------------------

    pub fn track_namespace(&mut self, prefix: Option<&str>, uri: &str) {
        let mut uri = uri.to_string();
        let mut lower = uri.to_lowercase();
        if self.version.is_empty() {
            if prefix.is_none() && lower == "http://my.netscape.com/rdf/simple/0.9/" {
                self.version = "rss090".into();
            } else if lower == "http://purl.org/rss/1.0/" {
                self.version = "rss10".into();
            } else if lower == "http://www.w3.org/2005/atom" {
                self.version = "atom10".into();
            }
        }
        if lower.contains("backend.userland.com/rss") {
            uri = "http://backend.userland.com/rss".into();
            lower.clone_from(&uri);
        }
        match canonical_prefix(&lower) {
            Some(p) => {
                self.namespacemap.insert(prefix.map(str::to_string), p.to_string());
                self.namespaces_in_use.insert(p.to_string(), s(&uri));
            }
            None => {
                self.namespaces_in_use.insert(prefix.unwrap_or("").to_string(), s(&uri));
            }
        }
    }

    /// `namespacemap.get(prefix, prefix)` (the mapping of a tag's prefix).
    fn map_prefix(&self, prefix: &str) -> String {
        self.namespacemap.get(&Some(prefix.to_string())).cloned().unwrap_or_else(|| prefix.to_string())
    }

    /// `_map_to_standard_prefix` for attribute names (`rdf:resource` whatever the feed calls rdf).
    pub fn get_attribute<'d>(&self, attrs: &'d Dict, name: &str) -> Option<&'d str> {
        let mapped = match name.split_once(':') {
            Some((p, l)) => format!("{}:{l}", self.map_prefix(p)),
            None => name.to_string(),
        };
        attrs.get(&mapped).and_then(Value::as_str)
    }

    fn strattrs(&self, attrs: &[(String, String)]) -> String {
        attrs
            .iter()
            .map(|(k, v)| {
                let v = if self.loose { v.replace('"', "&quot;") } else { xml_escape(v).replace('"', "&quot;") };
                format!(" {k}=\"{v}\"")
            })
            .collect()
    }

    // ---- start and end tags --------------------------------------------------------------------------

    pub fn unknown_starttag(&mut self, tag: &str, attrs: Vec<(String, String)>) {
        self.depth += 1;
        let attrs: Vec<(String, String)> = attrs
            .into_iter()
            .map(|(k, v)| {
                let k = k.to_lowercase();
                let v = if k == "rel" || k == "type" { v.to_lowercase() } else { v };
                let v = if self.loose { v.replace("&amp;", "&") } else { v };
                (k, v)
            })
            .collect();
        let mut attrs_d = Dict::new();
        for (k, v) in &attrs {
            attrs_d.insert(k.clone(), s(v));
        }
        let get = |k: &str| attrs_d.get(k).and_then(Value::as_str).map(str::to_string);
        let base_attr = get("xml:base").or_else(|| get("base")).filter(|b| !b.is_empty());
        let baseuri = base_attr.unwrap_or_else(|| self.baseuri.clone());
        if self.baseuri.is_empty() {
            self.baseuri = urls::fp_urljoin(&self.baseuri, &baseuri);
        } else {
            let joined = urls::make_safe_absolute_uri(&self.baseuri, Some(&baseuri));
            if !joined.is_empty() {
                self.baseuri = joined;
            }
        }
        let lang = match get("xml:lang").or_else(|| get("lang")) {
            Some(l) if l.is_empty() => None,
            Some(l) => Some(l),
            None => self.lang.clone(),
        };
        if let Some(l) = lang.as_deref().filter(|l| !l.is_empty()) {
            if matches!(tag, "feed" | "rss" | "rdf:RDF") {
                self.feeddata.insert("language".into(), s(&l.replace('_', "-")));
            }
        }
        self.lang.clone_from(&lang);
        self.basestack.push(self.baseuri.clone());
        self.langstack.push(lang);

        for (k, v) in &attrs {
            if let Some(p) = k.strip_prefix("xmlns:") {
                self.track_namespace(Some(p), v);
            } else if k == "xmlns" {
                self.track_namespace(None, v);
            }
        }

        let mut attrs = attrs;
        if self.incontent > 0 && !self.ctype().unwrap_or("xml").ends_with("xml") {
            if tag == "xhtml:div" || tag == "div" {
                return;
            }
            self.contentparams.insert("type".into(), s("application/xhtml+xml"));
        }
        if self.incontent > 0 && self.ctype() == Some("application/xhtml+xml") {
            let mut local = tag;
            if let Some((prefix, rest)) = tag.split_once(':') {
                local = rest;
                let ns = self.namespaces_in_use.get(prefix).and_then(Value::as_str).unwrap_or("").to_string();
                if (local == "math" && ns == "http://www.w3.org/1998/Math/MathML")
                    || (local == "svg" && ns == "http://www.w3.org/2000/svg")
                {
                    attrs.push(("xmlns".into(), ns));
                }
            }
            if local == "svg" {
                self.svg_ok += 1;
            }
            let text = format!("<{local}{}>", self.strattrs(&attrs));
            self.handle_data(&text, false);
            return;
        }

        let (prefix, suffix) = tag.split_once(':').unwrap_or(("", tag));
        let mut prefix = self.map_prefix(prefix);
        if !prefix.is_empty() {
            prefix.push('_');
        }
        if prefix.is_empty() && !matches!(tag, "title" | "link" | "description" | "name") {
            self.intextinput = false;
        }
        if prefix.is_empty() && !matches!(tag, "title" | "link" | "description" | "url" | "href" | "width" | "height") {
            self.inimage = false;
        }
        let name = format!("{prefix}{suffix}");
        if !self.start_handler(&name.to_lowercase(), &mut attrs_d) {
            if attrs_d.is_empty() {
                self.push(&name, true);
            } else {
                fp_set(self.ctx(), &name, Value::Object(attrs_d));
            }
        }
    }

    pub fn unknown_endtag(&mut self, tag: &str) {
        let (prefix, suffix) = tag.split_once(':').unwrap_or(("", tag));
        let mut prefix = self.map_prefix(prefix);
        if !prefix.is_empty() {
            prefix.push('_');
        }
        if suffix == "svg" && self.svg_ok > 0 {
            self.svg_ok -= 1;
        }
        let name = format!("{prefix}{suffix}");
        if self.svg_ok > 0 || !self.end_handler(&name.to_lowercase()) {
            self.pop(&name);
        }
        if self.incontent > 0 && !self.ctype().unwrap_or("xml").ends_with("xml") {
            if tag == "xhtml:div" || tag == "div" {
                return;
            }
            self.contentparams.insert("type".into(), s("application/xhtml+xml"));
        }
        if self.incontent > 0 && self.ctype() == Some("application/xhtml+xml") {
            let local = tag.rsplit(':').next().unwrap_or(tag);
            self.handle_data(&format!("</{local}>"), false);
        }
        if self.basestack.pop().is_some() {
            if let Some(b) = self.basestack.last().filter(|b| !b.is_empty()) {
                self.baseuri.clone_from(b);
            }
        }
        if self.langstack.pop().is_some() {
            if let Some(l) = self.langstack.last() {
                self.lang.clone_from(l);
            }
        }
        self.depth -= 1;
    }

    pub fn handle_charref(&mut self, r: &str) {
        if self.elementstack.is_empty() {
            return;
        }
        let r = r.to_lowercase();
        let text = if matches!(r.as_str(), "34" | "38" | "39" | "60" | "62" | "x22" | "x26" | "x27" | "x3c" | "x3e") {
            format!("&#{r};")
        } else {
            let code = match r.strip_prefix('x') {
                Some(h) => u32::from_str_radix(h, 16).ok(),
                None => r.parse::<u32>().ok(),
            };
            match code.and_then(char::from_u32) {
                Some(c) => c.to_string(),
                None => format!("&#{r};"),
            }
        };
        self.handle_data(&text, false);
    }

    pub fn handle_entityref(&mut self, r: &str) {
        if self.elementstack.is_empty() {
            return;
        }
        let text = if matches!(r, "lt" | "gt" | "quot" | "amp" | "apos") {
            format!("&{r};")
        } else if let Some(v) = self.entities.get(r) {
            if v.starts_with("&#") && v.ends_with(';') {
                format!("&{v};")
            } else {
                v.clone()
            }
        } else if let Some(c) = crate::ingest::entities::html4(r) {
            c.to_string()
        } else {
            format!("&{r};")
        };
        self.handle_data(&text, false);
    }
}

fn set_last_link_href(c: &mut Dict, href: &str) {
    if let Some(Value::Array(links)) = c.get_mut("links") {
        if let Some(Value::Object(last)) = links.last_mut() {
            last.insert("href".into(), s(href));
        }
    }
}

/// Atom 1.0 XHTML content: drops an enclosing `<div>` when all the content is inside it.
fn strip_enclosing_div(pieces: &mut Vec<String>) {
    while pieces.len() > 1 && pieces.last().is_some_and(|p| py_strip(p).is_empty()) {
        pieces.pop();
    }
    while pieces.len() > 1 && pieces.first().is_some_and(|p| py_strip(p).is_empty()) {
        pieces.remove(0);
    }
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else { return };
    if !((first == "<div>" || first.starts_with("<div ")) && last == "</div>") {
        return;
    }
    let mut depth = 0;
    for piece in &pieces[..pieces.len() - 1] {
        if piece.starts_with("</") {
            depth -= 1;
            if depth == 0 {
                return;
            }
        } else if piece.starts_with('<') && !piece.ends_with("/>") {
            depth += 1;
        }
    }
    pieces.remove(0);
    pieces.pop();
}

/// The loose front end: feedparser's `LooseFeedParser` over the SGML tokenizer.
impl sgml::SgmlHandler for Mixin {
    fn start_tag(&mut self, tag: &str, attrs: Vec<(String, String)>) {
        self.unknown_starttag(tag, attrs);
    }
    fn end_tag(&mut self, tag: &str) {
        self.unknown_endtag(tag);
    }
    fn data(&mut self, text: &str) {
        self.handle_data(text, true);
    }
    fn charref(&mut self, name: &str) {
        self.handle_charref(name);
    }
    fn entityref(&mut self, name: &str) {
        self.handle_entityref(name);
    }
    fn comment(&mut self, _text: &str) {}
    fn pi(&mut self, _text: &str) {}
    fn declaration(&mut self, raw: &str, i: usize) -> Option<usize> {
        let rest = &raw[i..];
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let Some(end) = body.find("]]>") else { return Some(raw.len()) };
            let escaped = xml_escape(&body[..end]);
            self.handle_data(&escaped, false);
            return Some(i + 9 + end + 3);
        }
        rest.find('>').map(|p| i + p + 1)
    }
    fn xhtml_mode(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_behave_like_feedparser() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("aGVs\nbG8=").as_deref(), Some(&b"hello"[..]));
        assert!(looks_like_html("<b>bold</b>"));
        assert!(!looks_like_html("a < b"));
        assert!(!looks_like_html("<foo>x</foo>"));
        assert_eq!(fix_query_refs("a=1&b;=2&amp;c"), "a=1&b=2&ampc");
        assert_eq!(repair_latin1_utf8("don\u{e2}\u{80}\u{99}t".to_string()), "don\u{2019}t");
        let mut p = vec!["<div>".to_string(), "x".into(), "</div>".into()];
        strip_enclosing_div(&mut p);
        assert_eq!(p, vec!["x"]);
    }
}
