//! Topic alerts: the rules (with their checks), the evaluation after every fetch cycle (instant, digest and
//! spike rules), the deliveries with retries, the inbox, and a rule's test.
//!
//! **Never twice, never lost.** A rule is evaluated in a store transaction that reads its state afresh,
//! selects the news it has not seen, and writes the alert, what it covers and one delivery row per channel,
//! all or nothing. An instant rule's news is what the news log holds above the rule's watermark (`news_seq`,
//! migration 8), which moves in the same transaction; with "new stories only" it also claims each story.
//! Digests claim each article (or story) they cover. Sending happens after the commit:
//! each attempt leases its delivery (so two processes never send one delivery at once), is recorded, and
//! keeps the delivery's message id, so a retry of a webhook carries the same `webhook-id`. A process that dies
//! mid-send leaves a lease that runs out; the next round retries it.
//!
//! **What counts as news** (instant and digest): mentions stored by a fetch cycle (`origin = 'fetch'`), after
//! the rule was created, of articles not published more than `alerts.news_max_age_days` before they were
//! stored. Import and a topic's backfill never alert; spike baselines count every mention, by publication
//! time.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::Mediawatch;
use crate::alerts::rules::{self, RuleConfig};
use crate::alerts::secrets::Secrets;
use crate::alerts::send::{EmailMessage, SmtpConfig, SmtpSecurity};
use crate::alerts::{render, sign, spike};
use crate::error::{Error, Result};
use crate::model::{
    Alert, AlertKind, AlertQuery, AlertRule, AlertRuleDraft, AlertsRun, ChannelOutcome, DailyCount, DesktopNotice,
    DigestEvery, Id, MentionQuery, SpikeFiring, SpikePreview, SpikeSpec,
};
use crate::store::{AlertDraft, AttemptResult, LeasedDelivery, NewsPass, NewsQuery, RuleRecord, Store, StoredRule};

/// Waits after failed attempts 1, 2, … ; after the last, the delivery is failed (6 attempts over ~1 h 50 min).
const RETRY_DELAYS_MIN: [i64; 5] = [1, 5, 15, 30, 60];

/// How long a sender holds a delivery for one attempt.
const LEASE: Duration = Duration::minutes(2);

/// Desktop notifications older than this are not shown any more (the inbox keeps the alert).
const DESKTOP_MAX_AGE: Duration = Duration::hours(24);

/// Articles listed in one alert (the count says how many it covers).
const ARTICLES_PER_ALERT: usize = 50;

/// Digest periods caught up in one evaluation (an hourly digest after a month away: 720).
const MAX_PERIODS: usize = 2_000;

fn webhook_secret_name(rule: Id) -> String {
    format!("webhook.rule.{rule}")
}

/// A stored rule's options.
fn config_of(rule: &StoredRule) -> Result<RuleConfig> {
    serde_json::from_str(&rule.config)
        .map_err(|e| Error::Storage(format!("alert rule {} has unreadable options: {e}", rule.id)))
}

/// The retry after failed attempt `attempt` (1-based), with ±20 % jitter; `None` after the last.
fn retry_after(attempt: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let base = *RETRY_DELAYS_MIN.get(attempt as usize - 1)?;
    let jitter = 0.8 + fastrand::f64() * 0.4;
    Some(now + Duration::milliseconds((base as f64 * 60_000.0 * jitter) as i64))
}

impl Mediawatch {
    /// The secrets store, opened on first use beside the database.
    pub(crate) async fn secrets(&self) -> Result<Arc<Secrets>> {
        let dir = self.store.path().parent().map(|p| p.to_path_buf()).unwrap_or_default();
        let cell = self.secrets.clone();
        let s = cell
            .get_or_try_init(|| async move {
                tokio::task::spawn_blocking(move || {
                    if std::env::var("MEDIAWATCH_SECRETS").as_deref() == Ok("file") {
                        Secrets::file_only(&dir)
                    } else {
                        Secrets::open(&dir)
                    }
                })
                .await
                .map(Arc::new)
                .map_err(|e| Error::Internal(format!("keyring task failed: {e}")))
            })
            .await?;
        Ok(s.clone())
    }

    pub(super) async fn default_tz(&self) -> Result<String> {
        let s = self.stored_settings().await?;
        Ok(s.alerts_timezone.unwrap_or(s.system_timezone))
    }

