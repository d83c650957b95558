//! The spike test, pure: is a topic's mention count in a recent window unusual against its own baseline?
//!
//! The baseline is the same window on earlier periods ([`baseline_windows`]: by default the last 6 hours
//! against the same 6 hours of each of the previous 14 days, so that the time of day is compared with itself).
//! [`judge`] turns the recent count and those 14 counts into a tail probability, `P(X >= count)`, under a
//! model of the topic's usual counts, and fires when that is small enough for the rule's sensitivity.
//!
//! # The model
//!
//! A fixed ratio ("three times the usual") is unfair at both ends: for a topic with usually 1 mention, 3 is
//! nothing; for one with usually 200, 600 is a landslide, and 260 already is. Counting noise grows with the
//! count, and a probability on counts reads it right at every scale.
//!
//! - **Poisson** with the baseline mean, when the history's variance is not above its mean. Mentions that
//!   arrive independently at a steady rate are Poisson; a history with less spread than that (a very regular
//!   topic) is still judged as Poisson, which is the cautious side.
//! - **Negative binomial** when the history is overdispersed (variance above the mean): a weekly cycle (busy
//!   weekdays, quiet weekends in the same 14 values), a topic that comes in bursts, a trend. Its parameters
//!   come from the method of moments, `r = mean² / (var − mean)`, `p = r / (r + mean)`, so it has the
//!   history's own mean and variance and a heavier tail than Poisson: a busy, bursty topic is not flagged for
//!   its usual swings.
//! - **A floor on the mean** for topics that are usually silent: with 14 windows of zero, a Poisson mean of 0
//!   would make a single mention infinitely unusual. The mean used is at least `(sum + 1) / (n + 1)`, as if
//!   one more period had seen one mention: 1/15 for 14 silent windows. The floor acts only when the mean is
//!   below 1 (above, `(sum + 1) / (n + 1)` is below the mean and the mean stands), so busy topics are not
//!   pulled down. With a floor that low, a few mentions of a silent topic are very unlikely, and the rule's
//!   `min_count` is what decides. An empty history is judged by the floor alone (a mean of 1).
//!
//! # Thresholds
//!
//! A 6-hour window is about 4 independent chances a day, some 1,500 a year. At p < 1e-3 (medium) a topic whose
//! counts follow the model would alert by chance about 1.5 times a year; at 1e-4 (low) about once in seven
//! years, so what fires is extraordinary; at 1e-2 (high) about once a month, which catches more modest rises
//! and accepts a few false alarms. The model is estimated from 14 values, so real rates are somewhat higher
//! than these; the once-per-spike rule below keeps one long rise to one alert. The thresholds nest, so high
//! fires whenever medium does, and medium whenever low does.
//!
//! # Once per spike
//!
//! A spike that fired may fire again only after the count was ordinary once: [`SpikeVerdict::back_to_normal`]
//! is `p_value >= 0.1` (not even mildly unusual: ten times above the highest threshold, so a count that
//! hovers around a threshold does not fire again and again) or `count <= expected`. Falling below
//! `min_count` is not enough on its own: a silent topic that keeps getting 3–6 mentions a window with
//! `min_count` 5 would otherwise alert at every crossing.

use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use statrs::distribution::{DiscreteCDF, NegativeBinomial, Poisson};

use super::schedule::format_duration;
use crate::error::{Error, Result};

/// How unusual a count must be to fire: the tail probability below which it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sensitivity {
    Low,
    Medium,
    High,
}

impl Sensitivity {
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Low => "low",
            Sensitivity::Medium => "medium",
            Sensitivity::High => "high",
        }
    }

    /// The p-value below which a count fires (see the module's documentation).
    pub fn threshold(self) -> f64 {
        match self {
            Sensitivity::Low => 1e-4,
            Sensitivity::Medium => 1e-3,
            Sensitivity::High => 1e-2,
        }
    }
}

impl FromStr for Sensitivity {
    type Err = Error;

    /// "low", "medium" or "high" (case-insensitive).
    fn from_str(s: &str) -> Result<Sensitivity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Sensitivity::Low),
            "medium" => Ok(Sensitivity::Medium),
            "high" => Ok(Sensitivity::High),
            _ => Err(Error::InvalidInput(format!("sensitivity {s:?}: expected low, medium or high"))),
        }
    }
}

/// A count that is ordinary again has a p-value at least this (see the module's documentation).
pub const BACK_TO_NORMAL_P: f64 = 0.1;

