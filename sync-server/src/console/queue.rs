//! The review queue's rows: every live visit and contact log of the households in a grid,
//! with its review status, built by hydrating the household documents.
//!
//! Rows are kept per grid with the grid's feed high-water mark. Every stored change,
//! grant and revoke of a grid bumps that mark, so a request reads one number per grid and
//! rebuilds only the households named in the feed since (a whole-grid revoke, or a long
//! gap, rebuilds the grid). The first request after a start pays for the whole area,
//! hydrating on every core ([`crate::par`]).

use std::collections::{BTreeSet, HashMap};

use automerge::AutoCommit;
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::household::{Decision, HOUSEHOLD_SCHEMA, HouseholdDoc};
use gridwalk_core::doc::review::{self, RecordKind, ReviewStatus};

use super::dto::{self, LastReview, ReviewItem};
use super::scope::{Names, hlc_ms};
use crate::error::AppError;
use crate::loaded;
use crate::state::AppState;

/// Feed entries read to update a grid before it is cheaper to rebuild it.
const MAX_INCREMENT: usize = 2_000;

/// The cached rows of one grid.
#[derive(Default)]
pub struct GridRows {
    /// The grid's feed high-water mark the rows reflect.
    pub high_water: i64,
    /// Rows by household id.
    pub rows: HashMap<String, Vec<ReviewItem>>,
}

/// Maps core's status to the contract's.
pub fn status_dto(s: &ReviewStatus) -> dto::ReviewStatus {
    match s {
        ReviewStatus::Unreviewed => dto::ReviewStatus::Unreviewed,
        ReviewStatus::Returned { .. } => dto::ReviewStatus::Returned,
        ReviewStatus::Resubmitted => dto::ReviewStatus::Resubmitted,
        ReviewStatus::Approved => dto::ReviewStatus::Approved,
    }
}

fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The queue row of one record, or `None` when the household has no such live record.
pub fn item(
    am: &mut AutoCommit,
    h: &HouseholdDoc,
    grid_id: &str,
    kind: RecordKind,
    id: &str,
    names: &Names,
) -> Result<Option<ReviewItem>, AppError> {
    let (author, role, at, mode, visit_kind, note, service, observations, needs) = match kind {
        RecordKind::Visit => {
            let Some(v) = h.live_visits().find(|v| v.id == id) else {
                return Ok(None);
            };
            let Some(c) = v.current() else {
                return Ok(None);
            };
            (
                v.visitor_user.clone(),
                v.visitor_role,
                v.at,
                code(&c.mode),
                Some(code(&c.kind)),
                c.note.clone(),
                c.service.clone(),
                v.observations.values().map(|o| code(&o.kind)).collect(),
                v.needs.len() as u32,
            )
        }
        RecordKind::Contact => {
            let Some(l) = h.live_contacts().find(|l| l.id == id) else {
                return Ok(None);
            };
            let Some(c) = l.content.value() else {
                return Ok(None);
            };
            (
                l.contactor_user.clone(),
                l.role,
                l.at,
                code(&c.mode),
                None,
                c.note.clone(),
                String::new(),
                Vec::new(),
                0,
            )
        }
    };
    let status = review::status(h, kind, id).unwrap_or(ReviewStatus::Unreviewed);
    let last_review = review::reviews_of(h, kind, id).last().map(|r| LastReview {
        decision: match r.decision {
            Decision::Approve => dto::Decision::Approve,
            Decision::Return => dto::Decision::Return,
        },
        reason: r.reason.clone(),
        reviewer_name: names.user(&r.reviewer_user),
        at: hlc_ms(&r.hlc),
    });
    let fixes =
        review::fix_count(am, h, kind, id).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Some(ReviewItem {
        household_id: h.id.clone(),
        record_kind: match kind {
            RecordKind::Visit => dto::RecordKind::Visit,
            RecordKind::Contact => dto::RecordKind::Contact,
        },
        record_id: id.to_string(),
        grid_id: grid_id.to_string(),
        grid_name: names.area(grid_id),
        address: h.address.value().map(|a| a.display()).unwrap_or_default(),
        author_name: names.user(&author),
        author_role: role.code().to_string(),
        at,
        mode,
        visit_kind,
        note,
        service,
        observations,
        needs,
        status: status_dto(&status),
        last_review,
        fixes: fixes as u32,
    }))
}

