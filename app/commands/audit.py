"""``wijknet audit who-saw <household>``, ``wijknet audit review``, ``wijknet audit verify``."""

from __future__ import annotations

import json

import typer

from app.cli import friendly
from graph.errors import WijknetError

__all__ = ["HELP", "NAME", "app"]

NAME = "audit"
HELP = "Read the audit log: who saw a household, flagged access, and whether the log is intact."

app = typer.Typer(help=HELP, no_args_is_help=True)


def _log_and_actor():  # type: ignore[no-untyped-def]
    from app.auth import cli_actor
    from queries.audit import default_audit_log

    return default_audit_log(), cli_actor()


@app.command("who-saw")
@friendly
def who_saw_cmd(
    target: str = typer.Argument(..., help="Household id (or another audit target, e.g. an erasure reference)."),
    names: bool = typer.Option(False, "--names", help="Also show staff user names (only when the data subject "
                               "needs them to exercise their rights)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Who looked at this household, when and for what purpose (oldest first)."""
    from queries.access import audit_action
    from queries.audit_review import who_saw

    log, actor = _log_and_actor()
    audit_action(log, actor, "audit_who_saw", target=target, purpose="data_subject_request")
    rows = who_saw(log.records(target=target), target, with_names=names)
    rows = [r for r in rows if r["action"] != "audit_who_saw"]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    if not rows:
        typer.echo(f"Nobody has looked at {target}.")
        return
    cols = list(rows[0])
    typer.echo("  ".join(cols))
    for r in rows:
        typer.echo("  ".join(r[c] or "-" for c in cols))


@app.command("review")
@friendly
def review_cmd(
    threshold: int = typer.Option(3, help="Flag a user refused this many distinct households outside their "
                                  "caseload."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Flag unusual access: outside office hours (19–06 and weekends, Dutch time), many households outside
    the caseload, searches by name + birth date, repeated failed sign-ins. The review itself is logged."""
    from dataclasses import asdict

    from queries.access import audit_action
    from queries.audit_review import review

    log, actor = _log_and_actor()
    flags = review(log.records(), outside_caseload_threshold=threshold)
    audit_action(log, actor, "audit_review", purpose="log_review", detail=f"{len(flags)} flags")
    if as_json:
        typer.echo(json.dumps([asdict(f) for f in flags]))
        return
    if not flags:
        typer.echo("No unusual access found.")
        return
    for f in flags:
        typer.echo(f"{f.at}  {f.rule:<22} {f.user:<20} {f.detail}")
    typer.echo(f"{len(flags)} flags.", err=True)


@app.command("verify")
@friendly
def verify_cmd() -> None:
    """Check the hash chain; exit 1 when a record was edited, removed or cut off."""
    log, _ = _log_and_actor()
    broken = log.verify()
    if broken is not None:
        raise WijknetError(f"The audit log {log.path} was altered at or before record {broken}: treat it as a "
                           "security incident.")
    seq, head = log.head()
    typer.echo(f"The audit log is intact: {seq} records, head {head}.")
