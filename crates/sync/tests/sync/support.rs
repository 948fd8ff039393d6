//! A real server on port 0 over a temporary SQLite file with the small demo county, and
//! phones: a real device store file and a sync engine each, signed in over HTTP.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use gridwalk_core::doc::household::HouseholdDoc;
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{DocKind, WriteCtx, edit};
use gridwalk_core::reference::Role;
use gridwalk_core::{Hlc, Timestamp};
use gridwalk_datagen::{Config, Dataset, Preset};
use gridwalk_server::demo::{DEMO_PASSWORD, usernames};
use gridwalk_server::state::{AppState, Limits};
use gridwalk_server::storage::sqlite::SqliteStorage;
use gridwalk_server::storage::{Storage, UserRow};
use gridwalk_store::materialize::Hydrated;
use gridwalk_store::{Action, Store, StoreOptions};
use gridwalk_sync::{RetryPolicy, SyncEngine, SyncOptions, SyncReport};
use std::collections::HashMap;
use tokio::sync::oneshot;

/// 2026-11-27 18:00 Shanghai, the datagen base time.
pub const T0: i64 = 1_795_773_600_000;

/// The password of the users the tests add.
pub const PASSWORD: &str = "测试-password-1";

/// The small demo county: six grids, few records.
pub fn small_config() -> Config {
    let mut cfg = Config::preset(Preset::Demo);
    cfg.households = 90;
    cfg.visits = 150;
    cfg.contacts = 30;
    cfg.incidents = 12;
    cfg
}

/// A server listening on 127.0.0.1:0, stopped when dropped.
pub struct TestServer {
    pub _dir: tempfile::TempDir,
    pub storage: Arc<SqliteStorage>,
    pub state: AppState,
    pub clock: Arc<AtomicI64>,
    pub ds: Dataset,
    pub usernames: HashMap<String, String>,
    pub url: String,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl TestServer {
    /// Default limits, except the request rate: the test clock stands still, so a rate
    /// bucket would never refill.
    pub async fn start() -> TestServer {
        TestServer::with_limits(Limits {
            requests_per_second: 1e6,
            ..Limits::default()
        })
        .await
    }

    pub async fn with_limits(limits: Limits) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let storage = Arc::new(SqliteStorage::open(dir.path().join("server.db")).unwrap());
        let clock = Arc::new(AtomicI64::new(T0));
        let c = clock.clone();
        let state = AppState::new(
            storage.clone(),
            limits,
            Arc::new(move || c.load(Ordering::SeqCst)),
        )
        .unwrap();
        let ds = gridwalk_datagen::generate(&small_config()).unwrap();
        gridwalk_server::demo::load(storage.as_ref(), &ds, T0).unwrap();
        let usernames = usernames(&ds);
        // Bound before serving: connections queue in the listener, so the server is ready
        // the moment this returns. No sleep.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            gridwalk_server::serve(listener, serving, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        TestServer {
            _dir: dir,
            storage,
            state,
            clock,
            ds,
            usernames,
            url,
            stop: Some(stop),
        }
    }

    pub fn now(&self) -> i64 {
        self.clock.load(Ordering::SeqCst)
    }

    pub fn advance(&self, ms: i64) {
        self.clock.fetch_add(ms, Ordering::SeqCst);
    }

    /// The first dataset user of a role matching a filter.
    pub fn user_where(
        &self,
        role: Role,
        f: impl Fn(&gridwalk_datagen::model::User) -> bool,
    ) -> gridwalk_datagen::model::User {
        self.ds
            .users
            .iter()
            .find(|u| u.role == role && f(u))
            .expect("a user of that role")
            .clone()
    }

    /// Adds a user serving `area` and returns its username.
    pub fn add_user(&self, role: Role, area: &str, name: &str) -> (String, String) {
        let id = uuid::Uuid::now_v7().to_string();
        let username = format!("test-{}", &id[id.len() - 8..]);
        let row = UserRow {
            id: id.clone(),
            username: username.clone(),
            name: name.into(),
            role,
            area_id: Some(area.into()),
            unit_id: None,
            password_hash: gridwalk_server::auth::hash_password(PASSWORD).unwrap(),
            active: true,
        };
        self.storage.create_user(&row, self.now()).unwrap();
        (id, username)
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
        let clock = self.clock.clone();
        let store_clock: gridwalk_store::Clock =
            Arc::new(move || Timestamp(clock.load(Ordering::SeqCst)));
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
