//! Alerts: rules, the claims that make a rule fire on an article (or story) at most once, the inbox, and the
//! deliveries with each attempt.
//!
//! A rule is evaluated inside [`Store::rule_transaction`]: an `IMMEDIATE` transaction on the writer, so two
//! processes on one database (the desktop app and `mediawatch run`) evaluate one rule one after the other.
//! Inside it the rule's state is read afresh, the unclaimed news is selected, and the alert, its claims and
//! its deliveries are written together; sending happens after the commit.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};

use super::{get_opt_ts, get_ts, parse_ts, ts, Store};
use crate::error::{Error, Result};
use crate::model::{
    Alert, AlertDelivery, AlertKind, AlertMention, AlertQuery, AlertWindow, DeliveryStatus, Field, Id, Span,
};

/// A rule as stored: its options (`config`, JSON read by `alerts::rules`) and its state.
#[derive(Debug, Clone)]
pub struct StoredRule {
    pub id: Id,
    pub topic_id: Id,
    pub topic: String,
    pub name: String,
    pub kind: AlertKind,
    pub channels: Vec<String>,
    pub config: String,
    pub paused: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub state: RuleState,
}

/// What a rule remembers between evaluations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleState {
    pub last_fired_at: Option<DateTime<Utc>>,
    /// Instant rules: the last `news_log.seq` looked at (see migration 8); what lies above is new.
    pub news_seq: i64,
    /// Digest rules: the scheduled time the last digest period ended at.
    pub digest_through: Option<DateTime<Utc>>,
    /// Spike rules: the last spike fired and the count has not been back to normal since.
    pub spike_active: bool,
}

/// A rule to insert or update (the state is left alone on update).
#[derive(Debug, Clone)]
pub struct RuleRecord {
    pub topic_id: Id,
    pub name: String,
    pub kind: AlertKind,
    pub channels: Vec<String>,
    pub config: String,
    pub paused: bool,
}

/// Which news a rule may fire on: mentions of `topic_id` stored by a fetch (`origin = 'fetch'`), flagged in
/// `[flagged_from, flagged_until)` and not before `not_before` (the rule's creation), whose article was not
/// published more than `max_age_days` before it was stored, and not claimed by the rule yet.
#[derive(Debug, Clone)]
pub struct NewsQuery {
    pub topic_id: Id,
    pub flagged_from: DateTime<Utc>,
    pub flagged_until: DateTime<Utc>,
    pub not_before: DateTime<Utc>,
    pub max_age_days: u32,
    /// Claim by story (the cluster) rather than by article: syndicated copies count once.
    pub by_story: bool,
}

/// One article a rule may alert on.
#[derive(Debug, Clone)]
pub struct NewsItem {
    pub article_id: Id,
    /// What the claim is keyed on: the article's id, or its story's.
    pub story_key: Id,
    pub title: String,
    pub flagged_at: DateTime<Utc>,
}

/// An alert to store, with what it claims and where it goes.
#[derive(Debug, Clone)]
pub struct AlertDraft {
    pub rule_id: Option<Id>,
    pub topic_id: Option<Id>,
    pub rule_name: String,
    pub topic_name: String,
    pub kind: AlertKind,
    pub test: bool,
    pub summary: String,
    pub count: u32,
    pub baseline: Option<f64>,
    pub window_from: Option<DateTime<Utc>>,
    pub window_until: Option<DateTime<Utc>>,
    /// The articles behind it, in the order to show them.
    pub articles: Vec<Id>,
    /// Story keys this alert claims for its rule.
    pub claims: Vec<Id>,
    /// (channel, message id, when it may first be sent); `inbox` is stored as delivered.
    pub deliveries: Vec<(String, String, DateTime<Utc>)>,
    pub created_at: DateTime<Utc>,
}

/// A delivery that is due, leased to this process for one attempt.
#[derive(Debug, Clone)]
pub struct LeasedDelivery {
    pub id: Id,
    pub alert_id: Id,
    pub rule_id: Option<Id>,
    pub channel: String,
    pub message_id: String,
    /// 1 for the first attempt.
    pub attempt: u32,
}

