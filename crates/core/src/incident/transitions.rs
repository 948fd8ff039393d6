//! The transition table of the incident state machine: who may take which action in
//! which state ([`permit`]), what fields an action needs ([`validate_fields`]), and what
//! an accepted event does to the effective view ([`apply`]).
//!
//! The same three functions serve the live check before a write
//! ([`super::machine::check`]) and the fold over a merged log
//! ([`super::machine::effective`]), so a write accepted locally is judged the same way
//! at its place in the log on every replica.

use std::collections::BTreeMap;

use super::Action;
use super::machine::{
    DelayRequest, Effective, ManualSupervision, Rating, RatingChannel, RatingLevel, Refusal,
    ReturnKind, State,
};
use crate::Timestamp;
use crate::doc::incident::{IncidentDoc, IncidentEvent};
use crate::reference::{Platform, Role};

/// Why an action is refused: a stable reason code and an English sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Denial {
    /// Stable code, also used as [`super::machine::FlaggedEvent::reason_code`].
    pub code: &'static str,
    /// Why, in English.
    pub reason: &'static str,
}

const fn deny(code: &'static str, reason: &'static str) -> Result<(), Denial> {
    Err(Denial { code, reason })
}

/// The longest delay a handling unit may ask for in one request, in working days.
pub const MAX_DELAY_WORKING_DAYS: u32 = 30;

/// Roles that may report an incident.
pub const REPORTER_ROLES: [Role; 4] = [
    Role::GridWorker,
    Role::PartTimeWorker,
    Role::PartyMember,
    Role::GridHead,
];

fn role_in(role: Role, roles: &[Role]) -> bool {
    roles.contains(&role)
}

/// The state a (re)submission lands in: a grid head's own report counts as
/// grid-accepted, so it goes straight to the dispatcher.
pub(crate) fn submitted_state(role: Role) -> State {
    if role == Role::GridHead {
        State::GridAccepted
    } else {
        State::Reported
    }
}

