"""The access matrix: every role × every actor-taking query function × own/other/ended household, and every role
× every write function × every write action it does.

Functions are discovered by introspection — every public function in a ``queries`` module whose first
parameters are ``(db, audit, actor)`` — so functions added later are covered without editing this file. Each
call must end exactly as :data:`POLICY` says (served or ``AccessDenied``), serve no canary value the role may
not see (0 leaks), leave exactly one ``denied`` audit record per denial, exactly one ``ok`` record naming
the household per household view, and serve nothing at all when the audit store is unavailable. Only a coach
reads household content: every function called by any other role, the project lead included, is refused or
serves no field of :data:`~queries.access.HOUSEHOLD_CONTENT_FIELDS` and no canary value.

Write functions are the public functions of :data:`WRITE_PACKAGES` marked by :func:`ingest.entry.writes`; the
policy is :data:`queries.access.WRITE_ACTIONS`. Each write must be refused (one ``denied`` record, nothing
written) for a role the table does not name, audited (``ok`` record, then its outcome) for one it does, and
write nothing when the audit store is unavailable.
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
    INTAKE_ROLES,
    NOTICE_ROLES,
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
    "partner": Actor("partner", Role.PARTNER, "Tactus", "PR-T"),
}
#: Functions that serve no client data at all (reference lists): they need no audit record.
NO_CLIENT_DATA = {"queries.aggregates.organisations"}
#: Values for required parameters other than db/audit/actor and the household (add one when a new
#: function needs it; the test says so).
# (privacy functions are dry runs by default, so the matrix deletes nothing)
VALUES: dict[str, Any] = {"as_of": date(2008, 12, 31), "today": None, "cutoff": date(1990, 1, 1),
                          "person_id": "PER-A1", "household": "HH-A", "start": date(2009, 1, 1), "end": date(2009, 12, 31),
                          "postcode": "7513 AB", "house_number": 1}
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
    from ingest.entry import write_actions_of

    found = []
    for mod_info in pkgutil.iter_modules(queries.__path__):
        mod = importlib.import_module(f"queries.{mod_info.name}")
        for name in getattr(mod, "__all__", []):
            fn = getattr(mod, name)
            if not inspect.isfunction(fn):
                continue
            params = list(inspect.signature(fn).parameters)
            if write_actions_of(fn) and "apply" not in params:
                continue  # a write without a dry run (marking a signal): the write matrix below covers it
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
    if short == "home_overview":
        return tuple(Role)  # every home page: the holdings only for DATA_ROLES (test_overview_scope)
    if q.name.startswith(("queries.privacy.", "queries.imports.", "queries.review.")):
        return DATA_ROLES  # retention and erasure; the import history; the duplicates' persons
    if q.name.startswith("queries.notices."):
        return DATA_ROLES if short in ("outbox", "expire_notices") else NOTICE_ROLES  # signals
    if q.name.startswith(("queries.household.", "queries.triage.")):
        return (Role.COACH,)  # caseload (triaged), search: a coach's own households only
    if q.name.startswith("queries.intake."):  # the lead's intake: pseudonyms for the lead, counts also for admin
        return INTAKE_ROLES if short == "caseload_counts" else CASELOAD_ROLES
    if "caseload_per_coach" in short or "intake" in short:
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
    from ingest.matching import match_involvements

    load_records(db, records())
    # signals as of the matrix's date: HH-A's INV-1/INV-2 (PR-T and PR-D about each other, coach A about both),
    # HH-B's INV-4 (coach B), HH-C's INV-5 (coach A, whose assignment has ended since: out of scope today)
    match_involvements(db, ["INV-1", "INV-2", "INV-3", "INV-4", "INV-5"], VALUES["as_of"])
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
    aggregates.collaboration_view(data, audit, lead, start=date(2009, 1, 1), end=date(2009, 12, 31))
    aggregates.handover_view(data, audit, lead, start=date(2009, 1, 1), end=date(2009, 12, 31))
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
    from tests.writers import cli_account

    env = {**os.environ, "NEO4J_URI": data.uri, "NEO4J_USER": data.user, "NEO4J_PASSWORD": data.password,
           "WIJKNET_CLI_ACCOUNT": cli_account(Role.PROJECT_LEAD)}  # a lead's account, as a lead runs them
    lead_forbidden = forbidden(ACTORS["lead"])
    for args in (["report", "collaboration", "--as-of", "2009-12-31"],
                 ["report", "handovers", "--as-of", "2009-12-31"],
                 ["report", "overlap", "--as-of", "2008-12-31"]):
        out = subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, capture_output=True, text=True,
                             timeout=300, check=False)
        assert out.returncode == 0, out.stderr
        report = json.loads(out.stdout)
        assert content_fields(report) == [], args
        assert [v for v in lead_forbidden if v in out.stdout] == [], args

def test_triaged_caseload_and_open_intakes_stay_in_scope(data: Database, tmp_path: Path) -> None:
    """The triaged caseload holds only the coach's own households (as of today: HH-A for coach A; HH-C's
    assignment ended); the open intakes give the lead pseudonyms and areas of households with a signal and no coach
    since, and nothing else."""
    from queries.intake import open_intake_households
    from queries.triage import triaged_caseload

    audit = AuditLog(tmp_path / "audit.sqlite")
    assert [h.id for h in triaged_caseload(data, audit, ACTORS["coachA"])] == ["HH-A"]
    assert sorted(h.id for h in triaged_caseload(data, audit, ACTORS["coachA"], today=date(2019, 6, 1))) == [
        "HH-A", "HH-C"]
    assert [h.id for h in triaged_caseload(data, audit, ACTORS["coachB"])] == ["HH-B"]
    load_records(data, [  # HH-A's signal came before its coach; HH-C's after its coach left: an open intake
        ("signal", {"id": "SIG-MX-A", "household_id": "HH-A", "date": date(2008, 8, 1), "channel": "buur",
                    "source": MATRIX_SOURCE}),
        ("signal", {"id": "SIG-MX-C", "household_id": "HH-C", "date": date(2021, 3, 1), "channel": "buur",
                    "source": MATRIX_SOURCE})])
    intakes = open_intake_households(data, audit, ACTORS["lead"], today=date(2021, 6, 1))  # within a year of it
    assert [i.household_id for i in intakes] == ["HH-C"]
    assert content_fields(intakes) == [] and [v for v in forbidden(ACTORS["lead"]) if v in render(intakes)] == []
    assert open_intake_households(data, audit, ACTORS["lead"], today=date(2021, 2, 1)) == []


def test_since_last_visit_reads_only_the_users_own_opens(data: Database, tmp_path: Path) -> None:
    """"Sinds u dit huishouden het laatst opende" takes the last open from the audit log: only the user's own opens count, and a
    household outside the scope was never opened (the refusal is no visit)."""
    from queries.household import household_view
    from queries.since_visit import previous_open, since_last_visit

    audit = AuditLog(tmp_path / "audit.sqlite")
    coach_a, coach_b = ACTORS["coachA"], ACTORS["coachB"]
    household_view(data, audit, coach_b, "HH-B")
    household_view(data, audit, coach_b, "HH-B")
    with pytest.raises(AccessDenied):
        household_view(data, audit, coach_a, "HH-B")
    assert previous_open(audit, coach_a, "HH-B") is None
    assert previous_open(audit, coach_b, "HH-B") is not None
    view = household_view(data, audit, coach_a, "HH-A")
    assert since_last_visit(audit, coach_a, view).first_visit


# -- the write side -----------------------------------------------------------------------------------------

#: Packages (or modules) whose public functions may write data (add the package of a new write entry here).
WRITE_PACKAGES = ("ingest", "queries", "app.accounts")
MATRIX_SOURCE = "test:access_matrix"


@dataclass(frozen=True)
class WriteFunction:
    name: str
    fn: Callable[..., Any]
    actions: tuple[str, ...]


def discover_writes() -> list[WriteFunction]:
    from ingest.entry import write_actions_of

    found: dict[str, WriteFunction] = {}
    for package in WRITE_PACKAGES:
        pkg = importlib.import_module(package)
        modules = [importlib.import_module(m.name) for m in pkgutil.walk_packages(pkg.__path__, f"{package}.")] \
            if hasattr(pkg, "__path__") else [pkg]
        for mod in modules:
            for name in getattr(mod, "__all__", []):
                fn = getattr(mod, name)
                if inspect.isfunction(fn) and fn.__module__ == mod.__name__ and write_actions_of(fn):
                    found[f"{mod.__name__}.{name}"] = WriteFunction(f"{mod.__name__}.{name}", fn,
                                                                    write_actions_of(fn))
    return sorted(found.values(), key=lambda w: w.name)


WRITES = discover_writes()


@dataclass
class WriteCase:
    """What a write call needs: the graph, a fresh side store, an export and the review items to decide."""

    db: Database
    audit: AuditLog
    actor: Actor
    tmp: Path

    def ctx(self) -> Any:
        from ingest.pipeline import IngestContext
        from ingest.pseudonym import Pseudonymiser

        return IngestContext(db=self.db, pseudo=Pseudonymiser(b"m" * 64), store=self.store(), workers=1)

    def store(self) -> Any:
        from ingest.resolve import StateStore

        return StateStore(self.tmp / "ingest.sqlite")

    def export(self) -> Path:
        f = self.tmp / "organisaties.csv"
        f.write_text(f"code;naam;sector;groep;mandaat_verleend\nORG-MX-{self.tmp.name[-12:]};Matrix Zorg;zorg;;nee\n")
        return f

    def users(self) -> Any:
        from app.auth import UserStore

        return UserStore(self.tmp / "users.sqlite")

    @property
    def person(self) -> str:
        return f"PER-E-{self.tmp.name[-12:]}"

    @property
    def household(self) -> str:
        return f"HH-E-{self.tmp.name[-12:]}"

    def review_item(self) -> int:
        store = self.store()
        store.add_match_keys([("mk-matrix", "PER-M1", False, "A"), ("mk-matrix", "PER-M2", False, "B")])
        return int(store.review_items("open")[0].id)


def _ingest(w: WriteCase, action: str) -> Any:
    from ingest.mapping import load_mapping
    from ingest.pipeline import ingest_file

    mapping = load_mapping(Path(__file__).resolve().parents[2] / "mappings" / "organisaties.yaml")
    return ingest_file(w.ctx(), w.audit, w.actor, mapping, w.export(), dry_run=action == "ingest_validate")


def _accept(w: WriteCase, action: str) -> Any:
    from ingest.merge import accept

    return accept(w.db, w.audit, w.actor, w.store(), w.review_item())


def _reject(w: WriteCase, action: str) -> Any:
    from ingest.merge import reject

    return reject(w.audit, w.actor, w.store(), w.review_item())


def _demo(w: WriteCase, action: str) -> Any:
    from ingest.demo import ensure_demo

    return ensure_demo(w.db, w.audit, w.actor, 7, 1, force=True)  # force: each call really loads


def _retention(w: WriteCase, action: str) -> Any:
    from queries.privacy import retention

    return retention(w.db, w.audit, w.actor, date(1990, 1, 1), apply=True)  # ended before 1990: nothing here


def _erase(w: WriteCase, action: str) -> Any:
    from queries.privacy import erase_person

    return erase_person(w.db, w.audit, w.actor, w.person, apply=True)


def _erase_household(w: WriteCase, action: str) -> Any:
    from queries.privacy import erase_household

    return erase_household(w.db, w.audit, w.actor, w.household, apply=True, store=w.store())


def _user(w: WriteCase, action: str) -> Any:
    from app import accounts

    store = w.users()
    if action == "user_add":
        return accounts.add_account(w.audit, w.actor, store, "matrix-new", Role.ADMIN, email="new@matrix.test")
    if action == "user_demo":
        return accounts.add_demo_accounts(w.audit, w.actor, store, ["PR-CA"], w.tmp / "demo-password")
    if action == "user_password":
        return accounts.set_account_password(w.audit, w.actor, store, "matrix-target", "een-lang-wachtwoord")
    fn = {"user_disable": accounts.disable_account, "user_enable": accounts.enable_account,
          "user_end_sessions": accounts.end_sessions, "user_unlock": accounts.unlock_account}[action]
    return fn(w.audit, w.actor, store, "matrix-target")


def _notice(w: WriteCase, action: str) -> Any:
    from ingest.matching import run_matching
    from queries.notices import expire_notices, mark_notice

    if action == "notice_match":
        return run_matching(w.db, w.audit, w.actor, as_of=date(1990, 1, 1))  # nothing started then: no signal
    if action == "notice_expire":
        return expire_notices(w.db, w.audit, w.actor, as_of=date(1990, 1, 1), apply=True)  # none that old
    return mark_notice(w.db, w.audit, w.actor, "matrix-no-such-signal", "read")


def _cut(w: WriteCase, action: str) -> Any:
    from queries.audit_retention import cut_audit_log

    return cut_audit_log(w.audit, w.actor, date(2000, 1, 1))


def _seal(w: WriteCase, action: str) -> Any:
    from queries.audit_seal import seal_audit_log

    return seal_audit_log(w.audit, w.actor)  # a new log: nothing to seal, but refused or audited before and after


def _intake(w: WriteCase, action: str) -> Any:
    """The lead's intake writes, on the household and signal :func:`_prepare` made for this case."""
    from ingest import intake

    hh, sig, day = f"HH-MX-{w.tmp.name[-12:]}", f"SIG-MX-{w.tmp.name[-12:]}", date(2024, 1, 1)
    if action == "signal_register":
        return intake.register_signal(w.db, w.audit, w.actor, signal_date=day, channel="buur", household_id=hh)
    if action == "intake_open":
        return intake.open_intake(w.db, w.audit, w.actor, sig, expected_version=0, on=day)
    if action == "intake_close":
        return intake.close_intake(w.db, w.audit, w.actor, sig, "afgerond", on=day)
    if action == "caseload_assign":
        return intake.assign_household(w.db, w.audit, w.actor, "PR-CB", day, signal_id=sig)
    if action == "caseload_move":
        return intake.move_caseload(w.db, w.audit, w.actor, "PR-CA", "PR-CB", day, household_ids=[hh])
    return intake.end_caseload(w.db, w.audit, w.actor, hh, day)
