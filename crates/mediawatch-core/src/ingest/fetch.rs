//! HTTP: the only module that touches the network.
//!
//! One `reqwest` client with rustls, gzip/brotli/deflate, connect and total timeouts, at most 5 redirects,
//! `http`/`https` only, an honest User-Agent, a cap on the body size, and conditional GET. Politeness: at
//! most 2 requests at a time and a minimum delay between request starts per host, a global limit, and
//! retries with exponential backoff and jitter on network errors, 429 and 5xx (honouring `Retry-After`).
//! The User-Agent, the proxy and the global limit are the analyst's (`fetch.*` settings), given in
//! [`FetchOptions`]; a change builds a new `Fetcher`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use reqwest::header::{
    HeaderMap, HeaderValue, CACHE_CONTROL, CONTENT_LOCATION, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, RETRY_AFTER,
};
use reqwest::StatusCode;

use crate::error::{Error, Result};

/// The built-in User-Agent (the `fetch.user_agent` setting replaces it).
pub const USER_AGENT: &str =
    concat!("Mediawatch/", env!("CARGO_PKG_VERSION"), " (+https://github.com/mediawatch/mediawatch; media monitoring)");

/// The schemes a proxy URL may have.
pub const PROXY_SCHEMES: &[&str] = &["http", "https", "socks5", "socks5h"];

/// Where the client's connections go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProxyChoice {
    /// The environment's proxies (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`): reqwest's default.
    #[default]
    Environment,
    /// Straight to the servers, even when the environment names a proxy.
    Direct,
    /// Every request through this proxy (see [`check_proxy_url`]).
    Url(String),
}

impl ProxyChoice {
    /// Sets a client builder's proxy. An invalid URL is refused (checked with [`check_proxy_url`] first).
    pub fn apply(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
        match self {
            ProxyChoice::Environment => Ok(builder),
            ProxyChoice::Direct => Ok(builder.no_proxy()),
            ProxyChoice::Url(url) => {
                check_proxy_url(url).map_err(|why| Error::InvalidInput(format!("the proxy cannot be used: {why}")))?;
                let proxy = reqwest::Proxy::all(url.as_str())
                    .map_err(|e| Error::InvalidInput(format!("the proxy cannot be used: {e}")))?;
                Ok(builder.proxy(proxy))
            }
        }
    }
}

/// Checks a proxy URL: `http://`, `https://`, `socks5://` or `socks5h://` (the proxy resolves the names),
/// a host, an optional port and `user:password@`, nothing after the port. The error says what is wrong and
/// never repeats the password.
pub fn check_proxy_url(input: &str) -> std::result::Result<(), String> {
    if !input.contains("://") {
        return Err("it has no scheme (write http://host:port or socks5h://host:port)".into());
    }
    let url = url::Url::parse(input).map_err(|e| format!("it is not a URL ({e})"))?;
    if !PROXY_SCHEMES.contains(&url.scheme()) {
        return Err(format!("{}: is not a proxy scheme", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it names no host".into());
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err("a proxy URL has no path, query or fragment".into());
    }
    reqwest::Proxy::all(url.as_str()).map_err(|e| format!("reqwest refuses it ({})", e.without_url()))?;
    Ok(())
}

/// Limits of the HTTP client.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    /// Requests in flight at once, all hosts together.
    pub max_concurrent: usize,
    /// Requests in flight at once to one host.
    pub max_per_host: usize,
    /// Minimum time between the starts of two requests to the same host.
    pub min_host_delay: Duration,
    /// Attempts per request (1 = no retry) on network errors, 429 and 5xx.
    pub attempts: u32,
    /// First backoff; doubled each retry, plus up to 50% jitter.
    pub retry_base: Duration,
    /// A `Retry-After` longer than this is not waited for now: the fetch fails and reports it.
    pub max_retry_wait: Duration,
    /// The `User-Agent` header (default [`USER_AGENT`]).
    pub user_agent: String,
    /// Where connections go (default: the environment's proxies).
    pub proxy: ProxyChoice,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(45),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            max_concurrent: 8,
            max_per_host: 2,
            min_host_delay: Duration::from_millis(250),
            attempts: 3,
            retry_base: Duration::from_millis(500),
            max_retry_wait: Duration::from_secs(10),
            user_agent: USER_AGENT.to_string(),
            proxy: ProxyChoice::Environment,
        }
    }
}

