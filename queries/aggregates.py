"""Aggregate views for the project lead and policymakers: overlap, collaboration, handover clusters.

Every function here checks the actor's role, writes one audit record *before* data is read (if the audit
log cannot be written nothing is served), runs named queries, hands the rows to :mod:`queries.analytics`
and returns tables **with disclosure control applied**. No function returns a row per person or household:
the involvement-level rows the queries produce never leave this module.

Who may see what:

* overlap (counts of casemanagers per household): policymaker, project lead, admin;
* collaboration and handover clusters (organisation level): project lead, admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from graph.db import Database
from graph.errors import WijknetError
from graph.model import LIFE_DOMAINS
from queries.access import Actor, Role, audit_action, require_role
from queries.analytics import disclosure, overlap
from queries.audit import AuditLog
from queries.registry import run

__all__ = [
    "COLLABORATION_ROLES",
    "OVERLAP_ROLES",
    "OverlapView",
    "coach_effect_view",
    "organisations",
    "overlap_trend",
    "overlap_view",
    "record_export",
]

OVERLAP_ROLES: tuple[Role, ...] = (Role.POLICYMAKER, Role.PROJECT_LEAD, Role.ADMIN)
COLLABORATION_ROLES: tuple[Role, ...] = (Role.PROJECT_LEAD, Role.ADMIN)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _check_filters(area: str | None, life_domain: str | None) -> None:
    if life_domain is not None and life_domain not in LIFE_DOMAINS:
        raise WijknetError(f"Unknown life domain {life_domain!r}; choose one of: {', '.join(LIFE_DOMAINS)}.")
    if area is not None and not area.strip():
        raise WijknetError("The area code is empty; leave it out to see all areas.")


def _detail(**filters: Any) -> str:
    return ";".join(f"{k}={v}" for k, v in filters.items() if v is not None)


def _involvements(db: Database, start: date, end: date, area: str | None, life_domain: str | None
                  ) -> pd.DataFrame:
    rows = run(db, "overlap_involvements", {"from": start, "to": end, "area": area,
                                            "life_domain": life_domain}).rows
    for r in rows:
        r["since"] = _native(r["since"])
        r["until"] = _native(r["until"])
    return overlap.involvement_table(rows)


def _households(db: Database, area: str | None) -> pd.DataFrame:
    return run(db, "overlap_households", {"area": area}).to_df()


def record_export(audit: AuditLog, actor: Actor, what: str, fmt: str, **filters: Any) -> None:
    """Audit one export or download of an aggregate (call it before the file is handed out)."""
    audit_action(audit, actor, f"export_{what}", target=fmt, detail=_detail(**filters))


@dataclass(frozen=True)
class OverlapView:
    """The policymaker's overlap tables at one date, all with disclosure control applied."""

    as_of: date
    k: int
    distribution: pd.DataFrame          # area x bins, with totals
    by_area_kind: pd.DataFrame          # experiment/control x bins, with totals
    same_member_domain: pd.DataFrame    # households with 2+ organisations on one member and life domain
    double_casemanager: pd.DataFrame    # households with two professionals of the same function
    pair_matrix: pd.DataFrame           # organisation x organisation, households served by both
    area_names: dict[str, str] = field(default_factory=dict)


def _count_table(series: pd.Series, households: pd.Series, k: int, label: str) -> pd.DataFrame:
    raw = pd.DataFrame({label: series.reindex(households.index, fill_value=0),
                        "other households": households - series.reindex(households.index, fill_value=0)})
    return disclosure.suppress_table(raw, k)


