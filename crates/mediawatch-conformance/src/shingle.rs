//! The shingle F1 of the Zyte article-extraction benchmark, as `../shared/corpora/README.md` describes it:
//! tokenise both texts with Unicode `\w+`, form multisets of 4-token shingles (for Chinese text, 4-character
//! shingles over the characters of those tokens), count the overlap as true positives; precision and recall
//! are means over documents and F1 = 2PR/(P+R). As in the benchmark's own code, tokens are compared as
//! written (no case folding) and a text with fewer than 4 tokens has no shingles. A document where both sides
//! have no shingles scores precision = recall = 1; one where only one side has none scores 0 on the ratio
//! that is undefined.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

const N: usize = 4;

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\w+").expect("valid regex"));

/// How a text is cut into the units that form shingles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// `\w+` tokens.
    Words,
    /// The characters of the `\w+` tokens (Chinese).
    Chars,
}

impl Unit {
    /// Characters for a text that is mostly Han, words otherwise.
    pub fn for_text(text: &str) -> Unit {
        let (mut han, mut letters) = (0usize, 0usize);
        for c in text.chars().filter(|c| c.is_alphanumeric()) {
            letters += 1;
            if is_han(c) {
                han += 1;
            }
        }
        if letters > 0 && han * 2 > letters {
            Unit::Chars
        } else {
            Unit::Words
        }
    }
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn shingles(text: &str, unit: Unit) -> HashMap<Vec<&str>, usize> {
    let units: Vec<&str> = match unit {
        Unit::Words => WORD.find_iter(text).map(|m| m.as_str()).collect(),
        Unit::Chars => WORD
            .find_iter(text)
            .flat_map(|m| m.as_str().char_indices().map(move |(i, c)| &m.as_str()[i..i + c.len_utf8()]))
            .collect(),
    };
    let mut out = HashMap::new();
    for window in units.windows(N) {
        *out.entry(window.to_vec()).or_insert(0) += 1;
    }
    out
}

/// One document's precision and recall of `predicted` against `expected`.
pub fn precision_recall(expected: &str, predicted: &str, unit: Unit) -> (f64, f64) {
    let want = shingles(expected, unit);
    let got = shingles(predicted, unit);
    let tp: usize = got.iter().map(|(s, n)| (*n).min(want.get(s).copied().unwrap_or(0))).sum();
    let got_total: usize = got.values().sum();
    let want_total: usize = want.values().sum();
    if got_total == 0 && want_total == 0 {
        return (1.0, 1.0);
    }
    let ratio = |total: usize| if total == 0 { 0.0 } else { tp as f64 / total as f64 };
    (ratio(got_total), ratio(want_total))
}

/// F1 from (mean) precision and recall.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// Mean precision, mean recall and the F1 of those means, over `(precision, recall)` per document.
pub fn corpus_scores(per_doc: &[(f64, f64)]) -> (f64, f64, f64) {
    if per_doc.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let n = per_doc.len() as f64;
    let p = per_doc.iter().map(|d| d.0).sum::<f64>() / n;
    let r = per_doc.iter().map(|d| d.1).sum::<f64>() / n;
    (p, r, f1(p, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one() {
        let t = "the quick brown fox jumps over the lazy dog";
        assert_eq!(precision_recall(t, t, Unit::Words), (1.0, 1.0));
    }

    #[test]
    fn punctuation_and_whitespace_do_not_matter() {
        let a = "The quick, brown fox -- jumps!";
        let b = "The\nquick brown   fox jumps";
        assert_eq!(precision_recall(a, b, Unit::Words), (1.0, 1.0));
    }

    #[test]
    fn extra_and_missing_words() {
        // expected: a b c d e → shingles abcd, bcde (2); predicted: a b c d x → abcd, bcdx (2); overlap 1.
        let (p, r) = precision_recall("a b c d e", "a b c d x", Unit::Words);
        assert_eq!((p, r), (0.5, 0.5));
        // predicted has all 2 expected shingles plus 1 more.
        let (p, r) = precision_recall("a b c d e", "a b c d e f", Unit::Words);
        assert!((p - 2.0 / 3.0).abs() < 1e-9 && r == 1.0);
    }

    #[test]
    fn shingles_are_a_multiset() {
        // expected has "a b c d" twice, predicted once: 1 of 5 expected shingles found... counted once.
        let (p, r) = precision_recall("a b c d a b c d", "a b c d", Unit::Words);
        assert_eq!(p, 1.0);
        assert!((r - 1.0 / 5.0).abs() < 1e-9);
    }

    #[test]
    fn case_is_kept() {
        let (p, r) = precision_recall("A b c d", "a b c d", Unit::Words);
        assert_eq!((p, r), (0.0, 0.0));
    }

    #[test]
    fn empty_sides() {
        assert_eq!(precision_recall("", "", Unit::Words), (1.0, 1.0));
        assert_eq!(precision_recall("a b c d", "", Unit::Words), (0.0, 0.0));
        assert_eq!(precision_recall("a b", "a b", Unit::Words), (1.0, 1.0));
    }

    #[test]
    fn chinese_characters() {
        // 今天天气很好 → 今天天气, 天天气很, 天气很好 (3); punctuation is not a unit.
        let (p, r) = precision_recall("今天天气很好。", "今天，天气很好", Unit::Chars);
        assert_eq!((p, r), (1.0, 1.0));
        let (p, r) = precision_recall("今天天气很好", "今天天气", Unit::Chars);
        assert_eq!(p, 1.0);
        assert!((r - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(Unit::for_text("今天天气很好 ok"), Unit::Chars);
        assert_eq!(Unit::for_text("hello world 好"), Unit::Words);
    }

    #[test]
    fn corpus_means() {
        let (p, r, f) = corpus_scores(&[(1.0, 0.5), (0.5, 0.5)]);
        assert_eq!((p, r), (0.75, 0.5));
        assert!((f - 0.6).abs() < 1e-9);
    }
}
