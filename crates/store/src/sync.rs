//! Sync bookkeeping: settling what was pushed, applying what was pulled, and dropping
//! what left the device's scope.
//!
//! The sync engine (`crates/sync`) drives these methods; they hold no network code.
//! - [`Store::settle_push`] removes acknowledged outbox rows and marks refused ones with
//!   the server's code and reason (`outbox_refusals`): a refused action is shown to the
//!   person and never pushed again ([`Store::pending`] leaves it out).
//! - [`Store::apply_sync_page`] applies one pulled page in ONE transaction: the
//!   documents (snapshots and changes), the revokes, the scope, the reference data and
//!   the new cursors. A cursor therefore never runs ahead of the data it stands for, and
//!   an interrupted first sync resumes from the last page applied.
//! - A revoked document (or one whose grid left the scope) is dropped once its outbox
//!   holds nothing still to push; until then it waits in `pending_revokes`, and
//!   [`Store::drop_revoked`] drops it after the push that empties its outbox. Refused
//!   actions do not hold a document back: the server keeps them in quarantine.
//!
//! Revoke rule: a revoke from grid G applies only while the document is held under G.
//! A household that moved between two grids the device holds is delivered under its new
//! grid and stays.

use gridwalk_core::protocol::{ReferenceData, SyncResponse};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::write::{Batch, Incoming, merge_in};
use crate::{RefUser, Store, StoreError, persist, read_meta, reference};

/// Pages with at most this many documents leave them loaded in the cache.
const KEEP_LOADED_UP_TO: usize = 32;

/// A pushed action the server refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The outbox row.
    pub outbox_id: i64,
    /// The server's stable code (`out_of_scope`, `role_forbidden`, …).
    pub code: String,
    /// The server's reason, in Chinese.
    pub message_zh: String,
    /// The same reason in English.
    pub message_en: String,
}

/// A refused action as the sync screen shows it, per document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedAction {
    /// The outbox row.
    pub outbox_id: i64,
    /// The document.
    pub doc_id: String,
    /// The action label (`household.add_visit`).
    pub action: String,
    /// The record it touched, if named.
    pub record_id: Option<String>,
    /// The server's stable code.
    pub code: String,
    /// The server's reason, in Chinese.
    pub message_zh: String,
    /// The same reason in English.
    pub message_en: String,
    /// When the action was written on the device, UTC ms.
    pub created_at: i64,
    /// When the server refused it, UTC ms.
    pub refused_at: i64,
}

/// What applying one pulled page did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageApplied {
    /// Documents delivered in the page.
    pub docs_received: usize,
    /// Documents that changed (new, or with changes the device lacked).
    pub docs_changed: usize,
    /// Documents dropped from the device (revoked or out of scope, outbox empty).
    pub docs_dropped: Vec<String>,
    /// Documents revoked but kept until their outbox is pushed.
    pub docs_waiting: Vec<String>,
    /// Grids that left the device's scope.
    pub grids_dropped: Vec<String>,
}

