"""A deployment whose generalists hold no formal mandate (the Leeuwarden profile; a walk used a Deventer profile
alike): the coach's workspace does not offer to record advice under a mandate there is none of, while a mandate
deployment (Enschede) does."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _kinds(at: AppTest) -> list[str]:
    at.session_state["ws_open"] = True  # the workspace panel opened
    at.run()
    assert not at.exception
    box = next(s for s in at.selectbox if s.label == "Wat legt u vast?")
    return [str(o) for o in box.options]


def test_no_advice_under_a_mandate_where_the_model_has_no_mandates(coach_page: AppTest,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_PROFILE", "leeuwarden")
    kinds = _kinds(coach_page)
    assert "Deskundigheidsadvies onder mandaat" not in kinds
    assert {"Persoon uit het netwerk (buiten het huishouden)", "Buur of informele steun",
            "Afspraak (voor wat hoort wat) of sanctie"} <= set(kinds)


def test_advice_under_a_mandate_where_the_model_has_mandates(coach_page: AppTest,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_PROFILE", "enschede")
    assert "Deskundigheidsadvies onder mandaat" in _kinds(coach_page)


@pytest.mark.parametrize(("profile", "pending", "said"), [
    ("leeuwarden", 0, False),  # no mandates, nothing waiting: not a figure of this model
    ("leeuwarden", 1, True),   # advice from before still waits: said
    ("enschede", 0, True),
])
def test_the_caseload_card_counts_advice_only_where_there_can_be_some(profile: str, pending: int, said: bool,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from app.caseload_triage import figures
    from queries.triage import TriagedHousehold

    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    monkeypatch.setenv("WIJKNET_PROFILE", profile)
    h = TriagedHousehold("H-1", "Hanzeweg 22", "7412GH", "RW", None, 4, 0, 0, 0, pending, 0, None, None, None, 4)
    line = figures(h)
    assert ("wacht op besluit" in line or "wachten op besluit" in line) is said, line
    assert line.startswith("0 actieve professionals · 0 overlappen")
