//! Character decoding of fetched documents, with the precedence browsers and feedparser apply:
//! the byte-order mark, then the HTTP `charset`, then the document's own declaration (XML declaration,
//! `<meta charset>`, `<meta http-equiv>` — also when it comes after byte 1024), then detection from the
//! bytes (chardetng). When a declared charset is contradicted by the bytes (a page that says gb2312 but is
//! UTF-8, or says UTF-8 but is windows-1251), the bytes win and a warning says so. Pure.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// A document decoded to UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding used, by its WHATWG name in lower case (`utf-8`, `windows-1251`, `gbk`, `koi8-r`, ...).
    pub encoding: String,
    pub warnings: Vec<String>,
}

/// How far into a document its own charset declaration is looked for.
const DECLARATION_SCAN_BYTES: usize = 64 * 1024;

/// Decodes `bytes`; `content_type` is the HTTP `Content-Type` header, when there was one.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    let (text, enc, warnings) = decode_borrowed(bytes, content_type);
    Decoded { text: text.into_owned(), encoding: enc.name().to_ascii_lowercase(), warnings }
}

/// [`decode`] without the copy when the bytes are already UTF-8 (most pages): the text borrows them. Also
/// returns the encoding used, and the warnings.
pub fn decode_borrowed<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
) -> (std::borrow::Cow<'a, str>, &'static Encoding, Vec<String>) {
    let mut warnings = Vec::new();
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(enc, &bytes[bom_len..], warnings);
    }
    let from_http =
        content_type.and_then(charset_param).and_then(|label| resolve(&label, "the HTTP header", &mut warnings));
    let declared = match from_http {
        Some(e) => Some((e, "the HTTP header")),
        None => declared_in_document(bytes)
            .and_then(|label| resolve(&label, "the document", &mut warnings))
            .map(|e| (e, "the document")),
    };
    // Validated once: a UTF-8 reading borrows this.
    let utf8 = std::str::from_utf8(bytes).ok();
    let valid_utf8 = utf8.is_some();
    let done = |enc: &'static Encoding, bytes: &'a [u8], warnings| match utf8 {
        Some(text) if enc == UTF_8 => (std::borrow::Cow::Borrowed(text), enc, warnings),
        _ => finish(enc, bytes, warnings),
    };
    let Some((declared, where_)) = declared else {
        let enc = if valid_utf8 { UTF_8 } else { detect(bytes) };
        return done(enc, bytes, warnings);
    };
    if declared == UTF_8 {
        if valid_utf8 {
            return done(UTF_8, bytes, warnings);
        }
        let guess = detect(bytes);
        warnings.push(format!(
            "{where_} declares UTF-8 but the bytes are not UTF-8; decoded as {}",
            guess.name().to_ascii_lowercase()
        ));
        return done(guess, bytes, warnings);
    }
    if declared == UTF_16LE || declared == UTF_16BE {
        // A UTF-16 label without a BOM on an ASCII-compatible document is a mislabel (HTML treats it as UTF-8).
        let enc = if valid_utf8 { UTF_8 } else { detect(bytes) };
        return done(enc, bytes, warnings);
    }
    if valid_utf8 && !bytes.is_ascii() {
        warnings.push(format!(
            "{where_} declares {} but the bytes are UTF-8; decoded as utf-8",
            declared.name().to_ascii_lowercase()
        ));
        return done(UTF_8, bytes, warnings);
    }
    let (_, _, had_errors) = declared.decode(bytes);
    if had_errors {
        let guess = detect(bytes);
        let (_, _, guess_errors) = guess.decode(bytes);
        if guess != declared && !guess_errors {
            warnings.push(format!(
                "{where_} declares {} but the bytes do not fit it; decoded as {}",
                declared.name().to_ascii_lowercase(),
                guess.name().to_ascii_lowercase()
            ));
            return done(guess, bytes, warnings);
        }
        warnings.push(format!("some bytes are not valid {}; they were replaced", declared.name().to_ascii_lowercase()));
    }
    done(declared, bytes, warnings)
}

fn finish<'a>(
    enc: &'static Encoding,
    bytes: &'a [u8],
    warnings: Vec<String>,
) -> (std::borrow::Cow<'a, str>, &'static Encoding, Vec<String>) {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text, enc, warnings)
}

