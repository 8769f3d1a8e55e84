"""One source file → the graph: read → map → validate → pseudonymise → resolve → load.

Pass 1 reads the *whole* file and collects every problem (cells, duplicate keys with conflicting values, a
person with two birth dates, references to organisations/professionals/areas/involvements that do not exist)
before anything is written. The mapping's policy then decides: ``reject_file`` writes nothing when any row is
bad; ``load_valid_and_write_rejects`` loads the good rows and writes the problems to a rejects CSV. File-level
problems (encoding, delimiter, missing column, limits) always stop the file.

Pass 1 also turns every accepted row into its canonical records, shaped for loading, with their keys and
digests (:mod:`ingest.prepare`, in worker processes for a large file), and keeps them in an anonymous temporary
file (:class:`_Spill`), so the file is read, checked and pseudonymised only once. Pass 2 takes the records of the
rows that stayed good from there and writes them with :func:`ingest.loader.write_batch` in recorded batches (two
transactions each: the persons and households the batch is first to mention, then its own records and its ledger
count, with up to ``IngestContext.writers`` batches' own records written side by side):

* **Import ledger** — ``(:Import {file_hash: '<sha256>:<mapping>'})`` records rows read/loaded/rejected and
  whether the file completed. A completed file is "already imported (same hash)".
* **Change digests** — each canonical record's digest is remembered (in ``<state>/ingest.sqlite``) once its
  batch has committed. Only records that are new or changed are sent, so a re-run after a crash completes the
  missing batches, an unchanged row costs nothing, and a changed file updates exactly the changed records
  (an involvement that got an end date is one update). The digests belong to a *ledger epoch* stored in the
  graph; an emptied database gets a new epoch, so nothing is skipped against a graph that lost it.

Pass 2 also resolves ids against the graph: a household already in the graph at the row's address keeps its
id, and a person merged away by an accepted review item resolves to the survivor (:func:`ingest.resolve.translate`).

**Vanished rows** — the key of every row (its own record, e.g. the involvement id or the membership
household|person) is remembered per mapping. Rows of the previous completed import of the same mapping that the
new file no longer has are counted and listed (masked) in the report; with ``on_missing: end`` in the mapping the
involvement or membership they registered gets ``until`` = the run's ``as_of`` (the export date; default today).
Nothing is ever deleted.

Reconciliation: rows read = rows loaded + rows rejected, always reported. Unknown columns are never read past
the header; their names are reported.

**Who loads** — :func:`ingest_file` takes the actor and the audit log and runs inside the audited write entry
(:mod:`ingest.entry`): the role is checked and one audit record written before the file is read past its
checksum (nothing at all happens when the audit log cannot be written), one more with the outcome after it.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import pickle
import tempfile
import threading
import uuid
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from graph import server
from graph.db import Database
from graph.errors import ConstraintViolated
from graph.settings import Settings, load_settings
from ingest.entry import audited_write, writes
from ingest.loader import LoadStats, decode_line, sweep_load_files, write_batch
from ingest.mapping import Mapping
from ingest.matching import match_import
from ingest.prepare import Job, Spilled, prepare, worker_count
from ingest.pseudonym import Pseudonymiser
from ingest.readers import CLI_LIMITS, FileProblem, Limits, open_table
from ingest.resolve import (
    StateStore,
    existing_ids,
    household_ids,
    lookup_tables,
    record_digest,
    record_key,
    translate,
)
from ingest.validate import (
    MAX_VANISHED_KEYS,
    Problem,
    Report,
    column_index,
    mask_digits,
    shown_key,
    shown_person,
)
from queries.access import Actor, check_write
from queries.audit import AuditLog

__all__ = ["IngestContext", "file_sha256", "ingest_file", "ledger_epoch"]

log = logging.getLogger("wijknet.ingest")
_DEDUPED_KINDS = ("person", "household", "professional_stub")

#: records (pass 2) and row keys (pass 1) noted in the side store per SQLite transaction (see _load)
NOTE_ROWS = 25_000

class _Spill:
    """Pass 1's work kept for pass 2, so the file is read, checked and pseudonymised once.

    An anonymous temporary file (deleted by the system when closed, also after a crash; only this process can
    open it) holds pickled chunks of :data:`ingest.prepare.Spilled` rows, as the workers pickled them: memory
    stays flat whatever the file's size. It holds what the graph will hold (pseudonymised records), never a
    clear BSN.
    """

    def __init__(self) -> None:
        self._fh = tempfile.TemporaryFile(prefix="wijknet-ingest-")

    def add_blob(self, blob: bytes) -> None:
        """Append one pickled chunk (a list of rows)."""
        if blob:
            self._fh.write(blob)

    def rows(self) -> Iterator[Spilled]:
        self._fh.seek(0)
        while True:
            try:
                chunk: list[Spilled] = pickle.load(self._fh)  # noqa: S301 - our own file, written above
            except EOFError:
                return
            yield from chunk

    def close(self) -> None:
        self._fh.close()


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
    #: the import directory of the server ``db`` runs on, when it is this machine's managed server: new records
    #: are then loaded from files there (see ingest.loader.write_batch); None sends every record as parameters
    import_dir: Path | None = None

    @classmethod
    def from_settings(cls, db: Database | None, settings: Settings | None = None, **kw: Any) -> IngestContext:
        s = settings or load_settings()
        if "import_dir" not in kw and s.managed and (where := server.import_dir(s)).is_dir():
            kw["import_dir"] = where
        return cls(db=db, pseudo=Pseudonymiser.from_file(s.secret_file),
                   store=StateStore(s.state_dir / "ingest.sqlite"), **kw)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def ledger_epoch(db: Database) -> str:
    """The epoch of the import ledger in this database (created on first use)."""
    row = db.execute("ingest_epoch", "MERGE (e:Import {file_hash: 'wijknet:epoch'}) "
                     "ON CREATE SET e.epoch = $new, e.kind = 'epoch' RETURN e.epoch AS epoch",
                     {"new": uuid.uuid4().hex}, write=True, data=False).first()
    assert row is not None
    return str(row["epoch"])


def _current_epoch(db: Database) -> str | None:
    """The ledger epoch without creating one (a dry run writes nothing)."""
    row = db.execute("ingest_epoch_read", "MATCH (e:Import {file_hash: 'wijknet:epoch'}) RETURN e.epoch AS epoch"
                     ).first()
    return None if row is None else str(row["epoch"])


def _ledger_done(db: Database, key: str) -> dict[str, Any] | None:
    row = db.execute("ingest_ledger_lookup", "MATCH (i:Import {file_hash: $key}) WHERE i.completed "
                     "RETURN i.rows_read AS rows_read, i.rows_loaded AS rows_loaded, "
                     "i.rows_rejected AS rows_rejected", {"key": key}).first()
    return row


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
    try:
        if path.is_file() and path.stat().st_size > ctx.limits.max_bytes:
            open_table(path, limits=ctx.limits)  # raises the size sentence before anything is parsed
        report.file_hash = file_sha256(path) if path.is_file() else ""
    except FileProblem as exc:
        report.file_problems.append(str(exc))
        report.status = "rejected"
    with audited_write(audit, actor, action, target=report.file_hash[:16] or shown,
                       detail=f"file={shown} mapping={mapping.name}") as outcome:
        if report.status != "rejected":
            report = _ingest(ctx, mapping, path, report, dry_run, report_dir, progress)
        outcome.done(report.status, f"rows={report.rows_read} loaded={report.rows_loaded} "
                     f"rejected={report.rows_rejected} vanished={report.rows_vanished} ended={report.rows_ended}")
    return report


def _ingest(ctx: IngestContext, mapping: Mapping, path: Path, report: Report, dry_run: bool,
            report_dir: Path | None, progress: Callable[[int, int], None] | None) -> Report:
    key = f"{report.file_hash}:{mapping.name}"
    try:
        if not dry_run and ctx.db is not None and report.file_hash:
            done = _ledger_done(ctx.db, key)
            if done is not None:
                report.status = "already_imported"
                report.rows_read = int(done["rows_read"] or 0)
                report.rows_loaded = int(done["rows_loaded"] or 0)
                report.rows_rejected = int(done["rows_rejected"] or 0)
                report.rows_valid = report.rows_loaded
                return report
        table = open_table(path, fmt=mapping.fmt, encoding=mapping.encoding, delimiter=mapping.delimiter,
                           sheet=mapping.sheet, limits=ctx.limits)
    except FileProblem as exc:
        report.file_problems.append(str(exc))
        report.status = "rejected"
        return report
    report.notes.extend(table.notes)
    index = column_index(table.header)
    report.unknown_columns = [mask_digits(h) if h else "(empty header)" for h in table.header
                              if h.casefold() not in mapping.columns]
    missing = [c for c in mapping.required_columns() if c.casefold() not in index]
    if missing:
        hint = f" (the header was split with {table.delimiter!r}: is that the right delimiter?)" \
            if table.delimiter else ""
        report.file_problems.append(f"Required column(s) missing: {', '.join(missing)}{hint}.")
        report.status = "rejected"
        return report

    run = uuid.uuid4().hex
    spill = _Spill() if not dry_run and ctx.db is not None else None
    try:
        with _fewer_collections:
            return _validate_and_load(ctx, mapping, path, table, index, report, run, key, spill, dry_run,
                                      report_dir, progress)
    finally:
        if spill is not None:
            spill.close()


def _validate_and_load(ctx: IngestContext, mapping: Mapping, path: Path, table: Any, index: dict[str, int],
                       report: Report, run: str, key: str, spill: _Spill | None, dry_run: bool,
                       report_dir: Path | None, progress: Callable[[int, int], None] | None) -> Report:
    try:
        rejected, unkeyed, pass1_epoch = _validate(ctx, mapping, table, index, report, run, spill)
    except FileProblem as exc:
        ctx.store.drop_run(mapping.name, run)
        report.file_problems.append(str(exc))
        report.status = "rejected"
        report.rows_rejected = report.rows_read
        return report
    report.on_missing = mapping.on_missing
    vanished = _vanished(ctx, mapping, run, report)
    report.rows_rejected = len(rejected)
    report.rows_valid = report.rows_read - len(rejected)
    log.info("validated %s with %s: %d rows, %d rejected", path.name, mapping.name, report.rows_read,
             len(rejected))

    if rejected and mapping.policy == "reject_file":
        report.status = "rejected"
        report.rejected_by_reason["rejected_with_file (row was valid)"] += report.rows_valid
        report.rows_rejected = report.rows_read
        report.rows_valid = 0
        ctx.store.drop_run(mapping.name, run)
        _write_reports(report, report_dir, path)
        return report
    if dry_run or ctx.db is None:
        report.status = "validated"
        ctx.store.drop_run(mapping.name, run)
        if report.rows_valid:
            report.notes.append(f"dry run: {report.rows_valid:,} rows would be loaded, nothing was written")
        _write_reports(report, report_dir, path)
        return report

    assert spill is not None
    _load(ctx, mapping, spill, rejected, key, report, progress, run, pass1_epoch)
    report.status = "loaded"
    report.rows_loaded = report.rows_valid
    if vanished and mapping.on_missing == "end":
        if unkeyed:
            report.notes.append(f"{report.rows_vanished:,} missing rows were NOT ended: {unkeyed:,} rows of this "
                                "file could not be read far enough to know their key; fix them and import again")
        else:
            report.rows_ended = _end_vanished(ctx, mapping, vanished)
    assert ctx.db is not None
    ctx.store.complete_run(mapping.name, run, ledger_epoch(ctx.db), report.file)
    if report.rows_vanished or report.rows_ended:
        ctx.db.execute("ingest_ledger_vanished", "MATCH (i:Import {file_hash: $key}) "
                       "SET i.rows_vanished = $vanished, i.rows_ended = $ended",
                       {"key": key, "vanished": report.rows_vanished, "ended": report.rows_ended}, write=True, data=False)
    _write_reports(report, report_dir, path)
    log.info("loaded %s: %d rows, records %s", path.name, report.rows_loaded, report.records_written)
    return report


def _write_reports(report: Report, report_dir: Path | None, path: Path) -> None:
    if report_dir is None:
        return
    paths = report.write(report_dir, path.name)
    if report.problem_count and report.status == "loaded":
        rejects = report_dir / f"{path.name}.rejects.csv"
        rejects.write_text(report.to_csv(), encoding="utf-8")
        report.rejects_file = str(rejects)
        paths[0].write_text(report.to_text(max_lines=10_000), encoding="utf-8")


def _validate(ctx: IngestContext, mapping: Mapping, table: Any, index: dict[str, int], report: Report, run: str,
              spill: _Spill | None = None) -> tuple[set[int], int, str | None]:
    """Pass 1: every problem of every row; returns the row numbers to reject, how many rows had no key, and the
    ledger epoch whose digests marked records as unchanged (None: none were).

    The per-row work (checks, pseudonyms, records, digests) is :mod:`ingest.prepare`'s, in worker processes for
    a large file; the checks across rows are done here, in row order. The key of every row that could be
    resolved is staged under ``run`` (for the vanished-rows check), also when the row is rejected later for
    another reason: it is still *in* the file.
    """
    rejected: dict[int, str] = {}
    staged: list[str] = []
    unkeyed = 0
    keys: dict[bytes, tuple[bytes, int]] = {}
    persons: dict[str, tuple[bytes, int]] = {}
    refs: dict[tuple[str, str], tuple[str, array[int]]] = {}
    key_col = ", ".join(mapping.key)

    def reject(p: Problem) -> None:
        report.add(p)
        if p.row is not None and p.row not in rejected:
            rejected[p.row] = p.code

    epoch = _current_epoch(ctx.db) if ctx.db is not None and spill is not None else None
    job = Job(mapping=mapping, index=index, file=report.file, today=ctx.today or date.today(),
              pseudo=ctx.pseudo, aliases=ctx.store.person_aliases(),
              digests=(str(ctx.store.path), epoch, mapping.source) if epoch else None, spill=spill is not None,
              lines=ctx.import_dir is not None, lookups=lookup_tables(ctx.db, mapping))
    workers = worker_count(table.path, ctx.workers)
    for infos, blob in prepare(job, table.rows(), workers):
        if spill is not None:
            spill.add_blob(blob)
        for info in infos:
            if info[0] == "warn":  # about the next row, which it does not reject
                for p in info[2]:
                    report.add(p)
                continue
            report.rows_read += 1
            row_no = info[1]
            if info[0] == "bad":
                unkeyed += 1
                for p in info[2]:
                    reject(p)
                continue
            _, _, row_key, kd, vd, pid, ad, pcol, row_refs, key_cells, person_cell = info
            staged.append(row_key)
            if len(staged) >= NOTE_ROWS:
                ctx.store.stage_row_keys(mapping.name, run, staged)
                staged = []
            if kd is not None:
                seen = keys.get(kd)
                if seen is None:
                    keys[kd] = (vd, row_no)
                else:
                    kshown = shown_key(mapping, key_cells)
                    if seen[0] != vd:
                        msg = f"same key as row {seen[1]} with different values (conflict: neither row is loaded)"
                        # both rows have this key (the same digest): its text is the value of both problems
                        reject(Problem(report.file, row_no, key_col, kshown, msg, "conflicting_duplicate", kshown))
                        reject(Problem(report.file, seen[1], key_col, kshown, f"same key as row {row_no} with "
                                       "different values (conflict: neither row is loaded)", "conflicting_duplicate",
                                       kshown))
                    else:
                        reject(Problem(report.file, row_no, key_col, kshown, f"duplicate of row {seen[1]}",
                                       "duplicate_row", kshown))
                    continue
            if pid is not None:
                seen_p = persons.get(pid)
                if seen_p is None:
                    persons[pid] = (ad, row_no)
                elif seen_p[0] != ad:
                    col = pcol or ""
                    pshown = shown_person(mapping, col, person_cell)
                    msg = "the same person as row {} with a different name, birth date or gender (conflict)"
                    reject(Problem(report.file, row_no, col, pshown, msg.format(seen_p[1]), "conflicting_duplicate"))
                    reject(Problem(report.file, seen_p[1], col, pshown, msg.format(row_no), "conflicting_duplicate"))
                    continue
            for label, ref_id, fname in row_refs:
                entry = refs.get((label, ref_id))
                if entry is None:
                    entry = refs[(label, ref_id)] = (fname, array("I"))
                entry[1].append(row_no)

    if ctx.db is not None and refs:
        by_label: dict[str, list[str]] = {}
        for label, ref_id in refs:
            by_label.setdefault(label, []).append(ref_id)
        for label, ids in sorted(by_label.items()):
            found = existing_ids(ctx.db, label, ids)
            if label == "Professional" and mapping.create_professionals:
                _note_created(report, sorted(set(ids) - found))
                continue
            for ref_id in sorted(set(ids) - found):
                fname, rows = refs[(label, ref_id)]
                col = mapping.fields[fname].column or fname
                shown = "(address)" if label == "Household" and "|" in ref_id else mask_digits(ref_id)
                for r in rows:
                    reject(Problem(report.file, r, col, shown, f"{label.lower()} {'at this address' if shown == '(address)' else repr(shown)} "
                                   "does not exist in the database (load it first)", "unknown_reference"))
    elif refs:
        report.notes.append("references to existing nodes were not checked (no database)")
    ctx.store.stage_row_keys(mapping.name, run, staged)
    for code in rejected.values():
        report.rejected_by_reason[code] += 1
    _fill_keys(mapping, table, index, report)
    report.problems.sort(key=lambda p: (p.row or 0, p.column))
    return set(rejected), unkeyed, epoch


def _note_created(report: Report, codes: list[str]) -> None:
    """``create_professionals``: say which professionals the load creates (not in the graph before)."""
    if codes:
        shown = ", ".join(mask_digits(c) for c in codes[:50]) + (", …" if len(codes) > 50 else "")
        report.notes.append(f"professionals created (first seen in this export): {len(codes):,}: {shown}")


def _fill_keys(mapping: Mapping, table: Any, index: dict[str, int], report: Report) -> None:
    """Give the problems found across rows (unknown references, a person's conflicting rows) their row's key.

    Pass 1 keeps no key per row (it would cost memory and time for every row of a clean file): only when such
    problems were reported is the file read once more, for the key cells of just those rows.
    """
    need = {p.row for p in report.problems
            if not p.key and p.row is not None and p.code in ("unknown_reference", "conflicting_duplicate")}
    cols = [index.get(c.casefold()) for c in mapping.key]
    if not need or not any(i is not None for i in cols):
        return
    keys: dict[int, str] = {}
    last = max(need)
    for row_no, cells, _ in table.rows():
        if row_no in need and cells is not None:
            keys[row_no] = shown_key(mapping, tuple(cells[i] if i is not None and i < len(cells) else None
                                                    for i in cols))
        if row_no >= last:
            break
    report.problems = [replace(p, key=keys[p.row]) if not p.key and p.row in keys else p for p in report.problems]


def _row_key(recs: list[tuple[str, dict[str, Any]]]) -> str:
    """A row's key: the key of its own record, which :func:`records_for` yields last (the membership of a
    household-composition row, the involvement of an involvement row …)."""
    kind, rec = recs[-1]
    return f"{kind}:{record_key(kind, rec)}"


def _vanished(ctx: IngestContext, mapping: Mapping, run: str, report: Report) -> list[tuple[str, str]]:
    """Rows of the previous import of ``mapping`` (into this graph) that this file lacks: ``(row key, graph key)``."""
    if ctx.db is None:
        return []
    epoch = _current_epoch(ctx.db)
    previous = ctx.store.previous_run(mapping.name, epoch) if epoch else None
    if previous is None:
        return []
    gone = [(k, t or k) for k, t in ctx.store.vanished(mapping.name, previous, run)]
    report.rows_vanished = len(gone)
    report.vanished_keys = [mask_digits(k) for k, _ in gone[:MAX_VANISHED_KEYS]]
    return gone


_END_STATEMENTS = {
    # Only what is still open and had started by the as-of date is ended; an existing end date is never moved.
    "involvement": "UNWIND $keys AS k MATCH (i:Involvement {id: k[0]}) "
                   "WHERE i.until IS NULL AND (i.since IS NULL OR i.since <= $as_of) "
                   "SET i.until = $as_of, i.until_source = $why RETURN count(i) AS n",
    "membership": "UNWIND $keys AS k MATCH (h:Household {id: k[0]})-[m:HAS_MEMBER]->(p:Person {id: k[1]}) "
                  "WHERE m.until IS NULL AND (m.since IS NULL OR m.since <= $as_of) "
                  "SET m.until = $as_of, m.until_source = $why RETURN count(m) AS n",
    "caseload": "UNWIND $keys AS k MATCH (:Professional {id: k[0]})-[c:COACHES]->(:Household {id: k[1]}) "
                "WHERE c.until IS NULL AND (c.since IS NULL OR c.since <= $as_of) "
                "SET c.until = $as_of, c.until_source = $why RETURN count(c) AS n",
}


def _end_vanished(ctx: IngestContext, mapping: Mapping, vanished: list[tuple[str, str]]) -> int:
    """``on_missing: end``: end the involvements/memberships of vanished rows; return how many were ended."""
    db = ctx.db
    assert db is not None
    as_of = ctx.as_of or ctx.today or date.today()
    aliases = ctx.store.person_aliases()
    ended = 0
    by_kind: dict[str, list[list[str]]] = {}
    for _row, target in vanished:
        kind, _, key = target.partition(":")
        parts = key.split("|")
        if kind == "membership" and len(parts) == 2:
            parts[1] = aliases.get(parts[1], parts[1])
        by_kind.setdefault(kind, []).append(parts)
    for kind, keys in by_kind.items():
        cypher = _END_STATEMENTS.get(kind)
        if cypher is None:
            continue
        for i in range(0, len(keys), 5000):
            row = db.execute(f"ingest_end_{kind}", cypher, {"keys": keys[i:i + 5000], "as_of": as_of,
                                                            "why": f"missing from {mapping.name}"},
                             write=True).first()
            ended += int(row["n"]) if row else 0
        # the stored digests describe the open record: forget them, so a row that comes back is written again
        ctx.store.forget_digests(mapping.source, kind, ("|".join(k) for k in keys))
    log.info("ended %d of %d vanished rows of %s", ended, len(vanished), mapping.name)
    return ended


def _resolve_households(ctx: IngestContext, epoch: str, source: str, batch: list[list[Any]], moved: dict[str, str],
                        same_epoch: bool) -> None:
    """Give records of households found in the graph under another id that id; recompute their keys, digests
    and whether they are unchanged."""
    redo = []
    for e in batch:
        if e[0] == "person":  # refers to no household
            continue
        if isinstance(e[1], str):  # a load-file line (see ingest.prepare): as a record again
            e[1] = decode_line(e[0], e[1])
        before = e[1].copy()
        translate([(e[0], e[1])], moved, {})
        if e[1] != before:
            key = record_key(e[0], e[1])
            e[2], e[3], e[4], e[5] = key, record_digest(e[1]), False, e[5] and key == e[2]
            redo.append(e)
    if redo and same_epoch:
        still = {id(r) for _, r, _, _ in ctx.store.changed(epoch, source, [(e[0], e[1]) for e in redo])}
        for e in redo:
            e[4] = id(e[1]) not in still


def _load(ctx: IngestContext, mapping: Mapping, spill: _Spill, rejected: set[int], key: str, report: Report,
          progress: Callable[[int, int], None] | None, run: str, pass1_epoch: str | None) -> None:
    db = ctx.db
    assert db is not None
    epoch = ledger_epoch(db)
    same_epoch = epoch == pass1_epoch  # pass 1 marked unchanged records against this epoch's digests
    ctx.store.forget_other_epochs(epoch)
    if ctx.import_dir is not None:
        sweep_load_files(ctx.import_dir)  # left by a process killed mid-load
    now = datetime.now(UTC).isoformat(timespec="seconds")
    db.execute("ingest_ledger_begin",
               "MERGE (i:Import {file_hash: $key}) ON CREATE SET i.started_at = $now "
               "SET i.kind = 'file', i.mapping = $mapping, i.source = $source, i.file_name = $file, i.batches_done = 0, "
               "i.completed = false, i.rows_read = $read",
               {"key": key, "now": now, "mapping": mapping.name, "source": mapping.source, "file": report.file,
                "read": report.rows_read}, write=True, data=False)
    seen: dict[tuple[str, str], None] = {}
    batch: list[list[Any]] = []  # [kind, record, key, digest, unchanged, new] entries (see ingest.prepare)
    written: dict[str, int] = {}
    matches: dict[str, tuple[str, str, bool, str]] = {}
    done_rows = 0
    batch_rows = 0
    batches = 0
    households: dict[str, str] = {}  # ingest household id → graph id, for the addresses of this run
    addresses: dict[str, str] = {}   # ingest household id → address key, for the current batch
    rows: list[tuple[str, list[Any]]] = []  # (row key, the entry of the row's own record) of the batch

    # A batch is written in two transactions. First the persons and households it is the first to mention
    # (other batches' rows may refer to them), by this thread, which waits until they committed. Then its own
    # records (involvements, memberships, ...) and its ledger count, by one of ``ctx.writers`` writer threads,
    # side by side with the batches before it: their rows refer only to nodes that committed before they were
    # sent (persons and households through the first transaction, everything else checked in pass 1), so
    # batches in flight never wait for each other's records, and the server uses more than one core. While
    # they are written, this thread gathers the next batch (pass 1 did the per-row work: records, keys,
    # digests, which records are unchanged since the last load) and remembers committed batches in the side
    # store, in order. Once a batch failed, the writers skip those queued after it; a re-run sends what did
    # not commit (a batch that committed after a failed one is merged again, the constraint telling it apart).
    lanes = max(1, ctx.writers)
    writer = ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="ingest-writer")
    pending: deque[tuple[Future[LoadStats | None], list[list[Any]], list[tuple[str, str]], int]] = deque()
    failed = threading.Event()
    # Batches may commit out of order: the count only grows (a re-run counts again from 0).
    ledger_batch = ("MATCH (i:Import {file_hash: $key}) "
                    "SET i.batches_done = CASE WHEN i.batches_done >= $n THEN i.batches_done ELSE $n END")

    create = threading.Event()  # records the side store never saw are created without a MERGE lookup ...
    create.set()

    def write(changed: list[list[Any]], n: int) -> LoadStats | None:
        if failed.is_set():
            return None
        records = [(e[0], e[1]) for e in changed]
        also = [("ingest_ledger_batch", ledger_batch, {"key": key, "n": n}, False)]
        try:  # with nothing changed, only the ledger count (bookkeeping: the data token stays)
            if create.is_set():
                try:
                    return write_batch(db, records, also, shaped=True, new=[e[5] for e in changed],
                                       import_dir=ctx.import_dir)
                except ConstraintViolated:
                    # ... until one exists after all (a re-run after a crash, an id another file wrote): the
                    # batch rolled back; it and the rest of the run are merged
                    log.info("ingest: a record thought new exists; merging from batch %d on", n)
                    create.clear()
            return write_batch(db, records, also, shaped=True)
        except BaseException:
            failed.set()
            raise

    # The side store notes what committed in one SQLite transaction per NOTE_ROWS records, not per batch: keys
    # arrive in random order (person pseudonyms), so each commit rewrites most of the pages it touches. Notes
    # not yet written when the process dies are only a missed hint (those records are merged again next time).
    notes: list[tuple[str, str, str]] = []

    def remember(entries: list[list[Any]], *, now: bool = False) -> None:  # once they committed
        notes.extend((e[0], e[2], e[3]) for e in entries)
        if notes and (now or len(notes) >= NOTE_ROWS):
            ctx.store.remember(epoch, mapping.source, notes)
            notes.clear()

    def count(stats: LoadStats | None) -> None:
        for k, n in (stats.rows.items() if stats is not None else ()):
            written[k] = written.get(k, 0) + n

    def settle(keep: int = 0) -> None:
        """Wait until at most ``keep`` batches are queued (and let an error, if any, stop the load); remember
        the batches that committed."""
        while len(pending) > keep:
            future, changed, targets, rows_done = pending.popleft()
            count(future.result())
            if changed:
                remember(changed)
            if targets:
                ctx.store.set_targets(mapping.name, run, targets)
            if progress is not None:
                progress(rows_done, report.rows_valid)

    def flush() -> None:
        nonlocal batch, batch_rows, batches, rows
        todo = {a: hid for hid, a in addresses.items() if hid not in households}
        if todo:
            found = household_ids(db, todo)
            for a, hid in todo.items():
                households[hid] = found.get(a, hid)
        addresses.clear()
        moved = {h: g for h, g in households.items() if h != g}
        if moved:  # a household already in the graph under another id: its records change key and digest
            _resolve_households(ctx, epoch, mapping.source, batch, moved, same_epoch)
        targets = [(rk, t) for rk, e in rows if (t := f"{e[0]}:{e[2]}") != rk]
        changed = [e for e in batch if not (same_epoch and e[4])]
        report.records_unchanged += len(batch) - len(changed)
        batches += 1
        shared = [e for e in changed if e[0] in _DEDUPED_KINDS]
        if shared:  # first the nodes other batches may refer to, committed before the batch's own records go
            if failed.is_set():
                settle()  # raises the failed batch's error: nothing more is written
            count(write_batch(db, [(e[0], e[1]) for e in shared], shaped=True, import_dir=ctx.import_dir))
            remember(shared)
            changed = [e for e in changed if e[0] not in _DEDUPED_KINDS]
        pending.append((writer.submit(write, changed, batches), changed, targets, done_rows))
        # ``lanes`` batches being written while the next one is gathered; but the first one alone, so a freshly
        # started server plans the statements once, not once per writer
        settle(keep=lanes if batches > 1 else 0)
        batch, batch_rows, rows = [], 0, []

    try:
        for row_no, row_key, entries, hh, mk in spill.rows():  # pass 1's records: the file is not read again
            if row_no in rejected:
                continue
            rows.append((row_key, entries[-1]))
            if hh is not None:
                addresses[hh[0]] = hh[1]
            for e in entries:
                kind = e[0]
                if kind in _DEDUPED_KINDS:
                    k = (kind, e[2])  # the record key: the id
                    if k in seen:
                        continue
                    seen[k] = None
                batch.append(e)
                if kind == "person" and mk is not None:
                    rec = decode_line(kind, e[1]) if isinstance(e[1], str) else e[1]
                    matches[rec["id"]] = (mk, rec["id"], bool(rec["has_bsn"]), mapping.source)
            done_rows += 1
            batch_rows += 1
            if batch_rows >= ctx.batch_size:
                flush()
        if batch or batches == 0:
            flush()
        settle()
        remember([], now=True)
    except BaseException:
        failed.set()  # batches still queued are not written: a re-run sends them
        try:
            remember([], now=True)  # what did commit, so a re-run need not merge it again
        except Exception:  # noqa: BLE001 - the load's own error is the one to report
            log.warning("ingest: could not note the committed batches in the side store", exc_info=True)
        raise
    finally:
        writer.shutdown(wait=True)  # never leave a write running behind an error
    report.records_written = written
    if matches:
        report.review_added = ctx.store.add_match_keys(matches.values())
    db.execute("ingest_ledger_complete",
               "MATCH (i:Import {file_hash: $key}) SET i.completed = true, i.completed_at = $now, "
               "i.rows_loaded = $loaded, i.rows_rejected = $rejected",
               {"key": key, "now": datetime.now(UTC).isoformat(timespec="seconds"), "loaded": report.rows_valid,
                "rejected": report.rows_rejected}, write=True, data=False)
    report.notes.extend(match_import(db, key, ctx.as_of or ctx.today).notes)  # signals: this load's one matching pass
