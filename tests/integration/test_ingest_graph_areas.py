"""A register extract names its areas as the municipality loaded them (an outside review: areas loaded with the
shipped *gebieden* mapping were refused by the shipped *brp-huishoudens* mapping — "unknown code (not in code list
'wijken')" — which knew only the demo's three names; every other municipality had to write its own mapping).

The area column takes an area's code or name as the graph holds them (any case), besides the mapping's own code
list; an area the graph does not hold is refused with a reason that says where areas come from. And a row with
an unknown area tells its other problems in the same report (its malformed postcode was said only once the area
was fixed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from graph.db import Database
from ingest.loader import load_records
from ingest.mapping import load_mapping
from ingest.pipeline import IngestContext, ingest_file
from tests.fixtures.bad_inputs.corpus import BRP_HEADER, BSNS
from tests.integration.ingest_helpers import load_reference
from tests.writers import STEWARD, session_audit

ROOT = Path(__file__).resolve().parents[2]
BRP = load_mapping(ROOT / "mappings" / "brp_huishoudens.yaml")


def _row(bsn: str, postcode: str, number: int, wijk: str) -> str:
    return f"{bsn};;Anna de Vries;05-07-1978;V;{postcode};{number};;Esstraat;{wijk};hoofd;01-01-2008;;"


def test_an_area_loaded_before_is_taken_by_its_code_or_name(db: Database, tmp_path: Path) -> None:
    load_reference(db)
    load_records(db, [("area", {"code": "ESM", "name": "Éschmarke", "kind": "experiment", "source": "test"})])
    ctx = IngestContext.from_settings(db, today=date(2009, 1, 15))
    f = tmp_path / "brp.csv"
    f.write_text("\n".join([BRP_HEADER,
                            _row(BSNS[0], "7545 ZA", 1, "ESM"),           # the code as loaded
                            _row(BSNS[1], "7545 ZA", 3, "éschmarke"),     # the name, in another case
                            _row(BSNS[2], "7545 ZA", 5, "Lindenhof"),     # the mapping's own code list
                            _row(BSNS[3], "7545 ZA", 7, "LDH"),           # a code the graph holds
                            _row(BSNS[4], "7545 ZA", 9, "Proefwijk"),     # no such area
                            _row(BSNS[5], "75450ZB", 11, "Proefwijk")]) + "\n", encoding="utf-8")
    report = ingest_file(ctx, session_audit(), STEWARD, BRP, f)
    assert (report.rows_loaded, report.rows_rejected) == (4, 2), report.to_text()
    areas = {r["code"]: r["n"] for r in db.execute(
        "t_areas", "MATCH (h:Household)-[:IN_AREA]->(a:Area) RETURN a.code AS code, count(h) AS n").rows}
    assert areas == {"ESM": 2, "LDH": 2}
    unknown = [p for p in report.problems if p.column == "wijk"]
    assert [p.row for p in unknown] == [6, 7]
    assert all("Proefwijk" in p.value and "no area in the database" in p.reason for p in unknown), unknown
    # the row with an unknown area says its malformed postcode in the same report
    assert [(p.row, p.column) for p in report.problems if p.column == "postcode"] == [(7, "postcode")], \
        report.problems
    assert "1234 AB" in next(p.reason for p in report.problems if p.column == "postcode")


def test_a_row_without_area_and_with_a_postcode_that_is_none_is_told_so(db: Database, tmp_path: Path) -> None:
    """Not "no area: the postcode → area table does not cover this postcode" for 75450ZB: it is no postcode."""
    ctx = IngestContext.from_settings(db, today=date(2009, 1, 15))
    f = tmp_path / "brp2.csv"
    f.write_text("\n".join([BRP_HEADER, _row(BSNS[6], "75450ZB", 13, "")]) + "\n", encoding="utf-8")
    report = ingest_file(ctx, session_audit(), STEWARD, BRP, f)
    assert [(p.column, p.value, p.reason) for p in report.problems] == [
        ("postcode", "75450ZB", "postcode is not of the form 1234 AB")]


def test_an_export_that_only_names_a_person_keeps_the_register_as_its_source(db: Database, tmp_path: Path) -> None:
    """An outside review: an involvement export for a person the BRP registered relabelled the person's source as
    VIS2, while the birth year and gender it kept were the register's."""
    ctx = IngestContext.from_settings(db, today=date(2009, 1, 15))
    f = tmp_path / "brp3.csv"
    f.write_text("\n".join([BRP_HEADER, _row(BSNS[7], "7545 ZA", 15, "ESM")]) + "\n", encoding="utf-8")
    assert ingest_file(ctx, session_audit(), STEWARD, BRP, f).rows_loaded == 1
    vis2 = load_mapping(ROOT / "mappings" / "vis2_betrokkenheid.yaml")
    g = tmp_path / "vis2.csv"
    g.write_text("registratienummer;bsn;clientnummer;medewerker;instelling;functie;leefgebied;rol;startdatum;einddatum\n"
                 f"77001;{BSNS[7]};;PRO-1;Tactus Instelling voor Verslavingszorg;;Zorg;casemanager;01-03-2008;\n",
                 encoding="utf-8")
    assert ingest_file(ctx, session_audit(), STEWARD, vis2, g).rows_loaded == 1
    person = db.execute("t_src", "MATCH (p:Person)<-[:CONCERNS]-(:Involvement {id: 'VIS2-77001'}) "
                        "RETURN p.source AS source, p.birth_year AS born").first()
    assert person == {"source": "BRP", "born": 1978}
