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

``organisation_id: {column: instelling, match: name}`` matches the cell against the organisations' names and
aliases instead (:func:`ingest.resolve.resolve_lookups`); ``create_professionals: true`` creates staff codes the
graph does not know. A ``constant`` is typed, converted and checked like a cell when the mapping is read.

Field names come only from :data:`SOURCE_KINDS` (never from the file), so no header can become a property key,
label or type. Columns of the file that no field names are dropped and reported. ``docs/ingest.md`` has a
complete example per kind.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from graph.errors import IngestError
from graph.model import CodeList
from graph.profile import code_list, code_values
from graph.said import DATE_PATTERNS, date_pattern, message_of, said

__all__ = [
    "ALLOWED",
    "BSN_FIELDS",
    "CREATING_KINDS",
    "ENDABLE_KINDS",
    "NAME_MATCH_FIELDS",
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
ENDABLE_KINDS = ("involvement", "household_composition", "caseload")
TYPES = ("text", "int", "decimal", "date", "bool", "bsn")


class MappingError(IngestError):
    """The mapping file itself is wrong."""


class CellProblem(ValueError):
    """One cell cannot be converted; ``str()`` is the reason (without the value)."""


class ControlCharacter(CellProblem):
    """A text holds a character of :data:`CONTROL`."""


@dataclass(frozen=True)
class SourceKind:
    """What a mapping of this kind may and must provide."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    #: at least one field of one of these groups must be mapped (and filled per row)
    subject: tuple[tuple[str, ...], ...] = ()
    #: further requirements of the same form: each must be met too (e.g. a person *and* a household)
    also: tuple[tuple[tuple[str, ...], ...], ...] = ()
    #: what a row becomes in the graph (for docs/ingest.md)
    becomes: str = ""

    @property
    def subjects(self) -> tuple[tuple[tuple[str, ...], ...], ...]:
        """Every "one of these groups" requirement of a row."""
        return ((self.subject,) if self.subject else ()) + self.also

    @cached_property  # read per row by ingest.resolve.records_for: worked out once
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional


_PERSON = ("bsn", "person_source_id", "name", "birth_date", "gender")
_ADDRESS = ("postcode", "house_number", "suffix")
#: a household named by its graph id or by its address
_HOUSEHOLD = ("household_id",) + _ADDRESS
_WHO = (("bsn",), ("person_source_id",))
_WHERE = (("household_id",), ("postcode", "house_number"))
#: the second person of a tie (the neighbour, the informal supporter)
_OTHER = (("other_bsn",), ("other_source_id",))
SOURCE_KINDS: dict[str, SourceKind] = {k.name: k for k in (
    SourceKind("area", ("code", "name", "kind"), ("municipality",),
               becomes="Area"),
    SourceKind("postcode_area", ("postcode", "area_code"), (),
               becomes="Postcode IN_AREA Area (one per PC6/PC4; a range gives one per PC4)"),
    SourceKind("organisation", ("id", "name", "sector"), ("covenant_group", "mandating", "aliases"),
               becomes="Organisation (aliases: other names, separated by a vertical bar)"),
    SourceKind("professional", ("id", "name", "function", "organisation_id", "since"),
               ("until", "phone", "is_coach"),
               becomes="Professional WORKS_FOR Organisation"),
    SourceKind("household_composition", ("postcode", "house_number", "role", "since"),
               _PERSON + ("suffix", "street", "until", "housing_corporation", "area_code"),
               subject=_WHO,
               becomes="Household IN_AREA Area (the row's area, else the postcode table's), Person, HAS_MEMBER"),
    SourceKind("caseload", ("professional_id", "since"), ("until",) + _HOUSEHOLD, subject=_WHERE,
               becomes="Professional COACHES Household"),
    SourceKind("client_system", ("relation",), _PERSON + ("since", "until") + _HOUSEHOLD,
               subject=_WHO, also=(_WHERE,),
               becomes="Person (created if new) IN_CLIENT_SYSTEM Household"),
    SourceKind("neighbour", (), ("bsn", "person_source_id", "other_bsn", "other_source_id"), subject=_WHO,
               also=(_OTHER,),
               becomes="Person NEIGHBOUR_OF Person (the neighbour, other_bsn/other_source_id, created if new)"),
    SourceKind("informal_support", ("kind",), ("bsn", "person_source_id", "other_bsn", "other_source_id",
                                               "since", "until"), subject=_WHO, also=(_OTHER,),
               becomes="Person (supporter: other_bsn/other_source_id, created if new) INFORMAL_SUPPORT Person"),
    SourceKind("involvement", ("id", "professional_id", "organisation_id", "life_domain", "role", "since"),
               ("until", "function", "bsn", "person_source_id") + _ADDRESS,
               subject=(("bsn",), ("person_source_id",), ("postcode", "house_number")),
               becomes="Involvement (+ Person by BSN/source id, or a Household by address)"),
    SourceKind("handover", ("id", "from_involvement_id", "to_involvement_id", "date"), ("reason",),
               becomes="Handover between two involvements"),
    SourceKind("referral", ("id", "professional_id", "organisation_id", "date", "life_domain"),
               ("accepted_at", "started_at", "reason", "bsn", "person_source_id") + _ADDRESS,
               becomes="Referral (+ Person)"),
    SourceKind("mandate", ("id", "organisation_id", "life_domain", "decision_type", "since"),
               ("until", "buddy_professional_id"),
               becomes="Mandate granted by an organisation"),
    SourceKind("mandate_holder", ("mandate_id", "professional_id", "since"), ("until",),
               becomes="Professional HOLDS Mandate"),
    SourceKind("advice", ("id", "mandate_id", "professional_id", "date"), ("outcome",) + _HOUSEHOLD,
               subject=_WHERE,
               becomes="Advice GAVE by a professional, UNDER a mandate, ABOUT a household"),
    SourceKind("plan", ("id", "created_at"), _HOUSEHOLD, subject=_WHERE,
               becomes="Plan of a household (HAS_PLAN)"),
    SourceKind("goal", ("id", "plan_id", "life_domain", "description"), ("status", "since", "status_since"),
               becomes="Goal of a plan (HAS_GOAL)"),
    SourceKind("agreement", ("id", "plan_id", "kind", "text", "date"), ("due", "status", "status_since"),
               becomes="Agreement or sanction of a plan (HAS_AGREEMENT)"),
    SourceKind("ladder_score", ("id", "date", "rung"), ("bsn", "person_source_id"), subject=_WHO,
               becomes="LadderScore of a person (HAS_SCORE)"),
    SourceKind("signal", ("id", "date", "channel"), _HOUSEHOLD, subject=_WHERE,
               becomes="Signal ABOUT a household"),
    SourceKind("consent", ("id", "organisation_id", "scope", "signed_at"), ("until", "bsn", "person_source_id"),
               subject=_WHO,
               becomes="Consent a person gave (GAVE_CONSENT) TO an organisation"),
    SourceKind("consultation", ("id", "date", "professional_ids"), ("kind",) + _HOUSEHOLD, subject=_WHERE,
               becomes="Consultation ABOUT a household, ATTENDED by professionals (codes separated by a vertical bar)"),
)}

_DEFAULT_TYPES = {
    "since": "date", "until": "date", "date": "date", "birth_date": "date", "accepted_at": "date",
    "started_at": "date", "created_at": "date", "signed_at": "date", "due": "date", "status_since": "date",
    "house_number": "int",
    "rung": "int", "mandating": "bool", "is_coach": "bool", "bsn": "bsn", "other_bsn": "bsn",
}
#: Fields typed ``bsn`` (pseudonymised at once, never stored).
BSN_FIELDS = ("bsn", "other_bsn")
#: Fields whose canonical values are a model code list (:data:`graph.model.CODE_LISTS`); a value outside it is
#: an "unknown code". ``*``: that field of any source kind.
ALLOWED: dict[tuple[str, str], str] = {
    ("*", "life_domain"): "life_domain",
    ("involvement", "role"): "involvement_role",
    ("household_composition", "role"): "member_role",
    ("household_composition", "gender"): "gender",
    ("client_system", "gender"): "gender",
    ("area", "kind"): "area_kind",
    ("mandate", "decision_type"): "decision_type",
    ("advice", "outcome"): "advice_outcome",
    ("goal", "status"): "goal_status",
    ("agreement", "kind"): "agreement_kind",
    ("agreement", "status"): "agreement_status",
    ("ladder_score", "rung"): "ladder_rung",
    ("signal", "channel"): "signal_channel",
    ("consent", "scope"): "consent_scope",
}
#: Fields that may name an organisation by its name or a declared alias instead of its id (``match: name``).
NAME_MATCH_FIELDS = ("organisation_id",)
#: Source kinds whose professional (``professional_id``) may be created when first seen (create_professionals).
CREATING_KINDS = ("involvement", "referral")
#: a day or month of one digit is read too: Excel in Dutch writes its default date format as d-m-jjjj (1-3-2005) in a
#: CSV it saves; the order still comes from the format alone, never guessed
_DATE_TOKENS = {"dd": r"(\d{1,2})", "mm": r"(\d{1,2})", "yyyy": r"(\d{4})"}
#: Characters no text may hold: the control characters (but tab and line ends) and the bidirectional overrides
#: and isolates, which turn the text after them around on the screen ("‮" made a name read backwards in the
#: brief) — an outside test stored a NUL and U+202E through a coach's form (06-12-2026).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def name_controls(text: str) -> str:
    """``text`` with each character of :data:`CONTROL` named by its code point instead of kept: what a report or
    a page shows of a value as written (a NUL made a report a binary file, U+202E turned a line around).

    >>> name_controls("Jan\u202eeD")
    'Jan<U+202E>eD'
    """
    return CONTROL.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def control_problem(text: str) -> ControlCharacter | None:
    """Why ``text`` is refused for a character in :data:`CONTROL`, naming it and its place; ``None`` if none.

    >>> str(control_problem("Jan\u202eeD"))
    'holds an invisible control character (U+202E) at position 4: type the text again without it'
    """
    if (m := CONTROL.search(text)) is None:
        return None
    return ControlCharacter(said("said.ingest.control_character", "holds an invisible control character ({code}) at "
                                 "position {pos}: type the text again without it",
                                 code=f"U+{ord(m.group()):04X}", pos=str(m.start() + 1)))


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
    #: ``"name"``: the cell names an organisation by its name or a declared alias (see ingest.resolve)
    match: str | None = None


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
    #: professionals an involvement or referral export names that are not in the graph are created (with their
    #: code, function and organisation) instead of being rejected as unknown
    create_professionals: bool = False
    path: Path | None = None
    description: str = ""

    @cached_property
    def digest(self) -> str:
        """What the mapping does to a file, as 16 hex digits: every setting but its file's path and description.
        The import ledger keys a file by its hash, the mapping's name and this digest."""
        what: dict[str, Any] = {f.name: getattr(self, f.name) for f in dataclass_fields(self)
                                if f.name not in ("path", "description", "kind", "fields")}
        what["kind"] = self.kind.name
        what["fields"] = {n: asdict(spec) for n, spec in sorted(self.fields.items())}
        text = json.dumps(what, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @property
    def label(self) -> str:
        """How a person recognises the mapping: its description, then its name ("BRP: huishoudens …
        (brp_huishoudens)"); the name alone without one."""
        return f"{self.description.rstrip('.')} ({self.name})" if self.description else self.name

    @property
    def columns(self) -> set[str]:
        """Columns the mapping reads (case-insensitive names)."""
        cols = {f.column.casefold() for f in self.fields.values() if f.column}
        return cols | {k.casefold() for k in self.key}

    def required_columns(self) -> list[str]:
        return sorted({f.column for f in self.fields.values() if f.column and f.required}, key=str.casefold)

    def allowed(self, field_name: str) -> tuple[Any, ...] | None:
        return _allowed(self.kind.name, field_name)

    def code_list(self, field_name: str) -> CodeList | None:
        """The model's code list of the field in this deployment (with the profile's extra values), if it has one."""
        name = _code_list_name(self.kind.name, field_name)
        return None if name is None else code_list(name)

    def words(self, field_name: str) -> dict[str, Any]:
        """The Dutch words for the values of the field's code list in the model (:attr:`graph.model.CodeList.words`):
        taken besides the mapping's own table, so a mapping need not list every way of writing a life domain."""
        codes = self.code_list(field_name)
        return {} if codes is None else codes.words


def _code_list_name(kind: str, field_name: str) -> str | None:
    return ALLOWED.get((kind, field_name)) or ALLOWED.get(("*", field_name))


def _allowed(kind: str, field_name: str) -> tuple[Any, ...] | None:
    name = _code_list_name(kind, field_name)
    return None if name is None else code_values(name)


@lru_cache(maxsize=64)
def _date_regex(fmt: str) -> tuple[re.Pattern[str], tuple[int, int, int]]:
    """The pattern of ``fmt`` and the positions of year, month and day among its groups."""
    if fmt not in DATE_PATTERNS:  # the formats the load report can name (graph.said.date_pattern)
        raise MappingError(said("said.mapping.date_format", "Date format {fmt!r} is not supported: use e.g. "
                                "dd-mm-yyyy, yyyy-mm-dd or dd/mm/yyyy.", fmt=fmt))
    sep = next(c for c in "-/." if c in fmt)
    order = fmt.split(sep)
    # The mapping's order and separator (01/09/2008 in a dd-mm-yyyy column may be an American 9 January: refused);
    # a time after the day is dropped (01-09-2008 00:00, a date column of a database export).
    pattern = ("^" + re.escape(sep).join(_DATE_TOKENS[t] for t in order)
               + r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
    return re.compile(pattern), (order.index("yyyy"), order.index("mm"), order.index("dd"))


def parse_date(value: Any, fmt: str) -> date:
    """Parse ``value`` strictly in ``fmt`` (typed spreadsheet dates are taken as they are).

    Day and month order is never guessed: ``03-04-2021`` in ``dd-mm-yyyy`` is 3 April, and ``2021-04-03`` does
    not match ``dd-mm-yyyy`` at all.

    >>> parse_date("03-04-2021", "dd-mm-yyyy")
    datetime.date(2021, 4, 3)
    >>> parse_date("1-3-2005", "dd-mm-yyyy")  # as Excel writes a date in a Dutch CSV
    datetime.date(2005, 3, 1)
    >>> parse_date("01-03-2005 00:00", "dd-mm-yyyy"), parse_date("2005-03-01T14:30:00", "yyyy-mm-dd")
    (datetime.date(2005, 3, 1), datetime.date(2005, 3, 1))
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
        raise CellProblem(said("said.ingest.bad_date", "date not in the format {fmt}", fmt=date_pattern(fmt)))
    g = m.groups()
    try:
        return date(int(g[y]), int(g[mo]), int(g[d]))
    except ValueError:
        raise CellProblem(said("said.ingest.impossible_date", "impossible date")) from None


def convert(spec: FieldSpec, value: Any) -> Any:
    """Convert one non-empty cell to the field's type; raise :class:`CellProblem` with a value-free reason.

    >>> convert(FieldSpec("x", type="decimal", decimal=","), "1.234,5")
    1234.5
    """
    if spec.type == "date":
        return parse_date(value, spec.format)
    if spec.type == "int":
        if isinstance(value, bool):
            raise CellProblem(said("said.ingest.not_whole", "not a whole number"))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).strip()
        if re.fullmatch(r"-\s*\d{1,9}", text):  # "-5" is whole, but below zero ("not a whole number" misled)
            raise CellProblem(said("said.ingest.negative", "below zero"))
        if not re.fullmatch(r"\d{1,9}", text):
            raise CellProblem(said("said.ingest.not_whole", "not a whole number"))
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
            raise CellProblem(said("said.ingest.not_decimal", "not a number with decimal separator {decimal!r}",
                                   decimal=spec.decimal)) from None
    if spec.type == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellProblem(said("said.ingest.not_bool", "not yes/no"))
    if spec.type == "bsn":
        return value  # normalised and checked by ingest.pseudonym, never converted to text here
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value.isoformat() if isinstance(value, date) else str(value)
    if len(text) > spec.max_length:
        raise CellProblem(said("said.ingest.too_long", "longer than {n} characters", n=spec.max_length))
    if (problem := control_problem(text)) is not None:
        raise problem
    return text


# A mapping's settings, each read by its type; a value of another shape is refused in one sentence naming the
# setting and the value as written (``bool("nee")`` was true: ``store_names: nee`` stored names).
_SETTING_YES = {"true", "yes", "ja"}
_SETTING_NO = {"false", "no", "nee"}
FORMAT_TYPES = ("auto", "csv", "xlsx")
_TAB = {"\t", "\\t", "tab"}


def _yes_no(value: Any, setting: str, where: str) -> bool:
    """A yes/no setting: YAML's true/false (yes/no), or ja/nee, yes/no, true/false written as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in _SETTING_YES | _SETTING_NO:
        return value.strip().casefold() in _SETTING_YES
    raise MappingError(said("said.mapping.yes_no", "{where}: {setting} must be yes or no (true/false, ja/nee), not "
                            "{value!r}.", where=where, setting=setting, value=value))


def _text(value: Any, setting: str, where: str, *, empty: bool = False) -> str:
    """A text setting (a number YAML read from ``name: 2024`` is its text); a list or table is refused, and an
    empty text unless ``empty``."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value)
        if empty or text.strip():
            return text
    raise MappingError(said("said.mapping.text", "{where}: {setting} must be a text, not {value!r}.", where=where,
                            setting=setting, value=value))


def _whole(value: Any, setting: str, where: str) -> int:
    """A whole number of at least 1 (also written as text: ``"80"``)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise MappingError(said("said.mapping.whole", "{where}: {setting} must be a whole number of at least 1, not "
                            "{value!r}.", where=where, setting=setting, value=value))


def _format(raw: Any, where: str) -> tuple[str, str, str, str | None]:
    """The ``format`` table: (type, encoding, delimiter, sheet), each checked here, before any file is read."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise MappingError(said("said.mapping.format_table", "{where}: 'format' must be a table (type, encoding, "
                                "delimiter, sheet), not {value!r}.", where=where, value=raw))
    unknown = set(map(str, raw)) - {"type", "encoding", "delimiter", "sheet"}
    if unknown:
        raise MappingError(said("said.mapping.format_settings", "{where}: unknown format settings {settings}; use "
                                "type, encoding, delimiter or sheet.", where=where, settings=str(sorted(unknown))))
    ftype = _text(raw.get("type", "auto"), "format type", where).strip().lower()
    if ftype not in FORMAT_TYPES:
        raise MappingError(said("said.mapping.format_type", "{where}: format type {value!r} is unknown; use "
                                "{types}.", where=where, value=raw.get("type"), types=", ".join(FORMAT_TYPES)))
    encoding = _text(raw.get("encoding", "auto"), "format encoding", where).strip()
    if encoding.lower() != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise MappingError(said("said.mapping.encoding", "{where}: encoding {value!r} is unknown (for example "
                                    "utf-8, windows-1252 or auto).", where=where, value=encoding)) from None
    delimiter = _text(raw.get("delimiter", "auto"), "format delimiter", where, empty=True)
    if delimiter.strip(" ").lower() in ("", "auto"):
        delimiter = "auto"
    elif delimiter.strip(" ").lower() in _TAB:
        delimiter = "\t"
    elif len(delimiter) != 1 or delimiter in "\"\r\n" or delimiter.isalnum():
        raise MappingError(said("said.mapping.delimiter", "{where}: delimiter {value!r} must be one character "
                                "such as ; , | or tab (or auto), not a letter, digit, quote or line break.",
                                where=where, value=delimiter))
    sheet = raw.get("sheet")
    return ftype, encoding, delimiter, None if sheet is None else _text(sheet, "format sheet", where)


def _key(raw: Any, where: str) -> tuple[str, ...]:
    """The key columns: one column name, or a list of them."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or any(isinstance(k, (list, dict)) or k is None for k in raw):
        raise MappingError(said("said.mapping.key_shape", "{where}: 'key' must be a column name or a list of "
                                "column names, not {value!r}.", where=where, value=raw))
    return tuple(str(k) for k in raw)


def _field(kind: SourceKind, name: str, raw: Any, where: str) -> FieldSpec:
    if name not in kind.fields:
        raise MappingError(said("said.mapping.not_a_field", "{where}: {name!r} is not a field of a {kind} source; "
                                "allowed: {allowed}.", where=where, name=name, kind=kind.name,
                                allowed=", ".join(kind.fields)))
    if isinstance(raw, str):
        raw = {"column": raw}
    if not isinstance(raw, dict):
        raise MappingError(said("said.mapping.field_shape", "{where}: field {name!r} must be a column name or a "
                                "table with column/constant.", where=where, name=name))
    unknown = set(raw) - {"column", "constant", "type", "format", "decimal", "codes", "prefix", "required",
                          "max_length", "match"}
    if unknown:
        raise MappingError(said("said.mapping.field_settings", "{where}: field {name!r} has unknown settings "
                                "{settings}.", where=where, name=name, settings=str(sorted(unknown))))
    if ("column" in raw) == ("constant" in raw):
        raise MappingError(said("said.mapping.column_or_constant", "{where}: field {name!r} needs exactly one of "
                                "column or constant.", where=where, name=name))
    ftype = raw.get("type", _DEFAULT_TYPES.get(name, "text"))
    if not isinstance(ftype, str) or ftype not in TYPES:
        raise MappingError(said("said.mapping.unknown_type", "{where}: field {name!r} has unknown type {type!r}; use "
                                "one of {types}.", where=where, name=name, type=ftype, types=", ".join(TYPES)))
    if (name in BSN_FIELDS) != (ftype == "bsn"):
        raise MappingError(said("said.mapping.bsn_type", "{where}: only the field 'bsn' has type bsn (and "
                                "'other_bsn', the second person of a tie): it is pseudonymised, never stored.",
                                where=where))
    match = raw.get("match")
    if match is not None and (match != "name" or name not in NAME_MATCH_FIELDS or "column" not in raw):
        raise MappingError(said("said.mapping.match", "{where}: field {name!r}: 'match: name' is the only match, "
                                "for a column of {fields}.", where=where, name=name,
                                fields=" or ".join(NAME_MATCH_FIELDS)))
    field = f"field {name!r}:"
    decimal = _text(raw.get("decimal", "."), f"{field} decimal", where)
    if decimal not in (".", ","):
        raise MappingError(said("said.mapping.decimal", "{where}: {setting} must be '.' or ',', not {value!r}.",
                                where=where, setting=f"{field} decimal", value=decimal))
    codes = raw.get("codes")
    spec = FieldSpec(
        name=name,
        column=_text(raw["column"], f"{field} column", where).strip() if "column" in raw else None,
        constant=raw.get("constant"),
        type=ftype,
        # dd-mm-jjjj as a Dutch steward writes it too
        format=_text(raw.get("format", "dd-mm-yyyy"), f"{field} format", where).replace("jjjj", "yyyy"),
        decimal=decimal,
        codes=None if codes is None else _text(codes, f"{field} codes", where),
        prefix=_text(raw.get("prefix", ""), f"{field} prefix", where, empty=True),
        required=_yes_no(raw.get("required", name in kind.required), f"{field} required", where),
        max_length=_whole(raw.get("max_length", 200), f"{field} max_length", where),
        match=match,
    )
    if ftype == "date":
        _date_regex(spec.format)
    if "constant" in raw:
        spec = replace(spec, constant=_constant(spec, raw["constant"], where))
    return spec


def _constant(spec: FieldSpec, raw: Any, where: str) -> Any:
    """A constant typed and converted like a cell (a date constant also in ISO form, ``2024-01-01``); raise
    :class:`MappingError` naming the field when it does not convert."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if spec.required:
            raise MappingError(said("said.mapping.empty_constant", "{where}: field {name!r} is required: its "
                                    "constant cannot be empty.", where=where, name=spec.name))
        return None
    if spec.type == "bsn":
        raise MappingError(said("said.mapping.bsn_constant", "{where}: field {name!r}: a BSN cannot be a "
                                "constant.", where=where, name=spec.name))
    try:
        return convert(spec, raw)
    except CellProblem as exc:
        if spec.type == "date" and isinstance(raw, str):
            try:
                return date.fromisoformat(raw.strip())
            except ValueError:
                pass
        raise MappingError(said("said.mapping.bad_constant", "{where}: the constant {value!r} of field {name!r} is "
                                "not a valid {type} ({reason}).", where=where, value=raw, name=spec.name,
                                type=spec.type, reason=message_of(exc))) from None


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file; raise :class:`MappingError` naming the file and the problem."""
    path = Path(path)
    where = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise MappingError(said("said.mapping.unreadable", "{where}: cannot read the mapping ({error}).",
                                where=where, error=type(exc).__name__)) from None
    return mapping_from_dict(data, where=where, path=path)


def _check_kind_fields(kind: SourceKind, fields: dict[str, FieldSpec], where: str) -> None:
    """The fields a kind requires, a subject, and constants among the allowed values."""
    missing = [f for f in kind.required if f not in fields]
    if missing:
        raise MappingError(said("said.mapping.must_fill", "{where}: a {kind} mapping must fill {fields}.",
                                where=where, kind=kind.name, fields=", ".join(missing)))
    for groups in kind.subjects:
        if not any(all(f in fields for f in group) for group in groups):
            raise MappingError(said("said.mapping.subject", "{where}: a {kind} mapping needs a subject: {groups}.",
                                    where=where, kind=kind.name, groups=" or ".join("+".join(g) for g in groups)))
    for f in fields.values():
        allowed = _allowed(kind.name, f.name)
        if f.column is None and f.constant is not None and allowed is not None and f.constant not in allowed:
            raise MappingError(said("said.mapping.constant_not_allowed", "{where}: the constant {value!r} of field "
                                    "{name!r} is not an allowed value ({allowed}).", where=where, value=f.constant,
                                    name=f.name, allowed=", ".join(map(str, allowed))))


def _code_tables(codes: Any, fields: dict[str, FieldSpec], where: str) -> dict[str, dict[str, str]]:
    """The mapping's code tables (source value, case-folded → canonical value), each one a field names defined."""
    if not isinstance(codes, dict) or not all(isinstance(v, dict) for v in codes.values()):
        raise MappingError(said("said.mapping.codes_table", "{where}: 'codes' must be a table of code lists (source "
                                "value: canonical value).", where=where))
    for k, v in codes.items():
        for a, b in v.items():
            if any(isinstance(x, (list, dict)) or x is None for x in (a, b)):
                raise MappingError(said("said.mapping.code_entry", "{where}: code list {codes!r}: {value!r} must "
                                        "map to one text, not {canonical!r}.", where=where, codes=str(k), value=a,
                                        canonical=b))
    tables = {str(k): {str(a).strip().casefold(): str(b) for a, b in v.items()} for k, v in codes.items()}
    for f in fields.values():
        if f.codes and f.codes not in tables:
            raise MappingError(said("said.mapping.undefined_codes", "{where}: field {name!r} uses code list "
                                    "{codes!r}, which is not defined.", where=where, name=f.name, codes=f.codes))
    return tables


def mapping_from_dict(data: Any, *, where: str = "mapping", path: Path | None = None) -> Mapping:
    if not isinstance(data, dict):
        raise MappingError(said("said.mapping.not_a_table", "{where}: a mapping is a YAML table with name, kind, "
                                "source and fields.", where=where))
    unknown = set(data) - {"name", "kind", "source", "description", "format", "policy", "key", "fields", "codes",
                           "store_names", "on_missing", "create_professionals"}
    if unknown:
        raise MappingError(said("said.mapping.top_settings", "{where}: unknown top-level settings {settings}.",
                                where=where, settings=str(sorted(unknown))))
    for req in ("name", "kind", "source", "fields"):
        if req not in data:
            raise MappingError(said("said.mapping.missing", "{where}: {setting!r} is missing.", where=where,
                                    setting=req))
    kind = SOURCE_KINDS.get(str(data["kind"]))
    if kind is None:
        raise MappingError(said("said.mapping.unknown_kind", "{where}: kind {kind!r} is unknown; use one of {kinds}.",
                                where=where, kind=data["kind"], kinds=", ".join(SOURCE_KINDS)))
    if not isinstance(data["fields"], dict):
        raise MappingError(said("said.mapping.fields_table", "{where}: 'fields' must be a table of field: column.",
                                where=where))
    fields = {str(n): _field(kind, str(n), raw, where) for n, raw in data["fields"].items()}
    _check_kind_fields(kind, fields, where)
    create_professionals = _yes_no(data.get("create_professionals", False), "create_professionals", where)
    if create_professionals and kind.name not in CREATING_KINDS:
        raise MappingError(said("said.mapping.create_professionals", "{where}: create_professionals applies to "
                                "{kinds} sources only.", where=where, kinds=" and ".join(CREATING_KINDS)))
    codes = _code_tables(data.get("codes") or {}, fields, where)
    fmt, encoding, delimiter, sheet = _format(data.get("format"), where)
    policy = str(data.get("policy", "reject_file"))
    if policy not in POLICIES:
        raise MappingError(said("said.mapping.policy", "{where}: policy {policy!r} is unknown; use {policies}.",
                                where=where, policy=policy, policies=" or ".join(POLICIES)))
    on_missing = str(data.get("on_missing", "report"))
    if on_missing not in ON_MISSING:
        raise MappingError(said("said.mapping.on_missing", "{where}: on_missing {value!r} is unknown; use "
                                "{values}.", where=where, value=on_missing, values=" or ".join(ON_MISSING)))
    if on_missing == "end" and kind.name not in ENDABLE_KINDS:
        raise MappingError(said("said.mapping.on_missing_end", "{where}: on_missing: end applies to {kinds} and "
                                "{last} sources only; a {kind} row has nothing to end (use report).", where=where,
                                kinds=", ".join(ENDABLE_KINDS[:-1]), last=ENDABLE_KINDS[-1], kind=kind.name))
    key = _key(data.get("key"), where)
    cols = {f.column.casefold() for f in fields.values() if f.column}
    for k in key:
        if k.casefold() not in cols:
            raise MappingError(said("said.mapping.key_column", "{where}: key column {column!r} is not used by any "
                                    "field.", where=where, column=k))
    return Mapping(
        name=_text(data["name"], "'name'", where).strip(), kind=kind, source=_text(data["source"], "'source'", where).strip(),
        fields=fields, codes=codes, key=key, policy=policy, on_missing=on_missing, fmt=fmt, encoding=encoding,
        delimiter=delimiter, sheet=sheet, store_names=_yes_no(data.get("store_names", False), "store_names", where),
        create_professionals=create_professionals, path=path,
        description=_text(data.get("description", ""), "'description'", where, empty=True),
    )
