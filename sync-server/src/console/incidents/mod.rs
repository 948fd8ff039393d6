//! Incident dispatch through the 四平台 (issue 5 §2), over core's state machine.
//!
//! | route | answer |
//! |---|---|
//! | `GET /incidents?state=&grid_id=&offset=&limit=` | [`IncidentPage`], newest first, with deadline and 督办 |
//! | `GET /incidents/{id}` | [`IncidentDetail`] with the actions this user may take now |
//! | `POST /incidents/{id}/actions` | the detail after the action; 403 `action_not_allowed`, 400 with a field |
//!
//! Who sees what: the grids of the user's area ([`super::scope`]); a handling unit sees
//! only incidents routed to its unit. What the console offers each role (core's
//! transition table decides state and the rest):
//! - dispatcher: accept, return (duplicate / insufficient), route, grant or deny a delay,
//!   close, supervise, add information, and a rating taken by call-back;
//! - grid head: grid accept, grid return, close, add information;
//! - handling unit (its own unit's incidents only): sign, refuse, progress, request a
//!   delay, feedback, add information;
//! - township supervisor: supervise, add information.
//!
//! Reporting, resubmitting and verification happen on the reporting worker's device.
//! Actions are written under the per-process actor ([`super::write`]) after the log's
//! newest clock, and audited `console:incident`. Taking an action is [`actions`].

mod actions;

pub use actions::take_action;

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use gridwalk_core::Timestamp;
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::incident::{INCIDENT_SCHEMA, IncidentDoc};
use gridwalk_core::incident::machine::{self, Effective};
use gridwalk_core::incident::{Action, supervision};
use gridwalk_core::protocol::ReferenceData;
use gridwalk_core::reference::Role;
use gridwalk_core::rules::sla::OverdueLevel;

use super::dto::{
    IncidentDetail, IncidentEventItem, IncidentItem, IncidentPage, IncidentQuery, SupervisionLevel,
    UnitItem,
};
use super::error::ConsoleError;
use super::scope::{self, Names, hlc_ms};
use super::session::ConsoleUser;
use crate::error::AppError;
use crate::loaded;
use crate::state::AppState;

/// The incident routes, relative to `/api/v1/console`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(list))
        .route("/incidents/{id}", get(detail))
        .route("/incidents/{id}/actions", post(actions::act))
}

/// The actions the console offers a role (core decides the state and the rest).
pub fn console_actions(role: Role) -> &'static [Action] {
    use Action as A;
    match role {
        Role::Dispatcher => &[
            A::Accept,
            A::ReturnDuplicate,
            A::ReturnInsufficient,
            A::Route,
            A::GrantDelay,
            A::DenyDelay,
            A::Close,
            A::Supervise,
            A::Rate,
            A::AddInfo,
        ],
        Role::GridHead => &[A::GridAccept, A::GridReturn, A::Close, A::AddInfo],
        Role::HandlingUnit => &[
            A::Sign,
            A::Refuse,
            A::Progress,
            A::RequestDelay,
            A::Feedback,
            A::AddInfo,
        ],
        Role::TownshipSupervisor => &[A::Supervise, A::AddInfo],
        _ => &[],
    }
}

/// One incident loaded for the console.
struct Loaded {
    doc: IncidentDoc,
    eff: Effective,
    grid_id: String,
}

fn load(state: &AppState, id: &str) -> Result<Option<Loaded>, AppError> {
    let Some(meta) = state.storage.doc_meta(id)? else {
        return Ok(None);
    };
    if meta.kind != DocKind::Incident {
        return Ok(None);
    }
    let Some(l) = loaded::load_fresh(state, id)? else {
        return Ok(None);
    };
    let doc: IncidentDoc = gridwalk_core::doc::load(&l.doc, INCIDENT_SCHEMA)
        .map_err(|e| AppError::Internal(format!("incident {id} does not hydrate: {e}")))?;
    let eff = machine::effective(&doc);
    Ok(Some(Loaded {
        doc,
        eff,
        grid_id: meta.grid_id,
    }))
}

