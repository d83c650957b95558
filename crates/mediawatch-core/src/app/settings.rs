//! The analyst's settings: the keys `mediawatch settings get/set` and the Settings page edit, each with its
//! default and what a valid value is; and the secrets (`mediawatch secrets set`), which never touch the
//! database.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::sources::{DEFAULT_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES};
use super::{Clients, Mediawatch};
use crate::alerts::schedule;
use crate::error::{Error, Result};
use crate::ingest::fetch::{self, FetchOptions, ProxyChoice};
use crate::model::{FetchSettings, SecretsInfo, Settings, SmtpSettings};
use crate::store::Store;

/// Every settings key (`settings get` prints them sorted by name).
pub const KEYS: &[&str] = &[
    "remote_images",
    "smtp.host",
    "smtp.port",
    "smtp.security",
    "smtp.user",
    "smtp.from",
    "alerts.timezone",
    "alerts.news_max_age_days",
    "fetch.interval_minutes",
    "fetch.concurrency",
    "fetch.user_agent",
    "fetch.proxy",
];

/// The secrets `mediawatch secrets set` accepts (webhook secrets come with their rule).
pub const SECRET_NAMES: &[&str] = &["smtp.password"];

pub const DEFAULT_NEWS_MAX_AGE_DAYS: u32 = 7;

/// Sources fetched at once in a cycle, and requests in flight at once. Each source passes through several
/// stages (look-up of stored articles, extraction and matching on the blocking pool, the story look-up, the
/// write): with 4 in flight the single writer sat idle between them (refresh benchmark: 2.9 s cold, against
/// 2.4–2.6 s with 8).
pub const DEFAULT_FETCH_CONCURRENCY: u32 = 8;
pub const MAX_FETCH_CONCURRENCY: u32 = 32;

/// The longest `fetch.user_agent`, in characters.
pub const MAX_USER_AGENT_CHARS: usize = 256;

fn default_port(security: &str) -> u16 {
    match security {
        "tls" => 465,
        "none" => 25,
        _ => 587,
    }
}

fn bad(key: &str, value: &str, expected: &str) -> Error {
    Error::InvalidInput(format!("setting {key}: {value:?} is not valid; expected {expected}"))
}

/// A proxy URL as an error message may show it: the password replaced by `***`.
fn without_password(value: &str) -> String {
    match url::Url::parse(value) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(_) => value.to_string(),
        // Not a URL: whatever stands before an `@` may be a password.
        Err(_) => match value.rsplit_once('@') {
            Some((_, host)) => format!("***@{host}"),
            None => value.to_string(),
        },
    }
}

/// Checks one value and returns what is stored (`None`: back to the default).
fn normalize(key: &str, value: &str) -> Result<Option<String>> {
    let v = value.trim();
    if v.is_empty() && key != "remote_images" {
        return Ok(None);
    }
    Ok(Some(match key {
        "remote_images" => match v.to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" | "1" => "true".into(),
            "false" | "off" | "no" | "0" | "" => "false".into(),
            _ => return Err(bad(key, value, "true or false")),
        },
        "smtp.host" => {
            if v.contains(char::is_whitespace) || v.contains('/') {
                return Err(bad(key, value, "a host name or address, such as smtp.example.org"));
            }
            v.to_string()
        }
        "smtp.port" => match v.parse::<u16>() {
            Ok(p) if p > 0 => p.to_string(),
            _ => return Err(bad(key, value, "a port number from 1 to 65535")),
        },
        "smtp.security" => match v.to_ascii_lowercase().as_str() {
            s @ ("none" | "starttls" | "tls") => s.to_string(),
            _ => return Err(bad(key, value, "none, starttls or tls")),
        },
        "smtp.user" => v.to_string(),
        "smtp.from" => {
            if !v.contains('@') || v.contains(char::is_whitespace) && !v.contains('<') {
                return Err(bad(key, value, "an e-mail address, such as alerts@example.org or Name <a@b.org>"));
            }
            v.to_string()
        }
        "alerts.timezone" => {
            schedule::parse_tz(v).map_err(|_| bad(key, value, "an IANA time zone, such as Europe/Moscow"))?;
            v.to_string()
        }
        "alerts.news_max_age_days" => match v.parse::<u32>() {
            Ok(d) if (1..=3650).contains(&d) => d.to_string(),
            _ => return Err(bad(key, value, "a whole number of days from 1 to 3650")),
        },
        "fetch.interval_minutes" => match v.parse::<u32>() {
            Ok(m) if m >= MIN_INTERVAL_MINUTES => m.to_string(),
            _ => {
                let expected = format!("a whole number of minutes, {MIN_INTERVAL_MINUTES} or more (as a source's own)");
                return Err(bad(key, value, &expected));
            }
        },
        "fetch.concurrency" => match v.parse::<u32>() {
            Ok(n) if (1..=MAX_FETCH_CONCURRENCY).contains(&n) => n.to_string(),
            _ => return Err(bad(key, value, &format!("a whole number from 1 to {MAX_FETCH_CONCURRENCY}"))),
        },
        "fetch.user_agent" => {
            let printable = v.chars().all(|c| c.is_ascii_graphic() || c == ' ');
            if !printable || v.chars().count() > MAX_USER_AGENT_CHARS {
                let expected = format!(
                    "printable ASCII (no control characters or accents), at most {MAX_USER_AGENT_CHARS} characters, \
                     such as \"ExampleAgency-Monitor/1.0 (+mailto:desk@example.org)\"; empty for the built-in one"
                );
                return Err(bad(key, value, &expected));
            }
            v.to_string()
        }
        "fetch.proxy" => {
            if v.eq_ignore_ascii_case("none") {
                "none".into()
            } else {
                fetch::check_proxy_url(v).map_err(|why| {
                    let expected = format!(
                        "none (connect directly), a proxy URL such as http://proxy.example:3128 or \
                         socks5h://127.0.0.1:9050 (the schemes: {}), or empty for the environment's proxies; {why}",
                        fetch::PROXY_SCHEMES.join(", ")
                    );
                    bad(key, &without_password(v), &expected)
                })?;
                v.to_string()
            }
        }
        other => {
            return Err(Error::InvalidInput(format!(
                "there is no setting {other:?}; the settings are {}",
                KEYS.join(", ")
            )))
        }
    }))
}

