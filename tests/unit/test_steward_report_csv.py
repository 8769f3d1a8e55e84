"""The *Rapport (CSV)* the *Load data* page offers (outside review of the steward pages, finding 2): the steward
hands it to the source system's owner, who opens it in Dutch Excel. It was English and comma-separated (one
column in Excel); it now holds what the page shows: Dutch headings, the reasons in Dutch, ``;``-separated, UTF-8
with a BOM, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest

from app.i18n import say, t
from app.ui import problem_rows
from graph.said import said
from ingest.report import steward_csv
from ingest.validate import Problem, Report

HEADINGS = [t(f"col.{c}", lang="nl") for c in ("file", "row", "key", "column", "value", "reason", "code")]


def _report() -> Report:
    r = Report(file="brp-é.csv", mapping="brp_names", status="rejected")
    r.file_problems.append(said("said.file.empty", "{name} is empty.", name="brp-é.csv"))
    r.add(Problem("brp-é.csv", 3, "bsn", "*******82", said("said.ingest.duplicate_row", "duplicate of row {row}",
                                                            row=2), "duplicate_row", "B-2"))
    r.add(Problem("brp-é.csv", 4, "soort", "=HYPERLINK(\"http://x\",\"klik\")", said(
        "said.ingest.unknown_code_allowed", "unknown code (not in code list {codes!r}; allowed: {allowed})",
        codes="soorten", allowed="a; b"),
        "unknown_code", "Zoë"))
    return r


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_download_is_dutch_semicolon_separated_with_a_bom(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    data = steward_csv(_report(), HEADINGS, lambda s: say(s, lang="nl"))
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads é and ë only with the BOM
    assert data.splitlines()[0] == b"\xef\xbb\xbfBestand;Rij;Sleutel;Kolom;Waarde;Reden;Code"
    rows = _rows(data)
    assert rows == [
        ["Bestand", "Rij", "Sleutel", "Kolom", "Waarde", "Reden", "Code"],
        ["brp-é.csv", "", "", "", "", "brp-é.csv is leeg.", "file"],
        ["brp-é.csv", "3", "B-2", "bsn", "*******82", "dubbel van rij 2", "duplicate_row"],
        ["brp-é.csv", "4", "Zoë", "soort", "'=HYPERLINK(\"http://x\",\"klik\")",
         "onbekende code (niet in codelijst 'soorten'; toegestaan: a; b)", "unknown_code"],
    ]
    # the reasons are the ones the page's table shows, word for word
    shown = [row[t("col.reason")] for row in problem_rows(_report().problems)]
    assert [r[5] for r in rows[2:]] == shown
