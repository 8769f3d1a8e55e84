"""The eco-map as a tool, in a real browser at 1440×900: the 60-node household is readable without zooming (no
label drawn smaller than 11 px, read from vis-network's own drawing state: font size × the view's scale), the
scale does not change with the date, the zoom buttons zoom, search highlights, the life-domain filter hides,
focus fades the rest, and an expanded professional's extra nodes have labels drawn at 11 px or more."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from graph.db import Database
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.analytics.household import household_graph
from queries.audit import AuditLog
from queries.household import household_view
from tests import big_household
from tests.browser.conftest import AppServer, Requests, open_session, wait_for_app
from tests.browser.test_coach_page import _eco_frame, _map, _point
from tests.household_records import records

# the smallest label as drawn on screen, in CSS px, over every node that has a label
_MIN_LABEL = ("() => { const s = network.getScale(); return Math.min(...Object.values(network.body.nodes)"
              ".filter(n => n.options.label && !n.options.hidden).map(n => n.labelModule.fontOptions.size * s)); }")


# the labels drawn (partly) outside the map's canvas, as [label, left, top, right, bottom] in the canvas's CSS px
_OUTSIDE = """() => { const el = document.getElementById('mynetwork'), w = el.clientWidth, h = el.clientHeight;
  return Object.values(network.body.nodes).filter(n => n.options.label && !n.options.hidden && n.labelModule.size
                                                       && n.labelModule.size.width).map(n => {
    const s = n.labelModule.size, a = network.canvasToDOM({x: s.left, y: s.top}),
          b = network.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    return [n.options.label.replace(/\\n/g, ' '), a.x, a.y, b.x, b.y].map(v => typeof v === 'number' ? Math.round(v) : v);
  }).filter(r => r[1] < 0 || r[2] < 0 || r[3] > w || r[4] > h); }"""


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, [*records(), *big_household.records()])
    return db


def test_sixty_node_ecomap_is_readable_zooms_searches_filters_and_focuses(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests], artifacts: Path,
        tmp_path: Path) -> None:
    pg, reqs = page
    pg.set_viewport_size({"width": 1440, "height": 900})
    hid = big_household.HOUSEHOLD
    view = household_view(loaded, AuditLog(tmp_path / "a.sqlite"), Actor("t", Role.COACH, "", "PR-COACH-1"), hid)
    g = household_graph(hid, view.people, view.involvements, view.coaches, as_of=big_household.AS_OF)
    assert g.number_of_nodes() == 60

    open_session(pg, app_server, "coach1", f"coach?household={hid}")
    frame = _eco_frame(pg)
    frame.wait_for_function("document.getElementById('ecomap-meta').dataset.drawn")
    assert frame.evaluate("nodes.length") == 60
    assert frame.evaluate("network.body.nodes['H:' + 'HH-BIG'].x") == 0  # the household in the centre
    smallest = frame.evaluate(_MIN_LABEL)
    assert smallest >= 11, f"a label is drawn at {smallest:.1f} px"
    # every label inside the canvas at 1440 pixels: the layout was 1,050 px wide in a 980 px column, and the
    # outermost organisations' names were cut off at both sides
    assert frame.evaluate(_OUTSIDE) == []
    base = frame.evaluate("network.getScale()")
    pg.locator('iframe[title*="eco-map" i]').screenshot(path=str(artifacts / "ecomap-01-sixty-nodes.png"))

    # The zoom buttons change the scale; "Passend" goes back to the fixed one.
    m = _map(pg)
    m.get_by_role("button", name="Inzoomen").click()
    assert frame.evaluate("network.getScale()") == pytest.approx(base * 1.25, rel=1e-3)
    m.get_by_role("button", name="Uitzoomen").click()
    m.get_by_role("button", name="Uitzoomen").click()
    assert frame.evaluate("network.getScale()") == pytest.approx(base * 1.25 * 0.64, rel=1e-3)
    m.get_by_role("button", name="Passend").click()
    assert frame.evaluate("network.getScale()") == pytest.approx(base, rel=1e-6)

    # Search highlights every node whose name (or organisation) matches, and fades the rest.
    m.get_by_role("searchbox", name="Zoek in de kaart").fill("kleinsman")
    expected = sorted(n for n, d in g.nodes(data=True) if "kleinsman" in str(d.get("label", "")).lower())
    assert len(expected) >= 2
    frame.wait_for_function("document.getElementById('ecomap-meta').dataset.hits !== ''")
    assert sorted(frame.evaluate("network.getSelectedNodes()")) == expected
    assert m.locator("#search-count").inner_text() == f"{len(expected)} gevonden"
    assert frame.evaluate("nodes.get('H:HH-BIG').opacity") == 0.15
    pg.locator('iframe[title*="eco-map" i]').screenshot(path=str(artifacts / "ecomap-02-search.png"))
    m.get_by_role("searchbox", name="Zoek in de kaart").fill("")

    # The life-domain filter hides the professionals (and organisations) of other domains.
    m.get_by_label("Filter op levensdomein").select_option("WONEN")
    wonen = {n for n, d in g.nodes(data=True) if d["kind"] == "professional" and "WONEN" in d["life_domains"]}
    shown = set(frame.evaluate("nodes.get({filter: n => !n.hidden && n.kind === 'professional'}).map(n => n.id)"))
    assert shown == wonen and len(wonen) >= 3
    m.get_by_label("Filter op levensdomein").select_option("")

    # Focus on a member: they and whoever is tied to them stay, the rest fades.
    member = next(n for n, d in g.nodes(data=True) if d["kind"] == "member")
    ties = set(g.neighbors(member)) | {member}
    m.locator("#mynetwork canvas").click(position=_point(frame, member))
    m.locator("#details").wait_for(state="visible", timeout=5_000)
    m.get_by_role("button", name="Focus: alleen deze en wie ermee verbonden is").click()
    faded = set(frame.evaluate("nodes.get({filter: n => n.opacity === 0.15}).map(n => n.id)"))
    assert faded == set(g.nodes) - ties
    pg.locator('iframe[title*="eco-map" i]').screenshot(path=str(artifacts / "ecomap-03-focus.png"))
    m.get_by_role("button", name="Focus opheffen").click()
    assert frame.evaluate("nodes.get({filter: n => n.opacity === 0.15}).length") == 0

    # Expanding a professional adds labelled nodes, drawn as large as the rest.
    assert frame.evaluate("window.ecomap.toggle('PR:PB00')")
    assert frame.evaluate("nodes.length") == 61
    assert frame.evaluate(_MIN_LABEL) >= 11

    # Another date: the same scale (the view is framed on the whole history, not on one date's nodes).
    pg.get_by_role("slider").first.focus()
    pg.keyboard.press("Home")
    wait_for_app(pg)
    for _ in range(50):
        try:
            frame = _eco_frame(pg)
            if frame.evaluate("nodes.length") < 60:
                break
        except Exception:  # the frame was replaced while we looked
            pass
        pg.wait_for_timeout(200)
    assert frame.evaluate("nodes.length") < 60
    assert frame.evaluate("network.getScale()") == pytest.approx(base, rel=1e-6)
    assert reqs.foreign() == []


#: The window widths a coach's screen has; at each one the map is drawn in the column the page gives it.
WIDTHS = (1024, 1280, 1440, 1920)


#: what the page's fonts were set from, when a check fails: its base scale, the view's, the canvas's size, and
#: how wide a known text is drawn in the labels' font
_STATE = """() => ({base: window.ecomapTools.base(), scale: network.getScale(),
  canvas: [document.getElementById('mynetwork').clientWidth, document.getElementById('mynetwork').clientHeight],
  sizes: [...new Set(Object.values(network.body.nodes).map(n => n.labelModule.fontOptions.size))],
  text: (() => { const c = document.createElement('canvas').getContext('2d'); c.font = '22px arial';
                 return c.measureText('Samenwerkingsverband').width; })()})"""


def _drawn_labels(pg: Any, attempts: int = 3) -> tuple[list[list[str]], float, list[dict[str, Any]]]:
    """The map's overlapping label pairs, its smallest label (px) and its legend entries cut off, once drawn."""
    from tests.browser.test_figure_labels import OVERLAPPING_LABELS, outside_frame

    for attempt in range(attempts):
        try:
            frame = _eco_frame(pg)
            frame.wait_for_function("document.getElementById('ecomap-meta').dataset.drawn && Object.values("
                                    "network.body.nodes).some(n => n.labelModule.size && n.labelModule.size.width)")
            _map(pg).locator("#legend .hint").wait_for(timeout=30_000)
            legend = outside_frame(frame)
            overlaps = frame.evaluate(OVERLAPPING_LABELS)
            if overlaps:  # once more after a second, with what the page had set: CI saw one pair once
                pg.wait_for_timeout(1_000)
                overlaps = frame.evaluate(OVERLAPPING_LABELS)
                overlaps += [frame.evaluate(_STATE)] if overlaps else []
            return overlaps, frame.evaluate(_MIN_LABEL), legend
        except Exception:  # the frame was replaced while we looked (the page ran again)
            if attempt == attempts - 1:
                raise
            pg.wait_for_timeout(500)
    raise AssertionError("unreachable")


