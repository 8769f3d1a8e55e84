"""The coach's household queries against the real Neo4j, on the hand-built seed-002 household."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.db import Database
from graph.errors import AccessDenied
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.analytics.household import (
    all_handovers,
    coach_effect,
    double_casemanagers,
    gaps,
    handover_chains,
    household_counts,
    household_graph,
    overlaps,
    ping_pong,
    referrals_without_follow_up,
)
from queries.audit import AuditLog
from queries.household import (
    caseload,
    household_view,
    mandates_by_domain,
    mandates_that_apply,
    recent_households,
    search_households,
)
from queries.registry import get
from tests.household_records import AFTER, BEFORE, INTAKE, records

COACH1 = Actor("coach1", Role.COACH, "Wijkcoaches", "PR-COACH-1")
COACH2 = Actor("coach2", Role.COACH, "Wijkcoaches", "PR-COACH-2")
LEAD = Actor("projectleider", Role.PROJECT_LEAD, "Gemeente")


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


@pytest.fixture()
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.sqlite")


def test_queries_name_their_parameters() -> None:
    assert get("household_page").params == {"household_id", "professional_id", "coach_scope", "today"}
    assert get("household_search").params == {"professional_id", "today", "household_id", "postcode", "address"}
    assert get("coach_caseload").params == {"professional_id", "today"}


def test_view_counts_eleven_then_seven(loaded: Database, audit: AuditLog) -> None:
    v = household_view(loaded, audit, COACH1, "HH-T1")
    members = [p.id for p in v.members(BEFORE)]
    assert members == ["D", "F", "M", "S"]  # same since: by id
    c = household_counts(v.involvements, BEFORE, ["F", "M", "S", "D"])
    assert (c.professionals, c.organisations) == (11, 10)
    assert [c.per_member[m].professionals for m in "FMSD"] == [3, 3, 4, 2]
    after = household_counts(v.involvements, AFTER, ["F", "M", "S", "D"])
    assert (after.professionals, after.organisations) == (7, 7)
    assert [after.per_member[m].professionals for m in "FMSD"] == [2, 2, 1, 2]
    assert after.household_level_professionals == 1
    assert v.intake() == INTAKE
    e = coach_effect(v.involvements, INTAKE, AFTER)
    assert (e.before, e.after) == (11, 7)


def test_view_people_coaches_and_names(loaded: Database, audit: AuditLog) -> None:
    v = household_view(loaded, audit, COACH1, "HH-T1")
    assert v.household.address == "Velveweg 12" and v.household.postcode == "7513 AB"
    assert v.household.area_name == "Velve-Lindenhof"
    kinds = {(p.id, p.kind, p.role) for p in v.people}
    assert kinds == {("F", "member", "vader"), ("M", "member", "moeder"), ("S", "member", "kind"),
                     ("D", "member", "stiefkind"), ("G", "client_system", "oma"),
                     ("N", "client_system", "buurvrouw"), ("N", "informal", "praktische hulp")}
    assert next(p for p in v.people if p.kind == "informal").supports == ("M",)
    assert v.name_of("F") == "Frank"
    assert [(c.professional_id, c.since, c.phone, c.organisation) for c in v.coaches] == [
        ("PR-COACH-1", INTAKE, "06-11111111", "Wijkcoaches")]  # the organisation the coach works for
    couple = next(i for i in v.involvements if i.id == "I03")
    assert couple.person_ids == ("F", "M") and couple.organisation_name == "Project Huiselijk Geweld"
    coach_inv = next(i for i in v.involvements if i.id == "I20")
    assert coach_inv.household_level and coach_inv.person_ids == ()
    assert len(v.involvements) == 15


def test_view_handovers_gaps_pingpong_referrals(loaded: Database, audit: AuditLog) -> None:
    v = household_view(loaded, audit, COACH1, "HH-T1")
    assert [(h.id, h.from_id, h.to_id, h.date) for h in v.handovers] == [
        ("HO1", "I12", "I13", date(2007, 7, 1)), ("HO2", "I13", "I10", date(2008, 1, 1))]
    hs = all_handovers(v.involvements, v.handovers)
    assert [h.explicit for h in hs] == [True, True]
    chains = handover_chains(hs)
    assert chains == [("I12", "I13", "I10")]
    assert [(p.organisation_a, p.organisation_b) for p in ping_pong(chains, v.involvements)] == [("O-BJZ", "O-JAR")]
    assert [(g.subject, g.life_domain, g.start, g.end) for g in gaps(v.involvements)] == [
        ("F", "WERK_PARTICIPATIE", date(2007, 4, 1), date(2007, 5, 31))]
    waiting = referrals_without_follow_up(v.referrals, AFTER, days=30)
    assert [(w.referral.id, w.referral.person_id, w.days_waiting) for w in waiting] == [("R1", "M", 75)]
    assert [(o.subject, o.organisations) for o in overlaps(v.involvements, BEFORE)] == [
        ("S", ("O-BJZ", "O-RMC", "O-ZN12"))]
    assert [d.professionals for d in double_casemanagers(v.involvements, BEFORE)] == [("P08", "P10")]
    assert double_casemanagers(v.involvements, AFTER) == []


def test_view_plan_ladder_and_mandates(loaded: Database, audit: AuditLog) -> None:
    v = household_view(loaded, audit, COACH1, "HH-T1")
    assert [(g.id, g.life_domain) for g in v.goals] == [("G1", "WERK_PARTICIPATIE"), ("G2", "ONDERWIJS_OPVOEDING")]
    assert [(a.id, a.kind, a.due) for a in v.agreements] == [("A1", "afspraak", date(2008, 10, 15)),
                                                            ("A2", "sanctie", None)]
    assert [(s.person_id, s.date, s.rung) for s in v.ladder] == [
        ("F", date(2008, 9, 15), 1), ("F", date(2009, 1, 10), 2), ("M", date(2008, 9, 15), 2)]
    apply = mandates_that_apply(v, AFTER)
    assert sorted(apply) == ["GEZONDHEID_WELZIJN", "ONDERWIJS_OPVOEDING", "VEILIGHEID_JUSTITIE",
                             "WERK_PARTICIPATIE", "ZORG_HULPVERLENING"]
    assert [(m.id, m.buddy_name, m.buddy_phone) for m in apply["WERK_PARTICIPATIE"]] == [
        ("MAN-DMO", "Prof P02", "053-00002")]
    assert [m.id for m in apply["ONDERWIJS_OPVOEDING"]] == ["MAN-LEER"]
    assert apply["GEZONDHEID_WELZIJN"] == []
    assert mandates_that_apply(v, BEFORE)["ONDERWIJS_OPVOEDING"] == []  # granted only from the intake
    # Read as the page shows it: the domains with a mandate that serves the household first — werk (goal G1 is
    # open; DMO's involvement ended) and onderwijs (goal G2) — then the domains without a mandate of the coach.
    groups = mandates_by_domain(v, AFTER)
    assert [(g.life_domain, [m.id for m in g.involved], [m.id for m in g.other]) for g in groups[:2]] == [
        ("ONDERWIJS_OPVOEDING", ["MAN-LEER"], []), ("WERK_PARTICIPATIE", ["MAN-DMO"], [])]
    assert all(not g.involved and not g.other for g in groups[2:])


def test_eco_map_graph_from_the_view(loaded: Database, audit: AuditLog) -> None:
    v = household_view(loaded, audit, COACH1, "HH-T1")
    g = household_graph("HH-T1", v.people, v.involvements, v.coaches, as_of=AFTER)
    kinds = [d["kind"] for _, d in g.nodes(data=True)]
    assert {k: kinds.count(k) for k in set(kinds)} == {"household": 1, "member": 4, "client_system": 2,
                                                        "professional": 7, "organisation": 7}
    assert g.nodes["PR:PR-COACH-1"]["lead"] is True
    assert g.has_edge("P:N", "P:M")


def test_every_view_writes_exactly_one_audit_record(loaded: Database, audit: AuditLog) -> None:
    household_view(loaded, audit, COACH1, "HH-T1", purpose="case_consultation")
    recs = list(audit.records())
    assert [(r.user, r.action, r.target, r.purpose, r.result) for r in recs] == [
        ("coach1", "view_household", "HH-T1", "case_consultation", "ok")]


def test_coach_not_assigned_is_denied_and_audited(loaded: Database, audit: AuditLog) -> None:
    with pytest.raises(AccessDenied, match="not assigned"):
        household_view(loaded, audit, COACH2, "HH-T1")
    assert [(r.user, r.target, r.result) for r in audit.records()] == [("coach2", "HH-T1", "denied")]


def test_assignment_not_yet_started_is_denied(loaded: Database, audit: AuditLog) -> None:
    with pytest.raises(AccessDenied):
        household_view(loaded, audit, COACH1, "HH-T1", today=date(2008, 8, 31))
    assert [r.result for r in audit.records()] == ["denied"]


def test_project_lead_may_not_open_a_household(loaded: Database, audit: AuditLog) -> None:
    # The lead's task is collaboration between organisations: no household content at all, not even
    # pseudonymised (the plan holds free text such as a father's addiction treatment).
    for purpose in ("case_consultation", "home_visit_preparation"):
        with pytest.raises(AccessDenied, match="may not open a household"):
            household_view(loaded, audit, LEAD, "HH-T1", purpose=purpose)
    assert [(r.user, r.action, r.target, r.result) for r in audit.records()] == [
        ("projectleider", "view_household", "HH-T1", "denied")] * 2


def test_caseload_search_and_recent(loaded: Database, audit: AuditLog) -> None:
    assert [(e.id, e.address, e.members) for e in caseload(loaded, audit, COACH1)] == [("HH-T1", "Velveweg 12", 4)]
    assert [e.id for e in caseload(loaded, audit, COACH2)] == ["HH-T2"]
    assert [e.id for e in caseload(loaded, audit, COACH1, today=date(2008, 8, 1))] == []
    for text, expected in [("7513 AB", ["HH-T1"]), ("7513", ["HH-T1"]), ("7513ab", ["HH-T1"]),
                           ("velveweg 12", ["HH-T1"]), ("HH-T1", ["HH-T1"]), ("HH-T2", []),
                           ("Lindenhofstraat", []), ("", [])]:
        assert [e.id for e in search_households(loaded, audit, COACH1, text)] == expected, text
    assert [e.id for e in search_households(loaded, audit, COACH2, "lindenhofstraat 3a")] == ["HH-T2"]
    searches = [r for r in audit.records() if r.action == "search"]
    assert len(searches) == 9 and all("velveweg" not in r.detail.lower() for r in searches)
    household_view(loaded, audit, COACH1, "HH-T1")
    assert recent_households(audit, COACH1, ["HH-T1"]) == ["HH-T1"]
    assert recent_households(audit, COACH1, []) == []


@pytest.mark.parametrize("text", ["Lindenhofstraat 3 A", "lindenhofstraat 3-a", "Lindenhofstraat 3A", "hh-t2",
                                  " HH-T2 "])
def test_a_household_is_found_as_a_dutch_coach_writes_its_address_or_pseudonym(loaded: Database, audit: AuditLog,
                                                                                text: str) -> None:
    # a house number's letter written apart (3 A, 3-a) or the pseudonym in lower case found nothing
    assert [e.id for e in search_households(loaded, audit, COACH2, text)] == ["HH-T2"], text


def test_search_and_caseload_are_coach_only(loaded: Database, audit: AuditLog) -> None:
    with pytest.raises(AccessDenied):
        search_households(loaded, audit, LEAD, "7513")
    with pytest.raises(AccessDenied):
        caseload(loaded, audit, LEAD)
    assert [(r.action, r.result) for r in audit.records()] == [("search", "denied"), ("view_caseload", "denied")]


def test_a_postcode_stored_as_the_source_spelled_it_is_shown_as_people_write_it(loaded: Database,
                                                                                audit: AuditLog) -> None:
    """An export may spell a postcode ``7513ac`` or ``7513AC``: the household page, the caseload and the search
    show ``7513 AC``."""
    loaded.execute("t_pc", "MATCH (h:Household {id: 'HH-T1'}) SET h.postcode = '7513ab'", write=True)
    try:
        assert household_view(loaded, audit, COACH1, "HH-T1").household.postcode == "7513 AB"
        assert {e.postcode for e in caseload(loaded, audit, COACH1, today=AFTER) if e.id == "HH-T1"} == {"7513 AB"}
        assert [e.postcode for e in search_households(loaded, audit, COACH1, "7513", today=AFTER)] == ["7513 AB"]
    finally:
        loaded.execute("t_pc", "MATCH (h:Household {id: 'HH-T1'}) SET h.postcode = '7513 AB'", write=True)
