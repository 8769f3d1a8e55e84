"""The benchmark suite's own logic without a database: every aggregate page is measured on its own, and the
800,000 tier gets Neo4j memory that fits a 24 GiB machine."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from bench import bench_aggregates
from bench.suite import neo4j_memory
from queries import aggregates


def test_a_failing_page_is_recorded_and_the_others_are_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    def fine(*_: Any, **__: Any) -> Any:
        return SimpleNamespace(handovers=7)

    def slow(*_: Any, **__: Any) -> Any:
        raise TimeoutError("over WIJKNET_QUERY_TIMEOUT")

    for name in ("overlap_view", "collaboration_view", "overlap_trend", "coach_effect_view"):
        monkeypatch.setattr(aggregates, name, fine)
    monkeypatch.setattr(aggregates, "handover_view", slow)
    db = SimpleNamespace(execute=lambda *a, **k: SimpleNamespace(first=lambda: {"code": "NVL"}))
    failed: dict[str, str] = {}
    out = bench_aggregates.measure_aggregates(db, audit=None, failed=failed)
    assert failed == {"handovers": "TimeoutError: over WIJKNET_QUERY_TIMEOUT",
                      "one_area": "TimeoutError: over WIJKNET_QUERY_TIMEOUT"}
    assert {"overlap_view_cold_s", "overlap_view_warm_s", "collaboration_view_cold_s", "collaboration_view_warm_s",
            "overlap_trend_s", "coach_effect_s", "collaboration_view_area_s"} == set(out)
    with pytest.raises(TimeoutError):  # without a place to record it, a failure is raised
        bench_aggregates.measure_aggregates(db, audit=None)


@pytest.mark.parametrize(("tiers", "gib", "want"), [
    ([634, 8000, 80000], 23.5, {}),
    ([634, 800_000], 23.5, {"WIJKNET_NEO4J_HEAP": "4g", "WIJKNET_NEO4J_PAGECACHE": "11g"}),
    ([800_000], 64, {"WIJKNET_NEO4J_HEAP": "4g", "WIJKNET_NEO4J_PAGECACHE": "17g"}),
    ([800_000], 12, {"WIJKNET_NEO4J_HEAP": "4g", "WIJKNET_NEO4J_PAGECACHE": "2g"}),
])
def test_neo4j_memory_for_the_800k_tier(tiers: list[int], gib: float, want: dict[str, str]) -> None:
    got = neo4j_memory(tiers, gib)
    assert got == want
    if got and gib >= 16:
        assert sum(int(v[:-1]) for v in got.values()) + 8 <= gib  # heap + page cache + the reserve fit


def test_the_handover_page_on_a_synthetic_region_without_a_database() -> None:
    out = bench_aggregates.time_handover_page(3000)
    assert out["handovers"] == 3000 and out["professional_edges"] > 100
    assert out["professional_communities"] >= 2 and out["professional_modularity"] > 0.3  # nine in ten inside an area
    assert bench_aggregates.city_handover_columns(50).date.tolist() == bench_aggregates.city_handover_columns(50).date.tolist()
