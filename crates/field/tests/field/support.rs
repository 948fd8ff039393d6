//! A real gridwalk-server on 127.0.0.1 over a temporary SQLite file with the small demo
//! county, and field apps: each a real profile directory (store file, session, settings)
//! signed in over HTTP. The server and the apps share one clock the test moves.

use std::ops::{Deref, DerefMut};

use gridwalk_core::reference::Role;
use gridwalk_datagen::Dataset;
use gridwalk_field::dto::*;
use gridwalk_field::{FieldApp, FieldOptions};
use gridwalk_server::demo::DEMO_PASSWORD;
use gridwalk_sync::{RetryPolicy, SyncOptions};

/// A server listening on 127.0.0.1 (see [`gridwalk_testkit::TestServer`]), which a test
/// can stop and start again on the same address (to be "offline"); stopped when dropped.
pub struct TestServer(gridwalk_testkit::TestServer);

impl Deref for TestServer {
    type Target = gridwalk_testkit::TestServer;

    fn deref(&self) -> &gridwalk_testkit::TestServer {
        &self.0
    }
}

impl DerefMut for TestServer {
    fn deref_mut(&mut self) -> &mut gridwalk_testkit::TestServer {
        &mut self.0
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer(gridwalk_testkit::TestServer::start().await)
    }

    /// As [`TestServer::start`], with the generated dataset edited before the server
    /// loads it.
    pub async fn start_with(edit: impl FnOnce(&mut Dataset)) -> TestServer {
        TestServer(gridwalk_testkit::TestServer::start_with(edit).await)
    }

    /// The first dataset user of a role matching a filter.
    pub fn user(
        &self,
        role: Role,
        f: impl Fn(&gridwalk_datagen::model::User) -> bool,
    ) -> gridwalk_datagen::model::User {
        self.user_where(role, f)
    }

    /// Field app options on the test clock with fast retries.
    pub fn options(&self) -> FieldOptions {
        let mut sync = SyncOptions {
            clock: self.timestamps(),
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
