//! Console sessions (`console_sessions`, migration `0002_console`).

use deadpool_postgres::GenericClient;

use super::{col, exec, query_opt};
use crate::storage::*;

pub(super) async fn create_session(
    c: &impl GenericClient,
    s: &ConsoleSessionRow,
) -> StorageResult<()> {
    // Sessions past their expiry are useless: clear them while we are writing anyway.
    exec(
        c,
        "DELETE FROM console_sessions WHERE expires_at <= $1",
        &[&s.created_at],
    )
    .await?;
    exec(
        c,
        "INSERT INTO console_sessions (token_sha256, user_id, csrf_token, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &s.token_sha256,
            &s.user_id,
            &s.csrf_token,
            &s.created_at,
            &s.expires_at,
        ],
    )
    .await?;
    Ok(())
}

pub(super) async fn session(
    c: &impl GenericClient,
    token_sha256: &str,
) -> StorageResult<Option<ConsoleSessionRow>> {
    query_opt(
        c,
        "SELECT token_sha256, user_id, csrf_token, created_at, expires_at
         FROM console_sessions WHERE token_sha256 = $1",
        &[&token_sha256],
    )
    .await?
    .map(|r| {
        Ok(ConsoleSessionRow {
            token_sha256: col(&r, 0)?,
            user_id: col(&r, 1)?,
            csrf_token: col(&r, 2)?,
            created_at: col(&r, 3)?,
            expires_at: col(&r, 4)?,
        })
    })
    .transpose()
}

pub(super) async fn delete_session(
    c: &impl GenericClient,
    token_sha256: &str,
) -> StorageResult<()> {
    exec(
        c,
        "DELETE FROM console_sessions WHERE token_sha256 = $1",
        &[&token_sha256],
    )
    .await?;
    Ok(())
}
