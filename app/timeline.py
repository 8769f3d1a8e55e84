"""The coach page's timeline as one inline SVG: involvements per member as bars (coloured by life domain),
handovers and ping-pong as markers, gaps as dotted lines, the as-of date as a dashed line, hover text as SVG
``<title>`` elements.

Each member (row) gets a line per life domain (lane); bars of one lane that overlap in time — an overlap the
coach should see — are put on extra lines of that lane instead of covering each other.

Drawn on the server as plain SVG, so the browser parses no charting library: the page with the Plotly
timeline took about 0.9 s more browser CPU to become ready (bench/bench_browser.py).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from app.i18n import t

__all__ = ["Bar", "Gap", "Mark", "timeline_svg"]

#: The names and life domains stand in a column of their own that stays put; the time axis beside it is
#: :data:`PLOT_PX` wide and scrolls sideways in a narrower page column (a coach's laptop at 1024 pixels has 564
#: px), showing the right end — the peildatum and the present — first. One SVG unit is one pixel, so the texts
#: are drawn at 12 px at every window width (a timeline shrunk to the column drew them 6.8 px high).
LABEL_PX = 200
PLOT_PX = 740
_WIDTH = LABEL_PX + PLOT_PX   # both together: a page column this wide shows the whole timeline
_ROW_H = 30
_HEAD_H = 22           # a member's name on a line of its own, above the member's life domains
_TOP = 26              # room for the year ticks


@dataclass(frozen=True)
class Bar:
    row: str
    start: date
    end: date | None   # None: still running (drawn to the right edge)
    colour: str
    text: str          # shown inside the bar when it fits
    hover: str
    legend: str        # the legend entry (life domain)
    lane: str = ""     # the line of the row it is drawn on (the life domain)
    key: str = ""      # what it shows (the involvement id): a mark with the same key is drawn on its line


@dataclass(frozen=True)
class Mark:
    row: str
    at: date
    ping_pong: bool
    hover: str
    key: str = ""      # the bar it belongs to (the involvement handed to)


@dataclass(frozen=True)
class Gap:
    row: str
    start: date
    end: date
    hover: str
    lane: str = ""


@dataclass(frozen=True)
class _Line:
    row: str
    lane: str
    first_of_row: bool
    first_of_lane: bool
    header: bool = False  # the member's name: no bars on it

    @property
    def height(self) -> int:
        return _HEAD_H if self.header else _ROW_H


def _lines(rows: Sequence[str], bars: Sequence[Bar]) -> tuple[list[_Line], dict[int, int]]:
    """The drawn lines, top to bottom, and the line of each bar (by its index): per row a line with its name, then
    its lanes in order of first appearance, per lane as many lines as its bars need so that no two bars on one
    line overlap in time. The name has a line of its own: beside a life domain's label it did not fit."""
    lines: list[_Line] = []
    line_of: dict[int, int] = {}
    for row in rows:
        lines.append(_Line(row, "", True, False, header=True))
        mine = [i for i, b in enumerate(bars) if b.row == row]
        lanes = list(dict.fromkeys(bars[i].lane for i in mine)) or [""]
        for lane in lanes:
            ends: list[date] = []  # per line of this lane: where its last bar ends
            base = len(lines)
            for i in sorted((i for i in mine if bars[i].lane == lane), key=lambda i: bars[i].start):
                b = bars[i]
                k = next((k for k, e in enumerate(ends) if e < b.start), None)
                if k is None:
                    k = len(ends)
                    ends.append(date.max)
                ends[k] = b.end or date.max
                line_of[i] = base + k
            for k in range(max(len(ends), 1)):
                lines.append(_Line(row, lane, False, k == 0))
    return lines, line_of


#: the narrowest bar, px: what lasted a day (advice decided the day it was given) is still seen and hovered
_MIN_BAR = 6.0
_CHAR_W = 6.8  # viewBox units per character of the 12-unit font (a generous average, so no text overflows)


def _fitted(text: str, room: float) -> str:
    """``text`` as far as it fits in ``room`` units, cut with an ellipsis; empty when not even four letters fit."""
    if len(text) * _CHAR_W <= room:
        return text
    n = int(room / _CHAR_W) - 1
    return text[:n].rstrip() + "…" if n >= 4 else ""


def _legend_entries(marks: Sequence[Mark], gaps: Sequence[Gap], colours: Mapping[str, str]
                    ) -> list[tuple[str, str, str]]:
    """The life domains drawn, then the markers used."""
    entries = [(label, colour, "bar") for label, colour in colours.items()]
    if any(not m.ping_pong for m in marks):
        entries.append((t("timeline.handover"), "#000", "handover"))
    if any(m.ping_pong for m in marks):
        entries.append((t("timeline.ping_pong"), "#d00000", "ping"))
    if gaps:
        entries.append((t("timeline.gap"), "#d00000", "gap"))
    return entries