def test_no_two_labels_overlap_at_any_window_width(loaded: Database, app_server: AppServer, browser: Any) -> None:
    """A review counted nine pairs of labels drawn over each other on the 60-node household at 1440 pixels (long
    two-line names of professionals side by side), where 1024 pixels had been fixed: the layout spaced them for
    labels of about 20 units a line, the view drew them at 23 to 29. At every width the 60-node map and the
    test household (at 1024 and 1440 pixels: its few labels are not crowded at the widths between) draw no two label
    boxes over each other, no label smaller than 11 px, and the legend whole — one page load per width and
    household, the boxes read from vis-network's own drawing state."""
    found: dict[str, object] = {}
    for width in WIDTHS:
        ctx = browser.new_context(viewport={"width": width, "height": 900})
        pg = ctx.new_page()
        try:
            # the small household's few labels at the narrowest and the usual width; the crowded one at each
            for hid in (big_household.HOUSEHOLD, "HH-T1") if width in (1024, 1440) else (big_household.HOUSEHOLD,):
                open_session(pg, app_server, "coach1", f"coach?household={hid}")
                overlaps, smallest, legend = _drawn_labels(pg)
                if overlaps or smallest < 11 or legend:
                    found[f"{hid} at {width} px"] = {"overlapping": overlaps, "smallest": round(smallest, 1),
                                                     "legend cut off": legend}
        finally:
            ctx.close()
    assert found == {}, found


