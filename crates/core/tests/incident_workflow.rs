//! The incident workflow end to end: every path of DOMAIN.md's table, role refusals,
//! 督办 deadlines, and merges of concurrent offline actions.

use std::collections::{BTreeMap, BTreeSet};

use Action as A;
use Role as R;
use State as S;
use automerge::{ActorId, AutoCommit};
use chrono::NaiveDate;
use gridwalk_core::doc::incident::{INCIDENT_SCHEMA, IncidentDoc, NewEvent, NewIncident, Source};
use gridwalk_core::doc::{self, WriteCtx};
use gridwalk_core::incident::supervision::supervision;
use gridwalk_core::incident::{
    Action, Effective, RatingChannel, RatingLevel, ReturnKind, State, allowed_actions, append,
    check, effective,
};
use gridwalk_core::reference::rules::default_sla_rules;
use gridwalk_core::reference::{Platform, Role, Urgency, WorkCalendar};
use gridwalk_core::rules::sla::{self, OverdueLevel};
use gridwalk_core::{CoreError, Hlc, Localized, Timestamp};

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

#[test]
fn a_grid_workers_report_goes_through_every_step_to_a_rating() {
    let mut c = Case::new(WORKER, Platform::LawEnforcement);
    c.is(S::Draft, "a new incident is a draft");
    let steps: [(Who, Action, &str, State); 12] = [
        (WORKER, A::Report, "", S::Reported),
        (HEAD, A::GridAccept, "", S::GridAccepted),
        (DISP, A::Accept, "", S::Accepted),
        (DISP, A::Route, ROUTE, S::Routed),
        (UNIT, A::Sign, "", S::InProgress),
        (UNIT, A::Progress, "", S::InProgress),
        (UNIT, A::Feedback, "result=修复", S::Handled),
        (WORKER, A::Verify, "", S::Verified),
        (SUP, A::AddInfo, "", S::Verified),
        (DISP, A::Close, "", S::Closed),
        (WORKER, A::AddInfo, "", S::Closed),
        (WORKER, A::Rate, "level=satisfied,channel=worker", S::Rated),
    ];
    for (who, action, fields, want) in steps {
        c.ok(who, action, fields);
        c.is(want, &format!("after {} by {}", action.code(), who.0));
    }
    let eff = c.eff();
    that(eff.flagged.is_empty(), "a clean path flags nothing");
    let platform = Some(Platform::LawEnforcement);
    assert_eq!(eff.platform, platform, "the route's platform is current");
    assert_eq!(eff.unit.as_deref(), Some("u1"), "the route's unit");
    that(!eff.county, "no county escalation was asked");
    let (r, h) = (eff.reported_at, eff.handled_at);
    let times = [r, eff.routed_at, eff.signed_at, h, eff.closed_at];
    that(
        times.iter().all(Option::is_some),
        "every milestone has a time",
    );
    let ordered = times.windows(2).all(|w| w[0] < w[1]);
    that(ordered, "milestones are in order");
    let reported = Some(Timestamp(monday_nine() + 2 * 60_000));
    assert_eq!(eff.reported_at, reported, "times come from the clock");
    that(!eff.is_self_handled, "it went through the township");
}

#[test]
fn a_small_matter_is_handled_inside_the_grid_and_closed_by_the_grid_head() {
    let mut c = Case::new(WORKER, Platform::InGrid);
    c.ok(WORKER, A::Report, "");
    c.no(WORKER, A::SelfHandle, "");
    c.no(WORKER2, A::SelfHandle, "result=不是我报的");
    c.ok(WORKER, A::SelfHandle, "result=当场劝导清理");
    let eff = c.eff();
    c.is(S::Handled, "the on-the-spot result is handled");
    that(eff.is_self_handled, "it is on the in-grid path");
    that(eff.routed_at.is_none(), "no dispatcher is involved");
    c.no(DISP, A::Close, "");
    c.ok(HEAD, A::Close, "");
    c.is(S::Closed, "the grid head closes, no verification");

    let mut market = Case::new(WORKER, Platform::Market);
    market.no(WORKER, A::SelfHandle, "result=x");
    let part_timer: Who = ("pt-1", R::PartTimeWorker);
    let mut pt = Case::new(part_timer, Platform::InGrid);
    pt.no(part_timer, A::SelfHandle, "result=x");
    pt.ok(part_timer, A::Report, "");
}