def _own_household(w: WriteCase) -> str:
    """A coach writes for their own household (the caseload bound is tested in tests/integration/test_workspace.py);
    every other actor is refused by role whatever the household."""
    return {"PR-CA": "HH-A", "PR-CB": "HH-B"}.get(w.actor.professional_id or "", "HH-A")


def _record(w: WriteCase, action: str) -> Any:
    from ingest.record import record

    return record(w.db, w.audit, w.actor, _own_household(w), "client_system",
                  {"name": "Matrix Oma", "relation": "oma", "since": date(2009, 1, 1)})


def _correct(w: WriteCase, action: str) -> Any:
    from ingest.record import correct

    hh = _own_household(w)
    row = w.db.execute("matrix_tie_version", "MATCH (:Person {id: $p})-[c:IN_CLIENT_SYSTEM]->(:Household {id: $h}) "
                       "RETURN coalesce(c.version, 0) AS v", {"p": f"PER-MX-{hh}", "h": hh}).first()
    return correct(w.db, w.audit, w.actor, hh, "client_system", f"PER-MX-{hh}", int(row["v"]) if row else 0,
                   {"relation": f"buurvrouw {w.tmp.name[-6:]}"}, "matrix")


#: How the matrix calls each write function (a new write entry needs a line here; the test says so).
WRITE_CALLS: dict[str, Callable[[WriteCase, str], Any]] = {
    "ingest.pipeline.ingest_file": _ingest,
    "ingest.merge.accept": _accept,
    "ingest.merge.reject": _reject,
    "ingest.demo.ensure_demo": _demo,
    "queries.privacy.retention": _retention,
    "queries.privacy.erase_person": _erase,
    "queries.privacy.erase_household": _erase_household,
    "queries.audit_retention.cut_audit_log": _cut,
    "queries.audit_seal.seal_audit_log": _seal,
    "ingest.matching.run_matching": _notice,
    "queries.notices.expire_notices": _notice,
    "queries.notices.mark_notice": _notice,
    **{f"ingest.intake.{n}": _intake for n in ("register_signal", "open_intake", "close_intake", "assign_household",
                                               "move_caseload", "end_caseload")},
    "ingest.record.record": _record,
    "ingest.record.correct": _correct,
    **{f"app.accounts.{n}": _user for n in ("add_account", "add_demo_accounts", "disable_account", "enable_account",
                                            "end_sessions", "set_account_password", "unlock_account")},
}


