"""The graph as the second place for audit checkpoints: ``wijknet audit checkpoint`` stores a signed
``(:AuditCheckpoint)``, and ``wijknet audit verify`` compares with it when the database is reachable — so a log
cut short together with its head and local checkpoint file is still caught, without a shipped copy."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from graph import server
from graph.db import Database
from graph.settings import load_settings
from queries.access import Actor, Role, audit_action
from queries.audit import default_audit_log

COACH = Actor("coach1", Role.COACH, "Wijkcoaches", "PRO-1")


@pytest.fixture()
def own_log(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private state dir for the audit log, the session server reached through NEO4J_URI."""
    settings = load_settings()
    info = server.running_info(settings) if settings.managed else None
    if info is not None:
        monkeypatch.setenv("NEO4J_URI", info.uri)
        monkeypatch.setenv("NEO4J_PASSWORD", server.read_password(settings) or "")
    monkeypatch.setenv("WIJKNET_STATE_DIR", str(tmp_path / "state"))
    yield tmp_path / "state"
    db.execute("cleanup", "MATCH (c:AuditCheckpoint) DELETE c", write=True, data=False)


def test_periodic_checkpoints_can_go_to_the_graph(own_log: Path, db: Database) -> None:
    """What the app does (app/state.get_audit): every N records a checkpoint in the file and in the graph."""
    from queries.audit import AuditLog
    from queries.audit_checkpoint import graph_checkpoints, write_checkpoint_to_graph

    log = AuditLog(own_log / "audit.sqlite", checkpoint_file=own_log / "audit-checkpoints.jsonl", checkpoint_every=2)
    log.on_checkpoint = lambda cp: write_checkpoint_to_graph(db, cp)
    for i in range(5):
        audit_action(log, COACH, "view_household", target=f"HH-{i}")
    assert db.execute("n", "MATCH (c:AuditCheckpoint) RETURN count(c) AS n").first() == {"n": 2}
    latest = graph_checkpoints(db)[-1]
    assert latest is not None and latest.seq == 4
    assert log.check([("the graph", latest)]).intact


def test_a_command_line_run_s_checkpoints_reach_the_graph_too(own_log: Path, db: Database,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An outside test (06-12-2026) found checkpoint 4000, crossed by a `wijknet report` run, in the checkpoint
    file only: the command line's log had no hook to the graph, so the copy an attacker cannot rewrite with the
    state directory lagged behind. Every log made by :func:`default_audit_log` stores them in the graph."""
    from queries.audit_checkpoint import graph_checkpoints

    monkeypatch.setenv("WIJKNET_AUDIT_CHECKPOINT_EVERY", "3")
    log = default_audit_log()  # as every command does
    for i in range(7):
        audit_action(log, COACH, "view_household", target=f"HH-{i}")
    log.close()
    assert [cp.seq for cp in graph_checkpoints(db)] == [3, 6]
    out = CliRunner().invoke(app, ["audit", "verify"])
    assert out.exit_code == 0, out.output
    assert "in the graph (6 records, through record 6)" in out.stdout


def test_graph_checkpoint_catches_a_cut_log(own_log: Path, db: Database) -> None:
    log = default_audit_log()
    for i in range(4):
        audit_action(log, COACH, "view_household", target=f"HH-{i}")
    log.close()
    runner = CliRunner()
    out = runner.invoke(app, ["audit", "checkpoint"])
    assert out.exit_code == 0, out.output
    assert "the graph" in out.output
    [row] = db.execute("cp", "MATCH (c:AuditCheckpoint) RETURN c.seq AS seq, c.records AS records").rows
    assert row == {"seq": 5, "records": 5}

    out = runner.invoke(app, ["audit", "verify"])
    assert out.exit_code == 0, out.output
    assert "It matches the checkpoint" in out.stdout and "in the graph" in out.stdout

    conn = sqlite3.connect(own_log / "audit.sqlite")
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE seq > 2")
    conn.commit()
    conn.close()
    (own_log / "audit.sqlite.head").unlink()
    (own_log / "audit-checkpoints.jsonl").unlink()
    out = runner.invoke(app, ["audit", "verify"])
    assert out.exit_code == 1
    assert "truncated: it ends at record 2" in out.output and "in the graph" in out.output


def test_admin_page_shows_what_verify_finds(own_log: Path, db: Database) -> None:
    """The admin's audit page compares with the local and the graph checkpoints, like the CLI."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from app.auth import default_store
    from app.session import _TOKEN
    from app.state import get_db

    store = default_store()
    token = store.start_session(store.add_user("auditor", "admin", password="a-long-password-1"))
    log = default_audit_log()
    audit_action(log, COACH, "view_household", target="HH-1")
    log.close()
    assert CliRunner().invoke(app, ["audit", "checkpoint"]).exit_code == 0

    def fresh() -> None:
        """The app's cached driver, audit log and session store closed and dropped: a test file run before this one
        in the same worker may have left them pointing at the session's state dir (seen in the full run: no
        success message, the page opened another store)."""
        get_db().close()
        st.cache_resource.clear()

    fresh()

    def page() -> AppTest:
        at = AppTest.from_file(str(Path(__file__).parents[2] / "app" / "views" / "audit.py"), default_timeout=60)
        at.session_state[_TOKEN] = token
        at.run()
        fresh()  # each run sees this test's state dir afresh, and no later test sees it
        return at

    at = page()
    assert [s.value for s in at.success][0].startswith("Het auditlog is intact: 2 regels")
    conn = sqlite3.connect(own_log / "audit.sqlite")
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE seq = 2")
    conn.commit()
    conn.close()
    at = page()
    [error] = [e.value for e in at.error]
    assert "beveiligingsincident" in error and "regel 2 ontbreekt" in error