/// How an attempt ended.
#[derive(Debug, Clone)]
pub enum AttemptResult {
    Delivered,
    /// Failed; `retry_at` is when to try again, `None` when that was the last attempt.
    Failed {
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// The transaction a rule is evaluated in.
pub struct RuleTx<'a> {
    tx: Transaction<'a>,
    pub rule: StoredRule,
}

const RULE_COLUMNS: &str = "r.id, r.topic_id, t.name AS topic, r.name, r.kind, r.channels, r.config, r.paused,
    r.created_at, r.updated_at, r.last_fired_at, r.news_seq, r.digest_through, r.spike_active";

fn kind_from(s: &str) -> rusqlite::Result<AlertKind> {
    match s {
        "instant" => Ok(AlertKind::Instant),
        "digest" => Ok(AlertKind::Digest),
        "spike" => Ok(AlertKind::Spike),
        other => Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown alert kind {other:?}").into(),
        )),
    }
}

fn status_from(s: &str) -> rusqlite::Result<DeliveryStatus> {
    match s {
        "pending" => Ok(DeliveryStatus::Pending),
        "delivered" => Ok(DeliveryStatus::Delivered),
        "failed" => Ok(DeliveryStatus::Failed),
        other => Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown delivery status {other:?}").into(),
        )),
    }
}

fn json_err(e: &serde_json::Error) -> Error {
    Error::Internal(e.to_string())
}

fn rule_from_row(r: &Row<'_>) -> rusqlite::Result<StoredRule> {
    let channels: String = r.get("channels")?;
    let channels: Vec<String> = serde_json::from_str(&channels)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(StoredRule {
        id: r.get("id")?,
        topic_id: r.get("topic_id")?,
        topic: r.get("topic")?,
        name: r.get("name")?,
        kind: kind_from(&r.get::<_, String>("kind")?)?,
        channels,
        config: r.get("config")?,
        paused: r.get("paused")?,
        created_at: get_ts(r, "created_at")?,
        updated_at: get_ts(r, "updated_at")?,
        state: RuleState {
            last_fired_at: get_opt_ts(r, "last_fired_at")?,
            news_seq: r.get("news_seq")?,
            digest_through: get_opt_ts(r, "digest_through")?,
            spike_active: r.get("spike_active")?,
        },
    })
}

fn rule_on(c: &Connection, id: Id) -> Result<Option<StoredRule>> {
    let sql = format!("SELECT {RULE_COLUMNS} FROM alert_rules r JOIN topics t ON t.id = r.topic_id WHERE r.id = ?1");
    Ok(c.query_row(&sql, [id], rule_from_row).optional()?)
}

/// The words that matched, as the article writes them (distinct, in order of appearance).
fn matched_terms(title: &str, text: &str, spans: &[Span]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in spans {
        let field = if s.field == Field::Title { title } else { text };
        let word: String = field.chars().skip(s.start as usize).take((s.end - s.start) as usize).collect();
        let word = if word.is_empty() { s.term.clone() } else { word };
        if !out.iter().any(|w| w.to_lowercase() == word.to_lowercase()) {
            out.push(word);
        }
    }
    out
}

impl RuleTx<'_> {
    /// The unclaimed news of [`NewsQuery`], oldest first; by story, the first stored copy stands for it.
    pub fn news(&self, q: &NewsQuery) -> Result<Vec<NewsItem>> {
        news_on(&self.tx, self.rule.id, q)
    }

    /// Articles of the topic published (stored, when the publication time is unknown) in `[from, until)`,
    /// newest first: what a spike alert shows.
    pub fn window_articles(&self, from: DateTime<Utc>, until: DateTime<Utc>, limit: u32) -> Result<Vec<Id>> {
        let mut st = self.tx.prepare_cached(
            "SELECT a.id FROM articles a JOIN mentions m ON m.article_id = a.id AND m.topic_id = ?1
             WHERE a.sort_at >= ?2 AND a.sort_at < ?3 ORDER BY a.sort_at DESC, a.id DESC LIMIT ?4",
        )?;
        let ids = st
            .query_map(params![self.rule.topic_id, ts(from), ts(until), limit], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<Id>>>()?;
        Ok(ids)
    }

    /// Stores the alert, its articles, its claims and its deliveries.
    pub fn insert_alert(&self, d: &AlertDraft) -> Result<Id> {
        insert_alert(&self.tx, d)
    }

    pub fn save_state(&self, state: &RuleState) -> Result<()> {
        save_state(&self.tx, self.rule.id, state)
    }
}

