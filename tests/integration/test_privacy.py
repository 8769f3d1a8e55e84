"""Retention and erasure on hand-checkable data; the CLI commands around them and the audit log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.db import Database
from graph.errors import AccessDenied, WijknetError
from ingest.loader import load_records
from queries.audit import AuditLog
from queries.privacy import erase_person, retention
from tests.access_records import records
from tests.integration.test_access_matrix import ACTORS


@pytest.fixture()
def data(db: Database) -> Database:
    db.execute("wipe", "MATCH (n) DETACH DELETE n", write=True)
    load_records(db, records())
    return db


def _ids(db: Database, label: str) -> list[str]:
    return sorted(r["id"] for r in db.execute("ids", f"MATCH (n:{label}) RETURN n.id AS id").rows)  # noqa: S608


def test_retention_dry_run_counts_and_apply_removes(data: Database, tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    admin = ACTORS["admin"]
    # Ended before 2009-01-01: INV-3 (2008-03-31); its handover HO-1; referral REF-1 (2008-02-01); no caseload.
    dry = retention(data, audit, admin, date(2009, 1, 1))
    assert (dry.involvements, dry.handovers, dry.referrals, dry.caseload_assignments) == (1, 1, 1, 0)
    assert _ids(data, "Involvement") == ["INV-1", "INV-2", "INV-3", "INV-4", "INV-5"]
    done = retention(data, audit, admin, date(2021, 1, 1), apply=True)  # + INV-2 (2010) and HH-C's assignment
    assert (done.involvements, done.handovers, done.referrals, done.caseload_assignments) == (2, 1, 1, 1)
    assert _ids(data, "Involvement") == ["INV-1", "INV-4", "INV-5"]
    assert _ids(data, "Handover") == [] and _ids(data, "Referral") == []
    assert [(r.action, r.result) for r in audit.records()] == [
        ("privacy_retention_dry_run", "ok"), ("privacy_retention", "ok"), ("privacy_retention", "removed")]
    assert list(audit.records())[2].detail == ("cutoff=2021-01-01 involvements=2 handovers=1 referrals=1 "
                                               "caseload_assignments=1 fact_versions=0 signal_states=0")
    with pytest.raises(AccessDenied):
        retention(data, audit, ACTORS["coachA"], date(2021, 1, 1), apply=True)
    assert [(r.user, r.action, r.result) for r in audit.records()][3:] == [
        ("coachA", "privacy_retention", "denied")]


def test_erasure_removes_the_person_and_leaves_a_content_free_audit_entry(data: Database, tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    r = erase_person(data, audit, ACTORS["steward"], "PER-A1", apply=True)
    # PER-A1: membership edge + 2 involvements (INV-1, INV-2 only about them) + referral REF-1 = 4 edges
    assert (r.involvements, r.handovers, r.referrals, r.owned_nodes, r.edges) == (2, 0, 1, 0, 4)
    assert "PER-A1" not in _ids(data, "Person") and _ids(data, "Involvement") == ["INV-3", "INV-4", "INV-5"]
    recs = list(audit.records())
    assert [(r.action, r.result) for r in recs] == [("privacy_erase", "ok"), ("privacy_erase", "erased")]
    assert recs[0].target.startswith("erased:") and recs[1].target == recs[0].target
    # the session's side store: whatever other tests loaded there, none of it through a file naming PER-A1
    assert recs[1].detail == ("involvements=2 handovers=0 referrals=1 owned_nodes=0 edges=4 fact_versions=0 "
                              f"signal_states=0 side_store_rows={r.side_store_rows}")
    text = " ".join(str(v) for rec in recs for v in rec.__dict__.values())
    assert "PER-A1" not in text and "CanaryAnna" not in text and "HH-A" not in text
    orphans = data.execute("orphans", "MATCH (i:Involvement) WHERE NOT (i)-[:CONCERNS]->() RETURN count(i) AS n")
    assert orphans.first() == {"n": 0}


def test_cli_audit_commands(data: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from app.cli import app
    from queries.access import open_household
    from queries.audit import default_audit_log

    log = default_audit_log()
    open_household(data, log, ACTORS["coachA"], "HH-A", purpose="case_consultation")
    for hh in ("HH-B", "HH-C", "HH-B", "HH-D"):
        with pytest.raises(AccessDenied):
            open_household(data, log, ACTORS["coachA"], hh)
    runner = CliRunner()
    out = runner.invoke(app, ["audit", "who-saw", "HH-A", "--json"])
    assert out.exit_code == 0, out.output
    import json

    rows = json.loads(out.stdout)
    # The coach's view; other tests of the session may have left refused attempts (a lead's deep link) on HH-A.
    # (and lists that showed HH-A, e.g. a coach's home page in another test: records of their own)
    assert [(r["role"], r["action"], r["purpose"], r["result"]) for r in rows
            if r["result"] == "ok" and r["action"] == "view_household"] == [
        ("coach", "view_household", "case_consultation", "ok")]
    assert "user" not in rows[0]  # staff names withheld unless --names
    out = runner.invoke(app, ["audit", "review", "--json"])
    assert out.exit_code == 0, out.output
    flags = json.loads(out.stdout)
    # (the session's log may hold other tests' refusals too: coachA's are flagged)
    assert ("outside_caseload", "coachA") in [(f["rule"], f["user"]) for f in flags if f["rule"] == "outside_caseload"]
    out = runner.invoke(app, ["audit", "verify"])
    assert out.exit_code == 0 and "intact" in out.stdout
    from tests.writers import cli_steward

    out = runner.invoke(app, ["privacy", "erase", "PER-NOPE", "--as", cli_steward()])
    assert out.exit_code == 1 and "no person" in out.output
    out = runner.invoke(app, ["privacy", "retention", "--older-than", "soon", "--as", cli_steward()])
    assert out.exit_code == 1 and "not a period" in out.output


def test_cli_privacy_writes_as_the_account_and_is_audited(data: Database) -> None:
    from typer.testing import CliRunner

    from app.cli import app
    from tests.writers import cli_steward, session_audit

    runner = CliRunner()
    before = session_audit().count()
    out = runner.invoke(app, ["privacy", "erase", "PER-A1", "--yes"], env={"WIJKNET_CLI_ACCOUNT": ""})
    assert out.exit_code == 1 and "Noem het account waarmee u werkt" in out.output
    assert "PER-A1" in _ids(data, "Person"), "nothing erased without an account"
    out = runner.invoke(app, ["privacy", "erase", "PER-A1", "--yes", "--as", cli_steward()])
    assert out.exit_code == 0, out.output
    assert "PER-A1" not in _ids(data, "Person")
    out = runner.invoke(app, ["privacy", "retention", "--older-than", "2y", "--as-of", "2012-01-01", "--yes"],
                        env={"WIJKNET_CLI_ACCOUNT": cli_steward()})
    assert out.exit_code == 0, out.output
    recs = list(session_audit().records())[before:]
    assert [(r.user, r.action, r.result) for r in recs][1:] == [
        ("steward", "privacy_erase", "ok"), ("steward", "privacy_erase", "erased"),
        ("steward", "privacy_retention", "ok"), ("steward", "privacy_retention", "removed")]
    assert recs[0].result == "denied" and recs[0].user.startswith("cli:")
    assert {r.access_point for r in recs[1:]} == {recs[0].user} and recs[1].trace_id == recs[2].trace_id


def _remnants(db: Database, needle: str) -> list[str]:
    """Every node or relationship in the graph with a property value (or list item) that mentions ``needle``."""
    found = db.execute("remnants", """
        MATCH (n) WITH n, [k IN keys(n) WHERE any(x IN CASE WHEN valueType(n[k]) STARTS WITH 'LIST'
              THEN n[k] ELSE [n[k]] END WHERE toString(x) CONTAINS $needle)] AS ks WHERE ks <> []
        RETURN labels(n)[0] + '.' + ks[0] AS what
        UNION ALL
        MATCH ()-[r]->() WITH r, [k IN keys(r) WHERE any(x IN CASE WHEN valueType(r[k]) STARTS WITH 'LIST'
              THEN r[k] ELSE [r[k]] END WHERE toString(x) CONTAINS $needle)] AS ks WHERE ks <> []
        RETURN type(r) + '.' + ks[0] AS what""", {"needle": needle})
    return sorted(r["what"] for r in found.rows)


def _files_mentioning(state: Path, needle: str) -> list[str]:
    return sorted(p.name for p in state.rglob("*") if p.is_file() and needle.encode() in p.read_bytes())


def test_erasure_leaves_nothing_of_the_person_in_the_graph_or_the_state_dir(data: Database, tmp_path: Path) -> None:
    from ingest.cypher import statement
    from ingest.state import StateStore
    from queries.registry import run

    state = tmp_path / "state"
    state.mkdir()
    audit = AuditLog(state / "audit.sqlite")
    # What the coach and the loads left about PER-A1 beside the person: an earlier version of their referral and
    # of the involvement only about them (a correction keeps it), a reader's status of a signal on that
    # involvement, and the ingest side store's rows (match key, review item, digests, where a row landed).
    for label, fact, kind in (("Referral", "REF-1", "referral"), ("Involvement", "INV-1", "involvement")):
        data.execute("correct", statement("correct_node"), {
            "household_id": "HH-A", "label": label, "id": fact, "kind": kind, "version": 0, "order": [],
            "props": {"reason_text": "bijgesteld"}, "reason": "typo", "source": "user:coachA",
            "now": "2026-01-05T10:00:00+00:00"}, write=True)
    run(data, "notices_set_status", {"key": "match|INV-1|INV-4", "recipient": "PR-T", "date": date(2020, 1, 1),
                                     "occurrence": date(2020, 1, 1), "status": "read", "now": "2026-01-05T10:00:00+00:00", "source": "user:x"},
        write=True)
    store = StateStore(state / "ingest.sqlite")
    store.add_match_keys([("mk-1", "PER-A1", False, "src"), ("mk-1", "PER-A2", False, "src")])
    store.remember("e1", "src", [("person", "PER-A1", "d1"), ("membership", "HH-A|PER-A1", "d2"),
                                 ("involvement", "INV-1", "d3"), ("person", "PER-A2", "d4")])
    store.stage_row_keys("m", "run-1", ["row-7", "row-8"])
    store.set_targets("m", "run-1", [("row-7", "person:PER-A1"), ("row-8", "person:PER-A2")])
    assert _remnants(data, "PER-A1") and _files_mentioning(state, "PER-A1") == ["ingest.sqlite"]

    r = erase_person(data, audit, ACTORS["steward"], "PER-A1", apply=True, store=store)

    assert (r.fact_versions, r.signal_states, r.side_store_rows) == (2, 1, 6)
    assert _remnants(data, "PER-A1") == [] and _remnants(data, "INV-1") == [] and _remnants(data, "REF-1") == []
    assert _files_mentioning(state, "PER-A1") == [] and _files_mentioning(state, "INV-1") == []
    assert [(r.action, r.result) for r in audit.records()] == [("privacy_erase", "ok"), ("privacy_erase", "erased")]
    assert _remnants(data, "PER-A2") != []  # the other member stays
    assert store.review_items() == [] and store.person_aliases() == {}
    assert _files_mentioning(state, "PER-A2") == ["ingest.sqlite"]


def test_retention_removes_the_versions_and_signal_states_of_what_it_removes(data: Database, tmp_path: Path
                                                                            ) -> None:
    from ingest.cypher import statement
    from queries.registry import run

    data.execute("correct", statement("correct_node"), {
        "household_id": "HH-B", "label": "Involvement", "id": "INV-3", "kind": "involvement", "version": 0,
        "order": [], "props": {"function": "bijgesteld"}, "reason": "typo", "source": "user:coachA", "now": "2026-01-05T10:00:00+00:00"}, write=True)
    run(data, "notices_set_status", {"key": "match|INV-3|INV-4", "recipient": "PR-T", "date": date(2026, 1, 1),
                                     "occurrence": date(2026, 1, 1), "status": "done", "now": "2026-01-05T10:00:00+00:00", "source": "user:x"},
        write=True)
    audit = AuditLog(tmp_path / "audit.sqlite")
    dry = retention(data, audit, ACTORS["admin"], date(2009, 1, 1))
    assert (dry.involvements, dry.fact_versions, dry.signal_states) == (1, 1, 1)
    done = retention(data, audit, ACTORS["admin"], date(2009, 1, 1), apply=True)
    assert (done.involvements, done.fact_versions, done.signal_states) == (1, 1, 1)
    assert _remnants(data, "INV-3") == []


BRP_HEAD = "bsn;clientnummer;naam;geboortedatum;geslacht;postcode;huisnummer;toevoeging;straat;wijk;rol;ingangsdatum;" \
    "einddatum;corporatie\n"
BRP_ROWS = ["990628061;;Mien Smit;02-02-1944;V;7513 ZE;5;;Erasedstraat;Nieuwe Velve;moeder;01-01-2008;;\n",
            "946687055;;Truus Kok;05-05-1960;V;7513 ZE;5;;Erasedstraat;Nieuwe Velve;kind;01-01-2008;;\n"]


def test_a_reimported_export_does_not_bring_an_erased_person_back(data: Database, tmp_path: Path) -> None:
    from app.i18n import say
    from ingest.mapping import load_mapping
    from ingest.pipeline import IngestContext, ingest_file
    from tests.writers import STEWARD, session_audit

    mapping = load_mapping(Path(__file__).resolve().parents[2] / "mappings" / "brp_huishoudens.yaml")
    load_records(data, [("area", {"code": "NVL", "name": "Nieuwe Velve", "kind": "experiment", "source": "t"})])
    ctx = IngestContext.from_settings(data, today=date(2009, 1, 15))
    first = tmp_path / "brp-1.csv"
    first.write_text(BRP_HEAD + "".join(BRP_ROWS))
    r = ingest_file(ctx, session_audit(), STEWARD, mapping, first)
    assert r.rows_loaded == 2, r.to_text()
    erased, kept = ctx.pseudo.person_from_bsn("990628061"), ctx.pseudo.person_from_bsn("946687055")
    assert {erased, kept} <= set(_ids(data, "Person"))
    erase_person(data, AuditLog(tmp_path / "audit.sqlite"), ACTORS["steward"], erased, apply=True, store=ctx.store)

    again = tmp_path / "brp-2.csv"  # the next export: the same rows, another file (its hash differs)
    again.write_text(BRP_HEAD + "".join(BRP_ROWS) + "\n")
    r = ingest_file(ctx, session_audit(), STEWARD, mapping, again, report_dir=tmp_path / "reports")
    assert erased not in _ids(data, "Person") and kept in _ids(data, "Person")
    assert (r.status, r.rows_read, r.rows_loaded, r.rows_rejected, r.rows_skipped) == ("loaded", 2, 1, 0, 1)
    assert r.reconciles
    lines = [p for p in r.problems if p.code == "erased"]
    assert [(p.row, p.column, p.value) for p in lines] == [(2, "", "")]
    assert say(lines[0].reason) == "rij over een gewiste persoon overgeslagen"
    text = r.to_text() + r.to_csv() + r.to_json()
    assert "row 2: row about an erased person skipped" in r.to_text()
    assert "0628061" not in text and "Mien" not in text and erased not in text
    # nothing of them in the state dir's side store either: the register keeps a keyed digest only
    assert erased.encode() not in ctx.store.path.read_bytes()


def test_erasing_a_household_leaves_nothing_of_it_and_keeps_a_member_of_another_household(data: Database,
                                                                                           tmp_path: Path) -> None:
    """``erase_household``: the household, the members who belong to no other household, their edges, what
    concerned only them (involvements, handovers, referrals, scores, consents, plans with goals and agreements,
    signals, advice, consultations), the caseload assignments, the kept versions, the signal statuses and the side
    store's rows; a member who also lives elsewhere stays and only loses the membership."""
    from ingest.cypher import statement
    from ingest.state import StateStore
    from queries.privacy import erase_household
    from queries.registry import run
    from tests.access_records import CANARY_CONTENT, CANARY_NAMES, CANARY_STREETS

    load_records(data, [("membership", {"household_id": "HH-B", "person_id": "PER-A2", "role": "overig",
                                        "since": date(2009, 1, 1), "source": "test"})])
    data.execute("correct", statement("correct_node"), {
        "household_id": "HH-A", "label": "Goal", "id": "G-A1", "kind": "goal", "version": 0, "order": [],
        "props": {"status": "closed"}, "reason": "typo", "source": "user:coachA", "now": "2026-01-05T10:00:00+00:00"},
        write=True)
    run(data, "notices_set_status", {"key": "match|INV-1|INV-4", "recipient": "PR-T", "date": date(2020, 1, 1),
                                     "occurrence": date(2020, 1, 1), "status": "read", "now": "2026-01-05T10:00:00+00:00", "source": "user:x"},
        write=True)
    state = tmp_path / "state"
    state.mkdir()
    store = StateStore(state / "ingest.sqlite")
    store.remember("e1", "src", [("household", "HH-A", "d0"), ("person", "PER-A1", "d1"),
                                 ("membership", "HH-A|PER-A2", "d2"), ("person", "PER-B1", "d3")])
    audit = AuditLog(state / "audit.sqlite")
    steward = ACTORS["steward"]

    dry = erase_household(data, audit, steward, "HH-A", store=store)
    assert (dry.erased_members, dry.involvements, dry.handovers, dry.referrals, dry.caseload_assignments) == (1, 2, 0, 1, 1)
    assert "HH-A" in _ids(data, "Household") and not dry.applied
    with pytest.raises(AccessDenied):
        erase_household(data, audit, ACTORS["coachA"], "HH-A", apply=True, store=store)
    assert "HH-A" in _ids(data, "Household")

    r = erase_household(data, audit, steward, "HH-A", apply=True, store=store)
    assert (r.erased_members, r.involvements, r.referrals, r.caseload_assignments, r.fact_versions, r.signal_states) == (
        1, 2, 1, 1, 1, 1)
    # the plan, its goal and two agreements, and PER-A2's score stays with them (they live in HH-B now)
    assert r.owned_nodes == 4 and r.side_store_rows == 3
    for needle in ("HH-A", "PER-A1", "INV-1", "INV-2", "REF-1", "PL-A", "G-A1", "AG-A1",
                   *CANARY_NAMES["HH-A"][:1], CANARY_STREETS["HH-A"], *CANARY_CONTENT["HH-A"]):
        assert _remnants(data, needle) == [], needle
        assert _files_mentioning(state, needle) == [], needle
    assert "PER-A2" in _ids(data, "Person") and _ids(data, "Household") == ["HH-B", "HH-C"]
    recs = list(audit.records())
    assert [(x.action, x.result) for x in recs] == [
        ("privacy_erase_household_dry_run", "ok"), ("privacy_erase_household", "denied"),
        ("privacy_erase_household", "ok"), ("privacy_erase_household", "erased")]
    assert recs[2].target.startswith("erased:") and recs[3].target == recs[2].target
    text = " ".join(str(v) for rec in recs for v in rec.__dict__.values())
    assert "HH-A" not in text and "PER-A1" not in text and "Canary" not in text
    with pytest.raises(WijknetError, match="no household"):
        erase_household(data, audit, steward, "HH-A", store=store)


