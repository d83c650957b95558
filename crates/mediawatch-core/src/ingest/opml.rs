//! OPML import and export, tolerant of the files real feed readers produce.
//!
//! [`parse_opml`] reads an OPML document (any encoding, with or without a BOM) into a flat list of feeds,
//! each with the folder path it was filed under, and explains in warnings what it skipped: duplicates,
//! empty, relative or non-http(s) URLs. [`write_opml`] writes OPML 2.0 that [`parse_opml`] reads back to
//! the same feeds. DTDs and entities declared in a DOCTYPE are never expanded. Pure: no I/O.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::error::{Error, Result};

/// One feed found in an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    /// The feed's URL (`xmlUrl`), trimmed; always absolute http(s) after an import.
    pub url: String,
    /// The outline's `title`, else its `text`, when either is non-empty and is not just the URL again.
    pub title: Option<String>,
    /// The site the feed belongs to (`htmlUrl`), when given.
    pub html_url: Option<String>,
    /// The folder path the feed was filed under, nested folders joined with `" / "` (`"News / Russia"`);
    /// `None` at the top level.
    pub group: Option<String>,
}

/// What an import found: the feeds (deduplicated by URL, first occurrence wins), and warnings for what was
/// skipped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpmlImport {
    /// The feeds, in document order.
    pub feeds: Vec<OpmlFeed>,
    /// One human-readable line per thing skipped or repaired (also the decoder's warnings).
    pub warnings: Vec<String>,
}

/// The separator between nested folder names in [`OpmlFeed::group`].
const GROUP_SEPARATOR: &str = " / ";

/// An element open around the current position, inside the `<opml>` root.
enum Frame {
    /// An `<outline>` without `xmlUrl`: a folder, if it turns out to contain outlines.
    Folder {
        /// Its `text`, else `title`.
        name: Option<String>,
        /// It claimed to be a feed (`type="rss"`/`"atom"`) without having a URL.
        typed_as_feed: bool,
        /// Whether any outline was found inside it.
        has_children: bool,
    },
    /// An `<outline>` with `xmlUrl` (some exporters nest more feeds inside one).
    Feed,
    /// Any other element (`<head>`, `<body>`, ...).
    Other,
}

/// Reads an OPML file: decodes it (BOM, XML declaration, else detection), then collects every outline that
/// has an `xmlUrl`, with the names of the folders around it as its group.
///
/// Fails with [`Error::Parse`] when the bytes are not OPML (the root element is not `<opml>`) or the XML is
/// malformed before the first outline; malformed XML after that keeps the feeds read so far and warns.
/// A well-formed OPML file without feeds is not an error: it gives no feeds and a warning.
pub fn parse_opml(bytes: &[u8]) -> Result<OpmlImport> {
    let decoded = crate::ingest::decode::decode(bytes, None);
    let mut import = OpmlImport { feeds: Vec::new(), warnings: decoded.warnings };
    let relabelled = crate::ingest::decode::relabel_xml_as_utf8(&decoded.text);
    let text = relabelled.trim_start_matches('\u{feff}');

    let mut reader = Reader::from_str(text);
    let mut seen_urls: HashSet<String> = HashSet::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root_seen = false;
    let mut outline_seen = false;

    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let position = reader.error_position();
                if !outline_seen {
                    return Err(Error::Parse(format!(
                        "not a readable OPML file: malformed XML at byte {position}: {e}"
                    )));
                }
                import.warnings.push(format!(
                    "the OPML file is malformed at byte {position} ({e}); only the feeds before that point were read"
                ));
                break;
            }
        };
        match event {
            Event::Start(e) if !root_seen => {
                check_root(&e)?;
                root_seen = true;
            }
            Event::Empty(e) if !root_seen => {
                // `<opml/>`: an empty document.
                check_root(&e)?;
                root_seen = true;
                break;
            }
            Event::Start(e) => {
                if local_name_is(&e, b"outline") {
                    outline_seen = true;
                    let frame = read_outline(&e, &reader, &mut stack, &mut seen_urls, &mut import);
                    stack.push(frame);
                } else {
                    stack.push(Frame::Other);
                }
            }
            Event::Empty(e) if local_name_is(&e, b"outline") => {
                outline_seen = true;
                if let Frame::Folder { name, typed_as_feed: true, .. } =
                    read_outline(&e, &reader, &mut stack, &mut seen_urls, &mut import)
                {
                    import.warnings.push(no_url_warning(name.as_deref()));
                }
            }
            Event::End(_) if root_seen => {
                let Some(frame) = stack.pop() else {
                    // The end of the <opml> root: whatever follows is not part of the document.
                    break;
                };
                if let Frame::Folder { name, typed_as_feed: true, has_children: false } = frame {
                    import.warnings.push(no_url_warning(name.as_deref()));
                }
            }
            Event::Eof => break,
            // Declarations, DOCTYPE (never expanded), comments, text, processing instructions.
            _ => {}
        }
    }

    if !root_seen {
        return Err(Error::Parse("not an OPML file: there is no <opml> root element".to_string()));
    }
    if import.feeds.is_empty() {
        import.warnings.push("no feeds in this OPML file".to_string());
    }
    Ok(import)
}

