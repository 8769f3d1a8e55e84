"""Exports never carry a live formula (CSV injection): every CSV and Excel file wijknet writes neutralises text
that a spreadsheet would run, keeps the text otherwise, and keeps numbers numbers; ingest flags such values."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from graph.spreadsheet import inert, inert_frame, looks_like_formula
from ingest.mapping import Mapping, load_mapping
from ingest.validate import Problem, Report, check_row, column_index
from queries.analytics.exports import to_csv_bytes, to_excel_bytes

HYPERLINK = '=HYPERLINK("http://evil.example/x","klik")'
NASTY = [HYPERLINK, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def _table() -> pd.DataFrame:
    """An aggregate table as the pages export it: organisation names in the index, a column and the cells."""
    t = pd.DataFrame({"name": NASTY, "households": pd.array([12, -3, 0, 7, pd.NA, 5], dtype="Int64"),
                      "share": [0.5, -0.25, 1.0, 0.0, 0.1, 0.2], "change": [1, -3, 0, 2, 0, -1]},
                     index=pd.Index(["=1+1", "ORG-B", "@x", "-ORG", "ORG-E", "ORG-F"], name="organisation"))
    return t.rename(columns={"share": "=share"})


@pytest.mark.parametrize("value", NASTY)
def test_inert_prefixes_every_formula_start(value: str) -> None:
    assert inert(value) == "'" + value


@pytest.mark.parametrize("value", ["Zoë", "Tactus", "", "x", "a=b", "1-2", -3, 4.5, None, date(2009, 1, 1),
                                   "-3", "-0.25", "+5", "-1e3"])
def test_inert_leaves_everything_else(value: object) -> None:
    assert inert(value) == value


def test_inert_frame_keeps_numbers_and_neutralises_labels() -> None:
    t = inert_frame(_table())
    assert list(t.index) == ["'=1+1", "ORG-B", "'@x", "'-ORG", "ORG-E", "ORG-F"]
    assert list(t.columns) == ["name", "households", "'=share", "change"]
    assert list(t["name"]) == ["'" + v for v in NASTY]
    assert t["households"].iloc[1] == -3 and t["'=share"].iloc[1] == -0.25


def test_csv_export_has_no_live_formula_and_keeps_the_text() -> None:
    rows = list(csv.reader(io.StringIO(to_csv_bytes(_table()).decode(), newline="")))
    assert rows[0] == ["organisation", "name", "households", "'=share", "change"]
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))]
    assert rows[1][:2] == ["'=1+1", "'" + HYPERLINK]
    assert [r[1][1:] for r in rows[1:]] == NASTY  # the visible text, after the one quote
    assert rows[2][2:] == ["-3", "-0.25", "-3"]  # real negative numbers stay numbers


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_excel_export_has_no_formula_cell_and_keeps_the_text() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"organisations": _table()})))
    ws = wb["organisations"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    by_text = {c.value: c for c in cells}
    assert by_text[HYPERLINK].data_type == "s"  # the same text, as a string cell
    # XML keeps no carriage return: the workbook holds "\n" where the value had "\r"
    assert {"=1+1", "=share", "@x", "-ORG", *(v.replace("\r", "\n") for v in NASTY)} <= set(by_text)
    numbers = [c.value for c in cells if c.data_type == "n"]
    assert -3 in numbers and -0.25 in numbers  # "change" and "=share"
    # "households" has a hidden cell: the cell is the text x, the others stay numbers (a spreadsheet adds them up)
    assert ws["C6"].value == "x" and ws["C3"].value == -3 and ws["C3"].data_type == "n"
    for sheet in wb.worksheets:  # the 'Read me' sheet too
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_ingest_report_csv_neutralises_values() -> None:
    r = Report(file="=evil.csv", mapping="organisaties")
    r.add(Problem("=evil.csv", 2, "naam", HYPERLINK, "looks like a spreadsheet formula", "formula_like"))
    rows = list(csv.reader(io.StringIO(r.to_csv())))
    assert rows[0][:5] == ["file", "row", "key", "column", "value"]
    assert rows[1][:5] == ["'=evil.csv", "2", "", "naam", "'" + HYPERLINK]


@pytest.mark.parametrize(("text", "flagged"), [
    (HYPERLINK, True), ("@SUM(1)", True), ("+cmd|' /C calc'!A0", True), ("-2+3", True), ("\t=1", True),
    ("\rx", True), ("=", True),
    ("+31 6 12345678", False), ("+31 (0)53-4801234", False), ("-", False), ("-3", False), ("-3,5", False),
    ("Tactus", False), ("a=b", False), ("", False)])
def test_looks_like_formula(text: str, flagged: bool) -> None:
    assert looks_like_formula(text) is flagged


def _orgs() -> Mapping:
    return load_mapping(Path(__file__).resolve().parents[2] / "mappings" / "organisaties.yaml")


def test_check_row_flags_a_formula_but_keeps_the_row() -> None:
    m = _orgs()
    header = ["code", "naam", "sector", "groep", "mandaat_verleend"]
    values, problems = check_row(m, column_index(header), "orgs.csv", 2, ["ORG-X", HYPERLINK, "zorg", "", "nee"],
                                 date(2009, 1, 15))
    assert values is not None and values["name"] == HYPERLINK  # stored as the text it is
    assert [(p.file, p.row, p.column, p.value, p.code) for p in problems] == [
        ("orgs.csv", 2, "naam", HYPERLINK, "formula_like")]
    values, problems = check_row(m, column_index(header), "orgs.csv", 3, ["ORG-Y", "Tactus", "zorg", "", "nee"],
                                 date(2009, 1, 15))
    assert values is not None and problems == []


def test_every_spreadsheet_writer_goes_through_the_one_rule() -> None:
    """A new CSV or Excel writer must use graph.spreadsheet (or be added here with its reason)."""
    import re

    root = Path(__file__).resolve().parents[2]
    writer = re.compile(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(|\.to_excel\(|ExcelWriter\(|openpyxl\.Workbook\(")
    allowed = {
        "queries/analytics/exports.py",  # inert_frame / inert_workbook
        "ingest/validate.py",  # Report.to_csv: spreadsheet_safe on every cell
        "ingest/exports.py",  # the synthetic *source* exports, formula-like input planted on purpose
        "app/views/ingest.py",  # Report.to_csv() as a download
        "ingest/report.py",  # Report.to_csv() as the rejects file
        "queries/notices.py",  # the signals outbox: inert() on every cell
        "ingest/profile.py",  # the profile's areas/organisations as ingest input, read back at once
    }
    found = {str(p.relative_to(root)) for pkg in ("app", "graph", "ingest", "queries")
             for p in (root / pkg).rglob("*.py") if writer.search(p.read_text(encoding="utf-8"))}
    assert found <= allowed, found - allowed
