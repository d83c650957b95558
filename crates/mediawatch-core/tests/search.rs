//! Search under the Mentions list's filters (period, source, language, topic, unread) and its facets (the
//! matches counted per topic, source and language), over a real database of imported articles: the filters
//! narrow the hits in the store, so keyset pages keep their size; the facets count verified matches only.

use mediawatch_core::model::{Id, NewTopic, SearchFacets, SearchOrder, SearchPage, SearchQuery};
use mediawatch_core::{CancellationToken, Error, Mediawatch};
use serde_json::{json, Value};

struct Db {
    core: Mediawatch,
    dir: tempfile::TempDir,
}

impl Db {
    fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let core = Mediawatch::open(dir.path().join("mw.db")).unwrap();
        Db { core, dir }
    }

    /// Imports JSON-lines articles; every line must become a new article.
    async fn import(&self, lines: &[Value]) {
        let path = self.dir.path().join("import.jsonl");
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        std::fs::write(&path, text).unwrap();
        let summary = self.core.import(path).await.unwrap();
        assert!(summary.errors.is_empty(), "{:?}", summary.errors);
        assert_eq!(summary.new_articles as usize, lines.len(), "every line is a new article");
    }

    async fn topic(&self, name: &str, query: &str) {
        self.core
            .add_topic(NewTopic { name: name.into(), query: query.into(), description: None, stem: false })
            .await
            .unwrap();
    }

    async fn search(&self, q: SearchQuery) -> SearchPage {
        self.core.search(q.clone()).await.unwrap_or_else(|e| panic!("search {q:?}: {e}"))
    }

    async fn facets(&self, q: SearchQuery) -> SearchFacets {
        self.core
            .search_facets(q.clone(), CancellationToken::new())
            .await
            .unwrap_or_else(|e| panic!("facets {q:?}: {e}"))
    }

    /// Every hit of a query, page by page (`limit` a page), checking that each page but the last is full.
    async fn all_pages(&self, q: SearchQuery, limit: u32) -> Vec<(Id, String)> {
        let mut out = Vec::new();
        let mut before = None;
        loop {
            let page = self.search(SearchQuery { limit: Some(limit), before, ..q.clone() }).await;
            out.extend(page.hits.iter().map(|h| (h.article_id, h.title.clone())));
            match page.next {
                Some(next) => {
                    assert_eq!(page.hits.len(), limit as usize, "a page with a next one is full: {q:?}");
                    before = Some(next);
                }
                None => break,
            }
            assert!(out.len() < 1000, "paging does not end");
        }
        out
    }

    /// The id of the article titled `title`, through a search of the title's words.
    async fn id_of(&self, title: &str) -> Id {
        let page = self.search(sq(&format!("title:\"{title}\""))).await;
        page.hits.iter().find(|h| h.title == title).unwrap_or_else(|| panic!("no article titled {title:?}")).article_id
    }
}

fn sq(query: &str) -> SearchQuery {
    SearchQuery { query: query.into(), limit: Some(1000), ..SearchQuery::default() }
}

fn article(id: &str, title: &str, text: &str, source: &str, published: &str, lang: Option<&str>) -> Value {
    let mut v = json!({"id": id, "title": title, "text": text, "source": source,
        "url": format!("https://news.example.com/{id}"), "published": published});
    if let Some(lang) = lang {
        v["lang"] = lang.into();
    }
    v
}

