//! The articles stage of a fetch cycle: a parsed feed's items become stored articles.
//!
//! 1. Each item becomes a draft (title, URL, the feed's text and HTML, author, times, picture).
//! 2. Drafts already stored — the same source and GUID, or the same URL or canonical URL — are dropped when
//!    nothing changed, become updates of the stored article when the title, text or time changed, and are
//!    dropped when another source holds the URL (the first source keeps it).
//! 3. New and changed drafts get their full text in the source's mode ([`FullTextMode`]): the article page is
//!    fetched through the polite fetcher and [`crate::articles::extract`]ed; when that fails the feed's text stays and
//!    the reason is kept on the article.
//! 4. Each article's language is read from its text ([`crate::articles::lang`]), its body fingerprinted for story
//!    clusters ([`crate::articles::cluster`]), and the topics matched.
//!
//! Steps 1 and 4 are CPU work and run on the blocking pool; step 3 is network and runs a few pages at a time.

use std::time::Duration as StdDuration;

use futures_util::stream::{self, StreamExt};

use super::Mediawatch;
use crate::articles::extract::{self, Extracted};
use crate::articles::{cluster, lang};
use crate::error::{Error, Result};
use crate::ingest::fetch::{FetchOutcome, Validators};
use crate::ingest::parse;
use crate::model::{FullTextMode, Id, ParsedFeed, TextOrigin};
use crate::store::{ArticleKey, KnownArticle, NewArticle};
use crate::topics::{self, Document, Matcher, PreparedArticle};

/// Article pages fetched at once for one source (the fetcher's per-host limit applies on top).
const PAGE_CONCURRENCY: usize = 4;
/// Article pages fetched per source per cycle; a bigger first fetch keeps the feed's text for the rest.
pub(crate) const MAX_PAGES_PER_CYCLE: usize = 100;
/// In `auto` mode, a feed text with fewer words than this is taken for a teaser and the page is fetched.
const TEASER_WORDS: usize = 150;
/// The same for CJK text, in characters.
const TEASER_CJK_CHARS: usize = 300;
/// Endings that mark a feed text as cut short.
const TRUNCATION_MARKS: [&str; 12] = [
    "…",
    "...",
    "[…]",
    "[...]",
    "read more",
    "continue reading",
    "read the full story",
    "читать далее",
    "подробнее",
    "阅读全文",
    "查看全文",
    "更多",
];

/// An article page read: the article (or what the page's head says, when it has no readable article) and
/// the problem, if any.
pub(crate) type PageRead = (Extracted, Option<String>);

/// Turns feed items into drafts. An item without a title gets its text's opening; an item with neither
/// title nor URL is dropped.
pub(crate) fn drafts_from_feed(feed: ParsedFeed) -> Vec<NewArticle> {
    let feed_lang = feed.language.clone();
    feed.items
        .into_iter()
        .filter_map(|item| {
            let summary = item.summary.as_deref().map(parse::html_to_text);
            let text = match (&item.content_html, &summary) {
                (Some(html), _) => parse::html_to_text(html),
                (None, Some(lead)) => lead.clone(),
                (None, None) => String::new(),
            };
            let title = item.title.clone().unwrap_or_else(|| text.chars().take(120).collect::<String>());
            if title.trim().is_empty() && item.url.is_none() {
                return None;
            }
            Some(NewArticle {
                guid: item.id,
                url: item.url,
                title,
                author: (!item.authors.is_empty()).then(|| item.authors.join(", ")),
                summary,
                text,
                content_html: item.content_html,
                // The declaration, for now: `finish` reads the language from the text.
                lang: item.language.or_else(|| feed_lang.clone()),
                image_url: item.image,
                published_at: item.published.or(item.updated),
                ..NewArticle::default()
            })
        })
        .collect()
}

/// What to do with a draft given what is stored.
#[derive(Debug, PartialEq)]
enum Seen {
    New,
    /// Stored under this source, and the feed changed it.
    Changed(Id),
    /// Stored and unchanged, or stored under another source: nothing to do.
    Skip,
}

fn seen(draft: &NewArticle, known: Option<&KnownArticle>, source_id: Id) -> Seen {
    let Some(k) = known else { return Seen::New };
    if k.source_id != source_id {
        return Seen::Skip;
    }
    let changed = k.title != draft.title
        || k.published_at != draft.published_at
        || k.author != draft.author
        // A body read from the page is not compared with the feed's teaser.
        || (k.text_origin == TextOrigin::Feed && k.text != draft.text);
    if changed {
        Seen::Changed(k.id)
    } else {
        Seen::Skip
    }
}