    fn rule_view(rule: &StoredRule, default_tz: &str) -> Result<AlertRule> {
        let config = config_of(rule)?;
        Ok(AlertRule {
            id: rule.id,
            name: rule.name.clone(),
            topic: rule.topic.clone(),
            topic_id: rule.topic_id,
            kind: rule.kind,
            channels: rule.channels.clone(),
            schedule: config.schedule_json(rule.kind, default_tz),
            spike: config.spike_json(rule.kind),
            quiet: config.quiet.clone(),
            min_interval: config.min_interval.clone(),
            new_stories_only: config.new_stories_only,
            paused: rule.paused,
            created_at: rule.created_at,
            last_fired_at: rule.state.last_fired_at,
            has_secret: config.has_secret,
        })
    }

    pub async fn alert_rules(&self) -> Result<Vec<AlertRule>> {
        let tz = self.default_tz().await?;
        let rules = self.db(Store::alert_rules).await?;
        rules.iter().map(|r| Self::rule_view(r, &tz)).collect()
    }

    pub async fn alert_rule(&self, id: Id) -> Result<AlertRule> {
        let tz = self.default_tz().await?;
        let rule = self.db(move |s| s.alert_rule(id)).await?;
        Self::rule_view(&rule, &tz)
    }

    async fn topic_for_rule(&self, topic: &str) -> Result<(Id, String)> {
        let t = topic.trim().to_string();
        let topics = self.db(Store::list_topics).await?;
        topics
            .iter()
            .find(|x| x.name.eq_ignore_ascii_case(&t) || x.id.to_string() == t)
            .map(|x| (x.id, x.name.clone()))
            .ok_or_else(|| Error::NotFound(format!("no topic named {t:?} (mediawatch topics list shows them)")))
    }

    fn channels_of(draft: &AlertRuleDraft) -> Result<Option<Vec<String>>> {
        let Some(chs) = &draft.channels else { return Ok(None) };
        let mut out: Vec<String> = Vec::new();
        for c in chs {
            let c = rules::channel(c)?;
            if !out.contains(&c) {
                out.push(c);
            }
        }
        if out.is_empty() {
            return Err(Error::InvalidInput(
                "a rule needs at least one channel: desktop, inbox, webhook:URL, ntfy:URL or email:ADDRESS".into(),
            ));
        }
        Ok(Some(out))
    }

    fn check_secret(secret: &str) -> Result<()> {
        sign::sign(secret, "msg_check", 0, "").map(|_| ())
    }

    async fn store_webhook_secret(&self, rule: Id, secret: Option<&str>) -> Result<()> {
        let secrets = self.secrets().await?;
        let name = webhook_secret_name(rule);
        let value = secret.map(str::to_string);
        tokio::task::spawn_blocking(move || match value {
            Some(v) => secrets.set(&name, &v),
            None => secrets.remove(&name),
        })
        .await
        .map_err(|e| Error::Internal(format!("keyring task failed: {e}")))?
    }

