"""Headline figures and charts of the aggregate pages follow the table's suppression (issue 20, item 7)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from app.aggregate_widgets import HIDDEN_LABEL, bars, headline, stacked_trend

X = pd.NA
BINS = ["0", "1", "2", "3–4", "5–9", "10+"]


def test_a_headline_the_table_gives_away_is_shown_and_one_it_does_not_is_hidden(monkeypatch: pytest.MonkeyPatch
                                                                              ) -> None:
    # The observed page: "with 5 or more" was x while the row beside it gave 1,141 - 995 - 74 = 72.
    row = pd.Series({"0": 995, "1": 74, "2": 0, "3–4": 0, "5–9": X, "10+": X, "Total": 1141}, dtype="Int64")
    assert headline(row, ["5–9", "10+"]) == "72"
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    assert headline(row, BINS) == "1.141"  # a Dutch page separates thousands with a point
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    assert headline(row, BINS) == "1,141"
    # Here the rest of the row is hidden too: the table does not give the sum away, nor does the headline.
    row = pd.Series({"0": 995, "1": X, "2": 74, "3–4": X, "5–9": X, "10+": X, "Total": 1141}, dtype="Int64")
    assert headline(row, ["5–9", "10+"]) == "x"
    assert headline(row, ["2"]) == "74"


def test_suppressed_cells_are_drawn_hatched_not_as_gaps() -> None:
    t = pd.DataFrame({"0": [5, 6], "1": [X, 7], "2": [12, X], "Total": [30, 30]}, index=["a", "b"], dtype="Int64")
    fig = bars(t.drop(columns="Total"))
    hidden = [d for d in fig.data if d.name == HIDDEN_LABEL]
    assert len(hidden) == 2 and all(d.marker.pattern.shape == "/" for d in hidden)
    assert list(hidden[0].y) == [None, 12.0, None] and list(hidden[0].text) == ["", "x", ""]
    trend = stacked_trend(t, ["1", "2"])
    band = next(d for d in trend.data if d.name == HIDDEN_LABEL)
    assert list(band.y) == [13.0, 17.0]  # the total minus the shown cells: no dip in the stack
    assert [list(d.y) for d in trend.data if d.name != HIDDEN_LABEL] == [[0.0, 7.0], [12.0, 0.0]]


def test_the_count_axis_has_whole_ticks_and_no_scale_when_every_cell_is_hidden() -> None:
    # Seen on a small area: every cell hidden, and the axis read 0 - 0,2 - 0,4 … 1 "huishoudens".
    hidden = bars(pd.DataFrame({"0": [X], "1": [X]}, index=["a"], dtype="Int64"))
    assert hidden.layout.yaxis.showticklabels is False
    # every shown cell 0 beside hidden ones: the advices per organisation read 0 to 1 where the table had 11 to 20
    zeros = bars(pd.DataFrame({"gegeven": [X, X], "geweigerd": [0, 0]}, index=["a", "b"], dtype="Int64"))
    assert zeros.layout.yaxis.showticklabels is False
    none_hidden = bars(pd.DataFrame({"0": [0], "1": [0]}, index=["a"], dtype="Int64"))
    assert none_hidden.layout.yaxis.showticklabels is None  # nothing hidden: a scale of zeros is true
    small = bars(pd.DataFrame({"0": [1], "1": [3]}, index=["a"], dtype="Int64"))
    assert small.layout.yaxis.dtick == 1 and small.layout.yaxis.showticklabels is None
    large = bars(pd.DataFrame({"0": [120], "1": [30]}, index=["a"], dtype="Int64"))
    assert large.layout.yaxis.dtick is None  # Plotly's own ticks
    rates = bars(pd.DataFrame({"0": [0.4], "1": [2.5]}, index=["a"]))
    assert rates.layout.yaxis.dtick is None  # shares are not counts
    sideways = bars(pd.DataFrame({"0": [2]}, index=["a"], dtype="Int64"), horizontal=True)
    assert sideways.layout.xaxis.dtick == 1 and sideways.layout.yaxis.type == "category"


def test_the_pair_matrix_names_every_organisation_in_rows_high_enough_to_read() -> None:
    """At 8,000 households the overlap page's pair matrix of 37 organisations was 560 px high: rows of 8 px, and
    plotly named only every other organisation on each axis (a walk of 04-12-2026). The columns carry the rows'
    numbers (their names, stood on end, ran into each other at 1024 px: tests/browser/test_pair_matrix.py)."""
    from app.aggregate_widgets import pair_heatmap

    names = [f"Organisatie met een lange naam {i}" for i in range(37)]
    names[3] = "Gemeente Enschede, RMC (Regionaal Meld- en Coördinatiepunt)"
    pm = pd.DataFrame([[float(i + j) for j in range(37)] for i in range(37)], index=names, columns=names)
    pm.iloc[0, 1] = pd.NA
    fig = pair_heatmap(pm)
    assert fig.layout.yaxis.dtick == 1  # every row named, none skipped
    margin = fig.layout.margin
    rows_px = (fig.layout.height - margin.t - margin.b) / len(names)
    assert rows_px >= 16
    heat = fig.data[0]
    assert list(heat.y[:4]) == ["1 Organisatie met een lange naam 0", "2 Organisatie met een lange naam 1",
                                "3 Organisatie met een lange naam 2", "4 Gemeente Enschede, RMC (Regionaal…"]
    assert list(heat.x) == [str(i) for i in range(1, 38)]
    assert heat.text[0][1] == "x"  # a hidden cell reads x
    # the hover names both organisations whole
    assert list(heat.customdata[3][0]) == [names[3], names[0]]
    assert heat.hovertemplate.startswith("%{customdata[0]} en %{customdata[1]}: %{z} huishoudens")
    # a small matrix keeps the page's usual height
    small = pm.iloc[:5, :5]
    assert pair_heatmap(small).layout.height == 560


def test_days_are_whole_or_one_decimal_in_dutch() -> None:
    """A median of whole days is whole or half (8 or 8,5): a review saw "8,00" beside "8,50"."""
    from app.aggregate_widgets import shown

    table = pd.DataFrame({"name": ["A", "B", "C"], "median_days_to_start": [8.0, 8.5, None],
                          "median_days_to_accept": [3.0, 12.0, 4.0], "adopted_share": [0.5, 0.25, 1.0]})
    out = shown(table, lang="nl")
    assert out["Dagen tot start"].tolist() == ["8", "8,5", "x"]
    assert out["Dagen tot acceptatie"].tolist() == ["3", "12", "4"]
    assert out.iloc[:, 2].tolist() == ["0,50", "0,25", "1,00"]  # a share keeps its two decimals


def test_a_modularity_near_one_is_never_shown_as_one() -> None:
    """0,9954 (437 loose clusters of professionals at 8,000 households) was shown "1,00", read as a perfect split:
    the value is cut off at two decimals and a value from 0,9 on says what it means."""
    from app.aggregate_widgets import modularity_text

    assert modularity_text(0.9954, lang="nl") == "0,99: bijna alle overdrachten blijven binnen hun cluster"
    assert modularity_text(0.999, lang="en") == "0.99: almost all handovers stay inside their cluster"
    assert [modularity_text(q, lang="nl") for q in (0.4444, 0.29, 0.0, -0.02)] == ["0,44", "0,29", "0,00", "-0,02"]


def test_handovers_inside_one_organisation_are_no_pair() -> None:
    """At 8,000 households eight of the twelve largest "pairs" were one organisation with itself (SMD → SMD):
    those are handovers to a colleague, listed apart; a pair is two organisations. Hidden cells stay hidden."""
    from queries.analytics.handover_counts import pairs_and_within

    pairs = pd.DataFrame({"source": ["SMD", "DMO", "BJZ", "SMD"], "target": ["SMD", "SMD", "BJZ", "MEE"],
                          "n": [109.0, 46.0, None, 29.0]})
    between, within = pairs_and_within(pairs)
    assert between.values.tolist() == [["DMO", "SMD", 46.0], ["SMD", "MEE", 29.0]]
    assert within["organisation"].tolist() == ["SMD", "BJZ"]
    assert within["n"].tolist()[0] == 109.0 and pd.isna(within["n"].tolist()[1])


def test_long_labels_are_broken_into_lines_or_go_beside_the_bars() -> None:
    """Under the bars, long labels stood on end left the bars a strip too low for the value axis's title (the
    coach effect's, the referral follow-up's): labels are broken into lines, a dozen organisation names go beside
    the bars, and the title is broken into lines too."""
    effect = pd.DataFrame([[8.6, 2.7, 4.8, 4.7]], index=["gemiddeld"], columns=[
        "met wijkcoach (experimentwijk) · voor de intake (n = 72)", "met wijkcoach (experimentwijk) · een jaar later",
        "controlewijk · voor de intake (n = 2.063)", "controlewijk · een jaar later (n = 2.063)"])
    fig = bars(effect, y_title="gemiddeld aantal casemanagers per huishouden")
    assert fig.data[0].orientation != "h"
    assert all(len(line) <= 16 for c in fig.data[0].x for line in c.split("<br>"))
    assert fig.layout.yaxis.title.text == "gemiddeld aantal<br>casemanagers per huishouden"
    names = ["Stichting Humanitas Onder Dak Twente", "Leger des Heils, Afdeling Jeugdzorg en Reclassering",
             *(f"Organisatie {i}" for i in range(10))]
    follow = pd.DataFrame([[30.0 - i for i in range(12)]], index=["median_days_to_start"], columns=names)
    fig = bars(follow, y_title="Mediaan dagen tot start")
    assert fig.data[0].orientation == "h"
    # beside the bars a long name is broken into lines of at most 34 characters: on one line, a pair of organisations
    # took more than the figure's margin and plotly cut its first letters off at 1024 px (an outside review)
    assert [str(y).replace("<br>", " ") for y in fig.data[0].y] == names
    assert list(fig.data[0].y)[1] == "Leger des Heils, Afdeling<br>Jeugdzorg en Reclassering"
    assert all(len(line) <= 34 for y in fig.data[0].y for line in str(y).split("<br>"))
    assert fig.layout.xaxis.title.text == "Mediaan dagen tot start"
    quarters = bars(pd.DataFrame([[1, 2, 3, 4]], columns=["2012-Q1", "2012-Q2", "2012-Q3", "2012-Q4"]))
    assert quarters.data[0].orientation != "h" and list(quarters.data[0].x) == ["2012 K1", "2012 K2", "2012 K3",
                                                                                  "2012 K4"]


def test_a_table_wider_than_the_page_gets_column_widths_that_fit() -> None:
    """At 1024 px (a table 560 px wide) the clusters of professionals (858 px) and the organisation pairs (591 px)
    hid their last column behind a scroll bar: the counts keep the width their heading needs, the long text
    columns share the rest and wrap."""
    from app.aggregate_widgets import TABLE_ROOM, fitted_columns

    clusters = pd.DataFrame({"Professionals": [17, 13], "Overdrachten erbinnen": [19, 12], "Organisaties": [
        "SMD Enschede-Haaksbergen, Bureau Jeugdzorg Overijssel, Gemeente Enschede, DMO Werk & Bijstand",
        "SMD Enschede-Haaksbergen, Bureau Jeugdzorg Overijssel, Alifa"]}, index=pd.Index([1, 2], name="Cluster"))
    widths, row_height = fitted_columns(clusters)
    assert sum(widths.values()) <= TABLE_ROOM
    assert widths["Professionals"] >= 7 * len("Professionals")           # the heading whole
    assert widths["Organisaties"] >= 140 and row_height is not None and row_height > 64  # wraps
    narrow = pd.DataFrame({"Kwartaal": ["2012 K1"], "Aantal": [4]})
    assert fitted_columns(narrow) == ({}, None)                          # fits as it is: left alone
    # a short text column is never made wider than it needs (the clusters of organisations went from 556 to 603)
    names = pd.DataFrame({"Cluster": ["cluster 1", "cluster 2"]}, index=pd.Index(
        ["Gemeente Enschede, DMO Werk & Bijstand, afdeling Schuldhulpverlening", "Alifa"], name="Naam"))
    widths, _ = fitted_columns(names)
    assert widths == {} or sum(widths.values()) <= TABLE_ROOM


def test_a_names_column_holds_its_longest_word_unless_that_costs_the_fit() -> None:
    """At 1440 px the brokers' names read "SMD Enschede-Haaksber gen": a names column had 140 px whatever its words.
    Now it holds its longest word; where the words would push a table that fits out of the room, the fit wins (the
    column grows on a wider page, :func:`data_table`)."""
    from app.aggregate_widgets import _CELL_PAD, _CHAR_PX, TABLE_ROOM, fitted_columns

    brokers = pd.DataFrame({"Sector": ["maatschappelijk werk", "gemeente"], "Huishoudens": [125, 67],
                            "Graad": [15, 4], "Sterkte": [278, 67], "Tussenpositie": ["0,13", "0,03"]},
                           index=pd.Index(["SMD Enschede-Haaksbergen", "Wijkcoaches Velve-Lindenhof (gemeente "
                                           "Enschede)"], name="Naam"))
    widths, row_height = fitted_columns(brokers)
    assert widths["_index"] >= _CHAR_PX * len("Enschede-Haaksbergen") + _CELL_PAD, widths
    assert row_height is not None  # the names still wrap, at their spaces
    clusters = pd.DataFrame({"Professionals": [17], "Overdrachten erbinnen": [19], "Organisaties": [
        "SMD Enschede-Haaksbergen, Bureau Jeugdzorg Overijssel, Gemeente Enschede, DMO Werk & Bijstand"]})
    widths, _ = fitted_columns(clusters, index=False)
    assert sum(widths.values()) <= TABLE_ROOM, widths  # every column in sight at 1024 px, as before


def test_a_quarter_with_hidden_cells_is_never_drawn_as_a_dip_nor_as_a_peak() -> None:
    # The demo's trend, 2011 K2: every cell hidden but 10+ = 18, the total 1141 known. The chart dropped every band
    # to 0 there; then the hatched band held the rest of the total, the hidden 0 band's households with it, and the
    # quarter stood five times as high as the others (an outside review read a peak). The chart draws the bands
    # from 1 up: a hidden 0 leaves the hatched band's size untold, up to the highest stack that is known.
    t = pd.DataFrame({"0": [900, X, 900, X], "1": [150, X, 140, X], "2": [60, X, X, X], "3–4": [20, X, 30, X],
                      "5–9": [5, X, X, X], "10+": [6, 18, 7, X], "Total": [1141, 1141, 1100, X]},
                     index=["2011-Q1", "2011-Q2", "2011-Q3", "2011-Q4"], dtype="Int64")
    fig = stacked_trend(t, BINS[1:])
    drawn = {d.name: list(d.y) for d in fig.data}
    assert list(fig.data[0].x) == ["2011 K1", "2011 K2", "2011 K3", "2011 K4"]
    assert drawn["10+"][:3] == [6.0, 18.0, 7.0]
    assert drawn["1"][:3] == [150.0, 0.0, 140.0] and drawn["2"][:3] == [60.0, 0.0, 0.0]
    assert drawn[HIDDEN_LABEL][:3] == [0.0, 241.0 - 18, 1100.0 - 900 - 140 - 30 - 7]
    # 2011 K4 tells nothing, not even its total: hatched up to the highest stack, never a dip to 0
    stacks = [sum(drawn[b][i] for b in [*BINS[1:], HIDDEN_LABEL]) for i in range(4)]
    assert stacks == [241.0, 241.0, 200.0, 241.0]


def _drawn_tables(page: Callable[[], None], monkeypatch: pytest.MonkeyPatch) -> list[dict[str, list[str]]]:
    """The grids ``page`` draws, column by column, as the grid writes their cells."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    at = AppTest.from_function(page).run()
    assert not at.exception
    return [{str(c): [str(v) for v in df.value[c]] for c in df.value.columns} for df in at.dataframe]


