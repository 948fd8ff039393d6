//! Unit tests of the review status and lineage.

use super::*;
use crate::doc::edit::{self, Edit};
use crate::doc::household::{Address, HouseholdStatus, NewHousehold};
use crate::doc::records::NewVisit;
use crate::doc::{self, WriteCtx};
use crate::{Hlc, Timestamp};
use automerge::ActorId;
use std::collections::BTreeMap;

const T0: i64 = 1_795_000_000_000;

fn ctx(user: &str, role: Role, node: &str, ms: i64) -> WriteCtx {
    WriteCtx {
        user: user.into(),
        role,
        device: node.into(),
        hlc: Hlc {
            wall_ms: T0 + ms,
            counter: 0,
            node: node.into(),
        },
        at: Timestamp(T0 + ms),
    }
}

fn worker(ms: i64) -> WriteCtx {
    ctx("u-worker", Role::GridWorker, "dev-a", ms)
}

fn head(ms: i64) -> WriteCtx {
    ctx("u-head", Role::GridHead, "server", ms)
}

/// A household with one visit `v1`, as the worker saved it.
fn household_with_visit() -> AutoCommit {
    let c = worker(0);
    let h = HouseholdDoc::new(
        NewHousehold {
            id: "h1".into(),
            grid_id: "g1".into(),
            micro_grid_id: None,
            address: Address {
                street: Some("丽阳街88号".into()),
                ..Default::default()
            },
            status: HouseholdStatus::Occupied,
            tags: BTreeMap::new(),
        },
        &c,
    )
    .unwrap();
    let mut d = doc::create(ActorId::from([1u8; 16].as_slice()), &h, &c, "create").unwrap();
    let c = worker(10);
    let mut v = NewVisit::routine("v1", c.at.0);
    v.note = "初次走访".into();
    let v = v.into_record(&c).unwrap();
    edit::add_visit(&mut d, &c, &v).unwrap();
    d
}

fn hydrated(d: &AutoCommit) -> HouseholdDoc {
    doc::load(d, crate::doc::household::HOUSEHOLD_SCHEMA).unwrap()
}

fn review(d: &mut AutoCommit, c: &WriteCtx, id: &str, decision: Decision, reason: &str) {
    let shown = shown_content_key(&hydrated(d), RecordKind::Visit, "v1");
    let r = Review {
        id: id.into(),
        target_kind: "visit".into(),
        target_id: "v1".into(),
        decision,
        reason: reason.into(),
        reviewer_user: c.user.clone(),
        role: c.role,
        hlc: c.hlc.to_string(),
        content_hlc: shown,
    };
    edit::add_review(d, c, &r).unwrap();
}

fn fix(d: &mut AutoCommit, c: &WriteCtx, note: &str) {
    let h = hydrated(d);
    let mut content = h.visits["v1"].current().unwrap().clone();
    content.note = note.into();
    edit::apply_edit(d, c, Edit::VisitContent("v1".into(), content)).unwrap();
}

fn status_now(d: &AutoCommit) -> ReviewStatus {
    status(&hydrated(d), RecordKind::Visit, "v1").unwrap()
}

#[test]
fn a_record_nobody_reviewed_is_unreviewed_and_an_unknown_one_has_no_status() {
    let d = household_with_visit();
    assert_eq!(status_now(&d), ReviewStatus::Unreviewed);
    assert_eq!(status(&hydrated(&d), RecordKind::Visit, "nope"), None);
    assert_eq!(
        status(&hydrated(&d), RecordKind::Contact, "v1"),
        None,
        "a visit id is not a contact log"
    );
}

#[test]
fn an_approval_of_the_shown_content_makes_the_record_approved() {
    let mut d = household_with_visit();
    review(&mut d, &head(100), "r1", Decision::Approve, "");
    assert_eq!(status_now(&d), ReviewStatus::Approved);
}

