#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = std::path::Path::new(&args[1]);
    let passes: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let pages = mediawatch_conformance::pages::readability_pages(&root.join("readability-test-pages")).unwrap();
    let mut times = Vec::new();
    let mut f1 = 0.0;
    for _ in 0..passes {
        let t = Instant::now();
        let out: Vec<_> = pages
            .iter()
            .map(|p| mediawatch_core::extract::extract(std::hint::black_box(&p.source), p.url, None))
            .collect();
        times.push(t.elapsed().as_secs_f64());
        if times.len() < passes {
            continue;
        }
        let (mut sp, mut sr) = (0.0, 0.0);
        for (p, o) in pages.iter().zip(&out) {
            let (a, b) = p.score(o.as_ref().map(|x| x.text.as_str()).unwrap_or(""));
            if std::env::var("PAGE").ok().as_deref() == Some(p.name.as_str()) {
                std::fs::write("/tmp/page.txt", o.as_ref().map(|x| x.text.as_str()).unwrap_or("")).unwrap();
            }
            if let Ok(d) = std::env::var("DUMPDIR") {
                std::fs::write(format!("{d}/{}", p.name), o.as_ref().map(|x| x.text.as_str()).unwrap_or("")).unwrap();
            }
            if std::env::var("DUMP").is_ok() {
                println!("{} {:.4} {:.4}", p.name, a, b);
            }
            sp += a;
            sr += b;
        }
        let n = pages.len() as f64;
        let (pp, rr) = (sp / n, sr / n);
        f1 = 2.0 * pp * rr / (pp + rr);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("median {:.3}s min {:.3}s  F1 {:.4}", times[times.len() / 2], times[0], f1);
}
