"""``wijknet ingest <mapping> <file>… [--dry-run] --as ACCOUNT`` and ``wijknet ingest review list|accept|reject``.

Every command here that writes acts as an identified account (``--as`` or ``WIJKNET_CLI_ACCOUNT``, see
:mod:`app.identity`) and goes through the audited write entry (:mod:`ingest.entry`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import typer
from typer.core import TyperGroup

from app.cli import friendly
from app.identity import ACCOUNT_HELP
from graph.errors import WijknetError

__all__ = ["EXIT_FILE_REJECTED", "EXIT_OK", "EXIT_ROWS_REJECTED", "HELP", "NAME", "app", "exit_status"]

NAME = "ingest"
HELP = "Load source exports with a mapping file (validate first; --dry-run only reports)."


class _DefaultToLoad(TyperGroup):
    """``wijknet ingest <mapping> <file>`` means ``wijknet ingest load <mapping> <file>``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["load", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(help=HELP, no_args_is_help=True, cls=_DefaultToLoad)
review_app = typer.Typer(help="Possible duplicate persons (same name + birth date, no shared BSN).",
                         no_args_is_help=True)
app.add_typer(review_app, name="review")


def _echo(msg: str) -> None:
    typer.echo(msg, err=True)


def _context(db: Any, as_of: Any = None, workers: int | None = None, end_most: bool = False) -> Any:
    from ingest.pipeline import IngestContext

    return IngestContext.from_settings(db, as_of=as_of, workers=workers, end_most=end_most)


def _as_of(text: str | None) -> Any:
    from app.commands import option_date

    return option_date(text, "--as-of")


#: Exit statuses of ``wijknet ingest <mapping> <file>…`` (documented in docs/ingest.md and ``--help``).
EXIT_OK = 0
EXIT_FILE_REJECTED = 1
EXIT_ROWS_REJECTED = 3

LOAD_HELP = (
    "Validate each file completely, then load it (or, by the mapping's policy, only its valid rows), as an "
    "account whose role may load data; every file is audited before it is read.\n\n"
    "The report of each file goes to stdout (with --json: one JSON document for all files), progress and notices "
    "to stderr.\n\n"
    "Exit status: 0 every row loaded (with --dry-run: valid), or the file was imported before; 3 rows were rejected but the valid ones were loaded "
    "(with --dry-run: some rows would be rejected); 1 a file was rejected as a whole or nothing could be written; "
    "2 a usage error (an unknown option, a missing argument)."
)


def exit_status(reports: list[Any]) -> int:
    """The command's exit status for the reports of its files (see :data:`LOAD_HELP`)."""
    code = EXIT_OK
    for r in reports:
        if r.status == "already_imported":
            continue  # nothing happened now; its numbers are the first import's, not new rejections
        usable = r.rows_valid if r.status == "validated" else r.rows_loaded
        if not r.ok or (r.rows_rejected and not usable):
            return EXIT_FILE_REJECTED
        if r.rows_rejected:
            code = EXIT_ROWS_REJECTED
    return code


@app.command("load", help=LOAD_HELP)
@friendly
def load(
    mapping: str = typer.Argument(..., help="Mapping file (YAML), or the name of a shipped or kept mapping "
                                  "(e.g. gebieden), see docs/ingest.md."),
    files: list[Path] = typer.Argument(..., help="Export files (CSV or XLSX)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report only; write nothing."),
    report_dir: Path = typer.Option(None, "--report-dir", help="Write .report.txt/.csv/.json (and rejects) here."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document with every file's report (summary "
                                 "and problems) on stdout instead of the text reports."),
    as_of: str = typer.Option(None, "--as-of", help="The export's date (dd-mm-yyyy or yyyy-mm-dd, default today): with "
                              "on_missing: end, rows missing since the previous import end on it."),
    workers: int = typer.Option(0, "--workers", min=0, help="Processes that check and pseudonymise the rows "
                                "(0: one per core for files of 2 MB or more; 1: all in this process)."),
    end_most: bool = typer.Option(False, "--end-most", help="With on_missing: end, also end the missing rows when "
                                  "they are more than half of the previous import's (else such a file is refused as "
                                  "a probably failed or partial export)."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    import json

    from app.identity import cli_write_actor
    from graph.db import connect
    from graph.schema import apply_schema
    from graph.settings import load_settings
    from ingest.kept_mappings import find_mapping
    from ingest.mapping import load_mapping
    from ingest.pipeline import ingest_file
    from queries.audit import default_audit_log

    audit = default_audit_log()
    actor = cli_write_actor(account, "ingest_validate" if dry_run else "ingest_load", audit)
    m = load_mapping(find_mapping(mapping, load_settings().state_dir / "mappings"))
    export_date = _as_of(as_of)
    db = connect()
    reports = []
    try:
        apply_schema(db)
        ctx = _context(db, export_date, workers or None, end_most)
        for f in files:
            with typer.progressbar(length=1, label=f"{f.name}: validating", file=sys.stderr) as bar:
                def progress(done: int, total: int, bar: Any = bar, name: str = f.name) -> None:
                    bar.length = max(total, 1)
                    bar.label = f"{name}: loading"
                    bar.update(done - bar.pos)

                report = ingest_file(ctx, audit, actor, m, f, dry_run=dry_run, report_dir=report_dir,
                                     progress=progress)
            reports.append(report)
            if not as_json:
                typer.echo(report.to_text())
        if not dry_run:
            from queries.aggregates import ready_after_load

            _echo(ready_after_load(db))
    finally:
        db.close()
    code = exit_status(reports)
    if as_json:
        typer.echo(json.dumps({"exit_status": code, "reports": [json.loads(r.to_json()) for r in reports]},
                              default=str, ensure_ascii=False, indent=2))
    if code == EXIT_FILE_REJECTED:
        _echo("Error: at least one file was rejected or had no valid row; nothing of it was written "
              "(see its report).")
    elif code == EXIT_ROWS_REJECTED:
        _echo(f"Rows were rejected ({'they would not be loaded' if dry_run else 'the valid rows were loaded'}; "
              f"see the report): exit status {EXIT_ROWS_REJECTED}."
              + ("" if report_dir is not None or as_json else " With --report-dir DIR every rejected row is also "
                 "written to a file there (<file>.rejects.csv, the report as .txt, .csv and .json)."))
    if code:
        raise typer.Exit(code)


@app.command("mappings")
@friendly
def mappings(
    files: list[Path] = typer.Argument(None, help="Export files (CSV or XLSX): say which mappings read each."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """List the mappings (shipped and kept) by the name 'wijknet ingest load' takes; with export files, say which mappings find all their required columns in each file's header (only the header is read; audited as --as)."""  # noqa: E501
    from graph.settings import load_settings
    from ingest.kept_mappings import kept_mappings, known_mappings
    from ingest.readers import CLI_LIMITS, FileProblem

    kept_dir = load_settings().state_dir / "mappings"
    if not files:
        known = known_mappings(kept_dir)
        wide = (max(len(m.name) for m in known), max(len(m.kind.name) for m in known))
        for m in known:
            typer.echo(f"{m.name:<{wide[0]}}  {m.kind.name:<{wide[1]}}  {m.description or ''}".rstrip())
        for sentence in kept_mappings(kept_dir)[1]:
            _echo(sentence)
        return
    from app.identity import cli_write_actor
    from graph.said import message_of
    from ingest.source import mappings_for_file
    from queries.access import audit_action
    from queries.audit import default_audit_log

    audit = default_audit_log()
    actor = cli_write_actor(account, "ingest_validate", audit, target="mappings")
    known = known_mappings(kept_dir)
    code = 0
    for f in files:
        # who looked at which file, before its header is read (as the Load data page does)
        audit_action(audit, actor, "mapping_find", purpose="data_loading", detail=f"file={f.name}")
        try:
            fits = mappings_for_file(f, known, CLI_LIMITS)
        except FileProblem as exc:
            _echo(f"{f}: {message_of(exc)}")
            code = EXIT_FILE_REJECTED
            continue
        if fits:
            typer.echo(f"{f}: " + "; ".join(f"{m.name} ({m.description or m.kind.name})" for m in fits))
        else:
            typer.echo(f"{f}: no mapping reads its columns (write one: docs/ingest.md)")
            code = EXIT_FILE_REJECTED
    if code:
        raise typer.Exit(code)


def _store() -> Any:
    from graph.settings import load_settings
    from ingest.resolve import StateStore

    return StateStore(load_settings().state_dir / "ingest.sqlite")


@review_app.command("list")
@friendly
def review_list(status: str = typer.Option("open", help="open, accepted, rejected or all."),
                account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP)) -> None:
    """List possible duplicates (pseudonymous person ids only), as an account that may decide them (audited)."""
    from app.identity import cli_write_actor
    from queries.access import audit_action
    from queries.audit import default_audit_log

    audit = default_audit_log()
    # who may decide a pair may list the pairs; the look is audited before anything is read
    actor = cli_write_actor(account, "merge_accept", audit, target="review-list")
    audit_action(audit, actor, "merge_review_list", purpose="duplicate_review", detail=f"status={status}")
    store = _store()
    items = store.review_items(None if status == "all" else status)
    merged = {m[2]: m for m in store.merges()}
    if not items:
        _echo(f"No {status} review items.")
    for i in items:
        m = merged.get(i.id)
        typer.echo(f"{i.id:>5}  {i.person_a}  {i.person_b}  {i.reason}  [{i.status}]"
                   + (f" by {i.decided_by} at {i.decided_at}" if i.decided_by else "")
                   + (f"; {m[0]} merged into {m[1]}" if m else ""))


@review_app.command("accept")
@friendly
def review_accept(item: int,
                  account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP)) -> None:
    """Accept: the two persons are the same person; they are merged into one Person in the graph."""
    from app.identity import cli_write_actor
    from graph.db import connect
    from ingest.merge import accept
    from queries.audit import default_audit_log

    audit = default_audit_log()
    actor = cli_write_actor(account, "merge_accept", audit, target=f"review-{item}")
    db = connect()
    try:
        result = accept(db, audit, actor, _store(), item)
    except KeyError:
        raise WijknetError(f"Review item {item} does not exist or was already decided.") from None
    finally:
        db.close()
    _echo(f"Review item {item}: accepted. {result.summary()}")


@review_app.command("reject")
@friendly
def review_reject(item: int,
                  account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP)) -> None:
    """Reject: the two persons are different people (the pair is not proposed again)."""
    from app.identity import cli_write_actor
    from ingest.merge import reject
    from queries.audit import default_audit_log

    audit = default_audit_log()
    actor = cli_write_actor(account, "merge_reject", audit, target=f"review-{item}")
    try:
        done = reject(audit, actor, _store(), item)
    except KeyError:
        raise WijknetError(f"Review item {item} does not exist or was already decided.") from None
    _echo(f"Review item {done.id}: {done.status}.")
