"""Aggregate views against the real Neo4j: hand-built records with exact expected values (the demo: test_demo_overlap.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from graph.db import Database
from graph.errors import AccessDenied, WijknetError
from ingest.loader import load_records
from queries import aggregates, counting, snapshot
from queries.access import Actor, Role
from queries.analytics import overlap
from queries.analytics.disclosure import TOTAL, recoverable_cells
from queries.audit import AuditLog
from tests import overlap_oracle as oracle

AS_OF = date(2008, 12, 31)  # the end of a quarter: the overlap table is published for those only
INTAKE = date(2008, 9, 1)
S = "test"
BELEID = Actor("beleid", Role.POLICYMAKER, "Gemeente Enschede")
LEAD = Actor("projectleider", Role.PROJECT_LEAD, "Gemeente Enschede")
COACH = Actor("coach1", Role.COACH, "Wijkcoaches", "P-COACH")

# Professionals: id -> (organisation, function, life domain of their involvements)
PROS: dict[str, tuple[str, str, str]] = {
    "P-A": ("OA", "maatschappelijk werker", "ZORG_HULPVERLENING"),
    "P-B": ("OB", "schuldhulpverlener", "INKOMEN_FINANCIEN_SCHULDEN"),
    "P-C": ("OC", "consulent W&B", "INKOMEN_FINANCIEN_SCHULDEN"),
    "P-D": ("OB", "schuldhulpverlener", "INKOMEN_FINANCIEN_SCHULDEN"),
    "P-E": ("OE", "woonbegeleider", "WONEN"),
    "P-F": ("OF", "gezinscoach", "ZORG_HULPVERLENING"),
    "P-COACH": ("ORG-WIJKCOACH", "wijkcoach", "ZORG_HULPVERLENING"),
}
ELEVEN = [  # seed 002's household: (professional, organisation, function, domain, members)
    ("P-TACTUS", "ORG-TACTUS", "reclassering", "VEILIGHEID_JUSTITIE", ["F"]),
    ("P-WB", "ORG-WB", "consulent W&B", "INKOMEN_FINANCIEN_SCHULDEN", ["F"]),
    ("P-HG", "ORG-HG", "huiselijk geweld", "VEILIGHEID_JUSTITIE", ["F", "M"]),
    ("P-GGZ", "ORG-MEDIANT", "GGZ", "GEZONDHEID_WELZIJN", ["M"]),
    ("P-MPA", "ORG-MPA", "multiprobleem", "ZORG_HULPVERLENING", ["M"]),
    ("P-RMC", "ORG-RMC", "trajectbegeleider", "ONDERWIJS_OPVOEDING", ["S"]),
    ("P-JIB", "ORG-JIB", "JIB", "VEILIGHEID_JUSTITIE", ["S"]),
    ("P-BJZ1", "ORG-BJZ", "casemanager jeugdzorg", "ZORG_HULPVERLENING", ["S"]),
    ("P-ZN", "ORG-ZN", "zorgbegeleider", "ZORG_HULPVERLENING", ["S"]),
    ("P-BJZ2", "ORG-BJZ", "casemanager jeugdzorg", "ZORG_HULPVERLENING", ["D"]),
    ("P-SHG", "ORG-SHG", "steunpunt", "VEILIGHEID_JUSTITIE", ["D"]),
]


def records() -> Iterator[tuple[str, dict[str, Any]]]:
    """41 households. As of 2009-01-15, NVL: 5 with nobody, 5 with one, 10 with two (5 of them coached
    since 2008-09-01, who had four before), 5 with four, 1 with eleven; SVZ (control): 6 with nobody (one
    of them only through a member who moved out), 4 with one, 5 with two."""
    yield "area", {"code": "NVL", "name": "Nieuwe Velve", "kind": "experiment", "source": S}
    yield "area", {"code": "SVZ", "name": "Stadsveld-Zuid", "kind": "control", "source": S}
    orgs = {o for o, *_ in PROS.values()} | {o for _, o, *_ in ELEVEN}
    for o in sorted(orgs):
        yield "organisation", {"id": o, "name": f"Organisatie {o}", "sector": "zorg", "source": S,
                               "covenant_group": "gemeente" if o == "ORG-WIJKCOACH" else "wijkzorgteam"}
    for p, (o, f, _) in PROS.items():
        yield "professional", {"id": p, "name": p, "function": f, "organisation_id": o, "since": date(2000, 1, 1),
                               "is_coach": p == "P-COACH", "source": S}
    for p, o, f, _, _ in ELEVEN:
        yield "professional", {"id": p, "name": p, "function": f, "organisation_id": o, "since": date(2000, 1, 1),
                               "source": S}
    n = 0
    handovers: list[tuple[str, str, str]] = []

    def household(hid: str, area: str) -> Iterator[tuple[str, dict[str, Any]]]:
        yield "household", {"id": hid, "address_key": f"{hid}-addr", "postcode": "7533AA",
                            "house_number": int(hid[1:]), "area_code": area, "source": S}

    def member(hid: str, pid: str, until: date | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        yield "person", {"id": pid, "birth_year": 1970, "source": S}
        yield "membership", {"household_id": hid, "person_id": pid, "role": "overig", "since": date(2000, 1, 1),
                             "until": until, "source": S}

    def involve(pro: str, *, hid: str | None = None, persons: list[str] | None = None,
                since: date = date(2007, 1, 1), until: date | None = None, domain: str | None = None
                ) -> tuple[str, dict[str, Any]]:
        nonlocal n
        n += 1
        o, f, d = PROS[pro]
        d = domain or d
        return "involvement", {"id": f"I{n:03d}", "professional_id": pro, "organisation_id": o, "life_domain": d,
                               "role": "casemanager", "since": since, "until": until, "function": f,
                               "person_ids": persons, "household_id": hid, "source": S}

    for i in range(1, 27):
        hid = f"N{i:02d}"
        yield from household(hid, "NVL")
        pid = f"{hid}-M"
        yield from member(hid, pid)
        if i <= 5:  # long ago: E -> F -> E on housing in 2006 (derived handovers, a ping-pong, in one year)
            yield involve("P-E", hid=hid, since=date(2005, 1, 1), until=date(2006, 6, 30))
            yield involve("P-F", hid=hid, since=date(2006, 7, 10), until=date(2006, 10, 31), domain="WONEN")
            yield involve("P-E", hid=hid, since=date(2006, 11, 5), until=date(2007, 6, 30))
        elif 6 <= i <= 10:
            yield involve("P-A", hid=hid)
        elif 11 <= i <= 15:
            yield involve("P-A", persons=[pid])
            yield involve("P-B", persons=[pid])
        elif 16 <= i <= 20:  # coached: four before intake, then the coach and the specialist D
            for p in ("P-A", "P-B", "P-C"):
                yield involve(p, persons=[pid], until=date(2008, 10, 31))
                if p == "P-A":
                    a_id = f"I{n:03d}"
            yield involve("P-D", persons=[pid])
            yield involve("P-COACH", hid=hid, since=INTAKE)
            handovers.append((a_id, f"I{n:03d}", hid))
            yield "caseload", {"professional_id": "P-COACH", "household_id": hid, "since": INTAKE, "source": S}
        elif 21 <= i <= 25:
            for p in ("P-A", "P-B", "P-C", "P-D"):
                yield involve(p, persons=[pid])
            yield "consultation", {"id": f"C{i}", "household_id": hid, "date": date(2008, 5, 1),
                                   "professional_ids": ["P-A", "P-B", "P-C"], "source": S}
        elif i == 26:
            for m in ("F", "M", "S", "D"):
                yield from member(hid, f"{hid}-{m}")
            for k, (p, o, f, d, who) in enumerate(ELEVEN):
                yield "involvement", {"id": f"E{k:02d}", "professional_id": p, "organisation_id": o,
                                      "life_domain": d, "role": "casemanager", "since": date(2004, 1, 1),
                                      "function": f, "person_ids": [f"{hid}-{w}" for w in who], "source": S}
    for i in range(1, 16):
        hid = f"S{i:02d}"
        yield from household(hid, "SVZ")
        pid = f"{hid}-M"
        yield from member(hid, pid, until=date(2008, 3, 31) if i == 6 else None)
        if i == 6:
            yield involve("P-E", persons=[pid])  # the member moved out: no longer counts for S06
        elif 7 <= i <= 10:
            yield involve("P-E", hid=hid)
        elif i >= 11:
            yield involve("P-E", persons=[pid])
            yield involve("P-F", persons=[pid])
    for j, (a, b, _hid) in enumerate(handovers):  # A hands over to the coach at intake
        yield "handover", {"id": f"HO{j}", "from_involvement_id": a, "to_involvement_id": b, "date": INTAKE,
                           "source": S}
    for j, (acc, start) in enumerate([(2, 10), (4, 20), (6, 30), (8, 40), (10, None)]):
        day = date(2008, 1, 1)
        yield "referral", {"id": f"R{j}", "professional_id": "P-A", "organisation_id": "OE", "date": day,
                           "life_domain": "WONEN", "accepted_at": day + timedelta(days=acc),
                           "started_at": None if start is None else day + timedelta(days=start),
                           "household_id": f"N{6 + j:02d}", "source": S}
    yield "mandate", {"id": "M1", "organisation_id": "OB", "life_domain": "INKOMEN_FINANCIEN_SCHULDEN",
                      "decision_type": "schuldhulp", "since": INTAKE, "source": S}
    yield "mandate_holder", {"mandate_id": "M1", "professional_id": "P-COACH", "since": INTAKE, "source": S}
    for j in range(7):
        yield "advice", {"id": f"ADV{j}", "mandate_id": "M1", "professional_id": "P-COACH",
                         "household_id": f"N{16 + j % 5}", "date": date(2009, 2, 1),
                         "outcome": "refused" if j == 6 else "adopted", "source": S}


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


@pytest.fixture()
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.sqlite")


def test_raw_counts_through_neo4j_are_exact(loaded: Database) -> None:
    t = reference_involvements(loaded, AS_OF, AS_OF, None, None)
    per = oracle.caseworkers_per_household(t, AS_OF)
    assert per["N26"] == 11
    assert t.loc[t["household_id"] == "N26", "organisation_id"].nunique() == 10
    assert "S06" not in per.index  # the member moved out before as_of
    dist = oracle.overlap_distribution(t, {"NVL": 26, "SVZ": 15}, AS_OF)
    assert dist.loc["NVL"].tolist() == [5, 5, 10, 5, 0, 1]
    assert dist.loc["SVZ"].tolist() == [6, 4, 5, 0, 0, 0]


def test_overlap_view_applies_disclosure_control(loaded: Database, audit: AuditLog) -> None:
    v = aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, k=5)
    d = v.distribution
    assert d.loc[TOTAL, TOTAL] == 41
    assert d.loc["NVL", "1"] == 5 and d.loc["NVL", "3–4"] == 5 and d.loc["SVZ", "2"] == 5
    assert d.loc["SVZ", "1"] is pd.NA and d.loc["NVL", "10+"] is pd.NA  # 4 and 1 are below k=5
    # SVZ "0" is 6 as on 30-09-2008, where it was hidden: an unchanged cell keeps its state over the quarters
    # (the chain of quarters), and NVL "2" (10, was 5) is hidden beside it.
    assert d.loc["SVZ", "0"] is pd.NA and d.loc["NVL", "2"] is pd.NA
    assert recoverable_cells(d) == []
    assert v.by_area_kind.loc["experiment", TOTAL] == 26
    # 2+ organisations on one member and domain: N21-N25 (B and C on debts) and N26 (the son) -> 6.
    assert v.same_member_domain.loc["NVL"].tolist() == [6, 20, 26]
    # dubbele casemanager: N21-N25 have B and D (both schuldhulpverlener; in N16-N20 B ended in October),
    # N26 two jeugdzorg casemanagers -> 6.
    assert v.double_casemanager.loc["NVL"].tolist() == [6, 20, 26]
    assert v.same_member_domain.loc["SVZ"].tolist() == [0, 15, 15]
    m = v.pair_matrix
    assert m.loc["OA", "OB"] == 10 and m.loc["OB", "ORG-WIJKCOACH"] == 5 and m.loc["OA", "OC"] == 5
    assert m.loc["OE", "OF"] == 5 and m.loc["OE", "OE"] == 9
    assert m.loc["ORG-BJZ", "ORG-ZN"] is pd.NA  # one household only
    assert m.loc["OA", "OE"] == 0
    recs = list(audit.records())
    assert [(r.user, r.action, r.result) for r in recs] == [("beleid", "view_overlap", "ok")]
    assert "as_of=2008-12-31" in recs[0].detail
    # a home page's key figures: the same tables without the pair matrix (its protection only hides pair cells)
    bare = aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, k=5, pairs=False)
    assert bare.pair_matrix.empty
    for name in ("distribution", "by_area_kind", "same_member_domain", "double_casemanager"):
        pd.testing.assert_frame_equal(getattr(bare, name), getattr(v, name))
    assert not aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, k=5).pair_matrix.empty  # not cached as one


def test_the_overlap_table_is_published_for_quarter_ends_only_each_a_row_of_the_trend(loaded: Database,
                                                                                      audit: AuditLog) -> None:
    """Two nearby dates count almost the same households, and the cells shown on one pinned a cell hidden on the
    other (docs/security.md): a day that is not a quarter's end is refused with the two nearest, before anything
    is read or audited; on a quarter's end the distribution is that quarter's row of the trend, cell for cell; the
    pair matrix is there on year ends only."""
    for day, before, after in ((date(2009, 1, 15), "31-12-2008", "31-03-2009"),
                               (date(2008, 12, 30), "30-09-2008", "31-12-2008"),
                               (date(2009, 4, 1), "31-03-2009", "30-06-2009")):
        with pytest.raises(WijknetError, match=f"{day:%d-%m-%Y} is not one. Choose {before} or {after}"):
            aggregates.overlap_view(loaded, audit, BELEID, as_of=day, k=5)
    assert list(audit.records()) == []
    trend = aggregates.overlap_trend(loaded, audit, BELEID, first_year=2008, last_year=2009, k=5)
    for quarter, day in zip(trend.index, overlap.quarter_ends(2008, 2009), strict=True):
        v = aggregates.overlap_view(loaded, audit, BELEID, as_of=day, k=5)
        row = v.distribution.loc[TOTAL]
        assert row.astype(object).tolist() == trend.loc[quarter].astype(object).tolist(), quarter
        # the organisation pairs are published per year end only (a chain of year ends, docs/security.md): another
        # quarter end has none, and names the year ends around it
        year_end = day.month == 12
        assert v.pair_matrix.empty != year_end, day
        assert v.pair_dates == (() if year_end else (date(day.year - 1, 12, 31), date(day.year, 12, 31))), day


def test_filters_change_the_numbers(loaded: Database, audit: AuditLog) -> None:
    svz = aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, area="SVZ", k=5)
    assert svz.distribution.index.tolist() == ["SVZ", TOTAL]
    assert svz.distribution.loc[TOTAL, TOTAL] == 15
    wonen = aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, life_domain="WONEN", k=5)
    # Only P-E works in WONEN: SVZ 9 households with one; NVL nobody.
    assert wonen.distribution.loc["NVL", "0"] == 26
    assert wonen.distribution.loc["SVZ"].tolist()[:3] == [6, 9, 0]


def test_trend_per_quarter(loaded: Database, audit: AuditLog) -> None:
    tr = aggregates.overlap_trend(loaded, audit, BELEID, first_year=2008, last_year=2009, k=5)
    assert tr.index.tolist()[:2] == ["2008-Q1", "2008-Q2"]
    # 2008-Q2: nobody 5 + 6, one 5 + 4, two 5 + 5, four 10 (coached and not yet), eleven 1. The 1 is
    # hidden and, as each quarter is protected together with its areas (SVZ's one: 4), so are complements;
    # every cell shown is exact.
    row = tr.loc["2008-Q2"]
    true = {"0": 11, "1": 9, "2": 10, "3–4": 10, "5–9": 0, "10+": 1, TOTAL: 41}
    assert row["10+"] is pd.NA and row[TOTAL] == 41 and row["5–9"] == 0
    assert all(row[c] is pd.NA or row[c] == v for c, v in true.items())
    assert sum(row[c] is pd.NA for c in true) >= 2
    assert TOTAL not in tr.index  # summing quarters would count a household once per quarter


def test_coach_effect(loaded: Database, audit: AuditLog) -> None:
    # measured up to a day after the coached households' year (the records end on 31-10-2008, before it)
    e = aggregates.coach_effect_view(loaded, audit, BELEID, k=5, until=date(2009, 9, 1))
    assert (e.attrs["until"], e.attrs["left_out"]) == ("2009-09-01", 0)
    assert e.loc[("coached (experiment)", "before intake"), "3–4"] == 5
    assert e.loc[("coached (experiment)", "before intake"), "mean"] == 4.0
    assert e.loc[("coached (experiment)", "365 days after"), "mean"] == 2.0
    # The control cohort (S11-S15 with E and F on 2008-08-31, the day before the median intake) is the
    # control area's "2" cell of the distribution on that day; there it is hidden as the complement of SVZ's
    # "1" (4 < k), so it is hidden here too, and so are the means of its rows.
    control = e.loc[("control area", "before intake")]
    assert control["households"] is pd.NA and control["mean"] is pd.NA and control["3–4"] == 0
    # (the overlap table itself is published for quarter ends only: the cohort's day is counted the same way)
    counts, snap = counting.overlap_counts(loaded)
    day = aggregates._overlap_tables(aggregates._counted_request(counts, snap, 5, None), date(2008, 8, 31), None,
                                     None).distribution
    assert day.loc["SVZ", "1"] is pd.NA and day.loc["SVZ", "2"] is pd.NA
    assert e.loc[("control area", "365 days after"), "mean"] is pd.NA
    with pytest.raises(WijknetError, match="at least 2 casemanagers"):
        aggregates.coach_effect_view(loaded, audit, BELEID, min_before=1, k=5)


@pytest.mark.parametrize(("until", "left_out"), [(None, 5), (date(2009, 8, 31), 5), (date(2009, 9, 1), 0)])
def test_the_coach_effect_leaves_out_households_whose_year_after_has_not_come(
        loaded: Database, audit: AuditLog, until: date | None, left_out: int) -> None:
    """The five coached households' intake is 01-09-2008: their year after ends on 01-09-2009. Before that day
    (and by default: the records' last day, 31-10-2008) none of them is counted, and the control group, measured
    around their median intake, goes with them."""
    e = aggregates.coach_effect_view(loaded, audit, BELEID, k=5, until=until)
    assert e.attrs == {"until": (until or date(2008, 10, 31)).isoformat(), "left_out": left_out}
    coached = int(e.loc[("coached (experiment)", "before intake"), "households"])
    assert coached == 5 - left_out
    assert int(e.loc[("coached (experiment)", "365 days after"), "households"]) == coached
    if left_out:
        assert e["households"].fillna(0).sum() == 0  # no control cohort without a coached one
    # below k the number left out is not published
    assert aggregates.coach_effect_view(loaded, audit, BELEID, k=6, until=until).attrs["left_out"] == (
        None if left_out else 0)


def test_roles_are_enforced_and_denials_audited(loaded: Database, audit: AuditLog) -> None:
    with pytest.raises(AccessDenied, match="may not"):
        aggregates.overlap_view(loaded, audit, COACH, as_of=AS_OF)
    assert [(r.action, r.result) for r in audit.records()] == [("view_overlap", "denied")]
    aggregates.overlap_view(loaded, audit, LEAD, as_of=AS_OF)


def test_unknown_life_domain_is_one_sentence(loaded: Database, audit: AuditLog) -> None:
    from graph.errors import WijknetError

    with pytest.raises(WijknetError, match="Unknown life domain 'SPORT'"):
        aggregates.overlap_view(loaded, audit, BELEID, as_of=AS_OF, life_domain="SPORT")


PERIOD = {"start": date(2008, 1, 1), "end": date(2009, 12, 31)}


def test_collaboration_view(loaded: Database, audit: AuditLog) -> None:
    v = aggregates._collaboration_view(loaded, audit, LEAD, **PERIOD, k=5)
    e = v.edges.set_index(["type", "source", "target"])["n"]
    assert e[("shared", "OA", "OB")] == 15  # N11-N25
    assert e[("shared", "OA", "ORG-WIJKCOACH")] == 5  # A until October overlaps the coach from September
    assert e[("shared", "OE", "OF")] == 5
    assert e[("handover", "OA", "ORG-WIJKCOACH")] == 5
    assert e[("referral", "OA", "OE")] == 5
    assert e[("consultation", "OA", "OB")] == 5 and e[("consultation", "OB", "OC")] == 5
    assert e[("shared", "ORG-BJZ", "ORG-ZN")] is pd.NA  # one household
    o = v.organisations
    assert o.loc["OA", "households"] == 20
    assert o.loc["OA", "degree"] == 3  # OB, OC, the coach
    assert o.loc["OB", "mandates"] == 1
    # 6 adopted + 1 refused = 7 advice, shown: the 1 is hidden and, as the three add up to the advice shown
    # with them, so is the 6 (and the share, which with the advice would give it back).
    assert o.loc["OB", "advice"] == 7 and o.loc["OB", "debated"] == 0
    assert o.loc["OB", "refused"] is pd.NA and o.loc["OB", "adopted"] is pd.NA
    assert pd.isna(o.loc["OB", "adopted_share"])
    f = v.followup.set_index("organisation")
    assert f.loc["OE", "referrals"] == 5
    assert f.loc["OE", "median_days_to_accept"] == 6.0 and f.loc["OE", "median_days_to_start"] == 25.0
    assert f.loc["OE", "not_started"] is pd.NA  # 1 < k
    with pytest.raises(AccessDenied):
        aggregates._collaboration_view(loaded, audit, BELEID, **PERIOD)


@pytest.mark.parametrize("edge_type", ["shared", "handover", "referral", "consultation"])
def test_collaboration_metrics_give_no_hidden_tie_back(loaded: Database, audit: AuditLog, edge_type: str) -> None:
    """An organisation's strength, degree and betweenness come from the ties the view shows: strength minus the
    shown ties of an organisation was a hidden tie (a review recovered 70 that way on the demo)."""
    for k in (5, 16):
        v = aggregates._collaboration_view(loaded, audit, LEAD, **PERIOD, k=k, edge_type=edge_type)
        shown = v.edges[v.edges["type"].eq(edge_type) & v.edges["n"].notna()]
        hidden = v.edges[v.edges["type"].eq(edge_type) & v.edges["n"].isna()]
        for org, row in v.organisations.iterrows():
            mine = shown[shown["source"].eq(org) | shown["target"].eq(org)]
            assert row["strength"] == int(mine["n"].sum()), (k, org)
            assert row["degree"] == len((set(mine["source"]) | set(mine["target"])) - {org}), (k, org)
        if k == 16:
            assert len(hidden) > 0  # the case the test is about: some ties are hidden


def test_handover_view(loaded: Database, audit: AuditLog) -> None:
    v = aggregates._handover_view(loaded, audit, LEAD, start=date(2004, 1, 1), end=date(2012, 12, 31), k=5)
    assert v.handovers == 15  # 5 explicit (A -> coach) + 10 derived (E -> F -> E)
    pairs = v.pairs.set_index(["source", "target"])["n"].to_dict()
    assert pairs == {("OA", "ORG-WIJKCOACH"): 5, ("OE", "OF"): 5, ("OF", "OE"): 5}
    comm = v.org_communities.groupby("community")["organisation"].apply(sorted).tolist()
    assert comm == [["OA", "ORG-WIJKCOACH"], ["OE", "OF"]]  # equal sizes: ordered by first member
    assert v.org_quality["modularity"] == pytest.approx(0.4444, abs=1e-4)
    assert v.org_quality["algorithm"] == "Louvain (networkx)" and v.org_quality["seed"] == 2008
    assert v.chain_lengths["cases"].tolist() == [5, 5, 10]
    # a single handover (OA → coach) is a pair, not a route
    assert v.longest_chains.to_dict("records") == [{"route": "OE → OF → OE", "length": 2, "cases": 5}]
    assert v.ping_pong.to_dict("records") == [{"a": "OE", "b": "OF", "n": 5}]
    explicit = aggregates._handover_view(loaded, audit, LEAD, start=date(2004, 1, 1), end=date(2012, 12, 31),
                                        derived_handovers=False, k=5)
    assert explicit.handovers == 5
    # Per pair, area and quarter the handovers add up to the total shown (15): with k = 10 every 5 is hidden
    # and none of them is the total minus the others.
    small = aggregates._handover_view(loaded, audit, LEAD, start=date(2004, 1, 1), end=date(2012, 12, 31), k=10)
    assert small.handovers == 15
    assert small.pairs["n"].isna().all() and small.periods["n"].isna().all() and small.edges["n"].isna().all()
    assert [r.action for r in audit.records()] == ["view_handovers"] * 3


def test_handover_view_answers_the_whole_period_beyond_the_row_cap(
        loaded: Database, audit: AuditLog, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    capped = replace(loaded, row_cap=8)  # the same server and driver; the 15 handovers would not fit as rows
    snapshot.current(loaded, wait=True)
    # Counted from the snapshot: every handover of the region and period, no row read per handover.
    assert aggregates._handover_view(capped, audit, LEAD, start=date(2004, 1, 1), end=date(2012, 12, 31),
                                    k=5).handovers == 15
    # While a fresh snapshot is being read the page reads the handovers from the graph: there the cap guards.
    monkeypatch.setattr(snapshot, "current", lambda db, wait=False, max_age_s=0.0: None)
    with pytest.raises(WijknetError, match="more than 8 handovers") as refused:
        aggregates._handover_view(capped, audit, LEAD, start=date(2004, 1, 1), end=date(2012, 12, 31), k=5)
    from app.errors import user_message

    assert "meer dan 8 overdrachten" in user_message(refused.value)  # what the page says
    assert aggregates._handover_view(capped, audit, LEAD, start=date(2004, 1, 1), end=date(2012, 12, 31),
                                    derived_handovers=False, k=5).handovers == 5


# --- Counting in Cypher = counting in Python (the reference that defines the metric) ---

def reference_involvements(db: Database, start: date, end: date, area: str | None, life_domain: str | None
                           ) -> pd.DataFrame:
    """The involvement rows the Python reference counts (the views count them in Cypher instead)."""
    from queries.registry import run

    rows = run(db, "overlap_involvements", {"from": start, "to": end, "area": area, "life_domain": life_domain}).rows
    return oracle.involvement_table(aggregates._dates(rows, "since", "until"))


CASES = [(AS_OF, None, None), (AS_OF, "SVZ", None), (AS_OF, None, "WONEN"), (date(2006, 9, 30), None, None),
         (date(2011, 6, 30), "NVL", "ZORG_HULPVERLENING")]


def keyed(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], int]:
    """Rows of a counting query as {key: households}; an unordered organisation pair in one order."""
    out: dict[tuple[Any, ...], int] = {}
    for r in rows:
        r = {k: aggregates._native(v) for k, v in r.items()}
        if r.get("org_a") is not None and r["org_a"] > r["org_b"]:
            r["org_a"], r["org_b"] = r["org_b"], r["org_a"]
        key = tuple(sorted((k, v) for k, v in r.items() if k != "households"))
        out[key] = out.get(key, 0) + int(r["households"])
    return out


def handover_events(db: Database, start: date, end: date, area: str | None, life_domain: str | None,
                    derived: bool, gap_days: int) -> pd.DataFrame:
    """The handovers of the graph as the pandas reference's event table (one row per handover)."""
    from queries.registry import run

    params = {"from": start, "to": end, "area": area, "life_domain": life_domain}
    rows = run(db, "handover_edges", params, row_cap=10**7).rows
    if derived:
        rows += run(db, "handover_derived", {**params, "gap_days": gap_days}, row_cap=10**7).rows
    cols = ["date", "from_professional", "from_organisation", "to_professional", "to_organisation",
            "life_domain", "household_id", "area", "kind"]
    return pd.DataFrame(aggregates._dates(rows, "date"), columns=cols)


def keyed_counts(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows of a counting query in one order, lists sorted (the order inside collect() is arbitrary)."""
    return sorted((tuple((k, sorted(v) if isinstance(v, list) else v) for k, v in sorted(r.items())) for r in rows),
                  key=repr)


def assert_database_counts_equal_reference(db: Database) -> None:
    """Every aggregate the views count in the database equals the Python reference on the involvement rows,
    and the overlap snapshot (queries.snapshot) returns exactly the rows of the database counts."""
    from queries.analytics import collaboration, communities, handover_counts
    from queries.registry import run

    snap = snapshot.read_snapshot(db, "test")
    engines: list[counting.OverlapCounts] = [snap, counting.CypherCounts(db)]
    for as_of, area, domain in CASES:
        assert keyed(snap.overlap_rows(as_of, area, domain)) == keyed(
            run(db, "overlap_counts", {"as_of": as_of, "area": area, "life_domain": domain}).rows)
        pd.testing.assert_frame_equal(snap.households(area), aggregates._households(db, area))
        t = reference_involvements(db, as_of, as_of, area, domain)
        hh = aggregates._households(db, area)
        per_area = hh.set_index("area")["households"].astype("int64").to_dict()
        per_kind = hh.groupby("area_kind")["households"].sum().astype("int64").to_dict()
        want = {"distribution": oracle.overlap_distribution(t, per_area, as_of),
                "by_area_kind": oracle.overlap_distribution(t, per_kind, as_of, by="area_kind"),
                "same_member_domain": oracle.same_member_domain(t, as_of).reindex(list(per_area), fill_value=0),
                "double_casemanager": oracle.double_casemanagers(t, as_of).reindex(list(per_area), fill_value=0),
                "pair_matrix": oracle.pair_matrix(t, as_of)}
        for engine in engines:  # both production backends give the oracle's tables
            got = overlap.from_database_counts(engine.overlap_rows(as_of, area, domain), per_area, per_kind)
            for name, table in want.items():
                pd.testing.assert_frame_equal(got[name], table) if isinstance(table, pd.DataFrame) else \
                    pd.testing.assert_series_equal(got[name], table, check_names=False)

        dates = overlap.quarter_ends(as_of.year - 2, as_of.year + 1)
        t = reference_involvements(db, dates[0], dates[-1], area, domain)
        households = sum(per_area.values())
        rows = run(db, "overlap_trend_counts", {"dates": dates, "area": area, "life_domain": domain}).rows
        assert keyed(snap.trend_rows(dates, area, domain)) == keyed(rows)
        for engine in engines:
            pd.testing.assert_frame_equal(
                overlap.trend_from_counts(engine.trend_rows(dates, area, domain), dates, households),
                oracle.trend(t, dates, households))

        start, end = date(as_of.year - 1, 1, 1), as_of
        params = {"from": start, "to": end, "area": area, "life_domain": domain}
        t = reference_involvements(db, start, end, area, domain)
        assert keyed(snap.shared_rows(start, end, area, domain)) == keyed(
            run(db, "org_collaboration_shared", params).rows)
        for engine in engines:
            served, shared = collaboration.shared_from_counts(engine.shared_rows(start, end, area, domain))
            pd.testing.assert_series_equal(served, t.groupby("organisation_id")["household_id"].nunique(),
                                           check_names=False)
            pd.testing.assert_frame_equal(shared, oracle.shared_households(t))
        referrals = pd.DataFrame(
            aggregates._dates(run(db, "org_collaboration_referrals", params).rows, "date", "accepted_at", "started_at"),
            columns=["date", "accepted_at", "started_at", "from_organisation", "to_organisation", "life_domain",
                     "area"])
        counted = run(db, "org_collaboration_referral_counts", params).rows
        pd.testing.assert_frame_equal(collaboration.followup_from_counts(counted),
                                      collaboration.followup_times(referrals))
        pd.testing.assert_frame_equal(
            collaboration.directed_from_counts([r for r in counted if r["source"] is not None]),
            collaboration.directed_counts(referrals.dropna(subset=["from_organisation"])))
        consult = run(db, "org_collaboration_consultations", {"from": start, "to": end, "area": area}).rows
        pd.testing.assert_frame_equal(aggregates._consultation_pairs(db, start, end, area),
                                      collaboration.consultation_pairs(r["organisations"] for r in consult))
        for derived, gap in ((True, 30), (False, 30), (True, 0), (True, 365)):
            events = handover_events(db, date(2004, 1, 1), end, area, domain, derived, gap)
            rows = run(db, "org_handover_counts", {**params, "from": date(2004, 1, 1), "derived": derived,
                                                   "gap_days": gap}).rows
            pd.testing.assert_frame_equal(collaboration.directed_from_counts(rows),
                                          collaboration.directed_counts(events))
            # The snapshot's handovers, counted with numpy (queries.analytics.handover_counts): the same counts
            # per pair, chains, routes, ping-pong and hotspots as the pandas reference on the rows of the graph;
            # and so are those of the page's Cypher path (the same rows as integer columns).
            assert keyed_counts(snap.handover_org_rows(date(2004, 1, 1), end, area, domain, derived, gap)) == \
                keyed_counts(rows)
            for h in (snap.handover_counts(date(2004, 1, 1), end, area, domain, derived, gap),
                      aggregates._handovers(db, date(2004, 1, 1), end, area, domain, derived, gap)):
                assert h.size == len(events)
                assert keyed_counts(handover_counts.organisation_pairs(h)) == keyed_counts(rows)
                for name in ("chain_lengths", "longest_chains", "ping_pong", "handover_hotspots"):
                    want, got = getattr(communities, name)(events), getattr(handover_counts, name)(h)
                    for a, b in zip(*(list(x.values()) if isinstance(x, dict) else [x] for x in (want, got)),
                                    strict=True):
                        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True)) \
                            if isinstance(a, pd.DataFrame) else pd.testing.assert_series_equal(a, b)
        assert keyed_counts(snap.referral_rows(start, end, area, domain)) == keyed_counts(counted)
        assert snap.mandate_rows(start, end, area, domain) == run(db, "org_collaboration_mandates", params).rows
        assert snap.consultation_rows(start, end, area) == \
            run(db, "org_collaboration_consultation_pairs", {"from": start, "to": end, "area": area}).rows

    for area, domain, after_days, min_before, until in (
            (None, None, 365, 2, None), ("NVL", "ZORG_HULPVERLENING", 180, 1, None), (None, None, 730, 0, None),
            ("SVZ", None, 365, 2, None), (None, None, 365, 2, date(2009, 9, 1)), (None, None, 365, 2, date(2009, 8, 31)),
            ("NVL", None, 180, 1, date(2009, 2, 28))):
        every = {r["household_id"]: aggregates._native(r["intake"])
                 for r in run(db, "overlap_coach_intakes", {"area": area}).rows}
        # only the households whose time after intake has passed by ``until``; the control group's day is the
        # median intake of those of every area
        intakes = {h: d for h, d in every.items() if until is None or d + timedelta(days=after_days) <= until}
        counted = {r["household_id"]: aggregates._native(r["intake"])
                   for r in run(db, "overlap_coach_intakes", {"area": None}).rows}
        counted = {h: d for h, d in counted.items() if until is None or d + timedelta(days=after_days) <= until}
        lo = min(counted.values(), default=date(2008, 9, 1)) - timedelta(days=1)
        hi = max(counted.values(), default=date(2008, 9, 1)) + timedelta(days=after_days)
        t = reference_involvements(db, lo, hi, None, domain)
        rows = run(db, "overlap_coach_effect_counts", {"area": area, "life_domain": domain, "after_days": after_days,
                                                       "min_before": min_before, "until": until}).rows
        assert keyed(snap.coach_effect_rows(area, domain, after_days, min_before, until)) == keyed(rows)
        for engine in engines:
            assert engine.coach_intakes(area) == sorted(every.values())
            pd.testing.assert_frame_equal(
                overlap.coach_effect_from_counts(engine.coach_effect_rows(area, domain, after_days, min_before, until),
                                                 after_days=after_days),
                oracle.coach_effect(t, intakes, after_days=after_days, min_before=min_before, every=counted))


def test_both_counting_engines_give_the_oracles_tables(loaded: Database) -> None:
    assert_database_counts_equal_reference(loaded)


def test_database_counts_are_exact_on_hand_built_records(loaded: Database) -> None:
    from queries.registry import run

    rows = run(loaded, "overlap_counts", {"as_of": AS_OF, "area": None, "life_domain": None}).rows
    pairs = {(r["org_a"], r["org_b"]): r["households"] for r in rows if r["org_a"] is not None}
    groups = {(r["area"], r["bin"], r["same"], r["double"]): r["households"] for r in rows if r["org_a"] is None}
    # NVL: 5 with one, 10 with two (N11-N15 A+B; the coached N16-N20 coach+D), 5 with four (N21-N25: same
    # member and domain, and B+D doubles), 1 with eleven (N26: both); SVZ: 4 with one, 5 with two (E+F).
    assert groups == {("NVL", "1", False, False): 5, ("NVL", "2", False, False): 10,
                      ("NVL", "3–4", True, True): 5, ("NVL", "10+", True, True): 1,
                      ("SVZ", "1", False, False): 4, ("SVZ", "2", False, False): 5}
    assert pairs.get(("OA", "OA")) == 15 and pairs.get(("OE", "OE")) == 9
    assert pairs.get(("OA", "OB"), 0) + pairs.get(("OB", "OA"), 0) == 10
    effect = run(loaded, "overlap_coach_effect_counts", {"area": None, "life_domain": None, "after_days": 365,
                                                         "min_before": 2, "until": None}).rows
    assert sorted((r["group"], r["n_before"], r["n_after"], r["households"]) for r in effect) == [
        ("coached", 4, 2, 5), ("control", 2, 2, 5)]
