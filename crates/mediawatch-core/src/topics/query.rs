//! The topic query language of `shared/design/QUERY-LANGUAGE.md`: its grammar, the parsed tree, the
//! canonical form printed back to the analyst, and the warnings.
//!
//! ```text
//! query     := or
//! or        := and ( "OR" and )*
//! and       := not ( ["AND"] not )*            adjacent terms are joined by AND
//! not       := near ( ("NOT" | "AND NOT") near )*
//! near      := unary ( ("NEAR" ["/" n] | "ONEAR" ["/" n] | "NEAR/" n "f" | "w/" n) unary )*
//! unary     := ["-"] primary                    leading "-" means NOT, only at the start of a term
//! primary   := "(" query ")" | field ":" primary | phrase ["~" n] | "{" word "}" | "cs(" word ")" | term
//! ```
//!
//! What each construct means is fixed by the reference evaluator (`reference.rs`); the engine
//! (`engine/`) must agree with it exactly.

use crate::error::QueryError;
use crate::topics::text::{self, split_pattern};

/// `NEAR` without a distance.
pub const DEFAULT_NEAR: u32 = 4;
/// The widest proximity the parser accepts (wider ones warn above 20).
pub const MAX_DISTANCE: u32 = 1000;

/// One word of a term, compiled for comparison with the words of a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WordPattern {
    /// The form compared: exact (NFKC) when case-sensitive, else folded when the word carries diacritics,
    /// else bare. Wildcards `*` (any run of characters, possibly empty) and `?` (one character) stay in it.
    pub text: String,
    pub case_sensitive: bool,
    /// Compared with the text word's folded form (the query word has diacritics): one-way folding.
    pub accented: bool,
    /// `text` contains `*` or `?`.
    pub wildcard: bool,
    /// The word is in an unspaced script (one CJK character).
    pub cjk: bool,
    /// The bare form (see `text.rs`) a text word must have for this word to match it — of its literal
    /// start for a wildcard word: the engine's index key and posting-list key.
    pub key: String,
    /// [`text::key_hash`] of `key`: how the engine finds the key's posting list.
    pub key_hash: u64,
}

impl WordPattern {
    /// The characters before the first wildcard.
    pub fn literal_prefix(&self) -> &str {
        match self.text.find(['*', '?']) {
            Some(i) => &self.text[..i],
            None => &self.text,
        }
    }
}

/// A term: a word, a hyphenated word, a phrase, or a run of CJK characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    /// As written in the query (without quotes or braces); reported in spans.
    pub source: String,
    pub case_sensitive: bool,
    /// Written in quotes.
    pub quoted: bool,
    /// `"a b"~n`: the words in order with at most `n` other words between them in total.
    pub slop: Option<u32>,
    /// The word sequences that count as this term: one, or more when hyphens/apostrophes join words
    /// (`visa-free` is `visa free` or `visafree`). Every sequence is non-empty.
    pub alternatives: Vec<Vec<WordPattern>>,
    /// Set by the engine when it compiles the topics: terms that find the same places share a number, and
    /// an article's occurrences of a term shared by several topics are looked up once (0: not shared).
    pub shared: u32,
    /// Set by the engine when it compiles the topics: the hash of the term's one word when that word is
    /// compared by its bare form (no wildcard, case, accent or stemming), found straight from the article's
    /// posting lists without reading the term further.
    pub word_hash: Option<u64>,
}

/// Fields a term can be restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldName {
    Title,
    Body,
    /// The first paragraph of the body.
    Lead,
    Source,
    Url,
    Author,
}

impl FieldName {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldName::Title => "title",
            FieldName::Body => "body",
            FieldName::Lead => "lead",
            FieldName::Source => "source",
            FieldName::Url => "url",
            FieldName::Author => "author",
        }
    }
}

/// How a proximity operator was written (for the canonical form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NearOrder {
    Any,
    InOrder,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Term(Term),
    And(Vec<Query>),
    Or(Vec<Query>),
    /// Matches when the left side matches and the right side does not.
    Not(Box<Query>, Box<Query>),
    /// `NOT x` / `-x` with nothing on its left: matches when `x` does not.
    Negated(Box<Query>),
    /// `left NEAR/n right`: an occurrence of each side in the same field, at most `distance` words between.
    Near {
        left: Box<Query>,
        right: Box<Query>,
        distance: u32,
        order: NearOrder,
    },
    /// `title:x`, `body:x`, ...: the inner terms are looked for in that field only.
    Field(FieldName, Box<Query>),
    /// `site:example.com`: the article's host is that domain or one of its subdomains.
    Site(String),
    /// `lang:ru`: the article's language (ISO 639-1).
    Lang(String),
}

