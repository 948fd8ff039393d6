#!/usr/bin/env bash
# Runs a command with GW_TEST_PG_URL pointing at a PostgreSQL cluster. When the variable is
# already set, that cluster is used and left alone; otherwise a throwaway cluster is started
# with scripts/pg-test.sh and stopped and removed when the command ends, pass or fail.
#   with-pg.sh cargo test --locked --workspace
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GW_TEST_PG_URL:-}" ]; then
  trap 'bash scripts/pg-test.sh stop' EXIT
  line=$(bash scripts/pg-test.sh start | tail -n1)
  eval "$line"
fi
export GW_TEST_PG_URL
"$@"
