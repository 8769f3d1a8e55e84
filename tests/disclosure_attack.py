"""The attacker of the disclosure control: every published cell of a report and its filtered variants, every
linear relation between them, and integer bounds on each hidden cell.

A *publication* is a set of cells, each named by what it counts (a :data:`Key`: the same key in two tables or
two requests is the same number, e.g. the control row of ``by_area_kind`` and the control area's row of
``distribution``). The attacker knows the value of every shown cell and the structure: which cells add up to
which (:class:`Attack.add_sum`). For every hidden cell it solves two small integer programs (smallest and
largest value consistent with everything shown, all counts whole numbers >= 0) with scipy's HiGHS ``milp``.
Besides the sums it may know inequalities (:meth:`Attack.add_at_most`, e.g. a pair of organisations shares at most
as many households as either serves): rows ``A_ub x <= b`` of the same programmes.

A hidden cell with a true value ``0 < v < k`` is *recovered* when its bounds are narrower than ``k`` (the
attacker then knows it lies in a window of fewer than ``k`` values, e.g. exactly, or "between 0 and 3").
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

Key = Hashable


@dataclass(frozen=True)
class Finding:
    key: Key
    true: int
    low: int
    high: int


@dataclass
class Attack:
    """Collect shown and hidden cells and the sums between them; then :meth:`bounds` / :meth:`recovered`."""

    shown: dict[Key, int] = field(default_factory=dict)
    hidden: dict[Key, int] = field(default_factory=dict)   # key -> true value (known to the test, not used)
    sums: list[tuple[tuple[Key, ...], Key]] = field(default_factory=list)
    #: ``sum(coefficient * cell) <= bound`` for each (terms, bound): what the counts mean beyond their sums
    at_most: list[tuple[tuple[tuple[float, Key], ...], float]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def publish(self, key: Key, value: int | None, true: int) -> None:
        """One published cell: ``value`` None when it is shown as suppressed; ``true`` its real count."""
        if value is None:
            if key in self.shown:  # shown in one table or request, hidden in another: the attacker has it
                return
            self.hidden[key] = int(true)
            return
        if key in self.shown and self.shown[key] != int(value):
            self.conflicts.append(f"{key}: {self.shown[key]} != {value}")
        self.shown[key] = int(value)
        self.hidden.pop(key, None)

    def add_sum(self, parts: Iterable[Key], total: Key) -> None:
        """The cells ``parts`` add up to ``total`` (a relation the attacker knows from the table's meaning)."""
        self.sums.append((tuple(parts), total))

    def add_at_most(self, terms: Iterable[tuple[float, Key]], bound: float = 0.0) -> None:
        """``sum(coefficient * cell for coefficient, cell in terms) <= bound``, an inequality the attacker knows."""
        self.at_most.append((tuple(terms), float(bound)))

    def violated(self) -> list[str]:
        """The inequalities the true counts break (none may: each must be a fact the attacker can rely on)."""
        value = {**self.hidden, **self.shown}
        return [f"{terms} <= {bound}" for terms, bound in self.at_most
                if all(c in value for _, c in terms) and sum(a * value[c] for a, c in terms) > bound + 1e-9]

    def bounds(self, upper: int, k: int | None = None, only: Callable[[Key], bool] | None = None
               ) -> dict[Key, tuple[int, int]]:
        """Smallest and largest whole value of every hidden cell consistent with what is shown.

        Cells named in a sum but never published are unknowns too (0..``upper``). With ``k``: only the cells with
        ``0 < true < k``, and fewer programmes: per group of linked cells first the largest and the smallest sum
        of those cells; a cell whose values in these whole fillings (or in any found later, or its true count)
        lie ``k`` or more apart is given as that range, without programmes of its own; else the largest first,
        and one whose largest value is ``k`` or more above its true count (so wide enough whatever the
        smallest) is given as ``(true, largest)`` without the second programme. A range given for such a wide
        cell is one it surely spans, not its extremes."""
        unknown: list[Key] = list(self.hidden)
        known = set(unknown)
        for c in [c for parts, total in self.sums for c in (*parts, total)] + \
                [c for terms, _ in self.at_most for _, c in terms]:
            if c not in self.shown and c not in known:
                unknown.append(c)
                known.add(c)
        if not self.hidden:
            return {}
        col = {c: n for n, c in enumerate(unknown)}

        def linear(terms: Iterable[tuple[float, Key]], bound: float) -> tuple[dict[int, float], float]:
            """``sum(coefficient * cell) (<= or ==) bound`` on the unknowns, as {column: coefficient} (a chain of
            quarter ends has too many cells for dense rows), the shown cells moved to the bound."""
            row: dict[int, float] = {}
            for coefficient, c in terms:
                if c in col:
                    row[col[c]] = row.get(col[c], 0.0) + coefficient
                else:
                    bound -= coefficient * self.shown[c]
            return {i: v for i, v in row.items() if v}, bound

        rows: list[dict[int, float]] = []
        rhs: list[float] = []
        for parts, total in self.sums:
            a, b = linear([*((1.0, c) for c in parts), (-1.0, total)], 0.0)
            if a:
                rows.append(a)
                rhs.append(b)
            elif abs(b) > 1e-9:
                raise AssertionError(f"the shown cells contradict the sum into {total!r}")
        upper_rows: list[dict[int, float]] = []
        upper_rhs: list[float] = []
        for terms, bound in self.at_most:
            a, b = linear(terms, bound)
            if a:
                upper_rows.append(a)
                upper_rhs.append(b)
        # Solve per connected group of unknowns (cells linked by some sum): many small programs, not one big one.
        parent = list(range(len(unknown)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a in [*rows, *upper_rows]:
            idx = list(a)
            for other in idx[1:]:
                parent[find(other)] = find(idx[0])
        groups: dict[int, list[int]] = {}
        for i in range(len(unknown)):
            groups.setdefault(find(i), []).append(i)
        eq_of: dict[int, list[int]] = {}
        for n, a in enumerate(rows):
            eq_of.setdefault(find(next(iter(a))), []).append(n)
        ub_of: dict[int, list[int]] = {}
        for n, a in enumerate(upper_rows):
            ub_of.setdefault(find(next(iter(a))), []).append(n)

        def matrix(which: list[dict[int, float]], picked: list[int], place: dict[int, int]) -> csr_array:
            data, r, c = [], [], []
            for m, n in enumerate(picked):
                for i, v in which[n].items():
                    r.append(m)
                    c.append(place[i])
                    data.append(v)
            return csr_array((data, (r, c)), shape=(len(picked), len(place)))

        out: dict[Key, tuple[int, int]] = {}
        for root, members in groups.items():
            targets = [i for i in members if unknown[i] in self.hidden
                       and (k is None or 0 < self.hidden[unknown[i]] < k) and (only is None or only(unknown[i]))]
            if not targets:
                continue
            place = {i: m for m, i in enumerate(members)}
            n = len(members)
            eq, le = eq_of.get(root, []), ub_of.get(root, [])
            cons = []
            if eq:
                b_eq = np.array([rhs[r] for r in eq])
                cons.append(LinearConstraint(matrix(rows, eq, place), b_eq, b_eq))
            if le:
                cons.append(LinearConstraint(matrix(upper_rows, le, place), -np.inf,
                                             np.array([upper_rhs[r] for r in le])))
            limits = Bounds(np.zeros(n), np.full(n, float(upper)))
            integral = np.ones(n)
            at = [place[i] for i in targets]
            top = np.array([float(self.hidden[unknown[i]]) for i in targets])
            bottom = top.copy()  # the values each target takes in the whole fillings found so far
            if k is not None and len(targets) > 1:  # two programmes for the largest and smallest sum first
                together = np.zeros(n)
                together[at] = 1.0
                for sign in (-1.0, 1.0):
                    res = milp(sign * together, constraints=cons, bounds=limits, integrality=integral)
                    assert res.success, f"no consistent filling for the group of {unknown[targets[0]]!r}"
                    np.maximum(top, res.x[at], out=top)
                    np.minimum(bottom, res.x[at], out=bottom)
            for t, i in enumerate(targets):
                if k is not None and round(top[t]) - round(bottom[t]) >= k:
                    out[unknown[i]] = (round(bottom[t]), round(top[t]))  # wide: two whole fillings k apart
                    continue
                objective = np.zeros(n)
                objective[at[t]] = 1.0
                hi = milp(-objective, constraints=cons, bounds=limits, integrality=integral)
                assert hi.success, f"no consistent filling for {unknown[i]!r}: {hi.message}"
                np.maximum(top, hi.x[at], out=top)
                np.minimum(bottom, hi.x[at], out=bottom)
                true = self.hidden[unknown[i]]
                if k is not None and round(-hi.fun) - true >= k:
                    out[unknown[i]] = (true, round(-hi.fun))
                    continue
                lo = milp(objective, constraints=cons, bounds=limits, integrality=integral)
                assert lo.success, f"no consistent filling for {unknown[i]!r}: {lo.message}"
                np.maximum(top, lo.x[at], out=top)
                np.minimum(bottom, lo.x[at], out=bottom)
                out[unknown[i]] = (round(lo.fun), round(-hi.fun))
        return out

    def recovered(self, k: int, upper: int, only: Callable[[Key], bool] | None = None) -> list[Finding]:
        """Hidden cells with ``0 < true < k`` whose bounds are narrower than ``k`` (of those ``only`` accepts)."""
        found = []
        for c, (lo, hi) in self.bounds(upper, k, only).items():
            true = self.hidden[c]
            if 0 < true < k and hi - lo < k:
                found.append(Finding(c, true, lo, hi))
        return found
