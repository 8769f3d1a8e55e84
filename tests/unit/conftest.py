"""Fixtures of the unit tests that need a state directory of their own (the CLI, the audit log, backups)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture()
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private state directory and key files outside it (as in production); no Neo4j runs for it."""
    state = tmp_path / "state"
    monkeypatch.setenv("WIJKNET_STATE_DIR", str(state))
    monkeypatch.setenv("WIJKNET_SECRET_FILE", str(tmp_path / "keys" / "pseudonym.key"))
    monkeypatch.setenv("WIJKNET_AUDIT_KEY_FILE", str(tmp_path / "keys" / "audit.key"))
    monkeypatch.setenv("WIJKNET_AUDIT_SIGNING_KEY_FILE", str(tmp_path / "keys" / "audit-signing.key"))
    monkeypatch.delenv("WIJKNET_AUDIT_CHECKPOINT_FILE", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return state
