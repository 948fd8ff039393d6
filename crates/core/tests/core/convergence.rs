//! Convergence property test: several replicas apply a required mix of random
//! operations, sync in random partial orders, then all sync. Every replica must end
//! with the same hydrated documents, every record created anywhere, and every
//! concurrent same-field write still visible as a conflict (no silent losers).
//!
//! The test prints its seed. Replay one with `GRIDWALK_SEED=<seed>`; run more cases
//! with `GRIDWALK_CASES=<n>`.

use automerge::{ActorId, AutoCommit, ReadDoc};
use gridwalk_core::doc::edit::{self, Edit, NewMember};
use gridwalk_core::doc::household::{
    Address, HouseholdDoc, HouseholdStatus, NewHousehold, Relation, Visit,
};
use gridwalk_core::doc::incident::{IncidentDoc, NewEvent, NewIncident, Source};
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{self, WriteCtx, conflict};
use gridwalk_core::incident::{Action, machine};
use gridwalk_core::reference::{Platform, Role, Urgency};
use gridwalk_core::{Hlc, Timestamp};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet, HashSet};

const T0: i64 = 1_795_000_000_000;
const ROLES: [Role; 5] = [
    Role::GridWorker,
    Role::GridHead,
    Role::Dispatcher,
    Role::HandlingUnit,
    Role::PartyMember,
];

struct Replica {
    name: String,
    house: AutoCommit,
    incident: AutoCommit,
    hlc: Hlc,
    known: HashSet<String>,
}

/// A register write: where, its HLC key, and the writes at that path its writer knew.
struct WriteRecord {
    path: String,
    at: String,
    superseded: HashSet<String>,
}

#[derive(Default)]
struct Expect {
    writes: Vec<WriteRecord>,
    visits: BTreeSet<String>,
    events: BTreeSet<String>,
}

fn base() -> (AutoCommit, AutoCommit) {
    let c = WriteCtx {
        user: "u0".into(),
        role: Role::GridWorker,
        device: "origin".into(),
        hlc: Hlc {
            wall_ms: T0,
            counter: 0,
            node: "origin".into(),
        },
        at: Timestamp(T0),
    };
    let h = HouseholdDoc::new(
        NewHousehold {
            id: "h1".into(),
            grid_id: "g1".into(),
            micro_grid_id: None,
            address: Address {
                natural_village: Some("下岙".into()),
                number: Some("15".into()),
                ..Default::default()
            },
            status: HouseholdStatus::Occupied,
            tags: BTreeMap::new(),
        },
        &c,
    )
    .unwrap();
    let mut house = doc::create(ActorId::from([0u8; 16].as_slice()), &h, &c, "create").unwrap();
    for (i, name) in ["雷阿婆", "蓝小明"].iter().enumerate() {
        let c2 = WriteCtx {
            hlc: Hlc {
                wall_ms: T0 + 1 + i as i64,
                ..c.hlc.clone()
            },
            ..c.clone()
        };
        let m = NewMember {
            id: format!("p{i}"),
            name: (*name).into(),
            relation: if i == 0 {
                Relation::Head
            } else {
                Relation::Grandchild
            },
            id_doc: None,
            phone: None,
            birth_year: None,
        };
        edit::add_member(&mut house, &c2, m).unwrap();
    }
    let i = IncidentDoc::new(
        NewIncident {
            id: "i1".into(),
            grid_id: "g1".into(),
            households: vec!["h1".into()],
            category: "service.road_light".into(),
            platform: Platform::PublicService,
            urgency: Urgency::Normal,
            source: Source::Visit,
            location: "村口".into(),
            gps: None,
            parties: String::new(),
            description: "村口路灯不亮".into(),
        },
        &c,
    )
    .unwrap();
    let incident = doc::create(ActorId::from([0u8; 16].as_slice()), &i, &c, "create").unwrap();
    (house, incident)
}

