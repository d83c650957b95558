//! The analyst's settings: the keys `mediawatch settings get/set` and the Settings page edit, each with its
//! default and what a valid value is; and the secrets (`mediawatch secrets set`), which never touch the
//! database.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::Mediawatch;
use crate::alerts::schedule;
use crate::error::{Error, Result};
use crate::model::{SecretsInfo, Settings, SmtpSettings};
use crate::store::Store;

/// Every settings key, in the order `settings get` prints them.
pub const KEYS: &[&str] = &[
    "remote_images",
    "smtp.host",
    "smtp.port",
    "smtp.security",
    "smtp.user",
    "smtp.from",
    "alerts.timezone",
    "alerts.news_max_age_days",
];

/// The secrets `mediawatch secrets set` accepts (webhook secrets come with their rule).
pub const SECRET_NAMES: &[&str] = &["smtp.password"];

pub const DEFAULT_NEWS_MAX_AGE_DAYS: u32 = 7;

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
        other => {
            return Err(Error::InvalidInput(format!(
                "there is no setting {other:?}; the settings are {}",
                KEYS.join(", ")
            )))
        }
    }))
}

/// The settings as stored, with defaults filled in.
fn read_settings(stored: &BTreeMap<String, String>) -> Settings {
    let get = |k: &str| stored.get(k).cloned();
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
        system_timezone: schedule::system_tz(),
        secrets: SecretsInfo::default(),
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
        ];
        let mut values = Vec::new();
        for (k, v) in &pairs {
            values.push((*k, normalize(k, v)?));
        }
        let now = self.now();
        self.db(move |st| st.save_setting_values(&values, now)).await?;
        self.settings().await
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
        ]
        .into_iter()
        .filter(|(k, _)| key.as_deref().is_none_or(|want| want == *k))
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Ok(all)
    }

    /// `mediawatch settings set KEY VALUE` (an empty value resets the key to its default).
    pub async fn set_setting(&self, key: String, value: String) -> Result<BTreeMap<String, Value>> {
        let stored = normalize(&key, &value)?;
        let now = self.now();
        let k = key.clone();
        self.db(move |st| st.save_setting_values(&[(k.as_str(), stored)], now)).await?;
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
    }
}
