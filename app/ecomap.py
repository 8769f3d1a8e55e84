"""The eco-map of one household as a self-contained HTML page (vis-network, fully offline).

The layout is computed here, deterministically, from the household's *whole history*
(:func:`queries.analytics.household.household_graph` with ``as_of=None``): the household in the centre,
members on the first ring, the wider client system and informal supporters on the second, professionals on
the third grouped by organisation, organisations on the outer ring. Physics is off and every node is pinned,
so moving the date only shows and hides nodes; nothing jumps between reruns. :mod:`app.brief` draws the same
positions as a static SVG.

The HTML inlines vis-network (the copy shipped with pyvis) and has no ``src`` or ``href`` at all; as a safety
net :func:`strip_external` removes any ``<link>`` or ``<script src>`` to another host, so it works on a closed
network.

Interaction happens inside the page, without a round trip to the server: clicking a node opens a details
panel over the map (role, organisation, life domains, involvements and their periods); a professional's panel
offers to show that professional's *other* involvements with this household (those not active on the chosen
date; double-clicking the professional does the same). They are computed here by :func:`other_involvements`
from the household view the page already holds, so the page never carries anything about another household.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from app.i18n import code_label, readable, t
from graph.model import LIFE_DOMAINS, MEMBER_ROLES
from queries.analytics.household import CoachAssignment, Involvement, PersonTie, is_active, period_label

__all__ = ["DOMAIN_COLOURS", "KIND_STYLE", "OtherInvolvement", "ecomap_html", "layout", "other_involvements",
           "other_positions", "strip_external"]

#: One colour per life domain (colour-blind-safe-ish, from the Tableau 10 palette).
DOMAIN_COLOURS: dict[str, str] = dict(zip(LIFE_DOMAINS, (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f"), strict=True))
NO_DOMAIN = "#8c8c8c"

#: vis-network shape and colour per node kind (professionals take the colour of their first life domain).
KIND_STYLE: dict[str, dict[str, Any]] = {
    "household": {"shape": "box", "color": "#222222", "font": {"color": "#ffffff", "size": 16}},
    "member": {"shape": "dot", "color": "#3d5a80", "size": 18},
    "client_system": {"shape": "dot", "color": "#98c1d9", "size": 14},
    "informal": {"shape": "diamond", "color": "#90be6d", "size": 14},
    "professional": {"shape": "dot", "size": 14},
    "organisation": {"shape": "box", "color": "#e0e0e0", "font": {"color": "#222222", "size": 12}},
}
#: The node kinds in the legend's order; what they are called is ``kind.<kind>`` in the catalogue.
KIND_LABELS: tuple[str, ...] = ("household", "member", "client_system", "informal", "professional", "organisation")
RINGS: dict[str, float] = {"member": 170.0, "client_system": 310.0, "informal": 310.0, "professional": 470.0,
                           "organisation": 640.0}

_ROLE_ORDER = {r: i for i, r in enumerate(MEMBER_ROLES)}


def _ring(nodes: list[str], radius: float, start: float = -math.pi / 2) -> dict[str, tuple[float, float]]:
    n = len(nodes)
    return {node: (round(radius * math.cos(start + 2 * math.pi * k / n), 1),
                   round(radius * math.sin(start + 2 * math.pi * k / n), 1)) for k, node in enumerate(nodes)}


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Fixed positions for every node of ``g`` (the whole-history graph); same graph → same positions.

    Professionals of one organisation sit next to each other on their ring, in the angular sector of that
    organisation, which sits on the outer ring at the sector's centre.
    """
    kinds: dict[str, list[str]] = defaultdict(list)
    for node, data in sorted(g.nodes(data=True)):
        kinds[data["kind"]].append(node)
    pos: dict[str, tuple[float, float]] = {}
    for node in kinds["household"]:
        pos[node] = (0.0, 0.0)
    members = sorted(kinds["member"], key=lambda n: (_ROLE_ORDER.get(g.nodes[n].get("role", ""), 99), n))
    pos.update(_ring(members, RINGS["member"]))
    others = sorted(kinds["client_system"] + kinds["informal"])
    pos.update(_ring(others, RINGS["client_system"], -math.pi / 2 + math.pi / max(len(others), 1)))
    # Professionals grouped by organisation; organisations ordered by name so the order is stable.
    by_org: dict[str, list[str]] = defaultdict(list)
    for prof in kinds["professional"]:
        by_org[f"O:{g.nodes[prof].get('organisation', '')}"].append(prof)
    orgs = sorted(by_org, key=lambda o: (str(g.nodes[o]["label"]) if o in g else "~", o))
    total = sum(len(v) for v in by_org.values())
    k = 0
    for org in orgs:
        profs = sorted(by_org[org])
        first = k
        for prof in profs:
            angle = -math.pi / 2 + 2 * math.pi * (k + 0.5) / max(total, 1)
            pos[prof] = (round(RINGS["professional"] * math.cos(angle), 1),
                         round(RINGS["professional"] * math.sin(angle), 1))
            k += 1
        if org in g:
            mid = -math.pi / 2 + 2 * math.pi * ((first + k) / 2) / max(total, 1)
            pos[org] = (round(RINGS["organisation"] * math.cos(mid), 1),
                        round(RINGS["organisation"] * math.sin(mid), 1))
    for org in kinds["organisation"]:  # an organisation without professionals (should not happen)
        pos.setdefault(org, (0.0, RINGS["organisation"] + 80))
    return pos


