//! `gridwalk-sync-bench`: the sync benchmark of issue 3, over real loopback HTTP against
//! the real server (in process, SQLite in a temporary directory, unthrottled limits).
//!
//! On the datagen standard set (3,000 households, 30,000 visits, 3,000 contacts, 500
//! incidents; `--households N` scales every count with it) it measures:
//! - first sync of a grid head whose scope is the whole set, until durable, materialized
//!   and searchable: wall time, bytes each way on the wire, requests, the device's CPU
//!   time and peak RSS (in a child process, [`first_sync`]); the median of `--runs`;
//! - daily sync: 50 visits up, 50 down from another device of the same scope;
//! - the no-op sync (bytes both ways) and no-op syncs/s with concurrent clients;
//! - server merge throughput ([`merge`]);
//! - with `--scales 1000,...`: first sync and no-op bytes at other sizes, for linearity.
//!
//! Bytes are counted by a TCP proxy between the engine and the server ([`proxy`]):
//! request and status lines, headers and bodies, exactly. The floor is the gzip -6 size
//! of the datagen JSON-lines dump. It prints the record counts and the build profile,
//! then human lines, and its last line is one JSON object. Run it with
//! `cargo run --release -p gridwalk-bench --bin gridwalk-sync-bench`.

mod device;
mod first_sync;
mod measure;
mod merge;
mod proxy;
mod scenarios;
mod server;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;
use gridwalk_core::reference::Role;
use gridwalk_datagen::model::User;
use gridwalk_datagen::{Config, Dataset, Preset, dump, generate};
use serde_json::json;

use crate::device::Device;
use crate::first_sync::FirstSyncRun;
use crate::measure::median;
use crate::server::BenchServer;

#[derive(Parser)]
#[command(about = "Sync benchmark: device engine against the real server over loopback HTTP")]
struct Args {
    /// small, standard, large or demo.
    #[arg(long, default_value = "standard")]
    preset: String,
    /// Households (visits, contacts and incidents scale with them).
    #[arg(long)]
    households: Option<usize>,
    /// Seed of the data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// First syncs measured (median reported); at least 2.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Other household counts to measure first sync and the no-op at (linearity).
    #[arg(long, value_delimiter = ',')]
    scales: Vec<usize>,
    /// Records each way in the daily sync.
    #[arg(long, default_value_t = 50)]
    daily: usize,
    /// Concurrent no-op clients.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Seconds of concurrent no-op syncs.
    #[arg(long, default_value_t = 5.0)]
    noop_seconds: f64,
    /// At most this many concurrent no-op syncs.
    #[arg(long, default_value_t = 100_000)]
    noop_max: u64,
    /// Documents per merge request.
    #[arg(long, default_value_t = 250)]
    merge_batch: usize,
    /// Concurrent merge clients.
    #[arg(long, default_value_t = 2)]
    merge_streams: usize,
    /// Internal: run one measured first sync in this directory.
    #[arg(long, hide = true)]
    child_first_sync: Option<PathBuf>,
    /// Internal: the benchmark clock's offset.
    #[arg(long, hide = true, default_value_t = 0)]
    clock_offset: i64,
    /// Internal: the search that ends first sync.
    #[arg(long, hide = true, default_value = "")]
    query: String,
}

fn config(args: &Args, households: Option<usize>) -> Result<Config> {
    let preset = Preset::from_name(&args.preset).context("unknown preset")?;
    let mut cfg = Config::preset(preset);
    cfg.seed = args.seed;
    if let Some(h) = households {
        let base = cfg.households.max(1);
        cfg.visits = cfg.visits * h / base;
        cfg.contacts = cfg.contacts * h / base;
        cfg.incidents = cfg.incidents * h / base;
        cfg.households = h;
    }
    Ok(cfg)
}

/// The grid head whose village holds every household (the standard set is one
/// community), else the first grid head.
fn grid_head(ds: &Dataset) -> Result<&User> {
    let heads: Vec<&User> = ds
        .users
        .iter()
        .filter(|u| u.role == Role::GridHead)
        .collect();
    heads
        .iter()
        .copied()
        .max_by_key(|u| {
            ds.households
                .iter()
                .filter(|h| h.village_id == u.area_id)
                .count()
        })
        .context("no grid head")
}

/// A search term that must hit after first sync: the first member's full name.
fn query(ds: &Dataset) -> Result<String> {
    ds.households
        .iter()
        .find_map(|h| h.members.first().map(|m| m.name.clone()))
        .context("no household member")
}

