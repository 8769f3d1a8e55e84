"""Shared fixtures: one real Neo4j per test session (the same code path as ``wijknet db start``).

Unit tests (``tests/unit``) need no database. Integration and browser tests get the session server through
:func:`neo4j_db`; :func:`db` wipes the data (not the schema) once per module; :func:`demo_database` gives a
module that only reads the demo neighbourhood the one the module before left, when it is unchanged.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.db import Database

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
_STATE: list[Path] = []  # the session's state dir, for the server log in the failure summary


#: The modules that only read the demo neighbourhood of seed 2008 with 634 households (:func:`demo_database`) run
#: as one unit of work, one after the other on one worker, in this order: the graph one leaves unchanged is kept
#: for the next (its content checksum compared) instead of wiped and loaded again — 10 to 20 seconds each, which
#: the six paid when xdist handed them to whichever worker was free.
SHARED_DEMO = ("tests/integration/test_disclosure_attack.py", "tests/integration/test_demo_overlap.py",
               "tests/integration/test_warmup.py", "tests/integration/test_lead_signals_age.py",
               "tests/integration/test_overview_queries.py", "tests/browser/test_lead_signals_pending.py")
_SHARED = "shared-demo-2008-634"

#: The units that take longest (a minute or more on two workers, ``--durations``), run first: a unit (a file, or
#: :data:`SHARED_DEMO`) runs whole on one worker (``--dist loadfile``, test.sh), so a long one started last leaves
#: the other worker idle until it ends (xdist's default order, most tests first, started exactly these last). The
#: rest follow in collection order: browser, integration, then the many short unit tests that fill the gaps at
#: the end.
SLOW_FIRST = (_SHARED, "tests/browser/test_pages_i18n.py", "tests/integration/test_backup_restore.py",
              "tests/integration/test_ingest_crash.py", "tests/browser/test_workspace_page.py",
              "tests/integration/test_first_real_load.py",
              "tests/integration/test_access_matrix.py", "tests/browser/test_coach_page.py",
              "tests/integration/test_injection.py", "tests/browser/test_policy_pages.py",
              "tests/integration/test_bench_smoke.py", "tests/integration/test_lookup_plans.py",
              "tests/browser/test_oidc.py")


def _unit(path: str) -> str:
    """The unit of work a test file belongs to: :data:`SHARED_DEMO`'s files one, every other file its own."""
    return _SHARED if path in SHARED_DEMO else path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = str(item.path)
        if "/tests/integration/" in path:
            item.add_marker(pytest.mark.integration)
        elif "/tests/browser/" in path:
            item.add_marker(pytest.mark.browser)
    rank = {name: n for n, name in enumerate(SLOW_FIRST)}

    def order(item: pytest.Item) -> tuple[int, int]:
        path = str(item.path.relative_to(ROOT))
        return rank.get(_unit(path), len(rank)), SHARED_DEMO.index(path) if path in SHARED_DEMO else 0

    items.sort(key=order)  # stable: the rest in collection order


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--dist loadfile`` (test.sh): xdist's scheduling by file, but :data:`SHARED_DEMO`'s files as one unit."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class _Units(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _unit(super()._split_scope(nodeid))

    return _Units(config, log)


@pytest.fixture(autouse=True)
def no_figures_computed_ahead_left_behind() -> Iterator[None]:
    """A test that makes the app's resources in this process (``app.state.get_db``) or runs the 25 users of the
    benchmark registers the overlap page's figures to be computed ahead of every snapshot read
    (:func:`queries.snapshot.prepare_with`) for the whole process: every later test of the worker then computed
    every snapshot's figures in a background thread beside its own work (and a test counting what is computed saw
    them). What was registered is undone after each test."""
    from queries import snapshot

    before = list(snapshot._prepare)
    yield
    snapshot._prepare[:] = before