@dataclass(frozen=True)
class OtherInvolvement:
    """One involvement (or coach assignment) of a professional on the map that is not drawn on the chosen date.

    ``node`` is the id of the extra node the map adds when the professional is expanded, ``professional`` the
    professional's node, ``targets`` the nodes of the map it connects to (the people it is for, or the
    household), ``subjects`` their names (also of people who are no longer on the map on this date).
    """

    node: str
    professional: str
    text: str
    life_domain: str
    organisation: str
    role: str
    since: date | None
    until: date | None
    targets: tuple[str, ...]
    subjects: tuple[str, ...]
    state: str  # "ended" or "later": before or after the chosen date


def other_involvements(g: nx.Graph, involvements: Sequence[Involvement], coaches: Sequence[CoachAssignment],
                       people: Sequence[PersonTie], as_of: date) -> dict[str, list[OtherInvolvement]]:
    """Per professional node of ``g`` (the map as of ``as_of``), their involvements with *this* household that
    are not active on ``as_of``, oldest first.

    The arguments are one household's view, so nothing here can name another household; professionals that
    are not on the map get no entry (they cannot be clicked).

    >>> from queries.analytics.household import household_graph
    >>> invs = [Involvement("i1", "p1", "o1", "WONEN", date(2006, 1, 1), date(2006, 12, 31), person_ids=("a",)),
    ...         Involvement("i2", "p1", "o1", "WONEN", date(2008, 1, 1), person_ids=("a",))]
    >>> people = [PersonTie("a", "member", "moeder", date(2000, 1, 1), name="Ans")]
    >>> g = household_graph("h", people, invs, as_of=date(2009, 1, 1))
    >>> [(o.node, o.targets, o.state) for o in other_involvements(g, invs, [], people, date(2009, 1, 1))["PR:p1"]]
    [('HI:i1', ('P:a',), 'ended')]
    """
    names = {p.id: p.name or p.id for p in people}
    household = next((n for n, d in g.nodes(data=True) if d["kind"] == "household"), None)
    out: dict[str, list[OtherInvolvement]] = defaultdict(list)
    for inv in involvements:
        prof = f"PR:{inv.professional_id}"
        if prof not in g or is_active(inv.since, inv.until, as_of):
            continue
        on_map = tuple(f"P:{pid}" for pid in inv.person_ids if f"P:{pid}" in g)
        hh = (household,) if household and (inv.household_level or len(on_map) < len(inv.person_ids)
                                             or not inv.person_ids) else ()
        subjects = tuple(names.get(pid, pid) for pid in inv.person_ids) + (
            ("whole household",) if inv.household_level or not inv.person_ids else ())
        out[prof].append(OtherInvolvement(
            f"HI:{inv.id}", prof, f"{inv.function or inv.role} · {inv.life_domain}", inv.life_domain,
            inv.organisation_name or inv.organisation_id, inv.role, inv.since, inv.until, on_map + hh, subjects,
            "later" if inv.since and inv.since > as_of else "ended"))
    for c in coaches:
        prof = f"PR:{c.professional_id}"
        if prof not in g or is_active(c.since, c.until, as_of):
            continue
        out[prof].append(OtherInvolvement(
            f"HC:{c.professional_id}:{c.since.isoformat()}", prof, "wijkcoach · caseload", "", "", "wijkcoach",
            c.since, c.until, (household,) if household else (), ("whole household",),
            "later" if c.since > as_of else "ended"))
    return {k: sorted(v, key=lambda o: (o.since or date.min, o.node)) for k, v in sorted(out.items())}


