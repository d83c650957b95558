//! End-to-end tests: render, then read the PDF back with poppler-utils.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use mediawatch_pdf::{render, Chart, Entry, Figure, Fonts, PdfError, ReportDoc, Snippet};

const RU: &str = "Путин и Ван И обсудили визовый режим";
const ZH: &str = "习近平会见王毅，讨论一带一路与上合组织";
const EN: &str = "BRICS ministers meet in Kazan to discuss payment systems";

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(Fonts::system)
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

fn snippet(text: &str, word: &str) -> Snippet {
    let highlights = text.match_indices(word).map(|(i, w)| (i, i + w.len())).collect();
    Snippet { text: text.into(), highlights }
}

fn entry(title: &str, lang: &str, date: &str, snip: &str, word: &str) -> Entry {
    Entry {
        title: title.into(),
        url: Some(format!("https://news.example.org/{lang}/{}", title.len())),
        source: "Example News".into(),
        date: date.into(),
        lang: Some(lang.into()),
        topics: vec!["BRICS".into(), "SCO".into()],
        snippets: vec![snippet(snip, word), snippet(snip, word)],
        also_published_by: vec!["Reuters".into(), "ТАСС".into()],
        full_text: None,
    }
}

fn doc() -> ReportDoc {
    let mut entries = Vec::new();
    for i in 0..12 {
        let day = format!("2026-11-{:02}", 30 - i / 4);
        entries.push(entry(
            EN,
            "en",
            &day,
            "The BRICS foreign ministers agreed to continue work on a settlement mechanism.",
            "BRICS",
        ));
        entries.push(entry(RU, "ru", &day, RU, "визовый"));
        entries.push(entry(ZH, "zh", &day, ZH, "上合组织"));
    }
    entries[0].full_text = Some("First paragraph with #hash, $dollar$, *star*, _under_, [bracket], <angle>, @at, \\ and `tick`.\n\nSecond paragraph.".into());
    ReportDoc {
        title: "Test report #1 — [BRICS] & *SCO*".into(),
        scope: vec!["Topics: BRICS, SCO".into(), "Sources: all".into(), "Languages: en, ru, zh".into()],
        period: "1 Nov 2026 – 30 Nov 2026 (UTC)".into(),
        generated_at: "7 Dec 2026 15:40 UTC".into(),
        counts: "36 mentions in 30 stories from 1 source".into(),
        figures: vec![Figure {
            title: "Mentions per topic".into(),
            rows: vec![("BRICS".into(), 1284), ("SCO".into(), 36)],
        }],
        charts: vec![Chart {
            title: "Volume: BRICS".into(),
            days: (1..=30).map(|d| (format!("2026-11-{d:02}"), (d * 7 % 11) as u64)).collect(),
        }],
        entries,
    }
}

