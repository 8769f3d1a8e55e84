"""Entity resolution against what the graph already holds (issue 3 follow-ups):

* households are matched on their address, so an export whose addresses exist in the demo links to the demo's
  ``HH-…`` households instead of failing on the ``address_key`` constraint;
* an accepted review item merges the two Person nodes (relationships moved with their properties), idempotently,
  and a re-import of either source row stays merged; a rejected pair is never proposed again;
* rows that vanished from a newer version of an export are reported, and ended with ``on_missing: end``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.db import Database
from ingest.loader import load_records
from ingest.mapping import Mapping, load_mapping, mapping_from_dict
from ingest.merge import accept, merge_persons, reject
from ingest.pipeline import IngestContext, ingest_file
from tests.fixtures.bad_inputs.corpus import BRP_HEADER, HERE
from tests.integration.ingest_helpers import graph_state, load_reference
from tests.writers import STEWARD, cli_steward, session_audit

ROOT = Path(__file__).resolve().parents[2]
BRP = load_mapping(HERE / "brp_names.yaml")
GGD = load_mapping(HERE / "ggd_register.yaml")
VIS2 = load_mapping(ROOT / "mappings" / "vis2_betrokkenheid.yaml")
VIS2_HEADER = "registratienummer;bsn;clientnummer;medewerker;instelling;functie;leefgebied;rol;startdatum;einddatum;" \
    "postcode;huisnummer;toevoeging"
BSN = ("918678250", "904196100", "946142269", "941086033")


def brp_row(bsn: str, name: str, *, client: str = "", nr: str = "40", role: str = "moeder",
            born: str = "01-02-1980", until: str = "") -> str:
    return ";".join((bsn, client, name, born, "V", "7533 AB", nr, "", "Oostveenweg", "Nieuwe Velve", role,
                     "01-01-2005", until, "De Woonplaats"))


def write(tmp: Path, name: str, header: str, *rows: str) -> Path:
    p = tmp / name
    p.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def one(db: Database, cypher: str, **params: Any) -> Any:
    row = db.execute("t_one", cypher, params).first()
    assert row is not None
    return row["n"]


@pytest.fixture(scope="module")
def ctx(db: Database) -> IngestContext:
    load_reference(db)
    return IngestContext.from_settings(db, today=date(2009, 1, 15), batch_size=3)


# --- 1. households resolved by address ---------------------------------------------------------------------
DEMO = [
    ("household", {"id": "HH-NVL-000001", "address_key": "7533AB|40|", "postcode": "7533AB", "house_number": 40,
                   "area_code": "NVL", "street": "Oostveenweg", "source": "synthetic"}),
    ("household", {"id": "HH-NVL-000002", "address_key": "7533AB|42|", "postcode": "7533AB", "house_number": 42,
                   "area_code": "NVL", "street": "Oostveenweg", "source": "synthetic"}),
    ("person", {"id": "P-DEMO-1", "birth_year": 1975, "source": "synthetic"}),
    ("membership", {"household_id": "HH-NVL-000001", "person_id": "P-DEMO-1", "role": "vader",
                    "since": date(2004, 1, 1), "source": "synthetic"}),
]


def test_export_at_demo_addresses_links_to_the_existing_households(db: Database, ctx: IngestContext,
                                                                   tmp_path: Path) -> None:
    load_records(db, DEMO)
    f = write(tmp_path, "brp-demo.csv", BRP_HEADER,
              brp_row(BSN[0], "Anja Smit", nr="40"),
              brp_row(BSN[1], "Kees Smit", nr="40", role="kind", born="01-02-2001"),
              brp_row(BSN[2], "Ria Bos", nr="42"),
              brp_row(BSN[3], "Tom Bos", nr="44", role="vader"))  # a new address: a new household
    r = ingest_file(ctx, session_audit(), STEWARD, BRP, f)
    assert (r.status, r.rows_loaded, r.rows_rejected) == ("loaded", 4, 0)
    rows = db.execute("t_hh", "MATCH (h:Household) OPTIONAL MATCH (h)-[m:HAS_MEMBER]->(p:Person) "
                      "RETURN h.address_key AS a, h.id AS id, count(m) AS members ORDER BY a").rows
    new_id = ctx.pseudo.household("7533AB|44|")
    assert rows == [{"a": "7533AB|40|", "id": "HH-NVL-000001", "members": 3},
                    {"a": "7533AB|42|", "id": "HH-NVL-000002", "members": 1},
                    {"a": "7533AB|44|", "id": new_id, "members": 1}]
    members = db.execute("t_mem", "MATCH (:Household {id: 'HH-NVL-000001'})-[m:HAS_MEMBER]->(p) "
                         "RETURN p.id AS p, m.source AS s ORDER BY s, p").rows
    assert [m["s"] for m in members] == ["BRP", "BRP", "synthetic"]
    assert {m["p"] for m in members} == {"P-DEMO-1", ctx.pseudo.person_from_bsn(BSN[0]),
                                         ctx.pseudo.person_from_bsn(BSN[1])}
    # the involvement export names only an address: it concerns the demo household, found by address
    v = write(tmp_path, "vis2-addr.csv", VIS2_HEADER,
              "501;;;PRO-1;Tactus Instelling voor Verslavingszorg;;Zorg;casemanager;01-03-2008;;7533 ab;42;",
              "502;;;PRO-2;SMD Enschede-Haaksbergen;;Zorg;casemanager;01-03-2008;;7533 AB;99;")
    r = ingest_file(ctx, session_audit(), STEWARD, VIS2, v)
    assert (r.rows_loaded, r.rows_rejected, dict(r.rejected_by_reason)) == (1, 1, {"unknown_reference": 1})
    # the address the steward loaded is theirs to see (docs/ingest.md: the cell as written): the value column of
    # the report and of the load page's table says it, as the key column does when the key holds it
    from app.ui import problem_rows

    assert r.problems[0].row == 3 and r.problems[0].value == "7533 AB 99"
    # the columns the address is written in, each by its name in the file (it was "postcode" alone)
    assert r.problems[0].column == "postcode + huisnummer"
    assert "7533 AB 99" in r.to_text() and "7533 AB 99" in r.to_csv()
    assert [(x["Rij"], x["Waarde"], x["Reden"]) for x in problem_rows(r.problems)] == [
        (3, "7533 AB 99", "huishouden op dit adres bestaat niet in de database (laad het eerst)")]
    assert one(db, "MATCH (:Involvement {id: 'VIS2-501'})-[:CONCERNS]->(h:Household) RETURN h.id AS n") \
        == "HH-NVL-000002"
    # loading the same export again under another mapping name changes nothing and adds no household
    state = graph_state(db)
    again = ingest_file(ctx, session_audit(), STEWARD, replace(BRP, name="test-brp-again"), f)
    assert again.status == "loaded" and again.records_written == {}
    assert graph_state(db) == state
    assert one(db, "MATCH (h:Household) RETURN count(h) AS n") == 3


# --- 2. review: accept merges, reject is remembered ---------------------------------------------------------
def test_accepting_a_duplicate_merges_the_persons(db: Database, ctx: IngestContext, tmp_path: Path) -> None:
    a = write(tmp_path, "merge-a.csv", BRP_HEADER, brp_row("", "Fenna de Vries", client="M-1", nr="50",
                                                           born="03-03-1990"))
    b = write(tmp_path, "merge-b.csv", BRP_HEADER, brp_row("", "fenna de  vries", client="M-77", nr="52",
                                                           born="03-03-1990", role="alleenstaande"))
    assert ingest_file(ctx, session_audit(), STEWARD, BRP, a).rows_loaded == 1
    rb = ingest_file(ctx, session_audit(), STEWARD, GGD, b)
    assert rb.review_added == 1
    pa = ctx.pseudo.person_from_source_id("BRP", "M-1")
    pb = ctx.pseudo.person_from_source_id("GGD", "M-77")
    keep, gone = sorted((pa, pb))  # no BSN on either side: the first of the pair survives
    load_records(db, [("person", {"id": "P-NEIGHBOUR", "source": "test"}),
                      ("neighbour", {"person_id": gone, "other_id": "P-NEIGHBOUR", "source": "test"}),
                      ("involvement", {"id": "INV-M", "professional_id": "PRO-1", "organisation_id": "ORG-TACTUS",
                                       "life_domain": "ZORG_HULPVERLENING", "role": "casemanager",
                                       "since": date(2008, 5, 1), "person_ids": [gone], "source": "test"})])
    rels = ("MATCH (p:Person {id: $id})-[r]-() RETURN count(r) AS n")
    assert (one(db, rels, id=keep), one(db, rels, id=gone)) == (1, 3)
    persons_before = one(db, "MATCH (p:Person) RETURN count(p) AS n")
    gone_member = db.execute("t_m", "MATCH (h)-[m:HAS_MEMBER]->(:Person {id: $id}) RETURN h.id AS h, "
                             "properties(m) AS m", {"id": gone}).first()
    assert gone_member is not None

    item = next(i for i in ctx.store.review_items("open") if {i.person_a, i.person_b} == {pa, pb})
    result = accept(db, session_audit(), STEWARD, ctx.store, item.id)
    assert (result.survivor, result.merged, result.moved, result.collapsed) == (
        keep, gone, {"<HAS_MEMBER": 1, "<CONCERNS": 1, "NEIGHBOUR_OF>": 1}, {})
    assert result.summary().startswith(f"{gone} merged into {keep}: 3 relationships moved")
    assert one(db, "MATCH (p:Person) RETURN count(p) AS n") == persons_before - 1
    assert one(db, "MATCH (p:Person {id: $id}) RETURN count(p) AS n", id=gone) == 0
    assert one(db, rels, id=keep) == 4
    moved = db.execute("t_m2", "MATCH (h {id: $h})-[m:HAS_MEMBER]->(:Person {id: $id}) RETURN properties(m) AS m",
                       {"h": gone_member["h"], "id": keep}).first()
    assert moved == {"m": gone_member["m"]}  # role, since and source 'GGD' kept exactly
    assert moved["m"]["source"] == ("GGD" if gone == pb else "BRP")
    assert one(db, "MATCH (i:Involvement {id: 'INV-M'})-[:CONCERNS]->(p) RETURN p.id AS n") == keep
    assert one(db, "MATCH (p:Person {id: $id}) RETURN p.merged_ids AS n", id=keep) == [gone]
    assert ctx.store.person_aliases()[gone] == keep
    assert ctx.store.review_item(item.id).status == "accepted"

    # idempotent: merging again does nothing; accepting again is refused
    state = graph_state(db)
    assert merge_persons(db, keep, gone).done is False
    assert graph_state(db) == state
    with pytest.raises(KeyError):
        accept(db, session_audit(), STEWARD, ctx.store, item.id)

    # a re-import of either source (changed files, so the ledger does not short-cut them) stays merged
    b2 = write(tmp_path, "merge-b2.csv", BRP_HEADER,
               brp_row("", "fenna de  vries", client="M-77", nr="52", born="03-03-1990", role="alleenstaande"),
               brp_row("", "Piet Jansen", client="M-78", nr="52", born="04-04-1988", role="partner"))
    a2 = write(tmp_path, "merge-a2.csv", BRP_HEADER,
               brp_row("", "Fenna de Vries", client="M-1", nr="50", born="03-03-1990"),
               brp_row("", "Joost Jansen", client="M-2", nr="50", born="05-05-1985", role="partner"))
    for mapping, f in ((GGD, b2), (BRP, a2)):
        r = ingest_file(ctx, session_audit(), STEWARD, mapping, f)
        assert (r.status, r.rows_loaded, r.review_added) == ("loaded", 2, 0)
    assert one(db, "MATCH (p:Person {id: $id}) RETURN count(p) AS n", id=gone) == 0
    assert one(db, "MATCH (p:Person) RETURN count(p) AS n") == persons_before - 1 + 2
    assert one(db, "MATCH ()-[m:HAS_MEMBER]->(:Person {id: $id}) RETURN count(m) AS n", id=keep) == 2
    assert [i.status for i in ctx.store.review_items() if gone in (i.person_a, i.person_b)] == ["accepted"]


def _proposed_pair(ctx: IngestContext, tmp_path: Path, name: str, born: str, clients: tuple[str, str],
                   numbers: tuple[str, str]) -> tuple[Any, str, str]:
    """Two persons alike (the same name and birth date, a BRP client number and a GGD one), proposed as a pair:
    (the review item, person a, person b)."""
    for (src, mapping), client, nr in zip((("BRP", BRP), ("GGD", GGD)), clients, numbers, strict=True):
        report = ingest_file(ctx, session_audit(), STEWARD, mapping, write(
            tmp_path, f"{client}.csv", BRP_HEADER, brp_row("", name, client=client, nr=nr, born=born)))
        assert report.rows_loaded == 1 and (src == "BRP" or report.review_added == 1)
    pa = ctx.pseudo.person_from_source_id("BRP", clients[0])
    pb = ctx.pseudo.person_from_source_id("GGD", clients[1])
    return next(i for i in ctx.store.review_items("open") if {i.person_a, i.person_b} == {pa, pb}), pa, pb


def test_rejecting_a_pair_is_remembered(db: Database, ctx: IngestContext, tmp_path: Path) -> None:
    item, pa, pb = _proposed_pair(ctx, tmp_path, "Sanne Meijer", "07-07-1977", ("R-1", "R-9"), ("60", "62"))
    state = graph_state(db)
    done = reject(session_audit(), STEWARD, ctx.store, item.id)
    assert (done.status, done.decided_by) == ("rejected", STEWARD.user)
    assert graph_state(db) == state  # nothing merged
    b2 = write(tmp_path, "rej-b2.csv", BRP_HEADER,
               brp_row("", "Sanne Meijer", client="R-9", nr="62", born="07-07-1977", until="01-01-2009"))
    r = ingest_file(ctx, session_audit(), STEWARD, GGD, b2)
    assert (r.rows_loaded, r.review_added) == (1, 0)
    assert [i.status for i in ctx.store.review_items() if {i.person_a, i.person_b} == {pa, pb}] == ["rejected"]


def test_a_pair_rejected_while_it_is_being_merged_is_not_merged(db: Database, ctx: IngestContext,
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An outside review clicked *Dezelfde persoon*, and during the 4 s merge *Verschillende personen* on the same
    pair: the page and the audit log said "rejected", yet the graph was merged (the accept merged first and
    recorded its decision after; the reject decided the open item in between). The accept now claims the item
    before it touches the graph: a reject in between is refused, and whichever decision wins, the graph says the
    same as the review list."""
    from graph.errors import WijknetError
    from ingest import merge

    item, pa, pb = _proposed_pair(ctx, tmp_path, "Noor Bakker", "08-08-1988", ("Q-1", "Q-9"), ("70", "72"))
    real = merge.merge_persons
    refused: list[Exception] = []

    def slow_merge(*args: Any, **kw: Any) -> Any:  # the second click lands while the graph is being merged
        try:
            reject(session_audit(), STEWARD, ctx.store, item.id)
        except (KeyError, WijknetError) as exc:
            refused.append(exc)
        return real(*args, **kw)

    monkeypatch.setattr(merge, "merge_persons", slow_merge)
    accept(db, session_audit(), STEWARD, ctx.store, item.id)
    assert refused, "the reject during the merge was refused"
    assert ctx.store.review_item(item.id).status == "accepted"
    persons = {r["id"] for r in db.execute("t_pair", "MATCH (p:Person) WHERE p.id IN $ids RETURN p.id AS id",
                                           {"ids": [pa, pb]}).rows}
    assert len(persons) == 1  # merged, as the list says