#[test]
fn a_failed_check_of_an_in_grid_result_sends_it_back_to_reported() {
    let mut c = Case::new(WORKER, Platform::InGrid);
    c.ok(WORKER, A::SelfHandle, "result=当场处理");
    c.ok(WORKER, A::VerifyFail, "");
    c.is(S::Reported, "a failed in-grid fix is reported again");
    that(!c.eff().is_self_handled, "it leaves the in-grid path");
    c.ok(HEAD, A::GridAccept, "");
    c.is(S::GridAccepted, "now the township takes it");
}

#[test]
fn acceptance_takes_the_grid_head_then_the_dispatcher() {
    let mut c = Case::new(WORKER, Platform::Comprehensive);
    c.ok(WORKER, A::Report, "");
    c.no(DISP, A::Accept, "");
    c.no(HEAD, A::Accept, "");
    c.ok(HEAD, A::GridAccept, "");
    c.no(HEAD, A::GridAccept, "");
    c.ok(DISP, A::Accept, "");
    c.is(S::Accepted, "both stages accepted");

    let mut own = Case::new(HEAD, Platform::Comprehensive);
    own.ok(HEAD, A::Report, "");
    own.is(S::GridAccepted, "a grid head's report is grid-accepted");
    own.ok(DISP, A::Accept, "");
    own.is(S::Accepted, "the dispatcher accepts it directly");
}

#[test]
fn a_returned_incident_is_resubmitted_by_its_reporter_unless_it_is_a_duplicate() {
    let mut c = Case::new(WORKER, Platform::Comprehensive);
    c.ok(WORKER, A::Report, "");
    let e = c.act(HEAD, A::GridReturn, "", "").unwrap_err();
    that(is_not_allowed(&e), "a return needs a reason");
    c.act(HEAD, A::GridReturn, "请补充照片", "").unwrap();
    c.is(S::Returned(ReturnKind::Grid), "returned by the grid");
    c.no(WORKER2, A::Resubmit, "");
    c.ok(WORKER, A::Resubmit, "");
    c.is(S::Reported, "a resubmission goes to the grid head");
    c.ok(HEAD, A::GridAccept, "");
    c.ok(DISP, A::ReturnInsufficient, "");
    c.is(S::Returned(ReturnKind::Insufficient), "insufficient");
    c.ok(WORKER, A::Resubmit, "");
    c.is(S::Reported, "resubmitted after the dispatcher");
    c.ok(HEAD, A::GridAccept, "");
    c.ok(DISP, A::ReturnDuplicate, "");
    c.is(S::Returned(ReturnKind::Duplicate), "a duplicate");
    that(!c.state().is_open(), "a duplicate return is final");
    c.no(WORKER, A::Resubmit, "");
    c.no(SUP, A::Supervise, "");
    c.ok(WORKER, A::AddInfo, "");
}

#[test]
fn a_refused_incident_goes_back_to_the_dispatcher_who_routes_it_again() {
    let mut c = Case::routed(Platform::LawEnforcement);
    c.act(UNIT, A::Refuse, "不属于本单位职责", "").unwrap();
    c.is(S::Accepted, "a refusal goes back to the dispatcher");
    let refusal = c.eff().refusal.expect("the refusal is marked");
    assert_eq!(refusal.unit.as_deref(), Some("u1"), "the refusing unit");
    assert_eq!(refusal.note, "不属于本单位职责", "the reason is kept");
    c.no(UNIT, A::Sign, "");
    c.ok(DISP, A::Route, "platform=comprehensive,unit=u2,county=true");
    let eff = c.eff();
    c.is(S::Routed, "routed again");
    that(eff.refusal.is_none(), "re-routing clears the refusal mark");
    that(eff.county, "county-level escalation is recorded");
    let platform = Some(Platform::Comprehensive);
    assert_eq!(eff.platform, platform, "the new route's platform");
    that(eff.signed_at.is_none(), "the new unit has not signed");
    c.ok(UNIT, A::Sign, "");
}

