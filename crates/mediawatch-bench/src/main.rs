//! `mediawatch-bench`: Mediawatch's benchmarks, each side by side with a peer measured in the same run.
//! Results go to BENCHMARKS.md (`make bench` runs them all).
//!
//! - `refresh`: feeds × items on one loopback host per feed; the `mediawatch` release binary's cold and
//!   unchanged `fetch --all` against `newsboat -x reload` on the same URLs.
//! - `parse CORPORA_PATH`: `mediawatch_core::ingest::parse::parse_feed` against `feed_rs::parser::parse` on the
//!   largest real feeds of the feed-rs and miniflux corpora (never copied into the repository).
//! - `extract CORPORA_PATH`: article extraction, `mediawatch_core::articles::extract::extract` in process against
//!   Python trafilatura (`peers/trafilatura_extract.py`, run by `--python`) on mozilla/readability's test
//!   pages and the Chinese web content extraction dataset: median pages/s and MB/s, and both sides' shingle F1
//!   scored as the conformance suites score it (`mediawatch_conformance::{pages, shingle}`).
//! - `ingest CORPORA_PATH`: the whole pipeline (fetch feeds and article pages from loopback hosts, parse,
//!   extract, language, fingerprint, match, store) as one in-process fetch cycle, its stage breakdown, and a
//!   Python feedparser + trafilatura pipeline (`peers/python_ingest.py`) over the same server.
//! - `reports`: `mediawatch export` of generated flagged articles: XLSX and CSV (20,000) and PDF (500) against
//!   openpyxl and WeasyPrint (`peers/openpyxl_write.py`, `peers/weasyprint_pdf.py`), peak memory at 100,000.
//! - `desktop`: a generated database of a million articles built through `Mediawatch::import`, and the calls
//!   the window makes (Overview, Topics, Mentions pages and paging, Search, the reader, the Reports count)
//!   timed at the core's API: p50 and p95 against the 100 ms (200 ms for counts).
//! - `memory --app PATH --db PATH`: the idle memory (PSS, RSS, USS of the process tree) of the Mediawatch
//!   window holding a large database, side by side with Liferea subscribed to as many local feeds, each in a
//!   throw-away HOME under one Xvfb display of the bench's own.
//! - `topics CORPORA_PATH`: the topic engine on the Luwak workload (2,000 stored queries, 999 documents):
//!   `mediawatch match` as a process against a Python sqlite3 FTS5 peer (`peers/fts5_match.py`), every
//!   engine's pairs checked against the brute-force reference; scaling to 10,000 generated topics; the
//!   backfill of `topics add` over 100,000 stored articles.

/// The allocator: html5ever and the DOM allocate per node and per text run (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod alerts_bench;
mod desktop_bench;
mod extract_bench;
mod feeds;
mod ingest;
mod memory_bench;
mod parse_bench;
mod refresh;
mod reports_bench;
mod server;
mod stats;
mod topics;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "mediawatch-bench", about = "Mediawatch's benchmarks, side by side with a peer.")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

/// The generated feeds: how many, how many items each, and the seed of their content.
#[derive(clap::Args)]
struct FeedSet {
    #[arg(long, default_value_t = 300)]
    feeds: usize,
    #[arg(long, default_value_t = 50)]
    items: usize,
    /// Seed of the generated feeds' content.
    #[arg(long, default_value_t = 20_250_303)]
    seed: u64,
}

