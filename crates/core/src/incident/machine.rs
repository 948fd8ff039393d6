//! The incident state machine over the merged event log.
//!
//! The effective state of an incident is never stored. [`effective`] folds the log,
//! ordered by (hlc, device, id), through the transition table, so it is a pure function
//! of the *set* of events: two replicas that merged in different orders agree.
//!
//! An event that is illegal at its place in the log (two units both signed offline, a
//! refusal raced a signature, a role that may not take the action) is kept in the
//! document and listed in [`Effective::flagged`]; it never changes the state.
//!
//! Decisions (see the transition table in `transitions.rs`):
//! - A grid head's own report (and resubmission) counts as grid-accepted: it goes
//!   straight to the dispatcher ([`State::GridAccepted`]).
//! - A dispatcher's return as a duplicate is final; a grid return or a return as
//!   insufficient goes back to the reporter, whose resubmission lands in
//!   [`State::Reported`] (or [`State::GridAccepted`] for a grid head).
//! - A refusal puts the incident back in [`State::Accepted`] with
//!   [`Effective::refusal`] set, so the dispatcher re-routes it.
//! - 网格自办: [`Action::SelfHandle`] goes straight to [`State::Handled`]; the grid
//!   head closes it from there without verification. If the reporter later fails the
//!   verification, it goes back to [`State::Reported`] and leaves the in-grid path.
//! - A failed verification of a routed incident goes back to [`State::InProgress`] and
//!   clears `handled_at`, so the feedback deadline runs again.
//! - A soft-deleted draft takes no new action; a report made offline before the
//!   deletion was seen wins over it ([`Effective::deleted_draft`]).
//! - [`append`] refuses a write whose clock would sort before the log, so every event is
//!   judged locally at the place [`effective`] gives it.

use std::collections::BTreeSet;

use automerge::AutoCommit;
use serde::{Deserialize, Serialize};

use super::Action;
use super::transitions::{Denial, apply, permit, validate_fields};
use crate::doc::WriteCtx;
use crate::doc::incident::{INCIDENT_SCHEMA, IncidentDoc, NewEvent};
use crate::reference::{Platform, Role};
use crate::{CoreError, Hlc, Timestamp};

/// Who returned an incident, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnKind {
    /// The grid head returned it to the reporter.
    Grid,
    /// The dispatcher returned it as a duplicate (final).
    Duplicate,
    /// The dispatcher returned it as insufficient; the reporter may resubmit.
    Insufficient,
}

/// The effective state of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// 草稿: not yet reported.
    Draft,
    /// 已上报: waiting for the grid head.
    Reported,
    /// 网格已受理: forwarded to the township, waiting for the dispatcher.
    GridAccepted,
    /// 已退回: back with the reporter (or final, for a duplicate).
    Returned(ReturnKind),
    /// 已受理: waiting to be routed (again, after a refusal).
    Accepted,
    /// 已交办: waiting for the unit to sign or refuse.
    Routed,
    /// 处置中: signed for; the unit is working on it.
    InProgress,
    /// 申请延期: in progress, with a delay request open.
    DelayRequested,
    /// 已反馈: result fed back (or recorded on the spot, 网格自办).
    Handled,
    /// 已核查: the reporter verified the result on site.
    Verified,
    /// 办结: closed.
    Closed,
    /// 已评价: closed and rated.
    Rated,
}

impl State {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Reported => "reported",
            State::GridAccepted => "grid_accepted",
            State::Returned(ReturnKind::Grid) => "returned_by_grid",
            State::Returned(ReturnKind::Duplicate) => "returned_duplicate",
            State::Returned(ReturnKind::Insufficient) => "returned_insufficient",
            State::Accepted => "accepted",
            State::Routed => "routed",
            State::InProgress => "in_progress",
            State::DelayRequested => "delay_requested",
            State::Handled => "handled",
            State::Verified => "verified",
            State::Closed => "closed",
            State::Rated => "rated",
        }
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            State::Draft => "草稿",
            State::Reported => "已上报",
            State::GridAccepted => "网格已受理",
            State::Returned(ReturnKind::Grid) => "网格退回",
            State::Returned(ReturnKind::Duplicate) => "退回（重复）",
            State::Returned(ReturnKind::Insufficient) => "退回（信息不全）",
            State::Accepted => "已受理",
            State::Routed => "已交办",
            State::InProgress => "处置中",
            State::DelayRequested => "申请延期",
            State::Handled => "已反馈",
            State::Verified => "已核查",
            State::Closed => "办结",
            State::Rated => "已评价",
        }
    }

    /// Is the incident open: reported and neither closed nor finally returned?
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            State::Draft | State::Closed | State::Rated | State::Returned(ReturnKind::Duplicate)
        )
    }
}

