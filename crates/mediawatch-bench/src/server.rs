//! A small HTTP/1.1 server for the refresh benchmark: one listener per loopback address (127.0.1.1,
//! 127.0.1.2, ...: all of 127.0.0.0/8 routes to `lo` on Linux), so every feed lives on a host of its own,
//! as real feeds do. Only loopback addresses are bound. One thread per connection, keep-alive, `ETag` and
//! `Last-Modified` on every feed, `304 Not Modified` to a matching `If-None-Match` (or, when the client sends
//! no `If-None-Match`, to an `If-Modified-Since` at or after `Last-Modified`). Counts answers by status.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// One feed document as served.
pub struct Document {
    pub body: Vec<u8>,
    pub etag: String,
    pub last_modified: String,
}

/// What one host serves: paths (`/feed.xml`, `/a/1.html`) to their content type and document.
pub type Site = std::collections::HashMap<String, (&'static str, Document)>;

/// Answers counted since the server started.
#[derive(Debug, Default)]
pub struct Counters {
    pub ok: AtomicU64,
    pub not_modified: AtomicU64,
    pub other: AtomicU64,
    /// Requests that carried `If-None-Match` or `If-Modified-Since`.
    pub conditional: AtomicU64,
    pub connections: AtomicU64,
}

/// A snapshot of [`Counters`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub ok: u64,
    pub not_modified: u64,
    pub other: u64,
    pub conditional: u64,
    pub connections: u64,
}

impl Counts {
    pub fn since(self, before: Counts) -> Counts {
        Counts {
            ok: self.ok - before.ok,
            not_modified: self.not_modified - before.not_modified,
            other: self.other - before.other,
            conditional: self.conditional - before.conditional,
            connections: self.connections - before.connections,
        }
    }
}

pub struct FeedServer {
    /// The feed URLs, one per host, in feed order.
    pub urls: Vec<String>,
    counters: Arc<Counters>,
}

/// The loopback address of feed `i` (0-based): 127.0.1.1 ... 127.0.1.250, 127.0.2.1, ...
pub fn feed_addr(i: usize) -> Ipv4Addr {
    let third = 1 + i / 250;
    let fourth = 1 + i % 250;
    Ipv4Addr::new(127, 0, u8::try_from(third).expect("at most 62,500 feeds"), u8::try_from(fourth).expect("< 256"))
}

impl FeedServer {
    /// Serves `docs[i]` at `http://feed_addr(i):PORT/feed.xml`. The listeners live until the process ends.
    pub fn start(docs: Vec<Document>) -> std::io::Result<FeedServer> {
        let sites = docs.into_iter().map(|d| Site::from([("/feed.xml".to_string(), (FEED_TYPE, d))])).collect();
        FeedServer::start_sites(sites, 0)
    }

    /// Serves `sites[i]` on `feed_addr(first_host + i)`, each on a port of its own; `urls` lists each
    /// host's `/feed.xml`. `build` gets each host's base URL (`http://127.0.1.1:PORT`) before serving, for
    /// documents that link to their own host.
    pub fn start_sites_with(
        n: usize,
        first_host: usize,
        mut build: impl FnMut(usize, &str) -> Site,
    ) -> std::io::Result<FeedServer> {
        let mut listeners = Vec::with_capacity(n);
        let mut sites = Vec::with_capacity(n);
        for i in 0..n {
            let listener = TcpListener::bind(SocketAddr::from((feed_addr(first_host + i), 0)))?;
            let base = format!("http://{}", listener.local_addr()?);
            sites.push(build(i, &base));
            listeners.push(listener);
        }
        FeedServer::serve_all(listeners, sites)
    }

    /// Serves `sites[i]` on `feed_addr(first_host + i)`.
    pub fn start_sites(sites: Vec<Site>, first_host: usize) -> std::io::Result<FeedServer> {
        let mut sites = sites.into_iter();
        let n = sites.len();
        FeedServer::start_sites_with(n, first_host, |_, _| sites.next().unwrap_or_default())
    }

    fn serve_all(listeners: Vec<TcpListener>, sites: Vec<Site>) -> std::io::Result<FeedServer> {
        let counters = Arc::new(Counters::default());
        let mut urls = Vec::with_capacity(sites.len());
        for (i, (listener, site)) in listeners.into_iter().zip(sites).enumerate() {
            let addr = listener.local_addr()?;
            urls.push(format!("http://{addr}/feed.xml"));
            let doc = Arc::new(site);
            let counters = counters.clone();
            thread::Builder::new().name(format!("accept-{i}")).stack_size(64 * 1024).spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    counters.connections.fetch_add(1, Ordering::Relaxed);
                    let (doc, counters) = (doc.clone(), counters.clone());
                    let _ = thread::Builder::new().stack_size(256 * 1024).spawn(move || {
                        let _ = serve(stream, &doc, &counters);
                    });
                }
            })?;
        }
        Ok(FeedServer { urls, counters })
    }

    pub fn counts(&self) -> Counts {
        let c = &self.counters;
        Counts {
            ok: c.ok.load(Ordering::SeqCst),
            not_modified: c.not_modified.load(Ordering::SeqCst),
            other: c.other.load(Ordering::SeqCst),
            conditional: c.conditional.load(Ordering::SeqCst),
            connections: c.connections.load(Ordering::SeqCst),
        }
    }
}

