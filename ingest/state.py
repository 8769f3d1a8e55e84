"""Stage *state*: the SQLite side store of ingest, ``<state dir>/ingest.sqlite``, outside the graph.

It holds what is about the loading process, not facts about households:

* the **change digests** of every record loaded, per ledger epoch (:mod:`ingest.ledger`): an unchanged record
  is not sent again, a re-run after a crash completes only the missing batches;
* the **row keys** of the last completed import per mapping, and where each row landed in the graph: the rows
  that vanished from a newer export (:func:`ingest.ledger.vanished`);
* the **erasure register**: a keyed digest (:meth:`ingest.pseudonym.Pseudonymiser.erased`) of every person and
  household id erased (:mod:`queries.privacy`), never the id: a later import skips rows about them;
* the **review list** of possible duplicates and the **merges** accepted from it (:mod:`ingest.merge`): only
  person ids and a keyed hash of name + birth date (the match key), never a name or a date.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.files import private_file
from ingest.rows import record_digest, record_key

__all__ = ["ReviewItem", "StateStore", "known_digests"]


def known_digests(con: sqlite3.Connection, epoch: str, source: str, kind: str, keys: Sequence[str]
                  ) -> dict[str, str]:
    """The digest stored at the last load for each of ``keys`` that has one (in chunks of 500 parameters)."""
    out: dict[str, str] = {}
    for i in range(0, len(keys), 500):
        part = keys[i:i + 500]
        marks = ",".join("?" * len(part))
        out.update(con.execute(f"SELECT key, digest FROM digests WHERE epoch=? AND source=? AND kind=? "  # noqa: S608
                               f"AND key IN ({marks})", (epoch, source, kind, *part)).fetchall())
    return out


@dataclass(frozen=True)
class ReviewItem:
    id: int
    person_a: str
    person_b: str
    reason: str
    status: str
    created_at: str
    decided_by: str
    decided_at: str


_SCHEMA = """
CREATE TABLE IF NOT EXISTS match_keys (
    match_key TEXT NOT NULL, person_id TEXT NOT NULL, has_bsn INTEGER NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (match_key, person_id));