/// Whether the source's mode asks for the article page of this draft.
pub(crate) fn wants_page(mode: FullTextMode, draft: &NewArticle) -> bool {
    if draft.url.is_none() {
        return false;
    }
    match mode {
        FullTextMode::Never => false,
        FullTextMode::Always => true,
        FullTextMode::Auto => looks_like_teaser(&draft.text),
    }
}

/// A feed text shorter than an article's likely body, or one that ends like a cut.
pub(crate) fn looks_like_teaser(text: &str) -> bool {
    let text = text.trim();
    let cjk = text.chars().filter(|&c| topics::text::is_cjk(c)).count();
    let short = if cjk * 2 > text.chars().filter(|c| c.is_alphanumeric()).count() {
        cjk < TEASER_CJK_CHARS
    } else {
        text.split_whitespace().count() < TEASER_WORDS
    };
    let tail: String = text.chars().rev().take(24).collect::<Vec<_>>().into_iter().rev().collect();
    let tail = tail.to_lowercase();
    short || TRUNCATION_MARKS.iter().any(|m| tail.ends_with(m))
}

/// Takes what the page adds to a draft. The page's body replaces the feed's when it is longer (a paywall or
/// consent page yields less than the feed had, and the feed's text stays); the feed's title, author and time
/// stand when it has them.
pub(crate) fn merge_page(draft: &mut NewArticle, page: Extracted) {
    if page.text.chars().count() > draft.text.chars().count() {
        draft.text = page.text;
        draft.content_html = Some(page.html);
        draft.text_origin = TextOrigin::Page;
        draft.lang = page.lang.or(draft.lang.take());
    }
    if draft.title.trim().is_empty() {
        if let Some(t) = page.title {
            draft.title = t;
        }
    }
    draft.author = draft.author.take().or(page.byline);
    draft.published_at = draft.published_at.or(page.published);
    draft.site_name = page.site_name;
    draft.canonical_url = page.canonical_url.filter(|c| Some(c) != draft.url.as_ref());
    draft.extract_error = None;
}

/// The CPU part of an article: language from the text, fingerprint, topics.
pub(crate) fn finish(draft: &mut NewArticle, matcher: &Matcher, source_name: &str) {
    if draft.text_origin == TextOrigin::Feed {
        draft.lang = feed_text_language(&draft.title, &draft.text, draft.lang.as_deref());
    }
    let prepared = PreparedArticle::new(Document {
        title: &draft.title,
        text: &draft.text,
        lang: draft.lang.as_deref(),
        source: Some(source_name),
        url: draft.url.as_deref(),
        author: draft.author.as_deref(),
    });
    draft.fingerprint = cluster::fingerprint_words(&prepared.text_words());
    draft.mentions = matcher
        .match_article(&prepared)
        .into_iter()
        .map(|m| super::topics::new_mention(m, &draft.title, &draft.text))
        .collect();
}

/// The language of a feed item: read from its text when nothing is declared, or when the declaration is in
/// another writing system than the text (the cheap check: whatlang's script detection); otherwise the
/// declaration stands. Full detection of every item cost the refresh benchmark a quarter of its time; an
/// extracted page is always read by [`crate::articles::lang::article_language`].
fn feed_text_language(title: &str, text: &str, declared: Option<&str>) -> Option<String> {
    let body = if text.trim().is_empty() { title } else { text };
    // A slice, not a copy: this runs on every feed item.
    let sample = match body.char_indices().nth(600) {
        Some((end, _)) => &body[..end],
        None => body,
    };
    match declared {
        None => lang::article_language(sample, None),
        Some(d) if lang::declaration_fits_script(d, sample) => lang::article_language("", Some(d)),
        Some(d) => lang::article_language(sample, Some(d)),
    }
}

