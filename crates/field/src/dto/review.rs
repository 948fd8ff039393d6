//! The review loop on the device: returned records (需修改), a record's status and
//! lineage, and the fix forms.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A visit or contact log: which one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordRef {
    /// `visit` or `contact`.
    pub record_kind: String,
    /// Record id.
    pub record_id: String,
}

/// A record's form content as it stands now (what the fix form is prefilled with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordContentView {
    /// Mode code (`in_person`, `phone`, `video`).
    pub mode: String,
    /// Visit type code; `None` for a contact log.
    pub kind: Option<String>,
    /// Campaign code, for campaign visits.
    pub campaign: Option<String>,
    /// Members met (person ids), for visits.
    pub persons_met: Vec<String>,
    /// Service given, for visits.
    pub service: String,
    /// Follow-up date, for visits.
    pub follow_up: Option<String>,
    /// 民情日记 / what was discussed.
    pub note: String,
}

/// One step of a record's lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LineageView {
    /// `submitted`, `fixed`, `approved` or `returned`.
    pub kind: String,
    /// Who (name from reference users, or the user id).
    pub by: String,
    /// Their role code, when known.
    pub role: Option<String>,
    /// When (from the HLC).
    #[ts(type = "number")]
    pub at: i64,
    /// A return's reason.
    pub reason: String,
    /// The note written at this step (submission or fix).
    pub note: Option<String>,
}

/// A record's view: its status, the latest return and the lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordView {
    /// `visit` or `contact`.
    pub record_kind: String,
    /// Record id.
    pub record_id: String,
    /// Household.
    pub household_id: String,
    /// Household address line.
    pub address: String,
    /// Author's name.
    pub author: String,
    /// When the record was made.
    #[ts(type = "number")]
    pub at: i64,
    /// `unreviewed`, `returned`, `resubmitted` or `approved`.
    pub status: String,
    /// The latest return's reason (kept after a fix).
    pub reason: Option<String>,
    /// Who returned it (name).
    pub returned_by: Option<String>,
    /// When it was returned.
    #[ts(type = "number | null")]
    pub returned_at: Option<i64>,
    /// The content now.
    pub content: RecordContentView,
    /// Submission, fixes and reviews in order.
    pub lineage: Vec<LineageView>,
    /// May this user fix it?
    pub can_fix: bool,
    /// Is a change to it still waiting to be sent?
    pub pending: bool,
}

/// The fix of a returned visit: each field left `None` keeps its current value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct FixVisitInput {
    /// Visit id.
    pub visit_id: String,
    /// Mode code.
    pub mode: Option<String>,
    /// Visit type code.
    pub kind: Option<String>,
    /// Campaign code (for campaign visits).
    pub campaign: Option<String>,
    /// Members met (person ids).
    pub persons_met: Option<Vec<String>>,
    /// Service given.
    pub service: Option<String>,
    /// Follow-up date `YYYY-MM-DD`; an empty string clears it.
    pub follow_up: Option<String>,
    /// 民情日记.
    pub note: Option<String>,
}

/// The fix of a returned contact log: each field left `None` keeps its current value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct FixContactInput {
    /// Contact log id.
    pub contact_id: String,
    /// Mode code.
    pub mode: Option<String>,
    /// What was discussed.
    pub note: Option<String>,
}
