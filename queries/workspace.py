"""The coach's workspace on the household page: what was recorded about a household, and its history.

:func:`workspace` reads, in one named query that checks the coach's scope itself (``workspace_facts``), every
fact a coach can record or correct for the household (see :mod:`ingest.record`, the writing side): each with its
version (the token a correction form carries), who recorded it (``source`` ``account:<name>``; a loaded fact
names its export) and when, and the kept earlier versions. Audited as ``view_household`` before anything is
returned, like :func:`queries.household.household_view`; only a coach, only within the caseload.

The pure methods of :class:`Workspace` replay it: :meth:`Workspace.valid_on` (the facts in force on a date, as
the as-of slider), :meth:`Workspace.known_at` (what was known at a moment: later entries left out, corrected
facts in the version they had then) and :meth:`Workspace.awaiting_decision` (advice without the partner's
decision).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graph.clock import today as dutch_today
from graph.db import Database
from queries.access import Actor, coach_scope, read_household
from queries.audit import AuditLog
from queries.registry import run

__all__ = ["Fact", "FactVersion", "Member", "Workspace", "facts_of", "recorded_by", "workspace"]

#: The fields that say when a fact holds: (start, end); a fact without an end holds from its start on.
PERIOD: dict[str, tuple[str, str | None]] = {
    "client_system": ("since", "until"), "informal_support": ("since", "until"), "advice": ("date", None),
    "goal": ("since", None), "agreement": ("date", None), "ladder_score": ("date", None),
    "involvement": ("since", "until"), "consultation": ("date", None), "referral": ("date", None),
    "consent": ("signed_at", "until"),
}
_META = ("kind", "id", "version", "source", "recorded_at", "correction")


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def recorded_by(source: str | None) -> str | None:
    """The account that recorded a fact (``None``: a loaded fact)."""
    return source.removeprefix("account:") if source and source.startswith("account:") else None


@dataclass(frozen=True)
class Member:
    id: str
    name: str | None
    role: str | None
    birth_year: int | None = None
    until: date | None = None  # the last day of this membership (None: a member now)


@dataclass(frozen=True)
class Fact:
    """One current fact: its kind (:data:`ingest.record.KINDS`), id, version and values."""

    kind: str
    id: str
    version: int
    values: dict[str, Any]
    source: str | None
    recorded_at: datetime | None
    correction: str | None = None

    @property
    def recorded_by(self) -> str | None:
        return recorded_by(self.source)

    @property
    def start(self) -> date | None:
        v = self.values.get(PERIOD[self.kind][0])
        return v if isinstance(v, date) else None

    def holds_on(self, as_of: date) -> bool:
        start, end_name = self.start, PERIOD[self.kind][1]
        end = self.values.get(end_name) if end_name else None
        return (start is None or start <= as_of) and (not isinstance(end, date) or end >= as_of)


@dataclass(frozen=True)
class FactVersion:
    """An earlier version of a fact, kept when it was corrected."""

    kind: str
    version_of: str
    version: int
    values: dict[str, Any]
    source: str | None
    recorded_at: datetime | None
    superseded_at: datetime | None
    superseded_by: str | None


@dataclass(frozen=True)
class Workspace:
    household_id: str
    members: list[Member]
    facts: list[Fact]
    history: list[FactVersion] = field(default_factory=list)

    def of(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]

    def valid_on(self, as_of: date) -> Workspace:
        """The facts in force on ``as_of`` (as the household page's date slider)."""
        return Workspace(self.household_id, self.members, [f for f in self.facts if f.holds_on(as_of)],
                         self.history)

    def known_at(self, moment: datetime) -> Workspace:
        """What was known at ``moment``: facts recorded later left out, a fact corrected later in the version it
        had then (from the kept versions)."""
        out = []
        for f in self.facts:
            if f.recorded_at is None or f.recorded_at <= moment:
                out.append(f)
                continue
            then = [v for v in self.history if v.version_of == f.id and v.kind == f.kind
                    and (v.recorded_at is None or v.recorded_at <= moment)
                    and (v.superseded_at is None or v.superseded_at > moment)]
            if then:
                v = then[-1]
                out.append(Fact(f.kind, f.id, v.version, v.values, v.source, v.recorded_at))
        return Workspace(self.household_id, self.members, out, self.history)

    def awaiting_decision(self) -> list[Fact]:
        """Advice the partner has not decided on yet."""
        return [f for f in self.of("advice") if not f.values.get("outcome")]

    def versions(self, fact: Fact) -> list[FactVersion]:
        return [v for v in self.history if v.version_of == fact.id and v.kind == fact.kind]

    def name_of(self, person_id: str | None) -> str:
        """A member as the household page names them (:func:`queries.analytics.household.person_labels`): two
        children of one name told apart by their birth year, an unnamed one by their role, never by an id."""
        from queries.analytics.household import PersonTie, person_labels

        ties = {m.id: PersonTie(m.id, "member", m.role or "", name=m.name, birth_year=m.birth_year)
                for m in self.members}  # once each, also a member who came back
        return person_labels(list(ties.values())).get(person_id or "", person_id or "")


def facts_of(row: dict[str, Any]) -> list[Fact]:
    """The facts of a row of ``workspace_facts`` (also read inside a write: :func:`ingest.record.record` refuses
    an entry recorded already)."""
    return [_fact(r) for r in row["facts"]]


def _fact(row: dict[str, Any]) -> Fact:
    return Fact(kind=row["kind"], id=row["id"], version=int(row["version"] or 0),
                values={k: _native(v) for k, v in row.items() if k not in _META},
                source=row.get("source"), recorded_at=_native(row.get("recorded_at")),
                correction=row.get("correction"))


def _version(row: dict[str, Any]) -> FactVersion:
    skip = {"id", "fact", "version_of", "version", "source", "recorded_at", "superseded_at", "superseded_by",
            "household_id", "fact_id"}
    return FactVersion(kind=row.get("fact") or "", version_of=row.get("version_of") or "",
                       version=int(row.get("version") or 0),
                       values={k: _native(v) for k, v in row.items() if k not in skip},
                       source=row.get("source"), recorded_at=_native(row.get("recorded_at")),
                       superseded_at=_native(row.get("superseded_at")),
                       superseded_by=recorded_by(row.get("superseded_by")))


def _day(value: Any) -> date | None:
    """A stored date as a date (a value of another type, left by an old load, as none)."""
    day = _native(value)
    return day if isinstance(day, date) else None


def workspace(db: Database, audit: AuditLog, actor: Actor, household_id: str, *,
              purpose: str = "home_visit_preparation", today: date | None = None) -> Workspace:
    """Everything recorded about the household that the coach can add to or correct, with its history.

    Checks and audits like :func:`queries.household.household_view` (one record, before anything is returned;
    ``AccessDenied`` outside the caseload or for another role, ``AuditUnavailable`` when it cannot be written)."""
    row = read_household(db, audit, actor, household_id, lambda: run(db, "workspace_facts", {
        "household_id": household_id, "coach_scope": coach_scope(actor), "today": today or dutch_today()}).first(),
        purpose=purpose, today=today)
    members = [Member(m["id"], m.get("name"), m.get("role"), m.get("birth_year"), _day(m.get("until")))
               for m in row["members"]]
    facts = sorted(facts_of(row), key=lambda f: (f.kind, f.start or date.min, f.id))
    return Workspace(row["id"], members, facts, [_version(v) for v in row["history"]])
