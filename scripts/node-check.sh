#!/usr/bin/env bash
# Fails with a clear message unless Node.js >= $1 (default 20.19.0) and npm are on PATH.
# Node is not installed here on purpose: Debian 12's nodejs (18) is too old for Vite 8.
set -euo pipefail
min=${1:-20.19.0}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js $min or newer (with npm) is needed for the app's UI and the end-to-end test, and was not found on PATH." >&2
  echo "Install it from nodejs.org or with nvm; do not use Debian's nodejs package (version 18 is too old)." >&2
  exit 1
fi
have=$(node -p 'process.versions.node')
if ! node -e '
  const [a, b] = [process.argv[1], process.argv[2]].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) { if (a[i] !== b[i]) process.exit(a[i] > b[i] ? 0 : 1) }
' "$have" "$min"; then
  echo "Node.js $have is too old: the app's UI (Vite 8) and the end-to-end test need $min or newer." >&2
  echo "Install a newer Node.js from nodejs.org or with nvm; do not use Debian's nodejs package." >&2
  exit 1
fi
echo "node $have, npm $(npm --version)"
