"""Storage limitation and erasure (GDPR Art. 5(1)(e), Art. 17): retention of involvement data and erasing a person.

Both are data-steward/admin actions, dry runs unless ``apply=True``, and audited. A dry run only counts (a read,
audited as ``privacy_retention_dry_run`` / ``privacy_erase_dry_run``); with ``apply`` the function is the write
``privacy_retention`` / ``privacy_erase`` of :data:`queries.access.WRITE_ACTIONS` and goes through the audited
write entry (:func:`ingest.entry.audited_write`: role checked, ``ok`` record before, the counts after). The
erasure leaves a content-free audit entry: the action, who did it, when, counts, and a keyed hash of the person id
(so the controller, holding the key, can show that a request was carried out; nobody else learns anything). It
also notes another keyed digest of the id in the ingest side store's erasure register, so the next import of an
export that still holds the person skips their rows instead of bringing them back (:mod:`ingest.prepare`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from graph.clock import today as dutch_today
from graph.db import Database
from graph.errors import WijknetError
from ingest.entry import audited_write, writes
from ingest.pseudonym import Pseudonymiser
from ingest.state import StateStore
from queries.access import DATA_ROLES, SYSTEM_RESTORE, Actor, audit_action, check_write, require_role
from queries.audit import AuditLog
from queries.registry import run, stream

__all__ = ["ErasureResult", "HouseholdErasureResult", "ReErasure", "RetentionResult", "erase_household",
           "erase_person", "erase_registered", "erasure_reference", "retention", "retention_cutoff"]


#: Seconds one retention or erasure statement may run (not WIJKNET_QUERY_TIMEOUT, meant for a page's reads): it
#: looks through every kept version and signal status, and right after a restore it runs on a cold server.
ERASE_TIMEOUT = 300


@dataclass(frozen=True)
class RetentionResult:
    cutoff: date
    involvements: int
    handovers: int
    referrals: int
    caseload_assignments: int
    applied: bool
    fact_versions: int = 0  # kept earlier versions of the removed facts
    signal_states: int = 0  # readers' statuses of signals about the removed involvements


@dataclass(frozen=True)
class ErasureResult:
    reference: str
    involvements: int
    handovers: int
    referrals: int
    owned_nodes: int
    edges: int
    applied: bool
    fact_versions: int = 0  # kept earlier versions of the removed facts and of the person's ties
    signal_states: int = 0  # readers' statuses of signals about them
    side_store_rows: int = 0  # rows of the ingest side store naming them (0 in a dry run: not counted)


@dataclass(frozen=True)
class HouseholdErasureResult:
    reference: str
    erased_members: int  # the members who belonged to no other household, erased with it (a count)
    involvements: int
    handovers: int
    referrals: int
    owned_nodes: int  # scores, consents, plans with goals and agreements, signals, advice, consultations
    edges: int
    caseload_assignments: int
    applied: bool
    fact_versions: int = 0
    signal_states: int = 0
    side_store_rows: int = 0  # 0 in a dry run: not counted
    erased_outside: int = 0  # people of the client system outside it tied to nothing else, erased with it
    kept_outside: int = 0  # people of the client system outside it with other ties: they only lose the edge


def retention_cutoff(days: int, today: date | None = None) -> date:
    """The day before which ended involvement data is removed.

    >>> retention_cutoff(730, date(2012, 1, 1))
    datetime.date(2010, 1, 1)
    """
    if days < 1:
        raise WijknetError(f"The retention must be at least one day, not {days}.")
    return (today or dutch_today()) - timedelta(days=days)


@writes("privacy_retention")
def retention(db: Database, audit: AuditLog, actor: Actor, cutoff: date, *, apply: bool = False
              ) -> RetentionResult:
    """Count (or with ``apply`` remove) involvements, handovers, referrals and caseload assignments that ended
    before ``cutoff``."""
    if not isinstance(cutoff, date):
        raise WijknetError(f"The cut-off must be a date, not {cutoff!r}.")
    detail = f"cutoff={cutoff.isoformat()}"
    if not apply:
        require_role(audit, actor, "privacy_retention_dry_run", *DATA_ROLES)
        audit_action(audit, actor, "privacy_retention_dry_run", purpose="storage_limitation", detail=detail)
        return _retention(db, cutoff, apply=False)
    with audited_write(audit, actor, "privacy_retention", detail=detail) as outcome:
        result = _retention(db, cutoff, apply=True)
        outcome.done("removed", f"{detail} involvements={result.involvements} handovers={result.handovers} "
                     f"referrals={result.referrals} caseload_assignments={result.caseload_assignments} "
                     f"fact_versions={result.fact_versions} signal_states={result.signal_states}")
    return result


def _retention(db: Database, cutoff: date, *, apply: bool) -> RetentionResult:
    row = run(db, "privacy_retention", {"cutoff": cutoff, "apply": apply}, write=True, timeout=ERASE_TIMEOUT).first() or {}
    return RetentionResult(cutoff, int(row.get("involvements", 0)), int(row.get("handovers", 0)),
                           int(row.get("referrals", 0)), int(row.get("caseload_assignments", 0)), apply,
                           int(row.get("fact_versions", 0)), int(row.get("signal_states", 0)))


def erasure_reference(person_id: str, key: bytes) -> str:
    """A keyed hash of ``person_id``: the only trace an erasure leaves in the audit log."""
    return "erased:" + hmac.new(key, f"erase:{person_id}".encode(), hashlib.sha256).hexdigest()[:20]


def _key() -> bytes:
    from graph.settings import load_settings
    from ingest.pseudonym import load_or_create_key

    return load_or_create_key(load_settings().secret_file)


def _side_store() -> StateStore:
    from graph.settings import load_settings

    return StateStore(load_settings().state_dir / "ingest.sqlite")


@writes("privacy_erase")
def erase_person(db: Database, audit: AuditLog, actor: Actor, person_id: str, *, apply: bool = False,
                 store: StateStore | None = None) -> ErasureResult:
    """Count (or with ``apply`` remove) a person, their edges and what concerned only them — in the graph the
    kept earlier versions and the signal statuses too, and the rows of the ingest side store (``store``, by
    default the state directory's) that name the person or a fact removed with them.

    Raises :class:`WijknetError` when there is no such person. The audit records carry no content: the target
    is the keyed reference, the outcome counts.
    """
    if not apply:
        require_role(audit, actor, "privacy_erase_dry_run", *DATA_ROLES)
        ref = erasure_reference(str(person_id), _key())
        audit_action(audit, actor, "privacy_erase_dry_run", target=ref, purpose="erasure_request")
        return _erase(db, ref, str(person_id), apply=False)[0]
    # The reference needs the key; a refused actor is refused before the key is touched.
    check_write(audit, actor, "privacy_erase")
    ref = erasure_reference(str(person_id), _key())
    with audited_write(audit, actor, "privacy_erase", target=ref) as outcome:
        result, ids = _erase(db, ref, str(person_id), apply=True)
        side = store if store is not None else _side_store()
        result = replace(result, side_store_rows=side.erase(ids))
        # the next import of an export that still holds them skips their rows (a keyed digest, not the id)
        side.register_erased([(Pseudonymiser(_key()).erased(str(person_id)), "person")])
        outcome.done("erased", f"involvements={result.involvements} handovers={result.handovers} "
                     f"referrals={result.referrals} owned_nodes={result.owned_nodes} edges={result.edges} "
                     f"fact_versions={result.fact_versions} signal_states={result.signal_states} "
                     f"side_store_rows={result.side_store_rows}")
    return result


def _erase(db: Database, ref: str, person_id: str, *, apply: bool) -> tuple[ErasureResult, list[str]]:
    row = run(db, "privacy_erase_person", {"person_id": person_id, "apply": apply}, write=True, timeout=ERASE_TIMEOUT).first()
    if row is None:
        raise WijknetError("There is no person with that id; nothing was erased.")
    return ErasureResult(ref, int(row["involvements"]), int(row["handovers"]), int(row["referrals"]),
                         int(row["owned_nodes"]), int(row["edges"]), apply, int(row["fact_versions"]),
                         int(row["signal_states"])), [str(i) for i in row["ids"]]


@writes("privacy_erase_household")
def erase_household(db: Database, audit: AuditLog, actor: Actor, household: str, *, apply: bool = False,
                    store: StateStore | None = None) -> HouseholdErasureResult:
    """Count (or with ``apply`` remove) a household, its members who belong to no other household, the people of
    its client system outside it whose only tie is to it or to those members (domain.md §3: a grandmother, a
    neighbour; one with any other tie keeps it and only loses the edge), their edges and what concerned only
    them, its caseload assignments, the kept earlier versions and the signal statuses, and the rows of the ingest side store (``store``, by default the state directory's) that name them; the
    erasure register then holds keyed digests of the household, its address and the erased people, so the next
    import skips their rows.

    The same rules as :func:`erase_person`: a dry run without ``apply`` (audited, role checked), the write audited
    before and after with the keyed reference as target and the counts as outcome. Raises :class:`WijknetError`
    when there is no such household. (``household``, not ``household_id``: this is no coach opening a household.)
    """
    if not apply:
        require_role(audit, actor, "privacy_erase_household_dry_run", *DATA_ROLES)
        ref = erasure_reference(str(household), _key())
        audit_action(audit, actor, "privacy_erase_household_dry_run", target=ref, purpose="erasure_request")
        return _erase_household(db, ref, str(household), apply=False)[0]
    check_write(audit, actor, "privacy_erase_household")  # refused before the key is touched
    key = _key()
    ref = erasure_reference(str(household), key)
    with audited_write(audit, actor, "privacy_erase_household", target=ref) as outcome:
        result, row = _erase_household(db, ref, str(household), apply=True)
        side = store if store is not None else _side_store()
        result = replace(result, side_store_rows=side.erase([str(i) for i in row["ids"]]))
        pseudo = Pseudonymiser(key)
        side.register_erased([(pseudo.erased(str(household)), "household")]
                             + ([(pseudo.erased_address(row["address_key"]), "household")]
                                if row["address_key"] else [])
                             + [(pseudo.erased(str(m)), "person") for m in row["member_ids"]])
        outcome.done("erased", f"erased_members={result.erased_members} erased_outside={result.erased_outside} "
                     f"kept_outside={result.kept_outside} involvements={result.involvements} "
                     f"handovers={result.handovers} referrals={result.referrals} owned_nodes={result.owned_nodes} "
                     f"edges={result.edges} caseload_assignments={result.caseload_assignments} "
                     f"fact_versions={result.fact_versions} signal_states={result.signal_states} "
                     f"side_store_rows={result.side_store_rows}")
    return result


def _erase_household(db: Database, ref: str, household_id: str, *, apply: bool
                     ) -> tuple[HouseholdErasureResult, dict[str, Any]]:
    row = run(db, "privacy_erase_household", {"household_id": household_id, "apply": apply}, write=True, timeout=ERASE_TIMEOUT).first()
    if row is None:
        raise WijknetError(f"There is no household with the id {household_id!r}; nothing was erased.")
    return HouseholdErasureResult(
        ref, int(row["members"]), int(row["involvements"]), int(row["handovers"]), int(row["referrals"]),
        int(row["owned_nodes"]), int(row["edges"]), int(row["caseload_assignments"]), apply,
        int(row["fact_versions"]), int(row["signal_states"]), erased_outside=int(row["erased_outside"]),
        kept_outside=int(row["kept_outside"])), row


@dataclass(frozen=True)
class ReErasure:
    """What :func:`erase_registered` erased again: counts, never who."""

    people: int  # persons gone, the members erased with a household included
    households: int


def erase_registered(db: Database, audit: AuditLog, *, store: StateStore | None = None,
                     actor: Actor = SYSTEM_RESTORE) -> ReErasure:
    """Erase again every household and person in the graph whose keyed digest is in the erasure register of
    ``store`` (by default the state directory's): after ``wijknet db restore`` of a backup made before an erasure,
    the graph holds them again. Each is an ordinary erasure (:func:`erase_household`, then :func:`erase_person`
    for those still there), audited before and after as ``actor`` (:data:`queries.access.SYSTEM_RESTORE`), with
    the keyed reference as target. The register holds digests only, so every id in the graph is digested and
    looked up; nothing of it is returned, shown or logged."""
    side = store if store is not None else _side_store()
    register = side.erased()
    if not register:
        return ReErasure(0, 0)
    pseudo = Pseudonymiser(_key())

    def registered(kind: str) -> list[str]:
        return [str(node_id) for k, node_id, address_key in stream(db, "privacy_erased_candidates")
                if k == kind and (pseudo.erased(str(node_id)) in register
                                  or (address_key is not None and pseudo.erased_address(str(address_key))
                                      in register))]

    households, people = registered("household"), 0
    for household in households:
        r = erase_household(db, audit, actor, household, apply=True, store=side)
        people += r.erased_members + r.erased_outside
    for person in registered("person"):  # read again: the members erased with a household are gone
        erase_person(db, audit, actor, person, apply=True, store=side)
        people += 1
    return ReErasure(people, len(households))
