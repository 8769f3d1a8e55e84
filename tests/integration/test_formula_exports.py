"""An organisation named like a spreadsheet formula, end to end: the ingest flags it (file, row, column, value)
and still loads the text as it is; the CLI report's CSV, the pages' CSV and Excel downloads and the ingest's own
report and rejects files hold no live formula, and show the same text (behind one ``'`` in CSV)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from graph.db import Database
from ingest.loader import load_records
from ingest.mapping import load_mapping
from ingest.pipeline import IngestContext, ingest_file
from queries import aggregates
from queries.access import Actor, Role
from queries.analytics.exports import to_csv_bytes, to_excel_bytes
from queries.audit import AuditLog
from tests.household_records import records
from tests.integration.ingest_helpers import load_reference
from tests.writers import STEWARD, session_audit

ROOT = Path(__file__).resolve().parents[2]
HYPERLINK = '=HYPERLINK("http://evil.example/x","klik")'
AT_HOME = "@Home thuiszorg"
LEAD = Actor("projectleider", Role.PROJECT_LEAD, "Gemeente Enschede")
DANGER = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_reference(db)
    load_records(db, records())  # two households with involvements, so the collaboration view has ties
    return db


def _csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _live(cells: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run: a formula start that is not just a number."""
    def number(c: str) -> bool:
        try:
            float(c)
        except ValueError:
            return False
        return True
    return [c for row in cells for c in row if c.startswith(DANGER) and not number(c)]


def test_formula_organisation_is_flagged_loaded_and_inert_in_every_export(
        loaded: Database, tmp_path: Path) -> None:
    f = tmp_path / "organisaties.csv"
    rows = [["code", "naam", "sector", "groep", "mandaat_verleend"], ["ORG-KLIK", HYPERLINK, "zorg", "", "nee"],
            ["ORG-HOME", AT_HOME, "zorg", "", "nee"], ["ORG-GEWOON", "Gewoon Zorg", "zorg", "", "nee"]]
    with open(f, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    reports = tmp_path / "reports"
    ctx = IngestContext.from_settings(loaded, today=date(2009, 1, 15))
    r = ingest_file(ctx, session_audit(), STEWARD, load_mapping(ROOT / "mappings" / "organisaties.yaml"), f, report_dir=reports)

    # Flagged (file, row, column, value) but loaded: a name is not rejected for how it starts.
    assert (r.status, r.rows_loaded, r.rows_rejected) == ("loaded", 3, 0)
    assert [(p.file, p.row, p.column, p.value, p.code) for p in r.problems] == [
        ("organisaties.csv", 2, "naam", HYPERLINK, "formula_like"),
        ("organisaties.csv", 3, "naam", AT_HOME, "formula_like")]
    assert f"row 2 (key ORG-KLIK), column 'naam', value {HYPERLINK!r}: looks like a spreadsheet formula" in r.to_text()
    names = {row["id"]: row["name"] for row in loaded.execute(
        "t_orgs", "MATCH (o:Organisation) WHERE o.id STARTS WITH 'ORG-' RETURN o.id AS id, o.name AS name").rows}
    assert names["ORG-KLIK"] == HYPERLINK and names["ORG-HOME"] == AT_HOME  # the graph holds the text as it is

    # The ingest's own files: the report CSV and the rejects file.
    for written in (reports / "organisaties.csv.report.csv", Path(r.rejects_file)):
        cells = _csv_cells(written.read_text(encoding="utf-8"))
        assert _live(cells) == [], written
        assert ["organisaties.csv", "2", "ORG-KLIK", "naam", "'" + HYPERLINK] == cells[1][:5]

    # The CLI report as CSV (`wijknet report …`, its own process, as an admin runs it).
    from tests.writers import cli_account

    res = subprocess.run([sys.executable, "-c", "from app.cli import main; main()", "report", "collaboration",
                          "--as-of", "2009-01-15", "--format", "csv", "--table", "organisations",
                          "--as", cli_account(Role.ADMIN)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    cells = _csv_cells(res.stdout)
    assert _live(cells) == []
    by_id = {row[0]: row for row in cells[1:]}
    name_col = cells[0].index("name")
    assert by_id["ORG-KLIK"][name_col] == "'" + HYPERLINK and by_id["ORG-HOME"][name_col] == "'" + AT_HOME
    assert by_id["ORG-GEWOON"][name_col] == "Gewoon Zorg"

    # The pages' downloads (app.aggregate_widgets.export_buttons hands out exactly these bytes).
    v = aggregates.collaboration_view(loaded, AuditLog(tmp_path / "audit.sqlite"), LEAD,
                                      start=date(2008, 1, 1), end=date(2008, 12, 31))
    metrics = v.organisations[["name", "sector", "households", "degree", "strength", "betweenness"]]
    cells = _csv_cells(to_csv_bytes(metrics).decode())
    assert _live(cells) == [] and ["ORG-KLIK", "'" + HYPERLINK] == cells[[c[0] for c in cells].index("ORG-KLIK")][:2]
    by_name = v.organisations.set_index("name")  # the mandates and follow-up tables are indexed by name
    book = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"collaboration_metrics": metrics,
                                                             "by_name": by_name, "edges": v.edges})))
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if c.value in (HYPERLINK, AT_HOME):
                    found.setdefault(c.value, []).append((ws.title, c.data_type))
    assert found == {HYPERLINK: [("collaboration_metrics", "s"), ("by_name", "s")],
                     AT_HOME: [("collaboration_metrics", "s"), ("by_name", "s")]}