/// Looks a charset label up (WHATWG names and aliases: `iso-8859-1` is windows-1252, `gb2312` is GBK...).
fn resolve(label: &str, where_: &str, warnings: &mut Vec<String>) -> Option<&'static Encoding> {
    let found = Encoding::for_label(label.trim().as_bytes());
    if found.is_none() {
        warnings.push(format!("{where_} names an unknown charset '{label}'; it was ignored"));
    }
    found
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// The `charset` parameter of a Content-Type value.
fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// The charset a document declares for itself: the XML declaration, else the first `<meta>` naming one.
pub fn declared_in_document(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(DECLARATION_SCAN_BYTES)];
    // Declarations are ASCII; a tag is read as Latin-1, which maps bytes 1:1.
    let latin1 = |b: &[u8]| -> String { b.iter().map(|&c| c as char).collect() };
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    if head[start..].starts_with(b"<?xml") {
        let decl = &head[start..];
        let decl = &decl[..memchr::memmem::find(decl, b"?>").unwrap_or(decl.len())];
        if let Some(value) = attribute(&latin1(decl), "encoding") {
            return Some(value);
        }
    }
    let lower = head.to_ascii_lowercase();
    for start in memchr::memmem::find_iter(&lower, b"<meta") {
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = latin1(&lower[start..end]);
        if let Some(cs) = attribute(&tag, "charset") {
            return Some(cs);
        }
        if attribute(&tag, "http-equiv").is_some_and(|v| v == "content-type") {
            if let Some(cs) =
                attribute(&tag, "content").and_then(|c| charset_param(&format!("x;{}", c.replace(' ', ""))))
            {
                return Some(cs);
            }
        }
    }
    None
}

/// The value of `name=` in a tag or declaration (quoted or not).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let start = from + pos;
        let before_ok =
            start == 0 || !lower.as_bytes()[start - 1].is_ascii_alphanumeric() && lower.as_bytes()[start - 1] != b'-';
        let rest = lower[start + name.len()..].trim_start();
        if before_ok && rest.starts_with('=') {
            let offset = tag.len() - rest.len() + 1;
            let value = tag[offset..].trim_start();
            let v = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
                _ => value
                    .split(|c: char| c.is_whitespace() || matches!(c, '>' | '/' | ';' | '"' | '\''))
                    .next()
                    .unwrap_or(""),
            };
            return Some(v.trim().to_string()).filter(|v| !v.is_empty());
        }
        from = start + name.len();
    }
    None
}

