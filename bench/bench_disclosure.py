"""Disclosure control's linear programmes: the overlap table (the chain of quarters and the organisation-pair
matrices, docs/security.md) at the quarter ends a policymaker opens, on a small synthetic tier where most cells are
small and so most programmes run.

    WIJKNET_CACHE_DIR=~/.cache/wijknet python bench/bench_disclosure.py [HOUSEHOLDS] [--profile]

Loads ``ingest.synthetic.generate(seed=7, households=HOUSEHOLDS)`` (default 40, the smoke tier of the suite) on its
own throwaway state dir and server, then times ``overlap_view`` as the policymaker at six quarter ends, each a first
call (nothing remembered on disk: the state dir is new), and prints the seconds, the matrix's size and how many of
its cells are hidden per date (the hidden cells must not change with the solver, only the time). The pair matrix is
published for year ends only (a chain: the first year end protects those before it), so 31 March shows none.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATES = [date(y, m, d) for y in (2008, 2010, 2012) for (m, d) in ((3, 31), (12, 31))]


def main(argv: list[str]) -> None:
    households = int(next((a for a in argv if a.isdigit()), "40"))
    state = Path(tempfile.mkdtemp(prefix="bench-disclosure-"))
    os.environ.update({"WIJKNET_STATE_DIR": str(state), "WIJKNET_SECRET_FILE": str(state / "pseudonym.key"),
                       "WIJKNET_BOLT_PORT": "0", "WIJKNET_AUDIT_KEY_FILE": str(state / "audit.key"),
                       "WIJKNET_AUDIT_SIGNING_KEY_FILE": str(state / "audit-signing.key")})
    from graph import server
    from graph.db import connect
    from graph.schema import apply_schema
    from graph.settings import load_settings
    from ingest.loader import load_records
    from ingest.synthetic import generate
    from queries import aggregates
    from queries.access import Actor, Role
    from queries.audit import AuditLog

    settings = load_settings()
    server.start(settings)
    db = connect(settings)
    try:
        apply_schema(db)
        load_records(db, list(generate(seed=7, households=households)))
        audit = AuditLog(state / "audit.sqlite")
        actor = Actor("bench", Role.POLICYMAKER, "Gemeente")
        prof = None
        if "--profile" in argv:
            import cProfile
            prof = cProfile.Profile()
        total = 0.0
        for d in DATES:
            t0 = time.perf_counter()
            if prof:
                prof.enable()
            view = aggregates.overlap_view(db, audit, actor, as_of=d)
            if prof:
                prof.disable()
            took = time.perf_counter() - t0
            total += took
            pm = view.pair_matrix
            print(f"{d:%d-%m-%Y}  {took:6.2f} s  pair matrix {pm.shape[0]}x{pm.shape[1]}, "
                  f"{int(pm.isna().sum().sum())} hidden; distribution {int(view.distribution.isna().sum().sum())} hidden",
                  flush=True)
        print(f"total {total:.2f} s for {len(DATES)} quarter ends, {households} households")
        if prof:
            import pstats
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    finally:
        db.close()
        server.stop(settings)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
