//! Verifying a candidate ([`Eval`]) with exactly the meaning of `reference.rs`: the query nodes, the
//! occurrences NEAR combines ([`Occ`]), the caches of an article's term and prefix places, and the fields of
//! a scope. The places of a term are found in `terms.rs`.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use super::super::query::{FieldName, NearOrder};
use super::super::LeafSpan;
use super::keys::KeySet;
use super::plan::Node;
use super::{Matcher, PreparedArticle};

/// An occurrence of a positional node (a term, an OR of terms, a NEAR) in token positions of one field,
/// with the term occurrences it is made of: what NEAR combines.
#[derive(Debug)]
struct Occ<'q> {
    field: usize,
    start: usize,
    end: usize,
    leaves: Vec<LeafSpan<'q>>,
}

pub(super) struct Eval<'a, 'm> {
    pub(super) a: &'a PreparedArticle,
    pub(super) stem: bool,
    pub(super) matcher: &'m Matcher,
    /// The keys the article contains (and the words that start with each prefix key).
    pub(super) present: &'a KeySet,
    /// The occurrences (field, start, end) of the shared terms met so far in this article, by (term
    /// number, scope, stemming).
    pub(super) cache: &'a RefCell<TermCache>,
    /// The places of the words that start with each prefix key met so far in this article.
    pub(super) prefix_cache: &'a RefCell<PrefixCache>,
}

/// For each prefix key met so far in an article (by its number), the global positions of the words that
/// start with it, in order: every prefix's list in one array.
#[derive(Default)]
pub(super) struct PrefixCache {
    pub(super) index: FxHashMap<u32, (u32, u32)>,
    pub(super) places: Vec<u32>,
}

impl PrefixCache {
    pub(super) fn clear(&mut self) {
        self.index.clear();
        self.places.clear();
    }
}

/// The places of the shared terms met so far in an article: every term's list in one array (no allocation
/// a term).
#[derive(Default)]
pub(super) struct TermCache {
    /// (term number, scope, stemming) → its range of `places`.
    pub(super) index: FxHashMap<(u32, u8, bool), (u32, u32)>,
    /// (field, start, end) in token positions.
    pub(super) places: Vec<(u8, u32, u32)>,
}

impl TermCache {
    pub(super) fn clear(&mut self) {
        self.index.clear();
        self.places.clear();
    }
}

pub(super) fn scope_code(scope: Option<FieldName>) -> u8 {
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
pub(super) fn scope_fields(scope: Option<FieldName>) -> &'static [(usize, bool)] {
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
    pub(super) fn matches(&self, at: usize, scope: Option<FieldName>, out: &mut Vec<LeafSpan<'m>>) -> bool {
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
}
