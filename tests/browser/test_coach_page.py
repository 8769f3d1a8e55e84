"""The coach page in a real browser: open a household from the caseload, see the eco-map, replay the date,
download the brief, click nodes of the map for their details and expand a professional with their other
involvements with this household (never another household's) — and nothing is requested from any host but
the app."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.clock import today as dutch_today
from graph.db import Database
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.analytics.household import change_dates, household_counts, household_graph
from queries.audit import AuditLog, default_audit_log
from queries.household import HouseholdView, household_view
from tests.browser.conftest import (
    AppServer,
    Requests,
    audited_since,
    choose,
    click_to_run,
    demo_password,
    download,
    open_session,
    sign_in,
    value_of,
    wait_for_app,
)
from tests.household_records import SRC, records

# Tactus' P01 (active for father F since 2008) also worked with F in 2006-2007, and works with X of the other
# household HH-T2: expanding P01 on HH-T1's map must add exactly I21, never I22.
EXTRA = [
    ("involvement", {"id": "I21", "professional_id": "P01", "organisation_id": "O-TACTUS", "life_domain": "WONEN",
                     "role": "casemanager", "since": date(2006, 1, 1), "until": date(2007, 12, 31),
                     "person_ids": ["F"], "household_id": None, "source": SRC}),
    ("involvement", {"id": "I22", "professional_id": "P01", "organisation_id": "O-TACTUS",
                     "life_domain": "ZORG_HULPVERLENING", "role": "casemanager", "since": date(2008, 2, 1),
                     "until": None, "person_ids": ["X"], "household_id": None, "source": SRC}),
]


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, [*records(), *EXTRA])
    return db


def _view(db: Database, tmp: Path) -> HouseholdView:
    return household_view(db, AuditLog(tmp / "a.sqlite"), Actor("t", Role.COACH, "", "PR-COACH-1"), "HH-T1")


def _map(pg: Any) -> Any:
    """The eco-map's own frame (sandboxed, created in the app page by app/ecomap_frame.py), as a frame locator."""
    return pg.frame_locator('iframe[title*="eco-map" i]')


def _eco_frame(pg: Any) -> Any:
    pg.wait_for_selector('iframe[title*="eco-map" i]', timeout=20_000)
    _map(pg).locator("#mynetwork canvas").wait_for(timeout=20_000)
    return pg.query_selector('iframe[title*="eco-map" i]').content_frame()


def _wait_for_nodes(pg: Any, n: int, timeout_s: float = 20.0) -> None:
    """Until the map drawn in the (sandboxed, so cross-origin) frame has ``n`` nodes; the frame may be replaced
    while we look, so every look starts from the page."""
    import time

    deadline, seen = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        try:
            seen = _eco_frame(pg).evaluate("typeof nodes === 'undefined' ? null : nodes.length")
        except Exception:  # the frame was replaced between finding and asking it
            seen = None
        if seen == n:
            return
        pg.wait_for_timeout(200)
    raise AssertionError(f"the eco-map shows {seen} nodes, not {n}")


def _choose_section(pg: Any, name: str, shows: Any) -> None:
    """Click a section until what it shows is there. A click landing while the rerun of the slider is still
    being applied was sometimes dropped with the map in its sandboxed frame (not understood yet; a second
    click works): at most three clicks."""
    for _ in range(3):
        pg.locator('[data-testid="stButtonGroup"]').get_by_text(name, exact=True).click()
        wait_for_app(pg)
        try:
            shows.wait_for(timeout=10_000)
            return
        except Exception:  # playwright's TimeoutError
            continue
    shows.wait_for(timeout=1_000)


def _metric(pg: Any, label: str) -> int:
    box = pg.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return int(box.locator('[data-testid="stMetricValue"]').inner_text().strip())


