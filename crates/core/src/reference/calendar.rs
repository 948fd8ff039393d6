//! The working-day calendar: weekends, public holidays and adjusted working weekends
//! (调休) as data, plus the working hours. Holidays change every year by State Council
//! notice, so they are never hard-coded; an admin loads each year's table from
//! `reference-data/calendar/YYYY.json` (see the README there) with
//! [`WorkCalendar::from_json`] and combines years with [`WorkCalendar::merge`].
//!
//! All days are Asia/Shanghai days. The rules, precisely:
//!
//! - **Working day**: Monday–Friday unless listed in `holidays`; a Saturday or Sunday only
//!   if listed in `workdays` (调休上班).
//! - **Working time**: `work_start`..`work_end` (default 08:30–17:30) of a working day,
//!   minus the optional `lunch` break. By default there is no lunch break: command rooms
//!   and handling units keep the phone staffed, so the clock runs 9 hours a day.
//! - **End of a working day**: `work_end` on that day. Deadlines fall there.
//! - **Counting working days** ([`WorkCalendar::add_working_days`]): the start's own day is
//!   never counted (开始的当日不计入, as the Civil Code counts periods), whatever the time of
//!   day and whether or not it is a working day; the n-th working day strictly after it
//!   is the deadline day.
//! - **Counting working hours** ([`WorkCalendar::add_working_hours`]): only time inside
//!   working time counts; a start outside it waits for the next working time.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

use crate::{CoreError, Timestamp};

const MS_PER_HOUR: i64 = 3_600_000;

/// A break inside the working day during which working time does not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LunchBreak {
    /// When the break starts (Shanghai wall clock).
    pub start: NaiveTime,
    /// When working time resumes.
    pub end: NaiveTime,
}

/// A working-day calendar in Asia/Shanghai.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    /// Weekdays that are days off (public holidays). Weekend days never appear here.
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休).
    pub workdays: BTreeSet<NaiveDate>,
    /// When working time starts on a working day (default 08:30).
    #[serde(default = "default_work_start")]
    pub work_start: NaiveTime,
    /// When working time ends; deadlines fall at this time (default 17:30).
    #[serde(default = "default_work_end")]
    pub work_end: NaiveTime,
    /// An optional lunch break, outside working time. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lunch: Option<LunchBreak>,
    /// The years whose State Council schedule is loaded. Other years fall back to plain
    /// Monday–Friday; see [`WorkCalendar::covers`].
    #[serde(default)]
    pub years: BTreeSet<i32>,
}

fn default_work_start() -> NaiveTime {
    NaiveTime::from_hms_opt(8, 30, 0).expect("08:30 exists")
}

fn default_work_end() -> NaiveTime {
    NaiveTime::from_hms_opt(17, 30, 0).expect("17:30 exists")
}

impl Default for WorkCalendar {
    /// Plain Monday–Friday, 08:30–17:30, no holidays loaded.
    fn default() -> Self {
        WorkCalendar {
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
            work_start: default_work_start(),
            work_end: default_work_end(),
            lunch: None,
            years: BTreeSet::new(),
        }
    }
}

/// One year's file, as an admin writes it (see `reference-data/calendar/README.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
    festivals: Vec<Festival>,
    #[serde(default = "default_work_start")]
    work_start: NaiveTime,
    #[serde(default = "default_work_end")]
    work_end: NaiveTime,
    #[serde(default)]
    lunch: Option<LunchBreak>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Festival {
    #[allow(dead_code)]
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(default)]
    off: Vec<NaiveDate>,
    #[serde(default)]
    workdays: Vec<NaiveDate>,
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn bad(msg: String) -> CoreError {
    CoreError::InvalidReference(msg)
}

