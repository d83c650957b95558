//! How an alert reads in each channel: its summary line, the chat text, the webhook body of
//! `../shared/design/CLI.md` ("Alert deliveries"), ntfy's title and message, the e-mail's plain-text and HTML
//! parts (snippets with the matched words highlighted), and the desktop notification.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde_json::json;

use crate::model::{Alert, AlertKind, AlertMention};

/// Articles named in a summary line and in chat text; the rest are counted.
pub const TITLES_IN_SUMMARY: usize = 3;
const ARTICLES_IN_TEXT: usize = 5;

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// "3 new mentions of Visa policy: First title; Second title; Third title"
pub fn instant_summary(topic: &str, count: u32, titles: &[&str]) -> String {
    let names: Vec<String> = titles.iter().take(TITLES_IN_SUMMARY).map(|t| shorten(t, 90)).collect();
    let more = count as usize - names.len().min(count as usize);
    let mut s = format!("{} of {topic}: {}", plural(count, "new mention", "new mentions"), names.join("; "));
    if more > 0 {
        s.push_str(&format!(" (and {more} more)"));
    }
    s
}

/// "Daily digest of Belt and Road: 12 mentions, 07 Dec 08:00 – 08 Dec 08:00 (Europe/Moscow)"
pub fn digest_summary(
    topic: &str,
    every: &str,
    count: u32,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    tz: Tz,
) -> String {
    let f = |t: DateTime<Utc>| t.with_timezone(&tz).format("%d %b %H:%M").to_string();
    format!(
        "{every} digest of {topic}: {}, {} – {} ({})",
        plural(count, "mention", "mentions"),
        f(from),
        f(until),
        tz.name()
    )
}

/// "Spike in SCO: 15 mentions in 6 h, usually 2"
pub fn spike_summary(topic: &str, description: &str) -> String {
    format!("Spike in {topic}: {description}")
}

/// The summary of a test alert.
pub fn test_summary(rule: &str, topic: &str) -> String {
    format!("Test of the alert rule \"{rule}\" ({topic}): if you read this, the channel works")
}

fn article_line(m: &AlertMention) -> String {
    let url = m.url.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    format!("• {} — {}{url}", shorten(&m.title, 140), m.source)
}

/// A few lines a chat app shows as they are (Slack, Mattermost, Discord, Teams workflows).
pub fn text(alert: &Alert) -> String {
    let mut lines = vec![format!("Mediawatch: {}", alert.summary)];
    for m in alert.mentions.iter().take(ARTICLES_IN_TEXT) {
        lines.push(article_line(m));
    }
    let more = alert.mentions.len().saturating_sub(ARTICLES_IN_TEXT);
    if more > 0 {
        lines.push(format!("…and {more} more in the Mediawatch inbox"));
    }
    lines.join("\n")
}

/// The webhook body of `../shared/design/CLI.md` ("Alert deliveries").
pub fn webhook_body(alert: &Alert) -> String {
    let text = text(alert);
    let articles: Vec<_> = alert
        .mentions
        .iter()
        .map(|m| {
            json!({
                "title": m.title, "url": m.url, "source": m.source, "published": m.published,
                "lang": m.lang, "snippet": m.snippet, "terms": m.terms,
            })
        })
        .collect();
    json!({
        "text": text,
        "content": shorten(&text, 2000),
        "alert": {
            "id": alert.id, "rule_id": alert.rule_id, "rule": alert.rule, "topic": alert.topic,
            "kind": alert.kind.as_str(), "created_at": alert.created_at, "summary": alert.summary,
            "count": alert.count, "baseline": alert.baseline,
            "window": {"from": alert.window.from, "until": alert.window.until},
            "articles": articles,
        }
    })
    .to_string()
}

/// ntfy: (title, message, tags, click URL: the first article).
pub fn ntfy(alert: &Alert) -> (String, String, Vec<&'static str>, Option<String>) {
    let tags = match alert.kind {
        AlertKind::Instant => vec!["newspaper"],
        AlertKind::Digest => vec!["newspaper", "calendar"],
        AlertKind::Spike => vec!["chart_with_upwards_trend"],
    };
    let mut body: Vec<String> = alert.mentions.iter().take(ARTICLES_IN_TEXT).map(article_line).collect();
    if body.is_empty() {
        body.push(alert.summary.clone());
    }
    let click = alert.mentions.iter().find_map(|m| m.url.clone());
    (format!("{}: {}", alert.topic, kind_word(alert.kind)), body.join("\n"), tags, click)
}

