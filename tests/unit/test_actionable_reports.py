"""Reports a data steward can act on (issue 17, part 4): each problem shows the cell exactly as written in the
file (masked when it may be a BSN) and the row's key beside the row number, in the text, CSV and JSON reports."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from ingest.mapping import load_mapping
from ingest.validate import Problem, Report, check_row, column_index

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 1)
VIS2 = load_mapping(ROOT / "mappings" / "vis2_betrokkenheid.yaml")
HEADER = ["registratienummer", "bsn", "clientnummer", "medewerker", "instelling", "functie", "leefgebied", "rol",
          "startdatum", "einddatum", "postcode", "huisnummer", "toevoeging"]


def _row(**cells: str) -> list[str]:
    base = {"registratienummer": "4711", "bsn": "", "clientnummer": "C-9", "medewerker": "PRO-1",
            "instelling": "Alifa", "functie": "", "leefgebied": "Zorg", "rol": "casemanager", "startdatum": "05-03-2010",
            "einddatum": "", "postcode": "", "huisnummer": "", "toevoeging": ""}
    base.update(cells)
    return [base[h] for h in HEADER]


def test_a_date_problem_shows_the_cell_as_typed_and_the_rows_key() -> None:
    values, problems = check_row(VIS2, column_index(HEADER), "v.csv", 7, _row(einddatum="01-03-2010"), TODAY)
    assert values is None
    [p] = problems
    assert (p.row, p.column, p.code) == (7, "einddatum", "end_before_start")
    assert p.value == "01-03-2010"  # as typed, not 2010-03-01
    assert p.key == "4711"


def test_an_unknown_code_shows_the_cell_not_the_converted_value() -> None:
    values, problems = check_row(VIS2, column_index(HEADER), "v.csv", 3, _row(instelling="Onbekende Club"), TODAY)
    assert values is None and [(p.value, p.key) for p in problems] == [("Onbekende Club", "4711")]


def test_an_allowed_code_written_in_another_case_is_that_code() -> None:
    """Found by a steward's first load: rol ``Casemanager`` was "unknown code (allowed: casemanager, …)"."""
    values, problems = check_row(VIS2, column_index(HEADER), "v.csv", 3, _row(rol=" Casemanager"), TODAY)
    assert problems == [] and values is not None and values["role"] == "casemanager"
    values, problems = check_row(VIS2, column_index(HEADER), "v.csv", 3, _row(rol="casemanagers"), TODAY)
    assert values is None and [(p.code, p.value) for p in problems] == [("unknown_code", "casemanagers")]


def test_a_phone_number_excel_stripped_of_its_0_is_no_bsn_in_text() -> None:
    """Found by a steward's first load: 074-1234567 saved by Excel as 741234567 passes the 11-proef, and the staff
    registry (reject_file) was refused as holding a BSN in free text. A name holding such a number still is."""
    staff = load_mapping(ROOT / "mappings" / "medewerkers.yaml")
    header = ["personeelsnummer", "naam", "functie", "instelling", "in_dienst", "uit_dienst", "telefoon", "wijkcoach"]
    row = ["WC-09", "Anouk Jansen", "wijkcoach", "ORG-WC", "01-01-2008", "", "741234567", "ja"]
    values, problems = check_row(staff, column_index(header), "m.csv", 2, row, TODAY)
    assert problems == [] and values is not None and values["phone"] == "741234567"
    values, problems = check_row(staff, column_index(header), "m.csv", 2, [*row[:1], "A 741234567", *row[2:]], TODAY)
    assert values is None and [p.code for p in problems] == ["bsn_in_text"]


