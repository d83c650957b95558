//! Luwak's benchmark workload (Flax's stored-query engine that became Lucene Monitor): 2,000 stored queries
//! over 999 English documents. No expected matches ship with it; the corpus README asks to compute them with
//! a plain brute-force evaluator and require the fast engine to produce the identical set.
//!
//! - Each `queries` line (Lucene: `+a +b +pre*`) becomes a Mediawatch query (`a AND b AND pre*`); line N is
//!   topic N. Each file of `doclist` is a document: title empty, body the file's content.
//! - **Bar**: for every document, the engine (`topics::Matcher`, all 2,000 topics in one matcher) returns
//!   exactly what the reference evaluator (`topics::reference::Reference`) returns — the same topics and the
//!   same spans.
//! - **Sanity check** (reported, not part of the bar unless unexplained): a plain full-text-search reading
//!   written here — lower-cased Unicode word tokens (runs of `char::is_alphanumeric`), a prefix term matching
//!   any token that starts with it. Every (query, document) pair where it and Mediawatch disagree is listed
//!   with the token behind it; a difference is explained when that token reads differently under
//!   Mediawatch's folding (diacritics fold one way, NFKC, combining marks inside words). An unexplained
//!   difference fails the suite.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use mediawatch_core::topics::reference::Reference;
use mediawatch_core::topics::text;
use mediawatch_core::topics::{Document, Matcher, PreparedArticle, TopicMatch};

use crate::Report;

/// One stored query: its topic id (line number), its Lucene terms (without `+`) and its Mediawatch form.
struct StoredQuery {
    id: i64,
    terms: Vec<String>,
    query: String,
}

struct Doc {
    name: String,
    text: String,
}

/// How many differences are printed.
const SHOW: usize = 5;

pub fn run(root: &Path, verbose: bool) -> Result<Report, String> {
    let queries = load_queries(root)?;
    let docs = load_docs(root)?;
    let topics: Vec<(i64, &str)> = queries.iter().map(|q| (q.id, q.query.as_str())).collect();

    let start = Instant::now();
    let matcher = Matcher::new(topics.iter().copied()).map_err(|e| format!("engine: {e}"))?;
    let engine: Vec<Vec<TopicMatch>> =
        docs.iter().map(|d| matcher.match_article(&PreparedArticle::new(Document::new("", &d.text)))).collect();
    let engine_time = start.elapsed();

    // The reference walks every word of every document for every term: in the debug build of `make test`
    // that is about 45 s of CPU, so the documents are shared out between the machine's cores.
    let start = Instant::now();
    let reference = Reference::new(topics.iter().copied()).map_err(|e| format!("reference: {e}"))?;
    let plain = per_document_in_parallel(&docs, |d| reference.match_document(&Document::new("", &d.text)));
    let reference_time = start.elapsed();

    let (mut passed, mut failed) = (0, 0);
    for (d, (fast, slow)) in docs.iter().zip(engine.iter().zip(&plain)) {
        if fast == slow {
            passed += 1;
            continue;
        }
        failed += 1;
        if failed <= SHOW {
            println!("FAIL  {}: {}", d.name, describe_difference(fast, slow));
        }
    }
    let pairs: usize = plain.iter().map(Vec::len).sum();
    let spans: usize = plain.iter().flatten().map(|m| m.spans.len()).sum();
    println!(
        "luwak: {} queries, {} documents, {pairs} matching (query, document) pairs, {spans} spans",
        queries.len(),
        docs.len()
    );
    println!(
        "engine {:.2} s (one thread), reference {:.2} s ({} threads), this build's profile; documents where \
         engine = reference: {passed}/{}",
        engine_time.as_secs_f64(),
        reference_time.as_secs_f64(),
        threads(),
        docs.len()
    );
    println!("engine vs reference: {}", if failed == 0 { "PASS" } else { "FAIL" });

    let unexplained = fts_sanity_check(&queries, &docs, &plain, verbose);
    Ok(Report { passed, failed, bar_met: failed == 0 && passed > 0 && unexplained == 0 })
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// `f` over every document, the documents handed out one at a time to `threads()` workers; results in the
/// documents' order.
fn per_document_in_parallel<T: Send>(docs: &[Doc], f: impl Fn(&Doc) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, T)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads())
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(d) = docs.get(i) else { break mine };
                        mine.push((i, f(d)));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a reference worker panicked")).collect()
    });
    results.sort_unstable_by_key(|&(i, _)| i);
    results.into_iter().map(|(_, r)| r).collect()
}

fn load_queries(root: &Path) -> Result<Vec<StoredQuery>, String> {
    let raw = std::fs::read_to_string(root.join("queries")).map_err(|e| format!("luwak/queries: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut terms = Vec::new();
        for raw_term in line.split_whitespace() {
            let term = raw_term.strip_prefix('+').unwrap_or(raw_term);
            let body = term.strip_suffix('*').unwrap_or(term);
            if body.is_empty() || !body.chars().all(char::is_alphanumeric) {
                return Err(format!("luwak/queries line {}: unsupported term {raw_term:?}", i + 1));
            }
            terms.push(term.to_string());
        }
        let query = terms.join(" AND ");
        out.push(StoredQuery { id: i as i64 + 1, terms, query });
    }
    Ok(out)
}

fn load_docs(root: &Path) -> Result<Vec<Doc>, String> {
    let list = std::fs::read_to_string(root.join("doclist")).map_err(|e| format!("luwak/doclist: {e}"))?;
    let mut docs = Vec::new();
    for name in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let text = std::fs::read_to_string(root.join("docfiles").join(name))
            .map_err(|e| format!("luwak/docfiles/{name}: {e}"))?;
        docs.push(Doc { name: name.to_string(), text });
    }
    Ok(docs)
}

