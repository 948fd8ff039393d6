//! Every bad input answers with its own stable code; the server stays up; the valid rest
//! of a batch is stored.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use axum::http::StatusCode;
use gridwalk_core::doc::incident::IncidentEvent;
use gridwalk_core::doc::{DocKind, obj_at, private_doc_id};
use gridwalk_core::incident::Action;
use gridwalk_core::protocol::{self, CONTENT_TYPE, DocCode, PushDoc, SyncResponse};
use gridwalk_core::reference::Role;
use gridwalk_server::state::Limits;
use serde_bytes::ByteBuf;

use crate::support::*;

/// A grid worker's device after its first sync, and a valid visit push to its grid.
async fn worker(s: &Server) -> (Device, PushDoc) {
    let u = s.user_where(Role::GridWorker, |_| true);
    let mut d = s.device(&u.id).await;
    d.sync_all(s, vec![]).await;
    let house = household_in(&s.ds, &u.area_id);
    let ok = d.visit(&house, s.now());
    (d, ok)
}

/// Loads a stored document into a device as if it held it (to forge pushes).
fn hold(s: &Server, d: &mut Device, doc_id: &str) {
    let stored = s.storage.load_doc(doc_id).unwrap().unwrap();
    d.docs.insert(
        doc_id.into(),
        Held {
            kind: stored.meta.kind,
            grid: stored.meta.grid_id.clone(),
            doc: gridwalk_server::loaded::from_stored(&stored).unwrap().doc,
        },
    );
}

/// Pushes `bad` and a valid document together; asserts the bad one's code, that it is
/// quarantined, and that the valid one is stored.
async fn refused_with(
    s: &Server,
    d: &Device,
    bad: PushDoc,
    ok: PushDoc,
    code: DocCode,
) -> SyncResponse {
    let resp = s
        .sync(&d.token, &d.request(vec![bad.clone(), ok.clone()]))
        .await
        .unwrap();
    let r = &resp.results[0];
    assert_eq!(r.code, code, "{}: {}", bad.doc_id, r.message_en);
    assert!(
        r.accepted.is_empty(),
        "nothing of the refused document is stored"
    );
    assert_eq!(
        r.quarantined.len(),
        bad.changes.len(),
        "every refused change is quarantined"
    );
    let q = s.storage.quarantined(&bad.doc_id).unwrap();
    assert!(
        q.iter().any(|q| q.code == code.code_str()),
        "the quarantine keeps the bytes with the code"
    );
    assert_eq!(
        resp.ok,
        [1],
        "the valid rest of the batch is stored, acknowledged by its position"
    );
    assert!(s.storage.doc_meta(&ok.doc_id).unwrap().is_some());
    resp
}

trait CodeStr {
    fn code_str(&self) -> &'static str;
}
impl CodeStr for DocCode {
    fn code_str(&self) -> &'static str {
        gridwalk_core::Localized::code(self)
    }
}

async fn still_up(s: &Server, d: &Device) {
    // The test clock stands still: let the device's rate bucket refill.
    s.advance(1_000);
    assert!(
        s.sync(&d.token, &d.request(vec![])).await.is_ok(),
        "the server stays up"
    );
}

