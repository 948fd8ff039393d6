//! The world the convergence schedules run in: one server over one SQLite file that can
//! be restarted in place, a loopback proxy in front of it that can lose the answer to a
//! push the server already applied (optionally restarting the server first), and one
//! signed-in session per test user, which each schedule's fresh phones reuse.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gridwalk_core::Timestamp;
use gridwalk_core::protocol::{self, SyncRequest, SyncResponse};
use gridwalk_core::reference::{AreaLevel, Role};
use gridwalk_server::state::{AppState, Limits};
use gridwalk_server::storage::sqlite::SqliteStorage;
use gridwalk_server::storage::{Storage, UserRow};
use gridwalk_store::{Store, StoreOptions};
use gridwalk_sync::{Session, SyncEngine};
use tokio::sync::oneshot;

use crate::support::{PASSWORD, T0, options, small_config};

/// A temporary directory on tmpfs where there is one: phones and the server fsync on
/// every transaction, which the schedules do not need to measure.
pub fn scratch() -> tempfile::TempDir {
    match std::fs::metadata("/dev/shm") {
        Ok(m) if m.is_dir() => tempfile::tempdir_in("/dev/shm").unwrap(),
        _ => tempfile::tempdir().unwrap(),
    }
}

struct Running {
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

/// The server: a fresh [`AppState`] (new process actor, empty caches) over the same file
/// after every restart.
pub struct Backend {
    db: PathBuf,
    clock: Arc<AtomicI64>,
    running: tokio::sync::Mutex<Option<Running>>,
    state: Mutex<Option<AppState>>,
    addr: Mutex<String>,
    /// Restarts so far.
    pub restarts: AtomicUsize,
}

impl Backend {
    async fn launch(&self) -> Running {
        let storage = Arc::new(SqliteStorage::open(&self.db).unwrap());
        let c = self.clock.clone();
        let limits = Limits {
            requests_per_second: 1e6,
            ..Limits::default()
        };
        let state =
            AppState::new(storage, limits, Arc::new(move || c.load(Ordering::SeqCst))).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        *self.addr.lock().unwrap() = format!("http://{}", listener.local_addr().unwrap());
        *self.state.lock().unwrap() = Some(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            gridwalk_server::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        Running { stop, task }
    }

    /// Stops the server (after the requests in flight) and starts a new one on the file.
    pub async fn restart(&self) {
        let mut running = self.running.lock().await;
        if let Some(r) = running.take() {
            *self.state.lock().unwrap() = None;
            let _ = r.stop.send(());
            r.task.await.unwrap();
        }
        *running = Some(self.launch().await);
        self.restarts.fetch_add(1, Ordering::SeqCst);
    }

    /// The current server's state.
    pub fn state(&self) -> AppState {
        self.state.lock().unwrap().clone().expect("a server runs")
    }

    fn addr(&self) -> String {
        self.addr.lock().unwrap().clone()
    }
}

/// What the proxy does to the answer of the next sync request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The server applied the request; the device never sees the answer.
    LoseAck,
    /// The server applied the request and is restarted before the device sees the answer.
    RestartBeforeAck,
}

/// A loopback HTTP proxy in front of the server, at a URL that survives restarts.
pub struct Proxy {
    backend: Arc<Backend>,
    http: reqwest::Client,
    armed: Mutex<Option<Fault>>,
    last_push: Mutex<Option<(HeaderMap, Bytes)>>,
    /// Where devices connect.
    pub url: String,
}

impl Proxy {
    /// Arms a fault for the next sync request.
    pub fn arm(&self, fault: Fault) {
        *self.armed.lock().unwrap() = Some(fault);
    }

    /// Disarms a fault that did not fire.
    pub fn disarm(&self) {
        *self.armed.lock().unwrap() = None;
    }

