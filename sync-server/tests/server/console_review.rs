//! The review loop through the console: approve, return with a reason, the return reaching
//! the worker's device, the fix coming back as resubmitted, lineage, concurrency, batches.

use std::time::Instant;

use axum::http::StatusCode;
use gridwalk_core::doc::edit::{self, Edit};
use gridwalk_core::doc::review::{self, RecordKind, ReviewStatus};
use gridwalk_core::reference::Role;
use gridwalk_datagen::model::User;
use serde_json::{Value, json};

use crate::console_support::Console;
use crate::support::{Device, Server, household_in, push_since};

/// A grid worker, the grid head over the worker's grid, and a household of that grid.
pub(crate) fn cast(server: &Server) -> (User, User, String) {
    let worker = server.user_where(Role::GridWorker, |_| true);
    let village = server
        .ds
        .areas
        .iter()
        .find(|a| a.id == worker.area_id)
        .and_then(|g| g.parent_id.clone())
        .unwrap();
    let head = server.user_where(Role::GridHead, |u| u.area_id == village);
    let hh = household_in(&server.ds, &worker.area_id);
    (worker, head, hh)
}

/// Records a visit on the device and syncs it; returns the visit id.
pub(crate) async fn new_visit(server: &Server, dev: &mut Device, hh: &str) -> String {
    let before: Vec<String> = dev.household(hh).visits.keys().cloned().collect();
    let push = dev.visit(hh, server.now());
    dev.sync_all(server, vec![push]).await;
    dev.household(hh)
        .visits
        .keys()
        .find(|k| !before.contains(k))
        .unwrap()
        .clone()
}

/// Rewrites a visit's note on the device (a fix) and returns the push.
fn fix(
    server: &Server,
    dev: &mut Device,
    hh: &str,
    visit: &str,
    note: &str,
) -> gridwalk_core::protocol::PushDoc {
    let ctx = dev.ctx(server.now());
    let mut content = dev.household(hh).visits[visit].current().unwrap().clone();
    content.note = note.into();
    let actor = dev.actor.clone();
    let held = dev.docs.get_mut(hh).unwrap();
    held.doc.set_actor(actor);
    let heads = held.doc.get_heads();
    edit::apply_edit(
        &mut held.doc,
        &ctx,
        Edit::VisitContent(visit.into(), content),
    )
    .unwrap();
    push_since(hh, held, &heads)
}

async fn decide(
    c: &Console<'_>,
    decision: &str,
    reason: Option<&str>,
    items: &[(&str, &str)],
) -> (StatusCode, Value) {
    let items: Vec<Value> = items
        .iter()
        .map(|(h, r)| json!({"household_id": h, "record_id": r}))
        .collect();
    c.post(
        "/reviews",
        json!({"decision": decision, "reason": reason, "items": items}),
    )
    .await
}

