"""Moments are shown and counted in Dutch time, whatever the host's zone (a municipal server often runs in UTC):
"Sinds u dit huishouden het laatst opende (… 20:09)" said an hour early, and an open at half past midnight counted from the day
before (an outside review of the signals, 2026-12-05)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.dates import dmy_time
from queries.analytics.household import Involvement
from queries.household import HouseholdInfo, HouseholdView
from queries.since_visit import changes_since


@pytest.fixture()
def host_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _view(*involvements: Involvement) -> HouseholdView:
    return HouseholdView(HouseholdInfo("HH-1", None, None, None, None, None, None), [], [], list(involvements),
                         [], [], [], [], [], [])


def test_a_moment_is_shown_in_dutch_time_on_a_host_in_utc(host_in_utc: None) -> None:
    assert dmy_time(datetime(2026, 12, 5, 20, 9, tzinfo=UTC)) == "05-12-2026 21:09"  # winter: UTC+1
    assert dmy_time(datetime(2026, 6, 5, 20, 9, tzinfo=UTC)) == "05-06-2026 22:09"  # summer: UTC+2


def test_an_open_after_midnight_dutch_time_counts_from_that_day(host_in_utc: None) -> None:
    # opened on 5 December at 00:30 in Enschede (23:30 UTC on the 4th): what started on the 4th was there already
    opened = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    before = Involvement("I1", "P1", "O1", "WONEN", date(2026, 12, 4))
    after = Involvement("I2", "P2", "O2", "WONEN", date(2026, 12, 5))
    s = changes_since(_view(before, after), opened, date(2026, 12, 6))
    assert [i.id for i in s.started] == ["I2"]


def test_today_is_the_dutch_day_on_a_host_in_utc(host_in_utc: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 23:30 UTC on 14 January it is already 15 January in Enschede: every default "today" of the product
    (a retention cut-off here, the caseload's and the intake's day, the signals' day…) is the Dutch one."""
    import graph.clock
    from queries.privacy import retention_cutoff

    class Late(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Late:
            moment = datetime(2031, 1, 14, 23, 30, tzinfo=UTC)
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)  # type: ignore[return-value]

    monkeypatch.setattr(graph.clock, "datetime", Late)
    assert graph.clock.today() == date(2031, 1, 15)
    assert retention_cutoff(1) == date(2031, 1, 14)


def test_the_product_asks_one_clock_for_today() -> None:
    """``date.today()`` is the host's day (the day before, late in the evening on a server in UTC): the product's
    code asks :func:`graph.clock.today` instead — found in 25 modules once, the mechanism behind the early day."""
    root = Path(__file__).resolve().parents[2]
    found = [f"{p.relative_to(root)}:{n}" for d in ("graph", "ingest", "queries", "app") for p in (root / d).rglob("*.py")
             if p.name != "clock.py" for n, line in enumerate(p.read_text().splitlines(), 1)
             if re.search(r"\b(date|datetime)\.today\(\)|datetime\.now\(\)", line)]
    assert found == []
