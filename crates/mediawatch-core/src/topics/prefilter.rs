//! A query translated into a prefilter over the stored articles: conditions that every article the query
//! matches satisfies (a superset), cheap for SQLite to test — FTS5 terms, phrases and prefixes, and plain
//! substring tests for each CJK character (FTS5's `unicode61` tokenizer keeps CJK runs as whole tokens). The store turns
//! it into SQL; the engine then verifies every candidate, so search, backfill and live matching never
//! disagree about what a query means.
//!
//! Why a condition is always a superset of the engine's meaning:
//! - FTS5 (`unicode61 remove_diacritics 2`) folds case and Latin diacritics on both sides, so an engine
//!   match (one-way folding) is an FTS match — except `ё`, which FTS5 keeps apart from `е`: a word with
//!   `е` or `ё` becomes an OR of both spellings; and full-width Latin, which FTS5 does not fold to ASCII
//!   (the engine reads NFKC): an ASCII word also looks for its full-width spelling.
//! - A phrase with wildcards, slop or NEAR becomes an AND of its words (order and distance are left to the
//!   engine); a negation, `site:`, `lang:`, `source:`, `url:`, `author:` (not in the FTS index), or a
//!   stemmed word gives no condition (`All`).

use super::query::{FieldName, Query, Term, WordPattern};
use super::text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prefilter {
    /// Every article is a candidate.
    All,
    /// An FTS5 `MATCH` expression over the title and text columns.
    Fts(String),
    /// The title or the text contains this string (a CJK run).
    Contains(String),
    And(Vec<Prefilter>),
    Or(Vec<Prefilter>),
}

/// The most `е`/`ё` letters in one word spelled both ways (each doubles the variants).
const MAX_YO_VARIANTS: usize = 3;

/// The prefilter of a query (`stem`: the topic matches plain words by stem).
pub fn prefilter(q: &Query, stem: bool) -> Prefilter {
    simplify(build(q, stem))
}

fn build(q: &Query, stem: bool) -> Prefilter {
    match q {
        Query::Term(t) => term(t, stem),
        Query::And(items) => Prefilter::And(items.iter().map(|i| build(i, stem)).collect()),
        Query::Near { left, right, .. } => Prefilter::And(vec![build(left, stem), build(right, stem)]),
        Query::Or(items) => Prefilter::Or(items.iter().map(|i| build(i, stem)).collect()),
        Query::Not(a, _) | Query::Field(FieldName::Title | FieldName::Body | FieldName::Lead, a) => build(a, stem),
        // The FTS index holds the title and the text only: the source's name, the URL and the author are
        // checked by the engine.
        Query::Field(FieldName::Source | FieldName::Url | FieldName::Author, _) => Prefilter::All,
        Query::Negated(_) | Query::Site(_) | Query::Lang(_) => Prefilter::All,
    }
}

fn term(t: &Term, stem: bool) -> Prefilter {
    Prefilter::Or(t.alternatives.iter().map(|words| sequence(words, t.slop.is_none(), stem)).collect())
}

/// One reading of a term: a phrase when every word is a plain non-CJK word and order is strict, otherwise
/// an AND of what each word (or each CJK run) requires.
fn sequence(words: &[WordPattern], strict: bool, stem: bool) -> Prefilter {
    let stemmed = |w: &WordPattern| stem && !w.case_sensitive && !w.cjk && !w.wildcard;
    let plain = words.iter().all(|w| !w.cjk && !w.wildcard && !stemmed(w));
    if strict && plain && words.len() > 1 && words.iter().all(|w| yo_count(&fts_word(w)) == 0 && w.text.is_ascii()) {
        let phrase = words.iter().map(fts_word).collect::<Vec<_>>().join(" ");
        let wide: String = phrase.chars().map(full_width).collect();
        return Prefilter::Fts(format!("(\"{phrase}\" OR \"{wide}\")"));
    }
    let mut parts = Vec::new();
    let mut chars: Vec<&str> = Vec::new();
    for w in words {
        if w.cjk {
            // Each character on its own: the engine also matches a run split by spaces or punctuation
            // (`一带 一路`, `习近平，会见`), which a substring test of the whole run would miss.
            if !chars.contains(&w.text.as_str()) {
                chars.push(&w.text);
                parts.push(Prefilter::Contains(w.text.clone()));
            }
            continue;
        }
        if stemmed(w) {
            continue;
        }
        parts.push(word(w));
    }
    Prefilter::And(parts)
}

/// The word's form for FTS5: its literal part (before a wildcard), folded, without diacritics.
fn fts_word(w: &WordPattern) -> String {
    let lit = w.literal_prefix();
    if w.case_sensitive {
        text::bare(&text::fold(lit))
    } else {
        text::bare(lit)
    }
}

fn yo_count(s: &str) -> usize {
    s.chars().filter(|&c| c == 'е' || c == 'ё').count()
}

