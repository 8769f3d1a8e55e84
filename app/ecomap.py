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
import itertools
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
from queries.analytics.household import (
    CoachAssignment,
    Involvement,
    PersonTie,
    is_active,
    period_label,
    person_labels,
)

__all__ = ["DOMAIN_COLOURS", "KIND_STYLE", "MAP_HEIGHT_PX", "ROLE_ORDER", "OtherInvolvement", "bounds", "ecomap_html", "label_box",
           "layout", "other_involvements", "other_positions", "strip_external", "ties", "wrap_label"]

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
#: Vertical radii of the rings (members; wider client system and informal supporters), in canvas units; every
#: ring is an ellipse ASPECT times as wide as high, like the map's canvas.
RINGS: dict[str, float] = {"member": 130.0, "client_system": 245.0, "informal": 245.0}
#: The professionals sit on an ellipse of vertical radius PRO_RY, in up to three bands BAND apart when there
#: are many; the organisations on an ellipse ORG_GAP outside the outer band.
PRO_RY, BAND, ORG_GAP, ASPECT = 330.0, 110.0, 105.0, 1.45
#: ... or, for a map that would be wider than the column of a 1440-pixel window, rounder ones, up to a little
#: higher than wide (:func:`layout`): the canvas grows to a map's height, not to its width.
ASPECTS = (ASPECT, 1.3, 1.15, 1.0, 0.9, 0.8)
#: A label longer than this wraps onto a second line (and a third), so neighbours on a ring do not overlap.
WRAP = 18
#: ... and at most this many lines (the longest partner's name takes four).
MAX_LINES = 5
_WHOLE = "whole household"  # an involvement's subject when it is the household itself (said in words when shown)
#: The room a professional's label needs along its ring, in canvas units (drawn at about 20 units a line):
#: wide where the ring runs sideways, low where it runs up or down. The map of a household estimates it from its
#: own labels (:func:`label_box`); these are for :mod:`app.orgmap`.
LABEL_W, LABEL_H = 150.0, 62.0
#: Label size per node kind as drawn on screen, in px; the page scales the font so it never draws smaller.
FONT_PX: dict[str, int] = {"household": 15, "member": 13, "client_system": 12, "informal": 12, "professional": 12,
                           "organisation": 11, "other": 11}
#: The smallest scale the map is drawn at, in screen px per canvas unit: the page makes the canvas as large as the
#: map at this scale (scrolling sideways in a narrow column), so a label of FONT_PX px is never more than
#: FONT_PX / UNIT_PX units high — the size :func:`layout` leaves room for. The layout and the view agree on it;
#: before, the layout assumed labels of about 20 units a line and the view drew them at 23 to 29, and at every
#: width long names ran into each other on a large household.
UNIT_PX = 0.5
#: A label's width per character and height per line, in font sizes: vis-network's sans-serif measured 0.41 to
#: 0.59 of the font size per character (capitals and wide letters at the top) and one font size per line.
CHAR_W, LINE_H = 0.6, 1.0
#: The room kept between two labels, in canvas units.
LABEL_GAP = 8.0
#: A node whose label would touch another's moves out along its ray in steps of SETTLE units, at most SETTLE_MAX.
SETTLE, SETTLE_MAX = 10.0, 200
#: ... after trying, at each step, these small turns along the ellipse (in radians; the sectors keep their order).
NUDGES = (0.0, 0.02, -0.02, 0.04, -0.04, 0.06, -0.06)

#: a member role's place in the order members are named and drawn (parents first); other roles after them
ROLE_ORDER = {r: i for i, r in enumerate(MEMBER_ROLES)}


def wrap_label(text: str, width: int = WRAP) -> str:
    r"""Break ``text`` at spaces into lines of at most ``width`` characters; a word longer than a line breaks after
    its hyphens (a double surname, a compound name); a word without them stays whole up to two lines' length and
    breaks every ``width`` characters beyond that; beyond
    :data:`MAX_LINES` lines the label ends in "…" (the details panel has it whole). A name of 175 letters without
    a space was one line across the map, over the labels beside it (an outside test).

    >>> wrap_label("Annemarie van der Hesselink")
    'Annemarie van der\nHesselink'
    >>> wrap_label("Bureau Jeugdzorg Overijssel, locatie Enschede-Zuid")
    'Bureau Jeugdzorg\nOverijssel,\nlocatie\nEnschede-Zuid'
    >>> wrap_label("Annemarie van den Heuvel-Oosterhuis-Jong")
    'Annemarie van den\nHeuvel-Oosterhuis-\nJong'
    >>> wrap_label("Pietje" * 20)
    'PietjePietjePietje\nPietjePietjePietje\nPietjePietjePietje\nPietjePietjePietje\nPietjePietjePietj…'
    """
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for word in part.split(" "):
            pieces = re.findall(r"[^-]+-*|-+", word) if len(word) > width and "-" in word.strip("-") else [word]
            if len(word) > 2 * width:  # a word of two lines or less stays whole ("Arrondissementsparketten")
                pieces = [p[i:i + width] for p in pieces for i in range(0, max(len(p), 1), width)]
            for k, piece in enumerate(pieces):
                glue = " " if k == 0 else ""  # a word's pieces join without a space
                if line and len(line) + len(glue) + len(piece) > width:
                    lines.append(line)
                    line = piece
                else:
                    line = f"{line}{glue}{piece}" if line else piece
        lines.append(line)
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][:width - 1] + "…"
    return "\n".join(lines)