fn save_state(c: &Connection, rule_id: Id, state: &RuleState) -> Result<()> {
    c.prepare_cached(
        "UPDATE alert_rules SET last_fired_at = ?2, news_seq = ?3, digest_through = ?4, spike_active = ?5
         WHERE id = ?1",
    )?
    .execute(params![
        rule_id,
        state.last_fired_at.map(ts),
        state.news_seq,
        state.digest_through.map(ts),
        state.spike_active
    ])?;
    Ok(())
}

/// One mention in the news log (migration 8), with what an instant rule needs to judge and show it.
#[derive(Debug, Clone)]
pub struct LoggedNews {
    pub seq: i64,
    pub article_id: Id,
    /// The article's story: its cluster, or itself.
    pub story: Id,
    pub flagged_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// A topic's news above some `seq`, shared by the rules on it.
pub type TopicNews = std::rc::Rc<Vec<LoggedNews>>;

/// The one transaction that instant rules are evaluated in, rule after rule (see [`Store::news_pass`]).
pub struct NewsPass<'a> {
    tx: Transaction<'a>,
    /// The highest `seq` committed: every instant rule evaluated in this pass has looked up to here.
    pub max_seq: i64,
    /// The last topic's news above `from`: rules on one topic, taken together, read it once.
    cache: std::cell::RefCell<Option<(Id, i64, TopicNews)>>,
}

