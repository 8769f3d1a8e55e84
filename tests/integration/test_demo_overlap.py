"""The aggregate views on the demo neighbourhood (the synthetic generator): the coach effect of issue 5, no small
cell in any view, and the database's counts equal the Python reference. The hand-built cases with exact values
are in test_aggregates.py; these only read the demo, which they share with the modules around them (this
module's name puts it between test_demo_neighbourhood.py, which loads it, and test_disclosure_attack.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from graph.db import Database
from queries import aggregates
from queries.analytics import overlap
from queries.analytics.disclosure import recoverable_cells
from queries.audit import AuditLog
from tests.integration.test_aggregates import BELEID, LEAD, assert_database_counts_equal_reference


@pytest.fixture(scope="module")
def demo(neo4j_db: Database) -> Database:
    from tests.conftest import demo_database

    return demo_database(neo4j_db, 2008, 634)


@pytest.fixture()
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.sqlite")


def test_demo_coach_takes_over_from_parallel_casemanagers(demo: Database, audit: AuditLog) -> None:
    """Done-when of issue 5: computed from the data, with the default k."""
    e = aggregates.coach_effect_view(demo, audit, BELEID)
    before = e.loc[("coached (experiment)", "before intake"), "mean"]
    after = e.loc[("coached (experiment)", "365 days after"), "mean"]
    control_after = e.loc[("control area", "365 days after"), "mean"]
    assert e.loc[("coached (experiment)", "before intake"), "households"] >= 10
    assert e.loc[("control area", "before intake"), "households"] >= 10
    # A mean is shown only where nothing in its row is hidden (with the households it would give one more
    # equation on the hidden cells); where shown, it drops after intake and below the control area.
    for _, row in e.iterrows():
        incomplete = bool(row[[*overlap.BINS, "households"]].isna().any())
        assert (row["mean"] is pd.NA) == (incomplete or row["households"] == 0)
    if before is not pd.NA and after is not pd.NA:
        assert after < before
    if after is not pd.NA and control_after is not pd.NA:
        assert after < control_after
    # The share of coached households with 5 or more at once drops from most to none.
    b = e.loc[("coached (experiment)", "before intake")]
    a = e.loc[("coached (experiment)", "365 days after")]
    assert b["5–9"] + b["10+"] > b["households"] / 2
    assert a["5–9"] == 0 and a["10+"] == 0


def test_demo_views_are_safe(demo: Database, audit: AuditLog) -> None:
    v = aggregates.overlap_view(demo, audit, BELEID, as_of=date(2008, 12, 31))
    for t in (v.distribution, v.by_area_kind, v.same_member_domain, v.double_casemanager):
        assert recoverable_cells(t) == []
        shown = t.stack().dropna()
        assert not ((shown > 0) & (shown < v.k)).any()
    pm = v.pair_matrix.stack().dropna()
    assert not ((pm > 0) & (pm < v.k)).any()
    h = aggregates._handover_view(demo, audit, LEAD, start=date(2004, 1, 1), end=date(2012, 12, 31))
    assert h.handovers > 1000 and h.org_quality["communities"] >= 2 and h.org_quality["modularity"] > 0
    assert (h.longest_chains["cases"] >= h.k).all()


def test_demo_database_counts_equal_the_python_reference(demo: Database) -> None:
    assert_database_counts_equal_reference(demo)
