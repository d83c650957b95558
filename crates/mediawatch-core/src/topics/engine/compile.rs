//! Compiling the topics into a [`Matcher`]: parsing them, numbering the terms they share, the clauses of
//! index keys each query gives (the most selective one indexes the topic, up to [`MAX_CHECKED_CLAUSES`]
//! others are checked before verifying it), and laying the queries out as nodes. Also the accessors of what
//! was compiled.

use rustc_hash::FxHashMap;

use super::super::query::{Query, Term, WordPattern};
use super::super::text::key_hash;
use super::keys::{pair_hash, prefix_hash, quality, stem_hash, Key, KeyFilter, Postings};
use super::plan::{Compiled, Plan, PlanBuilder, Stemmers};
use super::{Matcher, TopicSpec};
use crate::error::Result;
use crate::model::Id;

/// Clauses checked per topic besides the one that indexes it.
const MAX_CHECKED_CLAUSES: usize = 8;

impl Matcher {
    /// Compiles `(topic id, query)` pairs, stemming off. A query that does not parse is an error.
    pub fn new<'a>(topics: impl IntoIterator<Item = (Id, &'a str)>) -> Result<Self> {
        Self::with_specs(topics.into_iter().map(|(id, query)| TopicSpec { id, query, stem: false }))
    }

    /// Compiles topics with their options.
    pub fn with_specs<'a>(topics: impl IntoIterator<Item = TopicSpec<'a>>) -> Result<Self> {
        let mut compiled = Vec::new();
        for t in topics {
            compiled.push(Compiled { id: t.id, query: super::super::query::parse(t.query)?, stem: t.stem });
        }
        Ok(Self::from_compiled(compiled))
    }

    /// Compiles the topics whose query parses and returns the others' errors: stored topics written for
    /// an older grammar must not stop every fetch.
    pub fn with_valid_specs<'a>(
        topics: impl IntoIterator<Item = TopicSpec<'a>>,
    ) -> (Self, Vec<(Id, crate::error::QueryError)>) {
        let mut compiled = Vec::new();
        let mut errors = Vec::new();
        for t in topics {
            match super::super::query::parse(t.query) {
                Ok(query) => compiled.push(Compiled { id: t.id, query, stem: t.stem }),
                Err(e) => errors.push((t.id, e)),
            }
        }
        (Self::from_compiled(compiled), errors)
    }

    /// Numbers the terms that several topics share (the same words, flags and slop; the term's spelling
    /// in the query may differ): an article's occurrences of such a term are found once per article.
    fn number_shared_terms(topics: &mut [Compiled]) {
        // What makes two terms find the same places: the slop, and each reading's words with their flags
        // (words hold no spaces or bars).
        let signature = |t: &Term| -> String {
            let mut sig = format!("{:?}", t.slop);
            for alt in &t.alternatives {
                sig.push('|');
                for (i, w) in alt.iter().enumerate() {
                    if i > 0 {
                        sig.push(' ');
                    }
                    sig.push_str(&w.text);
                    sig.push(if w.case_sensitive { '1' } else { '0' });
                    sig.push(if w.accented { '1' } else { '0' });
                }
            }
            sig
        };
        // Each term's signature once, in the order `terms_mut` visits them.
        let mut signatures = Vec::new();
        let mut uses: FxHashMap<String, u32> = FxHashMap::default();
        for t in topics.iter_mut() {
            super::super::query::terms_mut(&mut t.query, &mut |term| {
                let sig = signature(term);
                *uses.entry(sig.clone()).or_default() += 1;
                signatures.push(sig);
            });
        }
        let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
        let mut next_term = signatures.iter();
        for t in topics.iter_mut() {
            super::super::query::terms_mut(&mut t.query, &mut |term| {
                let Some(sig) = next_term.next() else { return };
                if uses.get(sig).copied().unwrap_or(0) > 1 {
                    let next = numbers.len() as u32 + 1;
                    term.shared = *numbers.entry(sig.as_str()).or_insert(next);
                }
            });
        }
    }

    /// Notes the hash of each term that is one plain word (see [`Term::word_hash`]).
    fn hash_plain_words(topics: &mut [Compiled], stemmers: &Stemmers) {
        for t in topics.iter_mut() {
            let stem = t.stem;
            super::super::query::terms_mut(&mut t.query, &mut |term| {
                if let [words] = term.alternatives.as_slice() {
                    if let [w] = words.as_slice() {
                        if stemmers.compares_bare(w, stem) {
                            term.word_hash = Some(w.key_hash);
                        }
                    }
                }
            });
        }
    }

    pub(super) fn from_compiled(mut topics: Vec<Compiled>) -> Self {
        Self::number_shared_terms(&mut topics);
        let mut m = Matcher {
            plans: Vec::with_capacity(topics.len()),
            nodes: Vec::new(),
            terms: Vec::new(),
            phrase_words: Vec::new(),
            names: Vec::new(),
            words: FxHashMap::default(),
            prefixes: FxHashMap::default(),
            word_filter: KeyFilter::new([].iter()),
            prefix_filter: KeyFilter::new([].iter()),
            prefix_at: Vec::new(),
            stems: FxHashMap::default(),
            pairs: FxHashMap::default(),
            pair_filter: KeyFilter::new([].iter()),
            postings: Postings::default(),
            always: Vec::new(),
            stemmers: Stemmers::new(),
        };
        // Key number → the topics indexed under it, while they are gathered.
        let mut lists: Vec<Vec<u32>> = Vec::new();
        for (i, t) in topics.iter().enumerate() {
            let mut clauses = m.clauses(&t.query, t.stem);
            clauses.sort_by_key(|c| std::cmp::Reverse(quality(c)));
            clauses.dedup();
            let Some(index) = clauses.first() else {
                m.always.push(i as u32);
                continue;
            };
            // The entry: the topic, then its other clauses.
            let mut entry = vec![i as u32, 0];
            for clause in clauses.iter().skip(1).take(MAX_CHECKED_CLAUSES) {
                entry.push(clause.len() as u32);
                for k in clause {
                    let id = m.key_id(k.clone(), &mut lists);
                    entry.push(id);
                }
            }
            entry[1] = entry.len() as u32 - 2;
            for k in index {
                let id = m.key_id(k.clone(), &mut lists);
                lists[id as usize].extend_from_slice(&entry);
            }
        }
        m.postings = Postings::from_lists(lists);
        m.word_filter = KeyFilter::new(m.words.keys());
        m.prefix_filter = KeyFilter::new(m.prefixes.keys());
        m.pair_filter = KeyFilter::new(m.pairs.keys());
        Self::hash_plain_words(&mut topics, &m.stemmers);
        let mut plan = PlanBuilder::default();
        for t in topics {
            let root =
                plan.add(t.query, &|w: &WordPattern| m.stemmers.compares_bare(w, t.stem), &|t| m.prefix_number(t));
            m.plans.push(Plan { id: t.id, root, stem: t.stem });
        }
        (m.nodes, m.terms, m.phrase_words, m.names) = (plan.nodes, plan.terms, plan.phrase_words, plan.names);
        m
    }

    /// The number of a key, given on first sight (with an empty list in `lists`).
    fn key_id(&mut self, k: Key, lists: &mut Vec<Vec<u32>>) -> u32 {
        let next = lists.len() as u32;
        let id = match k {
            Key::Word(w) => *self.words.entry(key_hash(&w)).or_insert(next),
            Key::Prefix(p) => {
                if self.prefix_at.len() <= p.len() {
                    self.prefix_at.resize(p.len() + 1, false);
                }
                self.prefix_at[p.len()] = true;
                let number = self.prefixes.len() as u32;
                self.prefixes.entry(prefix_hash(&p)).or_insert((next, number)).0
            }
            Key::Stem(lang, s) => *self.stems.entry(stem_hash(lang, &s)).or_insert(next),
            Key::Pair(h, _) => *self.pairs.entry(h).or_insert(next),
        };
        if id == next {
            lists.push(Vec::new());
        }
        id
    }

    /// Every distinct term of the topics as written: what the spans of [`Matcher::for_each_match`] name.
    pub fn term_sources(&self) -> impl Iterator<Item = &str> + '_ {
        self.terms.iter().map(|t| t.source.as_str())
    }

    /// How many topics are compiled.
    pub fn len(&self) -> usize {
        self.plans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }

    /// The prefix key number of a term that is one wildcard word `literal*` (a star at the end only, compared by
    /// its bare form) whose literal part is a prefix key: its places are those of the words noted under the key
    /// while selecting (see [`Eval::prefix_places`]).
    ///
    /// [`Eval::prefix_places`]: super::verify::Eval::prefix_places
    pub(super) fn prefix_number(&self, t: &Term) -> Option<u32> {
        let [words] = t.alternatives.as_slice() else { return None };
        let [w] = words.as_slice() else { return None };
        let literal_star = w.text.len() == w.key.len() + 1 && w.text.ends_with('*') && w.text.starts_with(&w.key);
        if !w.wildcard || w.case_sensitive || w.accented || !literal_star {
            return None;
        }
        self.prefixes.get(&prefix_hash(&w.key)).map(|&(_, number)| number)
    }

    /// What an article must contain for the query to match it, as clauses that must all hold, each a set
    /// of index keys of which the article contains at least one (no clause: every article may match).
    /// The most selective clause indexes the topic; the others are checked before the topic is verified.
    fn clauses(&self, q: &Query, stem: bool) -> Vec<Vec<Key>> {
        match q {
            Query::Term(t) => {
                let adjacent = t.slop.unwrap_or(0) == 0;
                if let [words] = t.alternatives.as_slice() {
                    // Every key of a single reading must occur.
                    let mut out: Vec<Vec<Key>> = Vec::new();
                    for k in self.reading_keys(words, adjacent, stem) {
                        let clause = vec![k];
                        if !out.contains(&clause) {
                            out.push(clause);
                        }
                    }
                    return out;
                }
                let mut clause = Vec::new();
                for words in &t.alternatives {
                    // Pairs before whole words before stems before prefixes; longer first.
                    let best = self.reading_keys(words, adjacent, stem).into_iter().max_by_key(|k| (k.kind(), k.len()));
                    match best {
                        Some(best) if !clause.contains(&best) => clause.push(best),
                        Some(_) => {}
                        // A reading without words (the parser never makes one) would need no key.
                        None => return Vec::new(),
                    }
                }
                vec![clause]
            }
            Query::And(items) => items.iter().flat_map(|i| self.clauses(i, stem)).collect(),
            Query::Near { left, right, .. } => {
                let mut out = self.clauses(left, stem);
                out.extend(self.clauses(right, stem));
                out
            }
            Query::Or(items) => {
                // One side must match: the union of each side's most selective clause.
                let mut clause: Vec<Key> = Vec::new();
                for i in items {
                    let Some(best) = self.clauses(i, stem).into_iter().max_by_key(|c| quality(c)) else {
                        return Vec::new();
                    };
                    for k in best {
                        if !clause.contains(&k) {
                            clause.push(k);
                        }
                    }
                }
                vec![clause]
            }
            Query::Not(a, _) | Query::Field(_, a) => self.clauses(a, stem),
            Query::Negated(_) | Query::Site(_) | Query::Lang(_) => Vec::new(),
        }
    }

    /// The keys an occurrence of one reading of a term puts in the article: each pair of neighbouring words
    /// that are looked up by their bare form (when the words stand side by side: no slop), and the key of
    /// every word in no such pair.
    fn reading_keys(&self, words: &[WordPattern], adjacent: bool, stem: bool) -> Vec<Key> {
        let keys: Vec<Key> = words.iter().map(|w| self.word_key(w, stem)).collect();
        let mut paired = vec![false; keys.len()];
        let mut out = Vec::new();
        if adjacent {
            for (j, pair) in keys.windows(2).enumerate() {
                if let [Key::Word(a), Key::Word(b)] = pair {
                    let len = a.chars().count() + b.chars().count() + 2;
                    out.push(Key::Pair(pair_hash(words[j].key_hash, words[j + 1].key_hash), len));
                    paired[j] = true;
                    paired[j + 1] = true;
                }
            }
        }
        out.extend(keys.into_iter().zip(paired).filter(|(_, p)| !p).map(|(k, _)| k));
        out
    }

    fn word_key(&self, w: &WordPattern, stem: bool) -> Key {
        if w.wildcard {
            return Key::Prefix(w.key.clone());
        }
        if stem && !w.case_sensitive && !w.cjk {
            if let Some((stemmer, lang)) = self.stemmers.for_word(&w.text) {
                return Key::Stem(lang, stemmer.stem(&w.text).into_owned());
            }
        }
        Key::Word(w.key.clone())
    }
}
