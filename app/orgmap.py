"""The project lead's organisation maps (partner collaboration, handover clusters) as a tool, not a blob.

The organisations stand on one ellipse, grouped by their colour category (covenant group or handover
cluster), spaced by the room their labels need (:func:`app.ecomap.layout`'s method), with full names wrapped
onto lines, never cut. A tie's width grows with its count; a slider hides ties below a threshold; clicking an
organisation fades everything it has no tie with and lists its ties, largest first. The page is vis-network,
inlined, in the same sandboxed frame as the eco-map (:mod:`app.sandboxed`): nothing is loaded from anywhere.

Only what the caller passes is drawn: ties below k are left out before (disclosure control), so the page
holds nothing the table beside it does not.
"""

from __future__ import annotations

import functools
import html
import json
import math
from collections.abc import Mapping, Sequence

import pandas as pd

from app.ecomap import ASPECT, LABEL_W, _on_ellipse, _script_safe, _spread, _vis_network, bounds, wrap_label
from app.i18n import t

__all__ = ["PALETTE", "category_colours", "name_lines", "orgmap_frame_height", "orgmap_html", "orgmap_layout",
           "orgmap_shape"]

_MARGIN = 90.0  # canvas units around the ellipse for the labels (bounds())
#: ties shown when the map opens (the strongest; the slider shows the rest)
MAX_TIES = 60
#: What the map's frame holds beside the map (px): the threshold slider above it, the legend below.
_CHROME = 140


#: Category colours, in order (Tableau 10, as the charts use).
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac")


def category_colours(categories: list[str]) -> dict[str, str]:
    """One colour per category, in the order given (so a legend and a table that list them alike agree).

    >>> category_colours(["cluster 1", "cluster 2"])
    {'cluster 1': '#4e79a7', 'cluster 2': '#f28e2b'}
    """
    return {c: PALETTE[k % len(PALETTE)] for k, c in enumerate(dict.fromkeys(categories))}


#: The width the map is laid out for (px: the main column at 1440 px), its least height, and the least scale at
#: which the labels' room (below, made for fonts of about 20 units) holds a 12 px font.
MAP_WIDTH, MIN_HEIGHT, MIN_SCALE = 1000, 620, 0.62
#: The shapes tried, widest first: an ellipse this many times as wide as high. A narrower one holds more labels
#: in the same width (labels stacked on its sides need less room than side by side on its top and bottom).
_ASPECTS = (ASPECT, 1.0, 0.7, 0.5, 0.35, 0.25, 0.18)
#: The room an organisation needs along the ellipse (canvas units, at a font of about 20 units): as wide as a
#: wrapped name; as high as its dot (up to 44 units) and its lines of name below it (about 21 units each).
_DOT, _LINE = 44.0, 21.0
#: The width of a character of a name (canvas units, arial at 12 px drawn at :data:`MIN_SCALE`; about half its height)
_CHAR = 0.55 * 12 / MIN_SCALE


def name_lines(names: Sequence[str]) -> int:
    """The most lines a name is wrapped onto (:func:`app.ecomap.wrap_label`), at least one."""
    return max([wrap_label(str(n)).count("\n") + 1 for n in names] + [1])


def name_width(names: Sequence[str]) -> int:
    """The characters of the longest line of the wrapped names (:func:`app.ecomap.wrap_label`), at least one."""
    return max([len(line) for n in names for line in wrap_label(str(n)).split("\n")] + [1])


def _label_width(chars: int) -> float:
    """The room (canvas units) a name whose longest line has ``chars`` characters needs side by side with
    another: at least the eco-map's :data:`LABEL_W`, more for a name of long words (a map of 16 organisations
    whose names all ran to "Arrondissementsparket" drew them over each other)."""
    return max(LABEL_W, _CHAR * chars + 10)


@functools.lru_cache(maxsize=64)
def _ellipse(n: int, aspect: float, lines: int, chars: int = 0) -> tuple[tuple[float, ...], float]:
    """Angles and vertical radius of the smallest ellipse of ``aspect`` that gives ``n`` labels of ``lines`` lines
    of up to ``chars`` characters their room (kept: a page run asks for the same map's shape, frame and layout)."""
    label = (_label_width(chars), _DOT + _LINE * lines)
    ry = 300.0
    angles, holds = _spread(n, ry, aspect=aspect, label=label)
    while holds < n and ry < 8000:  # a larger ellipse until every label has its room
        ry *= 1.1
        angles, holds = _spread(n, ry, aspect=aspect, label=label)
    return tuple(angles), ry


