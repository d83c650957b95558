//! `mediawatch-bench topics CORPORA_PATH`: the topic engine (stored-query matching).
//!
//! - **Luwak** (`luwak/`: Flax's 2,000 stored queries over 999 English documents, the workload of the engine
//!   that became Lucene Monitor): query line N is topic N (`+a +b` → `a AND b`), each file a document
//!   `{"id": file name, "title": "", "text": content}`, written to a temporary folder. Interleaved runs of
//!   `mediawatch match --topics T --docs D --json` (the release binary, whole process: start, reading,
//!   compiling, matching, printing; stdout discarded as hyperfine does — the pairs are checked on untimed runs into files) and of the peer (b), `peers/fts5_match.py` (Python
//!   sqlite3: a fresh in-memory FTS5 table per batch of documents, every topic one `MATCH` query) with
//!   batches of 50 and with all 999 documents in one batch, also whole processes. In process, each run: the
//!   engine alone (`Matcher::new`, then `PreparedArticle::new` + `Matcher::for_each_match` per document) and the
//!   brute-force `topics::reference::Reference`. Every engine's (document, topic) pairs must equal the
//!   reference's; differences are listed with the reason where it is a matter of diacritics, and fail the
//!   benchmark (after the report).
//! - **Scaling**: 100, 1,000 and 10,000 generated topics (seeded; the default pack's world of terms and the
//!   corpus's own words, phrases and acronyms, in the shapes analysts write: AND, phrase OR, NOT, NEAR/5,
//!   prefixes, `{ACRONYM}`) over the 999 documents (titled with their decoded file names), in process:
//!   compile time and time per document, medians; the sets checked against the reference.
//! - **Backfill**: a database of 100,000 stored articles (the documents cycled, each copy with its own
//!   suffix), then `mediawatch --db DB topics add NAME QUERY` timed as a process on a fresh copy each run: the
//!   command matches the new topic against every stored article.

mod backfill;
mod generate;
mod luwak;

use std::collections::BTreeSet;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mediawatch_core::topics::reference::Reference;
use mediawatch_core::topics::{Document, Matcher, PreparedArticle, Scratch, TopicMatch};

use crate::stats::{self, secs, Samples};
use luwak::{Corpus, Doc, Pair, PairSet};

pub type Res<T> = Result<T, String>;

const PEER_SCRIPT: &str = include_str!("../peers/fts5_match.py");

/// The parts of the benchmark.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum Part {
    Luwak,
    Scaling,
    Backfill,
}

pub struct Options {
    pub corpora: PathBuf,
    pub runs: usize,
    pub python: String,
    pub mediawatch: PathBuf,
    /// Parts to run (all when empty).
    pub only: Vec<Part>,
    /// Topic counts of the scaling part.
    pub sizes: Vec<usize>,
    /// Stored articles of the backfill part.
    pub articles: usize,
    pub seed: u64,
}

impl Options {
    fn wants(&self, part: Part) -> bool {
        self.only.is_empty() || self.only.contains(&part)
    }
}

fn per_s(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

fn thousands(n: usize) -> String {
    mediawatch_core::reports::thousands(n as u64)
}

/// `mediawatch_core::topics` needs a document; the corpus keeps owned strings.
fn document(d: &Doc) -> Document<'_> {
    Document::new(&d.title, &d.text)
}

/// The engine alone: compile, then prepare and match every document.
fn matcher_pass(topics: &[(i64, String)], docs: &[Doc]) -> Res<(Duration, Duration, Vec<Vec<TopicMatch>>)> {
    let start = Instant::now();
    let matcher = Matcher::new(topics.iter().map(|(id, q)| (*id, q.as_str()))).map_err(|e| e.to_string())?;
    let compile = start.elapsed();
    let start = Instant::now();
    // As `mediawatch match` reads them: each match's spans borrowed from the matcher (counted here, not
    // copied); the pairs are what the reference is compared with (its spans: the `luwak` conformance suite).
    let mut spans = 0;
    // One working memory for every document, as each `mediawatch match` worker keeps.
    let mut scratch = Scratch::default();
    let found: Vec<Vec<TopicMatch>> = docs
        .iter()
        .map(|d| {
            let mut ms = Vec::new();
            matcher.for_each_match_in(&mut scratch, &PreparedArticle::new(black_box(document(d))), |topic_id, s| {
                spans += black_box(s).len();
                ms.push(TopicMatch { topic_id, spans: Vec::new() });
            });
            ms
        })
        .collect();
    let matching = start.elapsed();
    black_box(spans);
    Ok((compile, matching, black_box(found)))
}

