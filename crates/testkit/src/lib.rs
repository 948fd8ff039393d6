//! Test support only, used only as a dev-dependency of the integration tests of the
//! server, the sync engine and the field app: a real gridwalk-server over a temporary
//! SQLite file with the small demo county, on a clock the test moves, optionally
//! listening on 127.0.0.1:0.
//!
//! The storage backend comes from the environment ([`Backend::from_env`]): SQLite unless
//! `GW_TEST_BACKEND=postgres`, in which case each fixture gets a fresh database
//! ([`PgTestDb`]) on the cluster named by `GW_TEST_PG_URL` (an admin URL such as
//! `postgres://postgres@127.0.0.1:PORT/postgres`; `scripts/pg-test.sh start` prints one).
//! A test that needs PostgreSQL fails with a clear message when that is missing.
//!
//! [`Fixture`] is the server's side without a listener (for tests that drive the router
//! directly); [`TestServer`] serves a fixture over HTTP and dereferences to it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use gridwalk_core::Timestamp;
use gridwalk_core::reference::Role;
use gridwalk_datagen::model::User;
use gridwalk_datagen::{Config, Dataset, Preset};
use gridwalk_server::state::{AppState, Limits};
use gridwalk_server::storage::postgres::{PgOptions, PgStorage};
use gridwalk_server::storage::sqlite::SqliteStorage;
use gridwalk_server::storage::{Storage, UserRow};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// 2026-11-27 18:00 Shanghai, the datagen base time.
pub const T0: i64 = 1_795_773_600_000;

/// The password of the users [`Fixture::add_user`] adds.
pub const PASSWORD: &str = "测试-password-1";

/// The county used by the tests: the demo shape (two communities and four villages, six
/// grids), with few records so each test loads it in a moment.
pub fn small_config() -> Config {
    let mut cfg = Config::preset(Preset::Demo);
    cfg.households = 90;
    cfg.visits = 150;
    cfg.contacts = 30;
    cfg.incidents = 12;
    cfg
}

/// Default limits, except the request rate: the test clock stands still, so a rate
/// bucket would never refill.
pub fn test_limits() -> Limits {
    Limits {
        requests_per_second: 1e6,
        ..Limits::default()
    }
}

/// The storage a fixture runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a temporary directory (the default).
    Sqlite,
    /// A fresh database on the PostgreSQL cluster of `GW_TEST_PG_URL`.
    Postgres,
}

impl Backend {
    /// `GW_TEST_BACKEND`: `sqlite` (or unset) or `postgres`. Panics on anything else, so
    /// a typo never silently tests the wrong backend.
    pub fn from_env() -> Backend {
        match std::env::var("GW_TEST_BACKEND").as_deref() {
            Err(_) | Ok("") | Ok("sqlite") => Backend::Sqlite,
            Ok("postgres") => Backend::Postgres,
            Ok(other) => panic!("GW_TEST_BACKEND={other}: expected sqlite or postgres"),
        }
    }
}

/// The admin URL of the PostgreSQL test cluster. Panics with how to get one when
/// `GW_TEST_PG_URL` is not set: a PostgreSQL test fails, it never skips.
pub fn pg_admin_url() -> String {
    match std::env::var("GW_TEST_PG_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => panic!(
            "this test needs PostgreSQL: set GW_TEST_PG_URL to an admin URL, e.g. \
             `eval \"$(bash scripts/pg-test.sh start | tail -n1)\"; export GW_TEST_PG_URL` \
             (then `bash scripts/pg-test.sh stop`)"
        ),
    }
}

/// A fresh database `gw_test_<random>` on the test cluster, dropped (best effort, with
/// its connections closed) when this is dropped.
pub struct PgTestDb {
    admin: String,
    name: String,
    /// Its connection URL.
    pub url: String,
}

impl PgTestDb {
    /// Creates the database; panics with the reason when the cluster is not there.
    pub fn create() -> PgTestDb {
        let admin = pg_admin_url();
        let name = format!("gw_test_{}", uuid::Uuid::now_v7().simple());
        let url = gridwalk_server::storage::postgres::create_database(&admin, &name)
            .unwrap_or_else(|e| panic!("creating a test database on GW_TEST_PG_URL: {e}"));
        PgTestDb { admin, name, url }
    }

    /// Opens the database as the server would (creating the schema).
    pub fn open(&self) -> PgStorage {
        PgStorage::open(&self.url, &PgOptions::default())
            .unwrap_or_else(|e| panic!("opening the test database {}: {e}", self.name))
    }
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        let _ = gridwalk_server::storage::postgres::drop_database(&self.admin, &self.name);
    }
}

/// A server's storage (a SQLite file in a temporary directory, or a fresh PostgreSQL
/// database, see [`Backend`]) and app state, with the small county loaded and a clock the
/// test moves. Nothing listens.
pub struct Fixture {
    _dir: tempfile::TempDir,
    /// Which backend [`Fixture::storage`] is.
    pub backend: Backend,
    /// The server's storage.
    pub storage: Arc<dyn Storage>,
    /// The app state, clocked by [`Fixture::clock`].
    pub state: AppState,
    /// The server's clock in Unix milliseconds; starts at [`T0`].
    pub clock: Arc<AtomicI64>,
    /// The dataset loaded into the storage.
    pub ds: Dataset,
    /// Usernames of the dataset users, by user id.
    pub usernames: HashMap<String, String>,
    /// Dropped last: the PostgreSQL database, if any.
    _pg: Option<PgTestDb>,
}

