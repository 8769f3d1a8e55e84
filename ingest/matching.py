"""Signals: mark what a load (or a run, or the demo's replay) starts as *matched* — one small write, no pass over
the graph — and let every reader derive their signals from the graph when they read them (:mod:`queries.notices`).

What is written is one property, ``Involvement.seen``: the day an involvement was matched on (the load's date,
``as_of``; the demo replays its history, each involvement on the day it started). An involvement is matched when it
started within the retention seen from that day (:class:`graph.notice_rules.NoticeRules`) and is active that day;
one matched before keeps its day, so loading the same export again or re-running changes nothing, and an involvement
that has ended by the day is not matched (``notice_stamp.cypher``). A load matches the involvements it writes in the
statements that write them (``ingest.loader.write_batch``: one more property per involvement, no statement of its
own) and remembers its day (:func:`match_import`) — its only cost for signals.

Who is told of what is derived when a signal is read, by the same rules as before (:mod:`ingest.pairing`, pure and
unit-tested; ``docs/signals.md``): a coach reads their caseload's households, a partner professional the households
of their own involvements, the project lead the households over a threshold. Nothing of a signal is stored but a
reader's status (``:NoticeState``, when they mark it). ``wijknet signals run`` matches what a load did not (a
registration, an older date) and counts the signals that makes, for its report.

The writes run inside the caller's audited write (the load's ``ingest_load``; ``wijknet signals run``'s
``notice_match``; the demo's ``demo_load``): no audit record per involvement.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

from graph.clock import today as dutch_today
from graph.db import Database
from graph.errors import DatabaseError
from graph.notice_rules import NoticeRules, notice_rules
from ingest.cypher import statement
from ingest.entry import audited_write, writes
from ingest.pairing import CHILD_ROLES, PARENT_ROLES, THRESHOLD_SOURCE
from queries.access import Actor
from queries.audit import AuditLog

__all__ = ["CHILD_ROLES", "CHUNK", "MatchResult", "PARENT_ROLES", "THRESHOLD_SOURCE", "match_import",
           "match_involvements", "replay_matching", "run_matching"]

log = logging.getLogger("wijknet.signals")

#: Involvements per statement when a load marks what it wrote as matched (a 100,000-row export: five statements).
CHUNK = 20_000
_TIMEOUT = 600.0


@dataclass
class MatchResult:
    """What one pass did: involvements looked at and matched, the signals that made per kind (counted only when
    asked: ``wijknet signals run`` and the demo), seconds taken."""

    involvements: int = 0
    matched: int = 0
    made: dict[str, int] = field(default_factory=dict)
    households: int = 0
    seconds: float = 0.0
    #: for the load's report: why nothing was matched (the load itself stands)
    notes: list[str] = field(default_factory=list)
    #: seconds per step (for the bench)
    steps: dict[str, float] = field(default_factory=dict)
    #: round trips to the database (for the bench: a handful per load, never one per row)
    statements: int = 0

    @property
    def total(self) -> int:
        return sum(self.made.values())

    def summary(self) -> str:
        kinds = " ".join(f"{k}={n}" for k, n in sorted(self.made.items()))
        return (f"involvements={self.involvements} matched={self.matched} households={self.households} "
                f"signals={self.total} {kinds}").strip()


def match_involvements(db: Database, ids: list[str], as_of: date, rules: NoticeRules | None = None, *,
                       at_start: bool = False, count: bool = True) -> MatchResult:
    """Mark the involvements ``ids`` matched on ``as_of`` (with ``at_start`` each on the day it started: the demo's
    replay) when they started within the retention seen from it and are active that day. With ``count`` the
    signals their matching makes are derived and counted (a read of their households; a load skips it)."""
    t0 = time.perf_counter()
    rules = rules or notice_rules()
    ids = list(dict.fromkeys(ids))
    result = MatchResult(involvements=len(ids))
    stamped: list[str] = []
    last: date | None = None
    for start in range(0, len(ids), CHUNK):
        result.statements += 1
        for r in db.execute("notice_stamp", statement("notice_stamp"), {
                "ids": ids[start:start + CHUNK], "day": None if at_start else as_of, "from": rules.cutoff(as_of),
                "to": as_of}, write=True, timeout=_TIMEOUT, row_cap=10_000_000).rows:
            stamped.append(str(r["id"]))
            day = r["day"].to_native() if hasattr(r["day"], "to_native") else r["day"]
            last = day if last is None or day > last else last
    if last is not None:  # the day the thresholds are read on (queries.notices)
        result.statements += 1
        db.execute("notice_matched_day", statement("notice_matched_day"), {"day": last}, write=True)
    result.matched = len(stamped)
    t = time.perf_counter()
    result.steps["stamp"] = t - t0
    if count and stamped:
        from queries.notices import count_made

        result.made, result.households, statements = count_made(db, stamped, as_of)
        result.statements += statements
        result.steps["count"] = time.perf_counter() - t
    result.seconds = time.perf_counter() - t0
    return result


def _new_ids(db: Database, as_of: date, rules: NoticeRules, source: str | None, at_start: bool = False) -> list[str]:
    return [str(r["id"]) for r in db.execute("notice_new", statement("notice_new"), {
        "as_of": as_of, "from": rules.cutoff(as_of), "source": source, "at_start": at_start}, timeout=_TIMEOUT,
        row_cap=10_000_000).rows]


def replay_matching(db: Database, as_of: date, source: str | None = None) -> MatchResult:
    """Match as a nightly run would have up to ``as_of``: every involvement (of ``source``) that started within
    the retention before ``as_of``, each on the day it started. For the demo, whose history ends years ago
    (:mod:`ingest.demo`); runs inside the caller's audited write. Idempotent."""
    rules = notice_rules()
    return match_involvements(db, _new_ids(db, as_of, rules, source, at_start=True), as_of, rules, at_start=True)


