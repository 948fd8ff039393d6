//! Two server nodes on one PostgreSQL database, one grid, many writers at once.
//!
//! Node 1 is the fixture's state, node 2 a second state over its own connection pool to
//! the same database (its own document cache, its own process actor), each served on
//! its own port of 127.0.0.1: two stateless nodes as a deployment runs them. Every
//! device is a grid worker of the same grid; half sync through node 1, half through
//! node 2. While some push visits to households of the grid (the same households, from
//! both nodes), others pull, so a pull can meet a push that has taken its sequence
//! number but not yet committed. Afterwards every device syncs until it pulls nothing,
//! and the test checks record by record that every device holds every visit anyone
//! wrote, exactly once, with the server's heads; and that the grid's feed numbers its
//! entries 1..n with no gap or duplicate and no change twice. A reader that stepped past
//! a change committing later would move its cursor over it and never receive it: that
//! shows here as a missing visit.
//!
//! Needs PostgreSQL (`GW_TEST_PG_URL`); fails with how to start one when it is absent.
//! Which households each device visits is random; the seed is printed, and
//! `GW_TEST_SEED` replays it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use automerge::ActorId;
use gridwalk_core::doc::DocKind;
use gridwalk_core::doc::edit;
use gridwalk_core::doc::records::NewVisit;
use gridwalk_core::protocol::{self, CONTENT_TYPE, DocCode, PushDoc, SyncRequest, SyncResponse};
use gridwalk_core::reference::Role;
use gridwalk_server::auth::{hash_password, new_token, token_hash};
use gridwalk_server::state::AppState;
use gridwalk_server::storage::postgres::{PgOptions, PgStorage};
use gridwalk_server::storage::{DeviceRow, FeedKind, Storage, UserRow};
use gridwalk_testkit::{Backend, Fixture, T0, test_limits};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::support::{Device, push_since};

/// Concurrent writers, half on each node.
const DEVICES: usize = 64;
/// Pushing syncs per device, each followed by a pull-only sync.
const ROUNDS: usize = 4;
/// Visits per pushing sync.
const VISITS_PER_PUSH: usize = 2;

