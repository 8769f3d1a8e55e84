"""Two children without a first name in the data, in one household: the timeline keyed its rows by the label shown
("onbekend (kind)" for both), so their bars fell into one row; the map and the brief called them by their ids.
Now each has one label of its own ("Kind 1", "Kind 2"), the same on the timeline, the map and in the brief."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app.state import get_audit
from graph.db import Database
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.analytics.household import household_graph
from queries.household import household_view

SRC = "test"
COACH = Actor("scopecoach", Role.COACH, "Wijkcoaches", "PR-COACH-1")


@pytest.fixture(scope="module")
def unnamed(household_t1: Database) -> Database:
    load_records(household_t1, [
        *[("person", {"id": i, "birth_year": y, "gender": "V", "source": SRC}) for i, y in (("U1", 2001), ("U2", 2003))],
        *[("membership", {"household_id": "HH-T1", "person_id": i, "role": "kind", "since": date(2005, 1, 1),
                          "source": SRC}) for i in ("U1", "U2")],
        *[("involvement", {"id": f"IU{n}", "professional_id": p, "organisation_id": "O-BJZ",
                           "life_domain": "ONDERWIJS_OPVOEDING", "role": "casemanager", "since": date(2008, 3, 1),
                           "person_ids": [i], "source": SRC})
          for n, (i, p) in enumerate((("U1", "P10"), ("U2", "P12")))],
    ])
    return household_t1


def _row_headers(svg: str) -> list[str]:
    return re.findall(r'font-weight="bold">[^<]*<title>([^<]*)</title>', svg)


def test_two_unnamed_children_have_a_row_and_a_label_each(unnamed: Database, coach_page: AppTest,
                                                          downloads: list[Any]) -> None:
    view = household_view(unnamed, get_audit(), COACH, "HH-T1")
    labels = {view.name_of("U1"), view.name_of("U2")}
    assert labels == {"Kind 1", "Kind 2"}
    g = household_graph("HH-T1", view.people, view.involvements, view.coaches, as_of=date(2009, 1, 1))
    assert {g.nodes["P:U1"]["label"], g.nodes["P:U2"]["label"]} == labels  # the map says the same

    at = coach_page.run()
    at.segmented_control[0].set_value("timeline").run()
    assert not at.exception
    svg = next(m.value for m in at.markdown if "wijknet-timeline" in m.value)
    headers = _row_headers(svg)
    assert "Kind 1" in headers and "Kind 2" in headers  # a row each, called as on the map
    assert len(headers) == len(set(headers))
    at.segmented_control[0].set_value("brief").run()
    assert not at.exception
    brief = downloads[-2]()
    assert "Kind 1 (kind, 2001)" in brief and "Kind 2 (kind, 2003)" in brief
