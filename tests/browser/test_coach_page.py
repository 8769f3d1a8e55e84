"""The coach page in a real browser: open a household from the caseload, see the eco-map, replay the date,
download the brief — and nothing is requested from any host but the app."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.db import Database
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.analytics.household import change_dates, household_counts, household_graph
from queries.audit import AuditLog, default_audit_log
from queries.household import HouseholdView, household_view
from tests.browser.conftest import AppServer, Requests, sign_in, wait_for_app
from tests.household_records import records


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


def _view(db: Database, tmp: Path) -> HouseholdView:
    return household_view(db, AuditLog(tmp / "a.sqlite"), Actor("t", Role.COACH, "", "PR-COACH-1"), "HH-T1")


def _eco_frame(pg: Any) -> Any:
    pg.wait_for_selector('iframe[title^="Eco-map"]', timeout=20_000)
    frame = pg.frame_locator('iframe[title^="Eco-map"]')
    frame.locator("#mynetwork canvas").wait_for(timeout=20_000)
    handle = pg.query_selector('iframe[title^="Eco-map"]')
    return handle.content_frame()


def _metric(pg: Any, label: str) -> int:
    box = pg.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return int(box.locator('[data-testid="stMetricValue"]').inner_text().strip())


def test_coach_opens_household_sees_ecomap_replays_and_downloads(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests], artifacts: Path,
        tmp_path: Path) -> None:
    pg, reqs = page
    view = _view(loaded, tmp_path)
    dates = change_dates(view.involvements, view.people, view.coaches)
    first, last = min(dates), min(date.today(), max(dates))

    def expected(as_of: date) -> tuple[int, int]:
        g = household_graph("HH-T1", view.people, view.involvements, view.coaches, as_of=as_of)
        return g.number_of_nodes(), household_counts(view.involvements, as_of).professionals

    sign_in(pg, app_server.url, "coach1")
    pg.goto(f"{app_server.url}/coach")
    wait_for_app(pg)
    pg.get_by_role("button", name="Open HH-T1").wait_for(timeout=20_000)
    pg.screenshot(path=str(artifacts / "coach-01-caseload.png"), full_page=True)

    pg.get_by_role("button", name="Open HH-T1").click()
    wait_for_app(pg)
    frame = _eco_frame(pg)
    nodes, professionals = expected(last)
    assert frame.evaluate("nodes.length") == nodes
    assert frame.evaluate("document.getElementById('ecomap-meta').dataset.nodes") == str(nodes)
    assert _metric(pg, "Active professionals") == professionals
    pg.screenshot(path=str(artifacts / "coach-02-ecomap.png"), full_page=True)

    # Move the slider to its start: the client system before anyone was involved.
    pg.get_by_role("slider").first.focus()
    pg.keyboard.press("Home")
    wait_for_app(pg)
    start_nodes, start_professionals = expected(first)
    pg.wait_for_function(
        "n => { const f = document.querySelector('iframe[title^=\"Eco-map\"]');"
        " return f && f.contentWindow && f.contentWindow.nodes && f.contentWindow.nodes.length === n; }",
        arg=start_nodes, timeout=20_000)
    assert _metric(pg, "Active professionals") == start_professionals != professionals
    pg.screenshot(path=str(artifacts / "coach-03-slider-start.png"), full_page=True)

    # The brief, in both formats; each download is audited.
    pg.get_by_role("tab", name="Visit brief").click()
    with pg.expect_download() as dl:
        pg.get_by_role("button", name="Brief (HTML)").click()
    html_path = artifacts / "coach-brief.html"
    dl.value.save_as(html_path)
    text = html_path.read_text()
    assert "Visit brief HH-T1" in text and "<svg" in text and "<script" not in text
    with pg.expect_download() as dl2:
        pg.get_by_role("button", name="Brief (PDF)").click()
    pdf_path = artifacts / "coach-brief.pdf"
    dl2.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    pg.screenshot(path=str(artifacts / "coach-04-brief.png"), full_page=True)

    recs = [r for r in default_audit_log().records(user="coach1") if r.target == "HH-T1"]
    assert [(r.action, r.result) for r in recs] == [("view_household", "ok"), ("download_brief", "ok"),
                                                  ("download_brief", "ok")]
    assert reqs.foreign() == []
