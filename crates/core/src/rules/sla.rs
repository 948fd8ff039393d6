//! SLA deadlines for routed incidents and the 督办 (supervision) level of an overdue item.
//!
//! Deadlines come from the rule table ([`SlaRule`], data) and the working-day calendar
//! ([`WorkCalendar`]); nothing here is hard-coded but the fallback to the default table.
//! Boundaries, precisely:
//!
//! - A deadline counted in working days is the end of working time (17:30 by default) of
//!   the n-th working day strictly after the routing day
//!   ([`WorkCalendar::add_working_days`]); one counted in working hours runs only inside
//!   working time ([`WorkCalendar::add_working_hours`]).
//! - Acting exactly at the deadline is on time; one millisecond later is overdue.
//! - Yellow from one full working day of working time past the deadline, red from three
//!   ([`WorkCalendar::working_days_between`]): with a Monday 17:30 deadline, yellow at
//!   Tuesday 17:30 and red at Thursday 17:30 (plain week).
//! - A finished item keeps the level it had when it was done: lateness is history.

use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::reference::calendar::WorkCalendar;
use crate::reference::category::Urgency;
use crate::reference::rules::{SlaRule, default_sla_rules};

/// The rule for `urgency`: the first matching row of `rules`, or the default table's row
/// when the table has none (so a missing row never leaves an incident without a deadline).
pub fn rule_for(rules: &[SlaRule], urgency: Urgency) -> SlaRule {
    rules
        .iter()
        .find(|r| r.urgency == urgency)
        .cloned()
        .or_else(|| {
            default_sla_rules()
                .into_iter()
                .find(|r| r.urgency == urgency)
        })
        .expect("the default table covers every urgency")
}

/// When a routed item must be accepted (签收). Working hours win when the rule has them
/// (紧急: 2 working hours from routing); otherwise working days (end of the n-th working
/// day after the routing day); a rule with neither allows one working day.
pub fn accept_deadline(
    rules: &[SlaRule],
    calendar: &WorkCalendar,
    urgency: Urgency,
    routed_at: Timestamp,
) -> Timestamp {
    let rule = rule_for(rules, urgency);
    match (rule.accept_working_hours, rule.accept_working_days) {
        (Some(h), _) => calendar.add_working_hours(routed_at, h),
        (None, Some(d)) => calendar.add_working_days(routed_at, d),
        (None, None) => calendar.add_working_days(routed_at, 1),
    }
}

/// When feedback (已反馈) is due: the rule's working days plus any granted delays, counted
/// from the routing day, ending at the end of working time of the last day.
pub fn feedback_deadline(
    rules: &[SlaRule],
    calendar: &WorkCalendar,
    urgency: Urgency,
    routed_at: Timestamp,
    granted_delay_working_days: u32,
) -> Timestamp {
    let days = rule_for(rules, urgency)
        .feedback_working_days
        .saturating_add(granted_delay_working_days);
    calendar.add_working_days(routed_at, days)
}

/// How late an item is, for 督办. Ordered from on time to red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverdueLevel {
    /// Done by the deadline, or not yet due.
    OnTime,
    /// Past due by less than one working day (normal level).
    Overdue,
    /// 黄牌: at least one working day past due.
    Yellow,
    /// 红牌: at least three working days past due.
    Red,
}

impl OverdueLevel {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            OverdueLevel::OnTime => "on_time",
            OverdueLevel::Overdue => "overdue",
            OverdueLevel::Yellow => "yellow",
            OverdueLevel::Red => "red",
        }
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            OverdueLevel::OnTime => "按时",
            OverdueLevel::Overdue => "已超期",
            OverdueLevel::Yellow => "黄色督办",
            OverdueLevel::Red => "红色督办",
        }
    }

    /// Is the item past its deadline at all?
    pub fn is_overdue(self) -> bool {
        self != OverdueLevel::OnTime
    }
}

