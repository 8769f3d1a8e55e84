"""The project lead's intake lists: open signals, open intakes and each coach's caseload count.

What an intake needs and nothing more: the signal's date, channel and area, the household's pseudonym and its
coach. Nothing of a household's content (:data:`queries.access.HOUSEHOLD_CONTENT_FIELDS`) is read. The lists that
name households by pseudonym are for :data:`~queries.access.CASELOAD_ROLES` (the project lead); the counts per
coach also for :data:`~queries.access.INTAKE_ROLES` (the administrator, who may move a leaving coach's caseload).
Every read is audited before it runs, with the purpose ``caseload_management``. The writes are in
:mod:`ingest.intake`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from graph.clock import today as dutch_today
from graph.db import Database
from graph.errors import InvalidFields
from graph.said import said
from ingest.mapping import CellProblem
from ingest.resolve import address_key
from queries.access import CASELOAD_ROLES, INTAKE_ROLES, Actor, audit_action, audit_each, require_role
from queries.audit import AuditLog
from queries.registry import run

__all__ = ["CoachCount", "HouseholdAt", "Intake", "OpenIntake", "OpenSignal", "caseload_counts", "household_at",
           "open_intake_households",
           "open_intakes", "open_signals"]

PURPOSE = "caseload_management"
#: How far back the open-signal list looks by default.
SIGNAL_WINDOW_DAYS = 365


@dataclass(frozen=True)
class OpenSignal:
    """A signal that is not yet anyone's case."""

    signal_id: str
    signal_date: date
    channel: str
    area_code: str | None
    household_id: str | None
    coach_id: str | None  # the household's coach on the day (a signal about a household someone holds)
    coach: str | None
    version: int


@dataclass(frozen=True)
class OpenIntake:
    """A household with a signal that is not yet anyone's case and no coach today: its pseudonym and area only."""

    household_id: str
    area_code: str | None
    area_name: str | None


@dataclass(frozen=True)
class Intake:
    """An open (``open``) or assigned (``toegewezen``) intake."""

    signal_id: str
    signal_date: date
    channel: str
    area_code: str | None
    household_id: str | None
    status: str
    opened_at: date | None
    coach_id: str | None
    coach: str | None
    version: int


@dataclass(frozen=True)
class CoachCount:
    """How many households a wijkcoach holds on a day."""

    professional_id: str
    coach: str
    households: int


@dataclass(frozen=True)
class HouseholdAt:
    """A household found at an address for an intake: its pseudonym, area and coach on the day (not the address)."""

    household_id: str
    area_code: str | None
    area_name: str | None
    coach_id: str | None
    coach: str | None


def household_at(db: Database, audit: AuditLog, actor: Actor, postcode: str, house_number: str | int,
                 suffix: str = "", *, today: date | None = None) -> list[HouseholdAt]:
    """The households at ``postcode`` and ``house_number`` (with ``suffix`` when given, else every suffix of the
    number): for the project lead, who has a signal with an address and needs the household's pseudonym. The
    address is matched by its key (:func:`ingest.resolve.address_key`, as a load makes it), never returned; the
    search is audited as ``find_household_at`` before it runs, without the address (only that one was looked up),
    and each household it finds once more, under the household, before it is returned (an outside test saw the
    look-up missing from ``wijknet audit who-saw`` of the household it had found).
    Raises :class:`graph.errors.InvalidFields` (per field, nothing read) for a postcode that is not ``1234 AB`` or
    a house number that is not a whole number."""
    day = today or dutch_today()
    require_role(audit, actor, "find_household_at", *CASELOAD_ROLES)
    written = str(postcode or "").strip()
    number = str(house_number or "").strip()
    errors: dict[str, str] = {}
    try:
        address_key(" ".join(written.split()), 0)
    except CellProblem:
        errors["postcode"] = said("said.intake.bad_postcode", "{value!r} is not a postcode (1234 AB).", value=written) \
            if written else said("said.intake.fill_postcode", "Fill in the postcode (1234 AB).")
    if not number.isdigit() or int(number) <= 0:
        errors["huisnummer"] = said("said.intake.bad_house_number", "{value!r} is not a house number (a whole "
                                    "number; a letter or addition goes in its own field).", value=number) \
            if number else said("said.intake.fill_house_number", "Fill in the house number (a whole number).")
    if errors:
        raise InvalidFields(errors)
    audit_action(audit, actor, "find_household_at", purpose=PURPOSE, detail=f"today={day}")
    exact = address_key(" ".join(written.split()), int(number), suffix or None)
    every = address_key(" ".join(written.split()), int(number))  # every suffix of the number
    rows = run(db, "intake_household_at", {"prefix": exact, "today": day}).rows
    found = [HouseholdAt(r["household_id"], r["area_code"], r["area_name"], r["coach_id"], r["coach"])
             for r in rows if exact == every or r["address_key"] == exact]
    if found:  # who found which household, before it is shown: `wijknet audit who-saw` lists the look-up under it
        audit_each(audit, actor, "find_household_at", [h.household_id for h in found], purpose=PURPOSE,
                   detail=f"today={day};found")
    return found


