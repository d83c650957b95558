//! An article prepared once for every topic ([`PreparedArticle`]): its fields split into words, a posting
//! chain per distinct bare word ([`Chain`] while it is built), found by hash through a [`RunTable`].

use super::super::text::{key_hash, tokenize, Tokens};
use super::super::Document;
use super::NONE;

/// An article prepared once for every topic: its fields split into words and a posting list per distinct
/// bare word.
pub struct PreparedArticle {
    /// Title, body, source, url, author.
    pub(super) fields: [Tokens; 5],
    /// Where each field's words start in the global numbering (and the total at the end).
    pub(super) offsets: [u32; 6],
    pub(super) lead_end: u32,
    pub(super) host: Option<String>,
    pub(super) lang: Option<String>,
    /// The posting lists as chains: `next[g]` is the next global position with the same bare word as `g`
    /// (`NONE` at the end of a list).
    next: Vec<u32>,
    /// One entry per distinct bare word: its hash and the first position of its chain.
    pub(super) runs: Vec<(u64, u32)>,
    /// The [`key_hash`] of each global position's bare word.
    pub(super) hashes: Vec<u64>,
    /// hash → its run: the `runs` index of the bare word with that hash.
    index: RunTable,
    /// Two different bare words share a hash (never seen in practice): verification takes the slow path.
    pub(super) collision: bool,
    /// One global position per distinct folded form that differs from its bare form (a word with
    /// diacritics): what stemmed accented query words are compared with.
    pub(super) accented: Vec<u32>,
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
            lead_end: super::super::lead_end_char(doc.text),
            host: doc.url.and_then(super::super::host_of),
            lang: doc.lang.map(super::super::primary_language),
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
    pub(super) fn chain(&self, first: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(Some(first), move |&g| Some(self.next[g as usize]).filter(|&n| n != NONE))
    }

    /// The bare word of a distinct-word run.
    pub(super) fn run_word(&self, run: u32) -> &str {
        self.bare(self.runs[run as usize].1)
    }

    /// The distinct-word runs in the alphabetical order of their words (built on first use: wildcard words
    /// find their words by binary search).
    pub(super) fn sorted_runs(&self) -> &[u32] {
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
    pub(super) fn locate(&self, global: u32) -> (usize, usize) {
        locate_in(&self.offsets, global)
    }

    pub(super) fn bare(&self, global: u32) -> &str {
        let (f, i) = self.locate(global);
        self.fields[f].bare(i)
    }

    /// The positions (in `field`) of the words whose bare form has this [`key_hash`], in order.
    pub(super) fn positions_of_hash(&self, hash: u64, field: usize) -> impl Iterator<Item = usize> + '_ {
        self.positions_in(self.chain_of_hash(hash), field)
    }

    /// The first position of the posting chain of the bare word with this hash.
    pub(super) fn chain_of_hash(&self, hash: u64) -> Option<u32> {
        match self.index.slots[self.index.slot(hash, &self.runs)] {
            NONE => None,
            run => Some(self.runs[run as usize].1),
        }
    }

    /// The positions in `field` of a posting chain (from [`PreparedArticle::chain_of_hash`]), in order.
    pub(super) fn positions_in(&self, first: Option<u32>, field: usize) -> impl Iterator<Item = usize> + '_ {
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
pub(super) struct RunTable {
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

/// (field, position in the field) of a global position.
fn locate_in(offsets: &[u32; 6], global: u32) -> (usize, usize) {
    let f = (0..5).find(|&f| global < offsets[f + 1]).unwrap_or(4);
    (f, (global - offsets[f]) as usize)
}