/// The settings as stored, with defaults filled in. A stored fetch setting that is not valid (only a hand-edited
/// database has one) counts as unset.
pub(super) fn read_settings(stored: &BTreeMap<String, String>) -> Settings {
    let get = |k: &str| stored.get(k).cloned();
    let valid = |k: &str| stored.get(k).and_then(|v| normalize(k, v).ok().flatten());
    let security = get("smtp.security").unwrap_or_else(|| "starttls".into());
    Settings {
        remote_images: get("remote_images").as_deref() == Some("true"),
        smtp: SmtpSettings {
            host: get("smtp.host"),
            port: get("smtp.port").and_then(|p| p.parse().ok()).unwrap_or_else(|| default_port(&security)),
            security,
            user: get("smtp.user"),
            from: get("smtp.from"),
        },
        alerts_timezone: get("alerts.timezone"),
        alerts_news_max_age_days: get("alerts.news_max_age_days")
            .and_then(|d| d.parse().ok())
            .unwrap_or(DEFAULT_NEWS_MAX_AGE_DAYS),
        fetch: FetchSettings {
            interval_minutes: valid("fetch.interval_minutes")
                .and_then(|m| m.parse().ok())
                .unwrap_or(DEFAULT_INTERVAL_MINUTES),
            concurrency: valid("fetch.concurrency").and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_FETCH_CONCURRENCY),
            user_agent: valid("fetch.user_agent"),
            proxy: valid("fetch.proxy"),
            default_user_agent: fetch::USER_AGENT.to_string(),
        },
        system_timezone: schedule::system_tz(),
        secrets: SecretsInfo::default(),
    }
}

/// The fetch options of these settings: `base`'s limits and timeouts, with the settings' User-Agent, proxy and
/// global limit.
pub(super) fn fetch_options(base: &FetchOptions, fetch: &FetchSettings) -> FetchOptions {
    let proxy = match fetch.proxy.as_deref() {
        None => ProxyChoice::Environment,
        Some("none") => ProxyChoice::Direct,
        Some(url) => ProxyChoice::Url(url.to_string()),
    };
    FetchOptions {
        user_agent: fetch.user_agent.clone().unwrap_or_else(|| fetch::USER_AGENT.to_string()),
        proxy,
        max_concurrent: fetch.concurrency as usize,
        ..base.clone()
    }
}

impl Mediawatch {
    pub(crate) async fn stored_settings(&self) -> Result<Settings> {
        let stored = self.db(Store::setting_values).await?;
        Ok(read_settings(&stored))
    }

    /// The settings, with where secrets live and whether the SMTP password is set.
    pub async fn settings(&self) -> Result<Settings> {
        let mut settings = self.stored_settings().await?;
        settings.secrets = self.secrets_info().await?;
        Ok(settings)
    }

