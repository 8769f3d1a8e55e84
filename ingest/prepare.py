"""Pass 1's per-row work, in worker processes for large files: check → pseudonymise → records → digests.

Everything here depends on one row only (and on read-only state fixed for the run: the mapping, the pseudonym
key, accepted person merges, the digests of the last load), so chunks of rows can be prepared side by side in
worker processes while the main process reads the file and does the checks *across* rows (duplicate keys, one
person with two birth dates, references to existing nodes) in row order. A chunk comes back as

* small per-row facts (:class:`ingest.rows.RowFacts`, :class:`~ingest.rows.RowTrouble`) for those cross-row checks, and
* the accepted rows' records, already pickled (:class:`ingest.rows.PreparedRow`), which the main process appends to its spill
  file without looking inside: pass 2 loads from there.

Workers are *spawned* (not forked: the app and the loader run threads), get the run's :class:`Job` once, and
hold the pseudonym key only in memory. A file below :data:`PARALLEL_MIN_BYTES` is prepared in-process by the
same function, so both paths give identical results (``tests/integration/test_ingest_parallel.py``).
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

from graph.said import message_of, said
from ingest.loader import CREATE_KINDS, MERGE_FILE_KINDS, encode_line, shape
from ingest.mapping import CellProblem, FieldSpec, Mapping
from ingest.pseudonym import Pseudonymiser, normalise_bsn
from ingest.resolve import (
    household_ref,
    id_references,
    postcode_problem,
    records_for,
    references_for,
    resolve_lookups,
    translate,
)
from ingest.rows import PreparedRow, Record, RowFacts, RowTrouble, record_key
from ingest.state import known_digests
from ingest.validate import Problem, RowPlan, check_row, mask_digits, shown_key

__all__ = ["CHUNK_ROWS", "PARALLEL_MIN_BYTES", "Job", "RowInfo", "Spilled", "prepare", "worker_count"]

#: Rows per chunk handed to a worker.
CHUNK_ROWS = 2000
#: Files at least this large are prepared by worker processes (about 20,000 involvement rows); smaller ones
#: in-process, where starting the workers would cost more than it saves.
PARALLEL_MIN_BYTES = 2_000_000
_MAX_WORKERS = 4

#: One accepted row for pass 2 (the name this module used before the row became a named type).
Spilled = PreparedRow

#: Per-row facts for the main process: :class:`~ingest.rows.RowTrouble` for a row that could not be read far
#: enough to know its key (``bad``), for warnings about the next row, which they do not reject (``warn``), or
#: for a row about an erased person or household, skipped (``erased``), else :class:`~ingest.rows.RowFacts`.
RowInfo = RowFacts | RowTrouble


@dataclass(frozen=True)
class Job:
    """What preparing a row needs besides the row; sent once to every worker (it holds the pseudonym key)."""

    mapping: Mapping
    index: dict[str, int]
    file: str
    today: date
    pseudo: Pseudonymiser
    aliases: dict[str, str]
    #: where the digests of the last load are: (SQLite path, epoch, source), or None (dry run / no epoch yet)
    digests: tuple[str, str, str] | None
    spill: bool
    #: persons and new involvements travel as load-file lines (the server reads its import directory)
    lines: bool = False
    #: the graph's tables rows are resolved against (organisation names, postcodes): ingest.resolve.lookup_tables
    lookups: dict[str, dict[str, str]] = field(default_factory=dict)
    #: the erasure register (keyed digest → person/household, ingest.state.StateStore.erased): rows about them
    #: are skipped
    erased: dict[str, str] = field(default_factory=dict)


def worker_count(path: Path, requested: int | None) -> int:
    """How many processes prepare ``path``: ``requested`` if given, else by file size and cores (1 = in-process)."""
    if requested is not None:
        return max(1, requested)
    try:
        size = path.stat().st_size
    except OSError:
        return 1
    return min(_MAX_WORKERS, os.cpu_count() or 1) if size >= PARALLEL_MIN_BYTES else 1


def _digest(values: Any) -> bytes:
    return hashlib.blake2b(repr(values).encode(), digest_size=12).digest()


def _cells_of(cols: list[int | None]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """A function giving the cells at ``cols`` of a row as a tuple (None for a column the file lacks); the
    reader gives every row the header's width."""
    if len(cols) > 1 and None not in cols:
        return itemgetter(*cols)
    return lambda cells: tuple(cells[i] if i is not None else None for i in cols)


