"""Sealing an audit log written before the keyed chain: ``wijknet audit seal --as ACCOUNT``, an audited write of
the admin.

A write never seals a log that already has records (:meth:`queries.audit.AuditLog._seal`): a log without a seal
may be one written before the keyed chain, or one whose seal an intruder removed after rewriting its records
with the plain SHA-256 chain anyone can recompute. Only a person can tell the two apart — by comparing the log
with a checkpoint or backup kept off the host — so sealing is this explicit act: a keyed ``audit_seal`` record
names the last record kept without the key, and ``wijknet audit verify`` reports those records as sealed by it
(with who sealed them), not as verified.

It is the declared write ``audit_seal`` (admin only). A log without a seal takes no record at all, so there the
role is checked first (a refusal cannot be recorded: :class:`~queries.audit.AuditUnavailable` says why) and the
seal record itself is the record that names who acted, followed by the outcome; a log that is sealed already
goes through :func:`ingest.entry.audited_write` like any write. Either way a log whose check finds more than a
missing seal (a broken chain, a forged head, a head or local checkpoint of a sealed log, …) is not sealed: it is
evidence, not a log to continue.
"""

from __future__ import annotations

from graph.errors import WijknetError
from ingest.entry import audited_write, writes
from queries.access import Actor, audit_action, check_write, write_action
from queries.audit import AuditLog
from queries.audit_checkpoint import checkpoints_in

__all__ = ["SealRefused", "seal_audit_log"]

# What a log to be sealed may show besides: the seal missing or unconfirmed, a head of the version before the keyed
# head (the log predates it).
_SEALABLE = frozenset({"unsealed", "head_unkeyed"})


class SealRefused(WijknetError):
    """The audit log shows more than a missing seal: it is not sealed."""


def _require_sealable(audit: AuditLog) -> None:
    """Refuse a log whose check (with the local checkpoint file) finds more than a missing seal."""
    lines = checkpoints_in(audit.checkpoint_file) if audit.checkpoint_file is not None else []
    checked = audit.check([(f"the local checkpoint file {audit.checkpoint_file}", cp) for cp in lines])
    found = [f for f in checked.findings if f.kind not in _SEALABLE]
    if found:
        raise SealRefused(f"The audit log {audit.path} is not sealed: besides the missing seal, the check found "
                          f"{len(found)} other findings (first: {found[0].message}). Treat it as a security "
                          "incident and keep the file as evidence; `wijknet audit verify` lists them all.")


@writes("audit_seal")
def seal_audit_log(audit: AuditLog, actor: Actor) -> int:
    """Seal the records written before the keyed chain; return the last of them (0: nothing to seal)."""
    spec = write_action("audit_seal")
    who = {"user": actor.user, "role": str(actor.role), "organisation": actor.organisation,
           "on_behalf_of": actor.professional_id or actor.user, "access_point": actor.access_point,
           "trace_id": actor.trace_id}
    if audit.path.exists() and audit.count() and not audit.sealed():
        check_write(audit, actor, spec)  # refused: it cannot be recorded, AuditUnavailable says why
        _require_sealable(audit)
        through = audit.seal(**who)
        audit_action(audit, actor, spec.name, purpose=spec.purpose, result="sealed" if through else "nothing_to_seal",
                     detail=f"through_seq={through}")
        return through
    with audited_write(audit, actor, spec) as outcome:
        _require_sealable(audit)
        through = audit.seal(**who)
        outcome.done("sealed" if through else "nothing_to_seal", f"through_seq={through}")
    return through
