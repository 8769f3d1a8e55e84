"""Small lookups about professionals that carry no client data."""

from __future__ import annotations

from graph.db import Database
from queries.registry import run

__all__ = ["coach_ids"]


def coach_ids(db: Database) -> list[str]:
    """Ids of all wijkcoaches, sorted."""
    return [r["id"] for r in run(db, "coach_ids").rows]
