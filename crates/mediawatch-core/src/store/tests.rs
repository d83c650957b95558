use super::*;
use crate::model::{Field, FullTextMode, Id, MentionCursor, MentionQuery, NewTopic, SourceUpdate, Span};
use chrono::TimeZone;

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, h, 0, 0).unwrap()
}

fn article(guid: &str, url: &str, title: &str, published: Option<DateTime<Utc>>, topic: Option<Id>) -> NewArticle {
    NewArticle {
        guid: Some(guid.into()),
        url: Some(url.into()),
        title: title.into(),
        author: None,
        summary: None,
        text: format!("{title} body text about BRICS"),
        content_html: None,
        lang: Some("en".into()),
        image_url: None,
        published_at: published,
        mentions: topic
            .map(|t| {
                vec![NewMention {
                    topic_id: t,
                    spans: vec![Span { field: Field::Title, start: 0, end: 3, term: "x".into() }],
                    snippet: "s".into(),
                    snippets: vec!["s".into()],
                }]
            })
            .unwrap_or_default(),
        ..NewArticle::default()
    }
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("sub/mw.db")).unwrap();
    (dir, store)
}

#[test]
fn new_database_is_wal_with_foreign_keys_and_latest_schema() {
    let (_d, s) = open();
    let w = s.writer().unwrap();
    let mode: String = w.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = w.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    assert_eq!(migrations::current_version(&w).unwrap(), migrations::latest_version());
    let tables: Vec<String> = w
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for t in [
        "alert_rules",
        "alerts",
        "article_tags",
        "articles",
        "articles_fts",
        "mentions",
        "notes",
        "settings",
        "sources",
        "tags",
        "topics",
    ] {
        assert!(tables.iter().any(|x| x == t), "missing table {t}: {tables:?}");
    }
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mw.db");
    drop(Store::open(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = Store::open(&path).err().expect("must refuse");
    assert_eq!(err.code(), crate::ErrorCode::Storage);
    assert!(err.to_string().contains("newer Mediawatch"), "{err}");
    let c = Connection::open(&path).unwrap();
    assert_eq!(migrations::current_version(&c).unwrap(), 99);
}

#[test]
fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let content = "this is not sqlite, just text that is long enough to have a header of sorts......";
    std::fs::write(&path, content).unwrap();
    let err = Store::open(&path).err().expect("must refuse");
    assert!(err.to_string().contains(&path.display().to_string()), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), content, "the file is left as it was");
}

#[test]
fn sources_are_unique_by_url_and_removal_cascades() {
    let (_d, s) = open();
    let src = s.insert_source("https://a.example/feed", "a.example", true, 30, at(1)).unwrap();
    assert!(matches!(s.insert_source("https://a.example/feed", "x", false, 30, at(1)), Err(Error::Conflict(_))));
    s.save_fetch(
        src.id,
        &FetchOk { feed_title: Some("Agency A".into()), ..Default::default() },
        &[article("g1", "https://a.example/1", "One", None, None)],
        at(2),
        at(3),
    )
    .unwrap();
    let listed = s.list_sources().unwrap();
    assert_eq!(listed[0].name, "Agency A", "a default name is replaced by the feed's title");
    assert_eq!(listed[0].article_count, 1);
    s.remove_source(src.id).unwrap();
    assert_eq!(s.overview().unwrap().articles, 0);
    assert!(matches!(s.remove_source(src.id), Err(Error::NotFound(_))));
}

#[test]
fn fetch_results_deduplicate_by_guid_and_url() {
    let (_d, s) = open();
    let a = s.insert_source("https://a.example/feed", "A", false, 30, at(1)).unwrap();
    let b = s.insert_source("https://b.example/feed", "B", false, 30, at(1)).unwrap();
    let first = [
        article("g1", "https://a.example/1", "One", None, None),
        article("g2", "https://a.example/2", "Two", None, None),
    ];
    assert_eq!(s.save_fetch(a.id, &FetchOk::default(), &first, at(2), at(3)).unwrap(), 2);
    // Same GUIDs again, plus one new: only the new one is stored.
    let again = [first[0].clone(), article("g3", "https://a.example/3", "Three", None, None)];
    assert_eq!(s.save_fetch(a.id, &FetchOk::default(), &again, at(3), at(4)).unwrap(), 1);
    // Another source republishing the same URL under another GUID is a duplicate too.
    assert_eq!(
        s.save_fetch(
            b.id,
            &FetchOk::default(),
            &[article("other", "https://a.example/1", "One", None, None)],
            at(3),
            at(4)
        )
        .unwrap(),
        0
    );
    assert_eq!(s.overview().unwrap().articles, 3);
    assert_eq!(s.fts_count("three").unwrap(), 1);
    assert_eq!(s.fts_count("brics").unwrap(), 3);
}

