//! Topics: parse queries, match articles, explain the matches.
//!
//! This is the core's topic API: the query language (`query`), the normalisation shared by queries and
//! articles (`text`), the engine that matches every topic at once (`engine`, [`Matcher`]), the plain
//! reference evaluator that defines what a query means (`reference`), the translation of a query into an FTS5
//! prefilter (`prefilter`) and the default pack (`defaults`). Everything here is pure: no I/O, no database.

pub mod defaults;
pub mod engine;
pub mod prefilter;
pub mod query;
pub mod reference;
pub mod text;

use crate::error::{QueryError, Result};
use crate::model::{Field, Id, QueryCheck, QueryProblem, Span};

pub use engine::{Matcher, PreparedArticle, Scratch, TopicSpec};

/// An article as the topic language sees it: the texts that spans point into, and the fields that
/// `source:`, `url:`, `site:`, `author:` and `lang:` read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Document<'a> {
    pub title: &'a str,
    /// The body: plain text, paragraphs separated by blank lines. `lead:` is its first paragraph.
    pub text: &'a str,
    pub lang: Option<&'a str>,
    /// The source's name.
    pub source: Option<&'a str>,
    pub url: Option<&'a str>,
    pub author: Option<&'a str>,
}

impl<'a> Document<'a> {
    /// A document with a title and a body only.
    pub fn new(title: &'a str, text: &'a str) -> Self {
        Document { title, text, ..Document::default() }
    }
}

/// A topic that flagged an article, with the spans that explain why.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicMatch {
    pub topic_id: Id,
    pub spans: Vec<Span>,
}

/// One occurrence of a term, in token positions of a field (0 title, 1 body, 2 source, 3 url, 4 author).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LeafSpan<'q> {
    pub field: usize,
    pub start: u32,
    pub end: u32,
    /// The term as written in the query.
    pub term: &'q str,
}

/// A span whose term is borrowed from the compiled query: what [`Matcher::for_each_match`] hands out
/// without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanRef<'q> {
    pub field: Field,
    pub start: u32,
    pub end: u32,
    pub term: &'q str,
}

impl SpanRef<'_> {
    pub fn to_span(&self) -> Span {
        Span { field: self.field, start: self.start, end: self.end, term: self.term.to_string() }
    }
}

/// Turns the occurrences behind a match into its spans: title and body only, in character offsets, sorted by
/// field and position, one span per place (the first term in alphabetical order names a place two terms
/// share).
pub(crate) fn finish_span_refs<'q>(
    leaves: &[LeafSpan<'q>],
    title: &text::Tokens,
    body: &text::Tokens,
    spans: &mut Vec<SpanRef<'q>>,
) {
    spans.clear();
    let span = |l: &LeafSpan<'q>| {
        let tokens = if l.field == 0 { title } else { body };
        SpanRef {
            field: if l.field == 0 { Field::Title } else { Field::Text },
            start: tokens.items[l.start as usize].start,
            end: tokens.items[l.end as usize - 1].end,
            term: l.term,
        }
    };
    if let [only] = leaves {
        // One place (a match of one term that occurs once): nothing to order.
        if only.field <= 1 {
            spans.push(span(only));
        }
        return;
    }
    // Title and body leaves in token positions sort as their spans do (title first, then by offsets: a
    // field's tokens are in order and do not overlap).
    let leaf_order = |a: &LeafSpan<'_>, b: &LeafSpan<'_>| {
        (a.field, a.start, a.end).cmp(&(b.field, b.start, b.end)).then_with(|| a.term.cmp(b.term))
    };
    // The leaves of one term come in order: a match is one run (nothing to sort) or, most often, two (two
    // terms), merged here; more are sorted.
    let mut descents = leaves.windows(2).enumerate().filter(|(_, w)| leaf_order(&w[0], &w[1]).is_gt());
    let runs = if leaves.iter().any(|l| l.field > 1) { None } else { Some((descents.next(), descents.next())) };
    match runs {
        Some((None, _)) => spans.extend(leaves.iter().map(span)),
        Some((Some((k, _)), None)) => {
            // A stable merge: on a tie the left run's leaf first.
            let (mut a, mut b) = (leaves[..=k].iter().peekable(), leaves[k + 1..].iter().peekable());
            while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
                let next = if leaf_order(y, x).is_lt() { b.next() } else { a.next() };
                spans.extend(next.map(span));
            }
            spans.extend(a.chain(b).map(span));
        }
        _ => {
            spans.extend(leaves.iter().filter(|l| l.field <= 1).map(span));
            spans.sort_by(|a, b| {
                (a.field == Field::Text, a.start, a.end)
                    .cmp(&(b.field == Field::Text, b.start, b.end))
                    .then_with(|| a.term.cmp(b.term))
            });
        }
    }
    spans.dedup_by(|a, b| a.field == b.field && a.start == b.start && a.end == b.end);
}

