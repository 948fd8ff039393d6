//! Incident dispatch through the console: the whole chain from report to rating, each
//! step taken by its role, and at every step every console role refused every action it
//! may not take, with the stable code `action_not_allowed`.

use axum::http::StatusCode;
use gridwalk_core::doc::incident::{IncidentDoc, NewEvent, NewIncident, Source};
use gridwalk_core::doc::{self, DocKind};
use gridwalk_core::incident::{Action, machine};
use gridwalk_core::reference::{Platform, Role, Urgency};
use gridwalk_datagen::model::User;
use serde_json::{Value, json};

use crate::console_support::Console;
use crate::support::{Device, Held, Server, household_in, push_since};

/// Everyone the chain needs, around one grid worker's grid.
pub(crate) struct Cast {
    pub(crate) worker: User,
    pub(crate) head: User,
    pub(crate) supervisor: User,
    pub(crate) dispatcher: User,
    pub(crate) unit_user: User,
    pub(crate) other_unit_user: User,
    pub(crate) admin_area: String,
    pub(crate) unit_id: String,
    pub(crate) grid: String,
    pub(crate) category: String,
    pub(crate) platform: Platform,
}

fn parent(server: &Server, id: &str) -> String {
    server
        .ds
        .areas
        .iter()
        .find(|a| a.id == id)
        .and_then(|a| a.parent_id.clone())
        .unwrap()
}

pub(crate) fn cast(server: &Server) -> Cast {
    let worker = server.user_where(Role::GridWorker, |_| true);
    let grid = worker.area_id.clone();
    let village = parent(server, &grid);
    let township = parent(server, &village);
    let head = server.user_where(Role::GridHead, |u| u.area_id == village);
    let supervisor = server.user_where(Role::TownshipSupervisor, |u| u.area_id == township);
    let dispatcher = server.user_where(Role::Dispatcher, |u| u.area_id == township);
    let cat = server
        .ds
        .categories
        .iter()
        .find(|c| c.parent.is_some() && matches!(c.platform, Some(p) if p != Platform::InGrid))
        .unwrap();
    let platform = cat.platform.unwrap();
    let unit = server
        .ds
        .units
        .iter()
        .find(|u| u.township_id.as_deref() == Some(township.as_str()))
        .unwrap();
    let unit_user = server.user_where(Role::HandlingUnit, |u| {
        u.unit_id.as_deref() == Some(unit.id.as_str())
    });
    let other_unit_user = server.user_where(Role::HandlingUnit, |u| {
        u.unit_id.as_deref() != Some(unit.id.as_str())
    });
    Cast {
        worker,
        head,
        supervisor,
        dispatcher,
        unit_user,
        other_unit_user,
        admin_area: township,
        unit_id: unit.id.clone(),
        grid,
        category: cat.code.clone(),
        platform,
    }
}

/// The worker reports a new incident from the device; returns its id.
pub(crate) async fn report(server: &Server, dev: &mut Device, cast: &Cast) -> String {
    let ctx = dev.ctx(server.now());
    let id = uuid::Uuid::now_v7().to_string();
    let inc = IncidentDoc::new(
        NewIncident {
            id: id.clone(),
            grid_id: cast.grid.clone(),
            households: vec![household_in(&server.ds, &cast.grid)],
            category: cast.category.clone(),
            platform: cast.platform,
            urgency: Urgency::Normal,
            source: Source::Patrol,
            location: "丽阳街88号楼道".into(),
            gps: None,
            parties: String::new(),
            description: "楼道堆放杂物，存在消防隐患。".into(),
        },
        &ctx,
    )
    .unwrap();
    let mut d = doc::create(dev.actor.clone(), &inc, &ctx, "incident.create").unwrap();
    let ev = NewEvent {
        id: uuid::Uuid::now_v7().to_string(),
        action: Action::Report,
        note: String::new(),
        fields: Default::default(),
    };
    machine::append(&mut d, &ctx, ev).unwrap();
    let mut held = Held {
        kind: DocKind::Incident,
        grid: cast.grid.clone(),
        doc: d,
    };
    let push = push_since(&id, &mut held, &[]);
    dev.docs.insert(id.clone(), held);
    let resp = dev.sync_all(server, vec![push]).await;
    assert_eq!(
        resp[0].ok,
        vec![0],
        "the report is stored: {:?}",
        resp[0].results
    );
    id
}

/// The reporting worker verifies (or fails) the result on the device and syncs.
async fn on_device(server: &Server, dev: &mut Device, id: &str, action: Action, note: &str) {
    server.advance(60_000);
    dev.sync_all(server, vec![]).await;
    let ctx = dev.ctx(server.now());
    let actor = dev.actor.clone();
    let held = dev.docs.get_mut(id).expect("the worker holds the incident");
    held.doc.set_actor(actor);
    let heads = held.doc.get_heads();
    let ev = NewEvent {
        id: uuid::Uuid::now_v7().to_string(),
        action,
        note: note.into(),
        fields: Default::default(),
    };
    machine::append(&mut held.doc, &ctx, ev).unwrap();
    let push = push_since(id, held, &heads);
    let resp = dev.sync_all(server, vec![push]).await;
    assert_eq!(
        resp[0].ok,
        vec![0],
        "{action:?} is stored: {:?}",
        resp[0].results
    );
}