def _prepare(w: WriteFunction, case: WriteCase) -> None:
    """What must exist before the write (not part of what it changes): the person to erase, the account to
    change (with an open session, so ending sessions ends one)."""
    if w.name == "queries.privacy.erase_person":
        load_records(case.db, [("person", {"id": case.person, "birth_year": 1970, "display_name": "Wis Mij",
                                           "source": MATRIX_SOURCE})])
    if w.name == "queries.privacy.erase_household":
        load_records(case.db, [("household", {"id": case.household, "address_key": f"MX-{case.household}",
                                              "postcode": "7513 MX", "house_number": 2, "area_code": "A1",
                                              "source": MATRIX_SOURCE})])
    if w.name.startswith("app.accounts."):
        store = case.users()
        account = store.add_user("matrix-target", Role.DATA_STEWARD, password_hash="x", email="t@matrix.test")
        store.start_session(account)
    if w.name.startswith("ingest.merge."):
        case.review_item()  # the item exists before; only the decision must not happen
    if w.name.startswith("ingest.intake."):  # a household of its own, held by coach A, and a signal about it
        hh, sig = f"HH-MX-{case.tmp.name[-12:]}", f"SIG-MX-{case.tmp.name[-12:]}"
        load_records(case.db, [
            ("household", {"id": hh, "address_key": f"MX-{hh}", "postcode": "7513 MX", "house_number": 1,
                           "area_code": "A1", "source": MATRIX_SOURCE}),
            ("caseload", {"professional_id": "PR-CA", "household_id": hh, "since": date(2020, 1, 1),
                          "source": MATRIX_SOURCE}),
            ("signal", {"id": sig, "household_id": hh, "date": date(2023, 12, 1), "channel": "partner",
                        "source": MATRIX_SOURCE})])
    if w.name == "ingest.record.correct":  # the client-system tie to correct, one per household
        load_records(case.db, [r for hh in ("HH-A", "HH-B") for r in (
            ("person", {"id": f"PER-MX-{hh}", "display_name": "Matrix Buur", "source": MATRIX_SOURCE}),
            ("client_system", {"household_id": hh, "person_id": f"PER-MX-{hh}", "relation": "buur",
                               "since": date(2009, 1, 1), "source": MATRIX_SOURCE}))])