/// First syncs at one size, and the no-op after them.
struct Suite {
    server: BenchServer,
    runs: Vec<FirstSyncRun>,
    households: usize,
    grids: usize,
    in_scope: usize,
}

impl Suite {
    fn med(&self, f: impl Fn(&FirstSyncRun) -> f64) -> f64 {
        median(&self.runs.iter().map(f).collect::<Vec<_>>())
    }
}

async fn suite(ds: &Dataset, runs: usize) -> Result<Suite> {
    let server = BenchServer::start(ds).await?;
    let head = grid_head(ds)?;
    let in_scope = ds
        .households
        .iter()
        .filter(|h| h.village_id == head.area_id)
        .count();
    let q = query(ds)?;
    let mut out = Vec::new();
    for i in 0..runs.max(2) {
        let r = first_sync::run(&server, head, &q).await?;
        anyhow::ensure!(
            r.child.households == in_scope,
            "the device holds {} households, its scope {in_scope}",
            r.child.households
        );
        println!(
            "first sync {}: {:.3} s (sync {:.3} s, search {:.1} ms), {} B down, {} B up, {} requests, cpu {:.2} s, peak rss {:.1} MB, {} docs",
            i + 1,
            r.child.seconds,
            r.child.sync_seconds,
            r.child.search_seconds * 1e3,
            r.wire.down,
            r.wire.up,
            r.child.requests,
            r.child.cpu_seconds,
            r.child.peak_rss_bytes as f64 / 1e6,
            r.child.docs_received
        );
        out.push(r);
    }
    let grids: std::collections::BTreeSet<&str> =
        ds.households.iter().map(|h| h.grid_id.as_str()).collect();
    Ok(Suite {
        server,
        runs: out,
        households: ds.households.len(),
        grids: grids.len(),
        in_scope,
    })
}

