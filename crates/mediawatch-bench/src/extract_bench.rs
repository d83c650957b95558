//! `mediawatch-bench extract CORPORA_PATH`: article extraction, Mediawatch against Python trafilatura on the
//! same pages in the same run.
//!
//! Two sets, read by the conformance harness's own loaders (`mediawatch_conformance::pages`): mozilla/
//! readability's test pages (`readability-test-pages`, extracted with the URL readability's harness uses) and
//! the Chinese web content extraction dataset (`chinese-web-content-extraction`, bytes alone: no URL, no
//! header). All bytes are read before timing. Mediawatch: `--runs` timed passes of
//! `mediawatch_core::articles::extract::extract(bytes, url, None)` over the whole set, single thread, in this process.
//! trafilatura: `peers/trafilatura_extract.py` (embedded in this binary) run by `--python` with
//! `--interleave`: it imports trafilatura and reads the same files (not timed), then times, on request, a pass
//! of `trafilatura.extract(bytes, url=…, output_format="txt", include_comments=False, include_tables=True)`
//! over the set, single-threaded in its process, and at the end returns its per-pass seconds and last texts.
//! The passes alternate (Mediawatch, trafilatura, Mediawatch, …) so that both see the same machine load.
//! Both sides' texts are scored here with the conformance suites' shingle F1, so the Mediawatch F1 is the
//! `readability`/`chinese` suites' F1.

use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use mediawatch_conformance::pages::{chinese_pages, readability_pages, Page};
use mediawatch_conformance::shingle::corpus_scores;
use serde_json::Value;

use crate::stats::{self, Samples};

const PEER_SCRIPT: &str = include_str!("../peers/trafilatura_extract.py");

pub struct Options {
    pub corpora: PathBuf,
    pub runs: usize,
    /// The Python interpreter that has trafilatura installed.
    pub python: String,
}

type Res<T> = std::result::Result<T, String>;

/// Loads one set's pages from its corpus folder.
type Loader = fn(&Path) -> Res<Vec<Page>>;

/// One side's measurement of one set.
struct Side {
    times: Samples,
    /// Mean precision, mean recall, F1 of the means.
    scores: (f64, f64, f64),
    /// Pages the extractor failed on (error or no text); they score 0.
    failed: usize,
}

struct Peer {
    side: Side,
    version: String,
    python: String,
}

fn score(pages: &[Page], texts: &[String]) -> (f64, f64, f64) {
    let per_doc: Vec<(f64, f64)> = pages.iter().zip(texts).map(|(p, t)| p.score(t)).collect();
    corpus_scores(&per_doc)
}

/// Mediawatch's side: the texts of its last pass, scored once the passes are done.
struct Ours {
    passes: usize,
    times: Samples,
    texts: Vec<mediawatch_core::Result<mediawatch_core::articles::extract::Extracted>>,
}

impl Ours {
    /// One timed pass of `extract` over the whole set.
    fn pass(&mut self, pages: &[Page]) {
        let start = Instant::now();
        let out: Vec<_> = pages
            .iter()
            .map(|p| mediawatch_core::articles::extract::extract(black_box(&p.source), p.url, None))
            .collect();
        let t = start.elapsed();
        self.passes += 1;
        eprintln!("  mediawatch: pass {} in {}", self.passes, stats::secs(t));
        self.times.push(t);
        self.texts = black_box(out);
    }

    fn finish(self, pages: &[Page]) -> Side {
        let failed = self.texts.iter().filter(|r| r.is_err()).count();
        for (page, r) in pages.iter().zip(&self.texts) {
            if let Err(e) = r {
                eprintln!("  mediawatch failed on {}: {e}", page.name);
            }
        }
        let texts: Vec<String> = self.texts.into_iter().map(|r| r.map(|x| x.text).unwrap_or_default()).collect();
        Side { times: self.times, scores: score(pages, &texts), failed }
    }
}

/// The trafilatura script running with `--interleave`: one timed pass per request, idle in between.
struct PeerProcess {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    python: String,
}

