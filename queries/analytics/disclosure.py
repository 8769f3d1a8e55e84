"""Disclosure control: no aggregate cell with ``0 < n < k`` is shown, exported or drawn.

Two steps protect a count table:

1. **Primary suppression** hides every cell (and every total) with ``0 < n < k``. Zero is shown: "nobody"
   identifies no one.
2. **Complementary suppression** hides further cells so that no hidden cell can be worked out from what
   is shown. Every sum published with the cells is a linear equation (a row adds up to its total, areas to
   their area kind and to the whole, a cohort to part of a row); :func:`protect` keeps hiding until no sum
   has exactly one hidden cell, no sum with a shown total leaves hidden cells adding up to less than ``k``,
   and the whole system fixes no hidden cell (:func:`recoverable_cells`). The extra cell is a shown
   positive cell that brings the hidden sum to ``k`` (smallest first), else the sum's total, else a zero cell.

Everything published together is protected in one call: :func:`suppress_hierarchy` for a table with its
group rows and total (the overlap report's areas, area kinds and total), with totals fixed when they are
published elsewhere too (``total_hidden``). ``queries.aggregates`` decides what belongs together and makes
a filtered request show the unfiltered cells (docs/security.md, "Disclosure control").

Suppressed cells are ``pd.NA`` in the returned (nullable ``Int64``) tables; :data:`SUPPRESSED` is how
they are written in displays and exports. The same tables feed pages, charts and exports, so the rules
are the same everywhere.

The *width* of what an attacker can narrow a hidden cell down to (two hidden cells of 40 and 3 whose shown
total is 43 are each known to lie in 0..43: fine) is checked for every small hidden cell with a linear
programme (rule 5 of :func:`protect`); ``tests/integration/test_disclosure_attack.py`` checks the whole-number
bounds of the whole system on the demo with an integer solver.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"a": [12, 3], "b": [20, 15]}, index=["r1", "r2"])
>>> protected = suppress_table(t, k=10)
>>> protected.loc["r2", "a"] is pd.NA, protected.loc["r2", "b"] is pd.NA
(True, True)
>>> recoverable_cells(protected)
[]
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from graph.errors import ConfigError

__all__ = [
    "MIN_K",
    "SUPPRESSED",
    "Kept",
    "TOTAL",
    "disclosure_k",
    "display_frame",
    "narrowed",
    "protect",
    "recoverable_cells",
    "rules_fingerprint",
    "suppress_by_base",
    "suppress_cells",
    "suppress_chain",
    "suppress_hierarchy",
    "suppress_table",
    "suppress_weighted",
    "shown_count",
]

MIN_K = 5
TOTAL = "Total"
#: How a suppressed cell is written in tables and exports (CBS notation for "confidential").
SUPPRESSED = "x"


def disclosure_k(k: int | None = None) -> int:
    """The threshold in force: ``k`` if given, else the ``WIJKNET_K`` setting; never below :data:`MIN_K`.

    >>> disclosure_k(7)
    7
    """
    if k is None:
        from graph.settings import load_settings

        k = load_settings().k
    if k < MIN_K:
        raise ConfigError(f"The disclosure threshold k must be at least {MIN_K}, not {k}.")
    return int(k)


def _lines(shape: tuple[int, int], row_totals: bool, col_totals: bool) -> list[list[tuple[int, int]]]:
    """Every additive constraint of the extended table as a list of entries; the total is the last entry."""
    n_rows, n_cols = shape
    inner_rows = n_rows - (1 if col_totals else 0)
    inner_cols = n_cols - (1 if row_totals else 0)
    lines: list[list[tuple[int, int]]] = []
    if row_totals:
        for i in range(n_rows):
            lines.append([(i, j) for j in range(inner_cols)] + [(i, inner_cols)])
    if col_totals:
        for j in range(n_cols):
            lines.append([(i, j) for i in range(inner_rows)] + [(inner_rows, j)])
    return lines


def _recoverable(values: np.ndarray, mask: np.ndarray, lines: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    hidden: list[tuple[int, int]] = [(int(i), int(j)) for i, j in np.argwhere(mask)]
    if not hidden or not lines:
        return []
    col = {cell: n for n, cell in enumerate(hidden)}
    a = np.zeros((len(lines), len(hidden)))
    for r, line in enumerate(lines):
        *parts, total = line
        for cell in parts:
            if cell in col:
                a[r, col[cell]] += 1.0
        if total in col:
            a[r, col[total]] -= 1.0
    # No hidden cell on two equations (one equation, as for an organisation pair over the areas, or equations
    # apart): each equation alone fixes a hidden cell iff that cell is its only one — what the SVD finds,
    # without it (the overlap page asks this for every small organisation pair).
    on = a != 0
    if (on.sum(axis=0) <= 1).all():
        alone = on.sum(axis=1) == 1
        return [cell for n, cell in enumerate(hidden) if bool((on[:, n] & alone).any())]
    return [hidden[n] for n in _fixed(a)]


def _fixed(a: np.ndarray) -> list[int]:
    """The columns of the equations ``a @ x = 0`` whose unknown is fixed: those whose unit vector lies in the row
    space of ``a``, i.e. every solution of the homogeneous system (the null space) is zero in that coordinate."""
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9).sum())
    null = vt[rank:].T  # columns span the null space
    return [n for n in range(a.shape[1]) if null.shape[1] == 0 or np.allclose(null[n], 0.0, atol=1e-9)]


#: An additive relation: the ``parts`` add up to the ``total`` (``(parts, total)``); cells are any hashable keys.
Relation = tuple[Sequence[Any], Any]


def protect(values: Mapping[Any, int], relations: Sequence[Relation], k: int, *,
            preset: Mapping[Any, bool] | None = None) -> set[Any]:
    """The cells to hide among ``values`` so that no hidden cell below ``k`` can be worked out.

    ``relations`` are every sum that is published with the cells (a row adds up to its total, areas add up
    to their area kind and to the whole, a filtered table to the unfiltered one). ``preset`` fixes cells
    decided elsewhere (``True`` hidden, ``False`` shown): they are never picked as complements, so a number
    published in several reports (households per area) has one state everywhere.

    The rules, applied until nothing changes:

    1. every cell with ``0 < n < k`` is hidden (primary suppression);
    2. a relation with exactly one hidden cell hides one more (else total minus the rest gives it);
    3. a relation whose total is shown and whose hidden parts add up to less than ``k`` hides one more (else
       the attacker knows each of them is below ``k``: "the two hidden cells hold 3 households together");
    4. a hidden cell fixed by the system of all relations (linear algebra, :func:`_recoverable`) hides one
       more cell on one of its relations;
    5. a hidden cell with ``0 < n < k`` that the relations and "no count is negative" pin to a window of fewer
       than ``k`` values (:func:`_narrow`, linear programmes) hides one more cell on one of its relations, the
       one with the least hidden in it first.

    The cell picked is a shown positive part that alone brings the hidden sum to ``k``, then any positive
    part (smallest first, preferring one that also protects its other relations), then the relation's
    total, then a zero part.

    >>> sorted(protect({"a": 3, "b": 12, "c": 20, "t": 35}, [(["a", "b", "c"], "t")], 10))
    ['a', 'b']
    """
    cells = list(values)
    pos = {c: n for n, c in enumerate(cells)}
    vals = np.array([int(values[c]) for c in cells], dtype=np.int64)
    fixed = np.zeros(len(cells), dtype=bool)
    mask = (vals > 0) & (vals < k)
    for c, hidden in (preset or {}).items():
        if c in pos:
            fixed[pos[c]] = True
            mask[pos[c]] = bool(hidden)
    lines = [[pos[c] for c in parts] + [pos[total]] for parts, total in relations]
    lines_of: dict[int, list[int]] = {}
    for n, line in enumerate(lines):
        for c in line:
            lines_of.setdefault(c, []).append(n)

    def pick(n: int, need: int) -> int | None:
        *parts, total = lines[n]

        def cost(c: int) -> tuple[int, int, int, int]:
            others = [int(mask[lines[m]].sum()) for m in lines_of[c] if m != n]
            score = 0 if 1 in others else (1 if others and min(others) >= 2 else 2)
            return (0 if vals[c] >= need else 1), score, int(vals[c]), c

        free = [c for c in parts if not mask[c] and not fixed[c]]
        positive = [c for c in free if vals[c] > 0]
        if positive:
            return min(positive, key=cost)
        if not mask[total] and not fixed[total]:
            return total
        return free[0] if free else None

    while True:
        changed = False
        for n, line in enumerate(lines):
            hidden_cells = [c for c in line if mask[c]]
            if not hidden_cells:
                continue
            *parts, total = line
            need = 0
            if len(hidden_cells) == 1:
                need = max(k - int(vals[hidden_cells[0]]), 1)
            elif not mask[total]:
                hidden_sum = int(sum(vals[c] for c in parts if mask[c]))
                if 0 < hidden_sum < k:
                    need = k - hidden_sum
            if need:
                c = pick(n, need)
                if c is not None:
                    mask[c] = True
                    changed = True
        if changed:
            continue
        flat = [(c, 0) for c in range(len(cells))]
        determined = [i for i, _ in _recoverable(vals.reshape(-1, 1), mask.reshape(-1, 1),
                                                 [[flat[c] for c in line] for line in lines])]
        if not determined:
            determined = _narrow(vals, mask, lines, k, fixed)
        if not determined:
            return {cells[i] for i in np.flatnonzero(mask)}
        # A line through the cell with the least hidden in it first: widening that one widens the cell most.
        for n in sorted(lines_of.get(determined[0], []), key=lambda m: int(vals[[c for c in lines[m] if mask[c]]].sum())):
            c = pick(n, 0)
            if c is not None:
                mask[c] = True
                changed = True
                break
        if not changed:  # every line through it is hidden already: hide every positive cell left
            mask |= (vals > 0) & ~fixed
            return {cells[i] for i in np.flatnonzero(mask)}


class _Solved:
    """One solve's outcome, as scipy's ``linprog`` gives it: ``status`` 0 optimal, 3 unbounded, 2 otherwise; ``fun``
    the smallest ``c @ x``; ``x`` a filling reaching it."""

    __slots__ = ("fun", "status", "x")

    def __init__(self, status: int, fun: float, x: np.ndarray) -> None:
        self.status, self.fun, self.x = status, fun, x


class _Programme:
    """One group of linked cells as one linear programme (HiGHS through ``highspy``), ``x >= 0`` with equality rows
    ``A_eq x = b_eq`` and inequality rows ``A_ub x <= b_ub``, built once and solved for one objective after the
    other. Only the objective changes between solves, so each starts from the last one's basis and takes a few
    simplex steps, where a ``linprog`` call per objective built and solved the programme from nothing (about 1 ms of
    set-up each, thousands of calls on a small municipality's tables)."""

    def __init__(self, n: int, eq: Sequence[Mapping[int, float]] = (), b_eq: Sequence[float] = (),
                 ub: Sequence[Mapping[int, float]] = (), b_ub: Sequence[float] = ()) -> None:
        """``eq``/``ub``: the rows as ``{column: coefficient}``, with their right-hand sides ``b_eq``/``b_ub``."""
        from highspy import _core  # the solver without the Python class's banner on stdout (JSON reports)

        inf = _core.kHighsInf
        lower, upper = np.zeros(n), np.full(n, inf)
        rows_ub: list[Mapping[int, float]] = []
        rhs_ub: list[float] = []
        for row, b in zip(ub, b_ub, strict=True):
            if len(row) > 1:
                rows_ub.append(row)
                rhs_ub.append(b)
                continue
            [(c, a)] = row.items()  # a * x <= b on one cell: a bound of its column, not a row
            if a > 0:
                upper[c] = min(upper[c], b / a)
            else:
                lower[c] = max(lower[c], b / a)
        ub, b_ub = rows_ub, rhs_ub
        ri: list[int] = []
        ci: list[int] = []
        vi: list[float] = []
        for r, row in enumerate([*eq, *ub]):
            for c, a in row.items():
                ri.append(r)
                ci.append(c)
                vi.append(a)
        rows, cols, vals = np.array(ri, dtype=np.int32), np.array(ci, dtype=np.int32), np.array(vi, dtype=float)
        order = np.lexsort((rows, cols))  # column by column, as HiGHS reads a column-wise matrix
        start = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(cols, minlength=n), out=start[1:])
        lp = _core.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(eq) + len(ub)
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_, lp.col_upper_ = lower, np.maximum(upper, lower)  # the true counts meet both: equal at most
        lp.row_lower_ = np.array([*b_eq, *([-inf] * len(ub))], dtype=float)
        lp.row_upper_ = np.array([*b_eq, *b_ub], dtype=float)
        lp.a_matrix_.format_ = _core.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = rows[order]
        lp.a_matrix_.value_ = vals[order]
        self._h = _core._Highs()
        self._h.setOptionValue("output_flag", False)
        self._h.setOptionValue("presolve", "off")  # small programmes, and presolve would drop the basis kept
        # primal simplex: a change of costs leaves the last basis feasible, so it goes on from there (three times
        # faster per solve than the dual simplex, which starts over when the costs change)
        self._h.setOptionValue("simplex_strategy", 4)
        self._h.passModel(lp)
        self.n = n
        self._status, self._every = _core.HighsModelStatus, np.arange(n, dtype=np.int32)

    def solve(self, c: np.ndarray) -> _Solved:
        """The smallest ``c @ x`` (a largest value is ``-solve(-c).fun``)."""
        h = self._h
        h.changeColsCost(self.n, self._every, np.asarray(c, dtype=float))
        h.run()
        status = h.getModelStatus()
        if status == self._status.kOptimal:
            return _Solved(0, float(h.getInfo().objective_function_value), np.array(h.getSolution().col_value))
        if status in (self._status.kUnbounded, self._status.kUnboundedOrInfeasible):
            return _Solved(3, -np.inf, np.zeros(self.n))  # infeasible cannot be: the true counts are a solution
        return _Solved(2, np.nan, np.zeros(self.n))


