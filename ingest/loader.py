"""The batched loader: canonical records (see :data:`graph.model.RECORD_KINDS` and
:data:`graph.model.LOAD_KINDS`) → Neo4j.

One ``UNWIND $rows … MERGE`` statement per record kind (``ingest/cypher/<kind>.cypher``), merged on
constrained keys, so loading the same records twice gives the same graph. A kind may also have a create-only
statement (``<kind>.create.cypher``) for records known to be new: :func:`write_batch` uses it when told so.
Records may arrive interleaved (the synthetic generator streams household by household); they are buffered per
kind and, whenever a buffer is full, *all* buffers are flushed in model order, so a record is always written
after the records it refers to (as long as the source yielded those first).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.model import LOAD_KINDS
from graph.said import said

if TYPE_CHECKING:  # not imported at run time: ingest's worker processes start without the driver
    from graph.db import Database

__all__ = ["CONFLICT_KINDS", "CREATE_KINDS", "DEFAULT_BATCH", "MERGE_FILE_KINDS", "LoadStats", "create_cypher_for", "cypher_for",
           "decode_line", "encode_line", "file_cypher_for", "load_records", "shape", "sweep_load_files",
           "write_batch"]

DEFAULT_BATCH = 5000


#: rows per load statement within a batch (see :func:`write_batch`)
STATEMENT_ROWS = 1000

#: kinds with a create-only statement for new records (the bulk of an involvement export)
CREATE_KINDS = ("involvement",)
#: kinds matched for signals as they are written (their statements take ``$match_day`` and ``$match_from``)
MATCHED_KINDS = ("involvement",)
_NOT_MATCHED: dict[str, Any] = {"match_day": None, "match_from": None}

#: kinds whose load statement returns the rows it refused as conflicting with a later change in the app
CONFLICT_KINDS = ("caseload",)


@cache
def cypher_for(kind: str) -> str:
    """The load statement of one record kind."""
    if kind not in LOAD_KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    return resources.files("ingest.cypher").joinpath(f"{kind}.cypher").read_text()


@cache
def create_cypher_for(kind: str) -> str:
    """The create-only statement of a kind in :data:`CREATE_KINDS`: it fails on the uniqueness constraint when a
    record exists after all, so the caller can write the batch again with :func:`cypher_for`."""
    if kind not in CREATE_KINDS:
        raise ValueError(f"record kind {kind!r} has no create-only statement")
    return resources.files("ingest.cypher").joinpath(f"{kind}.create.cypher").read_text()


@cache
def file_cypher_for(kind: str) -> str:
    """The statement that loads a kind's records from a file of :func:`encode_line` lines in the server's import
    directory (``$url``): it merges for :data:`MERGE_FILE_KINDS`, it only creates for :data:`CREATE_KINDS`."""
    if kind not in _FILE_TYPES:
        raise ValueError(f"record kind {kind!r} has no load-file statement")
    return resources.files("ingest.cypher").joinpath(f"{kind}.file.cypher").read_text()


# --- new records as a file in the server's import directory ------------------------------------------------
# A local (managed) server can read a batch's new records from a CSV file with LOAD CSV instead of as Bolt
# parameters: the ingest's worker processes encode each record as one line, pass 2 carries a string per record
# instead of a dict and writes the lines to a file, and the server parses it cheaper than it unpacks the maps.
# The lines hold what the parameters would (pseudonymised records), live only while their transaction runs
# (mode 0600), and are swept when a crashed process left them behind (sweep_load_files).

#: fields of a kind's records that are not text: dates (ISO), lists of ids (joined by LIST_SEP), whole numbers
#: and booleans (``true``/``false``); the kinds that can travel as load files
_FILE_TYPES: dict[str, dict[str, type]] = {"involvement": {"since": date, "until": date, "person_ids": list},
                                           "person": {"birth_year": int, "has_bsn": bool}}
#: kinds whose load file is merged like their parameters (any record); the other file kinds' files only create
#: (records known to be new, see write_batch)
MERGE_FILE_KINDS = ("person",)
LIST_SEP = "|"
_FIELD = re.compile(r'"((?:[^"]|"")*)"|([^,"]*)')
_LOAD_FILE = re.compile(r"wijknet-load-(\d+)-[0-9a-f]+\.csv")


def _plan(kind: str) -> tuple[tuple[str, type], ...]:
    types = _FILE_TYPES[kind]
    return tuple((f, types.get(f, str)) for f in LOAD_KINDS[kind].fields)


_PLANS = {kind: _plan(kind) for kind in _FILE_TYPES}


def encode_line(kind: str, record: dict[str, Any]) -> str | None:
    """One shaped record as a line of the kind's load file, or None when a value cannot travel that way exactly
    (a type other than the field's, a backslash, which LOAD CSV's legacy quote escaping would read as an escape,
    or a list element that is empty, holds the separator or repeats another): such a record goes as parameters.

    Text is always quoted (``""`` is the empty string), an absent value is an empty unquoted field (LOAD CSV
    reads it as null), dates are ISO dates, lists are joined by :data:`LIST_SEP` (and quoted)."""
    out = []
    for f, t in _PLANS[kind]:
        v = record.get(f)
        if v is None:
            out.append("")
            continue
        if t is str:
            if type(v) is not str:
                return None
        elif t is date:
            if type(v) is not date:
                return None
            out.append(v.isoformat())
            continue
        elif t is list:
            if type(v) is not list or not all(type(x) is str and x and LIST_SEP not in x for x in v) or \
                    len(set(v)) != len(v):
                return None
            v = LIST_SEP.join(v)
        else:  # int or bool
            if type(v) is not t:
                return None
            out.append(("true" if v else "false") if t is bool else str(v))
            continue
        if "\\" in v:
            return None
        out.append('"' + v.replace('"', '""') + '"')
    return ",".join(out)


def decode_line(kind: str, line: str) -> dict[str, Any]:
    """The shaped record of an :func:`encode_line` line (equal to the one encoded, field order included)."""
    rec: dict[str, Any] = {}
    pos = 0
    for f, t in _PLANS[kind]:
        m = _FIELD.match(line, pos)
        if m is None:
            raise ValueError(f"not a {kind} load line")
        quoted, bare = m.groups()
        pos = m.end() + 1  # past the comma
        if quoted is None and not bare:
            rec[f] = None
        elif t is date:
            rec[f] = date.fromisoformat(bare)
        elif t is int:
            rec[f] = int(bare)
        elif t is bool:
            rec[f] = bare == "true"
        elif t is list:
            text = quoted.replace('""', '"')
            rec[f] = text.split(LIST_SEP) if text else []
        else:
            rec[f] = quoted.replace('""', '"')
    return rec


def _write_load_file(import_dir: Path, lines: list[str]) -> Path:
    path = import_dir / f"wijknet-load-{os.getpid()}-{secrets.token_hex(8)}.csv"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(lines))
        fh.write("\n")
    return path


def sweep_load_files(import_dir: Path) -> int:
    """Remove load files that a process which no longer runs left behind (killed mid-load); return how many."""
    from graph.server import pid_alive  # here: the worker processes that import this module never sweep

    removed = 0
    for path in import_dir.glob("wijknet-load-*.csv"):
        m = _LOAD_FILE.fullmatch(path.name)
        if m is None or pid_alive(int(m.group(1))):  # a live process's load may be in flight
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed += 1
    return removed


@dataclass
class LoadStats:
    """Rows written per record kind, and the rows a load statement refused as conflicting with what was changed
    in the app since (``conflicts``: a caseload row over a later move, see ``caseload.cypher``)."""

    rows: dict[str, int] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def shape(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record as its load statement takes it: exactly the kind's fields, absent ones as None."""
    fields = LOAD_KINDS[kind].fields
    return {f: record.get(f) for f in fields}


