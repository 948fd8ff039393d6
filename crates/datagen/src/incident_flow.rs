//! The incident workflow simulation: an incident's event log walked step by step
//! through core's state machine, stopping at the base date.
//!
//! Paths: 网格自办 for in-grid categories (self-handle, grid head closes, rating); for
//! the others report → grid acceptance → township acceptance → routing → signature →
//! progress → feedback → verification → closing → rating, with returns (2–4%), refusals
//! (4%), delay requests (6%), 督办 on late items, failed verifications (5%) and extra
//! information at small rates. Every event is checked with `machine::check` first.

use anyhow::Context;
use gridwalk_core::doc::WriteCtx;
use gridwalk_core::doc::incident::{IncidentDoc, NewEvent};
use gridwalk_core::incident::{Action, Effective, machine};
use gridwalk_core::reference::{HandlingUnit, Platform, Role, Urgency};
use gridwalk_core::{Hlc, Timestamp};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::incident_text::{self as text};
use crate::incidents::IncidentGen;
use crate::model::{EventRec, User};
use crate::sampling::{Ids, Weighted, one_str};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// One incident's log under construction.
pub(crate) struct Sim<'a> {
    /// The document as it would hydrate (events added as they are simulated).
    pub doc: IncidentDoc,
    /// The effective view after the events so far.
    pub eff: Effective,
    /// The events so far.
    pub events: Vec<EventRec>,
    /// Time of the last event.
    pub t: i64,
    /// The base date: no event after it.
    pub now: i64,
    /// Set once an event would fall after `now`.
    pub stopped: bool,
    /// Id source.
    pub ids: &'a mut Ids,
}

impl Sim<'_> {
    /// Adds an event `after` ms from the last one, unless that is past the base date.
    pub(crate) fn act(
        &mut self,
        who: &User,
        action: Action,
        after: i64,
        note: &str,
        fields: &[(&str, String)],
    ) -> anyhow::Result<bool> {
        if self.stopped {
            return Ok(false);
        }
        let at = self.t + after.max(1_000);
        if at > self.now {
            self.stopped = true;
            return Ok(false);
        }
        let ev = NewEvent {
            id: self.ids.uuid(at),
            action,
            note: note.to_string(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        };
        machine::check(&self.doc, &self.eff, &ev, &who.id, who.role).with_context(|| {
            format!(
                "incident {}: {} by {:?}",
                self.doc.id,
                action.code(),
                who.role
            )
        })?;
        let ctx = ctx_for(who, at);
        let event = ev.into_event(&ctx);
        self.events.push(EventRec {
            id: event.id.clone(),
            incident_id: self.doc.id.clone(),
            action,
            actor_user: who.id.clone(),
            role: who.role,
            device: who.device.clone(),
            at,
            hlc: String::new(),
            note: event.note.clone(),
            fields: event.fields.clone(),
        });
        self.doc.events.insert(event.id.clone(), event);
        self.eff = machine::effective(&self.doc);
        self.t = at;
        Ok(true)
    }
}

/// A provisional write context: the HLC's wall time is the action's time, which is what
/// the final clock pass gives too (only counters may differ), so event order holds.
pub(crate) fn ctx_for(who: &User, at: i64) -> WriteCtx {
    WriteCtx {
        user: who.id.clone(),
        role: who.role,
        device: who.device.clone(),
        hlc: Hlc {
            wall_ms: at,
            counter: 0,
            node: who.device.clone(),
        },
        at: Timestamp(at),
    }
}

pub(crate) fn hours<R: Rng>(rng: &mut R, lo: f64, hi: f64) -> i64 {
    (rng.random_range(lo..hi) * HOUR as f64) as i64
}

