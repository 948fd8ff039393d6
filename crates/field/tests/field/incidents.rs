//! Incidents: 网格自办 on the spot, closed by the grid head and rated on the worker's
//! device with its channel; actions allowed or refused by role and state.

use gridwalk_field::dto::*;

use crate::support::{TestServer, worker_and_head};

fn report(category: &str, result: Option<&str>) -> NewIncidentInput {
    NewIncidentInput {
        category: category.into(),
        urgency: "normal".into(),
        location: "丽阳街88号楼下".into(),
        gps: None,
        parties: "住户".into(),
        description: "楼下垃圾堆积".into(),
        households: Vec::new(),
        self_handled_result: result.map(str::to_string),
    }
}

fn act(id: &str, action: &str, note: &str) -> IncidentActionInput {
    IncidentActionInput {
        incident_id: id.into(),
        action: action.into(),
        note: note.into(),
        fields: Vec::new(),
    }
}

#[tokio::test]
async fn a_grid_self_incident_is_handled_on_the_spot_closed_by_the_grid_head_and_rated_on_the_device()
 {
    let server = TestServer::start().await;
    let (worker, head) = worker_and_head(&server);
    let mut w = server.phone(&worker).await;
    let err = w
        .app
        .report_incident(&report("grid.cleanup", None))
        .expect_err("网格自办 needs its result");
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("required", Some("self_handled_result"))
    );
    let id = w
        .app
        .report_incident(&report("grid.cleanup", Some("已当场清理")))
        .unwrap();
    let d = w.app.incident_detail(&id).unwrap();
    assert_eq!(
        d.incident.state, "handled",
        "the result was recorded on the spot"
    );
    assert_eq!(d.incident.platform, "in_grid");
    let actions: Vec<&str> = d.timeline.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["report", "self_handle"]);
    assert!(
        d.timeline[1]
            .fields
            .iter()
            .any(|f| f.value == "result" && f.label == "已当场清理")
    );
    assert!(
        !d.allowed_actions.contains(&"close".to_string()),
        "the worker does not close it"
    );
    let err = w
        .app
        .incident_act(&act(&id, "close", ""))
        .expect_err("a worker may not close");
    assert_eq!(err.code, "action_not_allowed");
    assert_eq!(w.pending(), 1, "report and self-handle are one action");
    w.sync().await;

    server.advance(60_000);
    let mut h = server.phone(&head).await;
    let d = h.app.incident_detail(&id).unwrap();
    assert!(
        d.allowed_actions.contains(&"close".to_string()),
        "the grid head closes an in-grid incident: {:?}",
        d.allowed_actions
    );
    let d = h.app.incident_act(&act(&id, "close", "")).unwrap();
    assert_eq!(d.incident.state, "closed");
    h.sync().await;
    let (_, inc) = server.read_doc(&h.token(), &id).await;
    assert_eq!(
        inc["state"], "closed",
        "the server holds the closed incident"
    );

    // The resident's rating, recorded on the worker's device on the resident's behalf.
    w.sync().await;
    let field = |k: &str, v: &str| Choice {
        value: k.into(),
        label: v.into(),
    };
    let mut rate = act(&id, "rate", "");
    rate.fields = vec![field("channel", "worker")];
    let err = w
        .app
        .incident_act(&rate)
        .expect_err("a rating needs its level");
    assert_eq!(err.code, "action_not_allowed", "{err:?}");
    assert_eq!(w.pending(), 0, "nothing is saved from a refused rating");
    rate.fields.push(field("level", "satisfied"));
    let d = w.app.incident_act(&rate).unwrap();
    assert_eq!(d.incident.state, "rated");
    let ev = d.timeline.last().unwrap();
    assert_eq!(ev.action, "rate");
    assert!(
        ev.fields
            .iter()
            .any(|f| f.value == "channel" && f.label == "worker"),
        "the channel is recorded with the rating: {:?}",
        ev.fields
    );
    w.sync().await;
    let (_, inc) = server.read_doc(&w.token(), &id).await;
    assert_eq!(inc["state"], "rated", "the rating reached the server");
}

#[tokio::test]
async fn incident_actions_are_offered_and_refused_by_role_and_state() {
    let server = TestServer::start().await;
    let (worker, head) = worker_and_head(&server);
    let mut w = server.phone(&worker).await;
    let id = w
        .app
        .report_incident(&report("enforcement.garbage", None))
        .unwrap();
    let d = w.app.incident_detail(&id).unwrap();
    assert_eq!(d.incident.state, "reported");
    assert!(!d.allowed_actions.contains(&"grid_accept".to_string()));
    let before = w.rows();
    let err = w
        .app
        .incident_act(&act(&id, "grid_accept", ""))
        .expect_err("only the grid head accepts");
    assert_eq!(err.code, "action_not_allowed");
    assert_eq!(w.rows(), before, "a refused action writes nothing");
    let err = w
        .app
        .incident_act(&act(&id, "fly", ""))
        .expect_err("unknown action");
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("invalid_choice", Some("action"))
    );
    let err = w.app.report_incident(&report("grid.cleanup", None)).err();
    assert!(err.is_some(), "a worker's in-grid report needs its result");
    w.sync().await;

    server.advance(60_000);
    let mut h = server.phone(&head).await;
    let d = h.app.incident_detail(&id).unwrap();
    assert!(d.allowed_actions.contains(&"grid_return".to_string()));
    let err = h
        .app
        .incident_act(&act(&id, "grid_return", ""))
        .expect_err("a return needs a reason");
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("action_not_allowed", Some("note"))
    );
    let d = h.app.incident_act(&act(&id, "grid_accept", "")).unwrap();
    assert_eq!(d.incident.state, "grid_accepted");
    assert!(
        !d.allowed_actions.contains(&"grid_accept".to_string()),
        "accepted once"
    );
}
