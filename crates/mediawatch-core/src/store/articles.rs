//! Stored articles: what a fetched item may already be, and one article as the reader shows it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::{get_opt_ts, get_ts, ClusterHint, NewMention, Store};
use crate::articles::cluster::Fingerprint;
use crate::error::{Error, Result};
use crate::model::{ArticleCopy, ArticleDetail, Id, TextOrigin};

/// An article about to be stored, with the topics that flag it.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub guid: Option<String>,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    pub summary: Option<String>,
    pub text: String,
    pub content_html: Option<String>,
    pub lang: Option<String>,
    pub image_url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub site_name: Option<String>,
    /// The article page's own canonical address (`<link rel=canonical>` on the same site), when read.
    pub canonical_url: Option<String>,
    pub text_origin: TextOrigin,
    pub extract_error: Option<String>,
    /// The body's fingerprint (`cluster::Fingerprint`), `None` for texts too short to have one.
    pub fingerprint: Option<Fingerprint>,
    /// The stored article this one replaces (seen again under the same GUID or URL, with changes).
    pub replaces: Option<Id>,
    /// Its closest story, looked up before the write ([`Store::cluster_hints`]); `None`: looked up at the write.
    pub cluster_hint: Option<ClusterHint>,
    pub mentions: Vec<NewMention>,
}

/// A stored article that a fetched item may be (same source and GUID, or same URL / canonical URL).
#[derive(Debug, Clone)]
pub struct KnownArticle {
    pub id: Id,
    pub source_id: Id,
    pub title: String,
    pub text: String,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub text_origin: TextOrigin,
}

/// How to recognise an item that may be stored already.
#[derive(Debug, Clone, Default)]
pub struct ArticleKey {
    pub guid: Option<String>,
    pub url: Option<String>,
}

impl Store {
    /// Which of these article URLs are stored already (under any source).
    pub fn known_article_urls(&self, urls: &[String]) -> Result<std::collections::HashSet<String>> {
        self.read(|c| {
            let mut st = c.prepare_cached("SELECT 1 FROM articles WHERE url = ?1")?;
            let mut known = std::collections::HashSet::new();
            for url in urls {
                if st.exists([url])? {
                    known.insert(url.clone());
                }
            }
            Ok(known)
        })
    }

    /// The stored articles that fetched items may be, one answer per key: the same source and GUID first,
    /// then the same URL or canonical URL under any source.
    pub fn known_articles(&self, source_id: Id, keys: &[ArticleKey]) -> Result<Vec<Option<KnownArticle>>> {
        const COLUMNS: &str = "id, source_id, title, text, author, published_at, text_origin";
        fn known(r: &Row<'_>) -> rusqlite::Result<KnownArticle> {
            Ok(KnownArticle {
                id: r.get("id")?,
                source_id: r.get("source_id")?,
                title: r.get("title")?,
                text: r.get("text")?,
                author: r.get("author")?,
                published_at: get_opt_ts(r, "published_at")?,
                text_origin: TextOrigin::parse(&r.get::<_, String>("text_origin")?),
            })
        }
        // Two statements for the whole fetch (the keys as JSON arrays), not two per item.
        let json = |v: Vec<&str>| serde_json::to_string(&v).map_err(|e| Error::Internal(e.to_string()));
        let guids = json(keys.iter().filter_map(|k| k.guid.as_deref()).collect())?;
        let urls = json(keys.iter().filter_map(|k| k.url.as_deref()).collect())?;
        self.read(|c| {
            let mut by_guid: HashMap<String, KnownArticle> = HashMap::new();
            let mut st = c.prepare_cached(&format!(
                "SELECT guid AS key, {COLUMNS} FROM articles
                 WHERE source_id = ?1 AND guid IS NOT NULL AND guid IN (SELECT value FROM json_each(?2))"
            ))?;
            for row in st.query_map(params![source_id, guids], |r| Ok((r.get::<_, String>("key")?, known(r)?)))? {
                let (key, a) = row?;
                by_guid.entry(key).or_insert(a);
            }
            let mut by_url: HashMap<String, KnownArticle> = HashMap::new();
            let mut st = c.prepare_cached(&format!(
                "SELECT url AS key, {COLUMNS} FROM articles
                 WHERE url IS NOT NULL AND url IN (SELECT value FROM json_each(?1))
                 UNION ALL
                 SELECT canonical_url AS key, {COLUMNS} FROM articles
                 WHERE canonical_url IS NOT NULL AND canonical_url IN (SELECT value FROM json_each(?1))"
            ))?;
            for row in st.query_map([urls], |r| Ok((r.get::<_, String>("key")?, known(r)?)))? {
                let (key, a) = row?;
                by_url.entry(key).or_insert(a);
            }
            Ok(keys
                .iter()
                .map(|k| {
                    k.guid
                        .as_ref()
                        .and_then(|g| by_guid.get(g))
                        .or_else(|| k.url.as_ref().and_then(|u| by_url.get(u)))
                        .cloned()
                })
                .collect())
        })
    }

