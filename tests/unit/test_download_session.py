"""A download is built when it is clicked, maybe long after the page run that offered it: it is handed out only
while the session that offered it still lives (not signed out, not disabled, not timed out)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from app.auth import UserStore, token_trace_id
from app.session import while_signed_in
from graph.errors import AccessDenied
from queries.access import Actor, Role
from queries.audit import AuditLog

PW = "correct horse battery"


@pytest.fixture()
def store(tmp_path: Path) -> UserStore:
    s = UserStore(tmp_path / "users.sqlite", idle_minutes=30, max_hours=10,
                  hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    s.add_user("coach1", Role.COACH, organisation="Wijkcoaches", password=PW, professional_id="PRO-1")
    return s


def _signed_in(store: UserStore) -> tuple[str, Actor]:
    token = store.start_session(store.authenticate("coach1", PW))
    return token, store.authenticate("coach1", PW).actor(trace_id=token_trace_id(token), access_point="web:1")


def _download(store: UserStore, audit: AuditLog, actor: Actor, built: list[str]) -> bytes:
    def build() -> bytes:
        built.append("pdf")
        return b"%PDF brief"
    return while_signed_in(actor, build, what="download_brief", target="HH-1", purpose="home_visit_preparation",
                           store=store, audit=audit)()


@pytest.mark.parametrize(("end", "label"), [
    (lambda store, token: store.set_disabled("coach1"), "disabled"),
    (lambda store, token: store.end_session(token), "signed out"),
    (lambda store, token: store.revoke_sessions("coach1"), "revoked"),
])
def test_a_download_clicked_after_the_session_ended_builds_nothing(store: UserStore, tmp_path: Path, end, label
                                                                   ) -> None:  # type: ignore[no-untyped-def]
    audit = AuditLog(tmp_path / "audit.sqlite")
    token, actor = _signed_in(store)
    built: list[str] = []
    assert _download(store, audit, actor, built) == b"%PDF brief"  # offered and clicked while signed in
    end(store, token)
    with pytest.raises(AccessDenied, match="meld u opnieuw aan om te downloaden"):
        _download(store, audit, actor, built)
    assert built == ["pdf"], f"{label}: the file was built again"
    [denied] = [r for r in audit.records() if r.result == "denied"]
    assert (denied.user, denied.action, denied.trace_id) == ("coach1", "download_brief", actor.trace_id)
    # which household the refused brief was of, and for what (it named neither: an outside test)
    assert (denied.target, denied.purpose) == ("HH-1", "home_visit_preparation")


def test_a_session_is_live_only_within_its_idle_time_and_only_for_its_own_user(store: UserStore) -> None:
    t0 = datetime.now(UTC)
    token = store.start_session(store.authenticate("coach1", PW), now=t0)
    trace = token_trace_id(token)
    assert store.session_live(trace, "coach1", now=t0 + timedelta(minutes=29))
    assert not store.session_live(trace, "coach1", now=t0 + timedelta(minutes=31))
    assert not store.session_live(trace, "someone-else", now=t0)
    assert not store.session_live("", "coach1", now=t0)
    assert not store.session_live("0" * 16, "coach1", now=t0)
