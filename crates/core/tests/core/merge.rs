//! Merge tests: fork a document, edit both copies, merge, and check what survives.

use automerge::{ActorId, AutoCommit};
use gridwalk_core::doc::edit::{self, Edit, NewMember};
use gridwalk_core::doc::household::{
    Address, HouseholdDoc, HouseholdStatus, NewHousehold, Relation, Visit,
};
use gridwalk_core::doc::incident::{IncidentDoc, NewEvent, NewIncident, Source};
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{self, WriteCtx, conflict};
use gridwalk_core::reference::{Platform, Role, Urgency};
use gridwalk_core::{Hlc, Timestamp};
use std::collections::BTreeMap;

const T0: i64 = 1_795_000_000_000;

fn ctx(user: &str, role: Role, device: &str, ms: i64) -> WriteCtx {
    WriteCtx {
        user: user.into(),
        role,
        device: device.into(),
        hlc: Hlc {
            wall_ms: T0 + ms,
            counter: 0,
            node: device.into(),
        },
        at: Timestamp(T0 + ms),
    }
}

fn actor(n: u8) -> ActorId {
    ActorId::from([n; 16].as_slice())
}

fn household() -> (AutoCommit, String) {
    let c = ctx("u-wang", Role::GridWorker, "dev-a", 0);
    let h = HouseholdDoc::new(
        NewHousehold {
            id: "h1".into(),
            grid_id: "g1".into(),
            micro_grid_id: None,
            address: Address {
                street: Some("丽阳街88号".into()),
                building: Some("3".into()),
                ..Default::default()
            },
            status: HouseholdStatus::Occupied,
            tags: BTreeMap::new(),
        },
        &c,
    )
    .unwrap();
    let mut d = doc::create(actor(1), &h, &c, "household.create").unwrap();
    let m = NewMember {
        id: "p1".into(),
        name: "叶建国".into(),
        relation: Relation::Head,
        id_doc: None,
        phone: Some("13812345678".into()),
        birth_year: Some(1956),
    };
    edit::add_member(&mut d, &ctx("u-wang", Role::GridWorker, "dev-a", 1), m).unwrap();
    (d, "p1".into())
}

fn visit(id: &str, c: &WriteCtx) -> Visit {
    let mut v = NewVisit::routine(id, c.at.0);
    v.persons_met = vec!["p1".into()];
    v.note = "老人身体健康，家中整洁。".into();
    v.into_record(c).unwrap()
}

fn fork(d: &mut AutoCommit, n: u8) -> AutoCommit {
    d.fork().with_actor(actor(n))
}

fn merged(a: &mut AutoCommit, b: &mut AutoCommit) {
    a.merge(b).unwrap();
    b.merge(a).unwrap();
}

fn load(d: &AutoCommit) -> HouseholdDoc {
    doc::load(d, doc::household::HOUSEHOLD_SCHEMA).unwrap()
}

#[test]
fn two_visits_added_concurrently_both_survive_the_merge() {
    let (mut a, _) = household();
    let mut b = fork(&mut a, 2);
    edit::add_visit(
        &mut a,
        &ctx("u-wang", Role::GridWorker, "dev-a", 10),
        &visit("v-a", &ctx("u-wang", Role::GridWorker, "dev-a", 10)),
    )
    .unwrap();
    let cb = ctx("u-lei", Role::PartyMember, "dev-b", 11);
    edit::add_visit(&mut b, &cb, &visit("v-b", &cb)).unwrap();
    merged(&mut a, &mut b);
    let (ha, hb) = (load(&a), load(&b));
    assert_eq!(ha, hb, "both replicas must converge to the same household");
    assert!(
        ha.visits.contains_key("v-a") && ha.visits.contains_key("v-b"),
        "neither concurrent visit may be lost"
    );
}

