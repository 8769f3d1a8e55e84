#!/usr/bin/env bash
# Run wijknet on the demo neighbourhood: environment, local Neo4j 5.26, demo data, app on http://127.0.0.1:8501.
# A second run reuses everything (nothing is regenerated needlessly).
set -euo pipefail
cd "$(dirname "$0")"
# '' = no extras: sourced without an argument, the bootstrap would see run.sh's own ("--port 8600").
source scripts/bootstrap.sh ''
source scripts/system.sh
# Without them the app runs all the same; the coach's page then offers the brief as HTML only and says why.
need_debian "The PDF brief (WeasyPrint)" "$PDF_CHECK" "${PDF_PACKAGES[@]}" || true
exec "$VENV/bin/wijknet" serve "$@"
