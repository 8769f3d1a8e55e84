"""Where handovers cluster: communities in a handover graph, hotspots, chains and ping-pong.

:func:`detect_communities` is the one interface to community detection. It treats the graph as undirected
and weighted (a handover A→B and one B→A both strengthen the tie A–B) and maximises *modularity*:

* ``engine="networkx"``: Louvain (Blondel et al. 2008) as in ``networkx.community.louvain_communities``;
  clear and fast enough for organisation graphs and a neighbourhood's professionals.
* ``engine="igraph"``: Leiden (Traag et al. 2019, modularity objective, iterated until stable) on an
  ``igraph.Graph`` built straight from the edge list; orders of magnitude faster on city-sized graphs.
* ``engine="auto"``: networkx up to :data:`NETWORKX_MAX_EDGES` edges, igraph above: Louvain in pure Python
  is several times slower from about a thousand edges on, and Leiden's partitions had the same or a higher
  modularity at every size measured (``bench/results/s8-80k-users``: one area's professionals at city size).

Both use the given ``seed`` (the result is the same on every run) and report the modularity of the
partition they found (0 = no better than chance; above ~0.3 = clear communities). Communities are numbered
0, 1, … from the largest down, so numbers are stable across engines when the partition is the same.

The hotspot functions take *handover events*: one row per handover with ``from_organisation``,
``to_organisation``, ``date``, ``household_id``, ``life_domain`` and ``area``.

Examples
--------
>>> c = detect_communities([("a", "b", 1), ("b", "c", 1), ("a", "c", 1), ("x", "y", 1), ("y", "z", 1),
...                         ("x", "z", 1), ("c", "x", 1)], seed=1)
>>> sorted(sorted(n for n, k in c.partition.items() if k == i) for i in range(c.count))
[['a', 'b', 'c'], ['x', 'y', 'z']]
>>> round(c.modularity, 3)
0.357
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from queries.analytics.arrays import run_starts

__all__ = [
    "MIN_ROUTE",
    "NETWORKX_MAX_EDGES",
    "NO_EDGES",
    "Communities",
    "chain_lengths",
    "detect_communities",
    "handover_hotspots",
    "longest_chains",
    "ping_pong",
]

NETWORKX_MAX_EDGES = 1_000


@dataclass(frozen=True)
class Communities:
    """A partition of the nodes, its modularity and how it was found."""

    partition: dict[Any, int]
    modularity: float
    engine: str
    algorithm: str
    seed: int

    @property
    def count(self) -> int:
        return len(set(self.partition.values()))

    def members(self) -> list[list[Any]]:
        """The members of each community, communities in number order, members in :func:`_node_key` order."""
        if _all_integers(self.partition):  # a city's professionals: in numpy
            nodes = np.fromiter(self.partition.keys(), np.int64, len(self.partition))
            comms = np.fromiter(self.partition.values(), np.int64, len(self.partition))
            order = np.lexsort((nodes, comms))
            return [part.tolist() for part in np.split(nodes[order], run_starts(comms[order])[1:])]
        groups: dict[int, list[Any]] = {}
        for n, c in self.partition.items():
            groups.setdefault(c, []).append(n)
        return [sorted(groups[c], key=_node_key) for c in sorted(groups)]


def _all_integers(nodes: Iterable[Any]) -> bool:
    return all(isinstance(n, int | np.integer) and not isinstance(n, bool) for n in nodes)


def _node_key(node: Any) -> tuple[int, Any]:
    """Nodes in a stable order: integer codes by value (so codes numbered in the order of identifiers keep it),
    anything else by its text."""
    return (0, int(node)) if isinstance(node, (int, np.integer)) else (1, str(node))


def _integer_edges(edges: pd.DataFrame) -> pd.DataFrame:
    """:func:`_edge_frame` for integer node codes, in numpy (a city's professional graph has a million edges)."""
    u = edges.iloc[:, 0].to_numpy(dtype=np.int64)
    v = edges.iloc[:, 1].to_numpy(dtype=np.int64)
    w = edges.iloc[:, 2].to_numpy(dtype=np.float64) if edges.shape[1] >= 3 else np.ones(u.size)
    keep = u != v
    lo, hi, w = np.minimum(u, v)[keep], np.maximum(u, v)[keep], w[keep]
    if not lo.size:
        return pd.DataFrame({"u": [], "v": [], "w": []})
    base = int(lo.min())
    width = int(hi.max()) - base + 1
    keys, inverse = np.unique((lo - base) * width + (hi - base), return_inverse=True)
    return pd.DataFrame({"u": keys // width + base, "v": keys % width + base,
                         "w": np.bincount(inverse, weights=w, minlength=keys.size)})


def _edge_frame(edges: Any) -> pd.DataFrame:
    if isinstance(edges, pd.DataFrame) and edges.shape[1] >= 2 and all(
            pd.api.types.is_integer_dtype(t) for t in edges.dtypes.iloc[:2]):
        return _integer_edges(edges)
    if isinstance(edges, pd.DataFrame):
        df = edges.iloc[:, :3].copy() if edges.shape[1] >= 3 else edges.assign(w=1)
    else:
        rows = [tuple(e) if len(e) == 3 else (e[0], e[1], 1) for e in edges]
        df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame({"u": [], "v": [], "w": []})
    df.columns = ["u", "v", "w"]
    df = df[df["u"] != df["v"]]
    # Undirected: fold A->B and B->A into one tie.
    key_u = df[["u", "v"]].astype(str).min(axis=1)
    swap = df["u"].astype(str) != key_u
    u = df["u"].where(~swap, df["v"])
    v = df["v"].where(~swap, df["u"])
    out = pd.DataFrame({"u": u, "v": v, "w": df["w"].astype("float64")})
    return out.groupby(["u", "v"], as_index=False, sort=True)["w"].sum()


def _canonical(groups: Iterable[Iterable[Any]]) -> dict[Any, int]:
    """Community numbers from the largest community down (ties: the one with the first member first)."""
    ordered = sorted((sorted(g, key=_node_key) for g in groups), key=lambda g: (-len(g), _node_key(g[0])))
    return {n: i for i, g in enumerate(ordered) for n in g}


def _canonical_codes(nodes: np.ndarray, membership: np.ndarray) -> dict[int, int]:
    """:func:`_canonical` for integer nodes (``membership[i]``: the community found for ``nodes[i]``), in numpy:
    the same numbers, for a city's professional graph without sorting Python lists."""
    _, comm = np.unique(membership, return_inverse=True)
    comm = comm.reshape(-1)
    order = np.lexsort((nodes, comm))
    starts = run_starts(comm[order])
    first = nodes[order][starts]  # per community (0, 1, … in order): its first member
    size = np.diff(np.r_[starts, nodes.size])
    number = np.empty(starts.size, dtype=np.int64)
    number[np.lexsort((first, -size))] = np.arange(starts.size)
    return dict(zip(nodes.tolist(), number[comm].tolist(), strict=True))


#: the algorithm of a graph without edges (nothing to cluster): a page says it in its own words
NO_EDGES = "none (no edges)"


def detect_communities(edges: Any, *, seed: int, engine: str = "auto", resolution: float = 1.0) -> Communities:
    """Communities of a weighted graph given as edges ``(u, v, weight)`` (or a DataFrame u, v, weight).

    See the module docstring for the algorithms. Isolated nodes are not part of the result.
    """
    df = _edge_frame(edges)
    if engine == "auto":
        engine = "networkx" if len(df) <= NETWORKX_MAX_EDGES else "igraph"
    if df.empty:
        return Communities({}, 0.0, engine, NO_EDGES, seed)
    if engine == "networkx":
        g = nx.Graph()
        g.add_weighted_edges_from(df.itertuples(index=False, name=None))
        groups = nx.community.louvain_communities(g, weight="weight", resolution=resolution, seed=seed)
        q = nx.community.modularity(g, groups, weight="weight", resolution=resolution)
        return Communities(_canonical(groups), float(q), "networkx", "Louvain (networkx)", seed)
    if engine == "igraph":
        import igraph as ig

        codes, names = pd.factorize(pd.concat([df["u"], df["v"]], ignore_index=True))
        n_edges = len(df)
        pairs = list(zip(codes[:n_edges].tolist(), codes[n_edges:].tolist(), strict=True))
        g = ig.Graph(n=len(names), edges=pairs, directed=False)
        weights = df["w"].tolist()
        # igraph draws from a module-wide generator: give it our own seeded one, then put the default back.
        ig.set_random_number_generator(random.Random(seed))
        try:
            part = g.community_leiden(objective_function="modularity", weights=weights,
                                      resolution=resolution, n_iterations=-1)
        finally:
            ig.set_random_number_generator(random)
        q = g.modularity(part.membership, weights=weights, resolution=resolution)
        if pd.api.types.is_integer_dtype(names.dtype):
            return Communities(_canonical_codes(names.to_numpy(dtype=np.int64), np.asarray(part.membership)),
                               float(q), "igraph", "Leiden, modularity (igraph)", seed)
        groups_ig: dict[int, list[Any]] = {}
        for idx, c in enumerate(part.membership):
            groups_ig.setdefault(c, []).append(names[idx])
        return Communities(_canonical(groups_ig.values()), float(q), "igraph", "Leiden, modularity (igraph)",
                           seed)
    raise ValueError(f"unknown engine {engine!r}; use 'auto', 'networkx' or 'igraph'")


def _quarter(d: Any) -> str:
    ts = pd.Timestamp(d)
    return f"{ts.year}-Q{(ts.month - 1) // 3 + 1}"


def handover_hotspots(events: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Handovers per organisation pair (directed), per area and per quarter, most first.

    >>> import pandas as pd
    >>> from datetime import date
    >>> e = pd.DataFrame({"from_organisation": ["A", "A", "B"], "to_organisation": ["B", "B", "C"],
    ...     "date": [date(2008, 1, 5), date(2008, 5, 1), date(2008, 5, 2)], "area": ["X", "X", "Y"]})
    >>> h = handover_hotspots(e)
    >>> h["pairs"].values.tolist(), h["periods"].values.tolist()
    ([['A', 'B', 2], ['B', 'C', 1]], [['2008-Q1', 1], ['2008-Q2', 2]])
    """
    if events.empty:
        empty = pd.DataFrame({"n": []}).astype("int64")
        return {"pairs": empty.assign(source=[], target=[])[["source", "target", "n"]],
                "areas": empty.assign(area=[])[["area", "n"]], "periods": empty.assign(quarter=[])[["quarter", "n"]]}
    pairs = events.groupby(["from_organisation", "to_organisation"]).size().reset_index(name="n")
    pairs.columns = ["source", "target", "n"]
    pairs = pairs.sort_values(["n", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)
    areas = events.groupby(events["area"].fillna("(unknown)")).size().reset_index(name="n")
    areas.columns = ["area", "n"]
    areas = areas.sort_values(["n", "area"], ascending=[False, True]).reset_index(drop=True)
    when = pd.to_datetime(events["date"])
    quarter = when.dt.year.astype(str) + "-Q" + when.dt.quarter.astype(str)
    periods = events.assign(quarter=quarter).groupby("quarter").size().reset_index(name="n")
    return {"pairs": pairs, "areas": areas, "periods": periods.sort_values("quarter").reset_index(drop=True)}


@dataclass(frozen=True)
class _Cases:
    """Handovers in case order (household, life domain, date; stable), as arrays: the case of each handover
    (consecutive numbers), its from and to organisation, and where each case starts."""

    case: np.ndarray
    source: np.ndarray
    target: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray


def _cases(events: pd.DataFrame) -> _Cases:
    ordered = events.sort_values(["household_id", "life_domain", "date"], kind="stable")
    h = pd.factorize(ordered["household_id"], use_na_sentinel=False)[0]
    d = pd.factorize(ordered["life_domain"], use_na_sentinel=False)[0]
    new = np.r_[True, (h[1:] != h[:-1]) | (d[1:] != d[:-1])] if len(h) else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(new)
    return _Cases(case=np.cumsum(new) - 1,
                  source=ordered["from_organisation"].to_numpy(dtype=object),
                  target=ordered["to_organisation"].to_numpy(dtype=object),
                  starts=starts, lengths=np.diff(np.r_[starts, len(h)]))


def chain_lengths(events: pd.DataFrame) -> pd.Series:
    """How many (household, life domain) cases went through 1, 2, 3, … handovers.

    >>> import pandas as pd
    >>> from datetime import date
    >>> e = pd.DataFrame({"household_id": ["H1", "H1", "H2"], "life_domain": ["W", "W", "W"],
    ...     "from_organisation": ["A", "B", "A"], "to_organisation": ["B", "C", "B"],
    ...     "date": [date(2008, 1, 1), date(2008, 2, 1), date(2008, 1, 1)]})
    >>> chain_lengths(e).to_dict()
    {1: 1, 2: 1}
    """
    lengths, cases = np.unique(_cases(events).lengths, return_counts=True)
    out = pd.Series(dict(zip(lengths.tolist(), cases.tolist(), strict=True)), dtype="int64")
    out.index.name = "handovers"
    return out


#: The fewest handovers a route has: A → B → C (a single handover A → B is an organisation pair).
MIN_ROUTE = 2


def _route_lengths(lengths: np.ndarray) -> np.ndarray:
    """The chain lengths that make a route, longest first."""
    found = np.unique(lengths)[::-1]
    return found[found >= MIN_ROUTE]


def longest_chains(events: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The most frequent organisation routes among the longest chains: ``route`` ("A → B → C"), ``length``
    (handovers) and ``cases`` (how many household-and-domain cases took that route). A route has at least
    :data:`MIN_ROUTE` handovers: one handover is a pair (the hotspots), not a route."""
    c = _cases(events)
    routes: Counter[tuple[str, ...]] = Counter()
    # Longest first: only the lengths needed to fill ``top`` distinct routes are spelled out (every case of
    # such a length, so that the cases per route are complete).
    for length in _route_lengths(c.lengths):
        if len(routes) >= top:
            break
        for first in c.starts[c.lengths == length]:
            routes[(c.source[first], *c.target[first:first + length])] += 1
    rows = [{"route": " → ".join(r), "length": len(r) - 1, "cases": n} for r, n in routes.items()]
    out = pd.DataFrame(rows, columns=["route", "length", "cases"])
    return out.sort_values(["length", "cases", "route"], ascending=[False, False, True]).head(top).reset_index(
        drop=True)


def ping_pong(events: pd.DataFrame) -> pd.DataFrame:
    """Cases handed back: A→B followed (next handover of the same household and domain) by B→A.

    Returns one row per unordered pair: ``a``, ``b`` and ``n`` (how many times it happened), most first.

    >>> import pandas as pd
    >>> from datetime import date
    >>> e = pd.DataFrame({"household_id": ["H1"] * 3, "life_domain": ["W"] * 3,
    ...     "from_organisation": ["A", "B", "A"], "to_organisation": ["B", "A", "C"],
    ...     "date": [date(2008, 1, 1), date(2008, 2, 1), date(2008, 3, 1)]})
    >>> ping_pong(e).values.tolist()
    [['A', 'B', 1]]
    """
    c = _cases(events)
    nxt = np.flatnonzero(c.case[1:] == c.case[:-1]) if c.case.size else np.zeros(0, dtype=np.int64)
    back = nxt[(c.source[nxt] == c.target[nxt + 1]) & (c.target[nxt] == c.source[nxt + 1])
               & (c.source[nxt] != c.target[nxt])]
    pairs: Counter[tuple[str, str]] = Counter(
        (a, b) if a <= b else (b, a) for a, b in zip(c.source[back], c.target[back], strict=True))
    out = pd.DataFrame([(a, b, n) for (a, b), n in pairs.items()], columns=["a", "b", "n"])
    return out.sort_values(["n", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)
