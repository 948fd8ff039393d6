//! Sync: run one sync with progress, and the sync health the UI shows.
//!
//! Health (online, last success, last bytes, last error) is kept in `settings.json`
//! (see [`crate::app`]), so the sync screen shows it after a restart.
//!
//! Outcomes of [`FieldApp::sync_now`]:
//! - success: `Ok(status)` with `online`, `last_success_at` and the bytes of this sync;
//! - **unreachable server: `Ok(status)` with `online = false` and `last_error` set** (code
//!   `unreachable`). Being offline is the normal state of a field phone, not a failed
//!   command: the work is safe on the device and the UI shows the status it got;
//! - device revoked: the engine has wiped the store; the app sets `locked` in
//!   [`AppState`], deletes `session.json` and returns `Err(device_revoked)`;
//! - sign-in expired (`signed_out`): the session is forgotten, the data kept, `Err`;
//! - anything else: `Err`, with `last_error` recorded in the status as well.

use std::sync::atomic::Ordering;

use gridwalk_sync::{Phase, Progress, SyncError};

use super::FieldApp;
use crate::dto::*;

fn phase_code(p: Phase) -> &'static str {
    match p {
        Phase::Push => "push",
        Phase::FirstSync => "first_sync",
        Phase::Pull => "pull",
        Phase::Apply => "apply",
        Phase::Done => "done",
    }
}

fn progress_view(p: &Progress) -> SyncProgressView {
    SyncProgressView {
        phase: phase_code(p.phase).to_string(),
        done: p.done as i64,
        total: p.total.map(|t| t as i64),
        bytes_up: p.bytes_up as i64,
        bytes_down: p.bytes_down as i64,
    }
}

/// Resets a flag when dropped, so a cancelled sync never stays "running".
struct Running<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl FieldApp {
    /// Sync health: pending and refused actions, last success, last error, bytes.
    pub fn sync_status(&self) -> Result<SyncStatus, AppError> {
        let debt = self.store.sync_debt(self.now())?;
        let refused = self
            .store
            .refused()?
            .into_iter()
            .map(|r| RefusedView {
                doc_id: r.doc_id,
                label: r.action,
                error: AppError::new(&r.code, r.message_zh, r.message_en),
                at: r.created_at,
            })
            .collect();
        let s = &self.settings;
        Ok(SyncStatus {
            running: self.running.load(Ordering::SeqCst),
            online: s.online,
            pending_actions: debt.pending_actions,
            oldest_pending_age_ms: debt.oldest_pending_age_ms,
            refused_actions: debt.refused_actions,
            last_success_at: s.last_success_at,
            last_error: s.last_error.clone(),
            last_bytes_up: s.last_bytes_up,
            last_bytes_down: s.last_bytes_down,
            refused,
        })
    }

    /// Pushes the outbox and pulls the scope until nothing is left (the first sync after
    /// sign-in downloads the whole scope). See the module docs for the outcomes.
    pub async fn sync_now(
        &mut self,
        mut progress: impl FnMut(SyncProgressView) + Send,
    ) -> Result<SyncStatus, AppError> {
        self.session_ref()?;
        self.running.store(true, Ordering::SeqCst);
        let running = self.running.clone();
        let result = {
            let _guard = Running(&running);
            let mut last = SyncProgressView {
                phase: "push".into(),
                done: 0,
                total: None,
                bytes_up: 0,
                bytes_down: 0,
            };
            let r = self
                .engine
                .sync_once(&mut self.store, |p| {
                    last = progress_view(&p);
                    progress(last.clone());
                })
                .await;
            (r, last)
        };
        let now = self.now().0;
        match result {
            (Ok(report), _) => {
                let s = &mut self.settings;
                s.online = true;
                s.last_success_at = Some(now);
                s.last_error = None;
                s.last_bytes_up = report.traffic.bytes_up as i64;
                s.last_bytes_down = report.traffic.bytes_down as i64;
                self.settings.save(&self.dir)?;
                self.sync_status()
            }
            (Err(e), last) => {
                let unreachable = matches!(e, SyncError::Unreachable(_));
                let revoked = matches!(e, SyncError::DeviceRevoked);
                let signed_out = matches!(e, SyncError::SignedOut(_) | SyncError::NotSignedIn);
                tracing::info!(code = %gridwalk_core::Localized::code(&e), error = %e, "sync failed");
                let err = AppError::from(e);
                if revoked {
                    self.forget_signed_in()?;
                    self.reset_sync_health();
                    self.settings.locked = Some(err.clone());
                    self.settings.data_owner = None;
                }
                if signed_out {
                    self.forget_signed_in()?;
                }
                let s = &mut self.settings;
                s.online = !unreachable;
                s.last_error = Some(err.clone());
                s.last_bytes_up = last.bytes_up;
                s.last_bytes_down = last.bytes_down;
                self.settings.save(&self.dir)?;
                if unreachable {
                    self.sync_status()
                } else {
                    Err(err)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shell runs commands on tokio tasks: the sync future must be `Send`.
    #[allow(dead_code)]
    fn sync_now_is_send(app: &mut FieldApp) {
        fn send<T: Send>(_: &T) {}
        let f = app.sync_now(|_| {});
        send(&f);
    }

    #[test]
    fn progress_phases_have_the_codes_the_ui_listens_for() {
        let codes: Vec<&str> = [
            Phase::Push,
            Phase::FirstSync,
            Phase::Pull,
            Phase::Apply,
            Phase::Done,
        ]
        .into_iter()
        .map(phase_code)
        .collect();
        assert_eq!(codes, ["push", "first_sync", "pull", "apply", "done"]);
    }
}
