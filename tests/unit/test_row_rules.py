"""Row rules found missing by an outside test (issue 17, part 6): a handover from an involvement to itself, and
a valid BSN typed into a free-text column (rejected, never stored; the report shows it masked)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.mapping import load_mapping, mapping_from_dict
from ingest.validate import check_row, column_index

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 1)


def test_a_handover_from_an_involvement_to_itself_is_rejected() -> None:
    m = load_mapping(ROOT / "mappings" / "overdrachten.yaml")
    header = ["overdrachtnummer", "van_registratie", "naar_registratie", "datum", "reden"]
    values, problems = check_row(m, column_index(header), "o.csv", 2, ["7", "100", "100", "01-02-2010", "verhuizing"],
                                 TODAY)
    assert values is None
    assert [(p.column, p.code) for p in problems] == [("naar_registratie", "self_handover")]
    ok, none = check_row(m, column_index(header), "o.csv", 3, ["8", "100", "101", "01-02-2010", "verhuizing"], TODAY)
    assert ok is not None and none == []


_ORG = mapping_from_dict({"name": "org", "kind": "organisation", "source": "s",
                          "fields": {"id": "code", "name": "naam", "sector": "sector"}})
_HEADER = ["code", "naam", "sector"]


@pytest.mark.parametrize("text", ["Stichting 111222333", "zie bsn 123.456.782 dossier", "123 456 782",
                                  "bsn:111222333."])
def test_a_valid_bsn_in_a_free_text_column_rejects_the_row_and_is_never_shown(text: str) -> None:
    values, problems = check_row(_ORG, column_index(_HEADER), "org.csv", 2, ["ORG-1", text, "zorg"], TODAY)
    assert values is None
    assert [(p.column, p.code) for p in problems] == [("naam", "bsn_in_text")]
    assert sum(c.isdigit() for c in problems[0].value) <= 4  # masked: at most the last four digits shown


@pytest.mark.parametrize("text", ["Stichting 123456789", "Tel 0534123456", "Postbus 12345", "Kvk 12345678"])
def test_numbers_that_are_not_a_bsn_stay(text: str) -> None:
    values, problems = check_row(_ORG, column_index(_HEADER), "org.csv", 2, ["ORG-1", text, "zorg"], TODAY)
    assert problems == [] and values is not None and values["name"] == text


def test_an_identifier_that_happens_to_pass_the_11_proef_is_not_free_text() -> None:
    values, problems = check_row(_ORG, column_index(_HEADER), "org.csv", 2, ["111222333", "Alifa", "welzijn"], TODAY)
    assert problems == [] and values is not None and values["id"] == "111222333"


@pytest.mark.parametrize(("text", "shown", "code"), [
    ("Stichting \u202eteew", "Stichting <U+202E>teew", "U+202E"), ("Alifa\x00", "Alifa<U+0000>", "U+0000"),
    ("\x1b[2JAlifa", "<U+001B>[2JAlifa", "U+001B")])
def test_an_invisible_control_character_rejects_the_row_and_is_named_not_reproduced(text: str, shown: str,
                                                                                    code: str) -> None:
    """The same rule as a coach's form (an outside test stored a NUL and U+202E through one): the row is refused
    with the character named and where it stands, and the report shows its code, not the character."""
    from app.i18n import say

    values, problems = check_row(_ORG, column_index(_HEADER), "org.csv", 2, ["ORG-1", text, "zorg"], TODAY)
    assert values is None
    assert [(p.column, p.code, p.value) for p in problems] == [("naam", "control_character", shown)]
    assert code in say(problems[0].reason, lang="en") and "position" in say(problems[0].reason, lang="en")


@pytest.mark.parametrize("text", ["Stichting Één\tTwee", "Wijkteam\r\nOost", "Zorg 🙂 Oost"])
def test_tabs_line_ends_accents_and_emoji_stay(text: str) -> None:
    values, problems = check_row(_ORG, column_index(_HEADER), "org.csv", 2, ["ORG-1", text, "zorg"], TODAY)
    assert problems == [] and values is not None and values["name"] == text


_DOMAIN = mapping_from_dict({"name": "goals", "kind": "goal", "source": "s",
                             "codes": {"gebieden": {"Geld": "INKOMEN_FINANCIEN_SCHULDEN"}},
                             "fields": {"id": "nr", "plan_id": "plan", "description": "doel",
                                        "life_domain": {"column": "leefgebied", "codes": "gebieden"},
                                        "since": {"column": "vanaf", "type": "date"}}})


@pytest.mark.parametrize(("written", "code"), [
    ("Geld", "INKOMEN_FINANCIEN_SCHULDEN"), ("Schulden", "INKOMEN_FINANCIEN_SCHULDEN"),
    ("financiën", "INKOMEN_FINANCIEN_SCHULDEN"), ("Welzijn", "GEZONDHEID_WELZIJN"),
    ("Werk en participatie", "WERK_PARTICIPATIE"), ("vrije  tijd", "RECREATIE_VRIJETIJD_RELATIES"),
    ("WONEN", "WONEN")])
def test_a_life_domain_in_the_model_s_own_dutch_words_is_taken_besides_the_mapping_s_table(written: str,
                                                                                          code: str) -> None:
    """A municipality's export wrote "Schulden" and "Welzijn"; a shipped mapping's table knew only "Inkomen" and
    "Gezondheid" and rejected 25 of 89 rows (a walk of 06-12-2026)."""
    header = ["nr", "plan", "doel", "leefgebied", "vanaf"]
    values, problems = check_row(_DOMAIN, column_index(header), "d.csv", 2,
                                 ["D-1", "PL-1", "Schulden aflossen", written, "01-02-2025"], TODAY)
    assert problems == [] and values is not None and values["life_domain"] == code


def test_an_unknown_code_is_said_with_what_is_allowed() -> None:
    from app.i18n import say

    header = ["nr", "plan", "doel", "leefgebied", "vanaf"]
    values, problems = check_row(_DOMAIN, column_index(header), "d.csv", 2,
                                 ["D-1", "PL-1", "Sporten", "Sport", "01-02-2025"], TODAY)
    assert values is None and [p.code for p in problems] == ["unknown_code"]
    assert say(problems[0].reason, lang="nl") == (
        "onbekende code (niet in codelijst 'gebieden'; toegestaan: wonen; werk en participatie; inkomen, financiën, "
        "schulden; gezondheid en welzijn; onderwijs en opvoeding; recreatie, vrije tijd, relaties; zorg en "
        "hulpverlening; veiligheid en justitie)")


_BRP = mapping_from_dict({"name": "brp", "kind": "household_composition", "source": "s", "fields": {
    "bsn": {"column": "bsn", "type": "bsn"}, "postcode": "postcode", "house_number": {"column": "nr", "type": "int"},
    "role": "rol", "since": {"column": "van", "type": "date"}, "birth_date": {"column": "geb", "type": "date"}}})
_BRP_HEADER = ["bsn", "postcode", "nr", "rol", "van", "geb"]


@pytest.mark.parametrize(("nr", "born", "column", "reason"), [
    ("-5", "01-01-1980", "nr", "below zero"),  # was "not a whole number"
    ("0", "01-01-1980", "nr", "a house number is 1 or more"),  # was taken
    ("12", "01-01-1800", "geb", "birth date before 1900: check the year"),  # was taken
])
def test_a_house_number_below_one_or_a_birth_year_before_1900_is_refused_with_its_reason(
        nr: str, born: str, column: str, reason: str) -> None:
    """An outside test: house number -5 was "not a whole number", 0 and a birth date of 01-01-1800 were loaded."""
    values, problems = check_row(_BRP, column_index(_BRP_HEADER), "brp.csv", 2,
                                 ["111222333", "7533 AB", nr, "hoofd", "01-01-2010", born], TODAY)
    assert values is None
    assert [(p.column, str(p.reason)) for p in problems] == [(column, reason)]
    ok, none = check_row(_BRP, column_index(_BRP_HEADER), "brp.csv", 3,
                         ["111222333", "7533 AB", "1", "hoofd", "01-01-2010", "01-01-1901"], TODAY)
    assert none == [] and ok is not None


def test_a_typed_spreadsheet_date_is_reported_as_a_dutch_reader_writes_it() -> None:
    """A workbook's typed date was reported as 2030-01-01 (an outside test); a steward reads 01-01-2030."""
    from datetime import datetime

    values, problems = check_row(_BRP, column_index(_BRP_HEADER), "brp.xlsx", 2,
                                 ["111222333", "7533 AB", 1, "hoofd", datetime(2010, 1, 1), datetime(2030, 1, 1)],
                                 TODAY)
    assert values is None and [(p.column, p.value) for p in problems] == [("geb", "01-01-2030")]