def test_coach_opens_household_sees_ecomap_replays_and_downloads(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests], artifacts: Path,
        tmp_path: Path) -> None:
    pg, reqs = page
    audit_before = len(list(default_audit_log().records(user="coach1")))
    view = _view(loaded, tmp_path)
    first, last = view.period(dutch_today())

    def expected(as_of: date) -> tuple[int, int]:
        g = household_graph("HH-T1", view.people, view.involvements, view.coaches, as_of=as_of)
        return g.number_of_nodes(), household_counts(view.involvements, as_of).professionals

    open_session(pg, app_server, "coach1", "coach")
    pg.get_by_role("button", name="Open HH-T1").first.wait_for(timeout=20_000)
    pg.screenshot(path=str(artifacts / "coach-01-caseload.png"), full_page=True)

    pg.get_by_role("button", name="Open HH-T1").first.click()  # the caseload card (the recent list may have one too)
    wait_for_app(pg)
    frame = _eco_frame(pg)
    nodes, professionals = expected(last)
    assert frame.evaluate("nodes.length") == nodes
    assert frame.evaluate("document.getElementById('ecomap-meta').dataset.nodes") == str(nodes)
    assert _metric(pg, "Actieve professionals") == professionals
    pg.screenshot(path=str(artifacts / "coach-02-ecomap.png"), full_page=True)

    # Move the slider to its start: the client system before anyone was involved.
    pg.get_by_role("slider").first.focus()
    pg.keyboard.press("Home")
    wait_for_app(pg)
    start_nodes, start_professionals = expected(first)
    _wait_for_nodes(pg, start_nodes)
    assert _metric(pg, "Actieve professionals") == start_professionals != professionals
    pg.screenshot(path=str(artifacts / "coach-03-slider-start.png"), full_page=True)

    # The brief, in both formats; each download is audited.
    # the sections below the map are built on demand: choose the brief
    _choose_section(pg, "Huisbezoekbrief", pg.get_by_role("button", name="Huisbezoekbrief (HTML)"))
    got = download(pg, pg.get_by_role("button", name="Huisbezoekbrief (HTML)"),
                   audited_since("coach1", "download_brief"))
    html_path = artifacts / "coach-brief.html"
    got.save_as(html_path)
    text = html_path.read_text()
    assert "Huisbezoekbrief HH-T1" in text and "<svg" in text and "<script" not in text
    got = download(pg, pg.get_by_role("button", name="Huisbezoekbrief (PDF)"),
                   audited_since("coach1", "download_brief"))
    pdf_path = artifacts / "coach-brief.pdf"
    got.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    pg.screenshot(path=str(artifacts / "coach-04-brief.png"), full_page=True)

    recs = [r for r in list(default_audit_log().records(user="coach1"))[audit_before:]
            if r.target == "HH-T1" and r.action not in ("view_caseload_triage", "view_notices")]  # (lists: their own)
    # the page's read, the brief's read of what coaches recorded (the workspace query), one record per download
    assert [(r.action, r.result) for r in recs] == [("view_household", "ok"), ("view_household", "ok"),
                                                  ("download_brief", "ok"), ("download_brief", "ok")]
    assert reqs.foreign() == []


