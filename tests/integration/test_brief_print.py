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
from app.ecomap import layout
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
