"""Overlap analytics on hand-built involvement tables with exact answers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from queries.analytics.overlap import BINS, bin_label, quarter_ends
from tests.overlap_oracle import (
    caseworkers_per_household,
    coach_effect,
    double_casemanagers,
    involvement_table,
    overlap_distribution,
    pair_matrix,
    same_member_domain,
    trend,
)

D0 = date(2004, 1, 1)


def row(h: str, pro: str, org: str, subject: str, *, area: str = "NVL", kind: str = "experiment",
        function: str = "f", domain: str = "ZORG_HULPVERLENING", since: date = D0, until: date | None = None,
        role: str = "casemanager") -> dict[str, Any]:
    return {"household_id": h, "area": area, "area_kind": kind, "professional_id": pro, "organisation_id": org,
            "function": function, "role": role, "life_domain": domain, "subject_id": subject, "since": since,
            "until": until}


def eleven() -> list[dict[str, Any]]:
    """The household of seed 002: 11 casemanagers from 10 organisations; per member 3/3/4/2 (the couple's
    domestic-violence project counted for both parents)."""
    f, m, s, d = "FATHER", "MOTHER", "SON", "STEPDAUGHTER"
    return [
        row("H1", "P-TACTUS", "ORG-TACTUS", f, function="reclassering", domain="VEILIGHEID_JUSTITIE"),
        row("H1", "P-WB", "ORG-WB", f, function="consulent W&B", domain="INKOMEN_FINANCIEN_SCHULDEN"),
        row("H1", "P-HG", "ORG-HG", f, function="huiselijk geweld", domain="VEILIGHEID_JUSTITIE"),
        row("H1", "P-HG", "ORG-HG", m, function="huiselijk geweld", domain="VEILIGHEID_JUSTITIE"),
        row("H1", "P-GGZ", "ORG-MEDIANT", m, function="GGZ", domain="GEZONDHEID_WELZIJN"),
        row("H1", "P-MPA", "ORG-MPA", m, function="multiprobleem", domain="ZORG_HULPVERLENING"),
        row("H1", "P-RMC", "ORG-RMC", s, function="trajectbegeleider", domain="ONDERWIJS_OPVOEDING"),
        row("H1", "P-JIB", "ORG-JIB", s, function="JIB", domain="VEILIGHEID_JUSTITIE"),
        row("H1", "P-BJZ1", "ORG-BJZ", s, function="casemanager jeugdzorg", domain="ZORG_HULPVERLENING"),
        row("H1", "P-ZN", "ORG-ZN", s, function="zorgbegeleider", domain="ZORG_HULPVERLENING"),
        row("H1", "P-BJZ2", "ORG-BJZ", d, function="casemanager jeugdzorg", domain="ZORG_HULPVERLENING"),
        row("H1", "P-SHG", "ORG-SHG", d, function="steunpunt", domain="VEILIGHEID_JUSTITIE"),
    ]


@pytest.mark.parametrize(("n", "label"), [(0, "0"), (1, "1"), (2, "2"), (3, "3–4"), (4, "3–4"), (5, "5–9"),
                                          (9, "5–9"), (10, "10+"), (11, "10+")])
def test_bins(n: int, label: str) -> None:
    assert bin_label(n) == label


def test_eleven_casemanagers_ten_organisations() -> None:
    t = involvement_table(eleven())
    assert caseworkers_per_household(t, date(2009, 1, 1)).to_dict() == {"H1": 11}
    assert t["organisation_id"].nunique() == 10
    per_member = t.groupby("subject_id")["professional_id"].nunique().to_dict()
    assert per_member == {"FATHER": 3, "MOTHER": 3, "SON": 4, "STEPDAUGHTER": 2}


def test_period_bounds_are_inclusive() -> None:
    t = involvement_table([row("H1", "P1", "O1", "M", since=date(2008, 1, 1), until=date(2008, 3, 31))])
    assert caseworkers_per_household(t, date(2007, 12, 31)).to_dict() == {}
    assert caseworkers_per_household(t, date(2008, 1, 1)).to_dict() == {"H1": 1}
    assert caseworkers_per_household(t, date(2008, 3, 31)).to_dict() == {"H1": 1}
    assert caseworkers_per_household(t, date(2008, 4, 1)).to_dict() == {}


def test_distribution_counts_households_without_anyone_in_bin_zero() -> None:
    rows = eleven() + [row("H2", "P1", "O1", "X"), row("H2", "P2", "O2", "X"),
                       row("H3", "P3", "O1", "Y", area="SVZ", kind="control")]
    t = involvement_table(rows)
    dist = overlap_distribution(t, {"NVL": 5, "SVZ": 2}, date(2009, 1, 1))
    assert list(dist.columns) == list(BINS)
    assert dist.loc["NVL"].tolist() == [3, 0, 1, 0, 0, 1]
    assert dist.loc["SVZ"].tolist() == [1, 1, 0, 0, 0, 0]
    kinds = overlap_distribution(t, {"experiment": 5, "control": 2}, date(2009, 1, 1), by="area_kind")
    assert kinds.loc["control"].tolist() == [1, 1, 0, 0, 0, 0]


def test_same_member_and_domain_and_dubbele_casemanager() -> None:
    t = involvement_table(eleven() + [
        # H2: two organisations on the same member in the same domain, and two of the same function.
        row("H2", "P1", "O1", "X", function="schuldhulp", domain="INKOMEN_FINANCIEN_SCHULDEN"),
        row("H2", "P2", "O2", "X", function="schuldhulp", domain="INKOMEN_FINANCIEN_SCHULDEN"),
        # H3: two organisations on one member but in different domains (no), same org twice (not 2 orgs).
        row("H3", "P3", "O1", "Y", function="g", domain="WONEN"),
        row("H3", "P4", "O2", "Y", function="h", domain="WERK_PARTICIPATIE"),
        row("H3", "P5", "O3", "Z", domain="WONEN", until=date(2005, 1, 1)),
        row("H3", "P6", "O3", "Z", domain="WONEN", area="NVL"),
        # H4: two woonbegeleiders, but one delivers a service (uitvoerend): not a "dubbele casemanager".
        row("H4", "P7", "O4", "W", function="woonbegeleider", domain="WONEN"),
        row("H4", "P8", "O5", "W", function="woonbegeleider", domain="GEZONDHEID_WELZIJN", role="uitvoerend"),
    ])
    as_of = date(2009, 1, 1)
    # H1: the son has BJZ1 and ZN in ZORG_HULPVERLENING -> yes; H2 yes; H3 no.
    assert same_member_domain(t, as_of).to_dict() == {"NVL": 2}
    # Two "casemanager jeugdzorg" in H1 (son and stepdaughter) and two "schuldhulp" in H2; H3 no (P5 ended); H4
    # no (one of its two woonbegeleiders is not in the casemanager role).
    assert double_casemanagers(t, as_of).to_dict() == {"NVL": 2}


def test_pair_matrix_is_symmetric_with_served_on_the_diagonal() -> None:
    t = involvement_table([row("H1", "P1", "O1", "a"), row("H1", "P2", "O2", "a"), row("H1", "P3", "O2", "b"),
                           row("H2", "P4", "O1", "c"), row("H2", "P5", "O3", "c"),
                           row("H3", "P6", "O3", "d", until=date(2008, 1, 1))])
    m = pair_matrix(t, date(2009, 1, 1))
    assert m.to_dict("list") == {"O1": [2, 1, 1], "O2": [1, 1, 0], "O3": [1, 0, 1]}


def test_quarters_2004_2012() -> None:
    q = quarter_ends()
    assert len(q) == 36
    assert q[0] == date(2004, 3, 31) and q[-1] == date(2012, 12, 31)


def test_trend_per_quarter() -> None:
    t = involvement_table([row("H1", "P1", "O1", "a", since=date(2008, 2, 1)),
                           row("H1", "P2", "O2", "a", since=date(2008, 2, 1), until=date(2008, 6, 30)),
                           row("H2", "P3", "O1", "b", since=date(2008, 7, 1), until=date(2008, 9, 29))])
    tr = trend(t, quarter_ends(2008, 2008), households=3)
    assert tr.index.tolist() == ["2008-Q1", "2008-Q2", "2008-Q3", "2008-Q4"]
    assert tr[["0", "1", "2"]].to_numpy().tolist() == [[2, 0, 1], [2, 0, 1], [2, 1, 0], [2, 1, 0]]


def test_coach_effect_before_after_and_control() -> None:
    intake = date(2008, 10, 1)
    rows = []
    # Two coached households: 4 casemanagers before intake; afterwards the coach plus one specialist.
    for h in ("E1", "E2"):
        for p in ("A", "B", "C", "D"):
            rows.append(row(h, h + p, "O" + p, h, since=date(2007, 1, 1),
                            until=None if p == "D" else date(2008, 11, 1)))
        rows.append(row(h, "COACH", "ORG-WIJKCOACH", h, since=intake))
    # Control: K1 has 3 before and 3 after; K2 only 1 (not comparable, left out); K3 2 -> 2.
    for p in ("A", "B", "C"):
        rows.append(row("K1", "K1" + p, "O" + p, "K1", area="SVZ", kind="control", since=date(2007, 1, 1)))
    rows.append(row("K2", "K2A", "OA", "K2", area="SVZ", kind="control", since=date(2007, 1, 1)))
    rows += [row("K3", "K3" + p, "O" + p, "K3", area="SVZ", kind="control", since=date(2007, 1, 1))
             for p in ("A", "B")]
    e = coach_effect(involvement_table(rows), {"E1": intake, "E2": intake})
    assert e["households"].tolist() == [2, 2, 2, 2]
    assert e["sum_casemanagers"].tolist() == [8, 4, 5, 5]
    assert e.loc[("coached (experiment)", "before intake"), "3–4"] == 2
    assert e.loc[("coached (experiment)", "365 days after"), "2"] == 2


def test_examples_in_the_docstrings_hold() -> None:
    import doctest

    from queries.analytics import overlap
    from tests import overlap_oracle

    results = [doctest.testmod(overlap), doctest.testmod(overlap_oracle)]
    assert sum(r.failed for r in results) == 0 and sum(r.attempted for r in results) >= 15


def _group(area: str, kind: str, b: str, same: bool, double: bool, n: int) -> dict[str, Any]:
    """A row of the overlap counts: households of one area, bin and flags."""
    return {"area": area, "area_kind": kind, "bin": b, "same": same, "double": double, "org_a": None,
            "org_b": None, "households": n}


def _pair(a: str, b: str, n: int) -> dict[str, Any]:
    """A row of the overlap counts: households served by a pair of organisations."""
    return {"area": None, "area_kind": None, "bin": None, "same": None, "double": None, "org_a": a,
            "org_b": b, "households": n}


def test_tables_from_database_counts_add_pairs_both_ways_and_fill_bin_zero() -> None:
    from queries.analytics.overlap import from_database_counts

    rows = [_group("A", "experiment", "2", True, False, 3), _group("A", "experiment", "2", False, True, 1),
            _group("A", "experiment", "10+", True, True, 1), _group("C", "control", "1", False, False, 4),
            _pair("O1", "O1", 5), _pair("O2", "O2", 2), _pair("O1", "O2", 1), _pair("O2", "O1", 1), _pair("O3", "O3", 4)]
    t = from_database_counts(rows, {"A": 10, "C": 6, "EMPTY": 2}, {"experiment": 12, "control": 6})
    assert t["distribution"].loc["A"].tolist() == [5, 0, 4, 0, 0, 1]
    assert t["distribution"].loc["EMPTY"].tolist() == [2, 0, 0, 0, 0, 0]
    assert t["by_area_kind"].loc["experiment"].tolist() == [7, 0, 4, 0, 0, 1]
    assert t["same_member_domain"].to_dict() == {"A": 4, "C": 0, "EMPTY": 0}
    assert t["double_casemanager"].to_dict() == {"A": 2, "C": 0, "EMPTY": 0}
    assert t["pair_matrix"].to_dict("list") == {"O1": [5, 2, 0], "O2": [2, 2, 0], "O3": [0, 0, 4]}


def test_cells_give_the_tables_of_the_rows_asked_per_area() -> None:
    """:func:`cells_from_rows` (the Cypher engine asks once per area) and :func:`from_cells` give exactly the
    tables :func:`from_database_counts` shapes from the rows; a pair matrix per area and of all areas."""
    import pandas as pd

    from queries.analytics.overlap import cells_from_rows, from_cells, from_database_counts

    per_area = {"A": [_group("A", "experiment", "2", True, False, 3), _group("A", "experiment", "10+", True, True, 1),
                      _pair("O2", "O1", 1), _pair("O1", "O1", 4), _pair("O2", "O2", 1)],
                "C": [_group("C", "control", "1", False, False, 4), _pair("O3", "O3", 4), _pair("O1", "O1", 1)],
                "EMPTY": []}
    cells = cells_from_rows(per_area, {"A": "experiment", "C": "control", "EMPTY": "experiment"})
    households = {"A": 10, "C": 6, "EMPTY": 2}
    want = from_database_counts([r for rows in per_area.values() for r in rows], households,
                                {"experiment": 12, "control": 6})
    got = from_cells(cells, households)
    pd.testing.assert_frame_equal(got["distribution"], want["distribution"])
    for name in ("same_member_domain", "double_casemanager"):
        pd.testing.assert_series_equal(got[name], want[name])
    assert cells.pair_matrix(None)[0] == list(want["pair_matrix"].index)
    assert cells.pair_matrix(None)[1].tolist() == want["pair_matrix"].to_numpy().tolist()
    one = from_database_counts(per_area["C"], {"C": 6}, {})["pair_matrix"]
    assert cells.pair_matrix("C")[0] == ["O1", "O3"] == list(one.index)
    assert cells.pair_matrix("C")[1].tolist() == one.to_numpy().tolist()
    assert cells.pair_matrix("EMPTY")[0] == [] and cells.rows("EMPTY") == []
    assert {(r["org_a"], r["org_b"]): r["households"] for r in cells.rows(None) if r["org_a"]} == {
        ("O1", "O1"): 5, ("O1", "O2"): 1, ("O2", "O2"): 1, ("O3", "O3"): 4}


def test_trend_and_coach_effect_from_database_counts() -> None:
    from queries.analytics.overlap import coach_effect_from_counts, trend_from_counts

    days = [date(2008, 3, 31), date(2008, 6, 30)]
    tr = trend_from_counts([{"day": days[1], "bin": "3–4", "households": 2},
                            {"day": days[1], "bin": "1", "households": 1}], days, 5)
    assert tr.loc["2008-Q1"].tolist() == [5, 0, 0, 0, 0, 0] and tr.loc["2008-Q2"].tolist() == [2, 1, 0, 2, 0, 0]
    e = coach_effect_from_counts([{"group": "coached", "n_before": 5, "n_after": 2, "households": 3},
                                  {"group": "coached", "n_before": 4, "n_after": 1, "households": 1},
                                  {"group": "control", "n_before": 3, "n_after": 3, "households": 2}], after_days=180)
    assert e.loc[("coached (experiment)", "before intake"), "5–9"] == 3
    assert e.loc[("coached (experiment)", "180 days after"), "sum_casemanagers"] == 7
    assert e.loc[("control area", "180 days after"), ["3–4", "households", "sum_casemanagers"]].tolist() == [2, 2, 6]


def test_rates_per_hundred_follow_the_published_cells() -> None:
    """Rates per 100 households are computed from published cells only: a hidden count or total stays hidden."""
    import doctest

    import pandas as pd

    from app import aggregate_widgets
    from app.aggregate_widgets import per_hundred

    assert doctest.testmod(aggregate_widgets).failed == 0
    t = pd.DataFrame({"0": pd.array([50, 20], dtype="Int64"), "2": pd.array([pd.NA, 5], dtype="Int64"),
                      "Total": pd.array([80, 25], dtype="Int64")}, index=["A", "B"])
    rates = per_hundred(t)
    assert rates.loc["A", "0"] == 62.5 and pd.isna(rates.loc["A", "2"])
    assert (rates.loc["B", "0"], rates.loc["B", "2"]) == (80.0, 20.0)


def test_rates_per_hundred_are_written_in_the_pages_language() -> None:
    """Observed on the overlap page: the per-100 table showed 63.2 on a Dutch page (the grid writes floats its own
    way). The page now shows the shares as text in its language, a hidden one as x."""
    import pandas as pd

    from app.aggregate_widgets import per_hundred_text

    t = pd.DataFrame({"0": pd.array([1264, 20], dtype="Int64"), "2": pd.array([pd.NA, 5], dtype="Int64"),
                      "Total": pd.array([2000, 25], dtype="Int64")}, index=["A", "B"])
    assert per_hundred_text(t, lang="nl").to_dict("index") == {"A": {"0": "63,2", "2": "x"},
                                                               "B": {"0": "80,0", "2": "20,0"}}
    assert per_hundred_text(t, lang="en").loc["A", "0"] == "63.2"
