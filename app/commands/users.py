"""``wijknet users list|add|disable|enable|revoke|password|demo`` — local accounts and their sessions.

Every command that changes the user store acts as an identified admin account (``--as`` or
``WIJKNET_CLI_ACCOUNT``, see :mod:`app.identity`) and goes through the audited writes of :mod:`app.accounts`.
Bootstrap: while no enabled admin account exists, ``wijknet users add NAME --role admin`` without an account
adds the first one as the system actor ``system:bootstrap`` (audited, with the OS user as access point).
"""

from __future__ import annotations

from typing import Any

import typer

from app.cli import friendly
from app.identity import ACCOUNT_HELP
from graph.errors import InvalidFields, WijknetError

__all__ = ["HELP", "NAME", "app"]

NAME = "users"
HELP = ("Manage accounts: list, add, disable (ends all sessions), enable, revoke sessions, set a password, demo "
        "users (changes as an admin account: --as ACCOUNT).")

app = typer.Typer(help=HELP, no_args_is_help=True)


def _as(account: str | None, action: str, target: str) -> tuple[Any, Any, Any]:
    """The audit log, the user store and the admin actor (``--as``/``WIJKNET_CLI_ACCOUNT``) for ``action``."""
    from app.auth import default_store
    from app.identity import cli_write_actor
    from queries.audit import default_audit_log

    audit, store = default_audit_log(), default_store()
    return audit, store, cli_write_actor(account, action, audit, store=store, target=target)


@app.command("list")
@friendly
def list_cmd() -> None:
    """All accounts with role, organisation, coach id and live sessions (expired ones are ended first); audited as
    the operating-system user, like the server operations (whoever runs it can read the account store anyway)."""
    from app.auth import default_store
    from app.dates import dmy_time
    from app.identity import cli_os_actor
    from queries.access import audit_action
    from queries.audit import default_audit_log

    audit_action(default_audit_log(), cli_os_actor(), "user_list", purpose="operations")
    store = default_store()
    store.end_expired()
    open_by_user: dict[str, int] = {}
    for s in store.sessions(live_only=True):
        open_by_user[s.username] = open_by_user.get(s.username, 0) + 1
    users = store.list_users()
    locked = store.locked()
    # the columns as wide as their longest value (a user name of 17 letters pushed its row one column over)
    rows = [("user", "role", "organisation", "coach id", "state", "sessions")] + [
        (a.username, a.role.value, a.organisation, a.professional_id or "-",
         "disabled" if a.disabled else f"locked until {dmy_time(locked[a.username])}" if a.username in locked
         else ("demo" if a.demo else "active"), str(open_by_user.get(a.username, 0)))
        for a in users]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        typer.echo("  ".join(f"{v:<{w}}" for v, w in zip(r, widths, strict=False)) + "  " + r[-1])


@app.command("add")
@friendly
def add_cmd(
    username: str = typer.Argument(..., help="Lower-case user name."),
    role: str = typer.Option(..., help="coach, partner (a partner organisation's professional: their signals "
                             "only), project_lead, policymaker, data_steward or admin."),
    organisation: str = typer.Option(None, help="The user's organisation (default: 'Gemeente' and the "
                                     "deployment profile's municipality, e.g. Gemeente Hengelo)."),
    professional_id: str = typer.Option(None, "--professional-id", help="For coaches and partner professionals: "
                                        "their Professional id."),
    email: str = typer.Option(None, help="E-mail for OpenID Connect sign-in (then no password is needed)."),
    password: bool = typer.Option(None, "--password/--no-password", help="Ask for a password (default without "
                                  "--email; with --email only when --password is given)."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP + " Without it only the first "
                                "admin account can be added, while no enabled admin exists (system:bootstrap)."),
    unknown_professional: bool = typer.Option(False, "--unknown-professional", help="Link the account to a "
                                              "--professional-id the database does not hold yet (checked otherwise)."),
) -> None:
    """Add an account as an admin account (the first admin account needs none); the password is asked twice."""
    from app.accounts import add_account, has_enabled_admin
    from app.auth import default_store
    from app.identity import account_given, cli_system_actor
    from queries.access import SYSTEM_BOOTSTRAP
    from queries.audit import default_audit_log

    target = username.strip().lower()
    if account_given(account) or has_enabled_admin(default_store()):
        audit, store, actor = _as(account, "user_add", target)
    else:
        audit, store, actor = default_audit_log(), default_store(), cli_system_actor(SYSTEM_BOOTSTRAP)
    # checked once the account may add accounts (no one else learns which ids exist)
    problem = professional_id and not unknown_professional and _professional_problem(professional_id, role.strip())
    if problem:
        said_, hint = problem
        raise InvalidFields({"--professional-id": f"{said_}; nothing was added. {hint}"})
    if organisation is None:
        from graph.profile import active_profile

        organisation = f"Gemeente {active_profile().municipality}"
    ask = password if password is not None else not email  # an OpenID Connect account signs in without one
    pw = typer.prompt("Password", hide_input=True, confirmation_prompt=True) if ask else None
    acc = add_account(audit, actor, store, username, role, organisation=organisation, password=pw,
                      professional_id=professional_id, email=email)
    typer.echo(f"Added {acc.username} ({acc.role})" + (" as the first admin account (system:bootstrap)."
                                                       if actor.user == SYSTEM_BOOTSTRAP.user else "."))


