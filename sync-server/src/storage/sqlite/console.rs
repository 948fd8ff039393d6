//! Console sessions on SQLite (`console_sessions`, migration `0002_console`).

use rusqlite::{Connection, OptionalExtension, params};

use crate::storage::*;

pub(super) fn create_session(conn: &Connection, s: &ConsoleSessionRow) -> StorageResult<()> {
    // Sessions past their expiry are useless: clear them while we are writing anyway.
    conn.execute(
        "DELETE FROM console_sessions WHERE expires_at <= ?1",
        params![s.created_at],
    )?;
    conn.execute(
        "INSERT INTO console_sessions (token_sha256, user_id, csrf_token, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            s.token_sha256,
            s.user_id,
            s.csrf_token,
            s.created_at,
            s.expires_at
        ],
    )?;
    Ok(())
}

pub(super) fn session(
    conn: &Connection,
    token_sha256: &str,
) -> StorageResult<Option<ConsoleSessionRow>> {
    Ok(conn
        .query_row(
            "SELECT token_sha256, user_id, csrf_token, created_at, expires_at
             FROM console_sessions WHERE token_sha256 = ?1",
            params![token_sha256],
            |r| {
                Ok(ConsoleSessionRow {
                    token_sha256: r.get(0)?,
                    user_id: r.get(1)?,
                    csrf_token: r.get(2)?,
                    created_at: r.get(3)?,
                    expires_at: r.get(4)?,
                })
            },
        )
        .optional()?)
}

pub(super) fn delete_session(conn: &Connection, token_sha256: &str) -> StorageResult<()> {
    conn.execute(
        "DELETE FROM console_sessions WHERE token_sha256 = ?1",
        params![token_sha256],
    )?;
    Ok(())
}
