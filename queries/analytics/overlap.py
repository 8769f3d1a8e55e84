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
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "BINS",
    "OverlapCells",
    "bin_label",
    "cells_from_rows",
    "coach_effect_from_counts",
    "from_cells",
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


def is_quarter_end(day: date) -> bool:
    """Whether ``day`` is the last day of a quarter (31 March, 30 June, 30 September, 31 December).

    >>> is_quarter_end(date(2008, 12, 31)), is_quarter_end(date(2009, 1, 15))
    (True, False)
    """
    return day.month in (3, 6, 9, 12) and (day + timedelta(days=1)).day == 1


def quarter_ends_around(day: date) -> tuple[date, date]:
    """The last quarter end before ``day`` and the first one after it (``day`` itself not being one).

    >>> quarter_ends_around(date(2009, 1, 15))
    (datetime.date(2008, 12, 31), datetime.date(2009, 3, 31))
    """
    ends = quarter_ends(day.year - 1, day.year)
    return max(e for e in ends if e < day), min(e for e in ends if e > day)


def is_pair_date(day: date) -> bool:
    """Whether the organisation-pair matrix is published for ``day``: the end of a year (31 December) only. The
    pair matrices of consecutive published dates are protected together (a cell that did not change is the same
    unknown on both), and a chain of year ends is a quarter as long as one of quarter ends (docs/security.md).

    >>> is_pair_date(date(2008, 12, 31)), is_pair_date(date(2009, 3, 31))
    (True, False)
    """
    return day.month == 12 and day.day == 31


def pair_date_before(day: date) -> date:
    """The last date the pair matrix is published for before ``day``: the end of the year before.

    >>> pair_date_before(date(2009, 12, 31))
    datetime.date(2008, 12, 31)
    """
    return date(day.year - 1, 12, 31)


def pair_dates_around(day: date) -> tuple[date, date]:
    """The last date the pair matrix is published for before ``day`` and the first one after it (``day`` itself
    not being one).

    >>> pair_dates_around(date(2009, 3, 31))
    (datetime.date(2008, 12, 31), datetime.date(2009, 12, 31))
    """
    return pair_date_before(day), date(day.year, 12, 31)


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


# --- The counts of one date for every area at once ------------------------------------------------------
# The overlap page publishes the tables of all areas together with the pair matrix of every area (disclosure
# control decides them together). Counting them area by area repeated the whole count once per area and
# shaped each with pandas; the snapshot counts every area in one pass into the arrays below instead, and the
# page takes what it shows straight from them (bench/results/overlap-*).


@dataclass(frozen=True)
class OverlapCells:
    """The counts of the ``overlap_counts`` query at one date for every area at once, as arrays.

    ``groups[a, b, same, double]``: households of ``areas[a]`` with someone active, in bin ``BINS[b]`` (never
    bin 0), with (1) or without (0) two organisations on one member and life domain, and with (1) or without
    (0) a dubbele casemanager. ``pairs[a, x, y]`` (``x <= y``): households of ``areas[a]`` on which
    ``organisations[x]`` and ``organisations[y]`` are both active (``x == y``: the households it serves).
    "All areas" is the sum over the areas: a household without area is in none of them.

    >>> import numpy as np
    >>> groups = np.zeros((1, len(BINS), 2, 2), dtype=np.int64)
    >>> groups[0, 2, 1, 0] = 3
    >>> pairs = np.array([[[3, 3], [0, 0]]])
    >>> c = OverlapCells(("A",), ("x",), ("O1", "O2"), groups, pairs)
    >>> c.rows("A") == c.rows(None)
    True
    >>> c.pair_matrix(None)
    (['O1', 'O2'], array([[3, 3],
           [3, 0]]))
    """

    areas: tuple[str, ...]
    area_kinds: tuple[str, ...]
    organisations: tuple[str, ...]
    groups: np.ndarray          # (areas, BINS, 2, 2) int64
    pairs: np.ndarray           # (areas, organisations, organisations) int64, upper triangle

    def _slice(self, area: str | None) -> tuple[list[int], np.ndarray]:
        """The area indices of ``area`` (None: all) and their pair counts added up."""
        if area is None:
            return list(range(len(self.areas))), self.pairs.sum(axis=0)
        if area not in self.areas:
            return [], np.zeros(self.pairs.shape[1:], dtype=np.int64)
        a = self.areas.index(area)
        return [a], self.pairs[a]

    def rows(self, area: str | None) -> list[dict[str, Any]]:
        """The rows the ``overlap_counts`` query returns for ``area`` (None: all): households per (area, bin,
        same, double), then per pair of organisations (``org_a <= org_b`` as codes)."""
        at, pairs = self._slice(area)
        out: list[dict[str, Any]] = []
        for a in at:
            for b, same, double in zip(*np.nonzero(self.groups[a]), strict=True):
                out.append({"area": self.areas[a], "area_kind": self.area_kinds[a], "bin": BINS[b],
                            "same": bool(same), "double": bool(double), "org_a": None, "org_b": None,
                            "households": int(self.groups[a, b, same, double])})
        for x, y in zip(*np.nonzero(pairs), strict=True):
            out.append({"area": None, "area_kind": None, "bin": None, "same": None, "double": None,
                        "org_a": self.organisations[x], "org_b": self.organisations[y],
                        "households": int(pairs[x, y])})
        return out

    def shared(self, area: str | None) -> np.ndarray:
        """Households of ``area`` (None: all) each two organisations share, as a symmetric matrix over
        ``organisations`` (the diagonal: households served)."""
        _, pairs = self._slice(area)
        return np.asarray(pairs + np.triu(pairs, 1).T, dtype=np.int64)

    def pair_matrix(self, area: str | None) -> tuple[list[str], np.ndarray]:
        """The organisations active on households of ``area`` (None: all), sorted, and the symmetric matrix
        of households they share (the diagonal: households served) — :func:`from_database_counts`'
        ``pair_matrix`` as an array."""
        full = self.shared(area)
        order = self.active(full)
        return [self.organisations[i] for i in order], full[np.ix_(order, order)].astype(np.int64)

    def active(self, shared: np.ndarray) -> np.ndarray:
        """The indices of the organisations that serve a household in the matrix ``shared`` (of
        :meth:`shared`), in the order of their names."""
        present = np.flatnonzero(shared.any(axis=1))
        return present[np.argsort([self.organisations[i] for i in present], kind="stable")]


