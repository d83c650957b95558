//! A rule's options: checked when the rule is saved (channels, durations, schedules, zones), kept as JSON in
//! the store, and read back as a [`Plan`] that the evaluation follows.

use chrono::{DateTime, Duration, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::schedule::{self, QuietHours};
use super::spike::Sensitivity;
use crate::error::{Error, Result};
use crate::model::{AlertKind, AlertRuleDraft, DigestEvery, DigestSchedule, SpikeSensitivity, SpikeSpec};

/// Spike defaults (`../shared/design/CLI.md`).
pub const DEFAULT_WINDOW: &str = "6h";
pub const DEFAULT_BASELINE: &str = "14d";
pub const DEFAULT_MIN_COUNT: u32 = 5;

/// What is stored in `alert_rules.config`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<DigestEvery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    /// The rule's zone; `None` follows `alerts.timezone`, else the system's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SpikeSensitivity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_interval: Option<String>,
    #[serde(default)]
    pub new_stories_only: bool,
    #[serde(default)]
    pub has_secret: bool,
}

/// What a digest rule follows.
#[derive(Debug, Clone, Copy)]
pub struct DigestPlan {
    pub every: DigestEvery,
    pub at: NaiveTime,
    pub day: Weekday,
}

/// What a spike rule compares.
#[derive(Debug, Clone, Copy)]
pub struct SpikePlan {
    pub window: Duration,
    pub baseline: Duration,
    pub min_count: u32,
    pub sensitivity: Sensitivity,
}

/// A rule's options, typed and checked.
#[derive(Debug, Clone)]
pub struct Plan {
    pub tz: Tz,
    pub digest: Option<DigestPlan>,
    pub spike: Option<SpikePlan>,
    pub quiet: Option<QuietHours>,
    pub min_interval: Option<Duration>,
    pub by_story: bool,
}

impl Plan {
    pub fn schedule(&self) -> Option<schedule::DigestSchedule> {
        self.digest.map(|d| schedule::DigestSchedule {
            every: match d.every {
                DigestEvery::Hour => schedule::Every::Hour,
                DigestEvery::Day => schedule::Every::Day,
                DigestEvery::Week => schedule::Every::Week,
            },
            at: d.at,
            day: d.day,
            tz: self.tz,
        })
    }

    /// Whether the rule must wait at `now` (quiet hours, or too soon after its last alert), and until when.
    pub fn waits_until(&self, now: DateTime<Utc>, last_fired: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
        let mut until = None;
        if let Some(q) = &self.quiet {
            if q.contains(now, self.tz) {
                until = Some(q.end_after(now, self.tz));
            }
        }
        if let (Some(min), Some(last)) = (self.min_interval, last_fired) {
            if last + min > now {
                until = Some(until.map_or(last + min, |u: DateTime<Utc>| u.max(last + min)));
            }
        }
        until
    }
}

fn sensitivity(s: SpikeSensitivity) -> Sensitivity {
    match s {
        SpikeSensitivity::Low => Sensitivity::Low,
        SpikeSensitivity::Medium => Sensitivity::Medium,
        SpikeSensitivity::High => Sensitivity::High,
    }
}

/// Checks a channel and returns it in its stored form.
pub fn channel(raw: &str) -> Result<String> {
    let raw = raw.trim();
    let (scheme, rest) = raw.split_once(':').unwrap_or((raw, ""));
    let bad = |why: &str| {
        Error::InvalidInput(format!(
            "channel {raw:?}: {why}; a channel is desktop, inbox, webhook:URL, ntfy:URL or email:ADDRESS"
        ))
    };
    match scheme.to_ascii_lowercase().as_str() {
        "desktop" | "inbox" if rest.is_empty() => Ok(scheme.to_ascii_lowercase()),
        "webhook" | "ntfy" => {
            let url = url::Url::parse(rest).map_err(|e| bad(&format!("the URL cannot be read ({e})")))?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                return Err(bad("the URL must be http:// or https:// with a host"));
            }
            Ok(format!("{}:{url}", scheme.to_ascii_lowercase()))
        }
        "email" | "mailto" => {
            let addr = rest.trim();
            let valid = addr.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
                && !addr.contains(char::is_whitespace);
            if !valid {
                return Err(bad("that is not an e-mail address"));
            }
            Ok(format!("email:{addr}"))
        }
        _ => Err(bad("unknown kind of channel")),
    }
}

fn dur(s: &str, what: &str) -> Result<Duration> {
    schedule::parse_duration(s).map_err(|e| Error::InvalidInput(format!("{what}: {e}")))
}

impl RuleConfig {
    /// The options of a new rule (`base` = `None`) or of an edited one, from a draft; checks everything.
    pub fn from_draft(kind: AlertKind, draft: &AlertRuleDraft, base: Option<&RuleConfig>) -> Result<RuleConfig> {
        let mut c = base.cloned().unwrap_or_default();
        let set_opt = |slot: &mut Option<String>, v: &Option<String>| {
            if let Some(v) = v {
                *slot = if v.trim().is_empty() { None } else { Some(v.trim().to_string()) };
            }
        };
        if draft.every.is_some() {
            c.every = draft.every;
        }
        set_opt(&mut c.at, &draft.at);
        set_opt(&mut c.day, &draft.day);
        set_opt(&mut c.tz, &draft.tz);
        set_opt(&mut c.window, &draft.window);
        set_opt(&mut c.baseline, &draft.baseline);
        if draft.min_count.is_some() {
            c.min_count = draft.min_count;
        }
        if draft.sensitivity.is_some() {
            c.sensitivity = draft.sensitivity;
        }
        set_opt(&mut c.quiet, &draft.quiet);
        set_opt(&mut c.min_interval, &draft.min_interval);
        if let Some(n) = draft.new_stories_only {
            c.new_stories_only = n;
        }
        if kind != AlertKind::Digest {
            (c.every, c.at, c.day) = (None, None, None);
        }
        if kind != AlertKind::Spike {
            (c.window, c.baseline, c.min_count, c.sensitivity) = (None, None, None, None);
        }
        // Checks every option now, so that a rule that was saved can always be evaluated.
        c.plan(kind, "UTC")?;
        Ok(c)
    }