def _spelled_apart(name: str, spec: FieldSpec) -> bool:
    """Whether a field's value is written several ways for one thing (``_same`` makes them one)."""
    return spec.type == "bsn" or name in ("postcode", "suffix")


def _same(name: str, spec: FieldSpec, value: Any) -> Any:
    """A checked field value as the graph tells it apart: two rows whose key fields are the same by this are the
    same row however the file spelled them (``7554 GH`` and ``7554gh``, a BSN with dots), as resolution makes them
    one household or person."""
    if value is None or value == "":
        return None
    if spec.type == "bsn":
        return normalise_bsn(value)
    if name == "postcode" or name == "suffix":
        return "".join(str(value).split()).upper().lstrip("-")
    return value.strip() if isinstance(value, str) else value


class _Preparer:
    """The per-run state of one process: the job, its pseudonymiser and a read-only digest connection."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.pseudo = job.pseudo
        self.plan = RowPlan.of(job.mapping, job.index)
        m = job.mapping
        self.key_cols = [job.index.get(c.casefold()) for c in m.key]
        value_columns = sorted({f.column for f in m.fields.values() if f.column}, key=str.casefold)
        self.key_cells = _cells_of(self.key_cols)
        self.value_cells = _cells_of([job.index.get(c.casefold()) for c in value_columns])
        by_column = {spec.column.casefold(): (name, spec) for name, spec in m.fields.items() if spec.column}
        # Duplicates and conflicts: the cells as written, but those people write several ways for one thing
        # (postcode, suffix, BSN: 7554 GH and 7554gh) as the graph tells them apart. A key holding such a field is
        # compared by its checked values (per key column its field; None: a column no field reads, as written);
        # the value columns' positions of such fields.
        self.key_fields = [by_column.get(c.casefold()) for c in m.key]
        self.key_spelled = any(f is not None and _spelled_apart(*f) for f in self.key_fields)
        self.spelled_values = [(i, f) for i, c in enumerate(value_columns)
                               if (f := by_column.get(c.casefold())) and _spelled_apart(*f)]
        self.person_attrs = [f for f in ("birth_date", "gender", "name") if f in m.fields]
        self.postcode_col = (m.fields["postcode"].column or "") if "postcode" in m.fields else ""
        #: rows resolve names or postcodes against the graph's tables (not on the hot path of other mappings)
        self.lookups = any(f.match for f in m.fields.values()) or m.kind.name == "household_composition"
        self._con: sqlite3.Connection | None = None

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def _known(self, records: list[Record]) -> None:
        """Mark records whose digest equals the one stored at the last load as unchanged, and those with no
        stored digest at all as new (a hint: see ingest.loader.write_batch)."""
        if self.job.digests is None or not records:
            return
        path, epoch, source = self.job.digests
        if self._con is None:
            self._con = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        by_kind: dict[str, list[Record]] = {}
        for r in records:
            by_kind.setdefault(r.kind, []).append(r)
        for kind, group in by_kind.items():
            known = known_digests(self._con, epoch, source, kind, [r.key for r in group])
            for r in group:
                stored = known.get(r.key)
                r.unchanged, r.new = stored == r.digest, stored is None

    def chunk(self, rows: list[tuple[int, list[Any] | None, str]]) -> tuple[list[RowInfo], bytes]:
        """The facts of every row for the checks across rows, and the accepted rows pickled for the spill."""
        infos: list[RowInfo] = []
        prepared: list[PreparedRow] = []
        for row_no, cells, reason in rows:
            self._row(row_no, cells, reason, infos, prepared)
        if not self.job.spill:
            return infos, b""
        records = [r for p in prepared for r in p.records]
        self._known(records)
        if self.job.lines:  # one string per record: cheaper to pickle, to unpickle in pass 2, and to load
            for r in records:
                if (r.kind in MERGE_FILE_KINDS or (r.new and r.kind in CREATE_KINDS)) and \
                        (line := encode_line(r.kind, r.data)) is not None:  # type: ignore[arg-type]
                    r.data = line
        return infos, pickle.dumps([p.wire() for p in prepared], protocol=pickle.HIGHEST_PROTOCOL)

    def _row(self, row_no: int, cells: list[Any] | None, reason: str, infos: list[RowInfo],
             prepared: list[PreparedRow]) -> None:
        """Check one row, and for an accepted one: its facts, and (when spilled) its prepared records."""
        job, m = self.job, self.job.mapping
        if cells is None:
            # a value too long names its column in the reason: in the column's place too (it was empty there)
            # a row of the wrong width: as written (its start, a BSN in it masked), so the steward can find it
            params = getattr(reason, "params", {})
            column, written = str(params.get("column", "")), mask_digits(str(params.get("written", "")))
            infos.append(RowTrouble("bad", row_no, [Problem(job.file, row_no, column, written, reason,
                                                            "bad_row_shape")]))
            return
        partial: dict[str, Any] = {}
        values, problems = check_row(m, job.index, job.file, row_no, cells, job.today, self.plan, partial=partial)
        if values is None:
            infos.append(self._bad_row(row_no, problems, partial))
            return
        unresolved = resolve_lookups(m, values, job.lookups) if self.lookups else None
        if unresolved:
            infos.append(RowTrouble("bad", row_no, [Problem(job.file, row_no, m.fields[f].column or f,
                                                            mask_digits(str(w)), why, "unknown_reference")
                                                    for f, w, why in unresolved]))
            return
        if problems:  # warnings only (ingest.validate.check_row)
            infos.append(RowTrouble("warn", row_no, problems))
        try:
            row_refs = references_for(m, values, self.pseudo)
            recs = records_for(m, values, self.pseudo)
            hh = household_ref(values, self.pseudo)
        except CellProblem as exc:
            infos.append(self._bad_address(row_no, cells, exc))
            return
        if job.erased and (gone := self._erased(recs, hh)) is not None:
            # nothing of the row is shown or kept: an erasure is not undone by the next export
            why = said("said.ingest.erased_household", "row about an erased household skipped") \
                if gone == "household" else said("said.ingest.erased_person", "row about an erased person skipped")
            infos.append(RowTrouble("erased", row_no, [Problem(job.file, row_no, "", "", why, "erased")]))
            return
        own_kind, own = recs[-1]
        row_key = f"{own_kind}:{record_key(own_kind, own)}"  # before any id is resolved
        infos.append(self._facts(row_no, row_key, cells, values, recs, row_refs))
        if job.spill:
            prepared.append(self._prepared(row_no, row_key, values, recs, hh))

    def _bad_row(self, row_no: int, problems: list[Problem], partial: dict[str, Any]) -> RowTrouble:
        """A row with problems of its own, and what its other fields name that does not exist: an organisation by a
        name no organisation has now, one by an id with the other rows' references (``_CrossRows``) — so a steward
        fixes a row once, not once per kind of problem."""
        job, m = self.job, self.job.mapping
        # a postcode that cannot be one is said with the row's other problems (else only once they were fixed)
        postcode = partial.get("postcode")
        if self.postcode_col and postcode not in (None, "") and all(p.column != self.postcode_col for p in problems) \
                and (why := postcode_problem(postcode)):
            problems.append(Problem(job.file, row_no, self.postcode_col, mask_digits(str(postcode)), why, "bad_value",
                                    problems[0].key if problems else ""))
        if self.lookups:
            for f, w, why in resolve_lookups(m, partial, job.lookups, names_only=True):
                problems.append(Problem(job.file, row_no, m.fields[f].column or f, mask_digits(str(w)), why,
                                        "unknown_reference", problems[0].key if problems else ""))
                del partial[f]  # said once: a name, not an id to look up as well
        return RowTrouble("bad", row_no, problems, id_references(m, partial))

    def _erased(self, recs: list[tuple[str, dict[str, Any]]], hh: tuple[str, str] | None) -> str | None:
        """``person`` or ``household`` when a record of the row names one the erasure register holds."""
        ids: list[str] = [hh[0]] if hh else []
        for kind, rec in recs:
            if kind in ("person", "household"):
                ids.append(str(rec.get("id")))
            ids += [str(rec[f]) for f in _ERASABLE_REFS if rec.get(f) is not None]
            ids += [str(p) for p in rec.get("person_ids") or ()]
        digests = ([self.pseudo.erased_address(hh[1])] if hh else []) + [self.pseudo.erased(one) for one in ids]
        return next((found for d in digests if (found := self.job.erased.get(d)) is not None), None)

    def _bad_address(self, row_no: int, cells: list[Any], exc: CellProblem) -> RowTrouble:
        """A row whose address cannot be a household (a postcode that is not Dutch)."""
        job, m = self.job, self.job.mapping
        pos = job.index.get(self.postcode_col.casefold()) if self.postcode_col else None
        cell = cells[pos] if pos is not None and pos < len(cells) else ""
        key = shown_key(m, self.key_cells(cells)) if self.key_cols else ""
        return RowTrouble("bad", row_no, [Problem(job.file, row_no, self.postcode_col, mask_digits(str(cell)),
                                                  message_of(exc), "bad_value", key)])

    def _facts(self, row_no: int, row_key: str, cells: list[Any], values: dict[str, Any],
               recs: list[tuple[str, dict[str, Any]]], row_refs: list[tuple[str, str, str]]) -> RowFacts:
        m = self.job.mapping
        kd = vd = key_cells = None
        if self.key_cols:
            # duplicates and conflicts by the checked values, so a key spelled two ways is one key
            key_cells = self.key_cells(cells)
            kd = _digest(tuple(cell if f is None else _same(f[0], f[1], values.get(f[0]))
                               for f, cell in zip(self.key_fields, key_cells, strict=True))
                         if self.key_spelled else key_cells)
            value_cells: Any = self.value_cells(cells)
            if self.spelled_values:
                value_cells = list(value_cells)
                for i, (n, spec) in self.spelled_values:
                    value_cells[i] = _same(n, spec, values.get(n))
            vd = _digest(value_cells)
        pid = ad = pcol = None
        if self.person_attrs:
            pid = next((r["id"] for k, r in recs if k == "person"), None)
            ad = _digest(tuple(values.get(a) for a in self.person_attrs))
            pcol = (m.fields["bsn"].column if "bsn" in m.fields and values.get("bsn") else
                    m.fields["person_source_id"].column if "person_source_id" in m.fields else "") or ""
        # the key's cells and the person's identifier cell go back as they are (the main process read them
        # from the file): masked only for the rare report of a conflict (ingest.validate.shown_key etc.)
        return RowFacts(row_no, row_key, kd, vd, pid, ad, pcol, row_refs, key_cells,
                        values.get("bsn") or values.get("person_source_id"))

    def _prepared(self, row_no: int, row_key: str, values: dict[str, Any], recs: list[tuple[str, dict[str, Any]]],
                  hh: tuple[str, str] | None) -> PreparedRow:
        mk = None
        if values.get("name") and isinstance(values.get("birth_date"), date) and any(k == "person" for k, _ in recs):
            mk = self.pseudo.match_key(str(values["name"]), values["birth_date"].isoformat())
        translate(recs, {}, self.job.aliases)  # accepted merges; households are resolved in pass 2
        # shaped as the load statement takes it: the writer sends it as is
        return PreparedRow(row_no, row_key, [Record.of(k, shape(k, r)) for k, r in recs], hh, mk)


#: record fields naming a person or household (checked against the erasure register)
_ERASABLE_REFS = ("person_id", "other_id", "supporter_id", "household_id")

_worker: _Preparer | None = None


def _init_worker(job: Job) -> None:
    global _worker
    _worker = _Preparer(job)
    gc.freeze()  # the job, the mapping and the modules stay for the worker's life: never collected


def _work(rows: list[tuple[int, list[Any] | None, str]]) -> tuple[list[RowInfo], bytes]:
    assert _worker is not None
    # A chunk makes tens of thousands of short-lived, acyclic objects: reference counting frees them, and the
    # cycle collector would only walk them over and over (about a tenth of a worker's time).
    gc.disable()
    try:
        return _worker.chunk(rows)
    finally:
        gc.enable()


def _chunks(rows: Iterable[tuple[int, list[Any] | None, str]]) -> Iterator[list[tuple[int, list[Any] | None, str]]]:
    chunk: list[tuple[int, list[Any] | None, str]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def prepare(job: Job, rows: Iterable[tuple[int, list[Any] | None, str]], workers: int = 1
            ) -> Iterator[tuple[list[RowInfo], bytes]]:
    """Prepared chunks of ``rows`` in file order; ``workers`` > 1 prepares them in that many processes.

    At most ``2 × workers`` chunks are in flight, so memory does not grow with the file.
    """
    if workers <= 1:
        local = _Preparer(job)
        try:
            for chunk in _chunks(rows):
                yield local.chunk(chunk)
        finally:
            local.close()
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(job,)) as pool:
        window: deque[Future[tuple[list[RowInfo], bytes]]] = deque()
        chunks = _chunks(rows)
        try:
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                except Exception:
                    # The reader stopped (a limit, a bad byte): the rows read before still count, as in-process.
                    while window:
                        yield window.popleft().result()
                    raise
                window.append(pool.submit(_work, chunk))
                if len(window) >= 2 * workers:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        finally:
            for f in window:
                f.cancel()
