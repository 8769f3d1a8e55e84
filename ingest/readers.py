"""Readers for source exports: CSV (any delimiter, quoting, encoding) and Excel .xlsx (one named sheet, values
only). Both stream: a file is read row by row and can be read twice (validation pass, load pass) without
holding it in memory.

A :class:`Table` has a ``header`` and yields ``(row_number, cells)`` where the header is row 1, like a
spreadsheet. File-level trouble (binary content, unsupported encoding, zip bomb, macros, XML entities, too
large) raises :class:`FileProblem` before any row is produced; a row whose field count differs from the
header's is yielded with ``cells=None`` and a reason, so the validator can report it with its row number.

Encoding detection (when the mapping says ``encoding: auto``): a byte-order mark decides; else the whole file
must decode as strict UTF-8; else as strict cp1252 (Windows Excel's "CSV"). A cp1252 reading that produces
letters typical of *other* code pages (``ð ý þ Ð Ý Þ``: Turkish ğ ı ş read as cp1252) or UTF-8 that looks
double-encoded (``Ã«``) is rejected as "unsupported encoding": declare the encoding in the mapping instead.
Mojibake is never stored.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.errors import IngestError
from graph.said import said, said_count

__all__ = [
    "CLI_LIMITS",
    "UPLOAD_LIMITS",
    "check_upload_name",
    "receive_upload",
    "FileProblem",
    "Limits",
    "Table",
    "detect_encoding",
    "open_table",
]

Cell = str | int | float | bool | date | None
Row = tuple[int, list[Cell] | None, str]


class FileProblem(IngestError):
    """The file as a whole cannot be read; ``str()`` says why in one sentence (never with cell values)."""


@dataclass(frozen=True)
class Limits:
    """Server-side limits checked before and while parsing."""

    max_bytes: int
    max_rows: int
    #: longest cell, in characters: far above any real value, so a longer one is a damaged or hostile file
    max_field: int = 100_000
    max_zip_entries: int = 2_000
    max_uncompressed: int = 200_000_000
    max_ratio: int = 100


#: Limits for uploads through the app (Streamlit's 200 MB default is far too generous for this data).
UPLOAD_LIMITS = Limits(max_bytes=20_000_000, max_rows=50_000)
#: Limits for the command line (an operator's own files; the benchmark loads a million rows).
CLI_LIMITS = Limits(max_bytes=2_000_000_000, max_rows=5_000_000, max_uncompressed=2_000_000_000)

_CHUNK = 1 << 20
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", said("said.file.is_zip", "a zip archive (an Excel .xlsx?)")),
    (b"\xd0\xcf\x11\xe0", said("said.file.is_old_office", "an old Excel/Office binary file")),
    (b"%PDF", said("said.file.is_pdf", "a PDF document")),
    (b"MZ", said("said.file.is_windows_program", "a Windows program")),
    (b"\x7fELF", said("said.file.is_program", "a program")),
    (b"\x1f\x8b", said("said.file.is_gzip", "a gzip archive")),
)
# cp1252 letters that Dutch exports do not contain but Turkish text in ISO-8859-9 turns into.
_FOREIGN_CP1252 = re.compile("[ðýþÐÝÞ]")


def _cp1252_class(first: int, last: int) -> str:
    """A regex character class of what the bytes ``first..last`` become when read as cp1252 (or Latin-1)."""
    chars = {bytes([b]).decode("cp1252", errors="ignore") for b in range(first, last + 1)}
    chars |= {chr(b) for b in range(first, last + 1)}
    return "[" + "".join(sorted(re.escape(c) for c in chars if c)) + "]"


_CONT = _cp1252_class(0x80, 0xBF)
# Any UTF-8 sequence read as cp1252 and saved as UTF-8 again ("Ã‹" for "Ë", "â€“" for "–"): a 2-, 3- or 4-byte
# lead followed by exactly its number of continuation bytes, each shown as the character cp1252 makes of it.
_DOUBLE_UTF8 = re.compile(f"{_cp1252_class(0xC2, 0xDF)}{_CONT}|{_cp1252_class(0xE0, 0xEF)}{_CONT}{{2}}"
                          f"|{_cp1252_class(0xF0, 0xF4)}{_CONT}{{3}}")
# A UTF-8 multi-byte sequence in the bytes of a file that is not UTF-8 as a whole: lines of both encodings.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_DELIMITERS = (";", ",", "\t", "|")


@dataclass
class Table:
    """A readable source table; iterate :meth:`rows` as often as needed."""

    path: Path
    header: list[str]
    kind: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    limits: Limits = CLI_LIMITS
    _xlsx_sheet: str | None = None

    def rows(self) -> Iterator[Row]:
        """``(row_number, cells, reason)``; ``cells`` is None when the row cannot be split into the header."""
        if self.kind == "csv":
            return _csv_rows(self)
        return _xlsx_rows(self)


def _check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileProblem(said("said.file.too_big", "{name} is {mb} MB, more than the limit of {limit} MB; split it "
                               "or ask an administrator.", name=path.name, mb=f"{size / 1e6:.1f}",
                               limit=f"{limits.max_bytes / 1e6:.0f}"))
    if size == 0:
        raise FileProblem(said("said.file.empty", "{name} is empty.", name=path.name))


def _decodes(path: Path, encoding: str) -> bool:
    dec = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                dec.decode(chunk)
            dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _scan(path: Path, encoding: str, pattern: re.Pattern[str]) -> bool:
    with open(path, encoding=encoding, newline="") as fh:
        while chunk := fh.read(_CHUNK):
            if pattern.search(chunk):
                return True
    return False


def detect_encoding(path: Path, declared: str = "auto") -> str:
    """The encoding to read ``path`` with (see the module docstring); raise :class:`FileProblem` otherwise."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if declared and declared != "auto":
        try:
            codecs.lookup(declared)
        except LookupError:
            raise FileProblem(said("said.file.unknown_encoding", "The mapping declares an unknown encoding {encoding!r}.",
                                   encoding=declared)) from None
        if _is_utf8(declared):
            if not _decodes(path, declared):
                raise FileProblem(said("said.file.bad_declared_encoding", "{name} is not valid {encoding} (bad "
                                       "encoding); check the export settings.", name=path.name, encoding=declared))
            return "utf-8-sig"
        if _utf8_text(path):  # read as the declared code page, its letters would be stored as mojibake (Ã« for ë)
            return "utf-8-sig"
        if not _decodes(path, declared):
            raise FileProblem(said("said.file.bad_declared_encoding", "{name} is not valid {encoding} (bad encoding); check "
                                   "the export settings.", name=path.name, encoding=declared))
        return declared
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if _decodes(path, "utf-16"):
            return "utf-16"
        raise FileProblem(said("said.file.bad_utf16", "{name} has a UTF-16 byte-order mark but is not valid UTF-16 "
                               "(bad encoding).", name=path.name))
    if b"\x00" in head:
        raise FileProblem(said("said.file.binary", "{name} is not a text file (it contains binary data).",
                               name=path.name))
    if head.startswith(codecs.BOM_UTF8) or _decodes(path, "utf-8"):
        if _scan(path, "utf-8-sig", _DOUBLE_UTF8):
            raise FileProblem(said("said.file.double_encoded", "{name} looks double-encoded (UTF-8 text saved as "
                                   "UTF-8 again): unsupported encoding; re-export it or declare the encoding in the "
                                   "mapping.", name=path.name))
        return "utf-8-sig"  # also strips a BOM, so the first header never becomes '\ufeffbsn'
    if _decodes(path, "cp1252"):
        _refuse_mixed_encodings(path)
        if _scan(path, "cp1252", _FOREIGN_CP1252):
            raise FileProblem(said("said.file.not_utf8_cp1252", "{name} is neither UTF-8 nor Western-European "
                                   "cp1252 text (unsupported encoding); declare its encoding in the mapping, e.g. "
                                   "`encoding: iso-8859-9`.", name=path.name))
        return "cp1252"
    raise FileProblem(said("said.file.unsupported_encoding", "{name} has an unsupported encoding (neither UTF-8 nor "
                           "cp1252); declare its encoding in the mapping.", name=path.name))


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")


