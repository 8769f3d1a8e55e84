"""Retention and erasure on hand-checkable data; the CLI commands around them and the audit log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.db import Database
from graph.errors import AccessDenied
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
                                               "caseload_assignments=1")
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
    assert recs[1].detail == "involvements=2 handovers=0 referrals=1 owned_nodes=0 edges=4"
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
    assert [(r["role"], r["action"], r["purpose"], r["result"]) for r in rows if r["result"] == "ok"] == [
        ("coach", "view_household", "case_consultation", "ok")]
    assert "user" not in rows[0]  # staff names withheld unless --names
    out = runner.invoke(app, ["audit", "review", "--json"])
    assert out.exit_code == 0, out.output
    flags = json.loads(out.stdout)
    assert [(f["rule"], f["user"]) for f in flags if f["rule"] == "outside_caseload"] == [("outside_caseload", "coachA")]
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
    assert out.exit_code == 1 and "Name the account you act as" in out.output
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
