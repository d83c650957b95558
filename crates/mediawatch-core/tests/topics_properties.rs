//! Property tests of the topic engine: random queries over every construct of the query language
//! (`shared/design/QUERY-LANGUAGE.md`) against random articles, written from one small vocabulary so that
//! they meet often. The fast matcher (`topics::engine`) must give exactly what the plain reference evaluator
//! (`topics::reference`) gives — the same topics and the same spans — with stemming off and on, with many
//! topics in one matcher so that candidate selection is exercised. Also: the parser, `check()` and the
//! canonical form never panic, and the canonical form is a fixed point of parse-then-print.

use mediawatch_core::topics::query::{self, Query};
use mediawatch_core::topics::reference::Reference;
use mediawatch_core::topics::{check, Document, Matcher, PreparedArticle, TopicSpec};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::Config;

/// Words that articles and queries share: English (with inflections the stemmer folds), Russian with ё/е
/// and cases, accented and unaccented Latin, Han characters, acronyms in capitals and not, a few words that
/// are operator names in lower case, digits, and forms NFKC folds (full-width, ligature, a decomposed accent).
const WORDS: &[&str] = &[
    "visa",
    "visas",
    "free",
    "summit",
    "summits",
    "running",
    "runs",
    "road",
    "roads",
    "belt",
    "Russia",
    "china",
    "organisation",
    "organization",
    "the",
    "and",
    "or",
    "not",
    "near",
    "of",
    "cooperation",
    "Xi",
    "s",
    "o",
    "clock",
    "виза",
    "визы",
    "визой",
    "визового",
    "безвизовый",
    "режим",
    "ёлка",
    "елка",
    "Ёлкин",
    "Путин",
    "путина",
    "мой",
    "й",
    "café",
    "cafe",
    "cafés",
    "naïve",
    "naive",
    "résumé",
    "resume",
    "Zürich",
    "zurich",
    "Ørsted",
    "SCO",
    "Sco",
    "sco",
    "BRI",
    "bri",
    "BRICS",
    "G20",
    "2024",
    "ＳＣＯ",
    "ﬁnance",
    "cafe\u{301}",
    "one",
    "e",
    "mail",
    "anti",
    "corruption",
];

const CJK: &[&str] = &["一", "带", "路", "上", "合", "一带一路", "上合", "合作", "共建一带一路倡议"];

/// Words joined by hyphens and apostrophes: in a query, one term (hyphenated, spaced or joined forms).
const JOINED: &[&str] =
    &["visa-free", "anti-corruption", "e-mail", "Xi's", "Xi’s", "o'clock", "belt-road", "ёлка-палка", "café-bar"];

/// What `{...}` and `cs(...)` hold: acronyms in capitals and not, and case-sensitive wildcards.
const ACRONYMS: &[&str] = &[
    "SCO",
    "BRI",
    "BRICS",
    "Sco",
    "sco",
    "G20",
    "ＳＣＯ",
    "ШОС",
    "Belt Road",
    "Xi's",
    "SC*",
    "S?O",
    "BR?CS",
    "Caf*",
    "Café",
    "Пут*",
    "Ёл*",
    "ＳＣ*",
];

const FIELDS: &[&str] =
    &["title", "body", "lead", "source", "url", "author", "headline", "text", "ingress", "TITLE", "Body"];

const QUOTES: &[(&str, &str)] = &[("\"", "\""), ("“", "”"), ("«", "»"), ("„", "“"), ("»", "«")];

const SITES: &[&str] =
    &["example.com", "news.example.com", "www.example.com", "ample.com", "ria.ru", "\"www.Example.com/\"", "com"];

fn recase(w: &str, how: u8) -> String {
    match how % 5 {
        0 | 1 => w.to_string(),
        2 => w.to_lowercase(),
        3 => w.to_uppercase(),
        _ => {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect()).unwrap_or_default()
        }
    }
}

