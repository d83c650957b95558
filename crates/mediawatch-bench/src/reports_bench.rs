//! Reports: `mediawatch export` as the analyst runs it, on a database of generated flagged articles
//! (English, Russian and Chinese, 40 sources, 60 days, stored through `mediawatch import` so that topics,
//! languages and stories are the pipeline's own), against the established tools writing the same rows:
//! Python's openpyxl for XLSX (20,000 mentions), WeasyPrint printing our HTML export for PDF (500). CSV has
//! no peer worth the name (it is a loop of writes) and is measured against its 2 s goal; the peak memory of
//! 100,000-mention XLSX and CSV exports comes from `/usr/bin/time -v`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::stats::{machine, secs, Samples};

pub struct Options {
    pub mediawatch: PathBuf,
    pub python: Option<String>,
    pub runs: usize,
    pub articles: usize,
}

type Res<T> = Result<T, String>;

const TOPICS: [(&str, &str); 4] = [
    ("BRICS", "BRICS OR БРИКС OR 金砖"),
    ("SCO", "SCO OR \"Shanghai Cooperation Organisation\" OR ШОС OR 上合组织"),
    ("Visa policy", "visa* OR безвиз* OR виз* OR 免签"),
    ("Belt and Road", "\"Belt and Road\" OR \"One Belt, One Road\" OR 一带一路"),
];

/// A generated article of the benchmark's database.
fn article(i: usize, rng: &mut fastrand::Rng) -> serde_json::Value {
    const EN: [&str; 6] = [
        "BRICS foreign ministers met in Moscow to discuss settlements in national currencies and reform of the UN Security Council.",
        "The Shanghai Cooperation Organisation summit agreed on a joint statement on regional security, the SCO said.",
        "Visa-free travel for tour groups between Russia and China was extended for another year, officials said.",
        "Belt and Road projects in Central Asia drew new financing from the New Development Bank this quarter.",
        "Analysts expect trade between the members to grow as new payment systems come online next year.",
        "Officials said the talks were frank and constructive and that proposals would be presented at the summit.",
    ];
    const RU: [&str; 5] = [
        "Министры иностранных дел стран БРИКС обсудили в Москве расчеты в национальных валютах.",
        "Саммит ШОС принял совместное заявление о региональной безопасности.",
        "Безвизовый режим для туристических групп между Россией и Китаем продлен еще на год.",
        "Эксперты ожидают роста торговли между странами-участницами в следующем году.",
        "Переговоры прошли в откровенной и конструктивной атмосфере, сообщили дипломаты.",
    ];
    const ZH: [&str; 5] = [
        "金砖国家外长在莫斯科讨论了本币结算问题。",
        "上合组织峰会就地区安全问题发表联合声明。",
        "中俄团体旅游免签政策延长一年。",
        "一带一路项目在中亚获得新开发银行的新融资。",
        "分析人士预计成员国之间的贸易明年将继续增长。",
    ];
    let (lang, pool): (&str, &[&str]) = match i % 5 {
        0..=2 => ("en", &EN),
        3 => ("ru", &RU),
        _ => ("zh", &ZH),
    };
    // Two sentences from the pool (the topics' words) and a paragraph of words of its own, so that the
    // articles are distinct stories (shared sentences alone would group them all into a few).
    let word = |rng: &mut fastrand::Rng| -> String {
        const SYL: [&str; 12] = ["ka", "lo", "mi", "ren", "sto", "vel", "dar", "ny", "qu", "zo", "ba", "tel"];
        (0..2 + rng.usize(..3)).map(|_| SYL[rng.usize(..SYL.len())]).collect()
    };
    let mut text = Vec::new();
    for p in 0..4 {
        let s: Vec<&str> = (0..2).map(|_| pool[rng.usize(..pool.len())]).collect();
        let own: Vec<String> = (0..40).map(|_| word(rng)).collect();
        text.push(format!("{} {} ({i}.{p})", s.join(" "), own.join(" ")));
    }
    let day = i % 60;
    let title = format!("{} — report {i}", pool[i % pool.len()].split(['.', '。']).next().unwrap_or("News"));
    serde_json::json!({
        "id": format!("b{i}"),
        "title": title,
        "text": text.join("\n\n"),
        "lang": lang,
        "source": format!("Outlet {:02}", i % 40),
        "url": format!("https://outlet{:02}.example/news/{i}", i % 40),
        "published": format!("2026-{:02}-{:02}T{:02}:{:02}:00Z", 9 + day / 30, 1 + day % 30, i % 24, i % 60),
    })
}

