"""A download offered to a session that ended before the click (signed out elsewhere, revoked by the admin, the
account disabled) builds nothing, is audited as refused, and the page says so in Dutch — not Streamlit's own
"Failed to generate file for download" (app/session.py ``while_signed_in``, app/chrome_nl.py)."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth import default_store
from graph.db import Database
from ingest.loader import load_records
from queries.audit import default_audit_log
from tests.browser.conftest import AppServer, Requests, open_session, wait_for_app
from tests.household_records import records


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


def test_a_brief_offered_to_a_revoked_session_is_refused_in_dutch(loaded: Database, app_server: AppServer,
                                                                   page: tuple[Any, Requests]) -> None:
    pg, _ = page
    open_session(pg, app_server, "coach1", "coach?household=HH-T1")
    pg.locator('iframe[title*="eco-map" i]').wait_for(timeout=60_000)
    wait_for_app(pg)
    button = pg.get_by_role("button", name="Huisbezoekbrief (HTML)")
    for _ in range(3):  # a click during the slider's rerun can be redrawn away (test_coach_page.py)
        pg.locator('[data-testid="stButtonGroup"]').get_by_text("Huisbezoekbrief", exact=True).click()
        wait_for_app(pg)
        try:
            button.wait_for(timeout=10_000)
            break
        except Exception:
            continue

    assert default_store().revoke_sessions("coach1", reason="test: revoked while the page was open") >= 1
    before = len(list(default_audit_log().records(user="coach1")))
    downloads: list[Any] = []
    pg.on("download", lambda d: downloads.append(d))
    button.click()
    pg.get_by_text("Het bestand is niet gemaakt", exact=False).first.wait_for(timeout=15_000)
    assert "Failed to generate" not in pg.locator("body").inner_text()
    assert downloads == []
    refused = [(r.action, r.result) for r in list(default_audit_log().records(user="coach1"))[before:]]
    assert ("download_brief", "denied") in refused, refused
