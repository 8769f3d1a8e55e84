"""Community detection and handover hotspots on graphs with obvious answers."""

from __future__ import annotations

from datetime import date

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from queries.analytics.communities import (
    chain_lengths,
    detect_communities,
    handover_hotspots,
    longest_chains,
    ping_pong,
)


def three_cliques() -> list[tuple[str, str, int]]:
    """Three 5-cliques (weight 3 inside) joined in a ring by single weak edges."""
    edges = []
    for g in "ABC":
        nodes = [f"{g}{i}" for i in range(5)]
        edges += [(u, v, 3) for n, u in enumerate(nodes) for v in nodes[n + 1:]]
    edges += [("A0", "B0", 1), ("B1", "C0", 1), ("C1", "A1", 1)]
    return edges


def expected_modularity(edges: list[tuple[str, str, int]], groups: list[set[str]]) -> float:
    g = nx.Graph()
    g.add_weighted_edges_from(edges)
    return float(nx.community.modularity(g, groups, weight="weight"))


@pytest.mark.parametrize("engine", ["networkx", "igraph", "auto"])
def test_obvious_communities_are_found_by_every_engine(engine: str) -> None:
    edges = three_cliques()
    c = detect_communities(edges, seed=7, engine=engine)
    assert c.members() == [[f"{g}{i}" for i in range(5)] for g in "ABC"]
    truth = [{f"{g}{i}" for i in range(5)} for g in "ABC"]
    assert c.modularity == pytest.approx(expected_modularity(edges, truth))
    # m = 93; per clique L = 30, degree sum 62: Q = 3 * (30/93 - (62/186)**2) = 0.6344
    assert c.modularity == pytest.approx(3 * (30 / 93 - (62 / 186) ** 2))
    assert c.seed == 7


def test_same_seed_same_partition_and_direction_is_folded() -> None:
    edges = three_cliques()
    flipped = [(v, u, w) for u, v, w in edges]
    a = detect_communities(edges, seed=1, engine="networkx")
    b = detect_communities(flipped, seed=1, engine="networkx")
    assert a.partition == b.partition


def test_dataframe_input_and_reported_algorithm() -> None:
    df = pd.DataFrame(three_cliques(), columns=["source", "target", "n"])
    c = detect_communities(df, seed=1, engine="igraph")
    assert c.algorithm == "Leiden, modularity (igraph)" and c.count == 3
    assert detect_communities(df, seed=1, engine="networkx").algorithm == "Louvain (networkx)"


def test_empty_graph_and_unknown_engine() -> None:
    assert detect_communities([], seed=1).count == 0
    with pytest.raises(ValueError, match="unknown engine"):
        detect_communities(three_cliques(), seed=1, engine="gpu")


def events() -> pd.DataFrame:
    rows = [  # (household, domain, from, to, date, area)
        ("H1", "W", "A", "B", date(2008, 1, 10), "NVL"),
        ("H1", "W", "B", "A", date(2008, 2, 10), "NVL"),
        ("H1", "W", "A", "C", date(2008, 4, 10), "NVL"),
        ("H2", "W", "A", "B", date(2008, 4, 11), "SVZ"),
        ("H2", "Z", "B", "C", date(2008, 7, 1), "SVZ"),
        ("H3", "W", "A", "B", date(2008, 1, 2), "NVL"),
        ("H3", "W", "B", "A", date(2008, 1, 3), "NVL"),
    ]
    return pd.DataFrame(rows, columns=["household_id", "life_domain", "from_organisation", "to_organisation",
                                       "date", "area"])


def test_hotspots_pairs_areas_periods() -> None:
    h = handover_hotspots(events())
    assert h["pairs"].values.tolist() == [["A", "B", 3], ["B", "A", 2], ["A", "C", 1], ["B", "C", 1]]
    assert h["areas"].values.tolist() == [["NVL", 5], ["SVZ", 2]]
    assert h["periods"].values.tolist() == [["2008-Q1", 4], ["2008-Q2", 2], ["2008-Q3", 1]]


