"""The project lead's intake: register a signal, open an intake for it, assign the household to a wijkcoach, move
households between coaches, end an assignment, close the intake.

Every function here is a write entry (:func:`ingest.entry.writes`) and runs inside
:func:`ingest.entry.audited_write`: role checked (:data:`queries.access.INTAKE_ROLES`: project lead and admin),
audit record written before anything is written, nothing written when the audit log is unavailable. The lead
works by pseudonym only: the household id, the coach, dates, the channel and the area; nothing of a household's
content is read.

Values are checked first, with the code lists of the model (:data:`graph.model.SIGNAL_CHANNELS`) and the BSN
check of file ingest (:func:`ingest.validate.holds_bsn`); a bad value raises
:class:`~graph.errors.InvalidFields` with a Dutch message per field and nothing is written (an identifier that
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
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

from graph.db import Database
from graph.errors import ChangedMeanwhile, InvalidFields
from graph.model import CODE_LISTS, SIGNAL_CHANNELS
from ingest.entry import audited_write, writes
from ingest.validate import holds_bsn
from queries.access import Actor
from queries.audit import AuditLog

__all__ = [
    "CLOSE_REASON_MAX",
    "MoveResult",
    "assign_household",
    "close_intake",
    "end_caseload",
    "move_caseload",
    "open_intake",
    "register_signal",
]

#: Longest close reason (free text; checked for a BSN like every free-text field of file ingest).
CLOSE_REASON_MAX = 500
_ID_MAX = 100
_CHANGED = ("Deze aanmelding is intussen gewijzigd door iemand anders; er is niets opgeslagen. Laad de lijst "
            "opnieuw en probeer het nog eens.")


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


def _ident(errors: dict[str, str], field: str, value: str | None, what: str, *, required: bool = True) -> str | None:
    """A cleaned identifier (household pseudonym, coach, signal, area), or ``None``; problems into ``errors``."""
    text = (value or "").strip()
    if not text:
        if required:
            errors[field] = f"Vul {what} in."
        return None
    if holds_bsn(text):
        errors[field] = "Dit lijkt een BSN; een BSN hoort hier niet. Gebruik het pseudoniem (bijvoorbeeld HH-…)."
    elif len(text) > _ID_MAX or any(ch in text for ch in "\r\n\t"):
        errors[field] = f"Dit is geen geldige waarde voor {what}."
    return text


def _day(errors: dict[str, str], field: str, value: object, what: str, today: date) -> date | None:
    if not isinstance(value, date):
        errors[field] = f"Vul {what} in (dd-mm-jjjj)."
        return None
    if isinstance(value, datetime):
        value = value.date()
    if value.year < 1990:
        errors[field] = f"{what.capitalize()} ligt te ver in het verleden ({_nl(value)})."
    elif value > today + timedelta(days=366):
        errors[field] = f"{what.capitalize()} ligt meer dan een jaar in de toekomst ({_nl(value)})."
    return value


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise InvalidFields(errors)


def _version(errors: dict[str, str], value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors["versie"] = "Ongeldige versie van de aanmelding."
        return None
    return value


def _refs(db: Database, *, area_code: str | None = None, household_id: str | None = None,
          coach_ids: tuple[str, ...] = (), signal_id: str | None = None) -> dict[str, Any]:
    rows = _run(db, "intake_refs", {"area_code": area_code, "household_id": household_id,
                                     "coach_ids": list(coach_ids), "signal_id": signal_id}, write=False)
    return rows[0]


def _check_coaches(errors: dict[str, str], refs: dict[str, Any], **coaches: str | None) -> None:
    for field, coach in coaches.items():
        if coach and coach not in refs["coaches"]:
            errors[field] = f"Er is geen wijkcoach {coach!r}."


def _verdict(verdict: str, *, since: date | None = None) -> None:
    """Turn a write query's verdict into the error a person reads (``ok``: nothing to say)."""
    if verdict == "ok":
        return
    if verdict == "changed":
        raise ChangedMeanwhile(message=_CHANGED)
    messages = {
        "closed": {"aanmelding": "Deze aanmelding is al gesloten."},
        "already_open": {"aanmelding": "Voor deze aanmelding loopt al een intake."},
        "no_signal": {"aanmelding": "Deze aanmelding bestaat niet (meer)."},
        "starts_later": {"datum": "Er is al een toewijzing die op of na "
                                  + (_nl(since) if since else "deze datum")
                                  + " begint; kies een latere startdatum."},
    }
    raise InvalidFields(messages.get(verdict, {"aanmelding": "Dit kon niet worden opgeslagen."}))


# -- signals and intakes -------------------------------------------------------------------------------------

