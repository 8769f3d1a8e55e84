"""Shared pieces of the aggregate pages (overlap, collaboration, handovers): a chart with its table beside
it, a "how to read this" note, export buttons that audit before they hand out a file, and a network map
with a fixed layout. Charts are plotly (bundled with Streamlit: nothing loads from another host)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.chrome_nl import plotly_config
from app.dates import dmy
from app.i18n import code_label, column_labels, num, shown_text
from app.i18n import t as _t  # `t` is a loop variable (target) below
from app.nav import PAGE_BEFORE, PAGE_NOW
from app.session import while_signed_in
from app.ui import guarded
from graph.clock import today as dutch_today
from queries.access import Actor
from queries.aggregates import record_export
from queries.analytics import exports
from queries.analytics.disclosure import SUPPRESSED, TOTAL, display_frame
from queries.audit import AuditLog

__all__ = ["HIDDEN_LABEL", "IN_LINK", "NO_BASE", "AggregatePage", "bars", "data_table", "export_buttons", "filter_fields",
           "grouped", "headline", "linked_select", "linked_toggle", "network_figure", "pair_heatmap", "open_aggregate_page", "per_hundred",
           "quarter_end_select", "section", "shown", "stacked_trend", "typed_date", "typed_number",
           "with_no_base", "without_totals"]


def area_labels(areas: list[dict[str, Any]]) -> dict[str, str]:
    """Area code -> "name (kind)", as the filters, charts and exports show it; two areas of one name and kind (a
    region's wijk "Centrum" of every municipality) are told apart by their code — they were one option of the
    select, and a link by the text always chose the first.

    >>> area_labels([{"code": "WK01", "name": "Centrum", "kind": "wijk"}, {"code": "WK02", "name": "Centrum",
    ...              "kind": "wijk"}, {"code": "NVL", "name": "Nieuwe Velve", "kind": "experiment"}])
    {'WK01': 'Centrum (wijk, WK01)', 'WK02': 'Centrum (wijk, WK02)', 'NVL': 'Nieuwe Velve (experimentwijk)'}
    """
    from queries.analytics.labels import distinct_names

    named = {a["code"]: f"{a['name'] or a['code']} ({code_label('area_kind', a['kind'])})" for a in areas}
    return distinct_names(named, apart=lambda name, code: f"{name[:-1]}, {code})")


class AggregatePage:
    """What every aggregate page starts with: the signed-in actor, the database, the audit log, area labels, and
    the data's period (``first_day``, ``last_day``: None without data) that its date fields open on."""

    def __init__(self, actor: Actor, db: Any, audit: AuditLog, area_label: dict[str | None, str],
                 first_day: date | None = None, last_day: date | None = None) -> None:
        self.actor, self.db, self.audit, self.area_label = actor, db, audit, area_label
        self.first_day, self.last_day = first_day, last_day

    def data_day(self) -> date:
        """The day the figures open on: the data's last day, or today when the data run on."""
        from queries.analytics.periods import data_day

        return data_day(self.last_day, dutch_today())

    def say_after_data(self, end: date, message: str = "agg.period_after_data") -> None:
        """A period (or, with the overlap page's ``message``, a date) that ends after the data's last day: say so
        above the figures (a review typed 01-01-2099 on the collaboration page and got them without a word)."""
        if end > (day := self.data_day()):
            st.info(_t(message, day=dmy(day), end=dmy(end)), icon=":material/event_busy:")

    def quarter_end(self) -> date:
        """The last quarter end that has data (today's last one when the data run on to today)."""
        from queries.analytics.periods import last_quarter_end

        return last_quarter_end(self.data_day())

    def years(self) -> tuple[int, int]:
        """The first and the last year of the data (the first at least one before the last: a slider needs two ends)."""
        last = self.data_day().year
        first = min(self.first_day.year if self.first_day else last - 1, last - 1)
        return first, last

    def year_select(self, key: str = "jaar") -> tuple[date, date]:
        """The calendar year the collaboration and handover figures are counted for (1 January to 31 December: two
        periods that overlap would give away each other's hidden cells, :func:`queries.aggregates.year_period`),
        chosen among the data's years, the latest first (in the link as ``?jaar=2009``)."""
        from queries.aggregates import year_period

        first, last = self.years()
        year = linked_select(_t("agg.year"), list(range(last, first - 1, -1)), str, key, help=_t("agg.year_help"),
                             width=140)
        return year_period(int(year))

    def area_select(self, key: str = "gebied") -> str | None:
        """The area, in the link as its name (``?gebied=Nieuwe Velve (experimentwijk)``)."""
        return linked_select(_t("common.area"), list(self.area_label), lambda c: self.area_label[c], key)

    @staticmethod
    def domain_select(key: str = "domein") -> str | None:
        """The life domain, in the link as its meaning (``?domein=wonen``)."""
        from graph.model import LIFE_DOMAINS

        return linked_select(_t("common.life_domain"), [None, *LIFE_DOMAINS],
                             lambda d: code_label("life_domain", d) if d else _t("common.all_domains"), key)


def open_aggregate_page(title: str) -> AggregatePage:
    """Title, actor (stops the script when nobody is signed in), resources and the area list."""
    from app.session import current_actor
    from app.state import get_audit, get_db
    from queries.overview import areas as area_rows
    from queries.overview import data_period

    st.title(title)
    actor = current_actor()
    if actor is None:
        st.stop()
    db, audit = get_db(), get_audit()
    areas = guarded(lambda: area_rows(db)) or []
    area_label: dict[str | None, str] = {None: _t("common.all_areas"), **area_labels(areas)}
    st.session_state[_EXPORTED_FROM] = (title, area_label)  # what this run's exports say they come from
    first_day, last_day = guarded(lambda: data_period(db)) or (None, None)
    return AggregatePage(actor, db, audit, area_label, first_day, last_day)


def without_totals(table: pd.DataFrame) -> pd.DataFrame:
    """The table without its Total row and column (for charts)."""
    return table.drop(index=[TOTAL], columns=[TOTAL], errors="ignore")


#: Legend entry and hover text of a suppressed cell in a chart (hatched, never a gap that reads as a dip).
HIDDEN_LABEL = _t("agg.hidden")
_HATCH = {"shape": "/", "fgcolor": "rgba(90,90,90,0.55)", "bgcolor": "rgba(255,255,255,0)", "solidity": 0.25}


def headline(row: pd.Series, columns: list[str]) -> str:
    """A headline sum of some cells of a protected row, consistent with the table beside it.

    The sum of the shown cells when none of ``columns`` is hidden; otherwise the row's total minus the other
    cells when those are all shown (the table gives that away already, and the protection keeps such a
    remainder at k or more); otherwise ``x``."""
    def shown(v: Any) -> bool:
        return not pd.isna(v)

    part = row[columns]
    if all(shown(v) for v in part):
        return num(int(part.sum()))
    rest = row.drop(labels=[*columns, TOTAL], errors="ignore")
    if TOTAL in row.index and shown(row[TOTAL]) and all(shown(v) for v in rest):
        return num(int(row[TOTAL]) - int(rest.sum()))
    return SUPPRESSED


#: Characters per line of a label under a bar and of the value axis's title (a 1024 px page gives a chart
#: about 560 px; a line of 16 characters is about 110 px wide)
_LABEL_LINE, _TITLE_LINE = 16, 28
#: Label lines (of at most :data:`_LABEL_LINE` characters) side by side under the bars that fit without being
#: stood on end: beyond it the labels go beside the bars (the chart is drawn horizontally)
_LABEL_ROOM = 72
#: Characters per line of a label beside a bar: a pair of organisations' names ("Gemeente Enschede,
#: Multiprobleemaanpak → Reclassering Nederland, …") on one line took more than the figure's left margin can grow
#: to at 1024 px, and plotly cut its first letters off ("emeente …", an outside review)
_SIDE_LINE = 34


def wrapped(text: str, width: int) -> str:
    """``text`` broken at spaces into lines of at most ``width`` characters (a longer word stays whole), joined
    by plotly's line break.

    >>> wrapped("gemiddeld aantal casemanagers per huishouden", 28)
    'gemiddeld aantal<br>casemanagers per huishouden'
    """
    import textwrap

    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def bars(table: pd.DataFrame, *, barmode: str = "group", y_title: str | None = None,
         horizontal: bool | None = None) -> go.Figure:
    """One trace per row of ``table`` (columns on the axis); a suppressed cell is drawn as a hatched grey bar
    the height of the chart's largest bar, labelled x, so that it cannot be read as a low value.

    Every label is drawn whole at 1024 px: under the bars a label is broken into lines, and when the labels
    would not fit side by side (a dozen organisation names) they go beside the bars instead (``horizontal``
    None: chosen so; True or False: as asked). The value axis's title is broken into lines too: stood on end
    beside a strip of bars it ran out of the figure ("gemiddeld aantal casemanagers per huishouden")."""
    fig = go.Figure()
    y_title = y_title if y_title is not None else _t("agg.households")
    cats = [str(value_label(c)) for c in table.columns]
    lines = [wrapped(c, _LABEL_LINE).split("<br>") for c in cats]
    if horizontal is None:
        horizontal = sum(max(len(x) for x in ls) for ls in lines) > _LABEL_ROOM if cats else False
    if not horizontal:
        cats = ["<br>".join(ls) for ls in lines]
    else:
        cats = [wrapped(c, _SIDE_LINE) for c in cats]
    side_lines = sum(c.count("<br>") + 1 for c in cats)
    label_lines = max((len(ls) for ls in lines), default=1)
    numbers = pd.to_numeric(table.stack(), errors="coerce").dropna()
    top = float(numbers.max()) if len(numbers) and float(numbers.max()) > 0 else 1.0
    legend_shown = False
    for r in table.index:
        vals = table.loc[r]
        y = [None if pd.isna(v) else float(v) for v in vals]
        group = str(r)
        if horizontal:
            fig.add_bar(y=cats, x=y, name=str(value_label(r)), orientation="h", offsetgroup=group)
        else:
            fig.add_bar(x=cats, y=y, name=str(value_label(r)), offsetgroup=group)
        hidden = [top if pd.isna(v) else None for v in vals]
        if any(h is not None for h in hidden):
            style: dict[str, Any] = {"name": HIDDEN_LABEL, "offsetgroup": group, "legendgroup": "hidden",
                                     "showlegend": not legend_shown, "marker": {"color": "rgba(200,200,200,0.35)",
                                                                                "pattern": _HATCH},
                                     "text": [SUPPRESSED if h is not None else "" for h in hidden],
                                     "hovertext": [f"{r}: {SUPPRESSED} ({HIDDEN_LABEL})" for _ in hidden],
                                     "hoverinfo": "text", "textposition": "inside"}
            if horizontal:
                fig.add_bar(y=cats, x=hidden, orientation="h", **style)
            else:
                fig.add_bar(x=cats, y=hidden, **style)
            legend_shown = True
    axis = {"type": "category", "categoryorder": "array", "categoryarray": cats}
    # The value axis counts: whole ticks for small whole counts (no "0,2 huishoudens"), and no scale at all when
    # every cell is hidden, or every one shown is 0 beside hidden ones (the hatched bars' height says nothing: an
    # outside test read advices on a scale of 0 to 1 where the table had 11 to 20, hidden).
    counts: dict[str, Any] = {"rangemode": "tozero"}
    if not len(numbers) or (float(numbers.max()) <= 0 and table.isna().any().any()):
        counts["showticklabels"] = False
    elif top <= 5 and all(float(v).is_integer() for v in numbers):
        counts["dtick"] = 1
    if horizontal:
        fig.update_yaxes(**axis, autorange="reversed", automargin=True)  # the first category on top, as read
        fig.update_xaxes(**counts)
    else:
        fig.update_xaxes(**axis)
        fig.update_yaxes(**counts)
    if not horizontal:
        # the legend above the plot, in lines across: beside it, its long "verborgen (x): …" took half a 564 px
        # figure, and the four labels of the coach effect, stood on end in what was left, ran over each other
        fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0})
    fig.update_layout(barmode=barmode,
                      height=max(360, 90 + 12 * len(cats) + 16 * side_lines) if horizontal else 340 + 16 * label_lines,
                      margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      xaxis_title=y_title if horizontal else None,
                      yaxis_title=None if horizontal else wrapped(y_title, _TITLE_LINE), legend_title=None)
    return fig


