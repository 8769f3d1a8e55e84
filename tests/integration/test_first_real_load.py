"""A municipality from scratch, as a data steward does it (issue 17, part 7; docs/ingest.md *Your first real load*).

From an EMPTY database, and with nothing but the documented ``wijknet`` commands, each run in its own process
exactly as typed on a command line: the first admin account (bootstrap), a data steward's account, then the reference data (areas, the postcode → area table,
organisations with aliases, staff), a BRP extract (``;``, cp1252, no area column), an involvement export naming
organisations by name (staff first seen in it created), the caseload and every coach-side kind. No step loads
data from Python. Then the coach signs in with the password given to ``wijknet users add`` and opens a household
of their caseload through the query layer, and the overlap report is run as a policymaker.

The exports are the synthetic municipality of ``tests/fixtures/exports`` (each with its planted bad rows, which
must be reported and skipped, never loaded).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.db import Database
from tests.writers import session_audit

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
WIJKNET = str(Path(sys.executable).with_name("wijknet"))
ADMIN, STEWARD, COACH, POLICY = "beheerder", "eerste-steward", "coach-wc01", "beleid"
PASSWORD = "een-lang-wachtwoord-2008"
AS_OF = date(2009, 1, 15)
OVERLAP_AS_OF = date(2008, 12, 31)  # the overlap table is published for quarter ends only

#: The steps of docs/ingest.md *Your first real load*, in order: (mapping and export stem, rows loaded, rows
#: rejected). The rejected rows are the planted bad ones (tests/integration/test_ingest_kinds.py names them).
STEPS: list[tuple[str, int, int]] = [
    ("gebieden", 3, 0),
    ("postcodegebieden", 3, 0),
    ("organisaties", 4, 0),
    ("medewerkers", 3, 0),
    ("brp_postcodegebied", 4, 1),      # 7999 ZZ: not in the postcode → area table
    ("vis2_op_naam", 3, 1),            # "Stichting Onbekend": no organisation of that name or alias
    ("overdrachten", 1, 0),
    ("caseload", 2, 3),                # an address, a professional and a household that do not exist
    ("clientsysteem", 2, 1),
    ("buren", 1, 1),
    ("mantelzorg", 2, 0),
    ("mandaten", 1, 0),
    ("mandaathouders", 1, 0),
    ("adviezen", 1, 1),
    ("plannen", 2, 0),
    ("doelen", 2, 2),
    ("afspraken", 2, 0),
    ("participatieladder", 2, 1),
    ("signalen", 2, 0),
    ("toestemmingen", 2, 0),
    ("overleggen", 1, 1),
]


def wijknet(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``wijknet ARGS…`` in its own process, with the test session's environment (its Neo4j, state dir and
    keys) and no controlling terminal, so a password prompt reads the typed lines from stdin."""
    return subprocess.run([WIJKNET, *args], input=stdin, capture_output=True, text=True, timeout=120,
                          check=False, env={**os.environ, "WIJKNET_CLI_ACCOUNT": ""}, start_new_session=True,
                          cwd=ROOT)  # the commands name mappings/… and tests/fixtures/exports/… as the docs do


def count(db: Database, cypher: str) -> int:
    row = db.execute("t_first_load", cypher, {}).first()
    assert row is not None
    return int(row["n"])