@functools.lru_cache(maxsize=64)
def orgmap_shape(n: int, lines: int = 3, chars: int = 0) -> tuple[float, int]:
    """The ellipse's aspect and the map's height (px) for ``n`` organisations whose names take up to ``lines``
    lines: the widest shape whose labels keep their room at :data:`MAP_WIDTH` (a 12 px font at a scale of at
    least :data:`MIN_SCALE`) and a map as tall as it needs. With many organisations the map grows taller instead
    of drawing names over each other (two bands of alternating names were tried: neighbours on the other band
    overlapped where the ellipse turns)."""
    for aspect in _ASPECTS:
        _, ry = _ellipse(max(n, 1), aspect, lines, chars)
        if MAP_WIDTH / (2 * aspect * ry + 4 * _MARGIN) >= MIN_SCALE or aspect == _ASPECTS[-1]:
            return aspect, max(MIN_HEIGHT, math.ceil(MIN_SCALE * (2 * ry + 2 * _MARGIN)))
    raise AssertionError("unreachable")  # pragma: no cover


def orgmap_frame_height(names: Sequence[str]) -> int:
    """The height (px) of the frame that shows the map of the organisations ``names`` whole, with its slider and
    legend."""
    return orgmap_shape(len(names), name_lines(names), name_width(names))[1] + _CHROME


def orgmap_layout(nodes: pd.DataFrame, color: str) -> dict[str, tuple[float, float]]:
    """Fixed positions on one ellipse (:func:`orgmap_shape`), organisations grouped by ``color`` then by name;
    same input, same map."""
    order = sorted(nodes.index, key=lambda i: (str(nodes.loc[i, color]), str(nodes.loc[i, "name"]), str(i)))
    n = len(order)
    if n == 0:
        return {}
    lines, chars = name_lines(list(nodes["name"])), name_width(list(nodes["name"]))
    aspect, _ = orgmap_shape(n, lines, chars)
    angles, ry = _ellipse(n, aspect, lines, chars)
    return {str(node): _on_ellipse(angles[k], ry, aspect) for k, node in enumerate(order)}


_CSS = """
<style>
 body { margin: 0; font-family: sans-serif; font-size: 13px; }
 #tools { display: flex; gap: 10px; align-items: center; padding: 4px 0 6px; flex-wrap: wrap; }
 #tools input[type=range] { width: 220px; }
 #wrap { position: relative; }
 #map { width: 100%; border: 1px solid #ddd; box-sizing: border-box; }
 #ties { position: absolute; top: 8px; right: 8px; max-width: 340px; max-height: 80%; overflow: auto;
         background: rgba(255,255,255,0.96); border: 1px solid #bbb; border-radius: 4px; padding: 6px 10px; }
 #ties[hidden] { display: none; }
 #ties h3 { margin: 0 0 4px; font-size: 14px; }
 #ties ol { margin: 0; padding-left: 18px; }
 #legend { padding: 4px 0; line-height: 1.8; }
 #legend span { margin-right: 12px; white-space: nowrap; }
 #legend i { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 4px;
             vertical-align: middle; }
</style>
"""

