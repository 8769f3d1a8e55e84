"""What the handover page shows, counted with numpy from handovers as integer codes (no row per handover).

The page needs, for every handover of a period: the organisation pairs (directed), the hotspots per pair, area
and quarter, the chains per (household, life domain) case, the longest routes and ping-pong, and the
professional-to-professional handover graph that is clustered. :mod:`queries.analytics.communities` defines
them on an event table (one row per handover, identifiers as strings); this module gives the same tables from
:class:`Handovers` — one integer column per field — so that a whole region (over a million handovers at
800,000 households) is counted in seconds and the clustering runs on the distinct professional edge weights,
never on row dicts. ``tests/unit/test_handover_counts.py`` holds every function equal to its
:mod:`~queries.analytics.communities` counterpart.

Examples
--------
>>> import numpy as np
>>> h = Handovers(date=np.array([13879, 13910, 13880]), from_professional=np.array([0, 1, 0]),
...     to_professional=np.array([1, 0, 2]), from_organisation=np.array([0, 1, 0]),
...     to_organisation=np.array([1, 0, 1]), life_domain=np.array([0, 0, 0]), household=np.array([0, 0, 1]),
...     area=np.array([0, 0, -1]), organisations=("A", "B"), areas=("NVL",))
>>> ping_pong(h).values.tolist(), chain_lengths(h).to_dict()
([['A', 'B', 1]], {1: 1, 2: 1})
>>> professional_edges(h)
(array([0, 0, 1]), array([1, 2, 0]), array([1, 1, 1]))
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from queries.analytics.communities import MIN_ROUTE

__all__ = ["Handovers", "chain_lengths", "handover_hotspots", "longest_chains", "organisation_pairs", "pairs_and_within", "ping_pong",
           "professional_edges", "professional_organisation"]


@dataclass(frozen=True)
class Handovers:
    """One entry per handover, as integer columns (explicit handovers first; within a case, handovers on the
    same day keep this order).

    ``date``: days since 1970-01-01. ``from_professional``/``to_professional`` and ``household``: codes whose
    order is the order of the identifiers (-1 = none). ``from_organisation``/``to_organisation`` index
    ``organisations``; ``area`` indexes ``areas``; ``life_domain`` is any code (-1 = none).
    """

    date: np.ndarray
    from_professional: np.ndarray
    to_professional: np.ndarray
    from_organisation: np.ndarray
    to_organisation: np.ndarray
    life_domain: np.ndarray
    household: np.ndarray
    area: np.ndarray
    organisations: Sequence[str]
    areas: Sequence[str]

    @property
    def size(self) -> int:
        return int(self.date.size)

    @cached_property
    def cases(self) -> _Cases:
        """The handovers in case order, sorted once for chains, routes and ping-pong."""
        return _cases(self)


def _names(vocab: Sequence[str], codes: np.ndarray, missing: object = None) -> np.ndarray:
    table = np.array([*vocab, missing], dtype=object)
    return table[np.where(codes >= 0, codes, len(vocab))]


def _counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.unique(keys.astype(np.int64), return_counts=True) if keys.size else (
        np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))


def organisation_pairs(h: Handovers) -> list[dict[str, object]]:
    """Handovers per ordered (source, target) pair of organisations: rows ``source``, ``target``, ``n``
    (what ``org_handover_counts`` returns)."""
    no = len(h.organisations)
    known = (h.from_organisation >= 0) & (h.to_organisation >= 0)   # as a group-by, which leaves a none out
    keys, n = _counted(h.from_organisation[known].astype(np.int64) * no + h.to_organisation[known])
    return [{"source": h.organisations[k // no], "target": h.organisations[k % no], "n": int(c)}
            for k, c in zip(keys.tolist(), n.tolist(), strict=True)]


def pairs_and_within(pairs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Handovers per organisation pair (``source``, ``target``, ``n``) split into the pairs (two different
    organisations) and the handovers inside one organisation (``organisation``, ``n``): a pair "A → A" is no pair
    (at 8,000 households eight of the twelve largest "pairs" were one organisation with itself). Cells keep their
    value or hidden mark: the two tables show the very cells of the one table, no new figure.

    >>> p = pd.DataFrame({"source": ["A", "A", "B"], "target": ["A", "B", "B"], "n": [12, 10, None]})
    >>> between, within = pairs_and_within(p)
    >>> between.values.tolist(), within.values.tolist()
    ([['A', 'B', 10.0]], [['A', 12.0], ['B', nan]])
    """
    same = pairs["source"].eq(pairs["target"])
    within = (pairs[same].rename(columns={"source": "organisation"}).drop(columns=["target"])
              .reset_index(drop=True))
    return pairs[~same].reset_index(drop=True), within


def _sorted(df: pd.DataFrame, by: str) -> pd.DataFrame:
    return df.sort_values(["n", by], ascending=[False, True]).reset_index(drop=True)


