"""The audited write entry without a database: the table of writes, the order check → audit → write → outcome,
fail-closed, and who a ``wijknet`` command writes as."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from graph.errors import AccessDenied
from ingest.entry import audited_write, write_actions_of, writes
from queries.access import SYSTEM_DEMO, WRITE_ACTIONS, Actor, Role
from queries.audit import AuditLog, AuditUnavailable

ROOT = Path(__file__).resolve().parents[2]
STEWARD = Actor("steward", Role.DATA_STEWARD, "Gemeente")
POLICY = Actor("policy", Role.POLICYMAKER, "Gemeente")


def rows(audit: AuditLog) -> list[tuple[str, str, str, str]]:
    return [(r.user, r.action, r.result, r.detail) for r in audit.records()]


def test_every_write_is_declared_with_roles_and_a_purpose() -> None:
    assert {"ingest_load", "ingest_validate", "merge_accept", "merge_reject", "demo_load"} <= set(WRITE_ACTIONS)
    for name, spec in WRITE_ACTIONS.items():
        assert spec.name == name and spec.roles and spec.purpose and spec.description
        assert Role.POLICYMAKER not in spec.roles, "a policymaker writes nothing"


def test_the_role_table_in_the_docs_lists_every_write() -> None:
    text = (ROOT / "docs" / "security.md").read_text().split("### Who may write", 1)[1].split("\n#", 1)[0]
    documented = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|(]+)[^|]*\|", text, re.M))
    assert set(documented) == set(WRITE_ACTIONS), "docs/security.md: one row per write action"
    for name, spec in WRITE_ACTIONS.items():
        assert {r.strip("` ") for r in documented[name].split(",")} == {str(r) for r in spec.roles}, name


def test_the_record_is_written_before_the_block_and_the_outcome_after(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    with audited_write(audit, STEWARD, "ingest_load", target="f-1", detail="file=x.csv") as outcome:
        assert rows(audit) == [("steward", "ingest_load", "ok", "file=x.csv")]  # before anything is written
        outcome.done("loaded", "rows=3")
    assert rows(audit)[1:] == [("steward", "ingest_load", "loaded", "rows=3")]
    assert {r.purpose for r in audit.records()} == {"data_loading"} and {r.target for r in audit.records()} == {"f-1"}


def test_a_refused_write_is_audited_and_its_block_never_runs(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    ran = []
    with pytest.raises(AccessDenied, match=r"Your role \(policymaker\) may not do this: load a source export"):
        with audited_write(audit, POLICY, "ingest_load", target="f-1"):
            ran.append(1)
    assert ran == [] and rows(audit) == [("policy", "ingest_load", "denied",
                                          "role policymaker not in admin,data_steward")]


def test_without_the_audit_log_the_block_never_runs(tmp_path: Path) -> None:
    blocker = tmp_path / "full-disk"
    blocker.write_text("")
    ran = []
    with pytest.raises(AuditUnavailable):
        with audited_write(AuditLog(blocker / "audit.sqlite"), STEWARD, "merge_reject"):
            ran.append(1)
    assert ran == []


def test_a_failed_write_is_recorded_by_its_kind_not_its_text(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    with pytest.raises(KeyError):
        with audited_write(audit, STEWARD, "merge_accept", target="review-9"):
            raise KeyError("999999990")
    assert rows(audit) == [("steward", "merge_accept", "ok", ""), ("steward", "merge_accept", "failed", "KeyError")]


def test_the_system_actor_may_load_the_demo_and_nothing_else(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    with audited_write(audit, SYSTEM_DEMO, "demo_load", target="synthetic"):
        pass
    with pytest.raises(AccessDenied, match="system:demo may not do this"):
        with audited_write(audit, SYSTEM_DEMO, "ingest_load"):
            pass
    forged = replace(STEWARD, user="system:import")
    with pytest.raises(AccessDenied):
        with audited_write(audit, forged, "demo_load"):
            pass
    assert [(u, a, r) for u, a, r, _ in rows(audit)] == [
        ("system:demo", "demo_load", "ok"), ("system:demo", "ingest_load", "denied"),
        ("system:import", "demo_load", "denied")]


def test_a_write_entry_names_declared_actions_only() -> None:
    from ingest.demo import ensure_demo
    from ingest.merge import accept, reject
    from ingest.pipeline import ingest_file

    assert write_actions_of(ingest_file) == ("ingest_load", "ingest_validate")
    assert (write_actions_of(accept), write_actions_of(reject), write_actions_of(ensure_demo)) == (
        ("merge_accept",), ("merge_reject",), ("demo_load",))
    with pytest.raises(KeyError):
        writes("ingest_everything")


# -- who a command writes as --------------------------------------------------------------------------------

@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.auth import UserStore

    s = UserStore(tmp_path / "users.sqlite")
    s.add_user("anna", Role.DATA_STEWARD, password_hash="x")
    s.add_user("bert", Role.DATA_STEWARD, password_hash="x")
    s.set_disabled("bert")
    s.add_user("carla", Role.COACH, password_hash="x", professional_id="PR-1")
    return s


def test_a_command_acts_as_an_enabled_account_with_the_os_user_as_access_point(store, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from app.identity import cli_access_point, cli_write_actor

    audit = AuditLog(tmp_path / "audit.sqlite")
    actor = cli_write_actor("Anna", "ingest_load", audit, store=store)
    assert (actor.user, actor.role, actor.access_point) == ("anna", Role.DATA_STEWARD, cli_access_point())
    assert actor.access_point.startswith("cli:") and actor.trace_id.startswith("cli-")
    assert rows(audit) == []  # the write itself is audited by the entry
    monkeypatch.setenv("WIJKNET_CLI_ACCOUNT", "anna")
    assert cli_write_actor(None, "merge_reject", audit, store=store).user == "anna"


@pytest.mark.parametrize(("account", "message", "detail"), [
    (None, "Name the account you act as: --as ACCOUNT or WIJKNET_CLI_ACCOUNT", "no account named"),
    ("nobody", "There is no account 'nobody'", "unknown account 'nobody'"),
    ("bert", "The account 'bert' is disabled", "account 'bert' is disabled"),
    ("carla", r"Your role \(coach\) may not do this", "role coach not in admin,data_steward"),
])
def test_a_command_without_a_fitting_account_is_refused_and_audited(store, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    account: str | None, message: str,
                                                                    detail: str) -> None:
    from app.identity import cli_access_point, cli_write_actor

    monkeypatch.delenv("WIJKNET_CLI_ACCOUNT", raising=False)
    audit = AuditLog(tmp_path / "audit.sqlite")
    with pytest.raises(AccessDenied, match=message):
        cli_write_actor(account, "ingest_load", audit, store=store)
    (rec,) = list(audit.records())
    assert (rec.action, rec.result, rec.detail, rec.access_point) == ("ingest_load", "denied", detail,
                                                                      cli_access_point())


def test_the_pages_that_write_are_offered_to_the_roles_that_may_write() -> None:
    from app.nav import PAGES
    from queries.access import write_roles

    roles = {p.file: set(p.roles) for p in PAGES}
    assert roles["ingest.py"] == set(write_roles("ingest_load")) == set(write_roles("ingest_validate"))
    assert roles["review.py"] == set(write_roles("merge_accept")) == set(write_roles("merge_reject"))
    assert roles["intake.py"] == set(write_roles("caseload_assign")) == set(write_roles("caseload_move"))
