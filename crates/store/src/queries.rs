//! The reads the UI makes: one household's rows, due visits, overdue contacts, open
//! incidents and open conflicts. All of them read materialized rows only.
//!
//! Visits due are decided by core's rule engine (`gridwalk_core::rules::due`), fed with
//! facts built from the rows: the household's active tags (care tags, plus special tags
//! where the private document is held) and its latest contact and latest in-person
//! contact at or before `now` (visits and contact logs alike: capture once). The facts'
//! `by_user`/`role` are not known at that grain and are left blank; the due rules do not
//! read them.

use chrono::{Days, NaiveDate};
use gridwalk_core::Timestamp;
use gridwalk_core::doc::household::TagSpan;
use gridwalk_core::reference::{Role, VisitRule};
use gridwalk_core::rules::due::{ContactFact, HouseholdFacts, Occupancy, VisitDue, visits_due};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

use crate::persist::{
    HOUSEHOLD_COLS, INCIDENT_COLS, conflict_from_row, household_from_row, incident_from_row,
};
use crate::rows::{ConflictRow, HouseholdRow, IncidentRow, VisitRow};
use crate::{Store, StoreError};

/// A contact assignment whose contactor is behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueContact {
    /// The assignment.
    pub assignment_id: String,
    /// Its system code (`party_member_household`, …).
    pub kind: String,
    /// The contactor.
    pub contactor_user: String,
    /// The target kind (`household`, `grid`, `village`, `micro_grid`, `user`).
    pub target_kind: String,
    /// The target id.
    pub target_id: String,
    /// The required interval.
    pub every_days: u32,
    /// The latest contact that counts, if any.
    pub last_contact_at: Option<i64>,
    /// The Shanghai day the contact fell due.
    pub due_on: NaiveDate,
    /// Whole days past `due_on`.
    pub days_overdue: i64,
}

fn day_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn active_tags(json: Option<&str>, today: &str, out: &mut Vec<String>) -> Result<(), StoreError> {
    if let Some(json) = json {
        let tags: BTreeMap<String, TagSpan> = serde_json::from_str(json)?;
        out.extend(
            tags.into_iter()
                .filter(|(_, s)| s.active_on(today))
                .map(|(c, _)| c),
        );
    }
    Ok(())
}