#[test]
fn failures_are_recorded_without_touching_articles() {
    let (_d, s) = open();
    let a = s.insert_source("https://a.example/feed", "A", false, 30, at(1)).unwrap();
    s.save_fetch(a.id, &FetchOk::default(), &[article("g1", "https://a.example/1", "One", None, None)], at(2), at(3))
        .unwrap();
    s.save_fetch_error(a.id, "network", "HTTP 500", Some(500), at(4), at(5)).unwrap();
    s.save_fetch_error(a.id, "network", "HTTP 500", Some(500), at(5), at(6)).unwrap();
    let src = s.source(a.id).unwrap();
    assert_eq!(src.health.consecutive_failures, 2);
    assert_eq!(src.health.last_http_status, Some(500));
    assert_eq!(src.health.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(src.health.last_success_at, Some(at(2)));
    assert_eq!(src.article_count, 1);
    assert_eq!(s.overview().unwrap().failing_sources, 1);
    // Due-ness follows next_fetch_at.
    assert!(s.sources_to_fetch(None, false, at(5)).unwrap().is_empty());
    assert_eq!(s.sources_to_fetch(None, false, at(6)).unwrap().len(), 1);
    assert_eq!(s.sources_to_fetch(None, true, at(5)).unwrap().len(), 1);
}

#[test]
fn mentions_are_newest_first_with_keyset_pages_and_topic_filter() {
    let (_d, s) = open();
    let src = s.insert_source("https://a.example/feed", "A", false, 30, at(1)).unwrap();
    let t1 = s
        .save_topic(
            None,
            &NewTopic { name: "BRICS".into(), query: "brics".into(), description: None, stem: false },
            &[],
            0,
            &|_| Vec::new(),
            at(1),
        )
        .unwrap();
    let t2 = s
        .save_topic(
            None,
            &NewTopic { name: "Other".into(), query: "other".into(), description: None, stem: false },
            &[],
            0,
            &|_| Vec::new(),
            at(1),
        )
        .unwrap();
    let arts: Vec<NewArticle> = (0..5)
        .map(|i| {
            article(
                &format!("g{i}"),
                &format!("https://a.example/{i}"),
                &format!("A{i}"),
                Some(at(2 + i)),
                Some(if i == 4 { t2.id } else { t1.id }),
            )
        })
        .chain(std::iter::once(article("none", "https://a.example/none", "Unflagged", Some(at(12)), None)))
        .collect();
    s.save_fetch(src.id, &FetchOk::default(), &arts, at(12), at(13)).unwrap();

    let all = s.mentions(&MentionQuery::default()).unwrap();
    assert_eq!(all.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["A4", "A3", "A2", "A1", "A0"]);
    assert_eq!(all[0].topics[0].topic, "Other");

    let page1 =
        s.mentions(&MentionQuery { topic: Some("brics".into()), limit: Some(2), ..Default::default() }).unwrap();
    assert_eq!(page1.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["A3", "A2"]);
    let last = page1.last().unwrap();
    let page2 = s
        .mentions(&MentionQuery {
            topic: Some("BRICS".into()),
            limit: Some(2),
            before: Some(MentionCursor { sort_at: last.sort_at, article_id: last.article_id, score: None }),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page2.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["A1", "A0"]);
    assert!(matches!(
        s.mentions(&MentionQuery { topic: Some("nope".into()), ..Default::default() }),
        Err(Error::NotFound(_))
    ));

    let detail = s.article(all[1].article_id).unwrap();
    assert_eq!(detail.topics[0].spans[0].field, Field::Title);
    // Removing a topic removes its mentions.
    s.remove_topic(t2.id).unwrap();
    assert_eq!(s.mentions(&MentionQuery::default()).unwrap().len(), 4);
}

#[test]
fn a_future_published_time_does_not_pin_an_article_on_top() {
    let (_d, s) = open();
    let src = s.insert_source("https://a.example/feed", "A", false, 30, at(1)).unwrap();
    let t = s
        .save_topic(
            None,
            &NewTopic { name: "T".into(), query: "t".into(), description: None, stem: false },
            &[],
            0,
            &|_| Vec::new(),
            at(1),
        )
        .unwrap();
    let future = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    s.save_fetch(
        src.id,
        &FetchOk::default(),
        &[article("f", "https://a.example/f", "Future", Some(future), Some(t.id))],
        at(5),
        at(6),
    )
    .unwrap();
    let rows = s.mentions(&MentionQuery::default()).unwrap();
    assert_eq!(rows[0].sort_at, at(5));
    assert_eq!(rows[0].published_at, Some(future));
}

#[test]
fn an_older_database_is_backed_up_before_migrating() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mw.db");
    drop(Store::open(&path).unwrap());
    // Pretend the database is one version behind by rolling the version back; the migration to re-apply
    // would fail (tables exist), which must leave the database untouched and the backup in place.
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 0).unwrap();
        c.execute("INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', 'now')", []).unwrap();
    }
    let err = Store::open(&path).err().expect("re-applying migration 1 over existing tables fails");
    assert!(err.to_string().contains("migration 1 failed"), "{err}");
    let c = Connection::open(&path).unwrap();
    let v: String = c.query_row("SELECT value FROM settings WHERE key = 'k'", [], |r| r.get(0)).unwrap();
    assert_eq!(v, "v", "a failed migration rolls back and keeps the data");
}

#[test]
fn editing_a_source_changes_only_what_was_given() {
    let (_d, s) = open();
    let src = s.insert_source("https://a.example/feed", "a.example", true, 60, at(1)).unwrap();
    // Fetched at 2:00, next fetch at 3:00.
    s.save_not_modified(src.id, at(2), at(3)).unwrap();

    let edited = s
        .update_source(
            src.id,
            &SourceUpdate { name: Some("Agency".into()), group: Some("Russia".into()), ..SourceUpdate::default() },
        )
        .unwrap();
    assert_eq!(edited.name, "Agency");
    assert_eq!(edited.group.as_deref(), Some("Russia"));
    assert_eq!(edited.interval_minutes, 60);
    assert!(edited.enabled);
    assert_eq!(edited.health.next_fetch_at, Some(at(3)));
    // The analyst's name is kept: the feed title no longer replaces it.
    let name_is_default: bool = s
        .writer()
        .unwrap()
        .query_row("SELECT name_is_default FROM sources WHERE id = ?1", [src.id], |r| r.get(0))
        .unwrap();
    assert!(!name_is_default);

    // A shorter interval brings the next fetch forward; a longer one does not push it back.
    let shorter =
        s.update_source(src.id, &SourceUpdate { interval_minutes: Some(15), ..SourceUpdate::default() }).unwrap();
    assert_eq!(shorter.interval_minutes, 15);
    assert_eq!(shorter.health.next_fetch_at, Some(at(2) + chrono::Duration::minutes(15)));
    let longer =
        s.update_source(src.id, &SourceUpdate { interval_minutes: Some(240), ..SourceUpdate::default() }).unwrap();
    assert_eq!(longer.health.next_fetch_at, Some(at(2) + chrono::Duration::minutes(15)));

    let off = s
        .update_source(
            src.id,
            &SourceUpdate {
                enabled: Some(false),
                full_text: Some(FullTextMode::Never),
                group: Some("  ".into()),
                ..SourceUpdate::default()
            },
        )
        .unwrap();
    assert!(!off.enabled);
    assert_eq!(off.full_text, FullTextMode::Never);
    assert_eq!(off.group, None, "an empty group takes the source out of its folder");
    assert_eq!(off.name, "Agency");
    assert!(s.sources_to_fetch(None, true, at(9)).unwrap().is_empty(), "a disabled source is not fetched");

    assert!(matches!(s.update_source(999, &SourceUpdate::default()), Err(Error::NotFound(_))));
}

#[test]
fn search_index_follows_bulk_inserts_removals_and_the_upgrade_from_schema_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mw.db");
    // A database as version 1 wrote it: one article, indexed by the old insert trigger.
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(migrations::MIGRATIONS[0]).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO sources (url, name, created_at) VALUES ('https://old.example/feed', 'Old', '2026-03-10T00:00:00Z')",
            [],
        )
        .unwrap();
        c.execute(
            "INSERT INTO articles (source_id, title, text, fetched_at, sort_at)
             VALUES (1, 'Old SCO story', 'kept from before', '2026-03-10T00:00:00Z', '2026-03-10T00:00:00Z')",
            [],
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let triggers: Vec<String> = s
        .writer()
        .unwrap()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        triggers,
        [
            "articles_fts_delete",
            "articles_fts_update",
            "articles_read_follow",
            "mention_hours_delete",
            "mention_hours_insert",
            "mention_hours_move",
            "mentions_score_follow",
            "mentions_sort_at_follow",
            "mentions_sort_at_insert",
            "mentions_unread_change",
            "mentions_unread_delete",
            "mentions_unread_insert",
            "sources_unread_flagged",
            "sources_unread_read",
            "sources_unread_removed",
            "sources_unread_unflagged"
        ]
    );
    assert_eq!(s.fts_count("kept").unwrap(), 1, "what the old trigger indexed stays searchable");

    let b = s.insert_source("https://b.example/feed", "B", false, 30, at(1)).unwrap();
    let batch: Vec<NewArticle> = (0..40)
        .map(|i| article(&format!("g{i}"), &format!("https://b.example/{i}"), &format!("Story {i} on SCO"), None, None))
        .collect();
    assert_eq!(s.save_fetch(b.id, &FetchOk::default(), &batch, at(2), at(3)).unwrap(), 40);
    assert_eq!(s.fts_count("sco").unwrap(), 41, "one statement indexed the whole fetch");
    // Nothing new: nothing indexed twice.
    assert_eq!(s.save_fetch(b.id, &FetchOk::default(), &batch, at(3), at(4)).unwrap(), 0);
    assert_eq!(s.fts_count("sco").unwrap(), 41);
    s.remove_source(b.id).unwrap();
    assert_eq!(s.fts_count("sco").unwrap(), 1, "removed articles leave the index");
}

