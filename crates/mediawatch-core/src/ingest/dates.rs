//! Dates as feeds write them, parsed to UTC by one function, [`parse_date`].
//!
//! Four families are tried in order, each a function of its own; the first that reads the whole input wins:
//!
//! 1. `rfc822`: RFC 822/2822 and its real-world breakage (weekday optional, with or without a comma; day
//!    and month either way round; full or abbreviated English names; 2- or 4-digit years; time optional, with
//!    or without seconds; numeric, named or absent zone; a trailing `(comment)`).
//! 2. `iso8601`: W3C-DTF and the ISO 8601 forms feeds use (`2003-12-31T10:14:55Z`, `2003-12`, `2003`,
//!    `031231`, `-0312`, ordinals `2003-335` / `03335`, a space instead of `T`).
//! 3. `asctime`: `Sun Jan  4 16:29:06 2004`, and Twitter's `Sun Jul 15 01:16:00 +0000 2012`.
//! 4. `localised`: Korean, Chinese, Greek, Russian, Hungarian, and Perforce's `Fri, 2006/09/15 08:19:53 EDT`.
//!
//! The rules where a choice had to be made:
//!
//! - No zone means UTC, except in three fixed-offset locales, where a date written in the local script is
//!   taken in that locale's time: a Chinese date with `年月日` is Beijing time (+08:00; Japanese dates written
//!   the same way are therefore an hour off unless they carry `JST`); a Korean date (`년월일`, `오전`/`오후`)
//!   is KST (+09:00); a date with Russian month names is Moscow time (+03:00, no DST since 2014). Greek and
//!   Hungarian dates without a zone stay UTC (Athens and Budapest observe DST, so no single offset is right),
//!   and so does the numeric `11.03.2026` form, which carries no language at all.
//! - `北京时间` (in parentheses or not) means +08:00, `MSK`/`МСК` +03:00, and a `(zone)` comment names the
//!   zone when the date has none (`-0700 (PDT)` keeps the `-0700`).
//! - A zone name not in the table below is an error, never UTC. `Etc/GMT+5` is POSIX-style: UTC-5.
//! - 2-digit years: 00-69 are 20xx, 70-99 are 19xx (ISO forms too, where feedparser uses the current century:
//!   the same answer until 2070). 4-digit years are taken as written, `0100` included.
//! - A 5-digit number `YYDDD` is read as an ordinal date only when `DDD` is 032-366, a value no day-of-month
//!   can take: `03335` is 2003-12-01, `22013` is rejected (more likely an identifier or a 5-digit year than
//!   the 13th of January 2022).
//! - Slashed day/month dates (`11/03/2026`) are rejected: US and European orders disagree.
//! - Nothing is ever filled in from the clock: a date without a year, or relative words ("вчера"), is `None`.
//! - The weekday, when present, is not checked against the date (feeds get it wrong more than the date).
//! - A leap second `:60` is accepted; fractions of a second are kept.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

const HOUR: i32 = 3600;

/// Named zones, lower-case, with their offsets in seconds east of UTC.
const ZONES: &[(&str, i32)] = &[
    ("ut", 0),
    ("utc", 0),
    ("gmt", 0),
    ("uct", 0),
    ("z", 0),
    ("zulu", 0),
    ("wet", 0),
    ("west", HOUR),
    ("bst", HOUR),
    ("cet", HOUR),
    ("cest", 2 * HOUR),
    ("met", HOUR),
    ("mest", 2 * HOUR),
    ("eet", 2 * HOUR),
    ("eest", 3 * HOUR),
    ("msk", 3 * HOUR),
    ("мск", 3 * HOUR),
    ("hkt", 8 * HOUR),
    ("北京时间", 8 * HOUR),
    ("北京時間", 8 * HOUR),
    ("jst", 9 * HOUR),
    ("kst", 9 * HOUR),
    ("aest", 10 * HOUR),
    ("aedt", 11 * HOUR),
    ("nzst", 12 * HOUR),
    ("nzdt", 13 * HOUR),
    ("adt", -3 * HOUR),
    ("ast", -4 * HOUR),
    ("at", -4 * HOUR),
    ("edt", -4 * HOUR),
    ("est", -5 * HOUR),
    ("et", -5 * HOUR),
    ("cdt", -5 * HOUR),
    ("cst", -6 * HOUR),
    ("ct", -6 * HOUR),
    ("mdt", -6 * HOUR),
    ("mst", -7 * HOUR),
    ("mt", -7 * HOUR),
    ("pdt", -7 * HOUR),
    ("pst", -8 * HOUR),
    ("pt", -8 * HOUR),
    ("akdt", -8 * HOUR),
    ("akst", -9 * HOUR),
    ("hst", -10 * HOUR),
];

/// The names that mean UTC and may take a numeric offset after them (`GMT-01:01`, `UTC+3`).
const UTC_NAMES: &[&str] = &["ut", "utc", "gmt", "uct", "z", "zulu"];

/// Parses a date as feeds write it; `None` when it is not a date (never "now").
///
/// See the [module documentation](self) for the forms understood and the rules applied (notably: no zone
/// means UTC, except Chinese `年月日` dates (+08:00), Korean dates (+09:00) and dates with Russian month
/// names (+03:00)).
#[must_use]
pub fn parse_date(input: &str) -> Option<DateTime<Utc>> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    rfc822(s).or_else(|| iso8601(s)).or_else(|| asctime(s)).or_else(|| localised(s))
}

// ---------------------------------------------------------------------------------------------------------
// The families.

/// RFC 822/2822 with English names: `Fri, 24 Nov 2023 18:28:36 -0000`, `Thu Aug 30 2012 17:26:16 +0200`.
fn rfc822(s: &str) -> Option<DateTime<Utc>> {
    textual(s, &ENGLISH)
}

/// W3C-DTF and ISO 8601, read character by character. A time needs a full date; a zone needs a time.
fn iso8601(s: &str) -> Option<DateTime<Utc>> {
    let mut p = Scan { s, i: 0 };
    let (date, full) = iso_date(&mut p)?;
    if p.at_end() {
        return finish(date, None, 0);
    }
    if !full || !(p.eat(b'T') || p.eat(b't') || p.eat_spaces()) {
        return None;
    }
    let hms = iso_time(&mut p)?;
    let offset = zone_tail(&mut Cursor::new(p.rest()))?;
    finish(date, Some(hms), offset.unwrap_or(0))
}