def test_cli_erase_household(data: Database) -> None:
    from typer.testing import CliRunner

    from app.cli import app
    from tests.writers import cli_steward

    runner = CliRunner()
    out = runner.invoke(app, ["privacy", "erase-household", "HH-NOPE", "--as", cli_steward()])
    assert out.exit_code == 1 and "no household with the id 'HH-NOPE'" in out.output, out.output
    out = runner.invoke(app, ["privacy", "erase-household", "HH-B", "--as", cli_steward()])
    assert out.exit_code == 0 and out.output.startswith("Would erase the household, 1 member only of it, ")
    assert "HH-B" in _ids(data, "Household")
    out = runner.invoke(app, ["privacy", "erase-household", "HH-B", "--yes", "--as", cli_steward()])
    assert out.exit_code == 0 and out.output.startswith("Erased the household, 1 member only of it, "), out.output
    assert "HH-B" not in _ids(data, "Household") and "PER-B1" not in _ids(data, "Person")


def test_cli_erasure_takes_the_bsn_and_the_address_the_request_gives(data: Database) -> None:
    """Observed: ``privacy erase 799642630`` said "There is no person with that id" about a person loaded by that
    BSN, and no command turned a BSN or an address into the pseudonym: a request could be answered "we hold no
    data". The BSN is pseudonymised with the key, the address matched as the ingest matches households."""
    from typer.testing import CliRunner

    from app.cli import app
    from graph.settings import load_settings
    from ingest.pseudonym import Pseudonymiser
    from tests.writers import cli_steward

    pid = Pseudonymiser.from_file(load_settings().secret_file).person_from_bsn("918678250")
    load_records(data, [
        ("household", {"id": "HH-Z", "address_key": "7551AB|12|A", "postcode": "7551AB", "house_number": 12,
                       "area_code": "A1", "source": "t"}),
        ("person", {"id": pid, "birth_year": 1980, "source": "t"}),
        ("membership", {"household_id": "HH-Z", "person_id": pid, "role": "moeder", "since": date(2005, 1, 1),
                        "source": "t"})])
    runner = CliRunner()
    out = runner.invoke(app, ["privacy", "erase", "918.678.250", "--as", cli_steward()])
    assert out.exit_code == 0 and out.output.startswith("Would erase the person with 1 edges"), out.output
    out = runner.invoke(app, ["privacy", "erase", "918678251", "--as", cli_steward()])
    assert out.exit_code == 1 and "looks like a BSN but is not one" in out.output, out.output
    assert "918678251" not in out.output
    out = runner.invoke(app, ["privacy", "erase-household", "7551 AB 99", "--as", cli_steward()])
    assert out.exit_code == 1 and "no household at that address" in out.output, out.output
    out = runner.invoke(app, ["privacy", "erase-household", "7551ab 12-a", "--yes", "--as", cli_steward()])
    assert out.exit_code == 0 and out.output.startswith("Erased the household, 1 member only of it"), out.output
    assert "HH-Z" not in _ids(data, "Household") and pid not in _ids(data, "Person")


