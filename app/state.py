"""Process-wide resources of the Streamlit app: one Database (driver) and one audit log.

``st.cache_resource`` shares them across users; they hold no per-user data. Per-user data is never cached
without the actor in the key.
"""

from __future__ import annotations

import gc
import importlib
import threading

import streamlit as st

from graph.db import Database, connect
from queries.audit import AuditLog, default_audit_log

__all__ = ["freeze_startup_heap", "get_audit", "get_db", "state_permissions"]

# The libraries the pages draw with, imported once before the heap is frozen (see freeze_startup_heap).
_PAGE_LIBRARIES = ("pandas", "networkx", "igraph", "plotly.graph_objects", "queries.household", "queries.aggregates",
                   "app.ecomap", "app.timeline", "app.brief")
_frozen = threading.Event()
_freezing = threading.Lock()


@st.cache_resource(show_spinner=False)
def get_db() -> Database:
    """The connection to Neo4j (never starts a server from inside the app; `wijknet serve`, which starts the app,
    has the plans of the pages' queries made before the first user comes, :mod:`queries.warmup`), and what the
    app computes ahead from each overlap snapshot (:func:`queries.aggregates.prepare_figures`)."""
    from graph.settings import load_settings
    from queries import aggregates, snapshot

    # Every snapshot read in the background gets the overlap page's disclosure decisions before the pages are
    # given it: no policymaker waits for a quarter end's linear programmes (issue 22).
    if load_settings().compute_ahead:
        snapshot.prepare_with(aggregates.prepare_figures)
    return connect(start=False)


@st.cache_resource(show_spinner=False)
def get_audit() -> AuditLog:
    """The audit log; its periodic checkpoints also go to the graph (a second place beside the file)."""
    from queries.audit_checkpoint import Checkpoint, write_checkpoint_to_graph

    log = default_audit_log()

    def to_graph(cp: Checkpoint) -> None:
        write_checkpoint_to_graph(get_db(), cp)

    log.on_checkpoint = to_graph
    return log


@st.cache_resource(show_spinner=False)
def state_permissions() -> list[str]:
    """Once per app process: tighten too-open state files (a file that cannot be tightened stops the app)."""
    import logging

    from graph.files import check_state_permissions
    from graph.settings import load_settings

    notes = check_state_permissions(load_settings())
    for note in notes:
        logging.getLogger("wijknet").warning(note)
    return notes


def freeze_startup_heap() -> None:
    """Once per app process: import the page libraries, then move every object alive into the garbage
    collector's permanent generation (``gc.freeze``).

    Streamlit runs a full collection after every script run (``runner.postScriptGC``). With some 200,000 library
    objects to traverse that took 0.1–0.2 s of CPU per run, holding the interpreter lock while the page's last
    messages waited to be sent (bench/bench_browser.py). Frozen, a collection traverses only what the sessions
    created since, and their garbage is still collected."""
    if _frozen.is_set():
        return
    with _freezing:
        if _frozen.is_set():
            return
        for name in _PAGE_LIBRARIES:
            importlib.import_module(name)
        gc.collect()
        gc.freeze()
        _frozen.set()
