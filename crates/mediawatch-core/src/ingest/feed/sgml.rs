//! A port of the tokenizer feedparser's loose parser and HTML processor are built on: Python's `sgmllib`
//! `goahead` with feedparser's overrides (tag and attribute patterns, an end-bracket finder that skips quoted
//! attribute values, `/>` closing a tag in XHTML mode). It never fails: what it cannot read becomes text.

use std::sync::LazyLock;

use regex::Regex;

/// What the tokenizer reports.
pub trait SgmlHandler {
    fn start_tag(&mut self, tag: &str, attrs: Vec<(String, String)>);
    fn end_tag(&mut self, tag: &str);
    fn data(&mut self, text: &str);
    fn charref(&mut self, name: &str);
    fn entityref(&mut self, name: &str);
    fn comment(&mut self, text: &str);
    fn pi(&mut self, text: &str);
    /// A `<!...` construct at byte `i` of `raw` (not a comment): returns where parsing resumes, `None` when the
    /// construct is incomplete (the rest of the input then becomes text).
    fn declaration(&mut self, raw: &str, i: usize) -> Option<usize>;
    /// Whether `<tag ... />` also closes the tag (feedparser's `application/xhtml+xml` mode).
    fn xhtml_mode(&self) -> bool;
}

static SHORT_TAG: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"<([^<>\s]+?)\s*/>").ok());
static TAG_FIND: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^[a-zA-Z][-_.:a-zA-Z0-9]*").ok());
static ATTR_FIND: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*([a-zA-Z_][-:.a-zA-Z_0-9]*)[$]?(\s*=\s*('[^']*'|"[^"]*"|[\]\[\-a-zA-Z0-9./,:;+*%?!&$()_#=~'"@]*))?"#,
    )
    .ok()
});
static CHARREF: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^&#(\d+|[xX][0-9a-fA-F]+);").ok());
static ENTITYREF: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^&([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]").ok());
static INCOMPLETE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^(?:&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]*)?|<(?:[a-zA-Z][^<>]*|/(?:[a-zA-Z][^<>]*)?|![^<>]*)?)").ok()
});
static SHORTTAG_OPEN: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^<[a-zA-Z][-.a-zA-Z0-9]*/").ok());
static SHORTTAG_FULL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^<([a-zA-Z][-.a-zA-Z0-9]*)/([^/]*)/").ok());

/// Elements that never have an end tag in HTML (`_BaseHTMLProcessor.elements_no_end_tag`).
pub const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "basefont", "br", "col", "command", "embed", "frame", "hr", "img", "input", "isindex", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];

/// `_BaseHTMLProcessor.feed`'s rewriting before tokenizing: a stray `<!` is escaped (only the first two, as
/// feedparser's `re.sub(..., re.IGNORECASE)` passes the flag as the count), `<x/>` becomes `<x></x>` (or
/// `<br />` for void elements), `&#39;` and `&#34;` become quotes.
pub fn preprocess(data: &str) -> String {
    let mut out = String::with_capacity(data.len() + 16);
    let mut rest = data;
    let mut replaced = 0;
    while replaced < 2 {
        let Some(pos) = rest.find("<!") else { break };
        let after = &rest[pos + 2..];
        out.push_str(&rest[..pos]);
        if after.starts_with("DOCTYPE") || after.starts_with("--") || after.starts_with('[') {
            out.push_str("<!");
        } else {
            out.push_str("&lt;!");
            replaced += 1;
        }
        rest = after;
    }
    out.push_str(rest);
    let out = match SHORT_TAG.as_ref() {
        Some(re) => re
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let tag = c.get(1).map_or("", |m| m.as_str());
                if VOID_ELEMENTS.contains(&tag) {
                    format!("<{tag} />")
                } else {
                    format!("<{tag}></{tag}>")
                }
            })
            .into_owned(),
        None => out,
    };
    out.replace("&#39;", "'").replace("&#34;", "\"")
}

fn re_match<'a>(re: &LazyLock<Option<Regex>>, s: &'a str) -> Option<regex::Captures<'a>> {
    re.as_ref().and_then(|r| r.captures(s))
}

