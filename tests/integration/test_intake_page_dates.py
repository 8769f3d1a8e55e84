"""The project lead's page *Aanmeldingen en caseload* in-process (Streamlit's AppTest): the *Peildatum* at the top
chooses the day the lists hold on, not what "today" is for the forms' dates — a date a year or more ahead of today
is refused whatever day the lists show, and today is never "in the future"."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app.auth import default_store
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.intake import open_intake, register_signal
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.audit import default_audit_log
from tests.access_records import records

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "intake.py")
LEAD = Actor("datelead", Role.PROJECT_LEAD, "Gemeente")


@pytest.fixture(scope="module")
def data(db: Database, test_env: dict[str, str]) -> Database:
    load_records(db, records())
    load_records(db, [("household", {"id": f"HH-D{i}", "address_key": f"7513YY-{i}", "postcode": "7513 YY",
                                     "house_number": i, "area_code": "A1", "source": "test:intake-page"})
                      for i in (1, 2)])
    return db


def _page(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    store = default_store()
    acc = store.get("datelead") or store.add_user("datelead", Role.PROJECT_LEAD, password="a long lead password")
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    return at


def _intake(db: Database, household: str) -> str:
    sid = register_signal(db, default_audit_log(), LEAD, signal_date=date(2024, 3, 1), channel="bewoner",
                          household_id=household)
    open_intake(db, default_audit_log(), LEAD, sid)
    return sid


def _shown(at: AppTest) -> str:
    """What the page says, as read: AppTest gives a message's Markdown, whose escapes (a typed value is said as
    written) a reader does not see."""
    import re

    text = " ".join(str(e.value) for kind in ("success", "error", "warning", "markdown") for e in getattr(at, kind))
    return re.sub(r"\\(.)", r"\1", text)


def _assign(at: AppTest, sid: str, peildatum: str, start: str) -> Any:
    at.run()
    next(x for x in at.text_input if x.key == "in-day").input(peildatum).run()
    assert not at.exception
    next(s for s in at.selectbox if s.key == f"assign-{sid}-coach").set_value("PR-CA")
    next(x for x in at.text_input if x.key == f"assign-{sid}-since").input(start)
    next(b for b in at.button if b.label == "Toewijzen" and sid in str(b.form_id)).click().run()
    assert not at.exception
    return at


def test_a_household_assigned_from_today_while_the_lists_show_an_earlier_day_is_assigned(
        data: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = _intake(data, "HH-D1")
    today = f"{dutch_today():%d-%m-%Y}"
    at = _assign(_page(monkeypatch), sid, "01-03-2024", today)
    shown = _shown(at)
    assert "in de toekomst" not in shown, shown
    assert f"HH-D1 is vanaf {today} toegewezen aan Coach Alfa." in shown


def test_a_start_two_years_ahead_is_refused_even_when_the_lists_show_a_later_day(
        data: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = _intake(data, "HH-D2")
    ahead = f"{dutch_today() + timedelta(days=800):%d-%m-%Y}"
    at = _assign(_page(monkeypatch), sid, ahead, ahead)
    shown = _shown(at)
    assert f"Meer dan een jaar in de toekomst: de startdatum ({ahead})." in shown, shown
    assert "toegewezen aan" not in shown

