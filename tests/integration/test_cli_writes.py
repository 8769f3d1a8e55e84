"""``wijknet`` commands that write data act as an identified account and are audited before they write
(issue 21: more than 60 ``wijknet ingest`` runs wrote no audit record, and ``--user`` was free text)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.db import Database
from queries.access import Role
from queries.audit import AuditRecord
from tests.writers import session_audit

ROOT = Path(__file__).resolve().parents[2]
ORGS = str(ROOT / "mappings" / "organisaties.yaml")


@pytest.fixture(scope="module")
def accounts(db: Database) -> Iterator[None]:
    from app.auth import default_store

    store = default_store()
    for name, role, pid in (("cli-steward", Role.DATA_STEWARD, None), ("cli-coach", Role.COACH, "PR-CLI"),
                            ("cli-off", Role.DATA_STEWARD, None)):
        if store.get(name) is None:
            store.add_user(name, role, password_hash="x", professional_id=pid)
    store.set_disabled("cli-off")
    yield


def export(tmp_path: Path, code: str) -> Path:
    f = tmp_path / f"{code}.csv"
    f.write_text(f"code;naam;sector;groep;mandaat_verleend\n{code};Organisatie {code};zorg;;nee\n")
    return f


def organisation_exists(db: Database, code: str) -> bool:
    return db.execute("t_cli_org", "MATCH (o:Organisation {id: $id}) RETURN o.id AS id", {"id": code}).first() \
        is not None


def new_records(before: int) -> list[AuditRecord]:
    return list(session_audit().records())[before:]


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    from app.cli import app

    res = CliRunner().invoke(app, list(args), env={"WIJKNET_CLI_ACCOUNT": "", **(env or {})})
    return res.exit_code, res.output


def test_ingest_writes_as_the_account_and_is_audited_before_and_after(db: Database, accounts: None,
                                                                     tmp_path: Path) -> None:
    from app.identity import cli_access_point

    before = session_audit().count()
    code, out = invoke("ingest", ORGS, str(export(tmp_path, "ORG-CLI-1")), "--as", "cli-steward")
    assert code == 0, out
    assert organisation_exists(db, "ORG-CLI-1")
    recs = new_records(before)
    assert [(r.user, r.role, r.action, r.result) for r in recs] == [
        ("cli-steward", "data_steward", "ingest_load", "ok"), ("cli-steward", "data_steward", "ingest_load", "loaded")]
    assert {r.access_point for r in recs} == {cli_access_point()} and len({r.trace_id for r in recs}) == 1
    assert "rows=1 loaded=1 rejected=0" in recs[1].detail and recs[0].purpose == "data_loading"


def test_a_dry_run_is_audited_as_validation_for_the_account_of_the_environment(db: Database, accounts: None,
                                                                               tmp_path: Path) -> None:
    before = session_audit().count()
    code, out = invoke("ingest", "organisatie", str(export(tmp_path, "ORG-CLI-2")), "--dry-run",
                       env={"WIJKNET_CLI_ACCOUNT": "cli-steward"})
    assert code == 1 and "organisatie: no such mapping file, and no mapping of that name" in out, out
    assert "organisaties, overdrachten" in out and "Traceback" not in out, out
    # the shipped mapping by its name, as a steward outside the repository gives it
    code, out = invoke("ingest", "organisaties", str(export(tmp_path, "ORG-CLI-2")), "--dry-run",
                       env={"WIJKNET_CLI_ACCOUNT": "cli-steward"})
    assert code == 0, out
    assert not organisation_exists(db, "ORG-CLI-2")
    assert [(r.user, r.action, r.result) for r in new_records(before)] == [
        ("cli-steward", "ingest_validate", "ok"), ("cli-steward", "ingest_validate", "validated")]


@pytest.mark.parametrize(("args", "message", "detail"), [
    ((), "Noem het account waarmee u werkt: --as ACCOUNT of WIJKNET_CLI_ACCOUNT", "no account named"),
    (("--as", "nobody"), "Er is geen account 'nobody'", "unknown account 'nobody'"),
    (("--as", "cli-off"), "Het account 'cli-off' is uitgeschakeld", "account 'cli-off' is disabled"),
    (("--as", "cli-coach"), "Uw rol (wijkcoach) mag dit niet", "role coach not in admin,data_steward"),
])
def test_no_fitting_account_is_one_sentence_nothing_written_and_audited(db: Database, accounts: None,
                                                                       tmp_path: Path, args: tuple[str, ...],
                                                                       message: str, detail: str) -> None:
    before = session_audit().count()
    code, out = invoke("ingest", ORGS, str(export(tmp_path, "ORG-CLI-3")), *args)
    assert code == 1 and message in out and "Traceback" not in out, out
    assert not organisation_exists(db, "ORG-CLI-3")
    assert [(r.action, r.result, r.detail) for r in new_records(before)] == [("ingest_load", "denied", detail)]


def test_there_is_no_free_text_user_for_review_decisions(accounts: None) -> None:
    code, out = invoke("ingest", "review", "reject", "1", "--user", "anyone")
    assert code == 2 and "No such option: --user" in out


def test_the_demo_load_is_audited_as_the_system_actor(db: Database, accounts: None) -> None:
    from app.identity import cli_access_point
    from tests.conftest import wipe

    wipe(db)  # the demo goes only into a database without real imports, and this module imported files above
    before = session_audit().count()
    code, out = invoke("demo", "load", "--seed", "5", "--households", "1")
    assert code == 0, out
    recs = new_records(before)
    assert [(r.user, r.action, r.result) for r in recs][:2] == [("system:demo", "demo_load", "ok"),
                                                                ("system:demo", "demo_load", "loaded")]
    assert recs[0].access_point == cli_access_point() and recs[0].target == "synthetic:seed=5:households=1"
    code, out = invoke("demo", "load", "--seed", "5", "--households", "1", "--as", "cli-coach", "--force")
    assert code == 1 and "Uw rol (wijkcoach) mag dit niet" in out


def _rows_mapping(tmp_path: Path) -> Path:
    """The organisation mapping, but loading the valid rows of a file and listing the rejected ones."""
    m = tmp_path / "organisaties-rows.yaml"
    m.write_text((ROOT / "mappings" / "organisaties.yaml").read_text().replace(
        "policy: reject_file", "policy: load_valid_and_write_rejects"))
    return m


def _invoke_split(*args: str) -> tuple[int, str, str]:
    from app.cli import app

    res = CliRunner().invoke(app, list(args), env={"WIJKNET_CLI_ACCOUNT": ""})
    return res.exit_code, res.stdout, res.stderr


def test_rejected_rows_give_exit_status_3_and_the_report_on_stdout(db: Database, accounts: None,
                                                                   tmp_path: Path) -> None:
    """Issue 17 part 4: `wijknet ingest` exited 0 when rows were rejected and printed everything on stderr."""
    f = tmp_path / "orgs-bad-row.csv"
    f.write_text("code;naam;sector;groep;mandaat_verleend\nORG-CLI-R1;Goed;zorg;;nee\n"
                 "ORG-CLI-R2;Fout;zorg;;misschien\n")
    # checked first: once loaded, a dry run of the same file says "already imported" (what loading would do)
    code, out, err = _invoke_split("ingest", str(_rows_mapping(tmp_path)), str(f), "--dry-run", "--json",
                                   "--as", "cli-steward")
    doc = json.loads(out)  # stdout is one JSON document, nothing else
    assert code == 3 and doc["exit_status"] == 3
    [rep] = doc["reports"]
    assert (rep["status"], rep["rows_valid"], rep["rows_rejected"]) == ("validated", 1, 1)
    assert [(p["row"], p["key"], p["value"], p["code"]) for p in rep["problems"]] == [
        (3, "ORG-CLI-R2", "misschien", "bad_value")]

    code, out, err = _invoke_split("ingest", str(_rows_mapping(tmp_path)), str(f), "--as", "cli-steward")
    assert code == 3, (out, err)
    assert "rows read 2, loaded 1, rejected 1" in out
    assert "row 3 (key ORG-CLI-R2), column 'mandaat_verleend', value 'misschien'" in out
    assert "rows read" not in err and "exit status 3" in err
    assert "With --report-dir DIR every rejected row is also written to a file there" in err  # where the file is
    assert organisation_exists(db, "ORG-CLI-R1") and not organisation_exists(db, "ORG-CLI-R2")
    # a file whose import rejected a row is checked again (what it lacked may have come since), not "already
    # imported": the same row is rejected, and the note says it was imported before
    code, out, err = _invoke_split("ingest", str(_rows_mapping(tmp_path)), str(f), "--dry-run", "--as", "cli-steward")
    assert code == 3 and "imported before with 1 row rejected: checked again" in out, (out, err)
    assert "row 3 (key ORG-CLI-R2), column 'mandaat_verleend', value 'misschien'" in out


def test_a_clean_file_exits_0_and_a_file_rejected_whole_exits_1(db: Database, accounts: None,
                                                                tmp_path: Path) -> None:
    code, out, err = _invoke_split("ingest", ORGS, str(export(tmp_path, "ORG-CLI-OK")), "--as", "cli-steward")
    assert code == 0 and "rows read 1, loaded 1, rejected 0" in out, (out, err)
    f = tmp_path / "orgs-whole.csv"
    f.write_text("code;naam;sector;groep;mandaat_verleend\nORG-CLI-W1;Goed;zorg;;nee\nORG-CLI-W2;Fout;zorg;;soms\n")
    code, out, err = _invoke_split("ingest", ORGS, str(f), "--as", "cli-steward")
    assert code == 1 and "REJECTED" in out and "Error:" in err, (out, err)
    assert not organisation_exists(db, "ORG-CLI-W1")
    code, out, err = _invoke_split("ingest", ORGS, str(f), "--no-such-option")
    assert code == 2
    code, out, err = _invoke_split("ingest", "load", "--help")
    assert "Exit status" in out and "3 rows were rejected" in " ".join(out.split())


def test_who_saw_says_a_mistyped_household_id_is_unknown_not_that_nobody_looked(db: Database, accounts: None) -> None:
    """A steward's walk (08-12-2026): `wijknet audit who-saw` and the audit page answered "Nobody has looked at
    HH-NVL-00023" for an id one digit short; a data subject's request then got a false answer."""
    db.execute("t_who", "MERGE (:Household {id: 'HH-WHO-1'})", write=True)
    code, out = invoke("audit", "who-saw", "HH-WHO-1")
    assert code == 0 and out.strip() == "Nobody has looked at HH-WHO-1.", out
    code, out = invoke("audit", "who-saw", "HH-WHO-01")
    assert code == 0 and "no household has this id in the data: check the id" in out, out
