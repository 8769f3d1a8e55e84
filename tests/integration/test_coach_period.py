"""The coach page's period ends today: an agreement recorded today is shown at the slider's default position, even
when the household's other records all lie years back (the slider ended at the last membership/involvement
change, so today's record stayed out of the picture until the coach moved the date by hand)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app.state import get_audit
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.record import record
from queries.access import Actor, Role

COACH = Actor("scopecoach", Role.COACH, "Wijkcoaches", "PR-COACH-1")
TEXT = "Moeder belt vandaag de schuldhulp"


def test_an_agreement_recorded_today_is_shown_by_default(coach_page: AppTest, household_t1: Database) -> None:
    record(household_t1, get_audit(), COACH, "HH-T1", "agreement",
           {"kind": "afspraak", "text": TEXT, "date": f"{dutch_today():%d-%m-%Y}"})
    at = coach_page.run()
    assert not at.exception
    slider = at.slider[0]
    assert slider.value == dutch_today()
    at.segmented_control[0].set_value("plan").run()
    assert not at.exception
    shown = [str(v) for df in at.table for v in df.value.to_numpy().ravel()]
    assert TEXT in shown


def test_an_agreement_past_its_deadline_without_an_outcome_says_so(coach_page: AppTest,
                                                                   household_t1: Database) -> None:
    """A review found a 2009 agreement, due 11-11-2009, shown as "open" in the plan's table while the brief called it
    "verlopen" and the caseload counted "1 afspraak over tijd"; a kept one is not over time."""
    from datetime import timedelta

    day = dutch_today()
    record(household_t1, get_audit(), COACH, "HH-T1", "agreement",
           {"kind": "afspraak", "text": "Vader ruimt de schuur op", "date": f"{day - timedelta(days=60):%d-%m-%Y}",
            "due": f"{day - timedelta(days=30):%d-%m-%Y}"})
    record(household_t1, get_audit(), COACH, "HH-T1", "agreement",
           {"kind": "afspraak", "text": "Moeder opent haar post", "date": f"{day - timedelta(days=60):%d-%m-%Y}",
            "due": f"{day - timedelta(days=30):%d-%m-%Y}", "status": "nagekomen",
            "status_since": f"{day - timedelta(days=40):%d-%m-%Y}"})
    at = coach_page.run()
    at.segmented_control[0].set_value("plan").run()
    assert not at.exception
    rows = {r["Tekst"]: r["Status"] for df in at.table if "Tekst" in df.value.columns
            for r in df.value.to_dict("records")}
    assert rows["Vader ruimt de schuur op"].endswith(" · over tijd"), rows
    assert "over tijd" not in rows["Moeder opent haar post"], rows
