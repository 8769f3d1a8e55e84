"""The pairing of signals in Python (ingest/pairing.py) against the rules (graph/notice_rules.py,
docs/signals.md), on the hand-checkable seed-002 household (tests/household_records.py) and small cases — no
database: the rows are what ``notice_households.cypher`` returns, built from the records (tests/notice_rows.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from graph.notice_rules import LEAD_RECIPIENT, NoticeRules
from ingest.pairing import Neighbourhood, match_rows, signal_rows, threshold_rows
from tests.household_records import AFTER, SRC, records
from tests.household_records import EXPECTED_SIGNALS as EXPECTED
from tests.notice_rows import household_rows

RULES = NoticeRules()
CUTOFF = RULES.cutoff(AFTER)
NEW: list[tuple[str, dict[str, Any]]] = [
    ("organisation", {"id": "O-RIBW", "name": "RIBW Twente", "sector": "zorg", "source": SRC}),
    ("professional", {"id": "P30", "name": "Prof P30", "function": "begeleider RIBW", "organisation_id": "O-RIBW",
                      "since": date(2000, 1, 1), "source": SRC}),
    ("involvement", {"id": "I30", "professional_id": "P30", "organisation_id": "O-RIBW",
                     "life_domain": "GEZONDHEID_WELZIJN", "role": "casemanager", "since": date(2009, 1, 10),
                     "until": None, "person_ids": ["S"], "household_id": None, "source": "export"}),
    ("involvement", {"id": "I31", "professional_id": "P30", "organisation_id": "O-RIBW", "life_domain": "WONEN",
                     "role": "casemanager", "since": date(2009, 1, 2), "until": date(2009, 1, 12),
                     "person_ids": ["M"], "household_id": None, "source": "export"}),
]


def _nb(extra: list[tuple[str, dict[str, Any]]] = NEW, as_of: date = AFTER) -> Neighbourhood:
    return Neighbourhood.from_rows(household_rows([*records(), *extra], handovers_from=RULES.cutoff(as_of),
                                                  as_of=as_of))


def told(nb: Neighbourhood, rows: list[dict[str, Any]], today: date = AFTER) -> list[tuple[str, str, str]]:
    """(kind, recipient, about) of each notice, derived as the inbox derives it (docs/signals.md, "What is
    stored"): a pair tells each side's professional about the other side but the quiet one; a new involvement
    tells the household's coaches but its own professional; a threshold its recipient."""
    out = []
    for r in rows:
        if r["kind"] == "match":
            for own, other in ((r["a"], r["b"]), (r["b"], r["a"])):
                if own != r["quiet"]:
                    out.append(("match", str(nb.involvements[own].professional), other))
        elif r["kind"] == "new_involvement":
            mine = nb.involvements[r["involvement"]].professional
            out += [("new_involvement", c, r["involvement"])
                    for c in nb.active_coaches(r["household_id"], today) if c != mine]
        else:
            out.append((r["kind"], r["recipient"], r["detail"]))
    return sorted(out)


def _all(nb: Neighbourhood, ids: list[str], as_of: date = AFTER, **kw: Any) -> list[dict[str, Any]]:
    pairs = match_rows(nb, ids, as_of, RULES.cutoff(as_of), **kw)
    return pairs.rows + threshold_rows(nb, pairs.touched, as_of, RULES.max_casemanagers, lead=LEAD_RECIPIENT,
                                       now="", run="r", source="wijknet:thresholds")




def test_a_new_involvement_on_a_child_tells_exactly_who_the_rules_say() -> None:
    """The integration test's oracle (tests/integration/test_signals.py), here without a database: the parents'
    and the child's own professionals, the coach once (quiet in the pair with their own work), not the sibling's
    professionals (P10, P11), not the other coach; 8 casemanagers and the BJZ→Jarabee→BJZ ping-pong."""
    nb = _nb()
    rows = _all(nb, ["I30", "I31"])
    assert told(nb, rows) == EXPECTED
    pair = next(r for r in rows if r["key"] == "match|I20|I30")
    assert (pair["quiet"], pair["household_id"], pair["date"], pair["source"]) == (
        "I20", "HH-T1", date(2009, 1, 10), "export")


def test_a_second_pass_makes_nothing_twice_and_an_ended_one_makes_nothing() -> None:
    nb = _nb()
    pairs = match_rows(nb, ["I30", "I31"], AFTER, CUTOFF)
    n = len(pairs.rows)
    again = match_rows(nb, ["I30", "I30", "I31"], AFTER, CUTOFF, into=pairs)
    assert len(again.rows) == n and len(again.keys) == n
    assert match_rows(nb, ["I31"], AFTER, CUTOFF).rows == []  # ended on 2009-01-12, before AFTER
    assert match_rows(nb, ["I30"], AFTER + timedelta(days=800), RULES.cutoff(AFTER + timedelta(days=800))).rows \
        == []  # started before the retention seen from then


def test_replayed_on_its_start_it_matches_what_was_active_that_day() -> None:
    """At its start (2009-01-02) I31 on the mother meets her professionals and her children's (not the
    household's coach: P30 is no coach, the coach gets the new involvement)."""
    nb = _nb()
    rows = match_rows(nb, ["I31"], AFTER, CUTOFF, at_start=True).rows
    assert told(nb, rows) == sorted(
        [("match", "P30", i) for i in ("I03", "I04", "I07", "I10", "I11", "I20")]
        + [("match", p, "I31") for p in ("P03", "P04", "P07", "P10", "P11")]
        + [("new_involvement", "PR-COACH-1", "I31")])


def _case(*invs: tuple[str, str, list[str], str | None], members: tuple[tuple[str, str], ...] = (
        ("F", "vader"), ("M", "moeder"), ("S", "kind"), ("D", "kind")),
          client: tuple[tuple[str, str], ...] = (), coach: str | None = None) -> Neighbourhood:
    day = date(2010, 1, 1)
    inv_rows = [{"id": i, "professional": p, "organisation": f"O-{p}", "function": f, "role": "casemanager",
                 "since": day, "until": None,
                 "source": "s", "persons": [s for s in subj if s != "H"], "households": ["H"] if "H" in subj else []}
                for i, p, subj, f in invs]
    return Neighbourhood.from_rows([{
        "household": "H", "members": [{"person": p, "role": r, "since": None, "until": None} for p, r in members],
        "client": [{"person": p, "relation": r, "since": None, "until": None} for p, r in client],
        "coaches": [{"professional": coach, "since": day, "until": None}] if coach else [],
        "involvements": inv_rows, "handovers": []}])


@pytest.mark.parametrize(("new", "others", "matched"), [
    # a child's work meets the parents' and its own, not the sibling's; the household-level work too
    (("N", "X", ["S"]), [("A", "Y", ["F"]), ("B", "Z", ["D"]), ("C", "W", ["S"]), ("E", "V", ["H"])],
     {"A", "C", "E"}),
    # a parent's work meets the children's, not the other parent's
    (("N", "X", ["F"]), [("A", "Y", ["M"]), ("B", "Z", ["D"])], {"B"}),
    # household-level work meets every member's
    (("N", "X", ["H"]), [("A", "Y", ["M"]), ("B", "Z", ["D"]), ("C", "W", ["S"])], {"A", "B", "C"}),
    # the same professional is not matched with their own other work
    (("N", "X", ["S"]), [("A", "X", ["S"]), ("B", "Y", ["S"])], {"B"}),
])
def test_who_is_matched_with_whom(new: tuple[str, str, list[str]], others: list[tuple[str, str, list[str]]],
                                  matched: set[str]) -> None:
    nb = _case(*[(i, p, s, None) for i, p, s in [new, *others]])
    rows = match_rows(nb, [new[0]], date(2010, 1, 1), date(2009, 1, 1)).rows
    assert {r["a"] if r["b"] == new[0] else r["b"] for r in rows} == matched


def test_a_parent_in_the_client_system_counts_for_a_child_only() -> None:
    nb = _case(("N", "X", ["S"], None), ("G", "Y", ["OMA"], None), ("Q", "Z", ["BUUR"], None),
               members=(("S", "kind"), ("F", "vader")), client=(("OMA", "moeder"),))
    rows = match_rows(nb, ["N"], date(2010, 1, 1), date(2009, 1, 1)).rows
    assert [r["key"] for r in rows] == ["match|G|N"]  # the neighbour is no parent (and not read at all)


def test_a_coach_is_told_once_and_two_coaches_are_not_matched() -> None:
    nb = _case(("N", "X", ["S"], None), ("C", "COACH", ["H"], None), coach="COACH")
    rows = match_rows(nb, ["N"], date(2010, 1, 1), date(2009, 1, 1)).rows
    assert sorted((r["kind"], r.get("quiet")) for r in rows) == [("match", "C"), ("new_involvement", None)]
    own = match_rows(nb, ["C"], date(2010, 1, 1), date(2009, 1, 1)).rows  # the coach's own new work
    assert [(r["kind"], r.get("quiet")) for r in own] == [("match", "C")]


def test_a_person_in_no_household_is_matched_on_the_same_person_only() -> None:
    day = date(2010, 1, 1)
    nb = Neighbourhood.from_rows([{"household": None, "involvements": [
        {"id": i, "professional": p, "organisation": "O", "function": "f", "since": day, "until": None,
         "source": None, "persons": ["LOOSE"], "households": []} for i, p in (("A", "X"), ("B", "Y"))]}])
    pairs = match_rows(nb, ["B"], day, date(2009, 1, 1))
    assert [(r["key"], r["household_id"], r["source"]) for r in pairs.rows] == [
        ("match|A|B", None, "wijknet:matching")]
    assert pairs.touched == set()


def test_thresholds_count_distinct_professionals_and_functions() -> None:
    nb = _case(("A", "P1", ["F"], "casemanager"), ("B", "P1", ["M"], "casemanager"),
               ("C", "P2", ["S"], "casemanager"), ("D", "P3", ["H"], "gezinscoach"),
               ("E", "P4", ["D"], None), coach="P9")
    rows = threshold_rows(nb, ["H"], date(2010, 1, 1), 4, lead="lead", now="", run="r", source="t")
    assert sorted((r["kind"], r["recipient"], r["count"], r["key"]) for r in rows) == [
        ("casemanagers", "P9", 4, "casemanagers|P9|H|4"), ("casemanagers", "lead", 4, "casemanagers|lead|H|4"),
        ("double_casemanager", "P9", 2, "double_casemanager|P9|H|casemanager"),
        ("double_casemanager", "lead", 2, "double_casemanager|lead|H|casemanager")]
    assert threshold_rows(nb, ["H"], date(2010, 1, 1), 5, lead="lead", now="", run="r", source="t")[0][
        "kind"] == "double_casemanager"


def test_the_module_examples_hold() -> None:
    import doctest

    import ingest.pairing

    result = doctest.testmod(ingest.pairing)
    assert result.attempted and not result.failed


def _stamped(extra: list[tuple[str, dict[str, Any]]], seen: dict[str, date]) -> Neighbourhood:
    """The neighbourhood with the involvements ``seen`` matched on their day (``Involvement.seen``)."""
    nb = _nb(extra)
    nb.involvements = {i: inv._replace(seen=seen.get(i)) for i, inv in nb.involvements.items()}
    return nb


def _derived(nb: Neighbourhood, reference: date | None = AFTER, since: date | None = None) -> list[dict[str, Any]]:
    return signal_rows(nb, retention_days=RULES.retention_days, max_casemanagers=RULES.max_casemanagers,
                       reference=reference, thresholds_for=sorted(nb.members), lead=LEAD_RECIPIENT,
                       since=since).rows


def test_signals_are_derived_from_the_matched_involvements_only() -> None:
    """What a reader is told is derived from the graph: the involvements matched on AFTER (I30; I31 had ended by
    then) make exactly the hand-checked signals, the thresholds are read on the reference day; the household's
    older work was never matched and starts none; deriving again gives the same rows."""
    nb = _stamped(NEW, {"I30": AFTER, "I31": AFTER})
    rows = _derived(nb)
    assert told(nb, rows) == EXPECTED
    assert rows == _derived(nb)
    assert [r["kind"] for r in _derived(_stamped(NEW, {}), reference=None)] == []
    assert {r["kind"] for r in _derived(_stamped(NEW, {"I31": AFTER}), reference=None)} == set()


def test_a_replayed_involvement_is_matched_on_its_start_and_an_expiry_leaves_older_ones_out() -> None:
    nb = _stamped(NEW, {"I31": date(2009, 1, 2)})  # the demo's replay: matched on the day it started
    rows = _derived(nb, reference=None)
    assert told(nb, rows) == sorted(
        [("match", "P30", i) for i in ("I03", "I04", "I07", "I10", "I11", "I20")]
        + [("match", p, "I31") for p in ("P03", "P04", "P07", "P10", "P11")]
        + [("new_involvement", "PR-COACH-1", "I31")])
    assert _derived(nb, reference=None, since=date(2009, 1, 3)) == []


def test_a_second_professional_of_a_function_in_another_role_is_no_double_casemanager() -> None:
    """Only the casemanager role counts for "dubbele casemanager" (graph/model.py, ``involvement_role``), as on
    the household page and in the overlap figures: a woonbegeleider delivering a service beside one holding the
    case is not a second casemanager."""
    nb = _case(("A", "P1", ["F"], "woonbegeleider"), ("B", "P2", ["M"], "woonbegeleider"), coach="P9")
    both = threshold_rows(nb, ["H"], date(2010, 1, 1), 5, lead="lead", now="", run="r", source="t")
    assert sorted((r["kind"], r["recipient"]) for r in both) == [
        ("double_casemanager", "P9"), ("double_casemanager", "lead")]
    nb.involvements["B"] = nb.involvements["B"]._replace(role="uitvoerend")
    assert threshold_rows(nb, ["H"], date(2010, 1, 1), 5, lead="lead", now="", run="r", source="t") == []


def test_a_threshold_signal_is_dated_when_its_crossing_began_not_when_it_was_read() -> None:
    """A coach's review: the inbox dated a "dubbele casemanager" 23-12-2012 (the last matching day it was read on)
    where the household page shows the two casemanagers GGZ together from 23-05-2012."""
    from queries.notices import _entry

    nb = _case(("A", "P1", ["F"], "casemanager GGZ"), ("B", "P2", ["M"], "casemanager GGZ"), coach="P9")
    nb.involvements["B"] = nb.involvements["B"]._replace(since=date(2010, 5, 23))
    [row, _] = threshold_rows(nb, ["H"], date(2010, 12, 23), 5, lead="lead", now="", run="r", source="t")
    entry = _entry(row, nb, None, None, partner=False)
    assert (entry.day, entry.read_on) == (date(2010, 5, 23), date(2010, 12, 23))