/// May this user see this incident at all?
fn visible(
    state: &AppState,
    cu: &ConsoleUser,
    inc: &Loaded,
    refdata: &ReferenceData,
) -> Result<bool, AppError> {
    if cu.user.role == Role::HandlingUnit {
        return Ok(inc.eff.unit.is_some() && inc.eff.unit == cu.user.unit_id);
    }
    Ok(scope::grids_of(state, &cu.user, refdata)?.contains(&inc.grid_id))
}

fn item(inc: &Loaded, refdata: &ReferenceData, names: &Names, now: i64) -> IncidentItem {
    let d = &inc.doc;
    let category = d.category.value().cloned().unwrap_or_default();
    let sup = supervision::supervision(
        d,
        &inc.eff,
        &refdata.sla_rules,
        &refdata.calendar,
        Timestamp(now),
    );
    // The deadline that is running: signing until signed, then feedback until handled.
    let deadline = match (sup.accept, sup.feedback) {
        (Some(a), _) if inc.eff.signed_at.is_none() && inc.eff.refusal.is_none() => {
            Some(a.deadline.0)
        }
        (_, Some(f)) if inc.eff.handled_at.is_none() => Some(f.deadline.0),
        _ => None,
    }
    .filter(|_| inc.eff.state.is_open());
    let unit_name = inc.eff.unit.as_ref().map(|u| {
        refdata
            .units
            .iter()
            .find(|x| &x.id == u)
            .map_or_else(|| u.clone(), |x| x.name.clone())
    });
    let description = d.description.value().cloned().unwrap_or_default();
    IncidentItem {
        id: d.id.clone(),
        summary: description
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(60)
            .collect(),
        category_name: refdata
            .categories
            .iter()
            .find(|c| c.code == category)
            .map_or_else(|| category.clone(), |c| c.name.clone()),
        category_code: category,
        platform: inc
            .eff
            .platform
            .or_else(|| d.platform.value().copied())
            .map(|p| p.code().to_string()),
        urgency: d
            .urgency
            .value()
            .map(|u| u.code().to_string())
            .unwrap_or_default(),
        state: inc.eff.state.code().to_string(),
        grid_id: inc.grid_id.clone(),
        grid_name: names.area(&inc.grid_id),
        reported_at: inc.eff.reported_at.map_or(d.created_at, |t| t.0),
        reporter_name: names.user(&d.reported_by),
        unit_id: inc.eff.unit.clone(),
        unit_name,
        deadline,
        supervision: match sup.level {
            OverdueLevel::OnTime => SupervisionLevel::OnTime,
            OverdueLevel::Overdue => SupervisionLevel::Overdue,
            OverdueLevel::Yellow => SupervisionLevel::Yellow,
            OverdueLevel::Red => SupervisionLevel::Red,
        },
        manual_supervision: sup.manual,
    }
}

/// The dispatch list for a user.
pub fn page(
    state: &AppState,
    cu: &ConsoleUser,
    q: &IncidentQuery,
) -> Result<IncidentPage, AppError> {
    let refdata = state.storage.reference_data()?;
    let names = Names::load(state, &refdata)?;
    let grids = if cu.user.role == Role::HandlingUnit {
        let township = refdata
            .units
            .iter()
            .find(|u| Some(&u.id) == cu.user.unit_id.as_ref())
            .and_then(|u| u.township_id.clone());
        match township {
            Some(t) => state.storage.grids_under(&t)?.into_iter().collect(),
            None => refdata
                .areas
                .iter()
                .filter(|a| a.level == gridwalk_core::reference::AreaLevel::Grid)
                .map(|a| a.id.clone())
                .collect(),
        }
    } else {
        scope::grids_of(state, &cu.user, &refdata)?
    };
    let now = state.now();
    let mut items = Vec::new();
    for g in grids
        .iter()
        .filter(|g| q.grid_id.as_ref().is_none_or(|want| want == *g))
    {
        let mut after = String::new();
        loop {
            let page = state.storage.docs_in_grid(g, &after, 1_000)?;
            let Some(last) = page.last() else { break };
            after = last.id.clone();
            for m in page.iter().filter(|m| m.kind == DocKind::Incident) {
                let Some(inc) = load(state, &m.id)? else {
                    continue;
                };
                if inc.eff.deleted_draft || inc.eff.state == machine::State::Draft {
                    continue;
                }
                if cu.user.role == Role::HandlingUnit && !visible(state, cu, &inc, &refdata)? {
                    continue;
                }
                let it = item(&inc, &refdata, &names, now);
                if q.state.as_ref().is_none_or(|s| *s == it.state) {
                    items.push(it);
                }
            }
        }
    }
    items.sort_by(|a, b| {
        b.reported_at
            .cmp(&a.reported_at)
            .then_with(|| b.id.cmp(&a.id))
    });
    let total = items.len() as u32;
    let offset = q.offset.unwrap_or(0) as usize;
    let limit = q.limit.unwrap_or(50).clamp(1, 500) as usize;
    Ok(IncidentPage {
        total,
        items: items.into_iter().skip(offset).take(limit).collect(),
    })
}

