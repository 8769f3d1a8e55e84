"""The differencing attack on the overlap report (issue 21): every table of ``wijknet report overlap`` for all
areas, each area and several life domains, at several dates, given to an integer solver with every sum the
attacker knows (rows to totals, areas to area kinds and to the whole, filtered requests to the unfiltered
one). No hidden cell below k may be pinned to a window narrower than k."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest

from app.errors import user_message
from graph.clock import today as dutch_today
from graph.db import Database
from graph.errors import WijknetError
from queries import aggregates, counting, snapshot
from queries.access import Actor, Role
from queries.analytics import overlap
from queries.analytics.disclosure import TOTAL, disclosure_k
from queries.audit import AuditLog
from tests.disclosure_attack import Attack

BELEID = Actor("beleid", Role.POLICYMAKER, "Gemeente Enschede")
DATES = [date(2008, 12, 31), date(2009, 12, 31), date(2011, 12, 31)]  # quarter ends: the dates published
DOMAINS: list[str | None] = [None, "ZORG_HULPVERLENING", "INKOMEN_FINANCIEN_SCHULDEN"]


@pytest.fixture(scope="module")
def demo(neo4j_db: Database) -> Database:
    from tests.conftest import demo_database

    return demo_database(neo4j_db, 2008, 634)  # only read: kept from the module before when unchanged


def _value(v: Any) -> int | None:
    return None if v is pd.NA or v is None or (isinstance(v, float) and pd.isna(v)) else int(v)


class Report:
    """Publishes the overlap report's tables into an :class:`Attack` under keys that say what they count."""

    def __init__(self, db: Database, attack: Attack) -> None:
        self.db, self.attack = db, attack
        self.snap = snapshot.current(db, wait=True)
        assert self.snap is not None
        hh = self.snap.households(None)
        self.areas: list[str] = list(hh["area"])
        self.kind_of: dict[str, str] = dict(zip(hh["area"], hh["area_kind"], strict=True))
        self.per_area = hh.set_index("area")["households"].astype("int64").to_dict()
        self.total = sum(self.per_area.values())

    def scope(self, area: str | None) -> frozenset[str]:
        return frozenset(self.areas) if area is None else frozenset([area])

    def relations(self, as_of: date, domain: str | None) -> None:
        """The sums the attacker knows for one date and life domain, over every set of areas."""
        a = self.attack
        sets = [frozenset([x]) for x in self.areas] + [frozenset(self.areas)]
        sets += [frozenset(x for x in self.areas if self.kind_of[x] == kind) for kind in set(self.kind_of.values())]
        for s in set(sets):
            a.add_sum([("dist", as_of, domain, s, b) for b in overlap.BINS], ("hh", s))
            for what in ("same", "double"):
                a.add_sum([(what, as_of, domain, s, "flag"), (what, as_of, domain, s, "other")], ("hh", s))
            if len(s) > 1:
                singles = [frozenset([x]) for x in sorted(s)]
                a.add_sum([("hh", x) for x in singles], ("hh", s))
                for b in overlap.BINS:
                    a.add_sum([("dist", as_of, domain, x, b) for x in singles], ("dist", as_of, domain, s, b))
                for what in ("same", "double"):
                    for c in ("flag", "other"):
                        a.add_sum([(what, as_of, domain, x, c) for x in singles], (what, as_of, domain, s, c))

    def publish(self, as_of: date, area: str | None, domain: str | None, audit: AuditLog, *,
                pairs: bool = True) -> None:
        a, snap = self.attack, self.snap
        assert snap is not None
        if overlap.is_quarter_end(as_of):  # the dates the overlap table is published for
            v = aggregates.overlap_view(self.db, audit, BELEID, as_of=as_of, area=area, life_domain=domain,
                                        pairs=pairs)
        else:  # a control cohort's day: not published, but the attacker is given its tables all the same
            counts, snap_ = counting.overlap_counts(self.db)
            v = aggregates._overlap_tables(aggregates._counted_request(counts, snap_, disclosure_k(None), area),
                                           as_of, area, domain)
        scope = self.scope(area)
        raw = overlap.from_database_counts(
            snap.overlap_rows(as_of, area, domain),
            {x: n for x, n in self.per_area.items() if x in scope},
            pd.Series({x: n for x, n in self.per_area.items() if x in scope}).groupby(
                lambda x: self.kind_of[x]).sum().to_dict())

        def row_set(label: str, by_kind: bool) -> frozenset[str]:
            if label == TOTAL:
                return scope
            if by_kind:
                return frozenset(x for x in scope if self.kind_of[x] == label)
            return frozenset([label])

        dist_true = raw["distribution"]
        assert isinstance(dist_true, pd.DataFrame)
        for name, by_kind in (("distribution", False), ("by_area_kind", True)):
            shown: pd.DataFrame = getattr(v, name)
            for label in shown.index:
                s = row_set(str(label), by_kind)
                for col in shown.columns:
                    if col == TOTAL:
                        key: Any = ("hh", s)
                        t = sum(self.per_area[x] for x in s)
                    else:
                        key = ("dist", as_of, domain, s, col)
                        t = int(dist_true.loc[sorted(s), col].sum())
                    a.publish(key, _value(shown.loc[label, col]), t)
        for name, what in (("same_member_domain", "same"), ("double_casemanager", "double")):
            shown = getattr(v, name)
            flag_true = raw[name]
            assert isinstance(flag_true, pd.Series)
            flag_col, other_col = shown.columns[0], shown.columns[1]
            for label in shown.index:
                s = row_set(str(label), False)
                f = int(flag_true.reindex(list(s), fill_value=0).sum())
                hh = sum(self.per_area[x] for x in s)
                a.publish((what, as_of, domain, s, "flag"), _value(shown.loc[label, flag_col]), f)
                a.publish((what, as_of, domain, s, "other"), _value(shown.loc[label, other_col]), hh - f)
                a.publish(("hh", s), _value(shown.loc[label, TOTAL]), hh)
        pm = v.pair_matrix
        true_pm = raw["pair_matrix"]
        assert isinstance(true_pm, pd.DataFrame)
        for i in pm.index:
            for j in pm.columns:
                if str(i) <= str(j):
                    t = int(true_pm.loc[i, j]) if i in true_pm.index and j in true_pm.columns else 0
                    a.publish(("pair", as_of, domain, scope, i, j), _value(pm.loc[i, j]), t)

    def pair_relations(self, as_of: date, domain: str | None) -> None:
        """Households shared by a pair in all areas = the sum over the areas (for the pairs published)."""
        everywhere = frozenset(self.areas)
        pairs = {(k[4], k[5]) for k in [*self.attack.shown, *self.attack.hidden]
                 if isinstance(k, tuple) and k[0] == "pair" and k[1] == as_of and k[2] == domain}
        for i, j in pairs:
            self.attack.add_sum([("pair", as_of, domain, frozenset([x]), i, j) for x in self.areas],
                                ("pair", as_of, domain, everywhere, i, j))

    def pair_inequalities(self, as_of: date, domain: str | None) -> None:
        """What the pair matrices mean beyond their sums, for all areas and every area: an organisation absent from
        an area's matrix serves nobody there (0), and for every pair ``i, j`` of a set of areas ``s``: ``pair <=
        served(i)``, ``pair <= served(j)`` (the diagonal), ``served(i) + served(j) - pair <= households of s``,
        and ``pair <=`` the households of ``s`` with 2 or more casemanagers (the distribution: two organisations
        active on a household are two professionals); with "no count is negative" (the solver's bounds)."""
        a = self.attack
        keys = [k for k in [*a.shown, *a.hidden]
                if isinstance(k, tuple) and k[0] == "pair" and k[1] == as_of and k[2] == domain]
        orgs = sorted({str(o) for k in keys for o in k[4:6]})
        two_plus = [b for b in overlap.BINS if aggregates._lower(b) >= 2]
        for s in {k[3] for k in keys}:
            def pair(i: str, j: str, s: frozenset[str] = s) -> Any:
                return ("pair", as_of, domain, s, *sorted((i, j)))
            for i in orgs:
                for j in orgs:
                    if i <= j and pair(i, j) not in a.shown and pair(i, j) not in a.hidden:
                        a.publish(pair(i, j), 0, 0)  # not in the matrix of s: shares (serves) no household there
            for n, i in enumerate(orgs):
                for j in orgs[n + 1:]:
                    a.add_at_most([(1.0, pair(i, j)), (-1.0, pair(i, i))])
                    a.add_at_most([(1.0, pair(i, j)), (-1.0, pair(j, j))])
                    a.add_at_most([(1.0, pair(i, i)), (1.0, pair(j, j)), (-1.0, pair(i, j)), (-1.0, ("hh", s))])
                    a.add_at_most([(1.0, pair(i, j)), *((-1.0, ("dist", as_of, domain, s, b)) for b in two_plus)])

    def intake_day(self, until: date | None = None) -> date | None:
        """The day before the median coach intake (of every coached household whose year after intake has come by
        ``until``, whatever the area filter): the day the coach effect's control cohort is counted."""
        from queries.registry import run

        intakes = sorted(d for d in (aggregates._native(r["intake"]) for r in run(self.db, "overlap_coach_intakes",
                                                                                  {"area": None}).rows)
                         if until is None or d + timedelta(days=365) <= until)
        return intakes[(len(intakes) - 1) // 2] - timedelta(days=1) if intakes else None

    def publish_effect(self, area: str | None, domain: str | None, audit: AuditLog) -> None:
        """The coach effect: coached rows per area add up to all areas; each row's bins to its households; the
        control cohort before intake is the control areas' row of the distribution on the day before the
        median intake from 2 casemanagers up, and its households those before and after."""
        a, snap = self.attack, self.snap
        assert snap is not None
        e = aggregates.coach_effect_view(self.db, audit, BELEID, area=area, life_domain=domain)
        until = date.fromisoformat(e.attrs["until"])  # the households whose year after has come by then
        raw = overlap.coach_effect_from_counts(snap.coach_effect_rows(area, domain, 365, 2, until))
        scope = self.scope(area)
        control = frozenset(x for x in self.areas if self.kind_of[x] == "control")
        day = self.intake_day(until)
        for (group, moment), row in e.iterrows():
            coached = group.startswith("coached")
            if not coached and not int(raw.loc[[g for g in raw.index if g[0].startswith("coached")], "households"].sum()):
                continue  # an area without coached households: no cohort is measured for it (all zero)
            who: Any = scope if coached else "control"  # one cohort, whatever the area filter
            keys: list[Any] = [("effect", domain, who, moment, b) for b in overlap.BINS]
            total: Any = ("effect", domain, who, moment, "households")
            if not coached and day is not None:
                total = ("cohort", day, domain, 2)
                if moment == "before intake":
                    keys = [("dist", day, domain, control, b) if b not in ("0", "1") else ("zero", b)
                            for b in overlap.BINS]
            for b, key in zip(overlap.BINS, keys, strict=True):
                a.publish(key, _value(row[b]), int(raw.loc[(group, moment), b]))
            a.publish(total, _value(row["households"]), int(raw.loc[(group, moment), "households"]))
            a.add_sum(keys, total)
            if coached and area is None:
                for b in [*overlap.BINS, "households"]:
                    a.add_sum([("effect", domain, frozenset([x]), moment, b) for x in self.areas],
                              ("effect", domain, scope, moment, b))


def _attack_dates(demo: Database, dates: list[date], *, effect: bool, tmp_path: Any,
                  inequalities: bool = False) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    k = disclosure_k()
    found = []
    for domain in DOMAINS:
        attack = Attack()
        report = Report(demo, attack)
        for as_of in dates:
            report.relations(as_of, domain)
            for area in [None, *report.areas]:
                report.publish(as_of, area, domain, audit)
            report.pair_relations(as_of, domain)
            if inequalities:
                report.pair_inequalities(as_of, domain)
        if effect:
            for area in [None, *report.areas]:
                report.publish_effect(area, domain, audit)
        assert attack.conflicts == [], "the same count is published with two values"
        assert attack.violated() == [], "an inequality the attacker is given does not hold"
        found += attack.recovered(k, report.total)
    assert found == [], "\n".join(f"{f.key}: true {f.true}, attacker knows {f.low}..{f.high}" for f in found)


@pytest.mark.parametrize("as_of", DATES, ids=str)
def test_the_pair_matrices_with_what_they_mean_reveal_no_small_cell(demo: Database, tmp_path: Any,
                                                                     as_of: date) -> None:
    """The overlap report and its filtered variants, given with every sum *and* what the pair matrices mean: a
    pair shares at most as many households as either organisation serves and as the households with 2+
    casemanagers, at least ``served(i) + served(j)`` minus the households, and no count is negative (an outside
    review narrowed 12 hidden pair cells of the demo to 0..5 that way, when each pair was protected only with
    the same pair in the other areas). The pair matrices of every area and of all areas, with the distribution,
    in one integer programme per group. This attacker knows more than one with the sums alone, so it stands for
    that attack too (one test per date, not two)."""
    _attack_dates(demo, [as_of], effect=False, tmp_path=tmp_path, inequalities=True)


def test_coach_effect_with_the_overlap_report_on_its_control_day_reveals_no_small_cell(
        demo: Database, tmp_path: Any) -> None:
    """The coach effect of every area filter, with the overlap report of every area on each day its control
    cohort is counted (the control row before intake is that day's control row from 2 casemanagers up)."""
    from queries.analytics.periods import data_day
    from queries.overview import data_period

    until = data_day(data_period(demo)[1], dutch_today())  # the coach effect's default: the data's last day
    days = {Report(demo, Attack()).intake_day(until)}
    _attack_dates(demo, sorted(d for d in days if d is not None), effect=True, tmp_path=tmp_path)


def test_cli_report_shows_one_cell_one_way_in_every_table_and_filter(demo: Database,
                                                                     test_env: dict[str, str]) -> None:
    """The observed failures, through ``wijknet report overlap --format json``: at 2010-01-01 (now the quarter's
    end before it, the dates the table is published for) the control row of
    ``by_area_kind`` showed a cell ``distribution`` hid, and ``--area LDH`` showed two cells the all-areas
    report hid. Now a cell reads the same (number or x) wherever it is published."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from queries.access import Role
    from tests.writers import cli_account

    env = {**os.environ, **test_env, "NEO4J_URI": demo.uri, "NEO4J_USER": demo.user,
           "NEO4J_PASSWORD": demo.password}
    wijknet = str(Path(sys.executable).parent / "wijknet")
    policymaker = cli_account(Role.POLICYMAKER)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([wijknet, "report", "overlap", "--as", policymaker, *args], env=env, capture_output=True, text=True,
                              timeout=300, check=False)

    def report(*extra: str) -> dict[str, Any]:
        out = run("--as-of", "2009-12-31", "--format", "json", *extra)
        assert out.returncode == 0, out.stderr
        return dict(json.loads(out.stdout))

    def rows(table: list[dict[str, Any]], key: str) -> dict[str, dict[str, str]]:
        # A column with an x is written as text: compare as text.
        return {r[key]: {c: str(v) for c, v in r.items() if c != key} for r in table}

    everywhere = report()
    dist = rows(everywhere["distribution"], "area")
    kinds = rows(everywhere["by_area_kind"], "area_kind")
    assert kinds["control"] == dist["SVZ"]  # the one control area: the same row, the same x's
    assert any(v == "x" for v in dist["LDH"].values())  # there is something to protect
    for area in ("NVL", "LDH", "SVZ"):
        one = report("--area", area)
        assert rows(one["distribution"], "area")[area] == dist[area]
        assert rows(one["distribution"], "area")[TOTAL] == dist[area]
    out = run("--area", "XYZ")
    assert out.returncode == 1 and "Unknown area 'XYZ'" in out.stdout + out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    # the pair matrix is published per year end only: another quarter end says so, in Dutch, and names the year
    # ends around it; asked for the matrix alone as CSV it says that instead of writing an empty file
    quarter = run("--as-of", "2009-09-30", "--format", "json")
    assert quarter.returncode == 0, quarter.stderr
    said = json.loads(quarter.stdout)
    assert said["pair_matrix"] == [] and said["pair_matrix_dates"] == ["2008-12-31", "2009-12-31"]
    assert "alleen per jaareinde (31 december) gepubliceerd, niet op 30-09-2009" in said["pair_matrix_note"]
    assert "Kies 31-12-2008 of 31-12-2009" in said["pair_matrix_note"]
    assert said["distribution"]  # the other tables stay quarterly
    csv = run("--as-of", "2009-09-30", "--format", "csv", "--table", "pair_matrix")
    assert csv.returncode == 1 and "Kies 31-12-2008 of 31-12-2009" in csv.stdout + csv.stderr
    assert "Traceback" not in csv.stdout + csv.stderr
    assert "pair_matrix_note" not in everywhere and everywhere["pair_matrix"]  # a year end: the matrix itself


def _trend_attack(demo: Database, tmp_path: Any, domain: str | None, first_year: int, last_year: int) -> Attack:
    """The trend of all areas and of every area over ``first_year``–``last_year``, each quarter with its sums,
    and consecutive quarters linked where a cell did not change: the attacker who knows that nothing happened
    in an area in a quarter (a small area, a quiet season) takes the cell shown on one quarter end for the same
    cell hidden on the next, or the other way round."""
    audit = AuditLog(tmp_path / "audit.sqlite")
    attack = Attack()
    report = Report(demo, attack)
    snap = report.snap
    assert snap is not None
    dates = overlap.quarter_ends(first_year, last_year)
    true = {x: overlap.trend_from_counts(snap.trend_rows(dates, x, domain), dates, report.per_area[x])
            for x in report.areas}
    cells: dict[Any, int] = {}
    for q, as_of in enumerate(dates):
        report.relations(as_of, domain)
        for s in [frozenset(report.areas), *(frozenset([x]) for x in report.areas)]:
            for b in overlap.BINS:
                cells[("dist", as_of, domain, s, b)] = sum(int(true[x].iloc[q][b]) for x in s)
    for area in [None, *report.areas]:
        shown = aggregates.overlap_trend(demo, audit, BELEID, first_year=first_year, last_year=last_year,
                                         area=area, life_domain=domain)
        s = report.scope(area)
        for q, as_of in enumerate(dates):
            for b in overlap.BINS:
                key = ("dist", as_of, domain, s, b)
                attack.publish(key, _value(shown.iloc[q][b]), cells[key])
            attack.publish(("hh", s), _value(shown.iloc[q][TOTAL]), sum(report.per_area[x] for x in s))
    for before, after in zip(dates, dates[1:], strict=False):
        for (what, day, dom, s, b), v in list(cells.items()):
            if day == before and cells[(what, after, dom, s, b)] == v:
                attack.add_sum([(what, before, dom, s, b)], (what, after, dom, s, b))
    assert attack.conflicts == [], "the same count is published with two values"
    return attack


@pytest.mark.parametrize("domain", [None, "ZORG_HULPVERLENING"], ids=str)
def test_the_trend_linked_over_consecutive_quarters_reveals_no_small_cell(demo: Database, tmp_path: Any,
                                                                          domain: str | None) -> None:
    """Each quarter protected on its own: a cell unchanged over two quarter ends, hidden on one and shown on the
    other (or hidden on both, with other cells of its rows changed), was given away by the union of the two
    quarters and the totals. Quarters are now protected as a chain."""
    attack = _trend_attack(demo, tmp_path, domain, 2004, 2012)
    found = attack.recovered(disclosure_k(), Report(demo, Attack()).total)
    assert found == [], f"{len(found)} cells: " + "\n".join(
        f"{f.key}: true {f.true}, attacker knows {f.low}..{f.high}" for f in found[:20])


def _link_unchanged(attack: Attack, truth: dict[Any, int], before: date, after: date, what: tuple[str, ...]
                    ) -> None:
    """Give ``attack`` every published cell of the kinds ``what`` that did not change from ``before`` to ``after``
    as one unknown on both dates (``truth``: every published cell's real count): the attacker who knows that
    nothing happened in between."""
    for key in [k for k in truth if isinstance(k, tuple) and k[0] in what and k[1] == before]:
        later = (key[0], after, *key[2:])
        if later in truth and truth[key] == truth[later]:
            attack.add_sum([key], later)


def test_the_flag_tables_linked_over_consecutive_quarters_reveal_no_small_cell(demo: Database, tmp_path: Any) -> None:
    """The two flag tables (2+ organisations on one member and domain, dubbele casemanager) of every quarter end,
    with their sums, and consecutive quarters linked where a flag cell did not change: the attacker who knows that
    nothing happened in an area in a quarter takes a cell shown on one quarter end for the same cell hidden on the
    next. Protected one quarter at a time, a secondary cell hidden on one date and shown, unchanged, on the next
    gave the first date's small cell away."""
    audit = AuditLog(tmp_path / "audit.sqlite")
    attack = Attack()
    report = Report(demo, attack)
    dates = overlap.quarter_ends(2004, 2012)
    for as_of in dates:
        report.relations(as_of, None)
        report.publish(as_of, None, None, audit, pairs=False)  # the flag tables are what is linked here
    truth = {**attack.hidden, **attack.shown}  # what every published cell really is
    for before, after in zip(dates, dates[1:], strict=False):
        _link_unchanged(attack, truth, before, after, ("same", "double"))
    small = [c for c, v in attack.hidden.items() if c[0] in ("same", "double") and 0 < v < disclosure_k()]
    links = [parts[0] for parts, _ in attack.sums if len(parts) == 1 and parts[0][0] in ("same", "double")]
    assert small and links  # the demo has small flag cells to protect and unchanged cells to link (63 and 98)
    assert attack.conflicts == [], "the same count is published with two values"
    found = attack.recovered(disclosure_k(), report.total)
    assert found == [], f"{len(found)} cells: " + "\n".join(
        f"{f.key}: true {f.true}, attacker knows {f.low}..{f.high}" for f in found[:20])


def test_the_pair_matrices_linked_over_consecutive_published_dates_reveal_no_small_cell(
        demo: Database, tmp_path: Any) -> None:
    """The organisation-pair matrices of all areas and of every area on two consecutive dates they are published
    for (year ends: 31-12-2008 and 31-12-2009), with their sums and what they mean (the diagonal, the households,
    the households with 2+ casemanagers), and the two dates linked where a cell did not change: the attacker who
    knows that nothing happened between them takes a pair cell shown on one date for the same cell hidden on the
    other, and intersects what each date alone leaves open of a cell hidden on both. Protected one quarter end at
    a time (each date alone passed :func:`test_the_pair_matrices_with_what_they_mean_reveal_no_small_cell`),
    31-12-2008 and 31-03-2009 narrowed 53 of the 2,840 small hidden pair cells of the demo to fewer than k
    values, 2 exactly. Now the pair matrix is published for year ends only, each protected together with the
    one before it, and the quarter ends between them publish no pair cell (they say where the matrix is)."""
    before, after = date(2008, 12, 31), date(2009, 12, 31)
    audit = AuditLog(tmp_path / "audit.sqlite")
    for between in overlap.quarter_ends(2009, 2009)[:-1]:  # 31-03, 30-06, 30-09-2009: no pair cell published
        for area in [None, *Report(demo, Attack()).areas]:
            v = aggregates.overlap_view(demo, audit, BELEID, as_of=between, area=area)
            assert v.pair_matrix.empty and v.pair_dates == (before, after), (between, area)
    attack = Attack()
    report = Report(demo, attack)
    for as_of in (before, after):
        report.relations(as_of, None)
        for area in [None, *report.areas]:
            report.publish(as_of, area, None, audit)
        report.pair_relations(as_of, None)
        report.pair_inequalities(as_of, None)
    _link_unchanged(attack, {**attack.hidden, **attack.shown}, before, after, ("pair", "dist", "same", "double"))
    small = [c for c, v in attack.hidden.items() if c[0] == "pair" and 0 < v < disclosure_k()]
    links = [parts[0] for parts, _ in attack.sums if len(parts) == 1 and parts[0][0] == "pair"]
    assert small and links
    assert attack.conflicts == [], "the same count is published with two values"
    assert attack.violated() == [], "an inequality the attacker is given does not hold"
    # The cells of one area are checked (a quarter of the programmes; the test stays a minute shorter): protected
    # one date at a time, LDH's matrix had 40 of the 53 cells of 31-12-2008 and 31-03-2009, and 11 of the 51 of
    # these two year ends (the same attack on every area's cells, run once on this change, recovered none).
    found = attack.recovered(disclosure_k(), report.total, only=lambda c: c[0] == "pair" and c[3] == {"LDH"})
    assert found == [], f"{len(found)} of {len(small)} small hidden pair cells ({len(links)} links): " + "\n".join(
        f"{f.key}: true {f.true}, attacker knows {f.low}..{f.high}" for f in found[:20])


LEAD = Actor("projectleider", Role.PROJECT_LEAD, "Gemeente Enschede")


def test_the_chain_lengths_with_the_handover_total_reveal_no_small_cell(demo: Database, tmp_path: Any) -> None:
    """The handover page's chain-length table (cases per number of handovers, with its total) beside the number of
    handovers in the period: that number is also the sum of length x cases, a weighted sum. Protected as a plain
    column with its total, chains of length 1 and 2 only (2012 of the demo) gave the hidden cells back: a + b = 47
    and a + 2b = 51, so b = 4 (an outside review). The attacker here also knows the longest routes the page lists
    (each a lower bound of its length's cases)."""
    from queries.analytics import handover_counts

    audit = AuditLog(tmp_path / "audit.sqlite")
    k = disclosure_k()
    snap = snapshot.current(demo)
    areas = Report(demo, Attack()).areas
    # (the years that gave cells back or withheld the table on the demo; the page counts per calendar year;
    # derived handovers, the page's default)
    derived = True
    periods = [(date(y, 1, 1), date(y, 12, 31)) for y in (2010, 2012)]
    small = withheld = 0
    for start, end in periods:
        for area in [None, *areas]:
            attack = Attack()
            v = aggregates.handover_view(demo, audit, LEAD, start=start, end=end, area=area,
                                         derived_handovers=derived)
            h = aggregates._handovers(demo, start, end, area, None, derived, 30, snap)
            true = handover_counts.chain_lengths(h)
            chains = v.chain_lengths
            if chains.empty:  # withheld: nothing of it is published
                withheld += 1
                continue
            lengths = [int(x) for x in chains.index if x != TOTAL]
            assert sorted(lengths) == sorted(int(x) for x in true.index)
            for n in lengths:
                attack.publish(("cases", n), _value(chains.loc[str(n), "cases"]), int(true[n]))
            attack.publish("chains", _value(chains.loc[TOTAL, "cases"]), int(true.sum()))
            attack.publish("handovers", v.handovers_shown, int(h.size))  # the page's key figure (hidden below k)
            attack.add_sum([("cases", n) for n in lengths], "chains")
            weighted = [(float(n), ("cases", n)) for n in lengths]
            attack.add_at_most([*weighted, (-1.0, "handovers")])                          # sum(n x cases) <= handovers
            attack.add_at_most([*((-a, c) for a, c in weighted), (1.0, "handovers")])     # and >= handovers
            routes = v.longest_chains.groupby("length")["cases"].sum() if len(v.longest_chains) else pd.Series()
            for n, at_least in routes.items():  # the routes listed are cases of their length
                attack.add_at_most([(-1.0, ("cases", int(n)))], -float(at_least))
            assert attack.violated() == []
            small += sum(1 for c, t in attack.hidden.items() if 0 < t < k)
            found = attack.recovered(k, 100_000)  # a hidden handover total: bounded by nothing the page shows
            assert found == [], f"{start}–{end}, area {area}: " + "; ".join(
                f"{f.key}: true {f.true}, attacker knows {f.low}..{f.high}" for f in found)
    assert small  # the demo has small chain cells to protect (and tables that are published)
    assert withheld < len(periods) * (1 + len(areas)) / 2


def test_the_coach_effects_control_group_is_the_same_whatever_the_area(demo: Database, tmp_path: Any) -> None:
    """The control rows of the coach effect are one cohort, whatever the area filter: the control area around the
    median intake of every coached household. Measured around the median intake of the filtered area's coached
    households, the all-areas table (04-02-2009) and the NVL one (02-02-2009) published two nearby days' control
    groups, 165 and 164 households, and their difference was one household with 2 casemanagers before and after
    (an outside review, on every quarter end)."""
    audit = AuditLog(tmp_path / "audit.sqlite")
    areas = Report(demo, Attack()).areas
    tables = {area: aggregates.coach_effect_view(demo, audit, BELEID, area=area) for area in [None, *areas]}
    control = {area: t[[not str(g).startswith("coached") for g, _ in t.index]] for area, t in tables.items()}
    assert len(control[None]) == 2 and int(control[None]["households"].fillna(0).max()) > 0
    coached = [a for a in areas if int(tables[a]["households"].fillna(0).max()) > 0]  # a control area: nothing
    assert len(coached) >= 2
    for area in coached:
        pd.testing.assert_frame_equal(control[area], control[None], obj=f"the control rows with area {area}")


def test_periods_that_overlap_are_not_both_published(demo: Database, tmp_path: Any) -> None:
    """An outside test read the handovers of 2010 (8, hidden on the page of 2010) as the difference of the totals of
    2009 and 2009-2010, and per area the same (3, 2 and 3); on the collaboration page referrals and advice per
    organisation likewise (MEE Twente's 1 advice of 2008 from 2009 and 2008-2009). Each page hid its own small cells,
    but two periods that overlap publish the same events twice. The figures are now counted per calendar year: any
    other period is refused, so no two published tables count the same events."""
    from queries.aggregates import year_period

    audit = AuditLog(tmp_path / "audit.sqlite")
    for view in (aggregates.handover_view, aggregates.collaboration_view):
        for start, end in ((date(2009, 1, 1), date(2010, 12, 31)), (date(2009, 7, 1), date(2009, 9, 30)),
                           (date(2009, 1, 2), date(2009, 12, 31)), (date(2008, 12, 31), date(2009, 12, 30))):
            with pytest.raises(WijknetError, match="per calendar year") as refused:
                view(demo, audit, LEAD, start=start, end=end)  # type: ignore[operator]
            assert "per kalenderjaar" in user_message(refused.value)
        start, end = year_period(2010)
        assert view(demo, audit, LEAD, start=start, end=end) is not None  # type: ignore[operator]
    # the page of 2010 hides its total, as it did: what the attack read from the difference
    assert aggregates.handover_view(demo, audit, LEAD, start=date(2010, 1, 1), end=date(2010, 12, 31)
                                    ).handovers_shown is None


def test_the_collaboration_page_per_area_beside_all_areas_reveals_no_small_cell(demo: Database, tmp_path: Any) -> None:
    """An outside test (08-12-2026): on *Samenwerking partners* all areas minus two areas gave the third area's
    hidden cell back — 11 − 0 − 10 = 1 household of Nieuwe Velve in the shelter in 2011 (the organisations'
    households), and 17 hidden shared-household ties of 2009. Every count of the page (households per
    organisation, the ties of every type, the advice per outcome, the referrals and those never started) for the
    whole and for each area, given to the attacker with the sums they know (a household lives in one area), pins
    no hidden cell below k to a window narrower than k."""
    audit = AuditLog(tmp_path / "audit.sqlite")
    k = disclosure_k()
    areas = Report(demo, Attack()).areas
    small = 0
    for year in (2009, 2011):
        start, end = aggregates.year_period(year)
        attack = Attack()
        views = {area: aggregates.collaboration_view(demo, audit, LEAD, start=start, end=end, area=area)
                 for area in [None, *areas]}
        snap = snapshot.current(demo)
        lead = snap if snap is not None and snap.lead_facts else None
        true = {area: aggregates._collab_counts(demo, snap, lead, start, end, area, None, True, 30)
                for area in views}
        rows: dict[str, set[Any]] = {}
        for area, v in views.items():
            t = true[area]
            where = area or "*"
            for org, n in v.organisations["households"].items():
                attack.publish(("households", org, where), _value(n), int(t.served.get(org, 0)))
                rows.setdefault("households", set()).add(org)
                advice = t.advice(org)
                for c in ("adopted", "refused", "debated", "advice"):
                    attack.publish((c, org, where), _value(v.organisations.loc[org, c]), advice[c])
                    rows.setdefault(c, set()).add(org)
                attack.add_sum([(c, org, where) for c in ("adopted", "refused", "debated")], ("advice", org, where))
            truth = {(ty, r.source, r.target): int(r.n) for ty, e in t.typed.items() for r in e.itertuples()}
            for r in v.edges.itertuples():
                attack.publish(("tie", (r.type, r.source, r.target), where), _value(r.n),
                               truth[(r.type, r.source, r.target)])
                rows.setdefault("tie", set()).add((r.type, r.source, r.target))
            for c in ("referrals", "not_started"):
                counts = t.followup(c)
                for org, n in zip(v.followup["organisation"], v.followup[c], strict=True):
                    attack.publish((c, org, where), _value(n), counts.get(org, 0))
                    rows.setdefault(c, set()).add(org)
        for what, keys in rows.items():
            for key in keys:  # an area that does not list the row has none of it
                for area in [None, *areas]:
                    if (what, key, area or "*") not in attack.hidden and (what, key, area or "*") not in attack.shown:
                        attack.publish((what, key, area or "*"), 0, 0)
                attack.add_sum([(what, key, a) for a in areas], (what, key, "*"))
        assert attack.violated() == []
        small += sum(1 for c, t_ in attack.hidden.items() if 0 < t_ < k)
        found = attack.recovered(k, 100_000)
        assert found == [], f"{year}: " + "; ".join(
            f"{f.key}: true {f.true}, attacker knows {f.low}..{f.high}" for f in found[:10])
    assert small  # the demo's areas have small cells to protect
