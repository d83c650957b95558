//! Text normalisation shared by queries and articles: the same folding and the same word splitting on both
//! sides, so that a query term and the text it should find always agree (`shared/design/QUERY-LANGUAGE.md`).
//!
//! A word of text has three forms:
//! - **exact**: the word as written, NFKC-normalised (full-width and compatibility forms folded), `ё` written
//!   `е` — what a case-sensitive `{SCO}` compares against;
//! - **folded**: exact, lower-cased, `ё` written `е` — what an accented query word (`café`) compares against;
//! - **bare**: folded without diacritics (`café` → `cafe`, `Ørsted` keeps `ø`, Cyrillic `й` keeps its breve) —
//!   what an unaccented query word compares against, so diacritics fold one way only.
//!
//! Words are runs of letters, digits and combining marks. Hyphens, apostrophes and every other character
//! split words; each Han, Kana or Hangul character is a word of its own (those scripts are written without
//! spaces), so `一带一路` is four words and NEAR counts characters there. Offsets are characters (Unicode
//! scalar values), never bytes.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The hash under which the engine indexes a word form (its index keys and an article's posting lists).
pub(crate) fn key_hash(s: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

/// Han, Kana and Hangul: scripts written without spaces, matched character by character.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // CJK Extensions B-F, Compatibility Supplement
}

/// A character that belongs to a word (letters, digits, combining marks), outside the unspaced scripts.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    (c.is_alphanumeric() || is_combining_mark(c)) && !is_cjk(c)
}

/// Hyphens and apostrophes: inside a query word they join its parts (`visa-free`, `Xi's`), which then match
/// the hyphenated, spaced and joined forms. In article text they split words like any other punctuation.
pub fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '\u{02BC}' | '\u{2018}' | '`' | '\u{00B4}')
}

/// NFKC, with `ё`/`Ё` written `е`/`Е` (the same letter, even where case matters); ASCII is returned as is.
pub fn exact_form(word: &str) -> String {
    if word.is_ascii() {
        word.to_string()
    } else {
        word.nfkc().map(yo_to_ye).collect()
    }
}

/// `ё` → `е`, `Ё` → `Е`.
fn yo_to_ye(c: char) -> char {
    match c {
        'ё' => 'е',
        'Ё' => 'Е',
        c => c,
    }
}

/// Case folding for matching: lower case, and `ё` folded to `е` (after NFKC).
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.nfkc().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect()
}

fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F)
}

/// A folded word without its diacritics: `café` → `cafe`. Marks on Cyrillic letters stay (`й` is a letter of
/// its own; `ё` was folded to `е` already). Returns `None` when nothing changes.
pub fn strip_diacritics(folded: &str) -> Option<String> {
    if folded.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(folded.len());
    let mut last_base_cyrillic = false;
    let mut changed = false;
    for c in folded.nfd() {
        if is_combining_mark(c) {
            if last_base_cyrillic {
                out.push(c);
            } else {
                changed = true;
            }
        } else {
            last_base_cyrillic = is_cyrillic(c);
            out.push(c);
        }
    }
    if !changed {
        return None;
    }
    Some(out.nfc().collect())
}

/// The bare form of a folded word (see the module's documentation).
pub fn bare(folded: &str) -> String {
    strip_diacritics(folded).unwrap_or_else(|| folded.to_string())
}

/// A word of text: its position in characters (end exclusive) and where its three forms live in
/// [`Tokens`]' buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    exact: (u32, u32),
    folded: (u32, u32),
    bare: (u32, u32),
}

/// A text split into words, the words' forms kept in one buffer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    pub items: Vec<Token>,
    buf: String,
}

impl Tokens {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn slice(&self, r: (u32, u32)) -> &str {
        &self.buf[r.0 as usize..r.1 as usize]
    }

    /// The word as written (NFKC).
    pub fn exact(&self, i: usize) -> &str {
        self.slice(self.items[i].exact)
    }

    /// Lower case, `ё` = `е`.
    pub fn folded(&self, i: usize) -> &str {
        self.slice(self.items[i].folded)
    }

    /// Folded, without diacritics.
    pub fn bare(&self, i: usize) -> &str {
        self.slice(self.items[i].bare)
    }

    /// The word has diacritics its bare form drops (its folded and bare forms differ).
    pub fn has_diacritics(&self, i: usize) -> bool {
        self.items[i].bare != self.items[i].folded
    }

    /// The folded words in order (what `cluster::fingerprint_words` reads).
    pub fn folded_words(&self) -> Vec<&str> {
        (0..self.items.len()).map(|i| self.folded(i)).collect()
    }

    /// An ASCII word: NFKC leaves it as it is and it has no diacritics.
    fn push_ascii(&mut self, word: &str, start: u32, end: u32) {
        let from = self.buf.len();
        self.buf.push_str(word);
        let upper = word.bytes().any(|b| b.is_ascii_uppercase());
        self.push_in_place(from, self.buf.len(), start, end, upper);
    }