/// A rating level (满意 / 基本满意 / 不满意).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingLevel {
    /// 满意
    Satisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Unsatisfied,
}

impl RatingLevel {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            RatingLevel::Satisfied => "satisfied",
            RatingLevel::BasicallySatisfied => "basically_satisfied",
            RatingLevel::Unsatisfied => "unsatisfied",
        }
    }

    /// Parses a code; `basically` is accepted as the short form of `basically_satisfied`.
    pub fn from_code(code: &str) -> Option<RatingLevel> {
        match code {
            "satisfied" => Some(RatingLevel::Satisfied),
            "basically_satisfied" | "basically" => Some(RatingLevel::BasicallySatisfied),
            "unsatisfied" => Some(RatingLevel::Unsatisfied),
            _ => None,
        }
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            RatingLevel::Satisfied => "满意",
            RatingLevel::BasicallySatisfied => "基本满意",
            RatingLevel::Unsatisfied => "不满意",
        }
    }
}

/// How a rating reached the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingChannel {
    /// The resident rated directly.
    Resident,
    /// A grid worker recorded it on the resident's behalf.
    Worker,
    /// A call-back (回访) by the command room.
    Callback,
}

impl RatingChannel {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            RatingChannel::Resident => "resident",
            RatingChannel::Worker => "worker",
            RatingChannel::Callback => "callback",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<RatingChannel> {
        match code {
            "resident" => Some(RatingChannel::Resident),
            "worker" => Some(RatingChannel::Worker),
            "callback" => Some(RatingChannel::Callback),
            _ => None,
        }
    }
}

/// An event kept in the log but illegal at its place after a merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlaggedEvent {
    /// The event id.
    pub event_id: String,
    /// Its action.
    pub action: Action,
    /// Why it was not applied: `wrong_state`, `wrong_role`, `not_reporter`,
    /// `not_in_grid`, `no_open_request`, `not_involved`, `reason_required`,
    /// `invalid_fields` or `invalid_clock`.
    pub reason_code: &'static str,
}

/// The last refusal, while the incident waits to be re-routed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The refusing event.
    pub event_id: String,
    /// The refusing user.
    pub by: String,
    /// When.
    pub at: Timestamp,
    /// The unit it had been routed to.
    pub unit: Option<String>,
    /// The reason given.
    pub note: String,
}

/// An open delay request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelayRequest {
    /// The request event.
    pub event_id: String,
    /// The requesting user.
    pub by: String,
    /// When.
    pub at: Timestamp,
    /// Working days asked for.
    pub days: u32,
}

/// The rating of a closed incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    /// The rating event.
    pub event_id: String,
    /// Who recorded it.
    pub by: String,
    /// Their role.
    pub role: Role,
    /// When.
    pub at: Timestamp,
    /// The level.
    pub level: RatingLevel,
    /// The channel.
    pub channel: RatingChannel,
}

/// A manual 督办 event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManualSupervision {
    /// The event.
    pub event_id: String,
    /// Who raised it.
    pub by: String,
    /// Their role.
    pub role: Role,
    /// When.
    pub at: Timestamp,
    /// What they asked.
    pub note: String,
}

/// The effective view of an incident: what the merged log adds up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effective {
    /// The current state.
    pub state: State,
    /// Events kept in the log but not applied, in log order.
    pub flagged: Vec<FlaggedEvent>,
    /// First report (or in-grid handling) time.
    pub reported_at: Option<Timestamp>,
    /// Latest routing time.
    pub routed_at: Option<Timestamp>,
    /// Signature time for the latest routing.
    pub signed_at: Option<Timestamp>,
    /// Latest feedback (or in-grid result) time; cleared by a failed verification.
    pub handled_at: Option<Timestamp>,
    /// Closing time.
    pub closed_at: Option<Timestamp>,
    /// Platform of the latest routing (the category's platform if the route named none).
    pub platform: Option<Platform>,
    /// Handling unit of the latest routing.
    pub unit: Option<String>,
    /// Was the latest routing an escalation to a county-level unit?
    pub county: bool,
    /// Set when the unit refused and the dispatcher has not re-routed yet.
    pub refusal: Option<Refusal>,
    /// Working days of delay granted so far.
    pub granted_delay_days: u32,
    /// The open delay request, if any.
    pub open_delay: Option<DelayRequest>,
    /// The rating, once rated.
    pub rating: Option<Rating>,
    /// Manual 督办 events, in log order.
    pub supervisions: Vec<ManualSupervision>,
    /// How many verifications failed.
    pub failed_verifications: u32,
    /// Is the incident on the 网格自办 path?
    pub is_self_handled: bool,
    /// Users whose events were applied.
    pub involved: BTreeSet<String>,
    /// A draft that was soft-deleted (`deleted_at`) and never reported. A report that
    /// raced the deletion wins: the incident is real, so the deletion no longer counts.
    pub deleted_draft: bool,
}

