//! The topic engine: every topic compiled into one matcher (Luwak's presearcher idea).
//!
//! 1. **Compile.** Each query gives clauses that an article it matches must satisfy, each a set of index
//!    keys of which the article contains at least one: a word's bare form, the literal start of a wildcard
//!    word, a Snowball stem, or two neighbouring words of a phrase (a pair: a phrase is a candidate only
//!    where its words stand side by side, not wherever one of its words occurs). AND and NEAR gather their
//!    sides' clauses, OR joins one clause of each side, NOT keeps its left side's. The most selective clause
//!    (by its shortest key; a prefix, which stands for many words, weighs three letters less) indexes the
//!    topic; the others (up to `MAX_CHECKED_CLAUSES`) are written into its posting entries and checked
//!    before verifying it. A query with no clause (only negations, `site:`/`lang:` alone) is
//!    checked against every article. The queries are laid out as small nodes in one array (see [`Node`]),
//!    their terms stored once; a term that is one plain word keeps its word's hash in its node, to be read
//!    straight from the posting lists.
//! 2. **Prepare an article** once: its fields split into words, and a posting list per distinct bare word
//!    (found by hash through a small open-addressing table, [`RunTable`]).
//! 3. **Select candidates**: one pass over the article's distinct words, looking each up in the key index
//!    (its prefixes in the prefix index, its stems in the stem index — for a word with diacritics the stems
//!    of its folded form too, which is what a stemmed accented query word compares), and one over its
//!    neighbouring words in the pair index; a bit filter of the keys turns most words away before the hash
//!    maps are read. The keys found are marked in a bit set; then each one's posting list is read front to
//!    back, and a topic whose other clauses hold against the keys found becomes a candidate (a second bit
//!    set gives them in order). The words that start with each prefix key are noted for the wildcard words.
//!    The cost grows with the article and the number of candidate topics, not with the number of topics
//!    stored.
//! 4. **Verify** only the candidates, on the posting lists, with exactly the meaning of `reference.rs`. The
//!    places of a `word*` term are gathered once per article, from the words noted under its prefix key.

use std::cell::RefCell;
use std::hash::Hasher;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHasher};

use super::query::{FieldName, NearOrder, Query, Term, WordPattern};
use super::text::{key_hash, tokenize, Tokens};
use super::{finish_span_refs, Document, LeafSpan, SpanRef, TopicMatch};
use crate::error::Result;
use crate::model::Id;

/// A topic to compile.
#[derive(Debug, Clone, Copy)]
pub struct TopicSpec<'a> {
    pub id: Id,
    pub query: &'a str,
    /// Match plain words by their Snowball stem (English for Latin words, Russian for Cyrillic ones).
    pub stem: bool,
}

struct Compiled {
    id: Id,
    query: Query,
    stem: bool,
}

/// A compiled topic as verification reads it: its query is `nodes[root..]`.
struct Plan {
    id: Id,
    root: u32,
    stem: bool,
}

/// A query node laid out for verification: every topic's nodes side by side in one array, in prefix order,
/// each node with children knowing where its subtree ends (`end`, an index into the array). The
/// parser's trees are scattered over the heap: verifying a candidate among 10,000 topics missed the cache
/// at almost every node; here a topic's nodes share a cache line or two, and its terms sit in one table.
#[derive(Debug, Clone, Copy)]
enum Node {
    /// A term: its index in [`Matcher::terms`].
    Term(u32),
    /// A term that is one plain word ([`Term::word_hash`]): its places are read from the article's posting
    /// lists without reading the term (its entry in [`Matcher::terms`] names the spans).
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
    Site(u32),
    Lang(u32),
}

impl Node {
    /// The index just past the subtree of the node at `at`.
    fn end(self, at: usize) -> usize {
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
#[derive(Default)]
struct PlanBuilder {
    nodes: Vec<Node>,
    terms: Vec<Term>,
    term_ids: FxHashMap<Term, u32>,
    phrase_words: Vec<u64>,
    names: Vec<String>,
}

impl PlanBuilder {
    /// Appends the query's nodes (`plain`: whether a word is compared by its bare form in this topic;
    /// `prefix`: a term's prefix key number, see [`Matcher::prefix_number`]); returns where they start.
    fn add(&mut self, q: Query, plain: &impl Fn(&WordPattern) -> bool, prefix: &impl Fn(&Term) -> Option<u32>) -> u32 {
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

/// Every stored topic compiled once; matches one article against all of them.
pub struct Matcher {
    /// Topic number → its id, stemming and query.
    plans: Vec<Plan>,
    /// Every topic's query nodes (see [`Node`]).
    nodes: Vec<Node>,
    /// The queries' terms, each distinct one once.
    terms: Vec<Term>,
    /// The word hashes of the [`Node::Phrase`] terms.
    phrase_words: Vec<u64>,
    /// The domains of `site:` and languages of `lang:`.
    names: Vec<String>,
    /// Index keys by kind (hash → key number).
    words: FxHashMap<u64, u32>,
    /// Prefix keys by [`prefix_hash`] → (key number, prefix number: the prefixes are also numbered 0, 1, ...).
    prefixes: FxHashMap<u64, (u32, u32)>,
    /// What `words` and `prefixes` hold, as bits.
    word_filter: KeyFilter,
    prefix_filter: KeyFilter,
    /// `prefix_at[n]`: some prefix key is `n` bytes long (up to the longest).
    prefix_at: Vec<bool>,
    stems: FxHashMap<u64, u32>,
    /// Pairs of neighbouring words (a phrase's), by [`pair_hash`].
    pairs: FxHashMap<u64, u32>,
    pair_filter: KeyFilter,
    /// Key number → the topics indexed under it (a topic is indexed under the keys of one clause).
    postings: Postings,
    always: Vec<u32>,
    stemmers: Stemmers,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("topics", &self.plans.len())
            .field("keys", &self.postings.keys())
            .field("always", &self.always.len())
            .finish()
    }
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher::from_compiled(Vec::new())
    }
}

struct Stemmers {
    en: Stemmer,
    ru: Stemmer,
}

impl Stemmers {
    fn new() -> Self {
        Stemmers { en: Stemmer::create(Algorithm::English), ru: Stemmer::create(Algorithm::Russian) }
    }

    /// Whether a query word (of a topic with stemming `stem`) is compared with a text word's bare form: no
    /// wildcard, case, accent or stemming. Its places are then exactly the posting list of its hash.
    fn compares_bare(&self, w: &WordPattern, stem: bool) -> bool {
        let stemmed = stem && !w.cjk && self.for_word(&w.text).is_some();
        !w.wildcard && !w.case_sensitive && !w.accented && !stemmed
    }

    /// The stemmer for a query word: Russian for Cyrillic, English for Latin, none otherwise.
    fn for_word(&self, word: &str) -> Option<(&Stemmer, u8)> {
        if word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
            Some((&self.ru, b'r'))
        } else if word.chars().any(|c| c.is_ascii_alphabetic()) {
            Some((&self.en, b'e'))
        } else {
            None
        }
    }
}

/// The end of a posting chain.
const NONE: u32 = u32::MAX;

/// Clauses checked per topic besides the one that indexes it.
const MAX_CHECKED_CLAUSES: usize = 8;

/// A set of small numbers.
#[derive(Default)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }

    fn clear(&mut self) {
        self.0.fill(0);
    }

    fn set(&mut self, i: u32) {
        self.0[i as usize / 64] |= 1 << (i % 64);
    }

    fn has(&self, i: u32) -> bool {
        self.0[i as usize / 64] & (1 << (i % 64)) != 0
    }

    /// The members in increasing order.
    fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &bits)| {
            let mut bits = bits;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                Some(w as u32 * 64 + b)
            })
        })
    }
}

/// One bit per bucket of key hashes, set for the index keys of one kind. Most of an article's words (and
/// of their prefixes) are no key: one test of a table small enough to stay in cache turns them away before
/// the hash map is read.
struct KeyFilter {
    bits: Vec<u64>,
    shift: u32,
}

