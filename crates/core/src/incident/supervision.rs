//! 督办 (supervision), derived from the log, the clock, the SLA rules and the
//! working-day calendar. Nothing here is stored: it is recomputed whenever it is shown.
//!
//! - The accept deadline counts from the latest routing until the unit signs (or
//!   refuses: a refusal hands the incident back to the dispatcher, so the unit's clock
//!   stops there).
//! - The feedback deadline counts from the latest routing until feedback, extended by
//!   the working days of delay granted. A failed verification clears the feedback time,
//!   so the same deadline runs again.
//! - An incident handled inside the grid (网格自办) is never routed and has no deadlines.
//! - Manual 督办 is a `supervise` event in the log; it counts while the incident is open.

use serde::Serialize;

use super::machine::Effective;
use crate::Timestamp;
use crate::doc::incident::IncidentDoc;
use crate::reference::{SlaRule, Urgency, WorkCalendar};
use crate::rules::sla::{OverdueLevel, accept_deadline, feedback_deadline, overdue_level};

/// One deadline and how far past it the incident is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeadlineStatus {
    /// When the step is due.
    pub deadline: Timestamp,
    /// On time, overdue, yellow or red.
    pub level: OverdueLevel,
}

/// The 督办 view of one incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Supervision {
    /// Signing for the routed incident; `None` until routed.
    pub accept: Option<DeadlineStatus>,
    /// Feeding back a result; `None` until routed, or while a refusal waits for
    /// re-routing.
    pub feedback: Option<DeadlineStatus>,
    /// The worst of the two levels (on time when there is no deadline).
    pub level: OverdueLevel,
    /// Has someone raised 督办 by hand while the incident is open?
    pub manual: bool,
}

/// Computes 督办 for an incident at `now`.
pub fn supervision(
    doc: &IncidentDoc,
    eff: &Effective,
    rules: &[SlaRule],
    calendar: &WorkCalendar,
    now: Timestamp,
) -> Supervision {
    let urgency = doc.urgency.value().copied().unwrap_or(Urgency::Normal);
    let mut accept = None;
    let mut feedback = None;
    if let Some(routed_at) = eff.routed_at {
        let signed = eff.signed_at.or(eff.refusal.as_ref().map(|r| r.at));
        let deadline = accept_deadline(rules, calendar, urgency, routed_at);
        accept = Some(DeadlineStatus {
            deadline,
            level: overdue_level(calendar, deadline, signed, now),
        });
        if eff.refusal.is_none() {
            let deadline =
                feedback_deadline(rules, calendar, urgency, routed_at, eff.granted_delay_days);
            feedback = Some(DeadlineStatus {
                deadline,
                level: overdue_level(calendar, deadline, eff.handled_at, now),
            });
        }
    }
    let level = [accept, feedback]
        .into_iter()
        .flatten()
        .map(|s| s.level)
        .max()
        .unwrap_or(OverdueLevel::OnTime);
    Supervision {
        accept,
        feedback,
        level,
        manual: !eff.supervisions.is_empty() && eff.state.is_open(),
    }
}
