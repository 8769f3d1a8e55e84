"""Loading behaviour T18–T20: the ledger, exact change updates (incl. ended involvements), transient errors
retried without duplicates, concurrent imports of overlapping files; plus the CLI end to end."""

from __future__ import annotations

import random
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from graph.db import Database
from ingest.mapping import load_mapping
from ingest.pipeline import IngestContext, ingest_file
from tests.fixtures.bad_inputs.corpus import BRP_HEADER, HERE
from tests.integration.ingest_helpers import graph_state, load_reference
from tests.writers import STEWARD, cli_steward, session_audit

ROOT = Path(__file__).resolve().parents[2]
VIS2 = load_mapping(ROOT / "mappings" / "vis2_betrokkenheid.yaml")
BRP = load_mapping(HERE / "brp_names.yaml")
VIS2_HEADER = "registratienummer;bsn;clientnummer;medewerker;instelling;functie;leefgebied;rol;startdatum;einddatum"


def bsns(n: int, seed: int = 1) -> list[str]:
    from ingest.synthetic.people import fictional_bsn

    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        b = fictional_bsn(rng)
        if b not in out:
            out.append(b)
    return out


def vis2_rows(n: int, changes: dict[int, tuple[str, str]] | None = None, start: int = 1000) -> str:
    lines = [VIS2_HEADER]
    for i, b in enumerate(bsns(n)):
        domain, until = (changes or {}).get(i, ("Zorg", ""))
        org, pro = (("Tactus Instelling voor Verslavingszorg", "PRO-1") if i % 2 else
                    ("SMD Enschede-Haaksbergen", "PRO-2"))
        lines.append(f"{start + i};{b};;{pro};{org};casemanager;{domain};casemanager;01-0{1 + i % 9}-2008;{until}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def ctx(db: Database) -> IngestContext:
    load_reference(db)
    return IngestContext.from_settings(db, today=date(2009, 1, 15), batch_size=7)


def test_t18_same_file_twice_then_three_changed_rows(db: Database, ctx: IngestContext, tmp_path: Path) -> None:
    f = tmp_path / "vis2.csv"
    f.write_text(vis2_rows(20))
    first = ingest_file(ctx, session_audit(), STEWARD, VIS2, f)
    assert (first.status, first.rows_loaded, first.records_written) == ("loaded", 20,
                                                                        {"person": 20, "involvement": 20})
    state = graph_state(db)
    second = ingest_file(ctx, session_audit(), STEWARD, VIS2, f)
    assert (second.status, second.records_written, second.rows_loaded) == ("already_imported", {}, 20)
    assert "already imported (same file hash)" in second.to_text()
    assert graph_state(db) == state
    changed = tmp_path / "vis2-v2.csv"
    changed.write_text(vis2_rows(20, {3: ("Zorg", "31-12-2008"), 4: ("Zorg", "15-01-2009"),
                                      5: ("Justitie", "")}))
    third = ingest_file(ctx, session_audit(), STEWARD, VIS2, changed)
    assert (third.status, third.records_written, third.records_unchanged) == ("loaded", {"involvement": 3}, 37)
    rows = db.execute("t_inv", "MATCH (i:Involvement) WHERE i.id IN ['VIS2-1003', 'VIS2-1004', 'VIS2-1005'] "
                      "RETURN i.id AS id, i.until AS until, i.life_domain AS d ORDER BY id").rows
    assert [(r["id"], r["until"] and r["until"].to_native(), r["d"]) for r in rows] == [
        ("VIS2-1003", date(2008, 12, 31), "ZORG_HULPVERLENING"),
        ("VIS2-1004", date(2009, 1, 15), "ZORG_HULPVERLENING"),
        ("VIS2-1005", None, "VEILIGHEID_JUSTITIE"),
    ]
    n = db.execute("t_cnt", "MATCH (i:Involvement)-[:CONCERNS]->(p:Person) RETURN count(*) AS n, "
                   "count(DISTINCT p) AS p").first()
    assert n == {"n": 20, "p": 20}


def test_the_import_history_lists_the_files_latest_first_for_the_steward_only(db: Database, ctx: IngestContext,
                                                                            tmp_path: Path) -> None:
    """After the test above (vis2.csv, then vis2-v2.csv; the second load of vis2.csv was "already imported" and
    wrote nothing): the steward's import history, latest first, with the ledger's counts; a coach is refused,
    both audited."""
    from graph.errors import AccessDenied
    from queries.access import Actor, Role
    from queries.imports import import_history

    runs = import_history(db, session_audit(), STEWARD)
    assert [(r.file, r.mapping, r.rows_read, r.rows_loaded, r.rows_rejected, r.completed) for r in runs[:2]] == [
        ("vis2-v2.csv", VIS2.name, 20, 20, 0, True), ("vis2.csv", VIS2.name, 20, 20, 0, True)]
    assert runs[0].completed_at is not None and runs[0].started_at is not None and runs[0].as_of is not None
    assert runs[0].completed_at >= runs[1].completed_at  # type: ignore[operator]
    assert len(import_history(db, session_audit(), STEWARD, limit=1)) == 1
    coach = Actor("coach9", Role.COACH, "Wijkcoaches", professional_id="PRO-9", access_point="test")
    with pytest.raises(AccessDenied):
        import_history(db, session_audit(), coach)
    seen = [(r.user, r.action, r.result) for r in session_audit().records() if r.action == "view_imports"]
    assert seen[-1] == ("coach9", "view_imports", "denied") and ("steward", "view_imports", "ok") in seen


def test_involvement_person_is_the_register_person(db: Database, ctx: IngestContext, tmp_path: Path) -> None:
    """Same BSN from two sources is one Person, and the involvement stub keeps the register's birth year."""
    b = bsns(1)[0]
    f = tmp_path / "brp.csv"
    f.write_text(BRP_HEADER + "\n" + ";".join((b, "", "Anja Smit", "01-02-1980", "V", "7533 AB", "40", "",
                                               "Oostveenweg", "Nieuwe Velve", "moeder", "01-01-2005", "",
                                               "De Woonplaats")) + "\n")
    r = ingest_file(ctx, session_audit(), STEWARD, BRP, f)
    assert r.rows_loaded == 1
    pid = ctx.pseudo.person_from_bsn(b)
    row = db.execute("t_p", "MATCH (p:Person {id: $id}) OPTIONAL MATCH (p)<-[:CONCERNS]-(i:Involvement) "
                     "RETURN p.birth_year AS y, count(i) AS inv, COUNT { (p)<-[:HAS_MEMBER]-() } AS hh",
                     {"id": pid}).first()
    assert row == {"y": 1980, "inv": 1, "hh": 1}


def test_t19_transient_error_is_retried_without_duplicates(db: Database, ctx: IngestContext, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from neo4j._sync.work.transaction import TransactionBase
    from neo4j.exceptions import TransientError

    original = TransactionBase.run
    failures = {"n": 0}

    def flaky(self, query, parameters=None, **kw):  # type: ignore[no-untyped-def]
        first_line = str(query).split("\n", 1)[0]  # involvement.cypher or involvement.create.cypher
        if ("Load involvements" in first_line or "Create involvements" in first_line) and failures["n"] < 2:
            failures["n"] += 1
            raise TransientError("injected deadlock")
        return original(self, query, parameters, **kw)

    monkeypatch.setattr(TransactionBase, "run", flaky)
    f = tmp_path / "vis2-t19.csv"
    f.write_text(vis2_rows(30, start=2000))
    r = ingest_file(ctx, session_audit(), STEWARD, VIS2, f)
    assert failures["n"] == 2 and r.status == "loaded" and r.rows_loaded == 30
    n = db.execute("t_cnt2", "MATCH (i:Involvement) WHERE i.id STARTS WITH 'VIS2-20' RETURN count(i) AS n").first()
    assert n == {"n": 30}


def test_t20_concurrent_overlapping_imports(db: Database, ctx: IngestContext, tmp_path: Path) -> None:
    keys = bsns(500, seed=20)
    files = []
    for t in range(10):
        rows = [";".join((b, "", f"Persoon {i}", "01-02-1980", "V", "7545 AB", str(i + 1), "", "Iepstraat",
                          "Stadsveld-Zuid", "moeder", "01-01-2005", "", "Domijn")) for i, b in enumerate(keys)]
        random.Random(t).shuffle(rows)
        p = tmp_path / f"t20-{t}.csv"
        p.write_text(BRP_HEADER + "\n" + "\n".join(rows) + "\n")
        files.append(p)
    reports: list[object] = []
    errors: list[BaseException] = []

    def work(p: Path) -> None:
        try:
            own = replace(ctx, batch_size=100)
            reports.append(ingest_file(own, session_audit(), STEWARD, BRP, p))
        except Exception as exc:  # a retriable error is allowed; recorded and checked below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(p,)) for p in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(reports) + len(errors) == 10 and len(reports) >= 9, errors
    ids = [ctx.pseudo.person_from_bsn(b) for b in keys]
    n = db.execute("t_cnt3", "MATCH (p:Person) WHERE p.id IN $ids RETURN count(p) AS n, count(DISTINCT p.id) AS d",
                   {"ids": ids}).first()
    assert n == {"n": 500, "d": 500}
    m = db.execute("t_cnt4", "MATCH (h:Household)-[r:HAS_MEMBER]->(p:Person) WHERE p.id IN $ids "
                   "RETURN count(r) AS r, count(DISTINCT h) AS h", {"ids": ids}).first()
    assert m == {"r": 500, "h": 500}


def test_cli_dry_run_and_load(db: Database, ctx: IngestContext, tmp_path: Path) -> None:  # ctx: the reference data
    from typer.testing import CliRunner

    from app.cli import app

    f = tmp_path / "vis2-cli.csv"
    f.write_text(vis2_rows(4, start=3000) + "9;123456789;;PRO-1;Onbekend;x;Zorg;casemanager;"
                 "01-01-2008;\n")
    runner = CliRunner()
    steward = ["--as", cli_steward()]
    res = runner.invoke(app, ["ingest", str(ROOT / "mappings" / "vis2_betrokkenheid.yaml"), str(f), "--dry-run",
                              *steward])
    assert res.exit_code == 3, res.output  # a row would be rejected
    assert "validated (dry run)" in res.output and "rows read 5, loaded 0, rejected 1" in res.output
    assert "123456789" not in res.output and "*****6789" in res.output
    # the same check in two worker processes gives the same report
    res = runner.invoke(app, ["ingest", str(ROOT / "mappings" / "vis2_betrokkenheid.yaml"), str(f), "--dry-run",
                              "--workers", "2", *steward])
    assert res.exit_code == 3 and "rows read 5, loaded 0, rejected 1" in res.output, res.output
    res = runner.invoke(app, ["ingest", str(ROOT / "mappings" / "vis2_betrokkenheid.yaml"), str(f), *steward])
    assert res.exit_code == 3 and "rows read 5, loaded 4, rejected 1" in res.output  # rows rejected: status 3
    res = runner.invoke(app, ["ingest", "review", "list", "--status", "all"])
    assert res.exit_code == 1 and "Noem het account waarmee u werkt" in res.output  # no account: nothing listed
    res = runner.invoke(app, ["ingest", "review", "list", "--status", "all", *steward])
    assert res.exit_code == 0, res.output
    from queries.audit import default_audit_log
    looks = [(r.action, r.result, r.user) for r in default_audit_log().records() if r.action == "merge_review_list"]
    assert looks[-1] == ("merge_review_list", "ok", cli_steward())


def test_records_thought_new_that_exist_are_merged_not_duplicated(db: Database, ctx: IngestContext, tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    """Involvements the side store never saw are created without a MERGE lookup; when one exists after all (here:
    the side store was lost, so *every* record looks new) the batch fails on the uniqueness constraint, rolls
    back, and it and the rest of the file are merged: no duplicate, no lost change."""
    from ingest.resolve import StateStore

    f = tmp_path / "vis2-lost-1.csv"
    f.write_text(vis2_rows(20, start=5000))
    assert ingest_file(ctx, session_audit(), STEWARD, VIS2, f).records_written == {"involvement": 20}  # the persons exist already
    nodes, rels, _ = graph_state(db)
    lost = replace(ctx, store=StateStore(tmp_path / "empty.sqlite"))
    g = tmp_path / "vis2-lost-2.csv"
    g.write_text(vis2_rows(20, {3: ("Wonen", "31-12-2008")}, start=5000))
    with caplog.at_level("INFO", logger="wijknet.ingest"):
        r = ingest_file(lost, session_audit(), STEWARD, VIS2, g)
    assert (r.status, r.rows_loaded, r.records_written) == ("loaded", 20, {"person": 20, "involvement": 20})
    assert "a record thought new exists; merging from batch 1 on" in caplog.text
    assert graph_state(db)[:2] == (nodes, rels)
    rows = db.execute("t_lost", "MATCH (i:Involvement) WHERE i.id STARTS WITH 'VIS2-50' "
                      "RETURN i.id AS id, i.life_domain AS d, i.until AS until, COUNT { (i)<-[:PERFORMS]-() } AS p, "
                      "COUNT { (i)-[:ON_BEHALF_OF]->() } AS o, COUNT { (i)-[:CONCERNS]->() } AS c ORDER BY id").rows
    assert len(rows) == 20 and all((x["p"], x["o"], x["c"]) == (1, 1, 1) for x in rows)
    assert (rows[3]["id"], rows[3]["d"], rows[3]["until"].to_native()) == ("VIS2-5003", "WONEN", date(2008, 12, 31))


def test_new_records_are_created_whole(db: Database, ctx: IngestContext, tmp_path: Path,
                                       caplog: pytest.LogCaptureFixture) -> None:
    """The create-only path writes the same nodes and relationships as the MERGE path (the crash test compares
    both against each other on random kill points; this checks one clean file)."""
    f = tmp_path / "vis2-new.csv"
    f.write_text(vis2_rows(15, start=4000))
    with caplog.at_level("INFO", logger="wijknet.ingest"):
        r = ingest_file(ctx, session_audit(), STEWARD, VIS2, f)
    assert r.records_written == {"involvement": 15}  # the persons are those of the tests above
    assert "merging from batch" not in caplog.text  # ids never seen: created
    rows = db.execute("t_new", "MATCH (pro:Professional)-[p:PERFORMS]->(i:Involvement)-[b:ON_BEHALF_OF]->(o), "
                      "(i)-[c:CONCERNS]->(m:Person) WHERE i.id STARTS WITH 'VIS2-40' "
                      "RETURN i.id AS id, pro.id AS pro, o.id AS org, i.function AS f, i.source AS s, "
                      "[p.source, b.source, c.source] AS rs ORDER BY id").rows
    assert len(rows) == 15
    assert rows[0] == {"id": "VIS2-4000", "pro": "PRO-2", "org": "ORG-SMD", "f": "casemanager", "s": "VIS2",
                       "rs": ["VIS2", "VIS2", "VIS2"]}
    assert {x["pro"] for x in rows[1::2]} == {"PRO-1"}


@pytest.mark.parametrize("writers", [1, 3])
def test_batches_written_side_by_side_find_the_persons_of_earlier_batches(db: Database, ctx: IngestContext,
                                                                           tmp_path: Path, writers: int) -> None:
    """Several writers send batches at once; a person is written (and committed) by the first batch that
    mentions it, before that batch's involvements go, so later batches, possibly written while an earlier one is
    still open, find every person they refer to: each involvement concerns exactly its own person. Here every
    batch introduces five persons and half of its rows concern the five of the batch before. (A MATCH does not
    see a node another open transaction created; with only two professionals their locks often make these
    batches wait for each other anyway, so this checks the outcome, not the timing.)"""
    size, batches = 150, 10
    people = bsns(400, seed=7 + writers)[-5 * (batches + 1):]  # persons no other test uses
    first = 70000 + 2000 * writers

    def person(i: int) -> str:
        b = i // size
        return people[5 * (b if i % 2 else max(b - 1, 0)) + i % 5]

    lines = [VIS2_HEADER]
    for i in range(size * batches):
        pro, org = ("PRO-1", "Tactus Instelling voor Verslavingszorg") if i % 2 else (
            "PRO-2", "SMD Enschede-Haaksbergen")
        lines.append(f"{first + i};{person(i)};;{pro};{org};casemanager;Zorg;casemanager;01-02-2008;")
    f = tmp_path / f"vis2-side-by-side-{writers}.csv"
    f.write_text("\n".join(lines) + "\n")
    # small_file_rows=0: batches side by side even for a file this small (a small file goes one batch after another)
    r = ingest_file(replace(ctx, batch_size=size, writers=writers, small_file_rows=0), session_audit(), STEWARD,
                    VIS2, f)
    assert (r.status, r.rows_loaded, r.records_written) == ("loaded", size * batches,
                                                            {"person": 5 * batches, "involvement": size * batches})
    expected = {f"VIS2-{first + i}": [ctx.pseudo.person_from_bsn(person(i))] for i in range(size * batches)}
    rows = db.execute("t_side", "MATCH (i:Involvement) WHERE i.id IN $ids "
                      "RETURN i.id AS id, [(i)-[:CONCERNS]->(m) | m.id] AS subjects", {"ids": list(expected)}).rows
    assert {x["id"]: x["subjects"] for x in rows} == expected
    done = db.execute("t_side_ledger", "MATCH (i:Import) WHERE i.file_name = $f RETURN i.batches_done AS n",
                      {"f": f.name}).first()
    assert done == {"n": batches}  # batches may commit out of order; the count ends at the last one


def test_problems_found_across_rows_name_the_rows_key(ctx: IngestContext, tmp_path: Path) -> None:
    """An unknown reference is found after pass 1, where no key per row is kept: its row's key is still shown
    (issue 17 part 4), as is the cell as written."""
    f = tmp_path / "vis2-refs.csv"
    lines = vis2_rows(3, start=4100).splitlines()
    lines[2] = lines[2].replace(";PRO-1;", ";PRO-NIEMAND;").replace(";PRO-2;", ";PRO-NIEMAND;")
    f.write_text("\n".join(lines) + "\n")
    m = load_mapping(ROOT / "mappings" / "vis2_betrokkenheid.yaml")
    r = ingest_file(ctx, session_audit(), STEWARD, m, f, dry_run=True)
    assert [(p.row, p.key, p.column, p.code) for p in r.problems] == [
        (3, "4101", "medewerker", "unknown_reference")]
    assert "row 3 (key 4101), column 'medewerker'" in r.to_text()


def test_an_organisations_export_without_group_mandate_or_aliases_keeps_them(db: Database, ctx: IngestContext,
                                                                             tmp_path: Path) -> None:
    """Observed: ``profile apply`` with an organisation entry that did not mention ``mandating`` turned a partner's
    mandate (loaded from the organisations' export) off and cleared its covenant group. A cell the export leaves
    empty, or a field its mapping (or the profile) does not have, keeps what the organisation has; a cell that
    says so still changes it."""
    mapping = load_mapping(ROOT / "mappings" / "organisaties.yaml")
    header = "code;naam;sector;groep;mandaat_verleend;aliassen\n"
    org = "MATCH (o:Organisation {id: 'ORG-KEEP'}) RETURN o.covenant_group AS g, o.mandating AS m, o.aliases AS a"
    steps = [("ORG-KEEP;Keep;welzijn;gemeente;ja;Keep Twente\n", ("gemeente", True, ["Keep Twente"])),
             ("ORG-KEEP;Keep;welzijn;;;\n", ("gemeente", True, ["Keep Twente"])),
             ("ORG-KEEP;Keep;welzijn;zorg;nee;\n", ("zorg", False, ["Keep Twente"]))]
    for i, (row, expected) in enumerate(steps):
        f = tmp_path / f"org-{i}.csv"
        f.write_text(header + row, encoding="utf-8")
        r = ingest_file(ctx, session_audit(), STEWARD, mapping, f)
        assert (r.status, r.rows_loaded) == ("loaded", 1), r.to_text()
        got = db.execute("t_org_keep", org).first()
        assert got is not None and (got["g"], got["m"], got["a"]) == expected, i


def test_a_file_run_again_loads_the_rows_it_rejected_once_they_are_valid(db: Database, ctx: IngestContext,
                                                                         tmp_path: Path) -> None:
    """An outside test (session 39): a file with rejected rows was "already imported" for good, so rows rejected
    for a professional not yet loaded never loaded after the professional was. Run again, the file is checked
    again: what is valid now loads, what loaded then stays as it was, and a file that loaded whole stays "already
    imported"."""
    from ingest.loader import load_records

    text = vis2_rows(4, start=7100).replace(";PRO-2;", ";PRO-LATER;", 1)
    f = tmp_path / "vis2-later.csv"
    f.write_text(text)
    first = ingest_file(ctx, session_audit(), STEWARD, VIS2, f)
    assert (first.status, first.rows_loaded, first.rows_rejected) == ("loaded", 3, 1), first.to_text()
    assert "PRO-LATER" in first.to_text()
    same = ingest_file(ctx, session_audit(), STEWARD, VIS2, f)  # nothing new: the same row is refused again
    assert (same.status, same.rows_loaded, same.rows_rejected) == ("loaded", 3, 1), same.to_text()
    assert any("imported before with 1 row rejected" in n for n in same.notes), same.notes
    load_records(db, [("professional", {"id": "PRO-LATER", "name": "Later", "function": "casemanager",
                                        "organisation_id": "ORG-SMD", "since": date(2005, 1, 1), "source": "test"})])
    again = ingest_file(ctx, session_audit(), STEWARD, VIS2, f)
    assert (again.status, again.rows_loaded, again.rows_rejected) == ("loaded", 4, 0), again.to_text()
    assert again.records_written.get("involvement") == 1, again.to_text()
    n = db.execute("t_later", "MATCH (:Professional {id: 'PRO-LATER'})-[:PERFORMS]->(i:Involvement) "
                   "WHERE i.id STARTS WITH 'VIS2-71' RETURN count(i) AS n").first()
    assert n == {"n": 1}
    state = graph_state(db)
    whole = ingest_file(ctx, session_audit(), STEWARD, VIS2, f)
    assert (whole.status, whole.records_written) == ("already_imported", {}), whole.to_text()
    assert graph_state(db) == state


def test_the_same_file_with_a_corrected_mapping_is_read_again(db: Database, ctx: IngestContext,
                                                              tmp_path: Path) -> None:
    """The same file read by a changed mapping of the same name is another import (the ledger keys a file by its
    hash, the mapping's name and what the mapping does), not "already imported"."""
    f = tmp_path / "vis2-domain.csv"
    f.write_text(vis2_rows(2, start=7200))
    first = ingest_file(ctx, session_audit(), STEWARD, VIS2, f)
    assert (first.status, first.rows_loaded) == ("loaded", 2), first.to_text()
    corrected = replace(VIS2, codes={**VIS2.codes, "leefgebieden": {**VIS2.codes["leefgebieden"],
                                                                    "zorg": "VEILIGHEID_JUSTITIE"}})
    assert corrected.digest != VIS2.digest and replace(VIS2, description="anders").digest == VIS2.digest
    again = ingest_file(ctx, session_audit(), STEWARD, corrected, f)
    assert (again.status, again.records_written) == ("loaded", {"involvement": 2}), again.to_text()
    rows = db.execute("t_domain", "MATCH (i:Involvement) WHERE i.id IN ['VIS2-7200', 'VIS2-7201'] "
                      "RETURN collect(DISTINCT i.life_domain) AS d").first()
    assert rows == {"d": ["VEILIGHEID_JUSTITIE"]}
    assert ingest_file(ctx, session_audit(), STEWARD, corrected, f).status == "already_imported"
