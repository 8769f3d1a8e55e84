"""The same entry recorded twice on the coach's page (Streamlit's AppTest): the grandmother typed in again after a
save the coach was not sure of, the same agreement written down a second time. Re-doing is safe: the second is
refused with a sentence at the top of the form, nothing written, what was typed kept; a different entry is taken."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from app.state import get_audit
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.record import record
from queries.access import Actor, Role
from queries.workspace import workspace

COACH = Actor("scopecoach", Role.COACH, "Wijkcoaches", "PR-COACH-1")


def _input(at: AppTest, label: str) -> Any:
    return next(x for x in [*at.text_input, *at.text_area] if x.label == label)


def _names(db: Database) -> list[str]:
    return [str(f.values.get("name")) for f in workspace(db, get_audit(), COACH, "HH-T1").of("client_system")]


def test_the_same_person_of_the_network_recorded_again_is_refused_and_nothing_is_written(
        coach_page: AppTest, household_t1: Database) -> None:
    today = f"{dutch_today():%d-%m-%Y}"
    record(household_t1, get_audit(), COACH, "HH-T1", "client_system", {"name": "Oma Bép 😀", "relation": "oma",
                                                                          "since": today})
    before = _names(household_t1)
    at = coach_page
    at.session_state["ws_open"] = True  # the workspace panel opened
    at.run()
    _input(at, "Naam *").input(" oma bép 😀 ")
    _input(at, "Relatie *").input("Oma")
    _input(at, "Sinds *").input(today)
    next(b for b in at.button if b.label == "Vastleggen").click().run()
    assert not at.exception
    errors = " ".join(str(e.value) for e in at.error)
    assert (f"Al vastgelegd: 'Oma Bép 😀' van {today} (vastgelegd door scopecoach); wijzig het zo nodig onder "
            "'Wijzigen of beëindigen'.") in errors, errors
    assert _names(household_t1) == before  # nothing written
    assert _input(at, "Naam *").value == " oma bép 😀 "  # what was typed is kept
    _input(at, "Relatie *").input("oma van moederskant")  # another tie is another entry
    next(b for b in at.button if b.label == "Vastleggen").click().run()
    assert not at.exception
    assert len(_names(household_t1)) == len(before) + 1


def test_the_same_agreement_recorded_again_is_refused(household_t1: Database) -> None:
    from app.i18n import say
    from graph.errors import InvalidEntry

    values = {"kind": "afspraak", "text": "Vader opent elke week de post", "date": f"{dutch_today():%d-%m-%Y}"}
    record(household_t1, get_audit(), COACH, "HH-T1", "agreement", values)
    try:
        record(household_t1, get_audit(), COACH, "HH-T1", "agreement", {**values, "text": "vader opent  elke week de post"})
    except InvalidEntry as exc:
        assert say(exc.problems["_"]).startswith("Al vastgelegd: "), exc.problems
    else:
        raise AssertionError("recorded twice")


def test_a_supporter_recorded_again_with_the_neighbour_tick_set_right_is_taken(household_t1: Database) -> None:
    # "Is een buur" cannot be corrected: the tie is ended and recorded again with the tick set right
    members = workspace(household_t1, get_audit(), COACH, "HH-T1").members
    values = {"name": "Henk", "member_id": members[0].id, "kind": "boodschappen", "since": "01-12-2026"}
    record(household_t1, get_audit(), COACH, "HH-T1", "informal_support", values)
    record(household_t1, get_audit(), COACH, "HH-T1", "informal_support", {**values, "neighbour": True})


def test_a_loaded_entry_typed_in_again_is_refused_naming_where_it_came_from(household_t1: Database) -> None:
    from app.i18n import say
    from graph.errors import InvalidEntry

    loaded = next(f for f in workspace(household_t1, get_audit(), COACH, "HH-T1").of("client_system")
                  if not f.recorded_by)
    try:
        record(household_t1, get_audit(), COACH, "HH-T1", "client_system", {
            "name": loaded.values["name"], "relation": loaded.values["relation"],
            "since": f"{loaded.values['since']:%d-%m-%Y}"})
    except InvalidEntry as exc:
        assert say(exc.problems["_"]).startswith(f"Al vastgelegd: '{loaded.values['name']}' van "
                                                 f"{loaded.values['since']:%d-%m-%Y} (uit {loaded.source});"), exc
    else:
        raise AssertionError("recorded twice")


def test_a_second_rung_for_one_person_on_one_day_is_refused(household_t1: Database) -> None:
    # a person stands on one rung of the participation ladder on a day: another rung that day is a correction
    from app.i18n import say
    from graph.errors import InvalidEntry

    person = workspace(household_t1, get_audit(), COACH, "HH-T1").members[1].id
    record(household_t1, get_audit(), COACH, "HH-T1", "ladder_score", {"person_id": person, "rung": 2,
                                                                        "date": "02-12-2026"})
    try:
        record(household_t1, get_audit(), COACH, "HH-T1", "ladder_score", {"person_id": person, "rung": 4,
                                                                            "date": "02-12-2026"})
    except InvalidEntry as exc:
        assert say(exc.problems["_"]).startswith("Al vastgelegd: '2' van 02-12-2026 (vastgelegd door scopecoach)")
    else:
        raise AssertionError("two rungs on one day")


def test_a_double_click_records_once_however_the_two_writes_meet(household_t1: Database) -> None:
    """A review clicked "Vastleggen" twice 150 ms apart: two runs of the page each checked that the neighbour was not
    there yet, and each wrote him — two nodes on the map, told apart by their ids. The writes of one household now
    take turns (the first holds the household until it commits), so the second sees the first and is refused. Two
    writes at once, eight times over: each time one is recorded and the other is refused as recorded already."""
    import threading

    from app.i18n import say
    from graph.errors import InvalidEntry

    members = workspace(household_t1, get_audit(), COACH, "HH-T1").members
    for n in range(8):
        values = {"name": f"Buurman Henk {n}", "member_id": members[0].id, "kind": "boodschappen",
                  "since": "01-12-2026", "neighbour": True}
        start = threading.Barrier(2)
        outcomes: list[str] = []

        def click(values: dict[str, Any] = values, start: threading.Barrier = start,
                  outcomes: list[str] = outcomes) -> None:
            start.wait()
            try:
                record(household_t1, get_audit(), COACH, "HH-T1", "informal_support", values)
                outcomes.append("recorded")
            except InvalidEntry as exc:
                outcomes.append(say(exc.problems["_"]).split(":")[0])

        threads = [threading.Thread(target=click) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["Al vastgelegd", "recorded"], (n, outcomes)
    names = [str(f.values.get("name")) for f in workspace(household_t1, get_audit(), COACH, "HH-T1")
             .of("informal_support")]
    assert sorted(x for x in names if x.startswith("Buurman Henk")) == [f"Buurman Henk {n}" for n in range(8)]
