//! A hybrid logical clock: the order Gridwalk uses to decide "latest".
//!
//! Automerge's op order says nothing about which write a person made last, so every
//! register write and incident event carries an HLC. A device advances its clock from
//! its own time and from every clock it sees (including the server's at each sync), so
//! a causally later write always sorts later, even when a phone's clock is wrong.
//!
//! The text form sorts the same way as the value: `0001767225600000-00003-<node>`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How far ahead of the server's time a clock may run before the server distrusts it.
pub const MAX_FUTURE_DRIFT_MS: i64 = 5 * 60 * 1000;

/// A hybrid logical clock value: wall milliseconds, a counter, and the writing node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch, at least the physical time it was made.
    pub wall_ms: i64,
    /// Breaks ties within one millisecond.
    pub counter: u32,
    /// The device (or server process) that made it; the last tie-breaker.
    pub node: String,
}

impl Hlc {
    /// The zero clock of a node.
    pub fn zero(node: impl Into<String>) -> Hlc {
        Hlc {
            wall_ms: 0,
            counter: 0,
            node: node.into(),
        }
    }

    /// The next value for a local event at physical time `now_ms`.
    pub fn tick(&self, now_ms: i64) -> Hlc {
        if now_ms > self.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
                node: self.node.clone(),
            }
        } else {
            Hlc {
                wall_ms: self.wall_ms,
                counter: self.counter + 1,
                node: self.node.clone(),
            }
        }
    }

    /// Advance past a clock seen from elsewhere (a merged event or the server's time).
    pub fn observe(&self, remote: &Hlc, now_ms: i64) -> Hlc {
        let wall = now_ms.max(self.wall_ms).max(remote.wall_ms);
        let counter = if wall == self.wall_ms && wall == remote.wall_ms {
            self.counter.max(remote.counter) + 1
        } else if wall == self.wall_ms {
            self.counter + 1
        } else if wall == remote.wall_ms {
            remote.counter + 1
        } else {
            0
        };
        Hlc {
            wall_ms: wall,
            counter,
            node: self.node.clone(),
        }
    }

    /// True when this clock runs more than [`MAX_FUTURE_DRIFT_MS`] ahead of `server_now_ms`.
    pub fn is_from_the_future(&self, server_now_ms: i64) -> bool {
        self.wall_ms > server_now_ms + MAX_FUTURE_DRIFT_MS
    }

    /// The clock capped at the server's time, so a future clock never wins over it.
    pub fn capped(&self, server_now_ms: i64) -> Hlc {
        if self.is_from_the_future(server_now_ms) {
            Hlc {
                wall_ms: server_now_ms,
                counter: self.counter,
                node: self.node.clone(),
            }
        } else {
            self.clone()
        }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:016}-{:05}-{}",
            self.wall_ms.max(0),
            self.counter,
            self.node
        )
    }
}

/// The text was not an HLC.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a hybrid logical clock: {0}")]
pub struct ParseHlcError(pub String);

impl FromStr for Hlc {
    type Err = ParseHlcError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.splitn(3, '-');
        let bad = || ParseHlcError(s.to_string());
        let wall_ms = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let counter = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let node = parts.next().ok_or_else(bad)?.to_string();
        Ok(Hlc {
            wall_ms,
            counter,
            node,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_sorts_like_the_clock() {
        let a = Hlc {
            wall_ms: 9,
            counter: 2,
            node: "b".into(),
        };
        let b = Hlc {
            wall_ms: 10,
            counter: 0,
            node: "a".into(),
        };
        assert!(a < b);
        assert!(
            a.to_string() < b.to_string(),
            "string order must match clock order"
        );
        assert_eq!(a.to_string().parse::<Hlc>().unwrap(), a);
    }

    #[test]
    fn a_device_with_a_slow_clock_still_writes_after_what_it_has_seen() {
        let server = Hlc {
            wall_ms: 1_000_000,
            counter: 4,
            node: "srv".into(),
        };
        let phone = Hlc::zero("phone").observe(&server, 10);
        let next = phone.tick(20);
        assert!(
            next > server,
            "a write made after seeing the server must sort after it"
        );
    }

    #[test]
    fn a_clock_far_in_the_future_is_flagged_and_capped() {
        let h = Hlc {
            wall_ms: 10 * 60 * 1000,
            counter: 0,
            node: "x".into(),
        };
        assert!(h.is_from_the_future(0));
        assert_eq!(h.capped(0).wall_ms, 0);
        assert!(!h.is_from_the_future(6 * 60 * 1000));
    }
}
