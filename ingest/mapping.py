"""Declarative source mappings: a small YAML file per export says which column becomes which field.

A mapping names a *source kind* (:data:`SOURCE_KINDS`), the ``source`` recorded on every node and relationship,
the file format, a policy, the row key and one entry per field::

    name: vis2-betrokkenheid
    kind: involvement
    source: VIS2
    format: {type: csv, encoding: auto, delimiter: ";"}
    policy: load_valid_and_write_rejects      # or reject_file
    on_missing: end                           # or report (default): rows gone since the last import
    key: [registratienummer]
    fields:
      id: {column: registratienummer, prefix: "VIS2-"}
      bsn: {column: bsn, type: bsn}
      since: {column: startdatum, type: date, format: dd-mm-yyyy}
      organisation_id: {column: instelling, codes: organisations}
      role: {constant: casemanager}
    codes:
      organisations: {"Tactus verslavingszorg": ORG-TACTUS}

Field names come only from :data:`SOURCE_KINDS` (never from the file), so no header can become a property key,
label or type. Columns of the file that no field names are dropped and reported. ``docs/ingest.md`` has a
complete example per kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from graph.errors import IngestError
from graph.model import INVOLVEMENT_ROLES, LIFE_DOMAINS, MEMBER_ROLES

__all__ = [
    "ENDABLE_KINDS",
    "ON_MISSING",
    "POLICIES",
    "SOURCE_KINDS",
    "CellProblem",
    "FieldSpec",
    "Mapping",
    "MappingError",
    "SourceKind",
    "convert",
    "load_mapping",
    "parse_date",
]

POLICIES = ("reject_file", "load_valid_and_write_rejects")
#: What happens to a row that was in the previous import of the mapping and is missing from this one:
#: ``report`` lists it (count and keys) and changes nothing; ``end`` also ends what the row registered.
ON_MISSING = ("report", "end")
#: Source kinds whose rows register something with an end date (``until``) that ``on_missing: end`` sets.
ENDABLE_KINDS = ("involvement", "household_composition")
TYPES = ("text", "int", "decimal", "date", "bool", "bsn")


class MappingError(IngestError):
    """The mapping file itself is wrong."""


class CellProblem(ValueError):
    """One cell cannot be converted; ``str()`` is the reason (without the value)."""


@dataclass(frozen=True)
class SourceKind:
    """What a mapping of this kind may and must provide."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    #: at least one field of one of these groups must be mapped (and filled per row)
    subject: tuple[tuple[str, ...], ...] = ()

    @cached_property  # read per row by ingest.resolve.records_for: worked out once
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional


_PERSON = ("bsn", "person_source_id", "name", "birth_date", "gender")
_ADDRESS = ("postcode", "house_number", "suffix")
SOURCE_KINDS: dict[str, SourceKind] = {k.name: k for k in (
    SourceKind("household_composition", ("postcode", "house_number", "role", "since", "area_code"),
               _PERSON + ("suffix", "street", "until", "housing_corporation"),
               subject=(("bsn",), ("person_source_id",))),
    SourceKind("involvement", ("id", "professional_id", "organisation_id", "life_domain", "role", "since"),
               ("until", "function", "bsn", "person_source_id") + _ADDRESS,
               subject=(("bsn",), ("person_source_id",), ("postcode", "house_number"))),
    SourceKind("handover", ("id", "from_involvement_id", "to_involvement_id", "date"), ("reason",)),
    SourceKind("referral", ("id", "professional_id", "organisation_id", "date", "life_domain"),
               ("accepted_at", "started_at", "reason", "bsn", "person_source_id") + _ADDRESS),
    SourceKind("mandate", ("id", "organisation_id", "life_domain", "decision_type", "since"),
               ("until", "buddy_professional_id")),
    SourceKind("organisation", ("id", "name", "sector"), ("covenant_group", "mandating")),
    SourceKind("professional", ("id", "name", "function", "organisation_id", "since"),
               ("until", "phone", "is_coach")),
)}

_DEFAULT_TYPES = {
    "since": "date", "until": "date", "date": "date", "birth_date": "date", "accepted_at": "date",
    "started_at": "date", "house_number": "int", "mandating": "bool", "is_coach": "bool", "bsn": "bsn",
}
#: Fields whose canonical values are a model code list; a value outside it is an "unknown code".
_ALLOWED: dict[tuple[str, str], tuple[str, ...]] = {
    ("*", "life_domain"): LIFE_DOMAINS,
    ("involvement", "role"): INVOLVEMENT_ROLES,
    ("household_composition", "role"): MEMBER_ROLES,
    ("household_composition", "gender"): ("M", "V", "X"),
}
_DATE_TOKENS = {"dd": r"(\d{2})", "mm": r"(\d{2})", "yyyy": r"(\d{4})"}
_DATE_FORMAT = re.compile(r"^(dd|mm|yyyy)([-/.])(dd|mm|yyyy)\2(dd|mm|yyyy)$")
_TRUE = {"1", "j", "ja", "y", "yes", "true", "waar", "x"}
_FALSE = {"0", "n", "nee", "no", "false", "onwaar", ""}


