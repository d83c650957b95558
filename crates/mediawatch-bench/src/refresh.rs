//! `mediawatch-bench refresh`: N feeds × M items on N loopback hosts; a cold refresh and an unchanged
//! refresh (every feed answers 304) by the `mediawatch` release binary, side by side with `newsboat -x
//! reload` (8 reload threads, and its default single thread) on the same URLs, in the same run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::feeds;
use crate::server::{Counts, FeedServer};
use crate::stats::{self, Samples};

pub struct Options {
    pub runs: usize,
    pub feeds: usize,
    pub items: usize,
    pub seed: u64,
    pub mediawatch: PathBuf,
    pub newsboat: Option<String>,
    pub newsboat_single: bool,
}

type Res<T> = std::result::Result<T, String>;

fn run_cmd(cmd: &mut Command) -> Res<(Duration, String, String)> {
    let shown = format!("{cmd:?}");
    let start = Instant::now();
    let out = cmd.stdin(Stdio::null()).output().map_err(|e| format!("cannot run {shown}: {e}"))?;
    let took = start.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(format!("{shown} failed ({}): {stderr}{stdout}", out.status));
    }
    Ok((took, stdout, stderr))
}

fn check(cond: bool, what: impl FnOnce() -> String) -> Res<()> {
    if cond {
        Ok(())
    } else {
        Err(what())
    }
}

fn write(path: &Path, text: &str) -> Res<()> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// One scenario's samples and what the server saw on its last run.
struct Scenario {
    name: String,
    samples: Samples,
    counts: Counts,
}

