"""The audit log: append-only, hash-chained, outside the graph (SQLite file in the state directory).

One record per view, search, export, download, ingest and denial (NEN 7513-style): UTC time, user, role,
organisation, action, target pseudonym, purpose, result. Each record stores the SHA-256 of the previous
record's hash and its own content, so a removed or edited record breaks :meth:`AuditLog.verify`.
:meth:`AuditLog.record` raises :class:`AuditUnavailable` when it cannot write; callers serve nothing then.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from graph.errors import WijknetError

__all__ = ["AuditLog", "AuditRecord", "AuditUnavailable", "default_audit_log"]

GENESIS = "0" * 64


class AuditUnavailable(WijknetError):
    """The audit log cannot be written: no data may be served."""


@dataclass(frozen=True)
class AuditRecord:
    at: str
    user: str
    role: str
    organisation: str
    action: str
    target: str
    purpose: str
    result: str
    detail: str = ""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL, organisation TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, purpose TEXT NOT NULL, result TEXT NOT NULL,
    detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_target ON audit(target);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def _hash(prev: str, rec: AuditRecord) -> str:
    body = json.dumps(asdict(rec), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256((prev + body).encode()).hexdigest()


class AuditLog:
    """An append-only audit log in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.executescript(_SCHEMA)
            return conn
        except (sqlite3.Error, OSError) as exc:
            raise AuditUnavailable("The audit log cannot be written, so no data is shown; ask the administrator "
                                   f"to check {self.path}.") from exc

    def record(self, *, user: str, role: str, organisation: str, action: str, target: str = "",
               purpose: str = "", result: str = "ok", detail: str = "") -> AuditRecord:
        """Append one record; raise :class:`AuditUnavailable` if it cannot be stored."""
        rec = AuditRecord(datetime.now(UTC).isoformat(timespec="milliseconds"), user, role, organisation or "",
                          action, target or "", purpose or "", result, detail)
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                prev = row[0] if row else GENESIS
                conn.execute(
                    "INSERT INTO audit (at, user, role, organisation, action, target, purpose, result, detail, "
                    "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (*asdict(rec).values(), prev, _hash(prev, rec)),
                )
                conn.execute("COMMIT")
            except (sqlite3.Error, OSError) as exc:
                raise AuditUnavailable("The audit log cannot be written, so no data is shown; ask the "
                                       f"administrator to check {self.path}.") from exc
            finally:
                conn.close()
        return rec

    def records(self, *, target: str | None = None, user: str | None = None) -> Iterator[AuditRecord]:
        """Records in order, optionally only for one target or user."""
        if not self.path.exists():
            return
        conn = sqlite3.connect(self.path)
        try:
            sql = "SELECT at, user, role, organisation, action, target, purpose, result, detail FROM audit"
            cond, args = [], []
            if target is not None:
                cond.append("target = ?")
                args.append(target)
            if user is not None:
                cond.append("user = ?")
                args.append(user)
            if cond:
                sql += " WHERE " + " AND ".join(cond)
            for row in conn.execute(sql + " ORDER BY seq", args):
                yield AuditRecord(*row)
        finally:
            conn.close()

    def verify(self) -> int | None:
        """Check the hash chain; return the sequence number of the first broken record, or ``None``."""
        if not self.path.exists():
            return None
        conn = sqlite3.connect(self.path)
        try:
            prev = GENESIS
            for row in conn.execute("SELECT seq, at, user, role, organisation, action, target, purpose, result, "
                                    "detail, prev_hash, hash FROM audit ORDER BY seq"):
                rec = AuditRecord(*row[1:10])
                if row[10] != prev or row[11] != _hash(prev, rec):
                    return int(row[0])
                prev = row[11]
        finally:
            conn.close()
        return None


def default_audit_log() -> AuditLog:
    from graph.settings import load_settings

    return AuditLog(load_settings().state_dir / "audit.sqlite")
