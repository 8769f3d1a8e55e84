"""Signals: match new involvements against the active ones around them, and check the thresholds — set-based.

One pass per load (:func:`match_import`, called once at the end of a file load, over the involvements the load
wrote — new or changed — and nothing else of the graph) or per ``wijknet signals run`` (:func:`run_matching`: the
involvements that are active on ``as_of`` and started within the signal retention
(:class:`graph.notice_rules.NoticeRules`), read once from the ``since`` index, ``notice_new.cypher``). They are
matched in chunks of :data:`CHUNK` ids per statement (``notice_match.cypher``: the professionals about each other
and the household's coach, whose coaches are looked up once per new involvement), never a query per row. The
households they touch are checked against the thresholds in two more reads (their active involvements and their
recent handovers) with the same definitions as the overlap and handover figures
(:mod:`queries.analytics.overlap`, :mod:`queries.analytics.communities`), and the threshold signals written in one
statement.

What is written is small: one ``:Notice`` per matched *pair* of involvements and one per new involvement on a
coached household, each holding keys only (the involvement ids, household, date, created, source); who is told
and the other side's contact details are derived when they are read (:mod:`queries.notices`), and a reader's
status is written only when they mark one. Every notice has a unique ``key``; a statement first drops the keys
that exist already (one lookup each in the ``Notice.key`` index) and makes the others with one ``CREATE`` each, so
a second pass over the same involvements — the same export loaded again, ``wijknet signals run`` — makes none
twice; an involvement that has ended by the matching day makes none. The demo replays its history instead
(:func:`replay_matching`: each involvement matched on the day it started). What the rules are, who is told and
how long a signal lives is declared in :mod:`graph.notice_rules` and described in ``docs/signals.md``.

The writes run inside the caller's audited write (the load's ``ingest_load``; ``wijknet signals run``'s
``notice_match``; the demo's ``demo_load``): no audit record per signal.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any

import pandas as pd

from graph.db import Database
from graph.errors import DatabaseError
from graph.notice_rules import LEAD_RECIPIENT, NoticeRules, notice_rules
from ingest.entry import audited_write, writes
from queries.access import Actor
from queries.audit import AuditLog

__all__ = ["CHUNK", "CHILD_ROLES", "MatchResult", "PARENT_ROLES", "THRESHOLD_SOURCE", "match_import",
           "match_involvements", "replay_matching", "run_matching", "threshold_rows"]

log = logging.getLogger("wijknet.signals")

#: New involvements per matching statement (a 100,000-row export is twenty statements, not 100,000).
CHUNK = 5000
#: Membership roles (``HAS_MEMBER.role``) of parents and of children: a child's involvement is matched with its
#: parents' (and a parent in the household's client system, ``IN_CLIENT_SYSTEM.relation``), a parent's with its
#: children's — not with a sibling's.
PARENT_ROLES: tuple[str, ...] = ("vader", "moeder", "hoofd", "partner", "ouder", "stiefvader", "stiefmoeder")
CHILD_ROLES: tuple[str, ...] = ("kind", "stiefkind", "pleegkind")
_TIMEOUT = 600.0
#: The ``source`` of a threshold signal (a match carries the source of the involvement whose start made it).
THRESHOLD_SOURCE = "wijknet:thresholds"


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


def _cypher(name: str) -> str:
    return resources.files("ingest.cypher").joinpath(f"{name}.cypher").read_text()


def _native(rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """Rows with the driver's dates at ``keys`` as Python dates (for pandas)."""
    return [{**r, **{k: r[k].to_native() if hasattr(r[k], "to_native") else r[k] for k in keys}} for r in rows]


def _add(result: MatchResult, kind: str, n: int) -> None:
    result.made[kind] = result.made.get(kind, 0) + int(n)


