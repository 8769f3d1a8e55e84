"""The loader applies a changed record as the new truth: a household that moved area has one IN_AREA, an
involvement whose subjects changed concerns exactly the new ones (nothing stale, nothing twice)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph.db import Database
from ingest.loader import load_records

BASE: list[tuple[str, dict[str, Any]]] = [
    ("area", {"code": "A1", "name": "Velve", "kind": "experiment"}),
    ("area", {"code": "A2", "name": "Elders", "kind": "control"}),
    ("organisation", {"id": "O1", "name": "SMD", "sector": "welzijn"}),
    ("professional", {"id": "PR1", "name": "P", "function": "casemanager", "organisation_id": "O1",
                      "since": date(2005, 1, 1)}),
    ("person", {"id": "P1"}),
    ("person", {"id": "P2"}),
]


def _household(area: str) -> tuple[str, dict[str, Any]]:
    return ("household", {"id": "H1", "address_key": "7511AA|1|", "postcode": "7511AA", "house_number": 1,
                          "area_code": area, "source": "test"})


def _involvement(person_ids: list[str], household_id: str | None) -> tuple[str, dict[str, Any]]:
    return ("involvement", {"id": "I1", "professional_id": "PR1", "organisation_id": "O1",
                            "life_domain": "ZORG_HULPVERLENING", "role": "casemanager", "since": date(2006, 1, 1),
                            "person_ids": person_ids, "household_id": household_id, "source": "test"})


@pytest.fixture()
def base(db: Database) -> Database:
    db.execute("wipe", "MATCH (n) DETACH DELETE n", write=True)
    load_records(db, BASE)
    return db


def _areas(db: Database) -> list[str]:
    return [r["a"] for r in db.execute("t", "MATCH (:Household {id: 'H1'})-[:IN_AREA]->(a:Area) "
                                            "RETURN a.code AS a ORDER BY a").rows]


def _subjects(db: Database) -> list[str]:
    return [r["s"] for r in db.execute("t", "MATCH (:Involvement {id: 'I1'})-[:CONCERNS]->(s) "
                                            "RETURN s.id AS s ORDER BY s").rows]


def test_household_that_moved_area_keeps_one_in_area(base: Database) -> None:
    load_records(base, [_household("A1")])
    assert _areas(base) == ["A1"]
    load_records(base, [_household("A2")])
    assert _areas(base) == ["A2"]
    load_records(base, [_household("A2")])  # unchanged: still one
    assert _areas(base) == ["A2"]


def test_involvement_concerns_exactly_its_current_subjects(base: Database) -> None:
    load_records(base, [_household("A1"), _involvement(["P1"], None)])
    assert _subjects(base) == ["P1"]
    load_records(base, [_involvement(["P1", "P2"], "H1")])
    assert _subjects(base) == ["H1", "P1", "P2"]
    load_records(base, [_involvement(["P2"], None)])
    assert _subjects(base) == ["P2"]
    load_records(base, [_involvement(["P2"], None)])
    assert _subjects(base) == ["P2"]
    [row] = base.execute("t", "MATCH (:Involvement {id: 'I1'})-[c:CONCERNS]->() RETURN count(c) AS n, "
                              "collect(DISTINCT c.source) AS s").rows
    assert (row["n"], row["s"]) == (1, ["test"])


def test_new_involvement_created_whole_and_a_repeat_in_one_batch_is_one_node(base: Database) -> None:
    # A new involvement takes the CREATE path: its relationships (with their source) exactly once, a person
    # listed twice concerned once; the same id twice in one batch is one node with the later row's subjects.
    load_records(base, [_household("A1"), _involvement(["P1", "P1"], "H1"), _involvement(["P2"], None)])
    assert _subjects(base) == ["P2"]
    [row] = base.execute("t", "MATCH (i:Involvement {id: 'I1'}) RETURN count(i) AS n, "
                              "COUNT { (:Professional {id: 'PR1'})-[:PERFORMS {source: 'test'}]->(i) } AS performs, "
                              "COUNT { (i)-[:ON_BEHALF_OF {source: 'test'}]->(:Organisation {id: 'O1'}) } AS org, "
                              "i.function AS function, i.since AS since, i.until IS NULL AS open").rows
    assert row == {"n": 1, "performs": 1, "org": 1, "function": "casemanager", "since": date(2006, 1, 1),
                   "open": True}
    base.execute("t", "MATCH (i:Involvement {id: 'I1'}) DETACH DELETE i", write=True)
    load_records(base, [_involvement(["P1", "P1"], "H1")])
    assert _subjects(base) == ["H1", "P1"]
