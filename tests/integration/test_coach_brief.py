"""The brief on the coach page in-process (Streamlit's AppTest): what coaches recorded is in it, also when the
workspace panel was never opened in this session (read then through the audited workspace query)."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from app.state import get_audit
from graph.clock import today as dutch_today
from graph.db import Database
from ingest.record import record
from queries.access import Actor, Role

COACH = Actor("scopecoach", Role.COACH, "Wijkcoaches", "PR-COACH-1")


def test_the_brief_lists_what_was_recorded_without_the_workspace_opened(
        coach_page: AppTest, household_t1: Database, downloads: list[Any]) -> None:
    record(household_t1, get_audit(), COACH, "HH-T1", "client_system",
           {"name": "Tante Riek", "relation": "tante", "since": f"{dutch_today():%d-%m-%Y}"})
    at = coach_page.run()
    at.segmented_control[0].set_value("brief").run()
    assert not at.exception
    brief = downloads[-2]()
    assert "Vastgelegd in wijknet" in brief
    assert "Tante Riek (tante)" in brief and "vastgelegd door scopecoach" in brief


def test_a_server_without_pango_offers_the_brief_as_html_and_says_why(
        coach_page: AppTest, monkeypatch: Any) -> None:
    """WeasyPrint cannot load without the system's pango (a bare container, `./run.sh` not run as root): the page
    offers the HTML brief only, with a sentence saying why and what to do, instead of a PDF button that fails."""
    import sys

    from streamlit.delta_generator import DeltaGenerator

    from app.brief import pdf_missing

    offered: list[str] = []
    monkeypatch.setattr(DeltaGenerator, "download_button", lambda self, label, data, **kw: offered.append(label))
    with monkeypatch.context() as without:
        without.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` fails, as without pango
        pdf_missing.cache_clear()
        try:
            at = coach_page.run()
            at.segmented_control[0].set_value("brief").run()
        finally:
            pdf_missing.cache_clear()
    assert not at.exception
    assert offered == ["Huisbezoekbrief (HTML)"]
    assert any("Een PDF kan deze server niet maken" in c.value for c in at.caption), [c.value for c in at.caption]
    # with pango (this machine) the PDF is offered: tests/browser/test_coach_page.py downloads it