@writes("signal_register")
def register_signal(db: Database, audit: AuditLog, actor: Actor, *, signal_date: date, channel: str,
                    area_code: str | None = None, household_id: str | None = None,
                    today: date | None = None) -> str:
    """Register an intake signal (a resident, a neighbour, the household itself or a partner: ``channel`` from
    the code list ``signal_channel``) on ``signal_date`` in ``area_code``, about ``household_id`` when it is
    known (then the area may be left out: it is the household's). Returns the new signal's id."""
    today = today or date.today()
    errors: dict[str, str] = {}
    day = _day(errors, "datum", signal_date, "de datum van het signaal", today)
    if day is not None and day > today and "datum" not in errors:
        errors["datum"] = f"De datum van het signaal ligt in de toekomst ({_nl(day)})."
    kanaal = (channel or "").strip().casefold()
    if kanaal not in SIGNAL_CHANNELS:
        labels = ", ".join(f"{c.value} ({c.nl})" for c in CODE_LISTS["signal_channel"].codes)
        errors["kanaal"] = f"Kies een kanaal uit de lijst: {labels}."
    household = _ident(errors, "huishouden", household_id, "het huishouden", required=False)
    area = _ident(errors, "wijk", area_code, "de wijk", required=household is None)
    _raise(errors)
    signal_id = "SIG-" + uuid.uuid4().hex[:12].upper()
    with audited_write(audit, actor, "signal_register", target=signal_id,
                       detail=f"channel={kanaal} area={area or ''} household={household or ''}") as outcome:
        refs = _refs(db, area_code=area, household_id=household)
        if household and not refs["household_exists"]:
            errors["huishouden"] = f"Er is geen huishouden {household!r}."
        elif household and area and refs["household_area"] and refs["household_area"] != area:
            errors["wijk"] = f"Het huishouden ligt in wijk {refs['household_area']}, niet in {area}."
        if household and not area:
            area = refs["household_area"]
            refs = _refs(db, area_code=area, household_id=household)
        if area and not refs["area_exists"]:
            errors.setdefault("wijk", f"Er is geen wijk {area!r}.")
        _raise(errors)
        _run(db, "intake_signal", {"id": signal_id, "date": day, "channel": kanaal, "area_code": area,
                                   "household_id": household, "source": _source(actor), "at": _now()})
        outcome.done("registered", f"signal={signal_id}")
    return signal_id


@writes("intake_open")
def open_intake(db: Database, audit: AuditLog, actor: Actor, signal_id: str, *,
                expected_version: int | None = None, on: date | None = None) -> int:
    """Open an intake for the signal (it is then no longer an open signal but an open intake). Returns the
    signal's new version. ``expected_version``: the version the caller read; another one raises
    :class:`ChangedMeanwhile` and nothing is written."""
    errors: dict[str, str] = {}
    sid = _ident(errors, "aanmelding", signal_id, "de aanmelding")
    version = _version(errors, expected_version)
    _raise(errors)
    day = on or date.today()
    with audited_write(audit, actor, "intake_open", target=str(sid)) as outcome:
        rows = _run(db, "intake_open", {"signal_id": sid, "expected_version": version, "on": day,
                                        "source": _source(actor), "at": _now()})
        _verdict(rows[0]["verdict"] if rows else "no_signal")
        outcome.done("opened", f"version={rows[0]['version']}")
    return int(rows[0]["version"])


@writes("intake_close")
def close_intake(db: Database, audit: AuditLog, actor: Actor, signal_id: str, reason: str, *,
                 on: date | None = None, expected_version: int | None = None, end_caseload: bool = True,
                 today: date | None = None) -> int:
    """Close the intake of a signal (also a signal without an intake: "geen casus") with a ``reason``; with
    ``end_caseload`` the caseload assignment of its household that runs on ``on`` ends that day. Returns how
    many assignments ended."""
    today = today or date.today()
    errors: dict[str, str] = {}
    sid = _ident(errors, "aanmelding", signal_id, "de aanmelding")
    version = _version(errors, expected_version)
    day = _day(errors, "datum", on or today, "de datum van sluiten", today)
    text = (reason or "").strip()
    if not text:
        errors["reden"] = "Vul de reden van sluiten in."
    elif len(text) > CLOSE_REASON_MAX:
        errors["reden"] = f"De reden is te lang ({len(text)} tekens; hooguit {CLOSE_REASON_MAX})."
    elif holds_bsn(text):
        errors["reden"] = ("Deze tekst bevat een nummer dat de BSN-elfproef doorstaat; een BSN hoort hier niet: "
                           "haal het weg.")
    _raise(errors)
    with audited_write(audit, actor, "intake_close", target=str(sid)) as outcome:
        rows = _run(db, "intake_close", {"signal_id": sid, "expected_version": version, "on": day,
                                         "reason": text, "end_caseload": end_caseload, "source": _source(actor),
                                         "at": _now()})
        _verdict(rows[0]["verdict"] if rows else "no_signal")
        ended = int(rows[0]["ended"])
        outcome.done("closed", f"version={rows[0]['version']} caseload_ended={ended}")
    return ended


# -- caseload ------------------------------------------------------------------------------------------------