impl WorkCalendar {
    /// Loads one year's file (the format of `reference-data/calendar/README.md`).
    ///
    /// Weekend days listed as `off` are ignored (they are off anyway), so the file may
    /// copy the notice's spans as they are. Rejected: a date both off and a 调休 workday,
    /// a weekday listed as a 调休 workday (pointless, so almost surely a typo), a date more
    /// than a year away from `year`, inconsistent working hours and unknown fields.
    pub fn from_json(json: &str) -> Result<WorkCalendar, CoreError> {
        let file: YearFile =
            serde_json::from_str(json).map_err(|e| bad(format!("calendar file: {e}")))?;
        let mut cal = WorkCalendar {
            work_start: file.work_start,
            work_end: file.work_end,
            lunch: file.lunch,
            years: BTreeSet::from([file.year]),
            ..WorkCalendar::default()
        };
        let mut off = BTreeSet::new();
        for f in &file.festivals {
            for &d in f.off.iter().chain(&f.workdays) {
                if (d.year() - file.year).abs() > 1 {
                    return Err(bad(format!("{d} is not near the year {}", file.year)));
                }
            }
            off.extend(f.off.iter().copied());
            cal.workdays.extend(f.workdays.iter().copied());
        }
        if let Some(d) = off.intersection(&cal.workdays).next() {
            return Err(bad(format!("{d} is both a holiday and a 调休 workday")));
        }
        cal.holidays = off.into_iter().filter(|d| !is_weekend(*d)).collect();
        cal.validate()?;
        Ok(cal)
    }

    /// Checks the invariants: holidays are weekdays, 调休 workdays are weekend days, no
    /// date is both, and the working hours are ordered (start < lunch < end).
    pub fn validate(&self) -> Result<(), CoreError> {
        if let Some(d) = self.holidays.intersection(&self.workdays).next() {
            return Err(bad(format!("{d} is both a holiday and a 调休 workday")));
        }
        if let Some(d) = self.holidays.iter().find(|d| is_weekend(**d)) {
            return Err(bad(format!("holiday {d} is a weekend day")));
        }
        if let Some(d) = self.workdays.iter().find(|d| !is_weekend(**d)) {
            return Err(bad(format!("调休 workday {d} is not a weekend day")));
        }
        if self.work_start >= self.work_end {
            return Err(bad("work_start must be before work_end".into()));
        }
        if let Some(l) = self.lunch
            && !(self.work_start < l.start && l.start < l.end && l.end < self.work_end)
        {
            return Err(bad("the lunch break must lie inside working hours".into()));
        }
        Ok(())
    }

    /// Combines several years into one calendar. The parts must agree on working hours
    /// and may not load the same year twice; the result is validated. No parts gives the
    /// default calendar.
    pub fn merge(parts: impl IntoIterator<Item = WorkCalendar>) -> Result<WorkCalendar, CoreError> {
        let mut parts = parts.into_iter();
        let Some(mut out) = parts.next() else {
            return Ok(WorkCalendar::default());
        };
        for p in parts {
            if (p.work_start, p.work_end, p.lunch) != (out.work_start, out.work_end, out.lunch) {
                return Err(bad("calendars to merge have different working hours".into()));
            }
            if let Some(y) = out.years.intersection(&p.years).next() {
                return Err(bad(format!("year {y} is loaded twice")));
            }
            out.holidays.extend(p.holidays);
            out.workdays.extend(p.workdays);
            out.years.extend(p.years);
        }
        out.validate()?;
        Ok(out)
    }

    /// The same calendar with other working hours (validated).
    pub fn with_working_hours(
        mut self,
        work_start: NaiveTime,
        work_end: NaiveTime,
        lunch: Option<LunchBreak>,
    ) -> Result<WorkCalendar, CoreError> {
        self.work_start = work_start;
        self.work_end = work_end;
        self.lunch = lunch;
        self.validate()?;
        Ok(self)
    }

