"""``wijknet users …``, ``wijknet privacy …`` and ``wijknet audit cut`` act as an identified account and are
audited before they write (issue 21 part 3: every write audited wherever it comes from, the CLI included);
the first admin account is the one thing added without an account (``system:bootstrap``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from queries.audit import default_audit_log


@pytest.fixture()
def state(state: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The unit tests' private state directory (tests/unit/conftest.py), with no CLI account set."""
    monkeypatch.setenv("WIJKNET_CLI_ACCOUNT", "")
    return state


def cli(*args: str, stdin: str | None = None) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args), input=stdin)
    return res.exit_code, res.output


def records() -> list[tuple[str, str, str, str]]:
    return [(r.user, r.role, r.action, r.result) for r in default_audit_log().records()]


def test_the_first_admin_is_added_without_an_account_and_nothing_else_is(state: Path) -> None:
    from app.auth import default_store
    from app.identity import cli_access_point

    code, out = cli("users", "add", "eerst", "--role", "data_steward", "--email", "eerst@gemeente.nl",
                    "--no-password")
    assert code == 1 and "alleen het eerste beheerdersaccount" in out
    assert default_store().get("eerst") is None
    code, out = cli("users", "add", "beheer", "--role", "admin", "--email", "beheer@gemeente.nl", "--no-password")
    assert code == 0 and "first admin account" in out, out
    recs = list(default_audit_log().records())
    assert [(r.user, r.action, r.result, r.target) for r in recs] == [
        ("system:bootstrap", "user_add", "denied", "eerst"), ("system:bootstrap", "user_add", "ok", "beheer"),
        ("system:bootstrap", "user_add", "added", "beheer")]
    assert {r.access_point for r in recs} == {cli_access_point()} and recs[1].purpose == "user_management"
    # an enabled admin exists: bootstrap is over, every add names an account
    before = len(recs)
    code, out = cli("users", "add", "tweede", "--role", "admin", "--email", "tweede@gemeente.nl", "--no-password")
    assert code == 1 and "Noem het account waarmee u werkt" in out
    assert default_store().get("tweede") is None
    assert [(r[2], r[3]) for r in records()[before:]] == [("user_add", "denied")]


def test_user_changes_act_as_an_admin_account(state: Path) -> None:
    from app.auth import default_store

    # with --email no password is asked for (found by a steward: it prompted all the same)
    code, out = cli("users", "add", "beheer", "--role", "admin", "--email", "b@gemeente.nl")
    assert code == 0 and "Password" not in out, out
    assert default_store().get("beheer").credential is None  # type: ignore[union-attr]
    code, out = cli("users", "add", "jansen", "--role", "data_steward", "--as", "beheer", stdin="een-lang-wachtwoord\n" * 2)
    assert code == 0, out
    store = default_store()
    start = len(records())
    # a data steward may not manage accounts: refused, audited, nothing changed
    code, out = cli("users", "disable", "beheer", "--as", "jansen")
    assert code == 1 and "mag dit niet: account uitschakelen" in out
    assert store.get("beheer") is not None and not store.get("beheer").disabled  # type: ignore[union-attr]
    assert records()[start:] == [("jansen", "data_steward", "user_disable", "denied")]
    start = len(records())
    for args in (("disable", "jansen"), ("enable", "jansen"), ("revoke", "jansen")):
        code, out = cli("users", *args, "--as", "beheer")
        assert code == 0, out
    code, out = cli("users", "password", "jansen", "--as", "beheer", stdin="nog-een-lang-wachtwoord\n" * 2)
    assert code == 0, out
    store.authenticate("jansen", "nog-een-lang-wachtwoord")
    assert records()[start:] == [("beheer", "admin", action, result) for action, done in (
        ("user_disable", "disabled"), ("user_enable", "enabled"), ("user_end_sessions", "ended"),
        ("user_password", "changed")) for result in ("ok", done)]


def test_privacy_and_cut_commands_name_an_account_before_anything_happens(state: Path) -> None:
    from app.auth import default_store

    default_store().add_user("kijker", "policymaker", password_hash="x")
    for args in (("privacy", "erase", "PER-1", "--yes"), ("privacy", "retention", "--yes"),
                 ("audit", "cut", "--before", "2020-01-01")):
        code, out = cli(*args)
        assert code == 1 and "Noem het account waarmee u werkt" in out, args
        code, out = cli(*args, "--as", "kijker")
        assert code == 1 and "mag dit niet" in out, args
    assert [(r[0], r[2], r[3]) for r in records()][1::2] == [
        ("kijker", "privacy_erase", "denied"), ("kijker", "privacy_retention", "denied"),
        ("kijker", "audit_cut", "denied")]
    assert all(r[0].startswith("cli:") and r[3] == "denied" for r in records()[0::2])


