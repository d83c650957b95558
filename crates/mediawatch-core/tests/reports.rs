//! Reports end to end through the core: every scope filter (alone and combined) against a direct query of
//! the database, and every format read back by another program's reader: CSV (the csv crate), XLSX
//! (calamine, and the workbook's XML for what calamine does not read), JSON and NDJSON (the JSON Schema in
//! docs/), HTML (parsed), PDF (poppler's pdftotext, pdffonts and pdftoppm).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use mediawatch_core::model::{Id, NewTopic, ReportContent, ReportDefinition, ReportFormat, ReportScope, SourceUpdate};
use mediawatch_core::{CancellationToken, ErrorCode, Mediawatch};

const STORY: &str = "BRICS foreign ministers agreed on Tuesday to draft a joint statement on reform of the United \
Nations Security Council and to set up a working group on settlements in national currencies, Russian Foreign \
Minister Sergei Lavrov told reporters after a two-day meeting in Moscow.

The meeting brought together the ministers of Brazil, Russia, India, China and South Africa as well as the new \
members Egypt, Ethiopia, Iran and the United Arab Emirates. Lavrov said the talks had been frank and constructive \
and that the group would present its proposals at the leaders' summit in Kazan in October.

Chinese Foreign Minister Wang Yi said Beijing supported a larger role for developing countries in global \
governance and called for the expansion of the New Development Bank's lending in local currencies. Indian External \
Affairs Minister Subrahmanyam Jaishankar stressed that the grouping was not directed against anyone and should \
focus on trade, health and food security.";

const RU: &str = "Путин и Ван И обсудили визовый режим";
const ZH: &str = "习近平会见王毅，讨论一带一路与上合组织";
const QUOTED: &str = "Lavrov: \"BRICS, not the G7\", sets the agenda";

/// The articles: (id in the file, source, published, lang, title, text).
fn lines() -> Vec<serde_json::Value> {
    let a = |id: &str, source: &str, day: u32, lang: &str, title: &str, text: &str| {
        serde_json::json!({
            "id": id, "source": source, "published": format!("2026-11-{day:02}T09:00:00Z"), "lang": lang,
            "title": title, "text": text, "url": format!("https://{}.example/{id}", source.to_lowercase().replace(' ', "-")),
        })
    };
    vec![
        a("a1", "Reuters", 2, "en", "BRICS ministers meet in Moscow", STORY),
        // A syndicated copy of a1: one story.
        a("a2", "Xinhua", 3, "en", "BRICS ministers agree to draft a statement", STORY),
        a("a3", "TASS", 3, "ru", RU, "Президенты обсудили безвизовый режим для туристов и работу ШОС. Визовый вопрос решён."),
        a("a4", "Xinhua", 4, "zh", ZH, "习近平会见王毅。双方讨论了一带一路倡议和上合组织的合作。"),
        a("a5", "Reuters", 5, "en", "Visa-free travel between Russia and China extended", "The visa-free regime for tour groups, agreed at the SCO summit, is extended.\nOfficials said so on Tuesday."),
        a("a6", "Reuters", 1, "en", "Grain prices rise", "Wheat futures rose on Monday in Chicago."),
        a("a7", "TASS", 6, "en", QUOTED, "Russian Foreign Minister Sergei Lavrov said BRICS, not the G7, sets the agenda of the global majority."),
    ]
}

