"""Disclosure control: no aggregate cell with ``0 < n < k`` is shown, exported or drawn.

Two steps protect a count table:

1. **Primary suppression** hides every cell (and every total) with ``0 < n < k``. Zero is shown: "nobody"
   identifies no one.
2. **Complementary suppression** hides further cells so that no hidden cell can be recomputed from what
   is shown. A table with totals is a set of linear equations (each row and each column adds up to its
   total); a hidden cell is *recoverable* when those equations fix its value. We first make sure no row or
   column has exactly one hidden entry (the obvious attack: total minus the shown cells), then solve the
   whole system (:func:`recoverable_cells`) and keep hiding until nothing hidden is determined. The extra
   cell is the smallest positive cell of the line (least information lost), else the line's total, else a
   zero cell.

Suppressed cells are ``pd.NA`` in the returned (nullable ``Int64``) tables; :data:`SUPPRESSED` is how
they are written in displays and exports. The same tables feed pages, charts and exports, so the rules
are the same everywhere.

What this does not do: it does not guarantee *interval* protection (a hidden pair whose shown total is 12
tells that each lies between 0 and 12). For counts of people with ``k >= 5`` this is the usual standard
(CBS "x = geheim").

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

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from graph.errors import ConfigError

__all__ = [
    "MIN_K",
    "SUPPRESSED",
    "TOTAL",
    "disclosure_k",
    "display_frame",
    "recoverable_cells",
    "suppress_by_base",
    "suppress_cells",
    "suppress_table",
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
    # A hidden cell is fixed by the equations iff its unit vector lies in the row space of ``a``, i.e. iff
    # every solution of the homogeneous system (the null space) is zero in that coordinate.
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9).sum())
    null = vt[rank:].T  # columns span the null space
    out = []
    for n, cell in enumerate(hidden):
        if null.shape[1] == 0 or np.allclose(null[n], 0.0, atol=1e-9):
            out.append(cell)
    return out


def _pick(values: np.ndarray, mask: np.ndarray, line: list[tuple[int, int]],
          lines_of: dict[tuple[int, int], list[list[tuple[int, int]]]]) -> tuple[int, int] | None:
    """The cell to hide next in ``line``.

    Prefer a positive inner cell whose *other* line already has exactly one hidden entry (one cell protects
    two lines), then one whose other line is protected already (no new obligation), then any; the smallest
    value breaks ties (least information lost). Without a positive cell: the line's total, else a zero cell.
    """
    *parts, total = line

    def cost(c: tuple[int, int]) -> tuple[int, int, tuple[int, int]]:
        others = [sum(bool(mask[x]) for x in other) for other in lines_of[c] if other is not line]
        score = 0 if 1 in others else (1 if others and min(others) >= 2 else 2)
        return score, int(values[c]), c

    positive = [c for c in parts if not mask[c] and values[c] > 0]
    if positive:
        return min(positive, key=cost)
    if not mask[total]:
        return total
    zeros = [c for c in parts if not mask[c]]
    return zeros[0] if zeros else None


def _protect(values: np.ndarray, k: int, lines: list[list[tuple[int, int]]]) -> np.ndarray:
    mask = (values > 0) & (values < k)
    lines_of: dict[tuple[int, int], list[list[tuple[int, int]]]] = {}
    for line in lines:
        for c in line:
            lines_of.setdefault(c, []).append(line)
    while True:
        changed = False
        for line in lines:
            if sum(bool(mask[c]) for c in line) == 1:
                cell = _pick(values, mask, line, lines_of)
                if cell is not None:
                    mask[cell] = True
                    changed = True
        if changed:
            continue
        rec = _recoverable(values, mask, lines)
        if not rec:
            return mask
        target = rec[0]
        for line in lines_of.get(target, []):
            cell = _pick(values, mask, line, lines_of)
            if cell is not None:
                mask[cell] = True
                changed = True
                break
        if not changed:  # every entry of every line through it is hidden already: hide everything
            mask[:] = values > 0
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
