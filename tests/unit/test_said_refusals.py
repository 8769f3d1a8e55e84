"""What the policy, lead and signal pages say when a request is refused, and what a coach's or a lead's form says
about a wrong value: English on the command line, Dutch on a page (``app.i18n.say``), with no English word left.

The refusals are raised before any data is read (the role and the filters are checked first), so no database is
needed: ``db`` is never touched."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.errors import user_message
from graph.errors import WijknetError
from queries.access import Actor, Role
from queries.audit import AuditLog
from tests.english import english_words
from tests.shown import as_read

POLICY = Actor("beleid", Role.POLICYMAKER, "Gemeente", access_point="test")
LEAD = Actor("lead", Role.PROJECT_LEAD, "Gemeente", access_point="test")
COACH = Actor("coach", Role.COACH, "Gemeente", "PRO-1", access_point="test")
NO_DB: Any = None  # every case below is refused before the database is asked


def _refusals(audit: AuditLog, tmp: Path) -> dict[str, Callable[[], object]]:
    from queries import aggregates, notices

    period = {"start": date(2010, 1, 1), "end": date(2009, 1, 1)}
    return {
        "unknown life domain": lambda: aggregates.overlap_trend(NO_DB, audit, POLICY, life_domain="SPORT"),
        "empty area": lambda: aggregates.overlap_trend(NO_DB, audit, POLICY, area="  "),
        "years": lambda: aggregates.overlap_trend(NO_DB, audit, POLICY, first_year=2012, last_year=2004),
        "cohort": lambda: aggregates.coach_effect_view(NO_DB, audit, POLICY, min_before=7),
        "period": lambda: aggregates.collaboration_view(NO_DB, audit, LEAD, **period),
        "tie": lambda: aggregates.collaboration_view(NO_DB, audit, LEAD, start=date(2009, 1, 1),
                                                     end=date(2009, 12, 31), edge_type="friends"),
        "gap": lambda: aggregates.handover_view(NO_DB, audit, LEAD, start=date(2009, 1, 1), end=date(2009, 12, 31),
                                                gap_days=400),
        "calendar year": lambda: aggregates.handover_view(NO_DB, audit, LEAD, start=date(2009, 1, 1),
                                                          end=date(2010, 12, 31)),
        "notice status": lambda: notices.mark_notice(NO_DB, audit, COACH, "k", "gelezen"),
        "outbox format": lambda: notices.write_outbox({}, tmp, "xml"),
    }


@pytest.mark.parametrize("case", ["unknown life domain", "empty area", "years", "cohort", "period", "calendar year", "tie", "gap",
                                  "notice status", "outbox format"])
def test_a_refused_request_is_english_in_the_cli_and_dutch_on_a_page(case: str, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_AUDIT_KEY_FILE", str(tmp_path / "keys" / "audit.key"))
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    with pytest.raises(WijknetError) as caught:
        _refusals(AuditLog(tmp_path / "audit.sqlite"), tmp_path)[case]()
    english, dutch = str(caught.value), as_read(user_message(caught.value))
    assert english_words(english), english  # the CLI's sentence, as before
    assert dutch != english and english_words(dutch) == [], dutch
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    assert as_read(user_message(caught.value)) == english


def test_the_numbers_of_a_refusal_read_as_numbers() -> None:
    """Years and day counts are not thousands ("2.004"); a row cap is ("1.000.000" in Dutch)."""
    from app.i18n import say
    from graph.said import said

    years = said("said.aggregates.bad_years", "The period {first}–{last} is not a valid range of years.",
                 first="2012", last="2004")
    assert say(years) == "De periode 2012–2004 is geen geldige reeks jaren."
    cap = said("said.aggregates.too_many_handovers", "This period has more than {cap} handovers. The app does not "
               "read that many row by row from the database (memory limit WIJKNET_ROW_CAP); it has to only while the "
               "snapshot of the data after the last change is still being read. Try again in a minute, or choose a "
               "shorter period or one area.", cap=1_000_000)
    assert "more than 1,000,000 handovers" in cap and "meer dan 1.000.000 overdrachten" in say(cap, lang="nl")
    assert english_words(say(cap, lang="nl")) == []


def test_a_coachs_wrong_entry_is_said_at_its_field_in_the_users_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The coach's form (ingest.record): each problem names the field by its label on the form, in Dutch on the
    page and in English in the CLI; the form's labels themselves come from the catalogue."""
    from app.i18n import say
    from ingest.record import KINDS, _check

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    _, problems = _check(KINDS["client_system"], {"name": "", "relation": "oma", "since": date(2009, 1, 1),
                                                  "until": date(2008, 1, 1)}, date(2026, 1, 1))
    assert {k: say(v) for k, v in problems.items()} == {
        "name": "Vul Naam in.", "until": "Tot en met (01-01-2008) ligt vóór Sinds (01-01-2009)."}
    assert {k: str(v) for k, v in problems.items()} == {
        "name": "Fill in Name.", "until": "Until (01-01-2008) is before Since (01-01-2009)."}
    assert say(problems["until"], lang="en") == "Until (01-01-2008) is before Since (01-01-2009)."
    _, problems = _check(KINDS["ladder_score"], {"person_id": "P", "rung": 7, "date": "31-02-2009"},
                         date(2026, 1, 1))
    assert {k: say(v) for k, v in problems.items()} == {"rung": "Trede moet 1 tot en met 6 zijn.",
                                                        "date": "Datum: '31-02-2009' bestaat niet als datum."}
    for kind in KINDS.values():
        assert english_words(say(kind.label)) == [], kind.name
        assert [say(f.label) for f in kind.fields if english_words(say(f.label))] == [], kind.name
        assert say(kind.label, lang="en") == str(kind.label)


def test_a_leads_wrong_entry_is_said_in_the_users_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lead's intake (ingest.intake): values are checked before anything is read or written."""
    from graph.errors import InvalidFields
    from ingest.intake import close_intake, move_caseload, register_signal

    monkeypatch.setenv("WIJKNET_AUDIT_KEY_FILE", str(tmp_path / "keys" / "audit.key"))
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    audit, day = AuditLog(tmp_path / "audit.sqlite"), date(2009, 3, 1)
    cases: list[Callable[[], object]] = [
        lambda: register_signal(NO_DB, audit, LEAD, signal_date=date(2009, 3, 9), channel="telefoon", area_code="",
                                today=day),
        lambda: register_signal(NO_DB, audit, LEAD, signal_date=date(1980, 1, 1), channel="zelf",
                                household_id="123456782", today=day),
        lambda: close_intake(NO_DB, audit, LEAD, "SIG-1", "zie BSN 123.456.782", today=day),
        lambda: move_caseload(NO_DB, audit, LEAD, "PR-1", "PR-1", day, today=day),
    ]
    said_nl: list[str] = []
    for case in cases:
        with pytest.raises(InvalidFields) as caught:
            case()
        english, dutch = str(caught.value), as_read(user_message(caught.value))
        assert english_words(english), english
        assert english_words(dutch) == [], dutch
        said_nl.append(dutch)
    assert said_nl[0] == ("De datum van het signaal ligt in de toekomst (09-03-2009). Kies een kanaal uit de lijst: "
                          "zelf, bewoner, buur, partner. Vul de wijk in.")
    assert said_nl[1].startswith("Te ver in het verleden: de datum van het signaal (01-01-1980). Dit lijkt een BSN")
