//! Adding a household member: the identity number is checked for its document type, shown
//! masked on the card, and held in full only by the household's private document (created
//! when the household has none). Bad input is refused with its code and form field, and
//! nothing is half-saved.

use gridwalk_core::doc::{DocKind, private_doc_id};
use gridwalk_core::reference::Role;
use gridwalk_field::dto::*;
use gridwalk_store::materialize::Hydrated;

use crate::support::{Phone, TestServer, worker_and_head};

pub(crate) fn form(household: &str) -> NewMemberInput {
    NewMemberInput {
        household_id: household.into(),
        name: "周小燕".into(),
        relation: "child".into(),
        id_kind: None,
        id_number: None,
        phone: None,
        birth_year: None,
    }
}

pub(crate) fn with_id(household: &str, kind: &str, number: &str) -> NewMemberInput {
    NewMemberInput {
        id_kind: Some(kind.into()),
        id_number: Some(number.into()),
        ..form(household)
    }
}

/// The full number the household's private document holds for a person, read from the
/// store file through a second handle (so not through the app's reveal).
fn private_number(p: &Phone, household: &str, person: &str) -> Option<String> {
    let mut store = gridwalk_store::Store::open(p.profile().join("device.db")).unwrap();
    match store.hydrated(&private_doc_id(household)) {
        Ok(Hydrated::Private(doc)) => doc
            .ids
            .get(person)
            .and_then(|r| r.value().cloned().flatten())
            .map(|n| n.number),
        _ => None,
    }
}

/// A server whose dataset has, in every grid, one household without a private document:
/// its members' identity numbers and its special-group tags are taken out.
async fn server_with_households_without_private() -> TestServer {
    TestServer::start_with(|ds| {
        let mut seen = std::collections::HashSet::new();
        for h in ds.households.iter_mut() {
            if seen.insert(h.grid_id.clone()) {
                h.special_tags.clear();
                for m in h.members.iter_mut() {
                    m.id_kind = None;
                    m.id_number = None;
                }
            }
        }
    })
    .await
}

/// A household on the device that has no private document yet.
fn household_without_private(p: &mut Phone) -> String {
    let held: Vec<String> = p
        .app
        .store()
        .document_ids(DocKind::HouseholdPrivate)
        .unwrap();
    p.households()
        .into_iter()
        .map(|h| h.id)
        .find(|id| !held.contains(&private_doc_id(id)))
        .expect("a household without a private document")
}

/// A household on the device that has one.
pub(crate) fn household_with_private(p: &mut Phone) -> String {
    let held: Vec<String> = p
        .app
        .store()
        .document_ids(DocKind::HouseholdPrivate)
        .unwrap();
    p.households()
        .into_iter()
        .map(|h| h.id)
        .find(|id| held.contains(&private_doc_id(id)))
        .expect("a household with a private document")
}

