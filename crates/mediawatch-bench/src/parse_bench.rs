//! `mediawatch-bench parse CORPORA_PATH`: throughput of `mediawatch_core::ingest::parse::parse_feed` (charset
//! rules + the feedparser-faithful parser with its relative-URL pass over embedded HTML + the item model) on the largest real feeds of the feed-rs and miniflux
//! corpora, side by side with `feed_rs::parser::parse` on the same bytes, in the same run.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::stats::{self, Samples};

pub struct Options {
    pub corpora: PathBuf,
    /// The largest files taken from each corpus.
    pub top: usize,
    /// Timed samples per file and parser; each sample repeats the parse for at least `sample_time`.
    pub samples: usize,
    pub sample_time: Duration,
}

type Res<T> = std::result::Result<T, String>;

fn xml_files(dir: &Path, out: &mut Vec<(u64, PathBuf)>) -> Res<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        if path.is_dir() {
            xml_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push((entry.metadata().map_err(|e| e.to_string())?.len(), path));
        }
    }
    Ok(())
}

/// The median time of one call of `f`, from `samples` samples of enough repetitions to last `sample_time`.
fn time_per_call(samples: usize, sample_time: Duration, mut f: impl FnMut()) -> Duration {
    // Calibrate: how many calls fill one sample.
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < sample_time / 4 || calls < 3 {
        f();
        calls += 1;
    }
    let reps = (f64::from(calls) * sample_time.as_secs_f64() / start.elapsed().as_secs_f64()).ceil().max(1.0) as u32;
    let mut s = Samples::default();
    for _ in 0..samples {
        let start = Instant::now();
        for _ in 0..reps {
            f();
        }
        s.push(start.elapsed() / reps);
    }
    s.median()
}

struct Row {
    name: String,
    bytes: usize,
    items: Option<usize>,
    mw: Option<Duration>,
    feedrs_items: Option<usize>,
    feedrs: Option<Duration>,
}

pub fn run(opts: &Options) -> Res<()> {
    let machine = stats::machine(None);
    eprintln!("machine: {machine}");
    let mut chosen = Vec::new();
    for corpus in ["feed-rs", "miniflux-encoding-fixtures"] {
        let dir = opts.corpora.join(corpus);
        if !dir.is_dir() {
            return Err(format!("the corpus folder {} is absent", dir.display()));
        }
        let mut files = Vec::new();
        xml_files(&dir, &mut files)?;
        files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        chosen.extend(files.into_iter().take(opts.top).map(|(_, p)| (corpus, p)));
    }
    let mut rows = Vec::new();
    for (corpus, path) in &chosen {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = format!("{corpus}/…/{}", path.file_name().unwrap_or_default().to_string_lossy());
        let mw_items = mediawatch_core::ingest::parse::parse_feed(&bytes, None, None).ok().map(|f| f.items.len());
        let feedrs_items = feed_rs::parser::parse(bytes.as_slice()).ok().map(|f| f.entries.len());
        let mw = mw_items.map(|_| {
            time_per_call(opts.samples, opts.sample_time, || {
                black_box(mediawatch_core::ingest::parse::parse_feed(black_box(&bytes), None, None).ok());
            })
        });
        let feedrs = feedrs_items.map(|_| {
            time_per_call(opts.samples, opts.sample_time, || {
                black_box(feed_rs::parser::parse(black_box(bytes.as_slice())).ok());
            })
        });
        eprintln!("  {name}: mediawatch {mw:?}, feed-rs {feedrs:?}");
        rows.push(Row { name, bytes: bytes.len(), items: mw_items, mw, feedrs_items, feedrs });
    }

    let mbps = |bytes: usize, t: Duration| bytes as f64 / 1e6 / t.as_secs_f64();
    let per_s = |items: usize, t: Duration| items as f64 / t.as_secs_f64();
    let cell = |v: Option<String>| v.unwrap_or_else(|| "error".into());
    let mut out = String::new();
    out.push_str(&format!(
        "Feed parsing throughput: the {} largest `*.xml` feeds of each corpus, {} samples of ≥ {} ms each, medians\n\n",
        opts.top,
        opts.samples,
        opts.sample_time.as_millis()
    ));
    out.push_str(&format!("Machine: {machine}\n\n"));
    out.push_str(
        "| feed | size | items | Mediawatch `parse_feed` MB/s | items/s | `feed_rs::parser::parse` MB/s | items/s | Mediawatch time / feed-rs time |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let (mut total_bytes, mut total_items, mut total_mw, mut total_fr) =
        (0usize, 0usize, Duration::ZERO, Duration::ZERO);
    for r in &rows {
        if let (Some(items), Some(mw), Some(fr)) = (r.items, r.mw, r.feedrs) {
            total_bytes += r.bytes;
            total_items += items;
            total_mw += mw;
            total_fr += fr;
        }
        let items = match (r.items, r.feedrs_items) {
            (Some(a), Some(b)) if a != b => format!("{a} (feed-rs {b})"),
            (Some(a), _) => a.to_string(),
            (None, Some(b)) => format!("— (feed-rs {b})"),
            (None, None) => "—".into(),
        };
        out.push_str(&format!(
            "| {} | {:.1} kB | {items} | {} | {} | {} | {} | {} |\n",
            r.name,
            r.bytes as f64 / 1e3,
            cell(r.mw.map(|t| format!("{:.1}", mbps(r.bytes, t)))),
            cell(r.mw.zip(r.items).map(|(t, n)| format!("{:.0}", per_s(n, t)))),
            cell(r.feedrs.map(|t| format!("{:.1}", mbps(r.bytes, t)))),
            cell(r.feedrs.zip(r.feedrs_items).map(|(t, n)| format!("{:.0}", per_s(n, t)))),
            cell(r.mw.zip(r.feedrs).map(|(a, b)| format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64()))),
        ));
    }
    if !total_mw.is_zero() && !total_fr.is_zero() {
        out.push_str(&format!(
            "| **all files both parse** | {:.1} kB | {total_items} | {:.1} | {:.0} | {:.1} | {:.0} | {:.2}× |\n",
            total_bytes as f64 / 1e3,
            mbps(total_bytes, total_mw),
            per_s(total_items, total_mw),
            mbps(total_bytes, total_fr),
            per_s(total_items, total_fr),
            total_mw.as_secs_f64() / total_fr.as_secs_f64()
        ));
    }
    out.push_str(&format!("\nCommand: `mediawatch-bench parse {}`\n", opts.corpora.display()));
    println!("{out}");
    Ok(())
}