CREATE TABLE IF NOT EXISTS review (
    id INTEGER PRIMARY KEY AUTOINCREMENT, person_a TEXT NOT NULL, person_b TEXT NOT NULL, reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open', created_at TEXT NOT NULL, decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL DEFAULT '', UNIQUE (person_a, person_b));
CREATE TABLE IF NOT EXISTS digests (
    epoch TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, digest TEXT NOT NULL,
    PRIMARY KEY (epoch, source, kind, key));
CREATE TABLE IF NOT EXISTS merged (
    merged_id TEXT PRIMARY KEY, survivor_id TEXT NOT NULL, review_id INTEGER, merged_by TEXT NOT NULL,
    merged_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS row_keys (
    mapping TEXT NOT NULL, run TEXT NOT NULL, key TEXT NOT NULL, target TEXT,
    PRIMARY KEY (mapping, run, key));
CREATE TABLE IF NOT EXISTS erased (digest TEXT PRIMARY KEY, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS row_snapshot (
    mapping TEXT PRIMARY KEY, run TEXT NOT NULL, epoch TEXT NOT NULL, file TEXT NOT NULL, loaded_at TEXT NOT NULL);
"""


class StateStore:
    """The SQLite side store of ingest: review list, match keys and per-record digests."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        private_file(self.path)  # 0600 before SQLite creates it (its -wal and -shm files inherit the mode)
        self._lock = threading.Lock()
        with self._connect() as con:
            con.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One connection per use, committed and always closed (an unclosed one leaks a ResourceWarning).

        ``synchronous=NORMAL``: in WAL mode a commit is not synced to disk, only checkpoints are; a power cut may
        lose the last commits, never corrupt the file. What is lost is redone by the next import (a digest
        missing makes a record be written again; the graph is the truth)."""
        con = sqlite3.connect(self.path, timeout=30)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            yield con
            con.commit()
        finally:
            con.close()

    # --- change digests -------------------------------------------------------------------------------
    def changed(self, epoch: str, source: str, records: list[tuple[str, dict[str, Any]]]
                ) -> Iterator[tuple[str, dict[str, Any], str, str]]:
        """Yield ``(kind, record, key, digest)`` for records that differ from what was last loaded."""
        with self._connect() as con:
            for i in range(0, len(records), 500):
                chunk = [(k, r, record_key(k, r), record_digest(r)) for k, r in records[i:i + 500]]
                known = {kind: known_digests(con, epoch, source, kind, [c[2] for c in chunk if c[0] == kind])
                         for kind in {c[0] for c in chunk}}
                for kind, rec, key, digest in chunk:
                    if known[kind].get(key) != digest:
                        yield kind, rec, key, digest

    def remember(self, epoch: str, source: str, rows: list[tuple[str, str, str]]) -> None:
        """Record ``(kind, key, digest)`` as loaded (called only after the batch committed)."""
        with self._lock, self._connect() as con:
            con.executemany("INSERT OR REPLACE INTO digests VALUES (?, ?, ?, ?, ?)",
                            [(epoch, source, k, key, d) for k, key, d in rows])

    def forget_other_epochs(self, epoch: str) -> None:
        with self._lock, self._connect() as con:
            con.execute("DELETE FROM digests WHERE epoch <> ?", (epoch,))

    # --- review list ----------------------------------------------------------------------------------
    def add_match_keys(self, rows: Iterable[tuple[str, str, bool, str]]) -> int:
        """Record ``(match_key, person_id, has_bsn, source)``; return how many review items were added."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        added = 0
        with self._lock, self._connect() as con:
            for mk, pid, has_bsn, source in rows:
                con.execute("INSERT OR IGNORE INTO match_keys VALUES (?, ?, ?, ?)", (mk, pid, int(has_bsn), source))
                for other, other_bsn in con.execute(
                        "SELECT person_id, has_bsn FROM match_keys WHERE match_key=? AND person_id<>?", (mk, pid)
                ).fetchall():
                    if has_bsn and other_bsn:
                        continue  # two different BSNs: two people who share a name and a birthday
                    a, b = sorted((pid, other))
                    cur = con.execute("INSERT OR IGNORE INTO review (person_a, person_b, reason, created_at) "
                                      "VALUES (?, ?, ?, ?)", (a, b, "same name and birth date", now))
                    added += cur.rowcount
        return added

    def review_items(self, status: str | None = None) -> list[ReviewItem]:
        with self._connect() as con:
            q = "SELECT id, person_a, person_b, reason, status, created_at, decided_by, decided_at FROM review"
            rows = con.execute(q + (" WHERE status=? ORDER BY id" if status else " ORDER BY id"),
                               (status,) if status else ()).fetchall()
        return [ReviewItem(*r) for r in rows]

    def review_item(self, item_id: int) -> ReviewItem:
        """One item by id; raise ``KeyError`` if there is none."""
        for item in self.review_items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def has_bsn(self, person_id: str) -> bool:
        """Whether any source identified ``person_id`` by a BSN (from the match keys)."""
        with self._connect() as con:
            row = con.execute("SELECT max(has_bsn) FROM match_keys WHERE person_id=?", (person_id,)).fetchone()
        return bool(row and row[0])

    def claim(self, item_id: int, user: str) -> bool:
        """Take an open item for a merge (status ``merging``) before the graph is touched: a decision made in
        between (a second click, another steward) is then refused instead of being undone by the merge. False when
        the item is not open. :meth:`release` gives it back when the merge fails; :meth:`decide` with
        ``claimed=True`` records the outcome."""
        with self._lock, self._connect() as con:
            cur = con.execute("UPDATE review SET status='merging', decided_by=? WHERE id=? AND status='open'",
                              (user, item_id))
            return cur.rowcount == 1

    def release(self, item_id: int) -> None:
        """An item claimed for a merge that did not happen is open again."""
        with self._lock, self._connect() as con:
            con.execute("UPDATE review SET status='open', decided_by='' WHERE id=? AND status='merging'", (item_id,))

    def person_sources(self, person_id: str) -> list[str]:
        """The sources that registered ``person_id`` (from the match keys), what a steward judges a pair by."""
        with self._connect() as con:
            rows = con.execute("SELECT DISTINCT source FROM match_keys WHERE person_id=? ORDER BY source",
                               (person_id,)).fetchall()
        return [r[0] for r in rows]

    def decide(self, item_id: int, accept: bool, user: str, *, survivor: str | None = None,
               merged: str | None = None, claimed: bool = False) -> ReviewItem:
        """Accept (same person) or reject (different people) an open item (one this store claimed for a merge, with
        ``claimed``); raise ``KeyError`` if unknown or not so.

        A rejected pair stays in the table, so the same pair is never proposed again. An accepted pair with
        ``survivor`` records the other person as merged into it (see :meth:`person_aliases`); the graph side of
        the merge is :func:`ingest.merge.accept`.
        """
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._connect() as con:
            cur = con.execute("UPDATE review SET status=?, decided_by=?, decided_at=? WHERE id=? AND status=?",
                              ("accepted" if accept else "rejected", user, now, item_id,
                               "merging" if claimed else "open"))
            if cur.rowcount == 0:
                raise KeyError(item_id)
            if accept and survivor is not None:
                if merged is None:
                    a, b = con.execute("SELECT person_a, person_b FROM review WHERE id=?", (item_id,)).fetchone()
                    merged = b if survivor == a else a
                self._record_merge(con, merged, survivor, item_id, user, now)
        return self.review_item(item_id)

    @staticmethod
    def _record_merge(con: sqlite3.Connection, merged: str, survivor: str, review_id: int | None, user: str,
                      now: str) -> None:
        # Chains stay one step deep: whatever was merged into `merged` now points at the survivor as well.
        con.execute("UPDATE merged SET survivor_id=? WHERE survivor_id=?", (survivor, merged))
        con.execute("INSERT OR REPLACE INTO merged VALUES (?, ?, ?, ?, ?)", (merged, survivor, review_id, user, now))
        # The survivor inherits the merged person's match keys, so the pair is not proposed again.
        con.execute("INSERT OR IGNORE INTO match_keys SELECT match_key, ?, has_bsn, source FROM match_keys "
                    "WHERE person_id=?", (survivor, merged))
        con.execute("DELETE FROM match_keys WHERE person_id=?", (merged,))

    def person_aliases(self) -> dict[str, str]:
        """Merged-away person id → the surviving person id (every accepted merge)."""
        with self._connect() as con:
            return dict(con.execute("SELECT merged_id, survivor_id FROM merged").fetchall())

    def merges(self) -> list[tuple[str, str, int | None, str, str]]:
        """``(merged id, survivor id, review id, merged by, merged at)`` of every merge, oldest first."""
        with self._connect() as con:
            return con.execute("SELECT merged_id, survivor_id, review_id, merged_by, merged_at FROM merged "
                               "ORDER BY merged_at, merged_id").fetchall()

    # --- row keys of the last import per mapping (vanished rows) --------------------------------------
    def stage_row_keys(self, mapping: str, run: str, keys: Iterable[str]) -> None:
        """Remember the row keys of a file being imported (``run`` is one ingest of one file)."""
        with self._lock, self._connect() as con:
            con.executemany("INSERT OR IGNORE INTO row_keys (mapping, run, key) VALUES (?, ?, ?)",
                            ((mapping, run, k) for k in keys))

    def set_targets(self, mapping: str, run: str, targets: Iterable[tuple[str, str]]) -> None:
        """Record ``(row key, graph key)``: where the row landed in the graph after id resolution."""
        with self._lock, self._connect() as con:
            con.executemany("UPDATE row_keys SET target=? WHERE mapping=? AND run=? AND key=?",
                            ((t, mapping, run, k) for k, t in targets))

    def previous_run(self, mapping: str, epoch: str) -> str | None:
        """The run of the last completed import with ``mapping`` into this graph (epoch), if any."""
        with self._connect() as con:
            row = con.execute("SELECT run FROM row_snapshot WHERE mapping=? AND epoch=?", (mapping, epoch)).fetchone()
        return str(row[0]) if row else None

    def run_size(self, mapping: str, run: str) -> int:
        """How many row keys ``run`` of ``mapping`` holds."""
        with self._connect() as con:
            row = con.execute("SELECT count(*) FROM row_keys WHERE mapping=? AND run=?", (mapping, run)).fetchone()
        return int(row[0]) if row else 0

    def vanished(self, mapping: str, previous: str, run: str, *, epoch: str | None = None,
                 source: str | None = None) -> Iterator[tuple[str, str | None]]:
        """``(row key, graph key)`` of rows in the ``previous`` run that are not in ``run``, in key order. With
        ``epoch`` and ``source``: only rows whose record was loaded into that graph (it has a digest there) — a row
        the previous import rejected (it named a professional that does not exist) never went into the graph, and
        a corrected export that leaves it out lacks nothing."""
        loaded = ("" if epoch is None else
                  " AND EXISTS (SELECT 1 FROM digests d WHERE d.epoch=? AND d.source=? AND "
                  "d.kind || ':' || d.key = coalesce(p.target, p.key))")
        with self._connect() as con:
            yield from con.execute(
                "SELECT p.key, p.target FROM row_keys p WHERE p.mapping=? AND p.run=? AND NOT EXISTS "  # noqa: S608
                "(SELECT 1 FROM row_keys c WHERE c.mapping=p.mapping AND c.run=? AND c.key=p.key)" + loaded +
                " ORDER BY p.key", (mapping, previous, run, *(() if epoch is None else (epoch, source)))).fetchall()

    def complete_run(self, mapping: str, run: str, epoch: str, file: str) -> None:
        """Make ``run`` the last import of ``mapping``; rows it could not place keep their earlier target."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._connect() as con:
            row = con.execute("SELECT run FROM row_snapshot WHERE mapping=?", (mapping,)).fetchone()
            if row:
                con.execute("UPDATE row_keys SET target=(SELECT p.target FROM row_keys p WHERE p.mapping=? AND "
                            "p.run=? AND p.key=row_keys.key) WHERE mapping=? AND run=? AND target IS NULL",
                            (mapping, row[0], mapping, run))
                con.execute("DELETE FROM row_keys WHERE mapping=? AND run=?", (mapping, row[0]))
            con.execute("INSERT OR REPLACE INTO row_snapshot VALUES (?, ?, ?, ?, ?)", (mapping, run, epoch, file, now))

    def drop_run(self, mapping: str, run: str) -> None:
        """Forget the row keys of a run that did not complete (a dry run, a rejected file)."""
        with self._lock, self._connect() as con:
            con.execute("DELETE FROM row_keys WHERE mapping=? AND run=?", (mapping, run))

    # --- erasure ----------------------------------------------------------------------------------------
    def erase(self, ids: Iterable[str]) -> int:
        """Remove every row that names one of ``ids`` (an erased person and the facts removed with them) and
        overwrite what it held on disk; return how many rows went.

        A key names an id as one of its parts (``HH-A|PER-1``, ``person:PER-1``). The deleted content is zeroed
        (``secure_delete``) and the write-ahead log emptied into the file, so no copy of it stays in the file."""
        wanted = sorted({str(i) for i in ids if i})
        if not wanted:
            return 0
        part = "instr('|' || replace({col}, ':', '|') || '|', '|' || ? || '|') > 0"
        deletes = [("match_keys", ("person_id = ?",)), ("review", ("person_a = ?", "person_b = ?")),
                   ("merged", ("merged_id = ?", "survivor_id = ?")), ("digests", (part.format(col="key"),)),
                   ("row_keys", (part.format(col="key"), part.format(col="coalesce(target, '')")))]
        removed = 0
        with self._lock, self._connect() as con:
            con.execute("PRAGMA secure_delete=ON")
            for table, conds in deletes:
                where = " OR ".join(conds)
                for one in wanted:
                    removed += con.execute(f"DELETE FROM {table} WHERE {where}",  # noqa: S608 - fixed names
                                           (one,) * len(conds)).rowcount
            con.commit()
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    def register_erased(self, digests: Iterable[tuple[str, str]]) -> None:
        """Note ``(digest, kind)`` pairs (kind ``person`` or ``household``) in the erasure register."""
        with self._lock, self._connect() as con:
            con.executemany("INSERT OR IGNORE INTO erased (digest, kind) VALUES (?, ?)", digests)

    def erased(self) -> dict[str, str]:
        """The erasure register: digest → kind."""
        with self._connect() as con:
            return dict(con.execute("SELECT digest, kind FROM erased").fetchall())

    def forget_digests(self, source: str, kind: str, keys: Iterable[str]) -> None:
        """Forget the digests of records changed outside a load (ended because their row vanished), so the
        row is written again when it comes back."""
        with self._lock, self._connect() as con:
            con.executemany("DELETE FROM digests WHERE source=? AND kind=? AND key=?",
                            ((source, kind, k) for k in keys))
