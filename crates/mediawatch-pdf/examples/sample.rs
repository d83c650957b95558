//! Writes a 500-entry sample report: `cargo run --release --example sample -- out.pdf [N]`
//! Prints the seconds taken by `render` (font scan excluded, printed separately).
#[path = "common/gen.rs"]
mod gen;

use mediawatch_pdf::{render, Chart, Entry, Figure, Fonts, ReportDoc, Snippet};
use std::collections::BTreeMap;
use std::time::Instant;

fn sample(n: usize) -> ReportDoc {
    let raw = gen::entries(n);
    let mut per_topic: BTreeMap<&str, u64> = BTreeMap::new();
    let mut per_source: BTreeMap<String, u64> = BTreeMap::new();
    let mut per_lang: BTreeMap<&str, u64> = BTreeMap::new();
    let mut daily: BTreeMap<(String, u32), u64> = BTreeMap::new();
    for e in &raw {
        for t in &e.topics {
            *per_topic.entry(gen::TOPICS.iter().find(|x| *x == t).unwrap()).or_default() += 1;
            let day: u32 = e.date[8..].parse().unwrap();
            *daily.entry((t.clone(), day)).or_default() += 1;
        }
        *per_source.entry(e.source.clone()).or_default() += 1;
        *per_lang.entry(e.lang).or_default() += 1;
    }
    let mut sources: Vec<_> = per_source.into_iter().collect();
    sources.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    sources.truncate(10);
    let charts = gen::TOPICS
        .iter()
        .map(|t| Chart {
            title: format!("Volume: {t}"),
            days: (1..=30)
                .map(|d| (format!("2026-11-{d:02}"), daily.get(&(t.to_string(), d)).copied().unwrap_or(0)))
                .collect(),
        })
        .collect();
    let nsources = sources.len();
    ReportDoc {
        title: "BRICS, SCO and Belt and Road — November 2026".into(),
        scope: vec!["Topics: BRICS, SCO, Belt and Road".into(), "Sources: all".into(), "Languages: en, ru, zh".into()],
        period: "1 Nov 2026 – 30 Nov 2026 (UTC)".into(),
        generated_at: "7 Dec 2026 15:40 UTC".into(),
        counts: format!("{n} mentions in {} stories from {nsources}+ sources", n * 3 / 4),
        figures: vec![
            Figure {
                title: "Mentions per topic".into(),
                rows: per_topic.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            },
            Figure {
                title: "Per language".into(),
                rows: per_lang.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            },
            Figure { title: "Top sources".into(), rows: sources },
        ],
        charts,
        entries: raw
            .into_iter()
            .map(|e| Entry {
                title: e.title,
                url: Some(e.url),
                source: e.source,
                date: e.date,
                lang: Some(e.lang.to_string()),
                topics: e.topics,
                snippets: e.snippets.into_iter().map(|(text, highlights)| Snippet { text, highlights }).collect(),
                also_published_by: e.also,
                full_text: e.full_text,
            })
            .collect(),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "sample.pdf".into());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let t0 = Instant::now();
    let fonts = Fonts::system();
    eprintln!("font scan: {:.3}s ({} faces, families {:?})", t0.elapsed().as_secs_f64(), fonts.len(), fonts.families());
    let doc = sample(n);
    let t = Instant::now();
    let bytes = match render(&doc, &fonts) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let secs = t.elapsed().as_secs_f64();
    std::fs::write(&out, &bytes).expect("write pdf");
    println!("{secs:.3}");
    eprintln!("{} bytes → {out}", bytes.len());
}