    /// An ASCII word already in the buffer, at bytes `from..to`.
    fn push_in_place(&mut self, from: usize, to: usize, start: u32, end: u32, upper: bool) {
        let exact = (from as u32, to as u32);
        let folded = if upper {
            let f0 = self.buf.len();
            self.buf.extend_from_within(from..to);
            self.buf[f0..].make_ascii_lowercase();
            (f0 as u32, self.buf.len() as u32)
        } else {
            exact
        };
        self.items.push(Token { start, end, exact, folded, bare: folded });
    }

    fn push(&mut self, word: &str, start: u32, end: u32) {
        let at = |buf: &String| buf.len() as u32;
        let e0 = at(&self.buf);
        if word.is_ascii() {
            return self.push_ascii(word, start, end);
        }
        self.buf.extend(word.nfkc().map(yo_to_ye));
        let e1 = at(&self.buf);
        let exact_str = self.buf[e0 as usize..e1 as usize].to_string();
        let folded_str: String =
            exact_str.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect();
        let folded = if folded_str == exact_str {
            (e0, e1)
        } else {
            self.buf.push_str(&folded_str);
            (e1, at(&self.buf))
        };
        let bare = match strip_diacritics(&folded_str) {
            Some(b) => {
                let b0 = at(&self.buf);
                self.buf.push_str(&b);
                (b0, at(&self.buf))
            }
            None => folded,
        };
        self.items.push(Token { start, end, exact: (e0, e1), folded, bare });
    }
}

/// [`ASCII_CLASS`]: a letter or digit.
const WORD: u8 = 1;
/// [`ASCII_CLASS`]: an upper-case letter.
const UPPER: u8 = 2;

/// What each byte is in an ASCII word (0: not part of one; bytes from 0x80 are never ASCII words).
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = WORD;
        }
        if c.is_ascii_uppercase() {
            t[b] |= UPPER;
        }
        b += 1;
    }
    t
};

/// Splits text into words (see the module's documentation), with character offsets.
pub fn tokenize(text: &str) -> Tokens {
    // The buffer starts with the text itself: an ASCII word's exact form is read where it stands.
    let mut buf = String::with_capacity(text.len() + text.len() / 8 + 64);
    buf.push_str(text);
    let mut tokens = Tokens { items: Vec::with_capacity(text.len() / 5), buf };
    let bytes = text.as_bytes();
    // `at` is a byte offset, `idx` the character offset of the same place.
    let (mut at, mut idx) = (0usize, 0u32);
    while at < bytes.len() {
        let b = bytes[at];
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                at += 1;
                idx += 1;
                continue;
            }
            // Most words are ASCII: scan them byte by byte.
            let mut end = at + 1;
            let mut class = ASCII_CLASS[b as usize];
            while end < bytes.len() {
                let c = ASCII_CLASS[bytes[end] as usize];
                if c == 0 {
                    break;
                }
                class |= c;
                end += 1;
            }
            if end == bytes.len() || bytes[end] < 0x80 {
                let n = (end - at) as u32;
                tokens.push_in_place(at, end, idx, idx + n, class & UPPER != 0);
                at = end;
                idx += n;
                continue;
            }
            // The word goes on in other letters: read it by characters below.
        }
        let c = text[at..].chars().next().unwrap_or(' ');
        if is_word_char(c) {
            let (start, start_idx) = (at, idx);
            for c in text[at..].chars() {
                if !is_word_char(c) {
                    break;
                }
                at += c.len_utf8();
                idx += 1;
            }
            tokens.push(&text[start..at], start_idx, idx);
            continue;
        }
        if is_cjk(c) {
            tokens.push(&text[at..at + c.len_utf8()], idx, idx + 1);
        }
        at += c.len_utf8();
        idx += 1;
    }
    tokens
}

/// A piece of a query term as written: a word (letters, digits and the wildcards `*` and `?`), with whether
/// a hyphen or an apostrophe joins it to the previous word (`visa-free`: `free` is joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternWord {
    pub text: String,
    pub joined: bool,
    /// Column (0-based, characters) of the word inside the term's text.
    pub offset: usize,
}

