//! The places of a term in an article, for [`Eval`]: a plain word's from its posting chain, a phrase's by
//! comparing word hashes, a `word*`'s from the words noted under its prefix key, the general case word by
//! word (through a cache for the terms several topics share); and [`glob`].

use super::super::query::{FieldName, Term, WordPattern};
use super::super::text::Tokens;
use super::keys::prefix_hash;
use super::verify::{scope_code, scope_fields, Eval};

impl<'m> Eval<'_, 'm> {
    /// Every occurrence of a term in the fields of the scope, field by field, in position order, each once:
    /// `found(field, start, end)` in token positions.
    pub(super) fn term(&self, t: &Term, scope: Option<FieldName>, found: &mut dyn FnMut(usize, usize, usize)) {
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
    pub(super) fn word(&self, hash: u64, scope: Option<FieldName>, found: &mut impl FnMut(usize, usize, usize)) {
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
    ///
    /// [`Node::Phrase`]: super::plan::Node::Phrase
    pub(super) fn phrase(
        &self,
        from: u32,
        len: u32,
        scope: Option<FieldName>,
        found: &mut dyn FnMut(usize, usize, usize),
    ) {
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
    ///
    /// [`Matcher::prefix_number`]: super::Matcher::prefix_number
    pub(super) fn prefix(
        &self,
        number: u32,
        t: &Term,
        scope: Option<FieldName>,
        found: &mut dyn FnMut(usize, usize, usize),
    ) {
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
pub(super) fn glob(pattern: &str, word: &str) -> bool {
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