def other_positions(positions: Mapping[str, tuple[float, float]],
                    others: Mapping[str, Sequence[str]]) -> dict[str, tuple[float, float]]:
    """Fixed positions of the extra nodes: a column just inside their professional, towards the household.

    Inside rather than outside, so they neither cover the organisations on the outer ring nor fall outside
    the view the map was fitted to; a column (not a radial line) so their box labels do not overlap.

    >>> other_positions({"PR:p": (0.0, 470.0)}, {"PR:p": ["HI:a", "HI:b"]})
    {'HI:a': (0.0, 353.0), 'HI:b': (0.0, 387.0)}
    """
    pos: dict[str, tuple[float, float]] = {}
    for prof, items in others.items():
        x, y = positions.get(prof, (0.0, 0.0))
        r = math.hypot(x, y)
        ux, uy = (x / r, y / r) if r else (0.0, 1.0)
        bx, by = x - 100 * ux, y - 100 * uy
        for k, node in enumerate(items):
            pos[node] = (round(bx, 1), round(by + 34 * (k - (len(items) - 1) / 2), 1))
    return pos


_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I)
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I | re.S)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.I)


def strip_external(page: str) -> str:
    """Remove every ``<link href>`` and ``<script src>`` that points at another host, and pyvis' empty headings."""
    page = _EXTERNAL_LINK.sub("", page)
    page = _EXTERNAL_SCRIPT.sub("", page)
    return _EMPTY_HEADING.sub("", page)


def node_colour(data: dict[str, Any]) -> str:
    if data["kind"] == "professional":
        domains = data.get("life_domains") or []
        return DOMAIN_COLOURS.get(domains[0], NO_DOMAIN) if domains else "#333333"
    return str(KIND_STYLE[data["kind"]].get("color", NO_DOMAIN))


def _detail(node: str, data: dict[str, Any], g: nx.Graph) -> str:
    """The text of a node's details panel: what it is, then one line per tie drawn on the map."""
    lines = [str(data.get("label", node)), t(f"kind.{data['kind']}").split(" (")[0]]
    if data.get("role"):
        role_list = "member_role" if data["kind"] in ("member", "client_system") else ""
        lines.append(t("ecomap.role", role=code_label(role_list, data["role"]) if role_list else data["role"]))
    if data.get("birth_year"):
        lines.append(t("ecomap.born", year=data["birth_year"]))
    if data.get("function"):
        lines.append(t("ecomap.function", function=data["function"]))
    org = f"O:{data['organisation']}" if data.get("organisation") else None
    if org and org in g:
        lines.append(t("ecomap.organisation", name=g.nodes[org].get("label", "")))
    if data.get("life_domains"):
        lines.append(t("ecomap.life_domain", domains=", ".join(code_label("life_domain", d) for d in data["life_domains"])))
    if data.get("lead"):
        lines.append(t("ecomap.lead"))
    for other in sorted(g.neighbors(node)):
        for text in g.edges[node, other].get("labels") or []:
            lines.append(f"→ {g.nodes[other].get('label', '')}: {readable(text)}")
    if data["kind"] == "organisation":
        lines.append(t("ecomap.on_map", n=sum(1 for n in g.neighbors(node) if g.nodes[n]['kind'] == 'professional')))
    return "\n".join(lines)