impl KeyFilter {
    fn new<'k>(keys: impl ExactSizeIterator<Item = &'k u64>) -> Self {
        // About 16 bits a key (a word that is no key passes about one time in 16), 4,096 to 4M bits.
        let log = (keys.len() * 16).next_power_of_two().trailing_zeros().clamp(12, 22);
        let mut f = KeyFilter { bits: vec![0; (1usize << log) / 64], shift: 64 - log };
        for &h in keys {
            let b = f.bucket(h);
            f.bits[b / 64] |= 1 << (b % 64);
        }
        f
    }

    fn bucket(&self, h: u64) -> usize {
        (h >> self.shift) as usize
    }

    /// False when no key has this hash.
    fn may_hold(&self, h: u64) -> bool {
        let b = self.bucket(h);
        self.bits[b / 64] & (1 << (b % 64)) != 0
    }
}

/// Key number → the topics indexed under it, each with the other clauses to check before verifying it:
/// every list in one array, read front to back (a key's topics and their checks in a few cache lines, not
/// a cache miss a topic). A list is a sequence of entries `[topic, n, clauses...]`: `n` numbers of clauses,
/// each written `[len, key...]`.
#[derive(Default)]
struct Postings {
    /// Where each key's list starts in `data` (and the end of the last one).
    starts: Vec<u32>,
    data: Vec<u32>,
}

impl Postings {
    fn from_lists(lists: Vec<Vec<u32>>) -> Self {
        let mut p = Postings { starts: Vec::with_capacity(lists.len() + 1), data: Vec::new() };
        p.starts.push(0);
        for l in lists {
            p.data.extend(l);
            p.starts.push(p.data.len() as u32);
        }
        p
    }

    /// The topics indexed under `key`, each with its other clauses (`[len, key...]` each).
    fn of(&self, key: u32) -> impl Iterator<Item = (u32, &[u32])> + '_ {
        let mut list = &self.data[self.starts[key as usize] as usize..self.starts[key as usize + 1] as usize];
        std::iter::from_fn(move || {
            let (&[topic, n], rest) = list.split_first_chunk::<2>()?;
            let (clauses, rest) = rest.split_at(n as usize);
            list = rest;
            Some((topic, clauses))
        })
    }

    /// How many keys there are.
    fn keys(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }
}

/// The keys an article contains, and the topics indexed under them (the candidates). Kept in a [`Scratch`]
/// from one article to the next: [`KeySet::reset`] clears the keys and prefixes the last article set, not
/// every key and prefix stored, and the candidate bits (one bit a topic) at once.
#[derive(Default)]
struct KeySet {
    keys: Bits,
    /// The keys in `keys`, in the order found.
    found: Vec<u32>,
    candidates: Bits,
    /// Prefix number → its latest entry in `prefix_runs` (`NONE`: no word of the article starts with it).
    prefix_heads: Vec<u32>,
    /// The prefix numbers whose head is set.
    prefixes_met: Vec<u32>,
    /// (distinct-word run that starts with the prefix, the previous entry of the same prefix or `NONE`).
    prefix_runs: Vec<(u32, u32)>,
}

impl KeySet {
    /// Empty, sized for a matcher with these numbers of keys, topics and prefix keys.
    fn reset(&mut self, keys: usize, topics: usize, prefixes: usize) {
        if self.keys.0.len() != keys.div_ceil(64)
            || self.candidates.0.len() != topics.div_ceil(64)
            || self.prefix_heads.len() != prefixes
        {
            *self = KeySet {
                keys: Bits::new(keys),
                candidates: Bits::new(topics),
                prefix_heads: vec![NONE; prefixes],
                ..KeySet::default()
            };
            return;
        }
        for &k in &self.found {
            self.keys.0[k as usize / 64] = 0;
        }
        self.found.clear();
        self.candidates.clear();
        for &p in &self.prefixes_met {
            self.prefix_heads[p as usize] = NONE;
        }
        self.prefixes_met.clear();
        self.prefix_runs.clear();
    }

    /// The article's word of `run` starts with the prefix key `key`, prefix number `prefix`.
    fn mark_prefix(&mut self, (key, prefix): (u32, u32), run: u32) {
        self.mark(key);
        let prev = std::mem::replace(&mut self.prefix_heads[prefix as usize], self.prefix_runs.len() as u32);
        if prev == NONE {
            self.prefixes_met.push(prefix);
        }
        self.prefix_runs.push((run, prev));
    }

    /// The runs whose word starts with prefix number `prefix`.
    fn runs_with_prefix(&self, prefix: u32) -> impl Iterator<Item = u32> + '_ {
        let mut at = self.prefix_heads[prefix as usize];
        std::iter::from_fn(move || {
            if at == NONE {
                return None;
            }
            let (run, prev) = self.prefix_runs[at as usize];
            at = prev;
            Some(run)
        })
    }

    fn mark(&mut self, key: u32) {
        if !self.keys.has(key) {
            self.keys.set(key);
            self.found.push(key);
        }
    }

    /// Every clause holds: each has a key the article contains.
    fn hold(&self, mut clauses: &[u32]) -> bool {
        while let Some((&len, rest)) = clauses.split_first() {
            let (keys, rest) = rest.split_at(len as usize);
            if !keys.iter().any(|&k| self.has(k)) {
                return false;
            }
            clauses = rest;
        }
        true
    }

    /// Once every key is marked: the topics indexed under them whose other clauses hold are the candidates.
    fn settle(&mut self, postings: &Postings) {
        for i in 0..self.found.len() {
            for (topic, clauses) in postings.of(self.found[i]) {
                if self.hold(clauses) {
                    self.candidates.set(topic);
                }
            }
        }
    }

    fn has(&self, key: u32) -> bool {
        self.keys.has(key)
    }
}

/// (field, position in the field) of a global position.
fn locate_in(offsets: &[u32; 6], global: u32) -> (usize, usize) {
    let f = (0..5).find(|&f| global < offsets[f + 1]).unwrap_or(4);
    (f, (global - offsets[f]) as usize)
}

fn stem_hash(lang: u8, stem: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write_u8(lang);
    h.write(stem.as_bytes());
    h.finish()
}

/// The hash of a prefix key, a byte at a time: one pass over a word gives the hash of each of its prefixes
/// ([`prefix_hash_step`] after each byte).
fn prefix_hash(prefix: &str) -> u64 {
    prefix.bytes().fold(0, prefix_hash_step)
}

/// [`prefix_hash`] of a prefix one byte longer (FxHash's step, a byte at a time).
fn prefix_hash_step(h: u64, b: u8) -> u64 {
    (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0xf135_7aea_2e62_a9c5)
}

/// The key of two words side by side (a phrase's), from their bare forms' [`key_hash`]es.
fn pair_hash(first: u64, second: u64) -> u64 {
    let mut h = FxHasher::default();
    h.write_u64(first);
    h.write_u64(second);
    h.finish()
}

/// An index key of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Word(String),
    Prefix(String),
    Stem(u8, String),
    /// Two words of a phrase side by side: [`pair_hash`] of their bare forms, and their length in characters.
    Pair(u64, usize),
}

impl Key {
    fn len(&self) -> usize {
        match self {
            Key::Word(s) | Key::Stem(_, s) => s.chars().count() + 1,
            Key::Prefix(s) => s.chars().count().saturating_sub(3),
            Key::Pair(_, len) => *len,
        }
    }

    /// Which kind of key finds an occurrence best: pairs of words, whole words, stems, prefixes.
    fn kind(&self) -> u8 {
        match self {
            Key::Pair(..) => 3,
            Key::Word(_) => 2,
            Key::Stem(..) => 1,
            Key::Prefix(_) => 0,
        }
    }
}

/// How selective a key set is: its weakest key's length, then fewer keys.
fn quality(keys: &[Key]) -> (usize, std::cmp::Reverse<usize>) {
    (keys.iter().map(Key::len).min().unwrap_or(0), std::cmp::Reverse(keys.len()))
}