impl Fixture {
    /// Generates the small county, lets `edit` change it, and loads it into a new
    /// storage (of [`Backend::from_env`]) served with `limits`.
    pub fn load(limits: Limits, edit: impl FnOnce(&mut Dataset)) -> Fixture {
        Fixture::load_on(Backend::from_env(), limits, edit)
    }

    /// As [`Fixture::load`], on a given backend.
    pub fn load_on(backend: Backend, limits: Limits, edit: impl FnOnce(&mut Dataset)) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let (storage, pg): (Arc<dyn Storage>, _) = match backend {
            Backend::Sqlite => (
                Arc::new(SqliteStorage::open(dir.path().join("server.db")).unwrap()),
                None,
            ),
            Backend::Postgres => {
                let db = PgTestDb::create();
                (Arc::new(db.open()), Some(db))
            }
        };
        let clock = Arc::new(AtomicI64::new(T0));
        let c = clock.clone();
        let state = AppState::new(
            storage.clone(),
            limits,
            Arc::new(move || c.load(Ordering::SeqCst)),
        )
        .unwrap();
        let mut ds = gridwalk_datagen::generate(&small_config()).unwrap();
        edit(&mut ds);
        gridwalk_server::demo::load(storage.as_ref(), &ds, T0).unwrap();
        let usernames = gridwalk_server::demo::usernames(&ds);
        Fixture {
            _dir: dir,
            backend,
            storage,
            state,
            clock,
            ds,
            usernames,
            _pg: pg,
        }
    }

    /// The URL of the fixture's PostgreSQL database (`None` on SQLite).
    pub fn pg_url(&self) -> Option<&str> {
        self._pg.as_ref().map(|d| d.url.as_str())
    }

    /// The test clock's time.
    pub fn now(&self) -> i64 {
        self.clock.load(Ordering::SeqCst)
    }

    /// Moves the test clock on.
    pub fn advance(&self, ms: i64) {
        self.clock.fetch_add(ms, Ordering::SeqCst);
    }

    /// The test clock as a timestamp source, for device stores and sync engines.
    pub fn timestamps(&self) -> Arc<dyn Fn() -> Timestamp + Send + Sync> {
        let clock = self.clock.clone();
        Arc::new(move || Timestamp(clock.load(Ordering::SeqCst)))
    }

    /// The first dataset user of a role (in dataset order) matching a filter.
    pub fn user_where(&self, role: Role, f: impl Fn(&User) -> bool) -> User {
        self.ds
            .users
            .iter()
            .find(|u| u.role == role && f(u))
            .expect("a user of that role")
            .clone()
    }

    /// The username of a dataset user.
    pub fn username(&self, user_id: &str) -> String {
        self.usernames[user_id].clone()
    }

    /// Adds a user serving `area` with [`PASSWORD`]; returns its id and username.
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
}

/// A [`Fixture`] served on 127.0.0.1, which a test can stop and start again on the same
/// address (to be "offline"); stopped when dropped.
pub struct TestServer {
    /// The storage, state, clock and dataset being served.
    pub fixture: Fixture,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    addr: SocketAddr,
    stop: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
}

impl Deref for TestServer {
    type Target = Fixture;

    fn deref(&self) -> &Fixture {
        &self.fixture
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some((stop, _)) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl TestServer {
    /// Serves the small county with [`test_limits`].
    pub async fn start() -> TestServer {
        TestServer::serve(Fixture::load(test_limits(), |_| {})).await
    }

    /// Serves the small county with `limits`.
    pub async fn with_limits(limits: Limits) -> TestServer {
        TestServer::serve(Fixture::load(limits, |_| {})).await
    }

    /// As [`TestServer::start`], with the generated dataset edited before the server
    /// loads it.
    pub async fn start_with(edit: impl FnOnce(&mut Dataset)) -> TestServer {
        TestServer::serve(Fixture::load(test_limits(), edit)).await
    }

    /// Serves a fixture on a free port of 127.0.0.1.
    pub async fn serve(fixture: Fixture) -> TestServer {
        // Bound before serving: connections queue in the listener, so the server is ready
        // the moment this returns. No sleep.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut server = TestServer {
            fixture,
            url: format!("http://{addr}"),
            addr,
            stop: None,
        };
        server.spawn(listener);
        server
    }

    fn spawn(&mut self, listener: TcpListener) {
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = self.fixture.state.clone();
        let task = tokio::spawn(async move {
            gridwalk_server::serve(listener, serving, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        self.stop = Some((stop, task));
    }

    /// Stops serving: the address refuses connections until [`TestServer::restart`].
    pub async fn stop(&mut self) {
        if let Some((stop, task)) = self.stop.take() {
            let _ = stop.send(());
            let _ = task.await;
        }
    }

    /// Serves again on the same address, over the same storage.
    pub async fn restart(&mut self) {
        let listener = TcpListener::bind(self.addr).await.unwrap();
        self.spawn(listener);
    }
}
