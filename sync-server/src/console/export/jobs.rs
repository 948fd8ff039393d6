//! Export jobs in this process's memory: started on the blocking pool, polled for
//! progress, their finished file served to the user who started them. See the module
//! above for what several nodes need instead.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use super::{Checked, ExportFailure, ExportRequest, ExportStatus, check, file_name, run};
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::UserRow;

/// Most jobs kept; the oldest are dropped first.
pub const MAX_JOBS: usize = 64;

/// How long a job (and its file) is kept.
pub const KEEP: Duration = Duration::from_secs(3600);

struct Job {
    owner: String,
    created: Instant,
    progress: f64,
    error: Option<ExportFailure>,
    file_name: String,
    bytes: Option<Arc<Vec<u8>>>,
}

static JOBS: LazyLock<Mutex<HashMap<String, Job>>> = LazyLock::new(Default::default);

fn jobs() -> std::sync::MutexGuard<'static, HashMap<String, Job>> {
    JOBS.lock().unwrap_or_else(|e| e.into_inner())
}

fn prune(map: &mut HashMap<String, Job>) {
    map.retain(|_, j| j.created.elapsed() < KEEP);
    while map.len() >= MAX_JOBS {
        let Some(oldest) = map
            .iter()
            .min_by_key(|(_, j)| j.created)
            .map(|(k, _)| k.clone())
        else {
            break;
        };
        map.remove(&oldest);
    }
}

fn update(id: &str, f: impl FnOnce(&mut Job)) {
    if let Some(j) = jobs().get_mut(id) {
        f(j);
    }
}

/// Checks the request, registers a job and starts it on tokio's blocking pool (call it
/// inside the runtime); returns the job id. Bad requests fail here, not in the job.
pub fn start(state: &AppState, user: &UserRow, req: ExportRequest) -> Result<String, AppError> {
    let checked = check(state, user, req)?;
    Ok(start_checked(state, user, checked))
}

/// Registers and starts a job for a request already checked; returns the job id.
pub fn start_checked(state: &AppState, user: &UserRow, checked: Checked) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    {
        let mut map = jobs();
        prune(&mut map);
        map.insert(
            id.clone(),
            Job {
                owner: user.id.clone(),
                created: Instant::now(),
                progress: 0.0,
                error: None,
                file_name: file_name(&checked),
                bytes: None,
            },
        );
    }
    let (state, user, job) = (state.clone(), user.clone(), id.clone());
    tokio::task::spawn_blocking(move || {
        let progress = |p: f64| update(&job, |j| j.progress = p.clamp(0.0, 0.99));
        let out = run(&state, &user, &checked, &progress);
        update(&job, |j| match out {
            Ok(bytes) => {
                j.bytes = Some(Arc::new(bytes));
                j.progress = 1.0;
            }
            Err(e) => {
                tracing::error!(error = %e, "export failed");
                let b = e.body();
                j.error = Some(ExportFailure {
                    code: b.code,
                    message_zh: b.message_zh,
                    message_en: b.message_en,
                });
                j.progress = 1.0;
            }
        });
    });
    id
}

/// A job's progress, for its owner.
pub fn status(user_id: &str, id: &str) -> Result<ExportStatus, AppError> {
    let map = jobs();
    let j = map
        .get(id)
        .filter(|j| j.owner == user_id)
        .ok_or_else(|| AppError::NotFound("export".into()))?;
    Ok(ExportStatus {
        progress: j.progress,
        done: j.bytes.is_some() || j.error.is_some(),
        error: j.error.clone(),
        file_name: j.file_name.clone(),
    })
}

/// A finished job's file name and bytes, for its owner.
pub fn file(user_id: &str, id: &str) -> Result<(String, Arc<Vec<u8>>), AppError> {
    let map = jobs();
    let j = map
        .get(id)
        .filter(|j| j.owner == user_id)
        .ok_or_else(|| AppError::NotFound("export".into()))?;
    match &j.bytes {
        Some(b) => Ok((j.file_name.clone(), b.clone())),
        None => Err(AppError::Invalid("the export is not finished".into())),
    }
}
