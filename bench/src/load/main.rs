//! `gridwalk-load`: a day of 1,000 field devices compressed into minutes, against real
//! `gridwalk-server` processes over loopback, in three setups: one node on SQLite, one
//! node on PostgreSQL, two nodes on one PostgreSQL database.
//!
//! For each setup it makes a fresh database, loads a datagen county with one grid-worker
//! account and device per simulated device ([`world`]), starts the server binary as child
//! processes ([`nodes`]), and runs the day ([`phases`]): 5% of the devices first-sync in
//! a morning window, every device pushes about 20 visits and one incident over three
//! syncs while pulling the others' work, catches up, then makes ten no-op syncs. Devices
//! speak protocol v1 directly ([`client`]), with changes made beforehand by core's own
//! operations ([`plan`]). Afterwards every pushed record is read back through the read
//! API and every grid's feed is checked ([`verify`]).
//!
//! It prints a Markdown table ([`report`]) and, last, one JSON line; it exits non-zero on
//! any failed sync, refused document or lost change, and when the time limit passes.
//! Servers are killed when the run ends, fails, times out or is interrupted.
//!
//! ```text
//! cargo build --release -p gridwalk-server -p gridwalk-bench
//! GW_TEST_PG_URL=postgres://… target/release/gridwalk-load [--devices 1000] [--setups sqlite,pg1,pg2]
//! target/debug/gridwalk-load --quick      # 40 devices, sqlite and pg2: the smoke test
//! ```

mod client;
mod db;
mod nodes;
mod phases;
mod plan;
mod report;
mod verify;
mod world;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Parser;
use gridwalk_datagen::Dataset;
use tokio::sync::Mutex as AsyncMutex;

use crate::db::{Fresh, Setup};
use crate::nodes::Node;
use crate::phases::{Fleet, Kind, Phase};
use crate::report::{NodeFigures, Percentiles, SetupFigures};
use crate::world::People;

#[derive(Parser)]
#[command(about = "Load test: simulated field devices against real gridwalk-server processes")]
struct Args {
    /// Setups to run, in order (default: sqlite,pg1,pg2; with --quick: sqlite,pg2).
    #[arg(long, value_enum, value_delimiter = ',')]
    setups: Option<Vec<Setup>>,
    /// Simulated devices (default 1000; with --quick 40).
    #[arg(long)]
    devices: Option<usize>,
    /// A small smoke run: 40 devices, sqlite and pg2.
    #[arg(long)]
    quick: bool,
    /// Syncs in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Hard limit on the whole run, seconds.
    #[arg(long, default_value_t = 600)]
    time_limit: u64,
    /// PostgreSQL server for the pg setups (a fresh database is made on it per setup).
    #[arg(long, env = "GW_TEST_PG_URL")]
    database_url: Option<String>,
    /// The gridwalk-server binary (default: the one beside this executable).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Seed of the county and of who visits which household.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() {
    let args = Args::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("gridwalk-load: {e}");
            std::process::exit(1);
        }
    };
    let limit = Duration::from_secs(args.time_limit);
    let outcome = rt.block_on(async {
        tokio::select! {
            r = tokio::time::timeout(limit, run(args)) => match r {
                Ok(r) => r,
                Err(_) => Err(anyhow::anyhow!("the time limit of {} s passed", limit.as_secs())),
            },
            _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
        }
    });
    // Every node has been killed by now (their handles were dropped with the run);
    // blocking tasks still running (a load cut off by the limit) are not waited for.
    match outcome {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("gridwalk-load failed: {e:#}");
            std::process::exit(1);
        }
    }
}

/// What every setup shares: the county, the people and (once made) their pushes.
struct Shared {
    ds: Arc<Dataset>,
    people: Arc<People>,
    plans: Option<Arc<plan::Day>>,
    bin: PathBuf,
    pg_url: Option<String>,
    seed: u64,
    concurrency: usize,
}