    async fn send(
        &self,
        path: &str,
        headers: &HeaderMap,
        body: Bytes,
    ) -> (StatusCode, HeaderMap, Bytes) {
        let mut rb = self
            .http
            .post(format!("{}{path}", self.backend.addr()))
            .body(body);
        for (k, v) in headers {
            if k != header::HOST && k != header::CONTENT_LENGTH {
                rb = rb.header(k, v);
            }
        }
        let resp = rb.send().await.expect("the proxy reaches the server");
        let status = resp.status();
        let headers = resp.headers().clone();
        (status, headers, resp.bytes().await.unwrap())
    }

    /// Sends the last sync request that carried a push to the server again, as a
    /// duplicated packet would; returns the server's answer.
    pub async fn replay_last_push(&self) -> Option<(SyncRequest, SyncResponse)> {
        let (headers, body) = self.last_push.lock().unwrap().clone()?;
        let (status, answer_headers, answer) =
            self.send("/api/v1/sync", &headers, body.clone()).await;
        assert_eq!(status, StatusCode::OK, "a replayed push is answered");
        let req = protocol::decode(&plain(&headers, &body)).unwrap();
        let resp = protocol::decode(&plain(&answer_headers, &answer)).unwrap();
        Some((req, resp))
    }
}

/// A sync body as MessagePack: gunzipped when its headers say it is gzipped.
fn plain(headers: &HeaderMap, body: &[u8]) -> Vec<u8> {
    if headers.contains_key(header::CONTENT_ENCODING) {
        protocol::decompress(body, 1 << 30).unwrap()
    } else {
        body.to_vec()
    }
}

async fn forward(State(p): State<Arc<Proxy>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let is_sync = parts.uri.path() == "/api/v1/sync";
    if is_sync {
        let req: SyncRequest = protocol::decode(&plain(&parts.headers, &body)).unwrap();
        if !req.push.is_empty() {
            *p.last_push.lock().unwrap() = Some((parts.headers.clone(), body.clone()));
        }
    }
    let (status, headers, answer) = p.send(parts.uri.path(), &parts.headers, body).await;
    let fault = if is_sync {
        p.armed.lock().unwrap().take()
    } else {
        None
    };
    match fault {
        // A device cannot tell a dropped connection from a gateway error: either way the
        // acks never reach it, and it retries.
        Some(Fault::LoseAck) => StatusCode::BAD_GATEWAY.into_response(),
        Some(Fault::RestartBeforeAck) => {
            p.backend.restart().await;
            StatusCode::BAD_GATEWAY.into_response()
        }
        None => {
            let mut b = Response::builder().status(status);
            for (k, v) in &headers {
                if k != header::CONTENT_LENGTH && k != header::TRANSFER_ENCODING {
                    b = b.header(k, v);
                }
            }
            b.body(Body::from(answer)).unwrap()
        }
    }
}

/// A grid a schedule works in: its village and one of its micro-grids.
#[derive(Debug, Clone)]
pub struct GridInfo {
    pub id: String,
    pub village: String,
    pub micro: String,
}

/// The shared server, proxy and users.
pub struct World {
    pub _dir: tempfile::TempDir,
    pub clock: Arc<AtomicI64>,
    pub backend: Arc<Backend>,
    pub proxy: Arc<Proxy>,
    pub grids: Vec<GridInfo>,
    sessions: HashMap<(Role, String, u8), Session>,
    password_hash: String,
}

impl World {
    /// A server with the small demo county, and the proxy in front of it.
    pub async fn start() -> World {
        let dir = scratch();
        let db = dir.path().join("server.db");
        let clock = Arc::new(AtomicI64::new(T0));
        let ds = gridwalk_datagen::generate(&small_config()).unwrap();
        {
            let storage = SqliteStorage::open(&db).unwrap();
            gridwalk_server::demo::load(&storage, &ds, T0).unwrap();
        }
        let backend = Arc::new(Backend {
            db,
            clock: clock.clone(),
            running: tokio::sync::Mutex::new(None),
            state: Mutex::new(None),
            addr: Mutex::new(String::new()),
            restarts: AtomicUsize::new(0),
        });
        backend.restart().await;
        backend.restarts.store(0, Ordering::SeqCst);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = Arc::new(Proxy {
            backend: backend.clone(),
            http: reqwest::Client::new(),
            armed: Mutex::new(None),
            last_push: Mutex::new(None),
            url: format!("http://{}", listener.local_addr().unwrap()),
        });
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(proxy.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let areas = backend.state().storage.reference_data().unwrap().areas;
        let grids = areas
            .iter()
            .filter(|a| a.level == AreaLevel::Grid)
            .filter_map(|g| {
                let micro = areas.iter().find(|m| {
                    m.level == AreaLevel::MicroGrid && m.parent_id == Some(g.id.clone())
                })?;
                Some(GridInfo {
                    id: g.id.clone(),
                    village: g.parent_id.clone()?,
                    micro: micro.id.clone(),
                })
            })
            .collect::<Vec<_>>();
        assert!(grids.len() >= 2, "the county has grids with micro-grids");
        World {
            _dir: dir,
            clock,
            backend,
            proxy,
            grids,
            sessions: HashMap::new(),
            password_hash: gridwalk_server::auth::hash_password(PASSWORD).unwrap(),
        }
    }

    pub fn state(&self) -> AppState {
        self.backend.state()
    }

    pub fn storage(&self) -> Arc<dyn Storage> {
        self.state().storage
    }

    pub fn now(&self) -> i64 {
        self.clock.load(Ordering::SeqCst)
    }

    pub fn advance(&self, ms: i64) {
        self.clock.fetch_add(ms, Ordering::SeqCst);
    }

    /// The session of test user number `slot` with `role` serving `area`, created and
    /// signed in (through the proxy) the first time.
    pub async fn session(&mut self, role: Role, area: &str, slot: u8) -> Session {
        let key = (role, area.to_string(), slot);
        if let Some(s) = self.sessions.get(&key) {
            return s.clone();
        }
        let id = uuid::Uuid::now_v7().to_string();
        let username = format!("prop-{}-{}", role.code(), &id[id.len() - 12..]);
        let row = UserRow {
            id: id.clone(),
            username: username.clone(),
            name: format!("{}（测试）", role.label_zh()),
            role,
            area_id: Some(area.to_string()),
            unit_id: None,
            password_hash: self.password_hash.clone(),
            active: true,
        };
        self.storage().create_user(&row, self.now()).unwrap();
        let clock = self.clock.clone();
        let mut engine = SyncEngine::new(options(Arc::new(move || {
            Timestamp(clock.load(Ordering::SeqCst))
        })));
        engine
            .login(&self.proxy.url, &username, PASSWORD, "属性测试手机")
            .await
            .expect("the test user signs in");
        let s = engine.session().unwrap().clone();
        self.sessions.insert(key, s.clone());
        s
    }

    /// A fresh phone (new store file, new actor) signed in with `session`.
    pub fn phone(&self, label: &'static str, session: &Session) -> Dev {
        let dir = scratch();
        let clock = self.clock.clone();
        let store_clock: gridwalk_store::Clock =
            Arc::new(move || Timestamp(clock.load(Ordering::SeqCst)));
        let store = Store::open_with(
            dir.path().join("device.db"),
            StoreOptions {
                clock: store_clock.clone(),
                ..StoreOptions::default()
            },
        )
        .unwrap();
        Dev {
            label,
            role: session.role,
            user_id: session.user_id.clone(),
            device_id: session.device_id.clone(),
            store,
            engine: SyncEngine::with_session(session.clone(), options(store_clock)),
            offline_until: 0,
            _dir: dir,
        }
    }
}

/// A phone of a schedule.
pub struct Dev {
    pub label: &'static str,
    pub role: Role,
    pub user_id: String,
    pub device_id: String,
    pub store: Store,
    pub engine: SyncEngine,
    /// The phone skips syncs before this step (a partition).
    pub offline_until: usize,
    pub _dir: tempfile::TempDir,
}