impl Matcher {
    /// Compiles `(topic id, query)` pairs, stemming off. A query that does not parse is an error.
    pub fn new<'a>(topics: impl IntoIterator<Item = (Id, &'a str)>) -> Result<Self> {
        Self::with_specs(topics.into_iter().map(|(id, query)| TopicSpec { id, query, stem: false }))
    }

    /// Compiles topics with their options.
    pub fn with_specs<'a>(topics: impl IntoIterator<Item = TopicSpec<'a>>) -> Result<Self> {
        let mut compiled = Vec::new();
        for t in topics {
            compiled.push(Compiled { id: t.id, query: super::query::parse(t.query)?, stem: t.stem });
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
            match super::query::parse(t.query) {
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
            super::query::terms_mut(&mut t.query, &mut |term| {
                let sig = signature(term);
                *uses.entry(sig.clone()).or_default() += 1;
                signatures.push(sig);
            });
        }
        let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
        let mut next_term = signatures.iter();
        for t in topics.iter_mut() {
            super::query::terms_mut(&mut t.query, &mut |term| {
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
            super::query::terms_mut(&mut t.query, &mut |term| {
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

    fn from_compiled(mut topics: Vec<Compiled>) -> Self {
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

    /// How many topics are compiled.
    /// Every distinct term of the topics as written: what the spans of [`Matcher::for_each_match`] name.
    pub fn term_sources(&self) -> impl Iterator<Item = &str> + '_ {
        self.terms.iter().map(|t| t.source.as_str())
    }

    pub fn len(&self) -> usize {
        self.plans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }

    /// The prefix key number of a term that is one wildcard word `literal*` (a star at the end only, compared by
    /// its bare form) whose literal part is a prefix key: its places are those of the words noted under the key
    /// while selecting (see [`Eval::prefix_places`]).
    fn prefix_number(&self, t: &Term) -> Option<u32> {
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

    /// Marks the stem keys a text word (in the form its query words compare) stems to.
    fn mark_stems(&self, word: &str, present: &mut KeySet) {
        for (stemmer, lang) in [(&self.stemmers.en, b'e'), (&self.stemmers.ru, b'r')] {
            if let Some(&id) = self.stems.get(&stem_hash(lang, &stemmer.stem(word))) {
                present.mark(id);
            }
        }
    }

    /// The keys the article contains and the topics indexed under them: one pass over its distinct words.
    fn select(&self, article: &PreparedArticle, present: &mut KeySet) {
        present.reset(self.postings.keys(), self.plans.len(), self.prefixes.len());
        for &t in &self.always {
            present.candidates.set(t);
        }
        for (h, _) in &article.runs {
            if self.word_filter.may_hold(*h) {
                if let Some(&id) = self.words.get(h) {
                    present.mark(id);
                }
            }
        }
        if !self.pairs.is_empty() {
            // Every two neighbouring words of a field.
            for f in 0..5 {
                let (lo, hi) = (article.offsets[f] as usize, article.offsets[f + 1] as usize);
                for w in article.hashes[lo..hi].windows(2) {
                    let h = pair_hash(w[0], w[1]);
                    if self.pair_filter.may_hold(h) {
                        if let Some(&id) = self.pairs.get(&h) {
                            present.mark(id);
                        }
                    }
                }
            }
        }
        if !self.prefixes.is_empty() || !self.stems.is_empty() {
            for (run, &(_, first)) in article.runs.iter().enumerate() {
                let word = article.bare(first);
                // Each prefix's hash from the one a byte shorter; looked up at the keys' lengths (the parser
                // never makes an empty prefix key, a word that starts with a wildcard, but it would hold too).
                let mut h = 0;
                if self.prefix_at.first() == Some(&true) {
                    if let Some(&key) = self.prefixes.get(&h) {
                        present.mark_prefix(key, run as u32);
                    }
                }
                for (len, &b) in word.as_bytes().iter().enumerate().take(self.prefix_at.len().saturating_sub(1)) {
                    h = prefix_hash_step(h, b);
                    if self.prefix_at[len + 1] && word.is_char_boundary(len + 1) && self.prefix_filter.may_hold(h) {
                        if let Some(&key) = self.prefixes.get(&h) {
                            present.mark_prefix(key, run as u32);
                        }
                    }
                }
                if !self.stems.is_empty() {
                    self.mark_stems(word, present);
                }
            }
            // An accented query word is stemmed and compared in its folded form (`café`), not the bare one.
            if !self.stems.is_empty() {
                for &g in &article.accented {
                    let (f, i) = article.locate(g);
                    self.mark_stems(article.fields[f].folded(i), present);
                }
            }
        }
        present.settle(&self.postings);
    }

    /// How many topics this article makes candidates that are verified (their index key and checked clauses
    /// hold): the part of matching that grows with the topics that may match, not with the topics stored. For
    /// benchmarks and diagnostics; matching itself does this on the way.
    pub fn candidates(&self, article: &PreparedArticle) -> usize {
        let mut present = KeySet::default();
        self.select(article, &mut present);
        present.candidates.iter().count()
    }

    /// Calls `found(topic id, spans)` for each topic that flags this article, in the order they were
    /// compiled; the spans borrow the query's terms (no allocation per span).
    pub fn for_each_match<'m>(&'m self, article: &PreparedArticle, found: impl FnMut(Id, &[SpanRef<'m>])) {
        self.for_each_match_in(&mut Scratch::default(), article, found);
    }

    /// [`Matcher::for_each_match`] with the working memory of earlier articles: a caller that matches
    /// many articles keeps one [`Scratch`] (per thread), and an article no longer allocates and fills
    /// tables sized by the keys and prefixes stored (only the candidate bits, one a topic, are cleared).
    pub fn for_each_match_in<'m>(
        &'m self,
        scratch: &mut Scratch<'m>,
        article: &PreparedArticle,
        mut found: impl FnMut(Id, &[SpanRef<'m>]),
    ) {
        let Scratch { present, cache, prefix_cache, leaves, spans } = scratch;
        self.select(article, present);
        cache.get_mut().clear();
        prefix_cache.get_mut().clear();
        for i in present.candidates.iter() {
            let t = &self.plans[i as usize];
            let ev = Eval { a: article, stem: t.stem, matcher: self, present, cache, prefix_cache };
            leaves.clear();
            if ev.matches(t.root as usize, None, leaves) {
                finish_span_refs(leaves, &article.fields[0], &article.fields[1], spans);
                found(t.id, spans);
            }
        }
    }

    /// The topics that flag this article, in the order they were compiled, each with its spans.
    pub fn match_article(&self, article: &PreparedArticle) -> Vec<TopicMatch> {
        let mut out = Vec::new();
        self.for_each_match(article, |topic_id, spans| {
            out.push(TopicMatch { topic_id, spans: spans.iter().map(SpanRef::to_span).collect() });
        });
        out
    }
}

/// The working memory of matching one article, kept from one article to the next
/// ([`Matcher::for_each_match_in`]). Any matcher can use it; it resizes itself to a new one.
#[derive(Default)]
pub struct Scratch<'m> {
    present: KeySet,
    cache: RefCell<TermCache>,
    prefix_cache: RefCell<PrefixCache>,
    leaves: Vec<LeafSpan<'m>>,
    spans: Vec<SpanRef<'m>>,
}

/// An article prepared once for every topic: its fields split into words and a posting list per distinct
/// bare word.
pub struct PreparedArticle {
    /// Title, body, source, url, author.
    fields: [Tokens; 5],
    /// Where each field's words start in the global numbering (and the total at the end).
    offsets: [u32; 6],
    lead_end: u32,
    host: Option<String>,
    lang: Option<String>,
    /// The posting lists as chains: `next[g]` is the next global position with the same bare word as `g`
    /// (`NONE` at the end of a list).
    next: Vec<u32>,
    /// One entry per distinct bare word: its hash and the first position of its chain.
    runs: Vec<(u64, u32)>,
    /// The [`key_hash`] of each global position's bare word.
    hashes: Vec<u64>,
    /// hash → its run: the `runs` index of the bare word with that hash.
    index: RunTable,
    /// Two different bare words share a hash (never seen in practice): verification takes the slow path.
    collision: bool,
    /// One global position per distinct folded form that differs from its bare form (a word with
    /// diacritics): what stemmed accented query words are compared with.
    accented: Vec<u32>,
    /// `runs` indices sorted by word, built on first use.
    sorted: std::cell::OnceCell<Vec<u32>>,
}

impl PreparedArticle {
    pub fn new(doc: Document<'_>) -> Self {
        let fields = [
            tokenize(doc.title),
            tokenize(doc.text),
            tokenize(doc.source.unwrap_or("")),
            tokenize(doc.url.unwrap_or("")),
            tokenize(doc.author.unwrap_or("")),
        ];
        let mut offsets = [0u32; 6];
        for (i, f) in fields.iter().enumerate() {
            offsets[i + 1] = offsets[i] + f.len() as u32;
        }
        let total = offsets[5] as usize;
        let mut next = vec![NONE; total];
        let mut hashes = Vec::with_capacity(total);
        let mut index = RunTable::new(total);
        let mut runs: Vec<(u64, u32)> = Vec::new();
        // Per run: the last position of its chain so far (positions come in increasing order), and the field
        // and index of its first word (to tell two words that share a hash).
        let mut chains: Vec<Chain> = Vec::new();
        let mut collision = false;
        let mut accented: Vec<(u64, usize, usize)> = Vec::new();
        for (fi, f) in fields.iter().enumerate() {
            for i in 0..f.len() {
                let g = offsets[fi] + i as u32;
                let bare = f.bare(i);
                let h = key_hash(bare);
                hashes.push(h);
                let slot = index.slot(h, &runs);
                match index.slots[slot] {
                    NONE => {
                        index.slots[slot] = runs.len() as u32;
                        runs.push((h, g));
                        chains.push(Chain { last: g, field: fi as u32, word: i as u32 });
                    }
                    run => {
                        let c = &mut chains[run as usize];
                        next[c.last as usize] = g;
                        c.last = g;
                        collision |= fields[c.field as usize].bare(c.word as usize) != bare;
                    }
                }
                if f.has_diacritics(i) {
                    accented.push((key_hash(f.folded(i)), fi, i));
                }
            }
        }
        accented.sort_unstable();
        accented.dedup_by(|a, b| a.0 == b.0 && fields[a.1].folded(a.2) == fields[b.1].folded(b.2));
        PreparedArticle {
            fields,
            offsets,
            lead_end: super::lead_end_char(doc.text),
            host: doc.url.and_then(super::host_of),
            lang: doc.lang.map(super::primary_language),
            next,
            runs,
            hashes,
            index,
            collision,
            accented: accented.into_iter().map(|(_, f, i)| offsets[f] + i as u32).collect(),
            sorted: std::cell::OnceCell::new(),
        }
    }

    /// The positions of a chain, in increasing global order.
    fn chain(&self, first: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(Some(first), move |&g| Some(self.next[g as usize]).filter(|&n| n != NONE))
    }

    /// The bare word of a distinct-word run.
    fn run_word(&self, run: u32) -> &str {
        self.bare(self.runs[run as usize].1)
    }

    /// The distinct-word runs in the alphabetical order of their words (built on first use: wildcard words
    /// find their words by binary search).
    fn sorted_runs(&self) -> &[u32] {
        self.sorted.get_or_init(|| {
            let mut order: Vec<u32> = (0..self.runs.len() as u32).collect();
            order.sort_unstable_by(|&a, &b| self.run_word(a).cmp(self.run_word(b)));
            order
        })
    }

    /// The body's folded words in order (what `cluster::fingerprint_words` reads).
    pub fn text_words(&self) -> Vec<&str> {
        self.fields[1].folded_words()
    }

    /// (field, position in the field) of a global position.
    fn locate(&self, global: u32) -> (usize, usize) {
        locate_in(&self.offsets, global)
    }

    fn bare(&self, global: u32) -> &str {
        let (f, i) = self.locate(global);
        self.fields[f].bare(i)
    }

    /// The positions (in `field`) of the words whose bare form has this [`key_hash`], in order.
    fn positions_of_hash(&self, hash: u64, field: usize) -> impl Iterator<Item = usize> + '_ {
        self.positions_in(self.chain_of_hash(hash), field)
    }

    /// The first position of the posting chain of the bare word with this hash.
    fn chain_of_hash(&self, hash: u64) -> Option<u32> {
        match self.index.slots[self.index.slot(hash, &self.runs)] {
            NONE => None,
            run => Some(self.runs[run as usize].1),
        }
    }

    /// The positions in `field` of a posting chain (from [`PreparedArticle::chain_of_hash`]), in order.
    fn positions_in(&self, first: Option<u32>, field: usize) -> impl Iterator<Item = usize> + '_ {
        let (lo, hi) = (self.offsets[field], self.offsets[field + 1]);
        first
            .into_iter()
            .flat_map(move |f| self.chain(f))
            .skip_while(move |&g| g < lo)
            .take_while(move |&g| g < hi)
            .map(move |g| (g - lo) as usize)
    }
}

/// A posting chain of [`PreparedArticle`] while it is built: its last global position, and where its first
/// word is.
struct Chain {
    last: u32,
    field: u32,
    word: u32,
}

/// An article's bare-word hashes → their runs: open addressing with linear probing over at most two thirds
/// full slots, each a `runs` index (`NONE`: empty) whose hash is read from `runs`. One array of a few
/// kilobytes an article, filled and read in place (a word of an article is looked up about three times).
struct RunTable {
    slots: Vec<u32>,
    /// The slot of a hash is its top bits (FxHash's are its best mixed).
    shift: u32,
}

impl RunTable {
    /// A table for up to `words` distinct words.
    fn new(words: usize) -> Self {
        let log = (words + words / 2 + 16).next_power_of_two().trailing_zeros();
        RunTable { slots: vec![NONE; 1 << log], shift: 64 - log }
    }

    /// The slot that holds `hash`'s run, or the empty slot where it goes.
    fn slot(&self, hash: u64, runs: &[(u64, u32)]) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = (hash >> self.shift) as usize;
        loop {
            let run = self.slots[i];
            if run == NONE || runs[run as usize].0 == hash {
                return i;
            }
            i = (i + 1) & mask;
        }
    }
}

/// An occurrence of a positional node (a term, an OR of terms, a NEAR) in token positions of one field,
/// with the term occurrences it is made of: what NEAR combines.
#[derive(Debug)]
struct Occ<'q> {
    field: usize,
    start: usize,
    end: usize,
    leaves: Vec<LeafSpan<'q>>,
}

struct Eval<'a, 'm> {
    a: &'a PreparedArticle,
    stem: bool,
    matcher: &'m Matcher,
    /// The keys the article contains (and the words that start with each prefix key).
    present: &'a KeySet,
    /// The occurrences (field, start, end) of the shared terms met so far in this article, by (term
    /// number, scope, stemming).
    cache: &'a RefCell<TermCache>,
    /// The places of the words that start with each prefix key met so far in this article.
    prefix_cache: &'a RefCell<PrefixCache>,
}

/// For each prefix key met so far in an article (by its number), the global positions of the words that
/// start with it, in order: every prefix's list in one array.
#[derive(Default)]
struct PrefixCache {
    index: FxHashMap<u32, (u32, u32)>,
    places: Vec<u32>,
}

impl PrefixCache {
    fn clear(&mut self) {
        self.index.clear();
        self.places.clear();
    }
}

/// The places of the shared terms met so far in an article: every term's list in one array (no allocation
/// a term).
#[derive(Default)]
struct TermCache {
    /// (term number, scope, stemming) → its range of `places`.
    index: FxHashMap<(u32, u8, bool), (u32, u32)>,
    /// (field, start, end) in token positions.
    places: Vec<(u8, u32, u32)>,
}

impl TermCache {
    fn clear(&mut self) {
        self.index.clear();
        self.places.clear();
    }
}

fn scope_code(scope: Option<FieldName>) -> u8 {
    match scope {
        None => 0,
        Some(FieldName::Title) => 1,
        Some(FieldName::Body) => 2,
        Some(FieldName::Lead) => 3,
        Some(FieldName::Source) => 4,
        Some(FieldName::Url) => 5,
        Some(FieldName::Author) => 6,
    }
}

/// The fields a term is looked for in: (field, only its lead).
fn scope_fields(scope: Option<FieldName>) -> &'static [(usize, bool)] {
    match scope {
        None => &[(0, false), (1, false)],
        Some(FieldName::Title) => &[(0, false)],
        Some(FieldName::Body) => &[(1, false)],
        Some(FieldName::Lead) => &[(1, true)],
        Some(FieldName::Source) => &[(2, false)],
        Some(FieldName::Url) => &[(3, false)],
        Some(FieldName::Author) => &[(4, false)],
    }
}

impl<'m> Eval<'_, 'm> {
    /// The children of the node at `at` whose subtree ends at `end`, by where they start.
    fn children(&self, at: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
        let nodes = &self.matcher.nodes;
        let mut next = at + 1;
        std::iter::from_fn(move || {
            let c = next;
            (c < end).then(|| {
                next = nodes[c].end(c);
                c
            })
        })
    }

    /// Whether the query node at `at` matches; on a match the spans behind it are appended to `out`, and
    /// `out` is left as it was otherwise (the same meaning as `reference.rs`, without building occurrence
    /// lists except under NEAR).
    fn matches(&self, at: usize, scope: Option<FieldName>, out: &mut Vec<LeafSpan<'m>>) -> bool {
        match self.matcher.nodes[at] {
            Node::Word { hash, term } if !self.a.collision => {
                let before = out.len();
                let mut term_source = None;
                self.word(hash, scope, &mut |field, start, end| {
                    let term = *term_source.get_or_insert_with(|| self.matcher.terms[term as usize].source.as_str());
                    out.push(LeafSpan { field, start: start as u32, end: end as u32, term });
                });
                out.len() > before
            }
            Node::Phrase { from, len, term } if !self.a.collision => {
                let before = out.len();
                let mut term_source = None;
                self.phrase(from, len, scope, &mut |field, start, end| {
                    let term = *term_source.get_or_insert_with(|| self.matcher.terms[term as usize].source.as_str());
                    out.push(LeafSpan { field, start: start as u32, end: end as u32, term });
                });
                out.len() > before
            }
            Node::Prefix { number, term } if !self.a.collision => {
                let t = &self.matcher.terms[term as usize];
                let before = out.len();
                self.prefix(number, t, scope, &mut |field, start, end| {
                    out.push(LeafSpan { field, start: start as u32, end: end as u32, term: &t.source });
                });
                out.len() > before
            }
            Node::Term(id)
            | Node::Word { term: id, .. }
            | Node::Phrase { term: id, .. }
            | Node::Prefix { term: id, .. } => {
                let t = &self.matcher.terms[id as usize];
                let before = out.len();
                self.term(t, scope, &mut |field, start, end| {
                    out.push(LeafSpan { field, start: start as u32, end: end as u32, term: &t.source });
                });
                out.len() > before
            }
            Node::And { end } => {
                let mark = out.len();
                for item in self.children(at, end as usize) {
                    if !self.matches(item, scope, out) {
                        out.truncate(mark);
                        return false;
                    }
                }
                true
            }
            Node::Or { end } => {
                let mut any = false;
                for item in self.children(at, end as usize) {
                    any |= self.matches(item, scope, out);
                }
                any
            }
            Node::Not { .. } => {
                let (a, b) = (at + 1, self.matcher.nodes[at + 1].end(at + 1));
                let mark = out.len();
                if !self.matches(a, scope, out) {
                    return false;
                }
                if self.matches(b, scope, &mut Vec::new()) {
                    out.truncate(mark);
                    return false;
                }
                true
            }
            Node::Negated { .. } => !self.matches(at + 1, scope, &mut Vec::new()),
            Node::Near { .. } => {
                let occs = self.occs(at, scope);
                let matched = !occs.is_empty();
                out.extend(occs.into_iter().flat_map(|o| o.leaves));
                matched
            }
            Node::Field { field, .. } => self.matches(at + 1, Some(field), out),
            Node::Site(id) => {
                let domain = self.matcher.names[id as usize].as_str();
                self.a.host.as_deref().is_some_and(|host| {
                    host == domain
                        || (host.len() > domain.len()
                            && host.ends_with(domain)
                            && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
                })
            }
            Node::Lang(id) => self.a.lang.as_deref() == Some(self.matcher.names[id as usize].as_str()),
        }
    }

    /// The occurrences of a positional node (what NEAR accepts on each side; the parser guarantees it).
    fn occs(&self, at: usize, scope: Option<FieldName>) -> Vec<Occ<'m>> {
        match self.matcher.nodes[at] {
            Node::Term(id)
            | Node::Word { term: id, .. }
            | Node::Phrase { term: id, .. }
            | Node::Prefix { term: id, .. } => {
                let t = &self.matcher.terms[id as usize];
                let mut out = Vec::new();
                self.term(t, scope, &mut |field, start, end| {
                    let leaf = LeafSpan { field, start: start as u32, end: end as u32, term: &t.source };
                    out.push(Occ { field, start, end, leaves: vec![leaf] });
                });
                out
            }
            Node::Or { end } => self.children(at, end as usize).flat_map(|i| self.occs(i, scope)).collect(),
            Node::Field { field, .. } => self.occs(at + 1, Some(field)),
            Node::Near { distance, order, .. } => {
                let l = self.occs(at + 1, scope);
                if l.is_empty() {
                    return l;
                }
                let r = self.occs(self.matcher.nodes[at + 1].end(at + 1), scope);
                let n = distance as usize;
                let mut out = Vec::new();
                for x in &l {
                    for y in &r {
                        if x.field != y.field {
                            continue;
                        }
                        let gap = if x.end <= y.start {
                            y.start - x.end
                        } else if y.end <= x.start && order == NearOrder::Any {
                            x.start - y.end
                        } else {
                            continue;
                        };
                        if gap <= n {
                            let mut leaves = Vec::with_capacity(x.leaves.len() + y.leaves.len());
                            leaves.extend(x.leaves.iter().cloned());
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
                out
            }
            _ => Vec::new(),
        }
    }

    /// Every occurrence of a term in the fields of the scope, field by field, in position order, each once:
    /// `found(field, start, end)` in token positions.
    fn term(&self, t: &Term, scope: Option<FieldName>, found: &mut dyn FnMut(usize, usize, usize)) {
        if let (Some(h), false) = (t.word_hash, self.a.collision) {
            return self.word(h, scope, &mut |f, start, end| found(f, start, end));
        }
        if t.shared == 0 {
            return self.find_term(t, scope, found);
        }
        let key = (t.shared, scope_code(scope), self.stem);
        {
            let cache = self.cache.borrow();
            if let Some(&(from, to)) = cache.index.get(&key) {
                for &(field, start, end) in &cache.places[from as usize..to as usize] {
                    found(field as usize, start as usize, end as usize);
                }
                return;
            }
        }
        // `find_term` reads no cache, and `found` only collects.
        let mut cache = self.cache.borrow_mut();
        let from = cache.places.len() as u32;
        self.find_term(t, scope, &mut |field, start, end| {
            cache.places.push((field as u8, start as u32, end as u32));
            found(field, start, end);
        });
        let to = cache.places.len() as u32;
        cache.index.insert(key, (from, to));
    }

    /// [`Eval::term`] for a term that is one plain word with this hash, when no two words of the article share
    /// a hash: its posting list is its places (no need to read the term or the cache).
    fn word(&self, hash: u64, scope: Option<FieldName>, found: &mut impl FnMut(usize, usize, usize)) {
        let first = self.a.chain_of_hash(hash);
        if scope.is_none() {
            // Title and body in one walk of the chain (positions in global order: the title's first).
            let Some(first) = first else { return };
            let [t0, b0, b1] = [self.a.offsets[0], self.a.offsets[1], self.a.offsets[2]];
            for g in self.a.chain(first) {
                if g >= b1 {
                    break;
                }
                if g < b0 {
                    found(0, (g - t0) as usize, (g - t0) as usize + 1);
                } else {
                    found(1, (g - b0) as usize, (g - b0) as usize + 1);
                }
            }
            return;
        }
        for &(field, lead_only) in scope_fields(scope) {
            let tokens = &self.a.fields[field];
            for p in self.a.positions_in(first, field) {
                if !lead_only || tokens.items[p].end <= self.a.lead_end {
                    found(field, p, p + 1);
                }
            }
        }
    }

    /// [`Eval::term`] for a [`Node::Phrase`], when no two words of the article share a hash: each place of the
    /// first word where the next words' hashes follow.
    fn phrase(&self, from: u32, len: u32, scope: Option<FieldName>, found: &mut dyn FnMut(usize, usize, usize)) {
        let hashes = &self.matcher.phrase_words[from as usize..(from + len) as usize];
        let first = self.a.chain_of_hash(hashes[0]);
        for &(field, lead_only) in scope_fields(scope) {
            let tokens = &self.a.fields[field];
            let lo = self.a.offsets[field] as usize;
            let field_hashes = &self.a.hashes[lo..self.a.offsets[field + 1] as usize];
            for p in self.a.positions_in(first, field) {
                let end = p + hashes.len();
                if end <= tokens.len()
                    && field_hashes[p + 1..end] == hashes[1..]
                    && (!lead_only || tokens.items[end - 1].end <= self.a.lead_end)
                {
                    found(field, p, end);
                }
            }
        }
    }

    /// [`Eval::term`] without the cache.
    fn find_term(&self, t: &Term, scope: Option<FieldName>, found: &mut dyn FnMut(usize, usize, usize)) {
        if let (Some(number), false) = (self.matcher.prefix_number(t), self.a.collision) {
            return self.prefix(number, t, scope, found);
        }
        let budget = t.slop.unwrap_or(0) as usize;
        for &(field, lead_only) in scope_fields(scope) {
            let tokens = &self.a.fields[field];
            if tokens.is_empty() {
                continue;
            }
            let in_lead = |end: usize| !lead_only || tokens.items[end - 1].end <= self.a.lead_end;
            // One reading through an anchor word: the posting list gives the places in order, once each.
            if t.alternatives.len() == 1 && budget == 0 {
                let words = &t.alternatives[0];
                if let Some(k) = words.iter().position(|w| self.is_plain(w)) {
                    let trusted = self.trusts_postings(&words[k]);
                    for pos in self.a.positions_of_hash(words[k].key_hash, field) {
                        if pos < k || pos - k + words.len() > tokens.len() {
                            continue;
                        }
                        let p1 = pos - k;
                        let ok = words
                            .iter()
                            .enumerate()
                            .all(|(j, w)| (j == k && trusted) || self.word_matches(w, tokens, p1 + j));
                        if ok && in_lead(p1 + words.len()) {
                            found(field, p1, p1 + words.len());
                        }
                    }
                    continue;
                }
            }
            let mut places: Vec<(usize, usize)> = Vec::new();
            for words in &t.alternatives {
                let anchor = if budget == 0 { words.iter().position(|w| self.is_plain(w)) } else { None };
                match anchor {
                    Some(k) => {
                        for pos in self.a.positions_of_hash(words[k].key_hash, field) {
                            if pos < k || pos - k + words.len() > tokens.len() {
                                continue;
                            }
                            let p1 = pos - k;
                            if words.iter().enumerate().all(|(j, w)| self.word_matches(w, tokens, p1 + j)) {
                                places.push((p1, p1 + words.len()));
                            }
                        }
                    }
                    None => {
                        for p1 in self.first_word_positions(&words[0], field) {
                            if let Some(end) = self.complete(words, tokens, p1, budget) {
                                places.push((p1, end));
                            }
                        }
                    }
                }
            }
            places.sort_unstable();
            places.dedup();
            for (start, end) in places {
                if in_lead(end) {
                    found(field, start, end);
                }
            }
        }
    }

    /// [`Eval::term`] for a term with a prefix key number ([`Matcher::prefix_number`]), when no two words of the
    /// article share a hash: the places of the words that start with its literal part.
    fn prefix(&self, number: u32, t: &Term, scope: Option<FieldName>, found: &mut dyn FnMut(usize, usize, usize)) {
        let places = self.prefix_places(number, &t.alternatives[0][0].key);
        for &(field, lead_only) in scope_fields(scope) {
            let (lo, hi) = (self.a.offsets[field], self.a.offsets[field + 1]);
            let tokens = &self.a.fields[field];
            let from = places.partition_point(|&g| g < lo);
            for &g in places[from..].iter().take_while(|&&g| g < hi) {
                let p = (g - lo) as usize;
                if !lead_only || tokens.items[p].end <= self.a.lead_end {
                    found(field, p, p + 1);
                }
            }
        }
    }

    /// The global positions, in order, of the article's words that start with `key`, prefix key number
    /// `number`: found once per article from the words noted while selecting.
    fn prefix_places(&self, number: u32, key: &str) -> std::cell::Ref<'_, [u32]> {
        {
            let mut cache = self.prefix_cache.borrow_mut();
            if !cache.index.contains_key(&number) {
                let from = cache.places.len();
                for r in self.present.runs_with_prefix(number) {
                    let first = self.a.runs[r as usize].1;
                    // The words were noted by the hash of their start: this makes sure of the start itself.
                    if self.a.bare(first).starts_with(key) {
                        cache.places.extend(self.a.chain(first));
                    }
                }
                cache.places[from..].sort_unstable();
                let to = cache.places.len();
                cache.index.insert(number, (from as u32, to as u32));
            }
        }
        std::cell::Ref::map(self.prefix_cache.borrow(), |c| {
            let (from, to) = c.index[&number];
            &c.places[from as usize..to as usize]
        })
    }

    /// Every place in a word's posting list matches it: the list is of its bare form, the word compares the
    /// bare form, and no two bare words of the article share a hash.
    fn trusts_postings(&self, w: &WordPattern) -> bool {
        !self.a.collision && !w.case_sensitive && !w.accented && !w.wildcard && !self.stem
    }

    /// A word found through the posting lists directly: no wildcard, and no stemming for it.
    fn is_plain(&self, w: &WordPattern) -> bool {
        let stemmed = self.stem && !w.case_sensitive && !w.cjk && self.matcher.stemmers.for_word(&w.text).is_some();
        !w.wildcard && !stemmed
    }

    /// The positions in `field` where the word `w` matches, in order.
    fn first_word_positions(&self, w: &WordPattern, field: usize) -> Vec<usize> {
        let tokens = &self.a.fields[field];
        if self.is_plain(w) {
            return self.a.positions_of_hash(w.key_hash, field).filter(|&p| self.word_matches(w, tokens, p)).collect();
        }
        let (lo, hi) = (self.a.offsets[field], self.a.offsets[field + 1]);
        let prefix = w.key.as_str();
        let mut out = Vec::new();
        let mut visit = |first: u32| {
            let in_field = self.a.chain(first).skip_while(|&g| g < lo).take_while(|&g| g < hi);
            if self.a.collision || w.case_sensitive || w.accented || (self.stem && !w.wildcard) {
                // The compared form may differ inside a group of one bare word: test each place.
                out.extend(in_field.map(|g| (g - lo) as usize).filter(|&p| self.word_matches(w, tokens, p)));
            } else if glob(&w.text, self.a.bare(first)) {
                // Plain wildcard: the bare form decides for the whole group.
                out.extend(in_field.map(|g| (g - lo) as usize));
            }
        };
        // With two words sharing a hash, a run stands for its chain's first word only: every run is read.
        let noted = w.wildcard && !self.a.collision;
        let prefix_key = if noted { self.matcher.prefixes.get(&prefix_hash(&w.key)) } else { None };
        if let Some(&(_, number)) = prefix_key {
            // The distinct words that start with the literal part, noted while selecting the candidates.
            for r in self.present.runs_with_prefix(number) {
                visit(self.a.runs[r as usize].1);
            }
        } else if w.wildcard && !self.a.collision {
            // Only the distinct words that start with the literal part, found by binary search.
            let sorted = self.a.sorted_runs();
            let first = sorted.partition_point(|&r| self.a.run_word(r) < prefix);
            for &r in sorted[first..].iter().take_while(|&&r| self.a.run_word(r).starts_with(prefix)) {
                visit(self.a.runs[r as usize].1);
            }
        } else {
            for &(_, first) in &self.a.runs {
                visit(first);
            }
        }
        out.sort_unstable();
        out
    }

    /// From a place of the first word, each following word at its nearest place within the slop budget:
    /// the end of the occurrence.
    fn complete(&self, words: &[WordPattern], tokens: &Tokens, p1: usize, budget: usize) -> Option<usize> {
        let mut prev = p1;
        let mut used = 0;
        for w in &words[1..] {
            let mut q = prev + 1;
            loop {
                if q >= tokens.len() || used + (q - prev - 1) > budget {
                    return None;
                }
                if self.word_matches(w, tokens, q) {
                    break;
                }
                q += 1;
            }
            used += q - prev - 1;
            prev = q;
        }
        Some(prev + 1)
    }

    fn word_matches(&self, p: &WordPattern, tokens: &Tokens, i: usize) -> bool {
        let candidate = if p.case_sensitive {
            tokens.exact(i)
        } else if p.accented {
            tokens.folded(i)
        } else {
            tokens.bare(i)
        };
        if p.wildcard {
            return glob(&p.text, candidate);
        }
        if self.stem && !p.case_sensitive && !p.cjk {
            return match self.matcher.stemmers.for_word(&p.text) {
                Some((stemmer, _)) => stemmer.stem(candidate) == stemmer.stem(&p.text),
                None => candidate == p.text,
            };
        }
        candidate == p.text
    }
}

/// `*` matches any run of characters (also none), `?` exactly one: the classic two-pointer matcher with
/// backtracking to the last star.
fn glob(pattern: &str, word: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let w: Vec<char> = word.chars().collect();
    let (mut pi, mut wi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while wi < w.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && p[pi] == w[wi])) {
            pi += 1;
            wi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, wi));
            pi += 1;
        } else if let Some((sp, sw)) = star {
            pi = sp + 1;
            wi = sw + 1;
            star = Some((sp, sw + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engine's matches, spans included, equal the reference evaluator's for each (title, text).
    fn assert_same_as_reference(m: &Matcher, topics: &[(Id, &str)], docs: &[(&str, &str)]) {
        let reference = super::super::reference::Reference::new(topics.iter().copied()).unwrap();
        for &(title, text) in docs {
            let doc = Document::new(title, text);
            let got = m.match_article(&PreparedArticle::new(doc));
            assert_eq!(got, reference.match_document(&doc), "{title:?} {text:?}");
        }
    }

    #[test]
    fn glob_matches_like_the_reference() {
        for (p, w, expect) in [
            ("виз*", "визовый", true),
            ("виз*", "виз", true),
            ("colo?r", "colour", true),
            ("colo?r", "color", false),
            ("an*al", "annual", true),
            ("an*al", "annually", false),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
        ] {
            assert_eq!(glob(p, w), expect, "{p} {w}");
        }
    }

    #[test]
    fn stemmed_accented_words_are_candidates_through_their_folded_form() {
        // `café` stemmed compares folded forms: the article's `cafés` must make the topic a candidate even
        // though its bare form is `cafes`.
        let m = Matcher::with_specs([TopicSpec { id: 1, query: "café", stem: true }]).unwrap();
        let a = PreparedArticle::new(Document::new("", "deux cafés"));
        assert_eq!(m.match_article(&a).len(), 1);
        assert!(m.match_article(&PreparedArticle::new(Document::new("", "two cafes"))).is_empty());
    }

    #[test]
    fn a_stored_query_that_no_longer_parses_is_left_out_and_named() {
        let specs = [
            TopicSpec { id: 7, query: "BRICS", stem: false },
            TopicSpec { id: 8, query: "(BRICS AND", stem: false },
            TopicSpec { id: 9, query: "summit", stem: false },
        ];
        let (m, errors) = Matcher::with_valid_specs(specs);
        assert_eq!(m.len(), 2);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 8);
        let a = PreparedArticle::new(Document::new("BRICS summit", ""));
        let ids: Vec<Id> = m.match_article(&a).into_iter().map(|t| t.topic_id).collect();
        assert_eq!(ids, vec![7, 9]);
    }

    #[test]
    fn the_key_filter_keeps_every_key_and_turns_most_other_words_away() {
        let keys: Vec<u64> = (0..2_000).map(|i| key_hash(&format!("key{i}"))).collect();
        let f = KeyFilter::new(keys.iter());
        assert!(keys.iter().all(|&h| f.may_hold(h)));
        let passed = (0..10_000).filter(|i| f.may_hold(key_hash(&format!("word{i}")))).count();
        assert!(passed < 1_000, "{passed} of 10,000 other words passed");
        assert!(!KeyFilter::new([].iter()).may_hold(key_hash("any")));
    }

    #[test]
    fn candidates_come_from_the_index_not_from_every_topic() {
        let m = Matcher::new([(1, "BRICS AND summit"), (2, "visa*"), (3, "NOT x"), (4, "\"Belt and Road\"")]).unwrap();
        assert_eq!(m.always, vec![2]);
        assert_eq!(m.prefix_at, [false, false, false, false, true], "one prefix key, 4 bytes long");
        // AND is indexed under one side, the longer word; the other is checked before verifying.
        let summit = m.words[&key_hash("summit")];
        let brics = m.words[&key_hash("brics")];
        // Topic 0 under "summit", with its other clause: one key, "brics".
        assert_eq!(m.postings.of(summit).collect::<Vec<_>>(), vec![(0, &[1, brics][..])]);
        assert_eq!(m.postings.of(brics).count(), 0);
        let a = PreparedArticle::new(Document::new("", "visas for the summit"));
        let ids: Vec<Id> = m.match_article(&a).into_iter().map(|t| t.topic_id).collect();
        assert_eq!(ids, vec![2, 3]);
        // Topic 1 is indexed under "summit" but its other clause ("brics") fails: only 2 and 3 are verified.
        assert_eq!(m.candidates(&a), 2);
        let b = PreparedArticle::new(Document::new("", "the BRICS summit"));
        assert_eq!(m.candidates(&b), 2, "topic 1 and the NOT-only topic 3");
    }

    #[test]
    fn plain_phrases_are_found_by_word_hashes_with_the_same_places_as_the_reference() {
        let topics = [
            (1, "\"one belt one road\""),
            (2, "lead:\"state visit\""),
            (3, "\"state visit\" AND {UN}"),
            (4, "title:\"state visit\""),
        ];
        let m = Matcher::new(topics).unwrap();
        let kinds: Vec<&str> = m
            .plans
            .iter()
            .map(|p| match m.nodes[p.root as usize] {
                Node::Phrase { .. } => "phrase",
                Node::Field { .. } => match m.nodes[p.root as usize + 1] {
                    Node::Phrase { .. } => "field phrase",
                    _ => "field other",
                },
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["phrase", "field phrase", "other", "field phrase"]);
        assert_same_as_reference(
            &m,
            &topics,
            &[
                ("One Belt One Road", "one belt, one belt one road. One belt one"),
                ("A state", "visit of the UN.\nThen a state visit, and a state visit"),
                ("", "A state visit\nstate visit"),
                ("state visit", ""),
            ],
        );
        let doc = Document::new("One Belt One Road", "A state visit\nstate visit");
        let got = m.match_article(&PreparedArticle::new(doc));
        let places: Vec<(Id, Vec<(u32, u32)>)> =
            got.iter().map(|t| (t.topic_id, t.spans.iter().map(|s| (s.start, s.end)).collect())).collect();
        assert_eq!(places, [(1, vec![(0, 17)]), (2, vec![(2, 13)])], "the lead's phrase only; no title phrase");
    }

    #[test]
    fn every_word_of_an_article_finds_its_posting_chain_through_the_run_table() {
        // 3,000 distinct words, each in the title once and in the body three times: the table fills to about
        // two thirds of its slots, so probing wraps and runs long.
        let words: Vec<String> = (0..3_000).map(|i| format!("w{i}x")).collect();
        let title = words.join(" ");
        let body = [title.as_str(), title.as_str(), title.as_str()].join(" ");
        let a = PreparedArticle::new(Document::new(&title, &body));
        assert_eq!(a.runs.len(), 3_000);
        for (i, w) in words.iter().enumerate() {
            let chain: Vec<u32> = a.chain(a.chain_of_hash(key_hash(w)).unwrap()).collect();
            let n = words.len() as u32;
            let i = i as u32;
            assert_eq!(chain, [i, n + i, 2 * n + i, 3 * n + i], "{w}");
        }
        for absent in ["w3000x", "w", "x", ""] {
            assert_eq!(a.chain_of_hash(key_hash(absent)), None, "{absent}");
        }
        let empty = PreparedArticle::new(Document::new("", ""));
        assert_eq!(empty.chain_of_hash(key_hash("w1x")), None);
    }

    #[test]
    fn a_trailing_star_word_finds_its_places_once_an_article_with_the_same_spans_as_the_reference() {
        let topics = [
            (1, "sanction*"),
            (2, "title:sanction* OR lead:sanction*"),
            (3, "sanction* AND summit"),
            (4, "sanc?ion* OR {Sanction*}"),
            (5, "санкци* OR sanctioned"),
        ];
        let m = Matcher::new(topics).unwrap();
        // Which terms take the prefix's places: one wildcard word ending in its only star, compared bare.
        let plain = |q: &str| match super::super::query::parse(q).unwrap() {
            Query::Term(t) => m.prefix_number(&t).is_some(),
            other => panic!("{other:?}"),
        };
        assert!(plain("sanction*") && plain("санкци*"));
        assert!(!plain("sanc?ion*") && !plain("{Sanction*}") && !plain("sanction") && !plain("sanc*ion"));
        assert!(!plain("sanctio*"), "no prefix key");
        let prefix_nodes = m.nodes.iter().filter(|n| matches!(n, Node::Prefix { .. })).count();
        assert_eq!(prefix_nodes, 5, "sanction* in topics 1-3 (four times), санкци* in topic 5");
        assert_same_as_reference(
            &m,
            &topics,
            &[
                ("Sanctions and sanctity", "The summit sanctioned it.\nSanction after sanction: SANCTIONS."),
                ("", "Санкции, санкциями\nsanctions summit"),
                ("sanction", ""),
                ("Sanctuary", "A sanctum"),
            ],
        );
        // Three topics met `sanction*`: its places were gathered once.
        let doc = Document::new("Sanctions and sanctity", "The summit sanctioned it.");
        let a = PreparedArticle::new(doc);
        let mut present = KeySet::default();
        m.select(&a, &mut present);
        let (cache, prefix_cache) = (RefCell::new(TermCache::default()), RefCell::new(PrefixCache::default()));
        let ev =
            Eval { a: &a, stem: false, matcher: &m, present: &present, cache: &cache, prefix_cache: &prefix_cache };
        for p in &m.plans[..3] {
            ev.matches(p.root as usize, None, &mut Vec::new());
        }
        assert_eq!(prefix_cache.borrow().index.len(), 1);
        assert_eq!(prefix_cache.borrow().places, [0, 5], "Sanctions (title) and sanctioned, not sanctity");
    }

    #[test]
    fn a_wildcard_word_indexes_a_topic_only_when_it_is_well_longer_than_the_whole_words() {
        // A prefix stands for many words: `sanction*` (8 letters) is weighed as 5, `summit` as 7.
        let m = Matcher::new([(1, "sanction* AND summit"), (2, "sovereignt* AND visa")]).unwrap();
        let summit = m.words[&key_hash("summit")];
        let sanction = m.prefixes[&prefix_hash("sanction")].0;
        assert_eq!(m.postings.of(summit).map(|(t, _)| t).collect::<Vec<_>>(), [0]);
        assert_eq!(m.postings.of(sanction).count(), 0, "checked, not indexed");
        // `sovereignt*` (10 letters, weighed 7) is still more selective than `visa` (weighed 5).
        let sovereignt = m.prefixes[&prefix_hash("sovereignt")].0;
        assert_eq!(m.postings.of(sovereignt).map(|(t, _)| t).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn a_phrase_is_a_candidate_only_where_its_words_stand_side_by_side() {
        let m = Matcher::new([
            (1, "\"state visit\" OR kremlin"),
            (2, "\"state visit\"~2"),
            (3, "\"one belt, one road\""),
            (4, "visa-free"),
        ])
        .unwrap();
        // A phrase is indexed under its pairs of neighbouring words; with slop, under its words.
        assert_eq!(m.pairs.len(), 1 + 3 + 1, "state visit; one belt, belt one, one road; visa free");
        let apart = PreparedArticle::new(Document::new(
            "The state said the minister of the visit",
            "A road, one belt and one free visa",
        ));
        assert_eq!(m.candidates(&apart), 1, "only the sloppy phrase, whose words both occur");
        assert!(m.match_article(&apart).is_empty());
        let side_by_side =
            PreparedArticle::new(Document::new("A state visit", "One Belt, One Road. Visa-free travel, visafree."));
        assert_eq!(m.candidates(&side_by_side), 4);
        let ids: Vec<Id> = m.match_article(&side_by_side).into_iter().map(|t| t.topic_id).collect();
        assert_eq!(ids, vec![1, 2, 3, 4]);
        // Two words side by side across the title and the body are no phrase, but may make a candidate.
        let across = PreparedArticle::new(Document::new("A state", "Visit"));
        assert!(m.match_article(&across).is_empty());
    }

    /// The keys, candidates and prefix words an article leaves in a [`KeySet`].
    fn selected(m: &Matcher, present: &KeySet) -> (Vec<u32>, Vec<u32>, Vec<Vec<u32>>) {
        let mut keys: Vec<u32> = present.keys.iter().collect();
        keys.sort_unstable();
        let prefixes = (0..m.prefixes.len() as u32).map(|p| present.runs_with_prefix(p).collect()).collect();
        (keys, present.candidates.iter().collect(), prefixes)
    }

    #[test]
    fn a_scratch_kept_between_articles_and_matchers_selects_and_matches_as_a_fresh_one() {
        let topics: &[(Id, &str)] = &[
            (1, "sanction* AND summit"),
            (2, "\"Belt and Road\" OR {BRI}"),
            (3, "visa NOT card"),
            (4, "pipelin* OR railway"),
            (5, "-visa"),
        ];
        let m = Matcher::new(topics.iter().copied()).unwrap();
        let other = Matcher::new([(9, "railway"), (10, "sanctioned NEAR/3 summit")]).unwrap();
        let articles = [
            PreparedArticle::new(Document::new("Summit on sanctions", "Sanctioned pipelines, the Belt and Road, BRI.")),
            PreparedArticle::new(Document::new("A railway", "A visa card.")),
            PreparedArticle::new(Document::new("", "")),
            PreparedArticle::new(Document::new("Visa", "The summit sanctioned a pipeline and a railway.")),
        ];
        let mut scratch = Scratch::default();
        for (i, matcher) in [&m, &m, &other, &m, &other, &other, &m].into_iter().enumerate() {
            for a in articles.iter().cycle().skip(i).take(articles.len()) {
                let mut reused = Vec::new();
                matcher.for_each_match_in(&mut scratch, a, |id, spans| {
                    reused.push((id, spans.iter().map(SpanRef::to_span).collect::<Vec<_>>()))
                });
                let fresh: Vec<_> = matcher.match_article(a).into_iter().map(|t| (t.topic_id, t.spans)).collect();
                assert_eq!(reused, fresh);
                let mut present = KeySet::default();
                matcher.select(a, &mut present);
                assert_eq!(selected(matcher, &scratch.present), selected(matcher, &present));
            }
        }
        // The articles do flag topics, and the first leaves keys, candidates and prefix words behind.
        assert_eq!(m.match_article(&articles[0]).len(), 4);
        let mut present = KeySet::default();
        m.select(&articles[0], &mut present);
        let (keys, candidates, prefixes) = selected(&m, &present);
        assert!(keys.len() >= 4 && candidates.len() >= 3 && prefixes.iter().any(|p| !p.is_empty()));
    }
}
