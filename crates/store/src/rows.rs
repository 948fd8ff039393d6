//! The materialized rows the UI reads, one struct per table.
//!
//! Instants are UTC milliseconds; enum values are their stable snake_case codes; nested
//! values (tags, persons met, needs, conflict values) are JSON text. A soft-deleted record
//! keeps its row with `deleted_at` set; list queries leave those rows out.

use serde::Serialize;

/// One household (table `households`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HouseholdRow {
    /// Household id.
    pub id: String,
    /// The document it comes from.
    pub doc_id: String,
    /// The grid the household is in now (the document's feed grid).
    pub grid_id: String,
    /// Micro-grid.
    pub micro_grid_id: Option<String>,
    /// The address as one line (丽阳街88号3幢2单元301室).
    pub address: String,
    /// The structured address, as JSON.
    pub address_json: String,
    /// `occupied`, `empty` or `rented`.
    pub status: String,
    /// Care tags with validity, as JSON `{code: {valid_from, valid_to}}`.
    pub tags: String,
    /// Care tag labels in Chinese, joined by `、`.
    pub tag_labels: String,
    /// Live members' names, joined by `、`, head first.
    pub member_names: String,
    /// Live members.
    pub member_count: i64,
    /// Live members' phones, masked, joined by a space.
    pub phones_masked: String,
    /// Live visits.
    pub visit_count: i64,
    /// Latest live visit, any mode.
    pub last_visit_at: Option<i64>,
    /// Latest live in-person visit or in-person contact log ("seen").
    pub last_in_person_at: Option<i64>,
    /// Latest live visit or contact log, any mode.
    pub last_contact_at: Option<i64>,
    /// Open same-field conflicts in the document.
    pub conflict_count: i64,
    /// Creating user.
    pub created_by: String,
    /// Creation time.
    pub created_at: i64,
    /// Soft delete.
    pub deleted_at: Option<i64>,
}

/// One member (table `members`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberRow {
    /// The document it comes from.
    pub doc_id: String,
    /// Person id.
    pub id: String,
    /// Household id.
    pub household_id: String,
    /// Name (latest by HLC when in conflict).
    pub name: String,
    /// Relation code.
    pub relation: String,
    /// Identity document type code.
    pub id_kind: Option<String>,
    /// Masked identity number (the full one lives in the private document only).
    pub id_masked: Option<String>,
    /// Phone as entered; reveal it only with the permission.
    pub phone: Option<String>,
    /// Phone, masked for display.
    pub phone_masked: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i64>,
    /// Creation time.
    pub created_at: i64,
    /// Soft delete.
    pub deleted_at: Option<i64>,
}

/// One visit (table `visits`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitRow {
    /// The document it comes from.
    pub doc_id: String,
    /// Visit id.
    pub id: String,
    /// Household id.
    pub household_id: String,
    /// Visiting user.
    pub visitor_user: String,
    /// Visitor's role code.
    pub visitor_role: String,
    /// When it happened.
    pub at: i64,
    /// `in_person`, `phone` or `video`.
    pub mode: String,
    /// Visit type code.
    pub kind: String,
    /// Campaign code.
    pub campaign: Option<String>,
    /// Person ids met, JSON array.
    pub persons_met: String,
    /// Observations, JSON array.
    pub observations: String,
    /// Needs with outcomes, JSON array.
    pub needs: String,
    /// Service given.
    pub service: String,
    /// Follow-up date.
    pub follow_up: Option<String>,
    /// 民情日记 note.
    pub note: String,
    /// Was a GPS fix recorded?
    pub has_gps: bool,
    /// Latest review decision (`approve` / `return`), by HLC.
    pub review: Option<String>,
    /// `unreviewed`, `returned` (需修改), `resubmitted` or `approved` ([`crate::review`]).
    pub review_status: String,
    /// The latest return's reason.
    pub return_reason: Option<String>,
    /// Who made the latest return (user id).
    pub returned_by: Option<String>,
    /// When it was returned (UTC ms).
    pub returned_at: Option<i64>,
    /// Soft delete.
    pub deleted_at: Option<i64>,
}

