"""The partner collaboration page in-process (Streamlit's AppTest), as the project lead reads its tables."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import app.accounts  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
from app.auth import default_store
from graph.db import Database
from ingest.loader import load_records
from queries.access import Role
from tests.integration.test_aggregates import records

PAGE = Path(__file__).resolve().parents[2] / "app" / "views" / "collaboration.py"


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


def _page_as_lead() -> AppTest:
    """The page as a project lead opens it (its first run done)."""
    store = default_store()
    acc = store.get("share-lead") or store.add_user("share-lead", Role.PROJECT_LEAD,
                                                    password="a long enough password for tests")
    at = AppTest.from_file(str(PAGE), default_timeout=180)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    at.run()
    return at


def test_a_share_of_no_advice_is_a_dash_not_hidden(loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # The period the page opens on (01-11-2007 – 31-10-2008) has a mandate and no advice under it (that comes on
    # 01-02-2009): 0 adopted of 0 advice is nothing to hide, and read "Deel overgenomen: x".
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    at = _page_as_lead()
    assert not at.exception and not at.error
    grid = next(d.value for d in at.dataframe if "Deel overgenomen" in d.value.columns)
    rows = [{c: str(v) for c, v in r.items()} for r in grid[["Adviezen", "Overgenomen", "Deel overgenomen"]]
            .to_dict("records")]
    assert rows and all(r == {"Adviezen": "0", "Overgenomen": "0", "Deel overgenomen": "–"} for r in rows), rows


def test_two_organisations_of_one_name_are_told_apart(loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two exports may name two organisations alike ("Wijkteam" twice, two branches of one foundation): the page
    # drew its charts with the name as label and raised (pandas: duplicate columns) — seen in CI, where a snapshot
    # kept from an earlier module left organisations without a name. Each is shown apart, by name and id.
    from queries import snapshot
    from tests.integration.test_aggregates import S

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    monkeypatch.setenv("WIJKNET_SNAPSHOT_MAX_AGE", "0")
    day = date(2008, 1, 1)
    extra: list[tuple[str, dict[str, Any]]] = [
        ("organisation", {"id": "OX", "name": "Organisatie OE", "sector": "zorg", "source": S}),
        *[("referral", {"id": f"RX{j}", "professional_id": "P-A", "organisation_id": "OX", "date": day,
                        "life_domain": "WONEN", "accepted_at": day + timedelta(days=3),
                        "started_at": day + timedelta(days=5 + j), "household_id": f"N{11 + j:02d}", "source": S})
          for j in range(5)]]
    load_records(loaded, extra)
    snapshot.forget()
    at = _page_as_lead()
    assert not at.exception and not at.error, at.exception[0].stack_trace if at.exception else at.error
    follow = next(d.value for d in at.dataframe if "Verwijzingen" in d.value.columns)
    assert {"Organisatie OE (OE)", "Organisatie OE (OX)"} <= set(map(str, follow.index)), follow.index


def _opened_grid(monkeypatch: pytest.MonkeyPatch, column: str) -> tuple[AppTest, Any]:
    """The page as the lead opens it, in Dutch, and its grid that has ``column``."""
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    at = _page_as_lead()
    assert not at.exception and not at.error
    return at, next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_ties_table_lists_the_largest_first_and_the_hidden_last_by_name(
        loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # In the order of the names a year's first rows were hidden ties ("Alifa – …: x") and the ties a lead looks
    # for stood below them: the largest come first, then those hidden (x), by name — never by their hidden size.
    _at, grid = _opened_grid(monkeypatch, "Naar")
    counts = [str(v) for v in grid["Aantal"]]
    shown = [int(v.replace(".", "")) for v in counts if v != "x"]
    assert shown and "x" in counts, counts  # the test's data has both
    assert counts == [str(v) for v in shown] + ["x"] * counts.count("x"), counts
    assert shown == sorted(shown, reverse=True)
    hidden = [(str(r["Van"]).casefold(), str(r["Naar"]).casefold()) for _, r in grid.iterrows() if str(r["Aantal"]) == "x"]
    assert hidden == sorted(hidden)


def test_without_a_broker_the_page_says_so_instead_of_a_chart_of_names_without_bars(
        loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # One tie of k or more (OA - OB, 15 households): no organisation lies between two others. The brokers' chart
    # drew twelve names without a bar, read as missing data: the page says there is no broker instead.
    at, table = _opened_grid(monkeypatch, "Tussenpositie")
    assert len(table) > 2 and {str(b) for b in table["Tussenpositie"]} <= {"0", "0,0", "0,000"}, table
    assert any("met deze band en keuzes is er geen makelaar" in str(i.value) for i in at.info), at.info
    assert not [c for c in at.get("plotly_chart") if "Tussenpositie" in c.proto.spec]
