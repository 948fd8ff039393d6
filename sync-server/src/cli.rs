//! The admin CLI on the server binary.
//!
//! ```text
//! gridwalk-server [--db FILE] init
//! gridwalk-server [--db FILE] serve --listen 127.0.0.1:8080 [--console-dir ui/dist]
//! gridwalk-server [--db FILE] user add --username U --name 名字 --role grid_worker (--password P | --password-stdin) [--area AREA]
//! gridwalk-server [--db FILE] device list
//! gridwalk-server [--db FILE] device revoke DEVICE_ID
//! gridwalk-server [--db FILE] area import FILE            (format: sync-server/AREA_IMPORT.md)
//! gridwalk-server [--db FILE] demo [--preset demo]
//! gridwalk-server [--db FILE] backup --out FILE
//! gridwalk-server [--db FILE] household move --household H --grid G [--micro-grid M]
//! gridwalk-server [--db FILE] user reassign --user U --area A
//! gridwalk-server [--db FILE] link end --assignment A [--day YYYY-MM-DD]
//! ```
//!
//! `--db` defaults to `$GRIDWALK_DB`, then `gridwalk-server.db`. With
//! `--database postgres://user@host:port/db` (or `$GRIDWALK_DATABASE`) every command uses
//! that PostgreSQL database instead (`--pg-pool-size`, default 16, connections per
//! process); several `serve` processes may share it. `backup` then runs `pg_dump`.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use gridwalk_core::Timestamp;
use gridwalk_core::reference::Role;

use crate::state::{AppState, Limits, system_clock};
use crate::storage::postgres::{DEFAULT_POOL_SIZE, PgOptions, PgStorage};
use crate::storage::sqlite::SqliteStorage;
use crate::storage::{ReferenceImport, Storage, UserRow};

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "gridwalk-server",
    about = "Gridwalk sync server and admin tool"
)]
pub struct Cli {
    /// The SQLite database file.
    #[arg(
        long,
        global = true,
        env = "GRIDWALK_DB",
        default_value = "gridwalk-server.db"
    )]
    pub db: PathBuf,
    /// A PostgreSQL database URL (`postgres://user[:password]@host[:port]/db`); when set,
    /// it is used instead of the SQLite file.
    #[arg(long, global = true, env = "GRIDWALK_DATABASE")]
    pub database: Option<String>,
    /// Pooled PostgreSQL connections per process.
    #[arg(long, global = true, env = "GRIDWALK_PG_POOL_SIZE", default_value_t = DEFAULT_POOL_SIZE)]
    pub pg_pool_size: usize,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create (or migrate) the database.
    Init,
    /// Serve HTTP until SIGTERM or ctrl-c.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// The built UI directory holding `console.html` and `assets/` (served at `/console/`).
        #[arg(long, default_value = crate::console::ui::DEFAULT_DIR)]
        console_dir: std::path::PathBuf,
    },
    /// Users.
    #[command(subcommand)]
    User(UserCmd),
    /// Devices.
    #[command(subcommand)]
    Device(DeviceCmd),
    /// Reference data.
    #[command(subcommand)]
    Area(AreaCmd),
    /// Households.
    #[command(subcommand)]
    Household(HouseholdCmd),
    /// Party members' links.
    #[command(subcommand)]
    Link(LinkCmd),
    /// Load the datagen demo county and print one login per role.
    Demo {
        /// small, standard, large or demo.
        #[arg(long, default_value = "demo")]
        preset: String,
    },
    /// Copy the database while it stays online (PostgreSQL: a `pg_dump` custom-format
    /// archive, restored with `pg_restore`).
    Backup {
        /// The copy.
        #[arg(long)]
        out: PathBuf,
    },
}

/// `user …`
#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user.
    Add(UserAdd),
    /// Move a user to another area (their devices get revokes for grids they leave).
    Reassign {
        /// User id.
        #[arg(long)]
        user: String,
        /// The new area id.
        #[arg(long)]
        area: String,
    },
}

