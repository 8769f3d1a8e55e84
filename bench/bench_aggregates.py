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

With ``--tier N`` only the aggregates are measured, on a private server (``bench/work/aggregates-N``) that
holds the synthetic neighbourhood of N households: loaded once (kept for the next run; ``--reload`` loads
afresh), then the server is restarted before every measurement so that "cold" means what it means in the
suite (empty page cache, no cached plans)::

    WIJKNET_CACHE_DIR=/tmp/wijknet-cache python bench/bench_aggregates.py --tier 8000 [--reload] [--runs 2]

With ``--city-handovers N …`` only the handover page's counting and both clusterings are timed, without a
database, on N synthetic handovers of a region (:func:`city_handover_columns`; 1,250,000 is about what
800,000 households hold)::

    python bench/bench_aggregates.py --city-handovers 125000 1250000
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


def city_handover_columns(handovers: int, households: int | None = None, areas: int = 40,
                          organisations: int = 40, seed: int = 2008) -> Any:
    """A deterministic region's handovers as the handover page's integer columns
    (:class:`queries.analytics.handover_counts.Handovers`): ``households`` (default 0.64 per handover, the
    synthetic tiers' ratio) in ``areas`` areas, one professional per 20 households, each working in one area for
    one of ``organisations``; nine in ten handovers stay inside the area, dates 2004–2012 over eight life domains."""
    import numpy as np

    from queries.analytics.handover_counts import Handovers

    rng = np.random.default_rng(seed)
    households = households or max(1, int(handovers * 0.64))
    per_area = max(1, households // 20 // areas)
    household = rng.integers(0, households, handovers)
    area = household % areas
    a = area * per_area + rng.integers(0, per_area, handovers)
    inside = rng.random(handovers) < 0.9
    b = np.where(inside, area * per_area + rng.integers(0, per_area, handovers),
                 rng.integers(0, per_area * areas, handovers))
    first, last = (date(2004, 1, 1) - date(1970, 1, 1)).days, (date(2012, 12, 31) - date(1970, 1, 1)).days
    return Handovers(date=rng.integers(first, last + 1, handovers), from_professional=a, to_professional=b,
                     from_organisation=a % organisations, to_organisation=b % organisations,
                     life_domain=rng.integers(0, 8, handovers), household=household, area=area,
                     organisations=tuple(f"ORG-{i:02d}" for i in range(organisations)),
                     areas=tuple(f"A{i:02d}" for i in range(areas)))


def time_handover_page(handovers: int, seed: int = 2008) -> dict[str, Any]:
    """The handover page's counting and both clusterings (``queries.aggregates._count_handovers``) on
    :func:`city_handover_columns` — what the page does after the snapshot has given it the period's handovers,
    without a database; plus the professional graph's Leiden clustering on its own."""
    from queries import aggregates
    from queries.analytics import handover_counts

    t0 = time.perf_counter()
    h = city_handover_columns(handovers, seed=seed)
    out: dict[str, Any] = {"handovers": h.size, "build_s": round(time.perf_counter() - t0, 3)}
    detect_communities([("a", "b", 1), ("b", "c", 1)], seed=1, engine="igraph")  # import time is not page time
    t0 = time.perf_counter()
    view = aggregates._count_handovers(h, {o: o for o in h.organisations}, start=PERIOD[0], end=PERIOD[1], k=10)
    out["page_s"] = round(time.perf_counter() - t0, 3)
    out["professional_communities"] = view.professional_quality["communities"]
    out["professional_modularity"] = view.professional_quality["modularity"]
    src, dst, n = handover_counts.professional_edges(h)
    out["professional_edges"] = int(src.size)
    t0 = time.perf_counter()
    detect_communities(pd.DataFrame({"u": src, "v": dst, "n": n}), seed=2008, engine="igraph")
    out["professional_leiden_s"] = round(time.perf_counter() - t0, 3)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def time_clustering(edges: pd.DataFrame, networkx_max_edges: int) -> dict[str, Any]:
    out: dict[str, Any] = {"edges": int(len(edges)), "handovers": int(edges["n"].sum())}
    for engine in ("igraph", "networkx"):  # import both engines first: import time is not clustering time
        detect_communities([("a", "b", 1), ("b", "c", 1)], seed=1, engine=engine)
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
        out["networkx_louvain_s"] = None
        out["networkx_skipped"] = (f"{len(edges):,} distinct edges > {networkx_max_edges:,}: networkx Louvain "
                                   "(pure Python) would take minutes there")
    return out


PERIOD = (date(2009, 1, 1), date(2009, 12, 31))  # the lead's figures are per calendar year; 2009 the busiest
AS_OF = date(2008, 12, 31)  # the overlap page's default: a quarter end, the dates it is published for


class _ServerCpu:
    """CPU seconds the Neo4j JVM spent per measurement: on a shared machine wall time also counts the queue for
    the cores, CPU time does not."""

    def __init__(self, pid: int) -> None:
        import psutil

        self._proc = psutil.Process(pid)

    def used(self) -> float:
        t = self._proc.cpu_times()
        return float(t.user + t.system)


#: The pages measured by :func:`measure_aggregates`, each on its own (a failing page loses no other figure).
AGGREGATE_PAGES = ("overlap", "collaboration", "overlap_trend", "coach_effect", "handovers", "one_area")


def measure_aggregates(db: Any, audit: Any, server_pid: int | None = None,
                       failed: dict[str, str] | None = None) -> dict[str, Any]:
    """Cold (first call on ``db``) and warm times of the overlap and collaboration page data, plus the overlap
    trend, the coach effect and the handover view, as a project lead (who may open all of them). With
    ``server_pid`` (a local Neo4j) also the server's CPU seconds per figure (``server_cpu_s``).

    Each page of :data:`AGGREGATE_PAGES` is measured on its own: when one raises (a query over
    WIJKNET_QUERY_TIMEOUT, a memory guard), its error goes into ``failed`` (page -> error) and the other pages
    are still measured."""
    from queries import aggregates
    from queries.access import Actor, Role

    actor = Actor("bench", Role.PROJECT_LEAD, "bench")
    start, end = PERIOD
    out: dict[str, Any] = {}
    cpu = _ServerCpu(server_pid) if server_pid is not None else None
    server_cpu: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        c0, t0 = cpu.used() if cpu else 0.0, time.perf_counter()
        result = fn()
        out[name] = round(time.perf_counter() - t0, 3)
        if cpu is not None:
            server_cpu[name] = round(cpu.used() - c0, 3)
        return result

    def overlap() -> None:
        timed("overlap_view_cold_s", lambda: aggregates.overlap_view(db, audit, actor, as_of=AS_OF))
        timed("overlap_view_warm_s", lambda: aggregates.overlap_view(db, audit, actor, as_of=AS_OF))

    def collaboration() -> None:
        timed("collaboration_view_cold_s", lambda: aggregates.collaboration_view(db, audit, actor, start=start, end=end))
        timed("collaboration_view_warm_s", lambda: aggregates.collaboration_view(db, audit, actor, start=start, end=end))

    def handovers() -> None:
        v = timed("handover_view_s", lambda: aggregates.handover_view(db, audit, actor, start=start, end=end))
        timed("handover_view_warm_s", lambda: aggregates.handover_view(db, audit, actor, start=start, end=end))
        out["handovers"] = v.handovers

    def one_area() -> None:
        # Warm, but other filters (one area): counted again from the snapshot in memory, not the view kept for
        # the same filters.
        area = db.execute("bench_area", "MATCH (h:Household)-[:IN_AREA]->(a:Area) RETURN a.code AS code "
                          "ORDER BY code LIMIT 1").first()
        if area is not None:
            timed("collaboration_view_area_s",
                  lambda: aggregates.collaboration_view(db, audit, actor, start=start, end=end, area=area["code"]))
            timed("handover_view_area_s",
                  lambda: aggregates.handover_view(db, audit, actor, start=start, end=end, area=area["code"]))

    pages: dict[str, Any] = {
        "overlap": overlap, "collaboration": collaboration,
        "overlap_trend": lambda: timed("overlap_trend_s", lambda: aggregates.overlap_trend(db, audit, actor)),
        "coach_effect": lambda: timed("coach_effect_s", lambda: aggregates.coach_effect_view(db, audit, actor)),
        "handovers": handovers, "one_area": one_area}
    assert tuple(pages) == AGGREGATE_PAGES
    for page, measure in pages.items():
        try:
            measure()
        except Exception as exc:  # noqa: BLE001 — recorded, the next page is still measured
            if failed is None:
                raise
            failed[page] = f"{type(exc).__name__}: {exc}"[:500]
    if cpu is not None:
        out["server_cpu_s"] = server_cpu
    return out


def professional_handover_graph(db: Any) -> pd.DataFrame:
    """The professional-level handover edge list of the database (explicit + derived), as the handover page
    clusters it: ``from_professional``, ``to_professional`` (codes), ``n``; from the snapshot (read if need be)."""
    from queries import aggregates, snapshot
    from queries.analytics import handover_counts

    h = aggregates._handovers(db, *PERIOD, None, None, True, 30, snapshot.current(db, wait=True))
    src, dst, n = handover_counts.professional_edges(h)
    return pd.DataFrame({"from_professional": src, "to_professional": dst, "n": n})


def bench_db() -> dict[str, Any]:
    import tempfile

    from graph.db import connect
    from queries.audit import AuditLog
    from queries.overview import overview

    audit = AuditLog(Path(tempfile.mkdtemp()) / "bench-audit.sqlite")
    db = connect(start=False)
    ov = overview(db)
    out: dict[str, Any] = {"households": ov.counts.get("Household", 0), "involvements": ov.involvements}
    out.update(measure_aggregates(db, audit))
    out["demo_professional_graph"] = time_clustering(professional_handover_graph(db), 10**9)
    db.close()
    return out


def bench_tier(households: int, *, seed: int = 2008, reload: bool = False, runs: int = 1) -> dict[str, Any]:
    """Aggregates cold and warm on a private server holding ``households`` (see the module docstring)."""
    import os
    import tempfile

    from bench.common import bench_settings
    from graph import server
    from graph.db import connect
    from graph.schema import apply_schema
    from graph.settings import load_settings
    from ingest.loader import load_records
    from ingest.synthetic import generate
    from queries import aggregates, snapshot
    from queries.audit import AuditLog

    os.environ.update(bench_settings(f"aggregates-{households}"))
    os.environ.pop("NEO4J_URI", None)
    settings = load_settings()
    marker = settings.state_dir / "loaded.json"
    wanted = {"households": households, "seed": seed}
    out: dict[str, Any] = {"households": households}
    if reload or not marker.exists() or json.loads(marker.read_text()) != wanted:
        marker.unlink(missing_ok=True)
        server.reset(settings)
        server.start(settings)
        db = connect(settings)
        apply_schema(db)
        t0 = time.perf_counter()
        load_records(db, generate(seed=seed, households=households))
        out["load_s"] = round(time.perf_counter() - t0, 1)
        db.close()
        marker.write_text(json.dumps(wanted))
    from bench.suite import _read_snapshot

    server.start(settings)
    db = connect(settings)
    out["snapshot"] = _read_snapshot(db)  # as the CLI does after a load (a no-op when its file is there)
    db.close()
    audit = AuditLog(Path(tempfile.mkdtemp()) / "bench-audit.sqlite")
    out["runs"] = []
    try:
        for _ in range(runs):
            server.stop(settings)  # cold: a fresh JVM, empty page cache, no cached plans
            info = server.start(settings)
            db = connect(settings)
            apply_schema(db)  # what the app does at start-up; also waits for the indexes to come online
            snapshot.forget()  # as a new app process: the snapshot comes from its file
            aggregates.forget()
            run = measure_aggregates(db, audit, server_pid=info.pid)
            run["load_average"] = [round(x, 2) for x in os.getloadavg()]
            out["runs"].append(run)
            db.close()
    finally:
        server.stop(settings)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tier", type=int, help="Only the aggregates, on a private server with this many "
                    "households (loaded once, restarted before each run).")
    ap.add_argument("--reload", action="store_true", help="With --tier: load the tier afresh.")
    ap.add_argument("--runs", type=int, default=1, help="With --tier: cold+warm measurements (one restart each).")
    ap.add_argument("--skip-db", action="store_true", help="Only the synthetic city-sized clustering.")
    ap.add_argument("--city-handovers", type=int, nargs="+", metavar="N",
                    help="Only the handover page's counting and clustering (no database) on N synthetic "
                         "handovers of a region, e.g. 125000 1250000 (80,000 and 800,000 households).")
    ap.add_argument("--city-edges", type=int, default=1_000_000)
    ap.add_argument("--networkx-max-edges", type=int, default=300_000,
                    help="Skip networkx above this many distinct edges (it can take many minutes).")
    args = ap.parse_args()
    if args.city_handovers:
        print(json.dumps([time_handover_page(n) for n in args.city_handovers], indent=1))
        return
    if args.tier:
        print(json.dumps(bench_tier(args.tier, reload=args.reload, runs=args.runs), indent=1))
        return
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
