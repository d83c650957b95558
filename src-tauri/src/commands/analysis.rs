//! The Analysis page and the Overview's topic cards.

use mediawatch_core::model::{Analysis, AnalysisQuery, CardsQuery, SourceActivity, TopicCard};
use tauri::State;

use super::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn analysis(state: State<'_, AppState>, query: AnalysisQuery) -> CmdResult<Analysis> {
    Ok(state.core()?.analysis(query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn topic_cards(state: State<'_, AppState>, query: CardsQuery) -> CmdResult<Vec<TopicCard>> {
    Ok(state.core()?.topic_cards(query).await?)
}

/// Every source's articles per day, the last 30 days, in `timezone` (none: the alerts zone, else the system's).
#[tauri::command]
#[specta::specta]
pub async fn source_activity(state: State<'_, AppState>, timezone: Option<String>) -> CmdResult<Vec<SourceActivity>> {
    Ok(state.core()?.source_activity(timezone).await?)
}
