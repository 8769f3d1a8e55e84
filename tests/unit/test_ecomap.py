"""The eco-map HTML builder: every node drawn at its fixed position, nothing loaded from another host, the
details and the other involvements of a professional (this household only) embedded for clicks in the map."""

from __future__ import annotations

import json
import math
import re
from datetime import date

import networkx as nx

from app.ecomap import (
    ASPECT,
    DOMAIN_COLOURS,
    FRAME_ROOM_PX,
    LABEL_H,
    LABEL_W,
    MAP_HEIGHT_PX,
    MAP_MIN_PX,
    UNIT_PX,
    bounds,
    canvas_height,
    ecomap_html,
    frame_height,
    label_box,
    layout,
    other_involvements,
    other_positions,
    strip_external,
    wrap_label,
)
from queries.analytics.household import CoachAssignment, Involvement, PersonTie, household_graph

D = date


def system() -> tuple[list[PersonTie], list[Involvement], list[CoachAssignment]]:
    people = [PersonTie("f", "member", "vader", D(2005, 1, 1), name="Frank"),
              PersonTie("m", "member", "moeder", D(2005, 1, 1), name="Mieke"),
              PersonTie("g", "client_system", "oma", D(2005, 1, 1), name="Gerda"),
              PersonTie("n", "informal", "buurvrouw", D(2008, 10, 1), name="Nel", supports=("m",))]
    invs = [Involvement("i1", "p1", "o1", "WONEN", D(2008, 1, 1), person_ids=("f",), function="woonbegeleider",
                        professional_name="Piet", organisation_name="RIBW"),
            Involvement("i2", "p2", "o1", "WONEN", D(2008, 1, 1), D(2008, 10, 31), person_ids=("m",),
                        professional_name="Paula", organisation_name="RIBW"),
            Involvement("i3", "p3", "o2", "VEILIGHEID_JUSTITIE", D(2008, 2, 1), person_ids=("f", "m"),
                        professional_name="Pim", organisation_name="Steunpunt <HG>")]
    return people, invs, [CoachAssignment("c", D(2008, 9, 1), name="Coach")]


def nodes_in(page: str) -> list[dict[str, object]]:
    m = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    assert m, "no vis DataSet of nodes in the page"
    return list(json.loads(m.group(1)))


def test_node_count_and_fixed_positions() -> None:
    people, invs, coaches = system()
    whole = household_graph("h", people, invs, coaches)
    pos = layout(whole)
    g = household_graph("h", people, invs, coaches, as_of=D(2009, 1, 15))
    page = ecomap_html(g, pos)
    nodes = nodes_in(page)
    # household, 2 members, oma, Nel, Piet, Pim, the coach, RIBW, Steunpunt (Paula ended in October)
    assert len(nodes) == g.number_of_nodes() == 10
    assert {n["id"] for n in nodes} == set(g.nodes)
    assert all((n["x"], n["y"]) == pos[str(n["id"])] for n in nodes)
    assert 'data-nodes="10"' in page
    coach = next(n for n in nodes if n["id"] == "PR:c")
    assert str(coach["label"]).startswith("★")
    piet = next(n for n in nodes if n["id"] == "PR:p1")
    assert piet["color"] == DOMAIN_COLOURS["WONEN"]
    assert "Steunpunt <HG>" in str(next(n for n in nodes if n["id"] == "O:o2")["label"])


def test_layout_is_stable_and_rings_by_kind() -> None:
    people, invs, coaches = system()
    a = layout(household_graph("h", people, invs, coaches))
    b = layout(household_graph("h", list(reversed(people)), list(reversed(invs)), coaches))
    assert a == b
    assert a["H:h"] == (0.0, 0.0)

    def ring(n: str) -> int:  # the vertical radius of the ellipse the node is on
        x, y = a[n]
        return round(((x / ASPECT) ** 2 + y * y) ** 0.5)

    assert ring("P:f") == ring("P:m") == 130
    assert ring("P:g") == ring("P:n") == 245
    assert ring("PR:p1") == ring("PR:p2") == ring("PR:c") == 330  # four professionals: one band
    assert ring("O:o1") == 330 + 105
    # an organisation's professionals are neighbours, the organisation in the middle of its sector
    angle = {n: math.atan2(y / 1.0, x / ASPECT) for n, (x, y) in a.items()}
    assert min(angle["PR:p1"], angle["PR:p2"]) <= angle["O:o1"] <= max(angle["PR:p1"], angle["PR:p2"])


