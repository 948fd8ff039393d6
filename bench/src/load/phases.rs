//! The phases of a compressed day, each a list of syncs run by a bounded number of
//! concurrent workers (tokio tasks) that take the next sync from one queue:
//!
//! 1. **morning window**: the first-sync devices download their grid from nothing;
//! 2. **pushes**: three rounds in which every device pushes a third of its day (about
//!    seven visits; the incident goes with the second) and pulls what others wrote;
//! 3. **catch-up**: every device syncs until it pulls nothing (not timed);
//! 4. **no-ops**: ten rounds in which every device syncs with nothing to push or pull.
//!
//! A device's syncs run one at a time (each device is behind its own lock), and the
//! queue is ordered round by round, so one device's consecutive syncs are a whole round
//! apart: the server's per-device rate limit is never what is measured.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Result;
use tokio::sync::Mutex as AsyncMutex;

use crate::client::{Device, Outcome};

/// What a sync is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A first sync from nothing.
    First,
    /// The n-th pushing sync.
    Push(usize),
    /// Sync until nothing comes.
    CatchUp,
    /// A sync with nothing to do.
    Noop,
}

/// One finished sync.
#[derive(Debug, Clone)]
pub struct Done {
    /// The device.
    pub device: usize,
    /// What for.
    pub kind: Kind,
    /// What happened, or why it failed.
    pub result: Result<Outcome, String>,
}

/// A phase's syncs and its wall time.
#[derive(Debug, Clone, Default)]
pub struct Phase {
    /// Every sync.
    pub done: Vec<Done>,
    /// First sync started to last sync answered.
    pub seconds: f64,
}

impl Phase {
    /// Failed syncs plus refused documents.
    pub fn errors(&self) -> usize {
        self.done
            .iter()
            .map(|d| match &d.result {
                Ok(o) => o.refused,
                Err(_) => 1,
            })
            .sum()
    }

    /// Documents accepted.
    pub fn accepted(&self) -> usize {
        self.done
            .iter()
            .filter_map(|d| d.result.as_ref().ok().map(|o| o.accepted))
            .sum()
    }

    /// The first few failures, for the log.
    pub fn failures(&self) -> Vec<String> {
        self.done
            .iter()
            .filter_map(|d| {
                d.result
                    .as_ref()
                    .err()
                    .map(|e| format!("device {} {:?}: {e}", d.device, d.kind))
            })
            .take(5)
            .collect()
    }
}

/// The devices of a setup, each behind its own lock, with the nodes they talk to.
pub struct Fleet {
    /// Devices in run order.
    pub devices: Vec<Arc<AsyncMutex<Device>>>,
    /// Node URLs; device i talks to node i mod n.
    pub urls: Vec<String>,
    /// One HTTP client (pooled connections) for all.
    pub http: reqwest::Client,
}

/// The devices' wall clock, UTC ms.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

async fn one(fleet: &Fleet, device: usize, kind: Kind) -> Result<Outcome> {
    let url = &fleet.urls[device % fleet.urls.len()];
    let mut d = fleet.devices[device].lock().await;
    match kind {
        Kind::First => {
            d.cursors.clear();
            d.sync(&fleet.http, url, Vec::new(), now_ms()).await
        }
        Kind::Push(n) => {
            let push = std::mem::take(&mut d.pushes[n]);
            d.sync(&fleet.http, url, push, now_ms()).await
        }
        Kind::Noop => d.sync(&fleet.http, url, Vec::new(), now_ms()).await,
        Kind::CatchUp => {
            let mut total = Outcome::default();
            for _ in 0..20 {
                let o = d.sync(&fleet.http, url, Vec::new(), now_ms()).await?;
                total.seconds += o.seconds;
                total.requests += o.requests;
                total.docs += o.docs;
                if o.docs == 0 {
                    return Ok(total);
                }
            }
            anyhow::bail!("device {device} still pulls after 20 catch-up syncs")
        }
    }
}

/// Runs `jobs` in order with at most `concurrency` in flight.
pub async fn run(fleet: &Arc<Fleet>, jobs: Vec<(usize, Kind)>, concurrency: usize) -> Phase {
    let queue = Arc::new(Mutex::new(jobs.into_iter().collect::<VecDeque<_>>()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (queue, fleet) = (queue.clone(), fleet.clone());
        tasks.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let next = queue.lock().map(|mut q| q.pop_front()).unwrap_or(None);
                let Some((device, kind)) = next else { break };
                let result = one(&fleet, device, kind)
                    .await
                    .map_err(|e| format!("{e:#}"));
                done.push(Done {
                    device,
                    kind,
                    result,
                });
            }
            done
        }));
    }
    let mut done = Vec::new();
    for t in tasks {
        match t.await {
            Ok(d) => done.extend(d),
            Err(e) => done.push(Done {
                device: usize::MAX,
                kind: Kind::Noop,
                result: Err(format!("a worker task failed: {e}")),
            }),
        }
    }
    Phase {
        done,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// `rounds` rounds of `kind(round)` over `devices`, round by round.
pub fn rounds(devices: &[usize], n: usize, kind: impl Fn(usize) -> Kind) -> Vec<(usize, Kind)> {
    (0..n)
        .flat_map(|r| devices.iter().map(move |&d| (d, r)))
        .map(|(d, r)| (d, kind(r)))
        .collect()
}
