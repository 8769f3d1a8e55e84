"""A half-filled form of the coach's workspace when the coach opens another household (Streamlit's AppTest): the
other household's forms start empty — the grandmother typed for one household was on the next one's form, one
click from being recorded there."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from graph.db import Database
from ingest.loader import load_records
from tests.coach_page import open_coach_page
from tests.household_records import INTAKE, SRC, records
from tests.shown import as_read


@pytest.fixture(scope="module")
def two_households(db: Database, test_env: dict[str, str]) -> Database:
    load_records(db, records() + [("caseload", {"professional_id": "PR-COACH-1", "household_id": "HH-T2",
                                                "since": INTAKE, "source": SRC})])
    return db


@pytest.fixture()
def first_household(two_households: Database, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The coach's page as the coach of both opens it on HH-T1 (not run yet)."""
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    return open_coach_page("twocoach")


def _input(at: AppTest, label: str) -> Any:
    return next(x for x in at.text_input if x.label == label)


def test_another_household_opens_with_empty_forms(first_household: AppTest) -> None:
    at = first_household
    at.session_state["ws_open"] = True  # the workspace panel opened
    at.run()
    _input(at, "Naam *").input("Oma Bep")
    _input(at, "Relatie *").input("oma van Frank").run()  # typed for HH-T1, not saved
    at.query_params["household"] = "HH-T2"  # the coach opens another household (a link, the finder)
    at.run()
    assert not at.exception
    assert "Lindenhofstraat" in " ".join(str(s.value) for s in at.subheader)
    assert (_input(at, "Naam *").value, _input(at, "Relatie *").value) == ("", "")


def test_another_household_opens_without_the_last_ones_date_refusal(first_household: AppTest) -> None:
    at = first_household
    at.run()
    _input(at, "Datum").input("31-02-2009").run()
    assert any("31-02-2009" in as_read(str(e.value)) for e in at.error)
    at.query_params["household"] = "HH-T2"
    at.run()
    assert not at.exception
    assert not any("31-02-2009" in as_read(str(e.value)) for e in at.error), [e.value for e in at.error]
    assert _input(at, "Datum").value != "31-02-2009"
