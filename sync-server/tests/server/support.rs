//! A server over a temporary SQLite file with a small demo county, and simulated devices
//! that log in, sync through the real router (`oneshot`), hold documents and edit them
//! through core.

use std::collections::BTreeMap;
use std::ops::Deref;

use automerge::{ActorId, AutoCommit, Change};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gridwalk_core::doc::household::HouseholdDoc;
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{DocKind, WriteCtx, edit};
use gridwalk_core::protocol::{
    self, CONTENT_TYPE, ErrorBody, PROTOCOL_VERSION, PushDoc, SyncRequest, SyncResponse,
};
use gridwalk_core::reference::Role;
use gridwalk_core::{Hlc, Timestamp};
use gridwalk_datagen::Dataset;
use gridwalk_server::demo::DEMO_PASSWORD;
use gridwalk_server::state::Limits;
use gridwalk_testkit::{Fixture, test_limits};
use serde_bytes::ByteBuf;
use tower::ServiceExt;

/// A server with the small demo county loaded (see [`gridwalk_testkit::Fixture`]), driven
/// through the router without a listener.
pub struct Server {
    fixture: Fixture,
}

impl Deref for Server {
    type Target = Fixture;

    fn deref(&self) -> &Fixture {
        &self.fixture
    }
}

impl Server {
    /// Default limits, except the request rate: the test clock stands still, so a
    /// rate bucket would never refill.
    pub fn new() -> Server {
        Server::with_limits(test_limits())
    }

    pub fn with_limits(limits: Limits) -> Server {
        Server {
            fixture: Fixture::load(limits, |_| {}),
        }
    }

    /// Sends a request through the router.
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
        let resp = gridwalk_server::app(self.state.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        (status, body, headers)
    }

    pub async fn login_raw(
        &self,
        username: &str,
        password: &str,
    ) -> (StatusCode, serde_json::Value) {
        let body = serde_json::json!({
            "username": username, "password": password, "device_name": "测试手机"
        });
        let req = Request::post("/api/v1/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let (status, body, _) = self.send(req).await;
        (status, serde_json::from_slice(&body).unwrap())
    }

    /// Logs a dataset user in on a new device.
    pub async fn device(&self, user_id: &str) -> Device {
        let (status, v) = self.login_raw(&self.username(user_id), DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "demo login works: {v}");
        Device {
            token: v["token"].as_str().unwrap().into(),
            device_id: v["device_id"].as_str().unwrap().into(),
            user_id: user_id.into(),
            role: serde_json::from_value(v["role"].clone()).unwrap(),
            actor: ActorId::random(),
            docs: BTreeMap::new(),
            cursors: BTreeMap::new(),
            scope: Vec::new(),
        }
    }

    /// Posts raw bytes to the sync endpoint with the given headers.
    pub async fn sync_raw(
        &self,
        token: &str,
        content_type: &str,
        encoding: Option<&str>,
        body: Vec<u8>,
    ) -> (StatusCode, Vec<u8>) {
        let mut b = Request::post("/api/v1/sync")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type);
        if let Some(e) = encoding {
            b = b.header(header::CONTENT_ENCODING, e);
        }
        let (status, body, _) = self.send(b.body(Body::from(body)).unwrap()).await;
        (status, body)
    }

    /// One sync request; the response or the error body.
    pub async fn sync(
        &self,
        token: &str,
        req: &SyncRequest,
    ) -> Result<SyncResponse, (StatusCode, ErrorBody)> {
        let (body, gzipped) = protocol::encode_body(req);
        let mut b = Request::post("/api/v1/sync")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, CONTENT_TYPE);
        if gzipped {
            b = b.header(header::CONTENT_ENCODING, "gzip");
        }
        let (status, body, headers) = self.send(b.body(Body::from(body)).unwrap()).await;
        if status == StatusCode::OK {
            let raw = if headers.contains_key(header::CONTENT_ENCODING) {
                protocol::decompress(&body, 1 << 30).unwrap()
            } else {
                body
            };
            Ok(protocol::decode(&raw).unwrap())
        } else {
            Err((
                status,
                serde_json::from_slice(&body).expect("errors are JSON ErrorBody"),
            ))
        }
    }
}

/// A held document.
pub struct Held {
    pub kind: DocKind,
    pub grid: String,
    pub doc: AutoCommit,
}

/// A simulated device.
pub struct Device {
    pub token: String,
    pub device_id: String,
    pub user_id: String,
    pub role: Role,
    pub actor: ActorId,
    pub docs: BTreeMap<String, Held>,
    pub cursors: BTreeMap<String, String>,
    pub scope: Vec<String>,
}

