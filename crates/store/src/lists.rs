//! The reads the field app's screens make beyond [`crate::queries`] and search: the
//! household list with its filters, members, incidents by household, records returned
//! for a fix, contact assignments by contactor, and the reference rows (users, areas,
//! categories, units) that turn ids into names.
//!
//! Everything here reads materialized rows or reference rows, never documents. Lists
//! leave soft-deleted records out.

use gridwalk_core::reference::{HandlingUnit, IncidentCategory, Platform, Role};
use rusqlite::{OptionalExtension, Row};
use serde::Serialize;
use std::collections::HashSet;

use crate::persist::{HOUSEHOLD_COLS, INCIDENT_COLS, household_from_row, incident_from_row};
use crate::rows::{HouseholdRow, IncidentRow, MemberRow, PrivateRow};
use crate::{RefUser, Store, StoreError};

/// One contact assignment row (table `contact_assignments`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentRow {
    /// Assignment id.
    pub id: String,
    /// System code (`party_member_household`, …).
    pub kind: String,
    /// The contactor.
    pub contactor_user: String,
    /// The contactor's role code.
    pub contactor_role: String,
    /// `household`, `grid`, `village`, `micro_grid` or `user`.
    pub target_kind: String,
    /// The target's id.
    pub target_id: String,
    /// Required interval in days.
    pub every_days: i64,
    /// First valid day, `YYYY-MM-DD`.
    pub valid_from: String,
    /// Last valid day.
    pub valid_to: Option<String>,
}

/// One node of the area tree (table `ref_areas`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaRow {
    /// Area id.
    pub id: String,
    /// Parent id.
    pub parent_id: Option<String>,
    /// Level code (`grid`, `micro_grid`, …).
    pub level: String,
    /// Name.
    pub name: String,
}

/// A visit or contact log with its review status (the "需修改" list and a record's view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnedRecord {
    /// `visit` or `contact`.
    pub kind: String,
    /// Record id.
    pub id: String,
    /// The document holding it.
    pub doc_id: String,
    /// The household, for household records.
    pub household_id: Option<String>,
    /// The household's address line, when the household is on the device.
    pub address: Option<String>,
    /// The record's author (visitor or contactor).
    pub author: String,
    /// When the record was made (UTC ms).
    pub at: i64,
    /// `unreviewed`, `returned`, `resubmitted` or `approved`.
    pub status: String,
    /// The latest return's reason.
    pub reason: Option<String>,
    /// Who returned it (user id).
    pub returned_by: Option<String>,
    /// When it was returned (UTC ms).
    pub returned_at: Option<i64>,
}

const RECORD_COLS: &str = "r.kind, r.id, r.doc_id, r.household_id, h.address, r.author, r.at, \
     r.review_status, r.return_reason, r.returned_by, r.returned_at";
const RECORDS: &str = "(SELECT 'visit' AS kind, id, doc_id, household_id, visitor_user AS author, \
     at, review_status, return_reason, returned_by, returned_at, deleted_at FROM visits \
     UNION ALL SELECT 'contact', id, doc_id, household_id, contactor_user, at, review_status, \
     return_reason, returned_by, returned_at, deleted_at FROM contact_logs) r \
     LEFT JOIN households h ON h.id = r.household_id";

fn record_from_row(r: &Row<'_>) -> rusqlite::Result<ReturnedRecord> {
    Ok(ReturnedRecord {
        kind: r.get(0)?,
        id: r.get(1)?,
        doc_id: r.get(2)?,
        household_id: r.get(3)?,
        address: r.get(4)?,
        author: r.get(5)?,
        at: r.get(6)?,
        status: r.get(7)?,
        reason: r.get(8)?,
        returned_by: r.get(9)?,
        returned_at: r.get(10)?,
    })
}

fn member_from_row(r: &Row<'_>) -> rusqlite::Result<MemberRow> {
    Ok(MemberRow {
        doc_id: r.get(0)?,
        id: r.get(1)?,
        household_id: r.get(2)?,
        name: r.get(3)?,
        relation: r.get(4)?,
        id_kind: r.get(5)?,
        id_masked: r.get(6)?,
        phone: r.get(7)?,
        phone_masked: r.get(8)?,
        birth_year: r.get(9)?,
        created_at: r.get(10)?,
        deleted_at: r.get(11)?,
    })
}

