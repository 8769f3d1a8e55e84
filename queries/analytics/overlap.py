"""Overlapping casemanagers: the bins, the quarters, and the overlap tables shaped from counted rows.

The metrics (households per number of active casemanagers, two organisations on one member and life domain,
double casemanagers, organisation pairs, the quarterly trend, the coach effect) are counted by one of the two
engines behind :class:`queries.counting.OverlapCounts` — the overlap snapshot (numpy) or Cypher — which both
return the same small rows; the functions here shape those rows into tables. The pandas oracle that defines
the metrics row by row lives with the tests (``tests/overlap_oracle.py``), which hold both engines to it.
Disclosure control is applied by the caller (:mod:`queries.aggregates`) before anything leaves the query layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "BINS",
    "bin_label",
    "coach_effect_from_counts",
    "from_database_counts",
    "quarter_ends",
    "trend_from_counts",
]

#: Bins of "active casemanagers per household" (the "five to ten per family" question).
BINS: tuple[str, ...] = ("0", "1", "2", "3–4", "5–9", "10+")


def bin_label(n: int) -> str:
    """The bin of ``n`` active casemanagers.

    >>> [bin_label(n) for n in (0, 1, 2, 3, 4, 5, 9, 10, 20)]
    ['0', '1', '2', '3–4', '3–4', '5–9', '5–9', '10+', '10+']
    """
    if n <= 2:
        return str(max(n, 0))
    if n <= 4:
        return "3–4"
    if n <= 9:
        return "5–9"
    return "10+"






















def quarter_ends(first_year: int = 2004, last_year: int = 2012) -> list[date]:
    """The last day of every quarter from ``first_year`` to ``last_year``.

    >>> quarter_ends(2008, 2008)
    [datetime.date(2008, 3, 31), datetime.date(2008, 6, 30), datetime.date(2008, 9, 30), datetime.date(2008, 12, 31)]
    """
    out = []
    for y in range(first_year, last_year + 1):
        for m in (3, 6, 9, 12):
            nxt = date(y + (m == 12), 1 if m == 12 else m + 1, 1)
            out.append(nxt - timedelta(days=1))
    return out


def _quarter_label(d: date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"






# --- Tables from counts made in the database ------------------------------------------------------------
# At city scale the counting above runs in Cypher (queries/cypher/overlap_*.cypher) and only small rows come
# back; the functions below shape those rows into exactly the tables the functions above return, so that the
# two can be compared (tests/integration/test_aggregates.py) and the callers need not care.


def from_database_counts(rows: Iterable[Mapping[str, Any]], households_per_area: Mapping[str, int],
                         households_per_kind: Mapping[str, int]) -> dict[str, pd.DataFrame | pd.Series]:
    """The overlap tables at one date from the rows of the ``overlap_counts`` query.

    ``rows`` are of two kinds: with ``org_a`` empty, households per (``area``, ``area_kind``, ``bin``,
    ``same``, ``double``); otherwise households per pair of organisations (each unordered pair in one of its
    two orders; ``org_a == org_b`` is the diagonal). Returns ``distribution`` (like
    :func:`overlap_distribution` by area), ``by_area_kind`` (by area kind), ``same_member_domain`` and
    ``double_casemanager`` (like :func:`same_member_domain` and :func:`double_casemanagers`, indexed by the
    areas of ``households_per_area``) and ``pair_matrix`` (like :func:`pair_matrix`).

    Examples
    --------
    >>> rows = [{"area": "A", "area_kind": "x", "bin": "2", "same": True, "double": False, "org_a": None,
    ...          "org_b": None, "households": 3},
    ...         {"area": None, "area_kind": None, "bin": None, "same": None, "double": None, "org_a": "O2",
    ...          "org_b": "O1", "households": 3},
    ...         {"area": None, "area_kind": None, "bin": None, "same": None, "double": None, "org_a": "O1",
    ...          "org_b": "O1", "households": 3}]
    >>> t = from_database_counts(rows, {"A": 5}, {"x": 5})
    >>> t["distribution"].loc["A"].tolist(), t["same_member_domain"].to_dict()
    ([2, 0, 3, 0, 0, 0], {'A': 3})
    >>> t["pair_matrix"].to_dict("list")
    {'O1': [3, 3], 'O2': [3, 0]}
    """
    rows = list(rows)
    groups = pd.DataFrame([r for r in rows if r["org_a"] is None],
                          columns=["area", "area_kind", "bin", "same", "double", "households"])
    groups["households"] = groups["households"].astype("int64")
    pairs = [r for r in rows if r["org_a"] is not None]

    def distribution(by: str, households: Mapping[str, int]) -> pd.DataFrame:
        known = groups[groups[by].notna()]
        keys = sorted(set(households) | set(known[by]))
        counted = known.groupby([by, "bin"])["households"].sum().unstack("bin") if len(known) else None
        out = pd.DataFrame(0, index=pd.Index(keys, name=by), columns=list(BINS), dtype="int64")
        if counted is not None:
            out.loc[counted.index, list(counted.columns)] = counted.fillna(0).astype("int64").to_numpy()
        base = pd.Series([int(households.get(g, 0)) for g in keys], index=out.index, dtype="int64")
        out["0"] = (base - out.drop(columns="0").sum(axis=1)).clip(lower=0)
        return out.astype("int64")

    def flagged(flag: str) -> pd.Series:
        index = pd.Index(list(households_per_area), name="area")
        hit = groups[groups[flag].fillna(False).astype(bool)]
        return hit.groupby("area")["households"].sum().reindex(index, fill_value=0).astype("int64").rename(None)

    orgs = sorted({r["org_a"] for r in pairs} | {r["org_b"] for r in pairs})
    pos = {o: n for n, o in enumerate(orgs)}
    m = np.zeros((len(orgs), len(orgs)), dtype=np.int64)
    for r in pairs:
        a, b, n = pos[r["org_a"]], pos[r["org_b"]], int(r["households"])
        m[a, b] += n
        if a != b:
            m[b, a] += n
    matrix = pd.DataFrame(m, index=pd.Index(orgs, name="organisation"), columns=orgs)
    return {"distribution": distribution("area", households_per_area),
            "by_area_kind": distribution("area_kind", households_per_kind),
            "same_member_domain": flagged("same"), "double_casemanager": flagged("double"), "pair_matrix": matrix}


def trend_from_counts(rows: Iterable[Mapping[str, Any]], dates: Sequence[date], households: int) -> pd.DataFrame:
    """The table of :func:`trend` from the rows of the ``overlap_trend_counts`` query (``day``, ``bin``,
    ``households``); days without a row have nobody active, so all ``households`` are in bin ``0``.

    >>> from datetime import date
    >>> rows = [{"day": date(2008, 6, 30), "bin": "1", "households": 1}]
    >>> trend_from_counts(rows, [date(2008, 3, 31), date(2008, 6, 30)], 2)[["0", "1"]].to_dict("list")
    {'0': [2, 1], '1': [0, 1]}
    """
    pos = {d: n for n, d in enumerate(dates)}
    m = np.zeros((len(dates), len(BINS)), dtype=np.int64)
    col = {b: n for n, b in enumerate(BINS)}
    for r in rows:
        m[pos[r["day"]], col[r["bin"]]] += int(r["households"])
    m[:, 0] = np.maximum(households - m.sum(axis=1), 0)
    return pd.DataFrame(m, index=pd.Index([_quarter_label(d) for d in dates], name="quarter"),
                        columns=list(BINS)).astype("int64")


def coach_effect_from_counts(rows: Iterable[Mapping[str, Any]], *, after_days: int = 365) -> pd.DataFrame:
    """The table of :func:`coach_effect` from the rows of the ``overlap_coach_effect_counts`` query
    (``group`` = ``coached`` or ``control``, ``n_before``, ``n_after``, ``households``).

    >>> rows = [{"group": "coached", "n_before": 2, "n_after": 1, "households": 1}]
    >>> coach_effect_from_counts(rows)["sum_casemanagers"].tolist()
    [2, 1, 0, 0]
    """
    names = {"coached": "coached (experiment)", "control": "control area"}
    records = []
    for group in ("coached", "control"):
        mine = [r for r in rows if r["group"] == group]
        for moment, key in (("before intake", "n_before"), (f"{after_days} days after", "n_after")):
            row: dict[str, Any] = {"group": names[group], "moment": moment, **dict.fromkeys(BINS, 0)}
            for r in mine:
                row[bin_label(int(r[key]))] += int(r["households"])
            row["households"] = sum(int(r["households"]) for r in mine)
            row["sum_casemanagers"] = sum(int(r[key]) * int(r["households"]) for r in mine)
            records.append(row)
    return pd.DataFrame(records).set_index(["group", "moment"])
