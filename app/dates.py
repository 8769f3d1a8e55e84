"""Dates as people type them into a field: ``1-6-2007``, ``01-06-2007``, ``01/06/2007``, ``1.6.2007`` or
``2007-06-01``. A text field applies on Enter (Streamlit's own date field applies only when it loses focus,
so a typed date with Enter was silently ignored).

>>> parse_typed_date("1-6-2007"), parse_typed_date(" 2007-06-01 ")
(datetime.date(2007, 6, 1), datetime.date(2007, 6, 1))
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["parse_typed_date"]

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_typed_date(text: str) -> date:
    """The date in ``text`` (day first, or ISO); ``ValueError`` with a sentence to show beside the field."""
    t = text.strip()
    m = _DMY.match(t)
    if m:
        d, mo, y = (int(x) for x in m.groups())
    elif m := _YMD.match(t):
        y, mo, d = (int(x) for x in m.groups())
    else:
        raise ValueError(f"'{t}' is not a date: type it as dd-mm-yyyy, e.g. 01-06-2007.")
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueError(f"'{t}' does not exist in the calendar.") from None
