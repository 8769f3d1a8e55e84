"""The plan on the as-of date: a goal does not exist before it was set, and shows the status it had then.

The coach page and the brief show a household as it stood on the slider's date; goals, agreements, sanctions and
ladder scores are filtered here (``HouseholdView.goals_on`` and its siblings), without a database.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.brief import open_points
from queries.household import Agreement, Goal, HouseholdInfo, HouseholdView, LadderScore, mandates_that_apply

D, D2 = date(2009, 3, 20), date(2009, 12, 18)


def view(goals: list[Goal], agreements: tuple[Agreement, ...] | list[Agreement] = (),
         ladder: tuple[LadderScore, ...] | list[LadderScore] = ()) -> HouseholdView:
    info = HouseholdInfo("HH-1", None, None, None, None, None, None)
    return HouseholdView(info, [], [], [], [], [], list(goals), list(agreements), list(ladder), [])


SCHOOL = Goal("G1", "P1", "ONDERWIJS_OPVOEDING", "Zoon gaat elke dag naar school", "behaald", since=D,
              status_since=D2)
LATER = Goal("G2", "P1", "GEZONDHEID_WELZIJN", "Moeder blijft in behandeling", "lopend", since=date(2009, 5, 11))


@pytest.mark.parametrize(("as_of", "expected"), [
    (D - date.resolution, []),  # the day before the plan: no goal yet ("behaald" the day before intake was the bug)
    (D, [("G1", "lopend")]),
    (date(2009, 5, 11), [("G1", "lopend"), ("G2", "lopend")]),
    (D2 - date.resolution, [("G1", "lopend"), ("G2", "lopend")]),  # reached on D2: in progress before it
    (D2, [("G1", "behaald"), ("G2", "lopend")]),
])
def test_a_goal_exists_from_its_date_with_the_status_it_had_then(as_of: date, expected: list[tuple[str, str]]) -> None:
    assert [(g.id, g.status) for g in view([SCHOOL, LATER]).goals_on(as_of)] == expected


def test_a_corrected_goal_shows_its_earlier_version_until_the_correction_was_reached() -> None:
    # First "niet behaald" (reached 01-06-2009), corrected by the coach to "behaald" from 01-09-2009.
    goal = Goal("G3", "P1", "WONEN", "Huur op tijd", "behaald", since=D, status_since=date(2009, 9, 1),
                earlier=((D, "lopend"), (date(2009, 6, 1), "niet behaald")))
    assert [goal.on(day).status for day in (D, date(2009, 6, 1), date(2009, 8, 31), date(2009, 9, 1))] == [
        "lopend", "niet behaald", "niet behaald", "behaald"]


def test_a_goal_without_dates_is_always_shown_as_stored() -> None:
    old = Goal("G4", "P1", "WONEN", "Huur op tijd", "behaald")
    assert [(g.id, g.status) for g in view([old]).goals_on(date(2001, 1, 1))] == [("G4", "behaald")]


def test_agreements_sanctions_and_ladder_scores_on_the_date() -> None:
    kept = Agreement("A1", "P1", "afspraak", "Post openen", D, date(2009, 6, 30), "nagekomen",
                     status_since=date(2009, 6, 30))
    sanction = Agreement("A2", "P1", "sanctie", "Korting", date(2009, 9, 1), None, "uitgevoerd",
                         status_since=date(2009, 10, 1))
    scores = [LadderScore("PER-1", date(2009, 4, 1), 2), LadderScore("PER-1", date(2010, 4, 1), 3)]
    v = view([], [kept, sanction], scores)
    assert [(a.id, a.status) for a in v.agreements_on(date(2009, 6, 29))] == [("A1", "open")]
    assert [(a.id, a.status) for a in v.agreements_on(date(2009, 9, 15))] == [("A1", "nagekomen"),
                                                                               ("A2", "aangekondigd")]
    assert [(a.id, a.status) for a in v.agreements_on(date(2009, 10, 1))] == [("A1", "nagekomen"),
                                                                               ("A2", "uitgevoerd")]
    assert [s.rung for s in v.ladder_on(date(2010, 3, 31))] == [2]


def test_the_brief_lists_a_goal_in_progress_only_while_it_is_and_never_before_it_was_set(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    v = view([SCHOOL, LATER])
    before, during, after = (open_points(v, day) for day in (D - date.resolution, date(2009, 6, 1), D2))
    assert not any("school" in p for p in before)
    assert [p for p in during if p.startswith("Doel")] == [
        "Doel (onderwijs en opvoeding): Zoon gaat elke dag naar school",
        "Doel (gezondheid en welzijn): Moeder blijft in behandeling"]
    assert not any("school" in p for p in after)  # reached on D2


def test_a_goal_set_later_does_not_make_its_domain_one_where_mandates_apply() -> None:
    assert "GEZONDHEID_WELZIJN" not in mandates_that_apply(view([LATER]), date(2009, 5, 10))
    assert "GEZONDHEID_WELZIJN" in mandates_that_apply(view([LATER]), date(2009, 5, 11))


def test_the_brief_lists_advice_awaiting_the_partners_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in the browser: the visit brief left out the advice still awaiting a partner's decision."""
    from dataclasses import replace

    from queries.household import Advice

    monkeypatch.setenv("WIJKNET_LANGUAGE", "nl")
    waiting = Advice("ADV-1", date(2009, 6, 1), None, "INKOMEN_FINANCIEN_SCHULDEN", "toekennen bijzondere bijstand",
                     "Gemeente Enschede")
    decided = Advice("ADV-2", date(2009, 5, 1), "overgenomen", "WONEN", "urgentieverklaring", "Domijn")
    v = replace(view([]), advice=[decided, waiting])
    assert [p for p in open_points(v, date(2009, 7, 1)) if p.startswith("Advies")] == [
        "Advies van 01-06-2009 onder mandaat toekennen bijzondere bijstand (Gemeente Enschede): wacht op het "
        "besluit van de partner."]
    assert not any(p.startswith("Advies") for p in open_points(v, date(2009, 5, 31)))  # not given yet
