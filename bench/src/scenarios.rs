//! Daily sync, the no-op sync, and no-op syncs per second with concurrent clients.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use gridwalk_datagen::Dataset;
use gridwalk_datagen::model::User;
use rand::SeedableRng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::device::{self, Device};
use crate::measure::{median, quantile};
use crate::server::BenchServer;

/// The daily sync of device A: it pushes its own visits and pulls another device's.
#[derive(Debug, Clone, Serialize)]
pub struct Daily {
    /// Visits A made (pushed up).
    pub up_records: usize,
    /// Visits B made and pushed first (pulled down by A).
    pub down_records: usize,
    /// Round trips of A's sync.
    pub round_trips: u32,
    /// HTTP requests of A's sync.
    pub requests: u64,
    /// Bytes A sent, on the wire.
    pub bytes_up: u64,
    /// Bytes A received, on the wire.
    pub bytes_down: u64,
    /// Outbox rows the server acknowledged.
    pub acked: usize,
    /// Documents A received.
    pub docs_received: usize,
    /// Wall seconds of A's sync.
    pub seconds: f64,
    /// Bytes B sent pushing its visits (one round trip, on the wire).
    pub b_bytes_up: u64,
}

/// Households to visit: `n` distinct ones, drawn with a seed.
fn pick(ds: &Dataset, n: usize, seed: u64) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    ds.households
        .choose_multiple(&mut rng, n)
        .map(|h| h.id.clone())
        .collect()
}

/// B records `n` visits and syncs; then A records `n` visits and syncs (measured).
pub async fn daily(
    server: &BenchServer,
    ds: &Dataset,
    a: &mut Device,
    b: &mut Device,
    n: usize,
) -> Result<Daily> {
    for h in pick(ds, n, 0xb) {
        b.visit(&h, "入户走访，了解家庭近况，老人身体尚可，无新增诉求。")?;
    }
    let w0 = server.wire();
    let rb = b.sync().await?;
    let b_wire = server.wire().since(w0);
    ensure!(rb.acked == n, "B's {n} visits are acknowledged ({rb:?})");
    for h in pick(ds, n, 0xa) {
        a.visit(&h, "电话回访，独居老人情况稳定，提醒注意用电安全。")?;
    }
    let w0 = server.wire();
    let started = Instant::now();
    let ra = a.sync().await?;
    let seconds = started.elapsed().as_secs_f64();
    let wire = server.wire().since(w0);
    ensure!(ra.acked == n, "A's {n} visits are acknowledged ({ra:?})");
    Ok(Daily {
        up_records: n,
        down_records: n,
        round_trips: ra.rounds,
        requests: ra.traffic.requests,
        bytes_up: wire.up,
        bytes_down: wire.down,
        acked: ra.acked,
        docs_received: ra.docs_received,
        seconds,
        b_bytes_up: b_wire.up,
    })
}

/// A no-op sync, measured several times.
#[derive(Debug, Clone, Serialize)]
pub struct Noop {
    /// Bytes of each no-op, both directions together, on the wire.
    pub bytes: Vec<u64>,
    /// Bytes up of the last one.
    pub bytes_up: u64,
    /// Bytes down of the last one.
    pub bytes_down: u64,
    /// The engine's estimate of the last one (up + down).
    pub engine_bytes: u64,
    /// Requests of the last one.
    pub requests: u64,
    /// Median wall milliseconds.
    pub median_ms: f64,
}

impl Noop {
    /// The median bytes.
    pub fn median_bytes(&self) -> u64 {
        median(&self.bytes.iter().map(|&b| b as f64).collect::<Vec<_>>()) as u64
    }
}

/// Syncs `a` `times` times with nothing to do.
pub async fn noop(server: &BenchServer, a: &mut Device, times: usize) -> Result<Noop> {
    let mut out = Noop {
        bytes: Vec::new(),
        bytes_up: 0,
        bytes_down: 0,
        engine_bytes: 0,
        requests: 0,
        median_ms: 0.0,
    };
    let mut ms = Vec::new();
    for _ in 0..times {
        let w0 = server.wire();
        let started = Instant::now();
        let r = a.sync().await?;
        ms.push(started.elapsed().as_secs_f64() * 1e3);
        let w = server.wire().since(w0);
        ensure!(
            r.docs_received == 0 && r.acked == 0,
            "a no-op moves nothing ({r:?})"
        );
        out.bytes.push(w.up + w.down);
        out.bytes_up = w.up;
        out.bytes_down = w.down;
        out.engine_bytes = r.traffic.bytes_up + r.traffic.bytes_down;
        out.requests = r.traffic.requests;
    }
    out.median_ms = median(&ms);
    Ok(out)
}

