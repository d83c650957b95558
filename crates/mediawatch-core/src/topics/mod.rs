//! Topics: parse queries, match articles, explain the matches.
//!
//! This is the core's topic API. The matcher behind it is the foundation's first matcher (words, phrases,
//! prefixes, case-sensitive words, AND/OR/NOT); the topic engine replaces [`Matcher`]'s insides without
//! changing this surface. Everything here is pure: no I/O, no database.

pub mod defaults;
pub mod query;
pub mod text;

use crate::error::{QueryError, Result};
use crate::model::{Field, Id, QueryCheck, QueryProblem, Span};
use query::{Query, Term};
use text::Token;

/// The text of an article as the matcher sees it.
#[derive(Debug, Clone, Copy)]
pub struct ArticleText<'a> {
    pub title: &'a str,
    pub text: &'a str,
}

/// An article tokenised once, matched against many topics.
pub struct PreparedArticle {
    title: Vec<Token>,
    text: Vec<Token>,
}

impl PreparedArticle {
    pub fn new(article: ArticleText<'_>) -> Self {
        PreparedArticle { title: text::tokenize(article.title), text: text::tokenize(article.text) }
    }

    /// The body's folded words in order (what `cluster::fingerprint_words` reads).
    pub fn text_words(&self) -> Vec<&str> {
        self.text.iter().map(|t| t.norm.as_str()).collect()
    }
}

/// A compiled topic.
#[derive(Debug, Clone)]
pub struct CompiledTopic {
    pub id: Id,
    query: Query,
}

/// Every stored topic compiled once; matches one article against all of them.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    topics: Vec<CompiledTopic>,
}

/// A topic that flagged an article, with the spans that explain why.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicMatch {
    pub topic_id: Id,
    pub spans: Vec<Span>,
}

impl Matcher {
    /// Compiles `(topic id, query)` pairs. A query that does not parse is an error naming the topic.
    pub fn new<'a>(topics: impl IntoIterator<Item = (Id, &'a str)>) -> Result<Self> {
        let mut compiled = Vec::new();
        for (id, q) in topics {
            compiled.push(CompiledTopic { id, query: query::parse(q)? });
        }
        Ok(Matcher { topics: compiled })
    }

    /// The topics that flag this article, each with its spans sorted by field and position.
    pub fn match_article(&self, article: &PreparedArticle) -> Vec<TopicMatch> {
        self.topics
            .iter()
            .filter_map(|t| {
                eval(&t.query, article).map(|mut spans| {
                    spans.sort_by_key(|s| (s.field == Field::Text, s.start, s.end));
                    spans.dedup_by(|a, b| a.field == b.field && a.start == b.start && a.end == b.end);
                    TopicMatch { topic_id: t.id, spans }
                })
            })
            .collect()
    }
}

/// Evaluates a query: `Some(spans)` when it matches (spans of the positive terms), `None` when it does not.
fn eval(q: &Query, a: &PreparedArticle) -> Option<Vec<Span>> {
    match q {
        Query::Term(t) => {
            let mut spans = find_term(t, &a.title, Field::Title);
            spans.extend(find_term(t, &a.text, Field::Text));
            (!spans.is_empty()).then_some(spans)
        }
        Query::And(items) => {
            let mut all = Vec::new();
            for item in items {
                all.extend(eval(item, a)?);
            }
            Some(all)
        }
        Query::Or(items) => {
            let mut any = None::<Vec<Span>>;
            for item in items {
                if let Some(s) = eval(item, a) {
                    any.get_or_insert_with(Vec::new).extend(s);
                }
            }
            any
        }
        Query::Not(left, right) => {
            let spans = eval(left, a)?;
            eval(right, a).is_none().then_some(spans)
        }
        Query::Negated(inner) => eval(inner, a).is_none().then(Vec::new),
    }
}

fn word_matches(p: &query::WordPattern, t: &Token) -> bool {
    let candidate = if p.case_sensitive { &t.exact } else { &t.norm };
    if p.prefix {
        candidate.starts_with(&p.text)
    } else {
        *candidate == p.text
    }
}

fn find_term(term: &Term, tokens: &[Token], field: Field) -> Vec<Span> {
    let n = term.words.len();
    if n == 0 || tokens.len() < n {
        return Vec::new();
    }
    (0..=tokens.len() - n)
        .filter(|&i| term.words.iter().zip(&tokens[i..i + n]).all(|(p, t)| word_matches(p, t)))
        .map(|i| Span { field, start: tokens[i].start, end: tokens[i + n - 1].end, term: term.source.clone() })
        .collect()
}

/// Reads a query the way the matcher will, for the topic editor and `mediawatch topics check`.
pub fn check(q: &str) -> QueryCheck {
    match query::parse(q) {
        Ok(parsed) => {
            let mut warnings = Vec::new();
            if parsed.is_negation_only() {
                warnings.push("the query has only NOT terms: it flags every article that lacks them".into());
            }
            for w in query::lowercase_operator_words(q) {
                warnings.push(format!(
                    "'{w}' in lower case is searched as a word; write {} for the operator",
                    w.to_uppercase()
                ));
            }
            QueryCheck { ok: true, normalized: Some(parsed.canonical()), error: None, warnings }
        }
        Err(QueryError { message, column }) => QueryCheck {
            ok: false,
            normalized: None,
            error: Some(QueryProblem { message, column: u32::try_from(column).unwrap_or(u32::MAX) }),
            warnings: Vec::new(),
        },
    }
}

/// The parsed tree of a query as JSON (`mediawatch topics check --json` prints it as `ast`).
pub fn ast_json(q: &str) -> Result<serde_json::Value> {
    Ok(query::parse(q)?.to_json())
}

/// Validates a query; the error carries the column.
pub fn validate(q: &str) -> Result<()> {
    query::parse(q).map(|_| ()).map_err(Into::into)
}

/// One sentence of context around the first span in the text (or the text's opening when the hits are
/// all in the title), at most about 300 characters, plain text.
pub fn snippet(text: &str, spans: &[Span]) -> String {
    const MAX: usize = 300;
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let first = spans.iter().filter(|s| s.field == Field::Text).map(|s| s.start as usize).min();
    let anchor = first.unwrap_or(0).min(chars.len() - 1);
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '\n');
    let mut start = anchor;
    while start > 0 && !is_end(chars[start - 1]) && anchor - start < MAX / 2 {
        start -= 1;
    }
    let mut end = anchor;
    while end < chars.len() && !is_end(chars[end]) && end - start < MAX {
        end += 1;
    }
    if end < chars.len() && chars[end] != '\n' {
        end += 1; // keep the sentence's full stop
    }
    // A snippet cut short of its sentence's start begins at a word, not inside one.
    if start > 0 && !is_end(chars[start - 1]) {
        while start < anchor && !chars[start - 1].is_whitespace() {
            start += 1;
        }
    }
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

    fn flags(q: &str, title: &str, body: &str) -> Option<Vec<(Field, u32, u32, String)>> {
        let m = Matcher::new([(1, q)]).unwrap();
        let art = PreparedArticle::new(ArticleText { title, text: body });
        m.match_article(&art)
            .into_iter()
            .next()
            .map(|tm| tm.spans.into_iter().map(|s| (s.field, s.start, s.end, s.term)).collect())
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