/// `summit NEAR/2 talks` matches five articles; a sixth has both words too far apart (a candidate of the
/// prefilter, which needs both words, but no match). Two topics: Summits (`summit`) and Trade (`trade`).
fn near_corpus() -> Vec<Value> {
    vec![
        article(
            "w1",
            "Summit talks open",
            "Leaders began summit talks in Kazan on Tuesday morning.",
            "Wire",
            "2024-10-10T10:00:00Z",
            Some("en"),
        ),
        article(
            "w2",
            "Summit talks continue",
            "The summit talks went on for a second day in the city.",
            "Wire",
            "2024-10-09T10:00:00Z",
            Some("en"),
        ),
        article(
            "w3",
            "Summit ends",
            "The summit ended on Friday. Later that week, separate trade talks were held \
            in another city.",
            "Wire",
            "2024-10-08T10:00:00Z",
            Some("en"),
        ),
        article(
            "d1",
            "Trade summit talks",
            "Ministers held trade summit talks about tariffs and quotas.",
            "Daily",
            "2024-10-07T10:00:00Z",
            Some("en"),
        ),
        article(
            "d2",
            "Переговоры на саммите",
            "Переговоры на саммите (summit talks) прошли в Казани во вторник.",
            "Daily",
            "2024-10-06T10:00:00Z",
            Some("ru"),
        ),
        // Too few letters to tell a language, and none declared: its language is unknown.
        article("t1", "Summit talks", "12:00 – 14:00", "Tribune", "2024-10-05T10:00:00Z", None),
        article(
            "x1",
            "Weather",
            "Rain is expected over the weekend across the region.",
            "Tribune",
            "2024-10-04T10:00:00Z",
            Some("en"),
        ),
    ]
}

async fn near_db() -> Db {
    let db = Db::new();
    db.import(&near_corpus()).await;
    db.topic("Summits", "summit").await;
    db.topic("Trade", "trade").await;
    db
}

fn titles(page: &SearchPage) -> Vec<&str> {
    page.hits.iter().map(|h| h.title.as_str()).collect()
}

fn counts<T>(items: &[T], f: impl Fn(&T) -> (String, u32)) -> Vec<(String, u32)> {
    items.iter().map(f).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_filter_narrows_the_hits() {
    let db = near_db().await;
    let q = || sq("summit NEAR/2 talks");
    let all = db.search(q()).await;
    assert_eq!(
        titles(&all),
        ["Summit talks open", "Summit talks continue", "Trade summit talks", "Переговоры на саммите", "Summit talks"]
    );
    // The sixth candidate of the prefilter is no match.
    assert!(titles(&db.search(sq("summit AND talks")).await).contains(&"Summit ends"));

    let daily = db.search(SearchQuery { source_id: Some(all.hits[2].source_id), ..q() }).await;
    assert_eq!(titles(&daily), ["Trade summit talks", "Переговоры на саммите"]);
    let ru = db.search(SearchQuery { lang: Some("ru".into()), ..q() }).await;
    assert_eq!(titles(&ru), ["Переговоры на саммите"]);
    let unknown = db.search(SearchQuery { lang: Some(String::new()), ..q() }).await;
    assert_eq!(titles(&unknown), ["Summit talks"]);
    assert_eq!(unknown.hits[0].lang, None);
    // A topic's mentions only: Trade flags "Summit ends" too, which the query does not match.
    let trade = db.search(SearchQuery { topic: Some("Trade".into()), ..q() }).await;
    assert_eq!(titles(&trade), ["Trade summit talks"]);
    let period = db
        .search(SearchQuery {
            since: Some("2024-10-06T00:00:00Z".parse().unwrap()),
            until: Some("2024-10-09T12:00:00Z".parse().unwrap()),
            ..q()
        })
        .await;
    assert_eq!(titles(&period), ["Summit talks continue", "Trade summit talks", "Переговоры на саммите"]);

    let read = [db.id_of("Summit talks open").await, db.id_of("Trade summit talks").await];
    db.core.set_read(read.to_vec(), true).await.unwrap();
    let unread = db.search(SearchQuery { unread_only: true, ..q() }).await;
    assert_eq!(titles(&unread), ["Summit talks continue", "Переговоры на саммите", "Summit talks"]);
    // Filters combine.
    let both = db.search(SearchQuery { unread_only: true, source_id: Some(all.hits[2].source_id), ..q() }).await;
    assert_eq!(titles(&both), ["Переговоры на саммите"]);
    // By relevance, the same filters.
    let ranked = db.search(SearchQuery { order: Some(SearchOrder::Relevance), lang: Some("en".into()), ..q() }).await;
    let mut got: Vec<&str> = titles(&ranked);
    got.sort_unstable();
    assert_eq!(got, ["Summit talks continue", "Summit talks open", "Trade summit talks"]);

    // A topic that does not exist is an error that names it.
    let err = db.core.search(SearchQuery { topic: Some("Nope".into()), ..q() }).await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)) && err.to_string().contains("Nope"), "{err}");
}