def cells_from_rows(rows_by_area: Mapping[str, Iterable[Mapping[str, Any]]], area_kinds: Mapping[str, str]
                    ) -> OverlapCells:
    """:class:`OverlapCells` from the rows of the ``overlap_counts`` query asked once per area (the pair rows
    carry no area: each is the area's it was asked for).

    >>> rows = [{"area": "A", "area_kind": "x", "bin": "2", "same": True, "double": False, "org_a": None,
    ...          "org_b": None, "households": 3},
    ...         {"area": None, "area_kind": None, "bin": None, "same": None, "double": None, "org_a": "O2",
    ...          "org_b": "O1", "households": 3}]
    >>> c = cells_from_rows({"A": rows}, {"A": "x"})
    >>> c.organisations, int(c.groups[0, 2, 1, 0]), int(c.pairs[0, 0, 1])
    (('O1', 'O2'), 3, 3)
    """
    listed = {a: list(rows) for a, rows in rows_by_area.items()}
    areas = tuple(listed)
    orgs = tuple(sorted({str(r[c]) for rows in listed.values() for r in rows if r["org_a"] is not None
                         for c in ("org_a", "org_b")}))
    at, pos, col = {a: n for n, a in enumerate(areas)}, {o: n for n, o in enumerate(orgs)}, {b: n for n, b in
                                                                                             enumerate(BINS)}
    groups = np.zeros((len(areas), len(BINS), 2, 2), dtype=np.int64)
    pairs = np.zeros((len(areas), len(orgs), len(orgs)), dtype=np.int64)
    for asked, rows in listed.items():
        for r in rows:
            n = int(r["households"])
            if r["org_a"] is None:
                groups[at[r["area"]], col[r["bin"]], int(bool(r["same"])), int(bool(r["double"]))] += n
            else:
                x, y = sorted((pos[str(r["org_a"])], pos[str(r["org_b"])]))
                pairs[at[asked], x, y] += n
    return OverlapCells(areas, tuple(str(area_kinds.get(a, "")) for a in areas), orgs, groups, pairs)


def from_cells(cells: OverlapCells, households_per_area: Mapping[str, int]) -> dict[str, pd.DataFrame | pd.Series]:
    """The ``distribution`` (by area), ``same_member_domain`` and ``double_casemanager`` tables of
    :func:`from_database_counts` for all areas, straight from :class:`OverlapCells`.

    >>> import numpy as np
    >>> groups = np.zeros((1, len(BINS), 2, 2), dtype=np.int64)
    >>> groups[0, 2, 1, 0] = 3
    >>> t = from_cells(OverlapCells(("A",), ("x",), (), groups, np.zeros((1, 0, 0), dtype=np.int64)), {"A": 5})
    >>> t["distribution"].loc["A"].tolist(), t["same_member_domain"].to_dict()
    ([2, 0, 3, 0, 0, 0], {'A': 3})
    """
    per_bin = cells.groups.sum(axis=(2, 3))
    counted = {a: per_bin[n] for n, a in enumerate(cells.areas) if per_bin[n].any()}
    keys = sorted(set(households_per_area) | set(counted))
    m = np.zeros((len(keys), len(BINS)), dtype=np.int64)
    for n, a in enumerate(keys):
        if a in counted:
            m[n] = counted[a]
    base = np.array([int(households_per_area.get(a, 0)) for a in keys], dtype=np.int64)
    m[:, 0] = np.maximum(base - m[:, 1:].sum(axis=1), 0)
    index = pd.Index(list(households_per_area), name="area")
    at = {a: n for n, a in enumerate(cells.areas)}

    def flagged(hits: np.ndarray) -> pd.Series:
        return pd.Series([int(hits[at[a]]) if a in at else 0 for a in index], index=index, dtype="int64")

    return {"distribution": pd.DataFrame(m, index=pd.Index(keys, name="area"), columns=list(BINS)),
            "same_member_domain": flagged(cells.groups[:, :, 1, :].sum(axis=(1, 2))),
            "double_casemanager": flagged(cells.groups[:, :, :, 1].sum(axis=(1, 2)))}
