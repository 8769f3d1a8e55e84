"""The project lead's filters in a real browser: a mistyped date is refused with one sentence and the other
filters keep what the person chose (Streamlit forgets a widget a run did not draw: a page that stopped at the
date field put the band, the area and the life domain back at their defaults, under a heading of the old band)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from graph.db import Database
from ingest.loader import load_records
from tests.browser.conftest import AppServer, Requests, choose, open_session, selected, wait_for_app
from tests.integration.test_aggregates import records


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


def _open(pg: Any, app: AppServer, path: str) -> None:
    open_session(pg, app, "projectleider", None)
    pg.goto(f"{app.url}/{path}")
    wait_for_app(pg, timeout=90_000)
    # the figures are counted (the map is drawn): a page still counting reruns by itself, and a run of its own could
    # overtake what the test types
    pg.wait_for_selector('iframe[title^="Kaart: "]', timeout=120_000)
    wait_for_app(pg, timeout=60_000)


def _shown(pg: Any, label: str) -> str:
    """What the select labelled ``label`` shows as its value."""
    box = pg.get_by_test_id("stSelectbox").filter(has_text=label)
    if not box.count():  # not drawn
        return ""
    return selected(box.first)


def _type(pg: Any, label: str, text: str) -> None:
    field = pg.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Enter")
    wait_for_app(pg, timeout=60_000)


def _errors(pg: Any, expected: list[str] | None = None, timeout_s: float = 20.0) -> list[str]:
    """The error sentences the page shows (without the name of their icon): once they are ``expected``, or what
    they are after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        said = [str(s).strip().splitlines()[-1]
                for s in pg.locator('[data-testid="stAlertContentError"]').all_inner_texts()]
        if expected is None or said == expected or time.monotonic() > deadline:
            return said
        pg.wait_for_timeout(200)


@pytest.mark.parametrize(("path", "chosen"), [
    ("collaboration", {"Band": "Gezamenlijke overleggen", "Wijk": "Nieuwe Velve (experimentwijk)"}),
    ("handovers", {"Wijk": "Nieuwe Velve (experimentwijk)", "Leefgebied": "wonen"}),
])
def test_another_year_keeps_the_other_filters(loaded: Database, app_server: AppServer, page: tuple[Any, Requests],
                                              path: str, chosen: dict[str, str]) -> None:
    """The figures are counted per calendar year (two periods that overlap gave away each other's hidden cells): the
    year is one choice among the data's years, the latest first, and choosing another keeps every other filter."""
    pg, _reqs = page
    _open(pg, app_server, path)
    for label, option in chosen.items():
        choose(pg, label, option)
    assert {label: _shown(pg, label) for label in chosen} == chosen
    assert _shown(pg, "Jaar") == "2008"  # the data end on 31-10-2008
    choose(pg, "Jaar", "2006")
    assert _errors(pg, []) == []
    assert {label: _shown(pg, label) for label in chosen} == {**chosen}
    assert _shown(pg, "Jaar") == "2006" and "jaar=2006" in pg.url
    if path == "collaboration":  # the map's heading names the band chosen
        assert pg.get_by_text("Kaart van organisaties: gezamenlijke overleggen").count() == 1


def _map_tools(pg: Any) -> str:
    """The line above the organisation map (in its own sandboxed frame) as the person reads it."""
    sel = 'iframe[title^="Kaart: "]'
    pg.wait_for_selector(sel, timeout=120_000)
    tools = pg.frame_locator(sel).frame_locator("iframe").locator("#tools")
    tools.wait_for(timeout=30_000)
    return " ".join(str(tools.inner_text()).split())


@pytest.mark.parametrize(("path", "band"), [("handovers", None), ("collaboration", "Overdrachten (gericht)")])
def test_a_map_without_a_tie_at_k_says_so(loaded: Database, app_server: AppServer, page: tuple[Any, Requests],
                                          path: str, band: str | None) -> None:
    pg, _reqs = page
    _open(pg, app_server, path)
    if band:
        choose(pg, "Band", band)
        pg.get_by_text(f"Kaart van organisaties: {band.lower()}").wait_for(timeout=30_000)
    # the year the pages open on (2008) has 5 handovers, every pair of them below k = 10
    assert _map_tools(pg) == ("Geen enkele band haalt in dit jaar k = 10, dus de kaart toont geen lijnen: kies een "
                              "ander jaar, een grotere wijk of alle leefgebieden.")