pub fn run(opts: &Options) -> Res<()> {
    let machine = stats::machine(opts.newsboat.as_deref());
    eprintln!("machine: {machine}");
    let expected_items = opts.feeds * opts.items;
    let docs = feeds::generate(opts.feeds, opts.items, opts.seed);
    let bytes: usize = docs.iter().map(|d| d.body.len()).sum();
    let server = FeedServer::start(docs).map_err(|e| format!("cannot start the feed server: {e}"))?;
    for url in [&server.urls[0], &server.urls[server.urls.len() - 1]] {
        let status = probe(url)?;
        check(status == 200, || format!("{url} answered {status}, not 200"))?;
    }
    eprintln!(
        "serving {} feeds × {} items ({:.1} MB) on {} … {}",
        opts.feeds,
        opts.items,
        bytes as f64 / 1e6,
        server.urls[0],
        server.urls[server.urls.len() - 1]
    );
    let work = tempfile::Builder::new().prefix("mediawatch-bench-").tempdir().map_err(|e| e.to_string())?;
    let opml = work.path().join("feeds.opml");
    write(&opml, &opml_doc(&server.urls))?;
    let urls = work.path().join("urls");
    write(&urls, &(server.urls.join("\n") + "\n"))?;

    let mut mw_start = Scenario::new("Mediawatch: process start + open DB (`sources list`)");
    let mut mw_cold = Scenario::new("Mediawatch cold (`fetch --all`)");
    let mut mw_warm = Scenario::new("Mediawatch unchanged (`fetch --all`)");
    // newsboat: [8 threads, 1 thread] × [cold, 2nd reload, 3rd reload]. newsboat 2.21 stores a feed's
    // ETag/Last-Modified only from its second reload on (newsboat/newsboat#2734), so its second reload of
    // unchanged feeds is unconditional (300 × 200) and only the third is conditional (300 × 304).
    let mut nb: Vec<[Scenario; 3]> = [("8 threads", 8), ("1 thread (default)", 1)]
        .iter()
        .map(|(label, _)| {
            [
                Scenario::new(&format!("newsboat {label} cold (1st reload)")),
                Scenario::new(&format!("newsboat {label} unchanged, 2nd reload")),
                Scenario::new(&format!("newsboat {label} unchanged, 3rd reload")),
            ]
        })
        .collect();
    let mut mentions = 0;

    for run in 1..=opts.runs {
        eprintln!("run {run}/{}", opts.runs);
        // ---- Mediawatch: a fresh database, sources and the default topic pack added untimed.
        let dir = tempfile::Builder::new().prefix("mw-").tempdir_in(work.path()).map_err(|e| e.to_string())?;
        let db = dir.path().join("mediawatch.db");
        let mw = |args: &[&str]| {
            let mut c = Command::new(&opts.mediawatch);
            c.arg("--db").arg(&db).arg("--json").args(args);
            c
        };
        let before = server.counts();
        run_cmd(mw(&["sources", "import-opml"]).arg(&opml))?;
        // A feed refresh, like newsboat's: no article pages (full text is the ingest benchmark's business).
        let (_, listed, _) = run_cmd(&mut mw(&["sources", "list"]))?;
        let listed: serde_json::Value = serde_json::from_str(&listed).map_err(|e| format!("sources list: {e}"))?;
        for source in listed.as_array().ok_or("sources list: not an array")? {
            let id = source["id"].as_i64().ok_or("sources list: a source without an id")?.to_string();
            run_cmd(&mut mw(&["sources", "edit", &id, "--full-text", "never"]))?;
        }
        run_cmd(&mut mw(&["topics", "add-defaults"]))?;
        check(server.counts() == before, || "adding sources touched the network".into())?;
        let (t, _, _) = run_cmd(&mut mw(&["sources", "list"]))?;
        mw_start.samples.push(t);

        let before = server.counts();
        let (t, out, _) = run_cmd(&mut mw(&["fetch", "--all"]))?;
        let counts = server.counts().since(before);
        let summary = parse_summary(&out)?;
        check(summary.sources == opts.feeds && summary.new_articles == expected_items && summary.errors == 0, || {
            format!("cold fetch summary: {out}")
        })?;
        check(counts.ok == opts.feeds as u64 && counts.not_modified == 0 && counts.other == 0, || {
            format!("cold fetch: the server saw {counts:?}")
        })?;
        mentions = verify_mediawatch_db(&db, opts.feeds, opts.items)?;
        eprintln!("  mediawatch cold      {:>8.3} s  {counts:?}", t.as_secs_f64());
        mw_cold.samples.push(t);
        mw_cold.counts = counts;

        let before = server.counts();
        let (t, out, _) = run_cmd(&mut mw(&["fetch", "--all"]))?;
        let counts = server.counts().since(before);
        let summary = parse_summary(&out)?;
        check(
            summary.sources == opts.feeds
                && summary.new_articles == 0
                && summary.not_modified == opts.feeds
                && summary.errors == 0,
            || format!("unchanged fetch summary: {out}"),
        )?;
        check(counts.not_modified == opts.feeds as u64 && counts.ok == 0 && counts.other == 0, || {
            format!("unchanged fetch: the server saw {counts:?}, not {} × 304", opts.feeds)
        })?;
        eprintln!("  mediawatch unchanged {:>8.3} s  {counts:?}", t.as_secs_f64());
        mw_warm.samples.push(t);
        mw_warm.counts = counts;
        drop(dir);

        // ---- newsboat, same URLs.
        if let Some(nb_bin) = &opts.newsboat {
            let variants = if opts.newsboat_single { 2 } else { 1 };
            for (v, scenarios) in nb.iter_mut().enumerate().take(variants) {
                let threads = if v == 0 { Some(8) } else { None };
                let dir = tempfile::Builder::new().prefix("nb-").tempdir_in(work.path()).map_err(|e| e.to_string())?;
                let config = dir.path().join("config");
                let config_text = match threads {
                    Some(n) => format!("reload-threads {n}\n"),
                    None => String::new(),
                };
                write(&config, &config_text)?;
                let cache = dir.path().join("cache.db");
                let newsboat = || {
                    let mut c = Command::new(nb_bin);
                    c.args(["-x", "reload", "-u"]).arg(&urls).arg("-c").arg(&cache).arg("-C").arg(&config);
                    // Its home is the scratch folder: ~/.newsboat and the XDG folders are never touched.
                    c.env("HOME", dir.path())
                        .env("XDG_CONFIG_HOME", dir.path().join("xdg-config"))
                        .env("XDG_DATA_HOME", dir.path().join("xdg-data"))
                        .env("XDG_CACHE_HOME", dir.path().join("xdg-cache"))
                        .env_remove("DISPLAY");
                    c
                };
                for (reload, scenario) in scenarios.iter_mut().enumerate() {
                    let before = server.counts();
                    let (t, _, _) = run_cmd(&mut newsboat())?;
                    let counts = server.counts().since(before);
                    check(counts.other == 0 && counts.ok + counts.not_modified == opts.feeds as u64, || {
                        format!("{}: the server saw {counts:?}", scenario.name)
                    })?;
                    if reload == 0 {
                        check(counts.ok == opts.feeds as u64, || format!("{}: {counts:?}", scenario.name))?;
                    }
                    let stored = count_newsboat_items(&cache)?;
                    check(stored == expected_items, || {
                        format!("{}: newsboat stored {stored} items, not {expected_items}", scenario.name)
                    })?;
                    eprintln!("  {:<45} {:>8.3} s  {counts:?}", scenario.name, t.as_secs_f64());
                    scenario.samples.push(t);
                    scenario.counts = counts;
                }
            }
        }
    }

    // ---- report
    let mut out = String::new();
    out.push_str(&format!(
        "Feed refresh: {} feeds × {} items ({:.1} MB of RSS), one loopback host per feed, {} runs per scenario\n\n",
        opts.feeds,
        opts.items,
        bytes as f64 / 1e6,
        opts.runs
    ));
    out.push_str(&format!("Machine: {machine}\n\n"));
    out.push_str("| scenario | median | min | max | server answers (last run) |\n|---|---:|---:|---:|---|\n");
    let mut all: Vec<&Scenario> = vec![&mw_start, &mw_cold, &mw_warm];
    if opts.newsboat.is_some() {
        let variants = if opts.newsboat_single { 2 } else { 1 };
        all.extend(nb.iter().take(variants).flatten());
    }
    for s in &all {
        let c = s.counts;
        let answers = if std::ptr::eq(*s, &mw_start) {
            "none".to_string()
        } else {
            format!("{} × 200, {} × 304 ({} conditional requests)", c.ok, c.not_modified, c.conditional)
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {answers} |\n",
            s.name,
            stats::secs(s.samples.median()),
            stats::secs(s.samples.min()),
            stats::secs(s.samples.max())
        ));
    }
    out.push('\n');
    out.push_str(&format!(
        "Mediawatch stored {expected_items} articles (FTS5-indexed, `MATCH` verified) and {mentions} topic mentions (default pack, 7 topics) per cold run.\n\n"
    ));
    let (cold, warm) = (mw_cold.samples.median(), mw_warm.samples.median());
    if opts.newsboat.is_some() {
        out.push_str("| ratio (medians) | value |\n|---|---:|\n");
        let configs: &[(&str, &str)] = if opts.newsboat_single {
            &[("newsboat 8 threads", "2nd reload (unconditional)"), ("newsboat 1 thread", "2nd reload")]
        } else {
            &[("newsboat 8 threads", "2nd reload (unconditional)")]
        };
        for (runs, (who, second)) in nb.iter().zip(configs) {
            let [c, w2, w3] = runs.each_ref().map(|s| s.samples.median());
            let third = if second.contains("unconditional") { "3rd reload (conditional)" } else { "3rd reload" };
            out.push_str(&format!("| {who} cold / Mediawatch cold | {:.2}× |\n", ratio(c, cold)));
            out.push_str(&format!("| {who} {second} / Mediawatch unchanged | {:.1}× |\n", ratio(w2, warm)));
            out.push_str(&format!("| {who} {third} / Mediawatch unchanged | {:.1}× |\n", ratio(w3, warm)));
        }
        out.push('\n');
        let goal = nb[0][0].samples.median().as_secs_f64() / 3.0;
        out.push_str(&format!(
            "Goal 1, cold refresh ≤ ⅓ of newsboat's 8-thread time ({goal:.3} s): {} ({})\n",
            stats::secs(cold),
            if cold.as_secs_f64() <= goal { "met" } else { "NOT met" }
        ));
    }
    out.push_str(&format!(
        "Goal 2, unchanged refresh < 0.5 s: {} ({})\n\n",
        stats::secs(warm),
        if warm < Duration::from_millis(500) { "met" } else { "NOT met" }
    ));
    out.push_str("Commands (DB, OPML, urls, config and cache in a fresh temporary folder each run):\n\n```\n");
    out.push_str("mediawatch --db DB --json sources import-opml feeds.opml   # untimed\n");
    out.push_str(
        "mediawatch --db DB --json sources edit ID --full-text never # untimed, each source: a feed refresh\n",
    );
    out.push_str("mediawatch --db DB --json topics add-defaults              # untimed\n");
    out.push_str("mediawatch --db DB --json sources list                     # process start + open DB\n");
    out.push_str("mediawatch --db DB --json fetch --all                      # cold, then again: unchanged\n");
    if let Some(nb) = &opts.newsboat {
        out.push_str(&format!(
            "HOME=TMP {nb} -x reload -u urls -c cache.db -C config     # config: `reload-threads 8` / empty; 3 reloads\n"
        ));
    }
    out.push_str("```\n");
    println!("{out}");
    Ok(())
}

