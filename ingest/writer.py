"""Stage *writer*: pass 2 — the accepted rows' records from the spill into the graph, in recorded batches.

Pass 1 did the per-row work (records, keys, digests, which records are unchanged since the last load); here
they are gathered into batches (``IngestContext.batch_size`` rows) and written with
:func:`ingest.loader.write_batch`. A batch is written in two transactions. First the persons and households it
is the first to mention (other batches' rows may refer to them), by the gathering thread, which waits until
they committed. Then its own records (involvements, memberships, …) and its ledger count, by one of
``IngestContext.writers`` writer threads, side by side with the batches before it: their rows refer only to
nodes that committed before they were sent (persons and households through the first transaction, everything
else checked in pass 1), so batches in flight never wait for each other's records, and the server uses more than
one core. While they are written, the gathering thread gathers the next batch and remembers committed batches
in the side store, in order. Once a batch failed, the writers skip those queued after it; a re-run sends what
did not commit (a batch that committed after a failed one is merged again, the constraint telling it apart).

A **small file** (at most ``IngestContext.small_file_rows`` accepted rows, by default :data:`SMALL_FILE_ROWS`:
the usual nightly export) is written without
that machinery, because there the fixed costs per file and per batch are what take the time: its batches go one
after the other from the gathering thread, no writer thread: its persons and households, then its own records
with its ledger count and, in the last one, the ledger's completion (the ledger's epoch and entry were written
by one round trip before the first batch, :func:`ingest.ledger.start`). The persons and households keep their
transaction of their own: files loaded at the same time that share persons lock them as before, briefly
(one transaction holding persons, households and memberships at once made ten overlapping imports deadlock
past the driver's retries).

Pass 2 also resolves ids against the graph: a household already in the graph at the row's address keeps its
id (its records change key and digest), and a person merged away by an accepted review item resolves to the
survivor (:func:`ingest.resolve.translate`).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from graph.clock import today as dutch_today
from graph.db import Database
from graph.errors import ConstraintViolated
from graph.notice_rules import notice_rules
from ingest import ledger
from ingest.checks import NOTE_ROWS
from ingest.ledger import Statement, batch_statement, complete_statement
from ingest.loader import LoadStats, conflict_note, decode_line, sweep_load_files, write_batch
from ingest.mapping import Mapping
from ingest.resolve import household_ids, translate
from ingest.rows import PreparedRow, Record, Spill, record_digest, record_key
from ingest.validate import Report

#: Whether a load matches the involvements it writes for signals (``bench/bench_matching.py`` turns it off to
#: measure what matching costs a load).
MATCH_ON_LOAD = True

if TYPE_CHECKING:
    from ingest.pipeline import IngestContext

__all__ = ["DEDUPED_KINDS", "SMALL_FILE_ROWS", "load"]

log = logging.getLogger("wijknet.ingest")

#: a file of at most this many accepted rows is written batch after batch, one transaction each (no writer
#: threads, ledger statements inside the batches' transactions): its fixed costs are what it is slow at
SMALL_FILE_ROWS = 10_000

#: kinds several rows (and batches) may share: written once per run, committed before the records using them
DEDUPED_KINDS = ("person", "household", "professional_stub")

_Pending = tuple["Future[LoadStats | None]", list[Record], list[tuple[str, str]], int]


class _Batch:
    """The records of the rows being gathered."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        #: (row key, the row's own record) per row: where the row landed in the graph
        self.rows: list[tuple[str, Record]] = []
        #: ingest household id → address key, for the households the batch's rows name
        self.addresses: dict[str, str] = {}


