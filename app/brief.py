"""The visit brief: what to take along — the eco-map with its legend, the contacts and the open points.

One layout, two formats: :func:`brief_html` is a self-contained HTML page (the eco-map as inline SVG, no script,
no external resource, so it opens offline) with print CSS for A4, and :func:`brief_pdf` is that same page
rendered by WeasyPrint (an HTML/CSS layout engine, not a browser: it loads nothing, the page has no URL). So
what prints from the browser and the PDF agree, and both wrap long names and phone numbers instead of cutting
them; a long contact list continues on the next page with the table header repeated. A typical household
fits on one A4 page — when what coaches recorded would push a few lines onto a second page, the map is drawn
smaller instead (:func:`_fitted`, down to :data:`MAP_MIN_MM` high) — and the busiest (60 nodes, 36 contacts) on
two.

The eco-map is drawn with the same fixed positions as the interactive one (:func:`app.ecomap.layout`) and the
same wrapped labels, as plain SVG written here, with a font size chosen so that labels print at
:data:`MAP_LABEL_PT` or larger.

The brief holds only what is active on its date: the people, the professionals (one row per professional,
however many involvements they have), the coach of that date and the buddies of the mandates that apply.
"""

from __future__ import annotations

import functools
import html
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from app.dates import dmy
from app.ecomap import (
    DOMAIN_COLOURS,
    KIND_LABELS,
    KIND_STYLE,
    NO_DOMAIN,
    ROLE_ORDER,
    bounds,
    node_colour,
    wrap_label,
)
from app.i18n import code_label, language, plural, t
from graph.profile import active_profile
from queries.analytics.household import (
    PersonTie,
    double_casemanagers,
    is_active,
    overlaps,
    referrals_without_follow_up,
)
from queries.household import HouseholdView, mandates_by_domain

__all__ = ["MAP_LABEL_PT", "MAP_MAX_MM", "MAP_MIN_MM", "Contact", "brief_html", "brief_pdf", "contacts", "ecomap_svg", "open_points"]

#: The printed width of the map (A4 less the margins), in mm, and the smallest printed label size in pt.
MAP_WIDTH_MM, MAP_LABEL_PT = 186.0, 6.5
#: The most the map is printed high, in mm, and the least it is made to let the brief end on its first page.
MAP_MAX_MM, MAP_MIN_MM = 118.0, 60.0
_PT_MM = 25.4 / 72
_PX_MM = 25.4 / 96  # a CSS pixel


@dataclass(frozen=True)
class Contact:
    name: str
    organisation: str
    role: str
    since: date | None
    concerns: str
    phone: str


def _domain(d: str) -> str:
    return code_label("life_domain", d)


def _team() -> str:
    """The generalists' team as the deployment profile names it (Wijkcoaches Velve-Lindenhof, Frontlijnteam …)."""
    return active_profile().generalist.team


