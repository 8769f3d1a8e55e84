"""Load the synthetic demo neighbourhood once (recorded in the import ledger), so a second run is fast."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from graph.db import Database
from graph.schema import apply_schema
from ingest.loader import LoadStats, load_records

__all__ = ["demo_key", "ensure_demo", "is_loaded"]


def demo_key(seed: int, households: int) -> str:
    return f"synthetic:seed={seed}:households={households}"


def is_loaded(db: Database, key: str) -> bool:
    row = db.execute("import_ledger_lookup", "MATCH (i:Import {file_hash: $key}) RETURN i.completed AS done",
                     {"key": key}).first()
    return bool(row and row["done"])


def ensure_demo(
    db: Database,
    seed: int,
    households: int,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> LoadStats | None:
    """Generate and load the neighbourhood unless the ledger says it is there; ``None`` when skipped."""
    from ingest.synthetic import generate

    apply_schema(db)
    key = demo_key(seed, households)
    if not force and is_loaded(db, key):
        return None
    db.execute("import_ledger_begin",
               "MERGE (i:Import {file_hash: $key}) SET i.kind = 'synthetic', i.started_at = $now, "
               "i.completed = false", {"key": key, "now": datetime.now(UTC).isoformat()}, write=True, data=False)
    stats = load_records(db, generate(seed=seed, households=households), progress=progress)
    db.execute("import_ledger_complete",
               "MATCH (i:Import {file_hash: $key}) SET i.completed = true, i.rows = $rows, i.completed_at = $now",
               {"key": key, "rows": stats.total, "now": datetime.now(UTC).isoformat()}, write=True, data=False)
    return stats