    /// The typed plan; `default_tz` is `alerts.timezone`, else the system's zone.
    pub fn plan(&self, kind: AlertKind, default_tz: &str) -> Result<Plan> {
        let tz = schedule::parse_tz(self.tz.as_deref().unwrap_or(default_tz))?;
        let digest = match kind {
            AlertKind::Digest => Some(DigestPlan {
                every: self.every.unwrap_or(DigestEvery::Day),
                at: schedule::parse_hhmm(self.at.as_deref().unwrap_or("08:00"))?,
                day: schedule::parse_weekday(self.day.as_deref().unwrap_or("mon"))?,
            }),
            _ => None,
        };
        let spike = match kind {
            AlertKind::Spike => {
                let window = dur(self.window.as_deref().unwrap_or(DEFAULT_WINDOW), "--window")?;
                let baseline = dur(self.baseline.as_deref().unwrap_or(DEFAULT_BASELINE), "--baseline")?;
                if baseline < window + window {
                    return Err(Error::InvalidInput(format!(
                        "--baseline {} must be at least twice the --window {}",
                        schedule::format_duration(baseline),
                        schedule::format_duration(window)
                    )));
                }
                Some(SpikePlan {
                    window,
                    baseline,
                    min_count: self.min_count.unwrap_or(DEFAULT_MIN_COUNT).max(1),
                    sensitivity: sensitivity(self.sensitivity.unwrap_or(SpikeSensitivity::Medium)),
                })
            }
            _ => None,
        };
        let quiet = self.quiet.as_deref().map(QuietHours::parse).transpose()?;
        let min_interval = self.min_interval.as_deref().map(|m| dur(m, "--min-interval")).transpose()?;
        Ok(Plan { tz, digest, spike, quiet, min_interval, by_story: self.new_stories_only })
    }

    /// The `schedule` object of the rule's JSON (digests).
    pub fn schedule_json(&self, kind: AlertKind, default_tz: &str) -> Option<DigestSchedule> {
        (kind == AlertKind::Digest).then(|| DigestSchedule {
            every: self.every.unwrap_or(DigestEvery::Day),
            at: self.at.clone().unwrap_or_else(|| "08:00".into()),
            day: self.day.clone().unwrap_or_else(|| "mon".into()),
            tz: self.tz.clone().unwrap_or_else(|| default_tz.to_string()),
        })
    }

    /// The `spike` object of the rule's JSON.
    pub fn spike_json(&self, kind: AlertKind) -> Option<SpikeSpec> {
        (kind == AlertKind::Spike).then(|| SpikeSpec {
            window: self.window.clone().unwrap_or_else(|| DEFAULT_WINDOW.into()),
            baseline: self.baseline.clone().unwrap_or_else(|| DEFAULT_BASELINE.into()),
            min_count: self.min_count.unwrap_or(DEFAULT_MIN_COUNT),
            sensitivity: self.sensitivity.unwrap_or(SpikeSensitivity::Medium),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_are_checked_and_normalised() {
        assert_eq!(channel("desktop").unwrap(), "desktop");
        assert_eq!(channel("INBOX").unwrap(), "inbox");
        assert_eq!(channel("webhook:http://127.0.0.1:9/hook").unwrap(), "webhook:http://127.0.0.1:9/hook");
        assert_eq!(channel("ntfy:https://ntfy.sh/mw-alerts").unwrap(), "ntfy:https://ntfy.sh/mw-alerts");
        assert_eq!(channel("email:analyst@example.org").unwrap(), "email:analyst@example.org");
        for bad in ["pager", "webhook:ftp://x/y", "webhook:not a url", "email:nobody", "desktop:x"] {
            let e = channel(bad).unwrap_err();
            assert!(e.to_string().contains(bad), "{e}");
        }
    }

    #[test]
    fn drafts_fill_defaults_and_edits_keep_what_they_do_not_name() {
        let draft = AlertRuleDraft { quiet: Some("22:00-07:00".into()), ..Default::default() };
        let c = RuleConfig::from_draft(AlertKind::Spike, &draft, None).unwrap();
        let plan = c.plan(AlertKind::Spike, "Europe/Moscow").unwrap();
        let spike = plan.spike.unwrap();
        assert_eq!(spike.window, Duration::hours(6));
        assert_eq!(spike.baseline, Duration::days(14));
        assert_eq!(spike.min_count, 5);
        assert!(plan.quiet.is_some());
        let edit = AlertRuleDraft { min_count: Some(9), quiet: Some(String::new()), ..Default::default() };
        let c2 = RuleConfig::from_draft(AlertKind::Spike, &edit, Some(&c)).unwrap();
        assert_eq!(c2.min_count, Some(9));
        assert_eq!(c2.quiet, None);
        let bad = AlertRuleDraft { window: Some("6 hours".into()), ..Default::default() };
        assert!(RuleConfig::from_draft(AlertKind::Spike, &bad, None).unwrap_err().to_string().contains("--window"));
        let bad = AlertRuleDraft { tz: Some("Mars/Base".into()), ..Default::default() };
        assert!(RuleConfig::from_draft(AlertKind::Digest, &bad, None).is_err());
    }
}
