//! The analyst's preferences kept in the database: one row a key. Which keys exist, their defaults and what
//! a valid value is, the app decides (`app/settings.rs`); the store keeps text.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{ts, Store};
use crate::error::Result;

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| Ok(c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?))
    }

    /// Every stored setting.
    pub fn setting_values(&self) -> Result<BTreeMap<String, String>> {
        self.read(|c| {
            let mut st = c.prepare("SELECT key, value FROM settings")?;
            let rows = st
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
            Ok(rows)
        })
    }

    /// Sets (or, with `None`, removes) several settings in one transaction.
    pub fn save_setting_values(&self, values: &[(&str, Option<String>)], now: DateTime<Utc>) -> Result<()> {
        let mut conn = self.writer()?;
        let tx = conn.transaction()?;
        for (key, value) in values {
            match value {
                Some(v) => tx.execute(
                    "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    params![key, v, ts(now)],
                )?,
                None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
            };
        }
        tx.commit()?;
        Ok(())
    }
}
