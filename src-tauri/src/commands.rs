//! Tauri commands: each takes the state, calls the core, and maps the error to `{code, message}`.
//! No logic lives here.

// Tauri hands commands their state and arguments by value.
#![allow(clippy::needless_pass_by_value)]

use mediawatch_core::model::{
    AppInfo, ArticleDetail, BackfillProgress, DefaultTopic, FetchProgress, FetchSummary, Id, MentionQuery, MentionRow,
    NewSource, NewTopic, OpmlImportSummary, Overview, QueryCheck, SearchPage, SearchQuery, Settings, Source,
    SourceUpdate, Topic, TopicPreview,
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

/// Full-text search over the stored articles in the topic query language.
#[tauri::command]
#[specta::specta]
pub async fn search(state: State<'_, AppState>, query: SearchQuery) -> CmdResult<SearchPage> {
    Ok(state.core()?.search(query).await?)
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
