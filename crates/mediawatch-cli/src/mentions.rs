//! `mediawatch mentions` (the flagged articles) and `mediawatch search` (full-text search in the topic
//! language), newest first or by relevance.

use mediawatch_core::model::{MentionOrder, MentionQuery, SearchOrder, SearchQuery};
use mediawatch_core::Mediawatch;

use crate::output::Out;
use crate::parse_date;

/// The search's filters, as given on the command line (the Mentions list's period, source, language, topic
/// and read state).
pub struct SearchFilter {
    pub since: Option<String>,
    pub until: Option<String>,
    pub source_id: Option<i64>,
    pub lang: Option<String>,
    pub topic: Option<String>,
    pub unread_only: bool,
}

/// `mediawatch search`: the hits, or with `--facets` the matches counted per topic, source and language.
pub async fn search(
    core: &Mediawatch,
    query: String,
    filter: SearchFilter,
    limit: u32,
    order: Option<String>,
    facets: bool,
    out: Out,
) -> mediawatch_core::Result<()> {
    let q = SearchQuery {
        query,
        since: filter.since.as_deref().map(|s| parse_date(s, "--since")).transpose()?,
        until: filter.until.as_deref().map(|s| parse_date(s, "--until")).transpose()?,
        source_id: filter.source_id,
        lang: filter.lang,
        topic: filter.topic,
        unread_only: filter.unread_only,
        limit: Some(limit),
        before: None,
        order: match order.as_deref() {
            Some("relevance") => Some(SearchOrder::Relevance),
            _ => Some(SearchOrder::Newest),
        },
    };
    if facets {
        out.search_facets(&core.search_facets(q, crate::cancel_on_interrupt()).await?);
    } else {
        out.search(&core.search(q).await?);
    }
    Ok(())
}

/// The Mentions list's filters, as given on the command line.
pub struct Filter {
    pub topic: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub source_id: Option<i64>,
    pub lang: Option<String>,
    pub unread_only: bool,
    pub starred_only: bool,
    pub group: Option<String>,
}

pub async fn mentions(
    core: &Mediawatch,
    filter: Filter,
    order: Option<String>,
    limit: u32,
    out: Out,
) -> mediawatch_core::Result<()> {
    let query = MentionQuery {
        topic: filter.topic,
        since: filter.since.as_deref().map(|s| parse_date(s, "--since")).transpose()?,
        until: filter.until.as_deref().map(|s| parse_date(s, "--until")).transpose()?,
        source_id: filter.source_id,
        lang: filter.lang,
        unread_only: filter.unread_only,
        limit: Some(limit),
        before: None,
        starred_only: filter.starred_only,
        group: filter.group,
        order: match order.as_deref() {
            Some("relevance") => Some(MentionOrder::Relevance),
            _ => Some(MentionOrder::Newest),
        },
    };
    out.mentions(&core.mentions(query).await?);
    Ok(())
}
