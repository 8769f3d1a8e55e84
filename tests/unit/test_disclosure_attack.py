"""The attack solver itself (tests/disclosure_attack.py) on tables small enough to check by hand: it finds
a cell that per-table suppression leaves recoverable, and finds nothing where there is nothing to find."""

from __future__ import annotations

import pandas as pd

from queries.analytics.disclosure import TOTAL
from tests.disclosure_attack import Attack


def _publish(attack: Attack, shown: pd.DataFrame, true: pd.DataFrame, row_key: dict[str, str]) -> None:
    for r in shown.index:
        for c in shown.columns:
            v = shown.loc[r, c]
            attack.publish((row_key[r], c), None if v is pd.NA else int(v), int(true.loc[r, c]))


def test_solver_pins_a_cell_of_a_two_by_two_table() -> None:
    # a + b = 15, a + c = 14, c + d = 30 with b = 12 shown: a = 3, c = 11, d = 19.
    attack = Attack()
    attack.publish("a", None, 3)
    attack.publish("b", 12, 12)
    attack.publish("c", None, 11)
    attack.publish("d", None, 19)
    for parts, total, value in ((("a", "b"), "r1", 15), (("a", "c"), "k1", 14), (("c", "d"), "r2", 30)):
        attack.publish(total, value, value)
        attack.add_sum(parts, total)
    assert attack.bounds(upper=100) == {"a": (3, 3), "c": (11, 11), "d": (19, 19)}
    assert [(f.key, f.true) for f in attack.recovered(k=10, upper=100)] == [("a", 3)]


def test_solver_keeps_a_protected_cell_open() -> None:
    # Only a + b = 15 is known: a lies anywhere in 0..15, wider than k = 10.
    attack = Attack()
    attack.publish("a", None, 3)
    attack.publish("b", None, 12)
    attack.publish("t", 15, 15)
    attack.add_sum(["a", "b"], "t")
    assert attack.bounds(upper=100) == {"a": (0, 15), "b": (0, 15)}
    assert attack.recovered(k=10, upper=100) == []


X = pd.NA
AREAS = pd.DataFrame({"0-1": [40, 30, 25], "2-4": [20, 15, 30], "5+": [2, 14, 4]}, index=["N1", "N2", "C"])
KINDS = pd.DataFrame({"0-1": [70, 25], "2-4": [35, 30], "5+": [16, 4]}, index=["experiment", "control"])


def _with_totals(t: pd.DataFrame) -> pd.DataFrame:
    out = t.assign(**{TOTAL: t.sum(axis=1)})
    out.loc[TOTAL] = out.sum()
    return out


def _attack_two_tables(by_area: pd.DataFrame, by_kind: pd.DataFrame) -> Attack:
    attack = Attack()
    _publish(attack, by_area, _with_totals(AREAS), {"N1": "N1", "N2": "N2", "C": "C", TOTAL: "all"})
    _publish(attack, by_kind, _with_totals(KINDS), {"experiment": "exp", "control": "C", TOTAL: "all"})
    _sums(attack, {"N1": "N1", "N2": "N2", "C": "C", "exp": "exp", TOTAL: "all"})
    for c in [*AREAS.columns, TOTAL]:
        attack.add_sum([("N1", c), ("N2", c)], ("exp", c))
        attack.add_sum([("exp", c), ("C", c)], ("all", c))
    return attack


def test_per_table_suppression_of_two_tables_on_one_population_is_recovered() -> None:
    """Issue 21: the area-kind table of a report was suppressed on its own. With one control area its control
    row is that area's row; the cell the area table hides is shown there (C/2-4 = 30, so C/5+ = 59 - 25 - 30
    = 4) and the column total then gives away the hidden experiment cell: N1/5+ = 20 - 14 - 4 = 2. The two
    tables below are what the per-table rule published (each safe on its own totals)."""
    by_area = pd.DataFrame({"0-1": [40, 30, 25, 95], "2-4": [X, 15, X, 65], "5+": [X, 14, X, 20],
                            TOTAL: [62, 59, 59, 180]}, index=["N1", "N2", "C", TOTAL], dtype="Int64")
    by_kind = pd.DataFrame({"0-1": [X, X, 95], "2-4": [35, 30, 65], "5+": [X, X, 20], TOTAL: [121, 59, 180]},
                           index=["experiment", "control", TOTAL], dtype="Int64")
    found = {f.key: (f.true, f.low, f.high) for f in _attack_two_tables(by_area, by_kind).recovered(10, upper=500)}
    assert found[("N1", "5+")] == (2, 2, 2)
    assert found[("C", "5+")] == (4, 4, 4)