    /// Adds a rule (`mediawatch alerts rules add`).
    pub async fn add_alert_rule(&self, draft: AlertRuleDraft) -> Result<AlertRule> {
        let topic = draft.topic.as_deref().ok_or_else(|| Error::InvalidInput("a rule needs --topic".into()))?;
        let (topic_id, topic_name) = self.topic_for_rule(topic).await?;
        let kind = draft.kind.ok_or_else(|| Error::InvalidInput("a rule needs --kind instant|digest|spike".into()))?;
        let channels = Self::channels_of(&draft)?
            .ok_or_else(|| Error::InvalidInput("a rule needs at least one --channel".into()))?;
        let mut config = RuleConfig::from_draft(kind, &draft, None)?;
        let secret = draft.secret.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if let Some(s) = secret {
            Self::check_secret(s)?;
            config.has_secret = true;
        }
        let name = draft.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| {
            let what = match kind {
                AlertKind::Instant => "new mentions".to_string(),
                AlertKind::Digest => format!(
                    "{} digest",
                    match config.every.unwrap_or(DigestEvery::Day) {
                        DigestEvery::Hour => "hourly",
                        DigestEvery::Day => "daily",
                        DigestEvery::Week => "weekly",
                    }
                ),
                AlertKind::Spike => "spikes".to_string(),
            };
            format!("{topic_name}: {what}")
        });
        let rec = RuleRecord {
            topic_id,
            name,
            kind,
            channels,
            config: serde_json::to_string(&config).map_err(|e| Error::Internal(e.to_string()))?,
            paused: draft.paused.unwrap_or(false),
        };
        let now = self.now();
        let id = self.db(move |s| s.insert_alert_rule(&rec, now)).await?;
        if let Some(s) = secret {
            if let Err(e) = self.store_webhook_secret(id, Some(s)).await {
                // A rule whose secret could not be kept would send unsigned: take it back.
                let _ = self.db(move |s| s.remove_alert_rule(id)).await;
                return Err(e);
            }
        }
        self.alert_rule(id).await
    }

    /// Changes a rule (`mediawatch alerts rules edit`): what the draft leaves `None` stays.
    pub async fn edit_alert_rule(&self, id: Id, draft: AlertRuleDraft) -> Result<AlertRule> {
        let old = self.db(move |s| s.alert_rule(id)).await?;
        let base = config_of(&old)?;
        let (topic_id, _) = match &draft.topic {
            Some(t) => self.topic_for_rule(t).await?,
            None => (old.topic_id, old.topic.clone()),
        };
        let kind = draft.kind.unwrap_or(old.kind);
        let channels = Self::channels_of(&draft)?.unwrap_or(old.channels.clone());
        let mut config = RuleConfig::from_draft(kind, &draft, Some(&base))?;
        match draft.secret.as_deref().map(str::trim) {
            Some("") => {
                self.store_webhook_secret(id, None).await?;
                config.has_secret = false;
            }
            Some(s) => {
                Self::check_secret(s)?;
                self.store_webhook_secret(id, Some(s)).await?;
                config.has_secret = true;
            }
            None => {}
        }
        let rec = RuleRecord {
            topic_id,
            name: draft.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or(old.name.clone()),
            kind,
            channels,
            config: serde_json::to_string(&config).map_err(|e| Error::Internal(e.to_string()))?,
            paused: draft.paused.unwrap_or(old.paused),
        };
        let now = self.now();
        // Resumed: what the pause covered is skipped (no backlog of instant alerts, no catch-up digests).
        let resumed_through = if old.paused && !rec.paused && kind == AlertKind::Digest {
            config.plan(kind, &self.default_tz().await?)?.schedule().map(|s| s.previous(now))
        } else {
            None
        };
        self.db(move |s| s.update_alert_rule(id, &rec, resumed_through, now)).await?;
        self.alert_rule(id).await
    }

    pub async fn remove_alert_rule(&self, id: Id) -> Result<()> {
        let rule = self.db(move |s| s.alert_rule(id)).await?;
        let config = config_of(&rule)?;
        self.db(move |s| s.remove_alert_rule(id)).await?;
        if config.has_secret {
            self.store_webhook_secret(id, None).await?;
        }
        Ok(())
    }

    pub async fn alerts(&self, query: AlertQuery) -> Result<Vec<Alert>> {
        self.db(move |s| s.alerts(&query)).await
    }

    pub async fn alert(&self, id: Id) -> Result<Alert> {
        self.db(move |s| s.alert(id)).await
    }

    pub async fn unread_alerts(&self) -> Result<u32> {
        self.db(Store::unread_alerts).await
    }

    /// Marks one alert read, or every unread one with `None`; returns how many changed.
    pub async fn mark_alerts_read(&self, id: Option<Id>) -> Result<u32> {
        let now = self.now();
        self.db(move |s| s.mark_alerts_read(id, now)).await
    }

    /// After a fetch cycle, and on every scheduler tick: evaluates every rule, then sends what is due.
    pub async fn process_alerts(&self) -> AlertsRun {
        let mut run = match self.evaluate_alerts().await {
            Ok(r) => r,
            Err(e) => {
                AlertsRun { errors: vec![format!("alert rules could not be evaluated: {e}")], ..Default::default() }
            }
        };
        match self.deliver_alerts().await {
            Ok(d) => {
                run.delivered += d.delivered;
                run.failed += d.failed;
                run.pending = d.pending;
                run.errors.extend(d.errors);
            }
            Err(e) => run.errors.push(format!("alerts could not be delivered: {e}")),
        }
        run
    }

    /// Evaluates every rule once; a rule that fails is reported and the others go on.
    ///
    /// Instant rules are judged together: one read of the news log's top tells which have anything new (most
    /// cycles: none, at no further cost), and those are evaluated in one transaction, topic by topic, each
    /// topic's news read once. Spike rules on one topic share one read of its mention times.
    pub async fn evaluate_alerts(&self) -> Result<AlertsRun> {
        let rules = self.db(Store::alert_rules).await?;
        let mut run = AlertsRun::default();
        if rules.is_empty() {
            return Ok(run);
        }
        let settings = self.stored_settings().await?;
        let tz = settings.alerts_timezone.clone().unwrap_or(settings.system_timezone.clone());
        let max_age = settings.alerts_news_max_age_days;
        let top = self.db(Store::news_seq).await?;
        let now = self.now();
        let (instant, others): (Vec<StoredRule>, Vec<StoredRule>) =
            rules.into_iter().filter(|r| !r.paused).partition(|r| r.kind == AlertKind::Instant);
        let mut due: Vec<&StoredRule> = instant.iter().filter(|r| r.state.news_seq < top).collect();
        due.retain(|r| match config_of(r).and_then(|c| c.plan(r.kind, &tz)) {
            Ok(plan) => plan.waits_until(now, r.state.last_fired_at).is_none(),
            Err(e) => {
                run.errors.push(format!("alert rule {}: {e}", r.id));
                false
            }
        });
        due.sort_by_key(|r| (r.topic_id, r.state.news_seq, r.id));
        let ids: Vec<Id> = due.iter().map(|r| r.id).collect();
        if !ids.is_empty() {
            let tz = tz.clone();
            let outcomes =
                self.db(move |s| s.news_pass(&ids, |pass, rule| instant_rule(pass, &rule, &tz, max_age, now))).await?;
            for (id, r) in outcomes {
                match r {
                    Ok(n) => run.fired += n,
                    Err(e) => run.errors.push(format!("alert rule {id}: {e}")),
                }
            }
        }
        let mut times = SpikeTimes::default();
        for rule in others {
            let id = rule.id;
            match self.evaluate_rule(rule, &tz, max_age, &mut times).await {
                Ok(n) => run.fired += n,
                Err(e) => run.errors.push(format!("alert rule {id}: {e}")),
            }
        }
        Ok(run)
    }

    /// A digest or spike rule.
    async fn evaluate_rule(
        &self,
        rule: StoredRule,
        default_tz: &str,
        max_age: u32,
        times: &mut SpikeTimes,
    ) -> Result<u32> {
        let config = config_of(&rule)?;
        let plan = config.plan(rule.kind, default_tz)?;
        let now = self.now();
        if plan.waits_until(now, rule.state.last_fired_at).is_some() {
            return Ok(0);
        }
        let id = rule.id;
        match rule.kind {
            AlertKind::Instant => Err(Error::Internal("instant rules are evaluated in a news pass".into())),
            AlertKind::Digest => {
                let sched =
                    plan.schedule().ok_or_else(|| Error::Internal("a digest rule without a schedule".into()))?;
                let every = match plan.digest.map(|d| d.every) {
                    Some(DigestEvery::Hour) => "Hourly",
                    Some(DigestEvery::Week) => "Weekly",
                    _ => "Daily",
                };
                let tz = plan.tz;
                if sched.next(rule.state.digest_through.unwrap_or(rule.created_at)) > now {
                    return Ok(0);
                }
                let fired = self
                    .db(move |s| {
                        s.rule_transaction(id, |rtx| {
                            let r = &rtx.rule;
                            if r.paused {
                                return Ok(0);
                            }
                            let mut state = r.state.clone();
                            let mut start = state.digest_through.unwrap_or(r.created_at);
                            let mut fired = 0;
                            for _ in 0..MAX_PERIODS {
                                let end = sched.next(start);
                                if end > now {
                                    break;
                                }
                                // What was stored before `start` but committed after the last digest went
                                // out (unclaimed) joins this one: late, never lost.
                                let q = NewsQuery {
                                    topic_id: r.topic_id,
                                    flagged_from: r.created_at.min(start - Duration::days(1)),
                                    flagged_until: end,
                                    not_before: r.created_at,
                                    max_age_days: max_age,
                                    by_story: plan.by_story,
                                };
                                let items = rtx.news(&q)?;
                                if !items.is_empty() {
                                    let count = items.len() as u32;
                                    let draft = draft_for(
                                        r,
                                        render::digest_summary(&r.topic, every, count, start, end, tz),
                                        count,
                                        None,
                                        (Some(start), Some(end)),
                                        items.iter().rev().map(|n| n.article_id).collect(),
                                        items.iter().map(|n| n.story_key).collect(),
                                        now,
                                    );
                                    rtx.insert_alert(&draft)?;
                                    state.last_fired_at = Some(now);
                                    fired += 1;
                                }
                                state.digest_through = Some(end);
                                start = end;
                            }
                            rtx.save_state(&state)?;
                            Ok(fired)
                        })
                    })
                    .await?;
                Ok(fired.unwrap_or(0))
            }
            AlertKind::Spike => {
                let sp = plan.spike.ok_or_else(|| Error::Internal("a spike rule without its options".into()))?;
                let topic_id = rule.topic_id;
                let windows = spike::baseline_windows(now, sp.window, sp.baseline);
                let from = windows.first().map_or(now - sp.window, |w| w.0);
                // The window ends at `now` inclusive: what was published this very instant counts.
                let end = now + Duration::milliseconds(1);
                let times = times.get(self, topic_id, from, end).await?;
                let count_in =
                    |a: DateTime<Utc>, b: DateTime<Utc>| times.iter().filter(|t| **t >= a && **t < b).count() as u32;
                let count = count_in(now - sp.window, end);
                let history: Vec<u32> = windows.iter().map(|(a, b)| count_in(*a, *b)).collect();
                let verdict = spike::judge(count, &history, sp.min_count, sp.sensitivity);
                let description = spike::describe(&verdict, sp.window);
                let changes = (verdict.unusual && !rule.state.spike_active)
                    || (rule.state.spike_active && verdict.back_to_normal);
                if !changes {
                    return Ok(0);
                }
                let fired = self
                    .db(move |s| {
                        s.rule_transaction(id, |rtx| {
                            let r = &rtx.rule;
                            let mut state = r.state.clone();
                            let mut fired = 0;
                            if r.paused {
                                return Ok(0);
                            }
                            if verdict.unusual && !state.spike_active {
                                let articles = rtx.window_articles(now - sp.window, end, ARTICLES_PER_ALERT as u32)?;
                                let draft = draft_for(
                                    r,
                                    render::spike_summary(&r.topic, &description),
                                    verdict.count,
                                    Some(verdict.expected),
                                    (Some(now - sp.window), Some(now)),
                                    articles,
                                    Vec::new(),
                                    now,
                                );
                                rtx.insert_alert(&draft)?;
                                state.spike_active = true;
                                state.last_fired_at = Some(now);
                                fired = 1;
                            } else if state.spike_active && verdict.back_to_normal {
                                state.spike_active = false;
                            }
                            if state != r.state {
                                rtx.save_state(&state)?;
                            }
                            Ok(fired)
                        })
                    })
                    .await?;
                Ok(fired.unwrap_or(0))
            }
        }
    }

    /// Sends every delivery that is due now (first attempts and retries) on webhook, ntfy and e-mail.
    pub async fn deliver_alerts(&self) -> Result<AlertsRun> {
        let mut run = AlertsRun::default();
        for _ in 0..100 {
            let now = self.now();
            let leased = self
                .db(move |s| s.lease_due_deliveries(&["webhook", "ntfy", "email"], None, now, now + LEASE, 32))
                .await?;
            if leased.is_empty() {
                break;
            }
            let mut jobs = tokio::task::JoinSet::new();
            for d in leased {
                let this = self.clone();
                jobs.spawn(async move {
                    let result = this.attempt(&d, false).await;
                    (d, result)
                });
            }
            while let Some(joined) = jobs.join_next().await {
                let (_, result) = joined.map_err(|e| Error::Internal(format!("delivery task failed: {e}")))?;
                match result {
                    Ok(AttemptResult::Delivered) => run.delivered += 1,
                    Ok(AttemptResult::Failed { retry_at: None, .. }) => run.failed += 1,
                    Ok(AttemptResult::Failed { .. }) => {}
                    Err(e) => run.errors.push(e.to_string()),
                }
            }
        }
        run.pending = self.db(Store::pending_deliveries).await?;
        Ok(run)
    }

    /// One attempt of a leased delivery, recorded. `last`: no retry after a failure (a rule's test).
    async fn attempt(&self, d: &LeasedDelivery, last: bool) -> Result<AttemptResult> {
        let alert_id = d.alert_id;
        let alert = self.db(move |s| s.alert(alert_id)).await?;
        let sent = self.send(d, &alert).await;
        let now = self.now();
        let result = match sent {
            Ok(()) => AttemptResult::Delivered,
            Err(e) => AttemptResult::Failed {
                error: e.to_string(),
                retry_at: if last { None } else { retry_after(d.attempt, now) },
            },
        };
        let (dd, rr) = (d.clone(), result.clone());
        self.db(move |s| s.finish_attempt(&dd, &rr, now)).await?;
        Ok(result)
    }

    async fn send(&self, d: &LeasedDelivery, alert: &Alert) -> Result<()> {
        let (scheme, target) = d.channel.split_once(':').unwrap_or((d.channel.as_str(), ""));
        match scheme {
            "webhook" => {
                let secret = match d.rule_id {
                    Some(rule) => {
                        let secrets = self.secrets().await?;
                        let name = webhook_secret_name(rule);
                        tokio::task::spawn_blocking(move || secrets.get(&name))
                            .await
                            .map_err(|e| Error::Internal(format!("keyring task failed: {e}")))??
                    }
                    None => None,
                };
                let body = render::webhook_body(alert);
                let ts = self.now().timestamp();
                self.sender().webhook(target, &body, &d.message_id, ts, secret.as_deref()).await
            }
            "ntfy" => {
                let (title, message, tags, click) = render::ntfy(alert);
                self.sender().ntfy(target, &title, &message, &tags, click.as_deref()).await
            }
            "email" => {
                let (smtp, password) = self.smtp().await?;
                let (subject, text, html) = render::email(alert);
                let msg = EmailMessage {
                    to: target.to_string(),
                    subject,
                    text,
                    html,
                    message_id: d.message_id.clone(),
                    attachments: Vec::new(),
                };
                self.sender().email(&smtp, password.as_deref(), &msg).await
            }
            other => Err(Error::Internal(format!("no sender for channel {other}"))),
        }
    }

    /// The SMTP settings and password, or what is missing.
    pub(super) async fn smtp(&self) -> Result<(SmtpConfig, Option<String>)> {
        let settings = self.stored_settings().await?;
        let host = settings.smtp.host.clone().ok_or_else(|| {
            Error::InvalidInput("smtp.host is not set: mediawatch settings set smtp.host HOST".into())
        })?;
        let from = settings.smtp.from.clone().ok_or_else(|| {
            Error::InvalidInput("smtp.from is not set: mediawatch settings set smtp.from ADDRESS".into())
        })?;
        let security: SmtpSecurity = settings.smtp.security.parse()?;
        let smtp = SmtpConfig { host, port: settings.smtp.port, security, user: settings.smtp.user.clone(), from };
        let password = if smtp.user.is_some() {
            let secrets = self.secrets().await?;
            tokio::task::spawn_blocking(move || secrets.get("smtp.password"))
                .await
                .map_err(|e| Error::Internal(format!("keyring task failed: {e}")))??
        } else {
            None
        };
        Ok((smtp, password))
    }

    /// The Settings page's "send a test e-mail": one message to `to` through the SMTP settings.
    pub async fn send_test_email(&self, to: String) -> Result<()> {
        let to = rules::channel(&format!("email:{}", to.trim()))?.trim_start_matches("email:").to_string();
        let (smtp, password) = self.smtp().await?;
        let text = format!(
            "This is a test e-mail from Mediawatch, sent through {}:{}. Alerts with an email: channel arrive like this.",
            smtp.host, smtp.port
        );
        let html = format!("<p>{}</p>", text);
        let msg = EmailMessage {
            to,
            subject: "[Mediawatch] Test e-mail".into(),
            text,
            html,
            message_id: sign::new_message_id(),
            attachments: Vec::new(),
        };
        self.sender().email(&smtp, password.as_deref(), &msg).await
    }

    /// A rule's test: one alert marked as a test (the topic's latest mentions, claiming nothing), sent through
    /// each of the rule's channels now; what each answered.
    pub async fn test_alert_rule(&self, id: Id) -> Result<Vec<ChannelOutcome>> {
        let rule = self.db(move |s| s.alert_rule(id)).await?;
        let now = self.now();
        let topic = rule.topic.clone();
        let latest = self
            .db(move |s| s.mentions(&MentionQuery { topic: Some(topic), limit: Some(3), ..Default::default() }))
            .await?;
        let mut draft = draft_for(
            &rule,
            render::test_summary(&rule.name, &rule.topic),
            latest.len() as u32,
            None,
            (None, Some(now)),
            latest.iter().map(|m| m.article_id).collect(),
            Vec::new(),
            now,
        );
        draft.test = true;
        let alert_id = self.db(move |s| s.insert_alert(&draft)).await?;
        let leased = self
            .db(move |s| s.lease_due_deliveries(&["webhook", "ntfy", "email"], Some(alert_id), now, now + LEASE, 100))
            .await?;
        let mut outcomes: HashMap<String, ChannelOutcome> = HashMap::new();
        for d in &leased {
            let outcome = match self.attempt(d, true).await? {
                AttemptResult::Delivered => ChannelOutcome { channel: d.channel.clone(), ok: true, error: None },
                AttemptResult::Failed { error, .. } => {
                    ChannelOutcome { channel: d.channel.clone(), ok: false, error: Some(error) }
                }
            };
            outcomes.insert(d.channel.clone(), outcome);
        }
        Ok(rule
            .channels
            .iter()
            .map(|c| {
                outcomes.remove(c).unwrap_or_else(|| ChannelOutcome {
                    channel: c.clone(),
                    ok: true,
                    error: (c == "desktop").then(|| {
                        "shown by the desktop app (when only `mediawatch run` works, the inbox has it)".into()
                    }),
                })
            })
            .collect())
    }

    /// Desktop notifications due now, taken (marked delivered) by the desktop app, which shows them.
    pub async fn take_desktop_notices(&self) -> Result<Vec<DesktopNotice>> {
        let now = self.now();
        let ids = self.db(move |s| s.take_desktop_deliveries(now, DESKTOP_MAX_AGE)).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let alert = self.db(move |s| s.alert(id)).await?;
            let (title, body) = render::desktop(&alert);
            out.push(DesktopNotice { alert_id: id, title, body });
        }
        Ok(out)
    }

    /// What a spike rule on `topic` would show and have fired over the last 30 days (the rule form).
    pub async fn spike_preview(&self, topic: String, spec: SpikeSpec) -> Result<SpikePreview> {
        let (topic_id, _) = self.topic_for_rule(&topic).await?;
        let draft = AlertRuleDraft {
            window: Some(spec.window),
            baseline: Some(spec.baseline),
            min_count: Some(spec.min_count),
            sensitivity: Some(spec.sensitivity),
            ..Default::default()
        };
        let tz = self.default_tz().await?;
        let plan = RuleConfig::from_draft(AlertKind::Spike, &draft, None)?.plan(AlertKind::Spike, &tz)?;
        let sp = plan.spike.ok_or_else(|| Error::Internal("spike plan missing".into()))?;
        let now = self.now();
        let days = 30;
        let from = now - Duration::days(days) - sp.baseline - sp.window;
        let times = self.db(move |s| s.mention_times(topic_id, from, now)).await?;
        let zone = plan.tz;
        let mut daily: Vec<DailyCount> = (0..days)
            .rev()
            .map(|k| DailyCount {
                day: (now - Duration::days(k)).with_timezone(&zone).format("%Y-%m-%d").to_string(),
                count: 0,
            })
            .collect();
        for t in &times {
            let day = t.with_timezone(&zone).format("%Y-%m-%d").to_string();
            if let Some(d) = daily.iter_mut().find(|d| d.day == day) {
                d.count += 1;
            }
        }
        // Replays the rule hour by hour over the last 30 days, with its once-per-spike state.
        let mut would_fire = Vec::new();
        let mut active = false;
        let step = Duration::hours(1);
        let mut at = now - Duration::days(days);
        while at <= now {
            let count_in =
                |a: DateTime<Utc>, b: DateTime<Utc>| times.iter().filter(|t| **t >= a && **t < b).count() as u32;
            let history: Vec<u32> =
                spike::baseline_windows(at, sp.window, sp.baseline).iter().map(|(a, b)| count_in(*a, *b)).collect();
            let v = spike::judge(count_in(at - sp.window, at), &history, sp.min_count, sp.sensitivity);
            if v.unusual && !active {
                active = true;
                would_fire.push(SpikeFiring {
                    at,
                    count: v.count,
                    baseline: v.expected,
                    summary: spike::describe(&v, sp.window),
                });
            } else if active && v.back_to_normal {
                active = false;
            }
            at += step;
        }
        Ok(SpikePreview { daily, would_fire })
    }

    /// The zone a rule without one follows, for forms: `alerts.timezone`, else the system's.
    pub async fn alerts_timezone(&self) -> Result<String> {
        self.default_tz().await
    }
}