async fn run(args: Args) -> Result<()> {
    let devices = args.devices.unwrap_or(if args.quick { 40 } else { 1000 });
    let setups = args.setups.clone().unwrap_or_else(|| {
        if args.quick {
            vec![Setup::Sqlite, Setup::Pg2]
        } else {
            vec![Setup::Sqlite, Setup::Pg1, Setup::Pg2]
        }
    });
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "gridwalk-load: seed {}, {devices} devices, setups {:?}, profile {profile}",
        args.seed,
        setups.iter().map(|s| s.name()).collect::<Vec<_>>()
    );
    let bin = nodes::server_bin(args.server_bin.as_deref())?;
    if setups.iter().any(|s| *s != Setup::Sqlite) && args.database_url.is_none() {
        bail!(
            "the PostgreSQL setups need --database-url or GW_TEST_PG_URL (scripts/pg-test.sh start prints one)"
        );
    }
    let cfg = world::config(devices, args.seed);
    let started = std::time::Instant::now();
    let ds = tokio::task::spawn_blocking(move || gridwalk_datagen::generate(&cfg)).await??;
    let people = world::people(&ds, devices, phases::now_ms())?;
    println!(
        "county: {} households in {} grids, {} users ({} added), generated in {:.1} s",
        ds.households.len(),
        people.households.len(),
        ds.users.len() + people.extra_users.len(),
        people.extra_users.len(),
        started.elapsed().as_secs_f64()
    );
    let dir = tempfile::tempdir()?;
    let mut shared = Shared {
        ds: Arc::new(ds),
        people: Arc::new(people),
        plans: None,
        bin,
        pg_url: args.database_url.clone(),
        seed: args.seed,
        concurrency: args.concurrency,
    };
    let mut rows = Vec::new();
    for setup in setups {
        let row = run_setup(&mut shared, setup, dir.path()).await?;
        println!(
            "{}: {} errors, {} lost; {:.0} merges/s, {:.0} no-ops/s",
            row.setup, row.errors, row.lost, row.merges_per_second, row.noops_per_second
        );
        rows.push(row);
        // The table so far, so a run cut off by the time limit still leaves its figures.
        println!("{}", report::markdown(&rows));
    }
    println!();
    println!("{}", report::markdown(&rows));
    println!("{}", serde_json::to_string(&rows)?);
    let bad: Vec<String> = rows
        .iter()
        .filter(|r| r.errors > 0 || r.lost > 0 || r.noops_not_empty > 0)
        .map(|r| r.setup.clone())
        .collect();
    if !bad.is_empty() {
        bail!("errors or lost changes in {}", bad.join(", "));
    }
    Ok(())
}

fn percentiles_of(phase: &Phase, node: Option<(usize, usize)>) -> Percentiles {
    let mut v: Vec<f64> = phase
        .done
        .iter()
        .filter(|d| node.is_none_or(|(i, n)| d.device % n == i))
        .filter_map(|d| d.result.as_ref().ok().map(|o| o.seconds))
        .collect();
    v.sort_by(f64::total_cmp);
    Percentiles::of(&v)
}

