use chrono::{TimeZone, Utc};

use super::*;
use crate::topics::Kwic;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn add(f: &mut Figures, id: Id, story: Id, source: &str, t: DateTime<Utc>, lang: &str, topics: &[&str]) {
    let topics: Vec<String> = topics.iter().map(|s| s.to_string()).collect();
    f.add(&Seen { id, story, source, sort_at: t, lang: Some(lang), topics: &topics, url: None });
}

/// Newest first, as the store hands them out: story 1 is three copies (TASS first), story 4 stands alone.
fn figures() -> Figures {
    let mut f = Figures::default();
    add(&mut f, 5, 1, "Xinhua", at(3, 9), "en", &["BRICS"]);
    add(&mut f, 4, 4, "TASS", at(2, 12), "ru", &["BRICS", "SCO"]);
    add(&mut f, 3, 1, "RT", at(2, 10), "en", &["BRICS"]);
    add(&mut f, 1, 1, "TASS", at(1, 8), "ru", &["BRICS", "Visa"]);
    f
}

#[test]
fn copies_fold_into_their_story_and_count_once() {
    let f = figures();
    let s = f.summary(None, None, Tz::UTC);
    assert_eq!((s.mentions, s.articles, s.stories, s.sources), (6, 4, 2, 3));
    let brics = s.per_topic.iter().find(|c| c.label == "BRICS").unwrap();
    assert_eq!((brics.stories, brics.articles), (2, 4));
    // Stories go to the outlet that published first; articles to each.
    let tass = s.per_source.iter().find(|c| c.label == "TASS").unwrap();
    assert_eq!((tass.stories, tass.articles), (2, 2));
    let rt = s.per_source.iter().find(|c| c.label == "RT").unwrap();
    assert_eq!((rt.stories, rt.articles), (0, 1));
    // The story's language is its first copy's.
    assert_eq!(s.per_lang, vec![Count { label: "ru".into(), stories: 2, articles: 4 }]);
    // The first copy lists the others; a later copy names the first.
    let (copies, of) = f.place(1, 1);
    assert_eq!((copies.iter().map(|c| c.id).collect::<Vec<_>>(), of), (vec![3, 5], None));
    let (copies, of) = f.place(1, 5);
    assert_eq!((copies.iter().map(|c| c.source.as_str()).collect::<Vec<_>>(), of), (vec!["TASS", "RT"], Some(1)));
}

#[test]
fn the_volume_has_a_bucket_for_every_day_of_the_period_zeros_included() {
    let s = figures().summary(Some(at(1, 0)), Some(at(5, 0)), Tz::UTC);
    assert_eq!(s.bucket, Bucket::Day);
    assert_eq!(s.buckets, ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]);
    // By the story's first copy: story 1 on the 1st, story 4 on the 2nd.
    assert_eq!(s.total, [1, 1, 0, 0]);
    let sco = s.series.iter().find(|x| x.topic == "SCO").unwrap();
    assert_eq!(sco.counts, [0, 1, 0, 0]);
    let long = figures().summary(Some(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()), Some(at(5, 0)), Tz::UTC);
    assert_eq!(long.bucket, Bucket::Week);
    assert!(long
        .buckets
        .iter()
        .all(|b| NaiveDate::parse_from_str(b, "%Y-%m-%d").unwrap().weekday() == chrono::Weekday::Mon));
    assert_eq!(long.total.iter().sum::<u64>(), 2);
    let empty = Figures::default().summary(None, None, Tz::UTC);
    assert!(empty.buckets.is_empty() && empty.total.is_empty());
}

#[test]
fn numbers_read_as_words() {
    assert_eq!(thousands(1_284), "1,284");
    assert_eq!(thousands(1_000_000), "1,000,000");
    assert_eq!(thousands(12), "12");
    assert_eq!(plural(1, "story"), "1 story");
    assert_eq!(plural(312, "story"), "312 stories");
    assert_eq!(plural(1_284, "mention"), "1,284 mentions");
}

#[test]
fn marked_words_are_escaped_and_wrapped() {
    let k = Kwic { text: "<b>BRICS</b> & ШОС".into(), highlights: vec![(3, 8), (15, 21)] };
    assert_eq!(html::kwic_html(&k), "&lt;b&gt;<mark>BRICS</mark>&lt;/b&gt; &amp; <mark>ШОС</mark>");
    assert_eq!(html::escape("\"'"), "&quot;&#39;");
}

#[test]
fn a_story_of_thousands_of_copies_lists_at_most_max_copies_with_each() {
    let mut f = Figures::default();
    for id in (1..=200).rev() {
        add(&mut f, id, 1, &format!("Site {id}"), at(1, 0) + chrono::Duration::minutes(id), "en", &["BRICS"]);
    }
    let (copies, of) = f.place(1, 1);
    assert_eq!((copies.len(), of), (MAX_COPIES, None));
    assert_eq!(copies[0].id, 2, "the oldest copies first");
    assert_eq!(f.place(1, 150).0.len(), MAX_COPIES);
    assert_eq!(f.summary(None, None, Tz::UTC).stories, 1);
}

#[test]
fn days_are_the_report_zones_days() {
    let mut f = Figures::default();
    // 20:00 UTC on the 2nd is 04:00 on the 3rd in Shanghai.
    add(&mut f, 1, 1, "Xinhua", at(2, 20), "zh", &["BRICS"]);
    let utc = f.summary(Some(at(1, 0)), Some(at(5, 0)), Tz::UTC);
    assert_eq!(utc.total, [0, 1, 0, 0]);
    let shanghai = f.summary(Some(at(1, 0)), Some(at(5, 0)), Tz::Asia__Shanghai);
    // The period runs from 08:00 on the 1st to 08:00 on the 5th there: five days, the story on the 3rd.
    assert_eq!(shanghai.buckets, ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"]);
    assert_eq!(shanghai.total, [0, 0, 1, 0, 0]);
    assert_eq!(day(at(2, 20), Tz::Asia__Shanghai), "3 Nov 2026");
    assert_eq!(minute(at(2, 20), Tz::Asia__Shanghai), "3 Nov 2026 04:00 Asia/Shanghai");
    assert_eq!(minute(at(2, 20), Tz::UTC), "2 Nov 2026 20:00 UTC");
    assert_eq!(stamp(at(2, 20), Tz::Europe__Moscow), "2026-11-02 23:00");
}
