#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let mut pages = mediawatch_conformance::pages::readability_pages(&root.join("readability-test-pages")).unwrap();
    if let Ok(only) = std::env::var("ONLY") {
        pages.retain(|p| p.name == only);
    }
    let reps: usize = std::env::var("REPS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut per: Vec<(f64, String, usize)> = pages.iter().map(|p| (0.0, p.name.clone(), p.source.len())).collect();
    for _ in 0..reps {
        for (k, p) in pages.iter().enumerate() {
            let t = Instant::now();
            let _ = std::hint::black_box(mediawatch_core::extract::extract(&p.source, p.url, None));
            per[k].0 += t.elapsed().as_secs_f64() / reps as f64;
        }
    }
    let total: f64 = per.iter().map(|x| x.0).sum();
    per.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    println!("total {total:.3}");
    for (t, n, len) in per.iter().take(15) {
        println!("{:6.2} ms {:5.1}% {:8} B {:.1} MB/s  {n}", t * 1e3, t / total * 100.0, len, *len as f64 / t / 1e6);
    }
}
