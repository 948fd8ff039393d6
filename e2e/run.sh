#!/usr/bin/env bash
# End-to-end test of the BUILT app (target/debug/gridwalk-app, default features: the bundled
# ui/dist) in a real WebKit window under Xvfb, driven by tauri-driver + WebKitWebDriver,
# against a real gridwalk-server on a loopback port with a real SQLite file.
#
#   bash e2e/run.sh            (make test runs it; build the app, the server and ui/dist first)
#
# Phases: field.test.mjs (offline work, sync, server check, second worker, conflict, bad
# input, screenshots), supervise.test.mjs (a grid head's supervisor views inside the app, on
# the same database) then perf.test.mjs (3,000 households: list render and search times).
# Artifacts: e2e/artifacts/*.png, perf.json, logs. Everything started here is stopped by PID
# (process group for tauri-driver, which owns WebKitWebDriver and the app) on any exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
APP=$TARGET_DIR/debug/gridwalk-app
SERVER=$TARGET_DIR/debug/gridwalk-server
ART=$ROOT/e2e/artifacts
FIELD_TIMEOUT=${GW_E2E_FIELD_TIMEOUT:-900}
PERF_TIMEOUT=${GW_E2E_PERF_TIMEOUT:-900}
SUPERVISE_TIMEOUT=${GW_E2E_SUPERVISE_TIMEOUT:-600}
PHASES=${GW_E2E_PHASES:-field supervise perf}

die() { echo "e2e: $*" >&2; exit 1; }
[ -x "$APP" ] || die "$APP is missing: cargo build --locked -p gridwalk-app (with ui/dist built first)"
[ -x "$SERVER" ] || die "$SERVER is missing: cargo build --locked -p gridwalk-server"
command -v tauri-driver >/dev/null || die "tauri-driver is missing: cargo install tauri-driver --version 2.1.0 --locked"
[ -x /usr/bin/WebKitWebDriver ] || die "/usr/bin/WebKitWebDriver is missing: apt-get install webkit2gtk-driver"
command -v Xvfb >/dev/null || die "Xvfb is missing: apt-get install xvfb"
command -v sqlite3 >/dev/null || die "sqlite3 is missing: apt-get install sqlite3"
[ -d e2e/node_modules/webdriverio ] || die "e2e/node_modules is missing: (cd e2e && npm ci)"

mkdir -p "$ART"
rm -f "$ART"/*.png "$ART"/*.log "$ART"/perf.json
WORK=$(mktemp -d /tmp/gridwalk-e2e.XXXXXX)
PIDS=()
PGROUPS=()

cleanup() {
  local rc=$?
  set +e
  if [ -f "$WORK/server.pid" ]; then kill "$(cat "$WORK/server.pid")" 2>/dev/null; fi
  for g in "${PGROUPS[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 0.5
  for g in "${PGROUPS[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  if [ -f "$WORK/server.pid" ]; then kill -KILL "$(cat "$WORK/server.pid")" 2>/dev/null; fi
  cp "$WORK"/*.log "$ART"/ 2>/dev/null
  if [ "${GW_E2E_KEEP:-}" = 1 ]; then echo "e2e: kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
wait_for() { # what, seconds, command…
  local what=$1 secs=$2; shift 2
  for _ in $(seq $((secs * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "$what did not come up within ${secs}s"
}

# --- the server databases -------------------------------------------------------------
t0=$(date +%s)
echo "e2e: loading the demo county into $WORK/field.db"
"$SERVER" --db "$WORK/field.db" demo > "$WORK/demo.log"
cat "$WORK/demo.log"
AREA=$(sqlite3 "$WORK/field.db" "select area_id from users where username = 'grid_worker-001'")
[ -n "$AREA" ] || die "the demo has no grid_worker-001"
# The demo has one grid worker per grid: add a second to the first worker's grid.
"$SERVER" --db "$WORK/field.db" user add --username grid_worker-e2e --name 王晓梅 \
  --role grid_worker --password gridwalk2026 --area "$AREA"
if [[ " $PHASES " == *" perf "* ]]; then
  echo "e2e: loading the standard set (3,000 households) into $WORK/perf.db in the background"
  "$SERVER" --db "$WORK/perf.db" demo --preset standard > "$WORK/perf-demo.log" 2>&1 &
  PERF_LOAD=$!
  PIDS+=("$PERF_LOAD")
fi

# --- Xvfb on a free display, tauri-driver on free ports --------------------------------
DISPLAY_NUM=99
while [ -e "/tmp/.X$DISPLAY_NUM-lock" ] || [ -e "/tmp/.X11-unix/X$DISPLAY_NUM" ]; do
  DISPLAY_NUM=$((DISPLAY_NUM + 1))
done
Xvfb ":$DISPLAY_NUM" -screen 0 1280x1024x24 -nolisten tcp > "$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
wait_for Xvfb 15 test -e "/tmp/.X11-unix/X$DISPLAY_NUM"
# tauri-driver must see DISPLAY: without it the app panics and the client waits forever.
export DISPLAY=":$DISPLAY_NUM"
# (WEBKIT_DISABLE_COMPOSITING_MODE=1 would make every WebDriver screenshot hang: leave it unset.)
export GDK_BACKEND=x11 NO_AT_BRIDGE=1
DRIVER_PORT=$(free_port)
NATIVE_PORT=$(free_port)
setsid tauri-driver --port "$DRIVER_PORT" --native-port "$NATIVE_PORT" > "$WORK/tauri-driver.log" 2>&1 &
DRIVER=$!
PGROUPS+=("$DRIVER")
wait_for tauri-driver 20 node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$DRIVER_PORT/status"

export GW_APP=$APP GW_SERVER_BIN=$SERVER GW_WORK=$WORK GW_ART=$ART GW_DRIVER_PORT=$DRIVER_PORT
export GW_SERVER_PORT=$(free_port)
echo "e2e: display $DISPLAY, tauri-driver :$DRIVER_PORT, server port $GW_SERVER_PORT (setup $(( $(date +%s) - t0 ))s)"

status=0
if [[ " $PHASES " == *" field "* ]]; then
  GW_DB=$WORK/field.db timeout --kill-after=10 "$FIELD_TIMEOUT" \
    node --test --test-reporter=spec --test-concurrency=1 e2e/field.test.mjs || status=$?
fi
if [[ " $PHASES " == *" supervise "* ]]; then
  GW_DB=$WORK/field.db timeout --kill-after=10 "$SUPERVISE_TIMEOUT" \
    node --test --test-reporter=spec --test-concurrency=1 e2e/supervise.test.mjs || status=$?
fi
if [[ " $PHASES " == *" perf "* ]]; then
  echo "e2e: waiting for the standard set to finish loading"
  wait "$PERF_LOAD" || die "loading the standard set failed: $(tail -5 "$WORK/perf-demo.log")"
  cat "$WORK/perf-demo.log"
  GW_DB=$WORK/perf.db timeout --kill-after=10 "$PERF_TIMEOUT" \
    node --test --test-reporter=spec --test-concurrency=1 e2e/perf.test.mjs || status=$?
  [ -f "$ART/perf.json" ] && cat "$ART/perf.json"
fi
echo "e2e: done in $(( $(date +%s) - t0 ))s, artifacts in $ART"
exit $status