impl Effective {
    /// The view of a draft with an empty log.
    pub fn draft() -> Effective {
        Effective {
            state: State::Draft,
            flagged: Vec::new(),
            reported_at: None,
            routed_at: None,
            signed_at: None,
            handled_at: None,
            closed_at: None,
            platform: None,
            unit: None,
            county: false,
            refusal: None,
            granted_delay_days: 0,
            open_delay: None,
            rating: None,
            supervisions: Vec::new(),
            failed_verifications: 0,
            is_self_handled: false,
            involved: BTreeSet::new(),
            deleted_draft: false,
        }
    }
}

/// Folds the ordered log through the transition table. Pure and order-independent.
pub fn effective(doc: &IncidentDoc) -> Effective {
    let mut eff = Effective::draft();
    for ev in doc.ordered_events() {
        let flag = |code| FlaggedEvent {
            event_id: ev.id.clone(),
            action: ev.action,
            reason_code: code,
        };
        let Ok(hlc) = ev.hlc.parse::<Hlc>() else {
            eff.flagged.push(flag("invalid_clock"));
            continue;
        };
        let judged = permit(doc, &eff, ev.action, &ev.actor_user, ev.role)
            .and_then(|()| validate_fields(ev.action, ev.role, &ev.note, &ev.fields));
        match judged {
            Ok(()) => apply(doc, &mut eff, ev, Timestamp(hlc.wall_ms)),
            Err(d) => eff.flagged.push(flag(d.code)),
        }
    }
    let deleted = doc.deleted_at.value().copied().flatten().is_some();
    eff.deleted_draft = deleted && eff.state == State::Draft;
    eff
}

/// The actions `user` acting as `role` may take now (the buttons a UI shows). A
/// deleted draft offers none.
pub fn allowed_actions(doc: &IncidentDoc, eff: &Effective, user: &str, role: Role) -> Vec<Action> {
    if eff.deleted_draft {
        return Vec::new();
    }
    Action::ALL
        .into_iter()
        .filter(|a| permit(doc, eff, *a, user, role).is_ok())
        .collect()
}

fn refused(action: Action, d: Denial) -> CoreError {
    CoreError::ActionNotAllowed {
        action: action.code(),
        reason: d.reason,
    }
}

/// Checks a new event before it is written: not a deleted draft, role, state, reporter
/// identity, fields, and an unused event id.
pub fn check(
    doc: &IncidentDoc,
    eff: &Effective,
    ev: &NewEvent,
    user: &str,
    role: Role,
) -> Result<(), CoreError> {
    if eff.deleted_draft {
        let reason = "the draft was deleted";
        return Err(refused(
            ev.action,
            Denial {
                code: "deleted",
                reason,
            },
        ));
    }
    permit(doc, eff, ev.action, user, role).map_err(|d| refused(ev.action, d))?;
    validate_fields(ev.action, role, &ev.note, &ev.fields).map_err(|d| refused(ev.action, d))?;
    crate::doc::check_len("note", &ev.note, 2000)?;
    if ev.id.trim().is_empty() {
        return Err(CoreError::Required("id"));
    }
    if doc.events.contains_key(&ev.id) {
        return Err(refused(
            ev.action,
            Denial {
                code: "duplicate_id",
                reason: "an event with this id is already in the log",
            },
        ));
    }
    Ok(())
}

/// Checks and appends one event to an incident document, at its own path
/// (`events/<id>`), and commits it as `incident.<action>`.
///
/// The writer's clock must sort after every event already in the log (callers observe
/// the log's clocks first), so the event is judged where [`effective`] will place it.
pub fn append(doc: &mut AutoCommit, ctx: &WriteCtx, ev: NewEvent) -> Result<(), CoreError> {
    let current: IncidentDoc = crate::doc::load(doc, INCIDENT_SCHEMA)?;
    let eff = effective(&current);
    check(&current, &eff, &ev, &ctx.user, ctx.role)?;
    let action = ev.action;
    let event = ev.into_event(ctx);
    if current.events.values().any(|e| e.hlc >= event.hlc) {
        return Err(refused(
            action,
            Denial {
                code: "clock_behind",
                reason: "the device clock is behind the incident log; sync the clock first",
            },
        ));
    }
    let events_obj = crate::doc::obj_at(doc, &["events"])?;
    autosurgeon::reconcile_prop(doc, &events_obj, event.id.as_str(), &event)
        .map_err(|e| CoreError::DoesNotHydrate(e.to_string()))?;
    crate::doc::commit(doc, ctx, &format!("incident.{}", action.code()));
    Ok(())
}
