//! Visits: saved offline and sent later, every field arriving as typed, and a need that
//! becomes an incident with one tap.

use gridwalk_core::reference::Role;
use gridwalk_field::dto::*;

use crate::support::{TestServer, visit_form};

#[tokio::test]
async fn a_visit_saved_while_the_server_is_down_waits_in_the_outbox_and_arrives_whole_at_the_next_sync()
 {
    let mut server = TestServer::start().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.phone(&worker.id).await;
    let card = p.household_with_members(1);
    let person = card.members[0].id.clone();
    server.stop().await;
    server.advance(60_000);

    let mut form = visit_form(&card.id);
    form.kind = "campaign".into();
    form.campaign = Some("gas".into());
    form.persons_met = vec![person.clone()];
    form.observations = vec![ObservationInput {
        kind: "new_tenant".into(),
        person_id: None,
        note: "新租户入住".into(),
    }];
    form.needs = vec![
        NeedInput {
            text: "想了解燃气报警器安装".into(),
            outcome: "noted".into(),
            category: None,
        },
        NeedInput {
            text: "代办老年证".into(),
            outcome: "proxy".into(),
            category: None,
        },
    ];
    form.service = "检查燃气软管".into();
    form.follow_up = Some("2026-12-15".into());
    form.gps = Some(GpsInput {
        lat: 28.45,
        lng: 119.92,
        accuracy_m: Some(8.0),
    });
    form.note = "民情日记：老人身体好。".into();
    let saved = p.app.save_visit(&form).unwrap();
    assert!(saved.gps_recorded && saved.incident_ids.is_empty());

    let st = p
        .app
        .sync_now(|_| {})
        .await
        .expect("offline is a status, not a failure");
    assert!(!st.online, "the server was down");
    assert_eq!(
        st.last_error.as_ref().map(|e| e.code.as_str()),
        Some("unreachable")
    );
    assert_eq!(st.pending_actions, 1, "the visit waits in the outbox");
    let shown = p.app.household_card(&card.id).unwrap();
    assert!(
        shown
            .visits
            .iter()
            .any(|v| v.id == saved.visit_id && v.pending),
        "the card marks it unsent"
    );

    server.restart().await;
    let mut events = Vec::new();
    let st = p.app.sync_now(|e| events.push(e.phase)).await.unwrap();
    assert!(st.online && st.last_error.is_none() && st.last_success_at.is_some());
    assert_eq!(st.pending_actions, 0, "the server acknowledged the visit");
    assert!(
        st.last_bytes_up > 0 && st.last_bytes_down > 0,
        "the bytes of the sync are kept"
    );
    assert!(
        events.contains(&"push".to_string()) && events.last().map(String::as_str) == Some("done")
    );
    let shown = p.app.household_card(&card.id).unwrap();
    assert!(
        !shown
            .visits
            .iter()
            .find(|v| v.id == saved.visit_id)
            .unwrap()
            .pending
    );

    let (status, doc) = server.read_doc(&p.token(), &card.id).await;
    assert_eq!(status, 200, "{doc}");
    let v = &doc["doc"]["visits"][&saved.visit_id];
    let c = &v["content"];
    assert_eq!(c["mode"], "in_person");
    assert_eq!(c["kind"], "campaign");
    assert_eq!(c["campaign"], "gas");
    assert_eq!(c["persons_met"], serde_json::json!([person]));
    assert_eq!(c["service"], "检查燃气软管");
    assert_eq!(c["follow_up"], "2026-12-15");
    assert_eq!(c["note"], "民情日记：老人身体好。");
    assert_eq!(v["visitor_user"], worker.id.as_str());
    assert_eq!(v["gps"]["lat"], 28.45);
    let needs: Vec<(String, String)> = v["needs"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| {
            (
                n["text"].as_str().unwrap().to_string(),
                n["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        needs.contains(&("代办老年证".into(), "proxy".into())),
        "a 代办 need arrives as proxy: {needs:?}"
    );
    assert_eq!(needs.len(), 2);
    let obs: Vec<&serde_json::Value> = v["observations"].as_object().unwrap().values().collect();
    assert_eq!(
        (obs[0]["kind"].as_str(), obs[0]["note"].as_str()),
        (Some("new_tenant"), Some("新租户入住"))
    );
}

#[tokio::test]
async fn a_need_marked_incident_becomes_a_reported_incident_linked_to_the_household() {
    let server = TestServer::start().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.phone(&worker.id).await;
    let card = p.household_with_members(1);
    let mut form = visit_form(&card.id);
    form.needs = vec![NeedInput {
        text: "楼道垃圾堆放多日".into(),
        outcome: "incident".into(),
        category: Some("enforcement.garbage".into()),
    }];
    let saved = p.app.save_visit(&form).unwrap();
    assert!(!saved.gps_recorded, "no GPS was given");
    assert_eq!(saved.incident_ids.len(), 1, "one tap made one incident");
    let iid = saved.incident_ids[0].clone();
    let detail = p.app.incident_detail(&iid).unwrap();
    assert_eq!(detail.incident.state, "reported");
    assert_eq!(
        detail.incident.platform, "law_enforcement",
        "the platform comes from the category tree"
    );
    assert_eq!(
        detail
            .households
            .iter()
            .map(|h| h.value.as_str())
            .collect::<Vec<_>>(),
        vec![card.id.as_str()]
    );
    assert_eq!(
        p.pending(),
        2,
        "the incident and the visit are two actions, both pending"
    );
    p.sync().await;
    let (status, inc) = server.read_doc(&p.token(), &iid).await;
    assert_eq!(status, 200, "{inc}");
    assert_eq!(inc["state"], "reported");
    assert_eq!(inc["doc"]["description"], "楼道垃圾堆放多日");
    assert_eq!(
        inc["doc"]["source"], "visit",
        "enum values read as their codes"
    );
    let (_, hh) = server.read_doc(&p.token(), &card.id).await;
    let need = hh["doc"]["visits"][&saved.visit_id]["needs"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .clone();
    assert_eq!(
        need["incident_id"],
        iid.as_str(),
        "the need records the incident it became"
    );
    assert_eq!(need["outcome"], "incident");
}