def test_a_reimported_export_does_not_bring_an_erased_household_back(data: Database, tmp_path: Path) -> None:
    from app.i18n import say
    from ingest.mapping import load_mapping
    from ingest.pipeline import IngestContext, ingest_file
    from queries.privacy import erase_household
    from tests.writers import STEWARD, session_audit

    mapping = load_mapping(Path(__file__).resolve().parents[2] / "mappings" / "brp_huishoudens.yaml")
    load_records(data, [("area", {"code": "NVL", "name": "Nieuwe Velve", "kind": "experiment", "source": "t"})])
    ctx = IngestContext.from_settings(data, today=date(2009, 1, 15))
    rows = [f"{bsn};;{name};02-02-1970;V;7513 ZH;{nr};;Hhstraat;Nieuwe Velve;{role};01-01-2008;;\n"
            for bsn, name, nr, role in (("123456708", "Ans", 7, "moeder"), ("123456721", "Bo", 7, "kind"),
                                        ("123456733", "Cor", 9, "vader"))]
    first = tmp_path / "brp-hh-1.csv"
    first.write_text(BRP_HEAD + "".join(rows))
    r1 = ingest_file(ctx, session_audit(), STEWARD, mapping, first)
    assert r1.rows_loaded == 3, r1.to_text()
    mother = ctx.pseudo.person_from_bsn("123456708")
    hh = data.execute("hh", "MATCH (h:Household)-[:HAS_MEMBER]->(:Person {id: $p}) RETURN h.id AS id",
                      {"p": mother}).rows[0]["id"]
    r = erase_household(data, AuditLog(tmp_path / "audit.sqlite"), ACTORS["steward"], hh, apply=True,
                        store=ctx.store)
    assert r.erased_members == 2 and hh not in _ids(data, "Household")

    again = tmp_path / "brp-hh-2.csv"
    again.write_text(BRP_HEAD + "".join(rows) + "\n")
    r2 = ingest_file(ctx, session_audit(), STEWARD, mapping, again)
    assert (r2.rows_read, r2.rows_loaded, r2.rows_skipped) == (3, 1, 2), r2.to_text()
    assert hh not in _ids(data, "Household") and mother not in _ids(data, "Person")
    assert [(p.row, say(p.reason)) for p in r2.problems if p.code == "erased"] == [
        (2, "rij over een gewist huishouden overgeslagen"), (3, "rij over een gewist huishouden overgeslagen")]
    assert ctx.pseudo.person_from_bsn("123456733") in _ids(data, "Person")  # the neighbour at number 9 stays


