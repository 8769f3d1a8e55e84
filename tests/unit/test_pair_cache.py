"""The pair matrices' hidden cells kept on disk by the counts' content (queries.aggregates): read back whole, never
for another shape, and the oldest dropped past the limit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from queries import aggregates


def test_kept_hidden_cells_come_back_for_their_digest_and_shape_only(tmp_path: Path) -> None:
    hidden = np.zeros((3, 4, 4), dtype=bool)
    hidden[1, 2, 3] = hidden[1, 3, 2] = True
    assert aggregates._kept_widening(tmp_path, "abc", hidden.shape) is None  # nothing kept yet
    aggregates._keep_widening(tmp_path, "abc", hidden)
    assert np.array_equal(aggregates._kept_widening(tmp_path, "abc", hidden.shape), hidden)
    assert aggregates._kept_widening(tmp_path, "abc", (3, 5, 5)) is None  # another grid: solve again
    assert aggregates._kept_widening(tmp_path, "other", hidden.shape) is None
    assert aggregates._kept_widening(None, "abc", hidden.shape) is None  # no folder: memory only
    (tmp_path / "bad.npy").write_bytes(b"not an array")
    assert aggregates._kept_widening(tmp_path, "bad", hidden.shape) is None
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".")] == []  # no half-written file left


def test_the_oldest_decisions_go_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(aggregates, "_PAIR_FILES", 3)
    for n in range(5):
        aggregates._keep_widening(tmp_path, f"d{n}", np.zeros((1, 2, 2), dtype=bool))
        os.utime(tmp_path / f"d{n}.npy", (1000 + n, 1000 + n))
    assert sorted(f.stem for f in tmp_path.glob("*.npy")) == ["d2", "d3", "d4"]
