//! Refuse to render when some script in the document has no font (no tofu).

use std::collections::BTreeMap;

use unicode_script::{Script, UnicodeScript};

use crate::{Fonts, PdfError, ReportDoc};

/// Fixed strings of the template (labels) that must render too.
const TEMPLATE_TEXT: &[&str] = &[
    "Mediawatch report Period Generated Volume Contents Summary Label Count Share",
    "No data. peak Mentions No mentions in this period. Also published by: Full text",
    "0123456789 · – / , . % ( )",
];

/// Every string of the document that ends up in the PDF.
fn texts(doc: &ReportDoc) -> Vec<&str> {
    let mut out: Vec<&str> = TEMPLATE_TEXT.to_vec();
    out.extend([doc.title.as_str(), &doc.period, &doc.generated_at, &doc.counts]);
    out.extend(doc.scope.iter().map(String::as_str));
    for f in &doc.figures {
        out.push(&f.title);
        out.extend(f.rows.iter().map(|r| r.0.as_str()));
    }
    for c in &doc.charts {
        out.push(&c.title);
        out.extend(c.days.iter().map(|d| d.0.as_str()));
    }
    for e in &doc.entries {
        out.extend([e.title.as_str(), &e.source, &e.date]);
        out.extend(e.lang.as_deref());
        out.extend(e.topics.iter().map(String::as_str));
        out.extend(e.snippets.iter().map(|s| s.text.as_str()));
        out.extend(e.also_published_by.iter().map(String::as_str));
        out.extend(e.full_text.as_deref());
    }
    out
}

/// Characters that need no glyph (whitespace, controls, joiners, variation
/// selectors, soft hyphen): typst does not draw them.
fn needs_glyph(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c as u32, 0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF | 0xAD))
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF)
}

/// The Debian package with a font for this script.
pub(crate) fn package_for(script: Script, c: char) -> &'static str {
    match script {
        Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo => "fonts-noto-cjk",
        _ if is_emoji(c) => "fonts-noto-color-emoji",
        _ => "fonts-noto-core",
    }
}

/// A short piece of `text` around byte offset `at`.
fn sample_around(text: &str, at: usize) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let pos = chars.iter().position(|&(i, _)| i >= at).unwrap_or(0);
    let start = pos.saturating_sub(20);
    let end = (pos + 20).min(chars.len());
    chars[start..end].iter().map(|&(_, c)| c).collect()
}

pub(crate) fn check(doc: &ReportDoc, fonts: &Fonts) -> Result<(), PdfError> {
    // Each distinct char is checked against the fonts once.
    let mut seen: BTreeMap<char, bool> = BTreeMap::new();
    // (is generic script, script name) → (missing chars, sample, package)
    let mut missing: BTreeMap<(bool, String), (usize, String, &'static str)> = BTreeMap::new();
    for text in texts(doc) {
        for (i, c) in text.char_indices() {
            if !needs_glyph(c) {
                continue;
            }
            if *seen.entry(c).or_insert_with(|| fonts.covers(c)) {
                continue;
            }
            let script = c.script();
            let generic = matches!(script, Script::Common | Script::Inherited | Script::Unknown);
            let entry = missing
                .entry((generic, script.full_name().to_string()))
                .or_insert_with(|| (0, sample_around(text, i), package_for(script, c)));
            entry.0 += 1;
        }
    }
    // Report a real script first (Han before "Common" punctuation), then the
    // one with the most missing characters.
    let worst = missing.into_iter().min_by_key(|((generic, _), (n, _, _))| (*generic, std::cmp::Reverse(*n)));
    match worst {
        None => Ok(()),
        Some(((_, script), (_, sample, package))) => {
            Err(PdfError::MissingScript { script, sample, package: package.to_string() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages() {
        assert_eq!(package_for('中'.script(), '中'), "fonts-noto-cjk");
        assert_eq!(package_for('ア'.script(), 'ア'), "fonts-noto-cjk");
        assert_eq!(package_for('한'.script(), '한'), "fonts-noto-cjk");
        assert_eq!(package_for('ب'.script(), 'ب'), "fonts-noto-core");
        assert_eq!(package_for('😀'.script(), '😀'), "fonts-noto-color-emoji");
        assert_eq!('中'.script().full_name(), "Han");
        assert_eq!('Ж'.script().full_name(), "Cyrillic");
    }

    #[test]
    fn sample_is_char_safe() {
        let s = "习近平会见王毅，讨论一带一路与上合组织";
        assert!(sample_around(s, 3).starts_with('习'));
        assert_eq!(sample_around("", 0), "");
    }
}
