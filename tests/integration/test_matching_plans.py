"""The matching pass's statements look new involvements up by their id, however the rest of the graph looks.

Observed (bench/bench_matching.py, 4,000 rows on 3,200 households): right after the load the planner answered
``notice_scope`` with, for EVERY id, a scan of the ``Involvement(until)`` index filtered on the id (3.2 million
database hits, 6–15 s, where the id seek takes 0.1 s), because the statement's ``until IS NULL OR until >= …``
lets it plan each side of the OR from another index. The statements pin the id lookup; this test reads their plans
on a graph shaped like that one (open involvements and, beside them, many with an end date)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph.db import Database
from ingest.cypher import statement

#: Statements that look involvements up by id, with parameters of the shape the pass gives them.
LOOKUPS = {
    "notice_scope": {"ids": [f"I{n}" for n in range(4000)], "from": date(2024, 1, 1), "as_of": date(2026, 6, 30),
                     "at_start": False},
    "notice_households": {"households": [f"H{n}" for n in range(100)], "persons": [f"P{n}" for n in range(100)],
                          "parents": ["vader", "moeder"], "active_from": date(2024, 1, 1), "as_of": date(2026, 6, 30),
                          "from": date(2024, 1, 1)},
}
#: Operators that read a whole index or label instead of seeking the ids.
SCANS = ("NodeIndexScan", "NodeByLabelScan", "AllNodesScan", "NodeIndexContainsScan", "NodeIndexEndsWithScan")


@pytest.fixture(scope="module")
def shaped(db: Database) -> Database:
    make = ("UNWIND range($first, $last) AS n CREATE (i:Involvement {id: 'I' + n, since: date('2025-01-01') + "
            "duration({days: n % 365}), until: CASE WHEN n >= 3200 AND n % 5 = 0 THEN date('2026-03-01') END}) "
            "CREATE (i)-[:CONCERNS]->(:Person {id: 'P' + n})")
    with db.driver.session(database=db.database) as s:
        # the neighbourhood's open involvements, the index statistics taken (the until index is empty) …
        s.run(make, first=0, last=3199).consume()
        s.run("CALL db.resampleIndex('idx_involvement_until')").consume()
        # … then a load adds involvements, some ended, before the statistics are taken again
        s.run(make, first=3200, last=7199).consume()
        s.run("CALL db.clearQueryCaches()").consume()
    return db


def _operators(plan: Any) -> list[str]:
    out = [f"{plan.get('operatorType')} {plan.get('args', {}).get('Details', '')}"]
    for child in plan.get("children", []):
        out += _operators(child)
    return out


@pytest.mark.parametrize("name", sorted(LOOKUPS))
def test_the_id_lookups_seek_the_ids(shaped: Database, name: str) -> None:
    with shaped.driver.session(database=shaped.database) as s:
        summary = s.run("EXPLAIN " + statement(name), LOOKUPS[name]).consume()
    ops = [" ".join(op.split()) for op in _operators(summary.plan)]
    assert any(op.startswith("NodeUniqueIndexSeek") for op in ops), ops
    assert not [op for op in ops if op.split()[0].split("@")[0] in SCANS], ops
