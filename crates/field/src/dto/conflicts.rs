//! Same-field conflicts and picking one value.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
