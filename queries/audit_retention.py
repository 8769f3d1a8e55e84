"""Retention of the audit log itself: ``wijknet audit cut --before DATE`` as an audited write of the admin.

The cut (:meth:`queries.audit.AuditLog.cut`) removes records; so it is a declared write (``audit_cut`` in
:data:`queries.access.WRITE_ACTIONS`, admin only) and goes through :func:`ingest.entry.audited_write`: a refusal
is recorded and removes nothing, the ``ok`` record is written before the cut (if it cannot be, nothing is
removed) and the outcome after it. A cut never reaches the records of its own run: its bound is at the latest the
moment the command started, so the ``ok`` record that names who cut stays in the log beside the keyed cut record.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from ingest.entry import audited_write, writes
from queries.access import Actor
from queries.audit import AuditLog

__all__ = ["cut_audit_log"]


@writes("audit_cut")
def cut_audit_log(audit: AuditLog, actor: Actor, before: date, *, now: datetime | None = None) -> tuple[int, int]:
    """Remove the records made before ``before`` (UTC midnight; at the latest now) by a recorded cut.

    Returns (last removed record, how many were removed); (0, 0) when there was nothing to remove.
    """
    bound = min(datetime(before.year, before.month, before.day, tzinfo=UTC), now or datetime.now(UTC))
    with audited_write(audit, actor, "audit_cut", detail=f"before={before.isoformat()}") as outcome:
        through, removed = audit.cut(bound, user=actor.user, role=str(actor.role), organisation=actor.organisation,
                                     on_behalf_of=actor.professional_id or actor.user,
                                     access_point=actor.access_point, trace_id=actor.trace_id)
        outcome.done("cut" if removed else "nothing_removed", f"removed={removed} through_seq={through}")
    return through, removed