    /// Saves the Settings page (every editable field; the read-only ones are ignored).
    pub async fn save_settings(&self, s: Settings) -> Result<Settings> {
        let pairs: Vec<(&str, String)> = vec![
            ("remote_images", s.remote_images.to_string()),
            ("smtp.host", s.smtp.host.unwrap_or_default()),
            ("smtp.port", s.smtp.port.to_string()),
            ("smtp.security", s.smtp.security),
            ("smtp.user", s.smtp.user.unwrap_or_default()),
            ("smtp.from", s.smtp.from.unwrap_or_default()),
            ("alerts.timezone", s.alerts_timezone.unwrap_or_default()),
            ("alerts.news_max_age_days", s.alerts_news_max_age_days.to_string()),
            ("fetch.interval_minutes", s.fetch.interval_minutes.to_string()),
            ("fetch.concurrency", s.fetch.concurrency.to_string()),
            ("fetch.user_agent", s.fetch.user_agent.unwrap_or_default()),
            ("fetch.proxy", s.fetch.proxy.unwrap_or_default()),
        ];
        let mut values = Vec::new();
        for (k, v) in &pairs {
            values.push((k.to_string(), normalize(k, v)?));
        }
        self.write_settings(values).await?;
        self.settings().await
    }

    /// Stores checked values; when the fetch settings change, the clients are rebuilt first and put in place
    /// after the write, and a failure to build them refuses the write (nothing is stored).
    async fn write_settings(&self, values: Vec<(String, Option<String>)>) -> Result<()> {
        let _one_at_a_time = self.settings_writes.lock().await;
        let mut stored = self.db(Store::setting_values).await?;
        for (k, v) in &values {
            match v {
                Some(v) => stored.insert(k.clone(), v.clone()),
                None => stored.remove(k),
            };
        }
        let clients = self
            .clients_for(&read_settings(&stored).fetch)
            .map_err(|e| Error::InvalidInput(format!("the fetch settings were not saved: {e}")))?;
        let now = self.now();
        self.db(move |st| {
            let pairs: Vec<(&str, Option<String>)> = values.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            st.save_setting_values(&pairs, now)
        })
        .await?;
        if let Some(clients) = clients {
            self.replace_clients(clients);
        }
        Ok(())
    }

    /// New clients when `fetch` differs from the settings of the clients in place.
    fn clients_for(&self, fetch: &FetchSettings) -> Result<Option<Clients>> {
        let current = self.clients();
        if current.settings == *fetch {
            return Ok(None);
        }
        Clients::build(&self.fetch_base, fetch, Some(&current.fetcher)).map(Some)
    }

    /// Rebuilds the clients when the stored fetch settings are not the ones they were built from (another
    /// process, such as `mediawatch settings set`, changed them): a fetch cycle calls it before it starts. A
    /// failure keeps the clients in place.
    pub(super) async fn follow_stored_fetch_settings(&self) -> Result<()> {
        let _one_at_a_time = self.settings_writes.lock().await;
        let fetch = self.stored_settings().await?.fetch;
        if let Ok(Some(clients)) = self.clients_for(&fetch) {
            self.replace_clients(clients);
        }
        Ok(())
    }

    /// `mediawatch settings get`: every key (or one) with its value, defaults filled in, `null` when unset.
    pub async fn setting_values(&self, key: Option<String>) -> Result<BTreeMap<String, Value>> {
        if let Some(k) = &key {
            if !KEYS.contains(&k.as_str()) {
                return Err(Error::InvalidInput(format!(
                    "there is no setting {k:?}; the settings are {}",
                    KEYS.join(", ")
                )));
            }
        }
        let s = self.stored_settings().await?;
        let all: BTreeMap<String, Value> = [
            ("remote_images", json!(s.remote_images)),
            ("smtp.host", json!(s.smtp.host)),
            ("smtp.port", json!(s.smtp.port)),
            ("smtp.security", json!(s.smtp.security)),
            ("smtp.user", json!(s.smtp.user)),
            ("smtp.from", json!(s.smtp.from)),
            ("alerts.timezone", json!(s.alerts_timezone)),
            ("alerts.news_max_age_days", json!(s.alerts_news_max_age_days)),
            ("fetch.interval_minutes", json!(s.fetch.interval_minutes)),
            ("fetch.concurrency", json!(s.fetch.concurrency)),
            ("fetch.user_agent", json!(s.fetch.user_agent)),
            ("fetch.proxy", json!(s.fetch.proxy)),
        ]
        .into_iter()
        .filter(|(k, _)| key.as_deref().is_none_or(|want| want == *k))
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Ok(all)
    }

