"""The days and periods the aggregate pages and ``wijknet report`` open on, worked out from the data's period
(a historical extract such as Velve-Lindenhof 2008–2012 ends years before today), and "one year earlier" that
holds on 29 February.

>>> from datetime import date
>>> year_before(date(2012, 2, 29)), last_quarter_end(date(2012, 11, 15))
(datetime.date(2011, 2, 28), datetime.date(2012, 9, 30))
"""

from __future__ import annotations

from datetime import date, timedelta

from queries.analytics.overlap import quarter_ends

__all__ = ["data_day", "default_period", "default_quarter_end", "last_quarter_end", "year_before", "year_up_to"]


def _years_moved(day: date, years: int) -> date:
    """``day`` ``years`` later (earlier when negative); 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


def year_before(day: date) -> date:
    """The same day one year earlier (29 February: 28 February).

    >>> year_before(date(2009, 1, 15)), year_before(date(2008, 2, 29))
    (datetime.date(2008, 1, 15), datetime.date(2007, 2, 28))
    """
    return _years_moved(day, -1)


def last_quarter_end(day: date) -> date:
    """The last end of a quarter on or before ``day`` (``day`` itself when it is one).

    >>> last_quarter_end(date(2008, 12, 31)), last_quarter_end(date(2008, 12, 30)), last_quarter_end(date(2008, 3, 1))
    (datetime.date(2008, 12, 31), datetime.date(2008, 9, 30), datetime.date(2007, 12, 31))
    """
    return max(e for e in quarter_ends(day.year - 1, day.year) if e <= day)


def data_day(last: date | None, today: date) -> date:
    """The day the figures open on: the data's last day, or today when the data run on (or there are none).

    >>> data_day(date(2012, 11, 15), date(2026, 12, 4)), data_day(None, date(2026, 12, 4))
    (datetime.date(2012, 11, 15), datetime.date(2026, 12, 4))
    """
    return min(today, last) if last is not None else today


def default_quarter_end(last: date | None, today: date) -> date:
    """The overlap table's default moment: the last quarter end that has data (:func:`data_day`)."""
    return last_quarter_end(data_day(last, today))


def default_period(last: date | None, today: date) -> tuple[date, date]:
    """The default period of the collaboration and handover views: the year up to and including the data's last
    day (both ends count: from the day after the same day a year before, not a year and a day).

    >>> default_period(date(2012, 12, 31), date(2026, 12, 4))
    (datetime.date(2012, 1, 1), datetime.date(2012, 12, 31))
    >>> default_period(date(2012, 2, 29), date(2026, 12, 4))
    (datetime.date(2011, 3, 1), datetime.date(2012, 2, 29))
    """
    end = data_day(last, today)
    return year_up_to(end), end


def year_up_to(end: date) -> date:
    """The first day of the year that ends with ``end`` (both days included).

    >>> year_up_to(date(2012, 12, 31)), year_up_to(date(2012, 2, 29))
    (datetime.date(2012, 1, 1), datetime.date(2011, 3, 1))
    """
    return year_before(end) + timedelta(days=1)
