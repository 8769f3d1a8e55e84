"""The pages' query plans made in advance (``queries.warmup``): with the parameters, and the parameter types,
the pages really pass — Neo4j keeps a plan per query text and parameter types, so a sample of another type would
plan something no page asks for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.db import Database, Results
from queries import warmup
from queries.access import Actor, Role
from queries.audit import AuditLog
from queries.household import caseload, household_view, search_households
from queries.intake import caseload_counts, open_intakes
from queries.overview import overview
from queries.people import caseload_per_coach
from queries.triage import triaged_caseload
from queries.workspace import workspace
from tests.conftest import demo_database


@pytest.fixture(scope="module")
def demo(neo4j_db: Database) -> Database:
    return demo_database(neo4j_db, 2008, 634)


def _kinds(params: dict[str, Any]) -> dict[str, str]:
    """Each parameter's type as Neo4j would see it (a list by its elements' type)."""
    def kind(v: Any) -> str:
        if isinstance(v, list | tuple):
            return "list[" + ",".join(sorted({kind(x) for x in v})) + "]"
        return type(v).__name__
    return {k: kind(v) for k, v in params.items()}


def test_every_page_query_is_planned(demo: Database) -> None:
    took = warmup.warm_plans(demo)
    assert set(took) == set(warmup.PAGE_QUERIES)


def test_the_samples_have_the_types_the_pages_pass(demo: Database, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, list[dict[str, Any]]] = {}
    execute = Database.execute

    def recording(self: Database, name: str, cypher: str, params: Any = None, **kw: Any) -> Results:
        seen.setdefault(name, []).append(dict(params or {}))
        return execute(self, name, cypher, params, **kw)

    monkeypatch.setattr(Database, "execute", recording)
    audit = AuditLog(tmp_path / "audit.sqlite")
    row = demo.execute("t_coached", "MATCH (c:Professional)-[:COACHES]->(h:Household) "
                       "RETURN c.id AS c, h.id AS h ORDER BY h.id LIMIT 1").first()
    assert row is not None
    coach = Actor("coach", Role.COACH, "Wijkcoaches", row["c"])
    lead = Actor("lead", Role.PROJECT_LEAD, "Gemeente")
    caseload(demo, audit, coach)
    household_view(demo, audit, coach, row["h"])
    triaged_caseload(demo, audit, coach)
    search_households(demo, audit, coach, "7545")
    workspace(demo, audit, coach, row["h"])
    overview(demo)
    caseload_per_coach(demo, audit, lead)
    caseload_counts(demo, audit, lead)
    open_intakes(demo, audit, lead)
    asked = {name for name in seen if name in warmup.PAGE_QUERIES}
    assert len(asked) >= 12, sorted(asked)
    for name in asked:
        sample = _kinds(dict(warmup.PAGE_QUERIES[name]))
        kinds = [_kinds(p) for p in seen[name]]
        assert sample in kinds, f"{name}: the warm-up plans {sample}, the page passes {kinds}"


def test_warming_in_the_background_starts_once_per_database(demo: Database) -> None:
    warmup._started.discard((demo.uri, demo.database))
    first = warmup.warm_plans_in_background(demo)
    assert first is not None
    assert warmup.warm_plans_in_background(demo) is None
    first.join(timeout=120)
    assert not first.is_alive()


def test_a_query_that_cannot_be_planned_is_skipped_not_raised(demo: Database) -> None:
    took = warmup.warm_plans(demo, ["no_such_query", "org_names"])
    assert set(took) == {"org_names"}
