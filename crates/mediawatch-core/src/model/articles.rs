//! Stored articles as the reader shows them, and parsed feeds as `mediawatch parse-feed` prints them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::*;

api_type! {
/// An article with everything the reader pane shows.
pub struct ArticleDetail {
    pub id: Id,
    pub source_id: Id,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub fetched_at: DateTime<Utc>,
    /// Plain text, paragraphs separated by blank lines.
    pub text: String,
    /// The article's language (ISO 639-1 where one exists: `en`, `ru`, `zh`), read from its text; the
    /// source's declaration only when the text is too short to tell.
    pub lang: Option<String>,
    /// The feed's picture for the article (a remote URL: the UI loads it only when remote images are allowed).
    pub image_url: Option<String>,
    pub topics: Vec<TopicHit>,
    /// The article for display: sanitised HTML (no scripts, handlers, frames, forms or overlaying styles; links
    /// absolute; images carry `data-remote-src` instead of `src`). `None` when only plain text is known.
    pub html: Option<String>,
    /// The site's name as the page gives it (`og:site_name`).
    pub site_name: Option<String>,
    /// The page's own canonical address when it differs from `url`.
    pub canonical_url: Option<String>,
    /// Where the body came from: the feed, or the article page (full text).
    pub text_origin: TextOrigin,
    /// Why the article page could not be read, when its full text was wanted and the feed's text was kept.
    pub extract_error: Option<String>,
    /// When a later fetch changed the stored article (title, text...), if ever.
    pub updated_at: Option<DateTime<Utc>>,
    /// The same story published elsewhere (syndicated copies), first published first; this article excluded.
    pub copies: Vec<ArticleCopy>,
}
}

api_type! {
/// Where an article's body text came from.
#[derive(Copy, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum TextOrigin {
    /// The feed's content or summary.
    #[default]
    Feed,
    /// The article page, fetched and extracted.
    Page,
}
}

impl TextOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            TextOrigin::Feed => "feed",
            TextOrigin::Page => "page",
        }
    }

    pub fn parse(s: &str) -> TextOrigin {
        if s == "page" {
            TextOrigin::Page
        } else {
            TextOrigin::Feed
        }
    }
}

api_type! {
/// Another outlet's copy of the same story.
pub struct ArticleCopy {
    pub id: Id,
    pub source_id: Id,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub fetched_at: DateTime<Utc>,
}
}

api_type! {
/// A parsed feed as `mediawatch parse-feed` prints it.
pub struct ParsedFeed {
    pub format: String,
    pub title: Option<String>,
    pub link: Option<String>,
    pub language: Option<String>,
    pub encoding: String,
    /// RSS `<ttl>`: minutes the publisher asks readers to wait between fetches.
    pub ttl_minutes: Option<u32>,
    pub warnings: Vec<String>,
    pub items: Vec<ParsedItem>,
}
}

api_type! {
pub struct ParsedItem {
    pub id: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub authors: Vec<String>,
    pub summary: Option<String>,
    pub content_html: Option<String>,
    pub categories: Vec<String>,
    /// The item's own language when the source says (a news sitemap entry, `xml:lang`); else the feed's.
    pub language: Option<String>,
    /// A picture for the item: its Media RSS thumbnail, else an image `media:content` or enclosure.
    pub image: Option<String>,
}
}
