"""Storage limitation and erasure (GDPR Art. 5(1)(e), Art. 17): retention of involvement data and erasing a person.

Both are data-steward/admin actions, dry runs unless ``apply=True``, and audited. The erasure leaves a
content-free audit entry: the action, who did it, when, counts, and a keyed hash of the person id (so the
controller, holding the key, can show that a request was carried out; nobody else learns anything).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, timedelta

from graph.db import Database
from graph.errors import WijknetError
from queries.access import DATA_ROLES, Actor, audit_action, require_role
from queries.audit import AuditLog
from queries.registry import run

__all__ = ["ErasureResult", "RetentionResult", "erase_person", "erasure_reference", "retention", "retention_cutoff"]


@dataclass(frozen=True)
class RetentionResult:
    cutoff: date
    involvements: int
    handovers: int
    referrals: int
    caseload_assignments: int
    applied: bool


@dataclass(frozen=True)
class ErasureResult:
    reference: str
    involvements: int
    handovers: int
    referrals: int
    owned_nodes: int
    edges: int
    applied: bool


def retention_cutoff(days: int, today: date | None = None) -> date:
    """The day before which ended involvement data is removed.

    >>> retention_cutoff(730, date(2012, 1, 1))
    datetime.date(2010, 1, 1)
    """
    if days < 1:
        raise WijknetError(f"The retention must be at least one day, not {days}.")
    return (today or date.today()) - timedelta(days=days)


def retention(db: Database, audit: AuditLog, actor: Actor, cutoff: date, *, apply: bool = False
              ) -> RetentionResult:
    """Count (or with ``apply`` remove) involvements, handovers, referrals and caseload assignments that ended
    before ``cutoff``."""
    action = "retention" if apply else "retention_dry_run"
    require_role(audit, actor, action, *DATA_ROLES)
    if not isinstance(cutoff, date):
        raise WijknetError(f"The cut-off must be a date, not {cutoff!r}.")
    audit_action(audit, actor, action, purpose="storage_limitation", detail=f"cutoff={cutoff.isoformat()}")
    row = run(db, "privacy_retention", {"cutoff": cutoff, "apply": apply}, write=True).first() or {}
    return RetentionResult(cutoff, int(row.get("involvements", 0)), int(row.get("handovers", 0)),
                           int(row.get("referrals", 0)), int(row.get("caseload_assignments", 0)), apply)


def erasure_reference(person_id: str, key: bytes) -> str:
    """A keyed hash of ``person_id``: the only trace an erasure leaves in the audit log."""
    return "erased:" + hmac.new(key, f"erase:{person_id}".encode(), hashlib.sha256).hexdigest()[:20]


def _key() -> bytes:
    from graph.settings import load_settings
    from ingest.pseudonym import load_or_create_key

    return load_or_create_key(load_settings().secret_file)


def erase_person(db: Database, audit: AuditLog, actor: Actor, person_id: str, *, apply: bool = False
                 ) -> ErasureResult:
    """Count (or with ``apply`` remove) a person, their edges and what concerned only them.

    Raises :class:`WijknetError` when there is no such person. The audit record carries no content.
    """
    action = "erase_person" if apply else "erase_person_dry_run"
    require_role(audit, actor, action, *DATA_ROLES)
    ref = erasure_reference(str(person_id), _key())
    # Audit first (fail closed), then act; the record holds counts only after a dry run, never content.
    audit_action(audit, actor, action, target=ref, purpose="erasure_request")
    row = run(db, "privacy_erase_person", {"person_id": str(person_id), "apply": apply}, write=True).first()
    if row is None:
        raise WijknetError("There is no person with that id; nothing was erased.")
    return ErasureResult(ref, int(row["involvements"]), int(row["handovers"]), int(row["referrals"]),
                         int(row["owned_nodes"]), int(row["edges"]), apply)
