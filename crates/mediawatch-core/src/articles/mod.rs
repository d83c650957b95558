//! Articles: what turns a feed item or a page into the article that is stored.
//!
//! [`extract`] finds the article in a page (Readability's algorithm), [`sanitize`] makes its HTML safe to
//! display, [`lang`] reads its language from the text, and [`cluster`] fingerprints it so that syndicated
//! copies of one story are grouped. All pure; the articles stage of a fetch cycle (`app/articles.rs`) runs
//! them between the fetcher and the store.

pub mod cluster;
pub mod extract;
pub mod lang;
pub mod sanitize;