def coach_effect_figure(effect: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, go.Figure]:
    """The coach effect as the overlap page shows it: the table with the households of each row in its label
    ("met wijkcoach (experimentwijk) · een jaar later (n = 72)", x where that count is hidden), the means as one
    row "Gemiddelde", and their chart."""
    eff = effect.copy()
    sizes = effect["households"] if "households" in effect.columns else pd.Series(pd.NA, index=effect.index)
    eff.index = [f"{value_label(g)} · {value_label(m)} (" + _t("ov.n", n=SUPPRESSED if pd.isna(n) else num(int(n)))
                 + ")" for (g, m), n in zip(effect.index, sizes, strict=True)]
    means = eff[["mean"]].T.rename(index={"mean": _t("col.mean")})  # the legend says "Gemiddelde", not "mean"
    return eff, means, bars(means, y_title=_t("ov.mean_axis"))


#: longest organisation name drawn beside the pair matrix's rows (the whole name is in the hover and the table)
_PAIR_NAME = 34


def pair_heatmap(pm: pd.DataFrame) -> go.Figure:
    """The organisation-pair matrix (labels already names) as a heatmap. The rows are numbered and named
    ("12 Mediant"), the columns carry the rows' numbers: at 37 organisations their names, stood on end below the
    matrix, ran into each other, and with them beside the rows the matrix had 130 px of a 1024 px window left
    (a walk of 06-12-2026). Rows of at least 18 px, every row named, the figure as high as that needs (560 px
    for a few organisations); a hidden cell is a gap marked x in a size that stays readable; the hover names
    both organisations and the count.

    >>> fig = pair_heatmap(pd.DataFrame([[5, 2], [2, 7]], index=["Alifa", "Mediant"], columns=["Alifa", "Mediant"]))
    >>> list(fig.data[0].x), list(fig.data[0].y)
    (['1', '2'], ['1 Alifa', '2 Mediant'])
    """
    names = [str(c) for c in pm.columns]
    numbers = [str(i) for i in range(1, len(names) + 1)]
    rows = [f"{i} {_shortened(n, _PAIR_NAME)}" for i, n in zip(numbers, names, strict=True)]
    z = pm.astype("Float64").to_numpy(dtype=float, na_value=float("nan"))
    fig = go.Figure(go.Heatmap(
        z=z, x=numbers, y=rows, colorscale="Blues", hoverongaps=False,
        customdata=[[[a, b] for b in names] for a in names],
        hovertemplate=_t("agg.pair_hover", a="%{customdata[0]}", b="%{customdata[1]}", n="%{z}") + "<extra></extra>",
        text=[["x" if pd.isna(v) else "" for v in row] for row in pm.to_numpy()],
        texttemplate="%{text}", textfont={"size": 11, "color": "#555"},
        colorbar={"orientation": "h", "thickness": 12, "y": -0.02, "yanchor": "top", "len": 1.0}))
    margin = {"l": 10, "r": 10, "t": 10, "b": 10}
    bar_px = 60  # the colour scale below the matrix
    fig.update_layout(height=max(560, 18 * len(rows) + 30 + bar_px + margin["t"] + margin["b"]), margin=margin)
    # the numbers over the columns, as a matrix is read; plotly leaves some out when the columns are narrower
    # than a number (the row's number says which is which)
    fig.update_xaxes(side="top", tickangle=0, tickfont={"size": 11}, automargin=True, showgrid=False,
                     type="category")
    fig.update_yaxes(dtick=1, automargin=True, autorange="reversed", showgrid=False)
    return fig