@pytest.fixture(scope="session", autouse=True)
def audit_keys() -> Iterator[Path]:
    """Audit key files of the session in a temp dir: no test creates keys in the developer's home."""
    keys = Path(tempfile.mkdtemp(prefix="wijknet-test-keys-"))
    env = {"WIJKNET_AUDIT_KEY_FILE": str(keys / "audit.key"),
           "WIJKNET_AUDIT_SIGNING_KEY_FILE": str(keys / "audit-signing.key")}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield keys
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    shutil.rmtree(keys, ignore_errors=True)


@pytest.fixture(scope="session")
def test_env() -> Iterator[dict[str, str]]:
    """Environment for the session: a private state dir, so tests never touch the developer's data."""
    state = tempfile.mkdtemp(prefix="wijknet-test-state-")
    env = {
        "WIJKNET_STATE_DIR": state,
        "WIJKNET_SECRET_FILE": str(Path(state) / "pseudonym.key"),
        "WIJKNET_BOLT_PORT": "0",
        # every module loads its own data into the one server: a page must count it, not show the snapshot of the
        # module before for up to five minutes (as the browser tests' app; a test of the max age sets its own)
        "WIJKNET_SNAPSHOT_MAX_AGE": "0",
        # The test servers live minutes: Java's second compiler (C2), which compiles the code a long-running server
        # runs most for the long run, was the largest share of their CPU (a flight recording of the browser tests:
        # its threads used more than the query workers). With the first compiler only, six modules of the suite
        # on two workers took 183 s against 198 s, and 15% less CPU (twice, in both orders). And the throughput
        # collector instead of G1 (whose concurrent marking and remembered sets pay for short pauses a test does
        # not need): five Neo4j-bound modules in one process used 71-76 s of the server's CPU against 82-87 s with
        # G1, and took 77-81 s against 85-90 s (twice each, alternating; Serial in between: 75-77 s of CPU).
        # Computing the overlap page's hidden cells ahead after every change of the data (app servers in the
        # background, the CLI after a load) is for pages a policymaker opens later: each module's data changes and the
        # servers live minutes, so it was CPU the tests on two cores took from each other (three browser files
        # took 248 s with it and 220 s without; the whole run's time varies more than that). The tests of computing
        # ahead call it themselves.
        "WIJKNET_COMPUTE_AHEAD": os.environ.get("WIJKNET_COMPUTE_AHEAD", "no"),
        "WIJKNET_NEO4J_JVM_OPTIONS": os.environ.get("WIJKNET_NEO4J_JVM_OPTIONS",
                                                    "-XX:TieredStopAtLevel=1 -XX:-UseG1GC -XX:+UseParallelGC"),
    }
    _STATE.append(Path(state))
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield env
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """When tests failed, show the managed server's recent warnings (GC pauses, terminated transactions): a
    query that timed out in CI is otherwise hard to explain after the fact."""
    if not terminalreporter.stats.get("failed") or not _STATE:
        return
    log = _STATE[0] / "neo4j" / "logs" / "debug.log"
    if not log.exists():
        return
    lines = [ln for ln in log.read_text(errors="replace").splitlines()
             if (" WARN " in ln or " ERROR " in ln) and "NativeAccessor" not in ln and "SO_REUSEADDR" not in ln]
    terminalreporter.section("Neo4j debug.log: last warnings")
    for ln in lines[-30:]:
        terminalreporter.write_line(ln[:300])


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """Put ``__main__`` back after a test: Streamlit's AppTest runs a page as ``__main__``, and the ingest's
    worker processes (multiprocessing spawn) re-run the parent's ``__main__`` file — a page — and die."""
    main = sys.modules.get("__main__")
    yield
    if main is not None and sys.modules.get("__main__") is not main:
        sys.modules["__main__"] = main


