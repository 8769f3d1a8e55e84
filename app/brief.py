"""The visit brief: one printable page to take along — the eco-map, the contact list and the open points.

Two formats from the same content: self-contained HTML (the eco-map as inline SVG, no script, no external
resource, so it opens offline) and a one-page A4 PDF (matplotlib ``PdfPages``, no extra dependency). The
eco-map is drawn with the same fixed positions as the interactive one (:func:`app.ecomap.layout`).
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("Agg")  # headless: the app server has no display

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

from app.ecomap import DOMAIN_COLOURS, NO_DOMAIN, node_colour  # noqa: E402
from queries.analytics.household import (  # noqa: E402
    double_casemanagers,
    is_active,
    overlaps,
    period_label,
    referrals_without_follow_up,
)
from queries.household import HouseholdView, mandates_that_apply  # noqa: E402

__all__ = ["Contact", "brief_html", "brief_pdf", "contacts", "ecomap_svg", "open_points"]

_MARKERS = {"household": "s", "member": "o", "client_system": "o", "informal": "D", "professional": "o",
            "organisation": "s"}
_SIZES = {"household": 260, "member": 160, "client_system": 110, "informal": 90, "professional": 110,
          "organisation": 70}


@dataclass(frozen=True)
class Contact:
    name: str
    organisation: str
    role: str
    since: date | None
    concerns: str
    phone: str


def contacts(view: HouseholdView, as_of: date) -> list[Contact]:
    """Active professionals (one row per involvement) and the buddies of the coach's mandates that apply."""
    out: list[Contact] = []
    for inv in sorted(view.involvements, key=lambda i: (i.organisation_name, i.since, i.id)):
        if not is_active(inv.since, inv.until, as_of):
            continue
        whom = ", ".join(view.name_of(p) for p in inv.person_ids) or "whole household"
        out.append(Contact(inv.professional_name or inv.professional_id, inv.organisation_name,
                           f"{inv.function or inv.role} ({inv.life_domain.replace('_', ' ').lower()})",
                           inv.since, whom, inv.phone or ""))
    for domain, mandates in mandates_that_apply(view, as_of).items():
        for m in mandates:
            if m.buddy_name:
                out.append(Contact(m.buddy_name, m.organisation_name, f"buddy for mandate: {m.decision_type}",
                                   m.held_since, domain.replace("_", " ").lower(), m.buddy_phone or ""))
    return out


def open_points(view: HouseholdView, as_of: date, follow_up_days: int = 30) -> list[str]:
    """Plain sentences: open agreements, announced sanctions, referrals without follow-up, overlaps."""
    pts: list[str] = []
    for a in view.agreements:
        if a.date is not None and a.date > as_of:
            continue
        if a.kind == "sanctie":
            pts.append(f"Sanction announced{f' on {a.date:%d-%m-%Y}' if a.date else ''}: {a.text}")
        elif (a.status or "open") == "open":
            due = f" (due {a.due:%d-%m-%Y}{', overdue' if a.due < as_of else ''})" if a.due else ""
            pts.append(f"Open agreement: {a.text}{due}")
    for g in view.goals:
        if (g.status or "open") == "open":
            pts.append(f"Goal ({g.life_domain.replace('_', ' ').lower()}): {g.text}")
    for w in referrals_without_follow_up(view.referrals, as_of, follow_up_days):
        r = w.referral
        whom = view.name_of(r.person_id) if r.person_id else "the household"
        pts.append(f"Referral of {whom} to {r.organisation_name} on {r.date:%d-%m-%Y}: no help started after "
                   f"{w.days_waiting} days")
    for o in overlaps(view.involvements, as_of):
        whom = "the household" if o.subject == "household" else view.name_of(o.subject)
        pts.append(f"Overlap: {len(o.organisations)} organisations on {whom} in "
                   f"{o.life_domain.replace('_', ' ').lower()}")
    for d in double_casemanagers(view.involvements, as_of):
        pts.append(f"Dubbele casemanager: {len(d.professionals)} × {d.function}")
    return pts


