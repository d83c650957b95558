//! Sources of kind `sitemap`: a news site without a feed is followed through its news sitemap
//! (`<urlset>` with Google's `news:` extension, or a `<sitemapindex>` pointing at one). Each cycle the
//! sitemap's recent entries become the new article URLs; an entry without a `news:title` gets its title,
//! description, date and language from the page's `<head>`.
//!
//! Network goes through the polite fetcher; what the bytes mean is `ingest::discover`'s and
//! `ingest::sitemap`'s business.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use url::Url;

use super::Mediawatch;
use crate::error::{Error, Result};
use crate::ingest::discover::{self, DocumentKind};
use crate::ingest::fetch::{FetchOutcome, Fetched};
use crate::ingest::sitemap::{self, Sitemap, SitemapEntry};
use crate::model::{ParsedFeed, ParsedItem};

/// How far back a sitemap entry counts as new (news sitemaps list about two days of articles).
const RECENT: Duration = Duration::days(2);
/// Child sitemaps of an index read per cycle (news ones first).
const MAX_CHILD_SITEMAPS: usize = 3;
/// Entries kept per cycle, newest first; the rest wait for the next cycle.
const MAX_ENTRIES_PER_CYCLE: usize = 50;
/// Article pages fetched per cycle for entries without a `news:title`.
const MAX_PAGES_PER_CYCLE: usize = 20;
/// Sitemap URLs tried when a site has no feed: its robots.txt `Sitemap:` lines, then these.
const CONVENTIONAL_SITEMAPS: [&str; 3] = ["/news-sitemap.xml", "/sitemap_news.xml", "/sitemap.xml"];
const MAX_SITEMAP_PROBES: usize = 6;

/// Whether a document is a sitemap that can tell new articles apart: a sitemap index, or a `<urlset>` with
/// at least one dated or `news:` entry (a site-wide sitemap of undated pages cannot).
pub(super) fn is_news_sitemap(bytes: &[u8], content_type: Option<&str>) -> bool {
    match discover::sniff(bytes, content_type) {
        DocumentKind::SitemapIndex => true,
        DocumentKind::Sitemap => match sitemap::parse_sitemap(bytes) {
            Ok(Sitemap::Urls(entries)) => entries.iter().any(|e| e.date().is_some() || e.news_title.is_some()),
            Ok(Sitemap::Index(_)) => true,
            Err(_) => false,
        },
        _ => false,
    }
}

impl Mediawatch {
    /// The sitemap to follow for a site that has no feed: the `Sitemap:` lines of its robots.txt (news ones
    /// first), then `/news-sitemap.xml`, `/sitemap_news.xml`, `/sitemap.xml`; the first that answers with a
    /// sitemap or sitemap index.
    pub(super) async fn find_sitemap(&self, page: &Url) -> Option<Url> {
        let mut candidates: Vec<String> = Vec::new();
        if let Ok(robots) = page.join("/robots.txt") {
            if let Ok(FetchOutcome::Fetched(doc)) = self.fetcher().probe(robots.as_str()).await {
                let text = crate::ingest::decode::decode(&doc.body, doc.content_type.as_deref()).text;
                let mut listed = sitemap::robots_sitemaps(&text);
                listed.sort_by_key(|u| !u.to_ascii_lowercase().contains("news"));
                candidates.extend(listed);
            }
        }
        candidates.extend(CONVENTIONAL_SITEMAPS.iter().filter_map(|path| page.join(path).ok()).map(String::from));
        let mut seen = HashSet::new();
        candidates.retain(|c| seen.insert(c.clone()));
        for candidate in candidates.into_iter().take(MAX_SITEMAP_PROBES) {
            if let Ok(FetchOutcome::Fetched(doc)) = self.fetcher().probe(&candidate).await {
                if is_news_sitemap(&doc.body, doc.content_type.as_deref()) {
                    return crate::ingest::fetch::validate_url(&candidate).ok();
                }
            }
        }
        None
    }

