//! The core's only outbound network: webhook POSTs (with Standard Webhooks signatures), ntfy, and SMTP
//! (lettre). Error messages name the host and what happened, never a secret, a password, or a URL's query
//! string or user part (they may hold tokens).

use std::time::Duration;

use lettre::message::{header, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::sign;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP (a local relay, tests).
    None,
    StartTls,
    /// Implicit TLS (port 465).
    Tls,
}

impl std::str::FromStr for SmtpSecurity {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(SmtpSecurity::None),
            "starttls" => Ok(SmtpSecurity::StartTls),
            "tls" => Ok(SmtpSecurity::Tls),
            other => Err(Error::InvalidInput(format!("smtp.security {other:?}: expected none, starttls or tls"))),
        }
    }
}

impl SmtpSecurity {
    pub fn as_str(self) -> &'static str {
        match self {
            SmtpSecurity::None => "none",
            SmtpSecurity::StartTls => "starttls",
            SmtpSecurity::Tls => "tls",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub user: Option<String>,
    pub from: String,
}

#[derive(Debug, Clone)]
pub struct EmailMessage {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The same on every retry of one delivery.
    pub message_id: String,
    /// Files sent along (a scheduled report).
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Sends alerts out. Cheap to clone.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    timeout: Duration,
}

/// What a URL may show of itself in a message: scheme, host and port.
fn shown(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => {
            let host = u.host_str().unwrap_or("?");
            match u.port() {
                Some(p) => format!("{host}:{p}"),
                None => host.to_string(),
            }
        }
        Err(_) => "an unreadable URL".into(),
    }
}

impl Sender {
    /// `route` says where the webhook and ntfy client connects: the core passes the `fetch.proxy` setting
    /// (the fetcher's `ProxyChoice::apply`), so that alerts leave the way fetches do — an analyst behind a
    /// proxy that the desktop app's environment does not name reaches Slack or ntfy.sh only through it.
    /// E-mail does not follow it: SMTP (lettre) connects directly, it has no proxy support.
    pub fn new(
        timeout: Duration,
        user_agent: &str,
        route: impl FnOnce(reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder>,
    ) -> Result<Sender> {
        let builder = reqwest::Client::builder()
            .user_agent(user_agent)
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            // A webhook that redirects is answered, not followed: a 3xx is not a delivery.
            .redirect(reqwest::redirect::Policy::none());
        let client = route(builder)?
            .build()
            .map_err(|e| Error::Internal(format!("cannot build the HTTP client for alerts: {e}")))?;
        Ok(Sender { client, timeout })
    }

    fn net_err(&self, what: &str, url: &str, e: reqwest::Error) -> Error {
        let host = shown(url);
        if e.is_timeout() {
            Error::Network(format!("{what} at {host} timed out after {} s", self.timeout.as_secs()))
        } else if e.is_connect() {
            Error::Network(format!("{what} at {host} refused the connection or could not be reached"))
        } else {
            Error::Network(format!("{what} at {host} failed: {}", e.without_url()))
        }
    }

    async fn post(&self, what: &str, url: &str, req: reqwest::RequestBuilder) -> Result<()> {
        let resp = req.send().await.map_err(|e| self.net_err(what, url, e))?;
        let status = resp.status();
        if status.is_success() {
            return Ok(());
        }
        Err(Error::Network(format!(
            "{what} at {} answered {} {}",
            shown(url),
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )))
    }

    /// POSTs a JSON body; with a secret, the Standard Webhooks headers. Any 2xx is a delivery.
    pub async fn webhook(
        &self,
        url: &str,
        body: &str,
        msg_id: &str,
        timestamp: i64,
        secret: Option<&str>,
    ) -> Result<()> {
        let mut req = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("webhook-id", msg_id)
            .header("webhook-timestamp", timestamp.to_string())
            .body(body.to_string());
        if let Some(secret) = secret {
            req = req.header("webhook-signature", sign::sign(secret, msg_id, timestamp, body)?);
        }
        self.post("the webhook", url, req).await
    }

    /// ntfy: a plain-text POST to the topic URL with its Title, Tags and Click headers.
    pub async fn ntfy(&self, url: &str, title: &str, message: &str, tags: &[&str], click: Option<&str>) -> Result<()> {
        // HTTP header values are Latin-1 at best: ntfy reads RFC 2047 encoded words in its headers.
        let encode = |s: &str| {
            if s.is_ascii() {
                s.to_string()
            } else {
                use base64::Engine;
                format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(s))
            }
        };
        let mut req = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .header("Title", encode(title))
            .header("Tags", tags.join(","))
            .body(message.to_string());
        if let Some(c) = click {
            req = req.header("Click", c);
        }
        self.post("ntfy", url, req).await
    }

