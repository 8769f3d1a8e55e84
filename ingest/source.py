"""Stage *source*: the file as a table of rows — its checksum, its size, its encoding and its header.

The rows themselves are read by :mod:`ingest.readers` (CSV of any delimiter and encoding, ``.xlsx``), lazily:
:func:`open_source` checks only what can stop the whole file before a row is looked at (size, encoding, a
required column missing from the header) and says which columns the mapping does not know (they are dropped
at the header: their values are never read into a record).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from graph.said import message_of, said
from ingest.mapping import Mapping
from ingest.readers import FileProblem, Limits, Table, open_table
from ingest.validate import Report, column_index, mask_digits

__all__ = ["Source", "file_sha256", "fitting_mappings", "hash_file", "mappings_for_file", "open_source"]


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


def open_source(path: Path, mapping: Mapping, limits: Limits, report: Report,
                candidates: Callable[[], Iterable[Mapping]] | None = None) -> Source | None:
    """Open ``path`` as ``mapping`` says and check its header; None (and ``report`` rejected) when the file as a
    whole cannot be loaded. When required columns are missing and other mappings (``candidates``) would find
    all of theirs, the rejection names them (:func:`fitting_mappings`) and ``report.fitting`` holds them."""
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
        fits = fitting_mappings(table.header, mapping, candidates()) if candidates is not None else []
        if (row := _header_below(mapping, table)) is not None:
            reject_file(report, said("said.file.header_below", "Required column(s) missing from the first row: "
                                     "{columns}. Row {row} has them all: is there a title above the header? Remove "
                                     "the rows above row {row} and load the file again.", columns=", ".join(missing),
                                     row=row))
        elif table.delimiter and not fits and _unsplit(table.header, table.delimiter):
            reject_file(report, said("said.file.missing_columns_split", "Required column(s) missing: {columns} (the "
                                     "header was split with {delimiter!r}: is that the right delimiter?).",
                                     columns=", ".join(missing), delimiter=table.delimiter))
        else:
            reject_file(report, said("said.file.missing_columns", "Required column(s) missing: {columns}.",
                                     columns=", ".join(missing)))
        if fits:
            report.fitting = fits
            report.file_problems.append(said(
                "said.file.fits_other", "The file's columns fit another mapping: {names}. Choose it for this file.",
                names="; ".join(f"'{m.label}'" for m in fits)))
        return None
    return Source(table, index)


def fitting_mappings(header: Sequence[str], chosen: Mapping | None, candidates: Iterable[Mapping], most: int = 3
                     ) -> list[Mapping]:
    """The mappings among ``candidates`` (other than ``chosen``, if any) that find every required column of theirs (every
    column, for one that requires none) in ``header``: what a file probably is when ``chosen`` misses columns (a
    BRP export loaded with the mapping of the advice under mandates). Those that read more of the file's columns
    first, then those that read fewer it does not have (the more specific of two); at most ``most``, one per name.

    >>> from ingest.mapping import mapping_from_dict
    >>> def m(name, *cols): return mapping_from_dict({"name": name, "kind": "area", "source": "GEMEENTE",
    ...     "fields": {"code": {"column": cols[0]}, "name": {"column": cols[1]}, "kind": {"constant": "control"}}})
    >>> [f.name for f in fitting_mappings(["Wijkcode", "Wijknaam", "Gemeente"], m("wrong", "code", "naam"),
    ...                                   [m("wijken", "wijkcode", "wijknaam"), m("buurten", "buurtcode", "naam")])]
    ['wijken']
    """
    have = column_index(list(header)).keys()
    fits = [m for m in candidates if _finds(m, have)
            and (chosen is None or (m.name, m.digest) != (chosen.name, chosen.digest))]
    return _one_per_name(sorted(fits, key=lambda m: (-len(m.columns & have), len(m.columns - have),
                                                     m.name.casefold())), most)


def _finds(mapping: Mapping, have: AbstractSet[str]) -> bool:
    """Whether the case-folded columns ``have`` hold every column ``mapping`` requires (every one it reads, for a
    mapping that requires none)."""
    need = {c.casefold() for c in mapping.required_columns()} or mapping.columns
    return bool(need) and need <= have


def _one_per_name(mappings: Iterable[Mapping], most: int) -> list[Mapping]:
    """The first ``most`` of ``mappings``, a mapping of a name already taken (shipped and kept alike) left out."""
    found: list[Mapping] = []
    for m in mappings:
        if all(f.name != m.name for f in found):
            found.append(m)
    return found[:most]


def mappings_for_file(path: Path, candidates: Iterable[Mapping], limits: Limits, most: int = 3) -> list[Mapping]:
    """The mappings among ``candidates`` that read ``path``, as :func:`fitting_mappings` orders them: a file uploaded
    before any mapping was chosen. The header is read once per way of reading it that the candidates name (format,
    encoding, delimiter, sheet); a way that cannot open the file finds nothing, and a file no way opens raises the
    first way's :class:`FileProblem` (no such file, not a workbook, too large). When no mapping finds its columns
    in the first row, those that find them in a row below it (a title above the header) are named: checked with
    one, the file is told to lose the rows above. Reads the first rows, never the rest."""
    candidates = list(candidates)
    tables: dict[tuple[str, str, str, str | None], Table | None] = {}
    problem: FileProblem | None = None
    for m in candidates:
        how = (m.fmt, m.encoding, m.delimiter, m.sheet)
        if how not in tables:
            try:
                tables[how] = open_table(path, fmt=m.fmt, encoding=m.encoding, delimiter=m.delimiter, sheet=m.sheet,
                                         limits=limits)
            except FileProblem as exc:
                tables[how], problem = None, problem or exc
    if problem is not None and not any(tables.values()):
        raise problem

    def table_of(m: Mapping) -> Table | None:
        return tables[(m.fmt, m.encoding, m.delimiter, m.sheet)]

    fits = [m for m in candidates if (tb := table_of(m)) is not None and _finds(m, column_index(tb.header).keys())]
    if fits:  # ordered as one header would order them: the ways of reading differ only where a file is read wrong
        union = sorted({h for tb in tables.values() if tb is not None for h in tb.header})
        return fitting_mappings(union, None, fits, most)
    below = [m for m in candidates if m.required_columns() and (tb := table_of(m)) is not None
             and _header_below(m, tb) is not None]
    return _one_per_name(below, most)


def _unsplit(header: Sequence[str], delimiter: str) -> bool:
    """Whether the header looks split with the wrong delimiter: one cell, or a cell with another delimiter in it
    (a file of commas read with semicolons). A header of several clean cells is another file, not another
    delimiter: asking "is that the right delimiter?" of a BRP export loaded with the advice mapping misled."""
    return len(header) < 2 or any(d in h for h in header for d in ";,\t|" if d != delimiter)


def _missing(mapping: Mapping, index: dict[str, int]) -> list[str]:
    return [c for c in mapping.required_columns() if c.casefold() not in index]


#: how far below the first row a header is looked for (a title, a date and an empty row above it)
HEADER_SEARCH_ROWS = 10


def _header_below(mapping: Mapping, table: Table) -> int | None:
    """The row (2 and on) of the first rows that has every required column, when the first does not: a title or
    an export date written above the header, as Excel reports and some registers do. Found to say so, never to
    read from there unasked. The rows are read as they are (the table's rows take the first row's width)."""
    try:
        first = _first_rows(table, HEADER_SEARCH_ROWS)
    except Exception:  # noqa: BLE001 (only to say more: the file is rejected as it is either way)
        return None
    for row_no, texts in enumerate(first[1:], start=2):
        # a title line decided the delimiter (its comma): a header below it may be one cell of its own
        splits = [texts] + [texts[0].split(d) for d in ";\t|," if len(texts) == 1 and d in texts[0]]
        if any(not _missing(mapping, column_index([t.strip() for t in split])) for split in splits):
            return row_no
    return None


def _first_rows(table: Table, n: int) -> list[list[str]]:
    """The first ``n`` rows of ``table``'s file as text cells, each as wide as it is."""
    if table.kind == "csv":
        with open(table.path, encoding=table.encoding, newline="") as fh:
            return [list(r) for r in islice(csv.reader(fh, delimiter=table.delimiter or ";"), n)]
    from openpyxl import load_workbook

    wb = load_workbook(table.path, read_only=True, data_only=True)
    try:
        ws = wb[table.sheet] if table.sheet in wb.sheetnames else wb.worksheets[0]
        return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(max_row=n, values_only=True)]
    finally:
        wb.close()


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