/// Rewrites the encoding named in an XML declaration to UTF-8, for a document already decoded to UTF-8.
pub fn relabel_xml_as_utf8(text: &str) -> std::borrow::Cow<'_, str> {
    let body = text.trim_start_matches('\u{feff}');
    let trimmed = body.trim_start();
    if !trimmed.starts_with("<?xml") {
        return text.into();
    }
    let decl_start = text.len() - trimmed.len();
    let Some(decl_len) = trimmed.find("?>") else { return text.into() };
    let decl = &trimmed[..decl_len];
    let Some(enc_pos) = decl.find("encoding") else { return text.into() };
    let after = &decl[enc_pos + "encoding".len()..];
    let Some(eq) = after.find('=') else { return text.into() };
    let value = after[eq + 1..].trim_start();
    let Some(q @ ('"' | '\'')) = value.chars().next() else { return text.into() };
    let Some(close) = value[1..].find(q) else { return text.into() };
    let value_start = decl_start + enc_pos + "encoding".len() + eq + 1 + (after[eq + 1..].len() - value.len()) + 1;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..value_start]);
    out.push_str("UTF-8");
    out.push_str(&text[value_start + close..]);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_borrowed_and_other_encodings_are_decoded_the_same_as_decode() {
        let utf8 = "<meta charset=utf-8><p>Путин и Ван И</p>".as_bytes();
        let (text, enc, _) = decode_borrowed(utf8, None);
        assert!(matches!(text, std::borrow::Cow::Borrowed(_)));
        assert_eq!((text.as_ref(), enc), (decode(utf8, None).text.as_str(), UTF_8));
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("<meta charset=windows-1251><p>Путин и Ван И</p>");
        let (text, enc, warnings) = decode_borrowed(&cp1251, None);
        assert!(matches!(text, std::borrow::Cow::Owned(_)));
        assert_eq!(enc, encoding_rs::WINDOWS_1251);
        assert!(text.contains("Путин и Ван И"));
        assert_eq!(
            decode(&cp1251, None),
            Decoded { text: text.into_owned(), encoding: "windows-1251".into(), warnings }
        );
    }

    fn cp1251(s: &str) -> Vec<u8> {
        encoding_rs::WINDOWS_1251.encode(s).0.into_owned()
    }

    #[test]
    fn bom_wins_over_everything() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<?xml version=\"1.0\" encoding=\"windows-1251\"?><a>Путин</a>".as_bytes());
        let d = decode(&bytes, Some("text/xml; charset=koi8-r"));
        assert_eq!(d.encoding, "utf-8");
        assert!(d.text.contains("Путин"));
    }

    #[test]
    fn http_charset_then_document_declaration_then_detection() {
        let doc =
            cp1251("<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><title>Новости России и Китая</title></rss>");
        assert_eq!(decode(&doc, None).encoding, "windows-1251");
        assert_eq!(decode(&doc, Some("application/rss+xml; charset=windows-1251")).encoding, "windows-1251");
        // No label anywhere: detected from the bytes.
        let bare = cp1251("<rss><title>Новости России и Китая, визит Си Цзиньпина в Москву</title></rss>");
        let d = decode(&bare, None);
        assert_eq!(d.encoding, "windows-1251");
        assert!(d.text.contains("визит Си Цзиньпина"));
    }

    #[test]
    fn contradicted_declarations_lose_to_the_bytes_with_a_warning() {
        // Says gb2312, is UTF-8.
        let d = decode("<meta charset=\"gb2312\"><p>一带一路倡议</p>".as_bytes(), None);
        assert_eq!(d.encoding, "utf-8");
        assert!(d.text.contains("一带一路"));
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        // Says UTF-8, is windows-1251.
        let bytes = cp1251("<?xml version=\"1.0\" encoding=\"utf-8\"?><t>Безвизовый режим между Россией и Китаем</t>");
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "windows-1251");
        assert!(d.text.contains("Безвизовый режим"), "{}", d.text);
        assert!(!d.text.contains('\u{fffd}'));
        assert!(d.warnings[0].contains("declares UTF-8"));
    }

    #[test]
    fn gbk_without_any_label_is_detected() {
        let (bytes, _, _) = encoding_rs::GBK.encode(
            "<html><body><p>中国外交部长王毅在莫斯科会见俄罗斯总统普京，双方讨论了共建一带一路合作。</p></body></html>",
        );
        let d = decode(&bytes, Some("text/html"));
        assert_eq!(d.encoding, "gbk");
        assert!(d.text.contains("共建一带一路合作"));
    }

    #[test]
    fn meta_after_the_first_kilobyte_counts() {
        let mut page = format!("<!DOCTYPE html><html><!-- {} -->", "x".repeat(1500)).into_bytes();
        page.extend_from_slice(
            b"<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=KOI8-R\"></head>",
        );
        page.extend(encoding_rs::KOI8_R.encode("<p>Ёжик в Москве</p>").0.iter());
        let d = decode(&page, None);
        assert_eq!(d.encoding, "koi8-r");
        assert!(d.text.contains("Ёжик в Москве"));
    }

    #[test]
    fn unknown_labels_are_ignored_with_a_warning() {
        let d = decode("<?xml version=\"1.0\" encoding=\"invalid\"?><t>Café</t>".as_bytes(), None);
        assert_eq!(d.encoding, "utf-8");
        assert!(d.warnings[0].contains("unknown charset 'invalid'"));
    }

    #[test]
    fn xml_declaration_is_relabelled() {
        assert_eq!(
            relabel_xml_as_utf8("<?xml version=\"1.0\" encoding='KOI8-R'?><a/>"),
            "<?xml version=\"1.0\" encoding='UTF-8'?><a/>"
        );
        assert_eq!(relabel_xml_as_utf8("<rss/>"), "<rss/>");
    }
}