def _other_detail(o: OtherInvolvement, as_of: date) -> str:
    when = t("ecomap.ended_before" if o.state == "ended" else "ecomap.starts_after", date=f"{as_of:%d-%m-%Y}")
    lines = [readable(o.text), t("ecomap.other_of")]
    lines.append(t("ecomap.period", period=readable(period_label(o.since, o.until)), when=when))
    if o.organisation:
        lines.append(t("ecomap.organisation", name=o.organisation))
    lines.append(t("ecomap.role", role=code_label("involvement_role", o.role) if o.role != "wijkcoach" else t("term.coach")))
    if o.life_domain:
        lines.append(t("ecomap.life_domain", domains=code_label("life_domain", o.life_domain)))
    lines.append(t("ecomap.for", who=", ".join(o.subjects)))
    return "\n".join(lines)


def _others_payload(g: nx.Graph, others: Mapping[str, Sequence[OtherInvolvement]],
                    positions: Mapping[str, tuple[float, float]], as_of: date | None) -> dict[str, Any]:
    """Per professional node: the vis-network nodes and edges to add when it is expanded."""
    pos = other_positions(positions, {k: [o.node for o in v] for k, v in others.items()})
    out: dict[str, Any] = {}
    for prof, items in others.items():
        nodes, edges = [], []
        for o in items:
            colour = DOMAIN_COLOURS.get(o.life_domain, NO_DOMAIN)
            x, y = pos[o.node]
            label = f"{readable(o.text)}\n{readable(period_label(o.since, o.until))}"
            nodes.append({"id": o.node, "label": label, "x": x, "y": y, "fixed": True, "physics": False,
                          "shape": "box", "kind": "other", "professional": prof,
                          "detail": _other_detail(o, as_of) if as_of else readable(o.text),
                          "color": {"background": "#ffffff", "border": colour}, "borderWidth": 2,
                          "shapeProperties": {"borderDashes": [4, 3]}, "font": {"size": 10, "color": "#333333"}})
            edges.append({"id": f"{o.node}>{prof}", "from": prof, "to": o.node, "dashes": True,
                          "color": colour, "width": 2})
            edges.extend({"id": f"{o.node}>{t}", "from": o.node, "to": t, "dashes": [2, 4], "color": "#999999",
                          "width": 1} for t in o.targets)
        out[prof] = {"nodes": nodes, "edges": edges}
    return out


def _legend() -> str:
    kinds = "".join(
        f'<span class="lg"><span class="sw" style="background:{KIND_STYLE[k].get("color", "#333")};'
        f'border-radius:{"50%" if KIND_STYLE[k]["shape"] == "dot" else "2px"}"></span>{html.escape(t(f"kind.{k}"))}</span>'
        for k in KIND_LABELS if k != "professional")
    domains = "".join(
        f'<span class="lg"><span class="sw" style="background:{c};border-radius:50%"></span>'
        f'{html.escape(code_label("life_domain", d))}</span>' for d, c in DOMAIN_COLOURS.items())
    return (f'<div id="legend"><div><b>{html.escape(t("ecomap.nodes"))}</b> {kinds}<span class="lg">★ '
            f'{html.escape(t("ecomap.lead_short"))}</span>'
            '<span class="lg"><span class="sw" style="border:2px dashed #888"></span>'
            f'{html.escape(t("ecomap.other_legend"))}</span></div>'
            f'<div><b>{html.escape(t("common.life_domain"))}</b> {domains}</div>'
            f'<div class="hint">{html.escape(t("ecomap.hint"))}</div></div>')


_EXTRA = """
<style>
 body { margin: 0; font-family: sans-serif; font-size: 12px; }
 .card { position: relative; }
 #mynetwork { width: 100%; border: 1px solid #ddd; box-sizing: border-box; }
 #legend { padding: 4px 6px; line-height: 1.8; }
 #legend .lg { margin-right: 10px; white-space: nowrap; }
 #legend .sw { display: inline-block; width: 11px; height: 11px; margin-right: 3px; vertical-align: middle;
               box-sizing: border-box; }
 #legend .hint { color: #555; }
 #details { position: absolute; top: 8px; left: 8px; z-index: 5; max-width: 360px; max-height: 520px;
            overflow: auto; padding: 8px 10px; background: rgba(255, 255, 255, 0.96); border: 1px solid #bbb;
            border-radius: 4px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.15); }
 #details[hidden] { display: none; }
 #details-text { white-space: pre-line; }
 #details-text::first-line { font-weight: bold; }
 #details button { margin-top: 6px; font-size: 12px; cursor: pointer; }
 #details-close { position: absolute; top: 2px; right: 4px; margin: 0 !important; border: none;
                  background: none; font-size: 16px !important; }
</style>
"""

