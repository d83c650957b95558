//! The reference evaluator: what a topic query means, written as plainly as possible — every term looked
//! for by walking every word of every field, every NEAR by trying every pair. It is slow on purpose; the
//! engine (`engine/`) must produce exactly its matches and spans (property tests, the Luwak conformance
//! suite).
//!
//! The meaning, construct by construct:
//! - A **word** matches a word of the text when the forms agree (see `text.rs`): a case-sensitive word
//!   compares the exact form, an accented word the folded form, any other word the bare form. `*` matches
//!   any run of characters (also none), `?` exactly one. With stemming on, a plain word (no wildcard, not
//!   case-sensitive, not CJK) matches a text word with the same Snowball stem (English for Latin words,
//!   Russian for Cyrillic ones).
//! - A **term** (a word, a phrase, a hyphenated word, a CJK run) is a sequence of words; it occurs where its
//!   words occur one after another in one field. A hyphen or apostrophe between two words of the query
//!   makes two readings: spaced (`visa free`) and joined (`visafree`). A phrase with slop `~n` occurs where
//!   its words occur in order with at most `n` other words between them in total; its occurrence starts at a
//!   place of its first word and ends at the nearest place that completes it.
//! - Unfielded terms are looked for in the title and the body; `title:`, `body:`, `lead:` (the body's first
//!   paragraph), `source:` (the source's name), `url:` and `author:` restrict them; the innermost field wins.
//! - `a NEAR/n b`: an occurrence of each side in the same field, not overlapping, with at most `n` words
//!   between them (`ONEAR`/`NEAR/nf`: the left one first). A side may be an OR of terms; a NEAR's own
//!   occurrence runs from the first to the last word of the pair, so NEARs chain.
//! - `AND`, `OR`, `NOT`, `-`: as in logic; `site:` compares the article's host (or a parent domain), `lang:`
//!   its language.
//! - The **spans** of a match are the occurrences (in title and body) of the terms that made it match: every
//!   occurrence of a matching term under AND/OR, the occurrences taking part in a qualifying pair under NEAR,
//!   none from negated parts.

use rust_stemmers::{Algorithm, Stemmer};

use super::query::{FieldName, NearOrder, Query, Term, WordPattern};
use super::text::{tokenize, Tokens};
use super::{finish_spans, Document, LeafSpan, TopicMatch};
use crate::error::Result;
use crate::model::Id;

/// Every topic parsed, evaluated the plain way.
pub struct Reference {
    topics: Vec<(Id, Query, bool)>,
    en: Stemmer,
    ru: Stemmer,
}

/// The fields of a document (title, body, source, url, author), tokenised once per document: each word's
/// three forms at hand, and the character offsets the spans and `lead:` need.
struct Fields<'t> {
    tokens: &'t [Tokens; 5],
    words: [Words<'t>; 5],
    lead_end: u32,
    host: Option<String>,
    lang: Option<String>,
}

/// A field's words in their three forms (see `text.rs`), one entry per word.
struct Words<'t> {
    exact: Vec<&'t str>,
    folded: Vec<&'t str>,
    bare: Vec<&'t str>,
}

impl<'t> Words<'t> {
    fn of(tokens: &'t Tokens) -> Self {
        let all = |form: fn(&'t Tokens, usize) -> &'t str| (0..tokens.len()).map(|i| form(tokens, i)).collect();
        Words { exact: all(Tokens::exact), folded: all(Tokens::folded), bare: all(Tokens::bare) }
    }

    fn len(&self) -> usize {
        self.bare.len()
    }
}

#[derive(Clone, Debug)]
struct Occ<'q> {
    field: usize,
    start: usize,
    end: usize,
    leaves: Vec<LeafSpan<'q>>,
}

