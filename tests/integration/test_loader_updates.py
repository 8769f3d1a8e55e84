"""The loader applies a changed record as the new truth: a household that moved area has one IN_AREA, an
involvement whose subjects, professional or organisation changed has exactly the new ones, and so have a corrected
handover and referral (nothing stale, nothing twice)."""

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


def test_an_involvement_handed_to_another_professional_has_only_the_new_one(base: Database) -> None:
    """Observed in the benchmark's 25 users at 80,000 households: a steward re-imported a registration whose
    professional and organisation had changed, and the involvement kept every earlier professional (up to 61) and
    organisation (up to 31) beside the new one — the overlap counted them all, and the snapshot's derived handovers
    grew to 39 million rows and ran the server out of memory. A changed record is the new truth here too."""
    load_records(base, [("organisation", {"id": "O2", "name": "Tactus", "sector": "zorg"}),
                        ("professional", {"id": "PR2", "name": "Q", "function": "casemanager",
                                          "organisation_id": "O2", "since": date(2005, 1, 1)})])
    load_records(base, [_involvement(["P1"], None)])
    moved = {**_involvement(["P1"], None)[1], "professional_id": "PR2", "organisation_id": "O2"}
    for _ in range(2):  # the change, then the same again
        load_records(base, [("involvement", moved)])
        rows = base.execute("t", "MATCH (i:Involvement {id: 'I1'}) RETURN [(p)-[:PERFORMS]->(i) | p.id] AS p, "
                                 "[(i)-[:ON_BEHALF_OF]->(o) | o.id] AS o").first()
        assert rows == {"p": ["PR2"], "o": ["O2"]}


def test_a_corrected_handover_or_referral_names_only_the_new_ends(base: Database) -> None:
    """The same mechanism for the other records that link by id: a corrected handover keeps one FROM and one TO,
    a corrected referral one referrer, one receiving organisation and its current subject."""
    load_records(base, [("organisation", {"id": "O2", "name": "Tactus", "sector": "zorg"}),
                        ("professional", {"id": "PR2", "name": "Q", "function": "casemanager",
                                          "organisation_id": "O2", "since": date(2005, 1, 1)}),
                        _involvement(["P1"], None),
                        ("involvement", {**_involvement(["P1"], None)[1], "id": "I2"}),
                        ("involvement", {**_involvement(["P2"], None)[1], "id": "I3"})])
    hand = {"id": "HO1", "from_involvement_id": "I1", "to_involvement_id": "I2", "date": date(2007, 1, 1)}
    refer = {"id": "R1", "professional_id": "PR1", "organisation_id": "O1", "date": date(2007, 1, 1),
             "person_id": "P1"}
    load_records(base, [("handover", hand), ("referral", refer)])
    load_records(base, [("handover", {**hand, "to_involvement_id": "I3"}),
                        ("referral", {**refer, "professional_id": "PR2", "organisation_id": "O2", "person_id": "P2"})])
    row = base.execute("t", "MATCH (h:Handover {id: 'HO1'}), (r:Referral {id: 'R1'}) "
                            "RETURN [(h)-[:FROM]->(x) | x.id] AS f, [(h)-[:TO]->(x) | x.id] AS t, "
                            "[(p)-[:REFERRED]->(r) | p.id] AS p, [(r)-[:REFERRED_TO]->(o) | o.id] AS o, "
                            "[(r)-[:CONCERNS]->(s) | s.id] AS s").first()
    assert row == {"f": ["I1"], "t": ["I3"], "p": ["PR2"], "o": ["O2"], "s": ["P2"]}
