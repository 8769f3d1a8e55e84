"""The visit brief as printed: the PDF (WeasyPrint, from the same HTML as the HTML brief) holds every contact
row and every open point intact — read back from the PDF's text — on one A4 page for a typical household and on
two for the 60-node one; the brief lists only what is active on its date, one row per professional."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.brief import brief_html, brief_pdf, contacts, open_points
from app.ecomap import bounds, layout
from graph.db import Database
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.analytics.household import household_graph, is_active
from queries.audit import AuditLog
from queries.household import HouseholdView, household_view
from tests import big_household
from tests.household_records import AFTER, BEFORE, records


@pytest.fixture(scope="module")
def loaded(db: Database) -> Database:
    load_records(db, [*records(), *big_household.records()])
    return db


def _view(db: Database, tmp: Path, hid: str) -> HouseholdView:
    return household_view(db, AuditLog(tmp / "a.sqlite"), Actor("t", Role.COACH, "", "PR-COACH-1"), hid)


def _squash(text: str) -> str:
    """Text without any whitespace: a cell that wraps onto two lines still reads as one."""
    return re.sub(r"\s+", "", text)


def _pdf(view: HouseholdView, as_of: date) -> tuple[bytes, str]:
    g = household_graph(view.household.id, view.people, view.involvements, view.coaches, as_of=as_of)
    pos = layout(household_graph(view.household.id, view.people, view.involvements, view.coaches))
    pdf = brief_pdf(view, g, pos, as_of, prepared_by="coach1")
    html = brief_html(view, g, pos, as_of, prepared_by="coach1")
    return pdf, html


def _check_every_line(view: HouseholdView, as_of: date, pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    text = _squash("".join(p.extract_text() for p in reader.pages))
    rows = contacts(view, as_of)
    for c in rows:  # each row's cells, in order, nothing cut off
        cells = [c.name, c.organisation, c.role, f"{c.since:%d-%m-%Y}" if c.since else "", c.concerns, c.phone]
        assert _squash("".join(cells)) in text, f"contact row missing or cut: {cells}"
    for p in open_points(view, as_of):
        assert _squash(p) in text, f"open point missing or cut: {p}"
    return len(reader.pages)


def test_busiest_household_prints_every_contact_on_two_pages(loaded: Database, tmp_path: Path) -> None:
    view = _view(loaded, tmp_path, big_household.HOUSEHOLD)
    as_of = big_household.AS_OF
    active = {i.professional_id for i in view.involvements if is_active(i.since, i.until, as_of)}
    rows = contacts(view, as_of)
    assert len(active) == 36
    assert len(rows) == 37  # one row per professional, plus the coach
    pdf, _ = _pdf(view, as_of)
    (tmp_path / "brief.pdf").write_bytes(pdf)
    assert _check_every_line(view, as_of, pdf) == 2


def test_typical_household_prints_on_one_page_with_what_is_active_then(loaded: Database, tmp_path: Path) -> None:
    view = _view(loaded, tmp_path, "HH-T1")
    pdf, html = _pdf(view, AFTER)
    assert _check_every_line(view, AFTER, pdf) == 1
    names = [c.name for c in contacts(view, AFTER)]
    assert len(names) == len(set(names))  # no repeated rows
    # a mandate's buddy: the life domain with the role, "Voor" the household (it read "Voor: wonen")
    buddies = [(c.role, c.concerns) for c in contacts(view, AFTER) if "buddy voor mandaat" in c.role]
    assert buddies and all(role.endswith(")") and whom == "heel het huishouden" for role, whom in buddies), buddies
    assert "Coach Een" in html
    # Before the coach's intake the brief does not list the coach (as involved or in its header).
    _, before = _pdf(view, BEFORE)
    assert "Coach Een" not in before
    assert "<script" not in before and "http" not in before.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # the map has its legend, and labels print at 6.5 pt or larger
    assert "Legenda" in before and "<svg" in before


def test_an_emoji_in_a_name_prints_as_the_emoji_not_an_empty_box(loaded: Database, tmp_path: Path) -> None:
    """A name as a source wrote it, emoji included, prints in a font that has the emoji (Noto Color Emoji, which
    run.sh, test.sh and the Dockerfile install: scripts/system.sh), not as the empty box of DejaVu Sans, which has
    no emoji; the text reads back the same."""
    import dataclasses

    view = _view(loaded, tmp_path, "HH-T1")
    first = min(contacts(view, AFTER), key=lambda c: c.name)
    named = [dataclasses.replace(i, professional_name=f"{i.professional_name} 🌻")
             if i.professional_name == first.name else i for i in view.involvements]
    pdf, _ = _pdf(dataclasses.replace(view, involvements=named), AFTER)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    assert f"{first.name} 🌻" in text
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("Emoji" in f for f in fonts), f"no emoji font in the PDF: {sorted(fonts)}"


def _entries(n: int) -> list[str]:
    """``n`` lines as the coach's workspace words what was recorded (app/workspace.py), each about a line and a
    half long on A4."""
    return [f"Afspraak 06-12-2026: Karin zet de post elke week samen met de buurvrouw op een rij en belt zelf de "
            f"Stadsbank (nummer {k + 1}) · in ruil: de coach regelt een eerste afspraak — vastgelegd door coach1 op "
            f"06-12-2026" for k in range(n)]


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_what_the_coach_recorded_does_not_push_a_line_onto_a_second_page(loaded: Database, tmp_path: Path) -> None:
    """A household with four contacts and six recorded entries printed its last entry alone on a second page
    (an outside review, the demo's HH-LDH-000120): when the brief runs over by less than the map can give up, the
    map is drawn lower instead, its labels still at 6.5 pt or larger; when it runs over by more, the map keeps its
    size and the brief takes two pages, every line intact."""
    from weasyprint import HTML

    from app import brief

    view = _view(loaded, tmp_path, "HH-T1")
    g = household_graph(view.household.id, view.people, view.involvements, view.coaches, as_of=AFTER)
    pos = layout(household_graph(view.household.id, view.people, view.involvements, view.coaches))

    def full_map_pages(n: int) -> int:  # the brief with the map at its full height, as it was always printed
        page = brief._page(view, g, pos, AFTER, prepared_by="coach1", follow_up_days=30, recorded=_entries(n),
                           map_mm=brief.MAP_MAX_MM)
        return len(HTML(string=page).render().pages)

    over = next(n for n in range(1, 40) if full_map_pages(n) == 2)  # the first entry that runs onto page two
    pdf = brief_pdf(view, g, pos, AFTER, prepared_by="coach1", recorded=_entries(over))
    (tmp_path / "brief.pdf").write_bytes(pdf)
    assert _pages(pdf) == 1
    text = _squash(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert all(_squash(line) in text for line in _entries(over))
    html = brief_html(view, g, pos, AFTER, prepared_by="coach1", recorded=_entries(over))
    svg = re.search(r'<svg [^>]*viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)" width="([\d.]+)mm" height="([\d.]+)mm"',
                    html)
    assert svg is not None
    width_units, height_mm = float(svg.group(1)), float(svg.group(4))
    assert brief.MAP_MIN_MM <= height_mm < brief.MAP_MAX_MM  # drawn lower, as the PDF has it
    fonts = [float(f) for f in re.findall(r'<text [^>]*font-size="([\d.]+)"', html)]
    assert fonts and min(fonts) * float(svg.group(3)) / width_units >= brief.MAP_LABEL_PT * 25.4 / 72 - 0.01
    # far more than the map can give up: the map keeps its height and the brief goes on to a second page
    many = _entries(over + 25)
    pdf = brief_pdf(view, g, pos, AFTER, prepared_by="coach1", recorded=many)
    assert _pages(pdf) == 2
    assert all(_squash(line) in _squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
               for line in many)
    box = bounds(pos)
    full = f'height="{(box[3] - box[1]) * brief.map_scale(box):.1f}mm"'
    assert full in brief_html(view, g, pos, AFTER, prepared_by="coach1", recorded=many)
    # nothing recorded: one page (with the network, the mandates and who was involved before, the map gives up a
    # little of its height for them, never below its smallest)
    assert _pages(brief_pdf(view, g, pos, AFTER, prepared_by="coach1")) == 1
