"""A coach's write through the workspace (ingest/record.py), beside the household read: p50/p95/p99.

    python -m bench.bench_write --households 634 --samples 200

For each size a private Neo4j (bench/work/write) is reset and loaded with the cloned seed-002 households (as
bench/bench_household.py), then for random (coach, own household) pairs it times, alternately,

* ``record``: a new agreement with the household (:func:`ingest.record.record`: role and caseload check, the
  audit record before the write, validation with the ingest's rules against the household, the write and the
  outcome record), and
* ``correct``: that agreement marked kept (:func:`ingest.record.correct`: the same, plus the lock, the version
  comparison and the kept FactVersion),

and reports each (``write_ms`` both together) beside :func:`queries.household.household_view` measured the same
way on the same store (``read_ms``), with their ratio. The issue's goal: a write's p95 at most twice the read's.
Inside the suite (``python -m bench``) it runs per tier after the household phase (``write``).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import time
import uuid
from datetime import date
from typing import Any

from bench.common import bench_settings, percentiles, write_result


def measure_write(db: Any, audit: Any, samples: int, seed: int = 2008, warmup: int = 10) -> dict[str, Any]:
    """p50/p95/p99 of a coach's write (record, then correct) and of the household read, on the loaded store."""
    from ingest.record import correct, record
    from queries.access import Actor, Role
    from queries.household import household_view

    pairs = sorted((r["c"], r["h"]) for r in db.execute(
        "bench_caseloads", "MATCH (c:Professional)-[a:COACHES]->(h:Household) WHERE a.since <= date() "
        "AND (a.until IS NULL OR a.until >= date()) RETURN c.id AS c, h.id AS h").rows)
    rng = random.Random(seed)
    today = date.today()
    entry = {"kind": "afspraak", "text": "Bench: post openen", "in_return": "Coach belt", "date": today,
             "status": "open"}

    made = itertools.count(1)
    run_tag = uuid.uuid4().hex[:6]  # a measurement after another on the same data makes its own

    def one(c: str, h: str, timed: dict[str, list[float]] | None) -> None:
        actor = Actor(f"bench-{c}", Role.COACH, "", c)
        # each its own agreement: the same one again is refused as recorded already
        new = {**entry, "text": f"{entry['text']} ({run_tag}-{next(made)})"}
        t = time.perf_counter()
        rec = record(db, audit, actor, h, "agreement", new, today=today)
        t1 = time.perf_counter()
        correct(db, audit, actor, h, "agreement", rec.fact_id, rec.version, {"status": "nagekomen"}, "bench",
                today=today)
        t2 = time.perf_counter()
        household_view(db, audit, actor, h, today=today)
        t3 = time.perf_counter()
        if timed is not None:
            timed["record"].append((t1 - t) * 1000)
            timed["correct"].append((t2 - t1) * 1000)
            timed["read"].append((t3 - t2) * 1000)

    for _ in range(warmup):
        one(*rng.choice(pairs), None)
    timed: dict[str, list[float]] = {"record": [], "correct": [], "read": []}
    for _ in range(samples):
        one(*rng.choice(pairs), timed)
    writes = timed["record"] + timed["correct"]
    w, r = percentiles(writes), percentiles(timed["read"])
    return {"write_ms": w, "record_ms": percentiles(timed["record"]), "correct_ms": percentiles(timed["correct"]),
            "read_ms": r, "ratio_p95": round(w["p95"] / r["p95"], 2), "goal_ratio_p95": 2.0,
            "caseload_pairs": len(pairs)}


def run(sizes: list[int], samples: int, seed: int = 2008) -> dict[str, Any]:
    os.environ.update(bench_settings("write"))
    from bench.bench_household import cloned_records
    from graph import server
    from graph.db import connect
    from graph.schema import apply_schema
    from graph.settings import load_settings
    from ingest.loader import load_records
    from queries.audit import AuditLog

    settings = load_settings()
    out: list[dict[str, Any]] = []
    for n in sizes:
        server.reset(settings)
        server.start(settings)
        db = connect(settings)
        apply_schema(db)
        stats = load_records(db, cloned_records(n))
        row = {"households": n, "records": stats.total,
               **measure_write(db, AuditLog(settings.state_dir / "bench-write-audit.sqlite"), samples, seed)}
        print(row, flush=True)
        out.append(row)
        db.close()
        server.stop(settings)
    return {"sizes": out, "samples": samples}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, nargs="+", default=[634])
    ap.add_argument("--samples", type=int, default=200)
    args = ap.parse_args()
    write_result("write", run(args.households, args.samples))


if __name__ == "__main__":
    main()
