//! Test helpers: write contexts, households, members, visits and incidents built with
//! core's own constructors, so the store is tested through the same calls the app makes.

use automerge::AutoCommit;
use gridwalk_core::doc::edit::{NewMember, add_member, add_visit};
use gridwalk_core::doc::household::{
    Address, ContactMode, HouseholdDoc, HouseholdStatus, NewHousehold, Relation, TagSpan, Visit,
};
use gridwalk_core::doc::incident::{IncidentDoc, NewIncident, Source};
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{DocKind, WriteCtx, create};
use gridwalk_core::reference::{Platform, Role, Urgency};
use gridwalk_core::{Hlc, Timestamp};
use gridwalk_store::{Action, Store};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};

/// 2026-03-02 09:00 Shanghai.
pub const T0: i64 = 1_772_413_200_000;
pub const DAY: i64 = 86_400_000;

static TICK: AtomicI64 = AtomicI64::new(0);

/// A write context for `user` on `device` at `at`, with a clock that always moves on.
pub fn ctx_on(user: &str, device: &str, at: i64) -> WriteCtx {
    let n = TICK.fetch_add(1, Ordering::Relaxed);
    WriteCtx {
        user: user.into(),
        role: Role::GridWorker,
        device: device.into(),
        hlc: Hlc {
            wall_ms: at,
            counter: (n % 60_000) as u32,
            node: device.into(),
        },
        at: Timestamp(at),
    }
}

pub fn ctx(at: i64) -> WriteCtx {
    ctx_on("u-zhang", "dev-1", at)
}

pub fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn street(s: &str) -> Address {
    Address {
        street: Some(s.into()),
        building: Some("3".into()),
        unit: Some("2".into()),
        room: Some("301".into()),
        ..Address::default()
    }
}

/// Creates a household document in the store and returns its id.
pub fn household(store: &mut Store, grid: &str, addr: &str, tags: &[&str]) -> String {
    let hid = id();
    let c = ctx(T0);
    let tags: BTreeMap<String, TagSpan> = tags
        .iter()
        .map(|t| (t.to_string(), TagSpan::default()))
        .collect();
    let value = HouseholdDoc::new(
        NewHousehold {
            id: hid.clone(),
            grid_id: grid.into(),
            micro_grid_id: None,
            address: street(addr),
            status: HouseholdStatus::Occupied,
            tags,
        },
        &c,
    )
    .expect("a valid household");
    let doc = create(store.actor().clone(), &value, &c, "household.create").unwrap();
    store
        .create(DocKind::Household, &hid, grid, doc)
        .expect("a new household is stored");
    hid
}

/// Adds a member through the store; returns the person id.
pub fn member(store: &mut Store, hid: &str, name: &str, phone: Option<&str>) -> String {
    let pid = id();
    let n = NewMember {
        id: pid.clone(),
        name: name.into(),
        relation: Relation::Head,
        id_doc: None,
        phone: phone.map(Into::into),
        birth_year: Some(1950),
    };
    let c = ctx(T0);
    store
        .transact(
            DocKind::Household,
            hid,
            Action::new("household.add_member").record(&pid),
            |doc| add_member(doc, &c, n),
        )
        .expect("a valid member is stored");
    pid
}

pub fn visit_record(vid: &str, at: i64, mode: ContactMode) -> Visit {
    let mut form = NewVisit::routine(vid, at);
    form.mode = mode;
    form.service = "测量血压".into();
    form.note = "老人身体不错，家中整洁。".into();
    form.into_record(&ctx(at)).expect("a valid visit")
}

/// Adds a visit through the store; returns the visit id.
pub fn visit(store: &mut Store, hid: &str, at: i64, mode: ContactMode) -> String {
    let vid = id();
    let v = visit_record(&vid, at, mode);
    let c = ctx(at);
    store
        .transact(
            DocKind::Household,
            hid,
            Action::new("household.add_visit").record(&vid),
            |doc| add_visit(doc, &c, &v),
        )
        .expect("a valid visit is stored");
    vid
}

/// Creates an incident document (a draft) in the store; returns its id.
pub fn incident(store: &mut Store, grid: &str, description: &str) -> String {
    let iid = id();
    let c = ctx(T0);
    let value = IncidentDoc::new(
        NewIncident {
            id: iid.clone(),
            grid_id: grid.into(),
            households: vec![],
            category: "enforcement.fire_hazard".into(),
            platform: Platform::LawEnforcement,
            urgency: Urgency::Normal,
            source: Source::Patrol,
            location: "丽阳街88号".into(),
            gps: None,
            parties: String::new(),
            description: description.into(),
        },
        &c,
    )
    .unwrap();
    let doc = create(store.actor().clone(), &value, &c, "incident.create").unwrap();
    store.create(DocKind::Incident, &iid, grid, doc).unwrap();
    iid
}

/// Counts rows of a table through a second connection to the file.
pub fn count(path: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A fresh, independent replica of a stored document with its own actor.
pub fn replica(store: &mut Store, id: &str) -> AutoCommit {
    let bytes = store.document(id).unwrap().save();
    AutoCommit::load(&bytes)
        .unwrap()
        .with_actor(automerge::ActorId::random())
}
