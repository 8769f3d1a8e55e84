"""What the data steward judges a possible duplicate person by (*Dubbelen beoordelen*): per person the birth year,
the households and client systems it belongs to (address, role, period) and how many involvements concern it —
what the steward also sees in the source files. Never the name, the birth date or the BSN (the pair was proposed
for the same name and birth date). A steward's walk (08-12-2026) found the page asking for an irreversible merge
with only two pseudonyms and their sources to go by."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.db import Database, as_date
from queries.access import DATA_ROLES, Actor, audit_action, audit_each, require_role
from queries.audit import AuditLog
from queries.registry import run

__all__ = ["ReviewPerson", "ReviewTie", "review_persons"]


@dataclass(frozen=True)
class ReviewTie:
    """A person's membership of a household, or place in a household's client system."""

    household_id: str
    address: str  # postcode and house number (with its suffix)
    role: str
    since: date | None
    until: date | None


@dataclass(frozen=True)
class ReviewPerson:
    id: str
    birth_year: int | None
    households: tuple[ReviewTie, ...]
    client_systems: tuple[ReviewTie, ...]
    involvements: int


def _ties(rows: list[dict[str, Any]]) -> tuple[ReviewTie, ...]:
    out = [ReviewTie(str(r["household"]), " ".join(str(v) for v in (r.get("postcode"), r.get("house_number"))
                                                 if v not in (None, "")) + (str(r.get("suffix") or "")),
                     str(r.get("role") or ""), as_date(r.get("since")), as_date(r.get("until"))) for r in rows]
    return tuple(sorted(out, key=lambda t: (t.until is not None, t.since or date.min, t.household_id)))


def review_persons(db: Database, audit: AuditLog, actor: Actor, person_ids: Sequence[str] = ()
                   ) -> dict[str, ReviewPerson]:
    """The persons of possible duplicates, by id (an id not in the graph is absent). Audited as
    ``view_review_persons`` under the reader before the read, and under each person and each household shown
    before anything is returned (``wijknet audit who-saw`` finds the look under the household)."""
    require_role(audit, actor, "view_review_persons", *DATA_ROLES)
    ids = list(dict.fromkeys(str(i) for i in person_ids if i))
    audit_action(audit, actor, "view_review_persons", purpose="duplicate_review", detail=f"persons={len(ids)}")
    if not ids:
        return {}
    out = {str(r["id"]): ReviewPerson(str(r["id"]), r.get("birth_year"), _ties(r["households"]),
                                      _ties(r["systems"]), int(r["involvements"] or 0))
           for r in run(db, "review_persons", {"ids": ids}).rows}
    households = [t.household_id for p in out.values() for t in (*p.households, *p.client_systems)]
    audit_each(audit, actor, "view_review_persons", [*out, *households], purpose="duplicate_review")
    return out
