"""One household's client system for a coach: typed wrappers over the ``household_*`` named queries.

Every function takes ``(db, audit, actor, ...)``. :func:`household_view` checks the role and purpose, then
reads the whole history of the household in one named query (``household_page``) that itself returns
nothing outside the coach's caseload, writes one audit record (``ok`` or ``denied``) and only then returns
anything: if the record cannot be written, the rows are dropped. The other views go through
:func:`queries.access.open_household` (scope check and audit record before the read); search and the caseload
are audited too. The date slider replays the view with the pure functions of :mod:`queries.analytics.household`
without new queries or new audit records.

Only a coach opens a household (:data:`queries.access.HOUSEHOLD_ROLES`), and only within the caseload; every
other role, the project lead included, is refused (audited as ``denied``) before anything is read: household
content (names, addresses, the plan, agreements, sanctions, ladder scores, free text) is the coach's alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from datetime import date as _Day  # for fields declared after a field named `date`
from typing import Any

from graph.db import Database
from graph.errors import AccessDenied
from queries.access import (
    Actor,
    Role,
    audit_action,
    check_household_request,
    coach_scope,
    deny_out_of_scope,
    require_role,
)
from queries.analytics.household import (
    CoachAssignment,
    Handover,
    Involvement,
    PersonTie,
    Referral,
    is_active,
)
from queries.audit import AuditLog
from queries.registry import run

__all__ = [
    "Agreement",
    "CaseloadEntry",
    "Goal",
    "HouseholdInfo",
    "HouseholdView",
    "LadderScore",
    "Mandate",
    "MandateGroup",
    "caseload",
    "household_view",
    "mandates_by_domain",
    "mandates_that_apply",
    "recent_households",
    "search_households",
]


def _d(value: Any) -> Any:
    """neo4j.time.Date → datetime.date (other values unchanged)."""
    return value.to_native() if hasattr(value, "to_native") else value


# ----------------------------------------------------------------------------------------------- records
@dataclass(frozen=True)
class HouseholdInfo:
    id: str
    address: str | None
    postcode: str | None
    area_code: str | None
    area_name: str | None
    area_kind: str | None
    housing_corporation: str | None


@dataclass(frozen=True)
class Goal:
    id: str
    plan_id: str
    life_domain: str
    text: str
    status: str | None


@dataclass(frozen=True)
class Agreement:
    id: str
    plan_id: str
    kind: str  # "afspraak" | "sanctie"
    text: str
    date: date | None
    due: _Day | None
    status: str | None


@dataclass(frozen=True)
class LadderScore:
    person_id: str
    date: date
    rung: int


@dataclass(frozen=True)
class Mandate:
    id: str
    life_domain: str
    decision_type: str
    organisation_id: str
    organisation_name: str
    held_since: date | None
    held_until: date | None
    granted_since: date | None
    granted_until: date | None
    buddy_name: str | None
    buddy_phone: str | None
    buddy_function: str | None

    def in_force(self, as_of: date) -> bool:
        return (is_active(self.held_since, self.held_until, as_of)
                and is_active(self.granted_since, self.granted_until, as_of))


@dataclass(frozen=True)
class HouseholdView:
    """Everything the coach page shows about one household, over its whole history."""

    household: HouseholdInfo
    people: list[PersonTie]
    coaches: list[CoachAssignment]
    involvements: list[Involvement]
    handovers: list[Handover]
    referrals: list[Referral]
    goals: list[Goal]
    agreements: list[Agreement]
    ladder: list[LadderScore]
    mandates: list[Mandate]

    def members(self, as_of: date | None = None) -> list[PersonTie]:
        return [p for p in self.people if p.kind == "member"
                and (as_of is None or is_active(p.since, p.until, as_of))]

    def name_of(self, person_id: str) -> str:
        for p in self.people:
            if p.id == person_id:
                return p.name or p.id
        return person_id

    def intake(self) -> date | None:
        """The first coach intake (earliest caseload assignment), if any."""
        return min((c.since for c in self.coaches), default=None)


@dataclass(frozen=True)
class CaseloadEntry:
    id: str
    address: str | None
    postcode: str | None
    area_code: str | None
    since: date | None
    members: int | None = None


# ----------------------------------------------------------------------------------------------- helpers
def _address(street: str | None, number: Any, suffix: str | None) -> str | None:
    if not street and number is None:
        return None
    return " ".join(x for x in (street or "", f"{number if number is not None else ''}{suffix or ''}") if x)


def _names_visible(actor: Actor) -> bool:
    return actor.role == Role.COACH  # names only for coaches (within scope)


def _person(row: dict[str, Any], names: bool) -> PersonTie:
    supports = (row["supports"],) if row.get("supports") else ()
    return PersonTie(id=row["id"], kind=row["kind"], role=row.get("role") or "", since=_d(row.get("since")),
                     until=_d(row.get("until")), name=row.get("name") if names else None,
                     birth_year=row.get("birth_year"), supports=supports)


def _merge_supporters(ties: list[PersonTie]) -> list[PersonTie]:
    """One informal supporter who supports two members arrives as two rows: merge their ``supports``."""
    out: dict[tuple[str, str], PersonTie] = {}
    for t in ties:
        key = (t.kind, t.id)
        if key in out and t.kind == "informal":
            prev = out[key]
            out[key] = replace(prev, supports=tuple(sorted(set(prev.supports) | set(t.supports))))
        elif key not in out:
            out[key] = t
    return list(out.values())


# ------------------------------------------------------------------------------------------------ queries
def household_view(db: Database, audit: AuditLog, actor: Actor, household_id: str, *,
                   purpose: str = "home_visit_preparation", today: date | None = None) -> HouseholdView:
    """The household's whole client system, in one read that also checks the coach's scope.

    Only a coach gets here: :func:`~queries.access.check_household_request` refuses every other role (audited)
    before the read. Raises :class:`~graph.errors.AccessDenied` (audited) when the actor may not see the household, and
    :class:`~queries.audit.AuditUnavailable` (nothing returned) when the view cannot be audited.
    """
    check_household_request(audit, actor, household_id, purpose=purpose)
    names = _names_visible(actor)
    # One read for the whole page, need-to-know checked inside it: a round trip costs more than any of its
    # parts (docs/scaling.md). Nothing is returned before the audit record is written; if that fails the rows
    # are dropped with AuditUnavailable.
    coach = actor.professional_id if actor.role == Role.COACH and actor.professional_id else None
    head = run(db, "household_page", {"household_id": household_id, "professional_id": coach,
                                      "coach_scope": coach_scope(actor), "today": today or date.today()}).first()
    if head is None and actor.role == Role.COACH:
        raise deny_out_of_scope(audit, actor, household_id, purpose=purpose)
    audit_action(audit, actor, "view_household", target=str(household_id), purpose=purpose, result="ok")
    if head is None:
        raise AccessDenied(f"There is no household {household_id!r}.")
    info = HouseholdInfo(
        id=head["id"],
        address=_address(head["street"], head["house_number"], head["suffix"]) if names else None,
        postcode=head["postcode"] if names else None,
        area_code=head["area_code"], area_name=head["area_name"], area_kind=head["area_kind"],
        housing_corporation=head["housing_corporation"])
    people = _merge_supporters([_person(r, names) for r in
                                head["members"] + head["client_system"] + head["informal"]])
    people.sort(key=lambda p: ({"member": 0, "client_system": 1, "informal": 2}[p.kind], p.since or date.min,
                               p.id))
    coaches = sorted((CoachAssignment(professional_id=c["professional_id"], since=_d(c["since"]),
                                      until=_d(c["until"]), name=c["name"] if names else None,
                                      phone=c["phone"] if names else None) for c in head["coaches"]),
                     key=lambda c: (c.since, c.professional_id))
    involvements = [Involvement(
        id=r["id"], professional_id=r["professional_id"], organisation_id=r["organisation_id"],
        life_domain=r["life_domain"], since=_d(r["since"]), until=_d(r["until"]), role=r["role"] or "",
        function=r["function"] or "", person_ids=tuple(sorted(r["person_ids"])),
        household_level=bool(r["household_level"]),
        professional_name=r["professional_name"] if names else None,
        organisation_name=r["organisation_name"] or r["organisation_id"],
        phone=r["phone"] if names else None) for r in head["involvements"]]
    handovers = [Handover(from_id=r["from_id"], to_id=r["to_id"], date=_d(r["date"]), reason=r["reason"],
                          id=r["id"]) for r in head["handovers"]]
    referrals = [Referral(
        id=r["id"], date=_d(r["date"]), organisation_id=r["organisation_id"], life_domain=r["life_domain"] or "",
        organisation_name=r["organisation_name"] or r["organisation_id"], professional_id=r["professional_id"],
        professional_name=r["professional_name"] if names else None, accepted_at=_d(r["accepted_at"]),
        started_at=_d(r["started_at"]), reason=r["reason"], person_id=r["person_id"])
        for r in head["referrals"]]
    goals: list[Goal] = []
    agreements: list[Agreement] = []
    for r in head["plan"]:
        if r["item"] == "goal":
            goals.append(Goal(r["id"], r["plan_id"], r["life_domain"] or "", r["text"] or "", r["status"]))
        else:
            agreements.append(Agreement(r["id"], r["plan_id"], r["item"], r["text"] or "", _d(r["date"]),
                                        _d(r["due"]), r["status"]))
    ladder = [LadderScore(r["person_id"], _d(r["date"]), int(r["rung"])) for r in head["ladder"]]
    mandates = [Mandate(
        id=r["id"], life_domain=r["life_domain"], decision_type=r["decision_type"],
        organisation_id=r["organisation_id"], organisation_name=r["organisation_name"],
        held_since=_d(r["held_since"]), held_until=_d(r["held_until"]),
        granted_since=_d(r["granted_since"]), granted_until=_d(r["granted_until"]),
        buddy_name=r["buddy_name"], buddy_phone=r["buddy_phone"], buddy_function=r["buddy_function"])
        for r in head["mandates"]]
    return HouseholdView(info, people, coaches, involvements, handovers, referrals, goals, agreements, ladder,
                         mandates)


def mandates_that_apply(view: HouseholdView, as_of: date) -> dict[str, list[Mandate]]:
    """Per life domain in which the household has an active involvement or a goal: the coach's mandates in
    force at ``as_of`` for that domain (domains without a mandate map to an empty list)."""
    domains = {i.life_domain for i in view.involvements if is_active(i.since, i.until, as_of)}
    domains |= {g.life_domain for g in view.goals if g.life_domain}
    return {d: [m for m in view.mandates if m.life_domain == d and m.in_force(as_of)] for d in sorted(domains)}


_CLOSED_GOAL = frozenset({"behaald", "niet behaald", "gestopt", "afgesloten", "achieved", "closed"})


@dataclass(frozen=True)
class MandateGroup:
    """The coach's mandates in force for one life domain of a household: ``involved`` those of a partner that is
    involved in that domain now (or the household's own housing corporation) — or, where no partner is involved,
    all of the domain's when the plan has an open goal there — ``other`` the rest."""

    life_domain: str
    involved: list[Mandate]
    other: list[Mandate]


def mandates_by_domain(view: HouseholdView, as_of: date) -> list[MandateGroup]:
    """:func:`mandates_that_apply` grouped for reading: per domain the mandates of involved partners first; the
    domains with such a mandate before the others (each in code-list order)."""
    involved = {(i.life_domain, i.organisation_id) for i in view.involvements if is_active(i.since, i.until, as_of)}
    open_goals = {g.life_domain for g in view.goals if (g.status or "").casefold() not in _CLOSED_GOAL}
    corporation = (view.household.housing_corporation or "").casefold()
    groups = []
    for domain, mandates in mandates_that_apply(view, as_of).items():
        first = [m for m in mandates if (domain, m.organisation_id) in involved
                 or (corporation and m.organisation_name.casefold() == corporation)]
        if not first and domain in open_goals:
            first = list(mandates)  # no partner involved: every mandate of the domain serves the open goal
        groups.append(MandateGroup(domain, first, [m for m in mandates if m not in first]))
    return sorted(groups, key=lambda g: not g.involved)


def _entry(r: dict[str, Any]) -> CaseloadEntry:
    return CaseloadEntry(id=r["id"], address=_address(r["street"], r["house_number"], r["suffix"]),
                         postcode=r["postcode"], area_code=r["area_code"], since=_d(r["since"]),
                         members=r.get("members"))


def caseload(db: Database, audit: AuditLog, actor: Actor, *, today: date | None = None) -> list[CaseloadEntry]:
    """The coach's own households on ``today`` (audited as ``view_caseload``)."""
    require_role(audit, actor, "view_caseload", Role.COACH)
    audit_action(audit, actor, "view_caseload", target=actor.professional_id or "")
    rows = run(db, "coach_caseload", {"professional_id": actor.professional_id,
                                      "today": today or date.today()}).rows
    return [_entry(r) for r in rows]


_POSTCODE = re.compile(r"^\d{4}\s*[A-Za-z]{0,2}$")


def search_households(db: Database, audit: AuditLog, actor: Actor, text: str, *,
                      today: date | None = None) -> list[CaseloadEntry]:
    """Households in the coach's caseload that match ``text``: a household id, a postcode (or its first
    digits) or a street with house number. Audited as ``search`` (the search text is not stored)."""
    require_role(audit, actor, "search", Role.COACH)
    text = text.strip()
    audit_action(audit, actor, "search", detail=f"{len(text)} characters")
    if not text:
        return []
    postcode = text.replace(" ", "").upper() if _POSTCODE.match(text) else ""
    rows = run(db, "household_search", {
        "professional_id": actor.professional_id, "today": today or date.today(), "household_id": text,
        "postcode": postcode, "address": "" if postcode else " ".join(text.lower().split())}).rows
    return [_entry(r) for r in rows]


def recent_households(audit: AuditLog, actor: Actor, allowed: list[str], limit: int = 5) -> list[str]:
    """The households this user opened most recently (from the audit log), still within ``allowed``."""
    seen: list[str] = []
    for rec in reversed(list(audit.records(user=actor.user))):
        if rec.action == "view_household" and rec.result == "ok" and rec.target in allowed \
                and rec.target not in seen:
            seen.append(rec.target)
            if len(seen) == limit:
                break
    return seen
