"""The data of every app page, computed once in a fresh process, as the Streamlit process would on first use.

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=… python -m bench.pagedata AUDIT_FILE

Prints one JSON object: seconds per page (cold: the first call of a fresh driver in a fresh process), the
import time of the modules the app loads (streamlit, plotly, pandas, pyvis via the eco-map) and the peak
resident memory of the process (``ru_maxrss``) — the figure the issue's "app process ≤ 1 GB" goal is about.
The suite (:mod:`bench.suite`) runs it as a subprocess against the tier it has just loaded.

Pages measured (the functions each page in ``app/views`` calls, with its default filters):

* ``overview``: :func:`queries.overview.overview`;
* ``coach``: caseload of the coach with the most households today, then the first household's
  :func:`~queries.household.household_view`, eco-map graph, layout and self-contained HTML;
* ``overlap``: areas, :func:`~queries.aggregates.overlap_view` (as of 31-12-2008), organisations, the overlap
  trend 2004–2012 and the coach effect;
* ``collaboration``: areas, :func:`~queries.aggregates.collaboration_view` 2004–2012;
* ``handovers``: areas, :func:`~queries.aggregates.handover_view` 2004–2012, organisations.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["main", "measure_pages"]

PERIOD = (date(2009, 1, 1), date(2009, 12, 31))  # the lead's figures are per calendar year; 2009 the busiest
AS_OF = date(2008, 12, 31)  # the overlap page's default: a quarter end, the dates it is published for


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def busiest_coach(db: Any, today: date) -> str:
    """The coach with the most households today (the coach page's worst ordinary case); not timed."""
    row = db.execute("bench_busiest_coach",
                     "MATCH (c:Professional)-[a:COACHES]->(:Household) "
                     "WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today) "
                     "RETURN c.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 1", {"today": today}).first()
    if row is None:
        raise RuntimeError("No coach has a household in the caseload today.")
    return str(row["id"])


def measure_pages(db: Any, audit: Any) -> dict[str, float]:
    """Seconds of page data per page, in the order a user might open them (each page's first call)."""
    from app.ecomap import ecomap_html, layout
    from graph.settings import load_settings
    from queries import aggregates
    from queries.access import Actor, Role
    from queries.analytics.household import household_graph
    from queries.household import caseload, household_view
    from queries.overview import overview

    lead = Actor("bench-lead", Role.PROJECT_LEAD, "Gemeente")
    age = load_settings().snapshot_max_age  # what the pages pass: the last snapshot while a fresh one is read
    start, end = PERIOD
    today = date.today()

    pid = busiest_coach(db, today)

    def coach_page() -> None:
        coach = Actor("bench-coach", Role.COACH, "Wijkcoaches", pid)
        entries = caseload(db, audit, coach, today=today)
        view = household_view(db, audit, coach, entries[0].id, today=today)
        whole = household_graph(view.household.id, view.people, view.involvements, view.coaches)
        g = household_graph(view.household.id, view.people, view.involvements, view.coaches, as_of=today)
        ecomap_html(g, layout(whole), height=560, title=f"Eco-map {view.household.id}")

    pages: dict[str, Callable[[], Any]] = {
        "overview": lambda: overview(db),
        "coach": coach_page,
        "overlap": lambda: (overview(db).areas, aggregates.overlap_view(db, audit, lead, as_of=AS_OF, max_age_s=age),
                            aggregates.organisations(db, audit, lead),
                            aggregates.overlap_trend(db, audit, lead, max_age_s=age),
                            aggregates.coach_effect_view(db, audit, lead, max_age_s=age)),
        "collaboration": lambda: (overview(db).areas,
                                  aggregates.collaboration_view(db, audit, lead, start=start, end=end, max_age_s=age)),
        "handovers": lambda: (overview(db).areas, aggregates.handover_view(db, audit, lead, start=start, end=end, max_age_s=age),
                              aggregates.organisations(db, audit, lead)),
    }
    out: dict[str, float] = {}
    for name, fn in pages.items():
        t0 = time.perf_counter()
        fn()
        out[name] = round(time.perf_counter() - t0, 3)
    return out


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    t0 = time.perf_counter()
    # What the app process holds besides the page data: the same libraries, imported before any query.
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import streamlit  # noqa: F401

    from graph.db import connect
    from queries.audit import AuditLog

    import_s = round(time.perf_counter() - t0, 3)
    rss_after_import = _peak_rss_mb()
    db = connect(start=False)
    try:
        pages = measure_pages(db, AuditLog(Path(args[0])))
    finally:
        db.close()
    print(json.dumps({"pages_s": pages, "import_s": import_s, "peak_rss_after_import_mb": rss_after_import,
                      "peak_rss_mb": _peak_rss_mb()}))


if __name__ == "__main__":
    main()