@pytest.fixture(scope="module")
def own_state(db: Database) -> Iterator[Path]:
    """A state directory of this module's own — no accounts, an empty audit log — as on a new server; the
    commands reach the session's Neo4j (emptied for this module) by NEO4J_URI instead of the state dir."""
    state = Path(tempfile.mkdtemp(prefix="wijknet-test-state-first-load-"))
    env = {"WIJKNET_STATE_DIR": str(state), "NEO4J_URI": db.uri, "NEO4J_USER": db.user,
           "NEO4J_PASSWORD": db.password}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield state
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def loaded(db: Database, own_state: Path) -> dict[str, dict[str, Any]]:
    """Run every step of *Your first real load*; the JSON summary of each ingest, by stem."""
    from app.auth import default_store

    # Nothing of the demo (or of any other test module) is there: the steward starts from an empty database.
    assert count(db, "MATCH (n) WHERE NOT n:SchemaVersion RETURN count(n) AS n") == 0
    assert default_store().list_users() == []

    typed = f"{PASSWORD}\n{PASSWORD}\n"
    res = wijknet("users", "add", ADMIN, "--role", "admin", stdin=typed)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"Added {ADMIN} (admin) as the first admin account (system:bootstrap)." in res.stdout
    res = wijknet("users", "add", STEWARD, "--role", "data_steward", "--as", ADMIN, stdin=typed)
    assert res.returncode == 0 and f"Added {STEWARD} (data_steward)." in res.stdout, res.stdout + res.stderr
    summaries: dict[str, dict[str, Any]] = {}
    for stem, _, rejected in STEPS:
        res = wijknet("ingest", f"mappings/{stem}.yaml", f"tests/fixtures/exports/{stem}.csv", "--as", STEWARD,
                      "--json")
        # 0: every row loaded; 3: the planted bad rows were rejected, the valid ones loaded
        assert res.returncode == (3 if rejected else 0), f"{stem}: {res.stdout}{res.stderr}"
        assert "Traceback" not in res.stderr
        out = json.loads(res.stdout)
        assert out["exit_status"] == res.returncode
        [summaries[stem]] = out["reports"]
    # The coach's account names the Professional the staff registry loaded (WC-01, Anouk Jansen).
    res = wijknet("users", "add", COACH, "--role", "coach", "--professional-id", "WC-01",
                  "--organisation", "Wijkcoaches (gemeente)", "--as", ADMIN, stdin=typed)
    assert res.returncode == 0 and f"Added {COACH} (coach)." in res.stdout, res.stdout + res.stderr
    res = wijknet("users", "add", POLICY, "--role", "policymaker", "--organisation", "Gemeente (beleid)", "--as", ADMIN,
                  stdin=typed)
    assert res.returncode == 0 and f"Added {POLICY} (policymaker)." in res.stdout, res.stdout + res.stderr
    return summaries


@pytest.mark.parametrize(("stem", "rows_loaded", "rows_rejected"), STEPS)
def test_each_step_loads_its_rows_and_reports_only_the_planted_bad_ones(loaded: dict[str, dict[str, Any]],
                                                                      stem: str, rows_loaded: int,
                                                                      rows_rejected: int) -> None:
    s = loaded[stem]
    assert (s["status"], s["rows_loaded"], s["rows_rejected"]) == ("loaded", rows_loaded, rows_rejected), s
    assert len({p["row"] for p in s["problems"]}) == rows_rejected and all(p["reason"] for p in s["problems"])


def test_every_load_was_audited_as_the_steward(loaded: dict[str, dict[str, Any]]) -> None:
    recs = [r for r in session_audit().records() if r.user == STEWARD and r.action == "ingest_load"]
    assert [r.result for r in recs] == ["ok", "loaded"] * len(STEPS)


def test_the_graph_holds_the_two_households_and_nothing_of_the_bad_rows(db: Database,
                                                                        loaded: dict[str, dict[str, Any]]) -> None:
    households = db.execute("t_first_hh", "MATCH (h:Household)-[:IN_AREA]->(a:Area) "
                            "RETURN h.address_key AS k, a.code AS a, COUNT { (h)-[:HAS_MEMBER]->() } AS members "
                            "ORDER BY k", {}).rows
    assert households == [{"k": "7545AB|12|", "a": "BWK", "members": 3}, {"k": "7545CD|4|A", "a": "PTH", "members": 1}]
    per_household = db.execute("t_first_inv", "MATCH (h:Household) OPTIONAL MATCH (h)-[:HAS_MEMBER]->()"
                               "<-[:CONCERNS]-(i:Involvement) RETURN h.address_key AS k, count(DISTINCT i) AS n "
                               "ORDER BY k", {}).rows
    assert [(r["k"], r["n"]) for r in per_household] == [("7545AB|12|", 2), ("7545CD|4|A", 1)]
    # TAC-11 was first seen in the involvement export and created; XX-1 (unknown organisation) was not
    assert count(db, "MATCH (p:Professional) RETURN count(p) AS n") == 4
    assert count(db, "MATCH (p:Professional {created_from_export: true}) RETURN count(p) AS n") == 1
    # no BSN is stored anywhere: persons are pseudonymised at once
    assert count(db, "MATCH (p:Person) WHERE p.bsn IS NOT NULL RETURN count(p) AS n") == 0