def test_a_house_number_with_its_addition_in_one_cell_fills_the_suffix() -> None:
    """Found by a steward's first load: a register's ``4a`` and ``9-2`` were "not a whole number". With a suffix
    column the addition goes there (the same household as 4 with suffix A); two different additions are asked
    about; without a suffix column the cell stays a problem (4a and 4b must not become one household)."""
    for cell, suffix, expected in (("4a", "", (4, "a")), ("9-2", "", (9, "2")), (" 12 A ", "", (12, "A")),
                                   ("4a", "A", (4, "A")), ("12", "", (12, ""))):
        values, problems = check_row(VIS2, column_index(HEADER), "v.csv", 2,
                                     _row(postcode="7533 AB", huisnummer=cell, toevoeging=suffix), TODAY)
        assert problems == [] and values is not None, (cell, problems)
        assert (values["house_number"], values["suffix"] or "") == expected
    values, problems = check_row(VIS2, column_index(HEADER), "v.csv", 2,
                                 _row(postcode="7533 AB", huisnummer="4a", toevoeging="b"), TODAY)
    assert values is None and [(p.column, p.value, p.code) for p in problems] == [("huisnummer", "4a", "bad_value")]
    no_suffix = load_mapping(ROOT / "mappings" / "caseload.yaml")
    fields = {k: v for k, v in no_suffix.fields.items() if k != "suffix"}
    from dataclasses import replace

    m = replace(no_suffix, fields=fields)
    head = ["medewerker", "huishouden", "postcode", "huisnummer", "toevoeging", "vanaf", "tot"]
    values, problems = check_row(m, column_index(head), "c.csv", 2,
                                 ["WC-01", "", "7533 AB", "4a", "", "01-09-2008", ""], TODAY)
    assert values is None and [(p.column, p.code) for p in problems] == [("huisnummer", "bad_value")]


def test_a_bsn_cell_is_masked_and_a_bsn_in_the_key_masks_the_key() -> None:
    values, problems = check_row(VIS2, column_index(HEADER), "v.csv", 4,
                                 _row(registratienummer="R 111222333", bsn="123456789"), TODAY)
    assert values is None
    [p] = problems
    assert p.code == "bad_bsn" and p.value == "*****6789" and p.key == "R *****2333"


def test_the_key_is_in_every_report_form() -> None:
    r = Report(file="v.csv", mapping="vis2")
    r.add(Problem("v.csv", 7, "einddatum", "1-3-2010", "until is before since", "end_before_start", key="4711"))
    assert "row 7 (key 4711), column 'einddatum', value '1-3-2010'" in r.to_text()
    [head, row] = list(csv.reader(io.StringIO(r.to_csv())))
    assert dict(zip(head, row, strict=True))["key"] == "4711"
    assert json.loads(r.to_json())["problems"][0]["key"] == "4711"


def test_every_row_problem_of_the_synthetic_exports_names_its_key(tmp_path: Path) -> None:
    """Problems found across rows (duplicates, conflicts) and in the workers alike."""
    from ingest.exports import write_exports
    from ingest.pipeline import IngestContext, ingest_file
    from ingest.pseudonym import Pseudonymiser
    from ingest.resolve import StateStore
    from queries.audit import AuditLog
    from tests.writers import STEWARD

    out = write_exports(tmp_path / "exp", households=20)
    ctx = IngestContext(db=None, pseudo=Pseudonymiser(b"k" * 64), store=StateStore(tmp_path / "s.sqlite"),
                        today=date(2030, 1, 1))
    audit = AuditLog(tmp_path / "audit.sqlite")
    seen = []
    for stem in ("brp_huishoudens", "vis2_betrokkenheid"):
        r = ingest_file(ctx, audit, STEWARD, load_mapping(ROOT / "mappings" / f"{stem}.yaml"), out[stem])
        seen += [(stem, p.code, p.key) for p in r.problems]
    assert {c for _, c, _ in seen} >= {"bad_bsn", "impossible_date", "unknown_code", "end_before_start",
                                        "conflicting_duplicate"}
    assert all(k for _, _, k in seen), seen


