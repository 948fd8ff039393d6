//! Users, devices, actor bindings, login throttling and the audit log.

use gridwalk_core::reference::Role;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::storage::*;

const USER_COLS: &str = "id, username, name, role, area_id, unit_id, password_hash, active";

/// Reads a role column, refusing an unknown code as a conversion failure.
fn role_col(r: &Row<'_>, i: usize) -> rusqlite::Result<Role> {
    let code: String = r.get(i)?;
    Role::from_code(&code).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown role {code}").into(),
        )
    })
}

fn user_at(r: &Row<'_>, o: usize) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(o)?,
        username: r.get(o + 1)?,
        name: r.get(o + 2)?,
        role: role_col(r, o + 3)?,
        area_id: r.get(o + 4)?,
        unit_id: r.get(o + 5)?,
        password_hash: r.get(o + 6)?,
        active: r.get(o + 7)?,
    })
}

fn user_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    user_at(r, 0)
}

pub(super) fn create_user(conn: &Connection, u: &UserRow, at: i64) -> StorageResult<()> {
    conn.execute(
        "INSERT INTO users (id, username, name, role, area_id, unit_id, password_hash, active, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            u.id,
            u.username,
            u.name,
            u.role.code(),
            u.area_id,
            u.unit_id,
            u.password_hash,
            u.active,
            at
        ],
    )?;
    Ok(())
}

pub(super) fn user_where(
    conn: &Connection,
    column: &str,
    value: &str,
) -> StorageResult<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE {column} = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([value], user_row)
        .optional()?)
}

pub(super) fn users(conn: &Connection) -> StorageResult<Vec<UserRow>> {
    let sql = format!("SELECT {USER_COLS} FROM users ORDER BY username");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], user_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn create_device(conn: &Connection, d: &DeviceRow, token: &str) -> StorageResult<()> {
    conn.execute(
        "INSERT INTO devices (id, user_id, name, token_sha256, created_at, expires_at, revoked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            d.id,
            d.user_id,
            d.name,
            token,
            d.created_at,
            d.expires_at,
            d.revoked_at
        ],
    )?;
    Ok(())
}

fn device_row(r: &Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok(DeviceRow {
        id: r.get(0)?,
        user_id: r.get(1)?,
        name: r.get(2)?,
        created_at: r.get(3)?,
        expires_at: r.get(4)?,
        revoked_at: r.get(5)?,
    })
}

pub(super) fn device_by_token(
    conn: &Connection,
    token: &str,
) -> StorageResult<Option<(DeviceRow, UserRow)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.user_id, d.name, d.created_at, d.expires_at, d.revoked_at,
                u.id, u.username, u.name, u.role, u.area_id, u.unit_id, u.password_hash, u.active
         FROM devices d JOIN users u ON u.id = d.user_id WHERE d.token_sha256 = ?1",
    )?;
    Ok(stmt
        .query_row([token], |r| Ok((device_row(r)?, user_at(r, 6)?)))
        .optional()?)
}

pub(super) fn devices(conn: &Connection) -> StorageResult<Vec<DeviceRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, user_id, name, created_at, expires_at, revoked_at FROM devices
         ORDER BY created_at DESC, id",
    )?;
    let rows = stmt.query_map([], device_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn revoke_device(conn: &Connection, id: &str, at: i64) -> StorageResult<bool> {
    let n = conn.execute(
        "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
        params![id, at],
    )?;
    Ok(n == 1)
}

pub(super) fn bind_actors(
    conn: &mut Connection,
    device: &str,
    actors: &[String],
    at: i64,
) -> StorageResult<Vec<(String, String)>> {
    let tx = conn.transaction()?;
    let mut out = Vec::with_capacity(actors.len());
    {
        let mut ins = tx.prepare_cached(
            "INSERT OR IGNORE INTO device_actors (actor, device_id, bound_at) VALUES (?1, ?2, ?3)",
        )?;
        let mut get = tx.prepare_cached("SELECT device_id FROM device_actors WHERE actor = ?1")?;
        for a in actors {
            ins.execute(params![a, device, at])?;
            let owner: String = get.query_row([a], |r| r.get(0))?;
            out.push((a.clone(), owner));
        }
    }
    tx.commit()?;
    Ok(out)
}

pub(super) fn throttle(conn: &Connection, key: &str) -> StorageResult<Throttle> {
    Ok(conn
        .prepare_cached("SELECT failures, locked_until FROM login_throttle WHERE key = ?1")?
        .query_row([key], |r| {
            Ok(Throttle {
                failures: r.get(0)?,
                locked_until: r.get(1)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

pub(super) fn throttle_fail(
    conn: &mut Connection,
    key: &str,
    now: i64,
    max: u32,
    lock_ms: i64,
) -> StorageResult<Throttle> {
    let tx = conn.transaction()?;
    let mut t = throttle(&tx, key)?;
    if t.locked_until != 0 && t.locked_until <= now {
        // The lock ran out: count afresh.
        t = Throttle::default();
    }
    t.failures += 1;
    if t.failures >= max {
        t.locked_until = now + lock_ms;
    }
    tx.execute(
        "INSERT INTO login_throttle (key, failures, locked_until, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(key) DO UPDATE SET failures = ?2, locked_until = ?3, updated_at = ?4",
        params![key, t.failures, t.locked_until, now],
    )?;
    tx.commit()?;
    Ok(t)
}

pub(super) fn throttle_clear(conn: &Connection, key: &str) -> StorageResult<()> {
    conn.execute("DELETE FROM login_throttle WHERE key = ?1", [key])?;
    Ok(())
}

pub(super) fn insert_audit(conn: &Connection, rows: &[AuditRow]) -> StorageResult<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO audit (at, user_id, device_id, action, doc_id, target, event_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for a in rows {
        stmt.execute(params![
            a.at,
            a.user_id,
            a.device_id,
            a.action,
            a.doc_id,
            a.target,
            a.event_id
        ])?;
    }
    Ok(())
}

pub(super) fn audit_rows(conn: &Connection, action: &str) -> StorageResult<Vec<AuditRow>> {
    let mut stmt = conn.prepare(
        "SELECT at, user_id, device_id, action, doc_id, target, event_id FROM audit
         WHERE action = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([action], |r| {
        Ok(AuditRow {
            at: r.get(0)?,
            user_id: r.get(1)?,
            device_id: r.get(2)?,
            action: r.get(3)?,
            doc_id: r.get(4)?,
            target: r.get(5)?,
            event_id: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
