"""``wijknet users list|add|disable|enable|revoke|demo`` — local accounts and their sessions."""

from __future__ import annotations

import typer

from app.cli import friendly
from graph.errors import WijknetError

__all__ = ["HELP", "NAME", "app"]

NAME = "users"
HELP = "Manage accounts: list, add, disable (ends all sessions), enable, revoke sessions, demo users."

app = typer.Typer(help=HELP, no_args_is_help=True)


def _audit(action: str, target: str, detail: str = "") -> None:
    from app.auth import cli_actor
    from queries.access import audit_action
    from queries.audit import default_audit_log

    audit_action(default_audit_log(), cli_actor(), action, target=target, purpose="user_management",
                 detail=detail)


@app.command("list")
@friendly
def list_cmd() -> None:
    """All accounts with role, organisation, coach id and live sessions (expired ones are ended first)."""
    from app.auth import default_store

    store = default_store()
    store.end_expired()
    open_by_user: dict[str, int] = {}
    for s in store.sessions(live_only=True):
        open_by_user[s.username] = open_by_user.get(s.username, 0) + 1
    typer.echo(f"{'user':<16} {'role':<13} {'organisation':<30} {'coach id':<14} {'state':<9} sessions")
    for a in store.list_users():
        state = "disabled" if a.disabled else ("demo" if a.demo else "active")
        typer.echo(f"{a.username:<16} {a.role.value:<13} {a.organisation[:30]:<30} {a.professional_id or '-':<14} "
                   f"{state:<9} {open_by_user.get(a.username, 0)}")


@app.command("add")
@friendly
def add_cmd(
    username: str = typer.Argument(..., help="Lower-case user name."),
    role: str = typer.Option(..., help="coach, project_lead, policymaker, data_steward or admin."),
    organisation: str = typer.Option("Gemeente Enschede", help="The user's organisation."),
    professional_id: str = typer.Option(None, "--professional-id", help="For coaches: their Professional id."),
    email: str = typer.Option(None, help="E-mail for OpenID Connect sign-in (then no password is needed)."),
    password: bool = typer.Option(True, "--password/--no-password", help="Ask for a password (default)."),
) -> None:
    """Add an account (the password is asked twice and stored as an argon2id hash)."""
    from app.auth import default_store

    pw = typer.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    acc = default_store().add_user(username, role, organisation=organisation, password=pw,
                                   professional_id=professional_id, email=email)
    _audit("user_add", acc.username, f"role={acc.role}")
    typer.echo(f"Added {acc.username} ({acc.role}).")


@app.command("disable")
@friendly
def disable_cmd(username: str = typer.Argument(...)) -> None:
    """Disable an account and end all its sessions at once."""
    from app.auth import default_store

    store = default_store()
    store.set_disabled(username, True)
    _audit("user_disable", username)
    typer.echo(f"Disabled {username}; all its sessions have ended.")


@app.command("enable")
@friendly
def enable_cmd(username: str = typer.Argument(...)) -> None:
    """Enable a disabled account (old sessions stay ended)."""
    from app.auth import default_store

    default_store().set_disabled(username, False)
    _audit("user_enable", username)
    typer.echo(f"Enabled {username}.")


@app.command("revoke")
@friendly
def revoke_cmd(username: str = typer.Argument(...)) -> None:
    """End every open session of a user (they must sign in again)."""
    from app.auth import default_store

    store = default_store()
    if store.get(username) is None:
        raise WijknetError(f"There is no account {username!r}; `wijknet users list` shows them.")
    n = store.revoke_sessions(username, "revoked by admin")
    _audit("session_revoke", username, f"{n} sessions")
    typer.echo(f"Ended {n} sessions of {username}.")


@app.command("demo")
@friendly
def demo_cmd() -> None:
    """Create the demo accounts (coach1.. for the coaches in the database) and print their password."""
    from app.auth import default_store, demo_password_path, ensure_demo_users
    from graph.db import connect
    from graph.settings import load_settings
    from queries.people import coach_ids

    s = load_settings()
    if not s.demo_users:
        raise WijknetError("WIJKNET_DEMO_USERS is 0: demo accounts are switched off.")
    db = connect(start=False)
    try:
        db.verify()
        coaches = coach_ids(db)
    finally:
        db.close()
    password, created = ensure_demo_users(default_store(), coaches, demo_password_path(s.state_dir))
    names = [a.username for a in default_store().list_users() if a.demo]
    typer.echo(f"Demo users: {', '.join(names)}")
    typer.echo(f"Demo password: {password}  (also in {demo_password_path(s.state_dir)}, mode 0600)")
    if created:
        typer.echo(f"Created now: {', '.join(created)}", err=True)
