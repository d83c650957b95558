//! The per-element handlers of feedparser (`namespaces/_base.py`, `dc.py`, `itunes.py`, `mediarss.py`,
//! `georss.py`, `psc.py`, `cc.py`): what each start and end tag does to the feed and entry dicts.

use serde_json::{Map, Value};

use super::parser::{fp_contains, fp_set, fp_setdefault, map_content_type, py_strip, Ctx, Dict, Geometry, Mixin};
use super::{geo, urls};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn opt(v: Option<&str>) -> Value {
    v.map_or(Value::Null, s)
}

fn attr<'d>(attrs: &'d Dict, key: &str) -> Option<&'d str> {
    attrs.get(key).and_then(Value::as_str)
}

/// `_enforce_href`: `url` or `uri` become `href`.
fn enforce_href(attrs: &mut Dict) {
    let href = attr(attrs, "url").or_else(|| attr(attrs, "uri")).or_else(|| attr(attrs, "href")).map(str::to_string);
    if let Some(h) = href.filter(|h| !h.is_empty()) {
        attrs.remove("url");
        attrs.remove("uri");
        attrs.insert("href".into(), s(&h));
    }
}

fn obj(v: &mut Value) -> Option<&mut Dict> {
    v.as_object_mut()
}

impl Mixin {
    /// Calls the start handler for `name` (`prefix_local`, lower case); false when there is none.
    pub fn start_handler(&mut self, name: &str, attrs: &mut Dict) -> bool {
        match name {
            "rss" => self.start_rss(attrs),
            "channel" => {
                self.infeed = true;
                self.cdf_common(attrs);
            }
            "feed" => {
                self.infeed = true;
                if self.version.is_empty() {
                    self.version = match attr(attrs, "version") {
                        Some("0.1") => "atom01",
                        Some("0.2") => "atom02",
                        Some("0.3") => "atom03",
                        _ => "atom",
                    }
                    .into();
                }
            }
            "image" => {
                if !self.inentry {
                    fp_setdefault(self.ctx(), "image", Value::Object(Map::new()));
                }
                self.inimage = true;
                self.title_depth = -1;
                self.push("image", false);
            }
            "textinput" => {
                fp_setdefault(self.ctx(), "textinput", Value::Object(Map::new()));
                self.intextinput = true;
                self.title_depth = -1;
                self.push("textinput", false);
            }
            "author" | "managingeditor" | "dc_author" | "dc_creator" | "itunes_author" => {
                self.inauthor = true;
                self.push("author", true);
                push_to_list(self.ctx(), "authors", Value::Object(Map::new()));
            }
            "contributor" => {
                self.incontributor = true;
                push_to_list(self.ctx(), "contributors", Value::Object(Map::new()));
                self.push("contributor", false);
            }
            "dc_contributor" => {
                self.incontributor = true;
                push_to_list(self.ctx(), "contributors", Value::Object(Map::new()));
                self.push("name", false);
            }
            "name" | "itunes_name" => self.push("name", false),
            "width" => self.push("width", false),
            "height" => self.push("height", false),
            "url" | "homepage" | "uri" => self.push("href", true),
            "email" | "itunes_email" => self.push("email", false),
            "subtitle" | "tagline" | "itunes_subtitle" => self.push_content("subtitle", attrs, "text/plain", true),
            "rights" | "copyright" | "dc_rights" => self.push_content("rights", attrs, "text/plain", true),
            "item" | "entry" => self.start_item(attrs),
            "language" | "dc_language" => self.push("language", true),
            "webmaster" | "dc_publisher" => self.push("publisher", true),
            "published" | "issued" | "pubdate" | "dcterms_issued" => self.push("published", true),
            "updated" | "modified" | "lastbuilddate" | "dc_date" | "dcterms_modified" => self.push("updated", true),
            "created" | "dcterms_created" => self.push("created", true),
            "expirationdate" => self.push("expired", true),
            "category" | "keywords" | "dc_subject" => self.start_category(attrs),
            "media_category" => {
                if !attrs.contains_key("scheme") {
                    attrs.insert("scheme".into(), s("http://search.yahoo.com/mrss/category_schema"));
                }
                self.start_category(attrs);
            }
            "itunes_category" => {
                let text = attr(attrs, "text").map(str::to_string);
                self.add_tag(text.as_deref(), Some("http://www.itunes.com/"), None);
                self.push("category", true);
            }
            "cloud" => fp_set(self.ctx(), "cloud", Value::Object(attrs.clone())),
            "link" => self.start_link(attrs),
            "guid" | "id" => {
                self.guidislink = attr(attrs, "ispermalink").unwrap_or("true") == "true";
                self.push("id", true);
            }
            "title" | "dc_title" | "media_title" => {
                let expecting = self.infeed || self.inentry || self.insource;
                self.push_content("title", attrs, "text/plain", expecting);
            }
            "description" | "dc_description" | "media_description" => self.start_description(attrs),
            "abstract" => {
                let expecting = self.infeed || self.inentry || self.insource;
                self.push_content("description", attrs, "text/plain", expecting);
            }
            "info" | "feedburner_browserfriendly" => self.push_content("info", attrs, "text/plain", true),
            "generator" => {
                if !attrs.is_empty() {
                    enforce_href(attrs);
                    if let Some(h) = attr(attrs, "href").map(str::to_string) {
                        attrs.insert("href".into(), s(&urls::fp_urljoin(&self.baseuri, &h)));
                    }
                }
                fp_set(self.ctx(), "generator_detail", Value::Object(attrs.clone()));
                self.push("generator", true);
            }
            "summary" | "itunes_summary" => self.start_summary(attrs),
            "enclosure" => {
                enforce_href(attrs);
                attrs.insert("rel".into(), s("enclosure"));
                push_to_list(self.ctx(), "links", Value::Object(attrs.clone()));
            }
            "source" => {
                if let Some(u) = attr(attrs, "url").map(str::to_string) {
                    self.sourcedata.insert("href".into(), s(&u));
                }
                self.push("source", true);
                self.insource = true;
                self.title_depth = -1;
            }
            "content" => self.start_content(attrs),
            "body" | "xhtml_body" => self.push_content("content", attrs, "application/xhtml+xml", true),
            "content_encoded" | "fullitem" => {
                self.has_content = true;
                self.push_content("content", attrs, "text/html", true);
            }
            "newlocation" => self.push("newlocation", true),
            "tags" => self.push("tags", true),
            "dcterms_valid" => self.push("validity", true),
            "itunes_owner" => {
                self.inpublisher = true;
                self.push("publisher", false);
            }
            "itunes_image" | "itunes_link" => {
                self.push("itunes_image", false);
                let href = attr(attrs, "href").filter(|h| !h.is_empty()).or_else(|| attr(attrs, "url"));
                if let Some(h) = href.filter(|h| !h.is_empty()).map(str::to_string) {
                    let mut d = Map::new();
                    d.insert("href".into(), s(&h));
                    fp_set(self.ctx(), "image", Value::Object(d));
                }
            }
            "media_group" => {}
            "media_rating" => {
                fp_setdefault(self.ctx(), "media_rating", Value::Object(attrs.clone()));
                self.push("rating", true);
            }
            "media_credit" => {
                push_to_list(self.ctx(), "media_credit", Value::Object(attrs.clone()));
                self.push("credit", true);
            }
            "media_restriction" => {
                fp_setdefault(self.ctx(), "media_restriction", Value::Object(attrs.clone()));
                self.push("restriction", true);
            }
            "media_license" => {
                fp_setdefault(self.ctx(), "media_license", Value::Object(attrs.clone()));
                self.push("license", true);
            }
            "media_content" => push_to_list(self.ctx(), "media_content", Value::Object(attrs.clone())),
            "media_thumbnail" => {
                fp_setdefault(self.ctx(), "media_thumbnail", Value::Array(Vec::new()));
                self.push("url", true);
                push_to_list(self.ctx(), "media_thumbnail", Value::Object(attrs.clone()));
            }
            "media_player" => {
                self.push("media_player", false);
                fp_set(self.ctx(), "media_player", Value::Object(attrs.clone()));
            }
            "georss_point" | "georss_line" | "georss_polygon" | "georss_box" => {
                self.push("geometry", false);
                fp_set(self.ctx(), "where", Value::Object(Map::new()));
            }
            "where" | "georss_where" => {
                self.push("where", false);
                fp_set(self.ctx(), "where", Value::Object(Map::new()));
            }
            "gml_point" | "gml_linestring" | "gml_polygon" => {
                self.parse_srs_attrs(attrs);
                match name {
                    "gml_point" => self.ingeometry = Geometry::Point,
                    "gml_linestring" => self.ingeometry = Geometry::LineString,
                    _ => {}
                }
                self.push("geometry", false);
            }
            "gml_exterior" => self.push("geometry", false),
            "gml_linearring" => {
                self.ingeometry = Geometry::Polygon;
                self.push("geometry", false);
            }
            "gml_pos" | "gml_poslist" => self.push("pos", false),
            "psc_chapters" => {
                let c = self.ctx();
                if !c.contains_key("psc_chapters") {
                    let mut d = attrs.clone();
                    d.insert("chapters".into(), Value::Array(Vec::new()));
                    c.insert("psc_chapters".into(), Value::Object(d));
                    self.psc_chapters_flag = true;
                }
            }
            "psc_chapter" => self.start_psc_chapter(attrs),
            "cc_license" => {
                let value = self.get_attribute(attrs, "rdf:resource").map(str::to_string);
                let mut d = Map::new();
                d.insert("rel".into(), s("license"));
                if let Some(v) = value.filter(|v| !v.is_empty()) {
                    d.insert("href".into(), s(&v));
                }
                push_to_list(self.ctx(), "links", Value::Object(d));
            }
            "creativecommons_license" => self.push("license", true),
            _ => return false,
        }
        true
    }