def test_demo_accounts_are_audited_once_when_created_and_not_at_every_start(tmp_path: Path) -> None:
    from app.accounts import add_demo_accounts
    from app.auth import UserStore
    from app.identity import cli_system_actor
    from queries.access import SYSTEM_DEMO, Actor, Role
    from queries.audit import AuditLog

    audit, store = AuditLog(tmp_path / "audit.sqlite"), UserStore(tmp_path / "users.sqlite")
    actor = cli_system_actor(SYSTEM_DEMO)
    password, created = add_demo_accounts(audit, actor, store, ["PR-1"], tmp_path / "demo-password")
    assert created == ["coach1", "projectleider", "beleid", "datasteward", "admin"]
    again, none = add_demo_accounts(audit, actor, store, ["PR-1"], tmp_path / "demo-password")
    assert (again, none) == (password, [])
    assert [(r.user, r.action, r.result) for r in audit.records()] == [
        ("system:demo", "user_demo", "ok"), ("system:demo", "user_demo", "added")]
    # the password is not handed to a role that may not create them, even when nothing is to be created
    from graph.errors import AccessDenied

    with pytest.raises(AccessDenied):
        add_demo_accounts(audit, Actor("beleid", Role.POLICYMAKER, "Gemeente"), store, ["PR-1"],
                          tmp_path / "demo-password")
    assert [r.result for r in audit.records()][-1] == "denied"


def test_listing_the_accounts_is_audited_before_it_is_shown(state: Path) -> None:
    from app.identity import cli_access_point

    assert cli("users", "add", "beheer", "--role", "admin", "--email", "beheer@gemeente.nl", "--no-password")[0] == 0
    before = len(records())
    code, out = cli("users", "list")
    assert code == 0 and "beheer" in out
    assert [(r[0], r[2], r[3]) for r in records()[before:]] == [(cli_access_point(), "user_list", "ok")]
    # no audit log to write to: nothing is listed
    log = default_audit_log().path
    log.rename(log.with_name("aside.sqlite"))
    log.mkdir()  # a directory where the log should be: no record can be written
    code, out = cli("users", "list")
    assert code != 0 and "beheer" not in out and "cannot be written" in out, out


def test_a_locked_account_is_shown_as_locked_and_the_admin_can_unlock_it(state: Path) -> None:
    """A steward's walk (08-12-2026): five wrong passwords locked an account; `users list` and the *Gebruikers*
    page still said "active", and *Inschakelen* answered "aanmelden kan weer" while the right password was still
    refused until the lock ended. The lock is shown with its end, `users unlock` ends it (audited), and enabling
    an account ends it too."""
    from app.auth import SignInFailed, default_store

    cli("users", "add", "beheer", "--role", "admin", "--email", "b@gemeente.nl")
    cli("users", "add", "jansen", "--role", "data_steward", "--as", "beheer", stdin="een-lang-wachtwoord\n" * 2)
    store = default_store()

    def lock() -> None:
        for _ in range(5):
            with pytest.raises(SignInFailed):
                store.authenticate("jansen", "fout fout fout")
        with pytest.raises(SignInFailed):
            store.authenticate("jansen", "een-lang-wachtwoord")

    lock()
    assert list(store.locked()) == ["jansen"]
    code, out = cli("users", "list")
    line = next(x for x in out.splitlines() if x.startswith("jansen"))
    assert code == 0 and "locked until " in line and "active" not in line, out
    start = len(records())
    code, out = cli("users", "unlock", "jansen", "--as", "jansen")  # not an admin: refused, nothing changed
    assert code == 1 and list(store.locked()) == ["jansen"]
    code, out = cli("users", "unlock", "jansen", "--as", "beheer")
    assert code == 0 and "Unlocked jansen" in out, out
    assert store.authenticate("jansen", "een-lang-wachtwoord").username == "jansen" and store.locked() == {}
    assert records()[start:] == [("jansen", "data_steward", "user_unlock", "denied"),
                                 ("beheer", "admin", "user_unlock", "ok"), ("beheer", "admin", "user_unlock", "unlocked")]
    lock()
    cli("users", "disable", "jansen", "--as", "beheer")
    cli("users", "enable", "jansen", "--as", "beheer")  # "aanmelden kan weer": so it can
    assert store.authenticate("jansen", "een-lang-wachtwoord").username == "jansen"
