//! The state Tauri manages: the [`FieldApp`] behind one async mutex, and the sync
//! coordinator (one sync at a time, joined by callers who asked while it ran, events out).
//!
//! Why one `tokio::sync::Mutex<FieldApp>`: every `FieldApp` method takes `&mut self`
//! (the store has one SQLite connection and a document cache), so commands are serialized
//! anyway, and an async mutex lets `sync_now` hold it across network awaits without
//! blocking a runtime thread. Its cost is that a command issued during a sync waits for
//! the sync to end. Two things keep that cheap: the sync status is answered from a cached
//! copy while a sync holds the lock, and the periodic sync first checks that the server
//! answers a TCP connect, so an offline phone never holds the lock through the sync
//! engine's retries in the background.
//!
//! The supervisor views must not wait for a sync either: the shell keeps the signed-in
//! user's console link (refreshed whenever the session may have changed: start, sign-in,
//! sign-out, after each sync) and uses it while a sync holds the app.

use std::sync::Mutex as StdMutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use gridwalk_field::dto::{SyncProgressView, SyncStatus};
use gridwalk_field::error::codes;
use gridwalk_field::{AppError, FieldApp};
use gridwalk_sync::ConsoleLink;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::{Mutex, MutexGuard};

/// Event names the UI listens to.
pub mod events {
    /// Payload [`super::SyncProgressView`], during a sync.
    pub const SYNC_PROGRESS: &str = "sync-progress";
    /// Payload [`super::SyncStatus`], after every sync, successful or not.
    pub const SYNC_STATUS: &str = "sync-status";
    /// Payload [`super::AppError`], when the device was revoked and wiped.
    pub const LOCKED: &str = "locked";
}

/// What Tauri manages.
pub struct Shell {
    app: Result<Mutex<FieldApp>, AppError>,
    /// Held for the whole of a sync: one at a time.
    gate: Mutex<()>,
    /// Sequence number of the last sync started.
    started: AtomicU64,
    /// Is a sync running now?
    syncing: AtomicBool,
    /// The last sync's sequence number and outcome, for callers who joined it.
    last: StdMutex<Option<(u64, Result<SyncStatus, AppError>)>>,
    /// The last status seen, answered while a sync holds the app.
    status: StdMutex<Option<SyncStatus>>,
    /// `--server`: prefills the sign-in screen.
    server_prefill: Option<String>,
    /// The signed-in supervisor's console link, for use while a sync holds the app.
    console: StdMutex<Option<ConsoleLink>>,
}

impl Shell {
    /// Wraps an opened app (or the error opening it, which every command then returns).
    pub fn new(app: Result<FieldApp, AppError>, server_prefill: Option<String>) -> Shell {
        let console = app.as_ref().ok().and_then(|a| a.console_link().ok());
        Shell {
            console: StdMutex::new(console),
            app: app.map(Mutex::new),
            gate: Mutex::new(()),
            started: AtomicU64::new(0),
            syncing: AtomicBool::new(false),
            last: StdMutex::new(None),
            status: StdMutex::new(None),
            server_prefill,
        }
    }

