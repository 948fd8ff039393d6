//! The console's JSON contract (`/api/v1/console/`): sessions, the review queue and incident
//! dispatch. Every type derives `ts_rs::TS`; the TypeScript twins are generated into
//! `ui/src/bindings/console.ts` (see [`super::bindings`]).
//!
//! Field names are snake_case on both sides; enumerated values travel as core's stable
//! codes; instants are UTC milliseconds.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An error as every console endpoint returns it: a stable code and a reason in each language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "ErrorBody")]
pub struct ErrorView {
    /// Stable code (`csrf_failed`, `action_not_allowed`, …).
    pub code: String,
    /// The reason in Chinese.
    pub message_zh: String,
    /// The reason in English.
    pub message_en: String,
    /// The request field the error is about, when it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

/// `POST /session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoginRequest {
    /// The username.
    pub username: String,
    /// The password.
    pub password: String,
}

/// The signed-in console user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "ConsoleUser")]
pub struct ConsoleUserView {
    /// User id.
    pub id: String,
    /// Username.
    pub username: String,
    /// Display name.
    pub name: String,
    /// Role code.
    pub role: String,
    /// The user's area (grid, community or township), if any.
    pub area_id: Option<String>,
    /// That area's name.
    pub area_name: Option<String>,
}

/// `POST /session` and `GET /session`: who is signed in, and the CSRF token every non-GET
/// request must send as `X-CSRF-Token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionBody {
    /// The user.
    pub user: ConsoleUserView,
    /// The session's CSRF token.
    pub csrf_token: String,
}

/// Where a record stands in the review loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Nobody has reviewed it.
    Unreviewed,
    /// Fixed after a review: waiting again.
    Resubmitted,
    /// Returned with a reason, not fixed yet.
    Returned,
    /// Approved.
    Approved,
}

/// The queue's status filter (`unreviewed` includes `resubmitted`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewFilter {
    /// Unreviewed or resubmitted.
    Unreviewed,
    /// Returned.
    Returned,
    /// Approved.
    Approved,
}

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 通过.
    Approve,
    /// 退回.
    Return,
}

/// Visit or contact log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A visit.
    Visit,
    /// A contact log.
    Contact,
}

/// `GET /reviews` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewQuery {
    /// Status filter; all statuses when absent.
    pub status: Option<ReviewFilter>,
    /// One grid only.
    pub grid_id: Option<String>,
    /// Text to find in the address, author, note or service.
    pub q: Option<String>,
    /// Items to skip.
    pub offset: Option<u32>,
    /// Items to return (default 50, at most 500).
    pub limit: Option<u32>,
}

/// The latest review of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LastReview {
    /// Approve or return.
    pub decision: Decision,
    /// The return's reason (empty for an approval).
    pub reason: String,
    /// The reviewer's name.
    pub reviewer_name: String,
    /// When, UTC ms.
    #[ts(type = "number")]
    pub at: i64,
}

/// One visit or contact log in the review queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewItem {
    /// Household id.
    pub household_id: String,
    /// Visit or contact log.
    pub record_kind: RecordKind,
    /// The record's id.
    pub record_id: String,
    /// The household's grid now.
    pub grid_id: String,
    /// That grid's name.
    pub grid_name: String,
    /// The household's address.
    pub address: String,
    /// Who recorded it.
    pub author_name: String,
    /// Their role code.
    pub author_role: String,
    /// When it happened, UTC ms.
    #[ts(type = "number")]
    pub at: i64,
    /// Contact mode code (`in_person`, `phone`, `video`).
    pub mode: String,
    /// Visit kind code; null for a contact log.
    pub visit_kind: Option<String>,
    /// 民情日记 / what was discussed.
    pub note: String,
    /// Service given (empty for a contact log).
    pub service: String,
    /// Household changes seen, as observation kind codes.
    pub observations: Vec<String>,
    /// Needs raised.
    pub needs: u32,
    /// Review status.
    pub status: ReviewStatus,
    /// The latest review, if any.
    pub last_review: Option<LastReview>,
    /// Content writes after the submission.
    pub fixes: u32,
}

/// `GET /reviews` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewPage {
    /// Matching records in all.
    pub total: u32,
    /// This page, newest first.
    pub items: Vec<ReviewItem>,
}

/// What a lineage step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LineageKind {
    /// First saved.
    Submitted,
    /// A later content write.
    Fixed,
    /// Approved.
    Approved,
    /// Returned.
    Returned,
}

/// One step of a record's lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LineageEntry {
    /// When (the step's clock), UTC ms.
    #[ts(type = "number")]
    pub at: i64,
    /// What happened.
    pub kind: LineageKind,
    /// Who.
    pub by_name: String,
    /// Their role code, where recorded.
    pub role: Option<String>,
    /// A return's reason.
    pub reason: Option<String>,
    /// The note as written at this step (submission and fixes).
    pub note: Option<String>,
    /// The service as written at this step.
    pub service: Option<String>,
    /// The mode as written at this step.
    pub mode: Option<String>,
}