#[test]
fn return_then_fix_then_approve_walks_the_whole_loop_and_keeps_every_step() {
    let mut d = household_with_visit();
    review(&mut d, &head(100), "r1", Decision::Return, "未填写服务内容");
    match status_now(&d) {
        ReviewStatus::Returned {
            reason, reviewer, ..
        } => {
            assert_eq!(
                reason, "未填写服务内容",
                "the reason travels with the return"
            );
            assert_eq!(reviewer, "u-head");
        }
        other => panic!("expected returned, got {other:?}"),
    }
    fix(&mut d, &worker(200), "补充：帮助老人预约体检");
    assert_eq!(
        status_now(&d),
        ReviewStatus::Resubmitted,
        "a fix after a return waits for a review again"
    );
    review(&mut d, &head(300), "r2", Decision::Approve, "");
    assert_eq!(status_now(&d), ReviewStatus::Approved);

    let h = hydrated(&d);
    let steps = lineage(&mut d, &h, RecordKind::Visit, "v1").unwrap();
    let kinds: Vec<LineageKind> = steps.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        vec![
            LineageKind::Submitted,
            LineageKind::Returned,
            LineageKind::Fixed,
            LineageKind::Approved
        ],
        "the lineage keeps the superseded submission as well as the fix"
    );
    match &steps[0].content {
        Some(RecordContent::Visit(c)) => assert_eq!(c.note, "初次走访"),
        other => panic!("the submission keeps its original content, got {other:?}"),
    }
    assert_eq!(steps[0].role, Some(Role::GridWorker));
    assert_eq!(steps[1].reason, "未填写服务内容");
    assert_eq!(fix_count(&mut d, &h, RecordKind::Visit, "v1").unwrap(), 1);
}

#[test]
fn a_fix_concurrent_with_an_approval_keeps_both_and_the_record_is_resubmitted() {
    let mut d = household_with_visit();
    review(&mut d, &head(100), "r1", Decision::Return, "地址不全");
    let mut device = d.fork().with_actor(ActorId::from([2u8; 16].as_slice()));
    // The worker fixes offline; the head, not seeing the fix, approves later by the clock.
    fix(&mut device, &worker(200), "已核实门牌");
    review(&mut d, &head(300), "r2", Decision::Approve, "");
    d.merge(&mut device).unwrap();

    assert_eq!(
        status_now(&d),
        ReviewStatus::Resubmitted,
        "the approval did not see the fix, so the fix still needs a review"
    );
    let h = hydrated(&d);
    let kinds: Vec<LineageKind> = lineage(&mut d, &h, RecordKind::Visit, "v1")
        .unwrap()
        .iter()
        .map(|s| s.kind)
        .collect();
    assert!(
        kinds.contains(&LineageKind::Fixed) && kinds.contains(&LineageKind::Approved),
        "both concurrent writes survive in the lineage: {kinds:?}"
    );
}

#[test]
fn two_concurrent_reviews_both_stay_and_the_later_by_clock_decides() {
    let mut d = household_with_visit();
    let mut other = d.fork().with_actor(ActorId::from([3u8; 16].as_slice()));
    review(&mut d, &head(100), "r1", Decision::Approve, "");
    review(
        &mut other,
        &ctx("u-super", Role::TownshipSupervisor, "server-2", 150),
        "r2",
        Decision::Return,
        "照片缺失",
    );
    d.merge(&mut other).unwrap();
    let h = hydrated(&d);
    assert_eq!(reviews_of(&h, RecordKind::Visit, "v1").len(), 2);
    assert!(matches!(
        status_now(&d),
        ReviewStatus::Returned { ref reason, .. } if reason == "照片缺失"
    ));
}

#[test]
fn a_review_without_the_seen_content_falls_back_to_the_clock() {
    let old = Review {
        id: "r".into(),
        target_kind: "visit".into(),
        target_id: "v1".into(),
        decision: Decision::Approve,
        reason: String::new(),
        reviewer_user: "u".into(),
        role: Role::GridHead,
        hlc: "0000000000000200-00000-s".into(),
        content_hlc: None,
    };
    let before = vec!["0000000000000100-00000-d".to_string()];
    let after = vec!["0000000000000300-00000-d".to_string()];
    assert_eq!(status_of(&before, &[&old]), ReviewStatus::Approved);
    assert_eq!(status_of(&after, &[&old]), ReviewStatus::Resubmitted);
}
