//! Reports: the scope's live count and preview, exports (progress over a channel, cancellable), saved and
//! scheduled reports, stars, and opening what an export wrote.

// Tauri hands commands their state and arguments by value.
#![allow(clippy::needless_pass_by_value)]

use mediawatch_core::model::{
    ExportProgress, ExportResult, Id, ReportDefinition, ReportPreview, ReportSchedule, ReportScope, SavedReport,
    ScopeCount,
};
use tauri::ipc::Channel;
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use super::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn report_count(state: State<'_, AppState>, scope: ReportScope) -> CmdResult<ScopeCount> {
    Ok(state.core()?.report_count(scope).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn preview_report(state: State<'_, AppState>, definition: ReportDefinition) -> CmdResult<ReportPreview> {
    Ok(state.core()?.preview_report(definition).await?)
}

/// Writes a report to `path` (chosen in a native save dialog), reporting progress over `on_progress`;
/// cancelled by `cancel_export` (then the file that was at `path` stays).
#[tauri::command]
#[specta::specta]
pub async fn export_report(
    state: State<'_, AppState>,
    definition: ReportDefinition,
    path: String,
    on_progress: Channel<ExportProgress>,
) -> CmdResult<ExportResult> {
    let core = state.core()?.clone();
    let cancel = state.export.begin()?;
    let sink = move |p| {
        let _ = on_progress.send(p);
    };
    let result = core.export_report(definition, path.into(), sink, cancel).await;
    state.export.end();
    let result = result?;
    state.written.add(&result.path);
    Ok(result)
}

#[tauri::command]
#[specta::specta]
pub fn cancel_export(state: State<'_, AppState>) -> bool {
    state.export.cancel()
}

/// Opens a report this window wrote (in the system's viewer), or with `folder` shows it in its folder.
/// Only files written by `export_report` or `run_report` in this session: the window cannot open others.
#[tauri::command]
#[specta::specta]
pub fn open_report(app: tauri::AppHandle, state: State<'_, AppState>, path: String, folder: bool) -> CmdResult<()> {
    let path = state.written.check(&path)?;
    let opener = app.opener();
    let opened =
        if folder { opener.reveal_item_in_dir(&path) } else { opener.open_path(path.to_string_lossy(), None::<&str>) };
    opened.map_err(|e| crate::state::failed(&format!("cannot open {}: {e}", path.display())))
}

#[tauri::command]
#[specta::specta]
pub async fn list_reports(state: State<'_, AppState>) -> CmdResult<Vec<SavedReport>> {
    Ok(state.core()?.list_reports().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn save_report(
    state: State<'_, AppState>,
    name: String,
    definition: ReportDefinition,
) -> CmdResult<SavedReport> {
    Ok(state.core()?.save_report(name, definition).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_report(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    Ok(state.core()?.remove_report(name).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn schedule_report(
    state: State<'_, AppState>,
    name: String,
    schedule: Option<ReportSchedule>,
) -> CmdResult<SavedReport> {
    Ok(state.core()?.schedule_report(name, schedule).await?)
}

/// Writes a saved report now to `path` (chosen in a native save dialog).
#[tauri::command]
#[specta::specta]
pub async fn run_report(state: State<'_, AppState>, name: String, path: String) -> CmdResult<ExportResult> {
    let result = state.core()?.run_report(name, path.into()).await?;
    state.written.add(&result.path);
    Ok(result)
}

#[tauri::command]
#[specta::specta]
pub async fn star_article(state: State<'_, AppState>, id: Id, starred: bool) -> CmdResult<()> {
    Ok(state.core()?.star_article(id, starred).await?)
}
