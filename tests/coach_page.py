"""App pages in-process (Streamlit's AppTest), as a signed-in account opens them."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from app.auth import default_store
from queries.access import Role

VIEWS = Path(__file__).resolve().parents[1] / "app" / "views"
PAGE = str(VIEWS / "coach.py")


def open_page(view: str, user: str, role: Role, *, professional_id: str | None = None,
              password: str = "a long enough password for tests", timeout: float = 120, home: bool = False) -> AppTest:
    """The page ``app/views/<view>.py`` as ``user`` of ``role`` (the account added when missing), signed in through
    the session store as the browser's cookie would be; not run yet. ``home``: the app as the browser runs it
    (``app/Home.py``, its navigation, on the role's first page, which ``view`` then must be): a page that links to
    another with ``st.page_link`` raises when run alone."""
    store = default_store()
    acc = store.get(user) or store.add_user(user, role, password=password, professional_id=professional_id)
    at = AppTest.from_file(str(VIEWS.parent / "Home.py" if home else VIEWS / f"{view}.py"), default_timeout=timeout)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    return at


def open_coach_page(user: str, household: str = "HH-T1") -> AppTest:
    """The coach's page as ``user`` (a coach account of PR-COACH-1, added when missing) opens ``household``; not
    run yet."""
    at = open_page("coach", user, Role.COACH, professional_id="PR-COACH-1", password="a long coach password")
    at.query_params["household"] = household
    at.query_params["doel"] = "home_visit_preparation"  # a link states its purpose (else the page asks for one)
    return at