def load_records(
    db: Database,
    records: Iterable[tuple[str, dict[str, Any]]],
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
) -> LoadStats:
    """Write ``(kind, record)`` pairs in batches; return how many rows of each kind were written.

    ``progress`` is called with the running total after every flush.
    """
    order = list(LOAD_KINDS)
    buffers: dict[str, list[dict[str, Any]]] = {k: [] for k in order}
    stats = LoadStats({k: 0 for k in order})
    pending = 0

    def flush() -> None:
        nonlocal pending
        for kind in order:
            buf = buffers[kind]
            if buf:
                params = {"rows": buf, **(_NOT_MATCHED if kind in MATCHED_KINDS else {})}  # records match nothing
                result = db.execute(f"load_{kind}", cypher_for(kind), params, write=True, timeout=600)
                if kind in CONFLICT_KINDS:
                    stats.conflicts += [_native(r) for r in result.rows]
                stats.rows[kind] += len(buf)
                buffers[kind] = []
        pending = 0
        if progress is not None:
            progress(stats.total)

    for kind, record in records:
        buffers[kind].append(shape(kind, record))
        pending += 1
        if pending >= batch_size:
            flush()
    flush()
    stats.rows = {k: v for k, v in stats.rows.items() if v}
    return stats


def write_batch(db: Database, records: Sequence[tuple[str, dict[str, Any] | str]],
                also: Sequence[tuple[str, str, dict[str, Any], bool]] = (), *, shaped: bool = False,
                new: Sequence[bool] | None = None, import_dir: Path | None = None,
                matching: tuple[date, date] | None = None) -> LoadStats:
    """Write ``records`` (at most one batch) and then the statements ``also`` in *one* transaction, kinds in
    model order; return the rows written per kind. ``also`` holds ``(name, cypher, params, data)`` (see
    :meth:`graph.db.Database.execute_all`), e.g. the import ledger's batch counter. ``shaped``: the records
    already went through :func:`shape` (ingest shapes them in its worker processes). ``new``: per record,
    whether no earlier load wrote it; those of :data:`CREATE_KINDS` are created without looking for an existing
    node. If one exists after all, :class:`graph.errors.ConstraintViolated` is raised and nothing is written.

    A record may also be an :func:`encode_line` line (a string). With ``import_dir`` (the import directory of
    the server ``db`` runs on), new ones of them and those of :data:`MERGE_FILE_KINDS` are written to a file
    there and loaded by LOAD CSV in the same transaction; the file is removed when the transaction ended. Any
    other line is decoded and goes as parameters.

    ``matching`` (the load's matching day and the first start within the signal retention seen from it): the
    involvements written are matched on that day as they are written (``Involvement.seen``, docs/signals.md) —
    no statement of its own; without it none is matched."""
    match = {"match_day": matching[0] if matching else None, "match_from": matching[1] if matching else None}
    by_kind: dict[str, list[dict[str, Any]]] = {}
    fresh: dict[str, list[dict[str, Any]]] = {}
    lines: dict[str, list[str]] = {}
    for n, (kind, record) in enumerate(records):
        is_new = new is not None and new[n] and kind in CREATE_KINDS
        if isinstance(record, str):
            if import_dir is not None and (is_new or kind in MERGE_FILE_KINDS):
                lines.setdefault(kind, []).append(record)
                continue
            rec = decode_line(kind, record)
        else:
            rec = record if shaped else shape(kind, record)
        (fresh if is_new else by_kind).setdefault(kind, []).append(rec)
    # Each kind in statements of at most STATEMENT_ROWS rows: Database.execute_all pipelines them, so the
    # parameters of one are packed while the server writes the previous (one transaction all the same).
    statements: list[tuple[str, str, dict[str, Any], bool]] = []
    files: list[Path] = []
    try:
        for kind in LOAD_KINDS:
            for name, statement, rows in ((f"load_{kind}", cypher_for, by_kind.get(kind)),
                                          (f"create_{kind}", create_cypher_for, fresh.get(kind))):
                if rows:
                    statements += [(name, statement(kind), {"rows": rows[i:i + STATEMENT_ROWS],
                                                            **(match if kind in MATCHED_KINDS else {})}, True)
                                   for i in range(0, len(rows), STATEMENT_ROWS)]
            if kind in lines:
                assert import_dir is not None
                files.append(_write_load_file(import_dir, lines[kind]))
                statements.append((f"file_{kind}", file_cypher_for(kind), {
                    "url": f"file:///{files[-1].name}", **(match if kind in MATCHED_KINDS else {})}, True))
        returned = db.execute_all("load_batch", [*statements, *also], timeout=600)
    finally:
        for path in files:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    conflicts = [_native(r) for (name, *_), rows in zip(statements, returned, strict=False)
                 if name.removeprefix("load_") in CONFLICT_KINDS for r in rows]
    return LoadStats({kind: sum(len(d.get(kind, ())) for d in (by_kind, fresh, lines)) for kind in LOAD_KINDS
                      if kind in by_kind or kind in fresh or kind in lines}, conflicts)


