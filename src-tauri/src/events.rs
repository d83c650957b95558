//! App-wide events the shell sends to the window (typed through tauri-specta, like the commands).

use mediawatch_core::model::{FetchProgress, Id};
use serde::{Deserialize, Serialize};

/// Progress of a fetch cycle started by the background scheduler (not by "Fetch now", whose progress
/// travels over the command's own channel).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct BackgroundFetch(pub FetchProgress);

/// Alerts changed (fired, taken for a desktop notification): the window refreshes its unread count.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct AlertsChanged {
    pub unread: u32,
}

/// A desktop notification was clicked: the window opens this alert with the mentions behind it (`None`, for
/// several alerts folded into one notification: the inbox).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct OpenAlert {
    pub alert_id: Option<Id>,
}
