"""Signals: match new involvements against the active ones around them, and check the thresholds — with a cost
proportional to what the load wrote, not to the graph.

One pass per load (:func:`match_import`, called once at the end of a file load, over the involvements the load
wrote — new or changed — and nothing else of the graph) or per ``wijknet signals run`` (:func:`run_matching`: the
involvements that are active on ``as_of`` and started within the signal retention
(:class:`graph.notice_rules.NoticeRules`), read once from the ``since`` index, ``notice_new.cypher``). A pass:

1. one read per :data:`CHUNK` new involvements finds the households of their subjects (``notice_scope.cypher``);
2. per batch of at most :data:`HOUSEHOLDS` of those households, ONE read returns per household everything the
   rules look at, keys only — members, client-system parents, coaches, the involvements that may be active, the
   recent handovers (``notice_households.cypher``);
3. the pairing and the thresholds are computed in Python on that read (:mod:`ingest.pairing`, pure and
   unit-tested against the rules of :mod:`graph.notice_rules`, with the same definitions as the overlap and
   handover figures);
4. ONE write per batch creates the notices whose key does not exist yet (``notice_write.cypher``).

A 100,000-row export is a handful of round trips, none per row. What is written is small: one ``:Notice`` per
matched *pair* of involvements, one per new involvement on a coached household, one per threshold and recipient,
each holding keys only; who is told and the other side's contact details are derived when they are read
(:mod:`queries.notices`), and a reader's status is written only when they mark one. Every notice has a unique
``key`` and a key that exists is skipped, so a second pass over the same involvements — the same export loaded
again, ``wijknet signals run`` — makes none twice; an involvement that has ended by the matching day makes none.
The demo replays its history instead (:func:`replay_matching`: each involvement matched on the day it started). What the rules are, who is told and how long a signal lives is declared in
:mod:`graph.notice_rules` and described in ``docs/signals.md``.

The writes run inside the caller's audited write (the load's ``ingest_load``; ``wijknet signals run``'s
``notice_match``; the demo's ``demo_load``): no audit record per signal.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from graph.db import Database
from graph.errors import DatabaseError
from graph.notice_rules import LEAD_RECIPIENT, NoticeRules, notice_rules
from ingest.cypher import statement
from ingest.entry import audited_write, writes
from ingest.pairing import CHILD_ROLES, PARENT_ROLES, Neighbourhood, Pairs, match_rows, threshold_rows
from queries.access import Actor
from queries.audit import AuditLog

__all__ = ["CHILD_ROLES", "CHUNK", "HOUSEHOLDS", "MatchResult", "PARENT_ROLES", "THRESHOLD_SOURCE", "match_import",
           "match_involvements", "replay_matching", "run_matching"]

log = logging.getLogger("wijknet.signals")

#: New involvements per scope read (which households they touch): a 100,000-row export is five reads.
CHUNK = 20_000
#: Households per batch: one read of everything the rules look at and one write of the notices per batch (a
#: 100,000-row export on 80,000 households touches some 60,000: six batches).
HOUSEHOLDS = 10_000
_TIMEOUT = 600.0
#: The ``source`` of a threshold signal (a match carries the source of the involvement whose start made it).
THRESHOLD_SOURCE = "wijknet:thresholds"
#: What MatchResult.made counts a notice kind as.
_COUNTED_AS = {"match": "match", "new_involvement": "new_involvement"}


@dataclass
class MatchResult:
    """What one pass did: involvements looked at, signals made per kind, seconds taken."""

    involvements: int = 0
    made: dict[str, int] = field(default_factory=dict)
    households: int = 0
    seconds: float = 0.0
    #: for the load's report: why no signals were made (the load itself stands)
    notes: list[str] = field(default_factory=list)
    #: seconds per step (for the bench)
    steps: dict[str, float] = field(default_factory=dict)
    #: round trips to the database (for the bench: a handful per load, never one per row)
    statements: int = 0

    def took(self, step: str, since: float) -> float:
        now = time.perf_counter()
        self.steps[step] = self.steps.get(step, 0.0) + now - since
        return now

    @property
    def total(self) -> int:
        return sum(self.made.values())

    def summary(self) -> str:
        kinds = " ".join(f"{k}={n}" for k, n in sorted(self.made.items()))
        return f"involvements={self.involvements} households={self.households} signals={self.total} {kinds}".strip()


@dataclass
class _Pass:
    """One matching pass's settings and running state (a key is made once per pass, a household checked once)."""

    db: Database
    as_of: date
    rules: NoticeRules
    at_start: bool
    result: MatchResult
    now: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    run: str = field(default_factory=lambda: uuid.uuid4().hex)
    pairs: Pairs = field(default_factory=Pairs)
    checked: set[str] = field(default_factory=set)

    @property
    def cutoff(self) -> date:
        return self.rules.cutoff(self.as_of)

    def execute(self, name: str, params: dict[str, Any], write: bool = False) -> list[dict[str, Any]]:
        self.result.statements += 1
        return self.db.execute(name, statement(name), params, write=write, timeout=_TIMEOUT,
                               row_cap=10_000_000).rows


