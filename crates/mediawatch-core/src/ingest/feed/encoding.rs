//! Character encoding of a feed, feedparser's way (`encodings.py` `convert_to_utf8`: BOM and `<?xm` sniffing,
//! the XML declaration, RFC 3023 for the HTTP Content-Type, then fall-backs), with the product's rule that
//! the bytes win over a declaration they contradict. Also `replace_doctype` (DOCTYPE stripping, the safe
//! internal entities, the Netscape RSS 0.91 marker).

use std::collections::HashMap;

use encoding_rs::Encoding;

/// The document as text, with what feedparser would report.
pub struct Converted {
    pub text: String,
    /// The encoding name feedparser reports (`utf-8`, `us-ascii`, `iso-8859-1`, `utf-16be`, `gb18030`, ...).
    pub encoding: String,
    /// Why the document is flagged bozo at this stage (non-XML media type, encoding override...).
    pub error: Option<String>,
    pub warnings: Vec<String>,
}

fn charset_of(content_type: &str) -> (String, String) {
    let mut chunks = content_type.split(';');
    let mime = chunks.next().unwrap_or("").trim().to_lowercase();
    let mut charset = String::new();
    for chunk in chunks {
        let (k, v) = chunk.split_once('=').unwrap_or((chunk, ""));
        if k.trim().eq_ignore_ascii_case("charset") {
            charset = v.trim().trim_matches(['"', '\'']).to_string();
        }
    }
    (mime, charset)
}

/// Decodes `bytes` as Python's codec `label` would, strictly: `None` when the bytes do not fit.
fn decode_as(bytes: &[u8], label: &str) -> Option<String> {
    let l = label.trim().to_lowercase().replace('_', "-");
    match l.as_str() {
        "us-ascii" | "ascii" | "646" => bytes.is_ascii().then(|| String::from_utf8_lossy(bytes).into_owned()),
        "iso-8859-1" | "latin-1" | "latin1" | "l1" | "iso8859-1" => Some(bytes.iter().map(|&b| b as char).collect()),
        "utf-8" | "utf8" | "u8" => std::str::from_utf8(bytes).ok().map(str::to_string),
        "utf-16be" => utf16(bytes, true),
        "utf-16le" => utf16(bytes, false),
        "utf-16" | "utf16" | "u16" => match bytes {
            [0xfe, 0xff, rest @ ..] => utf16(rest, true),
            [0xff, 0xfe, rest @ ..] => utf16(rest, false),
            _ => utf16(bytes, false),
        },
        "utf-32be" => utf32(bytes, true),
        "utf-32le" => utf32(bytes, false),
        "utf-32" | "utf32" | "u32" => match bytes {
            [0, 0, 0xfe, 0xff, rest @ ..] => utf32(rest, true),
            [0xff, 0xfe, 0, 0, rest @ ..] => utf32(rest, false),
            _ => utf32(bytes, false),
        },
        "windows-1252" | "cp1252" if bytes.iter().any(|b| matches!(b, 0x81 | 0x8d | 0x8f | 0x90 | 0x9d)) => None,
        "iso-8859-2" | "latin2" => Some(encoding_rs::ISO_8859_2.decode_without_bom_handling(bytes).0.into_owned()),
        _ => {
            let enc = Encoding::for_label(l.as_bytes())?;
            if enc == encoding_rs::REPLACEMENT {
                return None;
            }
            enc.decode_without_bom_handling_and_without_replacement(bytes).map(|c| c.into_owned())
        }
    }
}

fn utf16(bytes: &[u8], be: bool) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units =
        bytes.chunks(2).map(|c| if be { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) });
    char::decode_utf16(units).collect::<Result<String, _>>().ok()
}

