"""The project lead's intake: register a signal, open an intake for it, assign the household to a wijkcoach, move
households between coaches, end an assignment, close the intake.

Every function here is a write entry (:func:`ingest.entry.writes`) and runs inside
:func:`ingest.entry.audited_write`: role checked (:data:`queries.access.INTAKE_ROLES`: project lead and admin),
audit record written before anything is written, nothing written when the audit log is unavailable. The lead
works by pseudonym only: the household id, the coach, dates, the channel and the area; nothing of a household's
content is read.

Values are checked first, with the code lists of the deployment (:func:`graph.profile.code_list`) and the BSN
check of file ingest (:func:`ingest.validate.holds_bsn`); a bad value raises
:class:`~graph.errors.InvalidFields` with a message per field (a :class:`graph.said.Said`: Dutch on the page,
English in the CLI) and nothing is written (an identifier that
holds a BSN is refused before it could reach the audit log as a target).

History is kept: a caseload assignment (``COACHES {since, until}``, as ``ingest/cypher/caseload.cypher`` loads
them) is ended, never deleted or overwritten; a move ends the old one the day before the new one starts, so the
coach scope (:func:`queries.access.can_see_household`) gives the household to the new coach from that day and
takes it from the old one. The intake's state lives on the ``Signal`` (``intake_status`` ``open`` /
``toegewezen`` / ``gesloten`` and a ``version``); a write that names the version it read
(``expected_version``) and finds another gets :class:`~graph.errors.ChangedMeanwhile` and writes nothing
(optimistic concurrency: the signal and the household are locked inside the write's transaction first).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

from graph.clock import today as dutch_today
from graph.db import Database
from graph.errors import ChangedMeanwhile, InvalidFields
from graph.profile import code_list
from graph.said import Said, said
from ingest.entry import audited_write, writes
from ingest.validate import holds_bsn
from queries.access import Actor
from queries.audit import AuditLog

__all__ = [
    "CLOSE_REASON_MAX",
    "FUTURE_DAYS",
    "TICK_MOVE",
    "MoveResult",
    "assign_household",
    "close_intake",
    "end_caseload",
    "move_caseload",
    "new_signal_id",
    "open_intake",
    "register_signal",
    "too_late",
]

#: How far ahead a date of something that happens may lie (a date typed a year wrong, 2999 for 2025): one rule for
#: the intake's dates and the coach's records (ingest/record.py).
FUTURE_DAYS = 366


def too_late(day: date, today: date, what: Said | str) -> Said | None:
    """The message when ``day`` lies more than :data:`FUTURE_DAYS` after ``today`` (``what``: the field), else None."""
    if day <= today + timedelta(days=FUTURE_DAYS):
        return None
    return said("said.intake.too_late", "More than a year in the future: {what} ({date}).", what=what,
                date=_nl(day))


#: Longest close reason (free text; checked for a BSN like every free-text field of file ingest).
CLOSE_REASON_MAX = 500
_ID_MAX = 100
_CHANGED = said("said.intake.changed", "This signal was changed meanwhile by someone else; nothing was saved. "
                "Reload the list and try again.")
#: What a message names (Dutch on the page, English in the CLI).
_WHAT = {
    "household": said("said.intake.what.household", "the household"),
    "area": said("said.intake.what.area", "the area"),
    "signal_date": said("said.intake.what.signal_date", "the date of the signal"),
    "signal": said("said.intake.what.signal", "the signal"),
    "close_date": said("said.intake.what.close_date", "the closing date"),
    "coach": said("said.intake.what.coach", "the coach"),
    "start_date": said("said.intake.what.start_date", "the start date"),
    "current_coach": said("said.intake.what.current_coach", "the current coach"),
    "new_coach": said("said.intake.what.new_coach", "the new coach"),
    "move_date": said("said.intake.what.move_date", "the date of the move"),
    "end_date": said("said.intake.what.end_date", "the end date"),
}


def _what(name: str) -> Said:
    return _WHAT[name]


def _cypher(name: str) -> str:
    return resources.files("ingest.cypher").joinpath(f"{name}.cypher").read_text()


def _run(db: Database, name: str, params: dict[str, Any], *, write: bool = True) -> list[dict[str, Any]]:
    return db.execute(name, _cypher(name), params, write=write).rows


def _nl(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def _source(actor: Actor) -> str:
    """What a fact recorded in the app carries as ``source``: the account that recorded it."""
    return f"account:{actor.user}"


def _now() -> datetime:
    return datetime.now(UTC)


def _ident(errors: dict[str, str], field: str, value: str | None, what: Said, *, required: bool = True
           ) -> str | None:
    """A cleaned identifier (household pseudonym, coach, signal, area), or ``None``; problems into ``errors``."""
    text = (value or "").strip()
    if not text:
        if required:
            errors[field] = said("said.intake.fill", "Fill in {what}.", what=what)
        return None
    if holds_bsn(text):
        errors[field] = said("said.intake.bsn_id", "This looks like a BSN; a BSN does not belong here. Use the "
                             "pseudonym (for example HH-…).")
    elif len(text) > _ID_MAX:
        errors[field] = said("said.intake.id_too_long", "{n} characters is too long for {what}: an id has at most "
                             "{limit} ('{value}…').", what=what, n=len(text), limit=_ID_MAX, value=text[:40])
    elif any(ch in text for ch in "\r\n\t"):
        errors[field] = said("said.intake.id_break", "A line break or tab cannot be part of {what}'s id: "
                             "{value!r}.", what=what, value=text[:60])
    return text


def _day(errors: dict[str, str], field: str, value: object, what: Said, today: date) -> date | None:
    if not isinstance(value, date):
        errors[field] = said("said.intake.fill_date", "Fill in {what} (dd-mm-yyyy).", what=what)
        return None
    if isinstance(value, datetime):
        value = value.date()
    if value.year < 1990:
        errors[field] = said("said.intake.too_early", "Too far in the past: {what} ({date}).", what=what,
                             date=_nl(value))
    elif (late := too_late(value, today, what)) is not None:
        errors[field] = late
    return value


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise InvalidFields(errors)


def _version(errors: dict[str, str], value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors["versie"] = said("said.intake.bad_version", "Not a valid version of the signal.")
        return None
    return value


def _refs(db: Database, *, area_code: str | None = None, household_id: str | None = None,
          coach_ids: tuple[str, ...] = (), signal_id: str | None = None) -> dict[str, Any]:
    rows = _run(db, "intake_refs", {"area_code": area_code, "household_id": household_id,
                                     "household_spellings": spellings(household_id) if household_id else [],
                                     "coach_ids": list(coach_ids), "signal_id": signal_id}, write=False)
    return rows[0]


def spellings(typed: str) -> list[str]:
    """The ways a pseudonym may be meant when typed in another case: as typed, the prefix upper and the rest lower
    (the pseudonymiser's ``H-3fa9…``), all upper (``HH-T2``), all lower.

    >>> spellings("hh-t2"), spellings("h-3FA9")
    (['hh-t2', 'HH-t2', 'HH-T2'], ['h-3FA9', 'H-3fa9', 'H-3FA9', 'h-3fa9'])
    """
    head, dash, rest = typed.partition("-")
    found = [typed, head.upper() + dash + rest.lower() if dash else typed, typed.upper(), typed.lower()]
    return list(dict.fromkeys(found))


def _check_coaches(errors: dict[str, str], refs: dict[str, Any], **coaches: str | None) -> None:
    for field, coach in coaches.items():
        if coach and coach not in refs["coaches"]:
            errors[field] = said("said.intake.no_coach", "There is no coach {id!r}.", id=coach)


#: The refusal of a move whose tick is not set (the lead's page, before it asks the write).
TICK_MOVE = said("said.intake.tick_move", "Tick first that you want to move it.")


def _verdict(verdict: str, *, since: date | None = None, household: str | None = None,
             held_by: Sequence[str] = ()) -> None:
    """Turn a write query's verdict into the error a person reads (``ok``: nothing to say)."""
    if verdict == "ok":
        return
    if verdict == "changed":
        raise ChangedMeanwhile(message=_CHANGED)
    if verdict == "held":  # another coach holds it, and no move was asked (a typed household moved unasked)
        raise InvalidFields({"bevestig": said("said.intake.held", "{id} is held by {holder}: tick that it moves.", id=str(household), holder=", ".join(held_by))})
    messages: dict[str, dict[str, str]] = {
        "closed": {"aanmelding": said("said.intake.closed", "This signal is closed already.")},
        "already_open": {"aanmelding": said("said.intake.already_open", "An intake runs for this signal already.")},
        "no_signal": {"aanmelding": said("said.intake.no_signal", "This signal does not exist (any more).")},
        "starts_later": {"datum": said("said.intake.starts_later", "There is already an assignment that starts on or "
                                       "after {date}; choose a later start date.", date=_nl(since)) if since else
                         said("said.intake.starts_later_any", "There is already an assignment that starts on or "
                              "after this date; choose a later start date.")},
    }
    raise InvalidFields(messages.get(verdict, {"aanmelding": said("said.intake.not_saved", "This could not be "
                                                                  "saved.")}))


# -- signals and intakes -------------------------------------------------------------------------------------

def new_signal_id() -> str:
    """A new signal's id (``SIG-`` and twelve hex digits) that never holds nine digits passing the BSN 11-proef: the
    id fields refuse what looks like a BSN, so one id in a few hundred (``SIG-123456782ABC``) made its own signal
    impossible to take as an intake, assign or close (a CI run met one)."""
    while holds_bsn(signal_id := "SIG-" + uuid.uuid4().hex[:12].upper()):
        pass
    return signal_id


@writes("signal_register")
def register_signal(db: Database, audit: AuditLog, actor: Actor, *, signal_date: date, channel: str,
                    area_code: str | None = None, household_id: str | None = None,
                    today: date | None = None) -> str:
    """Register an intake signal (a resident, a neighbour, the household itself or a partner: ``channel`` from
    the code list ``signal_channel``) on ``signal_date`` in ``area_code``, about ``household_id`` when it is
    known (then the area may be left out: it is the household's). Returns the new signal's id."""
    today = today or dutch_today()
    errors: dict[str, str] = {}
    day = _day(errors, "datum", signal_date, _what("signal_date"), today)
    if day is not None and day > today and "datum" not in errors:
        errors["datum"] = said("said.intake.signal_future", "The date of the signal is in the future ({date}).",
                               date=_nl(day))
    kanaal = (channel or "").strip().casefold()
    channels = code_list("signal_channel").values  # with the deployment profile's own (Leeuwarden: aanbellen)
    if kanaal not in channels:
        errors["kanaal"] = said("said.intake.channel", "Choose a channel from the list: {channels}.",
                                channels=", ".join(str(c) for c in channels))
    household = _ident(errors, "huishouden", household_id, _what("household"), required=False)
    area = _ident(errors, "wijk", area_code, _what("area"), required=household is None)
    _raise(errors)
    signal_id = new_signal_id()
    with audited_write(audit, actor, "signal_register", target=signal_id,
                       detail=f"channel={kanaal} area={area or ''} household={household or ''}") as outcome:
        refs = _refs(db, area_code=area, household_id=household)
        household = refs["household_id"] or household  # as stored (hh-t2 typed: HH-T2)
        if household and not refs["household_exists"]:
            errors["huishouden"] = said("said.intake.no_household", "There is no household {id!r}.", id=household)
        elif household and area and refs["household_area"] and refs["household_area"] != area:
            errors["wijk"] = said("said.intake.other_area", "The household lies in area {area}, not in {given}.",
                                  area=f"{refs['household_area_name']} ({refs['household_area']})",
                                  given=f"{refs['area_name']} ({area})")
        if household and not area:
            area = refs["household_area"]
            refs = _refs(db, area_code=area, household_id=household)
        if area and not refs["area_exists"]:
            errors.setdefault("wijk", said("said.intake.no_area", "There is no area {area!r}.", area=area))
        _raise(errors)
        _run(db, "intake_signal", {"id": signal_id, "date": day, "channel": kanaal, "area_code": area,
                                   "household_id": household, "source": _source(actor), "at": _now()})
        outcome.done("registered", f"signal={signal_id}" + (f" household={household}" if household else ""))
    return signal_id


@writes("intake_open")
def open_intake(db: Database, audit: AuditLog, actor: Actor, signal_id: str, *,
                expected_version: int | None = None, on: date | None = None) -> int:
    """Open an intake for the signal (it is then no longer an open signal but an open intake). Returns the
    signal's new version. ``expected_version``: the version the caller read; another one raises
    :class:`ChangedMeanwhile` and nothing is written."""
    errors: dict[str, str] = {}
    sid = _ident(errors, "aanmelding", signal_id, _what("signal"))
    version = _version(errors, expected_version)
    _raise(errors)
    day = on or dutch_today()
    with audited_write(audit, actor, "intake_open", target=str(sid)) as outcome:
        rows = _run(db, "intake_open", {"signal_id": sid, "expected_version": version, "on": day,
                                        "source": _source(actor), "at": _now()})
        _verdict(rows[0]["verdict"] if rows else "no_signal")
        outcome.done("opened", f"version={rows[0]['version']}")
    return int(rows[0]["version"])


@writes("intake_close")
def close_intake(db: Database, audit: AuditLog, actor: Actor, signal_id: str, reason: str, *,
                 on: date | None = None, expected_version: int | None = None, end_caseload: bool = True,
                 today: date | None = None, confirmed: bool = True) -> int:
    """Close the intake of a signal (also a signal without an intake: "geen casus") with a ``reason``; with
    ``end_caseload`` the caseload assignment of its household that runs on ``on`` ends that day. Returns how
    many assignments ended. ``confirmed`` False (the page's tick not set) is one more problem, said with the
    others (the tick alone was said first, the empty reason only after it was set: an outside test)."""
    today = today or dutch_today()
    errors: dict[str, str] = {}
    sid = _ident(errors, "aanmelding", signal_id, _what("signal"))
    version = _version(errors, expected_version)
    day = _day(errors, "datum", on or today, _what("close_date"), today)
    text = (reason or "").strip()
    if not text:
        errors["reden"] = said("said.intake.fill_reason", "Fill in the reason for closing.")
    elif len(text) > CLOSE_REASON_MAX:
        errors["reden"] = said("said.intake.reason_long", "The reason is too long ({n} characters; at most {max}).",
                               n=len(text), max=CLOSE_REASON_MAX)
    elif holds_bsn(text):
        errors["reden"] = said("said.intake.bsn_text", "This text holds a number that passes the BSN 11-proef; a "
                               "BSN does not belong here: remove it.")
    if not confirmed:
        errors["bevestig"] = said("said.intake.tick_close", "Tick first that you want to close the intake.")
    _raise(errors)
    with audited_write(audit, actor, "intake_close", target=str(sid)) as outcome:
        rows = _run(db, "intake_close", {"signal_id": sid, "expected_version": version, "on": day,
                                         "reason": text, "end_caseload": end_caseload, "source": _source(actor),
                                         "at": _now()})
        if rows and rows[0]["verdict"] == "later_assignment":  # closing would leave a planned move running
            raise InvalidFields({"datum": said(
                "said.intake.later_assignment", "The household has an assignment that starts on {date}, after this "
                "date: close on {date} or later (or keep the caseload).", date=_nl(rows[0]["later_since"].to_native()))})
        if rows and rows[0]["verdict"] == "before_signal":  # it would also end the caseload before it began
            raise InvalidFields({"datum": said(
                "said.intake.close_before_signal", "An intake cannot close before its signal came in or the intake "
                "began: close on {date} or later.", date=_nl(rows[0]["first_day"].to_native()))})
        _verdict(rows[0]["verdict"] if rows else "no_signal")
        ended = int(rows[0]["ended"])
        outcome.done("closed", f"version={rows[0]['version']} caseload_ended={ended}")
    return ended


# -- caseload ------------------------------------------------------------------------------------------------

@writes("caseload_assign")
def assign_household(db: Database, audit: AuditLog, actor: Actor, coach_id: str, since: date, *,
                     household_id: str | None = None, signal_id: str | None = None,
                     expected_version: int | None = None, today: date | None = None, move: bool | None = None
                     ) -> str:
    """Assign a household to the wijkcoach ``coach_id`` from ``since`` (a new ``COACHES`` relationship).

    With ``signal_id`` this is the outcome of that intake: the household is the signal's (or ``household_id``,
    for a signal whose household was not known), the intake says ``toegewezen`` and ``expected_version`` is
    checked. A household that another coach holds then is moved: that assignment ends the day before
    ``since`` — unless ``move`` is False (the lead's page, until its tick is set): then nothing is written and the
    refusal names who holds it. Returns the household id."""
    today = today or dutch_today()
    errors: dict[str, str] = {}
    coach = _ident(errors, "wijkcoach", coach_id, _what("coach"))
    household = _ident(errors, "huishouden", household_id, _what("household"), required=signal_id is None)
    sid = _ident(errors, "aanmelding", signal_id, _what("signal"), required=False)
    version = _version(errors, expected_version)
    day = _day(errors, "datum", since, _what("start_date"), today)
    _raise(errors)
    target = household or str(sid)
    with audited_write(audit, actor, "caseload_assign", target=target,
                       detail=f"coach={coach} since={day}" + (f" signal={sid}" if sid else "")) as outcome:
        refs = _refs(db, household_id=household, coach_ids=(str(coach),), signal_id=sid)
        household = refs["household_id"] or household  # as stored (hh-t2 typed: HH-T2)
        _check_coaches(errors, refs, wijkcoach=coach)
        if sid:
            if not refs["signal_exists"]:
                errors["aanmelding"] = said("said.intake.no_signal", "This signal does not exist (any more).")
            elif refs["signal_household"] and household and refs["signal_household"] != household:
                errors["huishouden"] = said("said.intake.other_household", "The signal is about another household.")
            elif not refs["signal_household"] and not household:
                errors["huishouden"] = said("said.intake.household_unknown", "The household of this signal is not "
                                            "known yet: fill it in.")
            elif household and refs["signal_area"] and refs["household_area"] \
                    and refs["household_area"] != refs["signal_area"]:  # as registering it would have said
                errors["huishouden"] = said("said.intake.other_area", "The household lies in area {area}, not in "
                                            "{given}.", area=f"{refs['household_area_name']} ({refs['household_area']})",
                                            given=f"{refs['signal_area_name']} ({refs['signal_area']})")
            if household is None and refs["signal_household"]:
                household = str(refs["signal_household"])
                refs = {**refs, "household_exists": True}
            signal_date = refs["signal_date"].to_native() if refs["signal_date"] is not None else None
            if day and isinstance(signal_date, date) and day < signal_date and "datum" not in errors:
                errors["datum"] = said("said.intake.before_signal", "The start date is before the date of the "
                                       "signal ({date}).", date=_nl(signal_date))
        if household and not refs["household_exists"]:
            errors["huishouden"] = said("said.intake.no_household", "There is no household {id!r}.", id=household)
        _raise(errors)
        assert day is not None
        rows = _run(db, "intake_assign", {"household_id": household, "coach_id": coach, "since": day,
                                          "last_day": day - timedelta(days=1), "signal_id": sid,
                                          "expected_version": version, "move": move, "source": _source(actor),
                                          "at": _now()})
        _verdict(rows[0]["verdict"] if rows else "no_signal", since=day, household=household,
                 held_by=rows[0]["held_by"] if rows else ())
        moved = list(rows[0]["moved_from"])
        outcome.done("assigned", f"household={household} coach={coach} since={day}"
                     + (f" moved_from={','.join(moved)}" if moved else ""))
    return str(household)


@dataclass(frozen=True)
class MoveResult:
    """What a move did: the households now with the new coach, and those it left (their assignment with the old
    coach starts on or after the move date, or the new coach holds them already)."""

    moved: tuple[str, ...]
    not_moved: tuple[str, ...]


@writes("caseload_move")
def move_caseload(db: Database, audit: AuditLog, actor: Actor, from_coach: str, to_coach: str, on: date, *,
                  household_ids: list[str] | None = None, today: date | None = None, confirmed: bool = True
                  ) -> MoveResult:
    """Move households from ``from_coach`` to ``to_coach`` on ``on`` (the new coach's first day; the old
    assignment ends the day before). ``household_ids`` ``None``: every household ``from_coach`` holds on ``on``
    (a coach who leaves). One audit record before and one after, however many households move. ``confirmed``
    False (the page's tick not set) is one more problem, said with the others."""
    today = today or dutch_today()
    errors: dict[str, str] = {}
    src = _ident(errors, "van", from_coach, _what("current_coach"))
    dst = _ident(errors, "naar", to_coach, _what("new_coach"))
    day = _day(errors, "datum", on, _what("move_date"), today)
    households = None if household_ids is None else [
        h for i, raw in enumerate(household_ids)
        if (h := _ident(errors, "huishouden" if len(household_ids) == 1 else f"huishouden {i + 1}", raw,
                        _what("household"))) is not None]
    if src and dst and src == dst:
        errors["naar"] = said("said.intake.same_coach", "Choose another coach than the current one.")
    if not confirmed:
        errors["bevestig"] = TICK_MOVE
    _raise(errors)
    assert day is not None
    target = households[0] if households and len(households) == 1 else f"caseload:{src}"
    with audited_write(audit, actor, "caseload_move", target=target,
                       detail=f"from={src} to={dst} on={day} households="
                       + ("all" if households is None else str(len(households)))) as outcome:
        refs = _refs(db, coach_ids=(str(src), str(dst)))
        _check_coaches(errors, refs, van=src, naar=dst)
        _raise(errors)
        rows = _run(db, "intake_move", {"from_id": src, "to_id": dst, "household_ids": households, "on": day,
                                        "last_day": day - timedelta(days=1), "source": _source(actor),
                                        "at": _now()})
        result = MoveResult(tuple(r["household_id"] for r in rows if r["moved"]),
                            tuple(r["household_id"] for r in rows if not r["moved"]))
        if households is not None and len(households) == 1 and not result.moved:
            raise InvalidFields({"huishouden": said(
                "said.intake.not_moved", "On {date} this household is not (only) with {coach}, or the assignment "
                "starts only on or after that date; nothing was moved.", date=_nl(day),
                coach=dict(refs["coach_names"]).get(src, src))})  # the coach as people know them, not the code
        outcome.done("moved", f"moved={len(result.moved)} not_moved={len(result.not_moved)}")
    return result


@writes("caseload_end")
def end_caseload(db: Database, audit: AuditLog, actor: Actor, household_id: str, until: date, *,
                 coach_id: str | None = None, today: date | None = None) -> list[str]:
    """End the household's caseload assignment on ``until`` (its last day; kept as history): ``coach_id``'s, or
    whichever runs on ``until``. Returns the coaches whose assignment ended (empty: there was none)."""
    today = today or dutch_today()
    errors: dict[str, str] = {}
    household = _ident(errors, "huishouden", household_id, _what("household"))
    coach = _ident(errors, "wijkcoach", coach_id, _what("coach"), required=False)
    day = _day(errors, "datum", until, _what("end_date"), today)
    _raise(errors)
    with audited_write(audit, actor, "caseload_end", target=str(household),
                       detail=f"until={day}" + (f" coach={coach}" if coach else "")) as outcome:
        rows = _run(db, "intake_end", {"household_id": household, "coach_id": coach, "until": day,
                                       "source": _source(actor), "at": _now()})
        if rows and rows[0]["later_since"] is not None:  # ending would leave a planned move running
            raise InvalidFields({"datum": said(
                "said.caseload.later_assignment", "The household has an assignment that starts on {date}, after "
                "this date: end it on {date} or later.", date=_nl(rows[0]["later_since"].to_native()))})
        ended = [str(c) for c in rows[0]["coach_ids"]] if rows else []
        outcome.done("ended", f"assignments={len(ended)}")
    return ended