/// One contact log, from a household document or a grid journal (table `contact_logs`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactLogRow {
    /// The document it comes from.
    pub doc_id: String,
    /// Log id.
    pub id: String,
    /// The household, for a household-target log; `None` for a grid journal log.
    pub household_id: Option<String>,
    /// The grid.
    pub grid_id: String,
    /// The assignment it fulfils.
    pub assignment_id: Option<String>,
    /// Contacting user.
    pub contactor_user: String,
    /// Contactor's role code.
    pub role: String,
    /// Recording device.
    pub device: String,
    /// When it happened.
    pub at: i64,
    /// HLC of the creating write.
    pub hlc: String,
    /// Mode code.
    pub mode: String,
    /// What was discussed.
    pub note: String,
    /// Latest review decision, by HLC.
    pub review: Option<String>,
    /// `unreviewed`, `returned` (需修改), `resubmitted` or `approved` ([`crate::review`]).
    pub review_status: String,
    /// The latest return's reason.
    pub return_reason: Option<String>,
    /// Who made the latest return (user id).
    pub returned_by: Option<String>,
    /// When it was returned (UTC ms).
    pub returned_at: Option<i64>,
    /// Soft delete.
    pub deleted_at: Option<i64>,
}

/// One grid note (table `grid_notes`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridNoteRow {
    /// The document it comes from.
    pub doc_id: String,
    /// Note id.
    pub id: String,
    /// The grid.
    pub grid_id: String,
    /// Author.
    pub by_user: String,
    /// When.
    pub at: i64,
    /// Text.
    pub text: String,
    /// Soft delete.
    pub deleted_at: Option<i64>,
}

/// What the private document adds to a household (table `household_private`). Full
/// identity numbers are not materialized: revealing one reads the document and is audited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrivateRow {
    /// Household id.
    pub household_id: String,
    /// The document it comes from.
    pub doc_id: String,
    /// Special-group tags with validity, JSON.
    pub special_tags: String,
    /// People with a full identity number on record.
    pub id_count: i64,
}

/// One incident (table `incidents`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentRow {
    /// Incident id.
    pub id: String,
    /// The document it comes from.
    pub doc_id: String,
    /// The grid.
    pub grid_id: String,
    /// Category code.
    pub category: String,
    /// Platform code.
    pub platform: String,
    /// Urgency code.
    pub urgency: String,
    /// Source code.
    pub source: String,
    /// Effective state code from core's incident machine.
    pub state: String,
    /// Is the incident open (reported, not closed, not finally returned)?
    pub is_open: bool,
    /// Location text.
    pub location: String,
    /// Description.
    pub description: String,
    /// Linked household ids, JSON array.
    pub households: String,
    /// Reporting user.
    pub reported_by: String,
    /// Reporter's role code.
    pub reporter_role: String,
    /// Creation time.
    pub created_at: i64,
    /// First report time.
    pub reported_at: Option<i64>,
    /// Latest routing time.
    pub routed_at: Option<i64>,
    /// Latest feedback time.
    pub handled_at: Option<i64>,
    /// Closing time.
    pub closed_at: Option<i64>,
    /// Handling unit of the latest routing.
    pub unit: Option<String>,
    /// Events kept in the log but not applied.
    pub flagged_count: i64,
    /// Events in the log.
    pub event_count: i64,
    /// Soft delete (of a draft).
    pub deleted_at: Option<i64>,
}

/// One same-field conflict waiting for a person (table `conflicts`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictRow {
    /// The document.
    pub doc_id: String,
    /// The document kind code.
    pub kind: String,
    /// The field's path, such as `members/<id>/phone`.
    pub path: String,
    /// The values with who and when, JSON array of core's `ConflictValue`.
    pub values: String,
}

/// The household's search text (FTS table `household_fts`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchRow {
    /// Household id.
    pub household_id: String,
    /// Live members' names.
    pub names: String,
    /// Address line and micro-grid.
    pub address: String,
    /// Live members' phones, digits as entered.
    pub phones: String,
    /// Care tag codes and Chinese labels.
    pub tags: String,
}

/// Every row one document materializes to.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Rows {
    /// Households (zero or one).
    pub households: Vec<HouseholdRow>,
    /// Members.
    pub members: Vec<MemberRow>,
    /// Visits.
    pub visits: Vec<VisitRow>,
    /// Contact logs.
    pub contact_logs: Vec<ContactLogRow>,
    /// Grid notes.
    pub grid_notes: Vec<GridNoteRow>,
    /// Private additions (zero or one).
    pub private: Vec<PrivateRow>,
    /// Incidents (zero or one).
    pub incidents: Vec<IncidentRow>,
    /// Open conflicts.
    pub conflicts: Vec<ConflictRow>,
    /// Search text; absent for a soft-deleted household.
    pub search: Option<SearchRow>,
}
