//! `ReportDoc` → typst values (`sys.inputs.doc`). Text is passed as typst
//! strings, so it is never parsed as markup: nothing needs escaping.

use typst::foundations::{Array, Dict, Str, Value};

use crate::{Entry, ReportDoc, Snippet};

fn s(x: &str) -> Value {
    Value::Str(Str::from(x))
}

fn dict<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Dict(pairs.into_iter().map(|(k, v)| (Str::from(k), v)).collect::<Dict>())
}

fn arr(items: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(items.into_iter().collect::<Array>())
}

/// 1284 → "1,284"
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Split a snippet into plain / highlighted segments. Ranges that are out of
/// bounds, unsorted, overlapping or not on char boundaries are skipped.
pub(crate) fn segments(sn: &Snippet) -> Vec<(&str, bool)> {
    let t = sn.text.as_str();
    let mut out = Vec::new();
    let mut pos = 0;
    for &(a, b) in &sn.highlights {
        if a < pos || b <= a || b > t.len() || !t.is_char_boundary(a) || !t.is_char_boundary(b) {
            continue;
        }
        if a > pos {
            out.push((&t[pos..a], false));
        }
        out.push((&t[a..b], true));
        pos = b;
    }
    if pos < t.len() {
        out.push((&t[pos..], false));
    }
    out
}

/// Language codes typst accepts: 2–3 ASCII letters (e.g. "en", "ru", "zh").
fn lang_code(lang: Option<&str>) -> Value {
    match lang.map(|l| l.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()) {
        Some(l) if (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()) => Value::Str(l.into()),
        _ => Value::None,
    }
}

/// Day key used to group entries: "YYYY-MM-DD…" → "YYYY-MM-DD", else the whole date.
fn day_key(date: &str) -> &str {
    let b = date.as_bytes();
    let iso = b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| b[i].is_ascii_digit());
    if iso {
        &date[..10]
    } else {
        date.trim()
    }
}

fn entry(e: &Entry) -> Value {
    let mut meta = vec![e.source.as_str(), e.date.as_str()];
    if let Some(l) = e.lang.as_deref() {
        meta.push(l);
    }
    let topics = e.topics.join(", ");
    if !topics.is_empty() {
        meta.push(&topics);
    }
    meta.retain(|m| !m.trim().is_empty());
    let snippets = e
        .snippets
        .iter()
        .filter(|sn| !sn.text.trim().is_empty())
        .map(|sn| arr(segments(sn).into_iter().map(|(t, h)| dict([("t", s(t)), ("h", Value::Bool(h))]))));
    let full_text = e.full_text.as_deref().unwrap_or("");
    let paragraphs = full_text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(s);
    let title = if e.title.trim().is_empty() { "(untitled)" } else { e.title.as_str() };
    dict([
        ("title", s(title)),
        (
            "url",
            match e.url.as_deref().map(str::trim) {
                Some(u) if !u.is_empty() => s(u),
                _ => Value::None,
            },
        ),
        ("meta", s(&meta.join(" · "))),
        ("lang", lang_code(e.lang.as_deref())),
        ("snippets", arr(snippets)),
        ("also", arr(e.also_published_by.iter().map(|a| s(a)))),
        ("full_text", arr(paragraphs)),
    ])
}

pub(crate) fn build(doc: &ReportDoc, fonts: &[String]) -> Dict {
    let figures = doc.figures.iter().map(|f| {
        let total: u64 = f.rows.iter().map(|r| r.1).sum();
        let rows = f.rows.iter().map(|(label, n)| {
            let share =
                if total == 0 { "–".to_string() } else { format!("{:.1}%", *n as f64 * 100.0 / total as f64) };
            dict([("label", s(label)), ("count", s(&thousands(*n))), ("share", s(&share))])
        });
        dict([("title", s(&f.title)), ("rows", arr(rows))])
    });
    let charts = doc.charts.iter().map(|c| {
        let total: u64 = c.days.iter().map(|d| d.1).sum();
        let peak = c
            .days
            .iter()
            .fold(None::<&(String, u64)>, |best, d| match best {
                Some(b) if b.1 >= d.1 => Some(b),
                _ => Some(d),
            })
            .map(|d| format!("{} on {}", thousands(d.1), d.0))
            .unwrap_or_else(|| "–".into());
        let days = c.days.iter().map(|(d, n)| dict([("d", s(d)), ("n", Value::Int((*n).min(i64::MAX as u64) as i64))]));
        dict([
            ("title", s(&c.title)),
            ("total", s(&format!("{} stor{}", thousands(total), if total == 1 { "y" } else { "ies" }))),
            ("peak", s(&peak)),
            ("days", arr(days)),
        ])
    });
    // group consecutive entries by day
    let mut days: Vec<(&str, Vec<&Entry>)> = Vec::new();
    for e in &doc.entries {
        let key = day_key(&e.date);
        match days.last_mut() {
            Some((k, list)) if *k == key => list.push(e),
            _ => days.push((key, vec![e])),
        }
    }
    let days = days.into_iter().map(|(key, list)| {
        let n = list.len();
        let label = format!(
            "{} · {} stor{}",
            if key.is_empty() { "Undated" } else { key },
            thousands(n as u64),
            if n == 1 { "y" } else { "ies" }
        );
        dict([("label", s(&label)), ("entries", arr(list.into_iter().map(entry)))])
    });
    let doc_value = dict([
        ("title", s(&doc.title)),
        ("scope", arr(doc.scope.iter().map(|x| s(x)))),
        ("period", s(&doc.period)),
        ("generated_at", s(&doc.generated_at)),
        ("counts", s(&doc.counts)),
        ("figures", arr(figures)),
        ("charts", arr(charts)),
        ("days", arr(days)),
        ("fonts", arr(fonts.iter().map(|f| s(f)))),
    ]);
    let mut inputs = Dict::new();
    inputs.insert(Str::from("doc"), doc_value);
    inputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_sep() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1284), "1,284");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn segments_are_robust() {
        let sn = Snippet {
            text: "Путин и Ван И".into(),
            highlights: vec![(0, 10), (1, 3), (14, 20), (21, 22), (99, 100)],
        };
        let segs = segments(&sn);
        assert_eq!(segs, vec![("Путин", true), (" и ", false), ("Ван", true), (" И", false)]);
    }

    #[test]
    fn day_keys() {
        assert_eq!(day_key("2026-11-30T10:00Z"), "2026-11-30");
        assert_eq!(day_key("30 Nov 2026"), "30 Nov 2026");
    }
}
