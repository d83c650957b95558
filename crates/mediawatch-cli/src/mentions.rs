//! `mediawatch mentions` (the flagged articles) and `mediawatch search` (full-text search in the topic
//! language), newest first.

use mediawatch_core::model::{MentionQuery, SearchOrder, SearchQuery};
use mediawatch_core::Mediawatch;

use crate::output::Out;
use crate::parse_date;

pub async fn search(
    core: &Mediawatch,
    query: String,
    since: Option<String>,
    until: Option<String>,
    limit: u32,
    order: Option<String>,
    out: Out,
) -> mediawatch_core::Result<()> {
    let q = SearchQuery {
        query,
        since: since.as_deref().map(|s| parse_date(s, "--since")).transpose()?,
        until: until.as_deref().map(|s| parse_date(s, "--until")).transpose()?,
        limit: Some(limit),
        before: None,
        order: match order.as_deref() {
            Some("relevance") => Some(SearchOrder::Relevance),
            _ => Some(SearchOrder::Newest),
        },
    };
    out.search(&core.search(q).await?);
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
}

pub async fn mentions(core: &Mediawatch, filter: Filter, limit: u32, out: Out) -> mediawatch_core::Result<()> {
    let query = MentionQuery {
        topic: filter.topic,
        since: filter.since.as_deref().map(|s| parse_date(s, "--since")).transpose()?,
        until: filter.until.as_deref().map(|s| parse_date(s, "--until")).transpose()?,
        source_id: filter.source_id,
        lang: filter.lang,
        unread_only: filter.unread_only,
        limit: Some(limit),
        before: None,
    };
    out.mentions(&core.mentions(query).await?);
    Ok(())
}