struct Fixture {
    core: Mediawatch,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("mw.db")).unwrap()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The ids of the flagged articles a direct query finds, for `sql` (a condition over `a`, `s`, `m`, `t`).
    fn expected(&self, sql: &str) -> BTreeSet<Id> {
        let db = self.db();
        let q = format!(
            "SELECT DISTINCT a.id FROM articles a JOIN sources s ON s.id = a.source_id
             JOIN mentions m ON m.article_id = a.id JOIN topics t ON t.id = m.topic_id WHERE {sql}"
        );
        let mut st = db.prepare(&q).unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    fn article_id(&self, title: &str) -> Id {
        self.db().query_row("SELECT id FROM articles WHERE title = ?1", [title], |r| r.get(0)).unwrap()
    }

    async fn export(&self, scope: ReportScope, format: ReportFormat, name: &str) -> PathBuf {
        self.export_with(scope, ReportContent { format, ..ReportContent::default() }, name).await
    }

    async fn export_with(&self, scope: ReportScope, content: ReportContent, name: &str) -> PathBuf {
        let path = self.path(name);
        let def = ReportDefinition { scope, content };
        self.core.export_report(def, path.clone(), |_| {}, CancellationToken::new()).await.unwrap();
        path
    }

    /// The article ids of a JSON export of `scope`.
    async fn ids(&self, scope: ReportScope) -> BTreeSet<Id> {
        let path = self.export(scope, ReportFormat::Json, "scope.json").await;
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        v["mentions"].as_array().unwrap().iter().map(|m| m["article"]["id"].as_i64().unwrap()).collect()
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 7, 0, 0, 0).unwrap()
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let core = Mediawatch::open(dir.path().join("mw.db")).unwrap().with_clock(now);
    for (name, query) in [
        ("BRICS", "BRICS OR БРИКС OR 金砖"),
        ("SCO", "SCO OR \"Shanghai Cooperation Organisation\" OR ШОС OR 上合组织"),
        ("Visa", "visa* OR безвиз* OR виз*"),
        ("Belt and Road", "\"Belt and Road\" OR 一带一路"),
    ] {
        core.add_topic(NewTopic { name: name.into(), query: query.into(), description: None, stem: false })
            .await
            .unwrap();
    }
    let file = dir.path().join("articles.jsonl");
    let text: Vec<String> = lines().iter().map(|l| l.to_string()).collect();
    std::fs::write(&file, text.join("\n")).unwrap();
    let summary = core.import(file).await.unwrap();
    assert_eq!(summary.new_articles, 7, "{summary:?}");
    let reuters = core.list_sources().await.unwrap().into_iter().find(|s| s.name == "Reuters").unwrap();
    core.update_source(reuters.id, SourceUpdate { group: Some("Wires".into()), ..SourceUpdate::default() })
        .await
        .unwrap();
    let f = Fixture { core, dir };
    f.core.star_article(f.article_id(RU), true).await.unwrap();
    f
}

fn scope() -> ReportScope {
    ReportScope::default()
}

#[tokio::test]
async fn each_filter_alone_and_combined_gives_what_a_direct_query_gives() {
    let f = fixture().await;
    let reuters: Id = f.db().query_row("SELECT id FROM sources WHERE name = 'Reuters'", [], |r| r.get(0)).unwrap();
    let all = f.expected("1");
    assert_eq!(all.len(), 6, "every article but the grain one is flagged");
    // The syndicated copy is a story of its own? No: one story, two articles.
    let stories: i64 = f
        .db()
        .query_row(
            "SELECT COUNT(DISTINCT COALESCE(cluster_id, id)) FROM articles WHERE title LIKE 'BRICS ministers%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stories, 1, "the two copies of the ministers' story are one story");

    let cases: Vec<(&str, ReportScope, String)> = vec![
        ("every topic", scope(), "1".into()),
        ("one topic", ReportScope { topics: vec!["SCO".into()], ..scope() }, "t.name = 'SCO'".into()),
        (
            "two topics",
            ReportScope { topics: vec!["SCO".into(), "Visa".into()], ..scope() },
            "t.name IN ('SCO', 'Visa')".into(),
        ),
        (
            "since and until",
            ReportScope {
                since: Some(Utc.with_ymd_and_hms(2026, 11, 3, 0, 0, 0).unwrap()),
                until: Some(Utc.with_ymd_and_hms(2026, 11, 5, 0, 0, 0).unwrap()),
                ..scope()
            },
            "a.sort_at >= '2026-11-03' AND a.sort_at < '2026-11-05'".into(),
        ),
        ("the last 3 days", ReportScope { last: Some("3d".into()), ..scope() }, "a.sort_at >= '2026-11-04'".into()),
        ("a source", ReportScope { sources: vec![reuters], ..scope() }, format!("a.source_id = {reuters}")),
        ("a group", ReportScope { group: Some("wires".into()), ..scope() }, "s.name = 'Reuters'".into()),
        ("Russian", ReportScope { langs: vec!["ru".into()], ..scope() }, "a.lang = 'ru'".into()),
        ("Chinese", ReportScope { langs: vec!["ZH".into()], ..scope() }, "a.lang = 'zh'".into()),
        (
            "a query",
            ReportScope { query: Some("Lavrov".into()), ..scope() },
            "(a.text LIKE '%Lavrov%' OR a.title LIKE '%Lavrov%')".into(),
        ),
        ("starred", ReportScope { starred: true, ..scope() }, "a.starred_at IS NOT NULL".into()),
        (
            "the newest 2",
            ReportScope { limit: Some(2), ..scope() },
            "a.id IN (SELECT x.id FROM articles x WHERE EXISTS (SELECT 1 FROM mentions y WHERE y.article_id = x.id)
                      ORDER BY x.sort_at DESC, x.id DESC LIMIT 2)"
                .into(),
        ),
        (
            "combined",
            ReportScope {
                topics: vec!["BRICS".into()],
                langs: vec!["en".into()],
                group: Some("Wires".into()),
                since: Some(Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap()),
                ..scope()
            },
            "t.name = 'BRICS' AND a.lang = 'en' AND s.group_name = 'Wires' AND a.sort_at >= '2026-11-02'".into(),
        ),
    ];
    for (what, scope, sql) in cases {
        let expected = f.expected(&sql);
        assert!(!expected.is_empty(), "{what}: the fixture must give this filter something to find");
        assert_eq!(f.ids(scope).await, expected, "{what}");
    }
}