def _figure(g: nx.Graph, pos: dict[str, tuple[float, float]], ax: plt.Axes) -> None:
    for a, b, data in g.edges(data=True):
        (x1, y1), (x2, y2) = pos.get(a, (0, 0)), pos.get(b, (0, 0))
        domains = data.get("life_domains") or []
        colour = DOMAIN_COLOURS.get(domains[0], NO_DOMAIN) if domains else "#b0b0b0"
        ax.plot([x1, x2], [-y1, -y2], color=colour, lw=1.6 if data.get("kind") == "involvement" else 0.8,
                ls="--" if data.get("kind") in ("works_for", "client_system") else "-", zorder=1)
    for node, data in g.nodes(data=True):
        x, y = pos.get(node, (0, 0))
        kind = data["kind"]
        ax.scatter([x], [-y], s=_SIZES[kind] * (1.6 if data.get("lead") else 1), marker=_MARKERS[kind],
                   c=node_colour(data), edgecolors="#000000" if data.get("lead") else "#ffffff",
                   linewidths=2.5 if data.get("lead") else 0.5, zorder=2)
        label = str(data.get("label", node)) + (" (lead)" if data.get("lead") else "")
        ax.annotate(label, (x, -y), xytext=(0, -11), textcoords="offset points", ha="center", va="top",
                    fontsize=6.5 if kind in ("professional", "organisation") else 7.5, zorder=3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.margins(0.08)


def ecomap_svg(g: nx.Graph, pos: dict[str, tuple[float, float]]) -> str:
    """The eco-map as an inline SVG document (no fonts or images loaded from anywhere)."""
    fig, ax = plt.subplots(figsize=(7.5, 6.2))
    try:
        _figure(g, pos, ax)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight")
    finally:
        plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


_CSS = """
@page { size: A4; margin: 12mm; }
body { font-family: sans-serif; font-size: 10pt; color: #111; max-width: 190mm; margin: auto; }
h1 { font-size: 14pt; margin: 0 0 2mm; } h2 { font-size: 11pt; margin: 4mm 0 1mm; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
td, th { border-bottom: 1px solid #ccc; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
.map svg { width: 100%; height: auto; max-height: 120mm; }
.legend span { display: inline-block; margin-right: 3mm; font-size: 8pt; }
.legend i { display: inline-block; width: 3mm; height: 3mm; border-radius: 50%; margin-right: 1mm; }
.small { color: #555; font-size: 8pt; }
"""


def brief_html(view: HouseholdView, g: nx.Graph, pos: dict[str, tuple[float, float]], as_of: date, *,
               prepared_by: str, follow_up_days: int = 30, recorded: Sequence[str] = ()) -> str:
    """The brief as one self-contained, printable HTML page (``recorded``: what coaches recorded in the app, in
    force on ``as_of``, each with who recorded it; see app/workspace.py)."""
    e = html.escape
    h = view.household
    title = f"Visit brief {h.id}"
    members = ", ".join(f"{e(p.name or p.id)} ({e(p.role)}{f', {p.birth_year}' if p.birth_year else ''})"
                        for p in view.members(as_of))
    rows = "".join(
        f"<tr><td>{e(c.name)}</td><td>{e(c.organisation)}</td><td>{e(c.role)}</td>"
        f"<td>{c.since:%d-%m-%Y}</td><td>{e(c.concerns)}</td><td>{e(c.phone)}</td></tr>"
        if c.since else
        f"<tr><td>{e(c.name)}</td><td>{e(c.organisation)}</td><td>{e(c.role)}</td><td></td>"
        f"<td>{e(c.concerns)}</td><td>{e(c.phone)}</td></tr>" for c in contacts(view, as_of))
    points = "".join(f"<li>{e(p)}</li>" for p in open_points(view, as_of, follow_up_days)) or "<li>None.</li>"
    legend = "".join(f'<span><i style="background:{c}"></i>{e(d.replace("_", " ").lower())}</span>'
                     for d, c in DOMAIN_COLOURS.items())
    coach = ", ".join(f"{e(c.name or c.professional_id)} ({period_label(c.since, c.until)})" for c in view.coaches)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title><style>{_CSS}</style></head>
<body>
<h1>{e(title)} · {e(h.address or '')} {e(h.postcode or '')}</h1>
<p class="small">As of {as_of:%d-%m-%Y} · prepared by {e(prepared_by)} · coach: {coach or '—'} ·
confidential: for this visit only.</p>
<p><b>Members:</b> {members or '—'}</p>
<div class="map">{ecomap_svg(g, pos)}</div>
<div class="legend">{legend}</div>
<h2>Contacts</h2>
<table><thead><tr><th>Name</th><th>Organisation</th><th>Role</th><th>Since</th><th>For</th><th>Phone</th></tr>
</thead><tbody>{rows}</tbody></table>
<h2>Open points</h2>
<ul>{points}</ul>
{f'<h2>Vastgelegd in wijknet</h2><ul>{"".join(f"<li>{e(r)}</li>" for r in recorded)}</ul>' if recorded else ''}
</body></html>
"""


def brief_pdf(view: HouseholdView, g: nx.Graph, pos: dict[str, tuple[float, float]], as_of: date, *,
              prepared_by: str, follow_up_days: int = 30, recorded: Sequence[str] = ()) -> bytes:
    """The brief as a one-page A4 PDF (``recorded``: as :func:`brief_html`, after the open points)."""
    h = view.household
    buf = io.BytesIO()
    fig = plt.figure(figsize=(8.27, 11.69))
    try:
        fig.text(0.05, 0.97, f"Visit brief {h.id} · {h.address or ''} {h.postcode or ''}", fontsize=13,
                 weight="bold", va="top")
        fig.text(0.05, 0.945, f"As of {as_of:%d-%m-%Y} · prepared by {prepared_by} · confidential", fontsize=8,
                 color="#555555", va="top")
        members = ", ".join(f"{p.name or p.id} ({p.role})" for p in view.members(as_of))
        fig.text(0.05, 0.925, f"Members: {members}", fontsize=8, va="top", wrap=True)
        ax = fig.add_axes((0.05, 0.5, 0.9, 0.41))
        _figure(g, pos, ax)
        rows = contacts(view, as_of)
        lines = [f"{c.name} · {c.organisation} · {c.role} · since "
                 f"{c.since:%d-%m-%Y} · {c.concerns} · {c.phone}" if c.since else
                 f"{c.name} · {c.organisation} · {c.role} · {c.concerns} · {c.phone}" for c in rows]
        y = 0.48
        fig.text(0.05, y, "Contacts", fontsize=10, weight="bold", va="top")
        y -= 0.02
        for line in lines[:22]:
            fig.text(0.05, y, line[:140], fontsize=6.8, va="top")
            y -= 0.0135
        if len(lines) > 22:
            fig.text(0.05, y, f"… and {len(lines) - 22} more (see the HTML brief)", fontsize=6.8, va="top")
            y -= 0.0135
        y -= 0.01
        fig.text(0.05, y, "Open points", fontsize=10, weight="bold", va="top")
        y -= 0.02
        for p in open_points(view, as_of, follow_up_days)[:14] or ["None."]:
            fig.text(0.05, y, "• " + p[:150], fontsize=6.8, va="top")
            y -= 0.0135
        if recorded:
            y -= 0.01
            fig.text(0.05, y, "Vastgelegd in wijknet", fontsize=10, weight="bold", va="top")
            y -= 0.02
            for r in list(recorded)[:8]:
                fig.text(0.05, y, "• " + r[:150], fontsize=6.8, va="top")
                y -= 0.0135
        with PdfPages(buf) as pdf:
            pdf.savefig(fig)
    finally:
        plt.close(fig)
    return buf.getvalue()
