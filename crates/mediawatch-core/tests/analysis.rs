//! The Analysis page and the Overview's cards through the core: volume per day of a zone, share, sources,
//! languages and stories against the stored articles, after an import (the real write path).

use chrono::{DateTime, TimeZone, Utc};
use mediawatch_core::model::{AnalysisQuery, CardsQuery, Interval, NewTopic};
use mediawatch_core::Mediawatch;

const STORY: &str = "BRICS foreign ministers agreed on Tuesday to draft a joint statement on reform of the United \
Nations Security Council and to set up a working group on settlements in national currencies, Russian Foreign \
Minister Sergei Lavrov told reporters after a two-day meeting in Moscow. The meeting brought together the \
ministers of Brazil, Russia, India, China and South Africa as well as the new members Egypt, Ethiopia, Iran and \
the United Arab Emirates. Lavrov said the talks had been frank and constructive.";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 7, 12, 0, 0).unwrap()
}

async fn core(dir: &tempfile::TempDir) -> Mediawatch {
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap().with_clock(now);
    for (name, query) in [("BRICS", "BRICS OR БРИКС"), ("SCO", "SCO OR ШОС")] {
        core.add_topic(NewTopic { name: name.into(), query: query.into(), description: None, stem: false })
            .await
            .unwrap();
    }
    let a = |id: &str, source: &str, published: &str, lang: &str, title: &str, text: &str| {
        serde_json::json!({"id": id, "source": source, "published": published, "lang": lang, "title": title,
            "text": text, "url": format!("https://{}.example/{id}", source.to_lowercase())})
        .to_string()
    };
    let lines = [
        // 23:30 UTC on the 2nd is the 3rd in Moscow (UTC+3).
        a("a1", "Reuters", "2026-11-02T23:30:00Z", "en", "BRICS ministers meet in Moscow", STORY),
        // A copy of a1 at another outlet: one story of two articles.
        a("a2", "Xinhua", "2026-11-03T09:00:00Z", "en", "BRICS ministers agree to draft a statement", STORY),
        a("a3", "TASS", "2026-11-04T09:00:00Z", "ru", "БРИКС и ШОС", "Министры БРИКС и ШОС встретились в Москве."),
        a("a4", "TASS", "2026-11-05T09:00:00Z", "en", "SCO summit", "The SCO summit opened on Thursday."),
        a("a5", "Reuters", "2026-10-20T09:00:00Z", "en", "BRICS earlier", "BRICS met before the period."),
    ];
    let file = dir.path().join("a.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    assert_eq!(core.import(file).await.unwrap().new_articles, 5);
    core
}

#[tokio::test]
async fn the_analysis_counts_days_of_its_zone_shares_sources_languages_and_stories() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir).await;
    // Moscow's 1st to 6th of November.
    let q = AnalysisQuery {
        topics: vec![],
        since: Utc.with_ymd_and_hms(2026, 10, 31, 21, 0, 0).unwrap(),
        until: Utc.with_ymd_and_hms(2026, 11, 6, 21, 0, 0).unwrap(),
        interval: Interval::Day,
        timezone: Some("Europe/Moscow".into()),
    };
    let a = core.analysis(q.clone()).await.unwrap();
    assert_eq!(a.timezone, "Europe/Moscow");
    assert_eq!(a.buckets.len(), 6);
    assert_eq!(a.buckets[1], Utc.with_ymd_and_hms(2026, 11, 1, 21, 0, 0).unwrap(), "Moscow's midnight of the 2nd");
    let series: Vec<(&str, &[u32], u32)> =
        a.series.iter().map(|s| (s.topic.as_str(), &s.counts[..], s.total)).collect();
    assert_eq!(series, [("BRICS", &[0, 0, 2, 1, 0, 0][..], 3), ("SCO", &[0, 0, 0, 1, 1, 0][..], 2)]);
    assert_eq!(a.articles, 4, "a3 is flagged by both topics and counted once; a5 is before the period");
    let sources: Vec<(&str, u32)> = a.sources.iter().map(|s| (s.label.as_str(), s.articles)).collect();
    assert_eq!(sources, [("TASS", 2), ("Reuters", 1), ("Xinhua", 1)]);
    let languages: Vec<(&str, u32)> = a.languages.iter().map(|s| (s.label.as_str(), s.articles)).collect();
    assert_eq!(languages, [("en", 3), ("ru", 1)]);
    let top = &a.stories[0];
    assert_eq!((top.title.as_str(), top.articles, top.outlets), ("BRICS ministers meet in Moscow", 2, 2));
    assert_eq!(a.stories.len(), 3);

    // One topic by hour: the same mentions, in hours.
    let hourly = core
        .analysis(AnalysisQuery { topics: vec!["SCO".into()], interval: Interval::Hour, ..q.clone() })
        .await
        .unwrap();
    assert_eq!(hourly.buckets.len(), 6 * 24);
    assert_eq!(hourly.series.len(), 1);
    assert_eq!(hourly.series[0].total, 2);
    assert_eq!(hourly.series[0].counts.iter().filter(|&&n| n > 0).count(), 2);

    // Bad input names the problem.
    let err = core.analysis(AnalysisQuery { topics: vec!["Nope".into()], ..q.clone() }).await.unwrap_err();
    assert!(err.to_string().contains("no topic named 'Nope'"), "{err}");
    let err = core.analysis(AnalysisQuery { timezone: Some("Mars/Olympus".into()), ..q }).await.unwrap_err();
    assert!(err.to_string().contains("IANA zone"), "{err}");
}

#[tokio::test]
async fn an_overview_card_has_thirty_days_and_the_newest_headlines() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir).await;
    let cards = core
        .topic_cards(CardsQuery { since: now() - chrono::Duration::days(1), timezone: Some("UTC".into()) })
        .await
        .unwrap();
    let brics = cards.iter().find(|c| c.topic == "BRICS").unwrap();
    assert_eq!(brics.daily.len(), 30);
    // Today (the 7th) last: the 3rd has a2, the 4th a3, the 2nd a1 (UTC); a5 on 20 October.
    assert_eq!(&brics.daily[24..], &[1, 1, 1, 0, 0, 0]);
    assert_eq!(brics.daily.iter().sum::<u32>(), 4);
    let titles: Vec<&str> = brics.latest.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["БРИКС и ШОС", "BRICS ministers agree to draft a statement", "BRICS ministers meet in Moscow"]);
    assert_eq!(brics.new_mentions, 0, "an import is not news");
    assert_eq!(brics.spike, None);
}

#[tokio::test]
async fn a_source_has_its_articles_per_day() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(&dir).await;
    let activity = core.source_activity(Some("Europe/Moscow".into())).await.unwrap();
    let sources = core.list_sources().await.unwrap();
    let named = |name: &str| {
        let id = sources.iter().find(|s| s.name == name).unwrap().id;
        activity.iter().find(|a| a.source_id == id).unwrap().daily.clone()
    };
    let tass = named("TASS");
    assert_eq!(tass.len(), 30);
    // Moscow's 4th and 5th (a3, a4); today, the 7th, last.
    assert_eq!(&tass[26..], &[1, 1, 0, 0]);
    // a1 at 23:30 UTC on the 2nd is the 3rd in Moscow; a5 on 20 October.
    let reuters = named("Reuters");
    assert_eq!(reuters[25], 1);
    assert_eq!(reuters.iter().sum::<u32>(), 2);
}
