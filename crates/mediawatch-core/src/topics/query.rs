//! The first topic matcher's query language: words, `"phrases"` (any kind of quotes), `*` at the end of a
//! word, `{Exact}` case-sensitive words, `AND` / `OR` / `NOT` / `AND NOT`, a leading `-`, parentheses and
//! `<<<comments>>>`. Adjacent terms are joined by AND; precedence is NOT > AND > OR, as in
//! `shared/design/QUERY-LANGUAGE.md`. The full language (NEAR/n, fields, ...) arrives with the topic engine.

use crate::error::QueryError;

/// One word of a term: compared against the article's tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPattern {
    /// Normalised (folded) form, or the exact form when `case_sensitive`.
    pub text: String,
    /// `true` when the word ended with `*`: any token starting with `text` matches.
    pub prefix: bool,
    pub case_sensitive: bool,
}

/// A term: one or more consecutive words (a phrase, a hyphenated word, or a CJK run split per character).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// As written in the query (without quotes), reported in spans.
    pub source: String,
    pub words: Vec<WordPattern>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Term(Term),
    And(Vec<Query>),
    Or(Vec<Query>),
    /// Matches when the left side matches and the right side does not.
    Not(Box<Query>, Box<Query>),
    /// A NOT with nothing on its left (a query of only negations): matches when the inner query does not.
    Negated(Box<Query>),
}

impl Query {
    /// The query printed back in canonical form: operators in capitals, explicit parentheses.
    pub fn canonical(&self) -> String {
        match self {
            Query::Term(t) => {
                let exact = t.words.iter().any(|w| w.case_sensitive);
                let quoted = t.words.len() > 1 && !t.source.contains('-') && !is_cjk_run(&t.source);
                if exact {
                    format!("{{{}}}", t.source)
                } else if quoted {
                    format!("\"{}\"", t.source)
                } else {
                    t.source.clone()
                }
            }
            Query::And(items) => join(items, " AND "),
            Query::Or(items) => join(items, " OR "),
            Query::Not(a, b) => format!("{} NOT {}", a.canonical_grouped(), b.canonical_grouped()),
            Query::Negated(a) => format!("NOT {}", a.canonical_grouped()),
        }
    }

    fn canonical_grouped(&self) -> String {
        match self {
            Query::Term(_) => self.canonical(),
            _ => format!("({})", self.canonical()),
        }
    }

    /// The parsed tree as JSON, for `mediawatch topics check`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Query::Term(t) => json!({
                "type": if t.words.len() > 1 { "phrase" } else { "term" },
                "text": t.source,
                "case_sensitive": t.words.iter().any(|w| w.case_sensitive),
                "prefix": t.words.iter().any(|w| w.prefix),
            }),
            Query::And(items) => json!({"type": "and", "items": items.iter().map(Query::to_json).collect::<Vec<_>>()}),
            Query::Or(items) => json!({"type": "or", "items": items.iter().map(Query::to_json).collect::<Vec<_>>()}),
            Query::Not(a, b) => json!({"type": "not", "include": a.to_json(), "exclude": b.to_json()}),
            Query::Negated(a) => json!({"type": "not", "include": null, "exclude": a.to_json()}),
        }
    }

    /// True when the query contains only negations (it would match nearly everything).
    pub fn is_negation_only(&self) -> bool {
        matches!(self, Query::Negated(_))
    }
}

fn join(items: &[Query], sep: &str) -> String {
    items.iter().map(Query::canonical_grouped).collect::<Vec<_>>().join(sep)
}

fn is_cjk_run(s: &str) -> bool {
    s.chars().all(|c| crate::topics::text::is_cjk(c) || c.is_whitespace())
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word { text: String, col: usize },
    Phrase { text: String, col: usize },
    Exact { text: String, col: usize },
    And(usize),
    Or(usize),
    Not(usize),
    Minus(usize),
    Open(usize),
    Close(usize),
}

impl Tok {
    fn col(&self) -> usize {
        match self {
            Tok::Word { col, .. } | Tok::Phrase { col, .. } | Tok::Exact { col, .. } => *col,
            Tok::And(c) | Tok::Or(c) | Tok::Not(c) | Tok::Minus(c) | Tok::Open(c) | Tok::Close(c) => *c,
        }
    }
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '‟')
}

fn closing_quote_matches(open: char, c: char) -> bool {
    match open {
        '«' => c == '»',
        '»' => c == '«',
        _ => matches!(c, '"' | '“' | '”' | '„' | '‟'),
    }
}

fn err(message: impl Into<String>, column: usize) -> QueryError {
    QueryError { message: message.into(), column }
}

