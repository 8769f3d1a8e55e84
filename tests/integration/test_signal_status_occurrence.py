"""A reader's status (read, done) of a threshold signal belongs to the crossing it was given on: an unchanged
crossing stays dealt with, also after ``wijknet signals expire``, and a new crossing after a drop below the
threshold is a new, unread signal (an outside review of the signals, 2026-12-05; docs/signals.md, *What is
stored*). Before, the status was kept under (kind, recipient, household, detail) with the signal's date when it
was marked: expiry removed it by that date while the household was still over the threshold (the signal came back
unread), and a household that dropped below and crossed again was still "afgehandeld".

HH-T1 of tests/household_records.py has eight casemanagers on AFTER (threshold 5) with I30 of test_signals.py."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from graph.db import Database
from ingest.loader import load_records
from ingest.matching import match_involvements
from queries.audit import AuditLog
from queries.notices import expire_notices, inbox, mark_notice
from tests.conftest import wipe
from tests.household_records import AFTER, SRC, records
from tests.integration.test_signals import COACH, ENDED, LEAD, NEW, STEWARD


def _involvement(iid: str, pro: str, org: str, person: str, since: date, until: date | None = None
                 ) -> tuple[str, dict[str, object]]:
    return ("involvement", {"id": iid, "professional_id": pro, "organisation_id": org,
                            "life_domain": "ONDERWIJS_OPVOEDING", "role": "casemanager", "since": since,
                            "until": until, "person_ids": [person], "household_id": None, "source": SRC})


def _casemanagers(db: Database, audit: AuditLog, actor: object, today: date) -> list[tuple[str, str]]:
    return [(e.household_id or "", e.status) for e in inbox(db, audit, actor, today=today)  # type: ignore[arg-type]
            if e.kind == "casemanagers"]


def _dealt_with_on_after(db: Database, audit: AuditLog) -> None:
    wipe(db)
    load_records(db, [*records(), *NEW, *ENDED])
    match_involvements(db, ["I30", "I31"], AFTER)
    for actor in (COACH, LEAD):
        signal = next(e for e in inbox(db, audit, actor, today=AFTER) if e.kind == "casemanagers")
        assert mark_notice(db, audit, actor, signal.key, "done", today=AFTER)
        assert _casemanagers(db, audit, actor, AFTER) == [("HH-T1", "done")]


def test_an_unchanged_crossing_stays_dealt_with_after_expiry(db: Database, tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "a.sqlite")
    _dealt_with_on_after(db, audit)
    # two years and more later the household is still over the threshold (a ninth professional joined) and a load
    # matched on that day: the crossing is the same one
    later = AFTER + timedelta(days=800)
    load_records(db, [_involvement("I42", "P13", "O-JAR", "D", later - timedelta(days=5))])
    match_involvements(db, ["I42"], later)
    for actor in (COACH, LEAD):
        assert _casemanagers(db, audit, actor, later) == [("HH-T1", "done")]
    cutoff, _ = expire_notices(db, audit, STEWARD, as_of=later, apply=True)
    assert cutoff > AFTER  # the day the status was given lies before the cut-off
    for actor in (COACH, LEAD):
        assert _casemanagers(db, audit, actor, later) == [("HH-T1", "done")]
    # the match signals of 2009 did go, with their statuses
    assert not [e for e in inbox(db, audit, COACH, today=later) if e.kind in ("match", "new_involvement")
                and e.day is not None and e.day < cutoff]


def test_a_new_crossing_after_a_drop_is_a_new_unread_signal(db: Database, tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "a.sqlite")
    _dealt_with_on_after(db, audit)
    drop, again, matched = date(2009, 2, 1), date(2009, 3, 1), date(2009, 3, 10)
    # four of the eight end on 1 February (four left: below the threshold) ...
    ended = [r for r in records() if r[0] == "involvement" and r[1]["id"] in ("I01", "I03", "I04", "I07")]
    load_records(db, [(k, {**r, "until": drop}) for k, r in ended])
    match_involvements(db, ["I30"], drop)  # nothing new to match; the household is read on a later load's day
    load_records(db, [_involvement("I41", "P13", "O-JAR", "S", again)])  # ... and a fifth starts on 1 March
    match_involvements(db, ["I41"], matched)
    for actor in (COACH, LEAD):
        assert _casemanagers(db, audit, actor, matched) == [("HH-T1", "new")]
        # dealt with again, it stays so while the household stays over the threshold
        signal = next(e for e in inbox(db, audit, actor, today=matched) if e.kind == "casemanagers")
        assert mark_notice(db, audit, actor, signal.key, "done", today=matched)
        assert _casemanagers(db, audit, actor, matched) == [("HH-T1", "done")]