def test_ecomap_runs_its_scripts_sandboxed_without_the_apps_origin(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests], tmp_path: Path) -> None:
    """The map's scripts run (it is drawn and has its nodes) in a frame without ``allow-same-origin``: they
    cannot reach the app page, its cookie or its storage."""
    pg, reqs = page
    view = _view(loaded, tmp_path)
    n = household_graph("HH-T1", view.people, view.involvements, view.coaches,
                        as_of=view.period(dutch_today())[1]).number_of_nodes()
    open_session(pg, app_server, "coach1", "coach?household=HH-T1")
    frame = _eco_frame(pg)
    frame.wait_for_function("document.getElementById('ecomap-meta').dataset.drawn")
    assert frame.evaluate("nodes.length") == n > 3  # drawn, with its nodes
    # The map's frame is sandboxed with allow-scripts alone, and no frame of the page has the app's origin
    # and scripts together (the frame is created by a fixed script of ours in the page: app/ecomap_frame.py)
    assert pg.locator('iframe[title*="eco-map" i]').count() == 1
    # a screen reader announces the frame by its title: in the page's language, with the household and the day
    assert re.fullmatch(r"Netwerkkaart \(eco-map\) van huishouden \S+ op \d\d-\d\d-\d{4}",
                        pg.locator('iframe[title*="eco-map" i]').get_attribute("title") or ""), \
        pg.locator('iframe[title*="eco-map" i]').get_attribute("title")
    assert pg.locator('iframe[title*="eco-map" i]').get_attribute("sandbox") == "allow-scripts"
    assert pg.locator("iframe[sandbox*='allow-same-origin'][title*='eco-map' i]").count() == 0
    assert frame.evaluate("window.origin") == "null"  # an opaque origin of its own
    escape = ("() => { const out = {}; for (const [k, f] of Object.entries({"
              " parent: () => window.parent.document.title, top: () => window.top.document.title,"
              " cookie: () => document.cookie, storage: () => window.localStorage.length})) {"
              " try { out[k] = String(f()); } catch (e) { out[k] = 'blocked'; } } return out; }")
    assert frame.evaluate(escape) == {"parent": "blocked", "top": "blocked", "cookie": "blocked",
                                      "storage": "blocked"}
    assert reqs.foreign() == []


def _shot(pg: Any, path: Path) -> None:
    """The map alone (the page scrolls inside Streamlit's container), without the hover tooltip."""
    canvas = _map(pg).locator("#mynetwork canvas")
    box = canvas.bounding_box()
    canvas.hover(position={"x": box["width"] - 4, "y": box["height"] - 4})  # an empty corner: no tooltip
    pg.wait_for_timeout(300)
    pg.locator('iframe[title*="eco-map" i]').screenshot(path=str(path))


def _point(frame: Any, node: str) -> dict[str, float]:
    """Where ``node`` is drawn, in pixels of the map's canvas (vis-network's own coordinate conversion)."""
    return dict(frame.evaluate(
        "id => { const p = network.getPositions([id])[id]; const d = network.canvasToDOM(p);"
        " return {x: d.x, y: d.y}; }", node))