def _ring(nodes: list[str], radius: float, start: float = -math.pi / 2,
          aspect: float = ASPECT) -> list[tuple[str, float, float]]:
    """Each node's angle on a ring of vertical radius ``radius``, evenly spaced from ``start``, and the radius."""
    n = len(nodes)
    # a crowded inner ring grows so that its labels keep about 110 units between them
    radius = max(radius, 110 * n / (2 * math.pi * (1 + aspect) / 2))
    return [(node, start + 2 * math.pi * k / n, radius) for k, node in enumerate(nodes)]


def _on_ellipse(angle: float, ry: float, aspect: float = ASPECT) -> tuple[float, float]:
    return round(aspect * ry * math.cos(angle), 1), round(ry * math.sin(angle), 1)


def _spread(n: int, ry: float, start: float = -math.pi / 2, steps: int = 720, aspect: float = ASPECT,
            label: tuple[float, float] = (LABEL_W, LABEL_H)) -> tuple[list[float], float]:
    """Angles for ``n`` labelled nodes on the ellipse of vertical radius ``ry``, spaced by the room their labels
    need (more where the ellipse runs sideways and labels stand side by side, less where it runs up or down
    and they stack), and how many such labels the ellipse holds without overlap."""
    room = []
    for k in range(steps):
        t = start + 2 * math.pi * (k + 0.5) / steps
        dx, dy = -aspect * ry * math.sin(t), ry * math.cos(t)  # the tangent, scaled by dt
        ds = math.hypot(dx, dy) * 2 * math.pi / steps
        room.append(ds / (abs(dx) / math.hypot(dx, dy) * label[0] + abs(dy) / math.hypot(dx, dy) * label[1]))
    total = sum(room)
    angles, acc, k = [], 0.0, 0
    for i in range(n):
        goal = (i + 0.5) / n * total
        while k < steps - 1 and acc + room[k] < goal:
            acc += room[k]
            k += 1
        angles.append(start + 2 * math.pi * (k + (goal - acc) / room[k]) / steps)
    return angles, total


def _facing(g: nx.Graph, members: list[str], toward: Mapping[str, float], start: float) -> list[str]:
    """``members`` (in the role order) in the order of their ring's places from ``start``, each as near as the
    ring allows to the side of the map where its professionals are (``toward``: a professional's angle): a line
    from a professional to a member on the far side crossed the household and the members between them (an
    outside review). A member's side is the mean direction of its professionals; members without one keep the
    role order in the places left. The places nearest to all their sides together are taken: of every way of
    placing them for a household's few, of the rotations of their order around the ring for more. The second ring
    the same way: an informal supporter toward the members it supports (``toward``: their angles)."""
    n = len(members)
    side: dict[str, float] = {}
    for m in members:
        angles = [toward[p] for p in g.neighbors(m) if p in toward]
        if angles:
            side[m] = math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles)))
    if not side or n < 2:
        return members

    sided = [m for m in members if m in side]
    # how far each place of the ring is from the side of each member, worked out once
    off = {(k, m): round(abs(math.remainder(start + 2 * math.pi * k / n - side[m], 2 * math.pi)), 9)
           for k in range(n) for m in sided}
    if math.perm(n, len(sided)) <= _PLACINGS:  # a household's few: the best places of all
        chosen = min(itertools.permutations(range(n), len(sided)),
                     key=lambda places: sum(off[k, m] for k, m in zip(places, sided, strict=True)))
    else:  # many: around the ring in the order of their sides, the best rotation of that order
        order = sorted(sided, key=lambda m: ((side[m] - start) % (2 * math.pi), members.index(m)))
        r = min(range(n), key=lambda r: (sum(off[(k + r) % n, m] for k, m in enumerate(order)), r))
        chosen = tuple((order.index(m) + r) % n for m in sided)
    placed: list[str | None] = [None] * n
    for k, m in zip(chosen, sided, strict=True):
        placed[k] = m
    rest = iter(m for m in members if m not in side)  # the role order in the places left
    return [m if m is not None else next(rest) for m in placed]


#: the most ways of placing a ring's members that :func:`_facing` tries one by one (6 members: 720); the layout
#: tries them for every shape of ellipse it tries (up to six), on every run of the coach's page
_PLACINGS = 720


