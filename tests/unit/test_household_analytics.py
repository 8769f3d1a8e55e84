"""Household analytics on tiny hand-checkable cases with exact answers."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from queries.analytics import household as ha
from queries.analytics.household import (
    CoachAssignment,
    Handover,
    Involvement,
    PersonTie,
    Referral,
    all_handovers,
    change_dates,
    coach_effect,
    derived_handovers,
    double_casemanagers,
    gaps,
    handover_chains,
    household_counts,
    household_graph,
    is_active,
    overlaps,
    ping_pong,
    referrals_without_follow_up,
)

D = date


def inv(id_: str, prof: str, org: str, since: date, until: date | None = None, *, persons: tuple[str, ...] = ("a",),
        domain: str = "WONEN", role: str = "casemanager", function: str = "", household: bool = False
        ) -> Involvement:
    return Involvement(id_, prof, org, domain, since, until, role=role, function=function, person_ids=persons,
                       household_level=household)


def test_docstring_examples() -> None:
    result = doctest.testmod(ha)
    assert result.failed == 0 and result.attempted >= 20


@pytest.mark.parametrize(("since", "until", "as_of", "expected"), [
    (D(2009, 1, 1), D(2009, 1, 31), D(2009, 1, 1), True),
    (D(2009, 1, 1), D(2009, 1, 31), D(2009, 1, 31), True),
    (D(2009, 1, 1), D(2009, 1, 31), D(2009, 2, 1), False),
    (D(2009, 1, 1), None, D(2030, 1, 1), True),
    (D(2009, 1, 1), None, D(2008, 12, 31), False),
])
def test_is_active_closed_interval(since: date, until: date | None, as_of: date, expected: bool) -> None:
    assert is_active(since, until, as_of) is expected


def eleven() -> list[Involvement]:
    """The seed-002 household: 11 professionals, 10 organisations, per member 3/3/4/2."""
    spec = [("p1", "tactus", "F"), ("p2", "dmo", "F"), ("p3", "phg", "FM"), ("p4", "mediant", "M"),
            ("p5", "mpa", "M"), ("p6", "rmc", "S"), ("p7", "jib", "S"), ("p8", "bjz", "S"), ("p9", "zn12", "S"),
            ("p10", "bjz", "D"), ("p11", "shg", "D")]
    return [inv(f"i{n}", p, o, D(2008, 1, 1), persons=tuple(who)) for n, (p, o, who) in enumerate(spec)]


def test_counts_eleven_casemanagers() -> None:
    c = household_counts(eleven(), D(2008, 6, 1), ["F", "M", "S", "D"])
    assert (c.professionals, c.organisations) == (11, 10)
    assert [c.per_member[m].professionals for m in "FMSD"] == [3, 3, 4, 2]
    assert [c.per_member[m].organisations for m in "FMSD"] == [3, 3, 4, 2]
    assert c.household_level_professionals == 0


def test_counts_before_anything_started_are_zero_for_every_member() -> None:
    c = household_counts(eleven(), D(2007, 12, 31), ["F", "M"])
    assert (c.professionals, c.organisations) == (0, 0)
    assert c.per_member == {"F": ha.MemberCount(0, 0), "M": ha.MemberCount(0, 0)}


def test_household_level_involvement_counts_for_household_not_members() -> None:
    invs = [inv("i1", "p1", "o1", D(2008, 1, 1), persons=(), household=True),
            inv("i2", "p2", "o2", D(2008, 1, 1), persons=("a",))]
    c = household_counts(invs, D(2008, 2, 1), ["a"])
    assert (c.professionals, c.organisations, c.household_level_professionals) == (2, 2, 1)
    assert c.per_member["a"].professionals == 1


def test_one_professional_two_involvements_counts_once() -> None:
    invs = [inv("i1", "p1", "o1", D(2008, 1, 1), domain="WONEN"),
            inv("i2", "p1", "o1", D(2008, 1, 1), domain="WERK_PARTICIPATIE")]
    c = household_counts(invs, D(2008, 1, 1), ["a"])
    assert (c.professionals, c.organisations, c.per_member["a"].professionals) == (1, 1, 1)


def test_overlap_needs_two_organisations_on_same_subject_and_domain() -> None:
    invs = [inv("i1", "p1", "o1", D(2008, 1, 1)),
            inv("i2", "p2", "o1", D(2008, 1, 1)),                      # same organisation: no overlap alone
            inv("i3", "p3", "o2", D(2008, 1, 1), D(2008, 3, 1)),
            inv("i4", "p4", "o3", D(2008, 1, 1), persons=("b",)),      # other member
            inv("i5", "p5", "o4", D(2008, 1, 1), domain="WERK_PARTICIPATIE")]  # other domain
    assert overlaps(invs, D(2008, 2, 1)) == [ha.Overlap("a", "WONEN", ("o1", "o2"), ("p1", "p2", "p3"))]
    assert overlaps(invs, D(2008, 4, 1)) == []


def test_double_casemanager_same_function_casemanager_role_only() -> None:
    invs = [inv("i1", "p1", "bjz", D(2008, 1, 1), function="casemanager jeugdzorg", persons=("s",)),
            inv("i2", "p2", "bjz", D(2008, 1, 1), D(2008, 5, 31), function="casemanager jeugdzorg",
                persons=("d",)),
            inv("i3", "p3", "ggd", D(2008, 1, 1), function="jgz", role="uitvoerend", persons=("s",)),
            inv("i4", "p4", "ggd", D(2008, 1, 1), function="jgz", role="uitvoerend", persons=("d",))]
    assert double_casemanagers(invs, D(2008, 3, 1)) == [
        ha.DoubleCasemanager("casemanager jeugdzorg", ("p1", "p2"), ("d", "s"))]
    assert double_casemanagers(invs, D(2008, 6, 1)) == []


def test_coach_effect_before_and_after_intake() -> None:
    invs = eleven()
    invs = [i if i.professional_id in {"p1", "p3", "p4"} else
            Involvement(**{**i.__dict__, "until": D(2008, 10, 31)}) for i in invs]
    invs.append(inv("ic", "coach", "wijkcoach", D(2008, 9, 1), persons=(), household=True, role="regie"))
    e = coach_effect(invs, D(2008, 9, 1), D(2009, 1, 15))
    assert (e.before_date, e.before, e.after, e.change) == (D(2008, 8, 31), 11, 4, -7)
    early = coach_effect(invs, D(2008, 9, 1), D(2008, 8, 1))
    assert (early.before, early.after, early.change) == (11, None, None)


def test_derived_handover_within_days_and_not_same_professional() -> None:
    a = inv("a", "p1", "o1", D(2008, 1, 1), D(2008, 1, 31))
    b = inv("b", "p2", "o2", D(2008, 2, 1))                      # next day: handover
    c = inv("c", "p1", "o1", D(2008, 2, 5), D(2008, 3, 1))       # same professional as a: no handover a→c
    d = inv("d", "p3", "o3", D(2008, 5, 1), persons=("z",))      # other subject
    got = [(h.from_id, h.to_id, h.date, h.explicit) for h in derived_handovers([a, b, c, d], within_days=30)]
    assert got == [("a", "b", D(2008, 2, 1), False)]
    assert derived_handovers([a, b], within_days=30, explicit=[Handover("a", "b", D(2008, 2, 1))]) == []
    late = inv("late", "p2", "o2", D(2008, 3, 15))
    assert derived_handovers([a, late], within_days=30) == []
    assert [h.to_id for h in derived_handovers([a, late], within_days=60)] == ["late"]


def test_all_handovers_keeps_explicit_between_known_involvements_only() -> None:
    a = inv("a", "p1", "o1", D(2008, 1, 1), D(2008, 1, 31))
    b = inv("b", "p2", "o2", D(2008, 6, 1))
    hs = all_handovers([a, b], [Handover("a", "b", D(2008, 6, 1), "x", "H1"),
                                Handover("a", "elsewhere", D(2008, 6, 1), "x", "H2")])
    assert [(h.id, h.explicit) for h in hs] == [("H1", True)]


def test_chains_and_ping_pong() -> None:
    invs = [inv("i1", "p1", "bjz", D(2007, 1, 1), D(2007, 6, 30)),
            inv("i2", "p2", "jarabee", D(2007, 7, 1), D(2007, 12, 31)),
            inv("i3", "p3", "bjz", D(2008, 1, 1), D(2008, 3, 31)),
            inv("i4", "p4", "smd", D(2008, 4, 1)),
            inv("j1", "q1", "dmo", D(2007, 1, 1), D(2007, 5, 1), persons=("b",)),
            inv("j2", "q2", "smd", D(2007, 5, 2), persons=("b",))]
    hs = [Handover("i1", "i2", D(2007, 7, 1)), Handover("i2", "i3", D(2008, 1, 1)),
          Handover("i3", "i4", D(2008, 4, 1)), Handover("j1", "j2", D(2007, 5, 2))]
    chains = handover_chains(hs)
    assert chains == [("i1", "i2", "i3", "i4"), ("j1", "j2")]
    assert ping_pong(chains, invs) == [ha.PingPong("bjz", "jarabee", ("i1", "i2", "i3"), D(2008, 1, 1))]


def test_chain_branches_give_one_chain_per_path() -> None:
    hs = [Handover("a", "b", D(2008, 1, 1)), Handover("a", "c", D(2008, 1, 1))]
    assert handover_chains(hs) == [("a", "b"), ("a", "c")]


def test_gaps_per_subject_and_domain() -> None:
    invs = [inv("i1", "p1", "o1", D(2008, 1, 1), D(2008, 1, 31)),
            inv("i2", "p2", "o2", D(2008, 1, 15), D(2008, 2, 10)),   # overlaps i1: covered to 10 Feb
            inv("i3", "p3", "o3", D(2008, 2, 11), D(2008, 2, 20)),   # starts the next day: no gap
            inv("i4", "p4", "o4", D(2008, 3, 1)),                     # gap 21-29 Feb (9 days, leap year)
            inv("i5", "p5", "o5", D(2008, 6, 1)),                     # after an open one: covered
            inv("k1", "p6", "o6", D(2008, 1, 1), D(2008, 1, 31), domain="WERK_PARTICIPATIE"),
            inv("k2", "p7", "o7", D(2008, 3, 1), domain="WERK_PARTICIPATIE", persons=("b",))]  # other subject
    assert gaps(invs) == [ha.Gap("a", "WONEN", D(2008, 2, 21), D(2008, 2, 29))]
    assert gaps(invs)[0].days == 9
    assert gaps(invs, min_days=10) == []


def test_couple_involvement_closes_gap_for_both_partners() -> None:
    invs = [inv("i1", "p1", "o1", D(2008, 1, 1), D(2008, 1, 31), persons=("f",)),
            inv("i2", "p2", "o2", D(2008, 2, 1), D(2008, 2, 28), persons=("f", "m")),
            inv("i3", "p3", "o3", D(2008, 4, 1), persons=("m",))]
    assert gaps(invs) == [ha.Gap("m", "WONEN", D(2008, 2, 29), D(2008, 3, 31))]


def test_referrals_without_follow_up() -> None:
    rs = [Referral("open", D(2008, 11, 1), "smd"),
          Referral("started", D(2008, 11, 1), "smd", started_at=D(2008, 11, 20)),
          Referral("late_start", D(2008, 10, 1), "smd", started_at=D(2009, 2, 1)),
          Referral("recent", D(2009, 1, 1), "smd")]
    got = [(w.referral.id, w.days_waiting) for w in referrals_without_follow_up(rs, D(2009, 1, 15), days=30)]
    assert got == [("late_start", 106), ("open", 75)]
    assert referrals_without_follow_up(rs, D(2009, 1, 15), days=90) == [
        ha.WaitingReferral(rs[2], 106)]


def test_change_dates() -> None:
    dates = change_dates([inv("i1", "p1", "o1", D(2008, 1, 1), D(2008, 1, 31))],
                         [PersonTie("a", "member", "kind", D(2005, 1, 1))],
                         [CoachAssignment("c", D(2008, 9, 1))])
    assert dates == [D(2005, 1, 1), D(2008, 1, 1), D(2008, 2, 1), D(2008, 9, 1)]


def small_system() -> tuple[list[PersonTie], list[Involvement], list[CoachAssignment]]:
    people = [PersonTie("f", "member", "vader", D(2005, 1, 1), name="Frank"),
              PersonTie("m", "member", "moeder", D(2005, 1, 1)),
              PersonTie("k", "member", "kind", D(2005, 1, 1), D(2008, 6, 30)),
              PersonTie("g", "client_system", "oma", D(2005, 1, 1)),
              PersonTie("n", "informal", "buurvrouw", D(2008, 1, 1), supports=("m",))]
    invs = [inv("i1", "p1", "o1", D(2008, 1, 1), persons=("f", "m"), function="hg"),
            inv("i2", "p2", "o1", D(2008, 1, 1), D(2008, 6, 30), persons=("k",)),
            inv("i3", "p1", "o1", D(2008, 3, 1), persons=("f",), domain="WERK_PARTICIPATIE")]
    return people, invs, [CoachAssignment("c", D(2008, 9, 1), name="Coach")]


def test_household_graph_as_of_and_whole_history() -> None:
    people, invs, coaches = small_system()
    g = household_graph("h", people, invs, coaches, as_of=D(2008, 4, 1))
    assert sorted(g.nodes) == ["H:h", "O:o1", "P:f", "P:g", "P:k", "P:m", "P:n", "PR:p1", "PR:p2"]
    assert g.nodes["P:f"]["label"] == "Frank"
    assert g.edges["PR:p1", "P:f"]["labels"] == ["hg · WONEN · since 01-01-2008",
                                                  "casemanager · WERK_PARTICIPATIE · since 01-03-2008"]
    assert g.edges["PR:p1", "P:f"]["life_domains"] == ["WONEN", "WERK_PARTICIPATIE"]
    assert g.has_edge("P:n", "P:m") and g.nodes["P:n"]["kind"] == "informal"
    assert not any(d.get("lead") for _, d in g.nodes(data=True))
    later = household_graph("h", people, invs, coaches, as_of=D(2008, 10, 1))
    assert sorted(later.nodes) == ["H:h", "O:o1", "P:f", "P:g", "P:m", "P:n", "PR:c", "PR:p1"]
    assert later.nodes["PR:c"]["lead"] is True and later.edges["PR:c", "H:h"]["kind"] == "coach"
    everything = household_graph("h", people, invs, coaches)
    assert everything.number_of_nodes() == 10


def test_regie_role_is_the_lead_over_the_coach() -> None:
    people, invs, coaches = small_system()
    invs.append(inv("i9", "p9", "o9", D(2008, 1, 1), persons=(), household=True, role="regie"))
    g = household_graph("h", people, invs, coaches, as_of=D(2008, 10, 1))
    assert g.nodes["PR:p9"]["lead"] is True
    assert g.nodes["PR:c"]["lead"] is False
    assert g.has_edge("PR:p9", "H:h")


def test_people_with_the_same_name_are_told_apart_on_the_map() -> None:
    from queries.analytics.household import PersonTie, household_graph, person_labels

    people = [PersonTie("p1", "member", "kind", name="Jesse Pierik", birth_year=2001),
              PersonTie("p2", "member", "kind", name="Jesse Pierik", birth_year=2004),
              PersonTie("p3", "member", "vader", name="Jesse Pierik", birth_year=2004),
              PersonTie("p4", "client_system", "opa", name="Jesse Pierik"),
              PersonTie("p5", "member", "moeder", name="Fatma Pierik", birth_year=1975)]
    labels = person_labels(people)
    assert labels == {"p1": "Jesse Pierik (2001)", "p2": "Jesse Pierik (2004) (kind)",
                      "p3": "Jesse Pierik (2004) (vader)", "p4": "Jesse Pierik", "p5": "Fatma Pierik"}
    assert len(set(labels.values())) == len(people)
    g = household_graph("h", people, [], [])
    assert sorted(d["label"] for _, d in g.nodes(data=True) if d["kind"] in ("member", "client_system")) == sorted(
        labels.values())
