"""The policymaker's matrix of organisation pairs with a region's number of partners, drawn as wide as the
overlap page's column at 1024 px and at 1440 px: every row named, no column's label over another, the hidden
cells' x marks readable. A walk of 06-12-2026 saw at 36 organisations their names stood on end below the matrix
in one heap, and the names beside the rows left the matrix 130 px of a 1024 px window, its x marks shrunk to
dots. Measured as drawn: the labels' boxes on the screen, the font of the marks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from app.aggregate_widgets import pair_heatmap
from tests.browser.test_figure_labels import OUTSIDE_SVG
from tests.browser.test_orgmap_labels import LONG, WORDS

#: the main column's width at a 1024 px and a 1440 px window (the sidebar open)
COLUMNS = (564, 980)

BOXES = """sel => [...document.querySelectorAll(sel)].map(t => {
  const b = t.getBoundingClientRect();
  return {text: t.textContent, x0: b.left, x1: b.right, y0: b.top, y1: b.bottom,
          size: parseFloat(getComputedStyle(t).fontSize)};
}).filter(b => b.text.trim() && b.x1 > b.x0)"""


def _matrix(n: int) -> pd.DataFrame:
    names = [LONG[k % 2].format(k=k) if k % 9 == 4 else
             f"{WORDS[k % len(WORDS)]} {['Enschede', 'Twente', 'Oost', 'Velve-Lindenhof'][k % 4]} {k}"
             for k in range(n)]
    pm = pd.DataFrame([[(7 * i + 3 * j) % 40 for j in range(n)] for i in range(n)], index=names, columns=names,
                      dtype="Int64")
    for i in range(n):
        for j in range(n):
            if 0 < int(pm.iat[i, j]) < 10:
                pm.iat[i, j] = pd.NA  # hidden, as below k
    return pm


def _overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 and a["y0"] < b["y1"] - 0.5
            and b["y0"] < a["y1"] - 0.5]


@pytest.mark.parametrize("width", COLUMNS)
@pytest.mark.parametrize("n", [6, 37])
def test_every_organisation_is_named_and_no_label_lies_over_another(browser: Any, tmp_path: Path, width: int,
                                                                    n: int) -> None:
    pm = _matrix(n)
    page = tmp_path / "pairs.html"
    page.write_text(pair_heatmap(pm).to_html(include_plotlyjs=True, full_html=True, default_width=f"{width}px",
                                             config={"displayModeBar": False}), encoding="utf-8")
    ctx = browser.new_context(viewport={"width": width + 40, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(page.as_uri())
        pg.locator(".ytick text").first.wait_for(timeout=30_000)
        rows = pg.evaluate(BOXES, ".ytick text")
        columns = pg.evaluate(BOXES, ".xtick text")
        marks = pg.evaluate(BOXES, ".heatmap-label text")
        pg.screenshot(path=str(Path("tests/artifacts") / f"pair-matrix-{n}-at-{width}.png"), full_page=True)
        # every organisation named beside its row, each name apart from the next
        assert len(rows) == n, [r["text"] for r in rows]
        assert _overlapping(rows) == []
        # the columns' labels side by side, none over another (plotly leaves some out where they do not fit),
        # at least every other one drawn
        assert _overlapping(columns) == [], _overlapping(columns)[:5]
        assert len(columns) >= n // 2, [c["text"] for c in columns]
        assert min(c["size"] for c in columns + rows) >= 10
        # every label inside the figure
        assert pg.evaluate(OUTSIDE_SVG, ".xtick text, .ytick text") == []
        # a hidden cell reads x, large enough to see
        hidden = int(pm.isna().to_numpy().sum())
        assert sum(1 for m in marks if m["text"] == "x") == hidden
        assert min(m["size"] for m in marks if m["text"] == "x") >= 10
    finally:
        ctx.close()
