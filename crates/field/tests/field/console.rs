//! The supervisor views inside the app, against a real server: a grid head's app reaches
//! the console API with its device token (the token never leaves Rust), returns a
//! worker's visit there, and saves an export; workers may not; requests that are not the
//! console's are refused before they leave the device; offline is `unreachable`.

use gridwalk_field::app::console::{call, save_export};
use gridwalk_field::dto::*;
use serde_json::{Value, json};

use crate::support::*;

fn get(path: &str) -> ConsoleRequest {
    ConsoleRequest {
        method: "GET".into(),
        path: path.into(),
        body: None,
    }
}

fn post(path: &str, body: Value) -> ConsoleRequest {
    ConsoleRequest {
        method: "POST".into(),
        path: path.into(),
        body: Some(body.to_string()),
    }
}

fn json_of(r: &ConsoleReply) -> Value {
    serde_json::from_str(&r.body).expect("the console API answers JSON")
}

#[tokio::test]
async fn a_grid_head_returns_a_visit_from_the_app_and_the_worker_receives_it() {
    let server = TestServer::start().await;
    let (worker, head) = worker_and_head(&server);
    let mut phone = server.phone(&worker).await;
    let household = phone.households()[0].id.clone();
    let visit_id = phone
        .app
        .save_visit(&visit_form(&household))
        .unwrap()
        .visit_id;
    phone.sync().await;

    let head_phone = server.phone(&head).await;
    let link = head_phone
        .app
        .console_link()
        .expect("a grid head has the supervisor views");
    let who = call(&link, &get("/session")).await.unwrap();
    assert_eq!(who.status, 200, "{}", who.body);
    assert_eq!(
        json_of(&who)["user"]["id"],
        head.as_str(),
        "the app's own user"
    );

    let page = call(&link, &get("/reviews?status=unreviewed&limit=500"))
        .await
        .unwrap();
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        json_of(&page)["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["record_id"] == visit_id.as_str()),
        "the worker's visit waits in the head's queue inside the app"
    );
    let reason = "请写明见到的人";
    let body = json!({"decision": "return", "reason": reason,
        "items": [{"household_id": household, "record_id": visit_id}]});
    let r = call(&link, &post("/reviews", body)).await.unwrap();
    assert_eq!(
        r.status, 200,
        "no cookie or CSRF token is needed: {}",
        r.body
    );
    assert_eq!(json_of(&r)["results"][0]["ok"], true, "{}", r.body);

    phone.sync().await;
    let returned = phone.app.returned_records().unwrap();
    assert_eq!(
        returned.len(),
        1,
        "the return made in the app reaches the worker"
    );
    assert_eq!(returned[0].reason, reason);

    let refused = call(
        &link,
        &post(
            "/reviews",
            json!({"decision": "return", "reason": "",
        "items": [{"household_id": household, "record_id": visit_id}]}),
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        refused.status, 400,
        "the server's refusal comes back as it is"
    );
    assert_eq!(json_of(&refused)["field"], "reason", "{}", refused.body);
}

#[tokio::test]
async fn a_township_supervisor_saves_an_export_file_from_the_app() {
    let server = TestServer::start().await;
    let sup = server.user(gridwalk_core::reference::Role::TownshipSupervisor, |_| true);
    let phone = server.phone(&sup.id).await;
    let link = phone.app.console_link().unwrap();
    let body = json!({"kind": "visits", "from": "2026-01-01", "to": "2026-12-31"});
    let created = call(&link, &post("/exports", body)).await.unwrap();
    assert_eq!(created.status, 200, "{}", created.body);
    let id = json_of(&created)["id"].as_str().unwrap().to_string();
    let mut status = Value::Null;
    for _ in 0..600 {
        let s = call(&link, &get(&format!("/exports/{id}"))).await.unwrap();
        status = json_of(&s);
        if status["done"] == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status["done"], true, "the export finishes: {status}");
    assert!(status["error"].is_null(), "{status}");

    let dir = tempfile::tempdir().unwrap();
    let input = SaveExportInput {
        export_id: id.clone(),
        file_name: status["file_name"].as_str().unwrap().to_string(),
    };
    let saved = save_export(&link, &input, dir.path()).await.unwrap();
    let bytes = std::fs::read(&saved.path).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an .xlsx is a zip file");
    assert_eq!(saved.bytes as usize, bytes.len());
    assert!(
        saved.path.ends_with(".xlsx") && saved.path.starts_with(&*dir.path().to_string_lossy())
    );
    let again = save_export(&link, &input, dir.path()).await.unwrap();
    assert_ne!(
        again.path, saved.path,
        "a second save does not overwrite the first"
    );

    let e = save_export(
        &link,
        &SaveExportInput {
            export_id: "no-such-export".into(),
            file_name: "x.xlsx".into(),
        },
        dir.path(),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, "not_found", "the server's code: {e:?}");
    let e = save_export(
        &link,
        &SaveExportInput {
            export_id: "../../sync".into(),
            file_name: "x.xlsx".into(),
        },
        dir.path(),
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("export_id"), "{e:?}");
}

#[tokio::test]
async fn a_grid_worker_has_no_supervisor_views_and_offline_is_unreachable() {
    let mut server = TestServer::start().await;
    let (worker, head) = worker_and_head(&server);
    let phone = server.phone(&worker).await;
    let e = phone.app.console_link().unwrap_err();
    assert_eq!(e.code, "role_not_allowed");
    assert!(!e.message_zh.is_empty() && !e.message_en.is_empty());

    let head_phone = server.phone(&head).await;
    let link = head_phone.app.console_link().unwrap();
    let e = call(&link, &get("/../login")).await.unwrap_err();
    assert_eq!(
        e.code, "invalid_console_request",
        "checked before it is sent"
    );
    server.stop().await;
    let e = call(&link, &get("/reviews")).await.unwrap_err();
    assert_eq!(e.code, "unreachable", "{e:?}");
}
