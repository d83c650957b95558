//! What the analyst reads: the flagged articles (mentions), newest first, and one article with its hits and
//! copies, its HTML sanitised for display.

use super::Mediawatch;
use crate::error::Result;
use crate::model::{ArticleDetail, Id, MentionQuery, MentionRow};

impl Mediawatch {
    pub async fn mentions(&self, query: MentionQuery) -> Result<Vec<MentionRow>> {
        self.db(move |s| s.mentions(&query)).await
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