fn word(w: &WordPattern) -> Prefilter {
    let base = fts_word(w);
    if base.is_empty() {
        return Prefilter::All;
    }
    let star = if w.wildcard { "*" } else { "" };
    let mut spellings = vec![base.clone()];
    let yo = yo_count(&base);
    if yo > MAX_YO_VARIANTS {
        return Prefilter::All;
    }
    if yo > 0 {
        spellings = vec![String::new()];
        for c in base.chars() {
            let options: &[char] = if c == 'е' || c == 'ё' { &['е', 'ё'] } else { &[c] };
            spellings = spellings
                .iter()
                .flat_map(|s| {
                    options.iter().map(move |o| {
                        let mut s = s.clone();
                        s.push(*o);
                        s
                    })
                })
                .collect();
        }
    } else if base.is_ascii() {
        spellings.push(base.chars().map(full_width).collect());
    }
    let alternatives: Vec<String> = spellings.iter().map(|s| format!("\"{s}\"{star}")).collect();
    Prefilter::Fts(if alternatives.len() == 1 {
        alternatives.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", alternatives.join(" OR "))
    })
}

/// The full-width form of a printable ASCII character.
fn full_width(c: char) -> char {
    match c {
        '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
        _ => c,
    }
}

/// Drops what does not narrow anything: `All` inside AND, OR with an `All` branch, single-item groups;
/// adjacent FTS conditions merge into one `MATCH` expression.
fn simplify(p: Prefilter) -> Prefilter {
    match p {
        Prefilter::And(items) => {
            let mut fts = Vec::new();
            let mut rest = Vec::new();
            for i in items.into_iter().map(simplify) {
                match i {
                    Prefilter::All => {}
                    Prefilter::Fts(s) => fts.push(s),
                    Prefilter::And(inner) => rest.extend(inner),
                    other => rest.push(other),
                }
            }
            if !fts.is_empty() {
                rest.insert(0, Prefilter::Fts(group(&fts, " AND ")));
            }
            single(rest, Prefilter::And, Prefilter::All)
        }
        Prefilter::Or(items) => {
            let mut fts = Vec::new();
            let mut rest = Vec::new();
            for i in items.into_iter().map(simplify) {
                match i {
                    Prefilter::All => return Prefilter::All,
                    Prefilter::Fts(s) => fts.push(s),
                    Prefilter::Or(inner) => rest.extend(inner),
                    other => rest.push(other),
                }
            }
            if !fts.is_empty() {
                rest.insert(0, Prefilter::Fts(group(&fts, " OR ")));
            }
            single(rest, Prefilter::Or, Prefilter::All)
        }
        other => other,
    }
}

fn group(parts: &[String], sep: &str) -> String {
    if parts.len() == 1 {
        parts[0].clone()
    } else {
        parts.iter().map(|p| format!("({p})")).collect::<Vec<_>>().join(sep)
    }
}

fn single(mut items: Vec<Prefilter>, wrap: fn(Vec<Prefilter>) -> Prefilter, empty: Prefilter) -> Prefilter {
    match items.len() {
        0 => empty,
        1 => items.remove(0),
        _ => wrap(items),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::query::parse;

    fn pf(q: &str) -> Prefilter {
        prefilter(&parse(q).unwrap(), false)
    }

    #[test]
    fn queries_become_fts_expressions() {
        assert_eq!(pf("BRICS"), Prefilter::Fts("(\"brics\" OR \"ｂｒｉｃｓ\")".into()));
        assert_eq!(pf("\"Belt and Road\""), Prefilter::Fts("(\"belt and road\" OR \"ｂｅｌｔ ａｎｄ ｒｏａｄ\")".into()));
        assert_eq!(pf("visa*"), Prefilter::Fts("(\"visa\"* OR \"ｖｉｓａ\"*)".into()));
        assert_eq!(
            pf("visa-free"),
            Prefilter::Fts(
                "((\"visa free\" OR \"ｖｉｓａ ｆｒｅｅ\")) OR ((\"visafree\" OR \"ｖｉｓａｆｒｅｅ\"))".into()
            )
        );
        assert_eq!(pf("ёлка"), Prefilter::Fts("(\"елка\" OR \"ёлка\")".into()));
        assert_eq!(
            pf("一带一路"),
            Prefilter::And(vec![
                Prefilter::Contains("一".into()),
                Prefilter::Contains("带".into()),
                Prefilter::Contains("路".into())
            ])
        );
        assert_eq!(pf("NOT x"), Prefilter::All);
        assert_eq!(pf("x OR -y"), Prefilter::All);
        assert_eq!(pf("lang:ru"), Prefilter::All);
        assert_eq!(pf("x NOT y"), pf("x"));
        assert_eq!(pf("x site:example.com"), pf("x"));
        assert_eq!(pf("title:x"), pf("x"));
        assert_eq!(pf("source:x"), Prefilter::All);
        assert_eq!(pf("author:x OR y"), Prefilter::All);
        assert_eq!(
            pf("путин AND 习近平"),
            Prefilter::And(vec![
                Prefilter::Fts("\"путин\"".into()),
                Prefilter::Contains("习".into()),
                Prefilter::Contains("近".into()),
                Prefilter::Contains("平".into())
            ])
        );
        assert_eq!(
            pf("путин OR 习近平"),
            Prefilter::Or(vec![
                Prefilter::Fts("\"путин\"".into()),
                Prefilter::And(vec![
                    Prefilter::Contains("习".into()),
                    Prefilter::Contains("近".into()),
                    Prefilter::Contains("平".into())
                ])
            ])
        );
        assert_eq!(prefilter(&parse("visas").unwrap(), true), Prefilter::All);
    }
}