fn vocab_word() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (prop::sample::select(WORDS), any::<u8>()).prop_map(|(w, c)| recase(w, c)),
        1 => prop::sample::select(CJK).prop_map(String::from),
        1 => (prop::sample::select(JOINED), any::<u8>()).prop_map(|(w, c)| recase(w, c)),
    ]
}

/// A word with `*` or `?`: never leading, never right after a Han character.
fn wildcard_word() -> impl Strategy<Value = String> {
    let base = prop_oneof![
        4 => (prop::sample::select(WORDS), any::<u8>()).prop_map(|(w, c)| recase(w, c)),
        1 => (prop::sample::select(JOINED), any::<u8>()).prop_map(|(w, c)| recase(w, c)),
    ];
    (base, any::<prop::sample::Index>(), 0u8..5).prop_map(|(w, at, how)| {
        let chars: Vec<char> = w.chars().collect();
        let k = 1 + at.index(chars.len().max(2) - 1); // 1..len
        let head: String = chars[..k.min(chars.len())].iter().collect();
        let tail: String = chars[k.min(chars.len())..].iter().collect();
        match how {
            0 | 1 => format!("{head}*"),
            2 if !tail.is_empty() => format!("{head}?{}", tail.chars().skip(1).collect::<String>()),
            3 => format!("{head}*{}", tail.chars().skip(1).collect::<String>()),
            _ => format!("{head}?*"),
        }
    })
}

/// A term as written: a word, a wildcard word, a hyphenated word, a CJK run, `{CS}` or `cs(CS)`.
fn term() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => vocab_word(),
        3 => wildcard_word(),
        2 => (prop::sample::select(ACRONYMS), any::<bool>())
            .prop_map(|(a, braces)| if braces { format!("{{{a}}}") } else { format!("cs({a})") }),
        1 => (vocab_word(), vocab_word(), prop::sample::select(&["-", "'", "’"][..]))
            .prop_map(|(a, b, j)| format!("{a}{j}{b}")),
    ]
}

/// A phrase with any quotes, sometimes with a slop.
fn phrase() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop_oneof![6 => vocab_word(), 1 => wildcard_word()], 1..4),
        prop::sample::select(QUOTES),
        prop::option::of(0u32..6),
    )
        .prop_map(|(words, (open, close), slop)| {
            let slop = slop.map(|n| format!("~{n}")).unwrap_or_default();
            format!("{open}{}{close}{slop}", words.join(" "))
        })
}

fn near_op() -> impl Strategy<Value = String> {
    (0u8..6, 0u32..7).prop_map(|(kind, n)| match kind {
        0 => "NEAR".to_string(),
        1 => format!("NEAR/{n}"),
        2 => "ONEAR".to_string(),
        3 => format!("ONEAR/{n}"),
        4 => format!("NEAR/{n}f"),
        _ => format!("w/{n}"),
    })
}

/// What NEAR accepts on each side: terms, phrases, OR-groups of them, fields of them, NEARs.
fn positional() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![4 => term(), 2 => phrase()];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            2 => prop::collection::vec(inner.clone(), 2..4).prop_map(|v| format!("({})", v.join(" OR "))),
            2 => (prop::sample::select(FIELDS), inner.clone()).prop_map(|(f, q)| format!("{f}:{q}")),
            3 => (inner.clone(), near_op(), inner, any::<bool>())
                .prop_map(|(a, op, b, paren)| if paren { format!("({a} {op} {b})") } else { format!("{a} {op} {b}") }),
        ]
    })
}

/// Any query.
fn query() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        10 => positional(),
        1 => prop::sample::select(SITES).prop_map(|s| format!("site:{s}")),
        1 => prop::sample::select(&["en", "ru", "zh", "EN", "de"][..]).prop_map(|l| format!("lang:{l}")),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        let sep = prop::sample::select(&[" AND ", " ", " OR ", " NOT ", " AND NOT "][..]);
        prop_oneof![
            4 => (inner.clone(), sep, inner.clone(), any::<bool>())
                .prop_map(|(a, s, b, paren)| if paren { format!("({a}{s}{b})") } else { format!("{a}{s}{b}") }),
            1 => inner.clone().prop_map(|q| format!("-({q})")),
            1 => term().prop_map(|t| format!("-{t}")),
            1 => inner.clone().prop_map(|q| format!("NOT ({q})")),
            1 => (prop::sample::select(FIELDS), inner.clone()).prop_map(|(f, q)| format!("{f}:({q})")),
            1 => inner.prop_map(|q| format!("{q} <<<a comment: AND ( \" >>>")),
        ]
    })
}