#: Who writes: every role, and the documented system actors (queries.access.SYSTEM_DEMO, SYSTEM_BOOTSTRAP).
WRITE_ACTORS = [*ACTORS, "system", "bootstrap"]


def _actor(who: str) -> Actor:
    from queries.access import SYSTEM_BOOTSTRAP, SYSTEM_DEMO

    return ACTORS[who] if who in ACTORS else {"system": SYSTEM_DEMO, "bootstrap": SYSTEM_BOOTSTRAP}[who]


def write_allowed(action: str, actor: Actor) -> bool:
    from queries.access import WRITE_ACTIONS

    spec = WRITE_ACTIONS[action]
    if actor.user.startswith("system:"):
        return actor.user in spec.system_actors
    return actor.role in spec.roles


def graph_and_store(db: Database, tmp: Path) -> tuple[Any, ...]:
    """Everything a write could change: every node and relationship with its properties (the import ledger
    included), the side store's review decisions and the user store (accounts, sessions)."""
    import sqlite3

    from ingest.resolve import StateStore

    nodes = db.execute("matrix_nodes", "MATCH (n) RETURN labels(n) AS l, properties(n) AS p", row_cap=1_000_000).rows
    rels = db.execute("matrix_rels", "MATCH ()-[r]->() RETURN type(r) AS t, properties(r) AS p",
                      row_cap=1_000_000).rows
    review = [(i.id, i.status) for i in StateStore(tmp / "ingest.sqlite").review_items()] \
        if (tmp / "ingest.sqlite").exists() else []
    users: list[Any] = []
    if (tmp / "users.sqlite").exists():
        with sqlite3.connect(tmp / "users.sqlite") as conn:
            users = conn.execute("SELECT * FROM accounts ORDER BY username").fetchall() \
                + conn.execute("SELECT * FROM sessions ORDER BY token_hash").fetchall()
    return (sorted(repr(sorted(r.items())) for r in nodes), sorted(repr(sorted(r.items())) for r in rels), review,
            users)


