//! The backfill: a database of stored articles (the Luwak documents cycled, each copy with a suffix of its
//! own so that no two texts are equal), built once; then `mediawatch topics add`, which matches the new topic
//! against every stored article, timed as the user runs it, on a fresh copy of the database each run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use mediawatch_core::store::ts;
use rusqlite::{params, Connection};

use super::luwak::Doc;
use super::Res;

/// `%C3%96stra_Hoby_Church` -> `Östra Hoby Church`.
pub fn title_of(file_name: &str) -> String {
    let b = file_name.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).and_then(|&c| hex(c)), b.get(i + 2).and_then(|&c| hex(c))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'_', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn sql(e: &rusqlite::Error) -> String {
    format!("SQLite: {e}")
}

/// What the built database holds.
pub struct Built {
    pub path: PathBuf,
    pub articles: usize,
    pub bytes: u64,
    pub build_time: Duration,
    /// How the FTS index was filled: by the insert trigger, or by the store's bulk statement.
    pub fts_fill: &'static str,
}

/// Creates and migrates the database with the binary (`topics list`), then writes one source and `n`
/// articles directly, in one transaction, and indexes them for full-text search as the store does.
pub fn build(mediawatch: &Path, dir: &Path, docs: &[Doc], n: usize) -> Res<Built> {
    let start = Instant::now();
    let path = dir.join("backfill.db");
    let o = Command::new(mediawatch)
        .arg("--db")
        .arg(&path)
        .args(["--json", "topics", "list"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", mediawatch.display()))?;
    if !o.status.success() {
        return Err(format!("mediawatch topics list failed: {}", String::from_utf8_lossy(&o.stderr)));
    }
    let mut conn = Connection::open(&path).map_err(|e| sql(&e))?;
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles' ORDER BY name")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| sql(&e))?;
    let by_trigger = triggers.iter().any(|t| t == "articles_fts_insert");
    let now = Utc::now();
    let tx = conn.transaction().map_err(|e| sql(&e))?;
    tx.execute(
        "INSERT INTO sources (url, name, created_at) VALUES ('https://luwak.example/feed.xml', 'Luwak corpus', ?1)",
        [ts(now)],
    )
    .map_err(|e| sql(&e))?;
    let source = tx.last_insert_rowid();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO articles (source_id, guid, url, title, text, lang, published_at, fetched_at, sort_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'en', ?6, ?7, ?6)",
            )
            .map_err(|e| sql(&e))?;
        for i in 0..n {
            let d = &docs[i % docs.len()];
            let copy = i / docs.len() + 1;
            let text = format!("{}\n\nCopy {copy} of this article, stored as item {i}.", d.text);
            let published = ts(now - chrono::Duration::minutes(i as i64));
            insert
                .execute(params![
                    source,
                    format!("luwak-{i}"),
                    format!("https://luwak.example/{}/{copy}", d.id),
                    title_of(&d.id),
                    text,
                    published,
                    ts(now),
                ])
                .map_err(|e| sql(&e))?;
        }
    }
    if !by_trigger {
        // What `Store::save_fetch` does since migration 2 dropped the insert trigger.
        tx.execute("INSERT INTO articles_fts(rowid, title, text) SELECT id, title, text FROM articles", [])
            .map_err(|e| sql(&e))?;
    }
    tx.commit().map_err(|e| sql(&e))?;
    let (articles, indexed): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'copy')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| sql(&e))?;
    if articles as usize != n || indexed as usize != n {
        return Err(format!("the database holds {articles} articles, {indexed} indexed; {n} expected"));
    }
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).map_err(|e| sql(&e))?;
    drop(conn);
    let bytes = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
    Ok(Built {
        path,
        articles: n,
        bytes,
        build_time: start.elapsed(),
        fts_fill: if by_trigger { "insert trigger" } else { "one bulk statement (as `Store::save_fetch`)" },
    })
}

/// A fresh copy of the built database (the WAL was checkpointed into the main file).
pub fn fresh_copy(built: &Built, dir: &Path) -> Res<PathBuf> {
    let copy = dir.join("run.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    std::fs::copy(&built.path, &copy).map_err(|e| format!("cannot copy the database: {e}"))?;
    Ok(copy)
}

/// Mentions of the topic named `name`.
pub fn mentions(db: &Path, name: &str) -> Res<i64> {
    let conn = Connection::open(db).map_err(|e| sql(&e))?;
    conn.query_row(
        "SELECT COUNT(*) FROM mentions m JOIN topics t ON t.id = m.topic_id WHERE t.name = ?1",
        [name],
        |r| r.get(0),
    )
    .map_err(|e| sql(&e))
}

/// SQLite FTS5 alone, in process, on the same index: the articles a query finds (a reference point, and a
/// cross-check of the count). Returns the time and the count.
pub fn fts5_count(db: &Path, fts_query: &str) -> Res<(Duration, i64)> {
    let conn = Connection::open(db).map_err(|e| sql(&e))?;
    let start = Instant::now();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?1", [fts_query], |r| r.get(0))
        .map_err(|e| sql(&e))?;
    Ok((start.elapsed(), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_of("%C3%96stra_Hoby_Church"), "Östra Hoby Church");
        assert_eq!(title_of("%22...And_Ladies%22"), "\"...And Ladies\"");
        assert_eq!(title_of("100%_sure"), "100% sure");
    }
}
