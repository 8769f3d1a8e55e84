"""T17: kill Neo4j (SIGKILL) at seeded random points during a load, restart, re-run: node and relationship
counts and a content checksum equal a clean load; reconciliation holds.

The ``db`` fixture's server is the session server, so after each kill this test starts it again with
:func:`graph.server.start` (the same code path as ``wijknet db start``) and points the session ``Database`` at
it; it leaves the server running for the tests after it.
"""

from __future__ import annotations

import random
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from graph import server
from graph.db import Database
from graph.errors import WijknetError
from graph.settings import load_settings
from ingest.mapping import load_mapping
from ingest.pipeline import IngestContext, ingest_file
from tests.conftest import wipe
from tests.fixtures.bad_inputs.corpus import BRP_HEADER, HERE
from tests.integration.ingest_helpers import graph_state, load_reference
from tests.writers import STEWARD, session_audit

BRP = load_mapping(HERE / "brp_names.yaml")
ROLES = ("vader", "moeder", "kind")


def _file(path: Path, households: int) -> Path:
    from ingest.synthetic.people import fictional_bsn

    rng = random.Random(17)
    lines = [BRP_HEADER]
    for h in range(households):
        for role in ROLES:
            lines.append(";".join((fictional_bsn(rng), "", f"{role} {h}", "01-02-1980", "V", "7545 AB",
                                   str(h + 1), "", "Iepstraat", "Stadsveld-Zuid", role, "01-01-2005", "",
                                   "Domijn")))
    path.write_text("\n".join(lines) + "\n")
    return path


def _restart(db: Database) -> None:
    settings = load_settings()
    info = server.start(settings)
    db.close()
    db.uri = info.uri  # the port is normally kept; follow it if it had to change


def _impatient(db: Database) -> Database:
    """A Database on the same server whose driver gives up within seconds once the server is gone (the
    default retries for 30 s per attempt, which only slows the test down)."""
    from neo4j import GraphDatabase

    fast = Database(db.uri, db.user, db.password, db.database, db.query_timeout, db.row_cap)
    fast._driver = GraphDatabase.driver(db.uri, auth=(db.user, db.password), max_transaction_retry_time=1.0,
                                        connection_timeout=2.0, connection_acquisition_timeout=5.0,
                                        notifications_min_severity="OFF")
    return fast


@pytest.mark.slow
def test_t17_kill_mid_load_then_rerun_equals_clean_load(db: Database, tmp_path: Path) -> None:
    settings = load_settings()
    if not settings.managed:
        pytest.skip("needs the managed local server (it is killed and restarted)")
    source = _file(tmp_path / "brp-crash.csv", households=200)
    ctx = IngestContext.from_settings(db, today=date(2009, 1, 15), batch_size=30)

    load_reference(db)
    clean = ingest_file(ctx, session_audit(), STEWARD, BRP, source)
    assert clean.status == "loaded" and clean.rows_loaded == 600 and clean.reconciles
    expected = graph_state(db)
    assert expected[:2] == (3 + 4 + 200 + 600, 2 + 200 + 600)  # areas, orgs+pros, households, persons

    rng = random.Random(2008)
    killed = 0
    for point in range(1):  # each point restarts the server (~15 s): one seeded point here, another in the test below
        wipe(db)
        load_reference(db)
        kill_after_batch = rng.randrange(1, 15)
        delay = rng.uniform(0.0, 0.15)
        fired = threading.Event()

        def progress(done: int, total: int, k: int = kill_after_batch, d: float = delay,
                     ev: threading.Event = fired) -> None:
            if done >= k * ctx.batch_size and not ev.is_set():
                ev.set()
                threading.Timer(d, server.kill, args=(settings,)).start()

        crashed = False
        fast = _impatient(db)
        try:
            ingest_file(replace(ctx, db=fast), session_audit(), STEWARD, BRP, source, progress=progress)
        except WijknetError:
            crashed = True
        finally:
            fast.close()
        # Let a late timer land before restarting, so it cannot kill the restarted server.
        threading.Event().wait(0.3)
        assert fired.is_set(), f"point {point}: the kill never fired"
        killed += crashed
        _restart(db)
        mid = graph_state(db)
        assert mid[0] <= expected[0]
        rerun = ingest_file(replace(ctx), session_audit(), STEWARD, BRP, source)
        assert rerun.status == "loaded" and rerun.reconciles
        assert (rerun.rows_read, rerun.rows_loaded, rerun.rows_rejected) == (600, 600, 0)
        assert graph_state(db) == expected, f"point {point} (after batch {kill_after_batch}, +{delay:.2f}s)"
    assert killed == 1  # the kill point lands mid-load (a kill after the last batch is a plain restart)


def _client_system_file(path: Path, households: int) -> Path:
    """Three client-system ties per household of :func:`_file` (grandparents and a neighbour, new persons)."""
    from ingest.synthetic.people import fictional_bsn

    rng = random.Random(1708)
    lines = ["bsn;naam;geboortedatum;geslacht;relatie;postcode;huisnummer;toevoeging;vanaf;tot"]
    for h in range(households):
        for relation in ("opa", "oma", "betrokken buurvrouw"):
            lines.append(f"{fictional_bsn(rng)};{relation} {h};01-02-1950;V;{relation};7545 AB;{h + 1};;"
                         "01-01-2008;")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
def test_t17_a_coach_side_kind_killed_mid_load_then_rerun_equals_clean_load(db: Database, tmp_path: Path) -> None:
    """The same for a kind issue 17 added (client_system: new persons and ties to existing households)."""
    settings = load_settings()
    if not settings.managed:
        pytest.skip("needs the managed local server (it is killed and restarted)")
    register = _file(tmp_path / "brp-cs.csv", households=200)
    source = _client_system_file(tmp_path / "clientsysteem.csv", households=200)
    mapping = load_mapping(Path(__file__).resolve().parents[2] / "mappings" / "clientsysteem.yaml")
    ctx = IngestContext.from_settings(db, today=date(2009, 1, 15), batch_size=30)

    def setup() -> None:
        wipe(db)
        load_reference(db)
        assert ingest_file(ctx, session_audit(), STEWARD, BRP, register).status == "loaded"

    setup()
    clean = ingest_file(ctx, session_audit(), STEWARD, mapping, source)
    assert clean.status == "loaded" and clean.rows_loaded == 600 and clean.reconciles, clean.to_text()
    expected = graph_state(db)
    rng = random.Random(1709)
    for point in range(1):
        setup()
        kill_after_batch = rng.randrange(1, 15)
        fired = threading.Event()

        def progress(done: int, total: int, k: int = kill_after_batch, ev: threading.Event = fired) -> None:
            if done >= k * ctx.batch_size and not ev.is_set():
                ev.set()
                threading.Timer(rng.uniform(0.0, 0.15), server.kill, args=(settings,)).start()

        fast = _impatient(db)
        try:
            ingest_file(replace(ctx, db=fast), session_audit(), STEWARD, mapping, source, progress=progress)
        except WijknetError:
            pass
        finally:
            fast.close()
        threading.Event().wait(0.3)
        assert fired.is_set(), f"point {point}: the kill never fired"
        _restart(db)
        rerun = ingest_file(replace(ctx), session_audit(), STEWARD, mapping, source)
        assert rerun.status == "loaded" and rerun.reconciles
        assert (rerun.rows_read, rerun.rows_loaded, rerun.rows_rejected) == (600, 600, 0)
        assert graph_state(db) == expected, f"point {point} (after batch {kill_after_batch})"
