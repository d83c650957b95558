//! Time for alerts, pure: durations ("6h", "14d"), times of day and weekdays as a rule writes them, IANA
//! zones, the scheduled times of digests, and quiet hours. Nothing here reads the clock; every instant is
//! passed in.
//!
//! A digest rule fires hourly (at minute `at.minute()` of every local hour), daily (at `at` local) or weekly
//! (on `day` at `at` local), on the wall clock of the rule's zone, so that a daily 08:00 Europe/Moscow digest
//! fires at 05:00 UTC and an 08:00 Europe/Berlin one at 07:00 UTC in winter and 06:00 UTC in summer.
//!
//! Daylight saving. A scheduled local time that does not exist (the spring-forward gap) fires at that time
//! read with the offset in force before the gap, that is, the local time shifted forward by the length of the
//! gap: a daily 02:30 America/New_York digest fires on 2026-03-08 at 03:30 EDT (07:30 UTC), one day after
//! 02:30 EST and 23 hours before the next 02:30 EDT. (This is what `java.time` and Temporal's "compatible"
//! choice do. It is not the very first instant after the gap, 03:00 EDT, except for a time exactly at the start
//! of the gap; it keeps the digest a fixed number of real hours after the one before.) A local time that
//! happens twice (fall back) fires once, at the earlier instant. For hourly digests this means one hour of
//! the year with no digest of its own in a zone that falls back (the next one covers two hours), and one
//! local hour in spring whose shifted time is the next hour's, which fires once.
//!
//! The scheduled instants of a rule form one ordered set; [`DigestSchedule::previous`] and
//! [`DigestSchedule::next`] both read it, so they are exact inverses: `previous(t) <= t < next(t)`, and
//! `next(previous(t)) == next(t)`. Both look at a few local days around `t`, never minute by minute.
//!
//! Quiet hours are read on the local clock of the zone too: "22:00-07:00" is quiet whenever the zone's clock
//! shows 22:00 or later or before 07:00, whatever daylight saving does to the length of the night.

use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono::{Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// "90m", "6h", "14d" (a positive integer and m|h|d) -> Duration
pub fn parse_duration(s: &str) -> Result<Duration> {
    let bad = || {
        Error::InvalidInput(format!(
            "duration {s:?}: expected a positive whole number of minutes, hours or days, such as 90m, 6h or 14d"
        ))
    };
    let t = s.trim();
    let unit = t.chars().last().ok_or_else(bad)?;
    let digits = &t[..t.len() - unit.len_utf8()];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n: i64 = digits.parse().map_err(|_| bad())?;
    if n == 0 {
        return Err(bad());
    }
    let d = match unit.to_ascii_lowercase() {
        'm' => Duration::try_minutes(n),
        'h' => Duration::try_hours(n),
        'd' => Duration::try_days(n),
        _ => None,
    };
    d.ok_or_else(bad)
}

/// The inverse for display and JSON: "6h", "14d", "90m" (largest unit that divides exactly).
///
/// A duration that is not a whole number of minutes (which [`parse_duration`] never returns) reads in seconds,
/// "45s", or milliseconds, "1500ms"; a negative one has a leading "-".
pub fn format_duration(d: Duration) -> String {
    let sign = if d < Duration::zero() { "-" } else { "" };
    let d = d.abs();
    if d.subsec_nanos() != 0 {
        return format!("{sign}{}ms", d.num_milliseconds());
    }
    let secs = d.num_seconds();
    let body = match secs {
        0 => "0m".to_string(),
        s if s % DAY == 0 => format!("{}d", s / DAY),
        s if s % HOUR == 0 => format!("{}h", s / HOUR),
        s if s % MINUTE == 0 => format!("{}m", s / MINUTE),
        s => format!("{s}s"),
    };
    format!("{sign}{body}")
}

/// "08:00", "8:05"; 00:00..23:59
pub fn parse_hhmm(s: &str) -> Result<NaiveTime> {
    let bad = || Error::InvalidInput(format!("time {s:?}: expected HH:MM from 00:00 to 23:59, such as 08:00"));
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let digits = |x: &str, lens: &[usize]| lens.contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(h, &[1, 2]) || !digits(m, &[2]) {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
}

/// mon|tue|wed|thu|fri|sat|sun (case-insensitive; also full names)
pub fn parse_weekday(s: &str) -> Result<Weekday> {
    let day = match s.trim().to_ascii_lowercase().as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => {
            return Err(Error::InvalidInput(format!(
                "day {s:?}: expected mon, tue, wed, thu, fri, sat or sun (or the full name)"
            )))
        }
    };
    Ok(day)
}

/// "mon".."sun"
pub fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// An IANA zone name, such as "Europe/Moscow" or "UTC" (spelled as the tz database spells it).
pub fn parse_tz(s: &str) -> Result<Tz> {
    s.trim().parse::<Tz>().map_err(|_| {
        Error::InvalidInput(format!("time zone {s:?}: expected an IANA zone name, such as Europe/Moscow or UTC"))
    })
}

/// The system's IANA zone (iana-time-zone), "UTC" when it cannot be read, or when it is not a zone that
/// [`parse_tz`] knows (so the answer can always be parsed back).
pub fn system_tz() -> String {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| parse_tz(&name).ok())
        .map_or_else(|| "UTC".to_string(), |tz| tz.name().to_string())
}

