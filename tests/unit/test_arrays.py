"""distinct() is np.unique for one-dimensional integer keys, by sorting (numpy's hash path is ~25× slower)."""

from __future__ import annotations

import numpy as np
import pytest

from queries.analytics.arrays import distinct


@pytest.mark.parametrize("size", [0, 1, 2, 7, 1000])
def test_distinct_equals_numpy_unique(size: int) -> None:
    rng = np.random.default_rng(size)
    for high in (3, 10**12):
        keys = rng.integers(0, high, size)
        got = distinct(keys)
        assert got.dtype == keys.dtype and got.tolist() == np.unique(keys).tolist()