    /// Calls the end handler for `name`; false when there is none.
    pub fn end_handler(&mut self, name: &str) -> bool {
        match name {
            "channel" | "feed" => self.infeed = false,
            "image" => {
                self.pop("image");
                self.inimage = false;
            }
            "textinput" => {
                self.pop("textinput");
                self.intextinput = false;
            }
            "author" | "managingeditor" | "dc_author" | "dc_creator" | "itunes_author" => {
                self.pop("author");
                self.inauthor = false;
                self.sync_author_detail("author");
            }
            "contributor" => {
                self.pop("contributor");
                self.incontributor = false;
            }
            "dc_contributor" => {
                self.end_name();
                self.incontributor = false;
            }
            "name" | "itunes_name" => self.end_name(),
            "width" | "height" => {
                let value = self.pop(name).unwrap_or_default();
                let n: i64 = value.trim().parse().unwrap_or(0);
                if self.inimage {
                    fp_set(self.ctx(), name, Value::from(n));
                }
            }
            "url" | "homepage" | "uri" => {
                let value = self.pop("href");
                if self.inauthor {
                    self.save_author("href", value.as_deref(), "author");
                } else if self.incontributor {
                    self.save_contributor("href", value.as_deref());
                }
            }
            "email" | "itunes_email" => {
                let value = self.pop("email");
                if self.inpublisher {
                    self.save_author("email", value.as_deref(), "publisher");
                } else if self.inauthor {
                    self.save_author("email", value.as_deref(), "author");
                } else if self.incontributor {
                    self.save_contributor("email", value.as_deref());
                }
            }
            "subtitle" | "tagline" | "itunes_subtitle" => {
                self.pop_content("subtitle");
            }
            "rights" | "copyright" | "dc_rights" => {
                self.pop_content("rights");
            }
            "item" | "entry" => {
                self.pop("item");
                self.inentry = false;
                self.has_content = false;
            }
            "language" | "dc_language" => self.lang = self.pop("language"),
            "webmaster" | "dc_publisher" => {
                self.pop("publisher");
                self.sync_author_detail("publisher");
            }
            "published" | "issued" | "pubdate" | "dcterms_issued" => {
                let v = self.pop("published");
                self.save_date("published", v);
            }
            "updated" | "modified" | "lastbuilddate" | "dc_date" | "dcterms_modified" => {
                let v = self.pop("updated");
                self.save_date("updated", v);
            }
            "created" | "dcterms_created" => {
                let v = self.pop("created");
                self.save_date("created", v);
            }
            "expirationdate" => {
                let v = self.pop("expired");
                self.save_date("expired", v);
            }
            "category" | "keywords" | "dc_subject" | "itunes_category" | "media_category" => self.end_category(),
            "link" => {
                self.pop("link");
            }
            "guid" | "id" => self.end_guid(),
            "title" | "dc_title" => self.end_title(),
            "media_title" => {
                let depth = self.title_depth;
                self.end_title();
                self.title_depth = depth;
            }
            "description" | "abstract" | "dc_description" | "media_description" => {
                if self.summary_key.as_deref() == Some("content") {
                    self.end_content();
                } else {
                    self.pop_content("description");
                    self.ctx().remove("summary_from_content");
                }
                self.summary_key = None;
            }
            "info" | "feedburner_browserfriendly" => {
                self.pop_content("info");
            }
            "generator" => {
                let value = self.pop("generator");
                if let Some(Value::Object(d)) = self.ctx().get_mut("generator_detail") {
                    d.insert("name".into(), opt(value.as_deref()));
                }
            }
            "summary" | "itunes_summary" => {
                if self.summary_key.as_deref() == Some("content") {
                    self.end_content();
                } else {
                    let key = self.summary_key.clone().unwrap_or_else(|| "summary".into());
                    self.pop_content(&key);
                    if key == "summary" {
                        self.ctx().remove("summary_from_content");
                    }
                }
                self.summary_key = None;
            }
            "source" => {
                self.insource = false;
                let value = self.pop("source");
                if let Some(v) = value.filter(|v| !v.is_empty()) {
                    self.sourcedata.insert("title".into(), s(&v));
                }
                let data = std::mem::take(&mut self.sourcedata);
                fp_set(self.ctx(), "source", Value::Object(data));
            }
            "content" | "body" | "xhtml_body" | "content_encoded" | "fullitem" => self.end_content(),
            "newlocation" => {
                let url = self.pop("newlocation").unwrap_or_default();
                if self.ctx_kind() == Ctx::Feed {
                    let v = urls::make_safe_absolute_uri(&self.baseuri, Some(py_strip(&url)));
                    self.feeddata.insert("newlocation".into(), s(&v));
                }
            }
            "tags" => {
                let value = self.pop("tags").unwrap_or_default();
                for term in value.split(',') {
                    self.add_tag(Some(py_strip(term)), None, None);
                }
            }
            "dcterms_valid" => self.end_validity(),
            "itunes_owner" => {
                self.pop("publisher");
                self.inpublisher = false;
                self.sync_author_detail("publisher");
            }
            "itunes_keywords" | "media_keywords" => {
                let value = self.pop(name).unwrap_or_default();
                let scheme = (name == "itunes_keywords").then_some("http://www.itunes.com/");
                for term in value.split(',') {
                    let t = py_strip(term);
                    if !t.is_empty() {
                        self.add_tag(Some(t), scheme, None);
                    }
                }
            }
            "itunes_block" => {
                let value = self.pop_ws("itunes_block", false);
                let v = matches!(value.as_deref(), Some("yes" | "Yes"));
                fp_set(self.ctx(), "itunes_block", Value::from(i64::from(v)));
            }
            "itunes_explicit" => {
                let value = self.pop_ws("itunes_explicit", false);
                let v = match value.as_deref() {
                    Some("yes" | "true") => Value::Bool(true),
                    Some("clean" | "no" | "false") => Value::Bool(false),
                    _ => Value::Null,
                };
                fp_set(self.ctx(), "itunes_explicit", v);
            }
            "media_rating" | "media_credit" | "media_restriction" | "media_license" => self.end_media_text(name),
            "media_thumbnail" => {
                let url = self.pop("url");
                if let Some(u) = url.filter(|u| !py_strip(u).is_empty()) {
                    if let Some(Value::Array(list)) = self.ctx().get_mut("media_thumbnail") {
                        if let Some(last) = list.last_mut().and_then(obj) {
                            if !last.contains_key("url") {
                                last.insert("url".into(), s(&u));
                            }
                        }
                    }
                }
            }
            "media_player" => {
                let value = self.pop("media_player");
                if let Some(Value::Object(d)) = self.ctx().get_mut("media_player") {
                    d.insert("content".into(), opt(value.as_deref()));
                }
            }
            "georss_point" | "georss_line" | "georss_polygon" | "georss_box" => {
                let value = self.pop("geometry").unwrap_or_default();
                let geometry = match name {
                    "georss_point" => geo::parse_point(&value, true, 2),
                    "georss_line" => geo::parse_line(&value, true, 2),
                    "georss_polygon" => geo::parse_polygon(&value, true, 2),
                    _ => geo::parse_box(&value, true, 2),
                };
                if let Some(g) = geometry {
                    self.save_where(g);
                }
            }
            "gml_pos" | "gml_poslist" => self.end_gml_pos(name == "gml_poslist"),
            "gml_point" | "gml_linestring" | "gml_linearring" | "gml_exterior" | "gml_polygon" => {
                self.ingeometry = Geometry::None;
                self.pop("geometry");
            }
            "where" | "georss_where" => {
                self.pop("where");
            }
            "psc_chapters" => self.psc_chapters_flag = false,
            "creativecommons_license" => {
                let value = self.pop("license");
                let c = self.ctx();
                let mut d = Map::new();
                d.insert("rel".into(), s("license"));
                if let Some(v) = value.filter(|v| !v.is_empty()) {
                    d.insert("href".into(), s(&v));
                }
                push_to_list(c, "links", Value::Object(d));
                c.remove("license");
            }
            _ => return false,
        }
        true
    }

