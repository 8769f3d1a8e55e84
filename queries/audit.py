"""The audit log: append-only, chained with a keyed MAC, anchored by signed checkpoints kept off the host.

One record per view, search, export, download, ingest, sign-in and denial (NEN 7513-style): UTC time, user,
role, organisation, action, target pseudonym, purpose, result, plus on whose behalf the user acted, the access
point and a trace id (a hash of the session, never the session token itself).

Tamper evidence, in layers (``docs/security.md`` says what each does and does not protect against):

* SQLite triggers refuse ``UPDATE`` and ``DELETE`` on the tables (the app has no code path that edits a record);
* every record carries HMAC-SHA256(audit key, log id, its sequence number, the previous record's MAC, its
  content). The key lives outside the state directory (``WIJKNET_AUDIT_KEY_FILE``): whoever has the log file
  but not the key cannot edit, remove or reorder a record and recompute the chain. The *seal* (a MAC-protected
  marker naming the log id and the first keyed record) is written with a new log's first record. A log that has
  records but no seal — written before the keyed chain, or its seal removed — is never sealed by a write (that
  would accept whatever an intruder recomputed): writing fails closed until an administrator seals it explicitly
  (:meth:`AuditLog.seal`, ``wijknet audit seal``), with a keyed record saying which records were kept without the
  key. Those keep their plain SHA-256 chain, linked to the seal record, and are reported as not verifiable by key;
* after every write the head (log id, sequence number, MAC) is copied to ``<log>.head`` with a MAC of its own:
  without the key it cannot be made to name an earlier record, so a cut-off tail shows without a checkpoint;
* signed checkpoints (:mod:`queries.audit_checkpoint`: log id, last sequence number, record count, head) go to an
  append-only file the administrator ships elsewhere — every ``WIJKNET_AUDIT_CHECKPOINT_EVERY`` records and on
  ``wijknet audit checkpoint`` — and to the graph. A tail cut off, a table emptied or dropped, a file replaced by
  another log: none of these shows in the chain alone, each shows against a checkpoint;
* retention removes old records only by a recorded cut (:meth:`AuditLog.cut`): a keyed record naming the sequence
  number and MAC of the last removed record, which the first remaining record must link to.

:meth:`AuditLog.check` reports every finding as one sentence. :meth:`AuditLog.record` raises
:class:`AuditUnavailable` when it cannot write; callers serve nothing then. Control characters in any field are
escaped before they are stored (log injection cannot forge a line).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from graph.errors import WijknetError
from graph.files import private_file, replace_private
from graph.said import said
from queries.audit_checkpoint import Checkpoint, append_checkpoint
from queries.audit_keys import AuditKeys

__all__ = ["CUT_ACTION", "SEAL_ACTION", "AuditCheck", "AuditLog", "AuditRecord", "AuditUnavailable", "Finding",
           "default_audit_log", "escape_field"]

GENESIS = "0" * 64
CUT_ACTION = "audit_cut"
SEAL_ACTION = "audit_seal"

# Fields added after the first version; a record that leaves them all empty hashes as before.
_EXTENDED = ("on_behalf_of", "access_point", "trace_id")
# The first keyed sequence number of a log that has no seal.
_UNSEALED = 1 << 62
# How many sentences of one kind a check reports before it summarises the rest.
_MAX_PER_KIND = 5


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

_NO_DELETE = ("CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit\n"
              "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
_APPEND_ONLY = f"""
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
{_NO_DELETE};
"""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL, organisation TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, purpose TEXT NOT NULL, result TEXT NOT NULL,
    detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_target ON audit(target);
CREATE TABLE IF NOT EXISTS audit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_meta_no_update BEFORE UPDATE ON audit_meta
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_meta_no_delete BEFORE DELETE ON audit_meta
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
""" + _APPEND_ONLY


_SCHEMA_NAMES = frozenset({"audit", "audit_target", "audit_meta", "audit_no_update", "audit_no_delete",
                           "audit_meta_no_update", "audit_meta_no_delete"})


def _add_column(col: str) -> str:
    """The statement that gives a log one of its later columns (:data:`_EXTENDED`, fixed names)."""
    return f"ALTER TABLE audit ADD COLUMN {col} TEXT NOT NULL DEFAULT ''"


def _normal_sql(sql: str | None) -> str:
    """A schema object's SQL as SQLite keeps it, compared without case, spacing (also around brackets and commas)
    and ``IF NOT EXISTS``."""
    text = " ".join((sql or "").replace("IF NOT EXISTS ", "").split()).casefold()
    return re.sub(r" ?([(),;]) ?", r"\1", text)


@functools.cache
def _own_schema() -> dict[str, tuple[str, frozenset[str]]]:
    """Name -> (type, the normalised SQL it may have) of every schema object the log makes. The table ``audit``
    may have each stage of its later columns, added by ``ALTER TABLE`` as the log is opened; nothing else (an
    outside test rebuilt it with an added generated column ``NOT NULL ON CONFLICT IGNORE``, which would drop
    chosen records as they are written, and the check compared tables by type only)."""
    ref = sqlite3.connect(":memory:")
    try:
        ref.executescript(_SCHEMA)
        own = {str(name): (str(kind), {_normal_sql(sql)})
               for kind, name, sql in ref.execute("SELECT type, name, sql FROM sqlite_master")
               if not str(name).startswith("sqlite_")}
        for col in _EXTENDED:
            ref.execute(_add_column(col))
            own["audit"][1].add(_normal_sql(ref.execute("SELECT sql FROM sqlite_master WHERE name = 'audit'"
                                                        ).fetchone()[0]))
        return {name: (kind, frozenset(sqls)) for name, (kind, sqls) in own.items()}
    finally:
        ref.close()