pub(crate) fn action_body(action: &str) -> Value {
    json!({"action": action, "note": null, "unit_id": null, "platform": null, "days": null, "rating": null, "channel": null})
}

/// Every console role's sessions, to check refusals at every step.
struct Desks<'a> {
    all: Vec<(Role, Console<'a>)>,
}

impl Desks<'_> {
    /// For every role and every action the role may not take now, the console refuses
    /// with 403 `action_not_allowed` and writes nothing.
    async fn refuse_all_but_allowed(&self, id: &str) {
        for (role, c) in &self.all {
            let (status, d) = c.get(&format!("/incidents/{id}")).await;
            let allowed: Vec<String> = if status == StatusCode::OK {
                serde_json::from_value(d["allowed_actions"].clone()).unwrap()
            } else {
                Vec::new()
            };
            let before = d["events"].as_array().map_or(0, Vec::len);
            for a in Action::ALL {
                if allowed.contains(&a.code().to_string()) {
                    continue;
                }
                let (status, v) = c
                    .post(&format!("/incidents/{id}/actions"), action_body(a.code()))
                    .await;
                let want = if status == StatusCode::NOT_FOUND {
                    "not_found"
                } else {
                    "action_not_allowed"
                };
                assert_eq!(
                    (
                        status.as_u16() == 403 || status.as_u16() == 404,
                        v["code"].as_str()
                    ),
                    (true, Some(want)),
                    "{role:?} may not take {} now: {v}",
                    a.code()
                );
                assert!(
                    v["message_zh"].as_str().is_some_and(|m| !m.is_empty()),
                    "a Chinese reason: {v}"
                );
                assert!(
                    v["message_en"].as_str().is_some_and(|m| !m.is_empty()),
                    "an English reason: {v}"
                );
            }
            if status == StatusCode::OK {
                let (_, after) = c.get(&format!("/incidents/{id}")).await;
                assert_eq!(
                    after["events"].as_array().unwrap().len(),
                    before,
                    "a refusal writes nothing"
                );
            }
        }
    }
}

