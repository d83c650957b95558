//! Alerts end to end against local servers on 127.0.0.1: a feed gains articles → mentions → the rule fires →
//! the webhook receiver records exactly the expected POSTs (retries keep their `webhook-id`, signatures
//! verify), e-mail reaches an SMTP sink; what counts as news; digests, quiet hours and spikes on the injected
//! clock; two cores on one database fire a rule once.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use mediawatch_core::alerts::secrets::Secrets;
use mediawatch_core::alerts::sign;
use mediawatch_core::model::{
    AlertKind, AlertQuery, AlertRuleDraft, DeliveryStatus, DigestEvery, NewSource, NewTopic, SpikeSensitivity,
};
use mediawatch_core::{CancellationToken, FetchRequest, Mediawatch};
use mediawatch_testkit::{Response, SmtpSink, TestServer, WebhookReceiver};

/// The injected clock the tests move.
#[derive(Clone)]
struct Clock(Arc<Mutex<DateTime<Utc>>>);

impl Clock {
    fn at(t: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Mutex::new(t)))
    }
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
    fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap() = t;
    }
    fn advance(&self, d: Duration) {
        let t = self.now() + d;
        self.set(t);
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A news site whose feed the test grows: (guid, title, body, published).
#[derive(Clone, Default)]
struct Site(Arc<Mutex<Vec<Item>>>);

/// guid, title, body, published.
type Item = (String, String, String, DateTime<Utc>);

impl Site {
    fn publish(&self, title: &str, body: &str, at: DateTime<Utc>) {
        let mut items = self.0.lock().unwrap();
        let guid = format!("item-{}", items.len() + 1);
        items.push((guid, title.into(), body.into(), at));
    }
    fn rss(&self) -> String {
        let items = self.0.lock().unwrap();
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Wire</title><link>https://wire.example/</link>",
        );
        for (guid, title, body, at) in items.iter() {
            out.push_str(&format!(
                "<item><guid>{guid}</guid><title>{title}</title><link>https://wire.example/{guid}</link><pubDate>{}</pubDate><description>{body}</description></item>",
                at.to_rfc2822()
            ));
        }
        out.push_str("</channel></rss>");
        out
    }
}

struct World {
    _dir: tempfile::TempDir,
    server: TestServer,
    site: Site,
    clock: Clock,
    core: Mediawatch,
}

async fn world(start: DateTime<Utc>) -> World {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start();
    let site = Site::default();
    let feed = site.clone();
    server.route("/feed.xml", move |_| Response::ok("application/rss+xml; charset=utf-8", feed.rss()));
    let clock = Clock::at(start);
    let c = clock.clone();
    let core = Mediawatch::open(dir.path().join("mw.db"))
        .unwrap()
        .with_clock(move || c.now())
        .with_secrets(Secrets::file_only(dir.path()));
    core.add_topic(NewTopic {
        name: "Visa policy".into(),
        query: r#""visa-free" OR "visa regime" OR безвизов*"#.into(),
        description: None,
        stem: false,
    })
    .await
    .unwrap();
    core.add_source(NewSource { url: server.url("/feed.xml"), name: None, interval_minutes: None, full_text: None })
        .await
        .unwrap();
    World { _dir: dir, server, site, clock, core }
}

fn rule(kind: AlertKind, channels: &[String]) -> AlertRuleDraft {
    AlertRuleDraft {
        topic: Some("Visa policy".into()),
        kind: Some(kind),
        channels: Some(channels.to_vec()),
        ..Default::default()
    }
}

