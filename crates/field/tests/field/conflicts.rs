//! A same-field conflict made on two phones, resolved on one, converged on the other.

use gridwalk_core::identity::mask_phone;
use gridwalk_core::reference::Role;
use gridwalk_field::dto::{MemberEditInput, ResolveInput};

use crate::support::{TestServer, worker_and_head};

#[tokio::test]
async fn a_phone_edited_on_two_phones_is_resolved_on_one_and_converges_on_the_other() {
    let server = TestServer::start().await;
    // A grid worker and the grid head over the same grid: both may edit members.
    let (a_id, b_id) = worker_and_head(&server);
    let a_user = server.user(Role::GridWorker, |u| u.id == a_id);
    let b_user = server.user(Role::GridHead, |u| u.id == b_id);
    let mut a = server.phone(&a_user.id).await;
    let mut b = server.phone(&b_user.id).await;
    let card = a.household_with_members(1);
    let person = card.members[0].id.clone();
    let edit = |v: &str| MemberEditInput {
        household_id: card.id.clone(),
        person_id: person.clone(),
        field: "phone".into(),
        value: v.into(),
    };
    server.advance(1_000);
    a.app.edit_member(&edit("13800001111")).unwrap();
    server.advance(1_000);
    b.app.edit_member(&edit("13900002222")).unwrap();
    a.sync().await;
    b.sync().await;
    a.sync().await;

    let conflicts = a.app.conflicts().unwrap();
    let c = conflicts
        .iter()
        .find(|c| c.path == format!("members/{person}/phone"))
        .expect("both phones' values are kept as a conflict");
    assert_eq!(c.household_id.as_deref(), Some(card.id.as_str()));
    assert_eq!(
        (c.field.as_str(), c.subject.as_str()),
        ("phone", card.members[0].name.as_str())
    );
    let values: Vec<&str> = c.values.iter().map(|v| v.value.as_str()).collect();
    assert!(
        values.contains(&"13800001111") && values.contains(&"13900002222"),
        "{values:?}"
    );
    assert!(
        c.values.iter().any(|v| v.by == a_user.name)
            && c.values.iter().any(|v| v.by == b_user.name),
        "each value says who wrote it"
    );
    assert!(c.values.iter().all(|v| v.at > 0), "and when");
    assert_eq!(
        a.app.today().unwrap().conflicts.len(),
        conflicts.len(),
        "今日 lists open conflicts"
    );

    let pick = c
        .values
        .iter()
        .find(|v| v.value == "13900002222")
        .unwrap()
        .hlc
        .clone();
    let bad = a.app.resolve_conflict(&ResolveInput {
        doc_id: card.id.clone(),
        path: c.path.clone(),
        pick: "nope".into(),
    });
    assert_eq!(bad.unwrap_err().code, "no_such_conflict_value");
    server.advance(1_000);
    a.app
        .resolve_conflict(&ResolveInput {
            doc_id: card.id.clone(),
            path: c.path.clone(),
            pick,
        })
        .unwrap();
    assert!(
        a.app.conflicts().unwrap().iter().all(|x| x.path != c.path),
        "resolved on A"
    );
    a.sync().await;
    b.sync().await;
    assert!(
        b.app.conflicts().unwrap().iter().all(|x| x.path != c.path),
        "the pick converged on B"
    );
    let shown = b.app.household_card(&card.id).unwrap();
    let m = shown.members.iter().find(|m| m.id == person).unwrap();
    assert_eq!(
        m.phone_masked.as_deref(),
        Some(mask_phone("13900002222").as_str()),
        "B shows the picked value"
    );
}
