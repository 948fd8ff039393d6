//! The household list after the first sync: search in Chinese by name, address, phone
//! tail and tag, and the filters.

use gridwalk_core::reference::Role;
use gridwalk_field::dto::HouseholdQuery;

use crate::support::TestServer;

fn q(text: &str) -> HouseholdQuery {
    HouseholdQuery {
        text: text.into(),
        ..HouseholdQuery::default()
    }
}

#[tokio::test]
async fn after_the_first_sync_the_list_finds_households_by_name_address_phone_tail_and_tag() {
    let server = TestServer::start().await;
    let worker = server.user(Role::GridWorker, |_| true);
    let mut p = server.phone(&worker.id).await;
    let all = p.households();
    assert!(
        !all.is_empty(),
        "the first sync brought the grid's households"
    );
    let card = p.household_with_members(1);
    let head = &card.members[0];

    let by_name = p.app.households(&q(&head.name)).unwrap().items;
    assert!(
        by_name.iter().any(|h| h.id == card.id),
        "found by the member's Chinese name {}",
        head.name
    );
    let surname: String = head.name.chars().take(1).collect();
    let short = p.app.households(&q(&surname)).unwrap().items;
    assert!(
        short.iter().any(|h| h.id == card.id),
        "a one-character query (LIKE) finds it too"
    );

    let addr: String = card.address.chars().take(4).collect();
    let by_addr = p.app.households(&q(&addr)).unwrap().items;
    assert!(
        by_addr.iter().any(|h| h.id == card.id),
        "found by address {addr}"
    );

    let phone_member = card
        .members
        .iter()
        .find(|m| m.phone_masked.is_some())
        .unwrap();
    let masked = phone_member.phone_masked.clone().unwrap();
    let tail: String = masked
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let by_phone = p.app.households(&q(&tail)).unwrap().items;
    assert!(
        by_phone.iter().any(|h| h.id == card.id),
        "found by phone tail {tail}"
    );

    let tagged = all
        .iter()
        .find(|h| !h.tags.is_empty())
        .expect("some household has a care tag");
    let tag = tagged.tags[0].clone();
    let label = gridwalk_core::reference::tags::tag_label_zh(&tag).unwrap();
    let by_label = p.app.households(&q(label)).unwrap().items;
    assert!(
        by_label.iter().any(|h| h.id == tagged.id),
        "found by the tag's Chinese label {label}"
    );
    let filtered = p
        .app
        .households(&HouseholdQuery {
            tag: Some(tag.clone()),
            ..HouseholdQuery::default()
        })
        .unwrap();
    assert!(
        !filtered.items.is_empty() && filtered.items.iter().all(|h| h.tags.contains(&tag)),
        "the tag filter keeps only tagged households"
    );
    assert!(filtered.elapsed_ms >= 0.0);

    let due = p
        .app
        .households(&HouseholdQuery {
            due: Some("overdue".into()),
            ..HouseholdQuery::default()
        })
        .unwrap()
        .items;
    assert!(
        due.iter().all(|h| h.due.as_deref() == Some("overdue")),
        "the due filter keeps only overdue households"
    );
    let today = p.app.today().unwrap();
    assert_eq!(
        today.due_visits.iter().filter(|d| d.overdue).count(),
        due.len(),
        "今日 and the list agree on what is overdue"
    );
    assert!(
        today.grid_summary.is_none(),
        "only grid heads get the grid summary"
    );
}

#[tokio::test]
async fn a_grid_head_gets_a_grid_summary_with_coverage() {
    let server = TestServer::start().await;
    let head = server.user(Role::GridHead, |_| true);
    let mut p = server.phone(&head.id).await;
    let s = p
        .app
        .today()
        .unwrap()
        .grid_summary
        .expect("a grid head's 今日 has the summary");
    assert!(s.households > 0 && s.seen <= s.households);
    assert!((0.0..=100.0).contains(&s.coverage_percent));
}