@dataclass(frozen=True)
class FieldSpec:
    """How one field is filled: from a column (converted, coded, prefixed) or a constant."""

    name: str
    column: str | None = None
    constant: Any = None
    type: str = "text"
    format: str = "dd-mm-yyyy"
    decimal: str = "."
    codes: str | None = None
    prefix: str = ""
    required: bool = False
    max_length: int = 200


@dataclass(frozen=True)
class Mapping:
    """A parsed, checked mapping file."""

    name: str
    kind: SourceKind
    source: str
    fields: dict[str, FieldSpec]
    codes: dict[str, dict[str, str]]
    key: tuple[str, ...] = ()
    policy: str = "reject_file"
    on_missing: str = "report"
    fmt: str = "auto"
    encoding: str = "auto"
    delimiter: str = "auto"
    sheet: str | None = None
    store_names: bool = False
    path: Path | None = None
    description: str = ""

    @property
    def columns(self) -> set[str]:
        """Columns the mapping reads (case-insensitive names)."""
        cols = {f.column.casefold() for f in self.fields.values() if f.column}
        return cols | {k.casefold() for k in self.key}

    def required_columns(self) -> list[str]:
        return sorted({f.column for f in self.fields.values() if f.column and f.required}, key=str.casefold)

    def allowed(self, field_name: str) -> tuple[str, ...] | None:
        return _ALLOWED.get((self.kind.name, field_name)) or _ALLOWED.get(("*", field_name))


@lru_cache(maxsize=64)
def _date_regex(fmt: str) -> tuple[re.Pattern[str], tuple[int, int, int]]:
    """The pattern of ``fmt`` and the positions of year, month and day among its groups."""
    m = _DATE_FORMAT.match(fmt)
    if not m or sorted((m.group(1), m.group(3), m.group(4))) != ["dd", "mm", "yyyy"]:
        raise MappingError(f"Date format {fmt!r} is not supported: use e.g. dd-mm-yyyy, yyyy-mm-dd or dd/mm/yyyy.")
    order = (m.group(1), m.group(3), m.group(4))
    sep = re.escape(m.group(2))
    return (re.compile("^" + sep.join(_DATE_TOKENS[t] for t in order) + "$"),
            (order.index("yyyy"), order.index("mm"), order.index("dd")))


def parse_date(value: Any, fmt: str) -> date:
    """Parse ``value`` strictly in ``fmt`` (typed spreadsheet dates are taken as they are).

    Day and month order is never guessed: ``03-04-2021`` in ``dd-mm-yyyy`` is 3 April, and ``2021-04-03`` does
    not match ``dd-mm-yyyy`` at all.

    >>> parse_date("03-04-2021", "dd-mm-yyyy")
    datetime.date(2021, 4, 3)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _parse_date_text(value.strip() if isinstance(value, str) else str(value).strip(), fmt)


@lru_cache(maxsize=16384)  # an export repeats its dates on many rows (only valid ones are kept: errors raise)
def _parse_date_text(text: str, fmt: str) -> date:
    rx, (y, mo, d) = _date_regex(fmt)
    m = rx.match(text)
    if not m:
        raise CellProblem(f"date not in the format {fmt}")
    g = m.groups()
    try:
        return date(int(g[y]), int(g[mo]), int(g[d]))
    except ValueError:
        raise CellProblem("impossible date") from None


def convert(spec: FieldSpec, value: Any) -> Any:
    """Convert one non-empty cell to the field's type; raise :class:`CellProblem` with a value-free reason.

    >>> convert(FieldSpec("x", type="decimal", decimal=","), "1.234,5")
    1234.5
    """
    if spec.type == "date":
        return parse_date(value, spec.format)
    if spec.type == "int":
        if isinstance(value, bool):
            raise CellProblem("not a whole number")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).strip()
        if not re.fullmatch(r"\d{1,9}", text):
            raise CellProblem("not a whole number")
        return int(text)
    if spec.type == "decimal":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        text = str(value).strip().replace(" ", "")
        if spec.decimal == ",":
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
        try:
            return float(Decimal(text))
        except InvalidOperation:
            raise CellProblem(f"not a number with decimal separator {spec.decimal!r}") from None
    if spec.type == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellProblem("not yes/no")
    if spec.type == "bsn":
        return value  # normalised and checked by ingest.pseudonym, never converted to text here
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value.isoformat() if isinstance(value, date) else str(value)
    if len(text) > spec.max_length:
        raise CellProblem(f"longer than {spec.max_length} characters")
    return text


def _field(kind: SourceKind, name: str, raw: Any, where: str) -> FieldSpec:
    if name not in kind.fields:
        raise MappingError(f"{where}: {name!r} is not a field of a {kind.name} source; allowed: "
                           f"{', '.join(kind.fields)}.")
    if isinstance(raw, str):
        raw = {"column": raw}
    if not isinstance(raw, dict):
        raise MappingError(f"{where}: field {name!r} must be a column name or a table with column/constant.")
    unknown = set(raw) - {"column", "constant", "type", "format", "decimal", "codes", "prefix", "required",
                          "max_length"}
    if unknown:
        raise MappingError(f"{where}: field {name!r} has unknown settings {sorted(unknown)}.")
    if ("column" in raw) == ("constant" in raw):
        raise MappingError(f"{where}: field {name!r} needs exactly one of column or constant.")
    ftype = raw.get("type", _DEFAULT_TYPES.get(name, "text"))
    if ftype not in TYPES:
        raise MappingError(f"{where}: field {name!r} has unknown type {ftype!r}; use one of {', '.join(TYPES)}.")
    if (name == "bsn") != (ftype == "bsn"):
        raise MappingError(f"{where}: only the field 'bsn' has type bsn (it is pseudonymised, never stored).")
    spec = FieldSpec(
        name=name,
        column=str(raw["column"]).strip() if "column" in raw else None,
        constant=raw.get("constant"),
        type=ftype,
        format=str(raw.get("format", "dd-mm-yyyy")),
        decimal=str(raw.get("decimal", ".")),
        codes=raw.get("codes"),
        prefix=str(raw.get("prefix", "")),
        required=bool(raw.get("required", name in kind.required)),
        max_length=int(raw.get("max_length", 200)),
    )
    if ftype == "date":
        _date_regex(spec.format)
    return spec


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file; raise :class:`MappingError` naming the file and the problem."""
    path = Path(path)
    where = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise MappingError(f"{where}: cannot read the mapping ({type(exc).__name__}).") from None
    return mapping_from_dict(data, where=where, path=path)


