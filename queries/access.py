"""Who may see what — enforced here, in the query layer, not in the pages.

Every query function that returns data takes an :class:`Actor` (and the audit log). Household-level functions
call :func:`open_household` first: it checks the actor's scope, writes the audit record (a denial is audited
too) and only then lets the caller run its queries. Role-level functions call :func:`require_role`. If the
audit record cannot be written, :class:`~queries.audit.AuditUnavailable` is raised and nothing is served.

Roles and scope:

* ``coach``: households with an active caseload assignment (``COACHES`` with ``since <= today`` and no
  ``until`` before today); scope ends the day after the assignment ends. Names of members are visible. The
  coach is the only role that reads household content (:data:`HOUSEHOLD_CONTENT_FIELDS`).
* ``project_lead``: organisation-level collaboration, handover chains and aggregates; no household content, not
  even pseudonymised (opening a household is refused and audited). Their reads are audited with the standing
  purpose of the role (:data:`ROLE_PURPOSES`).
* ``policymaker``: aggregates only, with disclosure control.
* ``data_steward``: ingest and review lists.
* ``admin``: users, settings and the audit log; no household data.
* ``partner`` (*partnerprofessional*): a professional of a partner organisation with an account; reads only the
  signals about their own involvements (who else is involved, how to reach them), nothing else of a household,
  not even its id (:mod:`queries.notices`).

The role groups below (:data:`HOUSEHOLD_ROLES`, :data:`AGGREGATE_ROLES`, …) are the policy; query functions
pass them to :func:`require_role` and ``tests/integration/test_access_matrix.py`` checks every public query
function against them.

Writes are declared once, as data, in :data:`WRITE_ACTIONS`: each :class:`WriteAction` names who may do it,
whether it touches one household (then a coach only within their caseload) and the purpose recorded with it.
:func:`check_write` applies that table (a refusal is audited); the audited write entry
(:func:`ingest.entry.audited_write`) calls it and writes the audit record before anything is written. The
pages, the CLI, the docs' role table and the access matrix read the same table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from graph.clock import today as dutch_today
from graph.db import Database
from graph.errors import AccessDenied
from graph.said import said
from queries.audit import AuditLog

__all__ = [
    "AGGREGATE_ROLES",
    "AUDIT_ROLES",
    "CASELOAD_ROLES",
    "NOTICE_ROLES",
    "DATA_ROLES",
    "HOUSEHOLD_CONTENT_FIELDS",
    "HOUSEHOLD_ROLES",
    "INTAKE_ROLES",
    "NAME_ROLES",
    "ORGANISATION_ROLES",
    "PURPOSES",
    "ROLE_PURPOSES",
    "SYSTEM_BOOTSTRAP",
    "SYSTEM_DEMO",
    "SYSTEM_RESTORE",
    "WRITE_ACTIONS",
    "Actor",
    "Role",
    "WriteAction",
    "audit_action",
    "audit_each",
    "can_see_household",
    "check_household_request",
    "check_write",
    "coach_caseload",
    "coach_scope",
    "deny_out_of_scope",
    "open_household",
    "require_role",
    "write_action",
    "write_roles",
]


class Role(StrEnum):
    COACH = "coach"
    PROJECT_LEAD = "project_lead"
    POLICYMAKER = "policymaker"
    DATA_STEWARD = "data_steward"
    ADMIN = "admin"
    PARTNER = "partner"


#: Roles that may open one household (the coach only, within scope). The project lead's task is collaboration
#: between organisations: need-to-know gives them organisations and aggregates, no household.
HOUSEHOLD_ROLES: tuple[Role, ...] = (Role.COACH,)
#: Roles that may see names and addresses of residents (always within scope).
NAME_ROLES: tuple[Role, ...] = (Role.COACH,)
#: Roles that may see organisation-level collaboration (shared households counted, never listed by name).
ORGANISATION_ROLES: tuple[Role, ...] = (Role.PROJECT_LEAD, Role.ADMIN)
#: Roles that plan the coaches' caseloads: who holds which household, by pseudonym only (the intake).
CASELOAD_ROLES: tuple[Role, ...] = (Role.PROJECT_LEAD,)
#: Roles that do the intake: register signals, open and close intakes, assign households to coaches and move
#: them (writes by pseudonym; nothing of a household's content is read), and see each coach's caseload count.
#: The lists that name households by pseudonym stay with :data:`CASELOAD_ROLES`.
INTAKE_ROLES: tuple[Role, ...] = (Role.PROJECT_LEAD, Role.ADMIN)
#: Roles that may see suppressed aggregates.
AGGREGATE_ROLES: tuple[Role, ...] = (Role.POLICYMAKER, Role.PROJECT_LEAD, Role.ADMIN)
#: Roles that may load data and work the review lists.
DATA_ROLES: tuple[Role, ...] = (Role.DATA_STEWARD, Role.ADMIN)
#: Roles that may read the audit log and manage users.
AUDIT_ROLES: tuple[Role, ...] = (Role.ADMIN,)
#: Roles with an inbox of signals (queries.notices): the coach (their caseload), the partner professional (their
#: own involvements), the project lead (threshold signals, by household pseudonym).
NOTICE_ROLES: tuple[Role, ...] = (Role.COACH, Role.PARTNER, Role.PROJECT_LEAD)

#: Household content: the record fields and table columns that say something about a household or its members
#: beyond its pseudonym (names, addresses, the client system, plan text, goals, agreements, sanctions, ladder
#: scores, free-text reasons). Only :data:`HOUSEHOLD_ROLES` read them (within scope); a result served to any
#: other role carries none of them (``tests/integration/test_access_matrix.py`` checks every query function).
HOUSEHOLD_CONTENT_FIELDS: frozenset[str] = frozenset({
    # who and where
    "display_name", "person_name", "birth_year", "gender", "has_bsn", "bsn", "address", "address_key", "street",
    "house_number", "suffix", "postcode", "phone",
    # the client system
    "people", "members", "client_system", "informal", "supports", "relation", "person_id", "person_ids",
    # the plan and what was recorded about the family
    "plan", "goals", "agreements", "sanctions", "text", "description", "ladder", "rung", "reason",
})

#: Purposes a user states when opening a household (stored with the audit record); the first is the default.
PURPOSES: dict[str, str] = {
    "home_visit_preparation": "Home visit preparation",
    "case_consultation": "Case consultation",
    "data_quality": "Data quality",
}


#: The standing purpose of a role whose reads serve one task: recorded with every audit record of that role
#: that names no purpose of its own.
ROLE_PURPOSES: dict[Role, str] = {
    Role.PROJECT_LEAD: "partner_collaboration",
    # their aggregate reads named none (an outside test of 08-12-2026), where the docs say every read has one
    Role.POLICYMAKER: "policy_information",
    Role.ADMIN: "operations",
}


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a query runs.

    ``trace_id`` is a hash of the signed-in session (never the session token); ``access_point`` says where the
    request came from (client address or ``cli``). Both go into every audit record.
    """

    user: str
    role: Role
    organisation: str = ""
    professional_id: str | None = None  # set for coaches and partner professionals: their Professional node
    trace_id: str = ""
    access_point: str = ""

    def __post_init__(self) -> None:
        if self.role in (Role.COACH, Role.PARTNER) and not self.professional_id:
            raise ValueError(f"a {self.role} actor needs a professional_id")


