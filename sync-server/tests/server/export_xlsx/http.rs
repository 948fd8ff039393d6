//! The dashboard and export routes over HTTP, behind a real console session: the
//! cookie, the CSRF header, the job's progress and the file's headers.

use gridwalk_core::reference::Role;

use super::super::dashboard_oracle::County;
use super::{FROM, TO, read};

/// Sends one request through the session, dashboard and export routes.
async fn send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    csrf: Option<&str>,
    body: Option<serde_json::Value>,
) -> (axum::http::StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use tower::ServiceExt;
    let mut b = axum::http::Request::builder().method(method).uri(uri);
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    if let Some(t) = csrf {
        b = b.header("x-csrf-token", t);
    }
    let req = match body {
        Some(v) => b
            .header("content-type", "application/json")
            .body(axum::body::Body::from(v.to_string())),
        None => b.body(axum::body::Body::empty()),
    }
    .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (parts.status, parts.headers, bytes.to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_and_export_routes_answer_a_signed_in_supervisor_over_http() {
    use axum::http::StatusCode;
    use gridwalk_server::console::{dashboard, export, session};
    let fx = County::load();
    let sup = fx.user(Role::TownshipSupervisor, 0);
    let app = axum::Router::new()
        .merge(session::routes())
        .merge(dashboard::routes())
        .merge(export::routes())
        .with_state(fx.state.clone());
    let login = serde_json::json!({"username": sup.username, "password": gridwalk_server::demo::DEMO_PASSWORD});
    let (st, headers, body) = send(&app, "POST", "/session", None, None, Some(login)).await;
    assert_eq!(st, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let cookie = headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let session: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let csrf = session["csrf_token"].as_str().unwrap().to_string();

    let (st, _, body) = send(
        &app,
        "GET",
        "/dashboard?from=2026-09-01&to=2026-11-27",
        Some(&cookie),
        None,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let d: dashboard::Dashboard = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        Some(&d.area_id),
        sup.area_id.as_ref(),
        "the user's own area by default"
    );
    let (st, _, _) = send(
        &app,
        "GET",
        "/dashboard?from=2026-09-01&to=2026-11-27",
        None,
        None,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "no session, no dashboard");
    let (st, _, body) = send(
        &app,
        "GET",
        "/dashboard?from=x&to=2026-11-27",
        Some(&cookie),
        None,
        None,
    )
    .await;
    assert_eq!(
        st,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&body)
    );

    let ask = serde_json::json!({"kind": "incidents", "from": FROM, "to": TO, "per": "grid"});
    let (st, _, _) = send(
        &app,
        "POST",
        "/exports",
        Some(&cookie),
        None,
        Some(ask.clone()),
    )
    .await;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "a POST without the CSRF token is refused"
    );
    let (st, _, body) = send(
        &app,
        "POST",
        "/exports",
        Some(&cookie),
        Some(&csrf),
        Some(ask),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let id = serde_json::from_slice::<export::ExportCreated>(&body)
        .unwrap()
        .id;
    loop {
        let (st, _, body) = send(
            &app,
            "GET",
            &format!("/exports/{id}"),
            Some(&cookie),
            None,
            None,
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        let s: export::ExportStatus = serde_json::from_slice(&body).unwrap();
        if s.done {
            assert!(s.error.is_none(), "{:?}", s.error);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (st, headers, body) = send(
        &app,
        "GET",
        &format!("/exports/{id}/file"),
        Some(&cookie),
        None,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(headers["content-type"], export::XLSX);
    let cd = headers["content-disposition"].to_str().unwrap();
    assert!(
        cd.starts_with("attachment;") && cd.contains("filename*=UTF-8''"),
        "{cd}"
    );
    assert_eq!(
        read(body)[0][0],
        "事件编号",
        "the file is the incident ledger"
    );
}