    fn start_rss(&mut self, attrs: &Dict) {
        if self.version.is_empty() || !self.version.starts_with("rss") {
            let v = attr(attrs, "version").unwrap_or("");
            self.version = match v {
                "0.91" => "rss091u".into(),
                "0.92" => "rss092".into(),
                "0.93" => "rss093".into(),
                "0.94" => "rss094".into(),
                _ if v.starts_with("2.") => "rss20".into(),
                _ => "rss".into(),
            };
        }
    }

    fn cdf_common(&mut self, attrs: &Dict) {
        if let Some(lastmod) = attr(attrs, "lastmod").map(str::to_string) {
            self.push("updated", true);
            if let Some(top) = self.elementstack.last_mut() {
                top.pieces = vec![lastmod];
            }
            let v = self.pop("updated");
            self.save_date("updated", v);
        }
        if let Some(href) = attr(attrs, "href").map(str::to_string) {
            self.start_link(&mut Map::new());
            if let Some(top) = self.elementstack.last_mut() {
                top.pieces = vec![href];
            }
            self.pop("link");
        }
    }

    fn start_item(&mut self, attrs: &Dict) {
        self.entries.push(Map::new());
        self.depth_map.push(Default::default());
        self.push("item", false);
        self.inentry = true;
        self.guidislink = false;
        // Content seen at the channel level (an itunes:summary there) says nothing about this item.
        self.has_content = false;
        self.title_depth = -1;
        if let Some(id) = self.get_attribute(attrs, "rdf:about").filter(|i| !i.is_empty()).map(str::to_string) {
            fp_set(self.ctx(), "id", s(&id));
        }
        self.cdf_common(attrs);
    }