def match_import(db: Database, import_key: str, as_of: date | None = None,
                 ids: list[str] | None = None) -> MatchResult:
    """The matching of one load, called once after its batches are written. The involvements ``ids`` the load
    wrote (new or changed) were matched on ``as_of`` (default today) as they were written, if they started within
    the retention and are active that day (``ingest.loader.write_batch``: a property set in the statement that
    writes them, no statement of its own); here only the day is remembered as the last matching day, the day the
    thresholds are read on — one statement, nothing read.

    A database error here does not undo or fail the load (it has committed): the result carries a note for the
    load's report saying so, and ``wijknet signals run`` matches them later (idempotent)."""
    try:
        day = as_of or dutch_today()
        if ids:  # the involvements were matched as they were written (ingest.loader.write_batch): only the day
            db.execute("notice_matched_day", statement("notice_matched_day"), {"day": day}, write=True)
        return MatchResult(involvements=len(ids or []), statements=1 if ids else 0)
    except DatabaseError as exc:
        log.warning("signals: matching after the load %s failed: %s", import_key, exc)
        return MatchResult(notes=[f"Geen signalen gemaakt ({exc}); de gegevens zijn wel geladen. Maak ze later "
                                  "met `wijknet signals run`."])


@writes("notice_match")
def run_matching(db: Database, audit: AuditLog, actor: Actor, *, as_of: date | None = None,
                 source: str | None = None) -> MatchResult:
    """``wijknet signals run``: match every involvement active on ``as_of`` (default today) that started within
    the retention (of ``source`` only, if given) and was not matched yet, as ``actor`` (audited), and count the
    signals that makes. Idempotent."""
    day = as_of or dutch_today()
    rules = notice_rules()
    with audited_write(audit, actor, "notice_match", target=f"as_of={day.isoformat()}") as outcome:
        result = match_involvements(db, _new_ids(db, day, rules, source), day, rules)
        outcome.done("matched", result.summary())
    return result