def _utf8_text(path: Path) -> bool:
    """Whether ``path`` is UTF-8 with letters beyond ASCII (a BOM, or a multi-byte sequence, and valid UTF-8 as a
    whole): such text read as a one-byte code page becomes mojibake, and a cp1252 or Latin-1 export is practically
    never valid UTF-8 once it holds an accented letter."""
    with open(path, "rb") as fh:
        head = fh.read(len(codecs.BOM_UTF8))
        fh.seek(0)
        if head != codecs.BOM_UTF8 and not any(_UTF8_SEQUENCE.search(c) for c in iter(lambda: fh.read(_CHUNK), b"")):
            return False
    return _decodes(path, "utf-8-sig")


def _refuse_mixed_encodings(path: Path) -> None:
    """Raise :class:`FileProblem` when some lines of a file that is not UTF-8 as a whole are UTF-8 (an export
    appended to by another program): reading it all as cp1252 would store mojibake on those lines."""
    with open(path, "rb") as fh:
        if not any(_UTF8_SEQUENCE.search(chunk) for chunk in iter(lambda: fh.read(_CHUNK), b"")):
            return
    utf8_line = other_line = 0
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                utf8_line = utf8_line or number
            except UnicodeDecodeError:
                other_line = other_line or number
            if utf8_line and other_line:
                raise FileProblem(said("said.file.mixed_encodings", "{name} mixes encodings: line {utf8} is UTF-8, "
                                       "line {other} is not (cp1252?); re-export the file in one encoding.",
                                       name=path.name, utf8=utf8_line, other=other_line))