pub(crate) async fn act(c: &Console<'_>, server: &Server, id: &str, body: Value) -> Value {
    server.advance(60_000);
    let action = body["action"].as_str().unwrap().to_string();
    let (status, d) = c.get(&format!("/incidents/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert!(
        d["allowed_actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == action.as_str()),
        "{action} is offered: {d}"
    );
    let (status, d) = c.post(&format!("/incidents/{id}/actions"), body).await;
    assert_eq!(status, StatusCode::OK, "{action}: {d}");
    assert_eq!(
        d["events"].as_array().unwrap().last().unwrap()["action"],
        action.as_str()
    );
    d
}

pub(crate) fn with(action: &str, f: impl FnOnce(&mut Value)) -> Value {
    let mut b = action_body(action);
    f(&mut b);
    b
}

#[tokio::test]
async fn the_whole_chain_runs_with_each_step_taken_only_by_its_role() {
    let server = Server::new();
    let cast = cast(&server);
    let mut dev = server.device(&cast.worker.id).await;
    dev.sync_all(&server, vec![]).await;
    let id = report(&server, &mut dev, &cast).await;

    let (admin_id, admin_name) = server.add_user(Role::Admin, &cast.admin_area, "管理员");
    let _ = admin_id;
    let head = Console::sign_in(&server, &cast.head).await;
    let dispatcher = Console::sign_in(&server, &cast.dispatcher).await;
    let unit = Console::sign_in(&server, &cast.unit_user).await;
    let desks = Desks {
        all: vec![
            (Role::GridHead, Console::sign_in(&server, &cast.head).await),
            (
                Role::TownshipSupervisor,
                Console::sign_in(&server, &cast.supervisor).await,
            ),
            (
                Role::Dispatcher,
                Console::sign_in(&server, &cast.dispatcher).await,
            ),
            (
                Role::HandlingUnit,
                Console::sign_in(&server, &cast.unit_user).await,
            ),
            (
                Role::HandlingUnit,
                Console::sign_in(&server, &cast.other_unit_user).await,
            ),
            (
                Role::Admin,
                Console::sign_in_as(&server, &admin_name, gridwalk_testkit::PASSWORD).await,
            ),
        ],
    };

    let (status, page) = dispatcher.get("/incidents?state=reported").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let row = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(row["state"], "reported");
    assert_eq!(row["reporter_name"], cast.worker.name.as_str());

    desks.refuse_all_but_allowed(&id).await;
    let (status, v) = head
        .post(
            &format!("/incidents/{id}/actions"),
            action_body("grid_return"),
        )
        .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("note")),
        "a return needs a reason: {v}"
    );
    let d = act(&head, &server, &id, action_body("grid_accept")).await;
    assert_eq!(d["item"]["state"], "grid_accepted");

    desks.refuse_all_but_allowed(&id).await;
    let d = act(&dispatcher, &server, &id, action_body("accept")).await;
    assert_eq!(d["item"]["state"], "accepted");

    desks.refuse_all_but_allowed(&id).await;
    let (status, v) = dispatcher
        .post(&format!("/incidents/{id}/actions"), action_body("route"))
        .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unit_id")),
        "{v}"
    );
    let (status, v) = dispatcher
        .post(
            &format!("/incidents/{id}/actions"),
            with("route", |b| b["unit_id"] = json!("no-such-unit")),
        )
        .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unit_id")),
        "{v}"
    );
    let d = act(
        &dispatcher,
        &server,
        &id,
        with("route", |b| b["unit_id"] = json!(cast.unit_id)),
    )
    .await;
    assert_eq!(d["item"]["state"], "routed");
    assert_eq!(d["item"]["unit_id"], cast.unit_id.as_str());
    assert!(
        d["item"]["deadline"].is_i64(),
        "a routed incident has a deadline: {d}"
    );

    desks.refuse_all_but_allowed(&id).await;
    let d = act(&unit, &server, &id, action_body("sign")).await;
    assert_eq!(d["item"]["state"], "in_progress");

    desks.refuse_all_but_allowed(&id).await;
    act(
        &unit,
        &server,
        &id,
        with("progress", |b| b["note"] = json!("已清理一半")),
    )
    .await;
    let (status, v) = unit
        .post(
            &format!("/incidents/{id}/actions"),
            with("request_delay", |b| b["days"] = json!(0)),
        )
        .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("days")),
        "{v}"
    );
    let d = act(
        &unit,
        &server,
        &id,
        with("request_delay", |b| b["days"] = json!(2)),
    )
    .await;
    assert_eq!(d["item"]["state"], "delay_requested");

    desks.refuse_all_but_allowed(&id).await;
    let d = act(&dispatcher, &server, &id, action_body("grant_delay")).await;
    assert_eq!(d["item"]["state"], "in_progress");

    let (status, v) = unit
        .post(&format!("/incidents/{id}/actions"), action_body("feedback"))
        .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("note")),
        "feedback needs a result: {v}"
    );
    let d = act(
        &unit,
        &server,
        &id,
        with("feedback", |b| b["note"] = json!("杂物已全部清理")),
    )
    .await;
    assert_eq!(d["item"]["state"], "handled");

    // Verification happens on the reporting worker's device; a failure sends it back.
    desks.refuse_all_but_allowed(&id).await;
    on_device(&server, &mut dev, &id, Action::VerifyFail, "仍有杂物").await;
    let (_, d) = dispatcher.get(&format!("/incidents/{id}")).await;
    assert_eq!(
        d["item"]["state"], "in_progress",
        "a failed verification returns it to the unit"
    );
    act(
        &unit,
        &server,
        &id,
        with("feedback", |b| b["note"] = json!("已彻底清理")),
    )
    .await;
    on_device(&server, &mut dev, &id, Action::Verify, "").await;
    let (_, d) = dispatcher.get(&format!("/incidents/{id}")).await;
    assert_eq!(d["item"]["state"], "verified");

    desks.refuse_all_but_allowed(&id).await;
    let d = act(&dispatcher, &server, &id, action_body("close")).await;
    assert_eq!(d["item"]["state"], "closed");

    desks.refuse_all_but_allowed(&id).await;
    let (status, v) = dispatcher
        .post(
            &format!("/incidents/{id}/actions"),
            with("rate", |b| b["rating"] = json!("great")),
        )
        .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("rating")),
        "{v}"
    );
    let (status, v) = dispatcher
        .post(
            &format!("/incidents/{id}/actions"),
            with("rate", |b| {
                b["rating"] = json!("satisfied");
                b["channel"] = json!("resident");
            }),
        )
        .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("channel")),
        "{v}"
    );
    let d = act(
        &dispatcher,
        &server,
        &id,
        with("rate", |b| {
            b["rating"] = json!("satisfied");
            b["channel"] = json!("callback");
        }),
    )
    .await;
    assert_eq!(d["item"]["state"], "rated");
    desks.refuse_all_but_allowed(&id).await;

    let audit = server.storage.audit_rows("console:incident").unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.doc_id.as_deref() == Some(id.as_str()))
            .count(),
        11,
        "every console action is audited"
    );
    // The worker's device receives the whole log.
    dev.sync_all(&server, vec![]).await;
    let held: IncidentDoc = doc::load(&dev.docs[&id].doc, 1).unwrap();
    assert_eq!(machine::effective(&held).state, machine::State::Rated);
}
