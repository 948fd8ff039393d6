//! First sync, measured in a child process so that its CPU time and peak RSS are the
//! device's alone (the server runs in the parent).
//!
//! The parent signs the device in (sign-in is not part of first sync), writes the
//! session next to the empty store and starts `gridwalk-sync-bench --child-first-sync
//! DIR`. The child opens the store, syncs until the server has nothing more, then runs a
//! search: first sync ends when the data is durable (every page is committed in its own
//! store transaction), materialized (the rows are written in that transaction) and
//! searchable (the search returns hits). It prints one JSON line ([`ChildReport`]). The
//! parent counts the bytes on the wire through its proxy while the child runs.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use gridwalk_core::doc::DocKind;
use gridwalk_datagen::model::User;
use gridwalk_sync::Session;
use serde::{Deserialize, Serialize};

use crate::device::{self, Device};
use crate::measure;
use crate::proxy::Wire;
use crate::server::BenchServer;

/// What the child measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChildReport {
    /// Wall seconds from the first request to the search's answer.
    pub seconds: f64,
    /// Seconds of the sync alone (without the search).
    pub sync_seconds: f64,
    /// Seconds of the search.
    pub search_seconds: f64,
    /// CPU seconds (user + system) of the device process over the same span.
    pub cpu_seconds: f64,
    /// Peak RSS of the device process, bytes.
    pub peak_rss_bytes: u64,
    /// Round trips.
    pub rounds: u32,
    /// HTTP requests (retries included).
    pub requests: u64,
    /// The engine's own estimate of bytes up (headers rebuilt).
    pub engine_bytes_up: u64,
    /// The engine's own estimate of bytes down.
    pub engine_bytes_down: u64,
    /// Documents received.
    pub docs_received: usize,
    /// Household documents the device holds afterwards.
    pub households: usize,
    /// Hits of the closing search.
    pub search_hits: usize,
    /// Device store file bytes afterwards.
    pub store_file_bytes: i64,
}

/// One measured first sync.
#[derive(Debug)]
pub struct FirstSyncRun {
    /// What the child measured.
    pub child: ChildReport,
    /// Bytes on the wire (proxy).
    pub wire: Wire,
    /// The directory holding the device's store and session.
    pub dir: tempfile::TempDir,
    /// The session.
    pub session: Session,
}

const SESSION_FILE: &str = "session.json";
const STORE_FILE: &str = "device.db";

/// The store file of a run's directory.
pub fn store_path(dir: &Path) -> std::path::PathBuf {
    dir.join(STORE_FILE)
}

/// Signs `user` in on a new device and measures its first sync in a child process.
pub async fn run(server: &BenchServer, user: &User, query: &str) -> Result<FirstSyncRun> {
    let session = device::login(server, user).await?;
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join(SESSION_FILE), serde_json::to_vec(&session)?)?;
    let exe = std::env::current_exe()?;
    let args = vec![
        "--child-first-sync".to_string(),
        dir.path().display().to_string(),
        "--clock-offset".to_string(),
        server.offset.to_string(),
        "--query".to_string(),
        query.to_string(),
    ];
    let before = server.wire();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(exe)
            .args(args)
            .stderr(std::process::Stdio::inherit())
            .output()
    })
    .await??;
    let wire = server.wire().since(before);
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("the first-sync child failed ({}): {stdout}", out.status);
    }
    let last = stdout.lines().last().context("the child printed nothing")?;
    let child: ChildReport = serde_json::from_str(last).context("the child's report")?;
    Ok(FirstSyncRun {
        child,
        wire,
        dir,
        session,
    })
}

/// The child's side: first sync of the store in `dir`, then a search for `query`.
pub fn child_main(dir: &Path, offset: i64, query: &str) -> Result<()> {
    let session: Session = serde_json::from_slice(&std::fs::read(dir.join(SESSION_FILE))?)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut device = Device::open(&store_path(dir), session, offset)?;
    let cpu0 = measure::cpu_seconds();
    let started = Instant::now();
    let report = rt.block_on(device.sync())?;
    let sync_seconds = started.elapsed().as_secs_f64();
    let hits = device.store.search(query, 50)?.len();
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = measure::cpu_seconds() - cpu0;
    if !report.first_sync {
        bail!("the device had already synced");
    }
    if hits == 0 {
        bail!("first sync is not searchable: no hit for {query}");
    }
    let stored = device.store.storage_bytes()?;
    let households = device.store.document_ids(DocKind::Household)?.len();
    let out = ChildReport {
        seconds,
        sync_seconds,
        search_seconds: seconds - sync_seconds,
        cpu_seconds,
        peak_rss_bytes: measure::peak_rss_bytes(),
        rounds: report.rounds,
        requests: report.traffic.requests,
        engine_bytes_up: report.traffic.bytes_up,
        engine_bytes_down: report.traffic.bytes_down,
        docs_received: report.docs_received,
        households,
        search_hits: hits,
        store_file_bytes: stored.file_bytes,
    };
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