#[tokio::test]
async fn a_scope_that_names_what_does_not_exist_says_so() {
    let f = fixture().await;
    let path = f.path("x.csv");
    let def = |scope| ReportDefinition {
        scope,
        content: ReportContent { format: ReportFormat::Csv, ..ReportContent::default() },
    };
    for (scope, needle) in [
        (ReportScope { topics: vec!["Arctic".into()], ..scope() }, "no topic named 'Arctic'"),
        (ReportScope { group: Some("Blogs".into()), ..scope() }, "no source group named 'Blogs'"),
        (ReportScope { sources: vec![999], ..scope() }, "no source with id 999"),
        (ReportScope { query: Some("BRICS AND (".into()), ..scope() }, "invalid query"),
    ] {
        let e = f.core.export_report(def(scope), path.clone(), |_| {}, CancellationToken::new()).await.unwrap_err();
        assert!(e.to_string().contains(needle), "{e}");
    }
    let missing = f.path("no/such/folder/x.csv");
    let e = f.core.export_report(def(scope()), missing, |_| {}, CancellationToken::new()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Storage);
    assert!(e.to_string().contains("does not exist"), "{e}");
}

#[tokio::test]
async fn a_cancelled_export_leaves_the_file_that_was_there() {
    let f = fixture().await;
    let path = f.path("brief.xlsx");
    std::fs::write(&path, b"last week's report").unwrap();
    let cancel = CancellationToken::new();
    cancel.cancel();
    let def = ReportDefinition::default();
    let e = f.core.export_report(def, path.clone(), |_| {}, cancel).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Cancelled);
    assert_eq!(std::fs::read(&path).unwrap(), b"last week's report");
    let left: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(left.is_empty(), "no partial file is left behind: {left:?}");
}

#[tokio::test]
async fn csv_reads_back_with_its_bom_and_its_quoting() {
    let f = fixture().await;
    let content = ReportContent { format: ReportFormat::Csv, bom: true, ..ReportContent::default() };
    let path = f.export_with(scope(), content, "r.csv").await;
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a UTF-8 BOM first");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "an ordinary file, not the temporary file's 0600");
    }
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "published");
    assert_eq!(&headers[1], "title");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6, "one row per flagged article, copies included");
    let titles: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert!(titles.contains(&QUOTED), "commas and quotes survive: {titles:?}");
    assert!(titles.contains(&RU) && titles.contains(&ZH));
    assert!(
        String::from_utf8_lossy(&bytes).contains("\"Lavrov: \"\"BRICS, not the G7\"\", sets the agenda\""),
        "RFC 4180 quoting"
    );
    // The newline of a snippet stays inside its field.
    let visa = rows.iter().find(|r| r[1].starts_with("Visa-free")).unwrap();
    assert_eq!(&visa[3], "Reuters");
    assert!(visa[5].contains("Visa") && visa[5].contains("SCO"), "{:?}", &visa[5]);
    // Syndicated copies name each other.
    let copy = rows.iter().find(|r| &r[1] == "BRICS ministers agree to draft a statement").unwrap();
    assert_eq!(&copy[9], "Reuters");
    let no_bom = f.export(scope(), ReportFormat::Csv, "plain.csv").await;
    assert!(std::fs::read(no_bom).unwrap().starts_with(b"published,"));
}

