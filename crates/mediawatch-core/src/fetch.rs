//! HTTP: the only module that touches the network.
//!
//! One `reqwest` client with rustls, gzip/brotli/deflate, connect and total timeouts, at most 5 redirects,
//! `http`/`https` only, an honest User-Agent, a cap on the body size, and conditional GET.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::StatusCode;

use crate::error::{Error, Result};

pub const USER_AGENT: &str =
    concat!("Mediawatch/", env!("CARGO_PKG_VERSION"), " (+https://github.com/mediawatch/mediawatch; media monitoring)");

/// Limits of the HTTP client.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(45),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
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
    pub body: Vec<u8>,
}

#[derive(Debug, Clone)]
pub enum FetchOutcome {
    Fetched(Fetched),
    NotModified,
}

/// A failed fetch: the error, and the HTTP status when the server answered.
#[derive(Debug)]
pub struct FetchFailure {
    pub error: Error,
    pub http_status: Option<u16>,
}

impl From<Error> for FetchFailure {
    fn from(error: Error) -> Self {
        FetchFailure { error, http_status: None }
    }
}

#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    options: FetchOptions,
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
        let max_redirects = options.max_redirects;
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
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
            }))
            .build()
            .map_err(|e| Error::Internal(format!("cannot build the HTTP client: {e}")))?;
        Ok(Fetcher { client, options })
    }

    /// GETs `url`, conditionally when validators are given. A non-2xx answer is an error naming the status.
    pub async fn get(&self, url: &str, validators: &Validators) -> std::result::Result<FetchOutcome, FetchFailure> {
        let url = validate_url(url)?;
        let mut headers = HeaderMap::new();
        if let Some(v) = validators.etag.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(IF_NONE_MATCH, v);
        }
        if let Some(v) = validators.last_modified.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(IF_MODIFIED_SINCE, v);
        }
        let mut resp =
            self.client.get(url.clone()).headers(headers).send().await.map_err(|e| network_error(&url, &e))?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(FetchOutcome::NotModified);
        }
        if !status.is_success() {
            return Err(FetchFailure {
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
        let final_url = resp.url().to_string();
        let cap = self.options.max_body_bytes;
        if resp.content_length().is_some_and(|n| n > cap as u64) {
            return Err(FetchFailure {
                error: Error::Network(format!("{url}: the body is larger than the {} MiB limit", cap / (1024 * 1024))),
                http_status: Some(status.as_u16()),
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
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(FetchFailure { error: network_error(&url, &e), http_status: Some(status.as_u16()) })
                }
            }
        }
        Ok(FetchOutcome::Fetched(Fetched {
            status: status.as_u16(),
            final_url,
            content_type,
            etag,
            last_modified,
            body,
        }))
    }
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