@pytest.fixture(scope="module")
def write_data(data: Database) -> Database:
    load_records(data, [("person", {"id": p, "birth_year": 1980, "display_name": n, "source": MATRIX_SOURCE})
                        for p, n in (("PER-M1", "Merge Een"), ("PER-M2", "Merge Twee"))]
                 + [("membership", {"household_id": "HH-B", "person_id": p, "role": "overig",
                                    "since": date(2005, 1, 1), "source": MATRIX_SOURCE}) for p in ("PER-M1", "PER-M2")])
    return data


def test_discovery_finds_every_declared_write() -> None:
    from queries.access import WRITE_ACTIONS

    done = {a for w in WRITES for a in w.actions}
    assert {"ingest.pipeline.ingest_file", "ingest.merge.accept", "ingest.merge.reject", "ingest.demo.ensure_demo",
            "queries.privacy.retention", "queries.privacy.erase_person", "queries.audit_retention.cut_audit_log",
            "app.accounts.add_account", "app.accounts.disable_account"} <= {w.name for w in WRITES}
    assert done == set(WRITE_ACTIONS), "every declared write is done by a discovered function, and only those"
    for w in WRITES:
        if w.name not in WRITE_CALLS:
            pytest.fail(f"{w.name} writes {w.actions}: add how to call it to WRITE_CALLS in {Path(__file__).name}")


