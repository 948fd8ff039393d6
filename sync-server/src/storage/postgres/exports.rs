//! Console export jobs (`export_jobs`, migration `0003_exports`), distributed by `id`:
//! every call but the owner's count at start and the prune reads or writes one row.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::{col, exec, query, query_opt};
use crate::storage::*;

/// Still running: neither a file nor an error.
const RUNNING: &str = "bytes IS NULL AND error_code IS NULL";

pub(super) async fn create(
    c: &impl GenericClient,
    job: &ExportJobRow,
    max: usize,
) -> StorageResult<bool> {
    let kept: i64 = col(
        &query(
            c,
            "SELECT COUNT(*) FROM export_jobs WHERE owner_user_id = $1 AND expires_at > $2",
            &[&job.owner_user_id, &job.created_at],
        )
        .await?[0],
        0,
    )?;
    let excess = (kept + 1).saturating_sub(max as i64);
    if excess > 0 {
        // Ids first, then a delete by id: no multi-shard subquery with a LIMIT.
        let finished: Vec<String> = query(
            c,
            &format!(
                "SELECT id FROM export_jobs
                 WHERE owner_user_id = $1 AND expires_at > $2 AND NOT ({RUNNING})
                 ORDER BY created_at, id LIMIT $3"
            ),
            &[&job.owner_user_id, &job.created_at, &excess],
        )
        .await?
        .iter()
        .map(|r| col(r, 0))
        .collect::<StorageResult<_>>()?;
        if (finished.len() as i64) < excess {
            // Every kept job is still running: refuse, and keep the finished ones.
            return Ok(false);
        }
        exec(
            c,
            "DELETE FROM export_jobs WHERE id = ANY($1)",
            &[&finished],
        )
        .await?;
    }
    let error = job.error.as_ref();
    exec(
        c,
        "INSERT INTO export_jobs (id, owner_user_id, kind, file_name, created_at, updated_at,
                                  progress, error_code, error_zh, error_en, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            &job.id,
            &job.owner_user_id,
            &job.kind,
            &job.file_name,
            &job.created_at,
            &job.updated_at,
            &job.progress,
            &error.map(|e| e.code.as_str()),
            &error.map(|e| e.message_zh.as_str()),
            &error.map(|e| e.message_en.as_str()),
            &job.expires_at,
        ],
    )
    .await?;
    Ok(true)
}

pub(super) async fn progress(
    c: &impl GenericClient,
    id: &str,
    progress: f64,
    at: i64,
) -> StorageResult<()> {
    exec(
        c,
        &format!(
            "UPDATE export_jobs SET progress = $2, updated_at = $3 WHERE id = $1 AND {RUNNING}"
        ),
        &[&id, &progress, &at],
    )
    .await?;
    Ok(())
}

pub(super) async fn finish(
    c: &impl GenericClient,
    id: &str,
    outcome: &ExportOutcome,
    at: i64,
) -> StorageResult<bool> {
    let n = match outcome {
        ExportOutcome::File(bytes) => {
            exec(
                c,
                &format!(
                    "UPDATE export_jobs SET bytes = $2, progress = 1, updated_at = $3
                     WHERE id = $1 AND {RUNNING}"
                ),
                &[&id, bytes, &at],
            )
            .await?
        }
        ExportOutcome::Failed(e) => {
            exec(
                c,
                &format!(
                    "UPDATE export_jobs
                     SET error_code = $2, error_zh = $3, error_en = $4, progress = 1,
                         updated_at = $5
                     WHERE id = $1 AND {RUNNING}"
                ),
                &[&id, &e.code, &e.message_zh, &e.message_en, &at],
            )
            .await?
        }
    };
    Ok(n > 0)
}

fn row(r: &Row) -> StorageResult<ExportJobRow> {
    let code: Option<String> = col(r, 7)?;
    let error = match code {
        Some(code) => Some(ExportJobError {
            code,
            message_zh: col::<Option<String>>(r, 8)?.unwrap_or_default(),
            message_en: col::<Option<String>>(r, 9)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(ExportJobRow {
        id: col(r, 0)?,
        owner_user_id: col(r, 1)?,
        kind: col(r, 2)?,
        file_name: col(r, 3)?,
        created_at: col(r, 4)?,
        updated_at: col(r, 5)?,
        progress: col(r, 6)?,
        error,
        has_file: col(r, 10)?,
        expires_at: col(r, 11)?,
    })
}

pub(super) async fn job(c: &impl GenericClient, id: &str) -> StorageResult<Option<ExportJobRow>> {
    query_opt(
        c,
        "SELECT id, owner_user_id, kind, file_name, created_at, updated_at, progress,
                error_code, error_zh, error_en, bytes IS NOT NULL, expires_at
         FROM export_jobs WHERE id = $1",
        &[&id],
    )
    .await?
    .map(|r| row(&r))
    .transpose()
}

pub(super) async fn file(c: &impl GenericClient, id: &str) -> StorageResult<Option<Vec<u8>>> {
    match query_opt(c, "SELECT bytes FROM export_jobs WHERE id = $1", &[&id]).await? {
        Some(r) => col(&r, 0),
        None => Ok(None),
    }
}

pub(super) async fn prune(c: &impl GenericClient, now: i64) -> StorageResult<u64> {
    exec(c, "DELETE FROM export_jobs WHERE expires_at <= $1", &[&now]).await
}
