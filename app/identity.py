"""Who a ``wijknet`` command writes as: an existing, enabled account of the user store, never free text.

A command that writes (``wijknet ingest``, ``wijknet ingest review accept|reject``, ``wijknet privacy
retention|erase``, ``wijknet users add|disable|enable|revoke|password``, ``wijknet audit cut``, ``wijknet demo
load --as``, ``wijknet intake …``, ``wijknet caseload …``) names the account with ``--as ACCOUNT`` or ``WIJKNET_CLI_ACCOUNT``; every such command resolves it
with :func:`cli_write_actor`. The account must exist, be enabled
and have a role that may do the write (:data:`queries.access.WRITE_ACTIONS`); the operating-system user who ran
the command is recorded as the access point (``cli:<os user>``), and each run gets its own trace id, so the
records of one command belong together. A refusal (no account named, unknown, disabled, wrong role) is one
sentence, exit status 1, nothing written, and it is audited.

No password is asked: whoever can run the CLI on the server can read its state directory anyway. The account
makes the write accountable to a named person with a role, as a sign-in does in the app.
"""

from __future__ import annotations

import getpass
import uuid
from dataclasses import replace
from typing import Any

from app.auth import UserStore, cli_actor, default_store
from graph.errors import AccessDenied
from graph.said import said
from graph.settings import load_settings
from queries.access import Actor, check_write, write_action
from queries.audit import AuditLog

__all__ = ["ACCOUNT_HELP", "account_given", "cli_access_point", "cli_read_session", "cli_system_actor",
           "cli_write_actor",
           "cli_write_session"]

ACCOUNT_HELP = ("The account you act as (an enabled account of `wijknet users list` whose role may do this; "
                "default WIJKNET_CLI_ACCOUNT). Recorded in the audit log with your system user name.")


def cli_access_point() -> str:
    """``cli:<operating-system user>``: where a command's request came from."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        who = "unknown"
    return f"cli:{who}"


def account_given(account: str | None) -> bool:
    """Whether the command names an account (``--as`` or ``WIJKNET_CLI_ACCOUNT``)."""
    return account is not None or bool(load_settings().cli_account.strip())


def cli_os_actor() -> Actor:
    """The operating-system user running this command, as the actor of what names no account (server operations,
    listing the accounts): whoever runs them can read or delete the server's files anyway."""
    return replace(cli_actor(), access_point=cli_access_point())


def cli_system_actor(system: Actor) -> Actor:
    """A documented system actor (``system:demo``, ``system:bootstrap``) run from this command: the OS user as
    access point, a trace id of its own."""
    return replace(system, access_point=cli_access_point(), trace_id=_trace_id())


def _trace_id() -> str:
    return "cli-" + uuid.uuid4().hex[:12]


def cli_write_actor(account: str | None, action: str, audit: AuditLog, *, store: UserStore | None = None,
                    target: str = "") -> Actor:
    """The actor for a command that does write ``action`` as ``account`` (``None``: ``WIJKNET_CLI_ACCOUNT``).

    Raises :class:`AccessDenied` (audited as ``action``, result ``denied``) when no account is named, the
    account does not exist or is disabled, or its role may not do ``action``; ``AuditUnavailable`` when the
    refusal cannot even be recorded.
    """
    spec = write_action(action)
    actor = _account_actor(account, spec.name, spec.purpose, audit, store=store, target=target)
    # a role that may not do it: refused and audited (a household write checks the caseload when it names one)
    check_write(audit, actor, replace(spec, household=False), target=target)
    return actor


def _account_actor(account: str | None, action: str, purpose: str, audit: AuditLog, *,
                   store: UserStore | None = None, target: str = "") -> Actor:
    """The account's actor; a missing, unknown or disabled account is refused (audited as ``action``)."""
    access_point = cli_access_point()
    trace_id = _trace_id()
    name = (account if account is not None else load_settings().cli_account).strip().lower()
    found = (store or default_store()).get(name) if name else None
    why = ("no account named" if not name else f"unknown account {name!r}" if found is None
           else f"account {name!r} is disabled" if found.disabled else "")
    if why:
        audit.record(user=access_point, role="", organisation="", action=action, target=target,
                     purpose=purpose, result="denied", detail=why, access_point=access_point,
                     trace_id=trace_id)
        if not name:
            raise AccessDenied(said("said.cli.no_account", "Name the account you act as: --as ACCOUNT or "
                                    "WIJKNET_CLI_ACCOUNT (`wijknet users list` shows the accounts)."))
        if found is None:
            raise AccessDenied(said("said.cli.unknown_account", "There is no account {name!r}; `wijknet users "
                                    "list` shows the accounts.", name=name))
        raise AccessDenied(said("said.cli.disabled_account", "The account {name!r} is disabled; ask the "
                                "administrator.", name=name))
    assert found is not None
    return found.actor(trace_id=trace_id, access_point=access_point)


def cli_read_session(account: str | None, action: str) -> tuple[Any, AuditLog, Actor]:
    """What a reading command of an account needs (``caseload list``): the database, the audit log and the
    account's actor. The read it calls checks the role and audits under its own action; a missing, unknown or
    disabled account is refused here (audited as ``action``, that read's). The caller closes the database."""
    from graph.db import connect
    from queries.audit import default_audit_log

    audit = default_audit_log()
    actor = _account_actor(account, action, "", audit)
    return _verified(connect(start=False)), audit, actor


def cli_write_session(account: str | None, action: str) -> tuple[Any, AuditLog, Actor]:
    """What a writing command needs: the database (it must answer), the audit log and the actor (an account
    whose role may do ``action``, see :func:`cli_write_actor`). The caller closes the database."""
    from graph.db import connect
    from queries.audit import default_audit_log

    audit = default_audit_log()
    actor = cli_write_actor(account, action, audit)
    return _verified(connect(start=False)), audit, actor


def _verified(db: Any) -> Any:
    """``db`` once it answers (closed, and the error raised, when it does not)."""
    try:
        db.verify()
    except Exception:
        db.close()
        raise
    return db