/// The first topic where the engine's answer differs from the reference's.
fn describe_difference(fast: &[TopicMatch], slow: &[TopicMatch]) -> String {
    let ids = |ms: &[TopicMatch]| ms.iter().map(|m| m.topic_id).collect::<Vec<_>>();
    if ids(fast) != ids(slow) {
        let (f, s): (BTreeSet<i64>, BTreeSet<i64>) = (ids(fast).into_iter().collect(), ids(slow).into_iter().collect());
        return format!(
            "topics only the engine found {:?}, only the reference found {:?}",
            f.difference(&s).collect::<Vec<_>>(),
            s.difference(&f).collect::<Vec<_>>()
        );
    }
    for (a, b) in fast.iter().zip(slow) {
        if a != b {
            return format!("topic {}: engine spans {:?}, reference spans {:?}", a.topic_id, a.spans, b.spans);
        }
    }
    "the same topics and spans in another order".to_string()
}

/// Lower-cased Unicode word tokens: runs of alphanumeric characters.
fn fts_tokens(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_lowercase).collect()
}

/// The token of `tokens` that a Lucene term matches (a prefix term: the first token starting with it).
fn fts_find<'a>(term: &str, tokens: &'a BTreeSet<String>) -> Option<&'a str> {
    match term.strip_suffix('*') {
        Some(prefix) => tokens.range(prefix.to_string()..).next().filter(|t| t.starts_with(prefix)).map(String::as_str),
        None => tokens.get(term).map(String::as_str),
    }
}

/// The plain full-text-search reading of the workload against Mediawatch's pairs: prints every difference
/// with its reason; returns how many differences have no reason in Mediawatch's documented folding.
fn fts_sanity_check(queries: &[StoredQuery], docs: &[Doc], mediawatch: &[Vec<TopicMatch>], verbose: bool) -> usize {
    let terms: Vec<Vec<String>> = queries.iter().map(|q| q.terms.iter().map(|t| t.to_lowercase()).collect()).collect();
    let mut differences: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unexplained = 0;
    let mut fts_pairs = 0;
    for (d, found) in docs.iter().zip(mediawatch) {
        let tokens = fts_tokens(&d.text);
        let by_mediawatch: HashSet<i64> = found.iter().map(|m| m.topic_id).collect();
        let mw_tokens = text::tokenize(&d.text);
        for (q, q_terms) in queries.iter().zip(&terms) {
            let fts = q_terms.iter().all(|t| fts_find(t, &tokens).is_some());
            fts_pairs += usize::from(fts);
            if fts == by_mediawatch.contains(&q.id) {
                continue;
            }
            let (reason, explained) = if fts {
                // A token the plain reading found and Mediawatch did not: how does Mediawatch read it?
                explain_fts_only(q_terms, &tokens)
            } else {
                explain_mediawatch_only(q_terms, &tokens, &mw_tokens, &d.text)
            };
            unexplained += usize::from(!explained);
            let who = if fts { "only the plain reading" } else { "only Mediawatch" };
            differences.entry(reason).or_default().push(format!("query {} ({}) × {}: {who}", q.id, q.query, d.name));
        }
    }
    let total: usize = differences.values().map(Vec::len).sum();
    println!(
        "plain FTS-like reading (lower-cased alphanumeric tokens, prefix = starts with): {fts_pairs} pairs; \
         {total} pairs differ from Mediawatch's, {unexplained} without a reason in Mediawatch's folding"
    );
    for (reason, cases) in &differences {
        println!("  {} × {reason}", cases.len());
        for c in cases.iter().take(if verbose { usize::MAX } else { SHOW }) {
            println!("      {c}");
        }
    }
    unexplained
}

/// Mediawatch's words for a plain token: its bare forms (what an unaccented ASCII query word compares with).
fn mediawatch_words(token: &str) -> Vec<String> {
    let t = text::tokenize(token);
    (0..t.len()).map(|i| t.bare(i).to_string()).collect()
}

/// Every term found by the plain reading, one of them not by Mediawatch: the token, and how Mediawatch
/// splits and folds it.
fn explain_fts_only(terms: &[String], tokens: &BTreeSet<String>) -> (String, bool) {
    for t in terms {
        let Some(token) = fts_find(t, tokens) else { continue };
        let words = mediawatch_words(token);
        let prefix = t.strip_suffix('*');
        let matches = |w: &String| prefix.map_or(w == t, |p| w.starts_with(p));
        if !words.iter().any(matches) {
            let explained = words.len() != 1 || words[0] != *token;
            return (format!("token {token:?} (Mediawatch reads {words:?}) for term {t:?}"), explained);
        }
    }
    ("no term explains it".to_string(), false)
}

/// Every term found by Mediawatch, one of them not by the plain reading: the word Mediawatch matched and the
/// text it came from.
fn explain_mediawatch_only(
    terms: &[String],
    tokens: &BTreeSet<String>,
    mw: &text::Tokens,
    body: &str,
) -> (String, bool) {
    for t in terms {
        if fts_find(t, tokens).is_some() {
            continue;
        }
        let prefix = t.strip_suffix('*');
        for i in 0..mw.len() {
            let bare = mw.bare(i);
            if prefix.map_or(bare == t, |p| bare.starts_with(p)) {
                let item = mw.items[i];
                let written: String =
                    body.chars().skip(item.start as usize).take((item.end - item.start) as usize).collect();
                let explained = bare != written.to_lowercase();
                return (format!("text {written:?} (Mediawatch reads {bare:?}) for term {t:?}"), explained);
            }
        }
    }
    ("no term explains it".to_string(), false)
}
