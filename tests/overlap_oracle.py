"""The oracle of the overlap metrics: the policymaker's overlap tables counted in pandas, row by row, from
an *involvement table* (see :func:`involvement_table`). Production counts them with one of two engines behind
one interface (:mod:`queries.counting`: the overlap snapshot in numpy, or Cypher); the tests hold both engines
to these functions, which define the metrics and are written for clarity, not speed.

An involvement table has one row per involvement and household, with the professional, organisation,
function, role (casemanager, regie, uitvoerend), life domain, the subject (the member it concerns, or the household itself) and the period
``[since, until]`` (``until`` empty = still open). A professional is *active on a household at* ``as_of``
when one of their involvements on the household or on a member contains ``as_of`` (both ends inclusive).

Examples
--------
>>> from datetime import date
>>> t = involvement_table([
...     {"household_id": "H1", "area": "A", "area_kind": "experiment", "professional_id": "P1",
...      "organisation_id": "O1", "function": "f", "life_domain": "WONEN", "subject_id": "M1",
...      "since": date(2008, 1, 1), "until": None},
...     {"household_id": "H1", "area": "A", "area_kind": "experiment", "professional_id": "P2",
...      "organisation_id": "O2", "function": "f", "life_domain": "WONEN", "subject_id": "M1",
...      "since": date(2008, 1, 1), "until": date(2008, 6, 30)},
... ])
>>> caseworkers_per_household(t, date(2008, 3, 1)).to_dict()
{'H1': 2}
>>> caseworkers_per_household(t, date(2008, 7, 1)).to_dict()
{'H1': 1}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from queries.analytics.overlap import BINS, _quarter_label, bin_label

__all__ = [
    "COLUMNS",
    "active_at",
    "caseworkers_per_household",
    "coach_effect",
    "double_casemanagers",
    "involvement_table",
    "overlap_distribution",
    "pair_matrix",
    "same_member_domain",
    "shared_households",
    "trend",
]

COLUMNS: tuple[str, ...] = ("household_id", "area", "area_kind", "professional_id", "organisation_id",
                            "function", "role", "life_domain", "subject_id", "since", "until")
_OPEN = pd.Timestamp("2262-01-01")  # an open involvement runs "forever" (pandas' largest day, roughly)


def _ts(value: Any) -> pd.Timestamp:
    return pd.Timestamp(value)


def involvement_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows (dicts with :data:`COLUMNS`) as a typed table: dates as timestamps, open ``until`` far ahead; a row
    without a ``role`` is in the casemanager role (``involvement.role``, graph/model.py)."""
    df = pd.DataFrame(list(rows), columns=list(COLUMNS))
    df["role"] = df["role"].astype(object).where(df["role"].notna(), "casemanager")
    df["since"] = pd.to_datetime(df["since"])
    df["until"] = pd.to_datetime(df["until"]).fillna(_OPEN)
    for c in ("household_id", "area", "area_kind", "professional_id", "organisation_id", "function", "role",
              "life_domain", "subject_id"):
        df[c] = df[c].astype(object)
    return df


