//! Arbitrary queries against arbitrary documents through the engine (`topics::Matcher`) and the reference
//! evaluator (`topics::reference::Reference`): neither panics, and they agree on every topic and span.
//!
//! The input is read as a recipe: queries are written either as raw strings or as sequences of the query
//! language's own tokens and a small vocabulary (so that most of them parse), the document's fields from the
//! same vocabulary mixed with raw strings.

#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use mediawatch_core::topics::query;
use mediawatch_core::topics::reference::Reference;
use mediawatch_core::topics::{Document, Matcher, PreparedArticle, TopicSpec};

const WORDS: &[&str] = &[
    "visa",
    "visas",
    "free",
    "summit",
    "running",
    "runs",
    "road",
    "belt",
    "Russia",
    "the",
    "and",
    "or",
    "near",
    "Xi",
    "s",
    "виза",
    "визы",
    "визой",
    "безвизовый",
    "ёлка",
    "елка",
    "Ёлкин",
    "Путин",
    "й",
    "café",
    "cafe",
    "cafés",
    "naïve",
    "naive",
    "Zürich",
    "Ørsted",
    "SCO",
    "Sco",
    "sco",
    "BRI",
    "BRICS",
    "G20",
    "2024",
    "ＳＣＯ",
    "ﬁnance",
    "cafe\u{301}",
    "一",
    "带",
    "路",
    "上",
    "合",
    "一带一路",
    "visa-free",
    "Xi's",
    "Xi’s",
    "e-mail",
];

const QUERY_TOKENS: &[&str] = &[
    "AND",
    "OR",
    "NOT",
    "AND NOT",
    "-",
    "(",
    ")",
    "\"",
    "“",
    "”",
    "«",
    "»",
    "„",
    "~2",
    "~0",
    "NEAR",
    "NEAR/0",
    "NEAR/3",
    "ONEAR",
    "ONEAR/2",
    "NEAR/2f",
    "w/1",
    "*",
    "?",
    "{",
    "}",
    "cs(",
    "title:",
    "body:",
    "lead:",
    "source:",
    "url:",
    "author:",
    "site:",
    "example.com",
    "lang:",
    "en",
    "ru",
    "<<<",
    ">>>",
    " ",
    "'",
    "-",
];

const SEPARATORS: &[&str] = &[" ", " ", ", ", ". ", "-", "'", "’", "\n", "\n\n", "", "(", ")"];

fn vocabulary_text(u: &mut Unstructured<'_>, max_words: u32) -> Result<String> {
    let mut s = String::new();
    for _ in 0..u.int_in_range(0..=max_words)? {
        if u.ratio(1, 8)? {
            s.push_str(u.arbitrary::<&str>()?);
        } else {
            let w = *u.choose(WORDS)?;
            match u.int_in_range(0..=3)? {
                0 => s.push_str(&w.to_uppercase()),
                1 => s.push_str(&w.to_lowercase()),
                _ => s.push_str(w),
            }
        }
        s.push_str(u.choose(SEPARATORS)?);
    }
    Ok(s)
}

fn query_text(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 4)? {
        return Ok(u.arbitrary::<&str>()?.to_string());
    }
    let mut s = String::new();
    for _ in 0..u.int_in_range(1..=12)? {
        match u.int_in_range(0..=2)? {
            0 => s.push_str(u.choose(QUERY_TOKENS)?),
            _ => s.push_str(u.choose(WORDS)?),
        }
        if u.ratio(3, 4)? {
            s.push(' ');
        }
    }
    Ok(s)
}

struct Input {
    queries: Vec<(String, bool)>,
    title: String,
    text: String,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
    lang: Option<String>,
}

fn input(u: &mut Unstructured<'_>) -> Result<Input> {
    let mut queries = Vec::new();
    for _ in 0..u.int_in_range(1..=6)? {
        queries.push((query_text(u)?, u.arbitrary()?));
    }
    let url = if u.arbitrary()? {
        Some(format!(
            "https://{}/{}",
            u.choose(&["www.example.com", "news.example.com", "example.org"])?,
            u.arbitrary::<&str>()?
        ))
    } else {
        None
    };
    Ok(Input {
        queries,
        title: vocabulary_text(u, 8)?,
        text: vocabulary_text(u, 60)?,
        source: if u.arbitrary()? { Some(vocabulary_text(u, 3)?) } else { None },
        url,
        author: if u.arbitrary()? { Some(vocabulary_text(u, 3)?) } else { None },
        lang: if u.arbitrary()? { Some(u.choose(&["en", "ru-RU", "zh_CN", ""])?.to_string()) } else { None },
    })
}

/// The reference's `glob` tries every split of a word at each `*`: exponential in the stars. Queries with
/// many stars in one word are left out so that a slow reference is not reported as a hang.
fn too_many_stars(q: &query::Query) -> bool {
    q.terms().iter().flat_map(|t| t.alternatives.iter().flatten()).any(|w| w.text.matches('*').count() > 2)
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = input(&mut Unstructured::new(data)) else { return };
    let topics: Vec<(i64, &str, bool)> = input
        .queries
        .iter()
        .enumerate()
        .filter(|(_, (q, _))| query::parse(q).is_ok_and(|p| !too_many_stars(&p)))
        .map(|(i, (q, stem))| (i as i64 + 1, q.as_str(), *stem))
        .collect();
    if topics.is_empty() {
        return;
    }
    let matcher = Matcher::with_specs(topics.iter().map(|&(id, query, stem)| TopicSpec { id, query, stem }))
        .expect("a query that parses compiles");
    let reference = Reference::with_stemming(topics.iter().copied()).expect("a query that parses compiles");
    let doc = Document {
        title: &input.title,
        text: &input.text,
        lang: input.lang.as_deref(),
        source: input.source.as_deref(),
        url: input.url.as_deref(),
        author: input.author.as_deref(),
    };
    let fast = matcher.match_article(&PreparedArticle::new(doc));
    let plain = reference.match_document(&doc);
    assert_eq!(fast, plain, "engine and reference disagree: topics {topics:?}, document {doc:?}");
});
