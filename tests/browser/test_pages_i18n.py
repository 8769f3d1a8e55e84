"""Every page of every role on the demo neighbourhood, in a real browser at 1440×900: a screenshot of each
(``tests/artifacts/pages-<user>-<page>-<width>.png``), and what a person reads holds no raw
code value, role, purpose or audit action identifier, no internal organisation or professional id and no
"None", no relationship type and no English sentence (common English words, :mod:`tests.english`) — every text
comes from the Dutch catalogue (app/catalogue.py).

One browser context per role, one app server for all; the coach page is opened on a household of the coach's
caseload and every section below the map is shown. A page that shows every role the same is read once, as the
first role that has it (:data:`PER_ROLE` are read for each). The walk once read every page at 1024×768 too: the
same text (Streamlit words nothing by width), at half a minute of the suite's budget; what a narrow window does to
the pages is tested where it matters (tests/browser/test_aggregate_pages_narrow.py: nothing cut off at 1024
pixels)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from app.nav import pages_for
from graph.db import Database
from ingest.demo import ensure_demo
from queries.access import SYSTEM_DEMO, Role
from tests.browser.conftest import AppServer, open_session, wait_for_app
from tests.browser.reading import unreadable, visible_text
from tests.writers import session_audit

HOUSEHOLDS = 40  # the demo neighbourhood, smaller (the control area keeps its size): within the test budget
USERS = {"coach1": Role.COACH, "projectleider": Role.PROJECT_LEAD, "beleid": Role.POLICYMAKER,
         "datasteward": Role.DATA_STEWARD, "admin": Role.ADMIN}
SIZES = ((1440, 900),)
#: The pages whose content depends on the role (the home page's overview, the inbox's signals, the coach's
#: household): read for every role that has them. The rest (the aggregate pages, intake, caseload, the steward's
#: and the admin's pages) show every role that may open them the same, and are read once.
PER_ROLE = {"overview", "inbox", "coach"}


@pytest.fixture(scope="module")
def demo(db: Database) -> Database:
    ensure_demo(db, session_audit(), SYSTEM_DEMO, 2008, HOUSEHOLDS)
    return db


def _check(pg: Any, where: str, found: dict[str, list[str]]) -> None:
    hits = unreadable(pg, ids=True)
    if hits:
        found[where] = hits
        print(where, hits)  # noqa: T201 (shown with -s while the walk goes on)


#: Placeholders still drawn: skeletons, and charts without their drawing.
_DRAWING = """() => document.querySelectorAll('[data-testid="stSkeleton"]').length
  + Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).filter(e => !e.querySelector(".main-svg"))
      .length"""


def _settle(pg: Any) -> None:
    """Until the script has run and the page stopped changing: the run is over (:func:`wait_for_app`), no
    placeholder is drawn and the text reads the same twice, 200 ms apart (charts and grids draw after the run).
    The page is shot first at the size it has, then resized (:func:`_shoot`)."""
    wait_for_app(pg, timeout=90_000)
    last, deadline = visible_text(pg), time.monotonic() + 90
    while time.monotonic() < deadline:
        pg.wait_for_timeout(200)
        now = visible_text(pg)
        if now == last and not pg.evaluate(_DRAWING):
            break
        last = now
    wait_for_app(pg, timeout=90_000)


def _laid_out(pg: Any) -> None:
    """After a resize: the page is drawn anew at the new width (two animation frames; a resize asks for no run,
    and if it did, :func:`wait_for_app` waits for it)."""
    pg.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    wait_for_app(pg, timeout=90_000)


def _shoot(pg: Any, artifacts: Path, user: str, page: str, found: dict[str, list[str]]) -> None:
    current = pg.viewport_size
    for width, height in sorted(SIZES, key=lambda size: current != {"width": size[0], "height": size[1]}):
        if pg.viewport_size != {"width": width, "height": height}:
            pg.set_viewport_size({"width": width, "height": height})
            _laid_out(pg)
        pg.screenshot(path=str(artifacts / f"pages-{user}-{page}-{width}.png"), animations="disabled",
                      timeout=90_000)
        _check(pg, f"{user} {page} {width}", found)


def test_every_page_of_every_role_reads_without_raw_codes(demo: Database, app_server: AppServer, browser: Any,
                                                         artifacts: Path) -> None:
    found: dict[str, list[str]] = {}
    read: set[str] = set()  # a page that shows every role the same is read once, as the first role that has it
    for user, role in USERS.items():
        ctx = browser.new_context(viewport={"width": 1440, "height": 900})
        pg = ctx.new_page()
        try:
            open_session(pg, app_server, user)  # through the session store: tests/browser/test_auth.py is about the form
            for spec in pages_for(role):
                if spec.url_path in read and spec.url_path not in PER_ROLE:
                    continue
                read.add(spec.url_path)
                pg.goto(f"{app_server.url}/{spec.url_path}")  # every page by its own URL, the first one too
                _settle(pg)
                if spec.url_path == "coach":
                    first = pg.get_by_role("button", name=re.compile(r"^Open HH-")).first
                    first.wait_for(timeout=90_000)  # the caseload's first household, opened by its link
                    pg.goto(f"{app_server.url}/coach?household={first.inner_text().split()[-1]}&doel=case_consultation")
                    pg.locator('iframe[title*="eco-map" i]').wait_for(timeout=90_000)
                    _settle(pg)
                    _shoot(pg, artifacts, user, "coach-tijdlijn", found)
                    # a professional's details below the map (a review read their ties' codes and "since" there)
                    pg.get_by_test_id("stSelectbox").filter(has_text="Details van").click()
                    pg.keyboard.type("(professional)")  # the list is long: typed, it shows the professionals
                    pg.get_by_role("option").filter(has_text="(professional)").first.click()
                    pg.get_by_test_id("stMain").get_by_text("→ ", exact=False).first.wait_for(timeout=30_000)
                    _settle(pg)
                    _shoot(pg, artifacts, user, "coach-details", found)
                    for section in ("Mandaten die gelden", "Plan en afspraken", "Huisbezoekbrief"):
                        pg.locator('[data-testid="stButtonGroup"]').get_by_text(section, exact=True).click()
                        _settle(pg)
                        _shoot(pg, artifacts, user, f"coach-{section.split()[0].lower()}", found)
                    continue
                _shoot(pg, artifacts, user, spec.url_path, found)
                if spec.url_path == "audit":  # the other tabs: every record, and the review's flags
                    pg.get_by_text("Alle regels", exact=True).click()
                    _settle(pg)
                    _shoot(pg, artifacts, user, "audit-alle", found)
                    pg.get_by_text("Opvallende toegang", exact=True).click()
                    pg.get_by_role("button", name="Controle uitvoeren").click()
                    _settle(pg)
                    _shoot(pg, artifacts, user, "audit-opvallend", found)
            pg.get_by_role("button", name="Afmelden").click()  # no live session left for the next tests
            pg.get_by_text("Aangemeld als").wait_for(state="detached", timeout=60_000)
        finally:
            ctx.close()
    assert found == {}, found