/// Serves a state on a free loopback port; the sender stops it.
async fn serve(state: AppState) -> (String, oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        gridwalk_server::serve(listener, state, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    (url, stop)
}

/// One sync request over HTTP.
async fn post(http: &reqwest::Client, url: &str, token: &str, req: &SyncRequest) -> SyncResponse {
    let (body, gzipped) = protocol::encode_body(req);
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
        .unwrap_or_else(|e| panic!("the node {url} answers within 60 s: {e}"));
    let status = resp.status();
    let gz = resp.headers().contains_key("content-encoding");
    let bytes = resp.bytes().await.unwrap().to_vec();
    assert!(
        status.is_success(),
        "a sync succeeds: {status} {}",
        String::from_utf8_lossy(&bytes)
    );
    let raw = if gz {
        protocol::decompress(&bytes, 1 << 30).unwrap()
    } else {
        bytes
    };
    protocol::decode(&raw).unwrap()
}

/// Pushes `push` and pulls until the server says there is no more; returns the
/// documents pulled.
async fn sync(http: &reqwest::Client, url: &str, d: &mut Device, push: Vec<PushDoc>) -> usize {
    let mut push = Some(push);
    let mut pulled = 0;
    for _ in 0..100 {
        let req = d.request(push.take().unwrap_or_default());
        let resp = post(http, url, &d.token, &req).await;
        for (i, code) in resp.codes(&req.push).iter().enumerate() {
            assert_eq!(
                *code,
                Some(DocCode::Ok),
                "device {} on {url}: pushed {} is stored",
                d.device_id,
                req.push[i].doc_id
            );
        }
        d.apply(&resp);
        pulled += resp.docs.len();
        if !resp.more {
            return pulled;
        }
    }
    panic!("a sync ends within 100 pages");
}

/// Records a routine visit to a held household; returns its id and the push.
fn visit(d: &mut Device, household: &str, now: i64) -> (String, PushDoc) {
    let ctx = d.ctx(now);
    let actor = d.actor.clone();
    let held = d
        .docs
        .get_mut(household)
        .expect("the device holds the household");
    held.doc.set_actor(actor);
    let heads = held.doc.get_heads();
    let id = uuid::Uuid::now_v7().to_string();
    let v = NewVisit::routine(id.clone(), now)
        .into_record(&ctx)
        .unwrap();
    edit::add_visit(&mut held.doc, &ctx, &v).unwrap();
    (id, push_since(household, held, &heads))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_on_one_database_give_every_device_every_visit_of_64_concurrent_writers() {
    let seed: u64 = std::env::var("GW_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    println!("two_nodes seed: {seed} (GW_TEST_SEED={seed} replays it)");

    let fx =
        tokio::task::spawn_blocking(|| Fixture::load_on(Backend::Postgres, test_limits(), |_| {}))
            .await
            .unwrap();
    let url = fx.pg_url().expect("a PostgreSQL fixture").to_string();
    // The grid with the most households.
    let mut per_grid: BTreeMap<&str, usize> = BTreeMap::new();
    for h in &fx.ds.households {
        *per_grid.entry(h.grid_id.as_str()).or_default() += 1;
    }
    let grid = per_grid
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(g, _)| g.to_string())
        .unwrap();
    let houses: Vec<String> = fx
        .ds
        .households
        .iter()
        .filter(|h| h.grid_id == grid)
        .map(|h| h.id.clone())
        .collect();

    // 64 grid workers of the grid, each with a registered device (one password hash for
    // all: hashing 64 passwords would only slow the test down). Storage is called off the
    // runtime's threads, as the server's handlers call it.
    let storage = fx.storage.clone();
    let g = grid.clone();
    let devices = tokio::task::spawn_blocking(move || {
        let hash = hash_password("two-nodes-password").unwrap();
        let mut devices = Vec::new();
        for i in 0..DEVICES {
            let user = UserRow {
                id: uuid::Uuid::now_v7().to_string(),
                username: format!("two-nodes-{i:02}"),
                name: format!("网格员{i}"),
                role: Role::GridWorker,
                area_id: Some(g.clone()),
                unit_id: None,
                password_hash: hash.clone(),
                active: true,
            };
            storage.create_user(&user, T0).unwrap();
            let token = new_token();
            let row = DeviceRow {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: user.id.clone(),
                name: format!("手机{i}"),
                created_at: T0,
                expires_at: T0 + 365 * 86_400_000,
                revoked_at: None,
            };
            storage.create_device(&row, &token_hash(&token)).unwrap();
            devices.push(Device {
                token,
                device_id: row.id,
                user_id: user.id,
                role: Role::GridWorker,
                actor: ActorId::random(),
                docs: BTreeMap::new(),
                cursors: BTreeMap::new(),
                scope: Vec::new(),
            });
        }
        devices
    })
    .await
    .unwrap();

    // Node 2: its own pool, cache and process actor over the same database.
    let clock = fx.clock.clone();
    let state2 = tokio::task::spawn_blocking(move || {
        let second: Arc<dyn Storage> =
            Arc::new(PgStorage::open(&url, &PgOptions::default()).unwrap());
        AppState::new(
            second,
            test_limits(),
            Arc::new(move || clock.load(Ordering::SeqCst)),
        )
        .unwrap()
    })
    .await
    .unwrap();
    let (url1, stop1) = serve(fx.state.clone()).await;
    let (url2, stop2) = serve(state2).await;
    let urls = [url1, url2];
    // A node that stops answering fails the test instead of hanging it.
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap();

    // Everyone downloads the grid first, through its own node.
    let mut tasks = Vec::new();
    for (i, mut d) in devices.into_iter().enumerate() {
        let (http, url) = (http.clone(), urls[i % 2].clone());
        tasks.push(tokio::spawn(async move {
            sync(&http, &url, &mut d, Vec::new()).await;
            d
        }));
    }
    let mut devices = Vec::new();
    for t in tasks {
        devices.push(t.await.unwrap());
    }
    let base: BTreeMap<String, usize> = houses
        .iter()
        .map(|h| (h.clone(), devices[0].household(h).visits.len()))
        .collect();
    let storage = fx.storage.clone();
    let g = grid.clone();
    let feed_before = tokio::task::spawn_blocking(move || storage.feed_seqs(&g).unwrap().len())
        .await
        .unwrap();
    println!(
        "two_nodes: {DEVICES} devices hold the grid's {} households",
        houses.len()
    );

    // The writes: every device pushes and pulls in turn, all devices at once.
    let now = Arc::new(AtomicI64::new(T0 + 1_000));
    let mut tasks = Vec::new();
    for (i, mut d) in devices.into_iter().enumerate() {
        let (http, url, houses, now) = (
            http.clone(),
            urls[i % 2].clone(),
            houses.clone(),
            now.clone(),
        );
        let mut rng = StdRng::seed_from_u64(seed.wrapping_add(i as u64));
        tasks.push(tokio::spawn(async move {
            let mut written = Vec::new();
            for _ in 0..ROUNDS {
                let mut push: Vec<PushDoc> = Vec::new();
                for h in houses.choose_multiple(&mut rng, VISITS_PER_PUSH) {
                    let (id, p) = visit(&mut d, h, now.fetch_add(1, Ordering::SeqCst));
                    written.push((h.clone(), id));
                    push.push(p);
                }
                sync(&http, &url, &mut d, push).await;
                // A pull while the others are still writing.
                sync(&http, &url, &mut d, Vec::new()).await;
            }
            (d, written)
        }));
    }
    let mut devices = Vec::new();
    let mut written: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for (i, t) in tasks.into_iter().enumerate() {
        let (d, w) = t.await.unwrap();
        for (h, id) in w {
            written.entry(h).or_default().push((i, id));
        }
        devices.push(d);
    }
    let pushed: usize = written.values().map(Vec::len).sum();
    println!("two_nodes: {pushed} visits pushed");
    assert_eq!(
        pushed,
        DEVICES * ROUNDS * VISITS_PER_PUSH,
        "every visit was pushed"
    );

    // Quiet: every device syncs until it pulls nothing.
    for (i, d) in devices.iter_mut().enumerate() {
        let mut rounds = 0;
        while sync(&http, &urls[i % 2], d, Vec::new()).await > 0 {
            rounds += 1;
            assert!(
                rounds < 10,
                "device {i} stops pulling once nothing is written"
            );
        }
    }

    // Record by record: every device holds every visit, once, and the server's heads.
    let storage = fx.storage.clone();
    let stored_heads: BTreeMap<String, Vec<automerge::ChangeHash>> = {
        let houses = houses.clone();
        tokio::task::spawn_blocking(move || {
            houses
                .iter()
                .map(|h| {
                    let s = storage.load_doc(h).unwrap().unwrap();
                    let mut l = gridwalk_server::loaded::from_stored(&s).unwrap();
                    (h.clone(), l.doc.get_heads())
                })
                .collect()
        })
        .await
        .unwrap()
    };
    for (i, d) in devices.iter_mut().enumerate() {
        for h in &houses {
            let visits = d.household(h).visits;
            let mine = written.get(h).map_or(&[][..], Vec::as_slice);
            for (by, id) in mine {
                assert!(
                    visits.contains_key(id),
                    "device {i} (node {}) holds visit {id} to {h} written by device {by} (node {}): seed {seed}",
                    i % 2 + 1,
                    by % 2 + 1
                );
            }
            assert_eq!(
                visits.len(),
                base[h] + mine.len(),
                "device {i} holds {h}'s loaded visits plus the new ones, none doubled: seed {seed}"
            );
            assert_eq!(
                d.docs.get_mut(h).unwrap().doc.get_heads(),
                stored_heads[h],
                "device {i} holds {h} exactly as the server stores it: seed {seed}"
            );
        }
        assert!(
            d.docs
                .values()
                .all(|held| held.kind != DocKind::Household || held.grid == grid),
            "devices hold only their grid"
        );
    }

    // The feed: 1..n, one entry per stored change, no change twice.
    let storage = fx.storage.clone();
    let g = grid.clone();
    let (seqs, feed) = tokio::task::spawn_blocking(move || {
        (
            storage.feed_seqs(&g).unwrap(),
            storage.feed_after(&g, 0, 1_000_000).unwrap(),
        )
    })
    .await
    .unwrap();
    let expect: Vec<i64> = (1..=seqs.len() as i64).collect();
    assert_eq!(
        seqs, expect,
        "the grid's sequence numbers run 1..n with no gap or duplicate: seed {seed}"
    );
    assert_eq!(
        seqs.len(),
        feed_before + pushed,
        "one feed entry per pushed visit: seed {seed}"
    );
    let changes: Vec<(String, String)> = feed
        .iter()
        .filter(|e| e.kind == FeedKind::Change)
        .map(|e| {
            (
                e.doc_id.clone().unwrap_or_default(),
                e.hash.clone().unwrap_or_default(),
            )
        })
        .collect();
    let unique: BTreeSet<&(String, String)> = changes.iter().collect();
    assert_eq!(
        unique.len(),
        changes.len(),
        "no change has two feed entries: seed {seed}"
    );

    let _ = stop1.send(());
    let _ = stop2.send(());
    // The fixture (and its database) is dropped off the runtime's worker threads.
    tokio::task::spawn_blocking(move || drop(fx)).await.unwrap();
}