/// Hydrates a household document, mapping a failure to a 500 naming it.
pub fn hydrate(doc_id: &str, am: &AutoCommit) -> Result<HouseholdDoc, AppError> {
    gridwalk_core::doc::load(am, HOUSEHOLD_SCHEMA)
        .map_err(|e| AppError::Internal(format!("household {doc_id} does not hydrate: {e}")))
}

/// Every row of one stored household.
fn household_rows(
    state: &AppState,
    doc_id: &str,
    grid_id: &str,
    names: &Names,
) -> Result<Vec<ReviewItem>, AppError> {
    let Some(mut l) = loaded::load_fresh(state, doc_id)? else {
        return Ok(Vec::new());
    };
    let h = hydrate(doc_id, &l.doc)?;
    let mut out = Vec::new();
    let visits: Vec<String> = h.live_visits().map(|v| v.id.clone()).collect();
    let contacts: Vec<String> = h.live_contacts().map(|c| c.id.clone()).collect();
    for (kind, ids) in [(RecordKind::Visit, visits), (RecordKind::Contact, contacts)] {
        for id in ids {
            if let Some(i) = item(&mut l.doc, &h, grid_id, kind, &id, names)? {
                out.push(i);
            }
        }
    }
    Ok(out)
}

/// Households hydrated by one thread before another is worth starting.
const PER_THREAD: usize = 16;

fn rebuild(state: &AppState, grid: &str, names: &Names) -> Result<GridRows, AppError> {
    let high_water = state.storage.high_water(grid)?;
    let mut ids = Vec::new();
    let mut after = String::new();
    loop {
        let page = state.storage.docs_in_grid(grid, &after, 1_000)?;
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        ids.extend(
            page.into_iter()
                .filter(|m| m.kind == DocKind::Household)
                .map(|m| m.id),
        );
    }
    let rows = crate::par::map(&ids, PER_THREAD, |id| {
        Ok(Some((id.clone(), household_rows(state, id, grid, names)?)))
    })?;
    Ok(GridRows {
        high_water,
        rows: rows.into_iter().collect(),
    })
}

fn update(
    state: &AppState,
    grid: &str,
    cached: GridRows,
    names: &Names,
) -> Result<GridRows, AppError> {
    let high_water = state.storage.high_water(grid)?;
    if high_water == cached.high_water {
        return Ok(cached);
    }
    let entries = state
        .storage
        .feed_after(grid, cached.high_water, MAX_INCREMENT)?;
    if entries.len() >= MAX_INCREMENT || entries.iter().any(|e| e.doc_id.is_none()) {
        return rebuild(state, grid, names);
    }
    let mut rows = cached.rows;
    let touched: BTreeSet<String> = entries.into_iter().filter_map(|e| e.doc_id).collect();
    for id in touched {
        match state.storage.doc_meta(&id)? {
            Some(m) if m.kind == DocKind::Household && m.grid_id == grid => {
                rows.insert(id.clone(), household_rows(state, &id, grid, names)?);
            }
            _ => {
                rows.remove(&id);
            }
        }
    }
    Ok(GridRows { high_water, rows })
}

/// The current rows of some grids, updating the cache as needed.
pub fn rows_of(
    state: &AppState,
    grids: &BTreeSet<String>,
    names: &Names,
) -> Result<Vec<ReviewItem>, AppError> {
    let mut queues = state
        .console
        .queues
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let mut out = Vec::new();
    for g in grids {
        let fresh = match queues.remove(g) {
            Some(c) => update(state, g, c, names)?,
            None => rebuild(state, g, names)?,
        };
        out.extend(fresh.rows.values().flatten().cloned());
        queues.insert(g.clone(), fresh);
    }
    Ok(out)
}