#[tokio::test]
async fn a_member_with_a_resident_id_is_shown_masked_and_the_full_number_goes_only_to_the_private_document()
 {
    let server = TestServer::start().await;
    let (worker, head) = worker_and_head(&server);
    let mut p = server.phone(&worker).await;
    let hid = household_with_private(&mut p);
    let before = p.app.household_card(&hid).unwrap();
    let pending = p.pending();

    let mut input = with_id(&hid, "resident_id", " 33110219900307124x ");
    input.phone = Some("138 1234 5678".into());
    input.birth_year = Some(1990);
    let card = p.app.add_member(&input).expect("a valid member is added");

    assert_eq!(card.members.len(), before.members.len() + 1);
    let m = card
        .members
        .iter()
        .find(|m| m.name == "周小燕")
        .expect("the new member is on the card");
    assert_eq!(m.relation, "child");
    assert_eq!(m.id_kind.as_deref(), Some("resident_id"));
    assert_eq!(
        m.id_masked.as_deref(),
        Some("331***********124X"),
        "the card shows the normalised number masked: first 3 and last 4"
    );
    assert_eq!(m.phone_masked.as_deref(), Some("138****5678"));
    assert_eq!(m.birth_year, Some(1990));
    assert_eq!(
        p.pending(),
        pending + 2,
        "two actions: the number on the private document, then the member"
    );

    assert_eq!(
        private_number(&p, &hid, &m.id).as_deref(),
        Some("33110219900307124X"),
        "the private document holds the full, normalised number"
    );
    let mut store = gridwalk_store::Store::open(p.profile().join("device.db")).unwrap();
    match store.hydrated(&hid).unwrap() {
        Hydrated::Household(h) => {
            let text = format!("{h:?}");
            assert!(
                !text.contains("33110219900307124X") && text.contains("331***********124X"),
                "the household document holds the masked number only"
            );
        }
        _ => panic!("a household document"),
    }
    drop(store);

    let full = p
        .app
        .reveal(&RevealRequest {
            household_id: hid.clone(),
            person_id: m.id.clone(),
            field: "id_number".into(),
        })
        .unwrap();
    assert_eq!(
        full, "33110219900307124X",
        "a grid worker reveals it in full"
    );

    let status = p.sync().await;
    assert_eq!(
        (status.pending_actions, status.refused_actions),
        (0, 0),
        "the server accepts both actions: {:?}",
        status.refused
    );
    let mut h = server.phone(&head).await;
    let card = h.app.household_card(&hid).unwrap();
    let on_head = card
        .members
        .iter()
        .find(|x| x.id == m.id)
        .expect("the grid head's phone gets the new member");
    assert_eq!(on_head.id_masked.as_deref(), Some("331***********124X"));
    let full = h
        .app
        .reveal(&RevealRequest {
            household_id: hid.clone(),
            person_id: m.id.clone(),
            field: "id_number".into(),
        })
        .unwrap();
    assert_eq!(
        full, "33110219900307124X",
        "the grid head's phone holds the full number through the private document"
    );
}

#[tokio::test]
async fn a_household_without_a_private_document_gets_one_with_the_first_identity_number() {
    let server = server_with_households_without_private().await;
    let (worker, head) = worker_and_head(&server);
    let mut p = server.phone(&worker).await;
    let hid = household_without_private(&mut p);
    let pending = p.pending();

    // A newborn without a document: no private document is needed.
    let baby = NewMemberInput {
        name: "周宝宝".into(),
        relation: "grandchild".into(),
        id_kind: Some("resident_id".into()),
        id_number: Some("  ".into()),
        birth_year: Some(2026),
        ..form(&hid)
    };
    let card = p.app.add_member(&baby).expect("a newborn without an ID");
    let m = card.members.iter().find(|m| m.name == "周宝宝").unwrap();
    assert_eq!((m.id_kind.as_deref(), m.id_masked.as_deref()), (None, None));
    assert_eq!(p.pending(), pending + 1, "only the member is written");
    assert!(
        p.app.store().doc_meta(&private_doc_id(&hid)).is_err(),
        "no private document for a member without a number"
    );

    let input = with_id(&hid, "passport", "e1234567");
    let card = p.app.add_member(&input).expect("a foreign passport");
    let m = card
        .members
        .iter()
        .find(|m| m.id_kind.as_deref() == Some("passport"))
        .unwrap();
    assert_eq!(m.id_masked.as_deref(), Some("E12*4567"));
    assert_eq!(
        p.pending(),
        pending + 3,
        "the private document is created (one action), then the member"
    );
    assert_eq!(private_number(&p, &hid, &m.id).as_deref(), Some("E1234567"));

    let status = p.sync().await;
    assert_eq!(
        (status.pending_actions, status.refused_actions),
        (0, 0),
        "the server accepts the new private document: {:?}",
        status.refused
    );
    let mut h = server.phone(&head).await;
    assert!(
        h.app
            .store()
            .document_ids(DocKind::HouseholdPrivate)
            .unwrap()
            .contains(&private_doc_id(&hid)),
        "the grid head's phone receives the new private document"
    );
    let full = h
        .app
        .reveal(&RevealRequest {
            household_id: hid.clone(),
            person_id: m.id.clone(),
            field: "id_number".into(),
        })
        .unwrap();
    assert_eq!(full, "E1234567");
}