def overlap_view(db: Database, audit: AuditLog, actor: Actor, *, as_of: date, area: str | None = None,
                 life_domain: str | None = None, k: int | None = None) -> OverlapView:
    """Overlapping casemanagers at ``as_of``: distribution, same member and domain, doubles, pair matrix."""
    require_role(audit, actor, "view_overlap", *OVERLAP_ROLES)
    _check_filters(area, life_domain)
    k = disclosure.disclosure_k(k)
    audit_action(audit, actor, "view_overlap", detail=_detail(as_of=as_of, area=area, life_domain=life_domain))
    t = _involvements(db, as_of, as_of, area, life_domain)
    hh = _households(db, area)
    per_area = hh.set_index("area")["households"].astype("int64")
    per_kind = hh.groupby("area_kind")["households"].sum().astype("int64")
    dist = overlap.overlap_distribution(t, per_area.to_dict(), as_of, by="area")
    kinds = overlap.overlap_distribution(t, per_kind.to_dict(), as_of, by="area_kind")
    same = overlap.same_member_domain(t, as_of).reindex(per_area.index, fill_value=0)
    double = overlap.double_casemanagers(t, as_of).reindex(per_area.index, fill_value=0)
    orgs = [o for o in sorted(t["organisation_id"].dropna().unique())]
    pairs = overlap.pair_matrix(t, as_of, orgs)
    return OverlapView(
        as_of=as_of, k=k,
        distribution=disclosure.suppress_table(dist, k),
        by_area_kind=disclosure.suppress_table(kinds, k),
        same_member_domain=_count_table(same, per_area, k, "2+ organisations on one member and domain"),
        double_casemanager=_count_table(double, per_area, k, "dubbele casemanager"),
        pair_matrix=disclosure.suppress_cells(pairs, k),
        area_names=dict(zip(hh["area"], hh["name"], strict=True)),
    )


def overlap_trend(db: Database, audit: AuditLog, actor: Actor, *, first_year: int = 2004, last_year: int = 2012,
                  area: str | None = None, life_domain: str | None = None, k: int | None = None
                  ) -> pd.DataFrame:
    """Households per number of active casemanagers at the end of every quarter (rows), with a total per quarter."""
    require_role(audit, actor, "view_overlap_trend", *OVERLAP_ROLES)
    _check_filters(area, life_domain)
    if not 1900 < first_year <= last_year < 2100:
        raise WijknetError(f"The period {first_year}–{last_year} is not a valid range of years.")
    k = disclosure.disclosure_k(k)
    audit_action(audit, actor, "view_overlap_trend",
                 detail=_detail(first_year=first_year, last_year=last_year, area=area, life_domain=life_domain))
    dates = overlap.quarter_ends(first_year, last_year)
    t = _involvements(db, dates[0], dates[-1], area, life_domain)
    households = int(_households(db, area)["households"].sum())
    raw = overlap.trend(t, dates, households)
    # No total row: adding quarters up would count a household once per quarter.
    return disclosure.suppress_table(raw, k, col_totals=False)


def coach_effect_view(db: Database, audit: AuditLog, actor: Actor, *, area: str | None = None,
                      life_domain: str | None = None, after_days: int = 365, min_before: int = 2,
                      k: int | None = None) -> pd.DataFrame:
    """Casemanagers before vs after coach intake, coached households vs the control area.

    Rows: (group, moment); columns: households per bin, ``households`` and ``mean`` (active casemanagers
    per household). ``area`` narrows the coached group; the control group is always the control area.
    """
    require_role(audit, actor, "view_coach_effect", *OVERLAP_ROLES)
    _check_filters(area, life_domain)
    k = disclosure.disclosure_k(k)
    audit_action(audit, actor, "view_coach_effect",
                 detail=_detail(area=area, life_domain=life_domain, after_days=after_days))
    intakes = {r["household_id"]: _native(r["intake"])
               for r in run(db, "overlap_coach_intakes", {"area": area}).rows}
    if intakes:
        start = min(intakes.values()) - pd.Timedelta(days=1).to_pytimedelta()
        end = max(intakes.values()) + pd.Timedelta(days=after_days).to_pytimedelta()
    else:
        start = end = date(2008, 9, 1)
    t = _involvements(db, start, end, None, life_domain)
    raw = overlap.coach_effect(t, intakes, after_days=after_days, min_before=min_before)
    bins = raw[list(overlap.BINS)]
    table = disclosure.suppress_table(bins, k, col_totals=False).rename(columns={disclosure.TOTAL: "households"})
    mean = (raw["sum_casemanagers"] / raw["households"].where(raw["households"] > 0)).round(2)
    table["mean"] = mean.where(table["households"].notna().to_numpy()).astype("Float64")
    table.loc[raw["households"].to_numpy() == 0, "mean"] = pd.NA
    return table


def organisations(db: Database, audit: AuditLog, actor: Actor) -> pd.DataFrame:
    """The organisations (id, name, sector, covenant group); no client data, so any aggregate role."""
    require_role(audit, actor, "list_organisations", *OVERLAP_ROLES)
    return run(db, "org_names").to_df()