const ASSIGNMENT_COLS: &str = "a.id, a.kind, a.contactor_user, a.contactor_role, a.target_kind, \
     a.target_id, a.every_days, a.valid_from, a.valid_to";

fn assignment_from_row(r: &Row<'_>) -> rusqlite::Result<AssignmentRow> {
    Ok(AssignmentRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        contactor_user: r.get(2)?,
        contactor_role: r.get(3)?,
        target_kind: r.get(4)?,
        target_id: r.get(5)?,
        every_days: r.get(6)?,
        valid_from: r.get(7)?,
        valid_to: r.get(8)?,
    })
}

impl Store {
    /// Record ids named by a document's unsent outbox rows (refused rows excluded): the
    /// records still waiting to be sent.
    pub fn pending_records(&self, doc_id: &str) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_id FROM outbox WHERE doc_id = ?1 AND record_id IS NOT NULL \
             AND id NOT IN (SELECT outbox_id FROM outbox_refusals)",
        )?;
        let rows = stmt.query_map([doc_id], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Assignments aimed at one target (`household`, `grid`, …), by id.
    pub fn assignments_for(
        &self,
        target_kind: &str,
        target_id: &str,
    ) -> Result<Vec<AssignmentRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ASSIGNMENT_COLS} FROM contact_assignments a \
             WHERE a.target_kind = ?1 AND a.target_id = ?2 ORDER BY a.id"
        ))?;
        let rows = stmt.query_map([target_kind, target_id], assignment_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A contactor's assignments, each with its latest counting contact at or before
    /// `now_ms`, counted as [`Store::overdue_contacts`] counts them: a log naming the
    /// assignment, or the contactor's own log with or visit to the target household, or
    /// grid log for the target grid.
    pub fn assignment_contacts(
        &self,
        user: &str,
        now_ms: i64,
    ) -> Result<Vec<(AssignmentRow, Option<i64>)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ASSIGNMENT_COLS}, max( \
             coalesce((SELECT max(at) FROM contact_logs c WHERE c.assignment_id = a.id \
              AND c.deleted_at IS NULL AND c.at <= ?2), 0), \
             coalesce((SELECT max(at) FROM contact_logs c WHERE a.target_kind = 'household' \
              AND c.contactor_user = a.contactor_user AND c.household_id = a.target_id \
              AND c.deleted_at IS NULL AND c.at <= ?2), 0), \
             coalesce((SELECT max(at) FROM visits v WHERE a.target_kind = 'household' \
              AND v.doc_id = a.target_id AND v.visitor_user = a.contactor_user \
              AND v.deleted_at IS NULL AND v.at <= ?2), 0), \
             coalesce((SELECT max(at) FROM contact_logs c WHERE a.target_kind = 'grid' \
              AND c.contactor_user = a.contactor_user AND c.household_id IS NULL \
              AND c.grid_id = a.target_id AND c.deleted_at IS NULL AND c.at <= ?2), 0)) \
             FROM contact_assignments a WHERE a.contactor_user = ?1 ORDER BY a.id"
        ))?;
        let rows = stmt.query_map(rusqlite::params![user, now_ms], |r| {
            let last: i64 = r.get(9)?;
            Ok((assignment_from_row(r)?, (last > 0).then_some(last)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Live households, optionally of one micro-grid, by address.
    pub fn household_rows(
        &self,
        micro_grid: Option<&str>,
    ) -> Result<Vec<HouseholdRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {HOUSEHOLD_COLS} FROM households WHERE deleted_at IS NULL \
             AND (?1 IS NULL OR micro_grid_id = ?1) ORDER BY address, id"
        ))?;
        let rows = stmt.query_map([micro_grid], household_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A household's live members, head first, then by creation.
    pub fn members_of(&self, household_id: &str) -> Result<Vec<MemberRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT doc_id, id, household_id, name, relation, id_kind, id_masked, phone, \
             phone_masked, birth_year, created_at, deleted_at FROM members \
             WHERE doc_id = ?1 AND deleted_at IS NULL \
             ORDER BY relation <> 'head', created_at, id",
        )?;
        let rows = stmt.query_map([household_id], member_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What the private document adds to a household, if the device holds it.
    pub fn private_row(&self, household_id: &str) -> Result<Option<PrivateRow>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT household_id, doc_id, special_tags, id_count FROM household_private \
                 WHERE household_id = ?1",
            )?
            .query_row([household_id], |r| {
                Ok(PrivateRow {
                    household_id: r.get(0)?,
                    doc_id: r.get(1)?,
                    special_tags: r.get(2)?,
                    id_count: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// Every live incident (open or not), newest first.
    pub fn incident_rows(&self) -> Result<Vec<IncidentRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {INCIDENT_COLS} FROM incidents WHERE deleted_at IS NULL \
             ORDER BY created_at DESC, id"
        ))?;
        let rows = stmt.query_map([], incident_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One incident's row.
    pub fn incident_row(&self, id: &str) -> Result<Option<IncidentRow>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {INCIDENT_COLS} FROM incidents WHERE id = ?1"
            ))?
            .query_row([id], incident_from_row)
            .optional()?)
    }

    /// Live incidents linked to a household, newest first.
    pub fn incidents_of_household(
        &self,
        household_id: &str,
    ) -> Result<Vec<IncidentRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {INCIDENT_COLS} FROM incidents WHERE deleted_at IS NULL \
             AND EXISTS (SELECT 1 FROM json_each(incidents.households) WHERE value = ?1) \
             ORDER BY created_at DESC, id"
        ))?;
        let rows = stmt.query_map([household_id], incident_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// "需修改": live visits and contact logs made by `user` that a supervisor returned and
    /// that are not fixed yet, most recently returned first.
    pub fn returned_records(&self, user: &str) -> Result<Vec<ReturnedRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RECORD_COLS} FROM {RECORDS} WHERE r.author = ?1 \
             AND r.review_status = 'returned' AND r.deleted_at IS NULL \
             ORDER BY r.returned_at DESC, r.id"
        ))?;
        let rows = stmt.query_map([user], record_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One live visit or contact log (`kind` is `visit` or `contact`) with its review
    /// status, if it is on the device.
    pub fn review_record(
        &self,
        kind: &str,
        id: &str,
    ) -> Result<Option<ReturnedRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RECORD_COLS} FROM {RECORDS} WHERE r.kind = ?1 AND r.id = ?2 \
             AND r.deleted_at IS NULL"
        ))?;
        Ok(stmt.query_row([kind, id], record_from_row).optional()?)
    }

    /// Contact assignments of one contactor (in force or not), by id.
    pub fn assignments_of(&self, user: &str) -> Result<Vec<AssignmentRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ASSIGNMENT_COLS} FROM contact_assignments a \
             WHERE a.contactor_user = ?1 ORDER BY a.id"
        ))?;
        let rows = stmt.query_map([user], assignment_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every reference user.
    pub fn ref_users(&self) -> Result<Vec<RefUser>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, role, active FROM ref_users ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, role, active) = row?;
            let role = Role::from_code(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role}")))?;
            out.push(RefUser {
                id,
                name,
                role,
                active,
            });
        }
        Ok(out)
    }

    /// The area tree, by level then name.
    pub fn ref_areas(&self) -> Result<Vec<AreaRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, parent_id, level, name FROM ref_areas ORDER BY level, name, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(AreaRow {
                id: r.get(0)?,
                parent_id: r.get(1)?,
                level: r.get(2)?,
                name: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The incident category tree as stored (empty before the first sync).
    pub fn ref_categories(&self) -> Result<Vec<IncidentCategory>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, parent, name, platform FROM ref_categories ORDER BY code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (code, parent, name, platform) = row?;
            let platform = match platform {
                Some(p) => Some(
                    Platform::from_code(&p)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown platform {p}")))?,
                ),
                None => None,
            };
            out.push(IncidentCategory {
                code,
                parent,
                name,
                platform,
            });
        }
        Ok(out)
    }

    /// Every handling unit.
    pub fn ref_units(&self) -> Result<Vec<HandlingUnit>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, platform, township_id FROM ref_units ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, platform, township_id) = row?;
            let platform = Platform::from_code(&platform)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown platform {platform}")))?;
            out.push(HandlingUnit {
                id,
                name,
                platform,
                township_id,
            });
        }
        Ok(out)
    }
}
