"""Smoke test of the benchmark suite (``python -m bench --quick``): one tiny tier on the session's server,
a few seconds of 25 users, and every figure of issue 7 present in suite.json and the report. It checks that
the suite runs and reports, not how fast anything is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.report import GOALS, write_all
from bench.suite import Options, run_suite
from graph.db import Database
from graph.settings import load_settings

FIGURES = [
    ("load", "records"), ("load", "records_per_s"), ("load", "python_peak_rss_mb"), ("load", "neo4j_peak_rss_mb"),
    ("data", "household_nodes"), ("data", "involvements"), ("data", "store_mb"),
    ("ingest", "ingest_rows_per_s"), ("ingest", "load_csv_rows_per_s"), ("ingest", "ratio"),
    ("household", "household_view_ms", "p50"), ("household", "household_view_ms", "p95"),
    ("household", "household_view_ms", "p99"), ("household", "return_1_ms", "p95"), ("household", "ratio_p95"),
    ("household", "first_touch_ms", "p95"),
    ("aggregates", "overlap_view_cold_s"), ("aggregates", "collaboration_view_cold_s"),
    ("aggregates", "handover_view_s"), ("aggregates", "handover_view_warm_s"),
    ("aggregates", "collaboration_view_warm_s"), ("clustering", "igraph_leiden_s"), ("clustering", "networkx_louvain_s"),
    ("app", "pages_total_s"), ("app", "peak_rss_mb"), ("concurrency", "page_data_p95_ms"),
]
PAGES = {"overview", "coach", "overlap", "collaboration", "handovers"}


def _get(d: Any, path: tuple[str, ...]) -> Any:
    for p in path:
        d = d[p]
    return d


def test_quick_suite_reports_every_figure(db: Database, tmp_path: Path) -> None:
    # The fewest samples and seconds that still give every figure: 10 writes (not 50), 1 s of stress (not 3).
    opts = Options.quick_defaults(tiers=[40], samples=10, write_samples=10, concurrency_seconds=3.0,
                                  stress_seconds=1.0, ingest_rows=200, out_dir=tmp_path / "results",
                                  work_dir=tmp_path / "work", update_docs=False)
    result = run_suite(opts, db=db, settings=load_settings(), log=lambda _: None)
    written = write_all(result, opts.out_dir, update_docs=False)

    data = json.loads((opts.out_dir / "suite.json").read_text())
    [tier] = data["tiers"]
    assert tier["households"] == 40
    assert tier.get("failed") is None
    missing = [".".join(p) for p in FIGURES if not isinstance(_get(tier, p), int | float)]
    assert missing == []
    assert tier["data"]["household_nodes"] > 40  # the control area comes on top of the 40
    assert set(tier["app"]["pages_s"]) == PAGES
    # The comparison adds the same graph both ways and cleans up after the first.
    assert tier["ingest"]["rows"] == 200
    assert tier["ingest"]["same_counts"] is True and tier["ingest"]["cleanup_restored"] is True
    c = tier["concurrency"]
    assert (c["users"], c["errors"], c["scope_violations"]) == (25, 0, 0), c["error_samples"]
    assert c["denials_seen"] == c["denials_expected"]
    assert {"coach_household", "policy_overlap", "steward_ingest_file"} <= set(c["latency_ms"])
    assert c["requests_by_kind"].get("lead_collaboration", 0) >= 1  # the project lead is among the users
    assert c["think_s"] == [0.1, 0.3]
    stress = tier["concurrency_stress"]  # the same users without think time
    assert (stress["errors"], stress["scope_violations"], stress["think_s"]) == (0, 0, [0.0, 0.0]), stress["error_samples"]
    assert stress["pages_per_s"] > 0
    assert [g["goal"] for g in data["goals"]] == [g.name for g in GOALS]
    assert all(g["met"] in (True, False) and g["households"] == 40 for g in data["goals"])

    report = (opts.out_dir / "report.md").read_text()
    assert "## Goals" in report and "measured at 40 households" in report
    pngs = sorted(p.name for p in written if p.suffix == ".png")
    assert len(pngs) == 4
    assert all((opts.out_dir / n).read_bytes().startswith(b"\x89PNG") and f"]({n})" in report for n in pngs)
