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

import logging
import re
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import date as _Day  # for fields declared after a field named `date`
from typing import Any

from graph.clock import today as dutch_today
from graph.db import Database
from graph.said import said
from ingest.resolve import normalise_name, shown_postcode
from queries.access import (
    Actor,
    Role,
    audit_action,
    coach_scope,
    read_household,
    require_role,
)
from queries.analytics.household import (
    CoachAssignment,
    Handover,
    Involvement,
    PersonTie,
    Referral,
    is_active,
    person_labels,
    within_membership,
)
from queries.audit import AuditLog
from queries.registry import run

__all__ = [
    "Advice",
    "Agreement",
    "FIRST_STATUS",
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


log = logging.getLogger("wijknet.queries")


def _d(value: Any, what: str = "", problems: list[str] | None = None) -> date | None:
    """A stored date (neo4j.time.Date) as a ``datetime.date``.

    A value of another type never crashes a page: an ISO date stored as text is read as that date, anything else
    as unknown (None); either is reported in ``problems`` (and logged without the value).

    >>> seen: list[str] = []
    >>> _d("2008-01-01", "involvement I1: since", seen), _d("gisteren", "agreement A1: date", seen), len(seen)
    (datetime.date(2008, 1, 1), None, 2)
    """
    if value is None:
        return None
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = None
    if isinstance(value, str):
        with suppress(ValueError):
            parsed = date.fromisoformat(value.strip())
    _wrong_type(what, value, said("said.household.a_date", "a date"), parsed.isoformat() if parsed else None,
                problems)
    return parsed


def _int(value: Any, what: str, problems: list[str]) -> int | None:
    """A stored whole number; a value of another type is reported (see :func:`_d`) and read as unknown."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    parsed = int(value) if isinstance(value, str) and value.strip().isdigit() else None
    _wrong_type(what, value, said("said.household.a_whole_number", "a whole number"),
                None if parsed is None else str(parsed), problems)
    return parsed


def _with_date(rows: list[dict[str, Any]], key: str, kind: str, id_key: str, problems: list[str]
               ) -> list[tuple[dict[str, Any], date]]:
    """``rows`` with their ``key`` date read by :func:`_d`; a row without a readable one cannot be placed in time
    and is left out (reported)."""
    out = []
    for r in rows:
        what = f"{kind} {r[id_key]}"
        day = _d(r[key], f"{what}: {key}", problems)
        if day is None:
            problems.append(said("said.household.not_shown", "{what}: not shown (no readable {key})", what=what,
                                 key=key))
        else:
            out.append((r, day))
    return out


def _wrong_type(what: str, value: Any, expected: str, read_as: str | None, problems: list[str] | None) -> None:
    log.warning("stored value of the wrong type: %s is %s, not %s", what or "a value", type(value).__name__, expected)
    if problems is not None:
        what, stored, kind = what or "a value", str(value)[:40], type(value).__name__
        problems.append(said("said.household.wrong_type_read", "{what}: {value!r} is stored as {kind}, not as "
                             "{expected} — read as {read_as}", what=what, value=stored, kind=kind,
                             expected=expected, read_as=read_as) if read_as else
                        said("said.household.wrong_type", "{what}: {value!r} is stored as {kind}, not as {expected} — "
                             "shown as unknown", what=what, value=stored, kind=kind, expected=expected))


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


_CLOSED_GOAL = frozenset({"behaald", "niet behaald", "gestopt", "afgesloten", "achieved", "closed"})
#: The status a goal, an agreement or a sanction has from its start until another status is reached.
FIRST_STATUS = {"goal": "lopend", "afspraak": "open", "sanctie": "aangekondigd"}


def _status_on(as_of: date, status: str | None, since: date | None, earlier: tuple[tuple[date | None, str | None], ...],
               first: str) -> str | None:
    """The status that held on ``as_of``: of the earlier versions' statuses (each ``(reached on, status)``, oldest
    first) and the current one (``status`` reached on ``since``), the last one reached by then (a later version
    corrected the earlier ones); ``first`` before any was reached.

    >>> d = date(2009, 6, 1)
    >>> _status_on(d, "behaald", date(2009, 7, 1), (), "lopend"), _status_on(d, "behaald", None, (), "lopend")
    ('lopend', 'behaald')
    >>> _status_on(d, "behaald", date(2009, 7, 1), ((date(2009, 5, 1), "niet behaald"),), "lopend")
    'niet behaald'
    """
    held: str | None = first
    for reached, value in (*earlier, (since, status)):
        if reached is None or reached <= as_of:
            held = value  # a later version wins a tie: it corrected the earlier one
    return held


@dataclass(frozen=True)
class Goal:
    """A goal of the plan: set on ``since`` (unknown for an older export: always shown), its ``status`` reached
    on ``status_since`` (before it, the status of an earlier version or "lopend")."""

    id: str
    plan_id: str
    life_domain: str
    text: str
    status: str | None
    since: _Day | None = None
    status_since: _Day | None = None
    #: the statuses of the goal's earlier versions (kept when a coach corrected it): (reached on, status)
    earlier: tuple[tuple[_Day | None, str | None], ...] = ()

    def exists_on(self, as_of: date) -> bool:
        return self.since is None or self.since <= as_of

    @property
    def is_open(self) -> bool:
        """Still worked on: not reached, not given up (use :meth:`on` first for the status on a date)."""
        return (self.status or "").casefold() not in _CLOSED_GOAL

    def on(self, as_of: date) -> Goal:
        """The goal as it stood on ``as_of``: its status then."""
        status = _status_on(as_of, self.status, self.status_since or self.since, self.earlier, FIRST_STATUS["goal"])
        return replace(self, status=status)


@dataclass(frozen=True)
class Agreement:
    id: str
    plan_id: str
    kind: str  # "afspraak" | "sanctie"
    text: str
    date: date | None
    due: _Day | None
    status: str | None
    #: when the status was reached (before it: an earlier version's, or open / announced)
    status_since: _Day | None = None
    earlier: tuple[tuple[_Day | None, str | None], ...] = ()
    #: what the coach or a partner does in return ("voor wat hoort wat"; the workspace's form)
    in_return: str | None = None

    def exists_on(self, as_of: _Day) -> bool:
        return self.date is None or self.date <= as_of

    def on(self, as_of: _Day) -> Agreement:
        """The agreement as it stood on ``as_of``: its status then."""
        status = _status_on(as_of, self.status, self.status_since or self.date, self.earlier,
                            FIRST_STATUS.get(self.kind, "open"))
        return replace(self, status=status)


@dataclass(frozen=True)
class Advice:
    """The coach's advice about the household under a mandate, and the partner's decision (``None``: awaited)."""

    id: str
    date: date | None
    outcome: str | None
    life_domain: str
    decision_type: str
    organisation_name: str
    decided_at: _Day | None = None  # the day of the partner's decision, where it was recorded


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
    #: the other names the partner goes by (an export's "De Woonplaats" for "Woningcorporatie De Woonplaats")
    organisation_aliases: tuple[str, ...] = ()

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
    #: stored values of the wrong type (a date stored as text, ...): what, the value and how it was read
    data_problems: list[str] = field(default_factory=list)
    #: advice given about the household under a mandate, with the partner's decision (oldest first)
    advice: list[Advice] = field(default_factory=list)

    def goals_on(self, as_of: date) -> list[Goal]:
        """The goals set by ``as_of``, each with the status it had then."""
        return [g.on(as_of) for g in self.goals if g.exists_on(as_of)]

    def agreements_on(self, as_of: date) -> list[Agreement]:
        """The agreements and sanctions made by ``as_of``, each with the status it had then."""
        return [a.on(as_of) for a in self.agreements if a.exists_on(as_of)]

    def ladder_on(self, as_of: date) -> list[LadderScore]:
        """The ladder scores given by ``as_of``."""
        return [s for s in self.ladder if s.date <= as_of]

    def members(self, as_of: date | None = None) -> list[PersonTie]:
        return [p for p in self.people if p.kind == "member"
                and (as_of is None or is_active(p.since, p.until, as_of))]

    def name_of(self, person_id: str) -> str:
        """The person's name as the page shows it: told apart from others of the same name (birth year, role)."""
        return person_labels(self.people).get(person_id, person_id)

    def record_dates(self) -> list[date]:
        """Every date something about the household was recorded or changed (memberships, involvements and coach
        assignments starting or ending, handovers, referrals, goals, agreements, ladder scores, advice), sorted."""
        from queries.analytics.household import change_dates

        out = set(change_dates(self.involvements, self.people, self.coaches))
        dated: list[date | None] = [*(h.date for h in self.handovers), *(r.date for r in self.referrals),
                                    *(g.since for g in self.goals), *(a.date for a in self.agreements),
                                    *(s.date for s in self.ladder), *(a.date for a in self.advice)]
        out.update(d for d in dated if isinstance(d, date))
        return sorted(out)

    def period(self, today: date) -> tuple[date, date]:
        """The first and last day the page's date slider offers: from the first record to ``today`` or the last
        record, whichever is later (a record made today is always in the picture at the slider's end); at least
        two days, as a slider needs."""
        dates = self.record_dates()
        last = max([today, *dates])
        return min([last - timedelta(days=1), *dates]), last

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