#[test]
fn one_phone_set_to_two_values_is_kept_as_a_conflict_until_a_person_resolves_it() {
    let (mut a, p) = household();
    let mut b = fork(&mut a, 2);
    edit::apply_edit(
        &mut a,
        &ctx("u-wang", Role::GridWorker, "dev-a", 10),
        Edit::MemberPhone(p.clone(), Some("13900001111".into())),
    )
    .unwrap();
    edit::apply_edit(
        &mut b,
        &ctx("u-ye", Role::GridHead, "dev-b", 12),
        Edit::MemberPhone(p.clone(), Some("0578-2123456".into())),
    )
    .unwrap();
    merged(&mut a, &mut b);
    let h = load(&a);
    let conflicts = conflict::household_conflicts(&h);
    assert_eq!(
        conflicts.len(),
        1,
        "exactly the phone field is in conflict: {conflicts:?}"
    );
    let c = &conflicts[0];
    assert_eq!(c.path, format!("members/{p}/phone"));
    let values: Vec<_> = c
        .values
        .iter()
        .map(|v| (v.value.as_str().unwrap().to_string(), v.by.clone()))
        .collect();
    assert!(
        values.contains(&("13900001111".into(), "u-wang".into())),
        "the first value and its author are shown"
    );
    assert!(
        values.contains(&("0578-2123456".into(), "u-ye".into())),
        "the second value and its author are shown"
    );
    assert_eq!(
        h.members[&p].phone.value().unwrap().as_deref(),
        Some("0578-2123456"),
        "until resolved, the write with the later HLC is shown"
    );
    assert_eq!(
        conflict::household_conflicts(&load(&b)),
        conflicts,
        "both replicas surface the same conflict"
    );

    // A person picks the earlier value; the pick is a new write and syncs.
    let chosen = c
        .values
        .iter()
        .find(|v| v.by == "u-wang")
        .unwrap()
        .at
        .clone();
    conflict::resolve(
        &mut b,
        &ctx("u-ye", Role::GridHead, "dev-b", 20),
        &c.path,
        &chosen,
        "r1",
    )
    .unwrap();
    merged(&mut a, &mut b);
    let h = load(&a);
    assert!(
        conflict::household_conflicts(&h).is_empty(),
        "resolving leaves one value"
    );
    assert_eq!(
        h.members[&p].phone.value().unwrap().as_deref(),
        Some("13900001111"),
        "the picked value wins"
    );
    let r = &h.conflict_resolutions["r1"];
    assert_eq!(
        (r.chosen.as_str(), r.discarded.len()),
        (chosen.as_str(), 1),
        "the pick is recorded for the lineage"
    );
    assert!(
        conflict::resolve(
            &mut a,
            &ctx("x", Role::GridHead, "dev-a", 30),
            &c.path,
            "nope",
            "r2"
        )
        .is_err(),
        "a value that is not in conflict cannot be picked"
    );
}

#[test]
fn a_soft_delete_racing_an_edit_keeps_the_edit() {
    let (mut a, p) = household();
    let mut b = fork(&mut a, 2);
    edit::apply_edit(
        &mut a,
        &ctx("u-wang", Role::GridWorker, "dev-a", 10),
        Edit::MemberDeleted(p.clone(), Some(T0 + 10)),
    )
    .unwrap();
    edit::apply_edit(
        &mut b,
        &ctx("u-ye", Role::GridHead, "dev-b", 11),
        Edit::MemberName(p.clone(), "叶建华".into()),
    )
    .unwrap();
    merged(&mut a, &mut b);
    let h = load(&a);
    let m = &h.members[&p];
    assert_eq!(
        m.name.value().map(String::as_str),
        Some("叶建华"),
        "the concurrent edit must survive the delete"
    );
    assert!(
        m.deleted_at.value().unwrap().is_some(),
        "the soft delete is kept too, and can be undone"
    );
}