/// Where the tag starting before `start` ends: the next `<` or `>` outside quoted attribute values
/// (feedparser's `_EndBracketRegEx`).
fn end_bracket(s: &str, start: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut pos = start;
    let quoted_ok = |k: usize| -> bool {
        let rest = &s[k..];
        match rest.chars().next() {
            Some('>' | '/') => true,
            Some(c) if c.is_whitespace() => true,
            Some(c) if c.is_alphanumeric() || c == '_' => {
                let word_end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
                rest[word_end..].starts_with('=')
            }
            _ => false,
        }
    };
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'<' | b'>' => return Some(pos),
            b'"' | b'\'' => {
                let Some(close) = s[pos + 1..].find(b as char) else { break };
                let k = pos + 1 + close + 1;
                if !quoted_ok(k) {
                    break;
                }
                pos = k;
            }
            _ => pos += 1,
        }
    }
    // Fallback: the nearest `<` or `>` on the same line.
    let rest = &s[start..];
    let stop = rest.find(['<', '>'])?;
    if rest[..stop].contains('\n') {
        None
    } else {
        Some(start + stop)
    }
}

/// Tokenizes `raw` (already preprocessed) into `h`.
pub fn tokenize<H: SgmlHandler>(raw: &str, h: &mut H) {
    let n = raw.len();
    let mut i = 0;
    let mut lasttag = String::from("???");
    while i < n {
        let j = raw[i..].find(['<', '&']).map_or(n, |p| i + p);
        if i < j {
            h.data(&raw[i..j]);
        }
        i = j;
        if i == n {
            break;
        }
        let rest = &raw[i..];
        if rest.starts_with('<') {
            let next = rest.as_bytes().get(1).copied();
            if next.is_some_and(|c| c == b'>' || c.is_ascii_alphabetic()) {
                match parse_starttag(raw, i, h, &mut lasttag) {
                    Some(k) => {
                        i = k;
                        continue;
                    }
                    None => break,
                }
            }
            if rest.starts_with("</") {
                let Some(j) = end_bracket(raw, i + 1) else { break };
                let tag = raw[i + 2..j].trim().to_ascii_lowercase();
                h.end_tag(&tag);
                i = if raw.as_bytes().get(j) == Some(&b'>') { j + 1 } else { j };
                continue;
            }
            if rest.starts_with("<!--") {
                let Some((start, end)) = comment_close(raw, i + 4) else { break };
                h.comment(&raw[i + 4..start]);
                i = end;
                continue;
            }
            if rest.starts_with("<?") {
                let Some(j) = raw[i + 2..].find('>') else { break };
                h.pi(&raw[i + 2..i + 2 + j]);
                i = i + 2 + j + 1;
                continue;
            }
            if rest.starts_with("<!") {
                match h.declaration(raw, i) {
                    Some(k) if k > i => {
                        i = k;
                        continue;
                    }
                    Some(_) => {}
                    None => break,
                }
            }
        } else {
            if let Some(c) = re_match(&CHARREF, rest) {
                h.charref(c.get(1).map_or("", |m| m.as_str()));
                i += c.get(0).map_or(1, |m| m.end());
                continue;
            }
            if let Some(c) = re_match(&ENTITYREF, rest) {
                h.entityref(c.get(1).map_or("", |m| m.as_str()));
                let end = c.get(0).map_or(1, |m| m.end());
                // The terminator is consumed only when it is a `;`.
                let term_len = rest[..end].chars().last().map_or(1, char::len_utf8);
                i += if rest[..end].ends_with(';') { end } else { end - term_len };
                continue;
            }
        }
        match re_match(&INCOMPLETE, rest).and_then(|c| c.get(0).map(|m| m.end())) {
            None | Some(0) => {
                let len = rest.chars().next().map_or(1, char::len_utf8);
                h.data(&rest[..len]);
                i += len;
            }
            Some(end) => {
                if i + end == n {
                    break;
                }
                h.data(&rest[..end]);
                i += end;
            }
        }
    }
    if i < n {
        h.data(&raw[i..]);
    }
}

/// `--\s*>` after `from`: (start of the match, end of the match).
fn comment_close(raw: &str, from: usize) -> Option<(usize, usize)> {
    let mut search = from;
    loop {
        let p = search + raw.get(search..)?.find("--")?;
        let after = &raw[p + 2..];
        let trimmed = after.trim_start();
        if trimmed.starts_with('>') {
            return Some((p, p + 2 + (after.len() - trimmed.len()) + 1));
        }
        search = p + 1;
    }
}

