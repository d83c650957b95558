//! What the analyst reads: mentions, full-text search, one article.

// Tauri hands commands their state and arguments by value.
#![allow(clippy::needless_pass_by_value)]

use mediawatch_core::model::{ArticleDetail, Id, MentionQuery, MentionRow, SearchPage, SearchQuery};
use tauri::State;

use super::CmdResult;
use crate::state::AppState;

/// Full-text search over the stored articles in the topic query language.
#[tauri::command]
#[specta::specta]
pub async fn search(state: State<'_, AppState>, query: SearchQuery) -> CmdResult<SearchPage> {
    Ok(state.core()?.search(query).await?)
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
