"""The batched loader: canonical records (see :data:`graph.model.RECORD_KINDS`) → Neo4j.

One ``UNWIND $rows … MERGE`` statement per record kind (``ingest/cypher/<kind>.cypher``), merged on
constrained keys, so loading the same records twice gives the same graph. A kind may also have a create-only
statement (``<kind>.create.cypher``) for records known to be new: :func:`write_batch` uses it when told so.
Records may arrive interleaved (the synthetic generator streams household by household); they are buffered per
kind and, whenever a buffer is full, *all* buffers are flushed in model order, so a record is always written
after the records it refers to (as long as the source yielded those first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from graph.model import RECORD_KINDS

if TYPE_CHECKING:  # not imported at run time: ingest's worker processes start without the driver
    from graph.db import Database

__all__ = ["CREATE_KINDS", "DEFAULT_BATCH", "LoadStats", "create_cypher_for", "cypher_for", "load_records", "shape",
           "write_batch"]

DEFAULT_BATCH = 5000


#: rows per load statement within a batch (see :func:`write_batch`)
STATEMENT_ROWS = 1000

#: kinds with a create-only statement for new records (the bulk of an involvement export)
CREATE_KINDS = ("involvement",)


@cache
def cypher_for(kind: str) -> str:
    """The load statement of one record kind."""
    if kind not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    return resources.files("ingest.cypher").joinpath(f"{kind}.cypher").read_text()


@cache
def create_cypher_for(kind: str) -> str:
    """The create-only statement of a kind in :data:`CREATE_KINDS`: it fails on the uniqueness constraint when a
    record exists after all, so the caller can write the batch again with :func:`cypher_for`."""
    if kind not in CREATE_KINDS:
        raise ValueError(f"record kind {kind!r} has no create-only statement")
    return resources.files("ingest.cypher").joinpath(f"{kind}.create.cypher").read_text()


@dataclass
class LoadStats:
    """Rows written per record kind."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def shape(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record as its load statement takes it: exactly the kind's fields, absent ones as None."""
    fields = RECORD_KINDS[kind].fields
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
    order = list(RECORD_KINDS)
    buffers: dict[str, list[dict[str, Any]]] = {k: [] for k in order}
    stats = LoadStats({k: 0 for k in order})
    pending = 0

    def flush() -> None:
        nonlocal pending
        for kind in order:
            buf = buffers[kind]
            if buf:
                db.execute(f"load_{kind}", cypher_for(kind), {"rows": buf}, write=True, timeout=600)
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


def write_batch(db: Database, records: list[tuple[str, dict[str, Any]]],
                also: Sequence[tuple[str, str, dict[str, Any], bool]] = (), *, shaped: bool = False,
                new: Sequence[bool] | None = None) -> LoadStats:
    """Write ``records`` (at most one batch) and then the statements ``also`` in *one* transaction, kinds in
    model order; return the rows written per kind. ``also`` holds ``(name, cypher, params, data)`` (see
    :meth:`graph.db.Database.execute_all`), e.g. the import ledger's batch counter. ``shaped``: the records
    already went through :func:`shape` (ingest shapes them in its worker processes). ``new``: per record,
    whether no earlier load wrote it; those of :data:`CREATE_KINDS` are created without looking for an existing
    node. If one exists after all, :class:`graph.errors.ConstraintViolated` is raised and nothing is written."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    fresh: dict[str, list[dict[str, Any]]] = {}
    for n, (kind, record) in enumerate(records):
        rec = record if shaped else shape(kind, record)
        (fresh if new is not None and new[n] and kind in CREATE_KINDS else by_kind).setdefault(kind, []).append(rec)
    # Each kind in statements of at most STATEMENT_ROWS rows: Database.execute_all pipelines them, so the
    # parameters of one are packed while the server writes the previous (one transaction all the same).
    statements = []
    for kind in RECORD_KINDS:
        for name, statement, rows in ((f"load_{kind}", cypher_for, by_kind.get(kind)),
                                      (f"create_{kind}", create_cypher_for, fresh.get(kind))):
            if rows:
                statements += [(name, statement(kind), {"rows": rows[i:i + STATEMENT_ROWS]}, True)
                               for i in range(0, len(rows), STATEMENT_ROWS)]
    db.execute_all("load_batch", [*statements, *also], timeout=600)
    return LoadStats({kind: len(by_kind.get(kind, ())) + len(fresh.get(kind, ())) for kind in RECORD_KINDS
                      if kind in by_kind or kind in fresh})