def _main_domain(g: nx.Graph, nodes: list[str]) -> int:
    """The sector order of an organisation: the first life domain its professionals work in."""
    domains = [d for n in nodes for d in (g.nodes[n].get("life_domains") or [])]
    return min((LIFE_DOMAINS.index(d) for d in domains if d in LIFE_DOMAINS), default=len(LIFE_DOMAINS))


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Fixed positions for every node of ``g`` (the whole-history graph); same graph → same positions.

    The eco-map's sectors: the household in the centre, members on the first ring, the wider client system
    and informal supporters on the second; the professionals on an ellipse around them, each organisation in
    a sector of its own (its professionals side by side, the organisation just outside them), the sectors
    ordered by life domain, so one domain's organisations are neighbours. Professionals are spaced by the room
    their labels need; when the ellipse cannot hold them all, neighbours alternate between two or three bands.

    No two labels overlap: every label's box is estimated from its text as the page draws it (:func:`label_box`,
    at the map's smallest scale :data:`UNIT_PX`), and each node, from the centre outwards, moves out along its
    ray, in steps of SETTLE (turning a little along its ellipse first, NUDGES), until its label and its dot clear
    the labels and dots placed before it. A household of long names gets a larger map; a small one keeps its rings. Where the map
    would not fit MAP_MIN_PX × MAP_HEIGHT_PX at UNIT_PX, its ellipses are made rounder, up to a little higher than
    wide (ASPECTS), which costs little height: labels are wider than high, so the sides of a ring, where they
    stack, have room to spare. When none fits both ways, the width wins: the canvas grows to the map's height.
    """
    tried = []
    for aspect in ASPECTS:
        pos = _layout(g, aspect)
        x0, y0, x1, y1 = bounds(pos)
        wide, high = (x1 - x0) * UNIT_PX / MAP_MIN_PX, (y1 - y0) * UNIT_PX / MAP_HEIGHT_PX
        if wide <= 1 and high <= 1:
            return pos
        # the canvas grows to a map's height (canvas_height), not to its width: a map wider than MAP_MIN_PX was cut
        # off at both sides in a 1440-pixel window (the 60-node household's outermost organisations). So the one
        # that fits the width and overflows the height least; when none fits the width, the least too wide.
        tried.append((wide > 1, wide if wide > 1 else high, -aspect, pos))
    return min(tried, key=lambda t: t[:3])[3]


def _layout(g: nx.Graph, aspect: float) -> dict[str, tuple[float, float]]:
    """:func:`layout` on ellipses ``aspect`` times as wide as high."""
    kinds: dict[str, list[str]] = defaultdict(list)
    for node, data in sorted(g.nodes(data=True)):
        kinds[data["kind"]].append(node)
    placed: list[tuple[float, float, float, float]] = []
    pos: dict[str, tuple[float, float]] = {}

    def drawn(node: str, x: float, y: float) -> list[tuple[float, float, float, float]]:
        """What ``node`` at (x, y) covers: its label, and its dot (no label drawn on another node's dot)."""
        data, label = g.nodes[node], label_box(node, g.nodes[node], x, y)
        if KIND_STYLE[data["kind"]].get("shape") == "box":
            return [(label[0] - 5, label[1] - 5, label[2] + 5, label[3] + 5)]  # the box's margin around its label
        r = _dot_size(data) - LABEL_GAP  # the dot may touch
        return [label, (x - r, y - r, x + r, y + r)]

    def settle(node: str, angle: float, ry: float) -> float:
        """Place ``node`` at ``angle`` on the first ellipse from ``ry`` outwards where its label and dot are clear
        of the labels and dots placed before; its vertical radius."""
        for _ in range(SETTLE_MAX):
            for turn in NUDGES:  # a little along the ellipse first, where that clears it
                x, y = _on_ellipse(angle + turn, ry, aspect)
                boxes = drawn(node, x, y)
                if not any(_touching(box, other) for box in boxes for other in placed):
                    break
            else:
                ry += SETTLE
                continue
            break
        placed.extend(boxes)
        pos[node] = (x, y)
        return ry

    for node in kinds["household"]:
        pos[node] = (0.0, 0.0)
        placed.extend(drawn(node, 0.0, 0.0))
    # Professionals grouped by organisation; sectors by life domain, then organisation name: stable.
    by_org: dict[str, list[str]] = defaultdict(list)
    for prof in kinds["professional"]:
        by_org[f"O:{g.nodes[prof].get('organisation', '')}"].append(prof)
    orgs = sorted(by_org, key=lambda o: (_main_domain(g, by_org[o]),
                                         str(g.nodes[o]["label"]) if o in g else "~", o))
    total = sum(len(v) for v in by_org.values())
    # spaced by the room the professionals' labels need on average; outside the inner rings as far as usual
    sizes = [label_box(p, g.nodes[p], 0.0, 0.0) for p in kinds["professional"]]
    room = ((sum(b[2] - b[0] for b in sizes) / len(sizes) + LABEL_GAP,
             sum(b[3] - b[1] for b in sizes) / len(sizes) + LABEL_GAP) if sizes else (LABEL_W, LABEL_H))
    toward = dict(zip([p for o in orgs for p in sorted(by_org[o])],
                      _spread(total, PRO_RY, aspect=aspect, label=room)[0], strict=True))
    first_member = -math.pi / 2 + math.pi / max(len(kinds["member"]), 1)
    members = _facing(g, sorted(kinds["member"], key=lambda n: (ROLE_ORDER.get(g.nodes[n].get("role", ""), len(ROLE_ORDER)), n)),
                      toward, first_member)
    # an informal supporter beside the members it supports, as a member beside its professionals
    first_other = -math.pi / 2 + math.pi / 2 / max(len(kinds["client_system"]) + len(kinds["informal"]), 1)
    others = _facing(g, sorted(kinds["client_system"] + kinds["informal"]),
                     {m: first_member + 2 * math.pi * k / len(members) for k, m in enumerate(members)}, first_other)
    reach = max([settle(node, angle, ry) for nodes, ry, start in (
        (members, RINGS["member"], first_member), (others, RINGS["client_system"], first_other))
        for node, angle, ry in _ring(nodes, ry, start, aspect)], default=0.0)
    pro_ry = max(PRO_RY, reach + PRO_RY - RINGS["client_system"])
    angles, holds = _spread(total, pro_ry, aspect=aspect, label=room)
    bands = 1 if total <= holds else 2 if total <= 2.3 * holds else 3
    if bands > 1:  # the outer bands are longer: spread over the middle one
        angles, _ = _spread(total, pro_ry + BAND * (bands - 1) / 2, aspect=aspect, label=room)
    org_ry = pro_ry + BAND * (bands - 1) + ORG_GAP
    k, sectors = 0, []
    for org in orgs:
        first, out = k, 0.0
        for prof in sorted(by_org[org]):
            out = max(out, settle(prof, angles[k], pro_ry + BAND * (k % bands)))
            k += 1
        sectors.append((org, (angles[first] + angles[k - 1]) / 2, max(org_ry, out + ORG_GAP)))
    for org, angle, ry in sectors:  # outside their professionals, and every professional's label
        if org in g:
            settle(org, angle, ry)
    for org in kinds["organisation"]:  # an organisation without professionals (should not happen)
        pos.setdefault(org, (0.0, org_ry + 80))
    return pos


def _label(node: str, data: Mapping[str, Any]) -> str:
    """A node's label as drawn: its name (★ before the lead professional's), wrapped."""
    label = str(data.get("label", node))
    return wrap_label("★ " + label if data.get("lead") else label)


def label_box(node: str, data: Mapping[str, Any], x: float, y: float,
              unit_px: float = UNIT_PX) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1), in canvas units, that the label of ``node`` at (x, y) takes when the map is drawn
    at ``unit_px`` screen px per unit: its font as the page sets it (FONT_PX / ``unit_px``, rounded up), CHAR_W
    of it per character of the longest line, LINE_H per line; inside a box-shaped node, below any other.

    >>> [round(v, 1) for v in label_box("PR:p", {"kind": "professional", "label": "Piet"}, 0.0, 0.0)]
    [-28.8, 30.0, 28.8, 54.0]
    """
    kind = str(data["kind"])
    lines = _label(node, data).split("\n")
    font = math.ceil(FONT_PX.get(kind, FONT_PX["other"]) / unit_px)
    w, h = max(len(line) for line in lines) * font * CHAR_W, len(lines) * font * LINE_H
    style = KIND_STYLE.get(kind, {})
    if style.get("shape") == "box":
        return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    top = y + _dot_size(data) + font / 2 + 4  # as vis-network places it
    return (x - w / 2, top, x + w / 2, top + h)


def _dot_size(data: Mapping[str, Any]) -> int:
    """The radius a node's dot is drawn with: larger for the lead professional (:func:`_vis_node`)."""
    return 22 if data.get("lead") else int(KIND_STYLE.get(str(data["kind"]), {}).get("size", 14))