    /// One message over SMTP: multipart/alternative, text and HTML, UTF-8 throughout; with attachments,
    /// multipart/mixed around it.
    pub async fn email(&self, smtp: &SmtpConfig, password: Option<&str>, msg: &EmailMessage) -> Result<()> {
        let mailbox = |addr: &str, what: &str| -> Result<Mailbox> {
            addr.parse().map_err(|e| Error::InvalidInput(format!("{what} {addr:?} is not an e-mail address ({e})")))
        };
        let email = Message::builder()
            .from(mailbox(&smtp.from, "smtp.from")?)
            .to(mailbox(&msg.to, "the e-mail channel's address")?)
            .subject(msg.subject.clone())
            .message_id(Some(format!("<{}@mediawatch>", msg.message_id)))
            .multipart({
                let body = MultiPart::alternative()
                    .singlepart(SinglePart::builder().header(header::ContentType::TEXT_PLAIN).body(msg.text.clone()))
                    .singlepart(SinglePart::builder().header(header::ContentType::TEXT_HTML).body(msg.html.clone()));
                if msg.attachments.is_empty() {
                    body
                } else {
                    let mut mixed = MultiPart::mixed().multipart(body);
                    for a in &msg.attachments {
                        let kind = header::ContentType::parse(&a.content_type)
                            .map_err(|e| Error::Internal(format!("attachment type {:?}: {e}", a.content_type)))?;
                        // Base64 whatever the type: a CSV's CRLF line ends and a BOM come through byte for byte.
                        let body = lettre::message::Body::new_with_encoding(
                            a.bytes.clone(),
                            header::ContentTransferEncoding::Base64,
                        )
                        .map_err(|_| Error::Internal(format!("attachment {} could not be encoded", a.name)))?;
                        mixed = mixed.singlepart(lettre::message::Attachment::new(a.name.clone()).body(body, kind));
                    }
                    mixed
                }
            })
            .map_err(|e| Error::InvalidInput(format!("the e-mail could not be built: {e}")))?;
        let where_ = format!("the mail server {}:{}", smtp.host, smtp.port);
        let builder = match smtp.security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
            SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                .map_err(|e| Error::Network(format!("{where_}: {e}")))?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
                .map_err(|e| Error::Network(format!("{where_}: {e}")))?,
        };
        let mut builder = builder.port(smtp.port).timeout(Some(self.timeout));
        if let (Some(user), Some(pass)) = (&smtp.user, password) {
            builder = builder.credentials(Credentials::new(user.clone(), pass.to_string()));
        }
        let transport = builder.build();
        transport.send(email).await.map_err(|e| {
            // lettre's errors carry the server's reply, not the credentials.
            Error::Network(format!("{where_} refused the message: {e}"))
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_show_the_host_only() {
        assert_eq!(shown("https://user:token@hooks.example.com/services/T0/B0/XXXX?token=abc"), "hooks.example.com");
        assert_eq!(shown("http://127.0.0.1:8080/hook"), "127.0.0.1:8080");
        assert_eq!("STARTTLS".parse::<SmtpSecurity>().unwrap(), SmtpSecurity::StartTls);
        assert!("ssl".parse::<SmtpSecurity>().is_err());
    }
}
