"""The audit log: append-only, hash-chained, outside the graph (SQLite file in the state directory).

One record per view, search, export, download, ingest, sign-in and denial (NEN 7513-style): UTC time, user,
role, organisation, action, target pseudonym, purpose, result, plus on whose behalf the user acted, the access
point and a trace id (a hash of the session, never the session token itself).

Tamper evidence, in three layers:

* SQLite triggers refuse ``UPDATE`` and ``DELETE`` on the table (the app has no code path that edits a record);
* every record stores the SHA-256 of the previous record's hash and its own content, so an edited or removed
  record breaks :meth:`AuditLog.verify`;
* after every write the head (sequence number and hash) is copied to ``<log>.head``; cutting records off the
  end, which a chain alone cannot reveal, shows as a head that is no longer in the log.

:meth:`AuditLog.record` raises :class:`AuditUnavailable` when it cannot write; callers serve nothing then.
Control characters in any field are escaped before they are stored (log injection cannot forge a line).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from graph.errors import WijknetError

__all__ = ["AuditLog", "AuditRecord", "AuditUnavailable", "default_audit_log", "escape_field"]

GENESIS = "0" * 64

# Fields added after the first version; a record that leaves them all empty hashes as before.
_EXTENDED = ("on_behalf_of", "access_point", "trace_id")


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
    on_behalf_of: str = ""
    access_point: str = ""
    trace_id: str = ""


_COLUMNS = tuple(f.name for f in fields(AuditRecord))

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


def escape_field(value: object, limit: int = 500) -> str:
    r"""Make ``value`` one safe line: control characters escaped, length capped.

    >>> escape_field("X\n2025-01-01T00:00Z admin VIEW")
    'X\\n2025-01-01T00:00Z admin VIEW'
    """
    text = "" if value is None else str(value)
    out = []
    for ch in text[:limit]:
        if ch in "\n\r\t" or ord(ch) < 32 or ord(ch) == 127 or ch in "\u2028\u2029\x85":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(text) > limit else "")


def _hash(prev: str, rec: AuditRecord) -> str:
    body_fields = asdict(rec)
    if not any(body_fields[k] for k in _EXTENDED):
        for k in _EXTENDED:
            body_fields.pop(k)
    body = json.dumps(body_fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256((prev + body).encode()).hexdigest()


def _unavailable(path: Path) -> AuditUnavailable:
    return AuditUnavailable("The audit log cannot be written, so no data is shown; ask the administrator to "
                            f"check {path}.")


class AuditLog:
    """An append-only audit log in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        self._writer_file: tuple[int, int] | None = None  # (device, inode) the writer has open

    def _file_id(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    def _writing_connection(self) -> sqlite3.Connection:
        """The connection records are appended through, kept open between records (call with the lock held).

        Keeping it open saves the schema check and the open per record; the rollback journal stays (no
        write-ahead log: a WAL file left beside a replaced log would be replayed into the new one). A log file
        that was replaced or removed since (a restore, an administrator) is noticed by its inode and reopened,
        so records never go to a stale file.
        """
        current = self._file_id()
        if self._writer is not None and current is not None and current == self._writer_file:
            return self._writer
        self.close()
        conn = self._connect()
        self._writer, self._writer_file = conn, self._file_id()
        return conn

    def close(self) -> None:
        """Close the kept-open writing connection (the next record reopens it)."""
        if self._writer is not None:
            try:
                self._writer.close()
            except sqlite3.Error:
                pass
            self._writer, self._writer_file = None, None

    @property
    def head_path(self) -> Path:
        return self.path.with_name(self.path.name + ".head")

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.executescript(_SCHEMA)
            have = {row[1] for row in conn.execute("PRAGMA table_info(audit)")}
            for col in _EXTENDED:  # logs written by the first version lack these columns
                if col not in have:
                    conn.execute(f"ALTER TABLE audit ADD COLUMN {col} TEXT NOT NULL DEFAULT ''")
            return conn
        except (sqlite3.Error, OSError) as exc:
            raise _unavailable(self.path) from exc

    def record(self, *, user: str, role: str, organisation: str, action: str, target: str = "",
               purpose: str = "", result: str = "ok", detail: str = "", on_behalf_of: str = "",
               access_point: str = "", trace_id: str = "") -> AuditRecord:
        """Append one record; raise :class:`AuditUnavailable` if it cannot be stored."""
        values = [escape_field(v) for v in (user, role, organisation or "", action, target or "", purpose or "",
                                             result, detail or "", on_behalf_of, access_point, trace_id)]
        rec = AuditRecord(datetime.now(UTC).isoformat(timespec="milliseconds"), *values)
        with self._lock:
            conn = self._writing_connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                prev = row[0] if row else GENESIS
                digest = _hash(prev, rec)
                cur = conn.execute(
                    f"INSERT INTO audit ({', '.join(_COLUMNS)}, prev_hash, hash) "  # noqa: S608 - fixed names
                    f"VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})",
                    (*asdict(rec).values(), prev, digest),
                )
                conn.execute("COMMIT")
                self._write_head(int(cur.lastrowid or 0), digest)
            except (sqlite3.Error, OSError) as exc:
                self.close()  # rolls back an open transaction; the next record reopens
                raise _unavailable(self.path) from exc
        return rec

    def _write_head(self, seq: int, digest: str) -> None:
        tmp = self.head_path.with_suffix(".tmp")
        tmp.write_text(f"{seq} {digest}\n")
        os.replace(tmp, self.head_path)

    def records(self, *, target: str | None = None, user: str | None = None) -> Iterator[AuditRecord]:
        """Records in order, optionally only for one target or user."""
        if not self.path.exists():
            return
        conn = self._connect()
        try:
            sql = f"SELECT {', '.join(_COLUMNS)} FROM audit"  # noqa: S608 - fixed column names
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

    def count(self) -> int:
        if not self.path.exists():
            return 0
        conn = self._connect()
        try:
            return int(conn.execute("SELECT count(*) FROM audit").fetchone()[0])
        finally:
            conn.close()

    def verify(self) -> int | None:
        """Check the hash chain and the head copy; return the first broken sequence number, or ``None``.

        A log whose last records were cut off returns the sequence number after its last record.
        """
        if not self.path.exists():
            return None
        conn = self._connect()
        try:
            prev = GENESIS
            last_seq = 0
            hashes: dict[int, str] = {}
            for row in conn.execute(f"SELECT seq, {', '.join(_COLUMNS)}, prev_hash, hash "  # noqa: S608
                                    "FROM audit ORDER BY seq"):
                rec = AuditRecord(*row[1:1 + len(_COLUMNS)])
                prev_hash, digest = row[-2], row[-1]
                if prev_hash != prev or digest != _hash(prev, rec):
                    return int(row[0])
                prev = digest
                last_seq = int(row[0])
                hashes[last_seq] = digest
        finally:
            conn.close()
        if self.head_path.exists():
            try:
                seq_text, head = self.head_path.read_text().split()
                head_seq = int(seq_text)
            except ValueError:
                return last_seq + 1
            if hashes.get(head_seq) != head:
                return min(head_seq, last_seq + 1)
        return None

    def head(self) -> tuple[int, str]:
        """(sequence number, hash) of the last record — copy it elsewhere to anchor the chain."""
        conn = self._connect()
        try:
            row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            conn.close()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def default_audit_log() -> AuditLog:
    from graph.settings import load_settings

    return AuditLog(load_settings().state_dir / "audit.sqlite")