fn parse_starttag<H: SgmlHandler>(raw: &str, i: usize, h: &mut H, lasttag: &mut String) -> Option<usize> {
    let rest = &raw[i..];
    if re_match(&SHORTTAG_OPEN, rest).is_some() {
        let c = re_match(&SHORTTAG_FULL, rest)?;
        let tag = c.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
        let data = c.get(2).map_or("", |m| m.as_str()).to_string();
        let end = c.get(0).map_or(1, |m| m.end());
        h.start_tag(&tag, Vec::new());
        h.data(&data);
        h.end_tag(&tag);
        return Some(i + end);
    }
    let j = end_bracket(raw, i + 1)?;
    let mut attrs = Vec::new();
    let mut k;
    let tag;
    if rest.starts_with("<>") {
        k = j;
        tag = lasttag.clone();
    } else {
        let m = re_match(&TAG_FIND, &raw[i + 1..])?;
        let len = m.get(0).map_or(0, |m| m.end());
        k = i + 1 + len;
        tag = raw[i + 1..k].to_ascii_lowercase();
        lasttag.clone_from(&tag);
    }
    while k < j {
        let Some(m) = re_match(&ATTR_FIND, &raw[k..j]) else { break };
        let whole = m.get(0).map_or(0, |m| m.end());
        if whole == 0 {
            break;
        }
        let name = m.get(1).map_or("", |m| m.as_str());
        let value = match (m.get(2), m.get(3)) {
            (Some(rest), Some(v)) if !rest.as_str().is_empty() => {
                let v = v.as_str();
                let quoted = v.len() >= 2
                    && ((v.starts_with('\'') && v.ends_with('\'')) || (v.starts_with('"') && v.ends_with('"')));
                if quoted {
                    v[1..v.len() - 1].to_string()
                } else {
                    v.to_string()
                }
            }
            _ => name.to_string(),
        };
        attrs.push((name.to_ascii_lowercase(), value));
        k += whole;
    }
    let mut end = j;
    if raw.as_bytes().get(j) == Some(&b'>') {
        end = j + 1;
    }
    let self_closing = end >= 2 && raw.get(end - 2..end) == Some("/>");
    h.start_tag(&tag, attrs);
    if h.xhtml_mode() && self_closing {
        h.end_tag(&lasttag.clone());
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Log(Vec<String>);

    impl SgmlHandler for Log {
        fn start_tag(&mut self, tag: &str, attrs: Vec<(String, String)>) {
            self.0.push(format!("<{tag} {attrs:?}>"));
        }
        fn end_tag(&mut self, tag: &str) {
            self.0.push(format!("</{tag}>"));
        }
        fn data(&mut self, text: &str) {
            self.0.push(format!("d:{text}"));
        }
        fn charref(&mut self, name: &str) {
            self.0.push(format!("c:{name}"));
        }
        fn entityref(&mut self, name: &str) {
            self.0.push(format!("e:{name}"));
        }
        fn comment(&mut self, text: &str) {
            self.0.push(format!("!:{text}"));
        }
        fn pi(&mut self, text: &str) {
            self.0.push(format!("?:{text}"));
        }
        fn declaration(&mut self, raw: &str, i: usize) -> Option<usize> {
            raw[i..].find('>').map(|p| i + p + 1)
        }
        fn xhtml_mode(&self) -> bool {
            true
        }
    }

    #[test]
    fn tokenizes_tags_refs_and_broken_bits() {
        let mut log = Log::default();
        tokenize(
            &preprocess("<a href='x>y' b=c>T&amp;&#233;&b=2<br/></a> < x <!-- c --><?pi?>tail<unclosed"),
            &mut log,
        );
        assert_eq!(
            log.0,
            vec![
                "<a [(\"href\", \"x>y\"), (\"b\", \"c\")]>",
                "d:T",
                "e:amp",
                "c:233",
                "e:b",
                "d:=2",
                "<br []>",
                "</br>",
                "</a>",
                "d: ",
                "d:<",
                "d: x ",
                "!: c ",
                "?:pi?",
                "d:tail",
                "d:<unclosed",
            ]
        );
    }
}