impl IncidentGen<'_> {
    fn people(&self, gi: usize) -> (&User, &User, &User, &User) {
        let g = &self.layout.grids[gi];
        let t = self.layout.villages[g.village].township;
        let s = self.staff;
        (
            &s.users[s.worker_of_grid[gi]],
            &s.users[s.head_of_village[g.village]],
            &s.users[s.dispatcher[t]],
            &s.users[s.supervisors[t][0]],
        )
    }

    pub(crate) fn in_grid(
        &self,
        rng: &mut ChaCha8Rng,
        sim: &mut Sim,
        gi: usize,
        reporter: &User,
        code: &str,
    ) -> anyhow::Result<()> {
        let (worker, head, _, _) = self.people(gi);
        if reporter.role == Role::GridWorker && rng.random_bool(0.3) {
            sim.act(
                reporter,
                Action::Report,
                rng.random_range(2..20) * MIN,
                "",
                &[],
            )?;
        }
        let result = text::result(rng, code, Platform::InGrid);
        sim.act(
            reporter,
            Action::SelfHandle,
            hours(rng, 0.1, 3.0),
            &result,
            &[("result", result.clone())],
        )?;
        sim.act(
            head,
            Action::Close,
            hours(rng, 1.0, 48.0),
            "网格自办，已办结",
            &[],
        )?;
        if rng.random_bool(0.6) {
            self.rate(rng, sim, reporter, worker, None)?;
        }
        Ok(())
    }

    fn rate(
        &self,
        rng: &mut ChaCha8Rng,
        sim: &mut Sim,
        reporter: &User,
        worker: &User,
        dispatcher: Option<&User>,
    ) -> anyhow::Result<bool> {
        let level = *Weighted::new([
            ("satisfied", 85.0),
            ("basically_satisfied", 12.0),
            ("unsatisfied", 3.0),
        ])
        .pick(rng);
        let (who, channel) = match (dispatcher, rng.random_range(0..3)) {
            (Some(d), 0) => (d, "callback"),
            (_, 1) => (worker, "worker"),
            _ => (reporter, "resident"),
        };
        sim.act(
            who,
            Action::Rate,
            hours(rng, 1.0, 72.0),
            "",
            &[
                ("level", level.to_string()),
                ("channel", channel.to_string()),
            ],
        )
    }

    fn unit_for(
        &self,
        rng: &mut ChaCha8Rng,
        township_id: &str,
        platform: Platform,
        county: bool,
        not: Option<&str>,
    ) -> &HandlingUnit {
        let pool: Vec<&HandlingUnit> = self
            .staff
            .units
            .iter()
            .filter(|u| u.platform == platform && Some(u.id.as_str()) != not)
            .filter(|u| {
                if county {
                    u.township_id.is_none()
                } else {
                    u.township_id.as_deref() == Some(township_id)
                }
            })
            .collect();
        match pool.as_slice() {
            [] => self
                .staff
                .units
                .iter()
                .find(|u| u.platform == platform && u.township_id.is_none())
                .unwrap_or(&self.staff.units[0]),
            p => p[rng.random_range(0..p.len())],
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn routed(
        &self,
        rng: &mut ChaCha8Rng,
        sim: &mut Sim,
        gi: usize,
        reporter: &User,
        code: &str,
        platform: Platform,
        urgency: Urgency,
    ) -> anyhow::Result<()> {
        let (worker, head, dispatcher, supervisor) = self.people(gi);
        let township =
            &self.layout.townships[self.layout.villages[self.layout.grids[gi].village].township];
        let by_head = reporter.role == Role::GridHead;
        sim.act(
            reporter,
            Action::Report,
            rng.random_range(2..20) * MIN,
            "",
            &[],
        )?;
        if rng.random_bool(0.05) {
            sim.act(
                reporter,
                Action::AddInfo,
                hours(rng, 0.2, 4.0),
                "补充：现场照片已拍，当事人电话已登记",
                &[],
            )?;
        }
        if !by_head {
            if rng.random_bool(0.04) {
                sim.act(
                    head,
                    Action::GridReturn,
                    hours(rng, 0.5, 8.0),
                    "描述不清，请补充具体位置和现场情况",
                    &[],
                )?;
                sim.act(
                    reporter,
                    Action::Resubmit,
                    hours(rng, 2.0, 30.0),
                    "已补充具体位置",
                    &[],
                )?;
            }
            sim.act(
                head,
                Action::GridAccept,
                hours(rng, 0.5, 8.0),
                "情况属实，转乡镇四平台",
                &[],
            )?;
        }
        let roll: f64 = rng.random();
        if roll < 0.02 {
            sim.act(
                dispatcher,
                Action::ReturnDuplicate,
                hours(rng, 0.5, 6.0),
                "与已上报事件重复",
                &[],
            )?;
            return Ok(());
        }
        if roll < 0.05 {
            sim.act(
                dispatcher,
                Action::ReturnInsufficient,
                hours(rng, 0.5, 6.0),
                "缺少当事人联系方式，请补充",
                &[],
            )?;
            sim.act(
                reporter,
                Action::Resubmit,
                hours(rng, 2.0, 30.0),
                "已补充当事人联系方式",
                &[],
            )?;
            if !by_head {
                sim.act(
                    head,
                    Action::GridAccept,
                    hours(rng, 0.5, 8.0),
                    "已补充，转四平台",
                    &[],
                )?;
            }
        }
        sim.act(
            dispatcher,
            Action::Accept,
            hours(rng, 0.5, 6.0),
            "已受理",
            &[],
        )?;
        let emergency = urgency == Urgency::Emergency;
        let county =
            matches!(urgency, Urgency::Serious | Urgency::Emergency) && rng.random_bool(0.3);
        let mut unit = self.unit_for(rng, &township.id, platform, county, None);
        let route = |u: &HandlingUnit, county: bool| {
            vec![
                ("platform", platform.code().to_string()),
                ("unit", u.id.clone()),
                ("county", county.to_string()),
            ]
        };
        sim.act(
            dispatcher,
            Action::Route,
            hours(rng, 0.2, 3.0),
            &format!("请{}按时限处置", unit.name),
            &route(unit, county),
        )?;
        let unit_user = |u: &HandlingUnit| &self.staff.users[self.staff.unit_user[&u.id]];
        let sign_after = if emergency {
            hours(rng, 0.2, 1.5)
        } else {
            hours(rng, 1.0, 20.0)
        };
        if rng.random_bool(0.04) {
            sim.act(
                unit_user(unit),
                Action::Refuse,
                sign_after,
                one_str(rng, text::REFUSE),
                &[],
            )?;
            let next = self.unit_for(rng, &township.id, platform, true, Some(&unit.id));
            unit = next;
            sim.act(
                dispatcher,
                Action::Route,
                hours(rng, 0.5, 4.0),
                &format!("改派{}", unit.name),
                &route(unit, true),
            )?;
        }
        let handler = unit_user(unit);
        sim.act(handler, Action::Sign, sign_after, "已签收", &[])?;
        if rng.random_bool(0.5) {
            sim.act(
                handler,
                Action::Progress,
                hours(rng, 4.0, 48.0),
                "已安排人员到现场核实",
                &[],
            )?;
        }
        if rng.random_bool(0.06) {
            let days = rng.random_range(3..=10);
            sim.act(
                handler,
                Action::RequestDelay,
                hours(rng, 8.0, 48.0),
                "需协调相关部门，申请延期",
                &[("days", days.to_string())],
            )?;
            if rng.random_bool(0.8) {
                sim.act(
                    dispatcher,
                    Action::GrantDelay,
                    hours(rng, 2.0, 10.0),
                    "同意延期",
                    &[],
                )?;
            } else {
                sim.act(
                    dispatcher,
                    Action::DenyDelay,
                    hours(rng, 2.0, 10.0),
                    "不同意延期，请按时办结",
                    &[],
                )?;
            }
        }
        let handle = match urgency {
            Urgency::Emergency => hours(rng, 2.0, 20.0),
            Urgency::Serious => rng.random_range(DAY..3 * DAY),
            _ => rng.random_range(DAY..5 * DAY),
        };
        let late = rng.random_bool(0.08);
        if late && rng.random_bool(0.5) {
            let who = if rng.random_bool(0.5) {
                supervisor
            } else {
                dispatcher
            };
            sim.act(
                who,
                Action::Supervise,
                handle,
                "该事件已超期，请加快办理",
                &[],
            )?;
        }
        let result = text::result(rng, code, platform);
        sim.act(
            handler,
            Action::Feedback,
            if late { handle * 2 } else { handle },
            &result,
            &[("result", result.clone())],
        )?;
        if rng.random_bool(0.05) {
            sim.act(
                reporter,
                Action::VerifyFail,
                hours(rng, 4.0, 48.0),
                one_str(rng, text::VERIFY_FAIL),
                &[],
            )?;
            let again = text::result(rng, code, platform);
            sim.act(
                handler,
                Action::Feedback,
                rng.random_range(DAY..3 * DAY),
                &again,
                &[("result", again.clone())],
            )?;
        }
        sim.act(
            reporter,
            Action::Verify,
            hours(rng, 4.0, 48.0),
            "现场核实，问题已解决",
            &[],
        )?;
        let closer = if rng.random_bool(0.85) {
            dispatcher
        } else {
            head
        };
        sim.act(closer, Action::Close, hours(rng, 1.0, 24.0), "办结", &[])?;
        if rng.random_bool(0.75) {
            self.rate(rng, sim, reporter, worker, Some(dispatcher))?;
        }
        Ok(())
    }
}