#[tokio::test]
async fn bodies_that_cannot_be_read_are_400_malformed() {
    let s = Server::new();
    let (d, _) = worker(&s).await;
    let good = protocol::compress(&protocol::encode(&d.request(vec![])));
    let cases: Vec<(&str, &str, Option<&str>, Vec<u8>)> = vec![
        (
            "not MessagePack",
            CONTENT_TYPE,
            Some("gzip"),
            protocol::compress(b"\xc1\xc1 garbage"),
        ),
        (
            "wrong content type",
            "application/json",
            Some("gzip"),
            good.clone(),
        ),
        (
            "gzip without its content encoding",
            CONTENT_TYPE,
            None,
            good.clone(),
        ),
        (
            "an unknown content encoding",
            CONTENT_TYPE,
            Some("br"),
            good.clone(),
        ),
        (
            "broken gzip",
            CONTENT_TYPE,
            Some("gzip"),
            b"\x1f\x8b broken".to_vec(),
        ),
    ];
    for (what, ct, enc, body) in cases {
        let (status, body) = s.sync_raw(&d.token, ct, enc, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
        let e: gridwalk_core::protocol::ErrorBody = serde_json::from_slice(&body).unwrap();
        assert_eq!(e.code, "malformed", "{what}");
    }
    still_up(&s, &d).await;
}

#[tokio::test]
async fn garbage_automerge_bytes_are_malformed_change_and_the_rest_of_the_batch_is_kept() {
    let s = Server::new();
    let (d, ok) = worker(&s).await;
    let bad = PushDoc {
        doc_id: "0190aaaa-0000-7000-8000-000000000001".into(),
        kind: DocKind::Household,
        grid_id: d.scope[0].clone(),
        changes: vec![ByteBuf::from(b"definitely not a change".to_vec())],
    };
    refused_with(&s, &d, bad, ok, DocCode::MalformedChange).await;
    still_up(&s, &d).await;
}

#[tokio::test]
async fn an_oversized_body_and_too_many_documents_are_413() {
    let s = Server::with_limits(Limits {
        max_body_bytes: 32 * 1024,
        max_push_docs: 2,
        requests_per_second: 1e6,
        ..Limits::default()
    });
    let (d, ok) = worker(&s).await;
    let noise: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let (status, body) = s
        .sync_raw(&d.token, CONTENT_TYPE, Some("gzip"), noise)
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "over the body limit");
    assert!(String::from_utf8_lossy(&body).contains("too_large"));
    let (status, e) = s
        .sync(&d.token, &d.request(vec![ok.clone(), ok.clone(), ok]))
        .await
        .unwrap_err();
    assert_eq!(
        (status, e.code.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
    );
    still_up(&s, &d).await;
}

#[tokio::test]
async fn an_old_or_unknown_protocol_is_426_with_a_message_to_update() {
    let s = Server::new();
    let (d, _) = worker(&s).await;
    let mut req = d.request(vec![]);
    req.protocol = 0;
    let (status, e) = s.sync(&d.token, &req).await.unwrap_err();
    assert_eq!(
        (status, e.code.as_str()),
        (StatusCode::UPGRADE_REQUIRED, "upgrade_required")
    );
    assert!(
        e.message_zh.contains("升级"),
        "the message says to update the app"
    );
    req.protocol = 99;
    let (status, e) = s.sync(&d.token, &req).await.unwrap_err();
    assert_eq!(
        (status, e.code.as_str()),
        (StatusCode::UPGRADE_REQUIRED, "protocol_unsupported")
    );
    still_up(&s, &d).await;
}

#[tokio::test]
async fn a_visit_to_a_household_of_another_grid_is_out_of_scope() {
    let s = Server::new();
    let (mut d, ok) = worker(&s).await;
    let other =
        s.ds.households
            .iter()
            .find(|h| !d.scope.contains(&h.grid_id))
            .unwrap()
            .id
            .clone();
    hold(&s, &mut d, &other);
    let bad = d.visit(&other, s.now());
    refused_with(&s, &d, bad, ok, DocCode::OutOfScope).await;
}

#[tokio::test]
async fn a_change_signed_with_another_devices_actor_is_actor_not_bound() {
    let s = Server::new();
    let (mut d, ok) = worker(&s).await;
    s.sync(&d.token, &d.request(vec![ok])).await.unwrap();
    // A second device of the same user reuses the first device's actor.
    let u = d.user_id.clone();
    let mut twin = s.device(&u).await;
    twin.actor = d.actor.clone();
    twin.sync_all(&s, vec![]).await;
    let house = household_in(&s.ds, &d.scope[0]);
    let bad = twin.visit(&house, s.now() + 1);
    let ok2 = d.visit(&house, s.now() + 2);
    let resp = s.sync(&twin.token, &twin.request(vec![bad])).await.unwrap();
    assert_eq!(resp.results[0].code, DocCode::ActorNotBound);
    assert_eq!(resp.results[0].quarantined.len(), 1);
    let resp = s.sync(&d.token, &d.request(vec![ok2])).await.unwrap();
    assert_eq!(resp.ok, [0], "the actor's own device still pushes");
}

#[tokio::test]
async fn a_party_member_writing_a_private_document_is_role_forbidden() {
    let s = Server::new();
    let pm = s.user_where(Role::PartyMember, |u| {
        s.ds.assignments.iter().any(|a| a.contactor_user == u.id)
    });
    let mut d = s.device(&pm.id).await;
    d.sync_all(&s, vec![]).await;
    let house = d
        .docs
        .iter()
        .find(|(_, h)| h.kind == DocKind::Household)
        .unwrap()
        .0
        .clone();
    let ok = d.visit(&house, s.now());
    let private =
        s.ds.households
            .iter()
            .find(|h| h.needs_private())
            .map(|h| private_doc_id(&h.id))
            .unwrap();
    hold(&s, &mut d, &private);
    let held = d.docs.get_mut(&private).unwrap();
    held.doc.set_actor(d.actor.clone());
    let heads = held.doc.get_heads();
    let ctx = d.ctx(s.now());
    let held = d.docs.get_mut(&private).unwrap();
    gridwalk_core::doc::private::set_special_tags(&mut held.doc, &ctx, BTreeMap::new()).unwrap();
    let bad = push_since(&private, held, &heads);
    refused_with(&s, &d, bad, ok, DocCode::RoleForbidden).await;
}

#[tokio::test]
async fn an_incident_event_in_someone_elses_role_is_role_forbidden() {
    let s = Server::new();
    let (mut d, ok) = worker(&s).await;
    let incident = d
        .docs
        .iter()
        .find(|(_, h)| h.kind == DocKind::Incident)
        .unwrap()
        .0
        .clone();
    let actor = d.actor.clone();
    let held = d.docs.get_mut(&incident).unwrap();
    held.doc.set_actor(actor);
    let heads = held.doc.get_heads();
    let ev = IncidentEvent {
        id: uuid::Uuid::now_v7().to_string(),
        action: Action::Progress,
        actor_user: d.user_id.clone(),
        role: Role::Dispatcher,
        device: d.device_id.clone(),
        hlc: format!("{:016}-00000-{}", s.now(), d.device_id),
        note: "冒充调度员".into(),
        fields: BTreeMap::new(),
    };
    let events = obj_at(&held.doc, &["events"]).unwrap();
    autosurgeon::reconcile_prop(&mut held.doc, &events, ev.id.as_str(), &ev).unwrap();
    held.doc.commit();
    let bad = push_since(&incident, held, &heads);
    refused_with(&s, &d, bad, ok, DocCode::RoleForbidden).await;
}

#[tokio::test]
async fn a_change_after_which_the_document_no_longer_hydrates_is_does_not_hydrate() {
    let s = Server::new();
    let (mut d, ok) = worker(&s).await;
    let house = d
        .docs
        .iter()
        .filter(|(id, h)| h.kind == DocKind::Household && **id != ok.doc_id)
        .map(|(id, _)| id.clone())
        .next()
        .unwrap();
    let actor = d.actor.clone();
    let held = d.docs.get_mut(&house).unwrap();
    held.doc.set_actor(actor);
    let heads = held.doc.get_heads();
    held.doc.put(ROOT, "members", "no longer a map").unwrap();
    held.doc.commit();
    let bad = push_since(&house, held, &heads);
    refused_with(&s, &d, bad, ok, DocCode::DoesNotHydrate).await;
    let stored = s.storage.load_doc(&house).unwrap().unwrap();
    let doc: AutoCommit = gridwalk_server::loaded::from_stored(&stored).unwrap().doc;
    assert!(
        gridwalk_server::rules::hydrate(&doc, DocKind::Household).is_ok(),
        "the stored document never contains the refused change"
    );
}

#[tokio::test]
async fn a_device_over_its_request_rate_gets_429_until_its_bucket_refills() {
    let s = Server::with_limits(Limits::default());
    let u = s.user_where(Role::GridWorker, |_| true);
    let d = s.device(&u.id).await;
    let mut codes = Vec::new();
    for _ in 0..6 {
        codes.push(match s.sync(&d.token, &d.request(vec![])).await {
            Ok(_) => "ok".to_string(),
            Err((_, e)) => e.code,
        });
    }
    assert_eq!(
        codes[..5],
        ["ok"; 5],
        "five requests a second are allowed by default"
    );
    assert_eq!(codes[5], "rate_limited");
    still_up(&s, &d).await;
}
