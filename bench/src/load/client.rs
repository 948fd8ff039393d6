//! A lightweight simulated device: a token, the cursors it holds and the pushes it will
//! make, speaking protocol v1 directly (MessagePack bodies built from gridwalk-core's
//! protocol types, as the engine sends them) instead of running a device store, so a
//! thousand of them fit in one process beside the server.
//!
//! What it pulls is checked, not stored: every pulled change must load as an Automerge
//! change, every snapshot as a document, and the counts are kept for the report.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use automerge::{AutoCommit, Change};
use gridwalk_core::protocol::{
    CONTENT_TYPE, DocCode, PROTOCOL_VERSION, PushDoc, SyncRequest, SyncResponse, decode,
    decompress, encode_body,
};

/// The least time between two requests of one device. The server lets a device make 5
/// requests a second (`Limits::default`); a phone never syncs that often, and the load
/// test measures the server, not its throttle.
const MIN_GAP: Duration = Duration::from_millis(210);

/// One simulated device.
#[derive(Debug, Clone)]
pub struct Device {
    /// Index in the run (nodes are chosen by it).
    pub index: usize,
    /// Bearer token.
    pub token: String,
    /// Cursors by grid (empty before a first sync).
    pub cursors: BTreeMap<String, String>,
    /// The reference-data version it holds.
    pub reference_version: u64,
    /// The three pushes of its day, in order.
    pub pushes: Vec<Vec<PushDoc>>,
    /// Documents pulled (snapshots and change sets), over the whole run.
    pub docs_pulled: usize,
    /// Changes pulled.
    pub changes_pulled: usize,
    /// When it last sent a request.
    pub last_request: Option<Instant>,
}

/// What one sync (all its pages) did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    /// Wall seconds of its requests, from each one sent to its answer read (a device's
    /// pause between pages is left out).
    pub seconds: f64,
    /// Requests (pages).
    pub requests: usize,
    /// Pushed documents answered `ok`.
    pub accepted: usize,
    /// Pushed documents not answered `ok` (each one is an error of the run).
    pub refused: usize,
    /// Documents pulled.
    pub docs: usize,
    /// Snapshots pulled (first sync).
    pub snapshots: usize,
}

/// Posts one body to `/api/v1/sync` and decodes the answer.
async fn post(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    req: &SyncRequest,
) -> Result<SyncResponse> {
    let (body, gzipped) = encode_body(req);
    let mut r = http
        .post(format!("{url}/api/v1/sync"))
        .header("content-type", CONTENT_TYPE)
        .header("authorization", format!("Bearer {token}"));
    if gzipped {
        r = r.header("content-encoding", "gzip");
    }
    let resp = r
        .body(body)
        .send()
        .await
        .context("sending a sync request")?;
    let status = resp.status();
    let answer_gzipped = resp.headers().contains_key("content-encoding");
    let bytes = resp.bytes().await.context("reading a sync answer")?;
    if !status.is_success() {
        bail!(
            "sync answered {status}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    let raw = if answer_gzipped {
        decompress(&bytes, 1 << 30)?
    } else {
        bytes.to_vec()
    };
    Ok(decode(&raw)?)
}

impl Device {
    /// One sync as the engine does it: push `push` with the first request, then pull
    /// pages until the server says there is no more, moving the cursors.
    pub async fn sync(
        &mut self,
        http: &reqwest::Client,
        url: &str,
        push: Vec<PushDoc>,
        device_ms: i64,
    ) -> Result<Outcome> {
        let mut out = Outcome::default();
        let mut push = Some(push);
        loop {
            let pushed = push.take().unwrap_or_default();
            let req = SyncRequest {
                protocol: PROTOCOL_VERSION,
                device_ms,
                push: pushed,
                cursors: self.cursors.clone(),
                reference_version: self.reference_version,
                audit: Vec::new(),
            };
            self.pace().await;
            let started = Instant::now();
            self.last_request = Some(started);
            let resp = post(http, url, &self.token, &req).await?;
            out.seconds += started.elapsed().as_secs_f64();
            out.requests += 1;
            for code in resp.codes(&req.push) {
                match code {
                    Some(DocCode::Ok) => out.accepted += 1,
                    _ => out.refused += 1,
                }
            }
            if let Some(r) = resp.results.iter().find(|r| r.code != DocCode::Ok) {
                eprintln!(
                    "device {}: {} refused: {:?} {}",
                    self.index, r.doc_id, r.code, r.message_en
                );
            }
            self.apply(&resp)?;
            out.docs += resp.docs.len();
            out.snapshots += resp.docs.iter().filter(|d| d.snapshot.is_some()).count();
            if !resp.more {
                break;
            }
            if out.requests > 1_000 {
                bail!(
                    "device {}: a sync did not end after 1,000 pages",
                    self.index
                );
            }
        }
        Ok(out)
    }

    /// Waits until [`MIN_GAP`] has passed since the last request.
    async fn pace(&self) {
        if let Some(last) = self.last_request {
            tokio::time::sleep_until((last + MIN_GAP).into()).await;
        }
    }

    /// Checks what a page brought and moves the cursors.
    fn apply(&mut self, resp: &SyncResponse) -> Result<()> {
        for d in &resp.docs {
            if let Some(s) = &d.snapshot {
                AutoCommit::load(s)
                    .with_context(|| format!("the snapshot of {} loads", d.doc_id))?;
            }
            for c in &d.changes {
                Change::from_bytes(c.to_vec())
                    .with_context(|| format!("a change of {} loads", d.doc_id))?;
            }
            self.docs_pulled += 1;
            self.changes_pulled += d.changes.len();
        }
        if let Some(r) = &resp.reference {
            self.reference_version = r.version;
        }
        self.cursors.extend(resp.cursors.clone());
        if let Some(scope) = &resp.scope {
            self.cursors.retain(|g, _| scope.contains(g));
        }
        Ok(())
    }
}
