"""How the workspace lists a fact (app/workspace.py): in the Plan tab's words, never a raw status, source code or an
empty separator."""

from __future__ import annotations

from datetime import date

import pytest

from app.workspace import _by, fact_line
from queries.workspace import Fact, Workspace

D = date
WS = Workspace("HH-1", [], [])


@pytest.fixture(autouse=True)
def _dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)


@pytest.mark.parametrize(("values", "line"), [
    ({"agreement_kind": "afspraak", "text": "Post openen", "date": D(2009, 3, 1), "status": "open"},
     "Afspraak 01-03-2009: Post openen · afspraak loopt"),
    ({"agreement_kind": "sanctie", "text": "Korting", "date": D(2009, 3, 1), "status": "uitgevoerd"},
     "Sanctie 01-03-2009: Korting · sanctie uitgevoerd"),
])
def test_an_agreement_says_its_state_as_the_plan_tab_does(values: dict[str, object], line: str) -> None:
    assert fact_line(WS, Fact("agreement", "AG-1", 1, values, "synthetic:2008", None)) == line


def test_advice_without_the_decision_asked_has_no_empty_separator() -> None:
    f = Fact("advice", "ADV-1", 1, {"date": D(2009, 9, 20), "decision_type": "indicatie hulp bij het huishouden",
                                    "organisation_name": "Gemeente Enschede, Zorgloket", "decision_asked": "",
                                    "outcome": "overgenomen"}, "synthetic:2008", None)
    line = fact_line(WS, f)
    assert line == ("Advies 20-09-2009 onder mandaat indicatie hulp bij het huishouden (Gemeente Enschede, "
                    "Zorgloket): besluit: overgenomen")
    assert ":  ·" not in line and ": ·" not in line


@pytest.mark.parametrize(("source", "said"), [
    ("synthetic:2008", "uit de demogegevens"), ("BRP", "uit BRP"), (None, "uit een export")])
def test_where_a_loaded_fact_came_from_is_said_in_words(source: str | None, said: str) -> None:
    assert _by(Fact("goal", "G-1", 1, {}, source, None)) == said


def test_a_consent_and_an_involvement_say_their_codes_in_words() -> None:
    """Observed in the browser: "Toestemming … (gegevensuitwisseling wijkcoach)", the stored code, where the form
    had offered "gegevens uitwisselen met de wijkcoach"."""
    consent = fact_line(WS, Fact("consent", "CNS-1", 1, {"person_id": "P-1", "organisation_name": "Alifa",
                                                         "scope": "gegevensuitwisseling wijkcoach",
                                                         "signed_at": D(2009, 1, 5)}, "coach", None))
    assert "(gegevens uitwisselen met de wijkcoach)" in consent and "gegevensuitwisseling" not in consent
    involvement = fact_line(WS, Fact("involvement", "INV-1", 1, {"life_domain": "WONEN", "role": "casemanager",
                                                                 "since": D(2009, 1, 1)}, "coach", None))
    assert "casemanager" in involvement and "WONEN" not in involvement


def test_an_advice_says_its_mandates_decision_in_the_pages_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside review: in English the advice line (and the advice form's mandate list) showed the stored Dutch code
    ("woningtoewijzing"), where the coach's page lists the mandate in the page's language."""
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    f = Fact("advice", "ADV-1", 1, {"date": D(2009, 9, 20), "decision_type": "woningtoewijzing",
                                    "organisation_name": "Domijn", "outcome": "adopted"}, "coach", None)
    line = fact_line(WS, f)
    assert "woningtoewijzing" not in line and "allocation of a dwelling" in line, line