    /// Is the year of `date` loaded? If not, answers for it assume plain Monday–Friday.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.years.contains(&date.year())
    }

    /// Is `date` a working day? Monday–Friday unless a holiday; Saturday and Sunday only
    /// when listed as a 调休 workday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.workdays.contains(&date) {
            true
        } else {
            !is_weekend(date) && !self.holidays.contains(&date)
        }
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        loop {
            d = d.succ_opt().expect("dates stay far from chrono's limits");
            if self.is_working_day(d) {
                return d;
            }
        }
    }

    /// `date` itself if it is a working day, else the next working day.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        if self.is_working_day(date) {
            date
        } else {
            self.next_working_day(date)
        }
    }

    /// The end of working time on `date` (`work_end`, Shanghai), whether or not it is a
    /// working day.
    pub fn end_of_day(&self, date: NaiveDate) -> Timestamp {
        Timestamp::from_shanghai(date.and_time(self.work_end))
    }

    /// The deadline `n` working days after `start`: the end of working time on the n-th
    /// working day strictly after the start's Shanghai date.
    ///
    /// The start's own day never counts, even if it starts before hours, and a start on a
    /// non-working day or after hours changes nothing: Friday 10:00, Friday 20:00 and
    /// Saturday 10:00 plus one working day are all Monday 17:30 (on a plain week).
    /// `n == 0` means "by the end of the current working day": the end of the start's day
    /// if it is a working day and the start is not after its end, else the end of the
    /// next working day.
    pub fn add_working_days(&self, start: Timestamp, n: u32) -> Timestamp {
        let d0 = start.shanghai_date();
        if n == 0 {
            if self.is_working_day(d0) && start <= self.end_of_day(d0) {
                return self.end_of_day(d0);
            }
            return self.end_of_day(self.next_working_day(d0));
        }
        let mut d = d0;
        for _ in 0..n {
            d = self.next_working_day(d);
        }
        self.end_of_day(d)
    }

    /// The working intervals of `date` as instants: none on a non-working day, one or
    /// two (around lunch) on a working day.
    fn intervals(&self, date: NaiveDate) -> impl Iterator<Item = (i64, i64)> {
        let at = |t: NaiveTime| Timestamp::from_shanghai(date.and_time(t)).0;
        let working = self.is_working_day(date);
        let (first, second) = match (working, self.lunch) {
            (false, _) => (None, None),
            (true, None) => (Some((at(self.work_start), at(self.work_end))), None),
            (true, Some(l)) => (
                Some((at(self.work_start), at(l.start))),
                Some((at(l.end), at(self.work_end))),
            ),
        };
        first.into_iter().chain(second)
    }

    /// The length of one working day's working time, in milliseconds.
    pub fn working_day_millis(&self) -> i64 {
        let span = |a: NaiveTime, b: NaiveTime| (b - a).num_milliseconds();
        span(self.work_start, self.work_end) - self.lunch.map_or(0, |l| span(l.start, l.end))
    }

    /// The instant when `hours` of working time have run from `start` (紧急: accept
    /// within 2 working hours). Only time inside working time on working days counts; a
    /// start before hours, over lunch, after hours or on a day off waits for the next
    /// working time. If the hours run out exactly at the end of working time, the result
    /// is that end (17:30), not the next morning. Zero hours returns `start`.
    pub fn add_working_hours(&self, start: Timestamp, hours: u32) -> Timestamp {
        let mut remaining = i64::from(hours) * MS_PER_HOUR;
        if remaining == 0 {
            return start;
        }
        let mut day = start.shanghai_date();
        loop {
            for (a, b) in self.intervals(day) {
                let from = a.max(start.0);
                if from >= b {
                    continue;
                }
                if remaining <= b - from {
                    return Timestamp(from + remaining);
                }
                remaining -= b - from;
            }
            day = self.next_working_day(day);
        }
    }

    /// Working time between two instants, in milliseconds (negative if `to` is before
    /// `from`).
    pub fn working_millis_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        if to < from {
            return -self.working_millis_between(to, from);
        }
        let mut total = 0;
        let mut day = from.shanghai_date();
        let last = to.shanghai_date();
        while day <= last {
            for (a, b) in self.intervals(day) {
                let (s, e) = (a.max(from.0), b.min(to.0));
                if s < e {
                    total += e - s;
                }
            }
            day = day.succ_opt().expect("dates stay far from chrono's limits");
        }
        total
    }

    /// Whole working days from `from` to `to`: the working time between them divided by
    /// one day's working time, rounded toward zero (negative if `to` is earlier).
    ///
    /// Used for 督办: with a deadline at 17:30 on Monday, `to` reaches 1 at 17:30 on the
    /// next working day (a full working day has passed since the deadline), not at
    /// midnight. A deadline in mid-day (2 working hours) counts from that instant alike.
    pub fn working_days_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        self.working_millis_between(from, to) / self.working_day_millis()
    }
}

#[cfg(test)]
mod tests;
