//! 今日 and the household list.
//!
//! Both read materialized rows only. Visits due come from `Store::due_visits` (core's
//! `rules::due` over facts built from the rows); a household is `due` when a rule falls
//! due within [`DUE_HORIZON_DAYS`] and `overdue` once past its due day.
//!
//! The household list returns every match (the UI virtualizes): text through
//! `Store::search` (FTS5 trigram, LIKE under three characters), then the tag, micro-grid
//! and due filters in memory over those rows. On the standard set (3,000 households) the
//! whole query is a few milliseconds in a release build; `elapsed_ms` reports it.
//!
//! The grid head's summary counts coverage 户户见干部 (`rules::coverage::Coverage`) over
//! the last [`COVERAGE_WINDOW_DAYS`] days, the baseline visit interval of every occupied
//! household, and the open incidents on the device.

use std::collections::HashMap;
use std::time::Instant;

use gridwalk_core::Timestamp;
use gridwalk_core::reference::rules::default_visit_rules;
use gridwalk_core::reference::{Role, SpecialTag};
use gridwalk_core::rules::{
    ContactFact, Coverage, DueStatus, HouseholdFacts, Occupancy, Period, VisitDue,
};
use gridwalk_store::rows::HouseholdRow;

use super::FieldApp;
use super::util::{active_tags, day_text, days_since};
use crate::dto::*;

/// A visit due within this many days counts as due.
pub const DUE_HORIZON_DAYS: u32 = 7;
/// The grid summary's coverage window, in days up to now.
pub const COVERAGE_WINDOW_DAYS: i64 = 90;
/// Search hits are not capped in practice (a scope holds a few thousand households).
const SEARCH_LIMIT: usize = 1_000_000;
const DAY_MS: i64 = 86_400_000;

fn due_code(s: DueStatus) -> Option<&'static str> {
    match s {
        DueStatus::Overdue => Some("overdue"),
        DueStatus::Due => Some("due"),
        DueStatus::Ok => None,
    }
}

fn head_name(member_names: &str) -> String {
    member_names.split('、').next().unwrap_or("").to_string()
}

impl FieldApp {
    /// Visits due or overdue at now, by household.
    fn due_map(&self) -> Result<HashMap<String, VisitDue>, AppError> {
        let rules = self
            .store
            .visit_rules()?
            .unwrap_or_else(default_visit_rules);
        Ok(self
            .store
            .due_visits(&rules, self.now(), DUE_HORIZON_DAYS)?
            .into_iter()
            .filter(|d| d.status != DueStatus::Ok)
            .map(|d| (d.household_id.clone(), d))
            .collect())
    }

