//! [`Mediawatch`]: the one API surface of the core. The desktop shell and the CLI call these methods and
//! nothing else; each is a use case an analyst has (add a source, fetch, add a topic, list mentions...).
//!
//! Database work runs on tokio's blocking pool; network work is async. Long jobs take a progress sink and a
//! cancellation token.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Utc};

use crate::alerts::secrets::Secrets;
use crate::alerts::send::Sender;
use crate::error::{Error, Result};
use crate::ingest::fetch::{FetchOptions, Fetcher};
use crate::model::{AppInfo, FetchSettings, Overview};
use crate::store::Store;

mod alerts;
mod analysis;
mod articles;
mod fetch;
mod import;
mod reader;
mod reports;
mod settings;
mod sitemap;
mod sources;
mod topics;

pub use fetch::{fetch_and_extract, fetch_and_parse_feed, parse_feed, FetchRequest};
pub use sources::write_file_atomically;

/// How long one webhook, ntfy or SMTP attempt may take.
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// The network clients, built from the fetch settings over the options `open_with` was given.
#[derive(Clone)]
struct Clients {
    fetcher: Fetcher,
    /// Alerts' outbound network: webhooks, ntfy, SMTP.
    sender: Sender,
    /// The settings they were built from.
    settings: FetchSettings,
}

impl Clients {
    /// The clients for these settings; `previous` passes its per-host politeness on to the new fetcher.
    fn build(base: &FetchOptions, fetch: &FetchSettings, previous: Option<&Fetcher>) -> Result<Clients> {
        let options = settings::fetch_options(base, fetch);
        let route = options.proxy.clone();
        let fetcher = match previous {
            Some(old) => old.reconfigured(options)?,
            None => Fetcher::new(options)?,
        };
        let sender = Sender::new(SEND_TIMEOUT, crate::ingest::fetch::USER_AGENT, |b| route.apply(b))?;
        Ok(Clients { fetcher, sender, settings: fetch.clone() })
    }
}

/// The core, opened on one database.
#[derive(Clone)]
pub struct Mediawatch {
    store: Store,
    /// Replaced when a `fetch.*` setting changes. Each use takes a clone (cheap: the clients share their
    /// connections), so a request or a fetch cycle in flight keeps the client it started with.
    clients: Arc<RwLock<Clients>>,
    /// The options `open_with` was given: the fetch settings override their User-Agent, proxy and global
    /// limit (tests keep their own timeouts).
    fetch_base: Arc<FetchOptions>,
    /// Settings are written one at a time, so that the clients always match what is stored.
    settings_writes: Arc<tokio::sync::Mutex<()>>,
    /// The OS keyring (or the user-only file), opened on first use: probing D-Bus costs time that most
    /// commands never need.
    secrets: Arc<tokio::sync::OnceCell<Arc<Secrets>>>,
    clock: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    /// The fonts PDF reports are set in, found on the system at the first PDF export.
    pdf_fonts: crate::reports::PdfFonts,
}

/// Where the database lives when neither `--db` nor `$MEDIAWATCH_DB` says: the platform data directory
/// (`$XDG_DATA_HOME/mediawatch/mediawatch.db` on Linux), shared by the desktop app and the CLI.
pub fn default_db_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("MEDIAWATCH_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let base = directories::BaseDirs::new()
        .ok_or_else(|| Error::Storage("cannot find a home directory for the database; pass --db".into()))?;
    Ok(base.data_dir().join("mediawatch").join("mediawatch.db"))
}

impl Mediawatch {
    /// Opens (creating and migrating when needed) the database at `db`.
    pub fn open(db: impl AsRef<Path>) -> Result<Mediawatch> {
        Self::open_with(db, FetchOptions::default())
    }

    /// Opens the database with these fetch options as the base of the stored fetch settings (which set the
    /// User-Agent, the proxy and the global limit).
    pub fn open_with(db: impl AsRef<Path>, options: FetchOptions) -> Result<Mediawatch> {
        let store = Store::open(db)?;
        let fetch = settings::read_settings(&store.setting_values()?).fetch;
        let clients = Clients::build(&options, &fetch, None)?;
        Ok(Mediawatch {
            store,
            clients: Arc::new(RwLock::new(clients)),
            fetch_base: Arc::new(options),
            settings_writes: Arc::new(tokio::sync::Mutex::new(())),
            secrets: Arc::new(tokio::sync::OnceCell::new()),
            clock: Arc::new(Utc::now),
            pdf_fonts: crate::reports::PdfFonts::default(),
        })
    }

    /// Replaces the secrets store (tests: the keyring's mock store, or a file in a temporary folder).
    pub fn with_secrets(self, secrets: Secrets) -> Self {
        let cell = tokio::sync::OnceCell::new();
        let _ = cell.set(Arc::new(secrets));
        Mediawatch { secrets: Arc::new(cell), ..self }
    }

    /// Sets PDF reports in the fonts of these folders only (tests of a system without some script's fonts).
    pub fn with_font_dirs(self, dirs: Vec<PathBuf>) -> Self {
        Mediawatch { pdf_fonts: crate::reports::PdfFonts::from_dirs(dirs), ..self }
    }

    /// Replaces the clock (tests of schedules).
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn clients(&self) -> Clients {
        self.clients.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The HTTP client as the settings are now.
    fn fetcher(&self) -> Fetcher {
        self.clients().fetcher
    }

    /// The alerts' sender as the settings are now.
    fn sender(&self) -> Sender {
        self.clients().sender
    }

    /// A copy of the core whose clients stay the ones of now whatever the settings become: a fetch cycle
    /// runs on one, so that a settings change mid-cycle takes effect at the next cycle.
    fn with_clients_pinned(&self) -> Mediawatch {
        Mediawatch { clients: Arc::new(RwLock::new(self.clients())), ..self.clone() }
    }

    /// Puts new clients in place (after their settings were stored).
    fn replace_clients(&self, clients: Clients) {
        *self.clients.write().unwrap_or_else(PoisonError::into_inner) = clients;
    }

    /// Runs blocking store work off the async threads.
    async fn db<T: Send + 'static>(&self, f: impl FnOnce(&Store) -> Result<T> + Send + 'static) -> Result<T> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| Error::Internal(format!("database task failed: {e}")))?
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            database_path: self.store.path().display().to_string(),
        }
    }

    pub async fn overview(&self) -> Result<Overview> {
        self.db(|s| {
            let mut overview = s.overview()?;
            overview.last_cycle = s.fetch_cycles(1)?.into_iter().next();
            Ok(overview)
        })
        .await
    }
}