def _professional_problem(professional_id: str, role: str) -> tuple[str, str] | None:
    """Why the professional id cannot be linked and what to do: not in the graph (a typo links the account to
    nobody: a coach would see no household at all), for a coach account no wijkcoach there (where
    --unknown-professional does not help), or the database did not answer."""
    from graph.db import connect
    from queries.people import professional_known

    db = connect(start=False)
    try:
        db.verify()
        known, is_coach = professional_known(db, professional_id)
    except Exception:  # noqa: BLE001 - the check could not be made: said, and the account is not added
        return (f"the database did not answer, so whether {professional_id!r} is a professional could not be "
                "checked", "Start it (`wijknet db start`) and try again.")
    finally:
        db.close()
    if not known:
        return (f"no professional with id {professional_id!r} is in the database",
                "An account made before its professional is loaded: add --unknown-professional.")
    if role == "coach" and not is_coach:  # --unknown-professional would tie a coach's account to someone else
        return (f"{professional_id!r} is in the database, but not as a wijkcoach",
                "Mark them as one in the staff export (column wijkcoach: ja) and load it again, or give the "
                "account another role.")
    return None


@app.command("disable")
@friendly
def disable_cmd(username: str = typer.Argument(...),
                account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP)) -> None:
    """Disable an account and end all its sessions at once."""
    from app.accounts import disable_account

    audit, store, actor = _as(account, "user_disable", username)
    disable_account(audit, actor, store, username)
    typer.echo(f"Disabled {username}; all its sessions have ended.")


@app.command("enable")
@friendly
def enable_cmd(username: str = typer.Argument(...),
               account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP)) -> None:
    """Enable a disabled account (old sessions stay ended)."""
    from app.accounts import enable_account

    audit, store, actor = _as(account, "user_enable", username)
    enable_account(audit, actor, store, username)
    typer.echo(f"Enabled {username}.")


@app.command("unlock")
@friendly
def unlock_cmd(username: str = typer.Argument(...),
               account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP)) -> None:
    """End the lock that five wrong passwords put on an account (it ends by itself after 15 minutes)."""
    from app.accounts import unlock_account

    audit, store, actor = _as(account, "user_unlock", username)
    unlock_account(audit, actor, store, username)
    typer.echo(f"Unlocked {username}.")


@app.command("revoke")
@friendly
def revoke_cmd(username: str = typer.Argument(...),
               account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP)) -> None:
    """End every open session of a user (they must sign in again)."""
    from app.accounts import end_sessions

    audit, store, actor = _as(account, "user_end_sessions", username)
    if store.get(username) is None:
        raise WijknetError(f"There is no account {username!r}; `wijknet users list` shows them.")
    n = end_sessions(audit, actor, store, username)
    typer.echo(f"Ended {n} sessions of {username}.")


@app.command("password")
@friendly
def password_cmd(username: str = typer.Argument(...),
                 account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP)) -> None:
    """Set a new password for an account (asked twice; clears a lock and ends its sessions)."""
    from app.accounts import set_account_password

    audit, store, actor = _as(account, "user_password", username)
    if store.get(username) is None:
        raise WijknetError(f"There is no account {username!r}; `wijknet users list` shows them.")
    pw = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    set_account_password(audit, actor, store, username, pw)
    typer.echo(f"Set a new password for {username}; its sessions have ended.")


@app.command("demo")
@friendly
def demo_cmd(account: str = typer.Option(None, "--as", metavar="ACCOUNT",
                                         help="Create them as this admin account instead of the system actor "
                                         "system:demo (as `wijknet serve` does); either way audited.")) -> None:
    """Create the demo accounts (coach1.. for the coaches in the database) and print their password."""
    from app.accounts import add_demo_accounts, demo_names
    from app.auth import default_store, demo_password_path
    from app.identity import account_given, cli_system_actor
    from graph.db import connect
    from graph.settings import load_settings
    from queries.access import SYSTEM_DEMO
    from queries.audit import default_audit_log
    from queries.people import coach_ids

    s = load_settings()
    if not s.demo_users:
        raise WijknetError("WIJKNET_DEMO_USERS is 0: demo accounts are switched off.")
    if account_given(account):
        audit, store, actor = _as(account, "user_demo", "demo accounts")
    else:
        audit, store, actor = default_audit_log(), default_store(), cli_system_actor(SYSTEM_DEMO)
    db = connect(start=False)
    try:
        db.verify()
        coaches = coach_ids(db)
    finally:
        db.close()
    password, created = add_demo_accounts(audit, actor, store, coaches, demo_password_path(s.state_dir))
    names = [a.username for a in store.list_users() if a.demo]
    typer.echo(f"Demo users: {demo_names(names)}")
    typer.echo(f"Demo password: {password}  (also in {demo_password_path(s.state_dir)}, mode 0600)")
    if created:
        typer.echo(f"Created now: {', '.join(created)}", err=True)
