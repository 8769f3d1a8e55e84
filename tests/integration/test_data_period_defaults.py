"""The project lead's and the policymaker's pages and ``wijknet report`` on historical data: the hand-built records
of ``test_aggregates`` end on 31-10-2008 (the last end of an involvement), years before today. Every picker opens
on the data's period, no page shows an error on first open, and a leap day is a day like any other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import app.accounts  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
from graph.db import Database
from ingest.loader import load_records
from tests.integration.test_aggregates import records

VIEWS = Path(__file__).resolve().parents[2] / "app" / "views"


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


def _report(*args: str) -> dict[str, object]:
    from app.cli import app

    out = CliRunner().invoke(app, ["report", *args])
    assert out.exit_code == 0, out.output
    parsed: dict[str, object] = json.loads(out.stdout)
    return parsed


@pytest.mark.parametrize("command", ["collaboration", "handovers"])
def test_a_report_up_to_a_leap_day_starts_a_year_earlier(loaded: Database, command: str) -> None:
    report = _report(command, "--as-of", "2012-02-29")
    assert (report["from"], report["to"]) == ("2011-02-28", "2012-02-29")
    report = _report(command, "--from", "2008-02-29", "--as-of", "2009-02-28")
    assert (report["from"], report["to"]) == ("2008-02-29", "2009-02-28")
