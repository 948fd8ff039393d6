//! Member input the app refuses: each bad field with its code and form field and nothing
//! saved, and roles that may not add members at all.

use gridwalk_core::reference::Role;
use gridwalk_field::dto::*;

use crate::members::{form, household_with_private, with_id};
use crate::support::TestServer;

#[tokio::test]
async fn other_bad_member_input_is_refused_with_its_code_and_field() {
    let server = TestServer::start().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.phone(&worker.id).await;
    let hid = household_with_private(&mut p);
    let card = p.app.household_card(&hid).unwrap();
    let pending = p.pending();
    let rows = p.rows();
    let valid = with_id(&hid, "resident_id", "331102199003071231");
    let cases: Vec<(&str, NewMemberInput, &str, &str)> = vec![
        (
            "a malformed phone",
            NewMemberInput {
                phone: Some("12345".into()),
                ..valid.clone()
            },
            "invalid_phone",
            "phone",
        ),
        (
            "a landline without enough digits",
            NewMemberInput {
                phone: Some("0578-12".into()),
                ..valid.clone()
            },
            "invalid_phone",
            "phone",
        ),
        (
            "an empty name",
            NewMemberInput {
                name: "   ".into(),
                ..valid.clone()
            },
            "required",
            "name",
        ),
        (
            "a name over 50 characters",
            NewMemberInput {
                name: "名".repeat(51),
                ..valid.clone()
            },
            "too_long",
            "name",
        ),
        (
            "an unknown relation",
            NewMemberInput {
                relation: "cousin".into(),
                ..valid.clone()
            },
            "invalid_choice",
            "relation",
        ),
        (
            "an unknown document type",
            NewMemberInput {
                id_kind: Some("driving_licence".into()),
                ..valid.clone()
            },
            "invalid_choice",
            "id_kind",
        ),
        (
            "a number without its document type",
            NewMemberInput {
                id_kind: None,
                ..valid.clone()
            },
            "required",
            "id_kind",
        ),
        (
            "a birth year before 1900",
            NewMemberInput {
                birth_year: Some(1899),
                ..valid.clone()
            },
            "invalid_birth_year",
            "birth_year",
        ),
        (
            "a birth year in the future",
            NewMemberInput {
                birth_year: Some(2027),
                ..valid.clone()
            },
            "invalid_birth_year",
            "birth_year",
        ),
    ];
    for (what, input, code, field) in cases {
        let e = p.app.add_member(&input).expect_err(what);
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            (code, Some(field)),
            "{what}: {e:?}"
        );
        assert!(
            !e.message_zh.is_empty() && !e.message_en.is_empty(),
            "{what} explains itself"
        );
    }
    assert_eq!(p.pending(), pending, "no action was queued");
    assert_eq!(p.rows(), rows, "no row changed");
    assert_eq!(p.app.household_card(&hid).unwrap(), card);

    let e = p
        .app
        .add_member(&form("no-such-household"))
        .expect_err("an unknown household");
    assert_eq!(e.code, "household_not_found");
}

#[tokio::test]
async fn only_grid_workers_and_grid_heads_add_members() {
    let server = TestServer::start().await;
    let pt = server.user(Role::PartTimeWorker, |_| true);
    let mut p = server.phone(&pt.id).await;
    let hid = p
        .households()
        .first()
        .map(|h| h.id.clone())
        .unwrap_or_default();
    let pending = p.pending();
    let e = p
        .app
        .add_member(&with_id(&hid, "resident_id", "331102199003071231"))
        .expect_err("a part-time worker may not add members");
    assert_eq!(e.code, "role_not_allowed");
    assert_eq!(p.pending(), pending);
}
