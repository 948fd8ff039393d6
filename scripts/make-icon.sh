#!/usr/bin/env bash
# Draws the app icon (a green rounded square with "网") and derives every platform size
# with the Tauri CLI from npm. Run by hand when the icon changes; the results are checked
# in under src-tauri/icons/.
set -euo pipefail
cd "$(dirname "$0")/.."
font=$(fc-list :lang=zh:style=Bold file | grep -m1 -i 'NotoSansCJK\|NotoSerifCJK' | cut -d: -f1)
[ -n "$font" ] || { echo "no Noto CJK font: apt-get install fonts-noto-cjk" >&2; exit 1; }
src=$(mktemp --suffix=.png)
trap 'rm -f "$src"' EXIT
convert -size 1024x1024 xc:none \
  -fill '#1f8f4e' -draw 'roundrectangle 64,64 960,960 200,200' \
  -font "$font" -pointsize 620 -fill white -gravity center -annotate +0+30 '网' \
  "PNG32:$src"
npx --yes @tauri-apps/cli@2.12 icon "$src" -o src-tauri/icons
# Only the desktop and Android/iOS sets the app uses; drop the Windows Store tiles.
rm -f src-tauri/icons/Square*Logo.png src-tauri/icons/StoreLogo.png