#[test]
fn an_article_keeps_its_picture_and_language() {
    let (_d, s) = open();
    let a = s.insert_source("https://a.example/feed", "A", false, 30, at(1)).unwrap();
    let mut one = article("g1", "https://a.example/1", "One", None, None);
    one.image_url = Some("https://a.example/1.jpg".into());
    s.save_fetch(a.id, &FetchOk::default(), &[one], at(2), at(3)).unwrap();
    let id: Id = s.writer().unwrap().query_row("SELECT id FROM articles", [], |r| r.get(0)).unwrap();
    let stored = s.article(id).unwrap();
    assert_eq!(stored.image_url.as_deref(), Some("https://a.example/1.jpg"));
    assert_eq!(stored.lang.as_deref(), Some("en"));
}

#[test]
fn a_copy_whose_story_was_looked_up_before_the_original_was_written_still_joins_it() {
    let (_d, s) = open();
    let a = s.insert_source("https://a.example/feed", "A", true, 30, at(1)).unwrap();
    let b = s.insert_source("https://b.example/feed", "B", true, 30, at(1)).unwrap();
    let story = "BRICS foreign ministers agreed on Tuesday to draft a joint statement on reform of the United \
        Nations Security Council and to set up a working group on settlements in national currencies, Russian \
        Foreign Minister Sergei Lavrov told reporters after a two-day meeting in Moscow with his counterparts. \
        Chinese Foreign Minister Wang Yi said Beijing supported a larger role for developing countries in global \
        governance and called for more lending in local currencies by the New Development Bank.";
    let with_text = |guid: &str, url: &str, text: String| {
        let mut n = article(guid, url, guid, None, None);
        n.fingerprint = crate::articles::cluster::fingerprint(&text);
        n.text = text;
        n
    };
    let mut original = with_text("o", "https://a.example/1", format!("MOSCOW (A) - {story}"));
    let mut copy = with_text("c", "https://b.example/1", format!("{story} Follow B on social media."));
    // Both stories looked up before either is written (two sources in one cycle).
    let hints = s.cluster_hints(&[original.fingerprint.as_ref(), copy.fingerprint.as_ref()], at(2)).unwrap();
    original.cluster_hint = hints[0].clone();
    copy.cluster_hint = hints[1].clone();
    assert!(hints.iter().all(|h| h.as_ref().is_some_and(|h| h.best.is_none())), "nothing stored yet");
    s.save_fetch(a.id, &FetchOk::default(), &[original], at(2), at(3)).unwrap();
    s.save_fetch(b.id, &FetchOk::default(), &[copy], at(2), at(3)).unwrap();
    let ids: Vec<Id> =
        s.prefiltered_texts(&crate::topics::prefilter::Prefilter::All, 0, 10).unwrap().iter().map(|t| t.id).collect();
    let copy_detail = s.article(ids[1]).unwrap();
    assert_eq!(copy_detail.copies.len(), 1, "the write looked at the texts added after the hint");
    assert_eq!(copy_detail.copies[0].id, ids[0]);

    // A store opened afresh (the app restarted) rebuilds the window from the stored fingerprints.
    let reopened = Store::open(s.path()).unwrap();
    let third = with_text("t", "https://b.example/2", format!("{story} (reprint)"));
    let hint = reopened.cluster_hints(&[third.fingerprint.as_ref()], at(4)).unwrap();
    assert!(hint[0].as_ref().and_then(|h| h.best).is_some(), "the stored story is found after a restart");
}

fn log_rows(s: &Store) -> Vec<(i64, Id, Id)> {
    s.read(|c| {
        let mut st = c.prepare("SELECT seq, topic_id, article_id FROM news_log ORDER BY seq")?;
        let rows =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    })
    .unwrap()
}

#[test]
fn the_news_log_holds_each_fetched_mention_once_in_commit_order() {
    let (_d, s) = open();
    let src = s.insert_source("https://a.example/feed", "A", false, 30, at(1)).unwrap();
    let topic = NewTopic { name: "BRICS".into(), query: "brics".into(), description: None, stem: false };
    let t = s.save_topic(None, &topic, &[], 0, &|_| Vec::new(), at(1)).unwrap().id;
    assert_eq!(s.news_seq().unwrap(), 0, "an empty log");
    let first = [article("g1", "https://a.example/1", "One", None, Some(t))];
    s.save_fetch(src.id, &FetchOk::default(), &first, at(2), at(3)).unwrap();
    // An import is not news.
    s.save_import(src.id, &[article("g2", "https://a.example/2", "Two", None, Some(t))], at(3)).unwrap();
    // The first article changes and still flags: it was news once, and is not again.
    let id1 = s.read(|c| Ok(c.query_row("SELECT id FROM articles WHERE guid = 'g1'", [], |r| r.get(0))?)).unwrap();
    let changed =
        NewArticle { replaces: Some(id1), ..article("g1", "https://a.example/1", "One, corrected", None, Some(t)) };
    let third = article("g3", "https://a.example/3", "Three", None, Some(t));
    s.save_fetch(src.id, &FetchOk::default(), &[changed, third], at(4), at(5)).unwrap();
    // The imported article changes in a fetch: it keeps its origin and is still not news.
    let id2 = s.read(|c| Ok(c.query_row("SELECT id FROM articles WHERE guid = 'g2'", [], |r| r.get(0))?)).unwrap();
    let changed =
        NewArticle { replaces: Some(id2), ..article("g2", "https://a.example/2", "Two, corrected", None, Some(t)) };
    s.save_fetch(src.id, &FetchOk::default(), &[changed], at(5), at(6)).unwrap();
    let id3: Id = s.read(|c| Ok(c.query_row("SELECT id FROM articles WHERE guid = 'g3'", [], |r| r.get(0))?)).unwrap();
    let rows = log_rows(&s);
    assert_eq!(rows.iter().map(|r| (r.1, r.2)).collect::<Vec<_>>(), vec![(t, id1), (t, id3)]);
    assert!(rows[0].0 < rows[1].0);
    assert_eq!(s.news_seq().unwrap(), rows[1].0);
    // A rule made now has seen all of it.
    let rule = s
        .insert_alert_rule(
            &RuleRecord {
                topic_id: t,
                name: "r".into(),
                kind: crate::model::AlertKind::Instant,
                channels: vec!["inbox".into()],
                config: "{}".into(),
                paused: false,
            },
            at(6),
        )
        .unwrap();
    assert_eq!(s.alert_rule(rule).unwrap().state.news_seq, rows[1].0);
}