/// How often a digest fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    Hour,
    Day,
    Week,
}

impl FromStr for Every {
    type Err = Error;

    /// "hour", "day" or "week" (case-insensitive; "hourly", "daily" and "weekly" too).
    fn from_str(s: &str) -> Result<Every> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hour" | "hourly" => Ok(Every::Hour),
            "day" | "daily" => Ok(Every::Day),
            "week" | "weekly" => Ok(Every::Week),
            _ => Err(Error::InvalidInput(format!("every {s:?}: expected hour, day or week"))),
        }
    }
}

/// When a digest rule fires: see the module's documentation for the reading of `at`, `day` and daylight
/// saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestSchedule {
    pub every: Every,
    pub at: NaiveTime,
    pub day: Weekday,
    pub tz: Tz,
}

impl DigestSchedule {
    /// The latest scheduled time at or before `t`.
    pub fn previous(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        let day = local_date(t, self.tz);
        for back in self.spans() {
            let found = self.around(day, back, 2).into_iter().filter(|s| *s <= t).max();
            if let Some(s) = found {
                return s;
            }
        }
        t - self.period() // Unreachable: every span holds scheduled times.
    }

    /// The first scheduled time strictly after `t`.
    pub fn next(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        let day = local_date(t, self.tz);
        for ahead in self.spans() {
            let found = self.around(day, 2, ahead).into_iter().filter(|s| *s > t).min();
            if let Some(s) = found {
                return s;
            }
        }
        t + self.period() // Unreachable: every span holds scheduled times.
    }

    fn period(&self) -> Duration {
        match self.every {
            Every::Hour => Duration::hours(1),
            Every::Day => Duration::days(1),
            Every::Week => Duration::weeks(1),
        }
    }

    /// How many local days to look at on the side that matters, widening only if a zone skipped whole days.
    fn spans(&self) -> [i64; 3] {
        match self.every {
            Every::Hour | Every::Day => [3, 10, 40],
            Every::Week => [10, 20, 60],
        }
    }