async fn detail(c: &Console<'_>, hh: &str, visit: &str) -> Value {
    let (status, v) = c.get(&format!("/reviews/{hh}/{visit}")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

fn lineage_kinds(d: &Value) -> Vec<String> {
    d["lineage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn return_reaches_the_device_and_the_fix_comes_back_resubmitted_then_approved() {
    let server = Server::new();
    let (worker, head, hh) = cast(&server);
    let mut dev = server.device(&worker.id).await;
    dev.sync_all(&server, vec![]).await;
    let visit = new_visit(&server, &mut dev, &hh).await;
    let c = Console::sign_in(&server, &head).await;

    let (status, page) = c.get("/reviews?status=unreviewed&limit=500").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["record_id"] == visit.as_str()),
        "the new visit waits in the head's queue"
    );

    let (status, v) = decide(&c, "return", Some("  "), &[(&hh, &visit)]).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a return needs a reason: {v}"
    );
    assert_eq!(
        (v["code"].as_str(), v["field"].as_str()),
        (Some("required"), Some("reason"))
    );

    server.advance(60_000);
    let (status, v) = decide(&c, "return", Some("未写明服务内容"), &[(&hh, &visit)]).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["results"][0]["ok"], true, "{v}");
    assert_eq!(detail(&c, &hh, &visit).await["item"]["status"], "returned");
    let audit = server.storage.audit_rows("console:review").unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.user_id.as_deref() == Some(head.id.as_str())
                && a.doc_id.as_deref() == Some(hh.as_str())),
        "the review is audited with the reviewer"
    );

    // The worker's device receives the return on its next sync, with the reason.
    dev.sync_all(&server, vec![]).await;
    match review::status(&dev.household(&hh), RecordKind::Visit, &visit) {
        Some(ReviewStatus::Returned {
            reason, reviewer, ..
        }) => {
            assert_eq!(reason, "未写明服务内容");
            assert_eq!(
                reviewer, head.id,
                "the reviewer is recorded, not the server"
            );
        }
        other => panic!("the device sees the return, got {other:?}"),
    }

    server.advance(60_000);
    let push = fix(&server, &mut dev, &hh, &visit, "已补充：协助预约体检");
    dev.sync_all(&server, vec![push]).await;
    let d = detail(&c, &hh, &visit).await;
    assert_eq!(d["item"]["status"], "resubmitted");
    assert_eq!(d["item"]["fixes"], 1);
    let (_, page) = c.get("/reviews?status=unreviewed&limit=500").await;
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["record_id"] == visit.as_str()),
        "the unreviewed filter includes resubmitted records"
    );

    server.advance(60_000);
    let (status, v) = decide(&c, "approve", None, &[(&hh, &visit)]).await;
    assert_eq!(
        (status, v["results"][0]["ok"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{v}"
    );
    let d = detail(&c, &hh, &visit).await;
    assert_eq!(d["item"]["status"], "approved");
    assert_eq!(
        lineage_kinds(&d),
        ["submitted", "returned", "fixed", "approved"],
        "the lineage keeps every step: {d}"
    );
    assert_eq!(d["lineage"][1]["reason"], "未写明服务内容");
    assert_eq!(d["lineage"][2]["note"], "已补充：协助预约体检");
    assert_eq!(d["lineage"][3]["by_name"], head.name.as_str());
}

#[tokio::test]
async fn a_fix_concurrent_with_a_second_review_keeps_both() {
    let server = Server::new();
    let (worker, head, hh) = cast(&server);
    let mut dev = server.device(&worker.id).await;
    dev.sync_all(&server, vec![]).await;
    let visit = new_visit(&server, &mut dev, &hh).await;
    let c = Console::sign_in(&server, &head).await;
    server.advance(1_000);
    decide(&c, "return", Some("照片不清楚"), &[(&hh, &visit)]).await;
    dev.sync_all(&server, vec![]).await;

    // The worker fixes offline; meanwhile the head approves the old content.
    server.advance(1_000);
    let push = fix(&server, &mut dev, &hh, &visit, "重新核实");
    server.advance(1_000);
    let (_, v) = decide(&c, "approve", None, &[(&hh, &visit)]).await;
    assert_eq!(v["results"][0]["ok"], true, "{v}");
    dev.sync_all(&server, vec![push]).await;

    let d = detail(&c, &hh, &visit).await;
    assert_eq!(
        d["item"]["status"], "resubmitted",
        "the approval did not see the fix, so the fix waits for a review"
    );
    let kinds = lineage_kinds(&d);
    assert!(
        kinds.contains(&"fixed".to_string()) && kinds.contains(&"approved".to_string()),
        "both concurrent writes survive: {kinds:?}"
    );
    assert_eq!(
        review::status(&dev.household(&hh), RecordKind::Visit, &visit),
        Some(ReviewStatus::Resubmitted),
        "the device agrees once it has both"
    );
}

#[tokio::test]
async fn a_batch_of_a_hundred_and_more_is_approved_in_one_request_and_bad_items_fail_alone() {
    let server = Server::new();
    let sup = server.user_where(Role::TownshipSupervisor, |_| true);
    let c = Console::sign_in(&server, &sup).await;
    // Workers record more visits until the queue holds well over a hundred.
    let (worker, _, _) = cast(&server);
    let mut dev = server.device(&worker.id).await;
    dev.sync_all(&server, vec![]).await;
    let held: Vec<String> = server
        .ds
        .households
        .iter()
        .filter(|h| h.grid_id == worker.area_id)
        .map(|h| h.id.clone())
        .collect();
    loop {
        let (_, page) = c.get("/reviews?status=unreviewed&limit=1").await;
        if page["total"].as_u64().unwrap() >= 130 {
            break;
        }
        let push = held.iter().map(|h| dev.visit(h, server.now())).collect();
        dev.sync_all(&server, push).await;
        server.advance(1_000);
    }
    let (status, page) = c.get("/reviews?status=unreviewed&limit=500").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let items: Vec<(String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["household_id"].as_str().unwrap().to_string(),
                i["record_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        items.len() >= 100,
        "enough records for a batch: {}",
        items.len()
    );
    let mut keys: Vec<(&str, &str)> = items
        .iter()
        .map(|(h, r)| (h.as_str(), r.as_str()))
        .collect();
    keys.push(("no-such-household", "no-such-record"));
    let t = Instant::now();
    let (status, v) = decide(&c, "approve", None, &keys).await;
    let took = t.elapsed();
    eprintln!("batch approve of {} records took {took:?}", items.len());
    assert_eq!(status, StatusCode::OK, "{v}");
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), keys.len());
    assert!(
        results[..items.len()].iter().all(|r| r["ok"] == true),
        "every real record is approved"
    );
    assert_eq!(results[items.len()]["ok"], false);
    assert_eq!(
        results[items.len()]["error"]["code"],
        "not_found",
        "the bad item fails alone"
    );
    assert!(took.as_secs() < 20, "a batch is quick: {took:?}");

    let (_, page) = c.get("/reviews?status=approved&limit=1").await;
    assert_eq!(
        page["total"].as_u64().unwrap() as usize,
        items.len(),
        "all approved"
    );
    let (_, page) = c.get("/reviews?status=unreviewed").await;
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn roles_that_do_not_review_are_refused_and_a_head_sees_only_its_area() {
    let server = Server::new();
    for role in [Role::Dispatcher, Role::HandlingUnit] {
        let u = server.user_where(role, |_| true);
        let c = Console::sign_in(&server, &u).await;
        let (status, v) = c.get("/reviews").await;
        assert_eq!(
            (status, v["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("role_not_allowed")),
            "{role:?}"
        );
    }
    let (_, head, _) = cast(&server);
    let c = Console::sign_in(&server, &head).await;
    let grids: Vec<String> = server
        .ds
        .areas
        .iter()
        .filter(|a| a.parent_id.as_deref() == Some(head.area_id.as_str()))
        .map(|a| a.id.clone())
        .collect();
    let (_, page) = c.get("/reviews?limit=500").await;
    assert!(page["total"].as_u64().unwrap() > 0);
    for i in page["items"].as_array().unwrap() {
        assert!(
            grids.contains(&i["grid_id"].as_str().unwrap().to_string()),
            "outside the head's area: {i}"
        );
    }
    let other = server
        .ds
        .households
        .iter()
        .find(|h| !grids.contains(&h.grid_id))
        .unwrap();
    let (_, v) = decide(&c, "approve", None, &[(&other.id, "x")]).await;
    assert_eq!(
        v["results"][0]["error"]["code"], "not_found",
        "another area's household is not reviewable"
    );
}

/// Measures the queue over the standard set (3,000 households, 30,000 visits): run by
/// hand with `cargo test -p gridwalk-server --release --test server queue_over -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement: loads the standard set"]
fn queue_over_three_thousand_households_is_measured() {
    use gridwalk_server::console::{dto::ReviewQuery, reviews, session::ConsoleUser};
    use gridwalk_server::storage::{ConsoleSessionRow, Storage, sqlite::SqliteStorage};
    use std::sync::Arc;

    let dir = tempfile::tempdir().unwrap();
    let storage: Arc<dyn Storage> = Arc::new(SqliteStorage::open(dir.path().join("s.db")).unwrap());
    // `GW_QUEUE_PRESET=small` measures a tenth of it, where a debug build is too slow.
    let preset = std::env::var("GW_QUEUE_PRESET").unwrap_or_else(|_| "standard".into());
    let preset = gridwalk_datagen::Preset::from_name(&preset).expect("a datagen preset");
    let t = Instant::now();
    let ds = gridwalk_datagen::generate(&gridwalk_datagen::Config::preset(preset)).unwrap();
    eprintln!(
        "generated {} households in {:?}",
        ds.households.len(),
        t.elapsed()
    );
    let now = 1_795_000_000_000;
    gridwalk_server::demo::load(storage.as_ref(), &ds, now).unwrap();
    eprintln!("loaded after {:?}", t.elapsed());
    let state = gridwalk_server::AppState::new(
        storage.clone(),
        gridwalk_server::state::Limits::default(),
        Arc::new(move || now),
    )
    .unwrap();
    let head = ds.users.iter().find(|u| u.role == Role::GridHead).unwrap();
    let cu = ConsoleUser {
        user: storage.user(&head.id).unwrap().unwrap(),
        session: Some(ConsoleSessionRow {
            token_sha256: String::new(),
            user_id: head.id.clone(),
            csrf_token: String::new(),
            created_at: now,
            expires_at: now + 1,
        }),
        device_id: None,
    };
    let q = ReviewQuery {
        status: Some(gridwalk_server::console::dto::ReviewFilter::Unreviewed),
        limit: Some(50),
        ..ReviewQuery::default()
    };
    for round in ["first (builds the cache)", "second (cached)"] {
        let t = Instant::now();
        let page = reviews::page(&state, &cu, &q).unwrap();
        eprintln!(
            "queue {round}: {} matching records in {:?}",
            page.total,
            t.elapsed()
        );
    }
}