def _checked(tmp_path: Path, mapping: str, text: str) -> Report:
    """``text`` as a file checked with the mapping ``mappings/<mapping>.yaml``, without a database: its report."""
    from ingest.pipeline import IngestContext, ingest_file
    from ingest.pseudonym import Pseudonymiser
    from ingest.resolve import StateStore
    from queries.audit import AuditLog
    from tests.writers import STEWARD

    f = tmp_path / f"{mapping}.csv"
    f.write_text(text, encoding="utf-8")
    ctx = IngestContext(db=None, pseudo=Pseudonymiser(b"k" * 64), store=StateStore(tmp_path / "s.sqlite"),
                        today=TODAY)
    return ingest_file(ctx, AuditLog(tmp_path / "audit.sqlite"), STEWARD, load_mapping(ROOT / "mappings" /
                                                                                        f"{mapping}.yaml"), f)


def test_a_persons_conflicting_rows_both_name_their_key_masked_when_it_holds_the_bsn(tmp_path: Path) -> None:
    """A conflict found across rows: pass 1 keeps no key per row, the report still shows both rows' keys."""
    from tests.fixtures.bad_inputs.corpus import BRP_HEADER

    r = _checked(tmp_path, "brp_huishoudens", BRP_HEADER + "\n"
                 "937448540;;Lisa Mulder;01-02-1980;V;7533 AB;6;;Oostveenweg;Nieuwe Velve;moeder;03-04-2021;;X\n"
                 "937448540;;Lisa Mulder;01-02-1981;V;7533 AB;8;;Oostveenweg;Nieuwe Velve;moeder;03-04-2021;;X\n")
    conflicts = [p for p in r.problems if p.code == "conflicting_duplicate"]
    assert [p.row for p in conflicts] == [2, 3]
    assert all(p.key and "937448540" not in p.key for p in conflicts)
    assert conflicts[0].key != conflicts[1].key  # each row its own key (the address differs)
    assert "937448540" not in r.to_text() + r.to_csv() + r.to_json()


def test_two_rows_of_one_key_say_which_columns_differ_and_what_the_other_row_has(tmp_path: Path) -> None:
    """A conflict of two rows with one key said only "with different values": the steward had to compare every
    column of both rows by eye (an outside test's 14 columns). Each row now names the columns that differ and what
    the other row has there, in the file's order of columns; a BSN there is masked, a column written the same
    twice is not named."""
    head = "registratienummer;bsn;clientnummer;medewerker;instelling;functie;leefgebied;rol;startdatum;einddatum\n"
    r = _checked(tmp_path, "vis2_betrokkenheid", head
                 + "R-7;111222333;;PR-1;Alifa;jongerenwerker;Wonen;casemanager;01-02-2020;\n"
                 "R-8;;C-9;PR-1;Alifa;jongerenwerker;Wonen;casemanager;01-02-2020;\n"
                 "R-7;111222333;;PR-1;Alifa;maatschappelijk werker;Wonen;casemanager;01-02-2020;31-12-2021\n"
                 "R-8;;C-9;PR-1;Alifa;jongerenwerker;Wonen;casemanager;01-02-2020;\n"
                 "R-9;111222333;;PR-1;Alifa;jongerenwerker;Wonen;casemanager;01-02-2020;\n"
                 "R-9;123456782;;PR-1;Alifa;jongerenwerker;Wonen;casemanager;01-02-2020;\n")
    got = {p.row: (p.column, p.value, str(p.reason)) for p in r.problems if p.code == "conflicting_duplicate"}
    assert got == {
        2: ("functie, einddatum", "'jongerenwerker', ''",
            "same key as row 4, which has functie 'maatschappelijk werker', einddatum '31-12-2021' (conflict: "
            "neither row is loaded)"),
        4: ("functie, einddatum", "'maatschappelijk werker', '31-12-2021'",
            "same key as row 2, which has functie 'jongerenwerker', einddatum '' (conflict: neither row is loaded)"),
        6: ("bsn", "'*****2333'", "same key as row 7, which has bsn '*****6782' (conflict: neither row is loaded)"),
        7: ("bsn", "'*****6782'", "same key as row 6, which has bsn '*****2333' (conflict: neither row is loaded)"),
    }, got
    assert [p.row for p in r.problems if p.code == "duplicate_row"] == [5]
    assert {p.key for p in r.problems if p.row in (2, 4)} == {"R-7"}
    assert "111222333" not in r.to_text() + r.to_csv() + r.to_json()


