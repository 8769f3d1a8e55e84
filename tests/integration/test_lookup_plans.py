"""The pages' per-coach and per-household reads, and every statement that brings data in, find their start by its
id and walk from there, however stale the index statistics are.

The signals' household read once planned a read of the whole ``Involvement(since)`` index per household when that
index had been sampled nearly empty (tests/integration/test_matching_plans.py): a pattern that tests a property of
the node it reaches lets the planner start from that property's index and join. The coach's caseload, household
page and workspace have such patterns, and a coach's page must not read every involvement of a city. This test
plans each of them on a graph whose every index was sampled empty before it was filled, and refuses any index or
label read but the id seeks. The same holds for the writes of ``ingest/cypher`` (a load of a small file matches
every row's ends by id; here a ``MATCH`` of two ends by id — the need-to-know check, ending a membership or a
caseload row, correcting a client-system tie, recording consent — planned a scan of one end's id index), except
the few that read a range by design (:data:`WIDE`). Neo4j samples an index again in the background about ten
seconds after it was written, so the fixture makes its plans while the statistics are still stale.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from graph.db import Database
from ingest.cypher import statement
from queries.registry import get
from tests.conftest import wipe
from tests.plans import ID_SEEK, operators, populated, reads_all, sample_every_index, unsampled

TODAY = date(2026, 6, 30)
#: A value for every parameter the reads below take, of the shape the pages give.
VALUES: dict[str, Any] = {
    "professional_id": "C1", "professional": "C1", "household_id": "H1", "coach_scope": "C1", "today": TODAY,
    "active_from": date(2025, 1, 1), "closed_statuses": ["afgerond", "vervallen"], "visit_kinds": ["huisbezoek"],
    "postcode": "", "address": "",
}
#: A value for every parameter of the statements in ``ingest/cypher``, of the type they are given.
WRITE_VALUES: dict[str, Any] = {
    **VALUES, "rows": [{}], "keys": [["C1", "H1"]], "ids": ["I1"], "households": ["H1"], "persons": ["P1"],
    "parents": ["vader"], "professional_ids": ["C1"], "coach_ids": ["C1"], "household_ids": ["H1"], "household_spellings": ["H1", "h1"],
    "organisation_ids": ["O1"], "props": {}, "mapping": "{}", "source": "test", "now": datetime(2026, 6, 30),
    "at": datetime(2026, 6, 30), "on": TODAY, "as_of": TODAY, "match_day": TODAY, "match_from": date(2025, 1, 1),
    "since": TODAY, "until": TODAY, "from": date(2025, 1, 1), "to": TODAY, "day": TODAY, "date": TODAY,
    "last_day": TODAY, "id": "X1", "person_id": "P1", "member_id": "P2", "organisation_id": "O1", "coach_id": "C1",
    "mandate_id": "M1", "plan_id": "PL1", "signal_id": "S1", "area_code": "A1", "from_id": "P1", "to_id": "P2",
    "keep": "P1", "dup": "P2", "key": "k", "version": 1, "expected_version": 1, "n": 1, "new": 1, "read": 1, "shown": 3,
    "loaded": 1, "rejected": 0, "vanished": 0, "ended": 0, "reason": "r", "why": "w", "name": "n", "kind": "goal",
    "label": "Goal", "file": "f.csv", "channel": "telefoon", "neighbour": False, "at_start": False,
    "end_caseload": False, "url": "file:///x.csv", "order": [["since", "until"]], "occurrence": TODAY,
    "still_holding": ["k|C1"], "move": False,
}
#: Statements of ``ingest/cypher`` that read a range by design, and why.
WIDE = {
    "notice_new": "the matching pass's scope: the involvements that started in its period",
    "involvement.file": "LOAD CSV, the benchmark's yardstick",
    "person.file": "LOAD CSV, the benchmark's yardstick",
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


def _fill_after_sampling_empty(db: Database, s: Any) -> set[str]:
    """Fill the graph on indexes sampled empty; return the indexes still unsampled after it. Should Neo4j sample
    them in the background before the fill is checked, the fill is made again, a few times."""
    for _ in range(5):
        wipe(db)
        sample_every_index(s)
        s.run(FILL).consume()
        s.run("CALL db.clearQueryCaches()").consume()
        if stale := unsampled(s):
            return stale
    return set()


WRITES = sorted(p.name[: -len(".cypher")] for p in (Path(__file__).parents[2] / "ingest" / "cypher").glob("*.cypher"))


def _statements() -> dict[str, tuple[str, dict[str, Any]]]:
    """Every statement planned here, by ``read:`` or ``write:`` and its name: its text and parameters."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for name in READS:
        q = get(name)
        out[f"read:{name}"] = (q.cypher, {k: VALUES[k] for k in q.params})
    for name in WRITES:
        if name in WIDE:
            continue
        text = statement(name)
        params = set(re.findall(r"\$([A-Za-z_]\w*)", re.sub(r"//[^\n]*", "", text)))
        missing = params - WRITE_VALUES.keys()
        assert not missing, f"{name}: give WRITE_VALUES a value for {sorted(missing)}"
        out[f"write:{name}"] = (text, {k: WRITE_VALUES[k] for k in params})
    return out


@pytest.fixture(scope="module")
def planned(db: Database) -> tuple[set[str], dict[str, list[str]]]:
    """The graph of :data:`FILL`, its indexes sampled when it was empty, and every statement's plan on it: the labels
    and types present, and the operators by statement. Neo4j samples the indexes again in the background some ten
    seconds after the fill; a plan made while it did is made again on a new fill, so every plan is made on stale
    statistics."""
    plans: dict[str, list[str]] = {}
    with db.driver.session(database=db.database) as s:
        stale = _fill_after_sampling_empty(db, s)
        assert stale, "the fill left no index unsampled"
        present = populated(s)
        fills = 1
        for key, (text, params) in _statements().items():
            while key not in plans:
                ops = operators(s.run("EXPLAIN " + text, params).consume().plan)
                if unsampled(s) == stale:
                    plans[key] = ops
                else:
                    assert fills < 20, "Neo4j sampled the indexes again faster than one statement is planned"
                    stale, fills = _fill_after_sampling_empty(db, s), fills + 1
                    assert stale, "the fill left no index unsampled"
    return present, plans


@pytest.mark.parametrize("name", READS)
def test_a_coach_or_household_read_seeks_its_start(planned: tuple[set[str], dict[str, list[str]]],
                                                   name: str) -> None:
    present, plans = planned
    ops = plans[f"read:{name}"]
    assert any(op.startswith(ID_SEEK) for op in ops), "\n".join(ops)
    assert not [op for op in ops if reads_all(op, present)], "\n".join(ops)


@pytest.mark.parametrize("name", [w for w in WRITES if w not in WIDE])
def test_a_statement_bringing_data_in_reads_only_what_it_names(planned: tuple[set[str], dict[str, list[str]]],
                                                               name: str) -> None:
    present, plans = planned
    ops = plans[f"write:{name}"]
    assert not [op for op in ops if reads_all(op, present)], "\n".join(ops)
