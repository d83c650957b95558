//! Ingest: what brings bytes in and turns them into feed items.
//!
//! [`fetch`] is the only network in the crate (HTTP with politeness, retries and conditional GET); everything
//! else here is pure: [`decode`] turns bytes into text, [`discover`] says what a document is and where its
//! feeds are, [`sitemap`] reads news sitemaps, [`feed`] is the feedparser-faithful parser, [`parse`] turns its
//! result into the product's [`crate::model::ParsedFeed`], [`dates`] reads dates as feeds write them,
//! [`opml`] reads and writes subscription lists, [`entities`] decodes character references, and [`urlnorm`]
//! gives an article URL its canonical form.

pub mod dates;
pub mod decode;
pub mod discover;
pub mod entities;
pub mod feed;
pub mod fetch;
pub mod opml;
pub mod parse;
pub mod sitemap;
pub mod urlnorm;
