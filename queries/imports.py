"""The import history for the data steward: which export files were loaded with which mapping, when, for which
export date and with how many rows (the ledger's entries, :mod:`ingest.ledger`; no row of a file, no person)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from graph.db import Database, as_date
from queries.access import DATA_ROLES, Actor, audit_action, require_role
from queries.audit import AuditLog
from queries.registry import run

__all__ = ["ImportRun", "import_history"]


@dataclass(frozen=True)
class ImportRun:
    """One file's import: completed, or started and not finished (a crash or a stop: loading it again resumes)."""

    file: str
    mapping: str
    started_at: datetime | None
    completed_at: datetime | None
    as_of: date | None
    rows_read: int
    rows_loaded: int | None
    rows_rejected: int | None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _count(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def import_history(db: Database, audit: AuditLog, actor: Actor, limit: int = 20) -> list[ImportRun]:
    """The latest ``limit`` imports of files into this database, the latest first (the demo's synthetic load is not
    a file). For the data steward and the admin; audited as ``view_imports`` before the read."""
    require_role(audit, actor, "view_imports", *DATA_ROLES)
    audit_action(audit, actor, "view_imports", purpose="data_loading", detail=f"limit={limit}")
    return [ImportRun(file=str(r["file"] or ""), mapping=str(r["mapping"] or ""), started_at=_moment(r["started_at"]),
                      completed_at=_moment(r["completed_at"]) if r["completed"] else None, as_of=as_date(r["as_of"]),
                      rows_read=_count(r["rows_read"]) or 0, rows_loaded=_count(r["rows_loaded"]),
                      rows_rejected=_count(r["rows_rejected"]))
            for r in run(db, "import_history", {"limit": limit}).rows]