/// Fails unless the root element is `<opml>`.
fn check_root(e: &BytesStart<'_>) -> Result<()> {
    if local_name_is(e, b"opml") {
        return Ok(());
    }
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    Err(Error::Parse(format!("not an OPML file: the root element is <{name}>, not <opml>")))
}

/// Whether an element's local name (namespace prefix ignored) is `name`, ignoring ASCII case.
fn local_name_is(e: &BytesStart<'_>, name: &[u8]) -> bool {
    e.local_name().as_ref().eq_ignore_ascii_case(name)
}

/// The warning for an outline typed as a feed that has no `xmlUrl`.
fn no_url_warning(name: Option<&str>) -> String {
    format!("skipped outline {}: it is marked as a feed but has no xmlUrl", describe(name))
}

/// Names an outline in a warning.
fn describe(name: Option<&str>) -> String {
    match name {
        Some(n) => format!("\"{n}\""),
        None => "(untitled)".to_string(),
    }
}

/// The attributes of an outline that matter here, decoded and trimmed; empty values are absent, except an
/// empty `xmlUrl`.
#[derive(Default)]
struct OutlineAttrs {
    xml_url: Option<String>,
    html_url: Option<String>,
    title: Option<String>,
    text: Option<String>,
    kind: Option<String>,
}

/// Reads one `<outline>`: records it as a feed (or a warning) when it has `xmlUrl`, and returns the frame
/// to push if it has children.
fn read_outline(
    e: &BytesStart<'_>,
    reader: &Reader<&[u8]>,
    stack: &mut [Frame],
    seen_urls: &mut HashSet<String>,
    import: &mut OpmlImport,
) -> Frame {
    if let Some(Frame::Folder { has_children, .. }) = stack.last_mut() {
        *has_children = true;
    }
    let attrs = read_attrs(e, reader, &mut import.warnings);
    let Some(raw_url) = attrs.xml_url else {
        let typed_as_feed = attrs.kind.as_deref().is_some_and(|k| {
            k.eq_ignore_ascii_case("rss") || k.eq_ignore_ascii_case("atom") || k.eq_ignore_ascii_case("feed")
        });
        return Frame::Folder { name: attrs.text.or(attrs.title), typed_as_feed, has_children: false };
    };
    let url = raw_url.trim().to_string();
    // Exporters put the URL in `text` when they know no title: that is no title.
    let title = attrs.title.or(attrs.text).filter(|t| *t != url);
    let label = describe(title.as_deref());
    if url.is_empty() {
        import.warnings.push(format!("skipped outline {label}: its xmlUrl is empty"));
        return Frame::Feed;
    }
    match url::Url::parse(&url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
        Ok(parsed) => {
            import
                .warnings
                .push(format!("skipped outline {label}: {url} is not an http(s) URL (scheme \"{}\")", parsed.scheme()));
            return Frame::Feed;
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            import.warnings.push(format!("skipped outline {label}: {url} is a relative URL"));
            return Frame::Feed;
        }
        Err(err) => {
            import.warnings.push(format!("skipped outline {label}: {url} is not a valid URL ({err})"));
            return Frame::Feed;
        }
    }
    if !seen_urls.insert(url.clone()) {
        import.warnings.push(format!("skipped duplicate feed {url} (outline {label}); the first one was kept"));
        return Frame::Feed;
    }
    import.feeds.push(OpmlFeed { url, title, html_url: attrs.html_url, group: group_of(stack) });
    Frame::Feed
}

