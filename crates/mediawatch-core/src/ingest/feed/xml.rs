//! The strict front end: a well-formedness-checking XML reader (quick-xml plus the checks expat makes that
//! quick-xml leaves out) that reports SAX-like events to the shared state machine, with namespace names
//! mapped to feedparser's prefixes. Any error makes the caller fall back to the loose parser.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::parser::{canonical_prefix, Mixin};

/// The most text internal entities may expand to in one document (billion-laughs bound).
pub const MAX_ENTITY_EXPANSION: usize = 1024 * 1024;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// One element's namespace declarations: (prefix, uri); `None` is the default namespace.
type Scope = Vec<(Option<String>, String)>;

struct Strict<'m> {
    m: &'m mut Mixin,
    entities: &'m HashMap<String, String>,
    scopes: Vec<Scope>,
    expanded: usize,
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

/// Parses `text` strictly into `m`; `Err` with the reason (and line) on the first well-formedness error.
pub fn parse(text: &str, m: &mut Mixin, entities: &HashMap<String, String>) -> Result<(), String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if let Some((i, c)) = text.char_indices().find(|(_, c)| !is_xml_char(*c)) {
        return Err(format!("not well-formed (invalid token {:?}) at line {}", c, line_of(&text, i)));
    }
    let mut s = Strict { m, entities, scopes: Vec::new(), expanded: 0 };
    let mut reader = Reader::from_str(&text);
    let cfg = reader.config_mut();
    cfg.check_end_names = true;
    cfg.expand_empty_elements = true;
    cfg.check_comments = true;
    cfg.trim_text(false);
    let mut depth = 0usize;
    let mut seen_root = false;
    let mut seen_anything = false;
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| format!("{e} at line {}", line_of(&text, pos as usize)))?;
        let at = |what: &str| format!("{what} at line {}", line_of(&text, pos as usize));
        match event {
            Event::Decl(_) => {
                if seen_anything {
                    return Err(at("XML or text declaration not at start of entity"));
                }
            }
            Event::DocType(_) => {
                if seen_root {
                    return Err(at("DOCTYPE after the root element"));
                }
            }
            Event::PI(pi) => {
                let target = std::str::from_utf8(&pi).unwrap_or("");
                if target.get(..3).is_some_and(|t| t.eq_ignore_ascii_case("xml"))
                    && target[3..].starts_with(|c: char| c.is_whitespace() || c == '?')
                    || target.eq_ignore_ascii_case("xml")
                {
                    return Err(at("XML declaration not at start of entity"));
                }
            }
            Event::Comment(_) => {}
            Event::Start(e) => {
                if depth == 0 && seen_root {
                    return Err(at("junk after document element"));
                }
                seen_root = true;
                depth += 1;
                s.start(&e).map_err(|r| at(&r))?;
            }
            Event::Empty(e) => {
                // Not produced with expand_empty_elements, handled for completeness.
                if depth == 0 && seen_root {
                    return Err(at("junk after document element"));
                }
                seen_root = true;
                let name = s.start(&e).map_err(|r| at(&r))?;
                s.end(&name);
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                s.end(&name);
            }
            Event::Text(t) => {
                let raw = String::from_utf8_lossy(&t).into_owned();
                if depth == 0 {
                    if !raw.trim().is_empty() {
                        return Err(at(if seen_root { "junk after document element" } else { "syntax error" }));
                    }
                } else {
                    if raw.contains("]]>") {
                        return Err(at("']]>' in text"));
                    }
                    s.m.handle_data(&raw, true);
                }
            }
            Event::CData(c) => {
                if depth == 0 {
                    return Err(at("CDATA outside the root element"));
                }
                let raw = String::from_utf8_lossy(&c).into_owned();
                s.m.handle_data(&raw, true);
            }
            Event::GeneralRef(r) => {
                if depth == 0 {
                    return Err(at("reference outside the root element"));
                }
                let name = String::from_utf8_lossy(&r).into_owned();
                let value = s.resolve_ref(&name).map_err(|e| at(&e))?;
                s.m.handle_data(&value, true);
            }
            Event::Eof => {
                if depth > 0 || !seen_root {
                    return Err(at("no element found"));
                }
                return Ok(());
            }
        }
        seen_anything = true;
    }
}