def _shortened(name: str, most: int) -> str:
    """``name`` whole when it has at most ``most`` characters, else cut at a word and ended with an ellipsis.

    >>> _shortened("Gemeente Enschede, RMC (Regionaal Meld- en Coördinatiepunt)", 34)
    'Gemeente Enschede, RMC (Regionaal…'
    """
    if len(name) <= most:
        return name
    cut = name[:most - 1]
    if name[most - 1] != " " and " " in cut[most // 2:]:  # a word cut in two: drop its piece
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;-(") + "…"


def stacked_trend(trend: pd.DataFrame, bands: list[str], *, y_title: str | None = None) -> go.Figure:
    """Stacked bands per row (quarter) of a protected table with a ``Total`` column. Hidden cells are never drawn
    as a dip: a shown cell is drawn as it is, and the hidden cells of a row are added up into one hatched band on
    top ("verborgen"), the row's total minus its shown cells (which the table gives away already). A row whose
    total is hidden, or a column not drawn (the ``0`` band) hidden, has a hatched band up to the chart's highest
    stack of the rows whose hidden part is known, as a hidden bar stands the height of the largest (:func:`bars`):
    its size is not told, nor read as low. With the ``0`` band's 1,129 households in it, a quarter stood three times
    as high as the rest, read as a peak of overlapping casemanagers (an outside review).

    >>> t = pd.DataFrame({"0": [900, pd.NA], "1": [100, pd.NA], "10+": [18, 18], "Total": [1141, 1141]}, dtype="Int64")
    >>> [list(d.y) for d in stacked_trend(t, ["1", "10+"]).data]  # 1, 10+, hidden
    [[100.0, 0.0], [18.0, 18.0], [123.0, 223.0]]
    """
    fig = go.Figure()
    x = [str(value_label(q)) for q in trend.index]  # quarters as a Dutch reader writes them (2008 K4)
    cells = [c for c in trend.columns if c != TOTAL]

    def cell(q: Any, c: str) -> float | None:
        v = trend.loc[q, c]
        return None if pd.isna(v) else float(v)

    drawn = {b: [cell(q, b) or 0.0 for q in trend.index] for b in bands}   # a hidden cell is in the hatched band
    undrawn = [c for c in cells if c not in bands]
    hidden: list[float | None] = []
    for q in trend.index:
        total = cell(q, TOTAL)
        unknown = total is None or any(cell(q, c) is None for c in undrawn)
        hidden.append(None if unknown else total - sum(cell(q, c) or 0.0 for c in cells))
    stacks = [sum(drawn[b][i] for b in bands) + (h or 0.0) for i, h in enumerate(hidden)]
    top = max((s for s, h in zip(stacks, hidden, strict=True) if h is not None), default=max(stacks, default=0.0))
    hidden = [max(top - stacks[i], 0.0) if h is None else h for i, h in enumerate(hidden)]
    for b in bands:
        fig.add_scatter(x=x, y=drawn[b], mode="lines", name=str(b), stackgroup="one")
    if any(hidden):
        fig.add_scatter(x=x, y=hidden, mode="lines", name=HIDDEN_LABEL, stackgroup="one",
                        line={"color": "rgba(90,90,90,0.6)", "width": 0.5}, fillcolor="rgba(200,200,200,0.35)",
                        fillpattern=_HATCH)
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      yaxis_title=y_title if y_title is not None else _t("agg.households"))
    return fig


#: session-state key: the title and area names of the aggregate page this run draws (:func:`open_aggregate_page`)
_EXPORTED_FROM = "wijknet_exported_from"


def export_about(filters: dict[str, Any], *, page: str, table: str | None, k: int,
                 area_label: dict[str | None, str] | None = None) -> list[str]:
    """What an export is, one line each, for its *Lees mij* sheet: the page, the table, every filter as the page
    shows it (peildatum or period dd-mm-jjjj, the area's name, the life domain's meaning) and the k it was
    protected with."""
    lines = [_t("export.about_page", page=page)] + ([_t("export.about_table", table=table)] if table else [])
    f = dict(filters)
    if "as_of" in f:
        lines.append(_t("export.about_as_of", date=dmy(f.pop("as_of"))))
    if "start" in f or "end" in f:
        lines.append(_t("export.about_period", start=dmy(f.pop("start", None)), end=dmy(f.pop("end", None))))
    if "until" in f:  # the coach effect: measured up to the data's last day, whatever the peildatum
        lines.append(_t("export.about_until", date=dmy(f.pop("until"))))
    if "area" in f:
        lines.append(_t("export.about_area", area=_area_name(f.pop("area"), area_label)))
    if "life_domain" in f:
        domain = f.pop("life_domain")
        lines.append(_t("export.about_domain", domain=_t("common.all_domains") if domain is None else
                        code_label("life_domain", domain)))
    if "years" in f:
        lines.append(_t("export.about_other", name=_t("ov.years"), value=str(f.pop("years")).replace("-", "–")))
    if "edge_type" in f:
        lines.append(_t("export.about_other", name=_t("co.tie"), value=_t(f"edge.{f.pop('edge_type')}")))
    if "derived" in f:
        lines.append(_t("export.about_other", name=_t("ho.derived"),
                        value=_t("common.yes") if f.pop("derived") else _t("common.no")))
    if "gap_days" in f:  # the handovers' gap: a derived handover is one within this many days
        lines.append(_t("export.about_other", name=_t("ho.gap"), value=num(int(f.pop("gap_days")))))
    lines += [_t("export.about_other", name=name, value=str(v)) for name, v in f.items() if v is not None]
    lines.append(_t("export.about_k", k=num(k)))
    return lines


def _area_name(area: str | None, area_label: dict[str | None, str] | None) -> str:
    """An export's area as the page shows it (its label, "Alle wijken" for none, else its code)."""
    return (area_label or {}).get(area) or (_t("common.all_areas") if area is None else str(area))


def export_file_name(title: str, filters: dict[str, Any], area_label: dict[str | None, str] | None = None) -> str:
    """A download's file name (without its extension) a person recognises in their downloads folder: the table's title, the peildatum or
    period and the area, in the app's language, lower case without accents or spaces (``wijknet-overlap.csv``
    told nothing and the next download of another area overwrote it).

    >>> export_file_name("Overdrachten per jaar", {"start": date(2008, 1, 1), "end": date(2008, 12, 31),
    ...                  "area": "SVZ"}, {"SVZ": "Stadsveld-Zuid (controlewijk)"})
    'overdrachten-per-jaar-01-01-2008-31-12-2008-stadsveld-zuid-controlewijk'

    The life domain too, by its meaning (an outside walk: a "wonen" download had the name of the unfiltered one):

    >>> export_file_name("Trend per kwartaal", {"years": "2004-2026", "life_domain": "WONEN"})
    'trend-per-kwartaal-2004-2026-wonen'
    """
    parts = [title]
    if filters.get("as_of") is not None:
        parts.append(dmy(filters["as_of"]))
    if filters.get("start") is not None or filters.get("end") is not None:
        parts += [dmy(filters.get("start")), dmy(filters.get("end"))]
    if filters.get("years") is not None:
        parts.append(str(filters["years"]))
    if filters.get("until") is not None:
        parts.append(_t("export.until_in_name", date=dmy(filters["until"])))
    if filters.get("area") is not None:
        parts.append(_area_name(filters["area"], area_label))
    if filters.get("life_domain") is not None:  # a "wonen" download had the name of the one of all life domains
        parts.append(code_label("life_domain", filters["life_domain"]))
    plain = unicodedata.normalize("NFKD", " ".join(str(p) for p in parts if p))
    slug = re.sub(r"[^a-z0-9]+", "-", plain.encode("ascii", "ignore").decode().lower()).strip("-")[:120].strip("-")
    return slug or "wijknet"


def sheet_names(names: list[str]) -> list[str]:
    """Each table's name as an Excel sheet may carry it, in order: without ``[]:*?/\\``, at most 31 characters,
    and each once (two long titles cut alike are numbered).

    >>> sheet_names(["Wie geeft door aan wie? (top 12)", "Lees mij", "lees mij", ""])
    ['Wie geeft door aan wie (top 12)', 'Lees mij', 'lees mij (2)', 'Tabel']
    """
    out: list[str] = []
    for name in names:
        base = re.sub(r"[\\\[\]:*?/]", "", name).strip().strip("'")[:31].strip() or "Tabel"
        sheet, n = base, 1
        while sheet.lower() in {o.lower() for o in out}:
            n += 1
            sheet = f"{base[:31 - len(str(n)) - 3].rstrip()} ({n})"
        out.append(sheet)
    return out


def export_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables as exported: headers in the app's language (:func:`localised`), and row labels that only number
    the rows (:func:`_row_numbers`: 0, 1, 2 …, which the page's table hides) left out — the handovers' areas and
    ping-pong sheet began with a column ``group`` of row numbers.

    >>> t = pd.DataFrame({"Aantal": [3, 4]}, index=pd.Index([2, 0]))
    >>> list(export_tables({"t": t})["t"].index), list(export_tables({"t": t.rename_axis("Jaar")})["t"].index)
    ([0, 1], [2, 0])
    """
    out = {}
    for name, table in tables.items():
        table = localised(table)
        out[name] = table.reset_index(drop=True) if _row_numbers(table.index) else table
    return out


def export_buttons(key: str, tables: dict[str, pd.DataFrame], *, audit: AuditLog, actor: Actor, what: str,
                   chart: Callable[[str], bytes] | None = None, filters: dict[str, Any] | None = None,
                   title: str | None = None) -> None:
    """CSV (first table), Excel (all tables) and, with ``chart``, PNG and SVG downloads.

    The file is built only when the button is clicked, after the export has been audited; if the audit
    record cannot be written, no file is produced. The Excel file's *Lees mij* sheet says what it is
    (:func:`export_about`: the page, ``title``, the ``filters``, k).
    """
    from app.i18n import action_label, language
    from queries.analytics.disclosure import disclosure_k

    f = filters or {}
    page, area_label = st.session_state.get(_EXPORTED_FROM, (action_label(f"export_{what}"), None))
    about = export_about(f, page=page, table=title, k=disclosure_k(), area_label=area_label)
    table_line = _t("export.about_table", table=title) if title else None
    tables = export_tables(tables)
    # the first table is the section's own: its sheet carries the section's title (the others are named already)
    readme = _t("export.readme")
    names = sheet_names([readme, title or page, *list(tables)[1:]])[1:]
    sheets = dict(zip(names, tables.values(), strict=True))
    first = next(iter(tables.values()))
    stem = export_file_name(title or page, f, area_label)

    def make(fmt: str, build: Callable[[], bytes]) -> Callable[[], bytes]:
        def run() -> bytes:
            record_export(audit, actor, what, fmt, **f)
            return build()
        return while_signed_in(actor, run, what=f"export_{what}", audit=audit)

    cols = st.columns(4 if chart else 2)
    cols[0].download_button("CSV", make("csv", lambda: exports.to_csv_bytes(first, dutch=language() == "nl")),
                            f"{stem}.csv", "text/csv", key=f"{key}-csv", on_click="ignore",
                            icon=":material/download:")
    cols[1].download_button("Excel", make("xlsx", lambda: exports.to_excel_bytes(sheets, _t("export.note"), readme=(
        readme, _t("export.heading"), _t("export.legend", x=SUPPRESSED)), about=about)), f"{stem}.xlsx",
                            exports.XLSX_MIME, key=f"{key}-xlsx", on_click="ignore", icon=":material/download:")
    if chart is not None:
        def drawn(fmt: str) -> Callable[[], bytes]:
            def draw() -> bytes:
                # under the chart: what it shows (the table's name is its title) and what a hidden cell's x means
                with exports.chart_notes(_t("export.legend", x=SUPPRESSED), [a for a in about if a != table_line]):
                    return chart(fmt)
            return draw

        cols[2].download_button("PNG", make("png", drawn("png")), f"{stem}.png", "image/png",
                                key=f"{key}-png", on_click="ignore", icon=":material/image:")
        cols[3].download_button("SVG", make("svg", drawn("svg")), f"{stem}.svg", "image/svg+xml",
                                key=f"{key}-svg", on_click="ignore", icon=":material/image:")


#: The most columns a table shows beside its chart (two fifths of the page); a wider one goes below the chart.
_BESIDE_MAX_COLUMNS = 3


def section(title: str, how_to_read: str, figure: go.Figure | None, table: pd.DataFrame, *, key: str,
            audit: AuditLog, actor: Actor, what: str, chart: Callable[[str], bytes] | None = None,
            filters: dict[str, Any] | None = None, extra: dict[str, pd.DataFrame] | None = None,
            page: str | None = None, page_height: int = 760, beside: bool = True, note: str | None = None,
            export: pd.DataFrame | None = None, empty: str | None = None) -> None:
    """A titled chart with its table beside it, the reading note and the export buttons. ``page``: an
    interactive map (a whole HTML page, :mod:`app.orgmap`) drawn full width above the table instead, in a frame
    ``page_height`` px high (:func:`app.orgmap.orgmap_frame_height`). ``beside=False``: the table below the chart
    (a chart of long labels, such as organisation pairs, needs the page's width). A table with no rows is one
    sentence (:func:`data_table`). ``note``: a sentence in the chart's place, when there is nothing to draw (a chart
    of nothing but zeros is an empty frame with a legend). ``export``: what the downloads hold when it is more than
    the page shows (a column the row labels already say). ``empty``: what a table without rows says, when that is
    not that nothing was counted."""
    st.subheader(title)
    st.caption(_t("agg.how_to_read", text=how_to_read, x=SUPPRESSED))
    if page is not None:
        from app.sandboxed import sandboxed_iframe

        sandboxed_iframe(page, title=f"Kaart: {title}", height=page_height)
    # a wide table beside the chart would hide its last columns (the total) behind a scroll bar: below it
    beside = beside and figure is not None and table.shape[1] <= _BESIDE_MAX_COLUMNS
    chart_box, table_box = st.columns([3, 2]) if beside else (st.container(), st.container())
    if figure is not None:
        chart_box.plotly_chart(figure, key=f"{key}-chart", config=plotly_config())
    elif note:
        st.info(note, icon=":material/info:")
    with table_box:
        data_table(shown(table), key=f"{key}-table", room=TABLE_ROOM_BESIDE if beside else TABLE_ROOM, empty=empty)
    guarded(lambda: export_buttons(key, {what: table if export is None else export, **(extra or {})},
                                   audit=audit, actor=actor, what=what,
                                   chart=chart, filters=filters, title=title))


#: The width a table below a chart has on a 1024 px page (its grid measured 562 px), and one beside a chart
TABLE_ROOM, TABLE_ROOM_BESIDE = 556, 210
_CHAR_PX, _CELL_PAD, _TEXT_MIN = 7.5, 26, 140                     # a character of the grid's text; a cell's padding and its menu
_WORD_MAX = 240  # px: a text column is at least as wide as its longest word, up to this
_NUMBER = re.compile(r"^[-+]?[\d.,]*%?$|^x$|^–$")  # a count, a share, a hidden cell, a share of nothing


def _is_text(values: list[str]) -> bool:
    return any(v and not _NUMBER.match(v.replace(" ", "")) for v in values)


def fitted_columns(table: pd.DataFrame, room: int = TABLE_ROOM, *, index: bool = True
                   ) -> tuple[dict[str, int], int | None]:
    """Column widths (px, by column name; the index as ``_index``) that fit ``table`` in ``room`` px, and the row
    height that lets the text columns wrap (None: one line): when the table fits as it is, only its long text
columns' widths (the width they need) and None.

    A column of numbers keeps the width its heading and values need; the text columns (names) share the rest in
    proportion to what they would need, each at least its heading, and wrap into lines. A table of 858 px in a
    page of 562 hid its last column behind a scroll bar (the clusters of professionals at 1024 px). A text column
    is also as wide as its longest word where the room allows it, or where the table is too wide for the room
    anyway (then it scrolls a little more, but no word is broken). :func:`data_table` lets the names grow on a
    wider page."""
    cols: list[tuple[str, str, list[str]]] = []
    if index and table.index.nlevels == 1:
        cols.append(("_index", str(table.index.name or ""), [str(v) for v in table.index]))
    cols += [(str(c), str(c), [str(v) for v in table[c]]) for c in table.columns]

    def need(header: str, values: list[str]) -> int:
        return int(_CHAR_PX * max([len(header), *(len(v) for v in values)]) + _CELL_PAD)

    natural = {k: need(h, vs) for k, h, vs in cols}
    if sum(natural.values()) <= room:
        # long names get the width they need: sized by itself, the grid cut the organisations' names off at about
        # 220 px on the handover page ("Wijkcoaches Velve-Lindenhof (gemee")
        return {k: natural[k] for k, _h, vs in cols if _is_text(vs) and natural[k] > _TEXT_MIN}, None
    heading = {k: need(h, []) for k, h, _vs in cols}
    # the text columns that need more than their heading and 140 px (two short words a line) share what the
    # others leave: on a page too narrow even for that the grid still scrolls, but at 1280 px all are in sight
    text = {k for k, _h, vs in cols if _is_text(vs) and natural[k] > max(heading[k], _TEXT_MIN)}
    if not text:
        return {}, None
    rest = room - sum(w for k, w in natural.items() if k not in text)
    wanted = sum(natural[k] for k in text)
    least = {k: max(heading[k], _TEXT_MIN) for k in text}
    # ... and each holds its longest word (at most _WORD_MAX): the grid breaks a word that does not fit mid-word
    # ("SMD Enschede-Haaksber gen"); only as far as the room allows, unless the table scrolls anyway
    whole = {k: max(least[k], min(_WORD_MAX, need("", [w for v in vs for w in v.split()]))) for k, _h, vs in cols
             if k in text}
    widths = {k: natural[k] if k not in text else max(whole[k], rest * natural[k] // wanted) for k in natural}
    over = sum(widths.values()) - room
    if over > 0 and sum(least.values()) <= rest:  # the words cost the fit: given up where it fits without them
        spare = {k: widths[k] - least[k] for k in text}
        total = sum(spare.values())
        widths.update({k: widths[k] - -(-over * spare[k] // total) for k in text})
    lines = max(-(-(natural[k] - _CELL_PAD) // max(widths[k] - _CELL_PAD, 1)) for k in text)
    return widths, (max(66, 21 * min(lines, 5) + 8) if lines > 1 else None)


def data_table(table: pd.DataFrame, *, key: str, empty: str | None = None, hide_index: bool = False,
               room: int = TABLE_ROOM) -> None:
    """``table`` as a grid, or, when it has no rows, one sentence that says so (``empty``; by default that nothing
    is counted under these choices): the grid drew an empty frame with its own English word "empty". A grid
    wider than ``room`` px gets column widths that fit it (:func:`fitted_columns`): every column in sight. Counts
    are written as the key figures are (:func:`grouped`: ``1.141``), hidden ones as ``x``."""
    if table.empty:
        st.info(empty or _t("agg.empty"), icon=":material/info:")
        return
    if table.index.nlevels > 1 and not hide_index:  # the levels as columns, to be given widths like them
        table, hide_index = table.reset_index(), True
    table = grouped(table)
    widths, row_height = fitted_columns(table, room, index=not hide_index)
    if "_index" in widths and sum(widths.values()) <= room and str(table.index.name or "") not in table.columns:
        # The names as a column of their own: the grid pins its index, and a pinned column never grows, so on a page
        # wider than ``room`` the numbers took the room and the names broke mid-word ("SMD Enschede-Haaksber gen"
        # at 1440 px). Only where every column fits: a table that scrolls (the pair matrix) keeps its names pinned.
        name = str(table.index.name or "")
        table, hide_index = table.reset_index(names=name), True
        widths[name] = widths.pop("_index")
    # counts and shares are text (1.141, 63,2, x): aligned as numbers are, to the right
    right = {str(c) for c in table.columns if not _is_text([str(v) for v in table[c]])}
    config: dict[str, Any] = {k: st.column_config.Column(width=widths.get(k),
                                                         alignment="right" if k in right else None)
                              for k in {*widths, *right}}
    st.dataframe(table, width="stretch", key=key, hide_index=hide_index, column_config=config or None,
                 row_height=row_height)


_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def value_label(v: Any) -> Any:
    """A value of an aggregate table's index that is an identifier (``experiment``, ``coached``, ``before``) as
    words (``val.<value>`` in the catalogue), a quarter (``2008-Q4``) as a Dutch reader writes it (``2008 K4``);
    any other value as it is.

    >>> value_label("2008-Q4"), value_label(3)
    ('2008 K4', 3)
    """
    from app.catalogue import CATALOGUE

    if isinstance(v, str) and (m := _QUARTER.match(v)):
        return _t("common.quarter", year=m.group(1), q=m.group(2))
    return _t(f"val.{v}") if isinstance(v, str) and f"val.{v}" in CATALOGUE else v


def _row_numbers(index: pd.Index) -> bool:
    """Whether ``index`` only numbers the rows (0, 1, 2 …, unnamed): nothing a reader should see as a column."""
    return index.nlevels == 1 and index.name is None and pd.api.types.is_integer_dtype(index.dtype)


#: A share whose base is 0 (0 adopted of 0 advice, a rate of an area without households): nothing is hidden,
#: there is nothing to divide. Written so on the page and in the exports, never as a hidden ``x``.
NO_BASE = "–"


def with_no_base(share: pd.Series, base: pd.Series) -> pd.Series:
    """``share`` with :data:`NO_BASE` where its ``base`` is shown and 0 (the division left a gap there, read as a
    hidden cell); a hidden share stays missing.

    >>> with_no_base(pd.Series([0.5, None, None]), pd.Series([4, 0, pd.NA], dtype="Int64")).tolist()
    [0.5, '–', nan]
    """
    zero = (base.astype("Float64") == 0).fillna(False).to_numpy(dtype=bool)
    return share.astype(object).where(~zero, NO_BASE)


def _no_base(v: Any) -> bool:
    return isinstance(v, str) and v == NO_BASE


def _is_share_column(col: pd.Series) -> bool:
    """Whether ``col`` holds fractional numbers, some of them perhaps :data:`NO_BASE` (:func:`with_no_base`)."""
    if pd.api.types.is_float_dtype(col.dtype):
        return True
    return col.dtype == object and any(_no_base(v) for v in col) and all(
        _no_base(v) or pd.isna(v) or isinstance(v, float) for v in col)


def _decimals(col: pd.Series, *, lang: str | None = None, days: bool = False) -> list[Any]:
    """A column of fractional numbers as text in the page's language (``0,25``; whole numbers without decimals
    when the whole column is), a missing one as ``x``, a share of nothing as :data:`NO_BASE`: the grid would
    write ``0.25`` whatever the language. ``days``: a number of days (a median of whole days), whole or with one
    decimal each (``8``, ``8,5``), never ``8,00``."""
    from app.i18n import decimal

    values = [None if _no_base(v) or pd.isna(v) else float(v) for v in col]
    gone = [NO_BASE if _no_base(v) else SUPPRESSED for v in col]
    if days:
        return [g if v is None else decimal(v, digits=0 if v.is_integer() else 1, lang=lang)
                for v, g in zip(values, gone, strict=True)]
    digits = 0 if all(v is None or v.is_integer() for v in values) else 2
    return [g if v is None else decimal(v, digits=digits, lang=lang) for v, g in zip(values, gone, strict=True)]


def modularity_text(q: float, *, lang: str | None = None) -> str:
    """A partition's modularity as a reader reads it: two decimals cut off, never rounded up (below 1 by
    definition, "1,00" read as a perfect split: 0,9954 of 437 loose pairs of professionals was shown so); from 0,9
    on it says what such a value means (at least 90 % of the handovers stay inside their cluster).

    >>> modularity_text(0.5431, lang="nl"), modularity_text(0.29, lang="nl"), modularity_text(0.9954, lang="nl")
    ('0,54', '0,29', '0,99: bijna alle overdrachten blijven binnen hun cluster')
    """
    from app.i18n import decimal

    text = decimal(math.trunc(round(q * 100, 6)) / 100, digits=2, lang=lang)  # 0.29 * 100 = 28.999…
    return _t("ho.modularity_high", q=text, lang=lang) if q >= 0.9 else text


def shown(table: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """``table`` as a page shows it: :func:`localised`, numbers with decimals and counts grouped in thousands in the
    page's language (:func:`grouped`), hidden cells as ``x``, and a table whose rows are only numbered headed by its first column instead (a row number is
    nothing to read: it showed as a column "Groep" of 0, 1, 2).

    >>> t = pd.DataFrame({"x1": ["A", "B"], "x2": [0.5, 0.25]})
    >>> shown(t, lang="nl").reset_index().to_dict("list")
    {'x1': ['A', 'B'], 'x2': ['0,50', '0,25']}
    """
    out = table
    if _row_numbers(out.index) and out.shape[1] > 1:
        out = out.set_index(out.columns[0])
    names = [str(c) for c in out.columns]                # before localised: "median_days_to_start"
    out = localised(out)
    for name, c in zip(names, out.columns, strict=True):
        if _is_share_column(out[c]):
            out[c] = pd.Series(_decimals(out[c], lang=lang, days="days" in name.split("_")), index=out.index,
                               dtype=object)
    return display_frame(grouped(out, lang=lang))


def grouped(table: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """``table`` with its whole-number columns as text grouped in thousands in the page's language (``1.141`` on a
    Dutch page, as the key figures above the table; the grid wrote ``1141`` whatever the language), a hidden cell
    as ``x``. Other columns are left as they are.

    >>> t = pd.DataFrame({"n": pd.array([1141, pd.NA], dtype="Int64"), "name": ["A", "B"]})
    >>> grouped(t, lang="nl").to_dict("list")
    {'n': ['1.141', 'x'], 'name': ['A', 'B']}
    """
    out = table.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if pd.api.types.is_integer_dtype(col.dtype):
            out.isetitem(i, pd.Series([SUPPRESSED if pd.isna(v) else num(int(v), lang=lang) for v in col],
                                      index=out.index, dtype=object))
    return out


def localised(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the column and index names a person reads (``col.<name>`` in the catalogue), the total row
    and column as ``Totaal``, and life-domain codes as their meaning. For the page and for every export."""
    from graph.model import LIFE_DOMAINS

    def domain(v: Any) -> Any:
        if isinstance(v, str) and v in LIFE_DOMAINS:
            return code_label("life_domain", v)
        return value_label(v)

    total = _t("agg.total")
    out = table.rename(columns={**column_labels([str(c) for c in table.columns]), TOTAL: total},
                       index={TOTAL: total})
    out = out.rename(index=domain)
    out.index = out.index.set_names([column_labels([str(n)]).get(str(n), n) if n is not None else None
                                     for n in out.index.names])
    if out.index.name is None and out.index.nlevels == 1 and not _row_numbers(out.index):
        out.index.name = _t("col.group")
    for c in out.columns:
        if out[c].dtype == object and out[c].isin(LIFE_DOMAINS).any():
            out[c] = out[c].map(domain)
    return out


