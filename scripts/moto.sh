#!/usr/bin/env bash
# Starts a local moto server (a real AWS API on loopback) for surveyor-live's tests.
#
#   source scripts/moto.sh        # installs moto once, starts it, exports AWS_* for this shell
#   ...run tests...
#   moto_stop                     # or just exit: an EXIT trap stops it
#
# Everything stays on 127.0.0.1: fake credentials, no instance-metadata probing.
# SURVEYOR_MOTO_VENV overrides where the virtualenv lives (default: ~/.cache/surveyor-moto-venv).

MOTO_VENV="${SURVEYOR_MOTO_VENV:-$HOME/.cache/surveyor-moto-venv}"
# 5.1.22: 5.2.x answers some S3 reads with XML roots the Rust SDK rejects.
MOTO_VERSION="${SURVEYOR_MOTO_VERSION:-5.1.22}"
MOTO_PIN="moto[server]==$MOTO_VERSION"

moto_install() {
  if [ ! -x "$MOTO_VENV/bin/moto_server" ] || ! "$MOTO_VENV/bin/python" -c "import moto, boto3, yaml, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    echo "moto.sh: installing $MOTO_PIN into $MOTO_VENV" >&2
    python3 -m venv "$MOTO_VENV" || return 1
    "$MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check "$MOTO_PIN" boto3 pyyaml || return 1
  fi
}

moto_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

moto_stop() {
  if [ -n "${MOTO_PID:-}" ]; then
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
    unset MOTO_PID
  fi
}

moto_start() {
  moto_install || { echo "moto.sh: could not install moto" >&2; return 1; }
  local port
  port="$(moto_free_port)"
  MOTO_LOG="${MOTO_LOG:-${TMPDIR:-/tmp}/surveyor-moto-$port.log}"
  "$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$MOTO_LOG" 2>&1 &
  MOTO_PID=$!
  trap moto_stop EXIT
  local i
  for i in $(seq 1 400); do
    if "$MOTO_VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/data.json', timeout=1)" 2>/dev/null; then
      break
    fi
    if ! kill -0 "$MOTO_PID" 2>/dev/null; then
      echo "moto.sh: moto_server exited; see $MOTO_LOG" >&2
      return 1
    fi
    sleep 0.2
  done
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
  export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
  export AWS_EC2_METADATA_DISABLED=true
  # The tests' boto3 account scripts run with this interpreter.
  export SURVEYOR_MOTO_PYTHON="$MOTO_VENV/bin/python"
  unset AWS_PROFILE
  echo "moto.sh: moto on $AWS_ENDPOINT_URL (pid $MOTO_PID)" >&2
}

# Executed (not sourced): start moto, run the given command, stop.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  moto_start
  if [ "$#" -gt 0 ]; then "$@"; fi
else
  moto_start
fi
