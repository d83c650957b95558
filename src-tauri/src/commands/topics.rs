//! Topics: list, add and edit with their backfill (progress over a channel, cancellable), preview, check,
//! remove, the default pack.

// Tauri hands commands their state and arguments by value.
#![allow(clippy::needless_pass_by_value)]

use mediawatch_core::model::{BackfillProgress, DefaultTopic, Id, NewTopic, QueryCheck, Topic, TopicPreview};
use tauri::ipc::Channel;
use tauri::State;

use super::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_topics(state: State<'_, AppState>) -> CmdResult<Vec<Topic>> {
    Ok(state.core()?.list_topics().await?)
}

/// Adds a topic, re-matching the stored articles and reporting progress over `on_progress`; cancelled by
/// `cancel_backfill` (then nothing is added).
#[tauri::command]
#[specta::specta]
pub async fn add_topic(
    state: State<'_, AppState>,
    topic: NewTopic,
    on_progress: Channel<BackfillProgress>,
) -> CmdResult<Topic> {
    let core = state.core()?.clone();
    let cancel = state.backfill.begin()?;
    let result = core
        .add_topic_with_progress(
            topic,
            move |p| {
                let _ = on_progress.send(p);
            },
            cancel,
        )
        .await;
    state.backfill.end();
    Ok(result?)
}

/// Changes a topic and re-matches the stored articles, reporting progress over `on_progress`; cancelled by
/// `cancel_backfill` (then the topic stays as it was).
#[tauri::command]
#[specta::specta]
pub async fn edit_topic(
    state: State<'_, AppState>,
    id: Id,
    topic: NewTopic,
    on_progress: Channel<BackfillProgress>,
) -> CmdResult<Topic> {
    let core = state.core()?.clone();
    let cancel = state.backfill.begin()?;
    let result = core
        .edit_topic(
            id,
            topic,
            move |p| {
                let _ = on_progress.send(p);
            },
            cancel,
        )
        .await;
    state.backfill.end();
    Ok(result?)
}

#[tauri::command]
#[specta::specta]
pub fn cancel_backfill(state: State<'_, AppState>) -> bool {
    state.backfill.cancel()
}

/// What a query would flag among the stored articles, before the topic is saved.
#[tauri::command]
#[specta::specta]
pub async fn preview_topic(
    state: State<'_, AppState>,
    query: String,
    stem: bool,
    limit: u32,
) -> CmdResult<TopicPreview> {
    Ok(state.core()?.preview_topic(query, stem, limit).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_topic(state: State<'_, AppState>, id: Id) -> CmdResult<()> {
    Ok(state.core()?.remove_topic(id).await?)
}

#[tauri::command]
#[specta::specta]
pub fn check_query(state: State<'_, AppState>, query: String) -> CmdResult<QueryCheck> {
    Ok(state.core()?.check_query(&query))
}

#[tauri::command]
#[specta::specta]
pub async fn default_topics(state: State<'_, AppState>) -> CmdResult<Vec<DefaultTopic>> {
    Ok(state.core()?.default_topics().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn install_default_topics(state: State<'_, AppState>) -> CmdResult<Vec<Topic>> {
    Ok(state.core()?.install_default_topics().await?)
}
