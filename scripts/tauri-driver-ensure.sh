#!/usr/bin/env bash
# Installs tauri-driver $1 (the WebDriver bridge of the end-to-end test) unless that very
# version is already on PATH.
set -euo pipefail
want=${1:-2.1.0}
export PATH="$HOME/.cargo/bin:$PATH"
have=""
if command -v tauri-driver >/dev/null; then
  # tauri-driver has no --version flag; cargo records what it installed.
  have=$(cargo install --list 2>/dev/null | sed -n 's/^tauri-driver v\([0-9.]*\):$/\1/p')
fi
if [ "$have" = "$want" ]; then
  echo "tauri-driver $want"
  exit 0
fi
echo "installing tauri-driver $want (was: ${have:-none})"
cargo install tauri-driver --version "$want" --locked
