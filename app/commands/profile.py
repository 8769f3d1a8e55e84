"""``wijknet profile show|check|apply``: the deployment profile (see :mod:`graph.profile`).

``apply`` loads the profile's areas and organisations (with their aliases) through the same audited ingest as
a file, as ``--as ACCOUNT`` (:mod:`ingest.profile`; the *Load data* page offers the same).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from app.cli import friendly
from app.identity import ACCOUNT_HELP
from graph.errors import WijknetError

__all__ = ["HELP", "NAME", "app"]

NAME = "profile"
HELP = "The deployment profile: the generalist role, areas, local organisations, extra code values."

app = typer.Typer(help=HELP, no_args_is_help=True)


def _load(file: Path | None) -> Any:
    from graph.profile import active_profile, load_profile

    return load_profile(file) if file is not None else active_profile()


def _summary(p: Any) -> str:
    g = p.generalist
    lines = [f"Profile {p.key} ({p.path}): {p.municipality}, {p.model}.",
             f"  Generalist: {g.title} (plural {g.plural}; team {g.team}); "
             f"{'holds mandates from the partners' if g.holds_mandates else 'holds no formal mandates'}; "
             f"caseload {g.caseload_min}–{g.caseload_max} households per {g.title}.",
             f"  Areas: {', '.join(f'{a.code} {a.name} ({a.kind})' for a in p.areas) or 'none'}.",
             f"  Organisations: {len(p.organisations)}, with {sum(len(o.aliases) for o in p.organisations)} "
             "aliases."]
    for name, codes in sorted(p.extra_codes.items()):
        lines.append(f"  Extra values of {name}: {', '.join(f'{c.value} ({c.nl})' for c in codes)}.")
    return "\n".join(lines)


@app.command("show")
@friendly
def show() -> None:
    """Show the active profile (WIJKNET_PROFILE)."""
    typer.echo(_summary(_load(None)))


@app.command("check")
@friendly
def check(file: Path = typer.Argument(None, help="A profile file (.toml); default: the active profile.")) -> None:
    """Validate a profile: exit 0 and its summary, or one sentence naming the entry, the value and the reason."""
    p = _load(file)
    typer.echo(_summary(p))
    typer.echo("The profile is valid.", err=True)


@app.command("apply")
@friendly
def apply(
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate only; write nothing."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """Load the active profile's areas and organisations (with aliases) through the audited ingest."""
    from app.commands.ingest import exit_status
    from app.identity import cli_write_actor
    from graph.db import connect
    from graph.schema import apply_schema
    from ingest.pipeline import IngestContext
    from ingest.profile import apply_profile
    from queries.audit import default_audit_log

    p = _load(None)
    audit = default_audit_log()
    actor = cli_write_actor(account, "ingest_validate" if dry_run else "ingest_load", audit)
    db = connect()
    try:
        apply_schema(db)
        reports = apply_profile(IngestContext.from_settings(db, workers=1), audit, actor, p, dry_run=dry_run)
        for report in reports:
            typer.echo(report.to_text())
        if not dry_run:
            from queries.aggregates import ready_after_load

            typer.echo(ready_after_load(db), err=True)
    finally:
        db.close()
    if not reports:
        raise WijknetError(f"Profile {p.key} declares no areas and no organisations; nothing to load.")
    code = exit_status(reports)
    if code:
        raise typer.Exit(code)
