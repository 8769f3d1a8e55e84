"""Lookups about professionals: the coach ids (no client data) and the project lead's caseload per coach
(household pseudonyms and counts, nothing of a household's content)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graph.clock import today as dutch_today
from graph.db import Database
from queries.access import CASELOAD_ROLES, Actor, audit_action, require_role
from queries.audit import AuditLog
from queries.registry import run

__all__ = ["CoachCaseload", "caseload_per_coach", "coach_ids", "household_known", "professional_known"]


def coach_ids(db: Database) -> list[str]:
    """Ids of all wijkcoaches, sorted."""
    return [r["id"] for r in run(db, "coach_ids").rows]


def household_known(db: Database, household_id: str) -> bool:
    """Whether a household with this id is in the graph: asked after an audited ``who-saw`` look-up found no one,
    so that a mistyped id in a data subject's request is said as unknown, not answered "nobody looked" (a
    steward's walk, 08-12-2026). Reads nothing of the household."""
    return bool(run(db, "household_known", {"id": household_id}).rows[0]["known"])


def professional_known(db: Database, professional_id: str) -> tuple[bool, bool]:
    """Whether a professional with this id is in the graph, and whether it is a wijkcoach (no client data: an
    admin linking an account to a professional id learns whether the id is right)."""
    row = run(db, "professional_known", {"id": professional_id}).rows[0]
    return bool(row["known"]), bool(row["is_coach"])


@dataclass(frozen=True)
class CoachCaseload:
    """One coach's caseload on a day: the households by pseudonym only (the lead assigns and moves them)."""

    professional_id: str
    coach: str
    households: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.households)


def caseload_per_coach(db: Database, audit: AuditLog, actor: Actor, *, today: date | None = None
                       ) -> list[CoachCaseload]:
    """Every wijkcoach with the households assigned to them on ``today`` (pseudonyms, sorted), for the project
    lead's intake and caseload planning. Audited as ``view_caseload_per_coach`` with the purpose
    ``caseload_management`` before the read."""
    require_role(audit, actor, "view_caseload_per_coach", *CASELOAD_ROLES)
    day = today or dutch_today()
    audit_action(audit, actor, "view_caseload_per_coach", purpose="caseload_management", detail=f"today={day}")
    return [CoachCaseload(professional_id=r["professional_id"], coach=r["coach"] or r["professional_id"],
                          households=tuple(sorted(r["households"])))
            for r in run(db, "caseload_per_coach", {"today": day}).rows]