    fn start_category(&mut self, attrs: &Dict) {
        let term = attr(attrs, "term");
        let scheme = attr(attrs, "scheme").or_else(|| attr(attrs, "domain"));
        let label = attr(attrs, "label");
        self.add_tag(term, scheme, label);
        self.push("category", true);
    }

    fn end_category(&mut self) {
        let Some(value) = self.pop("category").filter(|v| !v.is_empty()) else { return };
        let c = self.ctx();
        if let Some(Value::Array(tags)) = c.get_mut("tags") {
            if let Some(last) = tags.last_mut().and_then(obj) {
                let empty = match last.get("term") {
                    None | Some(Value::Null) => true,
                    Some(Value::String(t)) => t.is_empty(),
                    _ => false,
                };
                if empty {
                    last.insert("term".into(), s(&value));
                    return;
                }
            }
        }
        self.add_tag(Some(&value), None, None);
    }

    pub fn add_tag(&mut self, term: Option<&str>, scheme: Option<&str>, label: Option<&str>) {
        let c = self.ctx();
        let tags = fp_setdefault(c, "tags", Value::Array(Vec::new()));
        let falsy = |v: Option<&str>| v.is_none_or(str::is_empty);
        if falsy(term) && falsy(scheme) && falsy(label) {
            return;
        }
        let mut d = Map::new();
        d.insert("term".into(), opt(term));
        d.insert("scheme".into(), opt(scheme));
        d.insert("label".into(), opt(label));
        let v = Value::Object(d);
        if let Value::Array(list) = tags {
            if !list.contains(&v) {
                list.push(v);
            }
        }
    }