def match_involvements(db: Database, ids: list[str], as_of: date, rules: NoticeRules | None = None, *,
                       at_start: bool = False) -> MatchResult:
    """Match the involvements ``ids`` that are active on ``as_of`` and started within the retention seen from it,
    and check the thresholds of the households they touch on ``as_of``. With ``at_start`` each involvement is
    matched on the day it started instead (against what was active then): the demo's replay of its history."""
    t0 = time.perf_counter()
    ids = list(dict.fromkeys(ids))
    p = _Pass(db, as_of, rules or notice_rules(), at_start, MatchResult(involvements=len(ids)))
    for batch, persons in _batches(p, ids):
        t = time.perf_counter()
        rows = p.execute("notice_households", {
            "households": sorted({h for _, hs in batch for h in hs}), "persons": persons,
            "parents": list(PARENT_ROLES), "active_from": p.cutoff if at_start else as_of, "as_of": as_of,
            "from": p.cutoff})
        t = p.result.took("read", t)
        notices = _pair(p, Neighbourhood.from_rows(rows), [i for i, _ in batch])
        t = p.result.took("pair", t)
        _write(p, notices)
        p.result.took("write", t)
    p.result.households = len(p.checked)
    p.result.seconds = time.perf_counter() - t0
    return p.result


def _batches(p: _Pass, ids: list[str]) -> Iterable[tuple[list[tuple[str, list[str]]], list[str]]]:
    """The involvements a pass matches (``notice_scope.cypher``, one read per :data:`CHUNK` ids), in batches of
    about :data:`HOUSEHOLDS` households: each involvement with all its households in one batch (and its person
    subjects that belong to no household, read apart)."""
    t = time.perf_counter()
    scoped: list[tuple[str, list[str], list[str]]] = []
    for start in range(0, len(ids), CHUNK):
        for r in p.execute("notice_scope", {"ids": ids[start:start + CHUNK], "from": p.cutoff, "as_of": p.as_of,
                                            "at_start": p.at_start}):
            scoped.append((str(r["id"]), sorted(r["households"] or []), list(r["persons"] or [])))
    p.result.took("scope", t)
    # the involvements of one household next to each other, so that it is read in as few batches as possible
    scoped.sort(key=lambda x: (x[1][:1], x[0]))
    batch: list[tuple[str, list[str]]] = []
    persons: dict[str, None] = {}
    households: set[str] = set()
    for nid, hs, loose in scoped:
        if batch and len(households | set(hs)) > HOUSEHOLDS:
            yield batch, list(persons)
            batch, persons, households = [], {}, set()
        batch.append((nid, hs))
        persons.update(dict.fromkeys(loose))
        households.update(hs)
    if batch:
        yield batch, list(persons)