/// A database file with source "A" and topic "BRICS" (the tempdir holds it).
fn with_source_and_topic() -> (tempfile::TempDir, std::path::PathBuf, Store, crate::model::Source, Id) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mw.db");
    let s = Store::open(&path).unwrap();
    let src = s.insert_source("https://a.example/feed", "A", false, 30, at(1)).unwrap();
    let topic = NewTopic { name: "BRICS".into(), query: "brics".into(), description: None, stem: false };
    let t = s.save_topic(None, &topic, &[], 0, &|_| Vec::new(), at(1)).unwrap().id;
    (dir, path, s, src, t)
}

#[test]
fn migration_8_logs_the_fetched_mentions_and_every_rule_has_seen_them() {
    let (_dir, path, s, src, t) = with_source_and_topic();
    let arts = [
        article("g1", "https://a.example/1", "One", None, Some(t)),
        article("g2", "https://a.example/2", "Two", None, Some(t)),
    ];
    s.save_fetch(src.id, &FetchOk::default(), &arts, at(2), at(3)).unwrap();
    drop(s);
    // Back to schema 7: no log, and a rule with migration 7's `checked_through` (and none of migrations 9
    // and 10).
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(&format!(
            "{UNDO_10}
             DROP INDEX articles_starred;
             ALTER TABLE articles DROP COLUMN starred_at;
             DROP TABLE reports;
             DROP TABLE news_log;
             ALTER TABLE alert_rules DROP COLUMN news_seq;
             ALTER TABLE alert_rules ADD COLUMN checked_through TEXT;
             INSERT INTO alert_rules (topic_id, name, kind, channels, created_at, updated_at)
                 VALUES ({t}, 'r', 'instant', '[\"inbox\"]', '2026-03-10T01:00:00Z', '2026-03-10T01:00:00Z');
             ALTER TABLE alerts DROP COLUMN articles;
             CREATE TABLE alert_articles (
                 alert_id   INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
                 article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                 position   INTEGER NOT NULL,
                 PRIMARY KEY (alert_id, article_id)
             ) WITHOUT ROWID;
             INSERT INTO alerts (id, rule_id, topic_id, rule_name, topic_name, kind, summary, count, created_at)
                 VALUES (7, 1, {t}, 'r', 'BRICS', 'instant', '2 new mentions', 2, '2026-03-10T03:00:00Z');
             INSERT INTO alert_articles (alert_id, article_id, position)
                 SELECT 7, id, CASE WHEN guid = 'g1' THEN 1 ELSE 0 END FROM articles;
             PRAGMA user_version = 7;"
        ))
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let rows = log_rows(&s);
    assert_eq!(rows.len(), 2, "both fetched mentions are logged: {rows:?}");
    let rules = s.alert_rules().unwrap();
    assert_eq!(rules[0].state.news_seq, s.news_seq().unwrap(), "the old rule does not alert on them again");
    // The alert keeps its articles, in its order.
    let titles: Vec<String> = s.alert(7).unwrap().mentions.into_iter().map(|m| m.title).collect();
    assert_eq!(titles, ["Two", "One"]);
}

/// Undoes migration 13 (a database as schema 12 left it): the scores, their indexes and triggers, the
/// sort-time trigger as migration 10 wrote it, the sources' unread counts and their triggers. A macro so that the older undos can start with it.
macro_rules! undo_13 {
    () => {
        "DROP TRIGGER mentions_score_follow;
         DROP TRIGGER mentions_sort_at_insert;
         CREATE TRIGGER mentions_sort_at_insert AFTER INSERT ON mentions BEGIN
             UPDATE mentions SET sort_at = (SELECT a.sort_at FROM articles a WHERE a.id = NEW.article_id)
             WHERE article_id = NEW.article_id AND topic_id = NEW.topic_id;
         END;
         DROP INDEX mentions_topic_score;
         DROP INDEX mentions_score;
         ALTER TABLE mentions DROP COLUMN score;
         DROP TRIGGER sources_unread_flagged;
         DROP TRIGGER sources_unread_unflagged;
         DROP TRIGGER sources_unread_read;
         DROP TRIGGER sources_unread_removed;
         ALTER TABLE sources DROP COLUMN unread;"
    };
}

/// Undoes migration 12 (the fetch cycles' table).
macro_rules! undo_12 {
    () => {
        "DROP TABLE fetch_cycles;"
    };
}

/// Back to schema 12 (migration 13 undone).
const UNDO_13: &str = undo_13!();

/// Undoes migration 11 (a database as schema 10 left it); a macro so that `UNDO_10` can start with it.
macro_rules! undo_11 {
    () => {
        "DROP TRIGGER mention_hours_insert;
         DROP TRIGGER mention_hours_move;
         DROP TRIGGER mention_hours_delete;
         DROP TABLE mention_hours;
         DROP TRIGGER mentions_unread_insert;
         DROP TRIGGER mentions_unread_change;
         DROP TRIGGER mentions_unread_delete;
         DROP TRIGGER articles_read_follow;
         ALTER TABLE articles DROP COLUMN read_at;
         ALTER TABLE mentions DROP COLUMN unread;
         ALTER TABLE topics DROP COLUMN unread;
         DROP INDEX articles_source_sort;
         DROP INDEX articles_facets;"
    };
}

/// Back to schema 10 (migrations 13 to 11 undone).
const UNDO_11: &str = concat!(undo_13!(), undo_12!(), undo_11!());

/// Back to schema 9 (migrations 13 to 10 undone).
const UNDO_10: &str = concat!(
    undo_13!(),
    undo_12!(),
    undo_11!(),
    "
     DROP TRIGGER mentions_sort_at_insert;
     DROP TRIGGER mentions_sort_at_follow;
     DROP INDEX mentions_topic_sort;
     ALTER TABLE mentions DROP COLUMN sort_at;"
);

