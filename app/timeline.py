"""The coach page's timeline as one inline SVG: involvements per member as bars (coloured by life domain),
handovers and ping-pong as markers, gaps as dotted lines, the as-of date as a dashed line, hover text as SVG
``<title>`` elements.

Each member (row) gets a line per life domain (lane); bars of one lane that overlap in time — an overlap the
coach should see — are put on extra lines of that lane instead of covering each other.

Drawn on the server as plain SVG, so the browser parses no charting library: the page with the Plotly
timeline took about 0.9 s more browser CPU to become ready (bench/bench_browser.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from app.i18n import t

__all__ = ["Bar", "Gap", "Mark", "timeline_svg"]

_WIDTH = 1000          # viewBox units; the SVG scales to the page width ...
#: ... but never below this many pixels, so its 12-unit texts are drawn at 11 px or more (a narrower column
#: scrolls it sideways: at 1024 pixels the column is 564 px, and the texts were 6.8 px high)
MIN_WIDTH_PX = 920
_LABEL_W = 250         # room for the row labels (member, then life domain)
_ROW_H = 30
_HEAD_H = 22           # a member's name on a line of its own, above the member's life domains
_TOP = 26              # room for the year ticks
_LEGEND_H = 26


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


def _legend_places(entries: Sequence[tuple[str, str, str]]) -> list[tuple[float, int]]:
    """Where each legend entry starts: ``(x, line)``, wrapped onto a new line instead of past the right edge."""
    places: list[tuple[float, int]] = []
    lx, line = 4.0, 0
    for label, _, _ in entries:
        need = 26 + _CHAR_W * len(label)
        if lx > 4 and lx + need > _WIDTH:
            lx, line = 4.0, line + 1
        places.append((lx, line))
        lx += need
    return places


def _x(d: date, first: date, last: date) -> float:
    span = max((last - first).days, 1)
    return _LABEL_W + (_WIDTH - _LABEL_W - 10) * (d - first).days / span


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
    """One SVG element: a row per entry of ``rows`` (top to bottom), time from the first start to ``end``.

    ``rows`` (and the ``row`` of bars, marks and gaps) are keys — a person's id — shown as ``labels[row]`` (the
    key itself when it has none): two people who look alike keep a row each."""
    labels = labels or {}
    first = min([b.start for b in bars] + [as_of])
    first = date(first.year, 1, 1)
    last = max(end, as_of + timedelta(days=1))
    lines, line_of = _lines(rows, bars)
    n_lines = len(lines)
    entries = _legend_entries(marks, gaps, colours)
    placed = _legend_places(entries)
    y_line = [_TOP + sum(ln.height for ln in lines[:k]) for k in range(n_lines)]
    bottom = _TOP + sum(ln.height for ln in lines)
    height = bottom + _LEGEND_H * (1 + max((r for _, r in placed), default=0)) + 8
    first_line: dict[tuple[str, str | None], int] = {}
    for k, ln in enumerate(lines):
        if ln.header:
            continue
        first_line.setdefault((ln.row, ln.lane), k)
        first_line.setdefault((ln.row, None), k)
    bar_line = {(b.row, b.key): line_of[i] for i, b in enumerate(bars) if b.key}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" width="100%" '
           f'role="img" aria-label="{escape(t("timeline.aria"))}" class="wijknet-timeline" '
           f'style="font-family: sans-serif; font-size: 12px; min-width: {MIN_WIDTH_PX}px">']
    # year ticks and row bands
    for year in range(first.year, last.year + 1):
        x = _x(date(year, 1, 1), first, last)
        out.append(f'<line x1="{x:.1f}" y1="{_TOP - 6}" x2="{x:.1f}" y2="{bottom}" '
                   'stroke="#ddd" stroke-width="1"/>')
        if x + 34 < _WIDTH:  # no label cut off at the right edge
            out.append(f'<text x="{x + 2:.1f}" y="{_TOP - 10}" fill="#555">{year}</text>')
    for ln, y in zip(lines, y_line, strict=True):
        if ln.header:
            shown = labels.get(ln.row, ln.row)
            out.append(f'<text x="4" y="{y + _HEAD_H / 2 + 5:.1f}" fill="#222" font-weight="bold">'
                       f'{escape(_fitted(shown, (_WIDTH - 14) / 1.1) or shown[:4])}<title>{escape(shown)}</title></text>')
            if y > _TOP:
                out.append(f'<line x1="0" y1="{y}" x2="{_WIDTH - 10}" y2="{y}" stroke="#bbb"/>')
            continue
        if ln.first_of_lane and ln.lane:
            out.append(f'<text x="16" y="{y + _ROW_H / 2 + 4:.1f}" fill="#666">{escape(_fitted(ln.lane, _LABEL_W - 24))}'
                       f'<title>{escape(ln.lane)}</title></text>')
        out.append(f'<line x1="{_LABEL_W}" y1="{y + _ROW_H}" x2="{_WIDTH - 10}" y2="{y + _ROW_H}" stroke="#eee"/>')
    # where markers sit, per line: a bar's text starts after a marker at its start instead of under it
    marked: dict[int, list[float]] = {}
    for m in marks:
        k = bar_line.get((m.row, m.key), first_line.get((m.row, None)))
        if k is not None:
            marked.setdefault(k, []).append(_x(m.at, first, last))
    for i, b in enumerate(bars):
        x0, x1 = _x(b.start, first, last), _x(b.end or last, first, last)
        w = max(x1 - x0, 2.0)
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
        x0, x1, y = _x(g.start, first, last), _x(g.end, first, last), y_line[k] + _ROW_H / 2
        out.append(f'<line class="gap" x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" stroke="#d00000" '
                   f'stroke-width="3" stroke-dasharray="4 3"><title>{escape(g.hover)}</title></line>')
    for m in marks:
        k = bar_line.get((m.row, m.key), first_line.get((m.row, None)))
        if k is None:
            continue
        x, y = _x(m.at, first, last), y_line[k] + _ROW_H / 2
        if m.ping_pong:
            out.append(f'<g class="ping-pong" stroke="#d00000" stroke-width="3"><title>{escape(m.hover)}</title>'
                       f'<line x1="{x - 6:.1f}" y1="{y - 6:.1f}" x2="{x + 6:.1f}" y2="{y + 6:.1f}"/>'
                       f'<line x1="{x - 6:.1f}" y1="{y + 6:.1f}" x2="{x + 6:.1f}" y2="{y - 6:.1f}"/></g>')
        else:
            out.append(f'<path class="handover" d="M{x - 5:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} '
                       f'L{x - 5:.1f},{y + 6:.1f} Z" fill="#000"><title>{escape(m.hover)}</title></path>')
    x = _x(as_of, first, last)
    out.append(f'<line class="as-of" x1="{x:.1f}" y1="{_TOP - 6}" x2="{x:.1f}" y2="{bottom}" '
               f'stroke="#444" stroke-dasharray="6 4"><title>{escape(t("timeline.as_of", date=f"{as_of:%d-%m-%Y}"))}</title></line>')
    base = bottom + 18
    for (label, colour, kind), (lx, line) in zip(entries, placed, strict=True):
        ly = base + _LEGEND_H * line
        if kind == "bar":
            out.append(f'<rect x="{lx:.1f}" y="{ly - 10}" width="14" height="12" rx="2" fill="{escape(colour)}"/>')
        elif kind == "gap":
            out.append(f'<line x1="{lx:.1f}" y1="{ly - 4}" x2="{lx + 14:.1f}" y2="{ly - 4}" stroke="{colour}" '
                       'stroke-width="3" stroke-dasharray="4 3"/>')
        else:
            out.append(f'<circle cx="{lx + 7:.1f}" cy="{ly - 4}" r="5" fill="{colour}"/>')
        out.append(f'<text x="{lx + 18:.1f}" y="{ly}" fill="#333">{escape(label)}</text>')
    out.append("</svg>")
    return "".join(out)