fn live_keys(d: &AutoCommit, path: &str) -> BTreeSet<String> {
    let parts: Vec<&str> = path.split('/').collect();
    match doc::obj_at(d, &parts) {
        Ok(obj) => d.keys(&obj).collect(),
        Err(_) => BTreeSet::new(),
    }
}

fn new_visit(id: &str, c: &WriteCtx) -> Visit {
    let mut v = NewVisit::routine(id, c.at.0);
    v.persons_met = vec!["p1".into()];
    v.note = "走访".into();
    v.into_record(c).unwrap()
}

impl Replica {
    fn ctx(&mut self, step: i64, rng: &mut ChaCha8Rng) -> WriteCtx {
        self.hlc = self.hlc.tick(T0 + step * 1000);
        let role = *ROLES.choose(rng).unwrap();
        WriteCtx {
            user: format!("user-{}", self.name),
            role,
            device: self.name.clone(),
            hlc: self.hlc.clone(),
            at: Timestamp(T0 + step * 1000),
        }
    }

    fn record_write(&mut self, exp: &mut Expect, path: String, at: String) {
        let superseded = exp
            .writes
            .iter()
            .filter(|w| w.path == path && self.known.contains(&w.at))
            .map(|w| w.at.clone())
            .collect();
        self.known.insert(at.clone());
        exp.writes.push(WriteRecord {
            path,
            at,
            superseded,
        });
    }

    fn edit(&mut self, step: i64, rng: &mut ChaCha8Rng, exp: &mut Expect) {
        let c = self.ctx(step, rng);
        let h: HouseholdDoc = doc::load(&self.house, 1).unwrap();
        let visits: Vec<String> = h.visits.keys().cloned().collect();
        let edit = match rng.random_range(0..6) {
            0 => Edit::Status(
                [
                    HouseholdStatus::Occupied,
                    HouseholdStatus::Empty,
                    HouseholdStatus::Rented,
                ][rng.random_range(0..3)],
            ),
            1 => Edit::MemberPhone(
                "p0".into(),
                Some(format!("1381234{:04}", rng.random_range(0..10_000))),
            ),
            2 => Edit::MemberName(
                "p1".into(),
                ["蓝小明", "蓝晓明", "蓝明"][rng.random_range(0..3)].into(),
            ),
            3 => Edit::MemberDeleted("p1".into(), rng.random_bool(0.5).then_some(T0 + step)),
            _ if !visits.is_empty() => {
                let v = visits.choose(rng).unwrap().clone();
                if rng.random_bool(0.5) {
                    let mut content = h.visits[&v].current().unwrap().clone();
                    content.note = format!("复访记录{}", rng.random_range(0..100));
                    Edit::VisitContent(v, content)
                } else {
                    Edit::VisitDeleted(v, Some(T0 + step))
                }
            }
            _ => Edit::MicroGrid(Some(format!("mg{}", rng.random_range(0..3)))),
        };
        let (p, prop) = edit.path();
        let path = [p, vec![prop.to_string()]].concat().join("/");
        edit::apply_edit(&mut self.house, &c, edit).unwrap();
        self.record_write(exp, path, c.hlc.to_string());
    }

    fn resolve(&mut self, step: i64, rng: &mut ChaCha8Rng, exp: &mut Expect) {
        let h: HouseholdDoc = doc::load(&self.house, 1).unwrap();
        let open = conflict::household_conflicts(&h);
        let Some(cf) = open.choose(rng) else { return };
        let chosen = cf.values.choose(rng).unwrap().at.clone();
        let c = self.ctx(step, rng);
        conflict::resolve(
            &mut self.house,
            &c,
            &cf.path,
            &chosen,
            &format!("r-{}-{step}", self.name),
        )
        .unwrap();
        self.record_write(exp, cf.path.clone(), c.hlc.to_string());
    }

