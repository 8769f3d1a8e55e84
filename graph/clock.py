"""The users' clock: moments are kept in UTC (the audit log, ``recorded_at``) and shown and counted in Dutch time,
whatever the zone of the host — a municipal server often runs in UTC, where "20:09" would be an hour or two early
for a Dutch reader, and the day of a late open would be the day before.

>>> from datetime import UTC, datetime
>>> local(datetime(2026, 12, 5, 20, 9, tzinfo=UTC)).strftime("%d-%m-%Y %H:%M")
'05-12-2026 21:09'
>>> local_day(datetime(2026, 6, 4, 22, 30, tzinfo=UTC))
datetime.date(2026, 6, 5)
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

__all__ = ["DUTCH_TIME", "local", "local_day", "today"]

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def local(at: datetime) -> datetime:
    """``at`` in Dutch time (a moment without a zone is taken as UTC, as the audit log writes them)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(DUTCH_TIME)


def local_day(at: datetime) -> date:
    """The Dutch day of a moment."""
    return local(at).date()


def today() -> date:
    """Today in the Netherlands (on a host in UTC, between 23:00 and midnight its date is still yesterday)."""
    return datetime.now(DUTCH_TIME).date()