fn lex(input: &str) -> Result<Vec<Tok>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '<' && chars[i..].starts_with(&['<', '<', '<']) {
            let rest: String = chars[i + 3..].iter().collect();
            match rest.find(">>>") {
                Some(end) => i += 3 + rest[..end].chars().count() + 3,
                None => return Err(err("comment opened with '<<<' is never closed with '>>>'", col)),
            }
        } else if c == '(' {
            toks.push(Tok::Open(col));
            i += 1;
        } else if c == ')' {
            toks.push(Tok::Close(col));
            i += 1;
        } else if is_open_quote(c) {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && !closing_quote_matches(c, chars[j]) {
                j += 1;
            }
            if j >= chars.len() {
                return Err(err("phrase opened here is never closed", col));
            }
            let text: String = chars[start..j].iter().collect();
            if text.trim().is_empty() {
                return Err(err("empty phrase", col));
            }
            toks.push(Tok::Phrase { text: text.trim().to_string(), col });
            i = j + 1;
        } else if c == '{' {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && chars[j] != '}' {
                j += 1;
            }
            if j >= chars.len() {
                return Err(err("expected '}'", chars.len() + 1));
            }
            let text: String = chars[start..j].iter().collect();
            if text.trim().is_empty() {
                return Err(err("empty case-sensitive term", col));
            }
            toks.push(Tok::Exact { text: text.trim().to_string(), col });
            i = j + 1;
        } else if c == '-' && toks_allow_prefix_minus(&chars, i) {
            toks.push(Tok::Minus(col));
            i += 1;
        } else if c == '}' {
            return Err(err("unexpected '}'", col));
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '{' | '}')
                && !is_open_quote(chars[i])
            {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            match text.as_str() {
                "AND" => toks.push(Tok::And(col)),
                "OR" => toks.push(Tok::Or(col)),
                "NOT" => toks.push(Tok::Not(col)),
                _ => toks.push(Tok::Word { text, col }),
            }
        }
    }
    Ok(toks)
}