/// Every term of a query, mutably (the engine numbers the shared ones).
pub fn terms_mut(q: &mut Query, f: &mut impl FnMut(&mut Term)) {
    match q {
        Query::Term(t) => f(t),
        Query::And(items) | Query::Or(items) => items.iter_mut().for_each(|i| terms_mut(i, f)),
        Query::Not(a, b) | Query::Near { left: a, right: b, .. } => {
            terms_mut(a, f);
            terms_mut(b, f);
        }
        Query::Negated(a) | Query::Field(_, a) => terms_mut(a, f),
        Query::Site(_) | Query::Lang(_) => {}
    }
}

impl Query {
    /// The query printed back in canonical form: operators in capitals, explicit parentheses.
    pub fn canonical(&self) -> String {
        match self {
            Query::Term(t) => {
                let mut s = if t.case_sensitive {
                    if t.source.contains('}') {
                        format!("cs({})", t.source)
                    } else {
                        format!("{{{}}}", t.source)
                    }
                } else if t.quoted || !reads_as_one_word(&t.source) {
                    // Quotes that do not occur inside the phrase; a quote character inside is a word break
                    // like a space, so when both kinds occur it is printed as one.
                    let straight = |c: char| is_quote(c) && c != '«' && c != '»';
                    if !t.source.chars().any(is_quote) {
                        format!("\"{}\"", t.source)
                    } else if !t.source.contains(['«', '»']) {
                        format!("«{}»", t.source)
                    } else if !t.source.chars().any(straight) {
                        format!("\"{}\"", t.source)
                    } else {
                        let spaced: String = t.source.chars().map(|c| if is_quote(c) { ' ' } else { c }).collect();
                        format!("\"{}\"", spaced.trim())
                    }
                } else {
                    t.source.clone()
                };
                if let Some(n) = t.slop {
                    s.push_str(&format!("~{n}"));
                }
                s
            }
            Query::And(items) => join(items, " AND "),
            Query::Or(items) => join(items, " OR "),
            Query::Not(a, b) => format!("{} NOT {}", a.grouped(), b.grouped()),
            Query::Negated(a) => format!("NOT {}", a.grouped()),
            Query::Near { left, right, distance, order } => {
                let op = match order {
                    NearOrder::Any => "NEAR",
                    NearOrder::InOrder => "ONEAR",
                };
                format!("{} {op}/{distance} {}", left.grouped(), right.grouped())
            }
            Query::Field(f, inner) => format!("{}:{}", f.as_str(), inner.grouped()),
            Query::Site(s) => format!("site:{s}"),
            Query::Lang(l) => format!("lang:{l}"),
        }
    }

    fn grouped(&self) -> String {
        match self {
            Query::Term(_) | Query::Field(..) | Query::Site(_) | Query::Lang(_) => self.canonical(),
            _ => format!("({})", self.canonical()),
        }
    }

    /// The parsed tree as JSON, for `mediawatch topics check`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let all = |items: &[Query]| items.iter().map(Query::to_json).collect::<Vec<_>>();
        match self {
            Query::Term(t) => {
                let mut v = json!({
                    "type": if t.quoted || t.alternatives[0].len() > 1 { "phrase" } else { "term" },
                    "text": t.source,
                    "case_sensitive": t.case_sensitive,
                    "prefix": t.alternatives.iter().flatten().any(|w| w.wildcard),
                    "wildcard": t.alternatives.iter().flatten().any(|w| w.wildcard),
                    "forms": t.alternatives.iter().map(|a| a.iter().map(|w| w.text.clone()).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>(),
                });
                if let Some(n) = t.slop {
                    v["slop"] = n.into();
                }
                v
            }
            Query::And(items) => json!({"type": "and", "items": all(items)}),
            Query::Or(items) => json!({"type": "or", "items": all(items)}),
            Query::Not(a, b) => json!({"type": "not", "include": a.to_json(), "exclude": b.to_json()}),
            Query::Negated(a) => json!({"type": "not", "include": null, "exclude": a.to_json()}),
            Query::Near { left, right, distance, order } => json!({
                "type": "near", "distance": distance, "in_order": *order == NearOrder::InOrder,
                "left": left.to_json(), "right": right.to_json(),
            }),
            Query::Field(f, inner) => json!({"type": "field", "field": f.as_str(), "query": inner.to_json()}),
            Query::Site(s) => json!({"type": "site", "domain": s}),
            Query::Lang(l) => json!({"type": "lang", "lang": l}),
        }
    }

