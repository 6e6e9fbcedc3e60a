#!/usr/bin/env bash
# The test command: installs and starts what the tests need, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/surveyor-target}"
cargo test --workspace --no-fail-fast
