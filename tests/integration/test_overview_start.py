"""The home page of a data steward in a database that holds nothing yet: a municipality starting without the
demo (``WIJKNET_DEMO_USERS=0``) is told where to begin (its profile's areas and organisations, then its
exports), not to load the demo neighbourhood; a demo installation still is."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import app.accounts  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
from graph.db import Database
from queries.access import Role
from tests.coach_page import open_page


def _home(monkeypatch: pytest.MonkeyPatch, demo_users: str) -> str:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    monkeypatch.setenv("WIJKNET_DEMO_USERS", demo_users)
    monkeypatch.setenv("WIJKNET_PROFILE", "leeuwarden")
    at = open_page("overview", "start-steward", Role.DATA_STEWARD)
    at.run()
    assert not at.exception and not at.error
    return " ".join(str(e.value) for e in at.info)


def test_a_municipality_without_the_demo_is_told_to_start_with_its_profile(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    said = _home(monkeypatch, "0")
    assert "De database is leeg." in said
    assert "wijknet profile apply" in said and "Leeuwarden" in said and "Gegevens laden" in said
    assert "demo" not in said


def test_a_demo_installation_is_still_told_how_to_load_the_demo(db: Database,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    said = _home(monkeypatch, "1")
    assert "De database is leeg." in said and "wijknet demo load" in said


def _steward_home(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    return open_page("overview", "start-steward", Role.DATA_STEWARD)


def test_an_audit_log_that_cannot_be_written_is_not_a_database_to_start(
        db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neo4j runs, the audit log cannot be written (its file is a directory): the home page says the audit log
    is the trouble, in Dutch and without a path, and does not tell anyone to start the database."""
    import app.state
    from queries.audit import AuditLog

    (tmp_path / "audit.sqlite").mkdir()
    monkeypatch.setattr(app.state, "get_audit", lambda: AuditLog(tmp_path / "audit.sqlite"))
    at = _steward_home(monkeypatch)
    at.run()
    assert not at.exception
    said = " ".join(str(e.value) for e in [*at.error, *at.info, *at.warning])
    assert "Het auditlog kan niet worden geschreven" in said
    assert "wijknet db start" not in said and "Start de database" not in said
    assert str(tmp_path) not in said


def test_a_database_that_cannot_be_reached_is_still_told_to_start(
        monkeypatch: pytest.MonkeyPatch, state_for_unreachable: None) -> None:
    at = _steward_home(monkeypatch)
    at.run()
    assert not at.exception
    assert "Start de database met `wijknet db start`" in " ".join(str(e.value) for e in at.info)


@pytest.fixture()
def state_for_unreachable(test_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's connection to a Neo4j nobody listens on."""
    import app.state
    from graph.errors import DatabaseError
    from graph.said import said

    def unreachable() -> Database:
        raise DatabaseError(said("said.db.unreachable", "Cannot reach Neo4j at {uri}: start it with `wijknet db "
                                 "start`, or check NEO4J_URI.", uri="bolt://127.0.0.1:1"))

    monkeypatch.setattr(app.state, "get_db", unreachable)
