"""Stage *source*: the file as a table of rows — its checksum, its size, its encoding and its header.

The rows themselves are read by :mod:`ingest.readers` (CSV of any delimiter and encoding, ``.xlsx``), lazily:
:func:`open_source` checks only what can stop the whole file before a row is looked at (size, encoding, a
required column missing from the header) and says which columns the mapping does not know (they are dropped
at the header: their values are never read into a record).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from graph.said import message_of, said
from ingest.mapping import Mapping
from ingest.readers import FileProblem, Limits, Table, open_table
from ingest.validate import Report, column_index, mask_digits

__all__ = ["Source", "file_sha256", "hash_file", "open_source"]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def hash_file(path: Path, limits: Limits, report: Report) -> None:
    """The file's checksum into ``report`` (the audit record names it); a file too large, or not a regular
    file, is rejected in ``report`` before anything is parsed."""
    try:
        if path.is_file() and path.stat().st_size > limits.max_bytes:
            open_table(path, limits=limits)  # raises the size sentence before anything is parsed
        report.file_hash = file_sha256(path) if path.is_file() else ""
    except FileProblem as exc:
        reject_file(report, message_of(exc))


def reject_file(report: Report, problem: str) -> Report:
    report.file_problems.append(problem)
    report.status = "rejected"
    return report


@dataclass(frozen=True)
class Source:
    """An opened file: its rows (read lazily) and where each known column is."""

    table: Table
    #: column name (case-folded) → position in a row
    index: dict[str, int]


def open_source(path: Path, mapping: Mapping, limits: Limits, report: Report) -> Source | None:
    """Open ``path`` as ``mapping`` says and check its header; None (and ``report`` rejected) when the file as a
    whole cannot be loaded."""
    try:
        table = open_table(path, fmt=mapping.fmt, encoding=mapping.encoding, delimiter=mapping.delimiter,
                           sheet=mapping.sheet, limits=limits)
    except FileProblem as exc:
        reject_file(report, message_of(exc))
        return None
    index = column_index(table.header)
    missing = _missing(mapping, index)
    if missing and table.delimiter and (other := _other_delimiter(path, mapping, limits, table)) is not None:
        table, index, missing = other, column_index(other.header), []
    report.notes.extend(table.notes)
    report.unknown_columns = [mask_digits(h) if h else "(empty header)" for h in table.header
                              if h.casefold() not in mapping.columns]
    if missing:
        if table.delimiter:
            reject_file(report, said("said.file.missing_columns_split", "Required column(s) missing: {columns} (the "
                                     "header was split with {delimiter!r}: is that the right delimiter?).",
                                     columns=", ".join(missing), delimiter=table.delimiter))
        else:
            reject_file(report, said("said.file.missing_columns", "Required column(s) missing: {columns}.",
                                     columns=", ".join(missing)))
        return None
    return Source(table, index)


def _missing(mapping: Mapping, index: dict[str, int]) -> list[str]:
    return [c for c in mapping.required_columns() if c.casefold() not in index]


def _other_delimiter(path: Path, mapping: Mapping, limits: Limits, table: Table) -> Table | None:
    """The file read with the delimiter its header line has, when the mapping's one leaves required columns out
    and that one gives them all (a file saved with commas for a mapping of semicolons): said in a note. The
    header decides, never a guess: with any column still missing the file is rejected as before."""
    try:
        sniffed = open_table(path, fmt=mapping.fmt, encoding=mapping.encoding, delimiter="auto", sheet=mapping.sheet,
                             limits=limits)
    except FileProblem:
        return None
    if sniffed.delimiter == table.delimiter or _missing(mapping, column_index(sniffed.header)):
        return None
    sniffed.notes.append(said("said.file.other_delimiter", "the mapping says delimiter {declared!r}, but the "
                              "header is split by {found!r}: read with {found!r}", declared=table.delimiter,
                              found=sniffed.delimiter))
    return sniffed