def _day(value: Any) -> Any:
    """A Neo4j date as a Python ``date`` (``None`` stays ``None``)."""
    return value.to_native() if hasattr(value, "to_native") else value


def _read(audit: AuditLog, actor: Actor, action: str, roles: tuple[Any, ...], day: date) -> None:
    require_role(audit, actor, action, *roles)
    audit_action(audit, actor, action, purpose=PURPOSE, detail=f"today={day}")


def _open_signal_rows(db: Database, day: date, first_day: date | None, statuses: list[str]) -> list[dict[str, Any]]:
    """The one read of signals that are not yet anyone's case (``intake_open_signals.cypher``); callers audit."""
    return run(db, "intake_open_signals", {"today": day, "first_day": first_day, "statuses": statuses}).rows


def open_signals(db: Database, audit: AuditLog, actor: Actor, *, today: date | None = None,
                 days: int = SIGNAL_WINDOW_DAYS) -> list[OpenSignal]:
    """Signals of the ``days`` days up to ``today`` that are not yet anyone's case: no intake was opened for them
    and no coach took their household on since the signal (audited as ``view_intake_signals``)."""
    day = today or dutch_today()
    _read(audit, actor, "view_intake_signals", CASELOAD_ROLES, day)
    rows = _open_signal_rows(db, day, day - timedelta(days=days), ["nieuw"])
    return [OpenSignal(r["signal_id"], _day(r["signal_date"]), r["channel"], r["area_code"], r["household_id"],
                       r["coach_id"], r["coach"], int(r["version"])) for r in rows]


def open_intake_households(db: Database, audit: AuditLog, actor: Actor, *, today: date | None = None,
                           days: int = SIGNAL_WINDOW_DAYS) -> list[OpenIntake]:
    """Households with a signal that is not yet anyone's case and no coach on ``today``: the project lead's
    overview. Exactly the households the intake page offers to act on — a signal of the ``days`` days up to
    ``today`` without an intake (its *open signals*, :func:`open_signals`), or an intake opened but not assigned
    (its *running intakes*, any date) — and no coach took the household on since. An older signal nobody took up
    is not counted: the intake page does not list it, so the lead could not act on it there. By pseudonym and
    area only; nothing of the signal (no date, channel or content) is served. Audited as ``view_open_intakes``
    before the read."""
    day = today or dutch_today()
    require_role(audit, actor, "view_open_intakes", *CASELOAD_ROLES)
    audit_action(audit, actor, "view_open_intakes")
    seen: dict[str, OpenIntake] = {}
    rows = _open_signal_rows(db, day, day - timedelta(days=days), ["nieuw"]) + _open_signal_rows(db, day, None,
                                                                                                  ["open"])
    for r in rows:
        if r["household_id"] is not None and r["coach_id"] is None:
            seen.setdefault(r["household_id"], OpenIntake(r["household_id"], r["area_code"], r["area_name"]))
    return sorted(seen.values(), key=lambda i: (i.area_code or "", i.household_id))


def open_intakes(db: Database, audit: AuditLog, actor: Actor, *, today: date | None = None) -> list[Intake]:
    """Intakes not yet closed, with the household's coach on ``today`` (audited as ``view_intakes``)."""
    day = today or dutch_today()
    _read(audit, actor, "view_intakes", CASELOAD_ROLES, day)
    return [Intake(r["signal_id"], _day(r["signal_date"]), r["channel"], r["area_code"], r["household_id"],
                   r["status"], _day(r["opened_at"]), r["coach_id"], r["coach"], int(r["version"]))
            for r in run(db, "intake_open_intakes", {"today": day}).rows]


def caseload_counts(db: Database, audit: AuditLog, actor: Actor, *, today: date | None = None) -> list[CoachCount]:
    """Every wijkcoach with the number of households they hold on ``today`` (counts only; audited as
    ``view_caseload_counts``)."""
    day = today or dutch_today()
    _read(audit, actor, "view_caseload_counts", INTAKE_ROLES, day)
    return [CoachCount(r["professional_id"], r["coach"] or r["professional_id"], int(r["households"]))
            for r in run(db, "intake_caseload_counts", {"today": day}).rows]