/// `user add` flags.
#[derive(Debug, Args)]
pub struct UserAdd {
    /// Login name.
    #[arg(long)]
    pub username: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// Role code: grid_worker, part_time_worker, party_member, grid_head,
    /// township_supervisor, dispatcher, handling_unit, admin.
    #[arg(long)]
    pub role: String,
    /// Password (prefer --password-stdin: arguments show in the process list).
    #[arg(long, conflicts_with = "password_stdin")]
    pub password: Option<String>,
    /// Read the password from standard input.
    #[arg(long)]
    pub password_stdin: bool,
    /// The area the user serves.
    #[arg(long)]
    pub area: Option<String>,
}

/// `device …`
#[derive(Debug, Subcommand)]
pub enum DeviceCmd {
    /// List devices.
    List,
    /// Revoke a device: its next request is told to lock and wipe.
    Revoke {
        /// Device id.
        id: String,
    },
}

/// `area …`
#[derive(Debug, Subcommand)]
pub enum AreaCmd {
    /// Import reference data from a JSON file (see AREA_IMPORT.md).
    Import {
        /// The file.
        file: PathBuf,
    },
}

/// `household …`
#[derive(Debug, Subcommand)]
pub enum HouseholdCmd {
    /// Move a household to another grid.
    Move {
        /// Household id.
        #[arg(long)]
        household: String,
        /// The new grid.
        #[arg(long)]
        grid: String,
        /// The new micro-grid.
        #[arg(long)]
        micro_grid: Option<String>,
    },
}

/// `link …`
#[derive(Debug, Subcommand)]
pub enum LinkCmd {
    /// End a party member's household link.
    End {
        /// Assignment id.
        #[arg(long)]
        assignment: String,
        /// Last valid day (default: today, Shanghai).
        #[arg(long)]
        day: Option<chrono::NaiveDate>,
    },
}

/// The storage the flags name, with its description and schema version.
struct Opened {
    storage: Arc<dyn Storage>,
    name: String,
    version: i64,
}

/// Where the data is: the database flags of the command line.
struct Target {
    db: PathBuf,
    database: Option<String>,
    pg_pool_size: usize,
}

impl Target {
    fn open_storage(&self) -> Result<Opened> {
        match &self.database {
            Some(url) => {
                let opts = PgOptions {
                    pool_size: self.pg_pool_size,
                };
                let st = PgStorage::open(url, &opts)
                    .with_context(|| format!("opening PostgreSQL database {}", redact(url)))?;
                Ok(Opened {
                    version: st.schema_version()?,
                    name: format!("PostgreSQL {}", redact(url)),
                    storage: Arc::new(st),
                })
            }
            None => {
                let st = SqliteStorage::open(&self.db)
                    .with_context(|| format!("opening {}", self.db.display()))?;
                Ok(Opened {
                    version: st.schema_version()?,
                    name: self.db.display().to_string(),
                    storage: Arc::new(st),
                })
            }
        }
    }

    fn open(&self) -> Result<Arc<dyn Storage>> {
        Ok(self.open_storage()?.storage)
    }

    fn state(&self) -> Result<AppState> {
        AppState::new(self.open()?, Limits::default(), system_clock())
    }
}

/// A database URL with its password hidden, for messages.
fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &url[..scheme_end],
                &rest[..colon],
                &rest[at..]
            ),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// Runs a command.