def audit_action(audit: AuditLog, actor: Actor, action: str, *, target: str = "", purpose: str = "",
                 result: str = "ok", detail: str = "") -> None:
    """Write one audit record for ``actor`` (raises ``AuditUnavailable`` if it cannot).

    Without a ``purpose`` the role's standing purpose (:data:`ROLE_PURPOSES`) is recorded, if it has one.
    """
    audit.record(user=actor.user, role=str(actor.role), organisation=actor.organisation, action=action,
                 target=target, purpose=purpose or ROLE_PURPOSES.get(actor.role, ""), result=result, detail=detail,
                 on_behalf_of=actor.professional_id or actor.user, access_point=actor.access_point,
                 trace_id=actor.trace_id)


def audit_each(audit: AuditLog, actor: Actor, action: str, targets: Sequence[str], *, purpose: str = "",
               detail: str = "") -> None:
    """One audit record per target, in one transaction (raises ``AuditUnavailable`` if they cannot be written): a
    list that shows several households (the coach's caseload, a signals inbox) is a look at each of them, which
    ``wijknet audit who-saw`` must find under the household. Without targets, one record for ``actor`` itself (the
    look at an empty list is audited too)."""
    ids = list(dict.fromkeys(str(t) for t in targets if t)) or [actor.professional_id or str(actor.role)]
    audit.record_each(ids, user=actor.user, role=str(actor.role), organisation=actor.organisation, action=action,
                      purpose=purpose or ROLE_PURPOSES.get(actor.role, ""), detail=detail,
                      on_behalf_of=actor.professional_id or actor.user, access_point=actor.access_point,
                      trace_id=actor.trace_id)