def test_click_node_details_and_expand_professional_with_this_household_only(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests], artifacts: Path,
        tmp_path: Path) -> None:
    pg, reqs = page
    view = _view(loaded, tmp_path)
    last = view.period(dutch_today())[1]
    assert last == dutch_today()  # the slider's end: today (HH-T1's records all lie in 2008)
    g = household_graph("HH-T1", view.people, view.involvements, view.coaches, as_of=last)
    # P01's involvements with HH-T1 as the view holds them: I01 (drawn) and I21 (2006-2007) — not I22 (HH-T2)
    assert sorted(i.id for i in view.involvements if i.professional_id == "P01") == ["I01", "I21"]

    open_session(pg, app_server, "coach1", "coach?household=HH-T1")  # deep link: opens (and audits) the household
    frame = _eco_frame(pg)
    frame.wait_for_function("document.getElementById('ecomap-meta').dataset.drawn")
    canvas = _map(pg).locator("#mynetwork canvas")
    details = _map(pg).locator("#details")
    details_text = details.locator("#details-text")
    before = frame.evaluate("nodes.length")
    assert before == g.number_of_nodes()
    assert details.is_hidden()

    # Click the father: his details, in the map.
    canvas.click(position=_point(frame, "P:F"))
    details.wait_for(state="visible", timeout=5_000)
    text = details_text.inner_text()
    assert text.startswith("Frank\nLid van het huishouden\nRol: vader\nGeboren: 1968\n")
    _shot(pg, artifacts / "coach-05-click-member.png")

    # Click P01: function, organisation, life domain, the involvement drawn, and one other to show.
    canvas.click(position=_point(frame, "PR:P01"))
    details_text.get_by_text("Prof P01", exact=False).wait_for(timeout=5_000)
    text = details_text.inner_text()
    assert text.startswith("Prof P01\nProfessional\n")
    assert "Functie: casemanager verslavingszorg\nOrganisatie: Tactus verslavingszorg\n" in text
    assert "Leefgebied: zorg en hulpverlening" in text
    assert "→ Frank: casemanager verslavingszorg · zorg en hulpverlening · sinds 01-01-2008" in text
    expand = details.get_by_role("button", name="Toon 1 andere betrokkenheid bij dit huishouden")
    expand.click()
    assert frame.evaluate("nodes.length") == before + 1
    assert frame.evaluate("nodes.getIds().filter(id => id.startsWith('HI:'))") == ["HI:I21"]
    assert frame.evaluate("document.getElementById('ecomap-meta').dataset.expanded") == "PR:P01"
    # Nothing about the other household is anywhere in the map page.
    doc = frame.content()
    assert "I22" not in doc and "Xandra" not in doc and "HH-T2" not in doc
    _shot(pg, artifacts / "coach-06-expand-professional.png")

    # The added node has its own details: the period and that it ended before the chosen date.
    details.get_by_role("button", name="Details sluiten").click()
    canvas.click(position=_point(frame, "HI:I21"))
    details.get_by_text(f"Periode: 01-01-2006 – 31-12-2007 (beëindigd vóór {last:%d-%m-%Y})").wait_for(timeout=5_000)
    assert "Voor: Frank" in details_text.inner_text()
    _shot(pg, artifacts / "coach-07-other-involvement.png")

    # Double-clicking the professional hides them again; a professional with nothing else says so.
    details.get_by_role("button", name="Details sluiten").click()
    canvas.dblclick(position=_point(frame, "PR:P01"))
    frame.wait_for_function(f"nodes.length === {before}")
    assert frame.evaluate("document.getElementById('ecomap-meta').dataset.expanded") == ""
    details.get_by_role("button", name="Details sluiten").click()
    canvas.click(position=_point(frame, "PR:P04"))
    details.get_by_text("Geen andere betrokkenheden bij dit huishouden.", exact=False).wait_for(timeout=5_000)
    assert details.locator("#details-expand").is_hidden()

    # The same details below the map, for the keyboard: the ties read as in the map (a review read
    # "· ZORG_HULPVERLENING · since 01-01-2008" there)
    choose(pg, "Details van", "Prof P01 (professional)")
    tie = pg.get_by_test_id("stMain").get_by_text("→ Frank:", exact=False)
    tie.wait_for(timeout=10_000)
    assert tie.inner_text().strip() == "→ Frank: casemanager verslavingszorg · zorg en hulpverlening · sinds 01-01-2008"
    assert reqs.foreign() == []


def test_deep_link_opens_household_with_finder_closed_and_the_finder_keeps_the_purpose(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests], artifacts: Path) -> None:
    pg, reqs = page
    audit_before = len(list(default_audit_log().records(user="coach1")))
    open_session(pg, app_server, "coach1", "coach?household=HH-T1")
    _eco_frame(pg)
    # The finder is closed and, being lazy, not built: no caseload row is on the page.
    assert pg.get_by_role("button", name="Open HH-T1").count() == 0
    assert pg.get_by_text("doel: voorbereiding huisbezoek").count() == 1

    pg.get_by_text("Een huishouden zoeken").first.click()
    pg.get_by_role("button", name="Open HH-T1").first.wait_for(timeout=20_000)
    choose(pg, "Doel", "casusoverleg")
    pg.get_by_text("doel: casusoverleg").wait_for(timeout=20_000)
    pg.get_by_role("button", name="Open HH-T1").first.click()  # the caseload row
    wait_for_app(pg)
    _eco_frame(pg)
    # Choosing closes the finder over the household; the purpose stays chosen.
    assert pg.get_by_role("button", name="Open HH-T1").count() == 0
    assert pg.get_by_text("doel: casusoverleg").count() == 1
    pg.screenshot(path=str(artifacts / "coach-05-deep-link-finder-closed.png"), full_page=True)
    pg.get_by_text("Een huishouden zoeken").first.click()
    pg.get_by_role("button", name="Open HH-T1").first.wait_for(timeout=20_000)
    assert value_of(pg.get_by_label("Doel"), "casusoverleg") == "casusoverleg"

    recs = [r for r in list(default_audit_log().records(user="coach1"))[audit_before:]
            if r.target == "HH-T1" and r.action not in ("view_caseload_triage", "view_notices")]
    assert [(r.action, r.purpose) for r in recs] == [("view_household", "home_visit_preparation"),
                                                  ("view_household", "case_consultation"),
                                                  ("view_household", "case_consultation")]
    assert reqs.foreign() == []