/// No-op syncs per second with concurrent clients.
#[derive(Debug, Clone, Serialize)]
pub struct Concurrent {
    /// Clients (each a device with its own engine and store file).
    pub clients: usize,
    /// Syncs completed in the window.
    pub syncs: u64,
    /// Failed syncs.
    pub errors: u64,
    /// The window, seconds.
    pub seconds: f64,
    /// Syncs per second.
    pub per_second: f64,
    /// Latency p50, ms.
    pub p50_ms: f64,
    /// Latency p95, ms.
    pub p95_ms: f64,
    /// Mean bytes per sync on the wire, both directions.
    pub bytes_per_sync: f64,
}

/// `clients` devices of `user`, each starting from a copy of a synced store at `src`,
/// sync with nothing to do for `seconds` (at most `max` syncs in all).
pub async fn concurrent_noop(
    server: &BenchServer,
    user: &User,
    src: &Path,
    clients: usize,
    seconds: f64,
    max: u64,
) -> Result<Concurrent> {
    let mut devices = Vec::new();
    for i in 0..clients {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("device.db");
        std::fs::copy(src, &path).with_context(|| format!("copying the store for client {i}"))?;
        let session = device::login(server, user).await?;
        let mut d = Device::open(&path, session, server.offset)?;
        let warm = d.sync().await?;
        ensure!(warm.docs_received == 0, "client {i} starts synced");
        devices.push((dir, d));
    }
    let count = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let w0 = server.wire();
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for (dir, mut d) in devices {
        let (count, errors) = (count.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < deadline && count.load(Ordering::SeqCst) < max {
                let t = Instant::now();
                match d.sync().await {
                    Ok(_) => {
                        lat.push(t.elapsed().as_secs_f64() * 1e3);
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(e) => {
                        eprintln!("no-op sync failed: {e:#}");
                        errors.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
            drop(d);
            drop(dir);
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let wire = server.wire().since(w0);
    lat.sort_by(f64::total_cmp);
    let syncs = count.load(Ordering::SeqCst);
    Ok(Concurrent {
        clients,
        syncs,
        errors: errors.load(Ordering::SeqCst),
        seconds: elapsed,
        per_second: syncs as f64 / elapsed,
        p50_ms: quantile(&lat, 0.5),
        p95_ms: quantile(&lat, 0.95),
        bytes_per_sync: (wire.up + wire.down) as f64 / syncs.max(1) as f64,
    })
}

/// The body of a no-op sync of `a` (its cursors and reference version, nothing to push)
/// and whether it is gzipped.
pub fn noop_body(a: &mut Device, now: i64) -> Result<(Vec<u8>, bool)> {
    use gridwalk_core::protocol::{PROTOCOL_VERSION, SyncRequest, encode_body};
    let req = SyncRequest {
        protocol: PROTOCOL_VERSION,
        device_ms: a.store.tick_hlc(&a.session.device_id, now)?.wall_ms,
        push: Vec::new(),
        cursors: a.store.cursors()?,
        reference_version: a.store.reference_version()?,
        audit: Vec::new(),
    };
    Ok(encode_body(&req))
}

/// Server capacity for no-ops: `clients` devices post a pre-built no-op body over HTTP
/// with no device store behind them, for `seconds` (at most `max` in all). Every answer
/// is decoded and must carry nothing.
pub async fn raw_noop(
    server: &BenchServer,
    user: &User,
    body: (Vec<u8>, bool),
    clients: usize,
    seconds: f64,
    max: u64,
) -> Result<Concurrent> {
    let mut tokens = Vec::new();
    for _ in 0..clients {
        tokens.push(
            device::login(server, user)
                .await?
                .token_for_secure_storage()
                .to_string(),
        );
    }
    let url = format!("{}/api/v1/sync", server.url);
    let count = Arc::new(AtomicU64::new(0));
    let w0 = server.wire();
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for token in tokens {
        let (count, url, body) = (count.clone(), url.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut lat = Vec::new();
            while Instant::now() < deadline && count.load(Ordering::SeqCst) < max {
                let t = Instant::now();
                let r = crate::merge::post(&http, &url, &token, body.clone()).await?;
                ensure!(
                    r.docs.is_empty() && !r.more,
                    "a no-op answer carries nothing"
                );
                lat.push(t.elapsed().as_secs_f64() * 1e3);
                count.fetch_add(1, Ordering::SeqCst);
            }
            anyhow::Ok(lat)
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let wire = server.wire().since(w0);
    lat.sort_by(f64::total_cmp);
    let syncs = count.load(Ordering::SeqCst);
    Ok(Concurrent {
        clients,
        syncs,
        errors: 0,
        seconds: elapsed,
        per_second: syncs as f64 / elapsed,
        p50_ms: quantile(&lat, 0.5),
        p95_ms: quantile(&lat, 0.95),
        bytes_per_sync: (wire.up + wire.down) as f64 / syncs.max(1) as f64,
    })
}