#: the canvas positions of the drawn nodes' dots that lie outside the canvas (node id and its box on the screen)
_DOTS_OUTSIDE = """() => { const el = document.getElementById('mynetwork'), w = el.clientWidth, h = el.clientHeight;
  return Object.values(network.body.nodes).filter(n => !n.options.hidden && n.shape && n.shape.width).map(n => {
    const a = network.canvasToDOM({x: n.x - n.shape.width / 2, y: n.y - n.shape.height / 2}),
          b = network.canvasToDOM({x: n.x + n.shape.width / 2, y: n.y + n.shape.height / 2});
    return [n.id, Math.round(a.x), Math.round(a.y), Math.round(b.x), Math.round(b.y)];
  }).filter(r => r[1] < 0 || r[2] < 0 || r[3] > w || r[4] > h); }"""


#: the drawn nodes whose dot or name reaches beyond the canvas' left or right side (vis-network's own shapes and
#: label boxes, read once every node was drawn in view)
_CUT_AT_THE_SIDES = """() => { const w = document.getElementById('mynetwork').clientWidth;
  return Object.values(network.body.nodes).filter(n => !n.options.hidden && n.shape && n.shape.width).filter(n => {
    const s = n.labelModule.size, left = Math.min(n.x - n.shape.width / 2, s.width ? s.left : n.x),
          right = Math.max(n.x + n.shape.width / 2, s.width ? s.left + s.width : n.x);
    return network.canvasToDOM({x: left, y: n.y}).x < -1 || network.canvasToDOM({x: right, y: n.y}).x > w + 1;
  }).map(n => n.id); }"""


@contextmanager
def _drawn_map(browser: Any, app_server: AppServer, household: str, width: int) -> Iterator[tuple[Any, Any]]:
    """A page ``width`` pixels wide of coach1 on ``household``, and its eco-map's frame once the map is drawn."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    pg = ctx.new_page()
    try:
        open_session(pg, app_server, "coach1", f"coach?household={household}")
        frame = _eco_frame(pg)
        frame.wait_for_function("document.getElementById('ecomap-meta').dataset.drawn")
        frame.wait_for_function("document.getElementById('ecomap-meta').dataset.wider")  # the line decided
        yield pg, frame
    finally:
        ctx.close()


def test_the_wider_line_is_said_only_when_a_node_of_the_date_is_cut_off(
        loaded: Database, app_server: AppServer, browser: Any) -> None:
    """The line said "wider than this window" whenever the column was narrower than the layout, also above a map
    whose date shows a few nodes, all in sight (at 1400 pixels, a household of eight nodes). It is said exactly
    when a node's dot or name lies beyond a side of the canvas."""
    seen = {}
    for hid, width in ((big_household.HOUSEHOLD, 1024), ("HH-T1", 1400), ("HH-T1", 1024)):
        with _drawn_map(browser, app_server, hid, width) as (pg, frame):
            cut = frame.evaluate(_CUT_AT_THE_SIDES)
            shown = _map(pg).locator("#map-wider").is_visible()
            assert shown == bool(cut), (hid, width, cut)
            seen[(hid, width)] = shown
    assert seen[(big_household.HOUSEHOLD, 1024)] and not seen[("HH-T1", 1400)], seen


def test_a_map_wider_than_the_window_says_so_and_fit_shows_all_of_it(loaded: Database, app_server: AppServer,
                                                                     browser: Any) -> None:
    """At 1024 pixels the 60-node map keeps the scale its names were laid out for around the household, and its
    sides lie beyond the canvas: a review took the cut-off map for the whole one. A line says so, and "Passend"
    shows every node (its names smaller); at 1440 pixels the whole map fits and nothing is said."""
    for width, cut in ((1024, True), (1440, False)):
        with _drawn_map(browser, app_server, big_household.HOUSEHOLD, width) as (pg, frame):
            m = _map(pg)
            line = m.locator("#map-wider")
            assert line.is_visible() == cut, width
            assert bool(frame.evaluate(_DOTS_OUTSIDE)) == cut, width
            if cut:
                assert line.inner_text() == ("De kaart is breder dan dit venster: sleep haar opzij, of klik op "
                                             "Passend om alles te zien.")
                m.get_by_role("button", name="Passend").click()
                assert frame.evaluate(_DOTS_OUTSIDE) == []
                assert not line.is_visible()
