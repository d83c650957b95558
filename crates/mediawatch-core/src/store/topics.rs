//! Topics: saving one with its backfill's mentions in one transaction, listing, removing; the stored texts
//! that a backfill reads.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{get_opt_ts, get_ts, ts, NewMention, Store};
use crate::error::{Error, Result};
use crate::model::{Id, NewTopic, Topic};

/// Matches the articles stored while a backfill ran (inside the write that saves the topic).
pub type CatchUp<'a> = dyn Fn(&[StoredText]) -> Vec<(Id, NewMention)> + 'a;

/// An article as the backfill of a topic reads it.
#[derive(Debug, Clone)]
pub struct StoredText {
    pub id: Id,
    pub title: String,
    pub text: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub lang: Option<String>,
    pub source_id: Id,
    /// The source's name.
    pub source: String,
    pub published_at: Option<DateTime<Utc>>,
    pub sort_at: DateTime<Utc>,
}

impl Store {
    fn topic_from_row(row: &Row<'_>) -> rusqlite::Result<Topic> {
        Ok(Topic {
            id: row.get("id")?,
            name: row.get("name")?,
            query: row.get("query")?,
            description: row.get("description")?,
            stem: row.get("stem")?,
            created_at: get_ts(row, "created_at")?,
            mention_count: row.get("mention_count")?,
            unread: row.get("unread")?,
            query_error: None,
        })
    }

    const TOPIC_COLUMNS: &'static str = "t.id, t.name, t.query, t.description, t.stem, t.created_at, t.unread,
        (SELECT COUNT(*) FROM mentions m WHERE m.topic_id = t.id) AS mention_count";

    /// Adds a topic (`id: None`) or replaces a topic's name, query and options (`id: Some`), together with
    /// its backfilled mentions, in one transaction. `scanned_through` is the last article id the backfill
    /// saw: `catch_up` matches the articles stored since, inside the transaction, so none is missed. An
    /// edited topic keeps the first flagging time of the articles it still flags and drops the others.
    pub fn save_topic(
        &self,
        id: Option<Id>,
        topic: &NewTopic,
        mentions: &[(Id, NewMention)],
        scanned_through: Id,
        catch_up: &CatchUp<'_>,
        now: DateTime<Utc>,
    ) -> Result<Topic> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        let same_name: Option<Id> =
            tx.query_row("SELECT id FROM topics WHERE name = ?1", [&topic.name], |r| r.get(0)).optional()?;
        if same_name.is_some() && same_name != id {
            return Err(Error::Conflict(format!("a topic named '{}' exists already", topic.name)));
        }
        let id = match id {
            None => {
                tx.execute(
                    "INSERT INTO topics (name, query, description, stem, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                    params![topic.name, topic.query, topic.description, topic.stem, ts(now)],
                )?;
                tx.last_insert_rowid()
            }
            Some(id) => {
                let n = tx.execute(
                    "UPDATE topics SET name = ?2, query = ?3, description = ?4, stem = ?5, updated_at = ?6 WHERE id = ?1",
                    params![id, topic.name, topic.query, topic.description, topic.stem, ts(now)],
                )?;
                if n == 0 {
                    return Err(Error::NotFound(format!("no topic with id {id}")));
                }
                id
            }
        };
        let late = Self::texts_after(&tx, scanned_through)?;
        let late_mentions = catch_up(&late);
        {
            let mut keep = Vec::with_capacity(mentions.len() + late_mentions.len());
            let mut st = tx.prepare_cached(
                "INSERT INTO mentions (article_id, topic_id, spans, snippet, snippets, flagged_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (article_id, topic_id) DO UPDATE
                 SET spans = excluded.spans, snippet = excluded.snippet, snippets = excluded.snippets",
            )?;
            for (article_id, m) in mentions.iter().chain(&late_mentions) {
                let (spans, snippets) = m.json()?;
                st.execute(params![article_id, id, spans, m.snippet, snippets, ts(now)])?;
                keep.push(*article_id);
            }
            let keep = serde_json::to_string(&keep).map_err(|e| Error::Internal(e.to_string()))?;
            tx.execute(
                "DELETE FROM mentions WHERE topic_id = ?1 AND article_id NOT IN (SELECT value FROM json_each(?2))",
                params![id, keep],
            )?;
        }
        tx.commit()?;
        drop(conn);
        self.topic(id)
    }

    /// Every article stored after `after_id` (the catch-up of a backfill).
    fn texts_after(c: &Connection, after_id: Id) -> Result<Vec<StoredText>> {
        let mut st = c.prepare_cached(&format!("{} WHERE a.id > ?1 ORDER BY a.id", Self::STORED_TEXT))?;
        let rows = st.query_map([after_id], Self::stored_text)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn topic(&self, id: Id) -> Result<Topic> {
        self.read(|c| {
            c.query_row(
                &format!("SELECT {} FROM topics t WHERE t.id = ?1", Self::TOPIC_COLUMNS),
                [id],
                Self::topic_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no topic with id {id}")))
        })
    }

    /// The id of the topic named exactly `name`, or NotFound naming it (the Mentions filter, Analysis).
    pub(super) fn topic_named(c: &Connection, name: &str) -> Result<Id> {
        c.query_row("SELECT id FROM topics WHERE name = ?1", [name], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no topic named '{name}'")))
    }

    pub fn topic_id_by_name(&self, name: &str) -> Result<Option<Id>> {
        self.read(|c| Ok(c.query_row("SELECT id FROM topics WHERE name = ?1", [name], |r| r.get(0)).optional()?))
    }

    pub fn list_topics(&self) -> Result<Vec<Topic>> {
        self.read(|c| {
            let mut st =
                c.prepare(&format!("SELECT {} FROM topics t ORDER BY t.name COLLATE NOCASE", Self::TOPIC_COLUMNS))?;
            let rows = st.query_map([], Self::topic_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// The enabled topics' `(id, query, stem)`, to compile the matcher.
    pub fn topic_queries(&self) -> Result<Vec<(Id, String, bool)>> {
        self.read(|c| {
            let mut st = c.prepare("SELECT id, query, stem FROM topics WHERE enabled ORDER BY id")?;
            let rows =
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    pub fn remove_topic(&self, id: Id) -> Result<()> {
        let n = self.writer()?.execute("DELETE FROM topics WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound(format!("no topic with id {id}")));
        }
        Ok(())
    }

    pub(super) const STORED_TEXT: &'static str =
        "SELECT a.id, a.title, a.text, a.url, a.author, a.lang, a.source_id, s.name AS source,
        a.published_at, a.sort_at FROM articles a JOIN sources s ON s.id = a.source_id";

    pub(super) fn stored_text(r: &Row<'_>) -> rusqlite::Result<StoredText> {
        Ok(StoredText {
            id: r.get("id")?,
            title: r.get("title")?,
            text: r.get("text")?,
            url: r.get("url")?,
            author: r.get("author")?,
            lang: r.get("lang")?,
            source_id: r.get("source_id")?,
            source: r.get("source")?,
            published_at: get_opt_ts(r, "published_at")?,
            sort_at: get_ts(r, "sort_at")?,
        })
    }
}
