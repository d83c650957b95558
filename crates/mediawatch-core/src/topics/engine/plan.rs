//! The compiled topics as verification reads them: [`Compiled`] while compiling, then a [`Plan`] each, whose
//! query is laid out as [`Node`]s in one array (by [`PlanBuilder`]); and the [`Stemmers`].

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use super::super::query::{FieldName, NearOrder, Query, Term, WordPattern};
use crate::model::Id;

pub(super) struct Compiled {
    pub(super) id: Id,
    pub(super) query: Query,
    pub(super) stem: bool,
}

/// A compiled topic as verification reads it: its query is `nodes[root..]`.
pub(super) struct Plan {
    pub(super) id: Id,
    pub(super) root: u32,
    pub(super) stem: bool,
}

/// A query node laid out for verification: every topic's nodes side by side in one array, in prefix order,
/// each node with children knowing where its subtree ends (`end`, an index into the array). The
/// parser's trees are scattered over the heap: verifying a candidate among 10,000 topics missed the cache
/// at almost every node; here a topic's nodes share a cache line or two, and its terms sit in one table.
#[derive(Debug, Clone, Copy)]
pub(super) enum Node {
    /// A term: its index in [`Matcher::terms`].
    ///
    /// [`Matcher::terms`]: super::Matcher::terms
    Term(u32),
    /// A term that is one plain word ([`Term::word_hash`]): its places are read from the article's posting
    /// lists without reading the term (its entry in [`Matcher::terms`] names the spans).
    ///
    /// [`Matcher::terms`]: super::Matcher::terms
    Word {
        hash: u64,
        term: u32,
    },
    /// A term that is one reading of plain words side by side (a phrase without slop, every word compared
    /// by its bare form): its words' hashes are `phrase_words[from..from + len]`, and it is found by
    /// comparing the article's word hashes after each place of the first word.
    Phrase {
        from: u32,
        len: u32,
        term: u32,
    },
    /// A term that is one wildcard word `literal*` compared by its bare form, whose literal part is prefix
    /// key number `number`: its places are those of the article's words noted under the key
    /// ([`Eval::prefix_places`]).
    ///
    /// [`Eval::prefix_places`]: super::verify::Eval::prefix_places
    Prefix {
        number: u32,
        term: u32,
    },
    /// The children follow, up to `end`.
    And {
        end: u32,
    },
    Or {
        end: u32,
    },
    /// The left side follows, then the right side, up to `end`.
    Not {
        end: u32,
    },
    /// The one child follows.
    Negated {
        end: u32,
    },
    Near {
        end: u32,
        distance: u32,
        order: NearOrder,
    },
    Field {
        end: u32,
        field: FieldName,
    },
    /// A domain or language: its index in [`Matcher::names`].
    ///
    /// [`Matcher::names`]: super::Matcher::names
    Site(u32),
    Lang(u32),
}

impl Node {
    /// The index just past the subtree of the node at `at`.
    pub(super) fn end(self, at: usize) -> usize {
        match self {
            Node::Term(_)
            | Node::Word { .. }
            | Node::Phrase { .. }
            | Node::Prefix { .. }
            | Node::Site(_)
            | Node::Lang(_) => at + 1,
            Node::And { end }
            | Node::Or { end }
            | Node::Not { end }
            | Node::Negated { end }
            | Node::Near { end, .. }
            | Node::Field { end, .. } => end as usize,
        }
    }
}

/// Builds the node arrays of [`Matcher`] (terms that are equal in every respect are stored once).
///
/// [`Matcher`]: super::Matcher
#[derive(Default)]
pub(super) struct PlanBuilder {
    pub(super) nodes: Vec<Node>,
    pub(super) terms: Vec<Term>,
    term_ids: FxHashMap<Term, u32>,
    pub(super) phrase_words: Vec<u64>,
    pub(super) names: Vec<String>,
}

