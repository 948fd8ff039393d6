//! 今日: what is due, waiting or returned, and the grid head's summary.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::conflicts::ConflictView;
use super::incidents::IncidentListItem;
use super::records::AssignmentView;
use super::sync::SyncStatus;

/// 今日.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TodayView {
    /// Visits due or overdue by tag rule.
    pub due_visits: Vec<DueVisitView>,
    /// Overdue 三联系 / 党员联户 contacts.
    pub overdue_contacts: Vec<AssignmentView>,
    /// Incidents waiting for my on-site verification.
    pub to_verify: Vec<IncidentListItem>,
    /// Open conflicts.
    pub conflicts: Vec<ConflictView>,
    /// Records a supervisor returned for a fix.
    pub returned: Vec<ReturnedView>,
    /// How many records wait for a fix (需修改; the badge on 今日).
    #[ts(type = "number")]
    pub returned_count: i64,
    /// How many incidents I reported wait for my verification.
    #[ts(type = "number")]
    pub verify_count: i64,
    /// Sync health.
    pub sync: SyncStatus,
    /// For a grid head: the grid summary.
    pub grid_summary: Option<GridSummary>,
}

/// One due visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DueVisitView {
    /// Household.
    pub household_id: String,
    /// Address line.
    pub address: String,
    /// Head's name.
    pub head_name: String,
    /// The tag whose rule makes it due.
    pub tag: String,
    /// Due date.
    pub due_on: String,
    /// Past due?
    pub overdue: bool,
    /// Days since the last in-person visit.
    #[ts(type = "number | null")]
    pub days_since_seen: Option<i64>,
}

/// A record returned for a fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReturnedView {
    /// `visit` or `contact`.
    pub record_kind: String,
    /// Record id.
    pub record_id: String,
    /// Household.
    pub household_id: Option<String>,
    /// The household's address line.
    pub address: Option<String>,
    /// When the record was made.
    #[ts(type = "number")]
    pub record_at: i64,
    /// The supervisor's reason.
    pub reason: String,
    /// Who returned it.
    pub by: String,
    /// When.
    #[ts(type = "number")]
    pub at: i64,
}

/// Grid head's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GridSummary {
    /// Occupied households in scope.
    #[ts(type = "number")]
    pub households: i64,
    /// Of those, seen in person in the coverage window.
    #[ts(type = "number")]
    pub seen: i64,
    /// Coverage percent, one decimal.
    pub coverage_percent: f64,
    /// Open incidents.
    #[ts(type = "number")]
    pub open_incidents: i64,
}
