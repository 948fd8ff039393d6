//! Server merge throughput: documents merged per second from pre-generated changes,
//! validation and persistence included (DESIGN.md §7: a merge applies a new change to a
//! stored document).
//!
//! Setup (not timed): one device per grid, signed in as that grid's worker, does its
//! first sync and records one visit in every household of its grid. Each device's outbox
//! is cut into pushes of `batch` documents exactly as the engine cuts it
//! ([`gridwalk_sync::push::build`]), and every request body is encoded and compressed
//! ahead of time.
//!
//! Timed: `streams` concurrent HTTP clients post those bodies, each taking one device's
//! requests in order, until all are answered. The server decompresses, authenticates,
//! computes the scope, loads each document, applies and validates the change, stores it
//! with its feed entry in one transaction per request, and answers (its pull finds only
//! the device's own changes, which it leaves out). Every document must come back `ok`.
//!
//! Two passes: the first merges into documents the server loads from SQLite (cold
//! cache), the second into the same documents again (now in the server's cache).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use gridwalk_core::protocol::{
    CONTENT_TYPE, PROTOCOL_VERSION, PushDoc, SyncRequest, SyncResponse, decode, decompress,
    encode_body,
};
use gridwalk_core::reference::Role;
use gridwalk_datagen::Dataset;
use gridwalk_sync::BatchLimits;
use gridwalk_sync::push::{self, Sent};
use serde::Serialize;

use crate::device::{self, Device};
use crate::server::BenchServer;

/// One timed pass.
#[derive(Debug, Clone, Serialize)]
pub struct Pass {
    /// Documents merged (every one answered `ok`).
    pub docs: usize,
    /// Requests posted.
    pub requests: usize,
    /// Wall seconds from the first request to the last answer.
    pub seconds: f64,
    /// Documents per second.
    pub merges_per_second: f64,
}

/// The merge benchmark's result.
#[derive(Debug, Clone, Serialize)]
pub struct Merge {
    /// Documents per request.
    pub batch: usize,
    /// Concurrent clients.
    pub streams: usize,
    /// Devices (one per grid).
    pub devices: usize,
    /// Into documents loaded from storage.
    pub cold: Pass,
    /// Into the same documents, now cached.
    pub warm: Pass,
}

struct Worker {
    _dir: tempfile::TempDir,
    device: Device,
    households: Vec<String>,
}

struct Prepared {
    worker: usize,
    token: String,
    /// Each body, and whether it is gzipped.
    bodies: Vec<(Vec<u8>, bool)>,
}

/// The rows a body carries, and its documents (without their changes) in push order.
type Carried = (Vec<Sent>, Vec<PushDoc>);

/// Signs in one device per grid and first-syncs each.
async fn workers(server: &BenchServer, ds: &Dataset) -> Result<Vec<Worker>> {
    let mut out = Vec::new();
    for user in ds.users.iter().filter(|u| u.role == Role::GridWorker) {
        let households: Vec<String> = ds
            .households
            .iter()
            .filter(|h| h.grid_id == user.area_id)
            .map(|h| h.id.clone())
            .collect();
        if households.is_empty() {
            continue;
        }
        let session = device::login(server, user).await?;
        let dir = tempfile::tempdir()?;
        let mut d = Device::open(&dir.path().join("device.db"), session, server.offset)?;
        d.sync().await?;
        out.push(Worker {
            _dir: dir,
            device: d,
            households,
        });
    }
    Ok(out)
}

/// Records one visit per household of each worker and pre-builds the push requests.
fn prepare(ws: &mut [Worker], batch: usize, now: i64) -> Result<Vec<(Prepared, Vec<Carried>)>> {
    let limits = BatchLimits {
        max_actions: batch,
        max_docs: batch,
        ..BatchLimits::default()
    };
    let mut out = Vec::new();
    for (i, w) in ws.iter_mut().enumerate() {
        for h in &w.households {
            w.device.visit(h, "季度走访，核实家庭成员信息，无变化。")?;
        }
        let store = &mut w.device.store;
        let entries = store.pending(1_000_000)?;
        let (mut at, mut bodies, mut sent) = (0, Vec::new(), Vec::new());
        while at < entries.len() {
            let p = push::build(&entries[at..], &limits);
            ensure!(!p.sent.is_empty(), "a push takes at least one row");
            at += p.sent.len();
            let docs: Vec<PushDoc> = p
                .docs
                .iter()
                .map(|d| PushDoc {
                    changes: Vec::new(),
                    ..d.clone()
                })
                .collect();
            let req = SyncRequest {
                protocol: PROTOCOL_VERSION,
                device_ms: store.tick_hlc(&w.device.session.device_id, now)?.wall_ms,
                push: p.docs,
                cursors: store.cursors()?,
                reference_version: store.reference_version()?,
                audit: Vec::new(),
            };
            bodies.push(encode_body(&req));
            sent.push((p.sent, docs));
        }
        let token = w.device.session.token_for_secure_storage().to_string();
        out.push((
            Prepared {
                worker: i,
                token,
                bodies,
            },
            sent,
        ));
    }
    Ok(out)
}