def contacts(view: HouseholdView, as_of: date) -> list[Contact]:
    """Who to call on ``as_of``: one row per active professional (their involvements joined), the coach of that
    date, and the buddies of the coach's mandates with an involved partner (a buddy who is already a contact
    gets the mandate added to their row)."""
    # professional → (first row, their functions each with its life domains, for whom)
    rows: dict[str, tuple[Contact, dict[str, list[str]], list[str]]] = {}
    for inv in sorted(view.involvements, key=lambda i: (i.organisation_name, i.since, i.id)):
        if not is_active(inv.since, inv.until, as_of):
            continue
        first, roles, whom = rows.setdefault(inv.professional_id, (Contact(
            inv.professional_name or inv.professional_id, inv.organisation_name, "", inv.since, "",
            inv.phone or ""), {}, []))
        domains = roles.setdefault(inv.function or inv.role, [])  # one function, its domains together
        if _domain(inv.life_domain) not in domains:
            domains.append(_domain(inv.life_domain))
        whom.extend(w for w in dict.fromkeys([view.name_of(p) for p in inv.person_ids] or [t("common.whole_household")])
                    if w not in whom)
    for c in view.coaches:
        if is_active(c.since, c.until, as_of) and c.professional_id not in rows:
            rows[c.professional_id] = (Contact(c.name or c.professional_id, c.organisation or _team(), "", c.since, "",
                                               c.phone or ""), {t("term.coach"): []}, [t("common.whole_household")])
    out = [Contact(c.name, c.organisation,
                   "; ".join(f"{function} ({', '.join(domains)})" if domains else function
                             for function, domains in roles.items()), c.since, ", ".join(whom), c.phone)
           for c, roles, whom in rows.values()]
    for group in mandates_by_domain(view, as_of):
        for m in group.involved:
            if not m.buddy_name:
                continue
            # the mandate's life domain goes with the role, as a professional's does; "Voor" says for whom
            # (a review read "Voor: wonen" where every other row names a person or the whole household)
            role = t("brief.buddy_for", decision=code_label("decision_type", m.decision_type)) \
                + f" ({_domain(group.life_domain)})"
            same = next((k for k, c in enumerate(out) if c.name == m.buddy_name
                         and c.organisation == m.organisation_name), None)
            if same is not None:
                c = out[same]
                out[same] = Contact(c.name, c.organisation, f"{c.role}; {role}", c.since, c.concerns,
                                    c.phone or m.buddy_phone or "")
            else:
                out.append(Contact(m.buddy_name, m.organisation_name, role, m.held_since,
                                   t("common.whole_household"), m.buddy_phone or ""))
    return out


def network(view: HouseholdView, as_of: date) -> list[str]:
    """The client system outside the household and the informal supporters on ``as_of``, each by name with the
    relation or support as the coach recorded it (a review found the grandparents only as unlabelled dots)."""
    out = []
    for p in view.people:
        if p.kind in ("client_system", "informal") and is_active(p.since, p.until, as_of):
            label = view.name_of(p.id)  # two of one name are told apart by their relation already: not twice
            out.append(f"{label} ({p.role})" if p.role and f"({p.role})" not in label else label)
    return out


def mandates(view: HouseholdView, as_of: date) -> list[str]:
    """The coach's mandates in force that apply to the household on ``as_of``: those of partners involved (or the
    open goals' domains) by name, the rest counted."""
    groups = mandates_by_domain(view, as_of)
    out = [t("brief.mandate", domain=_domain(g.life_domain), organisation=m.organisation_name,
             decision=code_label("decision_type", m.decision_type)) for g in groups for m in g.involved]
    if rest := sum(len(g.other) for g in groups):
        out.append(plural(rest, "brief.mandates_other_one", "brief.mandates_other"))
    return out


def history(view: HouseholdView, as_of: date, most: int = 4) -> list[str]:
    """Who was involved before ``as_of`` (ended involvements) and the handovers up to it, the latest first, at most
    ``most`` lines and a count of the rest: who held the case before is what a coach asks at the door."""
    orgs = {i.id: i.organisation_name or i.organisation_id for i in view.involvements}
    dated: list[tuple[date, str]] = []
    for i in view.involvements:
        if i.until is not None and i.until < as_of:
            dated.append((i.until, t("brief.ended", name=i.professional_name or i.professional_id,
                                     organisation=i.organisation_name, role=i.function or i.role,
                                     since=dmy(i.since), until=dmy(i.until))))
    for h in view.handovers:
        if h.date <= as_of and h.from_id in orgs and h.to_id in orgs:
            dated.append((h.date, t("brief.handover", date=dmy(h.date), source=orgs[h.from_id],
                                    target=orgs[h.to_id])))
    dated.sort(key=lambda d: d[0], reverse=True)
    lines = [line for _, line in dated[:most]]
    if len(dated) > most:
        lines.append(plural(len(dated) - most, "brief.history_more_one", "brief.history_more"))
    return lines