def _schema_problems(conn: sqlite3.Connection) -> list[str]:
    """The schema objects of the log that are not its own, or not as the log makes them ("trigger audit_ix"): a
    trigger added with the file alone could drop or change records as they are written, and the chain would
    close over the gap with the next record."""
    own = _own_schema()
    out = []
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
        if str(name).startswith("sqlite_"):  # SQLite's own: the AUTOINCREMENT counter, a primary key's index
            continue
        want = own.get(str(name))
        if want is None or want[0] != kind or _normal_sql(sql) not in want[1]:
            out.append(f"{kind} {name}")
    return sorted(out)


def _foreign_schema(path: Path, problems: list[str]) -> AuditUnavailable:
    return AuditUnavailable(said(
        "said.audit.foreign_schema", "The audit log {path} holds schema objects that are not its own ({objects}): "
        "they could drop or change records as they are written, so nothing is written and no data is shown. Ask "
        "the administrator to check it (`wijknet audit verify`).", path=str(path), objects=", ".join(problems)))


def _schema_current(conn: sqlite3.Connection) -> bool:
    """Whether the log already has every table, index, trigger and column (then opening it writes nothing)."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    have = {row[1] for row in conn.execute("PRAGMA table_info(audit)")}
    return _SCHEMA_NAMES <= names and set(_EXTENDED) <= have


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
    """The plain SHA-256 link of logs written before the keyed chain (still used to read them)."""
    body_fields = asdict(rec)
    if not any(body_fields[k] for k in _EXTENDED):
        for k in _EXTENDED:
            body_fields.pop(k)
    body = json.dumps(body_fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256((prev + body).encode()).hexdigest()


def _mac(key: bytes, log_id: str, seq: int, prev: str, rec: AuditRecord) -> str:
    """The keyed link: binds the record to its log, its place and its predecessor."""
    msg = json.dumps([log_id, seq, prev, asdict(rec)], sort_keys=True, ensure_ascii=False)
    return hmac.new(key, msg.encode(), hashlib.sha256).hexdigest()


def _seal_mac(key: bytes, value: str) -> str:
    return hmac.new(key, b"wijknet-audit-seal:" + value.encode(), hashlib.sha256).hexdigest()


def _head_mac(key: bytes, log_id: str, seq: int, mac: str) -> str:
    """The head file's own MAC: without the key nobody can make it name another record (a cut-off tail)."""
    msg = json.dumps([log_id, seq, mac], separators=(",", ":"))
    return hmac.new(key, b"wijknet-audit-head:" + msg.encode(), hashlib.sha256).hexdigest()


def _seal_names(detail: str, through: int, through_mac: str) -> bool:
    """Whether a seal record's ``detail`` names record ``through`` with that hash."""
    try:
        d = json.loads(detail)
        return int(d["through_seq"]) == through and str(d["through_mac"]) == through_mac
    except (ValueError, KeyError, TypeError):
        return False


@dataclass(frozen=True)
class _Head:
    """The head file: ``seq mac log_id head_mac`` (a head of the first keyed version has only ``seq mac``)."""

    seq: int
    mac: str
    log_id: str = ""
    head_mac: str = ""

    @classmethod
    def read(cls, path: Path) -> _Head | None:
        """The head in ``path``; ``None`` when there is none; ``seq`` -1 when it cannot be read."""
        if not path.exists():
            return None
        try:
            parts = path.read_text().split()
            if len(parts) not in (2, 4):
                raise ValueError(path)
            return cls(int(parts[0]), *parts[1:])
        except (OSError, ValueError):
            return cls(-1, "")

    def keyed_ok(self, key: bytes) -> bool:
        return bool(self.head_mac) and hmac.compare_digest(_head_mac(key, self.log_id, self.seq, self.mac),
                                                           self.head_mac)


def _before(at: str, other: str) -> bool:
    """Whether the record time ``at`` is earlier than ``other`` (``False`` when either cannot be read)."""
    try:
        return datetime.fromisoformat(at) < datetime.fromisoformat(other)
    except (ValueError, TypeError):
        return False


def _unavailable(path: Path) -> AuditUnavailable:
    return AuditUnavailable(said("said.audit.unavailable", "The audit log cannot be written, so no data is shown; "
                                 "ask the administrator to check {path}.", path=str(path)))


