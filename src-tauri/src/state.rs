//! What the shell keeps for the life of the window: the opened core, and the cancel handles of a running
//! fetch cycle, of a running topic backfill, of an export and of the Search page's counts. Owned by Tauri's
//! state manager; no globals.

use std::sync::Mutex;

use mediawatch_core::{CancellationToken, ErrorBody, ErrorCode, Mediawatch};

pub struct AppState {
    /// The core, or why it could not be opened (e.g. a database from a newer version): every command then
    /// answers with that error, so the window can say what is wrong instead of the app failing to start.
    core: Result<Mediawatch, ErrorBody>,
    /// The running fetch cycle ("Fetch now").
    pub fetch: JobSlot,
    /// The running re-match of the stored articles for a topic being added or edited.
    pub backfill: JobSlot,
    /// The running export of a report.
    pub export: JobSlot,
    /// The running count of a search's matches per topic, source and language (the Search page's facets).
    pub facets: LatestJob,
    /// The reports this window wrote: the only files it may ask the shell to open.
    pub written: Written,
    /// Stops the background scheduler when the state (the app) goes away.
    scheduler: CancellationToken,
}

impl Drop for AppState {
    fn drop(&mut self) {
        self.scheduler.cancel();
    }
}

impl AppState {
    /// Opens the database named by `$MEDIAWATCH_DB`, else the platform data directory (shared with the CLI).
    pub fn open() -> AppState {
        let core = mediawatch_core::default_db_path().and_then(Mediawatch::open).map_err(|e| e.body());
        AppState {
            core,
            fetch: JobSlot::new("a fetch is already running"),
            backfill: JobSlot::new("a topic is already being saved (its stored articles are being matched)"),
            export: JobSlot::new("a report is already being written"),
            facets: LatestJob::default(),
            written: Written::default(),
            scheduler: CancellationToken::new(),
        }
    }

    /// The background scheduler's stop handle (cancelled when the app state is dropped).
    pub fn scheduler_token(&self) -> CancellationToken {
        self.scheduler.clone()
    }

    pub fn core(&self) -> Result<&Mediawatch, ErrorBody> {
        self.core.as_ref().map_err(Clone::clone)
    }
}

/// The files exports wrote in this session.
#[derive(Default)]
pub struct Written(Mutex<Vec<std::path::PathBuf>>);

impl Written {
    pub fn add(&self, path: &str) {
        if let Ok(mut w) = self.0.lock() {
            w.push(path.into());
        }
    }

    /// The path, when an export of this session wrote it.
    pub fn check(&self, path: &str) -> Result<std::path::PathBuf, ErrorBody> {
        let w = self.0.lock().map_err(|_| poisoned())?;
        w.iter().find(|p| p.as_os_str() == path).cloned().ok_or_else(|| ErrorBody {
            code: ErrorCode::InvalidInput,
            message: format!("{path} was not written by a report in this session"),
        })
    }
}

/// An error of the shell itself (not the core's).
pub fn failed(message: &str) -> ErrorBody {
    ErrorBody { code: ErrorCode::Internal, message: message.into() }
}

/// One kind of long job the window can start and cancel, one at a time.
pub struct JobSlot {
    busy: &'static str,
    cancel: Mutex<Option<CancellationToken>>,
}

impl JobSlot {
    fn new(busy: &'static str) -> Self {
        JobSlot { busy, cancel: Mutex::new(None) }
    }

    /// Registers the cancel handle of a new job; refuses when one is already running.
    pub fn begin(&self) -> Result<CancellationToken, ErrorBody> {
        let mut slot = self.cancel.lock().map_err(|_| poisoned())?;
        if slot.is_some() {
            return Err(ErrorBody { code: ErrorCode::Conflict, message: self.busy.into() });
        }
        let token = CancellationToken::new();
        *slot = Some(token.clone());
        Ok(token)
    }

    pub fn end(&self) {
        if let Ok(mut slot) = self.cancel.lock() {
            *slot = None;
        }
    }

    /// Cancels the running job; `false` when none runs.
    pub fn cancel(&self) -> bool {
        match self.cancel.lock() {
            Ok(slot) => slot.as_ref().map(CancellationToken::cancel).is_some(),
            Err(_) => false,
        }
    }
}

/// A kind of job of which only the latest run matters (the counts beside the search shown): beginning one
/// cancels the one before instead of refusing, and a run that ends clears the slot only while it is the latest.
#[derive(Default)]
pub struct LatestJob {
    /// The latest run's number and, while it runs, its cancel handle.
    current: Mutex<(u64, Option<CancellationToken>)>,
}

impl LatestJob {
    /// Cancels the running job, if any, and registers a new one: its run number (for `end`) and cancel handle.
    pub fn begin(&self) -> Result<(u64, CancellationToken), ErrorBody> {
        let mut slot = self.current.lock().map_err(|_| poisoned())?;
        if let Some(before) = slot.1.take() {
            before.cancel();
        }
        slot.0 += 1;
        let token = CancellationToken::new();
        slot.1 = Some(token.clone());
        Ok((slot.0, token))
    }

    pub fn end(&self, run: u64) {
        if let Ok(mut slot) = self.current.lock() {
            if slot.0 == run {
                slot.1 = None;
            }
        }
    }

    /// Cancels the running job; `false` when none runs.
    pub fn cancel(&self) -> bool {
        match self.current.lock() {
            Ok(mut slot) => slot.1.take().map(|t| t.cancel()).is_some(),
            Err(_) => false,
        }
    }
}

fn poisoned() -> ErrorBody {
    ErrorBody { code: ErrorCode::Internal, message: "the app state lock is poisoned".into() }
}
