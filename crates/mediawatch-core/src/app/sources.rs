//! Sources: adding one (a feed URL as it is; a page's URL replaced by the feed it advertises or, failing that,
//! a conventional feed location or its news sitemap), editing, removing, and OPML import and export.

use std::path::{Path, PathBuf};

use super::{sitemap, Mediawatch};
use crate::error::{Error, Result};
use crate::ingest::discover::{self, DocumentKind};
use crate::ingest::fetch::{self, FetchOutcome};
use crate::ingest::{decode, opml, parse};
use crate::model::{FullTextMode, Id, NewSource, OpmlImportSummary, Source, SourceKind, SourceUpdate};
use crate::store::{SourceRecord, Store};

/// Candidate URLs tried when a page advertises no feed (or its advertised ones fail).
const MAX_DISCOVERY_PROBES: usize = 12;

/// The polling interval of a source added without one, unless `fetch.interval_minutes` says otherwise.
pub(super) const DEFAULT_INTERVAL_MINUTES: u32 = 30;

/// The shortest polling interval, in minutes, of a source and of `fetch.interval_minutes` alike (the
/// schema's `CHECK (interval_minutes > 0)`); the longest is `u32::MAX`.
pub(super) const MIN_INTERVAL_MINUTES: u32 = 1;

fn check_interval(minutes: u32) -> Result<()> {
    if minutes < MIN_INTERVAL_MINUTES {
        return Err(Error::InvalidInput("the polling interval must be at least one minute".into()));
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`: a full disk or a crash
/// never leaves a half-written file where the old one was.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.partial"));
    let fail = |e: std::io::Error| Error::File(format!("cannot write {}: {e}", path.display()));
    if let Err(e) = std::fs::write(&tmp, bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// The feed found behind a URL the analyst gave.
struct FoundFeed {
    url: url::Url,
    title: Option<String>,
    kind: SourceKind,
}

/// A source's default name: its host without `www.`.
pub(super) fn host_name(url: &url::Url) -> String {
    url.host_str().unwrap_or(url.as_str()).trim_start_matches("www.").to_string()
}

impl Mediawatch {
    /// Adds a source. A feed URL is stored as it is; a web page's URL is replaced by the feed it
    /// advertises (`<link rel="alternate">`) or, failing that, the first of `/feed`, `/rss`, `/rss.xml`,
    /// `/atom.xml`, `/index.xml` that answers with a feed. A URL that cannot be reached right now is
    /// stored as given (the fetch cycle records why it fails); a page with no feed is refused.
    pub async fn add_source(&self, new: NewSource) -> Result<Source> {
        let url = fetch::validate_url(&new.url)?;
        let interval = match new.interval_minutes {
            Some(minutes) => minutes,
            None => self.stored_settings().await?.fetch.interval_minutes,
        };
        check_interval(interval)?;
        if self
            .db({
                let u = url.to_string();
                move |s| s.source_url_exists(&u)
            })
            .await?
        {
            return Err(Error::Conflict(format!("a source with the URL {url} exists already")));
        }
        let found = self.discover_feed(&url).await?;
        let given = new.name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        let name_is_default = given.is_none();
        let kind = found.kind;
        let name = given.or(found.title).unwrap_or_else(|| host_name(&found.url));
        let now = self.now();
        let feed_url = found.url.to_string();
        let full_text = new.full_text.unwrap_or_default();
        self.db(move |s| {
            let record = SourceRecord {
                url: &feed_url,
                name: &name,
                name_is_default,
                group: None,
                interval_minutes: interval,
                full_text,
                kind,
            };
            s.insert_source_record(&record, now)
        })
        .await
    }

    /// Finds the feed behind a URL (see [`Mediawatch::add_source`]).
    async fn discover_feed(&self, url: &url::Url) -> Result<FoundFeed> {
        let as_given = |kind| FoundFeed { url: url.clone(), title: None, kind };
        let fetcher = self.fetcher();
        let doc = match fetcher.probe(url.as_str()).await {
            Ok(FetchOutcome::Fetched(doc)) => doc,
            // Unreachable now (offline, server error): keep the URL; the fetch cycle will report on it.
            Ok(FetchOutcome::NotModified) | Err(_) => return Ok(as_given(SourceKind::Feed)),
        };
        match discover::sniff(&doc.body, doc.content_type.as_deref()) {
            DocumentKind::Feed => {
                let title = parse::parse_feed(&doc.body, doc.content_type.as_deref(), Some(doc.base_url()))
                    .ok()
                    .and_then(|f| f.title);
                Ok(FoundFeed { title, ..as_given(SourceKind::Feed) })
            }
            DocumentKind::Sitemap | DocumentKind::SitemapIndex => {
                if sitemap::is_news_sitemap(&doc.body, doc.content_type.as_deref()) {
                    Ok(as_given(SourceKind::Sitemap))
                } else {
                    Err(Error::InvalidInput(format!(
                        "{url} is a sitemap of undated pages: it cannot tell new articles apart (a news sitemap, \
                         with dates or news: entries, can)"
                    )))
                }
            }
            DocumentKind::Html => {
                let page_url = url::Url::parse(&doc.final_url).unwrap_or_else(|_| url.clone());
                let html = decode::decode(&doc.body, doc.content_type.as_deref()).text;
                let advertised = discover::feed_links(&html, &page_url);
                let mut candidates: Vec<(String, Option<String>)> =
                    advertised.into_iter().map(|l| (l.url, l.title)).collect();
                candidates.extend(discover::candidate_feed_urls(&page_url).into_iter().map(|u| (u.to_string(), None)));
                for (candidate, link_title) in candidates.into_iter().take(MAX_DISCOVERY_PROBES) {
                    if let Ok(FetchOutcome::Fetched(feed_doc)) = fetcher.probe(&candidate).await {
                        if discover::sniff(&feed_doc.body, feed_doc.content_type.as_deref()) == DocumentKind::Feed {
                            let feed_title = parse::parse_feed(
                                &feed_doc.body,
                                feed_doc.content_type.as_deref(),
                                Some(feed_doc.base_url()),
                            )
                            .ok()
                            .and_then(|f| f.title);
                            let url = fetch::validate_url(&candidate)?;
                            return Ok(FoundFeed { url, title: feed_title.or(link_title), kind: SourceKind::Feed });
                        }
                    }
                }
                // No feed at all: the site's news sitemap lists its new articles instead.
                if let Some(sitemap) = self.find_sitemap(&page_url).await {
                    let title = discover::page_metadata(&html).site_name.or_else(|| Some(host_name(&page_url)));
                    return Ok(FoundFeed { url: sitemap, title, kind: SourceKind::Sitemap });
                }
                Err(Error::NotFound(format!(
                    "no feed found for {url}: the page advertises none, none of /feed, /rss, /rss.xml, \
                     /atom.xml, /index.xml answered with one, and the site has no sitemap (robots.txt, /sitemap.xml)"
                )))
            }
            DocumentKind::Other => {
                Err(Error::Parse(format!("{url} is neither a feed nor a web page that links to one")))
            }
        }
    }

    /// Imports an OPML file's feeds as sources (folders become groups); feeds already present are skipped.
    /// Nothing is fetched: the next cycle fetches the new sources.
    pub async fn import_opml(&self, bytes: Vec<u8>) -> Result<OpmlImportSummary> {
        let parsed = opml::parse_opml(&bytes)?;
        let interval = self.stored_settings().await?.fetch.interval_minutes;
        let now = self.now();
        self.db(move |s| {
            let mut added = Vec::new();
            let mut already_present = 0;
            let mut warnings = parsed.warnings;
            for feed in parsed.feeds {
                let url = match fetch::validate_url(&feed.url) {
                    Ok(u) => u.to_string(),
                    Err(e) => {
                        warnings.push(e.to_string());
                        continue;
                    }
                };
                if s.source_url_exists(&url)? {
                    already_present += 1;
                    continue;
                }
                let (name, is_default) = match feed.title {
                    Some(t) => (t, false),
                    None => (url::Url::parse(&url).map(|u| host_name(&u)).unwrap_or_else(|_| url.clone()), true),
                };
                let record = SourceRecord {
                    url: &url,
                    name: &name,
                    name_is_default: is_default,
                    group: feed.group.as_deref(),
                    interval_minutes: interval,
                    full_text: FullTextMode::Auto,
                    kind: SourceKind::Feed,
                };
                added.push(s.insert_source_record(&record, now)?);
            }
            Ok(OpmlImportSummary { added, already_present, warnings })
        })
        .await
    }

    /// Imports the OPML file at `path` (see [`Mediawatch::import_opml`]).
    pub async fn import_opml_file(&self, path: PathBuf) -> Result<OpmlImportSummary> {
        let bytes = tokio::task::spawn_blocking(move || {
            std::fs::read(&path).map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())))
        })
        .await
        .map_err(|e| Error::Internal(format!("import task failed: {e}")))??;
        self.import_opml(bytes).await
    }

    /// Writes every source to the OPML file at `path`, atomically (a failed write leaves no partial file).
    pub async fn export_opml_file(&self, path: PathBuf) -> Result<()> {
        let opml = self.export_opml().await?;
        tokio::task::spawn_blocking(move || write_file_atomically(&path, opml.as_bytes()))
            .await
            .map_err(|e| Error::Internal(format!("export task failed: {e}")))?
    }

    /// All sources as an OPML 2.0 document (groups become folders).
    pub async fn export_opml(&self) -> Result<String> {
        let sources = self.list_sources().await?;
        let feeds: Vec<opml::OpmlFeed> = sources
            .into_iter()
            .map(|s| opml::OpmlFeed { url: s.url, title: Some(s.name), html_url: None, group: s.group })
            .collect();
        Ok(opml::write_opml("Mediawatch sources", &feeds, self.now()))
    }

    pub async fn list_sources(&self) -> Result<Vec<Source>> {
        self.db(Store::list_sources).await
    }

    /// Changes a source's settings (name, group, polling interval, full-text mode, enabled).
    pub async fn update_source(&self, id: Id, update: SourceUpdate) -> Result<Source> {
        if let Some(minutes) = update.interval_minutes {
            check_interval(minutes)?;
        }
        if update.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(Error::InvalidInput("a source needs a name".into()));
        }
        let update = SourceUpdate { name: update.name.map(|n| n.trim().to_string()), ..update };
        self.db(move |s| s.update_source(id, &update)).await
    }

    pub async fn remove_source(&self, id: Id) -> Result<()> {
        self.db(move |s| s.remove_source(id)).await
    }
}