def _magic(path: Path, expect_zip: bool) -> None:
    with open(path, "rb") as fh:
        head = fh.read(8)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            if expect_zip and magic == b"PK\x03\x04":
                return
            if expect_zip:
                raise FileProblem(said("said.file.wrong_kind_xlsx", "{name} is {what}, not a .xlsx workbook.",
                                       name=path.name, what=what))
            raise FileProblem(said("said.file.wrong_kind_csv", "{name} is {what}, not a CSV text file.",
                                   name=path.name, what=what))
    if expect_zip:
        raise FileProblem(said("said.file.not_zip", "{name} is not an .xlsx workbook (it is not a zip archive).",
                               name=path.name))


def _header(cells: list[Any]) -> list[str]:
    header = ["" if c is None else str(c).replace("\ufeff", "").strip() for c in cells]
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    for h in header:
        if h and h.casefold() in seen:
            raise FileProblem(said("said.file.column_twice", "The column {column!r} appears twice in the header.",
                                   column=h))
        seen.add(h.casefold())
    return header


def _sniff_delimiter(first_line: str) -> str:
    best, best_n = ",", 0
    for d in _DELIMITERS:
        n = len(next(csv.reader([first_line], delimiter=d), []))
        if n > best_n:
            best, best_n = d, n
    return best


def _open_csv(path: Path, encoding: str, delimiter: str, limits: Limits) -> Table:
    _magic(path, expect_zip=False)
    enc = detect_encoding(path, encoding)
    with open(path, encoding=enc, newline="") as fh:
        first = fh.readline()
    if not first.strip():
        raise FileProblem(said("said.file.no_header", "{name} has no header line.", name=path.name))
    delim = _sniff_delimiter(first.rstrip("\r\n")) if delimiter in ("", "auto") else delimiter
    if delim == "\\t":
        delim = "\t"
    header = _header(next(csv.reader([first.rstrip("\r\n")], delimiter=delim)))
    notes: list[str] = [said("said.file.read_csv", "read as {encoding} with delimiter {delimiter!r}",
                             encoding=enc.replace("-sig", ""), delimiter=delim)]
    if encoding not in ("", "auto") and enc == "utf-8-sig" and not _is_utf8(encoding):
        notes.append(said("said.file.utf8_not_declared", "the mapping says encoding {declared!r}, but the file is "
                          "UTF-8: read as UTF-8 (as {declared!r}, its letters would have become mojibake, ë as Ã«)",
                          declared=encoding))
    return Table(path, header, "csv", encoding=enc, delimiter=delim, notes=notes, limits=limits)


# The reader's own field limit is a process-wide setting: raised once, the per-table ``max_field`` decides.
csv.field_size_limit(2**31 - 1)


def _swallowed_rows(cells: list[str], delimiter: str) -> bool:
    """Whether a record read over several lines holds a line break followed by a delimiter: the shape of rows
    swallowed by an unbalanced quote (a quoted value with a line break of its own has no delimiter after it)."""
    for c in cells:
        for sep in ("\n", "\r"):
            if sep in c and delimiter in c[c.index(sep):]:
                return True
    return False


def _oversized(t: Table, cells: list[str]) -> str:
    longest = max(range(len(cells)), key=lambda i: len(cells[i]))
    return said("said.file.long_value", "the value in column {column!r} has {n} characters, more than the limit of "
                "{limit} (a damaged export?)", column=t.header[longest], n=len(cells[longest]),
                limit=t.limits.max_field)


