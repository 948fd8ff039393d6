//! The grace rule (DESIGN.md §3): a change a device made before it saw a revoke is still
//! accepted, so nothing recorded offline in good faith is lost.
//!
//! A document out of the device's scope is in grace when a revoke of it (or of its whole
//! grid, for this user) sits in a grid feed after the device's cursor for that grid: the
//! device had not pulled the revoke when it pushed; a revoke for one user in a grid the
//! device has no cursor for (it never pulled that grid) counts as not pulled. A revoke for
//! one user concerns that user's devices. A revoke for everyone (a household that moved grid) concerns the
//! devices that held the document under the old grid, which the document's metadata can
//! no longer tell, since it shows where the household went:
//! - a whole-grid filter (grid worker, grid head) or a party member's links still admit
//!   it as before;
//! - a part-time worker held it if it was in the worker's micro-grid of the old grid. The
//!   old micro-grid is not kept with the revoke, so every part-time worker of the old
//!   grid (whose cursor shows it held that grid) gets the grace for a moved household.
//!   The actor check still binds every change to the pushing device.

use gridwalk_core::doc::DocKind;
use gridwalk_core::protocol::RevokeReason;

use crate::cursor::Cursor;
use crate::error::AppError;
use crate::push::PushCtx;
use crate::scope::DocFilter;
use crate::storage::{DocMeta, FeedEntry};

/// Is a change to `m`, which is out of the device's scope, in grace?
pub fn in_grace(cx: &PushCtx<'_>, m: &DocMeta) -> Result<bool, AppError> {
    for (grid, e) in cx.state.storage.revokes_of(&m.id, &m.grid_id)? {
        let mine = e.target_user.as_deref() == Some(cx.authed.user.id.as_str());
        match cx.cursors.get(&grid).and_then(|c| Cursor::parse(c)) {
            Some(c) if c.seen_seq() >= e.seq => continue,
            // A grid the device never pulled: it cannot have seen a revoke meant for its
            // user there (a link that ended after the household moved to that grid).
            None if !mine => continue,
            _ => {}
        }
        let concerns = match &e.target_user {
            Some(u) => *u == cx.authed.user.id,
            None => cx.scope.admits_doc(m) || moved_from_micro_grid(cx, m, &e),
        };
        if concerns {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A household moved out of the grid a part-time worker holds (see the module docs).
fn moved_from_micro_grid(cx: &PushCtx<'_>, m: &DocMeta, e: &FeedEntry) -> bool {
    e.reason == Some(RevokeReason::Moved)
        && m.kind == DocKind::Household
        && matches!(cx.scope.filter, DocFilter::MicroGrid(_))
}