/// [`finish_span_refs`], owned.
pub(crate) fn finish_spans(leaves: &[LeafSpan<'_>], title: &text::Tokens, body: &text::Tokens) -> Vec<Span> {
    let mut refs = Vec::new();
    finish_span_refs(leaves, title, body, &mut refs);
    refs.iter().map(SpanRef::to_span).collect()
}

/// Where the body's first paragraph ends (a character offset): at the first line break, or the end.
pub(crate) fn lead_end_char(text: &str) -> u32 {
    // Only the first paragraph is read (memchr finds its end), not the whole text.
    let body_start = text.len() - text.trim_start().len();
    let end = memchr::memchr(b'\n', &text.as_bytes()[body_start..]).map_or(text.len(), |i| body_start + i);
    text[..end].chars().count() as u32
}

/// An article URL's host, lower case, without `www.`.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").map(str::to_string).unwrap_or(host))
}

/// `zh-CN` → `zh`.
pub(crate) fn primary_language(lang: &str) -> String {
    lang.split(['-', '_']).next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Reads a query the way the matcher will, for the topic editor and `mediawatch topics check`.
pub fn check(q: &str) -> QueryCheck {
    match query::parse(q) {
        Ok(parsed) => QueryCheck {
            ok: true,
            normalized: Some(parsed.canonical()),
            error: None,
            warnings: query::warnings(q, &parsed),
        },
        Err(QueryError { message, column }) => QueryCheck {
            ok: false,
            normalized: None,
            error: Some(QueryProblem { message, column: u32::try_from(column).unwrap_or(u32::MAX) }),
            warnings: Vec::new(),
        },
    }
}

/// A query error shown the way a compiler shows one: the message, the query, and a caret under the spot.
pub fn caret_message(q: &str, e: &QueryError) -> String {
    let pad: String = q.chars().take(e.column.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    format!("{} at column {}\n  {}\n  {}^", e.message, e.column, q, pad)
}

/// The parsed tree of a query as JSON (`mediawatch topics check --json` prints it as `ast`).
pub fn ast_json(q: &str) -> Result<serde_json::Value> {
    Ok(query::parse(q)?.to_json())
}

/// Validates a query; the error carries the column.
pub fn validate(q: &str) -> Result<()> {
    query::parse(q).map(|_| ()).map_err(Into::into)
}

/// One sentence of context per span, in the spans' order: the sentence of the text around a hit in the
/// text, the title for a hit in the title.
pub fn snippets(title: &str, text: &str, spans: &[Span]) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    spans
        .iter()
        .map(|s| match s.field {
            Field::Title => title.trim().to_string(),
            Field::Text => sentence_around(&chars, s.start as usize),
        })
        .collect()
}

/// One sentence of context around the first span in the text (or the text's opening when the hits are
/// all in the title), at most about 300 characters, plain text.
pub fn snippet(text: &str, spans: &[Span]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let first = spans.iter().filter(|s| s.field == Field::Text).map(|s| s.start as usize).min();
    sentence_around(&chars, first.unwrap_or(0))
}

/// A keyword-in-context line: a sentence (or the title) with the matched words in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kwic {
    pub text: String,
    /// Byte ranges of the matched words in `text`: sorted, not overlapping, on character boundaries.
    pub highlights: Vec<(usize, usize)>,
}

