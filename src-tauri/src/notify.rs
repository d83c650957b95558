//! Shows alerts as desktop notifications. Several at once are folded into one ("5 alerts: …") so that a
//! morning of digests does not bury the desktop. Clicking one brings the window up on the alert, with the
//! mentions behind it open (several folded: the inbox).
//!
//! On Linux the notification goes straight to the desktop's notification server over D-Bus (`notify-rust`,
//! the crate `tauri-plugin-notification` itself uses there), because the plugin does not report clicks on
//! Linux: each notification gets a thread that waits for the server to say it was clicked or closed. Elsewhere
//! the plugin shows it, and the inbox is where it opens.

use mediawatch_core::model::{DesktopNotice, Id};
use tauri::Manager;
use tauri_specta::Event;

use crate::events;

/// More notices than this at once are shown as one.
const MAX_SEPARATE: usize = 3;

/// What one desktop notification says, and which alert it opens (`None`: the inbox).
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    title: String,
    body: String,
    alert: Option<Id>,
}

fn fold(notices: &[DesktopNotice]) -> Vec<Shown> {
    if notices.len() > MAX_SEPARATE {
        let titles: Vec<&str> = notices.iter().take(MAX_SEPARATE).map(|n| n.title.as_str()).collect();
        vec![Shown {
            title: format!("Mediawatch: {} alerts", notices.len()),
            body: format!("{} … (open Alerts for all)", titles.join(" · ")),
            alert: None,
        }]
    } else {
        notices
            .iter()
            .map(|n| Shown { title: n.title.clone(), body: n.body.clone(), alert: Some(n.alert_id) })
            .collect()
    }
}

/// Brings the window up and tells it to open `alert` (or the inbox).
fn open(app: &tauri::AppHandle, alert: Option<Id>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
    let _ = events::OpenAlert { alert_id: alert }.emit(app);
}

/// Shows notifications for the life of the app (one, made by the notifier loop in `lib.rs`).
pub struct Notifier {
    app: tauri::AppHandle,
    #[cfg(target_os = "linux")]
    waiting: linux::Waiting,
}

impl Notifier {
    pub fn new(app: tauri::AppHandle) -> Notifier {
        Notifier {
            app,
            #[cfg(target_os = "linux")]
            waiting: linux::Waiting::new(linux::MAX_WAITING),
        }
    }

