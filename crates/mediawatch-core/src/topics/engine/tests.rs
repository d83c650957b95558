use super::super::query::Query;
use super::super::text::key_hash;
use super::super::Document;
use super::keys::prefix_hash;
use super::terms::glob;
use super::verify::Eval;
use super::*;

/// The engine's matches, spans included, equal the reference evaluator's for each (title, text).
fn assert_same_as_reference(m: &Matcher, topics: &[(Id, &str)], docs: &[(&str, &str)]) {
    let reference = super::super::reference::Reference::new(topics.iter().copied()).unwrap();
    for &(title, text) in docs {
        let doc = Document::new(title, text);
        let got = m.match_article(&PreparedArticle::new(doc));
        assert_eq!(got, reference.match_document(&doc), "{title:?} {text:?}");
    }
}

#[test]
fn glob_matches_like_the_reference() {
    for (p, w, expect) in [
        ("виз*", "визовый", true),
        ("виз*", "виз", true),
        ("colo?r", "colour", true),
        ("colo?r", "color", false),
        ("an*al", "annual", true),
        ("an*al", "annually", false),
        ("a*b*c", "aXbYbZc", true),
        ("a*b*c", "aXbYbZ", false),
    ] {
        assert_eq!(glob(p, w), expect, "{p} {w}");
    }
}

#[test]
fn stemmed_accented_words_are_candidates_through_their_folded_form() {
    // `café` stemmed compares folded forms: the article's `cafés` must make the topic a candidate even
    // though its bare form is `cafes`.
    let m = Matcher::with_specs([TopicSpec { id: 1, query: "café", stem: true }]).unwrap();
    let a = PreparedArticle::new(Document::new("", "deux cafés"));
    assert_eq!(m.match_article(&a).len(), 1);
    assert!(m.match_article(&PreparedArticle::new(Document::new("", "two cafes"))).is_empty());
}

#[test]
fn a_stored_query_that_no_longer_parses_is_left_out_and_named() {
    let specs = [
        TopicSpec { id: 7, query: "BRICS", stem: false },
        TopicSpec { id: 8, query: "(BRICS AND", stem: false },
        TopicSpec { id: 9, query: "summit", stem: false },
    ];
    let (m, errors) = Matcher::with_valid_specs(specs);
    assert_eq!(m.len(), 2);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, 8);
    let a = PreparedArticle::new(Document::new("BRICS summit", ""));
    let ids: Vec<Id> = m.match_article(&a).into_iter().map(|t| t.topic_id).collect();
    assert_eq!(ids, vec![7, 9]);
}

#[test]
fn the_key_filter_keeps_every_key_and_turns_most_other_words_away() {
    let keys: Vec<u64> = (0..2_000).map(|i| key_hash(&format!("key{i}"))).collect();
    let f = KeyFilter::new(keys.iter());
    assert!(keys.iter().all(|&h| f.may_hold(h)));
    let passed = (0..10_000).filter(|i| f.may_hold(key_hash(&format!("word{i}")))).count();
    assert!(passed < 1_000, "{passed} of 10,000 other words passed");
    assert!(!KeyFilter::new([].iter()).may_hold(key_hash("any")));
}

#[test]
fn candidates_come_from_the_index_not_from_every_topic() {
    let m = Matcher::new([(1, "BRICS AND summit"), (2, "visa*"), (3, "NOT x"), (4, "\"Belt and Road\"")]).unwrap();
    assert_eq!(m.always, vec![2]);
    assert_eq!(m.prefix_at, [false, false, false, false, true], "one prefix key, 4 bytes long");
    // AND is indexed under one side, the longer word; the other is checked before verifying.
    let summit = m.words[&key_hash("summit")];
    let brics = m.words[&key_hash("brics")];
    // Topic 0 under "summit", with its other clause: one key, "brics".
    assert_eq!(m.postings.of(summit).collect::<Vec<_>>(), vec![(0, &[1, brics][..])]);
    assert_eq!(m.postings.of(brics).count(), 0);
    let a = PreparedArticle::new(Document::new("", "visas for the summit"));
    let ids: Vec<Id> = m.match_article(&a).into_iter().map(|t| t.topic_id).collect();
    assert_eq!(ids, vec![2, 3]);
    // Topic 1 is indexed under "summit" but its other clause ("brics") fails: only 2 and 3 are verified.
    assert_eq!(m.candidates(&a), 2);
    let b = PreparedArticle::new(Document::new("", "the BRICS summit"));
    assert_eq!(m.candidates(&b), 2, "topic 1 and the NOT-only topic 3");
}