/// Keyword-in-context lines for these spans (any topics'): the title when it has hits, then each sentence of
/// the text with hits, in text order, every hit in it highlighted; at most `max` lines.
pub fn kwic(title: &str, text: &str, spans: &[Span], max: usize) -> Vec<Kwic> {
    let mut out = Vec::new();
    let mut in_title: Vec<(usize, usize)> =
        spans.iter().filter(|s| s.field == Field::Title).map(|s| (s.start as usize, s.end as usize)).collect();
    if !in_title.is_empty() {
        let chars: Vec<char> = title.chars().collect();
        in_title.sort_unstable();
        out.push(highlighted(&chars, 0, chars.len(), &in_title, false, false));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut in_text: Vec<(usize, usize)> = spans
        .iter()
        .filter(|s| s.field == Field::Text)
        .map(|s| (s.start as usize, s.end as usize))
        .filter(|&(a, b)| a < b && b <= chars.len())
        .collect();
    in_text.sort_unstable();
    let mut i = 0;
    while i < in_text.len() && out.len() < max {
        let (start, end) = sentence_bounds(&chars, in_text[i].0);
        let mut j = i;
        while j < in_text.len() && in_text[j].1 <= end {
            j += 1;
        }
        let here = &in_text[i..j.max(i + 1)];
        let lead = start > 0 && !is_sentence_end(chars[start - 1]);
        let trail = end < chars.len() && !is_sentence_end(chars[end - 1]);
        out.push(highlighted(&chars, start, end.max(here.last().map_or(end, |h| h.1)), here, lead, trail));
        i = j.max(i + 1);
    }
    // A text that repeats its title (pages often begin with it) would show the same line twice.
    let mut seen: Vec<String> = Vec::new();
    out.retain(|k| {
        let plain = k.text.trim_matches('…').trim().to_string();
        let again = seen.iter().any(|s| s == &plain || s.starts_with(&plain));
        seen.push(plain);
        !again
    });
    out.truncate(max);
    out
}

/// `chars[start..end]`, trimmed, with ellipses, and `spans` (character offsets into `chars`) as byte ranges.
fn highlighted(chars: &[char], start: usize, end: usize, spans: &[(usize, usize)], lead: bool, trail: bool) -> Kwic {
    let mut text = String::new();
    if lead {
        text.push('…');
    }
    let mut start = start;
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    let mut highlights = Vec::new();
    let mut open: Option<usize> = None;
    let mut k = 0;
    for (pos, c) in chars.iter().enumerate().take(end).skip(start) {
        while k < spans.len() && spans[k].1 <= pos {
            if let Some(o) = open.take() {
                highlights.push((o, text.len()));
            }
            k += 1;
        }
        if open.is_none() && k < spans.len() && spans[k].0 <= pos && pos < spans[k].1 {
            open = Some(text.len());
        }
        text.push(*c);
    }
    if let Some(o) = open {
        highlights.push((o, text.len()));
    }
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    highlights.retain_mut(|h| {
        h.1 = h.1.min(trimmed);
        h.0 < h.1
    });
    highlights.dedup();
    if trail {
        text.push('…');
    }
    Kwic { text, highlights }
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '\n')
}

/// The character range of the sentence around `anchor` that [`snippet`] shows (without its ellipses).
fn sentence_bounds(chars: &[char], anchor: usize) -> (usize, usize) {
    const MAX: usize = 300;
    if chars.is_empty() {
        return (0, 0);
    }
    let anchor = anchor.min(chars.len() - 1);
    let mut start = anchor;
    while start > 0 && !is_sentence_end(chars[start - 1]) && anchor - start < MAX / 2 {
        start -= 1;
    }
    let mut end = anchor;
    while end < chars.len() && !is_sentence_end(chars[end]) && end - start < MAX {
        end += 1;
    }
    if end < chars.len() && chars[end] != '\n' {
        end += 1;
    }
    if start > 0 && !is_sentence_end(chars[start - 1]) {
        while start < anchor && !chars[start - 1].is_whitespace() {
            start += 1;
        }
    }
    (start, end)
}

