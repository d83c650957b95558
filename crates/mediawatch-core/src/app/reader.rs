//! What the analyst reads: the flagged articles (mentions), newest first or by relevance, the counts of the
//! Mentions page's pane, and one article with its hits and copies, its HTML sanitised for display.

use super::Mediawatch;
use crate::error::Result;
use crate::model::{ArticleDetail, Id, MarkAllRead, MentionQuery, MentionRow, MentionsPane};

impl Mediawatch {
    pub async fn mentions(&self, query: MentionQuery) -> Result<Vec<MentionRow>> {
        self.db(move |s| s.mentions(&query)).await
    }

    /// The Mentions page's pane beyond the topics: the starred articles' count, each source group's unread.
    pub async fn mentions_pane(&self) -> Result<MentionsPane> {
        self.db(crate::store::Store::mentions_pane).await
    }

    /// Marks articles read (opened in the reader, `m`) or unread again; returns how many changed.
    pub async fn set_read(&self, article_ids: Vec<Id>, read: bool) -> Result<u32> {
        let at = read.then(|| self.now());
        self.db(move |s| s.set_read(&article_ids, at)).await
    }

    /// Marks read every unread article of a Mentions filter stored by `seen_at`, in one statement.
    pub async fn mark_all_read(&self, request: MarkAllRead) -> Result<u32> {
        let now = self.now();
        self.db(move |s| s.mark_all_read(&request.filter, request.seen_at.min(now), now)).await
    }

    /// One article for the reader: its hits, its copies, and its HTML sanitised for display (the stored HTML
    /// is the publisher's, kept as it came; it is made safe on the way out).
    pub async fn article(&self, id: Id) -> Result<ArticleDetail> {
        self.db(move |s| {
            let mut a = s.article(id)?;
            a.html = a
                .html
                .take()
                .map(|h| crate::articles::sanitize::display_html(&h, a.url.as_deref()))
                .filter(|h| h.chars().any(|c| !c.is_whitespace()));
            Ok(a)
        })
        .await
    }
}