/// asctime (`Sun Jan  4 16:29:06 2004`), with an optional zone before or after the year (Twitter).
fn asctime(s: &str) -> Option<DateTime<Utc>> {
    let mut c = Cursor::new(s);
    skip_weekday(&mut c, english_weekday);
    let month = c.word(english_month)?;
    let day = c.num(1, 2)?;
    let hms = clock(&mut c)?;
    let before = zone(&mut c)?;
    let year = i32::try_from(c.num(4, 4)?).ok()?;
    let after = zone_tail(&mut c)?;
    let offset = match (before, after) {
        (Some(_), Some(_)) => return None,
        (b, a) => b.or(a).unwrap_or(0),
    };
    finish(NaiveDate::from_ymd_opt(year, month, day)?, Some(hms), offset)
}

/// The forms in other languages and the odd numeric ones.
fn localised(s: &str) -> Option<DateTime<Utc>> {
    cjk(s)
        .or_else(|| textual(s, &RUSSIAN))
        .or_else(|| textual(s, &GREEK))
        .or_else(|| dotted(s))
        .or_else(|| hungarian(s))
        .or_else(|| perforce(s))
}

// ---------------------------------------------------------------------------------------------------------
// Word-based dates (RFC 822 and its relatives in other languages).

/// How one language writes the words of a date.
struct Language {
    month: fn(&str) -> Option<u32>,
    weekday: fn(&str) -> Option<()>,
    /// Words that may follow the year (`2026 г.`).
    year_suffixes: &'static [&'static str],
    /// Words that may precede the time (`at 08:15`, `в 08:15`).
    clock_prefixes: &'static [&'static str],
    /// The offset taken when the date names no zone.
    default_offset: i32,
}

const ENGLISH: Language = Language {
    month: english_month,
    weekday: english_weekday,
    year_suffixes: &[],
    clock_prefixes: &["at"],
    default_offset: 0,
};

const RUSSIAN: Language = Language {
    month: russian_month,
    weekday: russian_weekday,
    year_suffixes: &["г", "года", "год"],
    clock_prefixes: &["в"],
    default_offset: 3 * HOUR,
};

const GREEK: Language =
    Language { month: greek_month, weekday: greek_weekday, year_suffixes: &[], clock_prefixes: &[], default_offset: 0 };

/// `[weekday[,]] day month[,] year [time [am|pm]] [zone] [(comment)]`, or with the month before the day.
fn textual(s: &str, lang: &Language) -> Option<DateTime<Utc>> {
    let mut c = Cursor::new(s);
    skip_weekday(&mut c, lang.weekday);
    let (day, month) = if matches!(c.peek(), Some(Tok::Num(_))) {
        let day = c.num(1, 2)?;
        let _ = c.sym('-') || c.sym('.');
        let month = c.word(lang.month)?;
        let _ = c.sym('.');
        let _ = c.sym('-') || c.sym(',');
        (day, month)
    } else {
        let month = c.word(lang.month)?;
        let _ = c.sym('.');
        let day = c.num(1, 2)?;
        c.word_in(&["st", "nd", "rd", "th"]);
        let _ = c.sym(',');
        (day, month)
    };
    let year = year(&mut c)?;
    let _ = c.word_in(lang.year_suffixes) && c.sym('.');
    let _ = c.sym(',');
    if matches!(c.peek_at(1), Some(Tok::Num(_))) {
        c.word_in(lang.clock_prefixes);
    }
    let mut hms = if c.looks_like_clock() { Some(clock(&mut c)?) } else { None };
    if let Some(t) = hms {
        if let Some(pm) = c.word(meridiem) {
            hms = Some(t.twelve_hour(pm)?);
        }
    }
    let offset = zone_tail(&mut c)?.unwrap_or(lang.default_offset);
    finish(NaiveDate::from_ymd_opt(year, month, day)?, hms, offset)
}

/// Chinese and Korean: `2026年3月11日 08:15`, `2004년 05월 28일 01:31:15`, `2004-05-25 오후 11:23:17`.
fn cjk(s: &str) -> Option<DateTime<Utc>> {
    let korean = s.chars().any(is_hangul);
    if !korean && !s.chars().any(is_han) {
        return None;
    }
    let mut c = Cursor::new(s);
    let year = i32::try_from(c.num(4, 4)?).ok()?;
    let (month, day) = if c.sym('-') {
        let month = c.num(1, 2)?;
        let day = if c.sym('-') { c.num(1, 2)? } else { return None };
        (month, day)
    } else {
        if !c.word_in(&["年", "년"]) {
            return None;
        }
        let month = c.num(1, 2)?;
        if !c.word_in(&["月", "월"]) {
            return None;
        }
        let day = c.num(1, 2)?;
        if !c.word_in(&["日", "일"]) {
            return None;
        }
        (month, day)
    };
    skip_cjk_weekday(&mut c);
    let _ = c.sym(',') || c.sym('，');
    let before = c.word(meridiem);
    let hms = if c.looks_like_clock() {
        Some(clock(&mut c)?)
    } else if matches!(c.peek(), Some(Tok::Num(_))) {
        Some(cjk_clock(&mut c)?)
    } else {
        None
    };
    let after = if before.is_none() { c.word(meridiem) } else { None };
    let hms = match (hms, before.or(after)) {
        (Some(t), Some(pm)) => Some(t.twelve_hour(pm)?),
        (None, Some(_)) => return None,
        (t, None) => t,
    };
    let default = if korean { 9 * HOUR } else { 8 * HOUR };
    let offset = zone_tail(&mut c)?.unwrap_or(default);
    finish(NaiveDate::from_ymd_opt(year, month, day)?, hms, offset)
}

/// `8时15分`, `8点15分30秒`, `01시 31분 15초`.
fn cjk_clock(c: &mut Cursor<'_>) -> Option<Hms> {
    let h = c.num(1, 2)?;
    if !c.word_in(&["时", "時", "点", "點", "시"]) {
        return None;
    }
    let mut hms = Hms { h, m: 0, s: 0, nanos: 0 };
    if matches!(c.peek(), Some(Tok::Num(_))) {
        hms.m = c.num(1, 2)?;
        if !c.word_in(&["分", "분"]) {
            return None;
        }
        if matches!(c.peek(), Some(Tok::Num(_))) {
            hms.s = c.num(1, 2)?;
            if !c.word_in(&["秒", "초"]) {
                return None;
            }
        }
    }
    Some(hms)
}

