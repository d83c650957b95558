//! Secrets (the SMTP password, webhook secrets): in the OS keyring — the Secret Service on Linux, through
//! `keyring-core` and its zbus store, the store crates that `keyring` 4 bundles — or, where no keyring is
//! reachable (a headless server, no D-Bus session), in `secrets.json` beside the database, created with mode
//! 0600 and refused when others can read it. The store object is built here and held by the caller: no
//! process-wide default store (`keyring`'s v1 mode sets a global one, which this house does not keep).
//! Secrets never appear in the database, in logs or in error messages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};

use crate::error::{Error, Result};

const SERVICE: &str = "mediawatch";
const FILE: &str = "secrets.json";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretBackend {
    Keyring,
    File(PathBuf),
}

enum Backend {
    Keyring(Arc<CredentialStore>),
    File(PathBuf),
}

/// The secrets store. Its calls block (D-Bus round trips): make them on a blocking thread
/// (`tokio::task::spawn_blocking`), never on a runtime thread, where the Secret Service store's own
/// `block_on` panics (`tests/secrets.rs` runs them as the core does).
pub struct Secrets {
    backend: Backend,
}

fn keyring_err(what: &str, name: &str, e: &keyring_core::Error) -> Error {
    // keyring-core's errors name the platform's failure, never the secret.
    Error::Storage(format!("the OS keyring could not {what} the secret {name}: {e}"))
}

impl Drop for Secrets {
    /// The Secret Service store closes its D-Bus connection with a blocking call, which panics on a tokio
    /// runtime thread; and the core is dropped on one (the end of the CLI's `main`, the app's shutdown). There
    /// it is closed on a thread of its own.
    fn drop(&mut self) {
        if let Backend::Keyring(store) = std::mem::replace(&mut self.backend, Backend::File(PathBuf::new())) {
            if tokio::runtime::Handle::try_current().is_ok() {
                let closed = std::thread::Builder::new().name("keyring-close".into()).spawn(move || drop(store));
                if let Err(e) = closed {
                    // Not closing a connection is better than a panic in a destructor.
                    eprintln!("mediawatch: the keyring connection was left open: {e}");
                }
            }
        }
    }
}

impl Secrets {
    /// The OS keyring when one answers, else the user-only file in `dir`.
    pub fn open(dir: &Path) -> Secrets {
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty()) {
            if let Ok(store) = zbus_secret_service_keyring_store::Store::new() {
                let store: Arc<CredentialStore> = store;
                // A store can be built while no Secret Service answers; one read tells.
                let probe = Entry::new_in_store(&store, SERVICE, "probe").and_then(|e| match e.get_password() {
                    Ok(_) | Err(keyring_core::Error::NoEntry) => Ok(()),
                    Err(e) => Err(e),
                });
                if probe.is_ok() {
                    return Secrets { backend: Backend::Keyring(store) };
                }
            }
        }
        Secrets::file_only(dir)
    }

    /// Only the user-only file (`MEDIAWATCH_SECRETS=file`, tests).
    pub fn file_only(dir: &Path) -> Secrets {
        Secrets { backend: Backend::File(dir.join(FILE)) }
    }

    /// keyring-core's in-memory mock store (tests).
    pub fn mock() -> Result<Secrets> {
        let store = keyring_core::mock::Store::new()
            .map_err(|e| Error::Internal(format!("the mock keyring could not start: {e}")))?;
        Ok(Secrets { backend: Backend::Keyring(store) })
    }

    pub fn backend(&self) -> SecretBackend {
        match &self.backend {
            Backend::Keyring(_) => SecretBackend::Keyring,
            Backend::File(p) => SecretBackend::File(p.clone()),
        }
    }

    pub fn set(&self, name: &str, value: &str) -> Result<()> {
        match &self.backend {
            Backend::Keyring(store) => Entry::new_in_store(store, SERVICE, name)
                .and_then(|e| e.set_password(value))
                .map_err(|e| keyring_err("store", name, &e)),
            Backend::File(path) => {
                let mut all = read_file(path)?;
                all.insert(name.to_string(), value.to_string());
                write_file(path, &all)
            }
        }
    }

    pub fn get(&self, name: &str) -> Result<Option<String>> {
        match &self.backend {
            Backend::Keyring(store) => match Entry::new_in_store(store, SERVICE, name).and_then(|e| e.get_password()) {
                Ok(v) => Ok(Some(v)),
                Err(keyring_core::Error::NoEntry) => Ok(None),
                Err(e) => Err(keyring_err("read", name, &e)),
            },
            Backend::File(path) => Ok(read_file(path)?.remove(name)),
        }
    }

    pub fn remove(&self, name: &str) -> Result<()> {
        match &self.backend {
            Backend::Keyring(store) => {
                match Entry::new_in_store(store, SERVICE, name).and_then(|e| e.delete_credential()) {
                    Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
                    Err(e) => Err(keyring_err("remove", name, &e)),
                }
            }
            Backend::File(path) => {
                let mut all = read_file(path)?;
                if all.remove(name).is_some() {
                    write_file(path, &all)?;
                }
                Ok(())
            }
        }
    }
}

fn read_file(path: &Path) -> Result<BTreeMap<String, String>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(Error::Storage(format!("cannot read {}: {e}", path.display()))),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(Error::Storage(format!(
                "{} can be read by other users (mode {mode:o}); run chmod 600 on it, then try again",
                path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::Storage(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Storage(format!("{} is not a secrets file Mediawatch wrote ({e})", path.display())))
}

/// Writes the file atomically: a temporary file created with mode 0600, renamed over the old one.
fn write_file(path: &Path, all: &BTreeMap<String, String>) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::Storage(format!("cannot create {}: {e}", dir.display())))?;
    let tmp = path.with_extension(format!("tmp{}", fastrand::u32(..)));
    let text = serde_json::to_string_pretty(all).map_err(|e| Error::Internal(e.to_string()))?;
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::Storage(format!("cannot write {}: {e}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_backend_is_user_only_and_refuses_a_readable_file() {
        let dir = tempfile::tempdir().unwrap();
        let s = Secrets::file_only(dir.path());
        assert_eq!(s.get("smtp.password").unwrap(), None);
        s.set("smtp.password", "hunter2").unwrap();
        s.set("webhook.rule.1", "whsec_abc").unwrap();
        assert_eq!(s.get("smtp.password").unwrap().as_deref(), Some("hunter2"));
        s.remove("webhook.rule.1").unwrap();
        assert_eq!(s.get("webhook.rule.1").unwrap(), None);
        let path = dir.path().join(FILE);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = s.get("smtp.password").unwrap_err();
            assert!(e.to_string().contains("chmod 600") && !e.to_string().contains("hunter2"), "{e}");
        }
    }

    #[test]
    fn the_mock_keyring_keeps_and_forgets_secrets() {
        let s = Secrets::mock().unwrap();
        assert_eq!(s.backend(), SecretBackend::Keyring);
        assert_eq!(s.get("smtp.password").unwrap(), None);
        s.set("smtp.password", "p").unwrap();
        assert_eq!(s.get("smtp.password").unwrap().as_deref(), Some("p"));
        s.remove("smtp.password").unwrap();
        s.remove("smtp.password").unwrap();
        assert_eq!(s.get("smtp.password").unwrap(), None);
    }
}
