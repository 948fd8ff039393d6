//! A real gridwalk-server on 127.0.0.1 over a temporary SQLite file with the small demo
//! county, and field apps: each a real profile directory (store file, session, settings)
//! signed in over HTTP. The server and the apps share one clock the test moves.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use gridwalk_core::Timestamp;
use gridwalk_core::reference::Role;
use gridwalk_datagen::{Config, Dataset, Preset};
use gridwalk_field::dto::*;
use gridwalk_field::{FieldApp, FieldOptions};
use gridwalk_server::demo::{DEMO_PASSWORD, usernames};
use gridwalk_server::state::{AppState, Limits};
use gridwalk_server::storage::Storage;
use gridwalk_server::storage::sqlite::SqliteStorage;
use gridwalk_sync::{RetryPolicy, SyncOptions};
use std::collections::HashMap;
use tokio::sync::oneshot;

/// 2026-11-27 18:00 Shanghai, the datagen base time.
pub const T0: i64 = 1_795_773_600_000;

/// A server listening on 127.0.0.1, which a test can stop and start again on the same
/// address (to be "offline"); stopped when dropped.
pub struct TestServer {
    pub _dir: tempfile::TempDir,
    pub storage: Arc<SqliteStorage>,
    pub state: AppState,
    pub clock: Arc<AtomicI64>,
    pub ds: Dataset,
    pub usernames: HashMap<String, String>,
    pub url: String,
    addr: SocketAddr,
    stop: Option<(oneshot::Sender<()>, tokio::task::JoinHandle<()>)>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some((stop, _)) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn small_config() -> Config {
    let mut cfg = Config::preset(Preset::Demo);
    cfg.households = 90;
    cfg.visits = 150;
    cfg.contacts = 30;
    cfg.incidents = 12;
    cfg
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    /// As [`TestServer::start`], with the generated dataset edited before the server
    /// loads it.
    pub async fn start_with(edit: impl FnOnce(&mut Dataset)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let storage = Arc::new(SqliteStorage::open(dir.path().join("server.db")).unwrap());
        let clock = Arc::new(AtomicI64::new(T0));
        let c = clock.clone();
        let limits = Limits {
            // The test clock stands still, so a rate bucket would never refill.
            requests_per_second: 1e6,
            ..Limits::default()
        };
        let state = AppState::new(
            storage.clone(),
            limits,
            Arc::new(move || c.load(Ordering::SeqCst)),
        )
        .unwrap();
        let mut ds = gridwalk_datagen::generate(&small_config()).unwrap();
        edit(&mut ds);
        gridwalk_server::demo::load(storage.as_ref(), &ds, T0).unwrap();
        let usernames = usernames(&ds);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut server = TestServer {
            _dir: dir,
            storage,
            state,
            clock,
            ds,
            usernames,
            url: format!("http://{addr}"),
            addr,
            stop: None,
        };
        server.serve(listener);
        server
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = self.state.clone();
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
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.serve(listener);
    }

    pub fn advance(&self, ms: i64) {
        self.clock.fetch_add(ms, Ordering::SeqCst);
    }

    /// The first dataset user of a role matching a filter.
    pub fn user(
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

    /// Field app options on the test clock with fast retries.
    pub fn options(&self) -> FieldOptions {
        let clock = self.clock.clone();
        let mut sync = SyncOptions {
            clock: Arc::new(move || Timestamp(clock.load(Ordering::SeqCst))),
            ..SyncOptions::default()
        };
        sync.client.retry = RetryPolicy::fast();
        FieldOptions {
            device_name: "测试手机".into(),
            sync,
        }
    }

    /// A new field app (its own profile directory), not signed in.
    pub fn app(&self) -> Phone {
        let dir = tempfile::tempdir().unwrap();
        let app = FieldApp::open(&dir.path().join("profile"), self.options()).unwrap();
        Phone { dir, app }
    }

    /// A new field app signed in as a dataset user, after its first sync.
    pub async fn phone(&self, user_id: &str) -> Phone {
        let mut p = self.app();
        let username = self.usernames[user_id].clone();
        p.app
            .login(&self.url, &username, DEMO_PASSWORD)
            .await
            .expect("a demo user signs in");
        p.sync().await;
        p
    }

    /// Audit rows of an action on the server.
    pub fn audit(&self, action: &str) -> Vec<gridwalk_server::storage::AuditRow> {
        self.storage.audit_rows(action).unwrap()
    }

    /// A document as the read API gives it to `token`'s device.
    pub async fn read_doc(&self, token: &str, doc_id: &str) -> (u16, serde_json::Value) {
        use tower::ServiceExt;
        let req = axum::http::Request::get(format!("/api/v1/docs/{doc_id}"))
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let resp = gridwalk_server::app(self.state.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
        )
    }
}

/// One field app and its profile directory.
pub struct Phone {
    pub dir: tempfile::TempDir,
    pub app: FieldApp,
}

impl Phone {
    pub fn profile(&self) -> std::path::PathBuf {
        self.dir.path().join("profile")
    }

    /// Syncs; panics on failure or when the server was not reached.
    pub async fn sync(&mut self) -> SyncStatus {
        let status = self.app.sync_now(|_| {}).await.expect("the sync succeeds");
        assert!(
            status.online,
            "the server was reached: {:?}",
            status.last_error
        );
        status
    }

    pub fn pending(&self) -> i64 {
        self.app.sync_status().unwrap().pending_actions
    }

    /// The device token, read from the session file (for the read API only).
    pub fn token(&self) -> String {
        let s: serde_json::Value =
            serde_json::from_slice(&std::fs::read(self.profile().join("session.json")).unwrap())
                .unwrap();
        s["token"].as_str().unwrap().to_string()
    }

    /// Every household on the device.
    pub fn households(&mut self) -> Vec<HouseholdListItem> {
        self.app
            .households(&HouseholdQuery::default())
            .unwrap()
            .items
    }

    /// A household with at least `n` members, and its card.
    pub fn household_with_members(&mut self, n: usize) -> HouseholdCard {
        let ids: Vec<String> = self.households().into_iter().map(|h| h.id).collect();
        ids.iter()
            .map(|id| self.app.household_card(id).unwrap())
            .find(|c| c.members.len() >= n && c.members.iter().any(|m| m.phone_masked.is_some()))
            .expect("a household with members and a phone")
    }

    pub fn rows(&self) -> Vec<String> {
        self.app.store().dump_rows().unwrap()
    }
}

/// A grid worker and the grid head of the worker's grid.
pub fn worker_and_head(server: &TestServer) -> (String, String) {
    let heads: Vec<_> = server
        .ds
        .users
        .iter()
        .filter(|u| u.role == gridwalk_core::reference::Role::GridHead)
        .collect();
    for w in server
        .ds
        .users
        .iter()
        .filter(|u| u.role == gridwalk_core::reference::Role::GridWorker)
    {
        let village = server
            .ds
            .areas
            .iter()
            .find(|a| a.id == w.area_id)
            .and_then(|a| a.parent_id.clone());
        if let Some(h) = heads.iter().find(|h| Some(&h.area_id) == village.as_ref()) {
            return (w.id.clone(), h.id.clone());
        }
    }
    panic!("no grid worker with a grid head in the dataset");
}

/// A visit form with nothing but the household, mode and kind filled in.
pub fn visit_form(household: &str) -> NewVisitInput {
    NewVisitInput {
        household_id: household.into(),
        mode: "in_person".into(),
        kind: "routine".into(),
        campaign: None,
        persons_met: Vec::new(),
        observations: Vec::new(),
        needs: Vec::new(),
        service: String::new(),
        follow_up: None,
        gps: None,
        note: String::new(),
    }
}
