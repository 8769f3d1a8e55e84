"""The project lead's inbox says what a threshold signal is: the households over a threshold on the day of the
last matched load (the date on every card), derived again on each read. It said a threshold signal arises on the
day a household crosses the threshold and stays until dealt with — neither is so: its date is that day, whenever
the line was crossed, and a household below the threshold that day has none, dealt with or not (an outside review
of the signals, 2026-12-05; docs/signals.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from app.auth import default_store
from graph.db import Database
from ingest.loader import load_records
from ingest.matching import match_involvements
from queries.access import Role
from tests.household_records import SRC, records

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "inbox.py")
MATCHED = date(2009, 1, 10)  # the day of the last matched load: the lead's thresholds are read on it


def test_the_lead_is_told_the_day_the_thresholds_are_read_on(household_t1: Database) -> None:
    load_records(household_t1, [*records(), (
        "involvement", {"id": "I30", "professional_id": "P15", "organisation_id": "O-LEER",
                        "life_domain": "ONDERWIJS_OPVOEDING", "role": "casemanager", "since": MATCHED, "until": None,
                        "person_ids": ["S"], "household_id": None, "source": SRC})])
    match_involvements(household_t1, ["I30"], MATCHED)
    store = default_store()
    acc = store.get("inboxlead") or store.add_user("inboxlead", Role.PROJECT_LEAD, password="a long lead password")
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    at.run()
    assert not at.exception
    page = " ".join(str(x.value) for x in [*at.caption, *at.markdown])
    # the card's date is the day the household went over the threshold (as its page shows), not the day read on
    assert "Veel casemanagers** · huishouden HH-T1 — 01-02-2008" in page, page
    captions = " ".join(str(c.value) for c in at.caption)
    assert "10-01-2009" in captions and "blijft staan tot het is afgehandeld" not in captions, captions