_SCRIPT = """
<script>
(function () {
  var B = __BOUNDS__.slice(), DIRECTED = __DIRECTED__, el = document.getElementById("map");
  var nodes = new vis.DataSet(__NODES__), edges = new vis.DataSet(__EDGES__);
  var network = new vis.Network(el, {nodes: nodes, edges: edges}, {
    physics: {enabled: false}, edges: {smooth: {enabled: true, type: "curvedCW", roundness: 0.12},
      arrows: {to: {enabled: DIRECTED, scaleFactor: 0.6}}},
    interaction: {hover: true, dragNodes: false, keyboard: {enabled: false}},
    nodes: {shape: "dot", scaling: {label: {drawThreshold: 3}}}});
  var base = 1;
  var slider = document.getElementById("threshold"), out = document.getElementById("threshold-value");
  var panel = document.getElementById("ties"), meta = document.getElementById("orgmap-meta");
  var chosen = null;
  function apply() {
    var t = slider ? Number(slider.value) : 0, near = {};
    if (out) { out.textContent = String(t); }
    var shown = 0;
    edges.update(edges.get().map(function (e) {
      var on = e.n >= t, mine = chosen && (e.from === chosen || e.to === chosen);
      if (on) { shown += 1; }
      if (on && mine) { near[e.from] = true; near[e.to] = true; }
      return {id: e.id, hidden: !on, color: {color: mine ? "#c0392b" : "#5a6e82",
              opacity: chosen && !mine ? 0.08 : 0.55}};
    }));
    nodes.update(nodes.get().map(function (n) {
      var faded = chosen && !near[n.id] && n.id !== chosen;
      return {id: n.id, opacity: faded ? 0.2 : 1, font: {size: nodes.get(n.id).font.size,
              color: faded ? "rgba(40,40,40,0.25)" : "#222222"}};
    }));
    meta.dataset.shownEdges = String(shown);
    meta.dataset.chosen = chosen || "";
    if (chosen) { list(t); } else { panel.hidden = true; }
  }
  function list(t) {
    var mine = edges.get({filter: function (e) { return e.n >= t && (e.from === chosen || e.to === chosen); }});
    mine.sort(function (a, b) { return b.n - a.n; });
    var h = document.createElement("h3"); h.textContent = nodes.get(chosen).name;
    var ol = document.createElement("ol");
    mine.forEach(function (e) {
      var li = document.createElement("li"), other = e.from === chosen ? e.to : e.from;
      li.textContent = (DIRECTED ? (e.from === chosen ? "→ " : "← ") : "") + nodes.get(other).name + ": " + e.n;
      ol.appendChild(li);
    });
    var p = document.createElement("p");
    p.textContent = mine.length ? "" : __NO_TIES__;
    panel.replaceChildren(h, ol, p);
    panel.hidden = false;
  }
  if (slider) { slider.addEventListener("input", apply); }
  network.on("click", function (params) { chosen = params.nodes.length ? params.nodes[0] : null; apply(); });
  network.on("afterDrawing", function () {
    if (!meta.dataset.drawn) { meta.dataset.drawn = "1"; }
  });
  // The scale comes from the frame's size, which is 0 until the frame is laid out: wait for it (a scale of 0
  // made the fonts infinite and stopped the script).
  function start() {
    if (!el.clientWidth || !el.clientHeight) { setTimeout(start, 50); return; }
    // The names are drawn 12 px high whatever the scale, so in the map's own units they grow as the scale
    // falls: widen the box until every name (below its dot, as many lines as it has) lies inside it, then fit
    // the box (a name on four lines at the ellipse's foot ran past a fixed margin, its last line cut off).
    var ctx = document.createElement("canvas").getContext("2d"), size = 12;
    for (var round = 0; round < 6; round += 1) {
      base = Math.min(el.clientWidth / (B[2] - B[0]), el.clientHeight / (B[3] - B[1]));
      size = Math.ceil(12 / Math.min(base, 1));
      ctx.font = size + "px arial";
      var box = B.slice();
      nodes.get().forEach(function (n) {
        var lines = String(n.label).split("\\n"), r = n.size || 12;
        var half = Math.max.apply(null, lines.map(function (l) { return ctx.measureText(l).width; })) / 2 + 4;
        box = [Math.min(box[0], n.x - half, n.x - r - 4), Math.min(box[1], n.y - r - 4),
               Math.max(box[2], n.x + half, n.x + r + 4), Math.max(box[3], n.y + r + 6 + lines.length * size * 1.2)];
      });
      if (box[0] >= B[0] && box[1] >= B[1] && box[2] <= B[2] && box[3] <= B[3]) { break; }
      B = box;
    }
    nodes.update(nodes.get().map(function (n) {
      return {id: n.id, font: {size: size, color: "#222222"}};
    }));
    network.moveTo({position: {x: (B[0] + B[2]) / 2, y: (B[1] + B[3]) / 2}, scale: base, animation: false});
    apply();
    window.orgmap = {network: network, nodes: nodes, edges: edges, apply: apply,
                     choose: function (id) { chosen = id; apply(); }};
  }
  start();
})();
</script>
"""


