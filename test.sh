#!/usr/bin/env bash
# Run every test: lint, generated docs, unit, integration (real Neo4j 5.26) and browser tests (Debian chromium).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/bootstrap.sh dev

source scripts/system.sh
need_debian "The browser tests (Debian's chromium)" "command -v chromium" chromium
need_debian "The PDF brief (WeasyPrint)" "$PDF_CHECK" "${PDF_PACKAGES[@]}"
# The OpenID Connect browser test runs a real provider (tests/oidc, npm package oidc-provider) with Node.js.
need_debian "The OpenID Connect test (Node.js)" "command -v node && command -v npm" nodejs npm

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
# process, one test after the other (slower: about 25 minutes on two cores against about 16 to 21); three workers were
# no faster (17:11 against 15:45 to 17:58: with two, the two cores are about 90% busy). The files go out in the
# order tests/conftest.py gives (the longest first), not xdist's default (most tests first, which started the
# longest files last and left one worker idle at the end).
exec .venv/bin/python -m pytest -n "${WIJKNET_TEST_WORKERS:-2}" --dist loadfile --no-loadscope-reorder "$@"
