//! The topic engine: every topic compiled into one matcher (Luwak's presearcher idea).
//!
//! 1. **Compile.** Each query gives a set of index keys such that an article it matches contains at least
//!    one of them: a word's bare form, the literal start of a wildcard word, or a Snowball stem. AND keeps
//!    its most selective side, OR the union of its sides, NOT its left side. A query with no such set (only
//!    negations, `site:`/`lang:` alone) is checked against every article.
//! 2. **Prepare an article** once: its fields split into words, and a posting list per distinct bare word.
//! 3. **Select candidates**: one pass over the article's distinct words, looking each up in the key index
//!    (and its prefixes in the prefix index). The cost grows with the article and the number of candidate
//!    topics, not with the number of topics stored.
//! 4. **Verify** only the candidates, on the posting lists, with exactly the meaning of `reference.rs`.

use std::hash::Hasher;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHasher};

use super::query::{FieldName, NearOrder, Query, Term, WordPattern};
use super::text::{self, tokenize, Tokens};
use super::{finish_spans, Document, LeafSpan, TopicMatch};
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

/// Every stored topic compiled once; matches one article against all of them.
pub struct Matcher {
    topics: Vec<Compiled>,
    words: FxHashMap<u64, Vec<u32>>,
    prefixes: FxHashMap<u64, Vec<u32>>,
    /// The distinct byte lengths of the prefix keys, ascending.
    prefix_lens: Vec<usize>,
    stems: FxHashMap<u64, Vec<u32>>,
    always: Vec<u32>,
    stemmers: Stemmers,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("topics", &self.topics.len()).field("always", &self.always.len()).finish()
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

fn key_hash(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

fn stem_hash(lang: u8, stem: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write_u8(lang);
    h.write(stem.as_bytes());
    h.finish()
}

/// An index key of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Word(String),
    Prefix(String),
    Stem(u8, String),
}

impl Key {
    fn len(&self) -> usize {
        match self {
            Key::Word(s) | Key::Stem(_, s) => s.chars().count() + 1,
            Key::Prefix(s) => s.chars().count(),
        }
    }
}

/// The bare form a text word must have for this query word to match it (its literal part for wildcards).
fn bare_key(p: &WordPattern) -> String {
    let lit = p.literal_prefix();
    if p.case_sensitive {
        text::bare(&text::fold(lit))
    } else if p.accented {
        text::bare(lit)
    } else {
        lit.to_string()
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

    fn from_compiled(topics: Vec<Compiled>) -> Self {
        let mut m = Matcher {
            topics: Vec::new(),
            words: FxHashMap::default(),
            prefixes: FxHashMap::default(),
            prefix_lens: Vec::new(),
            stems: FxHashMap::default(),
            always: Vec::new(),
            stemmers: Stemmers::new(),
        };
        for (i, t) in topics.iter().enumerate() {
            let i = i as u32;
            match m.keys(&t.query, t.stem) {
                None => m.always.push(i),
                Some(keys) => {
                    for k in keys {
                        match k {
                            Key::Word(w) => m.words.entry(key_hash(&w)).or_default().push(i),
                            Key::Prefix(p) => {
                                if !m.prefix_lens.contains(&p.len()) {
                                    m.prefix_lens.push(p.len());
                                }
                                m.prefixes.entry(key_hash(&p)).or_default().push(i);
                            }
                            Key::Stem(lang, s) => m.stems.entry(stem_hash(lang, &s)).or_default().push(i),
                        }
                    }
                }
            }
        }
        m.prefix_lens.sort_unstable();
        m.topics = topics;
        m
    }

    /// How many topics are compiled.
    pub fn len(&self) -> usize {
        self.topics.len()
    }

    pub fn is_empty(&self) -> bool {
        self.topics.is_empty()
    }

    /// The index keys of a query: `None` when every article is a candidate.
    fn keys(&self, q: &Query, stem: bool) -> Option<Vec<Key>> {
        match q {
            Query::Term(t) => {
                let mut out = Vec::new();
                for words in &t.alternatives {
                    let best = words.iter().map(|w| self.word_key(w, stem)).max_by_key(|k| {
                        // Whole words before stems before prefixes; longer first.
                        let kind = match k {
                            Key::Word(_) => 2,
                            Key::Stem(..) => 1,
                            Key::Prefix(_) => 0,
                        };
                        (kind, k.len())
                    })?;
                    if !out.contains(&best) {
                        out.push(best);
                    }
                }
                Some(out)
            }
            Query::And(items) => items.iter().filter_map(|i| self.keys(i, stem)).max_by_key(|k| quality(k)),
            Query::Near { left, right, .. } => {
                [left, right].into_iter().filter_map(|i| self.keys(i, stem)).max_by_key(|k| quality(k))
            }
            Query::Or(items) => {
                let mut out: Vec<Key> = Vec::new();
                for i in items {
                    for k in self.keys(i, stem)? {
                        if !out.contains(&k) {
                            out.push(k);
                        }
                    }
                }
                Some(out)
            }
            Query::Not(a, _) | Query::Field(_, a) => self.keys(a, stem),
            Query::Negated(_) | Query::Site(_) | Query::Lang(_) => None,
        }
    }

    fn word_key(&self, w: &WordPattern, stem: bool) -> Key {
        if w.wildcard {
            return Key::Prefix(bare_key(w));
        }
        if stem && !w.case_sensitive && !w.cjk {
            if let Some((stemmer, lang)) = self.stemmers.for_word(&w.text) {
                return Key::Stem(lang, stemmer.stem(&w.text).into_owned());
            }
        }
        Key::Word(bare_key(w))
    }

    /// The topics whose stem keys a text word (in the form its query words compare) stems to.
    fn stem_candidates(&self, word: &str, candidates: &mut Vec<u32>) {
        for (stemmer, lang) in [(&self.stemmers.en, b'e'), (&self.stemmers.ru, b'r')] {
            if let Some(ts) = self.stems.get(&stem_hash(lang, &stemmer.stem(word))) {
                candidates.extend_from_slice(ts);
            }
        }
    }

    /// The topics that flag this article, in the order they were compiled, each with its spans.
    pub fn match_article(&self, article: &PreparedArticle) -> Vec<TopicMatch> {
        let mut candidates: Vec<u32> = self.always.clone();
        for (h, _) in &article.runs {
            if let Some(ts) = self.words.get(h) {
                candidates.extend_from_slice(ts);
            }
        }
        if !self.prefixes.is_empty() || !self.stems.is_empty() {
            for &(_, (start, _)) in &article.runs {
                let word = article.bare(article.post[start as usize].1);
                for &len in &self.prefix_lens {
                    if len > word.len() {
                        break;
                    }
                    if word.is_char_boundary(len) {
                        if let Some(ts) = self.prefixes.get(&key_hash(&word[..len])) {
                            candidates.extend_from_slice(ts);
                        }
                    }
                }
                if !self.stems.is_empty() {
                    self.stem_candidates(word, &mut candidates);
                }
            }
            // An accented query word is stemmed and compared in its folded form (`café`), not the bare one.
            if !self.stems.is_empty() {
                for &g in &article.accented {
                    let (f, i) = article.locate(g);
                    self.stem_candidates(article.fields[f].folded(i), &mut candidates);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut out = Vec::new();
        for i in candidates {
            let t = &self.topics[i as usize];
            let ev = Eval { a: article, stem: t.stem, stemmers: &self.stemmers };
            if let Some(occs) = ev.eval(&t.query, None) {
                let leaves: Vec<LeafSpan<'_>> = occs.into_iter().flat_map(|o| o.leaves).collect();
                out.push(TopicMatch {
                    topic_id: t.id,
                    spans: finish_spans(&leaves, &article.fields[0], &article.fields[1]),
                });
            }
        }
        out
    }
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
    /// (hash of the bare word, global position), sorted.
    post: Vec<(u64, u32)>,
    /// hash → (start, length) in `post`: one entry per distinct bare word.
    runs: Vec<(u64, (u32, u32))>,
    index: FxHashMap<u64, (u32, u32)>,
    /// Two different bare words share a hash (never seen in practice): verification takes the slow path.
    collision: bool,
    /// One global position per distinct folded form that differs from its bare form (a word with
    /// diacritics): what stemmed accented query words are compared with.
    accented: Vec<u32>,
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
        let mut post = Vec::with_capacity(offsets[5] as usize);
        for (fi, f) in fields.iter().enumerate() {
            for i in 0..f.len() {
                post.push((key_hash(f.bare(i)), offsets[fi] + i as u32));
            }
        }
        post.sort_unstable();
        let mut accented: Vec<(u64, usize, usize)> = Vec::new();
        for (fi, f) in fields.iter().enumerate() {
            for i in 0..f.len() {
                if f.folded(i) != f.bare(i) {
                    accented.push((key_hash(f.folded(i)), fi, i));
                }
            }
        }
        accented.sort_unstable();
        accented.dedup_by(|a, b| a.0 == b.0 && fields[a.1].folded(a.2) == fields[b.1].folded(b.2));
        let mut a = PreparedArticle {
            fields,
            offsets,
            lead_end: super::lead_end_char(doc.text),
            host: doc.url.and_then(super::host_of),
            lang: doc.lang.map(super::primary_language),
            post,
            runs: Vec::new(),
            index: FxHashMap::default(),
            collision: false,
            accented: accented.into_iter().map(|(_, f, i)| offsets[f] + i as u32).collect(),
        };
        let mut runs = Vec::new();
        let mut collision = false;
        let mut i = 0;
        while i < a.post.len() {
            let h = a.post[i].0;
            let mut j = i + 1;
            let first = a.bare(a.post[i].1);
            while j < a.post.len() && a.post[j].0 == h {
                collision |= a.bare(a.post[j].1) != first;
                j += 1;
            }
            runs.push((h, (i as u32, (j - i) as u32)));
            i = j;
        }
        a.collision = collision;
        a.index = runs.iter().copied().collect();
        a.runs = runs;
        a
    }

    /// The body's folded words in order (what `cluster::fingerprint_words` reads).
    pub fn text_words(&self) -> Vec<&str> {
        self.fields[1].folded_words()
    }

    /// (field, position in the field) of a global position.
    fn locate(&self, global: u32) -> (usize, usize) {
        let f = (0..5).find(|&f| global < self.offsets[f + 1]).unwrap_or(4);
        (f, (global - self.offsets[f]) as usize)
    }

    fn bare(&self, global: u32) -> &str {
        let (f, i) = self.locate(global);
        self.fields[f].bare(i)
    }

    /// The positions (in `field`) of the words whose bare form is `bare`.
    fn positions(&self, bare: &str, field: usize) -> impl Iterator<Item = usize> + '_ {
        let (start, len) = self.index.get(&key_hash(bare)).copied().unwrap_or((0, 0));
        let (lo, hi) = (self.offsets[field], self.offsets[field + 1]);
        self.post[start as usize..(start + len) as usize]
            .iter()
            .filter(move |(_, g)| *g >= lo && *g < hi)
            .map(move |(_, g)| (g - lo) as usize)
    }
}

#[derive(Debug)]
struct Occ<'q> {
    field: usize,
    start: usize,
    end: usize,
    leaves: Vec<LeafSpan<'q>>,
}

struct Eval<'a> {
    a: &'a PreparedArticle,
    stem: bool,
    stemmers: &'a Stemmers,
}

impl Eval<'_> {
    fn eval<'q>(&self, q: &'q Query, scope: Option<FieldName>) -> Option<Vec<Occ<'q>>> {
        match q {
            Query::Term(t) => {
                let occs = self.term(t, scope);
                (!occs.is_empty()).then_some(occs)
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
                self.eval(b, scope).is_none().then_some(occs)
            }
            Query::Negated(a) => self.eval(a, scope).is_none().then(Vec::new),
            Query::Near { left, right, distance, order } => {
                let l = self.eval(left, scope)?;
                let r = self.eval(right, scope)?;
                let n = *distance as usize;
                let mut out = Vec::new();
                for x in &l {
                    for y in &r {
                        if x.field != y.field {
                            continue;
                        }
                        let gap = if x.end <= y.start {
                            y.start - x.end
                        } else if y.end <= x.start && *order == NearOrder::Any {
                            x.start - y.end
                        } else {
                            continue;
                        };
                        if gap <= n {
                            let mut leaves = Vec::with_capacity(x.leaves.len() + y.leaves.len());
                            leaves.extend(x.leaves.iter().cloned());
                            leaves.extend(y.leaves.iter().cloned());
                            out.push(Occ { field: x.field, start: x.start.min(y.start), end: x.end.max(y.end), leaves });
                        }
                    }
                }
                (!out.is_empty()).then_some(out)
            }
            Query::Field(f, inner) => self.eval(inner, Some(*f)),
            Query::Site(domain) => {
                let host = self.a.host.as_deref()?;
                (host == domain
                    || (host.len() > domain.len()
                        && host.ends_with(domain.as_str())
                        && host.as_bytes()[host.len() - domain.len() - 1] == b'.'))
                    .then(Vec::new)
            }
            Query::Lang(lang) => (self.a.lang.as_deref() == Some(lang.as_str())).then(Vec::new),
        }
    }

    fn term<'q>(&self, t: &'q Term, scope: Option<FieldName>) -> Vec<Occ<'q>> {
        let fields: &[(usize, bool)] = match scope {
            None => &[(0, false), (1, false)],
            Some(FieldName::Title) => &[(0, false)],
            Some(FieldName::Body) => &[(1, false)],
            Some(FieldName::Lead) => &[(1, true)],
            Some(FieldName::Source) => &[(2, false)],
            Some(FieldName::Url) => &[(3, false)],
            Some(FieldName::Author) => &[(4, false)],
        };
        let mut out = Vec::new();
        for &(field, lead_only) in fields {
            let tokens = &self.a.fields[field];
            if tokens.is_empty() {
                continue;
            }
            let mut found: Vec<(usize, usize)> = Vec::new();
            let budget = t.slop.unwrap_or(0) as usize;
            for words in &t.alternatives {
                let anchor = if budget == 0 { words.iter().position(|w| self.is_plain(w)) } else { None };
                match anchor {
                    Some(k) => {
                        for pos in self.a.positions(&bare_key(&words[k]), field) {
                            if pos < k || pos - k + words.len() > tokens.len() {
                                continue;
                            }
                            let p1 = pos - k;
                            if words.iter().enumerate().all(|(j, w)| self.word_matches(w, tokens, p1 + j)) {
                                found.push((p1, p1 + words.len()));
                            }
                        }
                    }
                    None => {
                        for p1 in self.first_word_positions(&words[0], field) {
                            if let Some(end) = self.complete(words, tokens, p1, budget) {
                                found.push((p1, end));
                            }
                        }
                    }
                }
            }
            if lead_only {
                found.retain(|&(_, end)| tokens.items[end - 1].end <= self.a.lead_end);
            }
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

    /// A word found through the posting lists directly: no wildcard, and no stemming for it.
    fn is_plain(&self, w: &WordPattern) -> bool {
        let stemmed = self.stem && !w.case_sensitive && !w.cjk && self.stemmers.for_word(&w.text).is_some();
        !w.wildcard && !stemmed
    }

    /// The positions in `field` where the word `w` matches, in order.
    fn first_word_positions(&self, w: &WordPattern, field: usize) -> Vec<usize> {
        let tokens = &self.a.fields[field];
        if self.is_plain(w) {
            return self.a.positions(&bare_key(w), field).filter(|&p| self.word_matches(w, tokens, p)).collect();
        }
        let (lo, hi) = (self.a.offsets[field], self.a.offsets[field + 1]);
        let prefix = bare_key(w);
        let mut out = Vec::new();
        for &(_, (start, len)) in &self.a.runs {
            let group = &self.a.post[start as usize..(start + len) as usize];
            let in_field = group.iter().filter(|(_, g)| *g >= lo && *g < hi);
            if self.a.collision || w.case_sensitive || w.accented || (self.stem && !w.wildcard) {
                // The compared form may differ inside a group of one bare word: test each place.
                if w.wildcard && !self.a.bare(group[0].1).starts_with(prefix.as_str()) && !self.a.collision {
                    continue;
                }
                out.extend(in_field.map(|(_, g)| (g - lo) as usize).filter(|&p| self.word_matches(w, tokens, p)));
            } else {
                // Plain wildcard: the bare form decides for the whole group.
                let bare = self.a.bare(group[0].1);
                if bare.starts_with(prefix.as_str()) && glob(&w.text, bare) {
                    out.extend(in_field.map(|(_, g)| (g - lo) as usize));
                }
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
            return match self.stemmers.for_word(&p.text) {
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
    fn candidates_come_from_the_index_not_from_every_topic() {
        let m = Matcher::new([(1, "BRICS AND summit"), (2, "visa*"), (3, "NOT x"), (4, "\"Belt and Road\"")]).unwrap();
        assert_eq!(m.always, vec![2]);
        assert_eq!(m.prefix_lens, vec![4]);
        // AND keeps one side: the longer word.
        assert!(m.words.contains_key(&key_hash("summit")) && !m.words.contains_key(&key_hash("brics")));
        let a = PreparedArticle::new(Document::new("", "visas for the summit"));
        let ids: Vec<Id> = m.match_article(&a).into_iter().map(|t| t.topic_id).collect();
        assert_eq!(ids, vec![2, 3]);
    }
}