def _person(row: dict[str, Any], names: bool, problems: list[str]) -> PersonTie:
    supports = (row["supports"],) if row.get("supports") else ()
    what = f"{row['kind']} {row['id']}"
    return PersonTie(id=row["id"], kind=row["kind"], role=row.get("role") or "",
                     since=_d(row.get("since"), f"{what}: since", problems),
                     until=_d(row.get("until"), f"{what}: until", problems), name=row.get("name") if names else None,
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
    names = _names_visible(actor)
    # Audit first: the scope checked and the record written before anything about the household is read (if the
    # record cannot be written, nothing is read). Then one read for the whole page, need-to-know checked inside
    # it again: a round trip costs more than any of its parts (docs/scaling.md).
    coach = actor.professional_id if actor.role == Role.COACH and actor.professional_id else None
    head = read_household(db, audit, actor, household_id, lambda: run(db, "household_page", {
        "household_id": household_id, "professional_id": coach, "coach_scope": coach_scope(actor),
        "today": today or dutch_today()}).first(), purpose=purpose, today=today)
    info = HouseholdInfo(
        id=head["id"],
        address=_address(head["street"], head["house_number"], head["suffix"]) if names else None,
        postcode=shown_postcode(head["postcode"]) if names else None,
        area_code=head["area_code"], area_name=head["area_name"], area_kind=head["area_kind"],
        housing_corporation=head["housing_corporation"])
    bad: list[str] = []  # stored values of the wrong type (see _d): reported on the page, never a crash
    people = _merge_supporters([_person(r, names, bad) for r in
                                head["members"] + head["client_system"] + head["informal"]])
    people.sort(key=lambda p: ({"member": 0, "client_system": 1, "informal": 2}[p.kind], p.since or date.min,
                               p.id))
    coaches = sorted((CoachAssignment(professional_id=c["professional_id"], since=since,
                                      until=_d(c["until"], f"caseload {c['professional_id']}: until", bad),
                                      name=c["name"] if names else None, phone=c["phone"] if names else None,
                                      organisation=c.get("organisation"))
                      for c, since in _with_date(head["coaches"], "since", "caseload", "professional_id", bad)),
                     key=lambda c: (c.since, c.professional_id))
    # each membership, also a second one of a member who came back (people holds one tie per person)
    memberships = [_person(r, False, []) for r in head["members"]]
    involvements = within_membership([Involvement(
        id=r["id"], professional_id=r["professional_id"], organisation_id=r["organisation_id"],
        life_domain=r["life_domain"], since=since, until=_d(r["until"], f"involvement {r['id']}: until", bad),
        role=r["role"] or "", function=r["function"] or "", person_ids=tuple(sorted(r["person_ids"])),
        household_level=bool(r["household_level"]),
        professional_name=r["professional_name"] if names else None,
        organisation_name=r["organisation_name"] or r["organisation_id"],
        phone=r["phone"] if names else None,
        seen=_d(r.get("seen"), f"involvement {r['id']}: seen", bad))
        for r, since in _with_date(head["involvements"], "since", "involvement", "id", bad)], memberships)
    handovers = [Handover(from_id=r["from_id"], to_id=r["to_id"], date=day, reason=r["reason"], id=r["id"])
                 for r, day in _with_date(head["handovers"], "date", "handover", "id", bad)]
    referrals = [Referral(
        id=r["id"], date=day, organisation_id=r["organisation_id"], life_domain=r["life_domain"] or "",
        organisation_name=r["organisation_name"] or r["organisation_id"], professional_id=r["professional_id"],
        professional_name=r["professional_name"] if names else None,
        accepted_at=_d(r["accepted_at"], f"referral {r['id']}: accepted_at", bad),
        started_at=_d(r["started_at"], f"referral {r['id']}: started_at", bad), reason=r["reason"],
        person_id=r["person_id"])
        for r, day in _with_date(head["referrals"], "date", "referral", "id", bad)]
    goals: list[Goal] = []
    agreements: list[Agreement] = []
    for r in head["plan"]:
        what = f"{r['item']} {r['id']}"
        reached = _d(r.get("status_since"), f"{what}: status_since", bad)
        earlier = tuple((_d(v.get("status_since") or v.get("start"), f"{what}: status_since", bad), v.get("status"))
                        for v in r.get("earlier") or [])
        if r["item"] == "goal":
            goals.append(Goal(r["id"], r["plan_id"], r["life_domain"] or "", r["text"] or "", r["status"],
                              _d(r["date"], f"{what}: since", bad), reached, earlier))
        else:
            agreements.append(Agreement(r["id"], r["plan_id"], r["item"], r["text"] or "",
                                        _d(r["date"], f"{what}: date", bad),
                                        _d(r["due"], f"{what}: due", bad), r["status"], reached, earlier,
                                        r.get("in_return")))
    ladder = []
    for r in head["ladder"]:
        day, rung = _d(r["date"], "ladder score: date", bad), _int(r["rung"], "ladder score: rung", bad)
        if day is not None and rung is not None:  # a score without its date or rung cannot be plotted
            ladder.append(LadderScore(r["person_id"], day, rung))
    mandates = [Mandate(
        id=r["id"], life_domain=r["life_domain"], decision_type=r["decision_type"],
        organisation_id=r["organisation_id"], organisation_name=r["organisation_name"],
        held_since=_d(r["held_since"], f"mandate {r['id']}: held since", bad),
        held_until=_d(r["held_until"], f"mandate {r['id']}: held until", bad),
        granted_since=_d(r["granted_since"], f"mandate {r['id']}: since", bad),
        granted_until=_d(r["granted_until"], f"mandate {r['id']}: until", bad),
        buddy_name=r["buddy_name"], buddy_phone=r["buddy_phone"], buddy_function=r["buddy_function"],
        organisation_aliases=tuple(r.get("organisation_aliases") or ()))
        for r in head["mandates"]]
    advice = [Advice(id=r["id"], date=_d(r["date"], f"advice {r['id']}: date", bad), outcome=r["outcome"],
                     life_domain=r["life_domain"] or "", decision_type=r["decision_type"] or "",
                     organisation_name=r["organisation_name"] or "",
                     decided_at=_d(r.get("decided_at"), f"advice {r['id']}: decided at", bad))
              for r in head.get("advice") or []]
    return HouseholdView(info, people, coaches, involvements, handovers, referrals, goals, agreements, ladder,
                         mandates, bad, advice)


def mandates_that_apply(view: HouseholdView, as_of: date) -> dict[str, list[Mandate]]:
    """Per life domain in which the household has an active involvement or a goal: the coach's mandates in
    force at ``as_of`` for that domain (domains without a mandate map to an empty list)."""
    domains = {i.life_domain for i in view.involvements if is_active(i.since, i.until, as_of)}
    domains |= {g.life_domain for g in view.goals_on(as_of) if g.life_domain}
    return {d: [m for m in view.mandates if m.life_domain == d and m.in_force(as_of)] for d in sorted(domains)}




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
    open_goals = {g.life_domain for g in view.goals_on(as_of) if g.is_open}
    # the household's corporation as the export names it, matched as organisation names are at ingest: by the
    # name or an alias, case, punctuation and spacing aside ("De Woonplaats" is "Woningcorporatie De Woonplaats")
    corporation = normalise_name(view.household.housing_corporation or "")

    def landlord(m: Mandate) -> bool:
        return bool(corporation) and corporation in {normalise_name(n) for n in (m.organisation_name,
                                                                                   *m.organisation_aliases)}

    groups = []
    for domain, mandates in mandates_that_apply(view, as_of).items():
        first = [m for m in mandates if (domain, m.organisation_id) in involved or landlord(m)]
        if not first and domain in open_goals:
            first = list(mandates)  # no partner involved: every mandate of the domain serves the open goal
        groups.append(MandateGroup(domain, first, [m for m in mandates if m not in first]))
    return sorted(groups, key=lambda g: not g.involved)


def _entry(r: dict[str, Any]) -> CaseloadEntry:
    return CaseloadEntry(id=r["id"], address=_address(r["street"], r["house_number"], r["suffix"]),
                         postcode=shown_postcode(r["postcode"]), area_code=r["area_code"], since=_d(r["since"]),
                         members=r.get("members"))


def caseload(db: Database, audit: AuditLog, actor: Actor, *, today: date | None = None) -> list[CaseloadEntry]:
    """The coach's own households on ``today`` (audited as ``view_caseload``)."""
    require_role(audit, actor, "view_caseload", Role.COACH)
    audit_action(audit, actor, "view_caseload", target=actor.professional_id or "")
    rows = run(db, "coach_caseload", {"professional_id": actor.professional_id,
                                      "today": today or dutch_today()}).rows
    return [_entry(r) for r in rows]


_POSTCODE = re.compile(r"^\d{4}\s*[A-Za-z]{0,2}$")
_NUMBER_LETTER = re.compile(r"(\d)[ -]([a-z]{1,2})$")  # "12 a", "12-a": the number's letter (suffix)


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
    # a house number's letter as Dutch addresses write it too: "3 A", "3-a" is the stored "3a"
    address = _NUMBER_LETTER.sub(r"\1\2", " ".join(text.lower().split()))
    rows = run(db, "household_search", {
        "professional_id": actor.professional_id, "today": today or dutch_today(), "household_id": text,
        "postcode": postcode, "address": "" if postcode else address}).rows
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