/// `星期三`, `周三`, `화요일`, `(화)`, `（三）`.
fn skip_cjk_weekday(c: &mut Cursor<'_>) {
    let weekday = |w: &str| {
        w.starts_with("星期")
            || w.starts_with('周')
            || w.starts_with('週')
            || w.starts_with("礼拜")
            || w.ends_with("요일")
    };
    let single = |w: &str| w.chars().count() == 1 && "一二三四五六日天月火水木金土월화수목금토일".contains(w);
    match (c.peek(), c.peek_at(1), c.peek_at(2)) {
        (Some(Tok::Word(w)), _, _) if weekday(w) => c.pos += 1,
        (Some(Tok::Sym('(' | '（')), Some(Tok::Word(w)), Some(Tok::Sym(')' | '）'))) if weekday(w) || single(w) => {
            c.pos += 3;
        }
        _ => {}
    }
}

/// `11.03.2026 08:15`, `11.03.2026 г. в 08:15 МСК`: day.month.year; no zone is UTC.
fn dotted(s: &str) -> Option<DateTime<Utc>> {
    let mut c = Cursor::new(s);
    let day = c.num(1, 2)?;
    if !c.sym('.') {
        return None;
    }
    let month = c.num(1, 2)?;
    if !c.sym('.') {
        return None;
    }
    let year = year(&mut c)?;
    let _ = c.word_in(RUSSIAN.year_suffixes) && c.sym('.');
    let _ = c.sym(',');
    if matches!(c.peek_at(1), Some(Tok::Num(_))) {
        c.word_in(&["в", "at", "um"]);
    }
    let hms = if c.looks_like_clock() { Some(clock(&mut c)?) } else { None };
    let offset = zone_tail(&mut c)?.unwrap_or(0);
    finish(NaiveDate::from_ymd_opt(year, month, day)?, hms, offset)
}

/// `2004-július-13T9:15-05:00`: ISO 8601 with a Hungarian month name.
fn hungarian(s: &str) -> Option<DateTime<Utc>> {
    let (year, rest) = s.split_once('-')?;
    let (name, rest) = rest.split_once('-')?;
    let month = hungarian_month(name.trim_end_matches('.'))?;
    iso8601(&format!("{year}-{month:02}-{rest}"))
}

/// Perforce: `Fri, 2006/09/15 08:19:53 EDT`.
fn perforce(s: &str) -> Option<DateTime<Utc>> {
    let mut c = Cursor::new(s);
    skip_weekday(&mut c, english_weekday);
    let year = i32::try_from(c.num(4, 4)?).ok()?;
    let month = if c.sym('/') { c.num(1, 2)? } else { return None };
    let day = if c.sym('/') { c.num(1, 2)? } else { return None };
    let hms = if c.looks_like_clock() { Some(clock(&mut c)?) } else { None };
    let offset = zone_tail(&mut c)?.unwrap_or(0);
    finish(NaiveDate::from_ymd_opt(year, month, day)?, hms, offset)
}

// ---------------------------------------------------------------------------------------------------------
// Names.

/// The value of the entry of `table` that `word` (already lower-case) abbreviates, when `word` has at least
/// `min` characters and every entry it abbreviates agrees.
fn abbreviates(word: &str, table: &[(&str, u32)], min: usize) -> Option<u32> {
    if word.chars().count() < min {
        return None;
    }
    let mut found = None;
    for &(name, value) in table {
        if name.starts_with(word) {
            if found.is_some_and(|f| f != value) {
                return None;
            }
            found = Some(value);
        }
    }
    found
}

const ENGLISH_MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

const ENGLISH_WEEKDAYS: &[(&str, u32)] =
    &[("monday", 1), ("tuesday", 2), ("wednesday", 3), ("thursday", 4), ("friday", 5), ("saturday", 6), ("sunday", 7)];

fn english_month(word: &str) -> Option<u32> {
    abbreviates(&word.to_ascii_lowercase(), ENGLISH_MONTHS, 3)
}

fn english_weekday(word: &str) -> Option<()> {
    abbreviates(&word.to_ascii_lowercase(), ENGLISH_WEEKDAYS, 3).map(|_| ())
}

/// Russian month names in any grammatical case (`март`, `марта`, `марте`...), and their abbreviations.
fn russian_month(word: &str) -> Option<u32> {
    const ABBREVIATIONS: &[(&str, u32)] = &[
        ("янв", 1),
        ("фев", 2),
        ("февр", 2),
        ("мар", 3),
        ("апр", 4),
        ("июн", 6),
        ("июл", 7),
        ("авг", 8),
        ("сен", 9),
        ("сент", 9),
        ("окт", 10),
        ("ноя", 11),
        ("нояб", 11),
        ("дек", 12),
    ];
    const MAY: &[&str] = &["май", "мая", "мае", "маю", "маем"];
    /// Stems declined like `март`: март, марта, марте, марту, мартом.
    const HARD: &[(&str, u32)] = &[("март", 3), ("август", 8)];
    /// Stems declined like `январь`: январь, января, январе, январю, январем.
    const SOFT: &[(&str, u32)] = &[
        ("январ", 1),
        ("феврал", 2),
        ("апрел", 4),
        ("июн", 6),
        ("июл", 7),
        ("сентябр", 9),
        ("октябр", 10),
        ("ноябр", 11),
        ("декабр", 12),
    ];
    let word = word.to_lowercase().replace('ё', "е");
    if MAY.contains(&word.as_str()) {
        return Some(5);
    }
    if let Some(&(_, m)) = ABBREVIATIONS.iter().find(|(a, _)| *a == word) {
        return Some(m);
    }
    let declined = |stems: &[(&str, u32)], endings: &[&str]| {
        stems.iter().find_map(|&(stem, m)| word.strip_prefix(stem).filter(|e| endings.contains(e)).map(|_| m))
    };
    declined(HARD, &["", "а", "е", "у", "ом"]).or_else(|| declined(SOFT, &["ь", "я", "е", "ю", "ем"]))
}

