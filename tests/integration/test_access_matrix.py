"""The access matrix: every role × every actor-taking query function × own/other/ended household.

Functions are discovered by introspection — every public function in a ``queries`` module whose first
parameters are ``(db, audit, actor)`` — so functions added later are covered without editing this file. Each
call must end exactly as :data:`POLICY` says (served or ``AccessDenied``), serve no canary value the role may
not see (0 leaks), leave exactly one ``denied`` audit record per denial, exactly one ``ok`` record naming
the household per household view, and serve nothing at all when the audit store is unavailable. Only a coach
reads household content: every function called by any other role, the project lead included, is refused or
serves no field of :data:`~queries.access.HOUSEHOLD_CONTENT_FIELDS` and no canary value.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import queries
from graph.db import Database
from graph.errors import AccessDenied
from ingest.loader import load_records
from queries.access import (
    AGGREGATE_ROLES,
    CASELOAD_ROLES,
    DATA_ROLES,
    HOUSEHOLD_CONTENT_FIELDS,
    HOUSEHOLD_ROLES,
    ORGANISATION_ROLES,
    Actor,
    Role,
)
from queries.audit import AuditLog, AuditUnavailable
from tests.access_records import CANARY_CONTENT, CANARY_NAMES, CANARY_STREETS, HOUSEHOLDS, PERSONS, records

ACTORS = {
    "coachA": Actor("coachA", Role.COACH, "Wijkcoaches", "PR-CA"),
    "coachB": Actor("coachB", Role.COACH, "Wijkcoaches", "PR-CB"),
    "lead": Actor("lead", Role.PROJECT_LEAD, "Gemeente"),
    "policy": Actor("policy", Role.POLICYMAKER, "Gemeente"),
    "steward": Actor("steward", Role.DATA_STEWARD, "Gemeente"),
    "admin": Actor("admin", Role.ADMIN, "Gemeente"),
}
#: Functions that serve no client data at all (reference lists): they need no audit record.
NO_CLIENT_DATA = {"queries.aggregates.organisations"}
#: Values for required parameters other than db/audit/actor and the household (add one when a new
#: function needs it; the test says so).
# (privacy functions are dry runs by default, so the matrix deletes nothing)
VALUES: dict[str, Any] = {"as_of": date(2009, 1, 15), "today": None, "cutoff": date(1990, 1, 1),
                          "person_id": "PER-A1", "start": date(2004, 1, 1), "end": date(2012, 12, 31)}
HOUSEHOLD_PARAMS = ("household_id", "text")


@dataclass(frozen=True)
class QueryFunction:
    name: str
    fn: Callable[..., Any]
    household_param: str | None  # which parameter takes the household id (or the search text)

    @property
    def opens_household(self) -> bool:
        return self.household_param == "household_id"


def discover() -> list[QueryFunction]:
    found = []
    for mod_info in pkgutil.iter_modules(queries.__path__):
        mod = importlib.import_module(f"queries.{mod_info.name}")
        for name in getattr(mod, "__all__", []):
            fn = getattr(mod, name)
            if not inspect.isfunction(fn):
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:3] == ["db", "audit", "actor"]:
                hp = next((p for p in params[3:] if p in HOUSEHOLD_PARAMS), None)
                found.append(QueryFunction(f"{mod.__name__}.{name}", fn, hp))
    return sorted(found, key=lambda q: q.name)


FUNCTIONS = discover()


def allowed_roles(q: QueryFunction) -> tuple[Role, ...]:
    """The policy: which roles a function serves (scope for households is checked separately)."""
    short = q.name.rsplit(".", 1)[1]
    if q.opens_household:
        return HOUSEHOLD_ROLES
    if q.name.startswith("queries.privacy."):
        return DATA_ROLES  # retention and erasure
    if q.name.startswith("queries.household."):
        return (Role.COACH,)  # caseload, search: a coach's own households only
    if "caseload_per_coach" in short:
        return CASELOAD_ROLES  # the lead's intake: pseudonyms and counts
    if any(w in short for w in ("collaboration", "handover", "cluster", "bottleneck")):
        return ORGANISATION_ROLES
    return AGGREGATE_ROLES


def expected(q: QueryFunction, actor: Actor, household: str) -> str:
    if actor.role not in allowed_roles(q):
        return "denied"
    if q.opens_household and actor.role == Role.COACH:
        own = {"PR-CA": "HH-A", "PR-CB": "HH-B"}[actor.professional_id or ""]
        return "ok" if household == own else "denied"
    return "ok"


def _content(hh: str) -> list[str]:
    return CANARY_NAMES[hh] + [CANARY_STREETS[hh]] + CANARY_CONTENT[hh]


def forbidden(actor: Actor) -> list[str]:
    """Canary values ``actor`` must never be served."""
    content = [v for hh in HOUSEHOLDS for v in _content(hh)]
    if actor.role == Role.COACH:
        own = {"PR-CA": "HH-A", "PR-CB": "HH-B"}[actor.professional_id or ""]
        return [v for hh in HOUSEHOLDS if hh != own for v in _content(hh)]
    if actor.role == Role.PROJECT_LEAD:
        # No household content at all (names, addresses, plan text, reasons); persons not even by id.
        return content + [p for ps in PERSONS.values() for p, _ in ps]
    return content + list(HOUSEHOLDS) + [p for ps in PERSONS.values() for p, _ in ps]


def call(q: QueryFunction, db: Database, audit: AuditLog, actor: Actor, household: str) -> Any:
    kwargs: dict[str, Any] = {}
    for name, p in list(inspect.signature(q.fn).parameters.items())[3:]:
        if name == q.household_param:
            kwargs[name] = household
        elif name in VALUES:
            kwargs[name] = VALUES[name]
        elif p.default is inspect.Parameter.empty:
            pytest.fail(f"{q.name} needs parameter {name!r}: add a value to VALUES in {Path(__file__).name}")
    return q.fn(db, audit, actor, **kwargs)


def render(value: Any) -> str:
    """Everything a result could show, as text (DataFrames fully, dataclasses by repr)."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 10_000):
            return value.to_string() + repr(list(value.index)) + repr(list(value.columns))
    if isinstance(value, list | tuple):
        return "\n".join(render(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return repr(value) + "\n".join(render(getattr(value, f)) for f in value.__dataclass_fields__)
    return repr(value)


@pytest.fixture(scope="module")
def data(db: Database) -> Database:
    load_records(db, records())
    return db


def test_discovery_finds_the_known_query_functions() -> None:
    names = {q.name for q in FUNCTIONS}
    assert FUNCTIONS, "no query function takes (db, audit, actor)"
    for expected_name in ("queries.household.household_view", "queries.aggregates.overlap_view"):
        module = expected_name.rsplit(".", 1)[0]
        if importlib.util.find_spec(module) is not None:
            assert expected_name in names


CASES = [(q, a, hh) for q in FUNCTIONS for a in ACTORS
         for hh in (HOUSEHOLDS if q.household_param else HOUSEHOLDS[:1])]


@pytest.mark.parametrize(("q", "who", "household"), CASES,
                         ids=[f"{q.name.removeprefix('queries.')}-{a}-{hh}" for q, a, hh in CASES])
def test_matrix(data: Database, tmp_path: Path, q: QueryFunction, who: str, household: str) -> None:
    actor = ACTORS[who]
    audit = AuditLog(tmp_path / "audit.sqlite")
    want = expected(q, actor, household)
    if want == "denied":
        with pytest.raises(AccessDenied):
            call(q, data, audit, actor, household)
        recs = list(audit.records())
        assert [(r.user, r.result) for r in recs] == [(actor.user, "denied")], "a denial must be audited once"
        if q.opens_household:
            assert recs[0].target == household and recs[0].purpose
        return
    result = call(q, data, audit, actor, household)
    text = render(result)
    leaks = [v for v in forbidden(actor) if v in text]
    assert leaks == [], f"{q.name} served {leaks} to {who}"
    recs = list(audit.records())
    assert all(r.result == "ok" and r.user == actor.user for r in recs)
    if q.opens_household:
        assert [(r.action, r.target) for r in recs] == [("view_household", household)]
        assert recs[0].purpose and recs[0].role == actor.role and recs[0].at
        if actor.role == Role.COACH and result is not None:
            assert CANARY_NAMES[household][0] in text  # the coach does see names in scope
    elif q.name not in NO_CLIENT_DATA:
        assert len(recs) >= 1, f"{q.name} served data without an audit record"


ALLOWED = [(q, a) for q in FUNCTIONS for a in ACTORS if expected(q, ACTORS[a], "HH-A") == "ok"
           and q.name not in NO_CLIENT_DATA]


@pytest.mark.parametrize(("q", "who"), ALLOWED, ids=[f"{q.name.removeprefix('queries.')}-{a}" for q, a in ALLOWED])
def test_nothing_is_served_without_the_audit_log(data: Database, tmp_path: Path, q: QueryFunction, who: str
                                                 ) -> None:
    blocker = tmp_path / "full-disk"
    blocker.write_text("")
    broken = AuditLog(blocker / "audit.sqlite")  # its directory is a file: every write fails
    with pytest.raises(AuditUnavailable):
        call(q, data, broken, ACTORS[who], "HH-A")


def test_ended_assignment_ends_scope(data: Database, tmp_path: Path) -> None:
    from queries.access import can_see_household, coach_caseload

    coach = ACTORS["coachA"]
    assert can_see_household(data, coach, "HH-C", date(2019, 12, 31)) is True
    assert can_see_household(data, coach, "HH-C", date(2020, 1, 1)) is True  # the last day still counts
    assert can_see_household(data, coach, "HH-C", date(2020, 1, 2)) is False
    assert coach_caseload(data, coach, date(2019, 6, 1)) == ["HH-A", "HH-C"]
    assert coach_caseload(data, coach) == ["HH-A"]
    assert coach_caseload(data, ACTORS["lead"]) == []


def test_unknown_purpose_is_denied_and_audited(data: Database, tmp_path: Path) -> None:
    from queries.access import open_household

    audit = AuditLog(tmp_path / "audit.sqlite")
    with pytest.raises(AccessDenied, match="Unknown purpose"):
        open_household(data, audit, ACTORS["coachA"], "HH-A", purpose="curiosity")
    assert [(r.result, r.purpose, r.detail) for r in audit.records()] == [("denied", "curiosity", "unknown purpose")]


def content_fields(value: Any, path: str = "result") -> list[str]:
    """Where ``value`` carries a field or column named in :data:`HOUSEHOLD_CONTENT_FIELDS` (dataclass fields,
    DataFrame columns and index names, mapping keys), walked all the way down."""
    import pandas as pd

    found: list[str] = []
    if isinstance(value, pd.DataFrame):
        names = [str(c) for c in value.columns] + [str(n) for n in value.index.names if n is not None]
        found += [f"{path}[{n!r}]" for n in names if n in HOUSEHOLD_CONTENT_FIELDS]
    elif hasattr(value, "__dataclass_fields__"):
        for f in value.__dataclass_fields__:
            if f in HOUSEHOLD_CONTENT_FIELDS:
                found.append(f"{path}.{f}")
            found += content_fields(getattr(value, f), f"{path}.{f}")
    elif isinstance(value, dict):
        for key, v in value.items():
            if str(key) in HOUSEHOLD_CONTENT_FIELDS:
                found.append(f"{path}[{key!r}]")
            found += content_fields(v, f"{path}[{key!r}]")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            found += content_fields(v, f"{path}[{i}]")
    return found


NOT_COACHES = [a for a in ACTORS if ACTORS[a].role != Role.COACH]
CONTENT_CASES = [(q, a, hh) for q in FUNCTIONS for a in NOT_COACHES for hh in HOUSEHOLDS]


@pytest.mark.parametrize(("q", "who", "household"), CONTENT_CASES,
                         ids=[f"{q.name.removeprefix('queries.')}-{a}-{hh}" for q, a, hh in CONTENT_CASES])
def test_only_a_coach_reads_household_content(data: Database, tmp_path: Path, q: QueryFunction, who: str,
                                              household: str) -> None:
    """Every public query function, called by the project lead (and every other role but coach) with a household
    as target where it takes one: refused, or a result without a single content field or canary value."""
    actor = ACTORS[who]
    audit = AuditLog(tmp_path / "audit.sqlite")
    try:
        result = call(q, data, audit, actor, household)
    except AccessDenied:
        recs = list(audit.records())
        assert [(r.user, r.result) for r in recs] == [(actor.user, "denied")]
        if q.opens_household:
            assert (recs[0].action, recs[0].target) == ("view_household", household)
        return
    assert not q.opens_household, f"{q.name} opened {household} for {who}"
    assert content_fields(result) == [], f"{q.name} served household content to {who}"
    text = render(result)
    assert [v for v in forbidden(actor) if v in text] == []


def test_the_lead_reads_no_household_and_is_audited_with_purpose(data: Database, tmp_path: Path) -> None:
    from queries import aggregates
    from queries.access import can_see_household, open_household

    lead = ACTORS["lead"]
    audit = AuditLog(tmp_path / "audit.sqlite")
    for hh in HOUSEHOLDS:
        assert can_see_household(data, lead, hh) is False
        with pytest.raises(AccessDenied, match="may not open a household"):
            open_household(data, audit, lead, hh, purpose="case_consultation")
    aggregates.collaboration_view(data, audit, lead, start=date(2008, 1, 1), end=date(2009, 12, 31))
    aggregates.handover_view(data, audit, lead, start=date(2008, 1, 1), end=date(2009, 12, 31))
    assert [(r.action, r.target, r.purpose, r.result) for r in audit.records()] == [
        ("view_household", hh, "case_consultation", "denied") for hh in HOUSEHOLDS] + [
        ("view_collaboration", "", "partner_collaboration", "ok"), ("view_handovers", "", "partner_collaboration", "ok")]


def test_caseload_per_coach_gives_the_lead_pseudonyms_and_counts(data: Database, tmp_path: Path) -> None:
    from queries.people import caseload_per_coach

    audit = AuditLog(tmp_path / "audit.sqlite")
    lead = ACTORS["lead"]
    then = caseload_per_coach(data, audit, lead, today=date(2019, 6, 1))
    assert [(c.professional_id, c.coach, c.households, c.count) for c in then] == [
        ("PR-CA", "Coach Alfa", ("HH-A", "HH-C"), 2), ("PR-CB", "Coach Beta", ("HH-B",), 1)]
    now = caseload_per_coach(data, audit, lead)
    assert [(c.professional_id, c.households) for c in now] == [("PR-CA", ("HH-A",)), ("PR-CB", ("HH-B",))]
    assert [(r.action, r.purpose, r.result) for r in audit.records()] == [
        ("view_caseload_per_coach", "caseload_management", "ok")] * 2


def test_the_lead_cli_reports_carry_no_household_content(data: Database) -> None:
    import json
    import os
    import subprocess
    import sys

    # In a process of its own, as a user runs it (the command's driver closes with that process).
    env = {**os.environ, "NEO4J_URI": data.uri, "NEO4J_USER": data.user, "NEO4J_PASSWORD": data.password}
    lead_forbidden = forbidden(ACTORS["lead"])
    for args in (["report", "collaboration", "--from", "2004-01-01", "--as-of", "2012-12-31"],
                 ["report", "handovers", "--from", "2004-01-01", "--as-of", "2012-12-31"],
                 ["report", "overlap", "--role", "project_lead", "--as-of", "2009-01-15"]):
        out = subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, capture_output=True, text=True,
                             timeout=300, check=False)
        assert out.returncode == 0, out.stderr
        report = json.loads(out.stdout)
        assert content_fields(report) == [], args
        assert [v for v in lead_forbidden if v in out.stdout] == [], args
