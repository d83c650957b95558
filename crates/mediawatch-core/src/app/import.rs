//! `import FILE|DIR`: saved HTML pages and JSON-lines articles enter the store as if fetched (offline use,
//! migration from other tools), through the same stage as fetched items (dedup and updates, language,
//! fingerprint and story clusters, topics).
//!
//! - A saved page (`.html`, `.htm`, `.xhtml`) is extracted like a fetched article page; its address is the
//!   browser's `<!-- saved from url=(NNNN)… -->` mark, else its `<link rel=canonical>`, else `og:url`.
//! - A JSON-lines file (`.jsonl`, `.ndjson`, `.json`) holds one article a line, the shape `match --docs`
//!   reads plus a few optional fields: `{"id", "title", "text", "lang"?, "source"?, "url"?, "author"?,
//!   "published"?, "html"?}`.
//! - A folder is read recursively in name order (a browser's `NAME_files/` asset folders are skipped).
//!
//! Articles are filed under one source per site (the page's site name or host, or the line's `source`), of
//! kind `import`: such sources are never fetched. A file or line that cannot be read is an error in the
//! summary, never a reason to lose the rest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::sources::host_name;
use super::{articles, Mediawatch};
use crate::articles::extract;
use crate::error::{Error, Result};
use crate::ingest::{dates, urlnorm};
use crate::model::{FetchSummary, FullTextMode, Id, SourceError, SourceKind, TextOrigin};
use crate::store::{NewArticle, SourceRecord};

/// Files larger than this are refused (a saved page or an export is far smaller).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The folder imported articles are filed under.
const IMPORT_GROUP: &str = "Imported";

/// One line of a JSON-lines import.
#[derive(Debug, Deserialize)]
struct Line {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    html: Option<String>,
}

/// Where an article read from a file goes: the source's name and the address that identifies it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Site {
    name: String,
    key: String,
}

fn site_for(url: Option<&str>, site_name: Option<&str>, source: Option<&str>) -> Site {
    let host = url.and_then(|u| url::Url::parse(u).ok()).map(|u| host_name(&u));
    let name = source
        .or(site_name)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or_else(|| host.clone())
        .unwrap_or_else(|| "Imported files".to_string());
    let key = match (source, &host) {
        (Some(s), _) if !s.trim().is_empty() => s.split_whitespace().collect::<Vec<_>>().join("-").to_lowercase(),
        (_, Some(h)) => h.clone(),
        _ => "files".to_string(),
    };
    Site { name, key }
}

/// The files an import reads, in name order.
fn files_of(path: &Path) -> Result<Vec<PathBuf>> {
    let meta =
        std::fs::metadata(path).map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| Error::InvalidInput(format!("cannot read the folder {}: {e}", dir.display())))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| Error::InvalidInput(format!("cannot read the folder {}: {e}", dir.display())))?;
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                if !name.ends_with("_files") {
                    stack.push(p);
                }
            } else if kind_of(&p).is_some() {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum FileKind {
    Page,
    Lines,
}

fn kind_of(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => Some(FileKind::Page),
        "jsonl" | "ndjson" | "json" => Some(FileKind::Lines),
        _ => None,
    }
}

/// The address a browser wrote into a saved page (`<!-- saved from url=(0042)https://… -->`).
fn saved_from_url(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_string();
    let at = head.find("saved from url=(")?;
    let rest = &head[at + "saved from url=(".len()..];
    let rest = &rest[rest.find(')')? + 1..];
    let url: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    let url = url.split("-->").next()?.to_string();
    url::Url::parse(&url).ok().filter(|u| matches!(u.scheme(), "http" | "https")).map(|_| url)
}