impl PeerProcess {
    /// Starts the script on the set's files and waits until it has imported trafilatura and read them.
    fn start(pages: &[Page], opts: &Options, scratch: &Path) -> Res<PeerProcess> {
        let script = scratch.join("trafilatura_extract.py");
        std::fs::write(&script, PEER_SCRIPT).map_err(|e| e.to_string())?;
        let list: Vec<Value> =
            pages.iter().map(|p| serde_json::json!({ "path": p.path.to_string_lossy(), "url": p.url })).collect();
        let list_path = scratch.join("pages.json");
        std::fs::write(&list_path, serde_json::to_vec(&list).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        let mut child = Command::new(&opts.python)
            .arg(&script)
            .arg(&list_path)
            .arg("--interleave")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", opts.python))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err("the peer's pipes are missing".into());
        };
        let mut peer = PeerProcess { child, stdin, stdout: BufReader::new(stdout), python: opts.python.clone() };
        let ready = peer.message()?;
        if ready["ready"] != Value::Bool(true) {
            return Err(format!("unexpected first message from the peer: {ready}"));
        }
        Ok(peer)
    }

    /// The next line of JSON on the script's stdout.
    fn message(&mut self) -> Res<Value> {
        let mut line = String::new();
        let n = self.stdout.read_line(&mut line).map_err(|e| e.to_string())?;
        if n == 0 {
            let status = self.child.wait().map_err(|e| e.to_string())?;
            return Err(format!(
                "{} trafilatura_extract.py ended early ({status}); is trafilatura installed for it? \
                 (pip install trafilatura==2.3.1 lxml_html_clean)",
                self.python
            ));
        }
        serde_json::from_str(&line).map_err(|e| format!("the peer's output is not JSON: {e}"))
    }

    fn send(&mut self, command: &str) -> Res<()> {
        writeln!(self.stdin, "{command}").and_then(|()| self.stdin.flush()).map_err(|e| e.to_string())
    }

    /// One timed pass, run by the script (the time is the script's own, read from its answer).
    fn pass(&mut self) -> Res<()> {
        self.send("pass")?;
        let answer = self.message()?;
        answer["seconds"].as_f64().map(|_| ()).ok_or_else(|| format!("unexpected answer from the peer: {answer}"))
    }

    /// Ends the script; its per-pass seconds and last pass's texts, scored.
    fn finish(mut self, pages: &[Page]) -> Res<Peer> {
        self.send("end")?;
        let v = self.message()?;
        let _ = self.child.wait();
        let mut times = Samples::default();
        for s in v["runs_seconds"].as_array().into_iter().flatten().filter_map(Value::as_f64) {
            times.push(Duration::from_secs_f64(s));
        }
        let texts: Vec<String> =
            v["texts"].as_array().into_iter().flatten().map(|t| t.as_str().unwrap_or_default().to_string()).collect();
        if texts.len() != pages.len() {
            return Err(format!("the peer returned {} texts for {} pages", texts.len(), pages.len()));
        }
        let errors = v["errors"].as_array().map_or(0, Vec::len);
        for e in v["errors"].as_array().into_iter().flatten().take(5) {
            eprintln!("  trafilatura error: {}", e.as_str().unwrap_or_default());
        }
        let none = v["none"].as_u64().unwrap_or(0) as usize;
        for (page, text) in pages.iter().zip(&texts) {
            if text.is_empty() {
                eprintln!("  trafilatura: no text for {}", page.name);
            }
        }
        Ok(Peer {
            side: Side { times, scores: score(pages, &texts), failed: none.max(errors) },
            version: v["trafilatura"].as_str().unwrap_or("unknown").to_string(),
            python: v["python"].as_str().unwrap_or("unknown").to_string(),
        })
    }
}

struct SetResult {
    name: &'static str,
    pages: usize,
    bytes: usize,
    mw: Side,
    peer: Peer,
}

