"""The project lead's overview counts the households *over the thresholds* of the signals: with the casemanager
threshold set to 10 (``WIJKNET_NOTICE_MAX_CASEMANAGERS``) the lead's signals say "(drempel 10)", and the overview
under "Boven de drempels" still counted "5 of meer" — the constant of the default (an outside review of the signals,
2026-12-05)."""

from __future__ import annotations

import pytest

import app.accounts  # noqa: F401  (imported here: AppTest puts app/views first on sys.path, where ingest.py is a page)
from graph.db import Database
from queries.access import Role
from tests.coach_page import open_page


@pytest.mark.parametrize(("threshold", "bins", "start"), [
    (5, ["5–9", "10+"], 5), (10, ["10+"], 10), (3, ["3–4", "5–9", "10+"], 3),
    (4, ["5–9", "10+"], 5),  # inside a band: from the next band on (said beside the figure)
    (12, ["10+"], 10)])
def test_the_bands_over_a_threshold(threshold: int, bins: list[str], start: int) -> None:
    from app.role_overview import over_threshold

    assert over_threshold(threshold) == (bins, start)


def test_the_overview_counts_over_the_threshold_the_signals_use(household_t1: Database,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    monkeypatch.setenv("WIJKNET_NOTICE_MAX_CASEMANAGERS", "10")
    # through the app's navigation: the overview links to other pages, which st.page_link allows only among the
    # pages st.navigation was given
    at = open_page("overview", "overviewlead", Role.PROJECT_LEAD, home=True)
    at.run()
    assert not at.exception
    labels = [str(m.label) for m in at.metric]
    assert "Huishoudens met 10 of meer casemanagers tegelijk" in labels, labels