/// Mention times of the topics that spike rules follow, read once per evaluation and topic (from the
/// earliest start any of its rules asked for).
#[derive(Default)]
struct SpikeTimes(HashMap<Id, (DateTime<Utc>, Times)>);

/// When each mention of a topic was published, from some start on.
type Times = Arc<Vec<DateTime<Utc>>>;

impl SpikeTimes {
    async fn get(&mut self, mw: &Mediawatch, topic_id: Id, from: DateTime<Utc>, until: DateTime<Utc>) -> Result<Times> {
        if let Some((f, t)) = self.0.get(&topic_id) {
            if *f <= from {
                return Ok(t.clone());
            }
        }
        let t = Arc::new(mw.db(move |s| s.mention_times(topic_id, from, until)).await?);
        self.0.insert(topic_id, (from, t.clone()));
        Ok(t)
    }
}

/// Evaluates instant rule `rule` (as stored now) in `pass`: the news logged above its watermark, of articles
/// not published more than `max_age` days before they were stored, fires one alert; the watermark moves to
/// the pass's top either way.
fn instant_rule(pass: &NewsPass<'_>, rule: &StoredRule, tz: &str, max_age: u32, now: DateTime<Utc>) -> Result<u32> {
    let r = rule;
    if r.paused || r.kind != AlertKind::Instant || r.state.news_seq >= pass.max_seq {
        return Ok(0);
    }
    let plan = config_of(r)?.plan(r.kind, tz)?;
    if plan.waits_until(now, r.state.last_fired_at).is_some() {
        return Ok(0);
    }
    let rows = pass.news(r.topic_id, r.state.news_seq)?;
    let max_age = Duration::days(i64::from(max_age));
    let mut items: Vec<_> = rows
        .iter()
        .filter(|n| n.seq > r.state.news_seq)
        .filter(|n| n.published_at.is_none_or(|p| p >= n.flagged_at - max_age))
        .collect();
    let mut claims = Vec::new();
    if plan.by_story {
        // The first stored copy of a story stands for it, once.
        let mut seen = std::collections::HashSet::new();
        items.retain(|n| seen.insert(n.story));
        let stories: Vec<Id> = items.iter().map(|n| n.story).collect();
        let claimed = pass.claimed(r.id, &stories)?;
        items.retain(|n| !claimed.contains(&n.story));
        claims = items.iter().map(|n| n.story).collect();
    }
    let mut state = r.state.clone();
    state.news_seq = pass.max_seq;
    let mut fired = 0;
    if !items.is_empty() {
        // The newest first; the summary names the first few.
        let newest: Vec<Id> = items.iter().rev().take(render::TITLES_IN_SUMMARY).map(|n| n.article_id).collect();
        let titles = pass.titles(&newest)?;
        let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
        let count = items.len() as u32;
        let draft = draft_for(
            r,
            render::instant_summary(&r.topic, count, &titles),
            count,
            None,
            (items.first().map(|n| n.flagged_at), Some(now)),
            items.iter().rev().map(|n| n.article_id).collect(),
            claims,
            now,
        );
        pass.insert_alert(&draft)?;
        state.last_fired_at = Some(now);
        fired = 1;
    }
    pass.save_state(r.id, &state)?;
    Ok(fired)
}