/// The group of an outline inside `stack`: the named folders around it, outermost first.
fn group_of(stack: &[Frame]) -> Option<String> {
    let names: Vec<&str> = stack
        .iter()
        .filter_map(|f| match f {
            Frame::Folder { name: Some(n), .. } => Some(n.as_str()),
            _ => None,
        })
        .collect();
    (!names.is_empty()).then(|| names.join(GROUP_SEPARATOR))
}

/// Reads an outline's attributes, matching names case-insensitively and ignoring namespace prefixes; the
/// first occurrence of a repeated attribute wins.
fn read_attrs(e: &BytesStart<'_>, reader: &Reader<&[u8]>, warnings: &mut Vec<String>) -> OutlineAttrs {
    let mut out = OutlineAttrs::default();
    // HTML rules: also unquoted and valueless attributes, which hand-written files have.
    let mut attributes = e.html_attributes();
    attributes.with_checks(false);
    for attr in attributes {
        let attr = match attr {
            Ok(a) => a,
            Err(err) => {
                warnings.push(format!(
                    "an outline has a malformed attribute ({err}); the rest of its attributes were ignored"
                ));
                break;
            }
        };
        let key = attr.key.local_name();
        let slot = match key.as_ref().to_ascii_lowercase().as_slice() {
            b"xmlurl" => &mut out.xml_url,
            b"htmlurl" => &mut out.html_url,
            b"title" => &mut out.title,
            b"text" => &mut out.text,
            b"type" => &mut out.kind,
            _ => continue,
        };
        if slot.is_some() {
            continue;
        }
        let value = attr
            .decoded_and_normalized_value(XmlVersion::Implicit1_0, reader.decoder())
            .unwrap_or_else(|_| Cow::Owned(lenient_unescape(&String::from_utf8_lossy(&attr.value))));
        *slot = Some(value.trim().to_string());
    }
    // An empty `xmlUrl` is reported as such; other empty attributes are as good as absent.
    for slot in [&mut out.html_url, &mut out.title, &mut out.text, &mut out.kind] {
        if slot.as_deref().is_some_and(str::is_empty) {
            *slot = None;
        }
    }
    out
}

/// Unescapes the references of an attribute value that the strict unescaper refused (a bare `&` in a URL,
/// an HTML entity, an entity declared in a DOCTYPE) with `entities::resolve`, and normalises the literal
/// whitespace as XML does for attribute values; whatever is not a known reference is kept literally.
/// Never expands declared entities.
fn lenient_unescape(raw: &str) -> String {
    crate::ingest::entities::decode_with(raw, push_normalized)
}

/// Appends literal attribute text with XML 1.0 attribute normalisation: tabs and line breaks become spaces
/// (`\r\n` one space).
fn push_normalized(out: &mut String, literal: &str) {
    out.extend(literal.replace("\r\n", " ").chars().map(|c| if matches!(c, '\t' | '\r' | '\n') { ' ' } else { c }));
}

/// A folder in the tree [`write_opml`] builds: its entries in the order they first appeared.
#[derive(Default)]
struct Folder<'a> {
    name: &'a str,
    entries: Vec<Entry<'a>>,
    subfolders: Vec<Folder<'a>>,
}

/// One line inside a folder: a feed, or a subfolder (an index into the folder's `subfolders`).
enum Entry<'a> {
    Feed(&'a OpmlFeed),
    Folder(usize),
}

