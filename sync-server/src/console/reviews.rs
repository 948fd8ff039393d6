//! The review queue and review-and-return (issue 5 §1), for grid heads and township
//! supervisors over the grids of their area.
//!
//! | route | answer |
//! |---|---|
//! | `GET /reviews?status=&grid_id=&q=&offset=&limit=` | [`ReviewPage`], newest first; `unreviewed` includes `resubmitted` |
//! | `GET /reviews/{household_id}/{record_id}` | [`ReviewDetail`] with the lineage |
//! | `POST /reviews` | [`ReviewResults`], one per item; one bad item never spoils the rest |
//!
//! A review is written by the server under the per-process actor ([`super::write`]),
//! naming the reviewer, their role and the content write they were shown
//! (`Review::content_hlc`); it is stored with feed entries like a pushed change, so the
//! worker's device receives it on its next sync. Each review is audited `console:review`.

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use gridwalk_core::doc::edit;
use gridwalk_core::doc::household::{Decision, Review};
use gridwalk_core::doc::review::{self, LineageKind, RecordContent, RecordKind};

use super::dto::{
    self, LineageEntry, ReviewDetail, ReviewFilter, ReviewPage, ReviewQuery, ReviewRequest,
    ReviewResult, ReviewResults,
};
use super::error::{ConsoleError, view_of};
use super::queue;
use super::scope::{self, Names, hlc_ms};
use super::session::ConsoleUser;
use super::write::{Target, write_docs};
use crate::error::AppError;
use crate::loaded;
use crate::state::AppState;

/// Most records in one review request.
pub const MAX_BATCH: usize = 500;

/// The review routes, relative to `/api/v1/console`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reviews", get(list).post(decide))
        .route("/reviews/{household_id}/{record_id}", get(detail))
}

fn may_see(cu: &ConsoleUser) -> Result<(), AppError> {
    if cu.user.role.may_review() || cu.user.role == gridwalk_core::reference::Role::Admin {
        Ok(())
    } else {
        Err(AppError::RoleNotAllowed)
    }
}

/// The queue page for a user.
pub fn page(state: &AppState, cu: &ConsoleUser, q: &ReviewQuery) -> Result<ReviewPage, AppError> {
    may_see(cu)?;
    let refdata = state.storage.reference_data()?;
    let mut grids = scope::grids_of(state, &cu.user, &refdata)?;
    if let Some(g) = &q.grid_id {
        grids.retain(|x| x == g);
    }
    let names = Names::load(state, &refdata)?;
    let mut rows = queue::rows_of(state, &grids, &names)?;
    rows.retain(|r| match q.status {
        None => true,
        Some(ReviewFilter::Unreviewed) => matches!(
            r.status,
            dto::ReviewStatus::Unreviewed | dto::ReviewStatus::Resubmitted
        ),
        Some(ReviewFilter::Returned) => r.status == dto::ReviewStatus::Returned,
        Some(ReviewFilter::Approved) => r.status == dto::ReviewStatus::Approved,
    });
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        rows.retain(|r| {
            r.address.contains(text)
                || r.author_name.contains(text)
                || r.note.contains(text)
                || r.service.contains(text)
        });
    }
    rows.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.record_id.cmp(&a.record_id)));
    let total = rows.len() as u32;
    let offset = q.offset.unwrap_or(0) as usize;
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_BATCH as u32) as usize;
    let items = rows.into_iter().skip(offset).take(limit).collect();
    Ok(ReviewPage { total, items })
}

async fn list(
    State(state): State<AppState>,
    cu: ConsoleUser,
    Query(q): Query<ReviewQuery>,
) -> Result<Json<ReviewPage>, ConsoleError> {
    Ok(Json(
        tokio::task::spawn_blocking(move || page(&state, &cu, &q)).await??,
    ))
}

/// Refuses a household outside the user's area (as not found: its existence is not told).
fn in_area(state: &AppState, cu: &ConsoleUser, household_id: &str) -> Result<(), AppError> {
    let refdata = state.storage.reference_data()?;
    let grids = scope::grids_of(state, &cu.user, &refdata)?;
    match state.storage.placement(household_id)? {
        Some(p) if grids.contains(&p.grid_id) => Ok(()),
        _ => Err(AppError::NotFound(format!("household {household_id}"))),
    }
}

fn kind_of(h: &gridwalk_core::doc::household::HouseholdDoc, id: &str) -> Option<RecordKind> {
    if h.visits.contains_key(id) {
        Some(RecordKind::Visit)
    } else if h.contacts.contains_key(id) {
        Some(RecordKind::Contact)
    } else {
        None
    }
}

