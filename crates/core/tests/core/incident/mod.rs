//! The incident workflow end to end: every path of DOMAIN.md's table, role refusals,
//! 督办 deadlines, and merges of concurrent offline actions. This module holds the
//! shared fixture; the tests are in its children.

pub(crate) use std::collections::{BTreeMap, BTreeSet};

pub(crate) use Action as A;
pub(crate) use Role as R;
pub(crate) use State as S;
pub(crate) use automerge::{ActorId, AutoCommit};
pub(crate) use chrono::NaiveDate;
pub(crate) use gridwalk_core::doc::incident::{
    INCIDENT_SCHEMA, IncidentDoc, NewEvent, NewIncident, Source,
};
pub(crate) use gridwalk_core::doc::{self, WriteCtx};
pub(crate) use gridwalk_core::incident::supervision::supervision;
pub(crate) use gridwalk_core::incident::{
    Action, Effective, RatingChannel, RatingLevel, ReturnKind, State, allowed_actions, append,
    check, effective,
};
pub(crate) use gridwalk_core::reference::rules::default_sla_rules;
pub(crate) use gridwalk_core::reference::{Platform, Role, Urgency, WorkCalendar};
pub(crate) use gridwalk_core::rules::sla::{self, OverdueLevel};
pub(crate) use gridwalk_core::{CoreError, Hlc, Localized, Timestamp};

/// A user and the role they act in.
type Who = (&'static str, Role);
const WORKER: Who = ("worker-1", R::GridWorker);
const WORKER2: Who = ("worker-2", R::GridWorker);
const HEAD: Who = ("head-1", R::GridHead);
const DISP: Who = ("disp-1", R::Dispatcher);
const UNIT: Who = ("unit-user-1", R::HandlingUnit);
const UNIT_A: Who = ("unit-user-a", R::HandlingUnit);
const UNIT_B: Who = ("unit-user-b", R::HandlingUnit);
const SUP: Who = ("sup-1", R::TownshipSupervisor);
/// The first routing of [`Case::routed`].
const ROUTE: &str = "platform=law_enforcement,unit=u1";

/// Monday 2026-03-02 09:00 in Shanghai.
fn monday_nine() -> i64 {
    let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    Timestamp::from_shanghai(d.and_hms_opt(9, 0, 0).unwrap()).0
}

/// Asserts a condition with a message (keeps the tests on one line each).
fn that(cond: bool, why: &str) {
    assert!(cond, "{why}");
}

/// One replica of one incident document, with its own device clock.
struct Case {
    doc: AutoCommit,
    now: i64,
    device: String,
    seq: u32,
}

impl Case {
    fn new(reporter: Who, platform: Platform) -> Case {
        let mut case = Case {
            doc: AutoCommit::new(),
            now: monday_nine(),
            device: "dev-origin".into(),
            seq: 0,
        };
        let ctx = case.ctx(reporter);
        let n = NewIncident {
            id: "inc-1".into(),
            grid_id: "grid-1".into(),
            households: vec!["hh-1".into()],
            category: "road.pothole".into(),
            platform,
            urgency: Urgency::Normal,
            source: Source::Patrol,
            location: "东街 12 号".into(),
            gps: None,
            parties: String::new(),
            description: "路面塌陷".into(),
        };
        let incident = IncidentDoc::new(n, &ctx).unwrap();
        let actor = ActorId::from(vec![1u8; 16]);
        case.doc = doc::create(actor, &incident, &ctx, "incident.create").unwrap();
        case
    }

    /// Report by a grid worker, grid and township acceptance, and routing.
    fn routed(platform: Platform) -> Case {
        let mut c = Case::new(WORKER, platform);
        c.ok(WORKER, A::Report, "");
        c.ok(HEAD, A::GridAccept, "");
        c.ok(DISP, A::Accept, "");
        c.ok(DISP, A::Route, ROUTE);
        c
    }

    /// Another replica with its own actor and device, starting from this one.
    fn fork(&mut self, device: &str, actor_byte: u8) -> Case {
        let actor = ActorId::from(vec![actor_byte; 16]);
        Case {
            doc: self.doc.fork().with_actor(actor),
            now: self.now,
            device: device.into(),
            seq: 0,
        }
    }

    /// Merges `other` into this replica; the clock observes the other's.
    fn merge_from(&mut self, other: &mut Case) {
        self.doc.merge(&mut other.doc).unwrap();
        self.now = self.now.max(other.now);
    }

    /// A write context one minute after the previous one.
    fn ctx(&mut self, (user, role): Who) -> WriteCtx {
        self.now += 60_000;
        let node = self.device.clone();
        let (wall_ms, counter) = (self.now, 0);
        let hlc = Hlc {
            wall_ms,
            counter,
            node: node.clone(),
        };
        let at = Timestamp(self.now);
        WriteCtx {
            user: user.into(),
            role,
            device: node,
            hlc,
            at,
        }
    }

    /// A new event; `fields` is `key=value,key=value`.
    fn event(&mut self, action: Action, note: &str, fields: &str) -> NewEvent {
        self.seq += 1;
        let fields = fields
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>();
        let id = format!("{}-{:04}", self.device, self.seq);
        let note = note.to_string();
        NewEvent {
            id,
            action,
            note,
            fields,
        }
    }

    fn act(&mut self, who: Who, a: Action, note: &str, fields: &str) -> Result<(), CoreError> {
        let ctx = self.ctx(who);
        let ev = self.event(a, note, fields);
        append(&mut self.doc, &ctx, ev)
    }

    /// Takes an action that must succeed.
    fn ok(&mut self, who: Who, action: Action, fields: &str) {
        let before = self.state().code();
        if let Err(e) = self.act(who, action, "备注", fields) {
            let (user, role, a) = (who.0, who.1.code(), action.code());
            panic!("{user} as {role} should be able to {a} in {before}: {e}");
        }
    }

    /// Takes an action that must be refused with `action_not_allowed`.
    fn no(&mut self, who: Who, action: Action, fields: &str) {
        let before = self.state();
        let (user, role, a) = (who.0, who.1.code(), action.code());
        let st = before.code();
        match self.act(who, action, "备注", fields) {
            Ok(()) => panic!("{user} as {role} must not be able to {a} in {st}"),
            Err(e) => {
                that(is_not_allowed(&e), &format!("{user} doing {a}: {e}"));
                that(self.state() == before, "a refusal leaves the state");
            }
        }
    }

    /// Asserts the effective state.
    fn is(&self, want: State, why: &str) {
        assert_eq!(self.state(), want, "{why}");
    }

    fn load(&self) -> IncidentDoc {
        doc::load(&self.doc, INCIDENT_SCHEMA).unwrap()
    }

    fn eff(&self) -> Effective {
        effective(&self.load())
    }

    fn state(&self) -> State {
        self.eff().state
    }
}

fn is_not_allowed(e: &CoreError) -> bool {
    e.code() == "action_not_allowed"
}

mod paths;
mod roles_and_merges;