def _pair(p: _Pass, nb: Neighbourhood, ids: list[str]) -> list[dict[str, Any]]:
    """The notices of one batch that this pass has not made yet: the matches and new involvements
    (:func:`ingest.pairing.match_rows`) and the thresholds on ``as_of`` of the households they touch (each
    household checked once per pass)."""
    made = len(p.pairs.rows)
    match_rows(nb, ids, p.as_of, p.cutoff, at_start=p.at_start, now=p.now, into=p.pairs)
    fresh = sorted(p.pairs.touched - p.checked)
    for row in threshold_rows(nb, fresh, p.as_of, p.rules.max_casemanagers, lead=LEAD_RECIPIENT, now=p.now,
                              run=p.run, source=THRESHOLD_SOURCE):
        p.pairs.add(row)
    p.checked.update(fresh)
    return p.pairs.rows[made:]


def _write(p: _Pass, notices: list[dict[str, Any]]) -> None:
    """One statement: the notices whose key does not exist yet are created (``notice_write.cypher``)."""
    if not notices:
        return
    for r in p.execute("notice_write", {"rows": notices}, write=True):
        kind = _COUNTED_AS.get(str(r["kind"]), "threshold")
        p.result.made[kind] = p.result.made.get(kind, 0) + int(r["created"])


def _new_ids(db: Database, as_of: date, rules: NoticeRules, source: str | None, at_start: bool = False) -> list[str]:
    return [str(r["id"]) for r in db.execute("notice_new", statement("notice_new"), {
        "as_of": as_of, "from": rules.cutoff(as_of), "source": source, "at_start": at_start}, timeout=_TIMEOUT,
        row_cap=10_000_000).rows]


def replay_matching(db: Database, as_of: date, source: str | None = None) -> MatchResult:
    """Make the signals a nightly run would have made up to ``as_of``: every involvement (of ``source``) that
    started within the retention before ``as_of`` is matched on the day it started, against what was active
    then; the thresholds are checked on ``as_of``. For the demo, whose history ends years ago (:mod:`ingest.demo`);
    runs inside the caller's audited write. Idempotent."""
    rules = notice_rules()
    return match_involvements(db, _new_ids(db, as_of, rules, source, at_start=True), as_of, rules, at_start=True)


def match_import(db: Database, import_key: str, as_of: date | None = None,
                 ids: list[str] | None = None) -> MatchResult:
    """The matching pass of one load, called once after its batches are written: the involvements ``ids`` the
    load wrote (new or changed; ``None``: every involvement of the import's source) that are active on ``as_of``
    (default today) and started within the retention. An involvement the load left unchanged was matched by the
    load that wrote it: no pass over the rest of the graph.

    A database error here does not undo or fail the load (it has committed): the result carries a note for the
    load's report saying so, and ``wijknet signals run`` makes the signals later (idempotent)."""
    try:
        return _match_import(db, import_key, as_of, ids)
    except DatabaseError as exc:
        log.warning("signals: matching after the load failed: %s", exc)
        return MatchResult(notes=[f"Geen signalen gemaakt ({exc}); de gegevens zijn wel geladen. Maak ze later "
                                  "met `wijknet signals run`."])


def _match_import(db: Database, import_key: str, as_of: date | None, ids: list[str] | None) -> MatchResult:
    rules = notice_rules()
    day = as_of or date.today()
    if ids is not None:
        return match_involvements(db, ids, day, rules)
    row = db.execute("notice_import_source", statement("notice_import_source"), {"key": import_key}).first()
    source = str(row["source"]) if row and row["source"] else None
    if source is None:
        return MatchResult()
    t0 = time.perf_counter()
    ids = _new_ids(db, day, rules, source)
    read = time.perf_counter() - t0
    result = match_involvements(db, ids, day, rules)
    result.steps = {"new_ids": read, **result.steps}
    result.seconds += read
    return result


@writes("notice_match")
def run_matching(db: Database, audit: AuditLog, actor: Actor, *, as_of: date | None = None,
                 source: str | None = None) -> MatchResult:
    """``wijknet signals run``: match every involvement active on ``as_of`` (default today) that started within
    the retention (of ``source`` only, if given), as ``actor`` (audited). Idempotent."""
    day = as_of or date.today()
    rules = notice_rules()
    with audited_write(audit, actor, "notice_match", target=f"as_of={day.isoformat()}") as outcome:
        result = match_involvements(db, _new_ids(db, day, rules, source), day, rules)
        outcome.done("matched", result.summary())
    return result
