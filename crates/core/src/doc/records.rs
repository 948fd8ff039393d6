//! Building new visit and contact-log records from what a person entered.
//!
//! Every caller (the app, the data generator, tests, benchmarks) builds records here, so
//! they are validated the same way and every register starts with one write stamped by
//! the creating action.

use std::collections::BTreeMap;

use super::household::{
    Campaign, ContactContent, ContactLog, ContactMode, Need, NeedOutcome, Observation,
    ObservationKind, Visit, VisitContent, VisitKind,
};
use super::register::Register;
use super::{Gps, WriteCtx, check_len};
use crate::CoreError;

/// One need (诉求) as entered on the visit form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNeed {
    /// UUIDv7.
    pub id: String,
    /// What the household asked for.
    pub text: String,
    /// Noted, an incident, or a 代办 request.
    pub outcome: NeedOutcome,
    /// The incident it became, when the same tap created one.
    pub incident_id: Option<String>,
}

/// A visit as entered on the form.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVisit {
    /// UUIDv7.
    pub id: String,
    /// When it happened (UTC ms); usually the action's own time.
    pub at: i64,
    /// In person, phone or video.
    pub mode: ContactMode,
    /// Members met (person ids of the household).
    pub persons_met: Vec<String>,
    /// Visit type.
    pub kind: VisitKind,
    /// Campaign, required for campaign visits.
    pub campaign: Option<Campaign>,
    /// Household changes seen: (id, kind, person, note).
    pub observations: Vec<(String, ObservationKind, Option<String>, String)>,
    /// Needs raised.
    pub needs: Vec<NewNeed>,
    /// Service given on the spot.
    pub service: String,
    /// Follow-up date, `YYYY-MM-DD`.
    pub follow_up: Option<String>,
    /// GPS where the platform gave it.
    pub gps: Option<Gps>,
    /// 民情日记.
    pub note: String,
}

impl NewVisit {
    /// A routine in-person visit with nothing else filled in: the one-tap visit.
    pub fn routine(id: impl Into<String>, at: i64) -> NewVisit {
        NewVisit {
            id: id.into(),
            at,
            mode: ContactMode::InPerson,
            persons_met: Vec::new(),
            kind: VisitKind::Routine,
            campaign: None,
            observations: Vec::new(),
            needs: Vec::new(),
            service: String::new(),
            follow_up: None,
            gps: None,
            note: String::new(),
        }
    }

    /// Validates the form and builds the record, written by `ctx`.
    pub fn into_record(self, ctx: &WriteCtx) -> Result<Visit, CoreError> {
        check_len("note", &self.note, 4000)?;
        check_len("note", &self.service, 2000)?;
        if self.kind == VisitKind::Campaign && self.campaign.is_none() {
            return Err(CoreError::Required("campaign"));
        }
        if let Some(day) = &self.follow_up {
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| {
                CoreError::InvalidReference(format!("follow-up date {day} is not YYYY-MM-DD"))
            })?;
        }
        let (by, at) = (ctx.user.clone(), ctx.hlc.to_string());
        let mut needs = BTreeMap::new();
        for n in self.needs {
            if n.text.trim().is_empty() {
                return Err(CoreError::Required("need"));
            }
            check_len("need", &n.text, 1000)?;
            let need = Need {
                id: n.id.clone(),
                text: n.text,
                outcome: Register::new(n.outcome, by.clone(), at.clone()),
                incident_id: Register::new(n.incident_id, by.clone(), at.clone()),
            };
            needs.insert(n.id, need);
        }
        let observations = self
            .observations
            .into_iter()
            .map(|(id, kind, person_id, note)| {
                (
                    id.clone(),
                    Observation {
                        id,
                        kind,
                        person_id,
                        note,
                    },
                )
            })
            .collect();
        Ok(Visit {
            id: self.id,
            visitor_user: ctx.user.clone(),
            visitor_role: ctx.role,
            device: ctx.device.clone(),
            at: self.at,
            hlc: at.clone(),
            content: Register::new(
                VisitContent {
                    mode: self.mode,
                    persons_met: self.persons_met,
                    kind: self.kind,
                    campaign: self.campaign,
                    service: self.service,
                    follow_up: self.follow_up,
                    note: self.note,
                },
                by.clone(),
                at.clone(),
            ),
            observations,
            needs,
            gps: self.gps,
            deleted_at: Register::new(None, by.clone(), at.clone()),
        })
    }
}

/// A 三联系 / 党员联户 contact log as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    /// UUIDv7.
    pub id: String,
    /// The assignment it fulfils.
    pub assignment_id: Option<String>,
    /// When it happened (UTC ms).
    pub at: i64,
    /// In person, phone or video.
    pub mode: ContactMode,
    /// What was discussed.
    pub note: String,
}

impl NewContact {
    /// Validates the form and builds the record, written by `ctx`.
    pub fn into_record(self, ctx: &WriteCtx) -> Result<ContactLog, CoreError> {
        check_len("note", &self.note, 4000)?;
        let (by, at) = (ctx.user.clone(), ctx.hlc.to_string());
        Ok(ContactLog {
            id: self.id,
            assignment_id: self.assignment_id,
            contactor_user: ctx.user.clone(),
            role: ctx.role,
            device: ctx.device.clone(),
            at: self.at,
            hlc: at.clone(),
            content: Register::new(
                ContactContent {
                    mode: self.mode,
                    note: self.note,
                },
                by.clone(),
                at.clone(),
            ),
            deleted_at: Register::new(None, by, at),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Role;
    use crate::{Hlc, Timestamp};

    fn ctx() -> WriteCtx {
        WriteCtx {
            user: "u".into(),
            role: Role::GridWorker,
            device: "d".into(),
            hlc: Hlc {
                wall_ms: 5,
                counter: 0,
                node: "d".into(),
            },
            at: Timestamp(5),
        }
    }

    #[test]
    fn a_campaign_visit_without_its_campaign_is_refused() {
        let mut v = NewVisit::routine("v", 5);
        v.kind = VisitKind::Campaign;
        assert_eq!(
            v.into_record(&ctx()).unwrap_err(),
            CoreError::Required("campaign")
        );
    }

    #[test]
    fn every_register_of_a_new_visit_is_stamped_by_the_creating_action() {
        let v = NewVisit::routine("v", 5).into_record(&ctx()).unwrap();
        assert_eq!(
            v.content.current().unwrap().at,
            ctx().hlc.to_string(),
            "the write key is the action's HLC"
        );
        assert_eq!(v.visitor_user, "u");
    }

    #[test]
    fn a_follow_up_date_must_be_a_date() {
        let mut v = NewVisit::routine("v", 5);
        v.follow_up = Some("next week".into());
        assert!(
            v.into_record(&ctx()).is_err(),
            "a follow-up must be a calendar date"
        );
    }
}