def match_involvements(db: Database, ids: list[str], as_of: date, rules: NoticeRules | None = None, *,
                       at_start: bool = False) -> MatchResult:
    """Match the involvements ``ids`` that are active on ``as_of`` and started within the retention seen from it
    (and check the thresholds of the households they touch on ``as_of``). With ``at_start`` each involvement is
    matched on the day it started instead (against what was active then): the demo's replay of its history."""
    rules = rules or notice_rules()
    t0 = time.perf_counter()
    ids = list(dict.fromkeys(ids))  # distinct: a signal is made once per key (the statements CREATE, see above)
    result = MatchResult(involvements=len(ids))
    run, now = uuid.uuid4().hex, datetime.now(UTC).isoformat(timespec="seconds")
    households: set[str] = set()
    t = t0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        row = db.execute("notice_match", _cypher("notice_match"), {
            "ids": chunk, "as_of": None if at_start else as_of, "from": rules.cutoff(as_of),
            "parents": list(PARENT_ROLES), "children": list(CHILD_ROLES), "now": now},
            write=True, timeout=_TIMEOUT).first() or {}
        _add(result, "match", row.get("created") or 0)
        _add(result, "new_involvement", row.get("new_made") or 0)
        households.update(str(h) for h in row.get("households") or [])
        t = result.took("match", t)
    result.households = len(households)
    rows = threshold_rows(db, sorted(households), as_of, rules)
    t = result.took("threshold_reads", t)
    if rows:
        row = db.execute("notice_threshold", _cypher("notice_threshold"), {
            "rows": rows, "as_of": as_of, "lead": LEAD_RECIPIENT, "now": now, "run": run,
            "source": THRESHOLD_SOURCE}, write=True,
            timeout=_TIMEOUT).first() or {}
        _add(result, "threshold", row.get("created", 0))
        result.took("threshold_write", t)
    result.seconds = time.perf_counter() - t0
    return result


def threshold_rows(db: Database, households: list[str], as_of: date, rules: NoticeRules) -> list[dict[str, Any]]:
    """The threshold signals the ``households`` call for on ``as_of``: ``{household_id, kind, detail, text,
    count}`` (``detail`` is part of the signal's key)."""
    from queries.analytics.communities import ping_pong

    if not households:
        return []
    out: list[dict[str, Any]] = []
    rows = db.execute("notice_threshold_rows", _cypher("notice_threshold_rows"),
                      {"households": households, "as_of": as_of}, timeout=_TIMEOUT, row_cap=10_000_000).rows
    if rows:
        active = _active_at(pd.DataFrame(_native(rows, "since", "until")), as_of)
        for hid, n in active.groupby("household_id")["professional_id"].nunique().items():
            if int(n) >= rules.max_casemanagers:
                out.append({"household_id": hid, "kind": "casemanagers", "detail": str(rules.max_casemanagers),
                            "text": f"{int(n)} casemanagers tegelijk actief (drempel {rules.max_casemanagers})",
                            "count": int(n)})
        # the same definition as queries.analytics.overlap.double_casemanagers, per household
        per = active.groupby(["household_id", "function"])["professional_id"].nunique()
        for (hid, function), n in per[per >= 2].items():
            out.append({"household_id": hid, "kind": "double_casemanager", "detail": str(function),
                        "text": f"{int(n)} actieve professionals met functie {function}", "count": int(n)})
    events = db.execute("notice_handover_rows", _cypher("notice_handover_rows"), {
        "households": households, "from": rules.cutoff(as_of), "as_of": as_of}, timeout=_TIMEOUT,
        row_cap=10_000_000).rows
    if events:
        e = pd.DataFrame(_native(events, "date"))
        names = {**dict(zip(e["from_organisation"], e["from_name"], strict=True)),
                 **dict(zip(e["to_organisation"], e["to_name"], strict=True))}
        for hid, mine in e.groupby("household_id"):
            if len(mine) < 2:
                continue
            for a, b, n in ping_pong(mine).itertuples(index=False, name=None):
                out.append({"household_id": hid, "kind": "ping_pong", "detail": f"{a}|{b}",
                            "text": f"pingpong tussen {names.get(a, a)} en {names.get(b, b)}", "count": int(n)})
    return out


def _active_at(t: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The involvement rows whose period contains ``as_of`` (an open ``until`` runs on): the same rule as the
    overlap figures' "active casemanagers" (queries/counting.py, tests/overlap_oracle.py)."""
    if t.empty:
        return t
    since = pd.to_datetime(t["since"])
    until = pd.to_datetime(t["until"])
    day = pd.Timestamp(as_of)
    return t[(since <= day) & (until.isna() | (until >= day))]


def _new_ids(db: Database, as_of: date, rules: NoticeRules, source: str | None, at_start: bool = False) -> list[str]:
    return [str(r["id"]) for r in db.execute("notice_new", _cypher("notice_new"), {
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
    row = db.execute("notice_import_source", _cypher("notice_import_source"), {"key": import_key}).first()
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