impl<'a> Folder<'a> {
    /// The subfolder called `name`, created at the end when missing.
    fn subfolder(&mut self, name: &'a str) -> &mut Folder<'a> {
        let index = match self.subfolders.iter().position(|f| f.name == name) {
            Some(i) => i,
            None => {
                self.subfolders.push(Folder { name, ..Folder::default() });
                self.entries.push(Entry::Folder(self.subfolders.len() - 1));
                self.subfolders.len() - 1
            }
        };
        &mut self.subfolders[index]
    }
}

/// Writes `feeds` as an OPML 2.0 document titled `title`, created at `created`.
///
/// Feeds with a group go into folder outlines (a group `"A / B"` becomes folder `A` holding folder `B`; only
/// `" / "` separates, so `"AC/DC"` stays one folder), feeds without one stay at the top level; folders and
/// feeds keep the order in which they first appear.
/// Each feed is `<outline type="rss" text="…" title="…" xmlUrl="…" htmlUrl="…"/>`, with the URL as its
/// text when it has no title and `htmlUrl` only when known. [`parse_opml`] reads the result back to the
/// same feeds.
pub fn write_opml(title: &str, feeds: &[OpmlFeed], created: DateTime<Utc>) -> String {
    let mut root = Folder::default();
    for feed in feeds {
        let mut folder = &mut root;
        if let Some(group) = &feed.group {
            for name in group.split(GROUP_SEPARATOR).map(str::trim).filter(|n| !n.is_empty()) {
                folder = folder.subfolder(name);
            }
        }
        folder.entries.push(Entry::Feed(feed));
    }

    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<opml version=\"2.0\">\n");
    out.push_str("  <head>\n");
    let _ = writeln!(out, "    <title>{}</title>", escape(title));
    let _ = writeln!(out, "    <dateCreated>{}</dateCreated>", created.format("%a, %d %b %Y %H:%M:%S GMT"));
    out.push_str("  </head>\n");
    out.push_str("  <body>\n");
    write_folder(&mut out, &root, 2);
    out.push_str("  </body>\n");
    out.push_str("</opml>\n");
    out
}

/// Writes a folder's entries, indented `depth` levels of two spaces.
fn write_folder(out: &mut String, folder: &Folder<'_>, depth: usize) {
    let indent = "  ".repeat(depth);
    for entry in &folder.entries {
        match entry {
            Entry::Feed(feed) => {
                let label = escape(feed.title.as_deref().unwrap_or(&feed.url));
                let _ = write!(
                    out,
                    "{indent}<outline type=\"rss\" text=\"{label}\" title=\"{label}\" xmlUrl=\"{}\"",
                    escape(&feed.url)
                );
                if let Some(html) = &feed.html_url {
                    let _ = write!(out, " htmlUrl=\"{}\"", escape(html));
                }
                out.push_str("/>\n");
            }
            Entry::Folder(index) => {
                let Some(sub) = folder.subfolders.get(*index) else { continue };
                let name = escape(sub.name);
                let _ = writeln!(out, "{indent}<outline text=\"{name}\" title=\"{name}\">");
                write_folder(out, sub, depth + 1);
                let _ = writeln!(out, "{indent}</outline>");
            }
        }
    }
}

