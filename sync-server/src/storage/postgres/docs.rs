//! Documents: metadata, snapshots, pending changes, and quarantine reads.

use deadpool_postgres::GenericClient;
use gridwalk_core::doc::DocKind;
use tokio_postgres::Row;

use super::{col, exec, query, query_opt};
use crate::storage::*;

/// Selects a [`DocMeta`]: the document joined with its household's placement (a
/// reference table, so the join stays on the document's shard).
pub(super) const META_SELECT: &str = "SELECT d.doc_id, d.kind, d.grid_id, d.household_id, \
     p.micro_grid_id, d.owner_user FROM documents d \
     LEFT JOIN placements p ON p.household_id = d.household_id";

/// Reads a [`DocMeta`] from columns starting at `o`.
pub(super) fn meta_at(r: &Row, o: usize) -> StorageResult<DocMeta> {
    let kind: String = col(r, o + 1)?;
    Ok(DocMeta {
        id: col(r, o)?,
        kind: DocKind::from_code(&kind)
            .ok_or_else(|| StorageError::Corrupt(format!("unknown document kind {kind}")))?,
        grid_id: col(r, o + 2)?,
        household_id: col(r, o + 3)?,
        micro_grid_id: col(r, o + 4)?,
        owner_user: col(r, o + 5)?,
    })
}

pub(super) async fn meta(c: &impl GenericClient, id: &str) -> StorageResult<Option<DocMeta>> {
    let sql = format!("{META_SELECT} WHERE d.doc_id = $1");
    query_opt(c, &sql, &[&id])
        .await?
        .map(|r| meta_at(&r, 0))
        .transpose()
}

/// The metadata of several documents, by id (absent ids are left out).
pub(super) async fn metas(c: &impl GenericClient, ids: &[String]) -> StorageResult<Vec<DocMeta>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{META_SELECT} WHERE d.doc_id = ANY($1)");
    query(c, &sql, &[&ids])
        .await?
        .iter()
        .map(|r| meta_at(r, 0))
        .collect()
}

pub(super) async fn load(c: &impl GenericClient, id: &str) -> StorageResult<Option<StoredDoc>> {
    let sql = "SELECT d.doc_id, d.kind, d.grid_id, d.household_id, p.micro_grid_id, d.owner_user, \
         d.snapshot, d.snapshot_heads FROM documents d \
         LEFT JOIN placements p ON p.household_id = d.household_id WHERE d.doc_id = $1";
    let Some(r) = query_opt(c, sql, &[&id]).await? else {
        return Ok(None);
    };
    let meta = meta_at(&r, 0)?;
    let snapshot: Vec<u8> = col(&r, 6)?;
    let snapshot_heads: String = col(&r, 7)?;
    let pending = query(
        c,
        "SELECT hash, bytes FROM changes WHERE doc_id = $1 AND NOT compacted ORDER BY ord",
        &[&id],
    )
    .await?
    .iter()
    .map(|r| Ok((col(r, 0)?, col(r, 1)?)))
    .collect::<StorageResult<_>>()?;
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
pub(super) async fn store_snapshot(
    c: &impl GenericClient,
    id: &str,
    s: &Snapshot,
) -> StorageResult<bool> {
    let base = s.base_heads.as_deref().unwrap_or("");
    let replaced = exec(
        c,
        "UPDATE documents SET snapshot = $2, snapshot_heads = $3 WHERE doc_id = $1 AND snapshot_heads = $4",
        &[&id, &s.bytes, &s.heads, &base],
    )
    .await?;
    if replaced == 0 {
        return Ok(false);
    }
    exec(
        c,
        "UPDATE changes SET compacted = TRUE WHERE doc_id = $1 AND hash = ANY($2)",
        &[&id, &s.covers],
    )
    .await?;
    exec(
        c,
        "UPDATE documents SET
         pending = (SELECT COUNT(*) FROM changes WHERE doc_id = $1 AND NOT compacted)
         WHERE doc_id = $1",
        &[&id],
    )
    .await?;
    Ok(true)
}

/// Inserts a document row (ignored when it exists: a concurrent push created it).
pub(super) async fn insert_doc(
    c: &impl GenericClient,
    meta: &DocMeta,
    snapshot: &Snapshot,
    at: i64,
) -> StorageResult<bool> {
    let n = exec(
        c,
        "INSERT INTO documents (doc_id, kind, grid_id, household_id, owner_user, snapshot, snapshot_heads, pending, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8) ON CONFLICT (doc_id) DO NOTHING",
        &[
            &meta.id,
            &meta.kind.code(),
            &meta.grid_id,
            &meta.household_id,
            &meta.owner_user,
            &snapshot.bytes,
            &snapshot.heads,
            &at,
        ],
    )
    .await?;
    Ok(n == 1)
}

pub(super) async fn in_grid(
    c: &impl GenericClient,
    grid: &str,
    after: &str,
    limit: usize,
) -> StorageResult<Vec<DocMeta>> {
    let sql =
        format!("{META_SELECT} WHERE d.grid_id = $1 AND d.doc_id > $2 ORDER BY d.doc_id LIMIT $3");
    let limit = limit as i64;
    query(c, &sql, &[&grid, &after, &limit])
        .await?
        .iter()
        .map(|r| meta_at(r, 0))
        .collect()
}

pub(super) async fn quarantined(
    c: &impl GenericClient,
    doc_id: &str,
) -> StorageResult<Vec<QuarantineRow>> {
    query(
        c,
        "SELECT doc_id, hash, bytes, code, reason FROM quarantine WHERE doc_id = $1 ORDER BY id",
        &[&doc_id],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(QuarantineRow {
            doc_id: col(r, 0)?,
            hash: col(r, 1)?,
            bytes: col(r, 2)?,
            code: col(r, 3)?,
            reason: col(r, 4)?,
        })
    })
    .collect()
}
