"""``wijknet signals list|run|expire|export``: signals (*signalen*) from the command line, ``--as ACCOUNT``.

``list`` shows the inbox of the account (coach, partner professional, project lead); ``run`` matches what no load
matched (idempotent), ``expire`` leaves out signals past the retention (dry run without ``--yes``), ``export`` writes the
outbox per organisation (CSV or JSON) for organisations whose staff have no account — these three as a data
steward or admin. The rules: ``docs/signals.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import typer

from app.cli import friendly, friendly_in_language
from app.identity import ACCOUNT_HELP
from graph.errors import WijknetError

__all__ = ["HELP", "NAME", "app"]

NAME = "signals"
HELP = "Signals (signalen): who else is involved, thresholds; list, re-run matching, expire, export the outbox."

app = typer.Typer(help=HELP, no_args_is_help=True)
T = TypeVar("T")


def _date(text: str | None) -> date | None:
    from app.commands import option_date

    return option_date(text, "--as-of")


def _as(account: str | None, action: str, work: Callable[[Any, Any, Any], T], *, read: bool = False) -> T:
    """Run ``work(db, audit log, actor)`` as ``account`` — an account whose role may do ``action`` (``read``: the
    read ``work`` does checks the role itself, under ``action``) — and close the database after (the part every
    subcommand shares)."""
    from app.identity import cli_read_session, cli_write_session

    db, log, actor = (cli_read_session if read else cli_write_session)(account, action)
    try:
        return work(db, log, actor)
    finally:
        db.close()


def _line(e: Any) -> str:
    """One inbox entry (:class:`queries.notices.NoticeEntry`) as one line."""
    from app.i18n import code_label, t
    from app.notices_ui import detail_text, kind_title, own_work, status_label

    domains = e.other_life_domains or ((e.other_life_domain,) if e.other_life_domain else ())
    domain = ", ".join(code_label("life_domain", d) for d in domains) or None  # in words, as on the page
    # as the page: the since-date with the involvement, the contact apart (before the date it read as the number's)
    since = t("signals.line_since", date=f"{e.other_since:%d-%m-%Y}") if e.other_since else None
    contact = t("signals.line_contact", contact=e.contact) if e.contact else None
    who = " · ".join(x for x in (e.other_organisation, e.other_professional, e.other_function,
                                 domain, since, contact) if x) or detail_text(e)
    # a partner's own involvement in words (organisation, life domain, since), never its id
    where = f" [{e.household_id}]" if e.household_id else f" [{t('inbox.own', work=own_work(e)).lstrip(' ·')}]" \
        if e.own else ""
    day = f"{e.day:%d-%m-%Y}" if e.day else "-"
    # the status and the kind's title in the app's language, as the inbox page says them
    return f"{day}  {status_label(e.status):<11} {kind_title(e.kind, e.title)}{where}: {who}"


@app.command("list")
@friendly_in_language
def list_cmd(
    open_only: bool = typer.Option(False, "--open", help="Leave out signals marked done."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """The inbox of the account (a coach, partner professional or project lead): one line per signal."""
    from queries.notices import inbox

    entries = _as(account, "view_notices", lambda db, log, actor: inbox(db, log, actor, include_done=not open_only),
                  read=True)
    for e in entries:
        typer.echo(_line(e))
    from app.i18n import plural

    typer.echo(plural(len(entries), "signals.listed_one", "signals.listed_more"), err=True)


def _made(made: dict[str, int]) -> str:
    """The signals a run made, in words: per kind its title (a pair is one), the thresholds together."""
    from app.i18n import num, plural, t

    if not sum(made.values()):
        return t("signals.made_none")
    names = {"match": "notice.kind.match", "new_involvement": "notice.kind.new_involvement",
             "threshold": "signals.made_thresholds"}
    kinds = ", ".join(t("signals.made_kind", n=num(n), kind=t(names[k]) if k in names else k)
                      for k, n in sorted(made.items(), key=lambda kv: list(names).index(kv[0])
                                         if kv[0] in names else len(names)) if n)
    return plural(sum(made.values()), "signals.made_one", "signals.made_more", kinds=kinds)


@app.command("run")
@friendly_in_language
def run_cmd(
    as_of: str = typer.Option(None, "--as-of", help="Match as of this date (dd-mm-yyyy or yyyy-mm-dd) instead of today."),
    source: str = typer.Option(None, "--source", help="Only involvements of this export source."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """Match every involvement active on the date that started within the retention and was not matched yet
    (idempotent), and count the signals that makes."""
    from ingest.matching import run_matching

    day = _date(as_of)
    r = _as(account, "notice_match", lambda db, log, actor: run_matching(db, log, actor, as_of=day, source=source))
    from app.i18n import language, num, t

    seconds = f"{r.seconds:.1f}"
    # in the language of `signals list` (the app's, through the catalogue), each kind by its title
    typer.echo(t("signals.run_done", matched=num(r.matched), involvements=num(r.involvements),
                 seconds=seconds.replace(".", ",") if language() == "nl" else seconds, made=_made(r.made)))


@app.command("expire")
@friendly_in_language
def expire_cmd(
    as_of: str = typer.Option(None, "--as-of", help="Count from this date (dd-mm-yyyy or yyyy-mm-dd) instead of today."),
    yes: bool = typer.Option(False, "--yes", help="Really remove (without it: only count)."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """Leave out signals older than WIJKNET_NOTICE_RETENTION_DAYS from now on, and remove their readers' statuses."""
    from queries.notices import expire_notices

    day = _date(as_of)
    cutoff, n = _as(account, "notice_expire",
                    lambda db, log, actor: expire_notices(db, log, actor, as_of=day, apply=yes))
    from app.i18n import plural

    typer.echo(plural(n, "signals.expired_one", "signals.expired_more", cutoff=f"{cutoff:%d-%m-%Y}") if yes else
               plural(n, "signals.expire_would_one", "signals.expire_would_more", cutoff=f"{cutoff:%d-%m-%Y}"))


@app.command("export")
@friendly
def export_cmd(
    folder: str = typer.Argument(..., metavar="OUT_DIR", help="Directory for the files (one per organisation)."),
    fmt: str = typer.Option("csv", "--format", help="csv or json."),
    organisation: str = typer.Option(None, "--organisation", help="Only this organisation id."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP),
) -> None:
    """The outbox: open match signals per organisation, for organisations whose staff have no account (signals of
    professionals with an account are read in the app and left out)."""
    from app.auth import default_store
    from queries.notices import outbox, write_outbox

    # checked before anything is read: the outbox names households' signals, so it goes only where it was sent
    if not folder.strip():
        raise WijknetError("OUT_DIR is empty: give the folder to write the outbox to.")
    out_dir = Path(folder)
    if out_dir.exists() and not out_dir.is_dir():
        raise WijknetError(f"{folder!r} is a file, not a folder: give the folder to write the outbox to.")
    skip = tuple(a.professional_id for a in default_store().list_users() if a.professional_id and not a.disabled)
    boxes = _as(account, "notice_match",  # data steward or admin
                lambda db, log, actor: outbox(db, log, actor, organisation=organisation, skip=skip))
    files = write_outbox(boxes, out_dir, fmt)
    typer.echo(f"Wrote {len(files)} files ({sum(len(v) for v in boxes.values())} signals) to {out_dir}.")