def test_the_timeline_draws_a_bar_per_involvement_and_member(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests], artifacts: Path,
        tmp_path: Path) -> None:
    pg, reqs = page
    view = _view(loaded, tmp_path)
    expected_bars = sum(len(i.subjects) for i in view.involvements)
    assert expected_bars >= len(view.involvements) > 3
    # and what the network and the coach recorded, each placed in time: an informal supporter per member
    # supported, a person of the wider client system, and the plan's goals, agreements and advice with a day
    recorded = (sum(len(p.supports) or 1 for p in view.people if p.kind == "informal")
                + sum(1 for p in view.people if p.kind == "client_system" and p.since)
                + sum(1 for g in view.goals if g.since) + sum(1 for a in view.agreements if a.date)
                + sum(1 for a in view.advice if a.date))
    assert recorded >= 4  # oma and the neighbour, her help to the mother, two agreements (the goals have no day)
    expected_bars += recorded

    open_session(pg, app_server, "coach1", "coach?household=HH-T1")
    svg = pg.locator("svg.wijknet-timeline")
    svg.wait_for(state="visible", timeout=20_000)
    box = svg.bounding_box()
    assert box is not None and box["height"] > 100 and box["width"] > 500  # drawn, not an empty container
    drawn = pg.evaluate("() => [...document.querySelectorAll('svg.wijknet-timeline rect.bar')]"
                        ".filter(r => r.getBoundingClientRect().width > 0 && r.getBoundingClientRect().height > 5)"
                        ".length")
    assert drawn == expected_bars
    # the rows and lanes of what the network and the coach recorded, by name
    lanes = pg.evaluate("() => [...document.querySelectorAll('svg.wijknet-timeline-labels text')]"
                        ".map(e => e.firstChild.textContent)")  # each text's own, without its <title>
    assert {"Plan van de coach", "Afspraken en sancties", "Informele steun", "Netwerk buiten huis"} <= set(
        lanes), lanes
    hovers = pg.locator("svg.wijknet-timeline title").all_text_contents()
    assert any(h.startswith("Afspraak met het huishouden: Vader meldt zich bij DMO · gemaakt 15-09-2008, uiterlijk 15-10-2008")
               for h in hovers), hovers
    svg.screenshot(path=str(artifacts / "coach-08-timeline.png"))
    # the referrals under it: a date reads on one line ("22-06-" over "2006" was hard to read), also on a
    # municipal laptop's narrower screen
    pg.set_viewport_size({"width": 1100, "height": 900})
    table = pg.locator('[data-testid="stTable"]').filter(has_text="geaccepteerd")
    table.wait_for(timeout=20_000)
    # per cell with a date: its text, the lines it is written on and the lines it is drawn on
    dates = table.evaluate("""t => [...t.querySelectorAll('tbody th, tbody td')].filter(c => /\\d{2}-\\d{2}-\\d{4}/.test(
        c.textContent)).map(c => {
            const w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT), tops = new Set(); let n;
            while ((n = w.nextNode())) { const r = document.createRange(); r.selectNodeContents(n);
                for (const x of r.getClientRects()) { if (x.width > 0) { tops.add(Math.round(x.top)); } } }
            return [c.textContent.trim(), c.textContent.trim().split('\\n').length, tops.size]; })""")
    # a date alone on one line; where a referral stands, a line per step ("geaccepteerd 11-12-2007"), none broken
    assert dates and all(drawn == written for _, written, drawn in dates), dates
    assert any(written > 1 for _, written, _ in dates), dates
    assert reqs.foreign() == []