def test_sixty_nodes_spread_in_bands_with_labels_apart() -> None:
    """36 professionals of 12 organisations: more than one band; neighbouring labels on a band do not overlap."""
    people = [PersonTie(f"m{k}", "member", "kind", D(2005, 1, 1), name=f"Kind {k}") for k in range(6)]
    invs = [Involvement(f"i{k}", f"p{k:02d}", f"o{k % 12:02d}", "WONEN", D(2008, 1, 1), person_ids=("m0",),
                        professional_name=f"Professional nummer {k}", organisation_name=f"Organisatie {k % 12}")
            for k in range(36)]
    g = household_graph("h", people, invs)
    pos = layout(g)
    profs = sorted((n for n in g if n.startswith("PR:")), key=lambda n: math.atan2(pos[n][1], pos[n][0]))
    bands = {round(((pos[n][0] / ASPECT) ** 2 + pos[n][1] ** 2) ** 0.5) for n in profs}
    assert len(bands) >= 2
    for band in bands:
        on = [pos[n] for n in profs if round(((pos[n][0] / ASPECT) ** 2 + pos[n][1] ** 2) ** 0.5) == band]
        for (x1, y1), (x2, y2) in zip(on, on[1:], strict=False):  # apart sideways or up/down, as labels need
            assert abs(x1 - x2) >= LABEL_W * 0.9 or abs(y1 - y2) >= LABEL_H * 0.9


def _long_named(professionals: int) -> nx.Graph:
    """A household of six members and ``professionals`` professionals of 12 organisations, all with long names."""
    first = ("Annemarie", "Bartholomeus", "Christiaan", "Wilhelmina", "Mohamed", "Jeroen")
    people = [PersonTie(f"m{k}", "member", "kind", D(2005, 1, 1), name=f"{first[k]} van den Heuvel-Oosterhuis")
              for k in range(6)]
    invs = [Involvement(f"i{k}", f"p{k:02d}", f"o{k % 12:02d}", "WONEN", D(2008, 1, 1), person_ids=("m0",),
                        professional_name=f"{first[k % 6]} van der Hesselink-Oude Vrielink {k}",
                        organisation_name=f"Regionaal Samenwerkingsverband Twente {k % 12}")
            for k in range(professionals)]
    return household_graph("h", people, invs)


def test_no_two_label_boxes_touch_however_long_the_names() -> None:
    """A review counted nine pairs of labels drawn over each other on a 60-node household at 1440 pixels: the
    professionals were spaced for labels of a fixed size, not their own. Every node now moves out along its ray
    until its label's box (estimated as the page draws it, at the map's smallest scale) clears the others'."""
    g = _long_named(36)
    pos = layout(g)
    boxes = [label_box(n, g.nodes[n], *pos[n]) for n in sorted(g)]
    touching = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])]
    assert touching == []
    x0, y0, x1, y1 = bounds(pos)
    assert (x1 - x0) * UNIT_PX < 1500 and (y1 - y0) * UNIT_PX < 1000  # a larger map, not a huge one


def test_a_map_too_large_for_the_canvas_keeps_to_its_width_and_grows_in_height() -> None:
    """The 60-node household at 1440 pixels: its map was laid out 1,050 px wide for a 980 px column (the shape that
    overflowed least either way), and the outermost organisations' names were cut off at both sides. The canvas
    grows to a map's height, not to its width: a shape that fits the width wins over one that fits better in
    height. 24 professionals with long names fit 960 px only as an ellipse a little higher than wide."""
    x0, y0, x1, y1 = bounds(layout(_long_named(24)))
    assert (x1 - x0) * UNIT_PX <= MAP_MIN_PX
    assert (y1 - y0) * UNIT_PX > MAP_HEIGHT_PX  # it pays in height: the canvas grows (canvas_height)


def test_wrap_label() -> None:
    assert wrap_label("Jeroen van den Hesselink-Oude Vrielink") == "Jeroen van den\nHesselink-Oude\nVrielink"
    assert wrap_label("Kort") == "Kort"


