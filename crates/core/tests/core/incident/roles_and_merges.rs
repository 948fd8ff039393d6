//! Role refusals, and merges of concurrent offline actions.

use super::*;

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