pub fn run(opts: &Options) -> Res<()> {
    let machine = stats::machine(None);
    eprintln!("machine: {machine}");
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    let sets: [(&'static str, &str, Loader); 2] = [
        ("readability test pages", "readability-test-pages", readability_pages),
        ("Chinese pages (bytes alone)", "chinese-web-content-extraction", chinese_pages),
    ];
    for (name, folder, load) in sets {
        let dir = opts.corpora.join(folder);
        if !dir.is_dir() {
            return Err(format!("the corpus folder {} is absent", dir.display()));
        }
        let pages = load(&dir)?;
        let bytes = pages.iter().map(|p| p.source.len()).sum();
        eprintln!("{name}: {} pages, {:.1} MB", pages.len(), bytes as f64 / 1e6);
        // Interleaved: a Mediawatch pass, then a trafilatura pass, `runs` times (the script idles in between).
        let mut peer = PeerProcess::start(&pages, opts, scratch.path())?;
        let mut ours = Ours { passes: 0, times: Samples::default(), texts: Vec::new() };
        for _ in 0..opts.runs {
            ours.pass(&pages);
            peer.pass()?;
        }
        let mw = ours.finish(&pages);
        let peer = peer.finish(&pages)?;
        results.push(SetResult { name, pages: pages.len(), bytes, mw, peer });
    }
    println!("{}", report(opts, &machine, &results));
    Ok(())
}

fn report(opts: &Options, machine: &str, results: &[SetResult]) -> String {
    let mut out = String::new();
    let (version, python) = results.first().map_or(("?", "?"), |r| (r.peer.version.as_str(), r.peer.python.as_str()));
    out.push_str(&format!(
        "Article extraction: Mediawatch `extract::extract` vs trafilatura {version} ({python}), {} timed passes over each set per extractor, interleaved, single thread, medians\n\n",
        opts.runs
    ));
    out.push_str(&format!("Machine: {machine}\n\n"));
    out.push_str(
        "| set | extractor | pages | input | runs | median | min | max | pages/s | MB/s | precision | recall | F1 | failed |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in results {
        for (who, side) in [("Mediawatch", &r.mw), ("trafilatura", &r.peer.side)] {
            let t = side.times.median().as_secs_f64();
            let (p, rc, f) = side.scores;
            out.push_str(&format!(
                "| {} | {who} | {} | {:.1} MB | {} | {:.3} s | {:.3} s | {:.3} s | {:.1} | {:.2} | {p:.3} | {rc:.3} | {f:.3} | {} |\n",
                r.name,
                r.pages,
                r.bytes as f64 / 1e6,
                opts.runs,
                t,
                side.times.min().as_secs_f64(),
                side.times.max().as_secs_f64(),
                r.pages as f64 / t,
                r.bytes as f64 / 1e6 / t,
                side.failed,
            ));
        }
    }
    out.push_str(
        "\n| set | throughput Mediawatch / trafilatura (ratio of median times) | ratio of min times | F1 Mediawatch − trafilatura |\n\
         |---|---:|---:|---:|\n",
    );
    for r in results {
        out.push_str(&format!(
            "| {} | {:.2}× | {:.2}× | {:+.3} |\n",
            r.name,
            ratio(&r.mw, &r.peer.side),
            r.peer.side.times.min().as_secs_f64() / r.mw.times.min().as_secs_f64(),
            r.mw.scores.2 - r.peer.side.scores.2
        ));
    }
    if let Some(r) = results.first() {
        let x = ratio(&r.mw, &r.peer.side);
        let met = x >= 10.0 && r.mw.scores.2 >= r.peer.side.scores.2;
        out.push_str(&format!(
            "\nGoal (readability pages: ≥ 10× trafilatura's throughput at equal or better F1): {} ({x:.2}×, F1 {:.3} vs {:.3})\n",
            if met { "met" } else { "NOT met" },
            r.mw.scores.2,
            r.peer.side.scores.2
        ));
    }
    out.push_str(
        "\nBoth sides get the raw bytes and decode them themselves (the Chinese pages: no URL, no header, \"from their bytes alone\"); \
         the readability pages get the URL http://fakehost/test/page.html. F1: shingle F1 of the conformance harness (4-word shingles; \
         4-character shingles for Chinese), precision and recall are means over pages. MB/s: input bytes. Failed: extractor error or no text (scored 0).\n",
    );
    out.push_str(&format!(
        "\nCommand: `mediawatch-bench extract {} --runs {} --python {}`\n",
        opts.corpora.display(),
        opts.runs,
        opts.python
    ));
    out
}

fn ratio(mw: &Side, peer: &Side) -> f64 {
    peer.times.median().as_secs_f64() / mw.times.median().as_secs_f64()
}