const FEED_TYPE: &str = "application/rss+xml; charset=utf-8";

/// Serves requests on one connection until the client closes it (or after 60 s idle).
fn serve(stream: TcpStream, site: &Site, counters: &Counters) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line.trim().is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let version = parts.next().unwrap_or("HTTP/1.0").to_string();
        let mut if_none_match = None;
        let mut if_modified_since = None;
        let mut content_length = 0usize;
        let mut close = version == "HTTP/1.0";
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                let v = v.trim().to_string();
                match k.trim().to_ascii_lowercase().as_str() {
                    "if-none-match" => if_none_match = Some(v),
                    "if-modified-since" => if_modified_since = Some(v),
                    "content-length" => content_length = v.parse().unwrap_or(0),
                    "connection" => close = v.eq_ignore_ascii_case("close"),
                    _ => {}
                }
            }
        }
        if content_length > 0 {
            let mut body = vec![0; content_length];
            reader.read_exact(&mut body)?;
        }
        if if_none_match.is_some() || if_modified_since.is_some() {
            counters.conditional.fetch_add(1, Ordering::Relaxed);
        }
        let connection = if close { "close" } else { "keep-alive" };
        let found = site.get(path.as_str()).filter(|_| method == "GET" || method == "HEAD");
        let Some((content_type, doc)) = found else {
            counters.other.fetch_add(1, Ordering::Relaxed);
            let head = format!("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: {connection}\r\n\r\n");
            out.write_all(head.as_bytes())?;
            out.flush()?;
            if close {
                return Ok(());
            }
            continue;
        };
        if not_modified(doc, if_none_match.as_deref(), if_modified_since.as_deref()) {
            counters.not_modified.fetch_add(1, Ordering::Relaxed);
            let head = format!(
                "HTTP/1.1 304 Not Modified\r\nETag: {}\r\nLast-Modified: {}\r\nConnection: {connection}\r\n\r\n",
                doc.etag, doc.last_modified
            );
            out.write_all(head.as_bytes())?;
        } else {
            counters.ok.fetch_add(1, Ordering::Relaxed);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
                 ETag: {}\r\nLast-Modified: {}\r\nConnection: {connection}\r\n\r\n",
                doc.body.len(),
                doc.etag,
                doc.last_modified
            );
            out.write_all(head.as_bytes())?;
            if method == "GET" {
                out.write_all(&doc.body)?;
            }
        }
        out.flush()?;
        if close {
            return Ok(());
        }
    }
}

/// RFC 9110 §13.2.2: `If-None-Match` decides when present; otherwise `If-Modified-Since`.
fn not_modified(doc: &Document, if_none_match: Option<&str>, if_modified_since: Option<&str>) -> bool {
    if let Some(inm) = if_none_match {
        return inm.trim() == "*"
            || inm.split(',').any(|tag| tag.trim().trim_start_matches("W/") == doc.etag.trim_start_matches("W/"));
    }
    let Some(ims) = if_modified_since else { return false };
    let parse = |s: &str| chrono::DateTime::parse_from_rfc2822(s.trim()).ok();
    match (parse(ims), parse(&doc.last_modified)) {
        (Some(since), Some(modified)) => modified <= since,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document { body: b"x".to_vec(), etag: "\"abc\"".into(), last_modified: "Mon, 03 Mar 2025 08:00:00 GMT".into() }
    }

    #[test]
    fn conditional_requests() {
        let d = doc();
        assert!(not_modified(&d, Some("\"abc\""), None));
        assert!(!not_modified(&d, Some("\"abd\""), Some("Mon, 03 Mar 2025 08:00:00 GMT")));
        assert!(not_modified(&d, None, Some("Mon, 03 Mar 2025 08:00:00 GMT")));
        assert!(not_modified(&d, None, Some("Tue, 04 Mar 2025 08:00:00 GMT")));
        assert!(!not_modified(&d, None, Some("Sun, 02 Mar 2025 08:00:00 GMT")));
        assert!(!not_modified(&d, None, None));
    }

    #[test]
    fn addresses_are_distinct_loopback_hosts() {
        assert_eq!(feed_addr(0), Ipv4Addr::new(127, 0, 1, 1));
        assert_eq!(feed_addr(249), Ipv4Addr::new(127, 0, 1, 250));
        assert_eq!(feed_addr(250), Ipv4Addr::new(127, 0, 2, 1));
        assert!((0..300).all(|i| feed_addr(i).is_loopback()));
    }
}