/// A saved page → an article draft and its site.
fn page_draft(bytes: &[u8]) -> Result<(Site, NewArticle)> {
    let url = saved_from_url(bytes);
    let page = extract::extract(bytes, url.as_deref(), None)?;
    let html_head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]).to_string();
    let og_url = crate::ingest::discover::page_metadata(&html_head).url;
    let address = url
        .as_deref()
        .and_then(urlnorm::canonical)
        .or_else(|| page.canonical_url.clone())
        .or_else(|| og_url.as_deref().and_then(urlnorm::canonical));
    let site = site_for(address.as_deref(), page.site_name.as_deref(), None);
    let mut draft = NewArticle {
        url: address,
        title: page.title.clone().unwrap_or_default(),
        lang: page.lang.clone(),
        ..NewArticle::default()
    };
    articles::merge_page(&mut draft, page);
    if draft.title.trim().is_empty() {
        draft.title = draft.text.chars().take(120).collect();
    }
    Ok((site, draft))
}

/// A JSON line → an article draft and its site.
fn line_draft(line: &str) -> std::result::Result<(Site, NewArticle), String> {
    let l: Line = serde_json::from_str(line).map_err(|e| format!("not a JSON article: {e}"))?;
    let text = l.text.unwrap_or_default();
    let title = l.title.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| text.chars().take(120).collect());
    if title.trim().is_empty() && text.trim().is_empty() {
        return Err("the article has neither title nor text".to_string());
    }
    let url = l.url.as_deref().and_then(urlnorm::canonical);
    let published: Option<DateTime<Utc>> = match l.published.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(dates::parse_date(p).ok_or_else(|| format!("unreadable `published` time: {p:?}"))?),
        None => None,
    };
    let guid = l.id.map(|v| match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    });
    let site = site_for(url.as_deref(), None, l.source.as_deref());
    Ok((
        site,
        NewArticle {
            guid,
            url,
            title,
            author: l.author.filter(|a| !a.trim().is_empty()),
            text,
            content_html: l.html,
            lang: l.lang,
            published_at: published,
            text_origin: TextOrigin::Feed,
            ..NewArticle::default()
        },
    ))
}

