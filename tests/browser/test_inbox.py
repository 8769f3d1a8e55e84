"""Signalen in a real browser: a new involvement on the coached household's son arrived three days ago; coach1
sees the unread count in the sidebar, opens the signal in the inbox and lands on the household page."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from graph.clock import today as dutch_today
from graph.db import Database
from ingest.loader import load_records
from ingest.matching import match_involvements
from queries.audit import default_audit_log
from tests.browser.conftest import AppServer, Requests, choose, click_to_run, open_session, wait_for_app
from tests.household_records import SRC, records

SINCE = dutch_today() - timedelta(days=3)
NEW = [
    ("organisation", {"id": "O-RIBW", "name": "RIBW Twente", "sector": "zorg", "source": SRC}),
    ("professional", {"id": "P40", "name": "Prof P40", "function": "begeleider RIBW", "organisation_id": "O-RIBW",
                      "since": date(2000, 1, 1), "phone": "053-0040", "source": SRC}),
    ("involvement", {"id": "I40", "professional_id": "P40", "organisation_id": "O-RIBW",
                     "life_domain": "GEZONDHEID_WELZIJN", "role": "casemanager", "since": SINCE, "until": None,
                     "person_ids": ["S"], "household_id": None, "source": "test:tonight"}),
]


@pytest.fixture(scope="module")
def signalled(db: Database) -> Database:
    load_records(db, [*records(), *NEW])
    # today HH-T1 has 8 active casemanagers: the coach gets the new involvement and the threshold
    match_involvements(db, ["I40"], dutch_today())
    return db


def test_coach_sees_the_count_opens_the_signal_and_lands_on_the_household(
        signalled: Database, app_server: AppServer, page: tuple[Any, Requests], artifacts: Path) -> None:
    pg, reqs = page
    before = len(list(default_audit_log().records(user="coach1")))
    open_session(pg, app_server, "coach1")
    sidebar = pg.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Signalen: 2 ongelezen").wait_for(timeout=20_000)

    sidebar.get_by_role("link", name="Signalen").click()
    wait_for_app(pg)
    signal = pg.locator('[data-testid="stVerticalBlock"]').filter(has_text="Nieuwe betrokkenheid").filter(
        has_text="RIBW Twente").last
    signal.wait_for(timeout=20_000)
    text = signal.inner_text()
    assert "Prof P40" in text and "begeleider RIBW" in text and f"sinds {SINCE:%d-%m-%Y}" in text
    assert "053-0040" in text and "huishouden HH-T1" in text
    pg.screenshot(path=str(artifacts / "inbox-01.png"), full_page=True)

    signal.get_by_role("button", name="Open huishouden").click()
    # no purpose stated yet in this session: asked before anything of the household is read (an outside test: a
    # link opened it under a purpose the coach never chose)
    pg.get_by_text("U opent huishouden HH-T1. Voor welk doel?").wait_for(timeout=20_000)
    assert ("view_household", "ok") not in [(r.action, r.result)
                                            for r in list(default_audit_log().records(user="coach1"))[before:]]
    choose(pg, "Doel", "casusoverleg")
    click_to_run(pg, pg.get_by_role("button", name="HH-T1 openen"))
    pg.wait_for_url("**/coach?household=HH-T1&doel=case_consultation", timeout=20_000)
    wait_for_app(pg)
    pg.get_by_text("Velveweg").first.wait_for(timeout=20_000)
    pg.screenshot(path=str(artifacts / "inbox-02-household.png"), full_page=True)
    recs = [(r.action, r.result) for r in list(default_audit_log().records(user="coach1"))[before:]]
    assert ("view_notices", "ok") in recs and ("notice_status", "ok") in recs and ("view_household", "ok") in recs
    viewed = [r for r in list(default_audit_log().records(user="coach1"))[before:] if r.action == "view_household"]
    assert {r.purpose for r in viewed} == {"case_consultation"}
    assert reqs.foreign() == []


MORE = [("professional", {"id": f"P{n}", "name": f"Prof P{n}", "function": "begeleider RIBW",
                          "organisation_id": "O-RIBW", "since": date(2000, 1, 1), "source": SRC})
        for n in range(41, 66)] + [
    ("involvement", {"id": f"I{n}", "professional_id": f"P{n}", "organisation_id": "O-RIBW",
                     "life_domain": "GEZONDHEID_WELZIJN", "role": "begeleider", "since": SINCE, "until": None,
                     "person_ids": ["S"], "household_id": None, "source": "test:tonight"})
    for n in range(41, 66)]


def _cards(pg: Any) -> int:
    """Signal cards drawn once the script run is over (the pager's line above them is drawn first: a count right
    after it saw 4 of 20), each by its one mark button."""
    wait_for_app(pg)
    return int(pg.get_by_role("button", name="Markeer als gelezen").count()
               + pg.get_by_role("button", name="Markeer als ongelezen").count())


def test_many_signals_come_a_page_at_a_time_and_can_be_filtered_by_kind(
        signalled: Database, app_server: AppServer, page: tuple[Any, Requests]) -> None:
    """A lead of a city has well over a thousand signals: all of them as cards took a minute to draw."""
    import re

    load_records(signalled, MORE)
    match_involvements(signalled, [f"I{n}" for n in range(41, 66)], dutch_today())
    pg, reqs = page
    open_session(pg, app_server, "coach1", "inbox")
    counts = pg.get_by_text(re.compile(r"ongelezen · \d+ signalen"))
    counts.wait_for(timeout=30_000)
    n = int(re.findall(r"(\d+) signalen", counts.inner_text())[0])
    pill = pg.locator('[data-testid="stButtonGroup"]').get_by_text(re.compile(r"Nieuwe betrokkenheid \(\d+\)"))
    new = int(re.findall(r"\((\d+)\)", pill.inner_text())[0])
    assert 40 >= n > 20 and new > 20, (n, new)  # more than a page, less than three
    pg.get_by_text(f"Signaal 1–20 van {n} · pagina 1 van 2").wait_for(timeout=30_000)
    assert _cards(pg) == 20
    pg.get_by_role("button", name="Volgende").click()
    pg.get_by_text(f"Signaal 21–{n} van {n} · pagina 2 van 2").wait_for(timeout=30_000)
    wait_for_app(pg)
    assert _cards(pg) == n - 20
    assert pg.get_by_role("button", name="Volgende").is_disabled()
    # one kind: the count beside it, and the list starts again at its first page
    pill.click()
    pg.get_by_text(f"Signaal 1–20 van {new} · pagina 1 van 2").wait_for(timeout=30_000)
    wait_for_app(pg)
    assert _cards(pg) == 20
    main = pg.get_by_test_id("stMain").inner_text()
    assert main.count("Nieuwe betrokkenheid") == 1 + 20, main  # the filter's own label, and every card
    assert pg.locator('[data-testid="stException"]').count() == 0
    assert reqs.foreign() == []
