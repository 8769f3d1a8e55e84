"""Entity resolution: validated source rows → canonical records with resolved ids, and the review list.

* A person with a BSN gets ``P-`` + HMAC(BSN): the same BSN from any source is one Person.
* A person without a BSN gets ``P-`` + HMAC(source + the source's own id): persons without a BSN are never
  merged automatically. When two such persons (or one with and one without a BSN) share name + birth date,
  the pair goes to the **review list**, which a data steward accepts (same person) or rejects.
* A household is one normalised address: postcode without space in upper case, house number, suffix in upper
  case (``7533 ab, 12, a`` → ``7533AB|12|A``); its id is ``H-`` + HMAC(address key).

The review list and the per-record change digests live in one SQLite file outside the graph,
``<state dir>/ingest.sqlite`` (they are about the loading process, not facts about households). Names and birth
dates are *not* stored there: only a keyed hash of the two (the match key) and the person ids.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from graph.db import Database
from ingest.mapping import CellProblem, Mapping
from ingest.pseudonym import Pseudonymiser

__all__ = [
    "RECORD_KEYS",
    "REFERENCE_LOOKUPS",
    "ReviewItem",
    "StateStore",
    "address_key",
    "existing_ids",
    "record_digest",
    "record_key",
    "records_for",
    "references_for",
]

_POSTCODE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})$")

#: Identity fields per canonical record kind (what makes "the same record" across two versions of a file).
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "household": ("id",), "person": ("id",), "membership": ("household_id", "person_id"),
    "involvement": ("id",), "handover": ("id",), "referral": ("id",), "mandate": ("id",),
    "organisation": ("id",), "professional": ("id",),
}

#: (label, key property) → the lookup of which of $ids exist. Labels are fixed here, never taken from input.
REFERENCE_LOOKUPS: dict[str, str] = {
    "Area": "MATCH (n:Area) WHERE n.code IN $ids RETURN n.code AS id",
    "Organisation": "MATCH (n:Organisation) WHERE n.id IN $ids RETURN n.id AS id",
    "Professional": "MATCH (n:Professional) WHERE n.id IN $ids RETURN n.id AS id",
    "Household": "MATCH (n:Household) WHERE n.id IN $ids RETURN n.id AS id",
    "Involvement": "MATCH (n:Involvement) WHERE n.id IN $ids RETURN n.id AS id",
}


def address_key(postcode: Any, house_number: Any, suffix: Any = None) -> str:
    """Normalised address key; raise :class:`CellProblem` for a postcode that is not Dutch (1234 AB).

    >>> address_key("7533 ab", 12, "a")
    '7533AB|12|A'
    """
    m = _POSTCODE.match(str(postcode or "").strip())
    if not m:
        raise CellProblem("postcode is not of the form 1234 AB")
    sfx = "" if suffix is None else str(suffix).strip().upper().lstrip("-")
    return f"{m.group(1)}{m.group(2).upper()}|{int(house_number)}|{sfx}"


def _person_id(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> tuple[str | None, bool]:
    if v.get("bsn") not in (None, ""):
        return pseudo.person_from_bsn(v["bsn"]), True
    if v.get("person_source_id") not in (None, ""):
        return pseudo.person_from_source_id(mapping.source, str(v["person_source_id"])), False
    return None, False


def _household_id(v: dict[str, Any], pseudo: Pseudonymiser) -> tuple[str, str] | None:
    if v.get("postcode") in (None, "") or v.get("house_number") is None:
        return None
    key = address_key(v["postcode"], v["house_number"], v.get("suffix"))
    return pseudo.household(key), key


def records_for(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> list[tuple[str, dict[str, Any]]]:
    """The canonical ``(kind, record)`` pairs one validated row becomes (the clear BSN is not among them)."""
    src = mapping.source
    kind = mapping.kind.name
    if kind == "household_composition":
        pid, has_bsn = _person_id(mapping, v, pseudo)
        hh = _household_id(v, pseudo)
        assert pid is not None and hh is not None
        bd = v.get("birth_date")
        return [
            ("household", {"id": hh[0], "address_key": hh[1], "postcode": hh[1].split("|")[0],
                           "house_number": v["house_number"], "suffix": hh[1].split("|")[2] or None,
                           "street": v.get("street"), "area_code": v["area_code"],
                           "housing_corporation": v.get("housing_corporation"), "source": src}),
            ("person", {"id": pid, "birth_year": bd.year if isinstance(bd, date) else None,
                        "gender": v.get("gender"), "display_name": v.get("name") if mapping.store_names else None,
                        "has_bsn": has_bsn, "source": src}),
            ("membership", {"household_id": hh[0], "person_id": pid, "role": v["role"], "since": v["since"],
                            "until": v.get("until"), "source": src}),
        ]
    if kind in ("involvement", "referral"):
        pid, has_bsn = _person_id(mapping, v, pseudo)
        hh = _household_id(v, pseudo)
        out: list[tuple[str, dict[str, Any]]] = []
        if pid:
            out.append(("person", {"id": pid, "has_bsn": has_bsn, "source": src}))
        rec = {f: v.get(f) for f in mapping.kind.required + mapping.kind.optional
               if f not in ("bsn", "person_source_id", "postcode", "house_number", "suffix")}
        rec["source"] = src
        rec["household_id"] = hh[0] if hh and not pid else None
        if kind == "involvement":
            rec["person_ids"] = [pid] if pid else None
        else:
            rec["person_id"] = pid
        out.append((kind, rec))
        return out
    rec = {f: v.get(f) for f in mapping.kind.fields}
    rec["source"] = src
    return [(kind, rec)]


def references_for(mapping: Mapping, v: dict[str, Any], pseudo: Pseudonymiser) -> list[tuple[str, str, str]]:
    """``(label, id, field)`` of existing nodes the row's records need (checked before anything is written)."""
    kind = mapping.kind.name
    refs: list[tuple[str, str, str]] = []

    def add(label: str, fname: str) -> None:
        if v.get(fname) not in (None, ""):
            refs.append((label, str(v[fname]), fname))

    if kind == "household_composition":
        add("Area", "area_code")
    if kind in ("involvement", "referral", "professional", "mandate"):
        add("Organisation", "organisation_id")
    if kind in ("involvement", "referral"):
        add("Professional", "professional_id")
        if v.get("bsn") in (None, "") and v.get("person_source_id") in (None, ""):
            hh = _household_id(v, pseudo)
            if hh:
                refs.append(("Household", hh[0], "postcode"))
    if kind == "mandate":
        add("Professional", "buddy_professional_id")
    if kind == "handover":
        add("Involvement", "from_involvement_id")
        add("Involvement", "to_involvement_id")
    return refs


