//! Reference data from the server, stored as plain rows (never CRDTs): areas, users,
//! incident categories, handling units and contact assignments. Each kind is replaced
//! as a whole, with its version, in one transaction.

use gridwalk_core::reference::{
    Area, ContactAssignment, ContactTarget, HandlingUnit, IncidentCategory, Role,
};
use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};

use crate::{Store, StoreError};

/// A user as the device needs to know them (names to show, roles to check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefUser {
    /// User id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Is the account active?
    pub active: bool,
}

fn code<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn target_parts(t: &ContactTarget) -> (&'static str, &str) {
    match t {
        ContactTarget::Village(id) => ("village", id),
        ContactTarget::Grid(id) => ("grid", id),
        ContactTarget::MicroGrid(id) => ("micro_grid", id),
        ContactTarget::Household(id) => ("household", id),
        ContactTarget::User(id) => ("user", id),
    }
}

impl Store {
    fn replace_ref(
        &mut self,
        kind: &str,
        version: i64,
        fill: impl FnOnce(&Transaction<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        fill(&tx)?;
        set_ref_version(&tx, kind, version)?;
        tx.commit()?;
        Ok(())
    }

    /// The stored version of a reference kind (`areas`, `users`, `categories`, `units`,
    /// `assignments`).
    pub fn ref_version(&self, kind: &str) -> Result<Option<i64>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT version FROM ref_versions WHERE kind = ?1",
                [kind],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Replaces the area tree.
    pub fn replace_areas(&mut self, version: i64, areas: &[Area]) -> Result<(), StoreError> {
        self.replace_ref("areas", version, |tx| fill_areas(tx, areas))
    }

    /// Replaces the users.
    pub fn replace_users(&mut self, version: i64, users: &[RefUser]) -> Result<(), StoreError> {
        self.replace_ref("users", version, |tx| fill_users(tx, users))
    }

    /// Replaces the incident category tree.
    pub fn replace_categories(
        &mut self,
        version: i64,
        categories: &[IncidentCategory],
    ) -> Result<(), StoreError> {
        self.replace_ref("categories", version, |tx| fill_categories(tx, categories))
    }

    /// Replaces the handling units.
    pub fn replace_units(
        &mut self,
        version: i64,
        units: &[HandlingUnit],
    ) -> Result<(), StoreError> {
        self.replace_ref("units", version, |tx| fill_units(tx, units))
    }

    /// Replaces the contact assignments (三联系 / 党员联户).
    pub fn replace_assignments(
        &mut self,
        version: i64,
        assignments: &[ContactAssignment],
    ) -> Result<(), StoreError> {
        self.replace_ref("assignments", version, |tx| {
            fill_assignments(tx, assignments)
        })
    }
}

/// Records the version of a reference kind inside `tx`.
pub(crate) fn set_ref_version(
    tx: &Transaction<'_>,
    kind: &str,
    version: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO ref_versions (kind, version) VALUES (?1, ?2) \
         ON CONFLICT (kind) DO UPDATE SET version = excluded.version",
        params![kind, version],
    )?;
    Ok(())
}

/// Replaces the rows of `ref_areas` inside `tx`.
pub(crate) fn fill_areas(tx: &Transaction<'_>, areas: &[Area]) -> Result<(), StoreError> {
    tx.execute("DELETE FROM ref_areas", [])?;
    let mut stmt = tx.prepare(
        "INSERT INTO ref_areas (id, parent_id, level, name, grid_kind, rural) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for a in areas {
        stmt.execute(params![
            a.id,
            a.parent_id,
            code(&a.level),
            a.name,
            a.grid_kind.as_ref().map(code),
            a.rural
        ])?;
    }
    Ok(())
}

/// Replaces the rows of `ref_users` inside `tx`.
pub(crate) fn fill_users(tx: &Transaction<'_>, users: &[RefUser]) -> Result<(), StoreError> {
    tx.execute("DELETE FROM ref_users", [])?;
    let mut stmt =
        tx.prepare("INSERT INTO ref_users (id, name, role, active) VALUES (?1, ?2, ?3, ?4)")?;
    for u in users {
        stmt.execute(params![u.id, u.name, u.role.code(), u.active])?;
    }
    Ok(())
}

/// Replaces the rows of `ref_categories` inside `tx`.
pub(crate) fn fill_categories(
    tx: &Transaction<'_>,
    categories: &[IncidentCategory],
) -> Result<(), StoreError> {
    tx.execute("DELETE FROM ref_categories", [])?;
    let mut stmt = tx.prepare(
        "INSERT INTO ref_categories (code, parent, name, platform) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for c in categories {
        stmt.execute(params![
            c.code,
            c.parent,
            c.name,
            c.platform.map(|p| p.code())
        ])?;
    }
    Ok(())
}

/// Replaces the rows of `ref_units` inside `tx`.
pub(crate) fn fill_units(tx: &Transaction<'_>, units: &[HandlingUnit]) -> Result<(), StoreError> {
    tx.execute("DELETE FROM ref_units", [])?;
    let mut stmt = tx.prepare(
        "INSERT INTO ref_units (id, name, platform, township_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for u in units {
        stmt.execute(params![u.id, u.name, u.platform.code(), u.township_id])?;
    }
    Ok(())
}

/// Replaces the rows of `contact_assignments` inside `tx`.
pub(crate) fn fill_assignments(
    tx: &Transaction<'_>,
    assignments: &[ContactAssignment],
) -> Result<(), StoreError> {
    tx.execute("DELETE FROM contact_assignments", [])?;
    let mut stmt = tx.prepare(
        "INSERT INTO contact_assignments (id, kind, contactor_user, contactor_role, \
         target_kind, target_id, every_days, valid_from, valid_to) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for a in assignments {
        let (target_kind, target_id) = target_parts(&a.target);
        stmt.execute(params![
            a.id,
            code(&a.kind),
            a.contactor_user,
            a.contactor_role.code(),
            target_kind,
            target_id,
            a.every_days,
            a.valid_from.format("%Y-%m-%d").to_string(),
            a.valid_to.map(|d| d.format("%Y-%m-%d").to_string())
        ])?;
    }
    Ok(())
}
