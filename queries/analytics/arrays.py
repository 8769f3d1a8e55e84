"""Array helpers the counting engines share.

:func:`distinct` is ``np.unique`` for one-dimensional integer keys, by sorting. numpy 2.3+ answers a plain
``np.unique(keys)`` (no ``return_*``) with a hash table, which for the snapshot's combined keys (values up to
~10¹², 150,000 of them at 80,000 households) takes ~50 ms where a sort takes ~2 ms; the overlap page called it
24 times per view (0.6 of its 0.97 s warm at 80,000 households). ``bench/results`` has the figures.
"""

from __future__ import annotations

import numpy as np

__all__ = ["distinct", "run_starts"]


def distinct(keys: np.ndarray, *, nearly_sorted: bool = False) -> np.ndarray:
    """The sorted distinct values of the one-dimensional array ``keys`` (what ``np.unique(keys)`` returns).

    ``nearly_sorted``: ``keys`` are in order but for short runs (keys led by the household, taken in household
    order): numpy's stable sort (timsort) then takes a fraction of the time of its default quicksort.

    >>> distinct(np.array([3, 1, 3, 2])).tolist(), distinct(np.array([1, 2, 2, 4, 3]), nearly_sorted=True).tolist()
    ([1, 2, 3], [1, 2, 3, 4])
    """
    ordered = np.sort(np.ravel(keys), kind="stable" if nearly_sorted else None)
    if ordered.size < 2:
        return ordered
    first = np.empty(ordered.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def run_starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts in the sorted (or grouped) array ``ordered`` (0 first; empty for an
    empty array): the boundaries of groups after a sort by group.

    >>> run_starts(np.array([0, 0, 1, 3, 3, 3])).tolist(), run_starts(np.array([], dtype=np.int64)).tolist()
    ([0, 2, 3], [])
    """
    if ordered.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(([0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1))
