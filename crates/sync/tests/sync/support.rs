//! A real server on port 0 over a temporary SQLite file with the small demo county, and
//! phones: a real device store file and a sync engine each, signed in over HTTP.

use std::ops::Deref;

use gridwalk_core::doc::household::HouseholdDoc;
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{DocKind, WriteCtx, edit};
use gridwalk_core::reference::Role;
use gridwalk_core::{Hlc, Timestamp};
use gridwalk_server::demo::DEMO_PASSWORD;
use gridwalk_server::state::Limits;
use gridwalk_store::materialize::Hydrated;
use gridwalk_store::{Action, Store, StoreOptions};
use gridwalk_sync::{RetryPolicy, SyncEngine, SyncOptions, SyncReport};

pub use gridwalk_testkit::{PASSWORD, T0, small_config};

/// A server listening on 127.0.0.1:0 (see [`gridwalk_testkit::TestServer`]), stopped when
/// dropped, that signs phones in.
pub struct TestServer(gridwalk_testkit::TestServer);

impl Deref for TestServer {
    type Target = gridwalk_testkit::TestServer;

    fn deref(&self) -> &gridwalk_testkit::TestServer {
        &self.0
    }
}

impl TestServer {
    /// Default limits, except the request rate: the test clock stands still, so a rate
    /// bucket would never refill.
    pub async fn start() -> TestServer {
        TestServer(gridwalk_testkit::TestServer::start().await)
    }

    pub async fn with_limits(limits: Limits) -> TestServer {
        TestServer(gridwalk_testkit::TestServer::with_limits(limits).await)
    }

    /// Signs a dataset user in on a new phone.
    pub async fn phone(&self, user_id: &str) -> Phone {
        let username = self.usernames[user_id].clone();
        self.phone_as(user_id, &username, DEMO_PASSWORD).await
    }

    /// Signs in on a new phone with a username and password.
    pub async fn phone_as(&self, user_id: &str, username: &str, password: &str) -> Phone {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("device.db");
        let store_clock: gridwalk_store::Clock = self.timestamps();
        let store = Store::open_with(
            &path,
            StoreOptions {
                clock: store_clock.clone(),
                ..StoreOptions::default()
            },
        )
        .unwrap();
        let mut engine = SyncEngine::new(options(store_clock));
        let info = engine
            .login(&self.url, username, password, "测试手机")
            .await
            .expect("the user signs in");
        Phone {
            _dir: dir,
            path,
            store,
            engine,
            user_id: user_id.into(),
            device_id: info.device_id,
            role: info.role,
        }
    }
}

/// Engine options for tests: fast retries, the server's clock.
pub fn options(clock: gridwalk_store::Clock) -> SyncOptions {
    let mut opts = SyncOptions {
        clock,
        ..SyncOptions::default()
    };
    opts.client.retry = RetryPolicy::fast();
    opts
}

/// A phone: its store file and its engine.
pub struct Phone {
    pub _dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
    pub store: Store,
    pub engine: SyncEngine,
    pub user_id: String,
    pub device_id: String,
    pub role: Role,
}

impl Phone {
    /// Syncs until there is nothing more; panics on failure.
    pub async fn sync(&mut self) -> SyncReport {
        self.engine
            .sync_once(&mut self.store, |_| {})
            .await
            .unwrap_or_else(|e| panic!("{} syncs: {e}", self.user_id))
    }

    /// A write context at `now`, clocked by the store's persisted HLC.
    pub fn ctx(&mut self, now: i64) -> WriteCtx {
        let hlc: Hlc = self.store.tick_hlc(&self.device_id, now).unwrap();
        WriteCtx {
            user: self.user_id.clone(),
            role: self.role,
            device: self.device_id.clone(),
            hlc,
            at: Timestamp(now),
        }
    }

    /// Records a routine visit through the store; returns the visit id.
    pub fn visit(&mut self, household: &str, now: i64) -> String {
        let ctx = self.ctx(now);
        let vid = uuid::Uuid::now_v7().to_string();
        let v = NewVisit::routine(vid.clone(), now)
            .into_record(&ctx)
            .unwrap();
        self.store
            .transact(
                DocKind::Household,
                household,
                Action::new("household.add_visit").record(&vid),
                |doc| edit::add_visit(doc, &ctx, &v),
            )
            .expect("the visit is stored");
        vid
    }

    /// Applies one field edit through the store.
    pub fn edit(&mut self, household: &str, e: edit::Edit, now: i64) {
        let ctx = self.ctx(now);
        self.store
            .transact(
                DocKind::Household,
                household,
                Action::new("household.edit"),
                |doc| edit::apply_edit(doc, &ctx, e),
            )
            .expect("the edit is stored");
    }

    pub fn household(&mut self, id: &str) -> HouseholdDoc {
        match self.store.hydrated(id).unwrap() {
            Hydrated::Household(h) => *h,
            other => panic!("{id} is not a household: {other:?}"),
        }
    }

    /// Every document id the phone holds of a kind.
    pub fn doc_ids(&self, kind: DocKind) -> Vec<String> {
        self.store.document_ids(kind).unwrap()
    }
}
