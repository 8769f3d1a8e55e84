"""What the visit brief says, read as its HTML (the PDF is that page rendered): in the app's language throughout,
each member named once, no stored code value — on a household built by hand, no database."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import networkx as nx
import pytest

from app.brief import brief_html, contacts, open_points
from app.ecomap import layout
from queries.analytics.household import Involvement, PersonTie, household_graph
from queries.household import Advice, HouseholdInfo, HouseholdView

AS_OF = date(2026, 12, 5)


def _view() -> HouseholdView:
    people = [PersonTie("J1", "member", "kind", since=date(2004, 1, 1), name="Jesse Pierik", birth_year=1996),
              PersonTie("J2", "member", "vader", since=date(2004, 1, 1), name="Jesse Pierik", birth_year=1958),
              PersonTie("F", "member", "moeder", since=date(2004, 1, 1), name="Fatma Pierik", birth_year=1960)]
    invs = [Involvement("I1", "P1", "O1", "VEILIGHEID_JUSTITIE", date(2006, 7, 13), person_ids=("F",),
                        professional_name="Yasmina Ter Horst", organisation_name="Regiopolitie Twente",
                        function="wijkagent", phone="053-4908075")]
    advice = [Advice("ADV1", date(2026, 11, 1), None, "WERK_PARTICIPATIE", "sanctie/beëindiging uitkering",
                     "Gemeente Enschede, DMO Werk & Bijstand")]
    return HouseholdView(HouseholdInfo("HH-1", "Oostveenweg 9", "7533 AG", "A1", "Nieuwe Velve", "experiment",
                                       "De Woonplaats"), people, [], invs, [], [], [], [], [], [], advice=advice)


def _text(page: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S)))


def _brief(view: HouseholdView) -> str:
    g: nx.Graph = household_graph("HH-1", view.people, view.involvements, view.coaches, as_of=AS_OF)
    pos = layout(household_graph("HH-1", view.people, view.involvements, view.coaches))
    return _text(brief_html(view, g, pos, AS_OF, prepared_by="coach1"))


def test_an_english_brief_has_an_english_legend(monkeypatch: pytest.MonkeyPatch) -> None:
    """The map's legend was written in Dutch into the brief whatever the app's language ("Legenda",
    "gezinslid", "regiehouder"), beside English headings."""
    monkeypatch.setenv("WIJKNET_LANGUAGE", "en")
    text = _brief(_view())
    assert "Contacts" in text and "Legend" in text, text
    for dutch in ("Legenda", "gezinslid", "huishouden", "regiehouder", "levensdomein", "organisatie"):
        assert dutch not in text, dutch


def test_a_dutch_brief_names_each_member_once_with_role_and_birth_year(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two members of one name are told apart by their birth year: the members' line said it twice, "Jesse
    Pierik (1996) (kind, 1996)"."""
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    text = " ".join(_brief(_view()).split())
    # the parents first, then the children, the eldest first (the register's order put children before parents)
    assert "Leden: Jesse Pierik (vader, 1958), Fatma Pierik (moeder, 1960), Jesse Pierik (kind, 1996)" in text, text
    assert "Legenda" in text and "Lid van het huishouden" in text


@pytest.mark.parametrize(("lang", "said", "stored"), [
    ("nl", "sanctie of beëindiging van de uitkering", "sanctie/beëindiging uitkering"),
    ("en", "sanction on or ending of benefits", "sanctie/beëindiging uitkering")])
def test_an_advice_awaiting_a_decision_says_its_mandate_in_words(monkeypatch: pytest.MonkeyPatch, lang: str,
                                                                  said: str, stored: str) -> None:
    """The brief's open point of an advice awaiting the partner's decision named the mandate by its stored code
    (Dutch in an English brief), where the page's mandate list says it in words."""
    monkeypatch.setenv("WIJKNET_LANGUAGE", lang)
    [point] = [p for p in open_points(_view(), AS_OF) if "DMO" in p]
    assert said in point and stored not in point, point


def test_a_professional_in_several_domains_is_one_role_with_the_domains(monkeypatch: pytest.MonkeyPatch) -> None:
    """The coach's row in the brief repeated the function per life domain, "wijkcoach (zorg en hulpverlening);
    wijkcoach (wonen); wijkcoach (werk en participatie)" (eight lines of a one-page brief on the demo)."""
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    v = _view()
    coach = [Involvement(f"C{k}", "PC", "OC", d, date(2009, 3, 5), person_ids=("F",), professional_name="Lars Nijhuis",
                         organisation_name="Wijkcoaches", function="wijkcoach")
             for k, d in enumerate(("ZORG_HULPVERLENING", "WONEN", "WERK_PARTICIPATIE"))]
    v = HouseholdView(v.household, v.people, [], v.involvements + coach, [], [], [], [], [], [])
    [row] = [c for c in contacts(v, AS_OF) if c.name == "Lars Nijhuis"]
    assert row.role == "wijkcoach (zorg en hulpverlening, wonen, werk en participatie)"


