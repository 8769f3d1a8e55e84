"""Pure parts of ingest: the BSN rule, masking, strict dates, conversions, mapping checks, upload names, and the
synthetic exports validated without a database (planted errors found exactly)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from ingest.mapping import (
    SOURCE_KINDS,
    CellProblem,
    FieldSpec,
    MappingError,
    convert,
    load_mapping,
    mapping_from_dict,
    parse_date,
)
from ingest.pseudonym import BsnProblem, Pseudonymiser, load_or_create_key, mask, normalise_bsn
from ingest.readers import FileProblem, check_upload_name

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("raw", "expected"), [
    ("111222333", "111222333"), ("12345672", "012345672"), ("1234.56.782", "123456782"),
    ("123 456 782", "123456782"), ("123-456-782", "123456782"), (12345672, "012345672"),
    (12345672.0, "012345672"),
])
def test_bsn_rule(raw: object, expected: str) -> None:
    assert normalise_bsn(raw) == expected


@pytest.mark.parametrize(("raw", "reason"), [
    ("123456789", "BSN fails the 11-proef"), ("000000000", "BSN of nine zeros is not a real number"),
    ("1234567", "BSN has 7 digits, not 9"), ("12345678a", "BSN contains characters other than digits"),
    ("", "empty BSN"),
])
def test_bsn_rejections_never_carry_the_value(raw: str, reason: str) -> None:
    with pytest.raises(BsnProblem, match=reason) as exc:
        normalise_bsn(raw)
    assert raw == "" or raw not in str(exc.value)


def test_mask() -> None:
    assert (mask("123456789"), mask("12345672"), mask("")) == ("*****6789", "****5672", "")


def test_key_created_once_with_0600(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "pseudonym.key"
    key = load_or_create_key(path)
    assert oct(os.stat(path).st_mode & 0o777) == "0o600" and len(key) == 64
    assert load_or_create_key(path) == key


def test_pseudonyms_are_keyed_and_stable() -> None:
    a, b = Pseudonymiser(b"k" * 64), Pseudonymiser(b"x" * 64)
    pid = a.person_from_bsn("12345672")
    assert pid == a.person_from_bsn("012345672") and pid.startswith("P-") and len(pid) == 18
    assert pid != b.person_from_bsn("012345672")
    assert a.person_from_source_id("BRP", "1") != a.person_from_source_id("GGD", "1")


@pytest.mark.parametrize(("text", "fmt", "expected"), [
    ("03-04-2021", "dd-mm-yyyy", date(2021, 4, 3)), ("2021-04-03", "yyyy-mm-dd", date(2021, 4, 3)),
    ("03/04/2021", "dd/mm/yyyy", date(2021, 4, 3)),
    # Dutch Excel saves its default date format d-m-jjjj in a CSV: one digit for day or month, order unchanged
    ("3-4-2021", "dd-mm-yyyy", date(2021, 4, 3)), ("1-12-2005", "dd-mm-yyyy", date(2005, 12, 1)),
    ("2021-4-3", "yyyy-mm-dd", date(2021, 4, 3)),
    # a date column of a database export carries the time of day (found by a steward's first load): dropped
    ("01-09-2008 00:00", "dd-mm-yyyy", date(2008, 9, 1)), ("2008-09-01T14:35:07", "yyyy-mm-dd", date(2008, 9, 1)),
    ("01-09-2008 0:00:00.000", "dd-mm-yyyy", date(2008, 9, 1)),
])
def test_strict_dates(text: str, fmt: str, expected: date) -> None:
    assert parse_date(text, fmt) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("2021-04-03", "date not in the format dd-mm-yyyy"), ("3-4-21", "date not in the format dd-mm-yyyy"),
    ("003-04-2021", "date not in the format dd-mm-yyyy"),
    ("31-02-2020", "impossible date"), ("04/03/2021", "date not in the format dd-mm-yyyy"),
    ("04/03/2021 00:00", "date not in the format dd-mm-yyyy"), ("01-09-2008 25", "date not in the format dd-mm-yyyy"),
    ("01-09-2008 half tien", "date not in the format dd-mm-yyyy"),
])
def test_strict_dates_reject(text: str, reason: str) -> None:

    with pytest.raises(CellProblem, match=reason):
        parse_date(text, "dd-mm-yyyy")


def test_parsed_dates_are_cached_per_format_and_errors_are_never_cached() -> None:
    from ingest.mapping import CellProblem

    assert parse_date("03-04-2021", "dd-mm-yyyy") == date(2021, 4, 3)
    assert parse_date(" 03-04-2021", "mm-dd-yyyy") == date(2021, 3, 4)  # the same text, another declared order
    for _ in range(2):
        with pytest.raises(CellProblem, match="impossible date"):
            parse_date("31-02-2020", "dd-mm-yyyy")


def test_an_ingest_runs_the_cycle_collector_less_often_and_restores_it(tmp_path: Path) -> None:
    import gc

    from ingest.pipeline import _fewer_collections

    before = gc.get_threshold()
    with _fewer_collections:
        raised = gc.get_threshold()
        with _fewer_collections:  # a second ingest at the same time (another session of the app)
            pass
        assert gc.get_threshold() == raised != before  # still raised: the first one is not done
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), _fewer_collections:
        raise RuntimeError("a failed load")
    assert gc.get_threshold() == before


def test_decimal_commas_and_bools() -> None:
    assert convert(FieldSpec("x", type="decimal", decimal=","), "1.234,5") == 1234.5
    assert convert(FieldSpec("x", type="decimal"), "1,234.5") == 1234.5
    assert [convert(FieldSpec("x", type="bool"), v) for v in ("ja", "nee", "X", "0")] == [True, False, True, False]


def test_mapping_rejects_unknown_fields_and_missing_required() -> None:
    with pytest.raises(MappingError, match="'diagnose' is not a field of a organisation source"):
        mapping_from_dict({"name": "x", "kind": "organisation", "source": "s",
                           "fields": {"id": "a", "name": "b", "sector": "c", "diagnose": "d"}})
    with pytest.raises(MappingError, match="must fill sector"):
        mapping_from_dict({"name": "x", "kind": "organisation", "source": "s", "fields": {"id": "a", "name": "b"}})
    with pytest.raises(MappingError, match="only the field 'bsn' has type bsn"):
        mapping_from_dict({"name": "x", "kind": "organisation", "source": "s",
                           "fields": {"id": {"column": "a", "type": "bsn"}, "name": "b", "sector": "c"}})


def test_every_example_mapping_loads() -> None:
    """Every source kind has a complete example mapping (issue 17: every element of the model has a way in)."""
    kinds = {load_mapping(p).kind.name for p in (ROOT / "mappings").glob("*.yaml")}
    assert kinds == set(SOURCE_KINDS)


@pytest.mark.parametrize("name", ["a.csv:evil.exe", "x.exe.csv", "tool.exe", "../../etc/passwd", ".csv"])
def test_upload_names_rejected(name: str) -> None:
    with pytest.raises(FileProblem):
        check_upload_name(name)


def test_synthetic_exports_validate_with_exactly_the_planted_errors(tmp_path: Path) -> None:
    from ingest.exports import write_exports
    from ingest.pipeline import IngestContext, ingest_file
    from ingest.resolve import StateStore
    from queries.audit import AuditLog
    from tests.writers import STEWARD

    out = write_exports(tmp_path / "exp", households=20)
    ctx = IngestContext(db=None, pseudo=Pseudonymiser(b"k" * 64), store=StateStore(tmp_path / "s.sqlite"),
                        today=date(2030, 1, 1))  # the generator runs to 2012 and beyond
    audit = AuditLog(tmp_path / "audit.sqlite")
    names = {"verwijzingen": "verwijzingen.xlsx"}
    got = {}
    conflicts = []
    for stem, path in out.items():
        r = ingest_file(ctx, audit, STEWARD, load_mapping(ROOT / "mappings" / f"{names.get(stem, stem)}.yaml"), path)
        assert r.status == "validated" and r.reconciles and not r.file_problems, r.to_text()
        got[stem] = (dict(r.rejected_by_reason), r.unknown_columns)
        conflicts += [p for p in r.problems if p.code == "conflicting_duplicate"]
    # both rows of the planted conflict have the key they share, and name the column they differ in: each its own
    # value, the other's in its reason
    assert len(conflicts) == 2 and conflicts[0].key == conflicts[1].key != ""
    assert conflicts[0].column == conflicts[1].column == "startdatum"
    assert conflicts[0].value != conflicts[1].value
    assert f"startdatum {conflicts[1].value}" in conflicts[0].reason
    assert f"startdatum {conflicts[0].value}" in conflicts[1].reason
    assert got["brp_huishoudens"] == ({"bad_bsn": 1, "impossible_date": 1}, ["notities"])
    assert got["vis2_betrokkenheid"] == ({"unknown_code": 1, "end_before_start": 1, "conflicting_duplicate": 2}, [])
    assert all(v == ({}, []) for k, v in got.items() if k not in ("brp_huishoudens", "vis2_betrokkenheid"))


def _brp(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"bsn": "bsn", "postcode": "pc", "house_number": "nr", "role": "rol", "since": "van"}
    base.update(fields)
    return {"name": "x", "kind": "household_composition", "source": "s", "fields": base}


def test_constants_are_typed_converted_and_validated_like_cells() -> None:
    """Issue 17: a date given as a mapping constant was stored as a string (and crashed the coach page)."""
    m = mapping_from_dict(_brp(since={"constant": "2024-01-01"}, until={"constant": "31-12-2024"},
                               house_number={"constant": 12}, role={"constant": "hoofd"}))
    assert m.fields["since"].constant == date(2024, 1, 1) and m.fields["until"].constant == date(2024, 12, 31)
    assert m.fields["house_number"].constant == 12
    with pytest.raises(MappingError, match="constant 'morgen' of field 'since' is not a valid date"):
        mapping_from_dict(_brp(since={"constant": "morgen"}))
    with pytest.raises(MappingError, match="field 'house_number' is not a valid int"):
        mapping_from_dict(_brp(house_number={"constant": "12a"}))
    with pytest.raises(MappingError, match="constant 'baas' of field 'role' is not an allowed value"):
        mapping_from_dict(_brp(role={"constant": "baas"}))
    with pytest.raises(MappingError, match="'since' is required: its constant cannot be empty"):
        mapping_from_dict(_brp(since={"constant": ""}))


def test_organisation_names_match_without_case_punctuation_or_spacing() -> None:
    from ingest.resolve import normalise_name, postcode_codes

    assert normalise_name("TACTUS, verslavingszorg.") == normalise_name("Tactus  Verslavingszorg")
    assert normalise_name("SMD Enschede-Haaksbergen") == normalise_name("smd enschede haaksbergen")
    assert postcode_codes("7546-7547") == ["7546", "7547"]
    with pytest.raises(CellProblem):
        postcode_codes("7500-7700")
    with pytest.raises(MappingError, match="'match: name' is the only match"):
        mapping_from_dict(_brp(role={"column": "rol", "match": "name"}))
    with pytest.raises(MappingError, match="create_professionals applies to involvement and referral"):
        mapping_from_dict({**_brp(), "create_professionals": True})


def test_a_number_like_a_bsn_is_masked_but_not_inside_wijknets_own_ids() -> None:
    """The report's list of rows gone since the last import showed "P-57020a****1530c6": an id nobody could look
    up (an outside test). A BSN in free text is still masked, also beside an id."""
    from ingest.validate import mask_digits

    key = "H-aa4f59d31d17b40b|P-57020a123415306c"
    assert mask_digits(key) == key
    assert mask_digits(f"123456782 {key} 987654321") == f"*****6782 {key} *****4321"
    assert mask_digits("P-123456782") == "P-*****6782"  # not an id of ours: masked


def test_a_source_systems_unknown_date_is_refused_and_its_no_end_is_an_open_end(tmp_path: Path) -> None:
    """A steward's walk (08-12-2026): 01-01-0001, 01-01-1900 and 03-02-2031 loaded as start dates (an involvement
    then counted as active at every date since 1900; a referral of year 1 gave 734,139 days to accept). A date
    before 1950 and a start more than a year ahead are refused with what they probably are; an end of 31-12-9999
    (the source's "no end") is an open end; a birth date keeps its own rule (1922 is fine)."""
    from ingest.pipeline import IngestContext, ingest_file
    from ingest.resolve import StateStore
    from queries.audit import AuditLog
    from tests.writers import STEWARD

    f = tmp_path / "vis2.csv"
    f.write_text("registratienummer;bsn;clientnummer;medewerker;instelling;functie;leefgebied;rol;startdatum;"
                 "einddatum\n"
                 "9001;111222333;;SMD-07;SMD Enschede-Haaksbergen;maatschappelijk werker;Inkomen;casemanager;01-01-1900;\n"
                 "9002;111222333;;SMD-07;SMD Enschede-Haaksbergen;maatschappelijk werker;Inkomen;casemanager;01-01-0001;\n"
                 "9003;111222333;;SMD-07;SMD Enschede-Haaksbergen;maatschappelijk werker;Inkomen;casemanager;03-02-2031;\n"
                 "9004;111222333;;SMD-07;SMD Enschede-Haaksbergen;maatschappelijk werker;Inkomen;casemanager;03-02-2011;31-12-9999\n"
                 "9005;111222333;;SMD-07;SMD Enschede-Haaksbergen;maatschappelijk werker;Inkomen;casemanager;03-02-1950;30-04-2011\n",
                 encoding="utf-8")
    ctx = IngestContext(db=None, pseudo=Pseudonymiser(b"k" * 64), store=StateStore(tmp_path / "s.sqlite"))
    r = ingest_file(ctx, AuditLog(tmp_path / "audit.sqlite"), STEWARD,
                    load_mapping(ROOT / "mappings" / "vis2_betrokkenheid.yaml"), f)
    assert dict(r.rejected_by_reason) == {"early_date": 2, "late_date": 1}, r.to_text()
    assert [(p.row, p.column, p.value) for p in r.problems] == [
        (2, "startdatum", "01-01-1900"), (3, "startdatum", "01-01-0001"), (4, "startdatum", "03-02-2031")]
    assert "01-01-1900" in r.problems[0].reason and "more than a year after today" in r.problems[2].reason
    assert r.rows_valid == 2  # 31-12-9999 read as no end; 1950 is a day
    from ingest.validate import _check_dates

    values: dict[str, object] = {"since": date(2011, 2, 3), "until": date(9999, 12, 31), "birth_date": date(1922, 1, 1)}
    _check_dates(("since", "until"), values, date(2011, 3, 1), lambda *problem: pytest.fail(f"refused: {problem}"))
    assert values == {"since": date(2011, 2, 3), "until": None, "birth_date": date(1922, 1, 1)}