def _records(t: Table, fh: Any) -> Iterator[tuple[int, list[str]]]:
    """``(first physical line, cells)`` per CSV record; an unbalanced quote or a broken record is a
    :class:`FileProblem` naming the line, so no line is ever read silently into another row."""
    assert t.delimiter is not None
    reader = csv.reader(fh, delimiter=t.delimiter, strict=False)
    line = 0
    try:
        for cells in reader:
            first, line = line + 1, reader.line_num
            if line > first and _swallowed_rows(cells, t.delimiter):
                raise FileProblem(said("said.file.open_quote", "{name}: a quote opened on line {first} is not "
                                       "closed on that line, so lines {first}-{line} would be read as one row (an "
                                       "unbalanced quote); fix or remove the quote and load the file again.",
                                       name=t.path.name, first=str(first), line=str(line)))
            yield first, cells
    except csv.Error as exc:
        raise FileProblem(said("said.file.bad_csv", "{name}: line {line} cannot be read as CSV ({error}).",
                               name=t.path.name, line=str(reader.line_num), error=str(exc))) from None


def _csv_rows(t: Table) -> Iterator[Row]:
    assert t.encoding is not None and t.delimiter is not None
    width = len(t.header)
    longest = t.limits.max_field
    with open(t.path, encoding=t.encoding, newline="") as fh:
        records = _records(t, fh)
        next(records, None)
        n = read = 1
        for _, cells in records:
            n += 1  # the record's row as a spreadsheet shows the file (the header is 1): blank ones are counted
            if not cells or not "".join(cells).strip():
                continue  # a blank line, or only delimiters and spaces
            read += 1
            if read - 1 > t.limits.max_rows:
                raise FileProblem(said("said.file.too_many_rows", "{name} has more than {n} rows, the limit; split it.",
                                       name=t.path.name, n=t.limits.max_rows))
            while len(cells) > width and not cells[-1].strip():
                cells.pop()  # trailing empty fields from a trailing delimiter
            if len(cells) != width:
                yield n, None, said_count("said.file.row_width", len(cells), "row has {n} field but the header has "
                                          "{width} (wrong delimiter or an unquoted delimiter in a value)",
                                          "row has {n} fields but the header has {width} (wrong delimiter or an "
                                          "unquoted delimiter in a value)", width=str(width),
                                          written=_as_written(cells, t.delimiter))
                continue
            if max(map(len, cells)) > longest:
                yield n, None, _oversized(t, cells)
                continue
            yield n, [c.strip() for c in cells], ""


#: how much of a row that could not be read is shown as written (its start: where the key usually is)
_WRITTEN_CHARS = 80


def _as_written(cells: list[str], delimiter: str) -> str:
    """A row that could not be read, as the file has it (its cells joined by the file's delimiter), its start only:
    the steward finds the row by it where the row number alone did not say which one (a file edited since)."""
    text = delimiter.join(cells)
    return text if len(text) <= _WRITTEN_CHARS else text[:_WRITTEN_CHARS - 1] + "…"


