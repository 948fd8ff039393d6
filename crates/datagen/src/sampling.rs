//! Seeded randomness: one ChaCha8 stream per generation stage, weighted tables, and
//! deterministic ids (UUIDv7-shaped ids and Automerge actors).
//!
//! Nothing here reads the system clock or the operating system's entropy: the same seed
//! always gives the same bytes. Each stage (areas, households, visits, …) draws from its
//! own stream, so changing how one stage draws leaves the others' output unchanged.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The generation stages, each with its own random stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Area tree, users, units and contact assignments.
    Areas,
    /// Households and members.
    Households,
    /// Visits.
    Visits,
    /// Contact logs.
    Contacts,
    /// Incidents and their event logs.
    Incidents,
}

/// The random stream of one stage for a seed.
pub fn stage_rng(seed: u64, stage: Stage) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stage as u64 + 1);
    rng
}

/// A table of items with relative weights, sampled by binary search over the
/// cumulative weights (O(log n) per draw).
#[derive(Debug, Clone)]
pub struct Weighted<T> {
    items: Vec<T>,
    cumulative: Vec<f64>,
}

impl<T> Weighted<T> {
    /// Builds a table; items with a weight of zero or less are never drawn.
    ///
    /// # Panics
    /// If no item has a positive weight.
    pub fn new(pairs: impl IntoIterator<Item = (T, f64)>) -> Weighted<T> {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0.0;
        for (item, w) in pairs {
            if w > 0.0 {
                total += w;
                items.push(item);
                cumulative.push(total);
            }
        }
        assert!(total > 0.0, "a weighted table needs a positive weight");
        Weighted { items, cumulative }
    }

    /// Draws one item.
    pub fn pick<R: Rng>(&self, rng: &mut R) -> &T {
        &self.items[self.pick_index(rng)]
    }

    /// Draws one item's index.
    pub fn pick_index<R: Rng>(&self, rng: &mut R) -> usize {
        let total = *self.cumulative.last().expect("non-empty by construction");
        let x = rng.random::<f64>() * total;
        self.cumulative
            .partition_point(|c| *c <= x)
            .min(self.items.len() - 1)
    }

    /// The items and their share of the total weight.
    pub fn shares(&self) -> impl Iterator<Item = (&T, f64)> {
        let total = *self.cumulative.last().expect("non-empty by construction");
        let mut prev = 0.0;
        self.items.iter().zip(&self.cumulative).map(move |(t, c)| {
            let share = (c - prev) / total;
            prev = *c;
            (t, share)
        })
    }
}

/// Picks one of `items` uniformly.
pub fn one_of<'a, T, R: Rng>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Picks one of a list of static strings uniformly.
pub fn one_str<R: Rng>(rng: &mut R, items: &[&'static str]) -> &'static str {
    items[rng.random_range(0..items.len())]
}

/// Splits `total` into parts proportional to `weights`, by largest remainder, so the
/// parts always add up to `total` exactly.
pub fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut parts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut rest = total - parts.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for i in order.into_iter().cycle() {
        if rest == 0 {
            break;
        }
        parts[i] += 1;
        rest -= 1;
    }
    parts
}

/// Deterministic ids: UUIDv7-shaped strings whose timestamp is the simulated time of the
/// record, with random bits from the seeded stream, and 16-byte Automerge actors.
#[derive(Debug, Clone)]
pub struct Ids {
    rng: ChaCha8Rng,
}

impl Ids {
    /// The id source of one stage for a seed (a stream apart from the stage's other
    /// draws, so ids do not shift when a stage draws differently).
    pub fn new(seed: u64, stage: Stage) -> Ids {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stage as u64 + 101);
        Ids { rng }
    }

    /// A UUIDv7 for a record created at `ms` (UTC milliseconds).
    pub fn uuid(&mut self, ms: i64) -> String {
        let mut bytes = [0u8; 10];
        self.rng.fill(&mut bytes);
        uuid::Builder::from_unix_timestamp_millis(ms.max(0) as u64, &bytes)
            .into_uuid()
            .to_string()
    }

    /// The bytes of a new Automerge actor for a simulated device.
    pub fn actor_bytes(&mut self) -> [u8; 16] {
        let mut bytes = [0u8; 16];
        self.rng.fill(&mut bytes);
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_always_adds_up_to_the_total() {
        for total in [0, 1, 7, 3000, 30_001] {
            let parts = apportion(total, &[1.0, 2.5, 0.0, 3.3]);
            assert_eq!(parts.iter().sum::<usize>(), total, "parts of {total}");
            assert_eq!(parts[2], 0, "a zero weight gets nothing");
        }
    }

    #[test]
    fn ids_are_version_7_and_repeat_for_the_same_seed() {
        let (mut a, mut b) = (Ids::new(7, Stage::Visits), Ids::new(7, Stage::Visits));
        let (x, y) = (a.uuid(1_780_000_000_000), b.uuid(1_780_000_000_000));
        assert_eq!(x, y, "same seed, same id");
        let u = uuid::Uuid::parse_str(&x).unwrap();
        assert_eq!(u.get_version_num(), 7, "UUIDv7 shape");
    }
}
