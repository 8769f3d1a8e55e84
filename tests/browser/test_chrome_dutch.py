"""The words Streamlit and Plotly draw around our pages read Dutch (app/chrome_nl.py), in a real browser: the hint
under a form's text field, the data grid's toolbar, the chart's toolbar and its numbers, the sidebar's button.

The walk over every page (test_pages_i18n.py) reads the chrome on every page at rest too
(:func:`tests.browser.reading.english_chrome`); here the states a person reaches by typing and hovering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.db import Database
from ingest.loader import load_records
from tests.browser.conftest import AppServer, Requests, open_session, wait_for_app
from tests.browser.reading import english_chrome
from tests.integration.test_aggregates import records


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


def _labels(pg: Any, selector: str) -> list[str]:
    """The tooltips (title, aria-label, Plotly's data-title) of the elements ``selector`` matches."""
    return list(pg.evaluate("""(sel) => Array.from(document.querySelectorAll(sel)).map(
        e => e.getAttribute("data-title") || e.getAttribute("aria-label") || e.getAttribute("title") || "")""",
                            selector))


def test_the_sign_in_forms_hint_reads_dutch(app_server: AppServer, page: tuple[Any, Requests]) -> None:
    pg, _ = page
    pg.goto(app_server.url)
    wait_for_app(pg)
    field = pg.get_by_label("Gebruikersnaam", exact=True)
    field.press_sequentially("coach1")
    hint = pg.get_by_test_id("InputInstructions").first
    hint.wait_for(timeout=15_000)
    assert hint.inner_text().strip() == "Druk op Enter om het formulier te versturen"
    assert english_chrome(pg) == []


def test_charts_and_tables_read_dutch(loaded: Database, app_server: AppServer, page: tuple[Any, Requests],
                                      artifacts: Path) -> None:
    pg, reqs = page
    open_session(pg, app_server, "beleid", path="overlap")
    chart = pg.locator('[data-testid="stPlotlyChart"]').first
    chart.wait_for(timeout=60_000)
    wait_for_app(pg, timeout=60_000)

    # The chart's toolbar: Plotly's Dutch locale.
    chart.hover()
    pg.locator(".modebar-btn").first.wait_for(state="attached", timeout=15_000)
    tools = _labels(pg, ".modebar-btn")
    assert "Grafiek downloaden als PNG" in tools, tools
    assert not {"Download plot as a png", "Zoom in", "Reset axes", "Autoscale"} & set(tools), tools

    # The data grid's toolbar, shown when the pointer is over the table.
    grid = pg.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    grid.hover()
    toolbar = pg.locator('[data-testid="stElementToolbar"]').first
    toolbar.wait_for(timeout=15_000)
    pg.wait_for_timeout(300)  # its buttons fade in
    buttons = _labels(pg, '[data-testid="stElementToolbar"] button')
    assert {"Downloaden als CSV", "Zoeken", "Volledig scherm"} <= set(buttons), buttons
    pg.screenshot(path=str(artifacts / "chrome-dutch-grid-toolbar.png"))  # read by the page fixture, too

    # The sidebar's own button.
    sidebar = _labels(pg, '[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarHeader"] button')
    assert "Zijbalk inklappen" in sidebar or not sidebar, sidebar

    assert english_chrome(pg) == []
    assert all(u.startswith(app_server.url) or u.startswith(("data:", "blob:")) for u in reqs.urls), reqs.urls


def test_the_skip_link_and_the_selects_announcement_read_dutch(app_server: AppServer,
                                                                 page: tuple[Any, Requests]) -> None:
    """What a keyboard or screen-reader user meets first: the link to skip to the page's content (the first Tab of
    every page), and the count of options a select announces when it opens."""
    pg, _ = page
    open_session(pg, app_server, "projectleider", path="intake")
    skip = pg.locator("a[href^='#']").first
    pg.wait_for_function("() => !document.body.innerText.includes('Skip to main content')", timeout=15_000)
    assert skip.inner_text().strip() == "Naar de inhoud"
    box = pg.get_by_test_id("stSelectbox").filter(has_text="Kanaal").first
    box.scroll_into_view_if_needed()
    box.click()
    pg.get_by_role("option").first.wait_for(timeout=10_000)
    pg.wait_for_timeout(300)
    said = pg.evaluate("() => Array.from(document.querySelectorAll('[aria-live]')).map(e => e.innerText).join(' ')")
    assert "available" not in said and "options" not in said, said
    assert "opties beschikbaar" in said, said  # the announcement is there, in Dutch
    pg.keyboard.press("Escape")
