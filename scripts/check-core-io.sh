#!/usr/bin/env bash
# gridwalk-core must stay free of I/O: none of these may appear in its dependency tree.
set -euo pipefail
tree=$(cargo tree --locked -p gridwalk-core -e normal --prefix none)
bad=$(echo "$tree" | grep -E '^(tauri|axum|rusqlite|reqwest|tokio|hyper|sqlx)( |$)' || true)
if [ -n "$bad" ]; then
  echo "gridwalk-core depends on I/O crates:" >&2
  echo "$bad" >&2
  exit 1
fi
echo "gridwalk-core: no I/O crates in its dependency tree"
