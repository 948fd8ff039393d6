//! Visits (走访), contact logs (三联系 / 党员联户) and the user's contact assignments.
//!
//! A visit is validated whole before anything is written: codes, members met (each must
//! be a live member of the household), observations, needs, the follow-up date
//! (`YYYY-MM-DD`), GPS, lengths, and every incident its needs become. Needs with outcome
//! `incident` then become reported incident documents linked to the household, each
//! written as its own store action **immediately before the visit** (the store writes
//! one document per transaction); the need records the incident id. Because every check
//! runs before the first write, a refusal leaves nothing behind. `proxy` records a 代办
//! request (`NeedOutcome::Proxy`) on the need.

use std::collections::HashSet;

use chrono::NaiveDate;
use gridwalk_core::doc::edit::add_contact as add_household_contact;
use gridwalk_core::doc::edit::add_visit;
use gridwalk_core::doc::household::{
    Campaign, ContactMode, NeedOutcome, ObservationKind, VisitKind,
};
use gridwalk_core::doc::incident::{NewIncident, Source};
use gridwalk_core::doc::journal::add_contact as add_journal_contact;
use gridwalk_core::doc::records::{NewContact, NewNeed, NewVisit};
use gridwalk_core::doc::{DocKind, journal_doc_id};
use gridwalk_core::reference::{Platform, Urgency};
use gridwalk_store::Action;

use super::FieldApp;
use super::card::member_not_found;
use super::incidents::{IncidentDraft, gps_of};
use super::util::{day_text, parse_code};
use crate::dto::*;
use crate::error::codes;

/// The category a need becomes when the form names none: `service.other` where the
/// tree has it, otherwise the first 便民服务 leaf (the most general platform).
fn default_need_category(tree: &[gridwalk_core::reference::IncidentCategory]) -> Option<String> {
    tree.iter()
        .find(|c| c.code == "service.other" && c.platform.is_some())
        .or_else(|| {
            tree.iter()
                .find(|c| c.platform == Some(Platform::PublicService))
        })
        .map(|c| c.code.clone())
}

fn not_a_member(id: &str) -> AppError {
    AppError::new(
        codes::NOT_A_MEMBER,
        "所选的人不是这一户的成员。",
        format!("Person {id} is not a member of this household."),
    )
    .on_field("persons_met")
}

fn invalid_date(field: &str, value: &str) -> AppError {
    AppError::new(
        codes::INVALID_DATE,
        "日期格式不正确，请选择一个日期。",
        format!("{value} is not a date (YYYY-MM-DD)."),
    )
    .on_field(field)
}

fn with_field(e: gridwalk_core::CoreError, field: &str) -> AppError {
    AppError::from(e).on_field(field)
}