    /// The app, once no one else uses it.
    pub async fn app(&self) -> Result<MutexGuard<'_, FieldApp>, AppError> {
        match &self.app {
            Ok(m) => Ok(m.lock().await),
            Err(e) => Err(e.clone()),
        }
    }

    /// Notes the console link of whoever is signed in now (none for other roles).
    pub fn remember_console(&self, app: &FieldApp) {
        *self.console.lock().unwrap() = app.console_link().ok();
    }

    /// The console link for the supervisor views: from the app when it is free, else the
    /// one noted when the session last changed (so a running sync does not hold them up).
    pub async fn console_link(&self) -> Result<ConsoleLink, AppError> {
        let m = match &self.app {
            Ok(m) => m,
            Err(e) => return Err(e.clone()),
        };
        if let Ok(app) = m.try_lock() {
            self.remember_console(&app);
            return app.console_link();
        }
        if let Some(link) = self.console.lock().unwrap().clone() {
            return Ok(link);
        }
        let app = m.lock().await;
        self.remember_console(&app);
        app.console_link()
    }

    /// The `--server` address, if one was given.
    pub fn server_prefill(&self) -> Option<&str> {
        self.server_prefill.as_deref()
    }

    /// Sync health. While a sync holds the app, the last known status with `running` set.
    pub async fn sync_status(&self) -> Result<SyncStatus, AppError> {
        let m = match &self.app {
            Ok(m) => m,
            Err(e) => return Err(e.clone()),
        };
        if self.syncing.load(Ordering::SeqCst)
            && let Some(mut s) = self.status.lock().unwrap().clone()
        {
            s.running = true;
            return Ok(s);
        }
        let s = m.lock().await.sync_status()?;
        *self.status.lock().unwrap() = Some(s.clone());
        Ok(s)
    }

    /// Runs a sync, or joins one: if a sync that started after this call has finished by
    /// the time this caller gets its turn, its outcome is returned instead of syncing
    /// again. A sync already running when the call came may predate the caller's last
    /// change, so it is waited for, not joined. Emits progress, the status after the
    /// sync, and `locked` when the server revoked the device.
    pub async fn sync<R: Runtime>(&self, handle: &AppHandle<R>) -> Result<SyncStatus, AppError> {
        let asked_after = self.started.load(Ordering::SeqCst);
        let _turn = self.gate.lock().await;
        if let Some((seq, outcome)) = self.last.lock().unwrap().as_ref()
            && *seq > asked_after
        {
            return outcome.clone();
        }
        let seq = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let mut app = self.app().await?;
        let locked_before = app.app_state().ok().and_then(|s| s.locked).is_some();
        self.syncing.store(true, Ordering::SeqCst);
        let emitter = handle.clone();
        let outcome = app
            .sync_now(move |p: SyncProgressView| {
                let _ = emitter.emit(events::SYNC_PROGRESS, p);
            })
            .await;
        self.syncing.store(false, Ordering::SeqCst);
        // The status after every sync, failed ones included (it carries the error).
        let status = match &outcome {
            Ok(s) => Ok(s.clone()),
            Err(_) => app.sync_status(),
        };
        if let Ok(s) = &status {
            *self.status.lock().unwrap() = Some(s.clone());
            let _ = handle.emit(events::SYNC_STATUS, s);
        }
        let locked_now = app.app_state().ok().and_then(|s| s.locked);
        let revoked = match (&outcome, locked_now) {
            (_, Some(reason)) if !locked_before => Some(reason),
            (Err(e), _) if e.code == codes::DEVICE_REVOKED => Some(e.clone()),
            _ => None,
        };
        if let Some(reason) = revoked {
            let _ = handle.emit(events::LOCKED, reason);
        }
        self.remember_console(&app);
        drop(app);
        *self.last.lock().unwrap() = Some((seq, outcome.clone()));
        outcome
    }

    /// A background sync's turn (at start and every interval): sync if someone is signed
    /// in and the server accepts a TCP connection within 3 s.
    /// Returns whether a sync ran.
    pub async fn background_tick<R: Runtime>(&self, handle: &AppHandle<R>) -> bool {
        let server = match self.app().await {
            Ok(a) if a.is_signed_in() => a
                .app_state()
                .ok()
                .and_then(|s| s.session)
                .map(|s| s.server_url),
            _ => None,
        };
        let Some(server) = server else { return false };
        if !reachable(&server, Duration::from_secs(3)).await {
            return false;
        }
        let _ = self.sync(handle).await;
        true
    }
}

/// `host:port` of an `http(s)://host[:port]/…` address.
pub fn authority(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() {
        return None;
    }
    let has_port = match host.rfind(']') {
        Some(i) => host[i..].contains(':'),
        None => host.contains(':'),
    };
    if has_port {
        return Some(host.to_string());
    }
    let port = if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        80
    };
    Some(format!("{host}:{port}"))
}

/// Does the server accept a TCP connection within `timeout`?
pub async fn reachable(url: &str, timeout: Duration) -> bool {
    let Some(addr) = authority(url) else {
        return false;
    };
    matches!(
        tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await,
        Ok(Ok(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authority_of_a_server_address_defaults_the_port_by_scheme() {
        assert_eq!(
            authority("http://127.0.0.1:8787").as_deref(),
            Some("127.0.0.1:8787")
        );
        assert_eq!(
            authority("https://gw.example.cn/api").as_deref(),
            Some("gw.example.cn:443")
        );
        assert_eq!(
            authority("http://gw.example.cn").as_deref(),
            Some("gw.example.cn:80")
        );
        assert_eq!(
            authority("http://[::1]:9000/").as_deref(),
            Some("[::1]:9000")
        );
        assert_eq!(authority("http://[::1]/").as_deref(), Some("[::1]:80"));
        assert_eq!(authority("nonsense"), None);
    }

    #[tokio::test]
    async fn a_closed_port_is_not_reachable_and_an_open_one_is() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        assert!(reachable(&format!("http://{addr}"), Duration::from_secs(2)).await);
        drop(l);
        assert!(
            !reachable(&format!("http://{addr}"), Duration::from_secs(2)).await,
            "a stopped server must not trigger a background sync"
        );
    }
}