/// Every document prepared (tokenised) and nothing matched: the part of a document's time no topic count
/// changes.
fn prepare_pass(docs: &[Doc]) -> Duration {
    let start = Instant::now();
    for d in docs {
        black_box(PreparedArticle::new(black_box(document(d))));
    }
    start.elapsed()
}

/// The brute-force evaluator over every document (building it included).
fn reference_pass(topics: &[(i64, String)], docs: &[Doc]) -> Res<(Duration, Vec<Vec<TopicMatch>>)> {
    let start = Instant::now();
    let reference =
        Reference::new(topics.iter().map(|(id, q)| (*id, q.as_str()))).map_err(|e| format!("reference: {e}"))?;
    let found: Vec<Vec<TopicMatch>> = docs.iter().map(|d| reference.match_document(&document(d))).collect();
    Ok((start.elapsed(), black_box(found)))
}

fn pairs_of(docs: &[Doc], found: &[Vec<TopicMatch>]) -> BTreeSet<Pair> {
    docs.iter().zip(found).flat_map(|(d, ms)| ms.iter().map(|m| (d.id.clone(), m.topic_id))).collect()
}

fn python_versions(python: &str) -> String {
    let out = Command::new(python)
        .args(["-c", "import sqlite3, sys; print(sys.version.split()[0], sqlite3.sqlite_version)"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match out.as_deref().and_then(|s| s.split_once(' ')) {
        Some((py, sqlite)) => format!("CPython {py} with SQLite {sqlite}"),
        None => format!("{python} (version unknown)"),
    }
}

/// What the Luwak part measured.
struct LuwakResult {
    process: Samples,
    peer50: Samples,
    peer999: Samples,
    compile: Samples,
    matching: Samples,
    reference: Samples,
    output: luwak::MatchOutput,
    stats_line: String,
    comparison: String,
    identical: bool,
}

fn run_luwak(opts: &Options, corpus: &Corpus, scratch: &Path) -> Res<LuwakResult> {
    let topics_path = scratch.join("luwak-topics.tsv");
    let docs_path = scratch.join("luwak-docs.jsonl");
    luwak::write_topics(&topics_path, &corpus.topics)?;
    luwak::write_docs(&docs_path, &corpus.docs)?;
    let peer = luwak::write_peer(scratch)?;
    let mw_out = scratch.join("mediawatch-match.jsonl");
    let peer_out = scratch.join("peer.tsv");
    let mw_cmd = || {
        let mut c = Command::new(&opts.mediawatch);
        c.arg("match").arg("--topics").arg(&topics_path).arg("--docs").arg(&docs_path).arg("--json");
        c
    };
    let peer_cmd = |batch: usize| {
        let mut c = Command::new(&opts.python);
        c.arg(&peer).arg(&topics_path).arg(&docs_path).arg("--batch").arg(batch.to_string());
        c
    };

    // Untimed: the binary's `--stats` line, and a first run that brings the binary into the page cache.
    let (_, stats_err) = luwak::timed(mw_cmd().arg("--stats"), &mw_out)?;
    let stats_line = stats_err.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join(" / ");

    let mut r = LuwakResult {
        process: Samples::default(),
        peer50: Samples::default(),
        peer999: Samples::default(),
        compile: Samples::default(),
        matching: Samples::default(),
        reference: Samples::default(),
        output: luwak::read_match_output(&mw_out)?,
        stats_line,
        comparison: String::new(),
        identical: true,
    };
    // Untimed: each peer's output, for the comparison of the pairs.
    luwak::timed(&mut peer_cmd(50), &peer_out)?;
    let (peer50_pairs, peer50_lines) = luwak::read_peer_output(&peer_out)?;
    luwak::timed(&mut peer_cmd(corpus.docs.len()), &peer_out)?;
    let (peer999_pairs, peer999_lines) = luwak::read_peer_output(&peer_out)?;
    let (mut matcher_pairs, mut reference_pairs) = (BTreeSet::new(), BTreeSet::new());
    // Timed: stdout discarded for every process (what a run costs, not what a disk costs).
    for run in 1..=opts.runs {
        let t = luwak::timed_discarding(&mut mw_cmd())?;
        r.process.push(t);
        eprintln!("  luwak run {run}/{}: mediawatch match {}", opts.runs, secs(t));

        let t = luwak::timed_discarding(&mut peer_cmd(50))?;
        r.peer50.push(t);
        eprintln!("  luwak run {run}/{}: peer, batches of 50 {}", opts.runs, secs(t));

        let t = luwak::timed_discarding(&mut peer_cmd(corpus.docs.len()))?;
        r.peer999.push(t);
        eprintln!("  luwak run {run}/{}: peer, one batch {}", opts.runs, secs(t));

        let (compile, matching, found) = matcher_pass(&corpus.topics, &corpus.docs)?;
        r.compile.push(compile);
        r.matching.push(matching);
        matcher_pairs = pairs_of(&corpus.docs, &found);
        eprintln!("  luwak run {run}/{}: Matcher compile {} + match {}", opts.runs, secs(compile), secs(matching));

        let (t, found) = reference_pass(&corpus.topics, &corpus.docs)?;
        r.reference.push(t);
        reference_pairs = pairs_of(&corpus.docs, &found);
        eprintln!("  luwak run {run}/{}: Reference {}", opts.runs, secs(t));
    }
    let last = std::mem::take(&mut r.output.pairs);
    if peer50_lines != peer50_pairs.len() || peer999_lines != peer999_pairs.len() {
        eprintln!("  note: the peer printed a pair more than once");
    }
    let sets = [
        PairSet { name: "Reference (brute force, in process)".into(), pairs: &reference_pairs },
        PairSet { name: "`mediawatch match --json`".into(), pairs: &last },
        PairSet { name: "Matcher, in process".into(), pairs: &matcher_pairs },
        PairSet { name: "peer (b), batches of 50".into(), pairs: &peer50_pairs },
        PairSet { name: format!("peer (b), one batch of {}", corpus.docs.len()), pairs: &peer999_pairs },
    ];
    let (comparison, same) = luwak::compare(&sets, corpus, 10);
    r.comparison = comparison;
    r.identical &= same;
    r.output.pairs = last;
    Ok(r)
}

fn luwak_report(opts: &Options, corpus: &Corpus, r: &LuwakResult) -> (String, bool) {
    let n = corpus.docs.len();
    let (two, three, prefixes) = corpus.shape;
    let mut out = String::new();
    out.push_str(&format!(
        "### Luwak workload\n\n{} topics ({} of 2 terms, {} of 3; {} prefix terms), {} documents ({:.1} MB); \
         runs: {}, interleaved, medians\n\n",
        thousands(corpus.topics.len()),
        thousands(two),
        thousands(three),
        thousands(prefixes),
        n,
        corpus.bytes as f64 / 1e6,
        opts.runs
    ));
    out.push_str("| engine | median | min | max | documents/s |\n|---|---:|---:|---:|---:|\n");
    let rows: [(&str, &Samples); 3] = [
        ("`mediawatch match --json` (whole process: start, read, compile, match, print to /dev/null)", &r.process),
        ("peer (b): Python sqlite3 FTS5, a fresh table per 50 documents (whole process)", &r.peer50),
        ("peer (b): Python sqlite3 FTS5, all documents in one table (whole process)", &r.peer999),
    ];
    for (name, s) in rows {
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {:.0} |\n",
            secs(s.median()),
            secs(s.min()),
            secs(s.max()),
            per_s(n, s.median())
        ));
    }
    out.push_str(&format!(
        "| Matcher in process: compile {} topics | {} | {} | {} | |\n",
        thousands(corpus.topics.len()),
        secs(r.compile.median()),
        secs(r.compile.min()),
        secs(r.compile.max())
    ));
    out.push_str(&format!(
        "| Matcher in process: prepare + match each document | {} | {} | {} | {:.0} ({:.0} µs each) |\n",
        secs(r.matching.median()),
        secs(r.matching.min()),
        secs(r.matching.max()),
        per_s(n, r.matching.median()),
        r.matching.median().as_secs_f64() * 1e6 / n as f64
    ));
    out.push_str(&format!(
        "| Reference (brute force) in process: build + match | {} | {} | {} | {:.0} |\n",
        secs(r.reference.median()),
        secs(r.reference.min()),
        secs(r.reference.max()),
        per_s(n, r.reference.median())
    ));
    let mw = r.process.median().as_secs_f64().max(1e-9);
    let x50 = r.peer50.median().as_secs_f64() / mw;
    let x999 = r.peer999.median().as_secs_f64() / mw;
    let met = |x: f64, bar: f64| if x >= bar { "met" } else { "**NOT met**" };
    out.push_str(&format!(
        "\n| goal: whole `mediawatch match` run against peer (b) | bar | measured (ratio of medians) | ratio of mins | |\n\
         |---|---:|---:|---:|---|\n\
         | batches of 50 documents | ≥ 100× | {x50:.1}× | {:.1}× | {} |\n\
         | all {n} documents in one batch | ≥ 10× | {x999:.1}× | {:.1}× | {} |\n",
        r.peer50.min().as_secs_f64() / r.process.min().as_secs_f64().max(1e-9),
        met(x50, 100.0),
        r.peer999.min().as_secs_f64() / r.process.min().as_secs_f64().max(1e-9),
        met(x999, 10.0),
    ));
    out.push_str(&format!(
        "\nThe engine in process runs on one core ({:.3} s to compile and match); the `mediawatch match` process \
         matches on every core ({}) and also starts, reads the documents and prints every span.\n",
        r.compile.median().as_secs_f64() + r.matching.median().as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));
    out.push_str(&format!(
        "`mediawatch match` printed {} lines ({} spans, {:.1} MB of JSON); its `--stats`: {}\n\n",
        thousands(r.output.lines),
        thousands(r.output.spans),
        r.output.bytes as f64 / 1e6,
        if r.stats_line.is_empty() { "(nothing)" } else { &r.stats_line }
    ));
    out.push_str(&r.comparison);
    (out, r.identical)
}