fn russian_weekday(word: &str) -> Option<()> {
    const SHORT: &[&str] = &["пн", "вт", "ср", "чт", "пт", "сб", "вс"];
    const FULL: &[(&str, u32)] = &[
        ("понедельник", 1),
        ("вторник", 2),
        ("среда", 3),
        ("среду", 3),
        ("четверг", 4),
        ("пятница", 5),
        ("пятницу", 5),
        ("суббота", 6),
        ("субботу", 6),
        ("воскресенье", 7),
    ];
    let word = word.to_lowercase();
    if SHORT.contains(&word.as_str()) {
        return Some(());
    }
    abbreviates(&word, FULL, 2).map(|_| ())
}

/// Greek, lower-case and without accents, final sigma folded: `Ιούλ` → `ιουλ`.
fn fold_greek(word: &str) -> String {
    word.to_lowercase()
        .chars()
        .map(|c| match c {
            'ά' => 'α',
            'έ' => 'ε',
            'ή' => 'η',
            'ί' | 'ϊ' | 'ΐ' => 'ι',
            'ό' => 'ο',
            'ύ' | 'ϋ' | 'ΰ' => 'υ',
            'ώ' => 'ω',
            'ς' => 'σ',
            c => c,
        })
        .collect()
}

fn greek_month(word: &str) -> Option<u32> {
    /// Nominative and genitive: `Ιούλιος`, `Ιουλίου`; abbreviations are their prefixes.
    const MONTHS: &[(&str, u32)] = &[
        ("ιανουαριοσ", 1),
        ("ιανουαριου", 1),
        ("φεβρουαριοσ", 2),
        ("φεβρουαριου", 2),
        ("μαρτιοσ", 3),
        ("μαρτιου", 3),
        ("απριλιοσ", 4),
        ("απριλιου", 4),
        ("μαιοσ", 5),
        ("μαιου", 5),
        ("ιουνιοσ", 6),
        ("ιουνιου", 6),
        ("ιουλιοσ", 7),
        ("ιουλιου", 7),
        ("αυγουστοσ", 8),
        ("αυγουστου", 8),
        ("σεπτεμβριοσ", 9),
        ("σεπτεμβριου", 9),
        ("οκτωβριοσ", 10),
        ("οκτωβριου", 10),
        ("νοεμβριοσ", 11),
        ("νοεμβριου", 11),
        ("δεκεμβριοσ", 12),
        ("δεκεμβριου", 12),
    ];
    abbreviates(&fold_greek(word), MONTHS, 3)
}

fn greek_weekday(word: &str) -> Option<()> {
    const DAYS: &[(&str, u32)] = &[
        ("κυριακη", 7),
        ("δευτερα", 1),
        ("τριτη", 2),
        ("τεταρτη", 3),
        ("πεμπτη", 4),
        ("παρασκευη", 5),
        ("σαββατο", 6),
    ];
    abbreviates(&fold_greek(word), DAYS, 3).map(|_| ())
}

fn hungarian_month(word: &str) -> Option<u32> {
    const MONTHS: &[(&str, u32)] = &[
        ("január", 1),
        ("február", 2),
        ("március", 3),
        ("április", 4),
        ("május", 5),
        ("június", 6),
        ("július", 7),
        ("augusztus", 8),
        ("szeptember", 9),
        ("október", 10),
        ("november", 11),
        ("december", 12),
    ];
    abbreviates(&word.to_lowercase(), MONTHS, 3)
}

/// AM/PM in English, Korean and Chinese: `Some(true)` for the afternoon.
fn meridiem(word: &str) -> Option<bool> {
    match word.to_ascii_lowercase().as_str() {
        "am" | "오전" | "上午" => Some(false),
        "pm" | "오후" | "下午" => Some(true),
        _ => None,
    }
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{3130}'..='\u{318F}')
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

// ---------------------------------------------------------------------------------------------------------
// Shared pieces: tokens, clock, year, zone.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    /// A run of ASCII digits.
    Num(&'a str),
    /// A run of letters (any script).
    Word(&'a str),
    /// Any other character but white space.
    Sym(char),
}

/// Chinese and Korean field markers (`年`, `월`...), split off the front of a run of letters so that
/// `日下午` reads as `日` `下午`.
const CJK_MARKERS: &[char] =
    &['年', '月', '日', '时', '時', '点', '點', '分', '秒', '년', '월', '일', '시', '분', '초'];

/// Words that start with a marker but are kept whole.
const WHOLE_WORDS: &[&str] = &["北京时间", "北京時間", "일요일", "월요일", "시간"];

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let len = if c.is_whitespace() {
            c.len_utf8()
        } else if c.is_ascii_digit() {
            let n = rest.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(rest.len());
            toks.push(Tok::Num(&rest[..n]));
            n
        } else if let Some(w) = WHOLE_WORDS.iter().find(|w| rest.starts_with(**w)) {
            toks.push(Tok::Word(&rest[..w.len()]));
            w.len()
        } else if CJK_MARKERS.contains(&c) {
            toks.push(Tok::Word(&rest[..c.len_utf8()]));
            c.len_utf8()
        } else if c.is_alphabetic() {
            let n = rest.find(|ch: char| !ch.is_alphabetic()).unwrap_or(rest.len());
            toks.push(Tok::Word(&rest[..n]));
            n
        } else {
            toks.push(Tok::Sym(c));
            c.len_utf8()
        };
        rest = &rest[len..];
    }
    toks
}

struct Cursor<'a> {
    toks: Vec<Tok<'a>>,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor { toks: tokenize(s), pos: 0 }
    }

    fn peek(&self) -> Option<Tok<'a>> {
        self.peek_at(0)
    }

    fn peek_at(&self, k: usize) -> Option<Tok<'a>> {
        self.toks.get(self.pos + k).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// Consumes the symbol `c` if it is next.
    fn sym(&mut self, c: char) -> bool {
        let found = self.peek() == Some(Tok::Sym(c));
        self.pos += usize::from(found);
        found
    }

    /// Consumes a number of `min..=max` digits.
    fn num(&mut self, min: usize, max: usize) -> Option<u32> {
        match self.peek() {
            Some(Tok::Num(n)) if (min..=max).contains(&n.len()) => {
                self.pos += 1;
                number(n)
            }
            _ => None,
        }
    }

    /// Consumes a word that `read` understands.
    fn word<T>(&mut self, read: fn(&str) -> Option<T>) -> Option<T> {
        let Some(Tok::Word(w)) = self.peek() else { return None };
        let value = read(w)?;
        self.pos += 1;
        Some(value)
    }

    /// Consumes a word of `list` (lower-case), ignoring case.
    fn word_in(&mut self, list: &[&str]) -> bool {
        let found = matches!(self.peek(), Some(Tok::Word(w)) if list.contains(&w.to_lowercase().as_str()));
        self.pos += usize::from(found);
        found
    }

    fn looks_like_clock(&self) -> bool {
        matches!((self.peek(), self.peek_at(1)), (Some(Tok::Num(_)), Some(Tok::Sym(':'))))
    }
}