def _touching(a: tuple[float, float, float, float], b: tuple[float, float, float, float],
              gap: float = LABEL_GAP) -> bool:
    """Whether boxes ``a`` and ``b`` come closer than ``gap`` both sideways and up or down."""
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def bounds(positions: Mapping[str, tuple[float, float]], margin: float = 70.0) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) the map is fitted to: every node of the whole history, plus room for labels.

    The view is set from this box, not from the nodes shown on a date, so the scale does not change with
    the date.
    """
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    return (min(xs) - 2 * margin, min(ys) - margin, max(xs) + 2 * margin, max(ys) + margin)


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
    names = person_labels(people)  # the one label of a person, as on the map's own nodes
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
            (_WHOLE,) if inv.household_level or not inv.person_ids else ())
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
            c.since, c.until, (household,) if household else (), (_WHOLE,),
            "later" if c.since > as_of else "ended"))
    return {k: sorted(v, key=lambda o: (o.since or date.min, o.node)) for k, v in sorted(out.items())}


def other_positions(positions: Mapping[str, tuple[float, float]],
                    others: Mapping[str, Sequence[str]]) -> dict[str, tuple[float, float]]:
    """Fixed positions of the extra nodes: a column just inside their professional, towards the household.

    Inside rather than outside, so they neither cover the organisations on the outer ring nor fall outside
    the view the map was fitted to; a column (not a radial line) so their box labels do not overlap.

    >>> other_positions({"PR:p": (0.0, 470.0)}, {"PR:p": ["HI:a", "HI:b"]})
    {'HI:a': (0.0, 334.0), 'HI:b': (0.0, 386.0)}
    """
    pos: dict[str, tuple[float, float]] = {}
    for prof, items in others.items():
        x, y = positions.get(prof, (0.0, 0.0))
        r = math.hypot(x, y)
        ux, uy = (x / r, y / r) if r else (0.0, 1.0)
        bx, by = x - 110 * ux, y - 110 * uy
        for k, node in enumerate(items):  # two-line labels, about 20 units a line once scaled: 52 apart
            pos[node] = (round(bx, 1), round(by + 52 * (k - (len(items) - 1) / 2), 1))
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
        # a professional without a life domain on the map (a coach without an involvement of their own): the grey
        # the legend gives "no life domain", not a near-black beside the household's box
        return DOMAIN_COLOURS.get(domains[0], NO_DOMAIN) if domains else NO_DOMAIN
    return str(KIND_STYLE[data["kind"]].get("color", NO_DOMAIN))


def ties(g: nx.Graph, node: str) -> list[tuple[str, str]]:
    """The ties of ``node`` drawn on the map as a person reads them: (the other end's label, the tie's label made
    readable), for the map's details panel and the page's "Details van" below it alike."""
    return [(str(g.nodes[other].get("label", other)), readable(text))
            for other in sorted(g.neighbors(node)) for text in g.edges[node, other].get("labels") or []]


def _detail(node: str, data: dict[str, Any], g: nx.Graph) -> str:
    """The text of a node's details panel: what it is, then one line per tie drawn on the map."""
    lines = [str(data.get("label", node)), t(f"kind.{data['kind']}").split(" (")[0]]
    if data.get("role"):
        role_list = "member_role" if data["kind"] == "member" else ""  # a tie outside: as typed
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
    lines += [f"→ {other}: {tie}" for other, tie in ties(g, node)]
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
    lines.append(t("ecomap.for", who=", ".join(t("common.whole_household") if s == _WHOLE else s for s in o.subjects)))
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
                          "shapeProperties": {"borderDashes": [4, 3]}, "font": {"size": FONT_PX["other"], "color": "#333333"},
                          "px": FONT_PX["other"], "find": label.lower(), "domains": [o.life_domain]})
            edges.append({"id": f"{o.node}>{prof}", "from": prof, "to": o.node, "dashes": True,
                          "color": colour, "width": 2})
            edges.extend({"id": f"{o.node}>{t}", "from": o.node, "to": t, "dashes": [2, 4], "color": "#999999",
                          "width": 1} for t in o.targets)
        out[prof] = {"nodes": nodes, "edges": edges}
    return out


