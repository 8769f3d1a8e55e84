"""Collaboration metrics on tiny organisation graphs with exact answers."""

from __future__ import annotations

from datetime import date

import pandas as pd

from queries.analytics.collaboration import (
    consultation_pairs,
    directed_counts,
    followup_times,
    org_graph,
    org_metrics,
)
from tests.overlap_oracle import involvement_table, shared_households


def inv(h: str, org: str, since: date, until: date | None = None) -> dict[str, object]:
    return {"household_id": h, "area": "A", "area_kind": "x", "professional_id": f"{h}-{org}",
            "organisation_id": org, "function": "f", "life_domain": "WONEN", "subject_id": h,
            "since": since, "until": until}


def test_shared_households_need_overlapping_periods() -> None:
    t = involvement_table([
        inv("H1", "O1", date(2008, 1, 1), date(2008, 3, 31)), inv("H1", "O2", date(2008, 3, 31)),  # touch: yes
        inv("H2", "O1", date(2008, 1, 1), date(2008, 3, 30)), inv("H2", "O2", date(2008, 3, 31)),  # apart: no
        inv("H3", "O1", date(2008, 1, 1)), inv("H3", "O2", date(2008, 1, 1)), inv("H3", "O3", date(2008, 1, 1)),
        inv("H4", "O3", date(2008, 1, 1)), inv("H4", "O3", date(2008, 2, 1)),  # one organisation twice: no pair
    ])
    assert shared_households(t).values.tolist() == [["O1", "O2", 2], ["O1", "O3", 1], ["O2", "O3", 1]]


def test_star_broker_has_all_betweenness() -> None:
    # O1 is the only link between O2, O3 and O4; O5 is isolated.
    edges = pd.DataFrame({"a": ["O1", "O1", "O1"], "b": ["O2", "O3", "O4"], "n": [3, 2, 1]})
    m = org_metrics(org_graph(["O1", "O2", "O3", "O4", "O5"], edges))
    assert m["degree"].to_dict() == {"O1": 3, "O2": 1, "O3": 1, "O4": 1, "O5": 0}
    assert m["strength"].to_dict() == {"O1": 6, "O2": 3, "O3": 2, "O4": 1, "O5": 0}
    # 3 of the 6 pairs among the other four organisations route through O1: 3 / (4*3/2) = 0.5.
    assert m.loc["O1", "betweenness"] == 0.5
    assert m.loc["O2", "betweenness"] == 0.0


def test_directed_edges_both_ways_add_up_in_the_undirected_graph() -> None:
    e = directed_counts(pd.DataFrame({"from_organisation": ["A", "A", "B"], "to_organisation": ["B", "B", "A"]}))
    g = org_graph(["A", "B"], e, "source", "target", "n")
    assert g["A"]["B"]["weight"] == 3


def test_consultation_pairs_count_each_meeting_once() -> None:
    assert consultation_pairs([["A", "B"], ["A", "B", "A"], ["B", "C", None]]).values.tolist() == [  # type: ignore[list-item]
        ["A", "B", 2], ["B", "C", 1]]


def test_followup_times() -> None:
    d = date(2008, 1, 1)
    r = pd.DataFrame({"to_organisation": ["X", "X", "Y"], "date": [d, d, d],
                      "accepted_at": [date(2008, 1, 5), date(2008, 1, 9), None],
                      "started_at": [date(2008, 2, 1), None, None]})
    f = followup_times(r)
    assert f.loc["X"].tolist() == [2, 6.0, 31.0, 1]
    assert f.loc["Y", "not_started"] == 1 and pd.isna(f.loc["Y", "median_days_to_accept"])


def test_examples_in_the_docstrings_hold() -> None:
    import doctest

    from queries.analytics import collaboration

    result = doctest.testmod(collaboration)
    assert result.failed == 0 and result.attempted >= 10


def test_shared_and_directed_from_database_counts() -> None:
    from queries.analytics.collaboration import directed_from_counts, shared_from_counts

    served, shared = shared_from_counts([{"org_a": "B", "org_b": "A", "households": 2},
                                         {"org_a": "A", "org_b": "B", "households": 1},
                                         {"org_a": "A", "org_b": "A", "households": 4},
                                         {"org_a": "C", "org_b": "C", "households": 1}])
    assert served.to_dict() == {"A": 4, "C": 1}
    assert shared.to_dict("records") == [{"a": "A", "b": "B", "n": 3}]
    d = directed_from_counts([{"source": "A", "target": "C", "n": 2}, {"source": "A", "target": "B", "n": 2},
                              {"source": "C", "target": "A", "n": 5}])
    assert d.to_dict("records") == [{"source": "C", "target": "A", "n": 5}, {"source": "A", "target": "B", "n": 2},
                                    {"source": "A", "target": "C", "n": 2}]
    assert directed_from_counts([]).empty
