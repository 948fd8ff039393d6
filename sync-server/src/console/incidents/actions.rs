//! Taking an incident action from the console (`POST /incidents/{id}/actions`): the role
//! and the incident's state decide whether it is offered, the request's fields are checked
//! (400 with the field), and the event is written under the per-process actor and audited.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use gridwalk_core::doc::incident::NewEvent;
use gridwalk_core::incident::Action;
use gridwalk_core::incident::machine::{self, RatingChannel, RatingLevel};
use gridwalk_core::protocol::ReferenceData;
use gridwalk_core::reference::{Platform, Role};
use gridwalk_core::{Hlc, Lang, Localized};

use super::super::dto::{IncidentActionRequest, IncidentDetail};
use super::super::error::ConsoleError;
use super::super::session::ConsoleUser;
use super::super::write::{Target, write_docs};
use super::{allowed, console_actions, incident_detail, load, visible};
use crate::error::AppError;
use crate::state::AppState;

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

pub(super) async fn act(
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