/// Every row of a statement on the writer, as triples.
fn triples<A, B, C>(s: &Store, sql: &str) -> Vec<(A, B, C)>
where
    A: rusqlite::types::FromSql,
    B: rusqlite::types::FromSql,
    C: rusqlite::types::FromSql,
{
    s.writer()
        .unwrap()
        .prepare(sql)
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn mention_sort_ats(s: &Store) -> Vec<(Id, Option<String>, String)> {
    triples(
        s,
        "SELECT m.article_id, m.sort_at, a.sort_at FROM mentions m JOIN articles a ON a.id = m.article_id ORDER BY 1",
    )
}

#[test]
fn a_topics_mentions_come_newest_first_from_its_own_index_and_follow_their_articles_time() {
    let (_dir, path, s, src, t) = with_source_and_topic();
    let arts = [
        article("g1", "https://a.example/1", "One", Some(at(4)), Some(t)),
        article("g2", "https://a.example/2", "Two", Some(at(6)), Some(t)),
        article("g3", "https://a.example/3", "Three", Some(at(5)), None),
    ];
    s.save_fetch(src.id, &FetchOk::default(), &arts, at(7), at(7)).unwrap();
    let titles = |s: &Store| -> Vec<String> {
        let q = MentionQuery { topic: Some("BRICS".into()), ..MentionQuery::default() };
        s.mentions(&q).unwrap().into_iter().map(|r| r.title).collect()
    };
    assert_eq!(titles(&s), ["Two", "One"]);
    assert!(mention_sort_ats(&s).iter().all(|(_, m, a)| m.as_deref() == Some(a.as_str())), "set when written");
    // A re-fetch moves "One" after "Two": its mention follows.
    let one: Id = s.writer().unwrap().query_row("SELECT id FROM articles WHERE guid = 'g1'", [], |r| r.get(0)).unwrap();
    let moved =
        [NewArticle { replaces: Some(one), ..article("g1", "https://a.example/1", "One", Some(at(8)), Some(t)) }];
    s.save_fetch(src.id, &FetchOk::default(), &moved, at(9), at(9)).unwrap();
    assert!(
        mention_sort_ats(&s).iter().all(|(_, m, a)| m.as_deref() == Some(a.as_str())),
        "{:?}",
        mention_sort_ats(&s)
    );
    assert_eq!(titles(&s), ["One", "Two"]);
    // Keyset paging on the topic's index.
    let first =
        s.mentions(&MentionQuery { topic: Some("BRICS".into()), limit: Some(1), ..MentionQuery::default() }).unwrap();
    let cursor = MentionCursor { sort_at: first[0].sort_at, article_id: first[0].article_id, score: None };
    let next = MentionQuery { topic: Some("BRICS".into()), before: Some(cursor), ..MentionQuery::default() };
    assert_eq!(s.mentions(&next).unwrap().into_iter().map(|r| r.title).collect::<Vec<_>>(), ["Two"]);
    // Migration 10 fills the column of the mentions already stored.
    drop(s);
    Connection::open(&path).unwrap().execute_batch(&format!("{UNDO_10} PRAGMA user_version = 9;")).unwrap();
    let s = Store::open(&path).unwrap();
    // The migration's writes are folded into the database at once, not left in the log for every open.
    let wal = std::fs::metadata(path.with_extension("db-wal")).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal, 0, "the WAL is checkpointed after migrating");
    assert!(mention_sort_ats(&s).iter().all(|(_, m, a)| m.as_deref() == Some(a.as_str())));
    assert_eq!(titles(&s), ["One", "Two"]);
}

/// `mention_hours` as kept by its triggers, and as counted from the mentions themselves: (topic, hour, n).
type HourCounts = Vec<(Id, i64, i64)>;

fn hour_counts(s: &Store) -> (HourCounts, HourCounts) {
    (
        triples(s, "SELECT topic_id, hour, mentions FROM mention_hours WHERE mentions <> 0 ORDER BY 1, 2"),
        triples(s, "SELECT topic_id, unixepoch(sort_at) / 3600, COUNT(*) FROM mentions GROUP BY 1, 2 ORDER BY 1, 2"),
    )
}

#[test]
fn mention_hours_follow_every_write_and_migration_11_counts_what_is_stored() {
    let (_dir, path, s, src, t) = with_source_and_topic();
    let hour = |h: u32| super::unix_hour(at(h));
    let arts = [
        article("g1", "https://a.example/1", "One", Some(at(4)), Some(t)),
        article("g2", "https://a.example/2", "Two", Some(at(4) + chrono::Duration::minutes(59)), Some(t)),
        article("g3", "https://a.example/3", "Three", Some(at(6)), Some(t)),
        article("g4", "https://a.example/4", "Four", Some(at(5)), None),
    ];
    s.save_fetch(src.id, &FetchOk::default(), &arts, at(7), at(7)).unwrap();
    let (kept, counted) = hour_counts(&s);
    assert_eq!(kept, [(t, hour(4), 2), (t, hour(6), 1)]);
    assert_eq!(kept, counted);
    // A re-fetch moves "One" to 08:00; "Three" no longer matches (its mention is deleted).
    let id = |guid: &str| -> Id {
        s.writer().unwrap().query_row("SELECT id FROM articles WHERE guid = ?1", [guid], |r| r.get(0)).unwrap()
    };
    let changed = [
        NewArticle { replaces: Some(id("g1")), ..article("g1", "https://a.example/1", "One", Some(at(8)), Some(t)) },
        NewArticle { replaces: Some(id("g3")), ..article("g3", "https://a.example/3", "Three", Some(at(6)), None) },
    ];
    s.save_fetch(src.id, &FetchOk::default(), &changed, at(9), at(9)).unwrap();
    let (kept, counted) = hour_counts(&s);
    assert_eq!(kept, [(t, hour(4), 1), (t, hour(8), 1)]);
    assert_eq!(kept, counted);
    // Through the store's reader: a range of hours.
    assert_eq!(s.mention_hours(&[t], hour(0), hour(8)).unwrap(), [vec![(hour(4), 1)]]);
    assert_eq!(s.mention_hours(&[t], hour(0), hour(9)).unwrap(), [vec![(hour(4), 1), (hour(8), 1)]]);
    // Migration 11 counts the mentions already stored.
    drop(s);
    Connection::open(&path).unwrap().execute_batch(&format!("{UNDO_11} PRAGMA user_version = 10;")).unwrap();
    let s = Store::open(&path).unwrap();
    let (kept, counted) = hour_counts(&s);
    assert_eq!(kept, [(t, hour(4), 1), (t, hour(8), 1)]);
    assert_eq!(kept, counted);
    // A source removed takes its mentions' counts with it.
    s.remove_source(src.id).unwrap();
    assert_eq!(hour_counts(&s).0, []);
}

#[test]
fn a_breakdown_counts_each_article_once_with_its_story_and_language() {
    let (_dir, _path, s, src, t) = with_source_and_topic();
    let other = s.insert_source("https://b.example/feed", "B", false, 30, at(1)).unwrap();
    let topic = NewTopic { name: "SCO".into(), query: "sco".into(), description: None, stem: false };
    let t2 = s.save_topic(None, &topic, &[], 0, &|_| Vec::new(), at(1)).unwrap().id;
    let both = |mut a: NewArticle| {
        let extra = NewMention { topic_id: t2, ..a.mentions[0].clone() };
        a.mentions.push(extra);
        a
    };
    s.save_fetch(
        src.id,
        &FetchOk::default(),
        &[
            both(article("a1", "https://a.example/1", "Summit opens", Some(at(2)), Some(t))),
            article("a2", "https://a.example/2", "Summit later", Some(at(3)), Some(t)),
            NewArticle {
                lang: Some("ru".into()),
                ..article("a3", "https://a.example/3", "Саммит", Some(at(4)), Some(t))
            },
            article("a4", "https://a.example/4", "Outside the period", Some(at(9)), Some(t)),
        ],
        at(10),
        at(10),
    )
    .unwrap();
    let first: Id =
        s.writer().unwrap().query_row("SELECT id FROM articles WHERE guid = 'a1'", [], |r| r.get(0)).unwrap();
    // A copy of "Summit opens" at another outlet, an hour later (its story set as clustering would).
    let copy = article("b1", "https://b.example/1", "Summit opens (copy)", Some(at(3)), Some(t));
    s.save_fetch(other.id, &FetchOk::default(), &[copy], at(10), at(10)).unwrap();
    s.writer().unwrap().execute("UPDATE articles SET cluster_id = ?1 WHERE guid = 'b1'", [first]).unwrap();
    let b = s.breakdown(&[t, t2], at(0), at(8)).unwrap();
    assert_eq!(b.articles, 4, "a1 is flagged by both topics and counted once");
    let sources: Vec<(&str, u32)> = b.sources.iter().map(|x| (x.label.as_str(), x.articles)).collect();
    assert_eq!(sources, [("A", 3), ("B", 1)]);
    let langs: Vec<(&str, u32)> = b.languages.iter().map(|x| (x.label.as_str(), x.articles)).collect();
    assert_eq!(langs, [("en", 3), ("ru", 1)]);
    let top = &b.stories[0];
    assert_eq!((top.title.as_str(), top.articles, top.outlets, top.article_id), ("Summit opens", 2, 2, first));
    assert_eq!(b.stories.len(), 3);
}

