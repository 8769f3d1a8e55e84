"""Exports of protected aggregate tables: CSV, Excel, and charts as PNG or SVG.

Every function takes a table that already went through :mod:`queries.analytics.disclosure` (suppressed
cells are ``pd.NA``) and writes suppressed cells as :data:`~queries.analytics.disclosure.SUPPRESSED`
(``x``) — in the file and in the chart — so an export never holds more than the screen. A chart draws no
bar for a suppressed cell and prints ``x`` where it would be. Text a spreadsheet would run as a formula (an
organisation named ``=HYPERLINK(…)``) is made inert by :mod:`graph.spreadsheet`: a ``'`` in front in CSV, a
string cell in Excel.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"n": pd.array([12, pd.NA], dtype="Int64")}, index=["a", "b"])
>>> to_csv_bytes(t).decode().splitlines()
['group,n', 'a,12', 'b,x']
"""

from __future__ import annotations

import contextlib
import contextvars
import io
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from graph.spreadsheet import inert_frame, inert_workbook
from queries.analytics.disclosure import SUPPRESSED, display_frame

__all__ = ["bar_chart", "heatmap", "to_csv_bytes", "to_excel_bytes"]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _named(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its row labels headed ``group`` when they have no name (a file's column needs a heading); row
    labels of several levels (the collaboration map's pairs: source, target) keep the names they have, and unnamed
    ones are headed ``group_1``, ``group_2`` … (``rename_axis("group")`` raised on them: the map's CSV was empty).
    """
    if isinstance(table.index, pd.RangeIndex) or any(n is not None for n in table.index.names):
        return table
    if table.index.nlevels == 1:
        return table.rename_axis("group")
    return table.rename_axis([f"group_{i + 1}" for i in range(table.index.nlevels)])


def to_csv_bytes(table: pd.DataFrame, *, dutch: bool = False) -> bytes:
    """The table as UTF-8 CSV; the index is written unless it is a plain row number.

    Lines end in CRLF (RFC 4180, as Excel writes CSV): the writer then quotes any value holding a carriage
    return, which a spreadsheet would otherwise read as the start of a new row.

    ``dutch``: for a spreadsheet set to Dutch (the app's downloads in Dutch) — ``;``-separated (Dutch Excel reads a
    comma file as one column), decimals with a comma (``0,25``: Dutch Excel reads ``0.25`` as text or as a date),
    and a byte order mark (without one Excel reads é and ë as two characters each). A count stays a number beside
    a hidden cell (``x``). Without it: plain comma CSV for programs (the ``wijknet report`` command).

    >>> t = pd.DataFrame({"n": pd.array([12, pd.NA], dtype="Int64"), "share": [0.25, -1.5]}, index=["a", "b"])
    >>> to_csv_bytes(t, dutch=True).decode("utf-8-sig").splitlines()
    ['group;n;share', 'a;12;0,25', 'b;x;-1,5']
    """
    keep_index = not isinstance(table.index, pd.RangeIndex)
    if not dutch:
        text: str = inert_frame(_named(display_frame(table))).to_csv(index=keep_index, lineterminator="\r\n")
        return text.encode("utf-8")
    cells = inert_frame(_cells(table))  # numbers stay numbers here, so a negative one is no formula
    cells = cells.map(_dutch_number)
    if cells.index.nlevels == 1 and pd.api.types.is_float_dtype(cells.index.dtype):
        cells.index = cells.index.map(_dutch_number)
    dutch_text: str = cells.to_csv(index=keep_index, sep=";", lineterminator="\r\n")
    return dutch_text.encode("utf-8-sig")


def _dutch_number(value: object) -> object:
    """A decimal with a comma (``0,25``), a missing one empty; anything else as it is."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, float | np.floating):
        return value
    return "" if np.isnan(value) else repr(float(value)).replace(".", ",")


def _number(value: object) -> object:
    """A count or a share as the number it is (a numpy scalar as Python's, which openpyxl writes as a number)."""
    if isinstance(value, bool | np.bool_):
        return value
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _cells(table: pd.DataFrame) -> pd.DataFrame:
    """A copy for a spreadsheet: a hidden cell is the text ``x``, every other cell keeps its number — also in a
    column with a hidden cell, which :func:`display_frame` (for CSV) makes text. Excel sums numbers, not text.

    >>> t = pd.DataFrame({"n": pd.array([165, pd.NA], dtype="Int64"), "mean": [8.15, None]})
    >>> _cells(t).to_dict("list")
    {'n': [165, 'x'], 'mean': [8.15, 'x']}
    """
    out = table.copy()
    for c in out.columns:
        col = table[c]
        if col.isna().any():
            out[c] = pd.Series([SUPPRESSED if pd.isna(v) else _number(v) for v in col], index=col.index, dtype=object)
    return _named(out)


def to_excel_bytes(sheets: Mapping[str, pd.DataFrame], note: str = "", *, readme: tuple[str, str, str] | None = None,
                   about: Sequence[str] = ()) -> bytes:
    """One workbook with a sheet per table (names cut to Excel's 31 characters) and a 'Read me' sheet.

    Counts and decimals are numbers in their cells (a hidden cell is the text ``x``), so a spreadsheet can add them
    up. ``readme``: that sheet's name, its heading and the line that explains a hidden cell, in the reader's
    language (the app passes its catalogue's; the CLI writes English). ``about``: lines on the sheet before those
    that say what the export is (the page, the table, the filters, k)."""
    sheet, heading, legend = readme or (
        "Read me", "wijknet export",
        f"'{SUPPRESSED}' = hidden: fewer than k, or hidden so that it cannot be recomputed from totals.")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        pd.DataFrame({heading: [*about, note or "Aggregates with disclosure control.", legend]}).to_excel(
            xw, sheet_name=sheet[:31], index=False)
        for name, table in sheets.items():
            keep_index = not isinstance(table.index, pd.RangeIndex)
            # every row its own labels (no merged cells): a spreadsheet filters and sorts the map's rows whole
            _cells(table).to_excel(xw, sheet_name=name[:31], index=keep_index, merge_cells=False)
        inert_workbook(xw.book)
    return buf.getvalue()


#: What an exported chart says under it (a chart pasted into a report travels without the page): the lines on
#: what it shows (the page, the peildatum or period, the area, k: :func:`chart_notes`), and, when a cell is
#: hidden, what its ``x`` means. The app sets them in the reader's language around building a chart; the CLI's
#: charts say the second in English.
_NOTES: contextvars.ContextVar[tuple[str, tuple[str, ...]]] = contextvars.ContextVar("chart_notes", default=(
    f"{SUPPRESSED} = hidden: fewer than k, or hidden so that it cannot be recomputed from totals.", ()))


@contextlib.contextmanager
def chart_notes(hidden: str, about: Sequence[str] = ()) -> Iterator[None]:
    """Charts built in this block say ``about`` under them (one line, the parts joined by a dot) and, when a cell
    is hidden, ``hidden``."""
    token = _NOTES.set((hidden, tuple(about)))
    try:
        yield
    finally:
        _NOTES.reset(token)


def _footer(fig: object, hidden: bool) -> None:
    """Under a chart: what it shows, and what a hidden cell's ``x`` means if it has one, wrapped to its width."""
    import textwrap

    legend, about = _NOTES.get()
    width = max(60, int(fig.get_figwidth() * 17))  # type: ignore[attr-defined] # characters of 7 pt in its width
    lines: list[str] = []
    for part in about:  # whole parts to a line where they fit: "k = 10" is not cut after its "="
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += f" · {part}"
        else:
            lines += textwrap.wrap(part, width) or [part]
    if hidden:
        lines += textwrap.wrap(legend, width)
    if lines:
        fig.text(0.01, -0.02, "\n".join(lines), fontsize=7, ha="left", va="top", color="#444444",  # type: ignore[attr-defined]
                 linespacing=1.4)


def _figure_bytes(fig: object, fmt: str) -> bytes:
    import matplotlib.pyplot as plt

    if fmt not in ("png", "svg"):
        raise ValueError(f"charts are exported as png or svg, not {fmt!r}")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, bbox_inches="tight", dpi=120)  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    return buf.getvalue()


def bar_chart(table: pd.DataFrame, *, title: str, fmt: str = "png", ylabel: str = "households") -> bytes:
    """Grouped bars: one group per row, one bar per column; suppressed cells drawn as an ``x``."""
    return _figure_bytes(_bar_figure(table, title=title, ylabel=ylabel), fmt)


#: The longest column label written level under its bars; a longer one (the handovers' pairs, "SMD Enschede-
#: Haaksbergen → Wijkcoaches Velve-Lindenhof (gemeente Enschede)") is wrapped and slanted: twelve such labels
#: level ran into one black smear in the PNG and SVG.
_LEVEL_LABEL = 12


def _bar_figure(table: pd.DataFrame, *, title: str, ylabel: str) -> object:
    """The figure of :func:`bar_chart`."""
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows, cols = list(table.index), list(table.columns)
    labels = [str(c) for c in cols]
    # long labels (pairs of organisations): bars lie down, a label beside each, as the page draws them
    lying = max((len(c) for c in labels), default=0) > _LEVEL_LABEL
    if lying:
        labels = [textwrap.fill(c, 40) for c in labels]
        lines = sum(c.count("\n") + 1 for c in labels)
        fig, ax = plt.subplots(figsize=(8.0, max(3.0, 1.2 + 0.22 * lines + 0.1 * len(labels))))
    else:
        fig, ax = plt.subplots(figsize=(max(6.0, 1.0 + 0.5 * len(rows) * max(len(cols), 1) / 2), 4))
    width = 0.8 / max(len(rows), 1)
    x = np.arange(len(cols))
    for n, r in enumerate(rows):
        vals = table.loc[r]
        heights = [0.0 if pd.isna(v) else float(v) for v in vals]
        pos = x + (n - (len(rows) - 1) / 2) * width
        if lying:
            ax.barh(pos, heights, width, label=str(r))
        else:
            ax.bar(pos, heights, width, label=str(r))
        for p, v in zip(pos, vals, strict=True):
            if pd.isna(v):
                if lying:
                    ax.text(0, p, SUPPRESSED, ha="left", va="center", fontsize=9)
                else:
                    ax.text(p, 0, SUPPRESSED, ha="center", va="bottom", fontsize=9)
    if lying:
        ax.set_yticks(x, labels, fontsize=8)
        ax.invert_yaxis()  # the first (largest) on top, as read
        ax.set_xlabel(ylabel)
    else:
        ax.set_xticks(x, labels)
        ax.set_ylabel(ylabel)
    ax.set_title(title)
    if len(rows) > 1:
        ax.legend(fontsize=8)
    _footer(fig, bool(table.isna().to_numpy().any()))
    return fig


def heatmap(matrix: pd.DataFrame, *, title: str, fmt: str = "png") -> bytes:
    """A square matrix as a heatmap with the numbers written in; suppressed cells grey with ``x``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    vals = matrix.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    fig, ax = plt.subplots(figsize=(1.5 + 0.45 * len(matrix.columns), 1.2 + 0.4 * len(matrix.index)))
    ax.imshow(np.ma.masked_invalid(vals), cmap="Blues")
    ax.set_xticks(range(len(matrix.columns)), [str(c) for c in matrix.columns], rotation=90, fontsize=7)
    ax.set_yticks(range(len(matrix.index)), [str(c) for c in matrix.index], fontsize=7)
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            text = SUPPRESSED if np.isnan(vals[i, j]) else f"{int(vals[i, j])}"
            ax.text(j, i, text, ha="center", va="center", fontsize=6)
    ax.set_title(title)
    _footer(fig, bool(np.isnan(vals).any()))
    return _figure_bytes(fig, fmt)