def _check_zip(path: Path, limits: Limits) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise FileProblem(said("said.file.damaged_zip", "{name} is not a valid .xlsx workbook (damaged zip).",
                               name=path.name)) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_zip_entries:
            raise FileProblem(said("said.file.too_many_parts", "{name} has {n} parts, more than an export needs; "
                                   "rejected.", name=path.name, n=len(infos)))
        total = sum(i.file_size for i in infos)
        if total > limits.max_uncompressed:
            raise FileProblem(said("said.file.unpacks_big", "{name} unpacks to {mb} MB, more than the limit (zip "
                                   "bomb?); rejected.", name=path.name, mb=f"{total / 1e6:.0f}"))
        for i in infos:
            if i.file_size > 1_000_000 and i.file_size > limits.max_ratio * max(i.compress_size, 1):
                raise FileProblem(said("said.file.unpacks_fold", "{name} contains a part that unpacks {fold}-fold "
                                       "(zip bomb?); rejected.", name=path.name,
                                       fold=str(i.file_size // max(i.compress_size, 1))))
        names = {i.filename.lower() for i in infos}
        if any(n.endswith("vbaproject.bin") for n in names):
            raise FileProblem(said("said.file.macros", "{name} contains macros (a renamed .xlsm?); save it as a plain "
                                   ".xlsx.", name=path.name))
        if "xl/workbook.xml" not in names:
            raise FileProblem(said("said.file.zip_not_xlsx", "{name} is a zip archive but not an .xlsx workbook.",
                                   name=path.name))
        for i in infos:
            if i.filename.lower().endswith((".xml", ".rels")):
                with zf.open(i) as fh:
                    head = fh.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise FileProblem(said("said.file.xml_entities", "{name} contains XML entity declarations (not "
                                           "produced by Excel); rejected.", name=path.name))


def _xlsx_notes(path: Path, sheet_path: str) -> list[str]:
    counts = {"hidden rows": 0, "hidden columns": 0, "merged cell ranges": 0, "formula cells": 0}
    pats = {"hidden rows": re.compile(rb"<row\b[^>]*\bhidden=\"(?:1|true)\""),
            "hidden columns": re.compile(rb"<col\b[^>]*\bhidden=\"(?:1|true)\""),
            "merged cell ranges": re.compile(rb"<mergeCell\b"),
            "formula cells": re.compile(rb"<f[ >/]")}
    with zipfile.ZipFile(path) as zf, zf.open(sheet_path) as fh:
        tail = b""
        while chunk := fh.read(_CHUNK):
            buf = tail + chunk
            cut = max(0, len(buf) - 200)
            for k, p in pats.items():
                counts[k] += len(p.findall(buf[:cut] if chunk else buf))
            tail = buf[cut:]
        for k, p in pats.items():
            counts[k] += len(p.findall(tail))
    notes: list[str] = []
    if counts["formula cells"]:
        notes.append(said_count("said.file.formula_cells", counts["formula cells"], "{n} formula cell: its stored value was read, formulas are never evaluated",
                                "{n} formula cells: their stored values were read, formulas are never evaluated"))
    if counts["hidden rows"]:
        notes.append(said_count("said.file.hidden_rows", counts["hidden rows"], "{n} hidden row in the sheet (read like any other cells; check it belongs in the export)",
                                "{n} hidden rows in the sheet (read like any other cells; check they belong in the export)"))
    if counts["hidden columns"]:
        notes.append(said_count("said.file.hidden_columns", counts["hidden columns"], "{n} hidden column in the sheet (read like any other cells; check it belongs in the export)",
                                "{n} hidden columns in the sheet (read like any other cells; check they belong in the export)"))
    if counts["merged cell ranges"]:
        notes.append(said_count("said.file.merged_cells", counts["merged cell ranges"], "{n} merged cell range in the sheet (read like any other cells; check it belongs in the export)",
                                "{n} merged cell ranges in the sheet (read like any other cells; check they belong in the export)"))
    return notes


def _open_xlsx(path: Path, sheet: str | None, limits: Limits) -> Table:
    import openpyxl

    _magic(path, expect_zip=True)
    _check_zip(path, limits)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts; one sentence is enough
        raise FileProblem(said("said.file.bad_xlsx", "{name} cannot be read as an .xlsx workbook ({error}).",
                               name=path.name, error=type(exc).__name__)) from None
    try:
        if sheet:
            if sheet not in wb.sheetnames:
                raise FileProblem(said("said.file.no_sheet", "{name} has no sheet {sheet!r} (it has: {sheets}).",
                                       name=path.name, sheet=sheet, sheets=", ".join(wb.sheetnames)))
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        title = ws.title
        sheet_path = ws._worksheet_path
        first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), None)
    finally:
        wb.close()
    if not first:
        raise FileProblem(said("said.file.empty_sheet", "Sheet {sheet!r} of {name} is empty.", sheet=title,
                               name=path.name))
    notes = [said("said.file.read_sheet", "read sheet {sheet!r} (values only)", sheet=title),
             *_xlsx_notes(path, sheet_path)]
    return Table(path, _header(list(first)), "xlsx", sheet=title, notes=notes, limits=limits, _xlsx_sheet=title)


def _xlsx_cell(v: Any) -> Cell:
    if isinstance(v, datetime):
        return v.date() if v.time() == datetime.min.time() else v.date()
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, (int, float, bool, date)) or v is None:
        return v
    return str(v)


def _xlsx_rows(t: Table) -> Iterator[Row]:
    import openpyxl

    wb = openpyxl.load_workbook(t.path, read_only=True, data_only=True, keep_links=False)
    try:
        ws = wb[t._xlsx_sheet or wb.sheetnames[0]]
        width = len(t.header)
        read = 1
        for n, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):  # the sheet's row number
            cells = [_xlsx_cell(v) for v in values]
            if all(c is None or c == "" for c in cells):
                continue
            read += 1
            if read - 1 > t.limits.max_rows:
                raise FileProblem(said("said.file.too_many_rows", "{name} has more than {n} rows, the limit; split it.",
                                       name=t.path.name, n=t.limits.max_rows))
            extra = [c for c in cells[width:] if c not in (None, "")]
            cells = (cells + [None] * width)[:width]
            if extra:
                yield n, None, said("said.file.beyond_header", "row has values beyond the last header column ({n} "
                                    "extra)", n=str(len(extra)))
                continue
            yield n, cells, ""
    finally:
        wb.close()


