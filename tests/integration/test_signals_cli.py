"""``wijknet signals run|list|expire|export`` against the session database, in process (typer's CliRunner), on the
hand-checkable seed-002 household of ``test_signals.py`` (tests/household_records.py): the commands do what the
functions do, as the named account, and a missing or unknown account is one sentence, no traceback."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from graph.db import Database
from ingest.loader import load_records
from queries.access import Role
from tests.household_records import AFTER, SRC, records
from tests.integration.test_signals import ENDED, EXPECTED, EXPORT, NEW, _notices

# a professional whose name a spreadsheet would run: the outbox cells must stay inert
FORMULA = [
    ("organisation", {"id": "O-FORM", "name": "Formule BV", "sector": "zorg", "source": SRC}),
    ("professional", {"id": "P32", "name": "=HYPERLINK(\"http://x\")", "function": "=1+1",
                      "organisation_id": "O-FORM", "since": date(2000, 1, 1), "phone": "053-0032", "source": SRC}),
    ("involvement", {"id": "I32", "professional_id": "P32", "organisation_id": "O-FORM", "life_domain": "WONEN",
                     "role": "casemanager", "since": date(2009, 1, 11), "until": None, "person_ids": ["S"],
                     "household_id": None, "source": EXPORT}),
]
RUN = ["signals", "run", "--as-of", AFTER.isoformat(), "--source", EXPORT]


@pytest.fixture(scope="module")
def accounts(db: Database) -> dict[str, str]:
    from app.auth import default_store
    from tests.writers import cli_steward

    load_records(db, [*records(), *NEW, *ENDED, *FORMULA])
    store = default_store()
    if store.get("coach-signals") is None:
        store.add_user("coach-signals", Role.COACH, organisation="Wijkcoaches", professional_id="PR-COACH-1",
                       password_hash="x")
    return {"steward": cli_steward(), "coach": "coach-signals"}


def _ok(args: list[str]) -> str:
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    return out.output


def _one_line_error(args: list[str], *words: str, prefix: str = "Error: ") -> None:
    out = CliRunner().invoke(app, args)
    lines = [ln for ln in out.output.splitlines() if ln.strip()]
    assert out.exit_code == 1 and len(lines) == 1 and lines[0].startswith(prefix), out.output
    assert all(w in lines[0] for w in words) and "Traceback" not in out.output


def test_run_makes_the_signals_once_and_list_shows_the_inbox(accounts: dict[str, str]) -> None:
    first = _ok([*RUN, "--as", accounts["steward"]])
    # in words and in the language of `signals list` (the app's), never a kind's code (it said "new_involvement 2")
    assert first.startswith("2 van de 2 betrokkenheden gematcht"), first  # I30 and I32; I31 ended before the date
    assert "2 × Nieuwe betrokkenheid" in first and "Ook betrokken" in first, first
    assert "new_involvement" not in first and "match " not in first and "Matched" not in first, first
    again = _ok([*RUN, "--as", accounts["steward"]])
    assert again.rstrip().endswith(": geen nieuwe signalen."), again  # idempotent
    inbox = _ok(["signals", "list", "--as", accounts["coach"]]).splitlines()
    new = sorted(ln for ln in inbox if "Nieuwe betrokkenheid" in ln)
    assert [ln[:22] for ln in new] == ["10-01-2009  ongelezen ", "11-01-2009  ongelezen "], inbox
    from app.i18n import code_label

    assert new[0].endswith("Nieuwe betrokkenheid [HH-T1]: RIBW Twente · Prof P30 · begeleider RIBW · "
                           f"{code_label('life_domain', 'GEZONDHEID_WELZIJN')} · sinds 10-01-2009 · contact 053-0030"), inbox
    assert "GEZONDHEID_WELZIJN" not in "\n".join(inbox)  # the life domain in words, not its code
    assert any("Veel casemanagers [HH-T1]" in ln for ln in inbox), inbox


def test_missing_or_unknown_account_is_one_sentence(accounts: dict[str, str], tmp_path: Path) -> None:
    # a refusal reads in the app's language from every command (the inbox's, whose lines are Dutch, and the rest)
    _one_line_error(RUN, "--as ACCOUNT", prefix="Fout: ")
    _one_line_error([*RUN, "--as", "nobody"], "geen account 'nobody'", prefix="Fout: ")
    _one_line_error(["signals", "list", "--as", "nobody"], "geen account 'nobody'", prefix="Fout: ")
    _one_line_error(["signals", "export", str(tmp_path / "out"), "--as", "nobody"], "geen account 'nobody'",
                    prefix="Fout: ")
    _one_line_error(["signals", "expire", "--as", accounts["coach"]], "mag dit niet: oude signalen verwijderen",
                    prefix="Fout: ")  # a coach may not expire
    # a date option that is no date is a usage error (status 2, with the usage), as every other wrong option
    out = CliRunner().invoke(app, ["signals", "run", "--as-of", "gisteren", "--as", accounts["steward"]])
    assert out.exit_code == 2 and "'--as-of'" in out.output and "'gisteren' is not a date" in out.output, out.output
    assert "Traceback" not in out.output
    assert not (tmp_path / "out").exists()


def test_export_writes_one_formula_safe_file_per_organisation(accounts: dict[str, str], db: Database,
                                                              tmp_path: Path) -> None:
    _ok([*RUN, "--as", accounts["steward"]])
    out = _ok(["signals", "export", str(tmp_path / "csv"), "--as", accounts["steward"]])
    files = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert out.startswith(f"Wrote {len(files)} files")
    # the organisations of the professionals told (the coach reads in the app: no file for the coaches)
    # (JIB's P07 is left out when the session's user store has an account for P07)
    assert sorted(set(files) - {"signalen-O-JIB.csv"}) == [
        f"signalen-{o}.csv" for o in ("O-FORM", "O-MEDIANT", "O-PHG", "O-RIBW", "O-TACTUS")]
    for name in files:
        with open(tmp_path / "csv" / name, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter=";"))
        assert rows and {r["organisation_id"] for r in rows} == {name[len("signalen-"):-len(".csv")]}
        assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values()), name
        assert "HH-T1" not in (tmp_path / "csv" / name).read_text(encoding="utf-8")
    tactus = (tmp_path / "csv" / "signalen-O-TACTUS.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in tactus and "Prof P30" in tactus
    _ok(["signals", "export", str(tmp_path / "json"), "--format", "json", "--organisation", "O-RIBW",
         "--as", accounts["steward"]])
    ribw = json.loads((tmp_path / "json" / "signalen-O-RIBW.json").read_text(encoding="utf-8"))
    assert [p.name for p in (tmp_path / "json").iterdir()] == ["signalen-O-RIBW.json"]
    assert {r["recipient"] for r in ribw} == {"P30"} and {r["own_involvement"] for r in ribw} == {"I30"}


def test_expire_counts_then_removes(accounts: dict[str, str], db: Database) -> None:
    assert {n for n in EXPECTED if n[0] in ("match", "new_involvement")} <= set(_notices(db))
    out = _ok(["signals", "expire", "--as-of", AFTER.isoformat(), "--as", accounts["steward"]])
    assert "Er zouden 0 signalen vervallen" in out and "Would" not in out, out
    later = (AFTER + timedelta(days=800)).isoformat()
    # a match pair is one signal for both professionals: I30's 5 pairs (I01, I03, I04, I07, I20), I32's 6 (the same
    # and I30), the 2 new involvements; the thresholds are read on the last matching day and go with it
    n = 13
    out = _ok(["signals", "expire", "--as-of", later, "--as", accounts["steward"]])
    assert f"Er zouden {n} signalen vervallen" in out and "--yes" in out, out
    assert _notices(db)
    assert f"{n} signalen vervallen" in _ok(["signals", "expire", "--as-of", later, "--yes", "--as",
                                             accounts["steward"]])
    assert _notices(db) == []
