"""The brief on the coach page in-process (Streamlit's AppTest): what coaches recorded is in it, also when the
workspace panel was never opened in this session (read then through the audited workspace query)."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from app.state import get_audit
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.record import record
from queries.access import Actor, Role

COACH = Actor("scopecoach", Role.COACH, "Wijkcoaches", "PR-COACH-1")


def test_the_brief_lists_what_was_recorded_without_the_workspace_opened(
        coach_page: AppTest, household_t1: Database, downloads: list[Any]) -> None:
    record(household_t1, get_audit(), COACH, "HH-T1", "client_system",
           {"name": "Tante Riek", "relation": "tante", "since": f"{dutch_today():%d-%m-%Y}"})
    at = coach_page.run()
    at.segmented_control[0].set_value("brief").run()
    assert not at.exception
    brief = downloads[-2]()
    assert "Vastgelegd in wijknet" in brief
    assert "Tante Riek (tante)" in brief and "vastgelegd door scopecoach" in brief
