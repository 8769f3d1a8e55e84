"""Cypher injection: hostile strings through every query function and every named query leave the graph
unchanged (values travel only as parameters); the account store treats them as data too."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from graph.db import Database
from graph.errors import QueryFailed, WijknetError
from ingest.loader import load_records
from queries.audit import AuditLog
from queries.registry import all_queries, run
from tests.access_records import records
from tests.integration.test_access_matrix import ACTORS, FUNCTIONS, VALUES

INJECTIONS = [
    "Robby' WITH true as ignored MATCH (s) DETACH DELETE s; //",
    "HH-A\"}) MATCH (n) DETACH DELETE n //",
    "x` MATCH (n) DETACH DELETE n //",
    "' OR 1=1 //",
    "HH-A' OR '1'='1",
    "$household_id",
    "}) CALL { MATCH (n) SET n.pwned = true } //",
    "HH-A\n MATCH (n) DETACH DELETE n",
]
_WRITES = ("MERGE", "CREATE", "DELETE", "SET ", "REMOVE")


def counts(db: Database) -> tuple[int, int, int]:
    row = db.execute("test_counts", "MATCH (n) OPTIONAL MATCH (n)-[r]->() "
                     "RETURN count(DISTINCT n) AS n, count(r) AS r, "
                     "count(DISTINCT CASE WHEN n.pwned THEN n END) AS pwned").first()
    assert row is not None
    return int(row["n"]), int(row["r"]), int(row["pwned"])


@pytest.fixture(scope="module")
def data(db: Database) -> Database:
    load_records(db, records())
    return db


def _str_params(fn: Any) -> list[str]:
    out = []
    for name, p in list(inspect.signature(fn).parameters.items())[3:]:
        ann = str(p.annotation)
        if "str" in ann:
            out.append(name)
    return out


CASES = [(q, who, s) for q in FUNCTIONS for who in ("coachA", "lead", "policy", "admin")
         for s in INJECTIONS if _str_params(q.fn)]


@pytest.mark.parametrize(("q", "who", "hostile"), CASES,
                         ids=[f"{q.name.removeprefix('queries.')}-{w}-{i}" for i, (q, w, _) in enumerate(CASES)])
def test_query_functions_treat_hostile_text_as_data(data: Database, tmp_path: Path, q: Any, who: str,
                                                    hostile: str) -> None:
    before = counts(data)
    kwargs: dict[str, Any] = {}
    for name in list(inspect.signature(q.fn).parameters)[3:]:
        if name in _str_params(q.fn):
            kwargs[name] = hostile
        elif name in VALUES:
            kwargs[name] = VALUES[name]
    try:
        q.fn(data, AuditLog(tmp_path / "audit.sqlite"), ACTORS[who], **kwargs)
    except QueryFailed as exc:  # a parameterised query never fails on the value of a string
        pytest.fail(f"{q.name} failed on a hostile string: {exc}")
    except WijknetError:
        pass  # denied, unknown filter value, no such person: all fine
    assert counts(data) == before


READ_QUERIES = [q for q in all_queries().values() if q.params and not any(
    w in "\n".join(line for line in q.cypher.splitlines() if not line.startswith("//")).upper() for w in _WRITES)]
WRITE_QUERIES = [q for q in all_queries().values() if q.name.startswith("privacy_")]


@pytest.mark.parametrize("name", [q.name for q in READ_QUERIES])
def test_every_named_read_query_with_hostile_parameters(data: Database, name: str) -> None:
    before = counts(data)
    for hostile in INJECTIONS:
        params = {p: hostile for p in all_queries()[name].params}
        try:
            run(data, name, params)
        except QueryFailed:
            pass  # a string where a date is compared may be a type error; it is still only a value
    assert counts(data) == before


@pytest.mark.parametrize("hostile", INJECTIONS)
def test_erasure_and_retention_with_hostile_values_delete_nothing(data: Database, hostile: str) -> None:
    before = counts(data)
    assert run(data, "privacy_erase_person", {"person_id": hostile, "apply": True}, write=True).first() is None
    # A string cut-off compared with dates is null: nothing matches, nothing is removed.
    row = run(data, "privacy_retention", {"cutoff": hostile, "apply": True}, write=True).first()
    assert row == {"involvements": 0, "handovers": 0, "referrals": 0, "caseload_assignments": 0, "fact_versions": 0,
                   "signal_states": 0}
    assert counts(data) == before


def test_account_store_treats_hostile_names_as_data(tmp_path: Path) -> None:
    from argon2 import PasswordHasher

    from app.auth import SignInFailed, UserStore

    store = UserStore(tmp_path / "users.sqlite", hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    store.add_user("admin", "admin", password="a long enough password")
    for hostile in INJECTIONS + ["admin' --", "admin' OR '1'='1"]:
        with pytest.raises(SignInFailed):
            store.authenticate(hostile, "' OR '1'='1")
        assert store.check_session(hostile) is None
    assert [a.username for a in store.list_users()] == ["admin"]