def open_points(view: HouseholdView, as_of: date, follow_up_days: int = 30) -> list[str]:
    """Plain sentences on ``as_of``: open agreements, announced sanctions, goals in progress, advice awaiting the
    partner's decision, referrals without follow-up, overlaps."""
    pts: list[str] = []
    for a in view.agreements_on(as_of):  # made by the brief's date, with the status they had on it
        if a.kind == "sanctie":
            if a.status not in ("uitgevoerd", "ingetrokken"):  # announced: not carried out, not withdrawn
                pts.append(t("brief.sanction", on=t("brief.on", date=dmy(a.date)) if a.date else "", text=a.text))
        elif (a.status or "open") == "open":
            due = t("brief.due", date=dmy(a.due), overdue=t("brief.overdue") if a.due < as_of else "") if a.due else ""
            pts.append(t("brief.agreement", text=a.text, due=due))
    for g in view.goals_on(as_of):
        if g.is_open:  # in progress on the brief's date
            pts.append(t("brief.goal", domain=code_label("life_domain", g.life_domain), text=g.text))
    for adv in view.advice:  # given by the brief's date, the partner's decision still awaited
        if adv.outcome is None and adv.date is not None and adv.date <= as_of:
            pts.append(t("brief.advice", date=dmy(adv.date), decision=code_label("decision_type", adv.decision_type),
                         organisation=adv.organisation_name))
    for w in referrals_without_follow_up(view.referrals, as_of, follow_up_days):
        r = w.referral
        whom = view.name_of(r.person_id) if r.person_id else t("common.the_household")
        pts.append(t("brief.referral", who=whom, organisation=r.organisation_name, date=dmy(r.date),
                     days=w.days_waiting))
    for o in overlaps(view.involvements, as_of):
        whom = t("common.the_household") if o.subject == "household" else view.name_of(o.subject)
        pts.append(t("brief.overlap", n=len(o.organisations), who=whom,
                     domain=code_label("life_domain", o.life_domain)))
    for d in double_casemanagers(view.involvements, as_of):
        pts.append(t("coach.double", n=len(d.professionals), function=d.function))
    return pts


# ------------------------------------------------------------------------------------------------ the map
def map_scale(box: tuple[float, float, float, float], height_mm: float = MAP_MAX_MM) -> float:
    """Printed mm per map unit: the map as wide as the page allows (:data:`MAP_WIDTH_MM`) and at most
    ``height_mm`` high."""
    return min(MAP_WIDTH_MM / max(box[2] - box[0], 1.0), height_mm / max(box[3] - box[1], 1.0))


def _label_units(box: tuple[float, float, float, float], height_mm: float = MAP_MAX_MM) -> float:
    """The font size, in map units, that prints at :data:`MAP_LABEL_PT` at the map's printed scale."""
    return math.ceil(MAP_LABEL_PT * _PT_MM / map_scale(box, height_mm))