def _role(actor: Actor) -> str:
    """The actor's role in a sentence: its value in English, its name in the app (``role.<role>``)."""
    return said(f"role.{actor.role}", f"{actor.role}")


def require_role(audit: AuditLog, actor: Actor, action: str, *roles: Role) -> None:
    """Raise :class:`AccessDenied` (audited) unless the actor has one of ``roles``."""
    if actor.role not in roles:
        audit_action(audit, actor, action, result="denied", detail=f"role {actor.role} not in "
                     + ",".join(sorted(str(r) for r in roles)))
        raise AccessDenied(said("said.access.role_may_not", "Your role ({role}) may not do this: {action}.",
                                role=_role(actor), action=said(f"action.{action}", action.replace("_", " "))))


def can_see_household(db: Database, actor: Actor, household_id: str, today: date | None = None) -> bool:
    """Whether ``actor`` may see the household's client system (only a coach, within the caseload)."""
    from queries.registry import run

    if actor.role not in HOUSEHOLD_ROLES:
        return False
    row = run(db, "access_coach_scope", {"professional_id": actor.professional_id,
                                         "household_id": str(household_id),
                                         "today": today or dutch_today()}).first()
    return bool(row and row["allowed"])


def coach_caseload(db: Database, actor: Actor, today: date | None = None) -> list[str]:
    """Ids of the households ``actor`` may open today (empty for every role but coach)."""
    from queries.registry import run

    if actor.role != Role.COACH:
        return []
    return [r["household_id"] for r in run(db, "access_coach_caseload", {
        "professional_id": actor.professional_id, "today": today or dutch_today()}).rows]


def check_household_request(audit: AuditLog, actor: Actor, household_id: str, *, purpose: str,
                            action: str = "view_household") -> None:
    """The checks that need no data: a known purpose and a role that may open households (denials audited)."""
    if purpose not in PURPOSES:
        audit_action(audit, actor, action, target=str(household_id), purpose=str(purpose), result="denied",
                     detail="unknown purpose")
        raise AccessDenied(said("said.access.unknown_purpose", "Unknown purpose {purpose!r}; choose one of: "
                                "{purposes}.", purpose=purpose, purposes=", ".join(PURPOSES)))
    if actor.role not in HOUSEHOLD_ROLES:
        audit_action(audit, actor, action, target=str(household_id), purpose=purpose, result="denied",
                     detail=f"role {actor.role} sees no households")
        raise AccessDenied(said("said.access.no_households", "Your role ({role}) may not open a household.",
                                role=_role(actor)))


def coach_scope(actor: Actor) -> str | None:
    """The professional whose caseload bounds what ``actor`` may open (``None``: not bounded by a caseload).

    For the named queries that check the scope themselves (``household_page``): a coach without a
    professional id gets ``''``, which matches no one, so they see nothing.
    """
    return (actor.professional_id or "") if actor.role == Role.COACH else None


def deny_out_of_scope(audit: AuditLog, actor: Actor, household_id: str, *, purpose: str,
                      action: str = "view_household") -> AccessDenied:
    """Audit a refusal because the household is not in the actor's caseload; the error to raise."""
    audit_action(audit, actor, action, target=str(household_id), purpose=purpose, result="denied",
                 detail="not in caseload")
    return AccessDenied(said("said.access.not_assigned", "You are not assigned to this household, so it cannot be "
                             "shown."))


def open_household(db: Database, audit: AuditLog, actor: Actor, household_id: str, *,
                   purpose: str = "home_visit_preparation", action: str = "view_household",
                   today: date | None = None, detail: str = "") -> None:
    """Check scope and audit before any household data is read. Raises ``AccessDenied`` (audited).

    The audit record is written before the caller reads anything; if it cannot be written the caller gets
    ``AuditUnavailable`` and serves nothing.
    """
    check_household_request(audit, actor, household_id, purpose=purpose, action=action)
    if not can_see_household(db, actor, household_id, today):
        raise deny_out_of_scope(audit, actor, household_id, purpose=purpose, action=action)
    audit_action(audit, actor, action, target=str(household_id), purpose=purpose, result="ok", detail=detail)