fn rendered() -> &'static (tempfile::TempDir, PathBuf) {
    static PDF: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    PDF.get_or_init(|| {
        let bytes = render(&doc(), fonts()).expect("render");
        assert!(bytes.starts_with(b"%PDF-"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.pdf");
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    })
}

fn pdftotext(path: &Path, pages: Option<(u32, u32)>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some((f, l)) = pages {
        cmd.args(["-f", &f.to_string(), "-l", &l.to_string()]);
    }
    let out = cmd.arg(path).arg("-").output().expect("pdftotext");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn text_survives_in_three_scripts() {
    if !have("pdftotext") {
        eprintln!("skipping: pdftotext (poppler-utils) not installed");
        return;
    }
    let text = pdftotext(&rendered().1, None);
    for s in [EN, RU, ZH, "Also published by: Reuters, ТАСС", "Test report #1 — [BRICS] & *SCO*"] {
        assert!(text.contains(s), "missing {s:?} in extracted text");
    }
    // markup characters in data come out literally
    assert!(text.contains("#hash, $dollar$, *star*, _under_, [bracket], <angle>, @at"), "{text}");
    assert!(text.contains("1,284"));
}

#[test]
fn fonts_are_embedded_and_subset() {
    if !have("pdffonts") {
        eprintln!("skipping: pdffonts (poppler-utils) not installed");
        return;
    }
    let out = Command::new("pdffonts").arg(&rendered().1).output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = table.lines().skip(2).collect();
    assert!(rows.len() >= 2, "expected several fonts:\n{table}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [encoding...] emb sub uni object ID: emb/sub/uni are the
        // three yes/no columns before the final two (object, generation).
        let n = cols.len();
        assert!(n >= 7, "odd pdffonts row {row:?}");
        let (emb, sub) = (cols[n - 5], cols[n - 4]);
        assert_eq!(emb, "yes", "font not embedded: {row}");
        assert_eq!(sub, "yes", "font not subset: {row}");
        // subset fonts carry a "ABCDEF+" tag
        assert!(cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+', "{row}");
    }
}

#[test]
fn pages_and_contents() {
    if !have("pdfinfo") || !have("pdftotext") {
        eprintln!("skipping: poppler-utils not installed");
        return;
    }
    let path = &rendered().1;
    let info = String::from_utf8(Command::new("pdfinfo").arg(path).output().unwrap().stdout).unwrap();
    let pages: u32 =
        info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|p| p.trim().parse().ok()).expect("page count");
    // title, contents, summary, chart(s), ≥2 pages of 36 mentions
    assert!((5..=20).contains(&pages), "pages = {pages}");
    let title_page = pdftotext(path, Some((1, 1)));
    assert!(title_page.contains("Topics: BRICS, SCO") && title_page.contains("1 Nov 2026 – 30 Nov 2026 (UTC)"));
    assert!(!title_page.contains(" / "), "no page number on title page");
    let toc = pdftotext(path, Some((2, 2)));
    assert!(toc.contains("Contents"));
    let line = toc.lines().find(|l| l.contains("Mentions")).expect("Mentions in ToC");
    assert!(line.trim_end().ends_with(|c: char| c.is_ascii_digit()), "no page number: {line:?}");
    assert!(toc.contains("Summary") && toc.contains("Volume: BRICS") && toc.contains("2026-11-30"));
    // pdftotext may or may not keep the spaces around the slash.
    let squeezed: String = toc.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains(&format!("2/{pages}")), "page footer on ToC page: {toc}");
}

#[test]
fn links_point_to_urls() {
    let bytes = std::fs::read(&rendered().1).unwrap();
    let hay = String::from_utf8_lossy(&bytes);
    // typst-pdf writes link URIs uncompressed in annotation dictionaries
    assert!(hay.contains("https://news.example.org/en/"), "no link annotation found");
}

#[test]
fn deterministic_output() {
    let a = render(&doc(), fonts()).unwrap();
    let b = render(&doc(), fonts()).unwrap();
    assert!(a == b, "two renders of the same document differ");
}

#[test]
fn missing_cjk_font_is_reported() {
    let src =
        ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"]
            .into_iter()
            .map(Path::new)
            .find(|p| p.exists());
    let Some(src) = src else {
        eprintln!("skipping: neither DejaVuSans.ttf nor NotoSans-Regular.ttf installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(src, dir.path().join(src.file_name().unwrap())).unwrap();
    let latin_only = Fonts::from_dirs(&[dir.path().to_path_buf()]);
    assert_eq!(latin_only.len(), 1);
    let mut d = doc();
    d.entries = vec![entry(ZH, "zh", "2026-11-30", "plain latin", "latin")];
    match render(&d, &latin_only) {
        Err(PdfError::MissingScript { script, sample, package }) => {
            assert_eq!(script, "Han");
            assert_eq!(package, "fonts-noto-cjk");
            assert!(sample.contains("习近平"), "{sample}");
        }
        other => panic!("expected MissingScript, got {other:?}"),
    }
    // Latin/Cyrillic-only text renders with that one font
    d.entries = vec![entry(RU, "ru", "2026-11-30", RU, "визовый")];
    assert!(render(&d, &latin_only).is_ok());
}

#[test]
fn empty_report_renders() {
    let d = ReportDoc { title: "Empty".into(), ..Default::default() };
    let bytes = render(&d, fonts()).expect("render empty");
    assert!(bytes.starts_with(b"%PDF-"));
}