/// Which generated topics a row of the scaling part matches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TopicSet {
    /// The generated topics (names and the default pack's terms): the workload of the goal.
    Names,
    /// The first 1,000 of them and topics of the same shapes in Cyrillic letters, which no document flags.
    Control,
    /// Topics of the same shapes written with any of the corpus's words (`generate::Terms::AnyWords`).
    AnyWords,
}

/// What the scaling part measured for one topic count.
struct Size {
    set: TopicSet,
    topics: usize,
    /// How many of them are the Russian-script topics (after the generated ones).
    russian: usize,
    compile: Samples,
    matching: Samples,
    pairs: usize,
    /// Topics verified (their index key and checked clauses hold), over all documents.
    candidates: usize,
    checked: String,
}

impl Size {
    fn label(&self) -> String {
        match self.set {
            TopicSet::Names => thousands(self.topics),
            TopicSet::Control => format!(
                "{} ({} generated + {} in Cyrillic)",
                thousands(self.topics),
                thousands(self.topics - self.russian),
                thousands(self.russian)
            ),
            TopicSet::AnyWords => format!("{}, any words", thousands(self.topics)),
        }
    }
}

fn run_scaling(opts: &Options, docs: &[Doc]) -> Res<(String, bool)> {
    let vocab = generate::Vocabulary::from_docs(docs, generate::Terms::Names);
    let any_words = generate::Vocabulary::from_docs(docs, generate::Terms::AnyWords);
    let max = opts.sizes.iter().copied().max().unwrap_or(0);
    let all = generate::topics(&vocab, max, opts.seed);
    let all_any = generate::topics(&any_words, max, opts.seed);
    let size = |set: TopicSet, topics: usize, russian: usize| Size {
        set,
        topics,
        russian,
        compile: Samples::default(),
        matching: Samples::default(),
        pairs: 0,
        candidates: 0,
        checked: String::new(),
    };
    let mut sizes: Vec<Size> = opts.sizes.iter().map(|&n| size(TopicSet::Names, n, 0)).collect();
    // The control: the 1,000 generated topics and 9,000 more that these documents do not flag (the same shapes
    // and words in Cyrillic letters): what stored topics cost when they are not candidates.
    let control = opts.sizes.contains(&1_000) && opts.sizes.contains(&10_000);
    let russian = if control { generate::russian_topics(&vocab, 9_000, opts.seed, 1_001) } else { Vec::new() };
    if control {
        sizes.push(size(TopicSet::Control, 10_000, 9_000));
        // The stress test: the same two counts with topics of any words, which flag about twice as many
        // documents each.
        sizes.push(size(TopicSet::AnyWords, 1_000, 0));
        sizes.push(size(TopicSet::AnyWords, 10_000, 0));
    }
    let set = |s: &Size| -> Vec<(i64, String)> {
        match s.set {
            TopicSet::Names => all[..s.topics].to_vec(),
            TopicSet::Control => {
                let mut v = all[..s.topics - s.russian].to_vec();
                v.extend(russian.iter().take(s.russian).cloned());
                v
            }
            TopicSet::AnyWords => all_any[..s.topics].to_vec(),
        }
    };
    let mut prepare = Samples::default();
    let mut ok = true;
    for run in 1..=opts.runs {
        prepare.push(prepare_pass(docs));
        for s in &mut sizes {
            let (compile, matching, found) = matcher_pass(&set(s), docs)?;
            s.compile.push(compile);
            s.matching.push(matching);
            s.pairs = found.iter().map(Vec::len).sum();
            eprintln!(
                "  scaling run {run}/{}: {}, compile {} + match {}",
                opts.runs,
                s.label(),
                secs(compile),
                secs(matching)
            );
        }
    }
    // The topics each set verifies, counted outside the timed runs.
    let prepared: Vec<PreparedArticle> = docs.iter().map(|d| PreparedArticle::new(document(d))).collect();
    for s in &mut sizes {
        let topics = set(s);
        let matcher = Matcher::new(topics.iter().map(|(id, q)| (*id, q.as_str()))).map_err(|e| e.to_string())?;
        s.candidates = prepared.iter().map(|a| matcher.candidates(a)).sum();
    }
    drop(prepared);
    // The sets against the brute-force reference, once (it is slow: a larger set only while its time,
    // extrapolated from the smaller set's, stays under two minutes).
    let mut last: Option<(usize, Duration)> = None;
    for s in &mut sizes {
        let estimate = last.map_or(0.0, |(k, t)| t.as_secs_f64() * s.topics as f64 / k.max(1) as f64);
        if estimate > 120.0 {
            s.checked = format!("not checked (the reference would take about {estimate:.0} s)");
            continue;
        }
        let topics = &set(s);
        let (t, found) = reference_pass(topics, docs)?;
        last = Some((s.topics, t));
        let expected = pairs_of(docs, &found);
        let (_, _, found) = matcher_pass(topics, docs)?;
        let got = pairs_of(docs, &found);
        if got == expected {
            s.checked = format!("identical (the reference took {:.1} s)", t.as_secs_f64());
        } else {
            ok = false;
            let extra: Vec<_> = got.difference(&expected).take(5).collect();
            let missing: Vec<_> = expected.difference(&got).take(5).collect();
            s.checked = format!(
                "**DIFFERENT**: {} only in the Matcher, {} only in the reference",
                got.difference(&expected).count(),
                expected.difference(&got).count()
            );
            for (doc, topic) in extra.into_iter().chain(missing) {
                let q = &topics[*topic as usize - 1].1;
                eprintln!("  scaling, {} topics: differs on document {doc} × topic {topic} `{q}`", s.topics);
            }
        }
    }

    let n = docs.len();
    let (words, phrases, acronyms) = vocab.sizes();
    let (any_words_n, any_phrases_n, _) = any_words.sizes();
    let mut out = String::new();
    out.push_str(&format!(
        "### Scaling with the number of topics\n\nGenerated topics (seed {}): the default pack's world of terms \
         and the corpus's own names: {words} words and {phrases} two-word phrases written with capitals wherever \
         they occur (people, places, organisations), and {acronyms} acronyms; shapes among the {} topics: {}. \
         Over the {n} Luwak documents (titled with their decoded file names), in process, runs: {}, medians. \
         Preparing (tokenising) every document alone: {} ({:.0} µs a document). The rows \"any words\" are the \
         stress test: the same shapes written with any of the corpus's {any_words_n} words and {any_phrases_n} \
         phrases that are no stopwords, names or not (`might`, `\"same time\"`).\n\n",
        opts.seed,
        thousands(max),
        generate::shapes(&all)
            .into_iter()
            .map(|(shape, k)| format!("`{shape}` {}", thousands(k)))
            .collect::<Vec<_>>()
            .join(", "),
        opts.runs,
        secs(prepare.median()),
        prepare.median().as_secs_f64() * 1e6 / n as f64
    ));
    out.push_str(
        "| topics | compile | prepare + match, all documents | µs / document | documents/s | candidates verified per document | matches (per document) | against the reference |\n\
         |---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for s in &sizes {
        out.push_str(&format!(
            "| {} | {} | {} | {:.0} | {:.0} | {:.1} | {} ({:.1}) | {} |\n",
            s.label(),
            secs(s.compile.median()),
            secs(s.matching.median()),
            s.matching.median().as_secs_f64() * 1e6 / n as f64,
            per_s(n, s.matching.median()),
            s.candidates as f64 / n as f64,
            thousands(s.pairs),
            s.pairs as f64 / n as f64,
            s.checked
        ));
    }
    let at = |set: TopicSet, k: usize| sizes.iter().find(|s| s.set == set && s.topics == k);
    let p = prepare.median().as_secs_f64();
    let growth = |a: &Size, b: &Size, what: &str| {
        let (ta, tb) = (a.matching.median().as_secs_f64(), b.matching.median().as_secs_f64());
        format!(
            "\n{what}Time per document, 10,000 topics / 1,000 topics: **{:.2}×**. Beyond preparing \
             the document: {:.0} µs → {:.0} µs a document ({:.2}×), while the matches per document went from {:.1} \
             to {:.1} ({:.2}×) and the candidates verified from {:.1} to {:.1} ({:.2}×). Beyond preparing the \
             document, per match: {:.2} µs → {:.2} µs.\n",
            tb / ta.max(1e-9),
            (ta - p) * 1e6 / n as f64,
            (tb - p) * 1e6 / n as f64,
            (tb - p) / (ta - p).max(1e-9),
            a.pairs as f64 / n as f64,
            b.pairs as f64 / n as f64,
            b.pairs as f64 / (a.pairs as f64).max(1.0),
            a.candidates as f64 / n as f64,
            b.candidates as f64 / n as f64,
            b.candidates as f64 / (a.candidates as f64).max(1.0),
            (ta - p) * 1e6 / (a.pairs as f64).max(1.0),
            (tb - p) * 1e6 / (b.pairs as f64).max(1.0)
        )
    };
    if let (Some(a), Some(b)) = (at(TopicSet::Names, 1_000), at(TopicSet::Names, 10_000)) {
        out.push_str(&growth(a, b, "Goal: nearly flat. "));
        let ta = a.matching.median().as_secs_f64();
        if let Some(c) = at(TopicSet::Control, 10_000) {
            let tc = c.matching.median().as_secs_f64();
            out.push_str(&format!(
                "\nThe control, the 1,000 generated topics and 9,000 of the same shapes and words in Cyrillic letters \
                 (those 9,000 add {} candidates and {} matches over all documents): {:.0} µs a document, **{:.2}×** \
                 the 1,000 topics alone, with {:.1} candidates verified and {:.1} matches a document: what stored \
                 topics cost when they are not candidates.\n",
                c.candidates.saturating_sub(a.candidates),
                c.pairs.saturating_sub(a.pairs),
                tc * 1e6 / n as f64,
                tc / ta.max(1e-9),
                c.candidates as f64 / n as f64,
                c.pairs as f64 / n as f64
            ));
        }
    }
    if let (Some(a), Some(b)) = (at(TopicSet::AnyWords, 1_000), at(TopicSet::AnyWords, 10_000)) {
        out.push_str(&growth(a, b, "The stress test, topics of any words: "));
    }
    Ok((out, ok))
}

