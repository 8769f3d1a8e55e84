"""CLI command groups beyond ``db`` and ``demo``: each module here defines ``NAME`` (the group's name),
``HELP`` and ``app`` (a ``typer.Typer``); :mod:`app.cli` registers every one of them."""

from __future__ import annotations

from datetime import date


def option_date(text: str | None, option: str, *, not_after: date | None = None) -> date | None:
    """A date given to a command's option, as people write it (``31-12-2008``) or in ISO (``2008-12-31``); None
    when not given. Every command's date option reads dates by this one rule, so what one command suggests the
    next accepts. ``not_after``: a later date is refused (e.g. today, for a cut-off that would delete)."""
    import typer

    from app.dates import NoSuchDay, parse_typed_date

    if text is None or not text.strip():
        return None
    try:
        day = parse_typed_date(text)
    except ValueError as exc:
        # a usage error (status 2, as the command's other options), said as the date fields say it: a day that
        # does not exist is not "not a date" (31-02-2026 was, and exited 1: an outside test)
        why = (f"{text.strip()!r} is not a day of the calendar" if isinstance(exc, NoSuchDay) else
               f"{text.strip()!r} is not a date: write dd-mm-yyyy or yyyy-mm-dd, e.g. 31-12-2008")
        raise typer.BadParameter(why, param_hint=f"'{option}'") from None
    if not_after is not None and day > not_after:
        raise typer.BadParameter(f"{day:%d-%m-%Y} is after {not_after:%d-%m-%Y}: give a day that has been",
                                 param_hint=f"'{option}'")
    return day