_Row = TypeVar("_Row")


def read_household(db: Database, audit: AuditLog, actor: Actor, household_id: str, read: Callable[[], _Row | None],
                   *, purpose: str, today: date | None = None) -> _Row:
    """Audit first, then read: :func:`open_household` (role and caseload checked, the record written — or
    ``AccessDenied`` / ``AuditUnavailable`` before anything about the household is read), then ``read()``, which
    checks the caseload again inside its own query and gives ``None`` out of it (the caseload ended in between:
    audited as denied; a household that does not exist is in no caseload, so it was denied before)."""
    open_household(db, audit, actor, household_id, purpose=purpose, today=today)
    row = read()
    if row is None:
        raise deny_out_of_scope(audit, actor, household_id, purpose=purpose)
    return row


# -- writes ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WriteAction:
    """One kind of write, as data: its audit action name, what it does, who may do it.

    ``household``: the write targets one household, so it needs the household id and a coach may only do it
    within their caseload (:func:`can_see_household`). ``system_actors``: the users of documented system
    actors (no human, e.g. :data:`SYSTEM_DEMO`) that may do it, whatever their role; every other ``system:``
    user is refused.
    """

    name: str
    description: str
    roles: tuple[Role, ...]
    purpose: str
    household: bool = False
    system_actors: tuple[str, ...] = ()


#: The system actor of the demo load at first start (``wijknet serve``, ``wijknet demo load``): no human is
#: involved, so no account; it is recorded in the audit log under this name and may only load the demo.
SYSTEM_DEMO = Actor("system:demo", Role.DATA_STEWARD, "wijknet", access_point="system")
#: The system actor that creates the first administrator account (``wijknet users add NAME --role admin`` while
#: the user store has no enabled admin, so no account can be named yet); it may do nothing else.
SYSTEM_BOOTSTRAP = Actor("system:bootstrap", Role.ADMIN, "wijknet", access_point="system")
#: The system actor that erases again, right after ``wijknet db restore``, what the erasure register names (a
#: backup made before an erasure brings the person back); it may do only the two erasures.
SYSTEM_RESTORE = Actor("system:restore", Role.DATA_STEWARD, "wijknet", access_point="system")