fn number(digits: &str) -> Option<u32> {
    if digits.len() > 9 {
        return None;
    }
    digits.parse().ok()
}

/// The nanoseconds of a decimal fraction's digits (`1234` → 123 400 000); digits past the ninth are dropped.
fn fraction(digits: &str) -> u32 {
    let mut nanos = 0;
    let mut scale = 100_000_000;
    for b in digits.bytes().take(9) {
        nanos += u32::from(b.wrapping_sub(b'0') % 10) * scale;
        scale /= 10;
    }
    nanos
}

/// A 2-digit year (00-69 → 20xx, 70-99 → 19xx) or a 4-digit one; not the hour of a following clock.
fn year(c: &mut Cursor<'_>) -> Option<i32> {
    if c.peek_at(1) == Some(Tok::Sym(':')) {
        return None;
    }
    match c.peek()? {
        Tok::Num(n) if n.len() == 2 => {
            c.pos += 1;
            Some(pivot(number(n)?))
        }
        Tok::Num(n) if n.len() == 4 => {
            c.pos += 1;
            i32::try_from(number(n)?).ok()
        }
        _ => None,
    }
}

fn pivot(yy: u32) -> i32 {
    let yy = i32::try_from(yy % 100).unwrap_or(0);
    if yy < 70 {
        2000 + yy
    } else {
        1900 + yy
    }
}

/// A time of day, not yet checked.
#[derive(Clone, Copy, Debug)]
struct Hms {
    h: u32,
    m: u32,
    s: u32,
    nanos: u32,
}

impl Hms {
    fn twelve_hour(self, pm: bool) -> Option<Hms> {
        if !(1..=12).contains(&self.h) {
            return None;
        }
        Some(Hms { h: self.h % 12 + if pm { 12 } else { 0 }, ..self })
    }

    fn time(self) -> Option<NaiveTime> {
        if self.s == 60 {
            // A leap second: chrono writes it as second 59 plus a second's worth of nanoseconds.
            return NaiveTime::from_hms_nano_opt(self.h, self.m, 59, self.nanos.checked_add(1_000_000_000)?);
        }
        NaiveTime::from_hms_nano_opt(self.h, self.m, self.s, self.nanos)
    }
}

/// `h:mm[:ss[.fraction]]` (1 or 2 digits each).
fn clock(c: &mut Cursor<'_>) -> Option<Hms> {
    let h = c.num(1, 2)?;
    if !c.sym(':') {
        return None;
    }
    let m = c.num(1, 2)?;
    let mut hms = Hms { h, m, s: 0, nanos: 0 };
    if c.sym(':') {
        hms.s = c.num(1, 2)?;
        if let (Some(Tok::Sym('.' | ',')), Some(Tok::Num(digits))) = (c.peek(), c.peek_at(1)) {
            c.pos += 2;
            hms.nanos = fraction(digits);
        }
    }
    Some(hms)
}

/// A zone, if one is next: `Some(None)` when there is none, `None` when it is malformed or unknown.
fn zone(c: &mut Cursor<'_>) -> Option<Option<i32>> {
    match c.peek() {
        Some(Tok::Sym('+' | '-')) => numeric_offset(c).map(Some),
        Some(Tok::Word(w)) => {
            c.pos += 1;
            let name = w.to_lowercase();
            let signed_next = matches!(c.peek(), Some(Tok::Sym('+' | '-')));
            if name == "etc" {
                // `Etc/GMT`, and POSIX's inverted `Etc/GMT+5` (= UTC-5).
                if !c.sym('/') || !c.word_in(UTC_NAMES) {
                    return None;
                }
                let signed_next = matches!(c.peek(), Some(Tok::Sym('+' | '-')));
                return if signed_next { numeric_offset(c).map(|o| Some(-o)) } else { Some(Some(0)) };
            }
            if UTC_NAMES.contains(&name.as_str()) && signed_next {
                return numeric_offset(c).map(Some);
            }
            ZONES.iter().find(|(n, _)| *n == name).map(|&(_, offset)| Some(offset))
        }
        _ => Some(None),
    }
}

/// `+hhmm`, `+hh:mm`, `+hh`, `-h`.
fn numeric_offset(c: &mut Cursor<'_>) -> Option<i32> {
    let sign = if c.sym('+') {
        1
    } else if c.sym('-') {
        -1
    } else {
        return None;
    };
    let (h, m) = match c.peek()? {
        Tok::Num(n) if n.len() == 4 => {
            c.pos += 1;
            (number(&n[..2])?, number(&n[2..])?)
        }
        Tok::Num(n) if n.len() <= 2 => {
            c.pos += 1;
            let m = if c.sym(':') { c.num(2, 2)? } else { 0 };
            (number(n)?, m)
        }
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * i32::try_from(h * 3600 + m * 60).ok()?)
}

/// A trailing `(comment)`: the zone it names if it is exactly a known zone name (`(PDT)`, `(北京时间)`).
fn comment(c: &mut Cursor<'_>) -> Option<Option<i32>> {
    let close = if c.sym('(') {
        ')'
    } else if c.sym('（') {
        '）'
    } else {
        return Some(None);
    };
    let start = c.pos;
    let end = start + c.toks[start..].iter().position(|t| *t == Tok::Sym(close))?;
    c.pos = end + 1;
    Some(match c.toks[start..end] {
        [Tok::Word(w)] => {
            let name = w.to_lowercase();
            ZONES.iter().find(|(n, _)| *n == name).map(|&(_, offset)| offset)
        }
        _ => None,
    })
}

/// What may end a date: `[zone] [(comment)]`, then nothing. The offset given, if any.
fn zone_tail(c: &mut Cursor<'_>) -> Option<Option<i32>> {
    let explicit = zone(c)?;
    let noted = comment(c)?;
    c.at_end().then_some(explicit.or(noted))
}

