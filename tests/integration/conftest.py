"""Fixtures of the in-process page tests (Streamlit's AppTest) on the coach page."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import app.accounts  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
from graph.db import Database
from ingest.loader import load_records
from tests.coach_page import open_coach_page
from tests.household_records import records


@pytest.fixture(scope="module")
def household_t1(db: Database, test_env: dict[str, str]) -> Database:
    load_records(db, records())
    return db


@pytest.fixture()
def coach_page(household_t1: Database, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    return open_coach_page("scopecoach")


@pytest.fixture()
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the page's download buttons would generate when clicked (AppTest has no runtime to register them)."""
    from streamlit.delta_generator import DeltaGenerator

    made: list[Any] = []
    monkeypatch.setattr(DeltaGenerator, "download_button", lambda self, label, data, **kw: made.append(data))
    return made
