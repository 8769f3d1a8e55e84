"""``wijknet audit who-saw <household>``, ``review``, ``verify``, ``checkpoint``, ``cut`` and ``seal``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from app.cli import friendly
from app.identity import ACCOUNT_HELP
from graph.errors import WijknetError

__all__ = ["HELP", "NAME", "app"]

NAME = "audit"
HELP = ("Read the audit log: who saw a household, flagged access, whether the log is intact; anchor it with "
        "signed checkpoints; remove old records by a recorded cut; seal a log written before the keyed chain.")

app = typer.Typer(help=HELP, no_args_is_help=True)


def _log_and_actor():  # type: ignore[no-untyped-def]
    from app.auth import cli_actor
    from queries.audit import default_audit_log

    return default_audit_log(), cli_actor()


def _household_known(household_id: str) -> bool | None:
    """Whether the graph holds this household (``None``: the database cannot be reached; the log answers alone)."""
    from graph.db import connect
    from queries.people import household_known

    try:
        db = connect(start=False)
    except Exception:  # noqa: BLE001 - the answer from the log stands; only the check of the id is missing
        return None
    try:
        return household_known(db, household_id)
    except Exception:  # noqa: BLE001 - as above
        return None
    finally:
        db.close()


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
        typer.echo(f"Nobody has looked at {target}." if _household_known(target) is not False else
                   f"Nobody has looked at {target}, and no household has this id in the data: check the id "
                   "(capitals, digits, dashes). An erased household is only in the audit log.")
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


def _graph() -> object | None:
    """The graph when it is reachable (never starts a server), else ``None``."""
    from graph.db import connect

    try:
        db = connect(start=False)
        db.verify()
    except WijknetError:
        return None
    return db


@app.command("verify")
@friendly
def verify_cmd(
    checkpoint: list[Path] = typer.Option([], "--checkpoint", help="A checkpoint file shipped off this host "
                                          "(every line is compared); may be given more than once."),
    public_key: Path = typer.Option(None, "--public-key", help="File with the signing public key (64 hex digits, "
                                    "as `wijknet audit checkpoint` prints it). Default: this host's key."),
    graph: bool = typer.Option(True, "--graph/--no-graph", help="Also compare with the latest checkpoint in the "
                               "graph when the database is reachable."),
) -> None:
    """Check the keyed chain, the head file and every checkpoint (the given files, the local checkpoint file,
    the graph) and that each file's go forward; exit 1 with one sentence per finding: a cut-off tail, a record missing from the middle,
    a rewritten record, an emptied or dropped table, a replaced file, a forged checkpoint."""
    from graph.db import Database
    from graph.settings import load_settings
    from queries.audit_checkpoint import Checkpoint, checkpoints_in, graph_checkpoints
    from queries.audit_keys import load_public_key

    log, _ = _log_and_actor()
    settings = load_settings()
    given: list[tuple[str, Checkpoint]] = []  # every line of every file: each is compared, and their order
    for path in checkpoint:
        if not path.exists():
            raise WijknetError(f"The checkpoint file {path} does not exist.")
        lines = checkpoints_in(path)
        if not lines:
            raise WijknetError(f"The checkpoint file {path} holds no checkpoint.")
        given.extend((f"the checkpoint file {path}", cp) for cp in lines)
    local = settings.audit_checkpoint_file
    if all(path.resolve() != local.resolve() for path in checkpoint):
        given.extend((f"the local checkpoint file {local}", cp) for cp in checkpoints_in(local))
    notes = []
    if graph:
        db = _graph()
        if isinstance(db, Database):
            try:
                given.extend(("the graph", cp) for cp in graph_checkpoints(db))
            finally:
                db.close()
        else:
            notes.append("The graph is not reachable: its checkpoint was not compared.")
    key = load_public_key(public_key.read_text()) if public_key is not None else None
    result = log.check(given, public_key=key)
    if not result.intact:
        for line in result.summary():
            typer.secho(line, err=True, fg=typer.colors.RED)
        raise WijknetError(f"The audit log {log.path} was tampered with ({len(result.findings)} findings above): "
                           "treat it as a security incident.")
    for line in result.summary() + notes:
        typer.echo(line)


@app.command("checkpoint")
@friendly
def checkpoint_cmd(
    graph: bool = typer.Option(True, "--graph/--no-graph", help="Also store it in the graph when the database "
                               "is reachable."),
    as_json: bool = typer.Option(False, "--json", help="Print the checkpoint (with the public key) as JSON."),
) -> None:
    """Write a signed checkpoint of the audit log now: to the checkpoint file (ship it off this host) and the
    graph. Prints it and the public key that verifies it."""
    from dataclasses import asdict

    from graph.db import Database
    from queries.access import audit_action
    from queries.audit_checkpoint import write_checkpoint_to_graph

    log, actor = _log_and_actor()
    audit_action(log, actor, "audit_checkpoint", purpose="log_integrity")
    cp = log.checkpoint()
    stored = [str(log.checkpoint_file)] if log.checkpoint_file is not None else []
    if graph:
        db = _graph()
        if isinstance(db, Database):
            try:
                write_checkpoint_to_graph(db, cp)
                stored.append("the graph")
            finally:
                db.close()
    public = log.keys.signer().public_key().public_bytes_raw().hex()
    if as_json:
        typer.echo(json.dumps(asdict(cp) | {"public_key": public, "stored_in": stored}))
        return
    typer.echo(cp.to_line())
    typer.echo(f"Checkpoint of record {cp.seq} ({cp.records} records) written to {' and '.join(stored) or 'nowhere'}.",
               err=True)
    typer.echo(f"Public key (keep it with the shipped checkpoints): {public}", err=True)


@app.command("public-key")
@friendly
def public_key_cmd() -> None:
    """Print the public key that verifies this host's checkpoints (64 hex digits): store it once with the
    shipped checkpoints and pass it to `wijknet audit verify --public-key`."""
    from queries.audit_keys import AuditKeys

    typer.echo(AuditKeys.from_settings().signer().public_key().public_bytes_raw().hex())


@app.command("cut")
@friendly
def cut_cmd(
    before: str = typer.Option(..., "--before", help="Remove the records made before this date (dd-mm-yyyy or yyyy-mm-dd, UTC)."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """Retention: remove old audit records by a recorded cut — a keyed record naming the last removed record —
    so `wijknet audit verify` can tell it from a silent delete, as an admin account; audited before and after
    (those records and the cut record stay). Writes a checkpoint after the cut."""
    from app.commands import option_date
    from app.identity import cli_write_actor
    from queries.audit import default_audit_log
    from queries.audit_retention import cut_audit_log

    day = option_date(before, "--before")
    if day is None:
        raise WijknetError("--before is empty: give a date, e.g. 01-01-2024.")
    log = default_audit_log()
    actor = cli_write_actor(account, "audit_cut", log)
    through, removed = cut_audit_log(log, actor, day)
    if not removed:
        typer.echo(f"No audit records before {day}: nothing removed.")
        return
    typer.echo(f"Cut the audit log: removed {removed} records (through record {through}) made before {day}; the "
               "cut is recorded in the log.")


@app.command("seal")
@friendly
def seal_cmd(
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """Seal an audit log written before the keyed chain, as an admin account: a keyed record names its records
    as kept without the key (`wijknet audit verify` then reports them as such), and the app writes to the log
    again. A log that lost its seal may have been rewritten: compare it with a checkpoint shipped off this host
    (`wijknet audit verify --checkpoint FILE`) first."""
    from app.identity import cli_write_actor
    from queries.audit import default_audit_log
    from queries.audit_seal import seal_audit_log

    log = default_audit_log()
    actor = cli_write_actor(account, "audit_seal", log)
    through = seal_audit_log(log, actor)
    if not through:
        typer.echo("The audit log needs no seal: every record in it is keyed or sealed already.")
        return
    typer.echo(f"Sealed the audit log: records through {through} were written before the keyed chain and are kept as "
               "they are, without the key (`wijknet audit verify` says so); every record from now on is keyed.")
