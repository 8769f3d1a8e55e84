"""Row validation and the validation report (text for a person, CSV and JSON for tools).

Every problem names the file, the row (the header is row 1) and the row's key (its cells in the mapping's key
columns), the column, the cell exactly as written in the file — masked when it is a BSN, and any 8–9 digit run
in other cells is masked too — and a reason. Rows are checked completely before the
pipeline writes anything (see :mod:`ingest.pipeline`).

Values that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) are stored as the plain text they are, and :func:`check_row` flags each one in a text field (not a phone
number or a number: :func:`graph.spreadsheet.looks_like_formula`) as a warning (code ``formula_like``) that does
not reject the row. Every CSV this module writes passes its cells through :func:`spreadsheet_safe`
(:func:`graph.spreadsheet.inert`), which puts a ``'`` in front.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from graph.clock import today as clock_today
from graph.model import folded
from graph.said import field_word, message_of, said
from graph.spreadsheet import FORMULA_START, inert, looks_like_formula
from ingest.mapping import (
    CONTROL,
    CellProblem,
    ControlCharacter,
    FieldSpec,
    Mapping,
    convert,
    name_controls,
)
from ingest.pseudonym import ID_HEX, bsn_problem, elfproef, mask

__all__ = [
    "DATE_ORDER",
    "FORMULA_WARNING",
    "MAX_DETAILED",
    "MAX_VANISHED_KEYS",
    "Problem",
    "Report",
    "check_row",
    "column_index",
    "holds_bsn",
    "mask_digits",
    "shown_key",
    "shown_person",
    "spreadsheet_safe",
]

#: Pairs of date fields (start, end) of one row: the end may not lie before the start.
DATE_ORDER = (("since", "until"), ("date", "accepted_at"), ("accepted_at", "started_at"), ("date", "started_at"),
              ("since", "status_since"),
              ("date", "status_since"), ("signed_at", "until"))
#: A birth date before this year is a typing error (the oldest person alive was born after 1900).
EARLIEST_BIRTH_YEAR = 1900
#: Any other date (an involvement's start, a referral, a handover, a mandate) before this year is a source system's
#: "unknown" written as a date (01-01-1900, 01-01-0001): taken, it made an involvement active at every date since
#: and a referral of year 1 gave a median of 734,139 days to accept (a steward's walk, 08-12-2026).
EARLIEST_EVENT_YEAR = 1950
#: An end date in or after this year is a source system's "no end" (31-12-9999): read as an open end.
OPEN_END_YEAR = 9000
#: A start (not an end, which may be planned years ahead) more than this many days after today is a typing error or
#: such an "unknown" (09-03-2031 for 09-03-2011).
LATEST_START_DAYS = 366
_ENDS = frozenset(end for _start, end in DATE_ORDER)
_STARTS = frozenset(start for start, _end in DATE_ORDER)
#: Problems kept in full per report; beyond this they are only counted per reason.
MAX_DETAILED = 10_000
#: Keys of vanished rows listed per report; beyond this they are only counted.
MAX_VANISHED_KEYS = 1_000
# An 8–9 digit run, or nine digits written in groups as BSNs often are (123.456.782, 123 456 782, 1234.56.782).
_DIGITS = re.compile(r"(?<!\d)(?:\d{8,9}|\d{3}[ .-]\d{3}[ .-]\d{3}|\d{4}[ .-]\d{2}[ .-]\d{3})(?!\d)")
_GROUPING = str.maketrans("", "", " .-")
# Fields that hold identifiers or codes, never free text: a number in them is not a typed-in BSN.
_NOT_FREE_TEXT = frozenset({"id", "bsn", "postcode", "house_number", "suffix", "person_source_id",
                            "phone"})  # a phone number whose 0 Excel dropped passes the 11-proef 1 time in 11
#: The warning of a value a spreadsheet would run (the row is loaded; exports neutralise the value).
FORMULA_WARNING = said("said.ingest.formula_like",
                       "looks like a spreadsheet formula: loaded as text; exports put a ' in front")


# wijknet's own pseudonymous ids (P-/H- and hex digits): not a BSN, whatever digits they hold
_PSEUDONYM = re.compile(rf"\b[PH]-[0-9a-f]{{{ID_HEX}}}\b")


def mask_digits(text: str) -> str:
    """Mask any 8–9 digit run (a possible BSN) in free text, keeping the last four digits; not inside a pseudonymous
    id of wijknet's own, whose hex digits may run to nine (``P-57020a123415306c`` was shown as
    ``P-57020a****15306c``, an id nobody could look up: an outside test).

    >>> mask_digits("bsn 123456782 in H-aa4f59d31d17b40b|P-57020a123415306c")
    'bsn *****6782 in H-aa4f59d31d17b40b|P-57020a123415306c'
    """
    out: list[str] = []
    at = 0
    for m in _PSEUDONYM.finditer(text):
        out += [_DIGITS.sub(lambda d: mask(d.group(0)), text[at:m.start()]), m.group(0)]
        at = m.end()
    out.append(_DIGITS.sub(lambda d: mask(d.group(0)), text[at:]))
    return "".join(out)



def holds_bsn(text: str) -> bool:
    """Whether free text holds nine digits (also written in groups) that pass the BSN 11-proef.

    >>> holds_bsn("zie 123.456.782"), holds_bsn("Stichting 123456789"), holds_bsn("tel 0534123456")
    (True, False, False)
    """
    for m in _DIGITS.finditer(text):
        digits = m.group(0).translate(_GROUPING)
        if len(digits) == 9 and digits != "000000000" and elfproef(digits):
            return True
    return False


def spreadsheet_safe(value: Any) -> Any:
    """Prefix ``'`` to text a spreadsheet would treat as a formula (CSV injection, OWASP ASVS 1.2.10): the one
    rule of :func:`graph.spreadsheet.inert`.

    >>> spreadsheet_safe('=HYPERLINK("http://x","klik")'), spreadsheet_safe("-2+3"), spreadsheet_safe("Zoë")
    ('\\'=HYPERLINK("http://x","klik")', "'-2+3", 'Zoë')
    """
    return inert(value)


@dataclass(frozen=True)
class Problem:
    """One problem: where, which (masked) cell as written, why; ``code`` groups problems in the summary; ``key``
    is the row's key as :func:`shown_key` shows it (empty when the row's key is not known)."""

    file: str
    row: int | None
    column: str
    value: str
    reason: str
    code: str
    key: str = ""


@dataclass
class Report:
    """What happened to one file; ``reconciles`` checks rows read = rows loaded + rows rejected + rows skipped
    (rows about an erased person or household)."""

    file: str
    mapping: str
    status: str = "validated"  # validated | loaded | rejected | already_imported
    file_hash: str = ""
    rows_read: int = 0
    rows_valid: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    unknown_columns: list[str] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)
    records_written: dict[str, int] = field(default_factory=dict)
    records_unchanged: int = 0
    review_added: int = 0
    rejects_file: str = ""
    #: rows of the previous import of this mapping that this file no longer has (keys masked, at most
    #: :data:`MAX_VANISHED_KEYS` listed), and how many of them ``on_missing: end`` ended
    rows_vanished: int = 0
    vanished_keys: list[str] = field(default_factory=list)
    on_missing: str = "report"
    rows_ended: int = 0
    #: rows about an erased person or household (the erasure register): neither loaded nor rejected
    rows_skipped: int = 0
    #: when the file lacks the mapping's required columns: the other mappings whose columns it has
    #: (:func:`ingest.source.fitting_mappings`), to be offered in its place
    fitting: list[Mapping] = field(default_factory=list, repr=False)

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_DETAILED:
            self.problems.append(problem)

    @property
    def reconciles(self) -> bool:
        if self.status == "already_imported":
            return True
        if self.status == "rejected":
            return self.rows_loaded == 0 and (self.file_problems != [] or self.rows_read == self.rows_rejected)
        if self.status == "validated":
            return self.rows_read == self.rows_valid + self.rows_rejected + self.rows_skipped
        return self.rows_read == self.rows_loaded + self.rows_rejected + self.rows_skipped

    @property
    def ok(self) -> bool:
        return not self.file_problems and self.status != "rejected"

    def summary(self) -> dict[str, Any]:
        return {
            "file": self.file, "mapping": self.mapping, "status": self.status, "rows_read": self.rows_read,
            "rows_valid": self.rows_valid, "rows_loaded": self.rows_loaded, "rows_rejected": self.rows_rejected,
            "rejected_by_reason": dict(sorted(self.rejected_by_reason.items())),
            "unknown_columns_dropped": self.unknown_columns, "file_problems": self.file_problems,
            "problem_count": self.problem_count, "notes": self.notes,
            "records_written": self.records_written, "records_unchanged": self.records_unchanged,
            "review_added": self.review_added, "rows_vanished": self.rows_vanished,
            "vanished_keys": self.vanished_keys, "on_missing": self.on_missing, "rows_ended": self.rows_ended,
            "rows_skipped": self.rows_skipped, "reconciles": self.reconciles,
            "fitting_mappings": [m.name for m in self.fitting],
        }

    def to_json(self) -> str:
        data = self.summary()
        data["problems"] = [asdict(p) for p in self.problems]
        return json.dumps(data, ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")  # CRLF: a carriage return in a value is then quoted
        w.writerow(["file", "row", "key", "column", "value", "reason", "code"])
        for f in self.file_problems:
            w.writerow([spreadsheet_safe(v) for v in (self.file, "", "", "", "", f, "file")])
        for p in self.problems:
            w.writerow([spreadsheet_safe(v) for v in (p.file, p.row or "", p.key, p.column, p.value, p.reason,
                                                      p.code)])
        return out.getvalue()

    def to_text(self, max_lines: int = 30) -> str:
        head = {"loaded": "loaded", "rejected": "REJECTED — nothing was written", "validated": "validated (dry run)",
                "already_imported": "already imported (same file hash) — nothing to do"}[self.status]
        lines = [f"{self.file} ({self.mapping}): {head}"]
        lines += [f"  file problem: {p}" for p in self.file_problems]
        lines.append(f"  rows read {self.rows_read:,}, loaded {self.rows_loaded:,}, rejected {self.rows_rejected:,}"
                     + (f", skipped (erased person or household) {self.rows_skipped:,}" if self.rows_skipped else ""))
        for reason, n in sorted(self.rejected_by_reason.items()):
            lines.append(f"    rejected: {reason}: {n:,}")
        if self.unknown_columns:
            lines.append("  unknown columns dropped (not stored): " + ", ".join(repr(c) for c in self.unknown_columns))
        lines += [f"  note: {n}" for n in self.notes]
        if self.records_written:
            lines.append("  records written: " + ", ".join(f"{k} {v:,}" for k, v in self.records_written.items())
                         + f"; unchanged {self.records_unchanged:,}")
        if self.review_added:
            lines.append(f"  possible duplicates for review: {self.review_added}")
        if self.rows_vanished:
            what = {"validated": "would be ended" if self.on_missing == "end" else "kept (on_missing: report)",
                    "loaded": f"ended {self.rows_ended:,}" if self.on_missing == "end" else
                    "kept (on_missing: report)"}.get(self.status, "nothing changed")
            listed = self.vanished_keys[:max(10, min(max_lines, MAX_VANISHED_KEYS))]
            shown = ", ".join(listed) + (", …" if self.rows_vanished > len(listed) else "")
            lines.append(f"  rows missing since the previous import: {self.rows_vanished:,} — {what}: {shown}")
        if self.rejects_file:
            lines.append(f"  rejected rows listed in {self.rejects_file}")
        for p in self.problems[:max_lines]:
            row = f"row {p.row}" + (f" (key {p.key})" if p.key else "")
            where = f"{row}, column {p.column!r}, value {p.value!r}" if p.column else \
                f"{row}, as written {p.value!r}" if p.value else row
            lines.append(f"  {where}: {p.reason}")
        if self.problem_count > max_lines:
            lines.append(f"  … and {self.problem_count - max_lines:,} more problems (see the CSV/JSON report)")
        if not self.reconciles:
            lines.append("  RECONCILIATION FAILED: rows read ≠ loaded + rejected")
        return "\n".join(lines)

    def write(self, directory: Path, stem: str) -> list[Path]:
        """Write ``<stem>.report.txt``, ``.report.csv`` and ``.report.json`` into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for ext, text in (("txt", self.to_text(max_lines=MAX_DETAILED)), ("csv", self.to_csv()),
                          ("json", self.to_json())):
            p = directory / f"{stem}.report.{ext}"
            p.write_text(text, encoding="utf-8")
            paths.append(p)
        return paths


