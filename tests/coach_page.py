"""The coach's page in-process (Streamlit's AppTest), as a coach account opens a household."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from app.auth import default_store
from queries.access import Role

PAGE = str(Path(__file__).resolve().parents[1] / "app" / "views" / "coach.py")


def open_coach_page(user: str, household: str = "HH-T1") -> AppTest:
    """The coach's page as ``user`` (a coach account of PR-COACH-1, added when missing) opens ``household``; not
    run yet."""
    store = default_store()
    acc = store.get(user) or store.add_user(user, Role.COACH, password="a long coach password",
                                            professional_id="PR-COACH-1")
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    at.query_params["household"] = household
    return at
