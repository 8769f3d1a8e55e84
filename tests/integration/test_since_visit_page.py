""""Sinds u dit huishouden het laatst opende" on the coach's page (Streamlit's AppTest) while the coach works on the household: the
box keeps saying what changed since the open before this one, also after the page read the household again
(a save in the workspace re-reads it, which is an open of its own in the audit log)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from streamlit.testing.v1 import AppTest

from app.state import get_audit
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.household import household_view
from queries.workspace import workspace
from tests.household_records import SRC

COACH = Actor("scopecoach", Role.COACH, "Wijkcoaches", "PR-COACH-1")


def _box(at: AppTest) -> str:
    return " ".join(str(m.value) for m in at.markdown if "Sinds u dit huishouden het laatst opende" in str(m.value)
                    or "Nieuw betrokken" in str(m.value))


def _input(at: AppTest, label: str) -> Any:
    return next(x for x in [*at.text_input, *at.text_area] if x.label == label)


def _to_the_millisecond(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="milliseconds")


def test_the_changes_since_the_last_visit_stay_after_a_save_in_the_workspace(
        coach_page: AppTest, household_t1: Database, monkeypatch: Any) -> None:
    # The box names the open it counts from to the minute (app.dates.dmy_time, tested there); here to the
    # millisecond, so the visit and this page's own opens, a few seconds apart, read differently without waiting
    # for the next minute. Which open the box counts from is the product's choice under test.
    monkeypatch.setattr("app.since_visit.dmy_time", _to_the_millisecond)
    household_view(household_t1, get_audit(), COACH, "HH-T1")  # the coach's last visit
    visit = [r for r in get_audit().records(target="HH-T1") if r.user == COACH.user][-1]
    before = _to_the_millisecond(datetime.fromisoformat(visit.at))
    load_records(household_t1, [("involvement", {
        "id": "I43", "professional_id": "P15", "organisation_id": "O-LEER", "life_domain": "ONDERWIJS_OPVOEDING",
        "role": "casemanager", "since": dutch_today(), "until": None, "person_ids": ["S"], "household_id": None,
        "source": SRC})])
    at = coach_page
    at.session_state["ws_open"] = True  # the workspace panel opened
    at.run()
    assert not at.exception
    box = _box(at)
    assert f"({before})" in box and "Nieuw betrokken" in box, box
    # the coach records the grandmother; the page reads the household again
    _input(at, "Naam *").input("Oma Trui")
    _input(at, "Relatie *").input("oma")
    _input(at, "Sinds *").input(f"{dutch_today():%d-%m-%Y}")
    next(b for b in at.button if b.label == "Vastleggen").click().run()
    assert not at.exception
    names = [f.values.get("name") for f in workspace(household_t1, get_audit(), COACH, "HH-T1").of("client_system")]
    assert "Oma Trui" in names, [str(e.value) for e in at.error]
    opens = [r for r in get_audit().records(target="HH-T1") if r.user == COACH.user and r.action == "view_household"]
    assert len(opens) >= 3, opens  # the visit, the page's open, its read after the save
    after = _box(at)
    assert f"({before})" in after and "Nieuw betrokken" in after, after