def test_a_word_longer_than_a_line_breaks_after_its_hyphens() -> None:
    """A double surname or a compound name longer than a line stayed whole and ran over its neighbours' labels on
    the map and in the brief (an outside review: "Achternaam-Dubbelnaam-Verlengd", 30 characters on a ring made
    for 18); it breaks after a hyphen, as Dutch writes it, and the hyphen stays."""
    assert wrap_label("Maria van den Heuvel-Oosterhuis-Jong") == "Maria van den\nHeuvel-Oosterhuis-\nJong"
    assert wrap_label("Prof Achternaam-Dubbelnaam-Verlengd") == "Prof Achternaam-\nDubbelnaam-\nVerlengd"
    assert all(len(line) <= 18 for line in wrap_label("Vrouwenopvang-Twente-Oost-Noord").split("\n"))
    assert wrap_label("Arrondissementsparketten") == "Arrondissementsparketten"  # no hyphen: stays whole


def test_no_external_resources() -> None:
    people, invs, coaches = system()
    page = ecomap_html(household_graph("h", people, invs, coaches, as_of=D(2009, 1, 1)),
                       layout(household_graph("h", people, invs, coaches)))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?(?:https?:)?//""", page, re.I)
    assert "cdnjs" not in page and "jsdelivr" not in page
    assert "vis.Network" in page and "network.on(\"click\"" in page
    assert '"enabled": false' in page  # physics off


def test_strip_external() -> None:
    page = ('<link rel="stylesheet" href="https://cdn.example/x.css" /><link href="local.css">'
            '<script src="https://cdn.example/x.js" integrity="y"></script><script>var a = 1;</script>'
            "<center><h1></h1></center>")
    assert strip_external(page) == '<link href="local.css"><script>var a = 1;</script>'


# ------------------------------------------------------------------ clicking and expanding inside the map
AS_OF = D(2009, 1, 15)


def history() -> tuple[list[PersonTie], list[Involvement], list[CoachAssignment]]:
    """The system above plus Piet's earlier and later involvements, one for a former member (Kees, left in
    2007), and an earlier caseload period of the coach."""
    people, invs, coaches = system()
    people = [*people, PersonTie("k", "member", "kind", D(2005, 1, 1), D(2007, 6, 30), name="Kees")]
    invs = [*invs,
            Involvement("i4", "p1", "o1", "WONEN", D(2006, 1, 1), D(2006, 12, 31), person_ids=("f", "m"),
                        function="woonbegeleider", professional_name="Piet", organisation_name="RIBW"),
            Involvement("i5", "p1", "o1", "ZORG_HULPVERLENING", D(2007, 1, 1), D(2007, 3, 31), person_ids=("k",),
                        function="woonbegeleider", professional_name="Piet", organisation_name="RIBW"),
            Involvement("i6", "p1", "o1", "WONEN", D(2009, 6, 1), household_level=True, role="regie",
                        function="woonbegeleider", professional_name="Piet", organisation_name="RIBW")]
    return people, invs, [*coaches, CoachAssignment("c", D(2008, 1, 1), D(2008, 3, 31), name="Coach")]


def others_in(page: str) -> dict[str, dict[str, list[dict[str, object]]]]:
    m = re.search(r"var OTHERS = (\{.*?\});\n", page)
    assert m, "no OTHERS in the page"
    return dict(json.loads(m.group(1)))


def test_other_involvements_of_each_professional_on_the_map() -> None:
    people, invs, coaches = history()
    g = household_graph("h", people, invs, coaches, as_of=AS_OF)
    others = other_involvements(g, invs, coaches, people, AS_OF)
    # Paula (p2) ended in October 2008 and is not on the map: nothing to click, so no entry.
    assert sorted(others) == ["PR:c", "PR:p1"]
    piet = others["PR:p1"]
    assert [(o.node, o.state, o.targets, o.subjects) for o in piet] == [
        ("HI:i4", "ended", ("P:f", "P:m"), ("Frank", "Mieke")),
        ("HI:i5", "ended", ("H:h",), ("Kees",)),           # Kees is no longer on the map: tied to the household
        ("HI:i6", "later", ("H:h",), ("whole household",)),
    ]
    assert piet[0].text == "woonbegeleider · WONEN" and piet[2].role == "regie"
    from app.ecomap import _other_detail

    detail = _other_detail(piet[2], AS_OF)  # the panel of a clicked involvement: the household in words
    assert "heel het huishouden" in detail and "whole household" not in detail, detail
    assert [(o.node, o.since, o.until) for o in others["PR:c"]] == [("HC:c:2008-01-01", D(2008, 1, 1), D(2008, 3, 31))]
    # Pim's only involvement is active: nothing else to show.
    assert "PR:p3" not in others


