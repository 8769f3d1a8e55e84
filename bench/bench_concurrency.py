"""25 simulated users at once: 20 coaches opening households, 3 policymakers running dashboards, 1 project
lead opening the collaboration and handover pages, 1 data steward ingesting — all through the query layer the app's pages call, sharing one driver as the Streamlit
process does, on loopback, for a bounded time.

    python -m bench.bench_concurrency --households 634 --seconds 60
    python -m bench.bench_concurrency --state-dir bench/work/suite --seconds 60   # the suite's loaded tier

Each simulated person reads a page before the next click: a think time drawn uniformly from ``--think``
(default 1–3 s — far shorter than a coach spends on a household before a visit, so this is still a heavy
load). ``--think 0 0`` is the closed-loop stress test: every user clicks again the moment a page is there.

Coaches also write (issue 18): after a household, with probability ``--write-share`` (default 0.2), the coach
records an agreement with that household and then marks it kept, through :func:`ingest.record.record` and
:func:`ingest.record.correct` (role and caseload checked, audited first, validated against the household,
written with its history) — timed as ``write_record`` and ``write_correct``, reported together as
``write_p95_ms`` beside the page reads' ``page_data_p95_ms``. A coach may write only to their own household: a
write to one outside the caseload (asked for with the canary's probability) must be refused like a read.

Reported: p50/p95/p99 page-data latency per kind of user, the writes', errors (must be 0) and scope violations
(must be 0). The canary: every coach also asks for households outside their caseload; each such request (read or
write) must be denied, and every household a coach receives must be in that coach's caseload.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import itertools
import os
import random
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import bench_settings, percentiles, write_result

ROOT = Path(__file__).resolve().parents[1]


def _where(exc: BaseException) -> str:
    """Where in wijknet's code ``exc`` was raised (the deepest frame of ours), for the report's error samples."""
    import traceback

    ours = [f for f in traceback.extract_tb(exc.__traceback__) if "/site-packages/" not in f.filename]
    return f" @ {Path(ours[-1].filename).name}:{ours[-1].lineno} {ours[-1].name}" if ours else ""


def relocate(path: Path, pc4_prefix: str = "76") -> None:
    """Move every address of an export to postcodes no generated neighbourhood uses (``75xx`` → ``76xx``).

    The synthetic generator numbers homes from the first address of each area whatever the seed, and its
    household ids are not the ingest's pseudonymised address ids; so an export of *any* seed, ingested into a
    database holding a generated neighbourhood, would create a second household at an existing
    ``address_key`` (a uniqueness violation). The steward therefore ingests its exports at other addresses.
    """
    raw = path.read_bytes()
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("cp1252"), "cp1252"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    if not rows or "postcode" not in rows[0]:
        return
    col = rows[0].index("postcode")
    for r in rows[1:]:
        if len(r) > col and r[col][:2] == "75":
            r[col] = pc4_prefix + r[col][2:]
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


DEFAULT_THINK_S = (1.0, 3.0)
#: the share of a coach's household visits followed by a write (record, then correct)
DEFAULT_WRITE_SHARE = 0.2
#: The dates a policymaker can ask the overlap table for: the ends of the quarters of 2005–2012.
QUARTER_ENDS = [date(y, m, d) for y in range(2005, 2013) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]


def run(households: int, seconds: float, seed: int = 2008,
        think_s: tuple[float, float] = DEFAULT_THINK_S, write_share: float = DEFAULT_WRITE_SHARE) -> dict[str, Any]:
    """Load the demo neighbourhood of ``households`` into a private server, then :func:`run_on` it."""
    os.environ.update(bench_settings("concurrency"))
    from graph import server
    from graph.db import connect
    from graph.settings import load_settings
    from ingest.demo import ensure_demo
    from queries.access import SYSTEM_DEMO
    from queries.audit import AuditLog

    settings = load_settings()
    server.start(settings)
    db = connect(settings)
    ensure_demo(db, AuditLog(settings.state_dir / "audit-bench.sqlite"), SYSTEM_DEMO, seed, households)
    try:
        return {"households": households, **run_on(db, settings, seconds, seed, think_s, write_share)}
    finally:
        db.close()
        server.stop(settings)


def run_loaded(state_dir: Path, seconds: float, seed: int = 2008, think_s: tuple[float, float] = DEFAULT_THINK_S,
               write_share: float = DEFAULT_WRITE_SHARE) -> dict[str, Any]:
    """:func:`run_on` the database a previous run left loaded under ``state_dir`` (the suite's
    ``bench/work/suite``, loaded with seed ``seed``), with its overlap snapshot file: a change can be measured
    on a large tier without loading it again. The run writes (coaches, the steward): copy ``neo4j/data`` first
    to measure two versions on the same graph."""
    os.environ.update({**bench_settings("concurrency"), "WIJKNET_STATE_DIR": str(state_dir),
                       "WIJKNET_SECRET_FILE": str(state_dir / "pseudonym.key")})
    os.environ.pop("NEO4J_URI", None)
    from bench.common import wait_until_quiet
    from graph import server
    from graph.db import connect
    from graph.settings import load_settings
    from queries import snapshot

    settings = load_settings()
    info = server.start(settings)
    db = connect(settings)
    try:
        snapshot.current(db, wait=True)  # the saved file when the graph is as it was left; else read now
        households = next(r["n"] for r in db.execute("bench_household_count",
                                                     "MATCH (h:Household) RETURN count(h) AS n").rows)
        quiet = wait_until_quiet(info.pid)
        load = [round(x, 2) for x in os.getloadavg()]
        out = run_on(db, settings, seconds, seed, think_s, write_share)
        return {"households": households, "state_dir": str(state_dir), "quiet_wait_s": quiet,
                "load_average_start": load, "load_average_end": [round(x, 2) for x in os.getloadavg()], **out}
    finally:
        db.close()
        server.stop(settings)


def run_on(db: Any, settings: Any, seconds: float, seed: int = 2008,
           think_s: tuple[float, float] = DEFAULT_THINK_S, write_share: float = DEFAULT_WRITE_SHARE,
           prepare: bool = True) -> dict[str, Any]:
    """25 users for ``seconds`` against ``db`` as loaded (generated with ``seed``), each pausing a think time
    drawn from ``think_s`` (seconds, uniform) after every page; coaches write after ``write_share`` of their
    household visits. ``prepare=False`` (the quick smoke run) leaves out the app's figures computed ahead: the
    pages then compute what they show when asked, and ``figures_prepared_s`` is ``None``."""
    from graph.errors import AccessDenied
    from ingest.exports import write_exports
    from ingest.mapping import load_mapping
    from ingest.pipeline import IngestContext, ingest_file
    from ingest.record import correct, record
    from queries.access import Actor, Role
    from queries.aggregates import coach_effect_view, collaboration_view, handover_view, overlap_view
    from queries.audit import AuditLog
    from queries.household import caseload, household_view
    from queries.people import coach_ids
    from queries.warmup import warm_plans

    # What `wijknet serve` and the app do when they start: the pages' query plans (queries/warmup.py) and the page
    # libraries (app/state.py imports igraph with them), so no user's first page waits for either ...
    warm_plans(db)
    importlib.import_module("igraph")
    # ... and what the app computes ahead from the overlap snapshot it shows (app/state.py): a snapshot read in the
    # background during the run gets it before the pages are given it, as in the app.
    from queries import aggregates, snapshot

    prepare_s = None
    if prepare:
        snapshot.prepare_with(aggregates.prepare_figures)
        t_prepare = time.perf_counter()
        snapshot.prepare_current(db)
        prepare_s = round(time.perf_counter() - t_prepare, 1)
    audit = AuditLog(settings.state_dir / "audit-bench.sqlite")
    coaches = coach_ids(db)
    all_households = [r["id"] for r in db.execute("bench_households", "MATCH (h:Household) RETURN h.id AS id").rows]
    caseloads = {c: {e.id for e in caseload(db, audit, Actor(f"c-{c}", Role.COACH, "x", c), today=date.today())}
                 for c in coaches}
    active = [c for c in coaches if caseloads[c]]  # coaches with households today
    if not active:
        raise RuntimeError("No coach has a household in the caseload today: nothing for the coach users to open.")

    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    violations: list[str] = []
    denials_expected = denials_seen = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def timed(kind: str, fn: Any, rng: random.Random | None = None) -> Any:
        t0 = time.perf_counter()
        out = fn()
        with lock:
            latencies[kind].append((time.perf_counter() - t0) * 1000)
        if rng is not None:
            think(rng)
        return out

    def think(rng: random.Random) -> None:
        pause = rng.uniform(*think_s)
        if pause > 0:
            time.sleep(max(0.0, min(pause, deadline - time.monotonic())))

    today = date.today()
    entry = {"kind": "afspraak", "text": "Bench: post openen", "in_return": "Coach belt", "date": today,
             "status": "open"}

    made = itertools.count(1)  # shared by the users' threads: next() on it is atomic in CPython
    run_tag = uuid.uuid4().hex[:6]  # a run after another on the same data (the stress run) makes its own

    def coach_write(actor: Actor, household: str, rng: random.Random) -> None:
        """An agreement recorded with the household, then marked kept (the coach's own fact: no conflict)."""
        # each its own agreement: the same one again is refused as recorded already
        new = {**entry, "text": f"{entry['text']} ({run_tag}-{next(made)})"}
        rec = timed("write_record", lambda: record(db, audit, actor, household, "agreement", new, today=today))
        timed("write_correct", lambda: correct(db, audit, actor, household, "agreement", rec.fact_id, rec.version,
                                               {"status": "nagekomen"}, "bench: nagekomen", today=today), rng)

    def canary(actor: Actor, target: str, write: bool) -> None:
        """A read or a write of a household outside the caseload: it must be refused."""
        nonlocal denials_expected, denials_seen
        with lock:
            denials_expected += 1
        try:
            if write:
                record(db, audit, actor, target, "agreement", entry, today=today)
            else:
                household_view(db, audit, actor, target)
            with lock:
                violations.append(f"{actor.user} {'wrote to' if write else 'received'} {target}")
        except AccessDenied:
            with lock:
                denials_seen += 1

    def coach_user(n: int) -> None:
        rng = random.Random(n)
        pid = active[n % len(active)]
        actor = Actor(f"coach-user-{n}", Role.COACH, "Wijkcoaches", pid)
        own = sorted(caseloads[pid])
        others = [h for h in all_households if h not in caseloads[pid]]
        while time.monotonic() < deadline:
            try:
                if rng.random() < 0.1 and others:
                    canary(actor, rng.choice(others), write=rng.random() < write_share)
                    think(rng)
                    continue
                timed("coach_caseload", lambda: caseload(db, audit, actor), rng)
                target = rng.choice(own)
                view = timed("coach_household", lambda t=target: household_view(db, audit, actor, t), rng)
                if view.household.id not in caseloads[pid]:
                    with lock:
                        violations.append(f"{actor.user} received {view.household.id}")
                if rng.random() < write_share and time.monotonic() < deadline:
                    coach_write(actor, target, rng)
            except Exception as exc:  # noqa: BLE001 — counted, the run must show 0
                with lock:
                    errors.append(f"coach: {type(exc).__name__}: {exc}{_where(exc)}")

    max_age = settings.snapshot_max_age

    def policy_user(n: int) -> None:
        rng = random.Random(100 + n)
        actor = Actor(f"policy-user-{n}", Role.POLICYMAKER, "Gemeente")
        while time.monotonic() < deadline:
            try:
                as_of = rng.choice(QUARTER_ENDS)  # the overlap table is published for quarter ends only
                # as the overlap page calls them: the snapshot may lag the steward's imports (see the setting)
                timed("policy_overlap", lambda d=as_of: overlap_view(db, audit, actor, as_of=d, max_age_s=max_age),
                      rng)
                timed("policy_coach_effect", lambda: coach_effect_view(db, audit, actor, max_age_s=max_age), rng)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"policy: {type(exc).__name__}: {exc}{_where(exc)}")

    def lead_user(n: int) -> None:
        rng = random.Random(200 + n)
        actor = Actor(f"lead-user-{n}", Role.PROJECT_LEAD, "Gemeente")
        areas = [None, *sorted(r["code"] for r in db.execute(
            "bench_areas", "MATCH (a:Area) RETURN a.code AS code").rows)]
        while time.monotonic() < deadline:
            try:
                # the pages' default periods, for all areas or one (as a lead narrows the view)
                area = rng.choice(areas)
                timed("lead_collaboration", lambda a=area: collaboration_view(
                    db, audit, actor, start=date(2009, 1, 1), end=date(2009, 12, 31), area=a, max_age_s=max_age), rng)
                timed("lead_handovers", lambda a=area: handover_view(
                    db, audit, actor, start=date(2010, 1, 1), end=date(2010, 12, 31), area=a, max_age_s=max_age), rng)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"lead: {type(exc).__name__}: {exc}{_where(exc)}")

    def steward_user() -> None:
        # A user like the others: reads each import's report for a think time before the next file (without
        # it the steward changed the graph many times a second; bench/results/s8-80k-users).
        rng = random.Random(300)
        ctx = IngestContext.from_settings(db, settings)
        steward = Actor("bench-steward", Role.DATA_STEWARD, "bench", access_point="bench")
        reference = ("organisaties", "medewerkers")
        households_ = ("brp_huishoudens", "vis2_betrokkenheid")
        mappings = {stem: load_mapping(ROOT / "mappings" / f"{stem}.yaml") for stem in reference + households_}
        n = 0
        with tempfile.TemporaryDirectory() as tmp:
            try:  # reference data of the loaded seed: the same organisations and professionals, re-ingested
                files = write_exports(Path(tmp) / "reference", seed=seed, households=3, errors=False)
                for stem in reference:
                    timed("steward_ingest_file", lambda m=mappings[stem], p=files[stem]: ingest_file(ctx, audit, steward, m, p))
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"steward: {type(exc).__name__}: {exc}{_where(exc)}")
            while time.monotonic() < deadline:
                n += 1
                try:  # a changed version of the household exports each round, at addresses of their own
                    files = write_exports(Path(tmp) / str(n), seed=seed + n, households=3, errors=False)
                    for stem in households_:
                        relocate(files[stem])
                        timed("steward_ingest_file", lambda m=mappings[stem], p=files[stem]: ingest_file(ctx, audit, steward, m, p),
                              rng)
                except Exception as exc:  # noqa: BLE001
                    with lock:
                        errors.append(f"steward: {type(exc).__name__}: {exc}{_where(exc)}")

    threads = [threading.Thread(target=coach_user, args=(i,)) for i in range(20)]
    threads += [threading.Thread(target=policy_user, args=(i,)) for i in range(3)]
    threads += [threading.Thread(target=lead_user, args=(0,))]
    threads += [threading.Thread(target=steward_user)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    summary = {kind: percentiles(v) for kind, v in sorted(latencies.items()) if len(v) >= 2}
    page_kinds = [k for k in latencies if k.startswith(("coach_", "policy_", "lead_"))]
    all_pages = [x for k in page_kinds for x in latencies[k]]
    writes = latencies.get("write_record", []) + latencies.get("write_correct", [])
    return {
        "users": 25, "think_s": list(think_s), "figures_prepared_s": prepare_s, "snapshot_max_age_s": max_age, "seconds": round(wall, 1), "latency_ms": summary,
        "pages_per_s": round(len(all_pages) / wall, 1) if wall else None,
        "page_data_p95_ms": percentiles(all_pages)["p95"] if len(all_pages) >= 2 else None,
        "write_share": write_share, "writes": len(latencies.get("write_record", [])),
        "write_p95_ms": percentiles(writes)["p95"] if len(writes) >= 2 else None,
        "requests": sum(len(v) for v in latencies.values()),
        "requests_by_kind": {kind: len(v) for kind, v in sorted(latencies.items())}, "errors": len(errors), "error_samples": errors[:5],
        "scope_violations": len(violations), "denials_expected": denials_expected, "denials_seen": denials_seen,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=634)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, nargs=2, default=list(DEFAULT_THINK_S), metavar=("MIN", "MAX"),
                    help="Think time between a user's pages, seconds (uniform; 0 0 = closed-loop stress test).")
    ap.add_argument("--write-share", type=float, default=DEFAULT_WRITE_SHARE,
                    help="Share of a coach's household visits followed by a write (record, then correct).")
    ap.add_argument("--state-dir", type=Path, help="Measure the database a previous run left loaded there (e.g. "
                    "bench/work/suite after `python -m bench --tiers 80000`) instead of loading --households.")
    args = ap.parse_args()
    think = (args.think[0], args.think[1])
    if args.state_dir is not None:
        result = run_loaded(args.state_dir.resolve(), args.seconds, think_s=think, write_share=args.write_share)
    else:
        result = run(args.households, args.seconds, think_s=think, write_share=args.write_share)
    print(result)
    name = f"concurrency-{result['households']}"
    print(f"wrote {write_result(name, result)}")


if __name__ == "__main__":
    main()