/// Escapes text for an XML attribute value or element content: the five special characters, and tabs and
/// line breaks as character references (so attribute normalisation keeps them); other control characters,
/// which XML 1.0 cannot carry, are dropped.
fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'') || c.is_control()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if c.is_control() && (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn feed(url: &str, title: Option<&str>, group: Option<&str>) -> OpmlFeed {
        OpmlFeed { url: url.into(), title: title.map(Into::into), html_url: None, group: group.map(Into::into) }
    }

    fn opml(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><head><title>t</title></head><body>{body}</body></opml>"
        )
    }

    /// (url, title, group) of every feed, for compact expectations.
    fn summary(import: &OpmlImport) -> Vec<(&str, Option<&str>, Option<&str>)> {
        import.feeds.iter().map(|f| (f.url.as_str(), f.title.as_deref(), f.group.as_deref())).collect()
    }

    fn has_warning(import: &OpmlImport, needle: &str) -> bool {
        import.warnings.iter().any(|w| w.contains(needle))
    }

    type Expected = &'static [(&'static str, Option<&'static str>, Option<&'static str>)];

    #[test]
    fn reads_feeds_folders_and_odd_outlines() {
        let cases: &[(&str, &str, Expected)] = &[
            (
                "nested folders",
                r#"<outline text="Top" xmlUrl="https://top.example/rss"/>
                   <outline text="News">
                     <outline text="World" type="rss" xmlUrl="https://world.example/feed"/>
                     <outline title="Russia">
                       <outline text="Vedomosti" xmlUrl="https://ved.example/rss"/>
                       <outline text="Deep"><outline text="D" xmlUrl="https://deep.example/rss"/></outline>
                     </outline>
                     <outline text="After" xmlUrl="https://after.example/rss"/>
                   </outline>
                   <outline text="Last" xmlUrl="https://last.example/rss"/>"#,
                &[
                    ("https://top.example/rss", Some("Top"), None),
                    ("https://world.example/feed", Some("World"), Some("News")),
                    ("https://ved.example/rss", Some("Vedomosti"), Some("News / Russia")),
                    ("https://deep.example/rss", Some("D"), Some("News / Russia / Deep")),
                    ("https://after.example/rss", Some("After"), Some("News")),
                    ("https://last.example/rss", Some("Last"), None),
                ],
            ),
            (
                "a folder that carries type=rss",
                r#"<outline text="Tech" title="Tech" type="rss">
                     <outline text="A" type="rss" xmlUrl="http://a.example/rss"/>
                   </outline>"#,
                &[("http://a.example/rss", Some("A"), Some("Tech"))],
            ),
            (
                "title and text: title first, text second, neither tolerated",
                r#"<outline title="By title" text="ignored" xmlUrl="https://t.example/1"/>
                   <outline text="By text" xmlUrl="https://t.example/2"/>
                   <outline xmlUrl="https://t.example/3"/>
                   <outline title="  " text="" xmlUrl="https://t.example/4"/>"#,
                &[
                    ("https://t.example/1", Some("By title"), None),
                    ("https://t.example/2", Some("By text"), None),
                    ("https://t.example/3", None, None),
                    ("https://t.example/4", None, None),
                ],
            ),
            (
                "attribute names in any case, any type",
                r#"<outline text="lower" type="atom" xmlurl="https://c.example/1"/>
                   <outline text="upper" XMLURL="https://c.example/2" HTMLURL="https://c.example/"/>
                   <outline text="no type" xmlUrl="https://c.example/3"/>
                   <outline text="odd type" type="link" xmlUrl="https://c.example/4"/>"#,
                &[
                    ("https://c.example/1", Some("lower"), None),
                    ("https://c.example/2", Some("upper"), None),
                    ("https://c.example/3", Some("no type"), None),
                    ("https://c.example/4", Some("odd type"), None),
                ],
            ),
            (
                "feeds nested inside a feed belong to the nearest folder",
                r#"<outline text="Blogs">
                     <outline text="Parent" xmlUrl="https://p.example/rss">
                       <outline text="Child" xmlUrl="https://child.example/rss"/>
                     </outline>
                   </outline>
                   <outline text="Loose" xmlUrl="https://loose.example/rss">
                     <outline text="Inner" xmlUrl="https://inner.example/rss"/>
                   </outline>"#,
                &[
                    ("https://p.example/rss", Some("Parent"), Some("Blogs")),
                    ("https://child.example/rss", Some("Child"), Some("Blogs")),
                    ("https://loose.example/rss", Some("Loose"), None),
                    ("https://inner.example/rss", Some("Inner"), None),
                ],
            ),
            (
                "entities in attributes, a bare ampersand, whitespace around the URL",
                r#"<outline text="Q &amp; A &lt;daily&gt; &#1071;" xmlUrl=" https://e.example/rss?a=1&amp;b=2 "/>
                   <outline text="Bare" xmlUrl="https://e.example/rss?x=1&y=2"/>
                   <outline text="Tom &amp; Jerry"><outline text="F" xmlUrl="https://e.example/f"/></outline>"#,
                &[
                    ("https://e.example/rss?a=1&b=2", Some("Q & A <daily> Я"), None),
                    ("https://e.example/rss?x=1&y=2", Some("Bare"), None),
                    ("https://e.example/f", Some("F"), Some("Tom & Jerry")),
                ],
            ),
            (
                "unquoted attributes, and a URL given as the text is no title",
                r#"<outline text=Unquoted xmlUrl=https://u.example/rss />
                   <outline text="https://same.example/rss" xmlUrl="https://same.example/rss"/>"#,
                &[("https://u.example/rss", Some("Unquoted"), None), ("https://same.example/rss", None, None)],
            ),
            (
                "unnamed folders add nothing to the group",
                r#"<outline><outline text="Named"><outline text="X" xmlUrl="https://x.example/"/></outline></outline>"#,
                &[("https://x.example/", Some("X"), Some("Named"))],
            ),
        ];
        for (name, body, expected) in cases {
            let import = parse_opml(opml(body).as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(summary(&import), expected.to_vec(), "{name}");
            assert!(import.warnings.is_empty(), "{name}: {:?}", import.warnings);
        }
    }

    #[test]
    fn html_url_is_kept_when_present() {
        let body = r#"<outline text="S" xmlUrl="https://s.example/rss" htmlUrl=" https://s.example/ "/>
                      <outline text="N" xmlUrl="https://n.example/rss" htmlUrl=""/>"#;
        let import = parse_opml(opml(body).as_bytes()).expect("parses");
        assert_eq!(import.feeds[0].html_url.as_deref(), Some("https://s.example/"));
        assert_eq!(import.feeds[1].html_url, None);
    }

    #[test]
    fn skips_duplicates_and_unusable_urls_with_warnings() {
        let body = r#"<outline text="First" xmlUrl="https://dup.example/rss"/>
            <outline text="Folder"><outline text="Second" xmlUrl="  https://dup.example/rss  "/></outline>
            <outline text="Empty" xmlUrl="   "/>
            <outline text="Ftp" xmlUrl="ftp://files.example/feed.xml"/>
            <outline text="Script" xmlUrl="javascript:alert(1)"/>
            <outline text="Relative" xmlUrl="/feeds/main.xml"/>
            <outline text="Broken" xmlUrl="http://[::1"/>
            <outline text="Typed but no URL" type="rss"/>
            <outline text="Kept" xmlUrl="HTTPS://kept.example/rss"/>"#;
        let import = parse_opml(opml(body).as_bytes()).expect("parses");
        assert_eq!(
            summary(&import),
            vec![("https://dup.example/rss", Some("First"), None), ("HTTPS://kept.example/rss", Some("Kept"), None)]
        );
        let expected_warnings: &[&[&str]] = &[
            &["duplicate", "https://dup.example/rss", "\"Second\""],
            &["\"Empty\"", "empty"],
            &["\"Ftp\"", "ftp://files.example/feed.xml", "not an http(s) URL"],
            &["\"Script\"", "javascript:alert(1)"],
            &["\"Relative\"", "/feeds/main.xml", "relative"],
            &["\"Broken\"", "http://[::1"],
            &["\"Typed but no URL\"", "no xmlUrl"],
        ];
        assert_eq!(import.warnings.len(), expected_warnings.len(), "{:?}", import.warnings);
        for (warning, needles) in import.warnings.iter().zip(expected_warnings) {
            for needle in *needles {
                assert!(warning.contains(needle), "{warning:?} should contain {needle:?}");
            }
        }
    }

    #[test]
    fn not_opml_is_a_parse_error() {
        let cases: &[(&str, &[u8], &str)] = &[
            ("an RSS feed", br#"<?xml version="1.0"?><rss version="2.0"><channel/></rss>"#, "<rss>"),
            ("an HTML page", b"<!DOCTYPE html><html><body><p>hi</p></body></html>", "<html>"),
            ("plain text", b"just some words, no markup", "no <opml> root"),
            ("empty input", b"", "no <opml> root"),
            ("JSON", br#"{"feeds": ["https://a.example/rss"]}"#, "no <opml> root"),
            ("mismatched tags", b"<opml><head></body></opml>", "malformed XML"),
            ("unclosed tag", b"<opml><head><title>x</title", "malformed XML"),
        ];
        for (name, bytes, needle) in cases {
            match parse_opml(bytes) {
                Err(Error::Parse(message)) => assert!(message.contains(needle), "{name}: {message}"),
                other => panic!("{name}: expected a parse error, got {other:?}"),
            }
        }
    }

    #[test]
    fn malformed_after_the_first_outline_keeps_what_was_read() {
        let text = "<opml><body><outline text=\"A\" xmlUrl=\"https://a.example/rss\"/></outline></body></opml>";
        let import = parse_opml(text.as_bytes()).expect("tolerated");
        assert_eq!(summary(&import), vec![("https://a.example/rss", Some("A"), None)]);
        assert!(has_warning(&import, "malformed"), "{:?}", import.warnings);

        let truncated = "<opml><body><outline text=\"A\" xmlUrl=\"https://a.example/rss\"/><outline text=\"B\" xml";
        let import = parse_opml(truncated.as_bytes()).expect("tolerated");
        assert_eq!(import.feeds.len(), 1);
    }

    #[test]
    fn empty_opml_gives_a_warning_not_an_error() {
        let cases = [
            "<opml version=\"2.0\"><head><title>Nothing</title></head><body/></opml>",
            "<?xml version=\"1.0\"?><opml version=\"1.0\"/>",
            "<opml><body><outline text=\"Empty folder\"></outline><outline text=\"Note\"/></body></opml>",
        ];
        for text in cases {
            let import = parse_opml(text.as_bytes()).expect(text);
            assert!(import.feeds.is_empty(), "{text}");
            assert_eq!(import.warnings, vec!["no feeds in this OPML file".to_string()], "{text}");
        }
    }

    #[test]
    fn billion_laughs_is_not_expanded() {
        let mut doctype = String::from("<!DOCTYPE opml [\n<!ENTITY lol \"lol\">\n");
        for level in 1..=9 {
            let prev = if level == 1 { "lol".to_string() } else { format!("lol{}", level - 1) };
            let refs = format!("&{prev};").repeat(10);
            doctype.push_str(&format!("<!ENTITY lol{level} \"{refs}\">\n"));
        }
        doctype.push_str("]>\n");
        let text = format!(
            "<?xml version=\"1.0\"?>\n{doctype}<opml version=\"2.0\"><body>\
             <outline text=\"&lol9;\" xmlUrl=\"https://laugh.example/rss\"/>\
             <outline text=\"&lol9;\" xmlUrl=\"&lol9;\"/></body></opml>"
        );
        let started = std::time::Instant::now();
        let import = parse_opml(text.as_bytes()).expect("parses without expanding");
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "took {:?}", started.elapsed());
        assert_eq!(summary(&import), vec![("https://laugh.example/rss", Some("&lol9;"), None)]);
        assert!(has_warning(&import, "&lol9;"), "{:?}", import.warnings);
    }

    #[test]
    fn decodes_windows_1251_and_boms() {
        let source = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<opml version=\"1.0\"><head>\
            <title>Подписки</title></head><body><outline text=\"Новости\" title=\"Новости\">\
            <outline text=\"Россия\"><outline type=\"rss\" text=\"Ведомости: главное\" \
            xmlUrl=\"https://ved.example/rss/главное\"/></outline></outline></body></opml>";
        let (bytes, _, had_errors) = encoding_rs::WINDOWS_1251.encode(source);
        assert!(!had_errors);
        assert!(std::str::from_utf8(&bytes).is_err(), "the test input must not be UTF-8");
        let import = parse_opml(&bytes).expect("parses");
        assert_eq!(
            summary(&import),
            vec![("https://ved.example/rss/главное", Some("Ведомости: главное"), Some("Новости / Россия"))]
        );

        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(opml(r#"<outline text="Ж" xmlUrl="https://bom.example/"/>"#).as_bytes());
        let import = parse_opml(&with_bom).expect("parses");
        assert_eq!(summary(&import), vec![("https://bom.example/", Some("Ж"), None)]);

        let utf16: Vec<u8> = std::iter::once(0xFEFF_u16)
            .chain(opml(r#"<outline text="中文" xmlUrl="https://u16.example/"/>"#).encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        let import = parse_opml(&utf16).expect("parses");
        assert_eq!(summary(&import), vec![("https://u16.example/", Some("中文"), None)]);
    }

    #[test]
    fn round_trips() {
        let feeds = vec![
            OpmlFeed {
                url: "https://lenta.example/rss?a=1&b=2".into(),
                title: Some("Лента.ру — «главное»".into()),
                html_url: Some("https://lenta.example/?from=opml&x=<y>".into()),
                group: Some("Новости / Россия".into()),
            },
            feed("https://xinhua.example/rss.xml", Some("新华网 \"要闻\" & 'more'"), Some("Новости / 中国")),
            feed("https://top.example/feed", None, None),
            feed("https://news.example/a", Some("Plain"), Some("Новости")),
            feed("https://ru2.example/rss", Some("Second in Russia"), Some("Новости / Россия")),
            feed("https://deep.example/rss", Some("Deep"), Some("A / B / C")),
            feed("https://tabs.example/rss", Some("line one\nline\ttwo"), None),
            feed("https://top2.example/feed", Some("<b>Top two</b>"), None),
            feed("https://slash.example/rss", Some("Slash"), Some("AC/DC")),
        ];
        let created = Utc.with_ymd_and_hms(2024, 3, 5, 7, 8, 9).single().expect("valid date");
        let xml = write_opml("Mediawatch & co <export>", &feeds, created);
        let import = parse_opml(xml.as_bytes()).expect("own output parses");
        assert!(import.warnings.is_empty(), "{:?}", import.warnings);

        // Same feeds; within a group, same order.
        let mut got = import.feeds.clone();
        let mut want = feeds.clone();
        let key = |f: &OpmlFeed| (f.group.clone(), f.url.clone());
        got.sort_by_key(key);
        want.sort_by_key(key);
        assert_eq!(got, want);
        for group in [None, Some("Новости / Россия"), Some("Новости")] {
            let order = |list: &[OpmlFeed]| -> Vec<String> {
                list.iter().filter(|f| f.group.as_deref() == group).map(|f| f.url.clone()).collect()
            };
            assert_eq!(order(&import.feeds), order(&feeds), "{group:?}");
        }
    }

    #[test]
    fn writes_opml_2_with_nested_folders() {
        let feeds = vec![
            OpmlFeed {
                url: "https://a.example/rss?x=1&y=2".into(),
                title: Some("A \"quoted\" & 'single'".into()),
                html_url: Some("https://a.example/".into()),
                group: Some("News / World".into()),
            },
            feed("https://b.example/rss", None, None),
            feed("https://c.example/rss", Some("C"), Some("News")),
        ];
        let created = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).single().expect("valid date");
        let xml = write_opml("My <feeds>", &feeds, created);
        let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>My &lt;feeds&gt;</title>
    <dateCreated>Tue, 02 Jan 2024 03:04:05 GMT</dateCreated>
  </head>
  <body>
    <outline text="News" title="News">
      <outline text="World" title="World">
        <outline type="rss" text="A &quot;quoted&quot; &amp; &apos;single&apos;" title="A &quot;quoted&quot; &amp; &apos;single&apos;" xmlUrl="https://a.example/rss?x=1&amp;y=2" htmlUrl="https://a.example/"/>
      </outline>
      <outline type="rss" text="C" title="C" xmlUrl="https://c.example/rss"/>
    </outline>
    <outline type="rss" text="https://b.example/rss" title="https://b.example/rss" xmlUrl="https://b.example/rss"/>
  </body>
</opml>
"#;
        assert_eq!(xml, expected);
    }

    #[test]
    fn write_ignores_empty_group_segments() {
        let feeds =
            vec![feed("https://a.example/", Some("A"), Some(" / ")), feed("https://b.example/", None, Some(""))];
        let created = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().expect("valid date");
        let import = parse_opml(write_opml("t", &feeds, created).as_bytes()).expect("parses");
        assert!(import.feeds.iter().all(|f| f.group.is_none()), "{:?}", import.feeds);
    }

    #[test]
    fn lenient_unescape_keeps_unknown_entities() {
        assert_eq!(lenient_unescape("a&b &amp; &#x41;&#66; &nbsp; &bogus"), "a&b & AB \u{a0} &bogus");
        assert_eq!(lenient_unescape("x\r\ny\tz"), "x y z");
    }
}
