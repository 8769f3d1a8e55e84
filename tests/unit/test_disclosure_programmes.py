"""``queries.analytics.disclosure.narrowed``: which hidden cells the sums and inequalities pin narrower than k is a
fact about the numbers, so the fillings spread first (``_spread_fillings``) and the threads that share a group's
cells out among them (``_Solvers``) may only save time, never change the answer; and each answer is checked against
the cell's true range computed another way (scipy's linprog)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from scipy.optimize import linprog

from queries.analytics import disclosure


def _system(seed: int) -> tuple[dict[Any, int], set[Any], list[Any], list[Any]]:
    """A random table of small counts with row and column sums, half its cells hidden, and a few inequalities."""
    rng = random.Random(seed)
    rows, cols = rng.randint(2, 5), rng.randint(2, 5)
    values: dict[Any, int] = {(r, c): rng.choice([0, 1, 2, 3, 4, 6, 9]) for r in range(rows) for c in range(cols)}
    for r in range(rows):
        values[(r, "t")] = sum(values[(r, c)] for c in range(cols))
    for c in range(cols):
        values[("t", c)] = sum(values[(r, c)] for r in range(rows))
    relations = [([(r, c) for c in range(cols)], (r, "t")) for r in range(rows)]
    relations += [([(r, c) for r in range(rows)], ("t", c)) for c in range(cols)]
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    hidden = set(rng.sample(cells, max(2, len(cells) // 2)))
    at_most = []
    for _ in range(rng.randint(0, 3)):  # a <= b + slack, true for the numbers
        a, b = rng.sample(cells, 2)
        at_most.append(([(1.0, a), (-1.0, b)], float(max(0, values[a] - values[b]) + rng.randint(0, 2))))
    return values, hidden, relations, at_most


def _true_narrow(values: dict[Any, int], hidden: set[Any], relations: list[Any], at_most: list[Any],
                 k: int) -> list[Any]:
    """Every small hidden cell's smallest and largest value, one linprog each, the whole system at once."""
    cells = [c for c in values if c in hidden]
    col = {c: n for n, c in enumerate(cells)}

    def rows(lines: list[tuple[list[tuple[float, Any]], float]]) -> tuple[list[np.ndarray], list[float]]:
        out, rhs = [], []
        for terms, bound in lines:
            row, b = np.zeros(len(cells)), float(bound)
            for coef, c in terms:
                if c in col:
                    row[col[c]] += coef
                else:
                    b -= coef * values[c]
            if row.any():
                out.append(row)
                rhs.append(b)
        return out, rhs

    a_eq, b_eq = rows([([*((1.0, c) for c in parts), (-1.0, total)], 0.0) for parts, total in relations])
    a_ub, b_ub = rows(at_most)
    found = []
    for c in cells:
        if not 0 < values[c] < k:
            continue
        obj = np.zeros(len(cells))
        obj[col[c]] = 1.0
        args: dict[str, Any] = {"bounds": (0, None), "method": "highs"}
        if a_eq:
            args.update(A_eq=np.array(a_eq), b_eq=np.array(b_eq))
        if a_ub:
            args.update(A_ub=np.array(a_ub), b_ub=np.array(b_ub))
        hi, lo = linprog(-obj, **args), linprog(obj, **args)
        if hi.status == 0 and np.floor(-hi.fun + 1e-6) - np.ceil(lo.fun - 1e-6) < k:
            found.append(c)
    return found


@pytest.mark.parametrize("seed", range(40))
def test_the_fillings_spread_first_change_no_answer(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    values, hidden, relations, at_most = _system(seed)
    truth = sorted(_true_narrow(values, hidden, relations, at_most, 5), key=str)
    with_fillings = disclosure.narrowed(values, hidden, relations, at_most, 5)
    monkeypatch.setattr(disclosure, "_FILLING_ROUNDS", 0)
    without = disclosure.narrowed(values, hidden, relations, at_most, 5)
    assert sorted(with_fillings, key=str) == sorted(without, key=str) == truth


@pytest.mark.parametrize("seed", range(40))
def test_threads_sharing_the_cells_out_change_no_answer(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three threads on every group, however small and however many cores this machine has: each takes the next
    cell as it is done with one, and they widen the same ranges."""
    values, hidden, relations, at_most = _system(seed)
    truth = sorted(_true_narrow(values, hidden, relations, at_most, 5), key=str)
    used: list[int] = []
    real = disclosure._Solvers.__init__

    def counted(self: Any, *args: Any, threads: int = 1) -> None:
        used.append(threads)
        real(self, *args, threads=threads)

    monkeypatch.setattr(disclosure, "_threads", lambda targets: 3)
    monkeypatch.setattr(disclosure._Solvers, "__init__", counted)
    wide: set[Any] = set()
    found = disclosure.narrowed(values, hidden, relations, at_most, 5, wide=wide)
    assert sorted(found, key=str) == truth
    assert set(used) <= {3}  # none: no small hidden cell on a sum (a few seeds)
    small = {c for c in hidden if 0 < values[c] < 5}
    assert wide | set(found) <= small and not wide & set(found)  # each small cell checked is one or the other


def test_some_systems_have_narrow_cells_and_some_do_not() -> None:
    """The property above is not vacuous: the random systems include both answers."""
    answers = [bool(_true_narrow(*_system(seed), 5)) for seed in range(40)]
    assert any(answers) and not all(answers)


def test_most_systems_are_solved_by_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The threads' test above is not vacuous either: most random systems have a group to solve."""
    used: list[int] = []
    real = disclosure._Solvers.__init__

    def counted(self: Any, *args: Any, threads: int = 1) -> None:
        used.append(threads)
        real(self, *args, threads=threads)

    monkeypatch.setattr(disclosure._Solvers, "__init__", counted)
    solved = 0
    for seed in range(40):
        before = len(used)
        values, hidden, relations, at_most = _system(seed)
        disclosure.narrowed(values, hidden, relations, at_most, 5)
        solved += len(used) > before
    assert solved >= 30, solved