    fn start_link(&mut self, attrs: &mut Dict) {
        if !attrs.contains_key("rel") {
            attrs.insert("rel".into(), s("alternate"));
        }
        if !attrs.contains_key("type") {
            let t = if attr(attrs, "rel") == Some("self") { "application/atom+xml" } else { "text/html" };
            attrs.insert("type".into(), s(t));
        }
        enforce_href(attrs);
        if let Some(h) = attr(attrs, "href").map(str::to_string) {
            attrs.insert("href".into(), s(&urls::fp_urljoin(&self.baseuri, &h)));
        }
        let expecting = self.infeed || self.inentry || self.insource;
        let add = !(self.inentry && self.inimage);
        let c = self.ctx();
        fp_setdefault(c, "links", Value::Array(Vec::new()));
        if add {
            push_to_list(c, "links", Value::Object(attrs.clone()));
        }
        if let Some(h) = attr(attrs, "href") {
            let html = matches!(
                map_content_type(attr(attrs, "type").unwrap_or("")).as_str(),
                "text/html" | "application/xhtml+xml"
            );
            if attr(attrs, "rel") == Some("alternate") && html {
                fp_set(c, "link", s(h));
            }
        } else {
            self.push("link", expecting);
        }
    }

    fn end_guid(&mut self) {
        let value = self.pop("id");
        let guidislink = self.guidislink;
        let has_link = self.ctx().contains_key("link");
        self.save("guidislink", Value::Bool(guidislink && !has_link), false);
        if guidislink {
            self.save("link", opt(value.as_deref()), false);
        }
    }

