#!/usr/bin/env bash
# End-to-end test of the supervisor console in Debian's Chromium (playwright-core with
# executablePath: no browser download) against a real gridwalk-server on a loopback port
# over a real SQLite file loaded with the demo county, with the device side of the loop
# driven by the device CLI (gridwalk-field-cli).
#
#   bash e2e/console/run.sh      (build first: cargo build, npm --prefix ui run build)
#
# It builds nothing. Binaries come from ${CARGO_TARGET_DIR:-target}/debug; the console from
# ui/dist. Screenshots go to e2e/artifacts/console/. Everything started here is stopped by
# PID on any exit; the whole run is bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
SERVER=$TARGET_DIR/debug/gridwalk-server
CLI=$TARGET_DIR/debug/gridwalk-field-cli
ART=$ROOT/e2e/artifacts/console
TEST_TIMEOUT=${GW_E2E_CONSOLE_TIMEOUT:-600}

die() { echo "e2e-console: $*" >&2; exit 1; }
[ -x "$SERVER" ] || die "$SERVER is missing: cargo build --locked -p gridwalk-server"
[ -x "$CLI" ] || die "$CLI is missing: cargo build --locked -p gridwalk-field --bin gridwalk-field-cli"
[ -f ui/dist/console.html ] || die "ui/dist/console.html is missing: npm --prefix ui run build"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing: apt-get install chromium fonts-noto-cjk"
command -v sqlite3 >/dev/null || die "sqlite3 is missing: apt-get install sqlite3"
[ -d e2e/console/node_modules/playwright-core ] || die "e2e/console/node_modules is missing: (cd e2e/console && npm ci)"

mkdir -p "$ART"
rm -f "$ART"/*.png "$ART"/*.log
WORK=$(mktemp -d /tmp/gridwalk-console-e2e.XXXXXX)
SERVER_PID=

cleanup() {
  local rc=$?
  set +e
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null
  fi
  cp "$WORK"/*.log "$ART"/ 2>/dev/null
  if [ "${GW_E2E_KEEP:-}" = 1 ]; then echo "e2e-console: kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

healthy() { # url
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
}
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

echo "e2e-console: loading the demo county into $WORK/server.db"
"$SERVER" --db "$WORK/server.db" demo > "$WORK/demo.log"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
"$SERVER" --db "$WORK/server.db" serve --listen "127.0.0.1:$PORT" --console-dir "$ROOT/ui/dist" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 300); do
  healthy "$BASE/api/v1/health" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "the server exited"; }
  sleep 0.1
done
healthy "$BASE/api/v1/health" || die "the server did not answer /api/v1/health within 30 s"
echo "e2e-console: server on $BASE"

GW_BASE=$BASE GW_DB=$WORK/server.db GW_CLI=$CLI GW_WORK=$WORK GW_ART=$ART \
  timeout --kill-after=10 "$TEST_TIMEOUT" node --test --test-concurrency=1 e2e/console/console.test.mjs
