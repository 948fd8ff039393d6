//! Pull: what a device gets back, per grid of its scope (DESIGN.md §3).
//!
//! - A grid in scope with no cursor starts its first sync ([`crate::first_sync`]); when
//!   the snapshots are done, the same response goes on with the grid's feed.
//! - Feed mode serves the entries after the cursor, filtered to the device's scope:
//!   change bytes (never the device's own: the origin device is recorded with each change),
//!   grants (the whole snapshot of a document that entered the scope) and revokes (a
//!   document that left it; a whole-grid revoke expands to every document of the grid).
//!   A revoke is not sent for a document that is still in the device's scope (a move
//!   between two grids it holds). Changes and grants go only for documents in the scope
//!   now, under the grid they are in now (not the grid of the feed that carried them: a
//!   device files a document under the grid it is delivered under, and heeds a revoke
//!   only from that grid).
//! - A grid the device still holds but that left its scope (a reassignment) serves only
//!   the revokes meant for this user, so the device learns why, and its cursor moves on.
//! - The response is bounded by `page_bytes`; `more` tells the device to call again.
//!   Grids that were not reached keep their cursor.
//!
//! Every delivery of a private document is audited as a read of private data.

use std::collections::{BTreeMap, HashMap};

use gridwalk_core::doc::DocKind;
use gridwalk_core::protocol::{PulledDoc, Revoke, RevokeReason};
use serde_bytes::ByteBuf;

use crate::auth::Authed;
use crate::cursor::Cursor;
use crate::error::AppError;
use crate::first_sync;
use crate::loaded::fresh_snapshot;
use crate::scope::DeviceScope;
use crate::state::AppState;
use crate::storage::{AuditRow, FeedEntry, FeedKind};

/// Feed entries read per storage call.
const BATCH: usize = 512;

/// A response being filled.
pub struct Page<'a> {
    /// Server state.
    pub state: &'a AppState,
    /// The device and user.
    pub authed: &'a Authed,
    /// The device's scope.
    pub scope: &'a DeviceScope,
    /// Bytes of snapshots and changes so far.
    pub used: usize,
    /// Delivered documents.
    pub docs: Vec<PulledDoc>,
    /// Revokes.
    pub revokes: Vec<Revoke>,
    /// New cursors.
    pub cursors: BTreeMap<String, String>,
    /// Set when the budget ran out.
    pub more: bool,
    /// Audit rows (private reads).
    pub audit: Vec<AuditRow>,
    index: HashMap<String, usize>,
}