def handover_hotspots(h: Handovers) -> dict[str, pd.DataFrame]:
    """:func:`queries.analytics.communities.handover_hotspots`: per pair (directed), per area and per quarter."""
    if not h.size:
        empty = pd.DataFrame({"n": []}).astype("int64")
        return {"pairs": empty.assign(source=[], target=[])[["source", "target", "n"]],
                "areas": empty.assign(area=[])[["area", "n"]], "periods": empty.assign(quarter=[])[["quarter", "n"]]}
    pairs = pd.DataFrame(organisation_pairs(h), columns=["source", "target", "n"]).astype({"n": "int64"})
    pairs = pairs.sort_values(["n", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)
    keys, n = _counted(h.area)
    areas = _sorted(pd.DataFrame({"area": _names(h.areas, keys, "(unknown)"), "n": n}), "area")
    months = h.date.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    keys, n = _counted((months // 12 + 1970) * 4 + (months % 12) // 3)
    quarters = np.array([f"{k // 4}-Q{k % 4 + 1}" for k in keys.tolist()], dtype=object)
    return {"pairs": pairs, "areas": areas, "periods": pd.DataFrame({"quarter": quarters, "n": n})}


@dataclass(frozen=True)
class _Cases:
    """Handovers in case order (household, life domain, date; stable): the case of each, its from and to
    organisation code, and where each case starts and how long it is."""

    case: np.ndarray
    source: np.ndarray
    target: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray


def _cases(h: Handovers) -> _Cases:
    # One stable sort on one int64 key (household, life domain, date): same-day handovers keep their order.
    # Codes are shifted by one so that -1 (none) sorts first; a missing value still forms its own case.
    day = h.date.astype(np.int64)
    lo = int(day.min(initial=0))
    days = int(day.max(initial=0)) - lo + 1
    domains = int(h.life_domain.max(initial=-1)) + 2
    hh, dm = h.household.astype(np.int64) + 1, h.life_domain.astype(np.int64) + 1
    order = np.argsort((hh * domains + dm) * days + (day - lo), kind="stable")
    hh, dm = hh[order], dm[order]
    new = np.r_[True, (hh[1:] != hh[:-1]) | (dm[1:] != dm[:-1])] if hh.size else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(new)
    return _Cases(case=np.cumsum(new) - 1, source=h.from_organisation[order], target=h.to_organisation[order],
                  starts=starts, lengths=np.diff(np.r_[starts, hh.size]))


def chain_lengths(h: Handovers) -> pd.Series:
    """:func:`queries.analytics.communities.chain_lengths`: cases per number of handovers."""
    lengths, cases = np.unique(h.cases.lengths, return_counts=True)
    out = pd.Series(dict(zip(lengths.tolist(), cases.tolist(), strict=True)), dtype="int64")
    out.index.name = "handovers"
    return out


def longest_chains(h: Handovers, top: int = 10) -> pd.DataFrame:
    """:func:`queries.analytics.communities.longest_chains`: the most frequent routes (two handovers or more)
    among the longest chains."""
    c = h.cases
    routes: Counter[tuple[int, ...]] = Counter()
    # Longest first: only the lengths needed to fill ``top`` distinct routes are spelled out (every case of such
    # a length, so that the cases per route are complete), a length at a time as a matrix of organisation codes.
    found = np.unique(c.lengths)[::-1]
    for length in found[found >= MIN_ROUTE]:
        if len(routes) >= top:
            break
        firsts = c.starts[c.lengths == length]
        matrix = np.column_stack([c.source[firsts], c.target[firsts[:, None] + np.arange(length)]])
        found, cases = np.unique(matrix, axis=0, return_counts=True)
        routes.update(dict(zip(map(tuple, found.tolist()), cases.tolist(), strict=True)))
    names = [*h.organisations, "None"]                  # code -1: none (a handover always has both)
    rows = [{"route": " → ".join(str(names[o]) for o in r), "length": len(r) - 1, "cases": n}
            for r, n in routes.items()]
    out = pd.DataFrame(rows, columns=["route", "length", "cases"])
    return out.sort_values(["length", "cases", "route"], ascending=[False, False, True]).head(top).reset_index(
        drop=True)


def ping_pong(h: Handovers) -> pd.DataFrame:
    """:func:`queries.analytics.communities.ping_pong`: cases handed back (A→B, then B→A), per unordered pair."""
    c = h.cases
    nxt = np.flatnonzero(c.case[1:] == c.case[:-1]) if c.case.size else np.zeros(0, dtype=np.int64)
    back = nxt[(c.source[nxt] == c.target[nxt + 1]) & (c.target[nxt] == c.source[nxt + 1])
               & (c.source[nxt] != c.target[nxt])]
    no = len(h.organisations)
    keys, n = _counted(c.source[back].astype(np.int64) * no + c.target[back])
    pairs: Counter[tuple[str, str]] = Counter()
    for k, count in zip(keys.tolist(), n.tolist(), strict=True):
        a, b = h.organisations[k // no], h.organisations[k % no]
        pairs[(a, b) if a <= b else (b, a)] += count
    out = pd.DataFrame([(a, b, count) for (a, b), count in pairs.items()], columns=["a", "b", "n"])
    return out.sort_values(["n", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)


def professional_edges(h: Handovers) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The directed professional handover graph as distinct edges: (from codes, to codes, handovers), sorted by
    (from, to); handovers without a professional at either end are left out."""
    known = (h.from_professional >= 0) & (h.to_professional >= 0)
    a, b = h.from_professional[known].astype(np.int64), h.to_professional[known].astype(np.int64)
    width = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    keys, n = _counted(a * width + b)
    return keys // max(width, 1), keys % max(width, 1), n


def professional_organisation(h: Handovers) -> np.ndarray:
    """Per professional code, the organisation code it handed over or took over for most often (ties: the
    lowest code; -1 = none): the organisation a professional stands for in the clusters."""
    pro = np.r_[h.from_professional, h.to_professional].astype(np.int64)
    org = np.r_[h.from_organisation, h.to_organisation].astype(np.int64)
    keep = (pro >= 0) & (org >= 0)
    pro, org = pro[keep], org[keep]
    out = np.full(int(pro.max(initial=-1)) + 1, -1, dtype=np.int64)
    if not pro.size:
        return out
    no = int(org.max()) + 1
    keys, n = np.unique(pro * no + org, return_counts=True)
    p, o = keys // no, keys % no
    order = np.lexsort((o, -n, p))                       # per professional: most first, then the lowest code
    first = order[np.r_[True, p[order][1:] != p[order][:-1]]]
    out[p[first]] = o[first]
    return out