#[derive(Subcommand)]
enum Cmd {
    /// Feed refresh: Mediawatch's `fetch --all` (cold, unchanged) against `newsboat -x reload`.
    Refresh {
        /// Runs per scenario (medians are reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        #[command(flatten)]
        set: FeedSet,
        /// The `mediawatch` binary to measure.
        #[arg(long, default_value = "target/release/mediawatch")]
        mediawatch: PathBuf,
        /// The newsboat binary.
        #[arg(long, default_value = "newsboat")]
        newsboat: String,
        /// Measure Mediawatch alone.
        #[arg(long)]
        no_newsboat: bool,
        /// Skip newsboat's default single-thread reference runs.
        #[arg(long)]
        no_single_thread: bool,
    },
    /// Serves the refresh benchmark's feeds until interrupted and writes `feeds.opml` and `urls` into DIR
    /// (to profile a single `mediawatch fetch --all` or `newsboat -x reload` by hand).
    Serve {
        dir: PathBuf,
        #[command(flatten)]
        set: FeedSet,
    },
    /// Feed parsing throughput on the feed-rs and miniflux corpora.
    Parse {
        /// The corpora folder (`../shared/corpora` from the repository root).
        corpora: PathBuf,
        /// The largest `*.xml` files taken from each corpus.
        #[arg(long, default_value_t = 5)]
        top: usize,
        #[arg(long, default_value_t = 7)]
        samples: usize,
        /// Minimum duration of one sample, in milliseconds.
        #[arg(long, default_value_t = 300)]
        sample_ms: u64,
    },
    /// Article extraction throughput and quality, Mediawatch against Python trafilatura, on the readability
    /// test pages and the Chinese web content extraction dataset.
    Extract {
        /// The corpora folder (`../shared/corpora` from the repository root).
        corpora: PathBuf,
        /// Timed passes over each set per extractor (medians are reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// The Python interpreter with trafilatura installed (`make bench` uses target/bench-venv/bin/python).
        #[arg(long, default_value = "python3")]
        python: String,
    },
    /// The ingest pipeline: one fetch cycle over feeds of teasers linking to real article pages, with the
    /// stage breakdown, against a Python feedparser + trafilatura pipeline.
    Ingest {
        /// The corpora folder (`../shared/corpora` from the repository root): the pages served.
        corpora: PathBuf,
        /// Hosts (one feed each; the pages are spread over them).
        #[arg(long, default_value_t = 20)]
        feeds: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// The Python interpreter with feedparser and trafilatura (`make bench` uses target/bench-venv/bin/python).
        #[arg(long)]
        python: Option<String>,
    },
    /// Alerts: the latency from a stored matching article to the webhook receiver's answer (against a bare
    /// POST of the same body), and what 1,000 rules add to a cold 300-feed cycle.
    Alerts {
        /// Latency runs (the cycle comparison runs a quarter as many, at least 3).
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Reports: `mediawatch export` (XLSX and CSV of 20,000 mentions, PDF of 500) against openpyxl and
    /// WeasyPrint writing the same rows, and the peak memory of 100,000-mention XLSX and CSV exports.
    Reports {
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// The Python with openpyxl and weasyprint (the peers); without it only Mediawatch is measured.
        #[arg(long)]
        python: Option<String>,
        #[arg(long, default_value = "target/release/mediawatch")]
        mediawatch: PathBuf,
        /// Generated articles in the database.
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
    },
    /// The analyst's desktop at scale: a generated database of a million articles (300 sources, 50 topics)
    /// built through the real write path, and the calls the window makes timed at the core's API (p50, p95).
    Desktop {
        /// Articles in the generated database.
        #[arg(long, default_value_t = 1_000_000)]
        articles: usize,
        /// Seed of the generated articles and topics.
        #[arg(long, default_value_t = 20_261_207)]
        seed: u64,
        /// Timed repeats per call.
        #[arg(long, default_value_t = 30)]
        runs: usize,
        /// Keep the database here, and reuse it when it was built with the same size and seed.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Idle memory: the Mediawatch window with a large database, side by side with Liferea holding as many
    /// feeds (served locally), each app in a throw-away HOME under an Xvfb display of its own.
    Memory {
        /// The Mediawatch app binary (`make ui && cargo build --release -p mediawatch-app`).
        #[arg(long, default_value = "target/release/mediawatch-app")]
        app: PathBuf,
        /// The database the app opens, in place (e.g. one `mediawatch-bench desktop --db` built).
        #[arg(long)]
        db: PathBuf,
        #[command(flatten)]
        set: FeedSet,
        /// Seconds the window is left alone, once up and quiet, before memory is read.
        #[arg(long, default_value_t = 60)]
        idle_secs: u64,
        /// Runs, each app in turn (medians are reported).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// The Liferea binary.
        #[arg(long, default_value = "liferea")]
        liferea: String,
        /// Measure Mediawatch alone.
        #[arg(long)]
        no_liferea: bool,
        /// Save the screen of each app's first run as PNG here.
        #[arg(long)]
        screenshots: Option<PathBuf>,
        /// Seconds each app may take to show its window, fetch and go quiet.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// The topic engine: the Luwak workload (`mediawatch match` against a Python sqlite3 FTS5 peer, pairs
    /// checked against the brute-force reference), scaling with the number of topics, and the backfill of
    /// `topics add` over stored articles.
    Topics {
        /// The corpora folder (`../shared/corpora` from the repository root): `luwak/` is read.
        corpora: PathBuf,
        /// Runs per scenario, interleaved (medians are reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// The Python 3 interpreter of the FTS5 peer (standard library only).
        #[arg(long, default_value = "python3")]
        python: String,
        /// The `mediawatch` binary to measure.
        #[arg(long, default_value = "target/release/mediawatch")]
        mediawatch: PathBuf,
        /// Run only these parts (repeatable; all by default).
        #[arg(long, value_enum)]
        only: Vec<topics::Part>,
        /// Topic counts of the scaling part.
        #[arg(long, value_delimiter = ',', default_value = "100,1000,10000")]
        sizes: Vec<usize>,
        /// Stored articles of the backfill part.
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
        /// Seed of the generated topics.
        #[arg(long, default_value_t = 20_261_203)]
        seed: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::Refresh { runs, set, mediawatch, newsboat, no_newsboat, no_single_thread } => {
            if !mediawatch.is_file() {
                eprintln!(
                    "mediawatch-bench: {} is missing (cargo build --release -p mediawatch-cli)",
                    mediawatch.display()
                );
                return ExitCode::from(2);
            }
            refresh::run(&refresh::Options {
                runs: runs.max(1),
                feeds: set.feeds.max(1),
                items: set.items.max(1),
                seed: set.seed,
                mediawatch,
                newsboat: (!no_newsboat).then_some(newsboat),
                newsboat_single: !no_single_thread,
            })
        }
        Cmd::Alerts { runs } => alerts_bench::run(runs).map(|report| print!("{report}")),
        Cmd::Reports { runs, python, mediawatch, articles } => reports_bench::run(&reports_bench::Options {
            mediawatch,
            python,
            runs: runs.max(1),
            articles: articles.max(1),
        })
        .map(|report| print!("{report}")),
        Cmd::Desktop { articles, seed, runs, db } => {
            desktop_bench::run(&desktop_bench::Options { articles: articles.max(1), seed, runs: runs.max(1), db })
                .map(|report| print!("{report}"))
        }
        Cmd::Memory { app, db, set, idle_secs, runs, liferea, no_liferea, screenshots, timeout } => {
            memory_bench::run(&memory_bench::Options {
                app,
                db,
                feeds: set.feeds.max(1),
                items: set.items.max(1),
                seed: set.seed,
                idle_secs,
                runs: runs.max(1),
                liferea: (!no_liferea).then_some(liferea),
                shots: screenshots,
                timeout_secs: timeout.max(1),
            })
            .map(|report| print!("{report}"))
        }
        Cmd::Serve { dir, set } => refresh::serve(&dir, set.feeds.max(1), set.items.max(1), set.seed),
        Cmd::Parse { corpora, top, samples, sample_ms } => parse_bench::run(&parse_bench::Options {
            corpora,
            top: top.max(1),
            samples: samples.max(1),
            sample_time: Duration::from_millis(sample_ms.max(1)),
        }),
        Cmd::Extract { corpora, runs, python } => {
            extract_bench::run(&extract_bench::Options { corpora, runs: runs.max(1), python })
        }
        Cmd::Ingest { corpora, feeds, runs, python } => {
            ingest::run(&ingest::IngestOptions { corpora, feeds: feeds.max(1), runs: runs.max(1), python })
                .map(|report| println!("{report}"))
        }
        Cmd::Topics { corpora, runs, python, mediawatch, only, sizes, articles, seed } => {
            topics::run(&topics::Options {
                corpora,
                runs: runs.max(1),
                python,
                mediawatch,
                only,
                sizes: sizes.into_iter().filter(|&n| n > 0).collect(),
                articles: articles.max(1),
                seed,
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mediawatch-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