impl Store {
    /// One household's row (deleted or not).
    pub fn household_row(&self, id: &str) -> Result<Option<HouseholdRow>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {HOUSEHOLD_COLS} FROM households WHERE id = ?1"
            ))?
            .query_row([id], household_from_row)
            .optional()?)
    }

    /// A household's live visits, newest first.
    pub fn visits_of(&self, household_id: &str) -> Result<Vec<VisitRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT doc_id, id, household_id, visitor_user, visitor_role, at, mode, \
             kind, campaign, persons_met, observations, needs, service, follow_up, note, \
             has_gps, review, deleted_at, review_status, return_reason, returned_by, \
             returned_at FROM visits \
             WHERE doc_id = ?1 AND deleted_at IS NULL ORDER BY at DESC, id",
        )?;
        let rows = stmt.query_map([household_id], |r| {
            Ok(VisitRow {
                doc_id: r.get(0)?,
                id: r.get(1)?,
                household_id: r.get(2)?,
                visitor_user: r.get(3)?,
                visitor_role: r.get(4)?,
                at: r.get(5)?,
                mode: r.get(6)?,
                kind: r.get(7)?,
                campaign: r.get(8)?,
                persons_met: r.get(9)?,
                observations: r.get(10)?,
                needs: r.get(11)?,
                service: r.get(12)?,
                follow_up: r.get(13)?,
                note: r.get(14)?,
                has_gps: r.get(15)?,
                review: r.get(16)?,
                deleted_at: r.get(17)?,
                review_status: r.get(18)?,
                return_reason: r.get(19)?,
                returned_by: r.get(20)?,
                returned_at: r.get(21)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Open incidents (optionally of one grid), newest first.
    pub fn open_incidents(&self, grid_id: Option<&str>) -> Result<Vec<IncidentRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {INCIDENT_COLS} FROM incidents WHERE is_open = 1 \
             AND (?1 IS NULL OR grid_id = ?1) ORDER BY created_at DESC, id"
        ))?;
        let rows = stmt.query_map([grid_id], incident_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every open same-field conflict, by document and path.
    pub fn open_conflicts(&self) -> Result<Vec<ConflictRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT doc_id, kind, path, conflict_values FROM conflicts ORDER BY doc_id, path",
        )?;
        let rows = stmt.query_map([], conflict_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Households with a visit overdue or due within `horizon_days` at `now`, by
    /// `gridwalk_core::rules::due::visits_due` (most overdue first).
    pub fn due_visits(
        &self,
        rules: &[VisitRule],
        now: Timestamp,
        horizon_days: u32,
    ) -> Result<Vec<VisitDue>, StoreError> {
        let today = day_text(now.shanghai_date());
        let mut last: HashMap<String, (Option<i64>, Option<i64>)> = HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT household_id, max(at), max(CASE WHEN mode = 'in_person' THEN at END) \
                 FROM (SELECT household_id, at, mode FROM visits \
                       WHERE deleted_at IS NULL AND at <= ?1 \
                       UNION ALL SELECT household_id, at, mode FROM contact_logs \
                       WHERE household_id IS NOT NULL AND deleted_at IS NULL AND at <= ?1) \
                 GROUP BY household_id",
            )?;
            let rows = stmt.query_map([now.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            for row in rows {
                let (id, any, seen): (String, Option<i64>, Option<i64>) = row?;
                last.insert(id, (any, seen));
            }
        }
        let mut facts = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.id, h.grid_id, h.micro_grid_id, h.status, h.tags, p.special_tags, \
             h.created_at FROM households h \
             LEFT JOIN household_private p ON p.household_id = h.id \
             WHERE h.deleted_at IS NULL ORDER BY h.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let status = match r.get::<_, String>(3)?.as_str() {
                "empty" => Occupancy::Empty,
                "rented" => Occupancy::Rented,
                _ => Occupancy::Occupied,
            };
            let mut tags = Vec::new();
            active_tags(r.get::<_, Option<String>>(4)?.as_deref(), &today, &mut tags)?;
            active_tags(r.get::<_, Option<String>>(5)?.as_deref(), &today, &mut tags)?;
            let fact = |at: i64, in_person| ContactFact {
                at: Timestamp(at),
                in_person,
                by_user: String::new(),
                role: Role::GridWorker,
            };
            let (any, seen) = last.get(&id).copied().unwrap_or((None, None));
            let contacts = [any.map(|t| fact(t, false)), seen.map(|t| fact(t, true))]
                .into_iter()
                .flatten()
                .collect();
            facts.push(HouseholdFacts {
                id,
                grid_id: r.get(1)?,
                micro_grid_id: r.get(2)?,
                village_id: None,
                status,
                tags,
                contacts,
                registered_at: Some(Timestamp(r.get(6)?)),
            });
        }
        Ok(visits_due(rules, &facts, now, horizon_days))
    }

    /// Contact assignments in force at `now` whose contactor is behind: no counting
    /// contact within `every_days`. A contact counts when it names the assignment, or
    /// when the contactor logged a contact with (or visited) the target household, or
    /// logged a grid contact for the target grid.
    pub fn overdue_contacts(&self, now: Timestamp) -> Result<Vec<OverdueContact>, StoreError> {
        let today = now.shanghai_date();
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.kind, a.contactor_user, a.target_kind, a.target_id, a.every_days, \
             a.valid_from, \
             (SELECT max(at) FROM contact_logs c WHERE c.assignment_id = a.id \
              AND c.deleted_at IS NULL AND c.at <= ?2), \
             (SELECT max(at) FROM contact_logs c WHERE a.target_kind = 'household' \
              AND c.contactor_user = a.contactor_user AND c.household_id = a.target_id \
              AND c.deleted_at IS NULL AND c.at <= ?2), \
             (SELECT max(at) FROM visits v WHERE a.target_kind = 'household' \
              AND v.doc_id = a.target_id AND v.visitor_user = a.contactor_user \
              AND v.deleted_at IS NULL AND v.at <= ?2), \
             (SELECT max(at) FROM contact_logs c WHERE a.target_kind = 'grid' \
              AND c.contactor_user = a.contactor_user AND c.household_id IS NULL \
              AND c.grid_id = a.target_id AND c.deleted_at IS NULL AND c.at <= ?2) \
             FROM contact_assignments a \
             WHERE a.valid_from <= ?1 AND (a.valid_to IS NULL OR a.valid_to >= ?1) ORDER BY a.id",
        )?;
        let mut rows = stmt.query(params![day_text(today), now.0])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let every_days: u32 = r.get(5)?;
            let valid_from: String = r.get(6)?;
            let last: Option<i64> = [
                r.get::<_, Option<i64>>(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
            ]
            .into_iter()
            .flatten()
            .max();
            let from = match last {
                Some(t) => Timestamp(t).shanghai_date(),
                None => NaiveDate::parse_from_str(&valid_from, "%Y-%m-%d")
                    .map_err(|e| StoreError::Corrupt(format!("assignment date: {e}")))?,
            };
            let Some(due_on) = from.checked_add_days(Days::new(u64::from(every_days))) else {
                continue;
            };
            let days_overdue = (today - due_on).num_days();
            if days_overdue > 0 {
                out.push(OverdueContact {
                    assignment_id: r.get(0)?,
                    kind: r.get(1)?,
                    contactor_user: r.get(2)?,
                    target_kind: r.get(3)?,
                    target_id: r.get(4)?,
                    every_days,
                    last_contact_at: last,
                    due_on,
                    days_overdue,
                });
            }
        }
        out.sort_by(|a, b| {
            (b.days_overdue, &a.assignment_id).cmp(&(a.days_overdue, &b.assignment_id))
        });
        Ok(out)
    }
}