async fn fetch(w: &World) -> mediawatch_core::model::FetchSummary {
    w.core.fetch(FetchRequest { source: None, all: true }, |_| {}, CancellationToken::new()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_article_fires_one_signed_webhook_and_a_500_is_retried_with_the_same_id() {
    let w = world(utc("2026-12-07T09:00:00Z")).await;
    // Answers 500 to the first POST, then 200.
    let hook = WebhookReceiver::start(vec![500]);
    let secret = sign::new_secret().unwrap();
    let mut draft = rule(AlertKind::Instant, &[format!("webhook:{}", hook.url())]);
    draft.secret = Some(secret.clone());
    let r = w.core.add_alert_rule(draft).await.unwrap();
    assert!(r.has_secret);

    w.clock.advance(Duration::minutes(1));
    w.site.publish(
        "Russia and China agree visa-free group travel",
        "Visa-free travel for tourist groups.",
        w.clock.now(),
    );
    w.site.publish("Weather in Moscow", "Snow is expected.", w.clock.now());
    let summary = fetch(&w).await;
    assert_eq!(summary.alerts.fired, 1, "{:?}", summary.alerts);
    assert_eq!(hook.requests().len(), 1, "the first attempt");
    let alerts = w.core.alerts(AlertQuery::default()).await.unwrap();
    assert_eq!(alerts.len(), 1);
    let a = &alerts[0];
    assert_eq!(a.count, 1);
    assert!(a.summary.starts_with("1 new mention of Visa policy: Russia and China agree"), "{}", a.summary);
    let d = &a.deliveries[0];
    assert_eq!((d.status, d.attempts), (DeliveryStatus::Pending, 1));
    assert!(d.last_error.as_deref().unwrap_or("").contains("500"), "{:?}", d.last_error);

    // Nothing is due before the backoff; then the retry goes out with the same webhook-id.
    w.core.deliver_alerts().await.unwrap();
    assert_eq!(hook.requests().len(), 1);
    w.clock.advance(Duration::minutes(2));
    let run = w.core.deliver_alerts().await.unwrap();
    assert_eq!(run.delivered, 1);
    let reqs = hook.requests();
    assert_eq!(reqs.len(), 2);
    let id0 = reqs[0].header("webhook-id").unwrap().to_string();
    assert_eq!(reqs[1].header("webhook-id").unwrap(), id0, "a retry keeps its webhook-id");
    for req in &reqs {
        let ts: i64 = req.header("webhook-timestamp").unwrap().parse().unwrap();
        assert!(sign::verify(&secret, &id0, ts, &req.body, req.header("webhook-signature").unwrap()));
        assert_eq!(req.header("content-type").unwrap(), "application/json");
    }
    assert_ne!(reqs[0].header("webhook-timestamp"), reqs[1].header("webhook-timestamp"));
    let body: serde_json::Value = serde_json::from_str(&reqs[1].body).unwrap();
    assert!(body["text"].as_str().unwrap().contains("visa-free group travel"));
    assert_eq!(body["alert"]["kind"], "instant");
    assert_eq!(body["alert"]["articles"][0]["terms"][0], "visa-free");
    let a = &w.core.alerts(AlertQuery::default()).await.unwrap()[0];
    assert_eq!((a.deliveries[0].status, a.deliveries[0].attempts), (DeliveryStatus::Delivered, 2));

    // The same feed again: nothing new, nothing sent. A new article: exactly one more alert.
    w.clock.advance(Duration::minutes(5));
    assert_eq!(fetch(&w).await.alerts.fired, 0);
    w.site.publish("Безвизовый режим продлён", "Безвизовый режим для групп продлён до 2027 года.", w.clock.now());
    assert_eq!(fetch(&w).await.alerts.fired, 1);
    assert_eq!(hook.requests().len(), 3);
    let body: serde_json::Value = serde_json::from_str(&hook.requests()[2].body).unwrap();
    assert_eq!(body["alert"]["count"], 1);
    assert_eq!(body["alert"]["articles"][0]["title"], "Безвизовый режим продлён");
    assert_ne!(hook.requests()[2].header("webhook-id").unwrap(), id0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delivery_that_keeps_failing_is_failed_after_its_last_attempt_and_never_dropped() {
    let w = world(utc("2026-12-07T09:00:00Z")).await;
    let hook = WebhookReceiver::start(vec![503; 100]);
    w.core.add_alert_rule(rule(AlertKind::Instant, &[format!("webhook:{}", hook.url())])).await.unwrap();
    w.site.publish("Visa-free transit extended", "The visa-free transit is extended.", w.clock.now());
    fetch(&w).await;
    let start = w.clock.now();
    for _ in 0..20 {
        w.clock.advance(Duration::minutes(15));
        w.core.deliver_alerts().await.unwrap();
    }
    let reqs = hook.requests();
    assert!(reqs.len() >= 5, "{} attempts", reqs.len());
    assert!(reqs.iter().all(|r| r.header("webhook-id") == reqs[0].header("webhook-id")));
    let a = &w.core.alerts(AlertQuery::default()).await.unwrap()[0];
    let d = &a.deliveries[0];
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.attempts as usize, reqs.len());
    assert!(d.last_error.as_deref().unwrap().contains("503"));
    assert!(w.clock.now() - start >= Duration::hours(1));
    // No more attempts once failed.
    w.clock.advance(Duration::hours(3));
    w.core.deliver_alerts().await.unwrap();
    assert_eq!(hook.requests().len(), reqs.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn only_news_alerts_backfill_import_old_items_and_re_matching_do_not() {
    let w = world(utc("2026-12-07T09:00:00Z")).await;
    // Stored before the rule existed: not news for it.
    w.site.publish("Visa-free travel: the first article", "visa-free", w.clock.now());
    fetch(&w).await;
    w.clock.advance(Duration::minutes(1));
    w.core.add_alert_rule(rule(AlertKind::Instant, &["inbox".to_string()])).await.unwrap();
    w.clock.advance(Duration::minutes(1));
    // Old items of the archive (published 30 days before they were stored): not news.
    w.site.publish("Visa-free archive piece", "visa-free", w.clock.now() - Duration::days(30));
    assert_eq!(fetch(&w).await.alerts.fired, 0);
    // A topic added now matches the stored articles (backfill): no alert for its rule.
    w.core
        .add_topic(NewTopic {
            name: "Travel".into(),
            query: "travel OR archive".into(),
            description: None,
            stem: false,
        })
        .await
        .unwrap();
    let mut travel = rule(AlertKind::Instant, &["inbox".to_string()]);
    travel.topic = Some("Travel".into());
    w.core.add_alert_rule(travel).await.unwrap();
    // Editing the topic re-matches the stored articles: still no alert.
    let t = w.core.list_topics().await.unwrap().into_iter().find(|t| t.name == "Visa policy").unwrap();
    w.core
        .edit_topic(
            t.id,
            NewTopic {
                name: t.name.clone(),
                query: r#""visa-free" OR archive"#.into(),
                description: None,
                stem: false,
            },
            |_| {},
            CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(w.core.evaluate_alerts().await.unwrap().fired, 0);
    // Import: not news either.
    let file = w._dir.path().join("import.jsonl");
    std::fs::write(
        &file,
        r#"{"title": "Imported visa-free note", "text": "visa-free travel", "url": "https://x.example/1"}"#,
    )
    .unwrap();
    w.core.import(file).await.unwrap();
    assert_eq!(w.core.evaluate_alerts().await.unwrap().fired, 0);
    assert!(w.core.alerts(AlertQuery::default()).await.unwrap().is_empty());
    // A fresh article: it alerts (both rules).
    w.site.publish("Visa-free travel for students", "visa-free travel", w.clock.now());
    assert_eq!(fetch(&w).await.alerts.fired, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_daily_digest_in_moscow_fires_at_five_utc_with_its_own_periods_content() {
    let w = world(utc("2026-12-06T12:00:00Z")).await;
    let mut d = rule(AlertKind::Digest, &["inbox".to_string()]);
    d.every = Some(DigestEvery::Day);
    d.at = Some("08:00".into());
    d.tz = Some("Europe/Moscow".into());
    w.core.add_alert_rule(d).await.unwrap();
    w.clock.set(utc("2026-12-06T18:00:00Z"));
    w.site.publish("Visa-free travel, evening", "visa-free", w.clock.now());
    fetch(&w).await;
    // Before 05:00 UTC (08:00 in Moscow) nothing goes out.
    w.clock.set(utc("2026-12-07T04:59:00Z"));
    assert_eq!(w.core.evaluate_alerts().await.unwrap().fired, 0);
    // Stored after the scheduled time: belongs to the next digest.
    w.clock.set(utc("2026-12-07T05:00:30Z"));
    w.site.publish("Visa-free travel, morning", "visa-free", w.clock.now());
    fetch(&w).await;
    let alerts = w.core.alerts(AlertQuery::default()).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].count, 1);
    assert_eq!(alerts[0].mentions[0].title, "Visa-free travel, evening");
    assert_eq!(alerts[0].window.until, Some(utc("2026-12-07T05:00:00Z")));
    assert!(alerts[0].summary.contains("07 Dec 08:00 (Europe/Moscow)"), "{}", alerts[0].summary);
    // Nothing ran for two days: two digests at the next tick, each with its own period; the empty third
    // period sends nothing.
    w.clock.set(utc("2026-12-09T06:00:00Z"));
    assert_eq!(w.core.evaluate_alerts().await.unwrap().fired, 1);
    let alerts = w.core.alerts(AlertQuery::default()).await.unwrap();
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[0].mentions[0].title, "Visa-free travel, morning");
    assert_eq!(alerts[0].window.from, Some(utc("2026-12-07T05:00:00Z")));
    assert_eq!(alerts[0].window.until, Some(utc("2026-12-08T05:00:00Z")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_berlin_digest_keeps_eight_o_clock_across_the_daylight_saving_change() {
    let w = world(utc("2026-10-23T12:00:00Z")).await;
    let mut d = rule(AlertKind::Digest, &["inbox".to_string()]);
    d.tz = Some("Europe/Berlin".into());
    w.core.add_alert_rule(d).await.unwrap();
    // Summer time (UTC+2) until the 25th 03:00, winter time (UTC+1) after. An article every evening; the
    // rules are evaluated every half hour (and after each fetch).
    let mut fired_at = Vec::new();
    let mut t = utc("2026-10-23T20:00:00Z");
    while t < utc("2026-10-27T08:00:00Z") {
        w.clock.set(t);
        let fired = if t.format("%H:%M").to_string() == "20:00" {
            w.site.publish(&format!("Visa-free {t}"), "visa-free", t);
            fetch(&w).await.alerts.fired
        } else {
            w.core.evaluate_alerts().await.unwrap().fired
        };
        if fired > 0 {
            fired_at.push(t);
        }
        t += Duration::minutes(30);
    }
    assert_eq!(
        fired_at,
        vec![
            utc("2026-10-24T06:00:00Z"),
            utc("2026-10-25T07:00:00Z"),
            utc("2026-10-26T07:00:00Z"),
            utc("2026-10-27T07:00:00Z")
        ],
        "08:00 Berlin is 06:00 UTC in summer time and 07:00 UTC from the change (25 October, 03:00) on"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_hours_hold_alerts_then_send_them_once() {
    let w = world(utc("2026-12-07T21:00:00Z")).await;
    let mut d = rule(AlertKind::Instant, &["inbox".to_string()]);
    d.quiet = Some("22:00-07:00".into());
    d.tz = Some("UTC".into());
    w.core.add_alert_rule(d).await.unwrap();
    for h in ["2026-12-07T22:30:00Z", "2026-12-08T01:00:00Z", "2026-12-08T06:59:00Z"] {
        w.clock.set(utc(h));
        w.site.publish(&format!("Visa-free news at {h}"), "visa-free", w.clock.now());
        assert_eq!(fetch(&w).await.alerts.fired, 0, "quiet at {h}");
    }
    w.clock.set(utc("2026-12-08T07:00:30Z"));
    assert_eq!(w.core.evaluate_alerts().await.unwrap().fired, 1);
    let alerts = w.core.alerts(AlertQuery::default()).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].count, 3, "one alert covers the night");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_cores_on_one_database_fire_a_rule_once() {
    let w = world(utc("2026-12-07T09:00:00Z")).await;
    // In quiet hours while the fetch stores the news, so that the fetch's own evaluation leaves it; then the quiet
    // hours are cleared, and core A and core B (a second process's view of the same file, its own connections)
    // evaluate at once. (Not paused: a resumed rule skips what its pause covered.)
    let mut d = rule(AlertKind::Instant, &["inbox".to_string()]);
    d.quiet = Some("08:00-10:00".into());
    d.tz = Some("UTC".into());
    let r = w.core.add_alert_rule(d).await.unwrap();
    w.clock.advance(Duration::minutes(1));
    for i in 0..20 {
        w.site.publish(&format!("Visa-free item {i}"), "visa-free", w.clock.now());
    }
    let c = w.clock.clone();
    let other = Mediawatch::open(w.core.info().database_path).unwrap().with_clock(move || c.now());
    assert_eq!(fetch(&w).await.alerts.fired, 0);
    w.core.edit_alert_rule(r.id, AlertRuleDraft { quiet: Some(String::new()), ..Default::default() }).await.unwrap();
    let mut jobs = Vec::new();
    for i in 0..10 {
        let core = if i % 2 == 0 { w.core.clone() } else { other.clone() };
        jobs.push(tokio::spawn(async move { core.evaluate_alerts().await.unwrap().fired }));
    }
    let mut fired = 0;
    for j in jobs {
        fired += j.await.unwrap();
    }
    let alerts = w.core.alerts(AlertQuery::default()).await.unwrap();
    assert_eq!(alerts.len(), 1, "one alert in all");
    assert_eq!(fired, 1, "ten evaluations at once, one of them fired");
    assert_eq!(alerts[0].count, 20);
}

#[tokio::test(flavor = "multi_thread")]
async fn e_mail_reaches_the_smtp_sink_as_text_and_html() {
    let w = world(utc("2026-12-07T09:00:00Z")).await;
    let sink = SmtpSink::start();
    w.core.set_setting("smtp.host".into(), "127.0.0.1".into()).await.unwrap();
    w.core.set_setting("smtp.port".into(), sink.port().to_string()).await.unwrap();
    w.core.set_setting("smtp.security".into(), "none".into()).await.unwrap();
    w.core.set_setting("smtp.from".into(), "mediawatch@example.org".into()).await.unwrap();
    w.core.set_setting("smtp.user".into(), "analyst".into()).await.unwrap();
    w.core.set_secret("smtp.password".into(), "s3cret-pass\n".into()).await.unwrap();
    w.core.add_alert_rule(rule(AlertKind::Instant, &["email:director@example.org".to_string()])).await.unwrap();
    w.clock.advance(Duration::minutes(1));
    w.site.publish("Безвизовый режим: новости", "Россия и Китай расширяют безвизовый режим.", w.clock.now());
    let s = fetch(&w).await;
    assert_eq!((s.alerts.fired, s.alerts.delivered), (1, 1), "{:?}", s.alerts);
    let msgs = sink.messages();
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(m.to, vec!["director@example.org".to_string()]);
    assert_eq!(m.auth_user.as_deref(), Some("analyst"));
    let raw = &m.data;
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(!raw.contains("s3cret-pass"));
    // Part by part: each part's body decoded as its Content-Transfer-Encoding says.
    let boundary = raw.split("boundary=\"").nth(1).and_then(|b| b.split('"').next()).expect("a boundary");
    let mut parts = std::collections::HashMap::new();
    for part in raw.split(&format!("--{boundary}")).skip(1) {
        let Some((head, body)) = part.split_once("\r\n\r\n") else { continue };
        let head = head.to_ascii_lowercase();
        let kind = if head.contains("text/plain") {
            "text"
        } else if head.contains("text/html") {
            "html"
        } else {
            continue;
        };
        let body = if head.contains("base64") {
            use base64::Engine;
            let b64: String = body.split_whitespace().collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap()
        } else if head.contains("quoted-printable") {
            let joined = body.replace("=\r\n", "");
            let bytes = joined.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'=' && i + 2 < bytes.len() {
                    out.push(u8::from_str_radix(&joined[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        } else {
            body.to_string()
        };
        parts.insert(kind, body);
    }
    let text = parts.get("text").expect("a text/plain part");
    let html = parts.get("html").expect("a text/html part");
    assert!(
        text.contains("Безвизовый режим: новости")
            && text.contains("matched: Безвизовый")
            && !text.contains("Безвизовый, безвизовый"),
        "{text}"
    );
    assert!(html.contains("расширяют <mark>безвизовый</mark> режим"), "{html}");
    let subject = raw.lines().find(|l| l.starts_with("Subject:")).unwrap_or_default();
    assert!(subject.is_ascii() && subject.contains("=?"), "an RFC 2047 encoded subject: {subject}");
    let a = &w.core.alerts(AlertQuery::default()).await.unwrap()[0];
    assert_eq!(a.deliveries[0].status, DeliveryStatus::Delivered);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spike_alerts_once_and_again_only_after_the_count_went_back_to_normal() {
    let w = world(utc("2026-11-20T00:00:00Z")).await;
    // Two mentions a day for two weeks (published at 10:00), stored as they came.
    for day in 0..16 {
        let t = utc("2026-11-20T10:00:00Z") + Duration::days(day);
        w.clock.set(t);
        for i in 0..2 {
            w.site.publish(&format!("Visa-free note {day}-{i}"), "visa-free", t - Duration::minutes(i));
        }
        fetch(&w).await;
    }
    let mut d = rule(AlertKind::Spike, &["inbox".to_string()]);
    d.sensitivity = Some(SpikeSensitivity::Medium);
    w.core.add_alert_rule(d).await.unwrap();
    // A burst: 15 in the morning of the 7th.
    let burst = utc("2026-12-07T09:00:00Z");
    w.clock.set(burst);
    for i in 0..15 {
        w.site.publish(&format!("Visa-free burst {i}"), "visa-free", burst - Duration::minutes(i));
    }
    assert_eq!(fetch(&w).await.alerts.fired, 1);
    let a = &w.core.alerts(AlertQuery::default()).await.unwrap()[0];
    assert_eq!(a.kind, AlertKind::Spike);
    assert!(a.count >= 15, "{} {:?} {}", a.count, a.baseline, a.summary);
    assert!(a.baseline.unwrap() < 3.0);
    assert!(a.summary.contains("mentions in 6 h"), "{}", a.summary);
    // Still unusual an hour later: no second alert for the same spike.
    w.clock.advance(Duration::hours(1));
    assert_eq!(w.core.evaluate_alerts().await.unwrap().fired, 0);
    // Back to normal (the burst left the window), then a new burst: a new alert.
    w.clock.set(utc("2026-12-07T20:00:00Z"));
    assert_eq!(w.core.evaluate_alerts().await.unwrap().fired, 0);
    let burst = utc("2026-12-08T02:00:00Z");
    w.clock.set(burst);
    for i in 0..12 {
        w.site.publish(&format!("Visa-free second burst {i}"), "visa-free", burst - Duration::minutes(i));
    }
    assert_eq!(fetch(&w).await.alerts.fired, 1);
    assert_eq!(w.core.alerts(AlertQuery::default()).await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rules_test_reports_each_channel_and_claims_nothing() {
    let w = world(utc("2026-12-07T09:00:00Z")).await;
    let ok = WebhookReceiver::start(vec![]);
    let channels =
        vec![format!("webhook:{}", ok.url()), "webhook:http://127.0.0.1:9/refused".to_string(), "inbox".to_string()];
    let r = w.core.add_alert_rule(rule(AlertKind::Instant, &channels)).await.unwrap();
    let outcomes = w.core.test_alert_rule(r.id).await.unwrap();
    assert_eq!(outcomes.len(), 3);
    assert!(outcomes[0].ok, "{:?}", outcomes[0]);
    assert!(!outcomes[1].ok);
    assert!(outcomes[1].error.as_deref().unwrap().contains("127.0.0.1"), "{:?}", outcomes[1]);
    assert!(outcomes[2].ok);
    assert_eq!(ok.requests().len(), 1);
    let alerts = w.core.alerts(AlertQuery::default()).await.unwrap();
    assert!(alerts[0].test);
    // The refused test delivery is not retried later.
    w.clock.advance(Duration::hours(2));
    let run = w.core.deliver_alerts().await.unwrap();
    assert_eq!(run.pending, 0);
    // And a real article still alerts afterwards.
    w.site.publish("Visa-free after the test", "visa-free", w.clock.now());
    assert_eq!(fetch(&w).await.alerts.fired, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn new_stories_only_counts_syndicated_copies_once() {
    let w = world(utc("2026-12-07T09:00:00Z")).await;
    let second = Site::default();
    let feed = second.clone();
    w.server.route("/copy.xml", move |_| Response::ok("application/rss+xml; charset=utf-8", feed.rss()));
    w.core
        .add_source(NewSource { url: w.server.url("/copy.xml"), name: None, interval_minutes: None, full_text: None })
        .await
        .unwrap();
    let mut d = rule(AlertKind::Instant, &["inbox".to_string()]);
    d.new_stories_only = Some(true);
    w.core.add_alert_rule(d).await.unwrap();
    let story = "MOSCOW, Dec 7 — Russia and China agreed on Monday to extend visa-free travel for tourist groups of five to fifty people, the foreign ministries of both countries said in a joint statement published after talks between the two delegations in Beijing. The arrangement, first introduced in 2000, covers organised tours booked through accredited agencies and will remain in force for another three years, officials said.";
    w.site.publish("Russia, China extend visa-free group travel", story, w.clock.now());
    second.publish("Russia and China extend visa-free travel for groups", story, w.clock.now());
    fetch(&w).await;
    let alerts = w.core.alerts(AlertQuery::default()).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].count, 1, "two copies of one agency story count once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resumed_rule_skips_what_its_pause_covered() {
    let w = world(utc("2026-12-07T09:00:00Z")).await;
    let instant = w.core.add_alert_rule(rule(AlertKind::Instant, &["inbox".to_string()])).await.unwrap();
    let mut d = rule(AlertKind::Digest, &["inbox".to_string()]);
    d.every = Some(DigestEvery::Hour);
    d.tz = Some("UTC".into());
    let digest = w.core.add_alert_rule(d).await.unwrap();
    let pause = |paused: bool| AlertRuleDraft { paused: Some(paused), ..Default::default() };
    w.core.edit_alert_rule(instant.id, pause(true)).await.unwrap();
    w.core.edit_alert_rule(digest.id, pause(true)).await.unwrap();
    // Five paused hours with news in each.
    for h in 10..15 {
        w.clock.set(utc(&format!("2026-12-07T{h}:10:00Z")));
        w.site.publish(&format!("Visa-free news at {h}"), "visa-free", w.clock.now());
        assert_eq!(fetch(&w).await.alerts.fired, 0, "paused at {h}:10");
    }
    w.clock.set(utc("2026-12-07T15:30:00Z"));
    w.core.edit_alert_rule(instant.id, pause(false)).await.unwrap();
    w.core.edit_alert_rule(digest.id, pause(false)).await.unwrap();
    assert_eq!(w.core.evaluate_alerts().await.unwrap().fired, 0, "no backlog alert, no catch-up digests");
    // What comes after the resume alerts as usual.
    w.clock.set(utc("2026-12-07T15:40:00Z"));
    w.site.publish("Visa-free news after the pause", "visa-free", w.clock.now());
    assert_eq!(fetch(&w).await.alerts.fired, 1, "the instant rule");
    let alerts = w.core.alerts(AlertQuery::default()).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].count, 1, "{}", alerts[0].summary);
    assert_eq!(alerts[0].mentions[0].title, "Visa-free news after the pause");
    // The hourly digest's first period after the resume: one digest (the pause's news is not split into a
    // digest per missed hour).
    w.clock.set(utc("2026-12-07T16:00:30Z"));
    assert_eq!(w.core.evaluate_alerts().await.unwrap().fired, 1);
    let alerts = w.core.alerts(AlertQuery { rule: Some(digest.id), ..Default::default() }).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].window.from, Some(utc("2026-12-07T15:00:00Z")));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_article_the_edited_topic_no_longer_flags_does_not_alert() {
    let w = world(utc("2026-12-07T09:00:00Z")).await;
    // Quiet hours hold the news while the topic is edited.
    let mut d = rule(AlertKind::Instant, &["inbox".to_string()]);
    d.quiet = Some("08:00-10:00".into());
    d.tz = Some("UTC".into());
    let r = w.core.add_alert_rule(d).await.unwrap();
    w.clock.advance(Duration::minutes(1));
    w.site.publish("Visa-free travel to China", "visa-free", w.clock.now());
    w.site.publish("Безвизовый режим продлён", "безвизовый режим", w.clock.now());
    assert_eq!(fetch(&w).await.alerts.fired, 0);
    let t = w.core.list_topics().await.unwrap().into_iter().find(|t| t.name == "Visa policy").unwrap();
    let narrower = NewTopic { name: t.name.clone(), query: "\"visa-free\"".into(), description: None, stem: false };
    w.core.edit_topic(t.id, narrower, |_| {}, CancellationToken::new()).await.unwrap();
    w.core.edit_alert_rule(r.id, AlertRuleDraft { quiet: Some(String::new()), ..Default::default() }).await.unwrap();
    assert_eq!(w.core.evaluate_alerts().await.unwrap().fired, 1);
    let alerts = w.core.alerts(AlertQuery::default()).await.unwrap();
    assert_eq!(alerts[0].count, 1, "{}", alerts[0].summary);
    assert_eq!(alerts[0].mentions[0].title, "Visa-free travel to China");
}
