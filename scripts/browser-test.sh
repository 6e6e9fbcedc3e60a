#!/usr/bin/env bash
# The HTML map in a real browser: installs Debian's Chromium and playwright-core (into
# tests/browser), builds the example map and a 5,000-resource map, opens both from file://
# and checks what they draw, how they answer clicks, search and filters, and how fast they
# become interactive. Screenshots go to docs/map-overview.png and docs/map-details.png.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/surveyor-target}"

if [ ! -x /usr/bin/chromium ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm install --no-save --no-package-lock --no-audit --no-fund)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== building the example map"
cargo run --release -q -p surveyor --no-default-features -- map ${SURVEYOR_EXAMPLE:-examples/orders} --out "$tmp/example" --quiet || {
  code=$?
  # Exit 1 only says a policy failed; the map is written all the same.
  [ "$code" -eq 1 ] || exit "$code"
}
echo "== building a 5,000-resource map"
SURVEYOR_HTML_LARGE_OUT="$tmp/large" cargo test --release -q -p surveyor-report --test html_large -- --nocapture

mkdir -p docs
echo "== browser test"
node tests/browser/map.test.mjs --example "$tmp/example" --large "$tmp/large" --shots "$root/docs"