#: What the app logs when a Stop click ended a replay (app/views/coach.py, ``_stopped_by``).
_REPLAYED_STOP = "replay stopped: the Stop button reported a click"


def _shown_date(pg: Any) -> date:
    text = pg.locator('[data-testid="stSliderThumbValue"]').first.inner_text().strip()
    d, m, y = (int(x) for x in text.split("-"))
    return date(y, m, d)


def test_a_typed_date_moves_the_slider_and_play_moves_it_through_the_changes(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests], tmp_path: Path) -> None:
    pg, reqs = page
    view = _view(loaded, tmp_path)
    dates = change_dates(view.involvements, view.people, view.coaches)
    last = view.period(dutch_today())[1]
    typed = date(2007, 6, 1)

    open_session(pg, app_server, "coach1", "coach?household=HH-T1")
    pg.locator('[data-testid="stSliderThumbValue"]').first.wait_for(timeout=20_000)
    wait_for_app(pg)  # the slider is drawn before the date field beside it has its value (seen with two workers)
    assert _shown_date(pg) == last
    field = pg.get_by_label("Datum", exact=True)
    assert value_of(field, f"{last:%d-%m-%Y}") == f"{last:%d-%m-%Y}"
    field.fill("31-02-2007")  # no such day: said beside the field, nothing moves
    field.press("Enter")
    pg.get_by_text("bestaat niet in de kalender").wait_for(timeout=20_000)
    assert _shown_date(pg) == last
    field.fill(f"{typed:%d-%m-%Y}")
    field.press("Enter")
    pg.wait_for_function("t => document.querySelector('[data-testid=\"stSliderThumbValue\"]').innerText.trim() === t",
                         arg=f"{typed:%d-%m-%Y}", timeout=20_000)
    wait_for_app(pg)
    assert _metric(pg, "Actieve professionals") == household_counts(view.involvements, typed).professionals
    assert pg.get_by_text("bestaat niet in de kalender").count() == 0

    # the page's connection to the app, in the trace: a replay that ends early on a new connection (a new session
    # on the server, without the replay) is not one the page stopped (two CI runs: Play ended after its first date
    # with no widget's report in the app's log)
    trace: list[str] = []  # what the page showed, sample by sample: said when the replay stops too early

    def connected(ws: Any) -> None:  # a connection opened after the page was: the page connected again
        trace.append("connection opened")
        ws.on("close", lambda _ws: trace.append("connection closed"))

    pg.on("websocket", connected)
    steps = [d for d in dates if d <= last][-24:]
    seen: set[date] = set()
    for attempt in range(2):
        logged = app_server.log.read_text(errors="replace").count(_REPLAYED_STOP)
        pg.get_by_role("button", name="Afspelen").click()
        pg.get_by_role("button", name="Stop").wait_for(timeout=20_000)
        for _ in range(600):  # one change every ~0.7 s plus drawing: sampled until Play is offered again
            pg.wait_for_timeout(200)
            try:
                shown = _shown_date(pg)
            except ValueError:
                continue
            seen.add(shown)
            offered = pg.get_by_role("button", name="Afspelen", exact=True).count()
            trace.append(f"{shown:%d-%m-%Y} {'Afspelen' if offered else 'Stop'}")
            if offered:
                # ended only if it stays so for longer than a step (0.8 s): a CI run sampled "Afspelen" once,
                # right after the first date, with no Stop click, widget report or new connection in the log
                pg.wait_for_timeout(1_200)
                if pg.get_by_role("button", name="Afspelen", exact=True).count():
                    break
                trace.append("Afspelen drawn for a moment: the replay runs on")
        if len(seen & set(steps)) >= 3 or attempt or \
                app_server.log.read_text(errors="replace").count(_REPLAYED_STOP) == logged:
            break
        # Stopped by a Stop click this test never made: the browser sent the button's click again (a race in
        # Streamlit's widget messages on a loaded machine, streamlit#4595 and #8291; CI49, CI57, CI66 — the app's
        # log names it). Not the replay's doing: Play once more, and the replay must run through this time.
        trace.append("a Stop click the test did not make: Play again")
        wait_for_app(pg)
    # the slider moved through the changes, not only the picture
    assert len(seen & set(steps)) >= 3, (trace, pg.locator('[data-testid="stAlert"]').all_inner_texts())
    wait_for_app(pg)
    # and ends on the day the page opened on, not on the last change years back (the brief followed it there)
    assert _shown_date(pg) == last
    assert reqs.foreign() == []