impl Store {
    /// Removes acknowledged outbox rows and marks refused ones, in one transaction.
    pub fn settle_push(&mut self, acked: &[i64], refused: &[Refusal]) -> Result<(), StoreError> {
        let now = self.now().0;
        let tx = self.conn.transaction()?;
        {
            let mut del = tx.prepare_cached("DELETE FROM outbox WHERE id = ?1")?;
            for id in acked {
                del.execute([id])?;
            }
            let mut mark = tx.prepare_cached(
                "INSERT INTO outbox_refusals (outbox_id, code, message_zh, message_en, \
                 refused_at) SELECT id, ?2, ?3, ?4, ?5 FROM outbox WHERE id = ?1 \
                 ON CONFLICT (outbox_id) DO UPDATE SET code = excluded.code, \
                 message_zh = excluded.message_zh, message_en = excluded.message_en, \
                 refused_at = excluded.refused_at",
            )?;
            for r in refused {
                mark.execute(params![
                    r.outbox_id,
                    r.code,
                    r.message_zh,
                    r.message_en,
                    now
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every refused action, oldest first.
    pub fn refused(&self) -> Result<Vec<RefusedAction>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.id, o.doc_id, o.action, o.record_id, r.code, r.message_zh, r.message_en, \
             o.created_at, r.refused_at FROM outbox o JOIN outbox_refusals r \
             ON r.outbox_id = o.id ORDER BY o.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RefusedAction {
                outbox_id: r.get(0)?,
                doc_id: r.get(1)?,
                action: r.get(2)?,
                record_id: r.get(3)?,
                code: r.get(4)?,
                message_zh: r.get(5)?,
                message_en: r.get(6)?,
                created_at: r.get(7)?,
                refused_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every pull cursor, by grid.
    pub fn cursors(&self) -> Result<BTreeMap<String, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT grid_id, cursor FROM sync_cursors")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ids of the stored documents of a kind, in id order.
    pub fn document_ids(
        &self,
        kind: gridwalk_core::doc::DocKind,
    ) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM documents WHERE kind = ?1 ORDER BY id")?;
        let rows = stmt.query_map([kind.code()], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The grids the device holds: those of its documents and of its cursors.
    pub fn held_grids(&self) -> Result<BTreeSet<String>, StoreError> {
        held_grids(&self.conn)
    }

    /// Documents revoked but kept until their outbox is pushed.
    pub fn pending_revokes(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT doc_id FROM pending_revokes ORDER BY doc_id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Drops every revoked document whose outbox holds nothing still to push; returns
    /// their ids.
    pub fn drop_revoked(&mut self) -> Result<Vec<String>, StoreError> {
        let tx = self.conn.transaction()?;
        let dropped = drop_clear(&tx)?;
        tx.commit()?;
        for id in &dropped {
            self.cache.remove(id);
        }
        Ok(dropped)
    }

    /// Applies one pulled page in one transaction: documents, then revokes and scope,
    /// then reference data and the new cursors. Documents that left the scope are
    /// dropped at once when nothing of theirs is left to push.
    pub fn apply_sync_page(&mut self, page: &SyncResponse) -> Result<PageApplied, StoreError> {
        let now = self.now().0;
        let tx = self.conn.transaction()?;
        let mut out = PageApplied {
            docs_received: page.docs.len(),
            ..PageApplied::default()
        };
        let mut batch = Batch {
            cache: &mut self.cache,
            pending: HashMap::new(),
            // A first-sync page holds thousands of documents: keeping them all loaded
            // would cost memory for nothing, so only small (routine) pages warm the cache.
            keep: page.docs.len() <= KEEP_LOADED_UP_TO,
            actor: &self.actor,
            now,
        };
        let mut bytes = Vec::new();
        for d in &page.docs {
            bytes.clear();
            if let Some(s) = &d.snapshot {
                bytes.extend_from_slice(s);
            }
            for c in &d.changes {
                bytes.extend_from_slice(c);
            }
            let incoming = Incoming::Bytes(&bytes);
            if merge_in(&tx, &mut batch, &d.doc_id, d.kind, &d.grid_id, incoming)? {
                out.docs_changed += 1;
            }
            // A document delivered again is back in scope: forget an older revoke.
            tx.prepare_cached("DELETE FROM pending_revokes WHERE doc_id = ?1")?
                .execute([&d.doc_id])?;
        }
        for r in &page.revokes {
            let reason = serde_json::to_value(r.reason)?;
            revoke(
                &tx,
                &r.doc_id,
                &r.grid_id,
                reason.as_str().unwrap_or("revoked"),
                now,
            )?;
        }
        // No scope in the answer: it is exactly the grids of the cursors sent, which are
        // the ones stored (this engine is their only writer).
        let scope: BTreeSet<String> = match &page.scope {
            Some(grids) => grids.iter().cloned().collect(),
            None => tx
                .prepare_cached("SELECT grid_id FROM sync_cursors")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?,
        };
        for grid in held_grids(&tx)? {
            if scope.contains(&grid) {
                continue;
            }
            let ids: Vec<String> = tx
                .prepare_cached("SELECT id FROM documents WHERE grid_id = ?1")?
                .query_map([&grid], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for id in ids {
                revoke(&tx, &id, &grid, "out_of_scope", now)?;
            }
            tx.prepare_cached("DELETE FROM sync_cursors WHERE grid_id = ?1")?
                .execute([&grid])?;
            out.grids_dropped.push(grid);
        }
        if let Some(reference) = &page.reference {
            store_reference(&tx, reference)?;
        }
        for (grid, cursor) in &page.cursors {
            if scope.contains(grid) {
                tx.prepare_cached(
                    "INSERT INTO sync_cursors (grid_id, cursor) VALUES (?1, ?2) \
                     ON CONFLICT (grid_id) DO UPDATE SET cursor = excluded.cursor",
                )?
                .execute([grid, cursor])?;
            }
        }
        out.docs_dropped = drop_clear(&tx)?;
        out.docs_waiting = tx
            .prepare_cached("SELECT doc_id FROM pending_revokes ORDER BY doc_id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        tx.commit()?;
        let pending = std::mem::take(&mut batch.pending);
        for (id, cached) in pending {
            self.checkin(id, cached);
        }
        for id in &out.docs_dropped {
            self.cache.remove(id);
        }
        Ok(out)
    }
}

/// The grids of the cursors and of the documents. The documents' grids are found by
/// skipping along the `(kind, grid_id)` index, one seek per distinct kind and grid, so the
/// cost grows with grids, not with documents.
fn held_grids(conn: &Connection) -> Result<BTreeSet<String>, StoreError> {
    let mut out: BTreeSet<String> = conn
        .prepare_cached("SELECT grid_id FROM sync_cursors")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut next_kind = conn.prepare_cached("SELECT min(kind) FROM documents WHERE kind > ?1")?;
    let mut next_grid =
        conn.prepare_cached("SELECT min(grid_id) FROM documents WHERE kind = ?1 AND grid_id > ?2")?;
    let mut kind = String::new();
    while let Some(k) = next_kind.query_row([&kind], |r| r.get::<_, Option<String>>(0))? {
        let mut grid = String::new();
        while let Some(g) = next_grid.query_row([&k, &grid], |r| r.get::<_, Option<String>>(0))? {
            out.insert(g.clone());
            grid = g;
        }
        kind = k;
    }
    Ok(out)
}

/// Records that a document left the scope, if it is still held under `grid_id`.
fn revoke(
    tx: &Transaction<'_>,
    doc_id: &str,
    grid_id: &str,
    reason: &str,
    now: i64,
) -> Result<(), StoreError> {
    match read_meta(tx, doc_id)? {
        Some((_, meta)) if meta.grid_id == grid_id => {
            tx.prepare_cached(
                "INSERT INTO pending_revokes (doc_id, grid_id, reason, revoked_at) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (doc_id) DO NOTHING",
            )?
            .execute(params![doc_id, grid_id, reason, now])?;
        }
        _ => {}
    }
    Ok(())
}

/// Drops every revoked document with nothing left to push (refused actions go with it).
fn drop_clear(tx: &Transaction<'_>) -> Result<Vec<String>, StoreError> {
    let ids: Vec<String> = tx
        .prepare_cached(
            "SELECT p.doc_id FROM pending_revokes p WHERE NOT EXISTS (SELECT 1 FROM outbox o \
             WHERE o.doc_id = p.doc_id AND o.id NOT IN (SELECT outbox_id FROM outbox_refusals)) \
             ORDER BY p.doc_id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in &ids {
        drop_document(tx, id)?;
    }
    Ok(ids)
}

/// Deletes a document, its chunks, rows, search row and (refused) outbox rows.
pub(crate) fn drop_document(tx: &Transaction<'_>, doc_id: &str) -> Result<(), StoreError> {
    if let Some((rid, _)) = read_meta(tx, doc_id)? {
        persist::delete_rows(tx, doc_id, rid)?;
    }
    tx.prepare_cached("DELETE FROM outbox WHERE doc_id = ?1")?
        .execute([doc_id])?;
    tx.prepare_cached("DELETE FROM doc_chunks WHERE doc_id = ?1")?
        .execute([doc_id])?;
    tx.prepare_cached("DELETE FROM documents WHERE id = ?1")?
        .execute([doc_id])?;
    tx.prepare_cached("DELETE FROM pending_revokes WHERE doc_id = ?1")?
        .execute([doc_id])?;
    Ok(())
}

/// Stores a whole reference-data update inside `tx`.
fn store_reference(tx: &Transaction<'_>, r: &ReferenceData) -> Result<(), StoreError> {
    let v = r.version as i64;
    reference::fill_areas(tx, &r.areas)?;
    let users: Vec<RefUser> = r
        .users
        .iter()
        .map(|u| RefUser {
            id: u.id.clone(),
            name: u.name.clone(),
            role: u.role,
            active: u.active,
        })
        .collect();
    reference::fill_users(tx, &users)?;
    reference::fill_categories(tx, &r.categories)?;
    reference::fill_units(tx, &r.units)?;
    reference::fill_assignments(tx, &r.assignments)?;
    let json = [
        ("visit_rules", serde_json::to_string(&r.visit_rules)?),
        ("sla_rules", serde_json::to_string(&r.sla_rules)?),
        ("calendar", serde_json::to_string(&r.calendar)?),
    ];
    for (kind, text) in json {
        tx.prepare_cached(
            "INSERT INTO ref_documents (kind, json) VALUES (?1, ?2) \
             ON CONFLICT (kind) DO UPDATE SET json = excluded.json",
        )?
        .execute([kind, &text])?;
    }
    for kind in [
        "areas",
        "users",
        "categories",
        "units",
        "assignments",
        "visit_rules",
        "sla_rules",
        "calendar",
        "reference",
    ] {
        reference::set_ref_version(tx, kind, v)?;
    }
    Ok(())
}

/// Reads one JSON reference document (`visit_rules`, `sla_rules`, `calendar`).
pub(crate) fn ref_document<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    kind: &str,
) -> Result<Option<T>, StoreError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT json FROM ref_documents WHERE kind = ?1")?
        .query_row([kind], |r| r.get(0))
        .optional()?;
    Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
}
