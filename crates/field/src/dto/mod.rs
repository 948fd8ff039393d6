//! The data the field app's UI sends and receives: one struct per screen or form.
//!
//! Field names are snake_case on both sides. Enumerated values travel as their stable
//! codes (the codes of `gridwalk-core`, listed for the UI by [`FormOptions`]); the UI turns
//! a code into words through vue-i18n. Instants are UTC milliseconds; dates are
//! `YYYY-MM-DD` in Asia/Shanghai. Every type derives `ts_rs::TS`; the generated TypeScript
//! is checked in under `ui/src/bindings/`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod conflicts;
mod console;
mod households;
mod incidents;
mod records;
mod review;
mod sync;
mod today;

pub use conflicts::*;
pub use console::*;
pub use households::*;
pub use incidents::*;
pub use records::*;
pub use review::*;
pub use sync::*;
pub use today::*;

/// A failure the UI can branch on and show: a stable code and a sentence in each language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppError {
    /// Stable code (`wrong_password`, `unreachable`, `invalid_phone`, …).
    pub code: String,
    /// What happened and what to do, in Chinese.
    pub message_zh: String,
    /// The same in English.
    pub message_en: String,
    /// The form field the error is about, when it is about one (`phone`, `note`, …).
    pub field: Option<String>,
}

/// Who is signed in on this device. The token never leaves Rust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionView {
    /// Server base URL.
    pub server_url: String,
    /// This device's id.
    pub device_id: String,
    /// The user.
    pub user_id: String,
    /// Display name.
    pub name: String,
    /// Role code (`grid_worker`, `part_time_worker`, `party_member`, `grid_head`, …).
    pub role: String,
    /// The areas the user works in, with names (grid or micro-grid).
    pub areas: Vec<Choice>,
}

/// What the app shows before anything else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppState {
    /// The signed-in session, if any.
    pub session: Option<SessionView>,
    /// The last server address used (prefills the first-run screen).
    pub server_url: Option<String>,
    /// UI language (`zh-CN` or `en`).
    pub locale: String,
    /// Set when the device was revoked and wiped: the code of the reason to show.
    pub locked: Option<AppError>,
    /// Has the first download finished on this device?
    pub first_sync_done: bool,
}

/// A code with its display label (a name from reference data, not a translation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Choice {
    /// Code or id.
    pub value: String,
    /// Label (area names, category names, member names: data, already in Chinese).
    pub label: String,
}

/// The code lists the forms offer; labels come from the UI's i18n by code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FormOptions {
    /// Contact modes (`in_person`, `phone`, `video`).
    pub modes: Vec<String>,
    /// Visit kinds.
    pub visit_kinds: Vec<String>,
    /// Campaigns.
    pub campaigns: Vec<String>,
    /// Observation kinds.
    pub observation_kinds: Vec<String>,
    /// Need outcomes (`noted`, `incident`, `proxy`).
    pub need_outcomes: Vec<String>,
    /// Urgencies.
    pub urgencies: Vec<String>,
    /// Care tags (codes; labels through i18n).
    pub tags: Vec<String>,
    /// Identity document kinds (`resident_id`, `legacy_id`, `hmt_permit`, `passport`,
    /// `permanent_residence`).
    pub id_kinds: Vec<String>,
    /// A member's relation to the head of household (`head`, `spouse`, `child`, …).
    pub relations: Vec<String>,
    /// Rating levels (`satisfied`, `basically_satisfied`, `unsatisfied`).
    pub rating_levels: Vec<String>,
    /// Rating channels (`resident`, `worker`, `callback`).
    pub rating_channels: Vec<String>,
    /// The incident category tree, flattened: leaves carry their platform.
    pub categories: Vec<CategoryOption>,
    /// Micro-grids in the user's scope.
    pub micro_grids: Vec<Choice>,
}

/// One node of the category tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CategoryOption {
    /// Category code.
    pub code: String,
    /// Parent code, for a leaf.
    pub parent: Option<String>,
    /// Chinese name (reference data).
    pub name: String,
    /// Platform code the leaf maps to: one of the four platforms (`comprehensive`,
    /// `market`, `law_enforcement`, `public_service`) or `in_grid` (网格自办).
    pub platform: Option<String>,
}