def test_a_value_longer_than_the_reader_takes_is_reported_at_its_column(tmp_path: Path) -> None:
    """The column was named only inside the reason, the report's column was empty (an outside test)."""
    from dataclasses import replace

    from ingest.pipeline import IngestContext, ingest_file
    from ingest.pseudonym import Pseudonymiser
    from ingest.readers import CLI_LIMITS
    from ingest.resolve import StateStore
    from queries.audit import AuditLog
    from tests.fixtures.bad_inputs.corpus import BRP_HEADER
    from tests.writers import STEWARD

    f = tmp_path / "brp.csv"
    f.write_text(BRP_HEADER + "\n"
                 f"937448540;;Lisa Mulder;01-02-1980;V;7533 AB;6;;{'O' * 500};Nieuwe Velve;moeder;03-04-2021;;X\n",
                 encoding="utf-8")
    ctx = IngestContext(db=None, pseudo=Pseudonymiser(b"k" * 64), store=StateStore(tmp_path / "s.sqlite"),
                        today=TODAY, limits=replace(CLI_LIMITS, max_field=100))
    r = ingest_file(ctx, AuditLog(tmp_path / "audit.sqlite"), STEWARD,
                    load_mapping(ROOT / "mappings" / "brp_huishoudens.yaml"), f)
    assert [(p.row, p.column, p.code) for p in r.problems] == [(2, "straat", "bad_row_shape")], r.to_text()


def test_a_row_of_the_wrong_width_is_shown_as_written_with_a_bsn_masked(tmp_path: Path) -> None:
    """A row with more or fewer cells than the header was reported by its number and reason only (no column, no
    value): the steward could not find it in a file edited since. Its start is now the value as written."""
    from ingest.pipeline import IngestContext, ingest_file
    from ingest.pseudonym import Pseudonymiser
    from ingest.resolve import StateStore
    from queries.audit import AuditLog
    from tests.fixtures.bad_inputs.corpus import BRP_HEADER
    from tests.writers import STEWARD

    f = tmp_path / "brp.csv"
    shifted = "937448540;;Lisa Mulder;01-02-1980;V;7533 AB;6;;Straat;Nieuwe Velve;moeder;03-04-2021;;X;verschoven"
    f.write_text(BRP_HEADER + "\n" + shifted + "\n" + "Jan;" + "x" * 120 + "\n", encoding="utf-8")
    ctx = IngestContext(db=None, pseudo=Pseudonymiser(b"k" * 64), store=StateStore(tmp_path / "s.sqlite"), today=TODAY)
    r = ingest_file(ctx, AuditLog(tmp_path / "audit.sqlite"), STEWARD,
                    load_mapping(ROOT / "mappings" / "brp_huishoudens.yaml"), f)
    assert [(p.row, p.code) for p in r.problems] == [(2, "bad_row_shape"), (3, "bad_row_shape")], r.to_text()
    first, second = (p.value for p in r.problems)
    assert first == "*****8540" + shifted[9:79] + "…"  # its start, as written, the BSN masked
    assert len(second) == 80 and second.startswith("Jan;xxx") and second.endswith("…")
    text = r.to_text()
    assert f"row 2, as written {first!r}: row has 15 fields but the header has 14" in text, text
    assert "937448540" not in text + str(r.to_csv()) + json.dumps(r.to_json())
