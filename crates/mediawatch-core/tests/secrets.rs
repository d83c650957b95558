//! Where secrets live: the real Secret Service when a D-Bus session has one, else the user-only file.
//!
//! `make test` runs the Secret Service test in a throw-away session with a throw-away keyring (apt: dbus-daemon,
//! gnome-keyring) and `MEDIAWATCH_REQUIRE_DBUS=1`, so there it cannot skip. By hand:
//! `d=$(mktemp -d); XDG_DATA_HOME=$d dbus-run-session -- sh -c 'printf %s mediawatch-test | gnome-keyring-daemon
//!  --unlock --components=secrets >/dev/null && MEDIAWATCH_REQUIRE_DBUS=1 cargo test -p mediawatch-core --test
//!  secrets'; rm -rf $d` (the unlock password must not be empty, or gnome-keyring creates no login collection and
//! every write waits for a prompt that nobody answers).

use std::time::{Duration, Instant};

use mediawatch_core::alerts::secrets::{SecretBackend, Secrets};
use mediawatch_core::alerts::sign;

fn session_bus() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
}

#[test]
fn without_a_session_bus_the_secrets_are_in_the_file_at_once() {
    if session_bus() {
        eprintln!("skipped: DBUS_SESSION_BUS_ADDRESS is set (this test is for headless machines)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let s = Secrets::open(dir.path());
    assert!(t.elapsed() < Duration::from_millis(300), "{:?}", t.elapsed());
    assert_eq!(s.backend(), SecretBackend::File(dir.path().join("secrets.json")));
    s.set("smtp.password", "p").unwrap();
    assert_eq!(Secrets::open(dir.path()).get("smtp.password").unwrap().as_deref(), Some("p"));
}

/// As the core uses it: from a tokio program, each call on a blocking thread (`spawn_blocking`). Not on a runtime
/// thread: the store's blocking calls start a tokio runtime of their own there, which tokio refuses (a panic).
#[tokio::test(flavor = "multi_thread")]
async fn the_real_secret_service_keeps_a_secret() {
    if !session_bus() {
        assert!(
            std::env::var_os("MEDIAWATCH_REQUIRE_DBUS").is_none(),
            "MEDIAWATCH_REQUIRE_DBUS is set but there is no D-Bus session"
        );
        eprintln!("skipped: no D-Bus session (make test runs this in dbus-run-session with gnome-keyring)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let s = std::sync::Arc::new(tokio::task::spawn_blocking(move || Secrets::open(&path)).await.unwrap());
    assert_eq!(s.backend(), SecretBackend::Keyring, "a D-Bus session without a reachable Secret Service");
    let name = format!("test.{}", sign::new_message_id());
    let blocking = |f: Box<dyn FnOnce(&Secrets) + Send>| {
        let s = s.clone();
        tokio::task::spawn_blocking(move || f(&s))
    };
    let n = name.clone();
    blocking(Box::new(move |s| {
        assert_eq!(s.get(&n).unwrap(), None);
        s.set(&n, "Пароль 密码 whsec_x").unwrap();
        assert_eq!(s.get(&n).unwrap().as_deref(), Some("Пароль 密码 whsec_x"));
    }))
    .await
    .unwrap();
    // Another handle (as another process would have) sees it.
    let path = dir.path().to_path_buf();
    let n = name.clone();
    let other = tokio::task::spawn_blocking(move || Secrets::open(&path).get(&n).unwrap()).await.unwrap();
    assert_eq!(other.as_deref(), Some("Пароль 密码 whsec_x"));
    let n = name.clone();
    blocking(Box::new(move |s| {
        s.set(&n, "second").unwrap();
        assert_eq!(s.get(&n).unwrap().as_deref(), Some("second"));
        s.remove(&n).unwrap();
        assert_eq!(s.get(&n).unwrap(), None);
        s.remove(&n).unwrap();
    }))
    .await
    .unwrap();
    assert!(!dir.path().join("secrets.json").exists(), "nothing was written to the file");
}