def _legend(editable: bool = False) -> str:
    kinds = "".join(
        f'<span class="lg"><span class="sw" style="background:{KIND_STYLE[k].get("color", "#333")};'
        f'border-radius:{"50%" if KIND_STYLE[k]["shape"] == "dot" else "2px"}"></span>{html.escape(t(f"kind.{k}"))}</span>'
        for k in KIND_LABELS if k != "professional")
    swatches = [*((c, code_label("life_domain", d)) for d, c in DOMAIN_COLOURS.items()), (NO_DOMAIN, t("ecomap.no_domain"))]
    domains = "".join(f'<span class="lg"><span class="sw" style="background:{c};border-radius:50%"></span>'
                      f'{html.escape(label)}</span>' for c, label in swatches)
    return (f'<div id="legend"><div><b>{html.escape(t("ecomap.nodes"))}</b> {kinds}<span class="lg">★ '
            f'{html.escape(t("ecomap.lead_short"))}</span>'
            '<span class="lg"><span class="sw" style="border:2px dashed #888"></span>'
            f'{html.escape(t("ecomap.other_legend"))}</span></div>'
            f'<div><b>{html.escape(t("common.life_domain"))}</b> {domains}</div>'
            f'<div class="hint">{html.escape(t("ecomap.hint"))}'
            f'{" " + html.escape(t("ecomap.hint_edit")) if editable else ""}</div></div>')


#: The narrowest canvas, in px, the map's view is fitted to (the column of a 1440-pixel window), and the widest a
#: map is laid out for at UNIT_PX (:func:`layout` makes a wider one rounder). Fitted to a narrower column the view
#: shrank while the labels kept their size, and they ran into each other (at 1024 pixels); there the view keeps
#: this scale around the household in the centre, and the rest is a drag or a zoom away.
MAP_MIN_PX = 960
#: The height, in px, of the canvas the coach's page gives the map (:mod:`app.views.coach`); a map higher than this at
#: UNIT_PX gets a higher canvas.
MAP_HEIGHT_PX = 640
#: The room, in px, the map's page needs beside its canvas: the toolbar, the card's border, and the legend with
#: its hint as they wrap in the narrowest column the coach page gives the map (a 1024-pixel window: a 564 px
#: column, 262 px beside a 640 px canvas), and some to spare. The frame starts this tall (:func:`frame_height`)
#: and takes the page's own height once the page tells it.
FRAME_ROOM_PX = 300


def canvas_height(positions: Mapping[str, tuple[float, float]], height: int = MAP_HEIGHT_PX) -> int:
    """The map's canvas height in px: ``height``, or higher where the map at :data:`UNIT_PX` is (and its border)."""
    box = bounds(positions)
    return max(height, math.ceil((box[3] - box[1]) * UNIT_PX) + 2)


