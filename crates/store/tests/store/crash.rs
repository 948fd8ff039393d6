//! The crash test: a child process writes user actions in a loop and is killed with
//! SIGKILL at random moments; after every kill the file must open, every action must be
//! wholly present or wholly absent (chunk, rows and outbox entry), and the rows must
//! equal a rebuild from the documents.
//!
//! The child is this test binary itself, re-executed with `--exact` on
//! [`crash_writer_child`] and the database path in an environment variable.

use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::edit::add_visit;
use gridwalk_core::doc::household::ContactMode;
use gridwalk_store::materialize::Hydrated;
use gridwalk_store::{Action, Store, StoreError, StoreOptions};
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

const CHILD_DB: &str = "GRIDWALK_CRASH_CHILD_DB";
const KILLS: usize = 24;

/// The child's loop, run only by the crash test (as an ignored test, so a normal run never
/// counts it as a pass).
#[test]
#[ignore = "the crash test's child process; the crash test runs it"]
fn crash_writer_child() {
    let Some(path) = std::env::var_os(CHILD_DB) else {
        return;
    };
    let opts = StoreOptions {
        compact_after: 5,
        ..StoreOptions::default()
    };
    let mut store = Store::open_with(&path, opts).expect("the child opens the store");
    let mut households: Vec<String> = existing_households(Path::new(&path));
    let mut i = 0usize;
    loop {
        if households.len() < 3 || i.is_multiple_of(20) {
            households.push(household(
                &mut store,
                "g1",
                "丽阳街88号",
                &["elderly_alone"],
            ));
        }
        let hid = households[i % households.len()].clone();
        let vid = id();
        let v = visit_record(&vid, T0 + i as i64, ContactMode::InPerson);
        let c = ctx(T0 + i as i64);
        store
            .transact(
                DocKind::Household,
                &hid,
                Action::new("household.add_visit").record(&vid),
                |doc| add_visit(doc, &c, &v),
            )
            .expect("the child's writes succeed");
        i += 1;
    }
}

fn existing_households(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT id FROM documents WHERE kind = 'household' ORDER BY rid")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn set(path: &Path, sql: &str) -> BTreeSet<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every check that must hold after a kill. Returns the number of visits stored.
fn verify(path: &Path, round: usize) -> Result<usize, StoreError> {
    let mut store = Store::open(path)?;
    let outbox_visits = set(
        path,
        "SELECT record_id FROM outbox WHERE action = 'household.add_visit'",
    );
    let row_visits = set(path, "SELECT id FROM visits");
    let mut doc_visits = BTreeSet::new();
    let doc_households = set(path, "SELECT id FROM documents WHERE kind = 'household'");
    for hid in &doc_households {
        match store.hydrated(hid)? {
            Hydrated::Household(h) => doc_visits.extend(h.visits.keys().cloned()),
            other => panic!("{hid} hydrates as {other:?}"),
        }
    }
    assert_eq!(
        outbox_visits, row_visits,
        "round {round}: every visit in the outbox has its row and every row its outbox entry"
    );
    assert_eq!(
        row_visits, doc_visits,
        "round {round}: every visit row is in a stored document and every stored visit has its row"
    );
    assert_eq!(
        doc_households,
        set(path, "SELECT id FROM households"),
        "round {round}: every household document has its row"
    );
    assert_eq!(
        doc_households,
        set(
            path,
            "SELECT record_id FROM outbox WHERE action = 'household.create'"
        ),
        "round {round}: every household document has its create in the outbox"
    );
    let bad_counts = count(
        path,
        "SELECT count(*) FROM documents d WHERE d.chunks != \
         (SELECT count(*) FROM doc_chunks c WHERE c.doc_id = d.id)",
    );
    assert_eq!(
        bad_counts, 0,
        "round {round}: chunk counts agree with the chunks"
    );
    let stored = store.dump_rows()?;
    store.rebuild()?;
    assert_eq!(
        store.dump_rows()?,
        stored,
        "round {round}: the stored rows equal the rows rebuilt from the documents"
    );
    Ok(row_visits.len())
}

#[test]
fn a_writer_killed_at_random_moments_leaves_every_action_whole_or_absent() {
    let seed: u64 = std::env::var("GRIDWALK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_260_302);
    println!("crash test seed = {seed} (set GRIDWALK_CRASH_SEED to replay)");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let mut visits = 0;
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash::crash_writer_child",
                "--ignored",
                "--nocapture",
            ])
            .env(CHILD_DB, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the writer starts");
        std::thread::sleep(Duration::from_millis(rng.random_range(60..400)));
        if let Ok(Some(status)) = child.try_wait() {
            panic!("round {round}: the writer exited on its own ({status}) before the kill");
        }
        child.kill().expect("SIGKILL is delivered");
        child.wait().unwrap();
        visits = verify(&path, round).unwrap_or_else(|e| panic!("round {round}: {e}"));
    }
    println!(
        "{KILLS} kills, {visits} visits stored, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        visits > KILLS,
        "the writer must have made progress between kills ({visits} visits)"
    );
}
