//! Facts about this install that sync needs: the device's hybrid logical clock, audit
//! events recorded offline, the reference data without tables of their own, and the
//! full wipe of a revoked device.
//!
//! - The HLC lives in `device_meta` under `hlc`, so a write after a restart still sorts
//!   after everything the device has seen ([`Store::tick_hlc`], [`Store::observe_hlc`]).
//! - `first_sync_done` in `device_meta` marks that the whole scope has been downloaded
//!   once; until then a sync is shown as the first download.
//! - Audit events (`audit_outbox`) are written when a person does something the server
//!   must audit, such as revealing a full ID number offline; the sync engine uploads them
//!   and deletes them once the server has them.
//! - [`Store::wipe`] deletes every row of every table, rewrites the file so the deleted
//!   pages are gone too, and picks a fresh Automerge actor: after a wipe the device is a
//!   new writer (DESIGN.md §2, "a new actor after any wipe").

use automerge::ActorId;
use gridwalk_core::Hlc;
use gridwalk_core::protocol::AuditEvent;
use gridwalk_core::reference::{SlaRule, VisitRule, WorkCalendar};
use rusqlite::{OptionalExtension, params};

use crate::{Store, StoreError};

impl Store {
    /// The device's clock as last persisted, if any.
    pub fn hlc(&self) -> Result<Option<Hlc>, StoreError> {
        let text: Option<String> = self
            .conn
            .prepare_cached("SELECT value FROM device_meta WHERE key = 'hlc'")?
            .query_row([], |r| r.get(0))
            .optional()?;
        text.map(|t| {
            t.parse::<Hlc>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .transpose()
    }

    fn save_hlc(&mut self, hlc: &Hlc) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO device_meta (key, value) VALUES ('hlc', ?1) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([hlc.to_string()])?;
        Ok(())
    }

    /// The stored clock, renamed to `node` (the device id can change at a new login; the
    /// time it has seen stays).
    fn current_hlc(&self, node: &str) -> Result<Hlc, StoreError> {
        Ok(match self.hlc()? {
            Some(h) => Hlc {
                node: node.to_string(),
                ..h
            },
            None => Hlc::zero(node),
        })
    }

    /// The next clock value for a local write or a sync request at `now_ms`, persisted.
    pub fn tick_hlc(&mut self, node: &str, now_ms: i64) -> Result<Hlc, StoreError> {
        let next = self.current_hlc(node)?.tick(now_ms);
        self.save_hlc(&next)?;
        Ok(next)
    }

    /// Advances the clock past `remote` (the server's time at a sync), persisted.
    pub fn observe_hlc(
        &mut self,
        node: &str,
        remote: &Hlc,
        now_ms: i64,
    ) -> Result<Hlc, StoreError> {
        let next = self.current_hlc(node)?.observe(remote, now_ms);
        self.save_hlc(&next)?;
        Ok(next)
    }

    /// True once a sync has downloaded the device's whole scope (a first sync that was
    /// interrupted is not done: it resumes from its cursors).
    pub fn first_sync_done(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM device_meta WHERE key = 'first_sync_done'")?
            .query_row([], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Records that the first sync has finished.
    pub fn set_first_sync_done(&mut self) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO device_meta (key, value) VALUES ('first_sync_done', '1') \
                 ON CONFLICT (key) DO NOTHING",
            )?
            .execute([])?;
        Ok(())
    }

    /// Records an audit event for the next sync. A second event with the same id is
    /// ignored.
    pub fn record_audit(&mut self, e: &AuditEvent) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO audit_outbox (id, at_ms, action, doc_id, target) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING",
            )?
            .execute(params![e.id, e.at_ms, e.action, e.doc_id, e.target])?;
        Ok(())
    }

    /// The oldest `limit` audit events not yet uploaded.
    pub fn pending_audit(&self, limit: usize) -> Result<Vec<AuditEvent>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at_ms, action, doc_id, target FROM audit_outbox \
             ORDER BY at_ms, id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(AuditEvent {
                id: r.get(0)?,
                at_ms: r.get(1)?,
                action: r.get(2)?,
                doc_id: r.get(3)?,
                target: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Deletes audit events the server has received.
    pub fn forget_audit(&mut self, ids: &[String]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached("DELETE FROM audit_outbox WHERE id = ?1")?;
            for id in ids {
                stmt.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The version of the reference data the device holds (0 for none).
    pub fn reference_version(&self) -> Result<u64, StoreError> {
        Ok(self.ref_version("reference")?.unwrap_or(0).max(0) as u64)
    }

    /// The visit-frequency rules from the server, if received.
    pub fn visit_rules(&self) -> Result<Option<Vec<VisitRule>>, StoreError> {
        crate::sync::ref_document(&self.conn, "visit_rules")
    }

    /// The SLA rules from the server, if received.
    pub fn sla_rules(&self) -> Result<Option<Vec<SlaRule>>, StoreError> {
        crate::sync::ref_document(&self.conn, "sla_rules")
    }

    /// The working-day calendar from the server, if received.
    pub fn calendar(&self) -> Result<Option<WorkCalendar>, StoreError> {
        crate::sync::ref_document(&self.conn, "calendar")
    }

    /// Deletes everything the device holds and starts over as a new writer: every row of
    /// every table goes, the file is rewritten without the deleted pages, and a fresh
    /// Automerge actor is picked. Returns the new actor.
    pub fn wipe(&mut self) -> Result<ActorId, StoreError> {
        self.cache.clear();
        let tx = self.conn.transaction()?;
        let tables: Vec<String> = tx
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'household_fts_%'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        // Children first, so foreign keys never refuse a delete.
        for first in ["outbox_refusals", "outbox", "doc_chunks"] {
            tx.execute(&format!("DELETE FROM {first}"), [])?;
        }
        for t in &tables {
            tx.execute(&format!("DELETE FROM \"{t}\""), [])?;
        }
        let actor = ActorId::random();
        tx.execute(
            "INSERT INTO device_meta (key, value) VALUES ('actor', ?1)",
            [actor.to_hex_string()],
        )?;
        tx.commit()?;
        // Deleted rows linger in free pages and the WAL until the file is rewritten.
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.actor = actor.clone();
        Ok(actor)
    }
}