    /// True when the query has no positive term anywhere: it flags every article that lacks some words.
    pub fn is_negation_only(&self) -> bool {
        !self.has_positive()
    }

    fn has_positive(&self) -> bool {
        match self {
            Query::Term(_) | Query::Site(_) | Query::Lang(_) | Query::Near { .. } => true,
            Query::And(items) | Query::Or(items) => items.iter().any(Query::has_positive),
            Query::Not(a, _) => a.has_positive(),
            Query::Negated(_) => false,
            Query::Field(_, q) => q.has_positive(),
        }
    }

    /// Every term of the query (positive or negated), in order.
    pub fn terms(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        self.collect_terms(&mut out);
        out
    }

    fn collect_terms<'a>(&'a self, out: &mut Vec<&'a Term>) {
        match self {
            Query::Term(t) => out.push(t),
            Query::And(items) | Query::Or(items) => items.iter().for_each(|q| q.collect_terms(out)),
            Query::Not(a, b) | Query::Near { left: a, right: b, .. } => {
                a.collect_terms(out);
                b.collect_terms(out);
            }
            Query::Negated(a) | Query::Field(_, a) => a.collect_terms(out),
            Query::Site(_) | Query::Lang(_) => {}
        }
    }

    /// Whether the node yields positions (a term, a phrase, an OR of such, a field of such, a NEAR): what
    /// NEAR accepts on each side.
    pub fn is_positional(&self) -> bool {
        match self {
            Query::Term(_) | Query::Near { .. } => true,
            Query::Or(items) => items.iter().all(Query::is_positional),
            Query::Field(_, q) => q.is_positional(),
            _ => false,
        }
    }
}

/// Whether a term written bare reads back as this one word: not an operator, not a field prefix, no
/// character the lexer treats apart, no leading `-`.
fn reads_as_one_word(source: &str) -> bool {
    let special = |c: char| c.is_whitespace() || matches!(c, '(' | ')' | '{' | '}' | '~') || is_quote(c);
    let field_prefix = source.split_once(':').is_some_and(|(name, _)| field_by_name(name).is_some());
    !source.is_empty()
        && !source.starts_with('-')
        && !source.starts_with("cs(")
        && !source.contains("<<<")
        && !source.chars().any(special)
        && !field_prefix
        && !matches!(source, "AND" | "OR" | "NOT")
        && near_operator(source, 1).ok().flatten().is_none()
        && near_operator(source, 1).is_ok()
}

