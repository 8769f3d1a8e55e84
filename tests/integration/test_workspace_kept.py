"""The coach's *Nagekomen* button on an open agreement, on the coach page in-process (Streamlit's AppTest): a click
the write refuses says why beside the agreement — it did nothing visible, the agreement stayed open without a word."""

from __future__ import annotations

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from app.state import get_audit
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.record import record
from queries.access import Actor, Role
from queries.workspace import workspace
from tests.shown import as_read

COACH = Actor("scopecoach", Role.COACH, "Wijkcoaches", "PR-COACH-1")


def test_kept_on_an_agreement_dated_ahead_is_refused_with_a_sentence_beside_it(
        coach_page: AppTest, household_t1: Database) -> None:
    audit = get_audit()
    later = dutch_today() + timedelta(days=10)
    made = record(household_t1, audit, COACH, "HH-T1", "agreement", {"kind": "afspraak", "text": "Post openen",
                                                                     "date": f"{later:%d-%m-%Y}"})
    at = coach_page
    at.session_state["ws_open"] = True  # the workspace panel opened
    at.run()
    at.session_state["coach_as_of"] = later  # the page opens on today: the agreement is shown from its own date
    at.run()
    next(b for b in at.button if b.key == f"ws_kept_{made.fact_id}").click().run()
    assert not at.exception
    errors = [as_read(str(e.value)) for e in at.error]
    assert (f"Niet als nagekomen vastgelegd: Stand bereikt op ({dutch_today():%d-%m-%Y}) ligt vóór Datum "
            f"({later:%d-%m-%Y}).") in errors, errors
    ws = workspace(household_t1, audit, COACH, "HH-T1")
    assert next(f for f in ws.facts if f.id == made.fact_id).values["status"] == "open"  # nothing written


def test_the_refusal_of_kept_is_gone_once_the_agreement_is_corrected(coach_page: AppTest,
                                                                      household_t1: Database) -> None:
    audit = get_audit()
    later = dutch_today() + timedelta(days=10)
    made = record(household_t1, audit, COACH, "HH-T1", "agreement", {"kind": "afspraak", "text": "Huur betalen",
                                                                     "date": f"{later:%d-%m-%Y}"})
    at = coach_page
    at.session_state["ws_open"] = True
    at.run()
    at.session_state["coach_as_of"] = later
    at.run()
    next(b for b in at.button if b.key == f"ws_kept_{made.fact_id}").click().run()
    assert any("Niet als nagekomen vastgelegd" in as_read(str(e.value)) for e in at.error)
    # the coach corrects the agreement's date to today, then keeps it
    next(s for s in at.selectbox if s.label == "Wijzigen of beëindigen").set_value(f"agreement:{made.fact_id}").run()
    next(x for x in at.text_input if x.key == f"ws_edit_{made.fact_id}_date").input(f"{dutch_today():%d-%m-%Y}")
    next(x for x in at.text_input if x.key == f"ws_edit_{made.fact_id}_reason").input("datum was verkeerd")
    next(b for b in at.button if b.label == "Wijziging opslaan").click().run()
    assert not at.exception
    assert not any("Niet als nagekomen vastgelegd" in as_read(str(e.value)) for e in at.error), [e.value for e in at.error]
    next(b for b in at.button if b.key == f"ws_kept_{made.fact_id}").click().run()
    ws = workspace(household_t1, audit, COACH, "HH-T1")
    assert next(f for f in ws.facts if f.id == made.fact_id).values["status"] == "nagekomen"


def test_the_page_opens_on_today_beside_a_record_dated_ahead(coach_page: AppTest, household_t1: Database) -> None:
    """A review saved an entry dated next summer and the household page then opened on that day, the map and the
    figures of a day that has not come (the slider reaches it, the page starts on today)."""
    later = dutch_today() + timedelta(days=40)
    record(household_t1, get_audit(), COACH, "HH-T1", "agreement", {"kind": "afspraak", "text": "Schuldhulp bellen",
                                                                    "date": f"{later:%d-%m-%Y}"})
    at = coach_page
    at.run()
    assert not at.exception
    [slider] = [s for s in at.slider if s.key == "coach_as_of"]
    assert slider.value == dutch_today()  # it opened on ``later`` before
