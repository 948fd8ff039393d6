//! The console dashboard (`GET /api/v1/console/dashboard`): coverage "户户见干部" per
//! grid, worker and contactor, days since last seen in person, overdue visits by tag
//! rule, incidents by state, category and platform, SLA compliance, resolution,
//! verification and satisfaction, for an area and a period (DOMAIN.md "Metrics that
//! count"). Nothing here counts logins, online time, mileage or check-ins.
//!
//! The figures come from core's rules over the area's documents ([`facts`] loads them
//! through the per-grid [`cache`], [`compute`] adds them up); the JSON is
//! [`dto::Dashboard`].
//!
//! Scope: the area asked for must be the user's own area or lie under it (a township
//! supervisor may ask for its township, a village or a grid of it; any other area is 403
//! `out_of_scope`). The period is two Shanghai dates, both included.

pub mod cache;
pub mod compute;
pub mod dto;
pub mod facts;

use gridwalk_core::reference::Area;

use crate::error::AppError;
use crate::state::AppState;
use crate::storage::UserRow;

pub use dto::{Dashboard, DashboardQuery};

/// The area a console user asks for (their own when `area_id` is absent), refused with
/// `out_of_scope` when it is not theirs and `role_not_allowed` for non-console roles.
pub fn resolve_area(
    state: &AppState,
    user: &UserRow,
    area_id: Option<&str>,
) -> Result<Area, AppError> {
    if !super::session::may_use_console(user.role) {
        return Err(AppError::RoleNotAllowed);
    }
    let own = user.area_id.as_deref().ok_or(AppError::OutOfScope)?;
    let want = area_id.filter(|a| !a.trim().is_empty()).unwrap_or(own);
    if !facts::is_within(state, want, own)? {
        return Err(AppError::OutOfScope);
    }
    state.storage.area(want)?.ok_or(AppError::OutOfScope)
}

/// The dashboard of `q` for `user` (blocking: call it on the blocking pool).
pub fn for_user(
    state: &AppState,
    user: &UserRow,
    q: &DashboardQuery,
) -> Result<Dashboard, AppError> {
    let period = facts::period_of(&q.from, &q.to)?;
    let area = resolve_area(state, user, q.area_id.as_deref())?;
    let data = facts::load(state, user, area, &period, &|_| {})?;
    Ok(compute::dashboard(
        &data,
        &period,
        q.from.trim(),
        q.to.trim(),
    ))
}

/// The dashboard route, relative to `/api/v1/console`.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/dashboard", axum::routing::get(get_dashboard))
}

async fn get_dashboard(
    axum::extract::State(state): axum::extract::State<AppState>,
    cu: super::session::ConsoleUser,
    q: Result<axum::extract::Query<DashboardQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<axum::Json<Dashboard>, AppError> {
    let axum::extract::Query(q) = q.map_err(|e| AppError::Invalid(e.body_text()))?;
    let d = tokio::task::spawn_blocking(move || for_user(&state, &cu.user, &q)).await??;
    Ok(axum::Json(d))
}
