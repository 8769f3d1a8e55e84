"""``wijknet privacy retention``, ``wijknet privacy erase <person>`` and ``wijknet privacy erase-household
<household>`` (dry runs unless --yes), ``--as ACCOUNT``.

Each acts as an identified account (``--as`` or ``WIJKNET_CLI_ACCOUNT``, see :mod:`app.identity`) whose role may
do the write (``privacy_retention``, ``privacy_erase``, ``privacy_erase_household``: data steward or admin), dry
runs included.
"""

from __future__ import annotations

import re
from typing import Any

import typer

from app.cli import friendly
from app.commands import option_date
from app.identity import ACCOUNT_HELP, cli_write_session
from graph.clock import today as dutch_today
from graph.errors import WijknetError

__all__ = ["HELP", "NAME", "app"]

NAME = "privacy"
HELP = "Storage limitation and erasure requests: remove old involvement data, erase a person or a household."

app = typer.Typer(help=HELP, no_args_is_help=True)

_SPAN = re.compile(r"^(\d+)\s*([dwmy])$")


#: the longest period --older-than takes (longer is a typo: nothing would ever be removed, or the date overflows)
MAX_AGE_DAYS = 100 * 365


def parse_age(text: str | None, default_days: int) -> int:
    """``730d``, ``104w``, ``24m`` or ``2y`` → days. A bare number is refused: ``2`` meant as years would delete
    what ended two days ago."""
    if text is None:
        return default_days
    text = text.strip().lower()
    if text.isdigit():
        raise WijknetError(f"--older-than {text!r} has no unit: write {text}d for days or {text}y for years "
                           "(also w for weeks, m for months).")
    m = _SPAN.match(text)
    if not m:
        raise WijknetError(f"--older-than {text!r} is not a period; write e.g. 730d, 104w, 24m or 2y.")
    n, unit = int(m.group(1)), m.group(2)
    days = n * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]
    if not 1 <= days <= MAX_AGE_DAYS:
        raise WijknetError(f"--older-than {text!r} is not a retention period: give at least a day and at most "
                           "100 years.")
    return days