fn kind_word(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::Instant => "new mentions",
        AlertKind::Digest => "digest",
        AlertKind::Spike => "spike",
    }
}

/// A desktop notification: (title, body).
pub fn desktop(alert: &Alert) -> (String, String) {
    let body = match alert.mentions.first() {
        Some(m) if alert.kind != AlertKind::Spike => {
            let more = alert.mentions.len().saturating_sub(1);
            if more > 0 {
                format!("{} — {} (+{more} more)", shorten(&m.title, 100), m.source)
            } else {
                format!("{} — {}", shorten(&m.title, 100), m.source)
            }
        }
        _ => shorten(&alert.summary, 160),
    };
    (format!("{}: {}", alert.topic, kind_word(alert.kind)), body)
}

fn escape(s: &str) -> String {
    // One HTML escape for the e-mails and the reports.
    crate::reports::html_escape(s)
}

/// The snippet as HTML, each matched word wrapped in `<mark>` (found case-insensitively).
pub fn highlight_html(snippet: &str, terms: &[String]) -> String {
    let lower: Vec<char> = snippet.chars().flat_map(char::to_lowercase).collect();
    let chars: Vec<char> = snippet.chars().collect();
    // Lower-casing can change the length of a few characters; highlight only when it does not.
    if lower.len() != chars.len() {
        return escape(snippet);
    }
    let mut marked = vec![false; chars.len()];
    for term in terms {
        let t: Vec<char> = term.chars().flat_map(char::to_lowercase).collect();
        if t.is_empty() || t.len() > lower.len() {
            continue;
        }
        for i in 0..=lower.len() - t.len() {
            if lower[i..i + t.len()] == t[..] {
                marked[i..i + t.len()].iter_mut().for_each(|m| *m = true);
            }
        }
    }
    let mut out = String::new();
    let mut open = false;
    for (i, c) in chars.iter().enumerate() {
        if marked[i] != open {
            out.push_str(if marked[i] { "<mark>" } else { "</mark>" });
            open = marked[i];
        }
        out.push_str(&escape(&c.to_string()));
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// The e-mail: (subject, plain text, HTML).
pub fn email(alert: &Alert) -> (String, String, String) {
    let subject = format!("[Mediawatch] {}", shorten(&alert.summary, 150));
    let mut plain = vec![alert.summary.clone(), String::new()];
    let mut html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family: 'Noto Sans', Arial, sans-serif; color: #1b1f24; max-width: 720px\">\
         <h2 style=\"font-size: 18px\">{}</h2>",
        escape(&subject),
        escape(&alert.summary)
    );
    for m in &alert.mentions {
        let when = m.published.map(|p| p.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
        plain.push(format!(
            "{} — {}{}",
            m.title,
            m.source,
            if when.is_empty() { String::new() } else { format!(", {when}") }
        ));
        if let Some(u) = &m.url {
            plain.push(u.clone());
        }
        if !m.snippet.is_empty() {
            plain.push(format!("  {}", m.snippet));
        }
        if !m.terms.is_empty() {
            plain.push(format!("  matched: {}", m.terms.join(", ")));
        }
        plain.push(String::new());
        let title = match &m.url {
            Some(u) => format!("<a href=\"{}\">{}</a>", escape(u), escape(&m.title)),
            None => escape(&m.title),
        };
        html.push_str(&format!(
            "<div style=\"margin: 0 0 16px\"><div style=\"font-size: 15px; font-weight: 600\">{title}</div>\
             <div style=\"color: #57606a; font-size: 12px\">{}{}</div>\
             <div style=\"font-size: 14px; margin-top: 4px\">{}</div></div>",
            escape(&m.source),
            if when.is_empty() { String::new() } else { format!(" · {}", escape(&when)) },
            highlight_html(&m.snippet, &m.terms)
        ));
    }
    if alert.mentions.is_empty() && alert.test {
        plain.push("This is a test alert; it covers no mentions.".into());
        html.push_str("<p>This is a test alert; it covers no mentions.</p>");
    }
    plain.push("— Mediawatch".into());
    html.push_str("<p style=\"color: #57606a; font-size: 12px\">— Mediawatch</p></body></html>");
    (subject, plain.join("\n"), html)
}

/// "6 h", "14 d", "90 min"
pub fn duration_words(d: Duration) -> String {
    let m = d.num_minutes();
    if m % (24 * 60) == 0 {
        format!("{} d", m / (24 * 60))
    } else if m % 60 == 0 {
        format!("{} h", m / 60)
    } else {
        format!("{m} min")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AlertWindow, Id};

    fn alert(n: usize) -> Alert {
        let mentions = (0..n)
            .map(|i| AlertMention {
                article_id: i as Id,
                title: format!("Визовый режим {i}"),
                url: Some(format!("https://news.example/{i}")),
                source: "TV BRICS".into(),
                published: None,
                lang: Some("ru".into()),
                snippet: "Россия и Китай вводят безвизовый режим <для> групп".into(),
                terms: vec!["безвизовый режим".into()],
            })
            .collect();
        Alert {
            id: 7,
            rule_id: Some(3),
            rule: "Visa policy (instant)".into(),
            topic: "Visa policy".into(),
            kind: AlertKind::Instant,
            created_at: DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z").unwrap().with_timezone(&Utc),
            read: false,
            test: false,
            summary: instant_summary("Visa policy", n as u32, &["Визовый режим 0"]),
            count: n as u32,
            baseline: None,
            window: AlertWindow { from: None, until: None },
            mentions,
            deliveries: vec![],
        }
    }

    #[test]
    fn summaries_read_as_sentences() {
        assert_eq!(instant_summary("Visa policy", 1, &["A"]), "1 new mention of Visa policy: A");
        assert_eq!(
            instant_summary("Visa policy", 5, &["A", "B", "C", "D"]),
            "5 new mentions of Visa policy: A; B; C (and 2 more)"
        );
        let from = DateTime::parse_from_rfc3339("2026-12-06T05:00:00Z").unwrap().with_timezone(&Utc);
        let s = digest_summary("BRI", "Daily", 12, from, from + Duration::days(1), chrono_tz::Europe::Moscow);
        assert_eq!(s, "Daily digest of BRI: 12 mentions, 06 Dec 08:00 – 07 Dec 08:00 (Europe/Moscow)");
        assert_eq!(duration_words(Duration::hours(6)), "6 h");
    }

    #[test]
    fn the_webhook_body_has_the_documented_fields() {
        let body: serde_json::Value = serde_json::from_str(&webhook_body(&alert(7))).unwrap();
        assert!(body["text"].as_str().unwrap().contains("…and 2 more"));
        assert_eq!(body["text"], body["content"]);
        let a = &body["alert"];
        for key in ["id", "rule_id", "rule", "topic", "kind", "created_at", "summary", "count", "baseline", "window"] {
            assert!(a.get(key).is_some(), "alert.{key} missing");
        }
        assert_eq!(a["kind"], "instant");
        assert_eq!(a["articles"].as_array().unwrap().len(), 7);
        let first = &a["articles"][0];
        for key in ["title", "url", "source", "published", "lang", "snippet", "terms"] {
            assert!(first.get(key).is_some(), "article.{key} missing");
        }
        assert_eq!(first["terms"][0], "безвизовый режим");
    }

    #[test]
    fn e_mail_highlights_the_matched_words_and_escapes_the_rest() {
        let (subject, plain, html) = email(&alert(2));
        assert!(subject.starts_with("[Mediawatch] 2 new mentions of Visa policy"));
        assert!(plain.contains("https://news.example/1") && plain.contains("matched: безвизовый режим"));
        assert!(html.contains("<mark>безвизовый режим</mark>"), "{html}");
        assert!(html.contains("&lt;для&gt;") && !html.contains("<для>"));
        assert_eq!(highlight_html("BRICS and brics", &["brics".into()]), "<mark>BRICS</mark> and <mark>brics</mark>");
    }
}