    /// The scheduled instants of the local dates `day - back ..= day + ahead`.
    fn around(&self, day: NaiveDate, back: i64, ahead: i64) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        for k in -back..=ahead {
            let Some(date) = day.checked_add_signed(Duration::days(k)) else { continue };
            match self.every {
                Every::Hour => {
                    for h in 0..24 {
                        if let Some(time) = NaiveTime::from_hms_opt(h, self.at.minute(), 0) {
                            out.extend(fire_at(date.and_time(time), self.tz));
                        }
                    }
                }
                Every::Day => out.extend(fire_at(date.and_time(self.at), self.tz)),
                Every::Week if date.weekday() == self.day => out.extend(fire_at(date.and_time(self.at), self.tz)),
                Every::Week => {}
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

fn local_date(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// The first instant of `day` in the zone `zone` (its midnight; where midnight falls in a daylight-saving
/// gap, the first local time after it, as [`fire_at`] reads a gap): how a bare date of a report's period
/// is read.
pub fn day_start(day: NaiveDate, zone: &str) -> Result<DateTime<Utc>> {
    let tz = parse_tz(zone)?;
    fire_at(day.and_time(NaiveTime::MIN), tz)
        .ok_or_else(|| Error::InvalidInput(format!("{day} does not begin in {zone}: no local time of it exists")))
}

/// The instant a scheduled local time fires at: itself, the earlier of two, or, in a gap, the local time
/// shifted forward by the gap (read with the offset in force before it).
fn fire_at(local: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(x) => Some(x.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
        LocalResult::None => {
            // A day before, read as UTC, is before the gap in every zone (offsets are within ±14 h).
            let before = tz.offset_from_utc_datetime(&(local - Duration::days(1))).fix();
            let shifted = (local - Duration::seconds(i64::from(before.local_minus_utc()))).and_utc();
            if shifted.with_timezone(&tz).naive_local() > local {
                return Some(shifted);
            }
            // Two changes of offset within a day: the first local time after the gap, by quarter hours.
            (1..=4 * 48).find_map(|q| match tz.from_local_datetime(&(local + Duration::minutes(15 * q))) {
                LocalResult::Single(x) => Some(x.with_timezone(&Utc)),
                LocalResult::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
                LocalResult::None => None,
            })
        }
    }
}

/// Every instant at which the zone's clock shows `local` (none in a gap, two when the clock falls back).
fn instants_of(local: NaiveDateTime, tz: Tz) -> Vec<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(x) => vec![x.with_timezone(&Utc)],
        LocalResult::Ambiguous(a, b) => vec![a.with_timezone(&Utc), b.with_timezone(&Utc)],
        LocalResult::None => Vec::new(),
    }
}

fn offset_at(t: DateTime<Utc>, tz: Tz) -> i32 {
    tz.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc()
}

/// The instants in `(from, until]` at which the zone's offset changes, found hour by hour and then to the
/// second (two changes within one hour are not seen; the tz database has none).
fn offset_changes(from: DateTime<Utc>, until: DateTime<Utc>, tz: Tz) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut a = from;
    while a < until {
        let b = (a + Duration::hours(1)).min(until);
        if offset_at(a, tz) != offset_at(b, tz) {
            // The offset at `lo` is the old one, at `hi` the new one.
            let (mut lo, mut hi) = (a, b);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(mid, tz) == offset_at(a, tz) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(hi);
        }
        a = b;
    }
    out
}

/// A daily stretch of the local clock when alerts wait: "22:00-07:00" (it may cross midnight). Alerts that
/// come due in it wait, then go out once when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// "22:00-07:00" (may cross midnight); start == end is an error.
    pub fn parse(s: &str) -> Result<QuietHours> {
        let bad = |why: &str| Error::InvalidInput(format!("quiet hours {s:?}: {why}"));
        let (a, b) = s.split_once('-').ok_or_else(|| bad("expected START-END, such as 22:00-07:00"))?;
        let start = parse_hhmm(a).map_err(|e| bad(&e.to_string()))?;
        let end = parse_hhmm(b).map_err(|e| bad(&e.to_string()))?;
        if start == end {
            return Err(bad("the start and the end are the same time; expected START-END, such as 22:00-07:00"));
        }
        Ok(QuietHours { start, end })
    }

    /// Whether `t` falls in the quiet hours, read on the local clock of `tz`.
    pub fn contains(&self, t: DateTime<Utc>, tz: Tz) -> bool {
        let now = t.with_timezone(&tz).time();
        if self.start < self.end {
            self.start <= now && now < self.end
        } else {
            now >= self.start || now < self.end
        }
    }

    /// When the quiet period that contains `t` ends (the first instant after `t` that is not quiet); `t` itself
    /// when `t` is not quiet.
    ///
    /// That is the first instant the clock shows `end`, or the change of offset that makes the clock skip past
    /// `end` (spring forward) or fall back to before `start`.
    pub fn end_after(&self, t: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        if !self.contains(t, tz) {
            return t;
        }
        let day = local_date(t, tz);
        let mut ends: Vec<DateTime<Utc>> = (-1..=2)
            .filter_map(|k| day.checked_add_signed(Duration::days(k)))
            .flat_map(|d| instants_of(d.and_time(self.end), tz))
            .filter(|s| *s > t)
            .collect();
        // A quiet stretch lasts less than a day of the clock; two days is room for any change of offset.
        let horizon = ends.iter().copied().min().unwrap_or(t + Duration::days(2)).max(t + Duration::hours(1));
        ends.extend(offset_changes(t, horizon, tz));
        ends.sort();
        ends.into_iter().find(|s| !self.contains(*s, tz)).unwrap_or(horizon)
    }
}

