"""Signals: the matching time of an involvement export as a share of its ingest time (issue 19: goal < 20 %).

    WIJKNET_CACHE_DIR=~/.cache/wijknet python bench/bench_matching.py [ROWS …] [--households H] [--profile]
    python bench/bench_matching.py --rows 100000 --households 80000          (the issue's figure)

For each tier of N export rows: a neighbourhood of 0.8·N households (or ``--households``) (two parents and two children each, every
tenth household with a coach, one active involvement per household) is loaded as records, then a VIS2-style export
of N involvement rows on its members (by fictional BSN, 40 professionals of two organisations, started in the year
before the run date, one in five already ended) goes through ``wijknet ingest``, ``--repeat`` times with matching
and as often without (``ingest.writer.MATCH_ON_LOAD``; alternating, each on a fresh server): the load matches what
it writes as it writes it, so its share is the difference of the median ingest times over the time without. At 100,000 rows that is 80,000 households (the
issue's figure). Then what moved to the read is timed: the inboxes of ``--samples`` coaches and partner
professionals and the project lead's, derived from the graph (and with ``--all`` every signal at once). Runs on its
own throwaway state dir/server.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = date(2026, 6, 30)
SRC = "bench:matching"


def neighbourhood(households: int, pseudo: Any, rng: random.Random) -> tuple[list[tuple[str, dict[str, Any]]],
                                                                           list[str]]:
    """The records of the neighbourhood and the BSNs of its members (four per household)."""
    from bench.bench_ingest import reference_records
    from ingest.synthetic import fictional_bsn

    recs: list[tuple[str, dict[str, Any]]] = [("area", {"code": "B1", "name": "Bench", "kind": "experiment",
                                                        "source": SRC}), *reference_records()]
    recs += [("professional", {"id": f"COACH-{c}", "name": f"Coach {c}", "function": "wijkcoach",
                               "organisation_id": "ORG-SMD", "since": date(2000, 1, 1), "is_coach": True,
                               "source": SRC}) for c in range(max(1, households // 200))]
    bsns: list[str] = []
    seen: set[str] = set()
    for h in range(households):
        hid = f"HH-B{h}"
        recs.append(("household", {"id": hid, "address_key": f"7500BB-{h}", "postcode": "7500 BB",
                                   "house_number": h + 1, "street": "Benchstraat", "area_code": "B1", "source": SRC}))
        members = []
        for role in ("vader", "moeder", "kind", "kind"):
            bsn = fictional_bsn(rng)
            while bsn in seen:
                bsn = fictional_bsn(rng)
            seen.add(bsn)
            pid = pseudo.person_from_bsn(bsn)
            members.append(pid)
            bsns.append(bsn)
            recs.append(("person", {"id": pid, "birth_year": 1980 if role != "kind" else 2012, "has_bsn": True,
                                    "source": SRC}))
            recs.append(("membership", {"household_id": hid, "person_id": pid, "role": role,
                                        "since": date(2010, 1, 1), "source": SRC}))
        if h % 10 == 0:
            recs.append(("caseload", {"professional_id": f"COACH-{h // 10 % max(1, households // 200)}",
                                      "household_id": hid, "since": date(2024, 1, 1), "source": SRC}))
        recs.append(("involvement", {"id": f"BASE-{h}", "professional_id": f"PRO-{h % 40}",
                                     "organisation_id": "ORG-TACTUS" if h % 40 % 2 else "ORG-SMD",
                                     "life_domain": "WONEN", "role": "casemanager", "since": date(2024, 6, 1),
                                     "until": None, "person_ids": [members[0]], "source": SRC}))
    return recs, bsns


def export(n: int, bsns: list[str], folder: Path, rng: random.Random) -> Path:
    path = folder / "vis2-matching.csv"
    with open(path, "w") as f:
        f.write("registratienummer;bsn;clientnummer;medewerker;instelling;functie;leefgebied;rol;startdatum;einddatum\n")
        for i in range(n):
            pro = rng.randrange(40)
            name = "Tactus Instelling voor Verslavingszorg" if pro % 2 else "SMD Enschede-Haaksbergen"
            since = AS_OF - timedelta(days=rng.randint(0, 365))
            until = AS_OF - timedelta(days=rng.randint(0, (AS_OF - since).days)) if rng.random() < 0.2 else None
            f.write(f"M{i};{bsns[rng.randrange(len(bsns))]};;PRO-{pro};{name};casemanager;Hulpverlening;casemanager;"
                    f"{since:%d-%m-%Y};{f'{until:%d-%m-%Y}' if until else ''}\n")
    return path


def _ms(samples: list[float]) -> str:
    xs = sorted(samples)
    if not xs:
        return "-"
    p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
    return f"{1000 * xs[len(xs) // 2]:.0f}/{1000 * p95:.0f}"


def readers(db: Any, state: Path, households: int, samples: int, everything: bool) -> None:
    """Time what moved from the load to the read: the inbox of ``samples`` coaches and partner professionals
    (p50/p95 ms, each derived from their households' facts) and the project lead's (cold: the households that may
    be over a threshold are looked up; warm: kept for this state of the graph); with ``everything`` every signal
    of the graph derived at once (what the outbox and expiry read)."""
    from bench.bench_ingest import bench_writer
    from queries.access import Actor, Role
    from queries.notices import _days, _signals, inbox, matched_neighbourhoods

    audit, _ = bench_writer(state)
    coaches = [f"COACH-{c}" for c in range(min(samples, max(1, households // 200)))]
    times: dict[str, list[float]] = {"coach": [], "partner": []}
    sizes: dict[str, list[int]] = {"coach": [], "partner": []}
    for role, ids, r in (("coach", coaches, Role.COACH), ("partner", [f"PRO-{p}" for p in range(samples)],
                                                             Role.PARTNER)):
        for pid in ids:
            t = time.perf_counter()
            entries = inbox(db, audit, Actor(pid, r, "bench", pid))
            times[role].append(time.perf_counter() - t)
            sizes[role].append(len(entries))
    lead = Actor("lead", Role.PROJECT_LEAD, "bench")
    # the first read in this process, as the app's pages ask: a read waits at most WIJKNET_SIGNALS_WAIT, then is told
    # the signals are being derived (in the background) and asks again ASK_AGAIN_S later, until they are there
    from app.notices_ui import ASK_AGAIN_S, signals_wait_s
    from graph.errors import BeingComputed
    from graph.settings import load_settings
    from queries import notices

    asked: list[float] = []
    t0 = time.perf_counter()
    while True:
        t = time.perf_counter()
        try:
            inbox(db, audit, lead, max_age_s=load_settings().snapshot_max_age, wait_s=signals_wait_s())
            asked.append(time.perf_counter() - t)
            break
        except BeingComputed:
            asked.append(time.perf_counter() - t)
            time.sleep(ASK_AGAIN_S)
    shown = time.perf_counter() - t0
    notices._LEAD.clear()  # derived again while the reader waits (the CLI, the API), on a server that saw it once
    t = time.perf_counter()
    n_lead = len(inbox(db, audit, lead))
    cold = time.perf_counter() - t
    t = time.perf_counter()
    inbox(db, audit, lead)
    warm = time.perf_counter() - t
    # after a coach's write, as the app asks (WIJKNET_SNAPSHOT_MAX_AGE): the kept signals at once, derived again
    # in the background; then without a max age, derived while the lead waits

    db.execute("bench_touch", "RETURN 1", write=True)  # every write renews the data token
    t = time.perf_counter()
    inbox(db, audit, lead, max_age_s=load_settings().snapshot_max_age)
    after = time.perf_counter() - t
    t = time.perf_counter()
    while notices._LEAD_RUNNING:
        time.sleep(0.05)
    behind = time.perf_counter() - t
    db.execute("bench_touch", "RETURN 1", write=True)
    t = time.perf_counter()
    inbox(db, audit, lead, max_age_s=0)
    exact = time.perf_counter() - t
    print(f"  inbox p50/p95 ms: coach {_ms(times['coach'])} ({len(coaches)} coaches, "
          f"{sum(sizes['coach']) // max(1, len(coaches))} signals each), partner {_ms(times['partner'])} "
          f"({samples} professionals, {sum(sizes['partner']) // max(1, samples)} signals each); "
          f"lead: first read in a process as the pages ask {len(asked)} reads of at most {max(asked):.2f} s, "
          f"signals shown after {shown:.1f} s; derived while waiting {cold:.1f} s, kept {warm:.2f} s "
          f"({n_lead:,} threshold signals); after a write "
          f"{after:.2f} s with the max age (derived again in the background in {behind:.1f} s more), "
          f"{exact:.1f} s without", flush=True)
    if everything:
        t = time.perf_counter()
        days = _days(db, None)
        kinds: dict[str, int] = {}
        for nb in matched_neighbourhoods(db, days):
            for row in _signals(nb, days, sorted(nb.members)):
                kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
        print(f"  every signal at once: {time.perf_counter() - t:.1f} s, "
              + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())), flush=True)


def main(tiers: list[int], households: int | None = None, samples: int = 20, everything: bool = False,
         repeat: int = 2) -> None:
    state = Path(tempfile.mkdtemp(prefix="wijknet-bench-matching-"))
    os.environ.update({"WIJKNET_STATE_DIR": str(state), "WIJKNET_SECRET_FILE": str(state / "pseudonym.key"),
                       "WIJKNET_BOLT_PORT": "0"})
    import ingest.pipeline as pipeline
    import ingest.writer as writer
    from bench.bench_ingest import bench_writer
    from graph import server
    from graph.db import connect
    from graph.schema import apply_schema
    from graph.settings import load_settings
    from ingest.loader import load_records
    from ingest.mapping import load_mapping

    settings = load_settings()
    server.start(settings)
    db = connect(settings)
    mapping = load_mapping(ROOT / "mappings" / "vis2_betrokkenheid.yaml")
    print(f"{'rows':>8} {'households':>10} {'matching':>8} {'ingest s':>9} {'matched':>8}", flush=True)
    try:
        for n in tiers:
            hh = households or max(1, n * 4 // 5)
            runs: dict[bool, list[float]] = {False: [], True: []}
            for attempt in range(2 * repeat):
                matching = attempt % 2 == 1  # without, with, without, with …: a change of the machine's load hits both
                db.close()
                server.reset(settings)
                server.start(settings)
                db = connect(settings)
                apply_schema(db)
                rng = random.Random(n)
                ctx = pipeline.IngestContext.from_settings(db, as_of=AS_OF, batch_size=5000)
                recs, bsns = neighbourhood(hh, ctx.pseudo, rng)
                load_records(db, recs)
                work = state / f"tier-{n}"
                work.mkdir()
                path = export(n, bsns, work, rng)
                audit, steward = bench_writer(state)
                writer.MATCH_ON_LOAD = matching
                t0 = time.perf_counter()
                report = pipeline.ingest_file(ctx, audit, steward, mapping, path)
                total = time.perf_counter() - t0
                writer.MATCH_ON_LOAD = True
                assert report.rows_loaded == n and report.reconciles, report.to_text()
                matched = db.execute("b_matched", "MATCH (i:Involvement) WHERE i.seen IS NOT NULL "
                                     "RETURN count(i) AS n").first() or {"n": 0}
                runs[matching].append(total)
                print(f"{n:>8,} {hh:>10,} {'on' if matching else 'off':>8} {total:>9.1f} {matched['n']:>8,}", flush=True)
                for f in state.glob("ingest.sqlite*"):
                    f.unlink()
                shutil.rmtree(work)
            off, on = statistics.median(runs[False]), statistics.median(runs[True])
            print(f"  matching's share of the ingest: median {on:.1f} s with, {off:.1f} s without: "
                  f"{(on - off) / off:+.1%}", flush=True)
            readers(db, state, hh, samples, everything)
    finally:
        writer.MATCH_ON_LOAD = True
        db.close()
        server.stop(settings)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tiers", type=int, nargs="*", default=[], help="Involvement rows per tier (default 2000).")
    ap.add_argument("--rows", type=int, action="append", default=[], help="Involvement rows (a tier; repeatable).")
    ap.add_argument("--households", type=int, default=None,
                    help="Households in the neighbourhood (default: 0.8 x the tier's rows).")
    ap.add_argument("--samples", type=int, default=20, help="Coaches and partner professionals whose inbox is timed.")
    ap.add_argument("--all", action="store_true", help="Also derive every signal of the graph at once (the outbox's "
                    "and expiry's read).")
    ap.add_argument("--repeat", type=int, default=2, help="Loads with and without matching each (alternating).")
    a = ap.parse_args()
    main([*a.tiers, *a.rows] or [2000], a.households, a.samples, a.all, a.repeat)