fn utf32(bytes: &[u8], be: bool) -> Option<String> {
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    bytes
        .chunks(4)
        .map(|c| {
            let b = [c[0], c[1], c[2], c[3]];
            char::from_u32(if be { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
        })
        .collect()
}

/// The encoding in `<?xml ... encoding="..."?>` at the very start of `text`.
fn xml_decl_encoding(text: &str) -> Option<String> {
    let decl = text.strip_prefix("<?")?;
    let end = decl.find("?>")?;
    let decl = &decl[..end];
    let pos = decl.find("encoding=")?;
    let rest = &decl[pos + 9..];
    let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let close = rest[1..].find(q)?;
    Some(rest[1..1 + close].to_lowercase())
}

/// Single-byte encodings under which any byte sequence decodes (so a declaration cannot be "contradicted").
fn is_single_byte(label: &str) -> bool {
    let l = label.to_lowercase();
    l.starts_with("iso-8859")
        || l.starts_with("windows-")
        || l.starts_with("cp125")
        || l.starts_with("koi8")
        || l == "latin1"
}

/// feedparser's `convert_to_utf8`. `http` tells whether the document came over HTTP with headers.
pub fn convert(bytes: &[u8], content_type: Option<&str>, has_headers: bool) -> Converted {
    let mut warnings = Vec::new();
    let (bom, data): (&str, &[u8]) = match bytes {
        [0, 0, 0xfe, 0xff, rest @ ..] => ("utf-32be", rest),
        [0xff, 0xfe, 0, 0, rest @ ..] => ("utf-32le", rest),
        [0xfe, 0xff, rest @ ..] if !rest.starts_with(&[0, 0]) => ("utf-16be", rest),
        [0xff, 0xfe, rest @ ..] if !rest.starts_with(&[0, 0]) => ("utf-16le", rest),
        [0xef, 0xbb, 0xbf, rest @ ..] => ("utf-8", rest),
        [0x4c, 0x6f, 0xa7, 0x94, ..] => ("cp037", bytes),
        [0, 0x3c, 0, 0x3f, ..] => ("utf-16be", bytes),
        [0x3c, 0, 0x3f, 0, ..] => ("utf-16le", bytes),
        [0, 0, 0, 0x3c, ..] => ("utf-32be", bytes),
        [0x3c, 0, 0, 0, ..] => ("utf-32le", bytes),
        _ => ("", bytes),
    };
    let head = if bom.is_empty() {
        Some(String::from_utf8_lossy(&data[..data.len().min(4096)]).into_owned())
    } else {
        decode_as(data, bom)
    };
    let mut xml_encoding = head.as_deref().and_then(xml_decl_encoding).unwrap_or_default();
    if !bom.is_empty()
        && matches!(
            xml_encoding.as_str(),
            "u16"
                | "utf-16"
                | "utf16"
                | "utf_16"
                | "u32"
                | "utf-32"
                | "utf32"
                | "utf_32"
                | "iso-10646-ucs-2"
                | "iso-10646-ucs-4"
                | "csucs4"
                | "csunicode"
                | "ucs-2"
                | "ucs-4"
        )
    {
        xml_encoding = bom.to_string();
    }
    let (mime, http_encoding) = charset_of(content_type.unwrap_or(""));
    let app_types = ["application/xml", "application/xml-dtd", "application/xml-external-parsed-entity"];
    let text_types = ["text/xml", "text/xml-external-parsed-entity"];
    let mut acceptable = false;
    let mut rfc3023 =
        if app_types.contains(&mime.as_str()) || (mime.starts_with("application/") && mime.ends_with("+xml")) {
            acceptable = true;
            first_nonempty(&[&http_encoding, &xml_encoding, "utf-8"])
        } else if text_types.contains(&mime.as_str()) || (mime.starts_with("text/") && mime.ends_with("+xml")) {
            acceptable = true;
            first_nonempty(&[&http_encoding, "us-ascii"])
        } else if mime.starts_with("text/") {
            first_nonempty(&[&http_encoding, "us-ascii"])
        } else if has_headers && content_type.is_none() {
            first_nonempty(&[&xml_encoding, "iso-8859-1"])
        } else {
            first_nonempty(&[&xml_encoding, "utf-8"])
        };
    if rfc3023.eq_ignore_ascii_case("gb2312") {
        rfc3023 = "gb18030".into();
    }
    if xml_encoding.eq_ignore_ascii_case("gb2312") {
        xml_encoding = "gb18030".into();
    }
    let mut error = None;
    if has_headers && !acceptable {
        error = Some(match content_type {
            Some(ct) => format!("{ct} is not an XML media type"),
            None => "no Content-type specified".to_string(),
        });
    }
    // `None` stands for the detector's guess: it reads every byte, so it runs only when the declared
    // encodings before it do not decode the document.
    let candidates = [
        Some(rfc3023.clone()),
        Some(xml_encoding),
        Some(bom.to_string()),
        None,
        Some("utf-8".into()),
        Some("windows-1252".into()),
        Some("iso-8859-2".into()),
    ];
    let mut tried: Vec<String> = Vec::new();
    for proposed in candidates {
        let proposed = proposed.unwrap_or_else(|| detect(data));
        if proposed.is_empty() || tried.contains(&proposed) {
            continue;
        }
        tried.push(proposed.clone());
        let Some(mut text) = decode_as(data, &proposed) else { continue };
        let mut used = proposed.clone();
        // The product's rule: bytes that are UTF-8 win over a single-byte declaration they contradict.
        if is_single_byte(&proposed) && !data.is_ascii() && std::str::from_utf8(data).is_ok() {
            warnings.push(format!("the document is declared {proposed} but the bytes are UTF-8; decoded as utf-8"));
            text = String::from_utf8_lossy(data).into_owned();
            used = "utf-8".into();
        }
        if used != rfc3023 {
            error = Some(format!("document declared as {rfc3023}, but parsed as {used}"));
        }
        return Converted { text, encoding: used, error, warnings };
    }
    // Nothing fits: the product's decoder decides (the bytes win), and the document is bozo.
    let d = crate::ingest::decode::decode(data, content_type);
    warnings.extend(d.warnings);
    Converted {
        text: d.text,
        encoding: String::new(),
        error: Some(format!("document encoding unknown, I tried {}", tried.join(", "))),
        warnings,
    }
}

fn first_nonempty(options: &[&str]) -> String {
    options.iter().find(|o| !o.is_empty()).map_or_else(String::new, |o| (*o).to_string())
}

/// The detector's guess, under the name feedparser's detector (chardet) gives the same encoding.
fn detect(bytes: &[u8]) -> String {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let name = detector.guess(None, chardetng::Utf8Detection::Allow).name().to_lowercase();
    match name.as_str() {
        "big5" => "Big5".into(),
        "euc-jp" => "EUC-JP".into(),
        "euc-kr" => "EUC-KR".into(),
        "gbk" => "GB2312".into(),
        "shift_jis" => "SHIFT_JIS".into(),
        "windows-874" => "TIS-620".into(),
        "koi8-r" => "KOI8-R".into(),
        _ => name,
    }
}

/// What `replace_doctype` leaves: the document, the version it implies (`rss091n`), the safe entities.
pub struct Doctype {
    pub text: String,
    pub version: Option<String>,
    pub entities: Vec<(String, String)>,
}

/// feedparser's `replace_doctype`: drops the DOCTYPE (keeping only simple internal entities, re-declared in
/// a minimal internal subset), notes a Netscape RSS 0.91 DOCTYPE.
pub fn replace_doctype(data: &str) -> Doctype {
    // The head is everything before the first element (`<\w`).
    let start = first_element(data).filter(|&s| s > 0);
    let split = start.map_or(0, |s| s + 1);
    let (head, body) = data.split_at(split.min(data.len()));
    let mut entity_decls = Vec::new();
    let mut head = head.to_string();
    while let Some((from, to, inner)) = find_decl(&head, "<!ENTITY") {
        entity_decls.push(inner);
        head.replace_range(from..to, "");
    }
    let mut doctypes = Vec::new();
    let mut probe = head.as_str();
    let mut offset = 0;
    while let Some((from, to, inner)) = find_decl(probe, "<!DOCTYPE") {
        doctypes.push((offset + from, offset + to, inner));
        offset += to;
        probe = &head[offset..];
    }
    let version =
        doctypes.first().filter(|(_, _, d)| d.to_lowercase().contains("netscape")).map(|_| "rss091n".to_string());
    let mut entities = Vec::new();
    let mut replacement = String::new();
    if doctypes.len() == 1 && !entity_decls.is_empty() {
        for e in &entity_decls {
            if let Some((name, value)) = safe_entity(e) {
                entities.push((name, value));
            }
        }
        if !entities.is_empty() {
            let decls: Vec<String> = entities.iter().map(|(n, v)| format!(" {n} \"{v}\"")).collect();
            replacement = format!("<!DOCTYPE feed [\n<!ENTITY{}>\n]>", decls.join(">\n<!ENTITY "));
        }
    }
    let mut new_head = String::with_capacity(head.len());
    let mut last = 0;
    for (from, to, _) in &doctypes {
        new_head.push_str(&head[last..*from]);
        new_head.push_str(&replacement);
        last = *to;
    }
    new_head.push_str(&head[last..]);
    Doctype { text: format!("{new_head}{body}"), version, entities }
}

fn first_element(data: &str) -> Option<usize> {
    let bytes = data.as_bytes();
    (0..bytes.len().saturating_sub(1))
        .find(|&i| bytes[i] == b'<' && (bytes[i + 1].is_ascii_alphanumeric() || bytes[i + 1] == b'_'))
}

/// `^\s*<!KEYWORD([^>]*?)>` (multi-line): the first match as (start, end, inner text).
fn find_decl(text: &str, keyword: &str) -> Option<(usize, usize, String)> {
    let bytes = text.as_bytes();
    let mut search = 0;
    while let Some(p) = text[search..].find(keyword) {
        let at = search + p;
        search = at + keyword.len();
        let mut ws_start = at;
        while ws_start > 0 && bytes[ws_start - 1].is_ascii_whitespace() {
            ws_start -= 1;
        }
        let from = if ws_start == 0 || bytes[ws_start - 1] == b'\n' {
            ws_start
        } else {
            match text[ws_start..at].find('\n') {
                Some(n) => ws_start + n + 1,
                None => continue,
            }
        };
        let after = at + keyword.len();
        let close = text[after..].find('>')?;
        return Some((from, after + close + 1, text[after..after + close].to_string()));
    }
    None
}

/// `\s+(\w+)\s+"(&#\w+;|[^&"]*)"` at the start of an ENTITY declaration's text.
fn safe_entity(decl: &str) -> Option<(String, String)> {
    let rest = decl.strip_prefix(|c: char| c.is_whitespace())?.trim_start();
    let name_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
    if name_len == 0 {
        return None;
    }
    let name = &rest[..name_len];
    let after = &rest[name_len..];
    let value_part = after.strip_prefix(|c: char| c.is_whitespace())?.trim_start().strip_prefix('"')?;
    let close = value_part.find('"')?;
    let value = &value_part[..close];
    let ok = if let Some(r) = value.strip_prefix("&#") {
        r.ends_with(';') && r.len() > 1 && r[..r.len() - 1].chars().all(|c| c.is_alphanumeric() || c == '_')
    } else {
        !value.contains('&')
    };
    ok.then(|| (name.to_string(), value.to_string()))
}

/// Entities as a map.
pub fn entity_map(entities: &[(String, String)]) -> HashMap<String, String> {
    entities.iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3023_rules_and_boms() {
        let doc = b"<?xml version='1.0' encoding='iso-8859-1'?><rss/>";
        assert_eq!(convert(doc, None, false).encoding, "iso-8859-1");
        assert_eq!(convert(doc, Some("text/xml"), true).encoding, "us-ascii");
        assert_eq!(convert(doc, Some("application/xml"), true).encoding, "iso-8859-1");
        let c = convert(doc, Some("text/plain"), true);
        assert!(c.error.is_some());
        let mut utf32 = vec![0, 0, 0xfe, 0xff];
        for ch in "<?xml version='1.0' encoding='utf-32'?><rss/>".chars() {
            utf32.extend_from_slice(&(ch as u32).to_be_bytes());
        }
        let c = convert(&utf32, None, false);
        assert_eq!(c.encoding, "utf-32be");
        assert!(c.text.ends_with("<rss/>"));
        // Declared us-ascii by the header, but not ASCII: overridden, bozo.
        let c = convert("<rss>é</rss>".as_bytes(), Some("text/xml"), true);
        assert_eq!(c.encoding, "utf-8");
        assert!(c.error.is_some());
    }

    #[test]
    fn doctype_is_replaced_keeping_safe_entities() {
        let d = replace_doctype(
            "<?xml version='1.0'?>\n<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" \"x\">\n<rss/>",
        );
        assert_eq!(d.version.as_deref(), Some("rss091n"));
        assert!(!d.text.contains("DOCTYPE"));
        let d = replace_doctype(
            "<!DOCTYPE x [\n<!ENTITY e \"&#233;\">\n<!ENTITY bad SYSTEM \"file:///etc/passwd\">\n]>\n<x>&e;</x>",
        );
        assert_eq!(d.entities, vec![("e".to_string(), "&#233;".to_string())]);
        assert!(!d.text.contains("passwd"));
    }
}
