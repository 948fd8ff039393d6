//! The review status of a visit or contact log, as the rows carry it (issue 5).
//!
//! The status itself is core's rule (`gridwalk_core::doc::review::status`): unreviewed,
//! returned ("需修改"), resubmitted after a fix, or approved. The rows add the latest
//! return's reason, reviewer and time, kept after a fix so a record's view can still say
//! what was asked for. The lineage needs the document's history and is read from the
//! document when a record is opened, never stored in rows.

use gridwalk_core::doc::household::{Decision, HouseholdDoc};
use gridwalk_core::doc::review::{self, RecordKind};

/// What the rows store about a record's reviews.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewState {
    /// `unreviewed`, `returned`, `resubmitted` or `approved`.
    pub status: &'static str,
    /// The latest review's decision code (`approve` / `return`).
    pub latest: Option<&'static str>,
    /// The latest return's reason.
    pub reason: Option<String>,
    /// Who made the latest return (user id).
    pub by: Option<String>,
    /// When (UTC ms, from the return's HLC).
    pub at: Option<i64>,
}

impl ReviewState {
    /// A record nobody has reviewed.
    pub fn unreviewed() -> ReviewState {
        ReviewState {
            status: "unreviewed",
            ..ReviewState::default()
        }
    }
}

/// Milliseconds of an HLC's text form; 0 if malformed.
pub fn hlc_ms(text: &str) -> i64 {
    text.parse::<gridwalk_core::Hlc>()
        .map(|h| h.wall_ms)
        .unwrap_or(0)
}

/// The review state of record `id` of `kind` in household `h`.
pub fn review_state(h: &HouseholdDoc, kind: RecordKind, id: &str) -> ReviewState {
    let Some(status) = review::status(h, kind, id) else {
        return ReviewState::unreviewed();
    };
    let reviews = review::reviews_of(h, kind, id);
    let last_return = reviews
        .iter()
        .rev()
        .find(|r| r.decision == Decision::Return);
    ReviewState {
        status: status.code(),
        latest: reviews.last().map(|r| match r.decision {
            Decision::Approve => "approve",
            Decision::Return => "return",
        }),
        reason: last_return.map(|r| r.reason.clone()),
        by: last_return.map(|r| r.reviewer_user.clone()),
        at: last_return.map(|r| hlc_ms(&r.hlc)),
    }
}