/// The backfill topics `(name, query, the same in FTS5 syntax)`: a selective query (2 of the 999 documents;
/// "rolling block" occurs in none) and a common word (about one document in eight).
const BACKFILL_TOPICS: &[(&str, &str, &str)] =
    &[("Civil war rifles", "\"civil war\" AND rifle*", "\"civil war\" AND rifle*"), ("Season", "season", "season")];

fn run_backfill(opts: &Options, docs: &[Doc], scratch: &Path) -> Res<String> {
    // Titled with their decoded file names, as stored articles have titles.
    let docs: Vec<Doc> =
        docs.iter().map(|d| Doc { id: d.id.clone(), title: backfill::title_of(&d.id), text: d.text.clone() }).collect();
    eprintln!("  backfill: building a database of {} articles", thousands(opts.articles));
    let built = backfill::build(&opts.mediawatch, scratch, &docs, opts.articles)?;
    eprintln!("  backfill: built in {} ({:.0} MB)", secs(built.build_time), built.bytes as f64 / 1e6);
    let mut open = Samples::default();
    let mut adds: Vec<Samples> = vec![Samples::default(); BACKFILL_TOPICS.len()];
    let mut found = vec![0i64; BACKFILL_TOPICS.len()];
    let mut fts = vec![(Samples::default(), 0i64); BACKFILL_TOPICS.len()];
    let out_file = scratch.join("backfill-out.json");
    for run in 1..=opts.runs {
        let db = backfill::fresh_copy(&built, scratch)?;
        let (t, _) = luwak::timed(
            Command::new(&opts.mediawatch).arg("--db").arg(&db).args(["--json", "topics", "list"]),
            &out_file,
        )?;
        open.push(t);
        for (i, (name, query, fts_query)) in BACKFILL_TOPICS.iter().enumerate() {
            let db = backfill::fresh_copy(&built, scratch)?;
            let (t, _) = luwak::timed(
                Command::new(&opts.mediawatch).arg("--db").arg(&db).args(["--json", "topics", "add", name, query]),
                &out_file,
            )?;
            adds[i].push(t);
            found[i] = backfill::mentions(&db, name)?;
            let (ft, count) = backfill::fts5_count(&db, fts_query)?;
            fts[i].0.push(ft);
            fts[i].1 = count;
            eprintln!("  backfill run {run}/{}: topics add {name:?} {} ({} mentions)", opts.runs, secs(t), found[i]);
        }
    }
    let _ = std::fs::remove_file(&built.path);

    let n = built.articles;
    let mut out = String::new();
    out.push_str(&format!(
        "### Backfill: adding a topic to a database of {} stored articles\n\n\
         The {} documents cycled (each copy with a suffix of its own), titled with their decoded file names; \
         {:.0} MB database, built in {} (schema by `mediawatch topics list`, rows by SQLite directly, FTS filled by {}). \
         Each run: a fresh copy of the database, then the command as a process; runs: {}, medians.\n\n",
        thousands(n),
        docs.len(),
        built.bytes as f64 / 1e6,
        secs(built.build_time),
        built.fts_fill,
        opts.runs
    ));
    out.push_str("| command | median | min | max | articles/s | mentions |\n|---|---:|---:|---:|---:|---:|\n");
    out.push_str(&format!(
        "| `mediawatch topics list` (process start, open the database) | {} | {} | {} | | |\n",
        secs(open.median()),
        secs(open.min()),
        secs(open.max())
    ));
    for (i, (_, query, _)) in BACKFILL_TOPICS.iter().enumerate() {
        out.push_str(&format!(
            "| `mediawatch topics add NAME '{query}'` | {} | {} | {} | {:.0} | {} |\n",
            secs(adds[i].median()),
            secs(adds[i].min()),
            secs(adds[i].max()),
            per_s(n, adds[i].median()),
            thousands(found[i] as usize)
        ));
    }
    out.push_str("\nFor reference, SQLite FTS5 alone on the same index (in process, count only):\n\n");
    out.push_str("| FTS5 query | median | articles found |\n|---|---:|---:|\n");
    for (i, (_, _, fts_query)) in BACKFILL_TOPICS.iter().enumerate() {
        out.push_str(&format!("| `{fts_query}` | {} | {} |\n", secs(fts[i].0.median()), thousands(fts[i].1 as usize)));
    }
    Ok(out)
}