impl PlanBuilder {
    /// Appends the query's nodes (`plain`: whether a word is compared by its bare form in this topic;
    /// `prefix`: a term's prefix key number, see [`Matcher::prefix_number`]); returns where they start.
    ///
    /// [`Matcher::prefix_number`]: super::Matcher::prefix_number
    pub(super) fn add(
        &mut self,
        q: Query,
        plain: &impl Fn(&WordPattern) -> bool,
        prefix: &impl Fn(&Term) -> Option<u32>,
    ) -> u32 {
        let at = self.nodes.len();
        match q {
            Query::Term(t) => {
                let hash = t.word_hash;
                let number = prefix(&t);
                let phrase: Option<Vec<u64>> = match t.alternatives.as_slice() {
                    [words] if words.len() > 1 && t.slop.unwrap_or(0) == 0 && words.iter().all(plain) => {
                        Some(words.iter().map(|w| w.key_hash).collect())
                    }
                    _ => None,
                };
                let next = self.terms.len() as u32;
                let id = *self.term_ids.entry(t).or_insert_with_key(|t| {
                    self.terms.push(t.clone());
                    next
                });
                self.nodes.push(match (hash, phrase, number) {
                    (Some(hash), _, _) => Node::Word { hash, term: id },
                    (None, Some(hashes), _) => {
                        let from = self.phrase_words.len() as u32;
                        self.phrase_words.extend(&hashes);
                        Node::Phrase { from, len: hashes.len() as u32, term: id }
                    }
                    (None, None, Some(number)) => Node::Prefix { number, term: id },
                    (None, None, None) => Node::Term(id),
                });
            }
            Query::And(items) => {
                self.nodes.push(Node::And { end: 0 });
                items.into_iter().for_each(|i| _ = self.add(i, plain, prefix));
                self.nodes[at] = Node::And { end: self.nodes.len() as u32 };
            }
            Query::Or(items) => {
                self.nodes.push(Node::Or { end: 0 });
                items.into_iter().for_each(|i| _ = self.add(i, plain, prefix));
                self.nodes[at] = Node::Or { end: self.nodes.len() as u32 };
            }
            Query::Not(a, b) => {
                self.nodes.push(Node::Not { end: 0 });
                self.add(*a, plain, prefix);
                self.add(*b, plain, prefix);
                self.nodes[at] = Node::Not { end: self.nodes.len() as u32 };
            }
            Query::Negated(a) => {
                self.nodes.push(Node::Negated { end: 0 });
                self.add(*a, plain, prefix);
                self.nodes[at] = Node::Negated { end: self.nodes.len() as u32 };
            }
            Query::Near { left, right, distance, order } => {
                self.nodes.push(Node::Near { end: 0, distance, order });
                self.add(*left, plain, prefix);
                self.add(*right, plain, prefix);
                self.nodes[at] = Node::Near { end: self.nodes.len() as u32, distance, order };
            }
            Query::Field(field, a) => {
                self.nodes.push(Node::Field { end: 0, field });
                self.add(*a, plain, prefix);
                self.nodes[at] = Node::Field { end: self.nodes.len() as u32, field };
            }
            Query::Site(name) => {
                self.nodes.push(Node::Site(self.names.len() as u32));
                self.names.push(name);
            }
            Query::Lang(name) => {
                self.nodes.push(Node::Lang(self.names.len() as u32));
                self.names.push(name);
            }
        }
        at as u32
    }
}

pub(super) struct Stemmers {
    pub(super) en: Stemmer,
    pub(super) ru: Stemmer,
}

impl Stemmers {
    pub(super) fn new() -> Self {
        Stemmers { en: Stemmer::create(Algorithm::English), ru: Stemmer::create(Algorithm::Russian) }
    }

    /// Whether a query word (of a topic with stemming `stem`) is compared with a text word's bare form: no
    /// wildcard, case, accent or stemming. Its places are then exactly the posting list of its hash.
    pub(super) fn compares_bare(&self, w: &WordPattern, stem: bool) -> bool {
        let stemmed = stem && !w.cjk && self.for_word(&w.text).is_some();
        !w.wildcard && !w.case_sensitive && !w.accented && !stemmed
    }

    /// The stemmer for a query word: Russian for Cyrillic, English for Latin, none otherwise.
    pub(super) fn for_word(&self, word: &str) -> Option<(&Stemmer, u8)> {
        if word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
            Some((&self.ru, b'r'))
        } else if word.chars().any(|c| c.is_ascii_alphabetic()) {
            Some((&self.en, b'e'))
        } else {
            None
        }
    }
}