impl Mediawatch {
    /// Steps 2–4 of the articles stage (see the module's documentation): the drafts of one fetch become the
    /// articles to store. Never fails as a whole: a page that cannot be read leaves its article with the feed's
    /// text and the reason.
    pub(crate) async fn prepare_articles(
        &self,
        source_id: Id,
        mode: FullTextMode,
        drafts: Vec<NewArticle>,
        matcher: std::sync::Arc<Matcher>,
    ) -> Result<Vec<NewArticle>> {
        let keys: Vec<ArticleKey> =
            drafts.iter().map(|d| ArticleKey { guid: d.guid.clone(), url: d.url.clone() }).collect();
        let known = self.db(move |s| s.known_articles(source_id, &keys)).await?;
        let mut todo: Vec<NewArticle> = drafts
            .into_iter()
            .zip(known)
            .filter_map(|(mut d, k)| match seen(&d, k.as_ref(), source_id) {
                Seen::New => Some(d),
                Seen::Changed(id) => {
                    d.replaces = Some(id);
                    Some(d)
                }
                Seen::Skip => None,
            })
            .collect();

        let wanted: Vec<usize> = (0..todo.len()).filter(|&i| wants_page(mode, &todo[i])).collect();
        let (fetch_now, later) = wanted.split_at(wanted.len().min(MAX_PAGES_PER_CYCLE));
        for &i in later {
            todo[i].extract_error =
                Some(format!("not fetched: more than {MAX_PAGES_PER_CYCLE} new articles in one fetch"));
        }
        // Futures built up front (not in a lazy iterator adaptor) so the cycle's task stays `Send`.
        let fetches: Vec<_> = fetch_now
            .iter()
            .map(|&i| {
                let this = self.clone();
                let url = todo[i].url.clone().unwrap_or_default();
                async move { (i, this.page_article(&url).await) }
            })
            .collect();
        let pages: Vec<(usize, Result<PageRead>)> =
            stream::iter(fetches).buffer_unordered(PAGE_CONCURRENCY).collect().await;
        for (i, page) in pages {
            match page {
                Ok((page, problem)) => {
                    merge_page(&mut todo[i], page);
                    todo[i].extract_error = problem;
                }
                Err(e) => todo[i].extract_error = Some(e.to_string()),
            }
        }

        // An item known only by its URL (a sitemap entry without a title) whose page could not be read waits
        // for the next cycle rather than being stored untitled.
        todo.retain(|d| !d.title.trim().is_empty());
        let source_name = self.db(move |s| s.source(source_id)).await?.name;
        let todo = tokio::task::spawn_blocking(move || {
            for d in &mut todo {
                finish(d, &matcher, &source_name);
            }
            todo
        })
        .await
        .map_err(|e| Error::Internal(format!("article preparation failed: {e}")))?;
        // Each text's closest story, looked up here rather than under the single writer.
        let now = self.now();
        self.db(move |s| {
            let mut todo = todo;
            let fingerprints: Vec<_> = todo.iter().map(|d| d.fingerprint.as_ref()).collect();
            let hints = s.cluster_hints(&fingerprints, now)?;
            for (d, hint) in todo.iter_mut().zip(hints) {
                d.cluster_hint = hint;
            }
            Ok(todo)
        })
        .await
    }