impl std::fmt::Display for QuietHours {
    /// "22:00-07:00"
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn tz(name: &str) -> Tz {
        parse_tz(name).unwrap()
    }

    #[test]
    fn a_day_starts_at_its_zones_midnight_or_just_after_a_gap_at_midnight() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(day_start(d("2026-11-01"), "Asia/Shanghai").unwrap(), utc("2026-10-31T16:00:00Z"));
        assert_eq!(day_start(d("2026-11-01"), "UTC").unwrap(), utc("2026-11-01T00:00:00Z"));
        // Chile springs forward at midnight: 6 September 2026 has no 00:00 there; it begins at 01:00 -03.
        let midnight = d("2026-09-06").and_time(NaiveTime::MIN);
        assert!(matches!(tz("America/Santiago").from_local_datetime(&midnight), LocalResult::None), "a gap");
        assert_eq!(day_start(d("2026-09-06"), "America/Santiago").unwrap(), utc("2026-09-06T04:00:00Z"));
        assert!(day_start(d("2026-09-06"), "Mars/Olympus").is_err());
    }

    fn daily(at: &str, zone: &str) -> DigestSchedule {
        DigestSchedule { every: Every::Day, at: parse_hhmm(at).unwrap(), day: Weekday::Mon, tz: tz(zone) }
    }

    /// The scheduled times from `from` on, `n` of them, in RFC 3339 UTC.
    fn run(s: &DigestSchedule, from: &str, n: usize) -> Vec<String> {
        let mut t = utc(from);
        let mut out = Vec::new();
        for _ in 0..n {
            t = s.next(t);
            out.push(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
        out
    }

    /// Checks the inverse laws at `t`.
    fn laws(s: &DigestSchedule, t: DateTime<Utc>) {
        let (p, n) = (s.previous(t), s.next(t));
        assert!(p <= t && t < n, "{s:?} at {t}: previous {p}, next {n}");
        assert_eq!(s.next(p), n, "{s:?} at {t}: next(previous)");
        assert_eq!(s.previous(n), n, "{s:?} at {t}: previous(next)");
        assert_eq!(s.previous(n - Duration::seconds(1)), p, "{s:?} at {t}: nothing between previous and next");
    }

    #[test]
    fn durations_parse_and_format_back() {
        for (s, d) in [("90m", Duration::minutes(90)), ("6h", Duration::hours(6)), ("14d", Duration::days(14))] {
            assert_eq!(parse_duration(s).unwrap(), d);
            assert_eq!(format_duration(d), s);
        }
        assert_eq!(parse_duration(" 6H ").unwrap(), Duration::hours(6));
        assert_eq!(format_duration(Duration::minutes(120)), "2h");
        assert_eq!(format_duration(Duration::hours(48)), "2d");
        assert_eq!(format_duration(Duration::hours(36)), "36h");
        assert_eq!(format_duration(Duration::seconds(45)), "45s");
        assert_eq!(format_duration(Duration::milliseconds(1500)), "1500ms");
        assert_eq!(format_duration(Duration::zero()), "0m");
        assert_eq!(format_duration(-Duration::hours(6)), "-6h");
        for bad in ["", "6", "h", "0h", "-6h", "6 hours", "1.5h", "6w", "+6h", "99999999999999999999d"] {
            let e = parse_duration(bad).unwrap_err();
            assert_eq!(e.code(), crate::error::ErrorCode::InvalidInput);
            assert!(e.to_string().contains(&format!("{bad:?}")) && e.to_string().contains("14d"), "{e}");
        }
    }

    #[test]
    fn times_of_day_weekdays_and_zones_parse() {
        assert_eq!(parse_hhmm("08:00").unwrap(), NaiveTime::from_hms_opt(8, 0, 0).unwrap());
        assert_eq!(parse_hhmm("8:05").unwrap(), NaiveTime::from_hms_opt(8, 5, 0).unwrap());
        assert_eq!(parse_hhmm("23:59").unwrap(), NaiveTime::from_hms_opt(23, 59, 0).unwrap());
        assert_eq!(parse_hhmm("00:00").unwrap(), NaiveTime::MIN);
        for bad in ["24:00", "12:60", "8", "8:5", "08:000", "-1:00", "ab:cd", "08:00:00", ""] {
            let e = parse_hhmm(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("{bad:?}")) && e.contains("23:59"), "{e}");
        }
        for (s, d) in [("mon", Weekday::Mon), ("Tue", Weekday::Tue), ("WEDNESDAY", Weekday::Wed), ("sun", Weekday::Sun)]
        {
            assert_eq!(parse_weekday(s).unwrap(), d);
        }
        for d in [Weekday::Mon, Weekday::Thu, Weekday::Sat, Weekday::Sun] {
            assert_eq!(parse_weekday(weekday_name(d)).unwrap(), d);
        }
        assert!(parse_weekday("someday").unwrap_err().to_string().contains("\"someday\""));
        assert_eq!(parse_tz("Europe/Moscow").unwrap(), chrono_tz::Europe::Moscow);
        assert_eq!(parse_tz("UTC").unwrap(), chrono_tz::UTC);
        let e = parse_tz("Mars/Base").unwrap_err();
        assert_eq!(e.code(), crate::error::ErrorCode::InvalidInput);
        assert!(e.to_string().contains("\"Mars/Base\""), "{e}");
        assert!(parse_tz(&system_tz()).is_ok());
        assert_eq!("week".parse::<Every>().unwrap(), Every::Week);
        assert_eq!("Daily".parse::<Every>().unwrap(), Every::Day);
        assert!("fortnight".parse::<Every>().unwrap_err().to_string().contains("\"fortnight\""));
        assert_eq!(serde_json::to_string(&Every::Hour).unwrap(), "\"hour\"");
    }

    #[test]
    fn a_daily_moscow_digest_fires_at_five_utc_every_day_of_the_year() {
        // Moscow has kept UTC+3 all year since 2014.
        let s = daily("08:00", "Europe/Moscow");
        assert_eq!(s.next(utc("2026-01-10T00:00:00Z")), utc("2026-01-10T05:00:00Z"));
        assert_eq!(s.next(utc("2026-07-10T05:00:00Z")), utc("2026-07-11T05:00:00Z"));
        assert_eq!(s.previous(utc("2026-07-10T04:59:59Z")), utc("2026-07-09T05:00:00Z"));
        assert_eq!(s.previous(utc("2026-07-10T05:00:00Z")), utc("2026-07-10T05:00:00Z"));
        // A week of digests, each covering exactly a day.
        let week = run(&s, "2026-03-26T12:00:00Z", 7);
        assert_eq!(week.first().unwrap(), "2026-03-27T05:00:00Z");
        assert_eq!(week.last().unwrap(), "2026-04-02T05:00:00Z");
        assert!(week.iter().all(|t| t.ends_with("T05:00:00Z")), "{week:?}");
    }

    #[test]
    fn a_daily_berlin_digest_keeps_to_eight_local_across_both_changes() {
        // CET is UTC+1 (08:00 = 07:00 UTC), CEST is UTC+2 (08:00 = 06:00 UTC); the clocks go forward on
        // 2026-03-29 and back on 2026-10-25, both at 01:00 UTC.
        let s = daily("08:00", "Europe/Berlin");
        assert_eq!(
            run(&s, "2026-03-27T00:00:00Z", 4),
            ["2026-03-27T07:00:00Z", "2026-03-28T07:00:00Z", "2026-03-29T06:00:00Z", "2026-03-30T06:00:00Z"]
        );
        // The digest of the night of the change covers 23 hours, the one in October 25.
        assert_eq!(s.next(utc("2026-03-28T07:00:00Z")) - utc("2026-03-28T07:00:00Z"), Duration::hours(23));
        assert_eq!(
            run(&s, "2026-10-23T12:00:00Z", 3),
            ["2026-10-24T06:00:00Z", "2026-10-25T07:00:00Z", "2026-10-26T07:00:00Z"]
        );
        assert_eq!(s.previous(utc("2026-10-25T06:59:59Z")), utc("2026-10-24T06:00:00Z"));
        for t in ["2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "2026-10-25T00:59:59Z", "2026-10-25T06:30:00Z"] {
            laws(&s, utc(t));
        }
    }

    #[test]
    fn new_york_in_the_spring_gap_fires_shifted_forward_by_the_gap() {
        // 2026-03-08: 02:00 EST (07:00 UTC) becomes 03:00 EDT; 02:30 does not exist that day, and fires as
        // 02:30 EST would have, which the clock shows as 03:30 EDT.
        let s = daily("02:30", "America/New_York");
        assert_eq!(
            run(&s, "2026-03-07T00:00:00Z", 3),
            ["2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"]
        );
        assert_eq!(s.previous(utc("2026-03-08T07:29:59Z")), utc("2026-03-07T07:30:00Z"));
        assert_eq!(s.previous(utc("2026-03-09T06:29:59Z")), utc("2026-03-08T07:30:00Z"));
        // 02:00 itself, at the very start of the gap, fires at the first instant after it.
        assert_eq!(daily("02:00", "America/New_York").next(utc("2026-03-08T00:00:00Z")), utc("2026-03-08T07:00:00Z"));
        for t in ["2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z"] {
            laws(&s, utc(t));
        }
    }

    #[test]
    fn new_york_when_the_clock_falls_back_fires_once_at_the_earlier_instant() {
        // 2026-11-01: 02:00 EDT (06:00 UTC) becomes 01:00 EST; 01:30 happens at 05:30 UTC and at 06:30 UTC.
        let s = daily("01:30", "America/New_York");
        assert_eq!(
            run(&s, "2026-10-31T00:00:00Z", 3),
            ["2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"]
        );
        assert_eq!(s.previous(utc("2026-11-01T06:30:00Z")), utc("2026-11-01T05:30:00Z"));
        // 02:30 happens once that day, in EST.
        let s = daily("02:30", "America/New_York");
        assert_eq!(
            run(&s, "2026-10-31T00:00:00Z", 3),
            ["2026-10-31T06:30:00Z", "2026-11-01T07:30:00Z", "2026-11-02T07:30:00Z"]
        );
        for t in ["2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z", "2026-11-01T06:30:00Z"] {
            laws(&daily("01:30", "America/New_York"), utc(t));
        }
    }

    #[test]
    fn a_weekly_shanghai_digest_fires_on_monday_morning_local() {
        // Shanghai is UTC+8: Monday 09:00 is Monday 01:00 UTC. 2026-06-01 is a Monday.
        let s = DigestSchedule {
            every: Every::Week,
            at: parse_hhmm("09:00").unwrap(),
            day: Weekday::Mon,
            tz: tz("Asia/Shanghai"),
        };
        assert_eq!(s.next(utc("2026-06-03T12:00:00Z")), utc("2026-06-08T01:00:00Z"));
        assert_eq!(s.previous(utc("2026-06-03T12:00:00Z")), utc("2026-06-01T01:00:00Z"));
        // Sunday 2026-05-31 18:00 UTC is already Monday 02:00 in Shanghai, before 09:00.
        assert_eq!(s.next(utc("2026-05-31T18:00:00Z")), utc("2026-06-01T01:00:00Z"));
        assert_eq!(s.previous(utc("2026-06-01T00:59:59Z")), utc("2026-05-25T01:00:00Z"));
        assert_eq!(
            run(&s, "2026-06-01T01:00:00Z", 3),
            ["2026-06-08T01:00:00Z", "2026-06-15T01:00:00Z", "2026-06-22T01:00:00Z"]
        );
        // A weekly digest across a change: Berlin's Sunday 08:00 on 2026-03-22 (CET) and 2026-03-29 (CEST).
        let s = DigestSchedule {
            every: Every::Week,
            at: parse_hhmm("08:00").unwrap(),
            day: Weekday::Sun,
            tz: tz("Europe/Berlin"),
        };
        assert_eq!(run(&s, "2026-03-20T00:00:00Z", 2), ["2026-03-22T07:00:00Z", "2026-03-29T06:00:00Z"]);
    }

    #[test]
    fn an_hourly_kolkata_digest_fires_at_a_quarter_past_every_local_hour() {
        // Kolkata is UTC+05:30: a quarter past the local hour is a quarter to the UTC hour. `at`'s hour is
        // not read.
        let s = DigestSchedule {
            every: Every::Hour,
            at: parse_hhmm("17:15").unwrap(),
            day: Weekday::Mon,
            tz: tz("Asia/Kolkata"),
        };
        assert_eq!(s.next(utc("2026-06-01T10:00:00Z")), utc("2026-06-01T10:45:00Z"));
        assert_eq!(s.next(utc("2026-06-01T10:45:00Z")), utc("2026-06-01T11:45:00Z"));
        assert_eq!(s.previous(utc("2026-06-01T10:44:59Z")), utc("2026-06-01T09:45:00Z"));
        // A whole local day, from midnight to midnight (18:30 UTC the day before): 24 digests an hour apart.
        let day = run(&s, "2026-05-31T18:30:00Z", 24);
        assert_eq!(day.first().unwrap(), "2026-05-31T18:45:00Z");
        assert_eq!(day.last().unwrap(), "2026-06-01T17:45:00Z");
        assert!(day.iter().all(|t| t.contains(":45:00Z")), "{day:?}");
    }

    #[test]
    fn hourly_digests_on_the_days_new_york_changes_its_clocks() {
        let s = DigestSchedule {
            every: Every::Hour,
            at: parse_hhmm("00:15").unwrap(),
            day: Weekday::Mon,
            tz: tz("America/New_York"),
        };
        let count = |from: &str, until: &str| {
            let (mut t, end, mut n) = (utc(from), utc(until), 0);
            loop {
                t = s.next(t);
                if t >= end {
                    return n;
                }
                n += 1;
            }
        };
        // Spring: local midnight to midnight is 23 hours; 02:15 does not exist and shifts to 03:15, once.
        assert_eq!(count("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"), 23);
        assert_eq!(s.next(utc("2026-03-08T06:15:00Z")), utc("2026-03-08T07:15:00Z"));
        // Autumn: 25 hours; 01:15 happens twice and fires at the first (05:15 UTC), not at 06:15 UTC.
        assert_eq!(count("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"), 24);
        assert_eq!(s.next(utc("2026-11-01T05:15:00Z")), utc("2026-11-01T07:15:00Z"));
        // An ordinary day has 24.
        assert_eq!(count("2026-06-01T04:00:00Z", "2026-06-02T04:00:00Z"), 24);
    }

    #[test]
    fn quiet_hours_parse_and_print() {
        let q = QuietHours::parse("22:00-7:00").unwrap();
        assert_eq!(q.to_string(), "22:00-07:00");
        assert_eq!(QuietHours::parse(&q.to_string()).unwrap(), q);
        assert_eq!(QuietHours::parse(" 13:00 - 14:30 ").unwrap().to_string(), "13:00-14:30");
        for bad in ["22:00", "22:00-22:00", "22:00-25:00", "night", "-07:00"] {
            let e = QuietHours::parse(bad).unwrap_err();
            assert_eq!(e.code(), crate::error::ErrorCode::InvalidInput);
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
    }

    #[test]
    fn quiet_hours_across_midnight_follow_the_berlin_clock_through_both_changes() {
        let q = QuietHours::parse("22:00-07:00").unwrap();
        let z = tz("Europe/Berlin");
        // An ordinary winter night: 22:00 CET is 21:00 UTC, 07:00 CET is 06:00 UTC.
        assert!(!q.contains(utc("2026-01-14T20:59:59Z"), z));
        assert!(q.contains(utc("2026-01-14T21:00:00Z"), z));
        assert!(q.contains(utc("2026-01-15T05:59:59Z"), z));
        assert!(!q.contains(utc("2026-01-15T06:00:00Z"), z));
        assert_eq!(q.end_after(utc("2026-01-14T23:00:00Z"), z), utc("2026-01-15T06:00:00Z"));
        // Not quiet: now.
        assert_eq!(q.end_after(utc("2026-01-15T12:00:00Z"), z), utc("2026-01-15T12:00:00Z"));
        // The night the clocks go forward: from 22:00 CET (21:00 UTC) to 07:00 CEST (05:00 UTC), 8 hours.
        assert!(q.contains(utc("2026-03-28T21:30:00Z"), z));
        assert!(q.contains(utc("2026-03-29T04:30:00Z"), z));
        assert!(!q.contains(utc("2026-03-29T05:30:00Z"), z));
        assert_eq!(q.end_after(utc("2026-03-28T21:30:00Z"), z), utc("2026-03-29T05:00:00Z"));
        // The night they go back: from 22:00 CEST (20:00 UTC) to 07:00 CET (06:00 UTC), 10 hours.
        assert!(q.contains(utc("2026-10-24T20:00:00Z"), z));
        assert_eq!(q.end_after(utc("2026-10-24T21:00:00Z"), z), utc("2026-10-25T06:00:00Z"));
        assert_eq!(q.end_after(utc("2026-10-25T01:30:00Z"), z), utc("2026-10-25T06:00:00Z"));
        // A daytime stretch that does not cross midnight.
        let lunch = QuietHours::parse("12:00-13:30").unwrap();
        assert!(!lunch.contains(utc("2026-06-01T09:59:00Z"), z));
        assert_eq!(lunch.end_after(utc("2026-06-01T10:15:00Z"), z), utc("2026-06-01T11:30:00Z"));
    }

    #[test]
    fn quiet_hours_that_end_in_a_gap_or_a_repeated_hour() {
        let z = tz("America/New_York");
        // Ends at 02:30, which 2026-03-08 skips: the quiet ends when the clock jumps to 03:00 EDT.
        let q = QuietHours::parse("22:00-02:30").unwrap();
        assert_eq!(q.end_after(utc("2026-03-08T05:00:00Z"), z), utc("2026-03-08T07:00:00Z"));
        assert!(q.contains(utc("2026-03-08T06:59:59Z"), z));
        assert!(!q.contains(utc("2026-03-08T07:00:00Z"), z));
        // Ends at 01:30, which 2026-11-01 shows twice: quiet ends at the first 01:30 (EDT, 05:30 UTC); when the
        // clock falls back to 01:00 EST it reads quiet again, until the second 01:30 (06:30 UTC).
        let q = QuietHours::parse("22:00-01:30").unwrap();
        assert_eq!(q.end_after(utc("2026-11-01T04:00:00Z"), z), utc("2026-11-01T05:30:00Z"));
        assert!(!q.contains(utc("2026-11-01T05:45:00Z"), z));
        assert!(q.contains(utc("2026-11-01T06:10:00Z"), z));
        assert_eq!(q.end_after(utc("2026-11-01T06:10:00Z"), z), utc("2026-11-01T06:30:00Z"));
        // Starts at 01:30: at 01:45 EDT it is quiet; falling back to 01:00 EST leaves the stretch at once.
        let q = QuietHours::parse("01:30-05:00").unwrap();
        assert_eq!(q.end_after(utc("2026-11-01T05:45:00Z"), z), utc("2026-11-01T06:00:00Z"));
        assert_eq!(q.end_after(utc("2026-11-01T06:40:00Z"), z), utc("2026-11-01T10:00:00Z"));
    }

    const ZONES: [&str; 8] = [
        "UTC",
        "Europe/Moscow",
        "Europe/Berlin",
        "America/New_York",
        "Asia/Kolkata",
        "Australia/Lord_Howe", // a half-hour change
        "America/Santiago",    // changes at midnight
        "Pacific/Apia",        // skipped 2011-12-30 altogether
    ];

    proptest! {
        #[test]
        fn previous_and_next_are_inverses(
            secs in 1_293_840_000i64..1_893_456_000, // 2011-01-01 .. 2030-01-01
            zone in 0..ZONES.len(),
            every in 0..3u8,
            h in 0..24u32,
            m in 0..60u32,
            d in 0..7u8,
        ) {
            let s = DigestSchedule {
                every: [Every::Hour, Every::Day, Every::Week][every as usize],
                at: NaiveTime::from_hms_opt(h, m, 0).unwrap(),
                day: Weekday::try_from(d).unwrap(),
                tz: tz(ZONES[zone]),
            };
            laws(&s, DateTime::from_timestamp(secs, 0).unwrap());
        }

        #[test]
        fn quiet_ends_at_the_first_instant_that_is_not_quiet(
            secs in 1_293_840_000i64..1_893_456_000,
            zone in 0..ZONES.len(),
            a in 0..96u32,
            b in 0..96u32,
        ) {
            prop_assume!(a != b);
            let at = |q: u32| NaiveTime::from_hms_opt(q / 4, 15 * (q % 4), 0).unwrap();
            let q = QuietHours { start: at(a), end: at(b) };
            let (z, t) = (tz(ZONES[zone]), DateTime::from_timestamp(secs, 0).unwrap());
            let end = q.end_after(t, z);
            prop_assert!(end >= t);
            prop_assert!(!q.contains(end, z));
            if q.contains(t, z) {
                prop_assert!(end - t < Duration::days(2));
                // Quiet all the way: checked every 5 minutes and just before the end.
                let mut s = t;
                while s < end {
                    prop_assert!(q.contains(s, z), "{} is not quiet, before {}", s, end);
                    s += Duration::minutes(5);
                }
                prop_assert!(q.contains(end - Duration::seconds(1), z));
            }
        }
    }
}
