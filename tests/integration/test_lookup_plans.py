"""The pages' per-coach and per-household reads find their start by its id and walk from there, however stale the
index statistics are.

The signals' household read once planned a read of the whole ``Involvement(since)`` index per household when that
index had been sampled nearly empty (tests/integration/test_matching_plans.py): a pattern that tests a property of
the node it reaches lets the planner start from that property's index and join. The coach's caseload, household
page and workspace have such patterns, and a coach's page must not read every involvement of a city. This test
plans each of them on a graph whose every index was sampled empty before it was filled, and refuses any index or
label read but the id seeks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph.db import Database
from queries.registry import get
from tests.conftest import wipe
from tests.plans import ID_SEEK, operators, populated, reads_all

TODAY = date(2026, 6, 30)
#: A value for every parameter the reads below take, of the shape the pages give.
VALUES: dict[str, Any] = {
    "professional_id": "C1", "professional": "C1", "household_id": "H1", "coach_scope": "C1", "today": TODAY,
    "active_from": date(2025, 1, 1), "closed_statuses": ["afgerond", "vervallen"], "visit_kinds": ["huisbezoek"],
    "postcode": "", "address": "",
}
#: The reads that start from one coach or one household.
READS = ("access_coach_caseload", "access_coach_scope", "coach_caseload", "coach_caseload_triage", "household_page",
         "household_search", "notices_partner_scope", "workspace_facts")

#: 200 households of one coach, 5,000 involvements with a period on their members, 2,000 handovers between them.
FILL = """
UNWIND range(0, 4999) AS n
MERGE (h:Household {id: 'H' + (n % 200)})
MERGE (c:Professional {id: 'C' + (n % 3)})
MERGE (c)-[:COACHES {since: date('2024-01-01')}]->(h)
CREATE (h)-[:HAS_MEMBER {since: date('2020-01-01'), role: 'ouder'}]->(p:Person {id: 'P' + n})
CREATE (i:Involvement {id: 'I' + n, since: date('2025-01-01') + duration({days: n % 365}),
                       until: CASE WHEN n % 5 = 0 THEN date('2026-03-01') END})-[:CONCERNS]->(p)
CREATE (c)-[:PERFORMS]->(i)
WITH n, i WHERE n % 5 = 1
MATCH (prev:Involvement {id: 'I' + (n - 1)})
CREATE (prev)<-[:FROM]-(:Handover {id: 'O' + n, date: date('2025-06-01')})-[:TO]->(i)
"""


@pytest.fixture(scope="module")
def sampled_empty(db: Database) -> Database:
    wipe(db)
    with db.driver.session(database=db.database) as s:
        for row in list(s.run("SHOW INDEXES YIELD name, type WHERE type = 'RANGE' RETURN name")):
            s.run("CALL db.resampleIndex($name)", name=row["name"]).consume()
        s.run(FILL).consume()
        s.run("CALL db.clearQueryCaches()").consume()
    return db


@pytest.mark.parametrize("name", READS)
def test_a_coach_or_household_read_seeks_its_start(sampled_empty: Database, name: str) -> None:
    q = get(name)
    with sampled_empty.driver.session(database=sampled_empty.database) as s:
        summary = s.run("EXPLAIN " + q.cypher, {k: VALUES[k] for k in q.params}).consume()
        present = populated(s)
    ops = operators(summary.plan)
    assert any(op.startswith(ID_SEEK) for op in ops), "\n".join(ops)
    assert not [op for op in ops if reads_all(op, present)], "\n".join(ops)