/// Each topic's unread count as kept by the triggers, and as counted from the articles: (topic, kept, counted).
fn unread_counts(s: &Store) -> Vec<(Id, i64, i64)> {
    triples(
        s,
        "SELECT t.id, t.unread, (SELECT COUNT(*) FROM mentions m JOIN articles a ON a.id = m.article_id
                                 WHERE m.topic_id = t.id AND a.read_at IS NULL) FROM topics t ORDER BY t.id",
    )
}

#[test]
fn read_state_follows_every_write_and_mark_all_read_takes_the_lists_filter() {
    let (_dir, path, s, src, t) = with_source_and_topic();
    let arts: Vec<NewArticle> = (1..=4)
        .map(|i| article(&format!("g{i}"), &format!("https://a.example/{i}"), &format!("N{i}"), Some(at(i)), Some(t)))
        .collect();
    s.save_fetch(src.id, &FetchOk::default(), &arts, at(5), at(5)).unwrap();
    // Newest first: N4, N3, N2, N1.
    let ids: Vec<Id> = s.mentions(&MentionQuery::default()).unwrap().iter().map(|r| r.article_id).collect();
    assert_eq!(unread_counts(&s), [(t, 4, 4)]);
    // Read N4 and N3, N3 twice: two change.
    assert_eq!(s.set_read(&[ids[0], ids[1], ids[1]], Some(at(6))).unwrap(), 2);
    assert_eq!(unread_counts(&s), [(t, 2, 2)]);
    let rows = s.mentions(&MentionQuery::default()).unwrap();
    assert_eq!(rows.iter().map(|r| r.read).collect::<Vec<_>>(), [true, true, false, false]);
    let unread = MentionQuery { unread_only: true, ..MentionQuery::default() };
    assert_eq!(s.mentions(&unread).unwrap().len(), 2);
    assert_eq!(s.mentions(&MentionQuery { topic: Some("BRICS".into()), ..unread }).unwrap().len(), 2);
    // A second topic flagging N4 (read) and N1 (unread) counts one unread.
    let topic = NewTopic { name: "Other".into(), query: "body".into(), description: None, stem: false };
    let hit = arts[0].mentions[0].clone();
    let t2 = s
        .save_topic(None, &topic, &[(ids[0], hit.clone()), (ids[3], hit)], i64::MAX, &|_| Vec::new(), at(7))
        .unwrap()
        .id;
    assert_eq!(unread_counts(&s), [(t, 2, 2), (t2, 1, 1)]);
    // Mark all read for one topic and a period: N1 (01:00) is in it, N2 (02:00) is not.
    let filter = MentionQuery { topic: Some("BRICS".into()), until: Some(at(2)), ..MentionQuery::default() };
    assert_eq!(s.mark_all_read(&filter, at(9), at(9)).unwrap(), 1);
    assert_eq!(unread_counts(&s), [(t, 1, 1), (t2, 0, 0)]);
    // Nothing stored after the list was loaded is marked.
    assert_eq!(s.mark_all_read(&MentionQuery::default(), at(4), at(9)).unwrap(), 0);
    assert_eq!(s.mark_all_read(&MentionQuery::default(), at(9), at(9)).unwrap(), 1);
    assert_eq!(unread_counts(&s), [(t, 0, 0), (t2, 0, 0)]);
    // Unread again.
    assert_eq!(s.set_read(&ids, None).unwrap(), 4);
    assert_eq!(unread_counts(&s), [(t, 4, 4), (t2, 2, 2)]);
    // Migration 11 counts what is stored (everything unread); a removed source takes its counts with it.
    drop(s);
    Connection::open(&path).unwrap().execute_batch(&format!("{UNDO_11} PRAGMA user_version = 10;")).unwrap();
    let s = Store::open(&path).unwrap();
    assert_eq!(unread_counts(&s), [(t, 4, 4), (t2, 2, 2)]);
    s.remove_source(src.id).unwrap();
    assert_eq!(unread_counts(&s), [(t, 0, 0), (t2, 0, 0)]);
}

/// An article flagged by `topic` with these spans (each a field and a term).
fn with_spans(guid: &str, hour: u32, topic: Id, hits: &[(Field, &str)]) -> NewArticle {
    let mut a = article(guid, &format!("https://a.example/{guid}"), guid, Some(at(hour)), Some(topic));
    a.mentions[0].spans = hits
        .iter()
        .enumerate()
        .map(|(i, (field, term))| Span { field: *field, start: i as u32, end: i as u32 + 1, term: (*term).into() })
        .collect();
    a.mentions[0].snippets = vec!["s".into(); hits.len()];
    a
}

/// Every page of a list, `limit` rows at a time, each after the last row of the one before: (title, score).
fn paged(s: &Store, query: &MentionQuery, limit: u32) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut before = None;
    loop {
        let page = s.mentions(&MentionQuery { limit: Some(limit), before: before.clone(), ..query.clone() }).unwrap();
        out.extend(page.iter().map(|r| (r.title.clone(), r.score)));
        match page.last() {
            Some(last) if page.len() == limit as usize => {
                before =
                    Some(MentionCursor { sort_at: last.sort_at, article_id: last.article_id, score: Some(last.score) })
            }
            _ => return out,
        }
    }
}

fn scores(s: &Store) -> Vec<(Id, Id, i64)> {
    triples(s, "SELECT article_id, topic_id, score FROM mentions ORDER BY 1, 2")
}