def _panel() -> str:
    return (f'<div id="details" role="dialog" aria-label="{html.escape(t("ecomap.details"))}" hidden>'
            f'<button id="details-close" type="button" aria-label="{html.escape(t("ecomap.close"))}">×</button>'
            '<div id="details-text"></div>'
            '<button id="details-expand" type="button" hidden></button></div>')

# Everything the map needs to expand a professional is in OTHERS (this household's view only). The data go in
# as JSON with "<" escaped, so no name in the data can end the script element.
_CLICK = """
<script>
(function () {
  var OTHERS = __OTHERS__;
  var WORDS = __WORDS__;
  var box = document.getElementById("details"), text = document.getElementById("details-text");
  var expand = document.getElementById("details-expand"), meta = document.getElementById("ecomap-meta");
  var shown = {}, current = null;
  document.querySelector(".card").appendChild(box);
  function count(id) { return OTHERS[id] ? OTHERS[id].nodes.length : 0; }
  function refresh() {
    meta.dataset.shownNodes = String(nodes.length);
    meta.dataset.expanded = Object.keys(shown).sort().join(" ");
  }
  function hide() { box.hidden = true; current = null; }
  function show(id) {
    var n = nodes.get(id);
    if (!n) { hide(); return; }
    current = id;
    var k = count(id);
    text.textContent = (n.detail || n.label) +
      (n.kind === "professional" && !k ? "\\n" + WORDS.none : "");
    expand.hidden = !k;
    expand.textContent = (shown[id] ? WORDS.hide : WORDS.show).replace("{n}", k) +
      (k === 1 ? WORDS.one : WORDS.many);
    // the panel goes in the corner away from the node, so it never covers what was clicked
    var at = network.canvasToDOM(network.getPositions([id])[id]);
    var left = at.x > document.getElementById("mynetwork").clientWidth / 2;
    box.style.left = left ? "8px" : "auto";
    box.style.right = left ? "auto" : "8px";
    box.hidden = false;
  }
  function toggle(id) {
    var add = OTHERS[id];
    if (!add) { return false; }
    if (shown[id]) {
      edges.remove(add.edges.map(function (e) { return e.id; }));
      nodes.remove(add.nodes.map(function (n) { return n.id; }));
      delete shown[id];
    } else {
      nodes.add(add.nodes);
      edges.add(add.edges);
      shown[id] = true;
    }
    refresh();
    if (current === id) { show(id); }
    return true;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { show(params.nodes[0]); } else { hide(); }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length && toggle(params.nodes[0])) { show(params.nodes[0]); }
  });
  expand.addEventListener("click", function () { if (current) { toggle(current); } });
  document.getElementById("details-close").addEventListener("click", hide);
  network.on("afterDrawing", function () {
    if (!meta.dataset.drawn) { meta.dataset.drawn = String(Math.round(performance.now())); }
  });
  window.ecomap = {toggle: toggle, show: show, expanded: shown, others: OTHERS};
  refresh();
  network.redraw();
})();
</script>
"""

def _script_safe(data: str) -> str:
    """JSON placed inside ``<script>``: escape ``<`` (``\\u003c``) so no value can close the element."""
    return data.replace("<", "\\u003c")


@functools.cache
def _vis_network() -> tuple[str, str]:
    """vis-network's script and the tooltip part of its stylesheet, read once per process.

    The copy shipped with pyvis, inlined in every page. pyvis' own page generator is not used: it compiles
    its Jinja templates, the 470 KB script included, on every call (≈ 0.3 s per rerun) and adds a 220 KB
    stylesheet (mostly images for buttons this map does not show) and a select widget it does not need.
    """
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    script = re.sub(r"//# sourceMappingURL=\S*\s*$", "", script)  # DevTools would fetch the map
    css = " ".join(re.findall(r"div\.vis-tooltip\{[^}]*\}", (lib / "vis-network.css").read_text(encoding="utf-8")))
    return script, css


