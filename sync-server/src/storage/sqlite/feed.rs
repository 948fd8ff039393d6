//! The per-grid feed: storing pushed changes with their sequence numbers, grants and
//! revokes, and reading a grid's feed after a cursor.

use rusqlite::{Connection, Transaction, params};

use super::docs::{insert_doc, meta_at, store_snapshot};
use super::reference::{bump_version, upsert_assignment};
use crate::storage::*;

pub(super) fn high_water(conn: &Connection, grid: &str) -> StorageResult<i64> {
    Ok(conn
        .prepare_cached("SELECT COALESCE((SELECT last_seq FROM grid_seq WHERE grid_id = ?1), 0)")?
        .query_row([grid], |r| r.get(0))?)
}

/// The next sequence number of a grid, taken inside the caller's write transaction.
fn next_seq(tx: &Transaction<'_>, grid: &str) -> StorageResult<i64> {
    Ok(tx
        .prepare_cached(
            "INSERT INTO grid_seq (grid_id, last_seq) VALUES (?1, 1)
             ON CONFLICT(grid_id) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
        )?
        .query_row([grid], |r| r.get(0))?)
}

#[allow(clippy::too_many_arguments)]
fn append(
    tx: &Transaction<'_>,
    grid: &str,
    kind: FeedKind,
    doc_id: Option<&str>,
    hash: Option<&str>,
    target_user: Option<&str>,
    reason: Option<&str>,
    origin: Option<&str>,
    at: i64,
) -> StorageResult<i64> {
    let seq = next_seq(tx, grid)?;
    tx.prepare_cached(
        "INSERT INTO feed (grid_id, seq, kind, doc_id, hash, target_user, reason, origin_device, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        grid,
        seq,
        kind.code(),
        doc_id,
        hash,
        target_user,
        reason,
        origin,
        at
    ])?;
    Ok(seq)
}

const FEED_SELECT: &str = "SELECT f.seq, f.kind, f.doc_id, f.hash, f.target_user, f.reason, \
     f.origin_device, c.bytes, d.id, d.kind, d.grid_id, d.household_id, p.micro_grid_id, \
     d.owner_user, f.grid_id FROM feed f \
     LEFT JOIN changes c ON c.doc_id = f.doc_id AND c.hash = f.hash \
     LEFT JOIN documents d ON d.id = f.doc_id \
     LEFT JOIN placements p ON p.household_id = d.household_id";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, FeedEntry)> {
    let kind: String = r.get(1)?;
    let reason: Option<String> = r.get(5)?;
    let has_doc: Option<String> = r.get(8)?;
    Ok((
        r.get(14)?,
        FeedEntry {
            seq: r.get(0)?,
            kind: FeedKind::from_code(&kind).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    format!("unknown feed kind {kind}").into(),
                )
            })?,
            doc_id: r.get(2)?,
            hash: r.get(3)?,
            target_user: r.get(4)?,
            reason: reason.as_deref().and_then(reason_from_code),
            origin_device: r.get(6)?,
            bytes: r.get(7)?,
            meta: match has_doc {
                Some(_) => Some(meta_at(r, 8)?),
                None => None,
            },
        },
    ))
}