const SEPARATORS: &[&str] =
    &[" ", " ", " ", " ", ", ", ". ", "-", "'", "’", " — ", "\n", " (", ") ", "! ", "", ": ", "\u{a0}", "\t"];

fn words_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec((vocab_word(), any::<u8>(), prop::sample::select(SEPARATORS)), 0..max).prop_map(|ws| {
        let mut s = String::new();
        for (w, c, sep) in ws {
            s.push_str(&recase(&w, c));
            s.push_str(sep);
        }
        s
    })
}

#[derive(Debug, Clone)]
struct Doc {
    title: String,
    text: String,
    lang: Option<String>,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
}

impl Doc {
    fn as_document(&self) -> Document<'_> {
        Document {
            title: &self.title,
            text: &self.text,
            lang: self.lang.as_deref(),
            source: self.source.as_deref(),
            url: self.url.as_deref(),
            author: self.author.as_deref(),
        }
    }
}

fn doc() -> impl Strategy<Value = Doc> {
    let text = (prop::collection::vec(words_text(14), 0..4), prop::sample::select(&["\n\n", "\n", "\n \n", " "][..]))
        .prop_map(|(ps, sep)| ps.join(sep));
    let url = prop::option::of(prop::sample::select(
        &[
            "https://www.news.example.com/x",
            "https://example.com/visa-free/2024",
            "http://ria.ru/a/виза",
            "https://notexample.com/",
            "https://www.ample.com/",
            "not a url",
            "https://EXAMPLE.com:8080/Café?q=SCO",
        ][..],
    ));
    (
        words_text(7),
        text,
        prop::option::of(prop::sample::select(&["en", "ru-RU", "zh_CN", "EN", "de", ""][..])),
        prop::option::of(words_text(3)),
        url,
        prop::option::of(words_text(3)),
    )
        .prop_map(|(title, text, lang, source, url, author)| Doc {
            title,
            text,
            lang: lang.map(String::from),
            source,
            url: url.map(String::from),
            author,
        })
}

/// Engine and reference on the same topics and documents: identical topics and spans.
fn assert_agree(queries: &[(String, bool)], docs: &[Doc]) -> Result<(), TestCaseError> {
    let parsed: Vec<(i64, &str, bool)> = queries
        .iter()
        .enumerate()
        .filter(|(_, (q, _))| query::parse(q).is_ok())
        .map(|(i, (q, stem))| (i as i64 + 1, q.as_str(), *stem))
        .collect();
    let matcher = Matcher::with_specs(parsed.iter().map(|&(id, query, stem)| TopicSpec { id, query, stem })).unwrap();
    let reference = Reference::with_stemming(parsed.iter().copied()).unwrap();
    for d in docs {
        let doc = d.as_document();
        let fast = matcher.match_article(&PreparedArticle::new(doc));
        let plain = reference.match_document(&doc);
        prop_assert_eq!(&fast, &plain, "queries {:?}\ndocument {:?}", parsed, d);
    }
    Ok(())
}

/// `cases` per property, or `PROPTEST_CASES` when set (a long run: `PROPTEST_CASES=100000 cargo test
/// --release -p mediawatch-core --test topics_properties`).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    // Failures are shrunk and printed; the minimal inputs become unit tests below, not regression files.
    Config { cases, failure_persistence: None, ..Config::default() }
}