def _vis_node(node: str, data: dict[str, Any], g: nx.Graph, positions: Mapping[str, tuple[float, float]]
              ) -> dict[str, Any]:
    x, y = positions.get(node, (0.0, 0.0))
    style = {k: v for k, v in KIND_STYLE[data["kind"]].items() if k != "color"}
    label = str(data.get("label", node))
    if data.get("lead"):
        label = "★ " + label
        style = {**style, "borderWidth": 4, "size": 22}
    detail = _detail(node, data, g)
    return {"id": node, "label": label, "x": x, "y": y, "physics": False, "fixed": True, "color": node_colour(data),
            "title": detail.split("\n", 2)[-1] if data["kind"] != "household" else label, "detail": detail,
            "kind": data["kind"], **style}


def _vis_edge(a: str, b: str, data: dict[str, Any]) -> dict[str, Any]:
    domains = data.get("life_domains") or []
    labels = data.get("labels") or []
    return {"from": a, "to": b, "title": "\n".join(readable(x) for x in labels),
            "label": readable(labels[0]) if len(labels) == 1 else (t("ecomap.n_involvements", n=len(labels)) if labels else ""),
            "color": DOMAIN_COLOURS.get(domains[0], NO_DOMAIN) if domains else "#b0b0b0",
            "dashes": data.get("kind") in ("works_for", "client_system"),
            "width": 2 if data.get("kind") in ("involvement", "coach") else 1,
            "font": {"size": 9, "align": "middle", "color": "#555555"}}


_OPTIONS = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "dragNodes": False, "zoomView": True, "navigationButtons": False},
    "layout": {"randomSeed": 0, "improvedLayout": False},
    "edges": {"smooth": False},
}


def ecomap_html(g: nx.Graph, positions: dict[str, tuple[float, float]], *, height: int = 560,
                title: str = "", others: Mapping[str, Sequence[OtherInvolvement]] | None = None,
                as_of: date | None = None) -> str:
    """A self-contained HTML page drawing ``g`` at ``positions`` with a legend and a node-details panel.

    ``positions`` comes from :func:`layout` of the whole-history graph, so it covers every node of ``g``.
    ``others`` (from :func:`other_involvements`, for the same ``as_of``) are the extra nodes a professional
    can be expanded with; without them the details panel still works and nothing expands. The page has no
    ``src`` or ``href`` at all: vis-network is inlined.
    """
    script, tooltip_css = _vis_network()
    nodes = [_vis_node(n, d, g, positions) for n, d in sorted(g.nodes(data=True))]
    edges = [_vis_edge(a, b, d) for a, b, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1]))]
    payload = _others_payload(g, others or {}, positions, as_of)
    extra = sum(len(v["nodes"]) for v in payload.values())
    meta = (f'<div id="ecomap-meta" data-nodes="{g.number_of_nodes()}" data-edges="{g.number_of_edges()}"'
            f' data-other-nodes="{extra}" hidden></div>')
    draw = (
        "<script>\n"
        f"var nodes = new vis.DataSet({_script_safe(json.dumps(nodes, sort_keys=True))});\n"
        f"var edges = new vis.DataSet({_script_safe(json.dumps(edges, sort_keys=True))});\n"
        f"var options = {json.dumps(_OPTIONS)};\n"
        "var network = new vis.Network(document.getElementById('mynetwork'), {nodes: nodes, edges: edges}, "
        "options);\n</script>")
    words = {"none": t("ecomap.no_others"), "show": t("ecomap.show", n="{n}"), "hide": t("ecomap.hide", n="{n}"),
             "one": t("ecomap.one_other"), "many": t("ecomap.many_others")}
    click = _CLICK.replace("__OTHERS__", _script_safe(json.dumps(payload, sort_keys=True))).replace(
        "__WORDS__", _script_safe(json.dumps(words, sort_keys=True)))
    head = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title or "Eco-map")}</title>'
            f"<style>{tooltip_css}</style>{_EXTRA}</head><body>"
            f'<div class="card"><div id="mynetwork" style="height:{int(height)}px"></div></div>{draw}'
            f"{_legend()}{_panel()}{meta}{click}</body></html>")
    # vis-network goes in after the check: it is a fixed, known file, and scanning its 470 KB every rerun
    # would cost more than the rest of the page.
    return strip_external(head).replace("<style>", f"<script>{script}</script><style>", 1)