fn join(items: &[Query], sep: &str) -> String {
    items.iter().map(Query::grouped).collect::<Vec<_>>().join(sep)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word { text: String, col: usize },
    Phrase { text: String, col: usize, slop: Option<u32> },
    Exact { text: String, col: usize },
    Field { name: FieldSel, col: usize },
    And(usize),
    Or(usize),
    Not(usize),
    Near { col: usize, distance: u32, order: NearOrder },
    Minus(usize),
    Open(usize),
    Close(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum FieldSel {
    Text(FieldName),
    Site,
    Lang,
}

impl Tok {
    fn col(&self) -> usize {
        match self {
            Tok::Word { col, .. }
            | Tok::Phrase { col, .. }
            | Tok::Exact { col, .. }
            | Tok::Field { col, .. }
            | Tok::Near { col, .. } => *col,
            Tok::And(c) | Tok::Or(c) | Tok::Not(c) | Tok::Minus(c) | Tok::Open(c) | Tok::Close(c) => *c,
        }
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '‟' | '＂')
}

fn closing_quote_matches(open: char, c: char) -> bool {
    match open {
        '«' => c == '»',
        '»' => c == '«',
        _ => matches!(c, '"' | '“' | '”' | '„' | '‟' | '＂'),
    }
}

fn err(message: impl Into<String>, column: usize) -> QueryError {
    QueryError { message: message.into(), column }
}

fn field_by_name(name: &str) -> Option<FieldSel> {
    Some(match name.to_ascii_lowercase().as_str() {
        "title" | "headline" => FieldSel::Text(FieldName::Title),
        "body" | "text" => FieldSel::Text(FieldName::Body),
        "lead" | "ingress" => FieldSel::Text(FieldName::Lead),
        "source" => FieldSel::Text(FieldName::Source),
        "url" => FieldSel::Text(FieldName::Url),
        "author" => FieldSel::Text(FieldName::Author),
        "site" => FieldSel::Site,
        "lang" | "language" => FieldSel::Lang,
        _ => return None,
    })
}

/// Reads `digits` at `chars[i..]`: the number and the index after it.
fn number(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    while j < chars.len() && chars[j].is_ascii_digit() {
        j += 1;
    }
    if j == i {
        return None;
    }
    let s: String = chars[i..j].iter().collect();
    Some((s.parse().unwrap_or(u32::MAX), j))
}

/// A proximity operator written as a word: `NEAR`, `NEAR/5`, `NEAR/5f`, `ONEAR`, `ONEAR/5`, `w/5`, `W/5`.
/// `Ok(None)` when the word is not one; an error when it starts like one but is malformed.
fn near_operator(word: &str, col: usize) -> Result<Option<(u32, NearOrder)>, QueryError> {
    let (rest, order, needs_number) = if let Some(r) = word.strip_prefix("ONEAR") {
        (r, NearOrder::InOrder, false)
    } else if let Some(r) = word.strip_prefix("NEAR") {
        (r, NearOrder::Any, false)
    } else if let Some(r) = word.strip_prefix("w/").or_else(|| word.strip_prefix("W/")) {
        // `w/5` is Cision's NEAR/5; `w/o` is a word.
        if !r.starts_with(|c: char| c.is_ascii_digit()) {
            return Ok(None);
        }
        (r, NearOrder::Any, true)
    } else {
        return Ok(None);
    };
    let (rest, needs_number) = if needs_number {
        (rest, true)
    } else if rest.is_empty() {
        return Ok(Some((DEFAULT_NEAR, order)));
    } else if let Some(r) = rest.strip_prefix('/') {
        (r, true)
    } else {
        // `NEARBY`, `ONEARTH`: words, not operators.
        return Ok(None);
    };
    debug_assert!(needs_number);
    let chars: Vec<char> = rest.chars().collect();
    let op_len = word.chars().count() - chars.len();
    let Some((n, after)) = number(&chars, 0) else {
        return Err(err("expected a number of words after '/'", col + op_len));
    };
    let mut order = order;
    match &chars[after..] {
        [] => {}
        ['f'] if order == NearOrder::Any && word.starts_with("NEAR") => order = NearOrder::InOrder,
        _ => return Err(err(format!("'{word}' is not a proximity operator (NEAR/n, NEAR/nf, ONEAR/n, w/n)"), col)),
    }
    if n > MAX_DISTANCE {
        return Err(err(format!("a distance of at most {MAX_DISTANCE} words"), col + op_len));
    }
    Ok(Some((n, order)))
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
        } else if chars[i..].starts_with(&['<', '<', '<']) {
            let mut j = i + 3;
            while j < chars.len() && !chars[j..].starts_with(&['>', '>', '>']) {
                j += 1;
            }
            if j >= chars.len() {
                return Err(err("comment opened with '<<<' is never closed with '>>>'", col));
            }
            i = j + 3;
        } else if c == '(' {
            toks.push(Tok::Open(col));
            i += 1;
        } else if c == ')' {
            toks.push(Tok::Close(col));
            i += 1;
        } else if is_quote(c) {
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
            i = j + 1;
            let mut slop = None;
            if chars.get(i) == Some(&'~') {
                match number(&chars, i + 1) {
                    Some((n, after)) if n <= MAX_DISTANCE => {
                        slop = Some(n);
                        i = after;
                    }
                    Some(_) => return Err(err(format!("a phrase slop of at most {MAX_DISTANCE} words"), i + 2)),
                    None => return Err(err("expected a number of words after '~'", i + 2)),
                }
            }
            toks.push(Tok::Phrase { text: text.trim().to_string(), col, slop });
        } else if c == '{' || (c == 'c' && chars[i..].starts_with(&['c', 's', '(']) && starts_term(&chars, i)) {
            let (open_len, close) = if c == '{' { (1, '}') } else { (3, ')') };
            let start = i + open_len;
            let mut j = start;
            while j < chars.len() && chars[j] != close {
                j += 1;
            }
            if j >= chars.len() {
                return Err(err(format!("expected '{close}'"), chars.len() + 1));
            }
            let text: String = chars[start..j].iter().collect();
            if text.trim().is_empty() {
                return Err(err("empty case-sensitive term", col));
            }
            toks.push(Tok::Exact { text: text.trim().to_string(), col });
            i = j + 1;
        } else if c == '-' && starts_term(&chars, i) && chars.get(i + 1).is_some_and(|c| !c.is_whitespace()) {
            toks.push(Tok::Minus(col));
            i += 1;
        } else if c == '}' {
            return Err(err("unexpected '}'", col));
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '{' | '}')
                && !is_quote(chars[i])
                && !chars[i..].starts_with(&['<', '<', '<'])
            {
                // A field prefix ends the word: `title:BRICS`.
                if chars[i] == ':' {
                    let name: String = chars[start..i].iter().collect();
                    if let Some(sel) = field_by_name(&name) {
                        toks.push(Tok::Field { name: sel, col });
                        i += 1;
                        if i >= chars.len() || chars[i].is_whitespace() {
                            return Err(err(format!("expected a term after '{name}:'"), i + 1));
                        }
                        break;
                    }
                }
                i += 1;
            }
            if matches!(toks.last(), Some(Tok::Field { col: c, .. }) if *c == col) {
                continue;
            }
            let text: String = chars[start..i].iter().collect();
            match text.as_str() {
                "AND" => toks.push(Tok::And(col)),
                "OR" => toks.push(Tok::Or(col)),
                "NOT" => toks.push(Tok::Not(col)),
                _ => match near_operator(&text, col)? {
                    Some((distance, order)) => toks.push(Tok::Near { col, distance, order }),
                    None => toks.push(Tok::Word { text, col }),
                },
            }
        }
    }
    Ok(toks)
}