def frame_height(positions: Mapping[str, tuple[float, float]], height: int = MAP_HEIGHT_PX) -> int:
    """The first height of the map's frame on the coach page: tall enough for the whole page in a 1024-pixel window
    before the page tells its own height. A sandboxed frame is a renderer of its own, and on a busy machine its new
    size reached it only after more than thirty seconds (CI, a 60-node map in a frame of a fixed 830 pixels: the
    legend's last lines cut off all that time). A frame too tall for a while shows some white under the legend."""
    return canvas_height(positions, height) + FRAME_ROOM_PX

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
  var EDITABLE = __EDITABLE__;
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
      nodes.add(add.nodes.map(window.ecomapTools.sized));
      edges.add(add.edges);
      shown[id] = true;
    }
    refresh();
    window.ecomapTools.apply();
    if (current === id) { show(id); }
    return true;
  }
  // On the household page of a coach (app/ecomap_frame.py) a person of the client system opens their change
  // form in the workspace, and "add to the map" its add form: the node's id goes to the parent, nothing else.
  function pick(message) {
    message.wijknet = "ecomap";
    window.parent.postMessage(message, "*");
    meta.dataset.picked = message.action + (message.node ? " " + message.node : "");
  }
  network.on("click", function (params) {
    if (params.nodes.length) { show(params.nodes[0]); } else { hide(); }
    var n = params.nodes.length ? nodes.get(params.nodes[0]) : null;
    if (EDITABLE && n && (n.kind === "client_system" || n.kind === "informal")) {
      pick({action: "change", node: n.id});
    }
  });
  var add = document.getElementById("map-add");
  if (add) { add.addEventListener("click", function () { pick({action: "add"}); }); }
  network.on("doubleClick", function (params) {
    if (params.nodes.length && toggle(params.nodes[0])) { show(params.nodes[0]); }
  });
  expand.addEventListener("click", function () { if (current) { toggle(current); } });
  document.getElementById("details-close").addEventListener("click", hide);
  // The page hosting the sandboxed frame cannot read its document: it hears "loaded" and "drawn" (with the
  // document's title and node count, nothing of the household) — bench/bench_browser.py times the map by them.
  function tell(action) {
    window.parent.postMessage({wijknet: "ecomap", action: action, doc: document.title, nodes: meta.dataset.nodes}, "*");
  }
  tell("loaded");
  // ... and "height": how tall the page is (map, legend, hint), whenever that changes — in a narrow window the
  // legend wraps onto more lines, and a frame of a fixed height cut its last lines off.
  // A ResizeObserver alone was not enough: in CI the page once told 0 (laid out before its frame was) and never
  // again, its frame kept 830 pixels and the legend's last lines were cut off. So the height is also looked at
  // on a resize and every half second (a cheap look; a timer still runs where Chromium skips drawing a frame
  // outside the window), and told whenever it differs from what was told last.
  var told = -1;
  function tellHeight() {
    var h = Math.ceil(document.body.getBoundingClientRect().height);
    if (h === told) { return; }
    told = h;
    window.parent.postMessage({wijknet: "ecomap", action: "height", height: h}, "*");
  }
  if (window.ResizeObserver) { new ResizeObserver(tellHeight).observe(document.body); }
  window.addEventListener("resize", tellHeight);
  setInterval(tellHeight, 500);
  tellHeight();
  network.on("afterDrawing", function () {
    if (!meta.dataset.drawn) { meta.dataset.drawn = String(Math.round(performance.now())); tell("drawn"); }
  });
  window.ecomap = {toggle: toggle, show: show, expanded: shown, others: OTHERS};
  refresh();
  network.redraw();
})();
</script>
"""


_TOOLS_CSS = """
<style>
 #tools { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 4px 0 6px; }
 #tools button, #tools select, #tools input { font-size: 13px; height: 28px; box-sizing: border-box; }
 #tools button { min-width: 32px; cursor: pointer; }
 #tools input { width: 230px; padding: 0 6px; }
 #search-count { color: #555; min-width: 90px; }
 #map-wider { margin: 0 0 6px; font-size: 13px; color: #444; }