#[tokio::test]
async fn a_valid_number_of_each_document_type_is_accepted() {
    let server = TestServer::start().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.phone(&worker.id).await;
    let hid = household_with_private(&mut p);
    for (kind, number, masked) in [
        ("resident_id", "11010519491231002X", "110***********002X"),
        ("legacy_id", "331102900307123", "331********7123"),
        ("hmt_permit", "h12345678", "H12**5678"),
        ("hmt_permit", "12345678", "123*5678"),
        ("hmt_permit", "810000199001011230", "810***********1230"),
        ("passport", "E1234567", "E12*4567"),
        ("permanent_residence", "USA330085061501", "USA********1501"),
        (
            "permanent_residence",
            "933840198506150017",
            "933***********0017",
        ),
    ] {
        let card = p
            .app
            .add_member(&with_id(&hid, kind, number))
            .unwrap_or_else(|e| panic!("{kind} {number}: {e}"));
        assert!(
            card.members
                .iter()
                .any(|m| m.id_kind.as_deref() == Some(kind)
                    && m.id_masked.as_deref() == Some(masked)),
            "{kind} {number} is on the card as {masked}"
        );
    }
}

#[tokio::test]
async fn an_invalid_number_of_each_document_type_is_refused_on_the_id_field_and_nothing_is_saved() {
    let server = server_with_households_without_private().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.phone(&worker.id).await;
    let with = household_with_private(&mut p);
    let without = household_without_private(&mut p);
    let privates = p
        .app
        .store()
        .document_ids(DocKind::HouseholdPrivate)
        .unwrap();
    for hid in [with, without] {
        let card = p.app.household_card(&hid).unwrap();
        let pending = p.pending();
        let rows = p.rows();
        for (kind, number, why) in [
            ("resident_id", "331102199003071232", "a bad check digit"),
            ("resident_id", "331102199002301230", "February 30"),
            ("resident_id", "991102199003071231", "no such province"),
            ("resident_id", "3311021990030712", "16 characters"),
            ("legacy_id", "331102900230123", "February 30 (19yy)"),
            ("legacy_id", "33110290030712", "14 digits"),
            (
                "hmt_permit",
                "X12345678",
                "a HK/Macao permit starts with H or M",
            ),
            ("hmt_permit", "H1234567", "a HK/Macao permit with 7 digits"),
            ("hmt_permit", "1234567", "a Taiwan permit with 7 digits"),
            (
                "hmt_permit",
                "830000197708087891",
                "a residence permit's check digit",
            ),
            ("passport", "AB-1234", "not letters and digits"),
            ("passport", "AB12", "too short"),
            (
                "permanent_residence",
                "USA330085023001",
                "February 30 on the old card",
            ),
            (
                "permanent_residence",
                "933840198506150018",
                "the 2023 card's check digit",
            ),
            ("permanent_residence", "331102199003071231", "a resident ID"),
        ] {
            let e = p
                .app
                .add_member(&with_id(&hid, kind, number))
                .expect_err(why);
            assert_eq!(
                (e.code.as_str(), e.field.as_deref()),
                ("invalid_identity", Some("id_number")),
                "{kind} {number} ({why}): {e:?}"
            );
            assert!(
                !e.message_zh.is_empty() && e.message_en.contains(kind),
                "{why}: the message names the document type: {e:?}"
            );
        }
        assert_eq!(p.pending(), pending, "no action was queued");
        assert_eq!(p.rows(), rows, "no row changed");
        assert_eq!(
            p.app.household_card(&hid).unwrap(),
            card,
            "the card is unchanged"
        );
    }
    assert_eq!(
        p.app
            .store()
            .document_ids(DocKind::HouseholdPrivate)
            .unwrap(),
        privates,
        "no private document was created"
    );
}
