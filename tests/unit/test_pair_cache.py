"""The overlap page's disclosure decisions kept on disk by the counts' content (queries.aggregates): read back
whole, never for another shape, and the oldest dropped past the limit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from queries import aggregates


def test_kept_hidden_cells_come_back_for_their_digest_and_shape_only(tmp_path: Path) -> None:
    hidden = np.zeros((3, 4, 4), dtype=bool)
    hidden[1, 2, 3] = hidden[1, 3, 2] = True
    kept = aggregates._OnDisk(tmp_path)
    assert kept.get("abc", hidden.shape) is None  # nothing kept yet
    kept.put("abc", hidden)
    assert np.array_equal(kept.get("abc", hidden.shape), hidden)
    assert kept.get("abc", (3, 5, 5)) is None  # another grid: solve again
    assert kept.get("other", hidden.shape) is None
    nowhere = aggregates._OnDisk(None)
    nowhere.put("abc", hidden)
    assert nowhere.get("abc", hidden.shape) is None  # no folder: memory only
    (tmp_path / "bad.npy").write_bytes(b"not an array")
    assert kept.get("bad", hidden.shape) is None
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".")] == []  # no half-written file left


def test_the_oldest_decisions_go_past_the_limit(tmp_path: Path) -> None:
    import os

    kept = aggregates._OnDisk(tmp_path, limit=3)
    for n in range(5):
        kept.put(f"d{n}", np.zeros((1, 2, 2), dtype=bool))
        os.utime(tmp_path / f"d{n}.npy", (1000 + n, 1000 + n))
    assert sorted(f.stem for f in tmp_path.glob("*.npy")) == ["d2", "d3", "d4"]


def test_a_chain_is_decided_once_read_back_the_same_and_decided_again_for_other_counts_or_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """disclosure.suppress_chain with somewhere to keep its decisions: the same tables give the same protected
    tables without deciding again (the control area's cohort sums too), other counts or another version of the
    rules decide again."""
    import pandas as pd

    from queries.analytics import disclosure

    def quarter(b: int) -> pd.DataFrame:
        return pd.DataFrame({"0": [40, 30, 25], "1": [b, 14, 4], "2": [12, 3, 9]}, index=["N1", "N2", "C"])

    tables = [quarter(2), quarter(2), quarter(3), quarter(3)]
    groups = {"experiment": ["N1", "N2"], "control": ["C"]}
    partial = {"cohort": ("C", ["1", "2"])}
    decided: list[int] = []
    real = disclosure._chain_hidden
    monkeypatch.setattr(disclosure, "_chain_hidden", lambda *a, **kw: decided.append(1) or real(*a, **kw))
    kept = aggregates._OnDisk(tmp_path)

    def chain(ts: list[pd.DataFrame]) -> list[pd.DataFrame]:
        return disclosure.suppress_chain(ts, groups, 10, partial_sums=partial, kept=kept)

    first = chain(tables)
    assert decided == [1] and len(list(tmp_path.glob("*.npy"))) == 1
    again = chain(tables)
    assert decided == [1]  # read back
    plain = disclosure.suppress_chain(tables, groups, 10, partial_sums=partial)  # nothing kept: decided anew
    for a, b, c in zip(first, again, plain, strict=True):
        pd.testing.assert_frame_equal(a, b)
        pd.testing.assert_frame_equal(a, c)
        assert a.attrs == b.attrs == c.attrs and "cohort" in a.attrs["partial_sums"]
    assert first[0].isna().to_numpy().any()  # something is hidden: the comparison above is not of bare tables
    chain([*tables[:3], quarter(4)])
    assert decided == [1, 1, 1]  # other counts
    monkeypatch.setattr(disclosure, "rules_fingerprint", lambda: b"another version of the rules")
    chain(tables)
    assert len(decided) == 4  # the same counts under other rules
