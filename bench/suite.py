"""The benchmark suite of issue 7: one command, every figure, per tier on one loaded database.

    python -m bench [--tiers 634 8000 80000] [--with-800k] [--quick]

Per tier the synthetic neighbourhood (``ingest.synthetic.generate``) is generated and loaded **once** into a
private Neo4j (``bench/work/suite``, reset per tier), and everything is measured on that database, in this
order (the last step adds data, so it comes last):

1. load: records/s end to end, the generator's own share, peak RSS of this process and of the Neo4j JVM;
2. server restart (skipped with ``--quick``), so the aggregates below are measured cold (empty page cache,
   no query plans) — that is what "cold" means in the report;
3. aggregates: overlap and collaboration page data cold and warm, overlap trend, coach effect, handover view;
4. handover clustering: igraph Leiden vs networkx Louvain on the tier's professional handover graph
   (networkx is skipped above ``--networkx-max-edges`` distinct edges, with the reason in the report);
5. household page data p50/p95/p99 and the ratio to a bare ``RETURN 1``;
6. app page data: every page's data in a fresh subprocess (:mod:`bench.pagedata`), its peak RSS;
7. concurrency (on one tier, ``--concurrency-tier``): 25 users for ``--concurrency-seconds``;
8. ingest vs ``LOAD CSV``: the same VIS2 rows through ``wijknet ingest`` and through ``LOAD CSV`` in this
   database (:func:`bench.bench_ingest.compare_on`).

Results: ``suite.json``, ``report.md`` and PNG plots in ``bench/results/`` (:mod:`bench.report`), and the
"Measured" section of ``docs/scaling.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.common import RESULTS, WORK, PeakRss, bench_settings, machine, wait_until_quiet

__all__ = ["GOAL_TIER", "PHASES", "Options", "TimedIterator", "main", "neo4j_memory", "run_suite", "run_tier"]

ROOT = Path(__file__).resolve().parent.parent
TIERS = [634, 8000, 80000]
#: Phases that ``--skip`` can leave out (the load cannot be skipped: everything is measured on it).
PHASES = ("aggregates", "clustering", "household", "write", "pagedata", "concurrency", "concurrency_stress",
          "ingest_vs_load_csv")
#: The size the issue's goals are stated for.
GOAL_TIER = 80_000
#: What the machine keeps beside Neo4j at 800,000 households (GiB): this process (the snapshot is read into
#: Python lists before it becomes arrays), the page-data process, the JVM's own overhead and the OS.
RESERVED_GIB = 8


def neo4j_memory(tiers: list[int], total_gib: float) -> dict[str, str]:
    """The Neo4j heap and page cache for a run with ``tiers`` on a machine with ``total_gib`` of memory: the
    2g defaults up to 80,000 households; with the 800,000 tier (a store of about 17 GB) a 4g heap and as much
    page cache as fits beside :data:`RESERVED_GIB` (2–17g; 11g on a 24 GiB machine), so that the load and the
    snapshot's reads do not thrash the disk and the machine does not swap. Set WIJKNET_NEO4J_HEAP /
    WIJKNET_NEO4J_PAGECACHE to choose yourself."""
    if not tiers or max(tiers) < 800_000:
        return {}
    heap = 4
    pagecache = int(max(2, min(17, total_gib - heap - RESERVED_GIB)))
    return {"WIJKNET_NEO4J_HEAP": f"{heap}g", "WIJKNET_NEO4J_PAGECACHE": f"{pagecache}g"}


@dataclass
class Options:
    """What to run; the defaults are the full suite, ``quick()`` the smoke-test variant."""

    tiers: list[int] = field(default_factory=lambda: list(TIERS))
    seed: int = 2008
    quick: bool = False
    samples: int = 300
    write_samples: int | None = None        # None: max(50, samples // 3)
    concurrency_tier: int | None = None     # None: the largest tier not above GOAL_TIER
    concurrency_seconds: float = 60.0
    stress_seconds: float = 30.0            # the closed-loop run (no think time) after the realistic one
    think_s: tuple[float, float] = (1.0, 3.0)  # a user's reading time between pages (bench_concurrency)
    networkx_max_edges: int = 300_000
    ingest_rows: int | None = None          # None: per tier, see ingest_rows_for
    restart_for_cold: bool = True
    out_dir: Path = RESULTS
    work_dir: Path = WORK / "suite"
    update_docs: bool = True
    skip: list[str] = field(default_factory=list)  # phases not to run (see PHASES)

    @classmethod
    def quick_defaults(cls, **kw: Any) -> Options:
        base = {"samples": 30, "concurrency_seconds": 5.0, "stress_seconds": 3.0, "think_s": (0.1, 0.3),
                "ingest_rows": 500, "restart_for_cold": False,
                "quick": True}
        return cls(**{**base, **kw})

    def ingest_rows_for(self, households: int) -> int:
        """Rows of the ingest/LOAD CSV comparison: twice the households, at least 5,000, at most 100,000."""
        return self.ingest_rows or min(100_000, max(5_000, 2 * households))

    def chosen_concurrency_tier(self) -> int:
        if self.concurrency_tier is not None:
            return self.concurrency_tier
        small = [t for t in self.tiers if t <= GOAL_TIER]
        return max(small) if small else min(self.tiers)


class TimedIterator:
    """Wraps an iterator and adds up the time spent producing its items (the generator's share of a load)."""

    def __init__(self, items: Iterator[Any]) -> None:
        self._it = items
        self.seconds = 0.0
        self.count = 0

    def __iter__(self) -> TimedIterator:
        return self

    def __next__(self) -> Any:
        t0 = time.perf_counter()
        try:
            item = next(self._it)
        finally:
            self.seconds += time.perf_counter() - t0
        self.count += 1
        return item


def _say(message: str) -> None:
    print(message, flush=True)


def _wipe(db: Any) -> None:
    with db.driver.session(database=db.database) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _read_snapshot(db: Any) -> dict[str, Any]:
    """What the CLI does after every load (:func:`queries.aggregates.ready_after_load`): read the overlap snapshot
    of the freshly loaded graph, then compute the pair matrices' hidden cells of every year end (all life domains together), which are kept
    on disk."""
    from queries import aggregates, snapshot

    snapshot.forget()
    t0 = time.perf_counter()
    snap = snapshot.current(db, wait=True)
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    if snap is not None:
        aggregates.prepare_figures(db, snap, kept_only=True)
    ahead = time.perf_counter() - t1
    snapshot.forget()  # the CLI's process ends: what it kept in memory is gone
    aggregates.forget()
    files = list(db.snapshot_dir.glob("overlap-*.npz")) if db.snapshot_dir else []
    return {"read_s": round(seconds, 2), "periods": snap.periods if snap else 0,
            "file_mb": round(sum(f.stat().st_size for f in files) / 2**20, 1), "ahead_s": round(ahead, 2)}


def _page_data(db: Any, audit_file: Path) -> dict[str, Any]:
    """Run :mod:`bench.pagedata` in a fresh interpreter against ``db``; its JSON line."""
    env = {**os.environ, "NEO4J_URI": db.uri, "NEO4J_USER": db.user, "NEO4J_PASSWORD": db.password,
           "NEO4J_DATABASE": db.database}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bench.pagedata", str(audit_file)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"bench.pagedata failed: {proc.stderr.strip()[-800:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall_s"] = round(time.perf_counter() - t0, 2)
    out["pages_total_s"] = round(sum(out["pages_s"].values()), 3)
    return out


def run_tier(db: Any, settings: Any, households: int, opts: Options, *, neo4j_pid: int | None = None,
             restart: Callable[[], tuple[Any, int | None]] | None = None,
             log: Callable[[str], None] = _say) -> dict[str, Any]:
    """Load ``households`` into the empty ``db`` and measure everything on it; returns the tier's figures.

    ``restart`` (optional) stops and starts the server and returns a new database and the JVM's pid; it is
    used to measure the aggregates cold. The caller closes the database returned in ``tier["_db"]``.
    """
    from bench.bench_aggregates import measure_aggregates, professional_handover_graph, time_clustering
    from bench.bench_concurrency import run_on
    from bench.bench_household import measure_household
    from bench.bench_ingest import compare_on
    from bench.bench_write import measure_write
    from graph import server
    from graph.schema import apply_schema
    from ingest.loader import load_records
    from ingest.synthetic import generate
    from queries.audit import AuditLog
    from queries.overview import overview

    tier: dict[str, Any] = {"households": households, "load_average_start": _load_average(), "phase_s": {}}
    phases: dict[str, float] = tier["phase_s"]
    work = opts.work_dir / f"tier-{households}"
    work.mkdir(parents=True, exist_ok=True)
    audit = AuditLog(work / f"audit-{time.time_ns()}.sqlite")

    def step(name: str, key: str | None, fn: Callable[[], Any], quiet: bool = False, own: bool = False) -> None:
        """Run one phase; a failure is recorded (``tier["failed"]``) and the next phase still runs, so one
        slow query (e.g. over WIJKNET_QUERY_TIMEOUT at a large tier) does not cost the whole run. ``quiet``: a
        latency phase first waits until the server is quiet (``tier["quiet_wait_s"]``); ``own``: this process too."""
        if name in opts.skip:
            tier.setdefault("skipped", []).append(name)
            return
        if quiet:
            tier.setdefault("quiet_wait_s", {})[name] = wait_until_quiet(neo4j_pid, own=own,
                                                                         max_wait_s=120.0 if own else 30.0)
        t0 = time.perf_counter()
        log(f"[{households}] {name} …")
        try:
            out = fn()
            if key is not None:
                tier[key] = out
        except Exception as exc:  # noqa: BLE001 — reported in the JSON and the report
            tier.setdefault("failed", {})[name] = f"{type(exc).__name__}: {exc}"[:500]
            log(f"[{households}] {name} FAILED: {tier['failed'][name]}")
        phases[name] = round(time.perf_counter() - t0, 1)
        log(f"[{households}] {name}: {phases[name]} s")

    def load() -> None:  # 1. load (not caught: nothing else can be measured without it)
        apply_schema(db)
        items = TimedIterator(iter(generate(seed=opts.seed, households=households)))
        t0 = time.perf_counter()
        with PeakRss(other_pid=neo4j_pid).measure() as mem:
            stats = load_records(db, items)
        load_s = time.perf_counter() - t0
        ov = overview(db)
        totals = db.execute("bench_totals", "MATCH (n) RETURN count(n) AS nodes, COUNT { ()-->() } AS rels"
                            ).first() or {}
        tier["load"] = {
            "records": stats.total, "load_s": round(load_s, 2), "records_per_s": round(stats.total / load_s),
            "generate_s": round(items.seconds, 2),
            "generate_records_per_s": round(items.count / max(items.seconds, 1e-9)),
            "python_peak_rss_mb": round(mem.peak_mb), "neo4j_peak_rss_mb": round(mem.other_peak_mb) or None,
        }
        tier["data"] = {
            "household_nodes": ov.counts.get("Household", 0), "person_nodes": ov.counts.get("Person", 0),
            "involvements": ov.involvements, "professionals": ov.counts.get("Professional", 0),
            "nodes": totals.get("nodes"), "relationships": totals.get("rels"),
            "store_mb": round(server.data_size_bytes(settings) / 2**20) if settings.managed else None}

    t0 = time.perf_counter()
    log(f"[{households}] load …")
    load()
    phases["load"] = round(time.perf_counter() - t0, 1)
    log(f"[{households}] load: {phases['load']} s")
    step("snapshot", "snapshot", lambda: _read_snapshot(db))  # as `wijknet ingest`/`demo load` do after a load

    # 2. cold start
    if restart is not None and opts.restart_for_cold:
        t0 = time.perf_counter()
        log(f"[{households}] restart …")
        db, neo4j_pid = restart()
        phases["restart"] = round(time.perf_counter() - t0, 1)
        log(f"[{households}] restart: {phases['restart']} s")
        # What the app does when it starts (`wijknet serve`): the schema check, the first queries of the new JVM,
        # and the plans of the pages' queries (queries/warmup.py; in the background there, waited for here).
        from queries.warmup import warm_plans

        t0 = time.perf_counter()
        apply_schema(db)
        tier["app_startup_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        warm_plans(db)
        tier["plan_warmup_s"] = round(time.perf_counter() - t0, 2)
        tier["cold"] = (f"server restarted after the load, then the app's start-up (schema check: "
                        f"{tier['app_startup_s']} s on the fresh JVM; the pages' query plans: "
                        f"{tier['plan_warmup_s']} s): empty page cache, the pages' plans made, nothing else run")
    else:
        tier["cold"] = "first call after the load on the same server (page cache warm from the load)"
    def aggregates() -> dict[str, Any]:
        """Every page's figure on its own: a failing page is recorded as ``aggregates.<page>`` with its error
        and the other pages are still measured."""
        failed: dict[str, str] = {}
        out = measure_aggregates(db, audit, server_pid=neo4j_pid, failed=failed)
        for page, error in failed.items():
            tier.setdefault("failed", {})[f"aggregates.{page}"] = error
            log(f"[{households}] aggregates.{page} FAILED: {error}")
        return out

    step("aggregates", "aggregates", aggregates)
    step("clustering", "clustering",
         lambda: time_clustering(professional_handover_graph(db), opts.networkx_max_edges))
    step("household", "household",
         lambda: measure_household(db, audit, opts.samples, opts.seed, warmup=10 if opts.quick else 20), quiet=True)
    step("write", "write", lambda: measure_write(db, audit, opts.write_samples or max(50, opts.samples // 3),
                                                 opts.seed), quiet=True)
    step("pagedata", "app", lambda: _page_data(db, work / "pagedata-audit.sqlite"))
    if households == opts.chosen_concurrency_tier():
        step("concurrency", "concurrency",
             lambda: run_on(db, settings, opts.concurrency_seconds, opts.seed, think_s=opts.think_s,
                            prepare=not opts.quick), quiet=True)
        step("concurrency_stress", "concurrency_stress",
             lambda: run_on(db, settings, opts.stress_seconds, opts.seed, think_s=(0.0, 0.0), prepare=not opts.quick))
    # Adds 40 professionals and reference organisations: last.
    step("ingest_vs_load_csv", "ingest",
         lambda: compare_on(db, settings, opts.ingest_rows_for(households), work / "ingest", prefix="BENCH"),
         quiet=True, own=True)  # after the users' imports this process reads and prepares snapshots for a while
    tier["load_average_end"] = _load_average()
    tier["_db"] = db
    return tier


def run_suite(opts: Options, db: Any = None, settings: Any = None, log: Callable[[str], None] = _say
              ) -> dict[str, Any]:
    """Every tier of ``opts``; with ``db`` given (e.g. a test's server) it is wiped per tier and not restarted,
    otherwise a private managed server under ``opts.work_dir`` is reset and started per tier."""
    from graph import server
    from graph.db import connect
    from graph.settings import load_settings

    t_suite = time.perf_counter()
    tiers: list[dict[str, Any]] = []
    if db is None:
        opts.work_dir.mkdir(parents=True, exist_ok=True)
        os.environ.update({**bench_settings("suite"), "WIJKNET_STATE_DIR": str(opts.work_dir),
                           "WIJKNET_SECRET_FILE": str(opts.work_dir / "pseudonym.key")})
        os.environ.pop("NEO4J_URI", None)
        settings = load_settings()
        current: dict[str, Any] = {}  # the open Database of the tier (replaced by a restart)

        def restart() -> tuple[Any, int | None]:
            from queries import aggregates, snapshot

            current["db"].close()
            server.stop(settings)
            info = server.start(settings)
            current["db"] = connect(settings)
            snapshot.forget()  # as a new app process: the snapshot comes from its file
            aggregates.forget()
            return current["db"], info.pid

        try:
            for n in sorted(opts.tiers):
                t0 = time.perf_counter()
                server.reset(settings)
                info = server.start(settings)
                current["db"] = connect(settings)
                tier = run_tier(current["db"], settings, n, opts, neo4j_pid=info.pid, restart=restart, log=log)
                tier.pop("_db").close()
                tier["wall_s"] = round(time.perf_counter() - t0, 1)
                tiers.append(tier)
        finally:
            server.stop(settings)
    else:
        settings = settings or load_settings()
        running = server.running_info(settings) if settings.managed else None
        for n in sorted(opts.tiers):
            t0 = time.perf_counter()
            _wipe(db)
            tier = run_tier(db, settings, n, opts, neo4j_pid=running.pid if running else None, log=log)
            tier.pop("_db")
            tier["wall_s"] = round(time.perf_counter() - t0, 1)
            tiers.append(tier)
    options = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(opts).items()}
    options["concurrency_tier"] = opts.chosen_concurrency_tier()
    return {"suite": "wijknet issue 7", "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": machine(), "neo4j": {"heap": os.environ.get("WIJKNET_NEO4J_HEAP", settings.neo4j_heap),
                                            "pagecache": os.environ.get("WIJKNET_NEO4J_PAGECACHE",
                                                                        settings.neo4j_pagecache)},
            "options": options, "tiers": tiers, "wall_s": round(time.perf_counter() - t_suite, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--tiers", type=int, nargs="+", default=None, help="Households per tier (634 8000 80000).")
    ap.add_argument("--with-800k", action="store_true", help="Add the 800,000-household tier.")
    ap.add_argument("--quick", action="store_true",
                    help="Smoke run: 30 samples, 5 s of concurrency, 500 ingest rows, no restart for cold runs, "
                         "the users without the figures computed ahead; tiers default to 300 and 1000.")
    ap.add_argument("--samples", type=int, help="Household page-data samples per tier (300; quick 30).")
    ap.add_argument("--concurrency-tier", type=int, help="Tier of the 25-user run (the largest ≤ 80,000).")
    ap.add_argument("--concurrency-seconds", type=float, help="Length of the 25-user run (60; quick 5).")
    ap.add_argument("--stress-seconds", type=float,
                    help="Length of the same run without think time, the closed-loop stress test (30; quick 3).")
    ap.add_argument("--think", type=float, nargs=2, metavar=("MIN", "MAX"),
                    help="A user's reading time between pages in the 25-user run, seconds (1 3; quick 0.1 0.3).")
    ap.add_argument("--networkx-max-edges", type=int, default=300_000,
                    help="Skip networkx Louvain above this many distinct handover edges.")
    ap.add_argument("--ingest-rows", type=int, help="Rows of the ingest/LOAD CSV comparison (2×households, "
                    "5,000-100,000; quick 500).")
    ap.add_argument("--skip", nargs="+", default=[], choices=PHASES, metavar="PHASE",
                    help=f"Phases to leave out ({', '.join(PHASES)}); the report marks them not measured.")
    ap.add_argument("--out", type=Path, default=RESULTS, help="Where suite.json, report.md and the plots go.")
    ap.add_argument("--no-docs", action="store_true", help="Do not rewrite the Measured section of docs/scaling.md.")
    args = ap.parse_args(argv)
    tiers = args.tiers or ([300, 1000] if args.quick else list(TIERS))
    if args.with_800k and 800_000 not in tiers:
        tiers.append(800_000)
    kw: dict[str, Any] = {"tiers": tiers, "networkx_max_edges": args.networkx_max_edges, "out_dir": args.out,
                          "update_docs": not args.no_docs, "concurrency_tier": args.concurrency_tier,
                          "skip": args.skip}
    for name in ("samples", "concurrency_seconds", "stress_seconds", "ingest_rows"):
        if getattr(args, name) is not None:
            kw[name] = getattr(args, name)
    if args.think is not None:
        kw["think_s"] = (args.think[0], args.think[1])
    opts = Options.quick_defaults(**kw) if args.quick else Options(**kw)
    if opts.chosen_concurrency_tier() not in opts.tiers:
        ap.error(f"--concurrency-tier {opts.concurrency_tier} is not one of the tiers {opts.tiers}")
    os.environ.setdefault("WIJKNET_CACHE_DIR", str(Path.home() / ".cache" / "wijknet"))
    for name, value in neo4j_memory(opts.tiers, float(machine()["memory_gb"])).items():
        os.environ.setdefault(name, value)
        _say(f"{name}={os.environ[name]}")
    result = run_suite(opts)
    from bench.report import write_all

    for path in write_all(result, opts.out_dir, update_docs=opts.update_docs):
        _say(f"wrote {path}")
    return 0
