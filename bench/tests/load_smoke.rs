//! The load test's smoke mode, run as a test: 40 simulated devices against a real
//! `gridwalk-server` on SQLite and then two real nodes on one fresh PostgreSQL database
//! (from `GW_TEST_PG_URL`). It needs the server binary built beside the load binary
//! (`cargo build -p gridwalk-server`; a workspace build does it) and fails, never skips,
//! when PostgreSQL is not there.

use std::process::Command;

#[test]
fn a_quick_day_on_sqlite_and_on_two_postgres_nodes_has_no_error_and_loses_no_change() {
    let pg = std::env::var("GW_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "this test needs PostgreSQL: set GW_TEST_PG_URL to an admin URL, e.g. \
                 `eval \"$(bash scripts/pg-test.sh start | tail -n1)\"; export GW_TEST_PG_URL`"
            )
        });
    let out = Command::new(env!("CARGO_BIN_EXE_gridwalk-load"))
        .args(["--quick", "--time-limit", "300"])
        .env("GW_TEST_PG_URL", pg)
        .output()
        .expect("the load binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the smoke run exits 0 only with no error and no lost change:\n{stdout}\n{stderr}"
    );
    let last = stdout.lines().last().unwrap_or_default();
    let rows: serde_json::Value =
        serde_json::from_str(last).expect("the last line is the JSON of every setup");
    let rows = rows.as_array().expect("one row per setup");
    let setups: Vec<&str> = rows.iter().filter_map(|r| r["setup"].as_str()).collect();
    assert_eq!(
        setups,
        ["sqlite", "pg2"],
        "quick mode runs SQLite and two PostgreSQL nodes"
    );
    for r in rows {
        let name = &r["setup"];
        assert_eq!(
            r["errors"], 0,
            "{name}: no sync failed and no document was refused"
        );
        assert_eq!(
            r["lost"], 0,
            "{name}: every pushed change is stored exactly once"
        );
        assert_eq!(
            r["visits"][0], r["visits"][1],
            "{name}: every pushed visit was read back through the read API"
        );
        assert_eq!(r["devices"], 40, "{name}: the smoke run has 40 devices");
    }
    assert_eq!(
        rows[1]["nodes"].as_array().map(Vec::len),
        Some(2),
        "pg2 reports each of its two nodes"
    );
}
