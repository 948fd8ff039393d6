//! The household list, the household card, members and revealing a masked value.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Choice;
use super::conflicts::ConflictView;
use super::incidents::IncidentListItem;

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
    /// Latest review decision: `approve`, `return` or `None`.
    pub review: Option<String>,
    /// `unreviewed` (待审核), `returned` (需修改), `resubmitted` (已重新提交) or `approved`.
    pub review_status: String,
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
