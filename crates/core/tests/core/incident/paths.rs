//! Every path through the workflow, deadlines and 督办.

use super::*;

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
