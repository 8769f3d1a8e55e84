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
                                                     end=date(2010, 1, 1), edge_type="friends"),
        "gap": lambda: aggregates.handover_view(NO_DB, audit, LEAD, start=date(2009, 1, 1), end=date(2010, 1, 1),
                                                gap_days=400),
        "notice status": lambda: notices.mark_notice(NO_DB, audit, COACH, "k", "gelezen"),
        "outbox format": lambda: notices.write_outbox({}, tmp, "xml"),
    }


@pytest.mark.parametrize("case", ["unknown life domain", "empty area", "years", "cohort", "period", "tie", "gap",
                                  "notice status", "outbox format"])
def test_a_refused_request_is_english_in_the_cli_and_dutch_on_a_page(case: str, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_AUDIT_KEY_FILE", str(tmp_path / "keys" / "audit.key"))
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    with pytest.raises(WijknetError) as caught:
        _refusals(AuditLog(tmp_path / "audit.sqlite"), tmp_path)[case]()
    english, dutch = str(caught.value), user_message(caught.value)
    assert english_words(english), english  # the CLI's sentence, as before
    assert dutch != english and english_words(dutch) == [], dutch
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    assert user_message(caught.value) == english


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
