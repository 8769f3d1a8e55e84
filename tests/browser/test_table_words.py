"""The aggregate pages' tables keep every word of a name whole, at 1024 px and at 1440 px. A walk of 06-12-2026 read
"SMD Enschede-Haaksber gen" in the project lead's table of brokers at 1440 px: the names' column had the width
fitted for the narrowest page, and the grid pins its index, so it never grew while the counts took the room.

Measured as drawn: the grid paints on a canvas, so the columns' borders are found in a screenshot of the grid (a
vertical line through the whole heading row) and the longest word is measured in the grid's font."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.browser.conftest import ROOT, _free_port, wait_for_app

#: the table of brokers as the demo has it (names with one long word), and a table that fits a narrow page
NAMES = ["SMD Enschede-Haaksbergen", "Wijkcoaches Velve-Lindenhof (gemeente Enschede)", "Mediant",
         "Tactus Instelling voor Verslavingszorg", "Stichting Maatschappelijke Dienstverlening Twente"]
LONGEST = max((w for n in NAMES for w in n.split()), key=len)

SCRIPT = textwrap.dedent(f"""
    import pandas as pd
    import streamlit as st

    from app.aggregate_widgets import data_table

    st.set_page_config(layout="wide")
    names = pd.Index({NAMES!r}, name="Naam")
    brokers = pd.DataFrame({{"Sector": ["maatschappelijk werk", "gemeente", "geestelijke gezondheidszorg",
                                       "verslavingszorg", "maatschappelijk werk"],
                            "Huishoudens": [125, 67, 69, 64, 12], "Graad": [15, 4, 8, 6, 2],
                            "Sterkte": [278, 67, 128, 110, 14], "Tussenpositie": ["0,13", "0,03", "0,03", "0,02", "0"]}},
                           index=names)
    data_table(brokers, key="brokers")
    data_table(pd.DataFrame({{"Huishoudens": [125, 67, 69, 64, 12], "Graad": [15, 4, 8, 6, 2],
                             "Sterkte": [278, 67, 128, 110, 14]}}, index=names), key="served")
    st.markdown("<div style='height: 2400px'></div>", unsafe_allow_html=True)  # below the fold, as on the pages
    many = pd.Index([*names, *(f"Organisatie {{i}}" for i in range(20))], name="Naam")  # a region's partners
    data_table(pd.DataFrame({{"Cluster": [f"cluster {{i % 4 + 1}}" for i in range(len(many))]}}, index=many),
               key="clusters")
""")

#: x of every vertical line that runs through the whole heading row of the grid's screenshot
BORDERS_Y = range(4, 30)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("tables")
    (work / "tables.py").write_text(SCRIPT, encoding="utf-8")
    port = _free_port()
    with open(work / "streamlit.log", "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(work / "tables.py"),
                                 "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port",
                                 str(port), "--browser.gatherUsageStats", "false"],
                                cwd=ROOT, env={"PYTHONPATH": str(ROOT), **_env()}, stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _columns(pg: Any, grid: Any) -> list[int]:
    """The drawn widths of the grid's columns, left to right (from its borders in a screenshot)."""
    from PIL import Image

    shot = Image.open(io.BytesIO(grid.screenshot())).convert("RGB")
    row = [shot.getpixel((x, 15)) for x in range(shot.width)]
    background = max(set(row), key=row.count)
    borders = [x for x in range(shot.width) if all(shot.getpixel((x, y)) != background for y in BORDERS_Y)]
    lines = [x for i, x in enumerate(borders) if i == 0 or x - borders[i - 1] > 2]  # a line may be 2 px wide
    return [b - a for a, b in zip(lines, lines[1:], strict=False)]


def _word_width(pg: Any, word: str) -> float:
    """``word``'s (or a text's) width in the grid's font (the grid draws in the app's font at 14 px)."""
    return float(pg.evaluate("""w => { const c = document.createElement('canvas').getContext('2d');
        c.font = '14px ' + getComputedStyle(document.querySelector('[data-testid="stApp"]')).fontFamily;
        return c.measureText(w).width; }""", word))


@contextmanager
def _page(browser: Any, tables: str, window: int) -> Iterator[Any]:
    """The tables' page in a window ``window`` px wide, every grid drawn."""
    ctx = browser.new_context(viewport={"width": window, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(tables)
        pg.get_by_test_id("stDataFrame").nth(2).wait_for(timeout=60_000, state="attached")
        wait_for_app(pg)
        pg.wait_for_timeout(500)
        yield pg
    finally:
        ctx.close()


def _grid(pg: Any, n: int) -> list[int]:
    grid = pg.get_by_test_id("stDataFrame").nth(n)
    grid.scroll_into_view_if_needed()
    pg.wait_for_timeout(300)
    return _columns(pg, grid)


@pytest.mark.parametrize("window", [1024, 1440])
def test_no_name_is_broken_mid_word(browser: Any, tables: str, window: int) -> None:
    with _page(browser, tables, window) as pg:
        word = _word_width(pg, LONGEST)
        assert 100 < word < 200, word  # the font measured is a text font at 14 px
        brokers = _grid(pg, 0)
        assert len(brokers) >= 5, brokers
        # the names' column holds its longest word with the cell's padding (8 px a side); it was 140 px
        assert brokers[0] >= word + 16, (brokers, word)
        served = _grid(pg, 1)
        assert served[0] >= word + 16, (served, word)


@pytest.mark.parametrize("window", [1024, 1440])
def test_a_table_that_fits_shows_every_name_whole(browser: Any, tables: str, window: int) -> None:
    """The organisations' clusters on the handover page (names and a cluster, narrower than the page) cut the
    longest names off ("Wijkcoaches Velve-Lindenhof (gemee") on the demo at 1440 px: the grid sized its index by
    itself, to 223 px. (This page's grid sized it whole even before; the demo's did not: the names now get the width
    they need from the app, not from the grid's own measuring.)"""
    with _page(browser, tables, window) as pg:
        longest = max(_word_width(pg, n) for n in NAMES)
        clusters = _grid(pg, 2)
        assert clusters[0] >= longest + 16, (clusters, longest)


def test_names_that_fit_get_the_room_of_a_wide_page(browser: Any, tables: str) -> None:
    """A table whose columns fit the narrow page draws its names as a column that grows with the page (the pinned
    index kept the narrow width at 1440 px and wrapped every name into lines)."""
    widths = {}
    for window in (1024, 1440):
        with _page(browser, tables, window) as pg:
            widths[window] = _grid(pg, 1)
    assert widths[1440][0] > widths[1024][0] + 100, widths