impl<'a> Page<'a> {
    /// An empty page.
    pub fn new(state: &'a AppState, authed: &'a Authed, scope: &'a DeviceScope) -> Page<'a> {
        Page {
            state,
            authed,
            scope,
            used: 0,
            docs: Vec::new(),
            revokes: Vec::new(),
            cursors: BTreeMap::new(),
            more: false,
            audit: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Has the page reached its byte budget? Sets `more` when it has.
    pub fn full(&mut self) -> bool {
        if self.used >= self.state.limits.page_bytes {
            self.more = true;
        }
        self.more
    }

    /// Records a delivery of a private document.
    pub fn audit_private(&mut self, doc_id: &str) {
        self.audit.push(AuditRow {
            at: self.state.now(),
            user_id: Some(self.authed.user.id.clone()),
            device_id: Some(self.authed.device.id.clone()),
            action: "read_private".into(),
            doc_id: Some(doc_id.to_string()),
            target: None,
            event_id: None,
        });
    }

    /// Delivers a whole snapshot of a document.
    pub fn snapshot(&mut self, doc_id: &str, kind: DocKind, grid: &str, bytes: Vec<u8>) {
        self.used += bytes.len();
        self.entry(doc_id, kind, grid).snapshot = Some(ByteBuf::from(bytes));
    }

    fn entry(&mut self, doc_id: &str, kind: DocKind, grid: &str) -> &mut PulledDoc {
        let i = match self.index.get(doc_id) {
            Some(&i) => i,
            None => {
                self.docs.push(PulledDoc {
                    doc_id: doc_id.to_string(),
                    kind,
                    grid_id: grid.to_string(),
                    snapshot: None,
                    changes: Vec::new(),
                });
                if kind == DocKind::HouseholdPrivate {
                    self.audit_private(doc_id);
                }
                self.docs.len() - 1
            }
        };
        self.index.insert(doc_id.to_string(), i);
        // Every delivery names the grid the document is in as read; read again after a
        // move that committed meanwhile, the later read tells where it lives now.
        if self.docs[i].grid_id != grid {
            self.docs[i].grid_id = grid.to_string();
        }
        &mut self.docs[i]
    }

    fn for_me(&self, e: &FeedEntry) -> bool {
        e.target_user
            .as_ref()
            .is_none_or(|u| *u == self.authed.user.id)
    }

    fn revoke_doc(&mut self, doc_id: &str, grid: &str, reason: RevokeReason) {
        self.revokes.push(Revoke {
            doc_id: doc_id.to_string(),
            grid_id: grid.to_string(),
            reason,
        });
    }

    fn revoke_grid(&mut self, grid: &str, reason: RevokeReason) -> Result<(), AppError> {
        let mut last = String::new();
        loop {
            let metas = self.state.storage.docs_in_grid(grid, &last, BATCH)?;
            let done = metas.len() < BATCH;
            for m in metas {
                last = m.id.clone();
                if !self.scope.admits(&m) {
                    self.revoke_doc(&m.id, grid, reason);
                }
            }
            if done {
                return Ok(());
            }
        }
    }

    fn serve_entry(
        &mut self,
        grid: &str,
        e: FeedEntry,
        revokes_only: bool,
    ) -> Result<(), AppError> {
        if !self.for_me(&e) {
            return Ok(());
        }
        match e.kind {
            FeedKind::Revoke => {
                // A grid that left the scope serves only the revokes meant for this user.
                if revokes_only && e.target_user.is_none() {
                    return Ok(());
                }
                let reason = e.reason.unwrap_or(RevokeReason::Moved);
                match e.doc_id {
                    None => self.revoke_grid(grid, reason)?,
                    Some(d) => {
                        if !e.meta.is_some_and(|m| self.scope.admits(&m)) {
                            self.revoke_doc(&d, grid, reason);
                        }
                    }
                }
            }
            _ if revokes_only => {}
            FeedKind::Change => {
                let own = e.origin_device.as_deref() == Some(self.authed.device.id.as_str());
                // Only for a document in the scope now, under the grid it is in now: a
                // household that moved to another grid the device holds is filed there,
                // and one that left the scope gets its revoke, never bare changes (a
                // device that already dropped it could not apply them).
                if let (false, Some(m), Some(bytes)) = (own, e.meta, e.bytes)
                    && self.scope.admits(&m)
                {
                    self.used += bytes.len();
                    self.entry(&m.id, m.kind, &m.grid_id)
                        .changes
                        .push(ByteBuf::from(bytes));
                }
            }
            FeedKind::Grant => {
                if let Some(m) = e.meta
                    && self.scope.admits(&m)
                    && let Some(stored) = self.state.storage.load_doc(&m.id)?
                {
                    // Filed under the grid the document is in now, not the grid of
                    // this feed: a grant written before a move (a party member's link)
                    // must not file the household under its old grid, where the
                    // revokes it gets from now on would never reach it.
                    let snapshot = fresh_snapshot(self.state, stored)?;
                    self.snapshot(&m.id, m.kind, &m.grid_id, snapshot);
                }
            }
        }
        Ok(())
    }

    /// Serves a grid's feed after `seq`; returns the new cursor.
    fn serve_feed(
        &mut self,
        grid: &str,
        mut seq: i64,
        revokes_only: bool,
    ) -> Result<Cursor, AppError> {
        loop {
            let entries = self.state.storage.feed_after(grid, seq, BATCH)?;
            let done = entries.len() < BATCH;
            for e in entries {
                seq = e.seq;
                self.serve_entry(grid, e, revokes_only)?;
                if self.full() {
                    return Ok(Cursor::Feed(seq));
                }
            }
            if done {
                return Ok(Cursor::Feed(seq));
            }
        }
    }
}

/// Fills a page for the device's cursors.
pub fn pull<'a>(
    state: &'a AppState,
    authed: &'a Authed,
    scope: &'a DeviceScope,
    cursors: &BTreeMap<String, String>,
) -> Result<Page<'a>, AppError> {
    let mut page = Page::new(state, authed, scope);
    let st = &state.storage;
    for grid in &scope.grids {
        let sent = cursors.get(grid);
        if page.more {
            if let Some(c) = sent {
                page.cursors.insert(grid.clone(), c.clone());
            }
            continue;
        }
        let cursor = match sent.and_then(|c| Cursor::parse(c)) {
            Some(Cursor::Feed(seq)) => page.serve_feed(grid, seq, false)?,
            Some(Cursor::FirstSync(hw, last)) => first_then_feed(&mut page, grid, hw, &last)?,
            None => {
                let hw = st.high_water(grid)?;
                first_then_feed(&mut page, grid, hw, "")?
            }
        };
        page.cursors.insert(grid.clone(), cursor.text());
    }
    for (grid, c) in cursors {
        if scope.grids.contains(grid) || page.more {
            continue;
        }
        if let Some(c) = Cursor::parse(c) {
            let next = page.serve_feed(grid, c.seen_seq(), true)?;
            page.cursors.insert(grid.clone(), next.text());
        }
    }
    Ok(page)
}

fn first_then_feed(
    page: &mut Page<'_>,
    grid: &str,
    hw: i64,
    last: &str,
) -> Result<Cursor, AppError> {
    match first_sync::serve(page, grid, hw, last)? {
        Cursor::Feed(hw) if !page.full() => page.serve_feed(grid, hw, false),
        c => Ok(c),
    }
}