    /// Mostly a legal action for one of the incident's actors as this replica sees it;
    /// sometimes any action at all. Merges then make some legal actions illegal.
    fn incident_event(&mut self, step: i64, id: &str, rng: &mut ChaCha8Rng) {
        let mut c = self.ctx(step, rng);
        let inc: IncidentDoc = doc::load(&self.incident, 1).unwrap();
        let eff = machine::effective(&inc);
        let actors = [
            ("u0", Role::GridWorker),
            ("head", Role::GridHead),
            ("disp", Role::Dispatcher),
            ("unit", Role::HandlingUnit),
            ("sup", Role::TownshipSupervisor),
        ];
        let mut options = Vec::new();
        for (user, role) in actors {
            for a in machine::allowed_actions(&inc, &eff, user, role) {
                options.push((user, role, a));
            }
        }
        let (user, role, action) = match options.choose(rng) {
            Some(o) if rng.random_bool(0.8) => *o,
            _ => (
                "anyone",
                *ROLES.choose(rng).unwrap(),
                *Action::ALL.choose(rng).unwrap(),
            ),
        };
        c.user = user.into();
        c.role = role;
        let fields: BTreeMap<String, String> = [
            ("unit", "unit-road"),
            ("platform", "public_service"),
            ("county", "false"),
            ("days", "2"),
            ("result", "已更换灯泡"),
            ("evidence", "现场照片说明"),
            ("level", "satisfied"),
            ("channel", "resident"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let ev = NewEvent {
            id: id.into(),
            action,
            note: "说明".into(),
            fields,
        };
        if machine::append(&mut self.incident, &c, ev.clone()).is_err() {
            // Written anyway, as a buggy or stale client might: it must be kept and flagged.
            let ev = ev.into_event(&c);
            let events = doc::obj_at(&self.incident, &["events"]).unwrap();
            autosurgeon::reconcile_prop(&mut self.incident, &events, id, &ev).unwrap();
            doc::commit(&mut self.incident, &c, "event");
        }
    }

    fn merge_from(&mut self, other: &mut Replica) {
        self.house.merge(&mut other.house).unwrap();
        self.incident.merge(&mut other.incident).unwrap();
        self.hlc = self.hlc.observe(&other.hlc, other.hlc.wall_ms);
        self.known.extend(other.known.iter().cloned());
    }
}

fn run_case(seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = rng.random_range(3..=5);
    let (mut house, mut incident) = base();
    let mut reps: Vec<Replica> = (0..n)
        .map(|i| Replica {
            name: format!("d{i}"),
            house: house
                .fork()
                .with_actor(ActorId::from([i as u8 + 1; 16].as_slice())),
            incident: incident
                .fork()
                .with_actor(ActorId::from([i as u8 + 1; 16].as_slice())),
            hlc: Hlc::zero(format!("d{i}")),
            known: HashSet::new(),
        })
        .collect();
    let mut exp = Expect::default();
    let steps = rng.random_range(30..80);
    for step in 1..=steps {
        let r = rng.random_range(0..n);
        match rng.random_range(0..11) {
            0 | 1 => {
                let c = reps[r].ctx(step, &mut rng);
                let id = format!("v-{}-{step}", reps[r].name);
                edit::add_visit(&mut reps[r].house, &c, &new_visit(&id, &c)).unwrap();
                // The visit's own registers are new writes nobody else knows yet.
                exp.visits.insert(id);
            }
            2..=4 => reps[r].edit(step, &mut rng, &mut exp),
            5 | 6 => {
                let id = format!("e-{}-{step}", reps[r].name);
                reps[r].incident_event(step, &id, &mut rng);
                exp.events.insert(id);
            }
            7 => reps[r].resolve(step, &mut rng, &mut exp),
            _ => {
                let o = rng.random_range(0..n);
                if o != r {
                    let (a, b) = if r < o {
                        let (x, y) = reps.split_at_mut(o);
                        (&mut x[r], &mut y[0])
                    } else {
                        let (x, y) = reps.split_at_mut(r);
                        (&mut y[0], &mut x[o])
                    };
                    a.merge_from(b);
                }
            }
        }
    }
    // Full sync in a random order: everyone into one hub, then the hub into everyone.
    let hub = rng.random_range(0..n);
    let mut order: Vec<usize> = (0..n).filter(|&i| i != hub).collect();
    order.sort_by_key(|_| rng.random::<u32>());
    for &i in &order {
        house.merge(&mut reps[i].house).unwrap();
        incident.merge(&mut reps[i].incident).unwrap();
    }
    house.merge(&mut reps[hub].house).unwrap();
    incident.merge(&mut reps[hub].incident).unwrap();
    for r in reps.iter_mut() {
        r.house.merge(&mut house).unwrap();
        r.incident.merge(&mut incident).unwrap();
    }

    let first: HouseholdDoc = doc::load(&reps[0].house, 1).unwrap();
    let first_inc: IncidentDoc = doc::load(&reps[0].incident, 1).unwrap();
    let ids = |i: &IncidentDoc| {
        i.ordered_events()
            .iter()
            .map(|e| e.id.clone())
            .collect::<Vec<_>>()
    };
    for r in &reps {
        let h: HouseholdDoc = doc::load(&r.house, 1).unwrap();
        assert!(
            h == first,
            "seed {seed}: replica {} hydrates differently from d0",
            r.name
        );
        assert_eq!(
            conflict::household_conflicts(&h),
            conflict::household_conflicts(&first),
            "seed {seed}: replica {} surfaces different conflicts",
            r.name
        );
        let i: IncidentDoc = doc::load(&r.incident, 1).unwrap();
        assert_eq!(
            ids(&i),
            ids(&first_inc),
            "seed {seed}: replica {} orders the incident log differently",
            r.name
        );
        let (e, e0) = (machine::effective(&i), machine::effective(&first_inc));
        assert_eq!(
            e.state, e0.state,
            "seed {seed}: replica {} computes a different incident state",
            r.name
        );
        assert_eq!(
            e.flagged, e0.flagged,
            "seed {seed}: replica {} flags different events",
            r.name
        );
    }
    for v in &exp.visits {
        assert!(
            first.visits.contains_key(v),
            "seed {seed}: visit {v} was lost"
        );
    }
    let got: BTreeSet<String> = first_inc.events.keys().cloned().collect();
    assert_eq!(
        got, exp.events,
        "seed {seed}: every incident event, legal or not, must survive"
    );
    let eff = machine::effective(&first_inc);
    println!(
        "  household writes={} visits={} events={} flagged={} final state={:?}",
        exp.writes.len(),
        exp.visits.len(),
        got.len(),
        eff.flagged.len(),
        eff.state
    );
    // No silent losers: a write is gone only if a later write by someone who had seen it
    // superseded it; every other write at that path is still live, i.e. surfaced.
    let paths: BTreeSet<&String> = exp.writes.iter().map(|w| &w.path).collect();
    for path in paths {
        let at_path: Vec<&WriteRecord> = exp.writes.iter().filter(|w| &w.path == path).collect();
        let expected: BTreeSet<String> = at_path
            .iter()
            .filter(|w| !at_path.iter().any(|o| o.superseded.contains(&w.at)))
            .map(|w| w.at.clone())
            .collect();
        assert_eq!(
            live_keys(&reps[0].house, path),
            expected,
            "seed {seed}: live writes at {path} differ from the causal expectation"
        );
    }
}

#[test]
fn replicas_that_edit_offline_and_merge_in_any_order_converge_and_lose_nothing() {
    let seeds: Vec<u64> = match std::env::var("GRIDWALK_SEED") {
        Ok(s) => vec![s.parse().expect("GRIDWALK_SEED must be a number")],
        Err(_) => {
            let cases: u64 = std::env::var("GRIDWALK_CASES")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(40);
            // Fixed in CI, so landing never depends on luck; new seeds everywhere else.
            let start: u64 = if std::env::var_os("CI").is_some() {
                20_261_127
            } else {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs()
            };
            (0..cases)
                .map(|i| {
                    start
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(i)
                })
                .collect()
        }
    };
    for seed in seeds {
        println!("convergence case seed={seed} (replay: GRIDWALK_SEED={seed})");
        run_case(seed);
    }
}
