//! Tauri commands: each takes the state, calls the core, and maps the error to `{code, message}`.
//! No logic lives here.

// Tauri hands commands their state and arguments by value.
#![allow(clippy::needless_pass_by_value)]

use mediawatch_core::model::{
    AppInfo, ArticleDetail, DefaultTopic, FetchProgress, FetchSummary, Id, MentionQuery, MentionRow, NewSource,
    NewTopic, OpmlImportSummary, Overview, QueryCheck, Settings, Source, SourceUpdate, Topic,
};
use mediawatch_core::{ErrorBody, FetchRequest};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

type CmdResult<T> = Result<T, ErrorBody>;

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

/// Fetches one source, or every enabled source, reporting progress over `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn fetch_now(
    state: State<'_, AppState>,
    source_id: Option<Id>,
    on_progress: Channel<FetchProgress>,
) -> CmdResult<FetchSummary> {
    let core = state.core()?.clone();
    let cancel = state.begin_fetch()?;
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
    state.end_fetch();
    Ok(result?)
}

#[tauri::command]
#[specta::specta]
pub fn cancel_fetch(state: State<'_, AppState>) -> bool {
    state.cancel_fetch()
}

#[tauri::command]
#[specta::specta]
pub async fn list_topics(state: State<'_, AppState>) -> CmdResult<Vec<Topic>> {
    Ok(state.core()?.list_topics().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_topic(state: State<'_, AppState>, topic: NewTopic) -> CmdResult<Topic> {
    Ok(state.core()?.add_topic(topic).await?)
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

#[tauri::command]
#[specta::specta]
pub async fn list_mentions(state: State<'_, AppState>, query: MentionQuery) -> CmdResult<Vec<MentionRow>> {
    Ok(state.core()?.mentions(query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_article(state: State<'_, AppState>, id: Id) -> CmdResult<ArticleDetail> {
    Ok(state.core()?.article(id).await?)
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

/// Adds saved HTML pages or JSON-lines articles (a file or a folder chosen in a native dialog) as if fetched.
#[tauri::command]
#[specta::specta]
pub async fn import_articles(state: State<'_, AppState>, path: String) -> CmdResult<FetchSummary> {
    Ok(state.core()?.import(path.into()).await?)
}
