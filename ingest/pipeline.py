"""One source file → the graph, as a staged pipeline; :func:`ingest_file` runs the stages in this order.

=========  ===========================  =============================================================
stage      module                       what it does
=========  ===========================  =============================================================
source     :mod:`ingest.source`         checksum, size, encoding, header (the rows: :mod:`ingest.readers`)
mapping    :mod:`ingest.mapping`        the mapping file: columns → typed fields, converters
checks     :mod:`ingest.checks`         pass 1: every problem of every row, across rows in file order
records    :mod:`ingest.prepare`        per row: cell checks (:mod:`ingest.validate`), pseudonyms, canonical
                                        records (:mod:`ingest.resolve`), keys, digests — in workers for a
                                        large file — as named rows (:mod:`ingest.rows`) kept in a spill
writer     :mod:`ingest.writer`         pass 2: the records in recorded batches (:mod:`ingest.loader`)
ledger     :mod:`ingest.ledger`         the import ledger and epoch in the graph, vanished rows, ``on_missing``
report     :mod:`ingest.report`         the report and rejects files (the report: :class:`ingest.validate.Report`)
state      :mod:`ingest.state`          the side store: change digests, row keys, review list
=========  ===========================  =============================================================

Pass 1 reads the *whole* file and collects every problem before anything is written. The mapping's policy then
decides: ``reject_file`` writes nothing when any row is bad; ``load_valid_and_write_rejects`` loads the good rows
and writes the problems to a rejects CSV. File-level problems (encoding, delimiter, missing column, limits)
always stop the file. Pass 2 loads the records pass 1 kept, so the file is read, checked and pseudonymised once.

* **Import ledger** — ``(:Import {file_hash: '<sha256>:<mapping>'})`` records rows read/loaded/rejected and
  whether the file completed. A completed file is "already imported (same hash)".
* **Change digests** — each canonical record's digest is remembered (in ``<state>/ingest.sqlite``) once its
  batch has committed. Only records that are new or changed are sent, so a re-run after a crash completes the
  missing batches, an unchanged row costs nothing, and a changed file updates exactly the changed records.
* **Vanished rows** — rows of the previous completed import of the same mapping that the new file no longer has
  are counted and listed (masked); with ``on_missing: end`` what they registered gets ``until`` = ``as_of``.
  Nothing is ever deleted.

Reconciliation: rows read = rows loaded + rows rejected, always reported.

**Who loads** — :func:`ingest_file` takes the actor and the audit log and runs inside the audited write entry
(:mod:`ingest.entry`): the role is checked and one audit record written before the file is read past its
checksum (nothing at all happens when the audit log cannot be written), one more with the outcome after it.
"""

from __future__ import annotations

import gc
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from graph import server
from graph.clock import today as dutch_today
from graph.db import Database
from graph.said import message_of, said, said_count
from graph.settings import Settings, load_settings
from ingest import ledger, writer
from ingest.checks import Pass1, validate
from ingest.entry import audited_write, writes
from ingest.kept_mappings import known_mappings
from ingest.ledger import ledger_epoch
from ingest.mapping import Mapping
from ingest.matching import match_import
from ingest.pseudonym import Pseudonymiser
from ingest.readers import CLI_LIMITS, FileProblem, Limits
from ingest.report import write_reports
from ingest.rows import Spill
from ingest.source import Source, file_sha256, hash_file, open_source, reject_file
from ingest.state import StateStore
from ingest.validate import Report, mask_digits
from queries.access import Actor, check_write
from queries.audit import AuditLog

__all__ = ["IngestContext", "file_sha256", "ingest_file", "ledger_epoch"]

log = logging.getLogger("wijknet.ingest")


@dataclass
class IngestContext:
    """What a run needs besides the file: the database, the pseudonym key, the side store, limits."""

    db: Database | None
    pseudo: Pseudonymiser
    store: StateStore
    limits: Limits = CLI_LIMITS
    today: date | None = None
    batch_size: int = 2000
    #: processes that prepare the rows in pass 1 (None: by file size and cores; 1: in this process)
    workers: int | None = None
    #: the date the export describes: ``on_missing: end`` ends vanished rows on it (default: today)
    as_of: date | None = None
    #: transactions that write batches' own records side by side in pass 2 (1: one after the other)
    writers: int = 2
    #: a file of at most this many valid rows is written batch after batch, one transaction each, without writer
    #: threads (its fixed costs are what it is slow at; 0: every file side by side as above)
    small_file_rows: int = writer.SMALL_FILE_ROWS
    #: the import directory of the server ``db`` runs on, when it is this machine's managed server: new records
    #: are then loaded from files there (see ingest.loader.write_batch); None sends every record as parameters
    import_dir: Path | None = None
    #: let ``on_missing: end`` end more than half of the previous import's rows (else such a file is refused:
    #: an export that lost most of its rows is more often a failed or partial export than that many ends)
    end_most: bool = False
    #: where the steward's kept mappings are (``<state dir>/mappings``): a file that lacks the chosen mapping's
    #: columns is told which of those and the shipped ones it fits
    kept_mappings: Path | None = None

    @classmethod
    def from_settings(cls, db: Database | None, settings: Settings | None = None, **kw: Any) -> IngestContext:
        s = settings or load_settings()
        if "import_dir" not in kw and s.managed and (where := server.import_dir(s)).is_dir():
            kw["import_dir"] = where
        kw.setdefault("kept_mappings", s.state_dir / "mappings")
        return cls(db=db, pseudo=Pseudonymiser.from_file(s.secret_file),
                   store=StateStore(s.state_dir / "ingest.sqlite"), **kw)


