"""A file checked with the wrong mapping names the mappings whose columns it has (a steward who left the page on
another export's mapping was asked "is that the right delimiter?" and had to guess among 24 mappings)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ingest.kept_mappings import SHIPPED_DIR, keep_mapping, known_mappings
from ingest.mapping import load_mapping
from ingest.readers import CLI_LIMITS, FileProblem, open_table
from ingest.source import fitting_mappings, mappings_for_file

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
SHIPPED = {p.stem: load_mapping(p) for p in sorted(SHIPPED_DIR.glob("*.yaml"))}


@pytest.mark.parametrize("stem", sorted(p.stem for p in EXPORTS.glob("*.csv")))
def test_every_example_export_is_told_its_own_mapping_first_whatever_mapping_was_chosen(stem: str) -> None:
    header = open_table(EXPORTS / f"{stem}.csv", limits=CLI_LIMITS).header
    own = SHIPPED[stem]
    for chosen in SHIPPED.values():
        fits = fitting_mappings(header, chosen, known_mappings(None))
        if chosen is own:
            assert own not in fits  # the chosen one is never offered in its own place
        else:
            assert fits and fits[0].name == own.name, (chosen.name, [m.name for m in fits])
            assert len(fits) <= 3


@pytest.mark.parametrize("stem", sorted(p.stem for p in EXPORTS.glob("*.csv")))
def test_a_file_uploaded_before_any_mapping_was_chosen_is_told_its_own_first(stem: str) -> None:
    """The page opens with no mapping chosen; a file uploaded then is read once per way of reading it (the
    shipped mappings' delimiters and formats differ) and told which mappings read its columns."""
    fits = mappings_for_file(EXPORTS / f"{stem}.csv", known_mappings(None), CLI_LIMITS)
    assert fits and fits[0].name == SHIPPED[stem].name and len(fits) <= 3, [m.name for m in fits]


def test_a_file_with_a_title_above_its_header_is_told_its_mapping_too(tmp_path: Path) -> None:
    """An Excel report with a title and a date above the header: the mapping is named, and checked with it the
    file is told to lose the rows above (the check's own sentence)."""
    from ingest.pipeline import IngestContext, ingest_file
    from ingest.pseudonym import Pseudonymiser
    from ingest.resolve import StateStore
    from queries.audit import AuditLog
    from tests.writers import STEWARD

    f = tmp_path / "organisaties.csv"
    f.write_text("Overzicht partners\nper 01-12-2026\n\n" + (EXPORTS / "organisaties.csv").read_text(
        encoding="utf-8-sig"), encoding="utf-8")
    fits = mappings_for_file(f, known_mappings(None), CLI_LIMITS)
    assert [m.name for m in fits] == ["organisaties"]
    ctx = IngestContext(db=None, pseudo=Pseudonymiser(b"k" * 64), store=StateStore(tmp_path / "s.sqlite"),
                        today=date(2026, 12, 1), kept_mappings=tmp_path / "none")
    r = ingest_file(ctx, AuditLog(tmp_path / "audit.sqlite"), STEWARD, fits[0], f, dry_run=True)
    assert r.status == "rejected" and "row 4" in r.file_problems[0], r.file_problems


def test_a_file_no_mapping_reads_or_none_can_open_is_offered_nothing(tmp_path: Path) -> None:
    other = tmp_path / "adressen.csv"
    other.write_text("naam;adres;telefoon\nA;B;C\n", encoding="utf-8")
    assert mappings_for_file(other, known_mappings(None), CLI_LIMITS) == []
    broken = tmp_path / "kapot.xlsx"  # no way of reading opens it: said why, not "no mapping reads it"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(FileProblem):
        mappings_for_file(broken, known_mappings(None), CLI_LIMITS)
    with pytest.raises(FileProblem):
        mappings_for_file(tmp_path / "er-niet.csv", known_mappings(None), CLI_LIMITS)


def test_a_header_of_no_mapping_is_offered_nothing() -> None:
    assert fitting_mappings(["naam", "adres", "telefoon"], SHIPPED["adviezen"], known_mappings(None)) == []
    assert fitting_mappings([], SHIPPED["adviezen"], known_mappings(None)) == []


def test_a_kept_mapping_is_offered_besides_the_shipped_ones(tmp_path: Path) -> None:
    own = (b"name: schuldhulp\nkind: organisation\nsource: CONVENANT\ndescription: Schuldhulp-partners.\n"
           b"fields:\n  id: {column: partnercode}\n  name: {column: partnernaam}\n  sector: {constant: schuldhulp}\n")
    kept = keep_mapping(tmp_path / "mappings", "schuldhulp.yaml", own)
    fits = fitting_mappings(["Partnercode", "Partnernaam"], SHIPPED["organisaties"],
                            known_mappings(tmp_path / "mappings"))
    assert [m.name for m in fits] == ["schuldhulp"] and fits[0].path == kept.path
    assert fits[0].label == "Schuldhulp-partners (schuldhulp)"


def test_the_rejection_names_the_mapping_in_the_text_and_json_reports_and_asks_nothing_of_the_delimiter(
        tmp_path: Path) -> None:
    from ingest.pipeline import IngestContext, ingest_file
    from ingest.pseudonym import Pseudonymiser
    from ingest.resolve import StateStore
    from queries.audit import AuditLog
    from tests.writers import STEWARD

    f = tmp_path / "export.csv"
    f.write_bytes((EXPORTS / "organisaties.csv").read_bytes())
    ctx = IngestContext(db=None, pseudo=Pseudonymiser(b"k" * 64), store=StateStore(tmp_path / "s.sqlite"),
                        today=date(2026, 12, 1), kept_mappings=tmp_path / "none")
    r = ingest_file(ctx, AuditLog(tmp_path / "audit.sqlite"), STEWARD, SHIPPED["medewerkers"], f)
    assert r.status == "rejected" and r.rows_read == 0
    assert [m.name for m in r.fitting] == ["organisaties"]
    assert r.file_problems[-1] == ("The file's columns fit another mapping: 'Organisaties: de convenantpartners en "
                                   "gemeentelijke diensten (organisaties)'. Choose it for this file.")
    assert "delimiter" not in r.file_problems[0], r.file_problems
    assert json.loads(r.to_json())["fitting_mappings"] == ["organisaties"]
    assert "fit another mapping: 'Organisaties" in r.to_text()


def test_the_command_line_lists_the_mappings_and_says_which_read_a_file(state: Path, monkeypatch: pytest.MonkeyPatch,
                                                                        tmp_path: Path) -> None:
    """``wijknet ingest mappings``: the names ``wijknet ingest load`` takes, with what each reads; with files,
    which mappings read each (as the Load data page says of an upload), audited as the account before."""
    from typer.testing import CliRunner

    from app.cli import app
    from queries.audit import default_audit_log

    monkeypatch.setenv("WIJKNET_CLI_ACCOUNT", "")
    run = CliRunner()
    listed = run.invoke(app, ["ingest", "mappings"])
    assert listed.exit_code == 0, listed.output
    names = [line.split()[0] for line in listed.output.splitlines()]
    assert sorted(names) == sorted(m.name for m in SHIPPED.values())
    assert "brp-huishoudens" in names  # the mapping's own name, which load takes (not always its file's)
    # with a file: an account that may load data, audited before the header is read
    assert run.invoke(app, ["users", "add", "beheer", "--role", "admin", "--email", "b@gemeente.nl",
                            "--no-password"]).exit_code == 0
    other = tmp_path / "adressen.csv"
    other.write_text("naam;adres\nA;B\n", encoding="utf-8")
    said = run.invoke(app, ["ingest", "mappings", str(EXPORTS / "organisaties.csv"), str(other), "--as", "beheer"])
    lines = said.output.splitlines()
    assert said.exit_code == 1 and lines[0].startswith(f"{EXPORTS / 'organisaties.csv'}: organisaties ("), said.output
    assert lines[1] == f"{other}: no mapping reads its columns (write one: docs/ingest.md)"
    found = [r for r in default_audit_log().records() if r.action == "mapping_find"]
    assert [(r.user, r.detail) for r in found] == [("beheer", "file=organisaties.csv"), ("beheer", "file=adressen.csv")]
    # without an account nothing is read
    refused = run.invoke(app, ["ingest", "mappings", str(other)])
    assert refused.exit_code == 1 and "adressen.csv:" not in refused.output