#: Years in which nothing starts, ends or is handed over are drawn narrow: a household whose last change lies
#: years before the peildatum (the demo's 2012 against today) spent most of the axis on empty years and pushed
#: what happened into a corner. A stretch longer than :data:`_QUIET_DAYS` keeps :data:`_QUIET_KEEP` days at either
#: end and is drawn :data:`_QUIET_PX` wide, with a break sign on the axis.
_QUIET_DAYS = 5 * 365
_QUIET_KEEP = 270
_QUIET_PX = 36


@dataclass(frozen=True)
class _Scale:
    """Where a day is drawn on the time axis: from ``first`` (4 px in from the left) to ``last`` (10 px from the
    right), the ``quiet`` stretches drawn :data:`_QUIET_PX` wide each."""

    first: date
    last: date
    quiet: tuple[tuple[date, date], ...] = ()

    @classmethod
    def over(cls, first: date, last: date, days: Sequence[date]) -> _Scale:
        """The scale from ``first`` to ``last``, with every stretch between two of ``days`` (the changes) longer
        than :data:`_QUIET_DAYS` drawn narrow."""
        marks = sorted({d for d in days if first <= d <= last} | {first, last})
        quiet = tuple((a + timedelta(days=_QUIET_KEEP), b - timedelta(days=_QUIET_KEEP))
                      for a, b in zip(marks, marks[1:], strict=False) if (b - a).days > _QUIET_DAYS)
        return cls(first, last, quiet)

    @functools.cached_property
    def _pieces(self) -> list[tuple[date, date, float]]:
        """The axis as pieces ``(from, to, width in px)``, worked out once per timeline."""
        room = PLOT_PX - 14 - _QUIET_PX * len(self.quiet)
        loud = max((self.last - self.first).days - sum((b - a).days for a, b in self.quiet), 1)
        pieces, at = [], self.first
        for a, b in self.quiet:
            pieces += [(at, a, room * (a - at).days / loud), (a, b, float(_QUIET_PX))]
            at = b
        return pieces + [(at, self.last, room * (self.last - at).days / loud)]

    def x(self, d: date) -> float:
        x = 4.0
        for a, b, width in self._pieces:
            if d <= b or b == self.last:
                return x + width * min(max((d - a).days, 0), max((b - a).days, 1)) / max((b - a).days, 1)
            x += width
        return x

    def is_quiet(self, d: date) -> bool:
        return any(a < d < b for a, b in self.quiet)


def _text_span(x0: float, x1: float, markers: Sequence[float]) -> tuple[float, float]:
    """Where a bar's text may go between ``x0`` and ``x1``: after any marker at (or near) its start, and up to
    the next marker inside the bar — a marker (its shape spans x−5 to x+6) never covers a letter."""
    start = x0 + 4
    for mx in sorted(m for m in markers if x0 - 7 <= m <= x1 + 5):
        if mx - 6 <= start + 6:  # at the text's start: the text begins after it
            start = max(start, mx + 8)
        else:  # further in: the text ends before it
            return start, min(mx - 7, x1 - 2)
    return start, x1 - 2