fn skip_weekday(c: &mut Cursor<'_>, weekday: fn(&str) -> Option<()>) {
    if c.word(weekday).is_some() {
        let _ = c.sym(',') || c.sym('.');
        return;
    }
    // A weekday in another language (`mer,` `jeu,` `Mi.,` `sáb,`): a short word, then a comma, then a number.
    if let (Some(Tok::Word(w)), Some(Tok::Sym(',')), Some(Tok::Num(_))) = (c.peek(), c.peek_at(1), c.peek_at(2)) {
        if (2..=4).contains(&w.chars().count()) && w.chars().all(char::is_alphabetic) {
            c.pos += 2;
        }
    }
}

fn finish(date: NaiveDate, hms: Option<Hms>, offset: i32) -> Option<DateTime<Utc>> {
    let time = match hms {
        Some(t) => t.time()?,
        None => NaiveTime::MIN,
    };
    let zone = FixedOffset::east_opt(offset)?;
    zone.from_local_datetime(&date.and_time(time)).single().map(|d| d.with_timezone(&Utc))
}

// ---------------------------------------------------------------------------------------------------------
// ISO 8601, by character.

struct Scan<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Scan<'a> {
    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }

    fn rest(&self) -> &'a str {
        self.s.get(self.i..).unwrap_or("")
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let found = self.peek() == Some(b);
        self.i += usize::from(found);
        found
    }

    fn eat_spaces(&mut self) -> bool {
        let start = self.i;
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
        self.i > start
    }

    /// A run of ASCII digits (possibly empty).
    fn digits(&mut self) -> &'a str {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        self.s.get(start..self.i).unwrap_or("")
    }
}

/// The date, and whether it is complete (to the day), which a time requires.
fn iso_date(p: &mut Scan<'_>) -> Option<(NaiveDate, bool)> {
    let ymd = NaiveDate::from_ymd_opt;
    let n = number;
    if p.eat(b'-') {
        // `-YYMM`, `-YY-MM`: a month of a 2-digit year.
        let a = p.digits();
        let (yy, mm) = match a.len() {
            4 => (&a[..2], &a[2..]),
            2 if p.eat(b'-') => (a, p.digits()),
            _ => return None,
        };
        if mm.len() != 2 {
            return None;
        }
        return Some((ymd(pivot(n(yy)?), n(mm)?, 1)?, false));
    }
    let a = p.digits();
    match a.len() {
        4 => {
            let year = i32::try_from(n(a)?).ok()?;
            if !p.eat(b'-') {
                return Some((ymd(year, 1, 1)?, false));
            }
            let b = p.digits();
            match b.len() {
                1 | 2 => {
                    let month = n(b)?;
                    if !p.eat(b'-') {
                        return Some((ymd(year, month, 1)?, false));
                    }
                    let d = p.digits();
                    if !(1..=2).contains(&d.len()) {
                        return None;
                    }
                    Some((ymd(year, month, n(d)?)?, true))
                }
                // `2003-012-31` (a 3-digit month, as feedparser reads it) or the ordinal `2003-335`.
                3 if b.starts_with('0') && p.peek() == Some(b'-') => {
                    p.eat(b'-');
                    let d = p.digits();
                    if !(1..=2).contains(&d.len()) {
                        return None;
                    }
                    Some((ymd(year, n(b)?, n(d)?)?, true))
                }
                3 => Some((NaiveDate::from_yo_opt(year, n(b)?)?, true)),
                _ => None,
            }
        }
        8 => Some((ymd(i32::try_from(n(&a[..4])?).ok()?, n(&a[4..6])?, n(&a[6..])?)?, true)),
        7 => Some((NaiveDate::from_yo_opt(i32::try_from(n(&a[..4])?).ok()?, n(&a[4..])?)?, true)),
        6 => Some((ymd(pivot(n(&a[..2])?), n(&a[2..4])?, n(&a[4..])?)?, true)),
        5 => {
            let ordinal = n(&a[2..])?;
            if ordinal <= 31 {
                return None;
            }
            Some((NaiveDate::from_yo_opt(pivot(n(&a[..2])?), ordinal)?, true))
        }
        2 => {
            // `03-12-31`
            if !p.eat(b'-') {
                return None;
            }
            let m = p.digits();
            if m.len() != 2 || !p.eat(b'-') {
                return None;
            }
            let d = p.digits();
            if d.len() != 2 {
                return None;
            }
            Some((ymd(pivot(n(a)?), n(m)?, n(d)?)?, true))
        }
        _ => None,
    }
}