@app.command("retention")
@friendly
def retention_cmd(
    older_than: str = typer.Option(None, "--older-than", help="Remove what ended longer ago than this "
                                   "(e.g. 2y, 730d); default WIJKNET_RETENTION_DAYS."),
    as_of: str = typer.Option(None, "--as-of", help="Count from this date (dd-mm-yyyy or yyyy-mm-dd, not after "
                              "today) instead of today."),
    yes: bool = typer.Option(False, "--yes", help="Really delete (without it: only count)."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """Remove involvements, handovers, referrals and caseload assignments that ended before the cut-off, as an
    account whose role may (data steward or admin); audited before and after."""
    from graph.settings import load_settings
    from queries.privacy import retention, retention_cutoff

    days = parse_age(older_than, load_settings().retention_days)
    # a cut-off counted from a day to come would also remove what ended yesterday
    today = option_date(as_of, "--as-of", not_after=dutch_today())
    db, log, actor = cli_write_session(account, "privacy_retention")
    try:
        r = retention(db, log, actor, retention_cutoff(days, today), apply=yes)
    finally:
        db.close()
    verb = "Removed" if yes else "Would remove"
    typer.echo(f"{verb} what ended before {r.cutoff}: {r.involvements} involvements, {r.handovers} handovers, "
               f"{r.referrals} referrals, {r.caseload_assignments} caseload assignments, {r.fact_versions} earlier "
               f"versions, {r.signal_states} signal statuses."
               + ("" if yes else " Run again with --yes to delete."))


#: what an erasure request names a person by, besides the id: a BSN as people write it (dots, spaces)
_BSN_LIKE = re.compile(r"^[\d.\s]{8,13}$")
#: a Dutch address as people write it: 7551 AB 12, 7551ab 12-a, 7551 AB 12 A
_ADDRESS = re.compile(r"^\s*(\d{4}\s*[A-Za-z]{2})\s+(\d{1,5})(?:\s*[-\s]\s*|)([A-Za-z0-9]{0,6})\s*$")


def person_named(text: str) -> str:
    """The Person id an erasure request names: a BSN is pseudonymised with the key (as the ingest does), so the
    request's own identifier finds the person; anything else is the id (P-…)."""
    if not _BSN_LIKE.match(text) or sum(c.isdigit() for c in text) not in (8, 9):
        return text.strip()
    from graph.settings import load_settings
    from ingest.pseudonym import Pseudonymiser, bsn_problem

    why = bsn_problem(text)
    if why:
        raise WijknetError(f"This looks like a BSN but is not one ({why}): give a valid BSN or the person's id.")
    return Pseudonymiser.from_file(load_settings().secret_file).person_from_bsn(text)


def household_named(db: Any, text: str) -> str:
    """The Household id an erasure request names: its address (``7551 AB 12-A``), looked up by the normalised
    address as the ingest matches households; anything else is the id."""
    m = _ADDRESS.match(text)
    if not m:
        return text.strip()
    from ingest.resolve import address_key, household_ids

    key = address_key(m.group(1), int(m.group(2)), m.group(3) or None)
    found = household_ids(db, [key]).get(key)
    if found is None:
        raise WijknetError("There is no household at that address; nothing was erased.")
    return found


@app.command("erase")
@friendly
def erase_cmd(
    person: str = typer.Argument(..., help="The person to erase: their BSN (as the request gives it) or their "
                                 "Person id (pseudonym)."),
    yes: bool = typer.Option(False, "--yes", help="Really erase (without it: only count)."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """Erase a person and their edges, as an account whose role may (data steward or admin); the audit log keeps
    only a content-free entry."""
    from queries.privacy import erase_person

    db, log, actor = cli_write_session(account, "privacy_erase")
    try:
        r = erase_person(db, log, actor, person_named(person), apply=yes)
    finally:
        db.close()
    verb = "Erased" if yes else "Would erase"
    typer.echo(f"{verb} the person with {r.edges} edges, {r.involvements} involvements only about them, "
               f"{r.handovers} handovers, {r.referrals} referrals, {r.owned_nodes} scores/consents, "
               f"{r.fact_versions} earlier versions and {r.signal_states} signal statuses"
               + (f", and {r.side_store_rows} rows of the ingest side store" if yes else "")
               + f". Audit reference: {r.reference}." + ("" if yes else " Run again with --yes to erase."))


@app.command("erase-household")
@friendly
def erase_household_cmd(
    household: str = typer.Argument(..., help="The household to erase: its address (7551 AB 12-A) or its "
                                    "Household id."),
    yes: bool = typer.Option(False, "--yes", help="Really erase (without it: only count)."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """Erase a household, its members who belong to no other household, their edges and what concerned only
    them, as an account whose role may (data steward or admin); later imports skip rows about them, and the audit
    log keeps only a content-free entry."""
    from queries.privacy import erase_household

    db, log, actor = cli_write_session(account, "privacy_erase_household")
    try:
        r = erase_household(db, log, actor, household_named(db, household), apply=yes)
    finally:
        db.close()
    verb = "Erased" if yes else "Would erase"
    members = "1 member" if r.erased_members == 1 else f"{r.erased_members} members"
    alone = "1 person" if r.erased_outside == 1 else f"{r.erased_outside} people"
    kept = ("1 person of its client system outside it keeps their other ties and loses only the tie to it"
            if r.kept_outside == 1 else f"{r.kept_outside} people of its client system outside it keep their other "
            "ties and lose only the tie to it")
    typer.echo(f"{verb} the household, {members} only of it, {alone} of its client system outside it with no other "
               f"tie, {r.edges} edges, {r.involvements} involvements only "
               f"about them, {r.handovers} handovers, {r.referrals} referrals, {r.owned_nodes} other facts (scores, "
               f"consents, plans, goals, agreements, signals, advice, consultations), {r.caseload_assignments} "
               f"caseload assignments, {r.fact_versions} earlier versions and {r.signal_states} signal statuses"
               + (f", and {r.side_store_rows} rows of the ingest side store" if yes else "")
               + f". {kept[0].upper()}{kept[1:]}. Audit reference: {r.reference}."
               + ("" if yes else " Run again with --yes to erase."))