def mapping_from_dict(data: Any, *, where: str = "mapping", path: Path | None = None) -> Mapping:
    if not isinstance(data, dict):
        raise MappingError(f"{where}: a mapping is a YAML table with name, kind, source and fields.")
    unknown = set(data) - {"name", "kind", "source", "description", "format", "policy", "key", "fields", "codes",
                           "store_names", "on_missing"}
    if unknown:
        raise MappingError(f"{where}: unknown top-level settings {sorted(unknown)}.")
    for req in ("name", "kind", "source", "fields"):
        if req not in data:
            raise MappingError(f"{where}: {req!r} is missing.")
    kind = SOURCE_KINDS.get(str(data["kind"]))
    if kind is None:
        raise MappingError(f"{where}: kind {data['kind']!r} is unknown; use one of {', '.join(SOURCE_KINDS)}.")
    if not isinstance(data["fields"], dict):
        raise MappingError(f"{where}: 'fields' must be a table of field: column.")
    fields = {str(n): _field(kind, str(n), raw, where) for n, raw in data["fields"].items()}
    missing = [f for f in kind.required if f not in fields]
    if missing:
        raise MappingError(f"{where}: a {kind.name} mapping must fill {', '.join(missing)}.")
    if kind.subject and not any(all(f in fields for f in group) for group in kind.subject):
        raise MappingError(f"{where}: a {kind.name} mapping needs a subject: "
                           + " or ".join("+".join(g) for g in kind.subject) + ".")
    codes = data.get("codes") or {}
    if not isinstance(codes, dict) or not all(isinstance(v, dict) for v in codes.values()):
        raise MappingError(f"{where}: 'codes' must be a table of code lists (source value: canonical value).")
    codes = {str(k): {str(a).strip().casefold(): str(b) for a, b in v.items()} for k, v in codes.items()}
    for f in fields.values():
        if f.codes and f.codes not in codes:
            raise MappingError(f"{where}: field {f.name!r} uses code list {f.codes!r}, which is not defined.")
    fmt = data.get("format") or {}
    policy = str(data.get("policy", "reject_file"))
    if policy not in POLICIES:
        raise MappingError(f"{where}: policy {policy!r} is unknown; use {' or '.join(POLICIES)}.")
    on_missing = str(data.get("on_missing", "report"))
    if on_missing not in ON_MISSING:
        raise MappingError(f"{where}: on_missing {on_missing!r} is unknown; use {' or '.join(ON_MISSING)}.")
    if on_missing == "end" and kind.name not in ENDABLE_KINDS:
        raise MappingError(f"{where}: on_missing: end applies to {' and '.join(ENDABLE_KINDS)} sources only; "
                           f"a {kind.name} row has nothing to end (use report).")
    key = tuple(str(k) for k in (data.get("key") or ()))
    cols = {f.column.casefold() for f in fields.values() if f.column}
    for k in key:
        if k.casefold() not in cols:
            raise MappingError(f"{where}: key column {k!r} is not used by any field.")
    return Mapping(
        name=str(data["name"]), kind=kind, source=str(data["source"]), fields=fields, codes=codes, key=key,
        policy=policy, on_missing=on_missing, fmt=str(fmt.get("type", "auto")), encoding=str(fmt.get("encoding", "auto")),
        delimiter=str(fmt.get("delimiter", "auto")), sheet=fmt.get("sheet"),
        store_names=bool(data.get("store_names", False)), path=path, description=str(data.get("description", "")),
    )