/// Validators from the previous fetch, for conditional GET.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A fetched document.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    /// The URL after redirects: relative links resolve against it.
    pub final_url: String,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// `Cache-Control: max-age`: the server asks not to be polled more often than this.
    pub max_age: Option<Duration>,
    /// `Content-Location`, resolved against `final_url`: the document's own URL when the server says so.
    pub content_location: Option<String>,
    pub body: Vec<u8>,
}

impl Fetched {
    /// The URL relative links in the document resolve against: `Content-Location` when the server sent
    /// one (RFC 9110 §8.7), else the URL after redirects. (`xml:base` inside the document still wins.)
    pub fn base_url(&self) -> &str {
        self.content_location.as_deref().unwrap_or(&self.final_url)
    }
}

#[derive(Debug, Clone)]
pub enum FetchOutcome {
    Fetched(Fetched),
    NotModified,
}

/// A failed fetch: the error, the HTTP status when the server answered, and how long the server asked us
/// to wait (`Retry-After`) when it did.
#[derive(Debug)]
pub struct FetchFailure {
    pub error: Error,
    pub http_status: Option<u16>,
    pub retry_after: Option<Duration>,
    /// Worth retrying now: a refused or reset connection, 429, 5xx. Not a timeout (a server that took the
    /// whole timeout will not answer faster a second later), not a body over the cap, not a 4xx.
    pub transient: bool,
}

impl From<Error> for FetchFailure {
    fn from(error: Error) -> Self {
        FetchFailure { error, http_status: None, retry_after: None, transient: false }
    }
}

/// Per-host politeness state: a semaphore and the time the last request started.
struct HostSlot {
    permits: Arc<Semaphore>,
    next_start: tokio::sync::Mutex<Instant>,
}

#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    options: FetchOptions,
    global: Arc<Semaphore>,
    hosts: Arc<Mutex<HashMap<String, Arc<HostSlot>>>>,
}