class _FewerCollections:
    """Run the cycle collector less often while files are ingested (process-wide, so counted per caller).

    A large file makes millions of short-lived objects that reference counting frees, while the checks across
    rows keep growing tables: at the default threshold the collector walks those tables again and again, about
    a third of the main process's time in pass 1. It still runs, only every 100,000 allocations instead of 700.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = gc.get_threshold()

    def __enter__(self) -> None:
        with self._lock:
            if self._users == 0:
                self._saved = gc.get_threshold()
                gc.set_threshold(100_000, 50, 100)
            self._users += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                gc.set_threshold(*self._saved)


_fewer_collections = _FewerCollections()


@writes("ingest_load", "ingest_validate")
def ingest_file(ctx: IngestContext, audit: AuditLog, actor: Actor, mapping: Mapping, path: Path, *,
                dry_run: bool = False, report_dir: Path | None = None,
                progress: Callable[[int, int], None] | None = None) -> Report:
    """Validate ``path`` with ``mapping`` and (unless ``dry_run``) load it, as ``actor``; return the report.

    Goes through the audited write entry (:func:`ingest.entry.audited_write`): a load is audited as
    ``ingest_load``, a dry run (or a run without a database) as ``ingest_validate``; the role is checked and the
    record written before the file is read past its hash, and a second record tells the outcome (rows read,
    loaded, rejected). ``progress(rows_done, rows_total)`` is called during the load pass.
    """
    path = Path(path)
    action = "ingest_validate" if dry_run or ctx.db is None else "ingest_load"
    shown = mask_digits(path.name)
    check_write(audit, actor, action, target=shown)  # a refusal is audited; nothing is read
    report = Report(file=path.name, mapping=mapping.name)
    hash_file(path, ctx.limits, report)
    with audited_write(audit, actor, action, target=report.file_hash[:16] or shown,
                       detail=f"file={shown} mapping={mapping.name}") as outcome:
        if report.status != "rejected":
            report = _Run(ctx, mapping, path, report, dry_run, report_dir, progress).run()
        outcome.done(report.status, f"rows={report.rows_read} loaded={report.rows_loaded} "
                     f"rejected={report.rows_rejected} vanished={report.rows_vanished} ended={report.rows_ended}")
    return report


class _Run:
    """One file through the stages (see the module docstring)."""

    def __init__(self, ctx: IngestContext, mapping: Mapping, path: Path, report: Report, dry_run: bool,
                 report_dir: Path | None, progress: Callable[[int, int], None] | None) -> None:
        self.ctx, self.mapping, self.path, self.report = ctx, mapping, path, report
        self.dry_run, self.report_dir, self.progress = dry_run, report_dir, progress
        # the mapping's digest: the same file read with a corrected mapping is another import, not "already
        # imported" (an outside test: a code added to the mapping's list never reached the rows it had rejected)
        self.key = f"{report.file_hash}:{mapping.name}:{mapping.digest}"
        self.run_id = uuid.uuid4().hex
        self.loading = not dry_run and ctx.db is not None
        self.ledger = ledger.LedgerStatus(None, None)

    def run(self) -> Report:
        if self.ctx.db is not None:  # one round trip: the ledger epoch and "already imported?"
            self.ledger = ledger.status(self.ctx.db, self.key)
            # a dry run says what loading would do: nothing (the load page then offers no button to load it again)
            done = self.ledger.completed
            if self.report.file_hash and done is not None:
                if not int(done["rows_rejected"] or 0):
                    return self._already_imported(done)
                # rows it rejected may load now (the professional, the area or the code they lacked was added
                # since): the whole file is checked and loaded again; the rows it loaded then are unchanged
                self.report.notes.append(said_count(
                    "said.ingest.again_after_rejections", int(done["rows_rejected"]),
                    "imported before with {n} row rejected: checked again, and loaded if it is valid now",
                    "imported before with {n} rows rejected: checked again, and loaded where they are valid now"))
        source = open_source(self.path, self.mapping, self.ctx.limits, self.report,
                             candidates=lambda: known_mappings(self.ctx.kept_mappings))
        if source is None:
            return self.report
        spill = Spill() if self.loading else None
        try:
            with _fewer_collections:
                return self._validate_and_load(source, spill)
        finally:
            if spill is not None:
                spill.close()

    def _already_imported(self, done: dict[str, Any]) -> Report:
        r = self.report
        r.status = "already_imported"
        r.rows_read = int(done["rows_read"] or 0)
        r.rows_loaded = int(done["rows_loaded"] or 0)
        r.rows_rejected = int(done["rows_rejected"] or 0)
        r.rows_valid = r.rows_loaded
        return r

    def _validate_and_load(self, source: Source, spill: Spill | None) -> Report:
        ctx, mapping, report = self.ctx, self.mapping, self.report
        try:
            pass1 = validate(ctx, mapping, source.table, source.index, report, self.run_id, spill, self.ledger.epoch)
        except FileProblem as exc:
            ctx.store.drop_run(mapping.name, self.run_id)
            reject_file(report, message_of(exc))
            report.rows_rejected = report.rows_read
            return report
        report.on_missing = mapping.on_missing
        if report.rows_read == 0:  # a header alone: nothing to load, and nothing may count as missing because of it
            return self._refused(said("said.file.no_rows", "{name} has no rows below its header: nothing to load. "
                                      "An export without rows is usually a failed or wrong export; nothing of the "
                                      "previous import was reported or ended as missing.", name=self.path.name))
        gone = ledger.vanished(self.ledger.epoch, ctx.store, mapping, self.run_id, report)
        report.rows_rejected = len(pass1.rejected)
        report.rows_valid = report.rows_read - len(pass1.rejected) - report.rows_skipped
        log.info("validated %s with %s: %d rows, %d rejected", self.path.name, mapping.name, report.rows_read,
                 len(pass1.rejected))
        if pass1.rejected and mapping.policy == "reject_file":
            report.status = "rejected"
            report.rejected_by_reason["rejected_with_file (row was valid)"] += report.rows_valid
            report.rows_rejected = report.rows_read
            report.rows_valid = 0
            return self._without_load()
        if mapping.on_missing == "end" and not pass1.unkeyed and not ctx.end_most and \
                ledger.ends_too_many(len(gone), previous := ledger.previous_rows(self.ledger.epoch, ctx.store, mapping)):
            return self._refused(said("said.ingest.end_most", "{name} lacks {gone} of the {previous} rows of the "
                                      "previous import with {mapping}, and on_missing: end would end them all. That "
                                      "is more than half: more often a failed, partial or wrong export than so many "
                                      "real ends, so nothing was loaded or ended. If they did end, load the file "
                                      "again saying so (--end-most; on the Load data page, the box under the export "
                                      "date).", name=self.path.name, gone=len(gone), previous=previous,
                                      mapping=mapping.name))
        if not self.loading:
            report.status = "validated"
            if report.rows_valid:
                report.notes.append(said_count("said.ingest.dry_run", report.rows_valid, "dry run: {n} row would be "
                                               "loaded, nothing was written", "dry run: {n} rows would be loaded, "
                                               "nothing was written"))
            return self._without_load()
        assert spill is not None
        return self._load(spill, pass1, gone)

    def _refused(self, why: str) -> Report:
        """The whole file refused after its rows were read: nothing is written, its rows count as rejected."""
        reject_file(self.report, why)
        self.report.rows_rejected = self.report.rows_read
        self.report.rows_valid = 0
        return self._without_load()

    def _without_load(self) -> Report:
        self.ctx.store.drop_run(self.mapping.name, self.run_id)
        write_reports(self.report, self.report_dir, self.path)
        return self.report

    def _load(self, spill: Spill, pass1: Pass1, gone: list[tuple[str, str]]) -> Report:
        ctx, mapping, report = self.ctx, self.mapping, self.report
        db = ctx.db
        assert db is not None
        written: list[str] = []  # the involvements this load wrote: its matching pass matches these only
        epoch = writer.load(ctx, mapping, spill, pass1.rejected, self.key, report, self.progress, self.run_id,
                            pass1.epoch, written)
        report.status = "loaded"
        report.rows_loaded = report.rows_valid
        if gone and mapping.on_missing == "end":
            if pass1.unkeyed:
                report.notes.append(ledger.not_ended_note(report.rows_vanished, pass1.unkeyed))
            else:
                report.rows_ended = ledger.end_vanished(db, ctx.store, mapping, gone,
                                                        ctx.as_of or ctx.today or dutch_today())
        ctx.store.complete_run(mapping.name, self.run_id, epoch, report.file)
        ledger.record_vanished(db, self.key, report)
        # signals: one matching pass over the involvements this load wrote
        report.notes.extend(match_import(db, self.key, ctx.as_of or ctx.today, written).notes)
        write_reports(report, self.report_dir, self.path)
        log.info("loaded %s: %d rows, records %s", self.path.name, report.rows_loaded, report.records_written)
        return report
