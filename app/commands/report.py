"""``wijknet report overlap|collaboration|handovers``: the aggregate views on the command line, with the
same disclosure control as the pages (suppressed cells are written as ``x``).

A report is read as an identified account (``--as ACCOUNT`` or ``WIJKNET_CLI_ACCOUNT``, :mod:`app.identity`),
in the account's role, and audited under it with the operating-system user as access point — as the pages are
read by a signed-in person (before, the command read as ``cli:<os user>`` in a role it was told, so the audit
log could not say which person read an aggregate)."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date
from typing import Any

import typer

from app.cli import friendly
from app.identity import ACCOUNT_HELP
from graph.clock import today as dutch_today
from graph.errors import WijknetError

__all__ = ["HELP", "NAME", "app"]

NAME = "report"
HELP = "Aggregate reports (overlap, collaboration, handovers) with disclosure control, as JSON or CSV."

app = typer.Typer(help=HELP, no_args_is_help=True)

_AS_OF = typer.Option(None, "--as-of", help="Date (dd-mm-yyyy or yyyy-mm-dd): the end of the period (default: the data's last "
                      "day, or today when the data run on; as on the pages).")
_QUARTER_END = typer.Option(None, "--as-of", help="The end of a quarter (31-03, 30-06, 30-09 or 31-12 of a year, "
                            "dd-mm-yyyy or yyyy-mm-dd): the moment counted; the overlap table is published for "
                            "quarter ends only, its organisation-pair matrix for year ends (31-12) only (default: "
                            "the last quarter end that has data, as on the pages).")
_AREA = typer.Option(None, "--area", help="Area code (default: all areas).")
_DOMAIN = typer.Option(None, "--life-domain", help="Life domain code (default: all).")
_FORMAT = typer.Option("json", "--format", help="json or csv.")


def _date(value: str, name: str) -> date:
    from app.commands import option_date

    day = option_date(value, name)
    if day is None:
        raise WijknetError(f"{name} is empty: give a date, e.g. 31-12-2008.")
    return day


def _last_day(db: Any) -> date | None:
    """The data's last day (:func:`queries.overview.data_period`): what the defaults follow, as on the pages."""
    from queries.overview import data_period

    return data_period(db)[1]


def _no_role(role: str | None) -> None:
    """``--role`` was how a report chose its role before reports were made as an account: said, not ignored (a
    script that still passes it would otherwise read in another role than it asked for)."""
    if role is not None:
        raise WijknetError(f"--role {role!r} is no longer used: a report is made as your account (--as ACCOUNT or "
                           "WIJKNET_CLI_ACCOUNT), in its role; `wijknet users list` shows the accounts and their roles.")


@contextmanager
def _context(account: str | None, role: str | None, action: str, *roles: Any):  # type: ignore[no-untyped-def]
    """The database, the audit log and the account's actor (``--as`` or ``WIJKNET_CLI_ACCOUNT``: a missing,
    unknown or disabled account is refused and audited as ``action``, as is an account whose role is not one of
    ``roles``, before anything is read); the driver is closed when the command is done (also when the command
    runs in-process, as in the tests)."""
    from app.identity import cli_read_session
    from queries.access import require_role

    _no_role(role)
    db, audit, actor = cli_read_session(account, action)
    try:
        require_role(audit, actor, action, *roles)
        yield db, audit, actor
    finally:
        db.close()


