"""``wijknet intake add|list|assign|close``: the project lead's intake of signals from the command line, through
the same audited functions as the page *Aanmeldingen en caseload* (:mod:`ingest.intake`, :mod:`queries.intake`),
as an account whose role may do it (``--as`` or ``WIJKNET_CLI_ACCOUNT``: project lead or admin)."""

from __future__ import annotations

import typer

from app.cli import friendly_in_language
from app.commands.caseload import cli_date, coach_id, coach_named
from app.identity import ACCOUNT_HELP, cli_read_session, cli_write_session

__all__ = ["HELP", "NAME", "app"]

NAME = "intake"
HELP = "The project lead's intake: register a signal, list open signals and intakes, assign, close."

app = typer.Typer(help=HELP, no_args_is_help=True)

_AS = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP)


@app.command("add")
@friendly_in_language
def add_cmd(
    channel: str = typer.Option(..., "--channel", help="Who brought it: zelf, bewoner, buur or partner."),
    on: str = typer.Option(None, "--date", help="Date of the signal (default today)."),
    area: str = typer.Option(None, "--area", help="The area code (may be left out with --household)."),
    household: str = typer.Option(None, "--household", help="The household (pseudonym), when known."),
    account: str = _AS,
) -> None:
    """Register a signal (date, channel, area, household when known); prints its id."""
    from ingest.intake import register_signal

    day = cli_date(on, "--date")
    db, audit, actor = cli_write_session(account, "signal_register")
    try:
        sid = register_signal(db, audit, actor, signal_date=day, channel=channel, area_code=area,
                              household_id=household)
    finally:
        db.close()
    typer.echo(sid)


@app.command("list")
@friendly_in_language
def list_cmd(
    on: str = typer.Option(None, "--date", help="The day (default today)."),
    days: int = typer.Option(365, "--days", help="How far back open signals are listed."),
    account: str = _AS,
) -> None:
    """Open signals (not yet anyone's case) and open intakes, tab-separated (project lead only)."""
    from queries.intake import open_intakes, open_signals

    day = cli_date(on, "--date")
    db, audit, actor = cli_read_session(account, "view_intake_signals")
    try:
        signals = open_signals(db, audit, actor, today=day, days=days)
        intakes = open_intakes(db, audit, actor, today=day)
    finally:
        db.close()
    for s in signals:
        typer.echo("\t".join(["signaal", s.signal_id, f"{s.signal_date:%d-%m-%Y}", s.channel, s.area_code or "",
                              s.household_id or "", s.coach_id or ""]))
    for i in intakes:
        typer.echo("\t".join(["intake", i.signal_id, f"{i.signal_date:%d-%m-%Y}", i.channel, i.area_code or "",
                              i.household_id or "", i.coach_id or "", i.status]))


@app.command("assign")
@friendly_in_language
def assign_cmd(
    signal: str = typer.Argument(..., help="The signal (SIG-…)."),
    coach: str = typer.Argument(..., help="The wijkcoach (professional id or coach account)."),
    on: str = typer.Option(None, "--date", help="First day with this coach (default today)."),
    household: str = typer.Option(None, "--household", help="The household, when the signal does not name it."),
    account: str = _AS,
) -> None:
    """Assign the signal's household to a wijkcoach from --date (the intake is then 'toegewezen'; a coach who
    held the household is moved off it the day before)."""
    from ingest.intake import assign_household

    day = cli_date(on, "--date")
    db, audit, actor = cli_write_session(account, "caseload_assign")
    try:
        hh = assign_household(db, audit, actor, coach_id(coach), day, household_id=household, signal_id=signal)
    finally:
        db.close()
    typer.echo(f"{hh} is vanaf {day:%d-%m-%Y} in de caseload van {coach_named(coach)}.")


@app.command("close")
@friendly_in_language
def close_cmd(
    signal: str = typer.Argument(..., help="The signal (SIG-…)."),
    reason: str = typer.Option(..., "--reason", help="Why it is closed (no names, no BSN)."),
    on: str = typer.Option(None, "--date", help="Date of closing (default today)."),
    keep_caseload: bool = typer.Option(False, "--keep-caseload", help="Do not end the household's caseload "
                                       "assignment."),
    account: str = _AS,
) -> None:
    """Close the intake (or a signal without one) with a reason; the household's caseload assignment ends that
    day unless --keep-caseload."""
    from ingest.intake import close_intake

    day = cli_date(on, "--date")
    db, audit, actor = cli_write_session(account, "intake_close")
    try:
        ended = close_intake(db, audit, actor, signal, reason, on=day, end_caseload=not keep_caseload)
    finally:
        db.close()
    typer.echo(f"{signal} gesloten per {day:%d-%m-%Y}" + (f"; {ended} toewijzing beëindigd" if ended else "") + ".")
