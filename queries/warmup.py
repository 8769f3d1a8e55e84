"""Plans for the pages' queries, made before the first user asks: Neo4j plans a query the first time it sees it.

On a freshly started server that costs seconds for the larger page queries, and in the 25-user benchmark every
coach's first household page waited for it (the figures: ``bench/results/s8-80k-users``). Neo4j
keeps a plan per query text and parameter types, so :func:`warm_plans` asks ``EXPLAIN`` of each page query with
parameters of the types its wrapper passes (``EXPLAIN`` plans and caches; it reads no data, so there is nothing
to audit). ``wijknet serve`` runs it in the background while it starts the app, before the first user.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from graph.db import Database, in_background
from graph.errors import WijknetError
from queries.registry import get

__all__ = ["PAGE_QUERIES", "warm_plans", "warm_plans_in_background"]

log = logging.getLogger("wijknet.warmup")

_ID = "HH-0"
_PRO = "PRO-0"
#: The queries every page opening runs, with parameters of the types their wrappers pass (a ``None`` where the
#: wrapper may pass ``None`` gives a plan of its own, so the usual type is given). The coach's pages first.
PAGE_QUERIES: dict[str, Mapping[str, Any]] = {
    "household_page": {"household_id": _ID, "professional_id": _PRO, "coach_scope": _PRO, "today": date(2000, 1, 1)},
    "coach_caseload": {"professional_id": _PRO, "today": date(2000, 1, 1)},
    "coach_caseload_triage": {"professional_id": _PRO, "today": date(2000, 1, 1), "closed_statuses": ["x"],
                              "visit_kinds": ["x"]},
    "access_coach_scope": {"household_id": _ID, "professional_id": _PRO, "today": date(2000, 1, 1)},
    "access_coach_caseload": {"professional_id": _PRO, "today": date(2000, 1, 1)},
    "workspace_facts": {"household_id": _ID, "coach_scope": _PRO, "today": date(2000, 1, 1)},
    "household_search": {"professional_id": _PRO, "today": date(2000, 1, 1), "household_id": _ID, "postcode": "",
                         "address": ""},
    "label_counts": {},
    "areas_overview": {"day": date(2000, 1, 1)},
    "data_period": {},
    "org_names": {},
    "coach_ids": {},
    "caseload_per_coach": {"today": date(2000, 1, 1)},
    "intake_caseload_counts": {"today": date(2000, 1, 1)},
    "intake_open_intakes": {"today": date(2000, 1, 1)},
}


def warm_plans(db: Database, names: Iterable[str] | None = None) -> dict[str, float]:
    """``EXPLAIN`` each named query (default: :data:`PAGE_QUERIES`) so its plan is cached; return the seconds
    each took. A query that fails is logged and skipped: warming is an optimisation, never a reason to stop."""
    took: dict[str, float] = {}
    for name in names if names is not None else PAGE_QUERIES:
        params = dict(PAGE_QUERIES.get(name, {}))
        t0 = time.perf_counter()
        try:
            db.execute(f"warm:{name}", "EXPLAIN " + get(name).cypher, params)
        except (WijknetError, KeyError) as exc:
            log.warning("query plan for %s not made in advance: %s", name, exc)
            continue
        took[name] = round(time.perf_counter() - t0, 3)
    log.info("query plans made in advance: %s", took)
    return took


_started: set[tuple[str, str]] = set()
_lock = threading.Lock()


def warm_plans_in_background(db: Database) -> threading.Thread | None:
    """:func:`warm_plans` in a daemon thread, once per server and database in this process (``None``: already
    started)."""
    key = (db.uri, db.database)
    with _lock:
        if key in _started:
            return None
        _started.add(key)
    return in_background(db, warm_plans, name="wijknet-warm-plans")