@writes("caseload_assign")
def assign_household(db: Database, audit: AuditLog, actor: Actor, coach_id: str, since: date, *,
                     household_id: str | None = None, signal_id: str | None = None,
                     expected_version: int | None = None, today: date | None = None) -> str:
    """Assign a household to the wijkcoach ``coach_id`` from ``since`` (a new ``COACHES`` relationship).

    With ``signal_id`` this is the outcome of that intake: the household is the signal's (or ``household_id``,
    for a signal whose household was not known), the intake says ``toegewezen`` and ``expected_version`` is
    checked. A household that another coach holds then is moved: that assignment ends the day before
    ``since``. Returns the household id."""
    today = today or date.today()
    errors: dict[str, str] = {}
    coach = _ident(errors, "wijkcoach", coach_id, "de wijkcoach")
    household = _ident(errors, "huishouden", household_id, "het huishouden", required=signal_id is None)
    sid = _ident(errors, "aanmelding", signal_id, "de aanmelding", required=False)
    version = _version(errors, expected_version)
    day = _day(errors, "datum", since, "de startdatum", today)
    _raise(errors)
    target = household or str(sid)
    with audited_write(audit, actor, "caseload_assign", target=target,
                       detail=f"coach={coach} since={day}" + (f" signal={sid}" if sid else "")) as outcome:
        refs = _refs(db, household_id=household, coach_ids=(str(coach),), signal_id=sid)
        _check_coaches(errors, refs, wijkcoach=coach)
        if sid:
            if not refs["signal_exists"]:
                errors["aanmelding"] = "Deze aanmelding bestaat niet (meer)."
            elif refs["signal_household"] and household and refs["signal_household"] != household:
                errors["huishouden"] = "De aanmelding gaat over een ander huishouden."
            elif not refs["signal_household"] and not household:
                errors["huishouden"] = "Van deze aanmelding is het huishouden nog niet bekend: vul het in."
            if household is None and refs["signal_household"]:
                household = str(refs["signal_household"])
                refs = {**refs, "household_exists": True}
            signal_date = refs["signal_date"].to_native() if refs["signal_date"] is not None else None
            if day and isinstance(signal_date, date) and day < signal_date and "datum" not in errors:
                errors["datum"] = f"De startdatum ligt vóór de datum van de aanmelding ({_nl(signal_date)})."
        if household and not refs["household_exists"]:
            errors["huishouden"] = f"Er is geen huishouden {household!r}."
        _raise(errors)
        assert day is not None
        rows = _run(db, "intake_assign", {"household_id": household, "coach_id": coach, "since": day,
                                          "last_day": day - timedelta(days=1), "signal_id": sid,
                                          "expected_version": version, "source": _source(actor), "at": _now()})
        _verdict(rows[0]["verdict"] if rows else "no_signal", since=day)
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
                  household_ids: list[str] | None = None, today: date | None = None) -> MoveResult:
    """Move households from ``from_coach`` to ``to_coach`` on ``on`` (the new coach's first day; the old
    assignment ends the day before). ``household_ids`` ``None``: every household ``from_coach`` holds on ``on``
    (a coach who leaves). One audit record before and one after, however many households move."""
    today = today or date.today()
    errors: dict[str, str] = {}
    src = _ident(errors, "van", from_coach, "de huidige wijkcoach")
    dst = _ident(errors, "naar", to_coach, "de nieuwe wijkcoach")
    day = _day(errors, "datum", on, "de datum van verplaatsen", today)
    households = None if household_ids is None else [
        h for i, raw in enumerate(household_ids)
        if (h := _ident(errors, "huishouden" if len(household_ids) == 1 else f"huishouden {i + 1}", raw,
                        "het huishouden")) is not None]
    if src and dst and src == dst:
        errors["naar"] = "Kies een andere wijkcoach dan de huidige."
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
            raise InvalidFields({"huishouden": f"Dit huishouden staat op {_nl(day)} niet (alleen) bij {src}, of "
                                 "de toewijzing begint pas op of na die datum; er is niets verplaatst."})
        outcome.done("moved", f"moved={len(result.moved)} not_moved={len(result.not_moved)}")
    return result


@writes("caseload_end")
def end_caseload(db: Database, audit: AuditLog, actor: Actor, household_id: str, until: date, *,
                 coach_id: str | None = None, today: date | None = None) -> list[str]:
    """End the household's caseload assignment on ``until`` (its last day; kept as history): ``coach_id``'s, or
    whichever runs on ``until``. Returns the coaches whose assignment ended (empty: there was none)."""
    today = today or date.today()
    errors: dict[str, str] = {}
    household = _ident(errors, "huishouden", household_id, "het huishouden")
    coach = _ident(errors, "wijkcoach", coach_id, "de wijkcoach", required=False)
    day = _day(errors, "datum", until, "de einddatum", today)
    _raise(errors)
    with audited_write(audit, actor, "caseload_end", target=str(household),
                       detail=f"until={day}" + (f" coach={coach}" if coach else "")) as outcome:
        rows = _run(db, "intake_end", {"household_id": household, "coach_id": coach, "until": day,
                                       "source": _source(actor), "at": _now()})
        ended = [str(r["coach_id"]) for r in rows]
        outcome.done("ended", f"assignments={len(ended)}")
    return ended