impl FieldApp {
    /// Saves a visit with everything the form holds; needs marked `incident` are
    /// reported as incidents first (see the module docs).
    pub fn save_visit(&mut self, input: &NewVisitInput) -> Result<SavedVisit, AppError> {
        let role = self.role()?;
        if !role.holds_households() {
            return Err(super::card::role_not_allowed("record household visits"));
        }
        let row = self.live_household(&input.household_id)?;
        let members: HashSet<String> = self
            .store
            .members_of(&input.household_id)?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let mode: ContactMode = parse_code("mode", &input.mode)?;
        let kind: VisitKind = parse_code("kind", &input.kind)?;
        let campaign: Option<Campaign> = match input.campaign.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(parse_code("campaign", c)?),
            None => None,
        };
        for p in &input.persons_met {
            if !members.contains(p) {
                return Err(not_a_member(p));
            }
        }
        let mut observations = Vec::new();
        for o in &input.observations {
            let k: ObservationKind = parse_code("observations", &o.kind)?;
            if let Some(p) = &o.person_id
                && !members.contains(p)
            {
                return Err(member_not_found(p).on_field("observations"));
            }
            gridwalk_core::doc::check_len("observations", &o.note, 1000)
                .map_err(|e| with_field(e, "observations"))?;
            observations.push((
                self.new_id(),
                k,
                o.person_id.clone(),
                o.note.trim().to_string(),
            ));
        }
        let follow_up = match input
            .follow_up
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => {
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| invalid_date("follow_up", d))?;
                if d.len() != 10 {
                    return Err(invalid_date("follow_up", d));
                }
                Some(d.to_string())
            }
            None => None,
        };
        let gps = gps_of(&input.gps)?;
        let tree = self.categories()?;
        let mut needs = Vec::new();
        let mut drafts = Vec::new();
        for n in &input.needs {
            let outcome: NeedOutcome = parse_code("needs", &n.outcome)?;
            let text = n.text.trim().to_string();
            let incident_id = if outcome == NeedOutcome::Incident {
                let category = match n.category.as_deref().filter(|c| !c.is_empty()) {
                    Some(c) => c.to_string(),
                    None => default_need_category(&tree)
                        .ok_or_else(|| crate::error::invalid_choice("needs", "category"))?,
                };
                let platform = self.leaf_platform(&category, "needs")?;
                let id = self.new_id();
                drafts.push(IncidentDraft {
                    new: NewIncident {
                        id: id.clone(),
                        grid_id: row.grid_id.clone(),
                        households: vec![row.id.clone()],
                        category,
                        platform,
                        urgency: Urgency::Normal,
                        source: Source::Visit,
                        location: row.address.clone(),
                        gps,
                        parties: String::new(),
                        description: text.clone(),
                    },
                    self_handled: None,
                });
                Some(id)
            } else {
                None
            };
            needs.push(NewNeed {
                id: self.new_id(),
                text,
                outcome,
                incident_id,
            });
        }
        let visit_id = self.new_id();
        let ctx = self.ctx()?;
        let record = NewVisit {
            id: visit_id.clone(),
            at: ctx.at.0,
            mode,
            persons_met: input.persons_met.clone(),
            kind,
            campaign,
            observations,
            needs,
            service: input.service.trim().to_string(),
            follow_up,
            gps,
            note: input.note.clone(),
        }
        .into_record(&ctx)
        .map_err(|e| match e {
            gridwalk_core::CoreError::Required("need")
            | gridwalk_core::CoreError::TooLong { field: "need", .. } => with_field(e, "needs"),
            gridwalk_core::CoreError::TooLong { field: "note", .. }
                if input.service.chars().count() > 2000 && input.note.chars().count() <= 4000 =>
            {
                with_field(e, "service")
            }
            other => other.into(),
        })?;
        // Every incident is built (and so validated) before the first write.
        let mut built = Vec::new();
        for d in drafts {
            let id = d.new.id.clone();
            let (grid, am) = self.build_incident(d)?;
            built.push((id, grid, am));
        }
        let mut incident_ids = Vec::new();
        for (id, grid, am) in built {
            self.store.create(DocKind::Incident, &id, &grid, am)?;
            incident_ids.push(id);
        }
        self.store.transact(
            DocKind::Household,
            &input.household_id,
            Action::new("household.add_visit").record(&visit_id),
            |doc| add_visit(doc, &ctx, &record),
        )?;
        Ok(SavedVisit {
            visit_id,
            incident_ids,
            gps_recorded: gps.is_some(),
        })
    }

    /// The signed-in user's contact assignments in force today, with the last contact
    /// that counts and the next due day.
    pub fn assignments(&mut self) -> Result<Vec<AssignmentView>, AppError> {
        let user = self.session_ref()?.user_id.clone();
        let now = self.now();
        let today = now.shanghai_date();
        let today_text = day_text(now);
        let areas = self.area_names()?;
        let users = self.user_names()?;
        let mut out = Vec::new();
        for (a, last) in self.store.assignment_contacts(&user, now.0)? {
            if a.valid_from.as_str() > today_text.as_str()
                || a.valid_to
                    .as_deref()
                    .is_some_and(|t| t < today_text.as_str())
            {
                continue;
            }
            let from = match last {
                Some(t) => gridwalk_core::Timestamp(t).shanghai_date(),
                None => NaiveDate::parse_from_str(&a.valid_from, "%Y-%m-%d").unwrap_or(today),
            };
            let due = from.checked_add_days(chrono::Days::new(a.every_days.max(0) as u64));
            let (target, household_id, grid_id) = match a.target_kind.as_str() {
                "household" => match self.store.household_row(&a.target_id)? {
                    Some(h) => (h.address, Some(a.target_id.clone()), h.grid_id),
                    // A link to a household this device does not hold (yet).
                    None => continue,
                },
                "user" => (
                    super::util::name_of(&users, &a.target_id),
                    None,
                    String::new(),
                ),
                _ => (
                    super::util::name_of(&areas, &a.target_id),
                    None,
                    if a.target_kind == "grid" {
                        a.target_id.clone()
                    } else {
                        String::new()
                    },
                ),
            };
            out.push(AssignmentView {
                id: a.id,
                kind: a.kind,
                household_id,
                target,
                grid_id,
                last_at: last,
                due_on: due.map(|d| d.format("%Y-%m-%d").to_string()),
                overdue: due.is_some_and(|d| today > d),
            });
        }
        Ok(out)
    }

    /// Records a contact for one of the user's assignments: on the household document
    /// for a household target, on the grid journal for a grid target.
    pub fn save_contact(&mut self, input: &NewContactInput) -> Result<(), AppError> {
        let user = self.session_ref()?.user_id.clone();
        let a = self
            .store
            .assignments_of(&user)?
            .into_iter()
            .find(|a| a.id == input.assignment_id)
            .ok_or_else(|| {
                AppError::new(
                    codes::ASSIGNMENT_NOT_FOUND,
                    "找不到这项联系任务，请同步后重试。",
                    "This contact assignment is not yours or not on this device. Sync and try again.",
                )
                .on_field("assignment_id")
            })?;
        let mode: ContactMode = parse_code("mode", &input.mode)?;
        let id = self.new_id();
        let ctx = self.ctx()?;
        let log = NewContact {
            id: id.clone(),
            assignment_id: Some(a.id.clone()),
            at: ctx.at.0,
            mode,
            note: input.note.clone(),
        }
        .into_record(&ctx)?;
        let (kind, doc_id) = match a.target_kind.as_str() {
            "household" => {
                self.live_household(&a.target_id)?;
                (DocKind::Household, a.target_id.clone())
            }
            "grid" => (DocKind::GridJournal, journal_doc_id(&a.target_id)),
            _ => {
                return Err(super::card::role_not_allowed(
                    "log this kind of contact on the phone",
                ));
            }
        };
        let label = if kind == DocKind::Household {
            "household.add_contact"
        } else {
            "journal.add_contact"
        };
        self.store
            .transact(kind, &doc_id, Action::new(label).record(&id), |doc| {
                if kind == DocKind::Household {
                    add_household_contact(doc, &ctx, &log)
                } else {
                    add_journal_contact(doc, &ctx, &log)
                }
            })?;
        Ok(())
    }
}