WRITE_CASES = [(w, a, who) for w in WRITES for a in w.actions for who in WRITE_ACTORS]


@pytest.mark.parametrize(("w", "action", "who"), WRITE_CASES,
                         ids=[f"{w.name.removeprefix('ingest.')}-{a}-{who}" for w, a, who in WRITE_CASES])
def test_write_matrix(write_data: Database, tmp_path: Path, w: WriteFunction, action: str, who: str) -> None:
    actor = _actor(who)
    case = WriteCase(write_data, AuditLog(tmp_path / "audit.sqlite"), actor, tmp_path)
    call = WRITE_CALLS[w.name]
    if not write_allowed(action, actor):
        _prepare(w, case)
        before = graph_and_store(write_data, tmp_path)
        with pytest.raises(AccessDenied):
            call(case, action)
        recs = list(case.audit.records())
        assert [(r.user, r.action, r.result) for r in recs] == [(actor.user, action, "denied")], \
            "a refused write is audited once"
        assert recs[0].purpose and recs[0].role == actor.role
        assert graph_and_store(write_data, tmp_path) == before, f"{w.name} wrote although refused"
        return
    if not w.name.startswith("ingest.merge."):  # a merge call makes its own review item
        _prepare(w, case)
    call(case, action)
    recs = list(case.audit.records())
    assert [(r.user, r.action) for r in recs] == [(actor.user, action)] * 2, "audited before and after the write"
    assert recs[0].result == "ok" and recs[1].result not in ("ok", "denied", "failed")
    assert recs[0].purpose and recs[0].role == actor.role and recs[0].target == recs[1].target


ALLOWED_WRITES = [(w, a, who) for w, a, who in WRITE_CASES if write_allowed(a, _actor(who))]


@pytest.mark.parametrize(("w", "action", "who"), ALLOWED_WRITES,
                         ids=[f"{w.name.removeprefix('ingest.')}-{a}-{who}" for w, a, who in ALLOWED_WRITES])
def test_nothing_is_written_without_the_audit_log(write_data: Database, tmp_path: Path, w: WriteFunction,
                                                  action: str, who: str) -> None:
    blocker = tmp_path / "full-disk"
    blocker.write_text("")
    case = WriteCase(write_data, AuditLog(blocker / "audit.sqlite"), _actor(who), tmp_path)
    _prepare(w, case)
    before = graph_and_store(write_data, tmp_path)
    with pytest.raises(AuditUnavailable):
        WRITE_CALLS[w.name](case, action)
    assert graph_and_store(write_data, tmp_path) == before, f"{w.name} wrote without an audit record"


