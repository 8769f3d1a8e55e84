"""Stage *ledger*: the import ledger in the graph, and the rows that vanished since the previous import.

``(:Import {file_hash: '<sha256>:<mapping>'})`` records rows read/loaded/rejected, the batches done and whether
the file completed; a completed file is "already imported (same hash)". One ``(:Import {file_hash:
'wijknet:epoch'})`` holds the *ledger epoch*: the side store's digests (:mod:`ingest.state`) belong to it, and an
emptied database gets a new one, so nothing is skipped against a graph that lost it. Every statement is a named
file (``ingest/cypher/ledger_*.cypher``, ``end_<kind>.cypher``); the ledger is bookkeeping (``data=False``: it
does not renew the data token).

The begin, batch and complete statements are also offered as ``(name, cypher, params, data)`` tuples, so the
writer (:mod:`ingest.writer`) can send them in a batch's own transaction instead of one round trip each.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime
from typing import Any

from graph.db import Database
from ingest.cypher import statement
from ingest.mapping import Mapping
from ingest.state import StateStore
from ingest.validate import MAX_VANISHED_KEYS, Report, mask_digits

__all__ = ["Statement", "begin_statement", "batch_statement", "complete_statement", "completed", "current_epoch",
           "end_vanished", "ledger_epoch", "record_vanished", "vanished"]

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


def current_epoch(db: Database) -> str | None:
    """The ledger epoch without creating one (a dry run writes nothing)."""
    row = db.execute("ingest_epoch_read", statement("ledger_epoch_read")).first()
    return None if row is None else str(row["epoch"])


def completed(db: Database, key: str) -> dict[str, Any] | None:
    """Rows read/loaded/rejected of the completed import ``key`` (``<sha256>:<mapping>``), or None."""
    return db.execute("ingest_ledger_lookup", statement("ledger_completed"), {"key": key}).first()


def begin_statement(key: str, mapping: Mapping, report: Report) -> Statement:
    """The ledger entry of an import that starts (again, after a crash): not completed, no batch done."""
    return ("ingest_ledger_begin", statement("ledger_begin"),
            {"key": key, "now": _now(), "mapping": mapping.name, "source": mapping.source, "file": report.file,
             "read": report.rows_read}, False)


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


def vanished(db: Database | None, store: StateStore, mapping: Mapping, run: str, report: Report
             ) -> list[tuple[str, str]]:
    """Rows of the previous import of ``mapping`` (into this graph) that this file lacks: ``(row key, graph key)``."""
    if db is None:
        return []
    epoch = current_epoch(db)
    previous = store.previous_run(mapping.name, epoch) if epoch else None
    if previous is None:
        return []
    gone = [(k, t or k) for k, t in store.vanished(mapping.name, previous, run)]
    report.rows_vanished = len(gone)
    report.vanished_keys = [mask_digits(k) for k, _ in gone[:MAX_VANISHED_KEYS]]
    return gone


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