#[test]
fn a_unit_cannot_feed_back_without_signing() {
    let mut c = Case::routed(Platform::Market);
    c.no(UNIT, A::Feedback, "result=done");
    c.no(UNIT, A::Progress, "");
    c.no(UNIT, A::RequestDelay, "days=2");
}

#[test]
fn action_fields_are_validated() {
    let mut c = Case::new(WORKER, Platform::Market);
    c.ok(WORKER, A::Report, "");
    c.ok(HEAD, A::GridAccept, "");
    c.ok(DISP, A::Accept, "");
    let bad_routes = [
        "platform=market",
        "platform=in_grid,unit=u",
        "platform=moon,unit=u",
        "unit=u,county=maybe",
    ];
    for bad in bad_routes {
        c.no(DISP, A::Route, bad);
    }
    c.ok(DISP, A::Route, "unit=market-station");
    let platform = c.eff().platform;
    assert_eq!(platform, Some(Platform::Market), "the category's platform");
    c.ok(UNIT, A::Sign, "");
    for bad in ["days=0", "days=31", "days=two", "days=-1", ""] {
        c.no(UNIT, A::RequestDelay, bad);
    }
    c.no(UNIT, A::Feedback, "evidence=照片");
    c.ok(UNIT, A::RequestDelay, "days=30");
    c.no(UNIT, A::RequestDelay, "days=2");
    c.ok(UNIT, A::Feedback, "result=提前办完");
    let eff = c.eff();
    that(eff.open_delay.is_none(), "feedback lets a request lapse");
    assert_eq!(eff.granted_delay_days, 0, "nothing was granted");
}

#[test]
fn a_granted_delay_extends_the_feedback_deadline() {
    let (rules, cal) = (default_sla_rules(), WorkCalendar::default());
    let mut granted = Case::routed(Platform::LawEnforcement);
    let mut denied = Case::routed(Platform::LawEnforcement);
    for c in [&mut granted, &mut denied] {
        c.ok(UNIT, A::Sign, "");
        c.ok(UNIT, A::RequestDelay, "days=3");
        c.is(S::DelayRequested, "a request is open");
        c.ok(UNIT, A::Progress, "");
        c.is(S::DelayRequested, "progress keeps the request open");
        c.no(HEAD, A::GrantDelay, "");
    }
    granted.ok(DISP, A::GrantDelay, "");
    denied.ok(DISP, A::DenyDelay, "");
    granted.is(S::InProgress, "a granted delay is decided");
    denied.is(S::InProgress, "a denied delay is decided");
    let (g_doc, d_doc) = (granted.load(), denied.load());
    let (g, d) = (effective(&g_doc), effective(&d_doc));
    assert_eq!(g.granted_delay_days, 3, "three days granted");
    assert_eq!(d.granted_delay_days, 0, "a denied delay adds nothing");
    that(g.open_delay.is_none(), "no request is open");
    granted.no(DISP, A::GrantDelay, "");

    let routed = g.routed_at.unwrap();
    let normal = Urgency::Normal;
    let base = sla::feedback_deadline(&rules, &cal, normal, routed, 0);
    let extended = sla::feedback_deadline(&rules, &cal, normal, routed, 3);
    that(extended > base, "three working days move the deadline");
    let weekday = extended.shanghai_date().format("%a").to_string();
    that(!weekday.starts_with('S'), "a deadline is on a working day");

    let now = Timestamp(base.0 + 3_600_000);
    let sg = supervision(&g_doc, &g, &rules, &cal, now);
    let sd = supervision(&d_doc, &d, &rules, &cal, now);
    let (fg, fd) = (sg.feedback.unwrap(), sd.feedback.unwrap());
    assert_eq!(fg.deadline, extended, "the granted delay is counted");
    assert_eq!(fd.deadline, base, "no delay without a grant");
    assert_eq!(fg.level, OverdueLevel::OnTime, "within the extension");
    that(fd.level.is_overdue(), "past the original deadline");
    let accept = sg.accept.unwrap().level;
    assert_eq!(accept, OverdueLevel::OnTime, "the unit signed in time");
    assert_eq!(sd.level, fd.level, "the worst level is reported");
}

