//! The analyst's preferences kept in the database.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{ts, Store};
use crate::error::Result;
use crate::model::Settings;

impl Store {
    /// The analyst's preferences (defaults for what was never set).
    pub fn settings(&self) -> Result<Settings> {
        self.read(|c| {
            let remote: Option<String> =
                c.query_row("SELECT value FROM settings WHERE key = 'remote_images'", [], |r| r.get(0)).optional()?;
            Ok(Settings { remote_images: remote.as_deref() == Some("true") })
        })
    }

    pub fn save_settings(&self, settings: &Settings, now: DateTime<Utc>) -> Result<Settings> {
        self.writer()?.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES ('remote_images', ?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            params![if settings.remote_images { "true" } else { "false" }, ts(now)],
        )?;
        self.settings()
    }
}
