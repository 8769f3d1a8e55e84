"""The lead's organisation map with a region's number of partners: every name readable, none drawn over another.

The walk saw, at 37 organisations, "Domijn", "DMO Werk & Bijstand" and "Leerplicht" on top of each other: the
ellipse gave each label the room of a 20-unit font, but the map was shown at a scale of about 0.4 with the font
enlarged to stay 12 px, so every label took twice its room. The map's shape and height now follow the number of
organisations (:func:`app.orgmap.orgmap_shape`). Measured as a person sees it: the labels' boxes on the screen,
from the drawn positions, scale and font (canvas ``measureText``), in a frame as wide as the page's column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from app.orgmap import orgmap_html

MAP_WIDTH = 1000  # px: the main column at 1440 px (app.orgmap.MAP_WIDTH)

WORDS = ("Zorggroep", "Stichting", "Wijkteam", "Jeugdzorg", "Verslavingszorg", "Werk & Bijstand", "Leerplicht",
         "Woningcorporatie", "Schuldhulp", "Maatschappelijk werk", "GGZ", "Veilig Thuis", "Reclassering")

BOXES = """() => {
  const n = window.orgmap.network, nodes = window.orgmap.nodes, scale = n.getScale();
  const ctx = document.createElement("canvas").getContext("2d");
  return nodes.get().map(d => {
    const px = d.font.size * scale, lines = String(d.label).split("\\n");
    ctx.font = px + "px arial";
    const w = Math.max(...lines.map(l => ctx.measureText(l).width));
    const p = n.canvasToDOM(n.getPositions([d.id])[d.id]);
    const top = p.y + (d.size || 12) * scale + 2;
    const r = (d.size || 12) * scale;
    return {id: d.id, x0: p.x - w / 2, x1: p.x + w / 2, y0: top, y1: top + lines.length * px * 1.15, px: px,
            dot: {x0: p.x - r, x1: p.x + r, y0: p.y - r, y1: p.y + r}};
  });
}"""


#: Names as long as the demo's longest, wrapped onto four lines.
LONG = ("Gemeente Enschede, RMC (Regionaal Meld- en Coördinatiepunt) {k}",
        "Openbaar Ministerie, Arrondissementsparket Almelo {k}")


def _nodes(n: int, long: int = 9) -> pd.DataFrame:
    """``n`` organisations in five groups, every ``long``-th name as long as the demo's longest."""
    names = [LONG[k % 2].format(k=k) if k % long == 4 % long else
             f"{WORDS[k % len(WORDS)]} {['Enschede', 'Twente', 'Oost', 'Velve-Lindenhof'][k % 4]} {k}"
             for k in range(n)]
    return pd.DataFrame({"name": names, "group": [f"groep {k % 5}" for k in range(n)],
                         "households": [10 + 7 * k for k in range(n)]}, index=[f"ORG-{k}" for k in range(n)])


@pytest.mark.parametrize(("n", "long"), [(12, 9), (37, 9), (60, 9), (8, 1), (16, 1)])
def test_no_organisation_name_is_drawn_over_another(browser: Any, tmp_path: Path, n: int, long: int) -> None:
    nodes = _nodes(n, long)
    edges = pd.DataFrame({"source": ["ORG-0"], "target": ["ORG-1"], "n": [12]})
    page = tmp_path / "map.html"
    page.write_text(orgmap_html(nodes, edges, color="group", colours={f"groep {k}": "#4e79a7" for k in range(5)},
                                size="households"), encoding="utf-8")
    ctx = browser.new_context(viewport={"width": MAP_WIDTH, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(page.as_uri())
        pg.wait_for_function("() => window.orgmap !== undefined", timeout=30_000)
        pg.wait_for_timeout(300)
        boxes = pg.evaluate(BOXES)
        assert len(boxes) == n
        assert min(b["px"] for b in boxes) >= 11.5  # the names are drawn at a readable size
        def meet(a: dict[str, float], b: dict[str, float]) -> bool:
            return a["x0"] < b["x1"] - 1 and b["x0"] < a["x1"] - 1 and a["y0"] < b["y1"] - 1 and b["y0"] < a["y1"] - 1

        over = [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:] if meet(a, b)]
        assert over == [], f"{len(over)} pairs of names overlap at {n} organisations: {over[:5]}"
        on_dots = [(a["id"], b["id"]) for a in boxes for b in boxes if a is not b and meet(a, b["dot"])]
        assert on_dots == [], f"{len(on_dots)} names lie on another organisation's dot: {on_dots[:5]}"
        # every name whole inside the map (the demo's lowest, "Reclassering Nederland, Arrondissement Almelo" on
        # four lines, lost its last line below the frame's edge at 1440 px)
        w, h = pg.evaluate("() => [document.getElementById('map').clientWidth, "
                           "document.getElementById('map').clientHeight]")
        cut = [(b["id"], [round(b[k]) for k in ("x0", "y0", "x1", "y1")]) for b in boxes
               if b["x0"] < 0 or b["y0"] < 0 or b["x1"] > w or b["y1"] > h]
        assert cut == [], f"names cut off by the map's edge ({w} x {h} px): {cut}"
        pg.screenshot(path=str(Path("tests/artifacts") / f"orgmap-{n}-organisations-{long}.png"), full_page=True)
    finally:
        ctx.close()