/// Splits a query term into words the way [`tokenize`] splits text, keeping the wildcards `*` and `?` inside
/// words and noting hyphen/apostrophe joins. Every CJK character is a word of its own.
pub fn split_pattern(text: &str) -> Vec<PatternWord> {
    let mut out: Vec<PatternWord> = Vec::new();
    let mut current = String::new();
    let mut current_offset = 0;
    let mut joined_next = false;
    let mut prev_was_word = false;
    for (i, c) in text.chars().enumerate() {
        if is_word_char(c) || c == '*' || c == '?' {
            if current.is_empty() {
                current_offset = i;
            }
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            out.push(PatternWord { text: std::mem::take(&mut current), joined: joined_next, offset: current_offset });
            prev_was_word = true;
            joined_next = false;
        }
        if is_cjk(c) {
            out.push(PatternWord { text: c.to_string(), joined: false, offset: i });
            prev_was_word = false;
        } else if is_joiner(c) && prev_was_word {
            joined_next = true;
            prev_was_word = false;
        } else {
            joined_next = false;
            prev_was_word = false;
        }
    }
    if !current.is_empty() {
        out.push(PatternWord { text: current, joined: joined_next, offset: current_offset });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every word with its three forms and offsets.
    fn all(t: &Tokens) -> Vec<(String, String, String, u32, u32)> {
        (0..t.len())
            .map(|i| (t.exact(i).into(), t.folded(i).into(), t.bare(i).into(), t.items[i].start, t.items[i].end))
            .collect()
    }

    /// The splitting rules read one character at a time, as plainly as possible: what `tokenize`'s byte-level
    /// path for ASCII words must equal.
    fn tokenize_by_chars(text: &str) -> Tokens {
        let mut tokens = Tokens::default();
        let mut word: Option<(usize, u32)> = None;
        let mut idx = 0u32;
        for (b, c) in text.char_indices() {
            if is_word_char(c) {
                word.get_or_insert((b, idx));
            } else {
                if let Some((s, start)) = word.take() {
                    tokens.push(&text[s..b], start, idx);
                }
                if is_cjk(c) {
                    tokens.push(&text[b..b + c.len_utf8()], idx, idx + 1);
                }
            }
            idx += 1;
        }
        if let Some((s, start)) = word {
            tokens.push(&text[s..], start, idx);
        }
        tokens
    }

    proptest! {
        #[test]
        fn the_ascii_fast_path_splits_like_the_character_rules(
            text in proptest::collection::vec(
                prop::sample::select(vec![
                    "a", "Z", "q", "7", " ", "-", "'", ".", "\n", "é", "e\u{301}", "Ё", "й", "ß", "ＳＣＯ", "ﬁ", "一", "路",
                    "Ørsted", "İ", "\u{200b}", "№", "٣", "BRICS", "xi", "\t",
                ]),
                0..40,
            )
        ) {
            let text = text.concat();
            prop_assert_eq!(all(&tokenize(&text)), all(&tokenize_by_chars(&text)));
        }
    }

    fn words(t: &Tokens) -> Vec<(&str, u32, u32)> {
        (0..t.len()).map(|i| (t.folded(i), t.items[i].start, t.items[i].end)).collect()
    }

    #[test]
    fn words_carry_character_offsets() {
        let t = tokenize("Путин и Xi — 一带一路!");
        assert_eq!(
            words(&t),
            vec![
                ("путин", 0, 5),
                ("и", 6, 7),
                ("xi", 8, 10),
                ("一", 13, 14),
                ("带", 14, 15),
                ("一", 15, 16),
                ("路", 16, 17)
            ]
        );
    }

    #[test]
    fn three_forms_of_a_word() {
        let t = tokenize("Café ЁЛКА ＳＣＯ Ørsted йод visa-free Xi’s");
        let forms: Vec<(&str, &str, &str)> = (0..t.len()).map(|i| (t.exact(i), t.folded(i), t.bare(i))).collect();
        assert_eq!(
            forms,
            vec![
                ("Café", "café", "cafe"),
                ("ЕЛКА", "елка", "елка"),
                ("SCO", "sco", "sco"),
                ("Ørsted", "ørsted", "ørsted"),
                ("йод", "йод", "йод"),
                ("visa", "visa", "visa"),
                ("free", "free", "free"),
                ("Xi", "xi", "xi"),
                ("s", "s", "s"),
            ]
        );
        // A decomposed accent (e + U+0301) stays inside its word.
        let t = tokenize("cafe\u{301} ok");
        assert_eq!(t.len(), 2);
        assert_eq!(t.bare(0), "cafe");
        assert_eq!(t.folded(0), "café");
        assert_eq!((t.items[0].start, t.items[0].end), (0, 5));
    }

    #[test]
    fn folding_is_case_and_yo_insensitive() {
        assert_eq!(fold("Ёлка BRICS"), "елка brics");
        assert_eq!(bare("naïve"), "naive");
        assert_eq!(bare("мой"), "мой");
    }

    #[test]
    fn patterns_keep_wildcards_and_joins() {
        let p = split_pattern("безвизов*");
        assert_eq!(p, vec![PatternWord { text: "безвизов*".into(), joined: false, offset: 0 }]);
        let p: Vec<(String, bool)> =
            split_pattern("visa-free o'clock").into_iter().map(|w| (w.text, w.joined)).collect();
        assert_eq!(p, vec![("visa".into(), false), ("free".into(), true), ("o".into(), false), ("clock".into(), true)]);
        let p: Vec<String> = split_pattern("免签 co?r").into_iter().map(|w| w.text).collect();
        assert_eq!(p, vec!["免", "签", "co?r"]);
        // A hyphen after a space does not join.
        let p: Vec<bool> = split_pattern("a -b").into_iter().map(|w| w.joined).collect();
        assert_eq!(p, vec![false, false]);
    }
}
