//! Documents: metadata, snapshots, pending changes, and quarantine reads.

use gridwalk_core::doc::DocKind;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::storage::*;

/// Selects a [`DocMeta`]: the document joined with its household's placement.
pub(super) const META_SELECT: &str = "SELECT d.id, d.kind, d.grid_id, d.household_id, \
     p.micro_grid_id, d.owner_user FROM documents d \
     LEFT JOIN placements p ON p.household_id = d.household_id";

const LOAD_SELECT: &str = "SELECT d.id, d.kind, d.grid_id, d.household_id, \
     p.micro_grid_id, d.owner_user, d.snapshot, d.snapshot_heads FROM documents d \
     LEFT JOIN placements p ON p.household_id = d.household_id WHERE d.id = ?1";

/// Reads a [`DocMeta`] from columns starting at `o`.
pub(super) fn meta_at(r: &Row<'_>, o: usize) -> rusqlite::Result<DocMeta> {
    let kind: String = r.get(o + 1)?;
    Ok(DocMeta {
        id: r.get(o)?,
        kind: DocKind::from_code(&kind).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                o + 1,
                rusqlite::types::Type::Text,
                format!("unknown document kind {kind}").into(),
            )
        })?,
        grid_id: r.get(o + 2)?,
        household_id: r.get(o + 3)?,
        micro_grid_id: r.get(o + 4)?,
        owner_user: r.get(o + 5)?,
    })
}

pub(super) fn meta(conn: &Connection, id: &str) -> StorageResult<Option<DocMeta>> {
    let sql = format!("{META_SELECT} WHERE d.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |r| meta_at(r, 0))
        .optional()?)
}

pub(super) fn load(conn: &Connection, id: &str) -> StorageResult<Option<StoredDoc>> {
    let found = conn
        .prepare_cached(LOAD_SELECT)?
        .query_row([id], |r| {
            Ok((
                meta_at(r, 0)?,
                r.get::<_, Vec<u8>>(6)?,
                r.get::<_, String>(7)?,
            ))
        })
        .optional()?;
    let Some((meta, snapshot, snapshot_heads)) = found else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT hash, bytes FROM changes WHERE doc_id = ?1 AND compacted = 0 ORDER BY rowid",
    )?;
    let pending = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Some(StoredDoc {
        meta,
        snapshot,
        snapshot_heads,
        pending,
    }))
}

/// Replaces the snapshot, if the stored one is still its base, and marks the changes it
/// folds in; `pending` keeps counting the changes stored after it. The caller's
/// transaction makes the check and the write one step.
pub(super) fn store_snapshot(conn: &Connection, id: &str, s: &Snapshot) -> StorageResult<bool> {
    let replaced = conn.execute(
        "UPDATE documents SET snapshot = ?2, snapshot_heads = ?3 WHERE id = ?1 AND snapshot_heads = ?4",
        params![id, s.bytes, s.heads, s.base_heads.as_deref().unwrap_or("")],
    )?;
    if replaced == 0 {
        return Ok(false);
    }
    let mut mark =
        conn.prepare_cached("UPDATE changes SET compacted = 1 WHERE doc_id = ?1 AND hash = ?2")?;
    for h in &s.covers {
        mark.execute(params![id, h])?;
    }
    conn.execute(
        "UPDATE documents SET
         pending = (SELECT COUNT(*) FROM changes WHERE doc_id = ?1 AND compacted = 0)
         WHERE id = ?1",
        params![id],
    )?;
    Ok(true)
}

/// Inserts a document row (ignored when it exists: a concurrent push created it).
pub(super) fn insert_doc(
    conn: &Connection,
    meta: &DocMeta,
    snapshot: &Snapshot,
    at: i64,
) -> StorageResult<bool> {
    let n = conn.prepare_cached(
        "INSERT OR IGNORE INTO documents (id, kind, grid_id, household_id, owner_user, snapshot, snapshot_heads, pending, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8)",
    )?
    .execute(params![
        meta.id,
        meta.kind.code(),
        meta.grid_id,
        meta.household_id,
        meta.owner_user,
        snapshot.bytes,
        snapshot.heads,
        at
    ])?;
    Ok(n == 1)
}

pub(super) fn in_grid(
    conn: &Connection,
    grid: &str,
    after: &str,
    limit: usize,
) -> StorageResult<Vec<DocMeta>> {
    let sql = format!("{META_SELECT} WHERE d.grid_id = ?1 AND d.id > ?2 ORDER BY d.id LIMIT ?3");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![grid, after, limit as i64], |r| meta_at(r, 0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn quarantined(conn: &Connection, doc_id: &str) -> StorageResult<Vec<QuarantineRow>> {
    let mut stmt = conn.prepare(
        "SELECT doc_id, hash, bytes, code, reason FROM quarantine WHERE doc_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([doc_id], |r| {
        Ok(QuarantineRow {
            doc_id: r.get(0)?,
            hash: r.get(1)?,
            bytes: r.get(2)?,
            code: r.get(3)?,
            reason: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
