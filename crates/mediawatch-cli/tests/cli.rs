//! The `mediawatch` binary against the contract in shared/design/CLI.md: commands, `--json` shapes, error
//! bodies and exit codes, with a local feed server on 127.0.0.1 and a temporary database.

use std::process::{Command, Output};

use mediawatch_testkit::{fixture, fixture_path, Response, TestServer};
use serde_json::Value;

struct Cli {
    db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        Cli { db: dir.path().join("mw.db"), _dir: dir }
    }

    /// `mediawatch --db DB` with secrets in the user-only file beside the database (never a developer's
    /// keyring).
    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mediawatch"));
        cmd.arg("--db").arg(&self.db).env_remove("MEDIAWATCH_DB").env("MEDIAWATCH_SECRETS", "file");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    /// Runs with `--json`, expects success, returns the one JSON document on stdout.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("{args:?}: stdout is not one JSON document ({e}): {}", String::from_utf8_lossy(&out.stdout))
        })
    }
}

fn error_body(out: &Output) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    serde_json::from_str(stderr.trim()).unwrap_or_else(|e| panic!("stderr is not a JSON error ({e}): {stderr}"))
}

#[test]
fn parse_feed_prints_the_contract_shape() {
    let cli = Cli::new();
    let path = fixture_path("wire-en.xml");
    let feed = cli.json(&["parse-feed", path.to_str().unwrap()]);
    assert_eq!(feed["format"], "rss2.0");
    assert_eq!(feed["title"], "Northwind Wire — World");
    assert_eq!(feed["language"], "en");
    assert_eq!(feed["encoding"], "utf-8");
    assert!(feed["warnings"].as_array().unwrap().is_empty());
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for key in ["id", "title", "url", "published", "updated", "authors", "summary", "content_html", "categories"] {
        assert!(items[0].get(key).is_some(), "item lacks {key}: {}", items[0]);
    }
    assert_eq!(items[0]["id"], "nw-2026-0311-001");
    assert_eq!(items[0]["published"], "2026-03-11T08:15:00Z");
    assert_eq!(items[0]["authors"][0], "Northwind Moscow desk");
    assert!(items[0]["updated"].is_null(), "unknown values are null, never invented");
}