@pytest.fixture(scope="module")
def coach_actor(loaded: dict[str, dict[str, Any]]) -> Any:
    """The coach signs in with the password typed at ``wijknet users add`` (the app's sign-in check)."""
    from app.auth import default_store

    account = default_store().authenticate(COACH, PASSWORD)
    return account.actor(access_point="test-first-load")


def test_the_coach_signs_in_and_sees_the_caseload(db: Database, coach_actor: Any) -> None:
    from queries.access import Role
    from queries.household import caseload

    assert (coach_actor.role, coach_actor.professional_id) == (Role.COACH, "WC-01")
    entries = caseload(db, session_audit(), coach_actor, today=AS_OF)
    assert sorted((e.postcode, e.area_code, e.since, e.members) for e in entries) == [
        ("7545 AB", "BWK", date(2008, 9, 1), 3), ("7545 CD", "PTH", date(2008, 10, 1), 1)]  # as people write it


def test_the_coach_opens_a_household_with_its_whole_client_system(db: Database, coach_actor: Any) -> None:
    from queries.household import caseload, household_view

    [hid] = [e.id for e in caseload(db, session_audit(), coach_actor, today=AS_OF) if e.postcode == "7545 AB"]
    before = session_audit().count()
    v = household_view(db, session_audit(), coach_actor, hid, today=AS_OF)
    assert [(r.user, r.action, r.target, r.result) for r in list(session_audit().records())[before:]] == [
        (COACH, "view_household", hid, "ok")]
    assert (v.household.address, v.household.area_name, v.data_problems) == ("Boswinkelweg 12", "Boswinkel", [])
    # The example register mapping keeps names out of the graph (store_names: false): the coach sees each
    # person by role, birth year and pseudonymous id.
    assert sorted((p.role, p.birth_year, p.name) for p in v.members()) == [
        ("hoofd", 1970, None), ("kind", 2001, None), ("partner", 1972, None)]
    client_system = {p.role: p for p in v.people if p.kind == "client_system"}
    assert sorted((p.role, p.birth_year, p.since) for p in client_system.values()) == [
        ("betrokken buurvrouw", 1960, date(2008, 4, 1)), ("oma", 1944, date(2008, 1, 1))]
    [partner] = [p.id for p in v.members() if p.role == "partner"]
    # grandmother and the involved neighbour also support the partner informally (the same persons)
    assert sorted((p.role, p.id, p.supports) for p in v.people if p.kind == "informal") == sorted([
        ("luisterend oor", client_system["betrokken buurvrouw"].id, (partner,)),
        ("opvang kinderen", client_system["oma"].id, (partner,))])
    assert sorted((i.id, i.professional_id, i.organisation_id, i.role) for i in v.involvements) == [
        ("VIS2-5001", "SMD-07", "ORG-SMD", "casemanager"), ("VIS2-5002", "TAC-11", "ORG-TACTUS", "casemanager")]
    assert [(h.from_id, h.to_id, h.date) for h in v.handovers] == [("VIS2-5001", "VIS2-5002", date(2008, 6, 1))]
    assert [(c.professional_id, c.since, c.until, c.name) for c in v.coaches] == [
        ("WC-01", date(2008, 9, 1), None, "Anouk Jansen")]
    assert sorted((g.life_domain, g.text, g.status) for g in v.goals) == [
        ("INKOMEN_FINANCIEN_SCHULDEN", "Schulden in beeld en regeling getroffen", "lopend"),
        ("WERK_PARTICIPATIE", "Vrijwilligerswerk gevonden", "behaald")]
    # On the as-of date: goal 2 was set on 15-10-2008 and reached ("behaald") only on 01-03-2009.
    assert [(g.text, g.status) for g in v.goals_on(date(2009, 2, 28)) if g.life_domain == "WERK_PARTICIPATIE"] == [
        ("Vrijwilligerswerk gevonden", "lopend")]
    assert [g.status for g in v.goals_on(date(2009, 3, 1)) if g.life_domain == "WERK_PARTICIPATIE"] == ["behaald"]
    assert v.goals_on(date(2008, 10, 14)) == []
    assert sorted((a.kind, a.status) for a in v.agreements) == [("afspraak", "open"), ("sanctie", "aangekondigd")]
    assert sorted((s.date, s.rung) for s in v.ladder) == [(date(2008, 10, 1), 2), (date(2009, 4, 1), 3)]
    assert [(m.id, m.organisation_id, m.in_force(AS_OF)) for m in v.mandates] == [
        ("MAN-WP-TOEWIJZING", "ORG-DE-WOONPLAATS", True)]


