"""The coach's views as a coach reads them before a home visit, on the seed-002 household with what an outside
review found on the demo: two children of one name, a stepson who left the household while his caseworker's
involvement with him went on, and the household's own housing corporation among the coach's housing mandates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from app.brief import contacts
from graph.db import Database
from ingest.loader import load_records
from queries.access import Actor, Role
from queries.analytics.household import household_counts
from queries.audit import AuditLog
from queries.household import household_view, mandates_by_domain
from queries.triage import triaged_caseload
from tests.coach_page import open_coach_page
from tests.household_records import AFTER, INTAKE, SRC, records

COACH1 = Actor("coach1", Role.COACH, "Wijkcoaches", "PR-COACH-1")
LEFT = date(2008, 10, 31)
#: an agreement as a coach may type it: characters Markdown reads as markup
MARKUP = "Moeder belt **elke** week_dag [hier](https://voorbeeld.nl) :red[rood] $5$ #1"  # the stepson L left the household: before AFTER


def _extra() -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = [
        ("person", {"id": p, "birth_year": y, "gender": "M", "display_name": n, "source": SRC})
        for p, y, n in (("J1", 2001, "Jesse Pierik"), ("J2", 2004, "Jesse Pierik"), ("L", 1993, "Leon Hulshof"))]
    out += [("membership", {"household_id": "HH-T1", "person_id": p, "role": r, "since": date(2005, 1, 1),
                            "until": u, "source": SRC})
            for p, r, u in (("J1", "kind", None), ("J2", "kind", None), ("L", "stiefkind", LEFT))]
    out += [("organisation", {"id": "O-WP", "name": "Woningcorporatie De Woonplaats", "sector": "wonen",
                              "aliases": ["De Woonplaats"], "source": SRC}),
            ("organisation", {"id": "O-DOM", "name": "Woningstichting Domijn", "sector": "wonen",
                              "aliases": ["Domijn"], "source": SRC})]
    out += [("professional", {"id": p, "name": n, "function": f, "organisation_id": o, "since": date(2000, 1, 1),
                              "phone": "053-0004000", "source": SRC})
            for p, n, f, o in (("P40", "Ayse Pots", "casemanager GGZ", "O-MEDIANT"),
                               ("P41", "Wim Wonen", "woonbegeleider", "O-MPA"))]
    # Ayse Pots works with L from before he left and goes on after (the export does not end it)
    out += [("involvement", {"id": "I40", "professional_id": "P40", "organisation_id": "O-MEDIANT",
                             "life_domain": "GEZONDHEID_WELZIJN", "role": "casemanager", "since": date(2008, 6, 1),
                             "person_ids": ["L"], "source": SRC}),
            ("involvement", {"id": "I41", "professional_id": "P41", "organisation_id": "O-MPA",
                             "life_domain": "WONEN", "role": "uitvoerend", "since": date(2008, 6, 1),
                             "household_id": "HH-T1", "person_ids": [], "source": SRC})]
    out += [("agreement", {"id": "A3", "plan_id": "PL1", "kind": "afspraak", "text": MARKUP, "date": date(2008, 9, 15),
                           "status": "open", "source": SRC})]
    # after he left: a referral and a ladder score of his (his life elsewhere), and one from while he lived here
    out += [("referral", {"id": "R-L1", "professional_id": "P40", "organisation_id": "O-SMD", "date": date(2008, 7, 1),
                          "life_domain": "GEZONDHEID_WELZIJN", "person_id": "L", "source": SRC}),
            ("referral", {"id": "R-L2", "professional_id": "P40", "organisation_id": "O-SMD", "date": date(2008, 12, 1),
                          "life_domain": "GEZONDHEID_WELZIJN", "person_id": "L", "source": SRC}),
            ("ladder_score", {"id": "L-L1", "person_id": "L", "date": date(2008, 7, 1), "rung": 2, "source": SRC}),
            ("ladder_score", {"id": "L-L2", "person_id": "L", "date": date(2008, 12, 1), "rung": 3, "source": SRC})]
    # a household the coach takes on before anyone is registered as living there (a signal on an address)
    out += [("household", {"id": "HH-T3", "address_key": "7513AD-7", "postcode": "7513 AD", "house_number": 7,
                           "street": "Velveweg", "area_code": "A1", "source": SRC}),
            ("caseload", {"professional_id": "PR-COACH-1", "household_id": "HH-T3", "since": INTAKE,
                          "source": SRC})]
    out += [("mandate", {"id": m, "organisation_id": o, "life_domain": "WONEN", "decision_type": "woningtoewijzing",
                         "since": INTAKE, "source": SRC}) for m, o in (("MAN-WP", "O-WP"), ("MAN-DOM", "O-DOM"))]
    out += [("mandate_holder", {"mandate_id": m, "professional_id": "PR-COACH-1", "since": INTAKE, "source": SRC})
            for m in ("MAN-WP", "MAN-DOM")]
    return out


@pytest.fixture(scope="module")
def loaded(db: Database, test_env: dict[str, str]) -> Database:
    load_records(db, records() + _extra())
    return db


@pytest.fixture()
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.sqlite")


def test_a_former_members_caseworker_is_not_the_households_after_he_left(loaded: Database, audit: AuditLog) -> None:
    """Work with a member counts for the household only while they are a member (as the aggregates count it):
    the stepson's caseworker was neither an active professional of the household nor a contact in its brief
    years after he had left it."""
    v = household_view(loaded, audit, COACH1, "HH-T1")
    members = [m.id for m in v.members(AFTER)]
    assert "L" not in members
    c = household_counts(v.involvements, AFTER, members)
    assert (c.professionals, c.organisations) == (8, 8)  # the seven of the seed household and Wim Wonen
    assert "Ayse Pots" not in [x.name for x in contacts(v, AFTER)]
    # while he was a member she was his caseworker, on this household's map and in its brief
    assert "Ayse Pots" in [x.name for x in contacts(v, date(2008, 10, 1))]
    assert household_counts(v.involvements, date(2008, 10, 1), []).professionals == 13


def test_the_households_own_corporation_is_its_housing_mandate(loaded: Database, audit: AuditLog) -> None:
    """The household rents from "De Woonplaats" (the corporation's alias): of the coach's housing mandates its
    own corporation's comes first, another corporation's is folded."""
    v = household_view(loaded, audit, COACH1, "HH-T1")
    wonen = next(g for g in mandates_by_domain(v, AFTER) if g.life_domain == "WONEN")
    assert ([m.id for m in wonen.involved], [m.id for m in wonen.other]) == (["MAN-WP"], ["MAN-DOM"])


def test_per_member_counts_tell_two_children_of_one_name_apart(loaded: Database, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    at = open_coach_page("reviewcoach")
    at.run()
    assert not at.exception
    # it says what it counts: under "Overlap 0" a review read "Per lid · Noa Smit (moeder): 2" as two overlaps
    per = _rendered(next(str(m.value) for m in at.markdown
                         if str(m.value).startswith("Actieve professionals per lid")))
    assert "Jesse Pierik (2001) (kind)" in per and "Jesse Pierik (2004) (kind)" in per, per


def test_a_household_without_members_says_so_per_member(loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-member line of a household with nobody registered as living there read "Per lid ·" and nothing."""
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    at = open_coach_page("reviewcoach", "HH-T3")
    at.run()
    assert not at.exception
    per = next(str(m.value) for m in at.markdown if str(m.value).startswith("Actieve professionals per lid"))
    assert per == "Actieve professionals per lid · geen leden op deze datum", per


def _rendered(markdown: str) -> str:
    """What CommonMark makes of ``markdown`` (Streamlit's renderer follows it), as text; links and emphasis shown
    as the markup they became."""
    out = MarkdownIt("commonmark").enable("strikethrough").render(markdown)
    return out.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def test_the_open_points_read_as_the_coach_wrote_them(loaded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's list of open points rendered a coach's text as Markdown: "**elke**" in bold (the asterisks gone),
    "[hier](https://…)" a link to click, "$5$" a formula; the brief printed the same text as written."""
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    at = open_coach_page("reviewcoach")
    at.session_state["coach_section"] = "brief"
    at.run()
    assert not at.exception
    points = next(str(m.value) for m in at.markdown if "Open afspraak" in str(m.value))
    shown = _rendered(points)
    assert f"Open afspraak: {MARKUP}" in shown, shown
    assert "<a " not in shown and "<strong>" not in shown and "<em>" not in shown


def test_the_caseload_card_counts_a_former_members_caseworker_no_more(loaded: Database, audit: AuditLog) -> None:
    """The caseload's card of the household counted, like the page, the stepson's caseworker after he had left."""
    [card] = [h for h in triaged_caseload(loaded, audit, COACH1, today=AFTER) if h.id == "HH-T1"]
    assert card.professionals == 8


def test_a_former_members_referrals_and_ladder_after_he_left_are_not_the_households(loaded: Database,
                                                                                     audit: AuditLog) -> None:
    """A referral and a ladder score of the stepson dated after he had left (his life in another household) were
    on this household's page and in its brief ("Verwijzing van Leon Hulshof naar SMD …: na … dagen nog geen hulp
    gestart"), though the page shows a member's involvements only while he is a member."""
    v = household_view(loaded, audit, COACH1, "HH-T1")
    assert [r.id for r in v.referrals if r.person_id == "L"] == ["R-L1"]
    assert [(s.date, s.rung) for s in v.ladder if s.person_id == "L"] == [(date(2008, 7, 1), 2)]


def test_the_workspace_forms_tell_two_children_of_one_name_apart(loaded: Database,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The workspace's person field offered "Jesse Pierik (kind)" twice: a ladder score could be recorded for
    the wrong child. It offers the person's one label, as the map and the per-member line."""
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    at = open_coach_page("reviewcoach")
    at.session_state["ws_open"] = True
    at.session_state["ws_kind"] = "ladder_score"
    at.run()
    assert not at.exception
    person = next(s for s in at.selectbox if s.label.startswith("Persoon"))
    assert "Jesse Pierik (2001) (kind)" in person.options and "Jesse Pierik (2004) (kind)" in person.options, \
        person.options
