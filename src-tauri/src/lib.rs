//! The Mediawatch desktop shell: hosts the web UI and exposes [`mediawatch_core::Mediawatch`] to it.
//! Thin by design: every command delegates to the core (see `commands`), and the TypeScript bindings in
//! `ui/src/lib/bindings.ts` are generated from these signatures by tauri-specta.

pub mod commands;
pub mod events;
mod notify;
pub mod state;

use tauri::Manager;
use tauri_specta::Event;

/// The typed command surface, shared by the app and the bindings export.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            commands::app_info,
            commands::show_data_folder,
            commands::overview,
            commands::analysis::analysis,
            commands::analysis::topic_cards,
            commands::analysis::source_activity,
            commands::sources::list_sources,
            commands::sources::add_source,
            commands::sources::remove_source,
            commands::sources::update_source,
            commands::sources::import_opml,
            commands::sources::export_opml,
            commands::fetch::fetch_now,
            commands::fetch::cancel_fetch,
            commands::topics::list_topics,
            commands::topics::add_topic,
            commands::topics::edit_topic,
            commands::topics::cancel_backfill,
            commands::topics::preview_topic,
            commands::mentions::search,
            commands::mentions::search_facets,
            commands::mentions::cancel_search_facets,
            commands::topics::remove_topic,
            commands::topics::check_query,
            commands::topics::default_topics,
            commands::topics::install_default_topics,
            commands::mentions::list_mentions,
            commands::mentions::mentions_pane,
            commands::mentions::get_article,
            commands::mentions::set_read,
            commands::mentions::mark_all_read,
            commands::get_settings,
            commands::save_settings,
            commands::fetch::import_articles,
            commands::alerts::list_alert_rules,
            commands::alerts::add_alert_rule,
            commands::alerts::edit_alert_rule,
            commands::alerts::remove_alert_rule,
            commands::alerts::test_alert_rule,
            commands::alerts::spike_preview,
            commands::alerts::list_alerts,
            commands::alerts::get_alert,
            commands::alerts::mark_alerts_read,
            commands::alerts::unread_alert_count,
            commands::alerts::alerts_timezone,
            commands::alerts::set_secret,
            commands::alerts::send_test_email,
            commands::reports::report_count,
            commands::reports::preview_report,
            commands::reports::export_report,
            commands::reports::cancel_export,
            commands::reports::open_report,
            commands::reports::list_reports,
            commands::reports::save_report,
            commands::reports::remove_report,
            commands::reports::schedule_report,
            commands::reports::run_report,
            commands::reports::star_article,
        ])
        .events(tauri_specta::collect_events![events::BackgroundFetch, events::AlertsChanged, events::OpenAlert])
        .dangerously_cast_bigints_to_number()
        // Our API types serialise and deserialise alike: one TypeScript type each.
        .disable_serde_phases()
}

/// Header of the generated bindings file.
pub const BINDINGS_HEADER: &str = "// Generated from the Rust commands in src-tauri by tauri-specta. Do not edit:\n// run `make bindings` after changing a command or an API type.\n";

/// Renders the TypeScript bindings into `path`.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(specta_typescript::Typescript::default().header(BINDINGS_HEADER), path)
        .map_err(|e| e.to_string())
}

/// Runs the core's scheduler in the background for the life of the app: due sources are fetched without
/// the analyst pressing anything, and the window hears about each cycle through the `BackgroundFetch` event.
/// `MEDIAWATCH_AUTO_FETCH=0` turns it off (sources are then fetched only with "Fetch now").
fn start_scheduler(app: &tauri::AppHandle, state: &state::AppState) {
    if std::env::var("MEDIAWATCH_AUTO_FETCH").is_ok_and(|v| v == "0") {
        return;
    }
    let Ok(core) = state.core().cloned() else { return };
    let cancel = state.scheduler_token();
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        core.run_scheduler(
            move |progress| {
                // The window may be gone or not listening; the schedule goes on regardless.
                let _ = events::BackgroundFetch(progress).emit(&handle);
            },
            |e| eprintln!("mediawatch: background fetch cycle failed: {e}"),
            cancel,
        )
        .await;
    });
}

/// How often the shell asks the core for desktop notifications to show (alerts fired by this app's scheduler,
/// by "Fetch now", or by `mediawatch run` working on the same database).
const NOTICE_POLL: std::time::Duration = std::time::Duration::from_secs(10);

/// Shows the alerts' desktop notifications for the life of the app, and tells the window when alerts changed.
fn start_notifier(app: &tauri::AppHandle, state: &state::AppState) {
    let Ok(core) = state.core().cloned() else { return };
    let cancel = state.scheduler_token();
    let handle = app.clone();
    let notifier = notify::Notifier::new(app.clone());
    tauri::async_runtime::spawn(async move {
        let mut last_unread = None;
        loop {
            match core.take_desktop_notices().await {
                Ok(notices) => notifier.show(&notices),
                Err(e) => eprintln!("mediawatch: desktop notifications: {e}"),
            }
            if let Ok(unread) = core.unread_alerts().await {
                if last_unread != Some(unread) {
                    last_unread = Some(unread);
                    let _ = events::AlertsChanged { unread }.emit(&handle);
                }
            }
            tokio::select! {
                () = tokio::time::sleep(NOTICE_POLL) => {}
                () = cancel.cancelled() => return,
            }
        }
    });
}

/// Starts the desktop app.
pub fn run() {
    let builder = specta_builder();
    tauri::Builder::default()
        // Opens an article's original URL in the system browser (http/https only, see capabilities).
        .plugin(tauri_plugin_opener::init())
        // Native open/save dialogs for OPML import and export.
        .plugin(tauri_plugin_dialog::init())
        // Desktop notifications of alerts.
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let state = state::AppState::open();
            start_scheduler(app.handle(), &state);
            start_notifier(app.handle(), &state);
            app.manage(state);
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("error while running the Mediawatch desktop app");
}