/// What [`judge`] says of a recent count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikeVerdict {
    /// Mentions in the recent window.
    pub count: u32,
    /// The usual count for the window (the baseline mean), shown to analysts as "usually N". With no history,
    /// the floor (1).
    pub expected: f64,
    /// `P(X >= count)` under the baseline model.
    pub p_value: f64,
    /// Fires: `count >= min_count`, `p_value` below the sensitivity's threshold, and `count > expected`.
    pub unusual: bool,
    /// The count is ordinary again (a spike that fired may fire again only after this was true once).
    pub back_to_normal: bool,
}

/// `history`: the count in the same window on each earlier period, oldest first (14 values for 6h against 14d).
pub fn judge(count: u32, history: &[u32], min_count: u32, sensitivity: Sensitivity) -> SpikeVerdict {
    let n = history.len() as f64;
    let sum: f64 = history.iter().map(|&c| f64::from(c)).sum();
    let (expected, mean) = if history.is_empty() {
        (1.0, 1.0)
    } else {
        let raw = sum / n;
        (raw, raw.max((sum + 1.0) / (n + 1.0)))
    };
    let variance = if history.len() >= 2 {
        history.iter().map(|&c| (f64::from(c) - sum / n).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    let p_value = tail(count, mean, variance);
    let c = f64::from(count);
    SpikeVerdict {
        count,
        expected,
        p_value,
        unusual: count >= min_count && p_value < sensitivity.threshold() && c > expected,
        back_to_normal: p_value >= BACK_TO_NORMAL_P || c <= expected,
    }
}

/// `P(X >= count)` for a count with this mean (> 0) and variance: Poisson, or negative binomial when the
/// variance is above the mean.
fn tail(count: u32, mean: f64, variance: f64) -> f64 {
    if count == 0 {
        return 1.0;
    }
    let at_least = u64::from(count) - 1; // P(X >= count) = P(X > count - 1)
    let p = if variance > mean {
        let r = mean * mean / (variance - mean);
        NegativeBinomial::new(r, r / (r + mean)).map(|nb| nb.sf(at_least)).ok()
    } else {
        Poisson::new(mean).map(|po| po.sf(at_least)).ok()
    };
    // Parameters are finite and positive by construction; a failure would be a bug, and is not a spike.
    p.filter(|p| p.is_finite()).map_or(1.0, |p| p.clamp(0.0, 1.0))
}

/// The baseline windows for a recent window [now-window, now): the same window shifted back by one day, two
/// days, … up to `baseline` (a window of a day or more steps back by whole windows instead). Returned oldest
/// first, as (from, until).
///
/// A baseline shorter than a day (with a window shorter than a day) also steps back by whole windows, so that
/// it has a history at all. A window or baseline that is not positive has none.
pub fn baseline_windows(
    now: DateTime<Utc>,
    window: Duration,
    baseline: Duration,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    if window <= Duration::zero() || baseline <= Duration::zero() {
        return Vec::new();
    }
    let day = Duration::days(1);
    let step = if window < day && baseline >= day { day } else { window };
    let periods = baseline.num_seconds() / step.num_seconds().max(1);
    (1..=periods)
        .rev()
        .filter_map(|k| {
            let until = now.checked_sub_signed(step.checked_mul(k as i32)?)?;
            Some((until.checked_sub_signed(window)?, until))
        })
        .collect()
}

/// "15 mentions in 6 h, usually 2": the usual count rounded to a whole number, "fewer than 1" below one half,
/// "none" when it is (next to) zero.
pub fn describe(verdict: &SpikeVerdict, window: Duration) -> String {
    let mentions = if verdict.count == 1 { "mention" } else { "mentions" };
    let e = verdict.expected;
    let usually = if e < 0.05 {
        "none".to_string()
    } else if e < 0.5 {
        "fewer than 1".to_string()
    } else {
        format!("{}", e.round() as u64)
    };
    format!("{} {mentions} in {}, usually {usually}", verdict.count, spaced(window))
}

/// "6 h", "90 min", "14 d".
fn spaced(window: Duration) -> String {
    let s = format_duration(window);
    for (short, long) in [("ms", " ms"), ("m", " min"), ("h", " h"), ("d", " d"), ("s", " s")] {
        if let Some(n) = s.strip_suffix(short) {
            return format!("{n}{long}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Sensitivity; 3] = [Sensitivity::Low, Sensitivity::Medium, Sensitivity::High];

    /// Whether `count` fires at each sensitivity, low to high.
    fn fires(count: u32, history: &[u32], min_count: u32) -> [bool; 3] {
        ALL.map(|s| judge(count, history, min_count, s).unusual)
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_flat_topic_one_above_its_average_is_ordinary() {
        // 10 a window, give or take 1 or 2: 11 is well within the noise of a count of 10 (p ~ 0.4).
        let history = [10, 9, 11, 10, 12, 8, 10, 11, 9, 10, 10, 11, 9, 10];
        let v = judge(11, &history, 5, Sensitivity::High);
        assert!(!v.unusual && v.back_to_normal, "{v:?}");
        assert!(v.p_value > 0.3, "{v:?}");
        assert!((v.expected - 10.0).abs() < 0.01, "{v:?}");
        // And a count below the usual is ordinary by definition.
        assert!(judge(3, &history, 1, Sensitivity::High).back_to_normal);
    }

    #[test]
    fn a_gentle_trend_continuing_is_not_a_spike() {
        // One more mention each day for two weeks, now the next step: 24 against a mean of 16.5. The trend
        // makes the history overdispersed (variance 17.5), and the next step is within the spread of the
        // last fortnight (p ~ 0.05), so nothing fires, not even at high.
        let history: Vec<u32> = (10..24).collect();
        let v = judge(24, &history, 5, Sensitivity::High);
        assert!(!v.unusual, "{v:?}");
        assert!(v.p_value > 0.01, "{v:?}");
    }

    #[test]
    fn a_one_off_burst_on_a_quiet_topic_fires() {
        // Usually 2 (1 to 3), now 15: under Poisson(2) that is a one-in-250-million count (p ~ 4e-9); every
        // sensitivity fires, and the description says how unusual.
        let history = [2, 1, 3, 2, 2, 2, 1, 3, 2, 2, 2, 3, 1, 2];
        let v = judge(15, &history, 5, Sensitivity::Medium);
        assert!(v.unusual && !v.back_to_normal, "{v:?}");
        assert!(v.p_value < 1e-8, "{v:?}");
        assert_eq!(fires(15, &history, 5), [true, true, true]);
        assert_eq!(describe(&v, Duration::hours(6)), "15 mentions in 6 h, usually 2");
        // The same burst under a min_count above it does not fire: min_count is the analyst's floor.
        assert!(!judge(15, &history, 20, Sensitivity::High).unusual);
    }

    #[test]
    fn a_weekly_cycle_is_judged_with_its_own_spread() {
        // Two weeks of the same 6 hours: ~20 on weekdays, ~2 on weekends. Evaluated on a Monday with 21: the
        // history's mean (15) hides the cycle, but its variance (~74) shows it, the negative binomial takes
        // it, and 21 is an ordinary weekday, not a spike.
        let history = [20, 2, 3, 19, 22, 18, 21, 20, 2, 1, 21, 19, 20, 22]; // Sat, Sun, … , the last is a Sunday
        let v = judge(21, &history, 5, Sensitivity::High);
        assert!(!v.unusual, "{v:?}");
        assert!(v.p_value > 0.1, "{v:?}");
        // A busy weekday at 28 would fire under Poisson with the same mean (p < 0.01: `high`), but the spread
        // of the cycle says such swings are usual, and it does not.
        let poisson = Poisson::new(v.expected).unwrap().sf(27);
        assert!(poisson < 1e-2, "Poisson {poisson}");
        assert_eq!(fires(28, &history, 5), [false, false, false]);
        // A real spike on top of the cycle still fires.
        assert!(judge(70, &history, 5, Sensitivity::Medium).unusual);
    }

    #[test]
    fn a_usually_silent_topic_is_decided_by_min_count() {
        // Fourteen windows of nothing. The mean is floored at 1/15, so 6 mentions is very unusual (p ~ 1e-10)
        // without being infinitely so, and with min_count 5 it fires.
        let silent = [0; 14];
        let v = judge(6, &silent, 5, Sensitivity::Low);
        assert!(v.unusual, "{v:?}");
        assert!(v.p_value > 0.0 && v.p_value < 1e-8, "{v:?}");
        assert_eq!(describe(&v, Duration::hours(6)), "6 mentions in 6 h, usually none");
        // 3 mentions are just as unlikely in p-value terms (p ~ 5e-5) but below the analyst's min_count of
        // 5: no alert.
        let v = judge(3, &silent, 5, Sensitivity::High);
        assert!(!v.unusual && v.p_value < 1e-4, "{v:?}");
        // A single mention of a silent topic is not even rare enough to keep a spike going (p ~ 0.065 < 0.1)
        // ... and a window of none is normal again.
        assert!(!judge(1, &silent, 1, Sensitivity::High).back_to_normal);
        assert!(judge(0, &silent, 1, Sensitivity::High).back_to_normal);
        // Once in 14 windows: "fewer than 1".
        let rare = [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            describe(&judge(7, &rare, 5, Sensitivity::Medium), Duration::hours(6)),
            "7 mentions in 6 h, usually fewer than 1"
        );
    }

    #[test]
    fn a_busy_topic_and_sensitivity_orders_the_decisions() {
        // ~100 ± 10 a window (variance below the mean: Poisson(100)). 130 is three standard deviations up
        // (p ~ 0.002): high fires, medium and low do not. 140 (p ~ 9e-5) just fires at every level.
        let history = [100, 90, 110, 95, 105, 100, 92, 108, 97, 103, 100, 94, 106, 100];
        assert_eq!(fires(130, &history, 5), [false, false, true]);
        assert_eq!(fires(140, &history, 5), [true, true, true]);
        assert_eq!(fires(135, &history, 5), [false, true, true]);
        assert_eq!(fires(115, &history, 5), [false, false, false]);
        // Across every count, on every series: high fires whenever medium does, medium whenever low does.
        let series: [&[u32]; 6] = [
            &history,
            &[0; 14],
            &[2, 1, 3, 2, 2, 2, 1, 3, 2, 2, 2, 3, 1, 2],
            &[20, 2, 3, 19, 22, 18, 21, 20, 2, 1, 21, 19, 20, 22],
            &[0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            &[],
        ];
        for h in series {
            let mut fired_at = [None; 3];
            for count in 0..300 {
                let f = fires(count, h, 1);
                assert!((!f[0] || f[1]) && (!f[1] || f[2]), "{h:?} at {count}: {f:?}");
                for (i, fired) in f.iter().enumerate() {
                    if *fired && fired_at[i].is_none() {
                        fired_at[i] = Some(count);
                    }
                }
                // A count that fires is never "normal" at the same time.
                let v = judge(count, h, 1, Sensitivity::High);
                assert!(!(v.unusual && v.back_to_normal), "{h:?} at {count}: {v:?}");
                assert!((0.0..=1.0).contains(&v.p_value), "{h:?} at {count}: {v:?}");
            }
            // Higher sensitivity fires at a lower count (or the same).
            assert!(fired_at[2] <= fired_at[1] && fired_at[1] <= fired_at[0], "{h:?}: {fired_at:?}");
            assert!(fired_at[0].is_some(), "{h:?}: low never fires below 300");
        }
    }

    #[test]
    fn a_bursty_past_makes_a_new_burst_less_surprising() {
        // The same quiet topic as the one-off burst, but with two earlier bursts in the fortnight: 15 was seen
        // before, so it is not medium-unusual any more; 60 still is.
        let history = [2, 1, 3, 14, 2, 2, 1, 3, 2, 16, 2, 3, 1, 2];
        assert!(!judge(15, &history, 5, Sensitivity::Medium).unusual);
        assert!(judge(60, &history, 5, Sensitivity::Medium).unusual);
    }

    #[test]
    fn an_empty_history_is_judged_by_the_floor_alone() {
        // No baseline: a mean of 1. Then min_count and the sensitivity decide: 5 is p ~ 0.004 (high only),
        // 8 is p ~ 1e-5.
        let v = judge(5, &[], 5, Sensitivity::High);
        assert!(v.unusual && v.expected == 1.0, "{v:?}");
        assert_eq!(fires(5, &[], 5), [false, false, true]);
        assert_eq!(fires(8, &[], 5), [true, true, true]);
        assert_eq!(fires(3, &[], 5), [false, false, false]);
        assert!(judge(0, &[], 5, Sensitivity::High).back_to_normal);
    }

    #[test]
    fn once_per_spike_needs_a_return_to_normal() {
        // A quiet topic (usually 2) gets a story: the count rises, stays up, falls, and rises again. It fires
        // at the first high count, not while it stays high, and again only after a normal window.
        let history = [2, 1, 3, 2, 2, 2, 1, 3, 2, 2, 2, 3, 1, 2];
        let counts = [2, 3, 12, 20, 15, 9, 7, 4, 3, 14, 2];
        let mut active = false;
        let mut alerts = Vec::new();
        for (i, &c) in counts.iter().enumerate() {
            let v = judge(c, &history, 5, Sensitivity::Medium);
            if v.unusual && !active {
                active = true;
                alerts.push(i);
            } else if active && v.back_to_normal {
                active = false;
            }
        }
        // 12 fires; 20, 15, 9 and 7 are still high; 4 (p ~ 0.14) is normal again; 14 fires anew.
        assert_eq!(alerts, [2, 9]);
    }

    #[test]
    fn baseline_windows_are_the_same_hours_on_earlier_days() {
        let now = utc("2026-06-15T12:00:00Z");
        let w = baseline_windows(now, Duration::hours(6), Duration::days(14));
        assert_eq!(w.len(), 14);
        assert!(w.iter().all(|(a, b)| *b - *a == Duration::hours(6)));
        assert!(w.windows(2).all(|p| p[1].0 - p[0].0 == Duration::days(1)), "oldest first, a day apart");
        assert_eq!(w.last().unwrap(), &(utc("2026-06-14T06:00:00Z"), utc("2026-06-14T12:00:00Z")));
        assert_eq!(w.first().unwrap(), &(utc("2026-06-01T06:00:00Z"), utc("2026-06-01T12:00:00Z")));
        // A window of a day or more steps back by whole windows: 2 days against 14 days is 7 windows.
        let w = baseline_windows(now, Duration::days(2), Duration::days(14));
        assert_eq!(w.len(), 7);
        assert_eq!(w.last().unwrap(), &(utc("2026-06-11T12:00:00Z"), utc("2026-06-13T12:00:00Z")));
        assert_eq!(w.first().unwrap().0, now - Duration::days(16));
        // A baseline shorter than a day steps back by windows too: 6 h against 12 h is two windows.
        let w = baseline_windows(now, Duration::hours(6), Duration::hours(12));
        assert_eq!(
            w,
            [
                (now - Duration::hours(18), now - Duration::hours(12)),
                (now - Duration::hours(12), now - Duration::hours(6))
            ]
        );
        // Nothing to compare with.
        assert!(baseline_windows(now, Duration::zero(), Duration::days(14)).is_empty());
        assert!(baseline_windows(now, Duration::hours(6), Duration::hours(5)).is_empty());
    }

    #[test]
    fn descriptions_read_like_an_analyst_would_say_them() {
        let v = |count, expected| SpikeVerdict { count, expected, p_value: 0.0, unusual: true, back_to_normal: false };
        assert_eq!(describe(&v(15, 2.2), Duration::hours(6)), "15 mentions in 6 h, usually 2");
        assert_eq!(describe(&v(1, 0.0), Duration::hours(6)), "1 mention in 6 h, usually none");
        assert_eq!(describe(&v(9, 0.3), Duration::minutes(90)), "9 mentions in 90 min, usually fewer than 1");
        assert_eq!(describe(&v(9, 0.6), Duration::days(2)), "9 mentions in 2 d, usually 1");
        assert_eq!(describe(&v(340, 101.5), Duration::hours(24)), "340 mentions in 1 d, usually 102");
    }

    #[test]
    fn sensitivities_parse_and_serialise() {
        for s in ALL {
            assert_eq!(s.as_str().parse::<Sensitivity>().unwrap(), s);
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        assert_eq!("HIGH".parse::<Sensitivity>().unwrap(), Sensitivity::High);
        let e = "extreme".parse::<Sensitivity>().unwrap_err();
        assert_eq!(e.code(), crate::error::ErrorCode::InvalidInput);
        assert!(e.to_string().contains("\"extreme\""), "{e}");
        assert!(Sensitivity::Low.threshold() < Sensitivity::Medium.threshold());
        assert!(Sensitivity::Medium.threshold() < Sensitivity::High.threshold());
        assert!(Sensitivity::High.threshold() < BACK_TO_NORMAL_P);
    }

    #[test]
    fn the_negative_binomial_tends_to_poisson_when_barely_overdispersed() {
        // r in the millions: the tail must match Poisson's, not break down numerically.
        let (nb, po) = (tail(20, 10.0, 10.000_01), tail(20, 10.0, 10.0));
        assert!((nb - po).abs() < 1e-6, "{nb} vs {po}");
        assert!(tail(1_000, 0.1, 50.0) < 1e-3);
    }
}
