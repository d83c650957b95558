//! The Analysis page and the Overview's topic cards. The store counts (`store/analysis.rs`: mentions per
//! topic and hour, one walk of a period for the breakdowns); here the hours are folded into the chart's
//! buckets, the days of the analyst's zone, and the cards' spike test is run.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::Mediawatch;
use crate::alerts::{schedule, spike};
use crate::error::{Error, Result};
use crate::model::{Analysis, AnalysisQuery, CardsQuery, Interval, SourceActivity, TopicCard, TopicSeries};
use crate::store::{unix_hour, Store};

/// The most points a volume chart has (an hourly chart covers up to 83 days, a daily one 5 years).
pub const MAX_BUCKETS: usize = 2_000;
/// Days on an Overview card's sparkline.
pub const CARD_DAYS: u32 = 30;
/// The spike badge: the last 24 hours against the same 24 hours on each of the 14 days before.
const CARD_BASELINE_DAYS: i64 = 14;
const CARD_SPIKE_MIN: u32 = 5;

/// The first instant of each bucket in [since, until): `since`, then each local midnight (or each whole
/// hour) after it. A day is its zone's: 23 or 25 hours across a daylight-saving change.
pub fn buckets(since: DateTime<Utc>, until: DateTime<Utc>, interval: Interval, tz: Tz) -> Result<Vec<DateTime<Utc>>> {
    if until <= since {
        return Err(Error::InvalidInput(format!("the period ends ({until}) before it begins ({since})")));
    }
    let too_many = || {
        Error::InvalidInput(format!(
            "a chart has at most {MAX_BUCKETS} points: choose a shorter period or {}",
            if interval == Interval::Hour { "days" } else { "fewer days" }
        ))
    };
    let mut out = vec![since];
    match interval {
        Interval::Hour => {
            let mut h = unix_hour(since) + 1;
            while let Some(t) = DateTime::from_timestamp(h * 3600, 0).filter(|t| *t < until) {
                out.push(t);
                if out.len() > MAX_BUCKETS {
                    return Err(too_many());
                }
                h += 1;
            }
        }
        Interval::Day => {
            let mut day = since.with_timezone(&tz).date_naive();
            loop {
                day = day.succ_opt().ok_or_else(too_many)?;
                let t = schedule::day_start(day, tz.name())?;
                if t >= until {
                    break;
                }
                out.push(t);
                if out.len() > MAX_BUCKETS {
                    return Err(too_many());
                }
            }
        }
    }
    Ok(out)
}

/// Adds hourly counts into the buckets whose span holds each hour's first instant; the hour that holds the
/// period's start goes to the first bucket, hours wholly before it are left out.
pub fn fold(hours: &[(i64, u32)], buckets: &[DateTime<Utc>]) -> Vec<u32> {
    let mut counts = vec![0u32; buckets.len()];
    for &(hour, n) in hours {
        let at = hour * 3600;
        match buckets.partition_point(|b| b.timestamp() <= at) {
            0 if buckets.first().is_some_and(|b| at + 3600 > b.timestamp()) => counts[0] += n,
            0 => {}
            i => counts[i - 1] += n,
        }
    }
    counts
}

/// The local midnights of the `days` days that end with `now`'s (today last).
fn last_days(now: DateTime<Utc>, days: u32, tz: Tz) -> Result<Vec<DateTime<Utc>>> {
    let today = now.with_timezone(&tz).date_naive();
    (0..days)
        .rev()
        .map(|back| {
            let day: NaiveDate = today - Duration::days(i64::from(back));
            schedule::day_start(day, tz.name())
        })
        .collect()
}

/// The spike badge of a card: the mentions of the 24 hours up to `now`'s hour against the same hours on
/// each of the days before (`hours`: (Unix hour, mentions), covering them).
fn card_spike(hours: &[(i64, u32)], now: DateTime<Utc>) -> Option<String> {
    let last = unix_hour(now);
    let window = |back_days: i64| -> u32 {
        let end = last - 24 * back_days;
        hours.iter().filter(|(h, _)| *h > end - 24 && *h <= end).map(|(_, n)| n).sum()
    };
    let history: Vec<u32> = (1..=CARD_BASELINE_DAYS).rev().map(window).collect();
    let verdict = spike::judge(window(0), &history, CARD_SPIKE_MIN, spike::Sensitivity::Medium);
    verdict.unusual.then(|| spike::describe(&verdict, Duration::hours(24)))
}

impl Mediawatch {
    /// Volume over time, shares, sources, languages and the busiest stories of some topics over a period.
    pub async fn analysis(&self, query: AnalysisQuery) -> Result<Analysis> {
        let tz = self.report_tz(query.timezone.as_deref()).await?;
        let buckets = buckets(query.since, query.until, query.interval, tz)?;
        let (since, until, interval) = (query.since, query.until, query.interval);
        self.db(move |s: &Store| {
            let topics = s.topics_named(&query.topics)?;
            let ids: Vec<_> = topics.iter().map(|(id, _)| *id).collect();
            let to = unix_hour(until - Duration::microseconds(1)) + 1;
            let hours = s.mention_hours(&ids, unix_hour(since), to)?;
            let series = topics
                .into_iter()
                .zip(hours)
                .map(|((topic_id, topic), hours)| {
                    let counts = fold(&hours, &buckets);
                    TopicSeries { topic_id, topic, total: counts.iter().sum(), counts }
                })
                .collect();
            let b = s.breakdown(&ids, since, until)?;
            Ok(Analysis {
                timezone: tz.name().to_string(),
                interval,
                buckets,
                series,
                articles: b.articles,
                sources: b.sources,
                languages: b.languages,
                stories: b.stories,
            })
        })
        .await
    }