/// Checks that a URL is absolute `http` or `https`, and returns it normalised.
pub fn validate_url(input: &str) -> Result<url::Url> {
    let parsed = url::Url::parse(input.trim())
        .map_err(|e| Error::InvalidInput(format!("'{}' is not a valid URL: {e}", input.trim())))?;
    match parsed.scheme() {
        "http" | "https" if parsed.host_str().is_some() => Ok(parsed),
        "http" | "https" => Err(Error::InvalidInput(format!("'{input}' has no host"))),
        other => Err(Error::InvalidInput(format!("only http and https URLs can be fetched, not {other}:"))),
    }
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Result<Fetcher> {
        Self::build(options, Arc::default())
    }

    /// A new client with other options that keeps this one's per-host politeness (the slots and the time of
    /// each host's last request), so that requests of the old client still in flight and the new one's
    /// share each host's limit. The global limit is the new options'.
    pub fn reconfigured(&self, options: FetchOptions) -> Result<Fetcher> {
        let hosts = if options.max_per_host == self.options.max_per_host { self.hosts.clone() } else { Arc::default() };
        Self::build(options, hosts)
    }

    /// The options the client was built with.
    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    fn build(options: FetchOptions, hosts: Arc<Mutex<HashMap<String, Arc<HostSlot>>>>) -> Result<Fetcher> {
        let max_redirects = options.max_redirects;
        let user_agent = HeaderValue::from_str(&options.user_agent).map_err(|_| {
            Error::InvalidInput(format!(
                "{:?} cannot be a User-Agent header (printable ASCII only)",
                options.user_agent
            ))
        })?;
        let builder = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(options.connect_timeout)
            .timeout(options.total_timeout)
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() > max_redirects {
                    attempt.error(format!("more than {max_redirects} redirects"))
                } else if !matches!(attempt.url().scheme(), "http" | "https") {
                    let scheme = attempt.url().scheme().to_string();
                    attempt.error(format!("redirect to a {scheme}: URL refused"))
                } else {
                    attempt.follow()
                }
            }));
        let client = options
            .proxy
            .apply(builder)?
            .build()
            .map_err(|e| Error::Internal(format!("cannot build the HTTP client: {e}")))?;
        let global = Arc::new(Semaphore::new(options.max_concurrent.max(1)));
        Ok(Fetcher { client, options, global, hosts })
    }

    fn host_slot(&self, host: &str) -> Arc<HostSlot> {
        let mut hosts = self.hosts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        hosts
            .entry(host.to_string())
            .or_insert_with(|| {
                Arc::new(HostSlot {
                    permits: Arc::new(Semaphore::new(self.options.max_per_host.max(1))),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// GETs `url`, conditionally when validators are given, politely (per-host and global limits) and with
    /// retries on network errors, 429 and 5xx. A non-2xx answer is an error naming the status.
    pub async fn get(&self, url: &str, validators: &Validators) -> std::result::Result<FetchOutcome, FetchFailure> {
        let url = validate_url(url)?;
        let slot = self.host_slot(url.host_str().unwrap_or_default());
        let attempts = self.options.attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.get_politely(&url, &slot, validators).await;
            let failure = match result {
                Ok(outcome) => return Ok(outcome),
                Err(f) => f,
            };
            if !failure.transient || attempt >= attempts {
                return Err(failure);
            }
            let backoff = self.options.retry_base * 2u32.pow(attempt - 1);
            let jitter = backoff.mul_f64(fastrand::f64() * 0.5);
            let wait = match failure.retry_after {
                Some(asked) if asked > self.options.max_retry_wait => return Err(failure),
                Some(asked) => asked.max(backoff),
                None => backoff + jitter,
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// One polite GET without retries: for probing a URL while the analyst waits (adding a source).
    pub async fn probe(&self, url: &str) -> std::result::Result<FetchOutcome, FetchFailure> {
        let url = validate_url(url)?;
        let slot = self.host_slot(url.host_str().unwrap_or_default());
        self.get_politely(&url, &slot, &Validators::default()).await
    }

    /// One GET within the global and per-host limits, its start spaced from the host's previous one.
    async fn get_politely(
        &self,
        url: &url::Url,
        slot: &HostSlot,
        validators: &Validators,
    ) -> std::result::Result<FetchOutcome, FetchFailure> {
        let _global = self.global.acquire().await.map_err(|e| Error::Internal(e.to_string()))?;
        let _host = slot.permits.acquire().await.map_err(|e| Error::Internal(e.to_string()))?;
        {
            let mut next = slot.next_start.lock().await;
            let now = Instant::now();
            if *next > now {
                tokio::time::sleep(*next - now).await;
            }
            *next = Instant::now() + self.options.min_host_delay;
        }
        self.get_once(url, validators).await
    }

    async fn get_once(
        &self,
        url: &url::Url,
        validators: &Validators,
    ) -> std::result::Result<FetchOutcome, FetchFailure> {
        let mut headers = HeaderMap::new();
        if let Some(v) = validators.etag.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(IF_NONE_MATCH, v);
        }
        if let Some(v) = validators.last_modified.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(IF_MODIFIED_SINCE, v);
        }
        let mut resp = self.client.get(url.clone()).headers(headers).send().await.map_err(|e| FetchFailure {
            transient: !e.is_timeout() && (e.is_connect() || e.is_request()),
            error: network_error(url, &e),
            http_status: None,
            retry_after: None,
        })?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(FetchOutcome::NotModified);
        }
        if !status.is_success() {
            let retry_after = resp.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
            return Err(FetchFailure {
                retry_after,
                transient: status.as_u16() == 429 || status.is_server_error(),
                error: Error::Network(
                    format!("{url} answered HTTP {} {}", status.as_u16(), status.canonical_reason().unwrap_or(""))
                        .trim_end()
                        .to_string(),
                ),
                http_status: Some(status.as_u16()),
            });
        }
        let header = |name| resp.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_string);
        let content_type = header(CONTENT_TYPE);
        let etag = header(ETAG);
        let last_modified = header(LAST_MODIFIED);
        let max_age = header(CACHE_CONTROL).as_deref().and_then(parse_max_age);
        let content_location = header(CONTENT_LOCATION)
            .and_then(|value| resp.url().join(value.trim()).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .map(String::from);
        let final_url = resp.url().to_string();
        let cap = self.options.max_body_bytes;
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(FetchFailure {
                error: Error::Network(format!("{url}: the body is larger than the {} MiB limit", cap / (1024 * 1024))),
                http_status: Some(status.as_u16()),
                retry_after: None,
                transient: false,
            });
        }
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > cap {
                        return Err(FetchFailure {
                            error: Error::Network(format!(
                                "{url}: the body is larger than the {} MiB limit",
                                cap / (1024 * 1024)
                            )),
                            http_status: Some(status.as_u16()),
                            retry_after: None,
                            transient: false,
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(FetchFailure {
                        transient: !e.is_timeout(),
                        error: network_error(url, &e),
                        http_status: Some(status.as_u16()),
                        retry_after: None,
                    })
                }
            }
        }
        Ok(FetchOutcome::Fetched(Fetched {
            status: status.as_u16(),
            final_url,
            content_type,
            etag,
            last_modified,
            max_age,
            content_location,
            body,
        }))
    }
}

/// `Retry-After`: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// `max-age` of a `Cache-Control` value (`no-store`/`no-cache` give none).
pub fn parse_max_age(value: &str) -> Option<Duration> {
    value
        .split(',')
        .find_map(|d| {
            let (k, v) = d.trim().split_once('=')?;
            k.trim().eq_ignore_ascii_case("max-age").then(|| v.trim().trim_matches('"').parse::<u64>().ok()).flatten()
        })
        .map(Duration::from_secs)
}

fn network_error(url: &url::Url, e: &reqwest::Error) -> Error {
    let what = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else if e.is_redirect() {
        "too many or invalid redirects".to_string()
    } else if e.is_decode() || e.is_body() {
        "the response body could not be read".to_string()
    } else {
        "request failed".to_string()
    };
    // reqwest's Display hides the cause; walk the chain so the analyst sees e.g. "connection refused".
    let mut detail = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        Error::Network(format!("{url}: {what}"))
    } else {
        Error::Network(format!("{url}: {what} ({detail})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_and_max_age_parse() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO), "a past date means now");
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_max_age("public, max-age=600"), Some(Duration::from_secs(600)));
        assert_eq!(parse_max_age("no-cache"), None);
    }

    #[test]
    fn proxy_urls_are_checked() {
        for good in [
            "http://127.0.0.1:3128",
            "https://proxy.example",
            "socks5://10.0.0.1:1080",
            "socks5h://user:secret@proxy.example:1080/",
        ] {
            assert_eq!(check_proxy_url(good), Ok(()), "{good}");
            assert!(ProxyChoice::Url(good.into()).apply(reqwest::Client::builder()).is_ok(), "{good}");
        }
        for (bad, why) in [
            ("proxy.example:3128", "no scheme"),
            ("ftp://proxy.example", "ftp: is not a proxy scheme"),
            ("socks4://proxy.example", "socks4: is not a proxy scheme"),
            ("http://proxy.example/path", "no path"),
            ("http://proxy.example:3128?x=1", "no path, query"),
            ("http://user:secret@:3128", "not a URL"),
        ] {
            let e = check_proxy_url(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
            assert!(!e.contains("secret"), "{bad}: the error repeats the password: {e}");
        }
    }

    #[test]
    fn the_options_user_agent_and_proxy_build_the_client() {
        let custom =
            FetchOptions { user_agent: "Analyst/1.0".into(), proxy: ProxyChoice::Direct, ..Default::default() };
        assert_eq!(Fetcher::new(custom).unwrap().options().user_agent, "Analyst/1.0");
        let bad = FetchOptions { user_agent: "line\nbreak".into(), ..Default::default() };
        assert!(Fetcher::new(bad).is_err());
        let proxy = FetchOptions { proxy: ProxyChoice::Url("gopher://x".into()), ..Default::default() };
        assert_eq!(Fetcher::new(proxy).err().map(|e| e.code()), Some(crate::error::ErrorCode::InvalidInput));
    }

    #[test]
    fn only_http_and_https() {
        assert!(validate_url("https://tass.example/rss/v2.xml").is_ok());
        assert!(validate_url("ftp://x.example/feed").is_err());
        assert!(validate_url("javascript:alert(1)").is_err());
        assert!(validate_url("/relative/feed.xml").is_err());
    }
}