def test_expansion_data_in_the_page_and_positions() -> None:
    people, invs, coaches = history()
    whole = household_graph("h", people, invs, coaches)
    pos = layout(whole)
    g = household_graph("h", people, invs, coaches, as_of=AS_OF)
    page = ecomap_html(g, pos, others=other_involvements(g, invs, coaches, people, AS_OF), as_of=AS_OF)
    data = others_in(page)
    assert sorted(data) == ["PR:c", "PR:p1"]
    added = data["PR:p1"]
    assert [n["id"] for n in added["nodes"]] == ["HI:i4", "HI:i5", "HI:i6"]
    assert sorted(str(e["id"]) for e in added["edges"]) == [
        "HI:i4>P:f", "HI:i4>P:m", "HI:i4>PR:p1", "HI:i5>H:h", "HI:i5>PR:p1", "HI:i6>H:h", "HI:i6>PR:p1"]
    # every edge ends at a node of the map or of this expansion; no node is already on the map
    ids = {str(n["id"]) for n in added["nodes"]}
    assert all(e["from"] in g or e["from"] in ids for e in added["edges"])
    assert all(e["to"] in g or e["to"] in ids for e in added["edges"])
    assert not ids & set(g.nodes)
    first = added["nodes"][0]
    assert first["label"] == "woonbegeleider · wonen\n01-01-2006 – 31-12-2006"
    assert "Periode: 01-01-2006 – 31-12-2006 (beëindigd vóór 15-01-2009)" in str(first["detail"])
    assert "Voor: Frank, Mieke" in str(first["detail"])
    # a column of boxes 110 units inside Piet, towards the household, 52 apart (two-line labels)
    px, py = pos["PR:p1"]
    r = (px * px + py * py) ** 0.5
    xs = {round(float(n["x"]), 1) for n in added["nodes"]}
    assert xs == {round(px - 110 * px / r, 1)}
    ys = [float(n["y"]) for n in added["nodes"]]
    assert [round(b - a, 1) for a, b in zip(ys, ys[1:], strict=False)] == [52.0, 52.0]
    assert round(sum(ys) / 3, 1) == round(py - 110 * py / r, 1)
    assert 'data-other-nodes="4"' in page
    # the same graph and history give the same page: stable between reruns
    assert page == ecomap_html(g, pos, others=other_involvements(g, invs, coaches, people, AS_OF), as_of=AS_OF)


def test_other_positions_column() -> None:
    assert other_positions({"PR:p": (0.0, 470.0)}, {"PR:p": ["HI:a", "HI:b"]}) == {
        "HI:a": (0.0, 334.0), "HI:b": (0.0, 386.0)}
    assert other_positions({"PR:p": (470.0, 0.0)}, {"PR:p": ["HI:a"]}) == {"HI:a": (360.0, 0.0)}


def test_node_details_text() -> None:
    people, invs, coaches = history()
    g = household_graph("h", people, invs, coaches, as_of=AS_OF)
    nodes = {n["id"]: n for n in nodes_in(ecomap_html(g, layout(g)))}
    assert nodes["PR:p1"]["detail"] == ("Piet\nProfessional\nFunctie: woonbegeleider\nOrganisatie: RIBW\n"
                                        "Leefgebied: wonen\n→ Frank: woonbegeleider · wonen · sinds 01-01-2008")
    assert str(nodes["P:f"]["detail"]).startswith("Frank\nLid van het huishouden\nRol: vader\n")
    # a tie outside the household has the relation the coach typed, not a member's role (an outside test read
    # "Rol: oma (inwonend)" beside "Breder cliëntsysteem")
    assert "\nRol: oma\n" in str(nodes["P:g"]["detail"]) + "\n" and "inwonend" not in str(nodes["P:g"]["detail"])
    assert "Professionals op de kaart: 1" in str(nodes["O:o1"]["detail"])


def test_names_cannot_end_the_script() -> None:
    people, invs, coaches = history()
    evil = "</script><script>alert(1)</script>"
    invs = [Involvement(i.id, i.professional_id, i.organisation_id, i.life_domain, i.since, i.until, i.role,
                        i.function, i.person_ids, i.household_level, evil, evil) for i in invs]
    people = [PersonTie(p.id, p.kind, p.role, p.since, p.until, evil) for p in people]
    g = household_graph("h", people, invs, coaches, as_of=AS_OF)
    page = ecomap_html(g, layout(g), others=other_involvements(g, invs, coaches, people, AS_OF), as_of=AS_OF)
    assert evil not in page and "<script>alert" not in page
    plain = ecomap_html(g, layout(g))
    assert page.count("</script>") == plain.count("</script>")  # no value closes or opens a script element
    assert nodes_in(page)[0]["detail"] is not None
    assert evil in str(next(n for n in nodes_in(page) if n["id"] == "PR:p1")["label"])
    assert evil in str(others_in(page)["PR:p1"]["nodes"][0]["detail"])