/// A position where a term may start: the query's start, after whitespace, `(` or a field's `:`.
fn starts_term(chars: &[char], i: usize) -> bool {
    i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(' || chars[i - 1] == ':'
}

/// Operator words written in lower case (`and`, `or`, `not`, `near`) outside phrases: they are searched as
/// words, which is rarely what the analyst meant.
pub fn lowercase_operator_words(input: &str) -> Vec<String> {
    let Ok(toks) = lex(input) else { return Vec::new() };
    let mut found: Vec<String> = Vec::new();
    for t in toks {
        if let Tok::Word { text, .. } = t {
            let lower = text.to_lowercase();
            if matches!(lower.as_str(), "and" | "or" | "not" | "near" | "onear")
                && text != text.to_uppercase()
                && !found.contains(&text)
            {
                found.push(text);
            }
        }
    }
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
            Tok::Close(_) => "unexpected ')'",
            _ => "unexpected input",
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
                    self.pos += 1;
                    items.push(self.not()?);
                }
                Some(
                    Tok::Word { .. }
                    | Tok::Phrase { .. }
                    | Tok::Exact { .. }
                    | Tok::Field { .. }
                    | Tok::Open(_)
                    | Tok::Minus(_),
                ) => items.push(self.not()?),
                _ => break,
            }
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Query::And(items) })
    }

    fn not(&mut self) -> Result<Query, QueryError> {
        let mut left = if let Some(Tok::Not(_)) = self.peek() {
            self.pos += 1;
            Query::Negated(Box::new(self.near()?))
        } else {
            self.near()?
        };
        loop {
            match (self.peek(), self.toks.get(self.pos + 1)) {
                (Some(Tok::Not(_)), _) => self.pos += 1,
                (Some(Tok::And(_)), Some(Tok::Not(_))) => self.pos += 2,
                _ => break,
            }
            let right = self.near()?;
            left = Query::Not(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn near(&mut self) -> Result<Query, QueryError> {
        let mut left = self.unary()?;
        while let Some(&Tok::Near { col, distance, order }) = self.peek() {
            self.pos += 1;
            let right = self.unary()?;
            for side in [&left, &right] {
                if !side.is_positional() {
                    return Err(err(
                        "NEAR needs words, phrases or OR-groups of them on each side (not AND, NOT or site:/lang:)",
                        col,
                    ));
                }
            }
            left = Query::Near { left: Box::new(left), right: Box::new(right), distance, order };
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
            Tok::Field { name, col } => match name {
                FieldSel::Text(f) => {
                    let inner = self.primary()?;
                    if has_filter(&inner) {
                        return Err(err(format!("site: and lang: cannot go inside {}:", f.as_str()), col));
                    }
                    Ok(Query::Field(f, Box::new(inner)))
                }
                FieldSel::Site | FieldSel::Lang => {
                    let what = if name == FieldSel::Site { "site" } else { "lang" };
                    let value = match self.peek().cloned() {
                        Some(Tok::Word { text, .. } | Tok::Phrase { text, .. }) => {
                            self.pos += 1;
                            text
                        }
                        _ => return Err(err(format!("expected a value after '{what}:'"), self.next_col())),
                    };
                    if name == FieldSel::Site {
                        let domain = value.trim().to_lowercase();
                        let domain = domain.trim_start_matches("www.").trim_end_matches('/').to_string();
                        if domain.is_empty() || !domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-') {
                            return Err(err(format!("'{value}' is not a domain (site:example.com)"), col));
                        }
                        Ok(Query::Site(domain))
                    } else {
                        let lang = value.trim().to_lowercase();
                        if lang.len() < 2 || lang.len() > 3 || !lang.chars().all(|c| c.is_ascii_lowercase()) {
                            return Err(err(
                                format!("'{value}' is not a language code (lang:en, lang:ru, lang:zh)"),
                                col,
                            ));
                        }
                        Ok(Query::Lang(lang))
                    }
                }
            },
            Tok::Word { text, col } => term(&text, false, false, None, col).map(Query::Term),
            Tok::Phrase { text, col, slop } => term(&text, false, true, slop, col).map(Query::Term),
            Tok::Exact { text, col } => term(&text, true, false, None, col).map(Query::Term),
            Tok::And(c) | Tok::Or(c) | Tok::Not(c) | Tok::Near { col: c, .. } => {
                Err(err("expected a word, a phrase or '(' before this operator", c))
            }
            Tok::Close(c) => Err(err("unexpected ')'", c)),
            Tok::Minus(c) => Err(err("'-' must be followed by a term", c)),
        }
    }
}

fn has_filter(q: &Query) -> bool {
    match q {
        Query::Site(_) | Query::Lang(_) => true,
        Query::Term(_) => false,
        Query::And(items) | Query::Or(items) => items.iter().any(has_filter),
        Query::Not(a, b) | Query::Near { left: a, right: b, .. } => has_filter(a) || has_filter(b),
        Query::Negated(a) | Query::Field(_, a) => has_filter(a),
    }
}

/// Compiles one word of a term.
fn word_pattern(word: &str, case_sensitive: bool) -> WordPattern {
    let cjk = word.chars().count() == 1 && word.chars().all(text::is_cjk);
    let wildcard = word.contains(['*', '?']);
    let literal = |w: &str| -> String {
        let end = w.find(['*', '?']).unwrap_or(w.len());
        text::bare(&text::fold(&w[..end]))
    };
    if case_sensitive {
        let exact = text::exact_form(word);
        let key = literal(&exact);
        let key_hash = text::key_hash(&key);
        return WordPattern { text: exact, case_sensitive, accented: false, wildcard, cjk, key, key_hash };
    }
    let folded = text::fold(word);
    let accented = text::strip_diacritics(&folded).is_some();
    let key = literal(&folded);
    let key_hash = text::key_hash(&key);
    WordPattern { text: folded, case_sensitive, accented, wildcard, cjk, key, key_hash }
}

/// The most alternatives a term's hyphens and apostrophes may produce (each join doubles them).
const MAX_ALTERNATIVES: usize = 16;

/// Builds a term from its written form: splits it into words the way article text is split.
fn term(source: &str, case_sensitive: bool, quoted: bool, slop: Option<u32>, col: usize) -> Result<Term, QueryError> {
    let words = split_pattern(source);
    if words.is_empty() {
        return Err(err(format!("'{source}' has no letters or digits to match"), col));
    }
    let at = |w: &text::PatternWord| col + w.offset + usize::from(quoted || case_sensitive);
    for w in &words {
        let first = w.text.chars().next().unwrap_or(' ');
        if first == '*' || first == '?' {
            return Err(err("a wildcard cannot start a word: write at least one letter before it", at(w)));
        }
        if w.text.chars().all(|c| c == '*' || c == '?') {
            return Err(err("a wildcard needs letters before it", at(w)));
        }
    }
    // A wildcard right after a CJK character: those words are single characters.
    let chars: Vec<char> = source.chars().collect();
    for (i, pair) in chars.windows(2).enumerate() {
        if text::is_cjk(pair[0]) && (pair[1] == '*' || pair[1] == '?') {
            return Err(err(
                "wildcards work on words written with spaces, not on Chinese or Japanese characters",
                col + i + 1 + usize::from(quoted || case_sensitive),
            ));
        }
    }
    // Each joined word either stands apart (spaced) or fuses with the word before it (joined).
    let mut alternatives: Vec<Vec<String>> = vec![Vec::new()];
    for w in &words {
        if w.joined && alternatives.len() * 2 <= MAX_ALTERNATIVES {
            let mut next = Vec::with_capacity(alternatives.len() * 2);
            for alt in &alternatives {
                let mut spaced = alt.clone();
                spaced.push(w.text.clone());
                next.push(spaced);
                let mut joined = alt.clone();
                match joined.last_mut() {
                    Some(last) => last.push_str(&w.text),
                    None => joined.push(w.text.clone()),
                }
                next.push(joined);
            }
            alternatives = next;
        } else {
            for alt in &mut alternatives {
                alt.push(w.text.clone());
            }
        }
    }
    let alternatives = alternatives
        .into_iter()
        .map(|alt| alt.iter().map(|w| word_pattern(w, case_sensitive)).collect::<Vec<_>>())
        .collect();
    Ok(Term { source: source.to_string(), case_sensitive, quoted, slop, alternatives, shared: 0, word_hash: None })
}

// ----- warnings -----

/// The lint warnings for a parsed query (see `shared/design/QUERY-LANGUAGE.md`, "Guardrails").
pub fn warnings(input: &str, q: &Query) -> Vec<String> {
    let mut out = Vec::new();
    if q.is_negation_only() {
        out.push("the query has only NOT terms: it flags every article that lacks them".to_string());
    }
    for w in lowercase_operator_words(input) {
        out.push(format!("'{w}' in lower case is searched as a word; write {} for the operator", w.to_uppercase()));
    }
    let mut seen = Vec::new();
    for t in q.terms() {
        for w in t.alternatives.iter().flatten() {
            if w.wildcard && w.literal_prefix().chars().count() < 3 && !seen.contains(&w.text) {
                seen.push(w.text.clone());
                out.push(format!(
                    "'{}' has fewer than 3 letters before its wildcard: it matches a great many words",
                    w.text
                ));
            }
        }
    }
    wide_nears(q, &mut out);
    constant_branches(q, &mut out);
    out
}

fn wide_nears(q: &Query, out: &mut Vec<String>) {
    match q {
        Query::Near { left, right, distance, .. } => {
            if *distance > 20 {
                out.push(format!(
                    "NEAR/{distance} spans more than 20 words: the two sides may belong to different sentences"
                ));
            }
            wide_nears(left, out);
            wide_nears(right, out);
        }
        Query::Term(t) => {
            if let Some(n) = t.slop.filter(|n| *n > 20) {
                out.push(format!("the phrase \"{}\"~{n} allows more than 20 words between its words", t.source));
            }
        }
        Query::And(items) | Query::Or(items) => items.iter().for_each(|i| wide_nears(i, out)),
        Query::Not(a, b) => {
            wide_nears(a, out);
            wide_nears(b, out);
        }
        Query::Negated(a) | Query::Field(_, a) => wide_nears(a, out),
        Query::Site(_) | Query::Lang(_) => {}
    }
}

/// Branches whose value does not depend on the article: `x AND NOT x`, `x NOT x`, `x OR NOT x`.
fn constant_branches(q: &Query, out: &mut Vec<String>) {
    let negated_of = |q: &Query| match q {
        Query::Negated(inner) => Some(inner.canonical()),
        _ => None,
    };
    match q {
        Query::And(items) | Query::Or(items) => {
            let canon: Vec<String> = items.iter().map(Query::canonical).collect();
            for item in items {
                if let Some(n) = negated_of(item) {
                    if canon.contains(&n) {
                        let (what, verdict) = if matches!(q, Query::And(_)) {
                            ("AND", "never matches")
                        } else {
                            ("OR", "always matches")
                        };
                        out.push(format!("'{}' {verdict}: {n} {what} NOT {n}", q.canonical()));
                    }
                }
            }
            items.iter().for_each(|i| constant_branches(i, out));
        }
        Query::Not(a, b) => {
            let ca = a.canonical();
            let excluded = match &**b {
                Query::Or(items) => items.iter().any(|i| i.canonical() == ca),
                other => other.canonical() == ca,
            };
            if excluded {
                out.push(format!("'{}' never matches: it excludes what it looks for", q.canonical()));
            }
            constant_branches(a, out);
            constant_branches(b, out);
        }
        Query::Near { left, right, .. } => {
            constant_branches(left, out);
            constant_branches(right, out);
        }
        Query::Negated(a) | Query::Field(_, a) => constant_branches(a, out),
        Query::Term(_) | Query::Site(_) | Query::Lang(_) => {}
    }
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
        assert_eq!(canon("a b AND NOT c"), "a AND (b NOT c)");
        assert_eq!(canon("BRICS -summit"), "BRICS AND (NOT summit)");
        assert_eq!(canon("“Belt and Road” OR «Пояс и путь»"), "\"Belt and Road\" OR \"Пояс и путь\"");
        assert_eq!(canon("„Belt and Road“"), "\"Belt and Road\"");
        assert_eq!(canon("{SCO} <<<the acronym>>> OR ШОС"), "{SCO} OR ШОС");
        assert_eq!(canon("cs(SCO) OR x"), "{SCO} OR x");
        assert_eq!(canon("visa-free"), "visa-free");
        assert_eq!(canon("NOT a"), "NOT a");
        // The canonical form reads back as the same query.
        assert_eq!(canon("(a)-b"), "a AND \"-b\"");
        assert_eq!(canon("«a \"b»"), "«a \"b»");
        assert_eq!(canon("cs(a}b)"), "cs(a}b)");
        assert_eq!(canon("\"AND\""), "\"AND\"");
        for q in ["(a)-b", "«a \"b»", "cs(a}b)", "\"NEAR\"-4", "--x", "x:y", "\"a~b\""] {
            let once = canon(q);
            assert_eq!(canon(&once), once, "{q}");
        }
        assert!(parse("site:\"a(b.com\"").is_err());
    }

    #[test]
    fn proximity_operators() {
        assert_eq!(canon("Putin NEAR Xi"), "Putin NEAR/4 Xi");
        assert_eq!(canon("Putin NEAR/3 Xi"), "Putin NEAR/3 Xi");
        assert_eq!(canon("Putin w/3 Xi"), "Putin NEAR/3 Xi");
        assert_eq!(canon("Putin ONEAR/3 Xi"), "Putin ONEAR/3 Xi");
        assert_eq!(canon("Putin NEAR/3f Xi"), "Putin ONEAR/3 Xi");
        assert_eq!(canon("Putin ONEAR Xi"), "Putin ONEAR/4 Xi");
        assert_eq!(canon("(Putin OR Путин) NEAR/5 (Xi OR Си)"), "(Putin OR Путин) NEAR/5 (Xi OR Си)");
        // NEAR binds tighter than NOT, AND and OR.
        assert_eq!(canon("a NEAR/2 b OR c"), "(a NEAR/2 b) OR c");
        assert_eq!(canon("a NEAR/2 b NOT c"), "(a NEAR/2 b) NOT c");
        assert_eq!(canon("\"apple juice\"~5"), "\"apple juice\"~5");
        assert_eq!(canon("NEARBY"), "NEARBY");
        assert!(parse("(a AND b) NEAR/3 c").is_err());
        assert!(parse("a NEAR/3 -c").is_err());
        assert_eq!(parse("a NEAR/x b").unwrap_err().column, 8);
        assert_eq!(parse("a NEAR/3g b").unwrap_err().column, 3);
    }

    #[test]
    fn fields() {
        assert_eq!(canon("title:BRICS"), "title:BRICS");
        assert_eq!(canon("title:(BRICS OR SCO) summit"), "title:(BRICS OR SCO) AND summit");
        assert_eq!(canon("headline:\"Belt and Road\""), "title:\"Belt and Road\"");
        assert_eq!(canon("site:www.TVBRICS.com BRICS"), "site:tvbrics.com AND BRICS");
        assert_eq!(canon("language:ru"), "lang:ru");
        assert_eq!(canon("-site:example.com x"), "(NOT site:example.com) AND x");
        assert!(parse("lang:russian").is_err());
        assert!(parse("title:").is_err());
        assert!(parse("title:(site:x.com)").is_err());
        // An unknown prefix is an ordinary word.
        assert_eq!(canon("foo:bar"), "foo:bar");
    }

    #[test]
    fn lower_case_operators_are_words() {
        assert_eq!(canon("belt and road"), "belt AND and AND road");
        assert_eq!(lowercase_operator_words("belt and road or near x"), vec!["and", "or", "near"]);
    }

    #[test]
    fn hyphen_inside_a_word_is_not_a_negation() {
        let q = parse("anti-muslim").unwrap();
        let Query::Term(t) = q else { panic!() };
        let forms: Vec<Vec<&str>> =
            t.alternatives.iter().map(|a| a.iter().map(|w| w.text.as_str()).collect()).collect();
        assert_eq!(forms, vec![vec!["anti", "muslim"], vec!["antimuslim"]]);
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
        assert_eq!(parse("x *abc").unwrap_err().column, 3);
        assert_eq!(parse("\"a b\"~").unwrap_err().column, 7);
        assert_eq!(parse("一带*").unwrap_err().column, 3);
        assert_eq!(parse("x <<< open").unwrap_err().column, 3);
    }

    #[test]
    fn warnings_guard_the_usual_mistakes() {
        let w = |q: &str| warnings(q, &parse(q).unwrap());
        assert!(w("BRICS").is_empty());
        assert!(w("\"Belt and Road\" OR BRICS").is_empty());
        assert_eq!(w("vi* OR BRICS").len(), 1);
        assert_eq!(w("a NEAR/25 b").len(), 1);
        assert_eq!(w("-a").len(), 1);
        assert_eq!(w("NOT a NOT b").len(), 1);
        assert!(w("a AND NOT a")[0].contains("never matches"));
        assert!(w("a OR NOT a")[0].contains("always matches"));
        assert!(w("a NOT (a OR b)")[0].contains("never matches"));
        assert_eq!(w("a or b").len(), 1);
    }
}