/// An alert of `rule` with a delivery for each of its channels, due now.
#[allow(clippy::too_many_arguments)]
fn draft_for(
    rule: &StoredRule,
    summary: String,
    count: u32,
    baseline: Option<f64>,
    window: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    mut articles: Vec<Id>,
    claims: Vec<Id>,
    now: DateTime<Utc>,
) -> AlertDraft {
    articles.truncate(ARTICLES_PER_ALERT);
    AlertDraft {
        rule_id: Some(rule.id),
        topic_id: Some(rule.topic_id),
        rule_name: rule.name.clone(),
        topic_name: rule.topic.clone(),
        kind: rule.kind,
        test: false,
        summary,
        count,
        baseline,
        window_from: window.0,
        window_until: window.1,
        articles,
        claims,
        deliveries: rule.channels.iter().map(|c| (c.clone(), sign::new_message_id(), now)).collect(),
        created_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_over_more_than_an_hour_then_stop() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z").unwrap().with_timezone(&Utc);
        let mut total = Duration::zero();
        let mut attempts = 1;
        while let Some(next) = retry_after(attempts, now) {
            let wait = next - now;
            let base = Duration::minutes(RETRY_DELAYS_MIN[attempts as usize - 1]);
            assert!(wait >= base * 8 / 10 && wait <= base * 12 / 10, "attempt {attempts}: {wait}");
            total += wait;
            attempts += 1;
        }
        assert!(attempts >= 5, "{attempts} attempts");
        assert!(total >= Duration::hours(1), "{total}");
    }
}
