//! Text normalisation shared by queries and articles: the same folding and the same word splitting on both
//! sides, so that a query term and the text it should find always agree.

/// A word of article text with its position in characters (Unicode scalar values), end exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded form (lower case, `ё` = `е`).
    pub norm: String,
    /// The word as written.
    pub exact: String,
    pub start: u32,
    pub end: u32,
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

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Case folding for matching: lower case, and `ё` folded to `е`.
pub fn fold(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect()
}

/// Splits article text into words: runs of letters and digits; every CJK character is a word of its own.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut start = 0u32;
    let mut idx = 0u32;
    for c in text.chars() {
        if is_word_char(c) {
            if current.is_empty() {
                start = idx;
            }
            current.push(c);
        } else {
            if !current.is_empty() {
                let exact = std::mem::take(&mut current);
                tokens.push(Token { norm: fold(&exact), exact, start, end: idx });
            }
            if is_cjk(c) {
                let exact = c.to_string();
                tokens.push(Token { norm: fold(&exact), exact, start: idx, end: idx + 1 });
            }
        }
        idx += 1;
    }
    if !current.is_empty() {
        tokens.push(Token { norm: fold(&current), exact: current, start, end: idx });
    }
    tokens
}

/// Splits a query term into words the same way, keeping a trailing `*` as a prefix mark:
/// `безвизов*` is `[("безвизов", true)]`; a `*` with no letters before it yields an empty word.
pub fn tokenize_pattern(text: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut last_was_word = false;
    for c in text.chars() {
        if is_word_char(c) {
            current.push(c);
            last_was_word = true;
            continue;
        }
        if !current.is_empty() {
            out.push((std::mem::take(&mut current), c == '*'));
        } else if c == '*' && !last_was_word {
            out.push((String::new(), true));
        }
        if is_cjk(c) {
            out.push((c.to_string(), false));
            last_was_word = true;
        } else {
            last_was_word = false;
        }
    }
    if !current.is_empty() {
        out.push((current, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_carry_character_offsets() {
        let t = tokenize("Путин и Xi — 一带一路!");
        let words: Vec<_> = t.iter().map(|t| (t.norm.as_str(), t.start, t.end)).collect();
        assert_eq!(
            words,
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
    fn folding_is_case_and_yo_insensitive() {
        assert_eq!(fold("Ёлка BRICS"), "елка brics");
    }

    #[test]
    fn patterns_keep_prefix_marks() {
        assert_eq!(tokenize_pattern("безвизов*"), vec![("безвизов".to_string(), true)]);
        assert_eq!(tokenize_pattern("visa-free"), vec![("visa".to_string(), false), ("free".to_string(), false)]);
        assert_eq!(tokenize_pattern("免签"), vec![("免".to_string(), false), ("签".to_string(), false)]);
        assert_eq!(tokenize_pattern("*"), vec![(String::new(), true)]);
    }
}