#[test]
fn manual_supervision_counts_while_the_incident_is_open() {
    let (rules, cal) = (default_sla_rules(), WorkCalendar::default());
    let mut c = Case::routed(Platform::Market);
    c.no(HEAD, A::Supervise, "");
    c.ok(SUP, A::Supervise, "");
    let (d, e) = (c.load(), c.eff());
    assert_eq!(e.supervisions.len(), 1, "one supervise event");
    c.is(S::Routed, "supervision never changes the state");
    let s = supervision(&d, &e, &rules, &cal, Timestamp(c.now));
    that(s.manual, "a supervise event raises 督办 by hand");
    let routed = e.routed_at.unwrap();
    let due = sla::accept_deadline(&rules, &cal, Urgency::Normal, routed);
    let accept = s.accept.unwrap();
    assert_eq!(accept.deadline, due, "accepting counts from routing");
    let late = Timestamp(due.0 + 7 * 86_400_000);
    let s = supervision(&d, &e, &rules, &cal, late);
    assert_eq!(s.level, OverdueLevel::Red, "a week unsigned is red");
}

#[test]
fn a_failed_verification_returns_the_incident_to_in_progress() {
    let mut c = Case::routed(Platform::Market);
    c.ok(UNIT, A::Sign, "");
    c.ok(UNIT, A::Feedback, "result=已处理");
    c.no(WORKER2, A::VerifyFail, "");
    c.no(HEAD, A::Close, "");
    c.act(WORKER, A::VerifyFail, "现场仍有积水", "").unwrap();
    c.is(S::InProgress, "a failed check is back in progress");
    let eff = c.eff();
    assert_eq!(eff.failed_verifications, 1, "one failure counted");
    that(eff.handled_at.is_none(), "the feedback clock runs again");
    c.ok(UNIT, A::Feedback, "result=已排水");
    c.ok(WORKER, A::Verify, "");
    c.ok(HEAD, A::Close, "");
    let failed = c.eff().failed_verifications;
    assert_eq!(failed, 1, "the count survives later steps");
}

#[test]
fn a_rating_records_its_level_and_channel() {
    let mut c = Case::routed(Platform::PublicService);
    c.ok(UNIT, A::Sign, "");
    c.ok(UNIT, A::Feedback, "result=已办");
    c.ok(WORKER, A::Verify, "");
    let good = "level=satisfied,channel=resident";
    c.no(WORKER, A::Rate, good);
    c.ok(HEAD, A::Close, "");
    c.no(WORKER, A::Rate, "level=great,channel=resident");
    c.no(WORKER, A::Rate, "level=satisfied,channel=pigeon");
    c.no(UNIT, A::Rate, good);
    c.no(DISP, A::Rate, "level=satisfied,channel=worker");
    c.ok(DISP, A::Rate, "level=basically_satisfied,channel=callback");
    c.is(S::Rated, "rated");
    let rating = c.eff().rating.expect("the rating is recorded");
    let level = RatingLevel::BasicallySatisfied;
    assert_eq!(rating.level, level, "the level is recorded");
    let channel = RatingChannel::Callback;
    assert_eq!(rating.channel, channel, "the channel is recorded");
    assert_eq!(rating.by, DISP.0, "the recorder is kept");
    c.no(WORKER, A::Rate, good);
}

