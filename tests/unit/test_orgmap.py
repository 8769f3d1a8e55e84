"""The project lead's organisation map page: full names, width by count, nothing below k drawn, nothing loaded
from another host, the same map for the same input."""

from __future__ import annotations

import doctest
import json
import re

import pandas as pd
import pytest

import app.orgmap
from app.orgmap import category_colours, orgmap_html, orgmap_layout


def _data() -> tuple[pd.DataFrame, pd.DataFrame]:
    nodes = pd.DataFrame({"name": ["Gemeente Enschede, DMO Werk & Bijstand", "Mediant GGZ", "Tactus"],
                          "group": ["gemeente", "zorg", "zorg"], "households": [40, 20, None]},
                         index=["O1", "O2", "O3"])
    edges = pd.DataFrame({"source": ["O1", "O1", "O2"], "target": ["O2", "O3", "O3"], "n": [30, 10, None]})
    return nodes, edges


def _json(page: str, name: str) -> list[dict[str, object]]:
    m = re.search(r"new vis\.DataSet\((\[.*?\])\), edges" if name == "nodes" else
                  r"edges = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    assert m
    return list(json.loads(m.group(1)))


def test_full_names_width_by_count_and_no_suppressed_tie() -> None:
    nodes, edges = _data()
    page = orgmap_html(nodes, edges, color="group", colours=category_colours(["gemeente", "zorg"]),
                       size="households")
    drawn = _json(page, "nodes")
    assert [str(n["label"]).replace("\n", " ") for n in drawn] == list(nodes["name"])  # never cut
    ties = {(e["from"], e["to"]): e for e in _json(page, "edges")}
    assert set(ties) == {("O1", "O2"), ("O1", "O3")}  # the suppressed O2–O3 tie is not in the page
    assert float(ties[("O1", "O2")]["width"]) > float(ties[("O1", "O3")]["width"])  # type: ignore[arg-type]
    assert 'max="30"' in page  # the threshold slider runs to the largest tie
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert page == orgmap_html(nodes, edges, color="group", colours=category_colours(["gemeente", "zorg"]),
                               size="households")


def test_layout_groups_by_colour_and_is_stable() -> None:
    nodes, _ = _data()
    a = orgmap_layout(nodes, "group")
    assert a == orgmap_layout(nodes.iloc[::-1], "group")
    assert set(a) == {"O1", "O2", "O3"}


def test_docstring_examples() -> None:
    result = doctest.testmod(app.orgmap)
    assert result.attempted == 1 and result.failed == 0


def test_many_ties_open_on_the_strongest_and_the_slider_starts_at_the_smallest_drawn() -> None:
    """37 organisations with every tie drawn were a tangle (walk17): the map opens on the strongest MAX_TIES ties,
    and the slider goes no lower than the smallest tie drawn (ties under k are never in the page)."""
    from app.orgmap import MAX_TIES

    ids = [f"O{i}" for i in range(20)]
    nodes = pd.DataFrame({"name": [f"Organisatie {i}" for i in range(20)], "group": ["zorg"] * 20}, index=ids)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]  # 190 ties, counts 10..199
    edges = pd.DataFrame({"source": [a for a, _ in pairs], "target": [b for _, b in pairs],
                          "n": [10 + i for i in range(len(pairs))]})
    page = orgmap_html(nodes, edges, color="group", colours=category_colours(["zorg"]))
    start = sorted(edges["n"], reverse=True)[MAX_TIES - 1]
    assert f'min="10" max="199" value="{start}"' in page
    assert f'<b id="threshold-value">{start}</b>' in page
    assert f"eerst de {MAX_TIES} sterkste banden" in page
    few = orgmap_html(nodes, edges.head(5), color="group", colours=category_colours(["zorg"]))
    assert 'min="10" max="14" value="10"' in few and "sterkste" not in few  # few ties: all of them


def _tools_text(page: str) -> list[str]:
    """What the line above the map reads (its tags left out)."""
    m = re.search(r'<div id="tools">(.*?)</div>', page, re.S)
    assert m
    return re.sub(r"<[^>]+>", " ", m.group(1)).split()


def test_a_map_with_no_tie_to_draw_says_so_instead_of_a_slider(monkeypatch: pytest.MonkeyPatch) -> None:
    """The handover maps of 2012 read "Toon banden vanaf 1 (grootste band: 1)" over 38 dots and no line: every pair
    was below k = 10 and hidden."""
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    nodes, edges = _data()
    colours = category_colours(["gemeente", "zorg"])
    hidden = orgmap_html(nodes, edges.assign(n=None), color="group", colours=colours, k=10)
    assert " ".join(_tools_text(hidden)) == ("Geen enkele band haalt in dit jaar k = 10, dus de kaart toont geen "
                                             "lijnen: kies een ander jaar, een grotere wijk of alle leefgebieden.")
    none = orgmap_html(nodes, edges.head(0), color="group", colours=colours, k=10)
    assert " ".join(_tools_text(none)) == ("In deze periode zijn er geen banden van deze soort, dus de kaart toont "
                                           "geen lijnen.")
    some = " ".join(_tools_text(orgmap_html(nodes, edges, color="group", colours=colours, k=10)))
    assert some.startswith("Toon banden vanaf 10 (grootste band: 30)")  # the largest tie drawn