def network_figure(nodes: pd.DataFrame, edges: pd.DataFrame, *, color: str, size: str | None = None,
                   seed: int = 1, directed: bool = False) -> go.Figure:
    """Organisations as a network with a fixed (seeded) layout.

    ``nodes``: index = id, columns ``name``, ``color`` (a category) and optionally ``size``; ``edges``:
    ``source``, ``target``, ``n`` (suppressed ties are left out by the caller).
    """
    g = nx.Graph()
    g.add_nodes_from(nodes.index)
    for s, t, n in edges[["source", "target", "n"]].itertuples(index=False):
        if s in g and t in g and not pd.isna(n):
            g.add_edge(s, t, weight=float(n))
    pos = nx.spring_layout(g, seed=seed, weight="weight") if len(g) else {}
    fig = go.Figure()
    top = float(edges["n"].dropna().max()) if edges["n"].notna().any() else 1.0
    for s, t, n in edges[["source", "target", "n"]].itertuples(index=False):
        if pd.isna(n) or s not in pos or t not in pos:
            continue
        fig.add_scatter(x=[pos[s][0], pos[t][0]], y=[pos[s][1], pos[t][1]], mode="lines", hoverinfo="text",
                        text=f"{s} → {t}: {int(n)}" if directed else f"{s} – {t}: {int(n)}",
                        line={"width": 1 + 7 * float(n) / top, "color": "rgba(90,110,130,0.45)"},
                        showlegend=False)
        if directed:
            fig.add_annotation(x=pos[t][0], y=pos[t][1], ax=pos[s][0], ay=pos[s][1], xref="x", yref="y",
                               axref="x", ayref="y", showarrow=True, arrowhead=2, arrowsize=1, arrowwidth=1,
                               arrowcolor="rgba(90,110,130,0.6)", standoff=8)
    sizes = nodes[size].astype("Float64").fillna(0).to_numpy(dtype=float) if size else None
    big = float(sizes.max()) if sizes is not None and sizes.max() > 0 else 1.0
    for cat, grp in nodes.groupby(color, dropna=False):
        idx = [i for i in grp.index if i in pos]
        if not idx:
            continue
        s = ([10 + 30 * float(nodes.loc[i, size] if not pd.isna(nodes.loc[i, size]) else 0) / big for i in idx]
             if size else 14)
        fig.add_scatter(x=[pos[i][0] for i in idx], y=[pos[i][1] for i in idx], mode="markers+text",
                        name=str(cat), text=[str(nodes.loc[i, "name"])[:18] for i in idx], textposition="top center",
                        textfont={"size": 9}, marker={"size": s, "line": {"width": 1, "color": "white"}},
                        hovertext=[f"{nodes.loc[i, 'name']}" for i in idx], hoverinfo="text")
    fig.update_layout(height=520, margin={"l": 0, "r": 0, "t": 10, "b": 0}, xaxis={"visible": False},
                      yaxis={"visible": False}, legend_title=None)
    return fig


