#!/usr/bin/env bash
# The test command: installs and starts what the tests need, then runs every test.
#
#   - a moto server on 127.0.0.1 (a real AWS API for the live collectors), from PyPI;
#   - jsonschema and the official SARIF 2.1.0 schema (npm), to validate findings.sarif;
#   - Mermaid's own parser (npm), to parse every diagram map.md holds;
#   - Debian's Chromium and playwright-core, for the HTML map in a real browser.
# With SURVEYOR_REQUIRE_TOOLS=1 a test whose tool is missing fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/surveyor-target}"
export SURVEYOR_REQUIRE_TOOLS=1

echo "== tools"
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check jsonschema
bash crates/surveyor-report/tests/sarif/install-schema.sh >/dev/null
bash crates/surveyor-report/tests/mermaid/check.sh >/dev/null
# shellcheck source=scripts/moto.sh
source scripts/moto.sh

echo "== cargo test"
cargo test --workspace --no-fail-fast

echo "== browser"
bash scripts/browser-test.sh
