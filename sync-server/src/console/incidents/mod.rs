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
//! newest clock, and audited `console:incident`.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::incident::{INCIDENT_SCHEMA, IncidentDoc, NewEvent};
use gridwalk_core::incident::machine::{self, Effective, RatingChannel, RatingLevel};
use gridwalk_core::incident::{Action, supervision};
use gridwalk_core::protocol::ReferenceData;
use gridwalk_core::reference::{Platform, Role};
use gridwalk_core::rules::sla::OverdueLevel;
use gridwalk_core::{Hlc, Lang, Localized, Timestamp};

use super::dto::{
    IncidentActionRequest, IncidentDetail, IncidentEventItem, IncidentItem, IncidentPage,
    IncidentQuery, SupervisionLevel, UnitItem,
};
use super::error::ConsoleError;
use super::scope::{self, Names, hlc_ms};
use super::session::ConsoleUser;
use super::write::{Target, write_docs};
use crate::error::AppError;
use crate::loaded;
use crate::state::AppState;

/// The incident routes, relative to `/api/v1/console`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(list))
        .route("/incidents/{id}", get(detail))
        .route("/incidents/{id}/actions", post(act))
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

fn not_allowed(action: &str, zh: &str, en: impl Into<String>) -> ConsoleError {
    ConsoleError::App(AppError::ActionNotAllowed {
        zh: format!(
            "不能执行“{}”：{zh}",
            gridwalk_core::incident::action_label_zh(action)
        ),
        en: format!("Action {action} is not allowed: {}", en.into()),
    })
}

fn note_of(req: &IncidentActionRequest) -> String {
    req.note.as_deref().unwrap_or("").trim().to_string()
}

/// The event's note and fields from the request, refusing bad fields with 400.
fn event_fields(
    action: Action,
    req: &IncidentActionRequest,
    refdata: &ReferenceData,
) -> Result<(String, BTreeMap<String, String>), ConsoleError> {
    use Action as A;
    let note = note_of(req);
    if note.chars().count() > 2000 {
        return Err(ConsoleError::invalid(
            "note",
            "The note is over 2000 characters.",
        ));
    }
    let mut fields = BTreeMap::new();
    match action {
        A::GridReturn | A::ReturnDuplicate | A::ReturnInsufficient | A::Refuse
            if note.is_empty() =>
        {
            return Err(ConsoleError::required("note", "原因"));
        }
        A::Feedback => {
            if note.is_empty() {
                return Err(ConsoleError::required("note", "处置结果"));
            }
            fields.insert("result".to_string(), note.clone());
        }
        A::Route => {
            let unit_id = req
                .unit_id
                .as_deref()
                .filter(|u| !u.trim().is_empty())
                .ok_or_else(|| ConsoleError::required("unit_id", "承办单位"))?;
            let unit = refdata
                .units
                .iter()
                .find(|u| u.id == unit_id)
                .ok_or_else(|| ConsoleError::invalid("unit_id", "No such handling unit."))?;
            let platform = match req.platform.as_deref().filter(|p| !p.is_empty()) {
                Some(p) => match Platform::from_code(p) {
                    Some(Platform::InGrid) | None => {
                        return Err(ConsoleError::invalid(
                            "platform",
                            "Route to one of the four platforms.",
                        ));
                    }
                    Some(p) => p,
                },
                None => unit.platform,
            };
            fields.insert("unit".into(), unit.id.clone());
            fields.insert("platform".into(), platform.code().into());
            fields.insert("county".into(), unit.township_id.is_none().to_string());
        }
        A::RequestDelay => match req.days {
            Some(d) if (1..=gridwalk_core::incident::MAX_DELAY_WORKING_DAYS).contains(&d) => {
                fields.insert("days".into(), d.to_string());
            }
            _ => {
                return Err(ConsoleError::invalid(
                    "days",
                    "Ask for 1 to 30 working days.",
                ));
            }
        },
        A::Rate => {
            let level = req
                .rating
                .as_deref()
                .and_then(RatingLevel::from_code)
                .ok_or_else(|| ConsoleError::invalid("rating", "Choose a rating level."))?;
            let channel = match req.channel.as_deref() {
                None | Some("") => RatingChannel::Callback,
                Some(c) => RatingChannel::from_code(c)
                    .filter(|c| *c == RatingChannel::Callback)
                    .ok_or_else(|| {
                        ConsoleError::invalid(
                            "channel",
                            "The console records ratings taken by call-back only.",
                        )
                    })?,
            };
            fields.insert("level".into(), level.code().into());
            fields.insert("channel".into(), channel.code().into());
        }
        _ => {}
    }
    Ok((note, fields))
}

/// Takes one action on an incident (see the module docs).
pub fn take_action(
    state: &AppState,
    cu: &ConsoleUser,
    id: &str,
    req: &IncidentActionRequest,
) -> Result<IncidentDetail, ConsoleError> {
    let action = Action::from_code(&req.action)
        .ok_or_else(|| ConsoleError::invalid("action", "Unknown action code."))?;
    let refdata = state.storage.reference_data()?;
    let not_found = || AppError::NotFound(format!("incident {id}"));
    let inc = load(state, id)?.ok_or_else(not_found)?;
    if !visible(state, cu, &inc, &refdata)? && cu.user.role != Role::HandlingUnit {
        return Err(not_found().into());
    }
    if !console_actions(cu.user.role).contains(&action) {
        return Err(not_allowed(
            action.code(),
            &format!("{}不能在管理后台执行此操作。", cu.user.role.label_zh()),
            format!(
                "the role {} may not take it in the console",
                cu.user.role.code()
            ),
        ));
    }
    if cu.user.role == Role::HandlingUnit
        && (inc.eff.unit.is_none() || inc.eff.unit != cu.user.unit_id)
    {
        return Err(not_allowed(
            action.code(),
            "该事件未交办给本单位。",
            "the incident is not routed to this unit",
        ));
    }
    if !allowed(cu, &inc).contains(&action) {
        return Err(not_allowed(
            action.code(),
            &format!("事件当前状态为“{}”。", inc.eff.state.label_zh()),
            format!("the incident is {}", inc.eff.state.code()),
        ));
    }
    let (note, fields) = event_fields(action, req, &refdata)?;
    let newest: Option<Hlc> = inc
        .doc
        .events
        .values()
        .filter_map(|e| e.hlc.parse().ok())
        .max();
    let ev = NewEvent {
        id: uuid::Uuid::now_v7().to_string(),
        action,
        note,
        fields,
    };
    let target = Target {
        doc_id: id.to_string(),
        after: newest,
        apply: Box::new(move |doc, ctx| {
            let event_id = ev.id.clone();
            machine::append(doc, ctx, ev).map_err(|e| AppError::ActionNotAllowed {
                zh: e.message(Lang::ZhCn),
                en: e.message(Lang::En),
            })?;
            Ok(event_id)
        }),
    };
    let mut results = write_docs(state, &cu.user, "console:incident", vec![target])?;
    results.pop().unwrap_or(Ok(()))?;
    Ok(incident_detail(state, cu, id)?)
}

async fn act(
    State(state): State<AppState>,
    cu: ConsoleUser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<IncidentDetail>, ConsoleError> {
    let req: IncidentActionRequest =
        serde_json::from_slice(&body).map_err(|e| AppError::Malformed(e.to_string()))?;
    Ok(Json(
        tokio::task::spawn_blocking(move || take_action(&state, &cu, &id, &req)).await??,
    ))
}