def _outside_of_hh_a() -> list[tuple[str, dict[str, object]]]:
    """People of HH-A's client system outside the household (domain.md §3): a grandmother and a neighbour tied
    only to it, and four tied to something else too (an informal supporter who also helps PER-B1, a grandfather
    with an involvement of his own, an aunt in HH-B's client system, an ex who lives in HH-C)."""
    people = ("PER-OMA", "PER-BUUR", "PER-HULP", "PER-OPA", "PER-TANTE", "PER-EX")
    out: list[tuple[str, dict[str, object]]] = [
        ("person", {"id": p, "birth_year": 1950, "display_name": f"Canary{p[4:].title()}", "source": "t"})
        for p in people]
    out += [("client_system", {"household_id": "HH-A", "person_id": p, "relation": "familie",
                               "since": date(2008, 1, 1), "source": "t"})
            for p in ("PER-OMA", "PER-BUUR", "PER-OPA", "PER-TANTE", "PER-EX")]
    out += [("neighbour", {"person_id": "PER-BUUR", "other_id": "PER-A1", "source": "t"}),
            ("informal_support", {"supporter_id": "PER-HULP", "person_id": "PER-A1", "kind": "boodschappen",
                                  "since": date(2008, 1, 1), "source": "t"}),
            ("informal_support", {"supporter_id": "PER-HULP", "person_id": "PER-B1", "kind": "boodschappen",
                                  "since": date(2008, 1, 1), "source": "t"}),
            ("ladder_score", {"id": "LS-OMA", "person_id": "PER-OMA", "date": date(2008, 9, 15), "rung": 1,
                              "source": "t"}),
            ("involvement", {"id": "INV-OPA", "professional_id": "PR-T", "organisation_id": "O-TACTUS",
                             "life_domain": "ZORG_HULPVERLENING", "role": "casemanager", "since": date(2008, 1, 1),
                             "until": None, "person_ids": ["PER-OPA"], "source": "t"}),
            ("client_system", {"household_id": "HH-B", "person_id": "PER-TANTE", "relation": "tante",
                               "since": date(2008, 1, 1), "source": "t"}),
            ("membership", {"household_id": "HH-C", "person_id": "PER-EX", "role": "overig",
                            "since": date(2008, 1, 1), "source": "t"})]
    return out