/// Filters are applied where the store reads the candidates: every page but the last is full, and the pages
/// together are exactly the filtered hits, each once, newest first.
#[tokio::test(flavor = "multi_thread")]
async fn filtered_pages_keep_their_size_and_their_keyset() {
    let db = Db::new();
    let sources = ["Wire", "Daily", "Tribune"];
    let mut lines = Vec::new();
    for i in 0..45u32 {
        let source = sources[(i % 3) as usize];
        let published = format!("2024-09-{:02}T{:02}:00:00Z", 1 + i / 2, 8 + i % 2 * 6);
        let (title, text, lang) = if i % 4 == 3 {
            (
                format!("Саммит, выпуск {i}"),
                format!("Делегаты саммита (summit) подробно обсудили пункт {i} повестки дня."),
                "ru",
            )
        } else {
            (
                format!("Summit report {i}"),
                format!("Delegates at the summit discussed item {i} of the agenda in some detail."),
                "en",
            )
        };
        lines.push(article(&format!("p{i}"), &title, &text, source, &published, Some(lang)));
        // Every fifth article also mentions trade (the topic filter).
        if i % 5 == 0 {
            let v = lines.last_mut().unwrap();
            v["text"] = format!("{} Trade was on the agenda too.", v["text"].as_str().unwrap()).into();
        }
    }
    db.import(&lines).await;
    db.topic("Trade", "trade").await;
    let everything = db.search(sq("summit")).await;
    assert_eq!(everything.hits.len(), 45);
    let source_of = |name: &str| everything.hits.iter().find(|h| h.source == name).unwrap().source_id;
    // Every other article of source "Wire" is read.
    let wire: Vec<Id> = everything.hits.iter().filter(|h| h.source == "Wire").map(|h| h.article_id).collect();
    db.core.set_read(wire.iter().copied().step_by(2).collect(), true).await.unwrap();

    let filters = [
        SearchQuery { source_id: Some(source_of("Daily")), ..sq("summit") },
        SearchQuery { lang: Some("ru".into()), ..sq("summit") },
        SearchQuery { topic: Some("Trade".into()), ..sq("summit") },
        SearchQuery { unread_only: true, ..sq("summit") },
        SearchQuery { unread_only: true, source_id: Some(source_of("Wire")), ..sq("summit") },
        SearchQuery { since: Some("2024-09-10T00:00:00Z".parse().unwrap()), lang: Some("en".into()), ..sq("summit") },
    ];
    for q in filters {
        let whole = db.search(q.clone()).await;
        assert!(whole.next.is_none() && !whole.hits.is_empty(), "{q:?}");
        let expected: Vec<(Id, String)> = whole.hits.iter().map(|h| (h.article_id, h.title.clone())).collect();
        for h in &whole.hits {
            if let Some(s) = q.source_id {
                assert_eq!(h.source_id, s, "{q:?}");
            }
            if let Some(l) = &q.lang {
                assert_eq!(h.lang.as_deref(), Some(l.as_str()), "{q:?}");
            }
        }
        for limit in [1, 2, 3, 4] {
            assert_eq!(db.all_pages(q.clone(), limit).await, expected, "{q:?} in pages of {limit}");
        }
        // The facets count what the hits are.
        let f = db.facets(q.clone()).await;
        assert_eq!((f.total as usize, f.capped), (whole.hits.len(), None), "{q:?}");
        assert_eq!(f.sources.iter().map(|s| s.count).sum::<u32>(), f.total);
        assert_eq!(f.langs.iter().map(|l| l.count).sum::<u32>(), f.total);
    }
    let unread = db.search(SearchQuery { unread_only: true, ..sq("summit") }).await;
    assert_eq!(unread.hits.len(), 45 - wire.len().div_ceil(2));
    let trade = db.search(SearchQuery { topic: Some("Trade".into()), ..sq("summit") }).await;
    assert_eq!(trade.hits.len(), 9);
}

