"""The triaged caseload and "sinds uw laatste bezoek" against the real Neo4j, on hand-checkable households
(tests/household_records.py plus tests/triage_records.py; the figures are worked out in their docstrings)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.clock import today as dutch_today
from graph.db import Database
from graph.errors import AccessDenied
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.audit import AuditLog
from queries.household import household_view
from queries.registry import get
from queries.since_visit import previous_open, since_last_visit
from queries.triage import last_opened, triaged_caseload
from tests.household_records import AFTER, SRC, records
from tests.triage_records import TRIAGE_EXTRA

COACH1 = Actor("coach1", Role.COACH, "Wijkcoaches", "PR-COACH-1")
COACH2 = Actor("coach2", Role.COACH, "Wijkcoaches", "PR-COACH-2")
LEAD = Actor("projectleider", Role.PROJECT_LEAD, "Gemeente")


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, [*records(), *TRIAGE_EXTRA])
    return db


@pytest.fixture()
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.sqlite")


def test_the_caseload_is_read_in_one_named_query() -> None:
    assert get("coach_caseload_triage").params == {"professional_id", "today", "closed_statuses", "visit_kinds"}


def test_figures_and_urgency_by_hand(loaded: Database, audit: AuditLog) -> None:
    rows = triaged_caseload(loaded, audit, COACH1, today=AFTER)
    # HH-T3 comes first in the plain caseload (assigned earlier); by urgency HH-T1 does
    assert [h.id for h in rows] == ["HH-T1", "HH-T3"]
    t1, t3 = rows
    assert (t1.professionals, t1.overlaps, t1.double_casemanagers, t1.advice_pending, t1.agreements_overdue,
            t1.last_visit, t1.last_opened, t1.days_since_contact, t1.score) == (7, 0, 0, 0, 1, None, None, None, 10)
    assert (t3.professionals, t3.overlaps, t3.double_casemanagers, t3.advice_pending, t3.agreements_overdue,
            t3.last_visit, t3.days_since_contact, t3.score) == (3, 1, 1, 1, 0, date(2009, 1, 1), 14, 8)
    assert (t1.address, t1.postcode, t1.members) == ("Velveweg 12", "7513 AB", 4)
    # a look at each household listed, found under the household (wijknet audit who-saw); an outside review found
    # the list audited once under the coach, so who-saw said nobody had looked at a household shown on it
    recs = list(audit.records())
    assert sorted((r.user, r.action, r.result, r.target, r.purpose) for r in recs) == [
        ("coach1", "view_caseload_triage", "ok", "HH-T1", "caseload_overview"),
        ("coach1", "view_caseload_triage", "ok", "HH-T3", "caseload_overview")]
    assert [r.action for r in audit.records(target="HH-T1")] == ["view_caseload_triage"]


def test_an_empty_caseload_is_audited_under_the_coach(loaded: Database, audit: AuditLog) -> None:
    nobody = Actor("coach9", Role.COACH, "Wijkcoaches", "PR-COACH-9")
    assert triaged_caseload(loaded, audit, nobody, today=AFTER) == []
    assert [(r.action, r.target) for r in audit.records()] == [("view_caseload_triage", "PR-COACH-9")]


def test_only_the_own_caseload_and_only_coaches(loaded: Database, audit: AuditLog) -> None:
    assert [h.id for h in triaged_caseload(loaded, audit, COACH2, today=AFTER)] == ["HH-T2"]
    with pytest.raises(AccessDenied):
        triaged_caseload(loaded, audit, LEAD, today=AFTER)
    assert [(r.user, r.result) for r in audit.records()] == [("coach2", "ok"), ("projectleider", "denied")]


def test_opening_a_household_counts_as_contact(loaded: Database, audit: AuditLog) -> None:
    before = {h.id: h for h in triaged_caseload(loaded, audit, COACH1)}
    assert before["HH-T1"].days_since_contact is None and before["HH-T1"].score == 10
    household_view(loaded, audit, COACH1, "HH-T1")
    household_view(loaded, audit, COACH2, "HH-T2")  # another coach's opens are theirs
    after = triaged_caseload(loaded, audit, COACH1)
    # HH-T1 was opened just now (no contact points left); HH-T3's visit is years ago (4 points): 6 + 4 = 12
    assert [(h.id, h.days_since_contact, h.score) for h in after] == [
        ("HH-T3", (dutch_today() - date(2009, 1, 1)).days, 12), ("HH-T1", 0, 6)]
    assert after[1].last_opened is not None


def test_since_last_visit_first_open_then_the_changes(loaded: Database, audit: AuditLog) -> None:
    today = dutch_today()
    first = household_view(loaded, audit, COACH1, "HH-T1")
    s = since_last_visit(audit, COACH1, first)
    assert s.first_visit and s.empty
    second = household_view(loaded, audit, COACH1, "HH-T1")
    s = since_last_visit(audit, COACH1, second)
    assert not s.first_visit and s.empty  # nothing happened between the two opens
    assert previous_open(audit, COACH1, "HH-T1") is not None  # the first open, before the second
    second_open = last_opened(audit, COACH1, ["HH-T1"])["HH-T1"]
    # Tonight's export: a new involvement for S, JIB's ends, handed over explicitly; new advice; an agreement due.
    load_records(loaded, [
        ("involvement", {"id": "I40", "professional_id": "P15", "organisation_id": "O-LEER",
                         "life_domain": "ONDERWIJS_OPVOEDING", "role": "casemanager", "since": today, "until": None,
                         "person_ids": ["S"], "household_id": None, "source": SRC}),
        ("involvement", {"id": "I07", "professional_id": "P07", "organisation_id": "O-JIB",
                         "life_domain": "VEILIGHEID_JUSTITIE", "role": "casemanager", "since": date(2008, 4, 1),
                         "until": today, "person_ids": ["S"], "household_id": None, "source": SRC}),
        ("handover", {"id": "HO3", "from_involvement_id": "I07", "to_involvement_id": "I40", "date": today,
                      "reason": "leerplicht neemt over", "source": SRC}),
        ("advice", {"id": "ADV3", "mandate_id": "MAN-LEER", "professional_id": "PR-COACH-1",
                    "household_id": "HH-T1", "date": today, "outcome": None, "source": SRC}),
        ("agreement", {"id": "A3", "plan_id": "PL1", "kind": "afspraak", "text": "Sem gaat naar school",
                       "date": date(2008, 12, 1), "due": today, "status": "open", "source": SRC}),
    ])
    third = household_view(loaded, audit, COACH1, "HH-T1")
    s = since_last_visit(audit, COACH1, third)
    assert s.last_opened == second_open  # the open before the current one
    assert [i.id for i in s.started] == ["I40"]
    assert [i.id for i in s.ended] == ["I07"]
    assert [(h.from_id, h.to_id, h.explicit) for h in s.handovers] == [("I07", "I40", True)]
    assert [(a.id, a.outcome) for a in s.advice] == [("ADV3", None)]
    assert [a.id for a in s.agreements_due] == ["A3"]
    # another user's opens of the same household are not this user's visits
    other = Actor("coach1-vervanger", Role.COACH, "Wijkcoaches", "PR-COACH-1")
    assert previous_open(audit, other, "HH-T1") is None


def test_since_last_visit_shows_an_involvement_that_arrived_after_it_dated_before_it(
        loaded: Database, audit: AuditLog) -> None:
    """A partner's export is late: tonight's brings an involvement that started ten days ago, before the coach's
    last open. The inbox tells the coach (Nieuwe betrokkenheid) and its button opens the household — where the box
    said "niets veranderd", since it looked only at the start date (an outside review, 2026-12-05)."""
    from datetime import timedelta

    from ingest.matching import match_involvements
    from queries.notices import inbox

    today = dutch_today()
    household_view(loaded, audit, COACH1, "HH-T1")  # the coach's visit (open) today
    load_records(loaded, [
        ("involvement", {"id": "I41", "professional_id": "P15", "organisation_id": "O-LEER",
                         "life_domain": "ONDERWIJS_OPVOEDING", "role": "casemanager",
                         "since": today - timedelta(days=10), "until": None, "person_ids": ["S"],
                         "household_id": None, "source": "test:late-export"})])
    match_involvements(loaded, ["I41"], today)  # as the load of that export does: known to wijknet today
    told = [e for e in inbox(loaded, audit, COACH1, today=today) if e.other_involvement == "I41"]
    assert [(e.kind, e.household_id) for e in told] == [("new_involvement", "HH-T1")]
    s = since_last_visit(audit, COACH1, household_view(loaded, audit, COACH1, "HH-T1"), today)
    assert "I41" in [i.id for i in s.started]  # (with I40 of the test above, which started today)
    # it is said as late news: started before the last visit, known only today
    from app.since_visit import lines
    view = household_view(loaded, audit, COACH1, "HH-T1")
    [line] = [x for x in lines(view, s) if f"sinds {today - timedelta(days=10):%d-%m-%Y}" in x]
    assert line.startswith("**Nieuw betrokken**") and f"pas bekend op {today:%d-%m-%Y}" in line, line


def test_the_caseload_writes_a_postcode_as_the_household_page_does(loaded: Database, audit: AuditLog) -> None:
    """The demo's postcodes are stored as exports spell them (7534AM): the caseload's cards said "7534AM", the
    household page "7534 AM" (an outside review, 2026-12-05)."""
    loaded.execute("t_postcode", "MATCH (h:Household {id: 'HH-T1'}) SET h.postcode = '7513ab'", write=True)
    try:
        [t1] = [h for h in triaged_caseload(loaded, audit, COACH1, today=AFTER) if h.id == "HH-T1"]
        assert t1.postcode == household_view(loaded, audit, COACH1, "HH-T1").household.postcode == "7513 AB"
    finally:
        loaded.execute("t_postcode", "MATCH (h:Household {id: 'HH-T1'}) SET h.postcode = '7513 AB'", write=True)


def test_since_last_visit_shows_a_partner_s_decision_recorded_since_on_older_advice(
        loaded: Database, audit: AuditLog) -> None:
    """Advice given weeks ago, the partner's decision recorded today: the box said nothing of it (it looked only
    at the advice's own date), where the decision is what the coach wants to know before the next visit."""
    from datetime import timedelta

    from app.since_visit import lines
    from ingest.record import correct, record

    today = dutch_today()
    given = record(loaded, audit, COACH1, "HH-T1", "advice", {
        "mandate_id": "MAN-DMO", "decision_asked": "bijzondere bijstand voor de huur",
        "date": today - timedelta(days=30)}, today=today)
    household_view(loaded, audit, COACH1, "HH-T1")  # the coach's visit: the advice awaits a decision
    correct(loaded, audit, COACH1, "HH-T1", "advice", given.fact_id, given.version,
            {"outcome": "adopted", "decided_at": today}, "besluit van de partner", today=today, require=("outcome",))
    view = household_view(loaded, audit, COACH1, "HH-T1")
    s = since_last_visit(audit, COACH1, view, today)
    assert [(a.id, a.outcome, a.decided_at) for a in s.advice if a.id == given.fact_id] == [
        (given.fact_id, "adopted", today)]
    [line] = [x for x in lines(view, s) if f"van {today - timedelta(days=30):%d-%m-%Y}" in x]
    assert f"besluit op {today:%d-%m-%Y}: overgenomen" in line, line


@pytest.mark.parametrize(("status", "overdue"), [("open", 1), (None, 1), ("aangekondigd", 1), ("nagekomen", 0),
                                                 ("niet nagekomen", 0), ("uitgevoerd", 0), ("ingetrokken", 0)])
def test_an_agreement_past_its_due_date_is_overdue_only_while_no_outcome_is_recorded(
        loaded: Database, audit: AuditLog, status: str | None, overdue: int) -> None:
    """A review: the card said "3 afspraken over tijd" where the brief listed 2 open agreements (the third was "niet
    nagekomen", its outcome recorded years ago, and counted for urgency for ever). Over time is what still waits
    for an outcome: open, an announced sanction, or no status."""
    loaded.execute("t_status", "MATCH (a:Agreement {id: 'A1'}) SET a.status = $s", {"s": status}, write=True)
    try:
        [t1] = [h for h in triaged_caseload(loaded, audit, COACH1, today=AFTER) if h.id == "HH-T1"]
        assert t1.agreements_overdue == overdue
    finally:
        loaded.execute("t_status", "MATCH (a:Agreement {id: 'A1'}) SET a.status = 'open'", write=True)
