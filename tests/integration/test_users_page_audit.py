"""The admin's page *Gebruikers* in-process (Streamlit's AppTest): the list of accounts (names, e-mail addresses,
organisations, live sessions) is a read like any other — audited as ``view_users`` before it is shown, and not
shown when the audit log cannot be written (``wijknet users list`` audits its list as ``user_list``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app.auth import default_store
from queries.access import Role
from queries.audit import AuditLog, AuditUnavailable, default_audit_log

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "users.py")


def _page(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    store = default_store()
    acc = store.get("listadmin") or store.add_user("listadmin", Role.ADMIN, password="a long admin password")
    store.get("listedcoach") or store.add_user("listedcoach", Role.POLICYMAKER, password="a long coach password",
                                               email="listed.coach@example.nl")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["wijknet_session_token"] = store.start_session(acc)
    return at


def _views() -> list[tuple[str, str]]:
    return [(r.action, r.result) for r in default_audit_log().records() if r.user == "listadmin"
            and r.action == "view_users"]


def test_the_list_of_accounts_is_audited_before_it_is_shown(test_env: dict[str, str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    before = len(_views())
    at = _page(monkeypatch).run()
    assert not at.exception
    assert "listed.coach@example.nl" in at.dataframe[0].value.to_string()
    assert _views()[before:] == [("view_users", "ok")]


def test_no_account_is_shown_when_the_audit_log_cannot_be_written(test_env: dict[str, str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(monkeypatch)
    real = AuditLog.record

    def refuse(self: AuditLog, **kw: Any) -> Any:
        if kw.get("action") == "view_users":
            raise AuditUnavailable("the disk is full")
        return real(self, **kw)

    monkeypatch.setattr(AuditLog, "record", refuse)
    at.run()
    assert not at.exception
    assert not at.dataframe
    assert at.error, "the page says why it shows nothing"
