"""The attacker of the disclosure control: every published cell of a report and its filtered variants, every
linear relation between them, and integer bounds on each hidden cell.

A *publication* is a set of cells, each named by what it counts (a :data:`Key`: the same key in two tables or
two requests is the same number, e.g. the control row of ``by_area_kind`` and the control area's row of
``distribution``). The attacker knows the value of every shown cell and the structure: which cells add up to
which (:class:`Attack.add_sum`). For every hidden cell it solves two small integer programs (smallest and
largest value consistent with everything shown, all counts whole numbers >= 0) with scipy's HiGHS ``milp``.

A hidden cell with a true value ``0 < v < k`` is *recovered* when its bounds are narrower than ``k`` (the
attacker then knows it lies in a window of fewer than ``k`` values, e.g. exactly, or "between 0 and 3").
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

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

    def bounds(self, upper: int) -> dict[Key, tuple[int, int]]:
        """Smallest and largest whole value of every hidden cell consistent with what is shown.

        Cells named in a sum but never published are unknowns too (0..``upper``)."""
        unknown: list[Key] = list(self.hidden)
        for parts, total in self.sums:
            for c in (*parts, total):
                if c not in self.shown and c not in self.hidden and c not in unknown:
                    unknown.append(c)
        if not self.hidden:
            return {}
        col = {c: n for n, c in enumerate(unknown)}
        rows, rhs = [], []
        for parts, total in self.sums:
            a = np.zeros(len(unknown))
            b = 0.0
            for c in parts:
                if c in col:
                    a[col[c]] += 1.0
                else:
                    b -= self.shown[c]
            if total in col:
                a[col[total]] -= 1.0
            else:
                b += self.shown[total]
            if a.any():
                rows.append(a)
                rhs.append(b)
            elif abs(b) > 1e-9:
                raise AssertionError(f"the shown cells contradict the sum into {total!r}")
        # Solve per connected group of unknowns (cells linked by some sum): many small programs, not one big one.
        parent = list(range(len(unknown)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a in rows:
            idx = np.flatnonzero(a)
            for other in idx[1:]:
                parent[find(int(other))] = find(int(idx[0]))
        groups: dict[int, list[int]] = {}
        for i in range(len(unknown)):
            groups.setdefault(find(i), []).append(i)
        out: dict[Key, tuple[int, int]] = {}
        matrix = np.array(rows) if rows else np.zeros((0, len(unknown)))
        rhs_all = np.array(rhs)
        for members in groups.values():
            targets = [i for i in members if unknown[i] in self.hidden]
            if not targets:
                continue
            sub = matrix[:, members]
            used = np.flatnonzero(np.abs(sub).sum(axis=1) > 0)
            n = len(members)
            cons = [LinearConstraint(sub[used], rhs_all[used], rhs_all[used])] if len(used) else []
            limits = Bounds(np.zeros(n), np.full(n, float(upper)))
            integral = np.ones(n)
            for i in targets:
                objective = np.zeros(n)
                objective[members.index(i)] = 1.0
                lo = milp(objective, constraints=cons, bounds=limits, integrality=integral)
                hi = milp(-objective, constraints=cons, bounds=limits, integrality=integral)
                assert lo.success and hi.success, f"no consistent filling for {unknown[i]!r}: {lo.message}"
                out[unknown[i]] = (round(lo.fun), round(-hi.fun))
        return out

    def recovered(self, k: int, upper: int) -> list[Finding]:
        """Hidden cells with ``0 < true < k`` whose bounds are narrower than ``k``."""
        found = []
        for c, (lo, hi) in self.bounds(upper).items():
            true = self.hidden[c]
            if 0 < true < k and hi - lo < k:
                found.append(Finding(c, true, lo, hi))
        return found
