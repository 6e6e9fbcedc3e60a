#!/usr/bin/env bash
# Installs the official SARIF 2.1.0 JSON schema for validate.py: it ships in the npm package
# @microsoft/jest-sarif, installed once into a scratch folder ($SARIF_DIR, default
# /tmp/surveyor-sarif). Prints the schema's path.
set -euo pipefail
dir="${SARIF_DIR:-/tmp/surveyor-sarif}"
schema="$dir/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"
if [ ! -f "$schema" ]; then
  mkdir -p "$dir"
  (cd "$dir" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund --silent @microsoft/jest-sarif >/dev/null)
fi
echo "$schema"
