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
//!
//! The files, in the order of the steps:
//! - `mod.rs`: the public [`TopicSpec`], [`Matcher`] (its fields: the compiled topics and their key index) and
//!   [`Scratch`]; [`PreparedArticle`] is defined in `article.rs` and re-exported here.
//! - `plan.rs`: the compiled topics (`Compiled`, `Plan`), their query nodes in one array (`Node`, laid out by
//!   `PlanBuilder`), and the `Stemmers`.
//! - `keys.rs`: the index keys of a query (`Key`, `quality`) and their hashes, the bit filter of the keys
//!   (`KeyFilter`), the posting lists (`Postings`), and the keys and candidates one article gives (`KeySet`,
//!   over `Bits`).
//! - `compile.rs`: `impl Matcher`, building: parsing the topics, numbering shared terms, a query's clauses
//!   of keys, the node arrays; and the public accessors `term_sources`, `len`, `is_empty`.
//! - `article.rs`: [`PreparedArticle`], its posting chains (`Chain`) and its table of distinct words
//!   (`RunTable`).
//! - `matching.rs`: `impl Matcher`, matching: selecting the candidates of an article (`select`), and the
//!   public `candidates`, `for_each_match`, `for_each_match_in`, `match_article`.
//! - `verify.rs`: verifying a candidate (`Eval`: the query nodes, NEAR's occurrences `Occ`), the caches of
//!   an article's term and prefix places, and the fields of a scope.
//! - `terms.rs`: `impl Eval`, the places of a term in an article (plain words, phrases, prefixes, the
//!   general case), and `glob`.
//! - `tests.rs`: the unit tests.
//!
//! [`RunTable`]: article::RunTable

mod article;
mod compile;
mod keys;
mod matching;
mod plan;
mod terms;
mod verify;

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use self::keys::{KeyFilter, KeySet, Postings};
use self::plan::{Node, Plan, Stemmers};
use self::verify::{PrefixCache, TermCache};
use super::query::Term;
use super::{LeafSpan, SpanRef};
use crate::model::Id;

pub use self::article::PreparedArticle;

/// A topic to compile.
#[derive(Debug, Clone, Copy)]
pub struct TopicSpec<'a> {
    pub id: Id,
    pub query: &'a str,
    /// Match plain words by their Snowball stem (English for Latin words, Russian for Cyrillic ones).
    pub stem: bool,
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
    ///
    /// [`prefix_hash`]: keys::prefix_hash
    prefixes: FxHashMap<u64, (u32, u32)>,
    /// What `words` and `prefixes` hold, as bits.
    word_filter: KeyFilter,
    prefix_filter: KeyFilter,
    /// `prefix_at[n]`: some prefix key is `n` bytes long (up to the longest).
    prefix_at: Vec<bool>,
    stems: FxHashMap<u64, u32>,
    /// Pairs of neighbouring words (a phrase's), by [`pair_hash`].
    ///
    /// [`pair_hash`]: keys::pair_hash
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

/// The end of a posting chain.
const NONE: u32 = u32::MAX;

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

#[cfg(test)]
mod tests;
