//! The device benchmark: a store filled with the standard set (3,000 households, 30,000
//! visits, 3,000 contacts, 500 incidents), then timed user actions, searches and a rebuild.
//!
//! It prints the record counts and the build profile; its last line is one JSON object
//! with `write_p50_ms`, `write_p95_ms`, `search_p50_ms`, `search_p95_ms`,
//! `rebuild_seconds` and `db_bytes`. Run it with `make bench` (release build).

use anyhow::{Context, Result};
use clap::Parser;
use gridwalk_core::doc::edit;
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::doc::{DocKind, WriteCtx};
use gridwalk_core::reference::Role;
use gridwalk_core::{Hlc, Timestamp};
use gridwalk_datagen::{Config, Preset, dump, fill, generate};
use gridwalk_store::{Action, Store};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Device store benchmark on the datagen standard set")]
struct Args {
    /// small, standard, large or demo.
    #[arg(long, default_value = "standard")]
    preset: String,
    /// Seed of the data and of the action mix.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Timed user actions (each adds one visit to a random household).
    #[arg(long, default_value_t = 1000)]
    writes: usize,
    /// Timed searches.
    #[arg(long, default_value_t = 1000)]
    searches: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

fn main() -> Result<()> {
    let args = Args::parse();
    let preset = Preset::from_name(&args.preset).context("unknown preset")?;
    let mut cfg = Config::preset(preset);
    cfg.seed = args.seed;
    let ds = generate(&cfg)?;
    let counts = dump::counts(&ds);
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("profile: {profile}");
    println!("records: {counts:?}");

    let dir = std::env::temp_dir().join(format!("gridwalk-device-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("device.db");
    let mut store = Store::open_with(&path, fill::options(&ds))?;
    let report = fill::fill(&ds, &mut store, gridwalk_datagen::docs::default_threads())?;
    println!(
        "filled {} documents: built in {:.2?}, imported in {:.2?}",
        report.documents, report.build, report.import
    );

    // Writes: one user action each, as the visit form does it, on the full store.
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0x5eed);
    let worker = ds
        .users
        .iter()
        .find(|u| u.role == Role::GridWorker)
        .context("no grid worker")?;
    let mut hlc = Hlc::zero(worker.device.clone());
    let base = ds.config.now().0;
    let mut writes = Vec::with_capacity(args.writes);
    for i in 0..args.writes {
        let h = ds.households.choose(&mut rng).context("no households")?;
        let at = base + i as i64 * 1000;
        hlc = hlc.tick(at);
        let ctx = WriteCtx {
            user: worker.id.clone(),
            role: worker.role,
            device: worker.device.clone(),
            hlc: hlc.clone(),
            at: Timestamp(at),
        };
        let id = format!("bench-visit-{i:06}");
        let mut form = NewVisit::routine(id.clone(), at);
        form.note = "入户走访，了解家庭近况，无新增诉求。".into();
        let visit = form.into_record(&ctx)?;
        let started = Instant::now();
        store.transact(
            DocKind::Household,
            &h.id,
            Action::new("household.add_visit").record(&id),
            |doc| edit::add_visit(doc, &ctx, &visit),
        )?;
        writes.push(started.elapsed());
    }
    writes.sort();

    // Searches: the mix a worker types: a surname, a full name, an address fragment,
    // a phone tail and a tag label.
    let mut queries: Vec<String> = Vec::new();
    for h in ds.households.iter().take(400) {
        if let Some(m) = h.members.first() {
            queries.push(m.name.chars().take(1).collect());
            queries.push(m.name.clone());
            if let Some(p) = &m.phone {
                queries.push(
                    p.chars()
                        .rev()
                        .take(4)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect(),
                );
            }
        }
        let addr = h.address.display();
        let chars: Vec<char> = addr.chars().collect();
        if chars.len() >= 4 {
            let start = rng.random_range(0..chars.len() - 3);
            queries.push(chars[start..start + 3].iter().collect());
        }
    }
    queries.extend(["独居老人", "低保", "留守儿童", "残疾"].map(String::from));
    let mut searches = Vec::with_capacity(args.searches);
    let mut hits = 0usize;
    for _ in 0..args.searches {
        let q = queries.choose(&mut rng).context("no queries")?;
        let started = Instant::now();
        hits += store.search(q, 50)?.len();
        searches.push(started.elapsed());
    }
    searches.sort();

    let started = Instant::now();
    store.rebuild()?;
    let rebuild = started.elapsed();
    let stored = store.storage_bytes()?;
    drop(store);
    let db_bytes: u64 = ["device.db", "device.db-wal", "device.db-shm"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum();
    std::fs::remove_dir_all(&dir).ok();

    println!(
        "writes: {} (p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms)",
        writes.len(),
        percentile(&writes, 0.5),
        percentile(&writes, 0.95),
        percentile(&writes, 1.0)
    );
    println!(
        "searches: {} over {} distinct queries, {hits} hits (p50 {:.2} ms, p95 {:.2} ms)",
        searches.len(),
        queries.len(),
        percentile(&searches, 0.5),
        percentile(&searches, 0.95)
    );
    println!(
        "rebuild: {:.2?}; document bytes {}; db bytes {db_bytes}",
        rebuild, stored.document_bytes
    );
    let json = serde_json::json!({
        "profile": profile,
        "households": counts.get("household"),
        "visits": counts.get("visit"),
        "contacts": counts.get("contact"),
        "incidents": counts.get("incident"),
        "writes": writes.len(),
        "write_p50_ms": percentile(&writes, 0.5),
        "write_p95_ms": percentile(&writes, 0.95),
        "searches": searches.len(),
        "search_p50_ms": percentile(&searches, 0.5),
        "search_p95_ms": percentile(&searches, 0.95),
        "rebuild_seconds": rebuild.as_secs_f64(),
        "document_bytes": stored.document_bytes,
        "db_bytes": db_bytes,
    });
    println!("{json}");
    Ok(())
}