#[tokio::test]
async fn xlsx_reads_back_with_dates_links_a_chart_a_frozen_header_and_a_filter() {
    use calamine::{Data, DataType, Reader, Xlsx};
    let f = fixture().await;
    let content =
        ReportContent { format: ReportFormat::Xlsx, timezone: Some("UTC".into()), ..ReportContent::default() };
    let path = f.export_with(scope(), content, "r.xlsx").await;
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["Summary", "Mentions"]);
    let sheet = book.worksheet_range("Mentions").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 7, "a header and six articles");
    assert_eq!(rows[0][0], Data::String("Published (UTC)".into()));
    // Newest first: the quoted title of 6 November.
    assert!(matches!(rows[1][0], Data::DateTime(_)), "a real Excel date: {:?}", rows[1][0]);
    let published = rows[1][0].as_datetime().unwrap();
    assert_eq!(published.to_string(), "2026-11-06 09:00:00");
    assert_eq!(rows[1][1], Data::String(QUOTED.into()));
    let titles: Vec<String> = rows.iter().map(|r| r[1].to_string()).collect();
    assert!(titles.contains(&RU.to_string()) && titles.contains(&ZH.to_string()));
    let summary = book.worksheet_range("Summary").unwrap();
    let cells: Vec<String> = summary.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(cells.iter().any(|c| c.contains("6 mentions") || c.contains("mentions in 5 stories")), "{cells:?}");

    // What calamine does not read: the workbook's XML.
    let file = std::fs::File::open(&path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let mentions = xml("xl/worksheets/sheet2.xml");
    assert!(mentions.contains("<pane ySplit=\"1\""), "the header row is frozen");
    assert!(mentions.contains("<autoFilter ref=\"A1:L7\""), "an autofilter over the rows");
    assert_eq!(mentions.matches("<hyperlink ").count(), 6, "every title links to its article");
    let chart = xml("xl/charts/chart1.xml");
    assert!(chart.contains("Summary!"), "the chart draws the Summary sheet's volume table");
    assert!(xml("xl/worksheets/_rels/sheet2.xml.rels").contains("https://tass.example/a7"));
}

