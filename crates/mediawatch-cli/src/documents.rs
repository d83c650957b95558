//! `mediawatch parse-feed` and `mediawatch extract`: one document, from a file or a URL, with no database.

use mediawatch_core::Error;

use crate::output::Out;

fn is_url(input: &str) -> bool {
    input.starts_with("http://") || input.starts_with("https://")
}

fn read(input: &str) -> mediawatch_core::Result<Vec<u8>> {
    std::fs::read(input).map_err(|e| Error::InvalidInput(format!("cannot read {input}: {e}")))
}

/// `mediawatch parse-feed INPUT`: the feed's items as the product reads them.
pub async fn parse_feed(
    input: &str,
    content_type: Option<String>,
    url: Option<String>,
    out: Out,
) -> mediawatch_core::Result<()> {
    let feed = if is_url(input) {
        mediawatch_core::fetch_and_parse_feed(input).await?
    } else {
        mediawatch_core::parse_feed(&read(input)?, content_type.as_deref(), url.as_deref())?
    };
    out.parsed_feed(&feed);
    Ok(())
}

/// `mediawatch extract INPUT`: the article in a page, its HTML sanitised for display.
pub async fn extract(
    input: &str,
    url: Option<String>,
    content_type: Option<String>,
    out: Out,
) -> mediawatch_core::Result<()> {
    let mut article = if is_url(input) {
        mediawatch_core::fetch_and_extract(input).await?
    } else {
        mediawatch_core::articles::extract::extract(&read(input)?, url.as_deref(), content_type.as_deref())?
    };
    let base = article.canonical_url.clone().or(url);
    article.html = mediawatch_core::articles::sanitize::display_html(&article.html, base.as_deref());
    out.extracted(&article);
    Ok(())
}
