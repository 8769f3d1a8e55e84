"""Who may see what — enforced here, in the query layer, not in the pages.

Every query function that returns data takes an :class:`Actor`. Household-level functions call
:func:`open_household` first: it checks the actor's scope, writes the audit record (a denial is audited too)
and only then lets the caller run its queries. If the audit record cannot be written, nothing is served.

Roles and scope:

* ``coach``: households with an active caseload assignment (``COACHES`` without an ``until`` before today)
  or where the coach gave advice under a mandate in an active assignment; names of members are visible.
* ``project_lead``: organisation-level data and pseudonymised households (no names, no addresses).
* ``policymaker``: aggregates only, with disclosure control.
* ``data_steward``: ingest and review lists.
* ``admin``: users and settings, the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from graph.db import Database
from graph.errors import AccessDenied
from queries.audit import AuditLog

__all__ = [
    "PURPOSES",
    "Actor",
    "Role",
    "audit_action",
    "can_see_household",
    "open_household",
    "require_role",
]


class Role(StrEnum):
    COACH = "coach"
    PROJECT_LEAD = "project_lead"
    POLICYMAKER = "policymaker"
    DATA_STEWARD = "data_steward"
    ADMIN = "admin"


#: Purposes a user states when opening a household (stored with the audit record); the first is the default.
PURPOSES: dict[str, str] = {
    "home_visit_preparation": "Home visit preparation",
    "case_consultation": "Case consultation",
    "data_quality": "Data quality",
}


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a query runs."""

    user: str
    role: Role
    organisation: str = ""
    professional_id: str | None = None  # set for coaches: their Professional node

    def __post_init__(self) -> None:
        if self.role == Role.COACH and not self.professional_id:
            raise ValueError("a coach actor needs a professional_id")


def audit_action(audit: AuditLog, actor: Actor, action: str, *, target: str = "", purpose: str = "",
                 result: str = "ok", detail: str = "") -> None:
    """Write one audit record for ``actor`` (raises ``AuditUnavailable`` if it cannot)."""
    audit.record(user=actor.user, role=str(actor.role), organisation=actor.organisation, action=action,
                 target=target, purpose=purpose, result=result, detail=detail)


def require_role(audit: AuditLog, actor: Actor, action: str, *roles: Role) -> None:
    """Raise :class:`AccessDenied` (audited) unless the actor has one of ``roles``."""
    if actor.role not in roles:
        audit_action(audit, actor, action, result="denied", detail=f"role {actor.role} not in "
                     + ",".join(sorted(str(r) for r in roles)))
        raise AccessDenied(f"Your role ({actor.role}) may not do this: {action.replace('_', ' ')}.")


_COACH_SCOPE = """
MATCH (c:Professional {id: $professional_id})-[a:COACHES]->(h:Household {id: $household_id})
WHERE a.since <= $today AND (a.until IS NULL OR a.until >= $today)
RETURN count(a) > 0 AS allowed
"""


def can_see_household(db: Database, actor: Actor, household_id: str, today: date | None = None) -> bool:
    """Whether ``actor`` may see the household's client system (names included for coaches)."""
    if actor.role == Role.PROJECT_LEAD:
        return True  # pseudonymised view only; wrappers drop names for this role
    if actor.role != Role.COACH:
        return False
    row = db.execute("access_coach_scope", _COACH_SCOPE, {
        "professional_id": actor.professional_id, "household_id": household_id,
        "today": today or date.today(),
    }).first()
    return bool(row and row["allowed"])


def open_household(db: Database, audit: AuditLog, actor: Actor, household_id: str, *,
                   purpose: str = "home_visit_preparation", action: str = "view_household",
                   today: date | None = None) -> None:
    """Check scope and audit before any household data is read. Raises ``AccessDenied`` (audited)."""
    if purpose not in PURPOSES:
        raise AccessDenied(f"Unknown purpose {purpose!r}; choose one of: {', '.join(PURPOSES)}.")
    if not can_see_household(db, actor, household_id, today):
        audit_action(audit, actor, action, target=household_id, purpose=purpose, result="denied")
        raise AccessDenied("You are not assigned to this household, so it cannot be shown.")
    audit_action(audit, actor, action, target=household_id, purpose=purpose, result="ok")