#: Every write of data, declared once. A new write (the coach's records, caseload assignment) is a new row here
#: plus a function that goes through :func:`ingest.entry.audited_write`; the access matrix then covers it.
WRITE_ACTIONS: dict[str, WriteAction] = {a.name: a for a in (
    WriteAction("ingest_validate", "Validate a source export with a mapping (dry run: nothing is loaded)",
                DATA_ROLES, "data_loading"),
    WriteAction("ingest_load", "Load a source export with a mapping", DATA_ROLES, "data_loading"),
    WriteAction("merge_accept", "Accept a possible duplicate: merge the two persons", DATA_ROLES,
                "duplicate_review"),
    WriteAction("merge_reject", "Reject a possible duplicate: record them as different people", DATA_ROLES,
                "duplicate_review"),
    WriteAction("demo_load", "Generate and load the synthetic demo neighbourhood", DATA_ROLES, "demo",
                system_actors=(SYSTEM_DEMO.user,)),
    WriteAction("privacy_retention", "Remove involvement data that ended before the retention cut-off",
                DATA_ROLES, "storage_limitation"),
    WriteAction("privacy_erase", "Erase a person and what concerned only them (erasure request)", DATA_ROLES,
                "erasure_request", system_actors=(SYSTEM_RESTORE.user,)),
    WriteAction("privacy_erase_household", "Erase a household, its members of no other household and what "
                "concerned only them (erasure request)", DATA_ROLES, "erasure_request",
                system_actors=(SYSTEM_RESTORE.user,)),
    WriteAction("user_add", "Add an account", AUDIT_ROLES, "user_management",
                system_actors=(SYSTEM_BOOTSTRAP.user,)),
    WriteAction("user_disable", "Disable an account and end all its sessions", AUDIT_ROLES, "user_management"),
    WriteAction("user_enable", "Enable a disabled account (a lock by wrong passwords ends too)", AUDIT_ROLES,
                "user_management"),
    WriteAction("user_unlock", "End the lock that wrong passwords put on an account", AUDIT_ROLES,
                "user_management"),
    WriteAction("user_end_sessions", "End every open session of an account", AUDIT_ROLES, "user_management"),
    WriteAction("user_password", "Set the password of an account (ends its sessions)", AUDIT_ROLES,
                "user_management"),
    WriteAction("user_demo", "Create the demo accounts", AUDIT_ROLES, "demo", system_actors=(SYSTEM_DEMO.user,)),
    WriteAction("audit_cut", "Remove old audit records by a recorded cut", AUDIT_ROLES, "retention"),
    WriteAction("audit_seal", "Seal an audit log written before the keyed chain (its records kept without the key)",
                AUDIT_ROLES, "log_integrity"),
    WriteAction("notice_match", "Match involvements and make the signals (wijknet signals run)", DATA_ROLES,
                "signals"),
    WriteAction("notice_expire", "Remove signals older than the signal retention", DATA_ROLES,
                "storage_limitation"),
    WriteAction("notice_status", "Mark one of one's own signals read, unread or done", NOTICE_ROLES, "signals"),
    # the project lead's intake (ingest/intake.py): signals, intakes and caseload assignments, by pseudonym only
    WriteAction("signal_register", "Register an intake signal (date, channel, area, household when known)",
                INTAKE_ROLES, "caseload_management"),
    WriteAction("intake_open", "Open an intake for a signal", INTAKE_ROLES, "caseload_management"),
    WriteAction("intake_close", "Close an intake with a reason (ends the caseload assignment it led to)",
                INTAKE_ROLES, "caseload_management"),
    WriteAction("caseload_assign", "Assign a household to a wijkcoach", INTAKE_ROLES, "caseload_management"),
    WriteAction("caseload_move", "Move households to another wijkcoach (the old assignment ends, history kept)",
                INTAKE_ROLES, "caseload_management"),
    WriteAction("caseload_end", "End a household's caseload assignment", INTAKE_ROLES, "caseload_management"),
    # The coach's workspace (ingest/record.py): only a coach, only for a household in the caseload.
    WriteAction("household_record", "Record a fact about a household in the coach's workspace", (Role.COACH,),
                "case_work", household=True),
    WriteAction("household_correct", "Correct or end a fact recorded about a household (the old version is kept)",
                (Role.COACH,), "case_work", household=True),
)}


def write_action(name: str) -> WriteAction:
    """The declared write ``name`` (``KeyError`` for an undeclared one: a write must be in the table)."""
    return WRITE_ACTIONS[name]


def write_roles(name: str) -> tuple[Role, ...]:
    """The roles that may do write ``name`` (for pages and menus that offer it)."""
    return write_action(name).roles


def check_write(audit: AuditLog, actor: Actor, action: str | WriteAction, *, target: str = "", purpose: str = "",
                household_id: str | None = None, db: Database | None = None, today: date | None = None) -> None:
    """Raise :class:`AccessDenied` (audited as ``action``, result ``denied``) unless ``actor`` may do write
    ``action`` — role, system actor and, for a coach's household write, the caseload. Writes no record when allowed."""
    spec = action if isinstance(action, WriteAction) else write_action(action)
    if spec.household and (household_id is None or db is None):
        raise ValueError(f"write {spec.name} targets one household: give household_id and db")
    what = said(f"action.{spec.name}", spec.description.lower())
    why, message = "", said("said.access.role_may_not", "Your role ({role}) may not do this: {action}.",
                            role=_role(actor), action=what)
    if actor.user.startswith("system:") and actor.user not in spec.system_actors:
        why = f"system actor {actor.user} may not do this"
        message = said("said.access.system_may_not", "{user} may not do this: {action}.", user=actor.user,
                       action=what)
    elif actor.role not in spec.roles and actor.user not in spec.system_actors:
        why = f"role {actor.role} not in " + ",".join(sorted(str(r) for r in spec.roles))
    elif (spec.household and db is not None and actor.role == Role.COACH
          and not can_see_household(db, actor, str(household_id), today)):
        # A coach records only for the caseload; another role the table names for a household write (the lead's
        # intake: assigning a household to a coach) may target any household without reading its content.
        why, message = "not in caseload", said("said.access.not_assigned_write", "You are not assigned to this "
                                               "household, so you cannot record anything for it.")
    if why:
        audit_action(audit, actor, spec.name, target=target or str(household_id or ""),
                     purpose=purpose or spec.purpose, result="denied", detail=why)
        raise AccessDenied(message)