    fn end_title(&mut self) {
        if self.svg_ok > 0 {
            return;
        }
        let value = self.pop_content("title");
        if value.is_some_and(|v| !v.is_empty()) {
            self.title_depth = self.depth;
        }
    }

    fn start_description(&mut self, attrs: &Dict) {
        if self.ctx().contains_key("summary") && !self.has_content {
            self.summary_key = Some("content".into());
            self.start_content(attrs);
        } else {
            let expecting = self.infeed || self.inentry || self.insource;
            self.push_content("description", attrs, "text/html", expecting);
        }
    }

    fn start_summary(&mut self, attrs: &Dict) {
        if self.ctx().contains_key("summary") && !self.has_content {
            self.summary_key = Some("content".into());
            self.start_content(attrs);
        } else {
            self.summary_key = Some("summary".into());
            self.push_content("summary", attrs, "text/plain", true);
        }
    }

    fn start_content(&mut self, attrs: &Dict) {
        self.has_content = true;
        self.push_content("content", attrs, "text/plain", true);
        if let Some(src) = attr(attrs, "src").filter(|v| !v.is_empty()) {
            self.contentparams.insert("src".into(), s(src));
        }
        self.push("content", true);
    }

    fn end_content(&mut self) {
        let copy = self
            .ctype()
            .map(map_content_type)
            .is_some_and(|t| matches!(t.as_str(), "text/plain" | "text/html" | "application/xhtml+xml"));
        let value = self.pop_content("content");
        if copy && !super::parser::fp_contains(self.ctx(), "summary") {
            self.save("summary", opt(value.as_deref()), false);
            // Not in feedparser: says the summary is a copy of the content, not a summary of its own.
            self.ctx().insert("summary_from_content".into(), Value::Bool(true));
        }
    }

    fn end_name(&mut self) {
        let value = self.pop("name");
        if self.inpublisher {
            self.save_author("name", value.as_deref(), "publisher");
        } else if self.inauthor {
            self.save_author("name", value.as_deref(), "author");
        } else if self.incontributor {
            self.save_contributor("name", value.as_deref());
        } else if self.intextinput {
            fp_set(self.ctx(), "name", opt(value.as_deref()));
        }
    }

