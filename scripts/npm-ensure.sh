#!/usr/bin/env bash
# `npm ci` in the given directory unless its node_modules was installed from the same
# package-lock.json by the same Node version (a stamp file records both).
set -euo pipefail
dir=$1
cd "$(dirname "$0")/../$dir"
[ -f package-lock.json ] || { echo "$dir/package-lock.json is missing" >&2; exit 1; }
want="$(sha256sum package-lock.json | cut -d' ' -f1) node-$(node -p 'process.versions.node')"
stamp=node_modules/.gridwalk-npm-ci
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "$dir/node_modules is up to date with its lockfile"
  exit 0
fi
echo "npm ci in $dir"
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
