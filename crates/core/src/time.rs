//! Time in Gridwalk: instants are UTC milliseconds; days, deadlines and "today" are in
//! Asia/Shanghai.
//!
//! China has kept UTC+8 with no daylight saving since 1991, so a fixed offset is exact
//! and needs no time-zone database on a phone.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// The Asia/Shanghai offset in seconds.
pub const SHANGHAI_OFFSET_SECS: i32 = 8 * 3600;

/// Asia/Shanghai as a chrono offset.
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(SHANGHAI_OFFSET_SECS).expect("UTC+8 is a valid offset")
}

/// An instant, as milliseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The instant as a Shanghai wall-clock date and time.
    pub fn to_shanghai(self) -> DateTime<FixedOffset> {
        shanghai()
            .timestamp_millis_opt(self.0)
            .single()
            .unwrap_or_else(|| {
                DateTime::<Utc>::from_timestamp(0, 0)
                    .expect("epoch is valid")
                    .with_timezone(&shanghai())
            })
    }

    /// The Shanghai calendar date of this instant.
    pub fn shanghai_date(self) -> NaiveDate {
        self.to_shanghai().date_naive()
    }

    /// The instant of a Shanghai wall-clock date and time.
    pub fn from_shanghai(local: NaiveDateTime) -> Timestamp {
        let dt = shanghai()
            .from_local_datetime(&local)
            .single()
            .expect("a fixed offset has exactly one mapping");
        Timestamp(dt.timestamp_millis())
    }

    /// Whole Shanghai calendar days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Timestamp) -> i64 {
        (later.shanghai_date() - self.shanghai_date()).num_days()
    }

    /// ISO-8601 text with the +08:00 offset, for people and exports.
    pub fn to_rfc3339_shanghai(self) -> String {
        self.to_shanghai().to_rfc3339()
    }
}

/// The start (00:00 Shanghai) of a date, as an instant.
pub fn start_of_day(date: NaiveDate) -> Timestamp {
    Timestamp::from_shanghai(date.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_utc_evening_is_already_the_next_day_in_shanghai() {
        // 2026-01-01T16:30Z is 2026-01-02 00:30 in Shanghai.
        let t = Timestamp(1_767_285_000_000);
        assert_eq!(
            t.shanghai_date(),
            NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()
        );
    }

    #[test]
    fn shanghai_round_trip_keeps_the_instant() {
        let local = NaiveDate::from_ymd_opt(2026, 10, 8)
            .unwrap()
            .and_hms_opt(17, 30, 0)
            .unwrap();
        let t = Timestamp::from_shanghai(local);
        assert_eq!(t.to_shanghai().naive_local(), local);
    }
}
