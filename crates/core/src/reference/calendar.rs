//! The working-day calendar: weekends, public holidays and adjusted working weekends
//! (调休) as data. Holidays change every year by State Council notice, so they are never
//! hard-coded; an admin loads each year's table.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A working-day calendar in Asia/Shanghai.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct WorkCalendar {
    /// Weekdays that are days off (public holidays).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days (调休).
    pub workdays: BTreeSet<NaiveDate>,
}
