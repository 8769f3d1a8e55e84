"""Two tabs correcting the same entry, on the coach page in-process (Streamlit's AppTest): the tab whose save comes
second is told who changed it, sees the new state, keeps its input, and its next save stores it."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from app.state import get_audit
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.record import correct, record
from queries.access import Actor, Role
from queries.workspace import workspace

COACH = Actor("scopecoach", Role.COACH, "Wijkcoaches", "PR-COACH-1")


def _input(at: AppTest, label: str) -> Any:
    return [x for x in at.text_input if x.label == label][-1]  # the correction form is drawn last


def _shown(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "text", "error", "info", "caption")
                    for e in getattr(at, kind)).replace("\\", "")  # Markdown escapes off


def test_the_second_of_two_corrections_is_refused_shows_the_new_state_and_saves_on_the_next_click(
        coach_page: AppTest, household_t1: Database) -> None:
    audit = get_audit()
    today = f"{dutch_today():%d-%m-%Y}"
    made = record(household_t1, audit, COACH, "HH-T1", "client_system", {"name": "Carla", "relation": "nicht",
                                                                  "since": today})
    at = coach_page
    at.session_state["ws_open"] = True  # the workspace panel opened
    at.run()
    change = next(s for s in at.selectbox if s.label == "Wijzigen of beëindigen")
    change.set_value(f"client_system:{made.fact_id}").run()
    _input(at, "Relatie *").input("nicht, past op de kinderen")
    _input(at, "Reden van de wijziging *").input("aangevuld")
    # the other tab saves first
    correct(household_t1, audit, COACH, "HH-T1", "client_system", made.fact_id, made.version, {"relation": "tante"},
            "was de tante")
    next(b for b in at.button if b.label == "Wijziging opslaan").click().run()
    assert not at.exception
    shown = _shown(at)
    assert "Intussen gewijzigd door scopecoach" in shown
    assert f"Nu vastgelegd: Carla (tante), sinds {today}" in shown  # the new state, beside the message
    assert _input(at, "Relatie *").value == "nicht, past op de kinderen"  # the input kept
    assert _input(at, "Reden van de wijziging *").value == "aangevuld"
    next(b for b in at.button if b.label == "Wijziging opslaan").click().run()
    assert not at.exception
    assert "Intussen gewijzigd" not in _shown(at)
    ws = workspace(household_t1, audit, COACH, "HH-T1")
    assert next(f for f in ws.facts if f.id == made.fact_id).values["relation"] == "nicht, past op de kinderen"
    assert f"Carla (nicht, past op de kinderen), sinds {today}" in _shown(at)