#[test]
fn the_whole_path_sources_fetch_topics_mentions() {
    let server = TestServer::start();
    server.route("/en.xml", |_| Response::ok("application/rss+xml", fixture("wire-en.xml")));
    server.route("/down.xml", |_| Response::status(502));
    let cli = Cli::new();

    let src = cli.json(&[
        "sources",
        "add",
        &server.url("/en.xml"),
        "--name",
        "Northwind",
        "--interval",
        "15",
        "--full-text",
        "always",
    ]);
    assert_eq!(src["name"], "Northwind");
    assert_eq!(src["interval_minutes"], 15);
    assert_eq!(src["full_text"], "always");
    let bad_mode = cli.run(&["--json", "sources", "add", &server.url("/x.xml"), "--full-text", "sometimes"]);
    assert_eq!(bad_mode.status.code(), Some(2), "an unknown mode is wrong usage");
    cli.json(&["sources", "add", &server.url("/down.xml")]);
    let topic = cli.json(&["topics", "add", "SCO", "\"Shanghai Cooperation Organisation\" OR {SCO}"]);
    assert_eq!(topic["name"], "SCO");

    let summary = cli.json(&["fetch", "--all"]);
    assert_eq!(summary["sources"], 2);
    assert_eq!(summary["new_articles"], 3);
    assert_eq!(summary["not_modified"], 0);
    // Every stored topic's query parses: none was left out of matching.
    assert_eq!(summary["skipped_topics"], serde_json::json!([]));
    let errors = summary["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], "network");
    assert!(errors[0]["message"].as_str().unwrap().contains("502"));
    assert!(errors[0]["source"].is_i64());

    let sources = cli.json(&["sources", "list"]);
    let down = sources.as_array().unwrap().iter().find(|s| s["url"].as_str().unwrap().ends_with("/down.xml")).unwrap();
    assert_eq!(down["health"]["consecutive_failures"], 1);

    let topics = cli.json(&["topics", "list"]);
    let t = &topics[0];
    for key in ["id", "name", "query", "description"] {
        assert!(t.get(key).is_some(), "topic lacks {key}");
    }

    let mentions = cli.json(&["mentions", "--topic", "SCO"]);
    let rows = mentions.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["title"], "Moscow and Beijing ministers prepare May summit");
    let span = &rows[0]["topics"][0]["spans"][0];
    assert_eq!(span["field"], "text");
    assert_eq!(span["term"], "Shanghai Cooperation Organisation");

    // Human output highlights and names the topic.
    let human = cli.run(&["mentions"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("[SCO]") && text.contains("Shanghai Cooperation Organisation"), "{text}");

    // Removing the source removes its articles and mentions.
    let id = src["id"].as_i64().unwrap().to_string();
    cli.json(&["sources", "remove", &id]);
    assert!(cli.json(&["mentions"]).as_array().unwrap().is_empty());
    assert_eq!(cli.json(&["topics", "remove", "SCO"])["ok"], true);
}

#[test]
fn default_pack_installs_once() {
    let cli = Cli::new();
    let first = cli.json(&["topics", "add-defaults"]);
    assert!(first["added"].as_array().unwrap().len() >= 6);
    let second = cli.json(&["topics", "add-defaults"]);
    assert!(second["added"].as_array().unwrap().is_empty());
}

#[test]
fn topics_check_reads_back_or_names_the_column() {
    let cli = Cli::new();
    let ok = cli.json(&["topics", "check", "BRICS OR “Belt and Road”"]);
    assert_eq!(ok["ok"], true);
    assert_eq!(ok["normalized"], "BRICS OR \"Belt and Road\"");
    assert_eq!(ok["ast"]["type"], "or");
    assert!(ok["warnings"].as_array().unwrap().is_empty());

    let bad = cli.run(&["--json", "topics", "check", "(BRICS OR SCO"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(bad.stdout.is_empty());
    let body = error_body(&bad);
    assert_eq!(body["error"]["code"], "invalid_query");
    assert_eq!(body["error"]["column"], 14);
    assert!(body["error"]["message"].as_str().unwrap().contains("column 14"));
}

#[test]
fn failures_exit_1_usage_exits_2_and_json_errors_go_to_stderr() {
    let cli = Cli::new();
    let usage = cli.run(&["--json", "sources", "frobnicate"]);
    assert_eq!(usage.status.code(), Some(2));
    assert_eq!(error_body(&usage)["error"]["code"], "usage");

    let missing = cli.run(&["--json", "sources", "remove", "42"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(error_body(&missing)["error"]["code"], "not_found");

    let bad_url = cli.run(&["--json", "sources", "add", "ftp://x.example/feed"]);
    assert_eq!(bad_url.status.code(), Some(1));
    assert_eq!(error_body(&bad_url)["error"]["code"], "invalid_input");

    let not_a_feed =
        cli.run(&["--json", "parse-feed", fixture_path("wire-zh-atom.xml").parent().unwrap().to_str().unwrap()]);
    assert_eq!(not_a_feed.status.code(), Some(1));
    assert_eq!(error_body(&not_a_feed)["error"]["code"], "invalid_input");

    // A database path that is a directory: a storage error naming the path.
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mediawatch"))
        .args(["--json", "--db", dir.path().to_str().unwrap(), "sources", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let body = error_body(&out);
    assert_eq!(body["error"]["code"], "storage");
    assert!(body["error"]["message"].as_str().unwrap().contains(dir.path().to_str().unwrap()));

    let human = cli.run(&["sources", "remove", "42"]);
    assert!(String::from_utf8_lossy(&human.stderr).starts_with("mediawatch: no source with id 42"));
}

#[test]
fn run_fetches_due_sources_and_stops_cleanly_on_interrupt() {
    let server = TestServer::start();
    server.route("/en.xml", |_| Response::ok("application/rss+xml", fixture("wire-en.xml")));
    let cli = Cli::new();
    cli.json(&["sources", "add", &server.url("/en.xml")]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_mediawatch"))
        .arg("--db")
        .arg(&cli.db)
        .arg("run")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let sources = cli.json(&["sources", "list"]);
        if sources[0]["article_count"] == 3 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "run did not fetch the source: {sources}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(std::time::Instant::now() < deadline, "run did not stop on SIGINT");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("3 new"), "{stderr}");
}

#[test]
fn opml_import_and_export() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let opml = dir.path().join("in.opml");
    std::fs::write(
        &opml,
        r#"<opml version="1.0"><body><outline text="Agencies"><outline type="rss" text="Wire" xmlUrl="https://wire.example/rss"/></outline>
           <outline type="rss" xmlUrl="https://other.example/feed"/></body></opml>"#,
    )
    .unwrap();
    let summary = cli.json(&["sources", "import-opml", opml.to_str().unwrap()]);
    assert_eq!(summary["added"].as_array().unwrap().len(), 2);
    assert_eq!(summary["added"][0]["group"], "Agencies");
    let again = cli.json(&["sources", "import-opml", opml.to_str().unwrap()]);
    assert_eq!(again["already_present"], 2);

    let out = dir.path().join("out.opml");
    cli.json(&["sources", "export-opml", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("xmlUrl=\"https://wire.example/rss\"") && text.contains("text=\"Agencies\""), "{text}");
    assert!(!dir.path().join(".out.opml.partial").exists());

    let missing = cli.run(&["--json", "sources", "import-opml", "/nonexistent/file.opml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(error_body(&missing)["error"]["code"], "invalid_input");
    let to_nowhere = cli.run(&["--json", "sources", "export-opml", "/nonexistent/dir/out.opml"]);
    assert_eq!(to_nowhere.status.code(), Some(1));
    assert_eq!(error_body(&to_nowhere)["error"]["code"], "storage");
}

#[test]
fn sources_edit_changes_settings_and_refuses_bad_values() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let opml = dir.path().join("in.opml");
    std::fs::write(&opml, r#"<opml version="2.0"><body><outline type="rss" text="Wire" xmlUrl="https://wire.example/rss"/></body></opml>"#)
        .unwrap();
    let id = cli.json(&["sources", "import-opml", opml.to_str().unwrap()])["added"][0]["id"].as_i64().unwrap();
    let id = id.to_string();

    let edited = cli.json(&[
        "sources",
        "edit",
        &id,
        "--name",
        "Wire (EN)",
        "--group",
        "Agencies",
        "--interval",
        "15",
        "--full-text",
        "always",
        "--disable",
    ]);
    assert_eq!(edited["name"], "Wire (EN)");
    assert_eq!(edited["group"], "Agencies");
    assert_eq!(edited["interval_minutes"], 15);
    assert_eq!(edited["full_text"], "always");
    assert_eq!(edited["enabled"], false);

    let listed = cli.json(&["sources", "list"]);
    assert_eq!(listed[0]["name"], "Wire (EN)");
    assert_eq!(listed[0]["enabled"], false);

    let back = cli.json(&["sources", "edit", &id, "--enable", "--group", ""]);
    assert_eq!(back["enabled"], true);
    assert_eq!(back["group"], Value::Null);
    assert_eq!(back["name"], "Wire (EN)", "options left out stay as they are");

    let zero = cli.run(&["--json", "sources", "edit", &id, "--interval", "0"]);
    assert_eq!(zero.status.code(), Some(1));
    assert_eq!(error_body(&zero)["error"]["code"], "invalid_input");
    let missing = cli.run(&["--json", "sources", "edit", "999", "--name", "x"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(error_body(&missing)["error"]["code"], "not_found");
    let both = cli.run(&["sources", "edit", &id, "--enable", "--disable"]);
    assert_eq!(both.status.code(), Some(2), "contradictory flags are a usage error");
}

const ARTICLE_PAGE: &str = r#"<!doctype html><html lang="en"><head><title>Ministers meet in Moscow to prepare the May summit | Northwind</title>
<meta property="og:site_name" content="Northwind"><meta property="article:published_time" content="2026-03-11T08:15:00Z">
<link rel="canonical" href="/world/ministers-meet?utm_source=rss"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ministers meet in Moscow to prepare the May summit</h1><p class="byline">By Anna Petrova</p>
<p>Russia's president received China's foreign minister on Wednesday to prepare a state visit in May, officials
said after the talks in the Kremlin, which lasted more than two hours.</p>
<p>The two sides reviewed their work in the Shanghai Cooperation Organisation and in BRICS, and discussed lifting
visa requirements for tourist groups travelling between the two countries next summer.</p>
<p><img src="/img/talks.jpg" alt="The talks"> The ministers also agreed to meet again before the summit.</p>
<script>track()</script></article>
<footer>© Northwind. <a href="/about">About</a></footer></body></html>"#;

#[test]
fn extract_reads_the_article_from_a_file_or_a_url() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, ARTICLE_PAGE).unwrap();
    let a = cli.json(&["extract", page.to_str().unwrap(), "--url", "https://wire.example/world/ministers-meet"]);
    assert_eq!(a["title"], "Ministers meet in Moscow to prepare the May summit");
    assert_eq!(a["lang"], "en");
    assert_eq!(a["site_name"], "Northwind");
    assert_eq!(a["published"], "2026-03-11T08:15:00Z");
    assert_eq!(a["canonical_url"], "https://wire.example/world/ministers-meet");
    let text = a["text"].as_str().unwrap();
    assert!(text.contains("Shanghai Cooperation Organisation") && text.contains("\n\n"), "{text}");
    assert!(!text.contains("Home") && !text.contains("About"), "navigation and footer are not the article: {text}");
    let html = a["html"].as_str().unwrap();
    assert!(!html.contains("<script") && !html.contains("track()"), "{html}");
    assert!(html.contains(r#"data-remote-src="https://wire.example/img/talks.jpg""#), "{html}");

    let server = TestServer::start();
    server.route("/world/ministers-meet", |_| Response::ok("text/html; charset=utf-8", ARTICLE_PAGE));
    let fetched = cli.json(&["extract", &server.url("/world/ministers-meet")]);
    assert_eq!(fetched["title"], "Ministers meet in Moscow to prepare the May summit");
    assert_eq!(fetched["canonical_url"], server.url("/world/ministers-meet").as_str());

    let missing = cli.run(&["--json", "extract", "/nonexistent/page.html"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(error_body(&missing)["error"]["code"], "invalid_input");
}

#[test]
fn import_adds_saved_pages_and_json_lines_and_prints_the_fetch_summary() {
    let cli = Cli::new();
    cli.json(&["topics", "add-defaults"]);
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/tv-brics-putin-xi-article.txt"),
    )
    .unwrap_or_else(|_| "BRICS, the SCO and the EAEU: Putin received Wang Yi in the Kremlin. ".repeat(20));
    // A browser's saved page (with its "saved from" mark and asset folder) and a JSON-lines export.
    std::fs::create_dir_all(dir.path().join("saved/page_files")).unwrap();
    std::fs::write(
        dir.path().join("saved/page.html"),
        format!("<!-- saved from url=(0041)https://wire.example/world/ministers-meet -->\n{ARTICLE_PAGE}"),
    )
    .unwrap();
    std::fs::write(dir.path().join("saved/page_files/style.html"), "<html>asset</html>").unwrap();
    let lines = [
        serde_json::json!({"id": "tvb-1", "title": "Putin and Xi", "text": seed, "source": "TV BRICS",
                           "url": "https://tvbrics.com/en/news/putin-xi/?utm_source=telegram", "published": "2024-10-22T10:00:00Z"}),
        serde_json::json!({"id": "copy-1", "title": "Putin, Xi meet", "text": format!("REPOST. {seed} Subscribe."), "source": "Copycat"}),
    ];
    let mut jsonl: String = lines.iter().map(|l| format!("{l}\n")).collect();
    jsonl.push_str("{not json\n");
    std::fs::write(dir.path().join("export.jsonl"), jsonl).unwrap();

    let summary = cli.json(&["import", dir.path().to_str().unwrap()]);
    assert_eq!(summary["sources"], 3, "{summary}");
    assert_eq!(summary["new_articles"], 3, "{summary}");
    assert_eq!(summary["not_modified"], 0);
    let errors = summary["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{summary}");
    assert_eq!(errors[0]["code"], "parse");
    assert!(errors[0]["message"].as_str().unwrap().contains("export.jsonl: line 3"), "{summary}");

    // Imported as if fetched: flagged, deduplicated on a second import, never fetched.
    let mentions = cli.json(&["mentions"]);
    let titles: Vec<&str> = mentions.as_array().unwrap().iter().map(|m| m["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Putin and Xi") && titles.contains(&"Putin, Xi meet"), "{titles:?}");
    let again = cli.json(&["import", dir.path().to_str().unwrap()]);
    assert_eq!(again["new_articles"], 0);
    let fetched = cli.json(&["fetch", "--all"]);
    assert_eq!(fetched["sources"], 0, "import sources have no feed to fetch");

    let empty = tempfile::tempdir().unwrap();
    let nothing = cli.run(&["--json", "import", empty.path().to_str().unwrap()]);
    assert_eq!(nothing.status.code(), Some(1));
    assert_eq!(error_body(&nothing)["error"]["code"], "invalid_input");
}

/// Writes `text` to `name` in `dir` and returns its path as a string.
fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn stdout_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

#[test]
fn match_prints_one_json_line_per_match_with_character_offsets_in_document_order() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let topics = write(&dir, "topics.tsv", "brics\tBRICS\n7\t一带一路\nvisa\tвиз* OR visa-free\n");
    let docs = write(
        &dir,
        "docs.jsonl",
        concat!(
            r#"{"id": "en", "title": "BRICS summit", "text": "Leaders of BRICS agreed on visa-free travel."}"#,
            "\n",
            r#"{"id": 2, "title": "Визы", "text": "Россия отменит визы для стран БРИКС и BRICS.", "lang": "ru"}"#,
            "\n\n",
            r#"{"id": "zh", "title": "共建一带一路", "text": "中国与俄罗斯共建一带一路倡议。"}"#,
            "\n",
            r#"{"id": "none", "title": "Weather", "text": "Sunny."}"#,
            "\n"
        ),
    );
    let out = cli.run(&["match", "--topics", &topics, "--docs", &docs, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let span = |field: &str, start: u32, end: u32, term: &str| serde_json::json!({"field": field, "start": start, "end": end, "term": term});
    let expected = vec![
        serde_json::json!({"doc": "en", "topic": "brics", "spans": [span("title", 0, 5, "BRICS"), span("text", 11, 16, "BRICS")]}),
        serde_json::json!({"doc": "en", "topic": "visa", "spans": [span("text", 27, 36, "visa-free")]}),
        // Character offsets: in bytes, "BRICS" would start at 68.
        serde_json::json!({"doc": 2, "topic": "brics", "spans": [span("text", 38, 43, "BRICS")]}),
        serde_json::json!({"doc": 2, "topic": "visa", "spans": [span("title", 0, 4, "виз*"), span("text", 15, 19, "виз*")]}),
        serde_json::json!({"doc": "zh", "topic": 7, "spans": [span("title", 2, 6, "一带一路"), span("text", 8, 12, "一带一路")]}),
    ];
    assert_eq!(stdout_lines(&out), expected);

    // Many documents (matched in parallel, in chunks of about 128 kB of text: 2 kB each makes four chunks)
    // come out in the documents' order.
    let filler = " filler".repeat(300);
    let many: String = (0..200)
        .map(|i| {
            let text = if i % 3 == 0 {
                "BRICS and visa-free travel"
            } else if i % 3 == 1 {
                "nothing here"
            } else {
                "BRICS only"
            };
            format!("{}\n", serde_json::json!({"id": i, "title": "", "text": format!("{text}{filler}")}))
        })
        .collect();
    let many = write(&dir, "many.jsonl", &many);
    let out = cli.run(&["match", "--topics", &topics, "--docs", &many, "--stats"]);
    assert!(out.status.success());
    let got: Vec<(i64, String)> = stdout_lines(&out)
        .iter()
        .map(|l| (l["doc"].as_i64().unwrap(), l["topic"].as_str().unwrap().to_string()))
        .collect();
    let mut want = Vec::new();
    for i in 0..200 {
        if i % 3 != 1 {
            want.push((i, "brics".to_string()));
        }
        if i % 3 == 0 {
            want.push((i, "visa".to_string()));
        }
    }
    assert_eq!(got, want);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("200 documents") && stderr.contains("3 topics") && stderr.contains("documents/s"),
        "{stderr}"
    );

    // A query that does not parse names its topic and column; nothing is printed.
    let bad_topics = write(&dir, "bad.tsv", "ok\tBRICS\nbad\tBRICS AND (SCO\n");
    let out = cli.run(&["--json", "match", "--topics", &bad_topics, "--docs", &docs]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let body = error_body(&out);
    assert_eq!(body["error"]["code"], "invalid_query");
    assert_eq!(body["error"]["column"], 15);
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("topic \"bad\"") || message.contains("topic bad"), "names the topic: {body}");

    // A documents line that is not JSON names its line.
    let bad_docs = write(&dir, "bad.jsonl", "{\"id\": 1, \"title\": \"BRICS\", \"text\": \"\"}\n{not json\n");
    let out = cli.run(&["--json", "match", "--topics", &topics, "--docs", &bad_docs]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing is printed before the documents are read");
    let body = error_body(&out);
    assert_eq!(body["error"]["code"], "parse");
    assert!(body["error"]["message"].as_str().unwrap().contains("line 2"), "{body}");
}

#[test]
fn topics_check_shows_the_query_with_a_caret_under_the_column() {
    let cli = Cli::new();
    // At the end of the query, and inside it.
    for (query, column) in [("BRICS AND (SCO", 15), ("BRICS AND ) OR SCO", 11)] {
        let out = cli.run(&["topics", "check", query]);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let lines: Vec<&str> = stderr.lines().collect();
        let at = lines.iter().position(|l| l.trim_start() == query).unwrap_or_else(|| panic!("{stderr}"));
        assert!(lines[0].contains(&format!("column {column}")), "{stderr}");
        let query_line = lines[at];
        let caret_line = lines[at + 1];
        let indent = query_line.len() - query_line.trim_start().len();
        assert_eq!(
            caret_line.trim_end(),
            format!("{}^", " ".repeat(indent + column - 1)),
            "the caret sits under column {column}:\n{stderr}"
        );
    }

    let out = cli.run(&["--json", "topics", "check", "BRICS AND (SCO"]);
    assert_eq!(out.status.code(), Some(1));
    let body = error_body(&out);
    assert_eq!(body["error"]["code"], "invalid_query");
    assert_eq!(body["error"]["column"], 15);

    let ok = cli.json(&["topics", "check", "BRICS or SCO"]);
    assert_eq!(ok["ok"], true);
    assert_eq!(ok["normalized"], "BRICS AND or AND SCO");
    assert!(ok["ast"].is_object(), "{ok}");
    let warnings = ok["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{ok}");
    assert!(warnings[0].as_str().unwrap().contains("or"), "{ok}");
    // Human mode: how the query was read, and the warning.
    let human = cli.run(&["topics", "check", "BRICS or SCO"]);
    assert!(human.status.success());
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("BRICS AND or AND SCO") && text.contains("warning"), "{text}");
}

#[test]
fn topics_add_edit_preview_and_search_over_imported_articles() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let line = |id: &str, title: &str, text: &str, published: &str| {
        format!(
            "{}\n",
            serde_json::json!({"id": id, "title": title, "text": text, "source": "Wire",
                               "url": format!("https://wire.example/{id}"), "published": published})
        )
    };
    let jsonl = [
        line("1", "Visa-free travel", "Russia and China agree on visa free group travel.", "2024-10-01T00:00:00Z"),
        line("2", "Визовый режим", "Россия и Китай обсуждают визы.", "2024-10-02T00:00:00Z"),
        line("3", "BRICS summit", "BRICS leaders met in Kazan.", "2024-10-03T00:00:00Z"),
        line("4", "SCO summit", "The SCO and BRICS met in Astana.", "2024-10-04T00:00:00Z"),
        line("5", "Weather", "Sunny in Moscow.", "2024-10-05T00:00:00Z"),
    ]
    .concat();
    let file = write(&dir, "articles.jsonl", &jsonl);
    assert_eq!(cli.json(&["import", &file])["new_articles"], 5);
    let titles = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|m| m["title"].as_str().unwrap().to_string()).collect()
    };

    // Adding a topic flags the stored articles; progress goes to stderr as JSON lines.
    let out = cli.run(&["--json", "topics", "add", "Visas", "visa-free OR виз*", "--description", "visa regimes"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let topic: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(topic["name"], "Visas");
    assert_eq!(topic["query"], "visa-free OR виз*");
    let progress: Vec<Value> =
        String::from_utf8_lossy(&out.stderr).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let last = &progress.last().unwrap()["backfill"];
    assert_eq!(last["done"], last["total"]);
    assert_eq!(last["matched"], 2);
    let mentions = cli.json(&["mentions", "--topic", "Visas"]);
    assert_eq!(titles(&mentions), ["Визовый режим", "Visa-free travel"]);
    let spans = &mentions[0]["topics"][0]["spans"];
    assert_eq!(spans[0], serde_json::json!({"field": "title", "start": 0, "end": 7, "term": "виз*"}));

    // Editing the query re-matches: the visa articles lose the mention, the BRICS ones are flagged.
    let edited = cli.json(&["topics", "edit", "Visas", "BRICS", "--name", "BRICS"]);
    assert_eq!(edited["name"], "BRICS");
    assert_eq!(edited["query"], "BRICS");
    assert_eq!(edited["description"], "visa regimes", "options left out stay as they are");
    assert_eq!(titles(&cli.json(&["mentions", "--topic", "BRICS"])), ["SCO summit", "BRICS summit"]);
    assert!(cli.json(&["mentions"]).as_array().unwrap().len() == 2, "no mention is left from the old query");
    let id = edited["id"].as_i64().unwrap().to_string();
    cli.json(&["topics", "edit", &id, "{SCO}"]);
    assert_eq!(titles(&cli.json(&["mentions", "--topic", "BRICS"])), ["SCO summit"]);
    let missing = cli.run(&["--json", "topics", "edit", "Nope", "BRICS"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(error_body(&missing)["error"]["code"], "not_found");
    let bad = cli.run(&["--json", "topics", "edit", "BRICS", "BRICS AND (SCO"]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(error_body(&bad)["error"]["code"], "invalid_query");
    cli.json(&["topics", "add", "Other", "weather"]);
    let conflict = cli.run(&["--json", "topics", "add", "other", "sunny"]);
    assert_eq!(conflict.status.code(), Some(1));
    assert_eq!(error_body(&conflict)["error"]["code"], "conflict");

    // A preview counts the matches without saving anything.
    let preview = cli.json(&["topics", "preview", "BRICS OR визы", "--limit", "1"]);
    assert_eq!(preview["matched"], 3);
    assert_eq!(preview["hits"].as_array().unwrap().len(), 1);
    assert_eq!(preview["hits"][0]["title"], "SCO summit");
    assert_eq!(preview["check"]["ok"], true);
    assert_eq!(cli.json(&["topics", "list"]).as_array().unwrap().len(), 2);
    let bad_preview = cli.json(&["topics", "preview", "BRICS AND (SCO"]);
    assert_eq!(bad_preview["check"]["ok"], false);
    assert_eq!(bad_preview["matched"], 0);

    // Search: the hits with their spans, newest first; dates; an invalid query.
    let page = cli.json(&["search", "BRICS OR визы"]);
    assert_eq!(titles(&page["hits"]), ["SCO summit", "BRICS summit", "Визовый режим"]);
    assert_eq!(page["order"], "newest");
    assert_eq!(
        page["hits"][0]["spans"],
        serde_json::json!([{"field": "text", "start": 12, "end": 17, "term": "BRICS"}])
    );
    assert_eq!(
        page["hits"][2]["spans"][0],
        serde_json::json!({"field": "text", "start": 25, "end": 29, "term": "визы"})
    );
    let everything = cli.json(&["search", "BRICS OR виз* OR visa-free"]);
    assert_eq!(everything["hits"].as_array().unwrap().len(), 4);
    let within = cli.json(&["search", "BRICS OR виз* OR visa-free", "--since", "2024-10-02", "--until", "2024-10-04"]);
    assert_eq!(titles(&within["hits"]), ["BRICS summit", "Визовый режим"]);
    let limited = cli.json(&["search", "BRICS OR визы", "--limit", "1"]);
    assert_eq!(titles(&limited["hits"]), ["SCO summit"]);
    assert!(limited["next"].is_object(), "{limited}");
    let ranked = cli.json(&["search", "BRICS", "--order", "relevance"]);
    assert_eq!(ranked["order"], "relevance");
    let bad = cli.run(&["--json", "search", "BRICS AND (SCO"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(bad.stdout.is_empty());
    let body = error_body(&bad);
    assert_eq!(body["error"]["code"], "invalid_query");
    assert_eq!(body["error"]["column"], 15);
    let human = cli.run(&["search", "BRICS AND (SCO"]);
    assert_eq!(human.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&human.stderr).contains("column 15"));
}

#[test]
fn search_filters_and_facets() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let line = |id: &str, title: &str, text: &str, source: &str, lang: &str, day: u32| {
        format!(
            "{}\n",
            serde_json::json!({"id": id, "title": title, "text": text, "source": source, "lang": lang,
                               "url": format!("https://{source}.example/{id}"),
                               "published": format!("2024-10-{day:02}T00:00:00Z")})
        )
    };
    let jsonl = [
        line("1", "BRICS summit opens", "Leaders of the BRICS group met in Kazan on Tuesday.", "wire", "en", 1),
        line("2", "BRICS bank lends", "The BRICS bank approved new loans for roads and ports.", "daily", "en", 2),
        line("3", "Саммит БРИКС", "Лидеры стран BRICS встретились в Казани во вторник.", "daily", "ru", 3),
        line("4", "Weather", "Sunny in Moscow all week, with a light breeze.", "wire", "en", 4),
    ]
    .concat();
    let file = write(&dir, "articles.jsonl", &jsonl);
    assert_eq!(cli.json(&["import", &file])["new_articles"], 4);
    cli.json(&["topics", "add", "Banks", "bank*"]);
    let titles = |v: &Value| -> Vec<String> {
        v["hits"].as_array().unwrap().iter().map(|m| m["title"].as_str().unwrap().to_string()).collect()
    };
    let sources = cli.json(&["sources", "list"]);
    let daily = sources.as_array().unwrap().iter().find(|s| s["name"] == "daily").unwrap()["id"].to_string();

    assert_eq!(titles(&cli.json(&["search", "BRICS"])), ["Саммит БРИКС", "BRICS bank lends", "BRICS summit opens"]);
    assert_eq!(titles(&cli.json(&["search", "BRICS", "--source", &daily])), ["Саммит БРИКС", "BRICS bank lends"]);
    assert_eq!(titles(&cli.json(&["search", "BRICS", "--lang", "ru"])), ["Саммит БРИКС"]);
    assert_eq!(titles(&cli.json(&["search", "BRICS", "--topic", "Banks"])), ["BRICS bank lends"]);
    assert_eq!(
        titles(&cli.json(&["search", "BRICS", "--unread", "--lang", "en", "--limit", "1"])),
        ["BRICS bank lends"]
    );
    let missing = cli.run(&["--json", "search", "BRICS", "--topic", "Nope"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(error_body(&missing)["error"]["code"], "not_found");

    // --facets: the matches counted per topic, source and language, under the same filters.
    let f = cli.json(&["search", "BRICS", "--facets"]);
    assert_eq!(f["total"], 3);
    assert!(f["capped"].is_null());
    assert_eq!(f["topics"], serde_json::json!([{"name": "Banks", "count": 1}]));
    assert_eq!(f["sources"][0]["name"], "daily");
    assert_eq!(f["sources"][0]["count"], 2);
    assert_eq!(f["sources"][0]["id"].to_string(), daily);
    assert_eq!(f["langs"], serde_json::json!([{"code": "en", "count": 2}, {"code": "ru", "count": 1}]));
    let f = cli.json(&["search", "BRICS", "--facets", "--lang", "en"]);
    assert_eq!(f["total"], 2);
    let human = cli.run(&["search", "BRICS", "--facets"]);
    assert!(human.status.success());
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.starts_with("3 matches") && text.contains("languages:") && text.contains("Banks"), "{text}");
}

impl Cli {
    /// Runs with `--json` and `stdin`, expects success.
    fn json_stdin(&self, args: &[&str], stdin: &str) -> Value {
        use std::io::Write;
        let mut child = self
            .command()
            .arg("--json")
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[test]
fn alerts_settings_and_secrets_keep_the_contract() {
    use mediawatch_testkit::WebhookReceiver;
    let server = TestServer::start();
    let now = chrono::Utc::now().to_rfc2822();
    let items = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let feed = items.clone();
    server.route("/feed.xml", move |_| {
        Response::ok(
            "application/rss+xml",
            format!("<rss version=\"2.0\"><channel><title>W</title>{}</channel></rss>", feed.lock().unwrap()),
        )
    });
    let hook = WebhookReceiver::start(vec![]);
    let cli = Cli::new();

    // Settings: every key with defaults; a bad key or value is invalid_input naming the key.
    let all = cli.json(&["settings", "get"]);
    for key in ["smtp.host", "smtp.port", "smtp.security", "smtp.user", "smtp.from", "alerts.timezone"] {
        assert!(all.get(key).is_some(), "settings get lacks {key}: {all}");
    }
    assert_eq!(all["alerts.news_max_age_days"], 7);
    assert_eq!(all["fetch.interval_minutes"], 30);
    assert_eq!(all["fetch.concurrency"], 8);
    assert!(all["fetch.user_agent"].is_null() && all["fetch.proxy"].is_null(), "{all}");
    assert_eq!(cli.json(&["settings", "set", "fetch.proxy", "none"])["fetch.proxy"], "none");
    assert_eq!(cli.json(&["settings", "set", "smtp.port", "2525"])["smtp.port"], 2525);
    assert_eq!(cli.json(&["settings", "get", "smtp.port"]), serde_json::json!({"smtp.port": 2525}));
    for (key, value) in [
        ("smtp.hots", "x"),
        ("smtp.security", "ssl"),
        ("alerts.timezone", "Mars/Base"),
        ("fetch.proxy", "ftp://proxy.example"),
        ("fetch.concurrency", "64"),
    ] {
        let out = cli.run(&["--json", "settings", "set", key, value]);
        assert_eq!(out.status.code(), Some(1));
        let e = error_body(&out);
        assert_eq!(e["error"]["code"], "invalid_input");
        assert!(e["error"]["message"].as_str().unwrap().contains(key), "{e}");
    }
    // A secret goes in through stdin and never comes back out.
    cli.json_stdin(&["secrets", "set", "smtp.password"], "correct horse\n");
    let shown = cli.run(&["--json", "settings", "get"]);
    assert!(!String::from_utf8_lossy(&shown.stdout).contains("correct horse"));

    // A rule with a signed webhook: the documented JSON.
    cli.json(&["topics", "add", "Visa policy", "\"visa-free\""]);
    cli.json(&["sources", "add", &server.url("/feed.xml")]);
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    // Quiet hours that never hold now (the binary reads the system clock): the two hours from three hours on.
    // A fixed window ("23:00-06:00") held the instant rule back whenever the test ran at night.
    let h = chrono::Timelike::hour(&chrono::Utc::now());
    let quiet = format!("{:02}:00-{:02}:00", (h + 3) % 24, (h + 5) % 24);
    let rule = cli.json_stdin(
        &[
            "alerts",
            "rules",
            "add",
            "--topic",
            "Visa policy",
            "--kind",
            "instant",
            "--channel",
            &format!("webhook:{}", hook.url()),
            "--channel",
            "inbox",
            "--name",
            "Visa now",
            "--quiet",
            &quiet,
            "--tz",
            "UTC",
            "--secret-stdin",
        ],
        secret,
    );
    for key in ["id", "name", "topic", "kind", "channels", "paused", "created_at"] {
        assert!(rule.get(key).is_some(), "rule JSON lacks {key}: {rule}");
    }
    assert_eq!(
        (rule["name"].as_str(), rule["kind"].as_str(), rule["paused"].as_bool()),
        (Some("Visa now"), Some("instant"), Some(false))
    );
    assert!(!rule.to_string().contains("MfKQ9r8"), "the secret never comes back: {rule}");
    let digest = cli.json(&[
        "alerts",
        "rules",
        "add",
        "--topic",
        "Visa policy",
        "--kind",
        "digest",
        "--channel",
        "inbox",
        "--at",
        "07:30",
        "--tz",
        "Europe/Moscow",
    ]);
    assert_eq!(
        digest["schedule"],
        serde_json::json!({"every": "day", "at": "07:30", "day": "mon", "tz": "Europe/Moscow"})
    );
    let spike =
        cli.json(&["alerts", "rules", "add", "--topic", "Visa policy", "--kind", "spike", "--channel", "inbox"]);
    assert_eq!(
        spike["spike"],
        serde_json::json!({"window": "6h", "baseline": "14d", "min_count": 5, "sensitivity": "medium"})
    );
    let bad = cli.run(&[
        "--json",
        "alerts",
        "rules",
        "add",
        "--topic",
        "Visa policy",
        "--kind",
        "instant",
        "--channel",
        "pager:1",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(error_body(&bad)["error"]["code"], "invalid_input");
    let paused = cli.json(&["alerts", "rules", "edit", &spike["id"].to_string(), "--paused"]);
    assert_eq!(paused["paused"], true);
    assert_eq!(cli.json(&["alerts", "rules", "list"]).as_array().unwrap().len(), 3);

    // A new article → fetch → one signed POST; alerts list shows it with its deliveries.
    *items.lock().unwrap() = format!(
        "<item><guid>a1</guid><title>Visa-free groups</title><link>https://w.example/1</link><pubDate>{now}</pubDate><description>visa-free</description></item>"
    );
    let summary = cli.json_stdin(&["fetch", "--all"], "");
    assert_eq!(summary["alerts"]["fired"], 1, "{summary}");
    let reqs = hook.requests();
    assert_eq!(reqs.len(), 1);
    let ts: i64 = reqs[0].header("webhook-timestamp").unwrap().parse().unwrap();
    assert!(mediawatch_core::alerts::sign::verify(
        secret,
        reqs[0].header("webhook-id").unwrap(),
        ts,
        &reqs[0].body,
        reqs[0].header("webhook-signature").unwrap()
    ));
    let alerts = cli.json(&["alerts", "list", "--unread"]);
    let a = &alerts[0];
    for key in [
        "id",
        "rule_id",
        "topic",
        "kind",
        "created_at",
        "read",
        "summary",
        "count",
        "baseline",
        "mentions",
        "deliveries",
    ] {
        assert!(a.get(key).is_some(), "alert JSON lacks {key}: {a}");
    }
    for key in ["article_id", "title", "url", "source", "published"] {
        assert!(a["mentions"][0].get(key).is_some(), "mention lacks {key}");
    }
    for key in ["channel", "status", "attempts", "last_error", "delivered_at"] {
        assert!(a["deliveries"][0].get(key).is_some(), "delivery lacks {key}");
    }
    assert_eq!(a["deliveries"][0]["status"], "delivered");
    cli.json(&["alerts", "read", "--all"]);
    assert_eq!(cli.json(&["alerts", "list", "--unread"]), serde_json::json!([]));
    // Nothing new: deliver sends nothing more.
    cli.json_stdin(&["alerts", "deliver"], "");
    assert_eq!(hook.requests().len(), 1);
    // Test: each channel's outcome.
    let outcomes = cli.json_stdin(&["alerts", "rules", "test", &rule["id"].to_string()], "");
    assert_eq!(outcomes.as_array().unwrap().len(), 2);
    assert!(outcomes.as_array().unwrap().iter().all(|o| o["ok"] == true), "{outcomes}");
    assert_eq!(hook.requests().len(), 2);
    cli.json(&["alerts", "rules", "remove", &rule["id"].to_string()]);
    assert_eq!(cli.json(&["alerts", "rules", "list"]).as_array().unwrap().len(), 2);
}

/// Two `mediawatch` processes evaluate the same rule over the same database at the same time: one alert.
#[test]
fn two_processes_on_one_database_fire_a_rule_once() {
    let server = TestServer::start();
    let now = chrono::Utc::now().to_rfc2822();
    let items: String = (0..10)
        .map(|i| format!("<item><guid>p{i}</guid><title>Visa-free item {i}</title><link>https://w.example/{i}</link><pubDate>{now}</pubDate><description>visa-free</description></item>"))
        .collect();
    server.route("/feed.xml", move |_| {
        Response::ok(
            "application/rss+xml",
            format!("<rss version=\"2.0\"><channel><title>W</title>{items}</channel></rss>"),
        )
    });
    let cli = Cli::new();
    cli.json(&["topics", "add", "Visa policy", "\"visa-free\""]);
    cli.json(&["sources", "add", &server.url("/feed.xml")]);
    // In quiet hours (a window around now) while the fetch stores the news, so that nothing fires yet; then
    // the quiet hours are cleared. (Not paused: a resumed rule skips what its pause covered.)
    let h = chrono::Timelike::hour(&chrono::Utc::now());
    let quiet = format!("{h:02}:00-{:02}:00", (h + 2) % 24);
    let rule = cli.json(&[
        "alerts",
        "rules",
        "add",
        "--topic",
        "Visa policy",
        "--kind",
        "instant",
        "--channel",
        "inbox",
        "--quiet",
        &quiet,
        "--tz",
        "UTC",
    ]);
    assert_eq!(cli.json(&["fetch", "--all"])["alerts"]["fired"], 0);
    cli.json(&["alerts", "rules", "edit", &rule["id"].to_string(), "--quiet", ""]);
    let spawn =
        || cli.command().args(["--json", "alerts", "deliver"]).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let procs: Vec<_> = (0..4).map(|_| spawn()).collect();
    let fired: u64 = procs
        .into_iter()
        .map(|p| {
            let out = p.wait_with_output().unwrap();
            assert!(out.status.success());
            serde_json::from_slice::<Value>(&out.stdout).unwrap()["fired"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(fired, 1, "four processes, one alert");
    let alerts = cli.json(&["alerts", "list"]);
    assert_eq!(alerts.as_array().unwrap().len(), 1);
    assert_eq!(alerts[0]["count"], 10);
}

#[test]
fn export_and_reports_keep_the_contract() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    cli.json(&["topics", "add", "BRICS", "BRICS OR БРИКС"]);
    let lines = [
        r#"{"id":"1","title":"BRICS, \"not G7\", sets the agenda","text":"Lavrov said BRICS sets the agenda.","lang":"en","source":"TASS","url":"https://tass.example/1","published":"2026-11-02T09:00:00Z"}"#,
        r#"{"id":"2","title":"БРИКС обсудил расчеты","text":"Министры стран БРИКС обсудили расчеты.","lang":"ru","source":"РИА","url":"https://ria.example/2","published":"2026-11-03T09:00:00Z"}"#,
    ];
    let file = write(&dir, "a.jsonl", &lines.join("\n"));
    cli.json(&["import", &file]);
    let out = dir.path().join("r.csv");
    let r = cli.json(&["export", "--format", "csv", "-o", out.to_str().unwrap(), "--topic", "BRICS", "--bom"]);
    for key in ["path", "format", "mentions", "articles", "bytes", "seconds"] {
        assert!(r.get(key).is_some(), "export --json lacks {key}: {r}");
    }
    assert_eq!(r["format"], "csv");
    assert_eq!(r["articles"], 2);
    assert_eq!(r["bytes"].as_u64().unwrap(), std::fs::metadata(&out).unwrap().len());
    let json = dir.path().join("r.json");
    cli.json(&["export", "--format", "json", "-o", json.to_str().unwrap(), "--lang", "ru", "--title", "Russian press"]);
    let doc: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(doc["report"]["title"], "Russian press");
    for key in ["title", "generated_at", "scope"] {
        assert!(doc["report"].get(key).is_some(), "report lacks {key}");
    }
    let mentions = doc["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), 1);
    for key in ["id", "title", "url", "source", "published", "lang", "snippet"] {
        assert!(mentions[0]["article"].get(key).is_some(), "article lacks {key}");
    }
    assert_eq!(mentions[0]["topics"][0], "BRICS");
    assert_eq!(mentions[0]["spans"][0]["term"], "БРИКС");

    // --tz: bare dates are that zone's days; the report's days and period are too; its instants stay UTC.
    let zoned = dir.path().join("z.json");
    let args = ["export", "--format", "json", "-o", zoned.to_str().unwrap(), "--since", "2026-11-01", "--until"];
    cli.json(&[&args[..], &["2026-11-08", "--tz", "Asia/Shanghai"]].concat());
    let doc: Value = serde_json::from_slice(&std::fs::read(&zoned).unwrap()).unwrap();
    assert_eq!(doc["report"]["timezone"], "Asia/Shanghai");
    assert_eq!(doc["report"]["scope"]["since"], "2026-10-31T16:00:00Z");
    assert_eq!(doc["report"]["scope"]["until"], "2026-11-07T16:00:00Z");
    assert_eq!(doc["report"]["period"], "1 Nov 2026 – 7 Nov 2026 (Asia/Shanghai)");
    let bad = cli.run(&["export", "--format", "csv", "-o", "x.csv", "--tz", "Mars/Olympus"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("Mars/Olympus"));

    // Errors name the problem: an unknown topic, a bad format, --last with --since.
    let unknown = cli.run(&["--json", "export", "--format", "csv", "-o", out.to_str().unwrap(), "--topic", "Arctic"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(error_body(&unknown)["error"]["message"].as_str().unwrap().contains("Arctic"));
    let bad = cli.run(&["export", "--format", "docx", "-o", "x.docx"]);
    assert_eq!(bad.status.code(), Some(2));
    let both = cli.run(&["export", "--format", "csv", "-o", "x.csv", "--last", "7d", "--since", "2026-11-01"]);
    assert_eq!(both.status.code(), Some(2));

    // Saved reports: save, list, run (the file's extension wins), schedule, remove.
    let saved = cli.json(&["reports", "save", "Weekly BRICS", "--format", "xlsx", "--topic", "BRICS", "--last", "30d"]);
    assert_eq!(saved["name"], "Weekly BRICS");
    assert_eq!(saved["definition"]["content"]["format"], "xlsx");
    let list = cli.json(&["reports", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let ran = dir.path().join("weekly.xlsx");
    let r = cli.json(&["reports", "run", "Weekly BRICS", "-o", ran.to_str().unwrap()]);
    assert_eq!(r["format"], "xlsx");
    assert!(std::fs::read(&ran).unwrap().starts_with(b"PK"), "an XLSX (zip) file");
    let as_csv = dir.path().join("weekly.csv");
    assert_eq!(cli.json(&["reports", "run", "Weekly BRICS", "-o", as_csv.to_str().unwrap()])["format"], "csv");
    let folder = dir.path().join("out");
    std::fs::create_dir(&folder).unwrap();
    let s = cli.json(&[
        "reports",
        "schedule",
        "Weekly BRICS",
        "--every",
        "week",
        "--day",
        "fri",
        "--at",
        "17:30",
        "--tz",
        "Europe/Moscow",
        "--to-dir",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(s["schedule"]["every"], "week");
    assert_eq!(s["schedule"]["day"], "fri");
    assert!(s["next_run_at"].is_string());
    let no_dest = cli.run(&["reports", "schedule", "Weekly BRICS", "--every", "day"]);
    assert_eq!(no_dest.status.code(), Some(2), "a schedule needs --to-dir or --email");
    cli.json(&["reports", "remove", "Weekly BRICS"]);
    let gone = cli.run(&["--json", "reports", "run", "Weekly BRICS", "-o", ran.to_str().unwrap()]);
    assert_eq!(error_body(&gone)["error"]["code"], "not_found");

    // Stars.
    let id = doc["mentions"][0]["article"]["id"].as_i64().unwrap().to_string();
    cli.json(&["star", &id]);
    let starred = dir.path().join("starred.json");
    cli.json(&["export", "--format", "json", "-o", starred.to_str().unwrap(), "--starred"]);
    let doc: Value = serde_json::from_slice(&std::fs::read(&starred).unwrap()).unwrap();
    assert_eq!(doc["mentions"].as_array().unwrap().len(), 1);
    assert_eq!(doc["mentions"][0]["starred"], true);
}

#[test]
fn mentions_take_stars_groups_and_the_relevance_order() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    cli.json(&["topics", "add", "Blocs", "BRICS OR SCO"]);
    // Scores: (3 × title spans + text spans) × distinct terms.
    let lines = [
        // title BRICS; text BRICS, SCO, SCO: (3 + 3) × 2 = 12
        serde_json::json!({"id": "a1", "title": "BRICS summit", "text": "BRICS and SCO leaders met. The SCO agreed.",
                           "source": "Wire A", "published": "2026-03-01T10:00:00Z"}),
        // title SCO; text BRICS: (3 + 1) × 2 = 8
        serde_json::json!({"id": "a2", "title": "SCO talks", "text": "A word about BRICS.",
                           "source": "Wire B", "published": "2026-03-02T10:00:00Z"}),
        // text BRICS: 1 × 1 = 1
        serde_json::json!({"id": "a3", "title": "Markets today", "text": "Shares rose; BRICS was mentioned once.",
                           "source": "Wire B", "published": "2026-03-03T10:00:00Z"}),
    ];
    let jsonl: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let file = dir.path().join("articles.jsonl");
    std::fs::write(&file, jsonl).unwrap();
    assert_eq!(cli.json(&["import", file.to_str().unwrap()])["new_articles"], 3);
    let titles = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|m| m["title"].as_str().unwrap().to_string()).collect()
    };

    assert_eq!(titles(&cli.json(&["mentions"])), ["Markets today", "SCO talks", "BRICS summit"]);
    let ranked = cli.json(&["mentions", "--order", "relevance"]);
    assert_eq!(titles(&ranked), ["BRICS summit", "SCO talks", "Markets today"]);
    let scores: Vec<i64> = ranked.as_array().unwrap().iter().map(|m| m["score"].as_i64().unwrap()).collect();
    assert_eq!(scores, [12, 8, 1]);
    assert_eq!(
        titles(&cli.json(&["mentions", "--topic", "Blocs", "--order", "relevance", "--limit", "2"])),
        ["BRICS summit", "SCO talks"]
    );
    assert_eq!(cli.run(&["mentions", "--order", "best"]).status.code(), Some(2), "an unknown order is a usage error");

    // Groups: any case; "" for the sources without one. Imported sources come in "Imported".
    assert_eq!(titles(&cli.json(&["mentions", "--group", "imported"])).len(), 3);
    let sources = cli.json(&["sources", "list"]);
    let id_of = |name: &str| -> String {
        sources.as_array().unwrap().iter().find(|s| s["name"] == name).unwrap()["id"].to_string()
    };
    cli.json(&["sources", "edit", &id_of("Wire A"), "--group", ""]);
    cli.json(&["sources", "edit", &id_of("Wire B"), "--group", "Wires"]);
    assert_eq!(titles(&cli.json(&["mentions", "--group", "wires"])), ["Markets today", "SCO talks"]);
    assert_eq!(titles(&cli.json(&["mentions", "--group", ""])), ["BRICS summit"]);
    assert!(cli.json(&["mentions", "--group", "Nobody"]).as_array().unwrap().is_empty());

    // Stars, with the other filters and orders.
    let all = cli.json(&["mentions"]);
    let id = |title: &str| -> String {
        all.as_array().unwrap().iter().find(|m| m["title"] == title).unwrap()["article_id"].to_string()
    };
    cli.json(&["star", &id("BRICS summit")]);
    cli.json(&["star", &id("Markets today")]);
    assert_eq!(titles(&cli.json(&["mentions", "--starred"])), ["Markets today", "BRICS summit"]);
    assert_eq!(
        titles(&cli.json(&["mentions", "--starred", "--order", "relevance"])),
        ["BRICS summit", "Markets today"]
    );
    assert_eq!(titles(&cli.json(&["mentions", "--starred", "--group", "Wires"])), ["Markets today"]);
    let human = cli.run(&["mentions", "--starred", "--order", "relevance"]);
    assert!(human.status.success());
    let text = String::from_utf8_lossy(&human.stdout);
    let (best, other) = (text.find("summit").unwrap(), text.find("Markets today").unwrap());
    assert!(best < other, "the best match first: {text}");
}
