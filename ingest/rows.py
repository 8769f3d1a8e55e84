"""The row as it travels through the stages, as named types, and the spill that carries it from pass 1 to pass 2.

* :class:`RowFacts` / :class:`RowTrouble` — what the *records* stage (:mod:`ingest.prepare`, per row, maybe in
  a worker process) tells the *checks* stage (:mod:`ingest.checks`, across rows, in file order) about a row.
* :class:`PreparedRow` — an accepted row for the *writer* (:mod:`ingest.writer`): its records as
  :class:`Record` (kind, the record shaped for its load statement or its load-file line, key, digest, whether
  it is unchanged since the last load, whether no digest was stored for it at all).
* :class:`Spill` — an anonymous temporary file of pickled prepared rows: pass 1's work kept for pass 2, so the
  file is read, checked and pseudonymised only once.

On the way through the spill (and back from a worker process) a prepared row is a plain tuple of its fields in
this order (:meth:`PreparedRow.wire`): pickling named objects costs about twice as much, at every row.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from ingest.validate import Problem

__all__ = ["RECORD_KEYS", "PreparedRow", "Record", "RowFacts", "RowTrouble", "Spill", "record_digest",
           "record_key"]

#: Identity fields per canonical record kind (what makes "the same record" across two versions of a file).
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "household": ("id",), "person": ("id",), "membership": ("household_id", "person_id"),
    "involvement": ("id",), "handover": ("id",), "referral": ("id",), "mandate": ("id",),
    "organisation": ("id",), "professional": ("id",), "area": ("code",), "postcode": ("code",),
    "professional_stub": ("id",), "caseload": ("professional_id", "household_id"),
    "client_system": ("household_id", "person_id"), "neighbour": ("person_id", "other_id"),
    "informal_support": ("supporter_id", "person_id"), "mandate_holder": ("mandate_id", "professional_id"),
    "advice": ("id",), "plan": ("id",), "goal": ("id",), "agreement": ("id",), "ladder_score": ("id",),
    "signal": ("id",), "consent": ("id",), "consultation": ("id",),
}


def record_key(kind: str, rec: dict[str, Any]) -> str:
    fields = RECORD_KEYS[kind]
    if len(fields) == 1:
        return str(rec.get(fields[0]))
    return "|".join([str(rec.get(f)) for f in fields])


def record_digest(rec: dict[str, Any]) -> str:
    """A digest of a record's content. Its fields hold text, numbers, booleans, dates and lists of these, whose
    ``repr`` is stable; :func:`ingest.resolve.records_for` builds each kind's record with its fields in one
    order, so equal records give equal digests (a different order would only cost one needless rewrite)."""
    return hashlib.blake2b(repr(rec).encode(), digest_size=16).hexdigest()


@dataclass(slots=True)
class Record:
    """One canonical record of a row, ready for the writer."""

    kind: str
    #: the record as its load statement takes it (:func:`ingest.loader.shape`), or its load-file line
    data: dict[str, Any] | str
    key: str
    digest: str
    #: the digest equals the one stored at the last load (into this ledger epoch): nothing to send
    unchanged: bool = False
    #: no digest was stored for the key: probably not in the graph yet (a hint, see ingest.loader.write_batch)
    new: bool = True

    @classmethod
    def of(cls, kind: str, data: dict[str, Any]) -> Record:
        return cls(kind, data, record_key(kind, data), record_digest(data))

    def wire(self) -> tuple[str, dict[str, Any] | str, str, str, bool, bool]:
        return self.kind, self.data, self.key, self.digest, self.unchanged, self.new


class PreparedRow(NamedTuple):
    """An accepted row as the records stage left it for the writer."""

    row_no: int
    #: ``kind:key`` of the row's own record before any id was resolved (the vanished-rows check)
    row_key: str
    #: its records, the row's own record last
    records: list[Record]
    #: (ingest id, address key) of the household it names, or None
    household: tuple[str, str] | None
    #: the match key of its person for the review list, or None
    match_key: str | None

    def wire(self) -> tuple[Any, ...]:
        return self.row_no, self.row_key, [r.wire() for r in self.records], self.household, self.match_key

    @classmethod
    def from_wire(cls, t: tuple[Any, ...]) -> PreparedRow:
        return cls(t[0], t[1], [Record(*r) for r in t[2]], t[3], t[4])


class RowFacts(NamedTuple):
    """What the checks across rows need to know about a row that was read far enough to know its key."""

    row_no: int
    row_key: str
    #: digests of the key's cells and of all mapped cells (duplicate keys), None without key columns
    key_digest: bytes | None
    values_digest: bytes | None
    #: the person's pseudonym and a digest of its name, birth date and gender (one person, two birth dates)
    person_id: str | None
    person_digest: bytes | None
    person_column: str | None
    #: (label, id, field) of existing nodes the row refers to
    references: list[tuple[str, str, str]]
    #: the key's cells and the person's identifier cell, unmasked as read (masked only for a report)
    key_cells: tuple[Any, ...] | None
    person_cell: Any


class RowTrouble(NamedTuple):
    """A row rejected before its key was known (``bad``), warnings about the next row (``warn``), or a row about
    an erased person or household, skipped (``erased``). A ``bad`` row's ``references`` (``(label, id, field)``,
    from the fields that converted) are checked with every other row's, so its report says all that is wrong."""

    what: str
    row_no: int
    problems: list[Problem]
    references: list[tuple[str, str, str]] = []


class Spill:
    """Pass 1's work kept for pass 2, so the file is read, checked and pseudonymised once.

    An anonymous temporary file (deleted by the system when closed, also after a crash; only this process can
    open it) holds pickled chunks of prepared rows in their wire form, as the workers pickled them: memory stays
    flat whatever the file's size. It holds what the graph will hold (pseudonymised records), never a clear BSN.
    """

    def __init__(self) -> None:
        self._fh = tempfile.TemporaryFile(prefix="wijknet-ingest-")

    def add_blob(self, blob: bytes) -> None:
        """Append one pickled chunk (a list of rows in wire form)."""
        if blob:
            self._fh.write(blob)

    def rows(self) -> Iterator[PreparedRow]:
        self._fh.seek(0)
        while True:
            try:
                chunk: list[tuple[Any, ...]] = pickle.load(self._fh)  # noqa: S301 - our own file, written above
            except EOFError:
                return
            for t in chunk:
                yield PreparedRow.from_wire(t)

    def close(self) -> None:
        self._fh.close()