def per_hundred(table: pd.DataFrame) -> pd.DataFrame:
    """Each cell of a protected table per 100 households of its row's total (one decimal), computed from the
    published cells only: a hidden cell, or a row whose total is hidden, stays hidden (nothing new is given away).

    >>> t = pd.DataFrame({"1": pd.array([30, pd.NA], dtype="Int64"), "2": pd.array([10, 12], dtype="Int64"),
    ...                   "Total": pd.array([40, pd.NA], dtype="Int64")}, index=["A", "B"])
    >>> per_hundred(t).astype(object).where(per_hundred(t).notna(), "x").to_dict("index")
    {'A': {'1': 75.0, '2': 25.0}, 'B': {'1': 'x', '2': 'x'}}
    """
    counts = table.drop(columns=[TOTAL], errors="ignore").astype("Float64")
    total = table[TOTAL].astype("Float64")
    return (counts.div(total.where(total > 0), axis=0) * 100).round(1)


def per_hundred_text(table: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """:func:`per_hundred` as the page shows it: each share with one decimal in the page's language (``63,2`` on a
    Dutch page; the grid would write ``63.2`` whatever the language), a hidden one as ``x``, one of a row whose
    total is 0 as :data:`NO_BASE`.

    >>> t = pd.DataFrame({"1": pd.array([30, pd.NA], dtype="Int64"), "2": pd.array([10, 12], dtype="Int64"),
    ...                   "Total": pd.array([40, pd.NA], dtype="Int64")}, index=["A", "B"])
    >>> per_hundred_text(t, lang="nl").to_dict("index")
    {'A': {'1': '75,0', '2': '25,0'}, 'B': {'1': 'x', '2': 'x'}}
    """
    from app.i18n import decimal

    rates = per_hundred(table).astype(object).apply(lambda col: with_no_base(col, table[TOTAL]))
    return rates.apply(lambda col: [v if _no_base(v) else SUPPRESSED if pd.isna(v) else decimal(float(v), lang=lang)
                                    for v in col])


#: pixels of a date field: "31-12-2010" and a label such as "Tot en met" with its help icon
DATE_FIELD_WIDTH = 160


#: The sentences of the values refused in the :func:`filter_fields` block being drawn (None: outside one).
_REFUSED: ContextVar[list[str] | None] = ContextVar("wijknet_refused_filters", default=None)
#: The sentences of the link's values a filter of that block could not take (:func:`_not_taken`).
_NOT_TAKEN: ContextVar[list[str] | None] = ContextVar("wijknet_link_not_taken", default=None)
#: The fields to give back their value on a run of their own, once every filter is drawn (:func:`_remember`).
_RESTORE_AFTER: ContextVar[list[str] | None] = ContextVar("wijknet_filters_restore", default=None)

#: How the aggregate pages' filters live in the address: the widget's key is the query parameter's name, a change
#: is a new entry in the browser's history (Back shows the previous choice), and a link opened later (a colleague,
#: a bookmark, after signing in) opens the page with the same filters. A value equal to the field's default is
#: left out of the address; one the field cannot take is dropped from it (:func:`_not_taken` says so).
IN_LINK = "query-params"


@contextmanager
def filter_fields() -> Iterator[None]:
    """Draw a page's filters inside this block: a value one of them refuses (:func:`typed_date`) is said under the
    filters and the page stops when the block ends, after every filter is drawn; a value of the link that a filter
    could not take (an area that is not in the list) is said there too, and the page goes on with what it shows.

    Streamlit forgets the value of a widget that a run does not draw: a page that stopped at a mistyped date,
    before the selects beside and below it, put the band, the area and the life domain back at their defaults on
    the next run."""
    refused: list[str] = []
    not_taken: list[str] = []
    restore: list[str] = []
    token, token_link, token_restore = _REFUSED.set(refused), _NOT_TAKEN.set(not_taken), _RESTORE_AFTER.set(restore)
    try:
        yield
    finally:
        _REFUSED.reset(token)
        _NOT_TAKEN.reset(token_link)
        _RESTORE_AFTER.reset(token_restore)
    if restore:
        st.rerun()  # Back set fields to their defaults: the page again with the values it was left with
    for sentence in not_taken:
        st.warning(sentence, icon=":material/link_off:")
    for sentence in refused:
        st.error(sentence, icon=":material/event_busy:")
    if refused:
        st.stop()


#: Session keys: the filters' values as each page last had them (:func:`_restore`, :func:`_remember`), and those
#: to give back on the next run (after the browser's Back, :func:`_restore`).
_KEPT, _PENDING = "wijknet_kept_filters", "wijknet_filters_to_restore"
#: The values given back when a page was last come back to (the entry Streamlit leaves in the history before it,
#: an address without them, stands for them: :func:`_restore`).
_ARRIVED = "wijknet_filters_arrived"


def _history_navigation() -> bool:
    """Whether this run follows the browser's Back or Forward (Streamlit then takes every linked field from the
    address, a missing one at its default, over any value the page gives it)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


def _restore(key: str, valid: Callable[[Any], bool] = lambda _v: True) -> None:
    """Before the linked field ``key`` is drawn on a page come back to (the sidebar, the browser's Back): give it
    the value it had when this page was left, unless the address gives one. Streamlit forgets a page's fields when
    another page runs, and strips from the address the filters two pages share (gebied, domein, van, tot: bound to
    the page that drew them last) — the area chosen on the overlap page was gone after a look at the collaboration
    page, also on Back. After Back, Streamlit sets a field the address leaves out to its default over any value
    given here: the value is noted and given on a run of its own (:func:`_remember`)."""
    page = st.session_state.get(PAGE_NOW)
    pending = st.session_state.get(_PENDING, {})
    if page is not None and (page, key) in pending:
        st.session_state[key] = pending.pop((page, key))
        return
    if page is None or key in st.query_params:
        return  # the address gives it (a link, Back to an entry that has it)
    kept = st.session_state.get(_KEPT, {})
    fresh = st.session_state.get(PAGE_BEFORE) != page
    if (page, key) not in kept or not valid(kept[(page, key)]):
        if fresh and key in st.session_state:
            del st.session_state[key]  # the value of another page's field of that name: not this page's filter
        return
    arrived = st.session_state.setdefault(_ARRIVED, {})
    if not fresh and key in st.session_state:
        # a run after the other on this page: the field holds what the person chose — but Back onto the bare entry
        # Streamlit pushed before the page came back with its values (no filter in the address) shows those again
        if _history_navigation() and not len(st.query_params) and (page, key) in arrived:
            st.session_state.setdefault(_PENDING, {})[(page, key)] = arrived[(page, key)]
        return
    arrived[(page, key)] = kept[(page, key)]
    if _history_navigation():
        st.session_state.setdefault(_PENDING, {})[(page, key)] = kept[(page, key)]
    else:
        st.session_state[key] = kept[(page, key)]


def _remember(key: str) -> None:
    """After the linked field ``key`` is drawn: keep its value for this page (:func:`_restore`) — or, when Back
    set it to another than the one to give back, run the page again with that one (under the filters, or at once
    for a field outside them)."""
    page = st.session_state.get(PAGE_NOW)
    if page is None or key not in st.session_state:
        return
    pending = st.session_state.get(_PENDING, {})
    if (page, key) in pending:
        if pending[(page, key)] == st.session_state[key]:
            del pending[(page, key)]
        elif (after := _RESTORE_AFTER.get()) is None:
            st.rerun()
        else:
            after.append(key)
        return
    st.session_state.setdefault(_KEPT, {})[(page, key)] = st.session_state[key]


def _from_link(key: str) -> str | None:
    """The value the address gives the filter ``key`` when this session draws that filter for the first time (a
    link opened, the page come back to), else None: afterwards the field holds what the person chose, and the
    address follows it."""
    if key in st.session_state:
        return None
    raw = st.query_params.get(key)
    # an empty value (``?gebied=``, a link cut short or written by hand) asks for nothing: the field's default,
    # without a warning quoting '' as "no choice of this field"
    return None if raw is None or not str(raw).strip() else str(raw)


def _not_taken(label: str, raw: str, shown: str) -> None:
    """Say that the link's value ``raw`` of the filter ``label`` was not taken and what the page shows instead
    (under the filters inside :func:`filter_fields`, else here): Streamlit drops such a value from the address
    without a word, and the page would show other figures than the link promised."""
    from app.dates import clipped

    # the link's value as written, not as Markdown: a link "?gebied=![b](http://…)" made the page fetch the image
    sentence = _t("agg.link_not_taken", label=label, value=shown_text(clipped(raw)), shown=shown)
    notes = _NOT_TAKEN.get()
    if notes is None:
        st.warning(sentence, icon=":material/link_off:")
    else:
        notes.append(sentence)


def linked_select(label: str, options: list[Any], format_func: Callable[[Any], str], key: str, *,
                  index: int = 0, help: str | None = None, width: int | str = "stretch",
                  also: Callable[[Any], str] | None = None) -> Any:
    """A select whose choice is in the address (:data:`IN_LINK`) as the text it shows; a link's text that is none
    of the options is said (:func:`_not_taken`) and the default is shown. ``also``: a shorter text of an option a
    link may carry instead (a quarter end's date without its quarter), taken as that option."""
    _restore(key, lambda v: v in options or (v == _ALL and None in options))
    raw = _from_link(key)
    # "all areas" and "all life domains" are the option None, which Streamlit takes for "nothing chosen" when it
    # draws the select anew (Back to a page of the history): the field read "Kies een optie" over the figures of
    # every area. Inside the select it is a value of its own.
    shown = [_ALL if o is None else o for o in options]

    def said(o: Any) -> str:
        return format_func(None if o == _ALL else o)

    if raw is not None and also is not None:
        short = {also(o).strip().lower(): o for o in shown if o != _ALL}
        if (meant := short.get(raw.strip().lower())) is not None:
            # Streamlit takes only the option's whole text: the address gets it, and the page is drawn again from it
            # (with the short text only in the widget's state, Streamlit dropped it from the address, and a copied
            # link then opened on the default date: a review)
            st.query_params[key] = said(meant)
            st.rerun()

    chosen = st.selectbox(label, shown, index=index, format_func=said, key=key, help=help, width=width,
                          bind=IN_LINK)
    if chosen is None:  # no choice at all (cleared): the default, as the field then shows it
        chosen = shown[index]
    if raw is not None and raw != said(chosen):
        _not_taken(label, raw, said(chosen))
    _remember(key)
    return None if chosen == _ALL else chosen


#: The option "all" (None) of a :func:`linked_select` inside the select.
_ALL = "*alle*"


def linked_toggle(label: str, default: bool, key: str, *, help: str | None = None) -> bool:
    """A toggle whose state is in the address (:data:`IN_LINK`: ``true`` or ``false``)."""
    _restore(key, lambda v: isinstance(v, bool))
    raw = _from_link(key)
    value = bool(st.toggle(label, default, key=key, help=help, bind=IN_LINK))
    if raw is not None and raw.strip().lower() != str(value).lower():
        _not_taken(label, raw, _t("common.yes") if value else _t("common.no"))
    _remember(key)
    return value


def linked_years(label: str, first: int, last: int, key: str = "jaren") -> tuple[int, int]:
    """A range of years (a slider from ``first`` to ``last``) in the address as two values (``?jaren=2006&jaren=2008``);
    a link's years the slider cannot take (``2099``, ``abc``) are said (:func:`_not_taken`): the slider dropped them
    without a word and the trend showed other years than the link promised."""
    _restore(key, lambda v: isinstance(v, tuple | list) and len(v) == 2 and first <= v[0] <= v[1] <= last)
    raw = None if key in st.session_state else st.query_params.get_all(key)
    chosen = st.slider(label, first, last, (first, last), key=key, bind=IN_LINK)
    years = (int(chosen[0]), int(chosen[1]))
    if raw and [r.strip() for r in raw] != [str(y) for y in years]:
        _not_taken(label, "–".join(raw), f"{years[0]}–{years[1]}")
    _remember(key)
    return years


def _refuse(sentence: str) -> None:
    """Say ``sentence`` and stop the page, or, inside :func:`filter_fields`, once every filter is drawn."""
    refused = _REFUSED.get()
    if refused is None:
        st.error(sentence, icon=":material/event_busy:")
        st.stop()
    else:
        refused.append(sentence)


def typed_date(label: str, default: Any, key: str, *, low: Any = None, high: Any = None, help: str | None = None,
               linked: bool = False) -> Any:
    """A date field that applies on Enter, as people type dates (``15-1-2009``, ``15-01-2009``, ``2009-01-15``).

    Streamlit's own date field applies a typed date only when it loses focus, so Enter left the page showing the
    old date's figures under the new date (observed: 2009's figures under a field reading 2011). A date that
    cannot be read, or lies outside ``low``–``high``, is said and the page stops (:func:`filter_fields`: once the
    other filters are drawn, ``default`` is returned meanwhile): no figure is shown for a date the field does not
    hold. ``linked``: the field's text is in the address (:data:`IN_LINK`); a link's date is read as a typed one.
    """
    from app.dates import dmy, parse_typed_date

    # as wide as a date needs, not an equal share of a row of filters: the selects beside it keep the room to show
    # their whole value ("Gedeelde huishoudens (tegelijk actief)" was cut off beside two full-share dates)
    if linked:
        _restore(key, lambda v: isinstance(v, str))
    raw = st.text_input(label, value=dmy(default), key=key, width=DATE_FIELD_WIDTH,
                        help=f"{help} {_t('dates.field_help')}" if help else _t("dates.field_help"),
                        bind=IN_LINK if linked else None)
    try:
        day = parse_typed_date(raw)
    except ValueError as exc:
        _refuse(_t("dates.field_refused", label=label, reason=shown_text(str(exc))))  # it quotes what was typed
        return default
    if (low is not None and day < low) or (high is not None and day > high):
        _refuse(_t("dates.field_refused", label=label, reason=_t("dates.out_of_range", text=shown_text(raw.strip()), low=dmy(low),
                                                                   high=dmy(high))))
        return default
    if linked:
        _remember(key)  # a date the field holds, not one it refused
    return day


def typed_number(label: str, default: int, key: str, *, low: int, high: int, width: int = 200,
                 help: str | None = None, linked: bool = False) -> int:
    """A whole number from ``low`` to ``high``; one outside is said in a sentence and the page stops, as a mistyped
    date does (:func:`typed_date`, :func:`filter_fields`). Streamlit's own bounds left the field red under an
    English hint and the figures silently of the last number it took. ``linked``: the number is in the address
    (:data:`IN_LINK`); a link's number outside the bounds is refused as a typed one, a link's text that is no
    number is said (:func:`_not_taken`)."""
    if linked:
        _restore(key, lambda v: isinstance(v, int | float) and low <= v <= high)
    raw = _from_link(key) if linked else None
    value = st.number_input(label, value=default, step=1, key=key, width=width, help=help,
                            bind=IN_LINK if linked else None)
    if raw is not None and not _same_number(raw, value):
        _not_taken(label, raw, num(int(value)))
    if not low <= int(value) <= high:
        _refuse(_t("agg.number_out_of_range", label=label, value=num(int(value)), low=num(low), high=num(high)))
        return default
    if linked:
        _remember(key)
    return int(value)


def quarter_end_select(label: str, default: date, key: str = "peildatum", *, first_year: int = 2000,
                       help: str | None = None) -> date:
    """A choice among the ends of quarters (the dates the overlap table is published for), written as people read
    them ("31-12-2008 (4e kwartaal 2008)"), in the address as that text (a link may carry the date alone,
    ``?peildatum=31-12-2008``); type a year to narrow the list."""
    from app.dates import dmy
    from queries.analytics.overlap import quarter_ends

    today = dutch_today()
    ends = [d for d in quarter_ends(first_year, today.year) if d <= today]  # none ahead
    # wide enough for "31-12-2012 (4e kwartaal 2012)" beside other filters (at 1024 px it read "(4e kwarta")
    chosen = linked_select(label, ends, lambda d: _t("common.quarter_end", date=dmy(d), q=(d.month - 1) // 3 + 1,
                                                      year=d.year), key,
                           index=ends.index(default) if default in ends else len(ends) - 1, help=help, width=290,
                           also=dmy)
    return chosen if chosen is not None else default


def _same_number(text: str, value: float) -> bool:
    """Whether ``text`` (a link's value) is the number ``value``.

    >>> _same_number("45", 45), _same_number("abc", 30), _same_number(" 45.0", 45)
    (True, False, True)
    """
    try:
        return float(text) == float(value)
    except ValueError:
        return False


