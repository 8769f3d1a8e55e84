"""``wijknet profile show|check|apply``: the deployment profile (see :mod:`graph.profile`).

``apply`` loads the profile's areas and organisations (with their aliases) through the same audited ingest as
a file: it writes them as the exports the shipped mappings ``gebieden`` and ``organisaties`` read, into a
private temporary directory, and ingests those as ``--as ACCOUNT``. So the profile's reference data gets the
same validation, the same ledger ("already imported" on a re-run) and the same audit records as any export.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import typer

from app.cli import friendly
from app.identity import ACCOUNT_HELP
from graph.errors import WijknetError

__all__ = ["HELP", "NAME", "app", "profile_exports"]

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


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """An ingest *input* in a private temporary directory, read back at once by ingest and never opened in a
    spreadsheet: written as it is (the ingest checks every cell, formula-like ones included)."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(header)
        out.writerows(rows)


def profile_exports(p: Any, folder: Path) -> list[tuple[str, Path]]:
    """Write the profile's areas and organisations as the exports of the shipped mappings; return
    ``(mapping name, file)`` pairs in load order (areas first)."""
    out: list[tuple[str, Path]] = []
    if p.areas:
        path = folder / f"gebieden-{p.key}.csv"
        _write(path, ["code", "naam", "soort", "gemeente"], [[a.code, a.name, a.kind, p.municipality] for a in p.areas])
        out.append(("gebieden", path))
    if p.organisations:
        path = folder / f"organisaties-{p.key}.csv"
        _write(path, ["code", "naam", "sector", "groep", "mandaat_verleend", "aliassen"],
               [[o.id, o.name, o.sector, o.covenant_group, "ja" if o.mandating else "nee", "|".join(o.aliases)]
                for o in p.organisations])
        out.append(("organisaties", path))
    return out


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
    from graph.settings import PROJECT_ROOT
    from ingest.mapping import load_mapping
    from ingest.pipeline import IngestContext, ingest_file
    from queries.audit import default_audit_log

    p = _load(None)
    audit = default_audit_log()
    actor = cli_write_actor(account, "ingest_validate" if dry_run else "ingest_load", audit)
    db = connect()
    reports = []
    try:
        apply_schema(db)
        ctx = IngestContext.from_settings(db, workers=1)
        with tempfile.TemporaryDirectory(prefix="wijknet-profile-") as tmp:
            for mapping_name, path in profile_exports(p, Path(tmp)):
                mapping = load_mapping(PROJECT_ROOT / "mappings" / f"{mapping_name}.yaml")
                report = ingest_file(ctx, audit, actor, mapping, path, dry_run=dry_run)
                reports.append(report)
                typer.echo(report.to_text())
        if not dry_run:
            from queries import snapshot

            typer.echo(snapshot.ensure(db), err=True)
    finally:
        db.close()
    if not reports:
        raise WijknetError(f"Profile {p.key} declares no areas and no organisations; nothing to load.")
    code = exit_status(reports)
    if code:
        raise typer.Exit(code)
