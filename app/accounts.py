"""The audited writes of the user store: add, disable, enable, end sessions, set a password, demo accounts.

Each function is a declared write (``user_*`` in :data:`queries.access.WRITE_ACTIONS`, admin only) and runs the
:class:`~app.auth.UserStore` change inside :func:`ingest.entry.audited_write`: the role is checked (a refusal is
audited and changes nothing), the ``ok`` record is written before the change (if it cannot be, nothing changes)
and the outcome after it. The commands (``wijknet users …``) call them as the account named with ``--as``.

Bootstrap: while the store has no enabled ``admin`` account, nobody can be named, so :func:`add_account` lets the
system actor :data:`~queries.access.SYSTEM_BOOTSTRAP` add one ``admin`` account (audited like any other add, with
the operating-system user as access point); once an enabled admin exists, or for any other role, it is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.auth import DEMO_ORGANISATION, DEMO_STAFF, Account, UserStore, ensure_demo_users
from graph.errors import AccessDenied, WijknetError
from graph.said import said
from ingest.entry import audited_write, writes
from queries.access import SYSTEM_BOOTSTRAP, Actor, Role, audit_action, check_write, write_action
from queries.audit import AuditLog

__all__ = ["add_account", "add_demo_accounts", "demo_names", "disable_account", "enable_account", "end_sessions",
           "has_enabled_admin", "set_account_password", "unlock_account"]


def demo_names(names: Sequence[str]) -> str:
    """The demo accounts as one line: a city-sized demo has fifty coaches, said as their first and last.

    >>> demo_names(["admin", "beleid", "coach1", "coach2"])
    'admin, beleid, coach1, coach2'
    >>> demo_names(["admin", "beleid", *sorted(f"coach{i}" for i in range(1, 51)), "projectleider"])
    'admin, beleid, coach1 … coach50, projectleider'
    """
    coaches = sorted((n for n in names if n.startswith("coach") and n[5:].isdigit()), key=lambda n: int(n[5:]))
    if len(coaches) <= 4:
        return ", ".join(names)
    between = set(coaches[1:])  # said by the first and the last
    return ", ".join(f"{n} … {coaches[-1]}" if n == coaches[0] else n for n in names if n not in between)


def has_enabled_admin(store: UserStore) -> bool:
    """Whether the store has an enabled ``admin`` account (then bootstrap is over)."""
    return any(a.role == Role.ADMIN and not a.disabled for a in store.list_users())


def _check_bootstrap(audit: AuditLog, actor: Actor, store: UserStore, username: str, role: Role | str) -> None:
    why = ("an enabled admin account exists" if has_enabled_admin(store)
           else "bootstrap adds only an admin account" if str(role) != Role.ADMIN.value else "")
    if why:
        audit_action(audit, actor, "user_add", target=username, purpose=write_action("user_add").purpose,
                     result="denied", detail=why)
        raise AccessDenied(said("said.cli.bootstrap_only", "Without --as only the first admin account can be added "
                                "(while no enabled admin exists); name your admin account with --as ACCOUNT or "
                                "WIJKNET_CLI_ACCOUNT."))


@writes("user_add")
def add_account(audit: AuditLog, actor: Actor, store: UserStore, username: str, role: Role | str, *,
                organisation: str = DEMO_ORGANISATION, password: str | None = None,
                professional_id: str | None = None, email: str | None = None) -> Account:
    """Add an account (see :meth:`UserStore.add_user`); as ``system:bootstrap`` only the first admin."""
    username = username.strip().lower()
    if actor.user == SYSTEM_BOOTSTRAP.user:
        _check_bootstrap(audit, actor, store, username, role)
    with audited_write(audit, actor, "user_add", target=username, detail=f"role={role}") as outcome:
        acc = store.add_user(username, role, organisation=organisation, password=password,
                             professional_id=professional_id, email=email)
        outcome.done("added", f"role={acc.role}")
    return acc


@writes("user_disable")
def disable_account(audit: AuditLog, actor: Actor, store: UserStore, username: str) -> None:
    """Disable an account and end all its sessions."""
    with audited_write(audit, actor, "user_disable", target=username) as outcome:
        store.set_disabled(username, True)
        outcome.done("disabled")


@writes("user_enable")
def enable_account(audit: AuditLog, actor: Actor, store: UserStore, username: str) -> None:
    """Enable a disabled account (its old sessions stay ended)."""
    with audited_write(audit, actor, "user_enable", target=username) as outcome:
        store.set_disabled(username, False)
        outcome.done("enabled")


@writes("user_unlock")
def unlock_account(audit: AuditLog, actor: Actor, store: UserStore, username: str) -> None:
    """End the lock that wrong passwords put on an account (after the admin checked who asked)."""
    with audited_write(audit, actor, "user_unlock", target=username) as outcome:
        store.unlock(username)
        outcome.done("unlocked")


@writes("user_end_sessions")
def end_sessions(audit: AuditLog, actor: Actor, store: UserStore, username: str) -> int:
    """End every open session of an account; how many were ended."""
    with audited_write(audit, actor, "user_end_sessions", target=username) as outcome:
        if store.get(username) is None:
            raise WijknetError(f"There is no account {username!r}; `wijknet users list` shows them.")
        n = store.revoke_sessions(username, "revoked by admin")
        outcome.done("ended", f"{n} sessions")
    return n


@writes("user_password")
def set_account_password(audit: AuditLog, actor: Actor, store: UserStore, username: str, password: str) -> None:
    """Set an account's password (its failures and lock are cleared, its sessions end)."""
    with audited_write(audit, actor, "user_password", target=username) as outcome:
        store.set_password(username, password)
        outcome.done("changed")


@writes("user_demo")
def add_demo_accounts(audit: AuditLog, actor: Actor, store: UserStore, coach_ids: Sequence[str],
                      password_file: Path) -> tuple[str, list[str]]:
    """Create the missing demo accounts (:func:`app.auth.ensure_demo_users`); the password and who was created.

    The role is checked first (a refusal is audited); when every demo account exists already nothing is written
    and no further record made (``wijknet serve`` calls this at every start)."""
    check_write(audit, actor, "user_demo", target="demo accounts")
    existing = {a.username: a for a in store.list_users()}
    coaches = {f"coach{i + 1}": pid for i, pid in enumerate(coach_ids)}
    complete = password_file.exists() and {name for name, _ in DEMO_STAFF} | set(coaches) <= set(existing) and all(
        existing[name].professional_id == pid for name, pid in coaches.items() if existing[name].demo)
    if complete:
        return ensure_demo_users(store, coach_ids, password_file)  # writes nothing: everything is there
    with audited_write(audit, actor, "user_demo", target="demo accounts") as outcome:
        password, created = ensure_demo_users(store, coach_ids, password_file)
        outcome.done("added", f"{len(created)} accounts: {', '.join(created) or '-'}")
    return password, created
