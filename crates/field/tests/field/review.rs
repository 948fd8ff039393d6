//! The review loop on the device: a grid head returns a worker's visit through the
//! console API; after a sync the worker's app lists it under 需修改 with the reason; the
//! fix is saved offline-capable, resubmits the visit, and reaches the console with its
//! lineage. Others may not fix a record that is not theirs.

use axum::body::Body;
use axum::http::{Request, header};
use gridwalk_field::dto::*;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::*;

/// A console session as a browser holds it: the cookie and the CSRF token.
struct Console {
    cookie: String,
    csrf: String,
}

async fn call(
    server: &TestServer,
    method: &str,
    path: &str,
    c: Option<&Console>,
    body: Option<Value>,
) -> (u16, Value, Option<String>) {
    let mut req = Request::builder()
        .method(method)
        .uri(format!("/api/v1/console{path}"));
    if let Some(c) = c {
        req = req
            .header(header::COOKIE, &c.cookie)
            .header("x-csrf-token", &c.csrf);
    }
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let resp = gridwalk_server::app(server.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let cookie = resp
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_string());
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        cookie,
    )
}

async fn console(server: &TestServer, user_id: &str) -> Console {
    let body = json!({"username": server.usernames[user_id], "password": gridwalk_server::demo::DEMO_PASSWORD});
    let (status, v, cookie) = call(server, "POST", "/session", None, Some(body)).await;
    assert_eq!(status, 200, "the grid head signs in to the console: {v}");
    Console {
        cookie: cookie.expect("the session is a cookie"),
        csrf: v["csrf_token"].as_str().unwrap().to_string(),
    }
}

#[tokio::test]
async fn a_visit_returned_in_the_console_is_fixed_on_the_device_and_comes_back_resubmitted() {
    let server = TestServer::start().await;
    let (worker, head) = worker_and_head(&server);
    let mut phone = server.phone(&worker).await;
    let household = phone.households()[0].id.clone();
    let mut form = visit_form(&household);
    form.note = "上门看望。".into();
    let visit_id = phone.app.save_visit(&form).unwrap().visit_id;
    phone.sync().await;
    server.advance(3_600_000); // the grid head reviews an hour later

    let con = console(&server, &head).await;
    let reason = "未写明见到的人，请补充";
    let (status, v, _) = call(
        &server,
        "POST",
        "/reviews",
        Some(&con),
        Some(json!({"decision": "return", "reason": reason,
            "items": [{"household_id": household, "record_id": visit_id}]})),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["results"][0]["ok"], true, "the return is written: {v}");

    phone.sync().await;
    let returned = phone.app.returned_records().unwrap();
    assert_eq!(
        returned.len(),
        1,
        "the returned visit is listed under 需修改"
    );
    assert_eq!(returned[0].record_id, visit_id);
    assert_eq!(returned[0].reason, reason, "with the supervisor's reason");
    assert!(!returned[0].by.is_empty(), "and who returned it");
    let today = phone.app.today().unwrap();
    assert_eq!(today.returned_count, 1, "今日 counts it for the badge");

    let r = RecordRef {
        record_kind: "visit".into(),
        record_id: visit_id.clone(),
    };
    let view = phone.app.record_detail(&r).unwrap();
    assert_eq!(view.status, "returned");
    assert!(view.can_fix, "the author may fix it");
    assert_eq!(
        view.content.note, "上门看望。",
        "the form starts from the content now"
    );

    server.advance(3_600_000);
    let fixed = phone
        .app
        .fix_visit(&FixVisitInput {
            visit_id: visit_id.clone(),
            note: Some("上门看望，见到户主本人。".into()),
            ..FixVisitInput::default()
        })
        .unwrap();
    assert_eq!(fixed.status, "resubmitted", "a fix resubmits the visit");
    assert!(fixed.pending, "the fix waits to be sent");
    assert_eq!(
        fixed.reason.as_deref(),
        Some(reason),
        "the reason stays visible after the fix"
    );
    assert!(
        phone.app.returned_records().unwrap().is_empty(),
        "a fixed visit leaves 需修改"
    );
    let kinds: Vec<&str> = fixed.lineage.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(kinds, ["submitted", "returned", "fixed"], "the lineage");
    let card = phone.app.household_card(&household).unwrap();
    let row = card.visits.iter().find(|v| v.id == visit_id).unwrap();
    assert_eq!(
        row.review_status, "resubmitted",
        "the card shows 已重新提交"
    );

    phone.sync().await;
    let (status, v, _) = call(
        &server,
        "GET",
        &format!("/reviews/{household}/{visit_id}"),
        Some(&con),
        None,
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v["item"]["status"], "resubmitted",
        "the console sees the fix: {v}"
    );
    let last = v["lineage"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "fixed", "the lineage ends with the fix: {v}");
    assert_eq!(last["note"], "上门看望，见到户主本人。");
}

#[tokio::test]
async fn a_part_time_worker_may_not_fix_another_workers_visit() {
    let server = TestServer::start().await;
    let (worker, _) = worker_and_head(&server);
    let mut phone = server.phone(&worker).await;
    // A part-time worker of a micro-grid of this grid holds its households, and a visit
    // the grid worker made there, but did not write it.
    let households = phone.households();
    let (part_timer, household) = server
        .ds
        .users
        .iter()
        .filter(|u| u.role == gridwalk_core::reference::Role::PartTimeWorker)
        .find_map(|u| {
            households
                .iter()
                .find(|h| h.micro_grid_id.as_deref() == Some(u.area_id.as_str()))
                .map(|h| (u.id.clone(), h.id.clone()))
        })
        .expect("the demo has a part-time worker in a micro-grid of this grid");
    let visit_id = phone
        .app
        .save_visit(&visit_form(&household))
        .unwrap()
        .visit_id;
    phone.sync().await;
    let mut other = server.phone(&part_timer).await;
    let r = RecordRef {
        record_kind: "visit".into(),
        record_id: visit_id.clone(),
    };
    assert!(
        !other.app.record_detail(&r).unwrap().can_fix,
        "the view offers no fix to someone who may not make it"
    );
    let refused = other
        .app
        .fix_visit(&FixVisitInput {
            visit_id: visit_id.clone(),
            note: Some("改一下".into()),
            ..FixVisitInput::default()
        })
        .expect_err("a part-time worker may not fix another worker's visit");
    assert_eq!(refused.code, "not_record_author", "a stable code");
    assert_eq!(other.pending(), 0, "a refused fix writes nothing");
}