def test_the_brief_names_the_network_the_mandates_that_apply_and_who_held_the_case_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A review took the brief to the door and missed what domain.md §2 asks of it: the grandparents were unlabelled
    dots on its small map, nothing said who was involved before or which of the coach's mandates apply. The brief
    now names the network outside the household, the mandates of involved partners (the rest counted), and the
    ended involvements and handovers, the latest first."""
    from queries.analytics.household import Handover
    from queries.household import Mandate

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    v = _view()
    people = [*v.people, PersonTie("G", "client_system", "opa (woont in Almelo)", since=date(2010, 1, 1),
                                   name="Said van Ribbers"),
              PersonTie("N", "informal", "boodschappen", since=date(2020, 1, 1), name="Henk de Buurman"),
              PersonTie("X", "client_system", "tante", since=date(2010, 1, 1), until=date(2015, 1, 1), name="Tante Weg")]
    earlier = [Involvement("I0", "P0", "O0", "VEILIGHEID_JUSTITIE", date(2001, 3, 1), date(2006, 7, 12),
                           person_ids=("F",), professional_name="Kees Eerder", organisation_name="Bureau Jeugdzorg",
                           function="jeugdzorgwerker")]
    handed = [Handover("I0", "I1", date(2006, 7, 13))]
    held = [Mandate("M1", "VEILIGHEID_JUSTITIE", "sanctie/beëindiging uitkering", "O1", "Regiopolitie Twente",
                    date(2026, 1, 1), None, date(2026, 1, 1), None, None, None, None),
            Mandate("M2", "VEILIGHEID_JUSTITIE", "sanctie/beëindiging uitkering", "O9", "Elders",
                    date(2026, 1, 1), None, date(2026, 1, 1), None, None, None, None)]
    view = HouseholdView(v.household, people, [], [*v.involvements, *earlier], handed, [], [], [], [], held,
                         advice=v.advice)
    text = " ".join(_brief(view).split())
    assert ("Netwerk buiten het huishouden: Said van Ribbers (opa (woont in Almelo)), Henk de Buurman "
            "(boodschappen)") in text, text
    assert "Tante Weg" not in text  # gone before the brief's date
    assert ("Mandaten die gelden: veiligheid en justitie: Regiopolitie Twente – sanctie of beëindiging van de "
            "uitkering · en 1 ander mandaat in dit domein of elders (zie de app)") in text, text
    assert ("Eerder betrokken en overdrachten: 13-07-2006: overdracht van Bureau Jeugdzorg naar Regiopolitie Twente "
            "· Kees Eerder (Bureau Jeugdzorg), jeugdzorgwerker: 01-03-2001 – 12-07-2006") in text, text


def test_a_brief_without_contacts_says_so_instead_of_an_empty_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """On the first date of a household the brief printed "Contacten (0)" over a table of headings only (an outside
    review)."""
    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    v = _view()
    view = HouseholdView(v.household, v.people, [], [], [], [], [], [], [], [])
    g: nx.Graph = household_graph("HH-1", view.people, view.involvements, view.coaches, as_of=AS_OF)
    page = brief_html(view, g, layout(g), AS_OF, prepared_by="coach1")
    text = " ".join(_text(page).split())
    assert "Contacten (0) Op 05-12-2026 is geen professional bij het huishouden betrokken." in text, text
    assert "<table" not in page and "Telefoon" not in text


def test_two_of_the_network_with_one_name_are_told_apart_once_not_with_their_relation_twice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A coach's walk (08-12-2026): the brief said "Henk Proefbuur (buurman die helpt) (BF56) (buurman die helpt)":
    the one label of two of one name already carries the relation, and the brief added it again."""
    from app.brief import network

    monkeypatch.delenv("WIJKNET_LANGUAGE", raising=False)
    v = _view()
    people = [*v.people, *(PersonTie(pid, "client_system", "buurman die helpt", since=date(2010, 1, 1),
                                     name="Henk Proefbuur") for pid in ("N-BF56", "N-8F6A")),
              PersonTie("G", "client_system", "opa", since=date(2010, 1, 1), name="Said van Ribbers")]
    view = HouseholdView(v.household, people, [], v.involvements, [], [], [], [], [], [])
    said = network(view, AS_OF)
    assert "Said van Ribbers (opa)" in said
    henk = [s for s in said if s.startswith("Henk")]
    assert len(henk) == 2 and all(s.count("(buurman die helpt)") == 1 for s in henk), henk
