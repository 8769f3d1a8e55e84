"""The coach's workspace against a real Neo4j: every kind recorded and read back (by the workspace and by the
household page's own read), corrections that keep their history, optimistic concurrency between two sessions,
per-field refusals that write nothing, the caseload bound, and the collaboration figures fed by advice recorded
in the app."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.errors import user_message
from app.i18n import say
from graph.db import Database
from graph.errors import AccessDenied, ChangedMeanwhile, InvalidEntry
from ingest.loader import load_records
from ingest.record import KINDS, correct, record
from queries.access import Actor, Role
from queries.audit import AuditLog, AuditUnavailable
from queries.household import household_view
from queries.registry import run
from queries.workspace import workspace
from tests.access_records import records

COACH_A = Actor("coachA", Role.COACH, "Wijkcoaches", "PR-CA")
COACH_B = Actor("coachB", Role.COACH, "Wijkcoaches", "PR-CB")
LEAD = Actor("lead", Role.PROJECT_LEAD, "Gemeente")
SRC = "test:workspace"
TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def data(db: Database) -> Database:
    load_records(db, records() + [
        ("mandate", {"id": "M-DMO", "organisation_id": "O-DMO", "life_domain": "INKOMEN_FINANCIEN_SCHULDEN",
                     "decision_type": "toekennen bijzondere bijstand", "since": date(2008, 1, 1), "source": SRC}),
        ("mandate", {"id": "M-TACTUS", "organisation_id": "O-TACTUS", "life_domain": "GEZONDHEID_WELZIJN",
                     "decision_type": "inzet vormen van hulpverlening", "since": date(2008, 1, 1), "source": SRC}),
        ("mandate_holder", {"mandate_id": "M-DMO", "professional_id": "PR-CA", "since": date(2008, 9, 1),
                            "source": SRC}),
    ])
    return db


def audit_log(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.sqlite")


def graph_state(db: Database) -> tuple[int, int]:
    row = db.execute("ws_count", "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, "
                     "count(r) AS r").first()
    assert row is not None
    return int(row["n"]), int(row["r"])


ENTRIES: dict[str, dict[str, Any]] = {
    "client_system": {"name": "Oma Jansen", "relation": "oma (woont twee straten verder)",
                      "since": date(2009, 1, 1)},
    "informal_support": {"name": "Buurman Piet", "member_id": "PER-A1", "kind": "boodschappen", "neighbour": True,
                         "since": "01-02-2009"},
    "advice": {"mandate_id": "M-DMO", "decision_asked": "bijzondere bijstand voor de wasmachine",
               "date": date(2009, 3, 1)},
    "goal": {"life_domain": "INKOMEN_FINANCIEN_SCHULDEN", "description": "Schulden in beeld", "status": "lopend",
             "since": date(2009, 3, 1)},
    "agreement": {"kind": "afspraak", "text": "Post elke week openen", "in_return": "Coach belt de schuldeisers",
                  "date": date(2009, 3, 1), "due": date(2009, 4, 1), "status": "open"},
    "ladder_score": {"person_id": "PER-A1", "rung": 3, "date": date(2009, 3, 1)},
    "involvement": {"life_domain": "WONEN", "role": "regie", "since": date(2009, 1, 1)},
    "consultation": {"partner_id": "PR-T", "date": date(2009, 3, 2), "kind": "casusoverleg"},
    "referral": {"organisation_id": "O-TACTUS", "life_domain": "GEZONDHEID_WELZIJN", "reason": "Hulp bij drank",
                 "person_id": "PER-A1", "date": date(2009, 3, 3)},
    "consent": {"person_id": "PER-A1", "organisation_id": "O-DMO", "scope": "gegevensuitwisseling wijkcoach",
                "signed_at": date(2009, 1, 5)},
}


def test_every_kind_is_recorded_and_read_back(data: Database, tmp_path: Path) -> None:
    audit = audit_log(tmp_path)
    assert set(ENTRIES) == set(KINDS), "a new kind needs an entry here"
    done = {kind: record(data, audit, COACH_A, "HH-A", kind, values, today=TODAY) for kind, values in ENTRIES.items()}
    ws = workspace(data, audit, COACH_A, "HH-A", today=TODAY)
    for kind, rec in done.items():
        fact = next(f for f in ws.of(kind) if f.id == rec.fact_id)
        assert fact.recorded_by == "coachA" and fact.version == 1 and fact.recorded_at is not None, kind
    assert [f.values["decision_asked"] for f in ws.awaiting_decision()] == ["bijzondere bijstand voor de wasmachine"]
    # The household page's own read shows them like loaded facts.
    view = household_view(data, audit, COACH_A, "HH-A", today=TODAY)
    names = {p.name: p for p in view.people}
    assert names["Oma Jansen"].kind == "client_system" and names["Oma Jansen"].since == date(2009, 1, 1)
    assert names["Buurman Piet"].kind == "informal" and names["Buurman Piet"].supports == ("PER-A1",)
    assert "Schulden in beeld" in [g.text for g in view.goals]
    assert "Post elke week openen" in [a.text for a in view.agreements]
    assert (date(2009, 3, 1), 3) in [(s.date, s.rung) for s in view.ladder if s.person_id == "PER-A1"]
    assert "Hulp bij drank" in [r.reason for r in view.referrals]
    assert [i.role for i in view.involvements if i.professional_id == "PR-CA"] == ["regie"]
    recs = [(r.action, r.result, r.target) for r in audit.records() if r.action.startswith("household_")]
    assert recs == [("household_record", res, "HH-A") for _ in ENTRIES for res in ("ok", "recorded")]


def test_a_correction_keeps_the_history_and_the_dates_replay_it(data: Database, tmp_path: Path) -> None:
    audit = audit_log(tmp_path)
    rec = record(data, audit, COACH_A, "HH-A", "client_system",
                 {"name": "Oom Kees", "relation": "oom", "since": date(2010, 5, 1)}, today=TODAY)
    before_correction = datetime.now(UTC)
    fixed = correct(data, audit, COACH_A, "HH-A", "client_system", rec.fact_id, rec.version,
                    {"relation": "oom (helpt niet meer)", "until": date(2012, 1, 31)}, "contact verbroken",
                    today=TODAY)
    assert fixed.version == 2
    ws = workspace(data, audit, COACH_A, "HH-A", today=TODAY)
    fact = next(f for f in ws.of("client_system") if f.id == rec.fact_id)
    assert fact.values["relation"] == "oom (helpt niet meer)" and fact.correction == "contact verbroken"
    [old] = ws.versions(fact)
    assert (old.version, old.values["relation"], old.superseded_by) == (1, "oom", "coachA")
    assert [f.id for f in ws.valid_on(date(2010, 4, 30)).of("client_system")].count(rec.fact_id) == 0
    assert rec.fact_id in [f.id for f in ws.valid_on(date(2011, 1, 1)).of("client_system")]
    assert rec.fact_id not in [f.id for f in ws.valid_on(date(2012, 2, 1)).of("client_system")]
    then = next(f for f in ws.known_at(before_correction).of("client_system") if f.id == rec.fact_id)
    assert then.values["relation"] == "oom" and then.version == 1
    view = household_view(data, audit, COACH_A, "HH-A", today=TODAY)
    assert [(p.role, p.until) for p in view.people if p.id == rec.fact_id] == \
        [("oom (helpt niet meer)", date(2012, 1, 31))], "one current tie, never a deleted or a doubled one"


def test_a_correction_is_checked_against_what_it_leaves_stored(data: Database, tmp_path: Path) -> None:
    """Observed in the browser: an end (Tot en met) before the stored start was saved, and the network person was
    gone on every date, beyond correcting; a decision sent without an outcome said "Besluit vastgelegd." and wrote
    an empty version at every click. Each is refused at its field (or as a whole), and nothing is written."""
    audit = audit_log(tmp_path)
    tie = record(data, audit, COACH_A, "HH-A", "client_system",
                 {"name": "Tante Els", "relation": "tante", "since": date(2010, 4, 1)}, today=TODAY)
    ended = record(data, audit, COACH_A, "HH-A", "client_system", {"name": "Neef Bart", "relation": "neef",
                                                                    "since": date(2010, 3, 1),
                                                                    "until": date(2010, 9, 1)}, today=TODAY)
    advice = record(data, audit, COACH_A, "HH-A", "advice", {"mandate_id": "M-DMO", "decision_asked": "bijstand",
                                                            "date": date(2010, 3, 1)}, today=TODAY)
    before = graph_state(data)
    refused = [  # (kind, fact, version, change, reason, the field said, in Dutch)
        # said with both fields and both dates, as a new entry's are (an outside test: "ligt vóór de begindatum"
        # named no date and a field the form does not have)
        ("client_system", tie.fact_id, tie.version, {"until": "01-01-2010"}, "test", "until",
         "Tot en met (01-01-2010) ligt vóór Sinds (01-04-2010)."),
        ("client_system", ended.fact_id, ended.version, {"since": "01-10-2010"}, "later begonnen", "since",
         "Sinds (01-10-2010) ligt na Tot en met (01-09-2010)."),
        ("client_system", tie.fact_id, tie.version, {"relation": "tante"}, "niets", "_", "Er is niets gewijzigd"),
        ("advice", advice.fact_id, advice.version, {"outcome": None, "decided_at": None}, "besluit van de partner",
         "outcome", "Vul"),
    ]
    for kind, fact_id, version, change, reason, field, words in refused:
        with pytest.raises(InvalidEntry) as exc:
            correct(data, audit, COACH_A, "HH-A", kind, fact_id, version, change, reason, today=TODAY,
                    require=("outcome",) if kind == "advice" else ())
        assert list(exc.value.problems) == [field], (kind, change, exc.value.problems)
        assert words in say(exc.value.problems[field]), say(exc.value.problems[field])
    assert graph_state(data) == before, "nothing written"
    ws = workspace(data, audit, COACH_A, "HH-A", today=TODAY)
    assert tie.fact_id in [f.id for f in ws.valid_on(date(2011, 1, 1)).of("client_system")]
    # an end on or after the start is a correction as before
    assert correct(data, audit, COACH_A, "HH-A", "client_system", tie.fact_id, tie.version,
                   {"until": "01-04-2010"}, "verhuisd", today=TODAY).version == 2


def test_a_goal_or_agreement_recorded_without_status_runs(data: Database, tmp_path: Path) -> None:
    """Observed in the browser: the workspace said "loopt nog" / "afspraak loopt" and the Plan tab "onbekend" for
    the same new goal and agreement saved without a status. They are stored running, so both say so."""
    audit = audit_log(tmp_path)
    goal = record(data, audit, COACH_A, "HH-A", "goal", {"life_domain": "WONEN", "description": "Huur op tijd",
                                                        "since": date(2026, 12, 1)}, today=TODAY)
    deal = record(data, audit, COACH_A, "HH-A", "agreement", {"kind": "afspraak", "text": "Post samen openen",
                                                             "date": date(2026, 12, 2)}, today=TODAY)
    ws = workspace(data, audit, COACH_A, "HH-A", today=TODAY)
    assert next(f for f in ws.of("goal") if f.id == goal.fact_id).values["status"] == "lopend"
    assert next(f for f in ws.of("agreement") if f.id == deal.fact_id).values["status"] == "open"
    view = household_view(data, audit, COACH_A, "HH-A", today=TODAY)
    assert [g.status for g in view.goals if g.text == "Huur op tijd"] == ["lopend"]


def test_two_sessions_correcting_one_agreement_one_wins_nothing_is_lost(data: Database, tmp_path: Path) -> None:
    audit = audit_log(tmp_path)
    rec = record(data, audit, COACH_A, "HH-A", "agreement",
                 {"kind": "afspraak", "text": "Naar de huisarts", "date": date(2010, 1, 4), "status": "open"},
                 today=TODAY)
    start = threading.Barrier(2)
    results: dict[str, Any] = {}

    def tab(name: str, status: str) -> None:
        start.wait()
        try:
            results[name] = correct(data, AuditLog(tmp_path / f"{name}.sqlite"), COACH_A, "HH-A", "agreement",
                                    rec.fact_id, rec.version, {"status": status}, f"bijgewerkt in {name}",
                                    today=TODAY)
        except ChangedMeanwhile as exc:
            results[name] = exc

    tabs = [threading.Thread(target=tab, args=("tab1", "nagekomen")),
            threading.Thread(target=tab, args=("tab2", "niet nagekomen"))]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join()
    winners = [n for n, r in results.items() if not isinstance(r, Exception)]
    losers = [r for r in results.values() if isinstance(r, ChangedMeanwhile)]
    assert len(winners) == 1 and len(losers) == 1
    assert user_message(losers[0]).startswith("Intussen gewijzigd door coachA; uw invoer is bewaard")
    ws = workspace(data, audit, COACH_A, "HH-A", today=TODAY)
    fact = next(f for f in ws.of("agreement") if f.id == rec.fact_id)
    assert fact.version == 2 and fact.values["status"] == {"tab1": "nagekomen", "tab2": "niet nagekomen"}[winners[0]]
    assert [v.values["status"] for v in ws.versions(fact)] == ["open"], "the first version is kept"
    # A form read before the change (a second coach, a stale tab) is told who changed it; nothing is written.
    with pytest.raises(ChangedMeanwhile, match="Changed meanwhile by coachA"):
        correct(data, audit, COACH_A, "HH-A", "agreement", rec.fact_id, 1, {"status": "open"}, "opnieuw",
                today=TODAY)
    again = next(f for f in workspace(data, audit, COACH_A, "HH-A", today=TODAY).of("agreement")
                 if f.id == rec.fact_id)
    assert again.version == 2 and again.values == fact.values


@pytest.mark.parametrize(("kind", "values", "field", "message"), [
    ("client_system", {"name": "Oma", "relation": "oma", "since": date(2004, 1, 1)}, "since",
     "Sinds (01-01-2004) ligt vóór het begin van dit huishouden"),
    ("client_system", {"name": "Oma", "relation": "oma", "since": date(2009, 1, 1), "until": date(2008, 1, 1)},
     "until", "Tot en met (01-01-2008) ligt vóór Sinds (01-01-2009)."),
    ("ladder_score", {"person_id": "PER-A1", "rung": 7, "date": date(2009, 1, 1)}, "rung", "1 tot en met 6"),
    ("advice", {"mandate_id": "M-TACTUS", "decision_asked": "hulp", "date": date(2009, 1, 1)}, "mandate_id",
     "mandaat niet"),
    ("goal", {"life_domain": "WONEN", "description": "BSN 123456782 bellen", "since": date(2009, 1, 1)},
     "description", "bevat een BSN"),
    ("informal_support", {"name": "Buur", "member_id": "PER-B1", "kind": "hulp", "since": date(2009, 1, 1)},
     "member_id", "lid van dit huishouden"),
    ("agreement", {"kind": "afspraak", "text": "x", "date": "31-02-2009"}, "date", "bestaat niet"),
])
def test_a_bad_value_is_named_at_its_field_and_nothing_is_written(data: Database, tmp_path: Path, kind: str,
                                                                  values: dict[str, Any], field: str,
                                                                  message: str) -> None:
    before = graph_state(data)
    with pytest.raises(InvalidEntry) as caught:
        record(data, audit_log(tmp_path), COACH_A, "HH-A", kind, values, today=TODAY)
    assert field in caught.value.problems and message in say(caught.value.problems[field]), caught.value.problems
    assert graph_state(data) == before


def test_only_the_coach_of_the_household_records_and_never_without_audit(data: Database, tmp_path: Path) -> None:
    entry = {"name": "Tante", "relation": "tante", "since": date(2009, 1, 1)}
    before = graph_state(data)
    for actor in (COACH_A, LEAD):  # coach A does not coach HH-B; the lead writes nothing
        with pytest.raises(AccessDenied):
            record(data, audit_log(tmp_path), actor, "HH-B", "client_system", entry, today=TODAY)
    blocker = tmp_path / "full"
    blocker.write_text("")
    with pytest.raises(AuditUnavailable):
        record(data, AuditLog(blocker / "audit.sqlite"), COACH_B, "HH-B", "client_system", entry, today=TODAY)
    assert graph_state(data) == before
    # A correction names its household: coach B cannot correct coach A's fact through their own household.
    rec = record(data, audit_log(tmp_path), COACH_A, "HH-A", "goal",
                 {"life_domain": "WONEN", "description": "Huur op tijd", "since": date(2009, 1, 1)}, today=TODAY)
    with pytest.raises(InvalidEntry):
        correct(data, audit_log(tmp_path), COACH_B, "HH-B", "goal", rec.fact_id, 1, {"status": "behaald"}, "klaar",
                today=TODAY)


def test_a_recorded_goal_is_shown_from_its_date_with_the_status_it_had_then(data: Database, tmp_path: Path) -> None:
    audit = audit_log(tmp_path)
    rec = record(data, audit, COACH_A, "HH-A", "goal", {"life_domain": "WERK_PARTICIPATIE",
                 "description": "Stage gevonden", "status": "lopend", "since": date(2009, 4, 1)}, today=TODAY)
    # "niet behaald" from 01-09-2009, then corrected (a new version) to "behaald" from 01-11-2009.
    correct(data, audit, COACH_A, "HH-A", "goal", rec.fact_id, 1,
            {"status": "niet behaald", "status_since": date(2009, 9, 1)}, "stage gestopt", today=TODAY)
    correct(data, audit, COACH_A, "HH-A", "goal", rec.fact_id, 2,
            {"status": "behaald", "status_since": date(2009, 11, 1)}, "toch een stage", today=TODAY)
    view = household_view(data, audit, COACH_A, "HH-A", today=TODAY)

    def status_on(day: date) -> list[str | None]:
        return [g.status for g in view.goals_on(day) if g.id == rec.fact_id]

    assert status_on(date(2009, 3, 31)) == []  # not set yet
    assert [status_on(date(2009, d, 1)) for d in (4, 8, 9, 10, 11)] == [
        ["lopend"], ["lopend"], ["niet behaald"], ["niet behaald"], ["behaald"]]


def test_advice_recorded_in_the_app_feeds_the_collaboration_counts(data: Database, tmp_path: Path) -> None:
    audit = audit_log(tmp_path)
    params = {"from": date(2011, 1, 1), "to": date(2011, 12, 31), "area": None, "life_domain": None}

    def counts() -> tuple[int, int]:
        row = next(r for r in run(data, "org_collaboration_mandates", params).rows if r["organisation_id"] == "O-DMO")
        return int(row["adopted"]), int(row["refused"])

    assert counts() == (0, 0)
    for i in range(6):
        adv = record(data, audit, COACH_A, "HH-A", "advice", {"mandate_id": "M-DMO", "decision_asked": f"bijstand {i}",
                                                              "date": date(2011, 2, 1 + i)}, today=TODAY)
        correct(data, audit, COACH_A, "HH-A", "advice", adv.fact_id, adv.version,
                {"outcome": "refused" if i == 5 else "adopted", "decided_at": date(2011, 3, 1)}, "besluit DMO",
                today=TODAY)
    assert counts() == (5, 1)  # the collaboration page's figures (before its disclosure control)
