//! The presearcher's index keys and the sets that select the candidates: the keys of a query ([`Key`],
//! [`quality`]) and their hashes, the bit filter of the keys ([`KeyFilter`]), the posting lists
//! ([`Postings`]), and the keys and candidates one article gives ([`KeySet`], over [`Bits`]).

use std::hash::Hasher;

use rustc_hash::FxHasher;

use super::NONE;

/// A set of small numbers.
#[derive(Default)]
pub(super) struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }

    fn clear(&mut self) {
        self.0.fill(0);
    }

    pub(super) fn set(&mut self, i: u32) {
        self.0[i as usize / 64] |= 1 << (i % 64);
    }

    fn has(&self, i: u32) -> bool {
        self.0[i as usize / 64] & (1 << (i % 64)) != 0
    }

    /// The members in increasing order.
    pub(super) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
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
pub(super) struct KeyFilter {
    bits: Vec<u64>,
    shift: u32,
}

impl KeyFilter {
    pub(super) fn new<'k>(keys: impl ExactSizeIterator<Item = &'k u64>) -> Self {
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
    pub(super) fn may_hold(&self, h: u64) -> bool {
        let b = self.bucket(h);
        self.bits[b / 64] & (1 << (b % 64)) != 0
    }
}

/// Key number → the topics indexed under it, each with the other clauses to check before verifying it:
/// every list in one array, read front to back (a key's topics and their checks in a few cache lines, not
/// a cache miss a topic). A list is a sequence of entries `[topic, n, clauses...]`: `n` numbers of clauses,
/// each written `[len, key...]`.
#[derive(Default)]
pub(super) struct Postings {
    /// Where each key's list starts in `data` (and the end of the last one).
    starts: Vec<u32>,
    data: Vec<u32>,
}

impl Postings {
    pub(super) fn from_lists(lists: Vec<Vec<u32>>) -> Self {
        let mut p = Postings { starts: Vec::with_capacity(lists.len() + 1), data: Vec::new() };
        p.starts.push(0);
        for l in lists {
            p.data.extend(l);
            p.starts.push(p.data.len() as u32);
        }
        p
    }

    /// The topics indexed under `key`, each with its other clauses (`[len, key...]` each).
    pub(super) fn of(&self, key: u32) -> impl Iterator<Item = (u32, &[u32])> + '_ {
        let mut list = &self.data[self.starts[key as usize] as usize..self.starts[key as usize + 1] as usize];
        std::iter::from_fn(move || {
            let (&[topic, n], rest) = list.split_first_chunk::<2>()?;
            let (clauses, rest) = rest.split_at(n as usize);
            list = rest;
            Some((topic, clauses))
        })
    }

    /// How many keys there are.
    pub(super) fn keys(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }
}

/// The keys an article contains, and the topics indexed under them (the candidates). Kept in a [`Scratch`]
/// from one article to the next: [`KeySet::reset`] clears the keys and prefixes the last article set, not
/// every key and prefix stored, and the candidate bits (one bit a topic) at once.
///
/// [`Scratch`]: super::Scratch
#[derive(Default)]
pub(super) struct KeySet {
    pub(super) keys: Bits,
    /// The keys in `keys`, in the order found.
    found: Vec<u32>,
    pub(super) candidates: Bits,
    /// Prefix number → its latest entry in `prefix_runs` (`NONE`: no word of the article starts with it).
    prefix_heads: Vec<u32>,
    /// The prefix numbers whose head is set.
    prefixes_met: Vec<u32>,
    /// (distinct-word run that starts with the prefix, the previous entry of the same prefix or `NONE`).
    prefix_runs: Vec<(u32, u32)>,
}

impl KeySet {
    /// Empty, sized for a matcher with these numbers of keys, topics and prefix keys.
    pub(super) fn reset(&mut self, keys: usize, topics: usize, prefixes: usize) {
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
    pub(super) fn mark_prefix(&mut self, (key, prefix): (u32, u32), run: u32) {
        self.mark(key);
        let prev = std::mem::replace(&mut self.prefix_heads[prefix as usize], self.prefix_runs.len() as u32);
        if prev == NONE {
            self.prefixes_met.push(prefix);
        }
        self.prefix_runs.push((run, prev));
    }

    /// The runs whose word starts with prefix number `prefix`.
    pub(super) fn runs_with_prefix(&self, prefix: u32) -> impl Iterator<Item = u32> + '_ {
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

    pub(super) fn mark(&mut self, key: u32) {
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
    pub(super) fn settle(&mut self, postings: &Postings) {
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

pub(super) fn stem_hash(lang: u8, stem: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write_u8(lang);
    h.write(stem.as_bytes());
    h.finish()
}

/// The hash of a prefix key, a byte at a time: one pass over a word gives the hash of each of its prefixes
/// ([`prefix_hash_step`] after each byte).
pub(super) fn prefix_hash(prefix: &str) -> u64 {
    prefix.bytes().fold(0, prefix_hash_step)
}

/// [`prefix_hash`] of a prefix one byte longer (FxHash's step, a byte at a time).
pub(super) fn prefix_hash_step(h: u64, b: u8) -> u64 {
    (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0xf135_7aea_2e62_a9c5)
}

/// The key of two words side by side (a phrase's), from their bare forms' [`key_hash`]es.
///
/// [`key_hash`]: super::super::text::key_hash
pub(super) fn pair_hash(first: u64, second: u64) -> u64 {
    let mut h = FxHasher::default();
    h.write_u64(first);
    h.write_u64(second);
    h.finish()
}

/// An index key of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Key {
    Word(String),
    Prefix(String),
    Stem(u8, String),
    /// Two words of a phrase side by side: [`pair_hash`] of their bare forms, and their length in characters.
    Pair(u64, usize),
}

impl Key {
    pub(super) fn len(&self) -> usize {
        match self {
            Key::Word(s) | Key::Stem(_, s) => s.chars().count() + 1,
            Key::Prefix(s) => s.chars().count().saturating_sub(3),
            Key::Pair(_, len) => *len,
        }
    }

    /// Which kind of key finds an occurrence best: pairs of words, whole words, stems, prefixes.
    pub(super) fn kind(&self) -> u8 {
        match self {
            Key::Pair(..) => 3,
            Key::Word(_) => 2,
            Key::Stem(..) => 1,
            Key::Prefix(_) => 0,
        }
    }
}

/// How selective a key set is: its weakest key's length, then fewer keys.
pub(super) fn quality(keys: &[Key]) -> (usize, std::cmp::Reverse<usize>) {
    (keys.iter().map(Key::len).min().unwrap_or(0), std::cmp::Reverse(keys.len()))
}
