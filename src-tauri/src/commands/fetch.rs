//! Bringing articles in: fetch now (progress over a channel, cancellable) and importing saved pages.

// Tauri hands commands their state and arguments by value.
#![allow(clippy::needless_pass_by_value)]

use mediawatch_core::model::{FetchProgress, FetchSummary, Id};
use mediawatch_core::FetchRequest;
use tauri::ipc::Channel;
use tauri::State;

use super::CmdResult;
use crate::state::AppState;

/// Fetches one source, or every enabled source, reporting progress over `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn fetch_now(
    state: State<'_, AppState>,
    source_id: Option<Id>,
    on_progress: Channel<FetchProgress>,
) -> CmdResult<FetchSummary> {
    let core = state.core()?.clone();
    let cancel = state.fetch.begin()?;
    let request = FetchRequest { source: source_id, all: source_id.is_none() };
    let result = core
        .fetch(
            request,
            move |p| {
                // A closed window cannot receive progress; the cycle goes on regardless.
                let _ = on_progress.send(p);
            },
            cancel,
        )
        .await;
    state.fetch.end();
    Ok(result?)
}

#[tauri::command]
#[specta::specta]
pub fn cancel_fetch(state: State<'_, AppState>) -> bool {
    state.fetch.cancel()
}

/// Adds saved HTML pages or JSON-lines articles (a file or a folder chosen in a native dialog) as if fetched.
#[tauri::command]
#[specta::specta]
pub async fn import_articles(state: State<'_, AppState>, path: String) -> CmdResult<FetchSummary> {
    Ok(state.core()?.import(path.into()).await?)
}
