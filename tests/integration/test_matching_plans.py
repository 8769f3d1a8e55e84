"""The matching statements seek the involvements by their id, however the rest of the graph looks.

Observed twice, right after a load, while the index statistics still described the graph before it:
- bench/bench_matching.py (4,000 rows on 3,200 households): ``notice_scope`` (the pass's first read when signals were
  stored at load time; ``notice_stamp`` looks the ids up the same way now) scanned the ``Involvement(until)``
  index for every id (3.2 million database hits, 6–15 s, where the id seek takes 0.1 s), because its
  ``until IS NULL OR until >= …`` let the planner plan each side of the OR from another index;
- bench/bench_ingest.py (5,000 rows on an empty graph), after a plain ``USING INDEX`` hint: a scan of the whole id
  index for every id (25 million database hits, 9–18 s).
- CI (stop 31) and here: the household read scanned the whole ``Involvement(since)`` index per household, or read a
  range of it per person (500,000 rows for 100 persons), when that index had been sampled nearly empty: its
  patterns tested the involvement's period, so the planner could start from that index and join.
The statements pin a seek (``USING INDEX SEEK``) or start from the bound node with patterns that test no property
of the node they reach (the period is tested on the list); this test reads their plans on graphs shaped like
those, with the statistics taken before the last writes, and refuses any index or label read but the id seek.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph.db import Database
from ingest.cypher import statement
from tests.conftest import wipe
from tests.plans import ID_SEEK, operators, populated, reads_all, sample_every_index

#: Statements that look involvements up by id, with parameters of the shape the pass gives them.
LOOKUPS = {
    "notice_stamp": {"ids": [f"I{n}" for n in range(4000)], "day": date(2026, 6, 30), "from": date(2024, 1, 1),
                     "to": date(2026, 6, 30)},
    "notice_households": {"households": [f"H{n}" for n in range(100)], "persons": [f"P{n}" for n in range(100)],
                          "parents": ["vader", "moeder"], "active_from": date(2024, 1, 1), "as_of": date(2026, 6, 30),
                          "from": date(2024, 1, 1)},
}


MAKE = ("UNWIND range($first, $last) AS n CREATE (i:Involvement {id: 'I' + n, since: date('2025-01-01') + "
        "duration({days: n % 365}), until: CASE WHEN n >= 3200 AND n % 5 = 0 THEN date('2026-03-01') END}) "
        "CREATE (i)-[:CONCERNS]->(:Person {id: 'P' + n})")


def _after_a_neighbourhood(s: Any) -> None:
    """A neighbourhood's open involvements, the index statistics taken (the until index empty); then a load adds
    involvements, some ended, before the statistics are taken again (bench_matching: a scan of the until index
    per id)."""
    s.run(MAKE, first=0, last=3199).consume()
    s.run("CALL db.resampleIndex('idx_involvement_until')").consume()
    s.run(MAKE, first=3200, last=7199).consume()


def _first_load(s: Any) -> None:
    """An empty graph's first load: 5,000 involvements at once, no statistics taken since (bench_ingest: with a
    plain USING INDEX hint, a scan of the whole id index per id — 25 million database hits)."""
    s.run("CALL db.resampleIndex('uniq_involvement_id')").consume()  # sampled empty, as on a new database
    s.run("CALL db.resampleIndex('idx_involvement_until')").consume()
    s.run(MAKE, first=0, last=4999).consume()


def _sampled_empty(s: Any) -> None:
    """Every index sampled on an empty graph, then 5,000 involvements: the statistics say the period indexes are
    empty, so reading one looks free (CI, stop 31: a scan of the whole Involvement(since) index per household; a
    run here: a range read of it per person, 500,000 rows for 100 persons)."""
    sample_every_index(s)
    s.run(MAKE, first=0, last=4999).consume()


@pytest.fixture(params=[_after_a_neighbourhood, _first_load, _sampled_empty],
                ids=["after_a_neighbourhood", "first_load", "sampled_empty"])
def shaped(db: Database, request: pytest.FixtureRequest) -> Database:
    wipe(db)
    with db.driver.session(database=db.database) as s:
        request.param(s)
        s.run("CALL db.clearQueryCaches()").consume()
    return db


@pytest.mark.parametrize("name", sorted(LOOKUPS))
def test_the_id_lookups_seek_the_ids(shaped: Database, name: str) -> None:
    with shaped.driver.session(database=shaped.database) as s:
        summary = s.run("EXPLAIN " + statement(name), LOOKUPS[name]).consume()
        present = populated(s)
    ops = operators(summary.plan)
    assert any(op.startswith(ID_SEEK) for op in ops), ops
    assert not [op for op in ops if reads_all(op, present)], "\n".join(ops)
