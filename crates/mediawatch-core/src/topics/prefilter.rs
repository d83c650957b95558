//! A query translated into a prefilter over the stored articles: an FTS5 `MATCH` expression that every
//! article the query matches satisfies (a superset), cheap for SQLite to test. The store then lets the engine
//! verify every candidate, so search, backfill and live matching never disagree about what a query means.
//!
//! The FTS5 index does not hold the stored text as it is but [`index_text`] of it — the text normalised
//! the way the engine reads it (NFKC, `ё` = `е`) with every CJK character standing apart — so that FTS5's
//! `unicode61` tokenizer (with `remove_diacritics 2`, folding case and Latin diacritics on both sides) cuts
//! the same words as [`super::text::tokenize`]: `在BRICS峰会上` gives `brics` and one token per character,
//! `ﬁnance` gives `finance`, `ＳＣＯ` gives `sco`.
//!
//! Why a condition is always a superset of the engine's meaning:
//! - A word becomes its bare literal part (`"brics"`, a wildcard word `"visa"*`); a term whose words are all
//!   literal and in strict order becomes an FTS5 phrase (`"belt and road"`, `"一 带 一 路"`).
//! - A phrase with slop, a NEAR, an AND become an AND of their parts (order and distance are left to the
//!   engine); OR an OR; `a NOT b` is `a`.
//! - A negation, `site:`, `lang:`, `source:`, `url:`, `author:` (not in the index), or a stemmed word give
//!   no condition (`All`).

use unicode_normalization::UnicodeNormalization;

use super::query::{FieldName, Query, Term, WordPattern};
use super::text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prefilter {
    /// Every article is a candidate.
    All,
    /// An FTS5 `MATCH` expression over the title and text columns.
    Fts(String),
    And(Vec<Prefilter>),
    Or(Vec<Prefilter>),
}

/// What the FTS5 index holds for a title or a text: NFKC, `ё` written `е`, and a space on each side of
/// every CJK character (registered as the SQL function `mw_fts_text`).
pub fn index_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let ascii = s.is_ascii();
    let mut push = |c: char| match c {
        'ё' => out.push('е'),
        'Ё' => out.push('Е'),
        c if text::is_cjk(c) => {
            out.push(' ');
            out.push(c);
            out.push(' ');
        }
        c => out.push(c),
    };
    if ascii {
        out.push_str(s);
    } else {
        s.nfkc().for_each(&mut push);
    }
    out
}

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
        // The index holds the title and the text only: the source's name, the URL and the author are
        // checked by the engine.
        Query::Field(FieldName::Source | FieldName::Url | FieldName::Author, _) => Prefilter::All,
        Query::Negated(_) | Query::Site(_) | Query::Lang(_) => Prefilter::All,
    }
}

fn term(t: &Term, stem: bool) -> Prefilter {
    Prefilter::Or(t.alternatives.iter().map(|words| sequence(words, t.slop.is_none(), stem)).collect())
}

/// One reading of a term: a phrase when every word is literal and the order strict, otherwise an AND of
/// what each word requires.
fn sequence(words: &[WordPattern], strict: bool, stem: bool) -> Prefilter {
    let stemmed = |w: &WordPattern| stem && !w.case_sensitive && !w.cjk && !w.wildcard;
    if strict && words.len() > 1 && words.iter().all(|w| !w.wildcard && !stemmed(w)) {
        let phrase: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
        return Prefilter::Fts(format!("\"{}\"", phrase.join(" ")));
    }
    Prefilter::And(words.iter().filter(|w| !stemmed(w)).map(word).collect())
}

fn word(w: &WordPattern) -> Prefilter {
    // The word's form in the index: its literal part (before a wildcard), folded, without diacritics.
    let base = &w.key;
    if base.is_empty() {
        return Prefilter::All;
    }
    Prefilter::Fts(format!("\"{base}\"{}", if w.wildcard { "*" } else { "" }))
}

/// Drops what does not narrow anything (`All` inside AND, OR with an `All` branch) and merges the rest
/// into one `MATCH` expression.
fn simplify(p: Prefilter) -> Prefilter {
    match p {
        Prefilter::And(items) => {
            let parts: Vec<String> = items
                .into_iter()
                .filter_map(|i| match simplify(i) {
                    Prefilter::Fts(s) => Some(s),
                    _ => None,
                })
                .collect();
            join(parts, " AND ")
        }
        Prefilter::Or(items) => {
            let mut parts = Vec::new();
            for i in items {
                match simplify(i) {
                    Prefilter::Fts(s) => parts.push(s),
                    _ => return Prefilter::All,
                }
            }
            join(parts, " OR ")
        }
        other => other,
    }
}

fn join(mut parts: Vec<String>, sep: &str) -> Prefilter {
    parts.dedup();
    match parts.len() {
        0 => Prefilter::All,
        1 => Prefilter::Fts(parts.remove(0)),
        _ => Prefilter::Fts(parts.iter().map(|p| format!("({p})")).collect::<Vec<_>>().join(sep)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::query::parse;

    fn pf(q: &str) -> Prefilter {
        prefilter(&parse(q).unwrap(), false)
    }

    fn fts(s: &str) -> Prefilter {
        Prefilter::Fts(s.into())
    }

    #[test]
    fn queries_become_fts_expressions() {
        assert_eq!(pf("BRICS"), fts("\"brics\""));
        assert_eq!(pf("{SCO}"), fts("\"sco\""));
        assert_eq!(pf("café"), fts("\"cafe\""));
        assert_eq!(pf("\"Belt and Road\""), fts("\"belt and road\""));
        assert_eq!(pf("visa*"), fts("\"visa\"*"));
        assert_eq!(pf("visa-free"), fts("(\"visa free\") OR (\"visafree\")"));
        assert_eq!(pf("ёлка"), fts("\"елка\""));
        assert_eq!(pf("一带一路"), fts("\"一 带 一 路\""));
        assert_eq!(pf("\"Putin Xi\"~3"), fts("(\"putin\") AND (\"xi\")"));
        assert_eq!(pf("a NEAR/3 b*"), fts("(\"a\") AND (\"b\"*)"));
        assert_eq!(pf("NOT x"), Prefilter::All);
        assert_eq!(pf("x OR -y"), Prefilter::All);
        assert_eq!(pf("lang:ru"), Prefilter::All);
        assert_eq!(pf("x NOT y"), pf("x"));
        assert_eq!(pf("x site:example.com"), pf("x"));
        assert_eq!(pf("title:x"), pf("x"));
        assert_eq!(pf("source:x"), Prefilter::All);
        assert_eq!(pf("author:x OR y"), Prefilter::All);
        assert_eq!(pf("путин OR 习近平"), fts("(\"путин\") OR (\"习 近 平\")"));
        assert_eq!(prefilter(&parse("visas").unwrap(), true), Prefilter::All);
        assert_eq!(prefilter(&parse("visas AND {BRI}").unwrap(), true), fts("\"bri\""));
    }

    #[test]
    fn the_index_holds_the_text_as_the_engine_reads_it() {
        assert_eq!(index_text("在BRICS峰会上"), " 在 BRICS 峰  会  上 ");
        assert_eq!(index_text("ﬁnance ＳＣＯ CO₂ Ёлка ёж"), "finance SCO CO2 Елка еж");
        assert_eq!(index_text("plain ASCII"), "plain ASCII");
    }
}
