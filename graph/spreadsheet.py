"""The one rule that keeps a formula out of every CSV and Excel file wijknet writes (CSV injection).

A spreadsheet runs a cell as a formula when its text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one of them), so a name such as ``=HYPERLINK("http://…","klik")`` loaded from a source
export would become a live link, or worse, in the file a colleague opens. Following the OWASP rule:

* **CSV**: :func:`inert` puts a single quote ``'`` before such text; a spreadsheet shows the rest as text. Numbers
  stay numbers: a real ``-3``, and the text ``"-3"`` too (an aggregate column with a hidden cell is text, see
  :func:`queries.analytics.disclosure.display_frame`), which a spreadsheet reads as the number it is.
* **Excel** (openpyxl): the text is kept exactly, but stored as a string cell. openpyxl makes every string that
  starts with ``=`` a formula cell (``data_type == "f"``); :func:`inert_workbook` turns each one back into a
  string cell. Other starts are stored as strings already, which Excel never evaluates.

Every writer goes through here: :mod:`queries.analytics.exports` (report CSV, the pages' CSV and Excel
downloads) and :mod:`ingest.validate` (ingest reports and rejects files). :func:`looks_like_formula` is the
narrower test the ingest uses to *flag* a value: it does not flag a phone number (``+31 6 …``) or a number.

>>> inert('=HYPERLINK("http://x","klik")'), inert("-2+3"), inert("Zoë"), inert(-3), inert("-3")
('\\'=HYPERLINK("http://x","klik")', "'-2+3", 'Zoë', -3, '-3')
>>> looks_like_formula("=1+1"), looks_like_formula("+31 6 12345678"), looks_like_formula("-3")
(True, False, False)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook

__all__ = ["FORMULA_START", "inert", "inert_frame", "inert_workbook", "looks_like_formula"]

#: What a spreadsheet may read as the start of a formula (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# A number or a phone number: digits, spaces and the punctuation they are written with, nothing a formula needs.
_NUMBER_LIKE = re.compile(r"[+-][\d\s().,/-]*")


def inert(value: Any) -> Any:
    """``value`` as a CSV cell: text a spreadsheet would run gets a leading ``'``; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and _PLAIN_NUMBER.fullmatch(value) is None:
        return "'" + value
    return value


def looks_like_formula(text: str) -> bool:
    """Whether ``text`` would be run by a spreadsheet and is not just a (phone) number: what ingest flags."""
    if not text.startswith(FORMULA_START):
        return False
    return _NUMBER_LIKE.fullmatch(text) is None


def _texts(values: pd.Index | pd.Series) -> bool:
    from pandas.api.types import is_object_dtype, is_string_dtype

    return bool(is_object_dtype(values.dtype) or is_string_dtype(values.dtype))  # not numbers or dates


def _inert_labels(index: pd.Index) -> pd.Index:
    import pandas as pd

    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_inert_labels(level) for level in index.levels])
    return index.map(inert) if _texts(index) else index


def inert_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` for a CSV file: :func:`inert` on every text cell, row label and column label."""
    out = table.copy()
    for col in out.columns:
        if _texts(out[col]):
            out[col] = out[col].map(inert)
    out.index = _inert_labels(out.index)
    out.columns = _inert_labels(out.columns)
    return out


def inert_workbook(workbook: Workbook) -> Workbook:
    """Store every formula cell of ``workbook`` as the string it is (its text unchanged); returns it.

    wijknet never writes a formula on purpose, so any formula cell came from data.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return workbook
