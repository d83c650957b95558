//! Alerts: the rules (add, edit, remove, test, the spike form's preview), the inbox, and the secrets and test
//! e-mail of the Settings page.

// Tauri hands commands their state and arguments by value.
#![allow(clippy::needless_pass_by_value)]

use mediawatch_core::model::{
    Alert, AlertQuery, AlertRule, AlertRuleDraft, ChannelOutcome, Id, SecretsInfo, SpikePreview, SpikeSpec,
};
use tauri::State;

use super::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_alert_rules(state: State<'_, AppState>) -> CmdResult<Vec<AlertRule>> {
    Ok(state.core()?.alert_rules().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_alert_rule(state: State<'_, AppState>, rule: AlertRuleDraft) -> CmdResult<AlertRule> {
    Ok(state.core()?.add_alert_rule(rule).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn edit_alert_rule(state: State<'_, AppState>, id: Id, changes: AlertRuleDraft) -> CmdResult<AlertRule> {
    Ok(state.core()?.edit_alert_rule(id, changes).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_alert_rule(state: State<'_, AppState>, id: Id) -> CmdResult<()> {
    Ok(state.core()?.remove_alert_rule(id).await?)
}

/// Sends a test alert through each of the rule's channels now.
#[tauri::command]
#[specta::specta]
pub async fn test_alert_rule(state: State<'_, AppState>, id: Id) -> CmdResult<Vec<ChannelOutcome>> {
    Ok(state.core()?.test_alert_rule(id).await?)
}

/// The topic's daily counts over 30 days and when a spike rule with `spec` would have fired.
#[tauri::command]
#[specta::specta]
pub async fn spike_preview(state: State<'_, AppState>, topic: String, spec: SpikeSpec) -> CmdResult<SpikePreview> {
    Ok(state.core()?.spike_preview(topic, spec).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_alerts(state: State<'_, AppState>, query: AlertQuery) -> CmdResult<Vec<Alert>> {
    Ok(state.core()?.alerts(query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_alert(state: State<'_, AppState>, id: Id) -> CmdResult<Alert> {
    Ok(state.core()?.alert(id).await?)
}

/// Marks one alert read, or every unread one when `id` is null; returns how many changed.
#[tauri::command]
#[specta::specta]
pub async fn mark_alerts_read(state: State<'_, AppState>, id: Option<Id>) -> CmdResult<u32> {
    Ok(state.core()?.mark_alerts_read(id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn unread_alert_count(state: State<'_, AppState>) -> CmdResult<u32> {
    Ok(state.core()?.unread_alerts().await?)
}

/// The zone rules without one follow: `alerts.timezone`, else the system's.
#[tauri::command]
#[specta::specta]
pub async fn alerts_timezone(state: State<'_, AppState>) -> CmdResult<String> {
    Ok(state.core()?.alerts_timezone().await?)
}

/// Stores a secret (`smtp.password`) in the OS keyring, or the user-only file where there is none.
#[tauri::command]
#[specta::specta]
pub async fn set_secret(state: State<'_, AppState>, name: String, value: String) -> CmdResult<SecretsInfo> {
    Ok(state.core()?.set_secret(name, value).await?)
}

/// Sends one e-mail to `to` through the SMTP settings.
#[tauri::command]
#[specta::specta]
pub async fn send_test_email(state: State<'_, AppState>, to: String) -> CmdResult<()> {
    Ok(state.core()?.send_test_email(to).await?)
}
