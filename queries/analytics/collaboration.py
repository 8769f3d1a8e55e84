"""How partner organisations work together: shared households, handovers, referrals, joint consultations,
mandates and advice, and where referrals wait.

Plain functions over plain tables; the organisation graph is a ``networkx.Graph`` (25–40 organisations, so
networkx is instant). Counts are raw; :mod:`queries.aggregates` applies disclosure control.

Examples
--------
>>> import pandas as pd
>>> edges = pd.DataFrame({"a": ["O1", "O2"], "b": ["O2", "O3"], "n": [5, 2]})
>>> g = org_graph(["O1", "O2", "O3", "O4"], edges)
>>> org_metrics(g)["betweenness"].to_dict()
{'O1': 0.0, 'O2': 0.3333, 'O3': 0.0, 'O4': 0.0}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

import networkx as nx
import pandas as pd

__all__ = [
    "EDGE_TYPES",
    "consultation_pairs",
    "directed_counts",
    "directed_from_counts",
    "followup_from_counts",
    "followup_times",
    "org_graph",
    "org_metrics",
    "shared_from_counts",
]

#: Kinds of tie between organisations, as offered in the filters.
EDGE_TYPES: dict[str, str] = {
    "shared": "Shared households (both active at the same time)",
    "handover": "Handovers (directed)",
    "referral": "Referrals (directed)",
    "consultation": "Joint consultations",
}


def directed_counts(events: pd.DataFrame, source: str = "from_organisation",
                    target: str = "to_organisation") -> pd.DataFrame:
    """Events per ordered (source, target) pair, most first; columns ``source``, ``target``, ``n``.

    >>> import pandas as pd
    >>> e = pd.DataFrame({"from_organisation": ["A", "A", "B"], "to_organisation": ["B", "B", "A"]})
    >>> directed_counts(e).to_dict("records")
    [{'source': 'A', 'target': 'B', 'n': 2}, {'source': 'B', 'target': 'A', 'n': 1}]
    """
    if events.empty:
        return pd.DataFrame({"source": [], "target": [], "n": []}).astype({"n": "int64"})
    out = events.groupby([source, target]).size().reset_index(name="n")
    out.columns = ["source", "target", "n"]
    return out.sort_values(["n", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)


def directed_from_counts(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """:func:`directed_counts` from rows already counted in the database (``source``, ``target``, ``n``).

    >>> directed_from_counts([{"source": "B", "target": "A", "n": 1}, {"source": "A", "target": "B", "n": 2}]
    ...                      ).to_dict("records")
    [{'source': 'A', 'target': 'B', 'n': 2}, {'source': 'B', 'target': 'A', 'n': 1}]
    """
    out = pd.DataFrame([(r["source"], r["target"], int(r["n"])) for r in rows], columns=["source", "target", "n"])
    if out.empty:
        return directed_counts(out)  # the same empty shape as counting no events
    out = out.astype({"n": "int64"})
    return out.sort_values(["n", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)


def consultation_pairs(attendance: Iterable[Sequence[str]]) -> pd.DataFrame:
    """Joint consultations per unordered pair of organisations (each consultation counted once per pair).

    >>> consultation_pairs([["A", "B", "C"], ["A", "B", "B"]]).to_dict("records")
    [{'a': 'A', 'b': 'B', 'n': 2}, {'a': 'A', 'b': 'C', 'n': 1}, {'a': 'B', 'b': 'C', 'n': 1}]
    """
    pairs: Counter[tuple[str, str]] = Counter()
    for orgs in attendance:
        for a, b in combinations(sorted(set(o for o in orgs if o)), 2):
            pairs[(a, b)] += 1
    return pd.DataFrame([(a, b, n) for (a, b), n in sorted(pairs.items())], columns=["a", "b", "n"]).astype(
        {"n": "int64"})


def org_graph(organisations: Iterable[str], edges: pd.DataFrame, a: str = "a", b: str = "b",
              weight: str = "n") -> nx.Graph:
    """An undirected organisation graph; every organisation is a node, edge weight = ``weight``."""
    g = nx.Graph()
    g.add_nodes_from(organisations)
    for x, y, w in edges[[a, b, weight]].itertuples(index=False):
        if x == y or int(w) <= 0:
            continue
        prev = g.get_edge_data(x, y, {}).get("weight", 0)
        g.add_edge(x, y, weight=prev + int(w))
    return g


def org_metrics(g: nx.Graph) -> pd.DataFrame:
    """Per organisation: ``degree`` (partners), ``strength`` (sum of edge weights) and ``betweenness``.

    Betweenness is networkx's normalised shortest-path betweenness on the *unweighted* graph: the share of
    shortest routes between two other organisations that pass through this one (brokers score high).
    Rounded to 4 decimals.
    """
    bc = nx.betweenness_centrality(g, normalized=True)
    rows = [{"organisation": n, "degree": int(g.degree(n)),
             "strength": int(sum(d.get("weight", 1) for _, _, d in g.edges(n, data=True))),
             "betweenness": round(float(bc[n]), 4)} for n in sorted(g.nodes)]
    return pd.DataFrame(rows, columns=["organisation", "degree", "strength", "betweenness"]).set_index(
        "organisation")


def followup_times(referrals: pd.DataFrame) -> pd.DataFrame:
    """Per receiving organisation: referrals, median days to acceptance and to start, and how many never
    started (bottlenecks). ``referrals`` has ``to_organisation``, ``date``, ``accepted_at``, ``started_at``.

    >>> import pandas as pd
    >>> from datetime import date
    >>> r = pd.DataFrame({"to_organisation": ["A", "A", "A"],
    ...     "date": [date(2008, 1, 1)] * 3, "accepted_at": [date(2008, 1, 3), date(2008, 1, 11), None],
    ...     "started_at": [date(2008, 1, 21), None, None]})
    >>> followup_times(r).reset_index().to_dict("records")
    [{'organisation': 'A', 'referrals': 3, 'median_days_to_accept': 6.0, 'median_days_to_start': 20.0, 'not_started': 2}]
    """
    cols = ["referrals", "median_days_to_accept", "median_days_to_start", "not_started"]
    if referrals.empty:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="organisation"))
    r = referrals.copy()
    for c in ("date", "accepted_at", "started_at"):
        r[c] = pd.to_datetime(r[c])
    r["accept_days"] = (r["accepted_at"] - r["date"]).dt.days
    r["start_days"] = (r["started_at"] - r["date"]).dt.days
    g = r.groupby("to_organisation")
    out = pd.DataFrame({
        "referrals": g.size().astype("int64"),
        "median_days_to_accept": g["accept_days"].median().astype("float64"),
        "median_days_to_start": g["start_days"].median().astype("float64"),
        "not_started": g["started_at"].apply(lambda s: int(s.isna().sum())).astype("int64"),
    })
    out.index.name = "organisation"
    return out[cols]


def shared_from_counts(rows: Iterable[Mapping[str, Any]]) -> tuple[pd.Series, pd.DataFrame]:
    """Households served per organisation and :func:`shared_households` from the rows of the
    ``org_collaboration_shared`` query (``org_a``, ``org_b``, ``households``; ``org_a == org_b`` = served,
    otherwise one unordered pair in either order).

    >>> served, shared = shared_from_counts([{"org_a": "O2", "org_b": "O1", "households": 2},
    ...                                      {"org_a": "O1", "org_b": "O1", "households": 3}])
    >>> served.to_dict(), shared.to_dict("records")
    ({'O1': 3}, [{'a': 'O1', 'b': 'O2', 'n': 2}])
    """
    served: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for r in rows:
        a, b, n = str(r["org_a"]), str(r["org_b"]), int(r["households"])
        if a == b:
            served[a] += n
        else:
            pairs[(min(a, b), max(a, b))] += n
    s = pd.Series(dict(sorted(served.items())), dtype="int64")
    s.index.name = "organisation_id"
    out = pd.DataFrame([(a, b, n) for (a, b), n in sorted(pairs.items())], columns=["a", "b", "n"])
    return s, out.astype({"n": "int64"})


def followup_from_counts(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """:func:`followup_times` from rows counted per (source, target) in the database: ``target``, ``n``,
    ``accept_days`` and ``start_days`` (lists of whole days, the missing ones left out) and ``not_started``.

    >>> followup_from_counts([{"target": "A", "n": 2, "accept_days": [2], "start_days": [20], "not_started": 1},
    ...                       {"target": "A", "n": 1, "accept_days": [10], "start_days": [], "not_started": 1}]
    ...                      ).reset_index().to_dict("records")
    [{'organisation': 'A', 'referrals': 3, 'median_days_to_accept': 6.0, 'median_days_to_start': 20.0, 'not_started': 2}]
    """
    cols = ["referrals", "median_days_to_accept", "median_days_to_start", "not_started"]
    per: dict[str, dict[str, Any]] = {}
    for r in rows:
        agg = per.setdefault(r["target"], {"referrals": 0, "accept": [], "start": [], "not_started": 0})
        agg["referrals"] += int(r["n"])
        agg["accept"] += list(r["accept_days"])
        agg["start"] += list(r["start_days"])
        agg["not_started"] += int(r["not_started"])
    if not per:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="organisation"))
    out = pd.DataFrame({
        "referrals": pd.Series({o: a["referrals"] for o, a in per.items()}, dtype="int64"),
        "median_days_to_accept": pd.Series({o: pd.Series(a["accept"], dtype="float64").median()
                                            for o, a in per.items()}, dtype="float64"),
        "median_days_to_start": pd.Series({o: pd.Series(a["start"], dtype="float64").median()
                                           for o, a in per.items()}, dtype="float64"),
        "not_started": pd.Series({o: a["not_started"] for o, a in per.items()}, dtype="int64"),
    }).sort_index()
    out.index.name = "organisation"
    return out[cols]