@dataclass(frozen=True)
class Finding:
    """One thing :meth:`AuditLog.check` found wrong, as one sentence."""

    kind: str  # truncated, missing, unrecorded_cut, broken, altered, emptied, replaced, replayed, unsealed, seal_removed, foreign_schema,
    # head, head_unkeyed, forged, clock (a record dated before the one it follows), ...
    seq: int
    message: str


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of :meth:`AuditLog.check`."""

    path: Path
    records: int
    first_seq: int
    last_seq: int
    head: str
    legacy_through: int  # the last record checked with the old SHA-256 chain (0: none)
    seal_seq: int  # the record that sealed them (``wijknet audit seal``; 0: none)
    sealed_by: str  # who sealed them
    cut_through: int  # records up to this one were removed by a recorded cut (0: none)
    compared: tuple[str, ...]  # the checkpoints the log was compared with, as phrases
    findings: tuple[Finding, ...]

    @property
    def intact(self) -> bool:
        return not self.findings

    @property
    def first_broken(self) -> int | None:
        """The lowest sequence number a finding names (``None`` when intact)."""
        return min((f.seq for f in self.findings), default=None) if self.findings else None

    def summary(self) -> list[str]:
        """Sentences for the administrator: the findings, or what was checked when there are none."""
        if self.findings:
            return [f.message for f in self.findings]
        span = f" ({self.first_seq}–{self.last_seq})" if self.records else ""
        lines = [f"The audit log is intact: {self.records} records{span}, head {self.head[:16]}…."]
        if self.legacy_through:
            lines.append(f"Records {max(self.first_seq, 1)}–{self.legacy_through} were written before the keyed chain: "
                         f"they cannot be verified with the audit key. Record {self.seal_seq} seals them as they were "
                         f"then (`wijknet audit seal` by {self.sealed_by}); from there on every record carries the "
                         "keyed MAC.")
        if self.cut_through:
            lines.append(f"Records 1–{self.cut_through} were removed by a recorded cut (retention).")
        if self.compared:
            lines.extend(f"It matches {c}." for c in self.compared)
        else:
            lines.append("No checkpoint to compare with: a cut-off tail or a replaced file cannot be ruled out; "
                         "pass --checkpoint with a copy shipped off this host.")
        return lines


class _Findings:
    def __init__(self) -> None:
        self.items: list[Finding] = []
        self.extra: dict[str, list[int]] = {}

    def add(self, kind: str, seq: int, message: str) -> None:
        if sum(f.kind == kind for f in self.items) >= _MAX_PER_KIND:
            self.extra.setdefault(kind, []).append(seq)
        else:
            self.items.append(Finding(kind, seq, message))

    def done(self) -> tuple[Finding, ...]:
        for kind, seqs in self.extra.items():
            self.items.append(Finding(kind, seqs[0], said("said.audit.more", "…and {n} more records like that "
                                                          "({kind}), up to record {last}.", n=str(len(seqs)),
                                                          kind=kind, last=str(seqs[-1]))))
        return tuple(self.items)


class AuditLog:
    """An append-only audit log in one SQLite file.

    ``keys`` default to the key files of the settings (read on first use). ``checkpoint_file`` and
    ``checkpoint_every`` make the log append a signed checkpoint every that many records (0: never by itself);
    ``on_checkpoint`` is then called with each one, e.g. to store it in the graph too (the app does). Its failure
    is logged, not raised: the record and the file's checkpoint are written by then.
    """

    def __init__(self, path: Path, *, keys: AuditKeys | None = None, checkpoint_file: Path | None = None,
                 checkpoint_every: int = 0) -> None:
        self.path = Path(path)
        self._keys = keys
        self.checkpoint_file = checkpoint_file
        self.checkpoint_every = checkpoint_every
        self.on_checkpoint: Callable[[Checkpoint], None] | None = None
        self._lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        self._writer_file: tuple[int, int] | None = None  # (device, inode) the writer has open
        self._schema_checked = -1  # the writer's schema version last found to be the log's own (-1: none yet)

    @property
    def keys(self) -> AuditKeys:
        if self._keys is None:
            self._keys = AuditKeys.from_settings()
        return self._keys

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
        self._schema_checked = -1

    @property
    def head_path(self) -> Path:
        return self.path.with_name(self.path.name + ".head")

    def _connect(self) -> sqlite3.Connection:
        try:
            private_file(self.path)  # 0600 before SQLite creates it (its journal inherits the mode)
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            if not _schema_current(conn):
                # Created or upgraded under the write lock: two connections opening a new (or old) log at once
                # would otherwise both add the same column, and one of them fail.
                conn.executescript("BEGIN IMMEDIATE;" + _SCHEMA)
                have = {row[1] for row in conn.execute("PRAGMA table_info(audit)")}
                for col in _EXTENDED:  # logs written by the first version lack these columns
                    if col not in have:
                        conn.execute(_add_column(col))
                conn.execute("COMMIT")
            return conn
        except (sqlite3.Error, OSError) as exc:
            raise _unavailable(self.path) from exc

    def _read_connection(self) -> sqlite3.Connection | None:
        """A read-only connection that creates nothing (``None`` when there is no file)."""
        if not self.path.exists():
            return None
        try:
            return sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, timeout=10)
        except sqlite3.Error as exc:
            raise WijknetError(f"The audit log {self.path} cannot be opened ({exc}).") from None

    # -- writing ---------------------------------------------------------------------------------------------
    def _seal(self, conn: sqlite3.Connection, key: bytes) -> str:
        """The log id; a new (empty) log is sealed here, with its first record.

        A log with records but no seal was written before the keyed chain, or its seal was removed: sealing it
        now would make whatever is in it pass, a plain SHA-256 chain an intruder recomputed included. So nothing
        is written until an administrator seals it explicitly (:meth:`seal`).
        """
        row = conn.execute("SELECT value FROM audit_meta WHERE name = 'chain'").fetchone()
        if row:
            return str(json.loads(row[0])["log_id"])
        n = int(conn.execute("SELECT count(*) FROM audit").fetchone()[0])
        if n:
            raise AuditUnavailable(said(
                "said.audit.unsealed_write", "The audit log {path} has {n} records but no seal, so nothing is "
                "written and no data is shown: it was written before the keyed chain, or its seal was removed. Ask "
                "the administrator to check it (`wijknet audit verify`) and, if it predates the keyed chain, to seal "
                "it (`wijknet audit seal --as ACCOUNT`).", path=str(self.path), n=str(n)))
        return self._new_seal(conn, key, 1)

    @staticmethod
    def _new_seal(conn: sqlite3.Connection, key: bytes, keyed_from: int) -> str:
        value = json.dumps({"log_id": secrets.token_hex(16), "keyed_from": keyed_from}, sort_keys=True)
        conn.execute("INSERT INTO audit_meta (name, value, mac) VALUES ('chain', ?, ?)", (value, _seal_mac(key, value)))
        return str(json.loads(value)["log_id"])

    def _append(self, conn: sqlite3.Connection, key: bytes, log_id: str, rec: AuditRecord
                ) -> tuple[int, str, AuditRecord]:
        # Inside the write transaction, so no schema change can come between the check and the insert; the full
        # check only when the schema changed since the last one (PRAGMA schema_version: one number to read).
        version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
        if version != self._schema_checked:
            if problems := _schema_problems(conn):
                raise _foreign_schema(self.path, problems)
            self._schema_checked = version
        row = conn.execute("SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (int(row[0]) + 1, str(row[1])) if row else (1, GENESIS)
        if row is not None and _before(rec.at, str(row[2])):
            # Stamped before this writer held the log: another one committed since. The clock read again now,
            # inside the write transaction, is later than that record unless the clock itself went back —
            # which the check then reports (a record dated before the one it follows).
            rec = replace(rec, at=datetime.now(UTC).isoformat(timespec="milliseconds"))
        digest = _mac(key, log_id, seq, prev, rec)
        cur = conn.execute(
            f"INSERT INTO audit (seq, {', '.join(_COLUMNS)}, prev_hash, hash) "  # noqa: S608 - fixed names
            f"VALUES ({', '.join('?' * (len(_COLUMNS) + 3))})",
            (seq, *asdict(rec).values(), prev, digest),
        )
        stored = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
        if cur.rowcount != 1 or stored is None or str(stored[0]) != digest:  # a record is written as made, or not at all
            raise AuditUnavailable(said("said.audit.not_stored", "The audit log {path} did not store record {seq} as "
                                        "it was written, so no data is shown. Ask the administrator to check it "
                                        "(`wijknet audit verify`).", path=str(self.path), seq=str(seq)))
        return seq, digest, rec

    @staticmethod
    def _make(user: str, role: str, organisation: str, action: str, target: str, purpose: str, result: str,
              detail: str, on_behalf_of: str, access_point: str, trace_id: str) -> AuditRecord:
        values = [escape_field(v) for v in (user, role, organisation or "", action, target or "", purpose or "",
                                             result, detail or "", on_behalf_of, access_point, trace_id)]
        return AuditRecord(datetime.now(UTC).isoformat(timespec="milliseconds"), *values)

    def record(self, *, user: str, role: str, organisation: str, action: str, target: str = "",
               purpose: str = "", result: str = "ok", detail: str = "", on_behalf_of: str = "",
               access_point: str = "", trace_id: str = "") -> AuditRecord:
        """Append one record; raise :class:`AuditUnavailable` if it cannot be stored."""
        return self._store([self._make(user, role, organisation, action, target, purpose, result, detail,
                                       on_behalf_of, access_point, trace_id)])[0]

    def record_each(self, targets: Sequence[str], *, user: str, role: str, organisation: str, action: str,
                    purpose: str = "", result: str = "ok", detail: str = "", on_behalf_of: str = "",
                    access_point: str = "", trace_id: str = "") -> int:
        """One record per target (a list that names several households: who looked at each), appended in one
        transaction — all or none; raise :class:`AuditUnavailable` if they cannot be stored. Returns how many."""
        return len(self._store([self._make(user, role, organisation, action, t, purpose, result, detail,
                                           on_behalf_of, access_point, trace_id) for t in targets]))

    def _store(self, recs: list[AuditRecord]) -> list[AuditRecord]:
        """Append ``recs`` in one write transaction (all or none); the records as stored (a time stamp may be
        taken again, see :meth:`_append`)."""
        if not recs:
            return []
        with self._lock:
            try:
                key = self.keys.mac_key()
                conn = self._writing_connection()
                conn.execute("BEGIN IMMEDIATE")
                log_id = self._seal(conn, key)
                appended = [self._append(conn, key, log_id, rec) for rec in recs]
                conn.execute("COMMIT")
                first, (seq, digest, _) = appended[0][0], appended[-1]
                self._write_head(key, log_id, seq, digest)
                every = self.checkpoint_every
                if self.checkpoint_file is not None and every and seq // every > (first - 1) // every:
                    self._checkpoint(conn, log_id, seq, digest)  # a multiple of ``every`` lies in first..seq
            except AuditUnavailable:
                self.close()  # a log without a seal, or not the log's own schema (said why): nothing written
                raise
            except (sqlite3.Error, OSError, WijknetError) as exc:
                self.close()  # rolls back an open transaction; the next record reopens
                raise _unavailable(self.path) from exc
        return [rec for _, _, rec in appended]

    def _write_head(self, key: bytes, log_id: str, seq: int, digest: str) -> None:
        """Copy the head beside the log with its own MAC, atomically: every log object on this file (the app's,
        the CLI's, concurrent imports') writes the head after its commit."""
        line = f"{seq} {digest} {log_id} {_head_mac(key, log_id, seq, digest)}\n"
        replace_private(self.head_path, line.encode())

    def _checkpoint(self, conn: sqlite3.Connection, log_id: str, seq: int, digest: str) -> Checkpoint:
        assert self.checkpoint_file is not None
        count = int(conn.execute("SELECT count(*) FROM audit WHERE seq <= ?", (seq,)).fetchone()[0])
        cp = Checkpoint(log_id, seq, digest, count, datetime.now(UTC).isoformat(timespec="seconds"))
        cp = cp.signed(self.keys.signer())
        append_checkpoint(self.checkpoint_file, cp)
        if self.on_checkpoint is not None:
            try:
                self.on_checkpoint(cp)
            except Exception as exc:  # noqa: BLE001 - a second copy failing must not undo the first
                logging.getLogger("wijknet").warning("audit checkpoint %s not stored elsewhere: %s", cp.seq, exc)
        return cp

    def checkpoint(self) -> Checkpoint:
        """A signed checkpoint of the current head, appended to the checkpoint file (when the log has one)."""
        with self._lock:
            try:
                conn = self._writing_connection()
                row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                meta = conn.execute("SELECT value FROM audit_meta WHERE name = 'chain'").fetchone()
                if not row or not meta:
                    raise WijknetError(f"The audit log {self.path} has no keyed records yet: write one first.")
                log_id = str(json.loads(meta[0])["log_id"])
                if self.checkpoint_file is not None:
                    return self._checkpoint(conn, log_id, int(row[0]), str(row[1]))
                count = int(conn.execute("SELECT count(*) FROM audit").fetchone()[0])
                cp = Checkpoint(log_id, int(row[0]), str(row[1]), count, datetime.now(UTC).isoformat(timespec="seconds"))
                return cp.signed(self.keys.signer())
            except (sqlite3.Error, OSError) as exc:
                self.close()
                raise _unavailable(self.path) from exc

    def cut(self, before: datetime, *, user: str, role: str, organisation: str, on_behalf_of: str = "",
            access_point: str = "", trace_id: str = "") -> tuple[int, int]:
        """Remove the records made before ``before`` by a recorded cut; return (last removed seq, how many).

        In one transaction: append a keyed ``audit_cut`` record naming the sequence number and MAC of the last
        removed record, then delete the records up to it. The first remaining record links to that MAC, so
        :meth:`check` tells this cut from a silent delete. Nothing to remove: nothing is written.
        """
        bound = before.astimezone(UTC).isoformat(timespec="milliseconds")
        with self._lock:
            try:
                key = self.keys.mac_key()
                conn = self._writing_connection()
                conn.execute("BEGIN IMMEDIATE")
                log_id = self._seal(conn, key)
                row = conn.execute("SELECT seq, hash FROM audit WHERE at < ? ORDER BY seq DESC LIMIT 1",
                                   (bound,)).fetchone()
                if not row:
                    conn.execute("COMMIT")
                    return (0, 0)
                through, through_mac = int(row[0]), str(row[1])
                removed = int(conn.execute("SELECT count(*) FROM audit WHERE seq <= ?", (through,)).fetchone()[0])
                detail = json.dumps({"through_seq": through, "through_mac": through_mac, "removed": removed,
                                     "before": bound}, sort_keys=True)
                rec = self._make(user, role, organisation, CUT_ACTION, "", "retention", "ok", detail,
                                 on_behalf_of, access_point, trace_id)
                seq, digest, _ = self._append(conn, key, log_id, rec)
                # The trigger is lifted inside the transaction only: no other writer ever sees it missing.
                conn.execute("DROP TRIGGER audit_no_delete")
                conn.execute("DELETE FROM audit WHERE seq <= ?", (through,))
                conn.execute(_NO_DELETE)
                conn.execute("COMMIT")
                self._write_head(key, log_id, seq, digest)
                if self.checkpoint_file is not None:
                    self._checkpoint(conn, log_id, seq, digest)
            except AuditUnavailable:
                self.close()
                raise
            except (sqlite3.Error, OSError, WijknetError) as exc:
                self.close()
                raise _unavailable(self.path) from exc
        return through, removed

    def seal(self, *, user: str, role: str, organisation: str, on_behalf_of: str = "", access_point: str = "",
             trace_id: str = "") -> int:
        """Seal a log whose first records were written without the key; return the last of them (0: none).

        An explicit act of the administrator (``wijknet audit seal``, :func:`queries.audit_seal.seal_audit_log`),
        never a side effect of a write: a keyed ``audit_seal`` record names the last record kept without the key
        and its hash, so those records can no longer change, and :meth:`check` reports them as sealed by this
        record rather than verified. For a log that has no seal it writes the seal too (keyed from that record
        on); for one sealed by a write of an earlier version (its first records kept without a seal record) it
        appends the record. Nothing to seal (a new log, or one sealed already): nothing is written.
        """
        with self._lock:
            try:
                key = self.keys.mac_key()
                conn = self._writing_connection()
                conn.execute("BEGIN IMMEDIATE")
                meta = conn.execute("SELECT value FROM audit_meta WHERE name = 'chain'").fetchone()
                if meta:
                    log_id, through = str(json.loads(meta[0])["log_id"]), int(json.loads(meta[0])["keyed_from"]) - 1
                    row = conn.execute("SELECT seq, hash FROM audit WHERE seq = ?", (through,)).fetchone()
                    if row is not None and any(_seal_names(d, through, str(row[1])) for (d,) in conn.execute(
                            "SELECT detail FROM audit WHERE action = ? AND seq > ?", (SEAL_ACTION, through))):
                        row = None  # sealed already
                else:
                    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                    log_id = self._new_seal(conn, key, int(row[0]) + 1) if row else ""
                if row is None:
                    conn.execute("ROLLBACK" if not meta else "COMMIT")
                    return 0
                through, through_mac = int(row[0]), str(row[1])
                kept = int(conn.execute("SELECT count(*) FROM audit WHERE seq <= ?", (through,)).fetchone()[0])
                detail = json.dumps({"through_seq": through, "through_mac": through_mac, "kept_without_key": kept},
                                    sort_keys=True)
                rec = self._make(user, role, organisation, SEAL_ACTION, "", "log_integrity", "ok", detail,
                                 on_behalf_of, access_point, trace_id)
                seq, digest, _ = self._append(conn, key, log_id, rec)
                conn.execute("COMMIT")
                self._write_head(key, log_id, seq, digest)
                if self.checkpoint_file is not None:
                    self._checkpoint(conn, log_id, seq, digest)
            except (sqlite3.Error, OSError, WijknetError) as exc:
                self.close()
                raise _unavailable(self.path) from exc
        return through

    # -- reading ---------------------------------------------------------------------------------------------
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

    def sealed(self) -> bool:
        """Whether the log has its seal (a new log gets it with its first record)."""
        conn = self._read_connection()
        if conn is None:
            return False
        try:
            return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit_meta'").fetchone() is not None and \
                conn.execute("SELECT 1 FROM audit_meta WHERE name = 'chain'").fetchone() is not None
        finally:
            conn.close()

    def head(self) -> tuple[int, str]:
        """(sequence number, MAC) of the last record."""
        conn = self._connect()
        try:
            row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            conn.close()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def verify(self) -> int | None:
        """The chain and the head copy only: the first broken sequence number, or ``None``.

        See :meth:`check` for the full report, with checkpoints.
        """
        return self.check().first_broken

    def check(self, checkpoints: Sequence[tuple[str, Checkpoint]] = (),
              public_key: Ed25519PublicKey | None = None) -> AuditCheck:
        """Check the chain, the head copy and each ``(where, checkpoint)``; report every finding.

        ``where`` names the checkpoint's origin in sentences ("the checkpoint file /x"). Signatures are checked
        with ``public_key``, by default this host's own signing key.
        """
        found = _Findings()
        conn = self._read_connection()
        try:
            scan = _Scan(self, conn, {cp.seq for _, cp in checkpoints}, found)
        finally:
            if conn is not None:
                conn.close()
        compared: dict[str, tuple[int, str]] = {}  # per place, the furthest checkpoint that matched

        def matched(where: str, seq: int, phrase: str) -> None:
            if seq >= compared.get(where, (-1, ""))[0]:
                compared[where] = (seq, phrase)

        host_key = public_key
        before: dict[tuple[str, str], Checkpoint] = {}  # per place and log, the checkpoint given before
        for where, cp in checkpoints:
            if (prev := before.get((where, cp.log_id))) is not None and (cp.seq <= prev.seq or cp.at < prev.at):
                # checkpoints are written going forward; one that repeats or goes back was copied or moved there
                # (a copy of an older line appended hid a cut-off tail from a check of the last line only)
                found.add("replayed", cp.seq, said(
                    "said.audit.replayed", "The checkpoint of {at} (through record {seq}) stands in {where} after the "
                    "one of {prev_at} (through record {prev_seq}): checkpoints only go forward, so a line was copied or "
                    "moved, as is done to hide a cut-off tail.", where=where, at=str(cp.at), seq=str(cp.seq),
                    prev_at=str(prev.at), prev_seq=str(prev.seq)))
            before[(where, cp.log_id)] = cp if prev is None or cp.seq > prev.seq else prev
            if host_key is None:
                host_key = self.keys.public_key()
            at, n, seq = str(cp.at), str(cp.records), str(cp.seq)  # plain numbers, as a record is named
            phrase = said("said.audit.phrase", "the checkpoint of {at} in {where} ({n} records, through record {seq})",
                          at=at, where=where, n=n, seq=seq)
            claims = said("said.audit.claims", "the checkpoint of {at} in {where} counts {n} records, through record "
                          "{seq}", at=at, where=where, n=n, seq=seq)
            if host_key is None:
                found.add("unverifiable", cp.seq, said("said.audit.unverifiable", "The checkpoint of {at} in {where} "
                                                       "cannot be checked: this host has no signing key; pass "
                                                       "--public-key.", at=at, where=where))
                continue
            if not cp.signature_ok(host_key):
                found.add("forged", cp.seq, said("said.audit.forged", "The signature of the checkpoint of {at} in "
                                                 "{where} does not verify with the audit signing key: it was forged "
                                                 "or damaged, so it proves nothing.", at=at, where=where))
                continue
            if scan.records == 0:
                if cp.records:
                    found.add("emptied", 1, said("said.audit.emptied_claims", "The audit log has no records (its "
                                                 "table was emptied or dropped, or the file removed), but {claims}.",
                                                 claims=claims))
                continue
            if scan.log_id is None:
                found.add("seal_removed", 0, said("said.audit.unsealed_checkpoint", "The audit log has no seal, but "
                                              "{phrase} is of the sealed log {other}: its seal was removed.",
                                              phrase=phrase, other=str(cp.log_id)))
                continue
            if cp.log_id != scan.log_id:
                found.add("replaced", 0, said("said.audit.replaced", "The audit log file was replaced: it is log "
                                              "{log}, but {phrase} is of log {other}.", log=str(scan.log_id),
                                              phrase=phrase, other=str(cp.log_id)))
                continue
            if cp.seq > scan.last_seq:
                found.add("truncated", scan.last_seq + 1, said(
                    "said.audit.truncated_claims", "The audit log was truncated: it ends at record {last}, but "
                    "{claims}.", last=str(scan.last_seq), claims=claims))
                continue
            if cp.seq < scan.first_seq:
                if scan.cut_through >= cp.seq:
                    matched(where, cp.seq, said("said.audit.phrase_cut", "{phrase}, removed since by a recorded cut",
                                                phrase=phrase))
                continue  # otherwise the missing start is reported already
            mac = scan.macs.get(cp.seq)
            if mac is None:
                continue  # a gap, reported already
            if mac != cp.head:
                found.add("altered", cp.seq, said("said.audit.differs", "Record {seq} differs from {phrase}: the log "
                                                  "was rewritten up to there.", seq=seq, phrase=phrase))
                continue
            matched(where, cp.seq, phrase)
        return AuditCheck(self.path, scan.records, scan.first_seq, scan.last_seq, scan.last_mac,
                          scan.legacy_through, scan.seal_seq, scan.sealed_by, scan.cut_through,
                          tuple(phrase for _, phrase in compared.values()), found.done())


class _Scan:
    """One pass over the log: the chain, the seal, recorded cuts, the head file (findings go to ``found``)."""

    def __init__(self, log: AuditLog, conn: sqlite3.Connection | None, wanted: set[int], found: _Findings) -> None:
        self.log, self.found = log, found
        self.records = self.first_seq = self.last_seq = self.legacy_through = self.seal_seq = self.cut_through = 0
        self.sealed_by = ""
        self.last_mac = GENESIS
        self.log_id: str | None = None
        self.macs: dict[int, str] = {}
        # The head first, then the log in one read transaction: the head is written after each commit, so a
        # record committed while the check runs can never make the head look ahead of the log.
        self.head = self._parse_head()
        if conn is not None:
            conn.execute("BEGIN")
            if problems := _schema_problems(conn):
                self.found.add("foreign_schema", 0, said(
                    "said.audit.foreign_schema_found", "The audit log holds schema objects that are not its own "
                    "({objects}): a trigger added beside the log's own can drop or change records as they are written "
                    "(the next record then closes the chain over the gap). Nothing is written to it until they are "
                    "removed; records written while they were there may be missing.", objects=", ".join(problems)))
        if conn is not None and self._has_table(conn, "audit"):
            self._walk(conn, wanted)
        elif conn is not None and self._seal(conn) < _UNSEALED:
            self._sealed_but_empty()
        self._head_file()

    def _sealed_but_empty(self) -> None:
        # A log is sealed by its first keyed record and a cut always leaves its own record: a sealed log without
        # records was emptied, or its table dropped.
        self.found.add("emptied", 1, said("said.audit.emptied_sealed", "The audit log has no records, but it was "
                                          "sealed as log {log}: its table was emptied or dropped.",
                                          log=str(self.log_id)))

    @staticmethod
    def _has_table(conn: sqlite3.Connection, name: str) -> bool:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() \
            is not None

    def _seal(self, conn: sqlite3.Connection) -> int:
        """The first keyed sequence number (:data:`_UNSEALED` when the log has no seal)."""
        unsealed = _UNSEALED
        row = conn.execute("SELECT value, mac FROM audit_meta WHERE name = 'chain'").fetchone() \
            if self._has_table(conn, "audit_meta") else None
        if row is None:
            return unsealed
        value, mac = str(row[0]), str(row[1])
        if not hmac.compare_digest(_seal_mac(self.log.keys.mac_key(create=False), value), mac):
            self.found.add("altered", 0, said("said.audit.seal_altered", "The audit log's seal (its log id and where "
                                              "the keyed chain starts) was altered: its MAC does not match."))
        try:
            meta = json.loads(value)
            self.log_id = str(meta["log_id"])
            return int(meta["keyed_from"])
        except (ValueError, KeyError, TypeError):
            return unsealed

    def _walk(self, conn: sqlite3.Connection, wanted: set[int]) -> None:
        keyed_from = self._seal(conn)
        have = {row[1] for row in conn.execute("PRAGMA table_info(audit)")}
        cols = ", ".join(c if c in have else f"'' AS {c}" for c in _COLUMNS)
        cuts: dict[int, str] = {}
        seals: dict[int, tuple[int, str, str]] = {}  # through_seq: (the seal record, through_mac, who sealed)
        for seq, action, user, detail in conn.execute("SELECT seq, action, user, detail FROM audit WHERE action IN "
                                                      "(?, ?)", (CUT_ACTION, SEAL_ACTION)):
            try:
                d = json.loads(detail)
                through, through_mac = int(d["through_seq"]), str(d["through_mac"])
            except (ValueError, KeyError, TypeError):
                continue  # a forged cut or seal record also fails its MAC below
            if action == CUT_ACTION:
                cuts[through] = through_mac
            elif int(seq) >= keyed_from:  # a seal record is keyed, or it is none
                seals[through] = (int(seq), through_mac, str(user))
        prev_seq: int | None = None
        prev, prev_at = GENESIS, ""
        wanted = wanted | self._head_seq() | {keyed_from - 1}
        for row in conn.execute(f"SELECT seq, {cols}, prev_hash, hash FROM audit ORDER BY seq"):  # noqa: S608
            seq, rec, prev_hash, digest = int(row[0]), AuditRecord(*row[1:-2]), str(row[-2]), str(row[-1])
            self.records += 1
            if prev_seq is None:
                self.first_seq = seq
                if seq != 1:
                    if cuts.get(seq - 1) == prev_hash:
                        self.cut_through = seq - 1
                    else:
                        self.found.add("unrecorded_cut", 1, said(
                            "said.audit.unrecorded_cut", "Records 1–{last} are missing without a recorded cut (the "
                            "log starts at record {seq}): they were deleted.", last=str(seq - 1), seq=str(seq)))
                    prev = prev_hash
            elif seq != prev_seq + 1:
                gap = (said("said.audit.one_missing", "record {seq} is missing", seq=str(prev_seq + 1))
                       if seq == prev_seq + 2 else said("said.audit.some_missing", "records {first}–{last} are missing",
                                                        first=str(prev_seq + 1), last=str(seq - 1)))
                self.found.add("missing", prev_seq + 1, said("said.audit.gap", "The audit log has a gap: {gap} "
                                                             "(deleted from the middle).", gap=gap))
                prev = prev_hash
            if prev_hash != prev:
                self.found.add("broken", seq, said("said.audit.broken", "The chain is broken at record {seq}: it does "
                                                   "not link to the record before it.", seq=str(seq)))
            if seq < keyed_from:
                expected, what = _hash(prev_hash, rec), "hash"
                self.legacy_through = seq
            else:
                if self.log_id is None:
                    raise AssertionError("unreachable: keyed records need a seal")
                expected, what = _mac(self.log.keys.mac_key(create=False), self.log_id, seq, prev_hash, rec), "MAC"
            if not hmac.compare_digest(expected, digest):
                self.found.add("altered", seq, said("said.audit.record_altered_hash", "The audit log's record {seq} "
                                                    "was altered: its hash does not match its content.", seq=str(seq))
                               if what == "hash" else
                               said("said.audit.record_altered_mac", "The audit log's record {seq} was altered: its "
                                    "MAC does not match its content.", seq=str(seq)))
            if seq in wanted:
                self.macs[seq] = digest
            if prev_seq is not None and _before(rec.at, prev_at):
                self.found.add("clock", seq, said(
                    "said.audit.clock_back", "Record {seq} is dated {at}, before record {prev} ({prev_at}): the system "
                    "clock was set back, so the order of the records in time cannot be trusted from there.",
                    seq=str(seq), at=rec.at, prev=str(prev_seq), prev_at=prev_at))
            prev, prev_seq, prev_at = digest, seq, rec.at
        self.last_seq, self.last_mac = prev_seq or 0, prev
        if not self.records and keyed_from < _UNSEALED:
            self._sealed_but_empty()
        if self.records and keyed_from == _UNSEALED:
            self.found.add("unsealed", self.first_seq, said(
                "said.audit.seal_missing", "The audit log has no seal: its {n} records carry only the old SHA-256 "
                "chain, which anyone with the file can recompute. Either it was written before the keyed chain, or "
                "its seal was removed; check it against a checkpoint shipped off this host before an administrator "
                "seals it with `wijknet audit seal --as ACCOUNT`.", n=str(self.records)))
        elif self.legacy_through:
            self._legacy_sealed(keyed_from - 1, seals.get(keyed_from - 1))

    def _legacy_sealed(self, through: int, seal: tuple[int, str, str] | None) -> None:
        """Records before the keyed chain pass only with the record of the administrator who sealed them."""
        if seal is not None and self.macs.get(through) == seal[1]:
            self.seal_seq, self.sealed_by = seal[0], seal[2]
            return
        self.found.add("unsealed", max(self.first_seq, 1), said(
            "said.audit.seal_unconfirmed", "Records {first}–{last} were written before the keyed chain, and no seal "
            "record (`wijknet audit seal`) names them: they cannot be verified with the audit key. Check them "
            "against a checkpoint or backup kept off this host, then seal them with `wijknet audit seal --as "
            "ACCOUNT`.", first=str(max(self.first_seq, 1)), last=str(self.legacy_through)))

    def _head_seq(self) -> set[int]:
        return {self.head.seq} if self.head else set()

    def _parse_head(self) -> _Head | None:
        return _Head.read(self.log.head_path)

    def _head_file(self) -> None:
        """The head file names the last record with a MAC of its own (log id, sequence number, record MAC): a tail
        cut off needs a head that names an earlier record, which cannot be written without the key."""
        head, path = self.head, str(self.log.head_path)
        if head is None:
            if self.records and self.log_id is not None:
                # A first record's head is written just after its commit: look once more before calling it removed.
                again = self._parse_head()
                if again is None or not again.keyed_ok(self.log.keys.mac_key(create=False)) \
                        or again.log_id != self.log_id:
                    self.found.add("head", self.last_seq + 1, said(
                        "said.audit.head_missing", "The head file {path} is missing, but the audit log has {n} "
                        "records: it was removed, which hides a cut-off tail.", path=path, n=str(self.records)))
            return
        if head.seq < 0:
            self.found.add("head", self.last_seq + 1, said("said.audit.head_unreadable", "The head file {path} is "
                                                           "unreadable.", path=path))
            return
        if not head.head_mac:
            self.found.add("head_unkeyed", self.last_seq + 1, said(
                "said.audit.head_unkeyed", "The head file {path} carries no MAC: it was rewritten without the audit "
                "key, or not renewed since the version before the keyed head (the next record renews it; `wijknet "
                "audit checkpoint` writes one at once).", path=path))
        elif not head.keyed_ok(self.log.keys.mac_key(create=False)):
            self.found.add("head", self.last_seq + 1, said(
                "said.audit.head_forged", "The head file {path} was rewritten: its MAC does not match (it cannot be "
                "written without the audit key).", path=path))
        elif self.log_id is None and self.records:
            self.found.add("seal_removed", 0, said(
                "said.audit.unsealed_head", "The audit log has no seal, but its head file {path} is of the sealed log "
                "{other}: its seal was removed.", path=path, other=head.log_id))
        elif self.log_id is not None and head.log_id != self.log_id:
            self.found.add("replaced", 0, said(
                "said.audit.head_other_log", "The audit log file was replaced: it is log {log}, but its head file "
                "{path} is of log {other}.", log=str(self.log_id), path=path, other=head.log_id))
        if head.seq > self.last_seq:
            self.found.add("truncated", self.last_seq + 1, said(
                "said.audit.truncated_head", "The audit log was truncated: it ends at record {last}, but its head "
                "file names record {seq}.", last=str(self.last_seq), seq=str(head.seq)))
        elif head.seq in self.macs and self.macs[head.seq] != head.mac:
            self.found.add("altered", head.seq, said("said.audit.differs_head", "Record {seq} differs from the head "
                                                     "file: the log was rewritten.", seq=str(head.seq)))


def default_audit_log() -> AuditLog:
    """The deployment's audit log. Its periodic checkpoints go to the graph too (when it is reachable): a
    checkpoint crossed by a command line run reached only the checkpoint file, the copy in the state directory
    that someone who cuts the log can rewrite as well (an outside test of 06-12-2026). The app hands its own
    connection (:func:`app.state.get_audit`)."""
    from graph.settings import load_settings

    s = load_settings()
    log = AuditLog(s.state_dir / "audit.sqlite", checkpoint_file=s.audit_checkpoint_file,
                   checkpoint_every=s.audit_checkpoint_every)
    log.on_checkpoint = _to_graph
    return log


def _to_graph(cp: Checkpoint) -> None:
    """Store ``cp`` in the deployment's graph over a connection of its own (not starting a local server)."""
    from graph.db import connect
    from queries.audit_checkpoint import write_checkpoint_to_graph

    db = connect(start=False)
    try:
        write_checkpoint_to_graph(db, cp)
    finally:
        db.close()