    fn save_author(&mut self, key: &str, value: Option<&str>, prefix: &str) {
        let v = opt(value);
        let c = self.ctx();
        if let Some(d) = fp_setdefault(c, &format!("{prefix}_detail"), Value::Object(Map::new())).as_object_mut() {
            d.insert(key.into(), v.clone());
        }
        self.sync_author_detail("author");
        let c = self.ctx();
        let authors = fp_setdefault(c, "authors", Value::Array(vec![Value::Object(Map::new())]));
        if let Some(last) = authors.as_array_mut().and_then(|l| l.last_mut()).and_then(obj) {
            last.insert(key.into(), v);
        }
    }

    fn save_contributor(&mut self, key: &str, value: Option<&str>) {
        let c = self.ctx();
        let list = fp_setdefault(c, "contributors", Value::Array(vec![Value::Object(Map::new())]));
        if let Some(last) = list.as_array_mut().and_then(|l| l.last_mut()).and_then(obj) {
            last.insert(key.into(), opt(value));
        }
    }

    /// `_sync_author_detail`: keeps `author` ("name (email)") and `author_detail` in step.
    pub fn sync_author_detail(&mut self, key: &str) {
        let c = self.ctx();
        let plural = format!("{key}s");
        let detail: Dict = c
            .get(&plural)
            .and_then(Value::as_array)
            .and_then(|l| l.last())
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if !detail.is_empty() {
            let name = detail.get("name").and_then(Value::as_str).filter(|v| !v.is_empty());
            let email = detail.get("email").and_then(Value::as_str).filter(|v| !v.is_empty());
            let joined = match (name, email) {
                (Some(n), Some(e)) => Some(format!("{n} ({e})")),
                (Some(n), None) => Some(n.to_string()),
                (None, Some(e)) => Some(e.to_string()),
                (None, None) => None,
            };
            if let Some(j) = joined {
                fp_set(c, key, s(&j));
            }
            return;
        }
        let Some(author) = c.get(key).and_then(Value::as_str).filter(|a| !a.is_empty()).map(str::to_string) else {
            return;
        };
        let (name, email) = split_author(&author);
        if name.is_none() && email.is_none() {
            return;
        }
        let mut d = Map::new();
        if let Some(n) = &name {
            d.insert("name".into(), s(n));
        }
        if let Some(e) = &email {
            d.insert("email".into(), s(e));
        }
        let detail_key = format!("{key}_detail");
        let had_list = c.get(&plural).and_then(Value::as_array).is_some_and(|l| !l.is_empty());
        if had_list {
            if let Some(last) = c.get_mut(&plural).and_then(Value::as_array_mut).and_then(|l| l.last_mut()) {
                *last = Value::Object(d.clone());
            }
        }
        if !fp_contains(c, &detail_key) {
            c.insert(detail_key, Value::Object(d));
        }
    }

    fn end_validity(&mut self) {
        let value = self.pop("validity").unwrap_or_default();
        for part in value.split(';') {
            let Some((k, v)) = part.split_once('=') else { continue };
            if k == "start" || k == "end" {
                let key = format!("validity_{k}");
                self.save(&key, s(v), true);
                self.save_date(&key, Some(v.to_string()));
            }
        }
    }

    fn end_media_text(&mut self, name: &str) {
        let (pushed, key) = match name {
            "media_rating" => ("rating", "media_rating"),
            "media_credit" => ("credit", "media_credit"),
            "media_restriction" => ("restriction", "media_restriction"),
            _ => ("license", "media_license"),
        };
        let Some(text) = self.pop(pushed).filter(|t| !py_strip(t).is_empty()) else { return };
        let value = if name == "media_restriction" {
            Value::Array(text.split(' ').map(|c| s(&py_strip(c).to_lowercase())).collect())
        } else {
            s(&text)
        };
        let target = match self.ctx().get_mut(key) {
            Some(Value::Array(list)) => list.last_mut().and_then(obj),
            Some(Value::Object(d)) => Some(d),
            _ => None,
        };
        if let Some(d) = target {
            d.insert("content".into(), value);
        }
    }