</style>
"""


def _toolbar(editable: bool = False) -> str:
    domains = "".join(f'<option value="{d}">{html.escape(code_label("life_domain", d))}</option>'
                      for d in DOMAIN_COLOURS)
    def w(key: str) -> str:
        return html.escape(t(key), quote=True)

    return (f'<div id="tools" role="toolbar" aria-label="{w("ecomap.tools")}">'
            f'<button id="zoom-in" type="button" title="{w("ecomap.zoom_in")}" aria-label="{w("ecomap.zoom_in")}">+'
            '</button>'
            f'<button id="zoom-out" type="button" title="{w("ecomap.zoom_out")}" aria-label="{w("ecomap.zoom_out")}">'
            '−</button>'
            f'<button id="zoom-fit" type="button" title="{w("ecomap.fit_help")}">{w("ecomap.fit")}</button>'
            f'<input id="search" type="search" placeholder="{w("ecomap.search")}" '
            f'aria-label="{w("ecomap.search_label")}"><span id="search-count" aria-live="polite"></span>'
            f'<select id="domain" aria-label="{w("ecomap.domain_filter")}">'
            f'<option value="">{w("ecomap.all_domains")}</option>{domains}</select>'
            f'<button id="focus-clear" type="button" hidden>{w("ecomap.focus_clear")}</button>'
            + (f'<button id="map-add" type="button" title="{html.escape(t("ecomap.add_help"), quote=True)}">'
               f'{html.escape(t("ecomap.add_to_map"))}</button>' if editable else "") + '</div>'
            f'<p id="map-wider" hidden>{w("ecomap.wider")}</p>')


# Zoom, search, life-domain filter and focus, all inside the page. The view is set from BOUNDS (every node of
# the household's whole history), never fitted to the nodes of one date, so the scale stays put as the date
# moves; label fonts are set from that scale so no label is drawn smaller than its FONT_PX on screen.
_TOOLS = """
<script>
(function () {
  var B = __BOUNDS__, el = document.getElementById("mynetwork"), meta = document.getElementById("ecomap-meta");
  var wider = document.getElementById("map-wider");
  var base = 1, state = {q: "", domain: "", focus: null};
  var search = document.getElementById("search"), count = document.getElementById("search-count");
  var domain = document.getElementById("domain"), clear = document.getElementById("focus-clear");
  function fit() {  // never narrower than the canvas the layout was made for (MAP_MIN_PX)
    return Math.min(Math.max(el.clientWidth, __MAP_MIN_PX__) / (B[2] - B[0]), el.clientHeight / (B[3] - B[1]));
  }
  function sized(n) {
    var f = Object.assign({}, n.font || {});
    f.size = Math.ceil((n.px || 12) / Math.min(base, 1));
    if (n.fontColor === undefined) { n.fontColor = f.color || "#343434"; }
    return Object.assign(n, {font: f});
  }
  function cutOff() {  // a node of this date, its dot or its name, lies beyond a side of the canvas
    var w = el.clientWidth, at = network.getPositions();
    return nodes.get().some(function (n) {
      if (n.hidden || !at[n.id]) { return false; }
      var x = network.canvasToDOM(at[n.id]).x, b = network.getBoundingBox(n.id);  // a box once it was drawn
      var l = b ? network.canvasToDOM({x: b.left, y: b.top}).x : x, r = b ? network.canvasToDOM({x: b.right, y: b.bottom}).x : x;
      return Math.min(x, l) < -1 || Math.max(x, r) > w + 1;
    });
  }
  function home() {
    network.moveTo({position: {x: (B[0] + B[2]) / 2, y: (B[1] + B[3]) / 2}, scale: base, animation: false});
    // in a column narrower than the layout the view keeps its scale around the household and cuts the sides:
    // say so (a coach at 1024 pixels took the cut-off map for the whole one) -- when a node of the date shown is
    // cut off, not because the household's whole history would be wider (at 1400 pixels the line stood above a
    // map of eight nodes, all in sight); read once they are drawn, when vis-network knows the names' boxes
    wider.hidden = true;
    meta.dataset.wider = "false";
    if (el.clientWidth < __MAP_MIN_PX__ - 1) {
      delete meta.dataset.wider;  // said once known
      network.once("afterDrawing", function () { wider.hidden = !cutOff(); meta.dataset.wider = String(!wider.hidden); });
      network.redraw();
    }
  }
  function whole() {  // the whole map in the canvas: smaller names where the column is narrow
    var s = Math.min(el.clientWidth / (B[2] - B[0]), el.clientHeight / (B[3] - B[1]));
    network.moveTo({position: {x: (B[0] + B[2]) / 2, y: (B[1] + B[3]) / 2}, scale: s, animation: false});
    wider.hidden = true;
  }
  function zoom(by) {
    network.moveTo({scale: network.getScale() * by, animation: false});
    meta.dataset.scale = network.getScale().toFixed(4);
  }
  function inDomain(n) {
    if (!state.domain || ["household", "member", "client_system", "informal"].indexOf(n.kind) >= 0) {
      return true;
    }
    if (n.kind === "organisation") {
      return network.getConnectedNodes(n.id).some(function (o) {
        var m = nodes.get(o); return m && m.kind === "professional" && (m.domains || []).indexOf(state.domain) >= 0;
      });
    }
    return (n.domains || []).indexOf(state.domain) >= 0;
  }
  function apply() {
    var q = state.q.trim().toLowerCase(), hits = [], keep = null;
    if (state.focus && nodes.get(state.focus)) {
      keep = {}; keep[state.focus] = true;
      network.getConnectedNodes(state.focus).forEach(function (id) { keep[id] = true; });
    }
    var all = nodes.get(), shown = {};
    nodes.update(all.map(function (n) {
      var visible = inDomain(n), hit = q.length > 1 && (n.find || "").indexOf(q) >= 0;
      if (hit && visible) { hits.push(n.id); }
      var faded = visible && ((keep && !keep[n.id]) || (q.length > 1 && !hit && !(keep && keep[n.id])));
      if (visible && !faded) { shown[n.id] = true; }
      return {id: n.id, hidden: !visible, opacity: faded ? 0.15 : 1,
              font: Object.assign({}, n.font, {color: faded ? "rgba(60,60,60,0.25)" : n.fontColor})};
    }));
    edges.update(edges.get().map(function (e) {
      var on = shown[e.from] && shown[e.to];
      return {id: e.id, hidden: !!state.domain && e.domains && e.domains.length > 0 &&
              e.domains.indexOf(state.domain) < 0, color: Object.assign({}, typeof e.color === "object" ?
              e.color : {color: e.color}, {opacity: on ? 1 : 0.12})};
    }));
    network.selectNodes(hits);
    count.textContent = q.length > 1 ? hits.length + " " + __FOUND__ : "";
    clear.hidden = !state.focus;
    meta.dataset.hits = hits.join(" ");
    meta.dataset.focus = state.focus || "";
    meta.dataset.domain = state.domain;
    meta.dataset.hidden = String(all.filter(function (n) { return !inDomain(n); }).length);
  }
  function focus(id) { state.focus = id; apply(); }
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(0.8); });
  document.getElementById("zoom-fit").addEventListener("click", function () {
    whole(); meta.dataset.scale = network.getScale().toFixed(4);
  });
  search.addEventListener("input", function () { state.q = search.value; apply(); });
  domain.addEventListener("change", function () { state.domain = domain.value; apply(); });
  clear.addEventListener("click", function () { focus(null); });
  // the details panel gets a focus button (the panel itself is built by the click script)
  var fb = document.createElement("button");
  fb.type = "button"; fb.id = "details-focus"; fb.textContent = __FOCUS__;
  document.getElementById("details").appendChild(fb);
  fb.addEventListener("click", function () {
    var sel = network.getSelectedNodes();
    if (sel.length) { focus(sel[0]); }
  });
  function start() {
    // the frame's size is 0 until it is laid out: a scale of 0 would make every font infinite
    if (!el.clientWidth || !el.clientHeight) { setTimeout(start, 50); return; }
    base = fit();
    nodes.update(nodes.get().map(function (n) { return {id: n.id, font: sized(n).font}; }));
    nodes.get().forEach(function (n) { sized(n); });
    home();
    meta.dataset.base = base.toFixed(4);
    meta.dataset.scale = network.getScale().toFixed(4);
  }
  window.ecomapTools = {sized: sized, apply: apply, focus: focus, zoom: zoom, home: home,
                        base: function () { return base; }};
  start();
  network.once("afterDrawing", function () { if (Math.abs(network.getScale() - base) > 1e-6) { home(); } });
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
        style = {**style, "borderWidth": 4, "size": _dot_size(data)}  # label_box leaves room below it
    detail = _detail(node, data, g)
    org = f"O:{data['organisation']}" if data.get("organisation") else ""
    find = " ".join([label, str(g.nodes[org].get("label", "")) if org in g else ""]).lower()
    px = FONT_PX[data["kind"]]
    style["font"] = {**style.get("font", {}), "size": px}
    return {"id": node, "label": _label(node, data), "x": x, "y": y, "physics": False, "fixed": True,
            "color": node_colour(data), "title": detail.split("\n", 2)[-1] if data["kind"] != "household" else label,
            "detail": detail, "kind": data["kind"], "px": px, "find": find,
            "domains": list(data.get("life_domains") or []), **style}