def test_the_coach_opens_the_other_household_of_the_caseload(db: Database, coach_actor: Any) -> None:
    from queries.household import caseload, household_view

    [hid] = [e.id for e in caseload(db, session_audit(), coach_actor, today=AS_OF) if e.postcode == "7545 CD"]
    v = household_view(db, session_audit(), coach_actor, hid, today=AS_OF)
    assert [(p.role, p.birth_year) for p in v.members()] == [("hoofd", 1980)]
    assert [(i.id, i.organisation_id, i.role) for i in v.involvements] == [
        ("VIS2-5003", "ORG-DE-WOONPLAATS", "uitvoerend")]


def test_an_account_for_a_professional_the_database_does_not_hold_is_refused(loaded: dict[str, dict[str, Any]]
                                                                              ) -> None:
    """A coach account with a mistyped professional id (WC-10 for WC-01) was added, linked to nobody: the coach saw
    no household and nothing said why. The id is checked against the graph; --unknown-professional adds an account
    before its professional is loaded."""
    typed = f"{PASSWORD}\n{PASSWORD}\n"
    res = wijknet("users", "add", "coach-typo", "--role", "coach", "--professional-id", "WC-10", "--as", ADMIN,
                  stdin=typed)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "no professional with id 'WC-10' is in the database; nothing was added" in res.stdout + res.stderr
    # a professional who is no wijkcoach (SMD-07, a social worker) cannot stand behind a coach account
    res = wijknet("users", "add", "coach-smd", "--role", "coach", "--professional-id", "SMD-07", "--as", ADMIN,
                  stdin=typed)
    assert res.returncode == 1 and "'SMD-07' is in the database, but not as a wijkcoach" in res.stdout + res.stderr
    # the way out it names is the staff export, not --unknown-professional (a walk: that would tie a coach's
    # account to someone who is not one)
    assert "--unknown-professional" not in res.stdout + res.stderr and "wijkcoach: ja" in res.stdout + res.stderr
    listed = wijknet("users", "list").stdout
    assert "coach-typo" not in listed and "coach-smd" not in listed
    # the columns stand under their headings whatever a name's length (a name of 17 letters shifted its row);
    # an account added without --organisation is the profile municipality's
    header, *rows = listed.splitlines()
    at = header.index("role")
    assert rows and all(r[at - 2:at] == "  " and r[at] != " " for r in rows), listed
    assert "Gemeente Enschede" in next(r for r in rows if r.startswith(STEWARD + " "))
    res = wijknet("users", "add", "coach-later", "--role", "coach", "--professional-id", "WC-02",
                  "--unknown-professional", "--as", ADMIN, stdin=typed)
    assert res.returncode == 0 and "Added coach-later (coach)." in res.stdout, res.stdout + res.stderr


def test_a_step_run_again_says_already_imported(loaded: dict[str, dict[str, Any]]) -> None:
    res = wijknet("ingest", "mappings/gebieden.yaml", "tests/fixtures/exports/gebieden.csv", "--as", STEWARD,
                  "--json")
    assert res.returncode == 0, res.stdout + res.stderr
    [s] = json.loads(res.stdout)["reports"]
    # nothing written again (the summary's rows_loaded repeats what the first import loaded)
    assert (s["status"], s["records_written"]) == ("already_imported", {}), s


#: Households by number of active casemanagers on OVERLAP_AS_OF: Boswinkel's household has two (SMD and Tactus, on two
#: members), Pathmos's one (De Woonplaats). Every count under the threshold (k = 10) is shown as "x"; an empty cell
#: stays 0 (a "0" string where the cell is a count that could be suppressed).
#: a count is a number beside a hidden "x" in the same column (it was the text "0" there, 0 elsewhere: a review)
DISTRIBUTION = [
    {"area": "BWK", "0": 0, "1": 0, "2": "x", "3–4": 0, "5–9": 0, "10+": 0, "Total": "x"},
    {"area": "PTH", "0": 0, "1": "x", "2": 0, "3–4": 0, "5–9": 0, "10+": 0, "Total": "x"},
    {"area": "Total", "0": 0, "1": "x", "2": "x", "3–4": 0, "5–9": 0, "10+": 0, "Total": "x"},
]


