"""The coach view on the demo neighbourhood: the eleven-casemanager household and the coach effect.

Skipped until the synthetic generator (``ingest.synthetic.generate``) is in the tree. Which coach holds the
demo household is read from the data, never assumed.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from statistics import fmean

import pytest

from graph.db import Database
from queries.access import Actor, Role
from queries.analytics.household import coach_effect, household_counts
from queries.audit import AuditLog
from queries.household import household_view

synthetic = pytest.importorskip("ingest.synthetic")
if not hasattr(synthetic, "generate"):
    pytest.skip("the synthetic generator is not committed yet", allow_module_level=True)


@pytest.fixture(scope="module")
def demo(db: Database) -> Database:
    from ingest.loader import load_records

    load_records(db, synthetic.generate(seed=2008, households=634))
    return db


def _coach_of(db: Database, household_id: str) -> Actor:
    row = db.execute("t_coach_of", "MATCH (c:Professional)-[:COACHES]->(:Household {id: $h}) "
                     "RETURN c.id AS id ORDER BY c.id LIMIT 1", {"h": household_id}).first()
    assert row is not None, f"{household_id} has no coach in the demo data"
    return Actor("coach", Role.COACH, "Wijkcoaches", row["id"])


def test_eleven_casemanager_household(demo: Database, tmp_path: Path) -> None:
    hid, as_of = synthetic.DEMO_HOUSEHOLD_ID, synthetic.DEMO_AS_OF
    view = household_view(demo, AuditLog(tmp_path / "a.sqlite"), _coach_of(demo, hid), hid)
    members = view.members(as_of)
    c = household_counts(view.involvements, as_of, [m.id for m in members])
    assert (c.professionals, c.organisations) == (11, 10)
    by_role = {m.role: c.per_member[m.id].professionals for m in members}
    assert sorted(by_role.values(), reverse=True) == [4, 3, 3, 2]
    assert (by_role.get("vader"), by_role.get("moeder")) == (3, 3)


def test_coached_households_show_the_drop_after_intake(demo: Database, tmp_path: Path) -> None:
    # Households a coach may open today (the app's scope), compared the day before the intake and half a
    # year after it.
    rows = demo.execute("t_coached", "MATCH (c:Professional)-[a:COACHES]->(h:Household) "
                        "WHERE a.since <= date() AND (a.until IS NULL OR a.until >= date()) "
                        "RETURN c.id AS c, h.id AS h ORDER BY h.id").rows
    assert rows, "no coached households in the demo data"
    audit = AuditLog(tmp_path / "a.sqlite")
    before, after = [], []
    for r in rows:
        view = household_view(demo, audit, Actor("coach", Role.COACH, "", r["c"]), r["h"])
        intake = view.intake()
        assert intake is not None
        e = coach_effect(view.involvements, intake, intake + timedelta(days=182))
        if e.after is not None:
            before.append(e.before)
            after.append(e.after)
    assert fmean(after) < fmean(before)
    assert any(a < b for a, b in zip(after, before, strict=True))