#[test]
fn relevance_orders_by_score_then_newest_with_keyset_pages_and_migration_13_scores_what_is_stored() {
    use crate::model::MentionOrder;
    let (_dir, path, s, src, t) = with_source_and_topic();
    let (title, text) = (Field::Title, Field::Text);
    // Scores: (3 × title spans + text spans) × distinct terms.
    let arts = [
        with_spans("r1", 1, t, &[(title, "x")]),                            // 3
        with_spans("r2", 2, t, &[(text, "x"), (text, "y")]),                // 2 × 2 = 4
        with_spans("r3", 3, t, &[(title, "x")]),                            // 3, newer than r1
        with_spans("r4", 4, t, &[(text, "x"), (text, "x"), (text, "x")]),   // 3 × 1 = 3, newest of the threes
        with_spans("r5", 5, t, &[(title, "x"), (title, "y"), (text, "z")]), // 7 × 3 = 21
        with_spans("r6", 6, t, &[]),                                        // 0
    ];
    s.save_fetch(src.id, &FetchOk::default(), &arts, at(7), at(7)).unwrap();
    let by_topic =
        MentionQuery { topic: Some("BRICS".into()), order: Some(MentionOrder::Relevance), ..MentionQuery::default() };
    let want = [("r5", 21), ("r2", 4), ("r4", 3), ("r3", 3), ("r1", 3), ("r6", 0)];
    let want: Vec<(String, u32)> = want.iter().map(|(t, n)| ((*t).to_string(), *n)).collect();
    for limit in [1, 2, 4, 50] {
        assert_eq!(paged(&s, &by_topic, limit), want, "one topic, pages of {limit}");
    }
    let every = MentionQuery { order: Some(MentionOrder::Relevance), ..MentionQuery::default() };
    for limit in [1, 2, 50] {
        assert_eq!(paged(&s, &every, limit), want, "every topic, pages of {limit}");
    }
    // Newest first is still the default.
    let newest: Vec<String> = paged(&s, &MentionQuery::default(), 4).into_iter().map(|(t, _)| t).collect();
    assert_eq!(newest, ["r6", "r5", "r4", "r3", "r2", "r1"]);
    // A relevance page needs the score of the row it follows.
    let r2 = s.mentions(&MentionQuery { limit: Some(2), ..by_topic.clone() }).unwrap().pop().unwrap();
    let no_score = MentionCursor { sort_at: r2.sort_at, article_id: r2.article_id, score: None };
    let err = s.mentions(&MentionQuery { before: Some(no_score), ..by_topic.clone() }).unwrap_err();
    assert_eq!(err.code(), crate::error::ErrorCode::InvalidInput, "{err}");

    // A second topic flags r4 higher (title a, title b: 6 × 2 = 12) and r1 lower: without a topic, each
    // article is listed once, at its best mention.
    let other = NewTopic { name: "Other".into(), query: "body".into(), description: None, stem: false };
    let id = |guid: &str| -> Id {
        s.writer().unwrap().query_row("SELECT id FROM articles WHERE guid = ?1", [guid], |r| r.get(0)).unwrap()
    };
    let hit = |guid: &str, hits: &[(Field, &str)]| (id(guid), with_spans(guid, 1, t, hits).mentions.remove(0));
    let t2 = s
        .save_topic(
            None,
            &other,
            &[hit("r4", &[(title, "a"), (title, "b")]), hit("r1", &[])],
            i64::MAX,
            &|_| Vec::new(),
            at(8),
        )
        .unwrap()
        .id;
    let mixed: Vec<(String, u32)> = [("r5", 21), ("r4", 12), ("r2", 4), ("r3", 3), ("r1", 3), ("r6", 0)]
        .iter()
        .map(|(t, n)| ((*t).into(), *n))
        .collect();
    for limit in [1, 2, 3, 50] {
        assert_eq!(paged(&s, &every, limit), mixed, "every topic, best mention, pages of {limit}");
    }
    let other_only = MentionQuery { topic: Some("Other".into()), ..every.clone() };
    assert_eq!(paged(&s, &other_only, 1), [("r4".to_string(), 12), ("r1".to_string(), 0)]);
    // The period is checked on the walk.
    let period = MentionQuery { since: Some(at(2)), until: Some(at(5)), ..every };
    let titles: Vec<String> = paged(&s, &period, 1).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles, ["r4", "r2", "r3"]);

    // A re-fetch that changes the spans re-scores the mention (r6 now matches twice in its title).
    let changed = [NewArticle { replaces: Some(id("r6")), ..with_spans("r6", 6, t, &[(title, "x"), (title, "y")]) }];
    s.save_fetch(src.id, &FetchOk::default(), &changed, at(9), at(9)).unwrap();
    let top = s.mentions(&MentionQuery { limit: Some(2), ..by_topic.clone() }).unwrap();
    assert_eq!(top.iter().map(|r| (r.title.as_str(), r.score)).collect::<Vec<_>>(), [("r5", 21), ("r6", 12)]);
    // So does a topic edited to match other words (a backfill rewrites its mentions' spans).
    let edited =
        s.save_topic(Some(t2), &other, &[hit("r1", &[(text, "c")])], i64::MAX, &|_| Vec::new(), at(10)).unwrap();
    assert_eq!(edited.id, t2);
    assert_eq!(paged(&s, &other_only, 5), [("r1".to_string(), 1)]);

    // Migration 13 scores the mentions already stored from their spans.
    let before = scores(&s);
    assert!(before.iter().any(|(_, _, n)| *n > 0));
    drop(s);
    Connection::open(&path).unwrap().execute_batch(&format!("{UNDO_13} PRAGMA user_version = 12;")).unwrap();
    let s = Store::open(&path).unwrap();
    assert_eq!(scores(&s), before);
    assert_eq!(paged(&s, &by_topic, 2)[0], ("r5".to_string(), 21));
}

/// Each source's unread flagged articles as kept by the triggers, and as counted: (source, kept, counted).
fn source_unread_counts(s: &Store) -> Vec<(Id, i64, i64)> {
    triples(
        s,
        "SELECT s.id, s.unread, (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id AND a.read_at IS NULL
                                 AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id))
         FROM sources s ORDER BY s.id",
    )
}

fn assert_source_counts_kept(s: &Store) {
    let counts = source_unread_counts(s);
    assert!(counts.iter().all(|(_, kept, counted)| kept == counted), "{counts:?}");
}