impl Scenario {
    fn new(name: &str) -> Scenario {
        Scenario { name: name.to_string(), samples: Samples::default(), counts: Counts::default() }
    }
}

/// `mediawatch-bench serve DIR`: the same feeds on the same kind of hosts, until the process is killed.
pub fn serve(dir: &Path, feeds: usize, items: usize, seed: u64) -> Res<()> {
    let server = FeedServer::start(feeds::generate(feeds, items, seed)).map_err(|e| format!("cannot serve: {e}"))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write(&dir.join("feeds.opml"), &opml_doc(&server.urls))?;
    write(&dir.join("urls"), &(server.urls.join("\n") + "\n"))?;
    eprintln!("serving {feeds} feeds; {0}/feeds.opml and {0}/urls written; Ctrl-C to stop", dir.display());
    let mut last = server.counts();
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let now = server.counts();
        if now != last {
            eprintln!("{:?}", now.since(last));
            last = now;
        }
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// A plain HTTP/1.0 GET, to check that a loopback host answers before anything is timed.
fn probe(url: &str) -> Res<u16> {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (authority, path) = rest.split_once('/').map_or((rest, "/"), |(a, p)| (a, p));
    let mut s = std::net::TcpStream::connect(authority).map_err(|e| format!("cannot connect to {authority}: {e}"))?;
    write!(s, "GET /{path} HTTP/1.0\r\nHost: {authority}\r\n\r\n").map_err(|e| e.to_string())?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).map_err(|e| e.to_string())?;
    resp.split_whitespace().nth(1).and_then(|c| c.parse().ok()).ok_or_else(|| format!("{url}: no status line"))
}