def orgmap_html(nodes: pd.DataFrame, edges: pd.DataFrame, *, color: str, colours: Mapping[str, str],
                size: str | None = None, directed: bool = False, height: int | None = None, title: str = "",
                k: int | None = None) -> str:
    """A self-contained page: ``nodes`` (index id; ``name``, ``color`` and optionally ``size``) on their fixed
    ellipse, ``edges`` (``source``, ``target``, ``n``; rows without a count are not drawn) as ties whose width
    grows with ``n``, a threshold slider, a legend of ``colours`` and the ties of a clicked organisation.

    When no tie can be drawn the slider is left out (it read "vanaf 1 (grootste band: 1)" over a map of dots) and
    one sentence says why: every tie is below ``k`` (hidden), or there is none."""
    pos = orgmap_layout(nodes, color)
    height = height or orgmap_shape(len(nodes), name_lines(list(nodes["name"])), name_width(list(nodes["name"])))[1]
    drawn = edges.dropna(subset=["n"])
    drawn = drawn[drawn["source"].astype(str).isin(pos) & drawn["target"].astype(str).isin(pos)]
    top = float(drawn["n"].max()) if len(drawn) else 1.0
    sizes = nodes[size].astype("Float64").fillna(0) if size else None
    big = float(sizes.max()) if sizes is not None and len(sizes) and sizes.max() > 0 else 1.0
    vis_nodes = []
    for node in nodes.index:
        x, y = pos[str(node)]
        name = str(nodes.loc[node, "name"])
        r = 8 + 14 * math.sqrt(float(sizes.loc[node]) / big) if sizes is not None else 12
        vis_nodes.append({"id": str(node), "label": wrap_label(name), "name": name, "x": x, "y": y, "fixed": True,
                          "size": round(r, 1), "color": colours.get(str(nodes.loc[node, color]), "#8c8c8c"),
                          "title": f"{name} · {nodes.loc[node, color]}"})
    vis_edges = [{"id": f"{s}>{t}", "from": str(s), "to": str(t), "n": int(n),
                  "width": round(1 + 9 * float(n) / top, 2),
                  "title": f"{names(nodes, s)} {'→' if directed else '–'} {names(nodes, t)}: {int(n)}"}
                 for s, t, n in drawn[["source", "target", "n"]].itertuples(index=False)]
    counts = sorted((int(e["n"]) for e in vis_edges), reverse=True)
    most, least = (counts[0], counts[-1]) if counts else (1, 1)
    # the slider starts where the strongest MAX_TIES ties show (all of them when there are no more): every tie of
    # 37 organisations at once is a tangle nobody reads; the slider goes down to the smallest tie drawn
    start = counts[MAX_TIES - 1] if len(counts) > MAX_TIES else least
    legend = "".join(f'<span><i style="background:{c}"></i>{html.escape(k)}</span>' for k, c in colours.items())

    def w(key: str, **fmt: object) -> str:
        return html.escape(t(key, **fmt), quote=True)

    hint = w("orgmap.hint", most=most) if start == least else \
        w("orgmap.hint_strongest", most=most, shown=sum(1 for n in counts if n >= start))
    tools = (f'<label for="threshold">{w("orgmap.from")}</label>'
             f'<input id="threshold" type="range" min="{least}" max="{most}" value="{start}" step="1" '
             f'aria-label="{w("orgmap.threshold")}">'
             f'<b id="threshold-value">{start}</b><span>{hint}</span>') if vis_edges else \
        f'<p id="no-ties-drawn">{w("orgmap.none_reach_k", k=k) if len(edges) and k else w("orgmap.none_at_all")}</p>'
    script, css = _vis_network()

    body = (_SCRIPT.replace("__BOUNDS__", json.dumps(list(bounds(pos, _MARGIN))))
            .replace("__DIRECTED__", json.dumps(directed))
            .replace("__NODES__", _script_safe(json.dumps(vis_nodes, sort_keys=True)))
            .replace("__EDGES__", _script_safe(json.dumps(vis_edges, sort_keys=True)))
            .replace("__NO_TIES__", _script_safe(json.dumps(t("orgmap.no_ties")))))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<script>{script}</script><style>{css}</style>{_CSS}</head><body>"
            f'<div id="tools">{tools}</div>'
            f'<div id="wrap"><div id="map" style="height:{int(height)}px"></div>'
            f'<div id="ties" role="region" aria-label="{w("orgmap.ties")}" hidden></div></div>'
            f'<div id="legend">{legend}<span>{w("orgmap.width")}</span></div>'
            f'<div id="orgmap-meta" data-nodes="{len(vis_nodes)}" data-edges="{len(vis_edges)}" hidden></div>'
            f"{body}</body></html>")


def names(nodes: pd.DataFrame, node: object) -> str:
    return str(nodes.loc[node, "name"]) if node in nodes.index else str(node)