def _vis_edge(a: str, b: str, data: dict[str, Any]) -> dict[str, Any]:
    """An edge without a text on the line (at 60 nodes such texts only cover each other): what it stands
    for is in its tooltip and in the details of both ends."""
    domains = data.get("life_domains") or []
    labels = data.get("labels") or []
    return {"id": f"{a}|{b}", "from": a, "to": b, "title": "\n".join(readable(x) for x in labels),
            "color": DOMAIN_COLOURS.get(domains[0], NO_DOMAIN) if domains else "#b0b0b0",
            "dashes": data.get("kind") in ("works_for", "client_system"),
            "width": 2 if data.get("kind") in ("involvement", "coach") else 1, "domains": list(domains)}


_OPTIONS = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "dragNodes": False, "zoomView": True, "navigationButtons": False,
                    "keyboard": {"enabled": False}},
    "nodes": {"scaling": {"label": {"drawThreshold": 3}}},
    "layout": {"randomSeed": 0, "improvedLayout": False},
    "edges": {"smooth": False},
}


def ecomap_html(g: nx.Graph, positions: dict[str, tuple[float, float]], *, height: int = 560,
                title: str = "", others: Mapping[str, Sequence[OtherInvolvement]] | None = None,
                as_of: date | None = None, editable: bool = False) -> str:
    """A self-contained HTML page drawing ``g`` at ``positions`` with a legend and a node-details panel.

    ``positions`` comes from :func:`layout` of the whole-history graph, so it covers every node of ``g``.
    ``others`` (from :func:`other_involvements`, for the same ``as_of``) are the extra nodes a professional
    can be expanded with; without them the details panel still works and nothing expands. ``editable`` (the
    household page of a coach, :mod:`app.ecomap_frame`): a click on a person of the client system, and the
    toolbar's "Aan de kaart toevoegen", post a message to the parent page, which opens the workspace's form.
    The page has no ``src`` or ``href`` at all: vis-network is inlined.
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
        "__WORDS__", _script_safe(json.dumps(words, sort_keys=True))).replace(
        "__EDITABLE__", "true" if editable else "false")
    box = bounds(positions)
    # never drawn smaller than UNIT_PX px per unit, the scale the layout left room for: the canvas as high as the
    # map at that scale (and its border), the view as wide (a narrower column scrolls sideways)
    height = canvas_height(positions, height)
    min_px = max(MAP_MIN_PX, math.ceil((box[2] - box[0]) * UNIT_PX))
    tools = (_TOOLS.replace("__BOUNDS__", json.dumps(list(box))).replace("__MAP_MIN_PX__", str(min_px))
             .replace("__FOUND__", _script_safe(json.dumps(t("ecomap.found"))))
             .replace("__FOCUS__", _script_safe(json.dumps(t("ecomap.focus")))))
    head = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title or "Eco-map")}</title>'
            f"<style>{tooltip_css}</style>{_EXTRA}{_TOOLS_CSS}</head><body>{_toolbar(editable)}"
            f'<div class="card"><div id="mynetwork" style="height:{int(height)}px"></div></div>{draw}'
            f"{_legend(editable)}{_panel()}{meta}{tools}{click}</body></html>")
    # vis-network goes in after the check: it is a fixed, known file, and scanning its 470 KB every rerun
    # would cost more than the rest of the page.
    return strip_external(head).replace("<style>", f"<script>{script}</script><style>", 1)
