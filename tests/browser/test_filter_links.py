"""The aggregate pages' filters live in the address: a link (sent by a colleague, opened after signing in) shows the
page with its filters, a value in it the field cannot take is said as a typed one, and the browser's Back returns
to the previous choice and its figures (``?jaar=…&gebied=…&domein=…&band=…``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

from graph.db import Database
from ingest.loader import load_records
from tests.browser.conftest import (
    AppServer,
    Requests,
    choose,
    demo_password,
    open_session,
    wait_for_app,
)
from tests.browser.test_aggregate_filters import _errors, _shown
from tests.integration.test_aggregates import records

MAP = 'iframe[title^="Kaart: "]'


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


def _counted(pg: Any) -> None:
    """Wait until the page has counted its figures (the map is drawn) and is idle."""
    pg.wait_for_selector(MAP, timeout=120_000)
    wait_for_app(pg, timeout=60_000)


def _metric(pg: Any, label: str, other_than: str | None = None, timeout_s: float = 30.0) -> str:
    """The key figure ``label`` as shown (once it is not ``other_than``, or after ``timeout_s``)."""
    box = pg.get_by_test_id("stMetric").filter(has_text=label).first.get_by_test_id("stMetricValue")
    deadline = time.monotonic() + timeout_s
    value = str(box.inner_text(timeout=120_000)).strip()
    while value == other_than and time.monotonic() < deadline:
        pg.wait_for_timeout(200)
        value = str(box.inner_text()).strip()
    return value


def _until(pg: Any, read: Callable[[], Any], expected: Any, timeout_s: float = 30.0) -> Any:
    """What ``read()`` gives once it is ``expected``, or after ``timeout_s``: a field is drawn, or redrawn, a frame
    after the run the test waited for, and a page still counting its figures runs again by itself."""
    deadline = time.monotonic() + timeout_s
    value = read()
    while value != expected and time.monotonic() < deadline:
        pg.wait_for_timeout(100)
        value = read()
    return value


def _select(pg: Any, label: str, expected: str) -> str:
    """What the select labelled ``label`` shows (once it is ``expected``: :func:`_until`)."""
    return str(_until(pg, lambda: _shown(pg, label), expected))


def _heading(pg: Any, band: str) -> None:
    pg.get_by_text(f"Kaart van organisaties: {band.lower()}", exact=True).wait_for(timeout=60_000)


def test_a_link_opens_the_map_with_its_filters_and_back_returns_to_them(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests]) -> None:
    pg, _reqs = page
    link = ("collaboration?jaar=2008&gebied=" + quote("Nieuwe Velve (experimentwijk)")
            + "&band=" + quote("Gezamenlijke overleggen"))
    open_session(pg, app_server, "projectleider", link)
    _counted(pg)
    assert _select(pg, "Jaar", "2008") == "2008"
    assert _select(pg, "Wijk", "Nieuwe Velve (experimentwijk)") == "Nieuwe Velve (experimentwijk)"
    assert _select(pg, "Band", "Gezamenlijke overleggen") == "Gezamenlijke overleggen"
    _heading(pg, "Gezamenlijke overleggen")
    assert _errors(pg, []) == []
    # another band is a new entry in the history; Back shows the link's band and its map again
    choose(pg, "Band", "Overdrachten (gericht)")
    _heading(pg, "Overdrachten (gericht)")
    assert "band=Overdrachten" in pg.url and "gebied=Nieuwe" in pg.url
    pg.go_back()
    _heading(pg, "Gezamenlijke overleggen")
    wait_for_app(pg, timeout=60_000)
    assert _select(pg, "Band", "Gezamenlijke overleggen") == "Gezamenlijke overleggen"
    assert _select(pg, "Wijk", "Nieuwe Velve (experimentwijk)") == "Nieuwe Velve (experimentwijk)"
    assert _select(pg, "Jaar", "2008") == "2008"


def test_a_link_opened_before_signing_in_keeps_its_filters_and_back_its_figures(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests]) -> None:
    pg, _reqs = page  # a fresh browser: no session yet, the link shows the sign-in form
    pg.goto(f"{app_server.url}/handovers?jaar=2006&gebied=Atlantis")
    wait_for_app(pg, timeout=60_000)
    pg.get_by_label("Gebruikersnaam", exact=True).fill("projectleider")
    pg.get_by_label("Wachtwoord", exact=True).fill(demo_password())
    pg.get_by_role("button", name="Aanmelden", exact=True).click()
    pg.get_by_text("Aangemeld als projectleider").wait_for(timeout=30_000)
    pg.get_by_test_id("stMetric").first.wait_for(timeout=120_000)
    assert _select(pg, "Jaar", "2006") == "2006"
    # an area the list does not hold: said as such, and the page shows all areas
    pg.get_by_text("Wijk: 'Atlantis' uit de link is geen keuze van dit veld; de pagina toont Alle wijken.",
                   exact=True).wait_for(timeout=30_000)
    assert _select(pg, "Wijk", "Alle wijken") == "Alle wijken"
    in_2006 = _metric(pg, "Overdrachten in de periode")
    assert in_2006.isdigit() and int(in_2006) >= 10, in_2006  # derived ones (none recorded in 2006)
    # another year: a new entry in the history; Back shows the link's choice and its figure again
    choose(pg, "Jaar", "2008")
    in_2008 = _metric(pg, "Overdrachten in de periode", other_than=in_2006)
    assert in_2008 == "x" and "jaar=2006" not in pg.url  # 5 handovers in 2008: below k; the default year
    pg.go_back()
    assert _metric(pg, "Overdrachten in de periode", other_than=in_2008) == in_2006
    assert _select(pg, "Jaar", "2006") == "2006"


def test_a_year_in_a_link_the_data_do_not_hold_is_said_and_the_latest_shown(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests]) -> None:
    pg, _reqs = page
    open_session(pg, app_server, "projectleider", "handovers?jaar=1890&domein=wonen")
    pg.get_by_text("Jaar: '1890' uit de link is geen keuze van dit veld; de pagina toont 2008.",
                   exact=True).wait_for(timeout=30_000)
    assert _select(pg, "Jaar", "2008") == "2008"
    assert _select(pg, "Leefgebied", "wonen") == "wonen"  # the other filters are drawn, with the link's values
    assert pg.locator('[data-testid="stException"]').count() == 0


def test_a_link_to_the_overlap_page_carries_its_quarter_end_area_and_years(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests]) -> None:
    pg, _reqs = page
    link = ("overlap?peildatum=" + quote("31-12-2008 (4e kwartaal 2008)") + "&gebied="
            + quote("Stadsveld-Zuid (controlewijk)") + "&jaren=2008&jaren=2008")
    open_session(pg, app_server, "beleid", link)
    pg.get_by_test_id("stMetric").first.wait_for(timeout=120_000)
    wait_for_app(pg, timeout=60_000)
    assert _select(pg, "Peildatum", "31-12-2008 (4e kwartaal 2008)") == "31-12-2008 (4e kwartaal 2008)"
    assert _select(pg, "Wijk", "Stadsveld-Zuid (controlewijk)") == "Stadsveld-Zuid (controlewijk)"
    # the quarter end lies after the data's last day: the page says so of the link's date
    assert pg.get_by_text("De cijfers op 31-12-2008 tellen", exact=False).count() == 1
    years = pg.get_by_test_id("stSliderThumbValue")
    assert _until(pg, years.all_inner_texts, ["2008", "2008"]) == ["2008", "2008"]
    assert _errors(pg, []) == []


def test_a_link_may_carry_the_quarter_end_as_a_date_alone(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests]) -> None:
    """``?peildatum=31-03-2008``, as a person writes a date in a link by hand, was refused ("… uit de link is geen
    keuze van dit veld") and the page showed another quarter: the select took only its option's whole text,
    "31-03-2008 (1e kwartaal 2008)"."""
    pg, _reqs = page
    open_session(pg, app_server, "beleid", "overlap?peildatum=31-03-2008")
    pg.get_by_test_id("stMetric").first.wait_for(timeout=120_000)
    wait_for_app(pg, timeout=60_000)
    assert _select(pg, "Peildatum", "31-03-2008 (1e kwartaal 2008)") == "31-03-2008 (1e kwartaal 2008)"
    assert _errors(pg, []) == []
    assert pg.get_by_text("uit de link is geen keuze", exact=False).count() == 0
    # the address keeps the date (as the option's whole text): Streamlit dropped it, and the address copied from
    # the page then opened on the default quarter (a review)
    assert "peildatum=31-03-2008" in pg.url, pg.url
    # a date that is no quarter end is still said
    open_session(pg, app_server, "beleid", "overlap?peildatum=15-09-2008")
    pg.get_by_text("'15-09-2008' uit de link is geen keuze", exact=False).first.wait_for(timeout=60_000)


def test_a_page_come_back_to_shows_the_filters_it_was_left_with(loaded: Database, app_server: AppServer,
                                                                 page: tuple[Any, Requests]) -> None:
    """Outside review (filter links, finding 1): Back from another page drew the area and life-domain selects anew
    as "Kies een optie" over the figures of every area — Streamlit takes the option None ("Alle …") for nothing
    chosen when it draws a select anew. And the area chosen was gone after a look at another page, by the sidebar
    or by Back: Streamlit forgets a page's fields when another runs, and strips the filters two pages share (gebied)
    from the address of the page left."""
    pg, _reqs = page
    logged = app_server.log.stat().st_size
    open_session(pg, app_server, "projectleider", "overlap")
    pg.get_by_test_id("stMetric").first.wait_for(timeout=120_000)
    wait_for_app(pg, timeout=60_000)
    choose(pg, "Wijk", "Stadsveld-Zuid (controlewijk)")
    wait_for_app(pg, timeout=60_000)
    nav = pg.get_by_test_id("stSidebarNav")
    nav.get_by_text("Overzicht", exact=True).click()
    wait_for_app(pg, timeout=60_000)
    pg.go_back()
    pg.get_by_test_id("stMetric").first.wait_for(timeout=120_000)
    wait_for_app(pg, timeout=60_000)
    assert _select(pg, "Wijk", "Stadsveld-Zuid (controlewijk)") == "Stadsveld-Zuid (controlewijk)"
    assert _select(pg, "Leefgebied", "Alle leefgebieden") == "Alle leefgebieden"
    assert "Kies een optie" not in str(pg.locator('[data-testid="stMain"]').inner_text())
    assert _until(pg, lambda: "gebied=Stadsveld" in pg.url, True), pg.url  # the address says it too: a link to share
    # another page does not take the area over (its own filters), and by the sidebar the overlap page has it again
    nav.get_by_text("Samenwerking partners", exact=True).click()
    pg.wait_for_selector(MAP, timeout=120_000)
    wait_for_app(pg, timeout=60_000)
    assert _select(pg, "Wijk", "Alle wijken") == "Alle wijken"
    nav.get_by_text("Overlappende casemanagers", exact=True).click()
    pg.get_by_test_id("stMetric").first.wait_for(timeout=120_000)
    wait_for_app(pg, timeout=60_000)
    assert _select(pg, "Wijk", "Stadsveld-Zuid (controlewijk)") == "Stadsveld-Zuid (controlewijk)"
    # the values given back are the fields' own: Streamlit warned in the log on every return to the page that a
    # field had a default beside a value set by the page (a CI log's "peildatum")
    since = app_server.log.read_bytes()[logged:].decode(errors="replace")
    assert "created with a default value but also had its value set" not in since, since[-2000:]


def test_a_links_values_are_shown_as_written_not_as_markdown(
        loaded: Database, app_server: AppServer, page: tuple[Any, Requests]) -> None:
    """An outside test (08-12-2026): ``?gebied=![b](http://attacker.example/b.png)`` made the policymaker's browser
    fetch the outside image inside the page's warning, and ``?gebied=[Opnieuw aanmelden](https://evil.example/l)``
    put a working link there; the date field's and the year's values likewise. The values are said as written."""
    pg, reqs = page
    beacon, phish = "![b](http://attacker.example/b.png)", "[Opnieuw aanmelden](https://evil.example/l)"
    open_session(pg, app_server, "beleid", "overlap?gebied=" + quote(beacon) + "&peildatum=" + quote(phish))
    pg.get_by_text("uit de link is geen keuze", exact=False).first.wait_for(timeout=120_000)
    wait_for_app(pg, timeout=60_000)
    # (an invisible word joiner after "http" keeps the renderer from making a link of the address)
    shown = pg.get_by_test_id("stMain").inner_text().replace("\u2060", "")
    assert f"Wijk: '{beacon}' uit de link" in shown, shown
    assert f"'{phish}' uit de link" in shown, shown
    open_session(pg, app_server, "projectleider", "handovers?jaar=" + quote(phish) + "&gebied=" + quote(beacon))
    pg.get_by_text("Jaar: '[Opnieuw aanmelden]", exact=False).first.wait_for(timeout=120_000)
    wait_for_app(pg, timeout=60_000)
    assert f"'{beacon}' uit de link" in pg.get_by_test_id("stMain").inner_text().replace("\u2060", "")
    drawn = pg.evaluate("""() => [...document.querySelectorAll('img[src*="attacker"], a[href*="evil.example"]')]
                                  .map(e => e.outerHTML)""")
    assert drawn == []
    assert [u for u in reqs.foreign() if "attacker" in u or "evil" in u] == []
