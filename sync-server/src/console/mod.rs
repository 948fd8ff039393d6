//! The supervisor console's HTTP API under `/api/v1/console/` (DESIGN.md §5): sign-in
//! ([`session`]), the review queue ([`reviews`]), incident dispatch ([`incidents`]),
//! dashboards ([`dashboard`]) and Excel exports ([`export`]). The console's web page is
//! served by [`ui`]. Writes go through [`write`], under the per-process actor.

pub mod bindings;
pub mod dashboard;
pub mod dto;
pub mod error;
pub mod export;
pub mod incidents;
pub mod queue;
pub mod reviews;
pub mod scope;
pub mod session;
pub mod ui;
pub mod write;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use axum::Router;
use gridwalk_core::Hlc;

use crate::state::AppState;

/// Console state shared by a process's requests.
#[derive(Default)]
pub struct Shared {
    /// Held by every console write from load to commit (see [`write`]).
    pub(crate) writer: Mutex<()>,
    /// The clock of this process's console writes.
    clock: Mutex<Option<Hlc>>,
    /// The review queue's rows per grid (see [`queue`]).
    pub(crate) queues: Mutex<HashMap<String, queue::GridRows>>,
    /// The console UI's build directory (see [`ui`]); empty means [`ui::DEFAULT_DIR`].
    ui_dir: Mutex<PathBuf>,
}

impl Shared {
    /// Sets the console UI's build directory (`--console-dir`).
    pub fn set_ui_dir(&self, dir: PathBuf) {
        *self.ui_dir.lock().unwrap_or_else(|e| e.into_inner()) = dir;
    }

    /// The console UI's build directory.
    pub fn ui_dir(&self) -> PathBuf {
        let d = self
            .ui_dir
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if d.as_os_str().is_empty() {
            PathBuf::from(ui::DEFAULT_DIR)
        } else {
            d
        }
    }

    /// The next HLC of this process's writes: after its previous one, after `now`, and
    /// after `seen` (the newest clock in the document written), so the write sorts after
    /// everything its writer looked at.
    pub fn tick(&self, node: &str, now: i64, seen: Option<&Hlc>) -> Hlc {
        let mut c = self.clock.lock().unwrap_or_else(|e| e.into_inner());
        let last = c.take().unwrap_or_else(|| Hlc::zero(node));
        let next = match seen {
            Some(s) => last.observe(s, now),
            None => last.tick(now),
        };
        *c = Some(next.clone());
        next
    }
}

/// The console's routes: the API under `/api/v1/console` and the page under `/console`.
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .nest("/api/v1/console", router())
        .merge(ui::routes(state.console.ui_dir()))
}

/// The console API's routes, relative to `/api/v1/console`.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::routes())
        .merge(reviews::routes())
        .merge(incidents::routes())
        .merge(dashboard::routes())
        .merge(export::routes())
}