/// May `user` acting as `role` take `action` now? Role and state only; fields are
/// checked by [`validate_fields`].
pub(crate) fn permit(
    doc: &IncidentDoc,
    eff: &Effective,
    action: Action,
    user: &str,
    role: Role,
) -> Result<(), Denial> {
    use Action as A;
    let st = eff.state;
    let is_reporter = user == doc.reported_by;
    match action {
        A::Report => {
            if !role_in(role, &REPORTER_ROLES) {
                return deny(
                    "wrong_role",
                    "only grid workers, part-time workers, party members and grid heads report incidents",
                );
            }
            if !is_reporter {
                return deny("not_reporter", "only the author of the draft reports it");
            }
            if st != State::Draft {
                return deny("wrong_state", "only a draft can be reported");
            }
        }
        A::SelfHandle => {
            if !matches!(role, Role::GridWorker | Role::GridHead) {
                return deny(
                    "wrong_role",
                    "only a grid worker or grid head handles an incident inside the grid",
                );
            }
            if !is_reporter {
                return deny(
                    "not_reporter",
                    "only the reporting worker handles an incident inside the grid",
                );
            }
            if doc.platform.value() != Some(&Platform::InGrid) {
                return deny(
                    "not_in_grid",
                    "the category is not one handled inside the grid",
                );
            }
            if !matches!(st, State::Draft | State::Reported) {
                return deny(
                    "wrong_state",
                    "only a draft or a reported incident can be handled inside the grid",
                );
            }
        }
        A::GridAccept | A::GridReturn => {
            if role != Role::GridHead {
                return deny(
                    "wrong_role",
                    "only the grid head accepts or returns at grid level",
                );
            }
            if st != State::Reported {
                return deny(
                    "wrong_state",
                    "only a reported incident awaits grid acceptance",
                );
            }
        }
        A::Accept | A::ReturnDuplicate | A::ReturnInsufficient => {
            if role != Role::Dispatcher {
                return deny(
                    "wrong_role",
                    "only the dispatcher accepts or returns at township level",
                );
            }
            if st != State::GridAccepted {
                return deny(
                    "wrong_state",
                    "only an incident forwarded by the grid awaits township acceptance",
                );
            }
        }
        A::Resubmit => {
            if !is_reporter || !role_in(role, &REPORTER_ROLES) {
                return deny(
                    "not_reporter",
                    "only the reporter resubmits a returned incident",
                );
            }
            match st {
                State::Returned(ReturnKind::Duplicate) => {
                    return deny("wrong_state", "a return as a duplicate is final");
                }
                State::Returned(_) => {}
                _ => return deny("wrong_state", "only a returned incident can be resubmitted"),
            }
        }
        A::Route => {
            if role != Role::Dispatcher {
                return deny("wrong_role", "only the dispatcher routes incidents");
            }
            if st != State::Accepted {
                return deny(
                    "wrong_state",
                    "only an accepted (or refused) incident can be routed",
                );
            }
        }
        A::Sign | A::Refuse => {
            if role != Role::HandlingUnit {
                return deny(
                    "wrong_role",
                    "only the handling unit signs for or refuses an incident",
                );
            }
            if st != State::Routed {
                return deny(
                    "wrong_state",
                    "only a routed incident can be signed for or refused",
                );
            }
        }
        A::Progress | A::Feedback => {
            if role != Role::HandlingUnit {
                return deny(
                    "wrong_role",
                    "only the handling unit records progress or feeds back",
                );
            }
            if !matches!(st, State::InProgress | State::DelayRequested) {
                return deny(
                    "wrong_state",
                    "the incident is not in progress: a unit must sign for it first",
                );
            }
        }
        A::RequestDelay => {
            if role != Role::HandlingUnit {
                return deny("wrong_role", "only the handling unit asks for a delay");
            }
            if st == State::DelayRequested {
                return deny("wrong_state", "a delay request is already open");
            }
            if st != State::InProgress {
                return deny(
                    "wrong_state",
                    "a delay can only be asked for while in progress",
                );
            }
        }
        A::GrantDelay | A::DenyDelay => {
            if role != Role::Dispatcher {
                return deny("wrong_role", "only the dispatcher grants or denies a delay");
            }
            if eff.open_delay.is_none() || st != State::DelayRequested {
                return deny("no_open_request", "there is no open delay request");
            }
        }
        A::Verify | A::VerifyFail => {
            if !is_reporter || !role_in(role, &REPORTER_ROLES) {
                return deny("not_reporter", "only the reporting worker verifies on site");
            }
            if st != State::Handled {
                return deny("wrong_state", "only a handled incident can be verified");
            }
        }
        A::Close => {
            if !matches!(role, Role::Dispatcher | Role::GridHead) {
                return deny(
                    "wrong_role",
                    "only the dispatcher or the grid head closes an incident",
                );
            }
            match st {
                State::Verified => {}
                State::Handled if eff.is_self_handled => {
                    if role != Role::GridHead {
                        return deny(
                            "wrong_role",
                            "an incident handled inside the grid is closed by the grid head",
                        );
                    }
                }
                State::Handled => {
                    return deny(
                        "wrong_state",
                        "the reporter must verify the result before closing",
                    );
                }
                _ => return deny("wrong_state", "only a verified incident can be closed"),
            }
        }
        A::Rate => {
            if !is_reporter && !matches!(role, Role::GridWorker | Role::GridHead | Role::Dispatcher)
            {
                return deny(
                    "wrong_role",
                    "only the reporter, a grid worker or grid head on the resident's behalf, or a dispatcher's call-back rates",
                );
            }
            if st != State::Closed {
                return deny(
                    "wrong_state",
                    "only a closed, unrated incident can be rated",
                );
            }
        }
        A::Supervise => {
            if !matches!(role, Role::TownshipSupervisor | Role::Dispatcher) {
                return deny(
                    "wrong_role",
                    "only a township supervisor or the dispatcher raises supervision",
                );
            }
            if !st.is_open() {
                return deny("wrong_state", "only an open incident can be supervised");
            }
        }
        A::AddInfo => {
            let involved = is_reporter
                || eff.involved.contains(user)
                || matches!(
                    role,
                    Role::GridHead | Role::TownshipSupervisor | Role::Dispatcher
                )
                || (role == Role::HandlingUnit && eff.routed_at.is_some());
            if !involved {
                return deny(
                    "not_involved",
                    "only people involved in the incident add information",
                );
            }
        }
    }
    Ok(())
}

fn field<'a>(fields: &'a BTreeMap<String, String>, key: &str) -> Option<&'a str> {
    fields.get(key).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// Are the action's fields (and, for returns and refusals, its note) complete and valid?