    /// Fetches an article page politely and extracts the article (on the blocking pool: it is CPU work).
    /// A page without a readable article still gives what its `<head>` says (title, time, language, site),
    /// with the problem as the second value.
    pub(crate) async fn page_article(&self, url: &str) -> Result<PageRead> {
        let doc = match self.fetcher().get(url, &Validators::default()).await {
            Ok(FetchOutcome::Fetched(doc)) => doc,
            Ok(FetchOutcome::NotModified) => {
                return Err(Error::Network(format!("{url} answered 304 Not Modified to an unconditional request")))
            }
            Err(f) => return Err(f.error),
        };
        let page_url = doc.base_url().to_string();
        let url = url.to_string();
        tokio::time::timeout(
            StdDuration::from_secs(30),
            tokio::task::spawn_blocking(move || {
                match extract::extract(&doc.body, Some(&page_url), doc.content_type.as_deref()) {
                    Ok(page) => Ok((page, None)),
                    Err(Error::Parse(m)) => {
                        let decoded = crate::ingest::decode::decode(&doc.body, doc.content_type.as_deref());
                        let head = crate::ingest::discover::page_metadata(&decoded.text);
                        let fallback = Extracted {
                            title: head.title,
                            byline: None,
                            published: head.published,
                            lang: head.language.as_deref().and_then(|l| lang::article_language("", Some(l))),
                            site_name: head.site_name,
                            canonical_url: None,
                            encoding: decoded.encoding,
                            text: String::new(),
                            html: String::new(),
                        };
                        Ok((fallback, Some(format!("{url}: {m}"))))
                    }
                    Err(e) => Err(e),
                }
            }),
        )
        .await
        .map_err(|_| Error::Parse("reading the article page took longer than 30 s".to_string()))?
        .map_err(|e| Error::Internal(format!("article extraction failed: {e}")))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(title: &str, text: &str) -> NewArticle {
        NewArticle {
            title: title.into(),
            text: text.into(),
            url: Some("https://example.com/a".into()),
            ..NewArticle::default()
        }
    }

    fn words(n: usize) -> String {
        (0..n).map(|i| format!("word{i}")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn auto_fetches_teasers_and_cut_texts_only() {
        assert!(wants_page(FullTextMode::Auto, &draft("t", "A short lead.")));
        assert!(!wants_page(FullTextMode::Auto, &draft("t", &words(400))));
        assert!(wants_page(FullTextMode::Auto, &draft("t", &format!("{} Read more", words(400)))));
        assert!(wants_page(FullTextMode::Auto, &draft("t", &format!("{}…", words(400)))));
        assert!(wants_page(FullTextMode::Auto, &draft("t", "外交部发言人表示，中方愿同各方一道。")));
        assert!(!wants_page(FullTextMode::Auto, &draft("t", &"外交部发言人表示中方愿同各方一道推进合作".repeat(20))));
        assert!(wants_page(FullTextMode::Always, &draft("t", &words(400))));
        assert!(!wants_page(FullTextMode::Never, &draft("t", "A short lead.")));
        let no_url = NewArticle { url: None, ..draft("t", "short") };
        assert!(!wants_page(FullTextMode::Always, &no_url));
    }

    fn known(source_id: Id, title: &str, text: &str, origin: TextOrigin) -> KnownArticle {
        KnownArticle {
            id: 7,
            source_id,
            title: title.into(),
            text: text.into(),
            author: None,
            published_at: None,
            text_origin: origin,
        }
    }

    #[test]
    fn an_item_seen_again_updates_only_when_it_changed() {
        let d = draft("Title", "Lead");
        assert_eq!(seen(&d, None, 1), Seen::New);
        assert_eq!(seen(&d, Some(&known(1, "Title", "Lead", TextOrigin::Feed)), 1), Seen::Skip);
        assert_eq!(seen(&d, Some(&known(1, "Old title", "Lead", TextOrigin::Feed)), 1), Seen::Changed(7));
        assert_eq!(seen(&d, Some(&known(1, "Title", "Old lead", TextOrigin::Feed)), 1), Seen::Changed(7));
        // The stored body is the page's: the feed's teaser is not a change.
        assert_eq!(seen(&d, Some(&known(1, "Title", "The whole article", TextOrigin::Page)), 1), Seen::Skip);
        // Another source has it: the first source keeps it.
        assert_eq!(seen(&d, Some(&known(2, "Old title", "Lead", TextOrigin::Feed)), 1), Seen::Skip);
    }

    fn extracted(text: &str) -> Extracted {
        Extracted {
            title: Some("Page title".into()),
            byline: Some("Jane Roe".into()),
            published: None,
            lang: Some("en".into()),
            site_name: Some("Example News".into()),
            canonical_url: Some("https://example.com/a".into()),
            encoding: "utf-8".into(),
            text: text.into(),
            html: format!("<p>{text}</p>"),
        }
    }

    #[test]
    fn the_page_body_replaces_a_shorter_feed_text_and_the_feed_metadata_stands() {
        let mut d = draft("Feed title", "Lead.");
        d.extract_error = Some("earlier failure".into());
        merge_page(&mut d, extracted("The whole article, much longer than the lead."));
        assert_eq!(d.text, "The whole article, much longer than the lead.");
        assert_eq!(d.text_origin, TextOrigin::Page);
        assert_eq!(d.title, "Feed title");
        assert_eq!(d.author.as_deref(), Some("Jane Roe"));
        assert_eq!(d.site_name.as_deref(), Some("Example News"));
        assert_eq!(d.canonical_url, None, "a canonical URL equal to the URL is not repeated");
        assert_eq!(d.extract_error, None);

        let mut long = draft("Feed title", &words(300));
        merge_page(&mut long, extracted("Subscribe to read."));
        assert_eq!(long.text_origin, TextOrigin::Feed);
        assert!(long.text.starts_with("word0"));
    }

    #[test]
    fn a_wrong_declaration_gives_way_to_the_text() {
        let ru = "Министры иностранных дел стран БРИКС договорились во вторник подготовить совместное заявление";
        assert_eq!(feed_text_language("Заголовок", ru, Some("en")).as_deref(), Some("ru"));
        assert_eq!(
            feed_text_language(
                "Title",
                "Foreign ministers of the BRICS countries agreed on Tuesday to draft a joint statement",
                Some("en-GB")
            )
            .as_deref(),
            Some("en")
        );
        assert_eq!(
            feed_text_language(
                "标题",
                "金砖国家外长会晤于十一日在莫斯科闭幕。与会外长同意起草一份关于联合国安理会改革的联合声明",
                None
            )
            .as_deref(),
            Some("zh")
        );
    }
}