def test_a_policymaker_sees_the_overlap_table(loaded: dict[str, dict[str, Any]]) -> None:
    before = session_audit().count()
    res = wijknet("report", "overlap", "--as-of", OVERLAP_AS_OF.isoformat(), "--as", POLICY, "--format", "json")
    assert res.returncode == 0, res.stdout + res.stderr
    # read as the account, in its role, from the command line (the audit log names the person, as for a page)
    read = {(r.user, r.role, r.action, r.result, r.access_point.startswith("cli:"))
            for r in list(session_audit().records())[before:]}
    assert (POLICY, "policymaker", "view_overlap", "ok", True) in read, read
    out = json.loads(res.stdout)
    assert (out["as_of"], out["k"], out["area"], out["life_domain"]) == (OVERLAP_AS_OF.isoformat(), 10, None, None)
    assert out["distribution"] == DISTRIBUTION
    assert [r["area_kind"] for r in out["by_area_kind"]] == ["experiment", "Total"]
    assert [(r["area"], r["dubbele casemanager"]) for r in out["double_casemanager"]] == [
        ("BWK", 0), ("PTH", 0), ("Total", 0)]
    assert {r["organisation"] for r in out["pair_matrix"]} == {"ORG-DE-WOONPLAATS", "ORG-SMD", "ORG-TACTUS"}
    pairs = {r["organisation"]: r for r in out["pair_matrix"]}
    assert (pairs["ORG-SMD"]["ORG-TACTUS"], pairs["ORG-SMD"]["ORG-DE-WOONPLAATS"]) == ("x", 0)
    # Another day than a quarter's end: one sentence naming the nearest two, no table, no traceback.
    res = wijknet("report", "overlap", "--as-of", "2009-01-15", "--as", POLICY, "--format", "json")
    said = res.stdout + res.stderr
    assert res.returncode != 0 and "{" not in res.stdout, said
    assert "15-01-2009 is not one. Choose 31-12-2008 or 31-03-2009." in said and "Traceback" not in said, said
    # The day it suggests, written as it suggests it, is taken (the same table as in ISO); an account whose role
    # reads no aggregates, no account, an unknown one, or the old --role are refused by name, not as "something
    # unexpected", and nothing is read
    res = wijknet("report", "overlap", "--as-of", f"{OVERLAP_AS_OF:%d-%m-%Y}", "--as", POLICY.upper(), "--format",
                  "json")
    assert res.returncode == 0 and json.loads(res.stdout)["distribution"] == DISTRIBUTION, res.stdout + res.stderr
    # (a refusal reads in the app's language, Dutch, from every command; a usage error in the command's English)
    for args, words in ((("--as", COACH), "Uw rol (wijkcoach) mag dit niet: overlap bekijken."),
                        ((), "Noem het account waarmee u werkt: --as ACCOUNT of WIJKNET_CLI_ACCOUNT"),
                        (("--as", "nobody"), "Er is geen account 'nobody'"),
                        (("--as", POLICY, "--role", "policymaker"), "--role 'policymaker' is no longer used")):
        res = wijknet("report", "overlap", *args)
        said = res.stdout + res.stderr
        assert res.returncode == 1 and words in said and "{" not in res.stdout, (args, said)
        assert "unexpected" not in said and "Traceback" not in said
    # the collaboration report is the project lead's: a policymaker's account is refused, an admin's reads it
    res = wijknet("report", "collaboration", "--as", POLICY)
    assert res.returncode == 1 and "Uw rol (beleidsmedewerker) mag dit niet" in res.stdout + res.stderr, res.stderr
    res = wijknet("report", "collaboration", "--as", ADMIN, "--as-of", "2008-12-31")
    assert res.returncode == 0 and json.loads(res.stdout)["to"] == "2008-12-31", res.stdout + res.stderr