def _check_regular_file(path: Path) -> None:
    """Refuse what is not a regular file of its own: a symbolic link (it could point anywhere the account can
    read, and its target's lines would end up in a report), a pipe, a device or a folder."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        raise FileProblem(said("said.file.unreadable", "{name} does not exist or cannot be read.",
                               name=path.name)) from None
    if stat.S_ISLNK(mode):
        raise FileProblem(said("said.file.symlink", "{name} is a symbolic link; give the export file itself, not a "
                               "link to it.", name=path.name))
    if not stat.S_ISREG(mode):
        raise FileProblem(said("said.file.not_regular", "{name} is not a regular file (a folder, pipe or device); "
                               "give an export file.", name=path.name))


def open_table(path: Path, *, fmt: str = "auto", encoding: str = "auto", delimiter: str = "auto",
               sheet: str | None = None, limits: Limits = CLI_LIMITS) -> Table:
    """Open ``path`` as a table (``fmt`` 'csv', 'xlsx' or 'auto' by extension); raise :class:`FileProblem`."""
    path = Path(path)
    _check_regular_file(path)
    _check_size(path, limits)
    if fmt == "auto" or (fmt == "csv" and path.suffix.lower() == ".xlsx"):
        # a CSV mapping also reads the same export saved as a workbook (the upload page offers .csv and .xlsx for
        # every mapping): its columns are the same; the sheet is the mapping's, else the first
        fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    if fmt == "xlsx":
        return _open_xlsx(path, sheet, limits)
    if fmt == "csv":
        return _open_csv(path, encoding, delimiter, limits)
    raise FileProblem(said("said.file.unknown_format", "Unknown file format {fmt!r}: use csv or xlsx.", fmt=fmt))


_MAX_NAME_BYTES = 150


def check_upload_name(name: str) -> str:
    """A safe file name for an upload, or :class:`FileProblem`: only ``.csv``/``.xlsx``, no path, no NTFS stream
    (``a.csv:evil.exe``), no double extension such as ``x.exe.csv``.

    >>> check_upload_name("export 2009.csv")
    'export 2009.csv'
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not base or ":" in base or base.startswith(".") or any(unicodedata.category(c)[0] == "C" for c in base):
        raise FileProblem(said("said.file.bad_name", "The file name is not acceptable; rename it to something like "
                               "export.csv."))
    if len(base.encode("utf-8")) > _MAX_NAME_BYTES:
        raise FileProblem(said("said.file.long_name", "The file name is longer than {n} characters; rename it to "
                               "something like export.csv.", n=str(_MAX_NAME_BYTES)))
    parts = base.lower().split(".")
    if len(parts) < 2 or parts[-1] not in ("csv", "xlsx"):
        raise FileProblem(said("said.file.extension", "Only .csv and .xlsx files can be loaded."))
    if any(p in ("exe", "bat", "cmd", "js", "vbs", "xlsm", "scr", "ps1", "com") for p in parts[1:-1]):
        raise FileProblem(said("said.file.double_extension", "The file name has a double extension; rename it to "
                               "something like export.csv."))
    return base


def receive_upload(name: str, data: bytes, folder: Path, limits: Limits = UPLOAD_LIMITS) -> Path:
    """Check an uploaded file server-side and store it in ``folder``; raise :class:`FileProblem` otherwise.

    The name is checked (:func:`check_upload_name`) and the size counted on the received bytes *before* anything
    is written or parsed; the row limit is enforced while reading (:func:`open_table` with the same ``limits``).
    The browser's own size check and the uploader's type filter are conveniences, not the gate.
    """
    base = check_upload_name(name)
    if len(data) > limits.max_bytes:
        raise FileProblem(said("said.file.too_big", "{name} is {mb} MB, more than the limit of {limit} MB; split it "
                               "or ask an administrator.", name=base, mb=f"{len(data) / 1e6:.1f}",
                               limit=f"{limits.max_bytes / 1e6:.0f}"))
    if not data:
        raise FileProblem(said("said.file.empty", "{name} is empty.", name=base))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / base
    path.write_bytes(data)
    return path