def timeline_svg(rows: Sequence[str], bars: Sequence[Bar], marks: Sequence[Mark], gaps: Sequence[Gap],
                 as_of: date, end: date, colours: Mapping[str, str], labels: Mapping[str, str] | None = None) -> str:
    """One ``<div>``: the rows' names and life domains (an SVG that stays put), the time axis from the first
    start to ``end`` beside it (an SVG in a box that scrolls sideways when the column is narrower than both,
    opened at its right end), and the legend under them (HTML, wrapping to the column's width).

    ``rows`` (and the ``row`` of bars, marks and gaps) are keys — a person's id — shown as ``labels[row]`` (the
    key itself when it has none): two people who look alike keep a row each."""
    labels = labels or {}
    first = min([b.start for b in bars] + [as_of])
    first = date(first.year, 1, 1)
    last = max(end, as_of + timedelta(days=1))
    scale = _Scale.over(first, last, [as_of, *(b.start for b in bars), *(b.end for b in bars if b.end),
                                      *(m.at for m in marks), *(d for g in gaps for d in (g.start, g.end))])
    lines, line_of = _lines(rows, bars)
    n_lines = len(lines)
    y_line = [_TOP + sum(ln.height for ln in lines[:k]) for k in range(n_lines)]
    bottom = _TOP + sum(ln.height for ln in lines)
    height = bottom + 6
    first_line: dict[tuple[str, str | None], int] = {}
    for k, ln in enumerate(lines):
        if ln.header:
            continue
        first_line.setdefault((ln.row, ln.lane), k)
        first_line.setdefault((ln.row, None), k)
    bar_line = {(b.row, b.key): line_of[i] for i, b in enumerate(bars) if b.key}
    # the names: over the time axis' empty line beside them (drawn above it, with a white edge to read over the
    # year lines), so a long name is whole without widening the column of life domains
    left = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LABEL_PX} {height}" width="{LABEL_PX}" '
            f'height="{height}" class="wijknet-timeline-labels" style="flex: none; overflow: visible; '
            'position: relative; z-index: 1; font-family: sans-serif; font-size: 12px">']
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {PLOT_PX} {height}" width="{PLOT_PX}" '
           f'height="{height}" role="img" aria-label="{escape(t("timeline.aria"))}" class="wijknet-timeline" '
           'style="display: block; direction: ltr; font-family: sans-serif; font-size: 12px">']
    # year ticks and row bands
    # the year a narrow stretch ends in is named at its end (its 1 January may lie inside it)
    taken: list[float] = []
    for _, b in scale.quiet:
        if scale.x(b) + 30 < PLOT_PX:
            taken.append(scale.x(b))
            out.append(f'<text x="{taken[-1] + 2:.1f}" y="{_TOP - 10}" fill="#555">{b.year}</text>')
    for year in range(first.year, last.year + 1):
        if scale.is_quiet(date(year, 1, 1)):
            continue
        x = scale.x(date(year, 1, 1))
        out.append(f'<line x1="{x:.1f}" y1="{_TOP - 6}" x2="{x:.1f}" y2="{bottom}" '
                   'stroke="#ddd" stroke-width="1"/>')
        if x + 30 < PLOT_PX and all(abs(x - o) >= 30 for o in taken) \
                and not any(x + 30 > scale.x(a) and x < scale.x(b) for a, b in scale.quiet):  # none cut off or over
            out.append(f'<text x="{x + 2:.1f}" y="{_TOP - 10}" fill="#555">{year}</text>')
            taken.append(x)
    for a, b in scale.quiet:  # a break on the axis, a light band down the rows
        x0, x1 = scale.x(a), scale.x(b)
        since, until = a - timedelta(days=_QUIET_KEEP), b + timedelta(days=_QUIET_KEEP)  # the changes around it
        said = t("timeline.quiet", years=int((until - since).days / 365.25), start=f"{since:%d-%m-%Y}",
                 end=f"{until:%d-%m-%Y}")
        out.append(f'<g class="quiet"><title>{escape(said)}</title>'
                   f'<rect x="{x0:.1f}" y="{_TOP - 6}" width="{x1 - x0:.1f}" height="{bottom - _TOP + 6}" fill="#f4f4f4"/>'
                   f'<path d="M{x0 + 8:.1f},{_TOP - 4} l6,-12 M{x0 + 16:.1f},{_TOP - 4} l6,-12" stroke="#888" '
                   'stroke-width="1.5"/></g>')
    for ln, y in zip(lines, y_line, strict=True):
        if ln.header:
            shown = labels.get(ln.row, ln.row)
            left.append(f'<text x="4" y="{y + _HEAD_H / 2 + 5:.1f}" fill="#222" stroke="#fff" '
                        'stroke-width="3" paint-order="stroke" stroke-linejoin="round" font-weight="bold">'
                        f'{escape(_fitted(shown, (_WIDTH - 14) / 1.1) or shown[:4])}<title>{escape(shown)}</title></text>')
            if y > _TOP:
                left.append(f'<line x1="0" y1="{y}" x2="{LABEL_PX}" y2="{y}" stroke="#bbb"/>')
                out.append(f'<line x1="0" y1="{y}" x2="{PLOT_PX - 10}" y2="{y}" stroke="#bbb"/>')
            continue
        if ln.first_of_lane and ln.lane:
            left.append(f'<text x="16" y="{y + _ROW_H / 2 + 4:.1f}" fill="#666">{escape(_fitted(ln.lane, LABEL_PX - 22))}'
                        f'<title>{escape(ln.lane)}</title></text>')
        out.append(f'<line x1="0" y1="{y + _ROW_H}" x2="{PLOT_PX - 10}" y2="{y + _ROW_H}" stroke="#eee"/>')
    # where markers sit, per line: a bar's text starts after a marker at its start instead of under it
    marked: dict[int, list[float]] = {}
    for m in marks:
        k = bar_line.get((m.row, m.key), first_line.get((m.row, None)))
        if k is not None:
            marked.setdefault(k, []).append(scale.x(m.at))
    for i, b in enumerate(bars):
        x0, x1 = scale.x(b.start), scale.x(b.end or last)
        w = max(x1 - x0, _MIN_BAR)
        y = y_line[line_of[i]] + 4
        out.append(f'<g><title>{escape(b.hover)}</title><rect class="bar" x="{x0:.1f}" y="{y}" width="{w:.1f}" '
                   f'height="{_ROW_H - 8}" rx="3" fill="{escape(b.colour)}" fill-opacity="0.85"/>')
        start, stop = _text_span(x0, x0 + w, marked.get(line_of[i], ()))
        text = _fitted(b.text, stop - start)
        if text:
            out.append(f'<text x="{start:.1f}" y="{y + _ROW_H / 2 + 1:.1f}" fill="#fff">{escape(text)}</text>')
        out.append('</g>')
    for g in gaps:
        k = first_line.get((g.row, g.lane), first_line.get((g.row, None)))
        if k is None:
            continue
        x0, x1, y = scale.x(g.start), scale.x(g.end), y_line[k] + _ROW_H / 2
        out.append(f'<line class="gap" x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" stroke="#d00000" '
                   f'stroke-width="3" stroke-dasharray="4 3"><title>{escape(g.hover)}</title></line>')
    for m in marks:
        k = bar_line.get((m.row, m.key), first_line.get((m.row, None)))
        if k is None:
            continue
        x, y = scale.x(m.at), y_line[k] + _ROW_H / 2
        if m.ping_pong:
            out.append(f'<g class="ping-pong" stroke="#d00000" stroke-width="3"><title>{escape(m.hover)}</title>'
                       f'<line x1="{x - 6:.1f}" y1="{y - 6:.1f}" x2="{x + 6:.1f}" y2="{y + 6:.1f}"/>'
                       f'<line x1="{x - 6:.1f}" y1="{y + 6:.1f}" x2="{x + 6:.1f}" y2="{y - 6:.1f}"/></g>')
        else:
            out.append(f'<path class="handover" d="M{x - 5:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} '
                       f'L{x - 5:.1f},{y + 6:.1f} Z" fill="#000"><title>{escape(m.hover)}</title></path>')
    x = scale.x(as_of)
    out.append(f'<line class="as-of" x1="{x:.1f}" y1="{_TOP - 6}" x2="{x:.1f}" y2="{bottom}" '
               f'stroke="#444" stroke-dasharray="6 4"><title>{escape(t("timeline.as_of", date=f"{as_of:%d-%m-%Y}"))}</title></line>')
    left.append("</svg>")
    out.append("</svg>")
    # direction: rtl opens the box at its right end (the present); the SVG inside reads left to right again
    return ('<div class="wijknet-timeline-box" style="container-type: inline-size">'
            '<div style="display: flex; align-items: flex-start">' + "".join(left)
            + '<div class="wijknet-timeline-scroll" style="flex: 0 1 auto; min-width: 0; overflow-x: auto; '
            'direction: rtl">' + "".join(out) + "</div></div>"
            + f'<div class="wijknet-timeline-more">{escape(t("timeline.scroll"))}</div>' + _HINT_RULE
            + _legend(_legend_entries(marks, gaps, colours)) + "</div>")


