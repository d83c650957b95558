//! Tauri commands, one file an area: each takes the state, calls the core, and maps the error to
//! `{code, message}`. No logic lives here.

// Tauri hands commands their state and arguments by value.
#![allow(clippy::needless_pass_by_value)]

pub mod alerts;
pub mod analysis;
pub mod fetch;
pub mod mentions;
pub mod reports;
pub mod sources;
pub mod topics;

use mediawatch_core::model::{AppInfo, Overview, Settings};
use mediawatch_core::ErrorBody;
use tauri::State;

use crate::state::AppState;

/// What every command returns: its value, or the core's error as `{code, message}`.
pub type CmdResult<T> = Result<T, ErrorBody>;

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    Ok(state.core()?.info())
}

/// Shows the database in the system's file manager (Settings, "Show in folder"): the one folder the
/// window may reveal besides the reports it wrote.
#[tauri::command]
#[specta::specta]
pub fn show_data_folder(app: tauri::AppHandle, state: State<'_, AppState>) -> CmdResult<()> {
    use tauri_plugin_opener::OpenerExt;
    let path = state.core()?.info().database_path;
    app.opener()
        .reveal_item_in_dir(&path)
        .map_err(|e| crate::state::failed(&format!("cannot show {path} in its folder: {e}")))
}

#[tauri::command]
#[specta::specta]
pub async fn overview(state: State<'_, AppState>) -> CmdResult<Overview> {
    Ok(state.core()?.overview().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_settings(state: State<'_, AppState>) -> CmdResult<Settings> {
    Ok(state.core()?.settings().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn save_settings(state: State<'_, AppState>, settings: Settings) -> CmdResult<Settings> {
    Ok(state.core()?.save_settings(settings).await?)
}