def _finder(n: int) -> tuple[list[int], Callable[[int], int]]:
    """A union-find over ``0..n-1``: its parent list (join ``a`` and ``b`` with ``parent[find(a)] = find(b)``) and
    ``find``, the root of a member (halving the path on the way)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    return parent, find


def _narrow(vals: np.ndarray, mask: np.ndarray, lines: list[list[int]], k: int, fixed: np.ndarray) -> list[int]:
    """The hidden cells with ``0 < n < k`` that the sums and "no count is negative" pin to fewer than ``k`` values:
    the smallest and largest value of each (a linear programme per cell and direction, scipy's HiGHS, on the
    cells linked to it by some sum) lie less than ``k`` apart.

    A system where no hidden cell is on two sums needs no programme: there rule 3 of :func:`protect` keeps every
    hidden sum under a shown total at ``k`` or more, and a cell ranges from 0 to that sum. A group of cells that
    are all ``fixed`` (decided before, e.g. the period before in a chain, on sums that held then) is
    not solved again. The largest value is solved first: the true count ``n`` is a solution, so the smallest is
    at most ``n``, and a largest value of ``n + k`` or more settles the cell without the second programme."""
    hidden = np.flatnonzero(mask)
    small = [int(c) for c in hidden if 0 < vals[c] < k]
    if not small:
        return []
    col = {int(c): n for n, c in enumerate(hidden)}
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    for line in lines:
        *parts, total = line
        a = np.zeros(len(hidden))
        b = 0.0
        for c in parts:
            if mask[c]:
                a[col[c]] += 1.0
            else:
                b -= float(vals[c])
        if mask[total]:
            a[col[total]] -= 1.0
        else:
            b += float(vals[total])
        if a.any():
            rows.append(a)
            rhs.append(b)
    if not rows:
        return []
    matrix, target = np.array(rows), np.array(rhs)
    on = matrix != 0
    if (on.sum(axis=0) <= 1).all():
        return []
    # the cells linked to each other by some sum (one programme per group, not one for the whole system)
    parent, find = _finder(len(hidden))

    for r in on:
        idx = np.flatnonzero(r)
        for other in idx[1:]:
            parent[find(int(other))] = find(int(idx[0]))
    free_root = {find(col[int(c)]) for c in hidden if not fixed[c]}
    found = []
    programmes: dict[int, tuple[list[int], _Programme]] = {}
    for c in small:
        if (root := find(col[c])) not in free_root:
            continue
        if root not in programmes:
            members = [n for n in range(len(hidden)) if find(n) == root]
            used = np.flatnonzero(on[:, members].any(axis=1))
            sub = matrix[np.ix_(used, np.array(members, dtype=np.int64))]
            programmes[root] = (members, _Programme(len(members), [{int(j): float(r[j]) for j in np.flatnonzero(r)}
                                                                    for r in sub], target[used].tolist()))
        members, programme = programmes[root]
        objective = np.zeros(len(members))
        objective[members.index(col[c])] = 1.0
        hi = programme.solve(-objective)
        if hi.status == 3 or (hi.status == 0 and np.floor(-hi.fun + 1e-6) - vals[c] >= k):
            continue  # unbounded above, or at least k above the true count: wide enough whatever the smallest
        lo = programme.solve(objective)
        if lo.status != 0 or hi.status != 0:  # cannot happen: the true counts are a solution
            found.append(c)
            continue
        if np.floor(-hi.fun + 1e-6) - np.ceil(lo.fun - 1e-6) < k:
            found.append(c)
    return found


#: An inequality the attacker knows from what the counts mean: ``sum(coefficient * cell) <= bound`` (``(terms, bound)``).
AtMost = tuple[Sequence[tuple[float, Any]], float]


def narrowed(values: Mapping[Any, int], hidden: set[Any], relations: Sequence[Relation],
             at_most: Sequence[AtMost], k: int, *, check: set[Any] | None = None,
             wide: set[Any] | None = None) -> list[Any]:
    """The hidden cells with ``0 < n < k`` (of ``check``, default all) that the sums, the inequalities ``at_most``
    and "no count is negative" pin to fewer than ``k`` values: their smallest and largest value (linear
    programmes with equality and inequality rows, scipy's HiGHS, on the cells linked to them) lie less than ``k``
    apart. Shown cells are constants; rows without a hidden cell are left out.

    Few programmes per group of linked cells: first the largest and the smallest *sum* of its cells to check;
    every solution (and the true counts) is a filling the attacker cannot rule out, so a cell that already
    takes values ``k`` apart in these is wide without a programme of its own. Only the others get theirs, the
    largest value first (a largest value ``k`` above the true count settles the cell), and each solution joins
    the fillings the next cells are tried against. ``wide``: the cells found wide are added to it (hiding more
    cells only turns shown constants into unknowns, so a wide cell never narrows again: a caller hiding more
    leaves them out of the next ``check``).

    >>> sorted(narrowed({"a": 3, "b": 12, "t": 15, "c": 4}, {"a", "b", "c"}, [(["a", "b"], "t")],
    ...                 [([(1.0, "a"), (-1.0, "c")], 0.0)], 10))
    []
    >>> narrowed({"a": 3, "b": 12, "t": 15, "c": 12}, {"a", "b"}, [(["a", "b"], "t")],
    ...          [([(1.0, "b"), (-1.0, "c")], 0.0), ([(1.0, "a")], 5.0)], 10)
    ['a']
    """
    cells = [c for c in values if c in hidden]
    small = [c for c in cells if 0 < values[c] < k and (check is None or c in check)]
    if not small:
        return []
    col = {c: n for n, c in enumerate(cells)}
    def linear(terms: Sequence[tuple[float, Any]], bound: float) -> tuple[dict[int, float], float]:
        """``sum(a * cell) <= / == bound`` on the hidden cells: the shown ones moved to the bound."""
        row: dict[int, float] = {}
        for a, c in terms:
            if c in col:
                row[col[c]] = row.get(col[c], 0.0) + a
            else:
                bound -= a * float(values[c])
        return {i: a for i, a in row.items() if a}, bound

    eq_rows: list[dict[int, float]] = []
    eq_rhs: list[float] = []
    for parts, total in relations:
        row, b = linear([*((1.0, c) for c in parts), (-1.0, total)], 0.0)
        if row:
            eq_rows.append(row)
            eq_rhs.append(b)
    ub_rows: list[dict[int, float]] = []
    ub_rhs: list[float] = []
    for terms, bound in at_most:
        row, b = linear(terms, float(bound))
        if row:
            ub_rows.append(row)
            ub_rhs.append(b)
        elif b < -1e-9:
            raise ValueError("the shown counts break an inequality given as a fact")
    same = _merge_equal(len(cells), eq_rows, eq_rhs, ub_rows, ub_rhs)
    col = {c: same[n] for c, n in col.items()}
    parent, find = _finder(len(cells))

    for row in [*eq_rows, *ub_rows]:
        idx = [i for i in row]
        for other in idx[1:]:
            parent[find(other)] = find(idx[0])
    groups: dict[int, list[Any]] = {}
    for c in small:
        groups.setdefault(find(col[c]), []).append(c)
    rows_of: dict[int, tuple[list[int], list[int]]] = {root: ([], []) for root in groups}
    for n, r in enumerate(eq_rows):
        if (root := find(next(iter(r)))) in rows_of:
            rows_of[root][0].append(n)
    for n, r in enumerate(ub_rows):
        if (root := find(next(iter(r)))) in rows_of:
            rows_of[root][1].append(n)
    member_of: dict[int, list[int]] = {root: [] for root in groups}
    for i in range(len(cells)):
        if (root := find(i)) in member_of:
            member_of[root].append(i)
    found = []
    for root, targets in groups.items():
        members = {i: m for m, i in enumerate(member_of[root])}
        eq, ub = rows_of[root]
        if len(members) == 1 and not eq and not ub:
            if wide is not None:
                wide.update(targets)
            continue  # bounded by nothing but 0
        at = np.array([members[col[c]] for c in targets])
        true = np.array([float(values[c]) for c in targets])
        top, bottom = true.copy(), true.copy()  # the range each target takes over the fillings known so far
        with _Solvers(len(members), [{members[i]: a for i, a in eq_rows[n].items()} for n in eq],
                      [eq_rhs[n] for n in eq], [{members[i]: a for i, a in ub_rows[n].items()} for n in ub],
                      [ub_rhs[n] for n in ub], threads=_threads(len(targets))) as solvers:
            if len(targets) > 1:
                _spread_fillings(solvers, len(members), at, top, bottom, k)
            narrow = solvers.narrow(at, top, bottom, k)
        for c, is_narrow in zip(targets, narrow, strict=True):
            if is_narrow:
                found.append(c)
            elif wide is not None:
                wide.add(c)
    order = {c: n for n, c in enumerate(small)}
    return sorted(found, key=order.__getitem__)


#: at most this many threads solve one group's programmes (one copy of the programme each; HiGHS runs without
#: Python's lock, so two threads on two cores solve in about half the time), and only for groups of at least
#: :data:`_THREADS_FROM` cells to check (a few cells are solved before threads would have started)
_THREADS_MAX = 4
_THREADS_FROM = 16


def _threads(targets: int) -> int:
    """How many threads solve a group of ``targets`` cells to check: the cores this process may use, at most
    :data:`_THREADS_MAX`."""
    if targets < _THREADS_FROM:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, _THREADS_MAX))


class _Solvers:
    """One group's programme once per thread that solves it (a context manager: the threads end with it). Which
    cells are narrow does not depend on the order the cells are solved in or on which filling a solve returns
    (the answers are the programmes' optimal values), so the cells may be shared out among threads as they come:
    only how many programmes are solved can differ from run to run, never a hidden cell."""

    def __init__(self, n: int, eq: Sequence[Mapping[int, float]], b_eq: Sequence[float],
                 ub: Sequence[Mapping[int, float]], b_ub: Sequence[float], *, threads: int = 1) -> None:
        self.programmes = [_Programme(n, eq, b_eq, ub, b_ub) for _ in range(max(1, threads))]
        self.lock = threading.Lock()  # the ranges of the cells to check, which every thread reads and widens
        self._pool = ThreadPoolExecutor(len(self.programmes) - 1, thread_name_prefix="disclosure-solve") \
            if len(self.programmes) > 1 else None

    def __enter__(self) -> _Solvers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def both(self, objective: np.ndarray) -> list[_Solved]:
        """The largest and the smallest ``objective @ x`` (``solve(-objective)``, ``solve(objective)``), side by
        side when there are two programmes."""
        first = self.programmes[0]
        if self._pool is None:
            return [first.solve(-objective), first.solve(objective)]
        other = self._pool.submit(self.programmes[1].solve, objective)
        return [first.solve(-objective), other.result()]

    def narrow(self, at: np.ndarray, top: np.ndarray, bottom: np.ndarray, k: int) -> list[bool]:
        """Which of the cells to check (columns ``at``) are narrow (:func:`_settle`), each thread taking the next
        cell when it is done with one (the calling thread one of them); the answers in the order of ``at``."""
        out = [False] * len(at)
        numbers = iter(range(len(at)))

        def work(programme: _Programme) -> None:
            while True:
                with self.lock:
                    n = next(numbers, None)
                if n is None:
                    return
                out[n] = _settle(programme, n, at, top, bottom, k, self.lock)

        others = [self._pool.submit(work, p) for p in self.programmes[1:]] if self._pool is not None else []
        work(self.programmes[0])
        for done in others:
            done.result()  # an error in a thread is raised here
        return out


def _settle(programme: _Programme, n: int, at: np.ndarray, top: np.ndarray, bottom: np.ndarray, k: int,
            lock: threading.Lock) -> bool:
    """Whether the ``n``-th cell to check (column ``at[n]``) is narrow: not if the fillings seen so far (``top``,
    ``bottom``, shared with the other threads under ``lock``) already show it ``k`` wide; else its largest value
    first (``k`` above a value it can take settles it wide), then its smallest. Every solution widens the
    ranges of the cells still to check."""
    with lock:
        if not _still_open(top[n:n + 1], bottom[n:n + 1], k)[0]:
            return False
    objective = np.zeros(programme.n)
    objective[at[n]] = 1.0
    hi = programme.solve(-objective)
    with lock:
        if hi.status == 0:
            _seen(hi.x[at], top, bottom)
        if hi.status == 3 or (hi.status == 0 and np.floor(-hi.fun + 1e-6) - _up(bottom[n]) >= k):
            return False  # unbounded above, or k above a value the cell can take: wide enough
    lo = programme.solve(objective)
    with lock:
        if lo.status == 0:
            _seen(lo.x[at], top, bottom)
    return bool(lo.status != 0 or hi.status != 0 or np.floor(-hi.fun + 1e-6) - np.ceil(lo.fun - 1e-6) < k)


def _merge_equal(n: int, eq_rows: list[dict[int, float]], eq_rhs: list[float], ub_rows: list[dict[int, float]],
                 ub_rhs: list[float]) -> list[int]:
    """Take the cells an equality ``x - y = 0`` says are the same unknown (a count that did not change between two
    dates, linked in a chain) as one column: the rows are rewritten on one cell of each such set, in place, and rows
    that become the same are kept once (an inequality with its smallest bound). The programmes are the same
    programmes with fewer columns and rows: every filling of one is a filling of the other. Returns the column
    each cell now is.

    >>> eq, b, ub, c = [{0: 1.0, 1: -1.0}, {1: 1.0, 2: 1.0}], [0.0, 5.0], [{0: 1.0}, {1: 1.0}], [4.0, 3.0]
    >>> _merge_equal(3, eq, b, ub, c), eq, b, ub, c
    ([0, 0, 2], [{0: 1.0, 2: 1.0}], [5.0], [{0: 1.0}], [3.0])
    """
    parent, find = _finder(n)

    merged = False
    for row, b in zip(eq_rows, eq_rhs, strict=True):
        if len(row) == 2 and b == 0 and sorted(row.values()) == [-1.0, 1.0]:
            i, j = (find(x) for x in row)
            if i != j:
                parent[max(i, j)] = min(i, j)
                merged = True
    if not merged:
        return list(range(n))
    same = [find(x) for x in range(n)]

    def rewritten(rows: list[dict[int, float]], rhs: list[float], keep: Callable[[float, float], float]) -> None:
        kept: dict[tuple[tuple[int, float], ...], int] = {}
        out_rows: list[dict[int, float]] = []
        out_rhs: list[float] = []
        for row, b in zip(rows, rhs, strict=True):
            new: dict[int, float] = {}
            for i, a in row.items():
                new[same[i]] = new.get(same[i], 0.0) + a
            new = {i: a for i, a in sorted(new.items()) if a}
            if not new:
                continue  # 0 = 0, or 0 <= b: the true counts satisfy every row, so nothing is lost
            key = tuple(new.items())
            if (at := kept.get(key)) is not None:
                out_rhs[at] = keep(out_rhs[at], b)
                continue
            kept[key] = len(out_rows)
            out_rows.append(new)
            out_rhs.append(b)
        rows[:], rhs[:] = out_rows, out_rhs

    rewritten(eq_rows, eq_rhs, lambda a, b: a)  # two equal rows have equal sides: the true counts satisfy both
    rewritten(ub_rows, ub_rhs, min)
    return same


#: at most this many rounds of :func:`_spread_fillings` (each two programmes) before the cells still open get
#: their own
_FILLING_ROUNDS = 20


def _spread_fillings(solvers: _Solvers, n: int, at: np.ndarray, top: np.ndarray, bottom: np.ndarray,
                     k: int) -> None:
    """Fillings that move many cells at once, before each open cell gets programmes of its own: the largest and
    the smallest weighted sum of the cells still open (not yet seen ``k`` apart), the first round with equal
    weights, then random ones of either sign (another vertex each time, some cells pushed up while others go
    down). Which cells are narrow does not depend on these: a filling only spares a cell its own programmes when
    it already shows the cell ``k`` wide. Seeded, so a run solves the same programmes. On 58 areas at 80,000
    households this took the pair matrices' programmes from 19,500 to 4,500 (bench/results/disclosure-programmes.md)."""
    rng = np.random.default_rng(len(at))
    for r in range(_FILLING_ROUNDS):
        open_ = _still_open(top, bottom, k)
        if open_.sum() < 2:
            return
        objective = np.zeros(n)
        objective[at[open_]] = 1.0 if r == 0 else rng.uniform(-1.0, 1.0, int(open_.sum()))
        for res in solvers.both(objective):
            if res.status == 0:
                _seen(res.x[at], top, bottom)
        if r and _still_open(top, bottom, k).sum() == open_.sum():
            return  # a round that showed no more cell wide: the next ones seldom do, the cells' own programmes will


def _still_open(top: np.ndarray, bottom: np.ndarray, k: int) -> np.ndarray:
    """Which cells the fillings seen so far do not yet show at least ``k`` values apart."""
    return np.asarray(np.floor(top + 1e-6) - np.ceil(bottom - 1e-6) < k)


def _seen(x: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> None:
    """Widen the ranges ``bottom..top`` of the cells to check with one more filling ``x`` of them."""
    np.maximum(top, x, out=top)
    np.minimum(bottom, x, out=bottom)


def _up(x: float) -> float:
    """``x`` rounded up, forgiving the solver's last digits."""
    return float(np.ceil(x - 1e-6))


def _protect(values: np.ndarray, k: int, lines: list[list[tuple[int, int]]]) -> np.ndarray:
    cells = {(int(i), int(j)): int(values[i, j]) for i in range(values.shape[0]) for j in range(values.shape[1])}
    hidden = protect(cells, [(line[:-1], line[-1]) for line in lines], k)
    mask = np.zeros(values.shape, dtype=bool)
    for cell in hidden:
        mask[cell] = True
    return mask


def suppress_table(table: pd.DataFrame, k: int | None = None, *, row_totals: bool = True,
                   col_totals: bool = True, total_label: str = TOTAL) -> pd.DataFrame:
    """Add totals to a count table and hide what could identify a person.

    Parameters
    ----------
    table : DataFrame of non-negative whole numbers (rows x categories), without totals.
    k : threshold (default: the ``WIJKNET_K`` setting).
    row_totals, col_totals : add a ``Total`` column (per row) and/or a ``Total`` row (per column).

    Returns
    -------
    DataFrame (``Int64``) with the totals added and suppressed cells as ``pd.NA``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"n": [25, 4, 30]}, index=["a", "b", "c"])
    >>> suppress_table(t, 10, row_totals=False)["n"].tolist()
    [<NA>, <NA>, 30, 59]
    """
    k = disclosure_k(k)
    inner = table.fillna(0).astype("int64")
    if (inner.to_numpy() < 0).any():
        raise ValueError("count tables cannot hold negative numbers")
    ext = inner.copy()
    if row_totals:
        ext[total_label] = inner.sum(axis=1)
    if col_totals:
        ext.loc[total_label] = ext.sum(axis=0)
    values = ext.to_numpy(dtype=np.int64)
    mask = _protect(values, k, _lines(values.shape, row_totals, col_totals))
    out = ext.astype("Int64")
    out = out.mask(pd.DataFrame(mask, index=ext.index, columns=ext.columns))
    return out


def suppress_hierarchy(table: pd.DataFrame, groups: Mapping[Any, Sequence[Any]], k: int | None = None, *,
                       row_totals: bool = True, total_hidden: Mapping[Any, bool] | None = None,
                       partial_sums: Mapping[Any, tuple[Any, Sequence[Any]]] | None = None,
                       total_label: str = TOTAL) -> pd.DataFrame:
    """Protect a count table together with the group rows and the grand total published with it.

    ``table``: one row per smallest unit (area) x categories, without totals. ``groups``: group label ->
    the rows it adds up (an area kind -> its areas); a group of one row is that row again (and gets the same
    suppression). Returns the rows of ``table``, then the groups, then ``Total`` (the sum of all rows), with
    a ``Total`` column when ``row_totals``; all relations are protected at once by :func:`protect`.
    ``total_hidden`` fixes the ``Total`` column (label -> hidden), for totals published elsewhere too.
    ``partial_sums``: name -> (row, columns): sums of part of a row published elsewhere (a cohort of the
    control area); protected with the table, their hidden state in ``result.attrs["partial_sums"]``.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"a": [40, 30, 25], "b": [2, 14, 4]}, index=["N1", "N2", "C"])
    >>> out = suppress_hierarchy(t, {"experiment": ["N1", "N2"], "control": ["C"]}, 10)
    >>> out["b"].tolist()
    [<NA>, <NA>, <NA>, <NA>, <NA>, 20]
    """
    k = disclosure_k(k)
    x = _extended(table, groups, row_totals=row_totals, partial_sums=partial_sums, total_label=total_label)
    values, relations = _system_of(x, total_label)
    at = set(x.rows)
    preset = {(r, total_label): bool(h) for r, h in (total_hidden or {}).items() if r in at} if row_totals else {}
    hidden = protect(values, relations, k, preset=preset)
    return _shown(x, np.fromiter((c in hidden for c in values), dtype=bool, count=len(values)), table.index.name)


@dataclass(frozen=True)
class _Extended:
    """A table with its group rows and totals (:func:`suppress_hierarchy`): the counts of every row and column
    (``ext``), and what the sums between them are made of."""

    ext: np.ndarray                      # rows x columns, whole numbers
    rows: list[Any]                      # the table's rows, the groups not among them, the total
    cols: list[Any]                      # the table's columns, the total (with ``row_totals``)
    leaves: list[Any]                    # the table's rows
    members: dict[Any, list[Any]]        # group -> its rows in the table
    partials: list[tuple[Any, Any, list[Any]]]  # (name, row, columns) of each partial sum of a row in the table
    row_totals: bool                     # the last column is each row's total

    @property
    def size(self) -> int:
        """How many cells :func:`_system_of` gives: every row and column, then the partial sums."""
        return len(self.rows) * len(self.cols) + len(self.partials)


def _extended(table: pd.DataFrame, groups: Mapping[Any, Sequence[Any]], *, row_totals: bool,
              partial_sums: Mapping[Any, tuple[Any, Sequence[Any]]] | None, total_label: str) -> _Extended:
    # whole numbers as they are (the pages' tables), else missing counted as 0
    inner = table if all(t == np.int64 for t in table.dtypes) else table.fillna(0).astype("int64")
    base = inner.to_numpy(dtype=np.int64)
    if (base < 0).any():
        raise ValueError("count tables cannot hold negative numbers")
    leaves = list(inner.index)
    rows = [*leaves, *[g for g in groups if g not in leaves], total_label]
    at = {r: n for n, r in enumerate(rows)}
    ext = np.zeros((len(rows), base.shape[1] + (1 if row_totals else 0)), dtype=np.int64)
    ext[: len(leaves), : base.shape[1]] = base
    members = {g: [m for m in ms if m in at and m in leaves] for g, ms in groups.items()}
    for g, ms in members.items():
        ext[at[g], : base.shape[1]] = base[[leaves.index(m) for m in ms]].sum(axis=0) if ms else 0
    ext[at[total_label], : base.shape[1]] = base.sum(axis=0)
    if row_totals:
        ext[:, -1] = ext[:, :-1].sum(axis=1)
    cols = [*inner.columns, *([total_label] if row_totals else [])]
    partials = [(name, r, list(part)) for name, (r, part) in (partial_sums or {}).items() if r in at]
    return _Extended(ext, rows, cols, leaves, members, partials, row_totals)


def _hierarchy_system(table: pd.DataFrame, groups: Mapping[Any, Sequence[Any]], *, row_totals: bool,
                      partial_sums: Mapping[Any, tuple[Any, Sequence[Any]]] | None, total_label: str
                      ) -> tuple[dict[Any, int], list[Relation], list[Any], list[Any]]:
    """The cells (``(row, column)`` -> count), the sums, the rows and the columns of :func:`suppress_hierarchy`."""
    x = _extended(table, groups, row_totals=row_totals, partial_sums=partial_sums, total_label=total_label)
    values, relations = _system_of(x, total_label)
    return values, relations, x.rows, x.cols


def _system_of(x: _Extended, total_label: str) -> tuple[dict[Any, int], list[Relation]]:
    """The cells (``(row, column)`` -> count, then ``("partial", name)``) and the sums of :func:`suppress_hierarchy`,
    the cells in the order of :attr:`_Extended.size`."""
    rows, cols, leaves, members, row_totals = x.rows, x.cols, x.leaves, x.members, x.row_totals
    values = {(r, c): int(x.ext[i, j]) for i, r in enumerate(rows) for j, c in enumerate(cols)}
    relations: list[Relation] = []
    if row_totals:
        relations += [([(r, c) for c in cols[:-1]], (r, total_label)) for r in rows]
    for c in cols:
        relations.append(([(r, c) for r in leaves], (total_label, c)))
        for g, ms in members.items():
            relations.append(([(m, c) for m in ms], (g, c)))
        covered = sorted(m for ms in members.values() for m in ms)
        if members and covered == sorted(leaves):
            relations.append(([(g, c) for g in members], (total_label, c)))
    for name, r, part in x.partials:
        values[("partial", name)] = int(sum(values[(r, c)] for c in part))
        relations.append(([(r, c) for c in part], ("partial", name)))
    return values, relations


def _shown(x: _Extended, hidden: np.ndarray, name: Any) -> pd.DataFrame:
    """The table of :func:`suppress_hierarchy` from its counts and which cells to hide (in the order of
    :attr:`_Extended.size`)."""
    cells = len(x.rows) * len(x.cols)
    grid = hidden[:cells].reshape(len(x.rows), len(x.cols))
    out = pd.DataFrame({c: pd.arrays.IntegerArray(x.ext[:, j].copy(), grid[:, j].copy()) for j, c in enumerate(x.cols)},
                       index=pd.Index(x.rows, name=name))
    out.attrs["partial_sums"] = {n: bool(hidden[cells + i]) for i, (n, _, _) in enumerate(x.partials)}
    return out


class Kept(Protocol):
    """Where decisions are kept by a digest of everything they were decided from (:func:`suppress_chain`'s
    ``kept``; :mod:`queries.aggregates` keeps them on disk, shared by the app and the commands)."""

    def get(self, digest: str, shape: tuple[int, ...]) -> np.ndarray | None:
        """The hidden cells kept under ``digest`` (a boolean array of ``shape``), or None."""

    def put(self, digest: str, hidden: np.ndarray) -> None:
        """Keep ``hidden`` under ``digest`` (a cache: may keep nothing)."""


@cache
def rules_fingerprint() -> bytes:
    """A digest of the code that decides (this module's source) and of the solver and numpy versions it runs on:
    part of every digest decisions are kept under, so that a change of the rules — or of what computes them — is
    never answered with what an older version decided."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        solver = version("highspy")
    except PackageNotFoundError:
        solver = "none"
    digest = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=20)
    digest.update(f"numpy {np.__version__} highspy {solver}".encode())
    return digest.digest()


def _chain_digest(systems: Sequence[_Extended], k: int, total_hidden: Mapping[Any, bool] | None,
                  total_label: str) -> str:
    """Everything :func:`suppress_chain` decides from, as a short key: the counts of every period with their rows,
    columns, groups and partial sums, k, the fixed totals and the rules (:func:`rules_fingerprint`)."""
    digest = hashlib.blake2b(rules_fingerprint(), digest_size=20)
    digest.update(repr(("chain", k, total_label, sorted((repr(r), bool(h)) for r, h in (total_hidden or {}).items())
                        )).encode())
    for x in systems:
        digest.update(repr((x.rows, x.cols, x.leaves, list(x.members.items()), x.partials,
                            x.row_totals, x.ext.shape)).encode())
        digest.update(np.ascontiguousarray(x.ext).tobytes())
    return digest.hexdigest()


def suppress_chain(tables: Sequence[pd.DataFrame], groups: Mapping[Any, Sequence[Any]], k: int | None = None, *,
                   total_hidden: Mapping[Any, bool] | None = None,
                   partial_sums: Mapping[Any, tuple[Any, Sequence[Any]]] | None = None,
                   total_label: str = TOTAL, kept: Kept | None = None) -> list[pd.DataFrame]:
    """Protect a run of tables of consecutive periods (the quarters of the overlap trend) as a chain.

    A cell (group rows and totals included) whose count did not change since the period before is the *same*
    unknown to anyone who knows that nothing happened there in between: it keeps the state it had (hidden or
    shown), and each period is protected by :func:`protect` together with the sums of the period before, whose
    states are fixed (rule 5 then checks every small hidden cell on both periods' sums at once). Protected one by
    one, an unchanged cell hidden in one period and shown in the next gave itself away, and a cell hidden in both
    was narrowed by the sums of both. A period depends only on the ones before it: a chain started earlier on
    tables that did not change gives the same states, so every request that starts the chain before the data
    does agrees. The runtime check joins two periods at a time; the attack test links every quarter of the
    trend on the demo (``test_the_trend_linked_over_consecutive_quarters_reveals_no_small_cell``).

    With ``kept`` the hidden cells of the whole chain are looked up by a digest of everything they are decided
    from (:func:`_chain_digest`) before any linear programme is solved, and kept there when decided: a new
    process (the app restarted, the command after a load) on the same counts decides nothing again.

    >>> import pandas as pd
    >>> q1 = pd.DataFrame({"a": [40, 30], "b": [3, 20], "c": [12, 14]}, index=["N1", "N2"])
    >>> q2 = pd.DataFrame({"a": [40, 31], "b": [3, 19], "c": [12, 14]}, index=["N1", "N2"])
    >>> [t.loc["N1"].isna().tolist() for t in suppress_chain([q1, q2], {}, 10)]
    [[False, True, True, False], [False, True, True, False]]
    """
    k = disclosure_k(k)
    systems: list[_Extended] = []
    for n, t in enumerate(tables):  # a table given again for the next period (no change there) is read once
        systems.append(systems[-1] if n and t is tables[n - 1] else
                       _extended(t, groups, row_totals=True, partial_sums=partial_sums, total_label=total_label))
    if kept is None:
        hidden = _chain_hidden(systems, k, total_hidden, total_label)
    else:
        digest = _chain_digest(systems, k, total_hidden, total_label)
        found = kept.get(digest, (sum(x.size for x in systems),))
        if found is None:
            found = _chain_hidden(systems, k, total_hidden, total_label)
            kept.put(digest, found)
        hidden = found
    out: list[pd.DataFrame] = []
    start = 0
    for n, (x, table) in enumerate(zip(systems, tables, strict=True)):
        mine = hidden[start: start + x.size]
        same = n and x is systems[n - 1] and table.index.name == tables[n - 1].index.name \
            and np.array_equal(mine, hidden[start - x.size: start])
        out.append(out[-1].copy() if same else _shown(x, mine, table.index.name))
        start += x.size
    return out


def _chain_hidden(systems: Sequence[_Extended], k: int, total_hidden: Mapping[Any, bool] | None,
                  total_label: str) -> np.ndarray:
    """:func:`suppress_chain`'s decisions: the hidden cells of every period, one after the other."""
    masks: list[np.ndarray] = []
    decided: dict[Any, bool] = {}            # the unknowns of the period before -> hidden
    last: list[Relation] = []                # the sums of the period before
    before: dict[Any, tuple[int, Any]] = {}  # cell -> (its count, its unknown) in the period before
    for q, x in enumerate(systems):
        cells, sums = _system_of(x, total_label)
        if masks and before.keys() == cells.keys() and all(before[c][0] == v for c, v in cells.items()):
            # nothing changed since the period before (the years before the data, the quarters after its last
            # change): every cell is the same unknown with the same state, and the sums are the same
            masks.append(masks[-1])
            continue
        unknown = {c: before[c][1] if c in before and before[c][0] == v else (q, c) for c, v in cells.items()}
        values = {u: v for v, u in before.values()}
        values.update({unknown[c]: v for c, v in cells.items()})
        mine: list[Relation] = [([unknown[c] for c in parts], unknown[total]) for parts, total in sums]
        preset = dict(decided)
        preset.update({unknown[(r, total_label)]: bool(h) for r, h in (total_hidden or {}).items()
                       if (r, total_label) in cells})
        hidden = protect(values, [*last, *mine], k, preset=preset)
        decided = {unknown[c]: unknown[c] in hidden for c in cells}
        masks.append(np.fromiter((decided[unknown[c]] for c in cells), dtype=bool, count=len(cells)))
        before, last = {c: (v, unknown[c]) for c, v in cells.items()}, mine
    return np.concatenate(masks) if masks else np.zeros(0, dtype=bool)


def shown_count(n: int, k: int) -> int | None:
    """A count published on its own (a key figure beside a table): itself, or None (hidden) when ``0 < n < k``.

    >>> shown_count(0, 10), shown_count(4, 10), shown_count(51, 10)
    (0, None, 51)
    """
    return None if 0 < n < k else n


def suppress_weighted(table: pd.DataFrame, weighted_total: int | None, k: int | None = None, *,
                      at_least: Mapping[Any, int] | None = None, total_label: str = TOTAL) -> pd.DataFrame:
    """A one-column count table with its total (as :func:`suppress_table`), protected also against a *weighted* sum
    published beside it: ``sum(weight x cell) = weighted_total``, each row's weight its index label (a number).

    The handover page's chain lengths are the example: cases per number of handovers, with the number of cases,
    beside the number of handovers in the period, which is the sum of length x cases. With lengths 1 and 2 only,
    a + b (the total) and a + 2b (the handovers) give both cells, hidden or not. ``at_least``: lower bounds the
    attacker has from elsewhere (row label -> count; the routes the page lists are cases of their length).

    Each small hidden cell's whole-number bounds under all of it (scipy's HiGHS ``milp``; a handful of cells) must
    lie ``k`` apart; while one does not, one more cell is hidden: the smallest positive part shown, else the
    total. ``weighted_total`` itself stays shown (published elsewhere); None when it is not published. When even
    the whole table hidden leaves a small cell pinned (8 cases of one handover and 1 of two: 10 handovers allow at
    most 5 of two, whatever is hidden), the table is withheld: no rows (not even which lengths occur).

    >>> import pandas as pd
    >>> t = pd.DataFrame({"cases": [43, 4]}, index=[1, 2])
    >>> suppress_table(t, 10, row_totals=False)["cases"].tolist()  # the total and the handovers (51) give b = 4
    [<NA>, <NA>, 47]
    >>> suppress_weighted(t, 51, 10)["cases"].tolist()
    [<NA>, <NA>, <NA>]
    >>> len(suppress_weighted(pd.DataFrame({"cases": [8, 1]}, index=[1, 2]), 10, 10))
    0
    """
    k = disclosure_k(k)
    out = suppress_table(table, k, row_totals=False, total_label=total_label)
    if weighted_total is None:
        return out
    col = out.columns[0]
    parts = [r for r in out.index if r != total_label]
    weights = {r: float(r) for r in parts}
    low = {r: float((at_least or {}).get(r, 0)) for r in parts}
    true = {r: int(table.loc[r, col]) for r in parts}
    while True:
        hidden = [r for r in parts if out.loc[r, col] is pd.NA]
        total_hidden = out.loc[total_label, col] is pd.NA
        narrow = _narrow_weighted(true, hidden, total_hidden, weights, low, weighted_total, k)
        if not narrow:
            return out
        shown = [r for r in parts if r not in hidden and true[r] > 0]
        if shown:
            out.loc[min(shown, key=lambda r: (true[r], weights[r])), col] = pd.NA
        elif not total_hidden:
            out.loc[total_label, col] = pd.NA
        else:  # everything hidden, and the weighted total alone still pins a cell: the table is not published
            return out.iloc[0:0]


def _narrow_weighted(true: Mapping[Any, int], hidden: Sequence[Any], total_hidden: bool,
                     weights: Mapping[Any, float], low: Mapping[Any, float], weighted_total: int, k: int) -> list[Any]:
    """The hidden cells of :func:`suppress_weighted` with ``0 < n < k`` whose whole-number bounds lie less than
    ``k`` apart, given the shown cells, the total (an unknown when hidden), the weighted total and the bounds."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    small = [r for r in hidden if 0 < true[r] < k]
    if not small:
        return []
    shown = [r for r in true if r not in hidden]
    n = len(hidden) + (1 if total_hidden else 0)
    a = np.zeros((2, n))
    a[0, :len(hidden)] = 1.0
    a[1, :len(hidden)] = [weights[r] for r in hidden]
    b = np.array([0.0, weighted_total - sum(weights[r] * true[r] for r in shown)])
    if total_hidden:
        a[0, -1] = -1.0   # the parts add up to the unknown total
    else:
        b[0] = sum(true.values()) - sum(true[r] for r in shown)
    bounds = Bounds([*(low[r] for r in hidden), *([0.0] if total_hidden else [])], np.inf)
    rule = LinearConstraint(a, b, b)
    found = []
    for r in small:
        c = np.zeros(n)
        c[hidden.index(r)] = 1.0
        lo = milp(c, constraints=rule, bounds=bounds, integrality=np.ones(n))
        hi = milp(-c, constraints=rule, bounds=bounds, integrality=np.ones(n))
        if hi.status == 3:  # unbounded above: wide
            continue
        if lo.status != 0 or hi.status != 0 or round(-hi.fun) - round(lo.fun) < k:  # (the true counts fit: solved)
            found.append(r)
    return found


def suppress_cells(table: pd.DataFrame, k: int | None = None, columns: Sequence[Any] | None = None) -> pd.DataFrame:
    """Primary suppression only, for tables whose cells add up to nothing shown (a pair matrix, a ranking).

    >>> import pandas as pd
    >>> suppress_cells(pd.DataFrame({"n": [0, 3, 12]}), 10)["n"].tolist()
    [0, <NA>, 12]
    """
    k = disclosure_k(k)
    out = table.copy()
    for c in (list(columns) if columns is not None else list(out.columns)):
        v = out[c].astype("Int64")
        out[c] = v.mask((v > 0) & (v < k))
    return out


def suppress_by_base(table: pd.DataFrame, base: str, values: Sequence[str], k: int | None = None) -> pd.DataFrame:
    """Hide derived figures (rates, medians, means) whose base count is ``0 < n < k``, and that base.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"n": [4, 12], "median_days": [3.0, 8.5]})
    >>> suppress_by_base(t, "n", ["median_days"], 10)["median_days"].tolist()
    [nan, 8.5]
    """
    k = disclosure_k(k)
    out = table.copy()
    n = out[base].astype("Int64")
    small = ((n > 0) & (n < k)).fillna(False).to_numpy(dtype=bool)
    for c in values:
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64").where(~small)
    out[base] = n.mask(small)
    return out


def recoverable_cells(shown: pd.DataFrame, *, row_totals: bool = True, col_totals: bool = True
                      ) -> list[tuple[Any, Any]]:
    """The attacker's view: which hidden cells of a shown table (totals included) follow from the rest?

    Only the linear equations "cells add up to their total" are used, with the shown numbers plugged in.
    Returns ``(row label, column label)`` pairs; empty when the table is safe.
    """
    mask = shown.isna().to_numpy()
    values = shown.fillna(0).astype("int64").to_numpy()
    lines = _lines(values.shape, row_totals, col_totals)
    return [(shown.index[i], shown.columns[j]) for i, j in _recoverable(values, mask, lines)]


def display_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy for display and export: suppressed cells become :data:`SUPPRESSED` (``x``).

    A column with a hidden cell becomes text (numbers written as they are), so that it has one type.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"a": pd.array([3, pd.NA], dtype="Int64"), "b": [1.5, 2.0]})
    >>> display_frame(t).to_dict("list")
    {'a': ['3', 'x'], 'b': [1.5, 2.0]}
    """
    out = table.copy()
    for c in out.columns:
        col = table[c]
        if col.isna().any():
            out[c] = pd.Series([SUPPRESSED if pd.isna(v) else str(v) for v in col], index=col.index, dtype=object)
    return out
