"""Household page data through the query layer: p50/p95/p99 and the ratio to a bare ``RETURN 1`` round trip.

    python -m bench.bench_household --households 634 80000 --samples 400

For each size a private Neo4j (bench/work/household) is reset and loaded, then :func:`queries.household.household_view`
(scope check + audit record + the one ``household_page`` read + row conversion) runs for random households of
coaches' caseloads. Data: the synthetic generator when it is available (``--source synthetic``), otherwise
clones of the hand-built seed-002 household (``tests/household_records.py``; 15 involvements, 6 people,
handovers, referrals, plan and ladder each), professionals shared by 30 households and coaches by 18.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from bench.common import bench_settings, percentiles, write_result

_SUFFIXED = ("id", "household_id", "person_id", "supporter_id", "other_id", "from_involvement_id",
             "to_involvement_id", "plan_id")
_SHARED_KINDS = ("area", "organisation", "mandate")


def cloned_records(households: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """``households`` copies of the seed-002 household with their own people, involvements and plan."""
    from tests.household_records import records

    template = records()
    yield from ((k, r) for k, r in template if k in _SHARED_KINDS and not str(r.get("id", "")).startswith("MAN"))
    seen_pros: set[str] = set()
    for n in range(households):
        sfx, grp, cgrp = f"-{n}", f"-g{n // 30}", f"-c{n // 18}"

        def pro(pid: str | None, grp: str = grp, cgrp: str = cgrp) -> str | None:
            if pid is None:
                return None
            return f"{pid}{cgrp}" if pid.startswith("PR-COACH") else f"{pid}{grp}"

        for kind, rec in template:
            if kind in _SHARED_KINDS or (kind == "household" and rec["id"] != "HH-T1"):
                continue
            if kind == "person" and rec["id"] == "X" or kind == "membership" and rec["household_id"] != "HH-T1":
                continue
            r = dict(rec)
            if kind == "professional":
                r["id"] = pro(r["id"])
                if r["id"] in seen_pros:
                    continue
                seen_pros.add(r["id"])
                yield kind, r
                continue
            if kind == "caseload" and r["household_id"] != "HH-T1":
                continue
            for f in _SUFFIXED:
                if f in r and r[f] is not None and not (kind == "mandate_holder" and f == "mandate_id"):
                    r[f] = f"{r[f]}{sfx}"
            if kind == "household":
                r["address_key"] = f"{r['address_key']}{sfx}"
                r["house_number"] = n + 1
            if "person_ids" in r:
                r["person_ids"] = [f"{p}{sfx}" for p in r["person_ids"]]
            if "professional_id" in r:
                r["professional_id"] = pro(r["professional_id"])
            if kind == "mandate_holder":
                if n % 18:
                    continue  # each coach holds the mandates once
                r["mandate_id"] = rec["mandate_id"]
            yield kind, r
        if n == 0:
            yield from (("mandate", {**r, "buddy_professional_id": pro(r.get("buddy_professional_id"))})
                        for k, r in template if k == "mandate")


def measure_household(db: Any, audit: Any, samples: int, seed: int = 2008, warmup: int = 20) -> dict[str, Any]:
    """p50/p95/p99 of :func:`queries.household.household_view` for random (coach, own household) pairs of the
    database as loaded, each followed by a bare ``RETURN 1`` and an audit append for comparison.

    The figure is the *steady state* of a coach's working day: every caseload household is opened once first
    (``first_touch_ms``: its pages come into the page cache, reported beside it), then ``warmup`` random views
    more, then the ``samples`` that count. Measuring from a cold cache made p95 depend on how many of the
    sampled households the warm-up happened to touch (20.5–32.5 ms on one store)."""
    from queries.access import Actor, Role
    from queries.household import household_view
    from queries.registry import run as run_query

    pairs = [(r["c"], r["h"]) for r in db.execute(
        "bench_caseloads", "MATCH (c:Professional)-[a:COACHES]->(h:Household) WHERE a.since <= date() "
            "AND (a.until IS NULL OR a.until >= date()) RETURN c.id AS c, h.id AS h").rows]
    pairs.sort()
    rng = random.Random(seed)
    today = date.today()
    first = []
    for c, h in pairs:  # first touch of every caseload household (page cache)
        t = time.perf_counter()
        household_view(db, audit, Actor("bench", Role.COACH, "", c), h, today=today)
        first.append((time.perf_counter() - t) * 1000)
    for _ in range(warmup):  # warm up the query plans and the driver's connections
        c, h = rng.choice(pairs)
        household_view(db, audit, Actor("bench", Role.COACH, "", c), h, today=today)
        db.execute("bench_return_1", "RETURN 1 AS one")
    page, bare, audit_ms, nodes = [], [], [], []
    for _ in range(samples):
        c, h = rng.choice(pairs)
        t = time.perf_counter()
        v = household_view(db, audit, Actor("bench", Role.COACH, "", c), h, today=today)
        page.append((time.perf_counter() - t) * 1000)
        nodes.append(len(v.people) + len(v.involvements))
        t = time.perf_counter()
        db.execute("bench_return_1", "RETURN 1 AS one")
        bare.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        audit.record(user="bench", role="coach", organisation="", action="bench", target=h)
        audit_ms.append((time.perf_counter() - t) * 1000)
    one = run_query(db, "household_page", {"household_id": pairs[0][1], "professional_id": None,
                                           "coach_scope": None, "today": today}).rows[0]["involvements"]
    p, b = percentiles(page), percentiles(bare)
    return {"household_view_ms": p, "return_1_ms": b, "audit_record_ms": percentiles(audit_ms),
            "ratio_p50": round(p["p50"] / b["p50"], 1), "ratio_p95": round(p["p95"] / b["p95"], 1),
            "involvements_per_household": len(one), "rows_per_view_mean": round(sum(nodes) / len(nodes), 1),
            "caseload_pairs": len(pairs), "first_touch_ms": percentiles(first) if len(first) > 1 else None}


def run(sizes: list[int], samples: int, source: str, seed: int = 2008) -> dict[str, Any]:
    os.environ.update(bench_settings("household"))
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
        t0 = time.perf_counter()
        if source == "synthetic":
            from ingest.synthetic import generate

            stats = load_records(db, generate(seed=seed, households=n))
        else:
            stats = load_records(db, cloned_records(n))
        load_s = time.perf_counter() - t0
        row = {"households": n, "source": source, "records": stats.total, "load_s": round(load_s, 1),
               **measure_household(db, AuditLog(settings.state_dir / "bench-audit.sqlite"), samples, seed)}
        print(row, flush=True)
        out.append(row)
        db.close()
        server.stop(settings)
    return {"sizes": out, "samples": samples}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, nargs="+", default=[634])
    ap.add_argument("--samples", type=int, default=400)
    ap.add_argument("--source", choices=("clone", "synthetic"), default="clone")
    args = ap.parse_args()
    write_result("household", run(args.households, args.samples, args.source))


if __name__ == "__main__":
    main()