def ecomap_svg(g: nx.Graph, pos: dict[str, tuple[float, float]], height_mm: float = MAP_MAX_MM) -> str:
    """The eco-map as an inline SVG (no fonts or images loaded from anywhere), framed on the whole history's
    positions so it has the same scale on every date; labels wrapped as in the interactive map. Printed as wide as
    the page allows and at most ``height_mm`` high (its size in mm, so labels print at :data:`MAP_LABEL_PT`)."""
    e = html.escape
    box = bounds(pos)
    font = _label_units(box, height_mm)
    scale = map_scale(box, height_mm)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box[0]:.0f} {box[1]:.0f} {box[2] - box[0]:.0f} '
           f'{box[3] - box[1]:.0f}" width="{(box[2] - box[0]) * scale:.1f}mm" '
           f'height="{(box[3] - box[1]) * scale:.1f}mm" font-family="DejaVu Sans, Arial, sans-serif" role="img" '
           f'aria-label="Ecogram">']
    for a, b, data in sorted(g.edges(data=True), key=lambda t: (t[0], t[1])):
        (x1, y1), (x2, y2) = pos.get(a, (0, 0)), pos.get(b, (0, 0))
        domains = data.get("life_domains") or []
        colour = DOMAIN_COLOURS.get(domains[0], NO_DOMAIN) if domains else "#b0b0b0"
        dash = ' stroke-dasharray="8 6"' if data.get("kind") in ("works_for", "client_system") else ""
        width = 3 if data.get("kind") in ("involvement", "coach") else 1.5
        out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="{width}" '
                   f'stroke-opacity="0.7"{dash}/>')
    for node, data in sorted(g.nodes(data=True)):
        x, y = pos.get(node, (0, 0))
        kind, colour = data["kind"], node_colour(data)
        r = 24 if data.get("lead") else float(KIND_STYLE[kind].get("size", 14))
        label = ("★ " if data.get("lead") else "") + str(data.get("label", node))
        lines = wrap_label(label).split("\n")
        if kind in ("household", "organisation"):  # a box with the label inside
            w = max(len(t) for t in lines) * font * 0.6 + font
            h = len(lines) * font * 1.2 + font * 0.5
            text_colour = "#ffffff" if kind == "household" else "#222222"
            out.append(f'<rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w:.1f}" height="{h:.1f}" rx="4" '
                       f'fill="{colour}" stroke="#888888" stroke-width="1"/>')
            top = y - h / 2 + font * 1.05
        else:
            if kind == "informal":
                out.append(f'<polygon points="{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}" fill="{colour}"/>')
            else:
                stroke = ' stroke="#000000" stroke-width="4"' if data.get("lead") else ' stroke="#ffffff"'
                out.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour}"{stroke}/>')
            text_colour, top = "#111111", y + r + font
        spans = "".join(f'<tspan x="{x}" y="{top + k * font * 1.15:.1f}">{e(t)}</tspan>'
                        for k, t in enumerate(lines))
        out.append(f'<text text-anchor="middle" font-size="{font}" fill="{text_colour}">{spans}</text>')
    out.append("</svg>")
    return "".join(out)


def _legend() -> str:
    """The map's legend in the app's language, with the interactive map's words and colours (``kind.<kind>``)."""
    e = html.escape
    shape = {"dot": "50%", "diamond": "0", "box": "2px"}
    items = [f'<span><i style="background:{KIND_STYLE[k]["color"]};border-radius:{shape[KIND_STYLE[k]["shape"]]}">'
             f'</i>{e(t(f"kind.{k}"))}</span>' for k in KIND_LABELS if k != "professional"]
    items += [f'<span><i style="background:{c};border-radius:50%"></i>{e(_domain(d))}</span>'
              for d, c in DOMAIN_COLOURS.items()]
    return (f'<div class="legend"><b>{e(t("brief.legend"))}</b> ' + "".join(items) +
            f'<span>★ {e(t("ecomap.lead_short"))}</span><span>{e(t("brief.legend_colour"))}</span></div>')


def _member(view: HouseholdView, p: PersonTie) -> str:
    """A member on the brief's members line: the person's label, with role and birth year (the year once: a
    label that tells two of one name apart by it, "Jesse Pierik (1996)", is said as the name)."""
    label = view.name_of(p.id)
    if p.name and p.birth_year and label == f"{p.name} ({p.birth_year})":
        label = p.name
    return f"{label} ({code_label('member_role', p.role)}{f', {p.birth_year}' if p.birth_year else ''})"


# ---------------------------------------------------------------------------------------------- the page
_CSS = """
@page { size: A4; margin: 12mm; }
html { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8.5pt; color: #111; }
body { margin: 0 auto; max-width: 186mm; }
h1 { font-size: 13pt; margin: 0 0 1mm; } h2 { font-size: 10pt; margin: 3mm 0 1mm; break-after: avoid; }
p { margin: 0 0 1.5mm; }
.map svg { display: block; margin: 0 auto; max-width: 100%; }
.legend { font-size: 7.5pt; line-height: 1.5; margin-bottom: 1mm; }
.legend span { display: inline-block; margin-right: 3mm; white-space: nowrap; }
.legend i { display: inline-block; width: 2.6mm; height: 2.6mm; margin-right: 1mm; vertical-align: -0.3mm; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 7.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td, th { border-bottom: 0.5pt solid #bbb; padding: 0.6mm 1mm; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
col.name { width: 20%; } col.org { width: 21%; } col.role { width: 23%; } col.since { width: 10%; }
col.for { width: 12%; } col.phone { width: 14%; }
ul { margin: 0; padding-left: 4mm; } li { break-inside: avoid; }
.small { color: #555; font-size: 7.5pt; }
@media screen { body { padding: 8mm; } }
"""


