//! Shows alerts as desktop notifications through `tauri-plugin-notification`. Several at once are folded
//! into one ("5 alerts: …") so that a morning of digests does not bury the desktop.

use mediawatch_core::model::DesktopNotice;
use tauri_plugin_notification::NotificationExt;

/// More notices than this at once are shown as one.
const MAX_SEPARATE: usize = 3;

pub fn show(app: &tauri::AppHandle, notices: &[DesktopNotice]) {
    let shown: Vec<(String, String)> = if notices.len() > MAX_SEPARATE {
        let titles: Vec<&str> = notices.iter().take(MAX_SEPARATE).map(|n| n.title.as_str()).collect();
        vec![(
            format!("Mediawatch: {} alerts", notices.len()),
            format!("{} … (open Alerts for all)", titles.join(" · ")),
        )]
    } else {
        notices.iter().map(|n| (n.title.clone(), n.body.clone())).collect()
    };
    for (title, body) in shown {
        if let Err(e) = app.notification().builder().title(&title).body(&body).show() {
            // The alert is in the inbox regardless.
            eprintln!("mediawatch: could not show a desktop notification: {e}");
        }
    }
}
