"""The days the aggregate pages and ``wijknet report`` open on (``queries.analytics.periods``): one year earlier
holds on a leap day, the last quarter end that has data, the data's last day before today."""

from __future__ import annotations

from datetime import date

import pytest

from queries.analytics import periods


@pytest.mark.parametrize(("day", "before"), [
    (date(2012, 2, 29), date(2011, 2, 28)), (date(2012, 2, 28), date(2011, 2, 28)),
    (date(2009, 3, 1), date(2008, 3, 1)), (date(2009, 1, 15), date(2008, 1, 15)),
])
def test_one_year_earlier(day: date, before: date) -> None:
    assert periods.year_before(day) == before


@pytest.mark.parametrize(("day", "end"), [
    (date(2008, 12, 31), date(2008, 12, 31)), (date(2008, 12, 30), date(2008, 9, 30)),
    (date(2008, 10, 31), date(2008, 9, 30)), (date(2012, 2, 29), date(2011, 12, 31)),
    (date(2012, 3, 31), date(2012, 3, 31)), (date(2012, 7, 1), date(2012, 6, 30)),
])
def test_last_quarter_end(day: date, end: date) -> None:
    assert periods.last_quarter_end(day) == end


def test_defaults_follow_the_data_not_the_clock() -> None:
    today = date(2026, 12, 4)
    assert periods.default_quarter_end(date(2008, 10, 31), today) == date(2008, 9, 30)
    # a year up to and including the last day, not a year and a day: from 31-12-2011 on, the handover page's
    # quarters began with one day of 2011 K4 (x), which hid the last quarter too (seen at 8,000 households)
    assert periods.default_period(date(2012, 12, 31), today) == (date(2012, 1, 1), date(2012, 12, 31))
    assert periods.default_period(date(2012, 2, 29), today) == (date(2011, 3, 1), date(2012, 2, 29))
    # data that run on past today, or no data: today's
    assert periods.default_quarter_end(date(2030, 1, 1), today) == date(2026, 9, 30)
    assert periods.default_period(None, today) == (date(2025, 12, 5), today)


def test_examples_in_the_docstrings() -> None:
    import doctest

    result = doctest.testmod(periods)
    assert result.attempted > 0 and result.failed == 0
