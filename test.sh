#!/usr/bin/env bash
# Run every test: lint, generated docs, unit, integration (real Neo4j 5.26) and browser tests (Debian chromium).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/bootstrap.sh dev

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's chromium for the browser tests…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium' and try again." >&2
    exit 1
  fi
fi

# The PDF brief is laid out by WeasyPrint, which needs the system's pango (chromium pulls it in on Debian).
if ! .venv/bin/python -c "import weasyprint" >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing pango for WeasyPrint (the PDF brief)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
  else
    echo "The PDF brief needs pango: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0' and try again." >&2
    exit 1
  fi
fi

# The OpenID Connect browser test runs a real provider (tests/oidc, npm package oidc-provider) with Node.js.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's nodejs and npm for the OpenID Connect test…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "The OpenID Connect test needs Node.js and npm: run 'sudo apt-get install nodejs npm' and try again." >&2
    exit 1
  fi
fi

echo "== ruff" >&2
.venv/bin/ruff check graph ingest queries app tests bench
echo "== mypy (strict, graph ingest queries)" >&2
.venv/bin/mypy
echo "== generated docs" >&2
.venv/bin/wijknet docs --check
echo "== pytest" >&2
# The tests run in two worker processes (pytest-xdist), each with its own session: its own Neo4j, state dir, app
# server and chromium (tests/conftest.py). A test file runs whole on one worker (--dist loadfile): the database is
# emptied per module and a module's tests build on each other. WIJKNET_TEST_WORKERS=0 runs everything in this
# process, one test after the other (slower: about 25 minutes on two cores against about 15). The files go out in the
# order tests/conftest.py gives (the longest first), not xdist's default (most tests first, which started the
# longest files last and left one worker idle at the end).
exec .venv/bin/python -m pytest -n "${WIJKNET_TEST_WORKERS:-2}" --dist loadfile --no-loadscope-reorder "$@"