/// What a user who is not the reporter and has not acted yet may do.
fn expected_for_others(state: State, role: Role, routed: bool) -> BTreeSet<Action> {
    let mut v = BTreeSet::new();
    let overseer = matches!(role, R::GridHead | R::TownshipSupervisor | R::Dispatcher);
    if overseer || (role == R::HandlingUnit && routed) {
        v.insert(A::AddInfo);
    }
    let supervisor = matches!(role, R::TownshipSupervisor | R::Dispatcher);
    if supervisor && state.is_open() {
        v.insert(A::Supervise);
    }
    let extra: &[Action] = match (state, role) {
        (S::Reported, R::GridHead) => &[A::GridAccept, A::GridReturn],
        (S::GridAccepted, R::Dispatcher) => &[A::Accept, A::ReturnDuplicate, A::ReturnInsufficient],
        (S::Routed, R::HandlingUnit) => &[A::Sign, A::Refuse],
        (S::InProgress, R::HandlingUnit) => &[A::Progress, A::RequestDelay, A::Feedback],
        (S::Closed, R::GridWorker | R::GridHead | R::Dispatcher) => &[A::Rate],
        _ => &[],
    };
    v.extend(extra.iter().copied());
    v
}

#[test]
fn every_action_by_a_role_that_may_not_take_it_is_refused() {
    let steps: [(Who, Action, &str); 8] = [
        (WORKER, A::Report, ""),
        (HEAD, A::GridAccept, ""),
        (DISP, A::Accept, ""),
        (DISP, A::Route, "unit=u-1"),
        (UNIT, A::Sign, ""),
        (UNIT, A::Feedback, "result=ok"),
        (WORKER, A::Verify, ""),
        (DISP, A::Close, ""),
    ];
    let mut c = Case::new(WORKER, Platform::Comprehensive);
    let mut refusals = 0;
    for (who, action, fields) in steps {
        c.ok(who, action, fields);
        let (d, eff) = (c.load(), c.eff());
        if matches!(eff.state, S::Accepted | S::Verified) {
            continue;
        }
        let st = eff.state.code();
        for r in Role::ALL {
            let other = format!("someone-{}", r.code());
            let want = expected_for_others(eff.state, r, eff.routed_at.is_some());
            let got: BTreeSet<_> = allowed_actions(&d, &eff, &other, r).into_iter().collect();
            assert_eq!(got, want, "{} may do exactly this in {st}", r.code());
            for a in Action::ALL.into_iter().filter(|a| !want.contains(a)) {
                let (id, note, fields) = ("probe".into(), "x".into(), BTreeMap::new());
                let ev = NewEvent {
                    id,
                    action: a,
                    note,
                    fields,
                };
                let err = check(&d, &eff, &ev, &other, r).expect_err("refused");
                let what = format!("{} doing {} in {st}: {err}", r.code(), a.code());
                that(is_not_allowed(&err), &what);
                let named = matches!(err, CoreError::ActionNotAllowed { action, .. }
                    if action == a.code());
                that(named, &format!("the refusal names the action: {what}"));
                refusals += 1;
            }
        }
    }
    that(refusals > 900, "the loop covered the whole table");
    let (d, eff) = (c.load(), c.eff());
    let mine: BTreeSet<_> = allowed_actions(&d, &eff, WORKER.0, WORKER.1)
        .into_iter()
        .collect();
    let want = BTreeSet::from([A::Rate, A::AddInfo]);
    assert_eq!(mine, want, "the reporter may rate and add info");
}

#[test]
fn a_concurrent_close_and_add_info_both_survive_a_merge() {
    let mut a = Case::routed(Platform::Market);
    a.ok(UNIT, A::Sign, "");
    a.ok(UNIT, A::Feedback, "result=已处理");
    a.ok(WORKER, A::Verify, "");
    let mut b = a.fork("phone-b", 2);
    a.ok(DISP, A::Close, "");
    b.act(WORKER, A::AddInfo, "居民补充：已恢复通行", "")
        .unwrap();
    let mut a_copy = a.fork("phone-a2", 3);
    a.merge_from(&mut b);
    b.merge_from(&mut a_copy);
    let (ea, eb) = (a.eff(), b.eff());
    let (la, lb) = (a.load().events, b.load().events);
    that(la == lb, "both replicas hold the same log");
    let has = |x: Action| la.values().any(|e| e.action == x);
    that(has(A::Close) && has(A::AddInfo), "both events survive");
    assert_eq!(ea.state, S::Closed, "the merged incident is closed");
    assert_eq!(ea, eb, "both replicas compute the same view");
    that(ea.flagged.is_empty(), "adding info is legal in any state");
}

