"""The charts a page exports as PNG or SVG (queries/analytics/exports.py): a hidden cell is drawn as an ``x``;
every chart says under it what it shows (the page, the peildatum, the area, k) and one with a hidden cell what
the ``x`` means, in the reader's language — a chart pasted into a report travels without the page's explanation
(an outside review saw an unexplained x at 0)."""

from __future__ import annotations

import matplotlib
import pandas as pd

from queries.analytics import exports

DUTCH = "'x' = verborgen: minder dan k, of verborgen zodat het niet uit de totalen is af te leiden."


def _svg_text(build: object) -> str:
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text as text, so it can be read back
        return build().decode()  # type: ignore[operator, no-any-return]


def _table(hidden: bool) -> pd.DataFrame:
    return pd.DataFrame({"0": pd.array([12, None if hidden else 15], dtype="Int64"),
                         "1": pd.array([30, 41], dtype="Int64")}, index=["LDH", "VL"])


def test_a_bar_chart_with_a_hidden_cell_says_what_its_x_means_in_the_readers_language() -> None:
    svg = _svg_text(lambda: exports.bar_chart(_table(True), title="Verdeling", fmt="svg"))
    assert "x = hidden: fewer than k" in svg  # the CLI's charts: English
    with exports.chart_notes(DUTCH):
        svg = _svg_text(lambda: exports.bar_chart(_table(True), title="Verdeling", fmt="svg"))
    assert "verborgen: minder dan k" in svg and "hidden" not in svg
    with exports.chart_notes(DUTCH):
        svg = _svg_text(lambda: exports.bar_chart(_table(False), title="Verdeling", fmt="svg"))
    assert "verborgen" not in svg  # nothing hidden: nothing to explain
    with exports.chart_notes(DUTCH, ["Pagina: Overlap", "Peildatum: 31-12-2012", "Wijk: Alle wijken"]):
        svg = _svg_text(lambda: exports.bar_chart(_table(False), title="Verdeling", fmt="svg"))
    assert "Pagina: Overlap · Peildatum: 31-12-2012 · Wijk: Alle wijken" in svg  # what it shows, hidden or not


def test_a_heatmap_with_a_hidden_cell_says_what_its_x_means() -> None:
    pm = pd.DataFrame({"A": pd.array([20, None], dtype="Int64"), "B": pd.array([None, 14], dtype="Int64")},
                      index=["A", "B"])
    with exports.chart_notes(DUTCH):
        svg = _svg_text(lambda: exports.heatmap(pm, title="Paren", fmt="svg"))
    assert "verborgen: minder dan k" in svg
    full = pm.fillna(11)
    with exports.chart_notes(DUTCH):
        assert "verborgen" not in _svg_text(lambda: exports.heatmap(full, title="Paren", fmt="svg"))
