"""The eco-map of one household as a self-contained HTML page (pyvis / vis-network, fully offline).

The layout is computed here, deterministically, from the household's *whole history*
(:func:`queries.analytics.household.household_graph` with ``as_of=None``): the household in the centre,
members on the first ring, the wider client system and informal supporters on the second, professionals on
the third grouped by organisation, organisations on the outer ring. Physics is off and every node is pinned,
so moving the date only shows and hides nodes; nothing jumps between reruns. :mod:`app.brief` draws the same
positions as a static SVG.

The HTML inlines vis-network (pyvis ``cdn_resources="in_line"``) and any remaining external ``<link>`` or
``<script src>`` of pyvis' template (bootstrap from a CDN) is stripped, so it works on a closed network.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from typing import Any

import networkx as nx

from graph.model import LIFE_DOMAINS, MEMBER_ROLES

__all__ = ["DOMAIN_COLOURS", "KIND_STYLE", "ecomap_html", "layout", "strip_external"]

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
KIND_LABELS: dict[str, str] = {
    "household": "Household", "member": "Member of the household", "client_system": "Wider client system",
    "informal": "Informal supporter", "professional": "Professional (colour: life domain)",
    "organisation": "Organisation",
}
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
    lines = [str(data.get("label", node)), KIND_LABELS.get(data["kind"], data["kind"])]
    if data.get("role"):
        lines.append(f"Role: {data['role']}")
    if data.get("function"):
        lines.append(f"Function: {data['function']}")
    if data.get("lead"):
        lines.append("Lead professional (regie)")
    for other in sorted(g.neighbors(node)):
        for text in g.edges[node, other].get("labels") or []:
            lines.append(f"→ {g.nodes[other].get('label', other)}: {text}")
    return "\n".join(lines)


def _legend() -> str:
    kinds = "".join(
        f'<span class="lg"><span class="sw" style="background:{KIND_STYLE[k].get("color", "#333")};'
        f'border-radius:{"50%" if KIND_STYLE[k]["shape"] == "dot" else "2px"}"></span>{html.escape(v)}</span>'
        for k, v in KIND_LABELS.items() if k != "professional")
    domains = "".join(
        f'<span class="lg"><span class="sw" style="background:{c};border-radius:50%"></span>'
        f'{html.escape(d.replace("_", " ").lower())}</span>' for d, c in DOMAIN_COLOURS.items())
    return (f'<div id="legend"><div><b>Nodes</b> {kinds}<span class="lg">★ lead professional</span></div>'
            f'<div><b>Life domain</b> {domains}</div></div>')


_EXTRA = """
<style>
 body { margin: 0; font-family: sans-serif; font-size: 12px; }
 #mynetwork { float: none !important; border: 1px solid #ddd !important; }
 #legend { padding: 4px 6px; line-height: 1.8; }
 #legend .lg { margin-right: 10px; white-space: nowrap; }
 #legend .sw { display: inline-block; width: 11px; height: 11px; margin-right: 3px; vertical-align: middle; }
 #details { white-space: pre-line; padding: 4px 6px; min-height: 2.5em; background: #f7f7f7; }
</style>
"""

_CLICK = """
<script>
(function () {
  var box = document.getElementById("details");
  network.on("click", function (params) {
    if (params.nodes.length) {
      var n = nodes.get(params.nodes[0]);
      box.textContent = n.detail || n.label;
    } else {
      box.textContent = "Click a person, professional or organisation for details.";
    }
  });
})();
</script>
"""


def ecomap_html(g: nx.Graph, positions: dict[str, tuple[float, float]], *, height: int = 560,
                title: str = "") -> str:
    """A self-contained HTML page drawing ``g`` at ``positions`` with a legend and a node-details panel.

    ``positions`` comes from :func:`layout` of the whole-history graph, so it covers every node of ``g``.
    """
    from pyvis.network import Network

    net = Network(height=f"{height}px", width="100%", directed=False, cdn_resources="in_line", bgcolor="#ffffff")
    net.toggle_physics(False)
    for node, data in sorted(g.nodes(data=True)):
        x, y = positions.get(node, (0.0, 0.0))
        style = {k: v for k, v in KIND_STYLE[data["kind"]].items() if k != "color"}
        label = str(data.get("label", node))
        if data.get("lead"):
            label = "★ " + label
            style = {**style, "borderWidth": 4, "size": 22}
        colour = node_colour(data)
        net.add_node(node, label=label, x=x, y=y, physics=False, fixed=True, color=colour,
                     title=_detail(node, data, g).split("\n", 2)[-1] if data["kind"] != "household" else label,
                     detail=_detail(node, data, g), kind=data["kind"], **style)
    for a, b, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1])):
        domains = data.get("life_domains") or []
        colour = DOMAIN_COLOURS.get(domains[0], NO_DOMAIN) if domains else "#b0b0b0"
        labels = data.get("labels") or []
        net.add_edge(a, b, title="\n".join(labels), label=labels[0] if len(labels) == 1 else
                     (f"{len(labels)} involvements" if labels else ""), color=colour,
                     dashes=data.get("kind") in ("works_for", "client_system"),
                     width=2 if data.get("kind") in ("involvement", "coach") else 1,
                     font={"size": 9, "align": "middle", "color": "#555555"})
    net.set_options(json.dumps({
        "physics": {"enabled": False},
        "interaction": {"hover": True, "dragNodes": False, "zoomView": True, "navigationButtons": False},
        "layout": {"randomSeed": 0, "improvedLayout": False},
        "edges": {"smooth": False},
    }))
    page = strip_external(net.generate_html())
    head = f"<title>{html.escape(title or 'Eco-map')}</title>{_EXTRA}"
    page = page.replace("</head>", head + "</head>", 1)
    meta = (f'<div id="ecomap-meta" data-nodes="{g.number_of_nodes()}" data-edges="{g.number_of_edges()}"'
            ' hidden></div>')
    body_end = (f'{_legend()}<div id="details">Click a person, professional or organisation for details.</div>'
                f"{meta}{_CLICK}")
    idx = page.rfind("</body>")
    return page[:idx] + body_end + page[idx:]
