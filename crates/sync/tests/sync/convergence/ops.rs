//! The record operations of a schedule, each one user action through `Store::transact`
//! with core's operations, as the app makes them: visits, same-field edits (races),
//! visit-form edits, soft deletes, incidents and their events from several roles, and
//! conflict resolutions. An operation the phone's core refuses (an incident action the
//! state does not allow, a clock behind the log) writes nothing and is skipped.

use std::collections::BTreeMap;

use automerge::AutoCommit;
use gridwalk_core::doc::edit::{self, Edit};
use gridwalk_core::doc::household::{
    Address, ContactMode, HouseholdDoc, HouseholdStatus, NewHousehold, TagSpan, VisitContent,
    VisitKind,
};
use gridwalk_core::doc::incident::{IncidentDoc, NewEvent, NewIncident, Source};
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{DocKind, WriteCtx, conflict, create};
use gridwalk_core::incident::{Action as Verb, machine};
use gridwalk_core::reference::{Platform, Role, Urgency};
use gridwalk_core::{CoreError, Timestamp};
use gridwalk_store::Action;
use gridwalk_store::materialize::Hydrated;
use rand::Rng;
use rand::seq::IndexedRandom;

use super::schedule::Schedule;
use super::world::Dev;

/// Incident actions a phone may take without extra fields.
const VERBS: [Verb; 6] = [
    Verb::Report,
    Verb::GridAccept,
    Verb::GridReturn,
    Verb::Resubmit,
    Verb::Close,
    Verb::AddInfo,
];

pub fn ctx(d: &mut Dev, now: i64) -> WriteCtx {
    WriteCtx {
        user: d.user_id.clone(),
        role: d.role,
        device: d.device_id.clone(),
        hlc: d.store.tick_hlc(&d.device_id, now).unwrap(),
        at: Timestamp(now),
    }
}

/// Profile writers: grid workers and grid heads (not part-time workers or party members).
pub fn writes_profiles(role: Role) -> bool {
    matches!(role, Role::GridWorker | Role::GridHead)
}

/// The phone holds the document and has not been told it left its scope: a write now
/// is one the person may make in good faith.
pub fn may_write(d: &Dev, doc: &str) -> bool {
    d.store.doc_meta(doc).is_ok() && !d.store.pending_revokes().unwrap().iter().any(|r| r == doc)
}

