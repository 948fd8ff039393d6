//! An area's data, loaded from storage for the dashboard and the exports: the area's
//! grids, every live household as core's [`HouseholdFacts`] beside its document, and every
//! reported incident with its effective state and 督办.
//!
//! Documents come hydrated from the dashboard's own per-grid [`super::cache`] (not the
//! loaded-document cache: that one holds documents that pushes take and put back), which
//! reloads only what the grid's feed names since the last request. What depends on the
//! request (tags active on the day, effective state and 督办 now) is computed here each
//! time. Private documents are loaded and read only for roles that may read private data,
//! so a dispatcher's "overdue by tag rule" never reveals who is under community
//! correction.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use gridwalk_core::Timestamp;
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::household::HouseholdDoc;
use gridwalk_core::doc::incident::IncidentDoc;
use gridwalk_core::doc::private::HouseholdPrivateDoc;
use gridwalk_core::incident::{Effective, Supervision, effective, supervision};
use gridwalk_core::protocol::ReferenceData;
use gridwalk_core::reference::{Area, AreaLevel};
use gridwalk_core::rules::{ContactFact, HouseholdFacts, Occupancy, Period};

use crate::error::AppError;
use crate::state::AppState;
use crate::storage::{DocMeta, UserRow};

/// One household: the facts the rules read, and the documents the ledgers read.
pub struct HouseholdData {
    /// What core's coverage and due rules need.
    pub facts: HouseholdFacts,
    /// The household document (shared with the [`super::cache`]).
    pub doc: Arc<HouseholdDoc>,
    /// The private document (full IDs, special-group tags), loaded only for roles that
    /// may read private data.
    pub private: Option<Arc<HouseholdPrivateDoc>>,
}

/// One incident that has been reported: its document, effective view and 督办.
pub struct IncidentData {
    /// The document (shared with the [`super::cache`]).
    pub doc: Arc<IncidentDoc>,
    /// What the merged log adds up to now.
    pub eff: Effective,
    /// Deadlines and levels now.
    pub sup: Supervision,
    /// The grid it is in now.
    pub grid_id: String,
}

/// Everything the dashboard and the exports read for one area.
pub struct AreaData {
    /// The area asked for.
    pub area: Area,
    /// Its grids, by name.
    pub grids: Vec<Area>,
    /// Live households of those grids, by id.
    pub households: Vec<HouseholdData>,
    /// Reported incidents of those grids (drafts left out), by id.
    pub incidents: Vec<IncidentData>,
    /// Reference data (rules, calendar, categories, units, assignments).
    pub reference: ReferenceData,
    /// Every user, by id (names for rows).
    pub users: HashMap<String, UserRow>,
    /// The instant the period's "as of" figures are taken at: the period's last instant,
    /// or now when the period runs into the future.
    pub as_of: Timestamp,
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::Invalid(format!("{field} must be a date YYYY-MM-DD, got {s:?}")))
}

/// The half-open period of two Shanghai dates, both days included:
/// `[from 00:00, the day after to 00:00)`.
pub fn period_of(from: &str, to: &str) -> Result<Period, AppError> {
    let f = parse_date("from", from)?;
    let t = parse_date("to", to)?;
    if t < f {
        return Err(AppError::Invalid("to is before from".into()));
    }
    let end = t
        .checked_add_days(Days::new(1))
        .ok_or_else(|| AppError::Invalid("to is out of range".into()))?;
    let midnight = |d: NaiveDate| Timestamp::from_shanghai(d.and_hms_opt(0, 0, 0).expect("valid"));
    Ok(Period {
        from: midnight(f),
        to: midnight(end),
    })
}

/// Is `area_id` at or under `top_id` in the area tree? Unknown areas are under nothing.
pub fn is_within(state: &AppState, area_id: &str, top_id: &str) -> Result<bool, AppError> {
    let mut cur = state.storage.area(area_id)?;
    let mut hops = 0;
    while let Some(a) = cur {
        if a.id == top_id {
            return Ok(true);
        }
        hops += 1;
        if hops > 16 {
            break;
        }
        cur = match &a.parent_id {
            Some(p) => state.storage.area(p)?,
            None => None,
        };
    }
    Ok(false)
}

