"""Every kind of the model loads from a file by a mapping alone (issue 17, parts 1 and 2).

A small synthetic municipality (``tests/fixtures/exports``) is loaded from an empty database with the example
mappings in ``mappings/`` only — no Python-made reference records: areas, the postcode → area table,
organisations with aliases, staff, a register extract without an area column, an involvement export naming
organisations by name, caseloads, then the coach-side kinds. Each file's planted bad rows must be reported with
row, column and value; a second run of a file that loaded whole says "already imported".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.db import Database
from graph.model import RECORD_KINDS
from ingest.mapping import load_mapping
from ingest.pipeline import IngestContext, ingest_file
from ingest.validate import Report
from tests.integration.ingest_helpers import graph_state
from tests.writers import STEWARD, session_audit

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
#: load order, and the problems each file must report: (row, column, value)
PLAN: dict[str, list[tuple[int, str, str]]] = {
    "gebieden": [],
    "postcodegebieden": [],
    "organisaties": [],
    "medewerkers": [],
    "brp_postcodegebied": [(6, "postcode", "7999 ZZ")],
    "vis2_op_naam": [(5, "instelling", "Stichting Onbekend")],
    "overdrachten": [],
    "caseload": [(4, "postcode + huisnummer", "7545 EF 9"), (5, "medewerker", "XX-9"), (6, "huishouden", "HH-ONBEKEND")],
    "clientsysteem": [(4, "postcode + huisnummer", "7545 EF 9")],
    "buren": [(3, "bsn", "")],
    "mantelzorg": [],
    "mandaten": [],
    "mandaathouders": [],
    "adviezen": [(3, "mandaat", "MAN-ONBEKEND")],
    "plannen": [],
    "doelen": [(4, "plannummer", "PLAN-3"), (5, "status", "bijna")],
    "afspraken": [],
    "participatieladder": [(4, "trede", "7")],
    "signalen": [],
    "toestemmingen": [],
    "overleggen": [(3, "deelnemers", "ZZ-99")],
}


def _ingest(ctx: IngestContext, stem: str) -> Report:
    return ingest_file(ctx, session_audit(), STEWARD, load_mapping(ROOT / "mappings" / f"{stem}.yaml"), EXPORTS / f"{stem}.csv")


@pytest.fixture(scope="module")
def ctx(db: Database) -> IngestContext:
    return IngestContext.from_settings(db, today=date(2010, 1, 1))


@pytest.fixture(scope="module")
def reports(ctx: IngestContext) -> dict[str, Report]:
    return {stem: _ingest(ctx, stem) for stem in PLAN}


def one(db: Database, cypher: str, **params: Any) -> dict[str, Any]:
    row = db.execute("t_kinds", cypher, params).first()
    assert row is not None
    return row


@pytest.mark.parametrize("stem", list(PLAN))
def test_each_export_loads_with_exactly_its_planted_problems(reports: dict[str, Report], stem: str) -> None:
    r = reports[stem]
    assert r.status == "loaded" and r.reconciles and not r.file_problems, r.to_text()
    got = {(p.row, p.column, p.value if p.column not in ("bsn",) else "") for p in r.problems}
    assert got == set(PLAN[stem]), r.to_text()
    assert r.rows_rejected == len({row for row, _, _ in PLAN[stem]})
    assert all(p.file == f"{stem}.csv" and p.reason for p in r.problems)


@pytest.mark.parametrize("stem", list(PLAN))
def test_each_export_again_is_already_imported(db: Database, ctx: IngestContext, reports: dict[str, Report],
                                              stem: str) -> None:
    """A file that loaded whole is "already imported"; one with rejected rows is checked again (the reference
    data its rows lacked may have come since), rejects the same rows and changes nothing in the graph."""
    before = graph_state(db)
    again = _ingest(ctx, stem)
    assert graph_state(db) == before, again.to_text()
    if not PLAN[stem]:
        assert again.status == "already_imported" and again.records_written == {}
        assert "already imported (same file hash)" in again.to_text()
        return
    assert again.status == "loaded" and again.rows_rejected == reports[stem].rows_rejected, again.to_text()
    assert {(p.row, p.column) for p in again.problems} == {(p.row, p.column) for p in reports[stem].problems}
    assert any("imported before with" in n and "checked again" in n for n in again.notes), again.notes


def test_every_kind_of_the_model_was_written(reports: dict[str, Report]) -> None:
    """None left out: every record kind of the model is written by some example export (referrals come from a
    spreadsheet: ``verwijzingen.xlsx.yaml``, loaded by test_ingest_resolution)."""
    written = {k for r in reports.values() for k in r.records_written}
    assert set(RECORD_KINDS) - {"referral"} <= written, set(RECORD_KINDS) - written


def test_register_extract_without_area_column_lands_in_the_postcode_tables_area(db: Database,
                                                                                 reports: dict[str, Report]) -> None:
    """The BRP export that could not be loaded at all: areas and postcodes come from files, a PC6 entry wins over
    its PC4, "hoofd" is a member role, an uncovered postcode is a reported problem."""
    rows = db.execute("t_hh", "MATCH (h:Household)-[:IN_AREA]->(a:Area) RETURN h.address_key AS k, a.code AS a, "
                      "h.area_code AS code, a.municipality AS m, a.kind AS kind ORDER BY k").rows
    assert rows == [{"k": "7545AB|12|", "a": "BWK", "code": "BWK", "m": "Enschede", "kind": "experiment"},
                    {"k": "7545CD|4|A", "a": "PTH", "code": "PTH", "m": "Enschede", "kind": "experiment"}]
    assert one(db, "MATCH (p:Postcode) RETURN collect(p.code) AS c")["c"].__len__() == 4
    roles = db.execute("t_roles", "MATCH (:Household)-[m:HAS_MEMBER]->() RETURN m.role AS r ORDER BY r").rows
    assert [r["r"] for r in roles] == ["hoofd", "hoofd", "kind", "partner"]
    bad = reports["brp_postcodegebied"].problems[0]
    assert "postcode → area table does not cover this postcode" in bad.reason


def test_involvements_name_organisations_by_name_and_new_staff_is_created(db: Database,
                                                                          reports: dict[str, Report]) -> None:
    rows = db.execute("t_inv", "MATCH (p:Professional)-[:PERFORMS]->(i:Involvement)-[:ON_BEHALF_OF]->(o) "
                      "RETURN i.id AS i, o.id AS o, p.id AS p ORDER BY i").rows
    assert [(r["i"], r["o"], r["p"]) for r in rows] == [("VIS2-5001", "ORG-SMD", "SMD-07"),
                                                        ("VIS2-5002", "ORG-TACTUS", "TAC-11"),
                                                        ("VIS2-5003", "ORG-DE-WOONPLAATS", "WP-03")]
    new = one(db, "MATCH (p:Professional {id: 'TAC-11'})-[w:WORKS_FOR]->(o) RETURN p.name AS n, p.function AS f, "
              "o.id AS o, w.since AS s, p.created_from_export AS c")
    assert (new["n"], new["f"], new["o"], new["s"].to_native(), new["c"]) == (
        "TAC-11", "casemanager verslavingszorg", "ORG-TACTUS", date(2008, 4, 1), True)
    # a registry professional is left as the registry loaded it
    assert one(db, "MATCH (p:Professional {id: 'SMD-07'}) RETURN p.name AS n")["n"] == "Anja Kamphuis"
    notes = reports["vis2_op_naam"].notes
    assert any("professionals created" in n and "TAC-11" in n and "SMD-07" not in n for n in notes), notes
    # the professionals a row names are not counted as written records (7 read as 7 new staff where none was new)
    assert "professional_stub" not in reports["vis2_op_naam"].records_written
    unmatched = [p for p in reports["vis2_op_naam"].problems if p.column == "instelling"]
    assert "matches no organisation's name or alias" in unmatched[0].reason
    assert one(db, "MATCH (o:Organisation {id: 'ORG-TACTUS'}) RETURN o.aliases AS a")["a"] == [
        "Tactus", "Tactus verslavingszorg"]


def test_caseload_assigns_households_to_the_coach(db: Database, reports: dict[str, Report]) -> None:
    rows = db.execute("t_cl", "MATCH (c:Professional {id: 'WC-01'})-[r:COACHES]->(h:Household) "
                      "RETURN h.address_key AS k, r.since AS s, r.until AS u ORDER BY k").rows
    assert [(r["k"], r["s"].to_native(), r["u"]) for r in rows] == [("7545AB|12|", date(2008, 9, 1), None),
                                                                    ("7545CD|4|A", date(2008, 10, 1), None)]


def test_coach_side_kinds_are_in_the_graph(db: Database, reports: dict[str, Report]) -> None:
    hh = "MATCH (h:Household {address_key: '7545AB|12|'}) "
    got = one(db, hh + "RETURN "
              "COUNT { (h)<-[:IN_CLIENT_SYSTEM]-() } AS client_system, "
              "COUNT { (h)-[:HAS_MEMBER]->()-[:NEIGHBOUR_OF]->() } AS neighbours, "
              "COUNT { (h)-[:HAS_MEMBER]->()<-[:INFORMAL_SUPPORT]-() } AS support, "
              "COUNT { (h)<-[:ABOUT]-(:Advice)-[:UNDER]->(:Mandate)<-[:HOLDS]-(:Professional {id: 'WC-01'}) } "
              "AS advice, "
              "COUNT { (h)-[:HAS_PLAN]->(:Plan)-[:HAS_GOAL]->(:Goal) } AS goals, "
              "COUNT { (h)-[:HAS_PLAN]->(:Plan)-[:HAS_AGREEMENT]->(:Agreement {kind: 'sanctie'}) } AS sanctions, "
              "COUNT { (h)-[:HAS_MEMBER]->()-[:HAS_SCORE]->(:LadderScore) } AS scores, "
              "COUNT { (h)<-[:ABOUT]-(:Signal {channel: 'buur'}) } AS signals, "
              "COUNT { (h)-[:HAS_MEMBER]->()-[:GAVE_CONSENT]->(:Consent)-[:TO]->(:Organisation) } AS consents, "
              "COUNT { (h)<-[:ABOUT]-(:Consultation)<-[:ATTENDED]-(:Professional) } AS attended")
    assert got == {"client_system": 2, "neighbours": 1, "support": 2, "advice": 1, "goals": 2, "sanctions": 1,
                   "scores": 2, "signals": 1, "consents": 2, "attended": 3}
    oma = one(db, hh + "MATCH (p:Person)-[c:IN_CLIENT_SYSTEM]->(h) WHERE c.relation = 'oma' "
              "RETURN p.birth_year AS y, p.gender AS g, c.since AS s")
    assert (oma["y"], oma["g"], oma["s"].to_native()) == (1944, "V", date(2008, 1, 1))
    advice = one(db, "MATCH (a:Advice {id: 'ADV-1'}) RETURN a.outcome AS o, a.date AS d")
    assert (advice["o"], advice["d"].to_native()) == ("adopted", date(2008, 10, 15))


def test_caseload_names_a_household_by_its_id(db: Database, ctx: IngestContext, reports: dict[str, Report],
                                              tmp_path: Path) -> None:
    hid = one(db, "MATCH (h:Household {address_key: '7545CD|4|A'}) RETURN h.id AS id")["id"]
    f = tmp_path / "caseload-by-id.csv"
    f.write_text(f"medewerker;huishouden;postcode;huisnummer;toevoeging;vanaf;tot\nSMD-07;{hid};;;;01-11-2008;\n")
    r = ingest_file(ctx, session_audit(), STEWARD, load_mapping(ROOT / "mappings" / "caseload.yaml"), f)
    assert (r.status, r.rows_loaded, r.rows_rejected) == ("loaded", 1, 0), r.to_text()
    row = one(db, "MATCH (:Professional {id: 'SMD-07'})-[r:COACHES]->(h:Household) RETURN h.id AS h, r.since AS s")
    assert (row["h"], row["s"].to_native()) == (hid, date(2008, 11, 1))


def test_a_household_spelled_two_ways_in_one_caseload_file_is_one_key(db: Database, ctx: IngestContext,
                                                                      reports: dict[str, Report],
                                                                      tmp_path: Path) -> None:
    """Observed: ``7554 GH`` open and ``7554GH`` ended, for one coach and household, both loaded as two COACHES
    edges, because duplicates were compared on the cells as written. They are one key: here a conflict (both
    rows rejected) and a duplicate (the second rejected), as when spelled alike."""
    mapping = replace(load_mapping(ROOT / "mappings" / "caseload.yaml"), name="caseload-spelling")
    f = tmp_path / "caseload-spelling.csv"
    f.write_text("medewerker;huishouden;postcode;huisnummer;toevoeging;vanaf;tot\n"
                 "WC-01;;7545 AB;12;;01-09-2008;\nWC-01;;7545ab;012;;01-09-2008;31-12-2008\n"
                 "WC-01;;7545CD;4;a;01-10-2008;\nWC-01;;7545 cd;4; A;01-10-2008;\n")
    edges = "MATCH (:Professional {id: 'WC-01'})-[r:COACHES]->(:Household) RETURN count(r) AS n"
    before = one(db, edges)["n"]
    r = ingest_file(ctx, session_audit(), STEWARD, mapping, f)
    assert sorted((p.row, p.code) for p in r.problems) == [
        (2, "conflicting_duplicate"), (3, "conflicting_duplicate"), (5, "duplicate_row")], r.to_text()
    assert (r.rows_loaded, r.rows_rejected) == (1, 3)
    assert one(db, edges)["n"] == before
    # each row's own key as written, its empty cells left out (the report named five columns and three values, and
    # gave both rows the later row's spelling); the column the rows differ in, not the key's (12 and 012 are one
    # number: one key)
    row2, row3 = (next(p for p in r.problems if p.row == n) for n in (2, 3))
    assert (row2.key, row3.key) == ("WC-01, 7545 AB, 12", "WC-01, 7545ab, 012")
    assert (row2.column, row2.value, row3.value) == ("tot", "''", "'31-12-2008'")
    assert row2.reason == "same key as row 3, which has tot '31-12-2008' (conflict: neither row is loaded)"


def test_caseload_row_gone_ends_the_assignment_with_on_missing_end(db: Database, ctx: IngestContext,
                                                                   reports: dict[str, Report],
                                                                   tmp_path: Path) -> None:
    """A caseload export without a household it had before: the coach stopped (``on_missing: end``)."""
    mapping = replace(load_mapping(ROOT / "mappings" / "caseload.yaml"), on_missing="end")
    f = tmp_path / "caseload-later.csv"
    f.write_text("medewerker;huishouden;postcode;huisnummer;toevoeging;vanaf;tot\nWC-01;;7545 AB;12;;01-09-2008;\n")
    r = ingest_file(replace(ctx, as_of=date(2009, 6, 30)), session_audit(), STEWARD, mapping, f)
    assert (r.status, r.rows_vanished, r.rows_ended) == ("loaded", 1, 1), r.to_text()
    rows = db.execute("t_cl_end", "MATCH (c:Professional)-[r:COACHES]->(h:Household) "
                      "RETURN c.id AS c, r.until AS u ORDER BY c, h.address_key").rows
    # 7545CD|4|A went to SMD-07 from 01-11-2008 (the file above): coach WC-01's assignment ended the day before
    assert [(x["c"], x["u"] and x["u"].to_native()) for x in rows] == [
        ("SMD-07", date(2009, 6, 30)), ("WC-01", None), ("WC-01", date(2008, 10, 31))]
    # the ledger keeps the export's date: the pages open on the latest one (queries/cypher/data_period.cypher)
    [entry] = db.execute("t_cl_as_of", "MATCH (i:Import {file_name: 'caseload-later.csv'}) RETURN i.as_of AS d").rows
    assert entry["d"].to_native() == date(2009, 6, 30)
