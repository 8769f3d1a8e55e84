"""The caseload card's line of figures (``app.caseload_triage.figures``) as a coach reads it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from app.caseload_triage import figures
from queries.triage import TriagedHousehold

H = TriagedHousehold(id="HH-1", address="Velveweg 12", postcode="7513 AB", area_code="A1", since=date(2008, 1, 1),
                     members=3, professionals=3, overlaps=1, double_casemanagers=0, advice_pending=0,
                     agreements_overdue=2, last_visit=None, last_opened=None, days_since_contact=None, score=9)


@pytest.fixture(autouse=True)
def dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")


def test_contact_today_is_said_as_today_not_as_zero_days() -> None:
    """A review read "laatst geopend 0 dagen geleden" on the card of a household opened a minute before."""
    opened = replace(H, last_opened=datetime(2026, 12, 6, 9, 30), days_since_contact=0)
    assert figures(opened).endswith(" · vandaag geopend")
    visited = replace(H, last_visit=date(2026, 12, 6), days_since_contact=0)
    assert figures(visited).endswith(" · vandaag bezocht")


def test_contact_days_ago_is_said_in_days() -> None:
    assert figures(replace(H, last_opened=datetime(2026, 12, 5, 9, 30), days_since_contact=1)).endswith(
        " · laatst geopend 1 dag geleden")
    assert figures(replace(H, last_visit=date(2026, 11, 6), days_since_contact=30)).endswith(
        " · laatste bezoek 30 dagen geleden")
    assert figures(H).endswith(" · nog niet bezocht of geopend")