def test_stop_halts_the_replay_on_screen_and_offers_play_again(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests]) -> None:
    """*Stop* halts the replay where it is and gives *Afspelen* back at once (the run that took the click drew
    *Stop* again and no timer was left to draw anything after it, so the page kept showing *Stop*)."""
    pg, reqs = page
    open_session(pg, app_server, "coach1", "coach?household=HH-T1")
    pg.locator('[data-testid="stSliderThumbValue"]').first.wait_for(timeout=20_000)
    wait_for_app(pg)
    pg.get_by_role("button", name="Afspelen").click()
    stop = pg.get_by_role("button", name="Stop")
    stop.wait_for(timeout=20_000)
    pg.wait_for_timeout(1_000)
    stop.click()
    pg.get_by_role("button", name="Afspelen", exact=True).wait_for(timeout=10_000)
    wait_for_app(pg)
    halted = _shown_date(pg)
    pg.wait_for_timeout(2_500)  # three steps' time of a replay still running
    assert _shown_date(pg) == halted
    assert pg.get_by_role("button", name="Stop").count() == 0
    assert reqs.foreign() == []


def test_an_opened_household_is_in_the_address_and_a_signed_out_link_survives_sign_in(
        loaded: Database, app_server: AppServer, browser: Any) -> None:
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(f"{app_server.url}/coach?household=HH-T1")  # a colleague's link, not signed in yet
        wait_for_app(pg)
        pg.get_by_label("Gebruikersnaam", exact=True).fill("coach1")
        pg.get_by_label("Wachtwoord", exact=True).fill(demo_password())
        pg.get_by_role("button", name="Aanmelden", exact=True).click()
        # after signing in, the link asks for the purpose first (a new session has stated none), then opens HH-T1
        pg.get_by_text("U opent huishouden HH-T1. Voor welk doel?").wait_for(timeout=30_000)
        click_to_run(pg, pg.get_by_role("button", name="HH-T1 openen"))
        pg.get_by_text("Velveweg 12").first.wait_for(timeout=30_000)
        assert "household=HH-T1" in pg.url and "doel=home_visit_preparation" in pg.url
    finally:
        ctx.close()
    # Opened from the finder (a new browser, so a new session: the finder starts open), the household goes into
    # the address bar: a link to share or bookmark.
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        pg = ctx.new_page()
        sign_in(pg, app_server.url, "coach1")
        pg.goto(f"{app_server.url}/coach")
        wait_for_app(pg)
        assert "household=" not in pg.url
        pg.get_by_role("button", name="Open HH-T1").first.click()
        pg.wait_for_function("() => location.search.includes('household=HH-T1')", timeout=20_000)
    finally:
        ctx.close()
