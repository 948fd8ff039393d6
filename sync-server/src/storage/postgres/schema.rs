//! The PostgreSQL schema: migrations, the intended Citus distribution of each table,
//! databases for tests, and `pg_dump` backups.

use std::path::Path;
use std::str::FromStr;

use deadpool_postgres::GenericClient;

use super::{exec, query, query_opt};
use crate::storage::{StorageError, StorageResult};

/// The server migrations, in order. Never edit or reorder a shipped entry: append.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init",
        include_str!("../../../../migrations/server/postgres/0001_init.sql"),
    ),
    (
        "0002_console",
        include_str!("../../../../migrations/server/postgres/0002_console.sql"),
    ),
    (
        "0003_exports",
        include_str!("../../../../migrations/server/postgres/0003_exports.sql"),
    ),
];

/// How a table is spread over a Citus cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distribution {
    /// Sharded by this column; every primary and unique key includes it.
    By(&'static str),
    /// A reference table: a full copy on every node.
    Reference,
}

/// Every table of the schema and its distribution. The migrations carry the same as
/// `-- distribute:` comments; a test checks both against the catalog.
pub const DISTRIBUTION: &[(&str, Distribution)] = &[
    ("documents", Distribution::By("doc_id")),
    ("changes", Distribution::By("doc_id")),
    ("quarantine", Distribution::By("doc_id")),
    ("grid_seq", Distribution::By("grid_id")),
    ("feed", Distribution::By("grid_id")),
    ("audit", Distribution::By("row_key")),
    ("login_throttle", Distribution::By("key")),
    ("export_jobs", Distribution::By("id")),
    ("schema_migrations", Distribution::Reference),
    ("users", Distribution::Reference),
    ("devices", Distribution::Reference),
    ("device_actors", Distribution::Reference),
    ("console_sessions", Distribution::Reference),
    ("areas", Distribution::Reference),
    ("placements", Distribution::Reference),
    ("assignments", Distribution::Reference),
    ("reference_blobs", Distribution::Reference),
    ("meta", Distribution::Reference),
];

/// Serializes migrations of one database across server processes.
const MIGRATION_LOCK: i64 = 0x6777_6d69_6772;

/// The number of migrations applied (0 for an empty database).
pub(super) async fn version(c: &impl GenericClient) -> StorageResult<i64> {
    let exists = query_opt(
        c,
        "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'",
        &[],
    )
    .await?
    .is_some();
    if !exists {
        return Ok(0);
    }
    let row = query(
        c,
        "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
        &[],
    )
    .await?;
    Ok(row.first().map_or(0, |r| r.get(0)))
}

/// Applies the missing migrations in one transaction, under an advisory lock so that
/// several processes starting at once migrate once.
pub(super) async fn migrate(client: &mut deadpool_postgres::Client) -> StorageResult<()> {
    let supported = MIGRATIONS.len() as i64;
    let tx = client.transaction().await?;
    exec(&tx, "SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    let found = version(&tx).await?;
    if found > supported {
        return Err(StorageError::DatabaseTooNew { found, supported });
    }
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(sql).await?;
        let v = (i + 1) as i32;
        exec(
            &tx,
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[&v, name],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Connects once to an admin URL and runs `f` on the connection.
async fn admin<T>(
    admin_url: &str,
    f: impl AsyncFnOnce(&tokio_postgres::Client) -> StorageResult<T>,
) -> StorageResult<T> {
    let config = tokio_postgres::Config::from_str(admin_url)
        .map_err(|e| StorageError::Database(format!("bad PostgreSQL URL: {e}")))?;
    let (client, conn) = config.connect(tokio_postgres::NoTls).await?;
    let driver = tokio::spawn(conn);
    let out = f(&client).await;
    drop(client);
    let _ = driver.await;
    out
}

fn check_name(name: &str) -> StorageResult<()> {
    let ok = !name.is_empty()
        && name.len() < 60
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(StorageError::Database(format!(
            "not a plain database name: {name}"
        )))
    }
}

fn with_database(admin_url: &str, name: &str) -> StorageResult<String> {
    // Replace the path of the URL (what follows the authority), keeping any query.
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (admin_url, None),
    };
    let after_scheme = base
        .find("://")
        .map(|i| i + 3)
        .ok_or_else(|| StorageError::Database("a PostgreSQL URL starts with postgres://".into()))?;
    let authority_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    let mut url = format!("{}/{name}", &base[..authority_end]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    Ok(url)
}

/// Creates an empty database `name` (lowercase letters, digits, `_`) through an admin
/// connection and returns its URL. For tests and tools; the runtime is the caller's.
pub fn create_database(admin_url: &str, name: &str) -> StorageResult<String> {
    check_name(name)?;
    let url = with_database(admin_url, name)?;
    on_own_runtime(async move {
        admin(admin_url, async |c| {
            c.batch_execute(&format!("CREATE DATABASE {name}")).await?;
            Ok(())
        })
        .await
    })?;
    Ok(url)
}

/// Drops database `name`, closing its connections first.
pub fn drop_database(admin_url: &str, name: &str) -> StorageResult<()> {
    check_name(name)?;
    on_own_runtime(async move {
        admin(admin_url, async |c| {
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await?;
            Ok(())
        })
        .await
    })
}

/// Runs a future on a fresh current-thread runtime in a thread of its own, so it works
/// from any caller (inside an async test, in `Drop`).
fn on_own_runtime<T: Send>(f: impl Future<Output = StorageResult<T>> + Send) -> StorageResult<T> {
    std::thread::scope(|s| {
        s.spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| StorageError::Database(format!("runtime: {e}")))?;
            rt.block_on(f)
        })
        .join()
        .unwrap_or_else(|_| Err(StorageError::Database("admin connection panicked".into())))
    })
}

/// Writes a `pg_dump` custom-format archive of the database to `path` (restore it with
/// `pg_restore -d URL FILE`). The database stays online; the dump is one snapshot.
pub(super) fn pg_dump(config: &tokio_postgres::Config, path: &Path) -> StorageResult<()> {
    let mut cmd = std::process::Command::new("pg_dump");
    cmd.arg("--format=custom")
        .arg("--no-owner")
        .arg("--file")
        .arg(path);
    if let Some(db) = config.get_dbname() {
        cmd.arg("--dbname").arg(db);
    }
    if let Some(user) = config.get_user() {
        cmd.arg("--username").arg(user);
    }
    if let Some(tokio_postgres::config::Host::Tcp(h)) = config.get_hosts().first() {
        cmd.arg("--host").arg(h);
    }
    if let Some(p) = config.get_ports().first() {
        cmd.arg("--port").arg(p.to_string());
    }
    if let Some(pw) = config.get_password() {
        cmd.env("PGPASSWORD", String::from_utf8_lossy(pw).into_owned());
    }
    let out = cmd.output().map_err(|e| {
        StorageError::Database(format!(
            "running pg_dump ({e}): install the PostgreSQL client tools (Debian: postgresql-client), \
             or back up with `pg_dump --format=custom --file FILE URL` yourself"
        ))
    })?;
    if !out.status.success() {
        return Err(StorageError::Database(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}