def brief_html(view: HouseholdView, g: nx.Graph, pos: dict[str, tuple[float, float]], as_of: date, *,
               prepared_by: str, follow_up_days: int = 30, recorded: Sequence[str] = ()) -> str:
    """The brief as one self-contained, printable HTML page (the PDF is this page, rendered). ``recorded``:
    what coaches recorded in the app, in force on ``as_of``, each with who recorded it (app/workspace.py). The
    map as high as lets the brief end on its first page (:func:`_fitted`), as the PDF has it."""
    return _fitted(view, g, pos, as_of, prepared_by=prepared_by, follow_up_days=follow_up_days,
                   recorded=recorded)[0]


def _page(view: HouseholdView, g: nx.Graph, pos: dict[str, tuple[float, float]], as_of: date, *, prepared_by: str,
          follow_up_days: int, recorded: Sequence[str], map_mm: float) -> str:
    e = html.escape
    h = view.household
    title = t("brief.title", id=h.id)
    # parents before children, the eldest first (a review read "Bianca (2002)" before "Dirk (1998)", the children
    # before their parents)
    members = ", ".join(e(_member(view, p)) for p in sorted(view.members(as_of), key=lambda p: (
        ROLE_ORDER.get(p.role, len(ROLE_ORDER)), p.birth_year or 9999)))
    people = contacts(view, as_of)
    rows = "".join(
        f"<tr><td>{e(c.name)}</td><td>{e(c.organisation)}</td><td>{e(c.role)}</td>"
        f"<td>{f'{c.since:%d-%m-%Y}' if c.since else ''}</td><td>{e(c.concerns)}</td><td>{e(c.phone)}</td></tr>"
        for c in people)
    points = "".join(f"<li>{e(p)}</li>" for p in open_points(view, as_of, follow_up_days)) or f"<li>{e(t('common.none'))}</li>"
    coach = ", ".join(e(c.name or c.professional_id) for c in view.coaches if is_active(c.since, c.until, as_of))
    around = ", ".join(e(x) for x in network(view, as_of))
    table = f"""<table><colgroup><col class="name"><col class="org"><col class="role"><col class="since">
<col class="for"><col class="phone"></colgroup>
<thead><tr><th>{e(t("col.name"))}</th><th>{e(t("col.organisation"))}</th><th>{e(t("col.role"))}</th>
<th>{e(t("col.since"))}</th><th>{e(t("col.for"))}</th><th>{e(t("col.phone"))}</th></tr></thead>
<tbody>{rows}</tbody></table>"""

    def inline(key: str, lines: list[str]) -> str:  # one paragraph, not a list: the brief stays one page
        return f'<p><b>{e(t(key))}:</b> {" · ".join(e(x) for x in lines)}</p>' if lines else ""
    return f"""<!DOCTYPE html>
<html lang="{language()}"><head><meta charset="utf-8"><title>{e(title)}</title><style>{_CSS}</style></head>
<body>
<h1>{e(title)} · {e(h.address or '')} {e(h.postcode or '')}</h1>
<p class="small">{e(t("brief.meta", date=dmy(as_of), by=prepared_by))} · {e(t("term.coach"))}: {coach or '—'} ·
{e(t("brief.confidential"))}</p>
<p><b>{e(t("brief.members"))}:</b> {members or '—'}</p>
{f'<p><b>{e(t("brief.network"))}:</b> {around}</p>' if around else ''}
<div class="map">{ecomap_svg(g, pos, map_mm)}</div>
{_legend()}
<h2>{e(t("brief.contacts"))} ({len(people)})</h2>
{table if people else f'<p>{e(t("brief.no_contacts", date=dmy(as_of)))}</p>'}
{inline("brief.mandates", mandates(view, as_of))}
<h2>{e(t("brief.open_points"))}</h2>
<ul>{points}</ul>
{inline("brief.history", history(view, as_of))}
{f'<h2>{e(t("brief.recorded"))}</h2><ul>{"".join(f"<li>{e(r)}</li>" for r in recorded)}</ul>' if recorded else ''}
</body></html>
"""


