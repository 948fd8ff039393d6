//! Reference data: the area tree, placements, assignments, whole tables kept as JSON,
//! and the version devices compare against. All of it lives in reference tables.

use deadpool_postgres::GenericClient;
use gridwalk_core::protocol::{ReferenceData, UserRef};
use gridwalk_core::reference::{Area, ContactAssignment, ContactTarget};
use serde::de::DeserializeOwned;

use super::{col, exec, query, query_opt};
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

pub(super) async fn version(c: &impl GenericClient) -> StorageResult<u64> {
    let r = query(
        c,
        "SELECT value FROM meta WHERE key = 'reference_version'",
        &[],
    )
    .await?;
    match r.first() {
        Some(r) => Ok(col::<i64>(r, 0)? as u64),
        None => Err(StorageError::Corrupt("no reference_version".into())),
    }
}

pub(super) async fn bump_version(c: &impl GenericClient) -> StorageResult<u64> {
    let r = query(
        c,
        "UPDATE meta SET value = value + 1 WHERE key = 'reference_version' RETURNING value",
        &[],
    )
    .await?;
    match r.first() {
        Some(r) => Ok(col::<i64>(r, 0)? as u64),
        None => Err(StorageError::Corrupt("no reference_version".into())),
    }
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

pub(super) async fn upsert_assignment(
    c: &impl GenericClient,
    a: &ContactAssignment,
) -> StorageResult<()> {
    let (tk, tid) = target_cols(&a.target);
    let json = serde_json::to_string(a).map_err(corrupt)?;
    exec(
        c,
        "INSERT INTO assignments (id, kind, contactor_user, target_kind, target_id, valid_from, valid_to, json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, contactor_user = EXCLUDED.contactor_user,
         target_kind = EXCLUDED.target_kind, target_id = EXCLUDED.target_id,
         valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, json = EXCLUDED.json",
        &[
            &a.id,
            &code_of(&a.kind),
            &a.contactor_user,
            &tk,
            &tid,
            &a.valid_from.to_string(),
            &a.valid_to.map(|d| d.to_string()),
            &json,
        ],
    )
    .await?;
    Ok(())
}

async fn put_blob<T: serde::Serialize>(
    c: &impl GenericClient,
    name: &str,
    v: &Option<T>,
) -> StorageResult<()> {
    if let Some(v) = v {
        let json = serde_json::to_string(v).map_err(corrupt)?;
        exec(
            c,
            "INSERT INTO reference_blobs (name, json) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET json = EXCLUDED.json",
            &[&name, &json],
        )
        .await?;
    }
    Ok(())
}

pub(super) async fn import(c: &impl GenericClient, d: &ReferenceImport) -> StorageResult<u64> {
    for a in &d.areas {
        let json = serde_json::to_string(a).map_err(corrupt)?;
        exec(
            c,
            "INSERT INTO areas (id, parent_id, level, name, json) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET parent_id = EXCLUDED.parent_id, level = EXCLUDED.level,
             name = EXCLUDED.name, json = EXCLUDED.json",
            &[&a.id, &a.parent_id, &code_of(&a.level), &a.name, &json],
        )
        .await?;
    }
    for p in &d.placements {
        exec(
            c,
            "INSERT INTO placements (household_id, grid_id, micro_grid_id, village_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (household_id) DO UPDATE SET grid_id = EXCLUDED.grid_id,
             micro_grid_id = EXCLUDED.micro_grid_id, village_id = EXCLUDED.village_id",
            &[&p.household_id, &p.grid_id, &p.micro_grid_id, &p.village_id],
        )
        .await?;
    }
    for a in &d.assignments {
        upsert_assignment(c, a).await?;
    }
    put_blob(c, "categories", &d.categories).await?;
    put_blob(c, "units", &d.units).await?;
    put_blob(c, "visit_rules", &d.visit_rules).await?;
    put_blob(c, "sla_rules", &d.sla_rules).await?;
    put_blob(c, "calendar", &d.calendar).await?;
    bump_version(c).await
}

async fn blob<T: DeserializeOwned + Default>(
    c: &impl GenericClient,
    name: &str,
) -> StorageResult<T> {
    match query_opt(
        c,
        "SELECT json FROM reference_blobs WHERE name = $1",
        &[&name],
    )
    .await?
    {
        Some(r) => serde_json::from_str(&col::<String>(&r, 0)?).map_err(corrupt),
        None => Ok(T::default()),
    }
}

/// Assignments with `valid_to` from its column (a link end updates only the column).
async fn assignments(
    c: &impl GenericClient,
    contactor: Option<&str>,
) -> StorageResult<Vec<ContactAssignment>> {
    let rows = match contactor {
        Some(u) => {
            query(
                c,
                "SELECT json, valid_to FROM assignments WHERE contactor_user = $1 ORDER BY id COLLATE \"C\"",
                &[&u],
            )
            .await?
        }
        None => {
            query(
                c,
                "SELECT json, valid_to FROM assignments ORDER BY id COLLATE \"C\"",
                &[],
            )
            .await?
        }
    };
    rows.iter()
        .map(|r| {
            let json: String = col(r, 0)?;
            let to: Option<String> = col(r, 1)?;
            let mut a: ContactAssignment = serde_json::from_str(&json).map_err(corrupt)?;
            a.valid_to = to.and_then(|d| d.parse().ok());
            Ok(a)
        })
        .collect()
}

pub(super) async fn data(c: &impl GenericClient) -> StorageResult<ReferenceData> {
    let users = super::auth::users(c)
        .await?
        .into_iter()
        .map(|u| UserRef {
            id: u.id,
            name: u.name,
            role: u.role,
            active: u.active,
        })
        .collect();
    let areas = query(c, "SELECT json FROM areas ORDER BY id COLLATE \"C\"", &[])
        .await?
        .iter()
        .map(|r| serde_json::from_str(&col::<String>(r, 0)?).map_err(corrupt))
        .collect::<StorageResult<Vec<Area>>>()?;
    Ok(ReferenceData {
        version: version(c).await?,
        areas,
        users,
        categories: blob(c, "categories").await?,
        units: blob(c, "units").await?,
        assignments: assignments(c, None).await?,
        visit_rules: blob(c, "visit_rules").await?,
        sla_rules: blob(c, "sla_rules").await?,
        calendar: blob(c, "calendar").await?,
    })
}

pub(super) async fn area(c: &impl GenericClient, id: &str) -> StorageResult<Option<Area>> {
    match query_opt(c, "SELECT json FROM areas WHERE id = $1", &[&id]).await? {
        Some(r) => Ok(Some(
            serde_json::from_str(&col::<String>(&r, 0)?).map_err(corrupt)?,
        )),
        None => Ok(None),
    }
}

pub(super) async fn grids_under(c: &impl GenericClient, id: &str) -> StorageResult<Vec<String>> {
    query(
        c,
        "WITH RECURSIVE sub(id, level) AS (
             SELECT id, level FROM areas WHERE id = $1
             UNION ALL SELECT a.id, a.level FROM areas a JOIN sub ON a.parent_id = sub.id
         ) SELECT id FROM sub WHERE level = 'grid' ORDER BY id COLLATE \"C\"",
        &[&id],
    )
    .await?
    .iter()
    .map(|r| col(r, 0))
    .collect()
}

pub(super) async fn placement(
    c: &impl GenericClient,
    household: &str,
) -> StorageResult<Option<Placement>> {
    query_opt(
        c,
        "SELECT household_id, grid_id, micro_grid_id, village_id FROM placements WHERE household_id = $1",
        &[&household],
    )
    .await?
    .map(|r| {
        Ok(Placement {
            household_id: col(&r, 0)?,
            grid_id: col(&r, 1)?,
            micro_grid_id: col(&r, 2)?,
            village_id: col(&r, 3)?,
        })
    })
    .transpose()
}

pub(super) async fn assignments_of(
    c: &impl GenericClient,
    user: &str,
) -> StorageResult<Vec<ContactAssignment>> {
    assignments(c, Some(user)).await
}
