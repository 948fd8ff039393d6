//! `GET /api/v1/docs/{doc_id}`: a device reads one document of its scope as JSON;
//! anything else is a 404 that says nothing about what exists; private reads are audited.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gridwalk_core::doc::private_doc_id;
use gridwalk_core::reference::Role;

use crate::support::{Server, household_in};

async fn read(
    server: &Server,
    token: Option<&str>,
    doc_id: &str,
) -> (StatusCode, serde_json::Value) {
    let mut req = Request::get(format!("/api/v1/docs/{doc_id}"));
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let (status, body, _) = server.send(req.body(Body::empty()).unwrap()).await;
    (
        status,
        serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn a_grid_worker_reads_a_household_of_its_grid_with_members_and_visits_as_plain_values() {
    let server = Server::new();
    let worker = server.user_where(Role::GridWorker, |_| true).clone();
    let device = server.device(&worker.id).await;
    let hid = household_in(&server.ds, &worker.area_id);
    let (status, v) = read(&server, Some(&device.token), &hid).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["doc_id"].as_str(), v["kind"].as_str()),
        (Some(hid.as_str()), Some("household"))
    );
    let members = v["doc"]["members"]
        .as_object()
        .expect("members keyed by person id");
    assert!(!members.is_empty());
    let m = members.values().next().unwrap();
    assert!(
        m["name"].is_string(),
        "a register reads as its value, not its map of writes: {m}"
    );
    assert!(
        m["relation"]
            .as_str()
            .is_some_and(|r| r.chars().all(|c| c.is_ascii_lowercase() || c == '_')),
        "enum values are codes: {m}"
    );
    assert!(v["doc"]["visits"].is_object(), "visits are included");
}

#[tokio::test]
async fn an_incident_reads_with_its_events_and_effective_state() {
    let server = Server::new();
    let worker = server.user_where(Role::GridWorker, |_| true).clone();
    let device = server.device(&worker.id).await;
    let incident = server
        .ds
        .incidents
        .iter()
        .find(|i| i.grid_id == worker.area_id)
        .expect("an incident in the worker's grid");
    let (status, v) = read(&server, Some(&device.token), &incident.id).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v["state"].is_string(), "the effective state is given");
    assert!(v["doc"]["events"].is_object(), "the event log is included");
}

#[tokio::test]
async fn a_document_outside_the_scope_is_the_same_404_as_one_that_does_not_exist() {
    let server = Server::new();
    let worker = server.user_where(Role::GridWorker, |_| true).clone();
    let device = server.device(&worker.id).await;
    let elsewhere = server
        .ds
        .households
        .iter()
        .find(|h| h.grid_id != worker.area_id)
        .expect("a household in another grid")
        .id
        .clone();
    let (status, v) = read(&server, Some(&device.token), &elsewhere).await;
    assert_eq!(
        (status, v["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, v2) = read(&server, Some(&device.token), "no-such-document").await;
    assert_eq!(
        (status, v2["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    assert_eq!(v, v2, "the answer never says what exists elsewhere");
    let (status, _) = read(&server, None, &elsewhere).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the device token is required"
    );
}

#[tokio::test]
async fn a_private_document_is_read_only_by_roles_allowed_and_every_read_is_audited() {
    let server = Server::new();
    let worker = server.user_where(Role::GridWorker, |_| true).clone();
    let device = server.device(&worker.id).await;
    let pid = server
        .ds
        .households
        .iter()
        .filter(|h| h.grid_id == worker.area_id)
        .map(|h| private_doc_id(&h.id))
        .find(|p| server.storage.doc_meta(p).unwrap().is_some())
        .expect("a household with a private document in the grid");
    let before = server.storage.audit_rows("read_private").unwrap().len();
    let (status, v) = read(&server, Some(&device.token), &pid).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let rows = server.storage.audit_rows("read_private").unwrap();
    assert_eq!(rows.len(), before + 1, "the read is audited");
    let last = rows
        .iter()
        .find(|r| r.target.as_deref() == Some("api:docs"))
        .unwrap();
    assert_eq!(
        (last.user_id.as_deref(), last.doc_id.as_deref()),
        (Some(worker.id.as_str()), Some(pid.as_str()))
    );

    let part_time = server.user_where(Role::PartTimeWorker, |_| true).clone();
    let pt = server.device(&part_time.id).await;
    let hid = gridwalk_core::doc::household_of_private(&pid)
        .unwrap()
        .to_string();
    let (status, _) = read(&server, Some(&pt.token), &private_doc_id(&hid)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a part-time worker never reads private data"
    );
}
