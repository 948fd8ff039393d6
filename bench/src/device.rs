//! A benchmark device: a store file and a sync engine signed in over HTTP, on the
//! benchmark clock, with the user actions the scenarios need.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use gridwalk_core::Timestamp;
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{DocKind, WriteCtx, edit};
use gridwalk_datagen::model::User;
use gridwalk_server::demo::DEMO_PASSWORD;
use gridwalk_store::{Action, Store, StoreOptions};
use gridwalk_sync::{Session, SyncEngine, SyncOptions, SyncReport};

use crate::server::{BenchServer, bench_now};

/// The store clock of a device on the benchmark clock.
pub fn store_clock(offset: i64) -> gridwalk_store::Clock {
    Arc::new(move || Timestamp(bench_now(offset)))
}

/// Engine options on the benchmark clock.
pub fn engine_options(offset: i64) -> SyncOptions {
    SyncOptions {
        clock: store_clock(offset),
        ..SyncOptions::default()
    }
}

/// Signs a dataset user in on a new device; returns the session.
pub async fn login(server: &BenchServer, user: &User) -> Result<Session> {
    let username = server
        .usernames
        .get(&user.id)
        .context("the user has a username")?;
    let mut engine = SyncEngine::new(engine_options(server.offset));
    engine
        .login(&server.url, username, DEMO_PASSWORD, "基准测试手机")
        .await
        .with_context(|| format!("{username} signs in"))?;
    engine.session().cloned().context("signed in")
}

/// A device: its store and its engine.
pub struct Device {
    /// The store file.
    pub path: PathBuf,
    /// The store.
    pub store: Store,
    /// The engine, signed in.
    pub engine: SyncEngine,
    /// The session.
    pub session: Session,
    offset: i64,
}

impl Device {
    /// Opens (or creates) the store at `path` for a signed-in session.
    pub fn open(path: &Path, session: Session, offset: i64) -> Result<Device> {
        let store = Store::open_with(
            path,
            StoreOptions {
                clock: store_clock(offset),
                ..StoreOptions::default()
            },
        )?;
        Ok(Device {
            path: path.to_path_buf(),
            store,
            engine: SyncEngine::with_session(session.clone(), engine_options(offset)),
            session,
            offset,
        })
    }

    /// Syncs until there is nothing more.
    pub async fn sync(&mut self) -> Result<SyncReport> {
        let report = self.engine.sync_once(&mut self.store, |_| {}).await?;
        Ok(report)
    }

    /// Records a routine visit to a household, as the visit form does; returns its id.
    pub fn visit(&mut self, household: &str, note: &str) -> Result<String> {
        let now = bench_now(self.offset);
        let hlc = self.store.tick_hlc(&self.session.device_id, now)?;
        let ctx = WriteCtx {
            user: self.session.user_id.clone(),
            role: self.session.role,
            device: self.session.device_id.clone(),
            hlc,
            at: Timestamp(now),
        };
        let id = uuid::Uuid::now_v7().to_string();
        let mut form = NewVisit::routine(id.clone(), now);
        form.note = note.to_string();
        let visit = form.into_record(&ctx)?;
        self.store.transact(
            DocKind::Household,
            household,
            Action::new("household.add_visit").record(&id),
            |doc| edit::add_visit(doc, &ctx, &visit),
        )?;
        Ok(id)
    }
}
