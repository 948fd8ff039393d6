//! The visit and contact-log forms, and the contact assignments they fulfil.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One observation on the visit form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ObservationInput {
    /// Observation kind code.
    pub kind: String,
    /// The member it is about.
    pub person_id: Option<String>,
    /// Note.
    pub note: String,
}

/// One need on the visit form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NeedInput {
    /// What the household asked for.
    pub text: String,
    /// `noted`, `incident` (reported at once) or `proxy` (a 代办 request).
    pub outcome: String,
    /// Category leaf for an incident; a general category when absent.
    pub category: Option<String>,
}

/// A GPS fix, when the platform gives one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GpsInput {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lng: f64,
    /// Accuracy in metres.
    pub accuracy_m: Option<f64>,
}

/// The new-visit form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewVisitInput {
    /// Household.
    pub household_id: String,
    /// Mode code.
    pub mode: String,
    /// Visit kind code.
    pub kind: String,
    /// Campaign code (campaign visits).
    pub campaign: Option<String>,
    /// Members met (person ids).
    pub persons_met: Vec<String>,
    /// Observations.
    pub observations: Vec<ObservationInput>,
    /// Needs.
    pub needs: Vec<NeedInput>,
    /// Service given.
    pub service: String,
    /// Follow-up date.
    pub follow_up: Option<String>,
    /// GPS, or `None` when the platform gave none.
    pub gps: Option<GpsInput>,
    /// 民情日记.
    pub note: String,
}

/// What saving a visit did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedVisit {
    /// The visit id.
    pub visit_id: String,
    /// Incidents created from needs.
    pub incident_ids: Vec<String>,
    /// Was a GPS fix saved?
    pub gps_recorded: bool,
}

/// One contact assignment (三联系 / 党员联户).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AssignmentView {
    /// Assignment id.
    pub id: String,
    /// Kind code.
    pub kind: String,
    /// The linked household, for household targets.
    pub household_id: Option<String>,
    /// What the target is called (address, or grid name).
    pub target: String,
    /// The grid.
    pub grid_id: String,
    /// Last contact.
    #[ts(type = "number | null")]
    pub last_at: Option<i64>,
    /// Next due date.
    pub due_on: Option<String>,
    /// Past due?
    pub overdue: bool,
}

/// The contact-log form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewContactInput {
    /// The assignment it fulfils.
    pub assignment_id: String,
    /// Mode code.
    pub mode: String,
    /// What was discussed.
    pub note: String,
}
