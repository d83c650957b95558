//! Sources: list, add (with feed discovery), edit, remove, OPML import and export.

// Tauri hands commands their state and arguments by value.
#![allow(clippy::needless_pass_by_value)]

use mediawatch_core::model::{Id, NewSource, OpmlImportSummary, Source, SourceUpdate};
use tauri::State;

use super::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_sources(state: State<'_, AppState>) -> CmdResult<Vec<Source>> {
    Ok(state.core()?.list_sources().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_source(state: State<'_, AppState>, source: NewSource) -> CmdResult<Source> {
    Ok(state.core()?.add_source(source).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_source(state: State<'_, AppState>, id: Id) -> CmdResult<()> {
    Ok(state.core()?.remove_source(id).await?)
}

/// Changes a source's settings; fields left out stay as they are.
#[tauri::command]
#[specta::specta]
pub async fn update_source(state: State<'_, AppState>, id: Id, update: SourceUpdate) -> CmdResult<Source> {
    Ok(state.core()?.update_source(id, update).await?)
}

/// Adds the feeds of the OPML file at `path` (chosen in a native file dialog).
#[tauri::command]
#[specta::specta]
pub async fn import_opml(state: State<'_, AppState>, path: String) -> CmdResult<OpmlImportSummary> {
    Ok(state.core()?.import_opml_file(path.into()).await?)
}

/// Writes every source to the OPML file at `path` (chosen in a native save dialog).
#[tauri::command]
#[specta::specta]
pub async fn export_opml(state: State<'_, AppState>, path: String) -> CmdResult<()> {
    Ok(state.core()?.export_opml_file(path.into()).await?)
}