    /// The household list: every household matching the query.
    pub fn households(&mut self, q: &HouseholdQuery) -> Result<HouseholdList, AppError> {
        self.session_ref()?;
        let started = Instant::now();
        let now = self.now();
        let today = day_text(now);
        let micro = q.micro_grid.as_deref().filter(|m| !m.is_empty());
        let mut rows: Vec<HouseholdRow> = if q.text.trim().is_empty() {
            self.store.household_rows(micro)?
        } else {
            self.store
                .search(q.text.trim(), SEARCH_LIMIT)?
                .into_iter()
                .filter(|r| micro.is_none_or(|m| r.micro_grid_id.as_deref() == Some(m)))
                .collect()
        };
        if let Some(tag) = q.tag.as_deref().filter(|t| !t.is_empty()) {
            let special = SpecialTag::from_code(tag).is_some();
            let mut keep = Vec::with_capacity(rows.len());
            for r in rows {
                let has = if special {
                    self.role()?.may_hold_private()
                        && self.store.private_row(&r.id)?.is_some_and(|p| {
                            active_tags(&p.special_tags, &today)
                                .iter()
                                .any(|t| t == tag)
                        })
                } else {
                    active_tags(&r.tags, &today).iter().any(|t| t == tag)
                };
                if has {
                    keep.push(r);
                }
            }
            rows = keep;
        }
        let due = self.due_map()?;
        let want = q.due.as_deref().filter(|d| !d.is_empty());
        let items = rows
            .into_iter()
            .filter_map(|r| {
                let d = due.get(&r.id).and_then(|d| due_code(d.status));
                let keep = match want {
                    None => true,
                    Some("due") => d.is_some(),
                    Some(w) => d == Some(w),
                };
                keep.then(|| HouseholdListItem {
                    tags: active_tags(&r.tags, &today),
                    days_since_seen: days_since(r.last_in_person_at, now),
                    due: d.map(str::to_string),
                    id: r.id,
                    address: r.address,
                    member_names: r.member_names,
                    micro_grid_id: r.micro_grid_id,
                    phones_masked: r.phones_masked,
                    conflict_count: r.conflict_count,
                })
            })
            .collect();
        Ok(HouseholdList {
            items,
            elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// 今日: due visits, overdue contacts, verification tasks, conflicts, returned
    /// records, sync health, and a grid head's summary.
    pub fn today(&mut self) -> Result<TodayView, AppError> {
        let s = self.session_ref()?;
        let (user, role) = (s.user_id.clone(), s.role);
        let now = self.now();
        let users = self.user_names()?;

        let rows: HashMap<String, HouseholdRow> = self
            .store
            .household_rows(None)?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
        let mut due: Vec<VisitDue> = self.due_map()?.into_values().collect();
        due.sort_by(|a, b| (a.due_on, &a.household_id).cmp(&(b.due_on, &b.household_id)));
        let due_visits = due
            .into_iter()
            .filter_map(|d| {
                let r = rows.get(&d.household_id)?;
                Some(DueVisitView {
                    household_id: d.household_id.clone(),
                    address: r.address.clone(),
                    head_name: head_name(&r.member_names),
                    tag: d.rule.tag.clone(),
                    due_on: d.due_on.format("%Y-%m-%d").to_string(),
                    overdue: d.status == DueStatus::Overdue,
                    days_since_seen: days_since(r.last_in_person_at, now),
                })
            })
            .collect();

        let overdue_contacts = self
            .assignments()?
            .into_iter()
            .filter(|a| a.overdue)
            .collect();

        let mut verify_rows = Vec::new();
        for r in self.store.incident_rows()? {
            if r.state == "handled" && r.reported_by == user {
                let (doc, eff) = self.incident_doc(&r.id)?;
                if gridwalk_core::incident::allowed_actions(&doc, &eff, &user, role)
                    .contains(&gridwalk_core::incident::Action::Verify)
                {
                    verify_rows.push(r);
                }
            }
        }
        let to_verify = self.incident_items(verify_rows)?;

        let returned: Vec<ReturnedView> = self
            .store
            .returned_records(&user)?
            .into_iter()
            .map(|r| super::review::returned_view(r, &users))
            .collect();

        let (returned_count, verify_count) = (returned.len() as i64, to_verify.len() as i64);
        let grid_summary = (role == Role::GridHead)
            .then(|| self.grid_summary(rows.values(), now))
            .transpose()?;
        Ok(TodayView {
            due_visits,
            overdue_contacts,
            to_verify,
            conflicts: self.conflicts()?,
            returned_count,
            verify_count,
            returned,
            sync: self.sync_status()?,
            grid_summary,
        })
    }

    fn grid_summary<'a>(
        &self,
        rows: impl Iterator<Item = &'a HouseholdRow>,
        now: Timestamp,
    ) -> Result<GridSummary, AppError> {
        let period = Period {
            from: Timestamp(now.0 - COVERAGE_WINDOW_DAYS * DAY_MS),
            to: Timestamp(now.0 + 1),
        };
        let mut cov = Coverage::default();
        for r in rows {
            let fact = |at: i64, in_person| ContactFact {
                at: Timestamp(at),
                in_person,
                by_user: String::new(),
                role: Role::GridWorker,
            };
            let facts = HouseholdFacts {
                id: r.id.clone(),
                grid_id: r.grid_id.clone(),
                micro_grid_id: r.micro_grid_id.clone(),
                village_id: None,
                status: match r.status.as_str() {
                    "empty" => Occupancy::Empty,
                    "rented" => Occupancy::Rented,
                    _ => Occupancy::Occupied,
                },
                tags: Vec::new(),
                contacts: [
                    r.last_in_person_at.map(|t| fact(t, true)),
                    r.last_contact_at.map(|t| fact(t, false)),
                ]
                .into_iter()
                .flatten()
                .collect(),
                registered_at: Some(Timestamp(r.created_at)),
            };
            cov.add(&facts, &period);
        }
        let percent = cov.ratio().map_or(0.0, |x| (x * 1000.0).round() / 10.0);
        Ok(GridSummary {
            households: i64::from(cov.occupied),
            seen: i64::from(cov.seen),
            coverage_percent: percent,
            open_incidents: self.store.open_incidents(None)?.len() as i64,
        })
    }
}
