"""The names a page shows for things that have an id — one per thing, so that a chart, a table and a select never
draw two things as one.

Two exports may name two organisations alike (two branches of one foundation, "Wijkteam" twice), and a region's
server holds a wijk "Centrum" of every municipality. A page labels its charts, tables and selects by name: two
organisations of one name were one column (and pandas refused the chart), two areas of one name one option.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

__all__ = ["distinct_names"]


def _with_id(name: str, i: str) -> str:
    return f"{name} ({i})"


def distinct_names(names: Mapping[Any, Any], ids: Iterable[Any] = (), *,
                   apart: Callable[[str, str], str] = _with_id) -> dict[str, str]:
    """Id -> the name shown for it, one per id: a name two ids share is told apart by ``apart(name, id)`` (the
    name with the id after it); an id without a name (or one in ``ids`` that ``names`` does not hold) shows its id.

    >>> distinct_names({"O1": "Wijkteam", "O2": "Wijkteam", "O3": "MEE", "O4": None}, ["O5"])
    {'O1': 'Wijkteam (O1)', 'O2': 'Wijkteam (O2)', 'O3': 'MEE', 'O4': 'O4', 'O5': 'O5'}
    >>> distinct_names({"WK01": "Centrum (wijk)", "WK02": "Centrum (wijk)"},
    ...                apart=lambda n, i: n[:-1] + f", {i})")
    {'WK01': 'Centrum (wijk, WK01)', 'WK02': 'Centrum (wijk, WK02)'}
    """
    shown = {str(i): (str(n).strip() if n is not None and not pd.isna(n) else "") or str(i) for i, n in names.items()}
    for i in ids:
        shown.setdefault(str(i), str(i))
    taken = Counter(shown.values())
    return {i: apart(n, i) if taken[n] > 1 else n for i, n in shown.items()}
