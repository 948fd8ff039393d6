//! Unit tests of the calendar module.

use super::*;

const Y2025: &str = include_str!("../../../../../reference-data/calendar/2025.json");
const Y2026: &str = include_str!("../../../../../reference-data/calendar/2026.json");

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> Timestamp {
    Timestamp::from_shanghai(d(y, m, day).and_hms_opt(h, min, 0).unwrap())
}

fn cal() -> WorkCalendar {
    WorkCalendar::merge([
        WorkCalendar::from_json(Y2025).unwrap(),
        WorkCalendar::from_json(Y2026).unwrap(),
    ])
    .unwrap()
}

#[test]
fn the_shipped_files_load_and_keep_only_weekday_holidays() {
    let c = cal();
    assert!(c.covers(d(2025, 6, 1)) && c.covers(d(2026, 12, 31)));
    assert!(!c.covers(d(2027, 1, 1)), "2027 is not loaded yet");
    assert!(
        c.holidays.iter().all(|h| !is_weekend(*h)),
        "weekend off-days are dropped"
    );
    assert!(
        c.holidays.contains(&d(2026, 10, 1)),
        "National Day is a holiday"
    );
    assert!(
        !c.holidays.contains(&d(2026, 10, 3)),
        "Oct 3 2026 is a Saturday, off anyway"
    );
    assert_eq!(
        c.workdays.len(),
        5 + 6,
        "2025 has five 调休 workdays, 2026 six"
    );
}

#[test]
fn working_days_follow_weekends_holidays_and_adjusted_weekends() {
    let c = cal();
    assert!(c.is_working_day(d(2026, 3, 13)), "an ordinary Friday works");
    assert!(
        !c.is_working_day(d(2026, 3, 14)),
        "an ordinary Saturday is off"
    );
    assert!(
        c.is_working_day(d(2026, 10, 8)),
        "Thursday Oct 8 2026 is the first day back"
    );
    assert!(
        !c.is_working_day(d(2026, 10, 7)),
        "Oct 7 2026 is inside National Day"
    );
    assert!(
        c.is_working_day(d(2026, 10, 10)),
        "Saturday Oct 10 2026 is a 调休 workday"
    );
    assert!(
        c.is_working_day(d(2025, 1, 26)),
        "Sunday Jan 26 2025 is a 调休 workday"
    );
    assert_eq!(c.next_working_day(d(2026, 9, 30)), d(2026, 10, 8));
    assert_eq!(c.working_day_on_or_after(d(2026, 10, 10)), d(2026, 10, 10));
}

#[test]
fn a_deadline_is_at_the_end_of_the_nth_working_day_after_the_start_day() {
    let c = cal();
    // Monday 2026-03-09, 10:00 + 1 working day = Tuesday 17:30.
    assert_eq!(
        c.add_working_days(at(2026, 3, 9, 10, 0), 1),
        at(2026, 3, 10, 17, 30)
    );
    // Before hours changes nothing: the start day is never counted.
    assert_eq!(
        c.add_working_days(at(2026, 3, 9, 7, 0), 1),
        at(2026, 3, 10, 17, 30)
    );
    // Friday evening and Saturday both land on Monday's end.
    assert_eq!(
        c.add_working_days(at(2026, 3, 13, 20, 0), 1),
        at(2026, 3, 16, 17, 30)
    );
    assert_eq!(
        c.add_working_days(at(2026, 3, 14, 10, 0), 1),
        at(2026, 3, 16, 17, 30)
    );
    // n = 0: the end of today if still inside it, else of the next working day.
    assert_eq!(
        c.add_working_days(at(2026, 3, 9, 10, 0), 0),
        at(2026, 3, 9, 17, 30)
    );
    assert_eq!(
        c.add_working_days(at(2026, 3, 9, 18, 0), 0),
        at(2026, 3, 10, 17, 30)
    );
}