/// A `-` is a negation only at the start of a term: at the query start or after whitespace or `(`.
fn toks_allow_prefix_minus(chars: &[char], i: usize) -> bool {
    let after_ok = chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
    let before_ok = i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(';
    after_ok && before_ok
}

/// Operator words written in lower case (`and`, `or`, `not`, `near`) outside phrases: they are searched as
/// words, which is rarely what the analyst meant.
pub fn lowercase_operator_words(input: &str) -> Vec<String> {
    let Ok(toks) = lex(input) else { return Vec::new() };
    let mut found: Vec<String> = toks
        .into_iter()
        .filter_map(|t| match t {
            Tok::Word { text, .. } if matches!(text.as_str(), "and" | "or" | "not" | "near") => Some(text),
            _ => None,
        })
        .collect();
    found.dedup();
    found
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    end_col: usize,
}

/// Parses a topic query. Errors carry the 1-based column of the problem.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let toks = lex(input)?;
    let end_col = input.chars().count() + 1;
    if toks.is_empty() {
        return Err(err("the query is empty", 1));
    }
    let mut p = Parser { toks, pos: 0, end_col };
    let q = p.or()?;
    if let Some(t) = p.peek() {
        let what = match t {
            Tok::Close(_) => "unexpected ')'".to_string(),
            _ => "unexpected input".to_string(),
        };
        return Err(err(what, t.col()));
    }
    Ok(q)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next_col(&self) -> usize {
        self.peek().map_or(self.end_col, Tok::col)
    }

    fn or(&mut self) -> Result<Query, QueryError> {
        let mut items = vec![self.and()?];
        while let Some(Tok::Or(_)) = self.peek() {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Query::Or(items) })
    }

    fn and(&mut self) -> Result<Query, QueryError> {
        let mut items = vec![self.not()?];
        loop {
            match self.peek() {
                Some(Tok::And(_)) => {
                    // `AND NOT` is the binary NOT.
                    if let Some(Tok::Not(_)) = self.toks.get(self.pos + 1) {
                        self.pos += 2;
                        let right = self.unary()?;
                        let left = collapse_and(std::mem::take(&mut items));
                        items.push(make_not(left, right));
                        continue;
                    }
                    self.pos += 1;
                    items.push(self.not()?);
                }
                Some(Tok::Word { .. } | Tok::Phrase { .. } | Tok::Exact { .. } | Tok::Open(_) | Tok::Minus(_)) => {
                    items.push(self.not()?);
                }
                _ => break,
            }
        }
        Ok(collapse_and(items))
    }

    fn not(&mut self) -> Result<Query, QueryError> {
        let mut left = if let Some(Tok::Not(_)) = self.peek() {
            self.pos += 1;
            Query::Negated(Box::new(self.unary()?))
        } else {
            self.unary()?
        };
        while let Some(Tok::Not(_)) = self.peek() {
            self.pos += 1;
            let right = self.unary()?;
            left = make_not(left, right);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Query, QueryError> {
        if let Some(Tok::Minus(_)) = self.peek() {
            self.pos += 1;
            return Ok(Query::Negated(Box::new(self.primary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Query, QueryError> {
        let col = self.next_col();
        let Some(tok) = self.peek().cloned() else {
            return Err(err("expected a word, a phrase or '('", col));
        };
        self.pos += 1;
        match tok {
            Tok::Open(_) => {
                if let Some(Tok::Close(c)) = self.peek() {
                    return Err(err("empty parentheses", *c));
                }
                let q = self.or()?;
                match self.peek() {
                    Some(Tok::Close(_)) => {
                        self.pos += 1;
                        Ok(q)
                    }
                    _ => Err(err("expected ')'", self.next_col())),
                }
            }
            Tok::Word { text, col } => term(&text, false, col).map(Query::Term),
            Tok::Phrase { text, col } => term(&text, false, col).map(Query::Term),
            Tok::Exact { text, col } => term(&text, true, col).map(Query::Term),
            Tok::And(c) | Tok::Or(c) | Tok::Not(c) => {
                Err(err("expected a word, a phrase or '(' before this operator", c))
            }
            Tok::Close(c) => Err(err("unexpected ')'", c)),
            Tok::Minus(c) => Err(err("'-' must be followed by a term", c)),
        }
    }
}

fn collapse_and(mut items: Vec<Query>) -> Query {
    if items.len() == 1 {
        items.remove(0)
    } else {
        Query::And(items)
    }
}

/// `a NOT b`, folding `a AND -b` into the same shape.
fn make_not(left: Query, right: Query) -> Query {
    Query::Not(Box::new(left), Box::new(right))
}

/// Builds a term from its written form: splits it into words the way article text is split.
fn term(text: &str, case_sensitive: bool, col: usize) -> Result<Term, QueryError> {
    let tokens = crate::topics::text::tokenize_pattern(text);
    if tokens.is_empty() {
        return Err(err(format!("'{text}' has no letters or digits to match"), col));
    }
    let mut words = Vec::with_capacity(tokens.len());
    for (word, prefix) in tokens {
        if word.is_empty() {
            return Err(err("a wildcard '*' needs letters before it", col));
        }
        let text = if case_sensitive { word } else { crate::topics::text::fold(&word) };
        words.push(WordPattern { text, prefix, case_sensitive });
    }
    Ok(Term { source: text.to_string(), words })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(q: &str) -> String {
        parse(q).unwrap().canonical()
    }

    #[test]
    fn precedence_and_canonical_form() {
        assert_eq!(canon("a b OR c"), "(a AND b) OR c");
        assert_eq!(canon("a OR b c"), "a OR (b AND c)");
        assert_eq!(canon("a NOT b OR c"), "(a NOT b) OR c");
        assert_eq!(canon("a AND NOT b"), "a NOT b");
        assert_eq!(canon("BRICS -summit"), "BRICS AND (NOT summit)");
        assert_eq!(canon("“Belt and Road” OR «Пояс и путь»"), "\"Belt and Road\" OR \"Пояс и путь\"");
        assert_eq!(canon("{SCO} <<<the acronym>>> OR ШОС"), "{SCO} OR ШОС");
        assert_eq!(canon("visa-free"), "visa-free");
    }

    #[test]
    fn lower_case_operators_are_words() {
        assert_eq!(canon("belt and road"), "belt AND and AND road");
    }

    #[test]
    fn hyphen_inside_a_word_is_not_a_negation() {
        let q = parse("anti-muslim").unwrap();
        assert!(matches!(q, Query::Term(ref t) if t.words.len() == 2));
    }

    #[test]
    fn errors_name_the_column() {
        assert_eq!(parse("(BRICS AND").unwrap_err(), err("expected a word, a phrase or '('", 11));
        assert_eq!(parse("(BRICS OR SCO").unwrap_err(), err("expected ')'", 14));
        assert_eq!(parse("BRICS )").unwrap_err(), err("unexpected ')'", 7));
        assert_eq!(parse("\"One Belt").unwrap_err().column, 1);
        assert_eq!(parse("OR x").unwrap_err().column, 1);
        assert_eq!(parse("   ").unwrap_err().message, "the query is empty");
        assert_eq!(parse("*").unwrap_err().column, 1);
    }
}