#[tokio::test(flavor = "multi_thread")]
async fn facets_count_the_verified_matches_per_topic_source_and_language() {
    let db = near_db().await;
    let q = || sq("summit NEAR/2 talks");
    let f = db.facets(q()).await;
    assert_eq!(f.total, 5);
    assert_eq!(f.capped, None);
    // "Summit ends" (Wire, en, both topics) passes the prefilter but is no match: counted nowhere.
    assert_eq!(counts(&f.topics, |t| (t.name.clone(), t.count)), [("Summits".into(), 5), ("Trade".into(), 1)]);
    assert_eq!(
        counts(&f.sources, |s| (s.name.clone(), s.count)),
        [("Daily".into(), 2), ("Wire".into(), 2), ("Tribune".into(), 1)]
    );
    assert_eq!(
        counts(&f.langs, |l| (l.code.clone(), l.count)),
        [("en".into(), 3), (String::new(), 1), ("ru".into(), 1)]
    );
    let hits = db.search(q()).await;
    let daily = hits.hits.iter().find(|h| h.source == "Daily").unwrap().source_id;
    assert_eq!(f.sources[0].id, daily);

    // Under a filter, the counts are the filtered matches'.
    let f = db.facets(SearchQuery { source_id: Some(daily), ..q() }).await;
    assert_eq!(f.total, 2);
    assert_eq!(counts(&f.sources, |s| (s.name.clone(), s.count)), [("Daily".into(), 2)]);
    assert_eq!(counts(&f.langs, |l| (l.code.clone(), l.count)), [("en".into(), 1), ("ru".into(), 1)]);
    assert_eq!(counts(&f.topics, |t| (t.name.clone(), t.count)), [("Summits".into(), 2), ("Trade".into(), 1)]);
    let f = db.facets(SearchQuery { topic: Some("Trade".into()), ..q() }).await;
    assert_eq!((f.total, f.sources.len()), (1, 1));
    let f = db.facets(SearchQuery { lang: Some(String::new()), ..q() }).await;
    assert_eq!(counts(&f.sources, |s| (s.name.clone(), s.count)), [("Tribune".into(), 1)]);
    db.core.set_read(vec![db.id_of("Summit talks open").await], true).await.unwrap();
    let f = db.facets(SearchQuery { unread_only: true, ..q() }).await;
    assert_eq!(f.total, 4);
    assert_eq!(
        counts(&f.sources, |s| (s.name.clone(), s.count)),
        [("Daily".into(), 2), ("Tribune".into(), 1), ("Wire".into(), 1)]
    );

    // The cursor, limit and order of the query do not change the counts.
    let f = db
        .facets(SearchQuery { limit: Some(1), order: Some(SearchOrder::Relevance), before: hits.next.clone(), ..q() })
        .await;
    assert_eq!(f.total, 5);
    // Nothing matches: empty lists.
    let none = db.facets(sq("nothing NEAR/1 here")).await;
    assert_eq!((none.total, none.topics.len(), none.sources.len(), none.langs.len(), none.capped), (0, 0, 0, 0, None));
    // Errors as the search's.
    assert!(matches!(
        db.core.search_facets(sq("(summit"), CancellationToken::new()).await,
        Err(Error::InvalidQuery(_))
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_count_stops() {
    let db = near_db().await;
    let cancel = CancellationToken::new();
    cancel.cancel();
    let err = db.core.search_facets(sq("summit"), cancel).await.unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
}