    /// Reads a fetched sitemap into the same shape a feed parses into: one item per recent entry whose
    /// URL is not stored yet, newest first. `read_heads`: fetch the page of an entry without a
    /// `news:title` for its title (when the source's full-text mode is `never`; otherwise the articles stage
    /// fetches and extracts the page anyway).
    pub(super) async fn sitemap_feed(&self, doc: &Fetched, now: DateTime<Utc>, read_heads: bool) -> Result<ParsedFeed> {
        let mut warnings = Vec::new();
        let mut entries = match sitemap::parse_sitemap(&doc.body)? {
            Sitemap::Urls(entries) => entries,
            Sitemap::Index(children) => self.read_children(children, &mut warnings).await?,
        };
        // Stored (and compared) under their canonical URLs, like feed items.
        for entry in &mut entries {
            if let Some(canonical) = crate::ingest::urlnorm::canonical(&entry.url) {
                entry.url = canonical;
            }
        }
        let mut recent: Vec<SitemapEntry> = sitemap::recent_entries(&entries, now - RECENT)
            .into_iter()
            // An undated entry is new only in a news sitemap; in a site-wide one it is any old page.
            .filter(|e| e.date().is_some() || e.news_title.is_some() || e.news_published.is_some())
            .collect();
        let urls: Vec<String> = recent.iter().map(|e| e.url.clone()).collect();
        let known = self.db(move |s| s.known_article_urls(&urls)).await?;
        recent.retain(|e| !known.contains(&e.url));
        if recent.len() > MAX_ENTRIES_PER_CYCLE {
            warnings.push(format!(
                "{} new sitemap entries; the newest {MAX_ENTRIES_PER_CYCLE} are read now, the rest next time",
                recent.len()
            ));
            recent.truncate(MAX_ENTRIES_PER_CYCLE);
        }
        let mut pages_left = MAX_PAGES_PER_CYCLE;
        let mut items = Vec::with_capacity(recent.len());
        for entry in recent {
            let mut item = ParsedItem {
                id: Some(entry.url.clone()),
                title: entry.news_title.clone(),
                url: Some(entry.url.clone()),
                published: entry.date(),
                updated: None,
                authors: Vec::new(),
                summary: None,
                content_html: None,
                categories: Vec::new(),
                language: entry.news_language.clone(),
                image: None,
            };
            // The articles stage fetches the page anyway (full text): it reads the title there.
            if item.title.is_none() && read_heads {
                if pages_left == 0 {
                    continue; // read next cycle, when the page can be fetched for its title
                }
                pages_left -= 1;
                match self.page_meta(&entry.url).await {
                    Ok(meta) => {
                        item.title = meta.title;
                        item.summary = meta.description;
                        item.published = item.published.or(meta.published);
                        item.language = item.language.or(meta.language);
                    }
                    Err(e) => {
                        warnings.push(format!("{}: {e}", entry.url));
                        continue;
                    }
                }
                if item.title.is_none() {
                    warnings.push(format!("{}: the page has no title", entry.url));
                    continue;
                }
            }
            items.push(item);
        }
        let publication = entries.iter().find_map(|e| e.news_publication.clone());
        Ok(ParsedFeed {
            format: "sitemap".into(),
            title: publication,
            link: None,
            language: None,
            encoding: "utf-8".into(),
            ttl_minutes: None,
            warnings,
            items,
        })
    }

    /// The entries of an index's child sitemaps (news ones first, at most [`MAX_CHILD_SITEMAPS`]).
    async fn read_children(&self, mut children: Vec<String>, warnings: &mut Vec<String>) -> Result<Vec<SitemapEntry>> {
        children.sort_by_key(|u| !u.to_ascii_lowercase().contains("news"));
        let mut entries = Vec::new();
        let mut read = 0;
        for child in children.into_iter().take(MAX_CHILD_SITEMAPS) {
            match self.fetcher().probe(&child).await {
                Ok(FetchOutcome::Fetched(doc)) => match sitemap::parse_sitemap(&doc.body) {
                    Ok(Sitemap::Urls(list)) => {
                        read += 1;
                        entries.extend(list);
                    }
                    Ok(Sitemap::Index(_)) => {
                        warnings.push(format!("{child}: a sitemap index inside an index is not followed"))
                    }
                    Err(e) => warnings.push(format!("{child}: {e}")),
                },
                Ok(FetchOutcome::NotModified) => read += 1,
                Err(f) => warnings.push(format!("{child}: {}", f.error)),
            }
        }
        if read == 0 {
            return Err(Error::Parse(format!(
                "the sitemap index lists no readable sitemap{}",
                warnings.last().map(|w| format!(" ({w})")).unwrap_or_default()
            )));
        }
        Ok(entries)
    }

    async fn page_meta(&self, url: &str) -> Result<discover::PageMeta> {
        match self.fetcher().probe(url).await {
            Ok(FetchOutcome::Fetched(doc)) => {
                let html = crate::ingest::decode::decode(&doc.body, doc.content_type.as_deref()).text;
                Ok(discover::page_metadata(&html))
            }
            Ok(FetchOutcome::NotModified) => Err(Error::Network("the page answered 304 to a plain request".into())),
            Err(f) => Err(f.error),
        }
    }
}
