"""What the database holds: counts per label, areas, the period covered (the home page and ``db status``). The
project lead's open intakes are :func:`queries.intake.open_intake_households`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.clock import today as dutch_today
from graph.db import Database, as_date
from queries.access import DATA_ROLES, Actor, Role, audit_action
from queries.audit import AuditLog
from queries.registry import run

__all__ = ["Overview", "areas", "data_period", "home_overview", "overview"]

#: the roles whose home page shows what the database holds (counts per label and per area)
HOLDINGS_ROLES: tuple[Role, ...] = DATA_ROLES


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    areas: list[dict[str, Any]]
    first_date: date | None
    last_date: date | None
    involvements: int
    open_involvements: int
    #: the day the areas' coached households are counted on (the data's last day, today when the data run on)
    coached_on: date | None = None

    @property
    def empty(self) -> bool:
        return self.counts.get("Household", 0) == 0


def areas(db: Database, day: date | None = None) -> list[dict[str, Any]]:
    """The areas (code, name, kind, households, households a coach holds on ``day``, default today): what a page
    needs to offer them by name, without the counts per label and the period :func:`overview` reads too."""
    return run(db, "areas_overview", {"day": day or dutch_today()}).rows


def data_period(db: Database) -> tuple[date | None, date | None]:
    """The first and the last day of the data (the first start and the last start or end of an involvement):
    what an aggregate page opens its date fields on. No personal data, read from the indexes."""
    period = run(db, "data_period").first() or {}
    return as_date(period.get("first_since")), as_date(period.get("last_date"))


def overview(db: Database, *, with_areas: bool = True) -> Overview:
    """Counts per label, the areas (unless not ``with_areas``) and the period of the data. Holds no personal data."""
    from queries.analytics.periods import data_day

    counts = {r["label"]: int(r["count"]) for r in run(db, "label_counts").rows}
    period = run(db, "data_period").first() or {}
    last = as_date(period.get("last_date"))
    day = data_day(last, dutch_today())  # the day the caseload page opens on: the two count alike
    return Overview(
        counts=counts,
        areas=areas(db, day) if with_areas else [],
        first_date=as_date(period.get("first_since")),
        last_date=last,
        involvements=int(period.get("involvements") or 0),
        open_involvements=int(period.get("open_involvements") or 0),
        coached_on=day if with_areas else None,
    )


def home_overview(db: Database, audit: AuditLog, actor: Actor) -> Overview:
    """The home page's overview, audited (``view_overview``) before it is read. The data steward and the
    administrator get what the database holds (counts per label and per area, unsuppressed: they run it); every
    other role only the period of the data and whether it holds households, which their home page needs to pick
    its day (their figures come from their own, scoped queries)."""
    audit_action(audit, actor, "view_overview")
    if actor.role in HOLDINGS_ROLES:
        return overview(db)
    ov = overview(db, with_areas=False)  # the per-area counts (a pass over every household) are not theirs
    return Overview(counts={"Household": 1 if not ov.empty else 0}, areas=[], first_date=ov.first_date,
                    last_date=ov.last_date, involvements=0, open_involvements=0)