    pub fn show(&self, notices: &[DesktopNotice]) {
        for s in fold(notices) {
            let handle = self.app.clone();
            let alert = s.alert;
            #[cfg(target_os = "linux")]
            linux::show(s.title, s.body, &self.waiting, move || open(&handle, alert));
            #[cfg(not(target_os = "linux"))]
            {
                use tauri_plugin_notification::NotificationExt;
                let _ = (handle, alert);
                if let Err(e) = self.app.notification().builder().title(&s.title).body(&s.body).show() {
                    // The alert is in the inbox regardless.
                    eprintln!("mediawatch: could not show a desktop notification: {e}");
                }
            }
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// The action a notification server invokes when the notification itself is clicked.
    const CLICK: &str = "default";
    const INTERFACE: &str = "org.freedesktop.Notifications";
    const PATH: &str = "/org/freedesktop/Notifications";

    /// Notifications waited on at once. A server that keeps notifications until they are dismissed (GNOME's
    /// tray) holds a thread and a D-Bus connection for each; past this, notifications are shown without the
    /// click (the inbox has them).
    pub const MAX_WAITING: usize = 16;

    /// How many notifications a thread is waiting on.
    #[derive(Clone)]
    pub struct Waiting {
        now: Arc<AtomicUsize>,
        max: usize,
    }

    impl Waiting {
        pub fn new(max: usize) -> Waiting {
            Waiting { now: Arc::new(AtomicUsize::new(0)), max }
        }

        /// Takes a place, when one is free.
        fn take(&self) -> bool {
            self.now.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < self.max).then_some(n + 1)).is_ok()
        }

        fn give_back(&self) {
            self.now.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Shows a notification and calls `on_click` if it is clicked (not when it is closed or expires). Returns
    /// at once; a thread waits for the answer, or, when `waiting` is full, the notification is shown without
    /// the click.
    pub fn show(title: String, body: String, waiting: &Waiting, on_click: impl FnOnce() + Send + 'static) {
        let waits = waiting.take();
        let held = waiting.clone();
        let spawned = std::thread::Builder::new().name("notification".into()).spawn(move || {
            let mut n = notify_rust::Notification::new();
            n.appname("Mediawatch").summary(&title).body(&body);
            let shown = if waits {
                n.action(CLICK, "Open");
                let shown = show_and_wait(&n, on_click);
                held.give_back();
                shown
            } else {
                n.show().map(drop).map_err(|e| e.to_string())
            };
            if let Err(e) = shown {
                // The alert is in the inbox regardless.
                eprintln!("mediawatch: could not show a desktop notification: {e}");
            }
        });
        if let Err(e) = spawned {
            if waits {
                waiting.give_back();
            }
            eprintln!("mediawatch: could not show a desktop notification: {e}");
        }
    }

    /// Shows `n` and waits until the server says it was clicked (then calls `on_click`) or closed.
    ///
    /// The wait is ours, not `notify-rust`'s `wait_for_action`: that one makes a new message stream for each
    /// message it reads, so a signal that closely follows another (the desktop dismissing several
    /// notifications at once) can fall between two streams and leave the thread waiting for ever. Here one
    /// stream, subscribed before the notification is shown, sees every signal.
    fn show_and_wait(n: &notify_rust::Notification, on_click: impl FnOnce()) -> Result<(), String> {
        use futures_util::TryStreamExt;
        let fail = |e: zbus::Error| e.to_string();
        let (_conn, mut signals) = zbus::block_on(async {
            let conn = zbus::Connection::session().await?;
            let rule = zbus::MatchRule::builder()
                .msg_type(zbus::message::Type::Signal)
                .interface(INTERFACE)
                .path(PATH)
                .build()?;
            let signals = zbus::MessageStream::for_match_rule(rule, &conn, None).await?;
            Ok((conn, signals))
        })
        .map_err(fail)?;
        let id = n.show().map_err(|e| e.to_string())?.id();
        zbus::block_on(async {
            while let Some(msg) = signals.try_next().await? {
                let header = msg.header();
                match header.member().map(|m| m.as_str()) {
                    Some("ActionInvoked") => {
                        let (nid, action): (u32, String) = msg.body().deserialize()?;
                        if nid == id {
                            if action == CLICK {
                                on_click();
                            }
                            return Ok(());
                        }
                    }
                    Some("NotificationClosed") => {
                        let (nid, _reason): (u32, u32) = msg.body().deserialize()?;
                        if nid == id {
                            return Ok(());
                        }
                    }
                    _ => {}
                }
            }
            Ok(())
        })
        .map_err(fail)
    }

    /// Against a notification server of our own on the session bus: `make test` runs these inside
    /// `dbus-run-session` with `MEDIAWATCH_REQUIRE_DBUS=1`; without a session bus they say so and pass only
    /// when that variable is unset.
    #[cfg(test)]
    mod tests {
        use std::collections::HashMap;
        use std::sync::mpsc;
        use std::sync::{Arc, Mutex};
        use std::time::Duration;

        use zbus::object_server::SignalEmitter;

        /// What the server was asked to show: (id, summary, body, actions).
        type Shown = (u32, String, String, Vec<String>);

        #[derive(Default, Clone)]
        struct Server {
            shown: Arc<Mutex<Vec<Shown>>>,
        }

        #[zbus::interface(name = "org.freedesktop.Notifications")]
        impl Server {
            // The D-Bus method's signature, argument for argument.
            #[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)]
            fn notify(
                &self,
                app_name: String,
                _replaces_id: u32,
                _app_icon: String,
                summary: String,
                body: String,
                actions: Vec<String>,
                _hints: HashMap<String, zbus::OwnedVariant>,
                _expire_timeout: i32,
            ) -> u32 {
                let mut shown = self.shown.lock().unwrap();
                let id = shown.len() as u32 + 1;
                assert_eq!(app_name, "Mediawatch");
                shown.push((id, summary, body, actions));
                id
            }
            fn get_capabilities(&self) -> Vec<String> {
                vec!["actions".into(), "body".into()]
            }
            fn get_server_information(&self) -> (String, String, String, String) {
                ("fake".into(), "mediawatch".into(), "1".into(), "1.2".into())
            }
            fn close_notification(&self, _id: u32) {}
            #[zbus(signal)]
            async fn action_invoked(emitter: &SignalEmitter<'_>, id: u32, action_key: &str) -> zbus::Result<()>;
            #[zbus(signal)]
            async fn notification_closed(emitter: &SignalEmitter<'_>, id: u32, reason: u32) -> zbus::Result<()>;
        }

        fn session_bus() -> bool {
            let there = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
            if !there {
                assert!(
                    std::env::var_os("MEDIAWATCH_REQUIRE_DBUS").is_none(),
                    "MEDIAWATCH_REQUIRE_DBUS is set but there is no session bus"
                );
                eprintln!("skipped: no D-Bus session bus (make test runs this inside dbus-run-session)");
            }
            there
        }

        /// Waits until the server has shown `n` notifications.
        async fn shown(server: &Server, n: usize) -> Vec<Shown> {
            for _ in 0..100 {
                let s = server.shown.lock().unwrap().clone();
                if s.len() >= n {
                    return s;
                }
                async_io::Timer::after(Duration::from_millis(50)).await;
            }
            panic!("the notification server was not asked to show {n} notifications");
        }

        #[test]
        fn a_click_opens_the_alert_and_a_close_does_not() {
            if !session_bus() {
                return;
            }
            zbus::block_on(async {
                let server = Server::default();
                let conn = zbus::connection::Builder::session()
                    .name("org.freedesktop.Notifications")
                    .serve_at("/org/freedesktop/Notifications", server.clone())
                    .build()
                    .await
                    .unwrap();
                let iface =
                    conn.object_server().interface::<_, Server>("/org/freedesktop/Notifications").await.unwrap();
                let (tx, rx) = mpsc::channel();
                let clicked = tx.clone();
                let waiting = super::Waiting::new(2);
                super::show(
                    "3 new mentions of Visa policy".into(),
                    "Visa-free travel…".into(),
                    &waiting,
                    move || {
                        clicked.send("first").unwrap();
                    },
                );
                let s = shown(&server, 1).await;
                assert_eq!(s[0].1, "3 new mentions of Visa policy");
                assert_eq!(s[0].2, "Visa-free travel…");
                assert_eq!(s[0].3, ["default", "Open"], "the notification offers the click action");
                // The thread listens before it shows the notification: one signal is enough.
                Server::action_invoked(iface.signal_emitter(), 1, "default").await.unwrap();
                let heard = rx.recv_timeout(Duration::from_secs(20));
                assert_eq!(heard, Ok("first"), "clicking the notification opens its alert");

                // A second one is dismissed: nothing opens, and another notification's click is not its. The two
                // signals come back to back, as when the desktop clears several notifications: the thread must
                // not lose the second while it looks at the first.
                let clicked = tx.clone();
                super::show("Spike".into(), "15 mentions in 6 h".into(), &waiting, move || {
                    clicked.send("second").unwrap();
                });
                shown(&server, 2).await;
                Server::action_invoked(iface.signal_emitter(), 1, "default").await.unwrap();
                Server::notification_closed(iface.signal_emitter(), 2, 2).await.unwrap();
                let free = || waiting.now.load(std::sync::atomic::Ordering::SeqCst) == 0;
                for _ in 0..200 {
                    if free() {
                        break;
                    }
                    async_io::Timer::after(Duration::from_millis(100)).await;
                }
                // Both answered: their places are free again.
                assert!(free(), "the closed notification's thread still waits");
                assert!(rx.recv_timeout(Duration::from_millis(300)).is_err(), "a closed notification opens nothing");

                // With every place taken, a notification is shown without the click, and nothing waits on it.
                let full = super::Waiting::new(0);
                super::show("Digest".into(), "12 mentions".into(), &full, || panic!("nothing waits on it"));
                let s = shown(&server, 3).await;
                assert_eq!(s[2].1, "Digest");
                assert!(s[2].3.is_empty(), "no click action when every place is taken: {:?}", s[2].3);
                assert_eq!(full.now.load(std::sync::atomic::Ordering::SeqCst), 0);
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(id: Id) -> DesktopNotice {
        DesktopNotice { alert_id: id, title: format!("t{id}"), body: format!("b{id}") }
    }

    #[test]
    fn a_few_notices_open_their_alerts_and_many_fold_into_the_inbox() {
        let few = fold(&[notice(1), notice(2)]);
        assert_eq!(few.iter().map(|s| s.alert).collect::<Vec<_>>(), [Some(1), Some(2)]);
        assert_eq!(few[1].title, "t2");
        let many = fold(&(1..=5).map(notice).collect::<Vec<_>>());
        assert_eq!(many.len(), 1);
        assert_eq!(many[0].alert, None);
        assert_eq!(many[0].title, "Mediawatch: 5 alerts");
        assert!(many[0].body.starts_with("t1 · t2 · t3 …"), "{}", many[0].body);
    }
}