#[test]
fn a_second_signature_made_offline_is_kept_and_flagged_on_every_replica() {
    let mut a = Case::routed(Platform::Market);
    let mut b = a.fork("phone-b", 2);
    a.ok(UNIT_A, A::Sign, "");
    b.now += 1;
    b.ok(UNIT_B, A::Sign, "");
    let mut b_copy = b.fork("phone-b2", 4);
    a.merge_from(&mut b);
    b_copy.merge_from(&mut a);
    let (ea, eb) = (a.eff(), b_copy.eff());
    assert_eq!(a.load().events.len(), 6, "no event is dropped");
    assert_eq!(ea.state, S::InProgress, "the first signature counts");
    assert_eq!(ea.flagged.len(), 1, "the later signature is flagged");
    let f = &ea.flagged[0];
    assert_eq!((f.action, f.reason_code), (A::Sign, "wrong_state"), "why");
    that(f.event_id.starts_with("phone-b"), "the later one loses");
    assert_eq!(ea.flagged, eb.flagged, "both replicas flag the same");
    assert_eq!(ea, eb, "both replicas compute the same view");
    a.ok(UNIT_A, A::Feedback, "result=已处理");
    a.is(S::Handled, "work goes on after a flagged event");
}

#[test]
fn a_refusal_racing_a_signature_is_resolved_by_the_clock_the_same_way_everywhere() {
    let mut a = Case::routed(Platform::Market);
    let mut b = a.fork("phone-b", 2);
    a.now += 5_000;
    a.act(UNIT_A, A::Refuse, "非本单位职责", "").unwrap();
    b.ok(UNIT_B, A::Sign, "");
    let mut a_first = a.fork("phone-a2", 5);
    let mut b_first = b.fork("phone-b2", 6);
    a_first.merge_from(&mut b);
    b_first.merge_from(&mut a);
    let (e1, e2) = (a_first.eff(), b_first.eff());
    assert_eq!(e1, e2, "merge order does not matter");
    assert_eq!(e1.state, S::InProgress, "the earlier signature wins");
    let flagged: Vec<_> = e1
        .flagged
        .iter()
        .map(|f| (f.action, f.reason_code))
        .collect();
    let want = vec![(A::Refuse, "wrong_state")];
    assert_eq!(flagged, want, "the later refusal is kept and flagged");
    let log = a_first.load().events;
    that(log.values().any(|e| e.action == A::Refuse), "refusal kept");
}

#[test]
fn an_event_with_a_clock_behind_the_log_is_refused_before_it_is_written() {
    let mut c = Case::routed(Platform::Market);
    c.now -= 3_600_000;
    let e = c.act(UNIT, A::Sign, "", "").unwrap_err();
    that(
        is_not_allowed(&e),
        "a write sorting before the log is refused",
    );
    assert_eq!(c.load().events.len(), 4, "nothing was written");
}

#[test]
fn a_deleted_draft_takes_no_action_but_a_report_racing_the_deletion_wins() {
    let mut c = Case::new(WORKER, Platform::Market);
    let mut b = c.fork("phone-b", 2);
    let ctx = c.ctx(WORKER);
    let (deleted, at) = (Some(ctx.at.0), ctx.hlc.to_string());
    let root = automerge::ROOT;
    doc::register::write(&mut c.doc, &root, "deleted_at", deleted, WORKER.0, &at).unwrap();
    doc::commit(&mut c.doc, &ctx, "incident.delete");
    that(c.eff().deleted_draft, "the draft is deleted");
    c.no(WORKER, A::Report, "");
    let (d, e) = (c.load(), c.eff());
    that(
        allowed_actions(&d, &e, WORKER.0, WORKER.1).is_empty(),
        "no buttons",
    );
    b.ok(WORKER, A::Report, "");
    c.merge_from(&mut b);
    c.is(
        S::Reported,
        "a report made offline before seeing the deletion wins",
    );
    that(
        !c.eff().deleted_draft,
        "a reported incident is not a deleted draft",
    );
}