def _native(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.to_native() if hasattr(v, "to_native") else v for k, v in row.items()}


def conflict_note(row: dict[str, Any]) -> str:
    """The report's note for a caseload row that was not written (see ``caseload.cypher``): it contradicts a later
    change in the app, or another coach holds the household from the same day (``reason`` ``same_day``).

    >>> conflict_note({"professional_id": "WC-1", "household_id": "HH-1", "since": date(2023, 1, 1), "until": None})
    'caseload: WC-1 → HH-1 from 01-01-2023 (open) not written: it contradicts a later change in the app (a move, an assignment or an end), which stands'
    """
    def dmy(d: Any) -> str:
        return f"{d:%d-%m-%Y}" if isinstance(d, date) else said("said.ingest.open", "open")

    until = said("said.ingest.until", "until {date}", date=dmy(row["until"])) if row.get("until") else \
        said("said.ingest.open", "open")
    if row.get("reason") == "same_day":
        return said("said.ingest.caseload_same_day", "caseload: {coach} → {household} from {since} ({until}) not "
                    "written: another coach holds this household from the same day; a household has one coach at "
                    "a time", coach=str(row.get("professional_id")), household=str(row.get("household_id")),
                    since=dmy(row.get("since")), until=until)
    return said("said.ingest.caseload_conflict", "caseload: {coach} → {household} from {since} ({until}) not "
                "written: it contradicts a later change in the app (a move, an assignment or an end), which stands",
                coach=str(row.get("professional_id")), household=str(row.get("household_id")),
                since=dmy(row.get("since")), until=until)
