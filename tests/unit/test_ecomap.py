"""The eco-map HTML builder: every node drawn at its fixed position, nothing loaded from another host."""

from __future__ import annotations

import json
import re
from datetime import date

from app.ecomap import DOMAIN_COLOURS, ecomap_html, layout, strip_external
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
    radius = {n: round((x * x + y * y) ** 0.5) for n, (x, y) in a.items()}
    assert radius["P:f"] == radius["P:m"] == 170
    assert radius["P:g"] == radius["P:n"] == 310
    assert radius["PR:p1"] == radius["PR:p2"] == radius["PR:c"] == 470
    assert radius["O:o1"] == 640


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