pub async fn run(cli: Cli) -> Result<()> {
    let now = (system_clock())();
    let target = Target {
        db: cli.db.clone(),
        database: cli.database.clone(),
        pg_pool_size: cli.pg_pool_size,
    };
    match cli.command {
        Command::Init => {
            let st = target.open_storage()?;
            println!("database {} ready (schema {})", st.name, st.version);
        }
        Command::Serve {
            listen,
            console_dir,
        } => {
            let state = target.state()?;
            state.console.set_ui_dir(console_dir);
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("binding {listen}"))?;
            println!(
                "gridwalk-server listening on http://{}",
                listener.local_addr()?
            );
            crate::serve(listener, state, shutdown_signal()).await?;
            println!("gridwalk-server stopped");
        }
        Command::User(UserCmd::Add(a)) => {
            let role =
                Role::from_code(&a.role).with_context(|| format!("unknown role {}", a.role))?;
            let password = match (a.password, a.password_stdin) {
                (Some(p), _) => p,
                (None, true) => {
                    let mut s = String::new();
                    std::io::stdin().read_to_string(&mut s)?;
                    s.trim_end_matches(['\n', '\r']).to_string()
                }
                (None, false) => bail!("give --password or --password-stdin"),
            };
            if password.chars().count() < 8 {
                bail!("the password must have at least 8 characters");
            }
            let user = UserRow {
                id: uuid::Uuid::now_v7().to_string(),
                username: a.username,
                name: a.name,
                role,
                area_id: a.area,
                unit_id: None,
                password_hash: crate::auth::hash_password(&password)?,
                active: true,
            };
            target.open()?.create_user(&user, now)?;
            println!(
                "user {} ({}) added: {}",
                user.username,
                role.label_zh(),
                user.id
            );
        }
        Command::User(UserCmd::Reassign { user, area }) => {
            crate::scope_change::reassign_user(&target.state()?, &user, &area, None)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("user {user} now serves {area}");
        }
        Command::Device(DeviceCmd::List) => {
            for d in target.open()?.devices()? {
                let status = match d.revoked_at {
                    Some(_) => "revoked",
                    None => "active",
                };
                println!("{}\t{}\t{}\t{status}", d.id, d.user_id, d.name);
            }
        }
        Command::Device(DeviceCmd::Revoke { id }) => {
            if !target.open()?.revoke_device(&id, now)? {
                bail!("no device {id}");
            }
            println!("device {id} revoked: its next sync locks and wipes it");
        }
        Command::Area(AreaCmd::Import { file }) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let data: ReferenceImport = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a reference import file", file.display()))?;
            let mut areas = target.open()?.reference_data()?.areas;
            areas.retain(|a| !data.areas.iter().any(|b| b.id == a.id));
            areas.extend(data.areas.iter().cloned());
            gridwalk_core::reference::area::validate_tree(&areas)?;
            let v = target.open()?.import_reference(&data)?;
            println!(
                "imported {} areas; reference data version {v}",
                data.areas.len()
            );
        }
        Command::Household(HouseholdCmd::Move {
            household,
            grid,
            micro_grid,
        }) => {
            crate::scope_change::move_household(
                &target.state()?,
                &household,
                &grid,
                micro_grid.as_deref(),
                None,
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("household {household} moved to {grid}");
        }
        Command::Link(LinkCmd::End { assignment, day }) => {
            let day = day.unwrap_or_else(|| Timestamp(now).shanghai_date());
            crate::scope_change::end_link(&target.state()?, &assignment, day, None)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("link {assignment} ends on {day}");
        }
        Command::Demo { preset } => {
            let p = gridwalk_datagen::Preset::from_name(&preset)
                .with_context(|| format!("unknown preset {preset}"))?;
            let opened = target.open_storage()?;
            let st = opened.storage;
            if !st.users()?.is_empty() {
                bail!(
                    "{} already has users: demo loads into a fresh database",
                    opened.name
                );
            }
            let cfg = gridwalk_datagen::Config::preset(p);
            let (ds, logins) = crate::demo::load_config(st.as_ref(), &cfg, now)?;
            println!(
                "演示数据已载入 / demo county loaded: {} 户 households, {} 次走访 visits, {} 起事件 incidents",
                ds.households.len(),
                ds.visits.len(),
                ds.incidents.len()
            );
            println!(
                "演示账号（密码均为 {} ）/ demo logins (password {}):",
                crate::demo::DEMO_PASSWORD,
                crate::demo::DEMO_PASSWORD
            );
            for l in logins {
                println!(
                    "  {} {:<20} {:<22} {} · {}",
                    l.role.label_zh(),
                    l.role.code(),
                    l.username,
                    l.name,
                    l.area
                );
            }
        }
        Command::Backup { out } => {
            if out.exists() {
                bail!("{} exists: choose a new file", out.display());
            }
            target.open()?.backup(&out)?;
            println!("backup written to {}", out.display());
        }
    }
    Ok(())
}

/// Completes on ctrl-c or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
