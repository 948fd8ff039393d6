//! The dashboard's figures against an oracle: the same figures computed here with plain
//! code from the datagen dump (JSON lines), without gridwalk-core's rules, for a fixed
//! seed, period and township.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use gridwalk_core::reference::Role;
use gridwalk_server::console::dashboard::{DashboardQuery, for_user};
use gridwalk_server::error::AppError;
use gridwalk_server::state::AppState;
use gridwalk_server::storage::{Storage, UserRow};
use gridwalk_testkit::{T0, small_config, test_limits};
use serde_json::Value;

const FROM: &str = "2026-09-01";
const TO: &str = "2026-11-27";
const DAY_MS: i64 = 86_400_000;
const SHANGHAI_MS: i64 = 8 * 3_600_000;

/// Shanghai midnight of a `YYYY-MM-DD` date, UTC ms, by hand.
fn midnight(date: &str) -> i64 {
    let p: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    // Days from 1970-01-01 (civil-from-days, Howard Hinnant's algorithm).
    let (y, m, d) = (if p[1] <= 2 { p[0] - 1 } else { p[0] }, p[1], p[2]);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * DAY_MS - SHANGHAI_MS
}

fn shanghai_day(ms: i64) -> i64 {
    (ms + SHANGHAI_MS).div_euclid(DAY_MS)
}

/// The demo county's shape (two townships, six grids) with enough records that every
/// figure is exercised, loaded into a fresh server whose clock stands at the base time.
pub struct County {
    _dir: tempfile::TempDir,
    /// The server's storage.
    pub storage: std::sync::Arc<dyn Storage>,
    /// The app state.
    pub state: AppState,
    /// The generated dataset.
    pub ds: gridwalk_datagen::Dataset,
}

impl County {
    /// Generates and loads the county.
    pub fn load() -> County {
        let mut cfg = small_config();
        cfg.households = 500;
        cfg.visits = 3_000;
        cfg.contacts = 300;
        cfg.incidents = 120;
        Self::with(cfg)
    }

    /// Loads a county generated from `cfg`.
    pub fn with(cfg: gridwalk_datagen::Config) -> County {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        let sqlite = gridwalk_server::storage::sqlite::SqliteStorage::open(path).unwrap();
        let storage: std::sync::Arc<dyn Storage> = std::sync::Arc::new(sqlite);
        let (ds, _) = gridwalk_server::demo::load_config(storage.as_ref(), &cfg, T0).unwrap();
        let state =
            AppState::new(storage.clone(), test_limits(), std::sync::Arc::new(|| T0)).unwrap();
        County {
            _dir: dir,
            storage,
            state,
            ds,
        }
    }

    /// The stored row of the `nth` dataset user of a role.
    pub fn user(&self, role: Role, nth: usize) -> UserRow {
        let u = self
            .ds
            .users
            .iter()
            .filter(|u| u.role == role)
            .nth(nth)
            .expect("a user of that role");
        self.storage.user(&u.id).unwrap().unwrap()
    }

    /// The time the server's clock shows.
    pub fn now(&self) -> i64 {
        T0
    }
}