fn run_ok(cmd: &mut Command, what: &str) -> Res<std::process::Output> {
    let o = cmd.stdin(Stdio::null()).output().map_err(|e| format!("cannot run {what}: {e}"))?;
    if !o.status.success() {
        return Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&o.stderr),
            String::from_utf8_lossy(&o.stdout)
        ));
    }
    Ok(o)
}

fn build(o: &Options, dir: &Path) -> Res<PathBuf> {
    let db = dir.join("reports.db");
    for (name, query) in TOPICS {
        run_ok(Command::new(&o.mediawatch).arg("--db").arg(&db).args(["topics", "add", name, query]), "topics add")?;
    }
    let file = dir.join("articles.jsonl");
    let mut rng = fastrand::Rng::with_seed(20_261_207);
    let mut lines = String::new();
    for i in 0..o.articles {
        lines.push_str(&article(i, &mut rng).to_string());
        lines.push('\n');
    }
    std::fs::write(&file, lines).map_err(|e| e.to_string())?;
    let t = Instant::now();
    run_ok(Command::new(&o.mediawatch).arg("--db").arg(&db).arg("import").arg(&file), "import")?;
    eprintln!("built {} articles in {}", o.articles, secs(t.elapsed()));
    Ok(db)
}

fn export(o: &Options, db: &Path, format: &str, limit: usize, out: &Path) -> Res<Duration> {
    let t = Instant::now();
    run_ok(
        Command::new(&o.mediawatch)
            .arg("--db")
            .arg(db)
            .args(["--json", "export", "--format", format, "--limit", &limit.to_string(), "-o"])
            .arg(out),
        "mediawatch export",
    )?;
    Ok(t.elapsed())
}

/// The peer's own timing (printed by the script) and its wall time.
fn peer(python: &str, script: &str, input: &Path, out: &Path) -> Res<(Duration, Duration)> {
    let t = Instant::now();
    let o = run_ok(Command::new(python).arg(script).arg(input).arg(out), script)?;
    let wall = t.elapsed();
    let own: f64 = String::from_utf8_lossy(&o.stdout).trim().parse().map_err(|e| format!("{script}: {e}"))?;
    Ok((Duration::from_secs_f64(own), wall))
}

/// Peak resident memory of an export, in MB, from GNU time.
fn peak_mb(o: &Options, db: &Path, format: &str, limit: usize, out: &Path) -> Res<f64> {
    let r = run_ok(
        Command::new("/usr/bin/time")
            .arg("-v")
            .arg(&o.mediawatch)
            .arg("--db")
            .arg(db)
            .args(["export", "--format", format, "--limit", &limit.to_string(), "-o"])
            .arg(out),
        "/usr/bin/time -v mediawatch export",
    )?;
    let err = String::from_utf8_lossy(&r.stderr);
    let kb: f64 = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or("no 'Maximum resident set size' in /usr/bin/time -v's output (apt install time)")?;
    Ok(kb / 1024.0)
}

fn row(out: &mut String, what: &str, ours: &Samples, theirs: Option<(&Samples, &str)>, goal: &str) {
    let (peer, ratio) = match theirs {
        Some((p, name)) => (
            format!("{} ({name}; {}–{})", secs(p.median()), secs(p.min()), secs(p.max())),
            format!("{:.1}× faster", p.median().as_secs_f64() / ours.median().as_secs_f64().max(1e-9)),
        ),
        None => ("—".into(), "—".into()),
    };
    let _ = writeln!(
        out,
        "| {what} | {} ({}–{}) | {peer} | {ratio} | {goal} |",
        secs(ours.median()),
        secs(ours.min()),
        secs(ours.max())
    );
}