pub(super) fn after(
    conn: &Connection,
    grid: &str,
    after: i64,
    limit: usize,
) -> StorageResult<Vec<FeedEntry>> {
    let sql = format!("{FEED_SELECT} WHERE f.grid_id = ?1 AND f.seq > ?2 ORDER BY f.seq LIMIT ?3");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![grid, after, limit as i64], |r| {
        entry(r).map(|(_, e)| e)
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn revokes_of(
    conn: &Connection,
    doc_id: &str,
    grid: &str,
) -> StorageResult<Vec<(String, FeedEntry)>> {
    let sql = format!(
        "{FEED_SELECT} WHERE f.kind = 'revoke' AND (f.doc_id = ?1 OR (f.doc_id IS NULL AND f.grid_id = ?2))
         ORDER BY f.grid_id, f.seq"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![doc_id, grid], entry)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn seqs(conn: &Connection, grid: &str) -> StorageResult<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT seq FROM feed WHERE grid_id = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([grid], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn insert_placement(tx: &Transaction<'_>, p: &Placement, replace: bool) -> StorageResult<()> {
    let verb = if replace {
        "INSERT OR REPLACE"
    } else {
        "INSERT OR IGNORE"
    };
    tx.prepare_cached(&format!(
        "{verb} INTO placements (household_id, grid_id, micro_grid_id, village_id) VALUES (?1, ?2, ?3, ?4)"
    ))?
    .execute(params![
        p.household_id,
        p.grid_id,
        p.micro_grid_id,
        p.village_id
    ])?;
    Ok(())
}

/// Stores one change; true when it is new (then it gets a feed entry).
fn insert_change(
    tx: &Transaction<'_>,
    doc_id: &str,
    c: &StoredChange,
    device: Option<&str>,
    compacted: bool,
    at: i64,
) -> StorageResult<bool> {
    let n = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO changes (doc_id, hash, bytes, actor, device_id, compacted, stored_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![doc_id, c.hash, c.bytes, c.actor, device, compacted, at])?;
    Ok(n == 1)
}

pub(super) fn commit_push(conn: &mut Connection, c: &PushCommit) -> StorageResult<Vec<String>> {
    let tx = conn.transaction()?;
    let mut stale = Vec::new();
    for w in &c.docs {
        let mut created = false;
        if let Some(snap) = &w.new_snapshot {
            created = insert_doc(&tx, &w.meta, snap, c.at)?;
        }
        if let Some(p) = &w.placement {
            insert_placement(&tx, p, false)?;
        }
        // The grid is read here, inside the transaction, so a change racing a move lands
        // in the grid the document is in when it commits.
        let grid: String = tx
            .prepare_cached("SELECT grid_id FROM documents WHERE id = ?1")?
            .query_row([&w.meta.id], |r| r.get(0))?;
        let mut pending = 0i64;
        for ch in &w.changes {
            let folded = created
                && w.new_snapshot
                    .as_ref()
                    .is_some_and(|s| s.covers.contains(&ch.hash));
            if insert_change(&tx, &w.meta.id, ch, Some(&c.device_id), folded, c.at)? {
                append(
                    &tx,
                    &grid,
                    FeedKind::Change,
                    Some(&w.meta.id),
                    Some(&ch.hash),
                    None,
                    None,
                    Some(&c.device_id),
                    c.at,
                )?;
                if !folded {
                    pending += 1;
                }
            }
        }
        tx.prepare_cached(
            "UPDATE documents SET pending = pending + ?2, updated_at = ?3 WHERE id = ?1",
        )?
        .execute(params![w.meta.id, pending, c.at])?;
        if let Some(snap) = &w.compacted
            && !store_snapshot(&tx, &w.meta.id, snap)?
        {
            stale.push(w.meta.id.clone());
        }
    }
    {
        let mut q = tx.prepare_cached(
            "INSERT OR IGNORE INTO quarantine (doc_id, hash, bytes, device_id, user_id, code, reason, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for r in &c.quarantine {
            q.execute(params![
                r.doc_id,
                r.hash,
                r.bytes,
                c.device_id,
                c.user_id,
                r.code,
                r.reason,
                c.at
            ])?;
        }
    }
    super::auth::insert_audit(&tx, &c.audit)?;
    tx.commit()?;
    Ok(stale)
}

pub(super) fn import_docs(conn: &mut Connection, docs: &[ImportDoc], at: i64) -> StorageResult<()> {
    let tx = conn.transaction()?;
    for d in docs {
        insert_doc(&tx, &d.meta, &d.snapshot, at)?;
        for ch in &d.changes {
            if insert_change(&tx, &d.meta.id, ch, None, true, at)? {
                append(
                    &tx,
                    &d.meta.grid_id,
                    FeedKind::Change,
                    Some(&d.meta.id),
                    Some(&ch.hash),
                    None,
                    None,
                    None,
                    at,
                )?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn apply_scope_change(conn: &mut Connection, s: &ScopeChange) -> StorageResult<()> {
    let tx = conn.transaction()?;
    for p in &s.placements {
        insert_placement(&tx, p, true)?;
    }
    for (doc, grid) in &s.doc_grids {
        tx.execute(
            "UPDATE documents SET grid_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![doc, grid, s.at],
        )?;
    }
    for (user, area) in &s.user_areas {
        tx.execute(
            "UPDATE users SET area_id = ?2 WHERE id = ?1",
            params![user, area],
        )?;
    }
    for (id, day) in &s.end_assignments {
        tx.execute(
            "UPDATE assignments SET valid_to = ?2 WHERE id = ?1",
            params![id, day],
        )?;
    }
    for a in &s.add_assignments {
        upsert_assignment(&tx, a)?;
    }
    for e in &s.feed {
        append(
            &tx,
            &e.grid_id,
            e.kind,
            e.doc_id.as_deref(),
            None,
            e.target_user.as_deref(),
            e.reason.map(reason_code),
            None,
            s.at,
        )?;
    }
    super::auth::insert_audit(&tx, &s.audit)?;
    bump_version(&tx)?;
    tx.commit()?;
    Ok(())
}