fn line_of(text: &str, pos: usize) -> usize {
    text.as_bytes()[..pos.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

impl Strict<'_> {
    fn lookup(&self, prefix: Option<&str>) -> Option<String> {
        if prefix == Some("xml") {
            return Some(XML_NS.to_string());
        }
        for scope in self.scopes.iter().rev() {
            for (p, uri) in scope.iter().rev() {
                if p.as_deref() == prefix {
                    return Some(uri.clone()).filter(|u| !u.is_empty());
                }
            }
        }
        None
    }

    /// An entity or character reference (the name between `&` and `;`).
    fn resolve_ref(&mut self, name: &str) -> Result<String, String> {
        if let Some(num) = name.strip_prefix('#') {
            let code = match num.strip_prefix('x') {
                Some(h) => u32::from_str_radix(h, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            return code
                .and_then(char::from_u32)
                .filter(|c| is_xml_char(*c))
                .map(|c| c.to_string())
                .ok_or_else(|| format!("reference to invalid character number &{name};"));
        }
        let value = match name {
            "lt" => "<".to_string(),
            "gt" => ">".to_string(),
            "amp" => "&".to_string(),
            "quot" => "\"".to_string(),
            "apos" => "'".to_string(),
            _ => {
                let Some(v) = self.entities.get(name) else {
                    return Err(format!("undefined entity &{name};"));
                };
                let expanded = match v.strip_prefix("&#").and_then(|r| r.strip_suffix(';')) {
                    Some(num) => self.resolve_ref(&format!("#{num}"))?,
                    None => v.clone(),
                };
                self.expanded += expanded.len();
                if self.expanded > MAX_ENTITY_EXPANSION {
                    return Err("entity expansion limit exceeded".into());
                }
                expanded
            }
        };
        Ok(value)
    }

    /// An attribute value with its references resolved and whitespace normalised.
    fn attribute_value(&mut self, raw: &str) -> Result<String, String> {
        if raw.contains('<') {
            return Err("'<' in an attribute value".into());
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(p) = rest.find('&') {
            out.push_str(&rest[..p]);
            let after = &rest[p + 1..];
            let end = after.find(';').ok_or("unterminated reference in an attribute value")?;
            let name = &after[..end];
            if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == '&') {
                return Err("not well-formed reference in an attribute value".into());
            }
            let value = self.resolve_ref(name)?;
            if name.starts_with('#') {
                out.push_str(&value);
            } else {
                out.push_str(&value.replace(['\t', '\n'], " "));
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        // Literal whitespace characters become spaces (character references were kept above).
        Ok(normalise_ws(&out, raw))
    }

    fn element_name(&self, qname: &str) -> Result<String, String> {
        let (prefix, local) = match qname.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, qname),
        };
        let ns = self.lookup(prefix);
        if prefix.is_some() && ns.is_none() {
            return Err(format!("unbound prefix in <{qname}>"));
        }
        let mut ns = ns.unwrap_or_default();
        if ns.to_lowercase().contains("backend.userland.com/rss") {
            ns = "http://backend.userland.com/rss".into();
        }
        let mut name = local.to_string();
        match canonical_prefix(&ns) {
            Some(p) if !p.is_empty() => name = format!("{}:{local}", p.to_lowercase()),
            _ if !ns.is_empty() => {
                let found = self
                    .m
                    .namespaces_in_use
                    .iter()
                    .find(|(k, v)| !k.is_empty() && v.as_str() == Some(ns.as_str()))
                    .map(|(k, _)| k.clone());
                if let Some(p) = found {
                    name = format!("{p}:{local}");
                }
            }
            _ => {}
        }
        Ok(name.to_lowercase())
    }

    fn start(&mut self, e: &BytesStart<'_>) -> Result<String, String> {
        let qname = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let mut raw_attrs = Vec::new();
        for a in e.attributes().with_checks(true) {
            let a = a.map_err(|err| err.to_string())?;
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = String::from_utf8_lossy(&a.value).into_owned();
            raw_attrs.push((key, value));
        }
        let mut scope = Scope::new();
        let mut attrs: Vec<(String, String)> = Vec::new();
        let mut plain = Vec::new();
        for (key, raw) in raw_attrs {
            if key == "xmlns" {
                let v = self.attribute_value(&raw)?;
                scope.push((None, v));
            } else if let Some(p) = key.strip_prefix("xmlns:") {
                let v = self.attribute_value(&raw)?;
                if v.is_empty() {
                    return Err(format!("empty namespace for prefix {p}"));
                }
                scope.push((Some(p.to_string()), v));
            } else {
                plain.push((key, raw));
            }
        }
        for (p, uri) in &scope {
            if uri.is_empty() {
                continue;
            }
            self.m.track_namespace(p.as_deref(), uri);
            if let Some(p) = p {
                if uri == XLINK_NS {
                    set_attr(&mut attrs, &format!("xmlns:{p}"), uri);
                }
            }
        }
        self.scopes.push(scope);
        let name = self.element_name(&qname)?;
        let ns = self.lookup(qname.split_once(':').map(|(p, _)| p)).unwrap_or_default();
        let local = name.rsplit(':').next().unwrap_or(&name).to_string();
        if local == "math" && ns == "http://www.w3.org/1998/Math/MathML" {
            set_attr(&mut attrs, "xmlns", &ns);
        }
        if local == "svg" && ns == "http://www.w3.org/2000/svg" {
            set_attr(&mut attrs, "xmlns", &ns);
        }
        let mut qnames = Vec::new();
        for (key, raw) in plain {
            let value = self.attribute_value(&raw)?;
            let (key1, qn) = match key.split_once(':') {
                Some((p, l)) => {
                    let ans = self.lookup(Some(p)).ok_or_else(|| format!("unbound prefix in attribute {key}"))?;
                    match canonical_prefix(&ans) {
                        Some(cp) if !cp.is_empty() => (format!("{cp}:{l}"), key.clone()),
                        _ => (l.to_string(), key.clone()),
                    }
                }
                None => (key.clone(), key.clone()),
            };
            set_attr(&mut attrs, &key1.to_lowercase(), &value);
            qnames.push((qn.to_lowercase(), value));
        }
        for (k, v) in qnames {
            set_attr(&mut attrs, &k, &v);
        }
        self.m.unknown_starttag(&name, attrs);
        Ok(qname)
    }

    fn end(&mut self, qname: &str) {
        let name = self.element_name(qname).unwrap_or_else(|_| qname.to_lowercase());
        self.scopes.pop();
        self.m.unknown_endtag(&name);
    }
}

fn set_attr(attrs: &mut Vec<(String, String)>, key: &str, value: &str) {
    match attrs.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value.to_string(),
        None => attrs.push((key.to_string(), value.to_string())),
    }
}

/// Attribute-value normalisation: literal tabs and newlines become spaces. `resolved` is the value with
/// references expanded; `raw` tells whether any whitespace came from references (then it is kept).
fn normalise_ws(resolved: &str, raw: &str) -> String {
    if raw.contains("&#") {
        // Keep characters written as references; only literal ones are normalised, which is exact enough.
        let literal_ws = raw.contains(['\t', '\n']);
        if !literal_ws {
            return resolved.to_string();
        }
    }
    resolved.replace(['\t', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doc: &str) -> Result<Mixin, String> {
        let mut m = Mixin::new(false, "", None, HashMap::new());
        parse(doc, &mut m, &HashMap::new()).map(|()| m)
    }

    #[test]
    fn well_formedness_errors_are_reported() {
        assert!(run("<rss><channel><title>x</title></channel></rss>").is_ok());
        assert!(run("<rss><channel></rss>").is_err());
        assert!(run("<rss><title>&eacute;</title></rss>").is_err());
        assert!(run("<rss><title>a & b</title></rss>").is_err());
        assert!(run("<rss></rss><rss></rss>").is_err());
        assert!(run("<rss><x:y/></rss>").is_err());
        assert!(run("<rss>").is_err());
        assert!(run(" <?xml version='1.0'?><rss/>").is_err());
    }

    #[test]
    fn internal_entities_expand_within_a_bound() {
        let mut entities = HashMap::new();
        entities.insert("e".to_string(), "&#233;".to_string());
        entities.insert("big".to_string(), "x".repeat(1000));
        let mut m = Mixin::new(false, "", None, HashMap::new());
        assert!(parse("<rss><channel><title>&e;</title></channel></rss>", &mut m, &entities).is_ok());
        assert_eq!(m.feeddata.get("title").and_then(|v| v.as_str()), Some("é"));
        let many = "&big;".repeat(2000);
        let doc = format!("<rss><channel><title>{many}</title></channel></rss>");
        let mut m = Mixin::new(false, "", None, HashMap::new());
        assert!(parse(&doc, &mut m, &entities).unwrap_err().contains("expansion"));
    }
}