proptest! {
    #![proptest_config(config(2500))]

    /// Many topics in one matcher (candidate selection), each topic with stemming off or on.
    #[test]
    fn engine_equals_reference(
        queries in prop::collection::vec((query(), any::<bool>()), 1..16),
        docs in prop::collection::vec(doc(), 1..4),
    ) {
        assert_agree(&queries, &docs)?;
    }

    /// Stemming on for every topic (stem keys in the presearcher, stemmed words on the slow path).
    #[test]
    fn engine_equals_reference_with_stemming(
        queries in prop::collection::vec(query(), 1..12),
        docs in prop::collection::vec(doc(), 1..3),
    ) {
        let queries: Vec<(String, bool)> = queries.into_iter().map(|q| (q, true)).collect();
        assert_agree(&queries, &docs)?;
    }

    /// The canonical form of a generated query parses back to the same canonical form, and means the same.
    #[test]
    fn canonical_form_is_a_fixed_point(q in query(), docs in prop::collection::vec(doc(), 1..3)) {
        let Ok(parsed) = query::parse(&q) else { return Ok(()) };
        let canonical = parsed.canonical();
        let again = query::parse(&canonical);
        prop_assert!(again.is_ok(), "{q:?} → {canonical:?} does not parse: {:?}", again.err());
        let again = again.unwrap();
        prop_assert_eq!(&again.canonical(), &canonical, "from {:?}", q);
        let _ = parsed.to_json();
        let (m1, m2) = (Matcher::new([(1, q.as_str())]).unwrap(), Matcher::new([(1, canonical.as_str())]).unwrap());
        for d in &docs {
            let a = PreparedArticle::new(d.as_document());
            let found: Vec<_> = m1.match_article(&a).into_iter().map(|t| t.topic_id).collect();
            let again: Vec<_> = m2.match_article(&a).into_iter().map(|t| t.topic_id).collect();
            prop_assert_eq!(found, again, "{:?} and its canonical form {:?} disagree on {:?}", q, canonical, d);
        }
    }
}

/// Strings made of the query language's own characters: they reach deep into the lexer and the parser.
fn query_like_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(
            &[
                " ",
                "(",
                ")",
                "\"",
                "“",
                "”",
                "«",
                "»",
                "„",
                "{",
                "}",
                "cs(",
                "-",
                "*",
                "?",
                "~",
                "~3",
                ":",
                "/",
                "<<<",
                ">>>",
                "AND",
                "OR",
                "NOT",
                "NEAR",
                "NEAR/",
                "NEAR/2",
                "NEAR/2f",
                "ONEAR",
                "ONEAR/1",
                "w/",
                "w/3",
                "W/0",
                "title:",
                "lead:",
                "site:",
                "lang:",
                "url:",
                "www.",
                "a",
                "Xi",
                "visa",
                "ё",
                "é",
                "\u{301}",
                "一",
                "带",
                "ＳＣＯ",
                "'",
                "’",
                "9999999999",
                "1001",
                "\t",
                "\n",
            ][..]
        )
        .prop_map(String::from),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..14).prop_map(|v| v.concat())
}

/// Everything a parsed query offers: never panics.
fn exercise(q: &str) {
    let c = check(q);
    if let Ok(parsed) = query::parse(q) {
        assert!(c.ok);
        let _ = parsed.to_json();
        let _ = query::warnings(q, &parsed);
        let canonical = parsed.canonical();
        if let Ok(again) = query::parse(&canonical) {
            let _ = again.canonical();
        }
    } else {
        assert!(!c.ok);
    }
}

proptest! {
    #![proptest_config(config(5000))]

    #[test]
    fn parse_and_check_never_panic_on_arbitrary_strings(q in any::<String>()) {
        exercise(&q);
    }

    #[test]
    fn parse_and_check_never_panic_on_query_like_strings(q in query_like_string()) {
        exercise(&q);
    }
}

proptest! {
    #![proptest_config(config(5000))]

    /// The canonical fixed point on strings the generators above never write.
    #[test]
    fn canonical_form_of_query_like_strings_is_a_fixed_point(q in query_like_string()) {
        if let Ok(parsed) = query::parse(&q) {
            let canonical = parsed.canonical();
            let again = query::parse(&canonical);
            prop_assert!(again.is_ok(), "{q:?} → {canonical:?} does not parse: {:?}", again.err());
            // The same reading: a word the canonical form had to quote (`-b` after `(a)`) is a phrase there.
            prop_assert_eq!(again.unwrap().canonical(), canonical.clone(), "{:?} → {:?}", q, canonical);
        }
    }
}

