"""The overlap snapshot's counting on a tiny hand-built set of periods, with exact expected rows (no database).

Days are counted from 1970-01-01. Households: H0 and H1 in area A (experiment), H2 in area B (control), H3 in
no area. At day 100: H0 has P0 (O0) and P1 (O1) on the same member and life domain, both of function f0
(2 casemanagers, same member and domain, dubbele casemanager); H1 has P2; H2 has P3; H3 has P4.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from queries.snapshot import MandateFacts, OverlapSnapshot

OPEN = np.iinfo(np.int32).max
NONE = np.iinfo(np.int32).min
EPOCH = date(1970, 1, 1)


def day(n: int) -> date:
    return EPOCH + timedelta(days=n)


# (household, professional, organisation, function, life domain, subject, since, until)
PERIODS = [
    (0, 0, 0, 0, 0, 0, 0, 200),
    (0, 1, 1, 0, 0, 0, 50, 150),
    (0, 0, 0, 0, 1, 1, 300, OPEN),
    (1, 2, 1, 1, 0, 2, 0, OPEN),
    (2, 3, 2, 1, 1, 3, 90, 130),
    (3, 4, 2, 1, 1, 4, 0, OPEN),
]


def snap() -> OverlapSnapshot:
    cols = list(zip(*PERIODS, strict=True))
    arr = [np.array(c, dtype=np.int32) for c in cols]
    return OverlapSnapshot(
        token="t", read_at=0.0, household=arr[0], professional=arr[1], organisation=arr[2], function=arr[3],
        life_domain=arr[4], subject=arr[5], since=arr[6], until=arr[7],
        hh_area=np.array([0, 0, 1, -1], dtype=np.int32), hh_intake=np.array([120, NONE, NONE, NONE], dtype=np.int32),
        organisations=("O0", "O1", "O2"), functions=("f0", "f1"), domains=("D0", "D1"), areas=("A", "B"),
        area_names=("Area A", "Area B"), area_kinds=("experiment", "control"))


def keyed(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], int]:
    return {tuple(v for k, v in sorted(r.items()) if k != "households"): r["households"] for r in rows}


def test_overlap_rows_at_one_date() -> None:
    rows = snap().overlap_rows(day(100), None, None)
    groups = {(r["area"], r["bin"], r["same"], r["double"]): r["households"] for r in rows if r["org_a"] is None}
    pairs = {(r["org_a"], r["org_b"]): r["households"] for r in rows if r["org_a"] is not None}
    assert groups == {("A", "2", True, True): 1, ("A", "1", False, False): 1, ("B", "1", False, False): 1}
    assert pairs == {("O0", "O0"): 1, ("O0", "O1"): 1, ("O1", "O1"): 2, ("O2", "O2"): 1}  # H3: no area


def test_overlap_filters() -> None:
    s = snap()
    only_b = s.overlap_rows(day(100), "B", None)
    assert [(r["area"], r["bin"], r["households"]) for r in only_b if r["org_a"] is None] == [("B", "1", 1)]
    d1 = s.overlap_rows(day(100), None, "D1")  # only P3 on H2 (P0's D1 period starts at day 300)
    assert [(r["area"], r["bin"]) for r in d1 if r["org_a"] is None] == [("B", "1")]
    assert s.overlap_rows(day(100), None, "NO-SUCH-DOMAIN") == []
    assert s.overlap_rows(day(100), "NO-SUCH-AREA", None) == []


def test_households_per_area() -> None:
    assert snap().households(None).to_dict("records") == [
        {"area": "A", "name": "Area A", "area_kind": "experiment", "households": 2},
        {"area": "B", "name": "Area B", "area_kind": "control", "households": 1}]


def test_trend_counts_each_professional_once_and_includes_households_without_area() -> None:
    s = snap()
    rows = s.trend_rows([day(100), day(250)], None, None)
    # day 100: H0 two, H1, H2 and H3 one each; day 250: H1 and H3 (P0's first period ended at 200)
    assert keyed(rows) == {("1", day(100)): 3, ("2", day(100)): 1, ("1", day(250)): 2}
    assert keyed(s.trend_rows([day(100)], "A", None)) == {("1", day(100)): 1, ("2", day(100)): 1}


def test_trend_merges_two_periods_of_one_professional() -> None:
    extra = OverlapSnapshot(**{**snap().__dict__, "household": np.array([0, 0], dtype=np.int32),
                               "professional": np.array([0, 0], dtype=np.int32),
                               "organisation": np.array([0, 0], dtype=np.int32),
                               "function": np.array([0, 0], dtype=np.int32),
                               "life_domain": np.array([0, 1], dtype=np.int32),
                               "subject": np.array([0, 1], dtype=np.int32),
                               "since": np.array([0, 50], dtype=np.int32),
                               "until": np.array([100, 200], dtype=np.int32)})
    assert keyed(extra.trend_rows([day(75), day(150)], None, None)) == {("1", day(75)): 1, ("1", day(150)): 1}


def test_coach_effect_rows() -> None:
    rows = snap().coach_effect_rows(None, None, after_days=50, min_before=1)
    # H0 (intake day 120): P0 and P1 on day 119, P0 alone on day 170. Control H2: P3 on day 119, nobody on 170.
    assert keyed(rows) == {("coached", 1, 2): 1, ("control", 0, 1): 1}
    assert snap().coach_effect_rows(None, None, after_days=50, min_before=2) == [
        {"group": "coached", "n_before": 2, "n_after": 1, "households": 1}]
    assert snap().coach_effect_rows("B", None, after_days=50, min_before=1) == []  # nobody coached in B


def test_shared_rows_need_overlapping_periods() -> None:
    rows = snap().shared_rows(day(100), day(100), None, None)
    assert keyed(rows) == {("O0", "O0"): 1, ("O1", "O1"): 2, ("O2", "O2"): 1, ("O0", "O1"): 1}
    # From day 160 to 400 P1 (O1) has left H0: O0 and O1 no longer work on H0 at the same time.
    later = keyed(snap().shared_rows(day(160), day(400), None, None))
    assert ("O0", "O1") not in later and later[("O0", "O0")] == 1


def i32(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int32)


#: O0 grants M0 (D0, days 0-100) and M1 (D1, from day 50, open); O1 grants M0 too (from day 200); a grant
#: without ``since`` (O2, M1) falls in no period. Advice under M0: adopted on day 10 (area A), refused on day
#: 60 (areas A and B), awaiting a decision on day 70; under M1: debated on day 80 (no area), adopted on day 300.
MANDATES = MandateFacts(
    organisation=i32(0, 0, 1, 2), mandate=i32(0, 1, 0, 1), since=i32(0, 50, 200, OPEN), until=i32(100, OPEN, OPEN, OPEN),
    life_domain=i32(0, 1, 0, 1), advice_mandate=i32(0, 0, 0, 1, 1), advice_date=i32(10, 60, 70, 80, 300),
    advice_outcome=i32(0, 1, -1, 2, 0), area_advice=i32(0, 1, 1), area_code=i32(0, 0, 1))


def test_mandate_rows_count_advice_once_per_grant() -> None:
    s = OverlapSnapshot(**{**snap().__dict__, "mandates": MANDATES})
    def rows(lo: int, hi: int, area: str | None = None, domain: str | None = None) -> list[tuple[Any, ...]]:
        return [tuple(r.values()) for r in s.mandate_rows(day(lo), day(hi), area, domain)]

    # organisation, grants, adopted, refused, debated
    assert rows(0, 100) == [("O0", 2, 1, 1, 1)]
    assert rows(0, 400) == [("O0", 2, 2, 1, 1), ("O1", 1, 1, 1, 0)]   # O1's grant of M0 counts M0's advice too
    assert rows(0, 400, "B") == [("O0", 2, 0, 1, 0), ("O1", 1, 0, 1, 0)]
    assert rows(0, 400, "NO-SUCH-AREA") == [("O0", 2, 0, 0, 0), ("O1", 1, 0, 0, 0)]
    assert rows(0, 400, None, "D1") == [("O0", 1, 1, 0, 1)]
    assert rows(101, 150) == [("O0", 1, 0, 0, 0)]
    assert rows(0, 400, None, "NO-SUCH-DOMAIN") == []


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    s = OverlapSnapshot(**{**snap().__dict__, "mandates": MANDATES})
    path = tmp_path / "snap.npz"
    s.save(path)
    back = OverlapSnapshot.load(path)
    assert back is not None and back.token == "t" and back.areas == ("A", "B")
    assert back.overlap_rows(day(100), None, None) == s.overlap_rows(day(100), None, None)
    assert back.mandate_rows(day(0), day(400), "A", None) == s.mandate_rows(day(0), day(400), "A", None) != []
    assert (path.stat().st_mode & 0o777) == 0o600
    path.write_bytes(b"garbage")
    assert OverlapSnapshot.load(path) is None


def test_overlap_cells_count_every_area_in_one_pass() -> None:
    """The cells of all areas at once hold, per area, exactly what counting that area's households alone gives
    (the other households moved out of every area), and all areas are their sum."""
    s = snap()
    for d in (0, 60, 100, 140, 300):
        for domain in (None, "D0", "D1", "NO-SUCH-DOMAIN"):
            cells = s.overlap_cells(day(d), domain)
            for code, area in enumerate(s.areas):
                alone = dataclasses.replace(s, hh_area=np.where(s.hh_area == code, code, -1).astype(np.int32))
                assert keyed(cells.rows(area)) == keyed(alone.overlap_cells(day(d), domain).rows(None))
            assert np.array_equal(cells.shared(None), sum(cells.shared(a) for a in s.areas))
            assert cells.rows("NO-SUCH-AREA") == []
    cells = s.overlap_cells(day(100), None)
    # H0 (A): P0 and P1, both f0, O0 and O1 on one member and domain; H1 (A): P2 (O1); H2 (B): P3 (O2); H3: no area
    assert cells.groups.sum() == 3 and int(cells.groups[0, 2, 1, 1]) == 1 and int(cells.groups[1, 1, 0, 0]) == 1
    names, matrix = cells.pair_matrix("A")
    assert names == ["O0", "O1"] and matrix.tolist() == [[1, 1], [1, 2]]
    assert cells.shared("A").tolist() == [[1, 1, 0], [1, 2, 0], [0, 0, 0]]
    assert cells.shared(None).tolist() == [[1, 1, 0], [1, 2, 0], [0, 0, 1]]


def test_overlap_cells_do_not_depend_on_the_order_of_the_periods() -> None:
    """A snapshot keeps its periods in household order, whatever order they come in; the counts are the same."""
    s = snap()
    back = np.arange(s.periods)[::-1]
    shuffled = dataclasses.replace(s, **{c: getattr(s, c)[back] for c in ("household", "professional",
                                                                          "organisation", "function", "life_domain",
                                                                          "subject", "since", "until")})
    for d in (60, 100, 140):
        a, b = s.overlap_cells(day(d), None), shuffled.overlap_cells(day(d), None)
        assert np.array_equal(a.groups, b.groups) and np.array_equal(a.pairs, b.pairs)
    assert shuffled.household.tolist() == sorted(s.household.tolist())
    assert keyed(shuffled.trend_rows([day(100), day(250)], None, None)) == keyed(s.trend_rows([day(100), day(250)],
                                                                                             None, None))


def test_shared_rows_of_filters_that_keep_no_period_are_none() -> None:
    # area B has only H2, on life domain D1: on D0 nothing is left (the collaboration page raised a ValueError)
    assert snap().shared_rows(day(100), day(100), "B", "D0") == []
