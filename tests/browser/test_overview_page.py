"""The data steward's home page in a real browser at 1024 px: the areas table shows every column with its
numbers (a walk found the households with a coach cut off to the right, behind a scroll bar of the grid)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from graph.db import Database
from ingest.loader import load_records
from tests.browser.conftest import AppServer, Requests, open_session, wait_for_app
from tests.household_records import records


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


def test_the_areas_table_is_whole_at_1024_px(loaded: Database, app_server: AppServer,
                                             page: tuple[Any, Requests]) -> None:
    pg, _ = page
    pg.set_viewport_size({"width": 1024, "height": 900})
    open_session(pg, app_server, "datasteward")
    wait_for_app(pg)
    heading = pg.get_by_role("heading", name="Wijken")
    heading.wait_for(timeout=30_000)
    table = pg.locator('[data-testid="stTable"]').first
    table.wait_for(timeout=30_000)
    box = table.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1024
    # the day the coached households are counted on is said (they are those a coach holds then)
    header = table.get_by_text(re.compile(r"^Huishoudens met wijkcoach op \d{2}-\d{2}-\d{4}$"))
    assert header.is_visible()
    # every cell is drawn inside the table and the window: none is behind a scroll bar
    cells = table.locator("th, td")
    assert cells.count() >= 8
    for i in range(cells.count()):
        cell = cells.nth(i).bounding_box()
        assert cell is not None and cell["x"] + cell["width"] <= box["x"] + box["width"] + 1, cells.nth(i).inner_text()
    row = [c.strip() for c in table.locator("tr").filter(has_text="Velve-Lindenhof").inner_text().split("\t")]
    assert row == ["Velve-Lindenhof", "experimentwijk", "2", "2"]
    # what the database holds, drawn by Plotly with the Dutch locale: every label whole (the longest was cut off
    # as "scores participati…"), each bar's count beside it
    chart = pg.locator(".st-key-overview-holds")
    chart.locator(".main-svg").first.wait_for(timeout=30_000)
    labels = [x.strip() for x in chart.locator("g.ytick text").all_text_contents()]
    counts = [x.strip() for x in chart.locator("text.bartext").all_text_contents()]
    assert "scores participatieladder" in labels and not any(x.endswith("…") for x in labels), labels
    assert len(counts) == len(labels) and all(c.replace(".", "").isdigit() for c in counts), (labels, counts)
    pg.screenshot(type="png")  # read as a person reads it (tests/browser/conftest.py)


@pytest.mark.parametrize(("user", "links"), [
    ("projectleider", ["Meer op de pagina Aanmeldingen en caseload", "Meer op de pagina Overlappende casemanagers"]),
    ("beleid", ["Meer op de pagina Overlappende casemanagers"])])
def test_the_overview_s_figures_link_to_the_page_that_has_them_whole(loaded: Database, app_server: AppServer,
                                                                     page: tuple[Any, Requests], user: str,
                                                                     links: list[str]) -> None:
    """"Meer op de pagina Overlappende casemanagers." was a sentence: the page was to be found in the menu."""
    pg, _ = page
    open_session(pg, app_server, user)
    wait_for_app(pg)
    main = pg.get_by_test_id("stMain")
    found = main.get_by_test_id("stPageLink")
    found.last.wait_for(timeout=30_000)
    assert [t.strip().split("\n")[-1] for t in found.all_inner_texts()] == links
    found.last.click()
    wait_for_app(pg)
    pg.get_by_role("heading", name="Overlappende casemanagers", exact=True).wait_for(timeout=30_000)
    assert pg.url.split("?")[0].endswith("/overlap"), pg.url