/// Posts one pre-built sync body and decodes the answer.
pub async fn post(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    (body, gzipped): (Vec<u8>, bool),
) -> Result<SyncResponse> {
    // The headers the engine sends (crates/sync/src/client.rs).
    let mut req = http
        .post(url)
        .header("content-type", CONTENT_TYPE)
        .header("authorization", format!("Bearer {token}"));
    if gzipped {
        req = req.header("content-encoding", "gzip");
    }
    let resp = req.body(body).send().await?;
    let status = resp.status();
    let answer_gzipped = resp.headers().contains_key("content-encoding");
    let bytes = resp.bytes().await?;
    if !status.is_success() {
        bail!(
            "push answered {status}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    if answer_gzipped {
        Ok(decode(&decompress(&bytes, 1 << 30)?)?)
    } else {
        Ok(decode(&bytes)?)
    }
}

/// One pass: generate, post concurrently (timed), then settle the devices' outboxes.
async fn pass(
    server: &BenchServer,
    ws: &mut [Worker],
    batch: usize,
    streams: usize,
) -> Result<Pass> {
    let prepared = prepare(ws, batch, server.now())?;
    let mut sent_of = Vec::new();
    let mut queue = VecDeque::new();
    for (p, sent) in prepared {
        sent_of.push(sent);
        queue.push_back(p);
    }
    let requests: usize = queue.iter().map(|p| p.bodies.len()).sum();
    let queue = Arc::new(Mutex::new(queue));
    let url = format!("{}/api/v1/sync", server.url);
    eprintln!("merge pass: posting {requests} requests");
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..streams {
        let (queue, url) = (queue.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut answers = Vec::new();
            loop {
                let next = queue
                    .lock()
                    .map_err(|_| anyhow::anyhow!("poisoned"))?
                    .pop_front();
                let Some(p) = next else { break };
                for (k, body) in p.bodies.into_iter().enumerate() {
                    answers.push((p.worker, k, post(&http, &url, &p.token, body).await?));
                }
            }
            anyhow::Ok(answers)
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.extend(t.await??);
    }
    let seconds = started.elapsed().as_secs_f64();
    answers.sort_by_key(|(w, k, _)| (*w, *k));
    let mut docs = 0;
    for (w, k, resp) in &answers {
        if let Some(r) = resp.results.first() {
            bail!("{} not merged: {:?} {}", r.doc_id, r.code, r.message_en);
        }
        docs += resp.ok.len();
        let (sent, pushed) = &sent_of[*w][*k];
        let settled = push::settle(sent, pushed, &resp.ok, &resp.results);
        ensure!(
            settled.refused.is_empty() && settled.unsettled.is_empty(),
            "every pushed row is settled"
        );
        let store = &mut ws[*w].device.store;
        store.settle_push(&settled.acked, &[])?;
        store.apply_sync_page(resp).context("applying the answer")?;
    }
    Ok(Pass {
        docs,
        requests,
        seconds,
        merges_per_second: docs as f64 / seconds,
    })
}

/// Runs the merge benchmark: a cold pass, then a warm one.
pub async fn run(
    server: &BenchServer,
    ds: &Dataset,
    batch: usize,
    streams: usize,
) -> Result<Merge> {
    let mut ws = workers(server, ds).await?;
    let cold = pass(server, &mut ws, batch, streams).await?;
    let warm = pass(server, &mut ws, batch, streams).await?;
    Ok(Merge {
        batch,
        streams,
        devices: ws.len(),
        cold,
        warm,
    })
}