    /// `mediawatch settings set KEY VALUE` (an empty value resets the key to its default). A `fetch.*` key
    /// applies from the next request on.
    pub async fn set_setting(&self, key: String, value: String) -> Result<BTreeMap<String, Value>> {
        let stored = normalize(&key, &value)?;
        self.write_settings(vec![(key.clone(), stored)]).await?;
        self.setting_values(Some(key)).await
    }

    /// `mediawatch secrets set NAME`: stores a secret in the OS keyring (or the user-only file).
    pub async fn set_secret(&self, name: String, value: String) -> Result<SecretsInfo> {
        if !SECRET_NAMES.contains(&name.as_str()) {
            return Err(Error::InvalidInput(format!(
                "there is no secret {name:?}; the secrets are {} (a webhook's secret is given with its rule: --secret-stdin)",
                SECRET_NAMES.join(", ")
            )));
        }
        let value = value.trim_end_matches(['\r', '\n']).to_string();
        if value.is_empty() {
            return Err(Error::InvalidInput(format!("the secret {name} is empty; nothing was stored")));
        }
        let secrets = self.secrets().await?;
        tokio::task::spawn_blocking(move || secrets.set(&name, &value))
            .await
            .map_err(|e| Error::Internal(format!("keyring task failed: {e}")))??;
        self.secrets_info().await
    }

