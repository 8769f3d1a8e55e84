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


def test_busiest_demo_household_brief_prints_every_contact(demo: Database, tmp_path: Path) -> None:
    """The PDF brief of the demo household with the most involvements on the demo date (of those a coach may
    open today): every contact row and open point intact in the PDF's text, two A4 pages at most."""
    import io
    import re

    from pypdf import PdfReader

    from app.brief import brief_pdf, contacts, open_points
    from app.ecomap import layout
    from queries.analytics.household import household_graph

    as_of = synthetic.DEMO_AS_OF
    row = demo.execute("t_busiest", "MATCH (c:Professional)-[a:COACHES]->(h:Household) "
                       "WHERE a.since <= date() AND (a.until IS NULL OR a.until >= date()) "
                       "CALL (h) { MATCH (i:Involvement)-[:CONCERNS]->(x) "
                       "WHERE (x = h OR (h)-[:HAS_MEMBER]->(x)) AND i.since <= $d "
                       "AND (i.until IS NULL OR i.until >= $d) RETURN count(DISTINCT i) AS n } "
                       "RETURN h.id AS h, c.id AS c, n ORDER BY n DESC, h.id LIMIT 1", {"d": as_of}).first()
    assert row is not None and row["n"] >= 10
    view = household_view(demo, AuditLog(tmp_path / "a.sqlite"), Actor("coach", Role.COACH, "", row["c"]), row["h"])
    g = household_graph(row["h"], view.people, view.involvements, view.coaches, as_of=as_of)
    pos = layout(household_graph(row["h"], view.people, view.involvements, view.coaches))
    reader = PdfReader(io.BytesIO(brief_pdf(view, g, pos, as_of, prepared_by="coach")))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    rows = contacts(view, as_of)
    assert rows
    for c in rows:
        cells = [c.name, c.organisation, c.role, f"{c.since:%d-%m-%Y}" if c.since else "", c.concerns, c.phone]
        assert re.sub(r"\s+", "", "".join(cells)) in text, f"contact row missing or cut: {cells}"
    for p in open_points(view, as_of):
        assert re.sub(r"\s+", "", p) in text, f"open point missing or cut: {p}"
    assert len(reader.pages) <= 2