impl Device {
    pub fn request(&self, push: Vec<PushDoc>) -> SyncRequest {
        SyncRequest {
            protocol: PROTOCOL_VERSION,
            device_ms: 0,
            push,
            cursors: self.cursors.clone(),
            reference_version: 0,
            audit: Vec::new(),
        }
    }

    /// Applies a response: documents, revokes, cursors and scope.
    pub fn apply(&mut self, resp: &SyncResponse) {
        for d in &resp.docs {
            let held = self.docs.entry(d.doc_id.clone()).or_insert_with(|| Held {
                kind: d.kind,
                grid: d.grid_id.clone(),
                doc: AutoCommit::new(),
            });
            if let Some(s) = &d.snapshot {
                let mut other = AutoCommit::load(s).unwrap();
                held.doc.merge(&mut other).unwrap();
            }
            let changes: Vec<Change> = d
                .changes
                .iter()
                .map(|b| Change::from_bytes(b.to_vec()).unwrap())
                .collect();
            held.doc.apply_changes(changes).unwrap();
        }
        for r in &resp.revokes {
            self.docs.remove(&r.doc_id);
        }
        // Cursors come back only when they move; no scope means "the grids you sent".
        if let Some(scope) = &resp.scope {
            self.scope = scope.clone();
        }
        self.cursors.extend(resp.cursors.clone());
        self.cursors.retain(|g, _| self.scope.contains(g));
    }

    /// Syncs (pushing `push` first) until the server says there is no more.
    pub async fn sync_all(&mut self, server: &Server, push: Vec<PushDoc>) -> Vec<SyncResponse> {
        let mut out = Vec::new();
        let mut push = Some(push);
        loop {
            let req = self.request(push.take().unwrap_or_default());
            let resp = server.sync(&self.token, &req).await.expect("sync succeeds");
            self.apply(&resp);
            let more = resp.more;
            out.push(resp);
            if !more {
                return out;
            }
            assert!(out.len() < 500, "first sync ends");
        }
    }

    pub fn ctx(&self, now: i64) -> WriteCtx {
        WriteCtx {
            user: self.user_id.clone(),
            role: self.role,
            device: self.device_id.clone(),
            hlc: Hlc {
                wall_ms: now,
                counter: 0,
                node: self.device_id.clone(),
            },
            at: Timestamp(now),
        }
    }

    /// Records a routine visit to a held household; returns the push of its new change.
    pub fn visit(&mut self, household: &str, now: i64) -> PushDoc {
        let ctx = self.ctx(now);
        let actor = self.actor.clone();
        let held = self
            .docs
            .get_mut(household)
            .expect("the device holds the household");
        held.doc.set_actor(actor);
        let heads = held.doc.get_heads();
        let v = NewVisit::routine(uuid::Uuid::now_v7().to_string(), now)
            .into_record(&ctx)
            .unwrap();
        edit::add_visit(&mut held.doc, &ctx, &v).unwrap();
        push_since(household, held, &heads)
    }

    pub fn household(&self, id: &str) -> HouseholdDoc {
        gridwalk_core::doc::load(&self.docs[id].doc, 1).unwrap()
    }
}

/// The changes of a held document after `heads`, as a push.
pub fn push_since(doc_id: &str, held: &mut Held, heads: &[automerge::ChangeHash]) -> PushDoc {
    PushDoc {
        doc_id: doc_id.into(),
        kind: held.kind,
        grid_id: held.grid.clone(),
        changes: held
            .doc
            .get_changes(heads)
            .iter()
            .map(|c| ByteBuf::from(c.raw_bytes().to_vec()))
            .collect(),
    }
}

/// A household of the dataset in a grid, for tests that need one.
pub fn household_in(ds: &Dataset, grid: &str) -> String {
    ds.households
        .iter()
        .find(|h| h.grid_id == grid)
        .expect("a household in the grid")
        .id
        .clone()
}

/// Asserts every stored document of the device's scope is held with equal heads.
pub fn assert_holds_all(server: &Server, device: &mut Device, expect: &[String]) {
    for id in expect {
        let held = device
            .docs
            .get_mut(id)
            .unwrap_or_else(|| panic!("the device holds {id}"));
        let stored = server.storage.load_doc(id).unwrap().unwrap();
        let mut doc = gridwalk_server::loaded::from_stored(&stored).unwrap().doc;
        assert_eq!(
            held.doc.get_heads(),
            doc.get_heads(),
            "{id} on the device equals the server's"
        );
    }
}
