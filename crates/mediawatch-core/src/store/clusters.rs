//! Syndicated copies: the in-memory LSH window over recent fingerprints, and the hints the articles stage
//! reads before the write.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::{ts, Store};
use crate::articles::cluster::{self, ClusterIndex, Fingerprint};
use crate::error::{Error, Result};
use crate::model::Id;

/// Syndicated copies appear within days of each other: only articles fetched in the last [`CLUSTER_WINDOW`]
/// are looked at for a new article's story. Their LSH index lives in memory (42 band keys per article: as
/// rows in a table, its upkeep doubled the writer's time per article), loaded from the stored fingerprints
/// on first use and again once a day (which also lets old articles out).
///
/// The search for a new text's closest story runs before the write, outside the single writer
/// ([`Store::cluster_hints`], called by the articles stage on the blocking pool); the write then only compares
/// the text with those added since (`recent`), so that copies fetched at the same moment by two sources
/// still meet.
pub(super) struct ClusterWindow {
    pub(super) index: ClusterIndex,
    /// Each indexed article's cluster and fingerprint (512 bytes a text), so that comparing a new text with
    /// its candidates reads no row.
    pub(super) texts: HashMap<Id, (Id, Fingerprint), cluster::KeyHasher>,
    loaded_at: DateTime<Utc>,
    /// Texts added since the window was loaded, and the last few of them in order.
    generation: u64,
    recent: std::collections::VecDeque<(u64, Id)>,
}

/// Texts remembered in order for the write-time check of a [`ClusterHint`].
const RECENT_TEXTS: usize = 4096;

impl ClusterWindow {
    /// The closest story at or above `SAME_STORY` among the index's candidates: (similarity, cluster id).
    pub(super) fn best_match(&self, fp: &Fingerprint) -> Option<(f64, Id)> {
        let (id, s) = self.index.best_match(fp, |id| self.texts.get(&id).map(|(_, f)| f))?;
        self.texts.get(&id).map(|(cluster_of, _)| (s, *cluster_of))
    }

    /// The best of `hint` and the texts added after it was computed; `None` when the hint is from another
    /// load of the window or older than the texts remembered in order.
    pub(super) fn best_with_hint(&self, fp: &Fingerprint, hint: &ClusterHint) -> Option<Option<(f64, Id)>> {
        let oldest_known = self.generation.saturating_sub(self.recent.len() as u64);
        if hint.loaded_at != self.loaded_at || hint.generation < oldest_known {
            return None;
        }
        let mut best = hint.best;
        for (_, id) in self.recent.iter().filter(|(g, _)| *g > hint.generation) {
            let Some((other_cluster, other_fp)) = self.texts.get(id) else { continue };
            let s = cluster::similarity(fp, other_fp);
            if s >= cluster::SAME_STORY && best.is_none_or(|(b, _)| s > b) {
                best = Some((s, *other_cluster));
            }
        }
        Some(best)
    }

    pub(super) fn add(&mut self, id: Id, cluster_of: Id, fp: &Fingerprint) {
        self.index.insert(id, fp);
        self.texts.insert(id, (cluster_of, fp.clone()));
        self.generation += 1;
        self.recent.push_back((self.generation, id));
        if self.recent.len() > RECENT_TEXTS {
            self.recent.pop_front();
        }
    }
}

/// A new text's closest story as the window stood when the articles stage looked (see [`ClusterWindow`]).
#[derive(Debug, Clone)]
pub struct ClusterHint {
    pub(super) loaded_at: DateTime<Utc>,
    pub(super) generation: u64,
    pub(super) best: Option<(f64, Id)>,
}

const CLUSTER_WINDOW: chrono::Duration = chrono::Duration::days(14);
const CLUSTER_RELOAD: chrono::Duration = chrono::Duration::days(1);

/// Builds the LSH index over the fingerprints of the articles fetched in the last [`CLUSTER_WINDOW`].
fn load_cluster_window(c: &Connection, now: DateTime<Utc>) -> Result<ClusterWindow> {
    let mut index = ClusterIndex::new();
    let mut texts = HashMap::with_hasher(cluster::KeyHasher);
    let mut st = c.prepare(
        "SELECT id, COALESCE(cluster_id, id), fingerprint FROM articles
         WHERE fingerprint IS NOT NULL AND fetched_at >= ?1 ORDER BY id",
    )?;
    let rows = st.query_map([ts(now - CLUSTER_WINDOW)], |r| {
        Ok((r.get::<_, Id>(0)?, r.get::<_, Id>(1)?, r.get::<_, Vec<u8>>(2)?))
    })?;
    for row in rows {
        let (id, cluster_id, bytes) = row?;
        if let Some(fp) = Fingerprint::from_bytes(&bytes) {
            index.insert(id, &fp);
            texts.insert(id, (cluster_id, fp));
        }
    }
    Ok(ClusterWindow { index, texts, loaded_at: now, generation: 0, recent: std::collections::VecDeque::new() })
}

impl Store {
    /// Runs `f` on the cluster window, (re)loading it through `conn` first when it is missing or a day old.
    pub(super) fn with_window<T>(
        &self,
        conn: &Connection,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut ClusterWindow) -> T,
    ) -> Result<T> {
        let mut clusters =
            self.inner.clusters.lock().map_err(|_| Error::Internal("cluster index lock poisoned".into()))?;
        if clusters.as_ref().is_none_or(|w| now - w.loaded_at > CLUSTER_RELOAD || w.loaded_at > now) {
            *clusters = Some(load_cluster_window(conn, now)?);
        }
        Ok(f(clusters.as_mut().expect("loaded above")))
    }

    /// The closest recent story of each fingerprint (see [`ClusterWindow`]): the expensive part of clustering,
    /// done here so that the write, under the single writer, only has to look at the texts added since.
    pub fn cluster_hints(
        &self,
        fingerprints: &[Option<&Fingerprint>],
        now: DateTime<Utc>,
    ) -> Result<Vec<Option<ClusterHint>>> {
        let mut clusters =
            self.inner.clusters.lock().map_err(|_| Error::Internal("cluster index lock poisoned".into()))?;
        if clusters.as_ref().is_none_or(|w| now - w.loaded_at > CLUSTER_RELOAD || w.loaded_at > now) {
            *clusters = Some(self.read(|c| load_cluster_window(c, now))?);
        }
        let window = clusters.as_ref().expect("loaded above");
        Ok(fingerprints
            .iter()
            .map(|fp| {
                fp.map(|fp| ClusterHint {
                    loaded_at: window.loaded_at,
                    generation: window.generation,
                    best: window.best_match(fp),
                })
            })
            .collect())
    }
}