    fn start_psc_chapter(&mut self, attrs: &Dict) {
        if !self.psc_chapters_flag {
            return;
        }
        let start = attr(attrs, "start").unwrap_or("").to_string();
        let mut d = attrs.clone();
        d.insert("start_parsed".into(), geo::parse_psc_start(&start).map_or(Value::Null, Value::from));
        if let Some(Value::Object(ch)) = self.ctx().get_mut("psc_chapters") {
            if let Some(Value::Array(list)) = ch.get_mut("chapters") {
                list.push(Value::Object(d));
            }
        }
    }

    fn parse_srs_attrs(&mut self, attrs: &Dict) {
        let srs_name = opt(attr(attrs, "srsname"));
        let dim: i64 = attr(attrs, "srsdimension").and_then(|v| v.trim().parse().ok()).unwrap_or(2);
        let c = self.ctx();
        let w = fp_setdefault(c, "where", Value::Object(Map::new()));
        if let Some(w) = w.as_object_mut() {
            w.insert("srsName".into(), srs_name);
            w.insert("srsDimension".into(), Value::from(dim));
        }
    }

    fn end_gml_pos(&mut self, list: bool) {
        let value = self.pop("pos").unwrap_or_default();
        let (srs_name, dims) = match self.ctx().get("where").and_then(Value::as_object) {
            Some(w) => (
                w.get("srsName").and_then(Value::as_str).map(str::to_string),
                w.get("srsDimension").and_then(Value::as_i64).unwrap_or(2),
            ),
            None => (None, 2),
        };
        let mut swap = true;
        if let Some(n) = srs_name.filter(|n| n.contains("EPSG")) {
            let code: Option<u32> = n.rsplit(':').next().and_then(|c| c.trim().parse().ok());
            swap = code.is_some_and(geo::is_geographic_epsg);
        }
        let geometry = if list {
            match self.ingeometry {
                Geometry::LineString => geo::parse_line(&value, swap, dims),
                Geometry::Polygon => geo::parse_line(&value, swap, dims).as_ref().map(geo::ring_to_polygon),
                _ => None,
            }
        } else {
            geo::parse_point(&value, swap, dims)
        };
        if let Some(g) = geometry {
            self.save_where(g);
        }
    }

    fn save_where(&mut self, geometry: Dict) {
        let c = self.ctx();
        if let Some(w) = fp_setdefault(c, "where", Value::Object(Map::new())).as_object_mut() {
            w.extend(geometry);
        }
    }
}

fn push_to_list(c: &mut Dict, key: &str, v: Value) {
    let slot = fp_setdefault(c, key, Value::Array(Vec::new()));
    if let Value::Array(list) = slot {
        list.push(v);
    }
}

/// Splits "Name (email)" / "email (Name)" / "Name <email>" the way `_sync_author_detail` does.
pub fn split_author(author: &str) -> (Option<String>, Option<String>) {
    let email = find_email(author);
    let mut name = author.to_string();
    if let Some(e) = &email {
        name = name.replace(e.as_str(), "").replace("()", "").replace("<>", "").replace("&lt;&gt;", "");
        name = py_strip(&name).to_string();
        if name.starts_with('(') {
            name.remove(0);
        }
        if name.ends_with(')') {
            name.pop();
        }
        name = py_strip(&name).to_string();
    }
    let name = Some(name).filter(|n| !n.is_empty());
    (name, email)
}

static EMAIL: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(([a-zA-Z0-9_\-.+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?",
    )
    .ok()
});

fn find_email(v: &str) -> Option<String> {
    EMAIL.as_ref()?.find(v).map(|m| m.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::split_author;

    #[test]
    fn authors_are_split_into_name_and_email() {
        assert_eq!(
            split_author("Jane Doe (jane@example.com)"),
            (Some("Jane Doe".into()), Some("jane@example.com".into()))
        );
        assert_eq!(
            split_author("jane@example.com (Jane Doe)"),
            (Some("Jane Doe".into()), Some("jane@example.com".into()))
        );
        assert_eq!(split_author("Jane <jane@example.com>"), (Some("Jane".into()), Some("jane@example.com".into())));
        assert_eq!(split_author("Jane Doe"), (Some("Jane Doe".into()), None));
    }
}
