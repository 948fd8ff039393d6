#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the server's PostgreSQL tests.
#   pg-test.sh start   – install Debian's postgresql if missing, create a test-owned data
#                        directory, start a server on a free loopback port and wait until
#                        it accepts connections; the last line printed is
#                        `GW_TEST_PG_URL=postgres://postgres@127.0.0.1:PORT/postgres`
#   pg-test.sh stop    – stop exactly the server `start` started and remove its directory
#   pg-test.sh url     – print that line again for a running cluster (fails if none)
# When GW_TEST_PG_URL is already set, `start` only checks that it answers and prints it, and
# `stop` leaves it alone. The cluster lives in $GW_PG_TEST_DIR (default
# ${TMPDIR:-/tmp}/gridwalk-pg-test), owned by the `postgres` user, with trust
# authentication on 127.0.0.1 only and durability switched off: it is for tests, never data.
# Both commands are idempotent. Runs as root, or as a user who may sudo.
# Other scripts use it as: eval "$(bash scripts/pg-test.sh start | tail -n1)"; export GW_TEST_PG_URL
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${GW_PG_TEST_DIR:-${TMPDIR:-/tmp}/gridwalk-pg-test}
data=$dir/data

say() { echo "pg-test: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -n -u postgres -- "$@"
  fi
}

# The newest installed server's bin directory (Debian keeps one per major version).
pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  if [ -z "$d" ] || [ ! -x "$d/postgres" ]; then
    say "no PostgreSQL server under /usr/lib/postgresql/*/bin"
    return 1
  fi
  echo "$d"
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

url_of() { echo "GW_TEST_PG_URL=postgres://postgres@127.0.0.1:$1/postgres"; }

running() {
  [ -f "$dir/port" ] && [ -f "$data/postmaster.pid" ] &&
    as_pg "$(pg_bin)/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
  if [ -n "${GW_TEST_PG_URL:-}" ]; then
    command -v pg_isready >/dev/null || bash scripts/apt-ensure.sh postgresql
    pg_isready -q -d "$GW_TEST_PG_URL" || { say "GW_TEST_PG_URL does not answer"; exit 1; }
    echo "GW_TEST_PG_URL=$GW_TEST_PG_URL"
    return
  fi
  bash scripts/apt-ensure.sh postgresql
  local bin
  bin=$(pg_bin)
  if running; then
    say "already running in $dir"
    url_of "$(cat "$dir/port")"
    return
  fi
  # A directory left by a killed run: start afresh.
  if [ -d "$dir" ]; then
    [ -f "$data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$data" stop -m immediate >/dev/null 2>&1 || true
    as_root rm -rf "$dir"
  fi
  as_root install -d -m 0700 -o postgres -g postgres "$dir"
  as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 ||
    { cat "$dir.initdb.log" >&2; rm -f "$dir.initdb.log"; exit 1; }
  rm -f "$dir.initdb.log"
  local port started=""
  for _ in $(seq 20); do
    port=$((20000 + RANDOM % 40000))
    port_free "$port" || continue
    if as_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null; then
      started=1
      break
    fi
  done
  if [ -z "$started" ]; then
    say "could not start PostgreSQL; its log:"
    as_pg cat "$dir/server.log" >&2 || true
    exit 1
  fi
  for _ in $(seq 100); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.1
  done
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" || { say "PostgreSQL is not ready"; exit 1; }
  echo "$port" | as_pg tee "$dir/port" >/dev/null
  say "$("$bin/postgres" --version) running in $dir on port $port"
  url_of "$port"
}

stop() {
  if [ ! -d "$dir" ]; then
    say "nothing to stop"
    return
  fi
  if [ -f "$data/postmaster.pid" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$data" -w stop -m fast >/dev/null 2>&1 || true
  fi
  as_root rm -rf "$dir"
  say "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) running && url_of "$(cat "$dir/port")" || { say "not running"; exit 1; } ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