pub fn run(opts: &Options) -> Res<()> {
    if !opts.mediawatch.is_file() {
        return Err(format!("{} is missing (cargo build --release -p mediawatch-cli)", opts.mediawatch.display()));
    }
    let machine = stats::machine(None);
    let python = python_versions(&opts.python);
    eprintln!("machine: {machine}; peer: {python}");
    let corpus = luwak::load(&opts.corpora.join("luwak"))?;
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut sections = Vec::new();
    let mut identical = true;
    if opts.wants(Part::Luwak) {
        let r = run_luwak(opts, &corpus, scratch.path())?;
        let (text, same) = luwak_report(opts, &corpus, &r);
        sections.push(text);
        identical &= same;
    }
    if opts.wants(Part::Scaling) {
        let titled: Vec<Doc> = corpus
            .docs
            .iter()
            .map(|d| Doc { id: d.id.clone(), title: backfill::title_of(&d.id), text: d.text.clone() })
            .collect();
        let (text, same) = run_scaling(opts, &titled)?;
        sections.push(text);
        identical &= same;
    }
    if opts.wants(Part::Backfill) {
        sections.push(run_backfill(opts, &corpus.docs, scratch.path())?);
    }
    let mut out = String::new();
    out.push_str("## Topic engine: stored-query matching\n\n");
    out.push_str(&format!(
        "Machine: {machine}; SQLite {} bundled with the binary; peer (b): {python}.\n\n",
        rusqlite::version()
    ));
    out.push_str(&sections.join("\n"));
    let mut parts: Vec<String> = opts.only.iter().map(|p| format!(" --only {p:?}").to_lowercase()).collect();
    if opts.sizes != [100, 1_000, 10_000] {
        parts.push(format!(" --sizes {}", opts.sizes.iter().map(usize::to_string).collect::<Vec<_>>().join(",")));
    }
    if opts.articles != 100_000 {
        parts.push(format!(" --articles {}", opts.articles));
    }
    out.push_str(&format!(
        "\nCommand: `mediawatch-bench topics {} --runs {} --python {} --mediawatch {}{}`\n",
        opts.corpora.display(),
        opts.runs,
        opts.python,
        opts.mediawatch.display(),
        parts.concat()
    ));
    println!("{out}");
    if identical {
        Ok(())
    } else {
        Err("the engines disagree on the (document, topic) pairs (listed above)".into())
    }
}
