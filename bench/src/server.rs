//! The real server, in process: a SQLite file in a temporary directory, unthrottled
//! limits, the dataset loaded as the demo county, served on 127.0.0.1:0 behind the
//! counting proxy ([`crate::proxy`]).
//!
//! Time: the server and every device run on one clock that starts at the datagen "now"
//! (18:00 Shanghai on the base date) when the benchmark starts and then follows the wall
//! clock, so assignments in force, token lifetimes and HLCs behave as in the field.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use gridwalk_datagen::Dataset;
use gridwalk_server::demo::{self, usernames};
use gridwalk_server::state::{AppState, Limits};
use gridwalk_server::storage::sqlite::SqliteStorage;
use tokio::sync::oneshot;

use crate::proxy::{self, Counters, Wire};

/// Wall-clock milliseconds since the Unix epoch.
pub fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The benchmark clock: the wall clock minus `offset`.
pub fn bench_now(offset: i64) -> i64 {
    system_ms() - offset
}

/// The server under test.
pub struct BenchServer {
    _dir: tempfile::TempDir,
    /// The URL the devices use (through the proxy).
    pub url: String,
    /// The proxy's counters.
    pub wire: Arc<Counters>,
    /// The clock offset (see [`bench_now`]).
    pub offset: i64,
    /// Usernames by user id.
    pub usernames: HashMap<String, String>,
    /// Seconds to load the dataset into the server.
    pub load_seconds: f64,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl BenchServer {
    /// Loads `ds` into a fresh server and starts serving it.
    pub async fn start(ds: &Dataset) -> Result<BenchServer> {
        let t0 = ds.config.now().0;
        let offset = system_ms() - t0;
        let dir = tempfile::tempdir()?;
        let storage = Arc::new(SqliteStorage::open(dir.path().join("server.db"))?);
        let state = AppState::new(
            storage.clone(),
            Limits::unthrottled(),
            Arc::new(move || bench_now(offset)),
        )?;
        let started = Instant::now();
        demo::load(storage.as_ref(), ds, t0).context("loading the dataset")?;
        let load_seconds = started.elapsed().as_secs_f64();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let target = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(e) = gridwalk_server::serve(listener, state, shutdown).await {
                eprintln!("server stopped: {e}");
            }
        });
        let (proxy_addr, wire) = proxy::start(target).await?;
        Ok(BenchServer {
            _dir: dir,
            url: format!("http://{proxy_addr}"),
            wire,
            offset,
            usernames: usernames(ds),
            load_seconds,
            stop: Some(stop),
        })
    }

    /// The proxy counters now.
    pub fn wire(&self) -> Wire {
        self.wire.read()
    }

    /// Now on the benchmark clock.
    pub fn now(&self) -> i64 {
        bench_now(self.offset)
    }
}