def active_at(t: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The rows whose period contains ``as_of``."""
    d = _ts(as_of)
    return t[(t["since"] <= d) & (t["until"] >= d)]


def caseworkers_per_household(t: pd.DataFrame, as_of: date) -> pd.Series:
    """Distinct active professionals per household at ``as_of`` (households with none are absent)."""
    a = active_at(t, as_of)
    return a.groupby("household_id")["professional_id"].nunique()


def _household_area(t: pd.DataFrame, by: str) -> pd.Series:
    return t.drop_duplicates("household_id").set_index("household_id")[by]


def overlap_distribution(t: pd.DataFrame, households: Mapping[str, int], as_of: date, *,
                         by: str = "area") -> pd.DataFrame:
    """Households per number of active casemanagers (:data:`BINS`), one row per area (or area kind).

    ``households`` gives how many households each area (or area kind) has, so the ``0`` bin counts the
    households nobody works with. No totals (the caller adds them with disclosure control).

    Examples
    --------
    >>> from datetime import date
    >>> t = involvement_table([{"household_id": "H1", "area": "A", "area_kind": "x", "professional_id": p,
    ...     "organisation_id": "O", "function": "f", "life_domain": "WONEN", "subject_id": "H1",
    ...     "since": date(2008, 1, 1), "until": None} for p in ("P1", "P2", "P3")])
    >>> overlap_distribution(t, {"A": 4}, date(2009, 1, 1)).loc["A"].tolist()
    [3, 0, 0, 1, 0, 0]
    """
    counts = caseworkers_per_household(t, as_of)
    where = _household_area(t, by).reindex(counts.index)
    frame = pd.DataFrame({"group": where.to_numpy(), "bin": [bin_label(int(n)) for n in counts.to_numpy()]})
    groups = sorted(set(households) | set(frame["group"].dropna()))
    out = pd.DataFrame(0, index=pd.Index(groups, name=by), columns=list(BINS), dtype="int64")
    if len(frame):
        tab = frame.groupby(["group", "bin"]).size()
        for (g, b), n in tab.items():
            out.loc[g, b] = int(n)
    for g in groups:
        out.loc[g, "0"] = max(int(households.get(g, 0)) - int(out.loc[g].sum()), 0)
    return out


def _households_with(flags: pd.Series, t: pd.DataFrame, by: str, groups: Sequence[str]) -> pd.Series:
    where = _household_area(t, by)
    hit = where.reindex(flags[flags].index)
    out = hit.value_counts().reindex(groups, fill_value=0).astype("int64")
    out.index.name = by
    return out


def same_member_domain(t: pd.DataFrame, as_of: date, *, by: str = "area") -> pd.Series:
    """Households where 2+ organisations are active on the same subject and life domain, per area.

    The subject is the member an involvement concerns, or the household itself for household-level work.

    Examples
    --------
    >>> from datetime import date
    >>> rows = [{"household_id": "H1", "area": "A", "area_kind": "x", "professional_id": p,
    ...     "organisation_id": o, "function": "f", "life_domain": "WONEN", "subject_id": "M1",
    ...     "since": date(2008, 1, 1), "until": None} for p, o in (("P1", "O1"), ("P2", "O2"))]
    >>> same_member_domain(involvement_table(rows), date(2009, 1, 1)).to_dict()
    {'A': 1}
    """
    a = active_at(t, as_of)
    groups = sorted(t[by].dropna().unique())
    per = a.groupby(["household_id", "subject_id", "life_domain"])["organisation_id"].nunique()
    flags = (per >= 2).groupby(level="household_id").any()
    return _households_with(flags, t, by, groups)


def double_casemanagers(t: pd.DataFrame, as_of: date, *, by: str = "area") -> pd.Series:
    """Households with a "dubbele casemanager": two or more professionals active in the casemanager role with the
    same function (``regie`` and ``uitvoerend`` do not count: graph/model.py, ``involvement_role``)."""
    a = active_at(t, as_of)
    a = a[(a["role"] == "casemanager") & a["function"].notna()]
    groups = sorted(t[by].dropna().unique())
    per = a.groupby(["household_id", "function"])["professional_id"].nunique()
    flags = (per >= 2).groupby(level="household_id").any()
    return _households_with(flags, t, by, groups)


def pair_matrix(t: pd.DataFrame, as_of: date, organisations: Sequence[str] | None = None) -> pd.DataFrame:
    """Households on which both organisations are active at ``as_of`` (symmetric; diagonal = served).

    Examples
    --------
    >>> from datetime import date
    >>> rows = [{"household_id": h, "area": "A", "area_kind": "x", "professional_id": h + o,
    ...     "organisation_id": o, "function": "f", "life_domain": "WONEN", "subject_id": h,
    ...     "since": date(2008, 1, 1), "until": None} for h, o in (("H1", "O1"), ("H1", "O2"), ("H2", "O1"))]
    >>> pair_matrix(involvement_table(rows), date(2009, 1, 1)).to_dict("list")
    {'O1': [2, 1], 'O2': [1, 1]}
    """
    a = active_at(t, as_of)
    orgs = sorted(organisations if organisations is not None else t["organisation_id"].dropna().unique())
    pos = {o: n for n, o in enumerate(orgs)}
    m = np.zeros((len(orgs), len(orgs)), dtype=np.int64)
    for _, served in a.groupby("household_id")["organisation_id"].unique().items():
        idx = sorted(pos[o] for o in served if o in pos)
        for i in idx:
            m[i, i] += 1
        for i, j in combinations(idx, 2):
            m[i, j] += 1
            m[j, i] += 1
    return pd.DataFrame(m, index=pd.Index(orgs, name="organisation"), columns=orgs)


def trend(t: pd.DataFrame, dates: Sequence[date], households: int) -> pd.DataFrame:
    """Households per bin at each date (one row per quarter, labelled ``2008-Q3``), for ``households`` in all.

    Examples
    --------
    >>> from datetime import date
    >>> t = involvement_table([{"household_id": "H1", "area": "A", "area_kind": "x", "professional_id": "P1",
    ...     "organisation_id": "O", "function": "f", "life_domain": "WONEN", "subject_id": "H1",
    ...     "since": date(2008, 5, 1), "until": None}])
    >>> trend(t, [date(2008, 3, 31), date(2008, 6, 30)], 2)[["0", "1"]].to_dict("list")
    {'0': [2, 1], '1': [0, 1]}
    """
    rows = []
    for d in dates:
        counts = caseworkers_per_household(t, d)
        row = dict.fromkeys(BINS, 0)
        for n in counts.to_numpy():
            row[bin_label(int(n))] += 1
        row["0"] = max(households - int(len(counts)), 0)
        rows.append(row)
    out = pd.DataFrame(rows, index=pd.Index([_quarter_label(d) for d in dates], name="quarter"),
                       columns=list(BINS)).astype("int64")
    return out


def coach_effect(t: pd.DataFrame, intakes: Mapping[str, date], *, after_days: int = 365,
                 min_before: int = 2, every: Mapping[str, date] | None = None) -> pd.DataFrame:
    """Active casemanagers the day before coach intake and ``after_days`` later, coached vs control.

    Coached households: the keys of ``intakes`` (household id -> first day of coaching), measured the day
    before their own intake and ``after_days`` after it. Control households: households in the control area
    kind with at least ``min_before`` active casemanagers on the day before the median intake (comparable to
    households a coach would take on), measured on that day and ``after_days`` later. ``every``: the intakes whose
    median sets that day (default ``intakes``; the app takes every coached household's, whatever the area).

    Returns one row per (group, moment) with the households per bin (no totals), plus ``households`` and
    ``sum_casemanagers`` so that the caller can add a mean after disclosure control.

    Examples
    --------
    >>> from datetime import date
    >>> rows = [{"household_id": "H1", "area": "A", "area_kind": "experiment", "professional_id": p,
    ...     "organisation_id": "O", "function": "f", "life_domain": "WONEN", "subject_id": "H1",
    ...     "since": date(2007, 1, 1), "until": u} for p, u in (("P1", date(2009, 3, 1)), ("P2", None))]
    >>> e = coach_effect(involvement_table(rows), {"H1": date(2008, 9, 1)})
    >>> e["sum_casemanagers"].tolist()
    [2, 1, 0, 0]
    """
    records = []

    def add(group: str, moment: str, counts: list[int]) -> None:
        row: dict[str, Any] = {"group": group, "moment": moment, **dict.fromkeys(BINS, 0)}
        for n in counts:
            row[bin_label(n)] += 1
        row["households"] = len(counts)
        row["sum_casemanagers"] = int(sum(counts))
        records.append(row)

    def count_at(households: Sequence[str], d: date) -> dict[str, int]:
        sub = t[t["household_id"].isin(households)]
        c = caseworkers_per_household(sub, d)
        return {h: int(c.get(h, 0)) for h in households}

    coached = sorted(intakes)
    before = [count_at([h], intakes[h] - timedelta(days=1))[h] for h in coached]
    after = [count_at([h], intakes[h] + timedelta(days=after_days))[h] for h in coached]
    add("coached (experiment)", "before intake", before)
    add("coached (experiment)", f"{after_days} days after", after)
    if coached:
        ordered = sorted((every or intakes).values())
        reference = ordered[(len(ordered) - 1) // 2]
    else:
        reference = None
    control_ids = sorted(t.loc[t["area_kind"] == "control", "household_id"].unique())
    c_before: list[int] = []
    c_after: list[int] = []
    if reference is not None and control_ids:
        b = count_at(control_ids, reference - timedelta(days=1))
        cohort = [h for h in control_ids if b[h] >= min_before]
        a = count_at(cohort, reference + timedelta(days=after_days))
        c_before = [b[h] for h in cohort]
        c_after = [a[h] for h in cohort]
    add("control area", "before intake", c_before)
    add("control area", f"{after_days} days after", c_after)
    out = pd.DataFrame(records)
    return out.set_index(["group", "moment"])


def shared_households(t: pd.DataFrame) -> pd.DataFrame:
    """Households on which two organisations were active *at the same time*, per unordered pair.

    ``t`` is an involvement table (:func:`queries.analytics.overlap.involvement_table`), already limited to
    the period of interest. Returns columns ``a``, ``b`` (a < b) and ``n``.

    Examples
    --------
    >>> from datetime import date
    >>> def r(h, o, s, u):
    ...     return {"household_id": h, "area": "A", "area_kind": "x", "professional_id": h + o,
    ...             "organisation_id": o, "function": "f", "life_domain": "WONEN", "subject_id": h,
    ...             "since": s, "until": u}
    >>> t = involvement_table([r("H1", "O1", date(2008, 1, 1), date(2008, 6, 1)),
    ...                        r("H1", "O2", date(2008, 5, 1), None),
    ...                        r("H1", "O3", date(2008, 7, 1), None)])
    >>> shared_households(t).to_dict("records")
    [{'a': 'O1', 'b': 'O2', 'n': 1}, {'a': 'O2', 'b': 'O3', 'n': 1}]
    """
    pairs: Counter[tuple[str, str]] = Counter()
    cols = t[["household_id", "organisation_id", "since", "until"]]
    for _, g in cols.groupby("household_id", sort=False):
        if g["organisation_id"].nunique() < 2:
            continue
        found: set[tuple[str, str]] = set()
        rows = list(g.itertuples(index=False))
        for x, y in combinations(rows, 2):
            if x.organisation_id == y.organisation_id:
                continue
            if x.since <= y.until and y.since <= x.until:
                a, b = sorted((str(x.organisation_id), str(y.organisation_id)))
                found.add((a, b))
        pairs.update(found)
    out = pd.DataFrame([(a, b, n) for (a, b), n in sorted(pairs.items())], columns=["a", "b", "n"])
    return out.astype({"n": "int64"})
