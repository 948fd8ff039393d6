//! Export jobs kept in the database (`export_jobs`), so that any node answers for them:
//! the node that starts a job runs it on its blocking pool and writes its progress and
//! outcome (the workbook, or the error) through [`crate::storage::Storage`]; a progress
//! poll or the download may then land on any node.
//!
//! - A job is visible only to the user who started it (anyone else gets `not_found`), and
//!   for [`KEEP`] after its start; expired jobs are deleted when a job starts.
//! - A user keeps at most [`MAX_JOBS_PER_USER`] jobs: at the cap their oldest finished job
//!   makes room, and a new job is refused (`too_many_exports`) while all are running.
//! - Progress is written when it has moved [`PROGRESS_STEP`], or after
//!   [`PROGRESS_EVERY`], never per row.
//! - A running job whose progress has not been written for [`STALLED`] lost its node
//!   (a restart): it is read, and recorded, as failed with `export_interrupted`.

use std::cell::Cell;
use std::time::{Duration, Instant};

use super::{Checked, ExportFailure, ExportRequest, ExportStatus, check, file_name, run};
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::{ExportJobError, ExportJobRow, ExportOutcome, UserRow};

/// How long a job (and its file) is kept.
pub const KEEP: Duration = Duration::from_secs(3600);

/// Most jobs one user keeps.
pub const MAX_JOBS_PER_USER: usize = 16;

/// A running job without a progress write for this long is taken as interrupted.
pub const STALLED: Duration = Duration::from_secs(15 * 60);

/// Progress is written when it has moved this much since the last write...
pub const PROGRESS_STEP: f64 = 0.05;

/// ...or when it has moved at all and this long has passed.
pub const PROGRESS_EVERY: Duration = Duration::from_millis(500);

/// Even unchanged progress is written this often, so a slow step is not taken as stalled.
const HEARTBEAT: Duration = Duration::from_secs(60);

/// The failure of a job whose node stopped before it ended.
pub fn interrupted() -> ExportJobError {
    ExportJobError {
        code: "export_interrupted".into(),
        message_zh: "导出因服务器重启而中断，请重新导出。".into(),
        message_en: "The export was interrupted (its server restarted). Start it again.".into(),
    }
}

fn ms(d: Duration) -> i64 {
    d.as_millis() as i64
}

/// Checks the request, stores a job and starts it on tokio's blocking pool (call it inside
/// the runtime, off its async workers: it reads and writes storage); returns the job id.
/// Bad requests fail here, not in the job.
pub fn start(state: &AppState, user: &UserRow, req: ExportRequest) -> Result<String, AppError> {
    let checked = check(state, user, req)?;
    start_checked(state, user, checked)
}

/// Stores and starts a job for a request already checked; returns the job id.
pub fn start_checked(
    state: &AppState,
    user: &UserRow,
    checked: Checked,
) -> Result<String, AppError> {
    let now = state.now();
    state.storage.prune_export_jobs(now)?;
    let row = ExportJobRow {
        id: uuid::Uuid::now_v7().to_string(),
        owner_user_id: user.id.clone(),
        kind: checked.req.kind.code().into(),
        file_name: file_name(&checked),
        created_at: now,
        updated_at: now,
        progress: 0.0,
        error: None,
        has_file: false,
        expires_at: now + ms(KEEP),
    };
    if !state.storage.create_export_job(&row, MAX_JOBS_PER_USER)? {
        return Err(AppError::TooManyExports(MAX_JOBS_PER_USER));
    }
    let (state, user, id) = (state.clone(), user.clone(), row.id.clone());
    tokio::task::spawn_blocking(move || {
        let last = Cell::new((0.0_f64, Instant::now()));
        let progress = |p: f64| {
            let p = p.clamp(0.0, 0.99);
            let (wrote, at) = last.get();
            let since = at.elapsed();
            let moved = p - wrote;
            if moved >= PROGRESS_STEP
                || (moved > 0.0 && since >= PROGRESS_EVERY)
                || since >= HEARTBEAT
            {
                last.set((p.max(wrote), Instant::now()));
                if let Err(e) = state
                    .storage
                    .update_export_progress(&id, p.max(wrote), state.now())
                {
                    tracing::warn!(error = %e, job = %id, "export progress not stored");
                }
            }
        };
        let outcome = match run(&state, &user, &checked, &progress) {
            Ok(bytes) => ExportOutcome::File(bytes),
            Err(e) => {
                tracing::error!(error = %e, "export failed");
                let b = e.body();
                ExportOutcome::Failed(ExportJobError {
                    code: b.code,
                    message_zh: b.message_zh,
                    message_en: b.message_en,
                })
            }
        };
        match state.storage.finish_export_job(&id, &outcome, state.now()) {
            Ok(true) => {}
            Ok(false) => tracing::warn!(job = %id, "export ended after it was given up"),
            Err(e) => tracing::error!(error = %e, job = %id, "export outcome not stored"),
        }
    });
    Ok(row.id)
}

/// The job `id` if `user_id` started it and it has not expired; a running job that has
/// stalled is recorded as interrupted first.
fn visible(state: &AppState, user_id: &str, id: &str) -> Result<ExportJobRow, AppError> {
    let now = state.now();
    let find = || -> Result<ExportJobRow, AppError> {
        state
            .storage
            .export_job(id)?
            .filter(|j| j.owner_user_id == user_id && j.expires_at > now)
            .ok_or_else(|| AppError::NotFound("export".into()))
    };
    let job = find()?;
    if job.done() || now - job.updated_at < ms(STALLED) {
        return Ok(job);
    }
    let failed = ExportOutcome::Failed(interrupted());
    state.storage.finish_export_job(id, &failed, now)?;
    // Read again: the job may have ended on its node just before.
    find()
}

/// A job's progress, for its owner.
pub fn status(state: &AppState, user_id: &str, id: &str) -> Result<ExportStatus, AppError> {
    let j = visible(state, user_id, id)?;
    Ok(ExportStatus {
        progress: j.progress,
        done: j.done(),
        error: j.error.clone().map(|e| ExportFailure {
            code: e.code,
            message_zh: e.message_zh,
            message_en: e.message_en,
        }),
        file_name: j.file_name,
    })
}

/// A finished job's file name and bytes, for its owner.
pub fn file(state: &AppState, user_id: &str, id: &str) -> Result<(String, Vec<u8>), AppError> {
    let j = visible(state, user_id, id)?;
    if let Some(e) = &j.error {
        return Err(AppError::Invalid(format!("the export failed ({})", e.code)));
    }
    if !j.has_file {
        return Err(AppError::Invalid("the export is not finished".into()));
    }
    let bytes = state
        .storage
        .export_file(id)?
        .ok_or_else(|| AppError::NotFound("export".into()))?;
    Ok((j.file_name, bytes))
}
