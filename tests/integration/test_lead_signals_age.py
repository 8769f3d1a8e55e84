"""The project lead's threshold signals after a change of the graph (``queries.notices._lead_rows``): derived
again at once by default; with a max age (``WIJKNET_SNAPSHOT_MAX_AGE``, as the lead's other pages) the ones
derived before are shown while they are derived again in the background — at city size deriving them takes
seconds after any write (docs/signals.md), on every page the sidebar counts them on."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from graph.db import Database
from graph.errors import BeingComputed, QueryFailed
from queries import notices
from queries.access import Actor, Role
from queries.audit import AuditLog
from queries.notices import inbox
from tests.conftest import demo_database

LEAD = Actor("lead", Role.PROJECT_LEAD, "Gemeente")


@pytest.fixture(scope="module")
def demo(neo4j_db: Database) -> Database:
    return demo_database(neo4j_db, 2008, 634)


@pytest.fixture
def derived(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads the lead's signals were derived in, from here on (kept ones forgotten first)."""
    notices._LEAD.clear()
    calls: list[str] = []
    derive = notices._derive_lead

    def counting(*args: Any) -> Any:
        calls.append(threading.current_thread().name)
        return derive(*args)

    monkeypatch.setattr(notices, "_derive_lead", counting)
    return calls


def _change(db: Database) -> None:
    db.execute("t_touch", "RETURN 1", write=True)  # every write renews the data token


def _settled() -> None:
    deadline = time.monotonic() + 120
    while notices._LEAD_RUNNING and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not notices._LEAD_RUNNING


def test_within_the_max_age_a_change_does_not_make_the_lead_wait(demo: Database, tmp_path: Path,
                                                                 derived: list[str]) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    first = [e.key for e in inbox(demo, audit, LEAD, max_age_s=600)]
    assert first, "the demo has threshold signals for the project lead"
    assert derived == ["MainThread"]
    _change(demo)
    assert [e.key for e in inbox(demo, audit, LEAD, max_age_s=600)] == first  # the kept ones, at once
    _settled()
    assert derived == ["MainThread", "wijknet-lead-signals"]
    assert [e.key for e in inbox(demo, audit, LEAD, max_age_s=600)] == first  # now of the graph as it is
    assert derived == ["MainThread", "wijknet-lead-signals"]
    # every read audited (one record for the reader each; the households the signals name have their own)
    assert len([r for r in audit.records() if r.action == "view_notices" and not r.target.startswith("HH-")]) == 3


def test_without_a_max_age_a_change_derives_them_again_at_once(demo: Database, tmp_path: Path, derived: list[str]) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    first = [e.key for e in inbox(demo, audit, LEAD)]
    _change(demo)
    assert [e.key for e in inbox(demo, audit, LEAD)] == first
    assert derived == ["MainThread", "MainThread"] and not notices._LEAD_RUNNING


def test_kept_signals_older_than_the_max_age_are_derived_again_at_once(demo: Database, tmp_path: Path,
                                                                      derived: list[str]) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    inbox(demo, audit, LEAD, max_age_s=60)
    _change(demo)
    [kept] = notices._LEAD.values()
    kept.behind_since = time.monotonic() - 61  # the graph first differed from them 61 s ago
    inbox(demo, audit, LEAD, max_age_s=60)
    assert derived == ["MainThread", "MainThread"]


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch, derived: list[str]) -> list[str]:
    """Deriving the lead's signals takes 1.5 s, as it takes seconds at city size (counted by ``derived``)."""
    derive = notices._derive_lead

    def slowly(*args: Any) -> Any:
        time.sleep(1.5)
        return derive(*args)

    monkeypatch.setattr(notices, "_derive_lead", slowly)
    return derived


def test_a_page_is_told_they_are_being_derived_instead_of_waiting(demo: Database, tmp_path: Path,
                                                                 slow: list[str]) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    started = time.monotonic()
    with pytest.raises(BeingComputed, match="afgeleid|being derived"):
        inbox(demo, audit, LEAD, wait_s=0.2)
    assert time.monotonic() - started < 1.4  # told, not made to wait for them
    assert len([r for r in audit.records() if r.action == "view_notices"]) == 1  # the read was audited all the same
    _settled()
    keys = [e.key for e in inbox(demo, audit, LEAD, wait_s=0.2)]  # now derived: returned
    assert keys and slow == ["wijknet-lead-signals"]  # derived once, in the background
    notices._LEAD.clear()
    assert [e.key for e in inbox(demo, audit, LEAD)] == keys  # the same as derived while the reader waits


def test_a_reader_that_waits_waits_for_the_running_derivation_instead_of_deriving_again(
        demo: Database, tmp_path: Path, slow: list[str]) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    with pytest.raises(BeingComputed):
        inbox(demo, audit, LEAD, wait_s=0.0)
    assert [e.key for e in inbox(demo, audit, LEAD)]  # waits for the one running
    assert slow == ["wijknet-lead-signals"]


def test_when_they_are_derived_within_the_wait_the_page_gets_them(demo: Database, tmp_path: Path,
                                                                 derived: list[str]) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    assert [e.key for e in inbox(demo, audit, LEAD, wait_s=60)]
    assert derived == ["wijknet-lead-signals"]


def _sidebar() -> None:
    from app.notices_ui import sidebar_count
    from queries.access import Actor, Role

    sidebar_count(Actor("lead", Role.PROJECT_LEAD, "Gemeente"))


def test_the_sidebar_says_the_signals_are_being_counted_and_then_shows_the_count(
        demo: Database, tmp_path: Path, slow: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    import app.notices_ui
    import app.state

    audit = AuditLog(tmp_path / "audit.sqlite")
    monkeypatch.setattr(app.state, "get_db", lambda: demo)
    monkeypatch.setattr(app.state, "get_audit", lambda: audit)
    monkeypatch.setattr(app.notices_ui, "signals_wait_s", lambda: 0.2)
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    at = AppTest.from_function(_sidebar, default_timeout=30).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == [":material/hourglass_top: Signalen: worden geteld…"]
    _settled()
    at.run()  # what the fragment does every few seconds, or the next page
    unread = sum(1 for e in inbox(demo, audit, LEAD) if e.status == "new")
    assert unread > 0
    assert [m.value for m in at.markdown] == [f":material/notifications: **Signalen: {unread} ongelezen**"]
    assert slow == ["wijknet-lead-signals"]


def test_a_failed_background_derivation_is_said_once_then_tried_again(demo: Database, tmp_path: Path,
                                                                      derived: list[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")

    def failing(*args: Any) -> Any:
        derived.append("failed")
        raise QueryFailed("Neo4j answered with an error.")

    monkeypatch.setattr(notices, "_derive_lead", failing)
    with pytest.raises(BeingComputed):
        inbox(demo, audit, LEAD, wait_s=0.0)
    _settled()
    with pytest.raises(QueryFailed):  # the page says what went wrong instead of "ask again" for ever
        inbox(demo, audit, LEAD, wait_s=0.0)
    monkeypatch.undo()
    assert [e.key for e in inbox(demo, audit, LEAD, wait_s=60)]  # the next one tries again, and gets them
    assert derived == ["failed"] and not notices._LEAD_FAILED