async fn run_setup(sh: &mut Shared, setup: Setup, dir: &Path) -> Result<SetupFigures> {
    println!("== {} ({} node(s))", setup.name(), setup.nodes());
    let fresh = Arc::new(Fresh::create(setup, dir, sh.pg_url.as_deref())?);
    // Storage is used off the runtime's threads, as the server's handlers use it.
    let f = fresh.clone();
    let storage = tokio::task::spawn_blocking(move || f.open()).await??;
    let (ds, people) = (sh.ds.clone(), sh.people.clone());
    let st = storage.clone();
    let loaded = tokio::task::spawn_blocking(move || world::load(&st, &ds, &people)).await??;
    println!("loaded in {:.1} s", loaded.seconds);
    if sh.plans.is_none() {
        let (st, people, seed) = (storage.clone(), sh.people.clone(), sh.seed);
        let made = tokio::task::spawn_blocking(move || {
            plan::make(
                &people.devices,
                &people.households,
                |hh| {
                    let stored = st
                        .load_doc(hh)?
                        .with_context(|| format!("{hh} is stored"))?;
                    let l = gridwalk_server::loaded::from_stored(&stored)
                        .map_err(|e| anyhow::anyhow!("loading {hh}: {e}"))?;
                    Ok(l.doc)
                },
                seed,
                phases::now_ms(),
            )
        })
        .await??;
        println!(
            "day planned: {} visits to {} households, {} incidents",
            made.1.visit_count(),
            made.1.visits.len(),
            made.1.incidents.len()
        );
        sh.plans = Some(Arc::new(made));
    }
    tokio::task::spawn_blocking(move || drop(storage)).await?;
    let plans = sh.plans.clone().context("planned")?;
    let mut nodes = Vec::new();
    for _ in 0..setup.nodes() {
        nodes.push(Node::start(&sh.bin, &fresh.database)?);
    }
    let urls: Vec<String> = nodes.iter().map(|n| n.url.clone()).collect();
    println!("serving on {}", urls.join(", "));

    let specs = &sh.people.devices;
    let devices = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut cursors = BTreeMap::new();
            if !s.morning {
                cursors.insert(
                    s.grid_id.clone(),
                    format!("f:{}", loaded.high_water[&s.grid_id]),
                );
            }
            Arc::new(AsyncMutex::new(client::Device {
                index: i,
                token: s.token.clone(),
                cursors,
                reference_version: loaded.reference_version,
                pushes: plans.0[i].clone(),
                docs_pulled: 0,
                changes_pulled: 0,
                last_request: None,
            }))
        })
        .collect();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(sh.concurrency)
        .timeout(Duration::from_secs(120))
        .build()?;
    let fleet = Arc::new(Fleet {
        devices,
        urls: urls.clone(),
        http: http.clone(),
    });
    let all: Vec<usize> = (0..specs.len()).collect();
    let morning: Vec<usize> = all.iter().copied().filter(|&i| specs[i].morning).collect();

    let first = phases::run(
        &fleet,
        phases::rounds(&morning, 1, |_| Kind::First),
        sh.concurrency,
    )
    .await;
    let mut errors = first.errors();
    for d in &first.done {
        if let Ok(o) = &d.result {
            let want = loaded.docs_in_grid[&specs[d.device].grid_id];
            if o.snapshots != want {
                errors += 1;
                eprintln!(
                    "device {}: first sync brought {} documents, its grid has {want}",
                    d.device, o.snapshots
                );
            }
        }
    }
    println!(
        "morning window: {} first syncs in {:.1} s",
        first.done.len(),
        first.seconds
    );

    let usage_before: Vec<_> = nodes.iter().map(Node::usage).collect();
    let client_before = nodes::usage_of(std::process::id());
    let push = phases::run(&fleet, phases::rounds(&all, 3, Kind::Push), sh.concurrency).await;
    let usage_after: Vec<_> = nodes.iter().map(Node::usage).collect();
    let client_after = nodes::usage_of(std::process::id());
    println!(
        "pushes: {} syncs, {} documents accepted in {:.1} s",
        push.done.len(),
        push.accepted(),
        push.seconds
    );

    let catch_up = phases::run(
        &fleet,
        phases::rounds(&all, 1, |_| Kind::CatchUp),
        sh.concurrency,
    )
    .await;
    let noop = phases::run(
        &fleet,
        phases::rounds(&all, 10, |_| Kind::Noop),
        sh.concurrency,
    )
    .await;
    let noops_not_empty = noop
        .done
        .iter()
        .filter(|d| d.result.as_ref().is_ok_and(|o| o.docs > 0))
        .count();
    println!(
        "no-ops: {} syncs in {:.1} s ({noops_not_empty} pulled something)",
        noop.done.len(),
        noop.seconds
    );
    for p in [&first, &push, &catch_up, &noop] {
        errors += p.errors();
        for f in p.failures() {
            eprintln!("{f}");
        }
    }
    for n in &mut nodes {
        n.check_alive()?;
    }

    let mut token_of_grid = BTreeMap::new();
    for s in specs {
        token_of_grid
            .entry(s.grid_id.clone())
            .or_insert_with(|| s.token.clone());
    }
    let mut verdict = verify::records(&http, &urls, &token_of_grid, &plans.1).await?;
    let usage_end: Vec<_> = nodes.iter().map(Node::usage).collect();
    drop(nodes);
    let (f, l, p) = (fresh.clone(), loaded.clone(), plans.clone());
    let verdict = tokio::task::spawn_blocking(move || {
        let storage = f.open()?;
        verify::feeds(storage.as_ref(), &l, &p.1, &mut verdict)?;
        anyhow::Ok(verdict)
    })
    .await??;
    for p in &verdict.problems {
        eprintln!("check: {p}");
    }

    let mut node_figures = Vec::new();
    for i in 0..setup.nodes() {
        let mut f = NodeFigures::of(usage_before[i], usage_after[i], usage_end[i]);
        if setup.nodes() > 1 {
            f.push = percentiles_of(&push, Some((i, setup.nodes())));
            f.noop = percentiles_of(&noop, Some((i, setup.nodes())));
        }
        node_figures.push(f);
    }
    let accepted = push.accepted();
    let figures = SetupFigures {
        setup: setup.name().into(),
        devices: specs.len(),
        load_seconds: loaded.seconds,
        push: percentiles_of(&push, None),
        noop: percentiles_of(&noop, None),
        first: percentiles_of(&first, None),
        push_seconds: push.seconds,
        docs_accepted: accepted,
        merges_per_second: accepted as f64 / push.seconds.max(1e-9),
        noops_per_second: noop.done.len() as f64 / noop.seconds.max(1e-9),
        noops_not_empty,
        errors,
        lost: verdict.lost(),
        visits: (verdict.visits_pushed, verdict.visits_found),
        incidents: (verdict.incidents_pushed, verdict.incidents_found),
        nodes: node_figures,
        client_push_cpu_seconds: client_after.cpu_seconds - client_before.cpu_seconds,
    };
    if figures.errors == 0 && figures.lost == 0 {
        fresh.drop_database()?;
    }
    Ok(figures)
}