def _tables_of_counts() -> None:
    import pandas as pd

    from app.aggregate_widgets import data_table, shown

    x = pd.NA
    trend = pd.DataFrame({"0": [995, x], "10+": [18, 18], "Total": [1141, 1141]}, index=["2011-Q1", "2011-Q2"],
                         dtype="Int64")
    data_table(shown(trend), key="trend")                                  # a section's table (overlap, trend)
    routes = pd.DataFrame({"route": ["A → B"], "cases": pd.array([2400], dtype="Int64")})
    data_table(routes, key="routes", hide_index=True)                      # a table drawn as it is (handovers)


def test_counts_in_the_tables_are_grouped_as_the_key_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    # The overlap page's key figure read 1.141 and its table's Totaal 1141.
    trend, routes = _drawn_tables(_tables_of_counts, monkeypatch)
    assert trend == {"0": ["995", "x"], "10+": ["18", "18"], "Totaal": ["1.141", "1.141"]}
    assert routes == {"route": ["A → B"], "cases": ["2.400"]}


def test_a_rate_of_no_households_is_a_dash_not_hidden() -> None:
    from app.aggregate_widgets import per_hundred_text

    t = pd.DataFrame({"0": [0, X, 30], "1": [0, 5, 10], "Total": [0, X, 40]}, index=["leeg", "klein", "groot"],
                     dtype="Int64")
    assert per_hundred_text(t, lang="nl").to_dict("index") == {
        "leeg": {"0": "–", "1": "–"}, "klein": {"0": "x", "1": "x"}, "groot": {"0": "75,0", "1": "25,0"}}


def test_an_export_leaves_out_row_numbers_the_page_hides() -> None:
    """The handovers' areas CSV began with ``group`` and 0, 1, 2 (the table's row numbers, after a filter): an
    English heading and a column no reader asked for. Named row labels (a quarter, an organisation) stay."""
    import csv
    import io

    from app.aggregate_widgets import export_tables
    from queries.analytics.exports import to_csv_bytes

    areas = pd.DataFrame({"area": ["Nieuwe Velve", "Lindenhof"], "n": [398, 337]}, index=pd.Index([0, 2]))
    rows = list(csv.reader(io.StringIO(to_csv_bytes(export_tables({"a": areas})["a"]).decode(), newline="")))
    assert rows[0][0] != "group" and [r[-1] for r in rows[1:]] == ["398", "337"]
    assert len(rows[0]) == 2
    per = pd.DataFrame({"n": [5]}, index=pd.Index(["2008 K1"], name="quarter"))
    assert list(export_tables({"p": per})["p"].index) == ["2008 K1"]
