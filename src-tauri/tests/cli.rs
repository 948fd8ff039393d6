//! The built binary refuses bad launch arguments before it opens a window (so this runs
//! without a display), with the usage and exit code 2.

use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gridwalk-app"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the app binary runs")
}

#[test]
fn a_malformed_sync_interval_is_refused_with_the_usage_before_any_window_opens() {
    let out = run(&["--sync-interval", "soon"]);
    assert_eq!(out.status.code(), Some(2), "bad arguments exit with 2");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--sync-interval takes whole seconds"), "{err}");
    assert!(err.contains("usage: gridwalk-app"), "{err}");
}

#[test]
fn a_flag_without_its_value_is_refused() {
    let out = run(&["--profile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--profile needs a value"));
}