fn validate(schema: &serde_json::Value, doc: &serde_json::Value) {
    let validator = jsonschema::validator_for(schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn schema() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn json_and_ndjson_exports_validate_against_the_schema() {
    let f = fixture().await;
    let schema = schema();
    let content = ReportContent {
        format: ReportFormat::Json,
        full_text: true,
        title: Some("Weekly".into()),
        ..ReportContent::default()
    };
    let path = f.export_with(ReportScope { last: Some("7d".into()), ..scope() }, content, "r.json").await;
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    validate(&schema, &doc);
    assert_eq!(doc["report"]["title"], "Weekly");
    assert_eq!(doc["report"]["scope"]["since"], "2026-10-31T00:00:00Z", "--last is resolved in the scope");
    assert_eq!(doc["summary"]["articles"], 6);
    assert_eq!(doc["summary"]["stories"], 5, "the syndicated copy counts once");
    let ministers: Vec<&serde_json::Value> = doc["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["article"]["title"].as_str().unwrap().starts_with("BRICS ministers"))
        .collect();
    assert_eq!(ministers.len(), 2);
    assert_eq!(ministers[0]["story"], ministers[1]["story"]);
    assert!(ministers[0]["article"]["text"].as_str().unwrap().contains("Kazan"), "--full-text");
    let ru = doc["mentions"].as_array().unwrap().iter().find(|m| m["article"]["title"] == RU).unwrap();
    assert_eq!(ru["starred"], true);
    let snippet = &ru["snippets"][0];
    let text = snippet["text"].as_str().unwrap();
    let (a, b) = (
        snippet["highlights"][0][0].as_u64().unwrap() as usize,
        snippet["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[a..b], "визовый", "highlights are byte ranges of the matched words");

    let lines = f.export(scope(), ReportFormat::Ndjson, "r.ndjson").await;
    let mentions: Vec<serde_json::Value> =
        std::fs::read_to_string(lines).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(mentions.len(), 6);
    validate(&schema, &serde_json::json!({"report": doc["report"], "summary": doc["summary"], "mentions": mentions}));
}

#[tokio::test]
async fn html_is_one_self_contained_file() {
    let f = fixture().await;
    let path = f.export(ReportScope { topics: vec!["BRICS".into()], ..scope() }, ReportFormat::Html, "r.html").await;
    let html = std::fs::read_to_string(&path).unwrap();
    let doc = dom_query::Document::from(html.as_str());
    for tag in ["script", "link", "iframe", "img", "object", "embed"] {
        assert_eq!(doc.select(tag).length(), 0, "no <{tag}>");
    }
    assert_eq!(doc.select("[src]").length(), 0, "nothing is loaded from anywhere");
    assert!(!html.contains("url(") && !html.contains("@import"), "no CSS resource");
    assert!(doc.select("svg").length() >= 1, "an inline SVG chart");
    // Folded: the syndicated copy is one entry with "also published by".
    let entries = doc.select("article.entry");
    assert_eq!(entries.length(), 2, "two BRICS stories");
    assert!(html.contains("Also published by: Xinhua"), "{html}");
    let marks: Vec<String> = doc.select("mark").iter().map(|m| m.text().to_string()).collect();
    assert!(marks.iter().all(|m| m == "BRICS"), "{marks:?}");
    assert!(html.contains(&QUOTED.replace('"', "&quot;")));
    let links: Vec<String> = doc.select("a[href]").iter().map(|a| a.attr("href").unwrap().to_string()).collect();
    assert!(links.iter().all(|l| l.starts_with("https://")), "{links:?}");
}

#[tokio::test]
async fn saved_reports_run_and_come_due_into_their_folder() {
    let f = fixture().await;
    let def = ReportDefinition {
        scope: ReportScope { topics: vec!["Visa".into()], ..scope() },
        content: ReportContent { format: ReportFormat::Csv, ..ReportContent::default() },
    };
    let saved = f.core.save_report("Visa weekly".into(), def).await.unwrap();
    assert_eq!(saved.name, "Visa weekly");
    let out = f.path("visa.csv");
    let run = f.core.run_report("visa WEEKLY".into(), out.clone()).await.unwrap();
    assert_eq!(run.articles, 2);
    let listed = f.core.list_reports().await.unwrap();
    assert_eq!(listed[0].last_path.as_deref(), Some(out.to_str().unwrap()));

    let folder = f.path("out");
    std::fs::create_dir(&folder).unwrap();
    let schedule = mediawatch_core::model::ReportSchedule {
        every: mediawatch_core::model::DigestEvery::Day,
        at: "08:00".into(),
        day: "mon".into(),
        tz: "Europe/Moscow".into(),
        to_dir: Some(folder.display().to_string()),
        email: None,
    };
    let s = f.core.schedule_report("Visa weekly".into(), Some(schedule)).await.unwrap();
    // 08:00 in Moscow is 05:00 UTC: the next run after midnight UTC on 7 November.
    assert_eq!(s.next_run_at, Some(Utc.with_ymd_and_hms(2026, 11, 7, 5, 0, 0).unwrap()));
    assert!(f.core.run_due_reports().await.unwrap().written.is_empty(), "not due yet");
    let later = f.core.clone().with_clock(|| Utc.with_ymd_and_hms(2026, 11, 8, 6, 0, 0).unwrap());
    let run = later.run_due_reports().await.unwrap();
    assert_eq!(run.written.len(), 1, "{run:?}");
    // Named by the time in the schedule's zone (06:00 UTC is 09:00 in Moscow).
    assert!(run.written[0].path.ends_with("Visa-weekly-2026-11-08-0900.csv"), "{}", run.written[0].path);
    assert!(later.run_due_reports().await.unwrap().written.is_empty(), "once per due time, however late");
    let s = later.saved_report("Visa weekly".into()).await.unwrap();
    assert_eq!(s.next_run_at, Some(Utc.with_ymd_and_hms(2026, 11, 9, 5, 0, 0).unwrap()));
    f.core.remove_report("Visa weekly".into()).await.unwrap();
    assert!(f.core.list_reports().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_preview_counts_the_scope_and_shows_the_first_page() {
    let f = fixture().await;
    let count = f.core.report_count(scope()).await.unwrap();
    assert_eq!((count.articles, count.stories, count.sources), (6, 5, 3));
    let def = ReportDefinition {
        scope: scope(),
        content: ReportContent { format: ReportFormat::Html, ..ReportContent::default() },
    };
    let p = f.core.preview_report(def).await.unwrap();
    assert_eq!(p.count, count);
    assert_eq!(p.rows.len(), 6);
    assert!(p.html.unwrap().contains("Mentions"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scheduled_report_goes_out_by_e_mail_with_the_file_attached() {
    use base64::Engine;
    let f = fixture().await;
    let sink = mediawatch_testkit::SmtpSink::start();
    for (k, v) in [
        ("smtp.host", "127.0.0.1".to_string()),
        ("smtp.port", sink.port().to_string()),
        ("smtp.security", "none".into()),
        ("smtp.from", "mediawatch@example.org".into()),
    ] {
        f.core.set_setting(k.into(), v).await.unwrap();
    }
    let def = ReportDefinition {
        scope: ReportScope { topics: vec!["BRICS".into()], ..scope() },
        content: ReportContent { format: ReportFormat::Csv, ..ReportContent::default() },
    };
    f.core.save_report("BRICS daily".into(), def).await.unwrap();
    let schedule = mediawatch_core::model::ReportSchedule {
        every: mediawatch_core::model::DigestEvery::Day,
        at: "07:00".into(),
        day: "mon".into(),
        tz: "UTC".into(),
        to_dir: None,
        email: Some("director@example.org".into()),
    };
    f.core.schedule_report("BRICS daily".into(), Some(schedule)).await.unwrap();
    let later = f.core.clone().with_clock(|| Utc.with_ymd_and_hms(2026, 11, 7, 7, 30, 0).unwrap());
    let run = later.run_due_reports().await.unwrap();
    assert!(run.failed.is_empty(), "{run:?}");
    assert_eq!(run.written[0].path, "email:director@example.org");
    let mails = sink.messages();
    assert_eq!(mails.len(), 1);
    let raw = &mails[0].data;
    assert!(raw.contains("multipart/mixed"), "{raw}");
    let part = raw.split("Content-Disposition: attachment").nth(1).expect("an attachment");
    assert!(part.contains("BRICS-daily-2026-11-07-0730.csv"), "{part}");
    let (head, body) = part.split_once("\r\n\r\n").unwrap();
    let body: Vec<&str> = body.split("\r\n").take_while(|l| !l.starts_with("--")).collect();
    let csv = if head.to_ascii_lowercase().contains("base64") {
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(body.concat().trim()).unwrap()).unwrap()
    } else {
        assert!(!head.to_ascii_lowercase().contains("quoted-printable"), "{head}");
        body.join("\r\n")
    };
    assert!(csv.starts_with("published,title,"), "{csv}");
    assert_eq!(csv.lines().count(), 4, "the header and the three BRICS articles: {csv}");
    let saved = later.saved_report("BRICS daily".into()).await.unwrap();
    assert_eq!(saved.last_path.as_deref(), Some("email:director@example.org"));
    assert_eq!(saved.next_run_at, Some(Utc.with_ymd_and_hms(2026, 11, 8, 7, 0, 0).unwrap()));
}

/// Runs a poppler tool; `None` (and a message) when poppler-utils is not installed.
fn poppler(tool: &str, args: &[&str]) -> Option<String> {
    match std::process::Command::new(tool).args(args).output() {
        Ok(o) => {
            assert!(o.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(std::env::var_os("CI").is_none(), "{tool} is missing: make test installs poppler-utils");
            eprintln!("skipped: {tool} is not installed (apt install poppler-utils)");
            None
        }
        Err(e) => panic!("{tool}: {e}"),
    }
}

#[tokio::test]
async fn pdf_text_comes_out_intact_in_every_script_with_every_font_embedded() {
    let f = fixture().await;
    let content = ReportContent {
        format: ReportFormat::Pdf,
        title: Some("Russia–China: November".into()),
        ..ReportContent::default()
    };
    let path = f.export_with(scope(), content, "r.pdf").await;
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let p = path.to_str().unwrap();
    let Some(text) = poppler("pdftotext", &["-layout", p, "-"]) else { return };
    for title in [RU, ZH, "Visa-free travel between Russia and China extended", "Russia–China: November"] {
        assert!(text.contains(title), "pdftotext lost {title:?}:\n{text}");
    }
    assert!(text.contains("Contents"), "a table of contents");
    assert!(text.contains("Also published by"), "the syndicated copy is folded into its story");
    assert!(!text.contains('\u{fffd}'), "no replacement characters");
    let fonts = poppler("pdffonts", &[p]).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID: "emb" and "sub" are the 4th and 3rd from the end.
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "every font is embedded: {row}");
        assert_eq!(cols[n - 4], "yes", "and subset: {row}");
    }
    let png = f.path("page1");
    poppler("pdftoppm", &["-png", "-r", "50", "-f", "1", "-l", "1", p, png.to_str().unwrap()]).unwrap();
    let page = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name().unwrap().to_string_lossy().starts_with("page1") && p.extension().is_some_and(|e| e == "png")
        })
        .expect("page 1 rendered");
    assert!(std::fs::metadata(page).unwrap().len() > 5_000, "page 1 renders to a picture with something on it");
}

#[tokio::test]
async fn a_pdf_in_a_script_no_font_covers_is_an_error_that_names_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let latin = dir.path().join("fonts");
    std::fs::create_dir(&latin).unwrap();
    // A Latin-and-Cyrillic font only: Noto Sans (fonts-noto-core, which make test installs), else DejaVu Sans.
    let font =
        ["/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]
            .into_iter()
            .map(Path::new)
            .find(|p| p.exists())
            .expect("no Noto Sans or DejaVu Sans: apt install fonts-noto-core (make test does)");
    std::fs::copy(font, latin.join(font.file_name().unwrap())).unwrap();
    let f = fixture().await;
    let core = f.core.clone().with_font_dirs(vec![latin]);
    let path = f.path("zh.pdf");
    std::fs::write(&path, b"the old report").unwrap();
    let def = ReportDefinition {
        scope: ReportScope { langs: vec!["zh".into()], ..scope() },
        content: ReportContent { format: ReportFormat::Pdf, ..ReportContent::default() },
    };
    let e = core.export_report(def, path.clone(), |_| {}, CancellationToken::new()).await.unwrap_err();
    let message = e.to_string();
    assert!(message.contains("Han") && message.contains("fonts-noto-cjk"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), b"the old report", "nothing is replaced by a failed export");
}

#[tokio::test]
async fn a_report_reads_its_days_and_times_in_its_zone() {
    use calamine::{DataType, Reader, Xlsx};
    let f = fixture().await;
    // XLSX: Excel dates have no zone, so they are the zone's wall time, and the header says which.
    let moscow = ReportContent {
        format: ReportFormat::Xlsx,
        timezone: Some("Europe/Moscow".into()),
        ..ReportContent::default()
    };
    let path = f.export_with(scope(), moscow, "moscow.xlsx").await;
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("Mentions").unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows[0][0].to_string(), "Published (Europe/Moscow)");
    assert_eq!(rows[1][0].as_datetime().unwrap().to_string(), "2026-11-06 12:00:00", "09:00 UTC");

    // No zone of its own: the alerts' zone. The period, the volume and the entries' days are Shanghai's.
    f.core.set_setting("alerts.timezone".into(), "Asia/Shanghai".into()).await.unwrap();
    let until = Utc.with_ymd_and_hms(2026, 11, 7, 0, 0, 0).unwrap();
    let period = ReportScope {
        since: Some(Utc.with_ymd_and_hms(2026, 10, 31, 16, 0, 0).unwrap()),
        until: Some(until - chrono::Duration::hours(8)),
        ..scope()
    };
    let html = std::fs::read_to_string(f.export(period.clone(), ReportFormat::Html, "shanghai.html").await).unwrap();
    assert!(html.contains("1 Nov 2026 – 6 Nov 2026 (Asia/Shanghai)"), "the period in Shanghai's days");
    assert!(html.contains("Stories per day (Asia/Shanghai)"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.export(period, ReportFormat::Json, "shanghai.json").await).unwrap())
            .unwrap();
    assert_eq!(json["report"]["timezone"], "Asia/Shanghai");
    assert_eq!(json["summary"]["buckets"][0], "2026-11-01");
    assert_eq!(json["summary"]["buckets"].as_array().unwrap().len(), 6);
    // Machine-read times stay UTC.
    assert!(json["report"]["generated_at"].as_str().unwrap().ends_with('Z'), "{}", json["report"]["generated_at"]);

    let err = f
        .core
        .export_report(
            ReportDefinition {
                scope: scope(),
                content: ReportContent { timezone: Some("Mars/Olympus".into()), ..ReportContent::default() },
            },
            f.path("mars.xlsx"),
            |_| {},
            Default::default(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Mars/Olympus"), "{err}");
}