fn lines(fx: &County) -> Vec<Value> {
    let mut buf = Vec::new();
    gridwalk_datagen::dump::write(&fx.ds, &mut buf).unwrap();
    String::from_utf8(buf)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

/// (occupied, seen, contacted, empty, seen_by_self)
type Cov = (u32, u32, u32, u32, Option<u32>);

/// Household id → (grid, occupied?, contacts as (at, in person?, by whom)).
type Households = BTreeMap<String, (String, bool, Vec<(i64, bool, String)>)>;

struct Oracle {
    grids: BTreeMap<String, Cov>,
    workers: BTreeMap<String, Cov>,
    histogram: Vec<u32>,
    by_state: BTreeMap<String, u32>,
    by_category: BTreeMap<String, u32>,
    by_platform: BTreeMap<String, u32>,
    satisfaction: [u32; 3],
}

fn oracle(dump: &[Value], township: &str, from: i64, to: i64, as_of: i64) -> Oracle {
    let of = |t: &'static str| dump.iter().filter(move |v| v["type"] == t);
    let parent: HashMap<String, String> = of("area")
        .map(|a| (s(a, "id"), s(a, "parent_id")))
        .collect();
    let under = |mut id: String| loop {
        if id == township {
            return true;
        }
        match parent.get(&id) {
            Some(p) if !p.is_empty() => id = p.clone(),
            _ => return false,
        }
    };
    let grids: BTreeSet<String> = of("area")
        .filter(|a| a["level"] == "grid" && under(s(a, "id")))
        .map(|a| s(a, "id"))
        .collect();
    let mut hh: Households = of("household")
        .filter(|h| grids.contains(&s(h, "grid_id")))
        .map(|h| {
            (
                s(h, "id"),
                (s(h, "grid_id"), h["status"] != "empty", Vec::new()),
            )
        })
        .collect();
    for v in of("visit") {
        if let Some(h) = hh.get_mut(&s(v, "household_id")) {
            h.2.push((
                v["at"].as_i64().unwrap(),
                v["mode"] == "in_person",
                s(v, "visitor_user"),
            ));
        }
    }
    for c in of("contact").filter(|c| c["target"]["kind"] == "household") {
        if let Some(h) = hh.get_mut(c["target"]["id"].as_str().unwrap()) {
            h.2.push((
                c["at"].as_i64().unwrap(),
                c["mode"] == "in_person",
                s(c, "contactor_user"),
            ));
        }
    }
    let cover = |grid: &str, user: Option<&str>| -> Cov {
        let mut c = (0, 0, 0, 0, user.map(|_| 0));
        for (g, occupied, contacts) in hh.values() {
            if g != grid {
                continue;
            }
            if !occupied {
                c.3 += 1;
                continue;
            }
            c.0 += 1;
            let inside = |at: i64| from <= at && at < to;
            if contacts.iter().any(|x| x.1 && inside(x.0)) {
                c.1 += 1;
            }
            if contacts.iter().any(|x| inside(x.0)) {
                c.2 += 1;
            }
            if let Some(u) = user
                && contacts.iter().any(|x| x.1 && inside(x.0) && x.2 == u)
            {
                *c.4.as_mut().unwrap() += 1;
            }
        }
        c
    };
    let grid_cov = grids.iter().map(|g| (g.clone(), cover(g, None))).collect();
    let workers = of("user")
        .filter(|u| u["role"] == "grid_worker" && grids.contains(&s(u, "area_id")))
        .map(|u| {
            (
                s(u, "id"),
                cover(&s(u, "area_id"), Some(u["id"].as_str().unwrap())),
            )
        })
        .collect();
    let mut histogram = vec![0u32; 6];
    for (_, occupied, contacts) in hh.values() {
        if !occupied {
            continue;
        }
        let last = contacts
            .iter()
            .filter(|x| x.1 && x.0 <= as_of)
            .map(|x| x.0)
            .max();
        let bucket = match last.map(|t| shanghai_day(as_of) - shanghai_day(t)) {
            None => 5,
            Some(d) if d <= 7 => 0,
            Some(d) if d <= 30 => 1,
            Some(d) if d <= 90 => 2,
            Some(d) if d <= 180 => 3,
            Some(_) => 4,
        };
        histogram[bucket] += 1;
    }
    let mut o = Oracle {
        grids: grid_cov,
        workers,
        histogram,
        by_state: BTreeMap::new(),
        by_category: BTreeMap::new(),
        by_platform: BTreeMap::new(),
        satisfaction: [0; 3],
    };
    let events: Vec<&Value> = of("incident_event").collect();
    for inc in of("incident").filter(|i| grids.contains(&s(i, "grid_id"))) {
        let id = s(inc, "id");
        let log: Vec<&&Value> = events
            .iter()
            .filter(|e| s(e, "incident_id") == id)
            .collect();
        let reported = log
            .iter()
            .find(|e| e["action"] == "report" || e["action"] == "self_handle")
            .map(|e| e["at"].as_i64().unwrap());
        if !reported.is_some_and(|t| from <= t && t < to) {
            continue;
        }
        *o.by_state.entry(s(inc, "state")).or_default() += 1;
        *o.by_category.entry(s(inc, "category")).or_default() += 1;
        let platform = log
            .iter()
            .filter(|e| e["action"] == "route")
            .filter_map(|e| e["fields"]["platform"].as_str().filter(|p| !p.is_empty()))
            .next_back()
            .map_or(s(inc, "platform"), str::to_string);
        *o.by_platform.entry(platform).or_default() += 1;
        if let Some(r) = log.iter().find(|e| e["action"] == "rate") {
            let i = match r["fields"]["level"].as_str().unwrap() {
                "satisfied" => 0,
                "basically_satisfied" | "basically" => 1,
                _ => 2,
            };
            o.satisfaction[i] += 1;
        }
    }
    o
}

#[test]
fn the_dashboard_equals_figures_computed_independently_from_the_dump() {
    let fx = County::load();
    let dump = lines(&fx);
    let mut townships = BTreeSet::new();
    for nth in 0.. {
        let Some(u) = fx
            .ds
            .users
            .iter()
            .filter(|u| u.role == Role::TownshipSupervisor)
            .nth(nth)
        else {
            break;
        };
        if townships.insert(u.area_id.clone()) {
            check_township(&fx, &dump, fx.user(Role::TownshipSupervisor, nth));
        }
    }
    assert_eq!(townships.len(), 2, "both townships were checked");
}

fn check_township(fx: &County, dump: &[Value], sup: UserRow) {
    let township = sup.area_id.clone().unwrap();
    println!(
        "oracle: seed {}, base date {}, township {township}, period {FROM}..={TO}",
        fx.ds.config.seed, fx.ds.config.base_date
    );
    let q = DashboardQuery {
        area_id: None,
        from: FROM.into(),
        to: TO.into(),
    };
    let d = for_user(&fx.state, &sup, &q).unwrap();
    let (from, to) = (midnight(FROM), midnight(TO) + DAY_MS);
    assert_eq!(
        d.as_of,
        (to - 1).min(fx.now()),
        "as of the period's end, capped at now"
    );
    let o = oracle(dump, &township, from, to, d.as_of);

    let cov = |r: &gridwalk_server::console::dashboard::dto::CoverageRow| {
        (r.occupied, r.seen, r.contacted, r.empty, r.seen_by_self)
    };
    let grids: BTreeMap<String, Cov> = d.grids.iter().map(|r| (r.id.clone(), cov(r))).collect();
    assert!(!grids.is_empty(), "the township has grids");
    assert_eq!(grids, o.grids, "coverage per grid");
    let seen: u32 = o.grids.values().map(|c| c.1).sum();
    assert!(
        seen > 0,
        "the period sees households, so the check is not vacuous"
    );
    let workers: BTreeMap<String, Cov> = d.workers.iter().map(|r| (r.id.clone(), cov(r))).collect();
    assert!(!workers.is_empty(), "the township has grid workers");
    assert_eq!(workers, o.workers, "coverage per worker, with seen by self");
    let total: u32 = o.grids.values().map(|c| c.0).sum();
    assert_eq!(
        d.total.occupied, total,
        "the area's denominator is the grids' sum"
    );

    let hist: Vec<u32> = d.seen_histogram.iter().map(|b| b.count).collect();
    assert_eq!(
        hist, o.histogram,
        "days since last seen in person, bucketed"
    );

    let m = |v: &[gridwalk_server::console::dashboard::dto::CodeCount]| -> BTreeMap<String, u32> {
        v.iter().map(|c| (c.code.clone(), c.count)).collect()
    };
    assert!(
        d.incidents.reported > 0,
        "incidents were reported in the period"
    );
    assert_eq!(m(&d.incidents.by_state), o.by_state, "incidents by state");
    assert_eq!(
        m(&d.incidents.by_category),
        o.by_category,
        "incidents by category"
    );
    assert_eq!(
        m(&d.incidents.by_platform),
        o.by_platform,
        "incidents by platform"
    );
    let sat = &d.incidents.satisfaction;
    assert_eq!(
        [sat.satisfied, sat.basically_satisfied, sat.unsatisfied],
        o.satisfaction,
        "satisfaction counts"
    );
    println!(
        "oracle agrees: {} grids, {} workers, {} incidents, satisfaction {:?}",
        grids.len(),
        workers.len(),
        d.incidents.reported,
        o.satisfaction
    );
}

#[test]
fn a_supervisor_cannot_ask_for_another_township() {
    let fx = County::load();
    let a = fx.user(Role::TownshipSupervisor, 0);
    let other = fx
        .ds
        .users
        .iter()
        .find(|u| u.role == Role::TownshipSupervisor && Some(&u.area_id) != a.area_id.as_ref())
        .expect("the demo county has two townships");
    let q = DashboardQuery {
        area_id: Some(other.area_id.clone()),
        from: FROM.into(),
        to: TO.into(),
    };
    let err = for_user(&fx.state, &a, &q).unwrap_err();
    assert!(matches!(err, AppError::OutOfScope), "got {err:?}");
    assert_eq!(
        err.body().code,
        "out_of_scope",
        "the stable code the UI branches on"
    );
}

/// Resident memory of this process, MB (Linux; 0 elsewhere).
fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find_map(|l| l.strip_prefix("VmRSS:"));
    kb.and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Times the dashboard and each export on the datagen `standard` preset (3,000
/// households, one township), cold (a fresh process state, so nothing cached) and warm
/// (the same state again). Run by hand, in release:
/// `cargo test --release -p gridwalk-server --test server standard_set -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement: run by hand in release"]
fn dashboard_and_exports_are_timed_on_the_standard_set() {
    use gridwalk_server::console::export::{self, ExportKind as K, ExportPer as P, ExportRequest};
    use std::time::Instant;

    let dir = tempfile::tempdir().unwrap();
    let storage = std::sync::Arc::new(
        gridwalk_server::storage::sqlite::SqliteStorage::open(dir.path().join("s.db")).unwrap(),
    );
    let now = gridwalk_testkit::T0;
    let cfg = gridwalk_datagen::Config::preset(gridwalk_datagen::Preset::Standard);
    let (ds, _) = gridwalk_server::demo::load_config(storage.as_ref(), &cfg, now).unwrap();
    let clock: gridwalk_server::state::Clock = std::sync::Arc::new(move || now);
    let fresh = || AppState::new(storage.clone(), test_limits(), clock.clone()).unwrap();
    let sup = ds
        .users
        .iter()
        .find(|u| u.role == Role::TownshipSupervisor)
        .unwrap();
    let sup = storage.user(&sup.id).unwrap().unwrap();
    let q = DashboardQuery {
        area_id: None,
        from: FROM.into(),
        to: TO.into(),
    };
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let timed = |state: &AppState| {
        let t = Instant::now();
        let d = for_user(state, &sup, &q).unwrap();
        (t.elapsed().as_secs_f64(), d)
    };
    // Four fresh states, each kept with its cache filled by one cold dashboard: the
    // growth of resident memory from the first to the last is three caches' worth.
    let mut cold = Vec::new();
    let mut kept = Vec::new();
    let mut rss = vec![rss_mb()];
    for _ in 0..4 {
        let state = fresh();
        let (s, first) = timed(&state);
        cold.push(s);
        rss.push(rss_mb());
        kept.push((state, first));
    }
    let (state, d) = kept.pop().unwrap();
    let mut warm = Vec::new();
    for _ in 0..5 {
        let (s, again) = timed(&state);
        assert_eq!(again, d, "a warm dashboard equals the cold one");
        warm.push(s);
    }
    let mut out = serde_json::json!({
        "households": ds.households.len(),
        "visits": ds.visits.len(),
        "incidents": ds.incidents.len(),
        "period": format!("{FROM}..={TO}"),
        "dashboard_cold_seconds_median_of_4": median(cold),
        "dashboard_warm_seconds_median_of_5": median(warm),
        "dashboard_occupied": d.total.occupied,
        "cached_documents": state.dashboard.docs(),
        "rss_mb_after_each_cold_dashboard": rss,
        "rss_mb_per_cached_township": ((rss[4] - rss[1]) / 3.0).round(),
    });
    for (name, kind, per) in [
        ("assessment_grid", K::Assessment, P::Grid),
        ("assessment_worker", K::Assessment, P::Worker),
        ("incidents", K::Incidents, P::Grid),
        ("visits", K::Visits, P::Grid),
    ] {
        let r = ExportRequest {
            kind,
            area_id: None,
            from: FROM.into(),
            to: TO.into(),
            per,
        };
        for (when, st) in [("cold", fresh()), ("warm", state.clone())] {
            let t = Instant::now();
            let c = export::check(&st, &sup, r.clone()).unwrap();
            let bytes = export::run(&st, &sup, &c, &|_| {}).unwrap();
            out[format!("export_{name}_{when}_seconds")] = t.elapsed().as_secs_f64().into();
            out[format!("export_{name}_bytes")] = bytes.len().into();
        }
    }
    println!("{out}");
}