def test_erasing_a_household_erases_people_of_its_client_system_tied_to_nothing_else(data: Database,
                                                                                     tmp_path: Path) -> None:
    """A person of the client system outside the household whose only tie is to the erased household (or its
    erased members) is erased with it and registered like a member; one with any other tie (a membership, an
    involvement, another household's client system, support of someone who stays) keeps it and loses the edge."""
    from ingest.pseudonym import Pseudonymiser
    from ingest.state import StateStore
    from queries.privacy import _key, erase_household

    load_records(data, _outside_of_hh_a())
    store = StateStore(tmp_path / "ingest.sqlite")
    audit = AuditLog(tmp_path / "audit.sqlite")
    dry = erase_household(data, audit, ACTORS["steward"], "HH-A", store=store)
    assert (dry.erased_members, dry.erased_outside, dry.kept_outside) == (2, 2, 4)
    assert {"PER-OMA", "PER-BUUR"} <= set(_ids(data, "Person"))

    r = erase_household(data, audit, ACTORS["steward"], "HH-A", apply=True, store=store)
    assert (r.erased_members, r.erased_outside, r.kept_outside) == (2, 2, 4)
    for gone in ("PER-OMA", "PER-BUUR", "CanaryOma", "CanaryBuur", "LS-OMA"):
        assert _remnants(data, gone) == [], gone
    people = set(_ids(data, "Person"))
    assert {"PER-HULP", "PER-OPA", "PER-TANTE", "PER-EX"} <= people
    ties = data.execute("ties", """
        MATCH (p:Person)-[e]-(o) WHERE p.id IN ['PER-HULP', 'PER-OPA', 'PER-TANTE', 'PER-EX']
        RETURN p.id + ' ' + type(e) + ' ' + coalesce(o.id, '') AS tie ORDER BY tie""").rows
    assert [t["tie"] for t in ties] == ["PER-EX HAS_MEMBER HH-C", "PER-HULP INFORMAL_SUPPORT PER-B1",
                                         "PER-OPA CONCERNS INV-OPA", "PER-TANTE IN_CLIENT_SYSTEM HH-B"]
    pseudo, register = Pseudonymiser(_key()), store.erased()
    assert register.get(pseudo.erased("PER-OMA")) == register.get(pseudo.erased("PER-BUUR")) == "person"
    assert not {pseudo.erased(p) for p in ("PER-HULP", "PER-OPA", "PER-TANTE", "PER-EX")} & set(register)
    assert list(audit.records())[-1].detail.startswith("erased_members=2 erased_outside=2 kept_outside=4 ")


def test_cli_erase_household_says_who_of_the_client_system_goes_and_who_stays(data: Database) -> None:
    from typer.testing import CliRunner

    from app.cli import app
    from tests.writers import cli_steward

    load_records(data, _outside_of_hh_a())
    out = CliRunner().invoke(app, ["privacy", "erase-household", "HH-A", "--as", cli_steward()])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("Would erase the household, 2 members only of it, 2 people of its client system "
                                 "outside it with no other tie, ") and "PER-OMA" not in out.output
    assert "4 people of its client system outside it keep their other ties and lose only the tie to it" in out.output
