//! Matching an article: selecting its candidates (one pass over its words against the key index), then
//! verifying them; the public ways of matching and of counting the candidates.

use super::super::{finish_span_refs, SpanRef, TopicMatch};
use super::keys::{pair_hash, prefix_hash_step, stem_hash, KeySet};
use super::verify::Eval;
use super::{Matcher, PreparedArticle, Scratch};
use crate::model::Id;

impl Matcher {
    /// Marks the stem keys a text word (in the form its query words compare) stems to.
    fn mark_stems(&self, word: &str, present: &mut KeySet) {
        for (stemmer, lang) in [(&self.stemmers.en, b'e'), (&self.stemmers.ru, b'r')] {
            if let Some(&id) = self.stems.get(&stem_hash(lang, &stemmer.stem(word))) {
                present.mark(id);
            }
        }
    }

    /// The keys the article contains and the topics indexed under them: one pass over its distinct words.
    pub(super) fn select(&self, article: &PreparedArticle, present: &mut KeySet) {
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