/// `hh:mm[:ss][.fraction]` (the hour may have one digit) or, compact, `hhmm[ss][.fraction]`.
fn iso_time(p: &mut Scan<'_>) -> Option<Hms> {
    let a = p.digits();
    let mut hms = match a.len() {
        4 | 6 => Hms {
            h: number(&a[..2])?,
            m: number(&a[2..4])?,
            s: if a.len() == 6 { number(&a[4..])? } else { 0 },
            nanos: 0,
        },
        1 | 2 => {
            if !p.eat(b':') {
                return None;
            }
            let m = p.digits();
            if m.len() != 2 {
                return None;
            }
            let mut hms = Hms { h: number(a)?, m: number(m)?, s: 0, nanos: 0 };
            if p.eat(b':') {
                let s = p.digits();
                if s.len() != 2 {
                    return None;
                }
                hms.s = number(s)?;
            }
            hms
        }
        _ => return None,
    };
    if p.eat(b'.') || p.eat(b',') {
        let f = p.digits();
        if f.is_empty() {
            return None;
        }
        hms.nanos = fraction(f);
    }
    Some(hms)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, expected UTC in RFC 3339, or `None` when it must be rejected).
    const CASES: &[(&str, Option<&str>)] = &[
        // RFC 822 and its breakage.
        ("Sat, 07 Mar 2026 14:05:09 GMT", Some("2026-03-07T14:05:09Z")),
        // A weekday in another language, a lower-case month (Italian and French feeds do this).
        ("mer, 16 nov 2022 00:38:15 +0100", Some("2022-11-15T23:38:15Z")),
        ("jeu, 12 mars 2026 09:00:00 +0100", None),
        ("sáb, 07 Mar 2026 14:05:09 GMT", Some("2026-03-07T14:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 +0200", Some("2026-03-07T12:05:09Z")),
        ("Sat, 7 Mar 2026 14:05:09 -0330", Some("2026-03-07T17:35:09Z")),
        ("Sat,7 Mar 2026 14:05:09 -0000", Some("2026-03-07T14:05:09Z")),
        ("Sat 07 Mar 2026 14:05:09 UT", Some("2026-03-07T14:05:09Z")),
        ("07 Mar 2026 14:05:09 Z", Some("2026-03-07T14:05:09Z")),
        ("Saturday, 07 March 2026 14:05 UTC", Some("2026-03-07T14:05:00Z")),
        ("Sat, 07 Mar, 2026 14:05:09 UTC", Some("2026-03-07T14:05:09Z")),
        ("Tue, 09 Sep 08 10:00:00 GMT", Some("2008-09-09T10:00:00Z")),
        ("Tue, 09 Sep 97 10:00:00 GMT", Some("1997-09-09T10:00:00Z")),
        ("Sat, 01 Jan 0200 00:30:00 +0100", Some("0199-12-31T23:30:00Z")),
        ("Sat, 07 Mar 2026", Some("2026-03-07T00:00:00Z")),
        ("Sat, 07 Mar 2026 14:05:09 Etc/GMT", Some("2026-03-07T14:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 Etc/GMT+5", Some("2026-03-07T19:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 GMT+02:30", Some("2026-03-07T11:35:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 -02:30", Some("2026-03-07T16:35:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 EST", Some("2026-03-07T19:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 EDT", Some("2026-03-07T18:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 CST", Some("2026-03-07T20:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 CDT", Some("2026-03-07T19:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 MST", Some("2026-03-07T21:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 MDT", Some("2026-03-07T20:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 PST", Some("2026-03-07T22:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 PDT", Some("2026-03-07T21:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 AT", Some("2026-03-07T18:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 ET", Some("2026-03-07T19:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 CT", Some("2026-03-07T20:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 MT", Some("2026-03-07T21:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 PT", Some("2026-03-07T22:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 MET", Some("2026-03-07T13:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 MEST", Some("2026-03-07T12:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 -0700 (PDT)", Some("2026-03-07T21:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 (PDT)", Some("2026-03-07T21:05:09Z")),
        ("Sunday, 06-Nov-94 08:49:37 GMT", Some("1994-11-06T08:49:37Z")),
        ("March 7th, 2026 at 2:05 PM EST", Some("2026-03-07T19:05:00Z")),
        ("Sat Mar 07 2026 14:05:09 +0200", Some("2026-03-07T12:05:09Z")),
        ("Sat Mar 07 2026 14:05:09 GMT+0200 (CEST)", Some("2026-03-07T12:05:09Z")),
        ("Sat, 07 Mar 2026 14:05:09 XYZ", None),
        ("Sat, 07 Mar 2026 25:05:09 GMT", None),
        ("Sat, 07 Mar 2026 14:65:09 GMT", None),
        ("Sat, 07 Mar 2026 14:05:61 GMT", None),
        ("Sat, 07 Mar 2026 14:05:09 +zz:00", None),
        ("Sat, 07 Mar 2026 14:05:09 -99:99", None),
        ("Sat, 07 Mar 2026 14:05:09 +02:zz", None),
        ("Sat, 32 Mar 2026 14:05:09 GMT", None),
        ("Sat, 07 Foo 2026 14:05:09 GMT", None),
        ("Sat, Mar q 2026 14:05:09 GMT", None),
        ("Sat, 07 Mar yy 14:05:09 GMT", None),
        ("Sat, 07 Mar 2026 4:5:6:7 GMT", None),
        ("Sat, 07 Mar 14:05:09 GMT", None),
        ("", None),
        ("   ", None),
        ("now", None),
        // asctime and Twitter.
        ("Sat Mar  7 14:05:09 2026", Some("2026-03-07T14:05:09Z")),
        ("Sat Mar 07 14:05:09 -0500 2026", Some("2026-03-07T19:05:09Z")),
        ("Sat Mar 07 14:05:09 2026 GMT", Some("2026-03-07T14:05:09Z")),
        ("Sat Mar 07 14:05:09 +0000 2026 GMT", None),
        // W3C-DTF / ISO 8601.
        ("2026-03-07T14:05:09Z", Some("2026-03-07T14:05:09Z")),
        ("2026-03-07t14:05:09z", Some("2026-03-07T14:05:09Z")),
        ("2026-03-07T14:05:09.25Z", Some("2026-03-07T14:05:09.250Z")),
        ("2026-03-07T14:05:09.123456789123-01:00", Some("2026-03-07T15:05:09.123456789Z")),
        ("2026-03-07T14:05:09+05:30", Some("2026-03-07T08:35:09Z")),
        ("2026-03-07T14:05:09+0530", Some("2026-03-07T08:35:09Z")),
        ("2026-03-07T14:05+01:00", Some("2026-03-07T13:05:00Z")),
        ("2026-03-07T23:59:60Z", Some("2026-03-07T23:59:60Z")),
        ("20260307T140509Z", Some("2026-03-07T14:05:09Z")),
        ("2026-03-07", Some("2026-03-07T00:00:00Z")),
        ("2026-03", Some("2026-03-01T00:00:00Z")),
        ("2026", Some("2026-01-01T00:00:00Z")),
        ("20260307", Some("2026-03-07T00:00:00Z")),
        ("2026066", Some("2026-03-07T00:00:00Z")),
        ("2026-066", Some("2026-03-07T00:00:00Z")),
        ("26066", Some("2026-03-07T00:00:00Z")),
        ("260307", Some("2026-03-07T00:00:00Z")),
        ("26-03-07", Some("2026-03-07T00:00:00Z")),
        ("-2603", Some("2026-03-01T00:00:00Z")),
        ("-26-03", Some("2026-03-01T00:00:00Z")),
        ("2026-003-07T14:05:09+00:00", Some("2026-03-07T14:05:09Z")),
        ("2026-03-07 14:05:09", Some("2026-03-07T14:05:09Z")),
        ("2026-03-07 14:05:09.0", Some("2026-03-07T14:05:09Z")),
        ("2026-03-07 14:05:09 -00:30", Some("2026-03-07T14:35:09Z")),
        ("2026-03-07 14:05:09 (北京时间)", Some("2026-03-07T06:05:09Z")),
        ("2024-02-28T20:00:00-08:00", Some("2024-02-29T04:00:00Z")),
        ("2026-02-29", None),
        ("2026-03-07T24:05:09Z", None),
        ("2026-03-07T14:60:09Z", None),
        ("2026-03-07T14:05:61Z", None),
        ("2026-03-07T14:05:09-99:99", None),
        ("2026-03-07T14:05:09+01:00junk", None),
        ("2026-03-07-01", None),
        ("2026-xx-07", None),
        ("2026-03-07T14:xx:09Z", None),
        ("2026-03-07T14:05:09+01:xx", None),
        ("2026-03T14:05:09Z", None),
        ("26013", None),
        ("026", None),
        ("12345678901234567890", None),
        // Korean.
        ("2026-03-07 오후 2:05:09", Some("2026-03-07T05:05:09Z")),
        ("2026-03-07 오전 12:05:09", Some("2026-03-06T15:05:09Z")),
        ("2026년 03월 07일  14:05:09", Some("2026-03-07T05:05:09Z")),
        ("2026년 3월 7일 화요일 오후 2시 5분", Some("2026-03-07T05:05:00Z")),
        ("2026-03-07 오후 13:05:09", None),
        // Greek.
        ("Σαβ, 07 Μάρ 2026 14:05:09 EST", Some("2026-03-07T19:05:09Z")),
        ("Κυρ, 12 Ιούλ 2026 12:00:00 GMT", Some("2026-07-12T12:00:00Z")),
        ("12 Ιουλίου 2026", Some("2026-07-12T00:00:00Z")),
        // Hungarian.
        ("2026-március-07T9:05-05:00", Some("2026-03-07T14:05:00Z")),
        ("2026-július-13", Some("2026-07-13T00:00:00Z")),
        ("2026-foo-13", None),
        // Perforce.
        ("Sat, 2026/03/07 14:05:09 EDT", Some("2026-03-07T18:05:09Z")),
        ("2026/03/07 14:05:09", Some("2026-03-07T14:05:09Z")),
        // Russian: month names in any case form, Moscow time by default.
        ("11 марта 2026, 08:15", Some("2026-03-11T05:15:00Z")),
        ("11 марта 2026 г. 08:15 МСК", Some("2026-03-11T05:15:00Z")),
        ("11 марта 2026 года в 08:15", Some("2026-03-11T05:15:00Z")),
        ("среда, 11 марта 2026 08:15 MSK", Some("2026-03-11T05:15:00Z")),
        ("1 мая 2026", Some("2026-04-30T21:00:00Z")),
        ("Март 11, 2026 08:15", Some("2026-03-11T05:15:00Z")),
        ("11 Января 2026 08:15 GMT", Some("2026-01-11T08:15:00Z")),
        ("11 сент. 2026 08:15", Some("2026-09-11T05:15:00Z")),
        ("11 декабре 2026", Some("2026-12-10T21:00:00Z")),
        ("11.03.2026 08:15", Some("2026-03-11T08:15:00Z")),
        ("11.03.2026 08:15 МСК", Some("2026-03-11T05:15:00Z")),
        ("11.03.2026", Some("2026-03-11T00:00:00Z")),
        ("11 марта 08:15", None),
        ("11 мартобря 2026", None),
        ("вчера, 08:15", None),
        ("31.02.2026", None),
        // Chinese: Beijing time by default.
        ("2026年3月11日 08:15", Some("2026-03-11T00:15:00Z")),
        ("2026年03月11日08:15:00", Some("2026-03-11T00:15:00Z")),
        ("2026-03-11 08:15 (北京时间)", Some("2026-03-11T00:15:00Z")),
        ("2026-03-11 08:15 北京时间", Some("2026-03-11T00:15:00Z")),
        ("2026-03-11 08:15（北京时间）", Some("2026-03-11T00:15:00Z")),
        ("2026年3月11日", Some("2026-03-10T16:00:00Z")),
        ("2026年3月11日 星期三 下午3:30", Some("2026-03-11T07:30:00Z")),
        ("2026年3月11日下午3点30分", Some("2026-03-11T07:30:00Z")),
        ("2026年3月11日 08:15 UTC", Some("2026-03-11T08:15:00Z")),
        ("2026年13月11日", None),
        ("2026年3月", None),
        ("11/03/2026", None),
    ];

    #[test]
    fn table() {
        let mut failures = Vec::new();
        for &(input, expected) in CASES {
            let got = parse_date(input);
            let want = expected.map(|e| DateTime::parse_from_rfc3339(e).expect(e).with_timezone(&Utc));
            if got != want {
                failures.push(format!("{input:?}: got {got:?}, expected {expected:?}"));
            }
        }
        assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn surrounding_white_space_is_ignored() {
        assert_eq!(parse_date("  2026-03-07\n"), parse_date("2026-03-07"));
    }

    #[test]
    fn never_panics() {
        let seeds: Vec<&str> = CASES.iter().map(|(input, _)| *input).collect();
        // Every prefix and suffix of every case, at each character boundary.
        for seed in &seeds {
            for (i, _) in seed.char_indices() {
                let _ = parse_date(&seed[..i]);
                let _ = parse_date(&seed[i..]);
            }
        }
        // Random strings over an alphabet that keeps the parser busy, and random bytes.
        let alphabet: Vec<char> =
            "0123456789 :-+./,()（）TZtzAPMESGUaemrhnó年月日년월일시분오후下午北京时间марта Κυρ".chars().collect();
        let mut rng = fastrand::Rng::with_seed(0x5eed);
        for _ in 0..20_000 {
            let len = rng.usize(0..40);
            let s: String = (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
            let _ = parse_date(&s);
            let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
            let _ = parse_date(&String::from_utf8_lossy(&bytes));
        }
        // Mutations of the cases: one character replaced, inserted or removed.
        for _ in 0..20_000 {
            let mut s: Vec<char> = seeds[rng.usize(..seeds.len())].chars().collect();
            let c = alphabet[rng.usize(..alphabet.len())];
            match (rng.u8(..3), s.is_empty()) {
                (0, false) => {
                    let i = rng.usize(..s.len());
                    s[i] = c;
                }
                (1, false) => {
                    s.remove(rng.usize(..s.len()));
                }
                _ => s.insert(rng.usize(..=s.len()), c),
            }
            let _ = parse_date(&s.into_iter().collect::<String>());
        }
    }
}