#[test]
fn stars_and_source_groups_filter_the_list_and_the_pane_counts_them() {
    use crate::model::{GroupCount, MentionOrder};
    let (_dir, path, s, a, t) = with_source_and_topic();
    let b = s.insert_source("https://b.example/feed", "B", false, 30, at(1)).unwrap();
    let c = s.insert_source("https://c.example/feed", "C", false, 30, at(1)).unwrap();
    let arts = |url: &str, items: &[(&str, u32, bool)]| -> Vec<NewArticle> {
        items
            .iter()
            .map(|(guid, hour, flagged)| {
                article(guid, &format!("{url}/{guid}"), guid, Some(at(*hour)), flagged.then_some(t))
            })
            .collect()
    };
    s.save_fetch(a.id, &FetchOk::default(), &arts("https://a.example", &[("a1", 1, true)]), at(9), at(9)).unwrap();
    s.save_fetch(b.id, &FetchOk::default(), &arts("https://b.example", &[("b2", 2, true)]), at(9), at(9)).unwrap();
    let of_c = arts("https://c.example", &[("c3", 3, true), ("c4", 4, false), ("c5", 5, true)]);
    s.save_fetch(c.id, &FetchOk::default(), &of_c, at(9), at(9)).unwrap();
    let id = |guid: &str| -> Id {
        s.writer().unwrap().query_row("SELECT id FROM articles WHERE guid = ?1", [guid], |r| r.get(0)).unwrap()
    };
    let titles = |q: MentionQuery| -> Vec<String> { paged(&s, &q, 1).into_iter().map(|(t, _)| t).collect() };
    let pane = || s.mentions_pane().unwrap();
    let group = |name: Option<&str>, unread: u32| GroupCount { name: name.map(str::to_string), unread };

    // No groups yet: the pane lists none, and the group filter "" (no group) is every source.
    assert_eq!(pane().groups, []);
    assert_eq!(pane().starred, 0);
    assert_eq!(titles(MentionQuery { group: Some(String::new()), ..MentionQuery::default() }).len(), 4);

    // A and B in one group (spelt in two cases), C in none.
    s.writer()
        .unwrap()
        .execute_batch(&format!(
            "UPDATE sources SET group_name = 'Wires' WHERE id = {}; UPDATE sources SET group_name = 'wires' WHERE id = {};",
            a.id, b.id
        ))
        .unwrap();
    assert_eq!(pane().groups, [group(Some("Wires"), 2), group(None, 2)]);
    let wires = MentionQuery { group: Some("WIRES".into()), ..MentionQuery::default() };
    assert_eq!(titles(wires.clone()), ["b2", "a1"]);
    assert_eq!(titles(MentionQuery { topic: Some("BRICS".into()), ..wires.clone() }), ["b2", "a1"]);
    assert_eq!(titles(MentionQuery { source_id: Some(a.id), ..wires.clone() }), ["a1"]);
    assert_eq!(titles(MentionQuery { order: Some(MentionOrder::Relevance), ..wires.clone() }), ["b2", "a1"]);
    assert_eq!(titles(MentionQuery { group: Some(String::new()), ..MentionQuery::default() }), ["c5", "c3"]);
    assert!(titles(MentionQuery { group: Some("Nobody".into()), ..MentionQuery::default() }).is_empty());

    // Stars: only flagged articles count and are listed (c4 is starred but no topic flags it).
    for guid in ["a1", "c3", "c4"] {
        s.set_starred(id(guid), Some(at(10))).unwrap();
    }
    assert_eq!(pane().starred, 2);
    let starred = MentionQuery { starred_only: true, ..MentionQuery::default() };
    assert_eq!(titles(starred.clone()), ["c3", "a1"]);
    assert_eq!(titles(MentionQuery { topic: Some("BRICS".into()), ..starred.clone() }), ["c3", "a1"]);
    assert_eq!(titles(MentionQuery { group: Some("wires".into()), ..starred.clone() }), ["a1"]);
    assert_eq!(titles(MentionQuery { source_id: Some(c.id), ..starred.clone() }), ["c3"]);
    assert_eq!(titles(MentionQuery { since: Some(at(2)), ..starred.clone() }), ["c3"]);
    assert_eq!(titles(MentionQuery { order: Some(MentionOrder::Relevance), ..starred.clone() }), ["c3", "a1"]);
    let other = NewTopic { name: "Other".into(), query: "body".into(), description: None, stem: false };
    let hit = article("x", "https://x.example/x", "x", None, Some(t)).mentions.remove(0);
    s.save_topic(None, &other, &[(id("a1"), hit.clone()), (id("c5"), hit)], i64::MAX, &|_| Vec::new(), at(10)).unwrap();
    assert_eq!(titles(MentionQuery { topic: Some("Other".into()), ..starred.clone() }), ["a1"]);

    // Read state: a group counts its unread articles once, whatever the number of topics that flag them.
    assert_eq!(pane().groups, [group(Some("Wires"), 2), group(None, 2)]);
    assert_source_counts_kept(&s);
    s.set_read(&[id("a1")], Some(at(11))).unwrap();
    assert_eq!(pane().groups, [group(Some("Wires"), 1), group(None, 2)]);
    // Mark all read takes the group and the stars of the list's filter.
    assert_eq!(s.mark_all_read(&wires, at(12), at(12)).unwrap(), 1);
    assert_eq!(pane().groups, [group(Some("Wires"), 0), group(None, 2)]);
    assert_eq!(s.mark_all_read(&starred, at(12), at(12)).unwrap(), 1, "c3 (a1 was read)");
    assert_eq!(pane().groups, [group(Some("Wires"), 0), group(None, 1)]);
    assert_eq!(titles(MentionQuery { unread_only: true, ..MentionQuery::default() }), ["c5"]);
    assert_source_counts_kept(&s);
    // Unread again; then c5 loses its first topic (a re-fetch no longer matches it) and stays flagged by the
    // other, then loses that one too (the topic is removed); c4 gets flagged by a re-fetch.
    s.set_read(&[id("a1"), id("b2"), id("c3")], None).unwrap();
    assert_eq!(pane().groups, [group(Some("Wires"), 2), group(None, 2)]);
    let other_id = s.topic_id_by_name("Other").unwrap().unwrap();
    let mut c5 = article("c5", "https://c.example/c5", "c5", Some(at(5)), Some(other_id));
    c5.replaces = Some(id("c5"));
    let c4 =
        NewArticle { replaces: Some(id("c4")), ..article("c4", "https://c.example/c4", "c4", Some(at(4)), Some(t)) };
    s.save_fetch(c.id, &FetchOk::default(), &[c5, c4], at(13), at(13)).unwrap();
    assert_eq!(pane().groups, [group(Some("Wires"), 2), group(None, 3)], "c3, c4 and c5 (by the other topic)");
    s.remove_topic(other_id).unwrap();
    assert_eq!(pane().groups, [group(Some("Wires"), 2), group(None, 2)], "c3 and c4");
    assert_source_counts_kept(&s);
    // An article deleted leaves its source's count (its mentions go with it).
    let c3 = id("c3");
    s.writer().unwrap().execute("DELETE FROM articles WHERE id = ?1", [c3]).unwrap();
    assert_eq!(pane().groups, [group(Some("Wires"), 2), group(None, 1)]);
    assert_source_counts_kept(&s);
    // Migration 13 counts what is stored.
    let before = source_unread_counts(&s);
    drop(s);
    Connection::open(&path).unwrap().execute_batch(&format!("{UNDO_13} PRAGMA user_version = 12;")).unwrap();
    let s = Store::open(&path).unwrap();
    assert_eq!(source_unread_counts(&s), before);
    // A removed source takes its counts with it.
    s.remove_source(c.id).unwrap();
    assert_eq!(s.mentions_pane().unwrap().groups, [group(Some("Wires"), 2)]);
    assert_eq!(s.mentions_pane().unwrap().starred, 1);
    assert_source_counts_kept(&s);
}

#[test]
fn fetch_cycles_keep_the_newest_and_read_back_newest_first() {
    let (_dir, _path, s, _src, _t) = with_source_and_topic();
    assert_eq!(s.fetch_cycles(1).unwrap(), []);
    let cycle = |n: u32| crate::model::FetchCycle {
        started_at: at(0) + chrono::Duration::minutes(i64::from(n)),
        finished_at: at(0) + chrono::Duration::minutes(i64::from(n) + 1),
        sources: n,
        new_articles: 2 * n,
        not_modified: 1,
        errors: u32::from(n.is_multiple_of(2)),
        new_mentions: 3 * n,
        alerts_fired: 0,
        cancelled: n == 3,
    };
    for n in 1..=3 {
        s.record_fetch_cycle(&cycle(n)).unwrap();
    }
    assert_eq!(s.fetch_cycles(2).unwrap(), [cycle(3), cycle(2)]);
    // Only the newest FETCH_CYCLES_KEPT stay.
    for n in 4..=(super::fetch::FETCH_CYCLES_KEPT + 10) {
        s.record_fetch_cycle(&cycle(n)).unwrap();
    }
    let kept = s.fetch_cycles(10_000).unwrap();
    assert_eq!(kept.len() as u32, super::fetch::FETCH_CYCLES_KEPT);
    assert_eq!(kept.last().unwrap().sources, 11);
}