#[test]
fn five_working_days_across_national_day_count_the_adjusted_saturday() {
    let c = cal();
    // Wed Sep 30 2026: Oct 1–7 off; Oct 8 (1), 9 (2), Sat 10 调休 (3), 12 (4), 13 (5).
    assert_eq!(
        c.add_working_days(at(2026, 9, 30, 10, 0), 5),
        at(2026, 10, 13, 17, 30),
        "Saturday Oct 10 must count as a working day"
    );
}

#[test]
fn two_working_hours_from_friday_1630_roll_to_monday_0930() {
    let c = cal();
    assert_eq!(
        c.add_working_hours(at(2026, 3, 13, 16, 30), 2),
        at(2026, 3, 16, 9, 30)
    );
    assert_eq!(
        c.add_working_hours(at(2026, 3, 13, 15, 30), 2),
        at(2026, 3, 13, 17, 30),
        "hours that run out exactly at closing time end at closing time"
    );
    assert_eq!(
        c.add_working_hours(at(2026, 3, 14, 11, 0), 2),
        at(2026, 3, 16, 10, 30),
        "a weekend start waits for Monday 08:30"
    );
    assert_eq!(
        c.add_working_hours(at(2026, 3, 13, 7, 0), 0),
        at(2026, 3, 13, 7, 0)
    );
}

#[test]
fn a_lunch_break_stops_the_clock() {
    let lunch = LunchBreak {
        start: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(13, 30, 0).unwrap(),
    };
    let c = cal()
        .with_working_hours(default_work_start(), default_work_end(), Some(lunch))
        .unwrap();
    assert_eq!(
        c.add_working_hours(at(2026, 3, 9, 11, 0), 2),
        at(2026, 3, 9, 14, 30)
    );
    assert_eq!(c.working_day_millis(), 15 * MS_PER_HOUR / 2);
}

#[test]
fn whole_working_days_between_count_full_days_of_working_time() {
    let c = cal();
    let deadline = at(2026, 3, 9, 17, 30);
    assert_eq!(c.working_days_between(deadline, at(2026, 3, 10, 17, 0)), 0);
    assert_eq!(c.working_days_between(deadline, at(2026, 3, 10, 17, 30)), 1);
    assert_eq!(
        c.working_days_between(deadline, at(2026, 3, 16, 9, 0)),
        4,
        "weekend skipped"
    );
    assert_eq!(
        c.working_days_between(at(2026, 3, 10, 17, 30), deadline),
        -1
    );
}

#[test]
fn inconsistent_files_are_rejected_with_a_reason() {
    let both = r#"{"year":2026,"festivals":[{"name":"x","off":["2026-10-10"],"workdays":["2026-10-10"]}]}"#;
    assert!(
        WorkCalendar::from_json(both).is_err(),
        "a day cannot be both off and on"
    );
    let weekday = r#"{"year":2026,"festivals":[{"name":"x","workdays":["2026-10-09"]}]}"#;
    assert!(
        WorkCalendar::from_json(weekday).is_err(),
        "a weekday 调休 is a typo"
    );
    let typo = r#"{"year":2026,"festivals":[{"name":"x","holiday":["2026-10-09"]}]}"#;
    assert!(
        WorkCalendar::from_json(typo).is_err(),
        "unknown keys must not drop data"
    );
    let far = r#"{"year":2026,"festivals":[{"name":"x","off":["2062-10-09"]}]}"#;
    assert!(
        WorkCalendar::from_json(far).is_err(),
        "a date far from the year is a typo"
    );
    let y = WorkCalendar::from_json(Y2026).unwrap();
    assert!(
        WorkCalendar::merge([y.clone(), y]).is_err(),
        "a year loaded twice"
    );
}

#[test]
fn the_flat_form_round_trips_and_old_rows_get_default_hours() {
    let c = cal();
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(serde_json::from_str::<WorkCalendar>(&json).unwrap(), c);
    let old: WorkCalendar = serde_json::from_str(r#"{"holidays":[],"workdays":[]}"#).unwrap();
    assert_eq!(old, WorkCalendar::default());
    assert_eq!(old.work_end, default_work_end());
}
