#!/usr/bin/env bash
# `make run`: serves the demo county and opens the app pointed at it.
#   run-demo.sh OUT LISTEN
# Expects target/debug/{gridwalk-server,gridwalk-app} built and OUT/server.db loaded with the
# demo. The server runs in the background; the app gets a fresh profile in OUT/app-profile
# and `--server http://LISTEN`. With no DISPLAY the app runs under Xvfb and a screenshot is
# saved to OUT/app.png. Ctrl-c (or closing the app window) stops everything started here.
set -euo pipefail
bin=${CARGO_TARGET_DIR:-target}/debug
cd "$(dirname "$0")/.."
out=$1
listen=$2
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  echo "stopped"
}
trap cleanup EXIT
trap 'exit 0' INT
trap 'exit 143' TERM

"$bin/gridwalk-server" --db "$out/server.db" serve --listen "$listen" --console-dir ui/dist &
pids+=($!)
for _ in $(seq 100); do
  node -e 'const s=require("net").connect(+process.argv[2],process.argv[1]);s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1))' \
    "${listen%:*}" "${listen##*:}" 2>/dev/null && break
  sleep 0.1
done

echo "supervisor console: http://$listen/console/ (sign in as grid_head-001, township_supervisor-001, dispatcher-001 or handling_unit-001)"

rm -rf "$out/app-profile"
app_args=(--profile "$out/app-profile" --server "http://$listen")
if [ -n "${DISPLAY:-}" ]; then
  echo "opening the app (server http://$listen); sign in with a login above. Ctrl-c stops the app and the server."
  "$bin/gridwalk-app" "${app_args[@]}" &
  pids+=($!)
  wait -n
else
  n=99
  while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
  DISPLAY=":$n" "$bin/gridwalk-app" "${app_args[@]}" &
  pids+=($!)
  sleep 8
  if DISPLAY=":$n" import -window root -crop 390x844+0+0 +repage "$out/app.png" 2>/dev/null; then
    echo "no DISPLAY: the app runs under Xvfb on :$n; its first screen is saved to $out/app.png"
  else
    echo "no DISPLAY: the app runs under Xvfb on :$n (the screenshot failed)"
  fi
  echo "serving on http://$listen until ctrl-c"
  wait -n
fi