impl Reference {
    /// Parses `(topic id, query)` pairs, stemming off.
    pub fn new<'a>(topics: impl IntoIterator<Item = (Id, &'a str)>) -> Result<Self> {
        Self::with_stemming(topics.into_iter().map(|(id, q)| (id, q, false)))
    }

    /// Parses `(topic id, query, stemming)` triples.
    pub fn with_stemming<'a>(topics: impl IntoIterator<Item = (Id, &'a str, bool)>) -> Result<Self> {
        let mut parsed = Vec::new();
        for (id, q, stem) in topics {
            parsed.push((id, super::query::parse(q)?, stem));
        }
        Ok(Reference {
            topics: parsed,
            en: Stemmer::create(Algorithm::English),
            ru: Stemmer::create(Algorithm::Russian),
        })
    }

    /// The topics that match the document, in the order they were given, each with its spans.
    pub fn match_document(&self, doc: &Document<'_>) -> Vec<TopicMatch> {
        let tokens = [
            tokenize(doc.title),
            tokenize(doc.text),
            tokenize(doc.source.unwrap_or("")),
            tokenize(doc.url.unwrap_or("")),
            tokenize(doc.author.unwrap_or("")),
        ];
        let fields = Fields {
            tokens: &tokens,
            words: tokens.each_ref().map(Words::of),
            lead_end: super::lead_end_char(doc.text),
            host: doc.url.and_then(super::host_of),
            lang: doc.lang.map(super::primary_language),
        };
        let mut out = Vec::new();
        for (id, q, stem) in &self.topics {
            let ev = Eval { fields: &fields, stem: *stem, reference: self };
            if let Some(occs) = ev.eval(q, Scope::Default) {
                let leaves: Vec<LeafSpan<'_>> = occs.into_iter().flat_map(|o| o.leaves).collect();
                out.push(TopicMatch {
                    topic_id: *id,
                    spans: finish_spans(&leaves, &fields.tokens[0], &fields.tokens[1]),
                });
            }
        }
        out
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Default,
    Field(FieldName),
}

struct Eval<'a> {
    fields: &'a Fields<'a>,
    stem: bool,
    reference: &'a Reference,
}