    /// Every source's articles per day of `timezone` (none: `alerts.timezone`, else the system's), the last
    /// 30 days; sources without any are absent.
    pub async fn source_activity(&self, timezone: Option<String>) -> Result<Vec<SourceActivity>> {
        let tz = self.report_tz(timezone.as_deref()).await?;
        let days = last_days(self.now(), CARD_DAYS, tz)?;
        let from = days[0];
        self.db(move |s: &Store| {
            let rows = s.source_hours(from)?;
            let mut out: Vec<SourceActivity> = Vec::new();
            for chunk in rows.chunk_by(|a, b| a.0 == b.0) {
                let hours: Vec<(i64, u32)> = chunk.iter().map(|&(_, h, n)| (h, n)).collect();
                out.push(SourceActivity { source_id: chunk[0].0, daily: fold(&hours, &days) });
            }
            Ok(out)
        })
        .await
    }

    /// One card per topic for the Overview: mentions fetched since the analyst's last visit, the last 30
    /// days per day of the query's zone, a spike badge and the newest headlines.
    pub async fn topic_cards(&self, query: CardsQuery) -> Result<Vec<TopicCard>> {
        let tz = self.report_tz(query.timezone.as_deref()).await?;
        let since = query.since;
        let now = self.now();
        let days = last_days(now, CARD_DAYS, tz)?;
        let from = unix_hour(days[0]).min(unix_hour(now) - 24 * (CARD_BASELINE_DAYS + 1));
        self.db(move |s: &Store| {
            let cards = s.card_counts(since, from, unix_hour(now) + 1)?;
            Ok(cards
                .into_iter()
                .map(|c| TopicCard {
                    topic_id: c.topic_id,
                    topic: c.topic,
                    new_mentions: c.new_mentions,
                    daily: fold(&c.hours, &days),
                    spike: card_spike(&c.hours, now),
                    latest: c.latest,
                })
                .collect())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn days_are_the_zones_days_across_a_daylight_saving_change() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // Berlin's clocks go forward on 2026-03-29: that day has 23 hours.
        let b = buckets(utc(2026, 3, 27, 23), utc(2026, 3, 31, 22), Interval::Day, berlin).unwrap();
        assert_eq!(b, [utc(2026, 3, 27, 23), utc(2026, 3, 28, 23), utc(2026, 3, 29, 22), utc(2026, 3, 30, 22)]);
        // An hour on the change day (03:00 local = 01:00 UTC) and the last hour of it (23:00 local = 21:00 UTC).
        let counts = fold(&[(unix_hour(utc(2026, 3, 29, 1)), 2), (unix_hour(utc(2026, 3, 29, 21)), 3)], &b);
        assert_eq!(counts, [0, 5, 0, 0]);
    }

    #[test]
    fn hours_start_at_the_period_and_then_on_each_whole_hour() {
        let since = utc(2026, 5, 1, 10) + Duration::minutes(30);
        let b = buckets(since, utc(2026, 5, 1, 13), Interval::Hour, chrono_tz::UTC).unwrap();
        assert_eq!(b, [since, utc(2026, 5, 1, 11), utc(2026, 5, 1, 12)]);
        // The hour before the period is not counted; the partial first hour goes to the first bucket.
        let counts =
            fold(&[(unix_hour(utc(2026, 5, 1, 9)), 7), (unix_hour(since), 1), (unix_hour(utc(2026, 5, 1, 12)), 4)], &b);
        assert_eq!(counts, [1, 0, 4]);
    }

    #[test]
    fn a_period_must_be_forward_and_not_too_long_for_its_interval() {
        let tz = chrono_tz::UTC;
        let err = buckets(utc(2026, 5, 2, 0), utc(2026, 5, 1, 0), Interval::Day, tz).unwrap_err();
        assert!(err.to_string().contains("ends"), "{err}");
        let err = buckets(utc(2026, 1, 1, 0), utc(2026, 12, 1, 0), Interval::Hour, tz).unwrap_err();
        assert!(err.to_string().contains("at most 2000 points"), "{err}");
        assert_eq!(buckets(utc(2026, 1, 1, 0), utc(2026, 12, 1, 0), Interval::Day, tz).unwrap().len(), 334);
    }

    #[test]
    fn a_card_badge_shows_only_an_unusual_day() {
        let now = utc(2026, 6, 15, 12);
        let h = unix_hour(now);
        // Two mentions a day for 14 days, then the last 24 hours.
        let usual: Vec<(i64, u32)> = (1..=14).map(|d| (h - 24 * d, 2)).collect();
        let with = |recent: u32| {
            let mut hours = usual.clone();
            hours.push((h - 3, recent));
            hours.sort();
            card_spike(&hours, now)
        };
        assert_eq!(with(2), None);
        assert_eq!(with(4), None, "below the minimum of 5");
        let busy = with(20).expect("20 against usually 2 is a spike");
        assert!(busy.starts_with("20 mentions in 1 d, usually 2"), "{busy}");
    }
}
