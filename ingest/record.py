"""The coach's workspace: what only the coach knows, recorded as facts with a history.

A coach records, for a household in the caseload, people of the client system outside the household, informal
supporters and neighbours, expert advice under a mandate and the partner's decision, the plan's goals,
agreements and sanctions, participation-ladder scores, their own involvement, a consultation with a partner, a
referral and its acceptance and start, and consent. Every entry is a fact like a loaded one (the same labels
and relationships, :mod:`graph.model`), so the household page, the eco-map, the brief and the collaboration
figures show it without a change; it differs in three things:

* **who and when**: ``source`` is ``account:<name>`` and ``recorded_at`` the moment it was recorded;
* **history**: a correction (ending a tie is one: it sets ``until``) never overwrites silently and never deletes:
  the old state is kept as a ``FactVersion`` node (``version_of``, ``version``, ``superseded_at``,
  ``superseded_by``), the fact takes the new values, the next ``version`` and the ``reason`` given;
* **optimistic concurrency**: a correction names the ``version`` its form was read with; the write locks the
  fact and compares in the same statement, so of two concurrent corrections one wins and the other raises
  :class:`~graph.errors.ChangedMeanwhile` ("Intussen gewijzigd door …" on the page): nothing is written for it and the page
  keeps its input.

Values are checked by the ingest's own row check (:func:`ingest.validate.check_row` on a mapping of the
matching source kind, so the same converters, code lists, end-before-start rule and BSN-in-free-text check), a
field the source kind lacks by the same :func:`ingest.mapping.convert` and :func:`ingest.validate.holds_bsn`,
and then against the household: a date before the household began (its first membership), a mandate the coach
does not hold on that date, a person who is not a member. Text is taken without the spaces around it, at most
:data:`TEXT_MAX` characters (the ingest's limit, said as such), and a date more than a year ahead is refused with
the intake's rule (:func:`ingest.intake.too_late`) — except an agreement's deadline (``due``), which lies ahead
by nature (:data:`_NOT_FAR_AHEAD` names the fields). Every problem comes back per field
(:class:`~graph.errors.InvalidEntry`) as a :class:`graph.said.Said` sentence that names the field by its label on
the form (Dutch on the page, English in the CLI and the logs), and nothing is written.

:func:`record` and :func:`correct` are the only writers; both run inside :func:`ingest.entry.audited_write`
(write actions ``household_record`` / ``household_correct``: a coach, for a household in the caseload; the
audit record comes first, nothing is written when it cannot be).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any

from graph.clock import today as dutch_today
from graph.db import Database, TxRun
from graph.errors import ChangedMeanwhile, InvalidEntry
from graph.model import CODE_LISTS
from graph.profile import code_values
from graph.said import Said, message_of, said
from ingest.entry import audited_write, writes
from ingest.intake import too_late
from ingest.mapping import (
    ALLOWED,
    BSN_FIELDS,
    SOURCE_KINDS,
    CellProblem,
    FieldSpec,
    control_problem,
    convert,
    mapping_from_dict,
)
from ingest.validate import DATE_ORDER, check_row, holds_bsn
from queries.access import Actor
from queries.audit import AuditLog

__all__ = ["FIELD_LABELS", "KINDS", "LONG_TEXT", "TEXT_MAX", "FactKind", "Field", "Recorded", "correct", "loaded_from",
           "record", "source_of"]

ACCOUNT_PREFIX = "account:"


@dataclass(frozen=True)
class Field:
    """One field of an entry form."""

    name: str
    label: str  # a graph.said.Said: English here, the form's words on a page (app.i18n.say)
    type: str = "text"  # text | date | int | bool | code (a graph.model code list) | id (a chosen reference)
    required: bool = False
    codes: str | None = None


@dataclass(frozen=True)
class FactKind:
    """One kind of fact a coach records: its form, the ingest source kind that checks it, where it is stored."""

    name: str
    label: str
    fields: tuple[Field, ...]
    #: the ingest source kind whose row check validates the fields it has (:data:`ingest.mapping.SOURCE_KINDS`)
    source_kind: str
    #: the model label of a fact node (``None``: a relationship, corrected by ``correct_<name>.cypher``)
    node_label: str | None
    prefix: str = ""  # of the ids of new facts
    #: the fields stored on the fact (the rest name what it is tied to)
    stored: tuple[str, ...] = ()


def _f(name: str, label: str, type: str = "text", required: bool = False, codes: str | None = None) -> Field:
    return Field(name, label, type, required, codes)


def _kind(name: str, label: str, fields: tuple[Field, ...], source_kind: str, node_label: str | None,
          prefix: str = "", stored: tuple[str, ...] = ()) -> FactKind:
    """A kind whose label and field labels are said in the user's language: ``said.form.<kind>`` and
    ``said.form.<kind>.<field>`` in the catalogue (a field may be called otherwise on another kind's form);
    the English text here is what the CLI and the logs keep."""
    return FactKind(name, Said(f"said.form.{name}", label, {}),
                    tuple(replace(f, label=Said(f"said.form.{name}.{f.name}", f.label, {})) for f in fields),
                    source_kind, node_label, prefix, stored)


_SINCE, _UNTIL = _f("since", "Since", "date", True), _f("until", "Until", "date")
#: The kinds, in the order of the coach's work on the household page.
KINDS: dict[str, FactKind] = {k.name: k for k in (
    _kind("client_system", "Person of the network (outside the household)", (
        _f("name", "Name", "text", True), _f("relation", "Relation", "text", True), _SINCE, _UNTIL),
        "client_system", None, "P-WS-", ("relation", "since", "until")),
    _kind("informal_support", "Neighbour or informal support", (
        _f("name", "Name", "text", True),
        _f("member_id", "Supports", "id", True),
        _f("kind", "Kind of support", "text", True),
        _f("neighbour", "Is a neighbour", "bool"),
        _SINCE,
        _UNTIL),
        "informal_support", None, "P-WS-", ("kind", "since", "until")),
    _kind("advice", "Expert advice under a mandate", (
        _f("mandate_id", "Mandate", "id", True),
        _f("decision_asked", "Decision asked for", "text", True),
        _f("date", "Date of the advice", "date", True),
        _f("outcome", "The partner's decision", "code", False, "advice_outcome"),
        _f("decided_at", "Date of the decision", "date")),
        "advice", "Advice", "ADV-WS-", ("date", "decision_asked", "outcome", "decided_at")),
    _kind("goal", "Goal in the plan", (
        _f("life_domain", "Life domain", "code", True, "life_domain"),
        _f("description", "Goal", "text", True),
        _f("status", "Status", "code", False, "goal_status"),
        _f("since", "Since", "date", True),
        _f("status_since", "Status reached on", "date")),
        "goal", "Goal", "G-WS-", ("life_domain", "description", "status", "since", "status_since")),
    _kind("agreement", "Agreement (something for something) or sanction", (
        _f("kind", "Kind", "code", True, "agreement_kind"),
        _f("text", "What the family does", "text", True),
        _f("in_return", "What the coach or partner does in return"),
        _f("date", "Date", "date", True),
        _f("due", "Due", "date"),
        _f("status", "State", "code", False, "agreement_status"),
        _f("status_since", "State reached on", "date"),
        _f("outcome", "Outcome")),
        "agreement", "Agreement", "AG-WS-", ("kind", "text", "in_return", "date", "due", "status", "status_since",
                                             "outcome")),
    _kind("ladder_score", "Score on the participation ladder", (
        _f("person_id", "Person", "id", True),
        _f("rung", "Rung (1–6)", "int", True, "ladder_rung"),
        _f("date", "Date", "date", True)),
        "ladder_score", "LadderScore", "LS-WS-", ("rung", "date")),
    _kind("involvement", "Own involvement", (
        _f("life_domain", "Life domain", "code", True, "life_domain"),
        _f("role", "Role", "code", True, "involvement_role"),
        _SINCE,
        _UNTIL),
        "involvement", "Involvement", "INV-WS-", ("life_domain", "role", "since", "until")),
    _kind("consultation", "Consultation with a partner", (
        _f("partner_id", "With (professional)", "id", True),
        _f("date", "Date", "date", True),
        _f("kind", "Kind of consultation")),
        "consultation", "Consultation", "CON-WS-", ("date", "kind")),
    _kind("referral", "Referral", (
        _f("organisation_id", "To organisation", "id", True),
        _f("life_domain", "Life domain", "code", True, "life_domain"),
        _f("reason", "Reason", "text", True),
        _f("person_id", "For (empty: the whole household)", "id"),
        _f("date", "Date", "date", True),
        _f("accepted_at", "Accepted on", "date"),
        _f("started_at", "Started on", "date")),
        "referral", "Referral", "REF-WS-", ("date", "life_domain", "reason", "accepted_at", "started_at")),
    _kind("consent", "Consent", (
        _f("person_id", "From", "id", True),
        _f("organisation_id", "To organisation", "id", True),
        _f("scope", "Scope", "code", True, "consent_scope"),
        _f("signed_at", "Signed on", "date", True),
        _f("until", "Withdrawn on", "date")),
        "consent", "Consent", "CNS-WS-", ("scope", "signed_at", "until")),
)}
#: Every field label by field name (the form's labels, for messages that name a field).
FIELD_LABELS: dict[str, str] = {f.name: f.label for k in KINDS.values() for f in k.fields}
#: Fields whose date may not lie before the household began (its first membership).
_START_DATES = ("since", "date", "signed_at")
#: Dates of what has happened or is about to (a start, an end, an advice, a decision, a signature, a status
#: reached): at most a year ahead, the intake's rule (:func:`ingest.intake.too_late`); a later one is a typing
#: error, and a start beyond today is shown nowhere until then. ``due`` (an agreement's deadline) is not limited:
#: a deadline lies ahead by nature.
#: the status a new goal or agreement recorded without one has
_RUNNING = {"goal": "lopend", "agreement": "open"}
#: the date pairs (start, end) of a form beyond a source row's (ingest.validate.DATE_ORDER): the end not before
_FORM_DATE_PAIRS = (("date", "decided_at"), ("date", "due"))
_DATE_PAIRS = DATE_ORDER + _FORM_DATE_PAIRS
_NOT_FAR_AHEAD = ("since", "until", "date", "signed_at", "decided_at", "accepted_at", "started_at", "status_since")
#: Dates of what has happened (a score observed, advice given, a decision taken, a signature, a status reached): not
#: after today. A score dated next summer was saved and moved the household page's date there (a review).
#: (An agreement's and a referral's own date may lie ahead, as a start may: shown nowhere until then.)
_HAPPENED: dict[str, tuple[str, ...]] = {"ladder_score": ("date",), "advice": ("date", "decided_at"),
                                         "goal": ("status_since",), "agreement": ("status_since",),
                                         "referral": ("accepted_at", "started_at"),
                                         "consent": ("signed_at", "until")}
#: The longest text a field takes: what the ingest takes of a text cell (:class:`ingest.mapping.FieldSpec`).
TEXT_MAX = FieldSpec("text").max_length
#: Fields for a sentence or more (a text area on the form); the others are a name or a few words.
LONG_TEXT = ("decision_asked", "description", "text", "in_return", "outcome", "reason")
#: Form fields that are checked against the ingest source kind under another name.
_AS_SOURCE = {"person_id": "person_source_id"}
#: What makes a new entry one recorded already (form field, the workspace's name for it: ``workspace_facts``); the
#: first is the value a refusal quotes (:data:`_QUOTED` another). Text is compared without case and extra spaces;
#: a list holds the value.
_SAME: dict[str, tuple[tuple[str, str], ...]] = {
    "client_system": (("name", "name"), ("relation", "relation"), ("since", "since")),
    "informal_support": (("name", "name"), ("member_id", "member_id"), ("kind", "support"), ("since", "since"),
                         ("neighbour", "neighbour")),  # not correctable: recorded again with the right tick
    "advice": (("decision_asked", "decision_asked"), ("mandate_id", "mandate_id"), ("date", "date")),
    "goal": (("description", "description"), ("life_domain", "life_domain"), ("since", "since")),
    "agreement": (("text", "text"), ("kind", "agreement_kind"), ("date", "date")),
    "ladder_score": (("person_id", "person_id"), ("date", "date")),  # one rung a day: another is a correction
    "involvement": (("role", "role"), ("life_domain", "life_domain"), ("since", "since"),
                    ("professional_id", "professional_id")),
    "consultation": (("kind", "consultation_kind"), ("date", "date"), ("partner_id", "attended_ids")),
    "referral": (("reason", "referral_reason"), ("organisation_id", "organisation_id"), ("life_domain", "life_domain"),
                 ("person_id", "person_id"), ("date", "date")),
    "consent": (("scope", "scope"), ("person_id", "person_id"), ("organisation_id", "organisation_id"),
                ("signed_at", "signed_at")),
}
_QUOTED = {"ladder_score": "rung"}


@dataclass(frozen=True)
class Recorded:
    """What a write did: the fact's kind and id and its version now."""

    kind: str
    fact_id: str
    version: int


def source_of(actor: Actor) -> str:
    """The ``source`` of what ``actor`` records."""
    return ACCOUNT_PREFIX + actor.user


def _cypher(name: str) -> str:
    return resources.files("ingest.cypher").joinpath(f"{name}.cypher").read_text()


def _message(code: str, label: str, field_name: str, typed: Any = None) -> Said:
    """What the ingest's row check reports (by its problem ``code``), in the words of the coach's form; a date
    that is wrong is named as it was ``typed``."""
    if code == "unknown_code" and field_name == "rung":
        return said("said.record.rung", "The rung must be 1 to 6.")
    if code == "empty_value":
        return said("said.record.empty_value", "Fill in {label}.", label=label)
    if code == "bad_date":
        return said("said.record.bad_date", "{label}: '{value}' is not a valid date (dd-mm-yyyy or yyyy-mm-dd).",
                    label=label, value=str(typed))
    if code == "impossible_date":
        return said("said.record.impossible_date", "{label}: '{value}' is not a date that exists.", label=label,
                    value=str(typed))
    if code == "unknown_code":
        return said("said.record.unknown_code", "{label}: choose a value from the list.", label=label)
    if code == "end_before_start":
        return said("said.record.end_before_start", "{label} is before the start date.", label=label)
    if code == "control_character" and (problem := control_problem(str(typed))) is not None:
        return said("said.record.control_character", "{label}: {reason}.", label=label, reason=message_of(problem))
    if code == "early_date":
        return said("said.record.early_date", "{label}: '{value}' lies before 1950: fill in the real date, or leave it "
                    "empty when it is not known.", label=label, value=str(typed))
    if code == "bsn_in_text":
        return said("said.record.bsn_in_text", "{label} holds a BSN: remove the number (a BSN does not belong in "
                    "free text).", label=label)
    return said("said.record.bad_value", "{label}: not a valid value.", label=label)


def _before_start(kind: FactKind, end: str, dates: dict[str, Any]) -> Said:
    """``end`` lies before the date it follows: said with both fields' labels and both dates as written (a review
    read "Datum besluit ligt vóór de begindatum." on a form with no field of that name)."""
    start = next((s for s, e in _DATE_PAIRS if e == end and dates.get(s) not in (None, "")), None)
    if start is None or dates.get(end) in (None, ""):
        return _message("end_before_start", _label(kind, end), end)

    def shown(v: Any) -> str:
        return f"{v:%d-%m-%Y}" if isinstance(v, date) else str(v)

    return said("said.record.end_before", "{label} ({date}) is before {start} ({start_date}).", label=_label(kind, end),
                date=shown(dates[end]), start=_label(kind, start), start_date=shown(dates[start]))


def _too_long(label: str, text: str) -> Said:
    return said("said.record.too_long", "{label}: at most {n} characters ({count} now).", label=label, n=TEXT_MAX,
                count=len(text))


# ------------------------------------------------------------------------------------------------ checking
def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_OTHER = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")  # 15/03/2021, 15.3.2021 (app/dates.py)


def _is_date(kind: FactKind, name: str) -> bool:
    return any(f.name == name and f.type == "date" for f in kind.fields)


def _day_first(value: Any) -> Any:
    """A date typed year first (``2021-03-15``) or with slashes or dots (``15/03/2021``, ``15.3.2021``), as every
    other date field of the app takes it (app/dates.py), written day first with hyphens, the form's format;
    anything else as it is (checked and said as typed)."""
    if isinstance(value, str) and (m := _YMD.match(value)):
        return f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    if isinstance(value, str) and (m := _DMY_OTHER.match(value)):
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return value


def _check(kind: FactKind, values: dict[str, Any], today: date, *, partial: bool = False
           ) -> tuple[dict[str, Any], dict[str, str]]:
    """Convert and check ``values`` (form field → raw value) with the ingest's rules: (clean values, problems).

    ``partial``: a correction names only the fields it changes (an unnamed field keeps its stored value). Text is
    taken without leading and trailing spaces (a form's field and a file's cell alike)."""
    typed = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    values = {k: _day_first(v) if _is_date(kind, k) else v for k, v in typed.items()}
    problems: dict[str, str] = {}
    source = SOURCE_KINDS[kind.source_kind]
    given = {f.name: values.get(f.name) for f in kind.fields if not partial or f.name in values}
    checked = {n: v for n, v in given.items() if _AS_SOURCE.get(n, n) in source.fields
               and next(f for f in kind.fields if f.name == n).type != "id"}
    fields: dict[str, Any] = {_AS_SOURCE.get(n, n): {"column": n} for n in checked}
    # What a row of this source kind must name besides the form's fields: stand-ins (their values are not stored).
    for group in source.subjects:
        if not any(all(n in fields for n in g) for g in group):
            for n in next(g for g in group if not set(g) & set(BSN_FIELDS)):
                fields[n] = {"constant": "werkruimte"}
    for req in source.required:
        if req not in fields:
            fields[req] = {"constant": _stand_in(kind.source_kind, req, today)}
    clean: dict[str, Any] = {}
    if checked:
        mapping = mapping_from_dict({"name": f"werkruimte-{kind.name}", "kind": kind.source_kind,
                                     "source": "werkruimte", "fields": fields})
        index = {n.casefold(): i for i, n in enumerate(checked)}
        row, found = check_row(mapping, index, "formulier", 1, list(checked.values()), today)
        for p in found if row is None else ():
            name = p.column
            spec = next((f for f in kind.fields if f.name == name), None)
            if spec is None:  # a stand-in cannot be wrong; reported on the form as a whole if it ever is
                problems.setdefault("_", _message(p.code, name, name))
                continue
            if (p.code == "empty_value" and not spec.required) or p.code == "late_date":
                continue  # (a date far ahead: the form's own rule below says it, with the intake's sentence)
            problems.setdefault(name, _before_start(kind, name, typed) if p.code == "end_before_start"
                                else _message(p.code, spec.label, name, typed.get(name)))
        if row is not None:
            clean.update({n: row.get(_AS_SOURCE.get(n, n)) for n in checked})
        else:  # the fields without a problem, for the checks below
            for n, v in checked.items():
                if n not in problems and not _empty(v):
                    try:
                        clean[n] = convert(mapping.fields[_AS_SOURCE.get(n, n)], v)
                    except CellProblem:
                        pass
    _check_own_fields(kind, values, given, checked, partial, clean, problems, typed)
    _check_form_rules(kind, given, clean, problems, today)
    return clean, problems


def _check_form_rules(kind: FactKind, given: dict[str, Any], clean: dict[str, Any], problems: dict[str, str],
                      today: date) -> None:
    """What a form asks beyond a source row: required fields, the text limit said as such, no date far ahead,
    no end before its start (``problems`` gets the messages)."""
    for f in kind.fields:  # the form asks for more than a source row must have (a name, a start date)
        if f.required and f.name in given and _empty(given[f.name]):
            problems.setdefault(f.name, _message("empty_value", f.label, f.name))
    for f in kind.fields:  # said with the limit, not as "not a valid value" (the form takes any length)
        text = given.get(f.name)
        if f.type == "text" and isinstance(text, str) and len(text) > TEXT_MAX:  # stripped by _check
            problems[f.name] = _too_long(f.label, text)
    for name in _NOT_FAR_AHEAD:
        day = clean.get(name)
        if isinstance(day, date) and name not in problems \
                and (late := too_late(day, today, _label(kind, name))) is not None:
            problems[name] = late
    for name in _HAPPENED.get(kind.name, ()):
        day = clean.get(name)
        if isinstance(day, date) and day > today and name not in problems:
            problems[name] = said("said.record.after_today", "{label} ({date}) lies after today: fill in the day it "
                                  "happened.", label=_label(kind, name), date=f"{day:%d-%m-%Y}")
    for start, end in _FORM_DATE_PAIRS:
        s, e = clean.get(start), clean.get(end)
        if isinstance(s, date) and isinstance(e, date) and e < s and end not in problems:
            problems[end] = _before_start(kind, end, {start: s, end: e})


def _check_own_fields(kind: FactKind, values: dict[str, Any], given: dict[str, Any], checked: dict[str, Any],
                      partial: bool, clean: dict[str, Any], problems: dict[str, str], typed: dict[str, Any]
                      ) -> None:
    """The form's fields the source kind does not have, with the same converters, code lists (the deployment
    profile's included) and BSN check as a file's cells; fills ``clean`` and ``problems``."""
    for f in kind.fields:  # what the source kind does not have: the same converters and the same BSN check
        if f.name in checked or (partial and f.name not in values):
            continue
        raw = given.get(f.name)
        if _empty(raw):
            if f.required:
                problems[f.name] = _message("empty_value", f.label, f.name)
            clean[f.name] = None
            continue
        if f.type == "bool":
            clean[f.name] = bool(raw)
            continue
        try:
            value = convert(FieldSpec(f.name, type="text" if f.type in ("id", "code") else f.type), raw)
        except CellProblem as exc:
            if f.type == "date":
                problems[f.name] = _message("impossible_date" if str(exc) == "impossible date" else "bad_date",
                                            f.label, f.name, typed.get(f.name))
            else:  # the reason, as a file's cell gets it (a pasted control character was "not a valid value")
                problems[f.name] = said("said.record.control_character", "{label}: {reason}.", label=f.label,
                                        reason=message_of(exc))
            continue
        if f.codes and value not in code_values(f.codes):
            problems[f.name] = _message("unknown_code", f.label, f.name)
            continue
        if f.type == "text" and isinstance(value, str) and holds_bsn(value):
            problems[f.name] = _message("bsn_in_text", f.label, f.name)
            continue
        clean[f.name] = value


def _stand_in(source_kind: str, name: str, today: date) -> Any:
    """A valid value for a field the source kind requires and the form does not have (never stored)."""
    code_list = ALLOWED.get((source_kind, name)) or ALLOWED.get(("*", name))
    if code_list:
        return CODE_LISTS[code_list].values[0]
    if name in ("date", "since", "signed_at", "created_at"):
        return today.isoformat()
    return "werkruimte"


def _label(kind: FactKind, name: str) -> str:  # a Said (or the raw name of a field no form has)
    """The field's label on this kind's form."""
    return next((f.label for f in kind.fields if f.name == name), FIELD_LABELS.get(name, name))


def _against_household(kind: FactKind, clean: dict[str, Any], ctx: dict[str, Any], actor: Actor,
                       problems: dict[str, str]) -> None:
    """The checks that need the household: its start, its members, the coach's mandates, known references."""
    started = _day(ctx.get("started"))
    for name in _START_DATES:
        day = clean.get(name)
        if started and isinstance(day, date) and day < started and name not in problems:
            # with the day as given, as every other date refusal (an outside test: 01-01-1850 was not quoted)
            problems[name] = said("said.record.before_household", "{label} ({day}) is before this household began "
                                  "({date}).", label=_label(kind, name), day=f"{day:%d-%m-%Y}",
                                  date=f"{started:%d-%m-%Y}")
    for name in ("member_id", "person_id"):
        pid = clean.get(name)
        if pid and pid not in ctx["members"] and name not in problems:
            problems[name] = said("said.record.not_a_member", "Choose a member of this household.")
    mandate = clean.get("mandate_id")
    if mandate and "mandate_id" not in problems:
        day = clean.get("date") if isinstance(clean.get("date"), date) else None
        held = [m for m in ctx["mandates"] if m["id"] == mandate]
        if not any(day is None or (_in(day, m["since"], m["until"]) and _in(day, m["granted_since"],
                                                                          m["granted_until"])) for m in held):
            problems["mandate_id"] = (said("said.record.mandate_not_then", "You do not hold this mandate on that "
                                           "date.") if held else
                                      said("said.record.mandate_not_held", "You do not hold this mandate."))
    org = clean.get("organisation_id")
    if org and org not in ctx["organisations"] and "organisation_id" not in problems:
        problems["organisation_id"] = said("said.record.unknown_organisation", "Choose a known organisation.")
    partner = clean.get("partner_id")
    if partner and (partner not in ctx["professionals"] or partner == actor.professional_id) \
            and "partner_id" not in problems:
        problems["partner_id"] = said("said.record.unknown_partner", "Choose a known professional of a partner.")
    if kind.name == "involvement" and not ctx.get("coach_organisation"):
        problems.setdefault("role", said("said.record.no_organisation", "Your organisation is not known: ask the "
                                         "data steward to record it."))


def _day(value: Any) -> date | None:
    if hasattr(value, "to_native"):
        value = value.to_native()
    return value if isinstance(value, date) else None


def _in(day: date, since: Any, until: Any) -> bool:
    s, u = _day(since), _day(until)
    return (s is None or s <= day) and (u is None or u >= day)


def _context(run: TxRun, actor: Actor, household_id: str, clean: dict[str, Any]) -> dict[str, Any]:
    """What the entry is checked against (``record_context.cypher``), read by ``run`` in the write's transaction."""
    orgs = [clean[n] for n in ("organisation_id",) if clean.get(n)]
    pros = [clean[n] for n in ("partner_id",) if clean.get(n)]
    rows = run("record_context", _cypher("record_context"), {
        "household_id": household_id, "professional_id": actor.professional_id, "organisation_ids": orgs,
        "professional_ids": pros})
    if not rows:
        raise InvalidEntry({"_": said("said.record.no_household", "There is no household {id}.", id=household_id)})
    return rows[0]


#: the fields whose checks need the household's context (its start, members, the coach's mandates, known
#: organisations and professionals); a correction that changes none of them is written without reading it
_CONTEXT_FIELDS = (*_START_DATES, "member_id", "person_id", "mandate_id", "organisation_id", "partner_id")


def _needs_context(kind: FactKind, clean: dict[str, Any]) -> bool:
    return kind.name == "involvement" or any(clean.get(n) is not None for n in _CONTEXT_FIELDS)


def _checked_write(db: Database, spec: FactKind, actor: Actor, household_id: str, clean: dict[str, Any],
                   problems: dict[str, str], statement: str,
                   params: Callable[[dict[str, Any]], dict[str, Any]],
                   same: Callable[[TxRun], Said | None] | None = None) -> dict[str, Any] | None:
    """Check ``clean`` against the household and write it, in *one* transaction (the context read, the checks in
    Python, the write ``statement`` with ``params(context)``): one round trip and one commit fewer than a read
    and a write of their own, and the checks see what the write sees. Raises :class:`InvalidEntry` with every
    problem (``problems`` found before, and the household's), nothing written; ``same``: the refusal of an entry
    recorded already, if it is one. The write's first row, or None."""
    def work(run: TxRun) -> dict[str, Any] | None:
        found = dict(problems)  # a retried transaction starts again from what was found before it
        ctx = _context(run, actor, household_id, clean)
        _against_household(spec, clean, ctx, actor, found)
        if not found and same is not None and (already := same(run)) is not None:
            found["_"] = already
        if found:
            raise InvalidEntry(found)
        rows = run(statement, _cypher(statement), params(ctx), last=True)
        return rows[0] if rows else None

    return db.write_transaction(statement, work)


def _now() -> datetime:
    return datetime.now(UTC)


def _same_value(new: Any, old: Any) -> bool:
    if isinstance(old, list):
        return new in old
    if isinstance(new, str) and isinstance(old, str):
        return " ".join(new.split()).casefold() == " ".join(old.split()).casefold()
    return bool(new == old)


def loaded_from(source: str | None) -> Said | str:
    """Where a loaded fact came from, in words (the workspace's lines and the refusal of an entry recorded already):
    the demo's generator (``synthetic:<seed>``) as the demo, a load by its mapping's source (``BRP``: a system's
    name), none as an export."""
    if source and source.startswith("synthetic:"):
        return said("said.record.demo_data", "the demo data")
    return source or said("said.record.an_export", "an export")


def _recorded_already(run: TxRun, kind: str, household_id: str, clean: dict[str, Any], today: date) -> Said | None:
    """The refusal of an entry the household holds already (:data:`_SAME`), read in the write's transaction: typed in
    again after a save the coach was not sure of, it would be a second grandmother on the map."""
    from queries.registry import get
    from queries.workspace import facts_of

    rows = run("workspace_facts", get("workspace_facts").cypher, {"household_id": household_id,
                                                                  "coach_scope": None, "today": today})
    pairs = _SAME[kind]
    for f in facts_of(rows[0]) if rows else []:
        if f.kind == kind and all(_same_value(clean.get(a), f.values.get(b)) for a, b in pairs):
            return said("said.record.already", "Recorded already: '{value}' of {date} ({by}); change it under "
                        "'Change or end' if needed.", value=str(f.values.get(_QUOTED.get(kind, pairs[0][1]))),
                        date=f"{f.start:%d-%m-%Y}" if f.start else "",
                        by=said("said.record.recorded_by", "recorded by {who}", who=f.recorded_by)
                        if f.recorded_by else said("said.record.loaded_from", "from {source}", source=loaded_from(f.source)))
    return None


# ------------------------------------------------------------------------------------------------- writing
@writes("household_record")
def record(db: Database, audit: AuditLog, actor: Actor, household_id: str, kind: str, values: dict[str, Any], *,
           today: date | None = None) -> Recorded:
    """Record a new fact of ``kind`` (:data:`KINDS`) for the household, as ``actor`` (a coach, own caseload).

    Raises :class:`~graph.errors.AccessDenied` (audited, nothing written), :class:`~queries.audit.AuditUnavailable`
    (nothing written), :class:`~graph.errors.InvalidEntry` (a Dutch message per field; nothing written)."""
    spec = KINDS[kind]
    today = today or dutch_today()
    if kind in _RUNNING and _empty(values.get("status")):  # a new goal runs, a new agreement is open: stored so,
        values = {**values, "status": _RUNNING[kind]}       # the plan says so as the workspace does
    with audited_write(audit, actor, "household_record", household_id=household_id, db=db, today=today,
                       detail=kind) as outcome:
        clean, problems = _check(spec, values, today)
        fact_id = spec.prefix + secrets.token_hex(6).upper()
        if kind == "informal_support":
            fact_id = f"{fact_id}>{clean.get('member_id')}"
        row = _checked_write(db, spec, actor, household_id, clean, problems, f"record_{kind}",
                             lambda ctx: _record_params(spec, actor, household_id, fact_id, clean, ctx, today),
                             lambda run: _recorded_already(run, kind, household_id,
                                                           {**clean, "professional_id": actor.professional_id}, today))
        if row is None:
            raise InvalidEntry({"_": said("said.record.gone", "Not recorded: what this entry names does not exist "
                                          "(any more).")})
        if kind == "involvement":  # matched today, as a load matches what it writes (docs/signals.md)
            from ingest.matching import match_involvements

            match_involvements(db, [fact_id], today, count=False)
        outcome.done("recorded", f"{kind} {fact_id}")
        return Recorded(kind, fact_id, int(row["version"]))


def _record_params(spec: FactKind, actor: Actor, household_id: str, fact_id: str, clean: dict[str, Any],
                   ctx: dict[str, Any], today: date) -> dict[str, Any]:
    """The parameters of ``record_<kind>.cypher`` for a new fact ``fact_id``."""
    kind = spec.name
    params: dict[str, Any] = {"household_id": household_id, "id": fact_id,
                              "props": {k: clean.get(k) for k in spec.stored}, "source": source_of(actor),
                              "now": _now()}
    if kind in ("client_system", "informal_support"):
        params |= {"person_id": fact_id.partition(">")[0], "name": clean["name"]}
        if kind == "informal_support":
            params |= {"member_id": clean["member_id"], "neighbour": bool(clean.get("neighbour"))}
    elif kind == "advice":
        params |= {"professional_id": actor.professional_id, "mandate_id": clean["mandate_id"]}
    elif kind in ("goal", "agreement"):
        params |= {"plan_id": ctx.get("plan_id") or f"PL-WS-{household_id}", "today": today}
    elif kind == "ladder_score":
        params["person_id"] = clean["person_id"]
    elif kind == "involvement":
        params |= {"professional_id": actor.professional_id, "organisation_id": ctx["coach_organisation"]}
    elif kind == "consultation":
        params["professional_ids"] = [actor.professional_id, clean["partner_id"]]
    elif kind == "referral":
        params |= {"professional_id": actor.professional_id, "organisation_id": clean["organisation_id"],
                   "person_id": clean.get("person_id")}
    elif kind == "consent":
        params |= {"person_id": clean["person_id"], "organisation_id": clean["organisation_id"]}
    return params


def _correction_problems(spec: FactKind, values: dict[str, Any], changeable: dict[str, Any], reason: str,
                         require: Sequence[str], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """The changed fields checked (clean values, problems), the fields ``require`` names filled, and the reason."""
    clean, problems = _check(spec, changeable, today, partial=True)
    for name in require:
        if _empty(values.get(name)):
            problems[name] = _message("empty_value", _label(spec, name), name)
    if not str(reason or "").strip():
        problems["reason"] = said("said.record.no_reason", "Fill in a reason for the change.")
    elif holds_bsn(str(reason)):
        problems["reason"] = _message("bsn_in_text", said("said.record.reason", "Reason"), "reason")
    elif len(str(reason).strip()) > TEXT_MAX:
        problems["reason"] = _too_long(said("said.record.reason", "Reason"), str(reason).strip())
    if not changeable and "reason" not in problems:
        problems["_"] = said("said.record.nothing_changed", "Nothing was changed.")
    return clean, problems


def _refused_by_the_write(row: dict[str, Any] | None, spec: FactKind, props: dict[str, Any]) -> dict[str, Any]:
    """Raise when the correcting statement wrote nothing: not this household's fact, changed meanwhile, no change
    to what is stored, or dates crossed against what stays stored (said at the field the change moved)."""
    if row is None:
        raise InvalidEntry({"_": said("said.record.not_of_household", "This entry does not belong to this "
                                      "household (any more).")})
    if not row["fresh"]:
        raise ChangedMeanwhile(str(row["source"] or "").removeprefix(ACCOUNT_PREFIX))
    if row["same"]:
        raise InvalidEntry({"_": said("said.record.nothing_changed", "Nothing was changed.")})
    if row["crossed"]:
        # said with both fields and both dates, as a new entry's are (a review: "Tot en met ligt vóór de
        # begindatum." named no date and a field the form does not have)
        problems: dict[str, Any] = {}
        for s, e, start, end in row["crossed"]:
            dates = {s: _day(start), e: _day(end)}
            problems[e if e in props else s] = _before_start(spec, e, dates) if e in props else said(
                "said.record.start_after_end_dated", "{label} ({date}) is after {end} ({end_date}).",
                label=_label(spec, s), date=f"{dates[s]:%d-%m-%Y}", end=_label(spec, e), end_date=f"{dates[e]:%d-%m-%Y}")
        raise InvalidEntry(problems)
    return row


@writes("household_correct")
def correct(db: Database, audit: AuditLog, actor: Actor, household_id: str, kind: str, fact_id: str, version: int,
            values: dict[str, Any], reason: str, *, today: date | None = None, require: Sequence[str] = ()
            ) -> Recorded:
    """Correct (or end, or complete: a decision, a kept agreement, an acceptance) the fact ``fact_id`` of ``kind``.

    ``values`` holds only the fields that change; ``version`` is the version the form was read with. The old
    state is kept (``FactVersion``), the fact gets the new values, the next version and ``reason``. Raises
    :class:`~graph.errors.ChangedMeanwhile` when the fact changed since ``version`` (nothing written), and as
    :func:`record` otherwise. ``require``: fields this change must fill (a decision is its outcome). A change that
    leaves the fact as it is, or moves an end before its start (or a start after its end) as stored, writes nothing
    and is refused."""
    spec = KINDS[kind]
    today = today or dutch_today()
    with audited_write(audit, actor, "household_correct", household_id=household_id, db=db, today=today,
                       detail=f"{kind} {fact_id}") as outcome:
        changeable = {k: v for k, v in values.items() if k in spec.stored}
        clean, problems = _correction_problems(spec, values, changeable, reason, require, today)
        needs_context = _needs_context(spec, clean)
        if problems and not needs_context:
            raise InvalidEntry(problems)
        props = {k: clean.get(k) for k in changeable}
        if "status" in props and "status_since" in spec.stored and "status_since" not in props:
            props["status_since"] = today  # a new status holds from the day it is recorded, unless dated
        # the date pairs the change touches, checked in the write against what it leaves stored (an end moved
        # before the stored start would end the fact before it began: gone on every date, beyond correcting)
        order = [[s, e] for s, e in _DATE_PAIRS if (s in props or e in props) and {s, e} <= set(spec.stored)]
        params: dict[str, Any] = {"household_id": household_id, "version": int(version), "order": order,
                                  "props": props, "reason": str(reason).strip(),
                                  "source": source_of(actor), "now": _now()}
        if spec.node_label is None:
            person, _, member = fact_id.partition(">")
            params["person_id"] = person
            if kind == "informal_support":
                params["member_id"] = member
            name = f"correct_{kind}"
        else:
            params |= {"label": spec.node_label, "id": fact_id, "kind": kind}
            name = "correct_node"
        if needs_context:  # the household's context, the checks and the write in one transaction
            row = _checked_write(db, spec, actor, household_id, clean, problems, name, lambda _ctx: params)
        else:  # e.g. an end (until), a decision, a kept agreement: nothing to check against the household
            row = db.execute(name, _cypher(name), params, write=True).first()
        row = _refused_by_the_write(row, spec, props)
        outcome.done("corrected", f"{kind} {fact_id} v{row['version']}")
        return Recorded(kind, fact_id, int(row["version"]))
