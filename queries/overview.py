"""What the database holds: counts per label, areas, the period covered (the home page and ``db status``); and
the project lead's open intakes (households with a signal and no coach, by pseudonym and area)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.db import Database
from queries.access import CASELOAD_ROLES, Actor, audit_action, require_role
from queries.audit import AuditLog
from queries.registry import run

__all__ = ["OpenIntake", "Overview", "open_intakes", "overview"]


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    areas: list[dict[str, Any]]
    first_date: date | None
    last_date: date | None
    involvements: int
    open_involvements: int

    @property
    def empty(self) -> bool:
        return self.counts.get("Household", 0) == 0


def _to_date(value: Any) -> date | None:
    native = value.to_native() if hasattr(value, "to_native") else value
    return native if isinstance(native, date) else None


def overview(db: Database) -> Overview:
    """Counts per label, the areas and the period of the data. Holds no personal data."""
    counts = {r["label"]: int(r["count"]) for r in run(db, "label_counts").rows}
    areas = run(db, "areas_overview").rows
    period = run(db, "data_period").first() or {}
    return Overview(
        counts=counts,
        areas=areas,
        first_date=_to_date(period.get("first_since")),
        last_date=_to_date(period.get("last_date")),
        involvements=int(period.get("involvements") or 0),
        open_involvements=int(period.get("open_involvements") or 0),
    )


@dataclass(frozen=True)
class OpenIntake:
    """A household with an intake signal that no coach assignment followed: its pseudonym and area only."""

    household_id: str
    area_code: str | None
    area_name: str | None


def open_intakes(db: Database, audit: AuditLog, actor: Actor, *, today: date | None = None) -> list[OpenIntake]:
    """Households with an intake signal (``:Signal``) and no coach on or after it, by pseudonym and area.

    For the project lead, who plans the intake (:data:`~queries.access.CASELOAD_ROLES`); audited as
    ``view_open_intakes`` before the read. Nothing of the signal itself is served (no date, channel or content).
    """
    require_role(audit, actor, "view_open_intakes", *CASELOAD_ROLES)
    audit_action(audit, actor, "view_open_intakes")
    rows = run(db, "open_intakes", {"today": today or date.today()}).rows
    return [OpenIntake(r["household_id"], r["area_code"], r["area_name"]) for r in rows]
