#!/usr/bin/env bash
# Create/refresh the project's virtual environment in .venv (sourced by run.sh and test.sh).
#
#   source scripts/bootstrap.sh ''    the app's dependencies (run.sh)
#   source scripts/bootstrap.sh dev   and the tests' (test.sh)
#
# Always give the argument: a script sourced without one sees its caller's arguments.
# Re-running is fast: dependencies are reinstalled only when pyproject.toml changed.
set -euo pipefail

new_enough() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; }
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  # The first interpreter that really runs (a pyenv shim may exist for a version that is not installed).
  for candidate in python3 python3.11 python3.12 python3.13; do
    if command -v "$candidate" >/dev/null 2>&1 && new_enough "$candidate"; then PY=$candidate; break; fi
  done
fi
if [ -z "$PY" ] || ! new_enough "$PY"; then
  echo "wijknet needs Python 3.11 or newer: install it (e.g. apt-get install python3) and run again." >&2
  exit 1
fi
if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ] && [ -z "${NEO4J_URI:-}" ]; then
  echo "wijknet needs Java 17 or 21 for its local Neo4j: install it (apt-get install openjdk-17-jre-headless) or set NEO4J_URI." >&2
  exit 1
fi

VENV=${WIJKNET_VENV:-.venv}
extras=${1:-}
case "$extras" in
  ""|dev) ;;
  *) echo "scripts/bootstrap.sh: unknown extras '$extras' (expected '' or dev)" >&2; exit 2 ;;
esac
stamp="$VENV/.wijknet-installed${extras:+-$extras}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating the virtual environment in $VENV…" >&2
  "$PY" -m venv "$VENV"
fi
want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
installed() { [ -f "$1" ] && [ "$(cat "$1")" = "$want" ]; }
# An environment installed with the tests' extras holds the app's dependencies as well.
if ! installed "$stamp" && ! { [ -z "$extras" ] && installed "$VENV/.wijknet-installed-dev"; }; then
  echo "Installing wijknet and its dependencies into $VENV (first run takes a few minutes)…" >&2
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet -e ".${extras:+[$extras]}" >&2
  echo "$want" > "$stamp"
fi
# The project's own modules as bytecode: with PYTHONDONTWRITEBYTECODE set (as on some CI images) every process —
# each `wijknet` command, the app, the tests' workers and the servers they start — otherwise compiled them from
# source again (`import app.cli`: 0.95 s of CPU against 0.78 s). Only files changed since are compiled.
"$VENV/bin/python" -m compileall -q -j 0 graph ingest queries app bench >/dev/null
