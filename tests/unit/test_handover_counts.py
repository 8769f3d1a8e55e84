"""The handover page's numpy counts (queries.analytics.handover_counts) equal the pandas definitions in
queries.analytics.communities on the same handovers, on a small hand-built set and on a seeded random one."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from queries.analytics import communities, handover_counts
from queries.analytics.handover_counts import Handovers

ORGS = ("OA", "OB", "OC", "OD")
AREAS = ("NVL", "SVZ")
EPOCH = date(1970, 1, 1)


def make(rows: list[tuple[int, int, int, int, int, int, int, int]]) -> Handovers:
    """rows: (day, from_professional, to_professional, from_org, to_org, life_domain, household, area)."""
    cols = [np.array(c, dtype=np.int64) for c in zip(*rows, strict=True)] if rows else \
        [np.zeros(0, dtype=np.int64)] * 8
    return Handovers(date=cols[0], from_professional=cols[1], to_professional=cols[2], from_organisation=cols[3],
                     to_organisation=cols[4], life_domain=cols[5], household=cols[6], area=cols[7],
                     organisations=ORGS, areas=AREAS)


def events(h: Handovers) -> pd.DataFrame:
    """The same handovers as the reference's event table (identifiers as zero-padded text)."""
    def text(codes: np.ndarray) -> list[str | None]:
        return [f"{c:08d}" if c >= 0 else None for c in codes.tolist()]

    def named(vocab: tuple[str, ...], codes: np.ndarray) -> list[str | None]:
        return [vocab[c] if c >= 0 else None for c in codes.tolist()]

    return pd.DataFrame({
        "date": [EPOCH + timedelta(days=d) for d in h.date.tolist()],
        "from_professional": text(h.from_professional), "from_organisation": named(ORGS, h.from_organisation),
        "to_professional": text(h.to_professional), "to_organisation": named(ORGS, h.to_organisation),
        "life_domain": [f"D{c}" if c >= 0 else None for c in h.life_domain.tolist()],
        "household_id": text(h.household), "area": named(AREAS, h.area)})


def seeded(n: int, seed: int) -> Handovers:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        a, b = rng.randrange(12), rng.randrange(12)
        rows.append((14000 + rng.randrange(400), a, b, a % 4, b % 4, rng.randrange(-1, 3), rng.randrange(8),
                     rng.randrange(-1, 2)))
    return make(rows)


HAND = make([  # H0 housing: A->B, B->A (ping-pong), A->C; H1: B->C on one day twice; one without area
    (14000, 0, 1, 0, 1, 0, 0, 0), (14010, 1, 0, 1, 0, 0, 0, 0), (14020, 0, 2, 0, 2, 0, 0, 0),
    (14100, 1, 2, 1, 2, 1, 1, 1), (14100, 1, 3, 1, 2, 1, 1, 1), (14200, 3, 3, 2, 3, -1, 2, -1)])


@pytest.mark.parametrize("h", [HAND, seeded(400, 1), seeded(60, 2), make([])], ids=["hand", "r400", "r60", "none"])
def test_every_table_equals_the_pandas_definition(h: Handovers) -> None:
    e = events(h)
    for name in ("chain_lengths", "ping_pong"):
        want, got = getattr(communities, name)(e), getattr(handover_counts, name)(h)
        (pd.testing.assert_series_equal if isinstance(want, pd.Series) else pd.testing.assert_frame_equal)(got, want)
    pd.testing.assert_frame_equal(handover_counts.longest_chains(h, top=5), communities.longest_chains(e, top=5))
    for name, want in communities.handover_hotspots(e).items():
        pd.testing.assert_frame_equal(handover_counts.handover_hotspots(h)[name], want, check_dtype=bool(len(e)))
    pairs = e.groupby(["from_professional", "to_professional"]).size()
    src, dst, n = handover_counts.professional_edges(h)
    assert [(f"{a:08d}", f"{b:08d}", c) for a, b, c in zip(src.tolist(), dst.tolist(), n.tolist(), strict=True)] \
        == [(a, b, c) for (a, b), c in pairs.items()]


def test_hand_checked_values() -> None:
    assert handover_counts.chain_lengths(HAND).to_dict() == {1: 1, 2: 1, 3: 1}
    assert handover_counts.ping_pong(HAND).values.tolist() == [["OA", "OB", 1]]
    # a route has two handovers or more: H2's single handover (OC → OD) is no route
    assert handover_counts.longest_chains(HAND).to_dict("records") == [
        {"route": "OA → OB → OA → OC", "length": 3, "cases": 1}, {"route": "OB → OC → OC", "length": 2, "cases": 1}]
    hot = handover_counts.handover_hotspots(HAND)
    assert hot["areas"].values.tolist() == [["NVL", 3], ["SVZ", 2], ["(unknown)", 1]]
    assert hot["pairs"].values.tolist()[0] == ["OB", "OC", 2]
    # professional 1 handed over for OB three times and took over once for OB; 3 for OC once and OD once
    assert handover_counts.professional_organisation(HAND).tolist() == [0, 1, 2, 2]


def test_clustering_on_integer_codes_is_clustering_on_their_text() -> None:
    """The professional graph is clustered on integer codes (numpy); the partition is the one on the same
    codes as text, numbered the same, with either engine."""
    h = seeded(400, 3)
    src, dst, n = handover_counts.professional_edges(h)
    codes = pd.DataFrame({"u": src, "v": dst, "n": n})
    text = pd.DataFrame({"u": [f"{c:08d}" for c in src], "v": [f"{c:08d}" for c in dst], "n": n})
    for engine in ("networkx", "igraph"):
        a = communities.detect_communities(codes, seed=7, engine=engine)
        b = communities.detect_communities(text, seed=7, engine=engine)
        assert {f"{k:08d}": v for k, v in a.partition.items()} == b.partition
        assert a.modularity == pytest.approx(b.modularity)
