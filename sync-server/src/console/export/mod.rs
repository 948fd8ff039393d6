//! Excel export (`/api/v1/console/exports`): the assessment sheet per grid or per worker,
//! the incident ledger and the visit ledger for an area and a period, written by
//! [`sheets`] with rust_xlsxwriter.
//!
//! - `POST /exports` checks the request (kind, area in the user's scope, dates) at once,
//!   then runs the export as a background job on the blocking pool and answers `{id}`.
//! - `GET /exports/{id}` reports `{progress, done, error, file_name}`; `GET
//!   /exports/{id}/file` serves the workbook as an attachment. A job is visible only to
//!   the user who started it (anyone else gets 404 `not_found`).
//! - Every export writes one `audit` row (action `console:export`, target
//!   `kind=…;area=…;from=…;to=…;per=…`) when the file is made.
//!
//! **Jobs live in the database** ([`jobs`], table `export_jobs`): the node that starts a
//! job runs it and stores its progress and finished file, so the status and file
//! requests can reach any node. At most [`jobs::MAX_JOBS_PER_USER`] kept per user, none
//! older than an hour.

pub mod jobs;
pub mod sheets;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gridwalk_core::rules::Period;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dashboard::{facts, resolve_area};
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::{AuditRow, UserRow};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// 考核表: coverage, overdue visits, incidents, SLA, resolution, satisfaction.
    Assessment,
    /// 事件台账.
    Incidents,
    /// 走访台账.
    Visits,
}

impl ExportKind {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            ExportKind::Assessment => "assessment",
            ExportKind::Incidents => "incidents",
            ExportKind::Visits => "visits",
        }
    }

    fn label_zh(self) -> &'static str {
        match self {
            ExportKind::Assessment => "考核表",
            ExportKind::Incidents => "事件台账",
            ExportKind::Visits => "走访台账",
        }
    }
}

/// Rows of the assessment sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportPer {
    /// One row per grid.
    #[default]
    Grid,
    /// One row per grid worker.
    Worker,
}

/// `POST /exports` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportRequest {
    /// Which workbook.
    pub kind: ExportKind,
    /// Township, village or grid; absent for the user's own area.
    #[serde(default)]
    pub area_id: Option<String>,
    /// First day, `YYYY-MM-DD` (Asia/Shanghai).
    pub from: String,
    /// Last day, included.
    pub to: String,
    /// Assessment rows per grid (default) or per worker; ignored by the ledgers.
    #[serde(default)]
    pub per: ExportPer,
}

/// `POST /exports` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportCreated {
    /// The job id.
    pub id: String,
}

/// Why a job failed: the server's stable code and messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportFailure {
    /// Stable code.
    pub code: String,
    /// Chinese message.
    pub message_zh: String,
    /// English message.
    pub message_en: String,
}

/// `GET /exports/{id}` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportStatus {
    /// 0..=1.
    pub progress: f64,
    /// Finished (with a file or an error).
    pub done: bool,
    /// Set when the job failed.
    pub error: Option<ExportFailure>,
    /// The file's name (`考核表_<area>_<from>_<to>.xlsx`).
    pub file_name: String,
}

/// A checked request: the area node and the period.
pub struct Checked {
    area: gridwalk_core::reference::Area,
    period: Period,
    req: ExportRequest,
}

/// Checks a request for `user`: the period, and the area inside the user's scope.
pub fn check(state: &AppState, user: &UserRow, req: ExportRequest) -> Result<Checked, AppError> {
    let period = facts::period_of(&req.from, &req.to)?;
    let area = resolve_area(state, user, req.area_id.as_deref())?;
    Ok(Checked { area, period, req })
}

/// The file name of an export.
pub fn file_name(c: &Checked) -> String {
    let per = match (c.req.kind, c.req.per) {
        (ExportKind::Assessment, ExportPer::Worker) => "_按网格员",
        (ExportKind::Assessment, ExportPer::Grid) => "_按网格",
        _ => "",
    };
    format!(
        "{}{per}_{}_{}_{}.xlsx",
        c.req.kind.label_zh(),
        c.area.name,
        c.req.from.trim(),
        c.req.to.trim()
    )
}

/// Makes the workbook of a checked request and audits it; `progress` hears 0..=1.
pub fn run(
    state: &AppState,
    user: &UserRow,
    c: &Checked,
    progress: &dyn Fn(f64),
) -> Result<Vec<u8>, AppError> {
    let data = facts::load(state, user, c.area.clone(), &c.period, &|f| {
        progress(f * 0.8)
    })?;
    let sheet = match c.req.kind {
        ExportKind::Assessment => {
            sheets::assessment(&data, &c.period, c.req.per == ExportPer::Worker)
        }
        ExportKind::Incidents => sheets::incidents(&data, &c.period),
        ExportKind::Visits => sheets::visits(&data, &c.period, user.role),
    };
    progress(0.9);
    let bytes = sheets::write(&[sheet])
        .map_err(|e| AppError::Internal(format!("writing the workbook: {e}")))?;
    state.storage.audit(&[AuditRow {
        at: state.now(),
        user_id: Some(user.id.clone()),
        device_id: None,
        action: "console:export".into(),
        doc_id: None,
        target: Some(format!(
            "kind={};area={};from={};to={};per={}",
            c.req.kind.code(),
            c.area.id,
            c.req.from.trim(),
            c.req.to.trim(),
            match c.req.per {
                ExportPer::Grid => "grid",
                ExportPer::Worker => "worker",
            }
        )),
        event_id: None,
    }])?;
    progress(1.0);
    Ok(bytes)
}

/// The TypeScript declarations of the export DTOs, for the console bindings file.
pub fn decls(cfg: &ts_rs::Config) -> Vec<String> {
    vec![
        ExportKind::decl(cfg),
        ExportPer::decl(cfg),
        ExportRequest::decl(cfg),
        ExportCreated::decl(cfg),
        ExportFailure::decl(cfg),
        ExportStatus::decl(cfg),
    ]
}

/// The export routes, relative to `/api/v1/console`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/exports", post(create))
        .route("/exports/{id}", get(progress))
        .route("/exports/{id}/file", get(download))
}

async fn create(
    State(state): State<AppState>,
    cu: super::session::ConsoleUser,
    body: Result<Json<ExportRequest>, JsonRejection>,
) -> Result<Json<ExportCreated>, AppError> {
    let Json(req) = body.map_err(|e| AppError::Invalid(e.body_text()))?;
    let st = state.clone();
    let user = cu.user.clone();
    let id = tokio::task::spawn_blocking(move || jobs::start(&st, &user, req)).await??;
    Ok(Json(ExportCreated { id }))
}

async fn progress(
    State(state): State<AppState>,
    cu: super::session::ConsoleUser,
    Path(id): Path<String>,
) -> Result<Json<ExportStatus>, AppError> {
    let status =
        tokio::task::spawn_blocking(move || jobs::status(&state, &cu.user.id, &id)).await??;
    Ok(Json(status))
}

async fn download(
    State(state): State<AppState>,
    cu: super::session::ConsoleUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (name, bytes) =
        tokio::task::spawn_blocking(move || jobs::file(&state, &cu.user.id, &id)).await??;
    let disposition = format!(
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}",
        percent(&name)
    );
    let mut resp = Response::new(axum::body::Body::from(bytes));
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|e| AppError::Internal(e.to_string()))?,
    );
    Ok(resp)
}

/// The xlsx media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// RFC 5987 percent-encoding of a file name (UTF-8 bytes outside the unreserved set).
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