def test_docstring_examples() -> None:
    import doctest

    import app.ecomap

    result = doctest.testmod(app.ecomap)
    assert result.attempted == 11 and result.failed == 0  # other_involvements, other_positions, wrap_label, label_box


def test_sandboxed_page_holds_the_page_only_as_the_inner_frames_srcdoc() -> None:
    """Whatever the map page holds (a name with quotes or markup), the outer document has no script and one
    frame, sandboxed with allow-scripts only, whose srcdoc is exactly the page."""
    from html.parser import HTMLParser

    from app.sandboxed import sandboxed_page

    page = '<p title="x">Jan "de" Vries</p></iframe><script>parent.document.cookie</script><iframe src="http://x">'
    tags: list[tuple[str, dict[str, str | None]]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append((tag, dict(attrs)))

    Tags().feed(sandboxed_page(page, title='Eco-map "HH-1"'))
    assert [t for t, _ in tags] == ["html", "head", "meta", "style", "body", "iframe"]
    frame = tags[-1][1]
    assert frame["sandbox"] == "allow-scripts" and frame["srcdoc"] == page and frame["title"] == 'Eco-map "HH-1"'


def test_a_coachs_map_posts_a_click_on_a_network_person_and_add_to_the_frames_parent() -> None:
    """On a coach's household page (editable) the toolbar has "Aan de kaart toevoegen" and a click on a person
    of the client system or an informal supporter posts that node's id to the parent; the pickable nodes are
    exactly those people, and the parent accepts nothing else (app/ecomap_frame.py)."""
    import doctest

    import app.ecomap_frame
    from app.ecomap_frame import Pick, pick_from, pickable

    people, invs, coaches = system()
    g = household_graph("h", people, invs, coaches, as_of=D(2009, 1, 15))
    plain, editable = ecomap_html(g, layout(g)), ecomap_html(g, layout(g), editable=True)
    assert 'id="map-add"' not in plain and "var EDITABLE = false;" in plain
    assert '<button id="map-add" type="button"' in editable and ">Aan de kaart toevoegen</button>" in editable
    assert "var EDITABLE = true;" in editable and 'window.parent.postMessage(message, "*")' in editable
    assert "Klik op een persoon uit het netwerk om die te wijzigen of te beëindigen." in editable
    assert pickable(g) == ["P:g", "P:n"]  # oma Gerda and neighbour Nel; not the members, nor professionals
    assert pick_from({"action": "change", "node": "P:n"}, pickable(g)) == Pick("change", "n")
    assert pick_from({"action": "change", "node": "P:f"}, pickable(g)) is None  # a member: not from the map
    assert pick_from({"action": "delete", "node": "P:n"}, pickable(g)) is None
    assert pick_from("P:n", pickable(g)) is None
    assert doctest.testmod(app.ecomap_frame).failed == 0


def test_a_coach_without_an_involvement_has_the_legend_s_no_domain_colour() -> None:
    """The system's coach has no involvement of their own: drawn near-black (#333333) beside the household's dark
    box, with no legend entry for that colour (an outside review, 2026-12-05). Now the grey the legend names."""
    people, invs, coaches = system()
    g = household_graph("h", people, invs, coaches, as_of=D(2009, 1, 15))
    page = ecomap_html(g, layout(g))
    coach = next(n for n in nodes_in(page) if n["id"] == "PR:c")
    rows = re.findall(r'<div><b>([^<]*)</b> (.*?)</div>', page, re.S)  # the legend's rows: nodes, life domains
    [domains] = [row for title, row in rows if title == "Leefgebied"]
    swatches = dict(re.findall(r'background:(#[0-9a-f]{6});border-radius:50%"></span>([^<]+)</span>', domains))
    assert swatches.get(str(coach["color"])) == "geen leefgebied", (coach["color"], swatches)
    assert sorted(swatches) == sorted({*DOMAIN_COLOURS.values(), str(coach["color"])})


def test_the_frame_starts_as_tall_as_the_canvas_the_page_draws_and_room_for_the_legend() -> None:
    """The coach page's map frame starts at the page's canvas height plus room for the toolbar and a legend
    wrapped in a 1024-pixel window (it was a fixed 830 px, lower than a 60-node map's page there, which stayed cut
    off while the frame's new size had not reached it); a higher map gets a higher canvas and so a higher frame."""
    people, invs, coaches = system()
    small = layout(household_graph("h", people, invs, coaches))
    assert canvas_height(small) == MAP_HEIGHT_PX and frame_height(small) == MAP_HEIGHT_PX + FRAME_ROOM_PX
    page = ecomap_html(household_graph("h", people, invs, coaches), small, height=MAP_HEIGHT_PX)
    assert f'<div id="mynetwork" style="height:{MAP_HEIGHT_PX}px">' in page
    many = [PersonTie(f"m{k}", "member", "kind", D(2005, 1, 1), name=f"Kind met een lange naam {k}") for k in range(8)]
    big_invs = [Involvement(f"i{k}", f"p{k:02d}", f"o{k % 14:02d}", "WONEN", D(2008, 1, 1), person_ids=("m0",),
                            professional_name=f"Professional met een lange naam nummer {k}",
                            organisation_name=f"Organisatie met een lange naam {k % 14}") for k in range(48)]
    g = household_graph("h", many, big_invs)
    big = layout(g)
    box = bounds(big)
    assert canvas_height(big) == max(MAP_HEIGHT_PX, math.ceil((box[3] - box[1]) * UNIT_PX) + 2) > MAP_HEIGHT_PX
    assert frame_height(big) == canvas_height(big) + FRAME_ROOM_PX
    assert f'<div id="mynetwork" style="height:{canvas_height(big)}px">' in ecomap_html(g, big, height=MAP_HEIGHT_PX)


def test_members_sit_on_the_side_of_their_professionals() -> None:
    """A line from a professional to a member on the far side of the map crossed the household and the members
    between them (an outside review): the members were placed in the role order whatever their professionals'
    sectors. Each member now sits within a quarter turn of the mean direction of its professionals, and no line
    from a professional to a member passes over the household or another member."""
    roles = (("v", "vader", "VEILIGHEID_JUSTITIE"), ("m", "moeder", "ONDERWIJS_OPVOEDING"),
             ("k1", "kind", "INKOMEN_FINANCIEN_SCHULDEN"), ("k2", "kind", "WONEN"))
    people = [PersonTie(p, "member", role, D(2005, 1, 1), name=p.upper()) for p, role, _ in roles]
    # and on the second ring: the neighbours who help a member, beside that member; the grandmother anywhere
    people += [PersonTie("g", "client_system", "oma", D(2005, 1, 1), name="Oma"),
               PersonTie("nv", "informal", "buurman", D(2005, 1, 1), name="Buurman", supports=("v",)),
               PersonTie("nk", "informal", "buurvrouw", D(2005, 1, 1), name="Buurvrouw", supports=("k2",))]
    invs = [Involvement(f"i{p}{n}", f"p{p}{n}", f"o{p}", domain, D(2008, 1, 1), person_ids=(p,),
                        professional_name=f"Prof {p}{n}", organisation_name=f"Org {p}")
            for p, _, domain in roles for n in range(3)]
    g = household_graph("h", people, invs, [])
    pos = layout(g)

    def angle(node: str) -> float:
        x, y = pos[node]
        return math.atan2(y, x / ASPECT)

    for p, _, _ in roles:
        theirs = [angle(f"PR:p{p}{n}") for n in range(3)]
        mean = math.atan2(sum(map(math.sin, theirs)), sum(map(math.cos, theirs)))
        assert abs(math.remainder(angle(f"P:{p}") - mean, 2 * math.pi)) <= math.pi / 2, p

    for helper, member in (("nv", "v"), ("nk", "k2")):
        assert abs(math.remainder(angle(f"P:{helper}") - angle(f"P:{member}"), 2 * math.pi)) <= math.pi / 2, helper

    def passes(node: str, a: str, b: str, r: float) -> bool:  # the segment a–b within r of the node's centre
        (px, py), (ax, ay), (bx, by) = pos[node], pos[a], pos[b]
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot(ax + t * dx - px, ay + t * dy - py) < r

    inner = ["H:h", *(f"P:{p}" for p, _, _ in roles)]
    crossed = [(f"PR:p{p}{n}", f"P:{p}", x) for p, _, _ in roles for n in range(3) for x in inner
               if x != f"P:{p}" and passes(x, f"PR:p{p}{n}", f"P:{p}", 45 if x == "H:h" else 25)]
    assert crossed == []