async fn list(
    State(state): State<AppState>,
    cu: ConsoleUser,
    Query(q): Query<IncidentQuery>,
) -> Result<Json<IncidentPage>, ConsoleError> {
    Ok(Json(
        tokio::task::spawn_blocking(move || page(&state, &cu, &q)).await??,
    ))
}

/// The actions this console user may take on the incident now.
fn allowed(cu: &ConsoleUser, inc: &Loaded) -> Vec<Action> {
    if cu.user.role == Role::HandlingUnit
        && (inc.eff.unit.is_none() || inc.eff.unit != cu.user.unit_id)
    {
        return Vec::new();
    }
    let offered = console_actions(cu.user.role);
    machine::allowed_actions(&inc.doc, &inc.eff, &cu.user.id, cu.user.role)
        .into_iter()
        .filter(|a| offered.contains(a))
        .collect()
}

/// One incident in full.
pub fn incident_detail(
    state: &AppState,
    cu: &ConsoleUser,
    id: &str,
) -> Result<IncidentDetail, AppError> {
    let refdata = state.storage.reference_data()?;
    let not_found = || AppError::NotFound(format!("incident {id}"));
    let inc = load(state, id)?.ok_or_else(not_found)?;
    if !visible(state, cu, &inc, &refdata)? {
        return Err(not_found());
    }
    let names = Names::load(state, &refdata)?;
    let flagged: std::collections::BTreeSet<&str> = inc
        .eff
        .flagged
        .iter()
        .map(|f| f.event_id.as_str())
        .collect();
    let events = inc
        .doc
        .ordered_events()
        .into_iter()
        .map(|e| IncidentEventItem {
            id: e.id.clone(),
            action: e.action.code().to_string(),
            action_label_zh: e.action.label_zh().to_string(),
            actor_name: names.user(&e.actor_user),
            role: e.role.code().to_string(),
            at: hlc_ms(&e.hlc),
            note: (!e.note.is_empty())
                .then(|| e.note.clone())
                .or_else(|| e.fields.get("result").cloned()),
            flagged: flagged.contains(e.id.as_str()),
        })
        .collect();
    let allowed_actions = allowed(cu, &inc)
        .into_iter()
        .map(|a| a.code().to_string())
        .collect();
    let units = refdata
        .units
        .iter()
        .map(|u| UnitItem {
            id: u.id.clone(),
            name: u.name.clone(),
            platform: Some(u.platform.code().to_string()),
            level: if u.township_id.is_some() {
                "township".into()
            } else {
                "county".into()
            },
        })
        .collect();
    let d = &inc.doc;
    Ok(IncidentDetail {
        item: item(&inc, &refdata, &names, state.now()),
        description: d.description.value().cloned().unwrap_or_default(),
        location: d.location.value().cloned().filter(|s| !s.is_empty()),
        parties: d.parties.value().cloned().filter(|s| !s.is_empty()),
        events,
        allowed_actions,
        units,
    })
}

async fn detail(
    State(state): State<AppState>,
    cu: ConsoleUser,
    Path(id): Path<String>,
) -> Result<Json<IncidentDetail>, ConsoleError> {
    Ok(Json(
        tokio::task::spawn_blocking(move || incident_detail(&state, &cu, &id)).await??,
    ))
}
