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