    /// One article with its hits and its copies. `html` is the stored HTML (the extracted page's, else the
    /// feed's), not yet sanitised: the caller sanitises it for display.
    pub fn article(&self, id: Id) -> Result<ArticleDetail> {
        self.read(|c| {
            let (mut a, cluster_id) = c
                .query_row(
                    "SELECT a.id, a.source_id, s.name AS source, a.title, a.url, a.author, a.published_at, a.fetched_at,
                            a.text, a.lang, a.image_url, a.content_html, a.site_name, a.canonical_url, a.text_origin,
                            a.extract_error, a.updated_at, COALESCE(a.cluster_id, a.id) AS cluster_id
                     FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?1",
                    [id],
                    |r| {
                        Ok((
                            ArticleDetail {
                                id: r.get("id")?,
                                source_id: r.get("source_id")?,
                                source: r.get("source")?,
                                title: r.get("title")?,
                                url: r.get("url")?,
                                author: r.get("author")?,
                                published_at: get_opt_ts(r, "published_at")?,
                                fetched_at: get_ts(r, "fetched_at")?,
                                text: r.get("text")?,
                                lang: r.get("lang")?,
                                image_url: r.get("image_url")?,
                                topics: Vec::new(),
                                html: r.get("content_html")?,
                                site_name: r.get("site_name")?,
                                canonical_url: r.get("canonical_url")?,
                                text_origin: TextOrigin::parse(&r.get::<_, String>("text_origin")?),
                                extract_error: r.get("extract_error")?,
                                updated_at: get_opt_ts(r, "updated_at")?,
                                copies: Vec::new(),
                            },
                            r.get::<_, Option<Id>>("cluster_id")?,
                        ))
                    },
                )
                .optional()?
                .ok_or_else(|| Error::NotFound(format!("no article with id {id}")))?;
            a.topics = Self::hits_for(c, id, None)?;
            if let Some(cluster_id) = cluster_id {
                let mut st = c.prepare_cached(
                    "SELECT a.id, a.source_id, s.name AS source, a.title, a.url, a.published_at, a.fetched_at
                     FROM articles a JOIN sources s ON s.id = a.source_id
                     WHERE (a.cluster_id = ?1 OR a.id = ?1) AND a.id <> ?2
                     ORDER BY COALESCE(a.published_at, a.fetched_at), a.id",
                )?;
                a.copies = st
                    .query_map(params![cluster_id, id], |r| {
                        Ok(ArticleCopy {
                            id: r.get("id")?,
                            source_id: r.get("source_id")?,
                            source: r.get("source")?,
                            title: r.get("title")?,
                            url: r.get("url")?,
                            published_at: get_opt_ts(r, "published_at")?,
                            fetched_at: get_ts(r, "fetched_at")?,
                        })
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
            }
            Ok(a)
        })
    }
}