impl Eval<'_> {
    fn eval<'q>(&self, q: &'q Query, scope: Scope) -> Option<Vec<Occ<'q>>> {
        match q {
            Query::Term(t) => {
                let occs = self.term(t, scope);
                if occs.is_empty() {
                    None
                } else {
                    Some(occs)
                }
            }
            Query::And(items) => {
                let mut all = Vec::new();
                for item in items {
                    all.extend(self.eval(item, scope)?);
                }
                Some(all)
            }
            Query::Or(items) => {
                let mut any = None::<Vec<Occ<'q>>>;
                for item in items {
                    if let Some(occs) = self.eval(item, scope) {
                        any.get_or_insert_with(Vec::new).extend(occs);
                    }
                }
                any
            }
            Query::Not(a, b) => {
                let occs = self.eval(a, scope)?;
                if self.eval(b, scope).is_some() {
                    None
                } else {
                    Some(occs)
                }
            }
            Query::Negated(a) => match self.eval(a, scope) {
                Some(_) => None,
                None => Some(Vec::new()),
            },
            Query::Near { left, right, distance, order } => {
                let l = self.eval(left, scope).unwrap_or_default();
                let r = self.eval(right, scope).unwrap_or_default();
                let mut out = Vec::new();
                for x in &l {
                    for y in &r {
                        if x.field != y.field {
                            continue;
                        }
                        let gap = if x.end <= y.start {
                            y.start - x.end
                        } else if y.end <= x.start {
                            if *order == NearOrder::InOrder {
                                continue;
                            }
                            x.start - y.end
                        } else {
                            continue; // overlapping
                        };
                        if gap <= *distance as usize {
                            let mut leaves = x.leaves.clone();
                            leaves.extend(y.leaves.iter().cloned());
                            out.push(Occ {
                                field: x.field,
                                start: x.start.min(y.start),
                                end: x.end.max(y.end),
                                leaves,
                            });
                        }
                    }
                }
                if out.is_empty() {
                    None
                } else {
                    Some(out)
                }
            }
            Query::Field(f, inner) => self.eval(inner, Scope::Field(*f)),
            Query::Site(domain) => {
                let host = self.fields.host.as_deref()?;
                if host == domain || host.ends_with(&format!(".{domain}")) {
                    Some(Vec::new())
                } else {
                    None
                }
            }
            Query::Lang(lang) => (self.fields.lang.as_deref() == Some(lang.as_str())).then(Vec::new),
        }
    }

    /// Every occurrence of a term in the fields of the scope.
    fn term<'q>(&self, t: &'q Term, scope: Scope) -> Vec<Occ<'q>> {
        let fields: &[(usize, bool)] = match scope {
            Scope::Default => &[(0, false), (1, false)],
            Scope::Field(FieldName::Title) => &[(0, false)],
            Scope::Field(FieldName::Body) => &[(1, false)],
            Scope::Field(FieldName::Lead) => &[(1, true)],
            Scope::Field(FieldName::Source) => &[(2, false)],
            Scope::Field(FieldName::Url) => &[(3, false)],
            Scope::Field(FieldName::Author) => &[(4, false)],
        };
        let mut out: Vec<Occ<'q>> = Vec::new();
        for &(field, lead_only) in fields {
            let words_of_field = &self.fields.words[field];
            let mut found: Vec<(usize, usize)> = Vec::new();
            for words in &t.alternatives {
                let budget = t.slop.unwrap_or(0) as usize;
                for p1 in 0..words_of_field.len() {
                    if !self.word_matches(&words[0], words_of_field, p1) {
                        continue;
                    }
                    // Each following word at its nearest place after the previous one, within the budget.
                    let mut prev = p1;
                    let mut used = 0;
                    let mut ok = true;
                    for w in &words[1..] {
                        let mut q = prev + 1;
                        loop {
                            if q >= words_of_field.len() || used + (q - prev - 1) > budget {
                                ok = false;
                                break;
                            }
                            if self.word_matches(w, words_of_field, q) {
                                break;
                            }
                            q += 1;
                        }
                        if !ok {
                            break;
                        }
                        used += q - prev - 1;
                        prev = q;
                    }
                    if !ok {
                        continue;
                    }
                    if lead_only && self.fields.tokens[field].items[prev].end > self.fields.lead_end {
                        continue;
                    }
                    found.push((p1, prev + 1));
                }
            }
            // Two readings of a hyphenated word may find the same place: it is one occurrence.
            found.sort_unstable();
            found.dedup();
            for (start, end) in found {
                out.push(Occ {
                    field,
                    start,
                    end,
                    leaves: vec![LeafSpan { field, start: start as u32, end: end as u32, term: &t.source }],
                });
            }
        }
        out
    }

    fn word_matches(&self, p: &WordPattern, words: &Words<'_>, i: usize) -> bool {
        let candidate = if p.case_sensitive {
            words.exact[i]
        } else if p.accented {
            words.folded[i]
        } else {
            words.bare[i]
        };
        if p.wildcard {
            return glob(&p.text, candidate);
        }
        if self.stem && !p.case_sensitive && !p.cjk {
            let stemmer = if p.text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
                &self.reference.ru
            } else if p.text.chars().any(|c| c.is_ascii_alphabetic()) {
                &self.reference.en
            } else {
                return candidate == p.text;
            };
            return stemmer.stem(candidate) == stemmer.stem(&p.text);
        }
        candidate == p.text
    }
}

/// `*` matches any run of characters (also none), `?` exactly one; everything else itself. Tries every
/// split of the word at each `*` (exponential in the number of stars: plain, not fast).
fn glob(pattern: &str, word: &str) -> bool {
    let mut p = pattern.chars();
    let mut w = word.chars();
    match p.next() {
        None => word.is_empty(),
        Some('*') => word.char_indices().map(|(i, _)| i).chain([word.len()]).any(|i| glob(p.as_str(), &word[i..])),
        Some('?') => w.next().is_some() && glob(p.as_str(), w.as_str()),
        Some(c) => w.next() == Some(c) && glob(p.as_str(), w.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_is_plain() {
        let g = glob;
        assert!(g("виз*", "визовый"));
        assert!(g("виз*", "виз"));
        assert!(g("colo?r", "colour"));
        assert!(!g("colo?r", "color"));
        assert!(g("an*al", "annual"));
        assert!(!g("an*al", "annually"));
    }
}