def column_index(header: list[str]) -> dict[str, int]:
    """Case-insensitive column name → position."""
    return {h.casefold(): i for i, h in enumerate(header) if h}


def _masked(text: str, bsn: bool) -> str:
    if bsn:
        return mask(text)
    text = mask_digits(text)
    return text if len(text) <= 60 else text[:57] + "…"


def _shown(mapping: Mapping, field_name: str, value: Any) -> str:
    text = "" if value is None else _day(value) if isinstance(value, date) else str(value)
    # a control character is named, not reproduced (a NUL made the report a binary file, U+202E turned it around)
    text = name_controls(text)
    return _masked(text, mapping.fields[field_name].type == "bsn")


def _day(value: date) -> str:
    """A typed spreadsheet date as a Dutch reader writes it (it was reported as 2020-01-01: an outside test), with
    its time when it has one."""
    if isinstance(value, datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return f"{value:%d-%m-%Y %H:%M}"
    return f"{value:%d-%m-%Y}"


def shown_key(mapping: Mapping, key_cells: tuple[Any, ...] | None) -> str:
    """A row's key (its cells in the mapping's key columns) as a report shows it, so a steward finds the row in
    the source: its filled cells as written, the BSN cell masked (its last four digits), any other 8–9 digit run
    masked as in any value.

    >>> from ingest.mapping import mapping_from_dict
    >>> m = mapping_from_dict({"name": "t", "kind": "household_composition", "source": "T",
    ...     "key": ["clientnummer", "bsn", "postcode", "huisnummer"], "fields": {"bsn": {"column": "bsn"},
    ...     "person_source_id": {"column": "clientnummer"}, "postcode": {"column": "postcode"},
    ...     "house_number": {"column": "huisnummer", "type": "int"}, "role": {"constant": "overig"},
    ...     "since": {"constant": "2009-01-01"}}})
    >>> shown_key(m, ("", "123456782", "7412 GH", "22")), shown_key(m, ("BC-04", None, "7412 GH", "22"))
    ('*****6782, 7412 GH, 22', 'BC-04, 7412 GH, 22')
    """
    bsn_col = (mapping.fields["bsn"].column or "").casefold() if "bsn" in mapping.fields else ""
    shown = [mask(str(c).strip()) if bsn_col and col.casefold() == bsn_col else mask_digits(str(c).strip())
             for col, c in zip(mapping.key, key_cells or (), strict=False) if c is not None and str(c).strip()]
    text = ", ".join(shown)
    return text if len(text) <= 60 else text[:57] + "…"


def shown_person(mapping: Mapping, column: str, raw: Any) -> str:
    """A row's person identifier cell (in ``column``: the BSN or the source id) as a report shows it."""
    if raw in (None, ""):
        return ""
    bsn = "bsn" in mapping.fields and column == mapping.fields["bsn"].column
    return _shown(mapping, "bsn" if bsn else "person_source_id", raw)


@dataclass(frozen=True)
class RowPlan:
    """What :func:`check_row` works out once per file instead of once per row: each field's position in the
    header, the code-checked fields, the subject groups."""

    #: (field, spec, position in the row or None, how to convert: "constant", "text" (kept as it is when it is a
    #: string), "house_number" (a number, or a number with its addition when the suffix has a column) or
    #: "convert")
    fields: tuple[tuple[str, FieldSpec, int | None, str], ...]
    allowed: tuple[tuple[str, tuple[str, ...]], ...]
    groups: tuple[tuple[str, ...], ...]
    subject_columns: str
    #: the kind's further requirements (``SourceKind.also``: e.g. the household of a client-system tie) as
    #: (groups, their columns), each checked like ``groups``
    also: tuple[tuple[tuple[tuple[str, ...], ...], str], ...] = ()
    #: fields of free text (not an identifier, not a coded value): a BSN typed into one rejects the row
    free_text: tuple[str, ...] = ()
    #: the date fields but the birth date (:func:`_check_dates`)
    dates: tuple[str, ...] = ()

    @classmethod
    def of(cls, mapping: Mapping, index: dict[str, int]) -> RowPlan:
        fields = tuple((name, spec, index.get(spec.column.casefold()) if spec.column else None,
                        "constant" if spec.column is None else
                        "text" if spec.type == "text" and not spec.codes and not spec.prefix else
                        "house_number" if name == "house_number" and spec.type == "int" and "suffix" in mapping.fields
                        and mapping.fields["suffix"].column else "convert")
                       for name, spec in mapping.fields.items())
        allowed = tuple((name, a) for name in mapping.fields if (a := mapping.allowed(name)) is not None)
        groups, cols = _requirement(mapping, mapping.kind.subject)
        free_text = tuple(name for name, spec in mapping.fields.items()
                          if spec.type == "text" and not spec.codes and not spec.prefix and spec.column
                          and name not in _NOT_FREE_TEXT and not name.endswith(("_id", "_ids")))
        dates = tuple(name for name, spec in mapping.fields.items() if spec.type == "date" and name != "birth_date")
        return cls(fields, allowed, groups, cols, also=tuple(_requirement(mapping, r) for r in mapping.kind.also),
                   free_text=free_text, dates=dates)


def _requirement(mapping: Mapping, groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[tuple[str, ...], ...], str]:
    """The groups of a "one of these" requirement the mapping fills, and their columns (for a report)."""
    mapped = tuple(tuple(g) for g in groups if all(f in mapping.fields for f in g))
    cols = [mapping.fields[f].column or f for g in groups for f in g if f in mapping.fields]
    return mapped, "/".join(cols)


def _has_subject(values: dict[str, Any], groups: tuple[tuple[str, ...], ...]) -> bool:
    """Whether one of the subject groups (e.g. BSN, or client number) has every field filled."""
    for group in groups:
        for f in group:
            v = values.get(f)
            if v is None or v == "":
                break
        else:
            return True
    return False


def check_row(mapping: Mapping, index: dict[str, int], file: str, row_no: int, cells: list[Any],
              today: date, plan: RowPlan | None = None, *, partial: dict[str, Any] | None = None
              ) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Convert and check one row; return ``(values, warnings)`` or ``(None, problems)``; a row with problems
    leaves the values of its fields that converted in ``partial`` (for its other checks, in the same report).
    A warning (``formula_like``) does not reject the row: a formula-like text is loaded as the text it is.
    ``values`` holds canonical field values; ``bsn`` stays the raw cell (only :mod:`ingest.pseudonym` reads it).
    ``plan``: :meth:`RowPlan.of` ``(mapping, index)``, made once per file by a caller that checks many rows."""
    plan = plan or RowPlan.of(mapping, index)
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    failed: set[str] = set()
    n_cells = len(cells)
    addition: str | None = None  # of a house number written with it (4a), for the suffix

    def bad(spec_name: str, value: Any, reason: str, code: str) -> None:
        """Report a problem of field ``spec_name``; ``value`` is shown only for a constant of the mapping: for a
        column, the report shows its cell exactly as written (masked), whatever a check converted it to."""
        failed.add(spec_name)
        col = mapping.fields[spec_name].column
        if col is not None:
            pos = index.get(col.casefold())
            value = cells[pos] if pos is not None and pos < n_cells else None
        problems.append(Problem(file, row_no, col or f"({spec_name})", _shown(mapping, spec_name, value), reason,
                                code, _row_key(mapping, index, cells)))

    for name, spec, pos, how in plan.fields:
        if how == "constant":
            values[name] = spec.constant
            continue
        raw = cells[pos] if pos is not None and pos < n_cells else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if spec.required:
                bad(name, raw, said("said.ingest.empty_value", "required value is empty"), "empty_value")
            values[name] = None
            continue
        if type(raw) is str and spec.type == "text" and raw.startswith(FORMULA_START) and looks_like_formula(raw):
            warnings.append(Problem(file, row_no, spec.column or f"({name})", _shown(mapping, name, raw),
                                    FORMULA_WARNING, "formula_like", _row_key(mapping, index, cells)))
        if how == "text" and type(raw) is str and len(raw) <= spec.max_length and (
                raw.isprintable() or not CONTROL.search(raw)):  # isprintable: one C scan, most cells
            values[name] = raw  # what convert() gives a text cell, without the call
            continue
        if how == "house_number" and type(raw) is str and not raw.strip().isdigit() and \
                (m := _NUMBER_AND_ADDITION.match(raw)):
            values[name], addition = int(m.group(1)), m.group(2)  # 4a, 9-2, 12 A: as a register writes them
            continue
        try:
            values[name] = _cell_value(mapping, spec, raw)
        except _Rejected as exc:
            bad(name, raw, exc.reason, exc.code)
    if addition is not None and "house_number" not in failed:
        _place_addition(values, addition, bad)
    _check_fields(plan, values, today, bad)
    if not problems:
        _check_subject(plan, values, file, row_no, problems)
    if problems and partial is not None:
        partial.update((k, v) for k, v in values.items() if k not in failed)
    return (None, problems) if problems else (values, warnings)


class _Rejected(Exception):
    """A cell that does not convert: why, and the problem's code."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason, self.code = reason, code


def _cell_value(mapping: Mapping, spec: FieldSpec, raw: Any) -> Any:
    """The canonical value of a non-empty cell (converted, BSN checked, coded, prefixed); raise
    :class:`_Rejected` when it has none."""
    try:
        value = convert(spec, raw)
    except CellProblem as exc:
        code = "impossible_date" if str(exc) == "impossible date" else (
            "bad_date" if spec.type == "date" else "control_character" if isinstance(exc, ControlCharacter)
            else "bad_value")
        raise _Rejected(message_of(exc), code) from None
    if spec.type == "bsn":
        reason = bsn_problem(raw)
        if reason:
            raise _Rejected(reason, "bad_bsn")
    if spec.codes:
        coded = mapping.codes[spec.codes].get(str(value).strip().casefold())
        allowed = mapping.allowed(spec.name) if coded is None else None
        if allowed is not None and value in allowed:
            coded = value  # a code table translates local spellings; the model's own value passes as itself
        elif allowed is not None:  # the model's own Dutch words for it ("Schulden", "gezondheid en welzijn")
            coded = mapping.words(spec.name).get(folded(str(value)))
        if coded is None and spec.name == "area_code":
            raise _Rejected(said("said.ingest.unknown_area", "unknown area (not in code list {codes!r}, and no area "
                                 "in the database has this code or name: load the areas first)", codes=spec.codes),
                            "unknown_code")
        if coded is None:
            raise _Rejected(said("said.ingest.unknown_code_allowed", "unknown code (not in code list {codes!r}; "
                                 "allowed: {allowed})", codes=spec.codes,
                                 allowed=_allowed_words(mapping, spec)), "unknown_code")
        value = coded
    if spec.prefix and value is not None:
        value = spec.prefix + str(value)
    return value


def _allowed_words(mapping: Mapping, spec: FieldSpec, most: int = 12) -> str:
    """What a coded cell may hold, as a steward reads it in the report: the model's values by their Dutch
    meaning when the field has a code list in the model, else the words of the mapping's table; the first
    ``most`` and how many more (a list of 37 organisations is not read in one sentence)."""
    codes = mapping.code_list(spec.name)
    words = [c.nl for c in codes.codes] if codes is not None else list(mapping.codes.get(str(spec.codes), {}))
    shown = "; ".join(words[:most])
    return shown + (f" … (+{len(words) - most})" if len(words) > most else "")


def _row_key(mapping: Mapping, index: dict[str, int], cells: list[Any]) -> str:
    """A row's key as the file wrote it, masked: worked out only when the row has something to report."""
    key = [index.get(c.casefold()) for c in mapping.key]
    return shown_key(mapping, tuple(cells[i] if i is not None and i < len(cells) else None for i in key))


def _place_addition(values: dict[str, Any], addition: str, bad: Callable[[str, Any, str, str], None]) -> None:
    """A house number's addition written in its cell (4a) goes to the empty suffix; a different suffix is asked
    about."""
    given = values.get("suffix")
    if given is None or given == "":
        values["suffix"] = addition
    elif str(given).strip().upper().lstrip("-") != addition.upper():
        bad("house_number", None, said("said.ingest.two_additions", "a house number with an addition ({addition}) "
                                       "and another one in the suffix column: which is it?", addition=addition),
            "bad_value")


#: a house number with its addition in one cell: 4a, 4 A, 9-2, 12-bis, 7 hs (the number first, at most 5 digits)
_NUMBER_AND_ADDITION = re.compile(r"^\s*(\d{1,5})\s*[- ]?\s*([A-Za-z0-9]{1,4})\s*$")


def _allowed_as_written(value: Any, allowed: tuple[Any, ...]) -> Any:
    """The allowed code ``value`` is, written in another case or with spaces around it; None when it is none.

    >>> _allowed_as_written(" Casemanager", ("casemanager", "regievoerder")), _allowed_as_written("x", ("y",))
    ('casemanager', None)
    """
    if not isinstance(value, str):
        return None
    folded = value.strip().casefold()
    return next((a for a in allowed if isinstance(a, str) and a.casefold() == folded), None)


def _check_fields(plan: RowPlan, values: dict[str, Any], today: date, bad: Callable[[str, Any, str, str], None]
                  ) -> None:
    """The checks of a row's converted values against each other (only values that converted cleanly, so every
    problem of a row is reported): allowed codes, end before start, a BSN in free text, a self-handover, a birth
    date in the future."""
    for name, allowed in plan.allowed:
        v = values.get(name)
        if v is not None and v not in allowed:
            if (same := _allowed_as_written(v, allowed)) is not None:  # Casemanager for casemanager
                values[name] = same
                continue
            bad(name, v, said("said.ingest.unknown_code", "unknown code (allowed: {allowed})",
                              allowed=", ".join(map(str, allowed))), "unknown_code")
    _check_dates(plan.dates, values, today, bad)
    for start, end in DATE_ORDER:
        s, e = values.get(start), values.get(end)
        if isinstance(s, date) and isinstance(e, date) and e < s:
            bad(end, e, said("said.ingest.end_before_start", "{end} is before {start}", end=field_word(end),
                             start=field_word(start)), "end_before_start")
    for name in plan.free_text:
        v = values.get(name)
        if isinstance(v, str) and holds_bsn(v):
            bad(name, v, said("said.ingest.bsn_in_text", "holds a number that passes the BSN 11-proef; a BSN "
                              "belongs only in the BSN column: remove it from this text"), "bsn_in_text")
    handed = values.get("from_involvement_id")
    if handed is not None and handed == values.get("to_involvement_id"):
        bad("to_involvement_id", handed, said("said.ingest.self_handover", "a handover from an involvement to itself"),
            "self_handover")
    bd = values.get("birth_date")
    if isinstance(bd, date) and bd > today:
        bad("birth_date", bd, said("said.ingest.future_birth_date", "birth date is in the future"),
            "future_birth_date")
    elif isinstance(bd, date) and bd.year < EARLIEST_BIRTH_YEAR:  # 01-01-1800 was taken (an outside test)
        bad("birth_date", bd, said("said.ingest.early_birth_date", "birth date before {year}: check the year",
                                   year=str(EARLIEST_BIRTH_YEAR)), "early_birth_date")
    number = values.get("house_number")
    if isinstance(number, int) and number < 1:  # house number 0 was taken (an outside test)
        bad("house_number", number, said("said.ingest.house_number_zero", "a house number is 1 or more"),
            "bad_house_number")


def _check_dates(names: tuple[str, ...], values: dict[str, Any], today: date,
                 bad: Callable[[str, Any, str, str], None]) -> None:
    """A date that is a source system's "unknown" or "no end" rather than a day (the birth date has its own
    checks): an end in :data:`OPEN_END_YEAR` or later is an open end; any date before :data:`EARLIEST_EVENT_YEAR`,
    and a start more than :data:`LATEST_START_DAYS` after today (the clock's, or ``today`` when that is later), is
    refused with what it probably is. A deadline (an agreement's ``due``) is neither: it may lie further ahead."""
    for name in names:  # pass 1 runs this per row: only the date fields, the clock only for a date far ahead
        v = values.get(name)
        if not isinstance(v, date):
            continue
        if name in _ENDS and v.year >= OPEN_END_YEAR:
            values[name] = None  # 31-12-9999: no end yet
        elif v.year < EARLIEST_EVENT_YEAR:
            bad(name, v, said("said.ingest.early_date", "a date before {year}: a source system's value for "
                              "'unknown' (such as 01-01-1900)? Leave the cell empty when the date is not known",
                              year=str(EARLIEST_EVENT_YEAR)), "early_date")
        elif name in _STARTS and name not in _ENDS and v > today + timedelta(days=LATEST_START_DAYS) \
                and v > max(today, clock_today()) + timedelta(days=LATEST_START_DAYS):
            bad(name, v, said("said.ingest.late_date", "more than a year after today: a typing error in the year, "
                              "or a source system's value for 'unknown'?"), "late_date")


def _check_subject(plan: RowPlan, values: dict[str, Any], file: str, row_no: int, problems: list[Problem]) -> None:
    """An otherwise valid row must name its person or household (an empty key rejects it)."""
    if plan.groups and not _has_subject(values, plan.groups):
        problems.append(Problem(file, row_no, plan.subject_columns, "", said(
            "said.ingest.no_subject", "no person or household identifier (empty key)"), "empty_key"))
    for groups, cols in plan.also if not problems else ():
        if not _has_subject(values, groups):
            problems.append(Problem(file, row_no, cols, "", said(
                "said.ingest.no_identifier", "no identifier in any of these columns (empty key)"), "empty_key"))
