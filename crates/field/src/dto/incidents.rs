//! Reporting an incident, the incident list and detail, and acting on one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Choice;
use super::records::GpsInput;

/// The report-an-incident form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewIncidentInput {
    /// Category leaf code (its platform comes from the tree).
    pub category: String,
    /// Urgency code.
    pub urgency: String,
    /// Location text.
    pub location: String,
    /// GPS, if any.
    pub gps: Option<GpsInput>,
    /// Parties.
    pub parties: String,
    /// Description.
    pub description: String,
    /// Linked households.
    pub households: Vec<String>,
    /// 网格自办: the result recorded on the spot (required for categories whose platform is
    /// `in_grid`).
    pub self_handled_result: Option<String>,
}

/// One incident in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IncidentListItem {
    /// Incident id.
    pub id: String,
    /// Category code.
    pub category: String,
    /// Category name.
    pub category_name: String,
    /// Platform code (`comprehensive`, `market`, `law_enforcement`, `public_service` or
    /// `in_grid`).
    pub platform: String,
    /// State code.
    pub state: String,
    /// Urgency code.
    pub urgency: String,
    /// Description (first line).
    pub description: String,
    /// Location.
    pub location: String,
    /// Created.
    #[ts(type = "number")]
    pub created_at: i64,
    /// 督办 level of a routed open item past its deadline: `overdue` (less than one working
    /// day past), `yellow` (one or more), `red` (three or more); `None` when not overdue.
    pub supervision: Option<String>,
}

/// One event on the incident timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventView {
    /// Event id.
    pub id: String,
    /// Action code.
    pub action: String,
    /// Actor's name, or user id.
    pub actor: String,
    /// Actor's role code.
    pub role: String,
    /// When (from the HLC).
    #[ts(type = "number")]
    pub at: i64,
    /// Note.
    pub note: String,
    /// Action fields (`unit`, `days`, `level`, …).
    pub fields: Vec<Choice>,
    /// Kept in the log but not applied (illegal after a merge), with the reason code.
    pub flagged: Option<String>,
}

/// Incident detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IncidentDetail {
    /// The incident.
    pub incident: IncidentListItem,
    /// Parties.
    pub parties: String,
    /// Linked households: id and address.
    pub households: Vec<Choice>,
    /// Handling unit, once routed.
    pub unit: Option<String>,
    /// Deadline of the current stage, if any.
    #[ts(type = "number | null")]
    pub deadline_at: Option<i64>,
    /// The event log in HLC order.
    pub timeline: Vec<EventView>,
    /// The actions this user may take now (action codes).
    pub allowed_actions: Vec<String>,
}

/// An action on an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IncidentActionInput {
    /// Incident id.
    pub incident_id: String,
    /// Action code.
    pub action: String,
    /// Note.
    pub note: String,
    /// Action fields.
    pub fields: Vec<Choice>,
}
