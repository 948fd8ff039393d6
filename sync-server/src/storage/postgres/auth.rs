//! Users, devices, actor bindings, login throttling and the audit log.

use deadpool_postgres::GenericClient;
use gridwalk_core::reference::Role;
use tokio_postgres::Row;

use super::{col, exec, query, query_opt};
use crate::storage::*;

const USER_COLS: &str = "id, username, name, role, area_id, unit_id, password_hash, active";

fn user_at(r: &Row, o: usize) -> StorageResult<UserRow> {
    let code: String = col(r, o + 3)?;
    Ok(UserRow {
        id: col(r, o)?,
        username: col(r, o + 1)?,
        name: col(r, o + 2)?,
        role: Role::from_code(&code)
            .ok_or_else(|| StorageError::Corrupt(format!("unknown role {code}")))?,
        area_id: col(r, o + 4)?,
        unit_id: col(r, o + 5)?,
        password_hash: col(r, o + 6)?,
        active: col(r, o + 7)?,
    })
}

pub(super) async fn create_user(c: &impl GenericClient, u: &UserRow, at: i64) -> StorageResult<()> {
    exec(
        c,
        "INSERT INTO users (id, username, name, role, area_id, unit_id, password_hash, active, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &u.id,
            &u.username,
            &u.name,
            &u.role.code(),
            &u.area_id,
            &u.unit_id,
            &u.password_hash,
            &u.active,
            &at,
        ],
    )
    .await?;
    Ok(())
}

/// `column` is one of this module's callers' literals (`id`, `username`), never input.
pub(super) async fn user_where(
    c: &impl GenericClient,
    column: &str,
    value: &str,
) -> StorageResult<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE {column} = $1");
    query_opt(c, &sql, &[&value])
        .await?
        .map(|r| user_at(&r, 0))
        .transpose()
}

pub(super) async fn users(c: &impl GenericClient) -> StorageResult<Vec<UserRow>> {
    let sql = format!("SELECT {USER_COLS} FROM users ORDER BY username COLLATE \"C\"");
    query(c, &sql, &[])
        .await?
        .iter()
        .map(|r| user_at(r, 0))
        .collect()
}

pub(super) async fn create_device(
    c: &impl GenericClient,
    d: &DeviceRow,
    token: &str,
) -> StorageResult<()> {
    exec(
        c,
        "INSERT INTO devices (id, user_id, name, token_sha256, created_at, expires_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &d.id,
            &d.user_id,
            &d.name,
            &token,
            &d.created_at,
            &d.expires_at,
            &d.revoked_at,
        ],
    )
    .await?;
    Ok(())
}

fn device_row(r: &Row) -> StorageResult<DeviceRow> {
    Ok(DeviceRow {
        id: col(r, 0)?,
        user_id: col(r, 1)?,
        name: col(r, 2)?,
        created_at: col(r, 3)?,
        expires_at: col(r, 4)?,
        revoked_at: col(r, 5)?,
    })
}

pub(super) async fn device_by_token(
    c: &impl GenericClient,
    token: &str,
) -> StorageResult<Option<(DeviceRow, UserRow)>> {
    let row = query_opt(
        c,
        "SELECT d.id, d.user_id, d.name, d.created_at, d.expires_at, d.revoked_at,
                u.id, u.username, u.name, u.role, u.area_id, u.unit_id, u.password_hash, u.active
         FROM devices d JOIN users u ON u.id = d.user_id WHERE d.token_sha256 = $1",
        &[&token],
    )
    .await?;
    row.map(|r| Ok((device_row(&r)?, user_at(&r, 6)?)))
        .transpose()
}

pub(super) async fn devices(c: &impl GenericClient) -> StorageResult<Vec<DeviceRow>> {
    query(
        c,
        "SELECT id, user_id, name, created_at, expires_at, revoked_at FROM devices
         ORDER BY created_at DESC, id COLLATE \"C\"",
        &[],
    )
    .await?
    .iter()
    .map(device_row)
    .collect()
}

pub(super) async fn revoke_device(
    c: &impl GenericClient,
    id: &str,
    at: i64,
) -> StorageResult<bool> {
    let n = exec(
        c,
        "UPDATE devices SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
        &[&id, &at],
    )
    .await?;
    Ok(n == 1)
}

