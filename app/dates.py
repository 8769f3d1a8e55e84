"""Dates as people type them into a field: ``1-6-2007``, ``01-06-2007``, ``01/06/2007``, ``1.6.2007`` or
``2007-06-01``. A text field applies on Enter (Streamlit's own date field applies only when it loses focus,
so a typed date with Enter was silently ignored).

>>> parse_typed_date("1-6-2007"), parse_typed_date(" 2007-06-01 ")
(datetime.date(2007, 6, 1), datetime.date(2007, 6, 1))
"""

from __future__ import annotations

import re
from datetime import date, datetime

from app.i18n import t as _t
from graph.clock import local

__all__ = ["clipped", "dmy", "dmy_time", "parse_typed_date", "stored_moment"]

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


#: The most characters of a typed or linked value a sentence repeats (a link can carry thousands).
CLIP = 60


def clipped(text: str, limit: int = CLIP) -> str:
    """``text`` as a sentence repeats it: at most ``limit`` characters, a longer one cut with "…" (a link's
    value of 5,000 characters filled the page with one warning).

    >>> clipped("Atlantis"), clipped("A" * 100, 5)
    ('Atlantis', 'AAAA…')
    """
    return text if len(text) <= limit else text[:limit - 1] + "…"


def parse_typed_date(text: str) -> date:
    """The date in ``text`` (day first, or ISO); ``ValueError`` with a sentence to show beside the field."""
    t = text.strip()
    if not t:
        raise ValueError(_t("dates.empty"))
    m = _DMY.match(t)
    if m:
        d, mo, y = (int(x) for x in m.groups())
    elif m := _YMD.match(t):
        y, mo, d = (int(x) for x in m.groups())
    else:
        raise ValueError(_t("dates.not_a_date", text=clipped(t)))
    try:
        return date(y, mo, d)
    except ValueError:
        raise NoSuchDay(_t("dates.no_such_day", text=clipped(t))) from None


class NoSuchDay(ValueError):
    """A date written rightly of a day the calendar does not have (31-02-2026)."""


def dmy(d: date | datetime | None) -> str:
    """A date as a Dutch reader writes it, ``dd-mm-jjjj`` (also in English: the users are Dutch staff); none: ``""``.

    >>> dmy(date(2009, 3, 10)), dmy(None)
    ('10-03-2009', '')
    """
    return f"{d:%d-%m-%Y}" if d else ""


def stored_moment(text: str | None) -> datetime | None:
    """A moment as a log or side store keeps it (ISO 8601, with its offset); ``None`` when empty or not one.

    >>> stored_moment("2026-12-08T00:20:38+00:00").hour, stored_moment("gisteren"), stored_moment(None)
    (0, None, None)
    """
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def dmy_time(d: datetime | None) -> str:
    """A moment as ``dd-mm-jjjj hh:mm`` in Dutch time (:mod:`graph.clock`); none: ``""``."""
    return f"{local(d):%d-%m-%Y %H:%M}" if d else ""
