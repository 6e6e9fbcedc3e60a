#!/usr/bin/env bash
# Parse every ```mermaid block of the given Markdown files (default: the map.md snapshot)
# with the real Mermaid parser under Node + jsdom. Installs mermaid and jsdom once into a
# scratch folder ($MERMAID_DIR, default /tmp/surveyor-mermaid) from the npm registry.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${MERMAID_DIR:-/tmp/surveyor-mermaid}"
if [ ! -d "$dir/node_modules/mermaid" ] || [ ! -d "$dir/node_modules/jsdom" ]; then
  mkdir -p "$dir"
  (cd "$dir" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund --silent mermaid@11 jsdom@26 >/dev/null)
fi
cp "$here/check.mjs" "$dir/check.mjs"
if [ "$#" -eq 0 ]; then
  set -- "$here/../snapshots/render__map_md.snap"
fi
files=()
for f in "$@"; do files+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"); done
cd "$dir" && node check.mjs "${files[@]}"
