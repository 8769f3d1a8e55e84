"""The coach page in-process (Streamlit's AppTest) when the project lead moves the open household to another
coach: the next run shows nothing of it (the refusal, audited), and a brief generated after the move is
refused (audited), not served from what the session still holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import app.accounts  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
from app.auth import default_store
from graph.db import Database
from graph.errors import AccessDenied
from ingest.intake import move_caseload
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.audit import default_audit_log
from tests.household_records import records

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "coach.py")
LEAD = Actor("scopelead", Role.PROJECT_LEAD, "Gemeente")
REFUSAL = "U bent niet aan dit huishouden toegewezen"


@pytest.fixture(scope="module")
def loaded(db: Database, test_env: dict[str, str]) -> Database:
    load_records(db, records())
    return db


@pytest.fixture()
def page(loaded: Database, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    store = default_store()
    acc = store.get("scopecoach") or store.add_user("scopecoach", Role.COACH, password="a long coach password",
                                                    professional_id="PR-COACH-1")
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    at.query_params["household"] = "HH-T1"
    return at


def _shown(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("subheader", "caption", "markdown", "warning", "error")
                    for e in getattr(at, kind))


def _records() -> list[tuple[str, str, str]]:
    return [(r.action, r.result, r.detail) for r in default_audit_log().records(target="HH-T1")
            if r.user == "scopecoach"]


@pytest.fixture()
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the page's download buttons would generate when clicked (AppTest has no runtime to register them)."""
    from streamlit.delta_generator import DeltaGenerator

    made: list[Any] = []
    monkeypatch.setattr(DeltaGenerator, "download_button", lambda self, label, data, **kw: made.append(data))
    return made


def test_a_household_moved_to_another_coach_is_not_shown_again_nor_its_brief_served(
        page: AppTest, loaded: Database, downloads: list[Any]) -> None:
    at = page.run()
    assert not at.exception
    assert "Velveweg 12" in _shown(at)
    at.segmented_control[0].set_value("brief").run()
    assert not at.exception
    assert len(downloads) == 2 and "<html" in downloads[0]()[:200].lower()  # a brief, served while in scope
    before = len(_records())

    move_caseload(loaded, default_audit_log(), LEAD, "PR-COACH-1", "PR-COACH-2", date.today(),
                  household_ids=["HH-T1"])
    for make in list(downloads):  # the buttons of the run before the move, clicked after it
        with pytest.raises(AccessDenied):
            make()
    at.run()  # the coach moves the slider, or anything else
    assert not at.exception
    shown = _shown(at)
    assert REFUSAL in shown
    assert "Velveweg" not in shown and "7513 AB" not in shown and not at.slider
    assert _records()[before:] == [("download_brief", "denied", "not in caseload"),
                                   ("download_brief", "denied", "not in caseload"),
                                   ("view_household", "denied", "not in caseload")]
    at.run()
    assert "Velveweg" not in _shown(at)
