//! Console export jobs on SQLite (`export_jobs`, migration `0003_exports`).

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::storage::*;

/// Still running: neither a file nor an error.
const RUNNING: &str = "bytes IS NULL AND error_code IS NULL";

pub(super) fn create(conn: &mut Connection, job: &ExportJobRow, max: usize) -> StorageResult<bool> {
    let tx = conn.transaction()?;
    let kept: i64 = tx.query_row(
        "SELECT COUNT(*) FROM export_jobs WHERE owner_user_id = ?1 AND expires_at > ?2",
        params![job.owner_user_id, job.created_at],
        |r| r.get(0),
    )?;
    let excess = (kept + 1).saturating_sub(max as i64);
    if excess > 0 {
        let dropped = tx.execute(
            &format!(
                "DELETE FROM export_jobs WHERE id IN (
                     SELECT id FROM export_jobs
                     WHERE owner_user_id = ?1 AND expires_at > ?2 AND NOT ({RUNNING})
                     ORDER BY created_at, id LIMIT ?3)"
            ),
            params![job.owner_user_id, job.created_at, excess],
        )?;
        if (dropped as i64) < excess {
            // Every kept job is still running: refuse, and keep the finished ones.
            return Ok(false);
        }
    }
    let error = job.error.as_ref();
    tx.execute(
        "INSERT INTO export_jobs (id, owner_user_id, kind, file_name, created_at, updated_at,
                                  progress, error_code, error_zh, error_en, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            job.id,
            job.owner_user_id,
            job.kind,
            job.file_name,
            job.created_at,
            job.updated_at,
            job.progress,
            error.map(|e| &e.code),
            error.map(|e| &e.message_zh),
            error.map(|e| &e.message_en),
            job.expires_at
        ],
    )?;
    tx.commit()?;
    Ok(true)
}

pub(super) fn progress(conn: &Connection, id: &str, progress: f64, at: i64) -> StorageResult<()> {
    conn.execute(
        &format!(
            "UPDATE export_jobs SET progress = ?2, updated_at = ?3 WHERE id = ?1 AND {RUNNING}"
        ),
        params![id, progress, at],
    )?;
    Ok(())
}

pub(super) fn finish(
    conn: &Connection,
    id: &str,
    outcome: &ExportOutcome,
    at: i64,
) -> StorageResult<bool> {
    let n = match outcome {
        ExportOutcome::File(bytes) => conn.execute(
            &format!(
                "UPDATE export_jobs SET bytes = ?2, progress = 1, updated_at = ?3
                 WHERE id = ?1 AND {RUNNING}"
            ),
            params![id, bytes, at],
        )?,
        ExportOutcome::Failed(e) => conn.execute(
            &format!(
                "UPDATE export_jobs
                 SET error_code = ?2, error_zh = ?3, error_en = ?4, progress = 1, updated_at = ?5
                 WHERE id = ?1 AND {RUNNING}"
            ),
            params![id, e.code, e.message_zh, e.message_en, at],
        )?,
    };
    Ok(n > 0)
}

fn row(r: &Row<'_>) -> rusqlite::Result<ExportJobRow> {
    let code: Option<String> = r.get(7)?;
    let error = match code {
        Some(code) => Some(ExportJobError {
            code,
            message_zh: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
            message_en: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(ExportJobRow {
        id: r.get(0)?,
        owner_user_id: r.get(1)?,
        kind: r.get(2)?,
        file_name: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
        progress: r.get(6)?,
        error,
        has_file: r.get(10)?,
        expires_at: r.get(11)?,
    })
}

pub(super) fn job(conn: &Connection, id: &str) -> StorageResult<Option<ExportJobRow>> {
    Ok(conn
        .query_row(
            "SELECT id, owner_user_id, kind, file_name, created_at, updated_at, progress,
                    error_code, error_zh, error_en, bytes IS NOT NULL, expires_at
             FROM export_jobs WHERE id = ?1",
            params![id],
            row,
        )
        .optional()?)
}

pub(super) fn file(conn: &Connection, id: &str) -> StorageResult<Option<Vec<u8>>> {
    Ok(conn
        .query_row(
            "SELECT bytes FROM export_jobs WHERE id = ?1",
            params![id],
            |r| r.get::<_, Option<Vec<u8>>>(0),
        )
        .optional()?
        .flatten())
}

pub(super) fn prune(conn: &Connection, now: i64) -> StorageResult<u64> {
    Ok(conn.execute(
        "DELETE FROM export_jobs WHERE expires_at <= ?1",
        params![now],
    )? as u64)
}
