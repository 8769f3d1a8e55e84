"""Fixtures of the in-process page tests (Streamlit's AppTest) on the coach page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import app.accounts  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
from app.auth import default_store
from graph.db import Database
from ingest.loader import load_records
from queries.access import Role
from tests.household_records import records

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "coach.py")


@pytest.fixture(scope="module")
def household_t1(db: Database, test_env: dict[str, str]) -> Database:
    load_records(db, records())
    return db


@pytest.fixture()
def coach_page(household_t1: Database, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    store = default_store()
    acc = store.get("scopecoach") or store.add_user("scopecoach", Role.COACH, password="a long coach password",
                                                    professional_id="PR-COACH-1")
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    at.query_params["household"] = "HH-T1"
    return at


@pytest.fixture()
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the page's download buttons would generate when clicked (AppTest has no runtime to register them)."""
    from streamlit.delta_generator import DeltaGenerator

    made: list[Any] = []
    monkeypatch.setattr(DeltaGenerator, "download_button", lambda self, label, data, **kw: made.append(data))
    return made
