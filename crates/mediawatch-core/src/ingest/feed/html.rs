//! feedparser's `_BaseHTMLProcessor`: re-serialises embedded HTML through the SGML tokenizer (attributes
//! sorted, lower-cased and double-quoted, void elements written `<br />`, unknown entity references escaped),
//! with a hook to rewrite attribute values (used to resolve relative URLs). It does not sanitise.

use super::sgml::{self, SgmlHandler, VOID_ELEMENTS};

/// Rewrites an attribute value: (tag, attribute name, value) → new value.
pub type AttrRewrite<'a> = Box<dyn Fn(&str, &str, &str) -> String + 'a>;

pub struct HtmlProcessor<'a> {
    content_type: String,
    pieces: Vec<String>,
    pub rewrite_attr: Option<AttrRewrite<'a>>,
}

/// Windows-1252 code points 0x80–0x9F and the characters they stand for (feedparser's `_cp1252`).
pub fn cp1252(c: u32) -> Option<char> {
    let mapped = match c {
        128 => '\u{20ac}',
        130 => '\u{201a}',
        131 => '\u{0192}',
        132 => '\u{201e}',
        133 => '\u{2026}',
        134 => '\u{2020}',
        135 => '\u{2021}',
        136 => '\u{02c6}',
        137 => '\u{2030}',
        138 => '\u{0160}',
        139 => '\u{2039}',
        140 => '\u{0152}',
        142 => '\u{017d}',
        145 => '\u{2018}',
        146 => '\u{2019}',
        147 => '\u{201c}',
        148 => '\u{201d}',
        149 => '\u{2022}',
        150 => '\u{2013}',
        151 => '\u{2014}',
        152 => '\u{02dc}',
        153 => '\u{2122}',
        154 => '\u{0161}',
        155 => '\u{203a}',
        156 => '\u{0153}',
        158 => '\u{017e}',
        159 => '\u{0178}',
        _ => return None,
    };
    Some(mapped)
}

/// Whether `&` at the start of `rest` begins a character or entity reference (`#\d+;`, `#x..;`, `\w+;`).
fn is_reference(rest: &str) -> bool {
    let Some(body) = rest.strip_prefix('&') else { return false };
    let (digits, ok): (&str, fn(char) -> bool) = if let Some(hex) = body.strip_prefix("#x") {
        (hex, |c: char| c.is_ascii_hexdigit())
    } else if let Some(dec) = body.strip_prefix('#') {
        (dec, |c: char| c.is_ascii_digit())
    } else {
        (body, |c: char| c.is_alphanumeric() || c == '_')
    };
    let len = digits.find(|c: char| !ok(c)).unwrap_or(digits.len());
    len > 0 && digits[len..].starts_with(';')
}

/// Escapes an attribute value as `_BaseHTMLProcessor.unknown_starttag` does.
fn escape_attr(value: &str) -> String {
    let v = value.replace('>', "&gt;").replace('<', "&lt;").replace('"', "&quot;");
    let mut out = String::with_capacity(v.len());
    for (i, c) in v.char_indices() {
        if c == '&' && !is_reference(&v[i..]) {
            out.push_str("&amp;");
        } else {
            out.push(c);
        }
    }
    out
}

impl<'a> HtmlProcessor<'a> {
    pub fn new(content_type: &str) -> Self {
        HtmlProcessor { content_type: content_type.to_string(), pieces: Vec::new(), rewrite_attr: None }
    }

    pub fn feed(&mut self, data: &str) {
        let pre = sgml::preprocess(data);
        sgml::tokenize(&pre, self);
    }

    pub fn output(&self) -> String {
        self.pieces.concat()
    }
}

impl SgmlHandler for HtmlProcessor<'_> {
    fn start_tag(&mut self, tag: &str, attrs: Vec<(String, String)>) {
        // normalize_attrs: collapse duplicates (last wins), lower-case names, lower-case rel/type, sort.
        let mut map: Vec<(String, String)> = Vec::new();
        for (k, v) in attrs {
            let k = k.to_ascii_lowercase();
            if let Some(slot) = map.iter_mut().find(|(n, _)| *n == k) {
                slot.1 = v;
            } else {
                map.push((k, v));
            }
        }
        for (k, v) in &mut map {
            if (k == "rel" || k == "type") && !v.is_empty() {
                *v = v.to_lowercase();
            }
        }
        map.sort();
        let mut s = format!("<{tag}");
        for (k, v) in &map {
            let v = match &self.rewrite_attr {
                Some(f) => {
                    let r = f(tag, k, v);
                    if r.is_empty() {
                        v.clone()
                    } else {
                        r
                    }
                }
                None => v.clone(),
            };
            s.push_str(&format!(" {k}=\"{}\"", escape_attr(&v)));
        }
        s.push_str(if VOID_ELEMENTS.contains(&tag) { " />" } else { ">" });
        self.pieces.push(s);
    }

    fn end_tag(&mut self, tag: &str) {
        if !VOID_ELEMENTS.contains(&tag) {
            self.pieces.push(format!("</{tag}>"));
        }
    }

    fn data(&mut self, text: &str) {
        self.pieces.push(text.to_string());
    }

    fn charref(&mut self, name: &str) {
        let lower = name.to_ascii_lowercase();
        let value = match lower.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => lower.parse::<u32>().ok(),
        };
        match value.and_then(cp1252) {
            Some(c) => self.pieces.push(format!("&#x{:x};", c as u32)),
            None => self.pieces.push(format!("&#{lower};")),
        }
    }

    fn entityref(&mut self, name: &str) {
        if crate::ingest::entities::html4(name).is_some() || name == "apos" {
            self.pieces.push(format!("&{name};"));
        } else {
            self.pieces.push(format!("&amp;{name}"));
        }
    }

    fn comment(&mut self, text: &str) {
        self.pieces.push(format!("<!--{text}-->"));
    }

    fn pi(&mut self, text: &str) {
        self.pieces.push(format!("<?{text}>"));
    }

    fn declaration(&mut self, raw: &str, i: usize) -> Option<usize> {
        let rest = &raw[i..];
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let end = body.find("]]>")?;
            self.pieces.push(body[..end].to_string());
            return Some(i + 9 + end + 3);
        }
        // Incomplete: the rest of the input becomes text (sgmllib's goahead at close).
        let end = rest.find('>')?;
        self.pieces.push(format!("<!{}>", &rest[2..end]));
        Some(i + end + 1)
    }

    fn xhtml_mode(&self) -> bool {
        self.content_type == "application/xhtml+xml"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserialises_like_feedparser() {
        let mut p = HtmlProcessor::new("text/html");
        p.feed("<P CLASS=x ID='y'>a &foo; b &eacute; &#150;<br></P>");
        assert_eq!(p.output(), "<p class=\"x\" id=\"y\">a &amp;foo b &eacute; &#x2013;<br /></p>");
    }
}