pub fn run(o: &Options) -> Res<String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = build(o, dir.path())?;
    let peers = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers");
    let py_xlsx = peers.join("openpyxl_write.py").display().to_string();
    let py_pdf = peers.join("weasyprint_pdf.py").display().to_string();
    let rows_20k = dir.path().join("rows.ndjson");
    export(o, &db, "ndjson", 20_000, &rows_20k)?;
    let html_500 = dir.path().join("500.html");
    export(o, &db, "html", 500, &html_500)?;
    let (mut xlsx, mut csv, mut pdf) = (Samples::default(), Samples::default(), Samples::default());
    let (mut openpyxl, mut openpyxl_wall, mut weasy, mut weasy_wall) =
        (Samples::default(), Samples::default(), Samples::default(), Samples::default());
    for run in 0..o.runs {
        // Interleaved, and the order flips each run.
        let ours_first = run % 2 == 0;
        let theirs = |s: &mut Samples, w: &mut Samples, script: &str, input: &Path, ext: &str| -> Res<()> {
            if let Some(py) = &o.python {
                let (own, wall) = peer(py, script, input, &dir.path().join(format!("peer.{ext}")))?;
                s.push(own);
                w.push(wall);
            }
            Ok(())
        };
        if !ours_first {
            theirs(&mut openpyxl, &mut openpyxl_wall, &py_xlsx, &rows_20k, "xlsx")?;
            theirs(&mut weasy, &mut weasy_wall, &py_pdf, &html_500, "pdf")?;
        }
        xlsx.push(export(o, &db, "xlsx", 20_000, &dir.path().join("ours.xlsx"))?);
        csv.push(export(o, &db, "csv", 20_000, &dir.path().join("ours.csv"))?);
        pdf.push(export(o, &db, "pdf", 500, &dir.path().join("ours.pdf"))?);
        if ours_first {
            theirs(&mut openpyxl, &mut openpyxl_wall, &py_xlsx, &rows_20k, "xlsx")?;
            theirs(&mut weasy, &mut weasy_wall, &py_pdf, &html_500, "pdf")?;
        }
    }
    let big = o.articles.min(100_000);
    let mem_xlsx = peak_mb(o, &db, "xlsx", big, &dir.path().join("big.xlsx"))?;
    let mem_csv = peak_mb(o, &db, "csv", big, &dir.path().join("big.csv"))?;
    let mut out = String::new();
    let _ = writeln!(out, "Machine: {}", machine(None));
    let _ = writeln!(
        out,
        "Database: {} generated articles (en/ru/zh, 40 sources, 60 days), {} runs, medians (min–max)\n",
        o.articles, o.runs
    );
    let _ = writeln!(out, "| export | mediawatch | peer | ratio | goal |\n|---|---:|---:|---:|---|");
    let has_peer = o.python.is_some();
    row(
        &mut out,
        "XLSX, 20,000 mentions",
        &xlsx,
        has_peer.then_some((&openpyxl, "openpyxl write-only, writing only")),
        "< 5 s, faster than openpyxl",
    );
    row(&mut out, "CSV, 20,000 mentions", &csv, None, "< 2 s");
    row(
        &mut out,
        "PDF, 500 mentions",
        &pdf,
        has_peer.then_some((&weasy, "WeasyPrint on our HTML export")),
        "< 5 s, faster than WeasyPrint",
    );
    if has_peer {
        let _ = writeln!(
            out,
            "\nPeers' wall time with the interpreter's start and imports: openpyxl {}, WeasyPrint {}.",
            secs(openpyxl_wall.median()),
            secs(weasy_wall.median())
        );
    }
    let _ = writeln!(out, "\nPeak memory (`/usr/bin/time -v`, maximum resident set), {big} mentions: XLSX {mem_xlsx:.0} MB, CSV {mem_csv:.0} MB (goal < 300 MB).");
    Ok(out)
}