class _Writer:
    """One file's pass 2 (see the module docstring)."""

    def __init__(self, ctx: IngestContext, mapping: Mapping, key: str, report: Report, run: str,
                 progress: Callable[[int, int], None] | None, pass1_epoch: str | None) -> None:
        assert ctx.db is not None
        self.db: Database = ctx.db
        self.ctx, self.mapping, self.key, self.report, self.run, self.progress = ctx, mapping, key, report, run, progress
        self.pass1_epoch = pass1_epoch
        self.epoch = ""
        self.same_epoch = False
        #: a small file: its batches one after the other, each in one transaction (see the module docstring)
        self.sequential = report.rows_valid <= ctx.small_file_rows
        self.completed = False
        self.seen: dict[tuple[str, str], None] = {}
        self.written: dict[str, int] = {}
        self.matches: dict[str, tuple[str, str, bool, str]] = {}
        self.households: dict[str, str] = {}  # ingest household id → graph id, for the addresses of this run
        self.batch = _Batch()
        self.done_rows = 0
        self.batches = 0
        self.lanes = max(1, ctx.writers)
        self.pending: deque[_Pending] = deque()
        self.executor = ThreadPoolExecutor(max_workers=self.lanes, thread_name_prefix="ingest-writer")
        self.failed = threading.Event()
        self.create = threading.Event()  # records the side store never saw are created without a MERGE lookup ...
        self.create.set()
        # The side store notes what committed in one SQLite transaction per NOTE_ROWS records, not per batch: keys
        # arrive in random order (person pseudonyms), so each commit rewrites most of the pages it touches. Notes
        # not yet written when the process dies are only a missed hint (those records are merged again next time).
        self.notes: list[tuple[str, str, str]] = []
        #: ids of the involvements written (new or changed), once committed
        self.involvements: list[str] = []
        # the involvements are matched for signals as they are written, on the load's day (docs/signals.md)
        day = ctx.as_of or ctx.today or dutch_today()
        self.matching = (day, notice_rules().cutoff(day)) if MATCH_ON_LOAD else None

    def begin(self) -> None:
        self.epoch = ledger.start(self.db, self.key, self.mapping, self.report,
                                  self.ctx.as_of or self.ctx.today or dutch_today())
        self.same_epoch = self.epoch == self.pass1_epoch  # pass 1 marked unchanged records against its digests
        self.ctx.store.forget_other_epochs(self.epoch)
        if self.ctx.import_dir is not None:
            sweep_load_files(self.ctx.import_dir)  # left by a process killed mid-load

    def run_rows(self, spill: Spill, rejected: frozenset[int]) -> None:
        """Gather and write every accepted row of the spill (pass 1's records: the file is not read again)."""
        try:
            for row in spill.rows():
                if row.row_no not in rejected:
                    self._gather(row)
            if self.batch.rows or self.batches == 0:
                self._flush(last=True)
            self._settle()
            self._remember([], now=True)
        except BaseException:
            self.failed.set()  # batches still queued are not written: a re-run sends them
            try:
                self._remember([], now=True)  # what did commit, so a re-run need not merge it again
            except Exception:  # noqa: BLE001 - the load's own error is the one to report
                log.warning("ingest: could not note the committed batches in the side store", exc_info=True)
            raise
        finally:
            self.executor.shutdown(wait=True)  # never leave a write running behind an error

    def _gather(self, row: PreparedRow) -> None:
        b = self.batch
        b.rows.append((row.row_key, row.records[-1]))
        if row.household is not None:
            b.addresses[row.household[0]] = row.household[1]
        for r in row.records:
            if r.kind in DEDUPED_KINDS:
                k = (r.kind, r.key)  # the record key: the id
                if k in self.seen:
                    continue
                self.seen[k] = None
            b.records.append(r)
            if r.kind == "person" and row.match_key is not None:
                rec = decode_line(r.kind, r.data) if isinstance(r.data, str) else r.data
                self.matches[rec["id"]] = (row.match_key, rec["id"], bool(rec["has_bsn"]), self.mapping.source)
        self.done_rows += 1
        if len(b.rows) >= self.ctx.batch_size:
            self._flush()

    def _flush(self, last: bool = False) -> None:
        b, self.batch = self.batch, _Batch()
        self._resolve_addresses(b)
        targets = [(rk, t) for rk, r in b.rows if (t := f"{r.kind}:{r.key}") != rk]
        changed = [r for r in b.records if not (self.same_epoch and r.unchanged)]
        self.report.records_unchanged += len(b.records) - len(changed)
        self.batches += 1
        shared = [r for r in changed if r.kind in DEDUPED_KINDS]
        if shared:  # first the nodes other batches may refer to, committed before the batch's own records go
            if self.failed.is_set():
                self._settle()  # raises the failed batch's error: nothing more is written
            self._count(write_batch(self.db, [(r.kind, r.data) for r in shared], shaped=True,
                                    import_dir=self.ctx.import_dir))
            self._remember(shared)
            changed = [r for r in changed if r.kind not in DEDUPED_KINDS]
        if self.sequential:
            self._write_alone(changed, targets, last)
            return
        self.pending.append((self.executor.submit(self._write, changed, self.batches), changed, targets, self.done_rows))
        # ``lanes`` batches being written while the next one is gathered; but the first one alone, so a freshly
        # started server plans the statements once, not once per writer
        self._settle(keep=self.lanes if self.batches > 1 else 0)

    def _write_alone(self, changed: list[Record], targets: list[tuple[str, str]], last: bool) -> None:
        """A small file's batch (after its persons and households): its own records, its ledger count and, for
        the last one, the ledger's completion, in one transaction, in this thread (every batch before it has
        committed)."""
        also = [batch_statement(self.key, self.batches)]
        if last:
            self._add_review_items()  # before the import counts as complete: it is never read again after
            also.append(complete_statement(self.key, self.report))
        self._count(self._write(changed, self.batches, also))
        self.completed = last
        self._remember(changed)
        if targets:
            self.ctx.store.set_targets(self.mapping.name, self.run, targets)
        if self.progress is not None:
            self.progress(self.done_rows, self.report.rows_valid)

    def _write(self, changed: list[Record], n: int, also: list[Statement] | None = None) -> LoadStats | None:
        """A batch's records and its ledger statements (default: its count) in one transaction (in a writer
        thread, or in this one for a small file)."""
        if self.failed.is_set():
            return None
        records = [(r.kind, r.data) for r in changed]
        also = also or [batch_statement(self.key, n)]
        try:  # with nothing changed, only the ledger count (bookkeeping: the data token stays)
            if self.create.is_set():
                try:
                    return write_batch(self.db, records, also, shaped=True, new=[r.new for r in changed],
                                       import_dir=self.ctx.import_dir, matching=self.matching)
                except ConstraintViolated:
                    # ... until one exists after all (a re-run after a crash, an id another file wrote): the
                    # batch rolled back; it and the rest of the run are merged
                    log.info("ingest: a record thought new exists; merging from batch %d on", n)
                    self.create.clear()
            return write_batch(self.db, records, also, shaped=True, matching=self.matching)
        except BaseException:
            self.failed.set()
            raise

    def _remember(self, records: list[Record], *, now: bool = False) -> None:  # once they committed
        self.notes.extend((r.kind, r.key, r.digest) for r in records)
        self.involvements.extend(r.key for r in records if r.kind == "involvement")
        if self.notes and (now or len(self.notes) >= NOTE_ROWS):
            self.ctx.store.remember(self.epoch, self.mapping.source, self.notes)
            self.notes.clear()

    def _count(self, stats: LoadStats | None) -> None:
        for k, n in (stats.rows.items() if stats is not None else ()):
            self.written[k] = self.written.get(k, 0) + n
        for c in stats.conflicts if stats is not None else ():
            self.report.notes.append(conflict_note(c))

    def _settle(self, keep: int = 0) -> None:
        """Wait until at most ``keep`` batches are queued (and let an error, if any, stop the load); remember
        the batches that committed."""
        while len(self.pending) > keep:
            future, changed, targets, rows_done = self.pending.popleft()
            self._count(future.result())
            if changed:
                self._remember(changed)
            if targets:
                self.ctx.store.set_targets(self.mapping.name, self.run, targets)
            if self.progress is not None:
                self.progress(rows_done, self.report.rows_valid)

    def _resolve_addresses(self, b: _Batch) -> None:
        """Households found in the graph at a row's address keep their id there: their records change key and
        digest (and whether they are unchanged)."""
        todo = {a: hid for hid, a in b.addresses.items() if hid not in self.households}
        if todo:
            found = household_ids(self.db, todo)
            for a, hid in todo.items():
                self.households[hid] = found.get(a, hid)
        moved = {h: g for h, g in self.households.items() if h != g}
        if not moved:
            return
        redo: list[tuple[Record, dict[str, Any]]] = []
        for r in b.records:
            if r.kind == "person":  # refers to no household
                continue
            # a load-file line (see ingest.prepare): as a record again
            rec = r.data = decode_line(r.kind, r.data) if isinstance(r.data, str) else r.data
            before = rec.copy()
            translate([(r.kind, rec)], moved, {})
            if rec != before:
                key = record_key(r.kind, rec)
                r.key, r.digest, r.unchanged, r.new = key, record_digest(rec), False, r.new and key == r.key
                redo.append((r, rec))
        if redo and self.same_epoch:
            data = [(r.kind, rec) for r, rec in redo]
            still = {id(d) for _, d, _, _ in self.ctx.store.changed(self.epoch, self.mapping.source, data)}
            for r, rec in redo:
                r.unchanged = id(rec) not in still

    def _add_review_items(self) -> None:
        if self.matches:
            self.report.review_added = self.ctx.store.add_match_keys(self.matches.values())

    def complete(self) -> None:
        # a professional a row names is sent to be there (made when new): the ones made are a note of their own
        # ("professionals created"); counted here, 7 read as 7 new staff where none was (a walk of 06-12-2026)
        self.report.records_written = {k: n for k, n in self.written.items() if k != "professional_stub"}
        if self.completed:  # in the last batch's transaction
            return
        self._add_review_items()
        name, cypher, params, data = complete_statement(self.key, self.report)
        self.db.execute(name, cypher, params, write=True, data=data)


def load(ctx: IngestContext, mapping: Mapping, spill: Spill, rejected: frozenset[int], key: str, report: Report,
         progress: Callable[[int, int], None] | None, run: str, pass1_epoch: str | None,
         involvements: list[str] | None = None) -> str:
    """Pass 2 of one file (see the module docstring); return the ledger epoch it loaded into. The ids of the
    involvements it wrote (new or changed) are added to ``involvements``, if given (for the load's matching)."""
    w = _Writer(ctx, mapping, key, report, run, progress, pass1_epoch)
    w.begin()
    w.run_rows(spill, rejected)
    w.complete()
    if involvements is not None:
        involvements.extend(w.involvements)
    return w.epoch
