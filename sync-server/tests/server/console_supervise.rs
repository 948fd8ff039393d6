//! 督办 raised by hand from the console, and an unknown action refused as a bad request
//! naming the field.

use axum::http::StatusCode;
use serde_json::json;

use crate::console_dispatch::{act, action_body, cast, report, with};
use crate::console_support::Console;
use crate::support::Server;

#[tokio::test]
async fn a_supervisor_raises_supervision_and_unknown_actions_are_bad_requests() {
    let server = Server::new();
    let cast = cast(&server);
    let mut dev = server.device(&cast.worker.id).await;
    dev.sync_all(&server, vec![]).await;
    let id = report(&server, &mut dev, &cast).await;
    let sup = Console::sign_in(&server, &cast.supervisor).await;
    let (status, v) = sup
        .post(&format!("/incidents/{id}/actions"), action_body("fly"))
        .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("action")),
        "{v}"
    );
    let d = act(
        &sup,
        &server,
        &id,
        with("supervise", |b| b["note"] = json!("请加快处理")),
    )
    .await;
    assert_eq!(d["item"]["manual_supervision"], true);
    let (_, page) = sup.get("/incidents").await;
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id.as_str() && i["manual_supervision"] == true)
    );
}
