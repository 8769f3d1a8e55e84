"""Who the tests write as: a data steward, audited in the test session's own audit log."""

from __future__ import annotations

import os
from pathlib import Path

from queries.access import Actor, Role
from queries.audit import AuditLog

__all__ = ["STEWARD", "cli_account", "cli_steward", "session_audit"]

#: The account the ingest tests load and review data as.
STEWARD = Actor("steward", Role.DATA_STEWARD, "Gemeente", access_point="test")


def session_audit() -> AuditLog:
    """The audit log in the test session's private state directory (never the developer's)."""
    state = os.environ.get("WIJKNET_STATE_DIR", "")
    assert "wijknet-test-state" in state, "session_audit() needs the test session's state dir (test_env)"
    return AuditLog(Path(state) / "audit.sqlite")


def cli_steward() -> str:
    """The name of an enabled data-steward account in the session's user store, for ``wijknet … --as``."""
    from app.auth import default_store

    session_audit()  # asserts the session's state dir
    store = default_store()
    if store.get(STEWARD.user) is None:
        store.add_user(STEWARD.user, Role.DATA_STEWARD, organisation=STEWARD.organisation, password_hash="x")
    return STEWARD.user


def cli_account(role: Role) -> str:
    """The name of an enabled account in ``role`` in the session's user store (made when missing), for a command
    that reads as an account (``wijknet report … --as``)."""
    from app.auth import default_store

    session_audit()  # asserts the session's state dir
    store = default_store()
    name = f"cli-{role.value}".replace("_", "-")
    if store.get(name) is None:
        store.add_user(name, role, organisation="Gemeente", password_hash="x",
                       professional_id="PR-CLI" if role == Role.COACH else None)
    return name