#[test]
fn a_member_edit_racing_a_new_visit_keeps_both() {
    let (mut a, p) = household();
    let mut b = fork(&mut a, 2);
    edit::apply_edit(
        &mut a,
        &ctx("u-wang", Role::GridWorker, "dev-a", 10),
        Edit::MemberBirthYear(p.clone(), Some(1957)),
    )
    .unwrap();
    let cb = ctx("u-lei", Role::PartyMember, "dev-b", 11);
    edit::add_visit(&mut b, &cb, &visit("v-b", &cb)).unwrap();
    merged(&mut a, &mut b);
    let h = load(&b);
    assert_eq!(
        *h.members[&p].birth_year.value().unwrap(),
        Some(1957),
        "the member edit survives"
    );
    assert!(h.visits.contains_key("v-b"), "the visit survives");
    assert!(
        conflict::household_conflicts(&h).is_empty(),
        "different fields never conflict"
    );
}

#[test]
fn reconciling_a_stale_whole_document_would_delete_a_synced_visit_which_is_why_records_are_written_at_their_path()
 {
    let (mut a, _) = household();
    let mut b = fork(&mut a, 2);
    let stale = load(&a);
    let cb = ctx("u-lei", Role::PartyMember, "dev-b", 11);
    edit::add_visit(&mut b, &cb, &visit("v-b", &cb)).unwrap();
    a.merge(&mut b).unwrap();
    // Writing a new visit at its own path keeps the synced one.
    let ca = ctx("u-wang", Role::GridWorker, "dev-a", 12);
    edit::add_visit(&mut a, &ca, &visit("v-a", &ca)).unwrap();
    assert!(
        load(&a).visits.contains_key("v-b"),
        "a path write must keep what the sync brought in"
    );
    // The hazard DESIGN.md §2 warns about, shown for the record.
    let mut hazard = a.fork();
    autosurgeon::reconcile(&mut hazard, &stale).unwrap();
    assert!(
        !load(&hazard).visits.contains_key("v-b"),
        "autosurgeon deletes keys missing from a stale value"
    );
}

fn incident(c: &WriteCtx) -> AutoCommit {
    let i = IncidentDoc::new(
        NewIncident {
            id: "i1".into(),
            grid_id: "g1".into(),
            households: vec!["h1".into()],
            category: "enforcement.fire_hazard".into(),
            platform: Platform::LawEnforcement,
            urgency: Urgency::Normal,
            source: Source::Patrol,
            location: "丽阳街88号楼道".into(),
            gps: None,
            parties: String::new(),
            description: "楼道堆放杂物，存在消防隐患。".into(),
        },
        c,
    )
    .unwrap();
    doc::create(actor(1), &i, c, "incident.create").unwrap()
}

fn put_event(d: &mut AutoCommit, c: &WriteCtx, id: &str, action: gridwalk_core::incident::Action) {
    let ev = NewEvent {
        id: id.into(),
        action,
        note: String::new(),
        fields: BTreeMap::new(),
    }
    .into_event(c);
    let events = doc::obj_at(d, &["events"]).unwrap();
    autosurgeon::reconcile_prop(d, &events, id, &ev).unwrap();
    doc::commit(d, c, "incident.event");
}

#[test]
fn an_incident_close_racing_add_info_keeps_both_events_in_the_same_order_on_both_replicas() {
    use gridwalk_core::incident::Action;
    let c = ctx("u-wang", Role::GridWorker, "dev-a", 0);
    let mut a = incident(&c);
    let mut b = fork(&mut a, 2);
    put_event(
        &mut a,
        &ctx("u-disp", Role::Dispatcher, "srv-1", 10),
        "e-close",
        Action::Close,
    );
    put_event(
        &mut b,
        &ctx("u-wang", Role::GridWorker, "dev-b", 11),
        "e-info",
        Action::AddInfo,
    );
    merged(&mut a, &mut b);
    let ia: IncidentDoc = doc::load(&a, 1).unwrap();
    let ib: IncidentDoc = doc::load(&b, 1).unwrap();
    let order = |i: &IncidentDoc| {
        i.ordered_events()
            .iter()
            .map(|e| e.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        order(&ia),
        vec!["e-close".to_string(), "e-info".to_string()],
        "both events survive, ordered by HLC"
    );
    assert_eq!(
        order(&ia),
        order(&ib),
        "both replicas order the merged log the same way"
    );
}
