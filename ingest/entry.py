"""The one audited entry for every write of data: role and scope checked, audit record written first.

Every function that writes data (a file load, a review decision, the demo load, and the coach's records to
come) runs its writes inside :func:`audited_write`::

    with audited_write(audit, actor, "merge_accept", target=f"review-{item_id}") as outcome:
        result = merge_persons(db, survivor, merged)
        outcome.done("merged", result.summary())

Before the block runs, :func:`queries.access.check_write` checks the actor against the declared write
(:data:`queries.access.WRITE_ACTIONS`: role, system actor, for a household write the caseload); a refusal is
audited and raises :class:`~graph.errors.AccessDenied`. Then one audit record (result ``ok``) is written; if it
cannot be, :class:`~queries.audit.AuditUnavailable` is raised and the block never runs, so nothing is written
(fail closed, exactly as the read side's :func:`queries.access.open_household`). After the block a second
record tells the outcome (``outcome.done(result, detail)``, e.g. rows loaded and rejected) or that it failed
(the exception's class, never its text, which may quote data). Both are written once per action, never per
row: a file of a million rows costs two audit records.

:func:`writes` marks a public function as a write entry and names its actions; the access-matrix test
(``tests/integration/test_access_matrix.py``) finds the marked functions and checks each against the table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from graph.db import Database
from queries.access import Actor, WriteAction, audit_action, check_write, write_action
from queries.audit import AuditLog, AuditUnavailable

__all__ = ["WriteOutcome", "audited_write", "write_actions_of", "writes"]

log = logging.getLogger("wijknet.writes")

F = TypeVar("F", bound=Callable[..., object])

_MARK = "__wijknet_writes__"


def writes(*actions: str) -> Callable[[F], F]:
    """Mark a function as a write entry doing ``actions`` (each must be declared in ``WRITE_ACTIONS``)."""
    for name in actions:
        write_action(name)  # an undeclared action fails at import, not at the first write

    def mark(fn: F) -> F:
        setattr(fn, _MARK, tuple(actions))
        return fn

    return mark


def write_actions_of(fn: object) -> tuple[str, ...]:
    """The actions a function was marked with by :func:`writes` (empty: not a write entry)."""
    return tuple(getattr(fn, _MARK, ()))


@dataclass
class WriteOutcome:
    """What the block reports for the second audit record (nothing reported: no second record)."""

    result: str = ""
    detail: str = ""

    def done(self, result: str, detail: str = "") -> None:
        self.result, self.detail = result, detail


@contextmanager
def audited_write(audit: AuditLog, actor: Actor, action: str | WriteAction, *, target: str = "",
                  purpose: str = "", detail: str = "", household_id: str | None = None,
                  db: Database | None = None, today: date | None = None) -> Iterator[WriteOutcome]:
    """Check, audit, then let the block write; audit its outcome. See the module docstring."""
    spec = action if isinstance(action, WriteAction) else write_action(action)
    purpose = purpose or spec.purpose
    target = target or str(household_id or "")
    check_write(audit, actor, spec, target=target, purpose=purpose, household_id=household_id, db=db, today=today)
    audit_action(audit, actor, spec.name, target=target, purpose=purpose, result="ok", detail=detail)
    outcome = WriteOutcome()
    try:
        yield outcome
    except BaseException as exc:
        _after(audit, actor, spec.name, target, purpose, "failed", type(exc).__name__)
        raise
    if outcome.result:
        _after(audit, actor, spec.name, target, purpose, outcome.result, outcome.detail)


def _after(audit: AuditLog, actor: Actor, action: str, target: str, purpose: str, result: str, detail: str) -> None:
    """The outcome record. The write has happened (or failed) by now, so a log that became unavailable in
    between is reported in the application log rather than hiding the write's own result or error."""
    try:
        audit_action(audit, actor, action, target=target, purpose=purpose, result=result, detail=detail)
    except AuditUnavailable:
        log.error("audit: the outcome of %s on %s (%s) could not be recorded", action, target, result)