def test_a_failed_merge_leaves_the_pair_open(db: Database, ctx: IngestContext, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest import merge

    item, _, _ = _proposed_pair(ctx, tmp_path, "Iris Smit", "09-09-1999", ("F-1", "F-9"), ("80", "82"))

    def broken(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(merge, "merge_persons", broken)
    with pytest.raises(RuntimeError):
        accept(db, session_audit(), STEWARD, ctx.store, item.id)
    assert ctx.store.review_item(item.id).status == "open"  # can be decided again
    monkeypatch.undo()
    assert reject(session_audit(), STEWARD, ctx.store, item.id).status == "rejected"


# --- 3. vanished rows ---------------------------------------------------------------------------------------
def vis2(*rows: tuple[int, str]) -> str:
    """VIS2 rows (registration number, BSN) starting 01-03-2008, open."""
    return "\n".join(f"{n};{b};;PRO-1;Tactus Instelling voor Verslavingszorg;;Zorg;casemanager;01-03-2008;;;;"
                     for n, b in rows)


def vis2_mapping(name: str, on_missing: str) -> Mapping:
    import yaml

    data = yaml.safe_load((ROOT / "mappings" / "vis2_betrokkenheid.yaml").read_text(encoding="utf-8"))
    data.update(name=name, on_missing=on_missing)
    return mapping_from_dict(data)


@pytest.mark.parametrize("policy", ["report", "end"])
def test_vanished_rows_are_reported_and_ended_by_policy(db: Database, ctx: IngestContext, tmp_path: Path,
                                                        policy: str) -> None:
    m = vis2_mapping(f"vis2-vanish-{policy}", policy)
    base = 700 if policy == "report" else 800
    rows = [(base + i, BSN[i]) for i in range(4)]
    v1 = write(tmp_path, "v1.csv", VIS2_HEADER, vis2(*rows))
    r1 = ingest_file(ctx, session_audit(), STEWARD, m, v1)
    assert (r1.rows_loaded, r1.rows_vanished) == (4, 0)
    # version 2 lacks rows 1 and 3; its dry run already says so, and writes nothing
    v2 = write(tmp_path, "v2.csv", VIS2_HEADER, vis2(rows[0], rows[2]))
    dry = ingest_file(ctx, session_audit(), STEWARD, m, v2, dry_run=True)
    gone_keys = [f"involvement:VIS2-{base + 1}", f"involvement:VIS2-{base + 3}"]
    assert (dry.status, dry.rows_vanished, dry.vanished_keys) == ("validated", 2, gone_keys)
    as_of = date(2009, 2, 1)
    r2 = ingest_file(replace(ctx, as_of=as_of), session_audit(), STEWARD, m, v2)
    assert (r2.status, r2.rows_loaded, r2.rows_vanished, r2.vanished_keys) == ("loaded", 2, 2, gone_keys)
    assert r2.summary()["vanished_keys"] == gone_keys and r2.summary()["on_missing"] == policy
    text = r2.to_text()
    assert "rows missing since the previous import: 2" in text and f"VIS2-{base + 3}" in text
    until = {r["id"]: r["u"] and r["u"].to_native() for r in db.execute(
        "t_until", "MATCH (i:Involvement) WHERE i.id STARTS WITH $p RETURN i.id AS id, i.until AS u",
        {"p": f"VIS2-{base // 100}"}).rows}
    assert len(until) == 4  # nothing deleted
    if policy == "report":
        assert r2.rows_ended == 0 and set(until.values()) == {None}
    else:
        assert r2.rows_ended == 2 and "ended 2" in text
        assert until == {f"VIS2-{base}": None, f"VIS2-{base + 1}": as_of, f"VIS2-{base + 2}": None,
                         f"VIS2-{base + 3}": as_of}
        ledger = db.execute("t_ledger", "MATCH (i:Import) WHERE i.rows_ended IS NOT NULL AND i.mapping = $m "
                            "RETURN i.rows_vanished AS v, i.rows_ended AS e", {"m": m.name}).rows
        assert ledger == [{"v": 2, "e": 2}]
    # version 3 brings row 1 back (still open in the source): it is open again; row 3 stays missing
    v3 = write(tmp_path, "v3.csv", VIS2_HEADER, vis2(rows[0], rows[1], rows[2]))
    r3 = ingest_file(replace(ctx, as_of=date(2009, 3, 1)), session_audit(), STEWARD, m, v3)
    assert (r3.rows_vanished, r3.vanished_keys) == (0, [])  # compared with version 2, nothing is missing
    reopened = db.execute("t_re", "MATCH (i:Involvement {id: $id}) RETURN i.until AS u",
                          {"id": f"VIS2-{base + 1}"}).first()
    assert reopened == {"u": None}


def test_a_row_never_loaded_does_not_go_missing(db: Database, ctx: IngestContext, tmp_path: Path) -> None:
    """An outside review: a row rejected for naming a professional that does not exist, then left out of the
    corrected export, was reported as "missing since the previous import" — a row that was never loaded. Only rows
    that were loaded go missing; one loaded before and rejected since still does when it leaves the export."""
    m = vis2_mapping("vis2-never-loaded", "end")
    rows = [(640 + i, BSN[i]) for i in range(3)]
    bad = f"641;{BSN[1]};;PRO-ONBEKEND;Tactus Instelling voor Verslavingszorg;;Zorg;casemanager;01-03-2008;;;;"
    v1 = write(tmp_path, "n1.csv", VIS2_HEADER, "\n".join([vis2(rows[0]), bad, vis2(rows[2])]))
    r1 = ingest_file(ctx, session_audit(), STEWARD, m, v1)
    assert (r1.rows_loaded, r1.rows_rejected) == (2, 1), r1.to_text()
    v2 = write(tmp_path, "n2.csv", VIS2_HEADER, vis2(rows[0], rows[2]))  # the bad row taken out
    r2 = ingest_file(ctx, session_audit(), STEWARD, m, v2)
    assert (r2.rows_loaded, r2.rows_vanished, r2.vanished_keys) == (2, 0, [])
    # a row loaded before, rejected now (its professional misspelled), then gone: that one is missing
    misspelled = f"642;{BSN[2]};;PRO-ONBEKEND;Tactus Instelling voor Verslavingszorg;;Zorg;casemanager;01-03-2008;;;;"
    v3 = write(tmp_path, "n3.csv", VIS2_HEADER, "\n".join([vis2(rows[0]), misspelled]))
    assert ingest_file(ctx, session_audit(), STEWARD, m, v3).rows_vanished == 0
    v4 = write(tmp_path, "n4.csv", VIS2_HEADER, vis2(rows[0]))
    r4 = ingest_file(replace(ctx, end_most=True), session_audit(), STEWARD, m, v4)
    assert (r4.rows_vanished, r4.vanished_keys) == (1, ["involvement:VIS2-642"])


def test_membership_ended_when_its_row_vanishes(db: Database, ctx: IngestContext, tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((HERE / "brp_names.yaml").read_text(encoding="utf-8"))
    data.update(name="brp-vanish-end", on_missing="end")
    m = mapping_from_dict(data)
    f1 = write(tmp_path, "brp-v1.csv", BRP_HEADER, brp_row(BSN[0], "Anja Smit", nr="40"),
               brp_row("", "Lotte Smit", client="V-1", nr="40", role="kind", born="02-02-2003"))
    assert ingest_file(ctx, session_audit(), STEWARD, m, f1).rows_loaded == 2
    f2 = write(tmp_path, "brp-v2.csv", BRP_HEADER, brp_row(BSN[0], "Anja Smit", nr="40"))
    r = ingest_file(replace(ctx, as_of=date(2009, 4, 1)), session_audit(), STEWARD, m, f2)
    kid = ctx.pseudo.person_from_source_id("BRP", "V-1")
    assert (r.rows_vanished, r.rows_ended) == (1, 1)
    row = db.execute("t_mu", "MATCH (h:Household)-[m:HAS_MEMBER]->(:Person {id: $id}) RETURN h.id AS h, "
                     "m.until AS u, m.until_source AS s", {"id": kid}).first()
    assert row is not None
    assert (row["h"], row["u"].to_native(), row["s"]) == ("HH-NVL-000001", date(2009, 4, 1),
                                                          "missing from brp-vanish-end")


def test_an_export_without_rows_or_lacking_most_rows_ends_nothing(db: Database, ctx: IngestContext,
                                                                  tmp_path: Path) -> None:
    """Observed: a caseload export with its header only, under ``on_missing: end``, ended every assignment and was
    reported "loaded" (exit 0). An export without rows is refused as a file; one lacking more than half of the
    previous import's rows (at least ten) is refused too, unless the steward says they did end (``--end-most``)."""
    import app.cli  # noqa: F401 (the commands are imported through it)
    from app.commands.ingest import EXIT_FILE_REJECTED, exit_status

    m = vis2_mapping("vis2-vanish-most", "end")
    rows = [(950 + i, BSN[i % len(BSN)]) for i in range(24)]
    assert ingest_file(ctx, session_audit(), STEWARD, m, write(tmp_path, "m1.csv", VIS2_HEADER, vis2(*rows))
                       ).rows_loaded == 24
    open_now = "MATCH (i:Involvement) WHERE i.id STARTS WITH 'VIS2-9' AND i.until IS NULL RETURN count(i) AS n"
    assert one(db, open_now) == 24
    empty = tmp_path / "m0.csv"
    empty.write_text(VIS2_HEADER + "\n", encoding="utf-8")
    r0 = ingest_file(replace(ctx, as_of=date(2009, 2, 1)), session_audit(), STEWARD, m, empty)
    assert (r0.status, r0.rows_read, r0.rows_vanished, r0.rows_ended) == ("rejected", 0, 0, 0), r0.to_text()
    assert "no rows below its header" in r0.file_problems[0] and exit_status([r0]) == EXIT_FILE_REJECTED
    assert one(db, open_now) == 24
    few = write(tmp_path, "m2.csv", VIS2_HEADER, vis2(*rows[:4]))  # 20 of the 24 rows are missing
    for dry_run in (True, False):
        r = ingest_file(replace(ctx, as_of=date(2009, 2, 1)), session_audit(), STEWARD, m, few, dry_run=dry_run)
        assert (r.status, r.rows_loaded, r.rows_ended, r.rows_rejected) == ("rejected", 0, 0, 4), r.to_text()
        assert "lacks 20 of the 24 rows" in r.file_problems[0] and "--end-most" in r.file_problems[0]
        assert exit_status([r]) == EXIT_FILE_REJECTED
    assert one(db, open_now) == 24
    # they did end: said so, the same file loads and ends them (compared with the first import, not the refusals)
    r2 = ingest_file(replace(ctx, as_of=date(2009, 2, 1), end_most=True), session_audit(), STEWARD, m, few)
    assert (r2.status, r2.rows_loaded, r2.rows_vanished, r2.rows_ended) == ("loaded", 4, 20, 20), r2.to_text()
    assert one(db, open_now) == 4


def test_vanished_rows_are_not_ended_while_rows_cannot_be_keyed(db: Database, ctx: IngestContext,
                                                                tmp_path: Path) -> None:
    m = vis2_mapping("vis2-vanish-unkeyed", "end")
    rows = [(900 + i, BSN[i]) for i in range(3)]
    ingest_file(ctx, session_audit(), STEWARD, m, write(tmp_path, "u1.csv", VIS2_HEADER, vis2(*rows)))
    bad = "901;;;PRO-1;Tactus Instelling voor Verslavingszorg;;Zorg;casemanager;31-02-2008;;;;"  # impossible date
    r = ingest_file(ctx, session_audit(), STEWARD, m, write(tmp_path, "u2.csv", VIS2_HEADER, vis2(rows[0]), bad))
    assert (r.rows_loaded, r.rows_rejected, r.rows_vanished, r.rows_ended) == (1, 1, 2, 0)
    assert any("NOT ended" in n for n in r.notes)
    assert one(db, "MATCH (i:Involvement) WHERE i.id IN ['VIS2-901', 'VIS2-902'] AND i.until IS NOT NULL "
               "RETURN count(i) AS n") == 0


def test_cli_review_accept_merges_and_list_shows_it(db: Database, ctx: IngestContext, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli import app

    for mapping, client, nr in ((BRP, "C-1", "80"), (GGD, "C-2", "82")):
        f = write(tmp_path, f"{client}.csv", BRP_HEADER, brp_row("", "Ilse Kok", client=client, nr=nr,
                                                                 born="11-11-1981"))
        assert ingest_file(ctx, session_audit(), STEWARD, mapping, f).rows_loaded == 1
    pa = ctx.pseudo.person_from_source_id("BRP", "C-1")
    pb = ctx.pseudo.person_from_source_id("GGD", "C-2")
    item = next(i for i in ctx.store.review_items("open") if {i.person_a, i.person_b} == {pa, pb})
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", "review", "accept", str(item.id), "--as", cli_steward()])
    assert res.exit_code == 0, res.output
    assert f"Review item {item.id}: accepted. {item.person_b} merged into {item.person_a}: 1 relationship moved " \
        "(<HAS_MEMBER 1)." in res.output
    res = runner.invoke(app, ["ingest", "review", "list", "--status", "accepted", "--as", cli_steward()])
    assert "[accepted] by steward" in res.output and f"; {item.person_b} merged into {item.person_a}" in res.output
    res = runner.invoke(app, ["ingest", "review", "reject", str(item.id), "--as", cli_steward()])
    assert res.exit_code == 1 and f"Review item {item.id} does not exist or was already decided." in res.output
    res = runner.invoke(app, ["ingest", str(ROOT / "mappings" / "vis2_betrokkenheid.yaml"), "x.csv",
                              "--as-of", "15-13-2009", "--as", cli_steward()])
    assert res.exit_code == 2 and "'15-13-2009' is not a day of the calendar" in res.output, res.output


def test_synthetic_exports_load_into_the_demo_they_were_made_from(db: Database, tmp_path: Path) -> None:
    """The real scenario: the demo neighbourhood is in the graph, and the same neighbourhood arrives as register
    and VIS2 exports. Every household of the export is one the demo already has."""
    from ingest.exports import write_exports
    from ingest.synthetic import generate
    from tests.conftest import wipe

    wipe(db)
    load_records(db, generate(seed=7, households=12))
    households = one(db, "MATCH (h:Household) RETURN count(h) AS n")
    demo_ids = {r["id"] for r in db.execute("t_ids", "MATCH (h:Household) RETURN h.id AS id").rows}
    members = one(db, "MATCH ()-[m:HAS_MEMBER]->() RETURN count(m) AS n")
    out = write_exports(tmp_path / "exp", seed=7, households=12, errors=False)
    ctx = IngestContext.from_settings(db, today=date(2009, 1, 15))
    r = ingest_file(ctx, session_audit(), STEWARD, load_mapping(ROOT / "mappings" / "brp_huishoudens.yaml"), out["brp_huishoudens"])
    assert (r.status, r.rows_rejected) == ("loaded", 0) and r.rows_loaded > 0
    assert one(db, "MATCH (h:Household) RETURN count(h) AS n") == households  # no household added
    assert {r["id"] for r in db.execute("t_ids", "MATCH (h:Household) RETURN h.id AS id").rows} == demo_ids
    brp = one(db, "MATCH (h:Household)-[m:HAS_MEMBER {source: 'BRP'}]->() WHERE h.id STARTS WITH 'HH-' "
              "RETURN count(m) AS n")
    assert brp == r.rows_loaded and one(db, "MATCH ()-[m:HAS_MEMBER]->() RETURN count(m) AS n") == members + brp


def test_a_row_with_a_bad_cell_is_also_told_what_it_names_that_does_not_exist(ctx: IngestContext,
                                                                             tmp_path: Path) -> None:
    """A steward fixes a row once: its report names the bad cell *and* the organisation or professional that does
    not exist (by code, or by a name no organisation has), where it used to name the second only after the first
    was fixed and the file sent again. A staff code a mapping may create is not listed as created for a row that
    is not loaded."""
    staff = load_mapping(ROOT / "mappings" / "medewerkers.yaml")
    f = write(tmp_path, "medewerkers.csv", "personeelsnummer;naam;functie;instelling;in_dienst;uit_dienst;telefoon;wijkcoach",
              "SMD-90;Jan;maatschappelijk werker;ORG-NIET;2005-01-01;;;nee",  # bad date, unknown organisation
              "SMD-91;Piet;maatschappelijk werker;ORG-SMD;31-02-2005;;;nee",  # bad date only
              "SMD-92;Kees;maatschappelijk werker;ORG-OOK-NIET;01-01-2005;;;nee",  # unknown organisation only
              "SMD-93;Joke;maatschappelijk werker;smd enschede-haaksbergen;01-01-2005;;;nee")  # a name, not a code
    r = ingest_file(ctx, session_audit(), STEWARD, staff, f, dry_run=True)
    said = sorted((p.row, p.column, p.value, p.code) for p in r.problems)
    assert said == [(2, "in_dienst", "2005-01-01", "bad_date"), (2, "instelling", "ORG-NIET", "unknown_reference"),
                    (3, "in_dienst", "31-02-2005", "impossible_date"),
                    (4, "instelling", "ORG-OOK-NIET", "unknown_reference"),
                    (5, "instelling", "smd enschede-haaksbergen", "unknown_reference")], r.to_text()
    assert {p.key for p in r.problems if p.row == 2} == {"SMD-90"}
    assert r.rows_rejected == 4 and r.rows_read == 4
    [named] = [p.reason for p in r.problems if p.row == 5]
    assert "not an organisation's code but the name of ORG-SMD" in named and "match: name" in named, named
    assert "does not exist" in next(p.reason for p in r.problems if p.row == 4)

    by_name = load_mapping(ROOT / "mappings" / "vis2_op_naam.yaml")
    f = write(tmp_path, "vis2.csv", "registratienummer;bsn;medewerker;instelling;functie;leefgebied;rol;startdatum;"
              "einddatum",
              f"6001;{BSN[0]};NIEUW-1;Stichting Bestaat Niet;maatschappelijk werker;Inkomen;casemanager;"
              "01-13-2008;",  # a bad date and a name no organisation has
              f"6002;{BSN[1]};NIEUW-2;SMD Enschede-Haaksbergen;maatschappelijk werker;Inkomen;casemanager;"
              "01-03-2008;")
    r = ingest_file(ctx, session_audit(), STEWARD, by_name, f, dry_run=True)
    assert sorted((p.row, p.column, p.code) for p in r.problems) == [
        (2, "instelling", "unknown_reference"), (2, "startdatum", "impossible_date")], r.to_text()
    text = r.to_text()
    assert "NIEUW-2" in text and "NIEUW-1" not in text, text  # only the loaded row's new staff code is listed


def test_the_steward_judges_a_pair_by_birth_year_households_and_involvements(db: Database, ctx: IngestContext,
                                                                           tmp_path: Path) -> None:
    """A steward's walk (08-12-2026): *Dubbelen beoordelen* asked for an irreversible merge with two pseudonyms and
    their sources only. Per person the page now has the birth year, the households (address, role, since) and the
    involvements: what the steward also sees in the source files, never the name or BSN; read for the data roles
    only, and audited under each person and household shown."""
    from graph.errors import AccessDenied
    from queries.access import Actor, Role
    from queries.review import review_persons

    item, pa, pb = _proposed_pair(ctx, tmp_path, "Ilse Bakker", "12-12-1981", ("V-1", "V-9"), ("70", "72"))
    audit = session_audit()
    before = len(list(audit.records()))
    found = review_persons(db, audit, STEWARD, [item.person_a, item.person_b])
    assert set(found) == {pa, pb}
    for p in found.values():
        assert p.birth_year == 1981 and len(p.households) == 1 and p.involvements == 0
        assert p.households[0].address.endswith(("70", "72")) and p.households[0].since is not None
    assert found[pa].households[0].household_id != found[pb].households[0].household_id  # two addresses
    recs = list(audit.records())[before:]
    assert {r.target for r in recs if r.action == "view_review_persons"} >= {
        pa, pb, *(p.households[0].household_id for p in found.values())}
    assert {r.purpose for r in recs} == {"duplicate_review"}
    with pytest.raises(AccessDenied):
        review_persons(db, audit, Actor("lead", Role.PROJECT_LEAD, "Gemeente"), [pa])