/// One record with its lineage.
pub fn record_detail(
    state: &AppState,
    cu: &ConsoleUser,
    household_id: &str,
    record_id: &str,
) -> Result<ReviewDetail, AppError> {
    may_see(cu)?;
    in_area(state, cu, household_id)?;
    let not_found = || AppError::NotFound(format!("record {record_id}"));
    let mut l = loaded::load_fresh(state, household_id)?.ok_or_else(not_found)?;
    let h = queue::hydrate(household_id, &l.doc)?;
    let kind = kind_of(&h, record_id).ok_or_else(not_found)?;
    let refdata = state.storage.reference_data()?;
    let names = Names::load(state, &refdata)?;
    let grid = state
        .storage
        .placement(household_id)?
        .map_or_else(|| h.grid_id.clone(), |p| p.grid_id);
    let item =
        queue::item(&mut l.doc, &h, &grid, kind, record_id, &names)?.ok_or_else(not_found)?;
    let steps = review::lineage(&mut l.doc, &h, kind, record_id)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let lineage = steps
        .into_iter()
        .map(|s| {
            let (note, service, mode) = match &s.content {
                Some(RecordContent::Visit(c)) => (
                    Some(c.note.clone()),
                    Some(c.service.clone()),
                    Some(code(&c.mode)),
                ),
                Some(RecordContent::Contact(c)) => {
                    (Some(c.note.clone()), None, Some(code(&c.mode)))
                }
                None => (None, None, None),
            };
            LineageEntry {
                at: hlc_ms(&s.hlc),
                kind: match s.kind {
                    LineageKind::Submitted => dto::LineageKind::Submitted,
                    LineageKind::Fixed => dto::LineageKind::Fixed,
                    LineageKind::Approved => dto::LineageKind::Approved,
                    LineageKind::Returned => dto::LineageKind::Returned,
                },
                by_name: names.user(&s.by),
                role: s.role.map(|r| r.code().to_string()),
                reason: (!s.reason.is_empty()).then_some(s.reason),
                note,
                service,
                mode,
            }
        })
        .collect();
    Ok(ReviewDetail { item, lineage })
}

fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

async fn detail(
    State(state): State<AppState>,
    cu: ConsoleUser,
    Path((household_id, record_id)): Path<(String, String)>,
) -> Result<Json<ReviewDetail>, ConsoleError> {
    Ok(Json(
        tokio::task::spawn_blocking(move || record_detail(&state, &cu, &household_id, &record_id))
            .await??,
    ))
}

/// Writes one review per item (see the module docs).
pub fn review_items(
    state: &AppState,
    cu: &ConsoleUser,
    req: &ReviewRequest,
) -> Result<ReviewResults, ConsoleError> {
    if req.items.is_empty() {
        return Err(ConsoleError::required("items", "要审核的记录"));
    }
    if req.items.len() > MAX_BATCH {
        return Err(ConsoleError::Field {
            code: "too_many",
            field: "items",
            zh: format!("一次最多审核{MAX_BATCH}条记录。"),
            en: format!("At most {MAX_BATCH} records per request."),
        });
    }
    let reason = req.reason.as_deref().unwrap_or("").trim().to_string();
    let decision = match req.decision {
        dto::Decision::Approve => Decision::Approve,
        dto::Decision::Return => Decision::Return,
    };
    if decision == Decision::Return && reason.is_empty() {
        return Err(ConsoleError::required("reason", "退回原因"));
    }
    if reason.chars().count() > 1000 {
        return Err(ConsoleError::invalid(
            "reason",
            "The reason is over 1000 characters.",
        ));
    }
    if !cu.user.role.may_review() {
        return Err(AppError::RoleNotAllowed.into());
    }
    let refdata = state.storage.reference_data()?;
    let grids = scope::grids_of(state, &cu.user, &refdata)?;
    let mut outcome: Vec<Option<Result<(), AppError>>> = Vec::with_capacity(req.items.len());
    let mut targets = Vec::new();
    let mut slots = Vec::new();
    for (i, key) in req.items.iter().enumerate() {
        match state.storage.placement(&key.household_id)? {
            Some(p) if grids.contains(&p.grid_id) => {}
            _ => {
                outcome.push(Some(Err(AppError::NotFound(format!(
                    "household {}",
                    key.household_id
                )))));
                continue;
            }
        }
        outcome.push(None);
        slots.push(i);
        let (record_id, reason, household_id) = (
            key.record_id.clone(),
            reason.clone(),
            key.household_id.clone(),
        );
        targets.push(Target {
            doc_id: key.household_id.clone(),
            after: None,
            apply: Box::new(move |doc, ctx| {
                let h = queue::hydrate(&household_id, doc)?;
                let kind = kind_of(&h, &record_id)
                    .ok_or_else(|| AppError::NotFound(format!("record {record_id}")))?;
                let review = Review {
                    id: uuid::Uuid::now_v7().to_string(),
                    target_kind: kind.code().to_string(),
                    target_id: record_id.clone(),
                    decision,
                    reason,
                    reviewer_user: ctx.user.clone(),
                    role: ctx.role,
                    hlc: ctx.hlc.to_string(),
                    content_hlc: review::shown_content_key(&h, kind, &record_id),
                };
                edit::add_review(doc, ctx, &review)
                    .map_err(|e| AppError::Invalid(e.to_string()))?;
                Ok(format!("{}:{record_id}", kind.code()))
            }),
        });
    }
    let written = write_docs(state, &cu.user, "console:review", targets)?;
    for (slot, r) in slots.into_iter().zip(written) {
        outcome[slot] = Some(r);
    }
    let results = req
        .items
        .iter()
        .zip(outcome)
        .map(|(key, r)| {
            let error = match r {
                Some(Ok(())) => None,
                Some(Err(e)) => Some(view_of(&e)),
                None => Some(view_of(&AppError::Internal("not written".into()))),
            };
            ReviewResult {
                household_id: key.household_id.clone(),
                record_id: key.record_id.clone(),
                ok: error.is_none(),
                error,
            }
        })
        .collect();
    Ok(ReviewResults { results })
}

async fn decide(
    State(state): State<AppState>,
    cu: ConsoleUser,
    body: axum::body::Bytes,
) -> Result<Json<ReviewResults>, ConsoleError> {
    let req: ReviewRequest =
        serde_json::from_slice(&body).map_err(|e| AppError::Malformed(e.to_string()))?;
    Ok(Json(
        tokio::task::spawn_blocking(move || review_items(&state, &cu, &req)).await??,
    ))
}