pub(super) async fn bind_actors(
    c: &impl GenericClient,
    device: &str,
    actors: &[String],
    at: i64,
) -> StorageResult<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(actors.len());
    for a in actors {
        exec(
            c,
            "INSERT INTO device_actors (actor, device_id, bound_at) VALUES ($1, $2, $3)
             ON CONFLICT (actor) DO NOTHING",
            &[a, &device, &at],
        )
        .await?;
        let row = query(
            c,
            "SELECT device_id FROM device_actors WHERE actor = $1",
            &[a],
        )
        .await?;
        let owner: String = match row.first() {
            Some(r) => col(r, 0)?,
            None => return Err(StorageError::Corrupt(format!("actor {a} not bound"))),
        };
        out.push((a.clone(), owner));
    }
    Ok(out)
}

/// A key's throttle state; `lock` takes its row for the rest of the transaction.
pub(super) async fn throttle(
    c: &impl GenericClient,
    key: &str,
    lock: bool,
) -> StorageResult<Throttle> {
    let sql = if lock {
        "SELECT failures, locked_until FROM login_throttle WHERE key = $1 FOR UPDATE"
    } else {
        "SELECT failures, locked_until FROM login_throttle WHERE key = $1"
    };
    match query_opt(c, sql, &[&key]).await? {
        Some(r) => Ok(Throttle {
            failures: col::<i32>(&r, 0)?.max(0) as u32,
            locked_until: col(&r, 1)?,
        }),
        None => Ok(Throttle::default()),
    }
}

pub(super) async fn throttle_fail(
    c: &impl GenericClient,
    key: &str,
    now: i64,
    max: u32,
    lock_ms: i64,
) -> StorageResult<Throttle> {
    // Make sure the row exists, then lock it: concurrent failures count one by one.
    exec(
        c,
        "INSERT INTO login_throttle (key, failures, locked_until, updated_at) VALUES ($1, 0, 0, $2)
         ON CONFLICT (key) DO NOTHING",
        &[&key, &now],
    )
    .await?;
    let mut t = throttle(c, key, true).await?;
    if t.locked_until != 0 && t.locked_until <= now {
        // The lock ran out: count afresh.
        t = Throttle::default();
    }
    t.failures += 1;
    if t.failures >= max {
        t.locked_until = now + lock_ms;
    }
    let failures = t.failures.min(i32::MAX as u32) as i32;
    exec(
        c,
        "UPDATE login_throttle SET failures = $2, locked_until = $3, updated_at = $4 WHERE key = $1",
        &[&key, &failures, &t.locked_until, &now],
    )
    .await?;
    Ok(t)
}

pub(super) async fn insert_audit(c: &impl GenericClient, rows: &[AuditRow]) -> StorageResult<()> {
    for a in rows {
        // A device event is keyed by its id (logged once); any other row by a fresh UUID.
        let key = match &a.event_id {
            Some(e) => format!("e:{e}"),
            None => format!("g:{}", uuid::Uuid::now_v7()),
        };
        exec(
            c,
            "INSERT INTO audit (row_key, at, user_id, device_id, action, doc_id, target, event_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (row_key) DO NOTHING",
            &[
                &key,
                &a.at,
                &a.user_id,
                &a.device_id,
                &a.action,
                &a.doc_id,
                &a.target,
                &a.event_id,
            ],
        )
        .await?;
    }
    Ok(())
}

pub(super) async fn audit_rows(
    c: &impl GenericClient,
    action: &str,
) -> StorageResult<Vec<AuditRow>> {
    query(
        c,
        "SELECT at, user_id, device_id, action, doc_id, target, event_id FROM audit
         WHERE action = $1 ORDER BY id",
        &[&action],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(AuditRow {
            at: col(r, 0)?,
            user_id: col(r, 1)?,
            device_id: col(r, 2)?,
            action: col(r, 3)?,
            doc_id: col(r, 4)?,
            target: col(r, 5)?,
            event_id: col(r, 6)?,
        })
    })
    .collect()
}