    pub(crate) async fn secrets_info(&self) -> Result<SecretsInfo> {
        let secrets = self.secrets().await?;
        let (backend, set) = tokio::task::spawn_blocking(move || {
            let set = secrets.get("smtp.password").map(|p| p.is_some()).unwrap_or(false);
            (secrets.backend(), set)
        })
        .await
        .map_err(|e| Error::Internal(format!("keyring task failed: {e}")))?;
        Ok(match backend {
            crate::alerts::secrets::SecretBackend::Keyring => {
                SecretsInfo { backend: "keyring".into(), path: None, smtp_password_set: set }
            }
            crate::alerts::secrets::SecretBackend::File(p) => {
                SecretsInfo { backend: "file".into(), path: Some(p.display().to_string()), smtp_password_set: set }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_validates_and_names_itself_in_errors() {
        assert_eq!(normalize("smtp.port", "2525").unwrap().as_deref(), Some("2525"));
        assert_eq!(normalize("smtp.security", "STARTTLS").unwrap().as_deref(), Some("starttls"));
        assert_eq!(normalize("alerts.timezone", "Europe/Moscow").unwrap().as_deref(), Some("Europe/Moscow"));
        assert_eq!(normalize("smtp.host", "").unwrap(), None);
        for (key, value) in [
            ("smtp.port", "0"),
            ("smtp.port", "seventy"),
            ("smtp.security", "ssl3"),
            ("alerts.timezone", "Mars/Olympus"),
            ("alerts.news_max_age_days", "-1"),
            ("smtp.from", "nobody"),
        ] {
            let e = normalize(key, value).unwrap_err();
            assert_eq!(e.code(), crate::error::ErrorCode::InvalidInput);
            assert!(e.to_string().contains(key), "{e}");
        }
        let e = normalize("smtp.hots", "x").unwrap_err();
        assert!(e.to_string().contains("smtp.hots") && e.to_string().contains("smtp.host"), "{e}");
    }

    #[test]
    fn defaults_fill_what_was_never_set() {
        let s = read_settings(&BTreeMap::new());
        assert_eq!(s.smtp.port, 587);
        assert_eq!(s.smtp.security, "starttls");
        assert_eq!(s.alerts_news_max_age_days, 7);
        assert!(!s.remote_images);
        let tls = read_settings(&[("smtp.security".to_string(), "tls".to_string())].into_iter().collect());
        assert_eq!(tls.smtp.port, 465);
        assert_eq!(s.fetch.interval_minutes, 30);
        assert_eq!(s.fetch.concurrency, 8);
        assert_eq!((s.fetch.user_agent, s.fetch.proxy), (None, None));
        assert_eq!(s.fetch.default_user_agent, fetch::USER_AGENT);
    }

    /// The error of a bad value: `invalid_input`, naming the key.
    fn refused(key: &str, value: &str) -> String {
        let e = normalize(key, value).expect_err(value);
        assert_eq!(e.code(), crate::error::ErrorCode::InvalidInput, "{e}");
        let message = e.to_string();
        assert!(message.contains(&format!("setting {key}:")), "{message}");
        message
    }

    #[test]
    fn fetch_interval_minutes_takes_a_sources_bound() {
        let ok = |v: &str| normalize("fetch.interval_minutes", v).unwrap();
        assert_eq!(ok("15").as_deref(), Some("15"));
        assert_eq!(ok(" 1 ").as_deref(), Some("1"), "the shortest a source accepts");
        assert_eq!(ok(&u32::MAX.to_string()).as_deref(), Some(u32::MAX.to_string().as_str()));
        assert_eq!(ok(""), None, "empty: back to 30");
        for bad in ["0", "-5", "1.5", "half an hour", "4294967296"] {
            assert!(refused("fetch.interval_minutes", bad).contains("minutes, 1 or more"), "{bad}");
        }
    }

    #[test]
    fn fetch_concurrency_is_1_to_32() {
        for good in ["1", "8", "32"] {
            assert_eq!(normalize("fetch.concurrency", good).unwrap().as_deref(), Some(good));
        }
        assert_eq!(normalize("fetch.concurrency", "").unwrap(), None);
        for bad in ["0", "33", "-1", "eight"] {
            assert!(refused("fetch.concurrency", bad).contains("from 1 to 32"), "{bad}");
        }
    }

    #[test]
    fn fetch_user_agent_is_a_printable_header_of_256_chars_at_most() {
        let ua = "ExampleAgency-Monitor/1.0 (+mailto:desk@example.org)";
        assert_eq!(normalize("fetch.user_agent", &format!("  {ua} ")).unwrap().as_deref(), Some(ua));
        let longest = "a".repeat(256);
        assert_eq!(normalize("fetch.user_agent", &longest).unwrap(), Some(longest));
        assert_eq!(normalize("fetch.user_agent", "").unwrap(), None, "empty: the built-in one");
        for bad in ["Agent/1.0\r\nX-Injected: 1", "Agent\u{7}", "Agent\tTab", "Агент/1.0", "Agent/1.0 é"] {
            assert!(refused("fetch.user_agent", bad).contains("printable ASCII"), "{bad:?}");
        }
        assert!(refused("fetch.user_agent", &"a".repeat(257)).contains("at most 256"));
    }

    #[test]
    fn fetch_proxy_is_none_or_a_proxy_url() {
        let ok = |v: &str| normalize("fetch.proxy", v).unwrap();
        assert_eq!(ok("NONE").as_deref(), Some("none"));
        for url in [
            "http://127.0.0.1:3128",
            "https://proxy.example.org",
            "socks5://10.1.2.3:1080",
            "socks5h://analyst:s3cret@proxy.example.org:1080",
        ] {
            assert_eq!(ok(url).as_deref(), Some(url));
        }
        assert_eq!(ok(""), None, "empty: the environment's proxies");
        for (bad, why) in [
            ("proxy.example.org:3128", "no scheme"),
            ("ftp://proxy.example.org", "ftp: is not a proxy scheme"),
            ("socks4://proxy.example.org", "socks4: is not a proxy scheme"),
            ("http://proxy.example.org/pac", "no path"),
            ("http://", "not a URL"),
            ("direct", "no scheme"),
        ] {
            let message = refused("fetch.proxy", bad);
            assert!(message.contains(why) && message.contains("socks5h"), "{bad}: {message}");
        }
        let message = refused("fetch.proxy", "ftp://analyst:s3cret@proxy.example.org");
        assert!(!message.contains("s3cret") && message.contains("***"), "the password is not repeated: {message}");
    }

    #[test]
    fn an_invalid_stored_fetch_value_counts_as_unset() {
        let stored: BTreeMap<String, String> = [("fetch.proxy", "gopher://x"), ("fetch.concurrency", "500")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let s = read_settings(&stored).fetch;
        assert_eq!((s.proxy, s.concurrency), (None, DEFAULT_FETCH_CONCURRENCY));
    }

    #[test]
    fn the_fetch_settings_override_the_base_options() {
        let base = FetchOptions { attempts: 1, max_concurrent: 3, ..FetchOptions::default() };
        let mut fetch = read_settings(&BTreeMap::new()).fetch;
        let defaults = fetch_options(&base, &fetch);
        assert_eq!((defaults.max_concurrent, defaults.attempts), (8, 1));
        assert_eq!((defaults.user_agent.as_str(), &defaults.proxy), (fetch::USER_AGENT, &ProxyChoice::Environment));
        fetch.concurrency = 2;
        fetch.user_agent = Some("Desk/2".into());
        fetch.proxy = Some("none".into());
        let set = fetch_options(&base, &fetch);
        assert_eq!((set.max_concurrent, set.user_agent.as_str(), &set.proxy), (2, "Desk/2", &ProxyChoice::Direct));
        fetch.proxy = Some("socks5h://127.0.0.1:9050".into());
        assert_eq!(fetch_options(&base, &fetch).proxy, ProxyChoice::Url("socks5h://127.0.0.1:9050".into()));
    }
}
