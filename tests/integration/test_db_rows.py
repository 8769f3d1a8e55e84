"""Rows come back exactly as the driver's ``Record.data()`` would give them (``graph.db.plain`` is a faster
equivalent): nodes, relationships and paths at any depth, nested lists and maps, temporal and spatial values."""

from __future__ import annotations

from graph.db import Database, plain

_QUERY = """
CREATE p = (a:RowsProbe {name: 'a', n: 1})-[r:ROWS_PROBE {w: 2}]->(b:RowsProbe {name: 'b', born: date('1980-02-01')})
RETURN a, r, p, [a, {rel: r, nested: [b, 1, 'x', null]}] AS mixed, {when: datetime('2011-05-04T10:00:00Z'),
       where: point({x: 1.0, y: 2.0}), long: duration('P1DT2H'), at: time('10:00:00+01:00')} AS values,
       [1, [2, [3]]] AS deep, null AS nothing, 1.5 AS number, true AS yes
"""


def test_plain_rows_equal_record_data(db: Database) -> None:
    with db.driver.session(database=db.database) as s:
        tx = s.begin_transaction()
        try:
            record = tx.run(_QUERY).single()
            assert record is not None
            expected = record.data()
            got = {k: plain(v) for k, v in zip(record.keys(), record.values(), strict=True)}
        finally:
            tx.rollback()
    assert got == expected
    assert got["p"][0] == {"name": "a", "n": 1} and got["r"][1] == "ROWS_PROBE"
    assert [type(v) for v in got["values"].values()] == [type(v) for v in expected["values"].values()]


def test_execute_returns_plain_rows(db: Database) -> None:
    rows = db.execute("t_rows", "RETURN {d: date('2010-01-02'), l: [1, {m: 'x'}]} AS v, 'y' AS s").rows
    assert rows == [{"v": {"d": rows[0]["v"]["d"], "l": [1, {"m": "x"}]}, "s": "y"}]
    assert str(rows[0]["v"]["d"]) == "2010-01-02"


def test_execute_all_is_all_or_nothing_and_names_a_constraint_failure(db: Database) -> None:
    """Pipelined statements of one transaction: a uniqueness failure in the middle rolls back the ones before it
    and surfaces as ConstraintViolated (a QueryFailed) without the offending value."""
    import pytest

    from graph.errors import ConstraintViolated, QueryFailed

    db.execute("t_seed", "MERGE (h:Household {id: 'HH-PIPE-1'})", write=True)
    stmts = [("a", "CREATE (:Household {id: 'HH-PIPE-2'})", {}, True),
             ("b", "UNWIND $ids AS id CREATE (:Household {id: id})", {"ids": ["HH-PIPE-3", "HH-PIPE-1"]}, True),
             ("c", "CREATE (:Household {id: 'HH-PIPE-4'})", {}, True)]
    with pytest.raises(ConstraintViolated) as err:
        db.execute_all("pipe", stmts)
    assert isinstance(err.value, QueryFailed) and "HH-PIPE" not in str(err.value)
    row = db.execute("t_pipe", "MATCH (h:Household) WHERE h.id STARTS WITH 'HH-PIPE' RETURN count(h) AS n").first()
    assert row == {"n": 1}
    db.execute_all("pipe", [stmts[0], stmts[2]])
    row = db.execute("t_pipe", "MATCH (h:Household) WHERE h.id STARTS WITH 'HH-PIPE' RETURN count(h) AS n").first()
    assert row == {"n": 3}