fn opml_doc(urls: &[String]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n<head><title>bench</title></head>\n<body>\n",
    );
    for (i, u) in urls.iter().enumerate() {
        s.push_str(&format!("<outline type=\"rss\" text=\"Feed {i}\" title=\"Feed {i}\" xmlUrl=\"{u}\"/>\n"));
    }
    s.push_str("</body>\n</opml>\n");
    s
}

struct Summary {
    sources: usize,
    new_articles: usize,
    not_modified: usize,
    errors: usize,
}

fn parse_summary(stdout: &str) -> Res<Summary> {
    let v: serde_json::Value =
        serde_json::from_str(stdout.trim()).map_err(|e| format!("fetch printed no JSON summary ({e}): {stdout}"))?;
    let n = |k: &str| v.get(k).and_then(serde_json::Value::as_u64).map(|n| n as usize);
    Ok(Summary {
        sources: n("sources").ok_or("no `sources` in the summary")?,
        new_articles: n("new_articles").ok_or("no `new_articles` in the summary")?,
        not_modified: n("not_modified").ok_or("no `not_modified` in the summary")?,
        errors: v.get("errors").and_then(serde_json::Value::as_array).map_or(usize::MAX, Vec::len),
    })
}

/// Opens Mediawatch's database read-only: every article stored, every one found by FTS5, one wire code
/// found exactly once. Returns the number of topic mentions.
fn verify_mediawatch_db(db: &Path, feeds: usize, items: usize) -> Res<usize> {
    use rusqlite::{Connection, OpenFlags};
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| e.to_string())?;
    let count = |sql: &str| -> Res<usize> {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|n| n as usize).map_err(|e| format!("{sql}: {e}"))
    };
    let expected = feeds * items;
    let articles = count("SELECT count(*) FROM articles")?;
    check(articles == expected, || format!("{articles} articles stored, not {expected}"))?;
    let phrase = count(&format!(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"{}\"'",
        feeds::EVERY_ITEM_PHRASE
    ))?;
    check(phrase == expected, || format!("FTS finds {phrase} articles, not {expected}"))?;
    let code = feeds::wire_code(feeds / 2, items / 2, items);
    let one = count(&format!("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '{code}'"))?;
    check(one == 1, || format!("FTS finds {code} {one} times"))?;
    let mentions = count("SELECT count(*) FROM mentions")?;
    check(mentions > 0, || "no topic mentions were flagged".into())?;
    Ok(mentions)
}

fn count_newsboat_items(cache: &Path) -> Res<usize> {
    use rusqlite::{Connection, OpenFlags};
    let conn = Connection::open_with_flags(cache, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| e.to_string())?;
    conn.query_row("SELECT count(*) FROM rss_item", [], |r| r.get::<_, i64>(0))
        .map(|n| n as usize)
        .map_err(|e| format!("newsboat's cache: {e}"))
}
