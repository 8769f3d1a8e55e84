"""The home page's overview (``queries.overview``) at region size: the same figures as a scan of every
involvement, read from indexes and the count store instead (a scan took minutes cold at 800,000 households,
bench/results/s7)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph.db import Database
from queries.overview import overview
from queries.registry import get
from tests.conftest import demo_database

#: what data_period computed before: every involvement read
SCAN = ("MATCH (i:Involvement) RETURN min(i.since) AS first_since, max(coalesce(i.until, i.since)) AS last_date, "
        "count(i) AS involvements, count(CASE WHEN i.until IS NULL THEN 1 END) AS open_involvements")

#: operators that visit every node of a label (or of the graph)
SCANS = ("NodeByLabelScan", "AllNodesScan")


#: what areas_overview computed before: every household of an area visited
AREAS_SCAN = ("MATCH (a:Area) OPTIONAL MATCH (h:Household)-[:IN_AREA]->(a) WITH a, count(h) AS households "
              "OPTIONAL MATCH (:Professional)-[r:COACHES]->(ch:Household)-[:IN_AREA]->(a) "
              "WHERE coalesce(r.since, $day) <= $day AND coalesce(r.until, $day) >= $day "
              "RETURN a.code AS code, households, count(DISTINCT ch) AS coached_households ORDER BY code")


def _areas(db: Database) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    ov = overview(db)
    scan = [(r["code"], r["households"], r["coached_households"])
            for r in db.execute("t_areas", AREAS_SCAN, {"day": ov.coached_on}).rows]
    return sorted((r["code"], r["households"], r["coached_households"]) for r in ov.areas), scan


def _native(row: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v.to_native() if hasattr(v, "to_native") else v for k, v in (row or {}).items()}


def _operators(plan: Any, details: bool = False) -> list[str]:
    op = str(plan.get("operatorType", "")).split("@")[0]
    out = [f"{op} {plan.get('args', {}).get('Details', '')}" if details else op]
    for child in plan.get("children", []):
        out += _operators(child, details)
    return out


@pytest.fixture(scope="module")
def demo(neo4j_db: Database) -> Database:
    return demo_database(neo4j_db, 2008, 634)


def test_the_period_is_the_one_a_scan_finds(demo: Database) -> None:
    scan = _native(demo.execute("t_scan", SCAN).first())
    ov = overview(demo)
    assert scan["involvements"] > 100 and 0 < scan["open_involvements"] < scan["involvements"]
    assert (ov.first_date, ov.last_date, ov.involvements, ov.open_involvements) == (
        scan["first_since"], scan["last_date"], scan["involvements"], scan["open_involvements"])


def test_the_areas_count_what_visiting_every_household_counts(demo: Database) -> None:
    areas, scan = _areas(demo)
    assert areas == scan
    assert sum(n for _, n, _ in areas) > 600 and sum(c for _, _, c in areas) > 0


def test_the_last_date_may_be_a_start(db: Database) -> None:
    """An open involvement that started after every end: the last date is its start (coalesce(until, since))."""
    db.execute("t_make", "CREATE (:Involvement {id: 'T-1', since: date('2010-01-01'), until: date('2010-06-30')}), "
               "(:Involvement {id: 'T-2', since: date('2011-03-01')}), (:Involvement {id: 'T-3'})", write=True)
    ov = overview(db)
    assert (ov.first_date, ov.last_date, ov.involvements, ov.open_involvements) == (
        date(2010, 1, 1), date(2011, 3, 1), 3, 2)
    assert _native(db.execute("t_scan", SCAN).first())["last_date"] == date(2011, 3, 1)


def test_the_data_run_on_to_the_latest_export_s_date(db: Database) -> None:
    """A municipality's live exports: the involvements' last start two years back, the files made (and loaded)
    today. The pages opened on that last start, when no coach was at work yet (a walk of 06-12-2026 saw 0
    coached households there beside 30 on the intake page); the latest export's date (``--as-of``, by default
    the load's day) is the data's last day. A file still loading, the demo's ledger and an older export do not
    move it."""
    db.execute("t_make", "CREATE (:Involvement {id: 'T-EXP', since: date('2024-12-01')}), "
               "(:Import {file_hash: 'a', kind: 'file', completed: true, as_of: date('2026-11-30')}), "
               "(:Import {file_hash: 'b', kind: 'file', completed: true, as_of: date('2026-12-06')}), "
               "(:Import {file_hash: 'c', kind: 'file', completed: false, as_of: date('2026-12-07')}), "
               "(:Import {file_hash: 'd', kind: 'synthetic', completed: true, as_of: date('2026-12-08')})",
               write=True)
    assert overview(db).last_date == date(2026, 12, 6)
    db.execute("t_old", "MATCH (x:Import) WHERE x.file_hash <> 'c' SET x.as_of = date('2012-12-31')", write=True)
    assert overview(db).last_date == date(2024, 12, 1)  # an archived export: its own facts are later
    db.execute("t_clean", "MATCH (n) WHERE n:Import OR n.id = 'T-EXP' DETACH DELETE n", write=True)


def test_the_period_reads_no_involvement(db: Database) -> None:
    with db.driver.session(database=db.database) as s:
        plan = s.run("EXPLAIN " + get("data_period").cypher).consume().plan
    ops = _operators(plan)
    assert not [op for op in ops if op in SCANS], ops
    assert "NodeCountFromCountStore" in ops, ops


def test_an_areas_postcodes_are_not_its_households(db: Database) -> None:
    """Postcodes lie in areas too: their IN_AREA edges are not counted as households; a household coached by two
    coaches counts once."""
    db.execute("t_make", """
        CREATE (a:Area {code: 'A', name: 'A', kind: 'wijk'}), (b:Area {code: 'B', name: 'B', kind: 'wijk'}),
               (:Area {code: 'C', name: 'C', kind: 'wijk'}), (c1:Professional {id: 'C1'}), (c2:Professional {id: 'C2'}),
               (h1:Household {id: 'H1'})-[:IN_AREA]->(a), (h2:Household {id: 'H2'})-[:IN_AREA]->(a),
               (:Household {id: 'H3'})-[:IN_AREA]->(a), (:Household {id: 'H4'})-[:IN_AREA]->(b),
               (h5:Household {id: 'H5'})-[:IN_AREA]->(b),
               (:Postcode {code: '7500AA'})-[:IN_AREA]->(a), (:Postcode {code: '7500AB'})-[:IN_AREA]->(a),
               (:Postcode {code: '7500AC'})-[:IN_AREA]->(a), (:Postcode {code: '7500AD'})-[:IN_AREA]->(b),
               (c1)-[:COACHES]->(h1), (c2)-[:COACHES]->(h1), (c1)-[:COACHES]->(h2), (c2)-[:COACHES]->(h5)
        """, write=True)
    areas, scan = _areas(db)
    assert areas == scan == [("A", 3, 2), ("B", 2, 1), ("C", 0, 0)]
    # Observed: the overview said 72 households with a coach where the caseload pages said 59: every assignment
    # ever made counted. Only one running on the day counts (the data's last day, as the caseload page opens).
    db.execute("t_ended", "MATCH (:Professional {id: 'C2'})-[r:COACHES]->(:Household {id: 'H5'}) "
               "SET r.since = date('2008-09-01'), r.until = date('2009-12-31')", write=True)
    db.execute("t_later", "MATCH (c:Professional {id: 'C1'}), (h:Household {id: 'H3'}) "
               "CREATE (c)-[:COACHES {since: date() + duration('P1D')}]->(h)", write=True)
    assert sorted((r["code"], r["households"], r["coached_households"]) for r in overview(db).areas) == [
        ("A", 3, 2), ("B", 2, 0), ("C", 0, 0)]
    assert overview(db).coached_on == overview(db).last_date == date(2011, 3, 1)  # the data's last day


def test_the_areas_visit_no_household(db: Database) -> None:
    """The plan is fixed by its hints, whatever the statistics (here an almost empty graph): the postcodes and the
    coaches are scanned, and nothing walks from an area to all its households."""
    with db.driver.session(database=db.database) as s:
        plan = s.run("EXPLAIN " + get("areas_overview").cypher).consume().plan
    ops = _operators(plan, details=True)
    assert {"NodeByLabelScan a:Area", "NodeByLabelScan p:Postcode", "NodeByLabelScan c:Professional"} <= set(ops), ops
    assert not [op for op in ops if "Expand(All) (a)" in op or "OptionalExpand" in op], ops