/// The sentence around character `anchor`, at most about 300 characters, cut at words, with an ellipsis
/// where it was cut.
fn sentence_around(chars: &[char], anchor: usize) -> String {
    if chars.is_empty() {
        return String::new();
    }
    let is_end = is_sentence_end;
    let (start, end) = sentence_bounds(chars, anchor);
    let mut s: String = chars[start..end].iter().collect::<String>().trim().to_string();
    if start > 0 && !is_end(chars[start - 1]) {
        s.insert(0, '…');
    }
    if end < chars.len() && !is_end(chars[end - 1]) {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_lines_highlight_every_hit_of_a_sentence_in_byte_ranges() {
        let title = "Путин и Си Цзиньпин";
        let text = "Visa-free travel starts. 习近平会见王毅，讨论一带一路。 BRICS and the SCO met.";
        let chars: Vec<char> = text.chars().collect();
        let at = |w: &str| {
            let b = text.find(w).unwrap();
            let s = text[..b].chars().count() as u32;
            (s, s + w.chars().count() as u32)
        };
        let span = |field, (start, end): (u32, u32)| Span { field, start, end, term: "t".into() };
        let spans = vec![
            span(Field::Title, (0, 5)),
            span(Field::Text, at("BRICS")),
            span(Field::Text, at("SCO")),
            span(Field::Text, at("一带一路")),
        ];
        assert!(chars.len() > 10);
        let lines = kwic(title, text, &spans, 5);
        let shown: Vec<Vec<&str>> =
            lines.iter().map(|k| k.highlights.iter().map(|&(a, b)| &k.text[a..b]).collect()).collect();
        assert_eq!(shown, [vec!["Путин"], vec!["一带一路"], vec!["BRICS", "SCO"]]);
        assert_eq!(lines[1].text, "习近平会见王毅，讨论一带一路。");
        assert_eq!(lines[2].text, "BRICS and the SCO met.");
        assert_eq!(kwic(title, text, &spans, 2).len(), 2);
        // A text that begins with its title does not repeat it.
        let text = "Путин и Си Цзиньпин\nThe leaders met.";
        let spans = vec![span(Field::Title, (0, 5)), span(Field::Text, (0, 5))];
        assert_eq!(kwic(title, text, &spans, 5).len(), 1);
    }

    #[test]
    fn spans_come_sorted_and_deduplicated_whatever_the_runs_of_leaves() {
        let title = text::tokenize("a b c d e f");
        let body = text::tokenize("g h i j k l m n o p");
        let terms = ["x", "y", "z"];
        // A plain stable sort and dedup of the spans: what the merge must equal.
        let expected = |leaves: &[LeafSpan<'_>]| -> Vec<(Field, u32, u32, String)> {
            let mut v: Vec<SpanRef<'_>> = Vec::new();
            for l in leaves.iter().filter(|l| l.field <= 1) {
                let t = if l.field == 0 { &title } else { &body };
                let field = if l.field == 0 { Field::Title } else { Field::Text };
                let (start, end) = (t.items[l.start as usize].start, t.items[l.end as usize - 1].end);
                v.push(SpanRef { field, start, end, term: l.term });
            }
            v.sort_by_key(|s| (s.field == Field::Text, s.start, s.end, s.term));
            v.dedup_by(|a, b| (a.field, a.start, a.end) == (b.field, b.start, b.end));
            v.iter().map(|s| (s.field, s.start, s.end, s.term.to_string())).collect()
        };
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut out = Vec::new();
        for case in 0..2000 {
            // One to four runs, each one term's leaves in order (title, then body); some in other fields.
            let mut leaves = Vec::new();
            for _ in 0..1 + next(4) {
                let term = terms[next(3) as usize];
                let mut run: Vec<LeafSpan<'_>> = (0..next(5))
                    .map(|_| {
                        let field = if next(10) == 0 { 2 } else { next(2) as usize };
                        let len = if field == 0 { 6 } else { 10 };
                        let start = next(len - 1) as u32;
                        LeafSpan { field, start, end: start + 1 + next(2) as u32, term }
                    })
                    .collect();
                run.sort_by_key(|l| (l.field, l.start, l.end));
                leaves.extend(run);
            }
            finish_span_refs(&leaves, &title, &body, &mut out);
            let got: Vec<_> = out.iter().map(|s| (s.field, s.start, s.end, s.term.to_string())).collect();
            assert_eq!(got, expected(&leaves), "case {case}: {leaves:?}");
        }
    }

    fn flags(q: &str, title: &str, body: &str) -> Option<Vec<(Field, u32, u32, String)>> {
        let m = Matcher::new([(1, q)]).unwrap();
        let doc = Document::new(title, body);
        let found = m.match_article(&PreparedArticle::new(doc));
        assert_eq!(
            found,
            reference::Reference::new([(1, q)]).unwrap().match_document(&doc),
            "engine vs reference: {q}"
        );
        found.into_iter().next().map(|tm| tm.spans.into_iter().map(|s| (s.field, s.start, s.end, s.term)).collect())
    }

    #[test]
    fn words_and_phrases_match_case_insensitively_with_char_offsets() {
        let hits = flags(
            "\"shanghai cooperation organisation\" OR brics",
            "",
            "The Shanghai Cooperation Organisation (SCO) and BRICS.",
        )
        .unwrap();
        assert_eq!(
            hits,
            vec![
                (Field::Text, 4, 37, "shanghai cooperation organisation".into()),
                (Field::Text, 48, 53, "brics".into())
            ]
        );
        // Offsets count characters, not bytes.
        let hits = flags("путин", "Встреча: Путин", "").unwrap();
        assert_eq!(hits, vec![(Field::Title, 9, 14, "путин".into())]);
    }

    #[test]
    fn boolean_operators() {
        assert!(flags("BRICS AND SCO", "", "BRICS and the SCO").is_some());
        assert!(flags("BRICS AND SCO", "", "BRICS only").is_none());
        assert!(flags("visa NOT card", "", "a visa card").is_none());
        assert!(flags("visa NOT card", "", "visa rules").is_some());
        assert!(flags("visa -card", "", "visa rules").is_some());
        assert!(flags("(visa OR виза) AND Russia", "", "Russia eases visa rules").is_some());
    }

    #[test]
    fn prefixes_case_sensitive_words_and_cjk() {
        assert!(flags("безвизов*", "", "о безвизовом режиме").is_some());
        assert!(flags("{SCO}", "", "the SCO summit").is_some());
        assert!(flags("{SCO}", "", "Sco Ltd and scone").is_none());
        let hits = flags("一带一路", "", "共建一带一路倡议").unwrap();
        assert_eq!(hits, vec![(Field::Text, 2, 6, "一带一路".into())]);
        assert!(flags("visa-free", "", "visa free travel").is_some());
        assert!(flags("\"belt and road\"", "", "a belt near the road").is_none());
    }

    #[test]
    fn check_reports_reading_and_errors() {
        let ok = check("BRICS or SCO");
        assert!(ok.ok);
        assert_eq!(ok.normalized.as_deref(), Some("BRICS AND or AND SCO"));
        assert_eq!(ok.warnings.len(), 1);
        // Inside a phrase, "and" is just a word of the phrase.
        assert!(check("\"Belt and Road\" OR BRICS").warnings.is_empty());
        let bad = check("(BRICS AND");
        assert!(!bad.ok);
        assert_eq!(bad.error.unwrap().column, 11);
    }

    #[test]
    fn snippet_is_the_sentence_around_the_first_hit() {
        let text = "First sentence here. The SCO met in May. Last one.";
        let spans = vec![Span { field: Field::Text, start: 25, end: 28, term: "SCO".into() }];
        assert_eq!(snippet(text, &spans), "The SCO met in May.");
        assert_eq!(snippet(text, &[]), "First sentence here.");
        // A long sentence is cut at a word boundary, marked with an ellipsis.
        let long = format!("{} the SCO met.", "word ".repeat(60));
        let start = long.find("SCO").unwrap() as u32;
        let s = snippet(&long, &[Span { field: Field::Text, start, end: start + 3, term: "SCO".into() }]);
        assert!(s.starts_with("…word "), "{s}");
        assert!(s.ends_with("the SCO met."), "{s}");
    }
}