@functools.cache
def pdf_missing() -> str | None:
    """Why this server cannot lay out a PDF (WeasyPrint cannot load: the system's pango is missing), or None when
    it can. Asked once per process, when the brief is first offered; the page then offers the HTML brief only and
    says so (run.sh installs what is missing when run as root: scripts/system.sh)."""
    try:
        import weasyprint  # noqa: F401 (loads the system libraries it needs)
    except (ImportError, OSError) as exc:  # OSError: cffi could not open libpango/libgobject
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        logging.getLogger(__name__).warning("The PDF brief is not available on this server: %s", reason)
        return reason
    return None


def brief_pdf(view: HouseholdView, g: nx.Graph, pos: dict[str, tuple[float, float]], as_of: date, *,
              prepared_by: str, follow_up_days: int = 30, recorded: Sequence[str] = ()) -> bytes:
    """The brief as an A4 PDF: :func:`brief_html` laid out by WeasyPrint (which fetches nothing: the page has
    no URL and no external resource)."""
    _, laid_out = _fitted(view, g, pos, as_of, prepared_by=prepared_by, follow_up_days=follow_up_days,
                          recorded=recorded)
    assert laid_out is not None  # the PDF is offered only where WeasyPrint loads (pdf_missing)
    pdf = laid_out.write_pdf()
    assert pdf is not None
    return bytes(pdf)


def _laid_out(page: str) -> Any:
    """``page`` laid out on A4 by WeasyPrint (imported here: loading its layout engine costs the pages that never
    print), or None where it cannot load (:func:`pdf_missing`)."""
    if pdf_missing() is not None:
        return None
    from weasyprint import HTML

    return HTML(string=page, base_url=None).render()


#: Room kept below the last line when the map is made smaller, in mm (WeasyPrint's and a browser's line breaks
#: differ a little).
_FIT_SLACK_MM = 5.0


def _fitted(view: HouseholdView, g: nx.Graph, pos: dict[str, tuple[float, float]], as_of: date, *,
            prepared_by: str, follow_up_days: int, recorded: Sequence[str]) -> tuple[str, Any]:
    """The brief's page (:func:`_page`) and its layout: with the map at :data:`MAP_MAX_MM`, unless that runs onto a
    second page by less than the map can give up (down to :data:`MAP_MIN_MM`) — then with the map that much lower,
    when the page then ends on the first. A household whose coach recorded a few things ran onto a second page by
    one line. Without WeasyPrint the page as it is (the HTML brief only)."""
    def build(map_mm: float) -> str:
        return _page(view, g, pos, as_of, prepared_by=prepared_by, follow_up_days=follow_up_days, recorded=recorded,
                     map_mm=map_mm)

    box = bounds(pos)
    page = build(MAP_MAX_MM)
    doc = _laid_out(page)
    if doc is None or len(doc.pages) != 2:
        return page, doc
    over_mm = _body_height_px(doc.pages[1]) * _PX_MM + _FIT_SLACK_MM
    drawn_mm = (box[3] - box[1]) * map_scale(box)
    if drawn_mm - over_mm < MAP_MIN_MM:
        return page, doc
    smaller = build(drawn_mm - over_mm)
    fits = _laid_out(smaller)
    return (smaller, fits) if fits is not None and len(fits.pages) == 1 else (page, doc)


def _body_height_px(page: Any) -> float:
    """How high the content of a laid-out page is, in CSS pixels (the body's box on that page)."""
    body = page._page_box.children[0].children[0]
    return float(body.margin_height())
