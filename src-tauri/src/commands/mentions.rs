//! What the analyst reads: mentions, full-text search, one article.

// Tauri hands commands their state and arguments by value.
#![allow(clippy::needless_pass_by_value)]

use mediawatch_core::model::{
    ArticleDetail, Id, MarkAllRead, MentionQuery, MentionRow, MentionsPane, SearchPage, SearchQuery,
};
use tauri::State;

use super::CmdResult;
use crate::state::AppState;

/// Full-text search over the stored articles in the topic query language.
#[tauri::command]
#[specta::specta]
pub async fn search(state: State<'_, AppState>, query: SearchQuery) -> CmdResult<SearchPage> {
    Ok(state.core()?.search(query).await?)
}

/// The search's matches counted per topic, source and language (its filters applied). A newer call cancels
/// this one (which then fails with `cancelled`), as does `cancel_search_facets`.
#[tauri::command]
#[specta::specta]
pub async fn search_facets(
    state: State<'_, AppState>,
    query: SearchQuery,
) -> CmdResult<mediawatch_core::model::SearchFacets> {
    let core = state.core()?.clone();
    let (run, cancel) = state.facets.begin()?;
    let result = core.search_facets(query, cancel).await;
    state.facets.end(run);
    Ok(result?)
}

/// Stops the running count of `search_facets` (the Search page was left); `false` when none runs.
#[tauri::command]
#[specta::specta]
pub fn cancel_search_facets(state: State<'_, AppState>) -> bool {
    state.facets.cancel()
}

#[tauri::command]
#[specta::specta]
pub async fn list_mentions(state: State<'_, AppState>, query: MentionQuery) -> CmdResult<Vec<MentionRow>> {
    Ok(state.core()?.mentions(query).await?)
}

/// The Mentions page's pane beyond the topics: the starred count and the source groups' unread counts.
#[tauri::command]
#[specta::specta]
pub async fn mentions_pane(state: State<'_, AppState>) -> CmdResult<MentionsPane> {
    Ok(state.core()?.mentions_pane().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_article(state: State<'_, AppState>, id: Id) -> CmdResult<ArticleDetail> {
    Ok(state.core()?.article(id).await?)
}

/// Marks articles read or unread again; returns how many changed.
#[tauri::command]
#[specta::specta]
pub async fn set_read(state: State<'_, AppState>, article_ids: Vec<Id>, read: bool) -> CmdResult<u32> {
    Ok(state.core()?.set_read(article_ids, read).await?)
}

/// "Mark all read" for the list's filter; returns how many were marked.
#[tauri::command]
#[specta::specta]
pub async fn mark_all_read(state: State<'_, AppState>, request: MarkAllRead) -> CmdResult<u32> {
    Ok(state.core()?.mark_all_read(request).await?)
}
