"""The coach page's timeline as one inline SVG: involvements per member as bars (coloured by life domain),
handovers and ping-pong as markers, gaps as dotted lines, the as-of date as a dashed line, hover text as SVG
``<title>`` elements.

Drawn on the server as plain SVG, so the browser parses no charting library: the page with the Plotly
timeline took about 0.9 s more browser CPU to become ready (bench/bench_browser.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

__all__ = ["Bar", "Gap", "Mark", "timeline_svg"]

_WIDTH = 1000          # viewBox units; the SVG scales to the page width
_LABEL_W = 190         # room for the row labels
_ROW_H = 30
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


@dataclass(frozen=True)
class Mark:
    row: str
    at: date
    ping_pong: bool
    hover: str


@dataclass(frozen=True)
class Gap:
    row: str
    start: date
    end: date
    hover: str


def _x(d: date, first: date, last: date) -> float:
    span = max((last - first).days, 1)
    return _LABEL_W + (_WIDTH - _LABEL_W - 10) * (d - first).days / span


def timeline_svg(rows: Sequence[str], bars: Sequence[Bar], marks: Sequence[Mark], gaps: Sequence[Gap],
                 as_of: date, end: date, colours: Mapping[str, str]) -> str:
    """One SVG element: a row per entry of ``rows`` (top to bottom), time from the first start to ``end``."""
    first = min([b.start for b in bars] + [as_of])
    first = date(first.year, 1, 1)
    last = max(end, as_of + timedelta(days=1))
    height = _TOP + _ROW_H * len(rows) + _LEGEND_H + 8
    y_of = {r: _TOP + _ROW_H * i for i, r in enumerate(rows)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" width="100%" '
           f'role="img" aria-label="Timeline of involvements" class="wijknet-timeline" '
           f'style="font-family: sans-serif; font-size: 12px">']
    # year ticks and row bands
    for year in range(first.year, last.year + 1):
        x = _x(date(year, 1, 1), first, last)
        out.append(f'<line x1="{x:.1f}" y1="{_TOP - 6}" x2="{x:.1f}" y2="{_TOP + _ROW_H * len(rows)}" '
                   'stroke="#ddd" stroke-width="1"/>')
        if x + 34 < _WIDTH:  # no label cut off at the right edge
            out.append(f'<text x="{x + 2:.1f}" y="{_TOP - 10}" fill="#555">{year}</text>')
    for r, y in y_of.items():
        out.append(f'<text x="4" y="{y + _ROW_H / 2 + 4:.1f}" fill="#222">{escape(r[:28])}<title>{escape(r)}'
                   '</title></text>')
        out.append(f'<line x1="{_LABEL_W}" y1="{y + _ROW_H}" x2="{_WIDTH - 10}" y2="{y + _ROW_H}" stroke="#eee"/>')
    for b in bars:
        x0, x1 = _x(b.start, first, last), _x(b.end or last, first, last)
        w = max(x1 - x0, 2.0)
        y = y_of[b.row] + 4
        out.append(f'<g><title>{escape(b.hover)}</title><rect class="bar" x="{x0:.1f}" y="{y}" width="{w:.1f}" '
                   f'height="{_ROW_H - 8}" rx="3" fill="{escape(b.colour)}" fill-opacity="0.85"/>')
        if w > 7 * len(b.text[:30]) * 0.8:
            out.append(f'<text x="{x0 + 4:.1f}" y="{y + _ROW_H / 2 + 1:.1f}" fill="#fff">{escape(b.text[:30])}'
                       '</text>')
        out.append('</g>')
    for g in gaps:
        x0, x1, y = _x(g.start, first, last), _x(g.end, first, last), y_of[g.row] + _ROW_H / 2
        out.append(f'<line class="gap" x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" stroke="#d00000" '
                   f'stroke-width="3" stroke-dasharray="4 3"><title>{escape(g.hover)}</title></line>')
    for m in marks:
        x, y = _x(m.at, first, last), y_of[m.row] + _ROW_H / 2
        if m.ping_pong:
            out.append(f'<g class="ping-pong" stroke="#d00000" stroke-width="3"><title>{escape(m.hover)}</title>'
                       f'<line x1="{x - 6:.1f}" y1="{y - 6:.1f}" x2="{x + 6:.1f}" y2="{y + 6:.1f}"/>'
                       f'<line x1="{x - 6:.1f}" y1="{y + 6:.1f}" x2="{x + 6:.1f}" y2="{y - 6:.1f}"/></g>')
        else:
            out.append(f'<path class="handover" d="M{x - 5:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} '
                       f'L{x - 5:.1f},{y + 6:.1f} Z" fill="#000"><title>{escape(m.hover)}</title></path>')
    x = _x(as_of, first, last)
    out.append(f'<line class="as-of" x1="{x:.1f}" y1="{_TOP - 6}" x2="{x:.1f}" y2="{_TOP + _ROW_H * len(rows)}" '
               f'stroke="#444" stroke-dasharray="6 4"><title>As of {as_of:%d-%m-%Y}</title></line>')
    # legend: the life domains drawn, then the markers used
    entries = [(label, colour, "bar") for label, colour in colours.items()]
    if any(not m.ping_pong for m in marks):
        entries.append(("handover", "#000", "handover"))
    if any(m.ping_pong for m in marks):
        entries.append(("ping-pong (A→B→A)", "#d00000", "ping"))
    if gaps:
        entries.append(("gap (nobody involved)", "#d00000", "gap"))
    lx, ly = float(_LABEL_W), _TOP + _ROW_H * len(rows) + 18
    for label, colour, kind in entries:
        if kind == "bar":
            out.append(f'<rect x="{lx:.1f}" y="{ly - 10}" width="14" height="12" rx="2" fill="{escape(colour)}"/>')
        elif kind == "gap":
            out.append(f'<line x1="{lx:.1f}" y1="{ly - 4}" x2="{lx + 14:.1f}" y2="{ly - 4}" stroke="{colour}" '
                       'stroke-width="3" stroke-dasharray="4 3"/>')
        else:
            out.append(f'<circle cx="{lx + 7:.1f}" cy="{ly - 4}" r="5" fill="{colour}"/>')
        out.append(f'<text x="{lx + 18:.1f}" y="{ly}" fill="#333">{escape(label)}</text>')
        lx += 26 + 7 * len(label)
    out.append("</svg>")
    return "".join(out)
