//! The three setups and their fresh databases: a new SQLite file in a temporary
//! directory, or a new PostgreSQL database (created through the server's own
//! `create_database`, dropped again after a successful run) on the server that
//! `--database-url` or `GW_TEST_PG_URL` names.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use gridwalk_server::storage::Storage;
use gridwalk_server::storage::postgres::{self, PgOptions, PgStorage};
use gridwalk_server::storage::sqlite::SqliteStorage;

use crate::nodes::Database;

/// A setup of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Setup {
    /// One node on SQLite.
    Sqlite,
    /// One node on PostgreSQL.
    Pg1,
    /// Two nodes on one PostgreSQL database; devices alternate between them.
    Pg2,
}

impl Setup {
    /// The name used in the report.
    pub fn name(self) -> &'static str {
        match self {
            Setup::Sqlite => "sqlite",
            Setup::Pg1 => "pg1",
            Setup::Pg2 => "pg2",
        }
    }

    /// Server processes.
    pub fn nodes(self) -> usize {
        match self {
            Setup::Pg2 => 2,
            _ => 1,
        }
    }
}

/// A setup's fresh database.
pub struct Fresh {
    /// How the nodes reach it.
    pub database: Database,
    /// For PostgreSQL: the server URL and the database name, to drop it afterwards.
    pg: Option<(String, String)>,
}

impl Fresh {
    /// Creates the database of `setup`.
    pub fn create(setup: Setup, dir: &Path, pg_url: Option<&str>) -> Result<Fresh> {
        match setup {
            Setup::Sqlite => Ok(Fresh {
                database: Database::Sqlite(dir.join(format!("{}.db", setup.name()))),
                pg: None,
            }),
            Setup::Pg1 | Setup::Pg2 => {
                let admin = pg_url.context(
                    "the PostgreSQL setups need --database-url or GW_TEST_PG_URL (scripts/pg-test.sh start prints one)",
                )?;
                let name = format!(
                    "gw_load_{}_{}_{}",
                    setup.name(),
                    std::process::id(),
                    uuid::Uuid::now_v7()
                        .simple()
                        .to_string()
                        .get(24..)
                        .unwrap_or("0")
                );
                let url = postgres::create_database(admin, &name)
                    .with_context(|| format!("creating database {name}"))?;
                Ok(Fresh {
                    database: Database::Postgres(url),
                    pg: Some((admin.to_string(), name)),
                })
            }
        }
    }

    /// Opens the database through the storage API (for loading and checking).
    pub fn open(&self) -> Result<Arc<dyn Storage>> {
        Ok(match &self.database {
            Database::Sqlite(p) => Arc::new(SqliteStorage::open(p)?),
            Database::Postgres(url) => Arc::new(PgStorage::open(url, &PgOptions::default())?),
        })
    }

    /// Drops a PostgreSQL database (a SQLite file goes with its directory).
    pub fn drop_database(&self) -> Result<()> {
        if let Some((admin, name)) = &self.pg {
            postgres::drop_database(admin, name)?;
        }
        Ok(())
    }
}
