"""Stage *ledger*: the import ledger in the graph, and the rows that vanished since the previous import.

``(:Import {file_hash: '<sha256>:<mapping>'})`` records rows read/loaded/rejected, the batches done and whether
the file completed; a completed file is "already imported (same hash)". One ``(:Import {file_hash:
'wijknet:epoch'})`` holds the *ledger epoch*: the side store's digests (:mod:`ingest.state`) belong to it, and an
emptied database gets a new one, so nothing is skipped against a graph that lost it. Every statement is a named
file (``ingest/cypher/ledger_*.cypher``, ``end_<kind>.cypher``); the ledger is bookkeeping (``data=False``: it
does not renew the data token).

A file costs the ledger two round trips before its batches: :func:`status` (the epoch and "already imported?")
before the file is read, :func:`start` (the epoch, created on first use, and the entry) before the first batch.
The batch and complete statements are ``(name, cypher, params, data)`` tuples that the writer
(:mod:`ingest.writer`) sends inside a batch's own transaction: no round trip of their own.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from graph.db import Database
from graph.said import Said, said_count
from ingest.cypher import statement
from ingest.mapping import Mapping
from ingest.state import StateStore
from ingest.validate import MAX_VANISHED_KEYS, Report, mask_digits

__all__ = ["LedgerStatus", "Statement", "batch_statement", "complete_statement", "end_vanished", "ledger_epoch",
           "not_ended_note", "record_vanished", "start", "status", "vanished"]

log = logging.getLogger("wijknet.ingest")

#: one statement for :meth:`graph.db.Database.execute_all`: (name, cypher, params, renews the data token)
Statement = tuple[str, str, dict[str, Any], bool]

#: kinds whose records ``on_missing: end`` can end (each has ``ingest/cypher/end_<kind>.cypher``)
ENDABLE_KINDS = ("involvement", "membership", "caseload")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def ledger_epoch(db: Database) -> str:
    """The epoch of the import ledger in this database (created on first use)."""
    row = db.execute("ingest_epoch", statement("ledger_epoch"), {"new": uuid.uuid4().hex}, write=True,
                     data=False).first()
    assert row is not None
    return str(row["epoch"])


@dataclass(frozen=True)
class LedgerStatus:
    """What the ledger says before a file is read: its epoch, and the completed import of the file, if any."""

    epoch: str | None
    #: rows read/loaded/rejected of the completed import of this file with this mapping, None if there is none
    completed: dict[str, Any] | None


def status(db: Database, key: str) -> LedgerStatus:
    """The ledger's epoch (without creating one: a dry run writes nothing) and whether ``key``
    (``<sha256>:<mapping>:<mapping digest>``) was imported completely — one round trip."""
    row = db.execute("ingest_ledger_status", statement("ledger_status"), {"key": key}).first() or {}
    done = {k: row.get(k) for k in ("rows_read", "rows_loaded", "rows_rejected")} if row.get("completed") else None
    return LedgerStatus(None if row.get("epoch") is None else str(row["epoch"]), done)


def start(db: Database, key: str, mapping: Mapping, report: Report, as_of: date) -> str:
    """The ledger entry of an import that starts writing (again, after a crash): not completed, no batch done, the
    export's date ``as_of``; return the ledger epoch (created on first use) — one round trip."""
    row = db.execute("ingest_ledger_start", statement("ledger_start"),
                     {"new": uuid.uuid4().hex, "key": key, "now": _now(), "mapping": mapping.name,
                      "source": mapping.source, "file": report.file, "read": report.rows_read,
                      "as_of": as_of},
                     write=True, data=False).first()
    assert row is not None
    return str(row["epoch"])


def batch_statement(key: str, n: int) -> Statement:
    """Batch ``n`` of import ``key`` committed (sent in the batch's own transaction)."""
    return ("ingest_ledger_batch", statement("ledger_batch"), {"key": key, "n": n}, False)


def complete_statement(key: str, report: Report) -> Statement:
    """Import ``key`` completed with the report's counts (sent once every batch has committed)."""
    return ("ingest_ledger_complete", statement("ledger_complete"),
            {"key": key, "now": _now(), "loaded": report.rows_valid, "rejected": report.rows_rejected}, False)


