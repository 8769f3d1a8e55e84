"""The inbox with nothing open: a coach who marked every signal *Afgehandeld* read "Er zijn geen signalen voor u."
— as if they were gone — with the switch that shows them just above (an outside review of the signals,
2026-12-05). The empty inbox now says there is nothing open, where the ones dealt with are, and when a signal
comes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from app.auth import default_store
from app.state import get_audit
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.loader import load_records
from ingest.matching import match_involvements
from queries.access import Actor, Role
from queries.notices import inbox, mark_notice
from tests.household_records import SRC

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "inbox.py")
COACH = Actor("emptycoach", Role.COACH, "Wijkcoaches", "PR-COACH-1")


def test_an_inbox_with_everything_dealt_with_says_where_those_are(household_t1: Database) -> None:
    load_records(household_t1, [("involvement", {
        "id": "I44", "professional_id": "P15", "organisation_id": "O-LEER", "life_domain": "ONDERWIJS_OPVOEDING",
        "role": "casemanager", "since": dutch_today() - timedelta(days=2), "until": None, "person_ids": ["S"],
        "household_id": None, "source": SRC})])
    match_involvements(household_t1, ["I44"], dutch_today())
    for e in inbox(household_t1, get_audit(), COACH):
        mark_notice(household_t1, get_audit(), COACH, e.key, "done")
    store = default_store()
    acc = store.get(COACH.user) or store.add_user(COACH.user, Role.COACH, password="a long coach password",
                                                  professional_id="PR-COACH-1")
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    at.run()
    assert not at.exception
    said = " ".join(str(i.value) for i in at.info)
    assert "geen open signalen" in said and "Ook afgehandelde signalen tonen" in said, said
    next(x for x in at.toggle if x.label == "Ook afgehandelde signalen tonen").set_value(True).run()
    assert not at.info and "Nieuwe betrokkenheid" in " ".join(str(m.value) for m in at.markdown)