def test_chains_longest_and_ping_pong() -> None:
    e = events()
    assert chain_lengths(e).to_dict() == {1: 2, 2: 1, 3: 1}
    top = longest_chains(e, top=2)
    assert top.to_dict("records") == [{"route": "A → B → A → C", "length": 3, "cases": 1},
                                      {"route": "A → B → A", "length": 2, "cases": 1}]
    # a single handover is no route: with top=10 only the chains of two handovers or more are listed
    assert longest_chains(e, top=10)["length"].tolist() == [3, 2]
    # H1: A->B then B->A (once; B->A then A->C is no ping-pong); H3: A->B->A.
    assert ping_pong(e).to_dict("records") == [{"a": "A", "b": "B", "n": 2}]


# --- the numpy paths for integer nodes give what the list paths give -----------------------------------------

def _random_partition(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    nodes = rng.choice(100_000, size=rng.integers(1, 3000), replace=False).astype(np.int64)
    membership = rng.integers(0, rng.integers(1, 400), size=nodes.size)  # sizes tie often
    return nodes, membership


@pytest.mark.parametrize("seed", range(8))
def test_integer_communities_are_numbered_as_the_list_path_numbers_them(seed: int) -> None:
    from queries.analytics.communities import _canonical, _canonical_codes

    nodes, membership = _random_partition(seed)
    groups: dict[int, list[int]] = {}
    for n, c in zip(nodes.tolist(), membership.tolist(), strict=True):
        groups.setdefault(c, []).append(n)
    assert _canonical_codes(nodes, membership) == _canonical(groups.values())


@pytest.mark.parametrize("seed", range(8))
def test_integer_members_come_as_the_list_path_gives_them(seed: int) -> None:
    from queries.analytics.communities import Communities, _canonical

    nodes, membership = _random_partition(seed)
    part = _canonical([[int(n) for n in nodes[membership == c]] for c in np.unique(membership)])
    by_community: dict[int, list[int]] = {}
    for n, c in part.items():
        by_community.setdefault(c, []).append(n)
    assert Communities(part, 0.0, "x", "x", 1).members() == [sorted(by_community[c]) for c in sorted(by_community)]


def test_main_organisations_are_the_most_common_with_ties_in_member_order() -> None:
    from collections import Counter

    from queries.aggregates import _main_organisations

    rng = np.random.default_rng(5)
    pro_org = rng.integers(-1, 6, size=2000)
    members = rng.permutation(2000)
    cuts = np.sort(rng.choice(np.arange(1, 2000), size=150, replace=False))
    groups = [sorted(g.tolist()) for g in np.split(members, cuts)]
    expected = [[o for o, _ in Counter(int(pro_org[m]) for m in g).most_common(3)] for g in groups]
    assert _main_organisations(groups, pro_org) == expected
    assert _main_organisations([], pro_org) == []


def test_auto_takes_leiden_above_the_networkx_limit_and_louvain_below() -> None:
    """Louvain in networkx is pure Python: one area's professionals at city size took seconds where Leiden in
    igraph took a tenth (bench/results/s8-80k-users). Organisation graphs and a neighbourhood stay with Louvain."""
    from queries.analytics.communities import NETWORKX_MAX_EDGES

    rng = np.random.default_rng(3)

    def edges(m: int) -> pd.DataFrame:
        u = rng.integers(0, m // 2, 3 * m)
        v = rng.integers(0, m // 2, 3 * m)
        df = pd.DataFrame({"u": u, "v": v, "w": 1})
        df = df[df.u != df.v]
        df = df.assign(a=df[["u", "v"]].min(axis=1), b=df[["u", "v"]].max(axis=1)).drop_duplicates(["a", "b"])
        return df[["u", "v", "w"]].head(m)

    assert detect_communities(edges(NETWORKX_MAX_EDGES), seed=1).algorithm == "Louvain (networkx)"
    assert detect_communities(edges(NETWORKX_MAX_EDGES + 1), seed=1).algorithm == "Leiden, modularity (igraph)"
