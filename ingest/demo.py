"""Load the synthetic demo neighbourhood once (recorded in the import ledger), so a second run is fast."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from graph.db import Database
from graph.errors import WijknetError
from graph.schema import apply_schema
from ingest.cypher import statement
from ingest.entry import audited_write, writes
from ingest.loader import LoadStats, load_records
from ingest.matching import replay_matching
from ingest.synthetic.context import END as DEMO_END
from queries.access import Actor
from queries.audit import AuditLog

__all__ = ["RealImports", "demo_allowed", "demo_key", "ensure_demo", "is_loaded", "real_imports"]


def demo_key(seed: int, households: int) -> str:
    return f"synthetic:seed={seed}:households={households}"


def is_loaded(db: Database, key: str) -> bool:
    row = db.execute("import_ledger_lookup", statement("ledger_synthetic_lookup"), {"key": key}).first()
    return bool(row and row["done"])


#: how many file names a refusal names
_SHOWN = 3


class RealImports(WijknetError):
    """The database holds a municipality's imported files: the synthetic demo must not be mixed into them."""

    def __init__(self, files: int, names: list[str]) -> None:
        listed = ", ".join(names) + (", …" if files > len(names) else "")
        noun = "file" if files == 1 else "files"
        super().__init__(f"The database holds {files} imported {noun} ({listed}): the demo neighbourhood is not "
                         "loaded into real data. Use an empty database for the demo (`wijknet db reset`).")
        self.files = files


def real_imports(db: Database) -> tuple[int, list[str]]:
    """How many real files the import ledger knows in ``db`` and the names of the first few (the demo's own
    ledger entry does not count)."""
    row = db.execute("import_ledger_real", statement("ledger_real_imports"), {"shown": _SHOWN}).first()
    return (int(row["files"]), [str(n) for n in row["names"]]) if row else (0, [])


def demo_allowed(db: Database) -> bool:
    """Whether the demo (its neighbourhood and its accounts) may be put into ``db``: only while no real file has
    been imported. Every place that makes demo data asks this one question."""
    return real_imports(db)[0] == 0


@writes("demo_load")
def ensure_demo(
    db: Database,
    audit: AuditLog,
    actor: Actor,
    seed: int,
    households: int,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> LoadStats | None:
    """Generate and load the neighbourhood as ``actor`` unless the ledger says it is there; ``None`` when skipped.
    :class:`RealImports` when the ledger knows a real imported file (the demo is never mixed into real data).

    Goes through the audited write entry (``demo_load``; at first start the actor is the documented system actor
    :data:`queries.access.SYSTEM_DEMO`): role checked and audit record written before anything is loaded.
    """
    from ingest.synthetic import generate

    key = demo_key(seed, households)
    with audited_write(audit, actor, "demo_load", target=key) as outcome:
        apply_schema(db)
        files, names = real_imports(db)
        if files:  # also with force: --force reloads the demo, it never mixes it into real data
            raise RealImports(files, names)
        if not force and is_loaded(db, key):
            outcome.done("already_loaded")
            return None
        db.execute("import_ledger_begin", statement("ledger_synthetic_begin"),
                   {"key": key, "now": datetime.now(UTC).isoformat()}, write=True, data=False)
        stats = load_records(db, generate(seed=seed, households=households), progress=progress)
        # the signals a coach of the demo would have had: its history ends on DEMO_END (2012), so they are made
        # as of then, each on the day its involvement started (docs/signals.md, "The demo")
        signals = replay_matching(db, DEMO_END, source=f"synthetic:{seed}")
        db.execute("import_ledger_complete", statement("ledger_synthetic_complete"), {"key": key, "rows": stats.total, "now": datetime.now(UTC).isoformat()}, write=True, data=False)
        outcome.done("loaded", f"records={stats.total} signals={signals.total}")
        return stats
