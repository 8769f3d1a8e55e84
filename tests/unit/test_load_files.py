"""Load-file lines (ingest.loader.encode_line/decode_line): a record survives the trip exactly, or is refused
and goes as parameters; stale load files of dead processes are swept, live ones kept."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from ingest.loader import decode_line, encode_line, shape, sweep_load_files
from ingest.resolve import record_digest


def involvement(**over: Any) -> dict[str, Any]:
    rec = {"id": "VIS2-1", "professional_id": "PRO-1", "organisation_id": "ORG-SMD", "life_domain": "WONEN",
           "role": "casemanager", "since": date(2008, 3, 1), "until": None, "function": None,
           "person_ids": ["P-ab12"], "household_id": None, "source": "VIS2"}
    rec.update(over)
    return shape("involvement", rec)


@pytest.mark.parametrize("over", [
    {},
    {"role": 'zegt "ja", en nee'},                       # quotes and the delimiter
    {"function": "twee\nregels\r\nen meer"},             # line breaks inside a field
    {"function": ""},                                    # the empty string is not absent
    {"function": "  spaties  ", "role": "\tdoor"},       # surrounding white space kept
    {"function": "=1+2", "role": "@SUM(A1)"},            # formula-like text is plain text here
    {"function": "Zoë, café — 𝄞"},                      # beyond Latin-1
    {"person_ids": []}, {"person_ids": None}, {"person_ids": ["P-1", "P-2", "P-3"]},
    {"until": date(2012, 12, 31), "household_id": "HH-9"},
    {"since": date(999, 1, 1)},
])
def test_a_record_comes_back_exactly(over: dict[str, Any]) -> None:
    rec = involvement(**over)
    line = encode_line("involvement", rec)
    assert line is not None
    back = decode_line("involvement", line)
    assert back == rec
    assert list(back) == list(rec)                # field order too
    assert record_digest(back) == record_digest(rec)  # so a re-resolved record keeps its digest


@pytest.mark.parametrize("over", [
    {"role": "C:\\pad"},                 # LOAD CSV's legacy quote escaping would read \" as an escape
    {"person_ids": ["P-1|P-2"]},         # the list separator inside an id
    {"person_ids": [""]},                # an empty id would vanish
    {"person_ids": ["P-1", "P-1"]},      # a repeated id: the file statement makes one edge per element
    {"person_ids": ("P-1",)},            # not a list
    {"since": datetime(2008, 3, 1, 12, 0)},  # a timestamp is not a date
    {"role": 3},                         # not text
])
def test_a_record_that_cannot_travel_exactly_is_refused(over: dict[str, Any]) -> None:
    assert encode_line("involvement", involvement(**over)) is None


def person(**over: Any) -> dict[str, Any]:
    rec = {"id": "P-ab12", "birth_year": 1971, "gender": "V", "display_name": None, "has_bsn": True, "source": "BRP"}
    rec.update(over)
    return shape("person", rec)


@pytest.mark.parametrize("over", [{}, {"birth_year": None, "gender": None}, {"has_bsn": False},
                                  {"display_name": 'Jansen, "Jan"'}, {"birth_year": 0}])
def test_a_person_comes_back_exactly(over: dict[str, Any]) -> None:
    rec = person(**over)
    line = encode_line("person", rec)
    assert line is not None
    assert decode_line("person", line) == rec and list(decode_line("person", line)) == list(rec)


@pytest.mark.parametrize("over", [{"birth_year": True}, {"birth_year": 1971.0}, {"has_bsn": 1}])
def test_a_person_of_other_types_is_refused(over: dict[str, Any]) -> None:
    assert encode_line("person", person(**over)) is None


def test_only_dead_processes_lose_their_load_files(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    dead = int(done.stdout)
    stale = tmp_path / f"wijknet-load-{dead}-00ff.csv"
    mine = tmp_path / f"wijknet-load-{os.getpid()}-abcd.csv"
    other = tmp_path / "wijknet-load-notes.csv"   # not one of ours by its name
    for f in (stale, mine, other):
        f.write_text("x\n")
    assert sweep_load_files(tmp_path) == 1
    assert not stale.exists() and mine.exists() and other.exists()


def test_a_refused_caseload_row_is_named_in_the_report() -> None:
    import doctest

    import ingest.loader

    assert doctest.testmod(ingest.loader).attempted >= 1
    assert doctest.testmod(ingest.loader).failed == 0