/// `GET /reviews/{household_id}/{record_id}` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewDetail {
    /// The record.
    pub item: ReviewItem,
    /// Every step, in clock order.
    pub lineage: Vec<LineageEntry>,
}

/// One record named in a review request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewKey {
    /// Household id.
    pub household_id: String,
    /// Visit or contact-log id.
    pub record_id: String,
}

/// `POST /reviews`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewRequest {
    /// Approve or return.
    pub decision: Decision,
    /// Required for a return.
    pub reason: Option<String>,
    /// At most 500 records.
    pub items: Vec<ReviewKey>,
}

/// The outcome for one record of a review request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewResult {
    /// Household id.
    pub household_id: String,
    /// Record id.
    pub record_id: String,
    /// Written.
    pub ok: bool,
    /// Why not.
    pub error: Option<ErrorView>,
}

/// `POST /reviews` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewResults {
    /// One per requested record, in order.
    pub results: Vec<ReviewResult>,
}

/// 督办 as derived (or on time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SupervisionLevel {
    /// Not overdue.
    OnTime,
    /// Past its deadline.
    Overdue,
    /// 黄牌: a whole working day past due.
    Yellow,
    /// 红牌: three working days past due.
    Red,
}

/// `GET /incidents` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IncidentQuery {
    /// State code.
    pub state: Option<String>,
    /// One grid only.
    pub grid_id: Option<String>,
    /// Items to skip.
    pub offset: Option<u32>,
    /// Items to return (default 50, at most 500).
    pub limit: Option<u32>,
}

/// One incident in the dispatch list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IncidentItem {
    /// Incident id.
    pub id: String,
    /// First line of the description.
    pub summary: String,
    /// Category code.
    pub category_code: String,
    /// Category name.
    pub category_name: String,
    /// Platform code, once known.
    pub platform: Option<String>,
    /// Urgency code.
    pub urgency: String,
    /// Effective state code.
    pub state: String,
    /// Grid id.
    pub grid_id: String,
    /// Grid name.
    pub grid_name: String,
    /// Reported, UTC ms.
    #[ts(type = "number")]
    pub reported_at: i64,
    /// Reporter's name.
    pub reporter_name: String,
    /// The routed handling unit.
    pub unit_id: Option<String>,
    /// Its name.
    pub unit_name: Option<String>,
    /// The running deadline, UTC ms.
    #[ts(type = "number | null")]
    pub deadline: Option<i64>,
    /// 督办 level.
    pub supervision: SupervisionLevel,
    /// 督办 raised by hand.
    pub manual_supervision: bool,
}

/// `GET /incidents` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IncidentPage {
    /// Matching incidents in all.
    pub total: u32,
    /// This page, newest first.
    pub items: Vec<IncidentItem>,
}

/// One event of an incident's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IncidentEventItem {
    /// Event id.
    pub id: String,
    /// Action code.
    pub action: String,
    /// The action in Chinese.
    pub action_label_zh: String,
    /// Who.
    pub actor_name: String,
    /// Their role code.
    pub role: String,
    /// When, UTC ms.
    #[ts(type = "number")]
    pub at: i64,
    /// Note or result.
    pub note: Option<String>,
    /// Illegal at its place after a merge: kept, without effect.
    pub flagged: bool,
}

/// A handling unit the dispatcher may route to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnitItem {
    /// Unit id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Platform code, for township units.
    pub platform: Option<String>,
    /// `township` or `county`.
    pub level: String,
}

/// `GET /incidents/{id}` and `POST /incidents/{id}/actions` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IncidentDetail {
    /// The list row.
    pub item: IncidentItem,
    /// Full description.
    pub description: String,
    /// Where.
    pub location: Option<String>,
    /// Parties involved.
    pub parties: Option<String>,
    /// The event log in order.
    pub events: Vec<IncidentEventItem>,
    /// Action codes this user may take now.
    pub allowed_actions: Vec<String>,
    /// Units to route to.
    pub units: Vec<UnitItem>,
}

/// `POST /incidents/{id}/actions`; unused fields are null.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IncidentActionRequest {
    /// Action code.
    pub action: String,
    /// Note, reason or result.
    pub note: Option<String>,
    /// Unit to route to.
    pub unit_id: Option<String>,
    /// Platform to route to.
    pub platform: Option<String>,
    /// Working days of a delay.
    pub days: Option<u32>,
    /// Rating level code.
    pub rating: Option<String>,
    /// Rating channel code (the console records `callback`).
    pub channel: Option<String>,
}