fn occupancy(doc: &HouseholdDoc) -> Occupancy {
    use gridwalk_core::doc::household::HouseholdStatus as S;
    match doc.status.value() {
        Some(S::Empty) => Occupancy::Empty,
        Some(S::Rented) => Occupancy::Rented,
        _ => Occupancy::Occupied,
    }
}

/// Loads an area for `user` over `period`. `progress` hears the fraction of grids read.
pub fn load(
    state: &AppState,
    user: &UserRow,
    area: Area,
    period: &Period,
    progress: &dyn Fn(f64),
) -> Result<AreaData, AppError> {
    let st = &state.storage;
    let reference = st.reference_data()?;
    let by_id: HashMap<&str, &Area> = reference.areas.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut grids: Vec<Area> = st
        .grids_under(&area.id)?
        .iter()
        .filter_map(|g| by_id.get(g.as_str()).map(|a| (*a).clone()))
        .filter(|a| a.level == AreaLevel::Grid)
        .collect();
    grids.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    let as_of = Timestamp((period.to.0 - 1).min(state.now()));
    let day = as_of.shanghai_date().format("%Y-%m-%d").to_string();
    let private_ok = user.role.may_read_private();
    let now = Timestamp(state.now());
    let mut households = Vec::new();
    let mut incidents = Vec::new();
    for (i, grid) in grids.iter().enumerate() {
        let village_id = grid.parent_id.clone();
        let (listed, docs) = super::cache::grid(state, &grid.id, private_ok)?;
        for meta in &listed {
            match meta.kind {
                DocKind::Household => {
                    let Some(doc) = docs.household(&meta.id) else {
                        continue;
                    };
                    if doc.deleted_at.value().copied().flatten().is_some() {
                        continue;
                    }
                    let private = if private_ok {
                        docs.private_of(&doc.id).cloned()
                    } else {
                        None
                    };
                    let facts = facts_of(doc, private.as_deref(), meta, village_id.clone(), &day);
                    households.push(HouseholdData {
                        facts,
                        doc: doc.clone(),
                        private,
                    });
                }
                DocKind::Incident => {
                    let Some(doc) = docs.incident(&meta.id) else {
                        continue;
                    };
                    let eff = effective(doc);
                    if eff.reported_at.is_none() || eff.deleted_draft {
                        continue;
                    }
                    let sup =
                        supervision(doc, &eff, &reference.sla_rules, &reference.calendar, now);
                    incidents.push(IncidentData {
                        doc: doc.clone(),
                        eff,
                        sup,
                        grid_id: meta.grid_id.clone(),
                    });
                }
                _ => {}
            }
        }
        progress((i + 1) as f64 / grids.len().max(1) as f64);
    }
    households.sort_by(|a, b| a.facts.id.cmp(&b.facts.id));
    incidents.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));
    let users = st.users()?.into_iter().map(|u| (u.id.clone(), u)).collect();
    Ok(AreaData {
        area,
        grids,
        households,
        incidents,
        reference,
        users,
        as_of,
    })
}

fn facts_of(
    doc: &HouseholdDoc,
    private: Option<&HouseholdPrivateDoc>,
    meta: &DocMeta,
    village_id: Option<String>,
    day: &str,
) -> HouseholdFacts {
    let mut tags: Vec<String> = doc
        .tags
        .value()
        .into_iter()
        .flatten()
        .filter(|(_, span)| span.active_on(day))
        .map(|(code, _)| code.clone())
        .collect();
    if let Some(p) = private {
        tags.extend(
            p.special_tags
                .value()
                .into_iter()
                .flatten()
                .filter(|(_, span)| span.active_on(day))
                .map(|(code, _)| code.clone()),
        );
    }
    let mut contacts: Vec<ContactFact> = doc
        .live_visits()
        .map(|v| ContactFact {
            at: Timestamp(v.at),
            in_person: v.in_person(),
            by_user: v.visitor_user.clone(),
            role: v.visitor_role,
        })
        .collect();
    contacts.extend(doc.live_contacts().map(|c| ContactFact {
        at: Timestamp(c.at),
        in_person: c.in_person(),
        by_user: c.contactor_user.clone(),
        role: c.role,
    }));
    HouseholdFacts {
        id: doc.id.clone(),
        grid_id: meta.grid_id.clone(),
        micro_grid_id: meta.micro_grid_id.clone(),
        village_id,
        status: occupancy(doc),
        tags,
        contacts,
        registered_at: Some(Timestamp(doc.created_at)),
    }
}
