//! The outbox (local changes waiting to be pushed), pull cursors and sync debt.
//!
//! An outbox row holds the change bytes of one user action, so pushing never needs to
//! load a document and compaction never touches what is still unsent. The sync engine
//! reads [`Store::pending`], pushes, and calls [`Store::ack`] with the ids the server
//! acknowledged.
//!
//! Sync debt reads only the outbox, so its cost does not grow with the documents held;
//! the bytes stored are a separate, slower question ([`Store::storage_bytes`]).

use gridwalk_core::Timestamp;
use gridwalk_core::doc::DocKind;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::write::Action;
use crate::{Store, StoreError};

/// One pending local action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    /// Outbox id, increasing in write order.
    pub id: i64,
    /// The document.
    pub doc_id: String,
    /// Its kind.
    pub kind: DocKind,
    /// Its grid.
    pub grid_id: String,
    /// The action label (`household.add_visit`).
    pub action: String,
    /// The record it touched, if the caller named one.
    pub record_id: Option<String>,
    /// The change hashes (hex), in order.
    pub hashes: Vec<String>,
    /// The concatenated change bytes (`load_incremental` takes them as they are).
    pub changes: Vec<u8>,
    /// When it was written, UTC ms.
    pub created_at: i64,
}

/// What this device still owes the server. Reads only the outbox: cheap at any store size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncDebt {
    /// User actions not yet acknowledged (refused ones not included).
    pub pending_actions: i64,
    /// User actions the server refused, shown to the person and never pushed again.
    pub refused_actions: i64,
    /// Automerge changes in those actions.
    pub pending_changes: i64,
    /// When the oldest unacknowledged action was written.
    pub oldest_pending_at: Option<i64>,
    /// Its age at `now`, in ms.
    pub oldest_pending_age_ms: Option<i64>,
}

pub(crate) fn insert(
    conn: &Connection,
    doc_id: &str,
    action: &Action<'_>,
    hashes_json: &str,
    bytes: &[u8],
    now: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO outbox (doc_id, action, record_id, hashes, changes, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        doc_id,
        action.label,
        action.record_id,
        hashes_json,
        bytes,
        now
    ])?;
    Ok(())
}

impl Store {
    /// The oldest `limit` pending actions, in write order. Actions the server refused
    /// ([`Store::refused`]) are not pending: they are never pushed again.
    pub fn pending(&self, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.id, o.doc_id, d.kind, d.grid_id, o.action, o.record_id, o.hashes, \
             o.changes, o.created_at FROM outbox o JOIN documents d ON d.id = o.doc_id \
             WHERE o.id NOT IN (SELECT outbox_id FROM outbox_refusals) \
             ORDER BY o.id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Vec<u8>>(7)?,
                r.get::<_, i64>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, doc_id, kind, grid_id, action, record_id, hashes, changes, created_at) = row?;
            out.push(OutboxEntry {
                id,
                doc_id,
                kind: crate::parse_kind(&kind)?,
                grid_id,
                action,
                record_id,
                hashes: serde_json::from_str(&hashes)?,
                changes,
                created_at,
            });
        }
        Ok(out)
    }

    /// Removes acknowledged actions; returns how many went.
    pub fn ack(&mut self, ids: &[i64]) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut n = 0;
        {
            let mut stmt = tx.prepare_cached("DELETE FROM outbox WHERE id = ?1")?;
            for id in ids {
                n += stmt.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// The pull cursor of a grid feed.
    pub fn cursor(&self, grid_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT cursor FROM sync_cursors WHERE grid_id = ?1")?
            .query_row([grid_id], |r| r.get(0))
            .optional()?)
    }

    /// Records the pull cursor of a grid feed.
    pub fn set_cursor(&mut self, grid_id: &str, cursor: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO sync_cursors (grid_id, cursor) VALUES (?1, ?2) \
                 ON CONFLICT (grid_id) DO UPDATE SET cursor = excluded.cursor",
            )?
            .execute([grid_id, cursor])?;
        Ok(())
    }

    /// How many actions are waiting to be pushed (refused ones not included).
    pub fn pending_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM outbox \
                 WHERE id NOT IN (SELECT outbox_id FROM outbox_refusals)",
            )?
            .query_row([], |r| r.get(0))?)
    }

    /// Pending and refused actions, pending changes and the age of the oldest at `now`.
    pub fn sync_debt(&self, now: Timestamp) -> Result<SyncDebt, StoreError> {
        let (actions, changes, oldest): (i64, i64, Option<i64>) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(json_array_length(hashes)), 0), min(created_at) \
             FROM outbox WHERE id NOT IN (SELECT outbox_id FROM outbox_refusals)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let refused_actions: i64 =
            self.conn
                .query_row("SELECT count(*) FROM outbox_refusals", [], |r| r.get(0))?;
        Ok(SyncDebt {
            pending_actions: actions,
            refused_actions,
            pending_changes: changes,
            oldest_pending_at: oldest,
            oldest_pending_age_ms: oldest.map(|t| (now.0 - t).max(0)),
        })
    }
}