pub(crate) fn validate_fields(
    action: Action,
    role: Role,
    note: &str,
    fields: &BTreeMap<String, String>,
) -> Result<(), Denial> {
    use Action as A;
    match action {
        A::GridReturn | A::ReturnDuplicate | A::ReturnInsufficient | A::Refuse | A::VerifyFail
            if note.trim().is_empty() =>
        {
            deny(
                "reason_required",
                "a return, refusal or failed verification needs a reason in the note",
            )
        }
        A::SelfHandle | A::Feedback if field(fields, "result").is_none() => deny(
            "invalid_fields",
            "the field result (what was done) is required",
        ),
        A::Route => {
            if field(fields, "unit").is_none() {
                return deny(
                    "invalid_fields",
                    "routing needs the field unit (the handling unit)",
                );
            }
            if let Some(p) = field(fields, "platform") {
                match Platform::from_code(p) {
                    Some(Platform::InGrid) => {
                        return deny(
                            "invalid_fields",
                            "an incident is routed to one of the four platforms, not in_grid",
                        );
                    }
                    None => {
                        return deny(
                            "invalid_fields",
                            "the field platform is not a platform code",
                        );
                    }
                    Some(_) => {}
                }
            }
            match field(fields, "county") {
                None | Some("true") | Some("false") => Ok(()),
                Some(_) => deny("invalid_fields", "the field county must be true or false"),
            }
        }
        A::RequestDelay => match field(fields, "days").and_then(|d| d.parse::<u32>().ok()) {
            Some(d) if (1..=MAX_DELAY_WORKING_DAYS).contains(&d) => Ok(()),
            _ => deny(
                "invalid_fields",
                "the field days must be a whole number of working days from 1 to 30",
            ),
        },
        A::Rate => {
            if field(fields, "level")
                .and_then(RatingLevel::from_code)
                .is_none()
            {
                return deny(
                    "invalid_fields",
                    "the field level must be satisfied, basically_satisfied or unsatisfied",
                );
            }
            let channel = field(fields, "channel").and_then(RatingChannel::from_code);
            match channel {
                None => deny(
                    "invalid_fields",
                    "the field channel must be resident, worker or callback",
                ),
                Some(c) if role == Role::Dispatcher && c != RatingChannel::Callback => deny(
                    "invalid_fields",
                    "a dispatcher records a rating only from a call-back",
                ),
                Some(_) => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// Applies an event already judged legal at its place in the log.
pub(crate) fn apply(doc: &IncidentDoc, eff: &mut Effective, ev: &IncidentEvent, at: Timestamp) {
    use Action as A;
    let get = |k: &str| field(&ev.fields, k).map(str::to_string);
    match ev.action {
        A::Report => {
            eff.state = submitted_state(ev.role);
            eff.reported_at.get_or_insert(at);
        }
        A::SelfHandle => {
            eff.state = State::Handled;
            eff.is_self_handled = true;
            eff.reported_at.get_or_insert(at);
            eff.handled_at = Some(at);
        }
        A::GridAccept => eff.state = State::GridAccepted,
        A::GridReturn => eff.state = State::Returned(ReturnKind::Grid),
        A::Accept => eff.state = State::Accepted,
        A::ReturnDuplicate => eff.state = State::Returned(ReturnKind::Duplicate),
        A::ReturnInsufficient => eff.state = State::Returned(ReturnKind::Insufficient),
        A::Resubmit => eff.state = submitted_state(ev.role),
        A::Route => {
            eff.state = State::Routed;
            eff.routed_at = Some(at);
            eff.signed_at = None;
            eff.handled_at = None;
            eff.platform = get("platform")
                .and_then(|p| Platform::from_code(&p))
                .or_else(|| doc.platform.value().copied());
            eff.unit = get("unit");
            eff.county = get("county").as_deref() == Some("true");
            eff.refusal = None;
        }
        A::Sign => {
            eff.state = State::InProgress;
            eff.signed_at = Some(at);
        }
        A::Refuse => {
            eff.state = State::Accepted;
            eff.refusal = Some(Refusal {
                event_id: ev.id.clone(),
                by: ev.actor_user.clone(),
                at,
                unit: eff.unit.clone(),
                note: ev.note.clone(),
            });
        }
        A::Progress | A::AddInfo => {}
        A::RequestDelay => {
            eff.state = State::DelayRequested;
            eff.open_delay = Some(DelayRequest {
                event_id: ev.id.clone(),
                by: ev.actor_user.clone(),
                at,
                days: get("days").and_then(|d| d.parse().ok()).unwrap_or(0),
            });
        }
        A::GrantDelay => {
            eff.state = State::InProgress;
            if let Some(req) = eff.open_delay.take() {
                eff.granted_delay_days += req.days;
            }
        }
        A::DenyDelay => {
            eff.state = State::InProgress;
            eff.open_delay = None;
        }
        A::Feedback => {
            eff.state = State::Handled;
            eff.handled_at = Some(at);
            eff.open_delay = None;
        }
        A::Verify => eff.state = State::Verified,
        A::VerifyFail => {
            eff.failed_verifications += 1;
            eff.handled_at = None;
            if eff.is_self_handled {
                eff.is_self_handled = false;
                eff.state = State::Reported;
            } else {
                eff.state = State::InProgress;
            }
        }
        A::Close => {
            eff.state = State::Closed;
            eff.closed_at = Some(at);
        }
        A::Rate => {
            eff.state = State::Rated;
            let level = get("level").and_then(|l| RatingLevel::from_code(&l));
            let channel = get("channel").and_then(|c| RatingChannel::from_code(&c));
            if let (Some(level), Some(channel)) = (level, channel) {
                eff.rating = Some(Rating {
                    event_id: ev.id.clone(),
                    by: ev.actor_user.clone(),
                    role: ev.role,
                    at,
                    level,
                    channel,
                });
            }
        }
        A::Supervise => eff.supervisions.push(ManualSupervision {
            event_id: ev.id.clone(),
            by: ev.actor_user.clone(),
            role: ev.role,
            at,
            note: ev.note.clone(),
        }),
    }
    eff.involved.insert(ev.actor_user.clone());
}
