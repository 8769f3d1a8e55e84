"""The coach's records checked without a database (:func:`ingest.record._check`, the one set of rules for the form
and the CLI): dates far ahead, and text as it was meant."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.i18n import say
from ingest.record import KINDS, _check

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(("kind", "values", "field"), [
    ("client_system", {"name": "Tante", "relation": "tante", "since": "01-01-2999"}, "since"),
    ("client_system", {"name": "Tante", "relation": "tante", "since": "01-01-2026", "until": "01-01-2999"}, "until"),
    ("goal", {"life_domain": "WONEN", "description": "Huur betalen", "since": "05-12-2027"}, "since"),
    ("agreement", {"kind": "afspraak", "text": "Post openen", "date": "01-01-2999"}, "date"),
    ("advice", {"mandate_id": "M", "decision_asked": "hulp", "date": "01-12-2026", "outcome": "overgenomen",
                "decided_at": "01-01-2999"}, "decided_at"),
    ("consent", {"person_id": "P", "organisation_id": "O", "scope": "gegevensuitwisseling wijkcoach",
                 "signed_at": "01-01-2999"}, "signed_at"),
])
def test_a_date_more_than_a_year_ahead_is_refused_with_the_intakes_message(kind: str, values: dict[str, Any],
                                                                            field: str) -> None:
    _, problems = _check(KINDS[kind], values, TODAY)
    assert field in problems, problems
    assert say(problems[field]).startswith("Meer dan een jaar in de toekomst: ")
    assert "01-01-2999" in say(problems[field]) or "05-12-2027" in say(problems[field])


@pytest.mark.parametrize(("kind", "values"), [
    ("client_system", {"name": "Tante", "relation": "tante", "since": "03-12-2027"}),  # a year ahead: still allowed
    ("agreement", {"kind": "afspraak", "text": "Schuld afbetalen", "date": "01-12-2026", "due": "01-12-2030"}),
])
def test_a_date_ahead_that_makes_sense_is_taken(kind: str, values: dict[str, Any]) -> None:
    _, problems = _check(KINDS[kind], values, TODAY)
    assert problems == {}


def test_a_text_longer_than_the_model_takes_is_said_with_the_limit() -> None:
    _, problems = _check(KINDS["client_system"], {"name": "x" * 250, "relation": "tante", "since": "01-01-2026"},
                         TODAY)
    assert {k: say(v) for k, v in problems.items()} == {"name": "Naam: ten hoogste 200 tekens (nu 250)."}
    _, problems = _check(KINDS["goal"], {"life_domain": "WONEN", "description": "y" * 200, "since": "01-01-2026"},
                         TODAY)
    assert problems == {}


@pytest.mark.parametrize(("typed", "code", "pos"), [
    ("Oma\u202eadreG", "U+202E", 4), ("Oma\x00Gerda", "U+0000", 4), ("\u2066Gerda", "U+2066", 1),
    ("Gerda\x1b[31m", "U+001B", 6)])
def test_a_text_with_an_invisible_control_character_is_refused_naming_it(typed: str, code: str, pos: int) -> None:
    """An outside test (06-12-2026) stored a NUL and U+202E (right-to-left override) through the form: the NUL
    made the brief a binary file, the override turned the text after it around on the screen."""
    _, problems = _check(KINDS["client_system"], {"name": typed, "relation": "oma", "since": "01-01-2026"}, TODAY)
    assert {k: say(v) for k, v in problems.items()} == {
        "name": f"Naam: bevat een onzichtbaar stuurteken ({code}) op positie {pos}: typ de tekst opnieuw zonder "
                "dat teken."}
    # a line end in a text of a sentence or more, a tab, an accent, an emoji: taken
    clean, problems = _check(KINDS["goal"], {"life_domain": "WONEN", "description": "Eerst huur\r\nDan\tschuld é 🙂",
                                             "since": "01-01-2026"}, TODAY)
    assert problems == {} and clean["description"] == "Eerst huur\r\nDan\tschuld é 🙂"


def test_text_is_taken_without_the_spaces_around_it() -> None:
    clean, problems = _check(KINDS["client_system"], {"name": "  Tante Riek ", "relation": "  tante  ",
                                                      "since": " 01-01-2026 "}, TODAY)
    assert problems == {}
    assert (clean["name"], clean["relation"], clean["since"]) == ("Tante Riek", "tante", date(2026, 1, 1))
    clean, _ = _check(KINDS["client_system"], {"relation": " nicht "}, TODAY, partial=True)  # a correction too
    assert clean["relation"] == "nicht"


@pytest.mark.parametrize(("typed", "expected"), [
    ("15-03-2021", date(2021, 3, 15)),
    ("15-3-2021", date(2021, 3, 15)),
    ("2021-03-15", date(2021, 3, 15)),  # as the intake's and the lead's date fields take it (app/dates.py)
    ("2021-3-5", date(2021, 3, 5)),
])
def test_a_date_is_taken_as_the_other_date_fields_take_it(typed: str, expected: date) -> None:
    clean, problems = _check(KINDS["informal_support"], {"name": "Buurvrouw Ineke", "member_id": "P-1",
                                                         "kind": "past op de kinderen", "since": typed}, TODAY)
    assert problems == {} and clean["since"] == expected


@pytest.mark.parametrize(("typed", "said"), [
    ("15/03/21", "Sinds: '15/03/21' is geen geldige datum (dd-mm-jjjj of jjjj-mm-dd)."),
    ("2021-13-01", "Sinds: '2021-13-01' bestaat niet als datum."),
    ("31-02-2021", "Sinds: '31-02-2021' bestaat niet als datum."),
])
def test_a_wrong_date_is_said_with_the_value_as_typed(typed: str, said: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    _, problems = _check(KINDS["informal_support"], {"name": "Buurvrouw Ineke", "member_id": "P-1",
                                                     "kind": "past op de kinderen", "since": typed}, TODAY)
    assert {k: say(v) for k, v in problems.items()} == {"since": said}


@pytest.mark.parametrize("typed", ["15/03/2021", "15.3.2021", "15/3/2021", "15.03.2021"])
def test_a_date_typed_with_slashes_or_dots_is_taken_as_the_intakes_date_fields_take_it(typed: str) -> None:
    # the intake's and the lead's date fields (app/dates.py) take 15/03/2021 and 15.3.2021; the coach's form
    # refused them as "geen geldige datum"
    clean, problems = _check(KINDS["informal_support"], {"name": "Buurvrouw Ineke", "member_id": "P-1",
                                                         "kind": "past op de kinderen", "since": typed}, TODAY)
    assert problems == {} and clean["since"] == date(2021, 3, 15)


def test_a_date_typed_with_slashes_that_does_not_exist_is_said_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    _, problems = _check(KINDS["client_system"], {"name": "Tante", "relation": "tante", "since": "31/02/2021"},
                         TODAY)
    assert {k: say(v) for k, v in problems.items()} == {"since": "Sinds: '31/02/2021' bestaat niet als datum."}


def test_consent_withdrawn_before_it_was_signed_is_refused_at_the_withdrawal(monkeypatch: pytest.MonkeyPatch) -> None:
    # withdrawn (until) before signed (signed_at) was taken silently: a consent in force on no day at all
    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    _, problems = _check(KINDS["consent"], {"person_id": "P", "organisation_id": "O",
                                            "scope": "gegevensuitwisseling wijkcoach", "signed_at": "01-12-2026",
                                            "until": "01-01-2020"}, TODAY)
    assert {k: say(v) for k, v in problems.items()} == {
        "until": "Ingetrokken op (01-01-2020) ligt vóór Getekend op (01-12-2026)."}  # both fields, both dates


@pytest.mark.parametrize(("kind", "values", "field", "label"), [
    ("ladder_score", {"person_id": "P", "rung": "2"}, "date", "Datum"),
    ("advice", {"mandate_id": "M", "decision_asked": "bijzondere bijstand"}, "date", "Datum advies"),
    ("consent", {"person_id": "P", "organisation_id": "O", "scope": "gegevensuitwisseling wijkcoach"}, "signed_at",
     "Getekend op"),
])
def test_a_date_of_what_happened_may_not_lie_after_today(monkeypatch: pytest.MonkeyPatch, kind: str,
                                                        values: dict[str, str], field: str, label: str) -> None:
    """A review saved a ladder score dated next summer: accepted (only more than a year ahead was refused), and the
    household page then opened on that day. A score, advice, a decision, a signature happened: not after today."""
    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    _, problems = _check(KINDS[kind], {**values, field: "01-06-2027"}, TODAY)
    assert {k: say(v) for k, v in problems.items()} == {
        field: f"{label} (01-06-2027) ligt na vandaag: vul de dag in waarop het gebeurde."}
    _, problems = _check(KINDS[kind], {**values, field: f"{TODAY:%d-%m-%Y}"}, TODAY)
    assert problems == {}  # today itself is fine


def test_an_end_before_its_start_names_both_fields_with_their_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    _, problems = _check(KINDS["advice"], {"mandate_id": "M", "decision_asked": "bijstand", "date": "10-05-2025",
                                           "decided_at": "01-05-2025"}, TODAY)
    assert {k: say(v) for k, v in problems.items()} == {
        "decided_at": "Datum besluit (01-05-2025) ligt vóór Datum advies (10-05-2025)."}
    _, problems = _check(KINDS["client_system"], {"name": "Tante", "relation": "tante", "since": "01-03-2025",
                                                  "until": "1-1-2025"}, TODAY)
    assert {k: say(v) for k, v in problems.items()} == {
        "until": "Tot en met (1-1-2025) ligt vóór Sinds (01-03-2025)."}  # as typed
    # a referral started before it was made, with no acceptance in between (an outside test saved one: only
    # date → accepted → started was checked)
    _, problems = _check(KINDS["referral"], {"organisation_id": "O", "life_domain": "WONEN", "reason": "huur",
                                             "date": "01-12-2025", "started_at": "01-11-2025"}, TODAY)
    assert {k: say(v) for k, v in problems.items()} == {
        "started_at": "Gestart op (01-11-2025) ligt vóór Datum (01-12-2025)."}


def test_a_control_character_is_named_on_every_form(monkeypatch: pytest.MonkeyPatch) -> None:
    """The neighbour's form said "Naam: ongeldige waarde." for a pasted BEL, where the network person's form named
    it (an outside test): a field the source kind does not have got no reason."""
    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    _, problems = _check(KINDS["informal_support"], {"name": "Buurvrouw Annie", "member_id": "P-1",
                                                     "kind": "boodschappen", "since": "01-01-2026"}, TODAY)
    assert {k: say(v) for k, v in problems.items()} == {
        "name": "Naam: bevat een onzichtbaar stuurteken (U+0007) op positie 16: typ de tekst opnieuw zonder dat "
                "teken."}


def test_an_entry_recorded_already_from_the_demo_is_said_as_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest.record import loaded_from as _loaded

    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    assert (say(_loaded("synthetic:2008")), say(_loaded("BRP")), say(_loaded(None))) == (
        "de demogegevens", "BRP", "een export")
