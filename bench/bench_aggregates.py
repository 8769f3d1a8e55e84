"""Benchmark the aggregate views.

1. Overlap dashboard data, cold: a fresh driver, the first ``overlap_view`` call (what a policymaker waits
   for when opening the page), on whatever the configured database holds (load the demo first:
   ``wijknet demo load``; ``--households`` only labels the report).
2. Handover clustering: ``detect_communities`` with the fast engine (igraph Leiden) and with networkx Louvain
   on the *same* graph — the handover graph of the database, and a synthetic city-sized handover graph
   (``--city-edges``, default 1,000,000 handovers among 20,000 professionals in 400 teams) built
   deterministically from a seeded ``random.Random``.
3. Peak memory (max RSS) of this process.

Usage::

    WIJKNET_CACHE_DIR=/tmp/wijknet-cache python bench/bench_aggregates.py [--skip-db] [--city-edges N]
        [--networkx-max-edges N]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from queries.analytics.communities import detect_communities  # noqa: E402


def city_handovers(edges: int, professionals: int = 20_000, teams: int = 400, seed: int = 2008,
                   inside: float = 0.9) -> pd.DataFrame:
    """A deterministic handover edge list: most handovers stay inside a team (a neighbourhood's network)."""
    rng = random.Random(seed)
    per_team = professionals // teams
    src, dst = [], []
    for _ in range(edges):
        t = rng.randrange(teams)
        a = t * per_team + rng.randrange(per_team)
        if rng.random() < inside:
            b = t * per_team + rng.randrange(per_team)
        else:
            b = rng.randrange(professionals)
        if a != b:
            src.append(a)
            dst.append(b)
    df = pd.DataFrame({"source": src, "target": dst})
    return df.groupby(["source", "target"]).size().reset_index(name="n")


def time_clustering(edges: pd.DataFrame, networkx_max_edges: int) -> dict[str, Any]:
    out: dict[str, Any] = {"edges": int(len(edges)), "handovers": int(edges["n"].sum())}
    t0 = time.perf_counter()
    fast = detect_communities(edges, seed=2008, engine="igraph")
    out["igraph_leiden_s"] = round(time.perf_counter() - t0, 3)
    out["igraph_modularity"] = round(fast.modularity, 4)
    out["igraph_communities"] = fast.count
    if len(edges) <= networkx_max_edges:
        t0 = time.perf_counter()
        ref = detect_communities(edges, seed=2008, engine="networkx")
        out["networkx_louvain_s"] = round(time.perf_counter() - t0, 3)
        out["networkx_modularity"] = round(ref.modularity, 4)
        out["networkx_communities"] = ref.count
    else:
        out["networkx_louvain_s"] = f"skipped (> {networkx_max_edges} edges)"
    return out


def bench_db() -> dict[str, Any]:
    import tempfile

    from graph.db import connect
    from queries import aggregates
    from queries.access import Actor, Role
    from queries.audit import AuditLog
    from queries.overview import overview

    audit = AuditLog(Path(tempfile.mkdtemp()) / "bench-audit.sqlite")
    actor = Actor("bench", Role.PROJECT_LEAD, "bench")
    db = connect(start=False)
    ov = overview(db)
    out: dict[str, Any] = {"households": ov.counts.get("Household", 0), "involvements": ov.involvements}
    t0 = time.perf_counter()
    aggregates.overlap_view(db, audit, actor, as_of=date(2009, 1, 15))
    out["overlap_view_cold_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    aggregates.overlap_view(db, audit, actor, as_of=date(2009, 1, 15))
    out["overlap_view_warm_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    aggregates.overlap_trend(db, audit, actor)
    out["overlap_trend_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    aggregates.coach_effect_view(db, audit, actor)
    out["coach_effect_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    v = aggregates.handover_view(db, audit, actor, start=date(2004, 1, 1), end=date(2012, 12, 31))
    out["handover_view_s"] = round(time.perf_counter() - t0, 3)
    out["handovers"] = v.handovers
    events = aggregates._events(db, date(2004, 1, 1), date(2012, 12, 31), None, None, True, 30)
    pro = events.groupby(["from_professional", "to_professional"]).size().reset_index(name="n")
    out["demo_professional_graph"] = time_clustering(pro, 10**9)
    db.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-db", action="store_true", help="Only the synthetic city-sized clustering.")
    ap.add_argument("--city-edges", type=int, default=1_000_000)
    ap.add_argument("--networkx-max-edges", type=int, default=300_000,
                    help="Skip networkx above this many distinct edges (it can take many minutes).")
    args = ap.parse_args()
    report: dict[str, Any] = {}
    if not args.skip_db:
        report["database"] = bench_db()
    t0 = time.perf_counter()
    city = city_handovers(args.city_edges)
    report["city_graph_build_s"] = round(time.perf_counter() - t0, 3)
    report["city_professional_graph"] = time_clustering(city, args.networkx_max_edges)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