fn id(s: &mut Schedule) -> String {
    let bytes: [u8; 16] = s.rng.random();
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

fn address(room: u32) -> Address {
    Address {
        street: Some("丽阳街88号".into()),
        building: Some("3".into()),
        unit: Some("2".into()),
        room: Some(room.to_string()),
        ..Address::default()
    }
}

fn tags(codes: &[&str]) -> BTreeMap<String, TagSpan> {
    codes
        .iter()
        .map(|c| (c.to_string(), TagSpan::default()))
        .collect()
}

/// A random value for one of the household's edited fields; `variant` picks which.
fn field_edit(s: &mut Schedule, field: u8) -> Edit {
    match field {
        0 => Edit::Status(
            *[
                HouseholdStatus::Occupied,
                HouseholdStatus::Empty,
                HouseholdStatus::Rented,
            ]
            .choose(&mut s.rng)
            .unwrap(),
        ),
        1 => Edit::Address(address(s.rng.random_range(100..999))),
        _ => {
            let sets: [&[&str]; 4] = [
                &["elderly_alone"],
                &["very_old", "disabled"],
                &["minimum_income"],
                &[],
            ];
            Edit::Tags(tags(sets.choose(&mut s.rng).unwrap()))
        }
    }
}

fn write(
    d: &mut Dev,
    kind: DocKind,
    doc: &str,
    label: &str,
    record: Option<&str>,
    f: impl FnOnce(&mut AutoCommit) -> Result<(), CoreError>,
) -> bool {
    let mut action = Action::new(label);
    if let Some(r) = record {
        action = action.record(r);
    }
    d.store.transact(kind, doc, action, f).is_ok()
}

/// A grid worker registers a household in the schedule's grid and micro-grid.
pub fn new_household(s: &mut Schedule, dev: usize) -> String {
    let hid = id(s);
    let now = s.now();
    let (grid, micro) = (s.grid.id.clone(), s.grid.micro.clone());
    let d = &mut s.devs[dev];
    let c = ctx(d, now);
    let value = HouseholdDoc::new(
        NewHousehold {
            id: hid.clone(),
            grid_id: grid.clone(),
            micro_grid_id: Some(micro),
            address: address(101),
            status: HouseholdStatus::Occupied,
            tags: BTreeMap::new(),
        },
        &c,
    )
    .unwrap();
    let doc = create(d.store.actor().clone(), &value, &c, "household.create").unwrap();
    d.store
        .create(DocKind::Household, &hid, &grid, doc)
        .unwrap();
    s.households.push(hid.clone());
    hid
}

/// A grid worker opens an incident in the schedule's grid and reports it.
pub fn new_incident(s: &mut Schedule, dev: usize) -> String {
    let iid = id(s);
    let eid = id(s);
    let now = s.now();
    let grid = s.grid.id.clone();
    let d = &mut s.devs[dev];
    let c = ctx(d, now);
    let value = IncidentDoc::new(
        NewIncident {
            id: iid.clone(),
            grid_id: grid.clone(),
            households: vec![],
            category: "enforcement.fire_hazard".into(),
            platform: Platform::LawEnforcement,
            urgency: Urgency::Normal,
            source: Source::Patrol,
            location: "丽阳街88号".into(),
            gps: None,
            parties: String::new(),
            description: "楼道堆放杂物".into(),
        },
        &c,
    )
    .unwrap();
    let doc = create(d.store.actor().clone(), &value, &c, "incident.create").unwrap();
    d.store.create(DocKind::Incident, &iid, &grid, doc).unwrap();
    s.incidents.push(iid.clone());
    let c = ctx(d, now + 1);
    let ev = NewEvent {
        id: eid.clone(),
        action: Verb::Report,
        note: "上报".into(),
        fields: BTreeMap::new(),
    };
    if write(
        d,
        DocKind::Incident,
        &iid,
        "incident.report",
        Some(&eid),
        |doc| machine::append(doc, &c, ev),
    ) {
        s.events.push((iid.clone(), eid));
    }
    iid
}

/// Picks a phone (by `pred`) and a schedule document it may write.
fn pick(s: &mut Schedule, docs: &[String], pred: impl Fn(&Dev) -> bool) -> Option<(usize, String)> {
    let mut options = Vec::new();
    for (i, d) in s.devs.iter().enumerate() {
        if pred(d) {
            for doc in docs {
                if may_write(d, doc) {
                    options.push((i, doc.clone()));
                }
            }
        }
    }
    options.choose(&mut s.rng).cloned()
}

/// Any phone records a routine visit to a household it holds.
pub fn visit(s: &mut Schedule) -> Option<String> {
    let households = s.households.clone();
    let (i, h) = pick(s, &households, |_| true)?;
    let vid = id(s);
    let mode = *[ContactMode::InPerson, ContactMode::Phone]
        .choose(&mut s.rng)
        .unwrap();
    let now = s.now();
    let d = &mut s.devs[i];
    let c = ctx(d, now);
    let mut form = NewVisit::routine(vid.clone(), now);
    form.mode = mode;
    let v = form.into_record(&c).unwrap();
    let ok = write(
        d,
        DocKind::Household,
        &h,
        "household.add_visit",
        Some(&vid),
        |doc| edit::add_visit(doc, &c, &v),
    );
    let user = d.user_id.clone();
    let label = d.label;
    ok.then(|| {
        s.visits.push((h.clone(), vid.clone(), user));
        format!("{label} visits {h}: {vid}")
    })
}

/// Two profile writers holding one household write the same field offline.
pub fn race(s: &mut Schedule) -> Option<String> {
    let h = s.households.choose(&mut s.rng)?.clone();
    let writers: Vec<usize> = (0..s.devs.len())
        .filter(|&i| writes_profiles(s.devs[i].role) && may_write(&s.devs[i], &h))
        .collect();
    let two: Vec<usize> = writers.choose_multiple(&mut s.rng, 2).copied().collect();
    if two.len() < 2 {
        return None;
    }
    let field = s.rng.random_range(0..3u8);
    let now = s.now();
    let mut wrote = Vec::new();
    for (k, &i) in two.iter().enumerate() {
        let e = field_edit(s, field);
        let d = &mut s.devs[i];
        let c = ctx(d, now + k as i64);
        if write(d, DocKind::Household, &h, "household.edit", None, |doc| {
            edit::apply_edit(doc, &c, e)
        }) {
            wrote.push(d.label);
        }
    }
    Some(format!("{wrote:?} race on field {field} of {h}"))
}

/// One profile writer edits a field of a household it holds.
pub fn edit_field(s: &mut Schedule) -> Option<String> {
    let households = s.households.clone();
    let (i, h) = pick(s, &households, |d| writes_profiles(d.role))?;
    let field = s.rng.random_range(0..3u8);
    let e = field_edit(s, field);
    let now = s.now();
    let d = &mut s.devs[i];
    let c = ctx(d, now);
    write(d, DocKind::Household, &h, "household.edit", None, |doc| {
        edit::apply_edit(doc, &c, e)
    })
    .then(|| format!("{} edits field {field} of {h}", d.label))
}

/// A visit's author, or a profile writer, saves the visit form again.
pub fn edit_visit(s: &mut Schedule) -> Option<String> {
    let (h, vid, author) = s.visits.choose(&mut s.rng)?.clone();
    let who: Vec<usize> = (0..s.devs.len())
        .filter(|&i| {
            let d = &s.devs[i];
            (writes_profiles(d.role) || d.user_id == author) && may_write(d, &h)
        })
        .collect();
    let i = *who.choose(&mut s.rng)?;
    let note = format!("回访记录 {}", s.rng.random_range(0..1000));
    let now = s.now();
    let d = &mut s.devs[i];
    let c = ctx(d, now);
    let content = VisitContent {
        mode: ContactMode::InPerson,
        persons_met: Vec::new(),
        kind: VisitKind::Routine,
        campaign: None,
        service: String::new(),
        follow_up: None,
        note,
    };
    write(
        d,
        DocKind::Household,
        &h,
        "household.edit",
        Some(&vid),
        |doc| edit::apply_edit(doc, &c, Edit::VisitContent(vid.clone(), content)),
    )
    .then(|| format!("{} edits visit {vid}", d.label))
}

/// A profile writer soft-deletes (or restores) a visit.
pub fn delete_visit(s: &mut Schedule) -> Option<String> {
    let (h, vid, _) = s.visits.choose(&mut s.rng)?.clone();
    let who: Vec<usize> = (0..s.devs.len())
        .filter(|&i| writes_profiles(s.devs[i].role) && may_write(&s.devs[i], &h))
        .collect();
    let i = *who.choose(&mut s.rng)?;
    let now = s.now();
    let when = (s.rng.random_range(0..4) > 0).then_some(now);
    let d = &mut s.devs[i];
    let c = ctx(d, now);
    write(
        d,
        DocKind::Household,
        &h,
        "household.edit",
        Some(&vid),
        |doc| edit::apply_edit(doc, &c, Edit::VisitDeleted(vid.clone(), when)),
    )
    .then(|| format!("{} sets visit {vid} deleted_at {when:?}", d.label))
}

/// A phone holding an incident takes one of the actions its role and state allow.
pub fn incident_event(s: &mut Schedule) -> Option<String> {
    let incidents = s.incidents.clone();
    let (i, iid) = pick(s, &incidents, |_| true)?;
    let eid = id(s);
    let now = s.now();
    let d = &mut s.devs[i];
    let Ok(Hydrated::Incident(doc)) = d.store.hydrated(&iid) else {
        return None;
    };
    let eff = machine::effective(&doc);
    let allowed: Vec<Verb> = machine::allowed_actions(&doc, &eff, &d.user_id, d.role)
        .into_iter()
        .filter(|a| VERBS.contains(a))
        .collect();
    let verb = *allowed.choose(&mut s.rng)?;
    let c = ctx(d, now);
    let ev = NewEvent {
        id: eid.clone(),
        action: verb,
        note: "补充情况说明".into(),
        fields: BTreeMap::new(),
    };
    let label = format!("incident.{}", verb.code());
    let ok = write(d, DocKind::Incident, &iid, &label, Some(&eid), |doc| {
        machine::append(doc, &c, ev)
    });
    let who = d.label;
    ok.then(|| {
        s.events.push((iid.clone(), eid.clone()));
        format!("{who} takes {} on {iid}", verb.code())
    })
}

/// A profile writer picks one value of an open same-field conflict on a household.
pub fn resolve(s: &mut Schedule) -> Option<String> {
    let mut options = Vec::new();
    for (i, d) in s.devs.iter().enumerate() {
        if !writes_profiles(d.role) {
            continue;
        }
        for c in d.store.open_conflicts().unwrap() {
            if c.kind == "household" && s.households.contains(&c.doc_id) && may_write(d, &c.doc_id)
            {
                options.push((i, c));
            }
        }
    }
    let (i, c) = options.choose(&mut s.rng)?.clone();
    let values: Vec<serde_json::Value> = serde_json::from_str(&c.values).unwrap();
    let chosen = values.choose(&mut s.rng)?["at"].as_str()?.to_string();
    let rid = id(s);
    let now = s.now();
    let d = &mut s.devs[i];
    let ctx = ctx(d, now);
    let ok = write(
        d,
        DocKind::Household,
        &c.doc_id,
        "conflict.resolve",
        Some(&rid),
        |doc| conflict::resolve(doc, &ctx, &c.path, &chosen, &rid),
    );
    let who = d.label;
    ok.then(|| {
        s.resolutions.push((c.doc_id.clone(), rid.clone()));
        format!("{who} resolves {} of {} with {chosen}", c.path, c.doc_id)
    })
}