impl Mediawatch {
    /// Imports saved HTML pages and JSON-lines articles from a file or a folder (see the module's
    /// documentation). The summary counts the sources written to and the new articles; every file or line that
    /// could not be read is an error in it.
    pub async fn import(&self, path: PathBuf) -> Result<FetchSummary> {
        let files = tokio::task::spawn_blocking({
            let path = path.clone();
            move || files_of(&path)
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
        if files.is_empty() {
            return Err(Error::InvalidInput(format!(
                "{} holds no saved pages (.html, .htm) or JSON-lines files (.jsonl, .ndjson, .json)",
                path.display()
            )));
        }
        let mut errors: Vec<SourceError> = Vec::new();
        let read = tokio::task::spawn_blocking(move || {
            let mut by_site: BTreeMap<Site, Vec<NewArticle>> = BTreeMap::new();
            let mut errors = Vec::new();
            for file in files {
                let problem = |code: &str, message: String| SourceError {
                    source: 0,
                    code: code.to_string(),
                    message: format!("{}: {message}", file.display()),
                };
                match std::fs::metadata(&file) {
                    Ok(m) if m.len() > MAX_FILE_BYTES => {
                        errors.push(problem("invalid_input", format!("larger than {MAX_FILE_BYTES} bytes")));
                        continue;
                    }
                    Err(e) => {
                        errors.push(problem("invalid_input", e.to_string()));
                        continue;
                    }
                    Ok(_) => {}
                }
                let bytes = match std::fs::read(&file) {
                    Ok(b) => b,
                    Err(e) => {
                        errors.push(problem("invalid_input", e.to_string()));
                        continue;
                    }
                };
                match kind_of(&file) {
                    Some(FileKind::Page) => match page_draft(&bytes) {
                        Ok((site, draft)) => by_site.entry(site).or_default().push(draft),
                        Err(e) => errors.push(problem(&e.code().to_string(), e.to_string())),
                    },
                    Some(FileKind::Lines) => {
                        let text = String::from_utf8_lossy(&bytes);
                        for (n, line) in text.lines().enumerate() {
                            if line.trim().is_empty() {
                                continue;
                            }
                            match line_draft(line) {
                                Ok((site, draft)) => by_site.entry(site).or_default().push(draft),
                                Err(m) => errors.push(problem("parse", format!("line {}: {m}", n + 1))),
                            }
                        }
                    }
                    None => {}
                }
            }
            (by_site, errors)
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        let (by_site, read_errors) = read;
        errors.extend(read_errors);

        let queries = self.db(crate::store::Store::topic_queries).await?;
        let (matcher, skipped_topics) = super::topics::stored_topics_matcher(&queries);
        let matcher = std::sync::Arc::new(matcher);
        let mut summary = FetchSummary {
            sources: 0,
            new_articles: 0,
            not_modified: 0,
            errors: Vec::new(),
            skipped_topics,
            alerts: Default::default(),
        };
        for (site, drafts) in by_site {
            let source_id = self.import_source(&site).await?;
            // Imported articles are complete as they are: no page is fetched for them.
            let prepared = self.prepare_articles(source_id, FullTextMode::Never, drafts, matcher.clone()).await?;
            let now = self.now();
            let added = self.db(move |s| s.save_import(source_id, &prepared, now)).await?;
            summary.sources += 1;
            summary.new_articles += added;
        }
        summary.errors = errors;
        Ok(summary)
    }

    /// The import source of a site, created on first use.
    async fn import_source(&self, site: &Site) -> Result<Id> {
        let url = format!("import:{}", site.key);
        let name = site.name.clone();
        let now = self.now();
        self.db(move |s| {
            if let Some(id) = s.source_id_by_url(&url)? {
                return Ok(id);
            }
            let record = SourceRecord {
                url: &url,
                name: &name,
                name_is_default: false,
                group: Some(IMPORT_GROUP),
                interval_minutes: 60,
                full_text: FullTextMode::Never,
                kind: SourceKind::Import,
            };
            Ok(s.insert_source_record(&record, now)?.id)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_saved_page_keeps_its_address() {
        let page = b"<!DOCTYPE html>\n<!-- saved from url=(0036)https://tvbrics.com/en/news/abc/ -->\n<html>";
        assert_eq!(saved_from_url(page).as_deref(), Some("https://tvbrics.com/en/news/abc/"));
        assert_eq!(saved_from_url(b"<html><body>no mark</body></html>"), None);
        assert_eq!(saved_from_url(b"<!-- saved from url=(0010)about:blank -->"), None);
    }

    #[test]
    fn lines_read_the_match_docs_shape_and_say_what_is_wrong() {
        let (site, d) = line_draft(
            r#"{"id": 7, "title": "BRICS", "text": "Body", "source": "TASS", "url": "https://tass.com/a?utm_source=x", "published": "2024-10-22T10:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(site.name, "TASS");
        assert_eq!(d.guid.as_deref(), Some("7"));
        assert_eq!(d.url.as_deref(), Some("https://tass.com/a"));
        assert!(d.published_at.is_some());
        assert!(line_draft("{not json").unwrap_err().contains("not a JSON article"));
        assert!(line_draft(r#"{"id": "x"}"#).unwrap_err().contains("neither title nor text"));
        assert!(line_draft(r#"{"title": "t", "published": "someday"}"#).unwrap_err().contains("unreadable"));
    }

    #[test]
    fn sites_come_from_the_source_field_the_site_name_or_the_host() {
        assert_eq!(site_for(Some("https://www.tass.com/x"), None, None).name, "tass.com");
        assert_eq!(site_for(Some("https://tass.com/x"), Some("TASS"), None).name, "TASS");
        assert_eq!(site_for(None, None, Some("Xinhua")).key, "xinhua");
        assert_eq!(site_for(None, None, None).name, "Imported files");
    }
}