proptest! {
    #![proptest_config(config(1500))]

    /// Arbitrary query-like strings that happen to parse, against random documents: no panic, and the
    /// engine agrees with the reference.
    #[test]
    fn engine_equals_reference_on_query_like_strings(
        queries in prop::collection::vec((query_like_string(), any::<bool>()), 1..8),
        docs in prop::collection::vec(doc(), 1..3),
    ) {
        assert_agree(&queries, &docs)?;
    }
}

/// One query, one document, both evaluators.
fn both(q: &str, stem: bool, doc: Document<'_>) -> (Vec<i64>, Vec<i64>) {
    let m = Matcher::with_specs([TopicSpec { id: 1, query: q, stem }]).unwrap();
    let r = Reference::with_stemming([(1, q, stem)]).unwrap();
    let fast = m.match_article(&PreparedArticle::new(doc));
    let plain = r.match_document(&doc);
    assert_eq!(fast, plain, "{q:?} (stem {stem}) on {doc:?}");
    (fast.iter().map(|t| t.topic_id).collect(), plain.iter().map(|t| t.topic_id).collect())
}

#[test]
fn generated_queries_mostly_parse() {
    // The generators are worth their cases only if most of what they write is a query.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = query();
    let (mut ok, total) = (0, 500);
    for _ in 0..total {
        let q = strategy.new_tree(&mut runner).unwrap().current();
        ok += usize::from(query::parse(&q).is_ok());
    }
    assert!(ok * 10 >= total * 8, "only {ok} of {total} generated queries parse");
}

#[test]
fn canonical_form_of_every_construct() {
    // A smoke test of the generators' constructs through the canonical form.
    for q in [
        "title:(BRICS OR SCO) NEAR/3f «visa-free» -site:example.com",
        "\"belt road\"~2 ONEAR free w/2 visa",
        "cs(SCO) AND NOT {BRI} <<<acronyms>>> lang:ru",
        "виз* OR col?r OR 一带一路 OR lead:ёлка",
    ] {
        let parsed: Query = query::parse(q).unwrap_or_else(|e| panic!("{q}: {e:?}"));
        let canonical = parsed.canonical();
        assert_eq!(query::parse(&canonical).unwrap().canonical(), canonical, "{q}");
    }
    let _ = both("\"belt road\"~2 NEAR road", false, Document::new("belt x road w", ""));
}

// ----- what the properties found, kept as plain tests -----

#[test]
fn stemmed_accented_word_finds_its_article() {
    // The engine's presearcher stemmed only the bare form of article words (`cafe`), while a stemmed
    // accented query word compares the folded form (`café`): the topic was never a candidate.
    assert_eq!(both("(road OR text:café)", true, Document::new("", "café-bar ")).0, vec![1]);
    assert_eq!(both("visa-Russia OR café", true, Document::new("", "café ")).0, vec![1]);
    assert_eq!(both("cafés", true, Document::new("Café", "")).0, vec![1]);
    // One way only, stemming or not: an accented query word does not find the unaccented word.
    assert!(both("café", true, Document::new("cafe", "")).0.is_empty());
}

#[test]
fn canonical_form_reads_back_the_same_query() {
    for q in ["(a)-b", "\"x\"-y", "--x", "«a \"b»", "cs(a}b)"] {
        let parsed = query::parse(q).unwrap();
        let canonical = parsed.canonical();
        let again = query::parse(&canonical).unwrap_or_else(|e| panic!("{q:?} → {canonical:?}: {e}"));
        assert_eq!(again.canonical(), canonical, "{q:?}");
        assert_eq!(again.terms().len(), parsed.terms().len(), "{q:?} → {canonical:?}");
    }
    // A site that is not a domain is refused rather than printed back unreadably.
    assert!(query::parse("site:\"a(b.com\"").is_err());
}