impl NewsPass<'_> {
    /// News of `topic_id` logged above `after` (up to [`NewsPass::max_seq`]), oldest first, whose mention is
    /// still there (an edited topic may no longer flag the article). The result may start lower when an earlier
    /// rule on the same topic asked from lower: filter on `seq`.
    pub fn news(&self, topic_id: Id, after: i64) -> Result<TopicNews> {
        if let Some((t, from, rows)) = &*self.cache.borrow() {
            if *t == topic_id && *from <= after {
                return Ok(rows.clone());
            }
        }
        let mut st = self.tx.prepare_cached(
            "SELECT l.seq, l.article_id, l.story, l.flagged_at, l.published_at
             FROM news_log l JOIN mentions m ON m.article_id = l.article_id AND m.topic_id = l.topic_id
             WHERE l.topic_id = ?1 AND l.seq > ?2 AND l.seq <= ?3 ORDER BY l.seq",
        )?;
        let rows = st
            .query_map(params![topic_id, after, self.max_seq], |r| {
                Ok(LoggedNews {
                    seq: r.get(0)?,
                    article_id: r.get(1)?,
                    story: r.get(2)?,
                    flagged_at: parse_ts(&r.get::<_, String>(3)?)?,
                    published_at: r.get::<_, Option<String>>(4)?.map(|p| parse_ts(&p)).transpose()?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let rows = std::rc::Rc::new(rows);
        *self.cache.borrow_mut() = Some((topic_id, after, rows.clone()));
        Ok(rows)
    }

    /// The titles of `articles`, in their order (an article that is gone is left out).
    pub fn titles(&self, articles: &[Id]) -> Result<Vec<String>> {
        let mut st = self.tx.prepare_cached("SELECT title FROM articles WHERE id = ?1")?;
        let mut out = Vec::with_capacity(articles.len());
        for a in articles {
            if let Some(t) = st.query_row([a], |r| r.get(0)).optional()? {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// Which of `stories` rule `rule_id` has alerted on already.
    pub fn claimed(&self, rule_id: Id, stories: &[Id]) -> Result<std::collections::HashSet<Id>> {
        let mut st = self.tx.prepare_cached("SELECT 1 FROM alert_claims WHERE rule_id = ?1 AND story_key = ?2")?;
        let mut out = std::collections::HashSet::new();
        for k in stories {
            if st.exists(params![rule_id, k])? {
                out.insert(*k);
            }
        }
        Ok(out)
    }

    /// Stores the alert, its articles, its claims and its deliveries.
    pub fn insert_alert(&self, d: &AlertDraft) -> Result<Id> {
        insert_alert(&self.tx, d)
    }

    pub fn save_state(&self, rule_id: Id, state: &RuleState) -> Result<()> {
        save_state(&self.tx, rule_id, state)
    }
}

fn news_on(c: &Connection, rule_id: Id, q: &NewsQuery) -> Result<Vec<NewsItem>> {
    let mut st = c.prepare_cached(
        "SELECT a.id, CASE WHEN ?6 THEN COALESCE(a.cluster_id, a.id) ELSE a.id END AS story_key, a.title,
                m.flagged_at
         FROM mentions m JOIN articles a ON a.id = m.article_id
         WHERE m.topic_id = ?1 AND m.origin = 'fetch'
           AND m.flagged_at >= ?2 AND m.flagged_at < ?3 AND m.flagged_at >= ?4
           AND (a.published_at IS NULL OR julianday(a.published_at) >= julianday(m.flagged_at) - ?5)
           AND NOT EXISTS (SELECT 1 FROM alert_claims c WHERE c.rule_id = ?7
                           AND c.story_key = CASE WHEN ?6 THEN COALESCE(a.cluster_id, a.id) ELSE a.id END)
         ORDER BY m.flagged_at, a.id",
    )?;
    let rows = st
        .query_map(
            params![
                q.topic_id,
                ts(q.flagged_from),
                ts(q.flagged_until),
                ts(q.not_before),
                f64::from(q.max_age_days),
                q.by_story,
                rule_id
            ],
            |r| {
                Ok(NewsItem {
                    article_id: r.get(0)?,
                    story_key: r.get(1)?,
                    title: r.get(2)?,
                    flagged_at: parse_ts(&r.get::<_, String>(3)?)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows.into_iter().filter(|n| seen.insert(n.story_key)).collect())
}

fn insert_alert(tx: &Connection, d: &AlertDraft) -> Result<Id> {
    // The articles, in order, once each.
    let mut seen = std::collections::HashSet::new();
    let articles: Vec<Id> = d.articles.iter().copied().filter(|a| seen.insert(*a)).collect();
    let articles = serde_json::to_string(&articles).map_err(|e| json_err(&e))?;
    tx.prepare_cached(
        "INSERT INTO alerts (rule_id, topic_id, rule_name, topic_name, kind, test, summary, count, baseline,
                             window_from, window_until, created_at, articles)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        d.rule_id,
        d.topic_id,
        d.rule_name,
        d.topic_name,
        d.kind.as_str(),
        d.test,
        d.summary,
        d.count,
        d.baseline,
        d.window_from.map(ts),
        d.window_until.map(ts),
        ts(d.created_at),
        articles
    ])?;
    let id = tx.last_insert_rowid();
    {
        if let Some(rule) = d.rule_id {
            let mut claim =
                tx.prepare_cached("INSERT INTO alert_claims (rule_id, story_key, alert_id) VALUES (?1, ?2, ?3)")?;
            for k in &d.claims {
                claim.execute(params![rule, k, id]).map_err(|e| {
                    Error::Conflict(format!("rule {rule} has alerted on story {k} already ({e}); nothing was stored"))
                })?;
            }
        }
        let mut del = tx.prepare_cached(
            "INSERT INTO alert_deliveries (alert_id, channel, status, next_attempt_at, message_id, delivered_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (channel, message_id, due) in &d.deliveries {
            if channel == "inbox" {
                del.execute(params![id, channel, "delivered", None::<String>, message_id, ts(d.created_at)])?;
            } else {
                del.execute(params![id, channel, "pending", ts(*due), message_id, None::<String>])?;
            }
        }
    }
    Ok(id)
}

impl Store {
    pub fn insert_alert_rule(&self, rec: &RuleRecord, now: DateTime<Utc>) -> Result<Id> {
        let channels = serde_json::to_string(&rec.channels).map_err(|e| json_err(&e))?;
        let conn = self.writer()?;
        conn.execute(
            "INSERT INTO alert_rules (topic_id, name, kind, channels, config, paused, created_at, updated_at,
                                      news_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, (SELECT COALESCE(MAX(seq), 0) FROM news_log))",
            params![rec.topic_id, rec.name, rec.kind.as_str(), channels, rec.config, rec.paused, ts(now)],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// Replaces a rule's options; a digest whose schedule changed keeps the periods it sent. A paused rule
    /// that is resumed skips what its pause covered, in the same statement: its watermark moves to the news
    /// log's top, and a digest's periods to `resumed_through` (the last scheduled time before now).
    pub fn update_alert_rule(
        &self,
        id: Id,
        rec: &RuleRecord,
        resumed_through: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let channels = serde_json::to_string(&rec.channels).map_err(|e| json_err(&e))?;
        let n = self.writer()?.execute(
            "UPDATE alert_rules SET topic_id = ?2, name = ?3, kind = ?4, channels = ?5, config = ?6, paused = ?7,
                    updated_at = ?8,
                    spike_active = CASE WHEN kind = ?4 THEN spike_active ELSE 0 END,
                    news_seq = CASE WHEN paused AND NOT ?7 THEN (SELECT COALESCE(MAX(seq), 0) FROM news_log)
                                    ELSE news_seq END,
                    digest_through = CASE WHEN paused AND NOT ?7 AND ?9 IS NOT NULL THEN ?9 ELSE digest_through END
             WHERE id = ?1",
            params![
                id,
                rec.topic_id,
                rec.name,
                rec.kind.as_str(),
                channels,
                rec.config,
                rec.paused,
                ts(now),
                resumed_through.map(ts)
            ],
        )?;
        if n == 0 {
            return Err(Error::NotFound(format!("no alert rule {id}")));
        }
        Ok(())
    }

    pub fn alert_rule(&self, id: Id) -> Result<StoredRule> {
        self.read(|c| rule_on(c, id))?.ok_or_else(|| Error::NotFound(format!("no alert rule {id}")))
    }

    pub fn alert_rules(&self) -> Result<Vec<StoredRule>> {
        self.read(|c| {
            let sql =
                format!("SELECT {RULE_COLUMNS} FROM alert_rules r JOIN topics t ON t.id = r.topic_id ORDER BY r.id");
            let mut st = c.prepare(&sql)?;
            let rows = st.query_map([], rule_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Removes a rule; the alerts it fired stay in the inbox.
    pub fn remove_alert_rule(&self, id: Id) -> Result<()> {
        let n = self.writer()?.execute("DELETE FROM alert_rules WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound(format!("no alert rule {id}")));
        }
        Ok(())
    }

    /// Runs `f` on rule `id` inside an `IMMEDIATE` transaction and commits what it wrote; `None` when the rule
    /// is gone. An error rolls everything back.
    pub fn rule_transaction<T>(&self, id: Id, f: impl FnOnce(&RuleTx<'_>) -> Result<T>) -> Result<Option<T>> {
        let mut conn = self.writer()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(rule) = rule_on(&tx, id)? else {
            return Ok(None);
        };
        let rtx = RuleTx { tx, rule };
        let out = f(&rtx)?;
        rtx.tx.commit()?;
        Ok(Some(out))
    }

    /// The highest `seq` in the news log: an instant rule whose `news_seq` is this has nothing new.
    pub fn news_seq(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("SELECT COALESCE(MAX(seq), 0) FROM news_log", [], |r| r.get(0))?))
    }

    /// Evaluates instant rules `ids` in one `IMMEDIATE` transaction, each in a savepoint: `f` gets the rule
    /// as stored now; what it writes is kept when it returns `Ok` and undone when it fails, and the other
    /// rules go on. A rule that is gone is left out. Give the rules sorted by topic (then `news_seq`): rules
    /// on one topic then read its news once.
    pub fn news_pass<T>(
        &self,
        ids: &[Id],
        mut f: impl FnMut(&NewsPass<'_>, StoredRule) -> Result<T>,
    ) -> Result<Vec<(Id, Result<T>)>> {
        let mut conn = self.writer()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let max_seq = tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM news_log", [], |r| r.get(0))?;
        let pass = NewsPass { tx, max_seq, cache: std::cell::RefCell::new(None) };
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let Some(rule) = rule_on(&pass.tx, id)? else { continue };
            pass.tx.execute_batch("SAVEPOINT rule")?;
            let r = f(&pass, rule);
            if r.is_ok() {
                pass.tx.execute_batch("RELEASE rule")?;
            } else {
                pass.tx.execute_batch("ROLLBACK TO rule; RELEASE rule")?;
            }
            out.push((id, r));
        }
        pass.tx.commit()?;
        Ok(out)
    }

    /// Stores an alert outside any rule's evaluation (a rule's test alert).
    pub fn insert_alert(&self, d: &AlertDraft) -> Result<Id> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        let id = insert_alert(&tx, d)?;
        tx.commit()?;
        Ok(id)
    }

    /// When each mention of a topic was published (stored, when unknown) in `[from, until)`: spike counts.
    pub fn mention_times(&self, topic_id: Id, from: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT a.sort_at FROM articles a JOIN mentions m ON m.article_id = a.id AND m.topic_id = ?1
                 WHERE a.sort_at >= ?2 AND a.sort_at < ?3",
            )?;
            let rows = st
                .query_map(params![topic_id, ts(from), ts(until)], |r| parse_ts(&r.get::<_, String>(0)?))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// The inbox, newest first.
    pub fn alerts(&self, q: &AlertQuery) -> Result<Vec<Alert>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id FROM alerts WHERE (?1 = 0 OR read_at IS NULL) AND (?2 IS NULL OR rule_id = ?2)
                 ORDER BY created_at DESC, id DESC LIMIT ?3",
            )?;
            let ids = st
                .query_map(params![q.unread, q.rule, q.limit.unwrap_or(100).clamp(1, 10_000)], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<Id>>>()?;
            ids.into_iter().map(|id| alert_on(c, id)).collect()
        })
    }

    pub fn alert(&self, id: Id) -> Result<Alert> {
        self.read(|c| alert_on(c, id))
    }

    pub fn unread_alerts(&self) -> Result<u32> {
        self.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM alerts WHERE read_at IS NULL", [], |r| r.get(0))?))
    }

    /// Marks one alert (or, with `None`, every unread one) read; returns how many changed.
    pub fn mark_alerts_read(&self, id: Option<Id>, now: DateTime<Utc>) -> Result<u32> {
        let conn = self.writer()?;
        let n = match id {
            Some(id) => {
                if conn.query_row("SELECT 1 FROM alerts WHERE id = ?1", [id], |_| Ok(())).optional()?.is_none() {
                    return Err(Error::NotFound(format!("no alert {id}")));
                }
                conn.execute("UPDATE alerts SET read_at = ?2 WHERE id = ?1 AND read_at IS NULL", params![id, ts(now)])?
            }
            None => conn.execute("UPDATE alerts SET read_at = ?1 WHERE read_at IS NULL", [ts(now)])?,
        };
        Ok(n as u32)
    }

    /// Leases the pending deliveries on `channels` that are due at `now` for one attempt each (until
    /// `lease_until`), and records the attempt as begun. A delivery another process holds is left alone; one
    /// whose holder died mid-way comes back when its lease ends, with the same message id.
    pub fn lease_due_deliveries(
        &self,
        channels: &[&str],
        alert: Option<Id>,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<LeasedDelivery>> {
        let mut conn = self.writer()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let prefixes = serde_json::to_string(channels).map_err(|e| json_err(&e))?;
        let mut leased = Vec::new();
        {
            let mut st = tx.prepare_cached(
                "SELECT d.id, d.alert_id, a.rule_id, d.channel, d.message_id, d.attempts
                 FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
                 WHERE d.status = 'pending' AND d.next_attempt_at <= ?1
                   AND (d.lease_until IS NULL OR d.lease_until <= ?1)
                   AND EXISTS (SELECT 1 FROM json_each(?2) p
                               WHERE d.channel = p.value OR d.channel LIKE p.value || ':%')
                   AND (?4 IS NULL OR d.alert_id = ?4)
                 ORDER BY d.next_attempt_at, d.id LIMIT ?3",
            )?;
            let rows = st
                .query_map(params![ts(now), prefixes, limit, alert], |r| {
                    Ok(LeasedDelivery {
                        id: r.get(0)?,
                        alert_id: r.get(1)?,
                        rule_id: r.get(2)?,
                        channel: r.get(3)?,
                        message_id: r.get(4)?,
                        attempt: r.get::<_, u32>(5)? + 1,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut lease = tx.prepare_cached(
                "UPDATE alert_deliveries SET lease_until = ?2, attempts = ?3 WHERE id = ?1 AND status = 'pending'",
            )?;
            let mut attempt = tx.prepare_cached(
                "INSERT INTO alert_attempts (delivery_id, attempt, started_at, outcome) VALUES (?1, ?2, ?3, 'sending')",
            )?;
            for d in rows {
                lease.execute(params![d.id, ts(lease_until), d.attempt])?;
                attempt.execute(params![d.id, d.attempt, ts(now)])?;
                leased.push(d);
            }
        }
        tx.commit()?;
        Ok(leased)
    }

    /// Records how a leased attempt ended.
    pub fn finish_attempt(&self, d: &LeasedDelivery, result: &AttemptResult, now: DateTime<Utc>) -> Result<()> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        match result {
            AttemptResult::Delivered => {
                tx.execute(
                    "UPDATE alert_deliveries SET status = 'delivered', delivered_at = ?2, lease_until = NULL,
                            next_attempt_at = NULL, last_error = NULL WHERE id = ?1",
                    params![d.id, ts(now)],
                )?;
                tx.execute(
                    "UPDATE alert_attempts SET outcome = 'delivered', finished_at = ?3 WHERE delivery_id = ?1 AND attempt = ?2",
                    params![d.id, d.attempt, ts(now)],
                )?;
            }
            AttemptResult::Failed { error, retry_at } => {
                tx.execute(
                    "UPDATE alert_deliveries SET status = ?2, next_attempt_at = ?3, lease_until = NULL, last_error = ?4
                     WHERE id = ?1",
                    params![d.id, if retry_at.is_some() { "pending" } else { "failed" }, retry_at.map(ts), error],
                )?;
                tx.execute(
                    "UPDATE alert_attempts SET outcome = 'failed', finished_at = ?3, error = ?4
                     WHERE delivery_id = ?1 AND attempt = ?2",
                    params![d.id, d.attempt, ts(now), error],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Desktop deliveries the app has not shown and that are younger than `max_age`: marked delivered and
    /// returned (alert ids). Older ones are marked failed: the app was not running, the inbox keeps them.
    pub fn take_desktop_deliveries(&self, now: DateTime<Utc>, max_age: Duration) -> Result<Vec<Id>> {
        let mut conn = self.writer()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE alert_deliveries SET status = 'failed', attempts = attempts + 1,
                    last_error = 'the desktop app was not running; the alert waits in the inbox'
             WHERE status = 'pending' AND channel = 'desktop'
               AND alert_id IN (SELECT id FROM alerts WHERE created_at < ?1)",
            [ts(now - max_age)],
        )?;
        let ids = {
            let mut st = tx.prepare(
                "SELECT d.id, d.alert_id FROM alert_deliveries d
                 WHERE d.status = 'pending' AND d.channel = 'desktop' AND d.next_attempt_at <= ?1 ORDER BY d.id",
            )?;
            let rows = st
                .query_map([ts(now)], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, Id>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        for (delivery, _) in &ids {
            tx.execute(
                "UPDATE alert_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = ?2
                 WHERE id = ?1",
                params![delivery, ts(now)],
            )?;
        }
        tx.commit()?;
        Ok(ids.into_iter().map(|(_, a)| a).collect())
    }

    /// Deliveries still pending (retries, quiet hours, the desktop app).
    pub fn pending_deliveries(&self) -> Result<u32> {
        self.read(|c| {
            Ok(c.query_row("SELECT COUNT(*) FROM alert_deliveries WHERE status = 'pending'", [], |r| r.get(0))?)
        })
    }
}

fn alert_on(c: &Connection, id: Id) -> Result<Alert> {
    let mut alert = c
        .query_row(
            "SELECT id, rule_id, rule_name, topic_id, topic_name, kind, test, summary, count, baseline, window_from,
                    window_until, created_at, read_at
             FROM alerts WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    Alert {
                        id: r.get("id")?,
                        rule_id: r.get("rule_id")?,
                        rule: r.get("rule_name")?,
                        topic: r.get("topic_name")?,
                        kind: kind_from(&r.get::<_, String>("kind")?)?,
                        created_at: get_ts(r, "created_at")?,
                        read: r.get::<_, Option<String>>("read_at")?.is_some(),
                        test: r.get("test")?,
                        summary: r.get("summary")?,
                        count: r.get("count")?,
                        baseline: r.get("baseline")?,
                        window: AlertWindow {
                            from: get_opt_ts(r, "window_from")?,
                            until: get_opt_ts(r, "window_until")?,
                        },
                        mentions: Vec::new(),
                        deliveries: Vec::new(),
                    },
                    r.get::<_, Option<Id>>("topic_id")?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("no alert {id}")))?;
    let (ref mut a, topic_id) = alert;
    let mut st = c.prepare_cached(
        "SELECT ar.id, ar.title, ar.url, s.name AS source, ar.published_at, ar.lang, ar.text,
                m.snippet, m.spans
         FROM alerts al, json_each(al.articles) x JOIN articles ar ON ar.id = x.value
         JOIN sources s ON s.id = ar.source_id
         LEFT JOIN mentions m ON m.article_id = ar.id AND m.topic_id = ?2
         WHERE al.id = ?1 ORDER BY x.key",
    )?;
    a.mentions = st
        .query_map(params![id, topic_id], |r| {
            let title: String = r.get("title")?;
            let text: String = r.get("text")?;
            let spans: Vec<Span> =
                r.get::<_, Option<String>>("spans")?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
            Ok(AlertMention {
                article_id: r.get("id")?,
                terms: matched_terms(&title, &text, &spans),
                title,
                url: r.get("url")?,
                source: r.get("source")?,
                published: get_opt_ts(r, "published_at")?,
                lang: r.get("lang")?,
                snippet: r.get::<_, Option<String>>("snippet")?.unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut st = c.prepare_cached(
        "SELECT id, channel, status, attempts, last_error, delivered_at, next_attempt_at
         FROM alert_deliveries WHERE alert_id = ?1 ORDER BY id",
    )?;
    a.deliveries = st
        .query_map([id], |r| {
            Ok(AlertDelivery {
                id: r.get("id")?,
                channel: r.get("channel")?,
                status: status_from(&r.get::<_, String>("status")?)?,
                attempts: r.get("attempts")?,
                last_error: r.get("last_error")?,
                delivered_at: get_opt_ts(r, "delivered_at")?,
                next_attempt_at: get_opt_ts(r, "next_attempt_at")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(alert.0)
}