def record_vanished(db: Database, key: str, report: Report) -> None:
    """Note on the ledger entry how many rows vanished and how many of them were ended."""
    if report.rows_vanished or report.rows_ended:
        db.execute("ingest_ledger_vanished", statement("ledger_vanished"),
                   {"key": key, "vanished": report.rows_vanished, "ended": report.rows_ended}, write=True, data=False)


def vanished(epoch: str | None, store: StateStore, mapping: Mapping, run: str, report: Report
             ) -> list[tuple[str, str]]:
    """Rows of the previous import of ``mapping`` (into the graph of ledger ``epoch``) that this file lacks and that
    were loaded (a row rejected then never was): ``(row key, graph key)``."""
    previous = store.previous_run(mapping.name, epoch) if epoch else None
    if previous is None:
        return []
    gone = [(k, t or k) for k, t in store.vanished(mapping.name, previous, run, epoch=epoch, source=mapping.source)]
    report.rows_vanished = len(gone)
    report.vanished_keys = [mask_digits(k) for k, _ in gone[:MAX_VANISHED_KEYS]]
    return gone


#: ``on_missing: end`` ends at most this share of the previous import's rows, when that is at least END_MOST_MIN rows,
#: unless told to (``--end-most``): a file lacking more is refused (ingest.pipeline), as an export that lost most of
#: its rows is more often a failed, partial or wrong export than that many real ends
END_MOST_SHARE = 0.5
END_MOST_MIN = 10


def ends_too_many(gone: int, previous: int) -> bool:
    """Whether ending ``gone`` of the previous import's ``previous`` rows is more than ``on_missing: end`` does
    unasked.

    >>> ends_too_many(10, 19), ends_too_many(10, 20), ends_too_many(9, 9)
    (True, False, False)
    """
    return gone >= END_MOST_MIN and gone > END_MOST_SHARE * previous


def previous_rows(epoch: str | None, store: StateStore, mapping: Mapping) -> int:
    """How many rows the previous import of ``mapping`` into the graph of ledger ``epoch`` had (0: none)."""
    previous = store.previous_run(mapping.name, epoch) if epoch else None
    return store.run_size(mapping.name, previous) if previous else 0


def end_vanished(db: Database, store: StateStore, mapping: Mapping, gone: list[tuple[str, str]], as_of: date
                 ) -> int:
    """``on_missing: end``: end the involvements/memberships/caseloads of vanished rows; return how many."""
    aliases = store.person_aliases()
    ended = 0
    by_kind: dict[str, list[list[str]]] = {}
    for _row, target in gone:
        kind, _, key = target.partition(":")
        parts = key.split("|")
        if kind == "membership" and len(parts) == 2:
            parts[1] = aliases.get(parts[1], parts[1])
        by_kind.setdefault(kind, []).append(parts)
    for kind, keys in by_kind.items():
        if kind not in ENDABLE_KINDS:
            continue
        for i in range(0, len(keys), 5000):
            row = db.execute(f"ingest_end_{kind}", statement(f"end_{kind}"),
                             {"keys": keys[i:i + 5000], "as_of": as_of, "why": f"missing from {mapping.name}"},
                             write=True).first()
            ended += int(row["n"]) if row else 0
        # the stored digests describe the open record: forget them, so a row that comes back is written again
        store.forget_digests(mapping.source, kind, ("|".join(k) for k in keys))
    log.info("ended %d of %d vanished rows of %s", ended, len(gone), mapping.name)
    return ended


def not_ended_note(missing: int, unkeyed: int) -> Said:
    """The report's note when ``on_missing: end`` ended nothing because rows could not be keyed; each count with
    its own singular or plural.

    >>> not_ended_note(1, 2)
    '1 missing row was NOT ended: 2 rows of this file could not be read far enough to know their key; fix them and import again'
    """
    why = said_count("said.ingest.not_ended_unkeyed", unkeyed, "{n} row of this file could not be read far enough "
                     "to know its key; fix it and import again", "{n} rows of this file could not be read far "
                     "enough to know their key; fix them and import again")
    return said_count("said.ingest.not_ended", missing, "{n} missing row was NOT ended: {unkeyed}",
                      "{n} missing rows were NOT ended: {unkeyed}", unkeyed=why)
