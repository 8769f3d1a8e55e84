""""Sinds u dit huishouden het laatst opende": what changed in a household since this coach last opened it.

The last open is read from the audit log: the user's ``view_household`` record for the household before the one
of the open being shown (:func:`queries.triage.last_opened` with ``skip_latest``). The changes are taken from the
household's view already read (:func:`queries.household.household_view`: one read, one audit record), so this
reads nothing more from the graph and writes no further audit record.

A change counts from the day of the last open up to ``today`` (both included), by the dates in the data:
involvements that started or ended — or that wijknet learnt of in that time (``Involvement.seen``, the day the
load that brought it matched it for signals) though they started before the last open, as a partner's export
often comes weeks late —, handovers (explicit and derived, as on the timeline), advice given about
the household or decided on by the partner in that time (the decision's day where it was recorded), and
agreements that fell due. An involvement loaded as history (never matched: no ``seen``) is known only by its
dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from graph.clock import local_day
from graph.clock import today as dutch_today
from queries.access import Actor
from queries.analytics.household import Handover, Involvement, all_handovers
from queries.audit import AuditLog
from queries.household import Advice, Agreement, HouseholdView
from queries.triage import last_opened

__all__ = ["HANDOVER_DAYS", "SinceLastVisit", "changes_since", "previous_open", "since_last_visit"]

#: A new involvement within this many days after another ended counts as a handover (as on the timeline).
HANDOVER_DAYS = 30


@dataclass(frozen=True)
class SinceLastVisit:
    """What changed in one household from ``last_opened`` (``None``: the first open) up to ``today``."""

    last_opened: datetime | None
    today: date
    started: list[Involvement] = field(default_factory=list)
    ended: list[Involvement] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
    agreements_due: list[Agreement] = field(default_factory=list)

    @property
    def first_visit(self) -> bool:
        return self.last_opened is None

    def late(self, involvement: Involvement) -> bool:
        """Whether ``involvement`` started before the day of the last open and was learnt of only since."""
        return (self.last_opened is not None and involvement.seen is not None
                and involvement.since < local_day(self.last_opened) <= involvement.seen)

    @property
    def empty(self) -> bool:
        return not (self.started or self.ended or self.handovers or self.advice or self.agreements_due)


def changes_since(view: HouseholdView, last: datetime | None, today: date) -> SinceLastVisit:
    """The changes in ``view`` dated from the day of ``last`` up to ``today`` (none on a first open)."""
    if last is None:
        return SinceLastVisit(None, today)
    start = local_day(last)  # the Dutch day (the audit log's moments are in UTC)

    def within(day: date | None) -> bool:
        return day is not None and start <= day <= today

    return SinceLastVisit(
        last_opened=last, today=today,
        started=sorted((i for i in view.involvements if within(i.since) or (i.since < start and within(i.seen))),
                       key=lambda i: (i.since, i.id)),
        ended=sorted((i for i in view.involvements if within(i.until)), key=lambda i: (i.until or today, i.id)),
        handovers=sorted((h for h in all_handovers(view.involvements, view.handovers, HANDOVER_DAYS)
                          if within(h.date)), key=lambda h: (h.date, h.to_id)),
        advice=[a for a in view.advice if within(a.date) or within(a.decided_at)],
        agreements_due=sorted((a for a in view.agreements if within(a.due)), key=lambda a: (a.due or today, a.id)),
    )


def previous_open(audit: AuditLog, actor: Actor, household_id: str) -> datetime | None:
    """When this user opened the household before the open being shown (``None``: this is the first)."""
    return last_opened(audit, actor, [household_id], skip_latest=True).get(household_id)


def since_last_visit(audit: AuditLog, actor: Actor, view: HouseholdView, today: date | None = None
                     ) -> SinceLastVisit:
    """What changed in the opened household since this user's previous open of it."""
    return changes_since(view, previous_open(audit, actor, view.household.id), today or dutch_today())