#[test]
fn plain_phrases_are_found_by_word_hashes_with_the_same_places_as_the_reference() {
    let topics = [
        (1, "\"one belt one road\""),
        (2, "lead:\"state visit\""),
        (3, "\"state visit\" AND {UN}"),
        (4, "title:\"state visit\""),
    ];
    let m = Matcher::new(topics).unwrap();
    let kinds: Vec<&str> = m
        .plans
        .iter()
        .map(|p| match m.nodes[p.root as usize] {
            Node::Phrase { .. } => "phrase",
            Node::Field { .. } => match m.nodes[p.root as usize + 1] {
                Node::Phrase { .. } => "field phrase",
                _ => "field other",
            },
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["phrase", "field phrase", "other", "field phrase"]);
    assert_same_as_reference(
        &m,
        &topics,
        &[
            ("One Belt One Road", "one belt, one belt one road. One belt one"),
            ("A state", "visit of the UN.\nThen a state visit, and a state visit"),
            ("", "A state visit\nstate visit"),
            ("state visit", ""),
        ],
    );
    let doc = Document::new("One Belt One Road", "A state visit\nstate visit");
    let got = m.match_article(&PreparedArticle::new(doc));
    let places: Vec<(Id, Vec<(u32, u32)>)> =
        got.iter().map(|t| (t.topic_id, t.spans.iter().map(|s| (s.start, s.end)).collect())).collect();
    assert_eq!(places, [(1, vec![(0, 17)]), (2, vec![(2, 13)])], "the lead's phrase only; no title phrase");
}

#[test]
fn every_word_of_an_article_finds_its_posting_chain_through_the_run_table() {
    // 3,000 distinct words, each in the title once and in the body three times: the table fills to about
    // two thirds of its slots, so probing wraps and runs long.
    let words: Vec<String> = (0..3_000).map(|i| format!("w{i}x")).collect();
    let title = words.join(" ");
    let body = [title.as_str(), title.as_str(), title.as_str()].join(" ");
    let a = PreparedArticle::new(Document::new(&title, &body));
    assert_eq!(a.runs.len(), 3_000);
    for (i, w) in words.iter().enumerate() {
        let chain: Vec<u32> = a.chain(a.chain_of_hash(key_hash(w)).unwrap()).collect();
        let n = words.len() as u32;
        let i = i as u32;
        assert_eq!(chain, [i, n + i, 2 * n + i, 3 * n + i], "{w}");
    }
    for absent in ["w3000x", "w", "x", ""] {
        assert_eq!(a.chain_of_hash(key_hash(absent)), None, "{absent}");
    }
    let empty = PreparedArticle::new(Document::new("", ""));
    assert_eq!(empty.chain_of_hash(key_hash("w1x")), None);
}

#[test]
fn a_trailing_star_word_finds_its_places_once_an_article_with_the_same_spans_as_the_reference() {
    let topics = [
        (1, "sanction*"),
        (2, "title:sanction* OR lead:sanction*"),
        (3, "sanction* AND summit"),
        (4, "sanc?ion* OR {Sanction*}"),
        (5, "санкци* OR sanctioned"),
    ];
    let m = Matcher::new(topics).unwrap();
    // Which terms take the prefix's places: one wildcard word ending in its only star, compared bare.
    let plain = |q: &str| match super::super::query::parse(q).unwrap() {
        Query::Term(t) => m.prefix_number(&t).is_some(),
        other => panic!("{other:?}"),
    };
    assert!(plain("sanction*") && plain("санкци*"));
    assert!(!plain("sanc?ion*") && !plain("{Sanction*}") && !plain("sanction") && !plain("sanc*ion"));
    assert!(!plain("sanctio*"), "no prefix key");
    let prefix_nodes = m.nodes.iter().filter(|n| matches!(n, Node::Prefix { .. })).count();
    assert_eq!(prefix_nodes, 5, "sanction* in topics 1-3 (four times), санкци* in topic 5");
    assert_same_as_reference(
        &m,
        &topics,
        &[
            ("Sanctions and sanctity", "The summit sanctioned it.\nSanction after sanction: SANCTIONS."),
            ("", "Санкции, санкциями\nsanctions summit"),
            ("sanction", ""),
            ("Sanctuary", "A sanctum"),
        ],
    );
    // Three topics met `sanction*`: its places were gathered once.
    let doc = Document::new("Sanctions and sanctity", "The summit sanctioned it.");
    let a = PreparedArticle::new(doc);
    let mut present = KeySet::default();
    m.select(&a, &mut present);
    let (cache, prefix_cache) = (RefCell::new(TermCache::default()), RefCell::new(PrefixCache::default()));
    let ev = Eval { a: &a, stem: false, matcher: &m, present: &present, cache: &cache, prefix_cache: &prefix_cache };
    for p in &m.plans[..3] {
        ev.matches(p.root as usize, None, &mut Vec::new());
    }
    assert_eq!(prefix_cache.borrow().index.len(), 1);
    assert_eq!(prefix_cache.borrow().places, [0, 5], "Sanctions (title) and sanctioned, not sanctity");
}

#[test]
fn a_wildcard_word_indexes_a_topic_only_when_it_is_well_longer_than_the_whole_words() {
    // A prefix stands for many words: `sanction*` (8 letters) is weighed as 5, `summit` as 7.
    let m = Matcher::new([(1, "sanction* AND summit"), (2, "sovereignt* AND visa")]).unwrap();
    let summit = m.words[&key_hash("summit")];
    let sanction = m.prefixes[&prefix_hash("sanction")].0;
    assert_eq!(m.postings.of(summit).map(|(t, _)| t).collect::<Vec<_>>(), [0]);
    assert_eq!(m.postings.of(sanction).count(), 0, "checked, not indexed");
    // `sovereignt*` (10 letters, weighed 7) is still more selective than `visa` (weighed 5).
    let sovereignt = m.prefixes[&prefix_hash("sovereignt")].0;
    assert_eq!(m.postings.of(sovereignt).map(|(t, _)| t).collect::<Vec<_>>(), [1]);
}

#[test]
fn a_phrase_is_a_candidate_only_where_its_words_stand_side_by_side() {
    let m = Matcher::new([
        (1, "\"state visit\" OR kremlin"),
        (2, "\"state visit\"~2"),
        (3, "\"one belt, one road\""),
        (4, "visa-free"),
    ])
    .unwrap();
    // A phrase is indexed under its pairs of neighbouring words; with slop, under its words.
    assert_eq!(m.pairs.len(), 1 + 3 + 1, "state visit; one belt, belt one, one road; visa free");
    let apart = PreparedArticle::new(Document::new(
        "The state said the minister of the visit",
        "A road, one belt and one free visa",
    ));
    assert_eq!(m.candidates(&apart), 1, "only the sloppy phrase, whose words both occur");
    assert!(m.match_article(&apart).is_empty());
    let side_by_side =
        PreparedArticle::new(Document::new("A state visit", "One Belt, One Road. Visa-free travel, visafree."));
    assert_eq!(m.candidates(&side_by_side), 4);
    let ids: Vec<Id> = m.match_article(&side_by_side).into_iter().map(|t| t.topic_id).collect();
    assert_eq!(ids, vec![1, 2, 3, 4]);
    // Two words side by side across the title and the body are no phrase, but may make a candidate.
    let across = PreparedArticle::new(Document::new("A state", "Visit"));
    assert!(m.match_article(&across).is_empty());
}

/// The keys, candidates and prefix words an article leaves in a [`KeySet`].
fn selected(m: &Matcher, present: &KeySet) -> (Vec<u32>, Vec<u32>, Vec<Vec<u32>>) {
    let mut keys: Vec<u32> = present.keys.iter().collect();
    keys.sort_unstable();
    let prefixes = (0..m.prefixes.len() as u32).map(|p| present.runs_with_prefix(p).collect()).collect();
    (keys, present.candidates.iter().collect(), prefixes)
}

#[test]
fn a_scratch_kept_between_articles_and_matchers_selects_and_matches_as_a_fresh_one() {
    let topics: &[(Id, &str)] = &[
        (1, "sanction* AND summit"),
        (2, "\"Belt and Road\" OR {BRI}"),
        (3, "visa NOT card"),
        (4, "pipelin* OR railway"),
        (5, "-visa"),
    ];
    let m = Matcher::new(topics.iter().copied()).unwrap();
    let other = Matcher::new([(9, "railway"), (10, "sanctioned NEAR/3 summit")]).unwrap();
    let articles = [
        PreparedArticle::new(Document::new("Summit on sanctions", "Sanctioned pipelines, the Belt and Road, BRI.")),
        PreparedArticle::new(Document::new("A railway", "A visa card.")),
        PreparedArticle::new(Document::new("", "")),
        PreparedArticle::new(Document::new("Visa", "The summit sanctioned a pipeline and a railway.")),
    ];
    let mut scratch = Scratch::default();
    for (i, matcher) in [&m, &m, &other, &m, &other, &other, &m].into_iter().enumerate() {
        for a in articles.iter().cycle().skip(i).take(articles.len()) {
            let mut reused = Vec::new();
            matcher.for_each_match_in(&mut scratch, a, |id, spans| {
                reused.push((id, spans.iter().map(SpanRef::to_span).collect::<Vec<_>>()))
            });
            let fresh: Vec<_> = matcher.match_article(a).into_iter().map(|t| (t.topic_id, t.spans)).collect();
            assert_eq!(reused, fresh);
            let mut present = KeySet::default();
            matcher.select(a, &mut present);
            assert_eq!(selected(matcher, &scratch.present), selected(matcher, &present));
        }
    }
    // The articles do flag topics, and the first leaves keys, candidates and prefix words behind.
    assert_eq!(m.match_article(&articles[0]).len(), 4);
    let mut present = KeySet::default();
    m.select(&articles[0], &mut present);
    let (keys, candidates, prefixes) = selected(&m, &present);
    assert!(keys.len() >= 4 && candidates.len() >= 3 && prefixes.iter().any(|p| !p.is_empty()));
}
