"""``wijknet caseload assign|move|end|list``: the coaches' caseloads from the command line (a coach who leaves:
``wijknet caseload move --from coach1 --to coach2 --date …`` moves every household they hold).

Every command acts as an identified account (``--as`` or ``WIJKNET_CLI_ACCOUNT``, :mod:`app.identity`) whose role
may do the intake (project lead or admin) and goes through the same audited functions as the page
*Aanmeldingen en caseload* (:mod:`ingest.intake`, :mod:`queries.intake`). A coach is named by their professional
id or by their account (``coach1``); dates as ``dd-mm-jjjj`` or ``YYYY-MM-DD``. Errors are one sentence and exit
status 1, as in every ``wijknet`` command.
"""

from __future__ import annotations

from datetime import date

import typer

from app.cli import friendly_in_language
from app.identity import ACCOUNT_HELP, cli_read_session, cli_write_session
from graph.clock import today as dutch_today
from graph.errors import InvalidFields

__all__ = ["HELP", "NAME", "app", "cli_date", "coach_id", "coach_named", "count_households"]

NAME = "caseload"
HELP = "The coaches' caseloads: assign a household, move households to another coach, end an assignment, list."

app = typer.Typer(help=HELP, no_args_is_help=True)


def cli_date(text: str | None, option: str) -> date:
    """A date typed on the command line (``dd-mm-jjjj`` or ``YYYY-MM-DD``; none: today)."""
    from app.dates import parse_typed_date

    if text is None:
        return dutch_today()
    try:
        return parse_typed_date(text)
    except ValueError:
        raise InvalidFields({option: f"{text!r} is geen datum; schrijf dd-mm-jjjj of JJJJ-MM-DD."}) from None


def coach_id(text: str) -> str:
    """A coach as typed: a coach account (``coach1``) stands for its professional id; anything else is the id."""
    from app.auth import default_store

    name = text.strip()
    account = default_store().get(name.lower()) if name else None
    return account.professional_id if account is not None and account.professional_id else name


def coach_named(text: str) -> str:
    """A coach as the person typed them, with the professional id when that differs (``coach1 (PRO-…)``)."""
    pid = coach_id(text)
    return pid if pid == text.strip() else f"{text.strip()} ({pid})"


def count_households(n: int) -> str:
    """``1 huishouden``, ``3 huishoudens``."""
    return f"{n} huishouden" if n == 1 else f"{n} huishoudens"


_AS = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP)


@app.command("assign")
@friendly_in_language
def assign_cmd(
    household: str = typer.Argument(..., help="The household (pseudonym, e.g. HH-00012)."),
    coach: str = typer.Argument(..., help="The wijkcoach (professional id or coach account)."),
    on: str = typer.Option(None, "--date", help="First day with this coach (default today)."),
    account: str = _AS,
) -> None:
    """Assign a household to a wijkcoach from --date; another coach who holds it then is moved off it (their
    assignment ends the day before)."""
    from ingest.intake import assign_household

    day = cli_date(on, "--date")
    db, audit, actor = cli_write_session(account, "caseload_assign")
    try:
        hh = assign_household(db, audit, actor, coach_id(coach), day, household_id=household)
    finally:
        db.close()
    typer.echo(f"{hh} is vanaf {day:%d-%m-%Y} in de caseload van {coach_named(coach)}.")


@app.command("move")
@friendly_in_language
def move_cmd(
    from_coach: str = typer.Option(..., "--from", help="The coach the households leave (id or account)."),
    to_coach: str = typer.Option(..., "--to", help="The coach who takes them (id or account)."),
    on: str = typer.Option(None, "--date", help="First day with the new coach (default today)."),
    households: list[str] = typer.Option(None, "--household", help="Only this household (repeatable); "
                                         "without it: every household the coach holds on --date."),
    account: str = _AS,
) -> None:
    """Move households from one coach to another on --date (history kept: the old assignment ends the day
    before). Without --household every household of --from moves, for a coach who leaves."""
    from ingest.intake import move_caseload

    day = cli_date(on, "--date")
    db, audit, actor = cli_write_session(account, "caseload_move")
    try:
        r = move_caseload(db, audit, actor, coach_id(from_coach), coach_id(to_coach), day,
                          household_ids=list(households) if households else None)
    finally:
        db.close()
    typer.echo(f"{count_households(len(r.moved))} verplaatst van {coach_named(from_coach)} naar "
               f"{coach_named(to_coach)} per {day:%d-%m-%Y}" + (f"; niet verplaatst: {', '.join(r.not_moved)}" if r.not_moved else "")
               + ".")


@app.command("end")
@friendly_in_language
def end_cmd(
    household: str = typer.Argument(..., help="The household (pseudonym)."),
    on: str = typer.Option(None, "--date", help="Last day of the assignment (default today)."),
    coach: str = typer.Option(None, "--coach", help="Only this coach's assignment (id or account)."),
    account: str = _AS,
) -> None:
    """End a household's caseload assignment on --date (its last day; kept as history)."""
    from ingest.intake import end_caseload

    day = cli_date(on, "--date")
    db, audit, actor = cli_write_session(account, "caseload_end")
    try:
        ended = end_caseload(db, audit, actor, household, day, coach_id=coach_id(coach) if coach else None)
    finally:
        db.close()
    if not ended:
        raise InvalidFields({"huishouden": f"{household} heeft op {day:%d-%m-%Y} geen lopende toewijzing."})
    typer.echo(f"De toewijzing van {household} bij {', '.join(ended)} eindigt op {day:%d-%m-%Y}.")


@app.command("list")
@friendly_in_language
def list_cmd(
    on: str = typer.Option(None, "--date", help="The day (default today)."),
    households: bool = typer.Option(False, "--households", help="Also the households by pseudonym (project "
                                    "lead only)."),
    account: str = _AS,
) -> None:
    """How many households each wijkcoach holds on --date (with --households: which, by pseudonym)."""
    from queries.intake import caseload_counts
    from queries.people import caseload_per_coach

    day = cli_date(on, "--date")
    db, audit, actor = cli_read_session(account, "view_caseload_per_coach" if households else "view_caseload_counts")
    try:
        if households:
            for c in caseload_per_coach(db, audit, actor, today=day):
                typer.echo(f"{c.professional_id}\t{c.coach}\t{c.count}\t{' '.join(c.households)}")
        else:
            for n in caseload_counts(db, audit, actor, today=day):
                typer.echo(f"{n.professional_id}\t{n.coach}\t{n.households}")
    finally:
        db.close()