def existing_ids(db: Database, label: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` exist as ``label`` nodes (label from :data:`REFERENCE_LOOKUPS` only)."""
    cypher = REFERENCE_LOOKUPS[label]
    wanted = sorted(set(ids))
    found: set[str] = set()
    for i in range(0, len(wanted), 10_000):
        res = db.execute(f"ingest_lookup_{label.lower()}", cypher, {"ids": wanted[i:i + 10_000]},
                         row_cap=10_000)
        found.update(r["id"] for r in res.rows)
    return found


def record_key(kind: str, rec: dict[str, Any]) -> str:
    return "|".join(str(rec.get(f)) for f in RECORD_KEYS[kind])


def record_digest(rec: dict[str, Any]) -> str:
    body = json.dumps(rec, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(body.encode(), digest_size=16).hexdigest()


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
"""


class StateStore:
    """The SQLite side store of ingest: review list, match keys and per-record digests."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as con:
            con.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One connection per use, committed and always closed (an unclosed one leaks a ResourceWarning)."""
        con = sqlite3.connect(self.path, timeout=30)
        try:
            con.execute("PRAGMA journal_mode=WAL")
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
                known: dict[tuple[str, str], str] = {}
                for kind in {c[0] for c in chunk}:
                    keys = [c[2] for c in chunk if c[0] == kind]
                    marks = ",".join("?" * len(keys))
                    for key, digest in con.execute(
                            f"SELECT key, digest FROM digests WHERE epoch=? AND source=? AND kind=? "  # noqa: S608
                            f"AND key IN ({marks})", (epoch, source, kind, *keys)):
                        known[(kind, key)] = digest
                for kind, rec, key, digest in chunk:
                    if known.get((kind, key)) != digest:
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

    def decide(self, item_id: int, accept: bool, user: str) -> ReviewItem:
        """Accept (same person) or reject (different people) an open item; raise ``KeyError`` if unknown."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._connect() as con:
            cur = con.execute("UPDATE review SET status=?, decided_by=?, decided_at=? WHERE id=? AND status='open'",
                              ("accepted" if accept else "rejected", user, now, item_id))
            if cur.rowcount == 0:
                raise KeyError(item_id)
        return next(i for i in self.review_items() if i.id == item_id)