@pytest.fixture(autouse=True)
def _forget_erasures() -> Iterator[None]:
    """Take back the erasure register's rows a test added to the session's side store: the register is kept
    across imports on purpose (an erased person's rows are skipped by every later import), so a person or address
    one test erased would otherwise be skipped in another test's file that happens to name them."""
    import sqlite3

    store = _STATE[0] / "ingest.sqlite" if _STATE else None

    def digests() -> set[str]:
        if store is None or not store.exists():
            return set()
        try:
            with sqlite3.connect(store) as con:
                return {d for (d,) in con.execute("SELECT digest FROM erased")}
        except sqlite3.OperationalError:  # no register yet
            return set()

    before = digests()
    yield
    added = digests() - before
    if added and store is not None:
        with sqlite3.connect(store) as con:
            con.executemany("DELETE FROM erased WHERE digest = ?", [(d,) for d in added])


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's state dir (its Neo4j store is about half a gigabyte) once the failure summary has
    read the server's log from it: sessions on a developer's machine used to fill the disk."""
    for state in _STATE:
        shutil.rmtree(state, ignore_errors=True)
    _STATE.clear()


@pytest.fixture(scope="session")
def neo4j_db(test_env: dict[str, str]) -> Iterator[Database]:
    from graph import server
    from graph.db import connect
    from graph.schema import apply_schema
    from graph.settings import load_settings

    settings = load_settings()
    if settings.managed:
        server.start(settings)
    database = connect(settings)
    database.verify()
    apply_schema(database)
    yield database
    database.close()
    if settings.managed:
        server.stop(settings)


def wipe(database: Database) -> None:
    """Delete all data but keep constraints and indexes (auto-commit: CALL IN TRANSACTIONS needs it), and the
    overlap snapshots of the data before: the pages may show a snapshot up to WIJKNET_SNAPSHOT_MAX_AGE behind the
    data, so a module's page would otherwise count the module before's households (a CI run met it)."""
    from queries import snapshot

    _DEMO_LOADED.clear()
    snapshot.forget()
    if database.snapshot_dir is not None:
        for old in database.snapshot_dir.glob("overlap-*.npz"):
            old.unlink(missing_ok=True)
    with database.driver.session(database=database.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    from graph.schema import apply_schema

    apply_schema(database)


@pytest.fixture(scope="module")
def db(neo4j_db: Database) -> Database:
    """The session database, emptied at the start of each module."""
    wipe(neo4j_db)
    return neo4j_db


#: The content checksum of a demo neighbourhood right after it was loaded into an empty database, by its ledger
#: key: what :func:`demo_database` compares with to keep the graph for the next module.
_DEMO_LOADED: dict[str, str] = {}


def remember_demo(database: Database, seed: int, households: int) -> None:
    """Note that ``database`` holds just the demo neighbourhood ``(seed, households)`` as loaded by
    :func:`ingest.demo.ensure_demo` into an empty database."""
    from graph.checksum import content_checksum
    from ingest.demo import demo_key

    _DEMO_LOADED.clear()
    _DEMO_LOADED[demo_key(seed, households)] = content_checksum(database).checksum


def demo_database(database: Database, seed: int, households: int) -> Database:
    """The session database holding just the demo neighbourhood ``(seed, households)``, for a module that only
    reads it. Loading it takes longer than checking it, so when the module before left exactly that graph (its
    ledger entry is there and the content checksum is the one noted right after the load: a module that changed
    anything is caught) it is kept; otherwise the data is wiped and the demo loaded (and noted)."""
    from graph.checksum import content_checksum
    from ingest.demo import demo_key, ensure_demo, is_loaded
    from queries.access import SYSTEM_DEMO
    from tests.writers import session_audit

    key = demo_key(seed, households)
    if key in _DEMO_LOADED and is_loaded(database, key) \
            and content_checksum(database).checksum == _DEMO_LOADED[key]:
        return database
    _DEMO_LOADED.clear()
    wipe(database)
    assert ensure_demo(database, session_audit(), SYSTEM_DEMO, seed, households) is not None
    remember_demo(database, seed, households)
    return database


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
