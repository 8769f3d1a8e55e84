"""Nothing reaches the graph with the wrong type, and the read side never crashes on a stored value that has one
(issue 17: a date given as a mapping constant was stored as a string and then crashed the coach page)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.db import Database
from ingest.loader import load_records
from ingest.mapping import mapping_from_dict
from ingest.pipeline import IngestContext, ingest_file
from queries.access import Actor, Role
from queries.analytics.household import (
    all_handovers,
    change_dates,
    coach_effect,
    double_casemanagers,
    gaps,
    handover_chains,
    household_counts,
    household_graph,
    overlaps,
    ping_pong,
    referrals_without_follow_up,
)
from queries.audit import AuditLog
from queries.household import household_view
from tests.household_records import AFTER, INTAKE, records
from tests.integration.ingest_helpers import load_reference
from tests.writers import STEWARD, session_audit

COACH1 = Actor("coach1", Role.COACH, "Wijkcoaches", "PR-COACH-1")


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    load_reference(db)
    return db


def test_a_date_constant_is_stored_as_a_date(loaded: Database, tmp_path: Path) -> None:
    mapping = mapping_from_dict({
        "name": "brp-constant-since", "kind": "household_composition", "source": "BRPC",
        "format": {"type": "csv", "delimiter": ";"}, "key": ["clientnummer"],
        "fields": {"person_source_id": "clientnummer", "postcode": "postcode", "house_number": "huisnummer",
                   "area_code": {"constant": "NVL"}, "role": {"constant": "hoofd"},
                   "since": {"constant": "2024-01-01"}}})
    f = tmp_path / "brp.csv"
    f.write_text("clientnummer;postcode;huisnummer\nC-1;7533 ZZ;3\n")
    r = ingest_file(IngestContext.from_settings(loaded, today=date(2025, 1, 1)), session_audit(), STEWARD, mapping, f)
    assert r.status == "loaded" and r.rows_loaded == 1, r.to_text()
    row = loaded.execute("t_since", "MATCH (h:Household {address_key: '7533ZZ|3|'})-[m:HAS_MEMBER]->() "
                         "RETURN m.since AS since, m.role AS role").first()
    assert row is not None and row["role"] == "hoofd"
    assert row["since"].to_native() == date(2024, 1, 1)  # a date, not the text "2024-01-01"


def test_household_with_wrongly_typed_stored_values_opens_and_reports_them(loaded: Database, tmp_path: Path) -> None:
    # what an old load (or a hand edit) may have left: text where dates and numbers belong
    loaded.execute("t_corrupt", """
        MATCH (h:Household {id: 'HH-T1'})-[m:HAS_MEMBER]->(p:Person {id: 'F'}) SET m.since = '2000-01-01'
        WITH count(*) AS n MATCH (i:Involvement {id: 'I01'}) SET i.since = '01-01-2008'
        WITH count(*) AS n MATCH (i:Involvement {id: 'I02'}) SET i.until = 'onbekend'
        WITH count(*) AS n MATCH (a:Agreement {id: 'A1'}) SET a.date = 'gisteren'
        WITH count(*) AS n MATCH (:Person {id: 'F'})-[:HAS_SCORE]->(s:LadderScore)
        WITH s ORDER BY s.id LIMIT 1 SET s.rung = 'drie'
        """, write=True)
    view = household_view(loaded, AuditLog(tmp_path / "audit.sqlite"), COACH1, "HH-T1")
    # everything the coach page computes from the view
    household_counts(view.involvements, AFTER, [m.id for m in view.members(AFTER)])
    coach_effect(view.involvements, INTAKE, AFTER)
    overlaps(view.involvements, AFTER)
    double_casemanagers(view.involvements, AFTER)
    household_graph(view.household.id, view.people, view.involvements, view.coaches)
    household_graph(view.household.id, view.people, view.involvements, view.coaches, as_of=AFTER)
    ping_pong(handover_chains(all_handovers(view.involvements, view.handovers, 30)), view.involvements)
    gaps(view.involvements)
    referrals_without_follow_up(view.referrals, AFTER, 30)
    change_dates(view.involvements, view.people, view.coaches)
    problems = "\n".join(view.data_problems)
    assert len(view.data_problems) == 4, problems
    assert "'onbekend'" in problems and "'gisteren'" in problems
    assert "'drie'" in problems
    # I01's text start date cannot be compared with its member's period, so the page's query leaves it out
    # (Cypher compares text and dates as null): the page opens without it
    assert "I01" not in {i.id for i in view.involvements} and "I02" in {i.id for i in view.involvements}
    # an ISO date stored as text is still understood (and reported); what is not a date is shown as unknown
    father = next(p for p in view.people if p.id == "F")
    assert father.since == date(2000, 1, 1) and "'2000-01-01'" in problems
