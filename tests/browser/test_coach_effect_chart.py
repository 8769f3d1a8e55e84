"""The coach effect on the policymaker's overlap page, with households whose year after intake has passed, read at
1024 px and at 1440 px. A review at 1024 px read the chart's four labels stood on end over each other ("(n(n =
72)"): the chart stood beside its table in about 330 px. A walk on 8,000 households read the value axis's title
cut off at the top (the long labels under the bars left the bars a strip too low for it). Measured as drawn: the
labels' boxes on the screen and the figure's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.db import Database
from ingest.loader import load_records
from tests.browser.conftest import AppServer, open_session, wait_for_app
from tests.browser.test_figure_labels import OUTSIDE_SVG
from tests.browser.test_pair_matrix import BOXES, _overlapping

S = "test-coach-effect-chart"
INTAKE = date(2007, 1, 1)
#: the coach's chart's texts (the other charts of the page are read by test_aggregate_pages_narrow.py)
EFFECT = '.st-key-effect-chart'


def records() -> Iterator[tuple[str, dict[str, Any]]]:
    """12 coached households in the experiment area (three casemanagers before intake, one or two of them left
    after), and 12 in the control area with two casemanagers: the records run to 30-06-2008, past every year
    after."""
    yield "area", {"code": "NVL", "name": "Nieuwe Velve", "kind": "experiment", "source": S}
    yield "area", {"code": "SVZ", "name": "Stadsveld-Zuid", "kind": "control", "source": S}
    pros = {"P-A": ("OA", "maatschappelijk werker"), "P-B": ("OB", "schuldhulpverlener"),
            "P-C": ("OC", "casemanager GGZ"), "P-COACH": ("ORG-WIJKCOACH", "wijkcoach")}
    for o in sorted({o for o, _ in pros.values()}):
        yield "organisation", {"id": o, "name": f"Organisatie {o}", "sector": "zorg", "source": S}
    for p, (o, f) in pros.items():
        yield "professional", {"id": p, "name": p, "function": f, "organisation_id": o, "since": date(2000, 1, 1),
                               "is_coach": p == "P-COACH", "source": S}
    n = 0
    for area, prefix in (("NVL", "N"), ("SVZ", "S")):
        for i in range(1, 13):
            hid, pid = f"{prefix}{i:02d}", f"{prefix}{i:02d}-M"
            yield "household", {"id": hid, "address_key": f"{hid}-addr", "postcode": "7533AA", "house_number": i,
                                "area_code": area, "source": S}
            yield "person", {"id": pid, "birth_year": 1970, "source": S}
            yield "membership", {"household_id": hid, "person_id": pid, "role": "overig", "since": date(2000, 1, 1),
                                 "source": S}
            for p in ("P-A", "P-B", "P-C") if area == "NVL" else ("P-A", "P-B"):
                n += 1
                # three of the coached keep A after intake: their "after" class is below k, so hidden (x), and the
                # legend then explains the hatching in a long line beside the plot
                kept = area == "SVZ" or p == "P-C" or (p == "P-A" and i <= 3)
                until = date(2008, 6, 30) if kept else date(2007, 3, 31)
                yield "involvement", {"id": f"CE{n:03d}", "professional_id": p, "organisation_id": pros[p][0],
                                      "life_domain": "ZORG_HULPVERLENING", "role": "casemanager", "since": date(2006, 1, 1),
                                      "until": until, "function": pros[p][1], "person_ids": [pid], "source": S}
            if area == "NVL":
                n += 1
                yield "involvement", {"id": f"CE{n:03d}", "professional_id": "P-COACH", "organisation_id":
                                      "ORG-WIJKCOACH", "life_domain": "ZORG_HULPVERLENING", "role": "casemanager",
                                      "since": INTAKE, "until": date(2008, 6, 30), "function": "wijkcoach",
                                      "household_id": hid, "source": S}
                yield "caseload", {"professional_id": "P-COACH", "household_id": hid, "since": INTAKE, "source": S}


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, records())
    return db


@pytest.mark.parametrize("window", [1024, 1440])
def test_the_coach_effect_s_chart_reads_whole(loaded: Database, app_server: AppServer, browser: Any,
                                              window: int) -> None:
    ctx = browser.new_context(viewport={"width": window, "height": 900})
    try:
        pg = ctx.new_page()
        open_session(pg, app_server, "beleid", None)
        pg.goto(f"{app_server.url}/overlap")
        wait_for_app(pg, timeout=90_000)
        chart = pg.locator(f'{EFFECT} [data-testid="stPlotlyChart"]')
        chart.scroll_into_view_if_needed(timeout=60_000)
        pg.locator(f"{EFFECT} .xtick text").first.wait_for(timeout=60_000)
        wait_for_app(pg, timeout=60_000)
        labels = pg.evaluate(BOXES, f"{EFFECT} .xtick text")
        # the four groups, each with its households (12 coached; the control group as the page counts it)
        assert len(labels) == 4, [b["text"] for b in labels]
        assert all("(n = " in b["text"] for b in labels), [b["text"] for b in labels]
        assert _overlapping(labels) == [], _overlapping(labels)
        assert pg.locator(f"{EFFECT} .legendtext").filter(has_text="verborgen").count() == 1  # hidden means drawn
        assert pg.evaluate(OUTSIDE_SVG, f"{EFFECT} .xtick text, {EFFECT} .g-ytitle text, {EFFECT} .legendtext") == []
        titles = pg.evaluate("sel => [...document.querySelectorAll(sel)].map(t => t.textContent)",
                             f"{EFFECT} .g-ytitle text")
        assert "gemiddeldaantalcasemanagersperhuishouden" in "".join(titles).replace(" ", ""), titles
        chart.screenshot(path=str(Path("tests/artifacts") / f"coach-effect-{window}.png"))
    finally:
        ctx.close()
