//! Bad input is refused with its code and the form field, and leaves nothing behind.

use gridwalk_core::reference::Role;
use gridwalk_field::dto::*;

use crate::support::{Phone, TestServer, visit_form};

fn refused(
    _p: &mut Phone,
    what: &str,
    r: Result<impl std::fmt::Debug, AppError>,
    code: &str,
    field: Option<&str>,
) {
    let e = r.expect_err(what);
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        (code, field),
        "{what}: {e:?}"
    );
    assert!(
        !e.message_zh.is_empty() && !e.message_en.is_empty(),
        "{what} explains itself"
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_its_code_and_field_and_nothing_is_half_saved() {
    let server = TestServer::start().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.phone(&worker.id).await;
    let card = p.household_with_members(1);
    let person = card.members[0].id.clone();
    let pending = p.pending();
    let rows = p.rows();
    let incidents = p.app.incidents().unwrap().len();

    let edit = |field: &str, value: &str| MemberEditInput {
        household_id: card.id.clone(),
        person_id: person.clone(),
        field: field.into(),
        value: value.into(),
    };
    let r = p.app.edit_member(&edit("name", "  "));
    refused(&mut p, "an empty name", r, "required", Some("name"));
    let r = p.app.edit_member(&edit("phone", "12345"));
    refused(
        &mut p,
        "a malformed phone",
        r,
        "invalid_phone",
        Some("phone"),
    );
    let r = p.app.edit_member(&edit("phone", "0578-12"));
    refused(
        &mut p,
        "a landline too short",
        r,
        "invalid_phone",
        Some("phone"),
    );

    let mut long = visit_form(&card.id);
    long.note = "字".repeat(4001);
    long.needs = vec![NeedInput {
        text: "路灯坏了".into(),
        outcome: "incident".into(),
        category: None,
    }];
    let r = p.app.save_visit(&long);
    refused(
        &mut p,
        "an over-long note (with a need that would become an incident)",
        r,
        "too_long",
        Some("note"),
    );
    let mut bad_date = visit_form(&card.id);
    bad_date.follow_up = Some("2026-13-45".into());
    let r = p.app.save_visit(&bad_date);
    refused(
        &mut p,
        "an impossible follow-up date",
        r,
        "invalid_date",
        Some("follow_up"),
    );
    let mut stranger = visit_form(&card.id);
    stranger.persons_met = vec!["someone-else".into()];
    let r = p.app.save_visit(&stranger);
    refused(
        &mut p,
        "a person met who is not a member",
        r,
        "not_a_member",
        Some("persons_met"),
    );
    let mut mode = visit_form(&card.id);
    mode.mode = "teleport".into();
    let r = p.app.save_visit(&mode);
    refused(&mut p, "an unknown mode", r, "invalid_choice", Some("mode"));
    let mut campaign = visit_form(&card.id);
    campaign.kind = "campaign".into();
    let r = p.app.save_visit(&campaign);
    refused(
        &mut p,
        "a campaign visit without its campaign",
        r,
        "required",
        Some("campaign"),
    );
    let mut gps = visit_form(&card.id);
    gps.gps = Some(GpsInput {
        lat: 128.0,
        lng: 0.0,
        accuracy_m: None,
    });
    let r = p.app.save_visit(&gps);
    refused(
        &mut p,
        "a GPS fix off the globe",
        r,
        "invalid_choice",
        Some("gps"),
    );

    let blank = NewIncidentInput {
        category: "enforcement.garbage".into(),
        urgency: "normal".into(),
        location: String::new(),
        gps: None,
        parties: String::new(),
        description: " ".into(),
        households: vec![card.id.clone()],
        self_handled_result: None,
    };
    let r = p.app.report_incident(&blank);
    refused(
        &mut p,
        "an incident without a description",
        r,
        "required",
        Some("description"),
    );
    let inner = NewIncidentInput {
        category: "safety".into(),
        description: "x".into(),
        ..blank.clone()
    };
    let r = p.app.report_incident(&inner);
    refused(
        &mut p,
        "a category that is not a leaf",
        r,
        "invalid_category",
        Some("category"),
    );
    let urgency = NewIncidentInput {
        urgency: "whenever".into(),
        description: "x".into(),
        ..blank
    };
    let r = p.app.report_incident(&urgency);
    refused(
        &mut p,
        "an unknown urgency",
        r,
        "invalid_choice",
        Some("urgency"),
    );

    assert_eq!(p.pending(), pending, "no refusal left an outbox entry");
    assert_eq!(p.rows(), rows, "no refusal changed a row");
    assert_eq!(
        p.app.incidents().unwrap().len(),
        incidents,
        "no incident was half-made from a refused visit"
    );

    // The store's cached document was discarded: the next good write is clean.
    p.app.edit_member(&edit("phone", "13812345678")).unwrap();
    assert_eq!(p.pending(), pending + 1);
}
