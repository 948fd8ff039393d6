//! Reference data: the area tree, placements, assignments, whole tables kept as JSON,
//! and the version devices compare against.

use gridwalk_core::protocol::{ReferenceData, UserRef};
use gridwalk_core::reference::{Area, ContactAssignment, ContactTarget};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::de::DeserializeOwned;

use crate::storage::*;

fn corrupt(e: serde_json::Error) -> StorageError {
    StorageError::Corrupt(e.to_string())
}

fn code_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub(super) fn version(conn: &Connection) -> StorageResult<u64> {
    let v: i64 = conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'reference_version'")?
        .query_row([], |r| r.get(0))?;
    Ok(v as u64)
}

pub(super) fn bump_version(tx: &Transaction<'_>) -> StorageResult<u64> {
    let v: i64 = tx.query_row(
        "UPDATE meta SET value = value + 1 WHERE key = 'reference_version' RETURNING value",
        [],
        |r| r.get(0),
    )?;
    Ok(v as u64)
}

fn target_cols(t: &ContactTarget) -> (&'static str, &str) {
    match t {
        ContactTarget::Village(id) => ("village", id),
        ContactTarget::Grid(id) => ("grid", id),
        ContactTarget::MicroGrid(id) => ("micro_grid", id),
        ContactTarget::Household(id) => ("household", id),
        ContactTarget::User(id) => ("user", id),
    }
}

pub(super) fn upsert_assignment(tx: &Transaction<'_>, a: &ContactAssignment) -> StorageResult<()> {
    let (tk, tid) = target_cols(&a.target);
    let json = serde_json::to_string(a).map_err(corrupt)?;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO assignments (id, kind, contactor_user, target_kind, target_id, valid_from, valid_to, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        a.id,
        code_of(&a.kind),
        a.contactor_user,
        tk,
        tid,
        a.valid_from.to_string(),
        a.valid_to.map(|d| d.to_string()),
        json
    ])?;
    Ok(())
}

fn put_blob<T: serde::Serialize>(
    tx: &Transaction<'_>,
    name: &str,
    v: &Option<T>,
) -> StorageResult<()> {
    if let Some(v) = v {
        let json = serde_json::to_string(v).map_err(corrupt)?;
        tx.execute(
            "INSERT OR REPLACE INTO reference_blobs (name, json) VALUES (?1, ?2)",
            params![name, json],
        )?;
    }
    Ok(())
}

pub(super) fn import(conn: &mut Connection, d: &ReferenceImport) -> StorageResult<u64> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT OR REPLACE INTO areas (id, parent_id, level, name, json) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for a in &d.areas {
            let json = serde_json::to_string(a).map_err(corrupt)?;
            stmt.execute(params![a.id, a.parent_id, code_of(&a.level), a.name, json])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT OR REPLACE INTO placements (household_id, grid_id, micro_grid_id, village_id) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for p in &d.placements {
            stmt.execute(params![
                p.household_id,
                p.grid_id,
                p.micro_grid_id,
                p.village_id
            ])?;
        }
    }
    for a in &d.assignments {
        upsert_assignment(&tx, a)?;
    }
    put_blob(&tx, "categories", &d.categories)?;
    put_blob(&tx, "units", &d.units)?;
    put_blob(&tx, "visit_rules", &d.visit_rules)?;
    put_blob(&tx, "sla_rules", &d.sla_rules)?;
    put_blob(&tx, "calendar", &d.calendar)?;
    let v = bump_version(&tx)?;
    tx.commit()?;
    Ok(v)
}

fn blob<T: DeserializeOwned + Default>(conn: &Connection, name: &str) -> StorageResult<T> {
    let json: Option<String> = conn
        .prepare_cached("SELECT json FROM reference_blobs WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    match json {
        Some(j) => serde_json::from_str(&j).map_err(corrupt),
        None => Ok(T::default()),
    }
}

fn json_rows<T: DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    arg: Option<&str>,
) -> StorageResult<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let texts: Vec<String> = match arg {
        Some(a) => stmt
            .query_map([a], |r| r.get(0))?
            .collect::<Result<_, _>>()?,
        None => stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?,
    };
    texts
        .iter()
        .map(|t| serde_json::from_str(t).map_err(corrupt))
        .collect()
}

/// Assignments with `valid_to` from its column (a link end updates only the column).
fn assignments(
    conn: &Connection,
    filter: &str,
    arg: Option<&str>,
) -> StorageResult<Vec<ContactAssignment>> {
    let sql = format!("SELECT json, valid_to FROM assignments {filter} ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let map = |r: &rusqlite::Row<'_>| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?));
    let rows: Vec<(String, Option<String>)> = match arg {
        Some(a) => stmt.query_map([a], map)?.collect::<Result<_, _>>()?,
        None => stmt.query_map([], map)?.collect::<Result<_, _>>()?,
    };
    rows.into_iter()
        .map(|(json, to)| {
            let mut a: ContactAssignment = serde_json::from_str(&json).map_err(corrupt)?;
            a.valid_to = to.and_then(|d| d.parse().ok());
            Ok(a)
        })
        .collect()
}

pub(super) fn data(conn: &Connection) -> StorageResult<ReferenceData> {
    let users = super::auth::users(conn)?
        .into_iter()
        .map(|u| UserRef {
            id: u.id,
            name: u.name,
            role: u.role,
            active: u.active,
        })
        .collect();
    Ok(ReferenceData {
        version: version(conn)?,
        areas: json_rows(conn, "SELECT json FROM areas ORDER BY id", None)?,
        users,
        categories: blob(conn, "categories")?,
        units: blob(conn, "units")?,
        assignments: assignments(conn, "", None)?,
        visit_rules: blob(conn, "visit_rules")?,
        sla_rules: blob(conn, "sla_rules")?,
        calendar: blob(conn, "calendar")?,
    })
}

pub(super) fn area(conn: &Connection, id: &str) -> StorageResult<Option<Area>> {
    Ok(json_rows(conn, "SELECT json FROM areas WHERE id = ?1", Some(id))?.pop())
}

pub(super) fn grids_under(conn: &Connection, id: &str) -> StorageResult<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE sub(id, level) AS (
             SELECT id, level FROM areas WHERE id = ?1
             UNION ALL SELECT a.id, a.level FROM areas a JOIN sub ON a.parent_id = sub.id
         ) SELECT id FROM sub WHERE level = 'grid' ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn placement(conn: &Connection, household: &str) -> StorageResult<Option<Placement>> {
    Ok(conn
        .prepare_cached(
            "SELECT household_id, grid_id, micro_grid_id, village_id FROM placements WHERE household_id = ?1",
        )?
        .query_row([household], |r| {
            Ok(Placement {
                household_id: r.get(0)?,
                grid_id: r.get(1)?,
                micro_grid_id: r.get(2)?,
                village_id: r.get(3)?,
            })
        })
        .optional()?)
}

pub(super) fn assignments_of(
    conn: &Connection,
    user: &str,
) -> StorageResult<Vec<ContactAssignment>> {
    assignments(conn, "WHERE contactor_user = ?1", Some(user))
}