/// The 督办 level of an item with `deadline`: judged at `done_at` if it is done (the level
/// freezes there), else at `now`. On time up to and including the deadline; then overdue;
/// yellow from 1 whole working day past due; red from 3.
pub fn overdue_level(
    calendar: &WorkCalendar,
    deadline: Timestamp,
    done_at: Option<Timestamp>,
    now: Timestamp,
) -> OverdueLevel {
    let at = done_at.unwrap_or(now);
    if at <= deadline {
        return OverdueLevel::OnTime;
    }
    match calendar.working_days_between(deadline, at) {
        d if d >= 3 => OverdueLevel::Red,
        d if d >= 1 => OverdueLevel::Yellow,
        _ => OverdueLevel::Overdue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const Y2026: &str = include_str!("../../../../reference-data/calendar/2026.json");

    fn at(m: u32, d: u32, h: u32, min: u32) -> Timestamp {
        let day = NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        Timestamp::from_shanghai(day.and_hms_opt(h, min, 0).unwrap())
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::from_json(Y2026).unwrap()
    }

    #[test]
    fn an_emergency_must_be_accepted_within_two_working_hours() {
        let rules = default_sla_rules();
        assert_eq!(
            accept_deadline(&rules, &cal(), Urgency::Emergency, at(3, 13, 16, 30)),
            at(3, 16, 9, 30),
            "Friday 16:30 + 2 working hours: one hour on Friday, one on Monday morning"
        );
    }

    #[test]
    fn ordinary_items_are_accepted_by_the_end_of_the_next_working_day() {
        let rules = default_sla_rules();
        assert_eq!(
            accept_deadline(&rules, &cal(), Urgency::Normal, at(3, 9, 10, 0)),
            at(3, 10, 17, 30),
            "routed Monday, accepted by the end of Tuesday"
        );
    }

    #[test]
    fn feedback_across_national_day_counts_the_adjusted_saturday() {
        let rules = default_sla_rules();
        // Routed Wed Sep 30: Oct 8, 9, Sat 10 (调休), 12, 13 are the five working days.
        assert_eq!(
            feedback_deadline(&rules, &cal(), Urgency::Normal, at(9, 30, 10, 0), 0),
            at(10, 13, 17, 30),
            "the 调休 Saturday Oct 10 is a working day"
        );
        assert_eq!(
            feedback_deadline(&rules, &cal(), Urgency::Normal, at(9, 30, 10, 0), 2),
            at(10, 15, 17, 30),
            "a granted delay of 2 working days adds Wednesday and Thursday"
        );
    }

    #[test]
    fn a_missing_rule_falls_back_to_the_default_table() {
        assert_eq!(
            feedback_deadline(&[], &cal(), Urgency::Serious, at(3, 9, 10, 0), 0),
            at(3, 12, 17, 30),
            "重大 feedback is 3 working days by default"
        );
    }

    #[test]
    fn overdue_levels_change_at_whole_working_days_past_the_deadline() {
        let c = cal();
        let deadline = at(3, 9, 17, 30); // Monday
        let level = |now| overdue_level(&c, deadline, None, now);
        assert_eq!(
            level(at(3, 9, 17, 30)),
            OverdueLevel::OnTime,
            "exactly at the deadline is on time"
        );
        assert_eq!(level(at(3, 9, 17, 31)), OverdueLevel::Overdue);
        assert_eq!(
            level(at(3, 10, 17, 29)),
            OverdueLevel::Overdue,
            "not yet a full working day"
        );
        assert_eq!(
            level(at(3, 10, 17, 30)),
            OverdueLevel::Yellow,
            "one working day past due"
        );
        assert_eq!(level(at(3, 12, 17, 29)), OverdueLevel::Yellow);
        assert_eq!(
            level(at(3, 12, 17, 30)),
            OverdueLevel::Red,
            "three working days past due"
        );
    }

    #[test]
    fn a_weekend_does_not_make_an_item_yellow() {
        let c = cal();
        let friday = at(3, 13, 17, 30);
        assert_eq!(
            overdue_level(&c, friday, None, at(3, 16, 9, 0)),
            OverdueLevel::Overdue,
            "Saturday and Sunday are not working days"
        );
    }

    #[test]
    fn a_done_item_keeps_the_level_it_had_when_done() {
        let c = cal();
        let deadline = at(3, 9, 17, 30);
        let done = Some(at(3, 10, 9, 0));
        assert_eq!(
            overdue_level(&c, deadline, done, at(6, 1, 9, 0)),
            OverdueLevel::Overdue
        );
        assert_eq!(
            overdue_level(&c, deadline, Some(at(3, 9, 12, 0)), at(6, 1, 9, 0)),
            OverdueLevel::OnTime
        );
    }
}