def _sums(attack: Attack, keys: dict[str, str]) -> None:
    for key in set(keys.values()):
        attack.add_sum([(key, c) for c in ("0-1", "2-4", "5+")], (key, TOTAL))


def test_the_two_tables_protected_together_reveal_nothing() -> None:
    from queries.analytics.disclosure import suppress_hierarchy

    cube = suppress_hierarchy(AREAS, {"experiment": ["N1", "N2"], "control": ["C"]}, 10)
    by_area, by_kind = cube.loc[["N1", "N2", "C", TOTAL]], cube.loc[["experiment", "control", TOTAL]]
    assert by_kind.loc["control"].tolist() == by_area.loc["C"].tolist()
    assert _attack_two_tables(by_area, by_kind).recovered(10, upper=500) == []


#: The demo's distribution on 31-12-2012 (all areas): per-table complementary suppression left LDH "5–9" (1),
#: NVL "5–9" (2) and SVZ "10+" (2) each pinned to 0..5 by the sums and "no count is negative" together.
DEMO_2012 = pd.DataFrame([[199, 54, 18, 13, 1, 0], [258, 46, 26, 17, 2, 0], [363, 65, 26, 25, 26, 2]],
                         index=["LDH", "NVL", "SVZ"], columns=["0", "1", "2", "3–4", "5–9", "10+"])


def _attack_hierarchy(table: pd.DataFrame, groups: dict[str, list[str]], k: int) -> Attack:
    from queries.analytics.disclosure import suppress_hierarchy

    shown = suppress_hierarchy(table, groups, k)
    members = {**{r: [r] for r in table.index}, **groups, TOTAL: list(table.index)}
    attack = Attack()
    for r in shown.index:
        for c in shown.columns:
            true = int(table.loc[members[r]].sum().sum()) if c == TOTAL else int(table.loc[members[r], c].sum())
            v = shown.loc[r, c]
            attack.publish((r, c), None if v is pd.NA else int(v), true)
        attack.add_sum([(r, c) for c in table.columns], (r, TOTAL))
    for c in [*table.columns, TOTAL]:
        attack.add_sum([(r, c) for r in table.index], (TOTAL, c))
        for g, ms in groups.items():
            if len(ms) > 1:
                attack.add_sum([(m, c) for m in ms], (g, c))
    return attack


def test_one_protected_table_pins_no_small_cell_to_a_narrow_window() -> None:
    """Rules 1-4 of ``protect`` keep every hidden sum at k or more and fix no cell, but together the sums and
    "no count is negative" still pinned small cells of one table to 0..5. Rule 5 (the width of each small hidden
    cell, by linear programming) hides more until every window is k wide."""
    for groups in ({}, {"experiment": ["LDH", "NVL"], "control": ["SVZ"]}):
        attack = _attack_hierarchy(DEMO_2012, groups, 10)
        assert attack.hidden, "there is something to protect"
        found = attack.recovered(10, upper=int(DEMO_2012.to_numpy().sum()))
        assert found == [], [(f.key, f.true, f.low, f.high) for f in found]


def test_solver_uses_the_inequalities_it_is_given() -> None:
    # a + b = 15 alone leaves a in 0..15; knowing a <= c (c = 4 shown) pins it to 0..4, and b to 11..15.
    attack = Attack()
    attack.publish("a", None, 3)
    attack.publish("b", None, 12)
    attack.publish("t", 15, 15)
    attack.publish("c", 4, 4)
    attack.add_sum(["a", "b"], "t")
    attack.add_at_most([(1.0, "a"), (-1.0, "c")])
    assert attack.violated() == []
    assert attack.bounds(upper=100) == {"a": (0, 4), "b": (11, 15)}
    assert [(f.key, f.low, f.high) for f in attack.recovered(k=10, upper=100)] == [("a", 0, 4)]
    attack.add_at_most([(1.0, "a")], 2)
    assert attack.violated() == ["((1.0, 'a'),) <= 2.0"]
