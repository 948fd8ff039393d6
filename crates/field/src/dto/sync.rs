//! Sync health, progress events and what signing out would lose.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::AppError;

/// Sync health, on 今日 and the sync screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncStatus {
    /// Is a sync running now?
    pub running: bool,
    /// Did the last attempt reach the server?
    pub online: bool,
    /// User actions waiting to be sent.
    #[ts(type = "number")]
    pub pending_actions: i64,
    /// Age of the oldest of them.
    #[ts(type = "number | null")]
    pub oldest_pending_age_ms: Option<i64>,
    /// Actions the server refused (with reasons in `refused`).
    #[ts(type = "number")]
    pub refused_actions: i64,
    /// When the last sync succeeded.
    #[ts(type = "number | null")]
    pub last_success_at: Option<i64>,
    /// The last attempt's error, if it failed.
    pub last_error: Option<AppError>,
    /// Bytes sent and received by the last sync.
    #[ts(type = "number")]
    pub last_bytes_up: i64,
    /// Bytes received by the last sync.
    #[ts(type = "number")]
    pub last_bytes_down: i64,
    /// Per-document refusals with their reasons.
    pub refused: Vec<RefusedView>,
}

/// One refused action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RefusedView {
    /// The document.
    pub doc_id: String,
    /// What the user did (action label code, such as `visit.add`).
    pub label: String,
    /// The server's error, localized.
    pub error: AppError,
    /// When the action was made.
    #[ts(type = "number")]
    pub at: i64,
}

/// A progress event (Tauri event `sync-progress`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncProgressView {
    /// `push`, `first_sync`, `pull`, `apply` or `done`.
    pub phase: String,
    /// Units done.
    #[ts(type = "number")]
    pub done: i64,
    /// Units in all, when known.
    #[ts(type = "number | null")]
    pub total: Option<i64>,
    /// Bytes sent so far.
    #[ts(type = "number")]
    pub bytes_up: i64,
    /// Bytes received so far.
    #[ts(type = "number")]
    pub bytes_down: i64,
}

/// What signing out would lose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WipePreview {
    /// Unsynced actions that would be lost.
    #[ts(type = "number")]
    pub pending_actions: i64,
    /// Age of the oldest.
    #[ts(type = "number | null")]
    pub oldest_pending_age_ms: Option<i64>,
}