def _emit(tables: dict[str, Any], fmt: str, table: str | None, extra: dict[str, Any]) -> None:
    import pandas as pd

    from queries.analytics.disclosure import SUPPRESSED, display_frame
    from queries.analytics.exports import to_csv_bytes

    if fmt not in ("json", "csv"):
        raise WijknetError(f"--format must be json or csv, not {fmt!r}.")
    if fmt == "csv":
        name = table or next(iter(tables))
        if name not in tables:
            raise WijknetError(f"No table {name!r}; choose one of: {', '.join(tables)}.")
        typer.echo(to_csv_bytes(tables[name]).decode(), nl=False)
        return
    out: dict[str, Any] = dict(extra)
    for name, t in tables.items():
        if table and name != table:
            continue
        shown = display_frame(t)
        for c in t.columns:  # JSON keeps a count a number beside a hidden "x" (a review read "0" beside 0)
            if pd.api.types.is_numeric_dtype(t[c]) and shown[c].dtype == object:
                shown[c] = [v if v == SUPPRESSED else _number(v) for v in shown[c]]
        keep_index = not isinstance(t.index, pd.RangeIndex)
        out[name] = json.loads(shown.reset_index().to_json(orient="records", date_format="iso") if keep_index
                               else shown.to_json(orient="records", date_format="iso"))
    typer.echo(json.dumps(out, ensure_ascii=False, indent=1, default=str))


def _number(text: str) -> int | float:
    """A count or rate as :func:`display_frame` wrote it, as a number again.

    >>> _number("12"), _number("2.5")
    (12, 2.5)
    """
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


_TABLE = typer.Option(None, "--table", help="Only this table (CSV prints the first table by default).")
_ACCOUNT = typer.Option(None, "--as", metavar="ACCOUNT", help=ACCOUNT_HELP + " Its role decides which reports it "
                        "reads: overlap as policymaker, project lead or admin; collaboration and handovers as "
                        "project lead or admin.")
_ROLE_GONE = typer.Option(None, "--role", hidden=True, help="No longer used: the account's role counts.")


@app.command("overlap")
@friendly
def overlap_cmd(as_of: str | None = _QUARTER_END, area: str = _AREA, life_domain: str = _DOMAIN, fmt: str = _FORMAT,
                table: str = _TABLE, account: str | None = _ACCOUNT, role: str | None = _ROLE_GONE) -> None:
    """Active casemanagers per household, same member and domain, dubbele casemanager, pairs, coach effect."""
    from queries import aggregates, snapshot

    with _context(account, role, "view_overlap", *aggregates.OVERLAP_ROLES) as (db, audit, actor):
        from queries.analytics.periods import data_day, last_quarter_end

        day = data_day(_last_day(db), dutch_today())  # the data's last day, read once for both defaults
        d = _date(as_of, "--as-of") if as_of else last_quarter_end(day)
        snapshot.current(db, wait=True)  # counted from the snapshot (read now if the graph changed since)
        v = aggregates.overlap_view(db, audit, actor, as_of=d, area=area, life_domain=life_domain)
        effect = aggregates.coach_effect_view(db, audit, actor, area=area, life_domain=life_domain, until=day)
        # coached households whose year after intake has not come by the data's last day are left out
        left_out = effect.attrs.get("left_out")
        effect_until = effect.attrs.get("until")
        effect.index = [f"{g} / {m}" for g, m in effect.index]
        effect.index.name = "group"
        tables = {"distribution": v.distribution, "by_area_kind": v.by_area_kind,
                  "same_member_domain": v.same_member_domain, "double_casemanager": v.double_casemanager,
                  "pair_matrix": v.pair_matrix, "coach_effect": effect}
        extra: dict[str, Any] = {}
        if v.pair_dates:  # the pair matrix is published per year end only: say so, and which ones are nearest
            from app.dates import dmy
            from app.i18n import t

            note = t("ov.pairs_year_end", date=dmy(d)) + " " + t(
                "ov.pairs_choose", before=dmy(v.pair_dates[0]), after=dmy(v.pair_dates[1]))
            if fmt == "csv" and table == "pair_matrix":
                raise WijknetError(note)  # an empty file would say nothing
            extra = {"pair_matrix_note": note, "pair_matrix_dates": [str(p) for p in v.pair_dates]}
        aggregates.record_export(audit, actor, "report_overlap", fmt, as_of=d, area=area, life_domain=life_domain)
        _emit(tables, fmt, table, {"as_of": str(d), "k": v.k, "area": area, "life_domain": life_domain,
                                   "coach_effect_until": effect_until,
                                   "coach_effect_left_out": "x" if left_out is None else left_out, **extra})