#: The sentence under the time axis that says where the earlier years are, shown only while the column is too
#: narrow for the whole timeline (a container query on the box: the width is known in the browser only).
_HINT_RULE = ('<style>.wijknet-timeline-more { display: none; font-family: sans-serif; font-size: 12px; '
              f'color: #555; margin-top: 2px }} @container (max-width: {_WIDTH - 1}px) {{ .wijknet-timeline-more '
              '{ display: block } }</style>')

#: a legend entry's sign, 16 × 14 px
_SIGNS = {"bar": '<rect x="1" y="1" width="14" height="12" rx="2" fill="{c}"/>',
          "gap": '<line x1="1" y1="7" x2="15" y2="7" stroke="{c}" stroke-width="3" stroke-dasharray="4 3"/>',
          "handover": '<path d="M3,1 L14,7 L3,13 Z" fill="{c}"/>',
          "ping": '<g stroke="{c}" stroke-width="3"><line x1="2" y1="1" x2="14" y2="13"/>'
                  '<line x1="2" y1="13" x2="14" y2="1"/></g>'}


def _legend(entries: Sequence[tuple[str, str, str]]) -> str:
    """The legend as HTML under the timeline: its entries wrap to the column's width (none is cut off)."""
    items = "".join(
        '<span style="display: inline-flex; align-items: center; gap: 4px; margin-right: 14px; white-space: nowrap">'
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="14" viewBox="0 0 16 14" aria-hidden="true">'
        + _SIGNS[kind].format(c=escape(colour)) + f'</svg><span class="wijknet-timeline-legend">{escape(label)}</span></span>'
        for label, colour, kind in entries)
    return ('<div style="display: flex; flex-wrap: wrap; row-gap: 4px; margin-top: 6px; font-family: sans-serif; '
            f'font-size: 12px; color: #333">{items}</div>')
