//! Feed entries (change, grant, revoke) and the scope changes that append grants and
//! revokes.

use gridwalk_core::protocol::RevokeReason;
use gridwalk_core::reference::ContactAssignment;

use super::{AuditRow, DocMeta, Placement};

/// The kind of a feed entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// A stored change.
    Change,
    /// A document entered the grid (or a user's scope in it): deliver its snapshot.
    Grant,
    /// A document left the grid (or a user's scope in it).
    Revoke,
}

impl FeedKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            FeedKind::Change => "change",
            FeedKind::Grant => "grant",
            FeedKind::Revoke => "revoke",
        }
    }

    /// Parses a stored code.
    pub fn from_code(s: &str) -> Option<FeedKind> {
        match s {
            "change" => Some(FeedKind::Change),
            "grant" => Some(FeedKind::Grant),
            "revoke" => Some(FeedKind::Revoke),
            _ => None,
        }
    }
}

/// The stored code of a revoke reason.
pub fn reason_code(r: RevokeReason) -> &'static str {
    match r {
        RevokeReason::Moved => "moved",
        RevokeReason::Reassigned => "reassigned",
        RevokeReason::LinkEnded => "link_ended",
    }
}

/// Parses a stored revoke reason.
pub fn reason_from_code(s: &str) -> Option<RevokeReason> {
    match s {
        "moved" => Some(RevokeReason::Moved),
        "reassigned" => Some(RevokeReason::Reassigned),
        "link_ended" => Some(RevokeReason::LinkEnded),
        _ => None,
    }
}

/// A grant or revoke to append to a grid's feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedEntry {
    /// The grid whose feed it goes to.
    pub grid_id: String,
    /// Grant or revoke.
    pub kind: FeedKind,
    /// The document; `None` on a revoke means every document of the grid.
    pub doc_id: Option<String>,
    /// Only this user's devices, or everyone holding the grid.
    pub target_user: Option<String>,
    /// Why, for a revoke.
    pub reason: Option<RevokeReason>,
}

/// One entry read from a grid's feed, with what pull needs to serve it.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    /// Sequence number in the grid.
    pub seq: i64,
    /// Change, grant or revoke.
    pub kind: FeedKind,
    /// The document (`None`: a whole-grid revoke).
    pub doc_id: Option<String>,
    /// Change hash, for a change.
    pub hash: Option<String>,
    /// The only user it concerns, if any.
    pub target_user: Option<String>,
    /// Why, for a revoke.
    pub reason: Option<RevokeReason>,
    /// The device that pushed a change.
    pub origin_device: Option<String>,
    /// The change bytes, for a change.
    pub bytes: Option<Vec<u8>>,
    /// The document as it is now (absent for a whole-grid revoke).
    pub meta: Option<DocMeta>,
}

/// A change to the scope of documents or users, applied in one transaction with its feed
/// entries (see [`crate::scope`] for the policy that builds it).
#[derive(Debug, Clone, Default)]
pub struct ScopeChange {
    /// Placements to set (a household moved).
    pub placements: Vec<Placement>,
    /// Documents whose current grid changes: (doc id, new grid).
    pub doc_grids: Vec<(String, String)>,
    /// Users whose area changes: (user id, new area).
    pub user_areas: Vec<(String, String)>,
    /// Assignments to end: (assignment id, last valid day `YYYY-MM-DD`).
    pub end_assignments: Vec<(String, String)>,
    /// Assignments to add.
    pub add_assignments: Vec<ContactAssignment>,
    /// Grants and revokes.
    pub feed: Vec<NewFeedEntry>,
    /// Audit rows.
    pub audit: Vec<AuditRow>,
    /// When, UTC ms.
    pub at: i64,
}
