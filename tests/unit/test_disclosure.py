"""Disclosure control: small cells hidden, and hidden cells cannot be recomputed from what is shown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graph.errors import ConfigError
from queries.analytics.disclosure import (
    SUPPRESSED,
    TOTAL,
    disclosure_k,
    display_frame,
    recoverable_cells,
    suppress_by_base,
    suppress_cells,
    suppress_table,
)


def _attack(shown: pd.DataFrame) -> dict[tuple[str, str], set[int]]:
    """Brute force: every non-negative whole-number filling of the hidden cells that is consistent with every
    row and column total shown (forced values propagated, the rest enumerated); returns the values each
    hidden cell can take in some consistent filling."""
    values = shown.to_numpy(dtype=object)
    nr, nc = values.shape
    hidden = [(i, j) for i in range(nr) for j in range(nc) if values[i, j] is pd.NA]
    lines = [[(i, j) for j in range(nc)] for i in range(nr)] + [[(i, j) for i in range(nr)] for j in range(nc)]
    bound = max(int(x) for x in values.ravel() if x is not pd.NA)
    seen: dict[tuple[int, int], set[int]] = {c: set() for c in hidden}

    def solve(assigned: dict[tuple[int, int], int]) -> None:
        def val(c: tuple[int, int]) -> int | None:
            return assigned.get(c) if c in seen else int(values[c])

        for line in lines:
            *parts, total = line
            unknown = [c for c in line if val(c) is None]
            if not unknown:
                if sum(val(c) or 0 for c in parts) != val(total):
                    return
            elif len(unknown) == 1:
                u = unknown[0]
                known = sum(val(c) or 0 for c in parts if c != u)
                forced = (val(total) or 0) - known if u != total else known
                if forced < 0 or forced > bound:
                    return
                solve({**assigned, u: forced})
                return
        free = [c for c in hidden if c not in assigned]
        if not free:
            for c, v in assigned.items():
                seen[c].add(v)
            return
        for v in range(bound + 1):
            solve({**assigned, free[0]: v})

    solve({})
    return {(shown.index[i], shown.columns[j]): vals for (i, j), vals in seen.items()}


def test_small_cells_are_hidden_zero_and_large_cells_shown() -> None:
    t = pd.DataFrame({"a": [0, 12, 3], "b": [20, 15, 11]}, index=["r1", "r2", "r3"])
    out = suppress_table(t, 10)
    assert out.loc["r1", "a"] == 0
    assert out.loc["r3", "a"] is pd.NA
    assert out.loc[TOTAL, TOTAL] == 61
    assert out.loc["r2", TOTAL] == 27
    assert recoverable_cells(out) == []


def test_one_small_cell_in_a_row_takes_a_partner_with_it() -> None:
    t = pd.DataFrame({"a": [12, 3], "b": [20, 15]}, index=["r1", "r2"])
    out = suppress_table(t, 10)
    # r2/a is small; r2/b is hidden too (else total - shown = 3), and so are r1/a and r1/b via the columns.
    assert out.isna().to_numpy().tolist() == [[True, True, False], [True, True, False], [False, False, False]]
    assert out.loc[TOTAL].tolist() == [15, 35, 50]


def test_a_small_total_is_hidden() -> None:
    t = pd.DataFrame({"a": [2, 30], "b": [0, 40]}, index=["r1", "r2"])
    out = suppress_table(t, 10)
    assert out.loc["r1", TOTAL] is pd.NA
    assert out.loc["r1", "b"] == 0
    assert recoverable_cells(out) == []


@pytest.mark.parametrize("table", [
    pd.DataFrame({"a": [12, 3, 15], "b": [10, 15, 1], "c": [14, 11, 12]}, index=["r1", "r2", "r3"]),
    pd.DataFrame({"a": [4, 11], "b": [13, 2], "c": [0, 16]}, index=["r1", "r2"]),
    pd.DataFrame({"a": [6, 0, 0], "b": [0, 7, 0], "c": [0, 0, 8]}, index=["r1", "r2", "r3"]),
])
def test_hidden_cells_cannot_be_recomputed_from_shown_totals(table: pd.DataFrame) -> None:
    shown = suppress_table(table, 10)
    assert shown.isna().any().any()
    attack = _attack(shown)
    assert attack, "nothing hidden"
    for cell, possible in attack.items():
        assert len(possible) > 1, f"hidden cell {cell} recomputed as {possible}"
    assert recoverable_cells(shown) == []


def test_primary_suppression_alone_leaks_and_the_attack_finds_it() -> None:
    """The attack above can fail: with only the small cell hidden it gets the exact value back."""
    t = pd.DataFrame({"a": [12, 3], "b": [20, 15]}, index=["r1", "r2"])
    full = t.assign(**{TOTAL: t.sum(axis=1)})
    full.loc[TOTAL] = full.sum()
    naive = full.astype("Int64")
    naive.loc["r2", "a"] = pd.NA
    assert _attack(naive) == {("r2", "a"): {3}}
    assert recoverable_cells(naive) == [("r2", "a")]


def test_bridge_between_hidden_cycles_is_protected() -> None:
    # Every row/column has 0 or 2+ hidden cells after the line rule, yet the equations could still pin one;
    # the solver step must leave nothing recoverable.
    t = pd.DataFrame([[3, 4, 50, 50], [5, 6, 50, 50], [50, 50, 2, 50], [50, 50, 50, 50]],
                     index=list("ABCD"), columns=list("wxyz"))
    shown = suppress_table(t, 10)
    assert recoverable_cells(shown) == []
    assert shown.loc["A", "w"] is pd.NA and shown.loc["C", "y"] is pd.NA
    assert all(len(v) > 1 for v in _attack(shown).values())


def test_one_column_table_with_total_row() -> None:
    t = pd.DataFrame({"n": [25, 4, 30]}, index=["a", "b", "c"])
    out = suppress_table(t, 10, row_totals=False)
    assert out["n"].tolist() == [pd.NA, pd.NA, 30, 59]
    assert recoverable_cells(out, row_totals=False) == []


def test_k_comes_from_the_setting_and_is_never_below_five(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIJKNET_K", raising=False)
    assert disclosure_k() == 10
    monkeypatch.setenv("WIJKNET_K", "6")
    assert disclosure_k() == 6
    with pytest.raises(ConfigError, match="at least 5"):
        disclosure_k(4)
    t = pd.DataFrame({"a": [7, 30], "b": [30, 30]}, index=["r1", "r2"])
    assert suppress_table(t).loc["r1", "a"] == 7  # k=6 from the environment
    assert suppress_table(t, 10).loc["r1", "a"] is pd.NA


def test_primary_only_for_tables_without_totals() -> None:
    m = pd.DataFrame({"O1": [30, 4], "O2": [4, 12]}, index=["O1", "O2"])
    out = suppress_cells(m, 10)
    assert out.isna().to_numpy().tolist() == [[False, True], [True, False]]


def test_rates_with_a_small_base_are_hidden() -> None:
    t = pd.DataFrame({"org": ["A", "B", "C"], "n": [4, 12, 0], "median_days": [3.0, 8.5, float("nan")]})
    out = suppress_by_base(t, "n", ["median_days"], 10)
    assert out["n"].tolist() == [pd.NA, 12, 0]
    assert np.isnan(out["median_days"][0]) and out["median_days"][1] == 8.5


def test_display_marks_hidden_cells() -> None:
    shown = suppress_table(pd.DataFrame({"a": [3, 20], "b": [20, 20]}, index=["r1", "r2"]), 10)
    disp = display_frame(shown)
    assert disp.loc["r1", "a"] == SUPPRESSED
    assert disp.loc[TOTAL, TOTAL] == 63


@pytest.mark.parametrize("seed", range(40))
def test_cells_fixed_without_shared_hidden_cells_are_those_the_svd_finds(seed: int) -> None:
    """When no hidden cell lies on two sums, :func:`_recoverable` answers without the SVD; on random systems of
    that shape (one sum or several apart, a cell listed twice, a total among its parts) it names exactly the
    cells the SVD names, in the same order."""
    import random

    from queries.analytics.disclosure import _fixed, _recoverable

    rng = random.Random(seed)
    size = rng.randint(2, 12)
    cells = [(i, 0) for i in range(size)]
    mask = np.array([rng.random() < 0.5 for _ in cells]).reshape(-1, 1)
    free = list(cells)
    rng.shuffle(free)
    lines = []
    while free and len(lines) < 3:  # sums apart: no cell on two of them
        n = rng.randint(1, 5)
        take, free = free[:n], free[n:]
        if len(take) >= 2:
            if rng.random() < 0.2:
                take = [take[0], *take]  # a cell listed twice
            lines.append(take)
    hidden = [(int(i), int(j)) for i, j in np.argwhere(mask)]
    col = {c: n for n, c in enumerate(hidden)}
    a = np.zeros((len(lines), len(hidden)))
    for r, line in enumerate(lines):
        for cell in line[:-1]:
            if cell in col:
                a[r, col[cell]] += 1.0
        if line[-1] in col:
            a[r, col[line[-1]]] -= 1.0
    if (np.count_nonzero(a, axis=0) > 1).any():
        return  # not this shape (the same cell as part and total of one sum, say): the SVD answers it
    want = [hidden[n] for n in _fixed(a)] if hidden and lines else []
    assert _recoverable(np.zeros(mask.shape), mask, lines) == want
