//! When to try a request again, and how long to wait first.
//!
//! Network failures, HTTP 5xx and 429 are worth retrying: the connection in a mountain
//! village comes and goes, and a busy server recovers. A 400, 401, 403, 413 or 426 is not:
//! the same request would get the same answer, so the error goes to the person at once.
//!
//! Waits grow exponentially from [`RetryPolicy::base`] up to [`RetryPolicy::max`], with
//! "equal jitter" (a uniform draw between half the step and the whole step), so devices
//! that lost the connection together do not come back together. A server's `Retry-After` is
//! honoured up to the cap. Retrying a sync request is always safe: the server stores
//! changes by (document, hash), and a cursor only moves once a page is applied.

use rand::Rng;
use std::time::Duration;

/// How many times to try, and how long to wait in between.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub attempts: u32,
    /// The first wait.
    pub base: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Default for RetryPolicy {
    /// Five attempts over about half a minute: long enough to ride out a dropped
    /// connection, short enough that a person waiting on the sync screen gets an answer.
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            base: Duration::from_millis(500),
            max: Duration::from_secs(15),
        }
    }
}

impl RetryPolicy {
    /// A policy for tests: a few attempts, millisecond waits.
    pub fn fast() -> RetryPolicy {
        RetryPolicy {
            attempts: 3,
            base: Duration::from_millis(1),
            max: Duration::from_millis(5),
        }
    }

    /// Never retry.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            attempts: 1,
            ..RetryPolicy::fast()
        }
    }

    /// The wait before attempt `next` (2 = the first retry), given the server's
    /// `Retry-After` if it sent one.
    pub fn delay(&self, next: u32, retry_after: Option<Duration>, rng: &mut impl Rng) -> Duration {
        let step = self
            .base
            .saturating_mul(1u32 << next.saturating_sub(2).min(16))
            .min(self.max);
        let half = step / 2;
        let jittered = half + step.saturating_sub(half).mul_f64(rng.random::<f64>());
        match retry_after {
            Some(server) => server.min(self.max).max(jittered),
            None => jittered,
        }
    }

    /// True when attempt `next` may still be made.
    pub fn allows(&self, next: u32) -> bool {
        next <= self.attempts.max(1)
    }
}

/// True for the HTTP statuses worth retrying: 5xx and 429.
pub fn retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn waits_grow_exponentially_and_never_pass_the_cap() {
        let p = RetryPolicy {
            attempts: 10,
            base: Duration::from_millis(100),
            max: Duration::from_secs(2),
        };
        let mut rng = StdRng::seed_from_u64(7);
        for next in 2..=10 {
            let step = Duration::from_millis(100 * (1 << (next - 2))).min(p.max);
            for _ in 0..50 {
                let d = p.delay(next, None, &mut rng);
                assert!(
                    d >= step / 2 && d <= step,
                    "attempt {next}: {d:?} must lie in [{:?}, {step:?}]",
                    step / 2
                );
            }
        }
    }

    #[test]
    fn jitter_spreads_devices_that_failed_together() {
        let p = RetryPolicy::default();
        let mut rng = StdRng::seed_from_u64(1);
        let waits: std::collections::BTreeSet<Duration> =
            (0..20).map(|_| p.delay(3, None, &mut rng)).collect();
        assert!(
            waits.len() > 10,
            "twenty devices must not all wait the same time: {waits:?}"
        );
    }

    #[test]
    fn a_servers_retry_after_is_honoured_up_to_the_cap() {
        let p = RetryPolicy {
            attempts: 3,
            base: Duration::from_millis(10),
            max: Duration::from_secs(5),
        };
        let mut rng = StdRng::seed_from_u64(3);
        assert_eq!(
            p.delay(2, Some(Duration::from_secs(2)), &mut rng),
            Duration::from_secs(2),
            "the server knows when it will have room"
        );
        assert_eq!(
            p.delay(2, Some(Duration::from_secs(600)), &mut rng),
            Duration::from_secs(5),
            "but a person never waits longer than the cap"
        );
    }

    #[test]
    fn attempts_are_bounded() {
        let p = RetryPolicy::fast();
        assert!(p.allows(1) && p.allows(3));
        assert!(!p.allows(4), "three attempts means no fourth");
        assert!(RetryPolicy::none().allows(1) && !RetryPolicy::none().allows(2));
    }

    #[test]
    fn only_server_failures_and_throttling_are_retried() {
        for s in [429, 500, 502, 503, 504] {
            assert!(retryable_status(s), "HTTP {s} may pass");
        }
        for s in [200, 400, 401, 403, 404, 413, 426] {
            assert!(
                !retryable_status(s),
                "HTTP {s} would get the same answer again"
            );
        }
    }
}
