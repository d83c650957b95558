//! Versioned schema migrations. `PRAGMA user_version` holds the number of migrations applied; pending
//! ones run in one transaction, after a backup copy of an existing database; a database written by a newer
//! Mediawatch (a higher version than this build knows) is refused rather than misread.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// A mention's relevance score in SQL, from its spans (a JSON array of `{field, start, end, term}`):
/// `(3 × spans in the title + spans in the text) × distinct terms`, 0 without spans, at most 2^31 − 1. Migration
/// 13's triggers and backfill use it; like a migration, it never changes once shipped (a new formula is a new
/// migration that rewrites the triggers and the scores).
macro_rules! score_of {
    ($spans:literal) => {
        concat!(
            "(SELECT COALESCE(MIN(2147483647, (3 * SUM(json_extract(value, '$.field') = 'title')
                                              + SUM(json_extract(value, '$.field') <> 'title'))
                                             * COUNT(DISTINCT json_extract(value, '$.term'))), 0)
              FROM json_each(",
            $spans,
            "))"
        )
    };
}

/// Each entry is one schema version. Append only: never edit a migration that has shipped.
pub const MIGRATIONS: &[&str] = &[
    // 1: the foundation schema.
    r#"
    CREATE TABLE sources (
        id                   INTEGER PRIMARY KEY,
        url                  TEXT NOT NULL UNIQUE,
        name                 TEXT NOT NULL,
        name_is_default      INTEGER NOT NULL DEFAULT 1,
        kind                 TEXT NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'page', 'sitemap')),
        group_name           TEXT,
        enabled              INTEGER NOT NULL DEFAULT 1,
        interval_minutes     INTEGER NOT NULL DEFAULT 30 CHECK (interval_minutes > 0),
        full_text            TEXT NOT NULL DEFAULT 'auto' CHECK (full_text IN ('auto', 'always', 'never')),
        created_at           TEXT NOT NULL,
        etag                 TEXT,
        last_modified        TEXT,
        next_fetch_at        TEXT,
        last_fetch_at        TEXT,
        last_success_at      TEXT,
        last_error_code      TEXT,
        last_error           TEXT,
        last_http_status     INTEGER,
        consecutive_failures INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE articles (
        id           INTEGER PRIMARY KEY,
        source_id    INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        guid         TEXT,
        url          TEXT,
        title        TEXT NOT NULL,
        author       TEXT,
        summary      TEXT,
        text         TEXT NOT NULL,
        content_html TEXT,
        lang         TEXT,
        published_at TEXT,
        fetched_at   TEXT NOT NULL,
        -- newest-first order: the published time, or the fetch time when the feed gave none
        sort_at      TEXT NOT NULL
    );
    CREATE UNIQUE INDEX articles_source_guid ON articles(source_id, guid) WHERE guid IS NOT NULL;
    CREATE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
    CREATE INDEX articles_sort ON articles(sort_at DESC, id DESC);

    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content = 'articles', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;

    CREATE TABLE topics (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        query       TEXT NOT NULL,
        description TEXT,
        enabled     INTEGER NOT NULL DEFAULT 1,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );

    -- article x topic, with the spans that explain the match (JSON array of {field,start,end,term})
    CREATE TABLE mentions (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        topic_id   INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        spans      TEXT NOT NULL,
        snippet    TEXT NOT NULL,
        flagged_at TEXT NOT NULL,
        PRIMARY KEY (article_id, topic_id)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_topic ON mentions(topic_id, article_id);

    CREATE TABLE alert_rules (
        id         INTEGER PRIMARY KEY,
        topic_id   INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('instant', 'digest', 'spike')),
        channel    TEXT NOT NULL,
        config     TEXT NOT NULL DEFAULT '{}',
        enabled    INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
    );

    CREATE TABLE alerts (
        id           INTEGER PRIMARY KEY,
        rule_id      INTEGER REFERENCES alert_rules(id) ON DELETE SET NULL,
        topic_id     INTEGER REFERENCES topics(id) ON DELETE CASCADE,
        article_id   INTEGER REFERENCES articles(id) ON DELETE SET NULL,
        title        TEXT NOT NULL,
        body         TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        delivered_at TEXT,
        read_at      TEXT
    );
    CREATE INDEX alerts_created ON alerts(created_at DESC);

    CREATE TABLE tags (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
    );
    CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
    ) WITHOUT ROWID;
    CREATE TABLE notes (
        id         INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        body       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );

    CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    "#,
    // 2: articles are indexed for full-text search in bulk, one statement per stored fetch
    // (`Store::save_fetch`). A per-row insert trigger runs each insert in a statement savepoint, and FTS5
    // flushes its pending index at every savepoint: one index segment per article (the cold refresh of
    // 300 feeds spent a fifth of its time there). Updates and deletes keep their triggers.
    r#"
    DROP TRIGGER articles_fts_insert;
    "#,
    // 3: the feed's picture for an article (Media RSS thumbnail, image enclosure).
    r#"
    ALTER TABLE articles ADD COLUMN image_url TEXT;
    "#,
    // 4: full text and story clusters. `text_origin` says whether the body is the feed's or the extracted
    // article page's; `extract_error` why the page could not be read. `fingerprint` is the body's MinHash
    // signature (`cluster::Fingerprint::to_bytes`), and `cluster_id`
    // the id of the story's first stored article (NULL: its own id, when it is the first or has no copy). The LSH index that finds
    // the fingerprints worth comparing is kept in memory (`Store`'s cluster window), rebuilt from these.
    r#"
    ALTER TABLE articles ADD COLUMN site_name TEXT;
    ALTER TABLE articles ADD COLUMN canonical_url TEXT;
    ALTER TABLE articles ADD COLUMN text_origin TEXT NOT NULL DEFAULT 'feed' CHECK (text_origin IN ('feed', 'page'));
    ALTER TABLE articles ADD COLUMN extract_error TEXT;
    ALTER TABLE articles ADD COLUMN fingerprint BLOB;
    ALTER TABLE articles ADD COLUMN cluster_id INTEGER;
    ALTER TABLE articles ADD COLUMN updated_at TEXT;
    CREATE INDEX articles_canonical ON articles(canonical_url) WHERE canonical_url IS NOT NULL;
    CREATE INDEX articles_cluster ON articles(cluster_id);
    "#,
    // 5: the topic engine. `stem`: the topic matches plain words by their Snowball stem. `snippets`: one
    // keyword-in-context sentence per span of the mention (a JSON array, in the order of `spans`).
    r#"
    ALTER TABLE topics ADD COLUMN stem INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE mentions ADD COLUMN snippets TEXT NOT NULL DEFAULT '[]';
    "#,
    // 6: the FTS5 index holds each title and text as the topic engine reads them (`mw_fts_text`, registered on
    // every connection: NFKC, `ё` = `е`, CJK characters standing apart), so that `unicode61` cuts the same words
    // as the engine (`在BRICS峰会上` → `brics`; `ﬁnance` → `finance`) and a topic's prefilter is a true
    // superset (`topics::prefilter`). The index is rebuilt from the stored articles.
    r#"
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content = 'articles', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts(rowid, title, text) SELECT id, mw_fts_text(title), mw_fts_text(text) FROM articles;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, mw_fts_text(old.title), mw_fts_text(old.text));
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, mw_fts_text(old.title), mw_fts_text(old.text));
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, mw_fts_text(new.title), mw_fts_text(new.text));
    END;
    "#,
    // 7: alerts. The tables of migration 1 were never written; they are replaced. A rule's `config` holds
    // its kind's options (JSON); its state (`checked_through` until migration 8, `digest_through`, `spike_active`,
    // `last_fired_at`) is read and written in the same transaction that claims what it fires on.
    // `alert_claims` is the guarantee that a rule alerts on an article (or story) at most once: its key is
    // the article's id, or its story's (the cluster's first article) for rules with new stories only.
    // `mentions.origin` says which mentions are news: 'fetch' (stored by a fetch cycle); 'import' and
    // 'backfill' (a topic added or edited re-matching stored articles) never alert. Mentions stored before
    // this migration count as backfill.
    r#"
    DROP TABLE alerts;
    DROP TABLE alert_rules;
    ALTER TABLE mentions ADD COLUMN origin TEXT NOT NULL DEFAULT 'backfill'
        CHECK (origin IN ('fetch', 'import', 'backfill'));
    CREATE INDEX mentions_news ON mentions(topic_id, flagged_at) WHERE origin = 'fetch';

    CREATE TABLE alert_rules (
        id              INTEGER PRIMARY KEY,
        topic_id        INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        name            TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('instant', 'digest', 'spike')),
        channels        TEXT NOT NULL,
        config          TEXT NOT NULL DEFAULT '{}',
        paused          INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        last_fired_at   TEXT,
        checked_through TEXT,
        digest_through  TEXT,
        spike_active    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX alert_rules_topic ON alert_rules(topic_id);

    CREATE TABLE alerts (
        id           INTEGER PRIMARY KEY,
        rule_id      INTEGER REFERENCES alert_rules(id) ON DELETE SET NULL,
        topic_id     INTEGER REFERENCES topics(id) ON DELETE SET NULL,
        rule_name    TEXT NOT NULL,
        topic_name   TEXT NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('instant', 'digest', 'spike')),
        test         INTEGER NOT NULL DEFAULT 0,
        summary      TEXT NOT NULL,
        count        INTEGER NOT NULL,
        baseline     REAL,
        window_from  TEXT,
        window_until TEXT,
        created_at   TEXT NOT NULL,
        read_at      TEXT
    );
    CREATE INDEX alerts_created ON alerts(created_at DESC, id DESC);
    CREATE INDEX alerts_unread ON alerts(id) WHERE read_at IS NULL;
    CREATE INDEX alerts_rule ON alerts(rule_id, id);

    CREATE TABLE alert_articles (
        alert_id   INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        PRIMARY KEY (alert_id, article_id)
    ) WITHOUT ROWID;

    CREATE TABLE alert_claims (
        rule_id   INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
        story_key INTEGER NOT NULL,
        alert_id  INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        PRIMARY KEY (rule_id, story_key)
    ) WITHOUT ROWID;

    CREATE TABLE alert_deliveries (
        id              INTEGER PRIMARY KEY,
        alert_id        INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        channel         TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        lease_until     TEXT,
        message_id      TEXT NOT NULL,
        last_error      TEXT,
        delivered_at    TEXT
    );
    CREATE INDEX alert_deliveries_alert ON alert_deliveries(alert_id);
    CREATE INDEX alert_deliveries_due ON alert_deliveries(next_attempt_at) WHERE status = 'pending';

    CREATE TABLE alert_attempts (
        delivery_id INTEGER NOT NULL REFERENCES alert_deliveries(id) ON DELETE CASCADE,
        attempt     INTEGER NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        outcome     TEXT NOT NULL CHECK (outcome IN ('sending', 'delivered', 'failed')),
        error       TEXT,
        PRIMARY KEY (delivery_id, attempt)
    ) WITHOUT ROWID;
    "#,
    // 8: the news log. Each mention a fetch stores gets a row, at most once per (topic, article), with a
    // sequence number that only grows (AUTOINCREMENT never reuses one, and writers are serialised, so the
    // order of `seq` is the order of commits). An instant rule keeps the last `seq` it looked at
    // (`news_seq`): that is its exact watermark, so a rule with nothing new costs no query and a rule that
    // fires needs no claim per article (claims remain for stories and digests). The log starts with the
    // fetch mentions already stored, and every existing rule has seen them (they had their look under
    // migration 7's time window, which `checked_through` was and which goes). An alert's articles (at most
    // 50, in the order shown) become one JSON array in its row: an instant rule firing on 1,000 stored
    // articles wrote 50 rows per alert, which was most of what its evaluation cost. An article removed later
    // drops out of the list when it is read.
    r#"
    CREATE TABLE news_log (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        topic_id   INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        flagged_at TEXT NOT NULL,
        -- copied from the article when logged (they sit behind its text on disk): its story, and when it
        -- was published
        story      INTEGER NOT NULL,
        published_at TEXT,
        UNIQUE (topic_id, article_id)
    );
    CREATE INDEX news_log_topic ON news_log(topic_id, seq);
    CREATE INDEX news_log_article ON news_log(article_id);
    INSERT INTO news_log (topic_id, article_id, flagged_at, story, published_at)
        SELECT m.topic_id, m.article_id, m.flagged_at, COALESCE(a.cluster_id, a.id), a.published_at
        FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.origin = 'fetch'
        ORDER BY m.flagged_at, m.article_id, m.topic_id;
    ALTER TABLE alert_rules ADD COLUMN news_seq INTEGER NOT NULL DEFAULT 0;
    UPDATE alert_rules SET news_seq = (SELECT COALESCE(MAX(seq), 0) FROM news_log);
    ALTER TABLE alert_rules DROP COLUMN checked_through;

    ALTER TABLE alerts ADD COLUMN articles TEXT NOT NULL DEFAULT '[]';
    UPDATE alerts SET articles = (
        SELECT COALESCE(json_group_array(article_id), '[]')
        FROM (SELECT article_id FROM alert_articles x WHERE x.alert_id = alerts.id ORDER BY position));
    DROP TABLE alert_articles;
    "#,
    // 9: reports. An analyst stars the articles worth a report (`starred_at`, when; NULL: not starred), and
    // saves report definitions: the scope and the content options as JSON (the same `ReportDefinition` the
    // export takes, so a saved report cannot drift from an export), optionally a schedule (daily or weekly,
    // into a folder or by e-mail) with the last run's outcome.
    r#"
    ALTER TABLE articles ADD COLUMN starred_at TEXT;
    CREATE INDEX articles_starred ON articles(sort_at DESC, id DESC) WHERE starred_at IS NOT NULL;
    CREATE TABLE reports (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        definition  TEXT NOT NULL,
        schedule    TEXT,
        -- the next time a scheduled report is due, and the last run's outcome
        due_at      TEXT,
        last_run_at TEXT,
        last_path   TEXT,
        last_error  TEXT,
        created_at  TEXT NOT NULL
    );
    CREATE INDEX reports_due ON reports(due_at) WHERE due_at IS NOT NULL;
    "#,
    // 10: a topic's mentions newest first without walking every article. The Mentions page of one topic
    // (and a one-topic report) walked `articles_sort` until it had found a page of the topic's articles: for
    // a topic in one article of 10,000, that is every article (3.6 s at 200,000). Each mention now carries
    // its article's `sort_at`, kept by triggers (set when the mention is written, followed when a re-fetch
    // changes the article's time), and `mentions_topic_sort` gives a topic's mentions in the list's order.
    r#"
    ALTER TABLE mentions ADD COLUMN sort_at TEXT;
    UPDATE mentions SET sort_at = (SELECT a.sort_at FROM articles a WHERE a.id = mentions.article_id);
    CREATE INDEX mentions_topic_sort ON mentions(topic_id, sort_at DESC, article_id DESC);
    CREATE TRIGGER mentions_sort_at_insert AFTER INSERT ON mentions BEGIN
        UPDATE mentions SET sort_at = (SELECT a.sort_at FROM articles a WHERE a.id = NEW.article_id)
        WHERE article_id = NEW.article_id AND topic_id = NEW.topic_id;
    END;
    CREATE TRIGGER mentions_sort_at_follow AFTER UPDATE OF sort_at ON articles
    WHEN NEW.sort_at IS NOT OLD.sort_at BEGIN
        UPDATE mentions SET sort_at = NEW.sort_at WHERE article_id = NEW.id;
    END;
    "#,
    // 11: counts without reading the mentions. The Analysis page's volume over time and the Overview's
    // sparklines and spike badges read how many mentions each topic has per hour (of the mention's
    // `sort_at`, as a Unix hour: seconds / 3600, UTC), kept by triggers: a mention written, moved (its
    // `sort_at` set by `mentions_sort_at_insert` or followed by `mentions_sort_at_follow`) or deleted. An hour,
    // not a day, so that any zone's days (and the hourly chart) are sums of whole buckets; zones whose offset
    // is not whole hours (India, Nepal) read their day boundaries to the hour. `articles_source_sort` gives a
    // source's articles newest first (the Mentions list filtered by a source).
    //
    // Read state: `articles.read_at` (NULL: unread). Each mention carries `unread` (its article's state, set
    // when written and followed by a trigger), and each topic its count of unread mentions (`topics.unread`),
    // kept by triggers on the mentions, so the sidebar's counts cost nothing however many articles there are.
    r#"
    ALTER TABLE articles ADD COLUMN read_at TEXT;
    ALTER TABLE mentions ADD COLUMN unread INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE topics ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
    UPDATE topics SET unread = (SELECT COUNT(*) FROM mentions m WHERE m.topic_id = topics.id);
    CREATE TRIGGER mentions_unread_insert AFTER INSERT ON mentions BEGIN
        UPDATE topics SET unread = unread + NEW.unread WHERE id = NEW.topic_id;
        UPDATE mentions SET unread = 0
        WHERE article_id = NEW.article_id AND topic_id = NEW.topic_id AND NEW.unread = 1
          AND (SELECT a.read_at FROM articles a WHERE a.id = NEW.article_id) IS NOT NULL;
    END;
    CREATE TRIGGER mentions_unread_change AFTER UPDATE OF unread ON mentions
    WHEN NEW.unread <> OLD.unread BEGIN
        UPDATE topics SET unread = unread + NEW.unread - OLD.unread WHERE id = NEW.topic_id;
    END;
    CREATE TRIGGER mentions_unread_delete AFTER DELETE ON mentions WHEN OLD.unread = 1 BEGIN
        UPDATE topics SET unread = unread - 1 WHERE id = OLD.topic_id;
    END;
    CREATE TRIGGER articles_read_follow AFTER UPDATE OF read_at ON articles
    WHEN (NEW.read_at IS NULL) <> (OLD.read_at IS NULL) BEGIN
        UPDATE mentions SET unread = (NEW.read_at IS NULL) WHERE article_id = NEW.id;
    END;
    CREATE TABLE mention_hours (
        topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        hour     INTEGER NOT NULL,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (topic_id, hour)
    ) WITHOUT ROWID;
    INSERT INTO mention_hours (topic_id, hour, mentions)
        SELECT topic_id, unixepoch(sort_at) / 3600, COUNT(*) FROM mentions WHERE sort_at IS NOT NULL GROUP BY 1, 2;
    CREATE TRIGGER mention_hours_insert AFTER INSERT ON mentions WHEN NEW.sort_at IS NOT NULL BEGIN
        INSERT INTO mention_hours (topic_id, hour, mentions) VALUES (NEW.topic_id, unixepoch(NEW.sort_at) / 3600, 1)
        ON CONFLICT (topic_id, hour) DO UPDATE SET mentions = mentions + 1;
    END;
    CREATE TRIGGER mention_hours_move AFTER UPDATE OF sort_at ON mentions
    WHEN NEW.sort_at IS NOT OLD.sort_at BEGIN
        UPDATE mention_hours SET mentions = mentions - 1
        WHERE OLD.sort_at IS NOT NULL AND topic_id = OLD.topic_id AND hour = unixepoch(OLD.sort_at) / 3600;
        INSERT INTO mention_hours (topic_id, hour, mentions)
        SELECT NEW.topic_id, unixepoch(NEW.sort_at) / 3600, 1 WHERE NEW.sort_at IS NOT NULL
        ON CONFLICT (topic_id, hour) DO UPDATE SET mentions = mentions + 1;
    END;
    CREATE TRIGGER mention_hours_delete AFTER DELETE ON mentions WHEN OLD.sort_at IS NOT NULL BEGIN
        UPDATE mention_hours SET mentions = mentions - 1
        WHERE topic_id = OLD.topic_id AND hour = unixepoch(OLD.sort_at) / 3600;
    END;
    CREATE INDEX articles_source_sort ON articles(source_id, sort_at DESC, id DESC);
    -- What the Analysis page's walk reads of each article, without reading the row (whose text comes first
    -- and spills into overflow pages).
    CREATE INDEX articles_facets ON articles(id, source_id, lang, cluster_id, sort_at);
    "#,
    // 12: what each fetch cycle did (the Overview's "last fetch cycle" line, and a short history): when it
    // ran, how many sources it fetched, what it stored and flagged, what failed, what the alert rules
    // fired. One row a cycle, the newest `FETCH_CYCLES_KEPT` kept.
    r#"
    CREATE TABLE fetch_cycles (
        id           INTEGER PRIMARY KEY,
        started_at   TEXT NOT NULL,
        finished_at  TEXT NOT NULL,
        sources      INTEGER NOT NULL,
        new_articles INTEGER NOT NULL,
        not_modified INTEGER NOT NULL,
        errors       INTEGER NOT NULL,
        new_mentions INTEGER NOT NULL,
        alerts_fired INTEGER NOT NULL,
        cancelled    INTEGER NOT NULL DEFAULT 0
    );
    "#,
    // 13: the Mentions list by relevance, and its pane's counts. Each mention gets a `score` computed from its
    // spans (`score_of!`: (3 × title spans + text spans) × distinct terms, see `model::MentionOrder::Relevance`)
    // when it is written (`mentions_sort_at_insert`, which now sets both in one update) and again when a
    // re-match rewrites its spans (`mentions_score_follow`); the mentions already stored are scored from their
    // `spans`. `mentions_topic_score` gives a topic's mentions by score (then newest first) for keyset pages,
    // `mentions_score` every topic's.
    //
    // The pane's source groups show their unread flagged articles: each source keeps its count
    // (`sources.unread`: its articles that a topic flags and that are not read), kept by triggers as a topic's
    // is, so the pane costs nothing however many articles there are. An article counts once however many
    // topics flag it: it joins with its first mention and leaves with its last, and moves with its read state.
    // An article deleted leaves its source's count before its mentions go (their cascade then finds no
    // article); a source deleted takes its count with it.
    concat!(
        "ALTER TABLE mentions ADD COLUMN score INTEGER NOT NULL DEFAULT 0;
         UPDATE mentions SET score = ",
        score_of!("spans"),
        ";
         CREATE INDEX mentions_topic_score ON mentions(topic_id, score DESC, sort_at DESC, article_id DESC);
         CREATE INDEX mentions_score ON mentions(score DESC, sort_at DESC, article_id DESC);
         ALTER TABLE sources ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
         UPDATE sources SET unread = u.n
         FROM (SELECT a.source_id AS source_id, COUNT(*) AS n FROM articles a
               WHERE a.read_at IS NULL AND a.id IN (SELECT m.article_id FROM mentions m)
               GROUP BY a.source_id) AS u
         WHERE u.source_id = sources.id;
         CREATE TRIGGER sources_unread_flagged AFTER INSERT ON mentions BEGIN
             UPDATE sources SET unread = unread + 1
             WHERE id = (SELECT a.source_id FROM articles a WHERE a.id = NEW.article_id AND a.read_at IS NULL)
               AND (SELECT COUNT(*) FROM mentions m WHERE m.article_id = NEW.article_id) = 1;
         END;
         CREATE TRIGGER sources_unread_unflagged AFTER DELETE ON mentions BEGIN
             UPDATE sources SET unread = unread - 1
             WHERE id = (SELECT a.source_id FROM articles a WHERE a.id = OLD.article_id AND a.read_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = OLD.article_id);
         END;
         CREATE TRIGGER sources_unread_read AFTER UPDATE OF read_at ON articles
         WHEN (NEW.read_at IS NULL) <> (OLD.read_at IS NULL) BEGIN
             UPDATE sources SET unread = unread + CASE WHEN NEW.read_at IS NULL THEN 1 ELSE -1 END
             WHERE id = NEW.source_id AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = NEW.id);
         END;
         CREATE TRIGGER sources_unread_removed BEFORE DELETE ON articles WHEN OLD.read_at IS NULL BEGIN
             UPDATE sources SET unread = unread - 1
             WHERE id = OLD.source_id AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = OLD.id);
         END;
         DROP TRIGGER mentions_sort_at_insert;
         CREATE TRIGGER mentions_sort_at_insert AFTER INSERT ON mentions BEGIN
             UPDATE mentions SET sort_at = (SELECT a.sort_at FROM articles a WHERE a.id = NEW.article_id),
                                 score = ",
        score_of!("NEW.spans"),
        "
             WHERE article_id = NEW.article_id AND topic_id = NEW.topic_id;
         END;
         CREATE TRIGGER mentions_score_follow AFTER UPDATE OF spans ON mentions WHEN NEW.spans IS NOT OLD.spans BEGIN
             UPDATE mentions SET score = ",
        score_of!("NEW.spans"),
        " WHERE article_id = NEW.article_id AND topic_id = NEW.topic_id;
         END;"
    ),
];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

pub fn current_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))?)
}

/// Refuses a database from a newer Mediawatch; otherwise reports how many migrations are pending.
pub fn pending_from(version: u32) -> Result<u32> {
    let latest = latest_version();
    if version > latest {
        return Err(Error::Storage(format!(
            "this database has schema version {version}, written by a newer Mediawatch; this version reads up to {latest}. Update Mediawatch, or use another database"
        )));
    }
    Ok(latest - version)
}

/// Applies the pending migrations in one transaction (all or nothing).
pub fn apply(conn: &mut Connection) -> Result<()> {
    let version = current_version(conn)? as usize;
    if version >= MIGRATIONS.len() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        tx.execute_batch(sql).map_err(|e| Error::Storage(format!("migration {} failed: {e}", i + 1)))?;
    }
    tx.pragma_update(None, "user_version", MIGRATIONS.len() as u32)?;
    tx.commit()?;
    Ok(())
}
