//! The data the field app's UI sends and receives: one struct per screen or form.
//!
//! Field names are snake_case on both sides. Enumerated values travel as their stable
//! codes (the codes of `gridwalk-core`, listed for the UI by [`FormOptions`]); the UI turns
//! a code into words through vue-i18n. Instants are UTC milliseconds; dates are
//! `YYYY-MM-DD` in Asia/Shanghai. Every type derives `ts_rs::TS`; the generated TypeScript
//! is checked in under `ui/src/bindings/`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

/// The household list's filters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct HouseholdQuery {
    /// Search text: name, address, phone tail or tag label.
    pub text: String,
    /// Care tag code.
    pub tag: Option<String>,
    /// Micro-grid id.
    pub micro_grid: Option<String>,
    /// `due` or `overdue` to keep only those.
    pub due: Option<String>,
}

/// The household list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HouseholdList {
    /// Every matching household (the UI virtualizes the rendering).
    pub items: Vec<HouseholdListItem>,
    /// Time the query took in Rust.
    pub elapsed_ms: f64,
}

/// One row of the household list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HouseholdListItem {
    /// Household id.
    pub id: String,
    /// Address line.
    pub address: String,
    /// Members' names, head first.
    pub member_names: String,
    /// Care tag codes.
    pub tags: Vec<String>,
    /// Micro-grid id.
    pub micro_grid_id: Option<String>,
    /// Masked phones.
    pub phones_masked: String,
    /// Days since the last in-person visit; `None` if never.
    #[ts(type = "number | null")]
    pub days_since_seen: Option<i64>,
    /// Due or overdue by rule: `due`, `overdue` or `None`.
    pub due: Option<String>,
    /// Open conflicts.
    #[ts(type = "number")]
    pub conflict_count: i64,
}

/// The household card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HouseholdCard {
    /// Household id.
    pub id: String,
    /// Address line.
    pub address: String,
    /// `occupied`, `empty`, `rented`.
    pub status: String,
    /// Grid.
    pub grid_id: String,
    /// Micro-grid.
    pub micro_grid_id: Option<String>,
    /// Care tag codes.
    pub tags: Vec<String>,
    /// Special-group tags, only for roles that may see them.
    pub special_tags: Vec<String>,
    /// Members.
    pub members: Vec<MemberView>,
    /// Visits, newest first.
    pub visits: Vec<VisitView>,
    /// Related incidents.
    pub incidents: Vec<IncidentListItem>,
    /// The contactor(s) assigned to it.
    pub contactors: Vec<Choice>,
    /// Days since the last in-person visit.
    #[ts(type = "number | null")]
    pub days_since_seen: Option<i64>,
    /// May this role reveal identity numbers and phones?
    pub can_reveal: bool,
    /// Open conflicts on this household.
    pub conflicts: Vec<ConflictView>,
}

/// One member, masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MemberView {
    /// Person id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Relation code.
    pub relation: String,
    /// Identity document kind code.
    pub id_kind: Option<String>,
    /// Masked identity number.
    pub id_masked: Option<String>,
    /// Masked phone.
    pub phone_masked: Option<String>,
    /// Year of birth.
    #[ts(type = "number | null")]
    pub birth_year: Option<i64>,
}

/// One visit on the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VisitView {
    /// Visit id.
    pub id: String,
    /// When.
    #[ts(type = "number")]
    pub at: i64,
    /// Visitor's name (from reference users), or the user id.
    pub visitor: String,
    /// Mode code.
    pub mode: String,
    /// Kind code.
    pub kind: String,
    /// Note.
    pub note: String,
    /// Service given.
    pub service: String,
    /// Needs' texts.
    pub needs: Vec<String>,
    /// Follow-up date.
    pub follow_up: Option<String>,
    /// Was GPS recorded?
    pub has_gps: bool,
    /// Review state: `approve`, `return` or `None`.
    pub review: Option<String>,
    /// Still waiting to be sent?
    pub pending: bool,
}

/// A revealed value (audited on the device, uploaded with the next sync).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RevealRequest {
    /// Household.
    pub household_id: String,
    /// Person.
    pub person_id: String,
    /// `id_number` or `phone`.
    pub field: String,
}

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

/// One same-field conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConflictView {
    /// The document.
    pub doc_id: String,
    /// Household id, when the document is a household.
    pub household_id: Option<String>,
    /// What the field is (`members/<id>/phone`).
    pub path: String,
    /// A readable name for the field: the member's name and the field code.
    pub field: String,
    /// Who the field belongs to (member name, household address).
    pub subject: String,
    /// The competing values.
    pub values: Vec<ConflictValueView>,
}

/// One competing value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConflictValueView {
    /// The write's HLC: the key to pick it.
    pub hlc: String,
    /// The value, shown as text (masked when the role may not see it).
    pub value: String,
    /// Author's name, or user id.
    pub by: String,
    /// When (from the HLC).
    #[ts(type = "number")]
    pub at: i64,
}

/// Picking one value of a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResolveInput {
    /// The document.
    pub doc_id: String,
    /// The field path.
    pub path: String,
    /// The HLC of the chosen value.
    pub pick: String,
}

/// Editing one member field (phone, name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MemberEditInput {
    /// Household.
    pub household_id: String,
    /// Person.
    pub person_id: String,
    /// `phone` or `name`.
    pub field: String,
    /// New value.
    pub value: String,
}

/// The add-a-member form. The full identity number goes only to the household's private
/// document; the household document and the card show it masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewMemberInput {
    /// Household.
    pub household_id: String,
    /// Name (required, at most 50 characters).
    pub name: String,
    /// Relation code (`head`, `spouse`, `child`, …; see [`FormOptions::relations`]).
    pub relation: String,
    /// Identity document kind code (see [`FormOptions::id_kinds`]); needed when
    /// `id_number` is given.
    pub id_kind: Option<String>,
    /// The full identity number; `None` or blank when the person has none (newborns).
    pub id_number: Option<String>,
    /// Mobile, or a landline with its area code; `None` or blank for none.
    pub phone: Option<String>,
    /// Year of birth (1900 to this year).
    #[ts(type = "number | null")]
    pub birth_year: Option<i64>,
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