fn open(s: &Suite, i: usize) -> Result<Device> {
    let r = &s.runs[i];
    Device::open(
        &first_sync::store_path(r.dir.path()),
        r.session.clone(),
        s.server.offset,
    )
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(dir) = &args.child_first_sync {
        return first_sync::child_main(dir, args.clock_offset, &args.query);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(bench(args))
}

async fn bench(args: Args) -> Result<()> {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let cfg = config(&args, args.households)?;
    let ds = generate(&cfg)?;
    let counts = dump::counts(&ds);
    println!("profile: {profile}");
    println!("records: {counts:?}");
    let (raw, floor) = dump::sizes(&ds);
    println!("json dump: {raw} B raw, {floor} B gzip -6 (the floor)");

    let s = suite(&ds, args.runs).await?;
    println!(
        "server: {} households in {} grids loaded in {:.1} s; grid head scope {} households",
        s.households, s.grids, s.server.load_seconds, s.in_scope
    );
    let fs_seconds = s.med(|r| r.child.seconds);
    let fs_down = s.med(|r| r.wire.down as f64) as u64;
    let fs_up = s.med(|r| r.wire.up as f64) as u64;
    let fs_requests = s.med(|r| r.child.requests as f64) as u64;
    let fs_cpu = s.med(|r| r.child.cpu_seconds);
    let fs_rss = s.med(|r| r.child.peak_rss_bytes as f64) as u64;
    let r0 = &s.runs[0];
    println!(
        "first sync (median of {}): {fs_seconds:.3} s, {fs_down} B down ({:.2}× floor), {fs_up} B up ({:.3}% of down), {fs_requests} requests ({:.2} per MB down), cpu {fs_cpu:.2} s, peak rss {:.1} MB; engine estimate {} B down / {} B up",
        s.runs.len(),
        fs_down as f64 / floor as f64,
        fs_up as f64 * 100.0 / fs_down as f64,
        fs_requests as f64 / (fs_down as f64 / 1e6),
        fs_rss as f64 / 1e6,
        r0.child.engine_bytes_down,
        r0.child.engine_bytes_up
    );

    let mut a = open(&s, 0)?;
    let mut b = open(&s, 1)?;
    let daily = scenarios::daily(&s.server, &ds, &mut a, &mut b, args.daily).await?;
    println!(
        "daily sync: {} up, {} down in {} round trip(s), {} B up, {} B down, {:.1} ms",
        daily.up_records,
        daily.docs_received,
        daily.round_trips,
        daily.bytes_up,
        daily.bytes_down,
        daily.seconds * 1e3
    );
    let noop = scenarios::noop(&s.server, &mut a, 7).await?;
    println!(
        "no-op sync: {} B ({} B up + {} B down; engine estimate {} B), {} request, {:.2} ms median",
        noop.median_bytes(),
        noop.bytes_up,
        noop.bytes_down,
        noop.engine_bytes,
        noop.requests,
        noop.median_ms
    );
    let body = scenarios::noop_body(&mut a, s.server.now())?;
    let src = a.path.clone();
    drop(a);
    drop(b);
    let head = grid_head(&ds)?;
    let conc = scenarios::concurrent_noop(
        &s.server,
        head,
        &src,
        args.clients,
        args.noop_seconds,
        args.noop_max,
    )
    .await?;
    println!(
        "concurrent no-op: {} clients, {} syncs in {:.1} s = {:.0}/s (p50 {:.1} ms, p95 {:.1} ms, {:.0} B each, {} errors)",
        conc.clients,
        conc.syncs,
        conc.seconds,
        conc.per_second,
        conc.p50_ms,
        conc.p95_ms,
        conc.bytes_per_sync,
        conc.errors
    );
    let server_noop = scenarios::raw_noop(
        &s.server,
        head,
        body,
        args.clients,
        args.noop_seconds,
        args.noop_max,
    )
    .await?;
    println!(
        "server no-op capacity (no device store): {} clients, {} syncs in {:.1} s = {:.0}/s (p50 {:.1} ms, p95 {:.1} ms, {:.0} B each)",
        server_noop.clients,
        server_noop.syncs,
        server_noop.seconds,
        server_noop.per_second,
        server_noop.p50_ms,
        server_noop.p95_ms,
        server_noop.bytes_per_sync
    );
    let merge = merge::run(&s.server, &ds, args.merge_batch, args.merge_streams).await?;
    for (name, p) in [("cold", &merge.cold), ("warm", &merge.warm)] {
        println!(
            "merges ({name}): {} documents in {} requests of {} from {} devices, {} streams: {:.2} s = {:.0}/s",
            p.docs,
            p.requests,
            merge.batch,
            merge.devices,
            merge.streams,
            p.seconds,
            p.merges_per_second
        );
    }
    let main_row = json!({
        "households": s.households,
        "grids": s.grids,
        "first_sync_seconds": fs_seconds,
        "ms_per_household": fs_seconds * 1e3 / s.in_scope as f64,
        "first_sync_bytes_down": fs_down,
        "noop_sync_bytes": noop.median_bytes(),
    });
    drop(s);

    let mut scaling = vec![main_row];
    for &h in &args.scales {
        let ds_h = generate(&config(&args, Some(h))?)?;
        println!("scale {h}: records {:?}", dump::counts(&ds_h));
        let sh = suite(&ds_h, args.runs).await?;
        let mut d = open(&sh, 0)?;
        let n = scenarios::noop(&sh.server, &mut d, 5).await?;
        let secs = sh.med(|r| r.child.seconds);
        let row = json!({
            "households": sh.households,
            "grids": sh.grids,
            "first_sync_seconds": secs,
            "ms_per_household": secs * 1e3 / sh.in_scope as f64,
            "first_sync_bytes_down": sh.med(|r| r.wire.down as f64) as u64,
            "noop_sync_bytes": n.median_bytes(),
        });
        println!("scale {h}: {row}");
        scaling.push(row);
    }
    scaling.sort_by_key(|r| r["households"].as_u64());

    let out = json!({
        "profile": profile,
        "households": counts.get("household"),
        "visits": counts.get("visit"),
        "contacts": counts.get("contact"),
        "incidents": counts.get("incident"),
        "first_sync_runs": args.runs.max(2),
        "first_sync_seconds": fs_seconds,
        "first_sync_bytes_down": fs_down,
        "first_sync_bytes_up": fs_up,
        "first_sync_requests": fs_requests,
        "first_sync_cpu_seconds": fs_cpu,
        "first_sync_peak_rss_bytes": fs_rss,
        "json_raw_bytes": raw,
        "json_gzip_floor_bytes": floor,
        "daily_sync_round_trips": daily.round_trips,
        "daily_sync_bytes_up": daily.bytes_up,
        "daily_sync_bytes_down": daily.bytes_down,
        "noop_sync_bytes": noop.median_bytes(),
        "noop_sync_bytes_up": noop.bytes_up,
        "noop_sync_bytes_down": noop.bytes_down,
        "noop_syncs_per_second": conc.per_second,
        "noop_clients": conc.clients,
        "noop_syncs_per_second_server_only": server_noop.per_second,
        "merges_per_second": merge.cold.merges_per_second,
        "merges_per_second_warm": merge.warm.merges_per_second,
        "merge_batch": merge.batch,
        "merge_streams": merge.streams,
        "scaling": scaling,
    });
    println!("{out}");
    Ok(())
}