_FROM = typer.Option(None, "--from", help="Start of the period: 1 January (the figures are counted per calendar year, "
                     "1 January to 31 December; default: the year of --as-of).")


def _period(db: Any, start: str | None, as_of: str | None) -> tuple[date, date]:
    """The calendar year of ``--as-of`` (without it: of the data's last day, today's when the data run on), as the
    pages count these figures; with ``--from``, from it to ``--as-of`` (the query layer takes one calendar year
    only: figures of periods that overlap would give away each other's hidden cells)."""
    from queries.aggregates import year_period
    from queries.analytics.periods import data_day

    end = _date(as_of, "--as-of") if as_of else data_day(_last_day(db), dutch_today())
    return (_date(start, "--from"), end) if start else year_period(end.year)


@app.command("collaboration")
@friendly
def collaboration_cmd(as_of: str | None = _AS_OF, start: str = _FROM, area: str = _AREA, life_domain: str = _DOMAIN,
                      tie: str = typer.Option("shared", help="shared, handover, referral or consultation."),
                      fmt: str = _FORMAT, table: str = _TABLE, account: str | None = _ACCOUNT,
                      role: str | None = _ROLE_GONE) -> None:
    """Organisations: households served, degree, betweenness, mandates, advice, referral follow-up, ties."""
    from queries import aggregates

    with _context(account, role, "view_collaboration", *aggregates.COLLABORATION_ROLES) as (db, audit, actor):
        s, e = _period(db, start, as_of)
        v = aggregates.collaboration_view(db, audit, actor, start=s, end=e, area=area, life_domain=life_domain,
                                          edge_type=tie)
        aggregates.record_export(audit, actor, "report_collaboration", fmt, start=s, end=e, area=area)
        _emit({"organisations": v.organisations, "edges": v.edges, "followup": v.followup}, fmt, table,
              {"from": str(s), "to": str(e), "k": v.k, "tie": tie})


@app.command("handovers")
@friendly
def handovers_cmd(as_of: str | None = _AS_OF, start: str = _FROM, area: str = _AREA, life_domain: str = _DOMAIN,
                  derived: bool = typer.Option(True, help="Include derived handovers."),
                  seed: int = typer.Option(2008, help="Seed of the community detection."),
                  fmt: str = _FORMAT, table: str = _TABLE, account: str | None = _ACCOUNT,
                  role: str | None = _ROLE_GONE) -> None:
    """Handover clusters (with algorithm, seed, modularity), hotspots, chains and ping-pong."""
    from queries import aggregates
    from queries.analytics.handover_counts import pairs_and_within

    with _context(account, role, "view_handovers", *aggregates.COLLABORATION_ROLES) as (db, audit, actor):
        s, e = _period(db, start, as_of)
        v = aggregates.handover_view(db, audit, actor, start=s, end=e, area=area, life_domain=life_domain,
                                     derived_handovers=derived, seed=seed)
        aggregates.record_export(audit, actor, "report_handovers", fmt, start=s, end=e, area=area)
        pairs, within = pairs_and_within(v.pairs)  # as the page: a pair is two organisations
        _emit({"pairs": pairs, "within_organisation": within, "org_communities": v.org_communities,
               "professional_communities": v.professional_communities, "areas": v.areas, "periods": v.periods,
               "chain_lengths": v.chain_lengths, "longest_chains": v.longest_chains, "ping_pong": v.ping_pong},
              fmt, table, {"from": str(s), "to": str(e), "k": v.k,
                           "handovers": "x" if v.handovers_shown is None else v.handovers_shown,
                           "org_clusters": v.org_quality, "professional_clusters": v.professional_quality})