@pytest.mark.parametrize(("who", "household", "want"), [
    ("coachA", "HH-A", "ok"), ("coachA", "HH-B", "not in caseload"), ("coachA", "HH-C", "not in caseload"),
    ("coachB", "HH-B", "ok"), ("lead", "HH-C", "ok"), ("policy", "HH-A", "role"), ("steward", "HH-A", "role"),
])
def test_a_household_write_is_bounded_by_the_caseload(data: Database, tmp_path: Path, who: str, household: str,
                                                      want: str) -> None:
    """The entry as the coach's forms will use it: a write declared for one household (here a test action, as
    the table holds no such write yet) is refused outside the caseload, audited with the household either way."""
    from ingest.entry import audited_write
    from queries.access import WriteAction

    note = WriteAction("test_household_note", "Record a note for a household", (Role.COACH, Role.PROJECT_LEAD),
                       "case_work", household=True)
    audit = AuditLog(tmp_path / "audit.sqlite")
    ran = []
    if want != "ok":
        with pytest.raises(AccessDenied, match="not assigned to this household" if want == "not in caseload"
                           else "may not do this"):
            with audited_write(audit, ACTORS[who], note, household_id=household, db=data):
                ran.append(1)
    else:
        with audited_write(audit, ACTORS[who], note, household_id=household, db=data) as outcome:
            ran.append(1)
            outcome.done("recorded")
    recs = list(audit.records())
    assert all(r.target == household and r.purpose == "case_work" for r in recs)
    if want == "ok":
        assert ran == [1] and [r.result for r in recs] == ["ok", "recorded"]
    else:
        assert ran == [] and [r.result for r in recs] == ["denied"] and want in recs[0].detail


def test_overview_scope(data: Database, tmp_path: Path) -> None:
    """The home page's overview is audited for everyone; what the database holds (counts per label and per area,
    unsuppressed) only for the data steward and the administrator, every other role gets the data's period."""
    from queries.overview import home_overview

    audit = AuditLog(tmp_path / "audit.sqlite")
    for who, actor in ACTORS.items():
        ov = home_overview(data, audit, actor)
        assert not ov.empty and ov.last_date is not None, who
        holds = actor.role in (Role.DATA_STEWARD, Role.ADMIN)
        assert bool(ov.areas) == holds and (ov.counts.get("Household", 0) > 1) == holds, who
    assert [(r.user, r.action) for r in audit.records()] == [(a.user, "view_overview") for a in ACTORS.values()]


#: What may be read before the audit record is written: the scope checks that decide whether to write "ok" or
#: "denied" (they return a yes/no or the actor's own caseload, nothing about a household's people).
#: what may be read before the audit record: the scope checks, and the deployment's disclosure threshold (a setting,
#: no one's data: the record carries the k the request is protected with, so it is known first)
READ_BEFORE_AUDIT = {"access_coach_scope", "access_coach_caseload", "disclosure_k"}


@pytest.mark.parametrize(("q", "who"), ALLOWED, ids=[f"{q.name.removeprefix('queries.')}-{a}" for q, a in ALLOWED])
def test_nothing_is_read_before_the_audit_record(data: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 q: QueryFunction, who: str) -> None:
    """Audit first: with a log that cannot be written, no query but a scope check (or the deployment's threshold
    k, a setting) reaches the database (before, the household page read the whole client system and dropped it
    when the record failed)."""
    blocker = tmp_path / "full-disk"
    blocker.write_text("")
    broken = AuditLog(blocker / "audit.sqlite")
    ran: list[str] = []
    execute = data.execute

    def spy(name: str, *args: Any, **kwargs: Any) -> Any:
        ran.append(name)
        return execute(name, *args, **kwargs)

    monkeypatch.setattr(data, "execute", spy)
    with pytest.raises(AuditUnavailable):
        call(q, data, broken, ACTORS[who], "HH-A")
    assert [n for n in ran if n not in READ_BEFORE_AUDIT] == []
